"""Recognisers shared by the Markdown and meetbot readers: markers, headings, non-items."""

from __future__ import annotations

import functools
import re
from typing import Sequence

_EMPH = r"(?:\*\*|__|\*|_)"
# The marker words: "ACTION", "Action item(s)", "Action point", "Actions", "AI",
# "TODO", "To-do"; "AI" only in capitals because "ai:" begins ordinary prose.
_WORD = r"(?:(?i:action(?:s|[ \t]+items?|[ \t]+points?)?|to-?do|to[ \t]do)|AIs?)"
_OWNER = r"(?:[ \t]*[(\[](?P<owner>[^()\[\]\n]{1,60})[)\]])?"
# Raw Markdown (or plain text) at the start of a line: optional emphasis, the
# word, an optional "(owner)", then a colon (inside or outside the emphasis),
# a dash, or closing bold followed by a space. "#action"/"!action" need no colon.
# "TODO @nick: text": the word, then a mention labelling the owner.
_MENTION_LABEL = r"[ \t]+(?=@[\w.-]+(?::[\w.-]+)?:[ \t])"
# "(TODO) text", "[Action - Anna] text", "Action item to text".
_BOXED_WORD = r"[(\[](?i:to-?do|action(?:[ \t]+items?)?|ai)[)\]]"
_BOXED_OWNER = r"\[(?i:action(?:[ \t]+items?)?)[ \t]*[-:\u2013\u2014][ \t]*(?P<boxed>[^\]\n]{1,60})\][ \t]*:?"
_ITEM_TO = r"(?i:action[ \t]+items?[ \t]+to)(?=[ \t])"
RAW_MARKER = re.compile(
    r"[ \t]*" + _EMPH + r"?[ \t]*(?:"
    r"[#!](?i:action)\b" + _EMPH + r"?:?"
    r"|" + _WORD + _OWNER + r"(?:[ \t]*:" + _EMPH + r"?|" + _EMPH + r"[ \t]*:|[ \t]+[-\u2013\u2014][ \t]|(?:\*\*|__)(?=[ \t])"
    r"|(?<=[)\]])[ \t]+(?=\S))"
    r"|" + _WORD + _MENTION_LABEL +
    r"|" + _BOXED_WORD + _EMPH + r"?[ \t]+(?=\S)|" + _BOXED_OWNER.replace("?P<boxed>", "?:") + "|" + _ITEM_TO +
    r")"
)
# What a marker starts with, after blanks and emphasis: "#action", "!action", a word, "(TODO)", "[Action - X]".
_MARKER_STARTS = frozenset("#!aAtT([")


def match_marker(text: str) -> re.Match[str] | None:
    """``RAW_MARKER.match(text)``, after a cheap test of the first character (most lines hold no marker)."""
    return RAW_MARKER.match(text) if text.lstrip(" \t*_")[:1] in _MARKER_STARTS else None


# The same marker in plain text (markup already gone), for removal from titles.
PLAIN_MARKER = re.compile(
    r"\s*(?:[#!](?i:action)\b:?|" + _WORD + _OWNER + r"\s*(?::|[-\u2013\u2014](?=\s)|(?<=[)\]])(?=\s))"
    r"|(?:ACTION|TODO)(?=\s)|" + _WORD + _MENTION_LABEL + r"|" + _BOXED_WORD + r"|" + _BOXED_OWNER + r"|" + _ITEM_TO
    + r")\s*"
)
# "… (todo)", "… (done)", "… (done: agreed on the channel)" at the end: a status that marks an item.
STATUS_SUFFIX = re.compile(r"[(\[][ \t]*(?i:to-?do|done)(?:[ \t]*:[^()\[\]\n]*)?[ \t]*[)\]][ \t]*\.?[ \t]*$")
# "… Action item to make it happen." inside a paragraph: the marker starts a sentence.
SENTENCE_MARKER = re.compile(r"(?<=[.!?])[ \t]+(?=(?i:action[ \t]+items?[ \t]+to)[ \t]+\S)")
TASK_BOX = re.compile(r"[ \t]*\[([ xX])\](?:[ \t]+|$)")
_TOKEN = re.compile(r"[\w'-]+")
_NUMBERING = re.compile(r"^\s*(?:\d+(?:\.\d+)*|[ivxIVX]+|[A-Za-z])[.)]\s+")
_BY_PERSON = re.compile(r"\b(?:by|per)\s+(?:person|owner|assignee|nick|people)\b", re.IGNORECASE)
_AGENDA = re.compile(r"\bagenda\b", re.IGNORECASE)
_REVIEW = re.compile(
    r"^(?:review|go over|going over|check|status of|follow[- ]?up on|look at)\b.{0,40}?"
    r"\b(?:action items?|actions|ais|todos?|tasks)\b",
    re.IGNORECASE,
)
NOT_ITEMS = frozenset(
    ("", "none", "n a", "na", "nothing", "tbd", "no action items", "no new action items", "no actions",
     "none yet", "none this week", "nothing new", "no action items this week", "no new actions")
)
# Extra words allowed around a configured heading phrase ("New action items",
# "Action items from last meeting") before a heading is ordinary prose.
_MAX_EXTRA_WORDS = 5


