"""End to end against the stand-in server: identity across meetings, look-alike titles, what a ticket says."""

from __future__ import annotations

from pathlib import Path

from tests.sync_support import IN_PROCESS, SyncEnv, env  # noqa: F401 - env is a fixture

FOSDEM_1 = "# SIG meeting\n\n## Action items\n\n- [ ] dcavalca to write the FOSDEM trip report due 2026-11-20\n"
FOSDEM_2 = "# SIG meeting\n\n## Action items\n\n- [ ] dcavalca: write the FOSDEM trip report (carried over) (due: 2026-11-20)\n"
TWO_OWNERS = (
    "# SIG meeting\n\n## Action items\n\n### Kernel\n\n- [ ] neal to follow up with upstream\n\n"
    "### systemd\n\n- [ ] anita to follow up with upstream{mark}\n"
)


@IN_PROCESS
def test_carried_over_item_is_not_filed_again(env: SyncEnv) -> None:
    """Another owner form, a carry-over mark and 'due:' instead of 'due': the next meeting files nothing."""
    env.write("m1.md", FOSDEM_1)
    env.write("m2.md", FOSDEM_2)
    assert env.run("m1.md").out.splitlines()[-1] == "1 filed, 0 adopted, 0 failed"
    assert env.run("m2.md").out.splitlines()[-1] == "0 filed, 0 adopted, 0 failed; skipped: 1 known"
    assert env.fake.titles()[-1] == "Write the FOSDEM trip report"
    assert "- **Due:** 2026-11-20" in env.fake.issues()[-1]["content"]


@IN_PROCESS
def test_same_words_for_two_owners_are_two_tickets_and_map_back(env: SyncEnv) -> None:
    """neal's and anita's 'follow up with upstream' are two tickets; the next meeting's copies file nothing."""
    env.write("m1.md", TWO_OWNERS.format(mark=""))
    env.write("m2.md", TWO_OWNERS.format(mark=" (carried over)"))
    assert env.run("m1.md").out.splitlines()[-1] == "2 filed, 0 adopted, 0 failed"
    assert [i["assignee"]["name"] if i["assignee"] else None for i in env.fake.issues()[-2:]] == ["neal", "anita"]
    assert env.run("m2.md").out.splitlines()[-1] == "0 filed, 0 adopted, 0 failed; skipped: 2 known"


@IN_PROCESS
def test_number_in_title_is_not_a_near_duplicate_of_a_hand_filed_issue(env: SyncEnv) -> None:
    """A hand-filed 'Stream 9' issue does not hold back the 'Stream 10' item; the same title does."""
    env.fake.add_issue("Update the docs for CentOS Stream 9")
    env.write("m.md", "## Action items\n- update the docs for CentOS Stream 10\n- update the docs for CentOS Stream 9!\n")
    result = env.run("m.md")
    assert result.out.splitlines()[-1] == "1 filed, 0 adopted, 0 failed; skipped: 1 similar"
    assert result.out.startswith('not filed: "Update the docs for CentOS Stream 9!" at m.md:3 looks like #1 ')
    assert env.fake.titles()[-1] == "Update the docs for CentOS Stream 10"


@IN_PROCESS
def test_look_alike_items_all_filed_after_a_partial_run(env: SyncEnv) -> None:
    """Titles differing only in a number: after a run that filed some, the re-run files exactly the rest."""
    lines = "".join(f"- Task number {n} about subsystem b919\n" for n in range(1, 13))
    env.write("m.md", "## Action items\n" + lines)
    env.write("first.md", "## Action items\n- Task number 1 about subsystem b919\n- Task number 2 about subsystem b919\n")
    assert env.run("first.md").out.splitlines()[-1] == "2 filed, 0 adopted, 0 failed"
    assert env.run("m.md").out.splitlines()[-1] == "10 filed, 0 adopted, 0 failed; skipped: 2 known"
    assert sorted(env.fake.titles()) == sorted(f"Task number {n} about subsystem b919" for n in range(1, 13))


@IN_PROCESS
def test_no_body_or_preview_holds_a_local_path(env: SyncEnv, tmp_path: Path) -> None:
    """Notes given by absolute path, or found by the glob: tickets and preview name them relative to the root."""
    env.config('notes = ["meetups/*.md"]\n')
    (env.root / "meetups").mkdir()
    env.write("meetups/2024-05-08-meetup.md", FOSDEM_1)
    outside = tmp_path.parent / f"{tmp_path.name}-outside.md"
    outside.write_text(TWO_OWNERS.format(mark=""), encoding="utf-8")
    preview = env.run("--dry-run")
    assert env.run().code == 0
    assert env.run(str(env.root / "notes.md"), str(outside)).code == 0
    bodies = [i["content"] for i in env.fake.issues()]
    assert len(bodies) == 7 and not any(str(tmp_path) in b for b in bodies)
    assert "meetups/2024-05-08-meetup.md:5" in bodies[0] and "notes.md:10" in bodies[1]
    assert f"`{outside.name}:7`" in bodies[-2] or f"[{outside.name}:7]" in bodies[-2]
    assert str(tmp_path) not in preview.out and "meetups/2024-05-08-meetup.md:5" in preview.out


@IN_PROCESS
def test_lost_state_adopts_a_repeated_item_once_with_real_counters(env: SyncEnv) -> None:
    """After losing state, an item repeated in two files is adopted once; progress shows [1/4], [2/4], …"""
    env.write("copy.md", (env.root / "notes.md").read_text(encoding="utf-8"))
    assert env.run("notes.md", "copy.md").out.splitlines()[-1] == "4 filed, 0 adopted, 0 failed; skipped: 2 done, 4 repeat, 2 tracked"
    env.state.unlink()
    again = env.run("notes.md", "copy.md")
    assert again.out.splitlines()[-1] == "0 filed, 4 adopted, 0 failed; skipped: 2 done, 4 repeat, 2 tracked"
    assert [line.split()[0] for line in again.err.splitlines() if line.startswith("[")] == ["[1/4]", "[2/4]", "[3/4]", "[4/4]"]


@IN_PROCESS
def test_ticket_filed_by_0_1_0_under_the_old_fingerprint_is_adopted(env: SyncEnv) -> None:
    """0.1.0 kept the nick in 'ACTION: dcavalca write …'; the new form of the item finds that ticket by its marker."""
    from notes2tickets.extract import fingerprint
    from notes2tickets.sync.body import marker

    old = fingerprint("Dcavalca write the FOSDEM trip report")
    env.fake.add_issue("Dcavalca write the FOSDEM trip report", content=f"From the notes\n\n{marker(old)}\n")
    env.write("m2.md", FOSDEM_2)
    assert env.run("m2.md").out.splitlines()[-1] == "0 filed, 1 adopted, 0 failed"
    assert env.run("m2.md").out.splitlines()[-1] == "0 filed, 0 adopted, 0 failed; skipped: 1 known"
    assert len(env.fake.issues()) == 1
