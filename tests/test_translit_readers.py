"""Tests for namecleaner.translit.readers and the Japanese, Chinese, Korean and Thai tables that use them.

The tables' own examples run in tests/test_transliterate.py with every shipped table.
"""

from __future__ import annotations

import sys

import pytest
from conftest import golden_cases

from namecleaner.context import Context
from namecleaner.errors import DataFileError, MissingDependencyError
from namecleaner.translit.engine import transliterator
from namecleaner.translit.readers import (
    READERS,
    expand_iteration_marks,
    load_reading_overrides,
)
from namecleaner.translit.registry import TableRegistry


@pytest.fixture(scope="module")
def registry() -> TableRegistry:
    return TableRegistry()


@pytest.mark.parametrize("case", golden_cases("translit_readers"))
def test_reader(case: dict) -> None:
    assert READERS[case["reader"]](case["source"]) == case["expected"]


@pytest.mark.parametrize("case", golden_cases("translit_cjk_tables"))
def test_table_on_names(case: dict, registry: TableRegistry) -> None:
    assert transliterator(registry.get(case["table"]))(case["source"]) == case["expected"]


def test_same_han_read_by_language(registry: TableRegistry) -> None:
    japanese = transliterator(registry.get("mofa-jpn-Hrkt-Latn-1989"))("東京")
    chinese = transliterator(registry.get("sac-zho-Hans-Latn-1979"))("東京")
    assert (japanese, chinese) == ("TOKYO", "Dongjing")


def test_iteration_mark_needs_a_kana_before_it() -> None:
    assert expand_iteration_marks("ゞ株") == "ゞ株"


def test_reading_overrides_report_every_bad_row(tmp_path) -> None:
    path = tmp_path / "readings.tsv"
    path.write_text(
        "# id: t\n# title: t\n# version: 1\n# source: test\n# licence: CC0-1.0\n"
        "surface\treading\n"
        "株式会社\tカブシキ カイシャ\n"
        "トヨタ\tトヨタ\n"
        "工業\tkogyo\n"
        "株式会社\tカブシキガイシャ\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as error:
        load_reading_overrides(path)
    assert error.value.problems == [
        "line 8: surface 'トヨタ' has no Han character",
        "line 9: reading 'kogyo' is not kana words separated by spaces",
        "line 10: surface '株式会社' is listed twice",
    ]


def test_reading_overrides_longest_first(tmp_path) -> None:
    path = tmp_path / "readings.tsv"
    path.write_text(
        "# id: t\n# title: t\n# version: 1\n# source: test\n# licence: CC0-1.0\n"
        "surface\treading\n組\tグミ\n組合\tクミアイ\n",
        encoding="utf-8",
    )
    overrides = load_reading_overrides(path)
    assert list(overrides.split("森組と組合")) == [("森", None), ("組", "グミ"), ("と", None), ("組合", "クミアイ")]


def test_thai_reader_without_its_library_names_the_package(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    Context.clear()
    try:
        with pytest.raises(MissingDependencyError, match=r"'onnxruntime' package: pip install 'onnxruntime'"):
            READERS["thai"]("ไทย")
    finally:
        Context.clear()


def test_korean_reader_without_its_library_keeps_names_whole_and_says_so(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "mecab", None)
    Context.clear()
    try:
        with pytest.warns(RuntimeWarning, match=r"without word splits.*pip install 'python-mecab-ko'"):
            assert READERS["korean"]("한국전력공사") == "한국전력공사"
    finally:
        Context.clear()


@pytest.mark.parametrize(
    ("reader", "name", "person"), [("korean", "이민호", "이 민호"), ("chinese", "张伟", "zhang wei")]
)
def test_organisation_name_never_cut_as_a_person(reader: str, name: str, person: str) -> None:
    # The match key of a name typed organisation reads its pieces with person_name=False.
    assert READERS[reader](name) == person
    assert READERS[reader](name, person_name=False) == person.replace(" ", "")
