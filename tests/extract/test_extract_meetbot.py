"""Plain-text meetbot minutes and meeting logs (.txt files are not Markdown)."""

from __future__ import annotations

from notes2tickets.extract import extract_text, is_meetbot_text

MINUTES = """\
=================================
#fedora-meeting: FESCo (2022-09-07)
=================================


Meeting started by _bex_ at 17:00:02 UTC. The full logs are available at
https://meetbot.fedoraproject.org/fedora-meeting/2022-09-07/fesco.log.html .



Meeting summary
---------------
* init process  (_bex_, 17:00:02)

* #2844 retire python2 packages  (_bex_, 17:05:11)
  * LINK: https://pagure.io/fesco/issue/2844   (_bex_, 17:05:20)
  * AGREED: drop them in F38 (+6, 0, -0)  (_bex_, 17:10:00)
  * ACTION: _bex_ to announce the retirement on devel and report
    back next week  (_bex_, 17:12:00)
  * ACTION: nirik and mattdm to update the wiki page  (_bex_, 17:13:40)

Meeting ended at 17:30:00 UTC.




Action Items
------------
* _bex_ to announce the retirement on devel and report back next week
* nirik and mattdm to update the wiki page




Action Items, by person
-----------------------
* _bex_
  * _bex_ to announce the retirement on devel and report back next week
* mattdm
  * nirik and mattdm to update the wiki page
* nirik
  * nirik and mattdm to update the wiki page
* **UNASSIGNED**
  * (none)




People Present (lines said)
---------------------------
* _bex_ (50)
* zodbot (10)
"""


def test_plain_text_minutes() -> None:
    """Each action is one item at its ACTION line; nicks with underscores survive."""
    items = extract_text(MINUTES, path="fesco.2022-09-07-17.00.txt")
    assert [(i.line, i.title, i.assignees) for i in items] == [
        (18, "Announce the retirement on devel and report back next week", ("_bex_",)),
        (20, "Update the wiki page", ("nirik", "mattdm")),
    ]
    assert items[0].meeting.title == "#fedora-meeting: FESCo (2022-09-07)"
    assert items[0].meeting.date == "2022-09-07"
    assert items[0].section == ("Meeting summary",)


def test_minutes_only_in_action_items_block() -> None:
    """Without summary ACTION lines the Action Items block and by-person owners still count."""
    text = "Action Items\n------------\n* fix the mirror list\n\nAction Items, by person\n-----------------------\n* nirik\n  * fix the mirror list\n"
    items = extract_text(text, path="m.txt")
    assert [(i.line, i.title, i.assignees) for i in items] == [(3, "Fix the mirror list", ("nirik",))]


def test_irc_log_action_lines() -> None:
    """`#action` and `!action` commands in a chat log are items; other lines are not."""
    log = ("17:00:02 <_bex_> #startmeeting fesco\n17:05:11 <nirik> we took no action yet\n"
           "17:12:00 <_bex_> #action _bex_ to announce it\n[17:13] <mattdm> !action mattdm will write docs\n")
    items = extract_text(log, path="fesco.log")
    assert [(i.line, i.title, i.assignees) for i in items] == [
        (3, "Announce it", ("_bex_",)), (4, "Write docs", ("mattdm",))]


def test_which_files_are_plain_minutes() -> None:
    """Markdown names are never plain minutes; other names are when the content looks like minutes."""
    assert is_meetbot_text(MINUTES, "x.txt") is True
    assert is_meetbot_text(MINUTES, "x.md") is False
    assert is_meetbot_text("- [ ] a task\n", "x.txt") is False


def test_txt_notes_that_are_not_minutes_read_as_markdown() -> None:
    """A .txt file of ordinary notes is read as Markdown."""
    items = extract_text("# Notes\n\n- [ ] water the plants\n", path="notes.txt")
    assert [(i.line, i.title) for i in items] == [(3, "Water the plants")]


def test_meetbot_switch_off() -> None:
    """With meetbot off, plain-text minutes are read as Markdown (nick markup is lost)."""
    from notes2tickets.model import ExtractOptions

    items = extract_text(MINUTES, path="m.txt", options=ExtractOptions(meetbot=False))
    assert [i.line for i in items] == [18, 20]
