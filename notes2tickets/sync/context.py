"""What one sync works on, shared by the dry run (``commands``) and the real run (``filerun``)."""

from __future__ import annotations

import os
from pathlib import Path
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
    result = parse_paths(
        files, options=settings.extract, include_suggested=include_suggested, list_suggestions=list_suggestions
    )
    for warning in result.warnings:
        output.warn(warning)
    output.empty_files(result.empty)
    for error in result.errors:
        output.error(str(error))
    return result


def known_rows(store: StateStore, url: str, project: Optional[str]) -> dict[str, Known]:
    if not project:
        return {}
    return {r.fingerprint: Known(r.status, r.issue_id, r.issue_url) for r in store.rows(url, project)}


def relative_source(settings: Settings) -> Callable[[ActionItem], str]:
    root = settings.root.resolve()

    def source(item: ActionItem) -> str:
        absolute = Path(item.path).resolve()
        try:
            return absolute.relative_to(root).as_posix()
        except ValueError:
            return str(absolute)

    return source


def pending_sources(store: StateStore, run: Run) -> list[str]:
    """Files of rows still pending or failed, for the hook to retry them."""
    files = {
        str(run.settings.root / r.path) if not os.path.isabs(r.path) else r.path
        for r in store.rows(run.url, run.project)
        if r.status in ("pending", "failed") and r.path
    }
    return sorted(f for f in files if os.path.isfile(f))
