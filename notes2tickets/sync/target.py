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


def adopt(decision: Decision, target: Target) -> Outcome:
    item = decision.item
    assert decision.issue_id is not None and decision.issue_url is not None
    target.store.mark_filed(
        url=target.url, project=target.project, fingerprint=item.fingerprint, issue_id=decision.issue_id,
        issue_url=decision.issue_url, title=clean_title(item.title), path=target.source_path(item), line=item.line,
    )
    return Outcome(item, "adopted", decision.issue_id, decision.issue_url, "")


