"""Command line: parse arguments, build Settings, call the core, print.

Exit codes: 0 ok; 1 some files or items failed (retried next run); 2 usage,
config, auth or state error; 3 internal error (a bug: please report it);
130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import sys
from pathlib import Path
from typing import Any, NamedTuple, Optional, Sequence, TextIO

from notes2tickets import __version__
from notes2tickets.errors import (
    EXIT_BUG,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    INTERRUPTED_LINE,
    Notes2TicketsError,
)
from notes2tickets.redact import one_line

EXIT_CODES_HELP = """\
exit codes:
  0    everything done
  1    some files or items failed (they are retried on the next run)
  2    usage, configuration, authentication or state error (nothing was filed)
  3    internal error (a bug: please report it)
  130  interrupted (Ctrl-C); the item in flight is reconciled on the next run
"""

ENV_HELP = """\
environment:
  PAGURE_URL           tracker URL (default https://pagure.io)
  PAGURE_PROJECT       project: repo, ns/repo, fork/user/repo or fork/user/ns/repo
  PAGURE_API_TOKEN     API token with the issue_create ACL (never printed)
  NOTES2TICKETS_STATE  state database path
  NOTES2TICKETS_HOOK   in git hooks: "off" skips the hook, "dry-run" only previews
A .env file at the repository root is read too; the real environment wins.
"""


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)  # --dry must not quietly mean --dry-run
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> Any:  # argparse's default exit code is 2 too, but keep one line
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _examples(*lines: str) -> str:
    return "example:\n" + "".join(f"  {line}\n" for line in lines)


HINT = "try 'notes2tickets sync --dry-run' to preview, or 'notes2tickets --help' for every command"


def _build_parser() -> argparse.ArgumentParser:
    common = _common_options()
    parser = _Parser(
        prog="notes2tickets",
        description="File the action items of Markdown meeting notes as Pagure tickets, never twice.",
        epilog=EXIT_CODES_HELP + "\n" + ENV_HELP,
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"notes2tickets {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, help: str, description: str, example: str, parent: Any = sub, **kw: Any) -> Any:
        epilog = _examples(example) + (f"\n{kw.pop('extra')}" if "extra" in kw else "")
        return parent.add_parser(name, help=help, description=description, epilog=epilog, parents=[common], **kw)

    parse = command(
        "parse", "list the action items found in notes (no token, no network)",
        "Show the action items notes2tickets finds in notes files, with owner, tags, due date and fingerprint.",
        "notes2tickets parse meetups/2024-05-08-meetup.md",
    )
    parse.add_argument("paths", nargs="+", metavar="PATH", help="notes files or folders (*.md, *.markdown, meetbot *.txt)")
    _add_include_suggested(parse)
    _add_format(parse)

    sync = command(
        "sync", "file one ticket per new action item",
        "File one ticket per new action item of the notes; items filed before, done, or already tracked are skipped.",
        "notes2tickets sync --dry-run", extra=EXIT_CODES_HELP,
    )
    sync.add_argument("paths", nargs="*", metavar="PATH", help="notes files or folders (default: the configured notes paths)")
    sync.add_argument("--dry-run", action="store_true", help="show the plan; write nothing anywhere")
    sync.add_argument("--offline", action="store_true", help="make no network request at all (state-only dedup; implies --dry-run)")
    sync.add_argument("--include-done", action="store_true", help="file done ([x]) items too")
    sync.add_argument("--force", action="store_true", help="file items that look like an open remote issue")
    sync.add_argument("--changed-since", metavar="REV", help="only notes files changed since REV (for CI jobs)")
    _add_include_suggested(sync)
    _add_tracker(sync)
    _add_format(sync)

    check = command(
        "check", "check the setup before the first real run (exit 0 when filing can work)",
        "Check, with GETs only, that the tracker answers, the token may create issues on the project, its tracker is "
        "on, and every owner, priority and milestone the notes name exists there. Exit 0 when all holds, 2 otherwise.",
        "notes2tickets check --project centos-sig-hyperscale/sig",
    )
    check.add_argument("paths", nargs="*", metavar="PATH", help="notes files or folders (default: the configured notes paths)")
    _add_tracker(check)

    status = command(
        "status", "list what the state database knows",
        "List the items the state database knows for the project: filed, pending or failed, with their tickets.",
        "notes2tickets status --format json",
    )
    _add_tracker(status)
    _add_format(status)

    state = command("state", "manage the state database", "Manage the state database.", "notes2tickets state rebuild")
    state_sub = state.add_subparsers(dest="state_command", metavar="ACTION", parser_class=_Parser)
    state_sub.required = True
    rebuild = command(
        "rebuild", "rebuild state from the markers of the tracker's issues",
        "Replace this project's state rows with what the notes2tickets markers of the tracker's issues say.",
        "notes2tickets state rebuild --project centos-sig-hyperscale/sig", parent=state_sub,
    )
    _add_tracker(rebuild)

    annotate = command(
        "annotate", "write each filed item's ticket number into the notes",
        "Write each filed item's ticket reference, (#45), right after its text; every other byte stays as it was.",
        "notes2tickets annotate meetups/2024-05-08-meetup.md --dry-run",
    )
    annotate.add_argument("paths", nargs="+", metavar="PATH", help="notes files")
    annotate.add_argument("--dry-run", action="store_true", help="print the diff; write nothing")
    _add_tracker(annotate)

    agenda = command(
        "agenda", "print last meeting's action items with their ticket status (GETs only)",
        "Print an 'Action items from last meeting' block to paste into the next notes: open tickets, then the ones "
        "closed since; pasted, its items are tracked and never filed twice.",
        "notes2tickets agenda --since 2024-05-01",
    )
    agenda.add_argument("paths", nargs="*", metavar="PATH", help="notes files or folders (default: the configured notes paths)")
    agenda.add_argument("--since", metavar="DATE", help="meetings since DATE (YYYY-MM-DD; default: the latest meeting)")
    agenda.add_argument("--format", choices=("markdown", "json"), default="markdown", help="output format (default markdown)")
    _add_tracker(agenda)

    hook = command("hook", "install or remove the git hooks", "Install or remove the git hooks that sync on commit, merge or push.",
                   "notes2tickets hook install --type post-commit")
    hook_sub = hook.add_subparsers(dest="hook_command", metavar="ACTION", parser_class=_Parser)
    hook_sub.required = True
    install = command(
        "install", "install a git hook that files new action items",
        "Install a git hook that files the new action items of the notes files each git operation changes.",
        "notes2tickets hook install --type pre-push", parent=hook_sub,
    )
    _add_hook_type(install)
    install.add_argument("--dry-run", action="store_true", help="install a hook that only previews")
    install.add_argument("--force", action="store_true", help="replace a foreign hook instead of chaining it")
    uninstall = command(
        "uninstall", "remove our hook, restoring a chained foreign one",
        "Remove the notes2tickets hook, restoring the hook it chained, if any.",
        "notes2tickets hook uninstall --type post-commit", parent=hook_sub,
    )
    _add_hook_type(uninstall)
    # Internal: what the installed script calls. No help= keeps it out of the command list.
    run = hook_sub.add_parser("run", description="What an installed hook script calls (internal).", parents=[common])
    _add_hook_type(run, required=True)
    run.add_argument("--dry-run", action="store_true", help="only preview")
    return parser


def _add_include_suggested(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--include-suggested",
        action="store_true",
        help="treat unmarked commitments (\"X will ...\", \"I'll ...\") as action items (\"suggested\": true)",
    )


def _common_options() -> argparse.ArgumentParser:
    """-q/-v/--color, accepted before or after the command (SUPPRESS: a subcommand does not reset them)."""
    common = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    common.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="print only results and errors")
    common.add_argument("-v", "--verbose", action="count", default=argparse.SUPPRESS, help="say more: every file without items, the full table")
    common.add_argument(
        "--color", choices=("auto", "always", "never"), default=argparse.SUPPRESS,
        help="colour the table: auto (default) on a terminal, never with NO_COLOR or TERM=dumb",
    )
    return common


def _add_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")


def _add_tracker(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--project", metavar="NS/REPO", help="Pagure project (or set $PAGURE_PROJECT)")
    parser.add_argument("--url", metavar="URL", help="Pagure URL, default https://pagure.io (or set $PAGURE_URL)")
    parser.add_argument("--state", metavar="FILE", help="state database (or set $NOTES2TICKETS_STATE)")


def _add_hook_type(parser: argparse.ArgumentParser, *, required: bool = False) -> None:
    from notes2tickets.git.changes import HOOK_TYPES  # imports subprocess: only once main() runs

    parser.add_argument(
        "--type",
        dest="hook_type",
        choices=HOOK_TYPES,
        default=None if required else "post-commit",
        required=required,
        help="hook type (default post-commit)" if not required else "hook type",
    )


def main(argv: Optional[Sequence[str]] = None, *, stdout: Optional[TextIO] = None, stderr: Optional[TextIO] = None) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    secret: Optional[str] = os.environ.get("PAGURE_API_TOKEN")
    unraisable_hook = sys.unraisablehook
    try:  # building the parser is inside: a Ctrl-C that early is still one line, exit 130
        parser = _build_parser()
        args = parser.parse_args(argv)
        if args.command is None:
            err.write(parser.format_usage() + f"notes2tickets: error: no command given; {HINT}\n")
            return EXIT_USAGE
        return _dispatch(args, out=out, err=err)
    except Notes2TicketsError as exc:
        err.write(f"error: {one_line(str(exc), secret)}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        _say_interrupted(err)
    except Exception as exc:  # noqa: BLE001 - the last line of defence: one line, never a traceback
        if not _from_interrupt(exc):
            detail = one_line(f"{exc.__class__.__name__}: {exc}", secret)
            err.write(f"internal error: {detail} (this is a bug in notes2tickets {__version__}: please report it)\n")
            return EXIT_BUG
        _say_interrupted(err)
    try:  # interrupted: the frames are freed now; collect what they left in cycles, quietly
        gc.collect()
    finally:
        sys.unraisablehook = unraisable_hook
    return EXIT_INTERRUPTED


def _say_interrupted(err: TextIO) -> None:
    # A Ctrl-C inside http.client can leave a half-built HTTPResponse whose __del__
    # fails ("no attribute 'fp'"); Python would print that with a traceback when the
    # interrupted frames are freed, at the end of the except block or later by the
    # collector: main() restores the hook after collecting.
    sys.unraisablehook = _ignore_unraisable
    err.write(INTERRUPTED_LINE)


def _from_interrupt(exc: BaseException) -> bool:
    """A Ctrl-C that Python wrapped on its way up: Python 3.9-3.11 turn one raised while a class
    is being built (a lazy import) into RuntimeError("Error calling __set_name__ ...")."""
    seen: set[int] = set()
    cause: Optional[BaseException] = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False


def _ignore_unraisable(_unraisable: Any) -> None:
    return None


def _settings(args: argparse.Namespace, start: Optional[Path] = None, err: Optional[TextIO] = None) -> Any:
    from notes2tickets.config import build_settings
    from notes2tickets.git.command import find_root

    flags = {k: getattr(args, k, None) for k in ("url", "project", "state")}
    root = find_root(start or Path.cwd())
    settings = build_settings(flags=flags, environ=os.environ, root=root)
    if err is not None and not getattr(args, "quiet", False):
        for warning in settings.warnings:
            err.write(f"warning: {warning}\n")
    return settings


class _Looks(NamedTuple):
    """How loud and how wide: from -q/-v, --color, the terminal and the environment."""

    verbosity: int
    colour: bool
    columns: Optional[int]


def _looks(args: argparse.Namespace, out: TextIO) -> _Looks:
    from notes2tickets.sync.table import use_colour

    verbosity = -1 if getattr(args, "quiet", False) else getattr(args, "verbose", 0)
    return _Looks(verbosity, use_colour(getattr(args, "color", "auto"), out, os.environ), _columns(out))


def _columns(out: TextIO) -> Optional[int]:
    """The terminal's width (COLUMNS wins); through a pipe only COLUMNS, else no limit."""
    env = os.environ.get("COLUMNS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    isatty = getattr(out, "isatty", None)
    if isatty is not None and isatty():
        return shutil.get_terminal_size().columns
    return None


def _dispatch(args: argparse.Namespace, *, out: TextIO, err: TextIO) -> int:
    if args.command == "parse":
        return _parse(args, out=out, err=err)
    if args.command == "sync":
        return _sync(args, out=out, err=err)
    if args.command == "check":
        from notes2tickets.sync.check import run_checks

        settings = _settings(args, Path(args.paths[0]) if args.paths else None, err)
        return run_checks(settings=settings, paths=args.paths, out=out, colour=_looks(args, out).colour)
    if args.command == "status":
        from notes2tickets.sync import commands as sync

        looks = _looks(args, out)
        return sync.show_status(settings=_settings(args, err=err), fmt=args.format, out=out, columns=looks.columns, colour=looks.colour)
    if args.command == "state":
        from notes2tickets.sync import commands as sync

        return sync.rebuild_state(settings=_settings(args, err=err), out=out, err=err)
    if args.command in ("annotate", "agenda"):
        return _between(args, out=out, err=err)
    return _hook(args, out=out, err=err)


def _between(args: argparse.Namespace, *, out: TextIO, err: TextIO) -> int:
    from notes2tickets.sync import between

    settings = _settings(args, Path(args.paths[0]) if args.paths else None, err)
    if args.command == "annotate":
        return between.annotate_paths(settings=settings, paths=args.paths, dry_run=args.dry_run, out=out, err=err)
    return between.agenda(settings=settings, paths=args.paths, since=args.since, fmt=args.format, out=out, err=err)


def _parse(args: argparse.Namespace, *, out: TextIO, err: TextIO) -> int:
    from notes2tickets.extract import parse_paths
    from notes2tickets.extract.report import format_json, format_text

    from notes2tickets.sync.output import Output

    settings = _settings(args, Path(args.paths[0]), err)
    result = parse_paths(args.paths, options=settings.extract, include_suggested=args.include_suggested)
    output = Output(out, err, verbosity=_looks(args, out).verbosity)
    for warning in result.warnings:
        output.warn(warning)
    output.empty_files(result.empty)
    for error in result.errors:
        output.error(str(error))
    formatter = format_json if args.format == "json" else format_text
    out.write(formatter(result.items, result.suggestions))
    return EXIT_FAILED if result.errors else EXIT_OK


def _sync(args: argparse.Namespace, *, out: TextIO, err: TextIO) -> int:
    from notes2tickets.sync import commands as sync

    settings = _settings(args, Path(args.paths[0]) if args.paths else None, err)
    looks = _looks(args, out)
    return sync.run(
        settings=settings,
        paths=args.paths,
        changed_since=args.changed_since,
        dry_run=args.dry_run,
        offline=args.offline,
        include_done=args.include_done,
        include_suggested=args.include_suggested,
        force=args.force,
        fmt=args.format,
        out=out,
        err=err,
        verbosity=looks.verbosity,
        colour=looks.colour,
        columns=looks.columns,
    )


def _hook(args: argparse.Namespace, *, out: TextIO, err: TextIO) -> int:
    from notes2tickets.hooks import commands as hooks

    settings = _settings(args, err=err)
    if args.hook_command == "install":
        out.write(hooks.install(settings=settings, hook_type=args.hook_type, dry_run=args.dry_run, force=args.force) + "\n")
        return EXIT_OK
    if args.hook_command == "uninstall":
        out.write(hooks.uninstall(settings=settings, hook_type=args.hook_type) + "\n")
        return EXIT_OK
    return hooks.run(
        settings=settings,
        hook_type=args.hook_type,
        dry_run=args.dry_run,
        mode=os.environ.get("NOTES2TICKETS_HOOK", ""),
        stdin=sys.stdin.buffer,
        out=out,
        err=err,
    )
