"""``sync``, ``status`` and ``state rebuild``: notes → items → plan → tracker → state.

The remote is consulted only when some item is not already decided by the
notes or by state, so a re-run over fully filed notes sends no request.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any, Callable, Optional, Sequence, TextIO

from notes2tickets.config import Settings
from notes2tickets.errors import EXIT_FAILED, EXIT_OK, ConfigError, FatalTrackerError, TrackerError
from notes2tickets.extract.report import suggestions_text
from notes2tickets.model import RemoteRef
from notes2tickets.state import queue
from notes2tickets.state.lock import state_path
from notes2tickets.state.store import StateStore
from notes2tickets.sync import closing, report
from notes2tickets.sync.context import NO_TOKEN, known_rows, parse_reported, relative_source
from notes2tickets.sync.output import Output
from notes2tickets.sync.plan import Known, Plan, make_plan


def notes_files(settings: Settings, paths: Sequence[str], changed_since: Optional[str]) -> list[str]:
    """The PATHs given, the notes changed since REV, or every file matching the configured globs."""
    if changed_since:
        from notes2tickets.git.changes import changed_since as changed, select_notes

        picked = select_notes(changed(root=settings.root, rev=changed_since), root=settings.root, globs=settings.notes)
        return [str(p) for p in picked]
    if paths:
        return list(paths)
    from notes2tickets.git.notesfiles import list_notes

    found = list_notes(settings.root, settings.notes)
    if not found:
        raise ConfigError(f"no notes files match {', '.join(settings.notes)} under {settings.root}: pass PATHs or set 'notes' in the config file")
    return [str(p) for p in found]


def run(
    *,
    settings: Settings,
    paths: Sequence[str],
    changed_since: Optional[str],
    dry_run: bool,
    offline: bool,
    include_done: bool,
    force: bool,
    fmt: str,
    out: TextIO,
    err: TextIO,
    hook: bool = False,
    include_suggested: bool = False,
    verbosity: int = 0,
    colour: bool = False,
    columns: Optional[int] = None,
    read_deadline: Optional[float] = None,
) -> int:
    output = Output(out, err, verbosity=verbosity, colour=colour, columns=columns)
    # From a hook, no PATH means "only the files of rows still pending", never every notes file.
    files = list(paths) if hook else notes_files(settings, paths, changed_since)
    if not files and not hook:
        out.write("no notes files changed\n")
        return EXIT_OK
    # --offline can only preview: filing needs the network. A real run with no project
    # is a config error (exit 2) in file_run, never a silent preview that exits 0.
    if dry_run or offline:
        return _preview(
            settings, files, offline=offline, include_done=include_done, include_suggested=include_suggested,
            force=force, fmt=fmt, output=output, read_deadline=read_deadline,
        )
    from notes2tickets.sync.filerun import file_run

    return file_run(
        settings, files, include_done=include_done, force=force, fmt=fmt, output=output, hook=hook,
        include_suggested=include_suggested,
    )


def _preview(
    settings: Settings, files: Sequence[str], *, offline: bool, include_done: bool, include_suggested: bool, force: bool,
    fmt: str, output: Output, read_deadline: Optional[float] = None,
) -> int:
    """The dry run: the same plan as the real run, read-only GETs at most, nothing written anywhere.

    Suggestions not filed are listed apart, so people see what ``ACTION:`` would add.
    """
    result = parse_reported(files, settings, output, include_suggested=include_suggested)
    project = settings.project
    plan_for = partial(make_plan, result.items, include_done=include_done, force=force, threshold=settings.duplicate_threshold)
    with StateStore.open_readonly(state_path(settings)) as store:
        known = known_rows(store, settings.url, project)
        plan = plan_for(known=known, remote=None)
        note = _remote_note(settings, offline, plan)
        to_close = settings.close_done and closing.wants_remote(plan, known)
        refs = store.remote_refs(settings.url, project) if project else []
        if project and settings.token and not offline and (plan.to_file() or to_close):
            try:
                plan, note, refs = _with_remote(settings, store, project, plan_for, known, output, read_deadline)
            except TrackerError as exc:
                if isinstance(exc, FatalTrackerError) or not _network_trouble(exc):
                    raise
                output.warn(f"{exc}; showing the state-only plan instead")
                note = "dry run: remote check skipped, the tracker could not be reached; state-only dedup; nothing was written"
        if to_close and project:
            plan = closing.add_closes(plan, known=known, remote=refs, closes=store.closes(settings.url, project))
    source = relative_source(settings)
    rows = report.entries(plan)
    if fmt == "json":
        output.out.write(report.to_json(
            rows, plan, source=source, dry_run=True, warnings=output.warnings, suggestions=result.suggestions
        ))
    else:
        table = report.table_text(rows, source=source, total=output.columns, colour=output.colour, tags=output.verbosity > 0)
        data = report.summary(rows, plan, dry_run=True)
        output.out.write(f"{table}\n{report.summary_text(data)}\n")
        if output.verbosity >= 0:
            output.out.write(note + "\n")
        if result.suggestions:
            output.out.write("\n" + suggestions_text(result.suggestions))
    return EXIT_FAILED if result.errors else EXIT_OK


def _with_remote(
    settings: Settings, store: StateStore, project: str, plan_for: Callable[..., Plan], known: dict[str, Known], output: Output,
    read_deadline: Optional[float] = None,
) -> tuple[Plan, str, list[RemoteRef]]:
    """The plan against the tracker's issues, and the owners the tracker does not know, before anything is filed."""
    from notes2tickets.sync.filerun import client_for, horizon_of, read_mirror
    from notes2tickets.sync.owners import describe, unknown_owners

    def horizon() -> Optional[float]:  # done items to close may have older issues: then the whole tracker
        return None if settings.close_done else horizon_of(settings, plan_for(known=known, remote=None))

    refs = read_mirror(settings, store, project, read_deadline=read_deadline, horizon=horizon)
    plan = plan_for(known=known, remote=refs)
    client = client_for(settings, need_token=False, read_deadline=read_deadline)
    for owner in unknown_owners([d.item for d in plan.to_file()], client, relative_source(settings)):
        output.warn(describe(owner, settings))
    return plan, f"dry run: remote check done on {settings.url} ({project}); nothing was written", refs


