"""Acceptance measurements of the legal-form stage, on the data in ../shared/data (read in place).

Parts (all by default; ``--part`` picks one):

- ``edinet``: EDINET dev filers. ``name_ja``: every row whose Japanese name contains a form of the
  Companies Act (株式会社, 合同会社, 有限会社, 合資会社, 合名会社) or the mutual company (相互会社); the
  right answer is that form, at the place it stands (prefix or suffix), with its ELF code. The
  katakana reading (``name_kana``) confirms the form and place independently on the rows where it
  spells the form (カブシキガイシャ …); that subset is reported too. ``name_en``: the same rows with
  an English name. The right answer is the English designation that ends the name (found by the
  ``EN_DESIGNATIONS`` patterns of this script, not by the stage; a designation glued to the name,
  "SUNCORPORATION", counts as one to find) with the generic class of the
  row's Japanese form; a name without such a designation must come out with no form.
  Country JP is given, as ``--country-column`` would.
- ``magerman``: each "legal form at end" statement of Magerman et al. (2006), appended to a core
  name, must be detected with the class of its label (labels mapped to classes by
  ``tools/legal_forms/source_classes.tsv``). Statements labelled with no legal form are reported apart.
- ``ofac``: share of OFAC SDN dev entity names with a detected form, and a seeded random sample of
  100 detections (``--seed``) for the hand check recorded in ``benchmarks/legal_form_ofac_handcheck.md``.
- ``speed``: detection throughput on ``--rows`` names drawn from the real name lists (single
  process; Unicode cleaning done before timing; every row detected, no cache), per CPU second of
  the process (the per-core figure) and per wall-clock second; then the same number of raw rows
  through the batch API with the Unicode and legal-form stages (distinct names cleaned once).

Run from the repository root:  python benchmarks/bench_legal_form.py [--part edinet] [--rows 1000000]
"""

from __future__ import annotations

import argparse
import random
import re
import time
import unicodedata
from collections import Counter
from pathlib import Path

from shared_data import read_rows, real_names, require_shared_data

from namecleaner.batch import Cleaner
from namecleaner.pipeline import build_pipeline
from namecleaner.resources import read_tsv_table
from namecleaner.stages.legal_form import key_text, load_legal_forms
from namecleaner.stages.unicode import clean_text

REPO = Path(__file__).resolve().parents[1]
EDINET = "eval/multiscript/edinet-japan/edinet_filers_corporate.dev.tsv"
OFAC = "eval/ofac-sdn-2022/sdn_name_variants.dev.tsv"
MAGERMAN = "reference/patent-name-standardisation/nstandr/magerman-patterns-legal-form-end.csv"

#: Japanese company forms: (form in name_ja, katakana readings, expected abbreviation, class).
JA_FORMS = (
    ("株式会社", ("カブシキガイシャ", "カブシキカイシャ"), "KK", "JSC"),
    ("合同会社", ("ゴウドウガイシャ", "ゴウドウカイシャ"), "GK", "LLC"),
    ("有限会社", ("ユウゲンガイシャ", "ユウゲンカイシャ"), "YK", "LLC"),
    ("合資会社", ("ゴウシガイシャ",), "Goshi Kaisha", "LP"),
    ("合名会社", ("ゴウメイガイシャ",), "Gomei Kaisha", "GP"),
    ("相互会社", ("ソウゴガイシャ",), "Sogo Kaisha", "MUTUAL"),
)
#: English designations that end Japanese companies' English names in EDINET, longest first.
_SEP = r"[\s.,:]*"
_DESIGNATION = (
    rf"(CO{_SEP}LTD|COMPANY{_SEP}LIMITED|CO{_SEP}LIMITED|CO{_SEP}INC|CORPORATION|CORP|INCORPORATED|INC"
    rf"|KABUSHIKI\s+KAISHA|K{_SEP}K|GODO\s+KAISHA|G{_SEP}K|L{_SEP}L{_SEP}C|LIMITED|LTD)[\s.,:]*$"
)
#: A designation after a word break; failing that, one glued to the name (which must be found too).
EN_DESIGNATIONS = (re.compile(r"(?<![A-Za-z])" + _DESIGNATION, re.IGNORECASE), re.compile(_DESIGNATION, re.IGNORECASE))


def _squash(text: str) -> str:
    return re.sub(r"[\s.,:]", "", unicodedata.normalize("NFKC", text)).casefold()


