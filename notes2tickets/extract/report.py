"""Formatting extracted items for ``notes2tickets parse``: a listing for people, or JSON."""

from __future__ import annotations

import json
from typing import Sequence

from notes2tickets.model import ActionItem

_NO_OWNER = "-"
SUGGESTIONS_HEADING = "not filed: add ACTION: to file"


def format_text(items: Sequence[ActionItem], suggestions: Sequence[ActionItem] = ()) -> str:
    """One aligned row per item: ``file:line  owner  [x] title``, then a count; then the suggestions."""
    if items:
        text = _rows(items) + f"{len(items)} action {'item' if len(items) == 1 else 'items'}\n"
    else:
        text = "no action items found\n"
    if suggestions:
        text += "\n" + suggestions_text(suggestions)
    return text


def suggestions_text(suggestions: Sequence[ActionItem]) -> str:
    """The block that lists unmarked commitments, headed by how to file them."""
    noun = "suggestion" if len(suggestions) == 1 else "suggestions"
    return f"{SUGGESTIONS_HEADING} ({len(suggestions)} {noun}, or pass --include-suggested)\n" + _rows(suggestions, indent="  ", mark=False)


def _rows(items: Sequence[ActionItem], indent: str = "", *, mark: bool = True) -> str:
    places = [f"{item.path}:{item.line}" for item in items]
    owners = [", ".join(item.assignees) or _NO_OWNER for item in items]
    place_width = max(len(place) for place in places)
    owner_width = max(len(owner) for owner in owners)
    rows = []
    for item, place, owner in zip(items, places, owners):
        box = "[x]" if item.done else "[ ]"
        extra = f"  (#{item.tracked})" if item.tracked is not None else ""
        extra += "  (suggested)" if item.suggested and mark else ""
        rows.append(f"{indent}{place:<{place_width}}  {owner:<{owner_width}}  {box} {item.title}{extra}".rstrip())
    return "\n".join(rows) + "\n"


def format_json(items: Sequence[ActionItem], suggestions: Sequence[ActionItem] = ()) -> str:
    """``{"items": [...], "suggestions": [...]}`` in document order, one object per item (ActionItem.to_json)."""
    data = {"items": [item.to_json() for item in items], "suggestions": [item.to_json() for item in suggestions]}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
