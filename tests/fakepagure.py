"""A stand-in Pagure server on 127.0.0.1 that reproduces ../shared/pagure-api.md, traps included.

Stdlib only. Use it in-process (``with FakePagure() as fake: fake.url``), through the ``fake_pagure``
pytest fixture, or as a separate process: ``python -m tests.fakepagure --port 0 --token T`` prints
its URL on the first line and serves until killed.

Reproduced: the order of checks on ``new_issue`` (token/ACL, blocked user, project, tracker
disabled/read-only, token binding, form validation, database write), ``private`` truthiness (``no`` is
private), duplicate tag -> EDBERROR, unknown assignee -> HTML 500 with nothing filed, priority as key,
exact milestone, NUL -> HTML 500 (PostgreSQL), 413 over ``max_body``, ids = max(issues, PRs) + 1, the
create race (id computed before the insert; widen it with ``create_delay``), listing semantics
(``Open`` case-sensitive, per_page 1..100, pagination, ``total_issues`` per page, ``since`` on
last_updated), private issues hidden from anonymous callers, ``issue/<id>/status`` and ``issue/<id>/comment``
(their ACL or issue_update; closing adds the "Metadata Update" comment).

Fault injection: ``set_faults(policy)`` where a policy maps (method, path) to a fault kind or None;
see ``FAULT_KINDS``, ``RandomFaults`` and ``ScriptedFaults``. ``slow`` and ``created_then_*`` run the
request first (an issue is created) and then answer late, with a 500, or not at all.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import json
import math
import random
import socket
import struct
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Deque, Dict, Iterator, List, Optional, Sequence, Tuple, Union
from urllib.parse import parse_qs, urlencode, urlsplit

ALL_ISSUE_ACLS = (
    "issue_assign",
    "issue_change_status",
    "issue_comment",
    "issue_create",
    "issue_subscribe",
    "issue_update",
    "issue_update_custom_fields",
    "issue_update_milestone",
)
DEFAULT_PROJECT = "centos-sig-hyperscale/sig"
DEFAULT_TOKEN = "N2TFAKE" + "0" * 50 + "TOKEN01"  # 64 chars of [A-Z0-9], like Pagure's
FAULT_KINDS = ("500", "502", "503", "429", "reset", "slow", "created_then_500", "created_then_reset")
ERROR_TEXTS = {
    "ENOPROJECT": "Project not found",
    "ETRACKERDISABLED": "Issue tracker disabled",
    "ETRACKERREADONLY": "The issue tracker of this project is read-only",
    "EDBERROR": "An error occurred at the database level and prevent the action from reaching completion",
    "EINVALIDREQ": "Invalid or incomplete input submitted",
    "ENOISSUE": "Issue not found",
    "EISSUENOTALLOWED": "You are not allowed to view this issue",
    "ENOUSER": "No such user found",
    "ETIMESTAMP": "Invalid timestamp format",
    "EDATETIME": "Invalid datetime format",
    "EINVALIDPERPAGEVALUE": "The per_page value must be between 1 and 100",
    "EUBLOCKED": "You have been blocked from this project",
}
FATAL_PAGE = (
    "<!DOCTYPE html>\n<html lang='en'><head><title>A fatal error occured :'( - Pagure</title></head>\n"
    "<body><h1>A fatal error occured :'(</h1><p>Please contact an admin.</p></body></html>\n"
)
TOO_LARGE_PAGE = (
    "<!doctype html>\n<html lang=en>\n<title>413 Request Entity Too Large</title>\n<h1>Request Entity Too Large</h1>\n"
    "<p>The data value transmitted exceeds the capacity limit.</p>\n"
)
_COMMITTER_LEVELS = ("owner", "admin", "commit")
# arrow (Pagure's date library) reads a timestamp past year 9999 as milliseconds, then as
# microseconds; beyond that, and for inf/nan, it fails -> ETIMESTAMP.
_MAX_TIMESTAMP = 253402300799.0


@dataclass(frozen=True)
class TokenSpec:
    """An API token: its user, the project it is bound to (None = project-less), ACLs, expiry."""

    user: str = "bot"
    project: Optional[str] = None
    acls: Tuple[str, ...] = ALL_ISSUE_ACLS
    expired: bool = False


@dataclass
class Request:
    """One logged request; ``status`` is None when the connection was reset without an answer."""

    method: str
    path: str
    query: Dict[str, List[str]]
    form: Dict[str, Any]
    status: Optional[int]
    fault: Optional[str] = None


@dataclass
class _Reply:
    status: int
    body: bytes
    content_type: str = "application/json"
    headers: Dict[str, str] = field(default_factory=dict)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # bursts of concurrent creates must queue, not be refused


FaultPolicy = Callable[[str, str], Optional[str]]


class RandomFaults:
    """Fail a fraction ``rate`` of matching requests with a kind drawn from ``kinds`` (seeded)."""

    def __init__(
        self,
        rate: float,
        *,
        seed: int = 0,
        kinds: Sequence[str] = FAULT_KINDS,
        method: Optional[str] = None,
        path_contains: Optional[str] = None,
    ) -> None:
        _check_kinds(kinds)
        self.rate, self.kinds, self.method, self.path_contains = rate, tuple(kinds), method, path_contains
        self._rng = random.Random(seed)

    def __call__(self, method: str, path: str) -> Optional[str]:
        if not _matches(method, path, self.method, self.path_contains):
            return None
        return self._rng.choice(self.kinds) if self._rng.random() < self.rate else None


class ScriptedFaults:
    """The next matching requests get these faults in order (None = answer normally), then none."""

    def __init__(
        self, faults: Sequence[Optional[str]], *, method: Optional[str] = None, path_contains: Optional[str] = None
    ) -> None:
        _check_kinds([f for f in faults if f is not None])
        self._queue: Deque[Optional[str]] = collections.deque(faults)
        self.method, self.path_contains = method, path_contains

    def __call__(self, method: str, path: str) -> Optional[str]:
        if not self._queue or not _matches(method, path, self.method, self.path_contains):
            return None
        return self._queue.popleft()


def _matches(method: str, path: str, want_method: Optional[str], path_contains: Optional[str]) -> bool:
    return (want_method is None or method == want_method) and (path_contains is None or path_contains in path)


def _check_kinds(kinds: Sequence[str]) -> None:
    unknown = sorted(set(kinds) - set(FAULT_KINDS))
    if unknown:
        raise ValueError(f"unknown fault kinds {unknown}; known: {FAULT_KINDS}")


class _Project:
    def __init__(
        self, name: str, priorities: Dict[str, str], milestones: Sequence[str], access: Dict[str, List[str]]
    ) -> None:
        self.name = name
        self.priorities = {"": "", **priorities}
        self.milestones = list(milestones)
        self.inactive: set = set()  # inactive milestones are still accepted on new_issue
        self.access = {level: list(access.get(level, ())) for level in
                       ("owner", "admin", "commit", "collaborator", "ticket")}
        self.close_statuses = ["Duplicate", "Fixed", "Insufficient data", "Invalid"]
        self.blocked: set = set()
        self.tracker = "on"  # "on", "disabled" or "readonly"
        self.issues: Dict[int, Dict[str, Any]] = {}
        self.pr_ids: set = set()
        self.tags: set = set()

    def next_id(self) -> int:
        return max(max(self.issues, default=0), max(self.pr_ids, default=0)) + 1

    def committers(self) -> set:
        return {user for level in _COMMITTER_LEVELS for user in self.access[level]}


class FakePagure:
    """The stand-in server; a context manager that serves on 127.0.0.1 (port 0) in a thread."""

    def __init__(
        self,
        *,
        project: str = DEFAULT_PROJECT,
        tokens: Optional[Dict[str, TokenSpec]] = None,
        users: Sequence[str] = ("davide", "neal", "bot", "anita"),
        priorities: Optional[Dict[str, str]] = None,
        milestones: Sequence[str] = ("2022-Q4",),
        access: Optional[Dict[str, List[str]]] = None,
        max_body: int = 4 * 1024 * 1024,
        create_delay: float = 0.0,
        slow_delay: float = 2.0,
        retry_after: str = "1",
        port: int = 0,
        data_file: Optional[Union[str, Path]] = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.project = project
        self.clock = clock  # the server's time for the timestamps of creates (a benchmark can simulate create latency)
        self.tokens = dict(tokens) if tokens is not None else {DEFAULT_TOKEN: TokenSpec("bot", project)}
        self.users = {name: {"name": name, "fullname": name.title(), "email": f"{name}@example.com"} for name in users}
        self.max_body, self.create_delay, self.slow_delay, self.retry_after = max_body, create_delay, slow_delay, \
            retry_after
        self.log: List[Request] = []
        self.data_file = Path(data_file) if data_file else None
        self._lock = threading.RLock()
        self._faults: Optional[FaultPolicy] = None
        self._projects: Dict[str, _Project] = {}
        self._port = port
        self._server: Optional[ThreadingHTTPServer] = None
        self._thread: Optional[threading.Thread] = None
        default_access = {"owner": ["davide"], "commit": ["bot"], "ticket": ["anita"]}
        self.add_project(project, priorities=priorities if priorities is not None else
                         {"1": "High", "2": "Normal", "3": "Low"}, milestones=milestones,
                         access=access if access is not None else default_access)
        self._load()

    # -- lifecycle -----------------------------------------------------------------

    def start(self) -> FakePagure:
        handler = type("_BoundHandler", (_Handler,), {"fake": self})
        self._server = _Server(("127.0.0.1", self._port), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                                        name="fakepagure", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakePagure:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None, "start the server first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # -- set-up and inspection for tests --------------------------------------------

    def add_project(
        self,
        name: str,
        *,
        priorities: Optional[Dict[str, str]] = None,
        milestones: Sequence[str] = (),
        access: Optional[Dict[str, List[str]]] = None,
        tracker: str = "on",
    ) -> None:
        proj = _Project(name, priorities or {}, milestones, access or {"owner": ["davide"], "commit": ["bot"]})
        proj.tracker = tracker
        with self._lock:
            self._projects[name.lower()] = proj

    def deactivate_milestone(self, milestone: str, project: Optional[str] = None) -> None:
        """Mark a milestone inactive (project info says so; new_issue still accepts it)."""
        self._proj(project).inactive.add(milestone)

    def set_tracker(self, state: str, project: Optional[str] = None) -> None:
        """``on``, ``disabled`` or ``readonly``."""
        assert state in ("on", "disabled", "readonly")
        self._proj(project).tracker = state

    def block_user(self, user: str, project: Optional[str] = None) -> None:
        self._proj(project).blocked.add(user)

    def add_pull_request(self, pr_id: int, project: Optional[str] = None) -> None:
        """Pull requests share the id counter with issues."""
        with self._lock:
            self._proj(project).pr_ids.add(pr_id)

    def add_issue(
        self,
        title: str,
        content: str = "",
        *,
        project: Optional[str] = None,
        issue_id: Optional[int] = None,
        status: str = "Open",
        close_status: Optional[str] = None,
        private: bool = False,
        assignee: Optional[str] = None,
        tags: Sequence[str] = (),
        author: str = "bot",
        priority: Optional[int] = None,
        milestone: Optional[str] = None,
        date_created: Optional[float] = None,
        last_updated: Optional[float] = None,
    ) -> Dict[str, Any]:
        """Seed an existing remote issue (fast: no HTTP, no persistence until ``save()``)."""
        with self._lock:
            proj = self._proj(project)
            new_id = issue_id if issue_id is not None else proj.next_id()
            created = date_created if date_created is not None else time.time()
            issue = self._issue_json(proj, new_id, title, content, author, created)
            issue.update(status=status, close_status=close_status, private=private, priority=priority,
                         milestone=milestone, tags=sorted(set(tags)),
                         assignee=self._user_json(assignee) if assignee else None,
                         last_updated=_stamp(last_updated if last_updated is not None else created))
            proj.issues[new_id] = issue
            proj.tags.update(tags)
            return self._out(proj, issue)

    def update_issue(self, issue_id: int, *, project: Optional[str] = None, when: Optional[float] = None,
                     **fields: Any) -> None:
        """Change fields of an issue (e.g. ``status="Closed", close_status="Fixed"``) and bump last_updated."""
        with self._lock:
            issue = self._proj(project).issues[issue_id]
            issue.update(fields)
            issue["last_updated"] = _stamp(when if when is not None else time.time())

    def delete_issue(self, issue_id: int, project: Optional[str] = None) -> None:
        with self._lock:
            del self._proj(project).issues[issue_id]

    def issues(self, project: Optional[str] = None) -> List[Dict[str, Any]]:
        """Every issue of the project (private included), by id, as the API would return them."""
        with self._lock:
            proj = self._proj(project)
            return [self._out(proj, proj.issues[i]) for i in sorted(proj.issues)]

    def set_faults(self, policy: Union[None, FaultPolicy, Sequence[Optional[str]]]) -> None:
        """A policy callable, a list of faults for the next requests, or None for no faults."""
        if policy is not None and not callable(policy):
            policy = ScriptedFaults(list(policy))
        with self._lock:
            self._faults = policy

    def reset_log(self) -> None:
        with self._lock:
            self.log.clear()

    def count(self, method: Optional[str] = None, path_endswith: Optional[str] = None) -> int:
        """How many logged requests match."""
        with self._lock:
            return sum(1 for r in self.log if (method is None or r.method == method)
                       and (path_endswith is None or r.path.endswith(path_endswith)))

    def save(self) -> None:
        """Write issues, tags and PR ids to ``data_file`` atomically (no-op without one)."""
        if self.data_file is None:
            return
        with self._lock:
            data = {key: {"issues": list(p.issues.values()), "tags": sorted(p.tags), "pr_ids": sorted(p.pr_ids)}
                    for key, p in self._projects.items()}
            tmp = self.data_file.with_name(self.data_file.name + ".tmp")
            tmp.write_text(json.dumps(data), encoding="utf-8")
            tmp.replace(self.data_file)

    def _load(self) -> None:
        if self.data_file is None or not self.data_file.exists():
            return
        data = json.loads(self.data_file.read_text(encoding="utf-8"))
        for key, saved in data.items():
            if key in self._projects:
                proj = self._projects[key]
                proj.issues = {int(i["id"]): i for i in saved["issues"]}
                proj.tags, proj.pr_ids = set(saved["tags"]), set(saved["pr_ids"])

    # -- request handling -------------------------------------------------------------

    def next_fault(self, method: str, path: str) -> Optional[str]:
        with self._lock:
            return self._faults(method, path) if self._faults is not None else None

    def record(self, entry: Request) -> None:
        with self._lock:
            self.log.append(entry)

    def dispatch(self, method: str, path: str, query: Dict[str, List[str]], headers: Any, body: bytes) -> _Reply:
        """Answer one request as Pagure would (no faults here)."""
        if not path.startswith("/api/0/"):
            return _html(404, "<h1>Not Found</h1>")
        rest = path[len("/api/0/"):]
        if rest == "-/whoami" and method == "POST":
            return self._whoami(headers)
        if rest == "-/version" and method == "GET":
            return _json(200, {"version": "0.31"})
        segments = rest.split("/")
        if segments[0] == "user" and len(segments) == 2:
            return self._user(segments[1]) if method == "GET" else _html(405, "<h1>Method Not Allowed</h1>")
        if rest == "users":
            return self._search_users(query) if method == "GET" else _html(405, "<h1>Method Not Allowed</h1>")
        return self._project_route(method, segments, query, headers, body)

    def _project_route(self, method: str, segments: List[str], query: Dict[str, List[str]], headers: Any,
                       body: bytes) -> _Reply:
        kind, issue_ref = "info", ""
        if len(segments) >= 4 and segments[-3] == "issue" and segments[-1] in ("status", "comment"):
            if method != "POST":
                return _html(405, "<h1>Method Not Allowed</h1>")
            return self._change("/".join(segments[:-3]), segments[-2], segments[-1], headers, body)
        if segments[-1] in ("new_issue", "issues", "tags"):
            kind, segments = segments[-1], segments[:-1]
        elif len(segments) >= 3 and segments[-2] == "issue":
            kind, issue_ref, segments = "issue", segments[-1], segments[:-2]
        forked = segments[0] == "fork"
        if len(segments) not in ((3, 4) if forked else (1, 2)) or not all(segments):
            return _html(404, "<h1>Not Found</h1>")
        if (kind == "new_issue") != (method == "POST"):
            return _html(405, "<h1>Method Not Allowed</h1>")
        name = "/".join(segments)
        if kind == "new_issue":
            return self._new_issue(name, headers, body)
        return self._read(kind, name, issue_ref, query, headers)

    # -- auth -----------------------------------------------------------------------

    def _token(self, headers: Any) -> Tuple[str, Optional[TokenSpec]]:
        header = headers.get("Authorization")
        if header is None or "token" not in header:
            return "none", None  # "Token X", "Bearer X" and bare tokens are not recognised
        spec = self.tokens.get(header[header.find("token") + len("token"):].strip())
        if spec is None:
            return "invalid", None
        return ("expired" if spec.expired else "ok"), spec

    def _tok_error(self, errors: Optional[str]) -> _Reply:
        body: Dict[str, Any] = {"error": self.tok_text(), "error_code": "EINVALIDTOK"}
        if errors is not None:
            body["errors"] = errors
        return _json(401, body)

    def tok_text(self) -> str:
        base = self.url + "/" if self._server is not None else "http://127.0.0.1/"
        return f"Invalid or expired token. Please visit {base}settings#nav-api-tab to get or renew your API token."

    def _whoami(self, headers: Any) -> _Reply:
        state, spec = self._token(headers)
        if state == "none":
            return self._tok_error(None)
        if spec is None or state != "ok":
            return self._tok_error("Invalid token" if spec is None else "Expired token")
        return _json(200, {"username": spec.user})

    # -- new_issue --------------------------------------------------------------------

    def _new_issue(self, name: str, headers: Any, body: bytes) -> _Reply:
        state, spec = self._token(headers)
        if state != "ok" or spec is None or "issue_create" not in spec.acls:
            errors = {"none": "Invalid token", "invalid": "Invalid token", "expired": "Expired token"}
            return self._tok_error(errors.get(state, "Missing ACLs: issue_create"))
        with self._lock:
            proj = self._projects.get(name.lower())
            if proj is not None and spec.user in proj.blocked:
                return _api_error(403, "EUBLOCKED")
            if proj is None:
                return _api_error(404, "ENOPROJECT")
            if proj.tracker == "disabled":
                return _api_error(404, "ETRACKERDISABLED")
            if proj.tracker == "readonly":
                return _api_error(401, "ETRACKERREADONLY")
        if spec.project is not None and spec.project.lower() != name.lower():
            return self._tok_error(None)
        if len(body) > self.max_body:
            return _html(413, TOO_LARGE_PAGE)
        form = _parse_body(headers, body)
        if isinstance(form, _Reply):
            return form
        return self._create(proj, form, spec.user)

    def _create(self, proj: _Project, form: Dict[str, Any], author: str) -> _Reply:
        title, content = str(form.get("title") or ""), str(form.get("issue_content") or "")
        errors = {key: ["This field is required."] for key, value in (("title", title), ("issue_content", content))
                  if not value.strip()}
        milestone, priority = form.get("milestone") or "", form.get("priority") or ""
        if milestone and milestone not in proj.milestones:
            errors["milestone"] = ["Not a valid choice."]
        if priority and (priority not in proj.priorities or priority == ""):
            errors["priority"] = ["Not a valid choice."]
        if errors:
            return _api_error(400, "EINVALIDREQ", errors=errors)
        if "\x00" in title or "\x00" in content:
            return _html(500, FATAL_PAGE)  # PostgreSQL refuses NUL in text columns
        tags = [t.strip() for t in str(form.get("tag") or "").split(",") if t.strip()]
        if len(set(tags)) != len(tags) or any(len(t) > 255 for t in tags):
            return _api_error(400, "EDBERROR")
        assignee = self._find_user(str(form.get("assignee") or "").strip())
        if assignee is False:
            return _html(500, FATAL_PAGE)  # the real server's uncaught NoResultFound
        with self._lock:
            new_id = proj.next_id()  # computed before the insert: concurrent creates race here
        if self.create_delay:
            time.sleep(self.create_delay)
        with self._lock:
            if new_id in proj.issues or new_id in proj.pr_ids:
                return _api_error(400, "EDBERROR")
            created = self.clock()
            issue = self._issue_json(proj, new_id, title, content, author, created)
            # Pagure stamps last_updated a moment before date_created (0.7-4 ms on the lab).
            issue["last_updated"] = _stamp(created - 0.001)
            issue.update(tags=sorted(tags), private=form.get("private", False), milestone=milestone or None,
                         priority=int(priority) if priority else None,
                         assignee=self._user_json(assignee) if assignee else None)
            proj.issues[new_id] = issue
            proj.tags.update(tags)
            self.save()
            return _json(200, {"issue": self._out(proj, issue), "message": "Issue created"})

    # -- issue/<id>/status and issue/<id>/comment ---------------------------------------

    def _change(self, name: str, ref: str, action: str, headers: Any, body: bytes) -> _Reply:
        """Close/reopen or comment, with Pagure's ACL rule: the specific ACL or issue_update."""
        acl = "issue_change_status" if action == "status" else "issue_comment"
        state, spec = self._token(headers)
        if state != "ok" or spec is None or not {acl, "issue_update"} & set(spec.acls):
            errors = {"none": "Invalid token", "invalid": "Invalid token", "expired": "Expired token"}
            return self._tok_error(errors.get(state, f"Missing ACLs: {acl}, issue_update"))
        with self._lock:
            proj = self._projects.get(name.lower())
            if proj is None:
                return _api_error(404, "ENOPROJECT")
            if proj.tracker == "disabled":
                return _api_error(404, "ETRACKERDISABLED")
            if spec.project is not None and spec.project.lower() != name.lower():
                return self._tok_error(None)
            issue = proj.issues.get(int(ref)) if ref.isdigit() else None
            if issue is None:
                return _api_error(404, "ENOISSUE")
        form = _parse_body(headers, body)
        if isinstance(form, _Reply):
            return form
        with self._lock:
            reply = self._set_status(proj, issue, form, spec.user) if action == "status" else \
                self._comment(issue, str(form.get("comment") or ""), spec.user)
            self.save()
            return reply

    def _set_status(self, proj: _Project, issue: Dict[str, Any], form: Dict[str, Any], user: str) -> _Reply:
        status, close_status = str(form.get("status") or ""), str(form.get("close_status") or "")
        if status not in ("Open", "Closed"):
            return _api_error(400, "EINVALIDREQ", errors={"status": ["Not a valid choice."]})
        if close_status and close_status not in proj.close_statuses:
            return _api_error(400, "EINVALIDREQ", errors={"close_status": ["Not a valid choice."]})
        messages = [f"Issue status updated to: {status} (was: {issue['status']})"]
        now = _stamp(time.time())
        issue.update(status=status, last_updated=now)
        if status == "Closed":
            issue.update(close_status=close_status or None, closed_at=now, closed_by=self._user_json(user))
            if close_status:
                messages.append(f"Issue close_status updated to: {close_status}")
        else:
            issue.update(close_status=None, closed_at=None, closed_by=None)
        self._add_comment(issue, f"**Metadata Update from @{user}**:\n- " + "\n- ".join(messages), user)
        return _json(200, {"message": messages})

    def _comment(self, issue: Dict[str, Any], text: str, user: str) -> _Reply:
        if not text.strip():
            return _api_error(400, "EINVALIDREQ", errors={"comment": ["This field is required."]})
        self._add_comment(issue, text, user)
        issue["last_updated"] = _stamp(time.time())
        return _json(200, {"avatar_url": "", "message": "Comment added", "user": user})

    def _add_comment(self, issue: Dict[str, Any], text: str, user: str) -> None:
        issue["comments"].append({
            "comment": text, "date_created": _stamp(time.time()), "edited_on": None, "editor": None,
            "id": len(issue["comments"]) + 1, "notification": False, "parent": None,
            "reactions": {}, "user": self._user_json(user),
        })

    def _find_user(self, value: str) -> Union[None, bool, str]:
        """None for empty, the username when known by name or e-mail, False when unknown."""
        if not value:
            return None
        for name, user in self.users.items():
            if value in (name, user["email"]):
                return name
        return False

    def _issue_json(self, proj: _Project, issue_id: int, title: str, content: str, author: str,
                    created: float) -> Dict[str, Any]:
        stamp = _stamp(created)
        return {
            "assignee": None, "blocks": [], "close_status": None, "closed_at": None, "closed_by": None,
            "comments": [], "content": content, "custom_fields": [], "date_created": stamp, "depends": [],
            "id": issue_id, "last_updated": stamp,
            "milestone": None, "priority": None, "private": False, "related_prs": [], "status": "Open",
            "tags": [], "title": title, "user": self._user_json(author),
        }

    def _out(self, proj: _Project, issue: Dict[str, Any]) -> Dict[str, Any]:
        """A deep copy of the stored issue plus its ``full_url`` (computed: the port changes across restarts)."""
        out: Dict[str, Any] = json.loads(json.dumps(issue))
        out["full_url"] = f"{self._base()}/{proj.name}/issue/{issue['id']}"
        return out

    def _user_json(self, name: str) -> Dict[str, str]:
        full = self.users.get(name, {}).get("fullname", name)
        return {"full_url": f"{self._base()}/user/{name}", "fullname": full, "name": name, "url_path": f"user/{name}"}

    def _base(self) -> str:
        return self.url if self._server is not None else "http://127.0.0.1"

    # -- reads ------------------------------------------------------------------------

    def _read(self, kind: str, name: str, issue_ref: str, query: Dict[str, List[str]], headers: Any) -> _Reply:
        state, spec = self._token(headers)
        if state in ("invalid", "expired"):
            return self._tok_error("Invalid token" if state == "invalid" else "Expired token")
        with self._lock:
            proj = self._projects.get(name.lower())
            if proj is None:
                return _api_error(404, "ENOPROJECT")
            if kind != "info" and proj.tracker == "disabled":
                return _api_error(404, "ETRACKERDISABLED")
            if spec is not None and spec.project is not None and spec.project.lower() != name.lower():
                return self._tok_error(None)
            viewer = spec.user if spec is not None else None
            if kind == "info":
                return _json(200, self._project_json(proj))
            if kind == "tags":
                return _json(200, {"tags": sorted(proj.tags), "total_tags": len(proj.tags)})
            if kind == "issue":
                return self._one_issue(proj, issue_ref, viewer)
            return self._list(proj, query, viewer)

    def _project_json(self, proj: _Project) -> Dict[str, Any]:
        namespace, _, short = proj.name.rpartition("/")
        return {
            "access_groups": {"admin": [], "collaborator": [], "commit": [], "ticket": []}, "access_users": proj.access,
            "close_status": proj.close_statuses, "custom_keys": [], "description": "", "fullname": proj.name,
            "full_url": f"{self._base()}/{proj.name}", "id": 1, "milestones": {
                m: {"active": m not in proj.inactive, "date": None} for m in proj.milestones},
            "name": short, "namespace": namespace or None, "parent": None, "priorities": proj.priorities,
            "tags": sorted(proj.tags), "url_path": proj.name, "user": self._user_json(proj.access["owner"][0]
                                                                                      if proj.access["owner"] else "davide"),
        }

    def _visible(self, proj: _Project, issue: Dict[str, Any], viewer: Optional[str]) -> bool:
        if not issue["private"] or viewer in proj.committers():
            return True
        assignee = issue["assignee"]["name"] if issue["assignee"] else None
        return viewer is not None and viewer in (issue["user"]["name"], assignee)

    def _one_issue(self, proj: _Project, ref: str, viewer: Optional[str]) -> _Reply:
        issue = proj.issues.get(int(ref)) if ref.isdigit() else None
        if issue is None:
            return _api_error(404, "ENOISSUE")
        if not self._visible(proj, issue, viewer):
            return _api_error(403, "EISSUENOTALLOWED")
        return _json(200, self._out(proj, issue))

    def _list(self, proj: _Project, query: Dict[str, List[str]], viewer: Optional[str]) -> _Reply:
        params = {key: values[0] for key, values in query.items()}
        status = params.get("status", "Open")  # the default; ``args`` echoes what was sent
        try:
            per_page, page = int(params.get("per_page", "20")), int(params.get("page", "1"))
        except ValueError:
            return _api_error(400, "EINVALIDREQ")
        if not 1 <= per_page <= 100:
            return _api_error(400, "EINVALIDPERPAGEVALUE")
        if page < 1:
            return _api_error(400, "EINVALIDREQ")
        since = _parse_since(params.get("since"))
        if isinstance(since, _Reply):
            return since
        chosen = [i for i in proj.issues.values() if self._visible(proj, i, viewer) and _status_ok(i, status)
                  and (since is None or float(i["last_updated"]) >= since[0])]
        chosen.sort(key=lambda i: (float(i["date_created"]), i["id"]), reverse=params.get("order") != "asc")
        pages = math.ceil(len(chosen) / per_page)
        shown = chosen[(page - 1) * per_page: page * per_page]
        link = self._page_link(proj, query, per_page)
        return _json(200, {
            "args": {"assignee": None, "author": None, "milestones": [], "no_stones": None,
                     "order": params.get("order"), "priority": None, "since": since[1] if since else None,
                     "status": params.get("status"), "tags": []},
            "issues": [self._out(proj, issue) for issue in shown],
            "pagination": {"first": link(1), "last": link(pages), "next": link(page + 1) if page < pages
                           else None, "prev": link(page - 1) if page > 1 else None, "page": page, "pages": pages,
                           "per_page": per_page},
            "total_issues": len(shown),
        })

    def _page_link(self, proj: _Project, query: Dict[str, List[str]], per_page: int) -> Callable[[int], str]:
        def link(page: int) -> str:
            params = {k: v[0] for k, v in query.items() if k not in ("page", "per_page")}
            params.update(per_page=str(per_page), page=str(page))
            return f"{self._base()}/api/0/{proj.name}/issues?{urlencode(sorted(params.items()))}"
        return link

    # -- users ------------------------------------------------------------------------

    def _user(self, name: str) -> _Reply:
        user = self.users.get(name)
        if user is None:
            return _api_error(404, "ENOUSER")
        info = {**self._user_json(name), "default_email": user["email"], "emails": [user["email"]]}
        return _json(200, {"user": info, "repos": [], "forks": [], "repos_pagination": {}, "forks_pagination": {}})

    def _search_users(self, query: Dict[str, List[str]]) -> _Reply:
        pattern = (query.get("pattern") or [""])[0].rstrip("*")
        names = sorted(n for n in self.users if n.lower().startswith(pattern.lower()))  # SQL ILIKE 'pattern%'
        mention = [{"username": n, "name": self.users[n]["fullname"], "image": ""} for n in names]
        return _json(200, {"users": names, "total_users": len(names), "mention": mention})

    # -- helpers ----------------------------------------------------------------------

    def _proj(self, project: Optional[str]) -> _Project:
        return self._projects[(project or self.project).lower()]


