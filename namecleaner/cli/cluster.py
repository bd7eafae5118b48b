"""``namecleaner cluster``: cluster the names of an already-cleaned file; also ``clean --cluster``.

The file is read twice, in chunks: the first pass gathers the distinct match keys (memory
grows with distinct names, not rows), clustering runs over them, and the second pass writes
every row with ``cluster_id`` and ``cluster_name`` appended.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd

from namecleaner import io as table_io
from namecleaner.batch import clean
from namecleaner.cluster import DEFAULT_STRICTNESS, ClusterResult, cluster_units
from namecleaner.cluster.features import KEY_COLUMN, build_units
from namecleaner.cluster.incremental import read_authority, with_authority
from namecleaner.cluster.overrides import read_overrides, resolve_keys
from namecleaner.errors import InputError
from namecleaner.pipeline import build_pipeline

CLUSTER_COLUMNS = ("cluster_id", "cluster_name")
DEFAULT_CHUNK_ROWS = 100_000

EXAMPLES = """examples:
  namecleaner clean applicants.csv -o cleaned.csv --column applicant
  namecleaner cluster cleaned.csv -o clustered.csv
  namecleaner cluster cleaned.csv -o clustered.csv --overrides decisions.tsv --strictness 0.6
  namecleaner cluster new.csv -o assigned.csv --authority authority.csv

