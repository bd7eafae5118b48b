"""The named normal forms every stage matches names in, in one place.

Each form answers one question, and says which accents it keeps:

- :func:`match_form`: the ``name_match`` column, NFKC case fold (ICU) with white space
  collapsed; every accent kept.
- :func:`lexicon_key`: a word looked up in a lexicon, NFKC case fold with the accents of Latin
  letters dropped (Müller = muller); other scripts keep theirs (й is not и in a Cyrillic name).
- :func:`legal_key`: a legal-form alias, one piece per character so spans map back to the
  text; accents dropped in Latin, Greek and Cyrillic (S.à r.l., Α.Ε., ООО), ``+`` read as ``&``.
- :func:`ascii_words`: the match key's words, romanised to lower-case ASCII, punctuation gone,
  runs of single letters joined (A.B.C. = ABC).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import icu

from namecleaner.text.scripts import char_script

_NFKC_CASEFOLD = icu.Normalizer2.getNFKCCasefoldInstance()
_TO_ASCII = icu.Transliterator.createInstance("Any-Latin; Latin-ASCII")
_WHITESPACE = re.compile(r"\s+")
_LATIN_MARK = re.compile(r"(?<=[a-z])[\u0300-\u036f]+")
_ACCENTED_SCRIPTS = frozenset({"Latn", "Grek", "Cyrl"})
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# & + ' inside a word join its parts (AT&T, R+D, O'Neil); an apostrophe elsewhere just goes.
_JOINERS_IN_WORD = re.compile(r"(?<=[0-9a-z])[&+'](?=[0-9a-z])|'")


def icu_transliterate(transform: icu.Transliterator, text: str) -> str:
    """``text`` through an ICU transform, without the lone surrogate half it may write.

    ICU's kana iteration marks (ゝ ヽ) repeat the UTF-16 unit before them, which for a
    character beyond the BMP is half of it (𐀀ゝ); PyICU then refuses the result. The text is
    then transformed in place and the half dropped.

    >>> icu_transliterate(_TO_ASCII, "\\U00010000ゝ x") == "\\U00010000 x", icu_transliterate(_TO_ASCII, "いすゞ")
    (True, 'isuzu')
    """
    try:
        return transform.transliterate(text)
    except icu.ICUError:
        units = icu.UnicodeString(text)
        transform.transliterate(units)
        raw = "".join(chr(units.charAt(i)) for i in range(len(units)))
        return raw.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "ignore")


def casefold(text: str) -> str:
    """NFKC case fold (ICU): full-width, compatibility and case differences gone.

    >>> casefold("ＴＯＹＯＴＡ"), casefold("Straße")
    ('toyota', 'strasse')
    """
    return _NFKC_CASEFOLD.normalize(text)


def collapse_whitespace(text: str) -> str:
    """Make every run of Unicode white space (NBSP, ideographic space, tabs, line breaks) one space, and trim.

    >>> collapse_whitespace("  Siemens\\u00a0\\tAG\\u3000 ")
    'Siemens AG'
    """
    return _WHITESPACE.sub(" ", text).strip()


def match_form(text: str) -> str:
    """The matching form of ``name_match``: NFKC case fold, white space collapsed.

    >>> match_form("㈱日立"), match_form("ＴＯＹＯＴＡ"), match_form("Eﬃcient Lab²")
    ('(株)日立', 'toyota', 'efficient lab2')
    """
    return collapse_whitespace(casefold(text))


def lexicon_key(text: str) -> str:
    """NFKC case fold, with the accents of Latin letters dropped (other scripts keep theirs).

    >>> lexicon_key("UNIVERSITÄT Zürich"), lexicon_key("Йошкар"), lexicon_key("ＴＯＹＯＴＡ")
    ('universitat zurich', 'йошкар', 'toyota')
    """
    folded = casefold(text)
    if folded.isascii():
        return folded
    return unicodedata.normalize("NFC", _LATIN_MARK.sub("", unicodedata.normalize("NFD", folded)))


@cache
def legal_char(char: str) -> str:
    """One character in legal-form matching form (:func:`legal_key` is their concatenation)."""
    folded = casefold(char)
    if char_script(char) in _ACCENTED_SCRIPTS:
        folded = "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))
    return folded


def legal_key(text: str) -> str:
    """The text in legal-form matching form, one piece per character: case fold, accents dropped, ``+`` as ``&``.

    >>> legal_key("ＧｍｂＨ+Co"), legal_key("Société"), legal_key("㈱"), legal_key("Α.Ε.")
    ('gmbh&co', 'societe', '(株)', 'α.ε.')
    """
    if text.isascii():
        return text.lower().replace("+", "&")
    return "".join([legal_char(c) for c in text]).replace("+", "&")


def join_letters(words: list[str]) -> list[str]:
    """Join runs of single letters into one word (a b c → abc); drop empty words.

    >>> join_letters(["h", "b", "e", "energy", "", "x"])
    ['hbe', 'energy', 'x']
    """
    folded: list[str] = []
    letters = ""
    for word in words:
        if len(word) == 1 and word.isalpha():
            letters += word
            continue
        if letters:
            folded.append(letters)
            letters = ""
        if word:
            folded.append(word)
    if letters:
        folded.append(letters)
    return folded


def ascii_words(text: str) -> list[str]:
    """Lower-case ASCII words of a text: accents, case, punctuation and spacing folded away.

    Runs of single letters join into one word, so A.B.C., A B C and ABC fold alike.

    >>> ascii_words("A.B.C. Société Générale, AT&T (R&D) O'Neil")
    ['abc', 'societe', 'generale', 'att', 'rd', 'oneil']
    """
    text = icu_transliterate(_TO_ASCII, text).lower() if not text.isascii() else text.lower()
    return join_letters(_NON_ALNUM.split(_JOINERS_IN_WORD.sub("", text)))
