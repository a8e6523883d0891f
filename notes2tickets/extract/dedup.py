"""One item per action within a file (meetbot repeats each action up to three times)."""

from __future__ import annotations

import dataclasses
from typing import Sequence

from notes2tickets.model import ActionItem


def merge_repeats(items: Sequence[ActionItem]) -> list[ActionItem]:
    """Keep the first item of each fingerprint; later copies add owners, tags and missing fields."""
    first: dict[str, int] = {}
    merged: list[ActionItem] = []
    for item in items:
        index = first.get(item.fingerprint)
        if index is None:
            first[item.fingerprint] = len(merged)
            merged.append(item)
        else:
            merged[index] = _combine(merged[index], item)
    return merged


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
