"""`notes2tickets check` against the stand-in Pagure: one line per check, exit 0 only when filing can work."""

from __future__ import annotations

from tests.fakepagure import DEFAULT_PROJECT, ScriptedFaults, TokenSpec
from tests.sync_support import IN_PROCESS, NOTES, SyncEnv, env  # noqa: F401 - env is a fixture

GOOD_NOTES = NOTES.replace("@ghostuser", "@neal").replace("priority: urgent milestone: 2099-Q1", "")


def lines(text: str) -> dict:
    """{check name: [status words]} from the output."""
    found: dict = {}
    for line in text.splitlines()[:-1]:
        status, name = line.split()[:2]
        found.setdefault(name, []).append(status)
    return found


@IN_PROCESS
def test_everything_in_place_exits_0_with_gets_and_the_preflight_only(env: SyncEnv) -> None:
    """A good setup: every check ok, exit 0; only GETs and the empty preflight form were sent, nothing filed."""
    env.write("notes.md", GOOD_NOTES)
    result = env.run("notes.md", command="check")
    assert result.code == 0, result.out
    assert set(lines(result.out)) == {"notes", "project", "url", "token", "tracker", "acls", "owners", "fields"}
    assert all(status == ["ok"] for status in lines(result.out).values())
    assert result.out.endswith("everything needed to file is in place\n")
    posts = [r for r in env.fake.log if r.method == "POST"]
    assert [r.form for r in posts] == [{}, {}, {}]  # the preflight and the two ACL probes on issue 0
    assert [r.path.rsplit("/", 3)[-3:] for r in posts[1:]] == [["issue", "0", "status"], ["issue", "0", "comment"]]
    assert env.fake.issues() == []


@IN_PROCESS
def test_unknown_owner_priority_and_milestone_are_problems_with_fixes(env: SyncEnv) -> None:
    """The sample notes name ghostuser, priority urgent and milestone 2099-Q1: three problems, each with its fix."""
    env.fake.users["ghost"] = {"name": "ghost", "fullname": "Ghost", "email": "ghost@example.com"}
    result = env.run("notes.md", command="check")
    assert result.code == 2
    owner = [line for line in result.out.splitlines() if line.startswith("problem  owners")]
    assert owner == [
        "problem  owners      'ghostuser' at notes.md:11 is not a tracker user; closest: ghost; "
        'fix: add "ghostuser" = "ghost" under [aliases] in .notes2tickets.toml'
    ]
    assert "problem  priorities  'urgent' at notes.md:15 is not a priority of the project; fix: use one of: High, Normal, Low" in result.out
    assert "problem  milestones  '2099-Q1' at notes.md:15 is not a milestone of the project; fix: use one of: 2022-Q4" in result.out


@IN_PROCESS
def test_token_without_issue_create_is_a_problem(env: SyncEnv) -> None:
    """A token lacking issue_create: the token check fails, names the settings page; exit 2."""
    env.fake.tokens["WEAK" + "0" * 60] = TokenSpec("bot", DEFAULT_PROJECT, acls=("issue_comment",))
    env.token = "WEAK" + "0" * 60
    env.write("notes.md", GOOD_NOTES)
    result = env.run("notes.md", command="check")
    assert result.code == 2
    token = [line for line in result.out.splitlines() if " token " in line]
    assert token[0].startswith("problem  token")
    assert f"{env.url}/{DEFAULT_PROJECT}/settings" in token[0]


@IN_PROCESS
def test_disabled_tracker_is_a_problem(env: SyncEnv) -> None:
    """The project's issue tracker is off: the tracker check says so; exit 2."""
    env.fake.set_tracker("disabled")
    env.write("notes.md", GOOD_NOTES)
    result = env.run("notes.md", command="check")
    assert result.code == 2
    assert lines(result.out)["tracker"] == ["problem"]


