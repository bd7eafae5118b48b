"""``namecleaner clean``: the batch command over a CSV, TSV, Parquet or Excel file.

The stream engine reads the file in chunks; the distinct names of each chunk are cleaned in
worker processes (``--workers``, :mod:`namecleaner.parallel`), and the chunks are written in
order. Progress is shown in rows, phase by phase, and a summary closes the run (on stderr,
and as JSON with ``--summary FILE``; :mod:`namecleaner.summary`).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
from tqdm import tqdm

from namecleaner import io as table_io
from namecleaner.batch import DEFAULT_PREFIX, STEPS_FORMATS, Cleaner, appended_names, clean_frame
from namecleaner.cli.cluster import (
    CLUSTER_COLUMNS,
    add_cluster_options,
    add_engine_options,
    check_engine_options,
    clean_then_cluster,
)
from namecleaner.cli.config import add_config_options, config_from_args, write_config
from namecleaner.config import Config
from namecleaner.context import Context
from namecleaner.errors import InputError
from namecleaner.parallel import ParallelCleaner
from namecleaner.summary import RunSummary
from namecleaner.workers import read_ahead, worker_count

DEFAULT_CHUNK_ROWS = 50_000
MAX_WARNINGS_SHOWN = 20

EXAMPLES = """examples:
  namecleaner clean examples/applicants_sample.csv -o cleaned.csv --column applicant
  namecleaner clean feed.tsv -o feed.parquet --column owner --office JP
  namecleaner clean legacy.csv -o out.csv --column name --encoding cp932
  cat names.csv | namecleaner clean - -o - --column name --quiet > cleaned.csv
  cat names.tsv | namecleaner clean - -o - --column name --delimiter '\t' > cleaned.csv
  namecleaner clean big.csv -o preview.xlsx --column name --limit 1000 --columns name_clean,legal_form,name_type
  namecleaner clean big.csv -o out.parquet --column name --steps none --workers 2 --summary run.json
  namecleaner clean parts/ -o cleaned/ --column name --engine dask --scheduler tcp://10.0.0.5:8786

The output keeps every input column and row, in order, and appends the new columns.
Rows that could not be processed are kept and reported on stderr (and with --errors FILE)."""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``clean`` subcommand."""
    parser = subparsers.add_parser(
        "clean",
        help="clean a column of names in a CSV, TSV or Parquet file",
        description="Clean one column of names and append the cleaned fields.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "input", metavar="INPUT", help="CSV, TSV or Parquet file, a Parquet dataset folder, or '-' for stdin"
    )
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        help="output file (format from its extension), a folder ending in '/' for a partitioned Parquet "
        "dataset (--engine dask), or '-' for stdout",
    )
    parser.add_argument("-c", "--column", required=True, help="the column holding the names")
    add_config_options(parser)
    parser.add_argument("--country-column", help="column with an ISO country code per row, used to resolve ambiguities")
    parser.add_argument(
        "--encoding", help="input text encoding (default: detected; UTF-8/16, cp932, GB18030, EUC-KR, cp1252)"
    )
    parser.add_argument("--delimiter", help="input field delimiter (default: ',' for .csv, tab for .tsv)")
    parser.add_argument(
        "--format", choices=table_io.FORMATS, help="input format when it cannot be told from the extension"
    )
    parser.add_argument(
        "--output-format", choices=table_io.FORMATS, help="output format (default: from -o, else the input's)"
    )
    parser.add_argument(
        "--prefix", help=f"prefix for the new columns (default: '{DEFAULT_PREFIX}' only if a name is taken)"
    )
    parser.add_argument(
        "--chunk-size", type=int, default=DEFAULT_CHUNK_ROWS, help="rows per chunk (default: %(default)s)"
    )
    parser.add_argument(
        "--errors", metavar="FILE", help="also write every row problem to this CSV (file, line, column, reason)"
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar, warnings or summary on stderr")
    output = parser.add_argument_group("output")
    output.add_argument(
        "--columns",
        metavar="A,B,...",
        help="the new columns to write, comma-separated (default: all; see the README's output columns)",
    )
    output.add_argument(
        "--steps",
        choices=STEPS_FORMATS,
        default="full",
        help="the steps column: 'full' provenance as JSON (default), 'compact' stage.step names, 'none' no column",
    )
    output.add_argument("--limit", type=int, metavar="N", help="clean only the first N rows (a preview)")
    output.add_argument("--summary", metavar="FILE", help="also write the run summary as JSON to FILE")
    output.add_argument(
        "--excel-safe",
        action="store_true",
        help="put a ' before new CSV/TSV cells that start with = + - @ (a spreadsheet would run them as formulas)",
    )
    parser.add_argument(
        "--cluster", action="store_true", help="also cluster the names: append cluster_id and cluster_name"
    )
    add_cluster_options(parser)
    add_engine_options(parser)
    parser.set_defaults(run=run)


@dataclass
class _Job:
    """What one run reads, writes and reports."""

    args: argparse.Namespace
    input_format: str
    output_format: str
    issues: list[tuple[int, str, str]]
    #: cells of the new columns a spreadsheet would run as formulas (see --excel-safe)
    formulas: int = 0


def _check_columns(path: str, header: list[str], args: argparse.Namespace, delimiter: str | None) -> None:
    for option, column in (("--column", args.column), ("--country-column", args.country_column)):
        if column is not None and column not in header:
            hint = ""
            if delimiter and len(header) == 1:
                guessed = _guess_delimiter(header[0])
                if guessed and guessed != delimiter:
                    hint = f"; is the delimiter {guessed!r}? try --delimiter {guessed!r}"
            shown = ", ".join(map(_shown, header[:12])) + (" …" if len(header) > 12 else "")
            raise InputError(f"{path}: no column '{column}' ({option}); the header has: {shown}{hint}")
        if column is not None and header.count(column) > 1:
            raise InputError(
                f"{path}: the column '{column}' appears {header.count(column)} times ({option}); "
                "rename the copies so that one column holds the names"
            )


def _shown(cell: str) -> str:
    """A header cell as an error line shows it: control characters escaped, at most 40 characters.

    >>> _shown("na\\x00me"), _shown("株式会社"), len(_shown("x" * 100))
    ('na\\\\x00me', '株式会社', 41)
    """
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in cell[:40])
    return text + ("…" if len(cell) > 40 else "")


