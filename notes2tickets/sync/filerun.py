"""The real run (and ``state rebuild``): the parts of ``sync`` that talk to the tracker."""

from __future__ import annotations

from contextlib import suppress
from functools import lru_cache, partial
from pathlib import Path
from typing import Callable, Optional, Sequence, TextIO

from notes2tickets.config import Settings
from notes2tickets.errors import (
    EXIT_FAILED, EXIT_OK, ConfigError, CorruptStateError, Notes2TicketsError, PartialRunError, StateError,
)
from notes2tickets.git import permalinks
from notes2tickets.model import ActionItem, RemoteRef, clean_title
from notes2tickets.state.lock import pending_flag, state_path
from notes2tickets.state.store import StateStore
from notes2tickets.sync import closing, filing, report
from notes2tickets.sync.horizon import listing_horizon
from notes2tickets.sync.context import NO_TOKEN, Run, known_rows, parse_reported, pending_sources, relative_source
from notes2tickets.sync.mirror import Mirror
from notes2tickets.sync.output import Output
from notes2tickets.sync.plan import Plan, make_plan
from notes2tickets.tracker import Tracker, connect


def client_for(
    settings: Settings, *, need_token: bool, hook: bool = False, read_deadline: Optional[float] = None,
    progress: Optional[Callable[[str], None]] = None,
) -> Tracker:
    if need_token and not settings.token:
        raise ConfigError(f"no API token: {NO_TOKEN}")
    return connect(settings, hook=hook, read_deadline=read_deadline, progress=progress)


def horizon_of(settings: Settings, plan: Plan) -> Optional[float]:
    """How far back the tracker must be read for the markers of what the plan would file (None: all of it)."""
    return listing_horizon([d.item for d in plan.to_file()], root=settings.root, globs=settings.notes,
                           options=settings.extract)


def read_mirror(settings: Settings, store: StateStore, project: str, *, read_deadline: Optional[float] = None,
                horizon: Callable[[], Optional[float]] = lambda: None) -> list[RemoteRef]:
    """For the dry run: state's mirror plus what changed, held in memory only (reads within ``read_deadline`` s)."""
    client = client_for(settings, need_token=False, read_deadline=read_deadline)
    return Mirror(client=client, store=store, url=settings.url, project=project, writable=False,
                  horizon=horizon).refresh()


def file_run(
    settings: Settings, files: Sequence[str], *, include_done: bool, force: bool, fmt: str, output: Output, hook: bool,
    include_suggested: bool = False,
) -> int:
    project = settings.require_project()
    path = state_path(settings)
    with StateStore.open(path, lock_timeout=settings.lock_timeout) as store:
        run = Run(settings, settings.url, project, path)
        if hook:
            files = sorted(set(files) | set(pending_sources(store, run)))
        if not files:
            return EXIT_OK
        # Suggestions are filed only when asked for; otherwise a real run does not look for them.
        result = parse_reported(files, settings, output, include_suggested=include_suggested, list_suggestions=False)
        known = known_rows(store, run.url, project)
        plan_for = partial(
            make_plan, result.items, known=known,
            include_done=include_done, force=force, threshold=settings.duplicate_threshold,
        )
        plan = plan_for(remote=None)
        outcomes: list[filing.Outcome] = []
        mirror: Optional[Mirror] = None
        to_close = settings.close_done and closing.wants_remote(plan, known)
        try:
            if plan.to_file() or to_close:
                client = client_for(settings, need_token=True, hook=hook, progress=output.progress)
                client.preflight()
                # Done items to close may have issues older than the horizon of the new ones: then read everything.
                horizon: Callable[[], Optional[float]] = (lambda: None) if to_close else partial(horizon_of, settings, plan)
                mirror = Mirror(client=client, store=store, url=run.url, project=project, writable=True, horizon=horizon)
                with store.grouped():  # one sync to disk per second or so, not one per issue filed or page read
                    refs = mirror.refresh()
                    plan = plan_for(remote=refs)
                    if settings.close_done:
                        plan = closing.add_closes(plan, known=known, remote=refs, closes=store.closes(run.url, project))
                    target = _target(run, client, store, mirror, hook=hook)
                    outcomes = filing.apply(plan.decisions, target=target, progress=output.progress)
                    outcomes += closing.apply(plan.decisions, target=target, progress=output.progress)
        except StateError as exc:
            _stopped(store, run, plan, mirror, exc, output.out)
            raise
        except Notes2TicketsError as exc:
            if not hook:
                raise
            _queue(store, run, plan)
            output.warn(f"notes2tickets: {exc}; {len(plan.to_file())} new item(s) kept pending, filed on the next commit or `notes2tickets sync`")
            return EXIT_FAILED
        finally:
            _update_flag(store, run)
        _report(settings, plan, outcomes, fmt=fmt, output=output)
    failed = result.errors or any(o.status == "failed" for o in outcomes)
    return EXIT_FAILED if failed else EXIT_OK


