"""The workshop notebooks run: solutions top to bottom, exercises failing only at their self-checks.

Each notebook runs once in a fresh kernel of this environment's Python (``python3`` from
ipykernel), from the notebooks folder, with errors allowed, and its outputs are inspected:
a solution notebook has no error and every self-check says what was right; an exercise
notebook's only errors are its self-check cells (tagged ``self-check``), each a
``CheckFailed`` shown as one friendly line, never a traceback.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbclient
import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
SELF_CHECK = "self-check"
CELL_TIMEOUT = 300
ANSI = re.compile(r"\x1b\[[0-9;]*m")

sys.path.insert(0, str(NOTEBOOKS))
from check import CheckFailed, expect_type, passed, require  # noqa: E402


def _notebooks() -> list[Path]:
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def _is_solution(path: Path) -> bool:
    return path.stem.endswith("_solution")


def _exercises() -> list[Path]:
    return [p for p in _notebooks() if not _is_solution(p) and _self_checks(nbformat.read(p, as_version=4))]


def _self_checks(notebook) -> list:
    return [cell for cell in notebook.cells if SELF_CHECK in cell.metadata.get("tags", ())]


def _run(path: Path):
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=CELL_TIMEOUT,
        allow_errors=True,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    client.execute()
    return notebook


def _errors(cell) -> list:
    return [o for o in cell.get("outputs", ()) if o.output_type == "error"]


def _text(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", ()) if o.output_type == "stream")


def _where(path: Path, index: int, cell) -> str:
    return f"{path.name} cell {index}: {cell.source.splitlines()[0] if cell.source else ''}"


@pytest.mark.notebooks
@pytest.mark.parametrize("path", _notebooks(), ids=lambda p: p.stem)
def test_notebook_runs_as_designed(path: Path) -> None:
    notebook = _run(path)
    failures = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        errors = _errors(cell)
        is_check = SELF_CHECK in cell.metadata.get("tags", ())
        if _is_solution(path) or not is_check:
            if errors:
                failures.append(f"{_where(path, index, cell)} raised {errors[0].ename}: {errors[0].evalue}")
            elif is_check and "✔ Task" not in _text(cell):
                failures.append(f"{_where(path, index, cell)} did not say what was right")
            continue
        # An exercise's self-check of an unsolved task: exactly one friendly line, no traceback.
        if not errors:
            failures.append(f"{_where(path, index, cell)} passed although its task is not solved")
            continue
        error = errors[0]
        shown = [ANSI.sub("", line) for line in error.traceback]
        if error.ename != "CheckFailed" or len(shown) != 1 or not shown[0].startswith("✘ Task "):
            failures.append(
                f"{_where(path, index, cell)} failed with a traceback instead of a hint: {error.ename}: {error.evalue}"
            )
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("path", _exercises(), ids=lambda p: p.stem)
def test_exercise_has_solution_with_same_checks(path: Path) -> None:
    solution = path.with_name(f"{path.stem}_solution.ipynb")
    assert solution.exists(), f"{path.name} has no {solution.name} beside it"
    checks = [c.source for c in _self_checks(nbformat.read(path, as_version=4))]
    assert 3 <= len(checks) <= 6, f"{path.name} has {len(checks)} self-checks; a notebook has three to six tasks"
    assert checks == [c.source for c in _self_checks(nbformat.read(solution, as_version=4))]


@pytest.mark.notebooks
def test_kernel_is_this_environments_python() -> None:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import sys; print(sys.executable)")])
    nbclient.NotebookClient(notebook, kernel_name="python3", timeout=CELL_TIMEOUT).execute()
    assert Path(_text(notebook.cells[0]).strip()).resolve() == Path(sys.executable).resolve()


def test_notebooks_are_stored_without_outputs() -> None:
    dirty = [
        f"{path.name} cell {index}"
        for path in _notebooks()
        for index, cell in enumerate(nbformat.read(path, as_version=4).cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert not dirty, f"strip outputs before committing: {', '.join(dirty)}"


def test_placeholder_answer_gets_a_hint() -> None:
    with pytest.raises(CheckFailed, match=r"Task 2: `answer_2` has no answer yet"):
        require(2, None, "answer_2")
    require(2, 0, "answer_2")  # a falsy answer is still an answer


def test_wrong_kind_of_answer_gets_a_hint() -> None:
    with pytest.raises(CheckFailed, match="should be a number, but it is a str"):
        expect_type(1, "12", int, "a number")


def test_hint_is_shown_without_traceback() -> None:
    error = CheckFailed(3, "count again")
    assert [ANSI.sub("", line) for line in error._render_traceback_()] == ["✘ Task 3, not yet: count again"]
    assert isinstance(error, AssertionError)


def test_passed_says_what_was_right(capsys: pytest.CaptureFixture[str]) -> None:
    passed(4, "all 12 names found.")
    assert capsys.readouterr().out == "✔ Task 4: right — all 12 names found.\n"