The input needs the match_key column of 'namecleaner clean'; the display name comes from
name_clean (or --name-column). Or do both at once: namecleaner clean ... --cluster."""


def add_cluster_options(parser: argparse.ArgumentParser) -> None:
    """The options shared by ``cluster`` and ``clean --cluster``."""
    group = parser.add_argument_group("clustering")
    group.add_argument("--strictness", type=float, default=DEFAULT_STRICTNESS,
                       help="0 merges freely, 1 joins only near-equal names (default: %(default)s)")
    group.add_argument("--overrides", metavar="FILE", help="TSV of must_link / cannot_link / pin decisions applied on every run")
    group.add_argument("--authority", metavar="FILE",
                       help="existing clusters (CSV/TSV with name, cluster_id[, cluster_name]): new names join them or get new ids")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``cluster`` subcommand."""
    parser = subparsers.add_parser(
        "cluster",
        help="group the spellings of one applicant in an already-cleaned file",
        description="Cluster the cleaned names of a file and append cluster_id and cluster_name.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("input", metavar="INPUT", help="cleaned CSV, TSV or Parquet file, or '-' for stdin")
    parser.add_argument("-o", "--output", required=True, help="output file (format from its extension), or '-' for stdout")
    parser.add_argument("--key-column", default=KEY_COLUMN, help="the match key column (default: %(default)s)")
    parser.add_argument("--name-column", help="the display name column (default: name_clean, else the key column)")
    parser.add_argument("--count-column", help="a column with the mentions of each row (default: each row counts once)")
    parser.add_argument("--office", help="office profile used to clean override and authority names")
    parser.add_argument("--delimiter", help="input field delimiter (default: ',' for .csv, tab for .tsv)")
    parser.add_argument("--encoding", help="input text encoding (default: detected)")
    parser.add_argument("--decisions", metavar="FILE", help="also write every merge taken or refused, with its scores, as TSV")
    add_cluster_options(parser)
    parser.set_defaults(run=run)


def _read(path: str, fmt: str, delimiter: str | None, encoding: str | None) -> tuple[list[str], Iterator[pd.DataFrame]]:
    if fmt == "parquet":
        header, _, chunks = table_io.read_parquet(path, chunk_rows=DEFAULT_CHUNK_ROWS)
    else:
        header, chunks = table_io.read_delimited(
            path, delimiter=delimiter or ("\t" if fmt == "tsv" else ","), encoding=encoding, chunk_rows=DEFAULT_CHUNK_ROWS
        )
    return header, (chunk.frame for chunk in chunks)


def cluster_file(
    path: str,
    output: str,
    *,
    key_column: str = KEY_COLUMN,
    name_column: str | None = None,
    count_column: str | None = None,
    new_columns: tuple[str, str] = CLUSTER_COLUMNS,
    strictness: float = DEFAULT_STRICTNESS,
    overrides: str | None = None,
    authority: str | None = None,
    office: str | None = None,
    fmt: str | None = None,
    output_format: str | None = None,
    delimiter: str | None = None,
    encoding: str | None = None,
    decisions: str | None = None,
) -> ClusterResult:
    """Cluster a cleaned file into ``output`` (two streaming passes over ``path``)."""
    fmt = table_io.detect_format(path, fmt)
    header, chunks = _read(path, fmt, delimiter, encoding)
    name_column = name_column or ("name_clean" if "name_clean" in header else key_column)
    for option, column in (("--key-column", key_column), ("--name-column", name_column), ("--count-column", count_column)):
        if column is not None and column not in header:
            raise InputError(f"{path}: no column '{column}' ({option}); the header has: {', '.join(header[:12])}")
    clash = sorted(set(header) & set(new_columns))
    if clash:
        raise InputError(f"{path}: the input already has column(s) {', '.join(clash)}")
    optional = [c for c in ("legal_form_class", "name_type") if c in header]
    tally: Counter[tuple] = Counter()
    for frame in chunks:
        counts = pd.to_numeric(frame[count_column], errors="coerce").fillna(1).astype(int) if count_column else None
        keys = frame[[key_column, name_column, *optional]].astype(object).where(frame.notna(), None)
        for row, count in zip(keys.itertuples(index=False, name=None), counts if counts is not None else [1] * len(frame)):
            if row[0]:
                tally[row] += count
    rows = list(tally.items())
    units = build_units(
        (r[0] for r, _ in rows), (r[1] for r, _ in rows), (c for _, c in rows),
        (r[2] for r, _ in rows) if "legal_form_class" in optional else None,
        (r[optional.index("name_type") + 2] for r, _ in rows) if "name_type" in optional else None,
    )
    del tally, rows
    pipeline = build_pipeline(office) if overrides or authority else None

    def make_keys(names: list[str]) -> list[str | None]:
        return clean(names, pipeline=pipeline)[KEY_COLUMN].tolist()

    existing = None
    if authority:
        existing = read_authority(authority, make_keys)
        units = with_authority(units, existing)
    constraints = pinned = None
    if overrides:
        decided = read_overrides(overrides)
        override_keys = resolve_keys(decided, make_keys)
        constraints = decided.constraints(override_keys, units.index)
        pinned = decided.pinned(override_keys, units.index)
    result = cluster_units(units, strictness=strictness, constraints=constraints, pinned=pinned, authority=existing)
    lookup = result.by_key()
    out_format = output_format or (fmt if output == table_io.STDIO else table_io.detect_format(output))
    header, chunks = _read(path, fmt, delimiter, encoding)
    columns = _with_cluster_columns(header, list(new_columns), key_column)
    with table_io.atomic_output(output, binary=out_format == "parquet") as handle:
        writer = table_io.TableWriter(handle, out_format)
        wrote = False
        for frame in chunks:
            labels = [lookup.get(k, (None, None)) if isinstance(k, str) else (None, None) for k in frame[key_column]]
            added = pd.DataFrame(labels, columns=list(new_columns), index=frame.index, dtype="string")
            writer.write(pd.concat([frame, added], axis=1)[columns])
            wrote = True
        if not wrote:
            writer.write(pd.DataFrame(columns=columns))
        writer.close()
    if decisions:
        write_decisions(result, decisions)
    return result


def _with_cluster_columns(header: list[str], new_columns: list[str], key_column: str) -> list[str]:
    """The output columns: the cluster columns stand before the cleaned file's ``steps`` (the column contract), else last.

    >>> _with_cluster_columns(["name", "match_key", "steps", "extra"], ["cluster_id", "cluster_name"], "match_key")
    ['name', 'match_key', 'cluster_id', 'cluster_name', 'steps', 'extra']
    >>> _with_cluster_columns(["name", "key"], ["cluster_id", "cluster_name"], "key")
    ['name', 'key', 'cluster_id', 'cluster_name']
    """
    steps = key_column[: -len(KEY_COLUMN)] + "steps" if key_column.endswith(KEY_COLUMN) else None
    at = header.index(steps) if steps in header else len(header)
    return header[:at] + new_columns + header[at:]


def write_decisions(result: ClusterResult, path: str) -> None:
    """Every merge taken or refused as TSV: the two keys, edge score, linkage, weakest pair, reason."""
    keys = result.units.keys
    rows = [
        (keys[d.left], keys[d.right], f"{d.score:.4f}", f"{d.linkage:.4f}", f"{d.weakest:.4f}", "merged" if d.accepted else "refused", d.reason)
        for d in result.assignment.decisions
    ]
    frame = pd.DataFrame(rows, columns=["key", "other_key", "score", "linkage", "weakest", "decision", "reason"])
    with table_io.atomic_output(path) as handle:
        frame.to_csv(handle, sep="\t", index=False)


def _spooled(path: str) -> tuple[str, Callable[[], None]]:
    """A file path for the input: stdin is copied to a temporary file, since it is read twice."""
    if path != table_io.STDIO:
        return path, lambda: None
    handle, temporary = tempfile.mkstemp(suffix=".csv")
    with os.fdopen(handle, "wb") as out:
        shutil.copyfileobj(sys.stdin.buffer, out)
    return temporary, lambda: Path(temporary).unlink(missing_ok=True)


def run(args: argparse.Namespace) -> int:
    """Cluster the file; returns the exit code."""
    path, cleanup = _spooled(args.input)
    try:
        cluster_file(
            path, args.output, key_column=args.key_column, name_column=args.name_column, count_column=args.count_column,
            strictness=args.strictness, overrides=args.overrides, authority=args.authority, office=args.office,
            fmt=None if path == args.input else "csv", delimiter=args.delimiter, encoding=args.encoding, decisions=args.decisions,
        )
    except ValueError as error:
        raise InputError(str(error)) from None
    finally:
        cleanup()
    return 0


def clean_then_cluster(args: argparse.Namespace, clean_run: Callable[[argparse.Namespace], int]) -> int:
    """``clean --cluster``: clean into a temporary file, then cluster it into the output."""
    if args.engine != "stream":
        raise InputError("--cluster needs --engine stream")
    fmt = args.output_format or (table_io.detect_format(args.input, args.format) if args.output == table_io.STDIO
                                  else table_io.detect_format(args.output))
    folder = Path(args.output).resolve().parent if args.output != table_io.STDIO else None
    handle, temporary = tempfile.mkstemp(suffix=f".{fmt}", dir=folder)
    os.close(handle)
    try:
        cleaned = argparse.Namespace(**{**vars(args), "output": temporary, "output_format": fmt, "cluster": False})
        code = clean_run(cleaned)
        if code:
            return code
        header = _read(temporary, fmt, None, "utf-8")[0]
        prefix = args.prefix or ""
        key = next((c for c in reversed(header) if c == f"{prefix}{KEY_COLUMN}" or c.endswith(KEY_COLUMN)), None)
        if key is None:
            raise InputError("--cluster needs the match_key stage; the office profile switches it off")
        name = key[: -len(KEY_COLUMN)] + "name_clean"
        cluster_file(
            temporary, args.output, key_column=key, name_column=name if name in header else None,
            new_columns=(key[: -len(KEY_COLUMN)] + "cluster_id", key[: -len(KEY_COLUMN)] + "cluster_name"),
            strictness=args.strictness, overrides=args.overrides, authority=args.authority, office=args.office,
            fmt=fmt, encoding="utf-8",
        )
    finally:
        Path(temporary).unlink(missing_ok=True)
    return 0
