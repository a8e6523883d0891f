"""Unmarked commitments in the discussion: who committed to what, on which line (pure).

"Eric will reach out to his teams", "Niko: I'll put up an RFC", "akm to
review", "Han volunteers", "Kip: could you create the idea documents?". A
clause counts where it begins a line, a sentence, a parenthesis or a clause;
the first commitment of a line is kept, its task ending at the next clause.

An owner must look like a person of the meeting: an @handle, a name from the
attendance list, a speaker tag or an explicit item, or (when the notes list
nobody) a capitalised name that is no pronoun, group or common word.
"""

from __future__ import annotations

import re
from typing import Collection, Iterable, NamedTuple, Optional, Sequence

from .discussion import Line, read_discussion


class Commitment(NamedTuple):
    """One unmarked commitment: its line, the task from its verb on (raw text), who committed."""

    line: int
    task: str
    owners: tuple[str, ...]
    section: tuple[str, ...]
    parent_line: Optional[int] = None  # the list item it is nested under
    context: str = ""  # what a short task is about: the text before its "(", or the item above


_NAME = r"(?:@[A-Za-z][\w.-]*(?::[\w-]+(?:\.[\w-]+)+)?|[A-Za-z][\w'\u2019-]*(?:[ \t]+[A-Z][\w'\u2019-]*){0,2})"
_JOIN = r"(?:[ \t]*,[ \t]*(?:and[ \t]+)?|[ \t]+and[ \t]+|[ \t]*&[ \t]*|[ \t]*/[ \t]*)"
_NAMES = r"(?P<names>" + _NAME + r"(?:" + _JOIN + _NAME + r"){0,5})(?:[ \t]*\([^()\n]{1,40}\))?"
# Where a clause may begin: the line start, after "(", a comma, a sentence end, a dash, "and", "but".
_STARTS = re.compile(r"\(|[,;:.!?][ \t]+|[ \t][-\u2013\u2014][ \t]+|\b(?:and|but|so)[ \t]+")
# Words without which no pattern can match: most lines are skipped on this one search.
_TRIGGER = re.compile(r"\b(?:will|to|shall|volunteer\w*|you|can[ \t]+take)\b|['\u2019]ll\b", re.IGNORECASE)
_WILL = r"(?:will|shall|'ll|\u2019ll|is going to|are going to|(?:volunteer(?:s|ed)?|offer(?:s|ed)?|agree[sd]?) (?:to|for)|plans? to)"
# "Name: will send the notes", "<nick> I'll ...": what a tagged speaker says they will do.
_SPEAKER_WILL = re.compile(r"(?i:will|shall)[ \t]+(?P<task>)(?=[a-z])")
# "Ana said she will ...": reported speech in prose minutes.
_REPORTED = r"(?:said|says|mentioned|confirmed)[ \t]+(?:that[ \t]+)?(?:he|she|they)[ \t]*(?:will|'ll|\u2019ll)"
_NAMED = re.compile(_NAMES + r"[ \t]+(?P<verb>" + _WILL + r"|" + _REPORTED + r"|to)[ \t]+(?P<task>)(?=\S)")
_VOLUNTEERS = re.compile(_NAMES + r"[ \t]+volunteer(?:s|ed)\b(?![ \t]+(?:to|for)\b)[ \t,.:]*(?P<task>)")
_FIRST_PERSON = re.compile(
    r"I(?:'ll|\u2019ll|[ \t]+will|[ \t]+shall|[ \t]+am[ \t]+going[ \t]+to|'m[ \t]+going[ \t]+to|\u2019m[ \t]+going[ \t]+to"
    r"|[ \t]+plan[ \t]+to|[ \t]+volunteer[ \t]+to|[ \t]+can(?=[ \t]+take\b))[ \t]+(?P<task>)(?=\S)"
)
_REQUEST = re.compile(
    r"(?:(?P<pre>" + _NAME + r")[ \t]*[:,][ \t]*)?(?i:could|can|would|will)[ \t]+you\b"
    r"(?:[ \t]*\((?P<paren>" + _NAME + r")\))?(?:[ \t]*,[ \t]*(?P<post>" + _NAME + r")[ \t]*,)?"
    r"(?:[ \t]+please)?[ \t]+(?P<task>)(?=\S)"
)
# What follows "will" when it is no commitment: hedges, states, attendance, talks at a later meeting.
_NOT_TASK = re.compile(
    r"(?:be|not|no[ \t]+longer|never|probably|likely|maybe|perhaps|possibly|think|consider|see|need|have[ \t]+to|want|wish"
    r"|attend|join|miss|skip|present|tell|talk[ \t]+about|speak|host|chair|continue|keep|still|stay|remain|also[ \t]+be"
    r"|give[ \t]+(?:us[ \t]+)?an?[ \t]+(?:demo|talk|presentation|update|overview)|do[ \t]+(?:a|the)[ \t]+(?:demo|presentation))\b",
    re.IGNORECASE,
)
# Meeting logistics are not tickets (rule of the labelling guide).
_LOGISTICS = re.compile(r"\b(?:note[- ]?taking|take[ \t]+notes|notetaker|scribe|facilitat\w*|chair(?:ing)?)\b", re.IGNORECASE)
# "I'll do it", "will take care of that": nothing specific to file.
_VAGUE = re.compile(r"(?:do|take|handle|check|try|take[ \t]+care[ \t]+of|look[ \t]+(?:into|at))[ \t]+(?:it|that|this|them)", re.IGNORECASE)
_HEDGED = re.compile(r"\b(?:depending[ \t]+on|if[ \t]+(?:needed|possible|necessary|time[ \t]+permits))\b", re.IGNORECASE)
_NOT_VERBS = frozenset("the a an this that these those his her their our my your its all some any every each no be".split())
_SPLIT = re.compile(_JOIN)
_EMPHASIS = re.compile(r"(?:\*\*|__|(?<![\w*])[*_](?=\S)|(?<=\S)[*_](?![\w*]))")
_SENTENCE_END = re.compile(r"[.!?](?=[ \t]|$)|;|[ \t]but[ \t]")
# Subjects that are nobody in particular: pronouns, quantifiers, groups, words that open sentences.
_NOBODY = frozenset(
    """
    i me we us you he she it they them this that these those there here who which what whatever someone somebody
    everyone everybody anyone anybody nobody none all each both either neither one some many most few other
    others people folks team teams group groups council committee board sig wg meeting meetings project projects
    community foundation staff maintainers reviewers contributors members users owners we also then next now so
    but and or if when once after before until because maybe perhaps please note notes update updates status plan
    plans need needs time way goal goals idea question answer decision result results ask try want going decide
    decided agree agreed continue remember help move switch migrate go come start begin hopefully probably it's
    release releases version versions work code docs documentation ci pr prs issue issues bug bugs feature
    features change changes patch patches build builds test tests image images package packages nothing
    something anything lot action actions todo item items topic topics session sessions call calls discussion
    fesco steering infra releng qa fpc bot zodbot meetbot yes no ok okay sure thanks great
    """.split()
)


