"""Pair scoring speed: pairs per CPU second of this tree's scorer against another revision's, side by side.

The names are ``bench_cluster_scale``'s (real names and seeded variants); their match keys,
units and candidate pairs are made once by this tree, then each scorer (this tree's and the
one of ``--against``, a git revision extracted with ``git archive`` into a temporary folder)
scores the same pairs in its own process, one worker, alternately ``--rounds`` times, so
both see the same machine load. The ratio of the medians is the figure.

    python benchmarks/bench_cluster_score_speed.py [--size 30000] [--against 6937f7c] [--rounds 3]

6937f7c is the last revision with the hand-set scorer (before the fitted match model).
Skips cleanly when ../shared/data is absent.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

#: Run in a child process: score the saved pairs with the scorer of the tree given, print pairs per CPU second.
SCORE = """
import json, sys, time
import numpy as np
sys.path.insert(0, sys.argv[1])
from namecleaner.cluster.features import build_units
from namecleaner.cluster.score import ScoreModel, score_edges
keys = json.load(open(sys.argv[2]))
pairs = np.load(sys.argv[3])
units = build_units(keys, keys)
model = ScoreModel.from_units(units)
score_edges(model, units, pairs[:2000], 0.0)  # tables and caches loaded before the clock starts
started = time.process_time()
score_edges(model, units, pairs, 0.0, workers=1)
print(len(pairs) / (time.process_time() - started))
"""


def prepare(size: int, folder: Path) -> tuple[Path, Path, int]:
    """The match keys and candidate pairs of ``size`` benchmark names, saved in ``folder``."""
    import numpy as np
    from bench_cluster_scale import build_names

    from namecleaner.cluster import candidates
    from namecleaner.cluster.features import build_units
    from namecleaner.cluster.score import ScoreModel
    from namecleaner.stages.match_key import load_glossary, make_key

    names, _ = build_names(size)
    glossary = load_glossary()
    keys = [key for key in (make_key(name, None, glossary)[0] for name in names) if key]
    units = build_units(keys, keys)
    model = ScoreModel.from_units(units)
    pairs = candidates.candidate_pairs(
        candidates.iter_blocks(candidates.blocks(units, model)), units.keys, candidates.fit_vectors(units.keys)
    )
    keys_path, pairs_path = folder / "keys.json", folder / "pairs.npy"
    keys_path.write_text(json.dumps(keys), encoding="utf-8")
    np.save(pairs_path, pairs)
    return keys_path, pairs_path, len(pairs)


def main() -> None:
    from shared_data import require_shared_data

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=30_000, help="benchmark names (default: %(default)s)")
    parser.add_argument("--against", default="6937f7c", help="git revision of the other scorer (default: %(default)s)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    require_shared_data()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        other = folder / "other"
        other.mkdir()
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", args.against], check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(other)], input=archive, check=True)
        keys, pairs, count = prepare(args.size, folder)
        speeds: dict[str, list[float]] = {"this tree": [], args.against: []}
        for _ in range(args.rounds):
            for label, tree in (("this tree", ROOT), (args.against, other)):
                done = subprocess.run(
                    [sys.executable, "-c", SCORE, str(tree), str(keys), str(pairs)],
                    check=True,
                    capture_output=True,
                    text=True,
                )
                speeds[label].append(float(done.stdout.split()[-1]))
    print(f"{count} candidate pairs of {args.size} names, one worker, {args.rounds} alternate rounds")
    for label, values in speeds.items():
        print(
            f"  {label:<12} median {statistics.median(values):>9,.0f} pairs per CPU second  ({', '.join(f'{v:,.0f}' for v in values)})"
        )
    ratio = statistics.median(speeds["this tree"]) / statistics.median(speeds[args.against])
    print(f"  ratio this tree / {args.against}: {ratio:.2f}")


if __name__ == "__main__":
    main()
