"""Extraction speed against mistune's bare AST parse of the same notes.

Generates a ~10 MB corpus of meeting notes (thousands of files mixing task
lists, action sections, markers, pasted meetbot minutes, code and prose) in
a temporary directory, then times ``extract_file`` (reading each file included) and
``mistune.create_markdown(renderer=None, plugins=PLUGINS)`` over the same
texts, slice by slice of ~40 files, the two sides back to back in alternating
order; each side's time is the sum of its fastest time on each slice. The last
line is the ratio extraction time / bare parse time.

Run: ``python benchmarks/bench_extract.py [--mb 10] [--seed 1] [--repeat 5]``
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import mistune

from notes2tickets.extract import extract_file
from notes2tickets.extract.markdown import PLUGINS

NICKS = ("dcavalca", "ngompa", "salimma", "anitazha", "bcotton", "mattdm", "nirik", "jwboyer")
TOPICS = ("systemd backports", "KIWI images", "Btrfs compression", "journald limits", "kernel 6.0",
          "EPEL packaging", "container images", "docs site", "CI runners", "release schedule")
VERBS = ("review", "test", "document", "package", "rebuild", "ask upstream about", "write up", "fix")
SLICE_FILES = 40  # files timed together: long enough for the clock, short enough to dodge bursts of load
WORDS = ("the", "build", "hosts", "default", "image", "release", "we", "should", "look", "into",
         "next", "week", "cloud", "spin", "config", "drop-in", "change", "proposal", "mailing", "list")


def _sentence(rng: random.Random, size: int) -> str:
    words = [rng.choice(WORDS) for _ in range(size)]
    if rng.random() < 0.2:
        words.insert(rng.randrange(len(words)), f"**{rng.choice(TOPICS)}**")
    if rng.random() < 0.1:
        words.append(f"[link](https://example.org/{rng.randrange(1000)})")
    return " ".join(words).capitalize() + "."


def _action(rng: random.Random) -> str:
    return f"{rng.choice(NICKS)} to {rng.choice(VERBS)} the {rng.choice(TOPICS)} {rng.randrange(100)}"


def _markdown_note(rng: random.Random, number: int) -> str:
    out = [f"# SIG meeting {number}", "", "## Attendees", ""]
    out += [f"- {nick}" for nick in rng.sample(NICKS, 4)]
    out += ["", "## Agenda", ""] + [f"- [ ] {topic}" for topic in rng.sample(TOPICS, 3)] + [""]
    for topic in rng.sample(TOPICS, 4):
        out += [f"## {topic}", "", _sentence(rng, 25), _sentence(rng, 18), ""]
        out += [f"- {_sentence(rng, 10)}" for _ in range(rng.randrange(2, 6))] + [""]
        if rng.random() < 0.5:
            out += [f"ACTION: {_action(rng)} tags: {topic.split()[0].lower()}", ""]
        if rng.random() < 0.3:
            out += ["```", "$ sudo dnf upgrade --refresh", "TODO: not an item", "```", ""]
        if rng.random() < 0.3:
            out += [f"> {_sentence(rng, 12)}", ""]
    out += ["## Action items", ""]
    for _ in range(rng.randrange(2, 6)):
        box = rng.choice(("- [ ] ", "- [x] ", "- ", "* "))
        out.append(box + _action(rng) + rng.choice(("", " (#12)", f" due: 2022-10-{rng.randrange(10, 28)}")))
        if rng.random() < 0.3:
            out.append(f"  - {_sentence(rng, 8)}")
    return "\n".join(out) + "\n"


def _meetbot_note(rng: random.Random, number: int) -> str:
    actions = [_action(rng) for _ in range(rng.randrange(2, 5))]
    out = [f"# Meeting {number}", "", "Meeting summary", "---------------"]
    for action in actions:
        out += [f"* {rng.choice(TOPICS)}  (nirik, 15:00:00)", f"  * INFO: {_sentence(rng, 12)}  (nirik, 15:01:00)",
                f"  * ACTION: {action}  (nirik, 15:02:00)", ""]
    out += ["Action Items", "------------"] + [f"* {a}" for a in actions] + [""]
    out += ["Action Items, by person", "-----------------------"]
    for action in actions:
        out += [f"* {action.split()[0]}", f"  * {action}"]
    return "\n".join(out) + "\n"


def make_corpus(root: Path, megabytes: float, seed: int) -> list[Path]:
    """Write notes files under ``root`` until about ``megabytes`` MB are written."""
    rng = random.Random(seed)
    files: list[Path] = []
    total = 0
    while total < megabytes * 1_000_000:
        number = len(files)
        text = _meetbot_note(rng, number) if number % 4 == 3 else _markdown_note(rng, number)
        path = root / f"2022-{number % 12 + 1:02d}-{number % 28 + 1:02d}-meeting-{number}.md"
        path.write_text(text, encoding="utf-8")
        files.append(path)
        total += len(text.encode("utf-8"))
    return files


def _chunks(files: list[Path], texts: list[str], size: int) -> list[tuple[list[Path], list[str]]]:
    return [(files[i:i + size], texts[i:i + size]) for i in range(0, len(files), size)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0, help="corpus size in MB (default 10)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5, help="timings of each slice, the fastest kept (default 5)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = make_corpus(Path(tmp), args.mb, args.seed)
        texts = [f.read_text(encoding="utf-8") for f in files]
        size_mb = sum(len(t.encode("utf-8")) for t in texts) / 1_000_000
        bare = mistune.create_markdown(renderer=None, plugins=list(PLUGINS))
        items = sum(len(extract_file(f)) for f in files)  # also warms both sides up
        blocks = sum(len(bare(t)) for t in texts)
        # The two sides are timed on the same slice of ~40 files back to back, in alternating order, and
        # each slice's fastest time is kept: a burst of load on this shared machine then slows one timing
        # of one slice, not a whole side.
        slices = _chunks(files, texts, SLICE_FILES)
        best_extract = [float("inf")] * len(slices)
        best_bare = [float("inf")] * len(slices)
        for round_ in range(args.repeat):
            for index, (names, bodies) in enumerate(slices):
                for side in ((0, 1) if (round_ + index) % 2 else (1, 0)):
                    start = time.perf_counter()
                    if side == 0:
                        for f in names:
                            extract_file(f)
                        best_extract[index] = min(best_extract[index], time.perf_counter() - start)
                    else:
                        for t in bodies:
                            bare(t)
                        best_bare[index] = min(best_bare[index], time.perf_counter() - start)
        extract_seconds, bare_seconds = sum(best_extract), sum(best_bare)
    print(f"corpus: {len(files)} files, {size_mb:.1f} MB, {items} items, {blocks} top-level blocks")
    print(f"extraction: {extract_seconds:.2f} s, {items / extract_seconds:,.0f} items/s, {size_mb / extract_seconds:.2f} MB/s")
    print(f"bare mistune AST parse: {bare_seconds:.2f} s, {items / bare_seconds:,.0f} items/s, {size_mb / bare_seconds:.2f} MB/s")
    print(f"ratio extraction/bare: {extract_seconds / bare_seconds:.2f}")


if __name__ == "__main__":
    main()
