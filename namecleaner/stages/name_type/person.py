"""Splitting a person's name into family name, given names, prefix (titles) and suffix.

Feeds write person names in many orders: "SMITH, John A.", "John A. Smith", "SMITH John"
(the family name in capitals), family first for Chinese, Japanese, Korean and Hungarian
names, "Иванов Иван Иванович" with a patronymic, and CJK names without a space (山田太郎).
:func:`split_person` decides the order from, in turn: a comma, the office's stated
convention, the country, the family name written in capitals, a patronymic, and the
person-name lexicons; every split says which rule decided it. :func:`st96_person` maps a
split onto the elements of ST.96 ``PersonStructuredName``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from namecleaner.stages.name_type.lexicons import PersonLexicon, affix_key
from namecleaner.text.fold import lexicon_key
from namecleaner.text.scripts import dominant_script

#: The orders an office profile can state for its feed; "auto" lets the name decide.
PERSON_ORDERS: tuple[str, ...] = ("auto", "given-first", "family-first")
#: Scripts whose names are written family name first.
FAMILY_FIRST_SCRIPTS = frozenset({"Hani", "Hira", "Kana", "Hang"})
_NO_SPACE_SCRIPTS = frozenset({"Hani", "Hira", "Kana"})


@dataclass(frozen=True)
class PersonName:
    """A split person name; ``rule`` says how the order was decided."""

    family: str | None
    given: str | None
    prefix: str | None = None
    suffix: str | None = None
    rule: str = ""


@dataclass(frozen=True)
class SplitConvention:
    """How a feed writes person names, from the office profile.

    ``order`` is one of :data:`PERSON_ORDERS`; ``capitals_family`` says that in a mixed-case
    name the words in capitals are the family name ("SMITH John"); ``family_first_countries``
    are the countries whose Latin-script names put the family name first (Hungary);
    ``pinyin_family_first_countries`` those whose romanised Chinese names do (China).
    """

    order: str = "auto"
    capitals_family: bool = True
    family_first_countries: frozenset[str] = frozenset()
    pinyin_family_first_countries: frozenset[str] = frozenset()


def is_initial(token: str) -> bool:
    """True for an initial: "J", "J." or "J.-P." (a capital; "v" and "y" are words).

    >>> is_initial("J."), is_initial("J.-P."), is_initial("v"), is_initial("Jo")
    (True, True, False, False)
    """
    letters = [c for c in token if c.isalpha()]
    return (
        0 < len(letters) <= 2
        and letters[0].isupper()
        and (len(letters) == 1 or "." in token)
        and token.replace(".", "").replace("-", "").isalpha()
    )


def _join(tokens: list[str]) -> str | None:
    return " ".join(tokens) or None


def _take_affixes(tokens: list[str], lexicon: PersonLexicon, prefix: list[str], suffix: list[str]) -> list[str]:
    """Move titles to ``prefix`` and suffixes at the end to ``suffix`` (appended in text order).

    A title is one, two or three words ("Dr.", "Rt. Hon.", "Secretary of State"), the longest
    first. Titles stand first, or last in Korean, Japanese and listings in capitals ("ERDOE SANDOR DR").
    """
    tokens = list(tokens)
    while len(tokens) > 1:
        size = next(
            (n for n in (3, 2, 1) if len(tokens) > n and _is_title(tokens[:n], lexicon)),
            0,
        )
        if (
            size
            and len(tokens) > size + 2
            and tokens[size].casefold() in ("and", "&")
            and _is_title(tokens[size + 1 : size + 2], lexicon)
        ):
            size += 2  # "Mr. and Mrs. John and Jane Smith"
        if not size:
            break
        prefix.append(" ".join(tokens[:size]))
        del tokens[:size]
    trailing: list[str] = []
    while len(tokens) > 1:
        key = affix_key(tokens[-1])
        if key in lexicon.suffixes and not _initials_not_suffix(tokens[-1]):
            trailing.insert(0, tokens.pop())
        elif key in lexicon.titles and (not key.isascii() or tokens[-1].isupper() and len(key) > 1 and len(tokens) > 2):
            prefix.append(tokens.pop())
        else:
            break
    suffix.extend(trailing)
    if len(tokens) == 1 and dominant_script(tokens[0]) in FAMILY_FIRST_SCRIPTS:
        # A title written on to a CJK name: 김민수박사, 山田太郎博士.
        for title in lexicon.cjk_titles:
            if tokens[0].endswith(title) and len(tokens[0]) - len(title) >= 2:
                prefix.append(title)
                tokens[0] = tokens[0][: -len(title)]
                break
    return tokens


def _is_title(words: list[str], lexicon: PersonLexicon) -> bool:
    """True when the words make a title; one that is also a family name (KING, MAJOR) counts only
    when not written in capitals, the way listings write a family name."""
    key = affix_key("".join(words))
    return key in lexicon.titles and not (
        len(words) == 1 and words[0].isupper() and len(key) > 2 and lexicon_key(words[0]) in lexicon.surnames
    )


#: A nickname or an annotation: words in brackets or quotes ("Benjamin (Ben) Franklin", "John Jones (deceased)").
#: A match starts where a run of spaces starts: tried at every space of a long run, it would be quadratic.
_ASIDE = re.compile(r"""(?<!\s)\s*(?:\([^()]*\)|"[^"]*"|“[^”]*”|(?<![^\s,])'[^']*'(?![^\s,]))""")
#: Dotted single letters ("J.R.", "S. R."): initials, never the abbreviation Jr. or Sr.
_DOTTED_LETTERS = re.compile(r"(?:[^\W\d_]\.\s*){2,}")
#: A generation written as its own part after the given names ("Doe, John A., V, Jr.").
_ROMAN_NUMERAL = re.compile(r"I{1,3}|IV|VI{0,3}|IX|X")


