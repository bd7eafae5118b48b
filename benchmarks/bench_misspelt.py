"""Misspelt legal forms and glossary words: how many typos are recognised, and what else fires.

Recall: every common legal-form alias of the shipped table (curated or of no jurisdiction,
Latin letters) gets two typos in its longest word, a swap of the two middle letters and the
middle letter deleted, and ends a made-up name ("Acme Widgets Aktiengesellshaft"); a typo is
recognised when the stage finds the alias's form (also printed: the share where some form is found). Glossary words (romanised, Latin) get the same
two typos and count as recognised when the key holds the word's concept.

Firing on real names: the shared name lists (``shared_data.NAME_SOURCES``: Lens drones, NBER,
EDINET and OpenDART English names, OFAC, Fraunhofer) cleaned through the public pipeline; every
name with a ``split_*_misspelt`` or ``glossary_misspelt`` step is counted (``--show N`` prints
them, to be read by eye: each is either a true typo or a false hit).

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

STAGES = ("unicode", "legal_form", "match_key")


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
    """(recognised as the alias's form, as some form, typos) over the common legal-form aliases
    that the rule lets tolerate one edit. A typo in a long form may leave a shorter form spelt
    right at its end (compnia limitada: Ltda.), which is found as written instead."""
    forms = load_legal_forms()
    cases = []
    for key in common_aliases(forms):
        if (
            key.replace(" ", "").isalpha()
            and key.isascii()
            and typos.allowed_edits(len(key.replace(" ", "")))
        ):
            cases += [
                (f"Acme Widgets {typo}", forms.resolve(key, ()).form.abbreviation)
                for typo in _typo_names(key)
            ]
    frame = namecleaner.clean([name for name, _ in cases], stages=STAGES)
    found = [str(form) for form in frame["legal_form"]]
    return (
        sum(form == want for form, (_, want) in zip(found, cases)),
        sum(form != "<NA>" for form in found),
        len(cases),
    )


def glossary_recall() -> tuple[int, int]:
    """(recognised, typos) over the single-word Latin glossary variants of a concept."""
    glossary = load_glossary()
    cases = []
    for variant, concept in glossary.latin.items():
        if (
            concept
            and variant.isalpha()
            and typos.allowed_edits(len(variant))
            and variant not in glossary.concepts
        ):
            cases += [(f"Acme {typo}", " ".join(concept)) for typo in misspell(variant)]
    keys = namecleaner.clean([name for name, _ in cases], stages=STAGES)["match_key"]
    return sum(key.endswith(want) for key, (_, want) in zip(keys, cases)), len(cases)


def firing(names: list[str], show: int) -> None:
    frame = namecleaner.clean(names, stages=STAGES)
    hits = []
    for name, steps in zip(names, frame["steps"]):
        rules = [
            step["rule"]
            for step in json.loads(steps)
            if step["step"].endswith("misspelt")
        ]
        if rules:
            hits.append((name, rules))
    print(
        f"  real names: {len(hits)} of {len(names)} with a misspelt form or glossary word"
    )
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
        print(
            f"  glossary words: {found}/{total} typos recognised = {found / total:.1%}"
        )
        firing(names, args.show)
    typos.MIN_LETTERS_ONE_EDIT = shipped


if __name__ == "__main__":
    main()
