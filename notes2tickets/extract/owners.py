"""Owner phrases in an item's text, and mapping written names to tracker usernames."""

from __future__ import annotations

import re
from typing import Mapping, NamedTuple

from .names import FILE_NAME, NOT_NAMES, plausible
from .participants import NOBODY, Participants

# An IRC/FAS nick, a Matrix id (@nick:server.org), or two capitalised words.
_NICK = r"@?[A-Za-z_][\w.|-]{0,39}(?::[\w-]+(?:\.[\w-]+)+)?"
_NAME = r"(?:[A-Z][\w'-]+ [A-Z][\w'-]+|" + _NICK + r")"
_JOIN = r"(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*|\s*/\s*|\s*\+\s*)"
_NAMES = _NAME + r"(?:" + _JOIN + _NAME + r")*"
_VERBS = r"(?:to|will|should|shall|must|needs? to|is going to|are going to|is to|are to)"
# A capitalised single word before "to" must be followed by a lower-case verb
# ("Davide to update" is an owner, "Upgrade to 252" is not).
# "thunderbirdtr (Onuralp Sezer) will …": a real name in brackets after the nick.
_REAL_NAME = r"(?:\s+\([A-Z][^()\n]{0,40}\))?"
_MEETBOT = re.compile(
    r"(?P<names>" + _NAME + _REAL_NAME + r"(?:" + _JOIN + _NAME + _REAL_NAME + r")*)\s+(?P<verb>" + _VERBS + r")\s+(?=\S)"
)
# Where a second owner's clause begins: ", and JF to …", "; Bob will …", ". JF to …".
_CLAUSE = re.compile(
    r"(?:[,;]\s*(?:and\s+)?|\.\s+|\s+and\s+)(?=(?P<names>" + _NAMES + r")\s+(?:to|will)\s+[a-z])"
)
_DASHED = re.compile(r"\s[-\u2013\u2014]\s+(?P<names>" + _NAMES + r")\s+(?:to|will)\s+[a-z]")
_REAL_NAMES = re.compile(r"\s+\([^()]*\)")
# "FranciscoD update the docs": participants' nicks, then a lower-case verb (meetbot's ACTION lines).
_BARE_LEAD = re.compile(r"(?P<names>" + _NICK + r"(?:" + _JOIN + _NICK + r")*)\s+(?=[a-z])")
# "**FranciscoD** open a ticket", "**sebp SSlater** : catch …": bold nicks, then the task.
_BOLD_NICKS = re.compile(r"\s*(?:\*\*|__)(?P<names>[\w.|@-]+(?:[ ,&]+(?:and )?[\w.|@-]+)*)(?:\*\*|__)\s*:?\s+(?=[a-z])")
_LEADING_LABEL = re.compile(r"(?P<names>" + _NAMES + r")\s*:\s+(?=\S)")
_BOLD_LABEL = re.compile(r"\s*(?:\*\*|__)(?P<name>[^*_\n:]{1,40}?)(?::(?:\*\*|__)|(?:\*\*|__)\s*:)")
_BRACKETED = re.compile(r"\[(?P<names>" + _NAMES + r")\]\s*")
_MENTIONS_LEAD = re.compile(r"(?P<names>@" + _NICK[2:] + r"(?:" + _JOIN + r"@" + _NICK[2:] + r")*)\s*[:,\u2013\u2014-]?\s+")
_ARROW = r"(?:->|=>|\u2192)"
_TRAILING = re.compile(
    r"\s*(?:[(\[](?P<names>" + _NAMES + r")[)\]]|(?:[-\u2013\u2014]\s+|(?<=\s))(?P<mentions>@" + _NICK[2:] + r")"
    r"|" + _ARROW + r"\s*(?P<arrowed>" + _NAMES + r"))\s*\.?$"
)
_ARROWED = re.compile(_ARROW)
# "(SA, next two weeks)": an owner and when; "(CW? JL?)": tentative owners.
_WHEN = r"(?i:next|this|by|before|until|end|within|in|eo[wdm]|asap|tomorrow|today|tonight|soon|\d)\b[^()\[\]\n]{0,40}"
_TENTATIVE = re.compile(
    r"[(\[](?P<names>" + _NAME + r"\??(?:(?:" + _JOIN + r"|(?<=\?)\s+)" + _NAME + r"\??)*)"
    r"(?:\s*[,;]\s*(?P<when>" + _WHEN + r"))?\s*[)\]]\s*\.?$"
)
# "Bob - ping upstream", "@anna – update the docs": a leading name, a dash, then a lower-case word. Only
# mentions and capitalised names: "systemd - release 252" names a component, not a person.
_LEADING_DASH = re.compile(r"(?P<names>" + _NAMES + r")\s+[-\u2013\u2014]\s+(?=[a-z])")
_MENTION = re.compile(r"(?<![\w@/.])@(" + _NICK[2:] + r")")
_SPLIT = re.compile(_JOIN)
_NICK_SPLIT = re.compile(r"[ ,&]+(?:and )?")  # "sebp SSlater, sjodogne": bold nicks



