"""Readers: the pre-step that turns Han characters into a phonetic script before a table's rules.

A romanisation table maps letters to letters, but Han characters have no fixed sound: the
same 東京 is Tōkyō in a Japanese name and Dōngjīng in a Chinese one. A table names a reader
(``reader = "japanese"``) and the reader runs first, so the table's rules only ever see kana
(Japanese) or Latin syllables (Chinese). Readers keep everything they cannot read (Latin
letters, digits, punctuation) as it is, and put a space between words, since the
romanised form of a name is written in words.

- ``japanese``: a dictionary-based reader (MeCab through fugashi, with the UniDic lite
  dictionary) gives the kana reading of each word; the readings of frequent company-name
  words come from :file:`data/translit/ja_readings.tsv` first, since a general dictionary
  reads many of them the way they are read in running text, not in names.
- ``chinese``: Hanyu Pinyin through pypinyin, whose phrase dictionary picks the reading of
  polyphonic characters from the word around them (重庆 Chongqing, 银行 yinhang); ICU's
  dictionary word break groups syllables into words, traditional characters are read
  through ICU's Traditional-Simplified transform.
- ``thai``: Thai has no spaces between words and its spelling leaves vowels and final
  consonant values unwritten, so RTGS needs a reader that knows the language: PyThaiNLP cuts
  the text into words (``newmm`` dictionary tokenizer) and romanises each word with its
  ``thai2rom_onnx`` model.
- ``korean``: Korean writes company names without spaces (한국전력공사), but Revised
  Romanization writes them in words (Hanguk Jeollyeok Gongsa), and the sound changes of the
  table apply inside a word only. The reader only puts spaces between the words MeCab finds
  with the mecab-ko-dic dictionary (python-mecab-ko), which also splits its compound entries;
  person names are written family name, space, given name (김민수 → 김 민수, 이민호 → 이 민호).

A reader is called as ``reader(text, person_name=...)``: with ``person_name=False`` (the
match key of a name not typed person with confidence) the Chinese and Korean readers never
write the name as a person's, family name apart.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby, pairwise
from pathlib import Path
from typing import Any, Protocol

import icu

from namecleaner.errors import DataFileError, MissingDependencyError
from namecleaner.resources import data_path, read_tsv_table, shared
from namecleaner.text.scripts import char_script

#: Where the Japanese reading overrides live.
JA_READINGS_PATH = data_path("translit", "ja_readings.tsv")
#: The main on reading of each kanji, built from Unihan by ``tools/build_ja_onyomi.py``.
JA_ONYOMI_PATH = data_path("translit", "ja_onyomi.tsv")

_HAN = "Hani"
_K_KANA = frozenset("カキクケコ")
_VOICELESS_KANA = _K_KANA | frozenset("サシスセソタチツテトハヒフヘホパピプペポ")
_KANA = frozenset({"Hira", "Kana"})
# Word separators of Japanese and Chinese names that romanised text writes as a space.
_SEPARATORS = str.maketrans({"・": " ", "･": " ", "　": " ", "、": " ", "，": " "})
_SPACES = re.compile(r" {2,}")
# ヶ (and ヵ, ケ) between kanji is the genitive particle ga of place names (関ヶ原 Sekigahara,
# 霞ヶ関 Kasumigaseki), written as the particle が so that the dictionary reads the kanji on
# each side as words; after a numeral it is the counter ka (三ヶ月) and is left to the dictionary.
_HAN_GA = re.compile(
    r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々])(?<![一二三四五六七八九十百千万])[ヶヵケ](?=[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])"
)
# A dash or minus right after katakana is the long-vowel mark typed with the wrong key (インタ－ナショナル).
_DASH_AS_LONG_VOWEL = re.compile(r"(?<=[\u30a1-\u30fa])[-‐‑‒–—―−]")
# Kana iteration marks, and whether they voice the kana they repeat.
_ITERATION_MARKS = {"ゝ": False, "ゞ": True, "ヽ": False, "ヾ": True}
# A pinyin syllable that starts with a, o or e takes an apostrophe inside a word (Xi'an).
_VOWEL_INITIAL = ("a", "o", "e")


def _has_han(text: str) -> bool:
    return any(char_script(char) == _HAN for char in text)


def _is_kana(text: str) -> bool:
    return bool(text) and all(char_script(char) in _KANA or char == "ー" for char in text)


@dataclass(frozen=True)
class _Piece:
    """A stretch of output: a word of the reading, or text kept as it was (``word=False``)."""

    text: str
    word: bool


def _join(pieces: list[_Piece]) -> str:
    """Join pieces, with a space between two words and around kept text that is alphanumeric."""
    out: list[str] = []
    previous: _Piece | None = None
    for piece in pieces:
        if previous is not None and _needs_space(previous, piece):
            out.append(" ")
        out.append(piece.text)
        previous = piece
    return _SPACES.sub(" ", "".join(out)).strip()


def _needs_space(left: _Piece, right: _Piece) -> bool:
    if left.text.endswith(" ") or right.text.startswith(" "):
        return False
    if left.word and right.word:
        return True
    if left.word or right.word:
        edge = right.text[0] if left.word else left.text[-1]
        # A word is spaced from kept letters and digits, and from brackets outside it.
        return edge.isalnum() or unicodedata.category(edge) == ("Ps" if left.word else "Pe")
    return False


# --- Japanese -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadingOverrides:
    """Readings that take precedence over the dictionary, longest surface first.

    ``readings`` maps a surface (kanji, or kanji and kana) to its kana reading, in which a
    space separates words (``株式会社`` → ``カブシキ カイシャ``).
    """

    readings: dict[str, str]
    pattern: re.Pattern[str] | None

    def split(self, text: str, words: Sequence[tuple[int, int]] = ()) -> Iterator[tuple[str, str | None]]:
        """Yield ``(chunk, reading)``: a reading for overridden words, None for the rest.

        A surface found strictly inside one of the dictionary's ``words`` (start, end) is
        part of a longer word (日本 in 日本橋) and is not overridden.
        """
        start = 0
        if self.pattern is not None:
            for match in self.pattern.finditer(text):
                inside = any(a <= match.start() and match.end() <= b and b - a > len(match.group(0)) for a, b in words)
                if inside:
                    continue
                if match.start() > start:
                    yield text[start : match.start()], None
                yield match.group(0), self.readings[match.group(0)]
                start = match.end()
        if start < len(text):
            yield text[start:], None


def load_reading_overrides(path: Path | str = JA_READINGS_PATH) -> ReadingOverrides:
    """Read a reading-override TSV (columns ``surface``, ``reading``); report every bad row.

    A reading must be katakana (spaces between words); a surface must hold a Han character,
    since kana are read as written.
    """
    table = read_tsv_table(path, required_columns=("surface", "reading"))
    problems: list[str] = []
    readings: dict[str, str] = {}
    for row, line in zip(table.rows, table.line_numbers):
        surface, reading = row["surface"].strip(), row["reading"].strip()
        if not _has_han(surface):
            problems.append(f"line {line}: surface {surface!r} has no Han character")
        if not reading or not all(_is_kana(word) for word in reading.split()):
            problems.append(f"line {line}: reading {reading!r} is not kana words separated by spaces")
        if surface in readings:
            problems.append(f"line {line}: surface {surface!r} is listed twice")
        readings[surface] = reading
    if problems:
        raise DataFileError(path, problems)
    surfaces = sorted(readings, key=lambda s: (-len(s), s))
    pattern = re.compile("|".join(map(re.escape, surfaces))) if surfaces else None
    return ReadingOverrides(readings, pattern)


@shared
def _overrides() -> ReadingOverrides:
    return load_reading_overrides()


@shared
def _onyomi() -> dict[str, str]:
    table = read_tsv_table(JA_ONYOMI_PATH, required_columns=("kanji", "reading"))
    return {row["kanji"]: row["reading"] for row in table.rows}


@shared
def _tagger() -> Any:
    """The MeCab tagger with UniDic lite, created once (loading the dictionary takes a while)."""
    import fugashi

    return fugashi.Tagger()


@dataclass(frozen=True)
class _Token:
    """A dictionary token kept apart from the tagger: MeCab reuses a node's memory at the next parse."""

    surface: str
    feature: Any
    is_unk: bool


