"""The data behind the name-type stage: institution keywords and person-name lexicons.

Everything here is read from the TSV tables in ``data/name_type/`` (see their metadata for
sources and licences) and compared in one folded form, :func:`fold`, so that "UNIVERSITÄT",
"Universitat" and "universität" meet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from namecleaner.errors import DataFileError
from namecleaner.resources import TsvTable, data_path, read_tsv_table, shared
from namecleaner.text.fold import lexicon_key

#: PATSTAT PSN sectors of organisations, the most specific first: a name with a hospital
#: keyword and a university keyword ("University Hospital") is a hospital.
ORGANISATION_SECTORS: tuple[str, ...] = ("hospital", "university", "government", "non-profit", "company")
_MATCH_KINDS = ("word", "prefix", "substring")

_INNER_DOT = re.compile(r"(?<=\w)\.(?=\w)")
_WORD = re.compile(r"\w+(?:'\w+)*")
# What a title or suffix is compared without (Dipl.-Ing. = dipling).
_AFFIX_MARKS = re.compile(r"[.\-\s]")
# The lexicon's sources of Chinese names (Faker's zh_CN and zh_TW lists).
_ZH_SOURCE = re.compile(r"\bzh_[A-Z]{2}$")


def word_tokens(folded: str) -> list[str]:
    """The words of a folded text; dots inside abbreviations are dropped (``s.a.`` → ``sa``).

    >>> word_tokens("co.,ltd. s.a. max-planck-gesellschaft l'oreal")
    ['co', 'ltd', 'sa', 'max', 'planck', 'gesellschaft', "l'oreal"]
    """
    return _WORD.findall(_INNER_DOT.sub("", folded))


@dataclass(frozen=True)
class KeywordHit:
    """An institution keyword found in a name, as written in the table."""

    keyword: str
    sector: str


@dataclass(frozen=True)
class KeywordIndex:
    """Institution keywords, by how they match: whole words, word prefixes, substrings."""

    words: dict[tuple[str, ...], KeywordHit]
    prefixes: tuple[tuple[str, KeywordHit], ...]
    substrings: tuple[tuple[str, KeywordHit], ...]
    longest: int
    label: str

    @cached_property
    def prefix_starts(self) -> tuple[str, ...]:
        return tuple(prefix for prefix, _ in self.prefixes)

    @cached_property
    def first_words(self) -> frozenset[str]:
        """The words a keyword of whole words opens with: a name's other words start none."""
        return frozenset(key[0] for key in self.words)

    @cached_property
    def ascii_substrings(self) -> tuple[tuple[str, KeywordHit], ...]:
        """The substrings an ASCII name can hold (most are CJK or Arabic)."""
        return tuple(item for item in self.substrings if item[0].isascii())

    def find(self, folded: str) -> list[KeywordHit]:
        """Every keyword in a folded name: word and prefix hits in the order of the name, then substrings.

        >>> [h.keyword for h in load_keywords().find(lexicon_key("Seoul National University Hospital"))]
        ['university', 'hospital']
        """
        tokens = word_tokens(folded)
        hits: list[KeywordHit] = []
        first_words = self.first_words
        for start in range(len(tokens)):
            sizes = range(min(self.longest, len(tokens) - start), 0, -1) if tokens[start] in first_words else ()
            for size in sizes:
                hit = self.words.get(tuple(tokens[start : start + size]))
                if hit:
                    hits.append(hit)
                    break
            else:
                # A prefix hit names the word found ("universität" for "universit").
                if tokens[start].startswith(self.prefix_starts):
                    hits.extend(
                        KeywordHit(tokens[start], hit.sector)
                        for prefix, hit in self.prefixes
                        if tokens[start].startswith(prefix)
                    )
        substrings = self.substrings if not folded.isascii() else self.ascii_substrings
        found = [(substring, hit) for substring, hit in substrings if substring in folded]
        # The longest keyword wins where several overlap: 科学院 and 学院 inside 中国科学院.
        hits.extend(
            hit for substring, hit in found if not any(substring in other and substring != other for other, _ in found)
        )
        return list(dict.fromkeys(hits))


