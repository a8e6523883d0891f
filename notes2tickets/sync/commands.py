"""``sync``, ``status`` and ``state rebuild``: notes → items → plan → tracker → state.

The remote is consulted only when some item is not already decided by the
notes or by state, so a re-run over fully filed notes sends no request.
"""

from __future__ import annotations

from typing import Optional, Sequence, TextIO

from notes2tickets.config import Settings
from notes2tickets.errors import EXIT_FAILED, EXIT_OK, ConfigError
from notes2tickets.state.lock import state_path
from notes2tickets.state.store import StateStore
from notes2tickets.sync import report
from notes2tickets.sync.context import NO_TOKEN, known_rows, parse_reported
from notes2tickets.sync.plan import Plan, make_plan


def notes_files(settings: Settings, paths: Sequence[str], changed_since: Optional[str]) -> list[str]:
    """The PATHs given, the notes changed since REV, or every file matching the configured globs."""
    if changed_since:
        from notes2tickets.git.changes import changed_since as changed, select_notes

        picked = select_notes(changed(root=settings.root, rev=changed_since), root=settings.root, globs=settings.notes)
        return [str(p) for p in picked]
    if paths:
        return list(paths)
    found = sorted({p for pattern in settings.notes for p in settings.root.glob(pattern) if p.is_file()})
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
) -> int:
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
            force=force, fmt=fmt, out=out, err=err,
        )
    from notes2tickets.sync.filerun import file_run

    return file_run(
        settings, files, include_done=include_done, force=force, fmt=fmt, out=out, err=err, hook=hook,
        include_suggested=include_suggested,
    )


def _preview(
    settings: Settings, files: Sequence[str], *, offline: bool, include_done: bool, include_suggested: bool, force: bool,
    fmt: str, out: TextIO, err: TextIO,
) -> int:
    """The dry run: the same plan as the real run, read-only GETs at most, nothing written anywhere.

    Suggestions not filed are listed apart, so people see what ``ACTION:`` would add.
    """
    result = parse_reported(files, settings, err, include_suggested=include_suggested)
    project = settings.project
    with StateStore.open_readonly(state_path(settings)) as store:
        known = known_rows(store, settings.url, project)
        plan = make_plan(result.items, known=known, remote=None, include_done=include_done, force=force, threshold=settings.duplicate_threshold)
        note = _remote_note(settings, offline, plan)
        if project and settings.token and not offline and plan.to_file():
            from notes2tickets.sync.filerun import horizon_of, read_mirror

            refs = read_mirror(settings, store, project, horizon=lambda: horizon_of(settings, plan), err=err)
            plan = make_plan(result.items, known=known, remote=refs, include_done=include_done, force=force, threshold=settings.duplicate_threshold)
            note = f"dry run: remote check done on {settings.url} ({project}); nothing was written"
    if fmt == "json":
        out.write(report.plan_json(plan, note=note, suggestions=result.suggestions))
    else:
        out.write(report.plan_text(plan, note=note, suggestions=result.suggestions))
    return EXIT_FAILED if result.errors else EXIT_OK


def _remote_note(settings: Settings, offline: bool, plan: Plan) -> str:
    if not settings.project:
        return "dry run: no project set (--project or $PAGURE_PROJECT), so state and remote checks were skipped"
    if not plan.to_file():
        return "dry run: every item is decided by the notes or by state; nothing was written"
    why = "--offline" if offline else f"no token ({NO_TOKEN} to check the tracker too)"
    return f"dry run: remote check skipped ({why}); state-only dedup; nothing was written"


def show_status(*, settings: Settings, fmt: str, out: TextIO) -> int:
    with StateStore.open_readonly(state_path(settings)) as store:
        rows = store.rows(settings.url if settings.project else None, settings.project)
    out.write(report.rows_json(rows) if fmt == "json" else report.rows_text(rows))
    return EXIT_OK


def rebuild_state(*, settings: Settings, out: TextIO, err: TextIO) -> int:
    from notes2tickets.sync.filerun import rebuild

    return rebuild(settings, state_path(settings), out=out, err=err)
