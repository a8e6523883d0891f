"""Decide, purely, what happens to each item: file it, adopt a remote issue, or skip it.

An item is known by its fingerprint or any of its aliases (``ActionItem``).
Rules, first match wins: done (unless include_done) > tracked > filed earlier
(``known`` in state) > marker found on the tracker (adopt, once per issue) >
repeated in this run > ambiguous (one of several different actions of a file
with the same text, when an earlier ticket holds that text and nothing says
which copy it is; unless force) > nearly the same title as an open hand-filed
issue (unless force; see ``similar``) > new.

Every rule depends on the notes, state and the tracker's markers only, never on
the order in which an earlier run filed things, so an interrupted run changes
nothing a re-run decides.
"""

from __future__ import annotations

from collections import Counter
from typing import Mapping, NamedTuple, Optional, Sequence, TypeVar

from notes2tickets.model import ActionItem, RemoteRef, clean_title
from notes2tickets.sync.similar import SimilarIndex

NEW, ADOPT, SKIP = "new", "adopt", "skip"
CLOSE = "close"  # only with close_done (sync/closing.py), never made by make_plan
_T = TypeVar("_T")


class Known(NamedTuple):
    """What state says about a fingerprint."""

    status: str
    issue_id: Optional[int]
    issue_url: Optional[str]


class Decision(NamedTuple):
    item: ActionItem
    action: str  # new | adopt | skip
    reason: str  # new | pending | done | tracked | known | remote | repeat | ambiguous | similar
    detail: str
    issue_id: Optional[int] = None
    issue_url: Optional[str] = None


class Plan(NamedTuple):
    decisions: list[Decision]
    remote_checked: bool

    def to_file(self) -> list[Decision]:
        return [d for d in self.decisions if d.action == NEW]

    def summary(self) -> str:
        counts = Counter(d.reason for d in self.decisions if d.action != NEW)
        new = sum(1 for d in self.decisions if d.action == NEW)
        skipped = ", ".join(f"{n} {reason}" for reason, n in sorted(counts.items()))
        text = f"{new} new, {sum(counts.values())} skipped"
        return f"{text} ({skipped})" if skipped else text


def identities(item: ActionItem) -> tuple[str, ...]:
    return (item.fingerprint, *item.aliases)


class _Context(NamedTuple):
    known: Mapping[str, Known]
    by_marker: Mapping[str, RemoteRef]
    similar: SimilarIndex
    alone: Mapping[str, ActionItem]  # items of this run that hold their text alone in their file
    resolved: frozenset[str]  # shared texts (``base``) whose earlier ticket or item is known to be one copy's
    include_done: bool
    force: bool
    remote_checked: bool


def make_plan(
    items: Sequence[ActionItem],
    *,
    known: Mapping[str, Known],
    remote: Optional[Sequence[RemoteRef]],
    include_done: bool = False,
    force: bool = False,
    threshold: float = 0.9,
) -> Plan:
    """``remote`` is None when the tracker was not consulted (offline or no token)."""
    by_marker = {r.fingerprint: r for r in remote or () if r.fingerprint}
    # An item cited as tracked in one file is tracked wherever else it is repeated.
    tracked = {fp: i.tracked for i in items if i.tracked is not None for fp in identities(i)}
    alone = {i.fingerprint: i for i in items if i.base is None}
    resolved = _resolved(items, alone, known, by_marker)
    similar = SimilarIndex(remote or (), threshold)
    context = _Context(known, by_marker, similar, alone, resolved, include_done, force, remote is not None)
    seen: dict[str, ActionItem] = {}
    adopted: dict[int, ActionItem] = {}
    decisions = []
    for item in items:
        item_tracked = next((tracked[fp] for fp in identities(item) if fp in tracked), None)
        decision = _decide(item, item_tracked, context, seen, adopted)
        if decision.action != SKIP or decision.reason == "known":
            seen.update(dict.fromkeys(identities(item), item))
        if decision.action == ADOPT and decision.issue_id is not None:
            adopted[decision.issue_id] = item
        decisions.append(decision)
    return Plan(decisions=decisions, remote_checked=remote is not None)


