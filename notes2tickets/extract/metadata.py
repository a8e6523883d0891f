"""Metadata tokens inside an item's text: tags, due, priority, milestone, private,
owner fields, ticket references, done markers, meetbot attributions."""

from __future__ import annotations

import datetime
import re
from typing import NamedTuple, Optional

_LIST = r"[\w.+/-]+(?:\s*,\s*(?:and\s+)?[\w.+/-]+)*"
_NAMES = r"@?[\w.|-]+(?::[\w.-]+)?(?:\s*(?:,|\band\b|&)\s*@?[\w.|-]+(?::[\w.-]+)?)*"
_TOKENS = re.compile(
    r"(?<![\w-])(?:"
    r"(?P<tagkey>tags?|labels?)\s*:\s*(?P<tags>" + _LIST + r")"
    r"|due(?:\s+date)?(?:\s*:\s*|\s+(?:by\s+|on\s+)?)(?P<due>\d{4}-\d{2}-\d{2})"
    r"|(?:priority|prio)\s*:\s*(?P<priority>[\w-]+)"
    r"|milestone\s*:\s*(?:\"(?P<mq>[^\"]+)\"|(?P<milestone>[\w.+/-]+))"
    r"|(?:owners?|assignees?|assigned\s+to)\s*:\s*(?P<owners>" + _NAMES + r")"
    r"|private\s*:\s*(?P<private>yes|true|no|false)"
    r")",
    re.IGNORECASE,
)
_TAG_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?")
_OWNER_SPLIT = re.compile(r"\s*(?:,|\band\b|&)\s*")
_GROUP = re.compile(r"[(\[]([^()\[\]]*)[)\]]")
_PRIVATE_WORD = re.compile(r"[(\[]\s*(?:private|confidential)\s*[)\]]|\U0001f512", re.IGNORECASE)
_REF = re.compile(r"(?<![\w&#/])#(\d{1,9})\b")
_ISSUE_URL = re.compile(r"https?://\S+?/(?:issues?|tickets?)/(\d{1,9})\b[^\s)\]]*")
_REF_GROUP = re.compile(
    r"[(\[]\s*(?:(?:tracked|filed|ticket|issue|see|was)(?:\s+(?:in|as|at))?\s*:?\s*)?"
    r"(?:#\d{1,9}|https?://\S+?/(?:issues?|tickets?)/\d{1,9}\S*?)\s*[)\]]",
    re.IGNORECASE,
)
_TRAILING_REF = re.compile(r"\s*(?:[-\u2013\u2014,:]\s*)?(?:tracked\s+(?:in|as)\s+)?#\d{1,9}\s*$", re.IGNORECASE)
_ATTRIBUTION = re.compile(r"\s*\(\s*[^,()]{1,60},\s*\d{1,2}:\d{2}(?::\d{2})?\s*\)\s*$")
_DONE_LEAD = re.compile(r"^\s*(?:(?:\u2705|\u2714\ufe0f?|\u2611\ufe0f?)\s*|(?i:done)\s*[:\-\u2013\u2014]\s*|[(\[](?i:done)[)\]]\s*)")
_DONE_TAIL = re.compile(
    r"\s*(?:\u2705|\u2714\ufe0f?|\u2611\ufe0f?|[(\[]\s*(?i:done)(?:\s*:[^()\[\]]*)?\s*[)\]]|[-\u2013\u2014:]\s*(?i:done)\.?)\s*\.?$"
)
_STATUS = r"(?:to-?do|carried[ -]over(?: from (?:the )?(?:last|previous) (?:meeting|week|time))?|carry[ -]over|still open|ongoing|in progress|wip|again|continued|repeat(?:ed)?|pending)"
# Status words say where an item stands, not what it is: removed so a
# carried-over item keeps its fingerprint.
_STATUS_GROUP = re.compile(r"\s*[(\[]\s*" + _STATUS + r"\s*[)\]]", re.IGNORECASE)
_STATUS_LEAD = re.compile(r"^\s*" + _STATUS + r"\s*[:\-\u2013\u2014]\s*", re.IGNORECASE)
_STATUS_TAIL = re.compile(r"\s*[-\u2013\u2014]\s*" + _STATUS + r"\s*\.?$", re.IGNORECASE)
_BARE_REF = re.compile(r"(?:tracked|filed|ticket|issue|see)?(?:\s+(?:in|as|at))?\s*:?\s*#\d{1,9}\b", re.IGNORECASE)
_BARE_STATUS = re.compile(r"\b" + _STATUS + r"\b", re.IGNORECASE)
_STATUS_HINTS = ("done", "carr", "still", "ongoing", "progress", "wip", "again", "contin", "repeat", "pending")
_MAYBE_STATUS = re.compile("|".join(_STATUS_HINTS) + r"|\u2705|\u2714|\u2611", re.IGNORECASE)
_SPACE_BEFORE_MARK = re.compile(r" (?=[,.;:!?])")
_DUE_WORD = re.compile(r"\bdue\s", re.IGNORECASE)
_SEPARATORS = " \t,;|-\u2013\u2014"


class Metadata(NamedTuple):
    """What the tokens of one item's text said."""

    text: str
    tags: tuple[str, ...] = ()
    due: Optional[str] = None
    priority: Optional[str] = None
    milestone: Optional[str] = None
    private: bool = False
    owners: tuple[str, ...] = ()
    tracked: Optional[int] = None
    done: bool = False


