"""Transliteration tables as data: reading, checking and the parsed form.

A table is a TOML file (or, for the simple spreadsheet form, a CSV of ``from,to,context``)
that an office can write without code; loading one never runs anything. The format is
documented in ``transliteration_tables/README.md``. :func:`load_table` checks the whole file
and raises :class:`~namecleaner.errors.DataFileError` listing every problem with its line.
Rules run as single left-to-right passes over the text, so no table can loop; the checks
also refuse empty ``from`` strings and absurd expansions.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import icu

from namecleaner.errors import DataFileError
from namecleaner.resources import read_data_text

if TYPE_CHECKING:  # the readers load their dictionaries' packages; imported when a table names one
    from namecleaner.translit.readers import Reader

#: ISO 24229-style id: authority-language-Script-Script[-system parts].
ID_PATTERN = re.compile(r"^[a-z0-9]+-[a-z]{3}-[A-Z][a-z]{3}-[A-Z][a-z]{3}(-[A-Za-z0-9.]+)*$")
SCRIPT_PATTERN = re.compile(r"^[A-Z][a-z]{3}$")
REQUIRED_KEYS = (
    "id",
    "title",
    "authority",
    "languages",
    "source_script",
    "target_script",
    "version",
    "source",
    "licence",
)
OPTIONAL_KEYS = (
    "offices",
    "url",
    "notes",
    "case",
    "normalize",
    "reader",
    "word_chars",
    "rules",
    "pass",
    "icu_rules",
    "examples",
    "classes",
)
CASES = ("auto", "upper", "lower", "title", "preserve")
NORMALIZATIONS = ("NFC", "NFD", "NFKC", "NFKD")
#: A Unicode normal form a table or pass may ask for (checked against NORMALIZATIONS when read).
NormalForm = Literal["NFC", "NFD", "NFKC", "NFKD"]
CONDITIONS = ("word_start", "word_end", "after", "not_after", "before", "not_before")
DEFAULT_WORD_CHARS = "'’ʼ"
#: A rule may not write more than this many characters: longer outputs are typing mistakes.
MAX_OUTPUT_CHARS = 32
_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|t|s|\\)")
_CLASS_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: Characters of a file's text quoted in a problem: enough to find it, never the file itself.
_SHOWN_CHARS = 24
_COLUMN_NAME = re.compile(r"^\w{1,20}$")


@dataclass(frozen=True, slots=True)
class Condition:
    """One context condition of a rule: ``kind`` from :data:`CONDITIONS`, ``chars`` its class."""

    kind: str
    chars: frozenset[str] | None = None
    letter_class: bool = False

    def member(self, char: str) -> bool:
        """True when ``char`` belongs to the condition's class."""
        if self.letter_class:
            return is_letter(char)
        return self.chars is not None and char in self.chars


@dataclass(frozen=True, slots=True)
class Rule:
    """``source`` becomes ``target`` where every condition holds; ``line`` is its file line."""

    source: str
    target: str
    conditions: tuple[Condition, ...] = ()
    context: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class Pass:
    """One left-to-right pass of rules, after an optional Unicode normalisation."""

    name: str
    rules: tuple[Rule, ...]
    normalize: NormalForm | None = None


@dataclass(frozen=True, slots=True)
class Example:
    """An authority's example: ``source`` must romanise to ``expected``."""

    source: str
    expected: str
    known_failure: str = ""
    line: int = 0


@dataclass(frozen=True, eq=False)
class Table:
    """A checked transliteration table."""

    path: Path
    metadata: Mapping[str, Any]
    passes: tuple[Pass, ...]
    examples: tuple[Example, ...]
    icu_rules: str = ""
    case: str = "auto"
    normalize: NormalForm | None = None
    reader: str | None = None
    word_chars: str = DEFAULT_WORD_CHARS

    @property
    def id(self) -> str:
        return str(self.metadata["id"])

    @property
    def label(self) -> str:
        """``id@version``, the form recorded in provenance steps."""
        return f"{self.id}@{self.metadata['version']}"

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self.metadata.get("languages", ()))

    @property
    def offices(self) -> tuple[str, ...]:
        return tuple(self.metadata.get("offices", ()))


