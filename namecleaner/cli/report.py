"""``namecleaner report``: the review page of a cleaned file's clusters; also ``--report`` of
``cluster`` and ``clean --cluster``.

The page is one HTML file that opens offline (see :mod:`namecleaner.report`). ``report``
clusters the cleaned file with the options given, exactly as ``namecleaner cluster`` would
with the same options, and writes the page instead of a table.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from namecleaner import io as table_io
from namecleaner.cli.cluster import (
    CLUSTER_COLUMNS,
    _read,
    _spooled,
    add_cluster_options,
    cluster_file,
)
from namecleaner.cli.config import add_config_options, config_from_args
from namecleaner.cluster import ClusterResult
from namecleaner.cluster.features import KEY_COLUMN
from namecleaner.errors import InputError
from namecleaner.report import Columns, ReportCollector, require, write_report

EXAMPLES = """examples:
  namecleaner clean applicants.csv -o cleaned.csv --column applicant --country-column country
  namecleaner report cleaned.csv -o report.html --column applicant --country-column country
  namecleaner report cleaned.csv -o report.html --overrides overrides.tsv --strictness 0.6
  namecleaner clean applicants.csv -o clustered.csv --column applicant --cluster --report report.html

Open report.html in a browser (no server, no network). Its Decisions tab exports
overrides.tsv, for the next run: namecleaner cluster cleaned.csv -o out.csv --overrides overrides.tsv"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``report`` subcommand."""
    parser = subparsers.add_parser(
        "report",
        help="write the review page of a cleaned file's clusters (one offline HTML file)",
        description="Cluster a cleaned file and write the review page: summary charts, the clusters to search, "
        "check and correct, and the decisions exported as an overrides file.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "input",
        metavar="CLEANED",
        help="cleaned CSV, TSV or Parquet file (from 'namecleaner clean'), or '-'",
    )
    parser.add_argument("-o", "--output", required=True, metavar="REPORT", help="the HTML page to write")
    parser.add_argument(
        "--column",
        help="the original names, shown as the spellings (default: name_clean)",
    )
    parser.add_argument(
        "--country-column",
        help="the row countries, for the legal-form chart and the mixed-country filter",
    )
    parser.add_argument(
        "--count-column",
        help="a column with the mentions of each row (default: each row counts once)",
    )
    parser.add_argument(
        "--key-column",
        default=KEY_COLUMN,
        help="the match key column (default: %(default)s)",
    )
    parser.add_argument("--title", help="the page title (default: the input file name)")
    parser.add_argument(
        "--delimiter",
        help="input field delimiter (default: ',' for .csv, tab for .tsv)",
    )
    parser.add_argument("--encoding", help="input text encoding (default: detected)")
    add_config_options(parser)
    add_cluster_options(parser, report=False)
    parser.set_defaults(run=run)


def check_output(output: str) -> None:
    """Fail on one line when the report cannot be written: the extra missing, or no such folder."""
    require()
    if not Path(output).resolve().parent.is_dir():
        raise InputError(f"{output}: the folder {Path(output).resolve().parent} does not exist (--report / -o)")


def collector(
    output: str,
    key_column: str,
    name: str | None,
    country: str | None,
    count: str | None,
) -> ReportCollector:
    """A collector for the report to be written to ``output``, of a cleaned table whose match keys
    are in ``key_column`` (its prefix is that of every new column); checked before any work."""
    check_output(output)
    prefix = key_column[: -len(KEY_COLUMN)] if key_column.endswith(KEY_COLUMN) else ""
    return ReportCollector(Columns(key=key_column, name=name, prefix=prefix, country=country, count=count))


def write(
    path: str,
    found: ReportCollector,
    result: ClusterResult,
    source: str,
    title: str | None = None,
) -> None:
    """Write the page of ``source`` (the input file, or ``-``)."""
    write_report(
        path,
        found,
        result,
        title=title or ("stdin" if source == table_io.STDIO else Path(source).name),
    )


def run(args: argparse.Namespace) -> int:
    """Cluster the cleaned file and write its report; returns the exit code."""
    found = collector(
        args.output,
        args.key_column,
        args.column,
        args.country_column,
        args.count_column,
    )
    path, cleanup = _spooled(args.input)
    try:
        fmt = table_io.detect_format(path, None if path == args.input else "csv")
        header = _read(path, fmt, args.delimiter, args.encoding)[0]
        # an input clustered before keeps its labels; the page shows this run's, in columns of their own
        taken = set(CLUSTER_COLUMNS) & set(header)
        labels: tuple[str, str] = ("report_cluster_id", "report_cluster_name") if taken else CLUSTER_COLUMNS
        result = cluster_file(
            path,
            None,
            key_column=args.key_column,
            count_column=args.count_column,
            new_columns=labels,
            config=config_from_args(args),
            fmt=fmt,
            delimiter=args.delimiter,
            encoding=args.encoding,
            report=found,
        )
        write(args.output, found, result, args.input, args.title)
    except ValueError as error:
        raise InputError(str(error)) from None
    finally:
        cleanup()
    return 0