def best_sector(sectors: Iterable[str]) -> str | None:
    """The most specific organisation sector among several.

    >>> best_sector(["company", "university", "hospital"]), best_sector([])
    ('hospital', None)
    """
    found = set(sectors)
    return next((s for s in ORGANISATION_SECTORS if s in found), None)


def _check(table: TsvTable, column: str, allowed: Iterable[str], problems: list[str]) -> None:
    allowed = tuple(allowed)
    for row, line in zip(table.rows, table.line_numbers):
        if row[column] not in allowed:
            problems.append(f"line {line}: {column} '{row[column]}' is not one of {', '.join(allowed)}")


@shared
def load_keywords() -> KeywordIndex:
    """The institution keyword table, ``data/name_type/institution_keywords.tsv``."""
    table = read_tsv_table(
        data_path("name_type", "institution_keywords.tsv"), required_columns=("keyword", "sector", "language", "match")
    )
    problems: list[str] = []
    _check(table, "sector", ORGANISATION_SECTORS, problems)
    _check(table, "match", _MATCH_KINDS, problems)
    words: dict[tuple[str, ...], KeywordHit] = {}
    prefixes, substrings = [], []
    for row, line in zip(table.rows, table.line_numbers):
        hit = KeywordHit(row["keyword"], row["sector"])
        key = lexicon_key(row["keyword"])
        if row["match"] == "word":
            tokens = tuple(word_tokens(key))
            if not tokens:
                problems.append(f"line {line}: keyword '{row['keyword']}' has no word characters")
            # The first sector listed for a word wins; later rows of the same word are synonyms.
            words.setdefault(tokens, hit)
        elif row["match"] == "prefix":
            prefixes.append((key, hit))
        else:
            substrings.append((key, hit))
    if problems:
        raise DataFileError(table.path, problems)
    return KeywordIndex(words, tuple(prefixes), tuple(substrings), max(map(len, words)), table.label)


@dataclass(frozen=True)
class LegalFormSectors:
    """The sector of each legal-form class (keys upper case), and the table's label for provenance."""

    sectors: Mapping[str, str]
    label: str

    def get(self, form_class: str | None) -> str | None:
        """The sector of a legal-form class, any case; None when the table has none."""
        return self.sectors.get((form_class or "").upper())


@shared
def load_legal_form_sectors() -> LegalFormSectors:
    """Sector of each legal-form class, ``data/name_type/legal_form_sectors.tsv``."""
    table = read_tsv_table(data_path("name_type", "legal_form_sectors.tsv"), required_columns=("class", "sector"))
    problems: list[str] = []
    _check(table, "sector", ORGANISATION_SECTORS, problems)
    if problems:
        raise DataFileError(table.path, problems)
    return LegalFormSectors({row["class"].upper(): row["sector"] for row in table.rows}, table.label)


