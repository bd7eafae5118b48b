"""Stage 4, name type and sector: person or organisation, the PATSTAT PSN sector, and person names split.

Each name gets ``name_type`` (person, organisation or unknown) and ``sector`` (company,
university, government, non-profit, hospital, individual or unknown), with a confidence and
the evidence that decided them, strongest first:

1. the legal form found by the legal-form stage, when it ran ("legal form GmbH");
2. institution keywords per language and script ("keyword 大学"), from
   ``data/name_type/institution_keywords.tsv``;
3. the shape of an organisation name: digits, "&", quotes, a single Latin word;
4. the shape of a person name: a title, "SURNAME, Given", a patronymic, a family name in
   capitals, a CJK name of 2–5 characters starting with a known family name, and words found
   in the given-name and surname lexicons.

Person names are then split by :func:`namecleaner.stages.name_type.person.split_person`;
:func:`to_st96` gives the ST.96 ``PersonStructuredName`` elements or the organisation's
``OrganizationStandardName``. Options, under ``[stages.name_type]`` of an office profile:
``person_order`` ("auto", "given-first", "family-first"), ``capitals_family`` (true: in a
mixed-case name the words in capitals are the family name), ``family_first_countries``
(countries whose Latin-script names put the family name first) and
``pinyin_family_first_countries`` (countries whose names in Hanyu Pinyin do: a name of pinyin
syllables opening with a Chinese family name, "Li Na", is split family first there).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from namecleaner.config import NameTypeOptions
from namecleaner.record import NameRecord
from namecleaner.stages.name_type.lexicons import (
    PersonLexicon,
    affix_key,
    best_sector,
    load_keywords,
    load_legal_form_sectors,
    load_person_lexicon,
    word_tokens,
)
from namecleaner.stages.name_type.person import (
    SplitConvention,
    is_initial,
    katakana_to_hiragana,
    split_person,
    st96_person,
)
from namecleaner.text.fold import lexicon_key
from namecleaner.text.scripts import char_script, dominant_script

if TYPE_CHECKING:  # the context is handed to build(); a stage never imports it at run time
    from namecleaner.context import Context

NAME = "name_type"
FIELDS = (
    "name_type",
    "sector",
    "family_name",
    "given_names",
    "name_prefix",
    "name_suffix",
    "name_type_confidence",
    "name_type_evidence",
)
# A legal form and the romanisation are evidence for the type.
REQUIRES: tuple[str, ...] = ("unicode", "transliterate", "legal_form")

PERSON, ORGANISATION, UNKNOWN = "person", "organisation", "unknown"
# With the ISO 15924 codes of the mixed writing systems a transliterate stage may report.
_CJK_SCRIPTS = frozenset({"Hani", "Hira", "Kana", "Hang", "Jpan", "Kore", "Hans", "Hant"})
_ORG_MARKS = re.compile(r"[&+@«»\"„“「」『』()/]|\d")
# Letters with inner hyphens, apostrophes and dots; a leading apostrophe writes the Arabic ʿayn ('Ali).
_NAME_TOKEN = re.compile(r"^'?[^\W\d_]+(?:['\-.][^\W\d_]*)*\.?$")


@dataclass(frozen=True)
class Decision:
    """A classification: name type, sector, confidence (0–1) and the evidence, strongest first."""

    name_type: str
    sector: str
    confidence: float
    evidence: tuple[str, ...]
    #: the labels of the tables the evidence came from (provenance names these, not every table consulted)
    tables: tuple[str, ...] = ()


def _organisation(sector: str | None, confidence: float, evidence: list[str], tables: tuple[str, ...]) -> Decision:
    if sector is None:
        sector = "company"
        evidence = [*evidence, "sector company by default for organisations"]
    return Decision(ORGANISATION, sector, confidence, tuple(evidence), tables)


def _is_name_token(token: str) -> bool:
    """A word that can be part of a person name: letters, inner hyphens, apostrophes and dots."""
    return bool(_NAME_TOKEN.match(token))


def _person_evidence(text: str, script: str | None, lexicon: PersonLexicon) -> tuple[float, list[str]]:
    """Confidence that ``text`` (no organisation evidence in it) is a person, and why."""
    head, comma, tail = text.partition(",")
    tokens = text.replace(",", " ").split()
    evidence: list[str] = []
    if not tokens or not all(_is_name_token(t) for t in tokens):
        return 0.0, evidence
    # A title stands first ("Dr. …"), or last in CJK ("김민수 박사") and in listings in capitals ("ERDOE SANDOR DR").
    title = (
        next((t for t in (tokens[0], tokens[-1]) if affix_key(t) in lexicon.titles), None) if len(tokens) > 2 else None
    )
    if title and (title == tokens[0] or not title.isascii() or text.isupper()):
        evidence.append(f"title {title}")
    if script in _CJK_SCRIPTS:
        return _cjk_person_evidence(text.replace(" ", ""), script, lexicon, evidence)
    folded = [lexicon_key(t) for t in tokens]
    # Particles, initials and suffixes say nothing about personhood: "de", "al", "J.", "III".
    words = [
        f
        for f in folded
        if len(f.strip(".")) > 1
        and (f,) not in lexicon.particles
        and (affix_key(f) not in lexicon.suffixes or f in lexicon.given)
    ]
    # The given names after the comma hold a word, not only initials or a legal form ("X, S.A.").
    given_words = [
        t for t in tail.split() if "." not in t.strip(".") and (len(t.strip(".")) > 2 or t.istitle() and len(t) == 2)
    ]
    if comma and head.split() and given_words and len(tokens) <= 10:
        evidence.append("'SURNAME, Given' shape")
    patronymic = next((f for f in folded if lexicon.ending(f, "patronymic", script or "")), None)
    if patronymic:
        evidence.append(f"patronymic {patronymic}")
    strong = bool(evidence)  # a title, the comma shape or a patronymic
    if not words or len(tokens) > 6:
        return (0.9 if strong else 0.0), evidence
    known = [w for w in words if lexicon.is_name_word(w) or lexicon.ending(w, "surname", script or "")]
    given = [w for w in known if lexicon.is_given_word(w)]
    share = len(known) / len(words)
    if known:
        evidence.append(
            f"person-name lexicon or family-name ending: {len(known)} of {len(words)} words ({', '.join(known[:3])})"
        )
    if strong:
        return (0.95 if known else 0.85), evidence
    if len(tokens) < 2:
        return 0.0, evidence
    # "John A. Smith", "J. Smith": initials before the family name.
    # Without a dot, a lone letter is an initial only in a mixed-case name ("OBSHCHESTVO S …" is not).
    initials = [t for t in tokens[:-1] if is_initial(t) and ("." in t or not text.isupper())]
    if initials and not is_initial(tokens[-1]) and len(tokens) <= 5:
        evidence.append("'Given I. Family' shape")
        return (0.9 if known else 0.7), evidence
    # "ADAMS CHRISTOPHER M": one initial after two or more names, the family-first listing of persons.
    if len(tokens[-1].strip(".")) == 1 and not is_initial(tokens[-2]) and len(words) >= 2 and not comma:
        evidence.append("'FAMILY Given I' shape")
        return (0.9 if known else 0.7), evidence
    # Half the words known, with a given name among them or of two words, or every word a known name.
    if share >= 0.5 and (given or len(words) == 2) or share == 1:
        return round(0.5 + 0.4 * share, 2), evidence
    # Every word a known name or spelt in Japanese morae (UETA KIICHIRO).
    romaji = [w for w in words if w not in known and lexicon.is_romaji(w)]
    if romaji and len(known) + len(romaji) == len(words):
        evidence.append(f"romanised Japanese name words ({', '.join(romaji[:3])})")
        return 0.6, evidence
    evidence.clear()  # too few name words to doubt an organisation
    return 0.0, evidence


def _cjk_person_evidence(
    word: str, script: str, lexicon: PersonLexicon, evidence: list[str]
) -> tuple[float, list[str]]:
    """A CJK person name: 2–5 characters (Hangul 2–4) starting with a known family name, maybe with a title after it."""
    title = next((t for t in lexicon.cjk_titles if word.endswith(t) and len(word) - len(t) >= 2), None)
    if title:
        evidence.append(f"title {title}")
        word = word[: -len(title)]
    if script in ("Kana", "Hira"):
        # Kana spell a name mora by mora; the lexicons hold the hiragana readings (やまだ たろう, ヤマダ タロウ).
        word = katakana_to_hiragana(word)
    longest = {"Hang": 4, "Kana": 8, "Hira": 8}.get(script, 5)
    if not 2 <= len(word) <= longest:
        return (0.8 if evidence else 0.0), evidence
    for cut in (3, 2, 1):
        if cut < len(word) and word[:cut] in lexicon.surnames:
            evidence.append(f"known family name {word[:cut]}")
            if word[cut:] in lexicon.given:
                evidence.append(f"known given name {word[cut:]}")
                return 0.9, evidence
            return (0.8 if len(word) <= 4 else 0.6), evidence
    return (0.8 if evidence else 0.0), evidence


def _legal_form_credible(record: NameRecord, text: str, lexicon: PersonLexicon) -> bool:
    """False when the legal form found is more likely part of a person's name.

    That is a span inside a word ("Sa'ad" read as а.д), a form among the given names of a
    "SURNAME, Given" name ("NAMAN, Sam" read as S.A.M., "AMANKWAH, Kwabena A. G."), or a word
    that is also a name after other names only ("LIU LI" read as Limited). The span is the legal
    form stage's ``legal_form_start`` and ``legal_form_end``; without them the form is believed.
    """
    start, end = record.legal_form_start, record.legal_form_end
    if start is None or end is None or not 0 <= start < end <= len(text):
        return True
    before, after = (text[start - 1] if start else " "), (text[end] if end < len(text) else " ")
    # Scripts written without spaces attach forms to the name (学校法人早稲田大学, 삼성전자주식회사).
    attached = char_script(before) in _CJK_SCRIPTS or char_script(after) in _CJK_SCRIPTS
    inside = not attached and (before.isalnum() or before in "'-" or after.isalnum() or after == "-")
    found = text[start:end]
    if inside or "," in text[:start] and _surname_comma_given(text, lexicon, known=False):
        return False
    if affix_key(found) in lexicon.suffixes and start > 0:
        return False  # a person's suffix ("Harry Brown, Sr.", Finnish sr) ends a person's name
    # A name word read as a form after other names only ("LIU LI", "PRAT QUINONES MARIA").
    core = (text[:start] + text[end:]).split()
    return not (
        lexicon.is_name_word(lexicon_key(found))
        and core
        and all(lexicon.is_name_word(lexicon_key(word)) for word in core)
    )


def _surname_comma_given(text: str, lexicon: PersonLexicon, known: bool = True) -> bool:
    """True for "BANK, Arthur": a family name of one or two words, a comma, and a given name
    (a known one, or with ``known`` false any word of three letters or more)."""
    head, comma, tail = text.partition(",")
    words = tail.split()
    if not (comma and 0 < len(head.split()) <= 2 and words and all(_is_name_token(w) for w in words)):
        return False
    if known:
        return any(lexicon.is_given_word(lexicon_key(w)) for w in words if not is_initial(w))
    return any(len(w) > 2 and "." not in w for w in words)


def classify(record: NameRecord, lexicon: PersonLexicon | None = None) -> Decision:
    """Decide the name type and sector of a record from its cleaned name and earlier stages' fields,
    with the tables the evidence came from.

    >>> d = classify(NameRecord("Universität Wien", name_clean="Universität Wien"))
    >>> d.name_type, d.sector, d.confidence, d.evidence, [t.split("@")[0] for t in d.tables]
    ('organisation', 'university', 0.9, ('keyword universitat',), ['namecleaner-institution-keywords'])
    >>> classify(NameRecord("x", name_clean="SMITH, John A.")).name_type
    'person'
    """
    lexicon = lexicon or load_person_lexicon()
    text = record.name_clean if record.name_clean is not None else record.original
    forms = [lexicon_key(text)]
    if record.name_latin and record.name_latin != text:
        forms.append(lexicon_key(record.name_latin))
    keywords = load_keywords()
    hits = list(dict.fromkeys(hit for form in forms for hit in keywords.find(form)))
    keyword_tables = (keywords.label,) if hits else ()
    keyword_sector = best_sector(hit.sector for hit in hits)
    # The keyword that gave the sector, then up to two of other sectors.
    deciding = [hit for hit in hits if hit.sector == keyword_sector][:1]
    keyword_evidence = [
        f"keyword {hit.keyword}" for hit in deciding + [h for h in hits if h.sector != keyword_sector][:2]
    ]
    if record.legal_form and _legal_form_credible(record, text, lexicon):
        sectors = load_legal_form_sectors()
        form_sector = sectors.get(record.legal_form_class)
        evidence = [f"legal form {record.legal_form}"] + keyword_evidence
        # A company form decides the sector (a university's company is a company); another class
        # yields to a more specific keyword (学校法人 … 大学 is a university, 医療法人 a hospital).
        sector = form_sector if form_sector == "company" else best_sector(s for s in (form_sector, keyword_sector) if s)
        return _organisation(sector, 0.97, evidence, (sectors.label, *keyword_tables))
    # A keyword that is the family name of "BANK, Arthur" does not make an organisation.
    if hits and not _surname_comma_given(text, lexicon):
        return _organisation(keyword_sector, 0.9, keyword_evidence, keyword_tables)
    # The script the name is written in (kana read mora by mora), not the transliteration's run
    # label: a kana name is the run "Jpan" there.
    script = dominant_script(text)
    marks = sorted(set(_ORG_MARKS.findall(text)))
    if marks:
        return _organisation(None, 0.8, [f"organisation marks {' '.join(marks)}"], ())
    # from here the person-name lexicons decide, by what they hold or lack
    confidence, evidence = _person_evidence(text, script, lexicon)
    if confidence >= 0.5:
        return Decision(PERSON, "individual", confidence, tuple(evidence), lexicon.labels)
    if len(text.split()) == 1 and script not in _CJK_SCRIPTS:
        return _organisation(None, 0.6, ["a single word, no person-name shape"], lexicon.labels)
    if len(word_tokens(forms[0])) > 6:
        return _organisation(None, 0.6, ["more words than a person name has"], lexicon.labels)
    if evidence:
        return Decision(UNKNOWN, UNKNOWN, 0.0, tuple(evidence), lexicon.labels)
    # Applicant lists hold more organisations than persons whose names no lexicon knows.
    return _organisation(None, 0.5, ["no person-name evidence"], lexicon.labels)


def _disbelieve_legal_form(record: NameRecord, text: str) -> None:
    """Undo a legal form that is part of a person's name ("Li Na" read as N.A., "Harry Brown, Sr."):
    the form fields are cleared and the core is the whole name again, so the key keeps every word."""
    record.add_step(
        NAME, "disbelieve_legal_form", f"legal form {record.legal_form} is part of a person's name", "", text
    )
    record.legal_form = record.legal_form_class = record.elf_code = record.legal_form_span = None
    record.legal_form_start = record.legal_form_end = None
    record.name_core = text
    record.name_core_latin = text if record.name_latin == text else record.name_latin


def to_st96(record: NameRecord) -> dict[str, str | None]:
    """The record's name under ST.96 element names: ``PersonStructuredName`` parts for a person,
    ``OrganizationStandardName`` otherwise.

    >>> r = NameRecord("x", name_type="person", family_name="Smith", given_names="John A.")
    >>> to_st96(r)["LastName"], to_st96(r)["MiddleName"]
    ('Smith', 'A.')
    >>> to_st96(NameRecord("ACME", name_clean="ACME", name_type="organisation"))
    {'OrganizationStandardName': 'ACME'}
    """
    if record.name_type == PERSON:
        return st96_person(record.family_name, record.given_names, record.name_prefix, record.name_suffix)
    return {"OrganizationStandardName": record.name_clean if record.name_clean is not None else record.original}


class NameTypeStage:
    """Fills the name type, sector, confidence and evidence, and the parts of a person's name."""

    name = NAME
    fields = FIELDS

    def __init__(self, convention: SplitConvention) -> None:
        self.convention = convention
        self.lexicon = load_person_lexicon()

    def __call__(self, record: NameRecord) -> None:
        text = record.name_clean if record.name_clean is not None else record.original
        if not text.strip():
            return  # a blank name has no type, as a missing one (NaN) has none
        decision = classify(record, self.lexicon)
        record.name_type, record.sector = decision.name_type, decision.sector
        record.name_type_confidence = decision.confidence
        record.name_type_evidence = "; ".join(decision.evidence)
        record.add_step(
            NAME,
            "classify",
            record.name_type_evidence,
            "; ".join(decision.tables),
            f"{decision.name_type} {decision.sector} {decision.confidence:.2f}",
        )
        if decision.name_type != PERSON:
            return
        if record.legal_form and not _legal_form_credible(record, text, self.lexicon):
            _disbelieve_legal_form(record, text)
        split = split_person(text, self.lexicon, self.convention, record.country)
        record.family_name, record.given_names = split.family, split.given
        record.name_prefix, record.name_suffix = split.prefix, split.suffix
        parts = {"family": split.family, "given": split.given, "prefix": split.prefix, "suffix": split.suffix}
        record.add_step(
            NAME, "split_person", split.rule, "", "; ".join(f"{key}={value}" for key, value in parts.items() if value)
        )


def build(context: Context, options: NameTypeOptions) -> NameTypeStage:
    """Build the stage from its options (see the module docstring; the configuration checked them)."""
    countries = frozenset(c.upper() for c in options.family_first_countries)
    pinyin = frozenset(c.upper() for c in options.pinyin_family_first_countries)
    return NameTypeStage(SplitConvention(options.person_order, options.capitals_family, countries, pinyin))
