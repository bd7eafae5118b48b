"""Streaming input and output for the batch command: CSV, TSV, Parquet and Excel, files or stdin/stdout.

Input is read in chunks of rows so memory stays bounded. CSV cells are read as text and
written back unchanged. Output goes to a temporary file beside the target and is renamed
into place only when complete, so an interrupted run never leaves a half-written file; it gets
the permissions the user's umask gives a new file, as ``touch`` would (or keeps those of the file
it replaces). Excel workbooks (``.xlsx``, through openpyxl) are read from their first sheet.
"""

from __future__ import annotations

import codecs
import csv
import errno
import gzip
import io
import os
import re
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from charset_normalizer import from_bytes

from namecleaner.errors import InputError, ParquetTextError

STDIO = "-"
FORMATS = ("csv", "tsv", "parquet", "xlsx")
#: Formats written as bytes.
BINARY_FORMATS = ("parquet", "xlsx")
_EXTENSIONS = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".parquet": "parquet", ".pq": "parquet", ".xlsx": "xlsx"}
#: Rows of an Excel sheet, the header included.
EXCEL_MAX_ROWS = 1_048_576
#: Encodings tried, in order, when a file is not UTF-8 (IP office feeds in the wild).
FALLBACK_ENCODINGS = ("cp932", "gb18030", "euc_kr", "cp1252")
ENCODING_SAMPLE_BYTES = 1 << 20
# A quoted record running over this many lines is most likely an unbalanced quote.
_SUSPICIOUS_RECORD_LINES = 50

#: Stands for a lone CR inside a line while the csv module reads it (only LF or CRLF end a line):
#: a lone surrogate, which decoded text never holds (undecodable bytes become U+DC80-U+DCFF).
_LONE_CR = "\ud800"
_CARRIAGE_RETURN = re.compile(r"\r(?!\n)")
#: What ``surrogateescape`` makes of a byte the encoding cannot decode.
_UNDECODED = re.compile("[\udc80-\udcff]")
#: Codecs that need a byte-order mark, and the BOM-less variants by the byte order of the sample.
_BOM_CODECS = {"utf-16": ("utf-16-le", "utf-16-be"), "utf-32": ("utf-32-le", "utf-32-be")}

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
    gzipped = bool(suffixes) and suffixes[-1] == ".gz"
    if gzipped:
        suffixes.pop()
    fmt = _EXTENSIONS.get(suffixes[-1] if suffixes else "")
    if fmt is None:
        raise InputError(f"{path}: cannot tell the format from the extension; use --format {{{','.join(FORMATS)}}}")
    if gzipped and fmt in BINARY_FORMATS:
        raise InputError(f"{path}: {fmt} files are compressed inside; drop the .gz")
    return fmt


def parse_delimiter(text: str) -> str:
    r"""A one-character field delimiter, given as itself or as an escape (``\t``, as a shell passes ``'\t'``).

    >>> parse_delimiter(";"), parse_delimiter("\\t"), parse_delimiter("\t")
    (';', '\t', '\t')
    """
    try:
        delimiter = codecs.decode(text, "unicode_escape") if "\\" in text else text
    except UnicodeError:
        delimiter = text
    if len(delimiter) != 1:
        raise InputError(f"--delimiter must be one character, or an escape such as '\\t' for a tab; not {text!r}")
    if delimiter in '\r\n"':
        raise InputError(f"--delimiter cannot be a line break or the quote character, not {text!r}")
    return delimiter


