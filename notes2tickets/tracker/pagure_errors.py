"""Pagure's failures in words: one line naming the cause and the fix, never the token.

``pagure.py`` speaks HTTP; this module turns what went wrong (a transport
failure, a non-2xx answer with or without Pagure's JSON error) into a
``TrackerError``, or a ``FatalTrackerError`` for what stops a whole run
(authentication, project, tracker state, redirects).
"""

from __future__ import annotations

from typing import Any

import requests

from notes2tickets.errors import FatalTrackerError, TrackerError
from notes2tickets.redact import one_line, safe_url
from notes2tickets.tracker.transport import BodyTooLarge

FATAL_CODES = frozenset({"EINVALIDTOK", "EUBLOCKED", "ENOPROJECT", "ETRACKERDISABLED", "ETRACKERREADONLY"})
_DETAIL_LIMIT = 160  # characters of the server's own words in a message
PROJECT_HELP = "PAGURE_PROJECT / --project: use repo, ns/repo, fork/user/repo or fork/user/ns/repo"


def json_dict(resp: requests.Response) -> dict[str, Any] | None:
    try:
        body = resp.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def transport_error(exc: Exception, method: str, url: str, *, ambiguous: bool) -> TrackerError:
    if isinstance(exc, requests.Timeout):
        kind = "timed out"
    elif isinstance(exc, BodyTooLarge):
        kind = f"failed: the {exc}"
    else:
        kind = f"failed ({_root_cause(exc)})"
    tail = (
        ": the issue may have been created; it is looked up by its marker before filing again"
        if ambiguous
        else ": check PAGURE_URL / --url and the network, then run again"
    )
    return TrackerError(f"{method} {safe_url(url)} {kind}{tail}", url=safe_url(url), ambiguous=ambiguous)


def _root_cause(exc: BaseException) -> str:
    """The innermost reason's class name (urllib3 wraps it several times); never a URL with secrets."""
    seen = 0
    cause: BaseException = exc
    while seen < 10:
        seen += 1
        inner = getattr(cause, "reason", None)
        if not isinstance(inner, BaseException):
            inner = next((a for a in getattr(cause, "args", ()) if isinstance(a, BaseException)), None)
        if inner is None:
            break
        cause = inner
    return type(cause).__name__


def error_from_response(
    resp: requests.Response, *, method: str, project: str, project_url: str, token_sent: bool
) -> TrackerError:
    """Translate a non-2xx Pagure answer into one line naming the cause and the fix."""
    url = safe_url(resp.url)
    status = resp.status_code
    body = json_dict(resp) or {}
    code = body.get("error_code") if isinstance(body.get("error_code"), str) else None
    if code in FATAL_CODES:
        message = _fatal_message(str(code), body, status, project, project_url, token_sent)
        return FatalTrackerError(message, status=status, code=code, url=url)
    if 300 <= status < 400:
        message = f"Pagure redirected {method} {url} ({status}): set PAGURE_URL / --url to the final address"
        return FatalTrackerError(message, status=status, code=code, url=url)
    fields = _invalid_fields(body) if code == "EINVALIDREQ" else {}
    return TrackerError(
        _item_message(resp, method, url, code, body, fields),
        status=status, code=code, url=url, fields=fields, ambiguous=method == "POST" and status >= 500,
    )


def _invalid_fields(body: dict[str, Any]) -> dict[str, list[str]]:
    errors = body.get("errors")
    if not isinstance(errors, dict):
        return {}
    return {str(k): [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in errors.items()}


def _item_message(
    resp: requests.Response, method: str, url: str, code: str | None, body: dict[str, Any], fields: dict[str, list[str]]
) -> str:
    status = resp.status_code
    if fields:
        detail = one_line("; ".join(f"{k}: {' '.join(v)}" for k, v in fields.items()), limit=_DETAIL_LIMIT)
        names = ", ".join(fields)
        return (
            f"Pagure rejected the {names} field on {method} {url} ({status} {code}: {detail}): "
            f"fix the {names} value in the notes or the project settings"
        )
    if status == 413:
        return f"request body too large for {method} {url} (413): shorten the item's text"
    if code == "EDBERROR":
        return (
            f"Pagure answered {status} EDBERROR to {method} {url} (a race with another client, a duplicate tag, "
            "or a tag longer than 255 characters): check the tags, then run again"
        )
    if code:
        return f"Pagure answered {status} {code} ({one_line(str(body.get('error') or ''), limit=_DETAIL_LIMIT)}) to {method} {url}"
    page = "an HTML page" if "html" in resp.headers.get("Content-Type", "") else "no JSON error"
    if status >= 500:
        effect = "the issue may have been created" if method == "POST" else "the server is failing; try again later"
        return f"Pagure answered {status} ({page}) to {method} {url}: {effect}"
    return f"Pagure answered {status} ({page}) to {method} {url}: check PAGURE_URL / --url and PAGURE_PROJECT"


def _fatal_message(
    code: str, body: dict[str, Any], status: int, project: str, project_url: str, token_sent: bool
) -> str:
    errors = body.get("errors") if isinstance(body.get("errors"), str) else None
    head = f"({status} {code}{': ' + one_line(errors, limit=_DETAIL_LIMIT) if errors else ''})"
    new_key = f"create a project API key with the issue_create ACL in {project_url}/settings (API keys)"
    if code == "EINVALIDTOK":
        if not token_sent:
            return f"Pagure needs an API token for {project} {head}: set PAGURE_API_TOKEN; {new_key}"
        if errors == "Expired token":
            return f"the Pagure API token has expired {head}: {new_key} and set PAGURE_API_TOKEN"
        if errors and errors.startswith("Missing ACLs"):
            return f"the Pagure API token lacks an ACL needed on {project} {head}: {new_key}"
        if errors:
            return f"Pagure rejected the API token {head}: check PAGURE_API_TOKEN, or {new_key}"
        return (
            f"the Pagure API token is bound to another project, not {project} {head}: {new_key}, "
            f"or fix {PROJECT_HELP.split(':')[0]}"
        )
    if code == "EUBLOCKED":
        return f"the token's user is blocked from {project} {head}: ask a project admin to unblock it"
    if code == "ENOPROJECT":
        return f"project {project} not found at {project_url} {head}: check PAGURE_PROJECT / --project and PAGURE_URL"
    if code == "ETRACKERDISABLED":
        return f"the issue tracker of {project} is disabled {head}: enable it in {project_url}/settings"
    return f"the issue tracker of {project} is read-only {head}: ask a project admin to make it writable"
