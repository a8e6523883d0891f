"""Decide, purely, what happens to each item: file it, adopt a remote issue, or skip it.

Rules, first match wins: done (unless include_done) > tracked > filed in state >
marker found on the tracker (adopt) > repeated in this run > nearly the same
title as an open remote issue (unless force) > new.
"""

from __future__ import annotations

from collections import Counter
from difflib import SequenceMatcher
from typing import Mapping, NamedTuple, Optional, Sequence

from notes2tickets.extract import normalise_title
from notes2tickets.model import ActionItem, RemoteRef

NEW, ADOPT, SKIP = "new", "adopt", "skip"
CLOSE = "close"  # only with close_done (sync/closing.py), never made by make_plan


class Known(NamedTuple):
    """What state says about a fingerprint."""

    status: str
    issue_id: Optional[int]
    issue_url: Optional[str]


class Decision(NamedTuple):
    item: ActionItem
    action: str  # new | adopt | skip
    reason: str  # new | pending | done | tracked | filed | remote | repeat | similar
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
    open_titles = [(normalise_title(r.title), r) for r in remote or () if r.open]
    seen: dict[str, ActionItem] = {}
    # An item cited as tracked in one file is tracked wherever else it is repeated.
    tracked = {i.fingerprint: i.tracked for i in items if i.tracked is not None}
    decisions = []
    for item in items:
        item_tracked = tracked.get(item.fingerprint)
        decision = _decide(item, item_tracked, known, by_marker, open_titles, seen, include_done, force, threshold, remote is not None)
        if decision.action == NEW:
            seen[item.fingerprint] = item
        decisions.append(decision)
    return Plan(decisions=decisions, remote_checked=remote is not None)


def _decide(
    item: ActionItem,
    tracked: Optional[int],
    known: Mapping[str, Known],
    by_marker: Mapping[str, RemoteRef],
    open_titles: Sequence[tuple[str, RemoteRef]],
    seen: Mapping[str, ActionItem],
    include_done: bool,
    force: bool,
    threshold: float,
    remote_checked: bool,
) -> Decision:
    if item.done and not include_done:
        return Decision(item, SKIP, "done", "done in the notes (use --include-done to file it)")
    if tracked is not None:
        return Decision(item, SKIP, "tracked", f"already tracked as #{tracked}", tracked)
    row = known.get(item.fingerprint)
    if row is not None and row.status == "filed":
        return Decision(item, SKIP, "filed", f"filed earlier as #{row.issue_id} ({row.issue_url})", row.issue_id, row.issue_url)
    ref = by_marker.get(item.fingerprint)
    if ref is not None:
        return Decision(item, ADOPT, "remote", f"found on the tracker as #{ref.id} ({ref.url})", ref.id, ref.url)
    first = seen.get(item.fingerprint)
    if first is not None:
        return Decision(item, SKIP, "repeat", f"same item as {first.path}:{first.line}")
    if not force:
        similar = _most_similar(normalise_title(item.title), open_titles, threshold)
        if similar is not None:
            return Decision(item, SKIP, "similar", f"possible duplicate of #{similar.id} ({similar.url}); --force files it", similar.id, similar.url)
    if row is not None:
        checked = "not on the tracker" if remote_checked else "the tracker is checked before filing"
        return Decision(item, NEW, "pending", f"{row.status} in an earlier run, {checked}")
    return Decision(item, NEW, "new", "new")


def _most_similar(title: str, candidates: Sequence[tuple[str, RemoteRef]], threshold: float) -> Optional[RemoteRef]:
    best: Optional[RemoteRef] = None
    best_ratio = threshold
    for other, ref in candidates:
        if not other or not title:
            continue
        matcher = SequenceMatcher(None, title, other, autojunk=False)
        if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio >= best_ratio:
            best, best_ratio = ref, ratio
    return best