def _tokens(text: str) -> list[_Token]:
    """The dictionary's tokens of ``text``, copied out of the tagger."""
    return [_Token(token.surface, token.feature, token.is_unk) for token in _tagger()(text)]


def _token_reading(token) -> str:
    """Kana reading of a token that holds Han characters.

    A token UniDic does not know (a rare or variant kanji: 白洋舍) is read kanji by kanji
    with their on readings; what has none of those stays as written. Vowels that the
    pronunciation keeps apart are marked (:func:`mark_vowel_sequences`).
    """
    feature = token.feature
    kana = getattr(feature, "kana", None)
    if token.is_unk or not kana or kana == "*":
        if all(char_script(char) == _HAN for char in token.surface):
            return _onyomi_word(token.surface) or token.surface
        return token.surface
    return mark_vowel_sequences(kana, getattr(feature, "pron", None))


#: Put between two kana whose vowels are read apart (イノ|ウエ), so a table's long-vowel rules
#: leave them; the Japanese tables drop it.
VOWEL_BREAK = "\u200c"


def _vowel(kana: str) -> str:
    """The vowel a kana ends in (ノ → O, ョ → O), "" for the long-vowel mark and the rest."""
    name = unicodedata.name(kana, "")
    return name[-1] if "LETTER" in name and name[-1] in "AIUEO" else ""


def mark_vowel_sequences(kana: str, pron: str | None) -> str:
    """The kana reading with :data:`VOWEL_BREAK` before a ウ or オ that is not a long vowel.

    Kana spelling writes a long o as オウ or オオ and a long u as ウウ, so the tables merge
    those; but the same letters also spell two vowels (井上 イノウエ Inoue, 大内 オオウチ Ōuchi).
    UniDic's pronunciation field tells them apart: a long vowel there is ー (東京 トウキョウ,
    pronounced トーキョー).

    >>> mark_vowel_sequences("イノウエ", "イノウエ") == "イノ" + VOWEL_BREAK + "ウエ"
    True
    >>> mark_vowel_sequences("トウキョウ", "トーキョー"), mark_vowel_sequences("カウ", "カウ")
    ('トウキョウ', 'カウ')
    """
    if not pron or len(pron) != len(kana):
        return kana
    out = []
    for index, (char, said) in enumerate(zip(kana, pron)):
        if index and char in "ウオ" and said == char and _vowel(kana[index - 1]) in ("O", "U"):
            out.append(VOWEL_BREAK)
        out.append(char)
    return "".join(out)


