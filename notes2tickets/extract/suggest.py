"""Suggestions: the unmarked commitments of a document as ActionItems, never filed unless asked for.

Found by ``commitments``; titled, given metadata and fingerprinted by the same
builder as explicit items (passed in), marked ``suggested=True``, and dropped
when an explicit item of the file already holds the line or restates the task.
They are filed only with ``--include-suggested`` or ``[extract] suggestions = "file"``.
"""

from __future__ import annotations

import dataclasses
import difflib
from typing import Callable, Sequence

import mistune

from notes2tickets.model import ActionItem, ExtractOptions

from .commitments import find_commitments
from .fingerprint import fingerprint, normalise_title
from .items import Candidate
from .owners import resolve
from .plain import PlainText, to_plain

_INLINE = mistune.create_markdown(renderer=None, plugins=["strikethrough"])
# A suggestion this close to an explicit item of the same file restates it.
_RESTATES = 0.75
_SHORT = 3  # words: a task this short needs its context in the title
_CONTEXT = 120  # characters of context at most


# How the explicit extraction turns a candidate into items: suggestions get titles, metadata and
# fingerprints the same way, so adding "ACTION:" to the line later files the same ticket.
Build = Callable[[Candidate, PlainText], Sequence[ActionItem]]


def suggest_items(
    lines: Sequence[str], *, path: str, options: ExtractOptions, build: Build, items: Sequence[ActionItem] = ()
) -> list[ActionItem]:
    """The suggested items of one document: ``items`` are its explicit ones, never suggested again."""
    taken = {item.line for item in items}
    explicit = frozenset(taken)
    known = [name for item in items for name in item.assignees]
    suggested: list[ActionItem] = []
    for found in find_commitments(lines, rst=path.lower().endswith(".rst"), known=known):
        if found.line in taken or found.parent_line in explicit:
            continue  # extracted already, or a detail nested under an extracted item
        candidate = Candidate(found.task, found.line, found.section, owners=found.owners)
        built = build(candidate, _plain(found.task))
        item = built[0] if built else None
        if item is not None and not item.done and not _restates(item, items):
            # The owner is who committed; words of the task that look like owners ("takeover to") are not.
            owners = resolve(found.owners, options.aliases) if found.owners else item.assignees
            suggested.append(_about(dataclasses.replace(item, assignees=owners, suggested=True), found.context))
            taken.add(found.line)
    return suggested


def _about(item: ActionItem, context: str) -> ActionItem:
    """A short task ("Follow up", "Review") says what it is about: "Follow up (data out of GA)"."""
    about = _plain(context).text.strip(" \t:-")[:_CONTEXT] if context else ""
    if len(item.title.split()) > _SHORT or not about:
        return item
    title = f"{item.title} ({about})"
    return dataclasses.replace(item, title=title, fingerprint=fingerprint(title))


def _plain(raw: str) -> PlainText:
    return to_plain(_INLINE.inline(raw, {"ref_links": {}}))


def _restates(item: ActionItem, items: Sequence[ActionItem]) -> bool:
    """The same action as an explicit item: same words, contained in its title, or nearly the same."""
    key = normalise_title(item.title)
    words = set(key.split())
    for other in items:
        known = normalise_title(other.title)
        if key == known or (len(words) > 1 and f" {key} " in f" {known} "):
            return True
        if 2 * len(words & set(known.split())) < len(words):
            continue  # too few words in common to be nearly the same
        matcher = difflib.SequenceMatcher(None, key, known)
        if matcher.real_quick_ratio() >= _RESTATES and matcher.ratio() >= _RESTATES:
            return True
    return False
