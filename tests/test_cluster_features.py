"""Clustering units: one way to build them, whatever the split of the rows (pandas, CLI chunks, Dask partitions)."""

import pandas as pd
from conftest import SAMPLE_FILE

import namecleaner
from namecleaner.cluster.features import UnitTally, tally_frame, units_from_frame


def _cleaned():
    names = pd.read_csv(SAMPLE_FILE, dtype=str, keep_default_na=False)["applicant"]
    frame = namecleaner.clean(pd.concat([names, names.str.upper(), names[:50]], ignore_index=True))
    frame["n"] = [str(i % 3 + 1) for i in range(len(frame))]
    return frame


def test_chunks_merged_give_the_units_of_the_whole_frame():
    frame = _cleaned()
    whole = units_from_frame(frame, counts=frame["n"])
    parts = [tally_frame(frame.iloc[start : start + 37], count_column="n") for start in range(0, len(frame), 37)]
    merged = UnitTally.combined(*parts).units()
    assert (merged.keys, merged.mentions, merged.variants) == (whole.keys, whole.mentions, whole.variants)
    assert (merged.legal_form_class, merged.name_type) == (whole.legal_form_class, whole.name_type)
    assert sum(whole.mentions) == frame.loc[frame["match_key"].fillna("") != "", "n"].astype(int).sum()


def test_prefixed_columns_and_counts_that_are_not_numbers():
    frame = pd.DataFrame(
        {
            "nc_match_key": ["acme", "acme", None],
            "nc_name_clean": ["ACME", "Acme", "?"],
            "nc_name_type": ["organisation"] * 3,
        }
    )
    units = (
        UnitTally()
        .add(
            frame,
            key_column="nc_match_key",
            name_column="nc_name_clean",
            type_column="nc_name_type",
            counts=pd.Series(["2", "?", "9"]),
        )
        .units()
    )
    assert (units.keys, units.mentions, units.name_type, dict(units.variants[0])) == (
        ["acme"],
        [3],
        ["organisation"],
        {"ACME": 2, "Acme": 1},
    )
