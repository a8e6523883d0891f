"""Owner conventions met in real minutes: participants' nicks, bold nicks, initials, real names."""

from __future__ import annotations

from notes2tickets.extract import extract_text


def _items(text: str, path: str = "notes.md") -> list[tuple[int, str, tuple[str, ...]]]:
    return [(item.line, item.title, item.assignees) for item in extract_text(text, path=path)]


MEETBOT = """Meeting started by carla at 15:00:01 UTC.

Meeting summary
---------------
* Docs  (carla, 15:01:00)
  * ACTION: dcavalca write the FOSDEM trip report  (carla, 15:02:00)
  * ACTION: Review the open pull requests  (carla, 15:03:00)

People Present (lines said)
---------------------------
* carla (40)
* dcavalca (12)
"""


def test_meetbot_action_nick_without_to() -> None:
    """`ACTION: nick verb …` names the nick when the nick took part in the meeting."""
    assert _items(MEETBOT) == [(6, "Write the FOSDEM trip report", ("dcavalca",)), (7, "Review the open pull requests", ())]


def test_bare_word_is_no_owner_without_participants() -> None:
    """Without any sign that `ngompa` attended, `ngompa write …` stays the title."""
    assert _items("## Action items\n\n- ngompa write the docs\n") == [(3, "Ngompa write the docs", ())]


def test_chat_speaker_is_a_participant() -> None:
    """Speakers of a pasted chat log count as participants."""
    text = "15:01 <anna> hi\n15:02 <bob> hello\n\nACTION: anna update the wiki page\n"
    assert _items(text) == [(4, "Update the wiki page", ("anna",))]


def test_bold_nick_then_task() -> None:
    """`**nick** task` and several bold nicks before a colon are owners."""
    text = "## Action items\n\n1. **jdoe** package the new release\n2. **amy bo carl** : triage the bugs\n"
    assert _items(text) == [(3, "Package the new release", ("jdoe",)), (4, "Triage the bugs", ("amy", "bo", "carl"))]


def test_bold_full_name_label_is_one_owner() -> None:
    """`**Neal Gompa**: task` is one person, not two nicks."""
    assert _items("ACTION: **Neal Gompa**: rebuild the images\n") == [(1, "Rebuild the images", ("Neal Gompa",))]


def test_nick_with_real_name_in_brackets() -> None:
    """`nick (Real Name) will …` names the nick; the real name leaves the title."""
    text = "Action items\n- mnowak (Martin Nowak) will attempt to package libfoo\n"
    assert _items(text) == [(2, "Attempt to package libfoo", ("mnowak",))]


def test_upper_case_initials_before_to() -> None:
    """`Brad and JF to …`: short capitals are initials; long ones stay acronyms."""
    assert _items("ACTION: Brad and JF to update the proposal\n") == [(1, "Update the proposal", ("Brad", "JF"))]
    assert _items("ACTION: KIWI to build the images\n") == [(1, "KIWI to build the images", ())]


def test_two_owners_two_actions_on_one_line() -> None:
    """`A to do x, and B to do y` and `A to do x. B will do y` are two items on the same line."""
    assert _items("*AI:* Ben to update the repo, and JF to update the tracking issue.\n") == [
        (1, "Update the repo", ("Ben",)), (1, "Update the tracking issue", ("JF",))]
    assert _items("AI: Mark to coordinate with Brad. JF will create the issue.\n") == [
        (1, "Coordinate with Brad", ("Mark",)), (1, "Create the issue", ("JF",))]


def test_joint_owners_stay_one_item() -> None:
    """`Brad and JF to …` is one action with two owners."""
    assert _items("AI: Brad and JF to update the phases proposal.\n") == [(1, "Update the phases proposal", ("Brad", "JF"))]


def test_groups_are_named_but_assign_nobody() -> None:
    """"All", "Everyone", "Project Leads" stay in the title and assign nobody."""
    text = "## Action items\n\n- All to review the doc\n- Project Leads to draft the blog\n- Everyone: vote\n"
    assert _items(text) == [(3, "All to review the doc", ()), (4, "Project Leads to draft the blog", ()), (5, "Everyone: vote", ())]


