"""Build the legal-form table ``namecleaner/data/legal_forms/{forms,aliases}.tsv``.

Sources (read in place from ``../shared/data/reference``; facts only, with attribution):

- ``elf``: GLEIF ISO 20275 Entity Legal Forms code list v1.6 (CC0), every jurisdiction;
- ``rigour``: OpenSanctions rigour ``org_types.yml`` (MIT);
- ``fingerprints``: OpenSanctions fingerprints ``types.yml`` (MIT);
- ``cleanco``: cleanco ``terms.json`` (MIT);
- ``magerman``: Magerman, Van Looy and Song (2006) legal-form tables as transcribed by nstandr (MIT);
- ``translit``: every non-Latin alias romanised by each shipped transliteration table for its language;
- ``additions``: ``tools/legal_forms/additions.tsv``, hand-curated (local forms, romanisations,
  English filing renderings, jurisdiction-free generic forms).

A form is an ELF code (or, for a form that has none, ``nc:<abbreviation>:<class>``). The additions
come first and set the standard abbreviation and class of their forms; ELF supplies the other
forms. An alias of the other lists whose matching key is already known only adds its source name
to the rows of that key; a new alias joins the form its group's canonical spelling resolves to,
or a new generic form. The output is sorted, so a rebuild from the same inputs is identical.

Usage: python tools/build_legal_forms.py [--shared-data ../shared/data]
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import icu
import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from namecleaner.resources import read_tsv_table
from namecleaner.stages.legal_form import SOURCE_ORDER, key_text
from namecleaner.text.scripts import char_script
from namecleaner.translit.engine import transliterator
from namecleaner.translit.registry import TableRegistry

HERE = REPO / "tools" / "legal_forms"
OUT = REPO / "namecleaner" / "data" / "legal_forms"
VERSION = "2026.12.1"
ELF_FILE = "reference/elf/elf-code-list-v1.6-2026-02-19.csv"
SOURCES = {
    "additions": "tools/legal_forms/additions.tsv, hand-curated by namecleaner developers (GPL-3.0-or-later)",
    "elf": f"GLEIF ISO 20275 ELF code list v1.6 2026-02-19 ({ELF_FILE}), CC0",
    "rigour": "OpenSanctions rigour resources/names/org_types.yml @ 8f4044dd (v2.2.3), MIT",
    "fingerprints": "OpenSanctions fingerprints 1.3.1 fingerprints/types/types.yml, MIT",
    "cleanco": "psolin/cleanco termdata.py @ cb70b705 (terms.json), MIT",
    "magerman": "Magerman, Van Looy, Song (2006) legal-form tables via stasvlasov/nstandr @ 7cef14f8, MIT",
    "translit": "romanised by namecleaner's shipped transliteration_tables from an alias in a non-Latin script (table id in the kind column)",
}


class Table:
    """Forms and alias rows being built, indexed by matching key."""

    def __init__(self) -> None:
        self.forms: dict[str, dict[str, str]] = {}
        self.rows: dict[tuple[str, str, str], dict[str, object]] = {}  # (alias, form_id, jurisdictions)
        self.by_key: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        self.curated_abbreviations: set[str] = set()  # the additions' standard abbreviations

    def add_form(
        self,
        form_id: str,
        abbreviation: str,
        form_class: str,
        elf_code: str,
        jurisdictions: str,
        local_name: str = "",
        language: str = "",
    ) -> None:
        form = self.forms.setdefault(
            form_id,
            {
                "form_id": form_id,
                "abbreviation": abbreviation,
                "class": form_class,
                "elf_code": elf_code,
                "jurisdictions": jurisdictions,
                "local_name": local_name,
                "language": language,
            },
        )
        form["jurisdictions"] = " ".join(sorted(set(form["jurisdictions"].split()) | set(jurisdictions.split())))
        form["local_name"] = form["local_name"] or local_name
        form["language"] = form["language"] or language

    def add_alias(
        self,
        alias: str,
        form_id: str,
        jurisdictions: str,
        kind: str,
        positions: str,
        source: str,
        abbreviation: str = "",
    ) -> None:
        """Add a spelling; ``abbreviation`` is the abbreviation its source row gives the form in the
        spelling's own language (ELF lists one row per language: MVII is AG in German, SA in French)."""
        alias = " ".join(alias.split())
        ident = (alias, form_id, jurisdictions)
        row = self.rows.get(ident)
        if row is None:
            row = self.rows[ident] = {
                "alias": alias,
                "form_id": form_id,
                "jurisdictions": jurisdictions,
                "kind": kind,
                "positions": positions,
                "sources": set(),
                "abbreviation": abbreviation,
            }
            self.by_key[key_text(alias)].append(ident)
        row["abbreviation"] = row["abbreviation"] or abbreviation
        row["sources"].add(source)
        if positions == "any":
            row["positions"] = "any"

    def tag_key(self, key: str, source: str) -> bool:
        """Add ``source`` to every row of ``key``; False when the key is new."""
        idents = self.by_key.get(key)
        for ident in idents or ():
            self.rows[ident]["sources"].add(source)
        return bool(idents)

    def default_form(self, key: str) -> str | None:
        """The form a known key stands for without a country: a generic row's, else the commonest."""
        idents = self.by_key.get(key)
        if not idents:
            return None
        generic = [i for i in idents if not i[2]] or idents
        return Counter(i[1] for i in generic).most_common(1)[0][0]