@dataclass(frozen=True)
class PersonLexicon:
    """Folded given names, family names and name syllables, with the affixes of person names.

    ``surnames`` and ``given`` hold every script; ``syllables`` the romanised syllables
    Chinese and Korean given names are built from; ``titles`` and ``suffixes`` are keyed by
    :func:`affix_key`; ``particles`` are word tuples; ``conjunctions`` the words that join two family
    names (Velasquez y Garcia); ``given_titles`` the titles used with the given name (Sir Gerald);
    the endings are per script.
    ``common_given`` and ``common_surnames`` leave out the long per-country lists (Faker), whose
    entries stray between the two kinds, so they can tell which kind a word mostly is.
    ``cjk_titles`` are the titles written on to a CJK name (博士, 박사), longest first; ``morae``
    the Hepburn morae of :meth:`is_romaji`; ``pinyin_surnames`` the Chinese family names of the
    lexicon as Hanyu Pinyin spells them (李 li, 欧阳 ouyang).
    """

    given: frozenset[str]
    surnames: frozenset[str]
    syllables: frozenset[str]
    titles: frozenset[str]
    suffixes: frozenset[str]
    particles: frozenset[tuple[str, ...]]
    patronymic_endings: dict[str, tuple[str, ...]]
    surname_endings: dict[str, tuple[str, ...]]
    labels: tuple[str, ...]
    common_given: frozenset[str] = frozenset()
    common_surnames: frozenset[str] = frozenset()
    cjk_titles: tuple[str, ...] = ()
    morae: frozenset[str] = frozenset()
    conjunctions: frozenset[str] = frozenset()
    given_titles: frozenset[str] = frozenset()
    pinyin_surnames: frozenset[str] = frozenset()

    def is_pinyin_name(self, words: list[str]) -> bool:
        """True for a folded name of two or three words opening with a Chinese family name in pinyin,
        every word one or two pinyin syllables: a romanised Chinese name (li na, zhang xiao ming).

        >>> lex = load_person_lexicon()
        >>> lex.is_pinyin_name(["li", "na"]), lex.is_pinyin_name(["zhang", "xiaoming"]), lex.is_pinyin_name(["anna", "li"])
        (True, True, False)
        """
        return 2 <= len(words) <= 3 and words[0] in self.pinyin_surnames and all(self.is_syllabic(w) for w in words)

    def is_name_word(self, word: str) -> bool:
        """True for a known given or family name, or a romanised name of one or two syllables.

        >>> lex = load_person_lexicon()
        >>> lex.is_name_word("jiro"), lex.is_name_word("xiaoming"), lex.is_name_word("ken-ichi"), lex.is_name_word("pharma")
        (True, True, True, False)
        """
        if "-" in word.strip("-"):  # Karl-Heinz, Ken-ichi, Jung-Mo: every part a name; al-, bin- are particles
            parts = [part for part in word.split("-") if part and (part,) not in self.particles]
            return bool(parts) and all(self.is_name_word(part) for part in parts)
        return word in self.given or word in self.surnames or self.is_syllabic(word)

    def is_romaji(self, word: str) -> bool:
        """True for a word of 4 letters or more spelt in 2–7 Hepburn morae (kiichiro, shishikura, hattori).

        >>> lex = load_person_lexicon()
        >>> lex.is_romaji("kiichiro"), lex.is_romaji("hattori"), lex.is_romaji("batasuna"), lex.is_romaji("liberty")
        (True, True, True, False)
        """
        if len(word) < 4 or not word.isascii():
            return False
        reach = {0: 0}  # position in the word -> fewest morae to get there
        for start in range(len(word)):
            if start not in reach:
                continue
            # A doubled consonant is the small tsu before a mora (hattori, seppu).
            skip = 1 if start + 1 < len(word) and word[start] == word[start + 1] and word[start] in "kstp" else 0
            for size in (1, 2, 3):
                mora = word[start + skip : start + skip + size]
                end = start + skip + size
                if len(mora) == size and mora in self.morae and reach.get(end, 99) > reach[start] + 1:
                    reach[end] = reach[start] + 1
        return 2 <= reach.get(len(word), 99) <= 7

    def is_given_word(self, word: str) -> bool:
        """True for a known given name, a romanised syllabic one, or a hyphenated pair of them (Karl-Heinz)."""
        parts = [part for part in word.split("-") if part]
        return bool(parts) and all(part in self.given or self.is_syllabic(part) for part in parts)

    def is_syllabic(self, word: str) -> bool:
        """True when a word is one name syllable or two of two letters or more (``minsu`` = min + su)."""
        if word in self.syllables:
            return True
        return any(word[:cut] in self.syllables and word[cut:] in self.syllables for cut in range(2, len(word) - 1))

    def ending(self, word: str, kind: str, script: str) -> str | None:
        """The patronymic or family-name ending a word of 5 or more letters carries, if any.

        >>> load_person_lexicon().ending("иванович", "patronymic", "Cyrl")
        'ович'
        """
        endings = (self.patronymic_endings if kind == "patronymic" else self.surname_endings).get(script, ())
        if len(word) < 5:
            return None
        return next((e for e in endings if word.endswith(e)), None)