def text_encoding(encoding: str, sample: bytes = b"", path: str = "") -> str:
    """The codec to read text with: refuses unknown and bytes-to-bytes codecs, and gives UTF-16/32 without a BOM its byte order.

    >>> text_encoding("UTF8"), text_encoding("utf-16", "ab".encode("utf-16-be"))
    ('utf-8', 'utf-16-be')
    >>> text_encoding("rot13")
    Traceback (most recent call last):
    namecleaner.errors.InputError: --encoding 'rot13' is not a text encoding (try utf-8, cp932, gb18030, euc-kr, cp1252)
    """
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise InputError(f"unknown encoding '{encoding}' (try utf-8, cp932, gb18030, euc-kr, cp1252)") from None
    # rot13, hex, base64, zlib … are codecs too, but not from bytes to text (what TextIOWrapper checks)
    if not getattr(info, "_is_text_encoding", True):
        raise InputError(f"--encoding '{encoding}' is not a text encoding (try utf-8, cp932, gb18030, euc-kr, cp1252)")
    variants = _BOM_CODECS.get(info.name)
    if variants is None or sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)):
        return info.name
    unit = 2 if info.name == "utf-16" else 4
    # ASCII text in UTF-16/32: the zero bytes stand after the character (little-endian) or before it
    little, big = sample[unit - 1 :: unit].count(0), sample[::unit].count(0)
    if little == big:
        raise InputError(
            f"{path}: {info.name} without a byte-order mark; pass --encoding {variants[0]} or {variants[1]}"
        )
    return variants[0] if little > big else variants[1]


def detect_encoding(sample: bytes) -> str:
    """The text encoding of a sample: BOM, then strict UTF-8, then the likeliest fallback.

    >>> detect_encoding("Müller".encode("utf-8")), detect_encoding(b"\\xef\\xbb\\xbfabc")
    ('utf-8', 'utf-8-sig')
    >>> detect_encoding("株式会社日立製作所,東京都千代田区\\n".encode("cp932") * 3)
    'cp932'
    """
    # UTF-32 first: its little-endian BOM begins with UTF-16's
    boms = (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    )
    for bom, name in boms:
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
            with gzip.open(handle) as unzipped:
                yield unzipped  # type: ignore[misc]
        else:
            yield handle


def read_failure(path: str, error: Exception) -> InputError:
    """The one-line error for a read that failed half-way: a bad or truncated gzip file, a device error.

    >>> str(read_failure("a.csv.gz", EOFError("Compressed file ended before the end-of-stream marker was reached")))
    'a.csv.gz: the gzip file is truncated (it ends before its end marker)'
    """
    if isinstance(error, gzip.BadGzipFile):
        return InputError(f"{path}: not a gzip file, though its name ends in .gz")
    if isinstance(error, EOFError):
        return InputError(f"{path}: the gzip file is truncated (it ends before its end marker)")
    if isinstance(error, zlib.error):
        return InputError(f"{path}: the gzip data is corrupt ({error})")
    return InputError(f"{path}: cannot read: {getattr(error, 'strerror', None) or error}")


#: Errors of writing an output, which the user fixes on the machine (a full disk, a quota).
_WRITE_FAILURES = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS)

#: What a read of a (gzip) file can raise half-way.
READ_FAILURES = (OSError, EOFError, zlib.error)


class LineFeed:
    """The lines of a text stream for ``csv.reader``, noting what :func:`parse_records` must restore.

    Only LF and CRLF end a line: a lone CR inside a line (a cell typed on an old Mac) stays data
    instead of splitting the row. A file with CRs only (no LF in the sample) is read as CR-ended.

    >>> feed = LineFeed(iter(["1,Sony\\r\\n", "2,Ca\\rnon\\n"]))
    >>> [(row, feed.take_lone_cr()) for row in csv.reader(feed)]
    [(['1', 'Sony'], False), (['2', 'Ca\\ud800non'], True)]
    """

    def __init__(self, lines: Iterator[str], *, cr_ends_lines: bool = False) -> None:
        self._lines = lines
        self._cr_ends_lines = cr_ends_lines
        self.lone_cr = False
        self.undecoded = False

    def __iter__(self) -> LineFeed:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        if "\r" in line and not self._cr_ends_lines:
            ended = line.endswith("\r\n")
            body = _CARRIAGE_RETURN.sub(_LONE_CR, line[:-2] if ended else line)
            self.lone_cr = self.lone_cr or _LONE_CR in body
            line = body + "\r\n" if ended else body
        # isascii() reads a flag of the string, so most lines skip the search
        if not line.isascii() and _UNDECODED.search(line):
            self.undecoded = True
        return line

    def take_lone_cr(self) -> bool:
        """Whether the record just read had a lone CR (it reads as U+D800); resets the note."""
        found, self.lone_cr = self.lone_cr, False
        return found

    def take_undecoded(self) -> bool:
        """Whether the record just read had bytes the encoding could not decode; resets the note."""
        found, self.undecoded = self.undecoded, False
        return found


