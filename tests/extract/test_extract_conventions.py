"""Every convention and every field of extraction, with exact values."""

from __future__ import annotations

from notes2tickets.extract import extract_text
from notes2tickets.model import ExtractOptions


def _items(text: str, **options: object) -> list[tuple[int, str, tuple[str, ...]]]:
    found = extract_text(text, path="notes.md", options=ExtractOptions(**options))  # type: ignore[arg-type]
    return [(item.line, item.title, item.assignees) for item in found]


def _one(text: str):  # type: ignore[no-untyped-def]
    found = extract_text(text, path="notes.md")
    assert len(found) == 1, found
    return found[0]


def test_open_and_done_task_items() -> None:
    """`- [ ]` is open, `- [x]`/`- [X]` are done, anywhere in the document."""
    found = extract_text("# M\n\nSome text\n\n- [ ] open one\n- [x] closed one\n- [X] closed two\n", path="n.md")
    assert [(i.line, i.title, i.done) for i in found] == [
        (5, "Open one", False), (6, "Closed one", True), (7, "Closed two", True)]


def test_action_section_top_level_items() -> None:
    """Top-level items of an action section are items; nested plain bullets are the description."""
    found = extract_text("## Action items\n\n- neal to rebuild\n  - details here\n- davide to test\n", path="n.md")
    assert [(i.line, i.title, i.assignees, i.description) for i in found] == [
        (3, "Rebuild", ("neal",), "- details here"), (5, "Test", ("davide",), "")]


def test_section_ends_at_same_level_heading() -> None:
    """The action section stops at the next heading of the same or higher level."""
    text = "## Next steps\n\n- write docs\n\n### Sub\n\n- still in\n\n## Other\n\n- not an item\n"
    assert _items(text) == [(3, "Write docs", ()), (7, "Still in", ())]


def test_prefixed_and_suffixed_headings() -> None:
    """'New action items' and 'Action items from last meeting' name action sections."""
    text = "# New action items\n- a thing\n# Action items from last meeting\n- b thing\n# Notes\n- c thing\n"
    assert _items(text) == [(2, "A thing", ()), (4, "B thing", ())]


def test_each_heading_word() -> None:
    """Every default heading phrase opens a section."""
    for heading in ("Actions", "AIs", "TODO", "To do", "Todos", "Next steps", "Follow-ups", "Followups",
                    "Work items", "Tasks", "Action items"):
        assert _items(f"## {heading}\n\n- fix it\n") == [(3, "Fix it", ())], heading


def test_setext_action_section() -> None:
    """A setext 'Action Items' heading underlined with dashes opens a section."""
    assert _items("Intro\n\nAction Items\n------------\n* nirik to ping\n") == [(5, "Ping", ("nirik",))]


def test_bold_pseudo_heading() -> None:
    """A bold-only `**Action items:**` line before a list counts as a heading."""
    text = "Talk.\n\n**Action items:**\n- anita: check logs\n- davide: test\n\nMore prose.\n\n- not an item\n"
    found = extract_text(text, path="n.md")
    assert [(i.line, i.title, i.assignees, i.section) for i in found] == [
        (4, "Check logs", ("anita",), ("Action items",)), (5, "Test", ("davide",), ("Action items",))]


def test_pseudo_heading_list_item() -> None:
    """An 'Action items:' bullet with a nested list makes the nested items items."""
    assert _items("- Notes\n- Action items:\n  - neal to fix kiwi\n  - davide to test\n") == [
        (3, "Fix kiwi", ("neal",)), (4, "Test", ("davide",))]


def test_markers_in_paragraphs_and_items() -> None:
    """All marker spellings start items; each marker line of a paragraph is its own item."""
    text = ("ACTION: a one\nAction: a two\nAction item: a three\nAI: a four\nTODO: a five\n"
            "#action a six\n!action a seven\n\n- **Action:** a eight\n- *AI:* a nine\n")
    assert [title for _, title, _ in _items(text)] == [
        "A one", "A two", "A three", "A four", "A five", "A six", "A seven", "A eight", "A nine"]
    assert [line for line, _, _ in _items(text)] == [1, 2, 3, 4, 5, 6, 7, 9, 10]


