"""The commands used between meetings: ``annotate`` (writes notes) and ``agenda`` (reads the tracker)."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence, TextIO

from notes2tickets.config import Settings
from notes2tickets.errors import EXIT_FAILED, EXIT_OK, InputError
from notes2tickets.extract import extract_file
from notes2tickets.state.lock import state_path
from notes2tickets.state.store import StateRow, StateStore
from notes2tickets.sync import annotate


def annotate_paths(*, settings: Settings, paths: Sequence[str], dry_run: bool, out: TextIO, err: TextIO) -> int:
    """Annotate each file; a file that cannot be annotated is refused (one line) and the others go on."""
    project = settings.require_project()
    with StateStore.open_readonly(state_path(settings)) as store:
        rows = [r for r in store.rows(settings.url, project) if r.status == "filed"]
    failed = False
    for path in paths:
        try:
            out.write(_annotate_one(settings, Path(path), rows, dry_run=dry_run))
        except InputError as exc:
            err.write(f"error: {exc}\n")
            failed = True
    return EXIT_FAILED if failed else EXIT_OK


def _annotate_one(settings: Settings, path: Path, rows: Sequence[StateRow], *, dry_run: bool) -> str:
    items = extract_file(path, options=settings.extract)
    here = _relative(settings, path)
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    lines = [body for body, _ in annotate.split_keepends(text)]
    filed = {r.fingerprint: r for r in rows}
    insertions = annotate.plan_insertions(
        lines, items, filed=filed, from_file=[r for r in rows if r.path == here],
        links=settings.annotate_links, where=str(path),
    )
    if not insertions:
        return f"{path}: nothing to annotate\n"
    new = annotate.apply(text, insertions)
    refs = ", ".join(f"#{i.issue_id}" for i in insertions)
    if dry_run:
        return annotate.diff(str(path), text, new) + f"{path}: would annotate {len(insertions)} item(s) ({refs})\n"
    annotate.replace_file(path, new.encode("utf-8"))
    return f"{path}: annotated {len(insertions)} item(s) ({refs})\n"


def _relative(settings: Settings, path: Path) -> str:
    try:
        return path.resolve().relative_to(settings.root.resolve()).as_posix()
    except ValueError:
        return str(path.resolve())

