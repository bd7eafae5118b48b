"""Misspelt legal forms and glossary words: how many typos are recognised, and what else fires.

Recall: every common legal-form alias of the shipped table (curated or of no jurisdiction,
Latin letters) gets two typos in its longest word, a swap of the two middle letters and the
middle letter deleted, and ends a made-up name ("Acme Widgets Aktiengesellshaft"); a typo is
recognised when the stage finds the form it finds in the alias spelt right (also printed: the
share where some form is found). Glossary words (one-word Latin variants, romanised CJK words aside) get the same two
typos and count when the key ends with the word's concept ("Acme Electornic Ltd.").

Firing on real names: the shared name lists (``shared_data.NAME_SOURCES``: Lens drones, NBER,
EDINET and OpenDART English names, OFAC, Fraunhofer) cleaned through the public pipeline; every
name with a ``split_*_misspelt`` step, or a glossary step "(misspelt …)" or "(spelling of …)",
is counted (``--show N`` prints them, to be read by eye: a true typo or a false hit).

Both are printed for a range of the length rule (the fewest letters of a form that tolerates
one edit, ``MIN_LETTERS_ONE_EDIT`` of ``namecleaner.text.typos``).

    python benchmarks/bench_misspelt.py [--show N] [--min-letters 6,7,8]
"""

from __future__ import annotations

import argparse
import json

from shared_data import real_names

import namecleaner
from namecleaner.context import Context
from namecleaner.stages.legal_form import load_legal_forms
from namecleaner.stages.legal_form.fuzzy import common_aliases
from namecleaner.stages.match_key import load_glossary
from namecleaner.text import typos

#: name_type too: a person's name is never read for glossary typos (Fabrice is no fabrica).
STAGES = ("unicode", "legal_form", "name_type", "match_key")


def misspell(word: str) -> list[str]:
    """Two typos of a word: its middle letters swapped, its middle letter deleted.

    >>> misspell("company")
    ['comapny', 'compny']
    """
    middle = len(word) // 2
    return [
        word[: middle - 1] + word[middle] + word[middle - 1] + word[middle + 1 :],
        word[:middle] + word[middle + 1 :],
    ]


def _typo_names(phrase: str) -> list[str]:
    words = phrase.split()
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    return [
        " ".join([*words[:longest], typo, *words[longest + 1 :]])
        for typo in misspell(words[longest])
        if typo != words[longest]
    ]


def form_recall() -> tuple[int, int, int]:
    """(recognised as the form the alias spelt right gets, as some form, typos) over the common
    legal-form aliases that the rule lets tolerate one edit. A typo in a long form may leave a
    shorter form spelt right at its end (compnia limitada: Ltda.), found as written instead."""
    forms = load_legal_forms()
    cases = []
    for key in common_aliases(forms):
        letters = key.replace(" ", "")
        if letters.isalpha() and letters.isascii() and typos.allowed_edits(len(letters)):
            cases += [(f"Acme Widgets {typo}", f"Acme Widgets {key}") for typo in _typo_names(key)]
    found = namecleaner.clean([typo for typo, _ in cases], stages=STAGES)["legal_form"]
    right = namecleaner.clean([name for _, name in cases], stages=STAGES)["legal_form"]
    found, right = [str(f) for f in found], [str(r) for r in right]
    return sum(f == r for f, r in zip(found, right)), sum(f != "<NA>" for f in found), len(cases)


def glossary_recall() -> tuple[int, int]:
    """(recognised, typos) over the single-word Latin glossary variants of a concept that the
    rule covers (romanised Japanese, Chinese and Korean words are left out of it by design),
    each ending a company name ("Acme Electornic Ltd.")."""
    glossary = load_glossary()
    cases = []
    for variant, concept in glossary.latin.items():
        if (
            concept
            and variant.isalpha()
            and typos.allowed_edits(len(variant))
            and variant not in glossary.concepts
            and variant not in glossary.romanised_cjk
        ):
            cases += [(f"Acme {typo} Ltd.", " ".join(concept)) for typo in misspell(variant)]
    keys = namecleaner.clean([name for name, _ in cases], stages=STAGES)["match_key"]
    return sum(key.endswith(want) for key, (_, want) in zip(keys, cases)), len(cases)


def _is_typo(step: dict[str, str]) -> bool:
    """A step that read a misspelt legal form, a misspelt glossary word or a romaji variant."""
    rule = step.get("rule", "")
    return step["step"].endswith("misspelt") or (
        step["step"] == "glossary" and ("(misspelt " in rule or "(spelling of " in rule)
    )


def firing(names: list[str], show: int) -> None:
    frame = namecleaner.clean(names, stages=STAGES)
    hits = []
    for name, steps in zip(names, frame["steps"]):
        rules = [step["rule"] for step in json.loads(steps) if _is_typo(step)]
        if rules:
            hits.append((name, rules))
    print(f"  real names: {len(hits)} of {len(names)} with a misspelt form or glossary word")
    for name, rules in hits[:show]:
        print(f"    {name} | {'; '.join(rule.split(';')[0] for rule in rules)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--show",
        type=int,
        default=0,
        help="print this many real names where a typo was recognised",
    )
    parser.add_argument(
        "--min-letters",
        default=str(typos.MIN_LETTERS_ONE_EDIT),
        help="comma-separated values of the length rule to try",
    )
    args = parser.parse_args()
    names = real_names()
    shipped = typos.MIN_LETTERS_ONE_EDIT
    for value in (int(v) for v in args.min_letters.split(",")):
        typos.MIN_LETTERS_ONE_EDIT = value
        Context.clear()
        print(
            f"one edit from {value} letters, two from {typos.MIN_LETTERS_TWO_EDITS}{' (shipped)' if value == shipped else ''}:"
        )
        found, some, total = form_recall()
        print(
            f"  legal forms: {found}/{total} typos recognised as their form = {found / total:.1%}; with some form {some / total:.1%}"
        )
        found, total = glossary_recall()
        print(f"  glossary words: {found}/{total} typos recognised = {found / total:.1%}")
        firing(names, args.show)
    typos.MIN_LETTERS_ONE_EDIT = shipped


if __name__ == "__main__":
    main()