def _initials_not_suffix(text: str) -> bool:
    """True for dotted single letters that spell a suffix's key ("J.R.", "S. R."): the
    abbreviations Jr. and Sr. are never written so; such letters are initials.

    >>> _initials_not_suffix("J.R."), _initials_not_suffix("Jr."), _initials_not_suffix("M.D.")
    (True, False, False)
    """
    return bool(_DOTTED_LETTERS.fullmatch(text)) and affix_key(text) in ("jr", "sr")


def without_asides(text: str) -> str:
    """The name without nicknames and annotations in brackets or quotes; the name itself when nothing else is left.

    >>> without_asides('Benjamin "Big Ben" Franklin'), without_asides("John Jones (Google Docs), Jr."), without_asides("(Ben)")
    ('Benjamin Franklin', 'John Jones, Jr.', '(Ben)')
    """
    stripped = " ".join(_ASIDE.sub(" ", text).split()).replace(" ,", ",")
    return stripped if any(c.isalpha() for c in stripped) else text


def katakana_to_hiragana(text: str) -> str:
    """Katakana letters as hiragana, the script of the name readings in the lexicon.

    >>> katakana_to_hiragana("ヤマダ タロウ")
    'やまだ たろう'
    """
    return "".join(chr(ord(c) - 0x60) if "\u30a1" <= c <= "\u30f6" else c for c in text)


def split_cjk(word: str, lexicon: PersonLexicon) -> tuple[str, str, str]:
    """Split a CJK name written without a space: the family name from the surname lexicon.

    Among the known family names the word starts with, the one leaving a known given name
    wins, else the longest; without a known family name, Chinese-length names (up to three
    characters) give one character to it, longer ones two.

    >>> from namecleaner.stages.name_type.lexicons import load_person_lexicon
    >>> lex = load_person_lexicon()
    >>> split_cjk("山田太郎", lex)[:2], split_cjk("김민수", lex)[:2], split_cjk("欧阳娜娜", lex)[:2]
    (('山田', '太郎'), ('김', '민수'), ('欧阳', '娜娜'))
    """
    script = dominant_script(word)
    limit = {"Hang": 2, "Kana": 5, "Hira": 5}.get(script or "", 3)
    reading = katakana_to_hiragana(word)
    cuts = [cut for cut in range(1, min(limit, len(word) - 1) + 1) if reading[:cut] in lexicon.surnames]
    if cuts:
        cut = max(cuts, key=lambda c: (reading[c:] in lexicon.given, c))
        rule = "surname lexicon + given-name lexicon" if reading[cut:] in lexicon.given else "surname lexicon"
    else:
        cut, rule = (
            (1 if len(word) <= 3 else 2),
            "no known family name: split by length",
        )
    return word[:cut], word[cut:], rule


def _patronymic_split(tokens: list[str], lexicon: PersonLexicon, script: str) -> PersonName | None:
    """The split a patronymic (-ович, -ovna) decides: it follows the given name, the family name is on the other side."""
    folded = [lexicon_key(t) for t in tokens]
    marks = [i for i, t in enumerate(folded) if lexicon.ending(t, "patronymic", script)]
    # Two words ending in -ovich are a given and a family name (Vadim Adamovich), not a patronymic.
    if not marks or len(tokens) < 3:
        return None
    at = marks[-1]
    if at == len(tokens) - 1:
        return PersonName(
            tokens[0],
            _join(tokens[1:]),
            rule="patronymic last: Family Given Patronymic",
        )
    if at == len(tokens) - 2:
        return PersonName(
            tokens[-1],
            _join(tokens[:-1]),
            rule="patronymic before the family name: Given Patronymic Family",
        )
    return None