def usable(alias: str, excluded: set[str]) -> bool:
    """Keep aliases with at least two letters that are not ordinary words of names.

    Single-character Han abbreviations (株, 有) stand alone in the ELF list but in names are always
    bracketed, (株); the bracketed forms come from the additions.
    """
    key = key_text(alias)
    letters = [c for c in key if c.isalnum()]
    if len(letters) < 2 or key in excluded or alias.casefold().strip() in excluded:
        return False
    return not (len(key.split()) > 8 or "其他" in alias or "その他" in alias)


def classify(names: list[str], keywords: list[tuple[str, str]]) -> str:
    text = " ".join(names).casefold()
    for keyword, form_class in keywords:
        if keyword in text:
            return form_class
    return ""


def slug_id(abbreviation: str, form_class: str) -> str:
    return f"nc:{abbreviation}:{form_class}"


def load_additions(table: Table) -> None:
    additions = read_tsv_table(
        HERE / "additions.tsv",
        required_columns=(
            "alias",
            "abbreviation",
            "class",
            "elf_codes",
            "jurisdictions",
            "language",
            "kind",
            "positions",
        ),
    )
    for row in additions.rows:
        table.curated_abbreviations.add(row["abbreviation"])
        form_id = row["elf_codes"] or slug_id(row["abbreviation"], row["class"])
        table.add_form(
            form_id, row["abbreviation"], row["class"], row["elf_codes"], row["jurisdictions"], "", row["language"]
        )
        table.add_alias(
            row["alias"], form_id, row["jurisdictions"], row["kind"], row["positions"], "additions", row["abbreviation"]
        )


