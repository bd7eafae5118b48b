"""The name record and its provenance steps."""

from namecleaner.record import OUTPUT_COLUMNS, NameRecord, Step, parse_steps


def test_steps_round_trip_through_json():
    record = NameRecord("ＴＯＹＯＴＡ")
    record.add_step("unicode", "narrow_wide_forms", "Unicode 15.0.0", result="TOYOTA")
    record.add_step("legal_form", "split", "alias", table="legal-forms@1", result="X")
    assert parse_steps(record.steps_json()) == record.steps


def test_empty_step_fields_are_left_out_of_json():
    assert Step("unicode", "collapse_whitespace").to_dict() == {"stage": "unicode", "step": "collapse_whitespace"}


def test_contract_columns_are_record_fields():
    record = NameRecord("x")
    missing = [c for c in OUTPUT_COLUMNS if c != "steps" and not hasattr(record, c)]
    assert missing == []


def test_contract_order_is_fixed():
    assert OUTPUT_COLUMNS[:4] == ("name_clean", "name_match", "script", "language")
    assert OUTPUT_COLUMNS[-3:] == ("cluster_id", "cluster_name", "steps")
