"""The fast paths of extraction give what the plain forms they replace give."""

from __future__ import annotations

import dataclasses
import os
import re
import unicodedata
from pathlib import Path, PurePath

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import notes2tickets.extract as extract
from notes2tickets.errors import InputError
from notes2tickets.extract import metadata, owners, syntax
from notes2tickets.extract.dedup import _replace, make_item
from notes2tickets.extract.reader import name_and_suffix
from notes2tickets.extract.fingerprint import normalise_title
from notes2tickets.model import ActionItem, Meeting

# Characters where the fast forms could differ: Unicode spaces, the letters IGNORECASE folds
# specially ("\u0131", "\u017f", "\u0130", Kelvin), the punctuation _tidy moves, status emoji.
_TRICKY = " \t\n\r\x0b\x0c\x1c\u00a0\u2003,.;:!?-|\u2013\u0130\u0131\u017f\u212a\u2705\u2714\u2611"
_TEXT = st.text(alphabet=st.sampled_from(list(_TRICKY + "abdeginoprstwDONEIS")), max_size=30) | st.lists(
    st.sampled_from(["done", "DONE", "\u017ftill", "ongo\u0131ng", "in progress", "wip", " , ", " . ", "x"]),
    max_size=6,
).map(" ".join)

_OLD_STATUS = re.compile(r"done|carr|still|ongoing|progress|wip|again|contin|repeat|pending|\u2705|\u2714|\u2611", re.I)


def _old_tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"\s+([,.;:!?])", r"\1", text).strip(metadata._SEPARATORS + ":")


@given(_TEXT)
def test_tidy_is_the_regex_form(text: str) -> None:
    """Collapsing whitespace with str.split gives what the \\s+ regexes gave."""
    assert metadata._tidy(text) == _old_tidy(text)


@given(_TEXT)
def test_status_prefilter_is_the_regex_form(text: str) -> None:
    """The ASCII shortcut for status words says what the IGNORECASE regex says."""
    assert metadata._maybe_status(text) == bool(_OLD_STATUS.search(text))


def test_replace_is_dataclasses_replace() -> None:
    """dedup's replace gives the item dataclasses.replace gives, and refuses unknown fields."""
    item = ActionItem(title="Fix it", path="n.md", line=3, fingerprint="f", assignees=("bob",), meeting=Meeting("M"))
    changes = {"fingerprint": "g", "aliases": ("a", "b"), "base": "h", "line": 4}
    fast, slow = _replace(item, **changes), dataclasses.replace(item, **changes)
    assert fast == slow and dataclasses.asdict(fast) == dataclasses.asdict(slow) and hash(fast) == hash(slow)
    assert item.fingerprint == "f"  # the original is untouched
    with pytest.raises(TypeError, match="no field"):
        _replace(item, owner="bob")


def test_make_item_is_the_constructor() -> None:
    """make_item gives the item ActionItem(...) gives, defaults included, and refuses unknown or missing fields."""
    fields = {"title": "Fix it", "path": "n.md", "line": 3, "fingerprint": "f", "assignees": ("bob",), "due": "2024-01-02"}
    fast, slow = make_item(**fields), ActionItem(**fields)
    assert fast == slow and dataclasses.asdict(fast) == dataclasses.asdict(slow) and hash(fast) == hash(slow)
    assert make_item(**fields, meeting=Meeting("M")) == ActionItem(**fields, meeting=Meeting("M"))
    with pytest.raises(TypeError, match="unknown \\['owner'\\]"):
        make_item(**fields, owner="bob")
    with pytest.raises(TypeError, match="missing \\['line'\\]"):
        make_item(title="Fix it", path="n.md", fingerprint="f")


def test_action_item_has_no_init_work() -> None:
    """_replace skips __init__: that is only right while ActionItem has no __post_init__ and no slots."""
    assert not hasattr(ActionItem, "__post_init__") and not hasattr(ActionItem, "__slots__")


_MARKER_TEXT = st.lists(
    st.sampled_from(["ACTION", "action", "Action item", "AI", "ai", "TODO", "todo", "To-do", "to do", "#action", "!Action",
                     "(TODO)", "[Action - Ann]", "[action item: Bo]", "**", "__", "*", "_", " ", "\t", ":", " - ", "(Ann)",
                     "@ann:", "x", "item to", "Fix it", "\u2013", ")"]),
    max_size=6,
).map("".join)


@given(_MARKER_TEXT)
@example("(TODO) fix it")
@example("**[Action - Ann]** fix it")
@example(" #action fix it")
@example("  _TODO_: fix it")
def test_marker_prefilter_is_the_regex(text: str) -> None:
    """match_marker finds a marker exactly where RAW_MARKER does."""
    fast, slow = syntax.match_marker(text), syntax.RAW_MARKER.match(text)
    assert (fast and fast.span()) == (slow and slow.span())


def _unicode_normalise(title: str) -> str:
    return re.sub(r"[\W_]+", " ", unicodedata.normalize("NFKC", title).casefold()).strip()


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
def test_ascii_normalise_is_the_unicode_form(title: str) -> None:
    """normalise_title's ASCII path gives what NFKC, casefold and the regex give."""
    assert normalise_title.__wrapped__(title) == _unicode_normalise(title)


def test_resolve_without_aliases_is_the_alias_path() -> None:
    """Without an alias map, owners resolve as through an alias map that maps nobody."""
    names = ("@Anna", "bob", "@tflink:fedora.im", "Bob", "bob")
    assert owners.resolve(names, {}) == owners.resolve(names, {"somebody": "else"}) == ("Anna", "bob", "tflink", "Bob")


_PATH_PART = st.sampled_from(["a", "a.md", "N.MD", ".md", "a.", "..", ".", "x.tar.gz", "b..md", "no.te.Markdown", " .md", "a.md "])


@given(st.lists(_PATH_PART, min_size=1, max_size=4), st.sampled_from(["", "/", "./"]), st.sampled_from(["", "/", "//"]))
def test_name_and_suffix_is_purepath(parts: list[str], lead: str, trail: str) -> None:
    """The string form of a path's name and suffix is what PurePath says."""
    path = lead + "/".join(parts) + trail
    pure = PurePath(path)
    assert name_and_suffix.__wrapped__(path) == (pure.name, pure.suffix.lower())


def _deep_line_slow(text: str) -> int | None:
    """The first too-deep line by the two exact regexes alone, without the prefilter."""
    first = extract._TOO_DEEP_FIRST.match(text)
    if first is not None:
        return 1
    later = extract._TOO_DEEP_LATER.search(text)
    return None if later is None else text.count("\n", 0, later.start() + 1) + 1


_DEEP_LINES = st.sampled_from([
    "text", "- item", "-" * 150, "1. " * 60, "> " * 120 + "quote", "- " * 101 + "x", "- " * 100 + "x",
    " " * 400 + "code", "\t" * 100 + "x", "> - " * 51 + "x", "1) " * 101 + "x", ">" * 101 + "x", ">" * 100 + "x", "",
])


@given(st.lists(_DEEP_LINES, min_size=1, max_size=6))
def test_nesting_prefilter_is_the_regex(lines: list[str]) -> None:
    """The cheap prefilter never hides a too-deep line: the same line is refused as by the exact regexes."""
    text = "\n".join(lines) + "\n"
    expected = _deep_line_slow(text)
    if expected is None:
        extract._check_nesting(text, "n.md")
    else:
        with pytest.raises(InputError, match=f"^n.md: line {expected} nests"):
            extract._check_nesting(text, "n.md")