def _capitals_split(tokens: list[str]) -> PersonName | None:
    """ "SMITH John" / "John SMITH": in a mixed-case name the run of words in capitals is the family name."""
    upper = [
        t.isupper() and sum(c.isalpha() for c in t) > 1 and not is_initial(t) for t in tokens
    ]  # "И.И." are initials
    if not any(upper) or not any(any(c.islower() for c in t) for t in tokens):
        return None
    count = sum(upper)
    lower_rest = [t for t, u in zip(tokens, upper) if not u]
    if not all(any(c.islower() for c in t) or is_initial(t) for t in lower_rest):
        return None
    if all(upper[:count]):
        return PersonName(
            _join(tokens[:count]),
            _join(tokens[count:]),
            rule="family name in capitals, first",
        )
    if all(upper[-count:]):
        return PersonName(
            _join(tokens[-count:]),
            _join(tokens[:-count]),
            rule="family name in capitals, last",
        )
    return None


def _particle_start(folded: list[str], lexicon: PersonLexicon, start: int) -> int | None:
    """Index of the first particle sequence ("van der", "de la") at or after ``start`` that a family name follows."""
    for index in range(start, len(folded) - 1):
        for size in (3, 2, 1):
            if index + size < len(folded) and tuple(folded[index : index + size]) in lexicon.particles:
                return index
    return None


def _order_by_lexicon(tokens: list[str], folded: list[str], lexicon: PersonLexicon) -> tuple[str, str]:
    """Given-first or family-first, by where the lexicons put the known given and family names."""
    if _particle_start(folded, lexicon, 1) is not None and any(t.islower() for t in tokens):
        return "given-first", "particle before the family name"
    # A particle is one only before a name: "YONKER BEN" ends with a given name.
    words = [
        f
        for i, (t, f) in enumerate(zip(tokens, folded))
        if not is_initial(t) and ((f,) not in lexicon.particles or i == len(tokens) - 1)
    ]
    # An initial after the names ("ADAMS CHRISTOPHER M") follows the given name in family-first listings;
    # initials first ("J. Smith") stand before the family name.
    if is_initial(tokens[-1]) and not is_initial(tokens[0]):
        return "family-first", "initial after the given names"
    if len(words) < 2:
        return "given-first", "initials before the family name" if is_initial(tokens[0]) else "default order"
    if (
        "-" in words[-1]
        and words[0] in lexicon.surnames
        and all(lexicon.is_syllabic(p) for p in words[-1].split("-") if p)
    ):
        return "family-first", "romanised CJK given name (Min-Su) after the family name"

    def weight(word: str, names: frozenset[str], others: frozenset[str]) -> int:
        """1 for a known word, 2 when the common lists know it in this kind only."""
        common, common_others = (
            (lexicon.common_given, lexicon.common_surnames)
            if names is lexicon.given
            else (lexicon.common_surnames, lexicon.common_given)
        )
        return (word in names) + (word in common and word not in common_others)

    capitals = "".join(tokens).isupper()
    if words[0] in lexicon.given and not capitals:
        # Mixed case keeps the Western order when the first word is a given name (John Aris).
        return "given-first", "given name first"
    given_first = (
        weight(words[0], lexicon.given, lexicon.surnames)
        + sum(w in lexicon.given for w in words[1:-1])
        + weight(words[-1], lexicon.surnames, lexicon.given)
    )
    # A romanised syllabic given name (MINSU, XIAOMING) counts as a given name only.
    family_first = weight(words[0], lexicon.surnames, lexicon.given) + (
        2
        if words[1] not in lexicon.surnames and lexicon.is_given_word(words[1])
        else weight(words[1], lexicon.given, lexicon.surnames)
    )
    # An initial first or between names ("John A. Smith") is a given-first name.
    if any(is_initial(t) for t in tokens[:-1]):
        given_first += 2
    if family_first > given_first:
        return "family-first", "given-name and surname lexicons: family first"
    if given_first > family_first or given_first and not capitals:
        return "given-first", "given-name and surname lexicons: given first"
    # Names in capitals come from listings (Derwent, PATSTAT, Lens) that put the family name first.
    if capitals:
        return (
            "family-first",
            "lexicons undecided: family first, as listings in capitals write it",
        )
    return "given-first", "default order: given first"