@IN_PROCESS
def test_unreachable_url_is_a_problem_and_later_checks_are_not_run(env: SyncEnv) -> None:
    """Nothing listens at the URL: url is a problem, token and owners are 'skipped'; exit 2."""
    env.url = "http://127.0.0.1:9"
    result = env.run("notes.md", command="check")
    assert result.code == 2
    found = lines(result.out)
    assert found["url"] == ["problem"] and found["token"] == ["skipped"] and found["owners"] == ["skipped"]


@IN_PROCESS
def test_unreachable_url_says_its_fix_once(env: SyncEnv) -> None:
    """The network error already names the fix: the line does not repeat it after "; fix:"."""
    env.url = "http://127.0.0.1:9"
    url = [line for line in env.run("notes.md", command="check").out.splitlines() if line.startswith("problem  url")]
    assert len(url) == 1 and url[0].count("and the network") == 1 and "; fix:" not in url[0], url


@IN_PROCESS
def test_check_retries_a_failing_tracker_once_not_like_a_sync(env: SyncEnv) -> None:
    """Every project read answers 503: check asks twice (one retry for a blip) and says so; a sync would ask 5 times."""
    env.fake.set_faults(ScriptedFaults(["503"] * 10, method="GET", path_contains=f"/api/0/{DEFAULT_PROJECT}"))
    env.write("notes.md", GOOD_NOTES)
    result = env.run("notes.md", command="check")
    assert result.code == 2 and lines(result.out)["project"] == ["ok", "problem"], result.out
    assert len([r for r in env.fake.log if r.method == "GET" and r.path == f"/api/0/{DEFAULT_PROJECT}"]) == 2


@IN_PROCESS
def test_dry_run_names_unknown_owners_before_filing(env: SyncEnv) -> None:
    """With a token the dry run warns about an owner the tracker lacks, with the alias line and the closest user."""
    env.fake.users["ghost"] = {"name": "ghost", "fullname": "Ghost", "email": "ghost@example.com"}
    result = env.run("notes.md", "--dry-run")
    assert result.code == 0
    assert (
        f"warning: owner 'ghostuser' at notes.md:11 is not a user of {env.url}; the closest tracker user is ghost: "
        'add "ghostuser" = "ghost" under [aliases] in .notes2tickets.toml, or it is filed unassigned'
    ) in result.err.splitlines()
    assert {r.method for r in env.fake.log} == {"GET"}


@IN_PROCESS
def test_dry_run_falls_back_to_state_only_when_the_tracker_is_down(env: SyncEnv) -> None:
    """A dry run with a token and no network: a warning, the state-only plan, exit 0."""
    env.url = "http://127.0.0.1:9"
    result = env.run("notes.md", "--dry-run")
    assert result.code == 0
    assert "showing the state-only plan instead" in result.err
    assert result.out.splitlines()[-1].startswith("dry run: remote check skipped, the tracker could not be reached")
    assert "4 new, 2 skipped (1 done, 1 tracked)" in result.out


@IN_PROCESS
def test_real_run_still_fails_when_the_tracker_is_down(env: SyncEnv) -> None:
    """Only the dry run falls back: a real run with no network is an error (exit 1), nothing pretends to be filed."""
    env.url = "http://127.0.0.1:9"
    result = env.run("notes.md")
    assert result.code == 1
    assert "error:" in result.err


@IN_PROCESS
def test_close_done_acls_reported(env: SyncEnv) -> None:
    """A token without issue_change_status: fine with close_done off (said so), a problem with it on."""
    env.fake.tokens["NOCLOSE" + "0" * 57] = TokenSpec("bot", DEFAULT_PROJECT, acls=("issue_create", "issue_comment"))
    env.token = "NOCLOSE" + "0" * 57
    env.write("notes.md", GOOD_NOTES)
    off = env.run("notes.md", command="check")
    assert off.code == 0
    assert "ok       acls        the token lacks issue_change_status, needed only with close_done = true" in off.out
    env.config("close_done = true\n")
    on = env.run("notes.md", command="check")
    assert on.code == 2
    assert "problem  acls        close_done is on but the token lacks issue_change_status; fix: create a project API key" in on.out
