"""Access to the evaluation data in ``../shared/data``, for benchmarks that skip cleanly without it.

The data stays where it is (its licences differ); nothing here copies it into the project.
"""

from __future__ import annotations

import csv
import os
import sys
from pathlib import Path

SHARED_DATA = Path(os.environ.get("NAMECLEANER_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))

#: (file under shared/data, delimiter, name columns) of the real name lists.
NAME_SOURCES = (
    ("raw/lens-drones-applicants/applicants_cleaned_counts.tsv", "\t", ("applicant",)),
    ("eval/patentsview/assignee/nber-subset-assignees.dev.csv", ",", ("organization",)),
    ("eval/multiscript/edinet-japan/edinet_filers_corporate.dev.tsv", "\t", ("name_ja", "name_en")),
    ("eval/multiscript/opendart-korea/opendart_listed_corps.dev.tsv", "\t", ("corp_name_ko", "corp_name_en")),
    ("eval/ofac-sdn-2022/sdn_name_variants.dev.tsv", "\t", ("name",)),
    ("eval/assignee-harmonisation/fraunhofer-pharma/organization.tsv", "\t", ("name",)),
    ("eval/assignee-harmonisation/fraunhofer-pharma/individual.tsv", "\t", ("name",)),
)


def require_shared_data() -> Path:
    """The shared data folder; exits 0 with a message when it is absent."""
    if not SHARED_DATA.is_dir():
        print(f"skipped: {SHARED_DATA} not found (set NAMECLEANER_SHARED_DATA)")
        sys.exit(0)
    return SHARED_DATA


def read_rows(relative: str, delimiter: str) -> list[dict[str, str]]:
    """Rows of one file under shared/data as dicts."""
    with open(require_shared_data() / relative, encoding="utf-8", newline="") as handle:
        return list(
            csv.DictReader(
                handle, delimiter=delimiter, quoting=csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
            )
        )


def real_names() -> list[str]:
    """Every distinct non-empty name in the shared name lists, in first-seen order."""
    names: dict[str, None] = {}
    for relative, delimiter, columns in NAME_SOURCES:
        for row in read_rows(relative, delimiter):
            for column in columns:
                if row.get(column):
                    names.setdefault(row[column], None)
    return list(names)
