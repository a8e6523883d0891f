"""`line` is exact: nested lists, setext sections, front matter, CRLF, CR, BOM, repeated text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from notes2tickets.extract import extract_text
from notes2tickets.extract.positions import split_lines

NESTED = """\
# Title

- top
  - middle
    - [ ] deep task
      1. TODO: numbered deeper
> - [ ] quoted, skipped
- [ ] back at top
"""


def _lines(text: str, path: str = "n.md") -> list[tuple[int, str]]:
    return [(item.line, item.title) for item in extract_text(text, path=path)]


def test_nested_list_lines() -> None:
    """Items deep inside nested lists report their own line."""
    assert _lines(NESTED) == [(5, "Deep task"), (6, "Numbered deeper"), (8, "Back at top")]


def test_setext_section_lines() -> None:
    """Items under a setext heading (underline line included) report exact lines."""
    assert _lines("Notes\n=====\n\nAction Items\n------------\n* a b\n* c d\n") == [(6, "A b"), (7, "C d")]


def test_front_matter_offset() -> None:
    """Front matter lines count."""
    assert _lines("---\ntitle: x\ntags: [a]\n---\n\n- [ ] after front matter\n") == [(6, "After front matter")]


def test_crlf_cr_and_bom() -> None:
    """CRLF, lone CR line ends and a BOM do not shift lines."""
    assert _lines("\ufeff# T\r\n\r\n- [ ] one\r\n- [ ] two\r\n") == [(3, "One"), (4, "Two")]
    assert _lines("# T\r\r- [ ] one\r") == [(3, "One")]


def test_same_text_in_code_before_item() -> None:
    """Identical text inside an earlier code block or quote does not steal the line."""
    text = "```\n- [ ] same\n```\n> - [ ] same\n\n    - [ ] same\n\n- [ ] same\n"
    assert _lines(text) == [(8, "Same")]


def test_repeated_titles_get_their_own_lines() -> None:
    """Two items with the same first words are located in order."""
    assert _lines("- [ ] fix a\n- [ ] fix a b\n- [ ] fix a\n") == [(1, "Fix a"), (2, "Fix a b")]


def test_quote_cut_short_by_a_list() -> None:
    """mistune emits a quote interrupted by a list after that list; lines stay right and in the file."""
    text = "> - [ ] quoted\n- [ ] task one\n# H\n- [ ] task two\n"
    assert _lines(text) == [(2, "Task one"), (4, "Task two")]


def test_item_in_loose_list_and_after_html() -> None:
    """Loose lists, HTML blocks and wrapped paragraphs keep lines exact."""
    text = "<div>\nx\n</div>\n\n- [ ] first\n\n- [ ] second\n  wrapped line\n\nPara\nACTION: third\n"
    assert _lines(text) == [(5, "First"), (7, "Second wrapped line"), (11, "Third")]


_MD_LINES = st.lists(
    st.sampled_from([
        "", "# H", "## Action items", "Action Items", "------------", "- [ ] task one", "  - [x] nested two",
        "* ACTION: nick to do three", "```", "    code", "> - [ ] quoted\n", "1. [ ] numbered four",
        "**Action items:**", "- plain bullet", "\tindented tab", "<!-- c -->", "TODO: five", "---",
        "- [ ] ~~struck~~ kept", "text with [link](http://x/issue/4)", "- nick: six (#12)",
    ]),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(_MD_LINES, st.sampled_from(["\n", "\r\n"]))
def test_every_line_holds_its_item(rows: list[str], newline: str) -> None:
    """Every reported line is inside the file and contains the start of the item's text."""
    text = newline.join(rows)
    lines = split_lines(text)
    for item in extract_text(text, path="p.md"):
        assert 1 <= item.line <= len(lines)
        first_word = item.title.split()[0].rstrip("\u2026").lower()
        start = lines[item.line - 1]
        # The item starts on a non-blank line; its first title word is there, or on the
        # wrapped next line when struck-through words or an owner phrase came first.
        assert start.strip(), (item, lines)
        window = " ".join(lines[item.line - 1 : item.line + 1]).lower()
        assert first_word in window or item.assignees, (item, lines)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_text_never_crashes(text: str) -> None:
    """Any text gives a list of items whose lines lie within the file."""
    count = len(split_lines(text))
    for item in extract_text(text, path="a.md"):
        assert 1 <= item.line <= count


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="-*+>#[]x \n\t`~_!:0123456789.ACTION@()", max_size=300))
def test_markup_soup_never_crashes(text: str) -> None:
    """Markdown-heavy random text never crashes, also as plain-text minutes."""
    count = len(split_lines(text))
    for path in ("a.md", "a.txt"):
        for item in extract_text(text, path=path):
            assert 1 <= item.line <= count