def test_marker_owner_in_parentheses() -> None:
    """`TODO(nick):` names the owner."""
    assert _items("TODO(salimma): bump the spec\n") == [(1, "Bump the spec", ("salimma",))]


def test_prose_with_action_word_is_not_an_item() -> None:
    """'we took no action' and 'action items' mid-sentence are prose."""
    assert _items("We took no action on this.\nThe action items were reviewed: none.\n\n- review action\n") == []


def test_code_html_quotes_front_matter_never_extracted() -> None:
    """Code blocks, HTML blocks/comments, quotes and front matter hide markers and tasks."""
    text = ("---\ntitle: T\ntodo: not me\n---\n```\nACTION: no\n- [ ] no\n```\n\n    ACTION: indented\n\n"
            "<!-- ACTION: comment -->\n\n<div>\n- [ ] html\n</div>\n\n> ACTION: quoted\n> - [ ] quoted\n\n"
            "- [ ] real one\n")
    assert _items(text) == [(21, "Real one", ())]


def test_agenda_entries_are_not_items() -> None:
    """'Review action items' in an agenda is a topic, and agenda checkboxes are topics."""
    text = "## Agenda\n\n- Review action items\n- [ ] KIWI builds\n\n## Action items\n\n- [ ] Review action items\n- x to y\n"
    assert _items(text) == [(9, "Y", ("x",))]


def test_struck_items_dropped() -> None:
    """A whole item struck through is dropped, a partly struck title loses the struck words."""
    text = "- [ ] ~~old task~~\n- ~~ACTION: gone~~\n- [ ] keep ~~this~~ that\n"
    assert _items(text) == [(3, "Keep that", ())]


def test_nested_task_is_its_own_item() -> None:
    """A task nested in a plain bullet, or a marker nested in a task, is an item; a task's own
    checkboxes, plain nested bullets and paragraphs are its description."""
    text = "- [ ] parent task\n\n  More about it.\n\n  - a detail\n  - [ ] sub-step\n  - TODO: child task\n    - child detail\n"
    found = extract_text(text + "- topic\n  - [ ] nested task\n", path="n.md")
    assert [(i.line, i.title, i.description) for i in found] == [
        (1, "Parent task", "More about it.\n\n- a detail\n- [ ] sub-step"), (7, "Child task", "- child detail"),
        (10, "Nested task", "")]


def test_owner_forms() -> None:
    """@nick, nick:, **Name**:, [nick], nick to, nick will, a and b to, owner:, assignee:, (nick)."""
    cases = {
        "- [ ] @neal rebuild images": ("Rebuild images", ("neal",)),
        "- [ ] neal: rebuild images": ("Rebuild images", ("neal",)),
        "- [ ] **Neal Gompa**: rebuild images": ("Rebuild images", ("Neal Gompa",)),
        "- [ ] [neal] rebuild images": ("Rebuild images", ("neal",)),
        "- [ ] neal to rebuild images": ("Rebuild images", ("neal",)),
        "- [ ] neal will rebuild images": ("Rebuild images", ("neal",)),
        "- [ ] anita and davide to rebuild images": ("Rebuild images", ("anita", "davide")),
        "- [ ] rebuild images (owner: neal)": ("Rebuild images", ("neal",)),
        "- [ ] rebuild images owner: neal": ("Rebuild images", ("neal",)),
        "- [ ] rebuild images assignee: neal": ("Rebuild images", ("neal",)),
        "- [ ] rebuild images (neal)": ("Rebuild images", ("neal",)),
        "- [ ] ask @davide about images": ("Ask @davide about images", ("davide",)),
        "- [ ] @neal:fedora.im rebuild images": ("Rebuild images", ("neal",)),
        "- [ ] rebuild images @neal": ("Rebuild images", ("neal",)),
        "- [ ] rebuild images - @neal.": ("Rebuild images", ("neal",)),
    }
    for text, expected in cases.items():
        item = _one(text)
        assert (item.title, item.assignees) == expected, text


