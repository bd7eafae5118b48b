"""Parallel cleaning: workers 2 give exactly what one process gives (rows, order, values, errors)."""

import gc

import pandas as pd
import pytest
from conftest import SAMPLE_FILE

from namecleaner import parallel
from namecleaner.batch import Cleaner
from namecleaner.config import Config
from namecleaner.parallel import ParallelCleaner, config_pipeline
from namecleaner.pipeline import Pipeline

SAMPLE = pd.read_csv(SAMPLE_FILE, dtype=str, keep_default_na=False)


def fragile_pipeline(office: str) -> Pipeline:
    """The office pipeline, with a first stage that fails on names containing 'boom' (a recipe the workers build)."""
    pipeline = config_pipeline(Config.from_profile(office))
    first = pipeline.stages[0]

    def fragile(record):
        if "boom" in record.original:
            raise RuntimeError("stage broke")
        first(record)

    fragile.fields = first.fields
    fragile.name = first.name
    return Pipeline(pipeline.config, (fragile, *pipeline.stages[1:]))


def _result(cleaner, values, countries):
    result = cleaner.clean(values, countries)
    return result.frame, [(e.position, e.value, e.reason) for e in result.errors]


@pytest.mark.parametrize("steps", ["full", "compact", "none"])
def test_two_workers_give_what_one_process_gives(steps):
    names = SAMPLE["applicant"].tolist()
    values = names + ["boom Ltd", None, *names[::-1], "boom Ltd"]
    countries = SAMPLE["country"].tolist() + ["DE", None] + SAMPLE["country"].tolist()[::-1] + [None]
    serial_frame, serial_errors = _result(Cleaner(fragile_pipeline("EP"), steps=steps), values, countries)
    with ParallelCleaner(
        fragile_pipeline("EP"), fragile_pipeline, ("EP",), workers=2, steps=steps, slice_size=16, min_parallel=2
    ) as cleaner:
        parallel_frame, parallel_errors = _result(cleaner, values, countries)
        assert cleaner._pool is not None  # the values really went through the worker processes
    pd.testing.assert_frame_equal(parallel_frame, serial_frame)
    assert parallel_errors == serial_errors
    assert [e[0] for e in serial_errors] == [len(names), 2 * len(names) + 2]


def test_workers_build_the_pipeline_of_the_configuration():
    """Each worker cleans with the run's configuration: Han read as Chinese when it says so."""
    values = ["日本電気", "東京電力"] * 20
    chinese = Config.from_profile("JP").replace(transliterate={"han": "zh"})
    cleaner = ParallelCleaner.for_config(chinese, workers=2)
    cleaner.slice_size, cleaner.min_parallel = 1, 1
    with cleaner:
        parallel = cleaner.clean(values).frame["name_latin"].tolist()
        assert cleaner._pool is not None
    serial = Cleaner(config_pipeline(chinese)).clean(values).frame["name_latin"].tolist()
    japanese = Cleaner(config_pipeline(Config.from_profile("JP"))).clean(values).frame["name_latin"].tolist()
    assert parallel == serial != japanese


def test_later_batches_use_the_cache_and_the_same_pool():
    config = Config.from_profile()
    with ParallelCleaner(
        config_pipeline(config), config_pipeline, (config,), workers=2, slice_size=8, min_parallel=2
    ) as cleaner:
        first = cleaner.clean(SAMPLE["applicant"]).frame
        pool = cleaner._pool
        again = cleaner.clean(SAMPLE["applicant"][::-1]).frame
        assert cleaner._pool is pool
    pd.testing.assert_frame_equal(again, first.iloc[::-1].reset_index(drop=True))


def test_batches_sent_ahead_give_what_one_process_gives_each_value_cleaned_once(monkeypatch):
    """prefetch sends a later batch to the workers while this process finishes the one before;
    a value of both batches is sent once, and the results are the serial ones."""
    names = SAMPLE["applicant"].tolist()
    first = names + ["boom Ltd"]
    second = names[len(names) // 2 :] + ["Later Name GmbH", "Other Later AG", None]
    serial = Cleaner(fragile_pipeline("EP"))
    expected = [_result(serial, batch, None) for batch in (first, second)]
    sent: list[tuple[str, str | None]] = []
    with ParallelCleaner(
        fragile_pipeline("EP"), fragile_pipeline, ("EP",), workers=2, slice_size=16, min_parallel=2
    ) as cleaner:
        send = cleaner._send
        monkeypatch.setattr(cleaner, "_send", lambda keys: sent.extend(keys) or send(keys))
        cleaner.prefetch(first)
        cleaner.prefetch(second)
        assert len(cleaner._ahead) == 2  # both batches are with the workers before either is asked for
        got = [_result(cleaner, batch, None) for batch in (first, second)]
        assert not cleaner._ahead and not cleaner._sent
    for (frame, errors), (serial_frame, serial_errors) in zip(got, expected):
        pd.testing.assert_frame_equal(frame, serial_frame)
        assert errors == serial_errors
    assert sorted(sent) == sorted(set(sent)) and len(sent) == len(set(first + second) - {None})


def test_the_loaded_tables_are_frozen_out_of_the_collector_while_the_workers_run():
    """Started workers freeze what is loaded (gc.freeze), so full collections skip the tables; closing gives them back."""
    config = Config.from_profile()
    with ParallelCleaner(
        config_pipeline(config), config_pipeline, (config,), workers=2, slice_size=8, min_parallel=2
    ) as cleaner:
        assert gc.get_freeze_count() == 0
        cleaner.clean(SAMPLE["applicant"])
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0


def test_spawned_workers_build_the_pipeline_from_the_pickled_configuration(monkeypatch):
    """Where fork is missing (Windows, macOS's default), the recipe and the configuration travel by pickle."""
    monkeypatch.setattr(parallel, "start_method", lambda: "spawn")
    values = ["日本電気", "Siemens AG", "ＳＯＮＹ"]
    chinese = Config.from_profile("JP").replace(transliterate={"han": "zh"})
    cleaner = ParallelCleaner.for_config(chinese, workers=2)
    cleaner.slice_size, cleaner.min_parallel = 1, 1
    with cleaner:
        spawned = cleaner.clean(values).frame
        assert cleaner._pool is not None
    pd.testing.assert_frame_equal(spawned, Cleaner(config_pipeline(chinese)).clean(values).frame)
