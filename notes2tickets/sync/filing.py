"""Apply a plan: one create per new item, state written around every POST.

For each item: look for its marker once more (another machine may have just
filed it), write a ``pending`` row, POST, write ``filed``. After an ambiguous
failure (timeout, reset, 5xx, HTML) the marker is looked for before any new
attempt, so an issue the server did create is adopted, never filed twice.

Pagure has no conditional create, so two syncs of the same notes at the same
moment (two clones, separate state) can still both file an item. When a run
sees another sync at work (an item it is about to file is already there, or
its own issue turns out to be the second carrying the item's marker) it goes
on from the other end of its list, away from the other sync, instead of
racing it item by item; a second copy it filed is named so it can be closed.
"""

from __future__ import annotations

import time
from collections import deque
from typing import Callable, NamedTuple, Optional, Sequence

from notes2tickets.errors import FatalTrackerError, TrackerError
from notes2tickets.model import ActionItem, clean_title
from notes2tickets.state.store import StateStore
from notes2tickets.sync.body import render_body
from notes2tickets.sync.mirror import Mirror
from notes2tickets.sync.plan import ADOPT, NEW, Decision
from notes2tickets.tracker import ProjectInfo, Tracker

MAX_ATTEMPTS = 3
# 400 EDBERROR on a create is a lost race for the issue id (nothing was created). The
# winner may be another clone filing this very item, so look for the marker, then retry.
MAX_RACES = 4
RACE_PAUSE = 0.5  # seconds, times the race count: breaks the lock-step of two clients


class Outcome(NamedTuple):
    item: ActionItem
    status: str  # filed | adopted | failed
    issue_id: Optional[int]
    issue_url: Optional[str]
    message: str
    contended: bool = False  # another sync filed this item while this run was at it


class Prepared(NamedTuple):
    title: str
    content: str
    tags: tuple[str, ...]
    assignee: Optional[str]
    priority: Optional[str]
    milestone: Optional[str]
    private: bool
    warnings: tuple[str, ...]


class Target(NamedTuple):
    """Where to file and how: the tracker, the state keys and per-item settings."""

    client: Tracker
    store: StateStore
    mirror: Mirror
    url: str
    project: str
    default_tags: tuple[str, ...]
    private: bool
    link: Callable[[ActionItem], Optional[str]]
    source_path: Callable[[ActionItem], str]
    sleep: Callable[[float], None] = time.sleep


def prepare(item: ActionItem, *, target: Target, info: ProjectInfo) -> Prepared:
    """Validate owners, priority and milestone against the project; never send what it rejects."""
    warnings: list[str] = []
    users = [name for name in item.assignees if target.client.user_exists(name)]
    strangers = [name for name in item.assignees if name not in users]
    for name in strangers:
        warnings.append(f"{name} is not a user of {target.url}: filed unassigned, owner named in the body")
    dropped: list[str] = []
    priority = info.priority_key(item.priority) if item.priority else None
    if item.priority and priority is None:
        choices = ", ".join(info.priorities.values()) or "none defined"
        dropped.append(f"**Priority** from the notes: {item.priority} (not a priority of this project)")
        warnings.append(f"priority {item.priority!r} is not one of {target.project}'s ({choices}): filed without it")
    milestone = item.milestone if item.milestone in info.milestones else None
    if item.milestone and milestone is None:
        dropped.append(f"**Milestone** from the notes: {item.milestone} (not a milestone of this project)")
        warnings.append(f"milestone {item.milestone!r} is not one of {target.project}'s: filed without it")
    assignee = users[0] if users else None
    content = render_body(item, link=target.link(item), unassigned_owners=strangers, assigned=assignee, dropped=dropped)
    tags = tuple(dict.fromkeys((*item.tags, *target.default_tags)))
    return Prepared(clean_title(item.title), content, tags, assignee, priority, milestone, item.private or target.private, tuple(warnings))


def apply(
    decisions: Sequence[Decision],
    *,
    target: Target,
    progress: Callable[[str], None],
) -> list[Outcome]:
    """Record the ``adopt`` decisions, then file the ``new`` ones; FatalTrackerError stops the run."""
    adopts = [d for d in decisions if d.action == ADOPT]
    todo = deque(d for d in decisions if d.action == NEW)
    info = target.client.project_info() if todo else None
    total = len(adopts) + len(todo)
    outcomes = [_adopt(d, target) for d in adopts]
    for outcome in outcomes:
        _report(len(outcomes), total, outcome, progress)
    from_back = told = False
    previous: Optional[Outcome] = None  # filed by the last step, not yet seen in a listing
    while todo:
        if previous is not None and _looked(target) and _second_copy(previous, target, progress):
            from_back, told = _turn(from_back, told, progress)
        decision = todo.pop() if from_back else todo.popleft()
        outcome = _file_one(decision.item, target, info)
        outcomes.append(outcome)
        _report(len(outcomes), total, outcome, progress)
        if outcome.contended:
            from_back, told = _turn(from_back, told, progress)
        previous = outcome if outcome.status == "filed" else None
    return outcomes