def _stamp(when: float) -> str:
    """Pagure's timestamp string: Unix time with a fraction, like ``"1795635841.02989"``."""
    text = repr(float(when))
    return text if "." in text else text + ".0"


def _status_ok(issue: Dict[str, Any], status: str) -> bool:
    if status.lower() == "all":
        return True
    if status.lower() == "closed":
        return issue["status"] != "Open"
    if status == "Open":  # case-sensitive: "open" matches nothing, as on the real server
        return issue["status"] == "Open"
    return issue["close_status"] == status


def _parse_since(value: Optional[str]) -> Union[None, _Reply, Tuple[float, Any]]:
    """As Pagure 5.13: anything ``float()`` reads is a timestamp (seconds, or ms/us when huge), else YYYY-MM-DD."""
    if value is None:
        return None
    try:
        stamp = float(value)
    except ValueError:
        pass
    else:
        for scale in (1.0, 1e3, 1e6):
            if math.isfinite(stamp) and -_MAX_TIMESTAMP < stamp <= _MAX_TIMESTAMP * scale:
                return stamp / scale, stamp
        return _api_error(400, "ETIMESTAMP")
    try:
        day = datetime.datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=datetime.timezone.utc)
    except ValueError:
        return _api_error(400, "EDATETIME")
    return day.timestamp(), value


