"""Generate the shipped transliteration tables from the open sources, reproducibly.

Usage: python tools/build_translit_tables.py [--check]

The recipe for every table is data, in ``tools/translit_sources.toml``: metadata, where the
letter map comes from (an iuliia schema, an Interscript map or a CLDR transform), the context
rules written by hand (checked against the authority's examples) and where the examples come
from. Sources are read from ``../shared/data/reference/translit`` and
``../shared/data/eval/transliteration``:

- iuliia JSON schemas (MIT): ``mapping``, ``prev_mapping`` (a one-letter key means word
  start), ``next_mapping`` and ``ending_mapping`` become rules with contexts; ``samples``
  become examples.
- Interscript maps (MIT): the unconditional ``sub "X", "Y"`` statements of the map and its
  dependencies, first statement winning as in Interscript's sequential stages. Interscript's
  conditional statements are not ported automatically; the recipe carries them, rewritten by
  hand in the table's rule syntax. The examples are the map's ``test`` lines.
- CLDR transforms (Unicode licence): carried verbatim as ``icu_rules``.
- ICU rules written for namecleaner (``tools/translit_icu/``), for systems whose contexts
  reach further than one character (Arabic and Persian vowel marks, article, ta marbuta).

Output is sorted and stable: running it twice gives the same files. ``--check`` fails when a
generated table differs from the committed one or an example fails.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import tomllib
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "data"
TRANSLIT = SHARED / "reference" / "translit"
RECIPES = REPO / "tools" / "translit_sources.toml"
OUT_DIR = REPO / "transliteration_tables"
ICU_DIR = REPO / "tools" / "translit_icu"
INTERSCRIPT_COMMIT = "7a34ca51a08b6062aead7bb404ef187ebf1cff06"
IULIIA_COMMIT = "a9468d0bc9cc62ed9c9c97325ed7c7b1be6a9be8"
CLDR_VERSION = "cldr-transforms@48.2.0"

_STRING = r'"((?:[^"\\]|\\.)*)"'
_SIMPLE_SUB = re.compile(rf"^\s*sub\s+{_STRING}\s*,\s*{_STRING}\s*(#.*)?$")
_DEPENDENCY = re.compile(rf"^\s*dependency\s+{_STRING}\s*,\s*as:\s*(\w+)")
_RUN = re.compile(r"^\s*run\s+map\.(\w+)\.stage\.main")


def _ruby_unescape(text: str) -> str:
    text = re.sub(r"\\u\{([0-9A-Fa-f]+)\}", lambda m: chr(int(m.group(1), 16)), text)
    text = re.sub(r"\\u([0-9A-Fa-f]{4})", lambda m: chr(int(m.group(1), 16)), text)
    return text.replace('\\"', '"').replace("\\\\", "\\")


def interscript_subs(map_id: str) -> list[tuple[str, str]]:
    """Unconditional ``sub`` statements of a map in run order, dependencies inlined."""
    path = TRANSLIT / "interscript" / "maps" / f"{map_id}.imp"
    aliases: dict[str, str] = {}
    subs: list[tuple[str, str]] = []
    in_stage = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if match := _DEPENDENCY.match(line):
            aliases[match.group(2)] = match.group(1)
        elif line.startswith("stage"):
            in_stage = True
        elif in_stage and (match := _RUN.match(line)):
            subs.extend(interscript_subs(aliases[match.group(1)]))
        elif in_stage and (match := _SIMPLE_SUB.match(line)):
            subs.append((_ruby_unescape(match.group(1)), _ruby_unescape(match.group(2))))
    return subs


def lower_rules(subs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Letter pairs for a ``case = "auto"`` table: lower-case sources, first statement wins.

    An upper-case statement is dropped when it only capitalises its lower-case twin.
    """
    rules: dict[str, str] = {}
    for source, target in subs:
        low = source.lower()
        if low == source:
            rules.setdefault(source, target)
    for source, target in subs:
        low = source.lower()
        if low != source and low not in rules:
            rules[low] = target.lower()
    return list(rules.items())


IULIIA_CYRILLIC_IN_LATIN = str.maketrans("ёЁ", "ëË")


