"""Stage 1, Unicode cleaning: the display form ``name_clean`` and the matching form ``name_match``.

The display form is the value made readable and consistent without changing what it says:
entities decoded, mojibake repaired, invisible characters dropped, white space collapsed,
NFC, full-width ASCII narrowed, ligatures and presentation forms expanded, quotes and dashes
unified, stray separators trimmed, homoglyphs repaired, the length capped. Each fix is a
small ``str -> str`` function in :data:`FIXES`; a step is recorded only when a fix changed
the text, so replaying the recorded steps on the original gives the display form again.
The fixes run again while a round changes the text (:data:`MAX_ROUNDS`), so the display
form is its own display form: cleaning ``name_clean`` again changes nothing.

The matching form is the display form under ICU's NFKC case fold, which also expands
enclosed forms (㈱ → (株)), ligatures and superscripts.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import ftfy
import icu

from namecleaner.config import UnicodeOptions
from namecleaner.errors import DataFileError
from namecleaner.record import MAX_NAME_CHARS, NameRecord
from namecleaner.resources import data_path, read_tsv_table, shared
from namecleaner.text.fold import collapse_whitespace, match_form
from namecleaner.text.scripts import char_script

if TYPE_CHECKING:  # the context is handed to build(); a stage never imports it at run time
    from namecleaner.context import Context

NAME = "unicode"
FIELDS = ("name_clean", "name_match")
REQUIRES: tuple[str, ...] = ()

_ENTITY = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]{1,31});")
_WIDE_FORMS = re.compile(r"[\uFF01-\uFF5E\uFF61-\uFF9F\uFFE0-\uFFEE]+")
_DOUBLE_QUOTES = dict.fromkeys(map(ord, "\u201c\u201d\u201e\u201f\u2033\u2036\u301d\u301e"), '"')
_SINGLE_QUOTES = dict.fromkeys(map(ord, "\u2018\u2019\u201a\u201b\u2032\u2035\u0060\u00b4\u02bc"), "'")
_QUOTES = {**_DOUBLE_QUOTES, **_SINGLE_QUOTES}
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\u2e3a\u2e3b\ufe58\ufe63"), "-")
# Scripts whose spelling needs ZWJ/ZWNJ (Indic conjuncts, Persian half-spaces, Arabic joining).
_JOINER_SCRIPTS = frozenset(
    [
        "Arab",
        "Syrc",
        "Mong",
        "Nkoo",
        "Deva",
        "Beng",
        "Guru",
        "Gujr",
        "Orya",
        "Taml",
        "Telu",
        "Knda",
        "Mlym",
        "Sinh",
        "Khmr",
        "Mymr",
        "Tibt",
        "Thaa",
    ]
)
_JOINERS = "\u200c\u200d"
_NFKC_CASEFOLD = icu.Normalizer2.getNFKCCasefoldInstance()


def _invisible_pattern() -> re.Pattern[str]:
    """Control and format characters other than white space and the two joiners."""
    chars = icu.UnicodeSet(r"[[:Cc:][:Cf:]-[:White_Space:]-[\u200C\u200D]]")
    ranges = "".join(f"{re.escape(start)}-{re.escape(end)}" for start, end in chars.ranges())
    return re.compile(f"[{ranges}]")


_INVISIBLE = _invisible_pattern()


def decode_html_entities(text: str) -> str:
    """Decode HTML and SGML character entities, also when encoded twice.

    Patent feeds pass through XML and HTML tools that escape ``&`` once or twice.

    >>> decode_html_entities("AT&amp;T"), decode_html_entities("L&#39;Or&eacute;al &amp;amp; Co")
    ('AT&T', "L'Oréal & Co")
    >>> decode_html_entities("R&D; Smith & Sons")
    'R&D; Smith & Sons'
    """
    for _ in range(3):
        if not _ENTITY.search(text):
            break
        decoded = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
        if decoded == text:
            break
        text = decoded
    return text


def fix_mojibake(text: str) -> str:
    """Repair text that was decoded with the wrong codec (UTF-8 read as cp1252 …), with ftfy.

    >>> fix_mojibake("SociÃ©tÃ© GÃ©nÃ©rale"), fix_mojibake("Société")
    ('Société Générale', 'Société')
    """
    if text.isascii():
        return text
    return ftfy.fix_encoding(text)


def remove_invisible(text: str) -> str:
    """Drop control and format characters (zero-width space, BOM, soft hyphen, bidi marks).

    ZWJ and ZWNJ stay next to a letter of a script that spells with them.

    >>> remove_invisible("Sie\\u00admens\\u200b AG\\ufeff")
    'Siemens AG'
    >>> remove_invisible("a\\u200cb") , remove_invisible("می\\u200cخواهم") == "می\\u200cخواهم"
    ('ab', True)
    """
    if _INVISIBLE.search(text):
        text = _INVISIBLE.sub("", text)
    if "\u200c" in text or "\u200d" in text:
        text = "".join(
            char for index, char in enumerate(text) if char not in _JOINERS or _joiner_is_needed(text, index)
        )
    return text


def _joiner_is_needed(text: str, index: int) -> bool:
    neighbours = text[max(index - 1, 0) : index] + text[index + 1 : index + 2]
    return any(char_script(c) in _JOINER_SCRIPTS for c in neighbours)


def normalize_nfc(text: str) -> str:
    """Compose characters (NFC), the storage form Unicode recommends.

    >>> normalize_nfc("Mu\\u0308ller") == "M\\u00fcller"
    True
    """
    return unicodedata.normalize("NFC", text)


def narrow_wide_forms(text: str) -> str:
    """Turn full-width ASCII into ASCII and half-width katakana into the usual katakana.

    >>> narrow_wide_forms("ＴＯＹＯＴＡ Ｃｏ．，Ｌｔｄ．"), narrow_wide_forms("ｿﾆｰ株式会社")
    ('TOYOTA Co.,Ltd.', 'ソニー株式会社')
    """
    return _WIDE_FORMS.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)


# Presentation forms: Latin, Armenian and Hebrew ligatures (ﬃ, ﬆ, ﬓ, שׁ) and Arabic contextual
# glyphs (ﺍﻟ), which a font draws from the plain letters; only PDF and OCR output carries them.
_PRESENTATION_FORMS = re.compile("[\ufb00-\ufdcf\ufdf0-\ufdff\ufe70-\ufefe]")


def expand_presentation_forms(text: str) -> str:
    """Write ligatures and other presentation forms as the letters they stand for (NFKC).

    >>> expand_presentation_forms("Eﬃcient Energy GmbH"), expand_presentation_forms("ﬁrst")
    ('Efficient Energy GmbH', 'first')
    """
    if text.isascii():
        return text
    return _PRESENTATION_FORMS.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


# Separators with nothing to separate: a comma, semicolon or colon (Latin, full-width or
# ideographic) that opens or closes the name, with the spaces around it (white space is
# already collapsed to single spaces).
_STRAY_SEPARATORS = " ,;:、，；："


def trim_stray_separators(text: str) -> str:
    """Drop the commas, semicolons and colons that open or close a name.

    >>> trim_stray_separators("Carl Zeiss SMT GmbH ,"), trim_stray_separators("; Acme Corp.;")
    ('Carl Zeiss SMT GmbH', 'Acme Corp.')
    >>> trim_stray_separators("Smith, John"), trim_stray_separators("Acme Inc.")
    ('Smith, John', 'Acme Inc.')
    """
    return text.strip(_STRAY_SEPARATORS)


def unify_quotes(text: str) -> str:
    """Map curly, low and prime quotes to ``"`` and ``'``; guillemets and 「」 stay.

    >>> unify_quotes("“Acme” O’Neil ‚x‘ «Газпром»")
    '"Acme" O\\'Neil \\'x\\' «Газпром»'
    """
    return text.translate(_QUOTES)


def unify_dashes(text: str) -> str:
    """Map hyphens, en and em dashes and the minus sign to ``-`` (the katakana ー stays).

    >>> unify_dashes("Hans‐Peter – Widgets"), unify_dashes("ソニー")
    ('Hans-Peter - Widgets', 'ソニー')
    """
    return text.translate(_DASHES)


@dataclass(frozen=True)
class Homoglyphs:
    """Lookalike letters between Latin and Cyrillic or Greek, read from a confusables table.

    ``words`` are Cyrillic words that feeds often type wholly in Latin lookalikes (ООО);
    only these are converted when a whole Latin token stands in a Cyrillic name, so a real
    Latin brand inside a Cyrillic name (IBM) is never touched.
    """

    to_latin: Mapping[str, str]
    from_latin: Mapping[str, Mapping[str, str]]
    words: Mapping[str, frozenset[str]]
    label: str

    def repair(self, text: str) -> str:
        """Bring each word that mixes scripts, or that is a lookalike-only word in the wrong script, to its script.

        A word that mixes scripts is folded only to the script of most of its letters; a word
        mixing Greek with Latin only when the result is a known word or an ordinary word
        (letters in lower case, capitals, or a capital and lower case): a Greek letter in a
        symbol (IL2Rγ, α-amylase, NF-κB) is meant, a Cyrillic а in Sаmsung is a slip.
        """
        tokens = _HYPHENATED.split(text)
        scripts = [_token_scripts(token) for token in tokens]
        for index, token in enumerate(tokens):
            token_scripts = scripts[index]
            if not token_scripts or token_scripts == {"Latn"} and not self.words:
                continue
            context = _context_script(scripts, index)
            target = self._target_script(token, token_scripts, context)
            if target:
                tokens[index] = self._convert(token, target)
        return "".join(tokens)

    def _target_script(self, token: str, token_scripts: set[str], context: str | None) -> str | None:
        candidates = [s for s in ("Latn", "Cyrl", "Grek") if self._convertible(token, s)]
        if len(token_scripts) > 1:
            letters = [char_script(c) for c in token if c.isalpha()]
            candidates.sort(key=lambda s: (-letters.count(s), s != context))
            if not candidates:
                return None
            target = candidates[0]
            share = 2 * letters.count(target) - len(letters)
            if share < 0 or share == 0 and target != context:  # most letters, or half and the name's script
                return None
            if "Grek" not in token_scripts:
                return target
            # Greek letters are the symbols of science inside Latin words (IL2Rγ, NF-κB); Cyrillic ones never are.
            converted = self._convert(token, target)
            known = converted.upper() in self.words.get(target, ())
            return target if known or _ordinary_word(converted) else None
        (script,) = token_scripts
        if script != "Latn" and context == "Latn" and "Latn" in candidates:
            # A lone letter (the α of α-amylase) is a symbol, not a word typed in the wrong script.
            return "Latn" if _ordinary_word(self._convert(token, "Latn")) else None
        if script == "Latn" and context is not None and context in self.words:
            converted = self._convert(token, context)
            if converted.upper() in self.words[context]:
                return context
        return None

    def _convertible(self, token: str, script: str) -> bool:
        for char in token:
            if not char.isalpha() or char_script(char) == script:
                continue
            if script == "Latn" and char not in self.to_latin:
                return False
            if script != "Latn" and (char_script(char) != "Latn" or char not in self.from_latin.get(script, {})):
                return False
        return True

    def _convert(self, token: str, script: str) -> str:
        if script == "Latn":
            return "".join(self.to_latin.get(c, c) for c in token)
        mapping = self.from_latin[script]
        return "".join(mapping.get(c, c) if char_script(c) == "Latn" else c for c in token)


# Words are cut at spaces and hyphens, both kept (α-Amylase: the symbol α apart from the word).
_HYPHENATED = re.compile(r"([ \-])")


def _ordinary_word(word: str) -> bool:
    """Whether a word is letters only (an apostrophe, a final period allowed), in lower case,
    capitals, or a capital then lower case; not a symbol with digits or inner capitals (IL2RycKO).

    >>> _ordinary_word("Samsung"), _ordinary_word("ООО"), _ordinary_word("IL2RycKO"), _ordinary_word("y")
    (True, True, False, False)
    """
    letters = word.rstrip(".").replace("'", "").replace("’", "")
    if len(letters) < 2 or not letters.isalpha():
        return False
    return letters.islower() or letters.isupper() or (letters[0].isupper() and letters[1:].islower())


def _token_scripts(token: str) -> set[str]:
    return {s for s in (char_script(c) for c in token if c.isalpha()) if s in ("Latn", "Cyrl", "Grek")}


def _context_script(scripts: list[set[str]], index: int) -> str | None:
    """The script most other tokens of the name are written in."""
    counts: dict[str, int] = {}
    for other_index, token_scripts in enumerate(scripts):
        if other_index != index and len(token_scripts) == 1:
            (script,) = token_scripts
            counts[script] = counts.get(script, 0) + 1
    return max(sorted(counts), key=counts.__getitem__) if counts else None


@shared
def load_homoglyphs() -> Homoglyphs:
    """The shipped lookalike table and lookalike-only words."""
    table = read_tsv_table(data_path("unicode", "homoglyphs.tsv"), required_columns=("latin", "other", "other_script"))
    words = read_tsv_table(data_path("unicode", "lookalike_words.tsv"), required_columns=("word", "script"))
    to_latin = {row["other"]: row["latin"] for row in table.rows}
    from_latin: dict[str, dict[str, str]] = {}
    # Prefer the letters of the basic Cyrillic and Greek blocks (А not Ѧ) when several look alike.
    for row in sorted(table.rows, key=lambda r: ord(r["other"]) > 0x44F and r["other_script"] == "Cyrl"):
        from_latin.setdefault(row["other_script"], {}).setdefault(row["latin"], row["other"])
    by_script: dict[str, set[str]] = {}
    problems = []
    for row, line in zip(words.rows, words.line_numbers):
        if any(char_script(c) != row["script"] for c in row["word"] if c.isalpha()):
            problems.append(f"line {line}: '{row['word']}' is not all in script {row['script']}")
        by_script.setdefault(row["script"], set()).add(row["word"].upper())
    if problems:
        raise DataFileError(words.path, problems)
    return Homoglyphs(to_latin, from_latin, {s: frozenset(w) for s, w in by_script.items()}, table.label)


def repair_homoglyphs(text: str) -> str:
    """Repair Latin/Cyrillic/Greek lookalikes: a token is brought to its dominant script.

    >>> repair_homoglyphs("S\\u0430msung Electronics") == "Samsung Electronics"
    True
    >>> repair_homoglyphs("OOO «Газпром»") == "\\u041e\\u041e\\u041e «Газпром»"
    True
    >>> repair_homoglyphs("IBM Россия"), repair_homoglyphs("OOO Gazprom")
    ('IBM Россия', 'OOO Gazprom')
    """
    if text.isascii():
        return text
    return load_homoglyphs().repair(text)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def replace_lone_surrogates(text: str) -> str:
    """Replace each lone surrogate (an undecodable byte kept by a reader, a broken string) with U+FFFD.

    A surrogate is no character: it cannot be stored as UTF-8, so no cleaned field may hold one;
    the original keeps it.

    >>> replace_lone_surrogates("ACME\\udcff GmbH") == "ACME\\ufffd GmbH"
    True
    """
    return _LONE_SURROGATE.sub("\ufffd", text)


def cap_length(text: str) -> str:
    """Keep the first :data:`~namecleaner.record.MAX_NAME_CHARS` characters, the most the later stages read.

    The pipeline cuts the name before this stage, but a fix may lengthen it (NFKC writes ﷺ as
    18 letters), and a display form beyond the cap would be cut, and keyed differently, when
    cleaned again.

    >>> len(cap_length("\\ufdfa" * 100)), len(cap_length(expand_presentation_forms("\\ufdfa" * 100)))
    (100, 1000)
    """
    return text[:MAX_NAME_CHARS]


#: The display-form fixes in the order they run.
FIXES: dict[str, Callable[[str], str]] = {
    "replace_lone_surrogates": replace_lone_surrogates,
    "decode_html_entities": decode_html_entities,
    "fix_mojibake": fix_mojibake,
    "remove_invisible": remove_invisible,
    "collapse_whitespace": collapse_whitespace,
    "normalize_nfc": normalize_nfc,
    "narrow_wide_forms": narrow_wide_forms,
    "expand_presentation_forms": expand_presentation_forms,
    "unify_quotes": unify_quotes,
    "unify_dashes": unify_dashes,
    "trim_stray_separators": trim_stray_separators,
    "repair_homoglyphs": repair_homoglyphs,
    "cap_length": cap_length,
}


def _rule_of(step: str) -> tuple[str, str]:
    """(rule, table) recorded for a fix, naming the library or table behind it."""
    if step == "fix_mojibake":
        return f"ftfy {ftfy.__version__}", ""
    if step == "repair_homoglyphs":
        return "UTS #39 confusables", load_homoglyphs().label
    if step == "cap_length":
        return f"the first {MAX_NAME_CHARS} characters", ""
    if step in ("normalize_nfc", "narrow_wide_forms", "expand_presentation_forms"):
        return f"Unicode {unicodedata.unidata_version}", ""
    return FIXES[step].__name__, ""


#: Rounds of :data:`FIXES` at most. One fix can expose work for an earlier one (dropping a
#: control character joins two halves of a mojibake sequence), so the fixes run again until a
#: round changes nothing: the display form then cleans to itself, and so does its match key.
#: Real names settle in one or two rounds.
MAX_ROUNDS = 4


def clean_text(text: str, record: NameRecord | None = None) -> str:
    """Apply every fix in order, round after round until none changes the text (at most :data:`MAX_ROUNDS`);
    record a step on ``record`` for each fix that changed it.

    >>> clean_text("\\x1fÆ0ß\\x1fÆ0ß") == clean_text(clean_text("\\x1fÆ0ß\\x1fÆ0ß"))
    True
    """
    for _ in range(MAX_ROUNDS):
        before = text
        for step, fix in FIXES.items():
            fixed = fix(text)
            if fixed != text:
                text = fixed
                if record is not None:
                    rule, table = _rule_of(step)
                    record.add_step(NAME, step, rule, table, fixed)
        if text == before:
            break
    return text


class UnicodeStage:
    """Fills ``name_clean`` and ``name_match``."""

    name = NAME
    fields = FIELDS

    def __call__(self, record: NameRecord) -> None:
        record.name_clean = clean_text(record.original, record)
        record.name_match = match_form(record.name_clean)


def build(context: Context, options: UnicodeOptions) -> UnicodeStage:
    """Build the stage; it has no options but ``enabled``."""
    return UnicodeStage()
