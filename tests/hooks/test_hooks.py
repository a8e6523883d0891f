"""git hooks: install, uninstall, chaining, the Python-free no-op path, run(), and filing end to end."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Iterator, Optional

import pytest

from notes2tickets.cli import main
from notes2tickets.config import DEFAULT_NOTES_GLOBS, Settings
from notes2tickets.errors import ConfigError, InputError
from notes2tickets.git import hookscript
from notes2tickets.hooks import commands as hooks
from tests.git.test_changes import ZERO, commit, git, init_repo, write
from tests.hooks.settle import settled

FOREIGN = "#!/bin/sh\nprintf '%s|' \"$@\" >> \"$(dirname \"$0\")/../foreign-ran\"\necho >> \"$(dirname \"$0\")/../foreign-ran\"\n"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh repository with one commit; the current directory."""
    path = init_repo(tmp_path / "repo")
    write(path, "README", "hello\n")
    commit(path, "root")
    monkeypatch.chdir(path)
    return path


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def settings_for(root: Path, **changes: Any) -> Settings:
    return Settings(root=root, notes=DEFAULT_NOTES_GLOBS, **changes)


@pytest.fixture
def proof(tmp_path: Path) -> Path:
    """A file the wrapper interpreter appends to each time the hook script starts Python."""
    return tmp_path / "python-started"


@pytest.fixture
def wrapper(tmp_path: Path, proof: Path) -> Path:
    """An 'interpreter' that records that it ran, then runs the real one."""
    path = tmp_path / "bin" / "python-wrapper"
    path.parent.mkdir()
    path.write_text(f"#!/bin/sh\necho started >> '{proof}'\nexec '{sys.executable}' \"$@\"\n")
    path.chmod(0o755)
    return path


def install_with(monkeypatch: pytest.MonkeyPatch, root: Path, interpreter: Path, hook_type: str = "post-commit",
                 **changes: Any) -> str:
    """Install with ``interpreter`` baked in as the Python the script calls."""
    with monkeypatch.context() as patch:
        patch.setattr(sys, "executable", str(interpreter))
        return hooks.install(settings=settings_for(root, **changes), hook_type=hook_type, dry_run=False, force=False)


def started(proof: Path) -> int:
    return len(proof.read_text().splitlines()) if proof.exists() else 0


def run_git(repo: Path, *args: str, env: Optional[dict[str, str]] = None, settle: bool = True) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, **(env or {})}
    started = time.time()
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env=full, check=False)
    return settled(repo, done, full, started) if settle else done


def commit_all(repo: Path, message: str = "change", env: Optional[dict[str, str]] = None,
               settle: bool = True) -> subprocess.CompletedProcess[str]:
    git(repo, "add", "-A")
    return run_git(repo, "commit", "-q", "-m", message, env=env, settle=settle)


# -- install / uninstall ---------------------------------------------------------------------------------------


def test_install_writes_a_marked_executable_script(repo: Path) -> None:
    """install writes an executable sh script with the marker, the interpreter and the globs baked in."""
    code, out, err = cli("hook", "install")
    path = repo / ".git" / "hooks" / "post-commit"
    assert (code, out, err) == (0, f"installed post-commit hook at {path}\n", "")
    text = path.read_text()
    assert text.startswith("#!/bin/sh\n" + hookscript.MARKER + "\n")
    assert f"n2t_python={sys.executable}\n" in text or f"n2t_python='{sys.executable}'\n" in text
    assert "':(top,glob)meetups/**/*.md' ':(top,glob)meetings/**/*.md'" in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o755
    assert subprocess.run(["sh", "-n", str(path)], check=False).returncode == 0


def test_install_twice_is_idempotent(repo: Path) -> None:
    """A second install changes nothing and says so."""
    cli("hook", "install", "--type", "pre-push")
    path = repo / ".git" / "hooks" / "pre-push"
    before = path.read_text()
    assert cli("hook", "install", "--type", "pre-push") == (0, f"pre-push hook already installed at {path}\n", "")
    assert path.read_text() == before
    assert sorted(p.name for p in path.parent.iterdir() if not p.name.endswith(".sample")) == ["pre-push"]