def _is_coined_part(token, previous, following) -> bool:
    """Whether a token may be part of a word coined from Sino-Japanese readings.

    Company names are coined from the on readings of two or more kanji (信和 Shinwa, 伯東
    Hakuto), which a general dictionary splits into single kanji or reads as a given name
    (ノブカズ). Numbers, affixes and place names keep their readings (丸三 Marusan, 松屋
    Matsuya); a one-kanji family name only counts before a one-kanji given name (明豊 Meiho,
    林兼 Hayashikane), and a longer given name after a family name is a real person's name
    (山田太郎, 林太郎). A one-kanji suffix read with its on reading after a one-kanji common
    noun ends such a word (東鉄 Totetsu, 菱洋 Ryoyo; 松屋 keeps its native ya), and a one-kanji
    numeral before a one-kanji common noun opens one (三東 Santo; 七十七 stays a number).
    """
    surface, feature = token.surface, token.feature
    if not all(char_script(char) == _HAN for char in surface):
        return False
    if feature.pos1 == "接尾辞":
        return len(surface) == 1 and feature.kana == _onyomi().get(surface) and _is_one_kanji_common_noun(previous)
    if feature.pos2 == "数詞":
        return (
            len(surface) == 1
            and (previous is None or previous.feature.pos2 != "数詞")
            and _is_one_kanji_common_noun(following)
        )
    if feature.pos1 != "名詞" or feature.pos3 == "地名":
        return False
    given_name = feature.pos3 == "人名" and feature.pos4 == "名"
    if len(surface) == 1:
        if feature.pos4 == "姓":
            return following is not None and following.feature.pos4 == "名" and len(following.surface) == 1
        return True
    after_family_name = previous is not None and previous.feature.pos4 == "姓"
    return given_name and not after_family_name


def _is_one_kanji_common_noun(token) -> bool:
    return (
        token is not None
        and len(token.surface) == 1
        and char_script(token.surface) == _HAN
        and token.feature.pos1 == "名詞"
        and token.feature.pos2 == "普通名詞"
    )


def _coined_runs(tokens: list, before=None, after=None) -> list[tuple[int, int]]:
    """(start, end) token ranges of two or more kanji read as one coined word.

    ``before`` and ``after`` are the tokens next to ``tokens`` across a space (the family
    name before a given name written apart), which count as neighbours but never join a run.
    """
    runs: list[tuple[int, int]] = []
    start = None
    for index, token in enumerate([*tokens, None]):
        previous = tokens[index - 1] if index else before
        following = tokens[index + 1] if index + 1 < len(tokens) else after
        if token is not None and _is_coined_part(token, previous, following):
            start = index if start is None else start
            continue
        if start is not None and sum(len(t.surface) for t in tokens[start:index]) >= 2:
            runs.append((start, index))
        start = None
    return runs


@lru_cache(maxsize=8192)
def _onyomi_of(char: str) -> str | None:
    """The on reading of a kanji, or of the traditional form of a simplified hanzi Japanese
    does not write (华 is read as 華, ka), so that no character is left unread.

    >>> _onyomi_of("華"), _onyomi_of("华"), _onyomi_of("a")
    ('カ', 'カ', None)
    """
    readings = _onyomi()
    return readings.get(char) or readings.get(_traditionaliser().transliterate(char))


@shared
def _traditionaliser() -> icu.Transliterator:
    return icu.Transliterator.createInstance("Simplified-Traditional")


def _onyomi_word(surface: str) -> str | None:
    """The on readings of the kanji, joined with the usual gemination (日+工 → ニッコウ).

    A two-kana reading ending in チ or ツ before a voiceless initial (k, s, t, h, p), or in
    ク or キ before a k initial, becomes a geminate ッ.

    >>> _onyomi_word("日工"), _onyomi_word("機工")
    ('ニッコウ', 'キコウ')
    """
    readings = [reading for reading in map(_onyomi_of, surface) if reading]
    if len(readings) != len(surface):
        return None
    word = ""
    previous = ""
    for reading in readings:
        if len(previous) == 2 and (
            (previous[-1] in "チツ" and reading[0] in _VOICELESS_KANA)
            or (previous[-1] in "クキ" and reading[0] in _K_KANA)
        ):
            word = word[:-1] + "ッ"
        word += reading
        previous = reading
    return word


def _read_chunk(text: str, tokens: list | None = None, before=None, after=None) -> list[_Piece]:
    """Read a stretch with no override through the dictionary, grouping tokens into words.

    Kana stay as written (a katakana word is never split), Han tokens get their UniDic
    reading, and a hiragana particle after kanji is read as pronounced (は → ワ). A suffix
    (接尾辞: 所, 車, 社 …) joins the word before it and a prefix (接頭辞) the word after it,
    as names are romanised (Seisakusho, Jidosha). Coined words get their on readings.
    ``tokens`` are the dictionary's tokens of ``text`` when the caller already has them,
    ``before`` and ``after`` the tokens next to them across a space.
    """
    tokens = _tokens(text) if tokens is None else tokens
    coined = {start: end for start, end in _coined_runs(tokens, before, after)}
    pieces: list[_Piece] = []
    kana_run = False
    attach_next = False
    index = 0
    while index < len(tokens):
        token = tokens[index]
        surface, pos1 = token.surface, token.feature.pos1
        index += 1
        if index - 1 in coined:
            end = coined[index - 1]
            joined = "".join(t.surface for t in tokens[index - 1 : end])
            reading = _onyomi_word(joined)
            if reading is not None:
                pieces.append(_Piece(reading, True))
                index, kana_run, attach_next = end, False, False
                continue
        if _has_han(surface):
            reading = _token_reading(token)
        elif _is_kana(surface):
            after_han = index > 1 and _has_han(tokens[index - 2].surface)
            if pos1 == "助詞" and after_han and all(char_script(c) == "Hira" for c in surface):
                pron = token.feature.pron
                pieces.append(_Piece(pron if pron and pron != "*" else surface, True))
                kana_run = attach_next = False
                continue
            if kana_run and pieces:
                pieces[-1] = _Piece(pieces[-1].text + surface, True)
                continue
            reading = surface
        else:
            pieces.append(_Piece(surface, False))
            kana_run = attach_next = False
            continue
        joins_previous = pos1 == "接尾辞" or attach_next
        if joins_previous and pieces and pieces[-1].word:
            pieces[-1] = _Piece(pieces[-1].text + reading, True)
        else:
            pieces.append(_Piece(reading, True))
        kana_run = _is_kana(surface)
        attach_next = pos1 == "接頭辞"
    return pieces


