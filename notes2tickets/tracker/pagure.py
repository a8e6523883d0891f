"""The Pagure REST client: the only module that speaks HTTP.

Every non-2xx answer, transport failure or non-JSON body becomes a
``TrackerError`` (or ``FatalTrackerError`` for auth/project/tracker problems),
worded by ``pagure_errors``: one line that names the cause and the fix and
never the token. GETs are retried; the issue-creating POST is never re-sent after an
ambiguous failure: the caller looks for the issue's marker first.
"""

from __future__ import annotations

import math
import re
import time
from typing import Any, Callable, Iterator, Sequence, TypeVar

import requests
from requests.auth import AuthBase

from notes2tickets import __version__
from notes2tickets.config import check_project, check_url
from notes2tickets.errors import ConfigError, FatalTrackerError, TrackerError
from notes2tickets.model import clean_title, tag_problem
from notes2tickets.tracker.base import ProjectInfo, RemoteIssue
from notes2tickets.redact import safe_url
from notes2tickets.tracker.pagure_errors import error_from_response, json_dict, transport_error
from notes2tickets.tracker.transport import DeadlineExceeded, DeadlineSession

PER_PAGE = 100
MAX_PAGES = 2000  # 200,000 issues: a listing that always says "next page" still ends
DEFAULT_RETRIES = 4  # for GETs, with exponential backoff
MAX_RETRY_AFTER = 60.0
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_TRANSPORT_ERRORS = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)
_T = TypeVar("_T")


class _TokenAuth(AuthBase):
    """``Authorization: token <T>``; the repr never shows the token."""

    def __init__(self, token: str) -> None:
        self._token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"token {self._token}"
        return request

    def __repr__(self) -> str:
        return "<token auth: hidden>"


