"""``notes2tickets check``: is everything needed to file in place? GETs only, plus the preflight.

Each check is a function in ``CHECKS`` that reads a ``Probe`` (what earlier checks
learnt) and returns lines; a check that cannot run because an earlier one failed
says so. Adding a check (an ACL, a field) is one more function in the list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, NamedTuple, Optional, Sequence, TextIO

from notes2tickets.config import Settings
from notes2tickets.errors import EXIT_OK, EXIT_USAGE, ConfigError, TrackerError
from notes2tickets.model import ActionItem
from notes2tickets.sync.context import NO_TOKEN, relative_source
from notes2tickets.sync.table import paint
from notes2tickets.tracker import ProjectInfo, Tracker


CHECK_RETRIES = 1  # a check says what is wrong now: one retry for a blip, not the ~8 s of backoff a sync waits


class Line(NamedTuple):
    """One result: ``ok`` True (ok), False (problem) or None (not checked: an earlier problem hides it)."""

    ok: Optional[bool]
    name: str
    message: str
    fix: str = ""


@dataclass
class Probe:
    settings: Settings
    paths: Sequence[str]
    items: list[ActionItem] = field(default_factory=list)
    client: Optional[Tracker] = None
    info: Optional[ProjectInfo] = None
    token_ok: bool = False
    failed: set[str] = field(default_factory=set)

    def source(self, item: ActionItem) -> str:
        return f"{relative_source(self.settings)(item)}:{item.line}"


def _notes(probe: Probe) -> list[Line]:
    from notes2tickets.sync.commands import notes_files
    from notes2tickets.extract import parse_paths

    try:
        files = notes_files(probe.settings, probe.paths, None)
    except ConfigError as exc:
        return [Line(False, "notes", str(exc), "pass PATHs or set 'notes' in the config file")]
    result = parse_paths(files, options=probe.settings.extract)
    probe.items = result.items
    lines = [Line(False, "notes", str(e), "fix the file") for e in result.errors]
    return lines + [Line(True, "notes", f"{len(files)} file(s), {len(result.items)} action item(s)")]


def _project(probe: Probe) -> list[Line]:
    if not probe.settings.project:
        return [Line(False, "project", "no Pagure project set", "pass --project NS/REPO, set $PAGURE_PROJECT or 'project' in the config file")]
    from notes2tickets.tracker import connect

    probe.client = connect(probe.settings, retries=CHECK_RETRIES)
    return [Line(True, "project", probe.settings.project)]


def _reachable(probe: Probe) -> list[Line]:
    """One GET of the project: the URL answers, and it is Pagure with this project."""
    if probe.client is None:
        return [Line(None, "url", "not checked: no project")]
    url = probe.settings.url
    try:
        probe.info = probe.client.project_info()
    except TrackerError as exc:
        if exc.status is None:
            return [Line(False, "url", f"{url} cannot be reached: {exc}", "check PAGURE_URL / --url and the network")]
        if exc.code == "EINVALIDTOK":
            return [Line(True, "url", f"{url} answers")]  # the token check below names this problem
        return [Line(True, "url", f"{url} answers"), Line(False, "project", str(exc), "check --project / $PAGURE_PROJECT")]
    return [Line(True, "url", f"{url} answers and has the project {probe.settings.project}")]


def _token(probe: Probe) -> list[Line]:
    """The preflight: an empty issue form that Pagure refuses without creating anything."""
    if probe.client is None or "url" in probe.failed or "project" in probe.failed:
        return [Line(None, "token", "not checked: the project cannot be read")]
    if not probe.settings.token:
        return [Line(False, "token", "no API token", NO_TOKEN)]
    try:
        probe.client.preflight()
    except TrackerError as exc:
        if exc.code in ("ETRACKERDISABLED", "ETRACKERREADONLY"):
            probe.token_ok = True
            return [Line(True, "token", "valid for the project"), Line(False, "tracker", str(exc), "enable the issue tracker in the project settings")]
        fix = f"create a project API key with the issue_create ACL in {probe.settings.url}/{probe.settings.project}/settings"
        return [Line(False, "token", str(exc), fix)]
    probe.token_ok = True
    return [Line(True, "token", "valid for the project, with issue_create"), Line(True, "tracker", "the issue tracker is on")]


def _owners(probe: Probe) -> list[Line]:
    from notes2tickets.sync.owners import alias_line, alias_table, owners, unknown_owners

    if probe.client is None or probe.info is None:
        return [Line(None, "owners", "not checked: the project cannot be read")]
    named = owners(probe.items, relative_source(probe.settings))
    if not named:
        return [Line(True, "owners", "the notes name no owner")]
    unknown = unknown_owners(probe.items, probe.client, relative_source(probe.settings))
    lines = [
        Line(False, "owners", f"{u.name!r} at {u.where} is not a tracker user" + (f"; closest: {u.closest}" if u.closest else ""),
             f"add {alias_line(u)} under {alias_table(probe.settings)}")
        for u in unknown
    ]
    return lines or [Line(True, "owners", f"all {len(named)} owner(s) are tracker users")]


def _fields(probe: Probe) -> list[Line]:
    if probe.info is None:
        return [Line(None, "priorities", "not checked: the project cannot be read")]
    info = probe.info
    lines = []
    for item in probe.items:
        if item.priority and not item.priority.strip().isdigit() and info.priority_key(item.priority) is None:
            known = ", ".join(v for v in info.priorities.values() if v) or "none defined"
            lines.append(Line(False, "priorities", f"{item.priority!r} at {probe.source(item)} is not a priority of the project",
                              f"use one of: {known}; or add it in the project settings"))
        if item.milestone and item.milestone not in info.milestones:
            known = ", ".join(info.milestones) or "none defined"
            lines.append(Line(False, "milestones", f"{item.milestone!r} at {probe.source(item)} is not a milestone of the project",
                              f"use one of: {known}; or add it in the project settings"))
    return lines or [Line(True, "fields", "every priority and milestone the notes use exists")]


def _acls(probe: Probe) -> list[Line]:
    """close_done's ACLs (issue_change_status, issue_comment), asked of Pagure without changing anything."""
    from notes2tickets.sync.closing import ACLS, acl_checks

    if probe.client is None or not probe.token_ok:
        return [Line(None, "acls", "not checked: no valid token")]
    try:
        missing = acl_checks(probe.client)
    except TrackerError as exc:
        return [Line(False, "acls", str(exc), "check the token and the tracker")]
    if not missing:
        return [Line(True, "acls", f"the token has {' and '.join(ACLS)} (for close_done)")]
    lacking = " and ".join(missing)
    if not probe.settings.close_done:
        return [Line(True, "acls", f"the token lacks {lacking}, needed only with close_done = true")]
    fix = f"create a project API key with {lacking} in {probe.settings.url}/{probe.settings.project}/settings, or set close_done = false"
    return [Line(False, "acls", f"close_done is on but the token lacks {lacking}", fix)]


