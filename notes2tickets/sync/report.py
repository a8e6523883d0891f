"""How plans, filing results and state rows look to people (text) and scripts (JSON)."""

from __future__ import annotations

import json
from typing import Any, Sequence

from notes2tickets.extract.report import suggestions_text
from notes2tickets.model import ActionItem
from notes2tickets.sync.plan import Decision, Plan

TITLE_WIDTH = 60


def _owner(decision: Decision) -> str:
    return ", ".join(decision.item.assignees) or "-"


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header) - 1)]
    lines = []
    for row in [header, *rows]:
        cells = [str(c).ljust(w) for c, w in zip(row, widths)] + [str(row[-1])]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


def plan_text(plan: Plan, *, note: str, suggestions: Sequence[ActionItem] = ()) -> str:
    """Decision, where, owner, tags, title and reason, one line an item, then the summary; then the suggestions."""
    rows = [
        (
            d.action,
            f"{d.item.path}:{d.item.line}",
            _owner(d),
            ",".join(d.item.tags) or "-",
            _short(d.item.title, TITLE_WIDTH),
            d.detail,
        )
        for d in plan.decisions
    ]
    table = _table(("DECISION", "WHERE", "OWNER", "TAGS", "TITLE", "REASON"), rows) if rows else "no action items\n"
    block = "\n" + suggestions_text(suggestions) if suggestions else ""
    return f"{table}\n{plan.summary()}\n{note}\n{block}"


def decision_json(decision: Decision) -> dict[str, Any]:
    return {
        "decision": decision.action,
        "reason": decision.reason,
        "detail": decision.detail,
        "issue_id": decision.issue_id,
        "issue_url": decision.issue_url,
        "item": decision.item.to_json(),
    }


def plan_json(
    plan: Plan, *, note: str, results: Sequence[dict[str, Any]] = (), suggestions: Sequence[ActionItem] | None = None
) -> str:
    """The plan for scripts; a dry run adds ``suggestions`` (not filed, same fields as items)."""
    data: dict[str, Any] = {
        "remote_checked": plan.remote_checked,
        "note": note,
        "summary": plan.summary(),
        "plan": [decision_json(d) for d in plan.decisions],
    }
    if results:
        data["results"] = list(results)
    if suggestions is not None:
        data["suggestions"] = [item.to_json() for item in suggestions]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def rows_text(rows: Sequence[Any]) -> str:
    if not rows:
        return "no state rows\n"
    body = [
        (r.status, f"#{r.issue_id}" if r.issue_id else "-", f"{r.path}:{r.line}" if r.path else "-", r.fingerprint, _short(r.title, TITLE_WIDTH))
        for r in rows
    ]
    return _table(("STATUS", "ISSUE", "WHERE", "FINGERPRINT", "TITLE"), body)


def rows_json(rows: Sequence[Any]) -> str:
    keys = ("url", "project", "fingerprint", "status", "issue_id", "issue_url", "title", "path", "line", "created", "updated", "error")
    return json.dumps({"rows": [{k: getattr(r, k) for k in keys} for r in rows]}, indent=2, ensure_ascii=False) + "\n"
