"""Numbers in match keys: one number, one form.

Names write a number in words, in digits or as an ordinal ("Twenty-Nine", "29", "29th"), and
Korean wraps it in a number sign (제29호, "No. 29"). Clustering vetoes a pair whose numbers
differ (Fund 1, Fund 2), so every form must key as the digits: text2num reads the English
number words, an ordinal keeps its number, and the number signs the glossary lists (concept
``№``) are dropped where they touch a number.
"""

from __future__ import annotations

import re
from importlib.metadata import version
from typing import TYPE_CHECKING

from text_to_num import alpha2digit

if TYPE_CHECKING:  # the glossary's module imports this one
    from namecleaner.stages.match_key import Glossary

#: The glossary's concept for a number sign (제 and 호 of 제29호).
NUMBER_SIGN = "№"
#: What reads English number words, as recorded in provenance steps.
NUMBER_WORDS_TABLE = f"text2num {version('text2num')}"

_ORDINAL = re.compile(r"(\d+)(?:st|nd|rd|th)$")


def digit_words(words: list[str]) -> tuple[list[str], list[str]]:
    """The words with English numbers in digits (text2num) and ordinals as their number; also
    the hits made. A lone small number stays a word, as text2num leaves it (One World).

    >>> digit_words(["hana", "twenty", "nine", "spac"])
    (['hana', '29', 'spac'], ['twenty nine→29'])
    >>> digit_words(["shinhan", "12th", "fund"])[0], digit_words(["one", "world"])[0]
    (['shinhan', '12', 'fund'], ['one', 'world'])
    """
    text = " ".join(words)
    read = alpha2digit(text, "en") if any(word.isalpha() for word in words) else text
    out = [_ORDINAL.sub(r"\1", word) if word[:1].isdigit() else word for word in read.split()]
    return out, ([] if out == words else [_changed(words, out)])


def _changed(before: list[str], after: list[str]) -> str:
    """The words that differ, as a hit: the span between the common start and end.

    >>> _changed(["a", "twenty", "one", "b"], ["a", "21", "b"])
    'twenty one→21'
    """
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    end = 0
    while end < min(len(before), len(after)) - start and before[-1 - end] == after[-1 - end]:
        end += 1
    return f"{' '.join(before[start : len(before) - end])}→{' '.join(after[start : len(after) - end])}"


def strip_number_signs(run: str, before: str, after: str, glossary: Glossary) -> tuple[str, list[str]]:
    """A Hangul run without the glossary's number signs that touch a number: at its end when
    the text ``after`` it starts with a digit (제 of 제29), at its start when the text
    ``before`` it ends with one (호 of 29호); also the signs dropped.

    >>> from namecleaner.stages.match_key import Glossary
    >>> g = Glossary({}, {"호텔": ("hotel",)}, (), 2, number_signs=("제", "호"))
    >>> strip_number_signs("키움제", "", "8호스팩", g), strip_number_signs("호스팩", "키움제8", "", g)
    (('키움', ['제']), ('스팩', ['호']))
    >>> strip_number_signs("제일", "", "2", g), strip_number_signs("호텔", "2", "", g)
    (('제일', []), ('호텔', []))
    """
    dropped = []
    if after[:1].isdigit() and (sign := _touching_sign(run, glossary, at_end=True)):
        run, dropped = run[: -len(sign)], [sign]
    if before[-1:].isdigit() and (sign := _touching_sign(run, glossary, at_end=False)):
        run, dropped = run[len(sign) :], [*dropped, sign]
    return run, dropped


def _touching_sign(run: str, glossary: Glossary, *, at_end: bool) -> str:
    """The number sign (longest first) at the end or the start of a run, or '' when a glossary
    word takes the sign in (the 호 of 2호텔 is the hotel's)."""
    for sign in glossary.number_signs:
        if run.endswith(sign) if at_end else run.startswith(sign):
            sizes = range(len(sign) + 1, min(glossary.longest_hangul, len(run)) + 1)
            taken = any((run[-size:] if at_end else run[:size]) in glossary.hangul for size in sizes)
            return "" if taken else sign
    return ""
