"""What the tracker already has: a mirror of its issues, refreshed incrementally.

The first reconcile lists every issue (``status=all``, 100 a page), or, given a
``horizon`` (a time before which no issue can carry the markers this run looks
for), only the issues updated since then plus the open ones created before it
(for the near-duplicate rule). The mirror keeps id, title, open/closed and the
marker's fingerprint, the newest ``last_updated`` seen (server time) and how far
back it is complete. Later runs ask only for issues updated since then, minus a
margin for issues committed out of order: a wide one for a run's first look (the
mirror may be days old), a narrow one for the looks between this run's creates.

A project's issue ids are sequential, so a create that returns the highest id
seen + 1 proves nobody created anything since the last look: no new look is
needed before the next create (``fresh``). Any other id (another sync, a pull
request, a deleted issue) makes the next create look again.
"""

from __future__ import annotations

import functools
from typing import Callable, Iterable, Optional

from notes2tickets.model import RemoteRef
from notes2tickets.state.store import StateStore
from notes2tickets.sync.body import find_marker
from notes2tickets.tracker import RemoteIssue, Tracker

SINCE_MARGIN = 120.0  # seconds: creates that commit out of order near the boundary are still seen
RECHECK_MARGIN = 15.0  # seconds, between creates of one run: many times a create's timestamp-to-commit time
_SEEN_KEY = "remote_last_updated"
_COVERED_KEY = "remote_covered_since"  # absent: the mirror holds the whole tracker


def to_ref(issue: RemoteIssue) -> RemoteRef:
    return RemoteRef(
        id=issue.id,
        url=issue.url,
        title=issue.title,
        open=issue.status == "Open",
        fingerprint=find_marker(issue.content),
    )


class Mirror:
    """The tracker's issues as far as this run knows them; persisted when the store is writable."""

    def __init__(
        self, *, client: Tracker, store: StateStore, url: str, project: str, writable: bool,
        horizon: Callable[[], Optional[float]] = lambda: None,
    ) -> None:
        self._client = client
        self._store = store
        self._url = url
        self._project = project
        self._writable = writable
        self._horizon = functools.lru_cache(maxsize=1)(horizon)  # worked out once a run (it reads git and notes)
        self._refs: dict[int, RemoteRef] = {}
        self._by_fp: dict[str, RemoteRef] = {}
        self.created_at: dict[int, float] = {}  # date_created of the issues listed by this run
        self._unsaved: list[RemoteIssue] = []  # filed by this run, not yet written to state
        self.top = 0  # the highest issue id known
        self._index(store.remote_refs(url, project))
        seen = store.get_meta(url, project, _SEEN_KEY)
        covered = store.get_meta(url, project, _COVERED_KEY)
        self._seen: Optional[float] = float(seen) if seen else None
        self._covered: Optional[float] = float(covered) if covered else None
        self._stale = True
        self._margin = SINCE_MARGIN

    def refresh(self) -> list[RemoteRef]:
        """Fetch what changed since the last refresh (everything, or back to the horizon, the first time)."""
        if self._seen is None or not self._reaches_horizon():
            self._first_listing()
        else:
            self.add(self._client.iter_issues(since=max(self._seen - self._margin, 0.0)))
        self._stale = False
        self._margin = RECHECK_MARGIN
        return list(self._refs.values())

    def _reaches_horizon(self) -> bool:
        if self._covered is None:
            return True  # the whole tracker: no need to work out the horizon
        horizon = self._horizon()
        return horizon is not None and self._covered <= horizon

    def _first_listing(self) -> None:
        """Every issue, or those updated since the horizon (plus, the first time, the open ones created before it)."""
        horizon, listed_before = self._horizon(), self._seen is not None
        self.add(self._client.iter_issues(since=horizon))
        if horizon is not None and not listed_before:
            # Open issues are known from then on: any later change to one is in the incremental looks.
            self.add(_created_before(self._client.iter_issues(status="Open"), horizon))
        self._covered = horizon
        if self._writable:
            self._store.set_meta(self._url, self._project, _COVERED_KEY, "" if horizon is None else repr(horizon))

    def add(self, issues: Iterable[RemoteIssue]) -> None:
        fresh = [*self._unsaved, *issues]
        self._unsaved = []
        refs = [to_ref(i) for i in fresh]
        self._index(refs)
        self.created_at.update((i.id, i.date_created) for i in fresh)
        newest = max((i.last_updated for i in fresh), default=None)
        if newest is not None and (self._seen is None or newest > self._seen):
            self._seen = newest
        if self._writable and fresh:
            self._store.upsert_remote(self._url, self._project, refs)
            self._store.set_meta(self._url, self._project, _SEEN_KEY, repr(self._seen))

    def created(self, issue: RemoteIssue) -> bool:
        """Record an issue this run just filed; True when its id proves nobody else filed since the last look.

        It is written to state with the next look or ``save`` (not one more transaction per create):
        the item's own row already says where it went, and a lost one is listed again next run.
        """
        sequential = not self._stale and issue.id == self.top + 1
        self._unsaved.append(issue)
        self._index([to_ref(issue)])
        self._stale = not sequential
        return sequential

    def save(self) -> None:
        """Write what this run filed since the last look."""
        if self._unsaved:
            self.add([])

    def find(self, fingerprint: str, *, force: bool = False) -> Optional[RemoteRef]:
        """The issue carrying this fingerprint's marker, after an incremental look.

        The look is skipped only when the mirror is fresh: nothing was POSTed since
        the last one, or every create since returned the next id in sequence.
        """
        if force:
            self.refresh()
        else:
            self.look()
        return self.by_fingerprint(fingerprint)

    def look(self) -> None:
        """Refresh unless the mirror is known to be up to date."""
        if self._stale:
            self.refresh()

    def posted(self) -> None:
        """A create was attempted without a usable answer: the next ``find`` must look again."""
        self._stale = True

    @property
    def fresh(self) -> bool:
        return not self._stale

    def by_fingerprint(self, fingerprint: str) -> Optional[RemoteRef]:
        return self._by_fp.get(fingerprint)

    def carrying(self, fingerprints: Iterable[str]) -> list[RemoteRef]:
        """Every issue known to carry one of these markers, duplicates included."""
        wanted = set(fingerprints)
        return [ref for ref in self._refs.values() if ref.fingerprint in wanted]

    def _index(self, refs: Iterable[RemoteRef]) -> None:
        for ref in refs:
            self._refs[ref.id] = ref
            self.top = max(self.top, ref.id)
            if ref.fingerprint:
                # The oldest issue with a marker wins, so a duplicate filed by a race never replaces it.
                kept = self._by_fp.get(ref.fingerprint)
                if kept is None or ref.id <= kept.id:
                    self._by_fp[ref.fingerprint] = ref


def _created_before(issues: Iterable[RemoteIssue], horizon: float) -> Iterable[RemoteIssue]:
    """The listing (oldest first) up to the first issue created at or after ``horizon``; later pages are not read."""
    for issue in issues:
        if issue.date_created >= horizon:
            return
        yield issue