def test_words_that_are_not_owners() -> None:
    """Pronouns, verbs and acronyms before 'to'/':' or in parentheses are not owners."""
    for text, title in {
        "- [ ] We will rebuild images": "We will rebuild images",
        "- [ ] Remember to rebuild images": "Remember to rebuild images",
        "- [ ] Upgrade to systemd 252": "Upgrade to systemd 252",
        "- [ ] Note: images are big": "Note: images are big",
        "- [ ] Rebuild images (KIWI)": "Rebuild images (KIWI)",
        "- [ ] mail dev@example.org": "Mail dev@example.org",
    }.items():
        item = _one(text)
        assert (item.title, item.assignees) == (title, ()), text


def test_alias_map() -> None:
    """Written names map to tracker usernames through the alias map (lower-cased keys)."""
    aliases = {"davide": "dcavalca", "neal gompa": "ngompa", "@michel:matrix.org": "salimma"}
    text = "- [ ] Davide to test\n- [ ] **Neal Gompa**: build\n- [ ] @michel:matrix.org review\n"
    assert _items(text, aliases=aliases) == [
        (1, "Test", ("dcavalca",)), (2, "Build", ("ngompa",)), (3, "Review", ("salimma",))]


def test_metadata_tokens() -> None:
    """tags, due, priority, milestone and private are read and removed from the title."""
    item = _one('- [ ] ship it tags: kernel, systemd due: 2022-09-30 priority: high milestone: "CentOS 9" (private)')
    assert (item.title, item.tags, item.due, item.priority, item.milestone, item.private) == (
        "Ship it", ("kernel", "systemd"), "2022-09-30", "high", "CentOS 9", True)


def test_metadata_in_brackets_and_private_field() -> None:
    """Tokens may sit in a bracketed group; `private: yes` marks an item private."""
    item = _one("- [ ] ship it [tags: docs; due: 2022-10-01] private: yes milestone: F37")
    assert (item.title, item.tags, item.due, item.private, item.milestone) == (
        "Ship it", ("docs",), "2022-10-01", True, "F37")


def test_invalid_due_date_stays_in_title() -> None:
    """A due date that is not a real date is not taken."""
    item = _one("- [ ] ship it due: 2022-13-45")
    assert (item.title, item.due) == ("Ship it due: 2022-13-45", None)


def test_tracked_references() -> None:
    """`#83`, an issue URL, and a link to an issue set `tracked`; the reference leaves the title."""
    assert (_one("- [ ] fix kiwi (#83)").tracked, _one("- [ ] fix kiwi (#83)").title) == (83, "Fix kiwi")
    url = _one("- [ ] fix kiwi https://pagure.io/centos-sig-hyperscale/sig/issue/91")
    assert (url.tracked, url.title) == (91, "Fix kiwi")
    link = _one("- [ ] fix [kiwi](https://pagure.io/sig/issue/7)")
    assert (link.tracked, link.title) == (7, "Fix kiwi")
    assert _one("- [ ] fix kiwi").tracked is None


def test_done_and_carried_over_words() -> None:
    """'(done)' marks done; '(carried over)' is dropped so the fingerprint stays."""
    done = _one("## Action items\n- neal to fix kiwi (done)")
    carried = _one("## Action items\n- neal to fix kiwi (carried over)")
    plain = _one("## Action items\n- neal to fix kiwi")
    assert (done.done, done.title, carried.done, carried.title) == (True, "Fix kiwi", False, "Fix kiwi")
    assert done.fingerprint == carried.fingerprint == plain.fingerprint


def test_section_path_and_meeting() -> None:
    """`section` is the heading path; meeting title is the H1 and the date comes from the file name."""
    found = extract_text("# SIG sync\n\n## Topics\n\n### Btrfs\n\n- [ ] test zstd\n", path="notes/2022-08-16.md")
    assert (found[0].section, found[0].meeting.title, found[0].meeting.date) == (
        ("SIG sync", "Topics", "Btrfs"), "SIG sync", "2022-08-16")


