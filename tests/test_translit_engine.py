"""The rule engine: longest match, contexts, case, passes, ICU rules and the run order."""

import pytest

from namecleaner.translit.engine import example_failures, transliterator
from namecleaner.translit.table import load_table

HEADER = """id = "t-rus-Cyrl-Latn-x"
title = "test"
authority = "test"
languages = ["ru"]
source_script = "Cyrl"
target_script = "Latn"
version = "1"
source = "test"
licence = "CC0-1.0"
"""


def make(tmp_path, body: str):
    path = tmp_path / "t-rus-Cyrl-Latn-x.toml"
    path.write_text(HEADER + body, encoding="utf-8")
    return transliterator(load_table(path))


RULES = """rules = '''
щ	shch
у	u
к	k
и	i
н	n
е	ye	word_start
е	ye	after:@vowel
е	e
ий	y	word_end
т	t
с	s
тс	t·s
'''
[classes]
vowel = "аеиоуыэюя"
"""


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("ЩУКИН", "SHCHUKIN", id="all-caps-word-gives-all-caps"),
        pytest.param("Щукин", "Shchukin", id="capital-gives-capitalised-digraph"),
        pytest.param("щукин", "shchukin", id="lower-stays-lower"),
        pytest.param("Ен Уе Не", "Yen Uye Ne", id="contexts-word-start-and-after-vowel"),
        pytest.param("Киний", "Kiny", id="word-end-longest-match"),
        pytest.param("тс Тс", "t·s T·s", id="longest-match-wins"),
        pytest.param("Щ 42 «ЩИТ» Shop", "Shch 42 «SHCHIT» Shop", id="unmapped-characters-copied"),
    ],
)
def test_rules_contexts_and_case(tmp_path, source, expected):
    assert make(tmp_path, RULES)(source) == expected


def test_passes_run_in_order_on_the_previous_output(tmp_path):
    run = make(
        tmp_path,
        """case = "preserve"
[[pass]]
name = "first"
rules = '''
a	b
'''
[[pass]]
name = "second"
rules = '''
b	c	word_end
'''
""",
    )
    assert run("aa ab") == "bc bc"


def test_icu_rules_and_case_op_run_after_the_rules(tmp_path):
    run = make(
        tmp_path,
        """case = "title"
rules = '''
х	kh
'''
icu_rules = '''
kh > h ;
'''
""",
    )
    assert run("х хх") == "H Hh"


def test_nfd_normalisation_before_the_rules(tmp_path):
    run = make(
        tmp_path,
        """case = "preserve"
normalize = "NFD"
rules = '''
\\u0301
'''
""",
    )
    assert run("é") == "e"


def test_examples_report_failures_and_skip_known_ones(tmp_path):
    path = tmp_path / "t-rus-Cyrl-Latn-x.toml"
    path.write_text(
        HEADER + "rules = '''\nа\ta\n'''\nexamples = '''\nа\ta\nб\tb\nв\tv\tknown_failure: not in this table\n'''\n",
        encoding="utf-8",
    )
    assert example_failures(load_table(path)) == [("б", "b", "б")]
