"""Tests of the legal-form stage: golden cases in every position and script, brand guards, countries."""

from __future__ import annotations

import tomllib

import pytest
from conftest import golden_cases

import namecleaner
from namecleaner.config import Config
from namecleaner.context import Context
from namecleaner.errors import DataFileError, NameCleanerError
from namecleaner.pipeline import build_pipeline
from namecleaner.stages import legal_form
from namecleaner.stages.legal_form import key_text, load_legal_forms, source_span

PIPELINES = {office: build_pipeline(office, stages=("legal_form",)) for office in (None, "JP")}


def _run(case: dict):
    return PIPELINES[case.get("office")].run(case["original"], case.get("country"))


@pytest.mark.parametrize("case", golden_cases("legal_form"))
def test_golden_case(case: dict) -> None:
    record = _run(case)
    assert record.legal_form == case["legal_form"]
    assert record.legal_form_code == case.get("legal_form_code")
    assert record.name_core == case["name_core"]
    assert record.name_place == case.get("name_place")
    if case["legal_form"] is None:
        assert record.legal_form_span is None and not [
            s for s in record.steps if s.stage == "legal_form" and s.step.startswith("split")
        ]
        return
    assert record.legal_form_class == case["legal_form_class"]
    assert record.elf_code == case["elf_code"]
    position, offsets, text = record.legal_form_span.split(" ", 2)
    assert (position, text) == (case["position"], case["span_text"])
    start, end = map(int, offsets.strip("[]").split(":"))
    assert record.name_clean[start:end] == text
    (split,) = [s for s in record.steps if s.step.startswith("split_")]
    assert split.stage == "legal_form" and split.result == case["legal_form"] and split.table.startswith("legal_forms@")
    if case.get("source"):
        assert case["source"] in split.rule.split("sources: ")[1]


@pytest.mark.parametrize(
    "name, country, core_latin, key",
    [
        ("АО «Лаборатория Касперского»", "RU", "Laboratoriya Kasperskogo", "laboratoriya kasperskogo"),
        ('טבע תעשיות פרמצבטיות בע"מ', "IL", "TV TSYVT FRMTZVTYVT", "tv tsyvt frmtzvtyvt"),
    ],
)
def test_a_form_in_another_script_leaves_the_romanised_core_and_the_key(name, country, core_latin, key) -> None:
    """The form found in Cyrillic or Hebrew is cut from the romanisation word for word (AO, V"M are no Latin aliases)."""
    frame = namecleaner.clean([name], country=[country])
    assert (frame.at[0, "name_core_latin"], frame.at[0, "match_key"]) == (core_latin, key)


def test_brand_guard_list_has_zero_false_strips() -> None:
    """Every brand of the rules file keeps its form, in upper and lower case and full width."""
    rules = legal_form.data_path("legal_forms", "rules.toml").read_text(encoding="utf-8")
    brands = tomllib.loads(rules)["brand_guards"]["names"]
    forms = load_legal_forms()
    for brand in brands:
        for variant in (brand, brand.upper(), brand.lower()):
            assert forms.detect(variant) is None, variant


@pytest.mark.parametrize("name", ["Ltd.", "株式会社", "(株)", "ООО", "GmbH & Co. KG", "S.A.", "Co., Ltd.", "«ООО»"])
def test_a_name_is_never_emptied(name: str) -> None:
    record = PIPELINES[None].run(name)
    assert record.legal_form is None and record.name_core == record.name_clean


def test_country_column_beats_office_and_office_beats_nothing() -> None:
    pipeline = PIPELINES["JP"]
    assert pipeline.run("Samsung Co., Ltd.", "KR").elf_code == "5RCH"
    assert pipeline.run("Samsung Co., Ltd.").elf_code == "T417"
    assert PIPELINES[None].run("Samsung Co., Ltd.").elf_code is None
    # One display spelling and code whatever the country.
    assert {
        (r.legal_form, r.legal_form_code)
        for r in (pipeline.run("Samsung Co., Ltd.", "KR"), PIPELINES[None].run("Samsung Co., Ltd."))
    } == {("Co., Ltd.", "CO LTD")}


@pytest.mark.parametrize(
    "name, country, display, code",
    [
        ("Novartis AG", "CH", "AG", "AG"),  # not the English gloss PLC of the Swiss row
        ("Apple Inc.", "US", "Inc.", "INC"),
        ("Apple Inc.", None, "Inc.", "INC"),
        ("Foo Corp.", "US", "Corp.", "CORP"),
        ("Foo Corp.", "CN", "Corp.", "CORP"),
        ("Pirelli Tyre S.p.A.", "IT", "S.p.A.", "SPA"),
        ("Pirelli Tyre S.p.A.", None, "S.p.A.", "SPA"),
        ("OOO Yandex", None, "OOO", "OOO"),  # Latin name, Latin display
        ("ООО «Яндекс»", None, "ООО", "OOO"),  # Cyrillic display, the same code
        ("トヨタ自動車株式会社", "JP", "株式会社", "KK"),
    ],
)
def test_one_display_spelling_in_the_script_of_the_name_and_a_stable_ascii_code(name, country, display, code) -> None:
    record = PIPELINES[None].run(name, country)
    assert (record.legal_form, record.legal_form_code) == (display, code)


def test_a_swiss_ag_is_a_company_limited_by_shares() -> None:
    record = PIPELINES[None].run("Novartis AG", "CH")
    assert (record.legal_form_class, record.elf_code) == ("JSC", "MVII")


