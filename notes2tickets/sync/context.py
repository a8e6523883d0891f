"""What one sync works on, shared by the dry run (``commands``) and the real run (``filerun``)."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path, PurePath
from typing import Callable, NamedTuple, Optional, Sequence

from notes2tickets.config import Settings
from notes2tickets.extract import ParseResult, parse_paths
from notes2tickets.model import ActionItem
from notes2tickets.state.store import StateStore
from notes2tickets.sync.output import Output
from notes2tickets.sync.plan import Known

NO_TOKEN = "set $PAGURE_API_TOKEN (a token of the project with the issue_create ACL)"


class Run(NamedTuple):
    """What one invocation works on."""

    settings: Settings
    url: str
    project: str
    state_path: Path


def parse_reported(
    files: Sequence[str], settings: Settings, output: Output, *, include_suggested: bool = False,
    list_suggestions: bool = True,
) -> ParseResult:
    """The items (and suggestions) of ``files``, each named by its ``display_path``; warnings and errors reported."""
    result = parse_paths(
        files, options=settings.extract, include_suggested=include_suggested, list_suggestions=list_suggestions
    )
    for warning in result.warnings:
        output.warn(warning)
    output.empty_files(result.empty)
    for error in result.errors:
        output.error(str(error))
    root = settings.root.resolve()
    shown = {path: display_path(path, root) for path in {i.path for i in (*result.items, *result.suggestions)}}
    return result._replace(
        items=[dataclasses.replace(i, path=shown[i.path]) for i in result.items],
        suggestions=tuple(dataclasses.replace(i, path=shown[i.path]) for i in result.suggestions),
    )


def display_path(path: str, root: Path) -> str:
    """How tickets, previews and state name a notes file: relative to the repository root (``root``);
    outside it, the path as given if relative, else the file name. Never an absolute local path."""
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        return PurePath(path).as_posix() if not os.path.isabs(path) else PurePath(path).name


def known_rows(store: StateStore, url: str, project: Optional[str]) -> dict[str, Known]:
    if not project:
        return {}
    return {r.fingerprint: Known(r.status, r.issue_id, r.issue_url) for r in store.rows(url, project)}


def relative_source(settings: Settings) -> Callable[[ActionItem], str]:
    """The item's path for state and links; items from ``parse_reported`` already carry it."""
    root = settings.root.resolve()

    def source(item: ActionItem) -> str:
        return display_path(item.path, root) if os.path.isabs(item.path) else item.path

    return source


def pending_sources(store: StateStore, run: Run) -> list[str]:
    """Files of rows still pending or failed, for the hook to retry them."""
    files = {
        str(run.settings.root / r.path) if not os.path.isabs(r.path) else r.path
        for r in store.rows(run.url, run.project)
        if r.status in ("pending", "failed") and r.path
    }
    return sorted(f for f in files if os.path.isfile(f))
