"""``namecleaner clean``: the batch command over a CSV, TSV or Parquet file."""

from __future__ import annotations

import argparse
import csv
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace

import pandas as pd
from tqdm import tqdm

from namecleaner import io as table_io
from namecleaner.batch import DEFAULT_PREFIX, Cleaner, appended_names, clean_frame
from namecleaner.cli.cluster import add_cluster_options, clean_then_cluster
from namecleaner.errors import InputError
from namecleaner.office import OfficeProfile, available_offices, load_office
from namecleaner.pipeline import build_pipeline

DEFAULT_CHUNK_ROWS = 50_000
ENGINES = ("stream", "dask")
MAX_WARNINGS_SHOWN = 20

EXAMPLES = """examples:
  namecleaner clean examples/applicants_sample.csv -o cleaned.csv --column applicant
  namecleaner clean feed.tsv -o feed.parquet --column owner --office JP
  namecleaner clean legacy.csv -o out.csv --column name --encoding cp932
  cat names.csv | namecleaner clean - -o - --column name --quiet > cleaned.csv
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
    parser.add_argument("input", metavar="INPUT", help="CSV, TSV or Parquet file, a Parquet dataset folder, or '-' for stdin")
    parser.add_argument("-o", "--output", required=True,
                        help="output file (format from its extension), a folder ending in '/' for a partitioned Parquet "
                             "dataset (--engine dask), or '-' for stdout")
    parser.add_argument("-c", "--column", required=True, help="the column holding the names")
    parser.add_argument("--office", help=f"office profile: an ST.3 code ({', '.join(available_offices())}) or a .toml path")
    parser.add_argument("--tables", action="append", metavar="DIR", help="also read transliteration tables from this folder (repeatable)")
    parser.add_argument("--language", help="read every non-Latin name in this language (e.g. uk), choosing its transliteration table")
    parser.add_argument("--country-column", help="column with an ISO country code per row, used to resolve ambiguities")
    parser.add_argument("--encoding", help="input text encoding (default: detected; UTF-8/16, cp932, GB18030, EUC-KR, cp1252)")
    parser.add_argument("--delimiter", help="input field delimiter (default: ',' for .csv, tab for .tsv)")
    parser.add_argument("--format", choices=table_io.FORMATS, help="input format when it cannot be told from the extension")
    parser.add_argument("--output-format", choices=table_io.FORMATS, help="output format (default: from -o, else the input's)")
    parser.add_argument("--prefix", help=f"prefix for the new columns (default: '{DEFAULT_PREFIX}' only if a name is taken)")
    parser.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK_ROWS, help="rows per chunk (default: %(default)s)")
    parser.add_argument("--errors", metavar="FILE", help="also write every row problem to this CSV (file, line, column, reason)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no warnings on stderr")
    parser.add_argument("--cluster", action="store_true", help="also cluster the names: append cluster_id and cluster_name")
    add_cluster_options(parser)
    engine = parser.add_argument_group("engine")
    engine.add_argument("--engine", choices=ENGINES, default="stream",
                        help="'stream': this process, in chunks (default); 'dask': a Dask cluster, partition by partition")
    engine.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address (default: a local cluster)")
    engine.add_argument("--workers", type=int, help="worker processes of the local Dask cluster (default: one per core)")
    parser.set_defaults(run=run)


@dataclass
class _Job:
    """What one run reads, writes and reports."""

    args: argparse.Namespace
    input_format: str
    output_format: str
    issues: list[tuple[int, str, str]]


def _check_columns(path: str, header: list[str], args: argparse.Namespace, delimiter: str | None) -> None:
    for option, column in (("--column", args.column), ("--country-column", args.country_column)):
        if column is not None and column not in header:
            hint = ""
            if delimiter and len(header) == 1:
                guessed = _guess_delimiter(header[0])
                if guessed and guessed != delimiter:
                    hint = f"; is the delimiter {guessed!r}? try --delimiter {guessed!r}"
            shown = ", ".join(header[:12]) + (" …" if len(header) > 12 else "")
            raise InputError(f"{path}: no column '{column}' ({option}); the header has: {shown}{hint}")


def _guess_delimiter(header_line: str) -> str | None:
    try:
        return csv.Sniffer().sniff(header_line, delimiters=",;\t|").delimiter
    except csv.Error:
        return None


def _delimiter(job: _Job) -> str:
    return job.args.delimiter or ("\t" if job.input_format == "tsv" else ",")


def _chunks(job: _Job, progress: tqdm) -> tuple[list[str], Iterator[table_io.Chunk]]:
    args = job.args
    if job.input_format == "parquet":
        header, total, chunks = table_io.read_parquet(args.input, chunk_rows=args.chunk_size)
        progress.reset(total=total)
        progress.unit = " rows"
        _check_columns(args.input, header, args, None)
        return header, chunks
    delimiter = _delimiter(job)
    header, chunks = table_io.read_delimited(
        args.input, delimiter=delimiter, encoding=args.encoding, chunk_rows=args.chunk_size, on_bytes=progress.update
    )
    if args.input != table_io.STDIO and not args.input.lower().endswith(".gz"):
        progress.total = os.path.getsize(args.input)
    _check_columns(args.input, header, args, delimiter)
    return header, chunks


def run(args: argparse.Namespace) -> int:
    """Clean the column and write the output; returns the exit code."""
    if args.chunk_size < 1:
        raise InputError("--chunk-size must be at least 1")
    if args.input != table_io.STDIO and args.output != table_io.STDIO and os.path.exists(args.output) \
            and os.path.samefile(args.input, args.output):
        raise InputError(f"{args.output}: refusing to overwrite the input; write to another file")
    input_format = table_io.detect_format(args.input, args.format)
    output_format = args.output_format or (input_format if args.output == table_io.STDIO else table_io.detect_format(args.output))
    job = _Job(args, input_format, output_format, [])
    if args.cluster:
        return clean_then_cluster(args, run)
    if args.engine == "dask":
        return _run_dask(job)
    for option in ("scheduler", "workers"):
        if getattr(args, option) is not None:
            raise InputError(f"--{option} needs --engine dask")
    if table_io.is_dataset(args.output):
        raise InputError(f"{args.output}: writing a partitioned Parquet dataset (a folder) needs --engine dask")
    cleaner = Cleaner(build_pipeline(_profile(args)))
    show = not args.quiet and sys.stderr.isatty()
    with tqdm(disable=not show, unit="B", unit_scale=True, file=sys.stderr, desc="cleaning") as progress:
        header, chunks = _chunks(job, progress)
        new_columns = appended_names(header, cleaner.columns, args.prefix)
        with table_io.atomic_output(args.output, binary=output_format == "parquet") as handle:
            writer = table_io.TableWriter(handle, output_format)
            wrote = False
            for chunk in chunks:
                writer.write(_clean_chunk(job, cleaner, chunk, new_columns))
                wrote = True
                if job.input_format == "parquet":
                    progress.update(len(chunk.frame))
            if not wrote:
                writer.write(pd.DataFrame(columns=header + new_columns))
            writer.close()
    _report(job)
    return 0


def _profile(args: argparse.Namespace) -> OfficeProfile:
    """The office profile with the transliteration choices of --tables and --language.

    They go into the profile, not into per-stage options, so that every stage that reads the
    profile's transliteration settings sees them.
    """
    profile = load_office(args.office)
    chosen = {k: v for k, v in (("tables_dirs", args.tables), ("language", args.language)) if v}
    if not chosen:
        return profile
    return replace(profile, stages={**profile.stages, "transliterate": {**profile.stages.get("transliterate", {}), **chosen}})


def _run_dask(job: _Job) -> int:
    """The same cleaning on a Dask cluster: the batch API over each partition (see namecleaner.dask)."""
    from namecleaner import dask as nc_dask  # imports dask only when asked for

    args = job.args
    if args.errors:
        raise InputError("--errors needs --engine stream; with --engine dask a value that failed has its error in 'steps'")
    if args.workers is not None and (args.workers < 1 or args.scheduler):
        raise InputError("--workers sets the size of the local cluster: a number of at least 1, without --scheduler")
    delimiter = None if job.input_format == "parquet" else _delimiter(job)
    ddf = nc_dask.read_table(args.input, job.input_format, delimiter=delimiter, encoding=args.encoding)
    _check_columns(args.input, list(ddf.columns), args, delimiter)
    cleaned = nc_dask.clean(ddf, args.column, _profile(args), country_column=args.country_column, prefix=args.prefix)
    with nc_dask.client(args.scheduler, args.workers) as client:
        if table_io.is_dataset(args.output):
            nc_dask.write_dataset(cleaned, args.output)
        else:
            nc_dask.write_file(cleaned, args.output, job.output_format, client)
    return 0


def _clean_chunk(job: _Job, cleaner: Cleaner, chunk: table_io.Chunk, new_columns: list[str]) -> pd.DataFrame:
    args = job.args
    job.issues.extend((issue.line, "", issue.reason) for issue in chunk.issues)
    result = clean_frame(cleaner, chunk.frame, args.column, country_column=args.country_column, names=new_columns)
    job.issues.extend((chunk.lines[e.position], args.column, e.reason) for e in result.errors)
    return result.frame


def _report(job: _Job) -> None:
    args = job.args
    name = "<stdin>" if args.input == table_io.STDIO else args.input
    if job.issues and not args.quiet:
        for line, column, reason in job.issues[:MAX_WARNINGS_SHOWN]:
            where = f"{name}:{line}" + (f": column {column}" if column else "")
            print(f"namecleaner: warning: {where}: {reason}", file=sys.stderr)
        if len(job.issues) > MAX_WARNINGS_SHOWN:
            print(f"namecleaner: warning: {len(job.issues) - MAX_WARNINGS_SHOWN} more row problems"
                  f"{'' if args.errors else '; use --errors FILE to see them all'}", file=sys.stderr)
        print(f"namecleaner: {len(job.issues)} row problem(s); every row was kept", file=sys.stderr)
    if args.errors:
        with table_io.atomic_output(args.errors) as handle:
            writer = csv.writer(handle)
            writer.writerow(["file", "line", "column", "reason"])
            writer.writerows((name, line, column, reason) for line, column, reason in job.issues)
