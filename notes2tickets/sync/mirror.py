"""What the tracker already has: a mirror of its issues, refreshed incrementally.

The first reconcile lists every issue (``status=all``, 100 a page); the
mirror keeps id, title, open/closed and the marker's fingerprint, plus the
newest ``last_updated`` seen (server time). Later runs ask only for issues
updated since then, minus a margin for issues committed out of order: a wide
one for a run's first look (the mirror may be days old), a narrow one for the
looks between this run's own creates, which would otherwise re-read every
issue the run filed in the last two minutes before each create.
"""

from __future__ import annotations

from typing import Iterable, Optional

from notes2tickets.model import RemoteRef
from notes2tickets.state.store import StateStore
from notes2tickets.sync.body import find_marker
from notes2tickets.tracker import RemoteIssue, Tracker

SINCE_MARGIN = 120.0  # seconds: creates that commit out of order near the boundary are still seen
RECHECK_MARGIN = 15.0  # seconds, between creates of one run: many times a create's timestamp-to-commit time
_SEEN_KEY = "remote_last_updated"


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

    def __init__(self, *, client: Tracker, store: StateStore, url: str, project: str, writable: bool) -> None:
        self._client = client
        self._store = store
        self._url = url
        self._project = project
        self._writable = writable
        self._refs: dict[int, RemoteRef] = {}
        self._by_fp: dict[str, RemoteRef] = {}
        self._index(store.remote_refs(url, project))
        seen = store.get_meta(url, project, _SEEN_KEY)
        self._seen: Optional[float] = float(seen) if seen else None
        self._stale = True
        self._margin = SINCE_MARGIN

    def refresh(self) -> list[RemoteRef]:
        """Fetch what changed since the last refresh (everything the first time)."""
        since = None if self._seen is None else max(self._seen - self._margin, 0.0)
        self.add(self._client.iter_issues(since=since))
        self._stale = False
        self._margin = RECHECK_MARGIN
        return list(self._refs.values())

    def add(self, issues: Iterable[RemoteIssue]) -> None:
        fresh = list(issues)
        refs = [to_ref(i) for i in fresh]
        self._index(refs)
        newest = max((i.last_updated for i in fresh), default=None)
        if newest is not None and (self._seen is None or newest > self._seen):
            self._seen = newest
        if self._writable and fresh:
            self._store.upsert_remote(self._url, self._project, refs)
            self._store.set_meta(self._url, self._project, _SEEN_KEY, repr(self._seen))

    def find(self, fingerprint: str, *, force: bool = False) -> Optional[RemoteRef]:
        """The issue carrying this fingerprint's marker, after an incremental look.

        The look is skipped only when nothing was POSTed since the last one, so
        between two creates another machine's new issues are always seen.
        """
        if force:
            self.refresh()
        else:
            self.look()
        return self.by_fingerprint(fingerprint)

    def look(self) -> None:
        """Refresh if something was POSTed since the last look."""
        if self._stale:
            self.refresh()

    def posted(self) -> None:
        """A create was attempted: the next ``find`` must look again."""
        self._stale = True

    def by_fingerprint(self, fingerprint: str) -> Optional[RemoteRef]:
        return self._by_fp.get(fingerprint)

    def _index(self, refs: Iterable[RemoteRef]) -> None:
        for ref in refs:
            self._refs[ref.id] = ref
            if ref.fingerprint:
                # The oldest issue with a marker wins, so a duplicate filed by a race never replaces it.
                kept = self._by_fp.get(ref.fingerprint)
                if kept is None or ref.id <= kept.id:
                    self._by_fp[ref.fingerprint] = ref
