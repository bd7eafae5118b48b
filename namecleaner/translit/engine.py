"""The rule engine: runs a checked :class:`~namecleaner.translit.table.Table` over text.

Each pass is compiled once into a dict from first character to the rules starting with it,
longest first, so a pass costs one dict look-up per character. At each position the longest
rule whose context holds wins; among rules of the same length the earlier line wins.
Unmatched characters are copied. The run order is: reader, normalisation, passes, ICU
rules, output case.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import icu

from namecleaner.translit.table import NormalForm, Pass, Rule, Table, is_letter, lower_aligned, readers


@dataclass(frozen=True)
class _CompiledPass:
    normalize: NormalForm | None
    index: dict[str, tuple[Rule, ...]]


def _compile_pass(rules_pass: Pass) -> _CompiledPass:
    index: dict[str, list[Rule]] = {}
    for rule in rules_pass.rules:
        index.setdefault(rule.source[0], []).append(rule)
    # sorted() is stable, so rules of equal length keep their file order.
    return _CompiledPass(
        rules_pass.normalize, {k: tuple(sorted(v, key=lambda r: -len(r.source))) for k, v in index.items()}
    )


def _holds(rule: Rule, text: str, start: int, end: int, in_word: Callable[[str], bool]) -> bool:
    for condition in rule.conditions:
        kind = condition.kind
        if kind == "word_start":
            ok = start == 0 or not in_word(text[start - 1])
        elif kind == "word_end":
            ok = end == len(text) or not in_word(text[end])
        elif kind in ("after", "not_after"):
            ok = start > 0 and condition.member(text[start - 1])
            ok = ok if kind == "after" else not ok
        else:
            ok = end < len(text) and condition.member(text[end])
            ok = ok if kind == "before" else not ok
        if not ok:
            return False
    return True


_LETTER_RUN = re.compile(r"[^\W\d_]+")


def _all_caps_words(text: str) -> list[bool]:
    """Per position: is it inside a run of two or more letters, all upper case?

    >>> _all_caps_words("ЩУКИН Ли Я")
    [True, True, True, True, True, False, False, False, False, False]
    """
    flags = [False] * len(text)
    for match in _LETTER_RUN.finditer(text):
        word = match.group()
        if len(word) >= 2 and word.isupper():
            flags[match.start() : match.end()] = [True] * len(word)
    return flags


def _cased_output(target: str, matched: str, all_caps: bool) -> str:
    if all_caps and any(c.isupper() for c in matched):
        return target.upper()
    first = next((c for c in matched if c.lower() != c.upper()), "")
    if first.isupper():
        for index, char in enumerate(target):
            if char.isalpha():
                return target[:index] + char.upper() + target[index + 1 :]
    return target


def title_words(text: str) -> str:
    """Upper-case the first letter of each space-separated word, leaving the rest as written.

    >>> title_words("namsan-ri (seoul)")
    'Namsan-ri (Seoul)'
    """
    words = text.split(" ")
    for number, word in enumerate(words):
        for index, char in enumerate(word):
            if char.isalpha():
                words[number] = word[:index] + char.upper() + word[index + 1 :]
                break
    return " ".join(words)


_CASE_OPS: dict[str, Callable[[str], str]] = {"upper": str.upper, "lower": str.lower, "title": title_words}


class Transliterator:
    """A compiled table: call it on a string to romanise it."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.passes = tuple(_compile_pass(p) for p in table.passes)
        self.case_auto = table.case == "auto"
        extra = frozenset(table.word_chars)
        self._in_word = lambda char: char in extra or is_letter(char)
        self._icu = (
            icu.Transliterator.createFromRules(table.id, table.icu_rules, icu.UTransDirection.FORWARD)
            if table.icu_rules
            else None
        )
        self._reader = readers()[table.reader] if table.reader else None

    def run_pass(self, compiled: _CompiledPass, text: str) -> str:
        """One left-to-right longest-match pass."""
        if compiled.normalize:
            text = unicodedata.normalize(compiled.normalize, text)
        match_text = lower_aligned(text) if self.case_auto else text
        # Case work only where the text has capitals.
        caps = _all_caps_words(text) if self.case_auto and match_text != text else None
        out: list[str] = []
        index, length = 0, len(text)
        while index < length:
            for rule in compiled.index.get(match_text[index], ()):
                end = index + len(rule.source)
                if match_text.startswith(rule.source, index) and _holds(rule, match_text, index, end, self._in_word):
                    if caps is None or match_text[index:end] == text[index:end]:
                        out.append(rule.target)
                    else:
                        out.append(_cased_output(rule.target, text[index:end], caps[index]))
                    index = end
                    break
            else:
                out.append(text[index])
                index += 1
        return "".join(out)

    def __call__(self, text: str, *, person_name: bool = True) -> str:
        """Romanise ``text``; ``person_name=False`` tells the reader the name is an organisation's."""
        if self._reader is not None:
            text = self._reader(text, person_name=person_name)
        if self.table.normalize:
            text = unicodedata.normalize(self.table.normalize, text)
        for compiled in self.passes:
            text = self.run_pass(compiled, text)
        if self._icu is not None:
            text = self._icu.transliterate(text)
        op = _CASE_OPS.get(self.table.case)
        return op(text) if op else text


@lru_cache(maxsize=256)
def _compiled(table: Table) -> Transliterator:
    return Transliterator(table)


def transliterator(table: Table) -> Transliterator:
    """The compiled form of a table, built once per table."""
    return _compiled(table)


def example_failures(table: Table) -> list[tuple[str, str, str]]:
    """``(source, expected, got)`` for every example that does not come out as expected.

    Examples marked as known failures are left out.
    """
    run = transliterator(table)
    failures = []
    for example in table.examples:
        if example.known_failure:
            continue
        got = run(example.source)
        if got != example.expected:
            failures.append((example.source, example.expected, got))
    return failures
