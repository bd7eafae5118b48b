"""``namecleaner cluster``: cluster the names of an already-cleaned file; also ``clean --cluster``.

The file is read twice, in chunks: the first pass gathers the distinct match keys (memory
grows with distinct names, not rows), clustering runs over them, and the second pass writes
every row with ``cluster_id`` and ``cluster_name`` appended.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Collection, Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from namecleaner import io as table_io
from namecleaner.cli.config import add_config_options, config_from_args, write_config
from namecleaner.cluster import DEFAULT_STRICTNESS, ClusterResult, cluster_units, constrained
from namecleaner.cluster.features import KEY_COLUMN, Units, UnitTally, tally_frame
from namecleaner.config import ClusterOptions, Config
from namecleaner.context import Context
from namecleaner.errors import InputError, ParquetTextError
from namecleaner.report import ReportCollector

CLUSTER_COLUMNS: tuple[str, str] = ("cluster_id", "cluster_name")
DEFAULT_CHUNK_ROWS = 100_000

EXAMPLES = """examples:
  namecleaner clean applicants.csv -o cleaned.csv --column applicant
  namecleaner cluster cleaned.csv -o clustered.csv
  namecleaner cluster cleaned.csv -o clustered.csv --overrides decisions.tsv --strictness 0.6
  namecleaner cluster new.csv -o assigned.csv --authority authority.csv

