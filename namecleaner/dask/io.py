"""Input and output of the Dask engine: files read in line-exact blocks, written in row order.

A CSV or TSV file is cut into blocks of about :data:`BLOCK_BYTES` at line ends that lie
outside quotes, and each block is parsed on a worker by the streaming reader's own record
loop (:func:`namecleaner.io.parse_records`), told how many lines came before it. So a Dask
run reads the same rows, keeps the same ragged rows and reports the same problems at the
same file lines as ``--engine stream``. A gzip file, or one in an encoding whose line ends or
quotes can sit inside a character (UTF-16), is one block, read by the streaming reader
itself. Parquet is read per row group, as the same pandas types as the streaming reader.
"""

from __future__ import annotations

import codecs
import io
import mmap
import os
import shutil
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from namecleaner import io as table_io
from namecleaner.errors import InputError

#: Bytes per CSV block: big enough that the per-task overhead is small, small enough to spread.
BLOCK_BYTES = 32 << 20
#: Rows per Parquet block (whole row groups are joined until a block has at least this many).
BLOCK_ROWS = 250_000
# Encodings whose multi-byte characters can hold the bytes of a line end or a quote.
_UNSPLITTABLE = ("utf-16", "utf-32", "utf-7", "hz", "iso2022")

Result = TypeVar("Result")


@dataclass(frozen=True)
class Block:
    """One piece of an input file that a task reads: a byte range of a CSV, or row groups of a Parquet file.

    ``first_line`` is the file line (CSV) or row number (Parquet) of the block's first row;
    ``whole`` marks a CSV read whole by the streaming reader.
    """

    path: str
    fmt: str
    header: tuple[str, ...]
    first_line: int
    encoding: str = "utf-8"
    delimiter: str = ","
    start: int = 0
    end: int = 0
    row_groups: tuple[int, ...] = ()
    whole: bool = False


