"""PagureClient against mocked HTTP (responses), with the real server's bodies from pagure-api.md."""

from __future__ import annotations

import json
from typing import Any, Iterator, List
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from notes2tickets.errors import EXIT_USAGE, ConfigError, FatalTrackerError, TrackerError
from notes2tickets.tracker.pagure import PagureClient, ProjectInfo, RemoteIssue, clean_title

BASE = "https://pagure.io"
PROJECT = "centos-sig-hyperscale/sig"
API = f"{BASE}/api/0/{PROJECT}"
NEW = f"{API}/new_issue"
TOKEN = "SECRETN2TTOKEN0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCD"
TOK = "Invalid or expired token. Please visit https://pagure.io/settings#nav-api-tab to get or renew your API token."
FATAL_PAGE = "<!DOCTYPE html><html><head><title>A fatal error occured :'( - Pagure</title></head><body>x</body></html>"
EDBERROR = {
    "error": "An error occurred at the database level and prevent the action from reaching completion",
    "error_code": "EDBERROR",
}
PROJECT_JSON = {
    "priorities": {"": "", "1": "High", "2": "Normal", "3": "Low"},
    "milestones": {"2022-Q4": {"active": True, "date": None}, "2023-Q1": {"active": False, "date": None}},
    "close_status": ["Fixed"],
    "access_users": {"owner": ["davide"], "admin": [], "commit": ["bot"], "ticket": ["anita"], "collaborator": []},
}


def issue_json(issue_id: int, **extra: Any) -> dict:
    data = {
        "assignee": None, "blocks": [], "close_status": None, "closed_at": None, "closed_by": None,
        "comments": [], "content": "Body text", "custom_fields": [], "date_created": "1795635841.02989",
        "depends": [], "full_url": f"{BASE}/{PROJECT}/issue/{issue_id}", "id": issue_id,
        "last_updated": "1795635841.027394", "milestone": None, "priority": None, "private": False,
        "related_prs": [], "status": "Open", "tags": [], "title": f"Issue {issue_id}",
        "user": {"full_url": f"{BASE}/user/bot", "fullname": "Bot", "name": "bot", "url_path": "user/bot"},
    }
    data.update(extra)
    return data


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def sleeps() -> List[float]:
    return []


@pytest.fixture
def client(sleeps: List[float]) -> PagureClient:
    return PagureClient(url=BASE, project=PROJECT, token=TOKEN, sleep=sleeps.append)


def form_of(call: Any) -> dict:
    return {k: v[0] for k, v in parse_qs(call.request.body or "", keep_blank_values=True).items()}


def query_of(call: Any) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(call.request.url).query).items()}


# -- construction and settings -----------------------------------------------------


@pytest.mark.parametrize(
    "project",
    ["sig", "centos-sig-hyperscale/sig", "fork/davide/sig", "fork/davide/centos-sig-hyperscale/sig", "/ns/repo.git/"],
)
def test_project_forms_accepted(project: str) -> None:
    """Every documented project form builds the API URL under /api/0/."""
    c = PagureClient(url="https://pagure.io/", project=project, token=None)
    assert c.api_url == "https://pagure.io/api/0/" + project.strip("/")
    assert c.project_url == "https://pagure.io/" + project.strip("/")


@pytest.mark.parametrize(
    "project", ["", "a/../b", "..", "a b/c", "ns//repo", "a/b/c", "fork/user", "fork/a/b/c/d", "ns/re?po", "ns/-x"]
)
def test_bad_project_refused(project: str) -> None:
    """A malformed project path is a ConfigError naming the project setting."""
    with pytest.raises(ConfigError) as err:
        PagureClient(url=BASE, project=project, token=None)
    assert "$PAGURE_PROJECT" in str(err.value)
    assert err.value.exit_code == EXIT_USAGE


@pytest.mark.parametrize("url", ["http://pagure.example.org", "http://10.0.0.1:8080", "http://[2001:db8::1]"])
def test_token_over_plain_http_refused(url: str) -> None:
    """A token is never sent over plain http to a host that is not loopback."""
    with pytest.raises(ConfigError) as err:
        PagureClient(url=url, project=PROJECT, token=TOKEN)
    assert "$PAGURE_URL" in str(err.value)
    assert TOKEN not in str(err.value)


@pytest.mark.parametrize("url", ["http://127.0.0.1:5000", "http://127.9.9.9", "http://[::1]:8", "http://localhost"])
def test_token_over_http_to_loopback_allowed(url: str) -> None:
    """Loopback hosts may use plain http with a token."""
    assert PagureClient(url=url, project=PROJECT, token=TOKEN).base_url == url


def test_plain_http_without_token_allowed() -> None:
    """Read-only use without a token may go over http."""
    assert PagureClient(url="http://pagure.example.org/", project="x", token=None).api_url == (
        "http://pagure.example.org/api/0/x"
    )