def _guess_delimiter(header_line: str) -> str | None:
    try:
        return csv.Sniffer().sniff(header_line, delimiters=",;\t|").delimiter
    except csv.Error:
        return None


def _delimiter(job: _Job) -> str:
    if job.args.delimiter is not None:  # --delimiter '' is refused, not read as the default
        return table_io.parse_delimiter(job.args.delimiter)
    return "\t" if job.input_format == "tsv" else ","


class _RowProgress:
    """The progress bar in rows. A text file's total is estimated from its size and the bytes read so far."""

    def __init__(self, bar: tqdm) -> None:
        self.bar = bar
        self.size: int | None = None
        self.bytes = 0

    def on_bytes(self, count: int) -> None:
        self.bytes += count

    def rows(self, count: int) -> None:
        self.bar.update(count)
        if self.size and self.bytes:
            self.bar.total = max(self.bar.n, round(self.bar.n * self.size / min(self.bytes, self.size)))
            self.bar.refresh()

    def phase(self, name: str, total: int | None = None) -> None:
        self.bar.set_description(name)
        if total is not None:
            self.bar.reset(total=total)


def _chunks(job: _Job, progress: _RowProgress) -> tuple[list[str], Iterator[table_io.Chunk]]:
    args = job.args
    if job.input_format in ("parquet", "xlsx"):
        read = table_io.read_parquet if job.input_format == "parquet" else table_io.read_xlsx
        header, total, chunks = read(args.input, chunk_rows=args.chunk_size)
        progress.phase("reading and cleaning", min(total, args.limit) if args.limit else total)
        _check_columns(args.input, header, args, None)
        return header, chunks
    delimiter = _delimiter(job)
    header, chunks = table_io.read_delimited(
        args.input, delimiter=delimiter, encoding=args.encoding, chunk_rows=args.chunk_size, on_bytes=progress.on_bytes
    )
    if args.input != table_io.STDIO and not args.input.lower().endswith(".gz") and not args.limit:
        progress.size = os.path.getsize(args.input)
    progress.phase("reading and cleaning", args.limit)
    _check_columns(args.input, header, args, delimiter)
    return header, chunks


