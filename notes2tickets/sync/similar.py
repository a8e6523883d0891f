"""The near-duplicate rule: is a new item's title nearly that of an issue someone filed by hand?

Two normalised titles are similar when they hold the same numbers ("Stream 9"
and "Stream 10", "task 1" and "task 10" are different things), share at least
half of the item's words, and difflib's ratio reaches the threshold. Only open
issues without a notes2tickets marker are compared: an issue with a marker is
already an item, known by its fingerprint.

The word rule makes an index possible: of the item's ``n`` distinct words at
least ``ceil(n/2)`` must be shared, so one of its ``n - ceil(n/2) + 1`` rarest
words is, and only issues holding one of those are compared at all.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Iterable, NamedTuple, Optional, Sequence

from notes2tickets.extract import normalise_title
from notes2tickets.model import RemoteRef


_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789 "
_SLOT = {c: i for i, c in enumerate(_ALPHABET)}


def _counts(text: str) -> tuple[int, ...]:
    counts = [0] * (len(_ALPHABET) + 1)
    for c in text:
        counts[_SLOT.get(c, len(_ALPHABET))] += 1
    return tuple(counts)


class _Title(NamedTuple):
    text: str
    words: frozenset[str]
    numbers: tuple[str, ...]  # in order: "2.5.2" and "2.2.5" differ
    chars: tuple[int, ...]  # how often each character of _ALPHABET occurs, the rest counted together


def _title(title: str) -> _Title:
    text = normalise_title(title)
    words = text.split()
    return _Title(text, frozenset(words), tuple(w for w in words if any(c.isdigit() for c in w)), _counts(text))


def _upper_bound(a: _Title, b: _Title) -> float:
    """At least difflib's quick_ratio (characters in common, in any order), from counts made once a title;
    counting the characters outside _ALPHABET together can only raise it, so it stays an upper bound."""
    common = sum(map(min, a.chars, b.chars))
    return 2.0 * common / (len(a.text) + len(b.text))


def _similar(a: _Title, b: _Title, threshold: float, matcher: Optional[SequenceMatcher[str]] = None) -> Optional[float]:
    """The ratio when ``b`` is similar to item ``a`` by the rule above, else None.

    ``matcher``, if given, already holds ``b.text`` as its second sequence (difflib caches what it learnt of it).
    """
    if not a.text or not b.text or a.numbers != b.numbers:
        return None
    if 2 * len(a.words & b.words) < len(a.words):
        return None
    shorter, longer = sorted((len(a.text), len(b.text)))
    if 2.0 * shorter / (shorter + longer) < threshold or _upper_bound(a, b) < threshold:
        return None
    if matcher is None:
        matcher = SequenceMatcher(None, a.text, b.text, autojunk=False)
    else:
        matcher.set_seq1(a.text)
    ratio = matcher.ratio()
    return ratio if ratio >= threshold else None


class SimilarIndex:
    """The hand-filed open issues, indexed by their numbers and title words."""

    def __init__(self, remote: Iterable[RemoteRef], threshold: float) -> None:
        self._refs = [r for r in remote if r.open and not r.fingerprint]
        self._titles = [_title(r.title) for r in self._refs]
        self._threshold = threshold
        self._matchers: dict[int, SequenceMatcher[str]] = {}
        self._postings: dict[tuple[tuple[str, ...], str], list[int]] = {}
        for index, title in enumerate(self._titles):
            for word in title.words:
                self._postings.setdefault((title.numbers, word), []).append(index)

    def most_similar(self, title: str) -> Optional[RemoteRef]:
        """The hand-filed issue most similar to ``title`` (the first listed on a tie), if any."""
        item = _title(title)
        best: Optional[tuple[float, int]] = None
        for index in sorted(self._candidates(item)):
            ratio = _similar(item, self._titles[index], self._threshold, self._matcher(index))
            if ratio is not None and (best is None or ratio > best[0]):
                best = (ratio, index)
        return self._refs[best[1]] if best is not None else None

    def _matcher(self, index: int) -> SequenceMatcher[str]:
        matcher = self._matchers.get(index)
        if matcher is None:
            matcher = self._matchers[index] = SequenceMatcher(None, "", self._titles[index].text, autojunk=False)
        return matcher

    def _candidates(self, item: _Title) -> set[int]:
        keys = sorted(((item.numbers, w) for w in item.words), key=lambda k: (len(self._postings.get(k, ())), k[1]))
        needed = (len(keys) + 1) // 2
        found: set[int] = set()
        for key in keys[: len(keys) - needed + 1]:
            found.update(self._postings.get(key, ()))
        return found


def most_similar_naive(title: str, remote: Sequence[RemoteRef], threshold: float) -> Optional[RemoteRef]:
    """The same rule without the index: every hand-filed open issue compared (for the benchmark)."""
    item = _title(title)
    best: Optional[tuple[float, RemoteRef]] = None
    for ref in remote:
        if ref.open and not ref.fingerprint:
            ratio = _similar(item, _title(ref.title), threshold)
            if ratio is not None and (best is None or ratio > best[0]):
                best = (ratio, ref)
    return best[1] if best is not None else None