class PagureClient:
    """A faithful client for the handful of Pagure endpoints notes2tickets uses."""

    def __init__(
        self,
        *,
        url: str,
        project: str,
        token: str | None,
        timeout: float = 30.0,
        retries: int = DEFAULT_RETRIES,
        backoff: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
        edberror_retries: int = 3,
        read_deadline: float | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self.base_url = check_url(url, token=token)
        self.project = check_project(project)
        self.project_url = f"{self.base_url}/{self.project}"
        self.api_url = f"{self.base_url}/api/0/{self.project}"
        self.requests_sent = 0
        self._has_token = token is not None
        self._timeout = timeout
        self._retries = retries
        self._backoff = backoff
        self._sleep = sleep
        self._edberror_retries = edberror_retries
        self._progress = progress or (lambda line: None)
        # ``timeout`` is a total deadline per request; ``read_deadline`` bounds all reads of this run.
        self._session = DeadlineSession()
        self._read_seconds = read_deadline
        if read_deadline is not None:
            self._session.read_deadline = time.monotonic() + read_deadline
        self._session.headers["User-Agent"] = f"notes2tickets/{__version__}"
        if token is not None:
            self._session.auth = _TokenAuth(_check_token(token))
        self._info: ProjectInfo | None = None
        self._users: dict[str, bool] = {}

    def __repr__(self) -> str:
        token = "<hidden>" if self._has_token else None
        return f"PagureClient(url={self.base_url!r}, project={self.project!r}, token={token})"

    # -- public API -----------------------------------------------------------------

    def preflight(self) -> None:
        """Check token, ACL, project and tracker with an empty create that cannot file anything."""
        if not self._has_token:
            raise FatalTrackerError(
                f"no Pagure API token to file issues on {self.project}: set PAGURE_API_TOKEN to a project API key "
                f"with the issue_create ACL (create it in {self.project_url}/settings, API keys)"
            )
        url = f"{self.api_url}/new_issue"
        for attempt in range(2):  # an empty form files nothing, so a one-off EDBERROR is simply asked again
            resp = self._request_retrying("POST", url, data={})
            body = json_dict(resp)
            code = body.get("error_code") if body is not None else None
            if resp.status_code == 400 and code == "EINVALIDREQ":
                return
            if code != "EDBERROR":
                break
            if attempt == 0:
                self._sleep(self._backoff)
        else:
            raise TrackerError(
                f"Pagure answered 400 EDBERROR twice to the empty-form check at {safe_url(url)} (a database error "
                "on the server, nothing to do with the notes): try again later, or ask the Pagure admins",
                status=resp.status_code, code="EDBERROR", url=safe_url(url),
            )
        if _is_2xx(resp):
            raise FatalTrackerError(
                f"Pagure accepted an empty issue form at {safe_url(url)}: check PAGURE_URL / --url points at Pagure"
            )
        error = self._error(resp, "POST")
        if resp.status_code < 500 and not isinstance(error, FatalTrackerError):
            # Any other refusal of an empty form is a configuration problem: stop before filing.
            raise FatalTrackerError(str(error), status=error.status, code=error.code, url=error.url)
        raise error

    def project_info(self) -> ProjectInfo:
        """Priorities, milestones and users of the project (fetched once per client)."""
        if self._info is None:
            self._info = _decoded(ProjectInfo.from_json, self._get_json(self.api_url), self.api_url)
        return self._info

    def user_exists(self, name: str) -> bool:
        """True when ``name`` is a user Pagure accepts as assignee (cached)."""
        name = name.strip()
        if not name:
            return False
        if name not in self._users:
            if name in self.project_info().users:
                self._users[name] = True
            else:
                url = f"{self.base_url}/api/0/users"
                data = self._get_json(url, params={"pattern": name})
                self._users[name] = _decoded(lambda d: name in (d.get("users") or ()), data, url)
        return self._users[name]

    def find_users(self, prefix: str) -> list[str]:
        """Usernames starting with ``prefix`` (Pagure's user search, a GET)."""
        url = f"{self.base_url}/api/0/users"
        data = self._get_json(url, params={"pattern": prefix.strip()})
        return _decoded(lambda d: [str(n) for n in d.get("users") or ()], data, url)

    def iter_issues(self, *, since: float | None = None, status: str = "all") -> Iterator[RemoteIssue]:
        """Issues oldest first (by creation), each once; ``since`` filters on last update.

        Stops at the page count the first page announced (issues filed meanwhile are
        seen by the next look) and at ``MAX_PAGES`` whatever the server says.
        """
        params: dict[str, str] = {"status": status, "per_page": str(PER_PAGE), "order": "asc"}
        if since is not None:
            # Whole seconds work on every Pagure version; flooring keeps the filter inclusive.
            params["since"] = str(int(math.floor(since)))
        seen: set[int] = set()
        url = f"{self.api_url}/issues"
        pages = 1
        for page in range(1, MAX_PAGES + 1):
            data = self._get_json(url, params={**params, "page": str(page)})
            issues, more, announced = _decoded(lambda d: _issue_page(d, page), data, url)
            pages = announced if page == 1 else pages
            if pages > 1:
                self._progress(f"reading the tracker: page {page} of {min(pages, MAX_PAGES)}")
            for issue in issues:
                if issue.id not in seen:
                    seen.add(issue.id)
                    yield issue
            if not more or page >= pages:
                return
        self._progress(f"warning: stopped reading the tracker after {MAX_PAGES} pages")

    def get_issue(self, issue_id: int) -> RemoteIssue:
        """One issue by id."""
        url = f"{self.api_url}/issue/{int(issue_id)}"
        return _decoded(RemoteIssue.from_json, self._get_json(url), url)

    def close_issue(self, issue_id: int, status: str | None) -> None:
        """``POST …/issue/<id>/status``: Closed, with ``status`` as close status when given."""
        form = {"status": "Closed"}
        if status:
            form["close_status"] = status
        self._post_change(f"{self.api_url}/issue/{int(issue_id)}/status", form)

    def add_comment(self, issue_id: int, text: str) -> None:
        """``POST …/issue/<id>/comment``; not re-sent after an ambiguous failure (the caller looks first)."""
        self._post_change(f"{self.api_url}/issue/{int(issue_id)}/comment", {"comment": _clean_text(text)})

    def has_acl(self, acl: str) -> bool:
        """Probe an endpoint needing ``acl`` on issue 0, which cannot exist: Pagure checks the token's
        ACLs first (401 "Missing ACLs") and only then looks the issue up (404 ENOISSUE), so nothing changes."""
        endpoint = {"issue_change_status": "status", "issue_comment": "comment"}[acl]
        url = f"{self.api_url}/issue/0/{endpoint}"
        resp = self._request_retrying("POST", url, data={})
        body = json_dict(resp) or {}
        if resp.status_code == 404 and body.get("error_code") == "ENOISSUE":
            return True
        errors = body.get("errors")
        if resp.status_code == 401 and isinstance(errors, str) and errors.startswith("Missing ACLs"):
            return False
        raise self._error(resp, "POST")

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
        """File one issue: one logical POST, retried only for EDBERROR races and 429.

        ``race_retries`` overrides the client's EDBERROR retries for this call: a
        caller that can look for the issue first (another client may have filed the
        same item meanwhile) passes 0 and retries itself.
        """
        form = self._create_form(title, content, tags, assignee, priority, milestone, private)
        url = f"{self.api_url}/new_issue"
        retries = self._edberror_retries if race_retries is None else race_retries
        for attempt in range(retries + 1):
            resp = self._post_once(url, form)
            body = json_dict(resp)
            code = body.get("error_code") if body else None
            if resp.status_code == 400 and code == "EDBERROR" and attempt < retries:
                self._sleep(self._backoff * (attempt + 1))
                continue
            break
        if not _is_2xx(resp):
            raise self._error(resp, "POST")
        if body is None or not isinstance(body.get("issue"), dict):
            raise TrackerError(
                f"Pagure answered {resp.status_code} without issue JSON for POST {safe_url(url)}: "
                "the issue may have been created; it is looked up by its marker before filing again",
                status=resp.status_code, url=safe_url(url), ambiguous=True,
            )
        return _decoded(RemoteIssue.from_json, body["issue"], url, ambiguous=True)

    def _post_change(self, url: str, form: dict[str, str]) -> None:
        resp = self._post_once(url, form)
        if not _is_2xx(resp):
            raise self._error(resp, "POST")
        if json_dict(resp) is None:
            raise TrackerError(
                f"Pagure answered {resp.status_code} without JSON for POST {safe_url(url)}: "
                "the change may have been made; it is checked before trying again",
                status=resp.status_code, url=safe_url(url), ambiguous=True,
            )

    # -- form building ---------------------------------------------------------------

    def _create_form(
        self,
        title: str,
        content: str,
        tags: Sequence[str],
        assignee: str | None,
        priority: str | None,
        milestone: str | None,
        private: bool,
    ) -> dict[str, str]:
        form = {"title": clean_title(title), "issue_content": _clean_text(content)}
        tag = _tag_field(tags)
        if tag:
            form["tag"] = tag
        if assignee and assignee.strip():
            form["assignee"] = assignee.strip()
        if priority and priority.strip():
            form["priority"] = self._priority_key(priority)
        if milestone and milestone.strip():
            form["milestone"] = milestone.strip()
        if private:
            form["private"] = "true"  # any other value, "no" included, also means private
        return form

    def _priority_key(self, value: str) -> str:
        value = value.strip()
        if value.isdigit():
            return value
        key = self.project_info().priority_key(value)
        if key is None:
            known = ", ".join(f"{k}={v}" for k, v in self.project_info().priorities.items()) or "none"
            raise TrackerError(
                f"priority {value!r} is not one of {self.project}'s priorities ({known}): fix it in the notes",
                fields={"priority": ["Not a valid choice."]},
            )
        return key

    # -- HTTP plumbing ---------------------------------------------------------------

    def _send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        self.requests_sent += 1
        return self._session.request(method, url, timeout=self._timeout, allow_redirects=False, **kwargs)

    def _post_once(self, url: str, form: dict[str, str]) -> requests.Response:
        """One create attempt; only a 429 (never processed) is waited out and re-sent."""
        for attempt in range(self._retries + 1):
            try:
                resp = self._send("POST", url, data=form)
            except _TRANSPORT_ERRORS as exc:
                raise transport_error(exc, "POST", url, ambiguous=True) from None
            except requests.RequestException as exc:
                raise transport_error(exc, "POST", url, ambiguous=False) from None
            if resp.status_code != 429 or attempt == self._retries:
                return resp
            delay = self._delay(attempt, resp)
            self._progress(f"retrying in {delay:g} s (429 from the tracker)")
            self._sleep(delay)
        raise AssertionError("unreachable")

    def _request_retrying(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        """Send a request that is safe to repeat, retrying transient failures with backoff."""
        for attempt in range(self._retries + 1):
            last = attempt == self._retries
            try:
                resp = self._send(method, url, **kwargs)
            except _TRANSPORT_ERRORS as exc:
                if isinstance(exc, DeadlineExceeded) and exc.run_deadline:
                    raise self._read_deadline_error(method, url) from None
                if last:
                    raise transport_error(exc, method, url, ambiguous=False) from None
                delay = self._delay(attempt, None)
                self._progress(f"retrying in {delay:g} s ({type(exc).__name__} from the tracker)")
                self._sleep(delay)
                continue
            except requests.RequestException as exc:
                raise transport_error(exc, method, url, ambiguous=False) from None
            transient = resp.status_code == 429 or resp.status_code >= 500
            if _is_2xx(resp) and method == "GET" and json_dict(resp) is None:
                transient = True  # a proxy page or a truncated body: worth another try
            if not transient or last:
                return resp
            delay = self._delay(attempt, resp)
            self._progress(f"retrying in {delay:g} s ({resp.status_code} from the tracker)")
            self._sleep(delay)
        raise AssertionError("unreachable")

    def _read_deadline_error(self, method: str, url: str) -> TrackerError:
        return TrackerError(
            f"reading {self.project} on the tracker took longer than this run's {self._read_seconds:g}s read deadline "
            f"(stopped before {method} {safe_url(url)}): the tracker is too slow; run again later, "
            "or raise 'read_deadline' in the config file",
            url=safe_url(url),
        )

    def _get_json(self, url: str, params: dict[str, str] | None = None) -> dict[str, Any]:
        resp = self._request_retrying("GET", url, params=params)
        if not _is_2xx(resp):
            raise self._error(resp, "GET")
        body = json_dict(resp)
        if body is None:
            raise TrackerError(
                f"Pagure answered GET {safe_url(resp.url)} with something that is not JSON: "
                "check PAGURE_URL / --url points at a Pagure server",
                status=resp.status_code, url=safe_url(resp.url),
            )
        return body

    def _delay(self, attempt: int, resp: requests.Response | None) -> float:
        if resp is not None and resp.status_code in (429, 503):
            retry_after = _retry_after(resp.headers.get("Retry-After"))
            if retry_after is not None:
                return retry_after
        return min(self._backoff * float(2**attempt), MAX_RETRY_AFTER)

    def _error(self, resp: requests.Response, method: str) -> TrackerError:
        return error_from_response(
            resp, method=method, project=self.project, project_url=self.project_url, token_sent=self._has_token
        )


# -- helpers (pure) ----------------------------------------------------------------------


def _clean_text(text: str) -> str:
    # NUL makes PostgreSQL answer 500 with nothing filed; a lone surrogate cannot be encoded.
    return _SURROGATE.sub("\ufffd", text.replace("\x00", ""))


def _tag_field(tags: Sequence[str]) -> str:
    """Comma-joined, stripped, deduplicated (case-sensitive, as Pagure is); refuse what Pagure cannot store."""
    unique: list[str] = []
    for raw in tags:
        tag = _CONTROL.sub("", raw).strip()
        if not tag or tag in unique:
            continue
        why = tag_problem(tag)
        if why:
            raise TrackerError(
                f"tag {tag[:40]!r} {why}, which Pagure cannot store: rename the tag in the notes or config",
                fields={"tag": [why]},
            )
        unique.append(tag)
    return ",".join(unique)


def _check_token(token: str) -> str:
    token = token.strip()
    if not token or not token.isascii() or any(ch.isspace() or not ch.isprintable() for ch in token):
        raise ConfigError(
            "the Pagure API token is empty or contains spaces or control characters: fix PAGURE_API_TOKEN"
        )
    return token


def _retry_after(value: str | None) -> float | None:
    try:
        seconds = float(value) if value is not None else None
    except ValueError:
        return None  # HTTP-date form: fall back to our own backoff
    if seconds is None or not math.isfinite(seconds):
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def _issue_page(data: dict[str, Any], page: int) -> tuple[list[RemoteIssue], bool, int]:
    """The issues of one listing page, whether another page follows, and how many pages it announces."""
    issues = [RemoteIssue.from_json(raw) for raw in data.get("issues") or ()]
    pagination = data.get("pagination") or {}
    pages = int(pagination.get("pages") or 0)
    return issues, bool(pagination.get("next")) and page < pages, pages


def _decoded(parse: Callable[[Any], _T], data: Any, url: str, *, ambiguous: bool = False) -> _T:
    """Parse a JSON answer; one of the wrong shape (a proxy, another API) is a TrackerError, not a crash."""
    try:
        return parse(data)
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise TrackerError(
            f"Pagure answered {safe_url(url)} with unexpected JSON ({type(exc).__name__}): "
            "check PAGURE_URL / --url points at a Pagure server",
            url=safe_url(url), ambiguous=ambiguous,
        ) from None


def _is_2xx(resp: requests.Response) -> bool:
    return 200 <= resp.status_code < 300  # Response.ok also counts redirects as success