def _limited(chunks: Iterator[table_io.Chunk], limit: int | None) -> Iterator[table_io.Chunk]:
    """The chunks of the first ``limit`` rows (every chunk when None); stops reading there."""
    if limit is None:
        yield from chunks
        return
    left = limit
    for chunk in chunks:
        if left <= 0:
            break
        if len(chunk.frame) > left:
            last = chunk.lines[left - 1]
            chunk = table_io.Chunk(
                chunk.frame.iloc[:left], chunk.lines[:left], [i for i in chunk.issues if i.line <= last]
            )
        left -= len(chunk.frame)
        yield chunk
    close = getattr(chunks, "close", None)
    if close is not None:
        close()  # the reader's file is closed when its generator is


def _chosen_columns(args: argparse.Namespace, available: tuple[str, ...]) -> list[str] | None:
    """The new columns --columns picks (unprefixed names, in the order given), checked; None for all."""
    if args.columns is None:
        return None
    chosen = [c.strip() for c in args.columns.split(",") if c.strip()]
    known = [*available, *(CLUSTER_COLUMNS if args.cluster else ())]
    unknown = [c for c in chosen if c not in known]
    if unknown or not chosen:
        raise InputError(
            f"--columns: unknown column(s) {', '.join(unknown) or '(none given)'}; choose from {', '.join(known)}"
        )
    return list(dict.fromkeys(chosen))


def run(args: argparse.Namespace) -> int:
    """Clean the column and write the output; returns the exit code."""
    if args.chunk_size < 1:
        raise InputError("--chunk-size must be at least 1")
    if args.limit is not None and args.limit < 0:
        raise InputError(f"--limit must be a number of rows, 0 or more, not {args.limit}")
    config = config_from_args(args)  # checked before any work starts
    for option in ("strictness", "model", "overrides", "authority", "report", "regional_units"):
        if getattr(args, option, None) is not None and not (args.cluster or getattr(args, "cluster_pass", False)):
            raise InputError(f"--{option.replace('_', '-')} is an option of the clustering: add --cluster")
    if args.input != table_io.STDIO and not os.path.exists(args.input):
        raise InputError(f"{args.input}: cannot read: No such file or directory")
    if (
        args.input != table_io.STDIO
        and args.output != table_io.STDIO
        and os.path.exists(args.output)
        and os.path.samefile(args.input, args.output)
    ):
        raise InputError(f"{args.output}: refusing to overwrite the input; write to another file")
    input_format = table_io.detect_format(args.input, args.format)
    # stdout gets the input's format, except a workbook, which is no stream for a terminal or pipe
    stdout_format = "csv" if input_format == "xlsx" else input_format
    output_format = args.output_format or (
        stdout_format if args.output == table_io.STDIO else table_io.detect_format(args.output)
    )
    job = _Job(args, input_format, output_format, [])
    check_engine_options(args)
    if args.engine == "dask":
        return _run_dask(job, config)
    if table_io.is_dataset(args.output):
        raise InputError(f"{args.output}: writing a partitioned Parquet dataset (a folder) needs --engine dask")
    context = Context.for_config(config)
    if getattr(args, "cluster_pass", False):
        return _run_stream(job, config, None)  # every column, for the clustering pass to read
    columns = Cleaner(context.pipeline(), steps=args.steps).columns
    chosen = _chosen_columns(args, columns)
    summary = args.run_summary = RunSummary()
    if args.cluster:
        available = (*columns, *CLUSTER_COLUMNS)
        args.dropped_columns = [] if chosen is None else [c for c in available if c not in chosen]
        code = clean_then_cluster(args, config, run)
    else:
        code = _run_stream(job, config, chosen)
        write_config(config, args.output, context.table_labels())
    _finish(args, summary)
    return code


