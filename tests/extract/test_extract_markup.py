"""Other markup SIGs paste in: reStructuredText and wiki-style minutes, read line for line."""

from __future__ import annotations

from notes2tickets.extract import extract_text


def _items(text: str, path: str = "notes.rst") -> list[tuple[int, str, tuple[str, ...]]]:
    return [(item.line, item.title, item.assignees) for item in extract_text(text, path=path)]


RST = """SIG meeting, week 3
###################
:date: 2024-01-19
:author: someone

.. figure:: logo.png
   :alt: logo

Action items
------------

#. **jdoe** update the `packaging guide <https://example.org/guide>`__
   for the new macros
#. **amy** review ``foo.spec``

Other news
----------

#. Medical practitioners

.. _a target: https://example.org/
"""


def test_rst_auto_numbered_list_under_underlined_heading() -> None:
    """`#.` items under an underlined "Action items" heading are items, on their own lines."""
    assert _items(RST) == [(12, "Update the packaging guide for the new macros", ("jdoe",)), (14, "Review foo.spec", ("amy",))]


def test_rst_read_by_content_in_a_markdown_file() -> None:
    """A `.md` file showing reStructuredText constructs (`####` underline, directives) is read as such."""
    assert _items(RST, path="notes.md") == _items(RST)


def test_rst_heading_levels_end_sections() -> None:
    """A heading with the same underline ends the action section."""
    text = "Actions\n=======\n\n- fix the mirror\n\nLater\n=====\n\n- not an item\n"
    assert _items(text) == [(4, "Fix the mirror", ())]


def test_plain_action_items_line_before_a_list() -> None:
    """A paragraph that is only "Action items" (no heading markup) opens the list below it."""
    text = "Summary\n- talked\n\nAction items\n- bob to file the bug\n\nMore text.\n\n- not an item\n"
    assert _items(text, path="n.md") == [(5, "File the bug", ("bob",))]


WIKI = """= #fedora-meeting: QA =

Meeting started by adamw at 15:00:20 UTC.

== Meeting summary ==
* '''Blocker review''' (adamw, 15:00:33)
** ''ACTION:'' kparal update the [[QA:Testcase_foo|test case]] (adamw, 15:10:00)

== Action items ==
* kparal update the test case
# fix the numbered lists

== People present (lines said) ==
* adamw (100)
* kparal (40)
"""


def test_wiki_minutes() -> None:
    """MeetBot's MediaWiki minutes: `== Action items ==`, `**` nesting, `''ACTION:''`; repeats merge."""
    found = extract_text(WIKI, path="minutes.mw")
    assert [(i.line, i.title, i.assignees) for i in found] == [
        (7, "Update the test case", ("kparal",)), (11, "Fix the numbered lists", ())]


def test_wiki_markup_detected_by_content() -> None:
    """The same minutes in a `.txt` or `.md` file are read as wiki markup."""
    assert _items(WIKI, path="minutes.txt") == _items(WIKI, path="minutes.mw") == _items(WIKI, path="m.md")


def test_wiki_headings_in_markdown() -> None:
    """A Markdown file using `== Actions ==` lines as headings gets an action section; nothing else changes."""
    text = "# Notes\n\n== Actions ==\n\n* ACTION: bob to file the bug\n* alice to ping upstream\n\n== Other ==\n\n* not an item\n"
    assert _items(text, path="n.md") == [(5, "File the bug", ("bob",)), (6, "Ping upstream", ("alice",))]
