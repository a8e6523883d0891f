"""Markers met in real notes: bracketed words, status suffixes, owners in brackets, markers inside prose."""

from __future__ import annotations

from notes2tickets.extract import extract_text


def _items(text: str) -> list[tuple[int, str, tuple[str, ...], bool]]:
    return [(item.line, item.title, item.assignees, item.done) for item in extract_text(text, path="notes.md")]


def test_bracketed_todo_prefix() -> None:
    """`(TODO) text` is marked; a trailing `(SA, next two weeks)` is an owner and when; `(CW? JL?)` tentative owners."""
    text = "* Topics\n    * (TODO) write the CEP (SA, next two weeks)\n    * (TODO) ask the vendor (CW? JL?)\n"
    assert _items(text) == [(2, "Write the CEP (next two weeks)", ("SA",), False), (3, "Ask the vendor", ("CW", "JL"), False)]


def test_todo_with_owner_in_brackets() -> None:
    """`TODO (Name) text` and `**TODO (Name)** text` name the owner without a colon."""
    assert _items("TODO (Anna) fix the mirror\n\n- **TODO (Bo)** rotate keys\n") == [
        (1, "Fix the mirror", ("Anna",), False), (3, "Rotate keys", ("Bo",), False)]


def test_action_with_owner_in_square_brackets() -> None:
    """`[Action - X] text` names X."""
    assert _items("- [Action - Kim] update the wiki\n") == [(1, "Update the wiki", ("Kim",), False)]


def test_status_suffixes() -> None:
    """`(todo)` marks an open item, `(done)` / `(done: …)` a done one; the status leaves the title."""
    text = "1. Rebuild the board (todo)\n1. Ask infra again (done)\n1. Pick a channel (done: agreed on chat)\n1. Plain topic\n"
    assert _items(text) == [
        (1, "Rebuild the board", (), False), (2, "Ask infra again", (), True), (3, "Pick a channel", (), True)]


def test_action_item_to_inside_a_sentence() -> None:
    """"… Action item to …" starts an item in the middle of a line; "action item" as a noun does not."""
    text = "**DC:** We could use a panel. Action Item to organise the panel.\n\nWe reviewed the action items.\n"
    assert _items(text) == [(1, "Organise the panel", (), False)]


def test_speaker_paragraph_in_action_section() -> None:
    """`**SH:** task` paragraphs under an action heading are items owned by the speaker."""
    text = "## New Action Items\n**SH:** Connect the two working groups.\n\n## Next meeting\n**SH:** Not an item.\n"
    assert _items(text) == [(2, "Connect the two working groups", ("SH",), False)]


def test_capitalised_task_before_dash_is_no_owner() -> None:
    """`Rebuild JIRA - now …` starts with a task and a product name, not a person."""
    assert _items("- Rebuild JIRA - groom the tasks (todo)\n") == [(1, "Rebuild JIRA - groom the tasks", (), False)]