@pytest.mark.parametrize("url", ["pagure.io", "ftp://pagure.io", "https://", "https://pagure.io/?x=1",
                                 "https://user:pw@pagure.io"])
def test_malformed_url_refused(url: str) -> None:
    """A URL that is not http(s)://host[/path] is a ConfigError naming PAGURE_URL."""
    with pytest.raises(ConfigError) as err:
        PagureClient(url=url, project=PROJECT, token=None)
    assert "$PAGURE_URL" in str(err.value)
    assert "pw" not in str(err.value)


@pytest.mark.parametrize("token", ["", "  ", "abc def", "abc\ndef", "abc\x00", "tökén"])
def test_malformed_token_refused_without_echo(token: str) -> None:
    """A token that cannot be a header value is refused without quoting it."""
    with pytest.raises(ConfigError) as err:
        PagureClient(url=BASE, project=PROJECT, token=token)
    assert "PAGURE_API_TOKEN" in str(err.value)
    assert token.strip() == "" or token not in str(err.value)


def test_repr_hides_token(client: PagureClient) -> None:
    """Neither the client nor its auth object shows the token."""
    assert TOKEN not in repr(client)
    assert TOKEN not in repr(client._session.auth)
    assert TOKEN not in repr(vars(client))
    assert repr(client) == "PagureClient(url='https://pagure.io', project='centos-sig-hyperscale/sig', token=<hidden>)"


# -- headers, project info, users ----------------------------------------------------


def test_auth_header_and_user_agent(rsps: responses.RequestsMock, client: PagureClient) -> None:
    """Requests carry `Authorization: token <T>` and the notes2tickets User-Agent."""
    rsps.add(responses.GET, API, json=PROJECT_JSON)
    client.project_info()
    headers = rsps.calls[0].request.headers
    assert headers["Authorization"] == f"token {TOKEN}"
    assert headers["User-Agent"] == "notes2tickets/0.1.0"


def test_no_token_sends_no_auth_header(rsps: responses.RequestsMock) -> None:
    """Without a token the request is anonymous."""
    rsps.add(responses.GET, API, json=PROJECT_JSON)
    PagureClient(url=BASE, project=PROJECT, token=None).project_info()
    assert "Authorization" not in rsps.calls[0].request.headers


def test_project_info_parsed_and_cached(rsps: responses.RequestsMock, client: PagureClient) -> None:
    """Priorities drop the "" key, milestones keep their order, users merge all access levels; one GET."""
    rsps.add(responses.GET, API, json=PROJECT_JSON)
    info = client.project_info()
    assert client.project_info() is info
    assert info == ProjectInfo(
        priorities={"1": "High", "2": "Normal", "3": "Low"},
        milestones=("2022-Q4", "2023-Q1"),
        users=frozenset({"davide", "bot", "anita"}),
        close_statuses=("Fixed",),
    )
    assert len(rsps.calls) == 1
    assert client.requests_sent == 1


@pytest.mark.parametrize("value,key", [("1", "1"), ("high", "1"), ("HIGH", "1"), (" Low ", "3"), ("9", None),
                                       ("urgent", None), ("", None)])
def test_priority_key(value: str, key: str) -> None:
    """priority_key accepts the key or the label, any case."""
    info = ProjectInfo(priorities={"1": "High", "2": "Normal", "3": "Low"}, milestones=(), users=frozenset())
    assert info.priority_key(value) == key


def test_user_exists_uses_project_users_first(rsps: responses.RequestsMock, client: PagureClient) -> None:
    """A project member needs no user lookup; the answer is cached."""
    rsps.add(responses.GET, API, json=PROJECT_JSON)
    assert client.user_exists("anita") is True
    assert client.user_exists("anita") is True
    assert len(rsps.calls) == 1


def test_user_exists_exact_match_on_pattern_search(rsps: responses.RequestsMock, client: PagureClient) -> None:
    """A prefix search hit that is not an exact match means the user does not exist."""
    rsps.add(responses.GET, API, json=PROJECT_JSON)
    rsps.add(responses.GET, f"{BASE}/api/0/users",
             json={"users": ["neal", "nealx"], "total_users": 2, "mention": []})
    assert client.user_exists("neal") is True
    assert client.user_exists("nea") is False
    assert client.user_exists("neal") is True
    assert [query_of(c) for c in rsps.calls[1:]] == [{"pattern": "neal"}, {"pattern": "nea"}]


# -- listing -----------------------------------------------------------------------------


