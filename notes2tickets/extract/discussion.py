"""The discussion lines of a notes file, who speaks on each, and who took part (pure, line by line).

Suggestions (``suggest``) look for commitments in what people said, so this
module drops everything that is not discussion: headings, code (fenced,
indented, reStructuredText literal blocks), quotes, HTML comments, tables,
task boxes, meetbot tags (INFO, AGREED, ...), and the entries of agenda-like
sections ("Agenda", "For next time"). It is a line scan, not a Markdown
parse: cheap enough to run on every file, and the same on .md and .rst.
"""

from __future__ import annotations

import re
from typing import Callable, Iterator, NamedTuple, Optional, Sequence

from .people import PLAIN_TAG, People, Roll, speaker_tag
from .syntax import is_agenda


class Line(NamedTuple):
    """One discussion line: 1-based number, its text without container markup, its context."""

    number: int
    text: str
    speaker: Optional[str]  # from a speaker tag on the line or a speaker label above it
    section: tuple[str, ...]
    parent: Optional[str]  # text of the list item this line is nested under
    in_list: bool
    more: str = ""  # the lines that continue this one's sentence, joined
    addressed: Optional[str] = None  # a plain "Name:" opening the line: the speaker, or whom they address
    tagged: bool = False  # the speaker tag is on this line ("<nick> will do ...")
    parent_line: Optional[int] = None  # 1-based line of ``parent``


_FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})")
_ATX = re.compile(r"[ \t]{0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t#]*$")
_UNDERLINE = re.compile(r"[ \t]*([=\-~^\"'`#*+:.])\1{2,}[ \t]*$")
_UNDERLINE_CHARS = frozenset("=-~^\"'`#*+:.")
_BULLET = re.compile(r"(?:[-*+\u2022]|\d{1,3}[.)]|#\.|[a-zA-Z][.)])[ \t]+")
_TASK = re.compile(r"\[[ xX]?\][ \t]")
_TABLE = re.compile(r"[ \t]*\|.*\|[ \t]*$|[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*\|")
_MEETBOT_TAG = re.compile(
    r"[#!]?(?:info|agreed|idea|help|link|topic|startmeeting|endmeeting|chair|action|undo|accepted|rejected)\b",
    re.IGNORECASE,
)
_DECISION = re.compile(r"(?:agreed|decision|decided|conclusion|outcome|resolved|consensus|poll|vote|result)s?\b[ \t]*[:\-]", re.IGNORECASE)
_DIRECTIVE = re.compile(r"[ \t]*\.\.[ \t]")
# Sections whose entries are topics for this or a later meeting, never commitments.
_LATER = re.compile(r"\b(?:next[ \t]+(?:time|meeting)|future[ \t]+(?:topics|meetings?)|upcoming|meeting[ \t]+summary)\b", re.IGNORECASE)
class _Heading(NamedTuple):
    level: int
    title: str


class Discussion(NamedTuple):
    """The wanted discussion lines of a document and its people."""

    lines: list[Line]
    people: People


def read_discussion(lines: Sequence[str], *, rst: bool = False, wanted: Callable[[str], bool] = bool) -> Discussion:
    """The discussion lines for which ``wanted(text)`` holds, in document order, and who took part."""
    scanner = _Scanner(lines, rst, wanted)
    found = list(scanner.lines())
    return Discussion(found, People(scanner.roll.names, scanner.roll.listed))


def _strip_bullet(text: str) -> str:
    match = _BULLET.match(text)
    return text[match.end():] if match else text


def _heading_at(lines: Sequence[str], index: int) -> Optional[_Heading]:
    """The heading that line ``index`` is (ATX, or text over a setext/reStructuredText underline)."""
    line = lines[index]
    if "#" in line[:4]:
        atx = _ATX.match(line)
        if atx is not None and (atx.group(2) or "").strip():
            return _Heading(len(atx.group(1)), atx.group(2).strip())
    following = lines[index + 1].lstrip(" \t")[:1] if index + 1 < len(lines) else ""
    if following and following in _UNDERLINE_CHARS and line[:1].strip() and _UNDERLINE.match(lines[index + 1]):
        underline = lines[index + 1].strip()
        if len(underline) >= len(line.strip()) or underline[0] in "=-":
            return _Heading({"=": 1, "-": 2}.get(underline[0], 3), line.strip().strip("*_"))
    return None