def expand_iteration_marks(text: str) -> str:
    """Write out the kana iteration marks ゝゞヽヾ as the kana they repeat (ゞ voiced).

    >>> expand_iteration_marks("いすゞ"), expand_iteration_marks("こゝろ")
    ('いすず', 'こころ')
    """
    out: list[str] = []
    for char in text:
        if char in _ITERATION_MARKS and out and _is_kana(out[-1]):
            repeated = unicodedata.normalize("NFD", out[-1])[0]
            if _ITERATION_MARKS[char]:
                repeated = unicodedata.normalize("NFC", repeated + "\u3099")
            out.append(repeated)
        else:
            out.append(char)
    return "".join(out)


def read_japanese(text: str, *, person_name: bool = True) -> str:
    """Kana reading of a Japanese name, words separated by spaces; kana and Latin kept
    (``person_name`` changes nothing: a person's name is read in the words it is written in).

    >>> read_japanese("トヨタ自動車株式会社")
    'トヨタ ジドウシャ カブシキ カイシャ'
    >>> read_japanese("株式会社日立製作所")
    'カブシキ カイシャ ヒタチ セイサクショ'
    >>> read_japanese("インタ－ナショナル")
    'インターナショナル'
    """
    text = expand_iteration_marks(unicodedata.normalize("NFKC", text).translate(_SEPARATORS))
    text = _DASH_AS_LONG_VOWEL.sub("ー", _HAN_GA.sub("\\1が", text))
    pieces: list[_Piece] = []
    parts = text.split(" ")
    # MeCab drops spaces, so each part is parsed on its own (parsed together, 株式会社　牧野 would
    # lose the surname 牧野); the parts beside it are its context, so that a given name after a
    # family name (山田 花子) is read as a name, not as a coined word.
    groups = [_tokens(part) for part in parts]
    for index, (part, tokens) in enumerate(zip(parts, groups)):
        if index:
            pieces.append(_Piece(" ", False))
        before = groups[index - 1][-1] if index and groups[index - 1] else None
        after = groups[index + 1][0] if index + 1 < len(groups) and groups[index + 1] else None
        for chunk, reading in _overrides().split(part, _dictionary_words(part, tokens)):
            if reading is None:
                whole = chunk == part
                pieces.extend(
                    _read_chunk(chunk, tokens if whole else None, before if whole else None, after if whole else None)
                )
            else:
                pieces.extend(_Piece(word, True) for word in reading.split())
    return _join(pieces)


def _dictionary_words(text: str, tokens: list) -> list[tuple[int, int]]:
    """(start, end) of each of the dictionary's ``tokens`` of ``text``."""
    spans = []
    start = 0
    for token in tokens:
        start = text.find(token.surface, start)
        spans.append((start, start + len(token.surface)))
        start += len(token.surface)
    return spans


#: The fewest kana (the long-vowel mark counted: ツール, tool) of a word whose loanword source
#: is believed, alone and as a part of a compound: shorter entries are mostly spelt-out
#: letters (エヌ, ピー), and compounds of short parts blends coined from syllables (サン・ユー,
#: アズ・ビル, ショー・ボンド). Measured with ``benchmarks/bench_translit_cjk.py --sets loanwords``
#: and ``bench_cluster_quality.py --sets edinet`` (a compound part of 3 kana: F1 0.700, false
#: rate 11.5%; of 4: 0.694, 9.7%).
LOANWORD_MIN_KANA = 3
LOANWORD_MIN_KANA_IN_COMPOUND = 4
#: The fewest letters of a source word: shorter ones are letter names and homophones (jay, eye, sun).
LOANWORD_MIN_LETTERS = 4
# A UniDic lemma of a loanword: its kana headword, a hyphen, the source word (ビジュアル-visual),
# sometimes a gloss in brackets (ライト-light（光）); a lemma of an unknown source reads -外国.
# The headword starts the text or follows a hyphen, so a search tries one start per hyphen-free
# run instead of every position in it (quadratic on a long run without a hyphen).
_LOANWORD_LEMMA = re.compile(r"(?<![^-])[^-]+-([A-Za-z][A-Za-z'&]*(?: [A-Za-z][A-Za-z'&]*)*)(?:[(（].*)?")


@dataclass(frozen=True)
class Loanword:
    """The source words of a katakana word, from the dictionary entries of its parts."""

    surface: str
    words: tuple[str, ...]
    #: the UniDic lemma of each part (スタンレー-Stanley), the evidence recorded in a step
    entries: tuple[str, ...]


