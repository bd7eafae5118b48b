"""Acceptance figures of the name-type stage on the shared dev sets (skipped when ../shared/data is absent).

1. OFAC SDN dev: person vs organisation against ``sdn_type`` (individual vs entity).
2. Fraunhofer pharma assignees: ``individual.tsv`` (persons) vs ``organization.tsv``.
3. PatentsView inventors: raw first and last names joined as "First Last", as "LAST, First"
   and as "LAST FIRST" in capitals (decided per name, and with the office convention
   person_order = "family-first"), split back; exact family-name accuracy over distinct
   (first, last) pairs (the expected family name without the suffixes the raw last name
   carries: "Adams, Jr."). Also "Last First" in mixed case and "First Last" with the row
   country CN, where a romanised Chinese name is read family first: the inventors are US
   filings' (given first), so the two forms bound what the CN convention gains and costs.
4. Speed of the Unicode and name-type stages on one core (Lens drone applicants).

Every name runs through ``batch.clean`` with the stages before ``name_type`` that this
install has (the legal-form stage when present). Run from the repository root:

    python benchmarks/bench_name_type.py [--errors N]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from shared_data import read_rows, require_shared_data  # noqa: E402

from namecleaner.batch import clean  # noqa: E402
from namecleaner.config import Config  # noqa: E402
from namecleaner.pipeline import STAGES, build_pipeline  # noqa: E402
from namecleaner.stages.name_type.lexicons import affix_key, load_person_lexicon  # noqa: E402

RUN_STAGES = tuple(s for s in ("legal_form", "name_type") if s in STAGES)
INVENTOR_FILES = (
    "als-inventors.csv.gz",
    "ens-inventors.csv",
    "israeli-inventors-benchmark.csv",
    "lai-2011-benchmark.csv",
    "patentsview-inventors-benchmark.csv",
)


def classify(names: list[str], config: Config | None = None, country: str | None = None):
    """The cleaned frame of distinct names, indexed by name; ``country`` the row country of every name."""
    distinct = list(dict.fromkeys(names))
    frame = clean(distinct, config, country=[country] * len(distinct) if country else None, stages=RUN_STAGES)
    frame.index = distinct
    return frame


def type_accuracy(title: str, labelled: list[tuple[str, str]], errors: int) -> None:
    """Accuracy of person vs organisation; 'unknown' counts as wrong."""
    started = time.perf_counter()
    frame = classify([name for name, _ in labelled])
    seconds = time.perf_counter() - started
    confusion: Counter[tuple[str, str]] = Counter()
    wrong = []
    for name, expected in labelled:
        got = frame.at[name, "name_type"]
        confusion[(expected, got)] += 1
        if got != expected:
            wrong.append((expected, got, name, frame.at[name, "name_type_evidence"]))
    correct = sum(n for (expected, got), n in confusion.items() if expected == got)
    print(
        f"\n{title}: {correct}/{len(labelled)} = {correct / len(labelled):.2%} "
        f"({len(frame)} distinct names in {seconds:.1f} s)"
    )
    for (expected, got), n in sorted(confusion.items()):
        print(f"  expected {expected:12} got {got:12} {n}")
    for expected, got, name, evidence in wrong[:errors]:
        print(f"  ! {expected} -> {got}: {name!r} [{evidence}]")


def ofac(errors: int) -> None:
    rows = read_rows("eval/ofac-sdn-2022/sdn_name_variants.dev.tsv", "\t")
    labels = {"individual": "person", "entity": "organisation"}
    type_accuracy(
        "OFAC SDN dev, person vs organisation against sdn_type",
        [(row["name"], labels[row["sdn_type"]]) for row in rows if row["sdn_type"] in labels],
        errors,
    )


def fraunhofer(errors: int) -> None:
    folder = "eval/assignee-harmonisation/fraunhofer-pharma/"
    labelled = [(row["name"], "person") for row in read_rows(folder + "individual.tsv", "\t")]
    labelled += [(row["name"], "organisation") for row in read_rows(folder + "organization.tsv", "\t")]
    type_accuracy("Fraunhofer pharma, individual.tsv vs organization.tsv", labelled, errors)


def inventor_pairs(path: Path) -> list[tuple[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(io.StringIO(handle.read()))
        pairs = (
            (
                " ".join((r["raw_inventor_name_first"] or "").split()),
                " ".join((r["raw_inventor_name_last"] or "").split()),
            )
            for r in rows
        )
        return list(dict.fromkeys((first, last) for first, last in pairs if first and last))


def without_suffix(last: str) -> str:
    """The raw family name without the suffixes and annotations feeds append ("Adams, Jr.", "Armato III")."""
    lexicon = load_person_lexicon()
    parts = [p.strip() for p in last.split(",")]
    words = ([p for p in parts if affix_key(p) not in lexicon.suffixes] or parts)[0].split()
    while len(words) > 1 and affix_key(words[-1]) in lexicon.suffixes:
        words.pop()
    return " ".join(words)


def patentsview(errors: int) -> None:
    folder = require_shared_data() / "eval" / "patentsview" / "inventor"
    pairs = [pair for file in INVENTOR_FILES for pair in inventor_pairs(folder / file)]
    pairs = list(dict.fromkeys(pairs))
    family_first = Config().replace(name_type={"person_order": "family-first"})
    forms = (
        ("First Last", lambda given, family: f"{given} {family}", None, None),
        ("LAST, First", lambda given, family: f"{family.upper()}, {given}", None, None),
        ("LAST FIRST (capitals, no comma)", lambda given, family: f"{family} {given}".upper(), None, None),
        (
            "LAST FIRST with person_order = family-first",
            lambda given, family: f"{family} {given}".upper(),
            family_first,
            None,
        ),
        ("Last First, row country CN", lambda given, family: f"{family} {given}", None, "CN"),
        ("First Last, row country CN", lambda given, family: f"{given} {family}", None, "CN"),
    )
    for form, join, config, country in forms:
        names = [join(first, last) for first, last in pairs]
        started = time.perf_counter()
        frame = classify(names, config, country)
        seconds = time.perf_counter() - started
        right = persons = 0
        wrong = []
        for (_, last), name in zip(pairs, names):
            family = frame.at[name, "family_name"]
            persons += frame.at[name, "name_type"] == "person"
            if isinstance(family, str) and family.casefold() == without_suffix(last).casefold():
                right += 1
            else:
                wrong.append((name, last, family, frame.at[name, "name_type"]))
        print(
            f"\nPatentsView inventors as '{form}': family name exact {right}/{len(pairs)} = {right / len(pairs):.2%}; "
            f"classified person {persons / len(pairs):.2%} ({seconds:.1f} s)"
        )
        for name, last, family, kind in wrong[:errors]:
            print(f"  ! {name!r}: expected {last!r}, got {family!r} ({kind})")


def speed(errors: int) -> None:
    """Names per second of the Unicode and name-type stages, one core, on the Lens drone applicants."""
    names = [row["applicant"] for row in read_rows("raw/lens-drones-applicants/applicants_cleaned_counts.tsv", "\t")]
    pipeline = build_pipeline(stages=("name_type",))
    pipeline.run("warm up the lexicons")
    started = time.perf_counter()
    for name in names:
        pipeline.run(name)
    seconds = time.perf_counter() - started
    print(
        f"\nSpeed, unicode + name_type, one core: {len(names)} names in {seconds:.1f} s = {len(names) / seconds:,.0f} names/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", type=int, default=0, help="print this many errors per set")
    parser.add_argument("--only", choices=("ofac", "fraunhofer", "patentsview", "speed"), help="run one set")
    args = parser.parse_args()
    require_shared_data()
    print(f"stages run: {', '.join(RUN_STAGES)} (with their requirements)")
    for name, run in (("ofac", ofac), ("fraunhofer", fraunhofer), ("patentsview", patentsview), ("speed", speed)):
        if args.only in (None, name):
            run(args.errors)


if __name__ == "__main__":
    main()