def _parse_body(headers: Any, body: bytes) -> Union[_Reply, Dict[str, Any]]:
    """The submitted fields as strings (first value wins), plus ``private`` as a bool."""
    ctype = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
    if ctype == "application/json":
        return _parse_json_body(body)
    if ctype != "application/x-www-form-urlencoded":
        return {}  # multipart is not reproduced; anything else is ignored by Pagure too
    fields = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items()}
    form: Dict[str, Any] = {k: v for k, v in fields.items() if k != "private"}
    # Pagure's quirk: anything but exactly false/False/0/empty is private ("no" included).
    form["private"] = "private" in fields and fields["private"] not in ("false", "False", "0", "")
    return form


def _parse_json_body(body: bytes) -> Union[_Reply, Dict[str, Any]]:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return _html(400, "<h1>Bad Request</h1>")
    if not isinstance(data, dict):
        return _html(500, FATAL_PAGE)
    for key in ("priority", "milestone", "tag", "assignee"):
        value = data.get(key, "")
        if not isinstance(value, str) and not (key in ("priority", "milestone") and value is None):
            return _html(500, FATAL_PAGE)  # numbers, lists and nulls crash the real form code
    form = {k: (str(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v)
            for k, v in data.items() if k != "private"}
    form["private"] = "private" in data and data["private"] not in (False, 0, "false")
    return form


def _json(status: int, body: Any) -> _Reply:
    return _Reply(status, json.dumps(body).encode("utf-8"))


def _api_error(status: int, code: str, *, errors: Any = None) -> _Reply:
    body: Dict[str, Any] = {"error": ERROR_TEXTS[code], "error_code": code}
    if errors is not None:
        body["errors"] = errors
    return _json(status, body)


def _html(status: int, page: str) -> _Reply:
    return _Reply(status, page.encode("utf-8"), "text/html; charset=utf-8")


def _fault_reply(kind: str, retry_after: str) -> _Reply:
    if kind == "429":
        return _Reply(429, b"<h1>Too Many Requests</h1>", "text/html", {"Retry-After": retry_after})
    if kind == "503":
        return _Reply(503, b"<h1>503 Service Unavailable</h1>", "text/html", {"Retry-After": retry_after})
    if kind == "502":
        return _html(502, "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>")
    return _html(500, FATAL_PAGE)


class _Handler(BaseHTTPRequestHandler):
    fake: FakePagure  # set on the bound subclass
    server_version = "FakePagure/1.0"

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence stderr noise
        pass

    def _handle(self, method: str) -> None:
        parts = urlsplit(self.path)
        query = parse_qs(parts.query, keep_blank_values=True)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if parts.path.startswith("/_fake/"):
            self._send(self._control(parts.path, body))
            return
        fault = self.fake.next_fault(method, parts.path)
        entry = Request(method, parts.path, query, _logged_form(self.headers, body), None, fault)
        reply: Optional[_Reply] = None
        if fault in ("500", "502", "503", "429"):
            reply = _fault_reply(fault, self.fake.retry_after)
        elif fault != "reset":
            try:
                reply = self.fake.dispatch(method, parts.path, query, self.headers, body)
            except Exception:  # a bug in the fake: show it, answer like a crashed server
                traceback.print_exc()
                reply = _html(500, "<h1>Internal Server Error</h1>")
            if fault == "created_then_500":
                reply = _fault_reply("500", self.fake.retry_after)
            elif fault == "created_then_reset":
                reply = None
        entry.status = reply.status if reply is not None else None
        self.fake.record(entry)  # before answering, so a client that got its answer sees it logged
        if fault == "slow":
            time.sleep(self.fake.slow_delay)  # the work is done; only the answer is late
        if reply is None:
            self._reset()
        else:
            self._send(reply)

    def _reset(self) -> None:
        """Close the socket with an RST and no answer."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass

    def _send(self, reply: _Reply) -> None:
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            self.send_header("Connection", "close")
            for key, value in reply.headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(reply.body)
        except OSError:
            pass  # the client gave up (e.g. its timeout fired during a slow reply)

    def _control(self, path: str, body: bytes) -> _Reply:
        """Out-of-band control for a server running in another process (not logged, never faulted)."""
        if path == "/_fake/stats":
            with self.fake._lock:
                by_path = collections.Counter(f"{r.method} {r.path}" for r in self.fake.log)
            return _json(200, {"requests": len(self.fake.log), "by_path": by_path,
                               "issues": len(self.fake.issues())})
        if path == "/_fake/reset-log":
            self.fake.reset_log()
            return _json(200, {})
        if path == "/_fake/faults":
            spec = json.loads(body or b"{}")
            policy = (RandomFaults(spec["rate"], seed=spec.get("seed", 0), kinds=spec.get("kinds", FAULT_KINDS))
                      if "rate" in spec else spec.get("script"))
            self.fake.set_faults(policy)
            return _json(200, {})
        return _html(404, "<h1>Not Found</h1>")


def _logged_form(headers: Any, body: bytes) -> Dict[str, Any]:
    parsed = _parse_body(headers, body) if body else {}
    return parsed if isinstance(parsed, dict) else {}


try:
    import pytest
except ImportError:  # pragma: no cover - the __main__ entry point does not need pytest
    pytest = None  # type: ignore[assignment]

if pytest is not None:

    @pytest.fixture
    def fake_pagure() -> Iterator[FakePagure]:
        """A started FakePagure with the default project, users and ``DEFAULT_TOKEN``."""
        with FakePagure() as fake:
            yield fake


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fakepagure", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--project", default=DEFAULT_PROJECT)
    parser.add_argument("--token", action="append", help="a token bound to --project for user 'bot' (repeatable)")
    parser.add_argument("--data", help="persist issues to this JSON file (and load it at start)")
    parser.add_argument("--fault-rate", type=float, default=0.0)
    parser.add_argument("--fault-seed", type=int, default=0)
    parser.add_argument("--fault-kinds", default=",".join(FAULT_KINDS))
    parser.add_argument("--retry-after", default="1")
    parser.add_argument("--slow-delay", type=float, default=2.0)
    parser.add_argument("--create-delay", type=float, default=0.0)
    parser.add_argument("--max-body", type=int, default=4 * 1024 * 1024)
    args = parser.parse_args(argv)
    tokens = {t: TokenSpec("bot", args.project) for t in (args.token or [DEFAULT_TOKEN])}
    fake = FakePagure(project=args.project, tokens=tokens, port=args.port, data_file=args.data,
                      retry_after=args.retry_after, slow_delay=args.slow_delay, create_delay=args.create_delay,
                      max_body=args.max_body)
    if args.fault_rate:
        fake.set_faults(RandomFaults(args.fault_rate, seed=args.fault_seed, kinds=args.fault_kinds.split(",")))
    with fake:
        print(fake.url, flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