def load_elf(table: Table, shared: Path, keywords: list[tuple[str, str]], excluded: set[str]) -> dict[str, str]:
    """ELF forms and aliases; returns country name → ISO code (for cleanco's country lists)."""
    countries: dict[str, str] = {}
    with open(shared / ELF_FILE, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        code = row["ELF Code"]
        country = row["Country Code (ISO 3166-1)"]
        local = row["Entity Legal Form name Local name"].strip()
        if not country or not local:
            continue
        countries[row["Country of formation"].casefold()] = country
        jurisdictions = " ".join(sorted({country, row["Country sub-division code (ISO 3166-2)"].strip()} - {""}))
        translit = row["Entity Legal Form name Transliterated name (per ISO 01-140-10)"].strip()
        local_abbrs = [a.strip() for a in row["Abbreviations Local language"].split(";") if a.strip()]
        translit_abbrs = [a.strip() for a in row["Abbreviations transliterated"].split(";") if a.strip()]
        if code not in table.forms:
            abbreviation = next((a for a in local_abbrs + translit_abbrs if usable(a, excluded)), local)
            table.add_form(
                code,
                abbreviation,
                classify([local, translit], keywords),
                code,
                jurisdictions,
                local,
                row["Language Code (ISO 639-1)"],
            )
        else:
            table.add_form(code, "", "", code, "", local, row["Language Code (ISO 639-1)"])
        form_jurisdictions = table.forms[code]["jurisdictions"]
        row_abbreviation = next((a for a in local_abbrs + translit_abbrs if usable(a, excluded)), "")
        for alias, kind in (
            [(local, "local_full"), (translit, "translit_full")]
            + [(a, "local_abbr") for a in local_abbrs]
            + [(a, "translit_abbr") for a in translit_abbrs]
        ):
            if alias and usable(alias, excluded):
                table.add_alias(alias, code, form_jurisdictions, kind, "", "elf", row_abbreviation)
    return countries


def attach(
    table: Table,
    aliases: list[str],
    canonical: list[str],
    form_class: str,
    source: str,
    excluded: set[str],
    jurisdictions: str = "",
) -> None:
    """Add a group of aliases from a list without ELF codes (see the module docstring)."""
    target = None
    for name in canonical + aliases:
        target = table.default_form(key_text(name))
        if target:
            break
    for alias in aliases:
        if not usable(alias, excluded):
            continue
        key = key_text(alias)
        if table.tag_key(key, source) and not jurisdictions:
            continue
        form_id = target
        if form_id is None or (
            form_class and table.forms[form_id]["class"] and table.forms[form_id]["class"] != form_class
        ):
            display = canonical[0] if canonical else alias
            form_id = slug_id(display, form_class)
            table.add_form(form_id, display, form_class, "", "")
        rows_jurisdictions = jurisdictions or (
            table.forms[form_id]["jurisdictions"] if table.forms[form_id]["elf_code"] else ""
        )
        table.add_alias(alias, form_id, rows_jurisdictions, "alias", "", source)


def load_rigour(
    table: Table, shared: Path, classes: dict[tuple[str, str], tuple[str, str]], excluded: set[str]
) -> None:
    with open(shared / "reference/rigour/org_types.yml", encoding="utf-8") as handle:
        groups = yaml.safe_load(handle)["types"]
    for group in groups:
        generic = group.get("generic", "")
        if generic and ("rigour", generic) not in classes:
            continue  # religious and military organisation types are not legal forms
        form_class = classes.get(("rigour", generic), ("", ""))[0]
        canonical = [c for c in (group.get("display"), group.get("compare")) if c]
        attach(table, [str(a) for a in group.get("aliases", [])], canonical, form_class, "rigour", excluded)


def load_fingerprints(table: Table, shared: Path, excluded: set[str]) -> None:
    with open(shared / "reference/fingerprints/types.yml", encoding="utf-8") as handle:
        groups = yaml.safe_load(handle)["types"]
    for group in groups:
        forms = [str(f) for f in group.get("forms", [])]
        known = any(table.by_key.get(key_text(a)) for a in [str(group["main"])] + forms)
        if known:  # a group none of whose spellings is known has no class to give
            attach(table, forms + [str(group["main"])], [str(group["main"])], "", "fingerprints", excluded)


def load_cleanco(
    table: Table,
    shared: Path,
    classes: dict[tuple[str, str], tuple[str, str]],
    countries: dict[str, str],
    excluded: set[str],
) -> None:
    with open(shared / "reference/cleanco/terms.json", encoding="utf-8") as handle:
        data = json.load(handle)
    term_countries: dict[str, set[str]] = defaultdict(set)
    for country, terms in data["terms_by_country"].items():
        code = countries.get(country.casefold())
        for term in terms:
            if code:
                term_countries[term.strip()].add(code)
    for type_name, terms in sorted(data["terms_by_type"].items()):
        form_class = classes.get(("cleanco", type_name), ("", ""))[0]
        for term in terms:
            term = term.strip()
            attach(table, [term], [], form_class, "cleanco", excluded)


def strip_quotes(cell: str) -> str:
    cell = cell.strip()
    return cell[1:-1] if len(cell) >= 2 and cell[0] == cell[-1] == "'" else cell


def load_magerman(
    table: Table, shared: Path, classes: dict[tuple[str, str], tuple[str, str]], excluded: set[str]
) -> None:
    base = shared / "reference/patent-name-standardisation/nstandr"
    with open(base / "magerman-patterns-legal-form-end.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    for remove, replace, label in rows:
        remove, replace, label = strip_quotes(remove), strip_quotes(replace), strip_quotes(label)
        if ("magerman", label) not in classes:
            continue  # the statement names no legal form
        form_class, abbreviation = classes[("magerman", label)]
        form_id = (
            slug_id(abbreviation, form_class)
            if slug_id(abbreviation, form_class) in table.forms
            else table.default_form(key_text(abbreviation))
        )
        alias = remove.strip(" ,-")
        if alias.startswith("(") and alias.endswith(")"):
            alias = alias[1:-1]  # the stage reads a bracketed form at the end as that form
        words = replace.strip().upper()
        if words and alias.upper().startswith(words):
            alias = alias[len(words) :].strip(" ,-")  # "JIDOSHAKABUSHIKI KAISHA" keeps JIDOSHA in the name
        elif words and _ends_with_known_alias(table, key_text(alias)):
            continue  # "MFG. CO. INC.": the name words stay, the known form at the end is found anyway
        if not alias or not usable(alias, excluded) or form_id is None:
            continue
        if not table.tag_key(key_text(alias), "magerman"):
            table.add_alias(
                alias,
                form_id,
                table.forms[form_id]["jurisdictions"] if table.forms[form_id]["elf_code"] else "",
                "alias",
                "",
                "magerman",
            )


def _ends_with_known_alias(table: Table, key: str) -> bool:
    tokens = key.split()
    return any(" ".join(tokens[i:]) in table.by_key for i in range(len(tokens)))


def add_spelling_variants(table: Table) -> None:
    """List each dotted abbreviation also without dots and with its dots closed up (S. A. → SA, S.A.).

    The stage matches these through its key anyway (dots and spaces between initials fold
    away); the rows make the table say which spellings it covers (kind ``variant``, with the
    sources of the spelling they derive from).
    """
    for row in sorted(table.rows.values(), key=lambda r: (r["form_id"], r["alias"], r["jurisdictions"])):
        alias = str(row["alias"])
        if "." not in alias or not str(row["kind"]).endswith("abbr"):
            continue
        key = key_text(alias)
        candidates = (
            re.sub(r"\.\s*", ".", alias).strip(),
            re.sub(r"\.\s*", "", alias).strip(),
            " ".join(alias.replace(".", " ").split()),
        )
        for variant in dict.fromkeys(candidates):
            # Only true spellings of the same key: the variant rows document, they never change matching.
            if (
                variant != alias
                and key_text(variant) == key
                and (variant, row["form_id"], row["jurisdictions"]) not in table.rows
            ):
                for source in sorted(row["sources"]):
                    table.add_alias(
                        variant,
                        str(row["form_id"]),
                        str(row["jurisdictions"]),
                        "variant",
                        str(row["positions"]),
                        source,
                    )


def add_romanisations(table: Table) -> None:
    """Romanise every non-Latin alias with each shipped table for its form's language.

    Patent data carries these names romanised by the office (株式会社 as Kabushiki Kaisha); the
    shipped tables give the spellings of each authority. Abbreviations shorter than four letters
    are left to the curated additions, since romanised they are often words (ИП → IP).
    """
    registry = TableRegistry()
    by_language: dict[str, list[str]] = defaultdict(list)
    for table_id in registry.ids():
        for language in registry.get(table_id).languages:
            by_language[language].append(table_id)
    for row in sorted(table.rows.values(), key=lambda r: (r["form_id"], r["alias"], r["jurisdictions"])):
        alias = str(row["alias"])
        letters = [c for c in alias if c.isalpha()]
        if len(letters) < 4 or all(char_script(c) == "Latn" for c in letters):
            continue  # short abbreviations romanise into words (ИП -> IP, АТ -> AT): curated only
        form = table.forms[str(row["form_id"])]
        for table_id in by_language.get(form["language"], ()):
            romanised = " ".join(transliterator(registry.get(table_id))(alias).split())
            key = key_text(romanised)
            same_form = [i for i in table.by_key.get(key, ()) if i[1] == row["form_id"]]
            for ident in same_form:
                table.rows[ident]["sources"].add("translit")
            if not same_form and usable(romanised, set()):
                table.add_alias(
                    romanised,
                    str(row["form_id"]),
                    str(row["jurisdictions"]),
                    f"translit:{table_id}",
                    str(row["positions"]),
                    "translit",
                )


_UNSPACED = frozenset({"Hani", "Hira", "Kana", "Hang", "Thai"})


def _script(text: str) -> str:
    """The script of a spelling's letters: Latn, or the first other script."""
    scripts = [char_script(c) for c in text if c.isalpha()]
    return next((s for s in scripts if s != "Latn"), "Latn")


def _is_abbreviation(row: dict) -> bool:
    """An abbreviation (Inc., S.p.A., ООО), as opposed to a form's full name (Aktiengesellschaft)."""
    key = key_text(str(row["alias"]))
    return str(row["kind"]).endswith("abbr") or row["kind"] == "variant" or (" " not in key and len(key) <= 5)


def _spelling_rank(row: dict, curated: set[str], counts: Counter | None = None) -> tuple:
    """Which spelling of a key to show: a curated abbreviation (KK, SA, LLC), then a curated
    spelling, whole (no dot lost), the one most forms list (``counts``: SE before S.E.),
    capitalised before upper case before lower case, dotted before undotted (Cía. Ltda.)."""
    alias, sources = str(row["alias"]), row["sources"]
    style = 0 if alias[:1].isupper() and not alias.isupper() else 1 if alias.isupper() else 2
    malformed = "." in alias and not alias.endswith(".")  # "S.E", "S.p.A" lost a dot
    return (
        alias not in curated,
        "additions" not in sources,
        malformed,
        -(counts or {}).get(alias, 0),
        style,
        "." not in alias,
        -len(sources),
        alias,
    )


def add_displays(table: Table) -> None:
    """Give every alias row the spelling shown for it (``display``, in the script of the alias)
    and a stable ASCII ``code`` for filtering, the same whatever the country.

    A key with a generic (jurisdiction-free) row shows that row's spelling (Inc. stays Inc. in
    the US, Corporation is Corp. in Japan too). Otherwise an abbreviation shows the preferred
    spelling of its key (S.p.A., Latin OOO, Cyrillic ООО); a full name shows the abbreviation of
    its own language row (Aktiengesellschaft → AG; ELF lists MVII as AG in German and SA in
    French) or of its form, in the alias's script (a romanised ООО shows OOO); a full name in a
    script written without spaces shows itself (株式会社). The code is the matching key of the
    Latin display in capitals (S.p.A. → SPA, Co., Ltd. → CO LTD); for a display in another
    script, of the form's romanised abbreviation (ООО → OOO, 株式会社 → KK), else of the
    display romanised by ICU.
    """
    curated = table.curated_abbreviations
    counts = Counter(str(row["alias"]) for row in table.rows.values())
    preferred = {
        key: str(min((table.rows[i] for i in idents), key=lambda r: _spelling_rank(r, curated, counts))["alias"])
        for key, idents in table.by_key.items()
    }
    latin_abbreviations: dict[str, list[dict]] = defaultdict(list)
    for row in table.rows.values():
        if _is_abbreviation(row) and _script(str(row["alias"])) == "Latn":
            latin_abbreviations[str(row["form_id"])].append(row)

    def shown(text: str) -> str:
        return text if text in curated else preferred.get(key_text(text), text)

    def latin_of(form_id: str) -> str:
        abbreviation = table.forms[form_id]["abbreviation"]
        if abbreviation and _script(abbreviation) == "Latn":
            return shown(abbreviation)
        rows = latin_abbreviations.get(form_id)
        # A romanisation of the form's own abbreviation (OOO) before an English rendering (LLC).
        best = (
            min(rows, key=lambda r: (not str(r["kind"]).startswith("translit"), _spelling_rank(r, curated)))
            if rows
            else None
        )
        return shown(str(best["alias"])) if best else ""

    def row_display(row: dict) -> str:
        alias, script = str(row["alias"]), _script(str(row["alias"]))
        if _is_abbreviation(row) or script in _UNSPACED:
            return shown(alias)
        candidate = str(row["abbreviation"] or table.forms[str(row["form_id"])]["abbreviation"])
        if candidate and _script(candidate) == script:
            return shown(candidate)
        return (latin_of(str(row["form_id"])) or alias) if script == "Latn" else alias

    generic: dict[str, str] = {}
    for key, idents in table.by_key.items():
        rows = [table.rows[i] for i in idents if not i[2]]
        if rows:
            generic[key] = row_display(min(rows, key=lambda r: _spelling_rank(r, curated)))
    for row in table.rows.values():
        display = generic.get(key_text(str(row["alias"]))) or row_display(row)
        latin = (
            display if _script(display) == "Latn" else latin_of(str(row["form_id"])) or _TO_LATIN.transliterate(display)
        )
        row["display"], row["code"] = display, key_text(latin).upper()


_TO_LATIN = icu.Transliterator.createInstance("Any-Latin; Latin-ASCII")


def write(table: Table, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    used = {row["form_id"] for row in table.rows.values()}
    header = [
        "# id: legal_forms",
        f"# version: {VERSION}",
        "# licence: the table is GPL-3.0-or-later as part of namecleaner; facts taken from CC0 and MIT sources, attributed per alias in aliases.tsv",
        "# generator: tools/build_legal_forms.py (do not edit by hand; edit tools/legal_forms/*.tsv and rebuild)",
    ] + [f"# source.{name}: {text}" for name, text in SOURCES.items()]
    forms_header = [
        "# title: Legal forms: standard abbreviation, generic class, ISO 20275 ELF code and jurisdictions",
        "# source: see source.* lines",
    ]
    with open(out / "forms.tsv", "w", encoding="utf-8", newline="") as handle:
        handle.write("\n".join(header + forms_header) + "\n")
        columns = ["form_id", "abbreviation", "class", "elf_code", "jurisdictions", "local_name", "language"]
        handle.write("\t".join(columns) + "\n")
        for form_id in sorted(used):
            form = table.forms[form_id]
            handle.write("\t".join(_cell(form[c]) for c in columns) + "\n")
    aliases_header = [
        "# title: Legal-form aliases: every spelling, the form it stands for, where it applies and which sources list it",
        "# source: see source.* lines; sources column names them in this order",
        "# note: matching folds case, width, accents and dots (S.A. = S. A. = SA), so such variants need no rows of their own",
        "# note: display is the spelling shown for the alias, in its script (legal_form); code a stable ASCII code (legal_form_code); see add_displays",
    ]
    with open(out / "aliases.tsv", "w", encoding="utf-8", newline="") as handle:
        handle.write("\n".join(header + aliases_header) + "\n")
        columns = ["alias", "form_id", "jurisdictions", "kind", "positions", "sources", "display", "code"]
        handle.write("\t".join(columns) + "\n")
        for ident in sorted(table.rows, key=lambda i: (i[1], i[0].casefold(), i[0], i[2])):
            row = dict(table.rows[ident])
            row["sources"] = " ".join(s for s in SOURCE_ORDER if s in row["sources"])
            handle.write("\t".join(_cell(str(row[c])) for c in columns) + "\n")


def _cell(value: str) -> str:
    return value.replace("\t", " ").replace("\n", " ")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared-data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    keywords = [
        (r["keyword"].casefold(), r["class"])
        for r in read_tsv_table(HERE / "class_keywords.tsv", required_columns=("keyword", "class")).rows
    ]
    classes = {
        (r["source"], r["label"]): (r["class"], r["abbreviation"])
        for r in read_tsv_table(
            HERE / "source_classes.tsv", required_columns=("source", "label", "class", "abbreviation")
        ).rows
    }
    excluded = {
        r["alias"].casefold()
        for r in read_tsv_table(HERE / "excluded_aliases.tsv", required_columns=("alias", "reason")).rows
    }
    excluded |= {key_text(a) for a in excluded}
    table = Table()
    load_additions(table)
    countries = load_elf(table, args.shared_data, keywords, excluded)
    load_rigour(table, args.shared_data, classes, excluded)
    load_fingerprints(table, args.shared_data, excluded)
    load_cleanco(table, args.shared_data, classes, countries, excluded)
    load_magerman(table, args.shared_data, classes, excluded)
    add_romanisations(table)
    add_spelling_variants(table)
    add_displays(table)
    write(table, args.out)
    kinds = Counter(s for row in table.rows.values() for s in row["sources"])
    print(
        f"{len({r['form_id'] for r in table.rows.values()})} forms, {len(table.rows)} aliases; rows per source: {dict(sorted(kinds.items()))}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
