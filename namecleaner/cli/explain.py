"""``namecleaner explain A B``: why two names are clustered together or apart."""

from __future__ import annotations

import argparse

from namecleaner import io as table_io
from namecleaner.cluster import DEFAULT_STRICTNESS
from namecleaner.cluster.explain import explain
from namecleaner.cluster.overrides import read_overrides
from namecleaner.errors import InputError

EXAMPLES = """examples:
  namecleaner explain "ABC Co. Ltd." "ABC America Inc."
  namecleaner explain "トヨタ自動車株式会社" "Toyota Motor Corporation"
  namecleaner explain "Motorola Inc" "Motorla Inc" --with applicants.csv --column applicant

With --with, the names of that file are clustered too, so word weights and clusters are
those of the real run."""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``explain`` subcommand."""
    parser = subparsers.add_parser(
        "explain",
        help="say why two names are clustered together or apart",
        description="Explain whether and why two names end up in one cluster.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("left", metavar="A", help="a name")
    parser.add_argument("right", metavar="B", help="another name")
    parser.add_argument("--with", dest="context", metavar="FILE", help="CSV/TSV/Parquet file whose names are clustered too")
    parser.add_argument("-c", "--column", help="the name column of --with")
    parser.add_argument("--office", help="office profile: an ST.3 code or a .toml path")
    parser.add_argument("--strictness", type=float, default=DEFAULT_STRICTNESS, help="as for 'cluster' (default: %(default)s)")
    parser.add_argument("--overrides", metavar="FILE", help="overrides file, as for 'cluster'")
    parser.set_defaults(run=run)


def _context_names(path: str, column: str | None) -> list[str]:
    if not column:
        raise InputError("--with needs --column, the column holding the names")
    fmt = table_io.detect_format(path)
    if fmt == "parquet":
        header, _, chunks = table_io.read_parquet(path, chunk_rows=100_000)
    else:
        header, chunks = table_io.read_delimited(path, delimiter="\t" if fmt == "tsv" else ",", encoding=None, chunk_rows=100_000)
    if column not in header:
        raise InputError(f"{path}: no column '{column}'; the header has: {', '.join(header[:12])}")
    names: dict[str, None] = {}
    for chunk in chunks:
        names.update(dict.fromkeys(v for v in chunk.frame[column].dropna().astype(str) if v))
    return list(names)


def run(args: argparse.Namespace) -> int:
    """Print the explanation; returns the exit code."""
    context = _context_names(args.context, args.column) if args.context else []
    try:
        lines = explain(args.left, args.right, context=context, office=args.office, strictness=args.strictness,
                        overrides=read_overrides(args.overrides) if args.overrides else None)
    except ValueError as error:
        raise InputError(str(error)) from None
    print("\n".join(lines))
    return 0