def heading_words(text: str) -> list[str]:
    """Lower-cased words of a heading without numbering ("3. Action items:")."""
    return _TOKEN.findall(_NUMBERING.sub("", text).lower())


@functools.lru_cache(maxsize=16)
def _phrase_words(phrases: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    return tuple(words for words in (tuple(_TOKEN.findall(p.lower())) for p in phrases) if words)


@functools.lru_cache(maxsize=4096)
def _action_heading(text: str, phrases: tuple[str, ...]) -> bool:
    words = tuple(heading_words(text))
    count = len(words)
    for wanted in _phrase_words(tuple(phrases)):
        size = len(wanted)
        if size <= count <= size + _MAX_EXTRA_WORDS and (words[:size] == wanted or words[-size:] == wanted):
            return True
    return False


def is_action_heading(text: str, phrases: Sequence[str]) -> bool:
    """True when a heading names actions, also with words before or after (cached: headings repeat)."""
    return _action_heading(text, tuple(phrases))


def is_exact_action_heading(text: str, phrases: Sequence[str]) -> bool:
    """True when a line is only a heading phrase ("**Action items:**" as a pseudo-heading)."""
    words = tuple(heading_words(text))
    return words in _phrase_words(tuple(phrases)) or (len(words) <= 4 and is_action_heading(text, phrases))


def is_by_person(text: str) -> bool:
    """True for "Action items, by person"-style headings (top items are owners)."""
    return bool(_BY_PERSON.search(text))


def is_agenda(text: str) -> bool:
    """True for an agenda heading: its entries are topics, not tasks."""
    return bool(_AGENDA.search(text))


def is_review_entry(title: str) -> bool:
    """True for agenda entries like "Review action items from last meeting"."""
    return bool(_REVIEW.match(title.strip())) and len(title.split()) <= 10


_QUESTION = re.compile(
    r"^(?:what|where|when|why|how|who|whom|whose|which|is|are|am|was|were|do|does|did|can|could|should|would|"
    r"will|shall|may|might|must|has|have|had|any|anyone|anybody|anything|shouldn't|isn't|aren't|don't|doesn't|"
    r"can't|won't)\b[^?]*\?\W*$",
    re.IGNORECASE,
)


def is_question(title: str) -> bool:
    """True for a question ("Are we shipping one package?"); "Ask upstream about X?" is a task."""
    return bool(_QUESTION.match(title.strip()))


_REMARK = re.compile(r"^(?:note that|nb[:,]|n\.b\.|fyi\b|ps[:,])", re.IGNORECASE)


def is_remark(title: str) -> bool:
    """True for an observation ("Note that the logs lack repos", "FYI: …"), not a task."""
    return bool(_REMARK.match(title))


# "Mara owns the action item", "Bob will take the action item", "action item for Bob".
OWNS_ACTION = re.compile(
    r"(?:^|(?<=[.;!]))[ \t]*(?:(?P<owner>[A-Z@][\w.@-]*(?: [A-Z][\w'-]+)?)[ \t]+(?:owns|has|takes|will (?:own|take))"
    r"[ \t]+(?:the|this|that|an)[ \t]+action(?:[ \t]+item)?|(?i:action[ \t]+item[ \t]+for)[ \t]+(?P<for>[A-Z@][\w.@-]*))"
    r"[ \t]*\.?[ \t]*$"
)