def read_delimited(
    path: str,
    *,
    delimiter: str,
    encoding: str | None,
    chunk_rows: int,
    on_bytes: Callable[[int], None] = lambda n: None,
) -> tuple[list[str], Iterator[Chunk]]:
    """The header and a chunk iterator for a CSV or TSV file, every cell read as text."""
    delimiter = parse_delimiter(delimiter)
    stack = open_binary(path)
    binary = stack.__enter__()
    try:
        sample = binary.read(ENCODING_SAMPLE_BYTES)
        encoding = text_encoding(detect_encoding(sample) if encoding is None else encoding, sample, path)
    except READ_FAILURES as error:
        stack.__exit__(None, None, None)
        raise read_failure(path, error) from None
    except InputError:
        stack.__exit__(None, None, None)
        raise
    counted = io.BufferedReader(_CountingReader(sample, binary, on_bytes))
    reader, feed = csv_reader(counted, encoding, delimiter, cr_ends_lines=cr_ends_lines(sample))
    try:
        header = next(reader)
    except StopIteration:
        stack.__exit__(None, None, None)
        raise InputError(f"{path}: the file is empty; expected a header row") from None
    except UnicodeDecodeError:
        stack.__exit__(None, None, None)
        raise InputError(f"{path}: not readable as {encoding}; pass --encoding") from None
    except READ_FAILURES as error:
        stack.__exit__(None, None, None)
        raise read_failure(path, error) from None
    if not header:
        stack.__exit__(None, None, None)
        raise InputError(f"{path}: line 1 is empty; expected a header row")
    if feed.take_lone_cr():
        header = [cell.replace(_LONE_CR, "\r") for cell in header]
    feed.take_undecoded()

    def chunks() -> Iterator[Chunk]:
        try:
            yield from parse_records(
                reader, header, path=path, encoding=encoding, delimiter=delimiter, chunk_rows=chunk_rows, feed=feed
            )
        finally:
            stack.__exit__(None, None, None)

    return header, chunks()


def cr_ends_lines(sample: bytes) -> bool:
    r"""Whether a file whose first bytes are ``sample`` ends its lines with CR alone (no LF in the sample).

    >>> cr_ends_lines(b"id,name\r1,Sony\r"), cr_ends_lines(b"id,name\r\n1,So\rny\n")
    (True, False)
    """
    return b"\r" in sample and b"\n" not in sample


def csv_reader(
    binary: IO[bytes], encoding: str, delimiter: str, *, cr_ends_lines: bool = False
) -> tuple[Any, LineFeed]:
    """A ``csv.reader`` over a byte stream as every CSV is read here, and the :class:`LineFeed` that :func:`parse_records` needs.

    Undecodable bytes are kept (as surrogate escapes, written back as they were) and reported per row.
    """
    text = io.TextIOWrapper(binary, encoding=encoding, errors="surrogateescape", newline="" if cr_ends_lines else "\n")
    feed = LineFeed(text, cr_ends_lines=cr_ends_lines)
    return csv.reader(feed, delimiter=delimiter), feed


