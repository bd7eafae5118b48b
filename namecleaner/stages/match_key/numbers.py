"""Numbers in match keys: one number, one form.

Names write a number in words, in digits or as an ordinal ("Twenty-Nine", "29", "29th"), and
Korean wraps it in a number sign (제29호, "No. 29"). Clustering vetoes a pair whose numbers
differ (Fund 1, Fund 2), so every form must key as the digits: text2num reads the English
number words, an ordinal keeps its number, and the number signs the glossary lists (concept
``№``) are dropped where they touch a number.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Container

from text_to_num import alpha2digit

#: The glossary's concept for a number sign (제 and 호 of 제29호).
NUMBER_SIGN = "№"

_ORDINAL = re.compile(r"(\d+)(?:st|nd|rd|th)$")
_DIGIT = re.compile(r"\d")


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
    out = [_ORDINAL.sub(r"\1", word) if _DIGIT.match(word) else word for word in read.split()]
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


def strip_number_signs(
    run: str, before: str, after: str, signs: Collection[str], words: Container[str] = (), longest: int = 0
) -> tuple[str, list[str]]:
    """A Hangul run without the number signs that touch a number: its end when the text
    ``after`` it starts with a digit (제 of 제29), its start when the text ``before`` it ends
    with one (호 of 29호); also the signs dropped. A glossary word (``words``, of at most
    ``longest`` syllables) that takes the sign in keeps it: 호 of 2호텔 is the hotel's.

    >>> signs = {"제", "호"}
    >>> strip_number_signs("키움제", "", "8호스팩", signs), strip_number_signs("호스팩", "키움제8", "", signs)
    (('키움', ['제']), ('스팩', ['호']))
    >>> strip_number_signs("제일", "", "2", signs), strip_number_signs("호텔", "2", "", signs, {"호텔"}, 2)
    (('제일', []), ('호텔', []))
    """
    dropped = []
    if after[:1].isdigit():
        sign = next((s for s in _longest_first(signs) if run.endswith(s)), None)
        if sign and not any(run[-size:] in words for size in range(len(sign) + 1, min(longest, len(run)) + 1)):
            run, dropped = run[: -len(sign)], [sign]
    if before[-1:].isdigit():
        sign = next((s for s in _longest_first(signs) if run.startswith(s)), None)
        if sign and not any(run[:size] in words for size in range(len(sign) + 1, min(longest, len(run)) + 1)):
            run, dropped = run[len(sign) :], [*dropped, sign]
    return run, dropped


def _longest_first(signs: Collection[str]) -> list[str]:
    return sorted(signs, key=lambda sign: (-len(sign), sign))