def _page(ids: range, page: int, pages: int) -> dict:
    link = f"{API}/issues?per_page=100&status=all&page="
    return {
        "args": {"status": "all"},
        "issues": [issue_json(i) for i in ids],
        "pagination": {"first": link + "1", "last": link + str(pages), "page": page, "pages": pages,
                       "per_page": 100, "next": link + str(page + 1) if page < pages else None,
                       "prev": link + str(page - 1) if page > 1 else None},
        "total_issues": len(ids),
    }


def test_iter_issues_follows_pagination(rsps: responses.RequestsMock, client: PagureClient) -> None:
    """250 issues over 3 pages: 3 GETs with status=all, per_page=100, order=asc and page=N."""
    for page, ids in enumerate((range(1, 101), range(101, 201), range(201, 251)), start=1):
        rsps.add(responses.GET, f"{API}/issues", json=_page(ids, page, 3))
    issues = list(client.iter_issues())
    assert [i.id for i in issues] == list(range(1, 251))
    assert [query_of(c) for c in rsps.calls] == [
        {"status": "all", "per_page": "100", "order": "asc", "page": str(n)} for n in (1, 2, 3)
    ]


def test_iter_issues_empty_project(rsps: responses.RequestsMock, client: PagureClient) -> None:
    """pages=0 and next=null: one request, nothing yielded."""
    rsps.add(responses.GET, f"{API}/issues", json=_page(range(0), 1, 0))
    assert list(client.iter_issues()) == []
    assert len(rsps.calls) == 1


def test_iter_issues_since_is_whole_seconds(rsps: responses.RequestsMock, client: PagureClient) -> None:
    """since is floored to an integer timestamp, which every Pagure version accepts."""
    rsps.add(responses.GET, f"{API}/issues", json=_page(range(1, 3), 1, 1))
    assert len(list(client.iter_issues(since=1795635841.9))) == 2
    assert query_of(rsps.calls[0])["since"] == "1795635841"


def test_remote_issue_parsing() -> None:
    """Timestamps are strings with or without a fraction; assignee is a user object."""
    raw = issue_json(7, date_created="1479458613", private=True, tags=["a", "b"],
                     assignee={"name": "neal", "fullname": "Neal", "full_url": "", "url_path": ""})
    assert RemoteIssue.from_json(raw) == RemoteIssue(
        id=7, title="Issue 7", content="Body text", status="Open", url=f"{BASE}/{PROJECT}/issue/7",
        date_created=1479458613.0, last_updated=1795635841.027394, private=True, assignee="neal", tags=("a", "b"),
    )


def test_get_issue(rsps: responses.RequestsMock, client: PagureClient) -> None:
    """GET .../issue/<id> returns a RemoteIssue."""
    rsps.add(responses.GET, f"{API}/issue/45", json=issue_json(45))
    assert client.get_issue(45).id == 45


def test_get_issue_not_found(rsps: responses.RequestsMock, client: PagureClient) -> None:
    """404 ENOISSUE is an item-level TrackerError, not fatal."""
    rsps.add(responses.GET, f"{API}/issue/99", status=404, json={"error": "Issue not found", "error_code": "ENOISSUE"})
    with pytest.raises(TrackerError) as err:
        client.get_issue(99)
    assert not isinstance(err.value, FatalTrackerError)
    assert (err.value.status, err.value.code) == (404, "ENOISSUE")
    assert str(err.value) == f"Pagure answered 404 ENOISSUE (Issue not found) to GET {API}/issue/99"


# -- GET retries ---------------------------------------------------------------------------


def test_get_retries_5xx_with_exponential_backoff(rsps: responses.RequestsMock, client: PagureClient,
                                                  sleeps: List[float]) -> None:
    """500, 502 and 504 are retried after 0.5, 1 and 2 s, then the answer is used."""
    for status in (500, 502, 504):
        rsps.add(responses.GET, API, status=status, body="<html>oops</html>", content_type="text/html")
    rsps.add(responses.GET, API, json=PROJECT_JSON)
    assert client.project_info().milestones == ("2022-Q4", "2023-Q1")
    assert sleeps == [0.5, 1.0, 2.0]
    assert client.requests_sent == 4


@pytest.mark.parametrize("status,retry_after,expected", [(429, "7", 7.0), (503, "2.5", 2.5), (429, "1000", 60.0),
                                                         (503, "Wed, 21 Oct 2015 07:28:00 GMT", 0.5),
                                                         (429, None, 0.5)])
def test_get_honours_retry_after(rsps: responses.RequestsMock, client: PagureClient, sleeps: List[float],
                                 status: int, retry_after: str, expected: float) -> None:
    """Retry-After seconds are honoured (capped at 60); other forms fall back to the backoff."""
    headers = {"Retry-After": retry_after} if retry_after else {}
    rsps.add(responses.GET, API, status=status, body="slow down", headers=headers)
    rsps.add(responses.GET, API, json=PROJECT_JSON)
    client.project_info()
    assert sleeps == [expected]


