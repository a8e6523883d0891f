"""Action items in Markdown notes, found by walking mistune's block tokens once.

Only block-level parsing runs over the whole file; inline parsing (the costly
half of mistune) runs on headings and on the items found, not on every
paragraph.
"""

from __future__ import annotations

import re
from typing import Any, Callable, NamedTuple, Optional

import mistune
from mistune.core import BlockState

from notes2tickets.model import ExtractOptions

from .dedup import GROUPED, LISTED, MARKED
from .items import Candidate
from .labels import ACTIONS, OPTIONS, OWNERS, Label, framed_label_owners, read_label
from .plain import PlainText, to_plain
from .positions import LineLocator
from .rows import SPEAKER, continues, has_status, lazy_tail, numbered_rows, owned_action
from .render import describe_code, describe_html, indent
from .tables import read_table
from .syntax import (
    SENTENCE_MARKER,
    TASK_BOX,
    is_action_heading,
    is_agenda,
    is_by_person,
    is_exact_action_heading,
    match_marker,
)

PLUGINS = ("strikethrough",)
_MD = mistune.create_markdown(renderer=None, plugins=list(PLUGINS))
_TEXT = ("paragraph", "block_text")
# Characters that can start inline markup; text without them is already plain.
_MARKUP = re.compile(r"[\\`*_\[\]<>&~]")


class MarkdownScan(NamedTuple):
    """The candidates of one document, its first H1, and its inline converter."""

    candidates: list[Candidate]
    h1: Optional[str]
    to_plain: Callable[[str], PlainText]


def scan_markdown(lines: list[str], options: ExtractOptions) -> MarkdownScan:
    """Parse the blocks of ``lines`` once and collect the action-item candidates."""
    state = BlockState()
    state.process("\n".join(lines) + "\n")
    _MD.block.parse(state)
    env = state.env

    def plain(raw: str) -> PlainText:
        raw = raw.strip()
        if _MARKUP.search(raw) is None:
            return PlainText(raw, (), False)  # nothing inline to interpret
        return to_plain(_MD.inline(raw, env))

    walker = _Walker(lines, options, plain)
    walker.blocks(state.tokens)
    return MarkdownScan(walker.found, walker.h1, plain)


class _Context(NamedTuple):
    """Where a list sits: inside an action section, a by-person block, owner labels."""

    action: bool = False
    by_person: bool = False
    owners: tuple[str, ...] = ()
    default_owners: tuple[str, ...] = ()  # a HackMD "[name=X]" section: X unless the item names someone
    options: bool = False  # under "possible actions:": marked lines are options, not items


_NOWHERE = _Context()  # an item outside any action list: shared, as a context is never changed
_SECTION_CONTEXTS = {(action, by_person): _Context(action=action, by_person=by_person)
                     for action in (False, True) for by_person in (False, True)}


