"""``close_done``: close the open ticket of an item a later notes file marks done, once.

Planning is pure (``add_closes`` turns ``done`` skips into ``close`` decisions);
``apply`` closes with one comment linking the notes line. State is written
around it: a ``closing`` row before the comment, ``closed`` after the close,
and the comment carries a marker that is looked for before it is ever posted
again, so a crash at any point never double-comments. A ticket this tool
closed is never closed again, so one a person reopened stays open (also when
the run ended before its ``closed`` row was written: Pagure's own "status
updated to: Closed" comment after ours shows the close went through). Titles,
owners and bodies are never touched.
"""

from __future__ import annotations

from typing import Callable, Mapping, Optional, Sequence

from notes2tickets.errors import FatalTrackerError, TrackerError
from notes2tickets.model import ActionItem, RemoteRef
from notes2tickets.sync.filing import Outcome, Target
from notes2tickets.sync.plan import CLOSE, SKIP, Decision, Known, Plan
from notes2tickets.tracker import Tracker

CLOSE_STATUS = "Fixed"
CLOSED_NOTE = "Issue status updated to: Closed"  # in the comment Pagure adds on every close (pagure-api.md)
ACLS = ("issue_change_status", "issue_comment")


def marker(issue_id: int) -> str:
    return f"<!-- notes2tickets:close:{issue_id} -->"


def ticket_of(item: ActionItem, known: Mapping[str, Known]) -> Optional[int]:
    if item.tracked is not None:
        return item.tracked
    row = known.get(item.fingerprint)
    return row.issue_id if row is not None and row.status == "filed" else None


def wants_remote(plan: Plan, known: Mapping[str, Known]) -> bool:
    """True when some done item has a ticket, so the tracker must be read to decide."""
    return any(d.reason == "done" and ticket_of(d.item, known) is not None for d in plan.decisions)


def add_closes(plan: Plan, *, known: Mapping[str, Known], remote: Sequence[RemoteRef], closes: Mapping[int, str]) -> Plan:
    """Pure: each done item whose ticket is open becomes a ``close`` decision (one per ticket)."""
    by_id = {r.id: r for r in remote}
    taken: set[int] = set()
    decisions = []
    for d in plan.decisions:
        issue_id = ticket_of(d.item, known) if d.reason == "done" else None
        ref = by_id.get(issue_id) if issue_id is not None else None
        if issue_id is None or ref is None or issue_id in taken:
            decisions.append(d)
            continue
        taken.add(issue_id)
        decisions.append(_decide(d.item, ref, closes.get(issue_id)))
    return plan._replace(decisions=decisions)


def _decide(item: ActionItem, ref: RemoteRef, prior: Optional[str]) -> Decision:
    where = f"#{ref.id}"  # the URL is in the decision (JSON "issue"); a table cell stays short
    if prior == "closed":
        why = "reopened since, so left open" if ref.open else "already closed"
        return Decision(item, SKIP, "done", f"done in the notes; notes2tickets closed {where} before: {why}", ref.id, ref.url)
    if not ref.open and prior is None:
        return Decision(item, SKIP, "done", f"done in the notes; {where} is already closed", ref.id, ref.url)
    return Decision(item, CLOSE, "done", f"done in the notes: close {where}", ref.id, ref.url)


def acl_checks(client: Tracker) -> list[str]:
    """The ACLs close_done needs that the token lacks (probed without changing anything)."""
    return [acl for acl in ACLS if not client.has_acl(acl)]


def apply(decisions: Sequence[Decision], *, target: Target, progress: Callable[[str], None]) -> list[Outcome]:
    """Close each ``close`` decision's ticket; FatalTrackerError stops the run, other errors fail one item."""
    todo = [d for d in decisions if d.action == CLOSE]
    if not todo:
        return []
    missing = acl_checks(target.client)
    if missing:
        raise FatalTrackerError(
            f"close_done needs the {' and '.join(missing)} ACL(s) on {target.project}: create a project API key "
            "with them (Settings, API keys), or set close_done = false"
        )
    statuses = target.client.project_info().close_statuses
    status = CLOSE_STATUS if CLOSE_STATUS in statuses else None
    outcomes = []
    for number, decision in enumerate(todo, start=1):
        outcome = _close_one(decision, target, status)
        outcomes.append(outcome)
        progress(f"[close {number}/{len(todo)}] {outcome.status} #{outcome.issue_id} {outcome.message}")
    return outcomes


def _close_one(decision: Decision, target: Target, status: Optional[str]) -> Outcome:
    item, issue_id = decision.item, int(decision.issue_id or 0)
    store, url, project = target.store, target.url, target.project
    store.mark_closing(url=url, project=project, issue_id=issue_id, fingerprint=item.fingerprint,
                       path=target.source_path(item), line=item.line)
    try:
        issue = target.client.get_issue(issue_id)
        ours = next((n for n, c in enumerate(issue.comments) if marker(issue_id) in c), None)
        if issue.status != "Open":
            message = "(it was already closed)"
        elif ours is not None and any(CLOSED_NOTE in c for c in issue.comments[ours + 1:]):
            # Our close went through before the run ended (its row was not written) and a person reopened it since.
            message = "(reopened since notes2tickets closed it: left open)"
        else:
            if ours is None:
                target.client.add_comment(issue_id, comment(item, issue_id, target))
            target.client.close_issue(issue_id, status)
            message = f"{'as ' + status + ' ' if status else ''}(done in {target.source_path(item)}:{item.line})"
    except FatalTrackerError:
        raise
    except TrackerError as exc:
        return Outcome(item, "failed", issue_id, decision.issue_url, str(exc))
    store.mark_closed(url=url, project=project, issue_id=issue_id)
    return Outcome(item, "closed", issue_id, decision.issue_url, message)


def comment(item: ActionItem, issue_id: int, target: Target) -> str:
    where = f"{target.source_path(item)} line {item.line}"
    link = target.link(item)
    place = f"[{where}]({link})" if link else where
    return f"Marked done in the meeting notes: {place}. Closed by notes2tickets.\n\n{marker(issue_id)}"