def test_install_refreshes_the_baked_globs(repo: Path) -> None:
    """After the notes globs change, install updates the script in place."""
    cli("hook", "install")
    (repo / ".notes2tickets.toml").write_text('notes = ["docs/my notes/*.md"]\n')
    path = repo / ".git" / "hooks" / "post-commit"
    assert cli("hook", "install") == (0, f"updated post-commit hook at {path}\n", "")
    assert "-- ':(top,glob)docs/my notes/*.md' 2>/dev/null" in path.read_text()
    assert "meetups" not in path.read_text()


def test_dry_run_install_bakes_the_flag(repo: Path) -> None:
    """install --dry-run writes a hook that calls 'hook run --dry-run'."""
    path = repo / ".git" / "hooks" / "post-merge"
    expected = f"installed post-merge hook at {path} (dry-run: it only previews)\n"
    assert cli("hook", "install", "--type", "post-merge", "--dry-run") == (0, expected, "")
    assert 'hook run --type "$n2t_type" --dry-run\n' in path.read_text()


def test_foreign_hook_is_chained_then_restored(repo: Path) -> None:
    """A foreign hook moves to .legacy, still runs on commit, and uninstall puts it back unchanged."""
    hooks_dir = repo / ".git" / "hooks"
    (hooks_dir / "post-commit").write_text(FOREIGN)
    (hooks_dir / "post-commit").chmod(0o755)
    code, out, _ = cli("hook", "install")
    assert out == f"installed post-commit hook at {hooks_dir / 'post-commit'}; the existing hook is kept as post-commit.legacy and runs first\n"
    assert (hooks_dir / "post-commit.legacy").read_text() == FOREIGN
    write(repo, "src/app.py", "x = 1\n")
    assert commit_all(repo).returncode == 0
    assert (repo / ".git" / "foreign-ran").read_text() == "|\n"
    assert cli("hook", "install")[1] == f"post-commit hook already installed at {hooks_dir / 'post-commit'}; it runs the previous hook post-commit.legacy first\n"
    code, out, _ = cli("hook", "uninstall")
    assert out == f"removed the notes2tickets post-commit hook; restored the previous hook {hooks_dir / 'post-commit'}\n"
    assert (hooks_dir / "post-commit").read_text() == FOREIGN
    assert not (hooks_dir / "post-commit.legacy").exists()
    assert os.access(hooks_dir / "post-commit", os.X_OK)


def test_force_replaces_a_foreign_hook(repo: Path) -> None:
    """--force replaces a foreign hook without keeping or chaining it."""
    hook = repo / ".git" / "hooks" / "post-commit"
    hook.write_text(FOREIGN)
    code, out, _ = cli("hook", "install", "--force")
    assert out == f"installed post-commit hook at {hook}; replaced the existing hook (--force)\n"
    assert hookscript.is_ours(hook.read_text())
    assert not hook.with_name("post-commit.legacy").exists()


def test_foreign_hook_and_legacy_both_present_refuses(repo: Path) -> None:
    """With a foreign hook and a .legacy already there, install stops with one line and touches nothing."""
    hook = repo / ".git" / "hooks" / "post-commit"
    hook.write_text(FOREIGN)
    hook.with_name("post-commit.legacy").write_text("#!/bin/sh\n")
    code, out, err = cli("hook", "install")
    assert (code, out) == (2, "")
    assert err == (f"error: {hook} is not ours and post-commit.legacy exists too: move one of them away, "
                   "or pass --force to replace post-commit\n")
    assert hook.read_text() == FOREIGN


def test_uninstall_leaves_foreign_hooks_alone(repo: Path) -> None:
    """uninstall without our hook removes nothing."""
    hook = repo / ".git" / "hooks" / "post-commit"
    hook.write_text(FOREIGN)
    assert cli("hook", "uninstall") == (0, f"nothing to uninstall: {hook} holds a hook that is not ours (left alone)\n", "")
    assert hook.read_text() == FOREIGN
    assert cli("hook", "uninstall", "--type", "pre-push") == (
        0, f"nothing to uninstall: {hook.with_name('pre-push')} holds no hook\n", "")


