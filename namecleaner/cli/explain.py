"""``namecleaner explain A B``: why two names are clustered together or apart."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import pandas as pd

from namecleaner import io as table_io
from namecleaner.cluster import DEFAULT_STRICTNESS
from namecleaner.cluster.explain import explain, explain_cluster
from namecleaner.cluster.overrides import read_overrides
from namecleaner.cluster.score import read_match_model
from namecleaner.config import ClusterOptions, Config
from namecleaner.errors import InputError

EXAMPLES = """examples:
  namecleaner explain "ABC Co. Ltd." "ABC America Inc."
  namecleaner explain "トヨタ自動車株式会社" "Toyota Motor Corporation"
  namecleaner explain "Motorola Inc" "Motorla Inc" --with applicants.csv --column applicant

  namecleaner explain --cluster NC1a2b3c4d5e6f7a8b --with clustered.csv

The pair is shown as a waterfall: each feature's contribution to the log-odds of a match,
then the probability (or the veto that decided). With --with, the names of that file are
clustered too, so word weights and clusters are those of the real run. With --cluster, the
members of that cluster of a clustered file are re-scored pair by pair: its weakest link and
the merges that join them."""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``explain`` subcommand."""
    parser = subparsers.add_parser(
        "explain",
        help="say why two names are clustered together or apart",
        description="Explain whether and why two names end up in one cluster.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("left", metavar="A", nargs="?", help="a name")
    parser.add_argument("right", metavar="B", nargs="?", help="another name")
    parser.add_argument(
        "--with",
        dest="context",
        metavar="FILE",
        help="CSV/TSV/Parquet file whose names are clustered too; with --cluster, the clustered file",
    )
    parser.add_argument(
        "--cluster",
        metavar="ID",
        help="explain this cluster of the --with file (written by 'cluster'): its weakest link and the merges",
    )
    parser.add_argument(
        "--model",
        metavar="FILE",
        help="a match model of your own (namecleaner model fit)",
    )
    parser.add_argument("-c", "--column", help="the name column of --with")
    parser.add_argument("--office", help="office profile: an ST.3 code or a .toml path")
    parser.add_argument(
        "--strictness",
        type=float,
        help=f"as for 'cluster' (default: the fitted model's for --regional-units, {DEFAULT_STRICTNESS} apart)",
    )
    parser.add_argument("--overrides", metavar="FILE", help="overrides file, as for 'cluster'")
    parser.add_argument(
        "--regional-units",
        dest="regional_units",
        choices=("apart", "together"),
        help="as for 'cluster' (default: the --office profile's, else apart)",
    )
    parser.set_defaults(run=run)


def read_columns(path: str, required: Sequence[str], optional: Sequence[str] = ()) -> pd.DataFrame:
    """Some columns of a CSV/TSV/Parquet file, whole; a missing required column is a one-line error."""
    fmt = table_io.detect_format(path)
    if fmt == "parquet":
        header, _, chunks = table_io.read_parquet(path, chunk_rows=100_000)
    else:
        header, chunks = table_io.read_delimited(
            path,
            delimiter="\t" if fmt == "tsv" else ",",
            encoding=None,
            chunk_rows=100_000,
        )
    for column in required:
        if column not in header:
            raise InputError(f"{path}: no column '{column}'; the header has: {', '.join(header[:12])}")
    wanted = [*required, *(c for c in optional if c in header and c not in required)]
    return pd.concat(
        [pd.DataFrame(columns=wanted), *(chunk.frame[wanted] for chunk in chunks)],
        ignore_index=True,
    )


def _context_names(path: str, column: str | None) -> list[str]:
    if not column:
        raise InputError("--with needs --column, the column holding the names")
    return list(dict.fromkeys(v for v in read_columns(path, [column])[column].dropna().astype(str) if v))


def run(args: argparse.Namespace) -> int:
    """Print the explanation; returns the exit code."""
    model = read_match_model(args.model) if args.model else None
    if args.regional_units is None:
        args.regional_units = Config.from_profile(args.office).cluster.regional_units
    strictness = ClusterOptions(strictness=args.strictness, regional_units=args.regional_units).threshold
    try:
        if args.cluster:
            if not args.context or args.left:
                raise InputError(
                    "--cluster ID explains a cluster of the clustered file given with --with FILE (and no names A B)"
                )
            frame = read_columns(
                args.context,
                ["match_key", "cluster_id"],
                ["name_clean", "original", "legal_form_class", "name_type"],
            )
            lines = explain_cluster(
                frame, args.cluster, strictness=strictness, model=model, regional_units=args.regional_units
            )
        else:
            if not (args.left and args.right):
                raise InputError("give two names A B, or --cluster ID with --with FILE")
            context = _context_names(args.context, args.column) if args.context else []
            lines = explain(
                args.left,
                args.right,
                context=context,
                office=args.office,
                strictness=strictness,
                overrides=read_overrides(args.overrides) if args.overrides else None,
                model=model,
                regional_units=args.regional_units,
            )
    except ValueError as error:
        raise InputError(str(error)) from None
    print("\n".join(lines))
    return 0
