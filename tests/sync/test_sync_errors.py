"""End to end: ``notes2tickets sync`` failures: auth/project errors, item errors, ambiguous replies, the lock."""

from __future__ import annotations

import json
import time

import pytest

from notes2tickets.state.store import StateStore
from tests.fakepagure import DEFAULT_PROJECT, DEFAULT_TOKEN, ScriptedFaults, TokenSpec
from tests.sync_support import IN_PROCESS, NEW_ISSUE, NEW_TITLES, NOTES, SyncEnv, env  # noqa: F401 - env is a fixture

SETTINGS = f"{DEFAULT_PROJECT}/settings"


def _expired(e: SyncEnv) -> None:
    e.fake.tokens[DEFAULT_TOKEN] = TokenSpec("bot", DEFAULT_PROJECT, expired=True)


def _no_acl(e: SyncEnv) -> None:
    e.fake.tokens[DEFAULT_TOKEN] = TokenSpec("bot", DEFAULT_PROJECT, acls=("issue_comment",))


def _other_project(e: SyncEnv) -> None:
    e.fake.tokens[DEFAULT_TOKEN] = TokenSpec("bot", "other/repo")


def _invalid(e: SyncEnv) -> None:
    e.token = "N2TWRONG" + "1" * 56


def _no_project(e: SyncEnv) -> None:
    e.project = "nosuch/repo"


AUTH_CASES = {
    "invalid token": (_invalid, "Pagure rejected the API token (401 EINVALIDTOK: Invalid token): check PAGURE_API_TOKEN"),
    "expired token": (_expired, "the Pagure API token has expired (401 EINVALIDTOK: Expired token)"),
    "missing ACL": (_no_acl, "the Pagure API token lacks an ACL needed on centos-sig-hyperscale/sig (401 EINVALIDTOK: "
                    "Missing ACLs: issue_create)"),
    "other project": (_other_project, "the Pagure API token is bound to another project, not centos-sig-hyperscale/sig "
                      "(401 EINVALIDTOK)"),
    "no project": (_no_project, "project nosuch/repo not found at {url}/nosuch/repo (404 ENOPROJECT): check "
                   "PAGURE_PROJECT / --project and PAGURE_URL"),
    "tracker disabled": (lambda e: e.fake.set_tracker("disabled"), "the issue tracker of centos-sig-hyperscale/sig is "
                         "disabled (404 ETRACKERDISABLED): enable it in {url}/" + SETTINGS),
    "read-only": (lambda e: e.fake.set_tracker("readonly"), "the issue tracker of centos-sig-hyperscale/sig is read-only "
                  "(401 ETRACKERREADONLY): ask a project admin to make it writable"),
    "blocked user": (lambda e: e.fake.block_user("bot"), "the token's user is blocked from centos-sig-hyperscale/sig "
                     "(403 EUBLOCKED): ask a project admin to unblock it"),
}


@IN_PROCESS
@pytest.mark.parametrize("case", sorted(AUTH_CASES))
def test_auth_and_project_errors_stop_before_filing(env: SyncEnv, case: str) -> None:
    """Each auth/project error: exit 2, one line naming cause and fix, nothing filed, nothing marked pending."""
    setup, expected = AUTH_CASES[case]
    setup(env)
    result = env.run("notes.md")
    assert result.code == 2
    assert result.out == ""
    assert len(result.err.splitlines()) == 1
    assert result.err.startswith("error: " + expected.format(url=env.url))
    assert env.fake.creates() == 0
    assert env.fake.issues() == []
    assert json.loads(env.run("--format", "json", command="status").out)["rows"] == []


def test_fix_hints_name_where_to_get_a_token(env: SyncEnv) -> None:
    """Token errors say where to create a project API key with the issue_create ACL."""
    _expired(env)
    err = env.run("notes.md").err
    assert err.rstrip("\n").endswith(
        f"create a project API key with the issue_create ACL in {env.url}/{SETTINGS} (API keys) and set PAGURE_API_TOKEN"
    )


def test_real_run_without_token_is_exit_2_and_sends_nothing(env: SyncEnv) -> None:
    """New items but no token: exit 2 naming PAGURE_API_TOKEN, no request at all."""
    env.token = None
    result = env.run("notes.md")
    assert result.code == 2
    assert result.err == "error: no API token: set $PAGURE_API_TOKEN (a token of the project with the issue_create ACL)\n"
    assert env.fake.log == []