def test_get_retries_transport_errors(rsps: responses.RequestsMock, client: PagureClient, sleeps: List[float]) -> None:
    """Connection errors, timeouts and HTML instead of JSON are retried for GETs."""
    rsps.add(responses.GET, API, body=requests.ConnectionError("reset"))
    rsps.add(responses.GET, API, body=requests.ReadTimeout("slow"))
    rsps.add(responses.GET, API, body="<html>proxy</html>", content_type="text/html")
    rsps.add(responses.GET, API, json=PROJECT_JSON)
    client.project_info()
    assert sleeps == [0.5, 1.0, 2.0]
    assert len(rsps.calls) == 4


def test_get_gives_up_after_retries(rsps: responses.RequestsMock, client: PagureClient, sleeps: List[float]) -> None:
    """After 1 + 4 attempts the last 503 becomes a TrackerError with status and URL."""
    rsps.add(responses.GET, f"{API}/issues", status=503, body="<html>down</html>", content_type="text/html")
    with pytest.raises(TrackerError) as err:
        list(client.iter_issues())
    assert len(rsps.calls) == 5
    assert sleeps == [0.5, 1.0, 2.0, 4.0]
    assert (err.value.status, err.value.url, err.value.ambiguous) == (503, f"{API}/issues", False)
    assert str(err.value) == f"Pagure answered 503 (an HTML page) to GET {API}/issues: the server is failing; try again later"


def test_get_timeout_exhausted(rsps: responses.RequestsMock, client: PagureClient) -> None:
    """A GET that always times out ends in a one-line TrackerError naming the URL and the fix."""
    rsps.add(responses.GET, API, body=requests.ReadTimeout("read timed out"))
    with pytest.raises(TrackerError) as err:
        client.project_info()
    assert str(err.value) == f"GET {API} timed out: check PAGURE_URL / --url and the network, then run again"


def test_get_non_json_after_retries(rsps: responses.RequestsMock, client: PagureClient) -> None:
    """A 200 HTML page on every try is reported as not JSON."""
    rsps.add(responses.GET, API, body="<html>login</html>", content_type="text/html")
    with pytest.raises(TrackerError) as err:
        client.project_info()
    assert "not JSON" in str(err.value)
    assert "<" not in str(err.value)


def test_get_redirect_is_fatal(rsps: responses.RequestsMock, client: PagureClient) -> None:
    """A redirect is not followed with the token; it asks to fix PAGURE_URL."""
    rsps.add(responses.GET, API, status=301, headers={"Location": "https://elsewhere.example/x"})
    with pytest.raises(FatalTrackerError) as err:
        client.project_info()
    assert str(err.value) == f"Pagure redirected GET {API} (301): set PAGURE_URL / --url to the final address"


# -- create_issue: form ----------------------------------------------------------------------


def test_create_minimal_form(rsps: responses.RequestsMock, client: PagureClient) -> None:
    """Only title and issue_content are sent when nothing else is set; 200 gives a RemoteIssue."""
    rsps.add(responses.POST, NEW, json={"issue": issue_json(1, title="Fix it"), "message": "Issue created"})
    issue = client.create_issue(title="Fix it", content="Body text")
    assert issue.id == 1 and issue.url == f"{BASE}/{PROJECT}/issue/1" and issue.title == "Fix it"
    request = rsps.calls[0].request
    assert request.body == "title=Fix+it&issue_content=Body+text"
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert request.headers["Authorization"] == f"token {TOKEN}"


def test_create_full_form(rsps: responses.RequestsMock, client: PagureClient) -> None:
    """Tags are stripped, deduplicated and comma-joined; priority is the key; private is exactly 'true'."""
    rsps.add(responses.POST, NEW, json={"issue": issue_json(2), "message": "Issue created"})
    client.create_issue(title="T", content="C", tags=[" meetup ", "Kernel", "meetup", "", "kernel"],
                        assignee=" neal ", priority="2", milestone="2022-Q4", private=True)
    assert form_of(rsps.calls[0]) == {
        "title": "T", "issue_content": "C", "tag": "meetup,Kernel,kernel", "assignee": "neal",
        "priority": "2", "milestone": "2022-Q4", "private": "true",
    }
    assert len(rsps.calls) == 1  # a numeric key needs no project lookup


def test_create_priority_label_becomes_key(rsps: responses.RequestsMock, client: PagureClient) -> None:
    """A label from the notes ("high") is sent as the project's key ("1")."""
    rsps.add(responses.GET, API, json=PROJECT_JSON)
    rsps.add(responses.POST, NEW, json={"issue": issue_json(3), "message": "Issue created"})
    client.create_issue(title="T", content="C", priority="high")
    assert form_of(rsps.calls[1])["priority"] == "1"