def strip_attribution(text: str) -> str:
    """Drop meetbot's "(nick, 17:12:00)" trailer: who typed the line, not the owner."""
    return _ATTRIBUTION.sub("", text) if text.rstrip().endswith(")") else text  # cheap test first


def is_token_line(text: str) -> bool:
    """True when ``text`` is one metadata token and nothing else ("Owner: bob", "Due: 2024-02-01")."""
    return ":" in text and _TOKENS.fullmatch(text.strip().rstrip(".")) is not None


def parse_metadata(text: str, urls: tuple[str, ...] = ()) -> Metadata:
    """Remove every recognised token from ``text`` and return their values."""
    found: dict[str, list[str]] = {"tags": [], "owners": []}
    tracked = _find_tracked(text, urls)
    # Cheap character checks skip the regexes that cannot match (most titles).
    if tracked is not None:
        text = _ISSUE_URL.sub(" ", _REF_GROUP.sub(" ", text))
        text = _TRAILING_REF.sub("", text) if "#" in text else text  # the regex is tried at every character
    private = False
    if "(" in text or "[" in text or "\U0001f512" in text:
        private = bool(_PRIVATE_WORD.search(text))
        text = _PRIVATE_WORD.sub(" ", text) if private else text
        text = _GROUP.sub(lambda m: _group(m, found), _STATUS_GROUP.sub(" ", text))
    done = False
    if _maybe_status(text):
        text, done = _strip_done(text)
        text = _STATUS_TAIL.sub("", _STATUS_LEAD.sub("", text))
    if ":" in text or ("due" in text.lower() and _DUE_WORD.search(text)):  # "due 2026-11-20" has no colon
        text = _TOKENS.sub(lambda m: _take(m, found), text)
    if len(found) == 2 and not found["tags"] and not found["owners"]:
        return Metadata(_tidy(text), private=private, tracked=tracked, done=done)  # no tokens: most titles
    private = private or found.get("private", [""])[-1].lower() in ("yes", "true")
    return Metadata(
        text=_tidy(text),
        tags=_unique(found["tags"]),
        due=_first(found, "due"),
        priority=_first(found, "priority"),
        milestone=_first(found, "milestone"),
        private=private,
        owners=_unique(found["owners"]),
        tracked=tracked,
        done=done,
    )


def _find_tracked(text: str, urls: tuple[str, ...]) -> int | None:
    """The first ticket the item cites: a link target, an issue URL, or ``#83``."""
    for url in urls:
        linked = _ISSUE_URL.search(url)
        if linked:
            return int(linked.group(1))
    if "#" not in text and "/" not in text:
        return None
    match = _ISSUE_URL.search(text) or _REF.search(text)
    return int(match.group(1)) if match else None


def _maybe_status(text: str) -> bool:
    """Whether a done or status word may be in ``text`` (cheap: most titles have none)."""
    if not text.isascii():  # IGNORECASE also matches "\u0131", "\u017f": leave those to the regex
        return _MAYBE_STATUS.search(text) is not None
    lowered = text.lower()
    for hint in _STATUS_HINTS:  # several times faster than the regex (no generator: faster still)
        if hint in lowered:
            return True
    return False


def _strip_done(text: str) -> tuple[str, bool]:
    stripped = _DONE_TAIL.sub("", _DONE_LEAD.sub("", text))
    return stripped, stripped != text


def _group(match: re.Match[str], found: dict[str, list[str]]) -> str:
    """Remove a bracketed group that holds nothing but tokens, refs and status words."""
    inner = match.group(1)
    rest = _BARE_STATUS.sub(" ", _BARE_REF.sub(" ", inner))
    if rest == inner and not _TOKENS.search(inner):
        return match.group(0)
    scratch: dict[str, list[str]] = {"tags": [], "owners": []}
    rest = _TOKENS.sub(lambda m: _take(m, scratch), rest)
    if rest.strip(_SEPARATORS):
        return match.group(0)
    for key, values in scratch.items():
        found.setdefault(key, []).extend(values)
    return " "


def _take(match: re.Match[str], found: dict[str, list[str]]) -> str:
    if match.group("tags"):
        found["tags"].extend(t.strip().lower() for t in _TAG_SPLIT.split(match.group("tags")) if t)
    elif match.group("due") and _valid_date(match.group("due")):
        found.setdefault("due", []).append(match.group("due"))
    elif match.group("priority"):
        found.setdefault("priority", []).append(match.group("priority").lower())
    elif match.group("mq") or match.group("milestone"):
        found.setdefault("milestone", []).append((match.group("mq") or match.group("milestone")).strip())
    elif match.group("owners"):
        names = (n.rstrip(".") for n in _OWNER_SPLIT.split(match.group("owners")))
        found["owners"].extend(n for n in names if n)  # "Owner: Bob." ends a sentence, not the name
    elif match.group("private"):
        found.setdefault("private", []).append(match.group("private"))
    else:
        return match.group(0)
    return " "


def _valid_date(value: str) -> bool:
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _first(found: dict[str, list[str]], key: str) -> str | None:
    values = found.get(key)
    return values[0] if values else None


def _unique(values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


def _tidy(text: str) -> str:
    text = " ".join(text.split())  # str.split splits on exactly the characters \s matches
    return _SPACE_BEFORE_MARK.sub("", text).strip(_SEPARATORS + ":")