@IN_PROCESS
def test_token_over_plain_http_to_another_host_is_refused(env: SyncEnv) -> None:
    """A token and an http:// URL that is not loopback: refused before any request, naming the setting."""
    env.url = "http://pagure.example.org"
    result = env.run("notes.md")
    assert result.code == 2
    assert result.err == (
        "error: refusing to send the API token over plain http to pagure.example.org: use an https:// URL "
        "(--url or $PAGURE_URL)\n"
    )


LONG_NOTES = NOTES + "- [ ] @davide to write the long design doc\n" + "".join(
    f"  - detail line {n} " + "x" * 60 + "\n" for n in range(60)
)


@IN_PROCESS
def test_item_error_fails_that_item_only_then_files_it_next_run(env: SyncEnv) -> None:
    """A 413 on one item: others filed, exit 1, row failed; after the fix the next run files only that item."""
    env.write("notes.md", LONG_NOTES)
    env.fake.max_body = 3000
    first = env.run("notes.md")
    assert first.code == 1
    assert env.fake.titles() == list(NEW_TITLES)
    assert first.out == "4 filed, 0 adopted, 1 failed; skipped: 1 done, 1 tracked\n"
    failed = [line for line in first.err.splitlines() if " failed " in line]
    assert failed == [
        f'[5/5] failed notes.md:16 "Write the long design doc": request body too large for POST '
        f"{env.url}/api/0/{DEFAULT_PROJECT}/new_issue (413): shorten the item's text"
    ]
    rows = json.loads(env.run("--format", "json", command="status").out)["rows"]
    assert [(r["status"], r["line"]) for r in rows if r["status"] != "filed"] == [("failed", 16)]
    assert (env.root / "state.db.pending").exists()
    env.fake.max_body = 4 * 1024 * 1024
    env.fake.reset_log()
    second = env.run("notes.md")
    assert second.code == 0
    assert env.fake.creates() == 1
    assert env.fake.titles() == [*NEW_TITLES, "Write the long design doc"]
    assert second.out == "1 filed, 0 adopted, 0 failed; skipped: 1 done, 4 known, 1 tracked\n"
    assert not (env.root / "state.db.pending").exists()


@IN_PROCESS
def test_repeated_5xx_on_create_fails_the_item_and_never_duplicates(env: SyncEnv) -> None:
    """Three 502s on one create (nothing created): looked up each time, failed, exit 1; the rest filed."""
    env.fake.set_faults(ScriptedFaults([None, "502", "502", "502"], method="POST"))
    result = env.run("notes.md")
    assert result.code == 1
    assert env.fake.titles() == list(NEW_TITLES[1:])
    assert env.fake.creates() == 6
    assert result.err.splitlines()[0].startswith('[1/4] failed notes.md:10 "Update the kernel docs": Pagure answered 502')
    assert result.err.splitlines()[0].endswith("(tried 3 times; retried on the next run)")
    assert env.run("notes.md").code == 0
    assert env.fake.titles() == [*NEW_TITLES[1:], NEW_TITLES[0]]


@IN_PROCESS  # the plan's order (conftest.plan_order); a real run picks its first item at random
@pytest.mark.parametrize("fault", ["created_then_500", "created_then_reset"])
def test_created_then_failed_reply_is_adopted_not_filed_twice(env: SyncEnv, fault: str) -> None:
    """The server creates the issue then answers 500 (or resets): the marker is found, the issue adopted."""
    env.fake.set_faults(ScriptedFaults([None, fault], method="POST"))
    result = env.run("notes.md")
    assert result.code == 0
    assert env.fake.titles() == list(NEW_TITLES)
    assert env.fake.creates() == 4
    assert result.err.splitlines()[0] == f'[1/4] adopted #1 "Update the kernel docs" {env.url}/{DEFAULT_PROJECT}/issue/1'
    assert result.out == "3 filed, 1 adopted, 0 failed; skipped: 1 done, 1 tracked\n"
    env.fake.reset_log()
    assert env.run("notes.md").code == 0
    assert env.fake.log == []


@IN_PROCESS  # the plan's order (conftest.plan_order); a real run picks its first item at random
def test_slow_reply_timeout_is_adopted_not_filed_twice(env: SyncEnv) -> None:
    """The create times out (the server created it, answers late): adopted by its marker, one issue."""
    env.config("timeout = 0.5\n")
    env.fake.slow_delay = 1.5
    env.fake.set_faults(ScriptedFaults([None, "slow"], method="POST"))
    result = env.run("notes.md")
    assert result.code == 0
    assert env.fake.titles() == list(NEW_TITLES)
    assert env.fake.creates() == 4
    assert result.err.splitlines()[0] == f'[1/4] adopted #1 "Update the kernel docs" {env.url}/{DEFAULT_PROJECT}/issue/1'


