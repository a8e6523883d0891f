"""Suggestions: unmarked commitments in the discussion, with owner and exact line, never in traps."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from notes2tickets.extract import extract_text, parse_paths, suggest_text
from notes2tickets.extract.commitments import find_commitments
from notes2tickets.model import ExtractOptions


def _found(text: str) -> list[tuple[int, tuple[str, ...], str]]:
    return [(c.line, c.owners, c.task) for c in find_commitments(text.split("\n"))]


def _suggested(text: str, path: str = "notes.md", **options: object) -> list[tuple[int, tuple[str, ...], str]]:
    opts = ExtractOptions(**options)  # type: ignore[arg-type]
    items = extract_text(text, path=path, options=opts)
    return [(s.line, s.assignees, s.title) for s in suggest_text(text, path=path, options=opts, items=items)]


def test_named_will_in_a_discussion_list() -> None:
    """ "Name will ..." in a bullet: the name owns the rest of the sentence, on that line."""
    notes = "# Sync\n\n## Website\n\n- The theme is ready\n    - Priya will open a PR with the new theme. It is big.\n"
    assert _found(notes) == [(6, ("Priya",), "open a PR with the new theme")]


def test_title_and_flag_of_a_suggested_item() -> None:
    """A suggestion is an ActionItem with suggested=True, titled like the explicit item would be."""
    notes = "# Sync\n\n- Priya will open a PR with the new theme\n"
    [item] = suggest_text(notes, path="n.md", options=ExtractOptions(), items=[])
    explicit = extract_text("# Sync\n\n- ACTION: Priya will open a PR with the new theme\n", path="n.md")[0]
    assert (item.suggested, item.title, item.assignees, item.line) == (True, explicit.title, ("Priya",), 3)
    assert item.fingerprint == explicit.fingerprint  # adding ACTION: later files the same ticket once


@pytest.mark.parametrize(
    ("line", "owner"),
    [
        ("- Olga: I'll put up an RFC for this.", "Olga"),
        ("**OS:** I will put up an RFC for this", "OS"),
        ("12:01:02 <olga> I'll put up an RFC for this", "olga"),
        ("- [name=Olga] Busy now, but I will put up an RFC for this", "Olga"),
        ("- Olga: I am going to put up an RFC for this", "Olga"),
    ],
)
def test_first_person_owner_is_the_speaker(line: str, owner: str) -> None:
    """ "I'll" / "I will" belongs to the speaker tag of the line."""
    assert _found("# Sync\n\n" + line + "\n") == [(3, (owner,), "put up an RFC for this")]


def test_first_person_under_a_speaker_label() -> None:
    """A bullet that is only a speaker label gives the speaker of the bullets nested below it."""
    notes = "- Olga Smith:\n    - I'll write the blog post\n- Tim:\n    - I'll book the room\n"
    assert _found(notes) == [(2, ("Olga Smith",), "write the blog post"), (4, ("Tim",), "book the room")]


def test_first_name_said_by_the_speaker_is_the_speaker() -> None:
    """ "Eric will ..." said by "Eric Huss" is Eric Huss."""
    assert _found("- Eric Huss:\n    - Eric will reach out to his teams\n") == [(2, ("Eric Huss",), "reach out to his teams")]


def test_first_person_without_speaker() -> None:
    """In a list without a speaker the commitment has no owner; an author narrating in prose is no commitment."""
    assert _found("- I'll send the slides\n") == [(1, (), "send the slides")]
    assert _found("We met on Tuesday. I'll put the action items below.\n") == []


def test_x_to_needs_a_known_person() -> None:
    """ "X to ..." needs X in the attendance list (or next to someone in it); "Upgrade to 252" is no owner."""
    notes = (
        "## Attendees\n- Tommy Naugle\n- Ana Lima\n\n## Notes\n"
        "- Docs (akm and tommy to work off the spreadsheet)\n"
        "- Review (tommy in flight, akm to review)\n"
        "- Upgrade to 252 soon\n"
        "- Thanks to Ana for the demo\n"
        "- kevin to the rescue, Ana to check the builders\n"
    )
    assert _found(notes) == [
        (6, ("akm", "tommy"), "work off the spreadsheet"),
        (7, ("akm",), "review"),
        (10, ("Ana",), "check the builders"),
    ]


def test_initials_from_the_attendance_list() -> None:
    """Upper-case initials count when the attendance list or a speaker tag gives them."""
    notes = "## Attendees\nScott Hale (SH)\nDana Sims (DS)\n\n## Notes\n**DS:** We found the owners. SH to connect the board.\n"
    assert _found(notes) == [(6, ("SH",), "connect the board")]


def test_volunteers_take_the_topic_above() -> None:
    """ "X volunteers" answers the bullet it is nested under; the aside after it is no second item."""
    notes = "- Cut the metrics-server release\n    - Han volunteers, Cathy will think about it.\n"
    assert _found(notes) == [(2, ("Han",), "Cut the metrics-server release")]


@pytest.mark.parametrize(
    ("line", "owner"),
    [
        ("- Kip: could you create the idea documents?", "Kip"),
        ("- Could you (Kip) create the idea documents?", "Kip"),
        ("- Kip, could you create the idea documents?", "Kip"),
        ("12:00 <ana> kip: could you create the idea documents?", "kip"),
    ],
)
def test_requests_to_a_named_person(line: str, owner: str) -> None:
    """A request ("could you ...?") is a commitment of the person asked."""
    assert _found(line + "\n") == [(1, (owner,), "create the idea documents")]


def test_requests_to_nobody_and_questions_are_not_items() -> None:
    """ "Can you ...?" asked of nobody, and questions, stay questions."""
    assert _found("- Can you put the zip in the release?\n- Will Ana review it?\n- Ana will review it?\n") == []


@pytest.mark.parametrize(
    "notes",
    [
        "## Ana will review the PR\n",
        "Ana will review the PR\n===\n",
        "## Agenda\n- Ana will present the new theme\n- Ana will review the PR\n",
        "## For next time\n- Ana will review the PR\n",
        "> Ana will review the PR\n",
        "```\nAna will review the PR\n```\n",
        "Intro.\n\n    Ana will review the PR\n",
        "<!--\nAna will review the PR\n-->\n",
        "| who | what |\n|---|---|\n| Ana will review the PR | x |\n",
        "- [ ] Ana will review the PR\n",
        "- AGREED: Ana will review the PR\n",
        "* INFO: Ana will review the PR  (nirik, 17:01:02)\n",
        "- Ana will review the PR if needed\n",
        "- Ana will be reviewing the PR\n",
        "- Ana will think about reviewing the PR\n",
        "- Ana will present the roadmap\n",
        "- Ana will take notes\n",
    ],
)
def test_traps(notes: str) -> None:
    """Never in headings, agenda entries, quotes, code, comments, tables, task boxes, decisions, hedges or talks."""
    assert _found(notes) == []


def test_discussion_nested_under_an_agenda_entry_is_read() -> None:
    """Notes kept as nested bullets under agenda topics are discussion."""
    notes = "## Agenda (2022-12-08)\n* [ana] Release plan\n    * Han will cut the release\n"
    assert _found(notes) == [(3, ("Han",), "cut the release")]


@pytest.mark.parametrize("subject", ["Everyone", "The team", "Meetings", "They", "This", "It", "Council", "Conservatively"])
def test_nobody_in_particular_is_no_owner(subject: str) -> None:
    """Pronouns, groups, common words and adverbs before "will" are not people."""
    assert _found(f"- {subject} will move the meeting to Thursday\n") == []


def test_attendance_list_makes_owners_strict() -> None:
    """With an attendance list, a capitalised word that is nobody there ("Fedora") is no owner."""
    body = "- Fedora will ship the docs\n- Ana will fix the theme\n"
    assert [o for _, o, _ in _found(body)] == [("Fedora",), ("Ana",)]
    assert [o for _, o, _ in _found("## Attendees\n- Ana Lima\n\n## Notes\n" + body)] == [("Ana",)]


def test_plain_prose_needs_a_known_person() -> None:
    """In a paragraph (no list, no speaker) only people of the meeting commit."""
    notes = "Present: ana, bob\n\nAna will update the style guide. Python will drop 3.8.\n"
    assert _found(notes) == [(3, ("Ana",), "update the style guide")]


def test_one_commitment_a_line_and_the_task_ends_at_the_next_clause() -> None:
    """The first commitment of a line counts; its task stops where the next clause starts."""
    assert _found("Present: ana, bob\n\n- bob to review it, Ana will fix the colours\n") == [(3, ("bob",), "review it")]


def test_a_wrapped_sentence_continues() -> None:
    """The task goes on over the wrapped lines of its sentence, not into the next bullet."""
    notes = "- Olivier will look into the\n  failing arm builds.\n- Next\n"
    assert _found(notes) == [(1, ("Olivier",), "look into the failing arm builds")]


def test_rst_literal_blocks_are_code() -> None:
    """In reStructuredText, the indented block after "::" is code."""
    notes = "Run this::\n\n    Ana will review the PR\n\n- Ana will fix the docs.\n"
    found = find_commitments(notes.split("\n"), rst=True)
    assert [(c.line, c.owners) for c in found] == [(5, ("Ana",))]


def test_explicit_items_are_not_suggested_again() -> None:
    """A line already extracted, or the same action stated again, is no suggestion."""
    notes = (
        "# Sync\n\n- Ana will fix the theme\n- Bob will update the docs\n\n"
        "## Action items\n- Ana: fix the theme\n- ACTION: Bob will update the docs\n"
    )
    assert _suggested(notes) == []
    assert _suggested("# Sync\n\n- ACTION: Ana will fix the theme\n") == []


def test_aliases_apply_to_suggested_owners() -> None:
    """Owners of suggestions go through the alias map like any owner."""
    assert _suggested("- Priya will fix the theme\n", aliases={"priya": "psharma"}) == [(1, ("psharma",), "Fix the theme")]


def test_off_computes_nothing() -> None:
    """suggestions = "off": no suggestion at all."""
    assert _suggested("- Priya will fix the theme\n", suggestions="off") == []


def test_hostile_lines_stay_linear() -> None:
    """Long runs of names, joins and triggers do not backtrack (quadratic took minutes)."""
    lines = ["Ab, " * 20_000, "Ab and " * 20_000, "(Ab " * 20_000, "I will " * 20_000, "**SH:** " * 20_000]
    started = time.monotonic()
    find_commitments(lines)
    assert time.monotonic() - started < 20


@pytest.mark.parametrize(
    ("line", "owner", "task"),
    [
        ("17:02:03 <nirik> will send the notes to the list", "nirik", "send the notes to the list"),
        ("**SH:** Will follow up with legal.", "SH", "follow up with legal"),
        ("- Ana said she will look at the arm failures", "Ana", "look at the arm failures"),
    ],
)
def test_speaker_says_will_and_reported_speech(line: str, owner: str, task: str) -> None:
    """A tagged speaker's "will ..." and "X said she will ..." are X's."""
    assert _found(line + "\n") == [(1, (owner,), task)]


def test_untagged_will_is_an_ownerless_plan() -> None:
    """ "Will move the draft to a PR" with no tag on the line is a plan nobody owns."""
    assert _found("- Ana:\n    - Will move the draft to a PR\n- Will we have time?\n") == []


def test_done_commitments_are_not_suggested() -> None:
    """A commitment already marked done is nothing to file."""
    assert _suggested("- Priya will fix the theme (done)\n- Priya will fix the docs\n") == [(2, ("Priya",), "Fix the docs")]


def test_parse_paths_places_suggestions(tmp_path: Path) -> None:
    """Apart by default, among the items in line order when included, not looked for when not listed."""
    notes = tmp_path / "n.md"
    notes.write_text("# Sync\n\n- Priya will fix the theme\n\n## Action items\n- bob to fix the docs\n", encoding="utf-8")
    apart = parse_paths([str(notes)])
    assert ([i.line for i in apart.items], [s.line for s in apart.suggestions]) == ([6], [3])
    among = parse_paths([str(notes)], include_suggested=True)
    assert ([(i.line, i.suggested) for i in among.items], among.suggestions) == ([(3, True), (6, False)], ())
    unlisted = parse_paths([str(notes)], list_suggestions=False)
    assert ([i.line for i in unlisted.items], unlisted.suggestions) == ([6], ())
    filed = parse_paths([str(notes)], options=ExtractOptions(suggestions="file"), list_suggestions=False)
    assert [i.line for i in filed.items] == [3, 6]


def test_i_can_take() -> None:
    """ "I can take the review" offers the review; "I can help" alone is no commitment."""
    assert _found("- Ana: I can take the review\n- Bob: I can help\n") == [(1, ("Ana",), "take the review")]


def test_first_person_hedges_and_states() -> None:
    """ "I'll be out", "I will probably ..." are no commitments either."""
    assert _found("- Ana: I'll be out next week\n- Bob: I will probably look at it\n- Q: ok? A: yes, Ana will call the vote\n") == [
        (3, ("Ana",), "call the vote")]


def test_nothing_specific_is_no_suggestion() -> None:
    """ "I'll do it" names no task; "I'll look into the arm builds" does."""
    notes = "12:00 <ana> I'll do it\n12:01 <bob> will take care of that\n12:02 <ana> I'll look into the arm builds\n"
    assert _found(notes) == [(3, ("ana",), "look into the arm builds")]


def test_owner_is_who_committed_not_words_of_the_task() -> None:
    """ "I plan to takeover to implement ..." is the speaker's; "takeover" is no owner."""
    [(line, owners, _)] = _suggested("- [name=Olga]\n    - I plan to takeover to implement the fix\n")
    assert (line, owners) == (2, ("Olga",))


