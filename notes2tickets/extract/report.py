"""Formatting extracted items for ``notes2tickets parse``: a listing for people, or JSON."""

from __future__ import annotations

import json
from typing import Sequence

from notes2tickets.model import ActionItem

_NO_OWNER = "-"


def format_text(items: Sequence[ActionItem]) -> str:
    """One aligned row per item: ``file:line  owner  [x] title``, then a count."""
    if not items:
        return "no action items found\n"
    places = [f"{item.path}:{item.line}" for item in items]
    owners = [", ".join(item.assignees) or _NO_OWNER for item in items]
    place_width = max(len(place) for place in places)
    owner_width = max(len(owner) for owner in owners)
    rows = []
    for item, place, owner in zip(items, places, owners):
        box = "[x]" if item.done else "[ ]"
        extra = f"  (#{item.tracked})" if item.tracked is not None else ""
        rows.append(f"{place:<{place_width}}  {owner:<{owner_width}}  {box} {item.title}{extra}".rstrip())
    noun = "item" if len(items) == 1 else "items"
    rows.append(f"{len(items)} action {noun}")
    return "\n".join(rows) + "\n"


def format_json(items: Sequence[ActionItem]) -> str:
    """``{"items": [...]}`` in document order, one object per item (ActionItem.to_json)."""
    return json.dumps({"items": [item.to_json() for item in items]}, indent=2, ensure_ascii=False) + "\n"
