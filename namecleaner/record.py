"""The name record that every stage reads and fills, and its provenance steps.

A record keeps the original value untouched. Stages fill the other fields and append a
:class:`Step` for each change they make, so the list of steps is the record's provenance.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields

#: Public output columns, in contract order. A column appears in output only when a stage
#: of the running pipeline fills it; ``steps`` always closes the block.
OUTPUT_COLUMNS: tuple[str, ...] = (
    "name_clean",
    "name_match",
    "script",
    "language",
    "name_latin",
    "translit_table",
    "translit_reliability",
    "legal_form",
    "legal_form_class",
    "elf_code",
    "name_core",
    "name_type",
    "sector",
    "family_name",
    "given_names",
    "match_key",
    "cluster_id",
    "cluster_name",
    "steps",
)


#: The most characters of a name the stages read. Real names are far shorter, and the cost of
#: a stage may grow with the length: one 5 MB field must not stall a run of millions. The
#: pipeline cuts the name it hands the stages and the Unicode stage its display form (which
#: an expansion may lengthen); the original is kept whole, and a step says the name was cut.
MAX_NAME_CHARS = 1000


@dataclass(frozen=True, slots=True)
class Step:
    """One change a stage made to a record.

    ``rule`` names the rule, function or library that fired; ``table`` the data table and its
    version when one was used; ``result`` the value the step produced.
    """

    stage: str
    step: str
    rule: str = ""
    table: str = ""
    result: str = ""

    def to_dict(self) -> dict[str, str]:
        """The step as a dict without empty fields.

        >>> Step("unicode", "decode_html_entities", "html.unescape", result="AT&T").to_dict()
        {'stage': 'unicode', 'step': 'decode_html_entities', 'rule': 'html.unescape', 'result': 'AT&T'}
        """
        return {name: value for name in _STEP_FIELDS if (value := getattr(self, name))}


# read once: dataclasses.fields() per step was a twentieth of the cleaning time
_STEP_FIELDS = tuple(f.name for f in fields(Step))
# one encoder: json.dumps with an option builds a new one per call
_STEPS_JSON = json.JSONEncoder(ensure_ascii=False).encode


@dataclass(slots=True)
class NameRecord:
    """A name on its way through the pipeline.

    ``original`` is the input value and is never modified. ``country`` is optional row context
    (an ISO 3166 code) that stages may use to resolve ambiguities.
    """

    original: str
    country: str | None = None
    name_clean: str | None = None
    name_match: str | None = None
    script: str | None = None
    language: str | None = None
    name_latin: str | None = None
    translit_table: str | None = None
    translit_reliability: str | None = None
    legal_form: str | None = None
    legal_form_code: str | None = None
    legal_form_class: str | None = None
    elf_code: str | None = None
    legal_form_span: str | None = None
    #: Where the legal form stands, as offsets into ``name_clean`` (or into ``name_latin`` when it
    #: was found only there): what a later stage reads, never the display text of the span.
    legal_form_start: int | None = None
    legal_form_end: int | None = None
    name_core: str | None = None
    name_type: str | None = None
    sector: str | None = None
    family_name: str | None = None
    given_names: str | None = None
    name_prefix: str | None = None
    name_suffix: str | None = None
    match_key: str | None = None
    cluster_id: str | None = None
    cluster_name: str | None = None
    steps: list[Step] = field(default_factory=list)
    name_type_confidence: float | None = None
    name_type_evidence: str | None = None
    name_core_latin: str | None = None
    name_place: str | None = None

    def add_step(self, stage: str, step: str, rule: str = "", table: str = "", result: str = "") -> None:
        """Append a provenance step."""
        self.steps.append(Step(stage, step, rule, table, result))

    def steps_json(self) -> str:
        """The provenance as JSON text, the form written to files.

        >>> r = NameRecord("AT&amp;T")
        >>> r.add_step("unicode", "decode_html_entities", "html.unescape", result="AT&T")
        >>> r.steps_json()
        '[{"stage": "unicode", "step": "decode_html_entities", "rule": "html.unescape", "result": "AT&T"}]'
        """
        return _STEPS_JSON([s.to_dict() for s in self.steps])

    def value(self, column: str) -> str | None:
        """The value of an output column (``steps`` as JSON text)."""
        return self.steps_json() if column == "steps" else getattr(self, column)


_NUMERIC_DTYPES = {"float": "Float64", "int": "Int64"}


def column_dtype(column: str) -> str:
    """The pandas dtype of an output column, from the record field's type: text is ``string``.

    >>> column_dtype("name_clean"), column_dtype("name_type_confidence"), column_dtype("steps")
    ('string', 'Float64', 'string')
    """
    annotation = NameRecord.__annotations__.get(column, "str")
    return _NUMERIC_DTYPES.get(str(annotation).split(" |")[0], "string")


def parse_steps(text: str) -> list[Step]:
    """Read provenance steps back from their JSON text.

    >>> parse_steps('[{"stage": "unicode", "step": "collapse_whitespace", "result": "A B"}]')
    [Step(stage='unicode', step='collapse_whitespace', rule='', table='', result='A B')]
    """
    return [Step(**item) for item in json.loads(text)]