class _Walker:
    def __init__(self, lines: list[str], options: ExtractOptions, plain: Callable[[str], PlainText]) -> None:
        self.loc = LineLocator(lines)
        self.options = options
        self.plain = plain
        self.found: list[Candidate] = []
        self.h1: Optional[str] = None
        self.headings: list[tuple[int, str]] = []
        self.action_level: Optional[int] = None
        self.by_person = False
        self.agenda_level: Optional[int] = None
        self.pseudo: Optional[str] = None  # a bold "**Action items:**" line in force

    # -- document level -------------------------------------------------
    def blocks(self, tokens: list[dict[str, Any]]) -> None:
        for token in tokens:
            kind = token["type"]
            if kind == "heading":
                self._heading(token)
            elif kind == "paragraph":
                self._paragraph(token["text"])
            elif kind == "list":
                self._list(token, self._section_context())
            elif kind != "blank_line":
                self.pseudo = None
                self._locate_only(token)

    def _section_context(self) -> _Context:
        in_section = self.action_level is not None or self.pseudo is not None
        by_person = self.by_person or (self.pseudo is not None and is_by_person(self.pseudo))
        return _SECTION_CONTEXTS[in_section and self.options.action_sections, by_person]

    def _heading(self, token: dict[str, Any]) -> None:
        text = token["text"]
        if token.get("style") == "setext":
            self.loc.text_block(text)
        else:
            self.loc.atx_heading(text)
        title = self.plain(text).text.strip()
        level = token["attrs"]["level"]
        while self.headings and self.headings[-1][0] >= level:
            self.headings.pop()
        self.headings.append((level, title))
        if level == 1 and self.h1 is None:
            self.h1 = title
        self._enter_section(level, title)

    def _enter_section(self, level: int, title: str) -> None:
        self.pseudo = None
        if self.action_level is not None and level <= self.action_level:
            self.action_level = None
        if self.agenda_level is not None and level <= self.agenda_level:
            self.agenda_level = None
        if is_action_heading(title, self.options.section_headings):
            self.action_level, self.by_person = level, is_by_person(title)
        elif is_agenda(title):
            self.agenda_level = level

    def _paragraph(self, text: str) -> None:
        line = self.loc.text_block(text)
        rows = text.strip().split("\n")
        label = self._pseudo_heading(rows[0], alone=len(rows) == 1)
        if label is None:
            self.pseudo = None
            in_section = self._section_context().action
            if not self._table(rows, line, in_section=in_section):
                self._marker_lines(rows, line, skip_first=False, speakers=in_section)
            return
        self.pseudo = label
        if self.options.action_sections and not self._table(rows[1:], line + 1, in_section=True):
            # "Action items:" with the items on the following lines, no bullets
            for offset, row in enumerate(rows[1:], start=1):
                if row.strip():
                    self._add(row, line + offset, rest=[], context=_Context(action=True))

    def _table(self, rows: list[str], line: int, *, in_section: bool) -> bool:
        """A table of action items (one per row); False when the rows are no such table."""
        if not self.options.action_sections or self.agenda_level is not None:
            return False
        table = read_table(rows, in_action_section=in_section)
        if table is None:
            return False
        for row in table:
            context = _Context(action=True, owners=row.owners)
            self._add(row.raw, line + row.offset, [], context, done=row.done, description=row.notes)
        return True

    def _pseudo_heading(self, row: str, *, alone: bool = False) -> Optional[str]:
        """The heading text of a line like ``**Action items:**`` (or a plain ``Action items`` paragraph), else None."""
        bare = row.strip()
        core = bare.strip("*_ \t")
        framed = core != bare.strip(" \t") or core.endswith(":") or alone
        core = core.rstrip(":*_ \t")
        if not framed or not core or not is_exact_action_heading(core, self.options.section_headings):
            return None
        return core

    def _section(self) -> tuple[str, ...]:
        path = tuple(title for _, title in self.headings)
        return path + (self.pseudo,) if self.pseudo else path

    # -- lists and items ----------------------------------------------------
    def _list(self, token: dict[str, Any], context: _Context) -> None:
        for item in token["children"]:
            self._item(item.get("children", []), context)

    def _item(self, children: list[dict[str, Any]], context: _Context) -> None:
        if not children:
            return
        first = children[0]
        if first["type"] not in _TEXT:
            self._inner(children, _NOWHERE)
            return
        text = first["text"]
        line = self.loc.text_block(text)
        rest = children[1:]
        wrapped = text.find("\n", 0, len(text) - 1) >= 0  # mistune ends the text with a newline
        text, tail = lazy_tail(text, self.loc.lines, line) if wrapped else (text, "")
        task = TASK_BOX.match(text)
        if task and self.options.task_lists and self.agenda_level is None:
            self._add(text[task.end():], line, rest, context, done=task.group(1) != " ", subtasks=True, lead=tail)
        elif self._is_marked(text) and not context.options:
            self._add(text, line, rest, context, lead=tail)
        elif self.options.markers and "ction" in text and self._owned_action(text, line, rest, context):
            return
        elif rest and any(child["type"] == "list" for child in rest) and self._group(text, rest, context):
            return
        elif wrapped and self._numbered_rows(text, line, context):
            self._inner(rest, _Context(default_owners=context.default_owners))
        elif context.action:
            self._add(text, line, rest, context, lead=tail)
        else:
            if wrapped and not context.options:  # a one-line item has no later lines to look at
                self._marker_lines(text.strip().split("\n"), line, skip_first=True)
            if rest:
                self._inner(rest, _Context(default_owners=context.default_owners, options=context.options))

    def _group(self, text: str, rest: list[dict[str, Any]], context: _Context) -> bool:
        """Handle an item that only labels the list below it; False when it is no label."""
        phrases = self.options.section_headings
        bare = text.strip().strip("*_ \t")
        if context.action and context.by_person and "\n" not in bare:
            person = (bare.rstrip(":*_ \t"),) if _is_person(bare) else ()
            self._inner(rest, _Context(action=True, owners=person))
            return True
        label = read_label(text, phrases, in_action=context.action)
        if label is None and context.action:
            owners = framed_label_owners(text)  # "**Anna and Bob:**" over their tasks
            label = None if owners is None else Label(ACTIONS, owners)
        if label is None or (label.kind == ACTIONS and not self.options.action_sections):
            return False
        default = context.default_owners
        if label.kind == ACTIONS:
            by_person = is_by_person(bare)
            self._inner(rest, _Context(action=True, by_person=by_person, owners=label.owners, default_owners=default))
        elif label.kind == OWNERS:
            self._inner(rest, _Context(action=context.action, default_owners=label.owners))
        else:  # options or agenda topics: what is below is no action list
            self._inner(rest, _Context(options=label.kind == OPTIONS, default_owners=default))
        return True

    def _owned_action(self, text: str, line: int, rest: list[dict[str, Any]], context: _Context) -> bool:
        """"Ryan: new channels then. Mara owns the action item.": an item for Mara."""
        owned = owned_action(text)
        if owned is not None:
            self._add(owned[0], line, rest, context._replace(owners=context.owners + (owned[1],)))
        return owned is not None

    def _numbered_rows(self, text: str, line: int, context: _Context) -> bool:
        """The numbered rows of a bold action line's paragraph are items (see ``rows.numbered_rows``)."""
        if not self.options.action_sections:
            return False
        found = numbered_rows(text, self.loc.lines, line, self.options.section_headings)
        inner = _Context(action=True, default_owners=context.default_owners)
        for offset, row in found or ():
            self._add(row, line + offset, [], inner)
        return found is not None

    def _is_marked(self, text: str) -> bool:
        if not self.options.markers:
            return False
        match = match_marker(text)
        if match is None:
            return ")" in text[-3:] and has_status(text)
        return bool(text[match.end():].strip().strip("*_"))

    def _add(
        self, raw: str, line: int, rest: list[dict[str, Any]], context: _Context, *, done: bool = False,
        description: str = "", subtasks: bool = False, lead: str = "",
    ) -> None:
        line = min(line, len(self.loc.lines) - 1)  # out-of-order mistune blocks: stay in the file
        index = len(self.found)  # nested items the description holds come after this one
        described = (self._describe(rest, subtasks=subtasks) if rest else "") or description
        description = lead + "\n\n" + described if lead and described else lead or described
        in_section = self.action_level is not None or self.pseudo is not None
        rank = (LISTED if in_section else GROUPED) if context.action else MARKED
        self.found.insert(index, Candidate(
            raw, line + 1, self._section(), done, description, context.owners, rank, context.default_owners
        ))

    def _marker_lines(self, rows: list[str], line: int, *, skip_first: bool, speakers: bool = False) -> None:
        """Each line of a paragraph that starts with a marker (in an action section: with a speaker tag such
        as ``**SH:**``) begins an item, and so does a sentence "Action item to …" inside a line."""
        if not self.options.markers:
            return
        current: Optional[list[str]] = None
        start = 0
        for offset, row in enumerate(rows):
            if offset == 0 and skip_first:
                continue
            marked = self._is_marked(row) or (speakers and SPEAKER.match(row) is not None)
            sentence = None if marked or current is not None or "ction" not in row else SENTENCE_MARKER.search(row)
            if marked or sentence:
                if current:
                    self._add("\n".join(current), line + start, [], _NOWHERE)
                current, start = [row[sentence.end():] if sentence else row], offset
            elif current is not None and continues(current[-1], row):
                current.append(row)
            elif current is not None:
                self._add("\n".join(current), line + start, [], _NOWHERE)
                current = None
        if current:
            self._add("\n".join(current), line + start, [], _NOWHERE)

    def _inner(self, blocks: list[dict[str, Any]], context: _Context) -> None:
        """Blocks nested in an item that is not itself an action item."""
        for token in blocks:
            kind = token["type"]
            if kind == "list":
                self._list(token, context)
            elif kind in _TEXT:
                line = self.loc.text_block(token["text"])
                if not context.options:
                    self._marker_lines(token["text"].strip().split("\n"), line, skip_first=False)
            else:
                self._locate_only(token)

    # -- descriptions ---------------------------------------------------------
    def _describe(self, blocks: list[dict[str, Any]], *, subtasks: bool = False) -> str:
        """Markdown of an item's nested blocks; nested marker items (and task items, except under a task)
        become items."""
        parts = [self._describe_block(token, subtasks) for token in blocks]
        return "\n\n".join(part for part in parts if part)

    def _describe_block(self, token: dict[str, Any], subtasks: bool) -> str:
        kind = token["type"]
        if kind in _TEXT:
            self.loc.text_block(token["text"])
            return str(token["text"]).strip()
        if kind == "list":
            return self._describe_list(token, subtasks)
        if kind == "block_quote":
            return indent(self._describe(token["children"]), "> ")
        self._locate_only(token)
        if kind == "block_code":
            return describe_code(token)
        if kind == "block_html":
            return describe_html(token)
        if kind == "heading":
            return "#" * int(token["attrs"]["level"]) + " " + str(token["text"]).strip()
        return ""

    def _describe_list(self, token: dict[str, Any], subtasks: bool) -> str:
        rows: list[str] = []
        start = token["attrs"].get("start", 1)
        for number, item in enumerate(token["children"], start=start):
            children = item.get("children", [])
            first = children[0] if children else None
            if first is not None and first["type"] in _TEXT and self._is_own_item(first["text"], subtasks):
                self._item(children, _NOWHERE)
                continue
            bullet = f"{number}." if token["attrs"].get("ordered") else "-"
            body = self._describe(children, subtasks=subtasks)
            rows.append(bullet + " " + indent(body, " " * (len(bullet) + 1)).lstrip(" "))
        return "\n".join(rows)

    def _is_own_item(self, text: str, subtasks: bool) -> bool:
        """A nested marker item is its own item; a nested task box too, unless it is a task's checklist."""
        if self.options.task_lists and TASK_BOX.match(text):
            return not subtasks
        return self._is_marked(text)

    # -- blocks that are never extracted ------------------------------------
    def _locate_only(self, token: dict[str, Any]) -> None:
        """Move the line cursor past a block (code, HTML, quote, ...) without extracting."""
        kind = token["type"]
        if kind == "block_code":
            if token.get("style") == "fenced":
                self.loc.fenced_code(token.get("marker", "```"), token.get("raw", ""))
            elif token.get("raw", "").strip():
                self.loc.text_block(token["raw"])
        elif kind == "block_html":
            if token.get("raw", "").strip():
                self.loc.text_block(token["raw"])
        elif kind == "heading" and token.get("style") != "setext":
            self.loc.atx_heading(token["text"])
        elif "text" in token:
            if token["text"].strip():
                self.loc.text_block(token["text"])
        for child in token.get("children", ()):
            self._locate_only(child)


def _is_person(label: str) -> bool:
    """By-person labels are nicks or names; "UNASSIGNED" and "(none)" are not."""
    bare = label.strip("()[]* ").lower()
    return bool(bare) and bare not in ("unassigned", "none", "nobody", "n/a", "other", "others")
