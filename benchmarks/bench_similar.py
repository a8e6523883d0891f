"""The near-duplicate check at scale: 20,000 new items against 1,000 open hand-filed issues.

Times the whole plan (``make_plan`` with the word index of ``sync.similar``),
then, on a sample of the items, compares its decisions with the same rule
applied to every issue in turn (``most_similar_naive``) and times both on that
sample side by side. Titles share a small vocabulary, so many look alike, and
some items are near-copies of an issue (a word or a number changed, punctuation).

Run: ``python benchmarks/bench_similar.py [--items 20000] [--issues 1000] [--sample 500] [--seed 1]``
"""

from __future__ import annotations

import argparse
import random
import time

from notes2tickets.extract import fingerprint
from notes2tickets.model import ActionItem, RemoteRef
from notes2tickets.sync.plan import make_plan
from notes2tickets.sync.similar import SimilarIndex, most_similar_naive

VERBS = ("review", "test", "document", "package", "rebuild", "ask upstream about", "write up", "fix", "update", "drop")
THINGS = ("the systemd backports", "the KIWI images", "Btrfs compression", "the journald limits", "kernel 6.0",
          "EPEL packaging", "the container images", "the docs site", "the CI runners", "the release schedule",
          "CentOS Stream 9", "CentOS Stream 10", "the mirror list", "the cloud spin", "the build hosts")
TAILS = ("", " for the next release", " before the freeze", " with upstream", " on the mailing list", " again",
         " in the wiki", " for Hyperscale", " and report back", " next week")


def _title(rng: random.Random) -> str:
    text = f"{rng.choice(VERBS)} {rng.choice(THINGS)}{rng.choice(TAILS)}"
    if rng.random() < 0.5:
        text += f" (task {rng.randrange(1, 300)})"
    return text[:1].upper() + text[1:]


def _near_copy(rng: random.Random, title: str) -> str:
    change = rng.randrange(3)
    if change == 0:
        return title + "."
    if change == 1:
        return title.replace("the ", "", 1)
    return title.replace("task ", "task 1", 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=20000)
    parser.add_argument("--issues", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    issues = [_title(rng) for _ in range(args.issues)]
    remote = [RemoteRef(n, f"https://pagure.example/p/issue/{n}", t, True, None) for n, t in enumerate(issues, 1)]
    titles = [_near_copy(rng, rng.choice(issues)) if rng.random() < 0.2 else _title(rng) for _ in range(args.items)]
    items = [ActionItem(f"{t} #{n}" if n % 3 else t, "notes.md", n, fingerprint(f"{t} {n}")) for n, t in enumerate(titles, 1)]

    start, cpu = time.perf_counter(), time.process_time()
    plan = make_plan(items, known={}, remote=remote, threshold=0.9)
    whole, cpu = time.perf_counter() - start, time.process_time() - cpu
    similar = sum(1 for d in plan.decisions if d.reason == "similar")
    print(f"make_plan: {args.items} items x {args.issues} open issues: {whole:.2f} s ({cpu:.2f} s CPU; {similar} similar)")

    sample = [i.title for i in rng.sample(items, min(args.sample, len(items)))]
    index = SimilarIndex(remote, 0.9)
    start = time.perf_counter()
    fast = [index.most_similar(t) for t in sample]
    indexed = time.perf_counter() - start
    start = time.perf_counter()
    slow = [most_similar_naive(t, remote, 0.9) for t in sample]
    naive = time.perf_counter() - start
    same = sum(1 for a, b in zip(fast, slow) if a == b)
    print(f"sample of {len(sample)}: indexed {indexed:.3f} s, every issue compared {naive:.3f} s, "
          f"ratio {naive / max(indexed, 1e-9):.0f}x; same decision for {same}/{len(sample)}")


if __name__ == "__main__":
    main()