class _Scanner:
    def __init__(self, lines: Sequence[str], rst: bool, wanted: Callable[[str], bool]) -> None:
        self.source = lines
        self.rst = rst
        self.wanted = wanted
        self.roll = Roll()
        self.headings: list[_Heading] = []
        self.topics = False  # inside an agenda-like section
        self.speakers: list[tuple[int, str]] = []  # (indent, name) of speaker labels above
        self.parents: list[tuple[int, str, int]] = []  # (indent, text, line) of list items above

    def lines(self) -> Iterator[Line]:
        skip_until = -1
        fence: Optional[str] = None
        literal: Optional[int] = None  # indentation a code / literal block needs
        comment = False
        previous_blank = True
        list_indent: Optional[int] = None
        for index, raw in enumerate(self.source):
            if index <= skip_until:
                continue
            stripped = raw.strip()
            indent = len(raw) - len(raw.lstrip(" \t"))
            if fence is not None:
                if stripped.startswith(fence):
                    fence = None
                continue
            if comment:
                comment = "-->" not in raw
                continue
            if not stripped:
                previous_blank = True
                continue
            if literal is not None and indent >= literal:
                continue
            literal = None
            opened = _FENCE.match(raw)
            if opened:
                fence = opened.group(1)
                continue
            if stripped.startswith("<!--"):
                comment = "-->" not in stripped
                continue
            heading = _heading_at(self.source, index)
            if heading is not None:
                self._enter(heading)
                skip_until = index if _ATX.match(raw) else index + 1
                previous_blank = True
                continue
            code_indent = (list_indent if list_indent is not None else 0) + 4
            if previous_blank and indent >= code_indent and not self.rst and not _BULLET.match(stripped):
                literal = code_indent  # an indented code block
                continue
            if self.rst and previous_blank and indent > 0 and list_indent is None:
                literal = indent  # a reStructuredText block quote
                continue
            bullet = _BULLET.match(stripped)
            if bullet:
                list_indent = indent + bullet.end()
            elif previous_blank and indent == 0:
                list_indent = None
            previous_blank = False
            if self.rst and (stripped.endswith("::") or _DIRECTIVE.match(raw)):
                literal = indent + 1
            found = self._line(index, raw, indent, stripped)
            if found is not None:
                yield found

    def _enter(self, heading: _Heading) -> None:
        while self.headings and self.headings[-1].level >= heading.level:
            self.headings.pop()
        self.headings.append(heading)
        self.roll.heading(heading.title)
        # Only the entries right under "Agenda": a topic heading inside it holds discussion.
        self.topics = bool(is_agenda(heading.title) or _LATER.search(heading.title))
        self.speakers, self.parents = [], []

    def _line(self, index: int, raw: str, indent: int, stripped: str) -> Optional[Line]:
        bullet = _BULLET.match(stripped)
        body = stripped[bullet.end():] if bullet else stripped
        while self.speakers and self.speakers[-1][0] >= indent and (bullet or indent == 0):
            self.speakers.pop()
        while self.parents and self.parents[-1][0] >= indent and bullet:
            self.parents.pop()
        parent, parent_line = (self.parents[-1][1], self.parents[-1][2]) if self.parents else (None, None)
        tag = speaker_tag(body)
        self.roll.line(stripped, body, tag)
        if bullet:
            self.parents.append((indent, tag[1] if tag else body, index + 1))
        speaker = self.speakers[-1][1] if self.speakers else None
        if tag is not None:
            speaker, body = tag
            if not body.strip(" *_"):
                self.speakers.append((indent, speaker))  # a speaker label: the lines below are theirs
                return None
        if not self.wanted(body) or body.startswith(">") or _TABLE.match(body) or _TASK.match(body) or self._is_tag(body):
            return None
        if self.topics and parent is None:
            return None  # an agenda entry; the discussion nested under it is read
        section = tuple(h.title for h in self.headings)
        in_list = bullet is not None or bool(self.parents)
        addressed = speaker if tag is not None and PLAIN_TAG.match(stripped[bullet.end():] if bullet else stripped) else None
        more = self._continuation(index, body)
        return Line(index + 1, body, speaker, section, parent, in_list, more, addressed, tag is not None, parent_line)

    def _continuation(self, index: int, body: str) -> str:
        """Up to three following lines of the same paragraph, while the sentence has not ended."""
        parts: list[str] = []
        text = body.rstrip()
        for raw in self.source[index + 1 : index + 4]:
            stripped = raw.strip()
            if text.endswith((".", "!", "?", ":")) or not stripped or _BULLET.match(stripped) or stripped[:1] in "#>|`~<":
                break
            if speaker_tag(stripped) is not None:
                break  # the next speaker
            parts.append(stripped)
            text = stripped
        return " ".join(parts)

    @staticmethod
    def _is_tag(body: str) -> bool:
        bare = body.lstrip("*_ ")
        return bool(_MEETBOT_TAG.match(bare) and re.match(r"[#!]?\w+\s*:", bare)) or bool(_DECISION.match(bare))
