"""The stand-in Pagure server reproduces pagure-api.md, and PagureClient works against it end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import requests

from notes2tickets.errors import FatalTrackerError, TrackerError
from notes2tickets.tracker.pagure import PagureClient
from tests.fakepagure import (
    DEFAULT_PROJECT,
    DEFAULT_TOKEN,
    FakePagure,
    RandomFaults,
    ScriptedFaults,
    TokenSpec,
    fake_pagure,  # noqa: F401 - the fixture
)

AUTH = {"Authorization": f"token {DEFAULT_TOKEN}"}
PATH = f"/api/0/{DEFAULT_PROJECT}"
DB_ERROR = {
    "error": "An error occurred at the database level and prevent the action from reaching completion",
    "error_code": "EDBERROR",
}


def post(fake: FakePagure, data: Any = None, *, headers: Optional[Dict[str, str]] = None,
         project: str = DEFAULT_PROJECT, **kwargs: Any) -> requests.Response:
    kwargs.setdefault("timeout", 10)
    return requests.post(f"{fake.url}/api/0/{project}/new_issue", data=data,
                         headers=AUTH if headers is None else headers, **kwargs)


def get(fake: FakePagure, path: str, headers: Optional[Dict[str, str]] = None, **params: Any) -> requests.Response:
    return requests.get(f"{fake.url}{path}", params=params, headers=headers or {}, timeout=10)


def tok_body(fake: FakePagure, errors: Optional[str]) -> Dict[str, str]:
    body = {"error": f"Invalid or expired token. Please visit {fake.url}/settings#nav-api-tab to get or renew your "
                     "API token.", "error_code": "EINVALIDTOK"}
    if errors is not None:
        body["errors"] = errors
    return body


FORM = {"title": "First issue", "issue_content": "Body text"}


def client_for(fake: FakePagure, token: Optional[str] = DEFAULT_TOKEN, **kwargs: Any) -> PagureClient:
    kwargs.setdefault("sleep", lambda seconds: None)
    return PagureClient(url=fake.url, project=DEFAULT_PROJECT, token=token, **kwargs)


# -- new_issue ---------------------------------------------------------------------------------


def test_create_success_shape(fake_pagure: FakePagure) -> None:
    """200 with {"issue", "message"}; timestamps are strings with a fraction; priority comes back as int."""
    resp = post(fake_pagure, {**FORM, "tag": " meetup , new ,, Kernel ", "priority": "1", "milestone": "2022-Q4"})
    assert resp.status_code == 200
    body = resp.json()
    issue = body["issue"]
    assert body["message"] == "Issue created"
    assert (issue["id"], issue["title"], issue["content"], issue["status"]) == (1, "First issue", "Body text", "Open")
    assert issue["tags"] == ["Kernel", "meetup", "new"]
    assert (issue["priority"], issue["milestone"], issue["private"], issue["assignee"]) == (1, "2022-Q4", False, None)
    assert isinstance(issue["date_created"], str) and "." in issue["date_created"]
    assert abs(float(issue["last_updated"]) - time.time()) < 60
    assert 0 < float(issue["date_created"]) - float(issue["last_updated"]) < 1  # as Pagure: stamped just before
    assert issue["full_url"] == f"{fake_pagure.url}/{DEFAULT_PROJECT}/issue/1"
    assert issue["user"]["name"] == "bot"


def _check_cases(fake: FakePagure) -> List[Any]:
    fake.tokens.update({
        "EXPIRED": TokenSpec("bot", DEFAULT_PROJECT, expired=True),
        "NOACL": TokenSpec("bot", DEFAULT_PROJECT, acls=("issue_comment",)),
        "OTHER": TokenSpec("bot", "other/project"),
        "NEAL": TokenSpec("neal", DEFAULT_PROJECT),
        "FREE": TokenSpec("bot", None),
    })
    fake.block_user("neal")
    fake.add_project("off/tracker")
    fake.set_tracker("disabled", "off/tracker")
    fake.add_project("ro/tracker")
    fake.set_tracker("readonly", "ro/tracker")
    return [
        ({}, DEFAULT_PROJECT, 401, tok_body(fake, "Invalid token")),
        ({"Authorization": f"Bearer {DEFAULT_TOKEN}"}, DEFAULT_PROJECT, 401, tok_body(fake, "Invalid token")),
        ({"Authorization": f"Token {DEFAULT_TOKEN}"}, DEFAULT_PROJECT, 401, tok_body(fake, "Invalid token")),
        ({"Authorization": DEFAULT_TOKEN}, DEFAULT_PROJECT, 401, tok_body(fake, "Invalid token")),
        ({"Authorization": "token GARBAGE"}, DEFAULT_PROJECT, 401, tok_body(fake, "Invalid token")),
        ({"Authorization": "token EXPIRED"}, DEFAULT_PROJECT, 401, tok_body(fake, "Expired token")),
        ({"Authorization": "token NOACL"}, DEFAULT_PROJECT, 401, tok_body(fake, "Missing ACLs: issue_create")),
        ({}, "no/such", 401, tok_body(fake, "Invalid token")),
        ({"Authorization": "token NEAL"}, DEFAULT_PROJECT, 403,
         {"error": "You have been blocked from this project", "error_code": "EUBLOCKED"}),
        ({"Authorization": "token FREE"}, "no/such", 404, {"error": "Project not found", "error_code": "ENOPROJECT"}),
        ({"Authorization": "token FREE"}, "off/tracker", 404,
         {"error": "Issue tracker disabled", "error_code": "ETRACKERDISABLED"}),
        ({"Authorization": "token FREE"}, "ro/tracker", 401,
         {"error": "The issue tracker of this project is read-only", "error_code": "ETRACKERREADONLY"}),
        ({"Authorization": "token OTHER"}, DEFAULT_PROJECT, 401, tok_body(fake, None)),
        (AUTH, DEFAULT_PROJECT, 400, {"error": "Invalid or incomplete input submitted", "error_code": "EINVALIDREQ",
                                      "errors": {"title": ["This field is required."],
                                                 "issue_content": ["This field is required."]}}),
    ]


def test_new_issue_check_order(fake_pagure: FakePagure) -> None:
    """Each documented failure of an empty create gives the exact status and body, first failing check wins."""
    for headers, project, status, body in _check_cases(fake_pagure):
        resp = post(fake_pagure, {}, headers=headers, project=project)
        assert (resp.status_code, resp.json()) == (status, body), (headers, project)
    assert fake_pagure.issues() == []


def test_project_less_token_can_create(fake_pagure: FakePagure) -> None:
    """A project-less token with issue_create is accepted by new_issue."""
    fake_pagure.tokens["FREE"] = TokenSpec("bot", None)
    assert post(fake_pagure, FORM, headers={"Authorization": "token  FREE  "}).status_code == 200


@pytest.mark.parametrize("value,private", [("true", True), ("1", True), ("yes", True), ("no", True), ("off", True),
                                           ("FALSE", True), ("false", False), ("False", False), ("0", False),
                                           ("", False), (None, False)])
def test_private_truthiness(fake_pagure: FakePagure, value: Optional[str], private: bool) -> None:
    """Form `private` is private unless exactly false/False/0/empty ('no' is private); missing is public."""
    form = dict(FORM) if value is None else {**FORM, "private": value}
    assert post(fake_pagure, form).json()["issue"]["private"] is private


@pytest.mark.parametrize("tag", ["a,a", "a, a ,b", "x" * 256])
def test_bad_tags_edberror_nothing_created(fake_pagure: FakePagure, tag: str) -> None:
    """A duplicate tag in the list or a tag over 255 chars gives 400 EDBERROR and no issue."""
    resp = post(fake_pagure, {**FORM, "tag": tag})
    assert (resp.status_code, resp.json()) == (400, DB_ERROR)
    assert fake_pagure.issues() == []


def test_unknown_assignee_html_500_nothing_created(fake_pagure: FakePagure) -> None:
    """An unknown assignee gives the HTML fatal-error page and files nothing."""
    resp = post(fake_pagure, {**FORM, "assignee": "nosuchuser"})
    assert resp.status_code == 500
    assert resp.headers["Content-Type"].startswith("text/html")
    assert "A fatal error occured :'( - Pagure" in resp.text
    assert fake_pagure.issues() == []


def test_assignee_by_email_or_without_access(fake_pagure: FakePagure) -> None:
    """Any existing user (by name or e-mail, spaces trimmed) is accepted, access or not."""
    assert post(fake_pagure, {**FORM, "assignee": " neal@example.com "}).json()["issue"]["assignee"]["name"] == "neal"
    assert post(fake_pagure, {**FORM, "assignee": "neal"}).json()["issue"]["assignee"]["name"] == "neal"


@pytest.mark.parametrize("field,value", [("priority", "High"), ("priority", "9"), ("milestone", "2022-q4"),
                                         ("milestone", "2099")])
def test_priority_key_and_exact_milestone(fake_pagure: FakePagure, field: str, value: str) -> None:
    """Priority must be the key and milestone the exact name, else 400 EINVALIDREQ on that field."""
    resp = post(fake_pagure, {**FORM, field: value})
    assert (resp.status_code, resp.json()) == (400, {
        "error": "Invalid or incomplete input submitted", "error_code": "EINVALIDREQ",
        "errors": {field: ["Not a valid choice."]}})


@pytest.mark.parametrize("field", ["title", "issue_content"])
def test_nul_gives_html_500(fake_pagure: FakePagure, field: str) -> None:
    """NUL in title or content is an HTML 500 (PostgreSQL) with nothing filed."""
    resp = post(fake_pagure, {**FORM, field: "a\x00b"})
    assert resp.status_code == 500 and "<title>" in resp.text
    assert fake_pagure.issues() == []


def test_body_over_limit_413() -> None:
    """A body larger than max_body gets the HTML 413 page."""
    with FakePagure(max_body=1000) as fake:
        assert post(fake, {**FORM, "issue_content": "x" * 900}).status_code == 200
        resp = post(fake, {**FORM, "issue_content": "x" * 1001})
        assert resp.status_code == 413 and "Request Entity Too Large" in resp.text
        assert len(fake.issues()) == 1


def test_ids_are_max_plus_one(fake_pagure: FakePagure) -> None:
    """Ids continue from max(issues, PRs); failures use no id; a deleted top id is reused."""
    fake_pagure.add_issue("seeded", issue_id=3)
    fake_pagure.add_pull_request(7)
    post(fake_pagure, {**FORM, "milestone": "bad"})
    assert post(fake_pagure, FORM).json()["issue"]["id"] == 8
    fake_pagure.delete_issue(8)
    fake_pagure.add_project("other/repo")
    assert post(fake_pagure, FORM).json()["issue"]["id"] == 8
    fake_pagure.tokens["FREE"] = TokenSpec("bot", None)
    assert post(fake_pagure, FORM, project="other/repo", headers={"Authorization": "token FREE"}).json()["issue"][
        "id"] == 1


def test_json_body_rules(fake_pagure: FakePagure) -> None:
    """JSON works only with a JSON Content-Type; null private is private; typed values crash with 500."""
    url = f"{fake_pagure.url}{PATH}/new_issue"
    ok = requests.post(url, json={**FORM, "private": None, "tag": "a"}, headers=AUTH, timeout=5)
    assert (ok.status_code, ok.json()["issue"]["private"], ok.json()["issue"]["tags"]) == (200, True, ["a"])
    assert requests.post(url, json={**FORM, "private": False}, headers=AUTH, timeout=5).json()["issue"][
        "private"] is False
    for bad in ({"priority": 1}, {"tag": ["a"]}, {"assignee": None}):
        assert requests.post(url, json={**FORM, **bad}, headers=AUTH, timeout=5).status_code == 500
    plain = requests.post(url, data=json.dumps(FORM), headers={**AUTH, "Content-Type": "text/plain"}, timeout=5)
    assert (plain.status_code, plain.json()["error_code"]) == (400, "EINVALIDREQ")
    broken = requests.post(url, data="{", headers={**AUTH, "Content-Type": "application/json"}, timeout=5)
    assert broken.status_code == 400 and "Bad Request" in broken.text
    assert len(fake_pagure.issues()) == 2


def test_routes_methods_and_case(fake_pagure: FakePagure) -> None:
    """GET new_issue is 405 HTML, a trailing slash 404 HTML; the project path is case-insensitive."""
    assert get(fake_pagure, f"{PATH}/new_issue").status_code == 405
    assert post(fake_pagure, FORM, project="a/b/c").status_code == 404  # not a project path form
    resp = requests.post(f"{fake_pagure.url}{PATH}/new_issue/", data=FORM, headers=AUTH, timeout=5)
    assert resp.status_code == 404 and resp.headers["Content-Type"].startswith("text/html")
    assert post(fake_pagure, FORM, project="CentOS-SIG-Hyperscale/SIG").status_code == 200


# -- listing --------------------------------------------------------------------------------------


def _seed_statuses(fake: FakePagure) -> None:
    for n in range(3):
        fake.add_issue(f"open {n}")
    fake.add_issue("fixed", status="Closed", close_status="Fixed")
    fake.add_issue("dup", status="Closed", close_status="Duplicate")


@pytest.mark.parametrize("status,count", [(None, 3), ("Open", 3), ("open", 0), ("OPEN", 0), ("all", 5), ("ALL", 5),
                                          ("closed", 2), ("Closed", 2), ("Fixed", 1)])
def test_list_status_semantics(fake_pagure: FakePagure, status: Optional[str], count: int) -> None:
    """Open is case-sensitive (open lists nothing), all/closed are not, other values filter on close_status."""
    _seed_statuses(fake_pagure)
    params = {} if status is None else {"status": status}
    body = get(fake_pagure, f"{PATH}/issues", **params).json()
    assert (body["total_issues"], len(body["issues"])) == (count, count)


@pytest.mark.parametrize("params,code", [({"per_page": "0"}, "EINVALIDPERPAGEVALUE"),
                                         ({"per_page": "101"}, "EINVALIDPERPAGEVALUE"),
                                         ({"per_page": "-5"}, "EINVALIDPERPAGEVALUE"),
                                         ({"per_page": "x"}, "EINVALIDREQ"), ({"page": "0"}, "EINVALIDREQ"),
                                         ({"since": "2024-01-01T00:00:00"}, "EDATETIME"),
                                         ({"since": "yesterday"}, "EDATETIME"),
                                         ({"since": "0x10"}, "EDATETIME"),
                                         ({"since": "1e20"}, "ETIMESTAMP"), ({"since": "inf"}, "ETIMESTAMP")])
def test_list_parameter_errors(fake_pagure: FakePagure, params: Dict[str, str], code: str) -> None:
    """Bad per_page, page and since values give 400 with the documented code."""
    resp = get(fake_pagure, f"{PATH}/issues", **params)
    assert (resp.status_code, resp.json()["error_code"]) == (400, code)


def test_list_pagination(fake_pagure: FakePagure) -> None:
    """250 issues at per_page=100: 3 pages, total_issues counts one page, next/prev links keep the query."""
    for n in range(250):
        fake_pagure.add_issue(f"issue {n}", date_created=1000.0 + n)
    body = get(fake_pagure, f"{PATH}/issues", status="all", per_page=100, page=2).json()
    base = f"{fake_pagure.url}{PATH}/issues?"
    assert body["total_issues"] == 100
    assert body["pagination"] == {
        "first": base + "page=1&per_page=100&status=all", "last": base + "page=3&per_page=100&status=all",
        "next": base + "page=3&per_page=100&status=all", "prev": base + "page=1&per_page=100&status=all",
        "page": 2, "pages": 3, "per_page": 100}
    assert [i["id"] for i in body["issues"]][:2] == [150, 149]  # newest first by default
    last = get(fake_pagure, f"{PATH}/issues", status="all", per_page=100, page=3, order="asc").json()
    assert (last["total_issues"], last["pagination"]["next"], last["issues"][-1]["id"]) == (50, None, 250)
    assert get(fake_pagure, f"{PATH}/issues", status="all", per_page=100, page=4).json()["issues"] == []


def test_list_empty_has_zero_pages(fake_pagure: FakePagure) -> None:
    """No issues: pages is 0, next/prev are null, the last link says page=0, args echo no status."""
    body = get(fake_pagure, f"{PATH}/issues").json()
    pagination = body["pagination"]
    assert (pagination["pages"], pagination["next"], pagination["prev"]) == (0, None, None)
    assert pagination["last"].endswith("?page=0&per_page=20") and body["args"]["status"] is None


def test_list_since_filters_last_updated(fake_pagure: FakePagure) -> None:
    """since keeps issues whose last_updated >= since (timestamp or date), not their creation time."""
    fake_pagure.add_issue("old, untouched", date_created=1_600_000_000.0)
    fake_pagure.add_issue("old, updated", date_created=1_600_000_000.0, last_updated=1_700_000_000.5)
    fake_pagure.add_issue("new", date_created=1_700_000_100.0)

    def titles(since: str) -> List[str]:
        return sorted(i["title"] for i in get(fake_pagure, f"{PATH}/issues", status="all", since=since).json()["issues"])

    assert titles("1700000000") == ["new", "old, updated"]
    assert titles("1700000000.6") == ["new"]
    assert titles("2023-11-14") == ["new", "old, updated"]
    assert titles("2023-11-15") == []
    assert titles("1700000000600") == ["new"]  # past year 9999 in seconds: read as milliseconds (arrow)
    assert titles("1700000000600000") == ["new"]  # ... and then as microseconds
    assert titles("+1.7e9") == ["new", "old, updated"]  # anything float() reads
    body = get(fake_pagure, f"{PATH}/issues", status="all", since="1700000000").json()
    assert body["args"]["since"] == 1700000000.0


def test_private_visibility(fake_pagure: FakePagure) -> None:
    """Anonymous callers do not see private issues; committers see all; authors see their own."""
    fake_pagure.tokens["NEAL"] = TokenSpec("neal", DEFAULT_PROJECT)
    fake_pagure.add_issue("public")
    fake_pagure.add_issue("secret", private=True)
    fake_pagure.add_issue("neal's", private=True, author="neal")

    def titles(headers: Dict[str, str]) -> List[str]:
        return [i["title"] for i in get(fake_pagure, f"{PATH}/issues", headers, status="all", order="asc").json()[
            "issues"]]

    assert titles({}) == ["public"]
    assert titles(AUTH) == ["public", "secret", "neal's"]
    assert titles({"Authorization": "token NEAL"}) == ["public", "neal's"]
    assert get(fake_pagure, f"{PATH}/issue/2").json() == {
        "error": "You are not allowed to view this issue", "error_code": "EISSUENOTALLOWED"}
    assert get(fake_pagure, f"{PATH}/issue/2", AUTH).json()["title"] == "secret"


def test_single_issue_not_found(fake_pagure: FakePagure) -> None:
    """Missing and non-numeric ids are 404 ENOISSUE."""
    for ref in ("5", "abc"):
        resp = get(fake_pagure, f"{PATH}/issue/{ref}")
        assert (resp.status_code, resp.json()) == (404, {"error": "Issue not found", "error_code": "ENOISSUE"})


def test_reads_reject_bad_or_foreign_tokens(fake_pagure: FakePagure) -> None:
    """A garbage, expired or other-project token gets 401 on reads too; no fallback to anonymous."""
    fake_pagure.tokens.update({"OTHER": TokenSpec("bot", "x/y"), "OLD": TokenSpec("bot", None, expired=True)})
    for token, errors in (("GARBAGE", "Invalid token"), ("OLD", "Expired token"), ("OTHER", None)):
        resp = get(fake_pagure, f"{PATH}/issues", {"Authorization": f"token {token}"})
        assert (resp.status_code, resp.json()) == (401, tok_body(fake_pagure, errors))


def test_project_info_and_users(fake_pagure: FakePagure) -> None:
    """Project info has priorities with the "" key, milestones and access_users; user routes answer."""
    info = get(fake_pagure, PATH).json()
    assert info["priorities"] == {"": "", "1": "High", "2": "Normal", "3": "Low"}
    assert info["milestones"] == {"2022-Q4": {"active": True, "date": None}}
    assert info["access_users"] == {"owner": ["davide"], "admin": [], "commit": ["bot"], "collaborator": [],
                                    "ticket": ["anita"]}
    assert get(fake_pagure, "/api/0/user/davide").json()["user"]["name"] == "davide"
    assert get(fake_pagure, "/api/0/user/nope").json() == {"error": "No such user found", "error_code": "ENOUSER"}
    assert get(fake_pagure, "/api/0/users", pattern="d").json()["users"] == ["davide"]
    assert get(fake_pagure, "/api/0/users", pattern="DaV").json()["users"] == ["davide"]  # ILIKE: any case
    fake_pagure.deactivate_milestone("2022-Q4")
    assert get(fake_pagure, PATH).json()["milestones"] == {"2022-Q4": {"active": False, "date": None}}
    assert get(fake_pagure, "/api/0/no/such").json()["error_code"] == "ENOPROJECT"


def test_whoami(fake_pagure: FakePagure) -> None:
    """POST whoami names the user; no token has no `errors`; GET is read as a project route."""
    url = f"{fake_pagure.url}/api/0/-/whoami"
    assert requests.post(url, headers=AUTH, timeout=5).json() == {"username": "bot"}
    assert requests.post(url, timeout=5).json() == tok_body(fake_pagure, None)
    assert requests.post(url, headers={"Authorization": "token X"}, timeout=5).json() == tok_body(
        fake_pagure, "Invalid token")
    assert requests.get(url, timeout=5).json() == {"error": "Project not found", "error_code": "ENOPROJECT"}


# -- concurrency, faults, log, persistence -----------------------------------------------------------


def _concurrent_posts(fake: FakePagure, n: int) -> List[requests.Response]:
    barrier = threading.Barrier(n)
    results: List[requests.Response] = []

    def run() -> None:
        barrier.wait()
        results.append(post(fake, FORM))

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_concurrent_creates_race() -> None:
    """Two overlapping creates: one wins, the loser gets 400 EDBERROR and nothing is created."""
    with FakePagure(create_delay=0.3) as fake:
        statuses = sorted(r.status_code for r in _concurrent_posts(fake, 2))
        assert statuses == [200, 400]
        assert [i["id"] for i in fake.issues()] == [1]


@pytest.mark.parametrize("kind,status", [("500", 500), ("502", 502), ("503", 503), ("429", 429)])
def test_fault_status_nothing_created(fake_pagure: FakePagure, kind: str, status: int) -> None:
    """Status faults answer without running the request; 429 and 503 carry Retry-After."""
    fake_pagure.set_faults([kind])
    resp = post(fake_pagure, FORM)
    assert resp.status_code == status
    assert resp.headers.get("Retry-After") == ("1" if kind in ("429", "503") else None)
    assert fake_pagure.issues() == []
    assert post(fake_pagure, FORM).status_code == 200  # the script is used up
    assert [(r.fault, r.status) for r in fake_pagure.log] == [(kind, status), (None, 200)]


@pytest.mark.parametrize("kind,created", [("reset", 0), ("created_then_reset", 1)])
def test_fault_reset(fake_pagure: FakePagure, kind: str, created: int) -> None:
    """A reset closes the socket without an answer, before or after creating the issue."""
    fake_pagure.set_faults([kind])
    with pytest.raises(requests.ConnectionError):
        post(fake_pagure, FORM)
    assert len(fake_pagure.issues()) == created
    assert fake_pagure.log[0].status is None


def test_fault_created_then_500(fake_pagure: FakePagure) -> None:
    """created_then_500 files the issue and answers the HTML 500 page."""
    fake_pagure.set_faults(["created_then_500"])
    resp = post(fake_pagure, FORM)
    assert resp.status_code == 500 and "fatal error" in resp.text
    assert [i["title"] for i in fake_pagure.issues()] == ["First issue"]


def test_fault_slow_reply() -> None:
    """A slow reply outlasts the client timeout; the issue was created meanwhile."""
    with FakePagure(slow_delay=0.6) as fake:
        fake.set_faults(["slow"])
        with pytest.raises(requests.Timeout):
            post(fake, FORM, timeout=0.2)
        assert len(fake.issues()) == 1


def test_scripted_faults_by_path(fake_pagure: FakePagure) -> None:
    """A scripted policy can target one method and path; other requests pass."""
    fake_pagure.set_faults(ScriptedFaults(["502", None, "503"], method="GET", path_contains="/issues"))
    codes = [post(fake_pagure, FORM).status_code] + [get(fake_pagure, f"{PATH}/issues").status_code
                                                      for _ in range(4)]
    assert codes == [200, 502, 200, 503, 200]


def test_random_faults_seeded() -> None:
    """RandomFaults is reproducible for a seed; rate 0 never and rate 1 always fails."""
    first = [RandomFaults(0.3, seed=7)("GET", "/x") for _ in range(1)]
    policy_a, policy_b = RandomFaults(0.3, seed=7), RandomFaults(0.3, seed=7)
    seq_a = [policy_a("GET", "/x") for _ in range(200)]
    assert seq_a == [policy_b("GET", "/x") for _ in range(200)]
    assert 30 <= sum(f is not None for f in seq_a) <= 90
    assert first[0] == seq_a[0]
    assert {RandomFaults(0.0)("GET", "/x") for _ in range(50)} == {None}
    assert all(RandomFaults(1.0, kinds=["502"])("GET", "/x") == "502" for _ in range(50))
    with pytest.raises(ValueError):
        RandomFaults(0.1, kinds=["teapot"])


def test_log_and_counters(fake_pagure: FakePagure) -> None:
    """The log records method, path, query, form and status; count() filters; reset_log() clears."""
    post(fake_pagure, {**FORM, "tag": "a"})
    get(fake_pagure, f"{PATH}/issues", status="all")
    first = fake_pagure.log[0]
    assert (first.method, first.path, first.form, first.status) == (
        "POST", f"{PATH}/new_issue", {**FORM, "tag": "a", "private": False}, 200)
    assert fake_pagure.log[1].query == {"status": ["all"]}
    assert (fake_pagure.count(), fake_pagure.count("POST"), fake_pagure.count(path_endswith="/issues")) == (2, 1, 1)
    fake_pagure.reset_log()
    assert fake_pagure.count() == 0


def test_persistence_across_restart(tmp_path: Path) -> None:
    """With data_file, a restarted server keeps the issues and continues the ids."""
    data = tmp_path / "fake.json"
    with FakePagure(data_file=data) as fake:
        post(fake, FORM)
    with FakePagure(data_file=data) as fake:
        assert post(fake, FORM).json()["issue"]["id"] == 2
        assert [i["full_url"] for i in fake.issues()][0] == f"{fake.url}/{DEFAULT_PROJECT}/issue/1"


def test_bulk_seeding_is_fast(fake_pagure: FakePagure) -> None:
    """Seeding 1,000 issues takes well under a second."""
    start = time.perf_counter()
    for n in range(1000):
        fake_pagure.add_issue(f"issue {n}", "body")
    assert time.perf_counter() - start < 1.0
    assert len(fake_pagure.issues()) == 1000


def test_main_runs_in_another_process(tmp_path: Path) -> None:
    """`python -m tests.fakepagure` prints its URL first and serves until killed."""
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen([sys.executable, "-m", "tests.fakepagure", "--port", "0", "--token", "T0KEN",
                             "--data", str(tmp_path / "d.json")], cwd=root, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(root)})
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        issue = PagureClient(url=url, project=DEFAULT_PROJECT, token="T0KEN").create_issue(title="T", content="C")
        assert issue.id == 1
        assert requests.get(f"{url}/_fake/stats", timeout=5).json()["issues"] == 1
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert json.loads((tmp_path / "d.json").read_text())[DEFAULT_PROJECT]["issues"][0]["title"] == "T"


# -- PagureClient end to end -------------------------------------------------------------------------


def test_client_preflight_ok(fake_pagure: FakePagure) -> None:
    """preflight passes with a good token and creates nothing."""
    client_for(fake_pagure).preflight()
    assert fake_pagure.issues() == [] and fake_pagure.count("POST") == 1


def test_client_preflight_failures(fake_pagure: FakePagure) -> None:
    """Every documented auth/project/tracker failure is a FatalTrackerError naming the cause."""
    _check_cases(fake_pagure)
    cases = [("GARBAGE", DEFAULT_PROJECT, "Pagure rejected the API token"), ("EXPIRED", DEFAULT_PROJECT, "expired"),
             ("NOACL", DEFAULT_PROJECT, "lacks an ACL"), ("OTHER", DEFAULT_PROJECT, "bound to another project"),
             ("NEAL", DEFAULT_PROJECT, "blocked"), ("FREE", "no/such", "not found"),
             ("FREE", "off/tracker", "disabled"), ("FREE", "ro/tracker", "read-only")]
    for token, project, words in cases:
        client = PagureClient(url=fake_pagure.url, project=project, token=token)
        with pytest.raises(FatalTrackerError) as err:
            client.preflight()
        assert words in str(err.value), (token, project)
    assert fake_pagure.issues() == []


def test_client_create_list_since(fake_pagure: FakePagure) -> None:
    """Create through the client, list 250 issues in 3 GETs, then `since` returns only what changed."""
    for n in range(249):
        fake_pagure.add_issue(f"old {n}", date_created=1_600_000_000.0 + n)
    client = client_for(fake_pagure)
    created = client.create_issue(title="New one", content="C <!-- notes2tickets:abc -->", tags=["meetup"],
                                  assignee="neal", priority="High", milestone="2022-Q4", private=True)
    assert (created.id, created.private, created.assignee, created.tags) == (250, True, "neal", ("meetup",))
    fake_pagure.reset_log()
    issues = list(client.iter_issues())
    assert [i.id for i in issues] == list(range(1, 251))
    assert issues[-1].content == "C <!-- notes2tickets:abc -->"
    assert fake_pagure.count("GET", "/issues") == 3
    fake_pagure.update_issue(10, status="Closed", close_status="Fixed", when=created.last_updated + 5)
    changed = list(client.iter_issues(since=created.last_updated))
    assert [i.id for i in changed] == [10, 250]
    assert client.get_issue(10).status == "Closed"


def test_client_invalid_milestone(fake_pagure: FakePagure) -> None:
    """The server's EINVALIDREQ reaches the caller as fields."""
    with pytest.raises(TrackerError) as err:
        client_for(fake_pagure).create_issue(title="T", content="C", milestone="2099")
    assert err.value.fields == {"milestone": ["Not a valid choice."]}


