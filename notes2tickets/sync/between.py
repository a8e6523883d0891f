"""The commands used between meetings: ``annotate`` (writes notes) and ``agenda`` (reads the tracker)."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Optional, Sequence, TextIO

from notes2tickets.config import Settings
from notes2tickets.errors import EXIT_FAILED, EXIT_OK, InputError, TrackerError, UsageError
from notes2tickets.extract import extract_file
from notes2tickets.model import ActionItem, RemoteRef
from notes2tickets.state.lock import state_path
from notes2tickets.state.store import StateRow, StateStore
from notes2tickets.sync import agenda as agenda_block, annotate
from notes2tickets.sync.commands import notes_files
from notes2tickets.sync.context import parse_reported
from notes2tickets.sync.output import Output

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


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



def agenda(*, settings: Settings, paths: Sequence[str], since: Optional[str], fmt: str, out: TextIO, err: TextIO) -> int:
    """Print last meeting's items with their tickets' status; GETs only, state is only read."""
    if since is not None and not _ISO_DATE.fullmatch(since):
        raise UsageError(f"--since {since!r} is not a date: write it as YYYY-MM-DD")
    project = settings.require_project()
    result = parse_reported(notes_files(settings, paths, None), settings, Output(out, err), list_suggestions=False)
    items = agenda_block.pick_meetings(result.items, since)
    with StateStore.open_readonly(state_path(settings)) as store:
        rows = store.rows(settings.url, project)
        ticket_of = {r.fingerprint: (r.issue_id, r.issue_url or "") for r in rows if r.status == "filed" and r.issue_id}
        refs, closed_at, note = _status(settings, store, project, items, ticket_of, err)
    found = agenda_block.entries(items, ticket_of=ticket_of, remote={r.id: r for r in refs}, closed_at=closed_at)
    if fmt == "json":
        out.write(agenda_block.as_json(found, note=note))
    else:
        out.write(agenda_block.markdown(found))
        err.write(f"note: {note}\n")
    return EXIT_FAILED if result.errors else EXIT_OK


def _status(
    settings: Settings, store: StateStore, project: str, items: Sequence[ActionItem],
    ticket_of: dict[str, tuple[int, str]], err: TextIO,
) -> tuple[list[RemoteRef], dict[int, float], str]:
    """The tracker's view, refreshed incrementally in memory; the state's copy without a token or network."""
    from notes2tickets.sync.filerun import client_for
    from notes2tickets.sync.mirror import Mirror

    if settings.token:
        try:
            client = client_for(settings, need_token=False)
            refs = Mirror(client=client, store=store, url=settings.url, project=project, writable=False).refresh()
            wanted = {t[0] for t in ticket_of.values()} | {i.tracked for i in items if i.tracked is not None}
            closed = {r.id: client.get_issue(r.id).closed_at for r in refs if r.id in wanted and not r.open}
            return refs, {k: v for k, v in closed.items() if v is not None}, f"status from {settings.url} ({project}), read now"
        except TrackerError as exc:
            err.write(f"warning: cannot read the tracker ({exc}); using the copy in state\n")
    seen = store.get_meta(settings.url, project, "remote_last_updated")
    note = agenda_block.age_note(float(seen) if seen else None, time.time())
    return store.remote_refs(settings.url, project), {}, note
