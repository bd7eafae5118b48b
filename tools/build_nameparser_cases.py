"""Turn the expectations of python-nameparser's ``tests.py`` into golden person-name cases.

python-nameparser (https://github.com/derek73/python-nameparser, LGPL-2.1-or-later) tests its
``HumanName`` parser with names and the parts it must find. This tool reads that file (it is not
shipped here: pass the path of a copy) without running it, and writes each name that a test
parses with the default configuration, with the parts the test asserts, to
``tests/cases/person_names_nameparser.json``. Skipped: tests that change the parser's constants
or options, tests nameparser itself marks ``expectedFailure``, the API and output-format test
classes, and names asserted twice with different parts (the last assertion wins otherwise).
The nickname is not one of our fields and is not kept.

Each case names its test (``source``). Cases that our splitter disagrees with carry an ``xfail``
reason, written in ``tools/nameparser_disagreements.tsv`` (kept by hand, one justification per
name) so that rebuilding keeps them.

Run:  python tools/build_nameparser_cases.py /path/to/python-nameparser/tests.py
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUTPUT = REPO / "tests" / "cases" / "person_names_nameparser.json"
DISAGREEMENTS = REPO / "tools" / "nameparser_disagreements.tsv"
SOURCE = "derek73/python-nameparser v1.1.3 tests.py (LGPL-2.1-or-later)"
#: Test classes about the API, configuration, capitalisation or output format, not the split.
SKIPPED_CLASSES = frozenset(
    {
        "HumanNamePythonTests",
        "ConstantsCustomization",
        "HumanNameOutputFormatTests",
        "HumanNameCapitalizationTestCase",
    }
)
PARTS = ("title", "first", "middle", "last", "suffix")


def _string(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _changes_config(function: ast.FunctionDef) -> bool:
    """True when a test touches the constants (``hn.C``, ``CONSTANTS``, ``Constants()``) or passes options."""
    for node in ast.walk(function):
        if isinstance(node, ast.Attribute) and node.attr == "C":
            return True
        if isinstance(node, ast.Name) and node.id in ("CONSTANTS", "Constants"):
            return True
        is_parse = isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "HumanName"
        if is_parse and (len(node.args) != 1 or node.keywords):
            return True
    return False


def _cases_of(function: ast.FunctionDef, class_name: str) -> list[dict]:
    """The names a test parses, in order, each with the parts asserted before the next parse."""
    cases: dict[str, dict] = {}
    variables: dict[str, str] = {}
    nodes = (node for top in function.body for node in ast.walk(top))  # in source order, statement by statement
    for statement in nodes:
        if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call):
            call = statement.value
            if isinstance(call.func, ast.Name) and call.func.id == "HumanName" and _string(call.args[0]) is not None:
                for target in statement.targets:
                    if isinstance(target, ast.Name):
                        variables[target.id] = _string(call.args[0])
                        cases.setdefault(variables[target.id], {})
        if isinstance(statement, ast.Call) and isinstance(statement.func, ast.Attribute) and statement.func.attr == "m":
            if len(statement.args) < 2:
                continue
            actual, expected = statement.args[0], statement.args[1]
            if (
                isinstance(actual, ast.Attribute)
                and actual.attr in PARTS
                and isinstance(actual.value, ast.Name)
                and actual.value.id in variables
                and _string(expected) is not None
            ):
                cases[variables[actual.value.id]][actual.attr] = _string(expected)
    return [
        {"name": name, "source": f"{SOURCE}, {class_name}.{function.name}", **parts}
        for name, parts in cases.items()
        if parts
    ]


def read_cases(path: Path) -> list[dict]:
    """Every usable case of the test file, first occurrence of each name kept."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: dict[str, dict] = {}
    for klass in tree.body:
        if not isinstance(klass, ast.ClassDef) or klass.name in SKIPPED_CLASSES:
            continue
        for function in klass.body:
            if not isinstance(function, ast.FunctionDef) or not function.name.startswith("test"):
                continue
            if any("expectedFailure" in ast.unparse(d) for d in function.decorator_list) or _changes_config(function):
                continue
            for case in _cases_of(function, klass.name):
                found.setdefault(case["name"], case)
    return list(found.values())


def read_disagreements() -> dict[str, str]:
    """The hand-kept reasons (name → reason) for the names our splitter parts differently."""
    if not DISAGREEMENTS.exists():
        return {}
    with DISAGREEMENTS.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        return {row["name"]: row["reason"] for row in rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tests_py", type=Path, help="python-nameparser's tests.py")
    args = parser.parse_args()
    reasons = read_disagreements()
    cases = []
    for number, case in enumerate(read_cases(args.tests_py), 1):
        labelled = {"label": f"nameparser-{number:03d}", **case}
        if case["name"] in reasons:
            labelled["xfail"] = reasons[case["name"]]
        cases.append(labelled)
    OUTPUT.write_text(json.dumps(cases, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(
        f"{len(cases)} cases ({sum('xfail' in c for c in cases)} with a known disagreement) -> {OUTPUT.relative_to(REPO)}"
    )


if __name__ == "__main__":
    main()