def _run_stream(job: _Job, config: Config, chosen: list[str] | None) -> int:
    """Clean the file chunk by chunk, the distinct names of each in the worker processes, and write it in order."""
    args = job.args
    summary: RunSummary = args.run_summary
    workers = worker_count(config.cluster.workers)
    pipeline = Context.for_config(config).pipeline()
    cleaner = ParallelCleaner.for_config(config, workers=workers, steps=args.steps) if workers > 1 else None
    serial = cleaner or Cleaner(pipeline, steps=args.steps)
    show = not args.quiet and sys.stderr.isatty()
    with (
        tqdm(disable=not show, unit=" rows", unit_scale=True, file=sys.stderr, desc="reading") as bar,
        cleaner or contextlib.nullcontext(),
    ):
        progress = _RowProgress(bar)
        header, chunks = _chunks(job, progress)
        every = appended_names(header, serial.columns, args.prefix)
        named = dict(zip(serial.columns, every))
        kept = header + ([named[c] for c in chosen if c in named] if chosen is not None else every)
        # the new columns the output will hold, whose formula cells are counted (and defused):
        # clean --cluster --columns drops some of its cleaning pass's only after clustering, and
        # a cluster name is a cleaned name of its cluster
        dropped = set(getattr(args, "dropped_columns", ()))
        if "cluster_name" not in dropped:
            dropped.discard("name_clean")
        written = [named[c] for c in serial.columns if c not in dropped and named[c] in kept]
        # by position: a name the input repeats (two "id" columns) would select each copy twice
        positions = list(range(len(header))) + [len(header) + every.index(c) for c in kept[len(header) :]]
        with table_io.atomic_output(args.output, binary=job.output_format in table_io.BINARY_FORMATS) as handle:
            writer = table_io.TableWriter(handle, job.output_format)
            wrote = False
            chunks = read_ahead(_limited(chunks, args.limit))  # the next chunk read while this one is cleaned
            with summary.phase("reading"):
                following = next(chunks, None)
            if following is not None:
                serial.prefetch(*_chunk_names(args, following))
            while (chunk := following) is not None:
                with summary.phase("reading"):
                    following = next(chunks, None)
                if following is not None:  # the workers clean it while this one is finished and written
                    serial.prefetch(*_chunk_names(args, following))
                with summary.phase("cleaning"):
                    frame = _clean_chunk(job, serial, chunk, every, written)
                    summary.add(
                        table_io.decoded_names(chunk.frame[args.column])[0],
                        {c: frame[named[c]] for c in serial.columns},
                    )
                with summary.phase("writing"):
                    writer.write(frame.iloc[:, positions])
                wrote = True
                progress.rows(len(chunk.frame))
            with summary.phase("writing"):
                if not wrote:
                    writer.write(pd.DataFrame(columns=kept))
                writer.close()
    summary.errors = len(job.issues)
    _report(job)
    return 0


def _finish(args: argparse.Namespace, summary: RunSummary) -> None:
    """The run summary: on stderr unless --quiet, and as JSON with --summary FILE."""
    if not args.quiet:
        for line in summary.lines():
            print(f"namecleaner: {line}", file=sys.stderr)
    if args.summary:
        with table_io.atomic_output(args.summary) as handle:
            json.dump(summary.to_dict(), handle, ensure_ascii=False, indent=2)
            handle.write("\n")


def _run_dask(job: _Job, config: Config) -> int:
    """The same run on a Dask cluster: the file in line-exact blocks, each cleaned by the batch API on a worker.

    With ``--cluster`` the cleaned blocks go to a temporary Parquet dataset, which the
    clustering passes read back block by block (see namecleaner.dask). The input, its
    columns and the configuration are checked before the cluster starts.
    """
    from namecleaner import dask as nc_dask  # imports dask only when asked for

    args = job.args
    if args.cluster and table_io.is_dataset(args.output):
        raise InputError(f"{args.output}: --cluster writes one file; give a .csv, .tsv or .parquet output")
    for option in ("limit", "summary"):
        if getattr(args, option, None):
            raise InputError(f"--{option.replace('_', '-')} needs --engine stream")
    delimiter = None if job.input_format == "parquet" else _delimiter(job)
    header = nc_dask.read_header(args.input, job.input_format, delimiter=delimiter, encoding=args.encoding)
    _check_columns(args.input, header, args, delimiter)
    task = nc_dask.CleanBlock.for_header(
        header, args.column, config, country_column=args.country_column, prefix=args.prefix, steps=args.steps
    )
    if job.output_format in ("csv", "tsv"):  # the final output's format, also when --cluster cleans into Parquet
        task = replace(task, formulas="defuse" if args.excel_safe else "count")
    chosen = _chosen_columns(args, task.columns)
    if args.cluster:
        args.dropped_columns = (
            [] if chosen is None else [c for c in (*task.columns, *CLUSTER_COLUMNS) if c not in chosen]
        )
    elif chosen is not None:
        task = task.keeping(header, chosen)
    with nc_dask.client(args.scheduler, args.workers) as client:
        if not args.cluster:
            return _clean_on_dask(job, task, client)

        def clean_run(cleaned: argparse.Namespace) -> int:
            return _clean_on_dask(_Job(cleaned, job.input_format, cleaned.output_format, []), task, client)

        return clean_then_cluster(args, config, clean_run, nc_dask.DaskEngine(client, args.partitions))