def _cyrillic_order(tokens: list[str], folded: list[str], lexicon: PersonLexicon) -> tuple[str, str]:
    """The order of a Cyrillic name without a patronymic: initials follow or precede the family
    name ("Иванов И.И.", "И.И. Иванов"); else the lexicons and family-name endings vote, family
    first when they are even, the order of Russian and Ukrainian registers ("Журавель Юлія").

    >>> from namecleaner.stages.name_type.lexicons import load_person_lexicon
    >>> _cyrillic_order(["Иванов", "И.И."], ["иванов", "и.и."], load_person_lexicon())[0]
    'family-first'
    """
    if all(is_initial(t) for t in tokens[1:]):
        return "family-first", "Cyrillic name: initials after the family name"
    if is_initial(tokens[0]):
        return "given-first", "Cyrillic name: initials before the family name"

    def vote(family: str, given: str) -> int:
        return (
            (family in lexicon.surnames)
            + bool(lexicon.ending(family, "surname", "Cyrl"))
            + (given in lexicon.given)
            - (family in lexicon.given and family not in lexicon.surnames)
        )

    family_first, given_first = vote(folded[0], folded[-1]), vote(folded[-1], folded[0])
    order = "given-first" if given_first > family_first else "family-first"
    return (
        order,
        f"Cyrillic name: {order} by the given-name and surname lexicons and family-name endings",
    )


def _split_ordered(
    tokens: list[str], folded: list[str], lexicon: PersonLexicon, order: str
) -> tuple[list[str], list[str]]:
    """(family, given) tokens for a known order, keeping particles with the family name."""
    if order == "family-first":
        cut = 0
        while cut < len(tokens) - 2 and (folded[cut],) in lexicon.particles:
            cut += 1
        return tokens[: cut + 1], tokens[cut + 1 :]
    particle = _particle_start(folded, lexicon, 1)
    if particle is not None:
        return tokens[particle:], tokens[:particle]
    if len(tokens) >= 4 and tokens[-2].islower() and folded[-2] in lexicon.conjunctions and not is_initial(tokens[-3]):
        return tokens[-3:], tokens[:-3]  # two family names joined: "Juan Velasquez y Garcia"
    # Middle names are given names, also when they are family names elsewhere (Vivian Gore Allen).
    return tokens[-1:], tokens[:-1]


