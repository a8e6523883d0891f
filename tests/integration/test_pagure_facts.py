"""The facts of ../shared/pagure-api.md that notes2tickets depends on, checked on the real server.

Each test runs twice: against the lab's real Pagure and against the stand-in ``tests/fakepagure.py``
set up like the lab (same projects, users, priorities and milestones). A fact that holds on the
real server but fails on the stand-in is a misreading the unit tests would ship: fix the stand-in.
"""

from __future__ import annotations

import math
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, Iterator, List, Optional
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from tests.fakepagure import FakePagure, TokenSpec
from tests.integration.lab import MILESTONES, OTHER, PRIORITIES, SIG, USERS, Lab, list_issues

_FAKE_TOKENS = {SIG: "FAKESIG" + "0" * 57, OTHER: "FAKEOTHER" + "0" * 55}
_DEFAULT = object()
MARKER = "<!-- notes2tickets:v1:0123456789abcdef -->"


class Server:
    """One Pagure to probe: the lab's, or the stand-in; plain ``requests`` calls, nothing of notes2tickets."""

    def __init__(self, name: str, url: str, tokens: Dict[str, str], fake: Optional[FakePagure] = None) -> None:
        self.name, self.url, self.tokens, self.fake = name, url, tokens, fake
        self.api = f"{url}/api/0/{SIG}"

    def headers(self, token: Any) -> Dict[str, str]:
        token = self.tokens[SIG] if token is _DEFAULT else token
        return {"Authorization": f"token {token}"} if token else {}

    def post(self, data: Dict[str, str], *, token: Any = _DEFAULT, project: str = SIG) -> requests.Response:
        return requests.post(f"{self.url}/api/0/{project}/new_issue", data=data, headers=self.headers(token), timeout=30)

    def create(self, title: str, **fields: str) -> Dict[str, Any]:
        resp = self.post({"title": title, "issue_content": fields.pop("content", "body"), **fields})
        assert resp.status_code == 200, resp.text[:300]
        issue: Dict[str, Any] = resp.json()["issue"]
        return issue

    def get(self, path: str, *, token: Any = _DEFAULT, **params: str) -> requests.Response:
        return requests.get(f"{self.url}/api/0/{path}", params=params, headers=self.headers(token), timeout=30)

    def listing(self, *, token: Any = _DEFAULT, **params: str) -> Dict[str, Any]:
        resp = self.get(f"{SIG}/issues", token=token, **params)
        assert resp.status_code == 200, resp.text[:300]
        data: Dict[str, Any] = resp.json()
        return data

    def issues(self) -> List[Dict[str, Any]]:
        return list_issues(self.url, SIG, self.tokens[SIG])

    def touch(self, issue_id: int) -> None:
        """Update an issue (bumps last_updated): a comment on Pagure; the stand-in has no comment endpoint."""
        if self.fake is not None:
            self.fake.update_issue(issue_id)
            return
        resp = requests.post(f"{self.api}/issue/{issue_id}/comment", data={"comment": "bump"},
                             headers=self.headers(_DEFAULT), timeout=30)
        assert resp.status_code == 200, resp.text[:300]


def lab_like_fake() -> FakePagure:
    """The stand-in with the lab's projects, users, priorities, milestones and one token per project."""
    tokens = {token: TokenSpec("admin", project) for project, token in _FAKE_TOKENS.items()}
    fake = FakePagure(project=SIG, tokens=tokens, users=USERS, priorities=dict(PRIORITIES), milestones=MILESTONES,
                      access={"owner": ["admin"]})
    fake.add_project(OTHER, priorities=dict(PRIORITIES), milestones=MILESTONES, access={"owner": ["admin"]})
    for project in (SIG, OTHER):
        fake.deactivate_milestone("CentOS Stream 8", project)
    for user in fake.users.values():
        user["email"] = f"{user['name']}@lab.example.com"
    return fake


@pytest.fixture(params=["real", "fake"])
def server(request: pytest.FixtureRequest, lab_session: Lab) -> Iterator[Server]:
    """The lab's Pagure (reset to zero issues), then the stand-in set up alike."""
    if request.param == "real":
        lab: Lab = request.getfixturevalue("lab")
        yield Server("real", lab.url, {SIG: lab.token_of(SIG), OTHER: lab.token_of(OTHER)})
        return
    with lab_like_fake() as fake:
        yield Server("fake", fake.url, dict(_FAKE_TOKENS), fake)


def link_page(link: str) -> str:
    """The ``page`` parameter of a pagination link (the order of the other parameters differs, harmlessly)."""
    return parse_qs(urlsplit(link).query)["page"][0]


def error_code(resp: requests.Response) -> Optional[str]:
    code: Optional[str] = resp.json().get("error_code")
    return code


