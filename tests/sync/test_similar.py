"""The near-duplicate rule: the word index decides exactly what comparing with every issue decides."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from notes2tickets.model import RemoteRef
from notes2tickets.sync.similar import SimilarIndex, most_similar_naive

_WORDS = st.sampled_from(["rebuild", "the", "kiwi", "images", "docs", "stream", "9", "10", "for", "centos", "update", "btrfs"])
_TITLES = st.lists(_WORDS, min_size=1, max_size=6).map(" ".join)


def _refs(titles: list[str]) -> list[RemoteRef]:
    return [RemoteRef(n, f"u/{n}", t, n % 5 != 0, "f" * 16 if n % 7 == 0 else None) for n, t in enumerate(titles, 1)]


@settings(max_examples=300, deadline=None)
@given(st.lists(_TITLES, max_size=30), st.lists(_TITLES, min_size=1, max_size=10), st.sampled_from([0.6, 0.8, 0.9]))
def test_index_agrees_with_comparing_every_issue(remote: list[str], items: list[str], threshold: float) -> None:
    """Same issue (or none) for every title, whatever the titles and threshold."""
    refs = _refs(remote)
    index = SimilarIndex(refs, threshold)
    assert [index.most_similar(t) for t in items] == [most_similar_naive(t, refs, threshold) for t in items]


def test_only_open_hand_filed_issues_with_the_same_numbers() -> None:
    """Closed issues, issues with a marker and issues with other numbers are never similar."""
    refs = [
        RemoteRef(1, "u/1", "Rebuild the KIWI images", False, None),
        RemoteRef(2, "u/2", "Rebuild the KIWI images", True, "0123456789abcdef"),
        RemoteRef(3, "u/3", "Rebuild the KIWI images for Stream 9", True, None),
        RemoteRef(4, "u/4", "Rebuild the KIWI image", True, None),
    ]
    index = SimilarIndex(refs, 0.9)
    assert index.most_similar("Rebuild the KIWI images for Stream 10") is None
    assert index.most_similar("Rebuild the KIWI images!") == refs[3]