def is_letter(char: str) -> bool:
    """Letters and combining marks, the characters words are made of.

    >>> is_letter("щ"), is_letter("\\u0301"), is_letter("-")
    (True, True, False)
    """
    return char.isalpha() or unicodedata.category(char).startswith("M")


def unescape(text: str) -> str:
    r"""Decode the escapes a rule cell may use: ``\uXXXX``, ``\UXXXXXXXX``, ``\t``, ``\s`` (space), ``\\``.

    A ``ValueError`` says which escape is no character (a surrogate, or beyond U+10FFFF).

    >>> unescape(r"\u0027a\sb")
    "'a b"
    >>> unescape(r"\uD800")
    Traceback (most recent call last):
    ValueError: \uD800 is a surrogate, not a character
    """

    def decode(match: re.Match[str]) -> str:
        code = match.group(1)
        if code in ("t", "s", "\\"):
            return {"t": "\t", "s": " ", "\\": "\\"}[code]
        point = int(code[1:], 16)
        if 0xD800 <= point <= 0xDFFF:
            raise ValueError(f"\\{code} is a surrogate, not a character")
        if point > 0x10FFFF:
            raise ValueError(f"\\{code} is beyond U+10FFFF, the last code point")
        return chr(point)

    return _ESCAPE.sub(decode, text)


def _unescaped(text: str, where: str, problems: list[str]) -> str:
    """:func:`unescape`, a bad escape appended to ``problems`` (the text then stays as written)."""
    try:
        return unescape(text)
    except ValueError as error:
        problems.append(f"{where}: {error}")
        return text


def _header_shown(cells: list[str]) -> str:
    """A header row as quoted in a problem: its cells if they look like column names, else only their number.

    >>> _header_shown(["source", "target"]), _header_shown(["root:x:0:0:root:/root:/bin/bash"])
    ('source,target', '1 cell that is not a column name')
    """
    if len(cells) <= 4 and all(_COLUMN_NAME.match(cell) for cell in cells):
        return ",".join(cells)
    return (
        f"{len(cells)} cell{'s' if len(cells) > 1 else ''} that {'are' if len(cells) > 1 else 'is'} not a column name"
    )


def _shown(value: Any) -> str:
    """A value of the file as quoted in a problem: short, one line.

    >>> _shown("x" * 40), _shown(["a"])
    ("'xxxxxxxxxxxxxxxxxxxxxxxx…'", "['a']")
    """
    text = value if isinstance(value, str) else repr(value)
    text = text.splitlines()[0] if text.strip() else text
    return (
        repr(text[:_SHOWN_CHARS] + "…") if len(text) > _SHOWN_CHARS else repr(text) if isinstance(value, str) else text
    )


def readers() -> Mapping[str, Reader]:
    """The built-in readers a table may name with ``reader = "..."`` (Japanese, Chinese …)."""
    from namecleaner.translit.readers import READERS

    return READERS


# --- parsing ------------------------------------------------------------------------------


def parse_context(
    text: str, classes: Mapping[str, frozenset[str]], where: str, problems: list[str]
) -> tuple[Condition, ...]:
    """Parse a context cell (``word_start before:@vowel``) into conditions; problems are appended."""
    conditions = []
    for token in text.split():
        kind, sep, value = token.partition(":")
        if kind not in CONDITIONS:
            problems.append(f"{where}: unknown context {_shown(token)} (use {', '.join(CONDITIONS)})")
            continue
        if kind in ("word_start", "word_end"):
            if sep:
                problems.append(f"{where}: '{kind}' takes no value")
            conditions.append(Condition(kind))
            continue
        if not value:
            problems.append(f"{where}: '{kind}:' needs a class, e.g. {kind}:aeiou or {kind}:@vowel")
            continue
        if value.startswith("@"):
            name = value[1:]
            if name == "letter":
                conditions.append(Condition(kind, letter_class=True))
            elif name in classes:
                conditions.append(Condition(kind, classes[name]))
            else:
                problems.append(f"{where}: unknown class {_shown('@' + name)} (define it under [classes])")
            continue
        conditions.append(Condition(kind, frozenset(_unescaped(value, where, problems))))
    return tuple(conditions)