def find_commitments(lines: Sequence[str], *, rst: bool = False, known: Iterable[str] = ()) -> list[Commitment]:
    """The unmarked commitments of a document's discussion, in document order."""
    talk, roll = read_discussion(lines, rst=rst, wanted=_may_commit)
    people = roll.names | {name.lower().lstrip("@") for name in known}
    strict = roll.listed  # with an attendance list, owners come from it
    people |= _named_with_people(talk, people)
    found: list[Commitment] = []
    for line in talk:
        found.extend(_commitments(line, people, strict))
    return found


class _Hit(NamedTuple):
    start: int  # where the clause begins on the line
    task: int  # where its task text begins; -1: the task is the item above
    owners: Optional[tuple[str, ...]]  # None: the clause looks like a commitment but is none
    request: bool = False  # "could you ...?": a question that asks somebody to act


def _commitments(line: Line, people: Collection[str], strict: bool) -> list[Commitment]:
    """The first commitment of a line: later clauses are mostly asides ("B will think about it")."""
    text = _EMPHASIS.sub("", line.text)
    by_start: dict[int, _Hit] = {}
    for hit in _hits(text, line, people, strict):
        if hit.start not in by_start or by_start[hit.start].owners is None:
            by_start[hit.start] = hit  # one clause, several readings: a commitment wins
    hits = sorted(by_start.values())
    for hit in hits:
        if hit.owners is None:
            continue
        end = min([later.start for later in hits if later.start >= max(hit.task, hit.start + 1)] or [len(text)])
        task = text[hit.task:end] if hit.task >= 0 else line.parent or ""
        if hit.task >= 0 and end == len(text) and _SENTENCE_END.search(task) is None:
            task += " " + line.more  # the sentence goes on on the next line
        clause = _clause(task, request=hit.request)
        if clause and not _LOGISTICS.search(clause) and not _HEDGED.search(clause) and not _VAGUE.fullmatch(clause):
            return [Commitment(line.number, clause, hit.owners, line.section, line.parent_line, _context(text, hit, line))]
    return []


def _context(text: str, hit: _Hit, line: Line) -> str:
    """ "akm to review" inside "Qumat data work (tommy in flight, akm to review)" is about the qumat work."""
    if hit.task < 0:
        return ""  # the task is the topic above already
    opened = text.rfind("(", 0, hit.start + 1)
    if opened > 0 and ")" not in text[opened:hit.start]:
        return text[:opened].strip()
    return line.parent or ""


