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


class _Title(NamedTuple):
    text: str
    words: frozenset[str]
    numbers: tuple[str, ...]  # in order: "2.5.2" and "2.2.5" differ


def _title(title: str) -> _Title:
    text = normalise_title(title)
    words = text.split()
    return _Title(text, frozenset(words), tuple(w for w in words if any(c.isdigit() for c in w)))


def similar(a: _Title, b: _Title, threshold: float) -> Optional[float]:
    """The ratio when ``b`` is similar to item ``a`` by the rule above, else None."""
    if not a.text or not b.text or a.numbers != b.numbers:
        return None
    if 2 * len(a.words & b.words) < len(a.words):
        return None
    matcher = SequenceMatcher(None, a.text, b.text, autojunk=False)
    if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
        return None
    ratio = matcher.ratio()
    return ratio if ratio >= threshold else None


class SimilarIndex:
    """The hand-filed open issues, indexed by title word."""

    def __init__(self, remote: Iterable[RemoteRef], threshold: float) -> None:
        self._refs = [r for r in remote if r.open and not r.fingerprint]
        self._titles = [_title(r.title) for r in self._refs]
        self._threshold = threshold
        self._postings: dict[str, list[int]] = {}
        for index, title in enumerate(self._titles):
            for word in title.words:
                self._postings.setdefault(word, []).append(index)

    def most_similar(self, title: str) -> Optional[RemoteRef]:
        """The hand-filed issue most similar to ``title`` (the first listed on a tie), if any."""
        item = _title(title)
        best: Optional[tuple[float, int]] = None
        for index in sorted(self._candidates(item)):
            ratio = similar(item, self._titles[index], self._threshold)
            if ratio is not None and (best is None or ratio > best[0]):
                best = (ratio, index)
        return self._refs[best[1]] if best is not None else None

    def _candidates(self, item: _Title) -> set[int]:
        words = sorted(item.words, key=lambda w: (len(self._postings.get(w, ())), w))
        needed = (len(words) + 1) // 2
        found: set[int] = set()
        for word in words[: len(words) - needed + 1]:
            found.update(self._postings.get(word, ()))
        return found


def most_similar_naive(title: str, remote: Sequence[RemoteRef], threshold: float) -> Optional[RemoteRef]:
    """The same rule without the index: every hand-filed open issue compared (for the benchmark)."""
    item = _title(title)
    best: Optional[tuple[float, RemoteRef]] = None
    for ref in remote:
        if ref.open and not ref.fingerprint:
            ratio = similar(item, _title(ref.title), threshold)
            if ratio is not None and (best is None or ratio > best[0]):
                best = (ratio, ref)
    return best[1] if best is not None else None
