"""Script runs and the language inside a script."""

import pytest
from conftest import golden_cases

import namecleaner
from namecleaner.resources import read_tsv_table
from namecleaner.translit.select import (
    JA_ONLY_KANJI_PATH,
    JA_PLACE_NAMES_PATH,
    ZH_ONLY_HANZI_PATH,
    Run,
    detect_language,
    japanese_evidence,
    script_runs,
    table_for,
)


@pytest.mark.parametrize(
    ("text", "script", "prefer", "language"),
    [
        pytest.param("Київ", "Cyrl", None, "uk", id="uk-yi"),
        pytest.param("Ґалаґан Євген", "Cyrl", None, "uk", id="uk-ghe-ye"),
        pytest.param("Шевченко", "Cyrl", None, "ru", id="no-marker-default-ru"),
        pytest.param("Шевченко", "Cyrl", "uk", "uk", id="no-marker-office-uk"),
        pytest.param("Шевченко Объём", "Cyrl", "uk", "ru", id="letters-beat-office"),
        pytest.param("Магілёў", "Cyrl", None, "be", id="be-short-u"),
        pytest.param("Търговище", "Cyrl", None, "bg", id="bg-hard-sign-before-consonant"),
        pytest.param("Съезд", "Cyrl", None, "ru", id="ru-hard-sign-before-e"),
        pytest.param("Ђорђе", "Cyrl", None, "sr", id="sr-dje"),
        pytest.param("Ѓорѓи", "Cyrl", None, "mk", id="mk-gje"),
        pytest.param("Жанаөзен Қазақстан", "Cyrl", None, "kk", id="kk-letters"),
        pytest.param("Өзен", "Cyrl", None, "kk", id="o-bar-kazakh-by-default"),
        pytest.param("Өлзий", "Cyrl", "mn", "mn", id="o-bar-mongolian-office"),
        pytest.param("Лукашэнка Брэст", "Cyrl", None, "be", id="be-e-after-consonant"),
        pytest.param("Одеська", "Cyrl", None, "uk", id="uk-ska"),
        pytest.param("Каньон", "Cyrl", None, "ru", id="ru-soft-sign-o"),
        pytest.param("سلمان پاك", "Arab", None, "fa", id="fa-pe"),
        pytest.param("القاهرة", "Arab", None, "ar", id="ar-default"),
        pytest.param("Hello", "Zzzz", None, None, id="unknown-script"),
    ],
)
def test_detect_language(text, script, prefer, language):
    assert detect_language(text, script, prefer) == language


def test_runs_keep_neutral_characters_with_the_run_before():
    runs = script_runs("1. ООО «Яндекс» Russia, Αθήνα")
    assert [(r.text, r.script) for r in runs] == [("1. ООО «Яндекс» ", "Cyrl"), ("Russia, ", "Latn"), ("Αθήνα", "Grek")]


@pytest.mark.parametrize(
    ("text", "han", "expected"),
    [
        pytest.param("株式会社ソニー", "zh", [("Jpan", "ja")], id="kana-wins-over-default"),
        pytest.param("ソニー", "zh", [("Jpan", "ja")], id="kana-only"),
        pytest.param("日立", "ja", [("Jpan", "ja")], id="han-option-ja"),
        pytest.param("日立", "zh", [("Hani", "zh")], id="han-default-zh"),
        pytest.param("삼성電子", "zh", [("Hang", "ko"), ("Hani", "ko")], id="hanja-in-korean-name"),
    ],
)
def test_han_reading(text, han, expected):
    assert [(r.script, r.language) for r in script_runs(text, han=han)] == expected


CHINESE_NAMES = (
    "华为技术有限公司",
    "清华大学",
    "北京大学",
    "王伟",
    "陳志明",
    "台灣積體電路製造股份有限公司",
    "中山大学",
    "欧阳修",
    "平安银行",
)


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        pytest.param("株式会社東芝", "word 株式会社", id="legal-form-kabushiki-kaisha"),
        pytest.param("国立大学法人東京大学", "word 国立大学法人", id="legal-form-national-university"),
        pytest.param("(株)日立", "word (株)", id="abbreviated-legal-form"),
        pytest.param("日立製作所", "word 製作所", id="company-word"),
        pytest.param("山田太郎", "surname 山田", id="surname-and-given-name"),
        pytest.param("山田 太郎", "surname 山田", id="surname-space-given-name"),
        pytest.param("渡辺", "surname 渡辺", id="surname-alone"),
        pytest.param("広州", "character 広", id="japanese-only-kanji"),
        *(pytest.param(name, None, id=f"chinese-{name}") for name in CHINESE_NAMES),
        pytest.param("山田大学", None, id="surname-then-not-a-given-name"),
        pytest.param("トヨタ株式会社", None, id="kana-decides-itself"),
        pytest.param("삼성電子", None, id="hangul-decides-itself"),
        pytest.param("Toshiba", None, id="no-han"),
    ],
)
def test_japanese_evidence(text, evidence):
    found = japanese_evidence(text)
    assert (str(found) if found else None) == evidence


def test_japanese_only_kanji_leave_out_every_character_of_chinese_names():
    kanji = {row["kanji"] for row in read_tsv_table(JA_ONLY_KANJI_PATH, required_columns=("kanji",)).rows}
    assert {"辺", "峠", "県"} <= kanji
    assert not kanji & set("".join(CHINESE_NAMES))


@pytest.mark.parametrize("case", golden_cases("translit_han_evidence"))
def test_han_evidence_both_ways(case):
    found = japanese_evidence(case["name"])
    assert (str(found) if found else None) == case["evidence"]


def test_han_without_office_or_country_is_read_by_the_evidence():
    frame = namecleaner.clean(["京都市", "日本銀行", "北京大学", "中国银行"], stages=("unicode", "transliterate"))
    assert list(frame["language"]) == ["ja", "ja", "zh", "zh"]
    assert list(frame["name_latin"]) == ["KYOTO SHI", "NIHON GINKO", "Beijing Daxue", "Zhongguo Yinhang"]


def test_chinese_only_hanzi_and_japanese_places_do_not_overlap():
    hanzi = {row["hanzi"] for row in read_tsv_table(ZH_ONLY_HANZI_PATH, required_columns=("hanzi",)).rows}
    places = "".join(row["name"] for row in read_tsv_table(JA_PLACE_NAMES_PATH, required_columns=("name",)).rows)
    assert {"银", "华", "东", "电"} <= hanzi
    assert not hanzi & set(places + "株式会社銀行大学")


def test_forced_language_applies_to_every_non_latin_run():
    assert [r.language for r in script_runs("Шевченко Shop", language="uk")] == ["uk", None]


def test_table_for_only_uses_the_bare_script_for_its_default_language():
    tables = {"Cyrl": "bgnpcgn-rus-Cyrl-Latn-1947", "Cyrl:uk": "ua-ukr-Cyrl-Latn-2010"}
    assert table_for(Run("x", "Cyrl", "uk"), tables) == "ua-ukr-Cyrl-Latn-2010"
    assert table_for(Run("x", "Cyrl", "ru"), tables) == "bgnpcgn-rus-Cyrl-Latn-1947"
    assert table_for(Run("x", "Cyrl", "mn"), tables) is None
    assert table_for(Run("x", "Hani", "ko"), {"Hani": "sac-zho-Hans-Latn-1979"}) is None
