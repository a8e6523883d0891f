"""Who took part in a meeting, as far as the notes say: meetbot and chat-log traces.

Meetbot minutes write ``ACTION: nick verb …`` without "to"; the first word is
an owner only when it is a participant's nick. Participants are the meeting's
chair ("Meeting started by nick"), the people meetbot credits with a line
("(nick, 15:06:31)"), the "People present (lines said)" bullets ("* nick (12)"),
the owners of an "Action items, by person" block, chat speakers ("<nick>"),
and the first word of each bullet under an "Attendees" / "Present" / "Roll call" line.
"""

from __future__ import annotations

import re

from .names import NOT_NAMES

_NICK = r"@?[\w.|`^-]{1,40}(?::[\w-]+(?:\.[\w-]+)+)?"
_TRACES = re.compile(
    r"\(\s*(?P<typed>" + _NICK + r")\s*,\s*\d{1,2}:\d{2}(?::\d{2})?\s*\)"
    r"|Meeting started by\s+(?P<chair>" + _NICK + r")"
    r"|^[ \t]*[*+-][ \t]+(?:\*\*)?(?P<present>" + _NICK + r")(?:\*\*)?[ \t]+\(\d{1,6}\)[ \t]*$"
    r"|^[ \t]*(?:\[?\d{1,2}:\d{2}(?::\d{2})?\]?[ \t]+)?<[@+%~&]?(?P<speaker>[^>\s]{1,40})>",
    re.MULTILINE,
)
_ATTENDEES = re.compile(
    r"^[ \t#]*[*_]{0,2}(?:attendees|attendance|present|participants|people present|roll[ -]?call)"
    r"(?:[ \t]*\([^()\n]*\))?[ \t*_:]*$",
    re.MULTILINE | re.IGNORECASE,
)
_ATTENDEE = re.compile(r"[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?[*_]*(@?[\w.|-]+(?::[\w.-]+)?)")
_MAX_ATTENDEES = 200
# Cheap test first: a file with none of these has no meetbot or chat traces.
_HINT = re.compile(r":\d\d|Meeting started by|\(\d{1,6}\)[ \t]*$", re.MULTILINE)


_NICK_PREFIX = 4  # "kaitlyn" stands for kaitlynabdo; "kai" is too short to say


class Participants:
    """The participants of one document, found on first use (most items name their owner without them)."""

    def __init__(self, text: str = "", owners: tuple[str, ...] = ()) -> None:
        self._text = text
        self._owners = owners
        self._nicks: frozenset[str] | None = None

    def took_part(self, name: str) -> bool:
        """A participant's nick, or (four letters or more) how one begins."""
        if self._nicks is None:
            self._nicks = add_people(find_participants(self._text), self._owners)
        bare = bare_nick(name)
        if bare in self._nicks:
            return True
        return len(bare) >= _NICK_PREFIX and any(nick.startswith(bare) for nick in self._nicks)


NOBODY = Participants()


def find_participants(text: str) -> frozenset[str]:
    """Lower-cased nicks (without ``@`` and Matrix server) of everyone the notes show taking part."""
    found = set(_attendees(text))
    if _HINT.search(text) is not None:
        for match in _TRACES.finditer(text):
            found.add(bare_nick(next(group for group in match.groups() if group)))
    return frozenset(nick for nick in found if nick)


def _attendees(text: str) -> list[str]:
    """The first word of each bullet under an "Attendees" / "Present" / "Roll call" line ("@nick", "Andrew …")."""
    found: list[str] = []
    for heading in _ATTENDEES.finditer(text):
        for row in text[heading.end():].split("\n", _MAX_ATTENDEES)[1:_MAX_ATTENDEES]:
            bullet = _ATTENDEE.match(row)
            if bullet is None and row.strip():
                break
            if bullet is not None and bullet.group(1).lower() not in NOT_NAMES:
                found.append(bare_nick(bullet.group(1)))
    return found


def add_people(participants: frozenset[str], names: tuple[str, ...]) -> frozenset[str]:
    """The participants plus owners named elsewhere (a by-person block)."""
    return participants | {bare_nick(name) for name in names}


def bare_nick(name: str) -> str:
    """``@Tflink:fedora.im`` → ``tflink``: how a nick is compared."""
    return name.strip().strip("*_").lstrip("@").split(":", 1)[0].lower()
