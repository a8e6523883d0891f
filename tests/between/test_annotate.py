"""``notes2tickets annotate``: ticket numbers written into the notes, every other byte kept."""

from __future__ import annotations

import json
from pathlib import Path

from notes2tickets.extract import parse_paths
from notes2tickets.sync import annotate
from tests.sync_support import IN_PROCESS, SyncEnv, env  # noqa: F401 - env is a fixture

ODD = (
    "\ufeff# SIG meeting 2022-11-02\r\n\r\n## Action items\r\n\r\n"
    "- [ ] @davide to update the kernel docs   \r\n"
    "- [ ] @neal to follow up on KIWI (#83)\r\n"
    "\r\n| Owner | Action | Due |\r\n|---|---|---|\r\n| anita | Rotate the signing key  | |\r\n"
    "\ttrailing tab line\t\r\n"
)


def _filed(env: SyncEnv, name: str) -> dict:
    assert env.run(name).code == 0
    return {i["title"]: i["id"] for i in env.fake.issues()}


@IN_PROCESS
def test_annotate_inserts_only_references_and_is_idempotent(env: SyncEnv) -> None:
    """BOM, CRLF, trailing spaces/tabs survive; only ' (#N)' is inserted; a second run changes nothing."""
    path = env.root / "odd.md"
    path.write_bytes(ODD.encode("utf-8"))
    ids = _filed(env, "odd.md")
    result = env.run("odd.md", command="annotate")
    assert result.code == 0, result.err
    docs, key = ids["Update the kernel docs"], ids["Rotate the signing key"]
    expected = ODD.replace("kernel docs   \r\n", f"kernel docs (#{docs})   \r\n").replace(
        "signing key  |", f"signing key (#{key})  |")
    assert path.read_bytes() == expected.encode("utf-8")
    assert result.out == f"odd.md: annotated 2 item(s) (#{docs}, #{key})\n"
    again = env.run("odd.md", command="annotate")
    assert again.out == "odd.md: nothing to annotate\n"
    assert path.read_bytes() == expected.encode("utf-8")


@IN_PROCESS
def test_parse_reports_annotated_items_tracked(env: SyncEnv) -> None:
    """After annotate, parse reports every filed item as tracked with its issue id."""
    ids = _filed(env, "notes.md")
    assert env.run("notes.md", command="annotate").code == 0
    items = json.loads(env.run("notes.md", "--format", "json", command="parse").out)["items"]
    tracked = {i["title"]: i["tracked"] for i in items if not i["done"]}
    for title, issue_id in ids.items():
        assert tracked[title] == issue_id


@IN_PROCESS
def test_dry_run_prints_diff_and_writes_nothing(env: SyncEnv) -> None:
    """--dry-run prints a unified diff and leaves the file untouched."""
    _filed(env, "notes.md")
    before = (env.root / "notes.md").read_bytes()
    result = env.run("notes.md", "--dry-run", command="annotate")
    assert result.code == 0
    assert "--- a/notes.md\n+++ b/notes.md\n" in result.out
    assert "+- [ ] @davide to update the kernel docs tags: docs, kernel (#1)\n" in result.out
    assert (env.root / "notes.md").read_bytes() == before


@IN_PROCESS
def test_links_option_writes_markdown_links(env: SyncEnv) -> None:
    """annotate_links = true writes ([#N](URL)), which parse still reads as tracked."""
    env.config("annotate_links = true\n")
    _filed(env, "notes.md")
    assert env.run("notes.md", command="annotate").code == 0
    text = (env.root / "notes.md").read_text(encoding="utf-8")
    assert f"kernel docs tags: docs, kernel ([#1]({env.url}/{env.project}/issue/1))\n" in text
    assert parse_paths([str(env.root / "notes.md")]).items[0].tracked == 1


@IN_PROCESS
def test_refuses_when_line_no_longer_holds_item(env: SyncEnv) -> None:
    """An item edited away since it was filed: one line, exit 1, the file untouched."""
    _filed(env, "notes.md")
    path = env.root / "notes.md"
    path.write_text(path.read_text(encoding="utf-8").replace("update the kernel docs", "rewrite everything"), encoding="utf-8")
    before = path.read_bytes()
    result = env.run("notes.md", command="annotate")
    assert result.code == 1
    assert result.err.count("\n") == 1
    assert result.err.startswith("error: notes.md:10: the line no longer holds 'Update the kernel docs' (filed as #1)")
    assert path.read_bytes() == before


def test_replace_file_keeps_mode_and_leaves_no_temp(tmp_path: Path) -> None:
    """The rename keeps the file's permissions and no temporary file stays behind."""
    path = tmp_path / "n.md"
    path.write_text("old\n")
    path.chmod(0o640)
    annotate.replace_file(path, b"new\n")
    assert path.read_bytes() == b"new\n"
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["n.md"]


def test_lone_cr_lines_keep_their_numbering() -> None:
    """CR-only line endings are split as the extractor numbers lines and put back unchanged."""
    text = "a\rb\r\nc\nd"
    assert annotate.split_keepends(text) == [("a", "\r"), ("b", "\r\n"), ("c", "\n"), ("d", "")]
    ins = annotate.Insertion(line=2, column=1, text=" (#4)", issue_id=4)
    assert annotate.apply(text, [ins]) == "a\rb (#4)\r\nc\nd"