def parse_records(
    reader: Any,
    header: list[str],
    *,
    path: str,
    encoding: str,
    delimiter: str,
    chunk_rows: int,
    line_offset: int = 0,
    feed: LineFeed | None = None,
) -> Iterator[Chunk]:
    """Chunks of the records a ``csv.reader`` gives after the header, rows of the wrong width kept and reported.

    ``line_offset`` is the number of file lines before the reader's first line, so that a
    reader over one block of a file (as the Dask engine reads it) reports the file's lines.
    ``feed``, the :class:`LineFeed` the reader reads, restores lone CRs and reports undecodable bytes.
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
        except READ_FAILURES as error:
            raise read_failure(path, error) from None
        line, end = previous_end + 1, line_offset + reader.line_num
        if feed is not None:
            if feed.take_lone_cr():
                cells = [cell.replace(_LONE_CR, "\r") for cell in cells]
            if feed.take_undecoded():
                bad = [
                    header[i] if i < len(header) else str(i + 1) for i, c in enumerate(cells) if _UNDECODED.search(c)
                ]
                issues.append(
                    RowIssue(line, f"bytes not valid in {encoding} in column(s) {', '.join(bad)}: kept as they were")
                )
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
    cells[width - 1 :] = [delimiter.join(cells[width - 1 :])]
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
            if not dataset.files:
                raise InputError(f"{path}: a folder without Parquet files (name a file, or a folder of .parquet files)")
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


#: pandas types for Arrow columns: text as ``string``; integers and booleans as the nullable
#: types (an integer column with nulls stays integer); floats as Arrow-backed, the one pandas
#: type that keeps a NaN apart from a null.
_PANDAS_TYPES = {
    pa.string(): pd.StringDtype(),
    pa.large_string(): pd.StringDtype(),
    pa.bool_(): pd.BooleanDtype(),
    pa.float16(): pd.ArrowDtype(pa.float16()),
    pa.float32(): pd.ArrowDtype(pa.float32()),
    pa.float64(): pd.ArrowDtype(pa.float64()),
    **{
        getattr(pa, name)(): pd.api.types.pandas_dtype(name.capitalize().replace("Uint", "UInt"))
        for name in ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")
    },
}


def arrow_frame(table: pa.Table | pa.RecordBatch) -> pd.DataFrame:
    """Arrow data as the frame every Parquet reader of the package gives, written back unchanged.

    >>> frame = arrow_frame(pa.table({"x": [1.5, float("nan"), None], "n": [1, None, 3]}))
    >>> pa.Table.from_pandas(frame)["x"].to_pylist(), str(frame["n"].dtype)
    ([1.5, nan, None], 'Int64')
    """
    return table.to_pandas(types_mapper=_PANDAS_TYPES.get)


#: How a cell a spreadsheet runs as a formula starts (CSV injection: =HYPERLINK(…), +cmd, @SUM).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_cells(frame: pd.DataFrame, columns: list[str], *, defuse: bool = False) -> int:
    """The cells of ``columns`` a spreadsheet would read as a formula; with ``defuse``, each gets a ``'`` before it.

    Only the columns named change; the others, the input's, stay as they were.

    >>> frame = pd.DataFrame({"name": ["=1+1", "Sony"], "name_clean": ["=1+1", "Sony"]})
    >>> formula_cells(frame, ["name_clean"], defuse=True), frame.values.tolist()
    (1, [['=1+1', "'=1+1"], ['Sony', 'Sony']])
    """
    found = 0
    for column in columns:
        values = frame[column]
        if not (pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)):
            continue
        try:  # vectorised: arrow's own search over a text column, not a Python call per cell
            starts = values.str.startswith(FORMULA_STARTS).fillna(False).astype(bool)
        except AttributeError:  # an object column without text (numbers of a workbook): no formula
            continue
        count = int(starts.sum())
        if count and defuse:
            frame[column] = values.where(~starts, "'" + values.where(starts, ""))
        found += count
    return found


def decoded_names(values: pd.Series) -> tuple[pd.Series, list[int]]:
    """The names of a column as the pipeline may read them, and the rows of bytes that were not UTF-8.

    Bytes (a Parquet binary column) are decoded as UTF-8; bytes no encoding could decode (in
    bytes, or kept as escapes by :func:`read_delimited`) read as U+FFFD. The column itself is
    left as it is, to be written back unchanged.

    >>> names, bad = decoded_names(pd.Series([b"Sony", b"Ca\\xffnon", None, "NE\\udcffC"], dtype=object))
    >>> names.tolist(), bad
    (['Sony', 'Ca\ufffdnon', None, 'NE\ufffdC'], [1])
    """
    if values.dtype != object:
        return values, []
    try:  # the common column, text only and all of it decoded, checked in one search
        if not _UNDECODED.search("".join(values)):
            return values, []
    except TypeError:  # bytes or missing values: looked at one by one
        pass
    texts, bad, changed = [], [], False
    for position, value in enumerate(values):
        if isinstance(value, bytes):
            value, changed = value.decode("utf-8", "surrogateescape"), True
            if _UNDECODED.search(value):
                bad.append(position)
        if isinstance(value, str) and _UNDECODED.search(value):
            value, changed = _UNDECODED.sub("\ufffd", value), True
        texts.append(value)
    return (pd.Series(texts, index=values.index, dtype=object) if changed else values), bad


def read_xlsx(path: str, *, chunk_rows: int) -> tuple[list[str], int, Iterator[Chunk]]:
    """The header, row count and a chunk iterator of the first sheet of an Excel workbook.

    Cells keep their types (text, numbers, dates); an empty cell is missing. A formula cell
    is read as the value Excel saved with it, or as its formula when there is none (a
    workbook written by a program rather than saved by Excel), so no cell is lost. The line
    of a row is its row number in the sheet.
    """
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with open_binary(path) as handle:
            data = io.BytesIO(handle.read())
        workbook = load_workbook(data, read_only=True, data_only=True)
        formulas = load_workbook(data, read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
        raise InputError(f"{path}: cannot read as an Excel workbook (.xlsx): {error}") from None
    sheet = workbook.worksheets[0]
    rows = (
        tuple(formula if value is None else value for value, formula in zip(values, texts))
        for values, texts in zip(sheet.iter_rows(values_only=True), formulas.worksheets[0].iter_rows(values_only=True))
    )
    first = next(rows, None)
    if first is None:
        raise InputError(f"{path}: the first sheet is empty; expected a header row")
    header = ["" if cell is None else str(cell) for cell in first]
    total = max((sheet.max_row or 1) - 1, 0)

    def chunks() -> Iterator[Chunk]:
        batch: list[list[Any]] = []
        line = 1
        for cells in rows:
            line += 1
            batch.append(list(cells[: len(header)]) + [None] * (len(header) - len(cells)))
            if len(batch) >= chunk_rows:
                yield Chunk(
                    pd.DataFrame(batch, columns=header, dtype=object), list(range(line - len(batch) + 1, line + 1))
                )
                batch = []
        if batch:
            yield Chunk(pd.DataFrame(batch, columns=header, dtype=object), list(range(line - len(batch) + 1, line + 1)))
        workbook.close()
        formulas.close()

    return header, total, chunks()


def _umask() -> int:
    """The process umask: from /proc on Linux, else by setting and restoring it."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def output_mode(path: str | Path, *, folder: bool = False) -> int:
    """The permissions of an output: those of the file it replaces, else what the umask gives a new one.

    A new file gets ``0o666`` less the umask, a new folder ``0o777`` less the umask, as
    ``touch`` and ``mkdir`` give them.
    """
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        return (0o777 if folder else 0o666) & ~_umask()


