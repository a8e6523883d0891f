"""Reading the lines of one paragraph: numbered rows, lazy continuations, speaker tags, owned actions.

Pure helpers of the Markdown walker: they see a block's text and the source
lines, never the walker's state.
"""

from __future__ import annotations

import re
from typing import Optional, Sequence

from .metadata import is_token_line
from .syntax import OWNS_ACTION, STATUS_SUFFIX, is_action_heading

# "**SH:** text", "**SH**: text": a speaker tag opening a line.
SPEAKER = re.compile(r"[ \t]*(?:\*\*|__)[^*_\n]{1,40}?(?::(?:\*\*|__)|(?:\*\*|__)[ \t]*:)[ \t]+\S")
_SPEAKER_LEAD = re.compile(r"^[ \t]*(?:\*\*|__)?[A-Z][\w .'-]{0,30}?(?:\*\*|__)?:[ \t]+")
_WORDS_BEFORE = re.compile(r"\w.*\w.*[(\[]")  # a status needs words before it
_NUMBERED = re.compile(r"[ \t]*\d{1,9}[.)][ \t]+(?=\S)")
_SENTENCE_END = (".", "!", "?")


def has_status(text: str) -> bool:
    """"Rebuild the board (todo)", "Ask infra (done: agreed)": a status at the end marks an item."""
    return ")" in text[-3:] and STATUS_SUFFIX.search(text) is not None and bool(_WORDS_BEFORE.search(text))


def continues(previous: str, row: str) -> bool:
    """A wrapped line continues an item; a new sentence after a full stop does not."""
    stripped = row.strip()
    if not stripped:
        return False
    if is_token_line(stripped):
        return True  # "ACTION: fix the mirror" then "Owner: bob"
    return not previous.rstrip().endswith(_SENTENCE_END) and (stripped[0].islower() or row[:1] in " \t")


def lazy_tail(text: str, lines: Sequence[str], line: int) -> tuple[str, str]:
    """A list item's text and the unindented lines after a finished sentence (a lazy continuation:
    "- Follow up on the UI." then "[Minutes](…) on GitHub." is the item, then a remark)."""
    if ".\n" not in text and "!\n" not in text and "?\n" not in text:
        return text, ""  # cheap: no finished sentence before a line break
    rows = text.split("\n")
    for offset in range(1, min(len(rows), len(lines) - line)):
        if lines[line + offset][:1] not in (" ", "\t") and rows[offset - 1].rstrip().endswith(_SENTENCE_END):
            return "\n".join(rows[:offset]), "\n".join(rows[offset:]).strip()
    return text, ""


def owned_action(text: str) -> Optional[tuple[str, str]]:
    """"Ryan: new channels then. Mara owns the action item." → ("new channels then.", "Mara"), else None."""
    first = text.strip().split("\n")[0]
    owns = OWNS_ACTION.search(first)
    if owns is None or not first[: owns.start()].strip(" \t.;"):
        return None
    words = _SPEAKER_LEAD.sub("", first[: owns.start()], count=1)
    return words, (owns.group("owner") or owns.group("for")).strip()


def numbered_rows(text: str, lines: Sequence[str], line: int, phrases: Sequence[str]) -> Optional[list[tuple[int, str]]]:
    """"**Action items:**" with "7. task" rows below it in the same paragraph (a nested ordered list whose
    numbering continues is a paragraph to CommonMark): (offset, text) of each row at the list's depth."""
    if "\n" not in text or not text.lstrip().startswith(("**", "__")):
        return None  # cheap: no bold line with rows below it
    rows = text.strip().split("\n")
    if len(rows) < 2 or not _NUMBERED.match(rows[1]):
        return None
    head = rows[0].strip()
    bold = head.startswith(("**", "__")) and head.rstrip(":").endswith(("**", "__"))
    if not bold or not is_action_heading(head.strip("*_: \t"), phrases):
        return None
    depths = [_depth(lines[line + offset]) if line + offset < len(lines) else 0 for offset in range(1, len(rows))]
    top = min(depth for depth, row in zip(depths, rows[1:]) if _NUMBERED.match(row))
    found = []
    for offset, (depth, row) in enumerate(zip(depths, rows[1:]), start=1):
        number = _NUMBERED.match(row)
        if number and depth == top:
            found.append((offset, row[number.end():]))
    return found


def _depth(row: str) -> int:
    return len(row) - len(row.lstrip(" \t"))