def _hits(text: str, line: Line, people: Collection[str], strict: bool) -> Iterable[_Hit]:
    """Every clause of the line that looks like a commitment; ``owners`` is None where it is none."""
    for start in _clause_starts(text):
        first = _FIRST_PERSON.match(text, start)
        if first is not None:
            # Without a speaker or a list it is the author narrating (a blog post).
            owned = (line.speaker is not None or line.in_list) and _is_task(text[first.end():], "will")
            yield _Hit(start, first.start("task"), ((line.speaker,) if line.speaker else ()) if owned else None)
        said = _SPEAKER_WILL.match(text, start) if line.tagged else None
        if said is not None and line.speaker and _is_task(text[said.end():], "will"):
            yield _Hit(start, said.start("task"), (line.speaker,))
        request = _REQUEST.match(text, start)
        if request is not None:
            named = request.group("pre") or request.group("paren") or request.group("post")
            # Whoever is named is asked ("kip: could you", "could you (Kip)"); a speaker tag is who asks.
            addressee = named or line.addressed
            owners = (addressee,) if addressee and not _nobody(addressee) else None
            yield _Hit(start, request.start("task"), owners, request=True)
        for pattern in (_NAMED, _VOLUNTEERS):
            match = pattern.match(text, start)
            if match is not None:
                yield _named(match, text, line, people, strict)


def _named(match: re.Match[str], text: str, line: Line, people: Collection[str], strict: bool) -> _Hit:
    names = _split(match.group("names"))
    verb = match.groupdict().get("verb")
    # "X to ..." and plain prose (no list, no speaker) need a known person: "Fedora will ship ..."
    loose = verb != "to" and (line.in_list or line.speaker is not None)
    ok = _owners_ok(names, people, strict=strict or not loose) and _is_task(text[match.start("task"):], verb)
    task = match.start("task") if verb else -1  # "Han volunteers": the task is the topic above
    return _Hit(match.start(), task, _with_speaker(names, line.speaker) if ok else None)


def _may_commit(text: str) -> bool:
    """False when no trigger word is on the line, so no pattern can match."""
    return _TRIGGER.search(text) is not None


def _clause_starts(text: str) -> list[int]:
    """Positions where a clause may begin."""
    return [0] + [match.end() for match in _STARTS.finditer(text)]


def _clause(task: str, *, request: bool = False) -> str:
    """The task up to the end of its sentence or clause; "" for a question (unless a request) or nothing."""
    end = _SENTENCE_END.search(task)
    if end is not None and end.group(0) == "?" and not request:
        return ""
    clause = task[: end.start()] if end else task
    clause = re.split(r"\)(?![^(]*\))", clause)[0] if clause.count(")") > clause.count("(") else clause
    return clause.strip(" \t,:;-\u2013\u2014")


def _is_task(task: str, verb: Optional[str]) -> bool:
    bare = task.strip()
    if verb is None:
        return True  # "X volunteers": the task is the topic above
    if verb == "to" and (not bare[:1].islower() or bare.split()[0] in _NOT_VERBS):
        return False  # "Upgrade to 252", "Eric to the rescue": no verb follows
    return bool(bare) and _NOT_TASK.match(bare) is None


def _owners_ok(names: Sequence[str], people: Collection[str], *, strict: bool) -> bool:
    """Every name is somebody; at least one is known (or, loosely, looks like a person's name)."""
    if not names or any(_nobody(name) for name in names):
        return False
    return any(_person(name, people, strict=strict) for name in names)


def _person(name: str, people: Collection[str], *, strict: bool) -> bool:
    if _nobody(name):
        return False
    bare = name.lower().lstrip("@")
    if name.startswith("@") or bare in people or bare.split()[0] in people:
        return True
    if len(bare) >= 3 and any(person.startswith(bare) for person in people):
        return True  # "Gill" for "Gillian Hannington"
    if strict or name.isupper():
        return False
    words = name.split()
    if len(words) == 1 and bare.endswith("ly"):
        return False  # "Conservatively agreed to": an adverb opening the sentence
    return all(word[:1].isupper() for word in words) and (len(words) > 1 or not name[1:].isupper())


def _nobody(name: str) -> bool:
    bare = name.lower().lstrip("@")
    return not bare or bare in _NOBODY or bare.split()[0] in _NOBODY


def _named_with_people(talk: Sequence[Line], people: set[str]) -> set[str]:
    """Names grouped with a known person ("akm and tommy to ...") are people too."""
    more: set[str] = set()
    for line in talk:
        text = _EMPHASIS.sub("", line.text)
        for start in _clause_starts(text):
            match = _NAMED.match(text, start)
            names = _split(match.group("names")) if match else []
            if len(names) > 1 and not any(_nobody(n) for n in names) and any(n.lower().lstrip("@") in people for n in names):
                more.update(n.lower().lstrip("@") for n in names)
    return more


def _with_speaker(names: Sequence[str], speaker: Optional[str]) -> tuple[str, ...]:
    """"Eric will ..." said by "Eric Huss" is Eric Huss."""
    if speaker and len(names) == 1 and speaker.lower().split()[0] == names[0].lower() and " " in speaker:
        return (speaker,)
    return tuple(names)


def _split(names: str) -> list[str]:
    return [name.strip() for name in _SPLIT.split(names) if name.strip()]
