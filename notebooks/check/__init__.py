"""Self-checks for the workshop notebooks.

Each notebook imports its own module, ``from check import unicode_pitfalls as check``, and
its self-check cells call ``check.task_1(answer_1)``. A check works out the expected result
itself, from the data and the toolkit, so it stays right when the toolkit improves. It says
what was right when the answer is right, and raises :class:`CheckFailed` with a hint (never
the answer) when it is not. The notebook shows only that hint, without a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["CheckFailed", "require", "passed", "expect_type", "expect_pair", "expect_columns"]

#: What an unsolved task cell holds until the participant writes an answer.
PLACEHOLDERS = (None, Ellipsis)


class CheckFailed(AssertionError):
    """An answer is not right yet. Shown as a friendly message, without a traceback."""

    def __init__(self, task: int | str, message: str) -> None:
        super().__init__(f"Task {task}: {message}")
        self.task = task
        self.hint = message

    def _render_traceback_(self) -> list[str]:
        # IPython calls this instead of printing the traceback: the hint is all a participant needs.
        return [f"\x1b[31m✘ Task {self.task}, not yet:\x1b[0m {self.hint}"]


def require(task: int | str, answer: Any, name: str) -> None:
    """Fail with a hint when the task cell still holds its placeholder."""
    if any(answer is placeholder for placeholder in PLACEHOLDERS):
        raise CheckFailed(task, f"`{name}` has no answer yet. Replace the `None` in the task cell with your code, run that cell, then this one.")


def expect_type(task: int | str, answer: Any, kinds: type | tuple[type, ...], what: str) -> None:
    """Fail with a hint when the answer is not of the expected kind."""
    if not isinstance(answer, kinds):
        raise CheckFailed(task, f"the answer should be {what}, but it is a {type(answer).__name__}.")


def expect_pair(task: int | str, answer: Any, what: str) -> None:
    """Fail with a hint when the answer is not a pair, e.g. ``(precision, recall)``."""
    if not isinstance(answer, tuple) or len(answer) != 2:
        raise CheckFailed(task, f"the answer should be a pair ({what}).")


def expect_columns(task: int | str, frame: Any, columns: Iterable[str]) -> None:
    """Fail with a hint when a DataFrame lacks columns the task asks for."""
    columns = list(columns)
    missing = [c for c in columns if c not in getattr(frame, "columns", ())]
    if missing:
        raise CheckFailed(task, f"the table has no column {', '.join(repr(c) for c in missing)}; it needs the columns {', '.join(columns)}.")


def passed(task: int | str, message: str) -> None:
    """Say what was right."""
    print(f"✔ Task {task}: right — {message}")
