"""Who is in a meeting's notes: speaker tags on lines, attendance lists, @mentions (pure).

A suggestion's owner must be somebody of the meeting; "I'll ..." belongs to
whoever speaks on the line (``**SH:**``, ``<nick>``, ``[name=X]``, ``Niko:``).
"""

from __future__ import annotations

import re
from typing import NamedTuple, Optional

# Speaker tags: "**SH:**", "**Ana**:", "<nick>", "[name=X]", "12:01:02 <nick>", "Niko:", "@nick:server:".
_NAME = r"[A-Za-z@][\w.'\u2019-]*(?:[ \t][A-Z][\w.'\u2019-]*){0,2}"
_TAGS = (
    re.compile(r"(?:\[?\d{1,2}:\d{2}(?::\d{2})?\]?[ \t]+)?<[@+%&~]?(?P<name>[\w.\-|`^\[\]{}\\:]{1,60})>[ \t]*"),
    re.compile(r"\[name=(?P<name>[^\]\n]{1,40})\][ \t:,-]*"),
    re.compile(r"\[(?P<name>[A-Za-z][\w.-]{1,39})\][ \t:,-]+"),
    re.compile(r"(?:\*\*|__)(?P<name>" + _NAME + r")(?::(?:\*\*|__)|(?:\*\*|__)[ \t]*:)[ \t]*"),
    re.compile(r"(?P<name>" + _NAME + r")[ \t]*:(?:[ \t]+|$)"),
)
PLAIN_TAG = _TAGS[-1]  # "Kip: could you ...": a plain "Name:" may name who is spoken to
_TAG_OPENERS = frozenset("<[*_0123456789")
_NOT_SPEAKERS = frozenset(
    """note notes nb ps fyi info idea agreed help link topic question q a answer decision result summary status
    done blocked wip update proposal owner owners due priority tags action actions ai todo task next comment
    comments conclusion outcome context background example e.g i.e see http https edit re discussion discussions
    agenda updates news announcements reminder reminders topics topic questions options misc other general
    notes summary details links resources attendees present name email e-mail mail location contact date time
    when where url phone role title affiliation host chair scribe facilitator minutes recording agreed""".split()
)
_ATTENDANCE_WORDS = r"(?:attendees|attendance|attending|present|participants|people[ \t]+present|roll[ \t]*call|who'?s[ \t]+here|in[ \t]+attendance)"
# A heading or a line that opens an attendance list: "## Attendees", "Roll call:".
_ATTENDANCE = re.compile(r"(?:.*\b)?" + _ATTENDANCE_WORDS + r"\b[^:]{0,30}:?[ \t]*$", re.IGNORECASE)
# A line that is an attendance list itself: "Present: ana, bob", "Council: Carol, Mark", "Regrets: X".
_ATTENDANCE_LINE = re.compile(r"(?:" + _ATTENDANCE_WORDS + r"|council|observers|members|guests|regrets|apologies|absent|missing[ \t]+\w+)[ \t]*:", re.IGNORECASE)
_MENTION = re.compile(r"(?<![\w@/.])@([A-Za-z][\w.-]{0,39})")
_HANDLE_SPLIT = re.compile(r"[,;/|()\u2013\u2014]|\s-\s|\band\b")


class People(NamedTuple):
    """Who took part, lower-cased; ``listed`` when the notes have an attendance list."""

    names: set[str]
    listed: bool


class Roll:
    """Collects the people of the meeting: attendance lists, speaker tags, @mentions."""

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.listed = False
        self.attendance: Optional[str] = None  # "heading": until the next heading; "label": while bullets follow

    def heading(self, title: str) -> None:
        self.attendance = "heading" if _ATTENDANCE.match(title) else None

    def line(self, text: str, body: str, tag: Optional[tuple[str, str]]) -> None:
        """``text``: the stripped line; ``body``: without its bullet; ``tag``: its speaker tag."""
        if "@" in text:
            self.names.update(m.group(1).lower() for m in _MENTION.finditer(text))
        if tag is not None:
            self.names.add(tag[0].lower())
        if _ATTENDANCE_LINE.match(body):
            self.names.update(_names_in(body))
            self.listed = True
        elif self.attendance is not None and (body is not text or self.attendance == "heading"):
            self.names.update(_names_in(body))  # an entry of the attendance list
            self.listed = True
        elif text.endswith(":") and _ATTENDANCE.match(text):
            self.attendance = "label"  # "Roll call:" with the list below
        elif self.attendance == "label":
            self.attendance = None


def speaker_tag(text: str) -> Optional[tuple[str, str]]:
    """``(speaker, rest)`` when ``text`` opens with a speaker tag, else None."""
    if text[:1] not in _TAG_OPENERS and ":" not in text[:48]:
        return None  # the cheap test first: most lines carry no tag
    for pattern in _TAGS:
        match = pattern.match(text)
        if match is None:
            continue
        name = match.group("name").strip().strip("*_").lstrip("@").split(":", 1)[0]
        if name and name.lower() not in _NOT_SPEAKERS and not name[:1].isdigit():
            return name, text[match.end():]
    return None


def _names_in(text: str) -> set[str]:
    """Every short name-like fragment of an attendance line ("Scott Hammond (SH)", "Tim / @betatim")."""
    text = re.sub(r"[*_`\[\]<>]", " ", text)
    if ":" in text[:40]:
        text = text.split(":", 1)[1]
    names: set[str] = set()
    for part in _HANDLE_SPLIT.split(text):
        words = part.strip(" .\t").lstrip("@").split()
        if 1 <= len(words) <= 3 and not any(ch.isdigit() for ch in part) and any(ch.isalpha() for ch in part):
            names.add(" ".join(words).lower())
            names.update(word.lower() for word in words)
    return names
