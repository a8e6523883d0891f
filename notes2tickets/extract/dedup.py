"""One item per action within a file, and each item's identity.

Meetbot repeats each action up to three times (log, action items, by person);
Markdown notes may repeat one in a summary. Copies with the same action text
(``fingerprint.action_key``) are one item when their owners are compatible
(the same, overlapping, or one side names none) and, in Markdown, when they
stand in the same section or either copy names an owner. Copies that are not
compatible are different actions: each is qualified by its owners, or by its
section when the owners do not tell them apart, so the next meeting's copy of
each maps back to its own ticket.
"""

from __future__ import annotations

import dataclasses
from typing import Optional, Sequence

from notes2tickets.model import ActionItem

from .fingerprint import (
    action_key,
    fingerprint,
    legacy_forms,
    normalise_title,
    owners_context,
    qualified,
    section_context,
)


def merge_repeats(items: Sequence[ActionItem], *, by_section: bool = True) -> list[ActionItem]:
    """Merge repeated copies, then set every item's fingerprint and aliases (see the module doc)."""
    names = {n for item in items for n in item.assignees}
    groups: dict[str, list[list[ActionItem]]] = {}
    order: list[tuple[str, int]] = []
    for item in items:
        key = action_key(item.title, names)
        clusters = groups.setdefault(key, [])
        for index, cluster in enumerate(clusters):
            if _compatible(cluster[0], _owners(cluster), item, by_section):
                cluster.append(item)
                break
        else:
            clusters.append([item])
            order.append((key, len(clusters) - 1))
    return [_identify(key, groups[key], index) for key, index in order]


def _owners(cluster: list[ActionItem]) -> set[str]:
    return {normalise_title(n) for item in cluster for n in item.assignees}


def _compatible(first: ActionItem, owners: set[str], item: ActionItem, by_section: bool) -> bool:
    theirs = {normalise_title(n) for n in item.assignees}
    if owners and theirs and not owners & theirs:
        return False
    return not by_section or first.section == item.section or bool(owners or theirs)


def _identify(key: str, clusters: list[list[ActionItem]], index: int) -> ActionItem:
    cluster = clusters[index]
    merged = cluster[0]
    for later in cluster[1:]:
        merged = _combine(merged, later)
    base = fingerprint(key)
    owners = owners_context(merged.assignees) if merged.assignees else None
    section = section_context(merged.section)
    legacy = legacy_forms(merged.title, key, merged.assignees)
    if len(clusters) == 1:
        contexts = [owners, section] if owners else [section]
        aliases = legacy + [qualified(key, c) for c in contexts]
        return _with(merged, base, aliases, None)
    owner_sets = [frozenset(_owners(c)) for c in clusters]
    told_by_owners = all(owner_sets) and len(set(owner_sets)) == len(owner_sets)
    context = owners if told_by_owners and owners else section
    return _with(merged, qualified(key, context), [], base)


def _with(item: ActionItem, primary: str, aliases: list[str], base: Optional[str]) -> ActionItem:
    others = tuple(dict.fromkeys(a for a in aliases if a != primary))
    return dataclasses.replace(item, fingerprint=primary, aliases=others, base=base)


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
