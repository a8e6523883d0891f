"""Apply a plan: one create per new item, state written around every POST.

``pending`` rows for every item first (one durable transaction), then for each
item: make sure the mirror of the tracker is current (another machine may have
just filed the item), POST, write ``filed`` (grouped commits: a ``filed`` row a
crash loses leaves the item ``pending``, and the next run adopts its issue by
the marker).
Issue ids are sequential, so a create answered with the next id proves nobody
filed anything in between and the next create needs no new look; any other id
makes the run look again at once. After an ambiguous failure (timeout, reset,
5xx, HTML) the marker is looked for before any new attempt, so an issue the
server did create is adopted, never filed twice. A ``pending`` row left by an
earlier run may still be arriving: a young one is waited out, then looked for.

Two syncs of the same notes at the same moment (two clones, separate state) are
kept apart by ``contention``: the first item is picked at random, and a run that
sees another sync's issues follows it (adopting what it files) instead of racing.
"""

from __future__ import annotations

import random
from datetime import datetime, timezone
from typing import Callable, Optional, Sequence

from notes2tickets.errors import FatalTrackerError, TrackerError
from notes2tickets.model import ActionItem, RemoteRef, clean_title
from notes2tickets.state.store import StateRow
from notes2tickets.sync import contention
from notes2tickets.sync.body import render_body
from notes2tickets.sync.mirror import Mirror
from notes2tickets.sync.plan import ADOPT, NEW, Decision
from notes2tickets.sync.target import Outcome, Prepared, Target, adopt
from notes2tickets.tracker import ProjectInfo

__all__ = ["Outcome", "Target", "adopt", "apply", "prepare"]

MAX_ATTEMPTS = 3
# 400 EDBERROR on a create is a lost race for the issue id (nothing was created). The
# winner may be another clone filing this very item, so look for the marker, then retry.
MAX_RACES = 4
RACE_PAUSE = 0.5  # seconds, times the race count: breaks the lock-step of two clients


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
    todo = [d for d in decisions if d.action == NEW]
    info = target.client.project_info() if todo else None
    total = len(adopts) + len(todo)
    recent = contention.recently_filed(adopts, target)  # before adopt() writes their rows
    outcomes = [adopt(d, target) for d in adopts]
    for index, outcome in enumerate(outcomes, 1):
        _report(index, total, outcome, progress)
    if not todo:
        return outcomes
    _settle(todo, target, progress)
    # Every intent row before the first POST, in one transaction: one sync to disk, not one per item.
    target.store.mark_pending_all(url=target.url, project=target.project, items=[
        (d.item.fingerprint, clean_title(d.item.title), target.source_path(d.item), d.item.line) for d in todo])
    race = contention.Race(target, [d.item.fingerprint for d in todo], following=recent, progress=progress)
    queue = _first_at_random(todo)
    try:
        while queue:
            if race.following:
                queue = race.follow(queue, lambda o: _note(outcomes, o, total, progress))
                continue
            outcome = _file_one(queue.pop(0).item, target, info)
            _note(outcomes, outcome, total, progress)
            race.after(outcome)
    finally:
        target.mirror.save()
    return outcomes


def _note(outcomes: list[Outcome], outcome: Outcome, total: int, progress: Callable[[str], None]) -> None:
    outcomes.append(outcome)
    _report(len(outcomes), total, outcome, progress)


def first_pick(count: int) -> int:
    """Which of ``count`` items to file first: at random, so two clones started together rarely pick the same."""
    return random.randrange(count)


def _first_at_random(todo: Sequence[Decision]) -> list[Decision]:
    """The plan's order, but one item picked at random first."""
    first = first_pick(len(todo)) if len(todo) > 1 else 0
    return [todo[first], *todo[:first], *todo[first + 1:]]


def _settle(todo: Sequence[Decision], target: Target, progress: Callable[[str], None]) -> None:
    """Pending rows younger than the request timeout may still be arriving: wait them out, then look afresh."""
    rows = [target.store.get(target.url, target.project, d.item.fingerprint) for d in todo if d.reason == "pending"]
    ages = [_age(row, target.clock()) for row in rows if row is not None and row.status == "pending"]
    wait = max((min(target.settle, target.timeout - age) for age in ages if age < target.timeout), default=0.0)
    if wait <= 0:
        return
    progress(f"  note: {len(ages)} item(s) an earlier run was filing may still be arriving: "
             f"waiting {wait:.0f} s, then looking for them on the tracker")
    target.sleep(wait)
    target.mirror.refresh()


def _age(row: StateRow, now: float) -> float:
    try:
        stamp = datetime.strptime(row.updated, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp()
    except ValueError:
        return 0.0  # unknown: treat as young
    return max(now - stamp, 0.0)


def _report(index: int, total: int, outcome: Outcome, progress: Callable[[str], None]) -> None:
    progress(_progress_line(index, total, outcome))
    if outcome.status != "failed" and outcome.message:
        progress(f"  warning: {outcome.message}")


def _progress_line(index: int, total: int, outcome: Outcome) -> str:
    title = clean_title(outcome.item.title)
    if outcome.status == "failed":
        return f"[{index}/{total}] failed {outcome.item.path}:{outcome.item.line} \"{title}\": {outcome.message}"
    return f"[{index}/{total}] {outcome.status} #{outcome.issue_id} \"{title}\" {outcome.issue_url}"


def _file_one(item: ActionItem, target: Target, info: Optional[ProjectInfo]) -> Outcome:
    assert info is not None
    url, project, fingerprint = target.url, target.project, item.fingerprint
    try:
        prepared = prepare(item, target=target, info=info)
        # The pending row is committed before the POST; the mirror is current (looked at since the last
        # create, or every create since answered the next id), so an item filed meanwhile elsewhere is adopted.
        existing = target.mirror.find(item.fingerprint) or _by_alias(target.mirror, item)
        if existing is not None:  # filed since the plan was made: another sync is at work
            return adopt(Decision(item, ADOPT, "remote", "", existing.id, existing.url), target)._replace(contended=True)
        return _create(item, prepared, target)
    except FatalTrackerError:
        raise
    except TrackerError as exc:
        target.store.mark_failed(url=url, project=project, fingerprint=fingerprint, error=str(exc))
        return Outcome(item, "failed", None, None, str(exc))


def _by_alias(mirror: Mirror, item: ActionItem) -> Optional[RemoteRef]:
    """An issue filed under an older form of the item's fingerprint (0.1.0's), from the look just made."""
    return next((r for r in map(mirror.by_fingerprint, item.aliases) if r is not None), None)


def _create(item: ActionItem, prepared: Prepared, target: Target) -> Outcome:
    """POST; after an ambiguous failure or a lost race adopt the issue if its marker is there, else POST again."""
    ambiguous = races = 0
    while True:
        try:
            issue = target.client.create_issue(
                title=prepared.title, content=prepared.content, tags=prepared.tags, assignee=prepared.assignee,
                priority=prepared.priority, milestone=prepared.milestone, private=prepared.private, race_retries=0,
            )
        except TrackerError as exc:
            target.mirror.posted()
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
        target.mirror.created(issue)
        return _record(item, target, issue.id, issue.url, "filed", prepared)


def _record(item: ActionItem, target: Target, issue_id: int, issue_url: str, status: str, prepared: Prepared) -> Outcome:
    target.store.mark_filed(
        url=target.url, project=target.project, fingerprint=item.fingerprint, issue_id=issue_id, issue_url=issue_url,
    )
    return Outcome(item, status, issue_id, issue_url, "; ".join(prepared.warnings))