class Owners(NamedTuple):
    """The text with owner phrases removed, and the names found, in order."""

    text: str
    names: tuple[str, ...]


def split_owners(text: str, raw: str = "", participants: Participants = NOBODY) -> Owners:
    """Find owners in a plain-text title; ``raw`` is its Markdown (for ``**Name**:``); ``participants``
    are the meeting's (``nick verb …`` names an owner only for them)."""
    names: list[str] = []
    text = _take_lead(text, raw, names, participants)
    if text.rstrip(" .").endswith((")", "]")) or "@" in text or _ARROWED.search(text):
        text = _take_trailing(text, names)
    if "@" in text:
        names.extend(m.group(1).rstrip(".") for m in _MENTION.finditer(text))
    if not names and " to " in text:
        names.extend(_dashed_owner(text))
    return Owners(text.strip(), tuple(dict.fromkeys(names)))


def _dashed_owner(text: str) -> list[str]:
    """"Feature names checks (PR #1) - Thomas to update the PR": the subject, then who does what."""
    match = _DASHED.search(text)
    if match is None:
        return []
    found = _split(match.group("names"))
    return found if plausible(found, allow_words=False) and all(n[:1].isupper() or n[:1] == "@" for n in found) else []


def split_clauses(text: str) -> list[str]:
    """"Ben to update the repo, and JF to update the issue" is two actions for two owners; else one."""
    if text.count(" to ") + text.count(" will ") < 2 or not _MEETBOT.match(text):
        return [text]  # cheap: one owner phrase at most
    parts, start = [], 0
    for match in _CLAUSE.finditer(text):
        names = _split(_without_real_names(match.group("names")))
        if match.start() > start and plausible(names, allow_words=False) and _MEETBOT.match(text, start, match.start()):
            parts.append(text[start:match.start()])
            start = match.end()
    return parts + [text[start:]]


def _without_real_names(names: str) -> str:
    return _REAL_NAMES.sub("", names) if "(" in names else names


def split_owner_cell(cell: str) -> tuple[str, ...]:
    """The names in a table's owner cell ("@anna, Bob", "Anna Smith & chen"); none for "TBD", "-", "all"."""
    bare = re.sub(r"[*_`~]+", "", cell).strip()
    names = [n.strip("()[] ") for n in _split(bare)]
    return tuple(n for n in names if plausible([n], allow_words=True) and n.strip("?-").strip())


def _take_lead(text: str, raw: str, names: list[str], participants: Participants) -> str:
    if raw[:3].lstrip()[:1] in ("*", "_"):
        taken = _take_bold(text, raw, names, participants)
        if taken is not None:
            return taken
    colon, dash = ":" in text, "-" in text or "\u2013" in text or "\u2014" in text
    for pattern in (_BRACKETED, _MEETBOT, _LEADING_LABEL, _MENTIONS_LEAD, _LEADING_DASH):
        if (pattern is _LEADING_LABEL and not colon) or (pattern is _LEADING_DASH and not dash):
            continue  # cheap: a label needs its colon, a dashed lead its dash (both regexes backtrack)
        match = pattern.match(text)
        if match and pattern is _MEETBOT and not _verb_follows(match, text):
            continue
        if match and pattern is _LEADING_DASH and not all(n[:1] == "@" or n[:1].isupper() for n in _split(match.group("names"))):
            continue
        if match and pattern is _LEADING_LABEL and _not_people(_split(match.group("names")), raw):
            continue
        if match:
            found = _split(_without_real_names(match.group("names")))
            if plausible(found, allow_words=pattern is not _MEETBOT):
                names.extend(found)
                return _capitalise(text[match.end():])
    return _take_participants(text, names, participants)


