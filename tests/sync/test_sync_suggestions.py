"""``sync`` and suggestions: listed apart in the dry run, filed only with --include-suggested or suggestions = "file"."""

from __future__ import annotations

import json

from tests.sync_support import IN_PROCESS, NEW_TITLES, NOTES, SyncEnv, env  # noqa: F401 - env is a fixture

SUGGESTING = NOTES.replace("## Action items", "## Discussion\n\n- Kernel\n    - Davide will write the release notes\n\n## Action items")
SUGGESTED = "Write the release notes"


@IN_PROCESS
def test_dry_run_lists_suggestions_apart(env: SyncEnv) -> None:
    """The dry run plans the explicit items only and lists the commitment under its own heading."""
    env.token = None
    env.write("notes.md", SUGGESTING)
    result = env.run("notes.md", "--dry-run")
    table, block = result.out.split("\n\n")[0], result.out.split("\n\n")[-1]
    assert SUGGESTED not in table
    assert block.splitlines()[0] == "not filed: add ACTION: to file (1 suggestion, or pass --include-suggested)"
    assert block.splitlines()[1].split()[:3] == ["notes.md:11", "Davide", "["]
    assert env.fake.log == []


@IN_PROCESS
def test_dry_run_json_has_suggestions(env: SyncEnv) -> None:
    """`sync --dry-run --format json` carries them under "suggestions", marked."""
    env.token = None
    env.write("notes.md", SUGGESTING)
    data = json.loads(env.run("notes.md", "--dry-run", "--format", "json").out)
    assert [(s["title"], s["suggested"]) for s in data["suggestions"]] == [(SUGGESTED, True)]
    assert SUGGESTED not in [d["title"] for d in data["items"]]


@IN_PROCESS
def test_dry_run_include_suggested_plans_them(env: SyncEnv) -> None:
    """With --include-suggested the commitment is a "new" row of the plan and no block is shown."""
    env.token = None
    env.write("notes.md", SUGGESTING)
    out = env.run("notes.md", "--dry-run", "--include-suggested").out
    assert [row.split()[:2] for row in out.splitlines() if SUGGESTED in row] == [["new", "notes.md:11"]]
    assert "not filed" not in out


@IN_PROCESS
def test_real_run_files_suggestions_only_when_asked(env: SyncEnv) -> None:
    """A real run never files a suggestion by default; --include-suggested files it once, as any item."""
    env.write("notes.md", SUGGESTING)
    assert env.run("notes.md").code == 0
    assert sorted(env.fake.titles()) == sorted(NEW_TITLES)
    assert env.run("notes.md", "--include-suggested").code == 0
    assert sorted(env.fake.titles()) == sorted(NEW_TITLES + (SUGGESTED,))
    assert env.run("notes.md", "--include-suggested").code == 0
    assert env.fake.creates() == len(NEW_TITLES) + 1  # filed once, never twice


@IN_PROCESS
def test_config_file_mode_files_them(env: SyncEnv) -> None:
    """[extract] suggestions = "file" files them without the flag."""
    env.config('[extract]\nsuggestions = "file"\n')
    env.write("notes.md", SUGGESTING)
    assert env.run("notes.md").code == 0
    assert SUGGESTED in env.fake.titles()