def _network_trouble(exc: TrackerError) -> bool:
    """No answer at all, or the server failing: the dry run can still show the state-only plan."""
    return exc.status is None or exc.status >= 500


def _remote_note(settings: Settings, offline: bool, plan: Plan) -> str:
    if not settings.project:
        return "dry run: no project set (--project or $PAGURE_PROJECT), so state and remote checks were skipped"
    if not plan.to_file():
        return "dry run: every item is decided by the notes or by state; nothing was written"
    if offline:
        return "dry run: remote check skipped with --offline; state-only dedup; nothing was written"
    return f"dry run: remote check skipped, no token: {NO_TOKEN} to check the tracker too; state-only dedup; nothing was written"


def show_status(*, settings: Settings, fmt: str, out: TextIO, columns: Optional[int] = None, colour: bool = False) -> int:
    path = state_path(settings)
    with StateStore.open_readonly(path) as store:
        rows = store.rows(settings.url if settings.project else None, settings.project)
    if fmt == "json":
        out.write(report.rows_json(rows, background=_background(path)))
    else:
        out.write(report.rows_text(rows, total=columns, colour=colour) + _background_text(_background(path)))
    return EXIT_OK


def _background(path: Path) -> dict[str, Any]:
    """What the git hook left to the background: a worker running now, queued runs, the last worker's report."""
    last = queue.last_report(path)
    return {
        "worker_pid": queue.worker_pid(path),
        "queued": queue.waiting(path),
        "log": str(queue.log_path(path)),
        "last_report": None if last is None else {"when": last[0], "text": last[1]},
    }


def _background_text(background: dict[str, Any]) -> str:
    lines = []
    if background["worker_pid"] is not None:
        lines.append(f"background: filing now (pid {background['worker_pid']}; log: {background['log']})")
    if background["queued"]:
        lines.append(f"background: {background['queued']} git hook run(s) queued, not filed yet (log: {background['log']})")
    last = background["last_report"]
    if last is not None:
        lines.append(f"last background filing ({last['when']}):")
        lines.extend(f"  {line}" for line in last["text"].splitlines())
    return "".join(f"{line}\n" for line in lines)


def rebuild_state(*, settings: Settings, out: TextIO, err: TextIO) -> int:
    from notes2tickets.sync.filerun import rebuild

    return rebuild(settings, state_path(settings), out=out, err=err)