def test_create_unknown_priority_label_refused(rsps: responses.RequestsMock, client: PagureClient) -> None:
    """An unknown label is an item-level error before any POST."""
    rsps.add(responses.GET, API, json=PROJECT_JSON)
    with pytest.raises(TrackerError) as err:
        client.create_issue(title="T", content="C", priority="urgent")
    assert err.value.fields == {"priority": ["Not a valid choice."]}
    assert str(err.value) == (
        "priority 'urgent' is not one of centos-sig-hyperscale/sig's priorities (1=High, 2=Normal, 3=Low): "
        "fix it in the notes"
    )
    assert [c.request.method for c in rsps.calls] == ["GET"]


def test_create_private_false_sends_nothing(rsps: responses.RequestsMock, client: PagureClient) -> None:
    """private=False never sends 'false' or 'no' (Pagure reads 'no' as private)."""
    rsps.add(responses.POST, NEW, json={"issue": issue_json(1), "message": "Issue created"})
    client.create_issue(title="T", content="C", private=False, assignee="  ", milestone="", priority="")
    assert form_of(rsps.calls[0]) == {"title": "T", "issue_content": "C"}


def test_create_cleans_title_and_content(rsps: responses.RequestsMock, client: PagureClient) -> None:
    """Control characters and line breaks leave the title; NUL leaves the content; both stay encodable."""
    rsps.add(responses.POST, NEW, json={"issue": issue_json(1), "message": "Issue created"})
    client.create_issue(title="Fix\x00 the\nbuild\x1b[31m\t now\u2028 \ud800", content="a\x00b\r\n\x01c")
    assert form_of(rsps.calls[0]) == {"title": "Fix the build[31m now", "issue_content": "ab\r\n\x01c"}


def test_clean_title_limits_length() -> None:
    """Titles are cut to 255 characters with an ellipsis."""
    title = clean_title("x" * 300)
    assert len(title) == 255 and title.endswith("x…")
    assert clean_title("  a \n\n b  ") == "a b"


@pytest.mark.parametrize("tag,why", [("a,b", "contains a comma"), ("x" * 256, "is longer than 255 characters")])
def test_create_refuses_unstorable_tag(rsps: responses.RequestsMock, client: PagureClient, tag: str, why: str) -> None:
    """A tag Pagure cannot store fails the item before any request."""
    with pytest.raises(TrackerError) as err:
        client.create_issue(title="T", content="C", tags=[tag])
    assert err.value.fields == {"tag": [why]}
    assert why in str(err.value)
    assert len(rsps.calls) == 0


def test_create_tag_of_255_chars_allowed(rsps: responses.RequestsMock, client: PagureClient) -> None:
    """255 characters is the PostgreSQL limit and still allowed."""
    rsps.add(responses.POST, NEW, json={"issue": issue_json(1), "message": "Issue created"})
    client.create_issue(title="T", content="C", tags=["y" * 255])
    assert form_of(rsps.calls[0])["tag"] == "y" * 255


# -- create_issue: failures --------------------------------------------------------------------


def test_create_retries_edberror_race(rsps: responses.RequestsMock, client: PagureClient,
                                      sleeps: List[float]) -> None:
    """Two lost races (400 EDBERROR, nothing created) are retried after short pauses."""
    rsps.add(responses.POST, NEW, status=400, json=EDBERROR)
    rsps.add(responses.POST, NEW, status=400, json=EDBERROR)
    rsps.add(responses.POST, NEW, json={"issue": issue_json(5), "message": "Issue created"})
    assert client.create_issue(title="T", content="C").id == 5
    assert sleeps == [0.5, 1.0]
    assert len(rsps.calls) == 3


def test_create_edberror_gives_up(rsps: responses.RequestsMock, client: PagureClient) -> None:
    """After edberror_retries retries EDBERROR becomes a non-ambiguous item error."""
    rsps.add(responses.POST, NEW, status=400, json=EDBERROR)
    with pytest.raises(TrackerError) as err:
        client.create_issue(title="T", content="C")
    assert len(rsps.calls) == 4
    assert (err.value.status, err.value.code, err.value.ambiguous) == (400, "EDBERROR", False)
    assert not isinstance(err.value, FatalTrackerError)


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_create_5xx_is_ambiguous_and_not_repeated(rsps: responses.RequestsMock, client: PagureClient,
                                                  status: int) -> None:
    """Any 5xx (the issue may exist) raises ambiguous=True after exactly one POST."""
    rsps.add(responses.POST, NEW, status=status, body=FATAL_PAGE, content_type="text/html")
    with pytest.raises(TrackerError) as err:
        client.create_issue(title="T", content="C", assignee="nosuchuser")
    assert err.value.ambiguous is True
    assert err.value.status == status
    assert len(rsps.calls) == 1
    assert str(err.value) == f"Pagure answered {status} (an HTML page) to POST {NEW}: the issue may have been created"