def test_client_user_exists(fake_pagure: FakePagure) -> None:
    """Project members come from project info, others from the users search."""
    client = client_for(fake_pagure)
    assert (client.user_exists("anita"), client.user_exists("neal"), client.user_exists("ne")) == (True, True, False)
    assert fake_pagure.count("GET", "/users") == 2


def test_client_concurrent_creates_all_filed() -> None:
    """Two clients filing at once: the lost race is retried after EDBERROR, both issues exist once."""
    with FakePagure(create_delay=0.3) as fake:
        barrier = threading.Barrier(2)
        ids: List[int] = []

        def run(n: int) -> None:
            client = PagureClient(url=fake.url, project=DEFAULT_PROJECT, token=DEFAULT_TOKEN, backoff=0.05)
            barrier.wait()
            ids.append(client.create_issue(title=f"T{n}", content="C").id)

        threads = [threading.Thread(target=run, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(ids) == [1, 2]
        assert sorted(i["title"] for i in fake.issues()) == ["T0", "T1"]
        assert [r.status for r in fake.log].count(400) >= 1


@pytest.mark.parametrize("kind", ["500", "502", "503", "429", "reset", "slow"])
def test_client_get_recovers_from_each_fault(kind: str) -> None:
    """GETs survive every fault kind by retrying."""
    with FakePagure(slow_delay=0.5, retry_after="0") as fake:
        fake.add_issue("x")
        fake.set_faults([kind, kind])
        client = client_for(fake, timeout=0.2)
        assert [i.title for i in client.iter_issues()] == ["x"]
        assert client.requests_sent == 3


@pytest.mark.parametrize("kind,created", [("500", 0), ("502", 0), ("503", 0), ("reset", 0), ("slow", 1),
                                          ("created_then_500", 1), ("created_then_reset", 1)])
def test_client_create_fault_is_ambiguous(kind: str, created: int) -> None:
    """Each create fault gives ambiguous=True after exactly one POST, whether or not the issue exists."""
    with FakePagure(slow_delay=0.5) as fake:
        fake.set_faults([kind])
        with pytest.raises(TrackerError) as err:
            client_for(fake, timeout=0.2).create_issue(title="T", content="C")
        assert err.value.ambiguous is True
        assert fake.count("POST") == 1
        assert len(fake.issues()) == created


def test_client_create_429_resent_once(fake_pagure: FakePagure) -> None:
    """429 (not processed) is waited out and re-sent: one issue, two POSTs."""
    fake_pagure.set_faults(["429"])
    assert client_for(fake_pagure).create_issue(title="T", content="C").id == 1
    assert fake_pagure.count("POST") == 2 and len(fake_pagure.issues()) == 1


# -- issue/<id>/status and issue/<id>/comment (issue 14) --------------------------------


def test_close_and_comment_end_to_end(fake_pagure: FakePagure) -> None:
    """The client closes with "Fixed" and comments; the issue shows both, plus Pagure's metadata comment."""
    fake_pagure.add_issue("Rotate the key", issue_id=4)
    client = client_for(fake_pagure)
    client.add_comment(4, "Done in notes.md:3")
    client.close_issue(4, "Fixed")
    issue = client.get_issue(4)
    assert (issue.status, issue.close_status) == ("Closed", "Fixed")
    assert issue.closed_at is not None
    assert issue.comments[0] == "Done in notes.md:3"
    assert issue.comments[1].startswith("**Metadata Update from @bot**")


@pytest.mark.parametrize("action, form, acl", [
    ("status", {"status": "Closed"}, "issue_change_status"),
    ("comment", {"comment": "x"}, "issue_comment"),
])
def test_change_needs_its_acl_or_issue_update(action: str, form: Dict[str, str], acl: str) -> None:
    """Without the endpoint's ACL (and without issue_update) Pagure answers 401 Missing ACLs; either ACL works."""
    tokens = {"NOACL": TokenSpec("bot", DEFAULT_PROJECT, acls=("issue_create",)),
              "ONE": TokenSpec("bot", DEFAULT_PROJECT, acls=(acl,)),
              "UPD": TokenSpec("bot", DEFAULT_PROJECT, acls=("issue_update",))}
    with FakePagure(tokens=tokens) as fake:
        fake.add_issue("t", issue_id=1)
        url = f"{fake.url}{PATH}/issue/1/{action}"
        refused = requests.post(url, data=form, headers={"Authorization": "token NOACL"}, timeout=10)
        assert refused.status_code == 401
        assert refused.json()["errors"] == f"Missing ACLs: {acl}, issue_update"
        for token in ("ONE", "UPD"):
            assert requests.post(url, data=form, headers={"Authorization": f"token {token}"}, timeout=10).status_code == 200


def test_change_bad_values(fake_pagure: FakePagure) -> None:
    """Unknown status/close_status and an empty comment are 400 EINVALIDREQ; a missing issue is 404 ENOISSUE."""
    fake_pagure.add_issue("t", issue_id=1)
    base = f"{fake_pagure.url}{PATH}/issue"
    cases = [("1/status", {"status": "Done"}, 400, "status"), ("1/status", {"status": "Closed", "close_status": "Nope"}, 400, "close_status"),
             ("1/comment", {"comment": " "}, 400, "comment"), ("9/comment", {"comment": "x"}, 404, None)]
    for path, form, status, field in cases:
        resp = requests.post(f"{base}/{path}", data=form, headers=AUTH, timeout=10)
        assert resp.status_code == status
        if field:
            assert field in resp.json()["errors"]
    assert fake_pagure.issues()[0]["status"] == "Open"