@contextmanager
def atomic_output(path: str, *, binary: bool = False) -> Iterator[IO[Any]]:
    """A handle whose content appears at ``path`` only if the block completes (stdout for ``-``).

    Text is UTF-8, gzip-compressed when the name ends in ``.gz``; bytes an input could not
    decode (surrogate escapes) are written back as they were read.
    """
    if path == STDIO:
        if binary:
            yield sys.stdout.buffer
            return
        sys.stdout.flush()
        stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", errors="surrogateescape", newline="")
        try:
            yield stream
        finally:
            stream.flush()
            stream.detach()
        return
    target = Path(path)
    if not target.parent.exists():
        raise InputError(f"{path}: the folder {target.parent} does not exist")
    gzipped = target.suffix.lower() == ".gz"
    if gzipped and binary:
        raise InputError(f"{path}: a binary format is compressed inside; drop the .gz")
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with open(descriptor, "wb") as raw:
            if binary:
                yield raw
            else:
                # no name and no time in the gzip header: the same input gives the same bytes
                packed = gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) if gzipped else None
                with io.TextIOWrapper(packed or raw, encoding="utf-8", errors="surrogateescape", newline="") as handle:
                    yield handle
                    handle.flush()
                    if packed is not None:
                        packed.close()
        os.chmod(temporary, output_mode(target))
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        if error.errno in _WRITE_FAILURES:
            raise InputError(f"{path}: cannot write: {error.strerror}; nothing was written") from None
        raise
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_frames(frames: Iterable[pd.DataFrame], path: str, fmt: str, empty: pd.DataFrame) -> None:
    """Write frames in order as one CSV, TSV, Parquet or Excel file that appears only when complete.

    ``empty`` (no rows, the output's columns) is written when there are no frames, so the file
    still has its header.
    """
    with atomic_output(path, binary=fmt in BINARY_FORMATS) as handle:
        writer = TableWriter(handle, fmt)
        wrote = False
        for frame in frames:
            writer.write(frame)
            wrote = True
        if not wrote:
            writer.write(empty)
        writer.close()