@pytest.mark.parametrize("exc", [requests.ReadTimeout("t"), requests.ConnectTimeout("t"),
                                 requests.ConnectionError("Connection reset by peer"),
                                 requests.exceptions.ChunkedEncodingError("cut")])
def test_create_transport_error_is_ambiguous(rsps: responses.RequestsMock, client: PagureClient,
                                             exc: Exception) -> None:
    """Timeouts, resets and cut bodies raise ambiguous=True without a second POST."""
    rsps.add(responses.POST, NEW, body=exc)
    with pytest.raises(TrackerError) as err:
        client.create_issue(title="T", content="C")
    assert err.value.ambiguous is True and err.value.status is None
    assert len(rsps.calls) == 1
    assert "the issue may have been created" in str(err.value)


@pytest.mark.parametrize("body", ["<html>ok?</html>", '{"issue": {"id": 1, "tit', '{"message": "Issue created"}'])
def test_create_200_without_issue_json_is_ambiguous(rsps: responses.RequestsMock, client: PagureClient,
                                                    body: str) -> None:
    """A 200 with HTML, truncated JSON or no issue object is ambiguous, not a success."""
    rsps.add(responses.POST, NEW, body=body, status=200)
    with pytest.raises(TrackerError) as err:
        client.create_issue(title="T", content="C")
    assert err.value.ambiguous is True
    assert len(rsps.calls) == 1
    assert str(err.value) == (
        f"Pagure answered 200 without issue JSON for POST {NEW}: "
        "the issue may have been created; it is looked up by its marker before filing again"
    )


def test_create_429_waits_and_resends(rsps: responses.RequestsMock, client: PagureClient, sleeps: List[float]) -> None:
    """429 means the request was not processed: wait Retry-After and send it again."""
    rsps.add(responses.POST, NEW, status=429, body="Too Many Requests", headers={"Retry-After": "3"})
    rsps.add(responses.POST, NEW, json={"issue": issue_json(9), "message": "Issue created"})
    assert client.create_issue(title="T", content="C").id == 9
    assert sleeps == [3.0]
    assert len(rsps.calls) == 2


def test_create_invalid_field(rsps: responses.RequestsMock, client: PagureClient) -> None:
    """400 EINVALIDREQ carries .fields and names the field."""
    rsps.add(responses.POST, NEW, status=400, json={
        "error": "Invalid or incomplete input submitted", "error_code": "EINVALIDREQ",
        "errors": {"milestone": ["Not a valid choice."]}})
    with pytest.raises(TrackerError) as err:
        client.create_issue(title="T", content="C", milestone="2099")
    assert err.value.fields == {"milestone": ["Not a valid choice."]}
    assert not isinstance(err.value, FatalTrackerError) and err.value.ambiguous is False
    assert str(err.value) == (
        f"Pagure rejected the milestone field on POST {NEW} (400 EINVALIDREQ: milestone: Not a valid choice.): "
        "fix the milestone value in the notes or the project settings"
    )


def test_create_body_too_large(rsps: responses.RequestsMock, client: PagureClient) -> None:
    """413 (HTML) is 'body too large', not ambiguous."""
    rsps.add(responses.POST, NEW, status=413, content_type="text/html",
             body="<!doctype html><title>413 Request Entity Too Large</title>")
    with pytest.raises(TrackerError) as err:
        client.create_issue(title="T", content="x" * 100)
    assert str(err.value) == f"request body too large for POST {NEW} (413): shorten the item's text"
    assert err.value.ambiguous is False


def _tok(errors: Any = None) -> dict:
    body = {"error": TOK, "error_code": "EINVALIDTOK"}
    if errors is not None:
        body["errors"] = errors
    return body


