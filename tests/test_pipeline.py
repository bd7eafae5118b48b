"""The pipeline: stage order, output columns and options."""

import pytest

from namecleaner.config import Config
from namecleaner.errors import NameCleanerError
from namecleaner.pipeline import STAGES, build_pipeline, stage_module
from namecleaner.record import OUTPUT_COLUMNS


def test_columns_follow_the_contract_order():
    columns = build_pipeline().columns
    contract = [c for c in columns if c in OUTPUT_COLUMNS]
    assert contract == sorted(contract, key=OUTPUT_COLUMNS.index)
    assert contract[-1] == "steps"


def test_every_stage_declares_its_interface():
    for name in STAGES:
        module = stage_module(name)
        assert (module.NAME, set(module.REQUIRES) <= set(STAGES[: STAGES.index(name)])) == (name, True)


def test_unknown_stage_option_is_refused():
    with pytest.raises(NameCleanerError, match="stages.unicode.colour is not an option"):
        build_pipeline(Config().replace(unicode={"colour": "red"}))


def test_unknown_stage_is_refused():
    with pytest.raises(NameCleanerError, match="unknown stage"):
        build_pipeline(stages=("spellcheck",))


def test_run_keeps_country_context():
    record = build_pipeline().run("Siemens AG", "DE")
    assert (record.original, record.country, record.name_clean) == ("Siemens AG", "DE", "Siemens AG")