def _take_bold(text: str, raw: str, names: list[str], participants: Participants) -> str | None:
    """``**Name**: task`` or ``**nick** task`` / ``**a b c** : task``; None when the bold is no owner."""
    bold = _BOLD_LABEL.match(raw)
    if bold and plausible([bold.group("name").strip()], allow_words=True):
        label = re.match(r"\s*" + re.escape(bold.group("name").strip()) + r"\s*:\s*", text)
        if label:
            names.extend(_bold_names(bold.group("name").strip()))
            return text[label.end():]
    nicks = _BOLD_NICKS.match(raw)
    if nicks:
        found = [n for n in _NICK_SPLIT.split(nicks.group("names")) if n]
        label = re.match(r"\s*" + r"\W+".join(re.escape(n) for n in found) + r"\s*:?\s+", text)
        nicks_only = all(_nick_like(n) or participants.took_part(n) for n in found)
        if label and nicks_only and plausible(found, allow_words=False):
            names.extend(found)
            return _capitalise(text[label.end():])
    return None


def _nick_like(name: str) -> bool:
    """"sjodogne", "FranciscoD", "jdoe2": written as a nick. "Infra" could be anything."""
    bare = name.lstrip("@")
    return bare[:1].islower() or any(c.isupper() for c in bare[1:]) or any(c.isdigit() or c == "_" for c in bare)


def _not_people(names: list[str], raw: str) -> bool:
    """Code identifiers (`` `TunedClassifier`: ``), file names and URLs before a colon are subjects, not owners."""
    return any(("`" + name) in raw or "/" in name or ("." in name and FILE_NAME.search(name)) for name in names)


def _bold_names(label: str) -> list[str]:
    """"Neal Gompa" is one name; "sebp SSlater sjodogne" (a lower-case word, or more than two) are nicks."""
    words = label.split()
    if len(words) > 2 or any(word[:1].islower() for word in words[1:]):
        return [word for word in _NICK_SPLIT.split(label) if word]
    return [label]


def _take_participants(text: str, names: list[str], participants: Participants) -> str:
    """``FranciscoD update docs``: a lead of participants' nicks and a lower-case word."""
    match = _BARE_LEAD.match(text)
    if match is None:
        return text
    found = _split(match.group("names"))
    if not all(n.lower() not in NOT_NAMES and participants.took_part(n) for n in found):
        return text
    names.extend(found)
    return _capitalise(text[match.end():])


def _verb_follows(match: re.Match[str], text: str) -> bool:
    """"Davide to update" names an owner; "Upgrade to 252" / "Move to Fedora" do not."""
    capitalised = match.group("names")[:1].isupper()
    return not (capitalised and match.group("verb") == "to" and not text[match.end():][:1].islower())


def _take_trailing(text: str, names: list[str]) -> str:
    opening = max(text.rfind("("), text.rfind("["))  # the last bracket group: "(SA, next week)"
    tentative = _TENTATIVE.match(text, opening) if opening > 0 and text.rstrip(" .").endswith((")", "]")) else None
    if tentative and (tentative.group("when") or "?" in tentative.group("names")) and tentative.start() > 0:
        found = [n.rstrip("?") for n in re.split(r"\?\s*|" + _JOIN, tentative.group("names")) if n and n.strip("?")]
        if plausible(found, allow_words=False):
            names.extend(found)
            when = tentative.group("when")
            return text[: tentative.start()].rstrip() + (f" ({when.strip()})" if when else "")
    match = _TRAILING.search(text)
    if match:
        found = [n.rstrip(".") for n in _split(match.group("names") or match.group("mentions") or match.group("arrowed"))]
        if plausible(found, allow_words=False) and match.start() > 0:
            names.extend(found)
            return text[: match.start()]
    return text


def _split(names: str) -> list[str]:
    if "," not in names and "and" not in names and "&" not in names and "/" not in names and "+" not in names:
        bare = names.strip()  # one name (most owner phrases): no separator to split on
        return [bare] if bare else []
    return [n.strip() for n in _SPLIT.split(names) if n.strip()]


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text[:1].islower() else text


def resolve(names: tuple[str, ...], aliases: Mapping[str, str]) -> tuple[str, ...]:
    """Map written names to usernames: alias map first, then a bare nick or Matrix localpart."""
    if not aliases:  # no alias map (the default): each name is its bare nick or Matrix localpart
        return tuple(dict.fromkeys(name.lstrip("@").split(":", 1)[0] for name in names))
    resolved: list[str] = []
    for name in names:
        key = name.lower()
        bare = key.lstrip("@")
        user = aliases.get(key) or aliases.get(bare)
        if user is None:
            localpart = name.lstrip("@").split(":", 1)[0]
            user = aliases.get(localpart.lower(), localpart)
        resolved.append(user)
    return tuple(dict.fromkeys(resolved))