def test_country_decides_the_elf_code_of_a_shared_abbreviation() -> None:
    forms = load_legal_forms()
    assert forms.detect("Acme GmbH").resolution.elf_code == ""
    assert forms.detect("Acme GmbH", ("DE",)).resolution.elf_code == "2HBR"
    assert forms.detect("Acme GmbH", ("AT",)).resolution.elf_code == "AXSB"


def test_step_names_rule_country_and_sources() -> None:
    record = PIPELINES[None].run("Toyota Motor Co., Ltd.", "JP")
    (step,) = record.steps
    assert step.step == "split_suffix"
    assert step.rule == "suffix: longest alias 'co ltd' (sources: additions rigour fingerprints); country JP"


def test_longest_alias_wins() -> None:
    forms = load_legal_forms()
    assert forms.detect("Acme GmbH & Co. KG").resolution.form.abbreviation == "GmbH & Co. KG"
    assert forms.detect("Acme Public Limited Company").resolution.form.abbreviation == "PLC"


def _with_latin(name: str, latin: str) -> legal_form.NameRecord:
    """A record as the Unicode and transliterate stages leave it, run through this stage."""
    record = legal_form.NameRecord(name)
    record.name_clean, record.name_latin = name, latin
    build_pipeline(stages=("legal_form",)).stages[-1](record)
    return record


def test_transliterated_latin_form_fills_the_latin_core() -> None:
    record = _with_latin("ООО «Ромашка»", 'OOO "Romashka"')
    assert (record.legal_form, record.name_core, record.name_core_latin) == ("ООО", "Ромашка", "Romashka")


def test_form_found_only_in_the_latin_form() -> None:
    record = _with_latin("Ромашка", "Romashka LLC")
    assert (record.legal_form, record.name_core, record.name_core_latin) == ("LLC", "Ромашка", "Romashka")
    assert record.legal_form_span == "latin suffix [9:12] LLC"
    assert record.steps[-1].step == "split_suffix_latin"


@pytest.mark.parametrize(
    ("name", "latin", "core_latin"),
    [
        ("カブシキガイシャデンソー", "KABUSHIKIGAISHADENSO", "DENSO"),
        ("カブシキカイシャデンソー", "KABUSHIKIKAISHADENSO", "DENSO"),
        ("デンソーユウゲンガイシャ", "DENSOYUGENGAISHA", "DENSO"),
        ("カブシキガイシャ", "KABUSHIKIGAISHA", "KABUSHIKIGAISHA"),
    ],
    ids=["katakana-prefix", "katakana-without-rendaku", "katakana-suffix", "form-alone-is-no-name"],
)
def test_a_form_glued_to_the_name_is_split_from_the_romanisation_too(name, latin, core_latin) -> None:
    assert _with_latin(name, latin).name_core_latin == core_latin


def test_key_and_span_agree_on_expanding_characters() -> None:
    assert key_text("㈱ＡＢＣ") == "( 株 ) abc"
    assert source_span("㈱ＡＢＣ", 0, 5) == (0, 1)
    assert key_text("ABC S.à r.l.") == "abc sa rl" and source_span("ABC S.à r.l.", 4, 9) == (4, 11)


def test_unknown_option_is_an_error() -> None:
    with pytest.raises(NameCleanerError, match="stages.legal_form.strip is not an option"):
        Config().replace(legal_form={"strip": True})


def test_alias_of_an_unknown_form_is_reported_with_its_line(tmp_path, monkeypatch) -> None:
    for name in ("forms.tsv", "aliases.tsv", "rules.toml"):
        (tmp_path / name).write_text(
            legal_form.data_path("legal_forms", name).read_text(encoding="utf-8"), encoding="utf-8"
        )
    with (tmp_path / "aliases.tsv").open("a", encoding="utf-8") as handle:
        handle.write("Foo Bar\tNO-SUCH-FORM\t\talias\t\tadditions\tFoo Bar\tFOO BAR\n")
    monkeypatch.setattr(legal_form, "data_path", lambda *parts: tmp_path.joinpath(*parts[1:]))
    Context.clear()
    try:
        with pytest.raises(DataFileError, match=r"line \d+: form 'NO-SUCH-FORM'"):
            load_legal_forms()
    finally:
        Context.clear()


def test_latin_core_equals_core_when_the_name_is_already_latin() -> None:
    record = _with_latin("Toyota Motor Co., Ltd.", "Toyota Motor Co., Ltd.")
    assert record.name_core == record.name_core_latin == "Toyota Motor"


def test_shipped_table_names_its_sources_and_classes() -> None:
    """Every alias names known sources; every class is in the generic vocabulary."""
    aliases = legal_form.read_tsv_table(legal_form.data_path("legal_forms", "aliases.tsv"))
    forms = legal_form.read_tsv_table(legal_form.data_path("legal_forms", "forms.tsv"))
    assert all(row["sources"] and set(row["sources"].split()) <= set(legal_form.SOURCE_ORDER) for row in aliases.rows)
    classes = {row["class"] for row in forms.rows}
    assert classes <= {
        "",
        "LLC",
        "JSC",
        "LP",
        "GP",
        "LLP",
        "PARTNERSHIP",
        "COOP",
        "MUTUAL",
        "FOUNDATION",
        "TRUST",
        "FUND",
        "NGO",
        "SOE",
        "SP",
        "JV",
        "BRANCH",
    }
    assert [row["form_id"] for row in forms.rows] == sorted(row["form_id"] for row in forms.rows)
