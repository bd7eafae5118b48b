"""The ``namecleaner`` command. Each subcommand is a module here with ``register(subparsers)``.

Errors a user can fix are printed on one line, without a traceback, and exit 1.
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

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


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP, handled as Ctrl-C is: the partial outputs are removed on the way out."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextmanager
def _stopping_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP raise :class:`Stopped` in this process (forked workers keep the default)."""
    main_pid = os.getpid()

    def stop(signum: int, frame: object) -> None:
        if os.getpid() != main_pid:  # a forked worker: die as the signal says
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise Stopped(signum)

    signums = [signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
    try:
        previous = {signum: signal.signal(signum, stop) for signum in signums}
    except ValueError:  # not the main thread: signals cannot be handled here
        yield
        return
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        with _stopping_signals():
            return int(args.run(args) or 0)
    except NameCleanerError as error:
        print(f"namecleaner: error: {error}", file=sys.stderr)
        return 1
    except Stopped as stopped:
        print(f"namecleaner: stopped by {stopped}; no output was written", file=sys.stderr)
        return 128 + stopped.signum
    except KeyboardInterrupt:
        print("namecleaner: interrupted; no output was written", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as error:  # a full disk, a device error: one line, the partial output removed
        where = f"{error.filename}: " if error.filename else ""
        print(f"namecleaner: error: {where}{error.strerror or error}; no output was written", file=sys.stderr)
        return 1
