"""Install, remove and run the git hooks that file new action items.

A hook never gets in the way: post-commit, post-merge and post-rewrite always exit 0, and
pre-push blocks only when the config says ``strict_push = true``. The script
itself (``hookscript``) keeps commits that touch no notes file free of Python.
"""

from __future__ import annotations

import os
import sys
from functools import partial
from pathlib import Path
from typing import BinaryIO, Optional, Sequence, TextIO

from notes2tickets.config import Settings
from notes2tickets.errors import EXIT_BUG, EXIT_FAILED, ConfigError, Notes2TicketsError, UsageError
from notes2tickets.git import changes, command, hookscript
from notes2tickets.git.changes import HOOK_TYPES
from notes2tickets.hooks import background
from notes2tickets.redact import one_line
from notes2tickets.state import lock, queue

MODES = ("", "off", "dry-run")


def hook_path(settings: Settings, hook_type: str) -> Path:
    """Where git looks for ``hook_type``: asks git, so core.hooksPath and worktrees are respected."""
    if hook_type not in HOOK_TYPES:
        raise UsageError(f"unknown hook type {hook_type!r}: use one of {', '.join(HOOK_TYPES)}")
    return _hooks_dir(settings.root) / hook_type


def _hooks_dir(root: Path) -> Path:
    command.git_dir(root)  # ConfigError, one line, outside a repository
    out = command.git(root, "rev-parse", "--git-path", "hooks")
    return (root / os.fsdecode(out.rstrip(b"\n"))).resolve()


def _legacy(path: Path) -> Path:
    return path.with_name(path.name + ".legacy")