def japanese_loanword(run: str) -> Loanword | None:
    """The source words of a katakana run, when the dictionary gives one for every part of it.

    Guards, since the dictionary also "reads" coined names: every token of the run must be a
    dictionary entry whose lemma names a Latin-script source word; each token has at least
    :data:`LOANWORD_MIN_KANA` kana (:data:`LOANWORD_MIN_KANA_IN_COMPOUND` in a run of several),
    each source word :data:`LOANWORD_MIN_LETTERS` letters, and no more than two letters per
    kana and one: a longer source is the full form of a clipped word (アクセル, accelerator;
    プロト, prototype), which the name does not write. Else None: the run keeps its romanisation.

    >>> japanese_loanword("モルガンスタンレー").words, japanese_loanword("クリエイティブ").entries
    (('morgan', 'stanley'), ('クリエーティブ-creative',))
    >>> japanese_loanword("サンユー"), japanese_loanword("エヌピーシー"), japanese_loanword("アクセル")
    (None, None, None)
    """
    if not run or not all(char_script(char) == "Kana" or char == "ー" for char in run):
        return None
    tokens = list(_tagger()(run))
    least = LOANWORD_MIN_KANA if len(tokens) == 1 else LOANWORD_MIN_KANA_IN_COMPOUND
    words: list[str] = []
    entries: list[str] = []
    for token in tokens:
        lemma = None if token.is_unk else getattr(token.feature, "lemma", None)
        found = _LOANWORD_LEMMA.fullmatch(lemma) if lemma else None
        kana = len(token.surface)
        if found is None or kana < least:
            return None
        sources = found.group(1).casefold().split()
        if any(len(word) < LOANWORD_MIN_LETTERS or len(word) > 2 * kana + 1 for word in sources):
            return None
        words.extend(sources)
        entries.append(str(lemma))  # found is not None, so neither is the lemma
    return Loanword(run, tuple(words), tuple(entries)) if words else None


# --- Chinese ------------------------------------------------------------------------------


@shared
def _simplifier() -> icu.Transliterator:
    return icu.Transliterator.createInstance("Traditional-Simplified")


def _word_spans(text: str) -> list[tuple[int, int]]:
    """Word boundaries from ICU's dictionary-based word break for Chinese.

    ICU splits names it does not know into single characters (华 为); a run of single Han
    characters is taken as one word, the usual case of a brand or place name. A dictionary
    word of four characters is a compound of two words and is written as two, as pinyin
    orthography does (有限公司 youxian gongsi, 北京大学 Beijing Daxue).
    """
    breaker = icu.BreakIterator.createWordInstance(icu.Locale("zh"))
    breaker.setText(text)
    # ICU counts UTF-16 code units; characters beyond the BMP (𠮷) take two.
    index_of = {}
    offset = 0
    for index, char in enumerate(text):
        index_of[offset] = index
        offset += 2 if ord(char) > 0xFFFF else 1
    index_of[offset] = len(text)
    spans: list[tuple[int, int]] = []
    run_open = False
    start = 0
    for boundary in breaker:
        end = index_of[boundary]
        single_han = end - start == 1 and char_script(text[start]) == _HAN
        if single_han and run_open:
            spans[-1] = (spans[-1][0], end)
        elif end - start == 4 and all(char_script(char) == _HAN for char in text[start:end]):
            spans.extend(((start, start + 2), (start + 2, end)))
        else:
            spans.append((start, end))
        run_open = single_han
        start = end
    return spans


def _kept_as_written(chars: str) -> Any:
    """What pypinyin gives for characters it cannot read: each one as it is (its stubs say a str; it takes a list)."""
    return list(chars)


