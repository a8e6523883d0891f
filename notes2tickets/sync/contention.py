"""Two syncs of the same notes at the same moment: notice the other, follow it, repair a second copy.

Pagure has no conditional create, but it numbers a project's issues in
sequence and lists them by creation, so "which came first" is provable. A run
notices another sync when a create is not answered with the next id (or an
item it is about to file is already there) and the look that follows shows
issues carrying this run's markers that it did not file. The sync whose first
issue of the run has the lowest id goes on; any other one follows: it files
nothing, polls the tracker and adopts what the first files, and takes over
only when the first has filed nothing for twice the settle time. A run whose
own issue turns out to be the later of two carrying one marker closes it as
``Duplicate`` with a comment linking the first (when the token may), else
names it for closing; its state points at the first either way.
"""

from __future__ import annotations

from typing import Callable, Sequence

from notes2tickets.errors import FatalTrackerError, TrackerError
from notes2tickets.sync.target import Outcome, Target, adopt
from notes2tickets.sync.plan import Decision

RECENT = 120.0  # seconds: an adopted issue this young, unknown to state, means another sync is at work
POLL = 0.5  # seconds between two looks while following


def recently_filed(adopts: Sequence[Decision], target: Target) -> bool:
    """Did another sync file some of these items in the last ``RECENT`` seconds (so it may still be at it)?"""
    now = target.clock()
    for decision in adopts:
        created = target.mirror.created_at.get(decision.issue_id or 0)
        if created is not None and now - created < RECENT \
                and target.store.get(target.url, target.project, decision.item.fingerprint) is None:
            return True
    return False


class Race:
    """What one run knows about other syncs filing the same items."""

    def __init__(self, target: Target, fingerprints: Sequence[str], *, following: bool,
                 progress: Callable[[str], None]) -> None:
        self._target = target
        self._fingerprints = set(fingerprints)
        self._start = target.mirror.top  # issues above this id were filed while this run was at work
        self._own: list[int] = []
        self._progress = progress
        self.following = following

    def after(self, outcome: Outcome) -> None:
        """After a create: unless its id proved nobody else filed meanwhile, look, repair, and maybe follow."""
        mirror = self._target.mirror
        if outcome.status == "filed" and outcome.issue_id is not None:
            self._own.append(outcome.issue_id)
        if mirror.fresh and not outcome.contended:
            return
        try:
            mirror.look()
        except FatalTrackerError:
            raise
        except TrackerError:
            return  # the next create's own look retries
        if outcome.status == "filed":
            self._second_copy(outcome)
        others = [r.id for r in mirror.carrying(self._fingerprints) if r.id > self._start and r.id not in self._own]
        if others and (not self._own or min(others) < min(self._own)):
            self.following = True

    def follow(self, queue: list[Decision], note: Callable[[Outcome], None]) -> list[Decision]:
        """Adopt what the other sync files until it is done or idle; return what is left to file."""
        target, mirror = self._target, self._target.mirror
        idle = 2 * target.settle
        self._progress(f"  note: another sync is filing these items right now: adopting what it files "
                       f"(taking over if it files nothing for {idle:g} s)")
        top, since = mirror.top, target.clock()
        while queue:
            target.sleep(POLL)
            try:
                mirror.refresh()
            except FatalTrackerError:
                raise
            except TrackerError:
                pass  # keep waiting: a look that failed is not the other sync's silence
            left = []
            for decision in queue:
                ref = mirror.by_fingerprint(decision.item.fingerprint)
                if ref is None:
                    left.append(decision)
                else:
                    note(adopt(Decision(decision.item, "adopt", "remote", "", ref.id, ref.url), target))
            queue = left
            if mirror.top != top:
                top, since = mirror.top, target.clock()
            elif queue and target.clock() - since >= idle:
                self._progress(f"  note: the other sync filed nothing for {idle:g} s: filing the {len(queue)} item(s) left")
                break
        self.following = False
        return queue

    def _second_copy(self, outcome: Outcome) -> None:
        """Our issue is not the oldest with its marker: point the state at the first, close ours."""
        target = self._target
        first = target.mirror.by_fingerprint(outcome.item.fingerprint)
        ours = outcome.issue_id
        if first is None or ours is None or first.id == ours:
            return
        target.store.mark_filed(
            url=target.url, project=target.project, fingerprint=outcome.item.fingerprint,
            issue_id=first.id, issue_url=first.url,
        )
        why = f"#{ours} duplicates #{first.id}, filed at the same moment by another sync"
        try:
            target.client.add_comment(ours, f"Duplicate of #{first.id} ({first.url}): both were filed at the same "
                                            "moment by two notes2tickets syncs of the same notes.")
            target.client.close_issue(ours, "Duplicate")
        except TrackerError as exc:
            self._progress(f"  warning: {why}: close #{ours} (could not close it: {exc})")
            return
        self._progress(f"  warning: {why}: closed #{ours} as Duplicate")
