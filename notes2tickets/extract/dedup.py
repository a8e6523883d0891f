"""One item per action within a file, and each item's identity.

Meetbot repeats each action up to three times (log, action items, by person);
Markdown notes may repeat one in a summary. Copies with the same action text
(``fingerprint.action_key``, the title without a leading owner name) are one item when their owners are compatible
(the same, overlapping, or one side names none) and, in Markdown, when they
stand in the same section or either copy names an owner. Copies that are not
compatible are different actions: each is qualified by its owners, or by its
section when the owners do not tell them apart, so the next meeting's copy of
each maps back to its own ticket. Two *marked* copies under different headings
("AI: Ben to update the repo" after each of two proposals) are different actions
too. A copy listed under an action heading takes the place of one found under a
group label, and an action from the discussion restated shorter in the action
list is one item.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Optional, Sequence

from notes2tickets.model import ActionItem

from .fingerprint import (
    fingerprint,
    legacy_forms,
    normalise_title,
    owner_names,
    owners_context,
    qualified,
    section_context,
    strip_owner,
)

_MIN_WORDS = 3
_MAX_PAIRS = 500  # restatements are looked for in files of ordinary size only

_FIELDS = frozenset(field.name for field in dataclasses.fields(ActionItem))
_DEFAULTS = {f.name: f.default for f in dataclasses.fields(ActionItem) if f.default is not dataclasses.MISSING}
_FACTORIES = {
    f.name: f.default_factory for f in dataclasses.fields(ActionItem) if f.default_factory is not dataclasses.MISSING
}
_REQUIRED = _FIELDS - _DEFAULTS.keys() - _FACTORIES.keys()

# How an item was found: a marker or task box anywhere, a list under a group label ("Follow ups:"),
# a list under an action heading. Repeats keep the place of the most deliberate listing.
MARKED, GROUPED, LISTED = 0, 1, 2


def merge_repeats(
    items: Sequence[ActionItem], ranks: Optional[Sequence[int]] = None, *, by_section: bool = True
) -> list[ActionItem]:
    """Merge repeated copies, set every item's fingerprint and aliases, then merge restatements."""
    ranks = ranks if ranks is not None else [MARKED] * len(items)
    names = owner_names(n for item in items for n in item.assignees)
    groups: dict[str, list[list[tuple[ActionItem, int]]]] = {}
    order: list[tuple[str, int]] = []
    for item, rank in zip(items, ranks):
        key = strip_owner(normalise_title(item.title), names)
        clusters = groups.setdefault(key, [])
        for cluster in clusters:
            if _compatible(cluster, item, rank, by_section):
                cluster.append((item, rank))
                break
        else:
            clusters.append([(item, rank)])
            order.append((key, len(clusters) - 1))
    identified = [_identify(key, groups[key], index) for key, index in order]
    return merge_restated([item for item, _ in identified], [rank for _, rank in identified])


def _owners(cluster: Sequence[tuple[ActionItem, int]]) -> set[str]:
    return {normalise_title(n) for item, _ in cluster for n in item.assignees}


def _compatible(cluster: Sequence[tuple[ActionItem, int]], item: ActionItem, rank: int, by_section: bool) -> bool:
    first, first_rank = cluster[0]
    owners, theirs = _owners(cluster), {normalise_title(n) for n in item.assignees}
    if owners and theirs and not owners & theirs:
        return False
    if not by_section or first.section == item.section:
        return True
    return bool(owners or theirs) and not rank == first_rank == MARKED  # marked twice: same words, another topic


def _identify(key: str, clusters: list[list[tuple[ActionItem, int]]], index: int) -> tuple[ActionItem, int]:
    cluster = clusters[index]
    merged, kept_rank = cluster[0]
    for later, rank in cluster[1:]:
        if kept_rank == GROUPED and rank == LISTED:
            merged, kept_rank = _replace(merged, line=later.line, section=later.section), rank
        merged = _combine(merged, later)
    base = fingerprint(key)
    owners = owners_context(merged.assignees) if merged.assignees else None
    section = section_context(merged.section)
    legacy = legacy_forms(merged.title, key, merged.assignees)
    if len(clusters) == 1:
        contexts = [owners, section] if owners else [section]
        aliases = legacy + [qualified(key, c) for c in contexts]
        return _with(merged, base, aliases, None), kept_rank
    owner_sets = [frozenset(_owners(c)) for c in clusters]
    told_by_owners = all(owner_sets) and len(set(owner_sets)) == len(owner_sets)
    context = owners if told_by_owners and owners else section
    return _with(merged, qualified(key, context), [], base), kept_rank


def _with(item: ActionItem, primary: str, aliases: list[str], base: Optional[str]) -> ActionItem:
    others = tuple(dict.fromkeys(a for a in aliases if a != primary))
    return _replace(item, fingerprint=primary, aliases=others, base=base)


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
                items[first] = _absorb(items[first], items[later])
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


def _absorb(kept: ActionItem, restated: ActionItem) -> ActionItem:
    """``kept`` takes the restated copy's fields and identities (the next meeting may list either form)."""
    aliases = tuple(dict.fromkeys(a for a in (*kept.aliases, restated.fingerprint, *restated.aliases) if a != kept.fingerprint))
    return _replace(_combine(kept, restated), aliases=aliases)


def _combine(kept: ActionItem, later: ActionItem) -> ActionItem:
    return _replace(
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


def make_item(**fields: Any) -> ActionItem:
    """``ActionItem(**fields)`` without the frozen ``__init__``: the same item, several times faster (see
    ``_replace``; a test checks both)."""
    if not _FIELDS.issuperset(fields) or not _REQUIRED.issubset(fields):
        raise TypeError(f"ActionItem fields: unknown {sorted(set(fields) - _FIELDS)}, missing {sorted(_REQUIRED - set(fields))}")
    item = object.__new__(ActionItem)
    values = item.__dict__
    values.update(_DEFAULTS)
    for name, factory in _FACTORIES.items():
        if name not in fields:
            values[name] = factory()
    values.update(fields)
    return item


def _replace(item: ActionItem, **changes: Any) -> ActionItem:
    """``dataclasses.replace`` without running the frozen ``__init__`` again (one ``object.__setattr__`` a
    field): several times faster, and the same item, as ActionItem holds plain values and has no
    ``__post_init__`` (a test checks both)."""
    if not _FIELDS.issuperset(changes):
        raise TypeError(f"ActionItem has no field {sorted(set(changes) - _FIELDS)}")
    copied = object.__new__(ActionItem)
    copied.__dict__.update(item.__dict__, **changes)
    return copied