@IN_PROCESS
def test_edberror_race_is_retried(env: SyncEnv) -> None:
    """A create that loses the id race (400 EDBERROR, nothing created) is re-sent and filed once."""
    env.fake.races_to_lose = 1
    result = env.run("notes.md")
    assert result.code == 0
    assert env.fake.titles() == list(NEW_TITLES)
    assert env.fake.creates() == 5
    assert [f["title"][0] for f in env.fake.raw_creates[:2]] == [NEW_TITLES[0]] * 2
    assert result.out == "4 filed, 0 adopted, 0 failed; skipped: 1 done, 1 tracked\n"


def test_second_run_on_locked_state_waits_then_exits_2(env: SyncEnv) -> None:
    """Another run holds the state: wait lock_timeout, exit 2 with one clear line, send nothing."""
    env.config("lock_timeout = 0.3\n")
    with StateStore.open(env.state):
        started = time.monotonic()
        result = env.run("notes.md")
        elapsed = time.monotonic() - started
    assert result.code == 2
    assert 0.3 <= elapsed < 10
    assert len(result.err.splitlines()) == 1
    assert result.err.startswith(f"error: another notes2tickets run holds {env.state} (pid ")
    assert "wait for it to finish or stop it, then retry (waited 0.3s for " in result.err
    assert env.fake.log == []


@IN_PROCESS
def test_corrupt_state_stops_sync_with_rebuild_hint(env: SyncEnv) -> None:
    """A state file that is not a database: exit 2, message names the file and `state rebuild`; nothing sent."""
    env.state.write_bytes(b"this is not a database" * 100)
    result = env.run("notes.md")
    assert result.code == 2
    assert result.err.startswith(f"error: {env.state} is not a valid notes2tickets state database (")
    assert result.err.endswith("move it aside or run `notes2tickets state rebuild`\n")
    assert env.fake.log == []


class _NoisyOnFree:
    """Behaves like http.client's half-built HTTPResponse: its __del__ raises."""

    freed = False

    def __del__(self) -> None:
        type(self).freed = True
        raise AttributeError("'HTTPResponse' object has no attribute 'fp'")


def test_interrupt_mid_request_prints_one_line_and_no_ignored_exception(monkeypatch: pytest.MonkeyPatch) -> None:
    """CI once saw 'Exception ignored in: <HTTPResponse>' after the Ctrl-C message."""
    import io
    import sys

    from notes2tickets import cli

    def interrupted_in_flight(*_args: object, **_kwargs: object) -> int:
        response = _NoisyOnFree()  # held by this frame, hence by the traceback  # noqa: F841
        raise KeyboardInterrupt

    reported: list = []
    monkeypatch.setattr(sys, "unraisablehook", reported.append)
    monkeypatch.setattr(cli, "_dispatch", interrupted_in_flight)
    err = io.StringIO()
    assert cli.main(["status"], stdout=io.StringIO(), stderr=err) == 130
    assert _NoisyOnFree.freed, "the interrupted frames must be freed before main returns"
    assert reported == []
    assert sys.unraisablehook == reported.append
    assert err.getvalue().splitlines()[-1].startswith("interrupted: ")


def test_interrupt_wrapped_by_python_is_still_an_interrupt(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Ctrl-C while a class is built (a lazy import) reaches main as RuntimeError from KeyboardInterrupt:
    exit 130 with the one line, not 'internal error' (seen once in the interrupt suite)."""
    import io

    from notes2tickets import cli

    def interrupted_in_import(*_args: object, **_kwargs: object) -> int:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as exc:
            raise RuntimeError("Error calling __set_name__ on 'Field' instance 'token' in 'Settings'") from exc

    monkeypatch.setattr(cli, "_dispatch", interrupted_in_import)
    err = io.StringIO()
    assert cli.main(["status"], stdout=io.StringIO(), stderr=err) == 130
    assert err.getvalue() == "interrupted: the item in flight (if any) is reconciled on the next run\n"


def test_unrelated_runtime_error_is_still_a_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only an exception caused by a Ctrl-C counts as one; others stay 'internal error' (exit 3)."""
    import io

    from notes2tickets import cli

    def broken(*_args: object, **_kwargs: object) -> int:
        try:
            raise ValueError("inner")
        except ValueError as exc:
            raise RuntimeError("outer") from exc

    monkeypatch.setattr(cli, "_dispatch", broken)
    err = io.StringIO()
    assert cli.main(["status"], stdout=io.StringIO(), stderr=err) == 3
    assert err.getvalue().startswith("internal error: RuntimeError: outer")