CHECKS: list[Callable[[Probe], list[Line]]] = [_notes, _project, _reachable, _token, _acls, _owners, _fields]


def probe_all(settings: Settings, paths: Sequence[str], checks: Sequence[Callable[[Probe], list[Line]]] = CHECKS) -> list[Line]:
    probe = Probe(settings, paths)
    lines: list[Line] = []
    for check in checks:
        found = check(probe)
        probe.failed |= {line.name for line in found if line.ok is False}
        lines += found
    return lines


def format_line(line: Line, *, colour: bool) -> str:
    word, tint = {True: ("ok", "green"), False: ("problem", "red"), None: ("skipped", "dim")}[line.ok]
    told = line.fix in line.message  # a config or network error that already says how to fix it: not twice
    fix = f"; fix: {line.fix}" if line.fix and line.ok is False and not told else ""
    return f"{paint(word.ljust(7), tint, colour)}  {line.name:<10}  {line.message}{fix}\n"


def run_checks(*, settings: Settings, paths: Sequence[str], out: TextIO, colour: bool) -> int:
    """Print one line per check; exit 0 when everything needed to file holds, 2 otherwise."""
    lines = probe_all(settings, paths)
    out.writelines(format_line(line, colour=colour) for line in lines)
    problems = sum(1 for line in lines if line.ok is False)
    unchecked = sum(1 for line in lines if line.ok is None)
    if not problems and not unchecked:
        out.write("everything needed to file is in place\n")
        return EXIT_OK
    out.write(f"{problems} problem(s), {unchecked} check(s) not run: fix the problems and run 'notes2tickets check' again\n")
    return EXIT_USAGE
