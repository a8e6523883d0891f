"""What the rest of notes2tickets may ask of a tracker, and the values it gets back.

``Tracker`` is the interface the sync holds (``PagureClient`` is today's only
implementation, built by ``notes2tickets.tracker.connect``); a second forge
would implement it and map its own JSON onto ``RemoteIssue`` and ``ProjectInfo``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator, Protocol, Sequence


@dataclass(frozen=True)
class RemoteIssue:
    """One issue as the tracker returns it (timestamps parsed to floats)."""

    id: int
    title: str
    content: str
    status: str
    url: str
    date_created: float
    last_updated: float
    private: bool = False
    assignee: str | None = None
    tags: tuple[str, ...] = ()
    close_status: str | None = None
    closed_at: float | None = None
    comments: tuple[str, ...] = ()  # comment texts, oldest first

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RemoteIssue:
        assignee = data.get("assignee")
        closed_at = data.get("closed_at")
        return cls(
            id=int(data["id"]),
            title=str(data.get("title") or ""),
            content=str(data.get("content") or ""),
            status=str(data.get("status") or ""),
            url=str(data.get("full_url") or ""),
            date_created=float(data.get("date_created") or 0),
            last_updated=float(data.get("last_updated") or 0),
            private=bool(data.get("private")),
            assignee=assignee.get("name") if isinstance(assignee, dict) else None,
            tags=tuple(str(tag) for tag in data.get("tags") or ()),
            close_status=str(data["close_status"]) if data.get("close_status") else None,
            closed_at=float(closed_at) if closed_at else None,
            comments=tuple(str(c.get("comment") or "") for c in data.get("comments") or () if isinstance(c, dict)),
        )


@dataclass(frozen=True)
class ProjectInfo:
    """What one ``GET /api/0/<project>`` says about priorities, milestones and users."""

    priorities: dict[str, str]
    milestones: tuple[str, ...]
    users: frozenset[str]
    close_statuses: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ProjectInfo:
        priorities = {str(k): str(v) for k, v in (data.get("priorities") or {}).items() if str(k)}
        access = data.get("access_users") or {}
        users = frozenset(str(name) for names in access.values() for name in names or ())
        return cls(
            priorities=priorities,
            milestones=tuple(data.get("milestones") or ()),
            users=users,
            close_statuses=tuple(str(s) for s in data.get("close_status") or ()),
        )

    def priority_key(self, value: str) -> str | None:
        """Map a key ("1") or a label ("high", any case) to the key Pagure wants."""
        value = value.strip()
        if value in self.priorities:
            return value
        for key, label in self.priorities.items():
            if label.lower() == value.lower():
                return key
        return None


class Tracker(Protocol):
    """The calls a sync makes; every failure is a ``TrackerError`` (``FatalTrackerError`` stops the run)."""

    def preflight(self) -> None:
        """Check token, permissions, project and tracker before anything is filed."""

    def project_info(self) -> ProjectInfo:
        """Priorities, milestones and users of the project."""

    def user_exists(self, name: str) -> bool:
        """True when ``name`` can be the assignee of an issue."""

    def find_users(self, prefix: str) -> list[str]:
        """Usernames that start with ``prefix`` (to suggest the closest one for an unknown owner)."""

    def iter_issues(self, *, since: float | None = None, status: str = "all") -> Iterator[RemoteIssue]:
        """Issues of ``status`` (``all``, ``Open``), oldest first, each once; ``since`` filters on last update."""

    def create_issue(
        self,
        *,
        title: str,
        content: str,
        tags: Sequence[str] = (),
        assignee: str | None = None,
        priority: str | None = None,
        milestone: str | None = None,
        private: bool = False,
        race_retries: int | None = None,
    ) -> RemoteIssue:
        """File one issue; never re-sent blindly after an ambiguous failure."""

    def get_issue(self, issue_id: int) -> RemoteIssue:
        """One issue by id, with its comments."""

    def close_issue(self, issue_id: int, status: str | None) -> None:
        """Set the issue Closed, with close status ``status`` when given (needs issue_change_status)."""

    def add_comment(self, issue_id: int, text: str) -> None:
        """Add one comment to the issue (needs issue_comment)."""

    def has_acl(self, acl: str) -> bool:
        """Whether the token carries ``acl`` (issue_change_status or issue_comment), asked without changing anything."""
