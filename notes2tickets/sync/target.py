"""What filing works with: where to file (``Target``), what came of an item (``Outcome``), adopting an issue."""

from __future__ import annotations

import time
from typing import Callable, NamedTuple, Optional

from notes2tickets.model import ActionItem, clean_title
from notes2tickets.state.store import StateStore
from notes2tickets.sync.mirror import Mirror
from notes2tickets.sync.plan import Decision
from notes2tickets.tracker import Tracker


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


class Ledger:
    """The ``filed`` rows of creates, written ``EVERY`` at a time (and at the end) instead of one sync per item.

    Safe because each item's ``pending`` row is on disk before its POST: a run killed before a
    flush leaves those rows pending, and the next run finds their issues by marker and adopts them.
    """

    EVERY = 10

    def __init__(self, store: StateStore, url: str, project: str) -> None:
        self._store, self._url, self._project = store, url, project
        self._rows: list[tuple[str, int, str, Optional[str], Optional[str], Optional[int]]] = []

    def filed(self, fingerprint: str, issue_id: int, issue_url: str) -> None:
        self._rows.append((fingerprint, issue_id, issue_url, None, None, None))
        if len(self._rows) >= self.EVERY:
            self.flush()

    def flush(self) -> None:
        if self._rows:
            rows, self._rows = self._rows, []
            self._store.mark_filed_all(url=self._url, project=self._project, items=rows)


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
    settle: float = 5.0  # seconds a young pending row may still take to arrive (``settle_time``)
    timeout: float = 30.0  # the request timeout: an older pending row is past arriving
    clock: Callable[[], float] = time.time
    ledger: Optional[Ledger] = None  # None: each filed row is written at once


def adopt(decision: Decision, target: Target) -> Outcome:
    item = decision.item
    assert decision.issue_id is not None and decision.issue_url is not None
    target.store.mark_filed(
        url=target.url, project=target.project, fingerprint=item.fingerprint, issue_id=decision.issue_id,
        issue_url=decision.issue_url, title=clean_title(item.title), path=target.source_path(item), line=item.line,
    )
    return Outcome(item, "adopted", decision.issue_id, decision.issue_url, "")


