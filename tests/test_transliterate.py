"""The transliterate stage: table selection, the fallback chain, provenance, and every shipped table's examples."""

import pandas as pd
import pytest
from conftest import golden_cases

from namecleaner.batch import clean
from namecleaner.config import Config
from namecleaner.errors import NameCleanerError
from namecleaner.pipeline import build_pipeline
from namecleaner.record import NameRecord
from namecleaner.resources import transliteration_tables_dir
from namecleaner.stages.transliterate import Transliterate
from namecleaner.translit.engine import transliterator
from namecleaner.translit.registry import TableRegistry
from namecleaner.translit.table import load_table

SHIPPED = sorted(transliteration_tables_dir().glob("*.toml"))


def _example_params():
    params = []
    for path in SHIPPED:
        table = load_table(path)
        for example in table.examples:
            marks = [pytest.mark.xfail(reason=example.known_failure, strict=True)] if example.known_failure else []
            params.append(
                pytest.param(
                    table, example.source, example.expected, id=f"{table.id}:{example.source[:40]}", marks=marks
                )
            )
    return params


def test_every_shipped_table_loads_and_has_examples():
    assert len(SHIPPED) >= 17
    assert all(load_table(path).examples for path in SHIPPED)


@pytest.mark.parametrize(("table", "source", "expected"), _example_params())
def test_shipped_table_examples(table, source, expected):
    assert transliterator(table)(source) == expected


def run(value, office=None, country=None, **options):
    config = Config.from_profile(office).replace(transliterate=options)
    return build_pipeline(config, stages=("transliterate",)).run(value, country)


@pytest.mark.parametrize("case", golden_cases("transliterate"))
def test_golden(case):
    record = run(case["original"], case["office"])
    assert (record.translit_table, record.script, record.language, record.name_latin) == (
        case["translit_table"],
        case["script"],
        case["language"],
        case["name_latin"],
    )


@pytest.mark.parametrize("case", golden_cases("every_script"))
def test_every_script(case):
    """Names in every script (issue 15): the fields each case names, through the whole pipeline,
    or through the transliterate stage when the case sets its options."""
    if "options" in case:
        record = run(case["original"], case.get("office"), case.get("country"), **case["options"])
        got = {field: getattr(record, field) for field in case["expect"]}
    else:
        frame = clean([case["original"]], case.get("office"), country=[case.get("country")])
        got = {field: None if pd.isna(frame.loc[0, field]) else frame.loc[0, field] for field in case["expect"]}
    assert got == case["expect"]


def test_ukrainian_name_uses_the_ukrainian_table_not_russian_rules():
    record = run("Київ")
    assert (record.language, record.name_latin, record.steps[-1].table) == ("uk", "Kyiv", "ua-ukr-Cyrl-Latn-2010@2010")
    assert run("Київ", language="ru").name_latin != "Kyiv"


@pytest.mark.parametrize(
    ("name", "office", "country", "script", "language"),
    [
        pytest.param("トヨタ自動車株式会社", None, None, "Jpan", "ja", id="kana-means-japanese"),
        pytest.param("日立製作所", "JP", None, "Jpan", "ja", id="jp-office-reads-han-as-japanese"),
        pytest.param("日立製作所", None, "JP", "Jpan", "ja", id="jp-row-country-reads-han-as-japanese"),
        pytest.param("北京银行", None, None, "Hani", "zh", id="han-alone-is-chinese"),
        pytest.param("北京银行", "CN", None, "Hani", "zh", id="cn-office-chinese"),
        pytest.param("삼성電子", None, None, "Hang+Hani", "ko", id="hanja-with-hangul-is-korean"),
        *(
            pytest.param(name, None, None, "Jpan", "ja", id=f"japanese-evidence-{name}")
            for name in ("株式会社東芝", "山田太郎", "日立製作所", "国立大学法人東京大学", "渡辺", "㈱日立製作所")
        ),
        *(
            pytest.param(name, None, None, "Hani", "zh", id=f"chinese-{name}")
            for name in ("华为技术有限公司", "清华大学", "王伟", "陳志明")
        ),
        pytest.param("株式会社東芝", "CN", None, "Hani", "zh", id="office-han-beats-evidence"),
        pytest.param("株式会社東芝", None, "CN", "Hani", "zh", id="row-country-beats-evidence"),
    ],
)
def test_japanese_versus_chinese_han(name, office, country, script, language):
    registry_ids = TableRegistry().ids()
    record = run(name, office, country)
    assert (record.script, record.language) == (script, language)
    if language == "ja" and "mofa-jpn-Hrkt-Latn-1989" in registry_ids:
        assert record.translit_table == "mofa-jpn-Hrkt-Latn-1989"
    if language == "zh" and "sac-zho-Hans-Latn-1979" in registry_ids:
        assert record.translit_table == "sac-zho-Hans-Latn-1979"


def test_japanese_evidence_is_recorded_as_a_step():
    steps = run("山田太郎").steps
    assert (steps[0].step, steps[0].rule, steps[0].result) == (
        "han_language",
        "Han read as Japanese: surname 山田",
        "ja",
    )
    assert steps[0].table.startswith("namecleaner-person-names@")
    assert "han_language" not in [s.step for s in run("株式会社東芝", language="zh").steps]