def edinet() -> None:
    rows = read_rows(EDINET, "\t")
    pipeline = build_pipeline(stages=("legal_form",))
    ja_total = ja_right = kana_total = kana_right = 0
    en_total = en_right = en_with = en_without = en_false = 0
    misses: list[str] = []
    for row in rows:
        ja = unicodedata.normalize("NFKC", row["name_ja"]).strip()
        found = [(form, readings, abbr, cls) for form, readings, abbr, cls in JA_FORMS if form in ja]
        if not found:
            continue
        form, readings, abbr, form_class = found[0]
        position = "prefix" if ja.startswith(form) else "suffix" if ja.endswith(form) else "infix"
        record = pipeline.run(row["name_ja"], "JP")
        got_position = (record.legal_form_span or "").split(" ")[0]
        # The form's stable code: legal_form shows the form as written (株式会社), the code is KK.
        right = (record.legal_form_code, got_position) == (key_text(abbr).upper(), position)
        ja_total += 1
        ja_right += right
        if not right and len(misses) < 15:
            misses.append(f"  ja miss: {row['name_ja']} -> {record.legal_form} {record.legal_form_span}")
        kana = re.sub(r"\s", "", unicodedata.normalize("NFKC", row["name_kana"]))
        reading = next((r for r in readings if kana.startswith(r) or kana.endswith(r)), None)
        if reading and ("prefix" if kana.startswith(reading) else "suffix") == position:
            kana_total += 1
            kana_right += right
        english = row["name_en"].strip()
        if not english or not any(c.isalpha() for c in english):
            continue
        en_total += 1
        designation = EN_DESIGNATIONS[0].search(english) or EN_DESIGNATIONS[1].search(english)
        en_record = pipeline.run(english, "JP")
        if designation:
            en_with += 1
            span_text = (en_record.legal_form_span or "  ").split(" ", 2)[2]
            ok = _squash(span_text) == _squash(designation.group(1)) and en_record.legal_form_class == form_class
        else:
            en_without += 1
            ok = en_record.legal_form is None
            en_false += not ok
        en_right += ok
        if not ok and len(misses) < 40:
            misses.append(
                f"  en miss: {english!r} ({form}) -> {en_record.legal_form} {en_record.legal_form_class} {en_record.legal_form_span}"
            )
    print(f"EDINET name_ja: {ja_right}/{ja_total} = {ja_right / ja_total:.2%} right form and position")
    print(f"  confirmed by the katakana reading: {kana_right}/{kana_total} = {kana_right / kana_total:.2%}")
    print(
        f"EDINET name_en: {en_right}/{en_total} = {en_right / en_total:.2%} right "
        f"({en_with} with an English designation: detected with its span and the class of the Japanese form; "
        f"{en_without} without one: {en_without - en_false} left alone)"
    )
    print("\n".join(misses))


def magerman() -> None:
    base = require_shared_data()
    classes = {
        row["label"]: row["class"]
        for row in read_tsv_table(REPO / "tools/legal_forms/source_classes.tsv").rows
        if row["source"] == "magerman"
    }
    import csv

    with open(base / MAGERMAN, encoding="utf-8", newline="") as handle:
        statements = list(csv.reader(handle))[1:]
    forms = load_legal_forms()
    total = right = unlabelled = unlabelled_found = 0
    misses = []
    for remove, _replace, label in statements:
        remove, label = remove[1:-1] if remove.startswith("'") else remove, label.strip("'")
        name = clean_text("ACME WIDGETS" + remove)
        found = forms.detect(name)
        if label not in classes:
            unlabelled += 1
            unlabelled_found += found is not None
            continue
        total += 1
        ok = found is not None and found.resolution.form.form_class == classes[label]
        right += ok
        if not ok:
            misses.append(
                f"  miss: {name!r} label {label} -> {found and (found.resolution.form.abbreviation, found.resolution.form.form_class, found.core)}"
            )
    print(
        f"Magerman legal-form-at-end statements: {right}/{total} = {right / total:.2%} detected with the labelled class"
    )
    print(
        f"  statements with no legal-form label (& CO., CORP. …): {unlabelled}, of which {unlabelled_found} get a form"
    )
    print("\n".join(misses))


def ofac(seed: int, sample_size: int = 100) -> None:
    rows = [row for row in read_rows(OFAC, "\t") if row["sdn_type"] == "entity"]
    pipeline = build_pipeline(stages=("legal_form",))
    records = [(row, pipeline.run(row["name"])) for row in rows]
    detected = [(row, record) for row, record in records if record.legal_form]
    print(
        f"OFAC dev entity rows: {len(detected)}/{len(records)} = {len(detected) / len(records):.2%} with a detected form"
    )
    print(
        "  forms:", ", ".join(f"{form} {n}" for form, n in Counter(r.legal_form for _, r in detected).most_common(15))
    )
    sample = random.Random(seed).sample(detected, min(sample_size, len(detected)))
    print(f"\n# sample for the hand check (seed {seed}): name | form | class | span | core")
    for row, record in sample:
        print(
            f"{row['name']} | {record.legal_form} | {record.legal_form_class} | {record.legal_form_span} | {record.name_core}"
        )


def speed(rows: int) -> None:
    names = [clean_text(name) for name in real_names()]
    rng = random.Random(0)
    sample = [names[rng.randrange(len(names))] for _ in range(rows)]
    forms = load_legal_forms()
    for name in names[:2000]:  # warm the resolution cache and the character folds
        forms.detect(name)
    start, cpu_start = time.perf_counter(), time.process_time()
    found = 0
    detect = forms.detect
    for name in sample:
        found += detect(name) is not None
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    # CPU time is the per-core figure: on a shared machine the wall clock also counts other jobs.
    print(
        f"legal-form detection: {rows:,} names ({len(set(sample)):,} distinct), {found / rows:.1%} with a form: "
        f"{cpu_seconds:.2f} CPU s = {rows / cpu_seconds:,.0f} names per CPU second (one core); "
        f"wall {seconds:.2f} s = {rows / seconds:,.0f} names/s"
    )
    originals = real_names()
    raw_rows = [originals[rng.randrange(len(originals))] for _ in range(rows)]
    start, cpu_start = time.perf_counter(), time.process_time()
    Cleaner(build_pipeline(stages=("legal_form",))).clean(raw_rows)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    print(
        f"batch API, stages unicode + legal_form, {rows:,} raw rows (each distinct name cleaned once): "
        f"{rows / cpu_seconds:,.0f} rows per CPU second; wall {rows / seconds:,.0f} rows/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--part", choices=("edinet", "magerman", "ofac", "speed", "all"), default="all")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20261123, help="seed of the OFAC hand-check sample")
    args = parser.parse_args()
    require_shared_data()
    if args.part in ("edinet", "all"):
        edinet()
    if args.part in ("magerman", "all"):
        magerman()
    if args.part in ("ofac", "all"):
        ofac(args.seed)
    if args.part in ("speed", "all"):
        speed(args.rows)


if __name__ == "__main__":
    main()