def test_file_names_and_urls_are_no_owners() -> None:
    """`setup.py: …` and `(docs/index.md)` name files, not people."""
    text = "## Action items\n\n- setup.py: drop the old pin\n- fix the broken link (docs/index.md)\n"
    assert _items(text) == [(3, "Setup.py: drop the old pin", ()), (4, "Fix the broken link (docs/index.md)", ())]


def test_owner_of_the_action_item_in_discussion() -> None:
    """"Ryan: new channels then. Mara owns the action item." is an item for Mara."""
    text = "- Streams\n    - Ryan: Create public and private channels. Mara owns the action item.\n"
    assert _items(text) == [(2, "Create public and private channels", ("Mara",))]


def test_capitalised_bold_word_is_an_owner_only_if_a_participant() -> None:
    """`**Infra** fix the proxy` names no one; `**Ryan** check …` does when Ryan spoke."""
    assert _items("## Action items\n\n- **Infra** fix the proxy\n") == [(3, "Infra fix the proxy", ())]
    text = "10:01 <Ryan> hi\n\n## Action items\n\n- **Ryan** check the RFC\n"
    assert _items(text) == [(5, "Check the RFC", ("Ryan",))]


def test_participant_prefix() -> None:
    """`ACTION: kaitlyn start …` names kaitlyn when @kaitlynabdo took part (four letters or more)."""
    text = "* ACTION: kaitlyn start the draft (@tflink:fedora.im, 14:35:14)\n* ACTION: kai start it (@tflink:fedora.im, 14:36:00)\n\nPeople Present (lines said)\n* @kaitlynabdo:fedora.im (21)\n"
    assert _items(text) == [(1, "Start the draft", ("kaitlyn",)), (2, "Kai start it", ())]


def test_meetbot_action_nick_in_plain_text_minutes() -> None:
    """The same in plain-text minutes (`.txt`): owner from the participants, title without the nick."""
    assert _items(MEETBOT, path="minutes.txt")[0] == (6, "Write the FOSDEM trip report", ("dcavalca",))


def test_subject_then_dashed_owner() -> None:
    """`Subject - Thomas to update the PR` names Thomas; the subject stays the title."""
    assert _items("## Next steps\n\n- Name checks - Thomas to update the PR\n") == [
        (3, "Name checks - Thomas to update the PR", ("Thomas",))]


def test_owner_line_next_to_the_item() -> None:
    """An `Owner: X` line right after the item (same paragraph or its own) names X."""
    assert _items("ACTION: fix the mirror\nOwner: bob\n") == [(1, "Fix the mirror", ("bob",))]
    assert _items("- [ ] rotate keys\n\n  Owner: anna\n") == [(1, "Rotate keys", ("anna",))]


def test_framed_group_label_names_owners() -> None:
    """In an action section, `**Anna and Bob:**`, `@carl:` or `jdoe:` over a nested list owns it; `**Docs:**` does not."""
    text = "## Action items\n\n- **Anna and Bob:**\n  - fix X\n- **Docs:**\n  - write Y\n- @carl:\n  - test Z\n"
    assert _items(text) == [(4, "Fix X", ("Anna", "Bob")), (6, "Write Y", ()), (8, "Test Z", ("carl",))]


def test_attendees_are_participants() -> None:
    """Bullets under an "Attendees" heading are participants; a verb after "Present …" prose is not."""
    text = (
        "## Attendees\n* @dcavalca\n* Andrew Musselman\n\nPresent the plan at Flock\n- draft the plan\n\n"
        "## Action items\n- dcavalca write the report\n- andrew review PRs\n- draft the plan\n"
    )
    assert _items(text) == [(9, "Write the report", ("dcavalca",)), (10, "Review PRs", ("andrew",)), (11, "Draft the plan", ())]
