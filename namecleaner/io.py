"""Streaming input and output for the batch command: CSV, TSV and Parquet, files or stdin/stdout.

Input is read in chunks of rows so memory stays bounded. CSV cells are read as text and
written back unchanged. Output goes to a temporary file beside the target and is renamed
into place only when complete, so an interrupted run never leaves a half-written file.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from charset_normalizer import from_bytes

from namecleaner.errors import InputError

STDIO = "-"
FORMATS = ("csv", "tsv", "parquet")
_EXTENSIONS = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".parquet": "parquet", ".pq": "parquet"}
#: Encodings tried, in order, when a file is not UTF-8 (IP office feeds in the wild).
FALLBACK_ENCODINGS = ("cp932", "gb18030", "euc_kr", "cp1252")
ENCODING_SAMPLE_BYTES = 1 << 20
# A quoted record running over this many lines is most likely an unbalanced quote.
_SUSPICIOUS_RECORD_LINES = 50

csv.field_size_limit(1 << 24)


@dataclass(frozen=True)
class RowIssue:
    """A problem with one input row; the row is kept in the output."""

    line: int
    reason: str


@dataclass
class Chunk:
    """Rows of input: a frame of the input columns and the file line (or row) of each row."""

    frame: pd.DataFrame
    lines: list[int]
    issues: list[RowIssue] = field(default_factory=list)


def is_dataset(path: str) -> bool:
    """True for a folder, existing or written with a trailing slash: a partitioned Parquet dataset.

    >>> is_dataset("out/"), is_dataset("out.parquet"), is_dataset("-")
    (True, False, False)
    """
    return path != STDIO and (path.endswith(("/", os.sep)) or os.path.isdir(path))


def detect_format(path: str, explicit: str | None = None) -> str:
    """The table format, from ``explicit``, a folder (Parquet dataset) or the extension (``.gz`` allowed for CSV and TSV).

    >>> detect_format("a.TSV"), detect_format("b.csv.gz"), detect_format("-"), detect_format("parts/")
    ('tsv', 'csv', 'csv', 'parquet')
    """
    if explicit:
        return explicit
    if path == STDIO:
        return "csv"
    if is_dataset(path):
        return "parquet"
    suffixes = [s.lower() for s in Path(path).suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    fmt = _EXTENSIONS.get(suffixes[-1] if suffixes else "")
    if fmt is None:
        raise InputError(f"{path}: cannot tell the format from the extension; use --format {{{','.join(FORMATS)}}}")
    return fmt


def detect_encoding(sample: bytes) -> str:
    """The text encoding of a sample: BOM, then strict UTF-8, then the likeliest fallback.

    >>> detect_encoding("Müller".encode("utf-8")), detect_encoding(b"\\xef\\xbb\\xbfabc")
    ('utf-8', 'utf-8-sig')
    >>> detect_encoding("株式会社日立製作所,東京都千代田区\\n".encode("cp932") * 3)
    'cp932'
    """
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if sample.startswith(bom):
            return name
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if len(sample) >= 4 and sample[1::2].count(0) > len(sample) // 4:
        return "utf-16-le"
    best = from_bytes(sample, cp_isolation=list(FALLBACK_ENCODINGS)).best()
    return best.encoding if best is not None else "cp1252"


class _CountingReader(io.RawIOBase):
    """A raw byte stream that first replays a sample already read, and counts bytes for progress."""

    def __init__(self, prefix: bytes, stream: IO[bytes], on_read: Callable[[int], None]) -> None:
        self._prefix = memoryview(prefix)
        self._stream = stream
        self._on_read = on_read

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._prefix:
            size = min(len(buffer), len(self._prefix))
            buffer[:size] = self._prefix[:size]
            self._prefix = self._prefix[size:]
        else:
            data = self._stream.read(len(buffer))
            size = len(data)
            buffer[:size] = data
        self._on_read(size)
        return size


@contextmanager
def open_binary(path: str) -> Iterator[IO[bytes]]:
    """Open a file, a gzip file or stdin for reading bytes, with a one-line error if it cannot be read."""
    if path == STDIO:
        yield sys.stdin.buffer
        return
    try:
        handle = open(path, "rb")
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror}") from None
    with handle:
        if path.lower().endswith(".gz"):
            import gzip

            with gzip.open(handle) as unzipped:
                yield unzipped  # type: ignore[misc]
        else:
            yield handle


def read_delimited(
    path: str,
    *,
    delimiter: str,
    encoding: str | None,
    chunk_rows: int,
    on_bytes: Callable[[int], None] = lambda n: None,
) -> tuple[list[str], Iterator[Chunk]]:
    """The header and a chunk iterator for a CSV or TSV file, every cell read as text."""
    stack = open_binary(path)
    binary = stack.__enter__()
    sample = binary.read(ENCODING_SAMPLE_BYTES)
    encoding = encoding or detect_encoding(sample)
    try:
        codecs.lookup(encoding)
    except LookupError:
        stack.__exit__(None, None, None)
        raise InputError(f"unknown encoding '{encoding}' (try utf-8, cp932, gb18030, euc-kr, cp1252)") from None
    text = io.TextIOWrapper(io.BufferedReader(_CountingReader(sample, binary, on_bytes)), encoding=encoding, newline="")
    reader = csv.reader(text, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        stack.__exit__(None, None, None)
        raise InputError(f"{path}: the file is empty; expected a header row") from None
    except UnicodeDecodeError:
        stack.__exit__(None, None, None)
        raise InputError(f"{path}: not readable as {encoding}; pass --encoding") from None

    def chunks() -> Iterator[Chunk]:
        try:
            yield from parse_records(reader, header, path=path, encoding=encoding, delimiter=delimiter, chunk_rows=chunk_rows)
        finally:
            stack.__exit__(None, None, None)

    return header, chunks()


def parse_records(
    reader: Any, header: list[str], *, path: str, encoding: str, delimiter: str, chunk_rows: int, line_offset: int = 0
) -> Iterator[Chunk]:
    """Chunks of the records a ``csv.reader`` gives after the header, rows of the wrong width kept and reported.

    ``line_offset`` is the number of file lines before the reader's first line, so that a
    reader over one block of a file (as the Dask engine reads it) reports the file's lines.
    """
    rows: list[list[str]] = []
    lines: list[int] = []
    issues: list[RowIssue] = []
    previous_end = line_offset + reader.line_num
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except UnicodeDecodeError as error:
            raise InputError(
                f"{path}: after line {line_offset + reader.line_num}: bytes not valid in {encoding} ({error.reason}); pass --encoding"
            ) from None
        except csv.Error as error:
            raise InputError(f"{path}: line {line_offset + reader.line_num}: {error}") from None
        line, end = previous_end + 1, line_offset + reader.line_num
        if end - previous_end > _SUSPICIOUS_RECORD_LINES:
            issues.append(RowIssue(line, f"one record spans lines {line}-{end}: is a quote unbalanced?"))
        previous_end = end
        if len(cells) != len(header):
            issues.append(RowIssue(line, _fix_width(cells, len(header), delimiter)))
        rows.append(cells)
        lines.append(line)
        if len(rows) >= chunk_rows:
            yield Chunk(pd.DataFrame(rows, columns=header, dtype=object), lines, issues)
            rows, lines, issues = [], [], []
    if rows or issues:
        yield Chunk(pd.DataFrame(rows, columns=header, dtype=object), lines, issues)


def _fix_width(cells: list[str], width: int, delimiter: str) -> str:
    """Make a row as wide as the header, in place, and say what was done (nothing is lost)."""
    found = len(cells)
    if found < width:
        cells.extend([""] * (width - found))
        return f"{found} cells, expected {width}: filled the missing cells with empty text"
    cells[width - 1:] = [delimiter.join(cells[width - 1:])]
    return f"{found} cells, expected {width}: kept the extra cells joined into the last column"


def read_parquet(path: str, *, chunk_rows: int) -> tuple[list[str], int, Iterator[Chunk]]:
    """The columns, row count and a chunk iterator of a Parquet file or dataset directory."""
    try:
        if path == STDIO:
            source: Any = pa.BufferReader(sys.stdin.buffer.read())
            dataset = pq.ParquetFile(source)
            schema, total, batches = dataset.schema_arrow, dataset.metadata.num_rows, dataset.iter_batches(chunk_rows)
        elif os.path.isdir(path):
            import pyarrow.dataset as ds

            dataset = ds.dataset(path, format="parquet")
            schema, total, batches = dataset.schema, dataset.count_rows(), dataset.to_batches(batch_size=chunk_rows)
        else:
            parquet = pq.ParquetFile(path)
            schema, total, batches = parquet.schema_arrow, parquet.metadata.num_rows, parquet.iter_batches(chunk_rows)
    except (OSError, pa.ArrowException) as error:
        raise InputError(f"{path}: cannot read as Parquet: {error}") from None

    def chunks() -> Iterator[Chunk]:
        start = 1
        for batch in batches:
            frame = arrow_frame(batch)
            yield Chunk(frame, list(range(start, start + len(frame))))
            start += len(frame)

    return list(schema.names), total, chunks()


def arrow_frame(table: pa.Table | pa.RecordBatch) -> pd.DataFrame:
    """Arrow data as the frame every Parquet reader of the package gives: text as pandas ``string``."""
    return table.to_pandas(types_mapper={pa.string(): pd.StringDtype(), pa.large_string(): pd.StringDtype()}.get)


@contextmanager
def atomic_output(path: str, *, binary: bool = False) -> Iterator[IO[Any]]:
    """A handle whose content appears at ``path`` only if the block completes (stdout for ``-``)."""
    if path == STDIO:
        yield sys.stdout.buffer if binary else sys.stdout
        return
    target = Path(path)
    if not target.parent.exists():
        raise InputError(f"{path}: the folder {target.parent} does not exist")
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        mode = "wb" if binary else "w"
        with open(descriptor, mode, **({} if binary else {"encoding": "utf-8", "newline": ""})) as handle:
            yield handle
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class TableWriter:
    """Writes chunks as CSV, TSV or Parquet to an open handle."""

    def __init__(self, handle: IO[Any], fmt: str) -> None:
        self.handle = handle
        self.fmt = fmt
        self._parquet: pq.ParquetWriter | None = None
        self._schema: pa.Schema | None = None
        self._wrote_header = False

    def write(self, frame: pd.DataFrame) -> None:
        """Append a chunk; the first chunk fixes the columns."""
        if self.fmt == "parquet":
            table = pa.Table.from_pandas(frame, preserve_index=False, schema=self._schema)
            if self._parquet is None:
                self._schema = table.schema
                self._parquet = pq.ParquetWriter(self.handle, table.schema)
            self._parquet.write_table(table)
            return
        frame.to_csv(self.handle, sep="\t" if self.fmt == "tsv" else ",", index=False, header=not self._wrote_header)
        self._wrote_header = True

    def close(self) -> None:
        """Finish the file (Parquet needs its footer)."""
        if self._parquet is not None:
            self._parquet.close()
