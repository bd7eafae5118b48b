"""Clustering at scale: 100k and 1M distinct real-looking names, namecleaner against string_grouper.

The names are built from the real names in ../shared/data with realistic perturbations
(typos, legal-form variants, punctuation and case, word order, abbreviations), seeded, so
every run sees the same input. Each method runs in its own process, so its peak memory
(``ru_maxrss``) is its own:

* ``namecleaner (keys)``: clustering of already-cleaned names (the match-key fold and
  glossary per name, then candidates, scores and assignment);
* ``namecleaner (end to end)``: the whole job through the command line, as an office runs
  it: ``namecleaner clean names.csv -o out.csv --column name --cluster`` (every stage, the
  distinct names cleaned by every core, then clustering; ``--steps none --columns cluster_id``,
  since only the labels are compared), only at the sizes given with ``--end-to-end``;
* ``string_grouper``: ``group_similar_strings`` with its defaults, stopped after
  ``--timeout`` seconds.

Each run also scores its clusters against the real name each variant was made from
(pairwise precision, recall, F1 over the names): a check that speed was not bought with
quality at scale. Distinct real names of one applicant (the dev sets hold such variants)
count as wrong merges there, so precision is a floor.

    python benchmarks/bench_cluster_scale.py [--sizes 100000,1000000] [--end-to-end 100000] [--timeout 900]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_cluster_quality import scores
from shared_data import real_names, require_shared_data

LEGAL_FORMS = (
    "Inc",
    "Inc.",
    "Corp.",
    "Corporation",
    "Co., Ltd.",
    "Ltd",
    "LLC",
    "GmbH",
    "AG",
    "S.A.",
    "Co",
    "Limited",
    "K.K.",
    "plc",
)
ABBREVIATIONS = {
    "university": "Univ.",
    "international": "Intl",
    "corporation": "Corp",
    "company": "Co",
    "technology": "Tech",
    "laboratories": "Labs",
    "manufacturing": "Mfg",
    "national": "Natl",
    "institute": "Inst",
    "industries": "Inds",
}


def _typo(name: str, rng: random.Random) -> str:
    if len(name) < 4:
        return name + name[-1]
    i = rng.randrange(1, len(name) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return name[:i] + name[i + 1 :]
    if kind == 1:
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if kind == 2:
        return name[:i] + rng.choice("aeinorst") + name[i:]
    return name[:i] + rng.choice("aeinorst") + name[i + 1 :]


def perturb(name: str, rng: random.Random) -> str:
    """One realistic variant of a name (one to three perturbations)."""
    for _ in range(rng.randint(1, 3)):
        kind = rng.randrange(6)
        if kind == 0:
            name = _typo(name, rng)
        elif kind == 1:
            name = f"{name.rstrip(' ,.')}{rng.choice((' ', ', '))}{rng.choice(LEGAL_FORMS)}"
        elif kind == 2:
            name = rng.choice(
                (
                    name.upper(),
                    name.lower(),
                    name.title(),
                    name.replace(",", ""),
                    name.replace(".", ""),
                    name.replace(" ", "  "),
                )
            )
        elif kind == 3:
            words = name.split()
            if len(words) > 2:
                i = rng.randrange(len(words) - 1)
                words[i], words[i + 1] = words[i + 1], words[i]
                name = " ".join(words)
        elif kind == 4:
            name = " ".join(ABBREVIATIONS.get(w.lower(), w) for w in name.split())
        else:
            name = name.replace("&", "and") if "&" in name else name.replace(" and ", " & ")
    return name


def build_names(size: int, seed: int = 20261123) -> tuple[list[str], list[int]]:
    """``size`` distinct names (the real names, then perturbed variants of them) and the
    number of the real name each was made from."""
    rng = random.Random(seed)
    base = [n for n in real_names() if n.strip()]
    names = {name: number for number, name in enumerate(base[:size])}
    while len(names) < size:
        number = rng.randrange(len(base))
        names.setdefault(perturb(base[number], rng), number)
    return list(names), list(names.values())


def run_one(method: str, size: int) -> dict[str, float]:
    """Run one method in this process; return seconds, clusters, peak memory and quality against the origins."""
    names, origins = build_names(size)
    started = time.perf_counter()
    phases: dict[str, float] = {}
    if method == "keys":
        from namecleaner.cluster import cluster_units
        from namecleaner.cluster.features import build_units
        from namecleaner.stages.match_key import load_glossary, make_key

        glossary = load_glossary()
        keys = [make_key(n, None, glossary)[0] for n in names]
        phases["keys"] = time.perf_counter() - started
        units = build_units(keys, names)
        result = cluster_units(units)
        phases["cluster"] = time.perf_counter() - started - phases["keys"]
        labels = result.label(keys)["cluster_id"].tolist()
    elif method == "end-to-end":
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            source, out = Path(folder) / "names.csv", Path(folder) / "out.csv"
            pd.DataFrame({"name": names}).to_csv(source, index=False)
            started = time.perf_counter()  # the whole job: the command from its start to its output
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "namecleaner",
                    "clean",
                    str(source),
                    "-o",
                    str(out),
                    "-c",
                    "name",
                    "--cluster",
                    "--steps",
                    "none",
                    "--columns",
                    "cluster_id",
                    "-q",
                ],
                check=True,
            )
            labels = pd.read_csv(out, dtype=str, keep_default_na=False)["cluster_id"].replace("", None).tolist()
    else:
        from string_grouper import group_similar_strings

        grouped = group_similar_strings(pd.Series(names))
        labels = (grouped.iloc[:, 0] if hasattr(grouped, "columns") else grouped).tolist()
    seconds = time.perf_counter() - started
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = max(own.ru_maxrss, children.ru_maxrss) / 1024 / 1024  # kilobytes on Linux
    cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    # a name without a key (nothing left after cleaning) is a cluster of its own
    labels = [f"-{i}" if label is None or label is pd.NA else label for i, label in enumerate(labels)]
    quality = scores(labels, origins)
    return {
        "seconds": seconds,
        "cpu": cpu,
        "clusters": len(set(labels)),
        "peak_gb": peak,
        "pair_p": quality["pair_p"],
        "pair_r": quality["pair_r"],
        "pair_f1": quality["pair_f1"],
        **{f"{k}_seconds": v for k, v in phases.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument(
        "--end-to-end", default="100000", help="sizes at which to time the whole pipeline too ('' for none)"
    )
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds before a method's run is stopped")
    parser.add_argument("--methods", default="keys,end-to-end,string_grouper")
    parser.add_argument("--one", nargs=2, metavar=("METHOD", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    require_shared_data()
    if args.one:
        print(json.dumps(run_one(args.one[0], int(args.one[1]))))
        return
    end_to_end = {int(s) for s in args.end_to_end.split(",") if s}
    print(
        f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (other work on the machine slows wall time)"
    )
    print(
        f"{'size':>9} {'method':<26}{'seconds':>9}{'CPU s':>8}{'clusters':>10}{'peak GB':>9}{'pair P':>8}{'pair R':>8}{'pair F1':>8}  phases"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        for method in args.methods.split(","):
            if method == "end-to-end" and size not in end_to_end:
                continue
            label = {"keys": "namecleaner (keys)", "end-to-end": "namecleaner (end to end)"}.get(method, method)
            try:
                done = subprocess.run(
                    [sys.executable, __file__, "--one", method, str(size)],
                    capture_output=True,
                    text=True,
                    timeout=args.timeout,
                    check=True,
                )
            except subprocess.TimeoutExpired:
                print(f"{size:>9} {label:<26}{'>' + str(int(args.timeout)):>9}  stopped at the timeout")
                continue
            except subprocess.CalledProcessError as error:
                print(
                    f"{size:>9} {label:<26} failed: {error.stderr.strip().splitlines()[-1] if error.stderr.strip() else error}"
                )
                continue
            r = json.loads(done.stdout.strip().splitlines()[-1])
            phases = ", ".join(f"{k[:-8]} {v:.0f}s" for k, v in r.items() if k.endswith("_seconds"))
            print(
                f"{size:>9} {label:<26}{r['seconds']:>9.1f}{r['cpu']:>8.0f}{r['clusters']:>10}{r['peak_gb']:>9.2f}"
                f"{r['pair_p']:>8.3f}{r['pair_r']:>8.3f}{r['pair_f1']:>8.3f}  {phases}",
                flush=True,
            )


if __name__ == "__main__":
    main()
