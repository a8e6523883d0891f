"""Markers and sections met in real notes: group labels, HackMD names, numbered rows, agenda-like headings."""

from __future__ import annotations

from notes2tickets.extract import extract_text


def _items(text: str) -> list[tuple[int, str, tuple[str, ...]]]:
    return [(item.line, item.title, item.assignees) for item in extract_text(text, path="notes.md")]


def test_group_label_with_extra_words() -> None:
    """A bullet "Next steps in order of priority:" opens the list below it; a question never does."""
    text = (
        "- Release is done\n    - Next steps in order of priority:\n        - write the changelog\n"
        "- Shadow program follow-ups?\n    - more members?\n    - forms rollout\n"
    )
    assert _items(text) == [(3, "Write the changelog", ())]


def test_task_label() -> None:
    """"dumping data task:" makes its first nested entries tasks; questions under it stay questions."""
    text = "- dumping data task:\n    - file an issue for it\n    - where do we keep the data?\n"
    assert _items(text) == [(2, "File an issue for it", ())]


def test_group_owners_from_done_by_label() -> None:
    """"Actionable steps to be done by @a and @b:" gives the nested tasks both owners."""
    text = "- Vote on priorities\n    - Actionable steps to be done by @ann and @bo:\n        - [ ] make the form\n"
    assert _items(text) == [(3, "Make the form", ("ann", "bo"))]


def test_hackmd_name_section_owner() -> None:
    """A bare `[name=X]` bullet is X's report: X owns its TODOs unless one names somebody else."""
    text = "- [name=Olivia]\n    - worked on docs\n    - TODO: review the SLEP\n    - TODO: bob to ping upstream\n- [name=Tim] Topic\n    - Action: talk next time\n"
    assert _items(text) == [(3, "Review the SLEP", ("Olivia",)), (4, "Ping upstream", ("bob",)), (6, "Talk next time", ())]


def test_code_identifier_is_no_owner() -> None:
    """`` `SomeClass`: … `` under an empty TODO is the subject, not an owner."""
    text = "- [name=Gus]\n    - TODO:\n        - `TunedClassifier`: finish the PR\n"
    assert _items(text) == [(3, "TunedClassifier: finish the PR", ("Gus",))]


def test_options_are_not_actions() -> None:
    """`Action:` lines under "possible actions:" are options."""
    text = "- topic\n    - Action: talk next week\n    - possible actions:\n        - Action: change the docs\n"
    assert _items(text) == [(2, "Talk next week", ())]


def test_bold_action_line_with_continued_numbering() -> None:
    """`3. **Action items**` then `7. …` rows (one paragraph to CommonMark): the rows at the list's depth are items."""
    text = "1. **Notes**\n    1. talked\n2. **Action Items/Questions**\n    3. compile a list\n        1. see the wiki\n    4. ask upstream\n"
    assert _items(text) == [(4, "Compile a list", ()), (6, "Ask upstream", ())]


def test_actions_heading_holding_agenda_topics() -> None:
    """Under "Actions", entries like "Decisions needed" are topics; "Next actions" inside opens a list."""
    text = (
        "## Actions\n\n1. Help or discussion needed\n    - open PRs\n        - TODO: reach out to CERN (Tim)\n"
        "1. Decisions needed\n    - release schedule\n2. Next actions (team)\n    - work toward the 0.9 release\n"
    )
    assert _items(text) == [(5, "Reach out to CERN", ("Tim",)), (9, "Work toward the 0.9 release", ())]


def test_subtasks_of_a_task_are_its_checklist() -> None:
    """`[ ]` items nested in a `[ ]` item are its checklist (description), not tickets."""
    found = extract_text("- Todo list\n    - [ ] write blog post\n        - [ ] get it out soon\n", path="n.md")
    assert [(i.line, i.title, i.description) for i in found] == [(2, "Write blog post", "- [ ] get it out soon")]


def test_topic_word_late_in_a_label_is_no_agenda() -> None:
    """Under "Action items", "Release updates" with nested owners' lines is still an item, not a topic."""
    found = extract_text("## Action items\n\n- Release updates\n    - bob to tag it\n", path="n.md")
    assert [(i.line, i.title, i.description) for i in found] == [(3, "Release updates", "- bob to tag it")]


def test_lazy_continuation_after_a_sentence_is_description() -> None:
    """An unindented line after the last item's full stop is a remark, not part of the title."""
    found = extract_text("### Next Steps\n- Follow up on the UI changes.\n[Minutes](http://x.org) are online.\n", path="n.md")
    assert [(i.line, i.title, i.description) for i in found] == [
        (2, "Follow up on the UI changes", "[Minutes](http://x.org) are online.")]


def test_help_task_is_no_topic() -> None:
    """"Help infra with the migration" under "Action items" is a task; "Help wanted" is a topic."""
    text = "## Action items\n\n- Help infra with the migration\n    - check logs\n- Help wanted\n    - docs\n"
    assert [(i.line, i.title) for i in extract_text(text, path="n.md")] == [(3, "Help infra with the migration")]