def test_core_hooks_path_is_respected(repo: Path, monkeypatch: pytest.MonkeyPatch, wrapper: Path, proof: Path) -> None:
    """With core.hooksPath set, the hook goes there (created if missing) and git runs it."""
    git(repo, "config", "core.hooksPath", "ci/hooks")
    message = install_with(monkeypatch, repo, wrapper)
    assert message == f"installed post-commit hook at {repo / 'ci' / 'hooks' / 'post-commit'}"
    assert not (repo / ".git" / "hooks" / "post-commit").exists()
    write(repo, "meetups/m.md")
    assert commit_all(repo).returncode == 0
    assert started(proof) == 1
    flag = repo / ".git" / "notes2tickets" / "state.sqlite3.pending"
    flag.parent.mkdir()
    flag.write_text("")
    write(repo, "a.txt")
    assert commit_all(repo).returncode == 0
    assert started(proof) == 2


def test_linked_worktree_installs_into_the_shared_hooks(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """From a linked worktree the hook lands in the common hooks folder, which every worktree uses."""
    tree = repo.parent / "wt"
    git(repo, "worktree", "add", "-q", "-b", "wt", str(tree))
    monkeypatch.chdir(tree)
    assert cli("hook", "install") == (0, f"installed post-commit hook at {repo / '.git' / 'hooks' / 'post-commit'}\n", "")


def test_outside_a_repository_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """install outside git: exit 2, one line."""
    plain = tmp_path / "plain"
    plain.mkdir()
    monkeypatch.chdir(plain)
    code, out, err = cli("hook", "install")
    assert (code, out) == (2, "")
    assert err == f"error: {plain} is not inside a git repository: run this in the work tree of your notes repository\n"
    with pytest.raises(ConfigError):
        hooks.uninstall(settings=settings_for(plain), hook_type="post-commit")


# -- the shell script: Python starts only when it must ---------------------------------------------------------


def test_commit_without_notes_does_not_start_python(repo: Path, monkeypatch: pytest.MonkeyPatch, wrapper: Path,
                                                    proof: Path) -> None:
    """Commits touching other files never start Python; a notes commit (odd name included) does."""
    install_with(monkeypatch, repo, wrapper)
    for i in range(3):
        write(repo, f"src/file{i}.py", "x = 1\n")
        write(repo, "meetupsX.md")
        write(repo, "docs/meetups/not-notes.md", f"v{i}\n")
        assert commit_all(repo).returncode == 0
    assert started(proof) == 0
    write(repo, "meetups/2022/with space\nand newline.md")
    assert commit_all(repo).returncode == 0
    assert started(proof) == 1


def test_root_commit_with_notes_starts_python(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, wrapper: Path,
                                              proof: Path) -> None:
    """The root commit (no parent) is checked too."""
    fresh = init_repo(tmp_path / "fresh")
    install_with(monkeypatch, fresh, wrapper)
    write(fresh, "notes/first.md")
    assert commit_all(fresh).returncode == 0
    assert started(proof) == 1


def test_hook_off_skips_in_the_shell(repo: Path, monkeypatch: pytest.MonkeyPatch, wrapper: Path, proof: Path) -> None:
    """NOTES2TICKETS_HOOK=off: a notes commit does not start Python."""
    install_with(monkeypatch, repo, wrapper)
    write(repo, "meetups/m.md")
    assert commit_all(repo, env={"NOTES2TICKETS_HOOK": "off"}).returncode == 0
    assert started(proof) == 0


def test_pending_flag_starts_python(repo: Path, monkeypatch: pytest.MonkeyPatch, wrapper: Path, proof: Path) -> None:
    """With the .pending flag (default or $NOTES2TICKETS_STATE place), any commit starts Python."""
    install_with(monkeypatch, repo, wrapper)
    flag = repo / ".git" / "notes2tickets" / "state.sqlite3.pending"
    flag.parent.mkdir()
    flag.write_text("")
    write(repo, "a.txt")
    assert commit_all(repo).returncode == 0
    assert started(proof) == 1
    custom = repo.parent / "elsewhere.sqlite3"
    write(repo, "b.txt")
    assert commit_all(repo, env={"NOTES2TICKETS_STATE": str(custom)}).returncode == 0
    assert started(proof) == 1
    Path(str(custom) + ".pending").write_text("")
    write(repo, "c.txt")
    assert commit_all(repo, env={"NOTES2TICKETS_STATE": str(custom)}).returncode == 0
    assert started(proof) == 2


def test_vanished_interpreter_warns_and_commits(repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """If the installing interpreter is gone, the commit still succeeds with one warning line."""
    gone = tmp_path / "gone" / "python"
    install_with(monkeypatch, repo, gone)
    write(repo, "meetups/m.md")
    done = commit_all(repo)
    assert done.returncode == 0
    assert done.stderr == f'warning: notes2tickets: hook skipped: {gone} is gone; re-run "notes2tickets hook install --type post-commit"\n'


def test_post_merge_starts_python_only_for_notes(repo: Path, monkeypatch: pytest.MonkeyPatch, wrapper: Path,
                                                 proof: Path) -> None:
    """post-merge: a merge bringing only other files stays in the shell; one bringing notes does not."""
    install_with(monkeypatch, repo, wrapper, hook_type="post-merge")
    git(repo, "checkout", "-q", "-b", "side")
    write(repo, "code.c")
    commit(repo)
    git(repo, "checkout", "-q", "main")
    assert run_git(repo, "merge", "-q", "side").returncode == 0
    assert started(proof) == 0
    git(repo, "checkout", "-q", "side")
    write(repo, "minutes/m.md")
    commit(repo)
    git(repo, "checkout", "-q", "main")
    assert run_git(repo, "merge", "-q", "side").returncode == 0
    assert started(proof) == 1


@pytest.fixture
def remote(repo: Path) -> Path:
    """A bare remote holding main."""
    bare = repo.parent / "remote.git"
    git(repo.parent, "init", "-q", "--bare", str(bare))
    git(repo, "remote", "add", "origin", str(bare))
    git(repo, "push", "-q", "origin", "main")
    return bare


def test_pre_push_starts_python_only_for_notes(repo: Path, remote: Path, monkeypatch: pytest.MonkeyPatch,
                                               wrapper: Path, proof: Path) -> None:
    """pre-push: other files, branch deletions: no Python; a new branch with notes: Python, stdin passed on."""
    install_with(monkeypatch, repo, wrapper, hook_type="pre-push")
    write(repo, "code.c")
    commit(repo)
    assert run_git(repo, "push", "-q", "origin", "main").returncode == 0
    assert run_git(repo, "push", "-q", "origin", "main:refs/heads/old").returncode == 0
    assert run_git(repo, "push", "-q", "origin", ":old").returncode == 0
    git(repo, "checkout", "-q", "-b", "code-only")
    write(repo, "more.c")
    commit(repo)
    assert run_git(repo, "push", "-q", "origin", "code-only").returncode == 0
    assert started(proof) == 0
    git(repo, "checkout", "-q", "-b", "topic")
    write(repo, "meetings/t.md")
    commit(repo)
    assert run_git(repo, "push", "-q", "origin", "topic").returncode == 0
    assert started(proof) == 1


def test_pre_push_chains_a_foreign_hook_with_stdin(repo: Path, remote: Path, monkeypatch: pytest.MonkeyPatch,
                                                   wrapper: Path) -> None:
    """The chained pre-push hook gets git's stdin and its failure still blocks the push."""
    hook = repo / ".git" / "hooks" / "pre-push"
    hook.write_text("#!/bin/sh\ncat > \"$(dirname \"$0\")/../seen\"\nexit \"${FAIL_PUSH:-0}\"\n")
    hook.chmod(0o755)
    install_with(monkeypatch, repo, wrapper, hook_type="pre-push")
    write(repo, "code.c")
    tip = commit(repo)
    assert run_git(repo, "push", "-q", "origin", "main", env={"FAIL_PUSH": "1"}).returncode != 0
    base = git(repo, "rev-parse", "origin/main").strip()
    assert (repo / ".git" / "seen").read_text() == f"refs/heads/main {tip} refs/heads/main {base}\n"
    assert run_git(repo, "push", "-q", "origin", "main").returncode == 0
    assert git(repo, "rev-parse", "origin/main").strip() == tip


# -- hooks.run -------------------------------------------------------------------------------------------------


class Calls:
    def __init__(self, result: Any = 0) -> None:
        self.result = result
        self.seen: list[tuple[list[str], bool]] = []

    def __call__(self, settings: Settings, notes: Any, dry_run: bool, out: Any, err: Any) -> int:
        self.seen.append(([Path(p).relative_to(settings.root).as_posix() for p in notes], dry_run))
        if isinstance(self.result, BaseException):
            raise self.result
        return int(self.result)


class NoRead(io.BytesIO):
    def read(self, *args: Any) -> bytes:  # noqa: ARG002
        raise AssertionError("stdin must not be read")


def run_hook(root: Path, hook_type: str = "post-commit", *, mode: str = "", dry_run: bool = False,
             stdin: Optional[io.BytesIO] = None, **changes: Any) -> tuple[int, str]:
    err = io.StringIO()
    code = hooks.run(settings=settings_for(root, **changes), hook_type=hook_type, dry_run=dry_run, mode=mode,
                     stdin=stdin or NoRead(), out=io.StringIO(), err=err)
    return code, err.getvalue()


def test_run_syncs_exactly_the_changed_notes(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """run passes the changed notes files only, and never reads stdin for post-commit."""
    calls = Calls()
    monkeypatch.setattr(hooks, "_sync_run", calls)
    write(repo, "meetups/a.md")
    write(repo, "notes/b.md")
    write(repo, "other.md")
    commit(repo)
    assert run_hook(repo) == (0, "")
    assert run_hook(repo, mode="dry-run") == (0, "")
    assert calls.seen == [(["meetups/a.md", "notes/b.md"], False), (["meetups/a.md", "notes/b.md"], True)]


def test_run_off_and_nothing_to_do(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """mode off does nothing at all; a commit without notes (and no pending flag) does not sync."""
    calls = Calls()
    monkeypatch.setattr(hooks, "_sync_run", calls)
    write(repo, "meetups/a.md")
    commit(repo)
    assert run_hook(repo, mode="off") == (0, "")
    write(repo, "x.txt")
    commit(repo)
    assert run_hook(repo) == (0, "")
    assert calls.seen == []


def test_run_never_fails_post_commit(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Expected errors and bugs become one warning line and exit 0."""
    write(repo, "meetups/a.md")
    commit(repo)
    monkeypatch.setattr(hooks, "_sync_run", Calls(InputError("meetups/a.md: cannot read\nsecond line")))
    assert run_hook(repo) == (0, "warning: notes2tickets: post-commit hook: meetups/a.md: cannot read second line\n")
    monkeypatch.setattr(hooks, "_sync_run", Calls(KeyError("boom")))
    assert run_hook(repo, "post-commit") == (
        0, "warning: notes2tickets: post-commit hook hit a bug (KeyError: 'boom'); please report it\n")


def test_run_never_prints_the_token(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A token inside an error message is hidden."""
    write(repo, "meetups/a.md")
    commit(repo)
    monkeypatch.setattr(hooks, "_sync_run", Calls(RuntimeError("bad SECRET123")))
    code, err = run_hook(repo, token="SECRET123")
    assert (code, "SECRET123" in err, "<hidden>" in err) == (0, False, True)


def test_pre_push_blocks_only_when_strict(repo: Path, remote: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """pre-push returns the failure only with strict_push (and not in a dry run)."""
    base = git(repo, "rev-parse", "HEAD").strip()
    write(repo, "notes/n.md")
    tip = commit(repo)
    line = f"refs/heads/main {tip} refs/heads/main {base}\n".encode()
    monkeypatch.setattr(hooks, "_sync_run", Calls(1))
    assert run_hook(repo, "pre-push", stdin=io.BytesIO(line)) == (0, "")
    blocked = ("error: notes2tickets: push blocked (strict_push): some action items are not filed yet; "
               "run 'notes2tickets sync', or push with --no-verify\n")
    assert run_hook(repo, "pre-push", stdin=io.BytesIO(line), strict_push=True) == (1, blocked)
    assert run_hook(repo, "pre-push", stdin=io.BytesIO(line), strict_push=True, dry_run=True) == (0, "")
    monkeypatch.setattr(hooks, "_sync_run", Calls(0))
    assert run_hook(repo, "pre-push", stdin=io.BytesIO(line), strict_push=True) == (0, "")
    deletion = f"(delete) {ZERO} refs/heads/x {base}\n".encode()
    assert run_hook(repo, "pre-push", stdin=io.BytesIO(deletion), strict_push=True) == (0, "")


def test_unknown_mode_warns_and_runs(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A misspelt NOTES2TICKETS_HOOK is named in a warning; the hook runs normally."""
    calls = Calls()
    monkeypatch.setattr(hooks, "_sync_run", calls)
    write(repo, "meetups/a.md")
    commit(repo)
    assert run_hook(repo, mode="of") == (
        0, "warning: notes2tickets: NOTES2TICKETS_HOOK='of' is not 'off' or 'dry-run'; running normally\n")
    assert calls.seen == [(["meetups/a.md"], False)]


# -- end to end: real commits, the stand-in Pagure server, the real sync ---------------------------------------

NOTES = """# Hyperscale SIG meeting

## Action items
- [ ] Write the hook documentation
- [ ] Package the kernel for c9s
"""


def _e2e_ready() -> bool:
    try:
        from notes2tickets.extract import parse_paths  # noqa: F401
        from notes2tickets.sync.commands import run  # noqa: F401
        from tests.fakepagure import FakePagure  # noqa: F401
    except ImportError:
        return False
    return True


e2e = pytest.mark.skipif(not _e2e_ready(), reason="needs tests/fakepagure.py, notes2tickets.sync.run and the extractor")


@pytest.fixture
def tracker(repo: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The stand-in server, with the environment pointing commits' hooks at it and the hook installed."""
    from tests.fakepagure import DEFAULT_PROJECT, DEFAULT_TOKEN, FakePagure

    with FakePagure() as fake:
        monkeypatch.setenv("PAGURE_URL", fake.url)
        monkeypatch.setenv("PAGURE_PROJECT", DEFAULT_PROJECT)
        monkeypatch.setenv("PAGURE_API_TOKEN", DEFAULT_TOKEN)
        assert cli("hook", "install")[0] == 0
        yield fake


def titles(fake: Any) -> list[str]:
    return [issue["title"] for issue in fake.issues()]


@e2e
def test_commit_files_new_items_once(repo: Path, tracker: Any) -> None:
    """A notes commit files its items; amending and re-committing the same notes file nothing more."""
    write(repo, "meetups/20220816-boston.md", NOTES)
    done = commit_all(repo)
    assert done.returncode == 0, done.stderr
    assert sorted(titles(tracker)) == ["Package the kernel for c9s", "Write the hook documentation"]
    assert run_git(repo, "commit", "-q", "--amend", "--no-edit").returncode == 0
    write(repo, "meetups/20220816-boston.md", NOTES + "\nSee you next week.\n")
    assert commit_all(repo).returncode == 0
    write(repo, "src/x.c")
    assert commit_all(repo).returncode == 0
    assert sorted(titles(tracker)) == ["Package the kernel for c9s", "Write the hook documentation"]


@e2e
def test_unreachable_tracker_keeps_items_pending(repo: Path, tracker: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tracker down: the commit lands, one warning, items pending; the next commit (no notes) files them."""
    from tests.fakepagure import RandomFaults

    write(repo, "notes/weekly.md", NOTES)
    tracker.set_faults(RandomFaults(1.0, seed=1, kinds=("reset",)))  # every connection dropped
    done = commit_all(repo)
    tracker.set_faults(None)
    assert done.returncode == 0
    assert git(repo, "log", "-1", "--format=%s").strip() == "change"
    assert len(done.stderr.splitlines()) == 1 and "pending" in done.stderr, done.stderr
    assert (repo / ".git" / "notes2tickets" / "state.sqlite3.pending").exists()
    assert titles(tracker) == []
    write(repo, "unrelated.txt")
    assert commit_all(repo).returncode == 0
    assert sorted(titles(tracker)) == ["Package the kernel for c9s", "Write the hook documentation"]
    assert not (repo / ".git" / "notes2tickets" / "state.sqlite3.pending").exists()


@e2e
def test_odd_names_are_filed(repo: Path, tracker: Any) -> None:
    """Notes files named with spaces, quotes and newlines are filed."""
    write(repo, "meetups/my \"odd\"\nnotes.md", "# M\n\n- [ ] Fix the odd file names\n")
    assert commit_all(repo).returncode == 0
    assert titles(tracker) == ["Fix the odd file names"]


def _teammate(repo: Path, remote: Path, monkeypatch: pytest.MonkeyPatch, hook_type: str) -> Path:
    """A second clone of the remote, the cwd from now on, with only the ``hook_type`` hook installed."""
    cli("hook", "uninstall")
    mate = repo.parent / "mate"
    git(repo.parent, "clone", "-q", "-b", "main", str(remote), str(mate))
    monkeypatch.chdir(mate)
    assert cli("hook", "install", "--type", hook_type)[0] == 0
    return mate


@e2e
def test_pull_and_push_file_what_they_bring(repo: Path, remote: Path, tracker: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """post-merge in a teammate's clone files the pulled notes; pre-push files the pushed ones; once each."""
    mate = _teammate(repo, remote, monkeypatch, "post-merge")
    write(repo, "minutes/pulled.md", "# M\n\n- [ ] Review the pulled minutes\n")
    commit(repo)
    git(repo, "push", "-q", "origin", "main")
    pulled = run_git(mate, "pull", "-q", "--no-rebase", "origin", "main")
    assert pulled.returncode == 0
    assert titles(tracker) == ["Review the pulled minutes"]
    assert cli("hook", "install", "--type", "pre-push")[0] == 0
    write(mate, "minutes/pushed.md", "# M\n\n- [ ] Announce the pushed minutes\n")
    commit(mate, no_verify=True)
    assert run_git(mate, "push", "-q", "origin", "main").returncode == 0
    monkeypatch.chdir(repo)
    assert cli("hook", "install", "--type", "post-merge")[0] == 0
    assert run_git(repo, "pull", "-q", "--no-rebase", "origin", "main").returncode == 0
    assert sorted(titles(tracker)) == ["Announce the pushed minutes", "Review the pulled minutes"]


@e2e
def test_pull_rebase_files_what_it_brings_amend_does_not_run_it(
    repo: Path, remote: Path, tracker: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """post-rewrite: `git pull --rebase` over a local commit files the pulled notes; `commit --amend` leaves it to post-commit."""
    mate = _teammate(repo, remote, monkeypatch, "post-rewrite")
    write(mate, "README.txt", "local work\n")
    commit(mate)
    write(repo, "minutes/rebased.md", "# M\n\n- [ ] Review the rebased-in minutes\n")
    commit(repo)
    git(repo, "push", "-q", "origin", "main")
    pulled = run_git(mate, "pull", "-q", "--rebase", "origin", "main")
    assert pulled.returncode == 0, pulled.stderr
    assert titles(tracker) == ["Review the rebased-in minutes"]
    write(mate, "minutes/amended.md", "# M\n\n- [ ] Only post-commit files this\n")
    git(mate, "add", "-A")
    amended = run_git(mate, "commit", "-q", "--amend", "-m", "amended")
    assert amended.returncode == 0, amended.stderr
    assert titles(tracker) == ["Review the rebased-in minutes"]  # no post-commit hook here; post-rewrite skips amend
