"""Turning a found item (its raw text and context) into an ActionItem."""

from __future__ import annotations

import re
from typing import NamedTuple

from notes2tickets.model import ActionItem, ExtractOptions, Meeting

from .dedup import MARKED, make_item
from .fingerprint import fingerprint, normalise_title
from .metadata import is_token_line, parse_metadata, strip_attribution
from .owners import resolve, split_clauses, split_owners
from .participants import NOBODY, Participants
from .plain import PlainText
from .syntax import NOT_ITEMS, PLAIN_MARKER, is_question, is_remark, is_review_entry

MAX_TITLE = 255
_ELLIPSIS = "\u2026"
_BULLET = re.compile(r"[-*+][ \t]+(.*)")


class Candidate(NamedTuple):
    """An item as found in the document, before its text is interpreted."""

    raw: str  # Markdown (or plain text for meetbot minutes) of the item's first paragraph
    line: int  # 1-based
    section: tuple[str, ...] = ()
    done: bool = False
    description: str = ""
    owners: tuple[str, ...] = ()  # from an enclosing "by person" label
    rank: int = MARKED  # how it was found (dedup.MARKED / GROUPED / LISTED)
    default_owners: tuple[str, ...] = ()  # a section's owner, when the item names nobody


def build_items(
    candidate: Candidate,
    plain: PlainText,
    *,
    path: str,
    meeting: Meeting,
    options: ExtractOptions,
    participants: Participants = NOBODY,
) -> list[ActionItem]:
    """Interpret the text of one candidate: usually one item, two for "A to do x, and B to do y"."""
    if plain.struck and not plain.text.strip(" \t:-"):
        return []  # the whole item is struck through: dropped
    text, marker_owner = _strip_marker(" ".join(plain.text.split()))  # whitespace runs as one space
    clauses = split_clauses(strip_attribution(text))
    items = []
    for index, clause in enumerate(clauses):
        context = _Clause(candidate.raw if index == 0 else "", marker_owner, participants, index == 0)
        item = _build_one(clause, candidate, plain, context, path=path, meeting=meeting, options=options)
        if item is not None:
            items.append(item)
    return items


class _Clause(NamedTuple):
    raw: str  # the Markdown the clause starts, for "**Name**:" (empty for a later clause)
    marker_owner: tuple[str, ...]
    participants: Participants
    first: bool  # the description belongs to the first clause only


def _build_one(
    text: str, candidate: Candidate, plain: PlainText, clause: _Clause, *, path: str, meeting: Meeting,
    options: ExtractOptions,
) -> ActionItem | None:
    rest, tokens = _token_bullets(candidate.description if clause.first else "")
    meta = parse_metadata(text + tokens, plain.urls)
    owners = split_owners(meta.text, clause.raw, clause.participants)
    title = _clean_title(owners.text)
    key = normalise_title(title)
    names = candidate.owners + clause.marker_owner + owners.names + meta.owners or candidate.default_owners
    question = not names and candidate.rank != MARKED and is_question(title)  # "ACTION: can someone …?" asks
    if key in NOT_ITEMS or is_review_entry(title) or is_remark(title) or question:
        return None
    short, description = _limit(title, rest)
    return make_item(
        title=short,
        path=path,
        line=candidate.line,
        fingerprint=fingerprint(title),
        description=description,
        assignees=resolve(names, options.aliases),
        tags=meta.tags,
        due=meta.due,
        priority=meta.priority,
        milestone=meta.milestone,
        private=meta.private,
        done=candidate.done or meta.done,
        tracked=meta.tracked,
        section=candidate.section,
        meeting=meeting,
    )


def _token_bullets(description: str) -> tuple[str, str]:
    """Nested bullets or lines that are one metadata token each ("- Owner: bob", "Due: 2024-02-01") belong to the item:
    the description without them, and their text to read the tokens from."""
    if ":" not in description:
        return description, ""
    kept, tokens = [], []
    for line in description.split("\n"):
        bullet = _BULLET.fullmatch(line)
        token = bullet.group(1) if bullet else line  # "- Owner: bob", or "Owner: bob" on its own line
        if is_token_line(token):
            tokens.append(token.strip().rstrip("."))
        else:
            kept.append(line)
    return "\n".join(kept).strip("\n"), "".join(" " + token for token in tokens)


def _strip_marker(text: str) -> tuple[str, tuple[str, ...]]:
    """Remove a leading marker; "TODO(nick):" also names an owner."""
    match = PLAIN_MARKER.match(text)
    if not match:
        return text, ()
    owner = match.group("owner") or match.group("boxed")
    return text[match.end():], ((owner.strip(),) if owner and owner.strip() else ())


def _clean_title(text: str) -> str:
    text = " ".join(text.split()).strip(" \t,;:|-\u2013\u2014")
    if text.endswith(".") and not text.endswith("..") and " " in text:
        text = text[:-1].rstrip()  # a sentence's full stop is no part of the title
    return text[:1].upper() + text[1:] if text[:1].islower() else text


def _limit(title: str, description: str) -> tuple[str, str]:
    """Cut a long title at a word boundary; the full text opens the description."""
    if len(title) <= MAX_TITLE:
        return title, description
    cut = title[: MAX_TITLE - 1]
    space = cut.rfind(" ")
    if space > MAX_TITLE // 2:
        cut = cut[:space]
    full = title + ("\n\n" + description if description else "")
    return cut.rstrip(" ,;:") + _ELLIPSIS, full