def plan_blocks(
    path: str,
    fmt: str,
    *,
    delimiter: str | None = None,
    encoding: str | None = None,
    partitions: int = 1,
    block_bytes: int = BLOCK_BYTES,
    block_rows: int = BLOCK_ROWS,
) -> tuple[list[str], list[Block]]:
    """The header of a CSV, TSV or Parquet file (or Parquet dataset folder) and the blocks that cover it, in order.

    A CSV is cut into at least ``partitions`` blocks of at most about ``block_bytes``; a
    Parquet file into blocks of whole row groups, at least ``partitions`` where there are
    that many row groups, each of at most about ``block_rows`` rows.
    """
    header = read_header(path, fmt, delimiter=delimiter, encoding=encoding)
    if fmt == "parquet":
        return _parquet_blocks(path, block_rows, partitions)
    delimiter = delimiter or ("\t" if fmt == "tsv" else ",")
    with table_io.open_binary(path) as handle:
        sample = handle.read(table_io.ENCODING_SAMPLE_BYTES)
    encoding = table_io.text_encoding(encoding or table_io.detect_encoding(sample), sample, path)
    if path.lower().endswith(".gz") or table_io.cr_ends_lines(sample) or not splittable(encoding):
        return header, [Block(path, fmt, tuple(header), 2, encoding, delimiter, whole=True)]
    size = os.path.getsize(path)
    block_bytes = max(1, min(block_bytes, -(-size // max(1, partitions))))
    cuts = split_points(path, block_bytes) if size > block_bytes else []
    blocks, line = [], 1
    for start, end, lines in zip([0, *cuts], [*cuts, size], _line_counts(path, [0, *cuts, size])):
        blocks.append(Block(path, fmt, tuple(header), line, encoding, delimiter, start, end))
        line += lines
    return header, blocks


def read_header(path: str, fmt: str, *, delimiter: str | None = None, encoding: str | None = None) -> list[str]:
    """The column names of a file, with the streaming reader's checks and messages (a file, not stdin)."""
    if path == table_io.STDIO:
        raise InputError("the dask engine reads files, not stdin: give a file or use --engine stream")
    if not os.path.exists(path):
        raise InputError(f"{path}: cannot read: No such file or directory")
    if fmt not in ("csv", "tsv", "parquet"):
        raise InputError(f"{path}: the dask engine reads CSV, TSV and Parquet; read {fmt} with --engine stream")
    if fmt == "parquet":
        return table_io.read_parquet(path, chunk_rows=1)[0]
    delimiter = delimiter or ("\t" if fmt == "tsv" else ",")
    return table_io.read_delimited(path, delimiter=delimiter, encoding=encoding, chunk_rows=1)[0]


def splittable(encoding: str) -> bool:
    """Whether a file in ``encoding`` may be cut at the bytes of a line end outside quotes.

    >>> splittable("utf-8"), splittable("cp932"), splittable("utf-16")
    (True, True, False)
    """
    name = codecs.lookup(encoding).name
    probe = "utf-8" if name == "utf-8-sig" else name  # the mark opens the file only
    return not name.startswith(_UNSPLITTABLE) and '\r\n"'.encode(probe) == b'\r\n"'


def split_points(path: str, block_bytes: int) -> list[int]:
    """Byte offsets about ``block_bytes`` apart, each just after a line feed outside quotes.

    Quotes are counted from the start of the file: an even count means the line end closes a
    record (a doubled quote inside a quoted cell counts twice). A file whose quotes never
    balance again (an unterminated quote) is not cut after it, so the streaming reader's rule
    for it holds. Only a line feed ends a line (a lone carriage return is data to the reader).
    """
    cuts: list[int] = []
    with (
        open(path, "rb") as handle,
        mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data,
    ):
        size, position, quotes = len(data), 0, 0
        target = block_bytes
        while target < size:
            end = data.find(b"\n", max(target, position))
            while end != -1:
                quotes += data[position : end + 1].count(b'"')
                position = end + 1
                if quotes % 2 == 0:
                    break
                opening = data.find(b'"', position)  # still inside quotes: go on after the next quote
                if opening == -1:
                    return cuts
                quotes, position = quotes + 1, opening + 1
                end = data.find(b"\n", position)
            if end == -1 or position >= size:
                break
            cuts.append(position)
            target = position + block_bytes
    return cuts


def _line_counts(path: str, offsets: list[int]) -> list[int]:
    """The lines between consecutive offsets, as the reader counts them (LF or CR LF ends a line)."""
    counts = []
    with open(path, "rb") as handle:
        for start, end in pairwise(offsets):
            handle.seek(start)
            data = handle.read(end - start)
            counts.append(data.count(b"\n"))
    return counts


def _parquet_blocks(path: str, block_rows: int, partitions: int) -> tuple[list[str], list[Block]]:
    try:
        if os.path.isdir(path):
            import pyarrow.dataset as ds

            dataset = ds.dataset(path, format="parquet")
            files, header = list(dataset.files), list(dataset.schema.names)
        else:
            files, header = [path], list(pq.ParquetFile(path).schema_arrow.names)
        metadata_of = {file: pq.ParquetFile(file).metadata for file in files}
        total = sum(metadata.num_rows for metadata in metadata_of.values())
        block_rows = max(1, min(block_rows, -(-total // max(1, partitions))))
        blocks, row = [], 1
        for file in files:
            metadata = metadata_of[file]
            groups: list[int] = []
            rows = 0
            for group in range(metadata.num_row_groups):
                groups.append(group)
                rows += metadata.row_group(group).num_rows
                if rows >= block_rows or group == metadata.num_row_groups - 1:
                    blocks.append(
                        Block(
                            file,
                            "parquet",
                            tuple(header),
                            row,
                            row_groups=tuple(groups),
                        )
                    )
                    row, groups, rows = row + rows, [], 0
    except (OSError, pa.ArrowException) as error:
        raise InputError(f"{path}: cannot read as Parquet: {error}") from None
    return header, blocks


def read_block(block: Block) -> table_io.Chunk:
    """The rows of one block, with their file lines and the reader's problems, as the streaming reader gives them."""
    if block.fmt == "parquet":
        frame = table_io.arrow_frame(pq.ParquetFile(block.path).read_row_groups(list(block.row_groups)))
        return table_io.Chunk(frame, list(range(block.first_line, block.first_line + len(frame))))
    if block.whole:
        _, chunks = table_io.read_delimited(
            block.path,
            delimiter=block.delimiter,
            encoding=block.encoding,
            chunk_rows=1 << 62,
        )
        return _joined(list(chunks), list(block.header))
    with open(block.path, "rb") as handle:
        handle.seek(block.start)
        data = handle.read(block.end - block.start)
    # The byte-order mark, if any, opens the first block only.
    encoding = "utf-8" if block.start and codecs.lookup(block.encoding).name == "utf-8-sig" else block.encoding
    reader, feed = table_io.csv_reader(io.BytesIO(data), encoding, block.delimiter)
    if block.start == 0:
        next(reader, None)  # the header, read when planning
        feed.take_lone_cr(), feed.take_undecoded()
    chunks = table_io.parse_records(
        reader,
        list(block.header),
        path=block.path,
        encoding=block.encoding,
        delimiter=block.delimiter,
        chunk_rows=1 << 62,
        line_offset=block.first_line - 1,
        feed=feed,
    )
    return _joined(list(chunks), list(block.header))


def _joined(chunks: list[table_io.Chunk], header: list[str]) -> table_io.Chunk:
    if not chunks:
        return table_io.Chunk(pd.DataFrame(columns=header, dtype=object), [])
    if len(chunks) == 1:
        return chunks[0]
    frame = pd.concat([c.frame for c in chunks], ignore_index=True)
    return table_io.Chunk(
        frame,
        [n for c in chunks for n in c.lines],
        [i for c in chunks for i in c.issues],
    )


def in_order(
    client: Any,
    task: Callable[..., Result],
    blocks: Iterable[Block],
    window: int,
    *shared: Any,
) -> Iterator[Result]:
    """``task(block, *shared)`` for each block on the cluster, yielded in block order, at most ``window`` in flight."""
    pending: deque[Any] = deque()
    for block in blocks:
        pending.append(client.submit(task, block, *shared, pure=False))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def partitions(client: Any, requested: int | None = None) -> int:
    """The blocks to cut an input into: as asked, else four per worker thread, so that every thread stays busy."""
    return requested or 4 * max(1, sum(client.nthreads().values()))


def window(client: Any) -> int:
    """Tasks kept in flight: two per worker thread, so that no thread waits and memory stays bounded."""
    return 2 * max(1, sum(client.nthreads().values()))


def part_name(index: int) -> str:
    """The file name of a dataset's ``index``-th part, zero-padded so that every reader's name order is the row order.

    >>> part_name(12)
    'part.00012.parquet'
    """
    return f"part.{index:05d}.parquet"


def write_part(frame: pd.DataFrame, folder: str, index: int, schema: pa.Schema | None) -> pa.Schema:
    """Write one part of a dataset, with the first part's schema as the streaming writer keeps it; returns the schema."""
    table = pa.Table.from_pandas(frame, preserve_index=False, schema=schema)
    pq.write_table(table, Path(folder) / part_name(index))
    return table.schema


def replace_dataset(path: str, fill: Callable[[str], None]) -> None:
    """Make a Parquet dataset folder at ``path`` with ``fill(folder)``; it appears only when complete.

    An existing folder is replaced only when it holds nothing but Parquet files.
    """
    target = Path(path.rstrip("/" + os.sep))
    if target.exists() and any(p.suffix != ".parquet" and not p.name.startswith("_") for p in target.iterdir()):
        raise InputError(f"{target}: the folder holds files other than Parquet; refusing to replace it")
    if not target.parent.exists():
        raise InputError(f"{target}: the folder {target.parent} does not exist")
    temporary = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part"))
    try:
        fill(str(temporary))
        os.chmod(
            temporary, table_io.output_mode(target, folder=True)
        )  # mkdtemp makes it 0700; colleagues should read it
        if target.exists():
            old = temporary.with_suffix(".old")
            target.rename(old)
            temporary.rename(target)
            shutil.rmtree(old)
        else:
            temporary.rename(target)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