def _read(path: Path) -> Optional[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the existing hook ({exc.__class__.__name__}); fix its permissions") from None


def install(*, settings: Settings, hook_type: str, dry_run: bool, force: bool) -> str:
    """Write our hook script, chaining a foreign hook as ``<hook>.legacy`` unless ``force``."""
    path = hook_path(settings, hook_type)
    text = hookscript.render(
        hook_type=hook_type,
        python=sys.executable,
        globs=settings.notes,
        dry_run=dry_run,
        state=settings.state_path.resolve() if settings.state_path else None,
        in_git_dir=path.parent == command.git_dir(settings.root) / "hooks",
    )
    existing = _read(path)
    note = _set_aside(path, existing, force)
    if existing == text:
        return f"{hook_type} hook already installed at {path}{note}"
    _write_executable(path, text)
    verb = "updated" if existing is not None and hookscript.is_ours(existing) else "installed"
    preview = " (dry-run: it only previews)" if dry_run else ""
    return f"{verb} {hook_type} hook at {path}{preview}{note}"


def _set_aside(path: Path, existing: Optional[str], force: bool) -> str:
    """Move a foreign hook out of the way; return what the install message should add."""
    legacy = _legacy(path)
    if existing is None or hookscript.is_ours(existing):
        return f"; it runs the previous hook {legacy.name} first" if legacy.exists() else ""
    if force:
        path.unlink()
        return "; replaced the existing hook (--force)"
    if legacy.exists():
        raise ConfigError(
            f"{path} is not ours and {legacy.name} exists too: move one of them away, or pass --force to replace {path.name}"
        )
    path.rename(legacy)
    return f"; the existing hook is kept as {legacy.name} and runs first"


def _write_executable(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.notes2tickets-tmp")
    tmp.write_text(text, encoding="utf-8")
    os.chmod(tmp, 0o755)
    os.replace(tmp, path)  # atomic: git never runs a half-written hook


def uninstall(*, settings: Settings, hook_type: str) -> str:
    """Remove our hook only, and put a chained foreign hook back in its place."""
    path = hook_path(settings, hook_type)
    existing = _read(path)
    if existing is None or not hookscript.is_ours(existing):
        what = "no hook" if existing is None else "a hook that is not ours (left alone)"
        return f"nothing to uninstall: {path} holds {what}"
    path.unlink()
    legacy = _legacy(path)
    if legacy.exists():
        legacy.rename(path)
        return f"removed the notes2tickets {hook_type} hook; restored the previous hook {path}"
    return f"removed the notes2tickets {hook_type} hook from {path}"


def run(
    *,
    settings: Settings,
    hook_type: str,
    dry_run: bool,
    mode: str,
    stdin: BinaryIO,
    out: TextIO,
    err: TextIO,
) -> int:
    """What the hook script calls; never fails post-commit/post-merge/post-rewrite, never prompts."""
    if mode == "off":
        return 0
    if mode not in MODES:
        err.write(f"warning: notes2tickets: NOTES2TICKETS_HOOK={mode!r} is not 'off' or 'dry-run'; running normally\n")
    strict = hook_type == "pre-push" and settings.strict_push and not (dry_run or mode == "dry-run")
    try:
        # git passes refs on stdin to pre-push only; never wait on a terminal (a hook run by hand).
        data = stdin.read() if hook_type == "pre-push" and not stdin.isatty() else b""
        code = _sync_changed(settings, hook_type, data, dry_run or mode == "dry-run", out, err)
    except Notes2TicketsError as exc:
        err.write(f"warning: notes2tickets: {hook_type} hook: {one_line(str(exc), settings.token)}\n")
        code = exc.exit_code
    except Exception as exc:  # noqa: BLE001 - a hook must never break the git operation
        detail = one_line(f"{exc.__class__.__name__}: {exc}", settings.token)
        err.write(f"warning: notes2tickets: {hook_type} hook hit a bug ({detail}); please report it\n")
        code = EXIT_BUG
    if not strict:
        return 0
    return _strict_verdict(settings, code, err)


def _sync_changed(settings: Settings, hook_type: str, data: bytes, dry_run: bool, out: TextIO, err: TextIO) -> int:
    files = changes.changed_files(root=settings.root, hook_type=hook_type, stdin=data)
    notes = changes.select_notes(files, root=settings.root, globs=settings.notes)
    state = lock.state_path(settings)
    if not notes and not pending_flag(settings).exists() and not queue.waiting(state):
        return 0
    return _sync_run(settings, notes, dry_run, out, err)


def _sync_run(settings: Settings, notes: Sequence[Path], dry_run: bool, out: TextIO, err: TextIO) -> int:
    """A preview runs here, its reads bounded by the hook's budget; filing is handed to the background."""
    if dry_run:
        return _sync(settings, notes, dry_run=True, out=out, err=err, read_deadline=background.HOOK_WAIT)
    settings.require_project()  # a config error is said now, as before; it is not queued
    state = Path(os.path.abspath(lock.state_path(settings)))
    queue.show_report(state, err, header=True)  # an earlier worker's, not printed yet
    queue.enqueue(state, paths=[os.path.abspath(p) for p in notes])
    work = partial(background.work, state, file_now=partial(_file_now, settings), secret=settings.token)
    return background.hand_off(state, work=work, err=err)


def _file_now(settings: Settings, paths: Sequence[str], out: TextIO, err: TextIO) -> int:
    return _sync(settings, [Path(p) for p in paths], dry_run=False, out=out, err=err, read_deadline=None)


def _sync(
    settings: Settings, notes: Sequence[Path], *, dry_run: bool, out: TextIO, err: TextIO, read_deadline: Optional[float]
) -> int:
    from notes2tickets.sync import commands as sync  # imported late: the no-op path stays light

    return sync.run(
        settings=settings,
        paths=[str(p) for p in notes],
        changed_since=None,
        dry_run=dry_run,
        offline=False,
        include_done=False,
        force=False,
        fmt="text",
        out=out,
        err=err,
        hook=True,
        read_deadline=read_deadline,
    )


def pending_flag(settings: Settings) -> Path:
    """``<state path>.pending``: the sync keeps it while state has pending or failed rows."""
    return lock.pending_flag(lock.state_path(settings))


def _strict_verdict(settings: Settings, code: int, err: TextIO) -> int:
    if code == 0 and not pending_flag(settings).exists():
        return 0
    err.write(
        "error: notes2tickets: push blocked (strict_push): some action items are not filed yet; "
        "run 'notes2tickets sync', or push with --no-verify\n"
    )
    return code or EXIT_FAILED