def iuliia_rules(name: str) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    """Rules ``(from, to, context)`` and samples of an iuliia schema."""
    schema = json.loads((TRANSLIT / "iuliia" / f"{name}.json").read_text(encoding="utf-8"))
    rules: list[tuple[str, str, str]] = []
    for ending, target in sorted((schema.get("ending_mapping") or {}).items()):
        rules.append((ending, target, "word_end"))
    grouped: dict[tuple[str, str, str], set[str]] = {}
    for key, target in (schema.get("prev_mapping") or {}).items():
        if len(key) == 1:
            rules.append((key, target, "word_start"))
        else:
            grouped.setdefault((key[1], target, "after"), set()).add(key[0])
    for key, target in (schema.get("next_mapping") or {}).items():
        grouped.setdefault((key[0], target, "before"), set()).add(key[1])
    for (source, target, kind), chars in sorted(grouped.items()):
        rules.append((source, target, f"{kind}:{''.join(sorted(chars))}"))
    rules.extend((source, target, "") for source, target in sorted(schema["mapping"].items()))

    # iuliia writes some letters decomposed (e + U+0308), and the Latin ë of BGN/PCGN and others
    # as the Cyrillic ё; tables and examples use the NFC Latin letter.
    def latin(text: str) -> str:
        return unicodedata.normalize("NFC", text).translate(IULIIA_CYRILLIC_IN_LATIN)

    rules = [(s, latin(t), c) for s, t, c in rules]
    return rules, [(s, latin(e)) for s, e in schema.get("samples", [])]


def interscript_examples(map_id: str) -> list[tuple[str, str]]:
    """The ``test`` lines of an Interscript map (extracted to a TSV in the shared data)."""
    with (SHARED / "eval" / "transliteration" / "interscript_map_tests.tsv").open(
        encoding="utf-8", newline=""
    ) as handle:
        return [
            (row["source"], row["expected"])
            for row in csv.DictReader(handle, delimiter="\t")
            if row["map_id"] == map_id
        ]


def _cell(text: str) -> str:
    """Escape what a TSV rule cell cannot hold literally."""
    out = []
    for char in text:
        if char in "\t\\":
            out.append({"\t": "\\t", "\\": "\\\\"}[char])
        elif char == " ":
            out.append("\\s")
        elif not char.isprintable() or char in "\u0300\u0301\u0308\u0304\u0306\u0327\u030c":
            out.append(f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}")
        else:
            out.append(char)
    return "".join(out)


def _toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _multiline(text: str) -> str:
    if "'''" in text:
        raise ValueError("a block may not contain '''")
    return "'''\n" + text + "'''"


