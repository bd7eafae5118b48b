"""The name-type tables: folding, keyword matching and the checks on the data files."""

import pytest

from namecleaner.context import Context
from namecleaner.errors import DataFileError
from namecleaner.stages.name_type import lexicons as name_lexicons
from namecleaner.stages.name_type.lexicons import load_keywords, load_person_lexicon
from namecleaner.text.fold import lexicon_key


@pytest.mark.parametrize(
    "name, keywords",
    [
        ("Seoul National University Hospital", ["university", "hospital"]),
        ("UNIVERSITÄTSKLINIKUM HEIDELBERG", ["universitätsklinikum", "universität", "klinikum"]),
        ("中国科学院", ["中国科学院"]),
        ("Toyota Motor Co., Ltd.", ["motor", "co", "ltd"]),
        ("John Smith", []),
    ],
)
def test_keywords_found(name, keywords):
    assert [hit.keyword for hit in load_keywords().find(lexicon_key(name))] == keywords


@pytest.mark.parametrize(
    "word, known",
    [
        ("jiro", True),
        ("xiaoming", True),
        ("min-su", True),
        ("karl-heinz", True),
        ("иван", True),
        ("pharmaceuticals", False),
        ("al-qaida", False),
    ],
)
def test_person_name_words(word, known):
    assert load_person_lexicon().is_name_word(word) is known


def test_bad_keyword_table_reports_every_problem(tmp_path, monkeypatch):
    (tmp_path / "name_type").mkdir()
    (tmp_path / "name_type" / "institution_keywords.tsv").write_text(
        "# id: t\n# title: t\n# version: 1\n# source: t\n# licence: t\n"
        "keyword\tsector\tlanguage\tmatch\nuniversity\tschool\ten\tword\n...\tcompany\ten\tword\nx\tcompany\ten\tfuzzy\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(name_lexicons, "data_path", lambda *parts: tmp_path.joinpath(*parts))
    Context.clear()
    try:
        with pytest.raises(DataFileError) as error:
            load_keywords()
    finally:
        Context.clear()
    message = str(error.value)
    assert "line 7: sector 'school'" in message and "line 9: match 'fuzzy'" in message
    assert "line 8: keyword '...' has no word characters" in message
