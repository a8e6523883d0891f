"""Turning a found item (its raw text and context) into an ActionItem."""

from __future__ import annotations

import re
from typing import NamedTuple

from notes2tickets.model import ActionItem, ExtractOptions, Meeting

from .fingerprint import fingerprint, normalise_title
from .metadata import is_token_line, parse_metadata, strip_attribution
from .owners import resolve, split_owners
from .plain import PlainText
from .syntax import NOT_ITEMS, PLAIN_MARKER, is_review_entry

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


def build_item(
    candidate: Candidate,
    plain: PlainText,
    *,
    path: str,
    meeting: Meeting,
    options: ExtractOptions,
    participants: frozenset[str] = frozenset(),
) -> ActionItem | None:
    """Interpret the text of one candidate; None when nothing is left of it."""
    if plain.struck and not plain.text.strip(" \t:-"):
        return None  # the whole item is struck through: dropped
    text, marker_owner = _strip_marker(re.sub(r"\s+", " ", plain.text).strip())
    text = strip_attribution(text)
    rest, tokens = _token_bullets(candidate.description)
    meta = parse_metadata(text + tokens, plain.urls)
    owners = split_owners(meta.text, candidate.raw, participants)
    title = _clean_title(owners.text)
    key = normalise_title(title)
    if key in NOT_ITEMS or is_review_entry(title):
        return None
    names = candidate.owners + marker_owner
    short, description = _limit(title, rest)
    return ActionItem(
        title=short,
        path=path,
        line=candidate.line,
        fingerprint=fingerprint(title),
        description=description,
        assignees=resolve(names + owners.names + meta.owners, options.aliases),
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
    """Nested bullets that are one metadata token each ("- Owner: bob", "- Due: 2024-02-01") belong to the item:
    the description without them, and their text to read the tokens from."""
    if ":" not in description:
        return description, ""
    kept, tokens = [], []
    for line in description.split("\n"):
        bullet = _BULLET.fullmatch(line)
        if bullet and is_token_line(bullet.group(1)):
            tokens.append(bullet.group(1).strip().rstrip("."))
        else:
            kept.append(line)
    return "\n".join(kept).strip("\n"), "".join(" " + token for token in tokens)


def _strip_marker(text: str) -> tuple[str, tuple[str, ...]]:
    """Remove a leading marker; "TODO(nick):" also names an owner."""
    match = PLAIN_MARKER.match(text)
    if not match:
        return text, ()
    owner = match.group("owner")
    return text[match.end():], ((owner.strip(),) if owner and owner.strip() else ())


def _clean_title(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" \t,;:|-\u2013\u2014")
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