def test_details_of_an_explicit_item_are_not_suggested() -> None:
    """A bullet nested under an extracted item is its description, not a second item."""
    notes = "# Sync\n\n## Action items\n- Ana to fix the theme\n    - Bob will help with the CSS\n"
    assert _suggested(notes) == []


def test_a_short_task_names_what_it_is_about() -> None:
    """ "Jessica will follow up" under a topic, or "(akm to review)" after one, says what it is about."""
    notes = (
        "Present: Jessica, akm\n\n"
        "- Chris wants data out of GA\n    - Jessica will follow up\n"
        "- Qumat data work (tommy in flight, akm to review)\n"
    )
    assert [title for _, _, title in _suggested(notes)] == [
        "Follow up (Chris wants data out of GA)", "Review (Qumat data work)"]


def test_topic_headings_inside_an_agenda_hold_discussion() -> None:
    """Bullets under "### systemd" inside "## Agenda" are discussion; a tagged "…, will tag" is the speaker's."""
    notes = (
        "## Attendees\n- Davide Cavalca (dcavalca)\n- Neal Gompa\n\n## Agenda\n- systemd\n\n### systemd\n"
        "- dcavalca: backport is done, will tag the release next week\n- Neal will talk to the kernel SIG\n"
    )
    assert _found(notes) == [(9, ("dcavalca",), "tag the release next week"), (10, ("Neal",), "talk to the kernel SIG")]


def test_field_labels_are_nobody() -> None:
    """ "Name: JF Bastien", "Email: x@y" are fields, not speakers: "Email JF to sign up" is an instruction."""
    notes = "- Contact:\n    - Name: JF Bastien\n    - Email: jf@example.org\n\nEmail JF Bastien to sign up.\n"
    assert _found(notes) == []


def test_matrix_speaker() -> None:
    """A Matrix log line "<@nick:server>" is spoken by the nick."""
    assert _found("14:35:14 <@kaitlyn:fedora.im> I'll draft the change proposal\n") == [
        (1, ("kaitlyn",), "draft the change proposal")]
