"""What is not an action item although it looks like one, and repeats within one file."""

from __future__ import annotations

from notes2tickets.extract import extract_text


def _items(text: str) -> list[tuple[int, str, tuple[str, ...]]]:
    return [(item.line, item.title, item.assignees) for item in extract_text(text, path="notes.md")]


def test_ownerless_question_in_action_list_is_no_item() -> None:
    """A question stays a question; a question put to a named person is their task; "Ask …?" is a task."""
    text = "## Action items\n\n- Are we shipping one package?\n- Jack: What is our absence policy?\n- Ask upstream about 1.0?\n"
    assert _items(text) == [(4, "What is our absence policy?", ("Jack",)), (5, "Ask upstream about 1.0?", ())]


def test_same_marked_text_under_two_topics_is_two_items() -> None:
    """`AI: update the repo` after two different proposals is two actions (one per topic)."""
    text = "## Proposal A\n\nAI: update the repo\n\n## Proposal B\n\nAI: update the repo\n"
    assert [line for line, _, _ in _items(text)] == [3, 7]


def test_repeat_in_action_section_wins_over_group_label() -> None:
    """The same action under a "Follow ups:" label and later under "Action items" is kept at the listing."""
    text = "## Notes\n\n- cadence\n    - Follow ups:\n        - Jack: check the policy\n\n## Action items\n\n- Jack: check the policy\n"
    assert _items(text) == [(9, "Check the policy", ("Jack",))]


def test_meetbot_repeats_are_still_one_item() -> None:
    """An ACTION line in the summary and again in the Action items block is one item, at the first line."""
    text = "Meeting summary\n---\n\n* ACTION: bob to fix it (alice, 10:00:00)\n\nAction items\n------------\n* bob to fix it\n"
    assert _items(text) == [(4, "Fix it", ("bob",))]


def test_restated_action_is_one_item() -> None:
    """A TODO in the discussion restated shorter in the action list is one item, at the first line."""
    text = "## Notes\n\n- TODO: update the SLEP for n_features_in_ to cite the issue\n\n## Action items\n\n- Update the SLEP010 for n_features_in_\n- Review PR 124\n\n## More\n\n- TODO: review PR 123 soon\n"
    assert _items(text) == [(3, "Update the SLEP for n_features_in_ to cite the issue", ()), (8, "Review PR 124", ()), (12, "Review PR 123 soon", ())]


def test_remarks_are_not_tasks() -> None:
    """"Note that …" under a task label is an observation."""
    text = "- data task:\n    - file an issue\n    - Note that the logs lack repo names\n"
    assert _items(text) == [(2, "File an issue", ())]


def test_marked_question_is_a_request() -> None:
    """`ACTION: can someone look at the failing test?` is marked: an item, question or not."""
    assert _items("ACTION: can someone look at the failing test?\n") == [(1, "Can someone look at the failing test?", ())]
