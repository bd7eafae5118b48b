"""Last stage, the match key: the name reduced to what identifies the organisation or person.

The key starts from the most reduced form the earlier stages give (the romanised name without
its legal form when both stages ran, else whatever exists), is folded to lower-case ASCII
words, and has the multilingual glossary applied, so that 自動車, jidosha, 자동차 and
автомобиль all become ``motor`` and names written in different scripts meet. Clustering
(``namecleaner.cluster``) compares these keys.

The glossary lives in ``data/glossary/*.tsv`` (columns ``concept`` and ``variant``; concept
``-`` drops a function word). Names in Hangul are keyed from their Hangul text: Korean writes
company names without spaces, so the glossary segments the Hangul runs first (코아정보시스템 →
core information system) and ICU romanises what is left. In Japanese and Chinese names the
glossary's katakana words are taken out before romanising, and its Han words are keyed on the
source script, since readings collide (鉱業 mining and 工業 industry are both kogyo). Arabic
names are keyed from their Arabic core in one form per word (:func:`arabic_key_form`: the ta
marbuta and the article as wherever the word stands). Numbers key as digits in every script
(:mod:`.numbers`: twenty-nine, 29th and 제29호 are 29), since clustering vetoes differing numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import TYPE_CHECKING

import icu
import simplemma

from namecleaner.config import MatchKeyOptions
from namecleaner.errors import DataFileError
from namecleaner.record import NameRecord
from namecleaner.resources import data_path, read_tsv_table, shared
from namecleaner.stages.match_key.numbers import NUMBER_SIGN, NUMBER_WORDS_TABLE, digit_words, strip_number_signs
from namecleaner.text.fold import ascii_words, join_letters
from namecleaner.text.scripts import char_script
from namecleaner.text.typos import TypoIndex
from namecleaner.translit.readers import japanese_loanword

if TYPE_CHECKING:  # the context is handed to build(); a stage never imports it at run time
    from namecleaner.context import Context

NAME = "match_key"
FIELDS = ("match_key",)
REQUIRES: tuple[str, ...] = ("unicode", "transliterate", "legal_form")

#: The glossary tables whose Latin variants are romanised Japanese, Chinese and Korean.
_ROMANISED_TABLES = ("ja", "zh", "ko")
#: Longest run of words the glossary matches as one phrase ("united states of america").
MAX_PHRASE_WORDS = 4
DROP = "-"

_TO_ASCII = icu.Transliterator.createInstance("Any-Latin; Latin-ASCII")
_HANGUL_TO_LATIN = icu.Transliterator.createInstance("Hangul-Latin; Latin-ASCII")
_HANGUL_RUN = re.compile(r"[\uac00-\ud7a3]+")
_LATIN_OR_COMMON = frozenset(("Latn", "Zyyy", "Zinh"))
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_KATAKANA = re.compile(r"[\u30a1-\u30fa]")
_KATAKANA_WORD = re.compile(r"[\u30a1-\u30ff]+")
# A letter of a katakana word: the kana and the long-vowel mark (not the ・ between words).
_KATAKANA_LETTER = re.compile(r"[\u30a1-\u30fa\u30fc]")
_KATAKANA_RUN = re.compile(r"[\u30a1-\u30fa\u30fc]+")
#: The dictionary the loanword steps cite (the Japanese reader's, through fugashi).
LOANWORD_TABLE = "unidic-lite 1.0.8 (UniDic 2.1.2)"
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# & and + inside a word (AT&T, R&D) join it; apostrophes never split a word (O'Neil, Kellogg's).


# The Arabic article al- opening a word of two letters or more after it (السعودية, القاهرة).
_ARABIC_ARTICLE = re.compile(r"(?<![\u0620-\u064a])ال(?=[\u0620-\u064a]{2})")
_TA_MARBUTA, _HA = "\u0629", "\u0647"


def arabic_key_form(text: str) -> str:
    """An Arabic name written so that each word romanises the same wherever it stands.

    Romanisation spells a word by its place: the ta marbuta is -ah at the end of a phrase and
    -at before another word (al-Sa‘ūdīyah, Sharikat al-Sa‘ūdīyah), and the article is
    assimilated to a sun letter (as-Sa‘ūdīyah, ash-Sharikah, al-Qāhirah). In the key the ta
    marbuta is the ha it is written as (ة is ه with the dots of ta), and the article is the
    Latin word "al" before every letter.

    >>> arabic_key_form("شركة السعودية للكهرباء") == "شركه al سعوديه للكهرباء"
    True
    """
    return _ARABIC_ARTICLE.sub("al ", text).replace(_TA_MARBUTA, _HA)


#: The most words a glossary remembers the key form of (:meth:`Glossary.fold_word`); about 30 MB.
FOLDED_WORDS = 1 << 17


@dataclass(frozen=True)
class Glossary:
    """Variant → concept words: Latin words (space-free keys), Hangul words, other scripts.

    ``native`` holds the variants in other scripts (Han, kana, Cyrillic); they apply to text
    that no earlier stage romanised.
    """

    latin: Mapping[str, tuple[str, ...]]
    hangul: Mapping[str, tuple[str, ...]]
    labels: tuple[str, ...]
    longest_hangul: int
    native: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: language (the table's file name: ja, zh …) → its native variants
    native_languages: Mapping[str, frozenset[str]] = field(default_factory=dict)
    #: concepts with variants in more than one table: organisation words across languages
    multilingual: frozenset[str] = frozenset()
    #: the Latin variants of the Japanese table: romanised Japanese words (jidosha, denki)
    romanised_japanese: frozenset[str] = frozenset()
    #: the Latin variants of the Japanese, Chinese and Korean tables (jidosha, jishu, jeongbo)
    romanised_cjk: frozenset[str] = frozenset()
    #: the Hangul number signs (concept ``№``: 제 and 호 of 제29호), longest first, dropped where they touch a number
    number_signs: tuple[str, ...] = ()

    @cached_property
    def romaji_spellings(self) -> dict[str, tuple[str, ...]]:
        """The one-word romanised Japanese variants by their Hepburn form (:func:`hepburn_spelling`),
        where that form stands for one concept only."""
        by_form: dict[str, set[tuple[str, ...]]] = {}
        for variant in self.romanised_japanese:
            if variant.isalpha():
                by_form.setdefault(hepburn_spelling(variant), set()).add(self.latin[variant])
        return {form: concepts.pop() for form, concepts in by_form.items() if len(concepts) == 1}

    @cached_property
    def typos(self) -> TypoIndex:
        """The one-word Latin variants and concept words, for words misspelt (see
        :mod:`namecleaner.text.typos`), the first letter never changed (l'aviation is no
        typo of aviation).

        Romanised Japanese, Chinese and Korean words are left out: there one letter makes
        another syllable, so another word (kaihatsu development, Daihatsu; yinhang bank,
        Yichang); their spelling variants are :func:`hepburn_spelling`'s.
        """
        meanings = {word: word for word in self.concepts if word.isalpha()}
        meanings.update(
            (variant, " ".join(concept) or DROP)
            for variant, concept in self.latin.items()
            if variant.isalpha() and variant not in self.romanised_cjk
        )
        return TypoIndex(meanings, same_first_letter=True)

    @cached_property
    def concepts(self) -> frozenset[str]:
        """Every concept word: kept as it is when met in a name (electronics stays plural)."""
        tables = (self.latin, self.hangul, self.native)
        return frozenset(word for table in tables for concept in table.values() for word in concept)

    @cached_property
    def katakana_pattern(self) -> re.Pattern[str] | None:
        """The katakana variants of at least two letters, longest first."""
        words = sorted(
            (v for v in self.native if len(v) > 1 and _KATAKANA_WORD.fullmatch(v)), key=lambda v: (-len(v), v)
        )
        return re.compile("|".join(map(re.escape, words))) if words else None

    @cached_property
    def han_patterns(self) -> dict[str | None, re.Pattern[str]]:
        """Per language, and for any language (``None``), the variants written in Han
        characters, of at least two, longest first.

        One character (組, kumi) is too often part of another word (組合, kumiai) to count,
        and a word means what its language says: 中国 is China in Chinese, the Chūgoku region
        in Japanese.
        """
        han = {v for v in self.native if len(v) > 1 and _HAN.search(v)}
        groups: dict[str | None, set[str]] = {None: han}
        groups.update({language: han & variants for language, variants in self.native_languages.items()})
        return {
            language: re.compile("|".join(map(re.escape, sorted(words, key=lambda v: (-len(v), v)))))
            for language, words in groups.items()
            if words
        }

    @cached_property
    def native_pattern(self) -> re.Pattern[str] | None:
        """Native variants, longest first; Cyrillic ones only as whole words."""
        if not self.native:
            return None
        ordered = sorted(self.native, key=lambda v: (-len(v), v))
        alternatives = [rf"\b{re.escape(v)}\b" if _CYRILLIC.search(v) else re.escape(v) for v in ordered]
        return re.compile("|".join(alternatives))

    @property
    def label(self) -> str:
        """The tables, as recorded in provenance steps."""
        return ",".join(self.labels)

    @cached_property
    def latin_prefixes(self) -> frozenset[str]:
        """Every beginning of a Latin variant (space-free): a phrase whose words do not join into one starts none."""
        return frozenset(variant[:end] for variant in self.latin for end in range(len(variant) + 1))

    @cached_property
    def _folded(self) -> dict[tuple[str, bool], tuple[tuple[str, ...], str | None]]:
        return {}

    def fold_word(self, word: str, typos: bool = True) -> tuple[tuple[str, ...], str | None]:
        """A word outside the glossary's phrases as the key writes it, and the hit to record (None
        for none): its concept in another spelling or misspelt, else its singular if known.
        Remembered, as the same words recur across names (up to :data:`FOLDED_WORDS`).

        >>> g = Glossary({"electronic": ("electronics",), "device": ("device",)}, {}, (), 0)
        >>> g.fold_word("electornic"), g.fold_word("devices"), g.fold_word("electornic", typos=False)
        ((('electronics',), 'electornic→electronics (misspelt electronic, 1 edit)'), (('device',), None), (('electornic',), None))
        """
        folded = self._folded.get((word, typos))
        if folded is None:
            variant = _spelling_variant(word, self, typos=typos)
            folded = ((_singular_if_known(word, self),), None) if variant is None else variant
            if len(self._folded) >= FOLDED_WORDS:
                self._folded.clear()
            self._folded[word, typos] = folded
        return folded


@shared
def load_glossary() -> Glossary:
    """Read every ``data/glossary/*.tsv`` table; a variant given two concepts is an error."""
    latin: dict[str, tuple[str, ...]] = {}
    hangul: dict[str, tuple[str, ...]] = {}
    native: dict[str, tuple[str, ...]] = {}
    languages: dict[str, set[str]] = {}
    concept_tables: dict[tuple[str, ...], set[str]] = {}
    seen: dict[str, str] = {}
    signs: set[str] = set()
    problems: list[str] = []
    labels = []
    for path in sorted(data_path("glossary").glob("*.tsv")):
        table = read_tsv_table(path, required_columns=("concept", "variant"))
        labels.append(table.label)
        for row, line in zip(table.rows, table.line_numbers):
            if row["concept"] == NUMBER_SIGN:
                if not _HANGUL_RUN.fullmatch(row["variant"].strip()):
                    problems.append(f"{path.name}:{line}: a number sign ({NUMBER_SIGN}) is a Hangul word")
                signs.add(row["variant"].strip())
                continue
            concept = tuple(ascii_words(row["concept"])) if row["concept"] != DROP else ()
            variant = row["variant"].strip()
            if not variant or (row["concept"] != DROP and not concept):
                problems.append(f"{path.name}:{line}: empty concept or variant")
                continue
            if _HANGUL_RUN.fullmatch(variant):
                key, target = variant, hangul
            elif variant.isascii():
                key, target = "".join(ascii_words(variant)), latin
            else:
                key, target = variant.casefold(), native
            if key in target and target[key] != concept:
                problems.append(
                    f"{path.name}:{line}: '{variant}' means '{row['concept']}' here but '{' '.join(target[key]) or DROP}' at {seen[key]}"
                )
                continue
            target[key] = concept
            seen[key] = f"{path.name}:{line}"
            if target is native or (target is latin and path.stem in _ROMANISED_TABLES):
                languages.setdefault(path.stem, set()).add(key)
            concept_tables.setdefault(concept, set()).add(path.stem)
    if problems:
        raise DataFileError(data_path("glossary"), problems)
    romanised = {stem: frozenset(key for key in languages.get(stem, ()) if key in latin) for stem in _ROMANISED_TABLES}
    return Glossary(
        latin,
        hangul,
        tuple(labels),
        max(map(len, hangul), default=0),
        native,
        {
            language: frozenset(native.keys() & variants)
            for language, variants in languages.items()
            if native.keys() & variants
        },
        frozenset(word for concept, tables in concept_tables.items() if len(tables) > 1 for word in concept),
        romanised["ja"],
        frozenset().union(*romanised.values()),
        tuple(sorted(signs, key=lambda sign: (-len(sign), sign))),
    )


def apply_glossary(words: list[str], glossary: Glossary, *, typos: bool = True) -> tuple[list[str], list[str]]:
    """Map words and phrases to glossary concepts (longest phrase first); also the hits made.

    A phrase matches with or without its spaces, so pinyin written by syllable (ji shu) meets
    the dictionary form (jishu).

    >>> g = Glossary({"jishu": ("technology",), "the": (), "univ": ("university",)}, {}, (), 0)
    >>> apply_glossary(["the", "ji", "shu", "univ", "abc"], g)
    (['technology', 'university', 'abc'], ['the→-', 'ji shu→technology', 'univ→university'])
    """
    out: list[str] = []
    hits: list[str] = []
    index = 0
    prefixes = glossary.latin_prefixes
    while index < len(words):
        # The longest phrase here whose words, joined, still begin a variant: no longer one can be a variant.
        reach, joined = 0, ""
        while reach < min(MAX_PHRASE_WORDS, len(words) - index):
            joined += words[index + reach]
            if joined not in prefixes:
                break
            reach += 1
        for size in range(reach, 0, -1):
            concept = glossary.latin.get("".join(words[index : index + size]))
            if concept is not None:
                phrase = " ".join(words[index : index + size])
                if list(concept) != words[index : index + size]:
                    hits.append(f"{phrase}→{' '.join(concept) or DROP}")
                out.extend(concept)
                index += size
                break
        else:
            concept, hit = glossary.fold_word(words[index], typos)
            out.extend(concept)
            if hit is not None:
                hits.append(hit)
            index += 1
    return out, hits


def _spelling_variant(word: str, glossary: Glossary, *, typos: bool = True) -> tuple[tuple[str, ...], str] | None:
    """The concept of a word the glossary knows in another spelling, and the hit to record:
    romanised Japanese in Kunrei-shiki, Nihon-shiki or passport spelling (jidosya, jidohsha:
    variants, not typos), else a misspelt glossary word (electornic); neither unless ``typos``.

    >>> g = Glossary({"jidosha": ("motor",), "electronic": ("electronics",)}, {}, (), 0, romanised_japanese=frozenset({"jidosha"}))
    >>> _spelling_variant("jidosya", g), _spelling_variant("electornic", g), _spelling_variant("acme", g)
    ((('motor',), 'jidosya→motor (spelling of jidosha)'), (('electronics',), 'electornic→electronics (misspelt electronic, 1 edit)'), None)
    """
    if not typos or not word.isalpha() or word in glossary.concepts or _singular_if_known(word, glossary) != word:
        return None
    hepburn = hepburn_spelling(word)
    concept = glossary.romaji_spellings.get(hepburn) if hepburn != word else None
    if concept is not None:
        known = next(
            v
            for v in sorted(glossary.romanised_japanese)
            if glossary.latin[v] == concept and hepburn_spelling(v) == hepburn
        )
        return concept, f"{word}→{' '.join(concept) or DROP} (spelling of {known})"
    found = glossary.typos.nearest(word)
    if found is None:
        return None
    known, edits = found
    concept = glossary.latin.get(known, (known,))
    return concept, f"{word}→{' '.join(concept) or DROP} (misspelt {known}, {edits} edit{'s' if edits > 1 else ''})"


@shared
def load_romaji_spellings() -> list[tuple[re.Pattern[str], dict[str, str]]]:
    """``data/translit/romaji_spellings.tsv`` compiled: per pass, one pattern of its spellings,
    longest first with their contexts, and the Hepburn form of each."""
    table = read_tsv_table(
        data_path("translit", "romaji_spellings.tsv"),
        required_columns=("spelling", "hepburn", "before", "not_after", "pass"),
    )
    passes = []
    for number in sorted({row["pass"] for row in table.rows}):
        rows = sorted(
            (row for row in table.rows if row["pass"] == number),
            key=lambda row: (-len(row["spelling"]), row["spelling"]),
        )
        alternatives = [
            (rf"(?<![{row['not_after']}])" if row["not_after"] else "")
            + re.escape(row["spelling"])
            + (rf"(?=[{row['before']}])" if row["before"] else "")
            for row in rows
        ]
        passes.append((re.compile("|".join(alternatives)), {row["spelling"]: row["hepburn"] for row in rows}))
    return passes


def hepburn_spelling(word: str) -> str:
    """A romanised Japanese word in modified Hepburn with long vowels unmarked, whatever system
    spelt it (``data/translit/romaji_spellings.tsv``).

    >>> hepburn_spelling("jidosya"), hepburn_spelling("jidohsha"), hepburn_spelling("tuusin"), hepburn_spelling("shuhu")
    ('jidosha', 'jidosha', 'tsushin', 'shufu')
    """
    for pattern, hepburn in load_romaji_spellings():
        word = pattern.sub(partial(_spelled, hepburn), word)
    return word


def _spelled(spellings: dict[str, str], match: re.Match[str]) -> str:
    return spellings[match.group(0)]


def _singular_if_known(word: str, glossary: Glossary) -> str:
    """The singular of a plural that the glossary or the English dictionary knows as a plural
    (devices → device, trustees → trustee), else the word as written: a name no dictionary
    reads as a plural keeps its letters (Siemens, Thales, Yandex, Hughes).

    The dictionary is simplemma's English lemma list, the language of the plural fold.

    >>> g = Glossary({"device": ("device",)}, {}, (), 0)
    >>> [_singular_if_known(w, g) for w in ("devices", "trustees", "siemens", "thales", "yandeks")]
    ['device', 'trustee', 'siemens', 'thales', 'yandeks']
    """
    if word in glossary.concepts:
        return word
    singular = _singular(word)
    if singular == word:
        return word
    if singular in glossary.concepts or singular in glossary.latin:
        return singular
    return singular if simplemma.lemmatize(word, lang="en").lower() == singular else word


def _singular(word: str) -> str:
    """A light English plural fold (see :func:`_singular_if_known`).

    >>> [_singular(w) for w in ("batteries", "devices", "glass", "bus", "analysis", "ab")]
    ['battery', 'device', 'glass', 'bus', 'analysis', 'ab']
    """
    if len(word) < 5 or not word.isalpha():
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _icu_hangul(text: str) -> str:
    return _HANGUL_TO_LATIN.transliterate(text)


def segment_hangul(
    run: str, glossary: Glossary, romanise: Callable[[str], str] = _icu_hangul
) -> tuple[list[str], list[str]]:
    """Split a Hangul run into glossary words and romanised remainders; also the hits made.

    Spelled-out Latin letters (에이치 = H) count only when the whole run is made of glossary
    words, since single syllables such as 이 or 지 are common inside ordinary words. The
    pieces between glossary words are romanised by ``romanise`` (default: ICU Hangul-Latin).

    >>> g = Glossary({}, {"에이치": ("h",), "비": ("b",), "이": ("e",), "에너지": ("energy",), "정보": ("information",)}, (), 3)
    >>> segment_hangul("에이치비이에너지", g)[0], segment_hangul("코아정보", g)[0]
    (['h', 'b', 'e', 'energy'], ['koa', 'information'])
    """
    full = _cover(run, glossary, allow_single=True)
    parts = full if all(concept is not None for _, concept in full) else _cover(run, glossary, allow_single=False)
    words: list[str] = []
    hits: list[str] = []
    for piece, concept in parts:
        if concept is None:
            words.extend(ascii_words(romanise(piece)))
        else:
            hits.append(f"{piece}→{' '.join(concept) or DROP}")
            words.extend(concept)
    return words, hits


def _cover(run: str, glossary: Glossary, *, allow_single: bool) -> list[tuple[str, tuple[str, ...] | None]]:
    """The segmentation covering most syllables with glossary words, then using fewest pieces."""
    size = len(run)
    # best[i]: (uncovered syllables, pieces, split) for run[i:]
    best: list[tuple[int, int, list[tuple[str, tuple[str, ...] | None]]]] = [(0, 0, [])] * (size + 1)
    for start in range(size - 1, -1, -1):
        uncovered, pieces, rest = best[start + 1]
        choice = (uncovered + 1, pieces + 1, [(run[start], None)] + rest)
        for end in range(start + 1 if allow_single else start + 2, min(size, start + glossary.longest_hangul) + 1):
            concept = glossary.hangul.get(run[start:end])
            if concept is not None:
                uncovered, pieces, rest = best[end]
                if (uncovered, pieces + 1) < choice[:2]:
                    choice = (uncovered, pieces + 1, [(run[start:end], concept)] + rest)
        best[start] = choice
    merged: list[tuple[str, tuple[str, ...] | None]] = []
    for piece, concept in best[0][2]:
        if concept is None and merged and merged[-1][1] is None:
            merged[-1] = (merged[-1][0] + piece, None)
        else:
            merged.append((piece, concept))
    return merged


def key_source(record: NameRecord) -> tuple[str, str]:
    """The field the key starts from, and its text: the most reduced form available.

    The core without its legal form when it is already in Latin letters, else its
    romanisation ``name_core_latin``, else the romanised name, the core, the matching form
    or the display form, in that order.
    """
    if record.name_core and all(char_script(c) in _LATIN_OR_COMMON for c in record.name_core):
        return "name_core", record.name_core
    for name in ("name_core_latin", "name_latin", "name_core", "name_match", "name_clean"):
        value = getattr(record, name, None)
        if value:
            return name, value
    if record.name_clean is not None:  # cleaned to nothing (mojibake of a space): no key, as for its display form
        return "name_clean", record.name_clean
    return "original", record.original


#: The name-type confidence from which a person's key is built from the split parts.
PERSON_KEY_CONFIDENCE = 0.9


def person_key_text(record: NameRecord) -> str | None:
    """A person's key text: the family name, then the given names, without titles and suffixes
    (so "Prof. Dr. Hans Müller" and "MÜLLER, Hans" meet). None for an organisation, for a
    person typed with less than :data:`PERSON_KEY_CONFIDENCE` (a firm read as a person keeps
    its words: "General Atomics"), or when the parts are not in Latin letters (the romanised
    name is keyed then).

    >>> person_key_text(NameRecord("x", name_type="person", family_name="Müller", given_names="Hans",
    ...                            name_prefix="Prof. Dr.", name_type_confidence=0.95))
    'Müller Hans'
    """
    if (
        record.name_type != "person"
        or not record.family_name
        or (record.name_type_confidence or 0) < PERSON_KEY_CONFIDENCE
    ):
        return None
    text = " ".join(filter(None, (record.family_name, record.given_names)))
    return text if all(char_script(c) in _LATIN_OR_COMMON for c in text) else None


def make_key(
    text: str,
    hangul_text: str | None = None,
    glossary: Glossary | None = None,
    romanise_hangul: Callable[[str], str] = _icu_hangul,
    *,
    typos: bool = True,
) -> tuple[str, list[str], list[str]]:
    """The match key of a text, the glossary hits that shaped it and the number words read as
    digits (:func:`.numbers.digit_words`); ``typos``: whether a glossary word in another
    spelling or misspelt counts (not in a person's name: Fabrice is no fabrica, Yuuki no yuki).

    ``hangul_text``, when given, is the Hangul form of the same name, keyed instead of
    ``text`` (see :func:`segment_hangul`). A key is never empty when the text has a letter or
    digit: if the glossary would drop every word, the folded words are kept.

    >>> make_key("A.B.C. Industries")[0], make_key("Toyota Jidosha")[0], make_key("The")[0]
    ('abc industry', 'toyota motor', 'the')
    """
    glossary = glossary or load_glossary()
    hits: list[str] = []
    if hangul_text and _HANGUL_RUN.search(hangul_text):
        words: list[str] = []
        position = 0
        for match in _HANGUL_RUN.finditer(hangul_text):
            words.extend(ascii_words(hangul_text[position : match.start()]))
            # the one character either side is all a sign needs: slices of the whole text would be quadratic in runs
            before, after = (
                hangul_text[max(match.start() - 1, 0) : match.start()],
                hangul_text[match.end() : match.end() + 1],
            )
            run, signs = strip_number_signs(match.group(0), before, after, glossary)
            hits.extend(f"{sign}→{DROP} (number sign)" for sign in signs)
            segmented, found = segment_hangul(run, glossary, romanise_hangul) if run else ([], [])
            words.extend(segmented)
            hits.extend(found)
            position = match.end()
        words.extend(ascii_words(hangul_text[position:]))
    else:
        if not text.isascii() and glossary.native_pattern is not None:
            text = glossary.native_pattern.sub(lambda m: _native_hit(m.group(0), glossary, hits), text.casefold())
        words = ascii_words(text)
    words, numbers = digit_words(words)
    keyed, found = apply_glossary(words, glossary, typos=typos)
    hits.extend(found)
    if not keyed:
        keyed = words
    return " ".join(join_letters(keyed)), hits, numbers


def _native_hit(variant: str, glossary: Glossary, hits: list[str]) -> str:
    concept = glossary.native[variant]
    hits.append(f"{variant}→{' '.join(concept) or DROP}")
    return f" {' '.join(concept)} "


def split_katakana_words(text: str, glossary: Glossary) -> tuple[str, list[str], list[str]]:
    """Take the glossary's katakana words out of a name: the rest, their concepts, the hits.

    Japanese writes loanword compounds without spaces (カワセコンピュータサプライ), and they are
    romanised as one word; writing the known words as their concepts first lets them meet
    their English spelling. Only whole words are taken (see :func:`_whole_katakana_words`):
    テック is not technology inside ソフテックス. The concepts stand where the words stood, spaced.

    >>> g = Glossary({}, {}, (), 0, {"コンピュータ": ("computer",), "サプライ": ("supply",), "テック": ("technology",)})
    >>> split_katakana_words("カワセコンピュータサプライ", g)
    ('カワセ computer supply', ['computer', 'supply'], ['コンピュータ→computer', 'サプライ→supply'])
    >>> split_katakana_words("ソフテックス", g)
    ('ソフテックス', [], [])
    """
    concepts: list[str] = []
    hits: list[str] = []
    pattern = glossary.katakana_pattern
    if pattern is None or not _KATAKANA.search(text):
        return text, concepts, hits
    pieces: list[str] = []
    position = 0
    for start, end in _whole_katakana_words(text, [m.span() for m in pattern.finditer(text)]):
        word = text[start:end]
        concept = glossary.native[word]
        concepts.extend(concept)
        hits.append(f"{word}→{' '.join(concept) or DROP}")
        pieces.extend((text[position:start], *concept))
        position = end
    pieces.append(text[position:])
    return " ".join(" ".join(pieces).split()), concepts, hits


# Kana that cannot begin a word (long-vowel mark, small kana, syllabic n) and one that cannot end it.
_NOT_WORD_START = frozenset("ーッンァィゥェォャュョヮヵヶ")
_NOT_WORD_END = frozenset("ッ")


def _whole_katakana_words(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The glossary matches ``spans`` that are whole words of their katakana run.

    A match is a whole word when, on each side, it meets the edge of the katakana run, another
    whole word, or a remainder that can itself be a word: two kana or more (the long-vowel
    mark not counted), not opening with a mark that continues a syllable (ー, ッ, ン, small
    kana), not closing with ッ. A one-kana remainder is the tell of a cut inside a coined word
    (ソフ|テック|ス); dropping a match can join remainders, so the test repeats until stable.

    >>> _whole_katakana_words("ソフテックス", [(2, 5)]), _whole_katakana_words("テクノス・ネット", [(0, 3), (5, 8)])
    ([], [(5, 8)])
    >>> _whole_katakana_words("カワセコンピュータサプライ", [(3, 9), (9, 13)])
    [(3, 9), (9, 13)]
    """
    kept = list(spans)
    while True:
        whole = [
            (start, end)
            for index, (start, end) in enumerate(kept)
            if _word_edge(text, start, kept[index - 1][1] if index else None, before=True)
            and _word_edge(text, end, kept[index + 1][0] if index + 1 < len(kept) else None, before=False)
        ]
        if whole == kept:
            return kept
        kept = whole


def _word_edge(text: str, at: int, neighbour: int | None, *, before: bool) -> bool:
    """Whether ``at``, an edge of a match, is a word boundary (see :func:`_whole_katakana_words`)."""
    if before:
        limit = at
        while limit > 0 and _KATAKANA_LETTER.match(text[limit - 1]) and limit != neighbour:
            limit -= 1
        gap = text[limit:at]
    else:
        limit = at
        while limit < len(text) and _KATAKANA_LETTER.match(text[limit]) and limit != neighbour:
            limit += 1
        gap = text[at:limit]
    if not gap:
        return True
    return len(gap) - gap.count("ー") >= 2 and gap[0] not in _NOT_WORD_START and gap[-1] not in _NOT_WORD_END


def replace_readings(words: list[str], replacements: Mapping[str, tuple[str, ...]]) -> tuple[list[str], set[str]]:
    """Replace each word, or run of adjacent words, that spells a reading by its concept; also
    the readings replaced.

    >>> replace_readings(["nippon", "kogyo"], {"kogyo": ("mining",)})
    (['nippon', 'mining'], {'kogyo'})
    >>> replace_readings(["ko", "gyo", "kikinzoku"], {"kogyo": ("mining",), "kinzoku": ("metal",)})
    (['mining', 'kikinzoku'], {'kogyo'})
    """
    out: list[str] = []
    used: set[str] = set()
    index = 0
    while index < len(words):
        for size in range(min(MAX_PHRASE_WORDS, len(words) - index), 0, -1):
            reading = "".join(words[index : index + size])
            concept = replacements.get(reading)
            if concept is not None:
                out.extend(concept)
                used.add(reading)
                index += size
                break
        else:
            out.append(words[index])
            index += 1
    return out, used


class MatchKeyStage:
    """Fills ``match_key``; records the source field and every glossary hit.

    ``romanise`` is the transliteration stage of the same configuration, used to romanise what is
    left of a Japanese name once its katakana glossary words are taken out.
    """

    name = NAME
    fields = FIELDS

    def __init__(self, glossary: Glossary, romanise: Callable[[NameRecord], None] | None = None) -> None:
        self.glossary = glossary
        self.romanise = romanise
        self._readings: dict[str, str] = {}

    def _reading(self, word: str) -> str:
        """The romanised reading of a glossary word written in Han, as the key folds it."""
        reading = self._readings.get(word)
        if reading is None:
            reading = self._readings[word] = "".join(ascii_words(self._romanise_text(word)))
        return reading

    def _han_concepts(self, source: str, text: str, record: NameRecord) -> str:
        """The romanised ``text`` with the readings of the Han glossary words of ``source``
        replaced by their concepts.

        The glossary is keyed on the source script because readings collide: 鉱業 (mining)
        and 工業 (industry) are both read kogyo, 科学 (science) and 化学 (chemistry) kagaku.
        The name is still romanised whole (readings depend on the neighbouring kanji); only
        the words of the romanisation that spell a glossary word's reading are replaced,
        so a glossary word inside a longer word (金属 in 貴金属, kikinzoku) is left alone.
        """
        patterns = self.glossary.han_patterns
        pattern = (
            patterns.get(record.language) if record.language in self.glossary.native_languages else patterns.get(None)
        )
        if pattern is None or not _HAN.search(source):
            return text
        found = {m.group(0) for m in pattern.finditer(source)}
        replacements = {self._reading(w): self.glossary.native[w] for w in sorted(found)}
        replaced, used = replace_readings(ascii_words(text), replacements)
        if not used:
            return text
        for word in sorted(found):
            reading = self._reading(word)
            if reading in used:
                record.add_step(
                    NAME,
                    "glossary",
                    f"{word} ({reading})→{' '.join(self.glossary.native[word]) or DROP}",
                    self.glossary.label,
                )
        return " ".join(replaced)

    def _loanwords(self, text: str, record: NameRecord) -> tuple[str, bool]:
        """``text`` with each katakana word the dictionary traces to a source word written as
        that word (クリエイティブ → creative); whether any was.

        Only words :func:`~namecleaner.translit.readers.japanese_loanword` vouches for, each
        recorded as a step with its dictionary entries and the romanisation it stands for, so
        that the reading by sound stays at hand as the equal alternative.
        """
        found = False

        def source(match: re.Match[str]) -> str:
            nonlocal found
            loanword = japanese_loanword(match.group(0))
            if loanword is None:
                return match.group(0)
            found = True
            reading = " ".join(ascii_words(self._romanise_text(loanword.surface)))
            rule = f"{loanword.surface}→{' '.join(loanword.words)} (UniDic {' + '.join(loanword.entries)}; romanised {reading})"
            record.add_step(NAME, "loanword", rule, LOANWORD_TABLE, " ".join(loanword.words))
            return f" {' '.join(loanword.words)} "

        replaced = _KATAKANA_RUN.sub(source, text) if _KATAKANA.search(text) else text
        return (" ".join(replaced.split()), True) if found else (text, False)

    def _organisation_words(self, text: str) -> bool:
        """True when a person's parts hold a word of the glossary (division, systems): a firm
        typed as a person ("General Dynamics Pomona Division"), keyed from its whole name."""
        return any(word in self.glossary.latin or word in self.glossary.concepts for word in ascii_words(text))

    def _romanise_text(self, text: str, person_name: bool = True) -> str:
        """``text`` romanised by the run's transliteration; ``person_name=False`` reads it as an
        organisation's, so that its readers never cut a family name off (the 하이 of 하이제8호스팩 is
        no family name 하 and given name 이)."""
        piece = NameRecord(text, name_clean=text, name_match=text, name_type=None if person_name else "organisation")
        self.romanise(piece)  # type: ignore[misc]  # only called when set
        return piece.name_latin or text

    def __call__(self, record: NameRecord) -> None:
        field, text = key_source(record)
        person = person_key_text(record)
        if person is not None and record.given_names and not self._organisation_words(person):
            field, text = "family_name given_names", person
        core = record.name_core or (record.name_clean if record.name_clean is not None else record.original)
        hangul = core if _HANGUL_RUN.search(core) else None
        # The Arabic core is keyed unless a form was cut from its romanisation only.
        arabic = "ar" in (record.language or "").split("+") and not (record.legal_form and core == record.name_clean)
        if hangul is None and self.romanise is not None and arabic:
            text, field = self._romanise_text(arabic_key_form(core)), "name_core (Arabic key form)"
        elif hangul is None and self.romanise is not None and field != "name_core":
            rest, _, katakana_hits = split_katakana_words(core, self.glossary)
            for hit in katakana_hits:
                record.add_step(NAME, "glossary", hit, self.glossary.label)
            rest, loanwords = self._loanwords(rest, record)
            if katakana_hits or loanwords:
                text, field = self._romanise_text(rest), "name_core (katakana words read as words)"
            text = self._han_concepts(rest if katakana_hits or loanwords else core, text, record)
        # As for the split parts, only a name typed person with confidence is keyed as a person's.
        person_name = record.name_type == "person" and (record.name_type_confidence or 0) >= PERSON_KEY_CONFIDENCE
        romanise = partial(self._romanise_text, person_name=person_name) if self.romanise else _icu_hangul
        key, hits, numbers = make_key(text, hangul, self.glossary, romanise, typos=record.name_type != "person")
        record.match_key = key
        for hit in numbers:
            record.add_step(NAME, "numbers", hit, NUMBER_WORDS_TABLE)
        for hit in hits:
            record.add_step(NAME, "glossary", hit, self.glossary.label)
        record.add_step(NAME, "match_key", "name_core (Hangul)" if hangul else field, result=key)


def build(context: Context, options: MatchKeyOptions) -> MatchKeyStage:
    """Build the stage; the run's own transliteration romanises katakana remainders."""
    return MatchKeyStage(context.load(load_glossary), context.stage("transliterate"))