def _stopped(store: StateStore, run: Run, plan: Plan, mirror: Optional[Mirror], exc: StateError, out: TextIO) -> None:
    """State failed part-way (a full disk): if some items were filed already, say how many and stop with exit 1.

    Items planned as new were not filed before this run, so those now on the tracker (in this run's mirror: the
    ``filed`` rows of the last commit group may be lost with the failed write) or ``filed`` in state are this run's.
    """
    planned = {d.item.fingerprint for d in plan.to_file()}
    done = {fp for fp in planned if mirror is not None and mirror.by_fingerprint(fp) is not None}
    with suppress(StateError):  # unreadable now: the mirror says what was filed
        done.update(r.fingerprint for r in store.rows(run.url, run.project) if r.status == "filed")
    filed = len(done & planned)
    if not filed:
        return  # nothing was filed: the state error itself (exit 2) says it all
    left = len(planned) - filed
    out.write(f"{filed} filed, 0 adopted, 0 failed" + (f"; stopped: {left} not filed yet\n" if left else "\n"))
    if not left:
        raise PartialRunError(f"filed all {filed} new item(s), but state could not record them all: {exc}; "
                              "the next run finds their issues by the markers, none is filed twice") from None
    raise PartialRunError(
        f"stopped after filing {filed} of {len(planned)} new item(s): {exc}; the next run files the rest "
        "(an issue filed just before the failure is found by its marker, not filed twice)"
    ) from None


def _target(run: Run, client: Tracker, store: StateStore, mirror: Mirror, *, hook: bool) -> filing.Target:
    settings = run.settings
    source = relative_source(settings)

    @lru_cache(maxsize=1)
    def repo() -> Optional[permalinks.RepoLink]:
        return permalinks.repo_link(settings.root)

    def link(item: ActionItem) -> Optional[str]:
        return permalinks.line_url(repo(), settings.link_template, path=source(item), line=item.line)

    return filing.Target(
        client=client, store=store, mirror=mirror, url=run.url, project=run.project,
        default_tags=settings.default_tags, private=settings.private, link=link, source_path=source,
        settle=0.0 if hook else settings.settle_time, timeout=settings.timeout,  # a hook never waits
    )


def _queue(store: StateStore, run: Run, plan: Plan) -> None:
    """The tracker is out of reach from a hook: remember the new items as pending for the next run."""
    source = relative_source(run.settings)
    for decision in plan.to_file():
        item = decision.item
        store.mark_pending(
            url=run.url, project=run.project, fingerprint=item.fingerprint, title=clean_title(item.title),
            path=source(item), line=item.line,
        )


def _update_flag(store: StateStore, run: Run) -> None:
    flag = pending_flag(run.state_path)
    waiting = any(r.status in ("pending", "failed") for r in store.rows(run.url, run.project))
    try:
        if waiting:
            flag.touch()
        elif flag.exists():
            flag.unlink()
    except OSError:
        pass  # e.g. a full disk: the error being reported says more; the next run sets the flag right


def _report(settings: Settings, plan: Plan, outcomes: Sequence[filing.Outcome], *, fmt: str, output: Output) -> None:
    """Every item with what was done to it: the JSON lists them all, the text names each skip a person must see."""
    source = relative_source(settings)
    rows = report.entries(plan, outcomes)
    if fmt == "json":
        output.out.write(report.to_json(rows, plan, source=source, dry_run=False, warnings=output.warnings))
        return
    if output.verbosity > 0:
        output.out.write(report.table_text(rows, source=source, total=output.columns, colour=output.colour, tags=True) + "\n")
    output.out.write(report.needs_a_person(rows, source=source, total=output.columns))
    output.out.write(report.summary_text(report.summary(rows, plan, dry_run=False)) + "\n")


def rebuild(settings: Settings, path: Path, *, out: TextIO, err: TextIO) -> int:
    """Replace this project's rows by what the markers on the tracker say."""
    client = client_for(settings, need_token=False)
    if not settings.token:
        err.write(f"warning: no token, so private issues are invisible to the rebuild ({NO_TOKEN})\n")
    issues = list(client.iter_issues())
    try:
        store = StateStore.open(path, lock_timeout=settings.lock_timeout)
    except CorruptStateError:
        moved = StateStore.quarantine(path, lock_timeout=settings.lock_timeout)
        err.write(f"warning: moved the unreadable state file aside to {moved}\n")
        store = StateStore.open(path, lock_timeout=settings.lock_timeout)
    url, project = settings.url, settings.require_project()
    with store:
        store.forget_remote(url, project)  # issues deleted on the tracker must not survive a rebuild
        mirror = Mirror(client=client, store=store, url=url, project=project, writable=True)
        mirror.add(issues)
        rows = store.rows_from_remote(url, project)
        store.replace_all(url, project, rows)
        _update_flag(store, Run(settings, url, project, path))  # pending/failed rows are gone now
    out.write(f"rebuilt {path}: {len(rows)} issue(s) with a notes2tickets marker out of {len(issues)} on {url}/{project}\n")
    return EXIT_OK
