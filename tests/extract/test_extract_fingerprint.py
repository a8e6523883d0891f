"""Fingerprints: normalised title only, stable under formatting, owner and metadata edits."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from notes2tickets.extract import extract_text, fingerprint, normalise_title


def _fp(line: str) -> str:
    items = extract_text(line + "\n", path="n.md")
    assert len(items) == 1, (line, items)
    return items[0].fingerprint


def test_normalise_title_rules() -> None:
    """Case, whitespace, markup, punctuation and emoji are folded away."""
    assert normalise_title("  **Rebuild**   the `KIWI` images!! ✅ ") == "rebuild the kiwi images"
    assert normalise_title("Größe   prüfen — ﬁx") == "grösse prüfen fix"


def test_fingerprint_format() -> None:
    """16 lower-case hex digits of sha256 over the normalised title."""
    assert fingerprint("Rebuild the KIWI images") == "bb9c559679a1fc0a"
    assert re.fullmatch(r"[0-9a-f]{16}", fingerprint("x"))
    assert fingerprint("Rebuild the KIWI images.") == fingerprint("rebuild  the kiwi IMAGES")


def test_same_action_in_many_spellings() -> None:
    """Formatting, owner, marker, metadata and status changes keep the fingerprint."""
    spellings = [
        "- [ ] neal to rebuild the KIWI images",
        "- [x] Rebuild the **KIWI** images.",
        "ACTION: davide to rebuild the KIWI images (carried over)",
        "- [ ] @michel rebuild the _KIWI_ images tags: kiwi due: 2022-09-30",
        "* **Action:** Neal: Rebuild  the KIWI   images! (#83)",
        "- [ ] rebuild the KIWI images (owner: anita) priority: high",
        "TODO(neal): rebuild the `KIWI` images [private]",
    ]
    assert {_fp(s) for s in spellings} == {fingerprint("Rebuild the KIWI images")}


def test_different_actions_differ() -> None:
    """A changed word is a different action."""
    assert _fp("- [ ] rebuild the KIWI images") != _fp("- [ ] rebuild the KIWI docs")


_WORDS = st.lists(st.sampled_from(["rebuild", "kiwi", "images", "test", "btrfs", "journal", "size", "docs"]),
                  min_size=2, max_size=6)


@settings(max_examples=200, deadline=None)
@given(
    _WORDS,
    st.sampled_from(["", "**", "_", "*"]),
    st.sampled_from(["", ".", "!", "...", " ;"]),
    st.sampled_from(["", "neal to ", "@davide ", "Anita: ", "[ngompa] "]),
    st.sampled_from(["", " (michel)", " tags: a, b", " due: 2022-01-31", " (#4)", " (done)"]),
    st.booleans(),
    st.booleans(),
)
def test_fingerprint_stable_under_formatting(
    words: list[str], emphasis: str, punct: str, owner: str, suffix: str, upper: bool, spaces: bool
) -> None:
    """Bold/italics, case, extra spaces, trailing punctuation, owners and metadata do not matter."""
    core = " ".join(words)
    edited = ("  " if spaces else " ").join(w.upper() if upper else w for w in words)
    if emphasis:
        edited = f"{emphasis}{edited}{emphasis}"
    assert _fp(f"- [ ] {owner}{edited}{punct}{suffix}") == _fp(f"- [ ] {core}")
