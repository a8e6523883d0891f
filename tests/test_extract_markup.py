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
