"""``namecleaner tables``: list, show, validate and test transliteration tables."""

from __future__ import annotations

import argparse
import sys

from namecleaner.errors import DataFileError, MissingDependencyError
from namecleaner.translit.engine import example_failures
from namecleaner.translit.registry import TableRegistry
from namecleaner.translit.table import Table, load_table

EXAMPLES = """examples:
  namecleaner tables list
  namecleaner tables show ua-ukr-Cyrl-Latn-2010
  namecleaner tables validate my_office_table.csv
  namecleaner tables test                      # every table's examples; exit 1 on a failure
  namecleaner tables test ua-ukr-Cyrl-Latn-2010 --tables ./our_tables"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``tables`` subcommand."""
    parser = subparsers.add_parser(
        "tables",
        help="list, show, validate and test transliteration tables",
        description="Transliteration tables: built-in, from --tables folders, $NAMECLEANER_TABLES and installed packages.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("action", choices=("list", "show", "validate", "test"))
    parser.add_argument("target", nargs="?", metavar="ID|FILE", help="table id (show, test) or file (validate)")
    parser.add_argument(
        "--tables", action="append", default=[], metavar="DIR", help="also read tables from this folder (repeatable)"
    )
    parser.set_defaults(run=run)


def _describe(table: Table) -> str:
    meta = table.metadata
    return (
        f"{table.id}\t{meta['source_script']}-{meta['target_script']}\t{','.join(table.languages)}\t"
        f"{','.join(table.offices) or '-'}\t{meta['title']}"
    )


def _show(table: Table, origin: str) -> None:
    meta = table.metadata
    for key in (
        "id",
        "title",
        "authority",
        "offices",
        "languages",
        "source_script",
        "target_script",
        "version",
        "source",
        "licence",
        "url",
        "case",
        "normalize",
        "reader",
    ):
        if key in meta:
            value = meta[key]
            print(f"{key}: {', '.join(value) if isinstance(value, list) else value}")
    print(f"file: {table.path} ({origin})")
    for rules_pass in table.passes:
        print(f"\n[{rules_pass.name}]{' normalize ' + rules_pass.normalize if rules_pass.normalize else ''}")
        for rule in rules_pass.rules:
            print(f"{rule.source}\t→ {rule.target}\t{rule.context}".rstrip())
    if table.icu_rules:
        print("\n[icu_rules]\n" + table.icu_rules.rstrip())
    print(f"\n{len(table.examples)} examples")
    for example in table.examples:
        note = f"  (known failure: {example.known_failure})" if example.known_failure else ""
        print(f"{example.source}\t→ {example.expected}{note}")


def run(args: argparse.Namespace) -> int:
    """Run the action; returns the exit code."""
    if args.action == "validate":
        if not args.target:
            raise SystemExit("namecleaner tables validate: give the FILE to check")
        try:
            table = load_table(args.target)
        except DataFileError as error:
            print(f"{error.path}: invalid table, {len(error.problems)} problem(s):", file=sys.stderr)
            for problem in error.problems:
                print(f"  {problem}", file=sys.stderr)
            return 1
        print(
            f"{args.target}: valid table {table.label}, {sum(len(p.rules) for p in table.passes)} rules, {len(table.examples)} examples"
        )
        return 0
    registry = TableRegistry(args.tables)
    if args.action == "list":
        print("id\tscripts\tlanguages\toffices\ttitle")
        for table_id in registry.ids():
            print(_describe(registry.get(table_id)))
        return 0
    if args.action == "show":
        if not args.target:
            raise SystemExit("namecleaner tables show: give a table ID (see 'namecleaner tables list')")
        _show(registry.get(args.target), registry.sources[args.target].origin)
        return 0
    ids = [args.target] if args.target else registry.ids()
    failed = total = 0
    skipped: list[str] = []
    for table_id in ids:
        table = registry.get(table_id)
        try:
            failures = example_failures(table)
        except MissingDependencyError as error:
            # A table whose reader needs an optional extra is not tested, and says which extra.
            print(f"{table_id}: skipped, {error}")
            skipped.append(table_id)
            continue
        total += len(table.examples)
        failed += len(failures)
        for source, expected, got in failures:
            print(f"FAIL {table_id}: {source!r} expected {expected!r}, got {got!r}")
        known = sum(1 for e in table.examples if e.known_failure)
        print(
            f"{table_id}: {len(table.examples) - len(failures) - known} passed, {len(failures)} failed"
            + (f", {known} known failures" if known else "")
        )
    print(
        f"{len(ids)} tables, {total} examples, {failed} failed"
        + (f", {len(skipped)} tables skipped ({', '.join(skipped)})" if skipped else "")
    )
    return 1 if failed else 0