def _is_dictionary_word(text: str) -> bool:
    """Whether ICU's Chinese word break takes the whole text as one word of its dictionary."""
    breaker = icu.BreakIterator.createWordInstance(icu.Locale("zh"))
    breaker.setText(text)
    return len(text) > 1 and list(breaker) == [len(text.encode("utf-16-le")) // 2]


def read_chinese(text: str, *, person_name: bool = True) -> str:
    """Hanyu Pinyin of a Chinese name, syllables grouped per word, lower case, no tones.

    A person's name alone (:func:`~namecleaner.translit.select.chinese_name_cut`) is written
    family name, space, given name, as pinyin orthography writes names, unless ``person_name``
    is False.

    >>> read_chinese("重庆银行股份有限公司")
    'chongqing yinhang gufen youxian gongsi'
    >>> read_chinese("長沙銀行"), read_chinese("张伟"), read_chinese("陳志明")
    ('changsha yinhang', 'zhang wei', 'chen zhiming')
    """
    from pypinyin import Style, lazy_pinyin

    from namecleaner.translit.select import chinese_name_cut

    text = unicodedata.normalize("NFKC", text).translate(_SEPARATORS)
    simplified = _simplifier().transliterate(text)
    if len(simplified) != len(text):
        simplified = text
    syllables = lazy_pinyin(simplified, style=Style.NORMAL, v_to_u=True, errors=_kept_as_written)
    pieces: list[_Piece] = []
    cut = chinese_name_cut(simplified) if person_name else None
    # A two-character word of ICU's dictionary (银行) is a common noun, not a name opening with a
    # family name; its longer words that do are mostly the names of famous people (刘德华).
    if cut and not (len(simplified) == 2 and _is_dictionary_word(simplified)):
        spans = [(0, cut), (cut, len(text))]
    else:
        spans = _word_spans(simplified)
    for start, end in spans:
        chunk = text[start:end]
        if not _has_han(chunk):
            pieces.append(_Piece(chunk, False))
            continue
        word = ""
        for syllable in syllables[start:end]:
            if word and syllable.startswith(_VOWEL_INITIAL):
                word += "'"
            word += syllable
        pieces.append(_Piece(word, True))
    return _join(pieces)


# --- Thai ---------------------------------------------------------------------------------

_THAI = "Thai"
# Mai yamok repeats the word before it; paiyannoi marks an abbreviation (กรุงเทพฯ) and is not read.
_MAI_YAMOK, _PAIYANNOI = "ๆ", "ฯ"
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


@shared
def _thai_tools() -> tuple[Callable[..., list[str]], Callable[..., str]]:
    """PyThaiNLP's word tokenizer and romaniser, or a MissingDependencyError naming the package."""
    try:
        import onnxruntime  # noqa: F401  (the thai2rom_onnx model runs on it)
        from pythainlp.tokenize import word_tokenize
        from pythainlp.transliterate import romanize
    except ImportError as error:
        raise MissingDependencyError(
            (error.name or "pythainlp").split(".")[0], "The Thai reader (RTGS)", None
        ) from error
    return word_tokenize, romanize


@lru_cache(maxsize=65536)
def _romanize_thai_word(word: str) -> str:
    # The model, unlike PyThaiNLP's rule-based "royin" engine, gets the Royal Institute's
    # examples right (silent letters, unwritten vowels: อาวุธ awut, ญาติ yat, มณฑล monthon).
    return _thai_tools()[1](word, engine="thai2rom_onnx")


def read_thai(text: str, *, person_name: bool = True) -> str:
    """RTGS romanisation of a Thai name, lower case, words separated by spaces (``person_name``
    changes nothing).

    สถาบันไทยคดีศึกษา gives ``sathaban thai khadi sueksa``. Only Thai letters go to the model
    (it would invent readings for Latin letters, digits and brackets); everything else is
    kept. Thai digits become ASCII digits.
    """
    text = unicodedata.normalize("NFC", text).translate(_THAI_DIGITS).replace(_PAIYANNOI, "")
    word_tokenize = _thai_tools()[0]
    pieces: list[_Piece] = []
    for is_thai, chars in groupby(text, key=lambda char: char_script(char) == _THAI):
        chunk = "".join(chars)
        if not is_thai:
            pieces.append(_Piece(chunk, False))
            continue
        for word in word_tokenize(chunk, engine="newmm", keep_whitespace=False):
            if word == _MAI_YAMOK:
                if pieces and pieces[-1].word:
                    pieces.append(pieces[-1])
                continue
            pieces.append(_Piece(_romanize_thai_word(word), True))
    return _join(pieces)


# --- Korean -------------------------------------------------------------------------------

_HANGUL = "Hang"
# Parts of speech (mecab-ko-dic tags) that stand as a word of their own: nouns, numerals,
# pronouns, roots, adverbs, determiners, interjections. Particles, endings, affixes and
# bound nouns belong to the word before them.
_KOREAN_WORD_TAGS = frozenset({"NNG", "NNP", "NP", "NR", "XR", "MAG", "MAJ", "MM", "IC"})
# mecab-ko-dic's semantic class of person names (김민수/NNP/인명).
_PERSON = "인명"


@dataclass(frozen=True)
class _Morpheme:
    """A morpheme of the dictionary's analysis: its place in the text, tag and semantic class."""

    start: int
    end: int
    pos: str
    semantic: str | None

    def hangul_length(self, text: str) -> int:
        """Its number of Hangul syllables, 0 when anything else is in it."""
        surface = text[self.start : self.end]
        return len(surface) if all(char_script(char) == _HANGUL for char in surface) else 0


@shared
def _korean_tagger() -> Any | None:
    """The mecab-ko tagger (dictionary mecab-ko-dic), or None with a warning when it is missing.

    python-mecab-ko has wheels only up to CPython 3.12, so it is not installed on newer
    Pythons. Word splitting is the only thing it adds, so names are then romanised as
    written, whole, rather than refused.
    """
    try:
        from mecab import MeCab
    except ImportError:
        warnings.warn(
            "Korean names are romanised without word splits: the Korean reader needs the "
            "'python-mecab-ko' package (wheels up to Python 3.12): pip install 'python-mecab-ko'",
            RuntimeWarning,
            stacklevel=2,
        )
        return None
    return MeCab()


def _korean_morphemes(text: str) -> list[_Morpheme]:
    """The dictionary's morphemes of ``text``, its compound entries split into their parts.

    mecab-ko-dic keeps frequent compounds as one entry and records their parts
    (한국전력공사: 한국/NNG/*+전력/NNG/*+공사/NNG/*). A compound is split only when every part
    has two or more syllables and the parts spell it out letter for letter: one with a
    one-syllable part (대+학교, 설악+산, 홍+길동) is one word. Each space-separated word is
    analysed on its own, so that a word is cut the same in every name: after 주식회사, 엘지
    made the dictionary take it for a person's name, which it never cuts.
    """
    morphemes: list[_Morpheme] = []
    offset = 0
    for word in text.split(" "):
        morphemes.extend(_word_morphemes(word, offset))
        offset += len(word) + 1
    return morphemes


def _word_morphemes(text: str, offset: int) -> list[_Morpheme]:
    """The morphemes of one word (see :func:`_korean_morphemes`), placed ``offset`` characters on."""
    return [_Morpheme(m.start + offset, m.end + offset, m.pos, m.semantic) for m in _analysed_word(text)]


@lru_cache(maxsize=1 << 16)
def _analysed_word(text: str) -> tuple[_Morpheme, ...]:
    """The morphemes of one word from its start: remembered, as a word is cut the same in every
    name and the same words recur across names (주식회사, 한국)."""
    morphemes: list[_Morpheme] = []
    tagger = _korean_tagger()
    for token in tagger.parse(text) if text and tagger is not None else ():
        start, end, feature = token.span.start, token.span.end, token.feature
        if feature.type == "Compound" and feature.expression:
            parts = [part.split("/") for part in feature.expression.split("+")]
            if (
                all(len(part) == 3 and len(part[0]) >= 2 for part in parts)
                and "".join(part[0] for part in parts) == token.surface
            ):
                for surface, pos, semantic in parts:
                    morphemes.append(_Morpheme(start, start + len(surface), pos, None if semantic == "*" else semantic))
                    start += len(surface)
                continue
        morphemes.append(_Morpheme(start, end, feature.pos, feature.semantic))
    return tuple(morphemes)


def _opens_korean_word(previous: _Morpheme, morpheme: _Morpheme, text: str) -> bool:
    """Whether a word boundary falls between two adjacent morphemes.

    A word starts at a noun, numeral, root, adverb … of two or more syllables, after a
    Hangul morpheme of two or more syllables or a counter after a number (1호). One-syllable
    morphemes never stand apart: they are prefixes and suffixes of the words around them
    (독립문, 설악산, 대학교), or the pieces the dictionary makes of a word it does not know (a
    loanword), and a three-syllable person name is never cut inside its given name. Nor is a
    word cut next to a morpheme tagged as a person name: that is how the dictionary reads
    most pieces of coined names and loanwords it does not know (케스/피온, 에코/플라스틱),
    which are one word.
    """
    if previous.end != morpheme.start or morpheme.pos.split("+")[0] not in _KOREAN_WORD_TAGS:
        return False
    if morpheme.hangul_length(text) < 2 or _PERSON in (previous.semantic, morpheme.semantic):
        return False
    counter = previous.pos == "NNBC" and previous.start > 0 and text[previous.start - 1].isdigit()
    return counter or previous.hangul_length(text) >= 2


def _family_name_cuts(morphemes: list[_Morpheme], text: str) -> Iterator[int]:
    """Where a word that is a person name of the dictionary (김민수/NNP/인명) splits into family and given name.

    The dictionary tags many words it half knows as person names (라파스, 오리온, 압구정), so
    the word must stand between spaces, be three or four syllables of person-name morphemes,
    open with a family name of the person-name lexicon, and leave a given name known to the
    lexicon (김민수 박사) or, when the word is the whole name, as the Chinese reader cuts a
    name alone, one that could be Sino-Korean (:func:`sino_korean_given_name`: 이민호, 이순신);
    otherwise it stays one word, never cut inside the given name.
    """
    surnames, given_names = _hangul_person_names()
    offset = 0
    for word in text.split(" "):
        inside = [m for m in morphemes if offset <= m.start and m.end <= offset + len(word)]
        person = bool(inside) and all(m.pos == "NNP" and m.semantic == _PERSON for m in inside)
        if person and len(word) in (3, 4) and all(char_script(char) == _HANGUL for char in word):

            def given(cut: int, word: str = word) -> tuple[bool, bool]:
                return word[cut:] in given_names, word == text and sino_korean_given_name(word[cut:])

            # A Korean family name is one or two syllables; the one leaving a known given name wins.
            cut = max((c for c in (1, 2) if word[:c] in surnames), key=lambda c: (*given(c), c), default=0)
            if cut and any(given(cut)):
                yield offset + cut
        offset += len(word) + 1


def sino_korean_given_name(given: str) -> bool:
    """Whether two Hangul syllables could be a Sino-Korean given name, the usual Korean one.

    Each syllable must be the reading of a Hanja (Unihan kHangul), and the first one as it is
    written at the start of a word, since a given name is a word of its own (initial-sound law:
    李 is 이 there, never 리). That leaves out the loanwords and coined names the dictionary tags
    as person names: 라파스 (스 reads no Hanja), 오리온 and 유니온 (리 and 니 never open a
    Sino-Korean word).

    >>> sino_korean_given_name("민호"), sino_korean_given_name("순신"), sino_korean_given_name("리온")
    (True, True, False)
    >>> sino_korean_given_name("니온"), sino_korean_given_name("파스"), sino_korean_given_name("민")
    (False, False, False)
    """
    syllables = _sino_korean_syllables()
    return len(given) == 2 and all(s in syllables for s in given) and initial_sound_law(given[0]) == given[0]


@shared
def _hangul_person_names() -> tuple[frozenset[str], frozenset[str]]:
    """The Hangul family and given names of the person-name tables, read as data (the library never imports a stage)."""
    names: dict[str, set[str]] = {"surname": set(), "given": set()}
    for file in ("person_names.tsv.gz", "curated_names.tsv"):
        table = read_tsv_table(data_path("name_type", file), required_columns=("name", "kind"))
        for row in table.rows:
            if row["kind"] in names and row["name"] and char_script(row["name"][0]) == _HANGUL:
                names[row["kind"]].add(row["name"])
    return frozenset(names["surname"]), frozenset(names["given"])


#: The Sino-Korean reading of each Hanja, built from Unihan kHangul by ``tools/build_ko_hanja.py``.
KO_HANJA_PATH = data_path("translit", "ko_hanja.tsv")
# Hangul syllables: 0xAC00 + (initial * 21 + medial) * 28 + final.
_HANGUL_BASE, _MEDIALS, _FINALS = 0xAC00, 21, 28
_NIEUN, _RIEUL, _IEUNG = 2, 5, 11
# Medials i, ya, yeo, ye, yo, yu, before which word-initial ㄹ and ㄴ fall silent.
_I_MEDIALS = frozenset({2, 6, 7, 12, 17, 20})


@shared
def _hanja_readings() -> dict[str, str]:
    table = read_tsv_table(KO_HANJA_PATH, required_columns=("hanja", "reading"))
    return {row["hanja"]: row["reading"] for row in table.rows}


@shared
def _sino_korean_syllables() -> frozenset[str]:
    """Every Hangul syllable that reads a Hanja, before and after the initial-sound law."""
    readings = set(_hanja_readings().values())
    return frozenset(readings | {initial_sound_law(reading) for reading in readings})


def initial_sound_law(syllable: str) -> str:
    """A Sino-Korean syllable as it is said at the start of a word (Hangul orthography art. 10-12):
    ㄹ and ㄴ before i or y become ㅇ, ㄹ before another vowel becomes ㄴ.

    >>> initial_sound_law("리"), initial_sound_law("녀"), initial_sound_law("로"), initial_sound_law("현")
    ('이', '여', '노', '현')
    """
    index = ord(syllable) - _HANGUL_BASE
    if not 0 <= index < 19 * _MEDIALS * _FINALS:
        return syllable
    initial, rest = divmod(index, _MEDIALS * _FINALS)
    medial = rest // _FINALS
    if initial == _RIEUL:
        initial = _IEUNG if medial in _I_MEDIALS else _NIEUN
    elif initial == _NIEUN and medial in _I_MEDIALS:
        initial = _IEUNG
    return chr(_HANGUL_BASE + initial * _MEDIALS * _FINALS + rest)


def _hanja_word(word: str) -> str:
    """A run of Hanja read character by character (a simplified or Japanese form through its
    traditional one: 会 as 會), the initial-sound law on the first; a character with no
    reading stays as written."""
    readings = _hanja_readings()
    out = []
    for index, char in enumerate(word):
        reading = readings.get(char) or readings.get(_traditionaliser().transliterate(char))
        if reading is None:
            out.append(char)
        else:
            out.append(initial_sound_law(reading) if index == 0 else reading)
    return "".join(out)


def read_hanja(text: str) -> str:
    """Korean text with its Hanja written in Hangul, as they are read in Korean.

    A Hanja word of the mecab-ko-dic dictionary takes its reading there (自動車 자동차, where
    車 alone is 거); the rest is read character by character from Unihan's kHangul, word by
    word, with the initial-sound law at the start of each (李明博 이명박). Hangul, Latin letters
    and everything else are kept.

    >>> read_hanja("現代自動車株式会社"), read_hanja("李明博"), read_hanja("삼성電子")
    ('현대자동차주식회사', '이명박', '삼성전자')
    """
    if not any(char_script(char) == _HAN for char in text):
        return text
    tagger = _korean_tagger()
    if tagger is None:
        return "".join(_hanja_word(chunk) if han else chunk for han, chunk in _han_chunks(text))
    out, position = [], 0
    for token in tagger.parse(text):
        start, end = token.span.start, token.span.end
        surface, reading = text[start:end], token.feature.reading
        out.append(text[position:start])
        known = reading and len(reading) == len(surface) and all(char_script(c) == _HANGUL for c in reading)
        if not _has_han(surface):
            out.append(surface)
        elif known and token.feature.pos != "SH":
            out.append(reading)
        else:
            out.append("".join(_hanja_word(chunk) if han else chunk for han, chunk in _han_chunks(surface)))
        position = end
    out.append(text[position:])
    return "".join(out)


def _han_chunks(text: str) -> Iterator[tuple[bool, str]]:
    for han, chars in groupby(text, key=lambda char: char_script(char) == _HAN):
        yield han, "".join(chars)


def read_korean(text: str, *, person_name: bool = True) -> str:
    """A Korean name with a space between its words, for Revised Romanization word by word.

    Hanja are first written in Hangul (:func:`read_hanja`). Only spaces are added, between
    Hangul words, and between a person's family and given name unless ``person_name`` is
    False: everything else is kept as written. Without python-mecab-ko the text is returned as
    it is, its Hanja read character by character.

    >>> read_korean("한국전력공사"), read_korean("동원산업 주식회사")
    ('한국 전력 공사', '동원 산업 주식 회사')
    >>> read_korean("독립문"), read_korean("김민수"), read_korean("現代自動車株式会社")
    ('독립문', '김 민수', '현대 자동차 주식 회사')
    """
    text = read_hanja(unicodedata.normalize("NFC", text))
    if not any(char_script(char) == _HANGUL for char in text) or _korean_tagger() is None:
        return text
    morphemes = _korean_morphemes(text)
    cuts = {m.start for p, m in pairwise(morphemes) if _opens_korean_word(p, m, text)}
    if person_name:
        cuts.update(_family_name_cuts(morphemes, text))
    pieces = [text[start:end] for start, end in zip([0, *sorted(cuts)], [*sorted(cuts), len(text)])]
    return " ".join(pieces)


def read_han_characters(text: str, language: str) -> str:
    """Han characters that a reader left unread, each given its reading in ``language`` ("ja"
    or "ko"): the main on reading in katakana, or the Sino-Korean one in Hangul (a simplified
    form through its traditional one). A character with no such reading stays as written.

    >>> read_han_characters("华x", "ja"), read_han_characters("李会", "ko")
    ('カx', '이회')
    """
    if language == "ko":
        return "".join(_hanja_word(chunk) if han else chunk for han, chunk in _han_chunks(text))
    return "".join((_onyomi_of(char) or char) if char_script(char) == _HAN else char for char in text)


class Reader(Protocol):
    """A reader: text in, the text a table's rules romanise out; ``person_name=False`` for an organisation's name."""

    def __call__(self, text: str, *, person_name: bool = True) -> str: ...


#: The readers a table can name in its ``reader`` key.
READERS: dict[str, Reader] = {
    "japanese": read_japanese,
    "chinese": read_chinese,
    "thai": read_thai,
    "korean": read_korean,
}