def render(recipe: dict) -> str:
    """The TOML text of one table."""
    rules: list[tuple[str, str, str]] = [tuple(r) + ("",) * (3 - len(r)) for r in recipe.get("rules", [])]
    examples: list[tuple[str, str]] = []
    known = {tuple(k[:2]): k[2] for k in recipe.get("known_failures", [])}
    sources: list[str] = []
    licences: list[str] = []
    base = recipe.get("from", {})
    if "iuliia" in base:
        generated, samples = iuliia_rules(base["iuliia"])
        rules += [r for r in generated if (r[0], r[2]) not in {(x[0], x[2]) for x in rules}]
        examples += samples
        sources.append(f"iuliia {base['iuliia']}.json @ {IULIIA_COMMIT[:12]}")
        licences.append("MIT (iuliia, © Anton Zhiyanov)")
    if "interscript" in base:
        taken = {(r[0], r[2]) for r in rules}
        rules += [(s, t, "") for s, t in lower_rules(interscript_subs(base["interscript"])) if (s, "") not in taken]
        sources.append(f"interscript maps/{base['interscript']}.imp @ {INTERSCRIPT_COMMIT[:12]}")
        licences.append("MIT (Interscript maps, © Ribose)")
    for map_id in recipe.get("examples_from_interscript", []):
        examples += interscript_examples(map_id)
        if not any(map_id in s for s in sources):
            sources.append(f"interscript maps/{map_id}.imp @ {INTERSCRIPT_COMMIT[:12]} (examples)")
            licences.append("MIT (Interscript maps, © Ribose)")
    examples += [tuple(e) for e in recipe.get("examples", [])]
    icu_rules = ""
    if "icu_file" in recipe:
        icu_rules = (ICU_DIR / recipe["icu_file"]).read_text(encoding="utf-8")
        sources.append(f"ICU rules tools/translit_icu/{recipe['icu_file']} written for namecleaner")
        licences.insert(0, "GPL-3.0-or-later (namecleaner rules)")
    if "cldr" in base:
        icu_rules = (TRANSLIT / "cldr-transforms" / "transforms" / f"{base['cldr']}.txt").read_text(encoding="utf-8")
        sources.append(f"CLDR transforms/{base['cldr']}.txt ({CLDR_VERSION})")
        licences.append("Unicode-3.0 (CLDR)")
    meta = recipe["meta"]
    rules = [(s, unicodedata.normalize("NFC", t), c) for s, t, c in rules]
    examples = [(unicodedata.normalize("NFC", s), unicodedata.normalize("NFC", e)) for s, e in examples]
    lines = ["# Generated by tools/build_translit_tables.py from tools/translit_sources.toml; do not edit by hand."]
    for key in ("id", "title", "authority", "offices", "languages", "source_script", "target_script", "version"):
        value = meta[key]
        lines.append(
            f"{key} = {json.dumps(value, ensure_ascii=False) if isinstance(value, list) else _toml_string(str(value))}"
        )
    lines.append(f"source = {_toml_string('; '.join([meta['reference']] + sources))}")
    lines.append(f"licence = {_toml_string('; '.join(dict.fromkeys(licences)) or meta.get('licence', ''))}")
    for key in ("url", "notes", "case", "normalize", "word_chars"):
        if key in meta:
            lines.append(f"{key} = {_toml_string(meta[key])}")
    if rules:
        body = "".join(f"{_cell(s)}\t{_cell(t)}\t{c}".rstrip("\t") + "\n" for s, t, c in rules)
        lines.append("rules = " + _multiline("# from\tto\tcontext\n" + body))
    if icu_rules:
        lines.append("icu_rules = " + _multiline(icu_rules.rstrip("\n") + "\n"))
    seen = set()
    body = ""
    for source, expected in examples:
        if (source, expected) in seen or "\t" in source or "\n" in source:
            continue
        seen.add((source, expected))
        note = f"\tknown_failure: {known[(source, expected)]}" if (source, expected) in known else ""
        body += f"{_cell(source).replace(chr(92) + 's', ' ')}\t{_cell(expected).replace(chr(92) + 's', ' ')}{note}\n"
    lines.append("examples = " + _multiline("# source\texpected\n" + body))
    if recipe.get("classes"):
        lines.append("\n[classes]")
        lines += [f"{name} = {_toml_string(chars)}" for name, chars in sorted(recipe["classes"].items())]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a table is out of date or an example fails")
    parser.add_argument("ids", nargs="*", help="only these tables")
    args = parser.parse_args()
    if not TRANSLIT.is_dir():
        print(f"skipped: {TRANSLIT} is absent")
        return 0
    sys.path.insert(0, str(REPO))
    from namecleaner.translit.engine import example_failures
    from namecleaner.translit.table import load_table

    recipes = tomllib.loads(RECIPES.read_text(encoding="utf-8"))["table"]
    status = 0
    for recipe in recipes:
        table_id = recipe["meta"]["id"]
        if args.ids and table_id not in args.ids:
            continue
        path = OUT_DIR / f"{table_id}.toml"
        text = render(recipe)
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                print(f"{path}: out of date")
                status = 1
        else:
            path.write_text(text, encoding="utf-8")
        table = load_table(path)
        failures = example_failures(table)
        known = sum(1 for e in table.examples if e.known_failure)
        print(
            f"{table_id}: {len(table.examples) - len(failures) - known}/{len(table.examples)} examples pass"
            + (f", {known} known failures" if known else "")
        )
        for source, expected, got in failures:
            print(f"  {source!r}: expected {expected!r}, got {got!r}")
        status |= bool(failures)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