def split_person(
    text: str,
    lexicon: PersonLexicon,
    convention: SplitConvention = SplitConvention(),
    country: str | None = None,
) -> PersonName:
    """Split a person's name; the ``rule`` of the result says which evidence decided the order.

    >>> from namecleaner.stages.name_type.lexicons import load_person_lexicon
    >>> lex = load_person_lexicon()
    >>> split_person("SMITH, John A.", lex)
    PersonName(family='SMITH', given='John A.', prefix=None, suffix=None, rule="'FAMILY, Given' comma")
    >>> split_person("Prof. Dr. Ludwig van Beethoven Jr.", lex)
    PersonName(family='van Beethoven', given='Ludwig', prefix='Prof. Dr.', suffix='Jr.', rule='particle before the family name')
    """
    prefix: list[str] = []
    suffix: list[str] = []
    parts = [part.strip() for part in without_asides(text).strip().strip(",;").split(",") if part.strip()]

    # "ADAMS, JR., Daniel M.", "SMITH, John, III", "John Doe, CLU, CFP", "ANDERSON, DECEASED, William G.".
    def is_suffix(index: int, part: str) -> bool:
        if index >= 2 and _ROMAN_NUMERAL.fullmatch(part):
            return True
        words = part.split()
        if _initials_not_suffix(part):
            return False
        return (
            bool(words)
            and (affix_key(part) in lexicon.suffixes or all(affix_key(w) in lexicon.suffixes for w in words))
            and not (len(words) > 1 and all(len(w.rstrip(".")) == 1 for w in words))
        )

    names: list[str] = []
    segments: list[tuple[str, bool]] = [
        (part, index > 0 and is_suffix(index, part)) for index, part in enumerate(parts)
    ]
    for part, is_a_suffix in segments:
        if not is_a_suffix:
            names.append(part)
    if len(names) >= 2:
        family_tokens = given_tokens = []
        for index, (part, is_a_suffix) in enumerate(segments):
            if is_a_suffix:
                suffix.append(part)
            elif index == 0:
                family_tokens = _take_affixes(part.split(), lexicon, prefix, suffix)
            elif part is names[1]:
                given_tokens = _take_affixes(" ".join(names[1:]).split(), lexicon, prefix, suffix)
        return _person(family_tokens, given_tokens, prefix, suffix, "'FAMILY, Given' comma")
    parts = names
    trailing = [part for part, is_a_suffix in segments if is_a_suffix]
    tokens = _take_affixes(parts[0].split() if parts else [], lexicon, prefix, suffix)
    if (
        len(tokens) >= 3
        and _ROMAN_NUMERAL.fullmatch(tokens[-1].upper())
        and not is_initial(tokens[-2])
        and not "".join(tokens).isupper()
    ):
        suffix.append(
            tokens.pop()
        )  # "Larry James Johnson I": a generation, not an initial (listings in capitals put initials last)
    suffix.extend(trailing)
    if not tokens:
        return PersonName(None, None, _join(prefix), _join(suffix), "empty")
    script = dominant_script(" ".join(tokens)) or "Zyyy"
    if len(tokens) == 1:
        if script in _NO_SPACE_SCRIPTS or script == "Hang":
            family, given, rule = split_cjk(tokens[0], lexicon)
            return _person([family], [given], prefix, suffix, rule)
        if prefix and affix_key(prefix[-1]) in lexicon.given_titles and lexicon_key(tokens[0]) in lexicon.given:
            return _person(
                [],
                tokens,
                prefix,
                suffix,
                "a title used with the given name (Sir Gerald)",
            )
        return _person(tokens, [], prefix, suffix, "one word: family name only")
    folded = [lexicon_key(t) for t in tokens]
    if script in FAMILY_FIRST_SCRIPTS:
        return _person(tokens[:1], tokens[1:], prefix, suffix, f"family first ({script} script)")
    patronymic = _patronymic_split(tokens, lexicon, script)
    if patronymic:
        return _person(
            [patronymic.family] if patronymic.family else [],
            [patronymic.given or ""],
            prefix,
            suffix,
            patronymic.rule,
        )
    if convention.order != "auto":
        order, rule = convention.order, f"office convention: {convention.order}"
    elif country and country.upper() in convention.family_first_countries:
        order, rule = "family-first", f"family first in {country.upper()}"
    else:
        capitals = _capitals_split(tokens) if convention.capitals_family else None
        if capitals:
            family_words = capitals.family.split() if capitals.family else []
            return _person(family_words, (capitals.given or "").split(), prefix, suffix, capitals.rule)
        if script == "Cyrl":
            order, rule = _cyrillic_order(tokens, folded, lexicon)
        elif (
            script == "Latn"
            and (country or "").upper() in convention.pinyin_family_first_countries
            and lexicon.is_pinyin_name(folded)
        ):
            # Pinyin keeps the Chinese order, family name first (GB/T 28039-2011): Li Na is Ms Li.
            order, rule = "family-first", f"romanised Chinese name in {str(country).upper()}: family first"
        else:
            order, rule = _order_by_lexicon(tokens, folded, lexicon)
    family_tokens, given_tokens = _split_ordered(tokens, folded, lexicon, order)
    return _person(family_tokens, given_tokens, prefix, suffix, rule)


def _person(family: list[str], given: list[str], prefix: list[str], suffix: list[str], rule: str) -> PersonName:
    return PersonName(
        _join(family),
        _join([g for g in given if g]),
        _join(prefix),
        _join(suffix),
        rule,
    )


#: The elements of ST.96 ``com:PersonStructuredName`` that a split fills, in schema order.
ST96_PERSON_ELEMENTS: tuple[str, ...] = (
    "NamePrefix",
    "FirstName",
    "MiddleName",
    "LastName",
    "NameSuffix",
)


def st96_person(
    family: str | None,
    given: str | None,
    prefix: str | None = None,
    suffix: str | None = None,
) -> dict[str, str | None]:
    """The split as the elements of ST.96 ``com:PersonStructuredName``.

    The first given name is ``FirstName``; further given names, initials and a patronymic
    are ``MiddleName``.

    >>> st96_person("Smith", "John Adam", "Dr.", "Jr.")
    {'NamePrefix': 'Dr.', 'FirstName': 'John', 'MiddleName': 'Adam', 'LastName': 'Smith', 'NameSuffix': 'Jr.'}
    """
    first, _, middle = (given or "").partition(" ")
    return dict(
        zip(
            ST96_PERSON_ELEMENTS,
            (prefix, first or None, middle or None, family, suffix),
        )
    )
