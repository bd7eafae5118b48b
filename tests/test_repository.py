"""Guard rails on the repository itself: lint, types, the layers of ARCHITECTURE.md, packaging.

Each runs the project's own tool over the source tree, so a change that breaks a rule fails the
suite with the tool's own report.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from conftest import REPO_DIR

PACKAGE = REPO_DIR / "namecleaner"


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=REPO_DIR, capture_output=True, text=True, timeout=600, check=False)


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(REPO_DIR / ".venv" / "bin")) or shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (it comes with the test extra)")
    return found


def test_ruff_finds_no_problem():
    result = _run(_tool("ruff"), "check", "namecleaner", "tests", "benchmarks", "tools")
    assert result.returncode == 0, result.stdout + result.stderr


def test_code_is_formatted():
    result = _run(_tool("ruff"), "format", "--check", "namecleaner", "tests", "benchmarks", "tools")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_no_error():
    result = _run(sys.executable, "-m", "mypy")
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr


def test_no_layer_imports_a_higher_one():
    result = _run(_tool("lint-imports"))
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr


def test_the_package_declares_its_types():
    assert (PACKAGE / "py.typed").is_file()