def _clean_on_dask(job: _Job, task: Any, client: Any) -> int:
    from namecleaner import dask as nc_dask

    args = job.args
    delimiter = None if job.input_format == "parquet" else _delimiter(job)
    partitions = nc_dask.partitions(client, args.partitions)
    header, blocks = nc_dask.plan_blocks(
        args.input, job.input_format, delimiter=delimiter, encoding=args.encoding, partitions=partitions
    )
    problems, job.formulas = nc_dask.clean_file(client, task, header, blocks, args.output, job.output_format)
    job.issues.extend(problems)
    if not getattr(args, "cluster_pass", False):
        write_config(task.config, args.output, Context.for_config(task.config).table_labels())
    _report(job)
    return 0


def _chunk_names(args: argparse.Namespace, chunk: table_io.Chunk) -> tuple[pd.Series, pd.Series | None]:
    """The names of a chunk as :func:`_clean_chunk` cleans them, and their countries."""
    countries = chunk.frame[args.country_column] if args.country_column else None
    return table_io.decoded_names(chunk.frame[args.column])[0], countries


def _clean_chunk(
    job: _Job, cleaner: Cleaner, chunk: table_io.Chunk, new_columns: list[str], written: list[str]
) -> pd.DataFrame:
    """The chunk with the new columns, its problems noted; the formula cells of the ``written`` ones counted."""
    args = job.args
    job.issues.extend((issue.line, "", issue.reason) for issue in chunk.issues)
    column = chunk.frame[args.column]
    names, undecoded = table_io.decoded_names(column)
    job.issues.extend((chunk.lines[i], args.column, "bytes not valid in utf-8: kept as they were") for i in undecoded)
    # the pipeline reads the names as text; the column itself is written back as it was read
    frame = chunk.frame if names is column else chunk.frame.assign(**{args.column: names})
    result = clean_frame(cleaner, frame, args.column, country_column=args.country_column, names=new_columns)
    job.issues.extend((chunk.lines[e.position], args.column, e.reason) for e in result.errors)
    cleaned = result.frame
    if frame is not chunk.frame:
        cleaned[args.column] = column
    # the final output's format: clean --cluster cleans into Parquet, then writes the CSV
    if getattr(args, "final_format", job.output_format) in ("csv", "tsv"):
        job.formulas += table_io.formula_cells(cleaned, written, defuse=args.excel_safe)
    return cleaned


def _report(job: _Job) -> None:
    args = job.args
    job.issues.sort(key=lambda issue: issue[0])  # by line, whatever the chunks or blocks (stable within a line)
    name = "<stdin>" if args.input == table_io.STDIO else args.input
    if job.issues and not args.quiet:
        for line, column, reason in job.issues[:MAX_WARNINGS_SHOWN]:
            where = f"{name}:{line}" + (f": column {column}" if column else "")
            print(f"namecleaner: warning: {where}: {reason}", file=sys.stderr)
        if len(job.issues) > MAX_WARNINGS_SHOWN:
            print(
                f"namecleaner: warning: {len(job.issues) - MAX_WARNINGS_SHOWN} more row problems"
                f"{'' if args.errors else '; use --errors FILE to see them all'}",
                file=sys.stderr,
            )
        print(f"namecleaner: {len(job.issues)} row problem(s); every row was kept", file=sys.stderr)
    if job.formulas and not args.quiet:
        print(
            f"namecleaner: warning: {job.formulas} new cell(s) start with = + - or @ "
            + (
                "and got a ' before them (--excel-safe)"
                if args.excel_safe
                else "and a spreadsheet would run them as formulas; --excel-safe puts a ' before them"
            ),
            file=sys.stderr,
        )
    if args.errors:
        with table_io.atomic_output(args.errors) as handle:
            writer = csv.writer(handle)
            writer.writerow(["file", "line", "column", "reason"])
            writer.writerows((name, line, column, reason) for line, column, reason in job.issues)