def affix_key(text: str) -> str:
    """A title or suffix with case, dots, hyphens and spaces dropped: ``Dipl.-Ing.`` → ``dipling``.

    >>> affix_key("Dipl.-Ing."), affix_key("Ph.D."), affix_key("박사")
    ('dipling', 'phd', '박사')
    """
    return _AFFIX_MARKS.sub("", lexicon_key(text))


@shared
def load_person_lexicon() -> PersonLexicon:
    """The person-name tables of ``data/name_type/``: the generated lexicon, the curated names, affixes and endings."""
    from pypinyin import lazy_pinyin  # its dictionaries load in a second; only the lexicon needs them

    names = read_tsv_table(data_path("name_type", "person_names.tsv.gz"), required_columns=("name", "kind", "script"))
    curated = read_tsv_table(data_path("name_type", "curated_names.tsv"), required_columns=("name", "kind", "script"))
    affixes = read_tsv_table(data_path("name_type", "person_affixes.tsv"), required_columns=("affix", "kind"))
    endings = read_tsv_table(data_path("name_type", "name_endings.tsv"), required_columns=("ending", "kind", "script"))
    morae = read_tsv_table(data_path("name_type", "romaji_morae.tsv"), required_columns=("mora",))
    by_kind: dict[str, set[str]] = {"given": set(), "surname": set(), "syllable": set()}
    chinese_surnames: set[str] = set()
    common: dict[str, set[str]] = {"given": set(), "surname": set(), "syllable": set()}
    for table in (names, curated):
        problems: list[str] = []
        _check(table, "kind", by_kind, problems)
        if problems:
            raise DataFileError(table.path, problems)
        for row in table.rows:
            name = lexicon_key(row["name"])
            by_kind[row["kind"]].add(name)
            if not row.get("source", "").startswith("faker"):
                common[row["kind"]].add(name)
            if row["kind"] == "surname" and row["script"] == "Hani" and _ZH_SOURCE.search(row.get("source", "")):
                chinese_surnames.add(name)
    problems = []
    _check(affixes, "kind", ("title", "given_title", "suffix", "particle", "conjunction"), problems)
    if problems:
        raise DataFileError(affixes.path, problems)
    problems = []
    _check(endings, "kind", ("patronymic", "surname"), problems)
    if problems:
        raise DataFileError(endings.path, problems)
    ending_sets: dict[str, dict[str, list[str]]] = {"patronymic": {}, "surname": {}}
    for row in endings.rows:
        ending_sets[row["kind"]].setdefault(row["script"], []).append(lexicon_key(row["ending"]))
    return PersonLexicon(
        given=frozenset(by_kind["given"]),
        surnames=frozenset(by_kind["surname"]),
        syllables=frozenset(by_kind["syllable"]),
        titles=frozenset(affix_key(r["affix"]) for r in affixes.rows if r["kind"] in ("title", "given_title")),
        given_titles=frozenset(affix_key(r["affix"]) for r in affixes.rows if r["kind"] == "given_title"),
        suffixes=frozenset(affix_key(r["affix"]) for r in affixes.rows if r["kind"] == "suffix"),
        particles=frozenset(tuple(lexicon_key(r["affix"]).split()) for r in affixes.rows if r["kind"] == "particle"),
        # Longest endings first, so "ович" is reported rather than "ич".
        patronymic_endings={s: tuple(sorted(e, key=len, reverse=True)) for s, e in ending_sets["patronymic"].items()},
        surname_endings={s: tuple(sorted(e, key=len, reverse=True)) for s, e in ending_sets["surname"].items()},
        labels=(names.label, curated.label, affixes.label, endings.label, morae.label),
        common_given=frozenset(common["given"]),
        common_surnames=frozenset(common["surname"]),
        cjk_titles=tuple(
            sorted(
                (affix_key(r["affix"]) for r in affixes.rows if r["kind"] == "title" and not r["affix"].isascii()),
                key=len,
                reverse=True,
            )
        ),
        morae=frozenset(row["mora"] for row in morae.rows),
        conjunctions=frozenset(lexicon_key(r["affix"]) for r in affixes.rows if r["kind"] == "conjunction"),
        pinyin_surnames=frozenset("".join(lazy_pinyin(name)) for name in chinese_surnames),
    )
