"""The review report at scale: 1M rows in about 300,000 clusters, written and then opened in Chromium.

The cleaned and clustered rows are synthesised (seeded, so every run sees the same input):
clusters of one to a few dozen match keys, each key with a few spellings in several scripts,
the rows of a spelling drawn from a long-tailed distribution. The clustering itself is not
measured: a :class:`ClusterResult` is built directly over real :class:`Units` and
:class:`ScoreModel`, with an accepted merge per joined key and refused ones around the
threshold, so the weakest links are explained with real pair scores. Measured:

* writing: the rows fed to :class:`ReportCollector` in chunks of 100,000 (as ``cluster
  --report`` does), then :func:`write_report`; seconds, peak memory and page size;
* opening (when Chromium is at /usr/bin/chromium): seconds until the list is shown, then a
  search (the first builds the search index), a sort by weakest link and a filter.

    python benchmarks/bench_report.py [--rows 1000000] [--clusters 300000] [--no-browser]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from namecleaner.cluster import ClusterResult, thresholds
from namecleaner.cluster.assign import Assignment, Decision
from namecleaner.cluster.features import build_units
from namecleaner.cluster.score import ScoreModel
from namecleaner.report import Columns, ReportCollector, write_report
from namecleaner.report.browser import CHROMIUM, launch

SYLLABLES = (
    "ka",
    "to",
    "mi",
    "ra",
    "sen",
    "tek",
    "no",
    "lu",
    "vor",
    "an",
    "bel",
    "dor",
    "shi",
    "ko",
    "zen",
    "ma",
    "ri",
    "tal",
)
WORDS = (
    "technology",
    "motor",
    "electric",
    "chemical",
    "university",
    "institute",
    "pharma",
    "systems",
    "holding",
    "group",
)
FORMS = (
    ("Inc.", "INC", "US"),
    ("GmbH", "LLC", "DE"),
    ("Co., Ltd.", "LLC", "JP"),
    ("AG", "JSC", "CH"),
    ("S.A.", "JSC", "FR"),
    ("", "", "GB"),
)
#: Other scripts a spelling may be written in: (script, language, table, a prefix standing in for its letters).
SCRIPTS = (
    ("Jpan", "ja", "mofa-jpn-Hrkt-Latn-1989", "株式会社"),
    ("Cyrl", "ru", "bgnpcgn-rus-Cyrl-Latn-1947", "ООО "),
    ("Hang", "ko", "moct-kor-Hang-Latn-2000", "주식회사 "),
    ("Arab", "ar", "bgnpcgn-ara-Arab-Latn-1956", "شركة "),
)
STEPS = json.dumps(
    [
        {"stage": "unicode", "step": "nfc"},
        {"stage": "legal_form", "step": "split_suffix"},
        {"stage": "name_type", "step": "organisation"},
        {"stage": "match_key", "step": "fold"},
    ]
)
CHUNK = 100_000


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def synthesise(rows: int, clusters: int, seed: int = 17) -> tuple[pd.DataFrame, ClusterResult]:
    """A cleaned and clustered table of about ``rows`` rows in ``clusters`` clusters, and its result."""
    rng = random.Random(seed)
    records = []
    groups: list[list[str]] = []
    for number in range(clusters):
        base = " ".join([_word(rng), *rng.sample(WORDS, rng.randint(0, 2))])
        form, form_class, country = rng.choice(FORMS)
        keys = [base.lower()]
        for _ in range(min(int(rng.paretovariate(1.6)) - 1, 40)):
            keys.append(f"{base.lower()} {_word(rng)}" if rng.random() < 0.5 else base.lower() + rng.choice(SYLLABLES))
        keys = list(dict.fromkeys(keys))
        groups.append(keys)
        cluster_id = f"NC{number:014x}"
        for key in keys:
            latin = f"{key.title()} {form}".strip()
            spellings = [
                (latin, "Latn", "", "", latin),
                (latin.upper(), "Latn", "", "", latin.upper()),
            ]
            if rng.random() < 0.3:
                script, language, table, prefix = rng.choice(SCRIPTS)
                spellings.append((prefix + key, script, language, table, latin))
            for spelling, script, language, table, romanised in spellings[: rng.randint(1, len(spellings))]:
                records.append(
                    (
                        spelling,
                        country,
                        script,
                        language,
                        romanised,
                        table,
                        form,
                        form_class,
                        key,
                        cluster_id,
                    )
                )
    mean = rows / len(records)
    counts = [max(1, int(rng.expovariate(1 / mean) + 0.5)) for _ in records]
    scale = rows / sum(counts)
    counts = [max(1, round(c * scale)) for c in counts]
    frame = pd.DataFrame(
        records,
        columns=[
            "applicant",
            "country",
            "script",
            "language",
            "name_latin",
            "translit_table",
            "legal_form",
            "legal_form_class",
            "match_key",
            "cluster_id",
        ],
    )
    frame = frame.loc[frame.index.repeat(counts)].reset_index(drop=True)
    frame["name_clean"] = frame["applicant"]
    frame["name_type"], frame["sector"], frame["steps"] = (
        "organisation",
        "company",
        STEPS,
    )
    units = build_units(
        frame["match_key"],
        frame["applicant"],
        None,
        frame["legal_form_class"],
        frame["name_type"],
    )
    index = units.index
    rule = thresholds()
    members, decisions = [], []
    for keys in groups:
        numbers = sorted(index[k] for k in keys)
        members.append(numbers)
        for left, right in itertools.pairwise(numbers):
            linkage = rng.uniform(rule.merge, 1.0)
            decisions.append(Decision(left, right, linkage, linkage, linkage, True, "average link"))
        if rng.random() < 0.2:
            linkage = rng.uniform(rule.veto, rule.merge)
            decisions.append(
                Decision(
                    numbers[0],
                    rng.randrange(len(units)),
                    linkage,
                    linkage,
                    linkage,
                    False,
                    "average link under the threshold",
                )
            )
    order = sorted(range(len(groups)), key=lambda c: members[c][0])
    frame_names = frame.groupby("cluster_id", sort=False)["applicant"].first()
    ids = [f"NC{c:014x}" for c in order]
    result = ClusterResult(
        units,
        ScoreModel.from_units(units),
        Assignment([members[c] for c in order], decisions),
        ids,
        [frame_names[i] for i in ids],
        rule,
    )
    frame["cluster_name"] = frame["cluster_id"].map(frame_names)
    return frame, result


def write(frame: pd.DataFrame, result: ClusterResult, path: Path) -> tuple[float, float]:
    """Seconds (wall clock, and CPU of this process) to gather the rows chunk by chunk and write the page."""
    start, cpu = time.perf_counter(), time.process_time()
    collector = ReportCollector(Columns(key="match_key", name="applicant", country="country"))
    for begin in range(0, len(frame), CHUNK):
        chunk = frame.iloc[begin : begin + CHUNK]
        collector.add(chunk, chunk["cluster_id"].tolist(), chunk["cluster_name"].tolist())
    write_report(path, collector, result, title=f"benchmark, {len(frame):,} rows")
    return time.perf_counter() - start, time.process_time() - cpu


def browse(path: Path, query: str) -> dict[str, float]:
    """Seconds to open the page, search, sort and filter in headless Chromium."""
    from playwright.sync_api import sync_playwright

    times = {}
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        start = time.perf_counter()
        page.goto(path.as_uri(), timeout=300_000)
        page.wait_for_selector("body[data-ready=true]", timeout=300_000)
        times["open"] = time.perf_counter() - start
        for label, action in (
            ("first search", lambda: page.fill("#search", query)),
            ("second search", lambda: page.fill("#search", query[:4])),
            (
                "sort by weakest link",
                lambda: (
                    page.fill("#search", ""),
                    page.select_option("#sort", "weakest"),
                ),
            ),
            ("filter doubtful", lambda: page.select_option("#filter", "doubtful")),
        ):
            before = page.text_content("#shown")
            start = time.perf_counter()
            action()
            page.wait_for_function(
                "text => document.querySelector('#shown').textContent !== text",
                arg=before,
                timeout=120_000,
            )
            times[label] = time.perf_counter() - start
        browser.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--clusters", type=int, default=300_000)
    parser.add_argument("--no-browser", action="store_true", help="only write the page")
    args = parser.parse_args()
    start = time.perf_counter()
    frame, result = synthesise(args.rows, args.clusters)
    print(
        f"synthesised {len(frame):,} rows, {frame['applicant'].nunique():,} distinct names, {len(result.units):,} keys, "
        f"{len(result.assignment.clusters):,} clusters in {time.perf_counter() - start:.1f} s"
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.html"
        seconds, cpu = write(frame, result, path)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"report written in {seconds:.1f} s ({cpu:.1f} s of CPU; the machine's load average {os.getloadavg()[0]:.1f}), "
            f"peak memory of the process {peak:,.0f} MB, page {path.stat().st_size / 2**20:,.1f} MiB"
        )
        if not args.no_browser and CHROMIUM.exists():
            query = frame["applicant"].iloc[len(frame) // 2].split()[0]
            for label, value in browse(path, query).items():
                print(f"chromium: {label} in {value:.2f} s")
        elif not args.no_browser:
            print("skipped the browser: no /usr/bin/chromium")


if __name__ == "__main__":
    main()
