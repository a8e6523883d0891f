"""``annotate``: write each filed item's ticket reference into the notes, changing nothing else.

The reference goes right after the item's text on the item's first line
(inside the action cell for a table row). Every other byte stays: line endings,
trailing spaces, a BOM. The new file is written next to the old one and renamed
over it, so a crash leaves either the old or the new file, never half of one.
"""

from __future__ import annotations

import difflib
import glob
import os
import re
import tempfile
from contextlib import suppress
from pathlib import Path
from typing import Mapping, NamedTuple, Optional, Sequence

from notes2tickets.errors import InputError
from notes2tickets.extract import normalise_title
from notes2tickets.model import ActionItem
from notes2tickets.state.store import StateRow

_LINE = re.compile(r"([^\r\n]*)(\r\n|\r|\n|$)")
_CELL = re.compile(r"(?<!\\)\|")
_TMP_SUFFIX = ".n2t-tmp"


class Insertion(NamedTuple):
    line: int  # 1-based
    column: int  # offset in the line's text (line ending excluded)
    text: str
    issue_id: int


def reference(issue_id: int, url: Optional[str], *, links: bool) -> str:
    return f" ([#{issue_id}]({url}))" if links and url else f" (#{issue_id})"


def plan_insertions(
    lines: Sequence[str],
    items: Sequence[ActionItem],
    *,
    filed: Mapping[str, StateRow],
    from_file: Sequence[StateRow],
    links: bool,
    where: str,
) -> list[Insertion]:
    """Pure: where each untracked, filed item gets its reference; InputError if a filed item left the file."""
    present = {i.fingerprint for i in items}
    for row in from_file:
        if row.fingerprint not in present:
            raise InputError(
                f"{where}:{row.line}: the line no longer holds {row.title!r} (filed as #{row.issue_id}): "
                "the file changed since; nothing was written, add the reference by hand"
            )
    out: list[Insertion] = []
    done_lines: set[int] = set()
    for item in items:
        known = filed.get(item.fingerprint)
        if known is None or known.issue_id is None or item.tracked is not None or item.line in done_lines:
            continue
        done_lines.add(item.line)
        text = lines[item.line - 1]
        ref = reference(known.issue_id, known.issue_url, links=links)
        out.append(Insertion(item.line, _column(text, item.title), ref, known.issue_id))
    return out


def _column(text: str, title: str) -> int:
    """End of the item's text: before trailing spaces, or at the end of a table row's action cell."""
    if not text.lstrip().startswith("|"):
        return len(text.rstrip(" \t"))
    bounds = [m.start() for m in _CELL.finditer(text)]
    cells = [(a + 1, b) for a, b in zip(bounds, bounds[1:])]
    wanted = normalise_title(title)
    start, end = max(cells, key=lambda c: difflib.SequenceMatcher(None, normalise_title(text[c[0]:c[1]]), wanted).ratio())
    return start + len(text[start:end].rstrip(" \t"))


def split_keepends(text: str) -> list[tuple[str, str]]:
    """(text, ending) per line, splitting on LF, CRLF and CR as the extractor numbers lines."""
    parts = [(m.group(1), m.group(2)) for m in _LINE.finditer(text)]
    if parts and parts[-1] == ("", ""):
        parts.pop()
    return parts


def apply(text: str, insertions: Sequence[Insertion]) -> str:
    parts = split_keepends(text)
    by_line = {i.line: i for i in insertions}
    out = []
    for number, (body, ending) in enumerate(parts, start=1):
        ins = by_line.get(number)
        out.append(body if ins is None else body[: ins.column] + ins.text + body[ins.column:])
        out.append(ending)
    return "".join(out)


def diff(path: str, old: str, new: str) -> str:
    return "".join(difflib.unified_diff(old.splitlines(True), new.splitlines(True), f"a/{path}", f"b/{path}"))


def replace_file(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file in the same folder, fsync it, rename it over ``path``."""
    mode = path.stat().st_mode & 0o7777
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*{_TMP_SUFFIX}"):
        with suppress(OSError):
            stale.unlink()  # left by a run killed before its rename
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=_TMP_SUFFIX, dir=str(path.parent))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise
