"""One item per action within a file (meetbot repeats each action up to three times)."""

from __future__ import annotations

import dataclasses
from typing import Sequence

from notes2tickets.model import ActionItem

from .fingerprint import normalise_title

_MIN_WORDS = 3
_MAX_PAIRS = 500  # restatements are looked for in files of ordinary size only


# How an item was found: a marker or task box anywhere, a list under a group label ("Follow ups:"),
# a list under an action heading. Repeats keep the place of the most deliberate listing.
MARKED, GROUPED, LISTED = 0, 1, 2


def merge_repeats(items: Sequence[ActionItem], ranks: Sequence[int] | None = None) -> list[ActionItem]:
    """Keep the first item of each fingerprint; later copies add owners, tags and missing fields.

    Two marked items with the same text under different headings ("AI: Ben to update the repo" after each
    proposal) are different actions and both kept. A copy listed under an action heading takes the place of
    one found under a group label.
    """
    ranks = ranks if ranks is not None else [MARKED] * len(items)
    first: dict[str, int] = {}
    merged: list[ActionItem] = []
    kept_ranks: list[int] = []
    for item, rank in zip(items, ranks):
        index = first.get(item.fingerprint)
        if index is not None and rank == kept_ranks[index] == MARKED and item.section != merged[index].section:
            index = None  # same words, another topic
        if index is None:
            first[item.fingerprint] = len(merged)
            merged.append(item)
            kept_ranks.append(rank)
            continue
        if kept_ranks[index] == GROUPED and rank == LISTED:
            merged[index] = dataclasses.replace(merged[index], line=item.line, section=item.section)
            kept_ranks[index] = rank
        merged[index] = _combine(merged[index], item)
    return merge_restated(merged, kept_ranks)


def merge_restated(items: list[ActionItem], ranks: Sequence[int]) -> list[ActionItem]:
    """An action from the discussion restated, shorter, in the action list is one item (the first)."""
    listed = [i for i, rank in enumerate(ranks) if rank == LISTED]
    others = [i for i, rank in enumerate(ranks) if rank != LISTED]
    if not listed or not others or len(items) > _MAX_PAIRS:
        return items
    words = [normalise_title(item.title).split() for item in items]
    by_start: dict[tuple[str, ...], list[int]] = {}
    for other in others:
        by_start.setdefault(tuple(words[other][:2]), []).append(other)
    gone: set[int] = set()
    for one in listed:
        for other in by_start.get(tuple(words[one][:2]), ()):
            if other not in gone and _restates(words[one], words[other]):
                first, later = min(one, other), max(one, other)
                items[first] = _combine(items[first], items[later])
                gone.add(later)
                break
    return [item for index, item in enumerate(items) if index not in gone]


def _restates(a: list[str], b: list[str]) -> bool:
    """The shorter title (three words or more) is how the longer one begins, but for one word written
    shorter ("the SLEP" / "the SLEP010")."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < _MIN_WORDS or short[:2] != long_[:2]:
        return False
    shortened = 0
    for word, other in zip(short, long_):
        if word != other:
            if not (word.startswith(other) or other.startswith(word)):
                return False
            shortened += 1
    return shortened <= 1


def _combine(kept: ActionItem, later: ActionItem) -> ActionItem:
    return dataclasses.replace(
        kept,
        assignees=tuple(dict.fromkeys(kept.assignees + later.assignees)),
        tags=tuple(dict.fromkeys(kept.tags + later.tags)),
        description=kept.description or later.description,
        due=kept.due or later.due,
        priority=kept.priority or later.priority,
        milestone=kept.milestone or later.milestone,
        private=kept.private or later.private,
        tracked=kept.tracked if kept.tracked is not None else later.tracked,
    )
