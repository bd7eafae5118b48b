"""The Unicode Script property of characters and text, read through ICU.

Scripts are named by their ISO 15924 codes (``Latn``, ``Cyrl``, ``Hani`` …). ``Zyyy``
(Common) and ``Zinh`` (Inherited) are shared by all scripts and never count as a script of
their own.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

import icu

NEUTRAL_SCRIPTS = frozenset({"Zyyy", "Zinh", "Zzzz"})


@lru_cache(maxsize=65536)
def char_script(char: str) -> str:
    """ISO 15924 code of one character's Unicode Script property.

    >>> char_script("a"), char_script("а"), char_script("株"), char_script("-")
    ('Latn', 'Cyrl', 'Hani', 'Zyyy')
    """
    return icu.Script.getScript(ord(char)).getShortName()


def script_counts(text: str) -> Counter[str]:
    """How many letters of each script the text holds (neutral characters left out).

    >>> script_counts("OOO «Газпром»")
    Counter({'Cyrl': 7, 'Latn': 3})
    """
    counts: Counter[str] = Counter()
    for char in text:
        if char.isalpha():
            script = char_script(char)
            if script not in NEUTRAL_SCRIPTS:
                counts[script] += 1
    return counts


def dominant_script(text: str) -> str | None:
    """The script with the most letters in ``text``, or None when it has no letters.

    Ties go to the script met first, so the result is deterministic.

    >>> dominant_script("Sаmsung"), dominant_script("123 -")
    ('Latn', None)
    """
    if text.isascii():  # ASCII letters are all Latin
        return "Latn" if any(c.isalpha() for c in text) else None
    counts = script_counts(text)
    return counts.most_common(1)[0][0] if counts else None
