"""How a sync looks to people (a table that fits the terminal) and to scripts (one JSON shape, dry run or not)."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, Callable, Mapping, NamedTuple, Optional, Sequence

from notes2tickets.model import ActionItem
from notes2tickets.sync.plan import ADOPT, CLOSE, NEW, Decision, Plan
from notes2tickets.sync.table import Column, render, shorten

JSON_VERSION = 1
# Skips a person has to look at: the real run names each one, with the way to override it.
NEEDS_A_PERSON = ("similar", "ambiguous")
_DECISION_COLOUR = {"new": "green", "filed": "green", "adopted": "cyan", "failed": "red", "skipped": "dim",
                    "close": "cyan", "closed": "cyan"}


class Entry(NamedTuple):
    """One item and what the sync decided (a dry run) or did (a real run) with it."""

    item: ActionItem
    decision: str  # new | filed | adopted | failed | skipped | close | closed
    reason: str
    detail: str
    issue_id: Optional[int]
    issue_url: Optional[str]


def entries(plan: Plan, outcomes: Sequence[Any] = ()) -> list[Entry]:
    """Every item of ``plan`` in order; in a real run the items filed or adopted carry their ``filing.Outcome``."""
    done = {id(o.item): o for o in outcomes}
    result = []
    for d in plan.decisions:
        outcome = done.get(id(d.item))
        if outcome is not None:
            detail = outcome.message or d.detail
            result.append(Entry(d.item, outcome.status, d.reason, detail, outcome.issue_id, outcome.issue_url))
        else:
            result.append(_planned(d))
    return result


def _planned(d: Decision) -> Entry:
    if d.action == NEW:
        return Entry(d.item, "new", d.reason, d.detail, None, None)
    if d.action == ADOPT:
        return Entry(d.item, "adopted", d.reason, d.detail, d.issue_id, d.issue_url)
    if d.action == CLOSE:
        return Entry(d.item, CLOSE, d.reason, d.detail, d.issue_id, d.issue_url)
    return Entry(d.item, "skipped", d.reason, d.detail, d.issue_id, d.issue_url)


def summary(rows: Sequence[Entry], plan: Plan, *, dry_run: bool) -> dict[str, Any]:
    """Counts by decision; ``new`` is what the plan found new (a real run files those: filed + failed)."""
    counts = Counter(e.decision for e in rows)
    reasons = Counter(e.reason for e in rows if e.decision == "skipped")
    data: dict[str, Any] = {key: counts[key] for key in ("new", "filed", "adopted", "skipped", "failed")}
    if counts[CLOSE] or counts["closed"]:  # only with close_done, so other runs keep their shape
        data.update(close=counts[CLOSE], closed=counts["closed"])
    data["new"] = len(plan.to_file())
    data["skipped_by_reason"] = dict(sorted(reasons.items()))
    data["dry_run"] = dry_run
    data["remote_checked"] = plan.remote_checked
    return data


def summary_text(data: dict[str, Any]) -> str:
    """``4 new, 2 skipped (1 done, 1 tracked)`` (dry run) or ``4 filed, 0 adopted, 0 failed; skipped: 1 done, …``."""
    reasons = ", ".join(f"{n} {reason}" for reason, n in data["skipped_by_reason"].items())
    if data["dry_run"]:
        adopt = f", {data['adopted']} to adopt" if data["adopted"] else ""
        adopt += f", {data['close']} to close" if data.get("close") else ""
        text = f"{data['new']} new{adopt}, {data['skipped']} skipped"
        return f"{text} ({reasons})" if reasons else text
    text = f"{data['filed']} filed, {data['adopted']} adopted, {data['failed']} failed"
    text += f", {data['closed']} closed" if data.get("closed") else ""
    return f"{text}; skipped: {reasons}" if reasons else text


def to_json(rows: Sequence[Entry], plan: Plan, *, source: Callable[[ActionItem], str], dry_run: bool,
            warnings: Sequence[str], suggestions: Optional[Sequence[ActionItem]] = None) -> str:
    """The one JSON shape of ``sync --format json`` (README: "JSON output").

    A dry run adds ``suggestions``: the unmarked commitments not filed, with the fields of ``parse``'s items.
    """
    data: dict[str, Any] = {
        "version": JSON_VERSION,
        "summary": summary(rows, plan, dry_run=dry_run),
        "items": [_item_json(e, source) for e in rows],
        "warnings": list(warnings),
    }
    if suggestions is not None:
        data["suggestions"] = [item.to_json() for item in suggestions]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _item_json(e: Entry, source: Callable[[ActionItem], str]) -> dict[str, Any]:
    issue = {"id": e.issue_id, "url": e.issue_url} if e.issue_id is not None else None
    return {
        "title": e.item.title,
        "path": source(e.item),
        "line": e.item.line,
        "fingerprint": e.item.fingerprint,
        "decision": e.decision,
        "reason": e.reason,
        "detail": e.detail,
        "issue": issue,
        "owners": list(e.item.assignees),
        "tags": list(e.item.tags),
    }


def table_text(rows: Sequence[Entry], *, source: Callable[[ActionItem], str], total: Optional[int], colour: bool,
               tags: bool = False) -> str:
    """One line an item (a long reason wraps inside its column), fitted to ``total`` columns."""
    if not rows:
        return "no action items\n"
    columns = [Column("DECISION"), Column("WHERE", "cut-left", 3), Column("OWNER", "cut", 2)]
    columns += [Column("TAGS", "cut", 2)] if tags else []
    columns += [Column("TITLE", "cut", 8), Column("REASON", "wrap", 4)]
    cells, tints = [], []
    for e in rows:
        where = f"{source(e.item)}:{e.item.line}"
        extra = [",".join(e.item.tags) or "-"] if tags else []
        reason = "-" if e.detail == "new" else e.detail
        cells.append([e.decision, where, ", ".join(e.item.assignees) or "-", *extra, e.item.title, reason])
        tint = _DECISION_COLOUR.get(e.decision)
        if e.decision == "skipped" and e.reason in NEEDS_A_PERSON:
            tint = "yellow"
        tints.append([tint] + [None] * (len(columns) - 2) + [tint if tint != "dim" else None])
    return render(columns, cells, total=total, colours=tints, colour=colour)


def needs_a_person(rows: Sequence[Entry], *, source: Callable[[ActionItem], str], total: Optional[int]) -> str:
    """The skips a person must look at, each with the ticket it looks like and how to file it anyway."""
    lines = []
    for e in rows:
        if e.decision != "skipped" or e.reason not in NEEDS_A_PERSON:
            continue
        title = shorten(e.item.title, max(20, (total or 100) // 2))
        where = f"{source(e.item)}:{e.item.line}"
        if e.issue_id is not None:
            lines.append(f"not filed: \"{title}\" at {where} looks like #{e.issue_id} {e.issue_url or ''}".rstrip())
        else:
            lines.append(f"not filed: \"{title}\" at {where}: {e.detail}")
        lines.append(f"  file it anyway: notes2tickets sync --force {source(e.item)}")
    return "".join(line + "\n" for line in lines)


def rows_text(rows: Sequence[Any], *, total: Optional[int] = None, colour: bool = False) -> str:
    if not rows:
        return "no state rows\n"
    columns = [Column("STATUS"), Column("ISSUE"), Column("WHERE", "cut"), Column("FINGERPRINT"), Column("TITLE", "cut")]
    body = [
        [r.status, f"#{r.issue_id}" if r.issue_id else "-", f"{r.path}:{r.line}" if r.path else "-", r.fingerprint, r.title]
        for r in rows
    ]
    return render(columns, body, total=total, colour=colour)


def rows_json(rows: Sequence[Any], *, background: Optional[Mapping[str, Any]] = None) -> str:
    """``status --format json``: the rows, then what the git hook left to the background (when given)."""
    keys = ("url", "project", "fingerprint", "status", "issue_id", "issue_url", "title", "path", "line", "created", "updated", "error")
    document: dict[str, Any] = {"rows": [{k: getattr(r, k) for k in keys} for r in rows]}
    if background is not None:
        document["background"] = dict(background)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