def test_meeting_from_front_matter_and_h1_date() -> None:
    """Front matter title/date win; otherwise a date written in the H1 is used."""
    front = _one("---\ntitle: Board\ndate: 2022-09-07 15:00\n---\n# Other\n- [ ] x y\n")
    h1 = extract_text("# Meeting of August 16, 2022\n- [ ] x y\n", path="minutes.md")[0]
    assert (front.meeting.title, front.meeting.date, front.line) == ("Board", "2022-09-07", 6)
    assert (h1.meeting.title, h1.meeting.date) == ("Meeting of August 16, 2022", "2022-08-16")


def test_long_title_is_cut_with_full_text_in_description() -> None:
    """Titles over 255 characters are cut at a word boundary; the full text opens the description."""
    words = " ".join(f"word{n}" for n in range(80))
    item = _one(f"- [ ] {words}\n  - detail")
    assert len(item.title) <= 255 and item.title.endswith("\u2026")
    full = "Word0" + words[5:]
    assert item.title[:-1] == full[: len(item.title) - 1].rstrip()
    assert full[len(item.title) - 1] == " "  # cut at a word boundary
    assert item.description == f"{full}\n\n- detail"


def test_conventions_can_be_switched_off() -> None:
    """Each convention has its own switch."""
    text = "- [ ] task\n\nACTION: marked\n\n## Action items\n- sectioned\n"
    assert [t for _, t, _ in _items(text, task_lists=False)] == ["Marked", "Sectioned"]
    assert [t for _, t, _ in _items(text, markers=False)] == ["Task", "Sectioned"]
    assert [t for _, t, _ in _items(text, action_sections=False)] == ["Task", "Marked"]


def test_custom_section_headings() -> None:
    """A configured heading phrase replaces the defaults."""
    text = "## Besluiten\n- iets doen\n## Action items\n- other\n"
    assert _items(text, section_headings=("besluiten",)) == [(2, "Iets doen", ())]


def test_repeated_action_is_one_item() -> None:
    """The same action twice in one file with compatible owners is one item at its first line, owners merged."""
    text = "ACTION: neal to fix kiwi\n\n## Action items\n- neal and davide to fix KIWI.\n- fix kiwi\n"
    found = extract_text(text, path="n.md")
    assert [(i.line, i.title, i.assignees) for i in found] == [(1, "Fix kiwi", ("neal", "davide"))]


def test_same_words_for_different_owners_are_two_items() -> None:
    """The same words with different owners are two actions, each with its own fingerprint."""
    text = "ACTION: neal to fix kiwi\n\n## Action items\n- davide to fix KIWI.\n"
    found = extract_text(text, path="n.md")
    assert [(i.line, i.assignees) for i in found] == [(1, ("neal",)), (4, ("davide",))]
    assert found[0].fingerprint != found[1].fingerprint
    assert found[0].base == found[1].base is not None


def test_paragraph_lines_after_pseudo_heading() -> None:
    """'Action items:' followed by unbulleted lines makes each line an item."""
    assert _items("Action items:\nneal to fix kiwi\ndavide to test btrfs\n") == [
        (2, "Fix kiwi", ("neal",)), (3, "Test btrfs", ("davide",))]


def test_none_placeholders_are_not_items() -> None:
    """'None' or '(none)' under an action heading is not an item."""
    assert _items("## Action items\n- None\n- (none)\n- N/A\n") == []


def test_matrix_meetbot_bold_marker() -> None:
    """`**ACTION** @nick:server will …` (Matrix meetbot) names the localpart as owner."""
    assert _items("* **ACTION** @jednorozec:fedora.im will update the release notes\n") == [
        (1, "Update the release notes", ("jednorozec",))]


def test_table_in_action_section_one_item_per_row() -> None:
    """A table under an action heading: the action column is the title, owners, due, status and notes are read."""
    text = (
        "# Sync\n\n## Action items\n\n"
        "| Owner | Action | Due | Status | Notes |\n"
        "|-------|:-------|-----|--------|-------|\n"
        "| @anna, Bob | Update the **release** checklist | 2023-03-09 | | see #12 |\n"
        "| TBD | Write the migration guide \\| part 1 | next week | open | |\n"
        "| chen | Rotate the signing key | | Done | |\n"
        "| [unassigned] | Book the room | | | |\n"
        "| | | | | |\n\n"
        "Prose after the table.\n"
    )
    found = extract_text(text, path="n.md")
    assert [(i.line, i.title, i.assignees, i.due, i.done, i.description) for i in found] == [
        (7, "Update the release checklist", ("anna", "Bob"), "2023-03-09", False, "see #12"),
        (8, "Write the migration guide | part 1", (), None, False, ""),
        (9, "Rotate the signing key", ("chen",), None, True, ""),
        (10, "Book the room", (), None, False, ""),
    ]