# -- auth and the preflight -------------------------------------------------------------------


def test_only_the_lowercase_token_scheme_is_accepted(server: Server) -> None:
    """``Authorization: token T`` (spaces around T allowed) works; ``Token T``, ``Bearer T`` and a bare T do not."""
    token = server.tokens[SIG]
    whoami = f"{server.url}/api/0/-/whoami"
    assert requests.post(whoami, headers={"Authorization": f"token  {token} "}, timeout=30).json() == {"username": "admin"}
    for header in (f"Token {token}", f"Bearer {token}", token):
        resp = requests.post(whoami, headers={"Authorization": header}, timeout=30)
        assert (resp.status_code, error_code(resp)) == (401, "EINVALIDTOK"), header[:6]


def test_preflight_empty_form_checks_auth_and_project_and_files_nothing(server: Server) -> None:
    """The client's preflight (an empty new_issue form): 400 EINVALIDREQ with a good token, and nothing is created."""
    ok = server.post({})
    assert ok.status_code == 400 and error_code(ok) == "EINVALIDREQ"
    assert ok.json()["errors"] == {"issue_content": ["This field is required."], "title": ["This field is required."]}
    assert server.issues() == []


@pytest.mark.parametrize("case, status, code, errors", [
    ("other project's token", 401, "EINVALIDTOK", None),
    ("no token", 401, "EINVALIDTOK", "Invalid token"),
    ("garbage token", 401, "EINVALIDTOK", "Invalid token"),
    ("unknown project", 404, "ENOPROJECT", None),
    ("unknown project, no token", 401, "EINVALIDTOK", "Invalid token"),
])
def test_preflight_refusals(server: Server, case: str, status: int, code: str, errors: Optional[str]) -> None:
    """Each configuration problem the preflight must catch gets its documented status, code and ``errors``."""
    token: Any = {"other project's token": server.tokens[OTHER], "garbage token": "X" * 64}.get(case, _DEFAULT)
    if "no token" in case:
        token = None
    project = "centos-sig-hyperscale/nope" if "unknown project" in case else SIG
    resp = server.post({}, token=token, project=project)
    body = resp.json()
    assert (resp.status_code, body["error_code"], body.get("errors")) == (status, code, errors)
    if code == "EINVALIDTOK":
        assert body["error"] == (f"Invalid or expired token. Please visit {server.url}/settings#nav-api-tab "
                                 "to get or renew your API token.")
    assert server.issues() == []


def test_reading_with_another_projects_token_is_refused(server: Server) -> None:
    """A token bound to another project gets 401 EINVALIDTOK even on the listing; anonymous reading works."""
    resp = server.get(f"{SIG}/issues", token=server.tokens[OTHER])
    assert (resp.status_code, error_code(resp)) == (401, "EINVALIDTOK")
    assert server.get(f"{SIG}/issues", token=None).status_code == 200


# -- new_issue ---------------------------------------------------------------------------------


def test_create_answers_200_with_the_issue_and_consecutive_ids(server: Server) -> None:
    """Success is 200 (not 201) with the issue; ids count from 1; a failed create consumes no id."""
    first = server.post({"title": "First issue", "issue_content": "Body text"})
    assert first.status_code == 200 and first.json()["message"] == "Issue created"
    issue = first.json()["issue"]
    assert (issue["id"], issue["title"], issue["content"], issue["status"]) == (1, "First issue", "Body text", "Open")
    assert issue["full_url"] == f"{server.url}/{SIG}/issue/1"
    assert isinstance(issue["date_created"], str) and float(issue["date_created"]) > 1.6e9
    assert isinstance(issue["last_updated"], str)
    assert 0 < float(issue["date_created"]) - float(issue["last_updated"]) < 1  # stamped just before date_created
    assert server.post({"title": "bad", "issue_content": "x", "milestone": "nope"}).status_code == 400
    assert server.create("Second")["id"] == 2


def test_concurrent_creates_lose_with_edberror_and_file_nothing(server: Server) -> None:
    """Ten creates at once: each is 200 or 400 EDBERROR (a lost id race); losers file nothing and use no id."""
    barrier = threading.Barrier(10)

    def one(n: int) -> requests.Response:
        barrier.wait()
        return server.post({"title": f"Burst {n}", "issue_content": "x"})

    with ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(one, range(10)))
    won = [r.json()["issue"]["title"] for r in answers if r.status_code == 200]
    assert [(r.status_code, error_code(r)) for r in answers if r.status_code != 200] == [(400, "EDBERROR")] * (10 - len(won))
    issues = server.issues()
    assert sorted(i["title"] for i in issues) == sorted(won)
    assert sorted(i["id"] for i in issues) == list(range(1, len(won) + 1))


