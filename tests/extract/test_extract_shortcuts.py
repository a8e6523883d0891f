"""The fast paths of extraction give what the plain forms they replace give."""

from __future__ import annotations

import dataclasses
import re
import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from notes2tickets.extract import metadata, owners, syntax
from notes2tickets.extract.dedup import _replace
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