def parse_rules(
    lines: list[tuple[int, list[str]]],
    classes: Mapping[str, frozenset[str]],
    case: str,
    problems: list[str],
) -> tuple[Rule, ...]:
    """Check rule rows ``(line, [from, to, context])`` and build the rules."""
    rules: list[Rule] = []
    seen: dict[tuple[str, str], int] = {}
    for line, cells in lines:
        where = f"line {line}"
        if len(cells) > 3:
            problems.append(f"{where}: {len(cells)} cells, expected from, to (empty drops the letter) and a context")
            continue
        known = len(problems)
        source = _unescaped(cells[0].strip(), where, problems)
        target = _unescaped(cells[1].strip(), where, problems) if len(cells) > 1 else ""
        if len(problems) > known:
            continue
        context = " ".join(cells[2].split()) if len(cells) == 3 else ""
        if not source:
            problems.append(f"{where}: empty 'from' (a rule must consume at least one character)")
            continue
        if len(target) > MAX_OUTPUT_CHARS:
            problems.append(f"{where}: 'to' has {len(target)} characters (at most {MAX_OUTPUT_CHARS})")
        if case == "auto" and source != lower_aligned(source):
            problems.append(f"{where}: write 'from' in lower case: with case = \"auto\" capitals follow the source")
        conditions = parse_context(context, classes, where, problems)
        key = (source, " ".join(sorted(context.split())))
        if key in seen:
            problems.append(f"{where}: same 'from' and context as line {seen[key]}, so it can never fire")
        seen.setdefault(key, line)
        rules.append(Rule(source, target, conditions, context, line))
    return tuple(rules)


def lower_aligned(text: str) -> str:
    """Lower-case character by character, keeping positions (İ stays as it is).

    >>> lower_aligned("ЩУКИН İ")
    'щукин İ'
    """
    low = text.lower()
    if len(low) == len(text):  # lower() only ever lengthens (İ), so equal length means aligned
        return low
    return "".join(low if len(low := char.lower()) == 1 else char for char in text)


def _block_lines(text: str, start_line: int) -> list[tuple[int, list[str]]]:
    """TSV lines of a block, without comments and blank lines, with their file line numbers."""
    rows = []
    for offset, line in enumerate(text.split("\n")):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        rows.append((start_line + offset, line.split("\t")))
    return rows