FATAL_CASES = [
    (401, _tok("Invalid token"), "Pagure rejected the API token (401 EINVALIDTOK: Invalid token): "
     "check PAGURE_API_TOKEN, or create a project API key"),
    (401, _tok("Expired token"), "the Pagure API token has expired (401 EINVALIDTOK: Expired token)"),
    (401, _tok("Missing ACLs: issue_create"), "the Pagure API token lacks an ACL needed on centos-sig-hyperscale/sig "
     "(401 EINVALIDTOK: Missing ACLs: issue_create)"),
    (401, _tok(), "the Pagure API token is bound to another project, not centos-sig-hyperscale/sig (401 EINVALIDTOK)"),
    (403, {"error": "You have been blocked from this project", "error_code": "EUBLOCKED"},
     "the token's user is blocked from centos-sig-hyperscale/sig (403 EUBLOCKED): ask a project admin to unblock it"),
    (404, {"error": "Project not found", "error_code": "ENOPROJECT"},
     "project centos-sig-hyperscale/sig not found at https://pagure.io/centos-sig-hyperscale/sig (404 ENOPROJECT): "
     "check PAGURE_PROJECT / --project and PAGURE_URL"),
    (404, {"error": "Issue tracker disabled", "error_code": "ETRACKERDISABLED"},
     "the issue tracker of centos-sig-hyperscale/sig is disabled (404 ETRACKERDISABLED): enable it in "
     "https://pagure.io/centos-sig-hyperscale/sig/settings"),
    (401, {"error": "The issue tracker of this project is read-only", "error_code": "ETRACKERREADONLY"},
     "the issue tracker of centos-sig-hyperscale/sig is read-only (401 ETRACKERREADONLY): "
     "ask a project admin to make it writable"),
]


@pytest.mark.parametrize("status,body,message", FATAL_CASES)
def test_create_fatal_errors(rsps: responses.RequestsMock, client: PagureClient, status: int, body: dict,
                             message: str) -> None:
    """Auth, project and tracker errors on create are fatal (exit 2), one line, no token."""
    rsps.add(responses.POST, NEW, status=status, json=body)
    with pytest.raises(FatalTrackerError) as err:
        client.create_issue(title="T", content="C")
    assert str(err.value).startswith(message)
    assert (err.value.status, err.value.code, err.value.exit_code) == (status, body["error_code"], EXIT_USAGE)
    assert "\n" not in str(err.value) and TOKEN not in str(err.value)
    assert len(rsps.calls) == 1


@pytest.mark.parametrize("status,body,message", FATAL_CASES)
def test_preflight_fatal_errors(rsps: responses.RequestsMock, client: PagureClient, status: int, body: dict,
                                message: str) -> None:
    """preflight turns every auth/project/tracker answer into a FatalTrackerError."""
    rsps.add(responses.POST, NEW, status=status, json=body)
    with pytest.raises(FatalTrackerError) as err:
        client.preflight()
    assert str(err.value).startswith(message)


def test_preflight_ok_on_form_validation_error(rsps: responses.RequestsMock, client: PagureClient) -> None:
    """400 EINVALIDREQ to an empty form means every earlier check passed; nothing is sent in the body."""
    rsps.add(responses.POST, NEW, status=400, json={
        "error": "Invalid or incomplete input submitted", "error_code": "EINVALIDREQ",
        "errors": {"title": ["This field is required."], "issue_content": ["This field is required."]}})
    assert client.preflight() is None
    assert rsps.calls[0].request.body in (None, "")
    assert rsps.calls[0].request.headers["Authorization"] == f"token {TOKEN}"


def test_preflight_without_token(rsps: responses.RequestsMock) -> None:
    """No token: fatal, naming PAGURE_API_TOKEN, and no request is made."""
    client = PagureClient(url=BASE, project=PROJECT, token=None)
    with pytest.raises(FatalTrackerError) as err:
        client.preflight()
    assert "set PAGURE_API_TOKEN" in str(err.value)
    assert client.requests_sent == 0


def test_preflight_retries_transient_errors(rsps: responses.RequestsMock, client: PagureClient,
                                            sleeps: List[float]) -> None:
    """An empty form can never create an issue, so preflight may retry a 502."""
    rsps.add(responses.POST, NEW, status=502, body="<html>bad gateway</html>", content_type="text/html")
    rsps.add(responses.POST, NEW, status=400, json={"error": "x", "error_code": "EINVALIDREQ", "errors": {}})
    client.preflight()
    assert sleeps == [0.5]


@pytest.mark.parametrize("status,body", [(404, "<html>Not Found</html>"), (405, "<html>Method Not Allowed</html>"),
                                         (200, "<html>welcome</html>")])
def test_preflight_other_refusals_are_fatal(rsps: responses.RequestsMock, client: PagureClient, status: int,
                                            body: str) -> None:
    """A wrong URL (404/405 HTML, or a 200 page) stops the run before filing, naming PAGURE_URL."""
    rsps.add(responses.POST, NEW, status=status, body=body, content_type="text/html")
    with pytest.raises(FatalTrackerError) as err:
        client.preflight()
    assert "PAGURE_URL / --url" in str(err.value) and "<" not in str(err.value)


def test_read_with_token_for_other_project_is_fatal(rsps: responses.RequestsMock, client: PagureClient) -> None:
    """A token bound to another project gets 401 even on reads; the message says so."""
    rsps.add(responses.GET, f"{API}/issues", status=401, json=_tok())
    with pytest.raises(FatalTrackerError) as err:
        list(client.iter_issues())
    assert "bound to another project" in str(err.value)