def test_table_columns_named_by_header_only_where_it_says_action() -> None:
    """Outside an action section only a table with an "Action" column counts; a schedule table does not."""
    text = (
        "# Meetup\n\n| Time | Talk |\n|---|---|\n| 10:00 | Btrfs in Fedora |\n\n"
        "| Who | Action item |\n|---|---|\n| neal | Ship the KIWI profile |\n\n"
        "## Agenda\n\n| Action | Owner |\n|---|---|\n| Review action items | all |\n"
    )
    assert _items(text) == [(9, "Ship the KIWI profile", ("neal",))]


def test_table_after_bold_pseudo_heading_and_without_outer_pipes() -> None:
    """`**Action items:**` straight above a table, and a table written without the outer pipes."""
    text = "**Action items:**\nTask | Owner\n--- | ---\nfix the docs | davide\n"
    assert _items(text) == [(4, "Fix the docs", ("davide",))]


def test_table_conventions_switch_off_with_action_sections() -> None:
    """Tables belong to the action-section convention: switched off with it."""
    text = "## Action items\n\n| Action | Owner |\n|---|---|\n| fix it | neal |\n"
    assert _items(text, action_sections=False) == []


def test_leading_dash_owner_only_for_people() -> None:
    """`Bob - ping upstream` and `@anna - …` name owners; `systemd - release 252` and `Btrfs - Check` do not."""
    text = (
        "## Action items\n\n- Bob - ping upstream about the license\n- @anna \u2013 update the docs\n"
        "- Neal Gompa - review the spec\n- systemd - release 252 to updates\n- Btrfs - Check compression\n"
    )
    assert _items(text) == [
        (3, "Ping upstream about the license", ("Bob",)), (4, "Update the docs", ("anna",)),
        (5, "Review the spec", ("Neal Gompa",)), (6, "Systemd - release 252 to updates", ()),
        (7, "Btrfs - Check compression", ()),
    ]


def test_trailing_arrow_owner() -> None:
    """`… -> @nick`, `… => nick` and `… \u2192 Anna Smith` at the end name the owner."""
    text = "## Actions\n\n- update the wiki -> @smooge\n- rotate certs => kevin\n- book the room \u2192 Anna Smith\n"
    assert _items(text) == [(3, "Update the wiki", ("smooge",)), (4, "Rotate certs", ("kevin",)),
                            (5, "Book the room", ("Anna Smith",))]


def test_marker_then_mention_label() -> None:
    """`TODO @nick: text` and `Action @nick: text` are marked items owned by the mention."""
    text = "Notes.\n\nTODO @nirik: reboot the builders\n\nAction @bob:fedora.im: update the mirror list\n"
    assert _items(text) == [(3, "Reboot the builders", ("nirik",)), (5, "Update the mirror list", ("bob",))]


def test_owner_field_at_sentence_end_keeps_no_period() -> None:
    """`Owner: Bob.` names Bob, not "Bob."."""
    item = _one("- [ ] Do the release notes. Owner: Bob. Due: 2024-01-15\n")
    assert (item.title, item.assignees, item.due) == ("Do the release notes", ("Bob",), "2024-01-15")


def test_nested_bullets_that_are_one_token_set_fields() -> None:
    """`- Owner: bob` / `- Due: …` under an item set its fields and leave the description; other bullets stay."""
    text = (
        "## Action items\n\n1. Update the contributor docs\n   - Owner: bob\n   - Due: 2024-02-01.\n"
        "   - start with the FAQ\n   - see #12 for context\n"
    )
    item = _one(text)
    assert (item.title, item.assignees, item.due, item.tracked) == ("Update the contributor docs", ("bob",), "2024-02-01", None)
    assert item.description == "- start with the FAQ\n- see #12 for context"
