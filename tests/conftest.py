"""Shared test helpers: golden cases read from tests/cases, and the shipped sample file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent
REPO_DIR = TESTS_DIR.parent
SAMPLE_FILE = REPO_DIR / "examples" / "applicants_sample.csv"
SHARED_DATA = REPO_DIR.parent / "shared" / "data"


def golden_cases(name: str) -> list:
    """The cases of ``tests/cases/<name>.json`` as pytest params with their labels as ids."""
    cases = json.loads((TESTS_DIR / "cases" / f"{name}.json").read_text(encoding="utf-8"))
    return [
        pytest.param(
            case,
            id=case["label"],
            marks=[pytest.mark.xfail(reason=case["xfail"], strict=True)] if case.get("xfail") else [],
        )
        for case in cases
    ]