The input needs the match_key column of 'namecleaner clean'; the display name comes from
name_clean (or --name-column). Or do both at once: namecleaner clean ... --cluster."""


def add_cluster_options(parser: argparse.ArgumentParser, *, report: bool = True) -> None:
    """The options shared by ``cluster``, ``clean --cluster`` and (without ``--report``) ``report``."""
    group = parser.add_argument_group("clustering")
    group.add_argument(
        "--strictness",
        type=float,
        help=f"the match probability at which names join, 0 to 1 (default: the fitted model's for --regional-units: "
        f"{DEFAULT_STRICTNESS} apart, {ClusterOptions(regional_units='together').threshold} together)",
    )
    group.add_argument(
        "--model",
        metavar="FILE",
        help="a match model of your own (namecleaner model fit LABELS -o FILE) instead of the shipped one",
    )
    group.add_argument(
        "--overrides", metavar="FILE", help="TSV of must_link / cannot_link / pin decisions applied on every run"
    )
    group.add_argument(
        "--regional-units",
        dest="regional_units",
        choices=("apart", "together"),
        help="a regional unit or group member (Motorola Japan beside Motorola, Samty Holdings beside Samty) is "
        "another applicant (apart, the default: an applicant is a legal entity) or the same one "
        "(together: aliases, harmonised group names)",
    )
    group.add_argument(
        "--authority",
        metavar="FILE",
        help="existing clusters (CSV/TSV with name, cluster_id[, cluster_name]): new names join them or get new ids",
    )
    if report:
        group.add_argument(
            "--report",
            metavar="FILE",
            help="also write the review page of the clusters (HTML, offline; see 'namecleaner report')",
        )


ENGINES = ("stream", "dask")


def add_engine_options(parser: argparse.ArgumentParser) -> None:
    """The options that choose where a run goes: this process, or a Dask cluster."""
    engine = parser.add_argument_group("engine")
    engine.add_argument(
        "--engine",
        choices=ENGINES,
        default="stream",
        help="'stream': this process, in chunks (default); 'dask': a Dask cluster, block by block",
    )
    engine.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address (default: a local cluster)")
    engine.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="worker processes that clean and cluster, or of the local Dask cluster (default: one per core)",
    )
    engine.add_argument(
        "--partitions",
        type=int,
        metavar="N",
        help="Dask: cut the input into at least N blocks (default: 4 per worker thread; a block holds at most 32 MB)",
    )


def check_engine_options(args: argparse.Namespace) -> None:
    """Refuse Dask options without Dask, and a local cluster size that cannot be."""
    if args.engine != "dask":
        for option in ("scheduler", "partitions"):
            if getattr(args, option) is not None:
                raise InputError(f"--{option} needs --engine dask")
    if args.workers is not None and args.scheduler:
        raise InputError("--workers sets the size of a local cluster; a --scheduler's cluster has its own workers")
    if args.partitions is not None and args.partitions < 1:
        raise InputError("--partitions must be at least 1")


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
    parser.add_argument(
        "-o", "--output", required=True, help="output file (format from its extension), or '-' for stdout"
    )
    parser.add_argument("--key-column", default=KEY_COLUMN, help="the match key column (default: %(default)s)")
    parser.add_argument("--name-column", help="the display name column (default: name_clean, else the key column)")
    parser.add_argument("--count-column", help="a column with the mentions of each row (default: each row counts once)")
    add_config_options(parser)
    parser.add_argument("--delimiter", help="input field delimiter (default: ',' for .csv, tab for .tsv)")
    parser.add_argument("--encoding", help="input text encoding (default: detected)")
    parser.add_argument(
        "--decisions", metavar="FILE", help="also write every merge taken or refused, with its scores, as TSV"
    )
    add_cluster_options(parser)
    add_engine_options(parser)
    parser.set_defaults(run=run)


def _read(path: str, fmt: str, delimiter: str | None, encoding: str | None) -> tuple[list[str], Iterator[pd.DataFrame]]:
    if fmt in ("parquet", "xlsx"):
        read = table_io.read_parquet if fmt == "parquet" else table_io.read_xlsx
        header, _, chunks = read(path, chunk_rows=DEFAULT_CHUNK_ROWS)
    else:
        delimiter = table_io.parse_delimiter(delimiter) if delimiter else ("\t" if fmt == "tsv" else ",")
        header, chunks = table_io.read_delimited(
            path, delimiter=delimiter, encoding=encoding, chunk_rows=DEFAULT_CHUNK_ROWS
        )
    return header, (chunk.frame for chunk in chunks)


def cluster_file(
    path: str,
    output: str | None,
    *,
    key_column: str = KEY_COLUMN,
    name_column: str | None = None,
    count_column: str | None = None,
    new_columns: tuple[str, str] = CLUSTER_COLUMNS,
    config: Config | None = None,
    fmt: str | None = None,
    output_format: str | None = None,
    delimiter: str | None = None,
    encoding: str | None = None,
    decisions: str | None = None,
    engine: Any = None,
    drop: Collection[str] = (),
    report: ReportCollector | None = None,
) -> ClusterResult:
    """Cluster a cleaned file into ``output`` (two passes over ``path``: distinct keys, then labels).

    ``engine`` runs the passes: :class:`StreamEngine` (the default) in this process, chunk by
    chunk; :class:`namecleaner.dask.DaskEngine` on a Dask cluster, block by block.

    ``config.cluster`` gives the strictness, overrides and authority; override and authority
    names are cleaned with the same configuration as the file was. The columns in ``drop``
    are left out of the output (``clean --cluster --columns``). Each labelled chunk also goes to
    ``report``; with ``output`` None only to it (``namecleaner report``).
    """
    config = config or Config.from_profile()
    engine = engine or StreamEngine()
    fmt = table_io.detect_format(path, fmt)
    header, parts = engine.read(path, fmt, delimiter, encoding)
    name_column = name_column or ("name_clean" if "name_clean" in header else key_column)
    for option, column in (
        ("--key-column", key_column),
        ("--name-column", name_column),
        ("--count-column", count_column),
    ):
        if column is not None and column not in header:
            raise InputError(f"{path}: no column '{column}' ({option}); the header has: {', '.join(header[:12])}")
    if report is not None:
        report.check(header, path)
    clash = sorted(set(header) & set(new_columns))
    if clash and output is not None:
        raise InputError(f"{path}: the input already has column(s) {', '.join(clash)}")
    stem = key_column[: -len(KEY_COLUMN)] if key_column.endswith(KEY_COLUMN) else ""  # the cleaned columns' prefix
    fields = {
        "key_column": key_column,
        "name_column": name_column,
        "class_column": stem + "legal_form_class",
        "type_column": stem + "name_type",
    }
    tally = UnitTally()
    for part in engine.map(partial(tally_frame, count_column=count_column, **fields), parts):
        tally.merge(part)  # chunk by chunk: memory grows with the distinct rows, not with the file
    units, constraints = constrained(tally.units(), config)
    del tally
    result = engine.cluster(units, config.cluster.threshold, **constraints)
    header, parts = engine.read(path, fmt, delimiter, encoding)
    named = header + list(new_columns)  # a labelled chunk's columns
    positions = [p for p in _with_cluster_columns(header, list(new_columns), key_column) if named[p] not in drop]
    columns = [named[p] for p in positions]
    labelled = engine.map(
        partial(label_rows, key_column=key_column, new_columns=new_columns, positions=positions), parts, result.by_key()
    )
    if report is not None:
        labelled = report.each(labelled, *new_columns)
    if output is None:
        collections.deque(labelled, maxlen=0)  # the report is all that is wanted
        return result
    out_format = output_format or (fmt if output == table_io.STDIO else table_io.detect_format(output))
    table_io.write_frames(labelled, output, out_format, pd.DataFrame(columns=columns))
    if decisions:
        write_decisions(result, decisions)
    return result


class StreamEngine:
    """How ``namecleaner cluster`` runs in this process: the file in chunks, the edges and assignment here."""

    def read(
        self, path: str, fmt: str, delimiter: str | None, encoding: str | None
    ) -> tuple[list[str], Iterator[pd.DataFrame]]:
        """The header and the chunks of the file."""
        return _read(path, fmt, delimiter, encoding)

    def map(self, function: Callable[..., Any], parts: Iterable[pd.DataFrame], *shared: Any) -> Iterator[Any]:
        """``function(chunk, *shared)`` for each chunk, in order."""
        return (function(frame, *shared) for frame in parts)

    def cluster(self, units: Units, strictness: float, **constraints: Any) -> ClusterResult:
        """Candidates, scores and assignment over every core of this machine."""
        return cluster_units(units, strictness=strictness, **constraints)


def label_rows(
    frame: pd.DataFrame,
    lookup: dict[str, tuple[str, str]],
    *,
    key_column: str,
    new_columns: tuple[str, str],
    positions: list[int],
) -> pd.DataFrame:
    """A chunk with the cluster id and name of each row's key (missing for a row without one)
    appended, then its columns at ``positions`` (:func:`_with_cluster_columns`)."""
    labels = [lookup.get(k, (None, None)) if isinstance(k, str) else (None, None) for k in frame[key_column]]
    added = pd.DataFrame(labels, columns=list(new_columns), index=frame.index, dtype="string")
    return pd.concat([frame, added], axis=1).iloc[:, positions]


def _with_cluster_columns(header: list[str], new_columns: list[str], key_column: str) -> list[int]:
    """The output columns, as positions in a chunk with the cluster columns appended: these
    stand before the cleaned file's ``steps`` (the column contract), else last. By position,
    since a name the input repeats (two "id" columns) would select each copy twice.

    >>> _with_cluster_columns(["name", "match_key", "steps", "extra"], ["cluster_id", "cluster_name"], "match_key")
    [0, 1, 4, 5, 2, 3]
    >>> _with_cluster_columns(["name", "key"], ["cluster_id", "cluster_name"], "key")
    [0, 1, 2, 3]
    """
    steps = key_column[: -len(KEY_COLUMN)] + "steps" if key_column.endswith(KEY_COLUMN) else None
    at = header.index(steps) if steps in header else len(header)
    added = list(range(len(header), len(header) + len(new_columns)))
    return [*range(at), *added, *range(at, len(header))]


def write_decisions(result: ClusterResult, path: str) -> None:
    """Every merge taken or refused as TSV: the two keys, edge score, linkage, weakest pair, reason."""
    keys = result.units.keys
    rows = [
        (
            keys[d.left],
            keys[d.right],
            f"{d.score:.4f}",
            f"{d.linkage:.4f}",
            f"{d.weakest:.4f}",
            "merged" if d.accepted else "refused",
            d.reason,
        )
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
    check_engine_options(args)
    config = config_from_args(args)
    if args.engine == "dask":
        from namecleaner import dask as nc_dask  # imports dask only when asked for

        with nc_dask.client(args.scheduler, args.workers) as client:
            return _cluster_run(args, config, args.input, nc_dask.DaskEngine(client, args.partitions))
    path, cleanup = _spooled(args.input)
    try:
        return _cluster_run(args, config, path, None)
    finally:
        cleanup()


def _cluster_run(args: argparse.Namespace, config: Config, path: str, engine: Any) -> int:
    found = None
    if args.report:
        from namecleaner.cli import report as review  # the page's libraries only when --report asks for them

        found = review.collector(args.report, args.key_column, None, None, args.count_column)
    try:
        result = cluster_file(
            path,
            args.output,
            key_column=args.key_column,
            name_column=args.name_column,
            count_column=args.count_column,
            config=config,
            fmt=None if path == args.input else "csv",
            delimiter=args.delimiter,
            encoding=args.encoding,
            decisions=args.decisions,
            engine=engine,
            report=found,
        )
        if found is not None:
            review.write(args.report, found, result, args.input)
    except ValueError as error:
        raise InputError(str(error)) from None
    return 0


def clean_then_cluster(
    args: argparse.Namespace, config: Config, clean_run: Callable[[argparse.Namespace], int], engine: Any = None
) -> int:
    """``clean --cluster``: clean into a temporary file, then cluster it into the output, both with ``config``.

    With a Dask ``engine`` the temporary output is a Parquet dataset folder that the workers
    write and read, one part per block.
    """
    if args.report:
        from namecleaner.cli import report as review  # the page's libraries only when --report asks for them

        review.check_output(args.report)  # before the cleaning, which may take long
    fmt = args.output_format or (
        table_io.detect_format(args.input, args.format)
        if args.output == table_io.STDIO
        else table_io.detect_format(args.output)
    )
    folder = Path(args.output).resolve().parent if args.output != table_io.STDIO else None
    if engine is None:
        # Parquet in between: written, then read twice, in a quarter of the time of CSV text
        temporary_format = "parquet" if fmt in ("csv", "tsv") else fmt
        handle, temporary = tempfile.mkstemp(suffix=f".{temporary_format}", dir=folder)
        os.close(handle)
    else:
        temporary, temporary_format = (
            tempfile.mkdtemp(prefix=".namecleaner-", suffix=".part", dir=folder) + os.sep,
            "parquet",
        )
    try:
        cleaned = argparse.Namespace(
            **{
                **vars(args),
                "output": temporary,
                "output_format": temporary_format,
                "cluster": False,
                "cluster_pass": True,
                "final_format": fmt,  # whose cells a spreadsheet may run as formulas
            }
        )
        try:
            code = clean_run(cleaned)
        except ParquetTextError:
            if engine is not None or temporary_format == fmt:  # a Dask pass writes a Parquet dataset or nothing
                raise
            # two columns of one name, or undecodable bytes: only the output's own format keeps them
            temporary_format = cleaned.output_format = fmt
            if summary := getattr(args, "run_summary", None):
                summary.restart()
            code = clean_run(cleaned)
        if code:
            return code
        header = _read(temporary, temporary_format, None, "utf-8")[0]
        prefix = args.prefix or ""
        key = next((c for c in reversed(header) if c == f"{prefix}{KEY_COLUMN}" or c.endswith(KEY_COLUMN)), None)
        if key is None:
            raise InputError("--cluster needs the match_key stage; the office profile switches it off")
        stem = key[: -len(KEY_COLUMN)]  # the prefix of the new columns
        name = stem + "name_clean"
        found = None
        if args.report:
            from namecleaner.cli import report as review  # the page's libraries only when --report asks for them

            found = review.collector(args.report, key, args.column, args.country_column, None)
        summary = getattr(args, "run_summary", None)
        with summary.phase("clustering") if summary else contextlib.nullcontext():
            result = cluster_file(
                temporary,
                args.output,
                key_column=key,
                name_column=name if name in header else None,
                new_columns=(stem + "cluster_id", stem + "cluster_name"),
                config=config,
                fmt=temporary_format,
                output_format=fmt,
                encoding="utf-8",
                engine=engine,
                drop={stem + c for c in getattr(args, "dropped_columns", ())},
                report=found,
            )
        if found is not None:
            review.write(args.report, found, result, args.input)
        if summary:
            summary.add_clusters(result)
        write_config(config, args.output, Context.for_config(config).table_labels())
    finally:
        if engine is None:
            Path(temporary).unlink(missing_ok=True)
        else:
            shutil.rmtree(temporary, ignore_errors=True)
    return 0