def test_no_token_read_401_names_setting(rsps: responses.RequestsMock) -> None:
    """A 401 to an anonymous client asks for PAGURE_API_TOKEN."""
    rsps.add(responses.GET, API, status=401, json=_tok("Invalid token"))
    with pytest.raises(FatalTrackerError) as err:
        PagureClient(url=BASE, project=PROJECT, token=None).project_info()
    assert str(err.value).startswith("Pagure needs an API token for centos-sig-hyperscale/sig (401 EINVALIDTOK")


def test_token_never_in_errors(rsps: responses.RequestsMock, client: PagureClient) -> None:
    """Across every failure kind the token appears in no message, repr or attribute."""
    answers = [dict(body=requests.ConnectionError(f"boom token {TOKEN}")), dict(status=500, body=FATAL_PAGE),
               dict(status=401, json=_tok("Invalid token")), dict(status=400, json=EDBERROR),
               dict(body=requests.ReadTimeout("t")), dict(status=418, body=f"teapot {TOKEN}")]
    for answer in answers:
        rsps.replace(responses.POST, NEW, **answer) if rsps.registered() else rsps.add(responses.POST, NEW, **answer)
        with pytest.raises(TrackerError) as err:
            client.create_issue(title="T", content="C")
        text = str(err.value) + repr(err.value) + json.dumps(vars(err.value), default=str)
        assert TOKEN not in text
        assert "<" not in str(err.value)


# -- closing and commenting (issue 14) -------------------------------------------------


def test_close_issue_posts_status_and_close_status(rsps: responses.RequestsMock, client: PagureClient) -> None:
    """close_issue sends status=Closed and the close status, with the token header."""
    rsps.add(responses.POST, f"{API}/issue/45/status",
             json={"message": ["Issue status updated to: Closed (was: Open)", "Issue close_status updated to: Fixed"]})
    client.close_issue(45, "Fixed")
    call = rsps.calls[0]
    assert form_of(call) == {"status": "Closed", "close_status": "Fixed"}
    assert call.request.headers["Authorization"] == f"token {TOKEN}"


def test_close_issue_without_close_status(rsps: responses.RequestsMock, client: PagureClient) -> None:
    """A project without "Fixed" gets a plain close (no close_status field)."""
    rsps.add(responses.POST, f"{API}/issue/3/status", json={"message": ["Issue status updated to: Closed (was: Open)"]})
    client.close_issue(3, None)
    assert form_of(rsps.calls[0]) == {"status": "Closed"}


def test_add_comment_posts_comment(rsps: responses.RequestsMock, client: PagureClient) -> None:
    """add_comment sends the comment field, NUL removed."""
    rsps.add(responses.POST, f"{API}/issue/45/comment", json={"avatar_url": "", "message": "Comment added", "user": "bot"})
    client.add_comment(45, "done in notes\x00 x")
    assert form_of(rsps.calls[0]) == {"comment": "done in notes x"}


def test_change_missing_acl_is_fatal(rsps: responses.RequestsMock, client: PagureClient) -> None:
    """401 Missing ACLs on the status endpoint is a FatalTrackerError naming the ACLs."""
    rsps.add(responses.POST, f"{API}/issue/45/status", status=401,
             json={"error": TOK, "error_code": "EINVALIDTOK", "errors": "Missing ACLs: issue_change_status, issue_update"})
    with pytest.raises(FatalTrackerError) as err:
        client.close_issue(45, "Fixed")
    assert "issue_change_status" in str(err.value)
    assert TOKEN not in str(err.value)


def test_comment_500_is_ambiguous_and_not_resent(rsps: responses.RequestsMock, client: PagureClient) -> None:
    """A 5xx to a comment POST is not retried (the caller looks for its marker first)."""
    rsps.add(responses.POST, f"{API}/issue/45/comment", status=500, body=FATAL_PAGE, content_type="text/html")
    with pytest.raises(TrackerError) as err:
        client.add_comment(45, "x")
    assert err.value.ambiguous
    assert len(rsps.calls) == 1


def test_remote_issue_close_fields_and_comments() -> None:
    """close_status, closed_at and the comment texts are parsed."""
    raw = issue_json(8, status="Closed", close_status="Fixed", closed_at="1795635900.5",
                     comments=[{"comment": "first", "id": 1}, {"comment": "second", "id": 2}])
    issue = RemoteIssue.from_json(raw)
    assert (issue.close_status, issue.closed_at, issue.comments) == ("Fixed", 1795635900.5, ("first", "second"))


def test_project_info_close_statuses(rsps: responses.RequestsMock, client: PagureClient) -> None:
    """The project's close statuses are read from project info."""
    rsps.add(responses.GET, API, json=PROJECT_JSON)
    assert client.project_info().close_statuses == ("Fixed",)
