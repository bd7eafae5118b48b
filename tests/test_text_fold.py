"""The named normal forms: what each keeps and drops, on names of several scripts."""

import pytest

from namecleaner.text.fold import ascii_words, legal_char, legal_key, lexicon_key, match_form


def test_ascii_words_join_letters_and_drop_punctuation():
    assert ascii_words("A B C / R&D, O'Neil") == ["abc", "rd", "oneil"]


@pytest.mark.parametrize(
    ("text", "match", "lexicon", "legal"),
    [
        pytest.param("Müller GmbH", "müller gmbh", "muller gmbh", "muller gmbh", id="latin-accent"),
        pytest.param("Йошкар ООО", "йошкар ооо", "йошкар ооо", "иошкар ооо", id="cyrillic-short-i"),
        pytest.param("Σταθμός Α.Ε.", "σταθμόσ α.ε.", "σταθμόσ α.ε.", "σταθμοσ α.ε.", id="greek-tonos"),
        pytest.param(
            "ＴＯＹＯＴＡ\u3000\u3000Motor", "toyota motor", "toyota  motor", "toyota  motor", id="full-width"
        ),
    ],
)
def test_each_form_keeps_the_accents_it_says(text, match, lexicon, legal):
    assert (match_form(text), lexicon_key(text), legal_key(text)) == (match, lexicon, legal)


def test_the_legal_key_has_one_piece_per_character():
    text = "Société ㈱ Α.Ε."
    assert "".join(legal_char(c) for c in text) == legal_key(text)


@pytest.mark.parametrize("mark", ["ゝ", "ゞ", "ヽ", "ヾ"])
def test_a_kana_iteration_mark_after_a_character_beyond_the_bmp_folds(mark):
    # ICU repeats half of the character before the mark, a lone surrogate PyICU refuses
    assert ascii_words(f"\U00010000{mark} Sony") == ["sony"]
    assert ascii_words(f"いす{mark}") == ["isusu" if mark in "ゝヽ" else "isuzu"]
