"""Write ``tests/fixtures/real_names.csv``: a few thousand real names under open licences.

The Dask tests check that every partitioning gives the single-machine output; real names from
several sources and scripts (and repeats of them) make that check meaningful. Only sources
marked OPEN in ``../shared/data/SOURCES.md`` are drawn from, plus the project's own sample.
The draw is seeded, so rerunning the tool rewrites the same file. Run from the repository root:

    python tools/make_real_names_fixture.py
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

from shared_data import read_rows  # noqa: E402

OUTPUT = REPO / "tests" / "fixtures" / "real_names.csv"
SEED = 6
#: (source label, file under shared/data, delimiter, name column, how many distinct names).
SOURCES = (
    ("lens-drones", "raw/lens-drones-applicants/applicants_cleaned_counts.tsv", "\t", "applicant", 900),
    ("fraunhofer-org", "eval/assignee-harmonisation/fraunhofer-pharma/organization.tsv", "\t", "name", 450),
    ("fraunhofer-person", "eval/assignee-harmonisation/fraunhofer-pharma/individual.tsv", "\t", "name", 200),
    ("ofac-sdn", "eval/ofac-sdn-2022/sdn_name_variants.dev.tsv", "\t", "name", 350),
    ("rigour-sample", "eval/multiscript/rigour_sample_names.csv", ",", "name", 250),
)
#: Rows that repeat a name already drawn, so repeats fall into different partitions.
REPEATS = 300


def main() -> None:
    rng = random.Random(SEED)
    rows: list[tuple[str, str, str]] = []
    for label, relative, delimiter, column, count in SOURCES:
        names = sorted({row[column] for row in read_rows(relative, delimiter) if row.get(column)})
        rows += [(name, "", label) for name in rng.sample(names, min(count, len(names)))]
    with open(REPO / "examples" / "applicants_sample.csv", encoding="utf-8", newline="") as handle:
        rows += [(row["applicant"], row["country"], "examples") for row in csv.DictReader(handle)]
    rows += [rng.choice(rows) for _ in range(REPEATS)]
    rng.shuffle(rows)
    with open(OUTPUT, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["id", "name", "country", "source"])
        writer.writerows((f"R{i:05d}", name, country, source) for i, (name, country, source) in enumerate(rows, 1))
    print(f"wrote {len(rows)} rows to {OUTPUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