class TableWriter:
    """Writes chunks as CSV, TSV, Parquet or Excel to an open handle."""

    def __init__(self, handle: IO[Any], fmt: str) -> None:
        self.handle = handle
        self.fmt = fmt
        self._parquet: pq.ParquetWriter | None = None
        self._schema: pa.Schema | None = None
        self._wrote_header = False
        self._excel: _ExcelSheet | None = None

    def write(self, frame: pd.DataFrame) -> None:
        """Append a chunk; the first chunk fixes the columns."""
        if self.fmt == "xlsx":
            self._excel = self._excel or _ExcelSheet(list(frame.columns))
            self._excel.append(frame)
            return
        if self.fmt == "parquet":
            if self._parquet is None and frame.columns.has_duplicates:
                repeated = ", ".join(f"'{c}'" for c in dict.fromkeys(frame.columns[frame.columns.duplicated()]))
                raise ParquetTextError(
                    f"Parquet cannot hold two columns of one name ({repeated} in the input): rename them, or write .csv"
                )
            try:
                table = pa.Table.from_pandas(frame, preserve_index=False, schema=self._schema)
            except UnicodeEncodeError:
                raise ParquetTextError(
                    "the input has bytes its encoding cannot decode, which Parquet text cannot hold;"
                    " write CSV, which keeps them, or pass the right --encoding"
                ) from None
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
        if self._excel is not None:
            self._excel.save(self.handle)


class _ExcelSheet:
    """A write-only workbook of one sheet; every text cell is written as text, never as a formula."""

    def __init__(self, header: list[str]) -> None:
        from openpyxl import Workbook

        self.workbook = Workbook(write_only=True)
        self.sheet = self.workbook.create_sheet()
        self.sheet.append([str(c) for c in header])
        self.rows = 1

    def append(self, frame: pd.DataFrame) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
        from openpyxl.utils.escape import escape

        self.rows += len(frame)
        if self.rows > EXCEL_MAX_ROWS:
            raise InputError(
                f"an Excel sheet holds at most {EXCEL_MAX_ROWS - 1:,} rows; write .csv or .parquet instead"
            )
        for row in frame.astype(object).itertuples(index=False, name=None):
            cells: list[Any] = []
            for value in row:
                if value is None or (not isinstance(value, str) and pd.isna(value)):
                    cells.append(None)
                elif isinstance(value, str):
                    # control characters as OOXML escapes (_x000B_), which Excel reads back as the character
                    text = escape(value) if ILLEGAL_CHARACTERS_RE.search(value) else value
                    cell = WriteOnlyCell(self.sheet, value=text)
                    cell.data_type = "s"  # '=SUM(A1)' in a name stays text
                    cells.append(cell)
                else:
                    cells.append(value)
            self.sheet.append(cells)

    def save(self, handle: IO[bytes]) -> None:
        self.workbook.save(handle)
