"""Bullets that only label the list nested below them: what the nested items are.

"Next steps in order of priority:" or "dumping data task:" open a list of
actions; "Actionable steps to be done by @a and @b:" also names their owners;
a HackMD ``[name=X]`` bullet says whose report (and whose TODOs) follow;
"possible actions:" / "Options:" hold options, not commitments; and under an
"Actions" heading, "Decisions needed" or "Help or discussion needed" are
agenda topics, not tasks.
"""

from __future__ import annotations

import re
from typing import NamedTuple, Optional, Sequence

from .syntax import is_action_heading, is_exact_action_heading

ACTIONS, OWNERS, OPTIONS, TOPIC = "actions", "owners", "options", "topic"

_NAME = r"@?[\w][\w.|-]*(?: [A-Z][\w'-]+)?"
_NAMES = _NAME + r"(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)" + _NAME + r")*"
_DONE_BY = re.compile(r"\b(?:done|owned|handled|taken|driven|led)\s+by\s+(?P<names>" + _NAMES + r")\s*$", re.IGNORECASE)
_HACKMD_NAME = re.compile(r"^\[name=(?P<name>[^\]\n]{1,60})\]$")
_TASK_LABEL = re.compile(r"\btasks?$", re.IGNORECASE)
_OPTIONS = re.compile(
    r"^(?:possible|potential|proposed|candidate|alternative|suggested)\s+(?:actions?|next steps|steps|solutions?|tasks?)\b"
    r"|^(?:options?|proposals?|alternatives?|ideas?|suggestions?)\b",
    re.IGNORECASE,
)
# Agenda topics name a kind of discussion first ("Decisions needed", "Help or discussion needed",
# "Questions"), or say "agenda"; "Release updates" with owners' lines below is no topic.
_TOPIC = re.compile(
    r"^\W*(?:decisions?|discussions?|questions?|updates|news|announcements?|topics?|reports?|info(?:rmation)?"
    r"|help(?:\s+or\s+\w+)?\s+(?:needed|wanted))\b"
    r"|\bagenda\b",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*")


class Label(NamedTuple):
    """What a label bullet says of the list below it."""

    kind: str  # ACTIONS, OWNERS, OPTIONS or TOPIC
    owners: tuple[str, ...] = ()


def read_label(text: str, phrases: Sequence[str], *, in_action: bool) -> Optional[Label]:
    """The meaning of a bullet that has a nested list; None when it is an ordinary item or topic."""
    stripped = text.strip()
    label = stripped.strip("*_ \t")
    framed = label != stripped or label.endswith(":")
    label = label.rstrip(":*_ \t")
    if not label or "\n" in label or label.endswith("?"):
        return None
    name = _HACKMD_NAME.match(label)
    if name:
        return Label(OWNERS, (name.group("name").strip(),))
    if framed and _OPTIONS.match(label):
        return Label(OPTIONS)
    done_by = _DONE_BY.search(label) if framed else None
    if done_by:
        return Label(ACTIONS, tuple(n.strip() for n in _SPLIT.split(done_by.group("names")) if n.strip()))
    if is_exact_action_heading(label, phrases) or (framed and is_action_heading(label, phrases)):
        return Label(ACTIONS)
    if framed and _TASK_LABEL.search(label) and len(label.split()) <= 5:
        return Label(ACTIONS)
    if in_action and _TOPIC.search(label) and len(label.split()) <= 12:
        return Label(TOPIC)
    return None


# A nick ("jdoe", "FranciscoD", "@carl"), or a full name ("Neal Gompa"); a lone capitalised word is not.
_PERSON = re.compile(r"@[\w.-]+(?::[\w.-]+)?|[a-z][\w.|-]*|[A-Z][a-z'-]+ [A-Z][\w'-]+|\w*[a-z]\w*[A-Z\d_]\w*")
_FIRST_NAME = re.compile(r"[A-Z][a-z'-]+")


def framed_label_owners(text: str) -> Optional[tuple[str, ...]]:
    """For a bold or colon-ended bullet in an action section ("**Anna and Bob:**", "@carl:", "Docs:"):
    the owners it names, none for a plain word ("Docs", "Anna" alone could be a topic); None when the
    bullet is not framed as a label."""
    stripped = text.strip()
    label = stripped.strip("*_ \t")
    if "\n" in label or not (label != stripped or label.endswith(":")):
        return None
    names = [n.strip() for n in _SPLIT.split(label.rstrip(":*_ \t")) if n.strip()]
    several = len(names) > 1  # "Anna and Bob": two first names are people
    if names and all(_PERSON.fullmatch(n) or (several and _FIRST_NAME.fullmatch(n)) for n in names):
        return tuple(names)
    return ()
