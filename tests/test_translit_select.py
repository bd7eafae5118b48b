"""Script runs and the language inside a script."""

import pytest

from namecleaner.translit.select import Run, detect_language, script_runs, table_for


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


def test_forced_language_applies_to_every_non_latin_run():
    assert [r.language for r in script_runs("Шевченко Shop", language="uk")] == ["uk", None]


def test_table_for_only_uses_the_bare_script_for_its_default_language():
    tables = {"Cyrl": "bgnpcgn-rus-Cyrl-Latn-1947", "Cyrl:uk": "ua-ukr-Cyrl-Latn-2010"}
    assert table_for(Run("x", "Cyrl", "uk"), tables) == "ua-ukr-Cyrl-Latn-2010"
    assert table_for(Run("x", "Cyrl", "ru"), tables) == "bgnpcgn-rus-Cyrl-Latn-1947"
    assert table_for(Run("x", "Cyrl", "mn"), tables) is None
    assert table_for(Run("x", "Hani", "ko"), {"Hani": "sac-zho-Hans-Latn-1979"}) is None