def test_unknown_assignee_is_an_html_500_and_files_nothing(server: Server) -> None:
    """An unknown assignee: HTTP 500 with Pagure's HTML error page, no issue; a known user, by name or e-mail, is fine."""
    resp = server.post({"title": "Ghost", "issue_content": "x", "assignee": "nosuchuser"})
    assert resp.status_code == 500
    assert resp.headers["Content-Type"].startswith("text/html") and "A fatal error occured" in resp.text
    assert server.issues() == []
    assert server.create("By name", assignee=" davide ")["assignee"]["name"] == "davide"  # no project access needed
    assert server.create("By mail", assignee="neal@lab.example.com")["assignee"]["name"] == "neal"


PRIVATE_VALUES = [("true", True), ("1", True), ("yes", True), ("no", True), ("off", True), ("FALSE", True),
                  ("false", False), ("False", False), ("0", False), ("", False), (None, False)]


def test_private_is_truthy_unless_exactly_false_false_0_or_empty(server: Server) -> None:
    """Form ``private``: 'no', 'off' and 'FALSE' make a private issue; only false/False/0/empty/missing are public."""
    for n, (value, private) in enumerate(PRIVATE_VALUES):
        fields = {} if value is None else {"private": value}
        assert server.create(f"Private {n} {value!r}", **fields)["private"] is private, value
    listed = {i["title"]: i["private"] for i in server.issues()}
    assert listed == {f"Private {n} {v!r}": p for n, (v, p) in enumerate(PRIVATE_VALUES)}


def test_private_issues_are_hidden_from_anonymous_readers(server: Server) -> None:
    """A private issue is in the token holder's listing only; its single GET answers 403 EISSUENOTALLOWED anonymously."""
    public, secret = server.create("Public"), server.create("Secret", private="true")
    assert [i["id"] for i in server.listing(token=None, status="all")["issues"]] == [public["id"]]
    assert {i["id"] for i in server.listing(status="all")["issues"]} == {public["id"], secret["id"]}
    resp = server.get(f"{SIG}/issue/{secret['id']}", token=None)
    assert (resp.status_code, error_code(resp)) == (403, "EISSUENOTALLOWED")
    assert server.get(f"{SIG}/issue/{secret['id']}").json()["private"] is True


def test_priority_is_the_key_and_milestone_the_exact_name(server: Server) -> None:
    """priority '1' works and comes back as 1; the label 'High' is refused; milestones match exactly, inactive ones too."""
    issue = server.create("Prio", priority="1", milestone="CentOS Stream 9")
    assert (issue["priority"], issue["milestone"]) == (1, "CentOS Stream 9")
    assert server.create("Old", milestone="CentOS Stream 8")["milestone"] == "CentOS Stream 8"  # inactive
    for field, value in (("priority", "High"), ("priority", "9"), ("milestone", "f37"), ("milestone", "F38")):
        resp = server.post({"title": "Bad", "issue_content": "x", field: value})
        assert resp.status_code == 400 and resp.json()["errors"] == {field: ["Not a valid choice."]}, value
    assert len(server.issues()) == 2


def test_project_info_has_priority_keys_milestone_names_and_users(server: Server) -> None:
    """GET /api/0/<project>: priorities keyed by string (with the empty key), milestones by name, access_users."""
    info = server.get(SIG, token=None).json()
    assert info["priorities"] == {"": "", **PRIORITIES}
    assert sorted(info["milestones"]) == sorted(MILESTONES)
    assert info["milestones"]["CentOS Stream 8"]["active"] is False
    assert info["access_users"]["owner"] == ["admin"]


def test_tags_are_trimmed_sorted_case_sensitive_and_a_duplicate_is_edberror(server: Server) -> None:
    """``tag`` is one comma-separated string: trimmed, empties dropped, sorted; 'a,a' is 400 EDBERROR and files nothing."""
    issue = server.create("Tags", tag=" meetup , new ,, Kernel ,kernel")
    assert issue["tags"] == ["Kernel", "kernel", "meetup", "new"]
    resp = server.post({"title": "Dup", "issue_content": "x", "tag": "docs,docs"})
    assert (resp.status_code, error_code(resp)) == (400, "EDBERROR")
    assert [i["title"] for i in server.issues()] == ["Tags"]
    assert sorted(server.get(f"{SIG}/tags").json()["tags"]) == ["Kernel", "kernel", "meetup", "new"]


def test_marker_comment_is_stored_verbatim(server: Server) -> None:
    """The hidden HTML-comment marker comes back byte for byte in ``content`` (single GET and listing)."""
    content = f"Some text\n\n{MARKER}\n"
    issue = server.create("Marked", content=content)
    assert server.get(f"{SIG}/issue/{issue['id']}").json()["content"] == content
    assert server.issues()[0]["content"] == content