def _key_lines(raw: str, key: str) -> list[int]:
    """File lines where each multi-line string value of ``key`` starts its content."""
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=\s*('''|\"\"\")(.*)$")
    found = []
    for number, line in enumerate(raw.split("\n"), start=1):
        match = pattern.match(line)
        if match:
            found.append(number if match.group(2).strip() else number + 1)
    return found


def _parse_examples(lines: list[tuple[int, list[str]]], problems: list[str]) -> tuple[Example, ...]:
    examples = []
    for line, cells in lines:
        if len(cells) not in (2, 3):
            problems.append(
                f"line {line}: example has {len(cells)} cells, expected source, expected and an optional 'known_failure: why'"
            )
            continue
        note = cells[2].strip() if len(cells) == 3 else ""
        if note and not note.startswith("known_failure:"):
            problems.append(f"line {line}: third cell of an example must be 'known_failure: <why>'")
        reason = note.removeprefix("known_failure:").strip()
        if note and not reason:
            problems.append(f"line {line}: a known failure needs its reason")
        where = f"line {line}"
        source, expected = (_unescaped(cell.strip(), where, problems) for cell in cells[:2])
        examples.append(Example(source, expected, reason, line))
    return tuple(examples)


def _check_metadata(data: Mapping[str, Any], path: Path, problems: list[str]) -> None:
    problems += [f"missing key '{key}'" for key in REQUIRED_KEYS if key not in data]
    problems += [
        f"unknown key {_shown(key)} (the keys are {', '.join(REQUIRED_KEYS + OPTIONAL_KEYS)})"
        for key in data
        if key not in REQUIRED_KEYS + OPTIONAL_KEYS
    ]
    table_id = str(data.get("id", ""))
    if "id" in data and not ID_PATTERN.match(table_id):
        problems.append(
            f"id {_shown(table_id)} is not in the ISO 24229 style authority-lang-Script-Script[-system], e.g. gost-rus-Cyrl-Latn-7.79-2000"
        )
    if "id" in data and path.stem != table_id:
        problems.append(f"the file must be named after its id: {_shown(table_id)[1:-1]}{path.suffix}")
    for key in ("source_script", "target_script"):
        if key in data and not SCRIPT_PATTERN.match(str(data[key])):
            problems.append(f"'{key}' must be an ISO 15924 code such as Cyrl or Latn, not {_shown(data[key])}")
    for key in ("languages", "offices"):
        if key in data and (not isinstance(data[key], list) or not all(isinstance(v, str) and v for v in data[key])):
            problems.append(f"'{key}' must be a list of codes")
    for key in ("title", "authority", "version", "source", "licence"):
        if key in data and (not isinstance(data[key], str) or not data[key].strip()):
            problems.append(f"'{key}' must be a non-empty string")
    if data.get("case", "auto") not in CASES:
        problems.append(f"case {_shown(data['case'])} is not one of {', '.join(CASES)}")
    if data.get("normalize") is not None and data["normalize"] not in NORMALIZATIONS:
        problems.append(f"normalize {_shown(data['normalize'])} is not one of {', '.join(NORMALIZATIONS)}")
    if data.get("reader") is not None:
        known = readers()
        if not isinstance(data["reader"], str) or data["reader"] not in known:
            problems.append(
                f"unknown reader {_shown(data['reader'])} (the built-in readers are {', '.join(sorted(known)) or 'none'})"
            )


def _classes(raw: Any, problems: list[str]) -> dict[str, frozenset[str]]:
    if not isinstance(raw, dict):
        problems.append('[classes] must be a table of name = "characters"')
        return {}
    classes = {}
    for name, chars in raw.items():
        if not _CLASS_NAME.match(name) or name == "letter":
            problems.append(f"class name {_shown(name)} must be a word other than the built-in 'letter'")
        elif not isinstance(chars, str) or not unescape_ok(chars):
            problems.append(f"class '{name}' must be a non-empty string of characters")
        else:
            classes[name] = frozenset(unescape(chars))
    return classes


def unescape_ok(text: str) -> bool:
    r"""True when ``text`` unescapes to at least one character.

    >>> unescape_ok("ae"), unescape_ok(r"\ud800"), unescape_ok("")
    (True, False, False)
    """
    try:
        return bool(unescape(text))
    except ValueError:
        return False


def _check_icu(rules: str, problems: list[str]) -> None:
    try:
        icu.Transliterator.createFromRules("namecleaner-check", rules, icu.UTransDirection.FORWARD)
    except icu.ICUError as error:
        problems.append(f"icu_rules do not compile: {error}")


def load_toml_table(path: Path) -> Table:
    """Read and check a TOML table."""
    raw = read_data_text(path)
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as error:
        raise DataFileError(path, [str(error)]) from None
    except RecursionError:
        raise DataFileError(path, ["arrays or tables nest too deeply to read"]) from None
    problems: list[str] = []
    _check_metadata(data, path, problems)
    case = data.get("case", "auto")
    classes = _classes(data.get("classes", {}), problems)
    rule_lines = iter(_key_lines(raw, "rules"))
    passes = []
    blocks: list[tuple[str, Any, Any]] = []
    if "rules" in data:
        blocks.append(("main", data["rules"], None))
    pass_list = data.get("pass", [])
    if not isinstance(pass_list, list):
        problems.append("'pass' must be written as [[pass]] sections")
        pass_list = []
    for number, section in enumerate(pass_list, start=1):
        if not isinstance(section, dict):
            problems.append(
                f"[[pass]] {number}: must be a [[pass]] section with name, rules and normalize, not {_shown(section)}"
            )
            continue
        unknown = set(section) - {"name", "rules", "normalize"}
        if unknown:
            problems.append(
                f"[[pass]] {number}: unknown key(s) {', '.join(sorted(unknown))} (use name, rules, normalize)"
            )
        if section.get("normalize") is not None and section["normalize"] not in NORMALIZATIONS:
            problems.append(
                f"[[pass]] {number}: normalize {_shown(section['normalize'])} is not one of {', '.join(NORMALIZATIONS)}"
            )
        blocks.append(
            (
                str(section.get("name", f"pass {number}")),
                section.get("rules", ""),
                section.get("normalize"),
            )
        )
    for name, text, normalize in blocks:
        if not isinstance(text, str):
            problems.append(f"rules of {name} must be a multi-line string ('''...''')")
            continue
        start = next(rule_lines, 1)
        passes.append(
            Pass(
                name,
                parse_rules(_block_lines(text, start), classes, case, problems),
                normalize,
            )
        )
    icu_rules = data.get("icu_rules", "")
    for key in ("icu_rules", "examples", "word_chars"):
        if not isinstance(data.get(key, ""), str):
            problems.append(f"'{key}' must be a string (a multi-line literal string for several lines)")
    if icu_rules and isinstance(icu_rules, str):
        _check_icu(icu_rules, problems)
    if not passes and not icu_rules and not data.get("reader"):
        problems.append("the table has no rules: give 'rules', [[pass]] sections or 'icu_rules'")
    examples_text = data.get("examples", "")
    example_start = next(iter(_key_lines(raw, "examples")), 1)
    examples = (
        _parse_examples(_block_lines(examples_text, example_start), problems) if isinstance(examples_text, str) else ()
    )
    if problems:
        raise DataFileError(path, problems)
    return Table(
        path=path,
        metadata={k: v for k, v in data.items() if k not in ("rules", "pass", "examples", "icu_rules", "classes")},
        passes=tuple(passes),
        examples=examples,
        icu_rules=icu_rules,
        case=case,
        normalize=data.get("normalize"),
        reader=data.get("reader"),
        word_chars=data.get("word_chars", DEFAULT_WORD_CHARS),
    )


_LIST_KEYS = ("languages", "offices")


def load_csv_table(path: Path) -> Table:
    """Read and check the spreadsheet form: ``# key: value`` rows, a ``from,to,context`` header, rules.

    Metadata rows start with ``#``: ``# id: ...``, ``# languages: uk``, ``# class vowel: aeiou``,
    ``# example: Київ -> Kyiv`` (repeatable). Lists are comma-separated.
    """
    problems: list[str] = []
    data: dict[str, Any] = {}
    class_chars: dict[str, str] = {}
    example_rows: list[tuple[int, list[str]]] = []
    rule_rows: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    reader = csv.reader(io.StringIO(read_data_text(path), newline=""))
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise DataFileError(path, [f"line {reader.line_num}: {error}"]) from None
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if cells[0].lstrip().startswith("#"):
            key, sep, value = ",".join(cells).lstrip()[1:].rstrip(",").partition(":")
            key, value = key.strip(), value.strip()
            if not sep:
                continue
            if key.startswith("class "):
                class_chars[key[6:].strip()] = value
            elif key == "example":
                source, arrow, expected = value.partition("->")
                if not arrow:
                    problems.append(f"line {line}: write an example as 'source -> expected'")
                example_rows.append((line, [source, expected]))
            elif key in _LIST_KEYS:
                data[key] = [v.strip() for v in value.split(",") if v.strip()]
            else:
                data[key] = value
            continue
        if header is None:
            header = [cell.strip().lower() for cell in cells]
            if header[:2] != ["from", "to"] or header[2:] not in ([], ["context"]):
                problems.append(f"line {line}: the header must be from,to,context (found {_header_shown(header)})")
            continue
        rule_rows.append(
            (
                line,
                cells[:3] if len(cells) > 3 and not any(c.strip() for c in cells[3:]) else cells,
            )
        )
    if header is None:
        problems.append("no from,to,context header row")
    _check_metadata(data, path, problems)
    case = data.get("case", "auto")
    classes = _classes(class_chars, problems)
    rules = parse_rules(rule_rows, classes, case, problems)
    examples = _parse_examples(example_rows, problems)
    if not rules:
        problems.append("the table has no rules")
    if problems:
        raise DataFileError(path, problems)
    return Table(
        path,
        data,
        (Pass("main", rules),),
        examples,
        case=case,
        normalize=data.get("normalize"),
        reader=data.get("reader"),
        word_chars=data.get("word_chars", DEFAULT_WORD_CHARS),
    )


def load_table(path: Path | str) -> Table:
    """Read and check a table file (``.toml`` or ``.csv``)."""
    path = Path(path)
    if path.suffix == ".toml":
        return load_toml_table(path)
    if path.suffix == ".csv":
        return load_csv_table(path)
    raise DataFileError(path, ["a transliteration table is a .toml or .csv file"])