def _resolved(
    items: Sequence[ActionItem], alone: Mapping[str, ActionItem], known: Mapping[str, Known], by_marker: Mapping[str, RemoteRef]
) -> frozenset[str]:
    """Shared texts one of whose copies is the earlier one: its owners/section match an item of this
    run that holds the text alone, or it cites the ticket filed for the text."""
    found = set()
    for item in items:
        if item.base is None:
            continue
        holder = alone.get(item.base)
        if holder is not None and item.fingerprint in holder.aliases:
            found.add(item.base)
        if item.tracked is not None and item.tracked == _issue(item.base, known, by_marker):
            found.add(item.base)
    return frozenset(found)


def _issue(fp: str, known: Mapping[str, Known], by_marker: Mapping[str, RemoteRef]) -> Optional[int]:
    row, ref = known.get(fp), by_marker.get(fp)
    if row is not None and row.status == "filed":
        return row.issue_id
    return ref.id if ref is not None else None


def _decide(
    item: ActionItem, tracked: Optional[int], ctx: _Context, seen: Mapping[str, ActionItem], adopted: Mapping[int, ActionItem]
) -> Decision:
    if item.done and not ctx.include_done:
        return Decision(item, SKIP, "done", "done in the notes (use --include-done to file it)")
    if tracked is not None:
        return Decision(item, SKIP, "tracked", f"already tracked as #{tracked}", tracked)
    rows = [r for r in (ctx.known.get(fp) for fp in identities(item)) if r is not None]
    row = next((r for r in rows if r.status == "filed"), rows[0] if rows else None)
    if row is not None and row.status == "filed":
        return Decision(item, SKIP, "known", f"filed earlier as #{row.issue_id} ({row.issue_url})", row.issue_id, row.issue_url)
    ref = _first(ctx.by_marker, item)
    if ref is not None:
        if ref.id in adopted:
            other = adopted[ref.id]
            return Decision(item, SKIP, "repeat", f"same item as {other.path}:{other.line} (#{ref.id})", ref.id, ref.url)
        return Decision(item, ADOPT, "remote", f"found on the tracker as #{ref.id} ({ref.url})", ref.id, ref.url)
    first = _first(seen, item)
    if first is not None:
        return Decision(item, SKIP, "repeat", f"same item as {first.path}:{first.line}")
    ambiguous = None if ctx.force else _ambiguous(item, ctx)
    if ambiguous is not None:
        return ambiguous
    if not ctx.force:
        similar = ctx.similar.most_similar(item.title)
        if similar is not None:
            detail = f"possible duplicate of #{similar.id} \"{clean_title(similar.title)}\" ({similar.url}); --force files it"
            return Decision(item, SKIP, "similar", detail, similar.id, similar.url)
    if row is not None:
        checked = "not on the tracker" if ctx.remote_checked else "the tracker is checked before filing"
        return Decision(item, NEW, "pending", f"{row.status} in an earlier run, {checked}")
    return Decision(item, NEW, "new", "new")


def _first(table: Mapping[str, _T], item: ActionItem) -> Optional[_T]:
    for fp in identities(item):
        found = table.get(fp)
        if found is not None:
            return found
    return None


def _ambiguous(item: ActionItem, ctx: _Context) -> Optional[Decision]:
    """One of several actions of a file with the same text, when that text alone already has a ticket or an item."""
    if item.base is None or item.base in ctx.resolved:
        return None
    issue, earlier = _issue(item.base, ctx.known, ctx.by_marker), ctx.alone.get(item.base)
    if issue is not None:
        where = f"#{issue}"
    elif earlier is not None:
        where = f"the item at {earlier.path}:{earlier.line}"
    else:
        return None
    detail = (f"{item.path} holds this text more than once for different owners or sections, and {where} is one of "
              f"them: cannot tell which, so nothing is filed; cite the ticket on its line (e.g. \"(#N)\"), or --force files it")
    return Decision(item, SKIP, "ambiguous", detail, issue)
