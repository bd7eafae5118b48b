"""The ``namecleaner`` command. Each subcommand is a module here with ``register(subparsers)``.

Errors a user can fix are printed on one line, without a traceback, and exit 1.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from namecleaner import __version__
from namecleaner.errors import NameCleanerError

#: Subcommand modules, in the order ``--help`` lists them.
COMMANDS = ("clean", "tables", "cluster", "explain", "report", "model")

EPILOG = """examples:
  namecleaner clean examples/applicants_sample.csv -o cleaned.csv --column applicant
  namecleaner clean feed.tsv -o feed.parquet --column owner --office JP
  cat names.csv | namecleaner clean - -o - --column name --quiet

run 'namecleaner COMMAND --help' for the options of a command."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="namecleaner",
        description="Clean and standardise applicant, owner and inventor names (draft WIPO ST.93).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"namecleaner {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"namecleaner.cli.{name.replace('-', '_')}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.run(args) or 0)
    except NameCleanerError as error:
        print(f"namecleaner: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("namecleaner: interrupted; no output was written", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