# -- listing ----------------------------------------------------------------------------------------


def test_total_issues_counts_the_page_not_the_project(server: Server) -> None:
    """With 5 issues and per_page=2: total_issues is 2, 2, 1; pagination.pages is 3 and next ends as null."""
    for n in range(5):
        server.create(f"Issue {n}")
    pages = [server.listing(status="all", per_page="2", order="asc", page=str(p)) for p in (1, 2, 3, 4)]
    assert [p["total_issues"] for p in pages] == [2, 2, 1, 0]
    assert [p["pagination"]["pages"] for p in pages] == [3, 3, 3, 3]
    assert link_page(pages[0]["pagination"]["last"]) == "3"
    assert [p["pagination"]["next"] is None for p in pages[:3]] == [False, False, True]
    assert [i["title"] for p in pages for i in p["issues"]] == [f"Issue {n}" for n in range(5)]  # asc = oldest first


def test_per_page_must_be_between_1_and_100(server: Server) -> None:
    """per_page 0 or 101: 400 EINVALIDPERPAGEVALUE; 100 is fine (the client's page size); no issues = 0 pages."""
    for value in ("0", "101"):
        resp = server.get(f"{SIG}/issues", per_page=value)
        assert (resp.status_code, error_code(resp)) == (400, "EINVALIDPERPAGEVALUE")
    empty = server.listing(per_page="100")["pagination"]
    assert (empty["pages"], empty["next"], empty["prev"], link_page(empty["last"])) == (0, None, None, "0")


def test_status_open_is_case_sensitive_all_is_not(server: Server) -> None:
    """status=Open lists open issues, 'open' and 'OPEN' silently list none; 'all' and 'ALL' list every issue."""
    server.create("One")
    server.create("Two")
    counts = {s: len(server.listing(status=s)["issues"]) for s in ("Open", "open", "OPEN", "all", "ALL")}
    assert counts == {"Open": 2, "open": 0, "OPEN": 0, "all": 2, "ALL": 2}
    default = server.listing()
    assert (len(default["issues"]), default["args"]["status"]) == (2, None)  # Open by default; args echo the query


def test_since_filters_on_last_updated_inclusively(server: Server) -> None:
    """``since`` keeps issues with last_updated >= since (not creation time); whole seconds and dates are accepted."""
    old = server.create("Old")
    time.sleep(1.2)
    new = server.create("New")
    cut = str(int(math.floor(float(new["last_updated"]))))  # what the client sends: whole seconds, floored
    assert [i["id"] for i in server.listing(status="all", since=cut)["issues"]] == [new["id"]]
    assert server.listing(status="all", since=new["last_updated"])["issues"][0]["id"] == new["id"]  # inclusive
    server.touch(old["id"])
    assert sorted(i["id"] for i in server.listing(status="all", since=cut)["issues"]) == [old["id"], new["id"]]
    later = str(float(new["last_updated"]) + 3600)
    assert server.listing(status="all", since=later)["issues"] == []
    assert len(server.listing(status="all", since="2020-01-01")["issues"]) == 2
    in_ms = str(int(float(cut) * 1000))  # past year 9999 as seconds: read as milliseconds
    assert len(server.listing(status="all", since=in_ms)["issues"]) == 2


@pytest.mark.parametrize("value, code", [("2026-12-01T00:00:00", "EDATETIME"), ("yesterday", "EDATETIME"),
                                         ("inf", "ETIMESTAMP"), ("1e20", "ETIMESTAMP")])
def test_since_refuses_other_formats(server: Server, value: str, code: str) -> None:
    """ISO datetimes and words are 400 EDATETIME; numbers too large for a date are 400 ETIMESTAMP."""
    resp = server.get(f"{SIG}/issues", since=value)
    assert (resp.status_code, error_code(resp)) == (400, code)


# -- users -------------------------------------------------------------------------------------------


def test_user_search_is_a_case_insensitive_prefix_match(server: Server) -> None:
    """GET /api/0/users?pattern=P lists the usernames starting with P, in any case; an unknown user is an empty list."""
    assert server.get("users", token=None, pattern="davide").json()["users"] == ["davide"]
    assert sorted(server.get("users", token=None, pattern="d").json()["users"]) == ["davide", "dcavalca"]
    assert server.get("users", token=None, pattern="Davide").json()["users"] == ["davide"]
    assert server.get("users", token=None, pattern="ghostuser").json() == {"mention": [], "total_users": 0,
                                                                          "users": []}
    resp = server.get("user/ghostuser", token=None)
    assert (resp.status_code, error_code(resp)) == (404, "ENOUSER")