@pytest.mark.parametrize(
    ("name", "expanded"),
    [
        pytest.param("삼성전자㈜", "(ju)", id="korean-ju"),
        pytest.param("㈱日立製作所", "KABUSHIKI KAISHA", id="japanese-kabushiki"),
        pytest.param("㍿東芝", "KABUSHIKI KAISHA", id="squared-kabushiki-kaisha"),
        pytest.param("㈲山田商店", "YUGEN KAISHA YAMADA", id="enclosed-yugen-kaisha"),
    ],
)
def test_enclosed_cjk_forms_are_romanised_through_their_expansion(name, expanded):
    record = run(name)
    assert expanded in record.name_latin
    assert not any("\u3200" <= char <= "\u33ff" for char in record.name_latin)
    assert record.name_clean == name


def without_tables(value, country=None, **options):
    """The transliterate stage with no table at all (a profile's tables merge with the default's)."""
    record = NameRecord(value, country)
    Transliterate(TableRegistry(), {}, han=options.pop("han", "auto"), **options)(record)
    return record


def test_han_of_a_japanese_name_never_falls_back_to_mandarin():
    # Without a table, each kanji gets its Japanese on reading (never Mandarin), and ICU romanises the kana.
    record = without_tables("日立製作所", han="ja")
    assert (record.name_latin, record.translit_table) == ("nichiritsuseisakusho", "han:ja+icu:Any-Latin")
    assert [s.step for s in record.steps] == ["han_characters", "icu_transform"]
    assert record.translit_reliability == "fallback"


def test_fallback_chain_records_which_fired():
    thai = without_tables("ภาษาไทย")
    assert [(s.step, s.rule) for s in thai.steps] == [("icu_transform", "Thai:th")]
    assert thai.translit_table == "icu:Any-Latin"
    no_icu = without_tables("Привет", icu_fallback="")
    assert [(s.step, s.table, s.result) for s in no_icu.steps] == [("unidecode", "unidecode", "Privet")]
    mongolian = run("Өлзий", language="mn")  # no Mongolian table mapped: ICU transform
    assert (mongolian.language, mongolian.steps[0].step) == ("mn", "icu_transform")


def test_latin_names_pass_through_without_steps():
    record = run("Siemens AG")
    assert (record.script, record.language, record.name_latin, record.translit_table, record.steps) == (
        "Latn",
        None,
        "Siemens AG",
        None,
        [],
    )


def test_mixed_scripts_are_romanised_run_by_run():
    record = run("ООО «Яндекс» Russia Αθήνα")
    assert record.name_latin == "OOO «Yandeks» Russia Athína"
    assert record.translit_table == "bgnpcgn-rus-Cyrl-Latn-1947+elot-ell-Grek-Latn-743-2001-ts"


def test_forced_table_and_the_original_script_is_kept():
    frame = clean(
        ["Щукин"], Config().replace(transliterate={"table": "icao-rus-Cyrl-Latn-9303"}), stages=("transliterate",)
    )
    assert frame.loc[0, ["name_clean", "name_latin", "translit_table"]].tolist() == [
        "Щукин",
        "Shchukin",
        "icao-rus-Cyrl-Latn-9303",
    ]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        pytest.param({"colour": 1}, "stages.transliterate.colour is not an option", id="unknown-option"),
        pytest.param({"tables": {"Cyrl:ru": "nope"}}, "no transliteration table nope", id="unknown-table"),
        pytest.param(
            {"han": "xx"}, "stages.transliterate.han must be one of 'auto', 'zh', 'ja', 'ko', not 'xx'", id="bad-han"
        ),
    ],
)
def test_bad_options_are_refused(options, message):
    with pytest.raises(NameCleanerError, match=message.replace("(", r"\(").replace(")", r"\)")):
        build_pipeline(Config().replace(transliterate=options), stages=("transliterate",))


@pytest.mark.parametrize(
    ("name", "country", "office", "language", "name_latin"),
    [
        pytest.param("Европейско дружество", "BG", None, "bg", "Evropeysko druzhestvo", id="bg-row-in-default-profile"),
        pytest.param("Европейско дружество", None, None, "ru", "Yevropeysko druzhestvo", id="no-country-russian"),
        pytest.param("Коваленко", "RU", "UA", "ru", "Kovalenko", id="row-country-beats-office-preference"),
        pytest.param("Коваленко", None, "UA", "uk", "Kovalenko", id="office-preference"),
        pytest.param("Київ", "RU", None, "uk", "Kyiv", id="letters-beat-row-country"),
    ],
)
def test_row_country_settles_what_the_letters_leave_open(name, country, office, language, name_latin):
    record = run(name, office, country)
    assert (record.language, record.name_latin) == (language, name_latin)


def test_korean_row_reads_hanja_as_korean_never_mandarin():
    record = run("三星電子", country="KR")
    assert (record.language, record.name_latin) == ("ko", "Samseong Jeonja")