def _looked(target: Target) -> bool:
    """The look the next create makes anyway, made before choosing the item; if it fails, that item's own look retries."""
    try:
        target.mirror.look()
    except FatalTrackerError:
        raise
    except TrackerError:
        return False
    return True


def _turn(from_back: bool, told: bool, progress: Callable[[str], None]) -> tuple[bool, bool]:
    """Go on from the other end of the list, away from the other sync; say so once a run."""
    if not told:
        progress("  note: another sync is filing these items right now: going on from the other end of the list")
    return not from_back, True


def _report(index: int, total: int, outcome: Outcome, progress: Callable[[str], None]) -> None:
    progress(_progress_line(index, total, outcome))
    if outcome.status != "failed" and outcome.message:
        progress(f"  warning: {outcome.message}")


def _second_copy(outcome: Outcome, target: Target, progress: Callable[[str], None]) -> bool:
    """Our issue is not the oldest with its marker: point the state at the first, name ours for closing."""
    first = target.mirror.by_fingerprint(outcome.item.fingerprint)
    if first is None or first.id == outcome.issue_id:
        return False
    target.store.mark_filed(
        url=target.url, project=target.project, fingerprint=outcome.item.fingerprint,
        issue_id=first.id, issue_url=first.url,
    )
    progress(f"  warning: #{outcome.issue_id} duplicates #{first.id}, filed at the same moment by another sync: "
             f"close #{outcome.issue_id}")
    return True


def _progress_line(index: int, total: int, outcome: Outcome) -> str:
    title = clean_title(outcome.item.title)
    if outcome.status == "failed":
        return f"[{index}/{total}] failed {outcome.item.path}:{outcome.item.line} \"{title}\": {outcome.message}"
    return f"[{index}/{total}] {outcome.status} #{outcome.issue_id} \"{title}\" {outcome.issue_url}"


def _adopt(decision: Decision, target: Target) -> Outcome:
    item = decision.item
    assert decision.issue_id is not None and decision.issue_url is not None
    target.store.mark_filed(
        url=target.url, project=target.project, fingerprint=item.fingerprint, issue_id=decision.issue_id,
        issue_url=decision.issue_url, title=clean_title(item.title), path=target.source_path(item), line=item.line,
    )
    return Outcome(item, "adopted", decision.issue_id, decision.issue_url, "")


def _file_one(item: ActionItem, target: Target, info: Optional[ProjectInfo]) -> Outcome:
    assert info is not None
    url, project, fingerprint = target.url, target.project, item.fingerprint
    try:
        prepared = prepare(item, target=target, info=info)
        target.store.mark_pending(
            url=url, project=project, fingerprint=fingerprint,
            title=prepared.title, path=target.source_path(item), line=item.line,
        )
        # The pending row is committed before the POST; the tracker has been looked at since the last
        # POST (in apply, or by this find), so an item filed meanwhile elsewhere is adopted instead.
        existing = target.mirror.find(item.fingerprint)
        if existing is not None:  # filed since the plan was made: another sync is at work
            return _adopt(Decision(item, ADOPT, "remote", "", existing.id, existing.url), target)._replace(contended=True)
        return _create(item, prepared, target)
    except FatalTrackerError:
        raise
    except TrackerError as exc:
        target.store.mark_failed(url=url, project=project, fingerprint=fingerprint, error=str(exc))
        return Outcome(item, "failed", None, None, str(exc))


def _create(item: ActionItem, prepared: Prepared, target: Target) -> Outcome:
    """POST; after an ambiguous failure or a lost race adopt the issue if its marker is there, else POST again."""
    ambiguous = races = 0
    while True:
        target.mirror.posted()
        try:
            issue = target.client.create_issue(
                title=prepared.title, content=prepared.content, tags=prepared.tags, assignee=prepared.assignee,
                priority=prepared.priority, milestone=prepared.milestone, private=prepared.private, race_retries=0,
            )
        except TrackerError as exc:
            raced = exc.status == 400 and exc.code == "EDBERROR"
            if not (exc.ambiguous or raced) or isinstance(exc, FatalTrackerError):
                raise
            ambiguous, races = ambiguous + (not raced), races + raced
            if raced and races <= MAX_RACES:
                target.sleep(RACE_PAUSE * races)
            found = target.mirror.find(item.fingerprint, force=True)  # a GET with retries: raises if the tracker is gone
            if found is not None:  # after a lost id race, the winner was another sync filing this very item
                return _record(item, target, found.id, found.url, "adopted", prepared)._replace(contended=raced)
            if ambiguous >= MAX_ATTEMPTS or races > MAX_RACES:
                raise TrackerError(f"{exc} (tried {ambiguous + races} times; retried on the next run)") from None
            continue
        target.mirror.add([issue])
        return _record(item, target, issue.id, issue.url, "filed", prepared)


def _record(item: ActionItem, target: Target, issue_id: int, issue_url: str, status: str, prepared: Prepared) -> Outcome:
    target.store.mark_filed(
        url=target.url, project=target.project, fingerprint=item.fingerprint, issue_id=issue_id, issue_url=issue_url,
    )
    return Outcome(item, status, issue_id, issue_url, "; ".join(prepared.warnings))
