"""Parse one users or tweets CSV into a typed Arrow table, with Arrow kernels.

``pyarrow.csv`` parses the file (real files hold newlines inside quoted
values, so ``newlines_in_values`` is on) and converts counts, dates, times and
booleans itself, in parallel; the other columns are converted by their
:class:`takedown.schema.Kind` with Arrow compute kernels, never per cell in
Python. If a value defeats Arrow's conversion, the file is parsed again with
every column as text, so that each bad cell can be found: it becomes null and
is logged with its file, line and column. A row with the wrong number of
fields is logged and left out. Nothing is dropped without a record.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from takedown.read.discover import SourceFile
from takedown.read.lists import parse_lists
from takedown.schema import Column, Kind, detect_release_format

__all__ = ["ParsedFile", "parse_file", "row_lines", "MAX_VALUE_CHARS"]

#: Longest raw value kept in an issue record.
MAX_VALUE_CHARS = 200
_BLOCK_SIZE = 8 << 20
_TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%SZ")
_TRUE = ("true", "1")
_FALSE = ("false", "0")
# User ids are digits or a hash (hex in 2018, base64 with + / = from 2019).
_USER_ID_PATTERN = r"^[0-9A-Za-z+/=_-]+$"
_FLOAT_ID_PATTERN = r"^[0-9]+(\.[0-9]*)?[eE][+-]?[0-9]+$|^[0-9]+\.[0-9]*$"
_FLOAT_ID_REASON = "id written as a float: its digits may have been lost (spreadsheet export?)"


@dataclass
class ParsedFile:
    """A parsed CSV: its typed table and what happened on the way."""

    table: pa.Table
    header: tuple[str, ...]
    release_format: str
    bytes: int
    issues: pa.Table
    extra_columns: tuple[str, ...] = ()


class _Reporting(io.RawIOBase):
    """Reads through a stream, reporting the bytes read to a progress callback."""

    def __init__(self, stream, progress: Callable[[int], None]):
        self._stream = stream
        self._progress = progress

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self._progress(len(data))
        return data

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


@dataclass
class _IssueLog:
    """Issues found while converting, by row position, before lines are known."""

    rows: list[np.ndarray] = field(default_factory=list)
    columns: list[str | None] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    values: list[list] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)

    def add(self, rows: np.ndarray, column: str | None, reason: str, values: list, action: str) -> None:
        if len(rows):
            self.rows.append(np.asarray(rows, dtype=np.int64))
            self.columns.append(column)
            self.reasons.append(reason)
            self.values.append(values)
            self.actions.append(action)

    def __bool__(self) -> bool:
        return bool(self.rows)

    @classmethod
    def merged(cls, logs) -> "_IssueLog":
        out = cls()
        for log in logs:
            for entry in zip(log.rows, log.columns, log.reasons, log.values, log.actions):
                out.add(*entry)
        return out


def _clip(value) -> str | None:
    if value is None:
        return None
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def _read_header(file: SourceFile) -> tuple[str, ...]:
    with file.open() as stream:
        head = stream.read(1 << 16)
        while head and b"\n" not in head:
            more = stream.read(1 << 16)
            if not more:
                break
            head += more
    if not head:
        raise ValueError(f"{file.display}: the file is empty (0 bytes); expected a CSV header line")
    line = head.split(b"\n", 1)[0]
    try:
        text = line.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(
            f"{file.display}, line 1: the header is not UTF-8 (byte {line[error.start]:#04x} at position {error.start})"
        ) from None
    header = tuple(next(csv.reader([text.rstrip("\r")])))
    seen = set()
    for name in header:
        if name in seen:
            raise ValueError(f"{file.display}, line 1: the header names column {name!r} twice")
        seen.add(name)
    return header


def _check_columns(file: SourceFile, header: tuple[str, ...], columns: tuple[Column, ...]) -> None:
    missing = [c.name for c in columns if c.required and c.name not in header]
    if missing:
        raise ValueError(
            f"{file.display}, line 1: missing required column {missing[0]!r}"
            + (f" (and {len(missing) - 1} more: {', '.join(missing[1:])})" if len(missing) > 1 else "")
            + f"; the header has {len(header)} columns: {', '.join(header)}"
        )


def _newlines_per_row(table: pa.Table) -> np.ndarray:
    """Newlines inside each row's values (so a row spans that many extra lines)."""
    counts = np.zeros(table.num_rows, dtype=np.int64)
    for column in table.columns:
        if not pa.types.is_string(column.type):
            continue
        start = 0
        for chunk in column.chunks:
            if len(chunk):
                offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int32)[
                    chunk.offset : chunk.offset + len(chunk) + 1
                ]
                data = (
                    np.frombuffer(chunk.buffers()[2], dtype=np.uint8) if chunk.buffers()[2] else np.zeros(0, np.uint8)
                )
                where = np.flatnonzero(data[offsets[0] : offsets[-1]] == 10) + offsets[0]
                if where.size:
                    rows = np.searchsorted(offsets, where, side="right") - 1
                    counts[start : start + len(chunk)] += np.bincount(rows, minlength=len(chunk))
            start += len(chunk)
    return counts


def row_lines(table: pa.Table) -> np.ndarray:
    """Start line of each row of a table parsed from a file with one header line.

    Exact when the file has no blank lines; :func:`parse_file` checks that
    against the file's newline count before trusting it.
    """
    return _start_lines(_newlines_per_row(table))


def _start_lines(per_row: np.ndarray) -> np.ndarray:
    lines = 2 + np.arange(len(per_row), dtype=np.int64)
    lines[1:] += np.cumsum(per_row)[:-1]
    return lines


def _scan_records(file: SourceFile, ncols: int) -> tuple[np.ndarray, list[tuple[int, int, str]]]:
    """Start line of every well-formed record, and the malformed ones, by a Python scan.

    Only used when a file has rows with the wrong number of fields, where row
    positions alone cannot give line numbers.
    """
    good: list[int] = []
    bad: list[tuple[int, int, str]] = []
    with file.open() as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")
        reader = csv.reader(text)
        next(reader, None)
        previous = reader.line_num
        for record in reader:
            start = previous + 1
            previous = reader.line_num
            if not record:
                continue
            if len(record) == ncols:
                good.append(start)
            else:
                bad.append((start, len(record), ",".join(record)))
    return np.asarray(good, dtype=np.int64), bad


def _locate_bad_utf8(file: SourceFile, header: tuple[str, ...], message: str) -> ValueError:
    """An error naming the line and column of the first undecodable byte.

    Arrow names the column (``In CSV column #3``); the line comes from a
    streaming decode that counts newlines up to the bad byte.
    """
    found = re.search(r"column #(\d+)", message)
    column = header[int(found[1])] if found and int(found[1]) < len(header) else "unknown"
    decoder = codecs.getincrementaldecoder("utf-8")()
    line, consumed = 1, 0
    with file.open() as stream:
        while True:
            block = stream.read(1 << 20)
            try:
                decoder.decode(block, final=not block)
            except UnicodeDecodeError as error:
                start = max(error.start, 0)
                line += block[:start].count(b"\n")
                return ValueError(
                    f"{file.display}, line {line}, column {column!r}: "
                    f"byte {block[start]:#04x} at offset {consumed + start:,} is not valid UTF-8; "
                    "the file may be in another encoding or damaged"
                )
            if not block:
                return ValueError(f"{file.display}, column {column!r}: invalid UTF-8 data ({message})")
            line += block.count(b"\n")
            consumed += len(block)


def _native_types(columns: tuple[Column, ...], header: tuple[str, ...]) -> dict[str, pa.DataType]:
    """Arrow CSV types for the columns Arrow can convert while it parses (in parallel)."""
    native = {Kind.COUNT: pa.int64(), Kind.DATE: pa.date32(), Kind.TIME: pa.timestamp("s"), Kind.BOOL: pa.bool_()}
    return {c.name: native[c.kind] for c in columns if c.kind in native and c.name in header}


def _read_csv(
    file: SourceFile, header: tuple[str, ...], typed: dict[str, pa.DataType], progress
) -> tuple[pa.Table, list[tuple[int, str]]]:
    """The file parsed by Arrow: ``typed`` columns converted, every other column text."""
    invalid: list[tuple[int, str]] = []

    def on_invalid(row) -> str:
        invalid.append((row.actual_columns, row.text))
        return "skip"

    convert = pcsv.ConvertOptions(
        column_types={name: typed.get(name, pa.string()) for name in header},
        strings_can_be_null=True,
        null_values=[""],
        quoted_strings_can_be_null=True,
        timestamp_parsers=list(_TIME_FORMATS),
        true_values=[v for t in _TRUE for v in (t, t.upper(), t.title())],
        false_values=[v for f in _FALSE for v in (f, f.upper(), f.title())],
    )
    parse = pcsv.ParseOptions(newlines_in_values=True, invalid_row_handler=on_invalid)
    read = pcsv.ReadOptions(block_size=_BLOCK_SIZE, use_threads=True)
    # A plain file is handed to Arrow by path (its own I/O is fastest); a zip
    # member, or any file when progress is wanted, goes through Python.
    with contextlib.ExitStack() as stack:
        if file.member is None and progress is None:
            source = str(file.path)
        else:
            source = stack.enter_context(file.open())
            if progress is not None:
                source = _Reporting(source, progress)
        try:
            table = pcsv.read_csv(source, read_options=read, parse_options=parse, convert_options=convert)
        except (zipfile.BadZipFile, zlib.error, EOFError) as error:
            raise ValueError(f"{file.display}: the zip archive is truncated or corrupt: {error}") from None
    return table, invalid


def _read_table(file: SourceFile, header: tuple[str, ...], columns: tuple[Column, ...], progress):
    """Parse with Arrow converting what it can; if a value defeats it, parse again all as text.

    Clean files (nearly all) convert in Arrow's parallel parser; a file with
    a bad value is read again as text so that every bad cell can be found,
    logged and nulled by :func:`_convert`.
    """
    try:
        try:
            return _read_csv(file, header, _native_types(columns, header), progress)
        except pa.ArrowInvalid as error:
            if "conversion error" not in str(error) or "UTF8" in str(error):
                raise
            # The progress bar already went through the file once.
            return _read_csv(file, header, {}, None)
    except pa.ArrowInvalid as error:
        if "UTF8" in str(error) or "UTF-8" in str(error):
            raise _locate_bad_utf8(file, header, str(error)) from None
        raise ValueError(f"{file.display}: cannot be parsed as CSV: {error}") from None


def _check_ids(name: str, kind: Kind, text, log: _IssueLog) -> None:
    """Log ids that are not digits (tweet ids) or digits or a hash (user ids); they are kept."""
    if kind is Kind.TWEET_ID:
        good = pc.utf8_is_decimal(text)
    else:
        good = pc.match_substring_regex(text, _USER_ID_PATTERN)
    bad = pc.invert(pc.fill_null(good, True))
    if not pc.any(bad).as_py():
        return
    positions = np.flatnonzero(bad.to_numpy(zero_copy_only=False))
    values = text.take(pa.array(positions))
    floats = pc.match_substring_regex(values, _FLOAT_ID_PATTERN).to_numpy(zero_copy_only=False)
    values = np.array(values.to_pylist(), dtype=object)
    expected = "digits" if kind is Kind.TWEET_ID else "digits or a hash"
    log.add(positions[floats], name, _FLOAT_ID_REASON, values[floats].tolist(), "kept")
    log.add(positions[~floats], name, f"not an id (expected {expected})", values[~floats].tolist(), "kept")


def _convert(name: str, kind: Kind, text: pa.ChunkedArray, log: _IssueLog) -> pa.ChunkedArray | pa.Array:
    """One column converted to its kind's type, problems logged.

    ``text`` is the column as Arrow parsed it: text, or already converted
    when Arrow could do that while parsing.
    """
    if kind is Kind.TIME and pa.types.is_timestamp(text.type):
        return pc.cast(text, pa.timestamp("s", tz="UTC"))
    if not pa.types.is_string(text.type):
        return text
    if kind in (Kind.TEXT, Kind.GEO):
        return text
    if kind in (Kind.TWEET_ID, Kind.USER_ID):
        _check_ids(name, kind, text, log)
        return text
    if kind is Kind.LANG:
        return pc.utf8_lower(text)
    if kind is Kind.LIST:
        lists, bad = parse_lists(text)
        log.add(bad, name, "not a list literal", text.take(pa.array(bad)).to_pylist(), "set to null")
        return lists
    if kind is Kind.COUNT:
        trimmed = pc.utf8_trim_whitespace(text)
        valid = pc.match_substring_regex(trimmed, r"^[0-9]+$")
        result = pc.cast(pc.if_else(valid, trimmed, pa.scalar(None, pa.string())), pa.int64())
        reason = "not a whole number"
    elif kind is Kind.BOOL:
        lowered = pc.utf8_lower(pc.utf8_trim_whitespace(text))
        result = pc.if_else(
            pc.is_in(lowered, pa.array(_TRUE)),
            True,
            pc.if_else(pc.is_in(lowered, pa.array(_FALSE)), False, pa.scalar(None, pa.bool_())),
        )
        reason = "not a boolean (expected true/false, True/False or 1/0)"
    elif kind is Kind.DATE:
        parsed = pc.strptime(text, format="%Y-%m-%d", unit="s", error_is_null=True)
        result = pc.cast(parsed, pa.date32())
        reason = "not a date (expected YYYY-MM-DD)"
    elif kind is Kind.TIME:
        result = pc.strptime(text, format=_TIME_FORMATS[0], unit="s", error_is_null=True)
        for layout in _TIME_FORMATS[1:]:
            if pc.sum(pc.and_(pc.is_null(result), pc.is_valid(text))).as_py():
                result = pc.coalesce(result, pc.strptime(text, format=layout, unit="s", error_is_null=True))
        result = pc.cast(result, pa.timestamp("s", tz="UTC"))
        reason = "not a time (expected YYYY-MM-DD HH:MM, UTC)"
    else:  # pragma: no cover - every Kind is handled above
        raise TypeError(f"unknown column kind {kind!r}")
    lost = pc.and_(pc.is_null(result), pc.is_valid(text))
    if pc.any(lost).as_py():
        positions = np.flatnonzero(lost.to_numpy(zero_copy_only=False))
        log.add(positions, name, reason, text.take(pa.array(positions)).to_pylist(), "set to null")
    return result


def _newlines_in_file(file: SourceFile) -> tuple[int, bool]:
    """How many newlines the file has, and whether it ends with one."""
    count, last = 0, b""
    with file.open() as stream:
        while block := stream.read(1 << 22):
            count += block.count(b"\n")
            last = block[-1:]
    return count, last == b"\n"


def _record_lines(
    file: SourceFile, text: pa.Table, header: tuple[str, ...], invalid: list
) -> tuple[np.ndarray | None, list[tuple[int | None, int, str, int]]]:
    """Start line of each parsed row, and the rejected rows with their lines.

    Lines follow from the newlines inside values when the file's newline count
    confirms them; rejected rows or blank lines need a scan of the file.
    """
    if not invalid:
        per_row = _newlines_per_row(text)
        lines = _start_lines(per_row)
        newlines, final = _newlines_in_file(file)
        if newlines == 1 + text.num_rows + int(per_row.sum()) - (not final):
            return lines, []
    good, bad = _scan_records(file, len(header))
    lines = good if len(good) == text.num_rows else None
    if len(bad) == len(invalid):
        return lines, [(line, count, raw, len(header)) for line, count, raw in bad]
    return lines, [(None, count, raw, len(header)) for count, raw in invalid]


def _issue_table(file: SourceFile, log: _IssueLog, lines: np.ndarray | None, rejected: list) -> pa.Table:
    rows = np.concatenate(log.rows) if log else np.zeros(0, np.int64)
    repeat = [len(r) for r in log.rows]
    file_col = [file.display] * (len(rows) + len(rejected))
    line_col = (lines[rows].tolist() if lines is not None else [None] * len(rows)) + [
        line for line, _, _, _ in rejected
    ]
    row_col = [int(r) + 1 for r in rows] + [None] * len(rejected)
    column_col = [c for c, n in zip(log.columns, repeat) for _ in range(n)] + [None] * len(rejected)
    reason_col = [r for r, n in zip(log.reasons, repeat) for _ in range(n)] + [
        f"row has {count} fields, the header has {expected}" for _, count, _, expected in rejected
    ]
    value_col = [_clip(v) for values in log.values for v in values] + [_clip(text) for _, _, text, _ in rejected]
    action_col = [a for a, n in zip(log.actions, repeat) for _ in range(n)] + ["row rejected"] * len(rejected)
    return pa.table(
        {
            "file": pa.array(file_col, pa.string()),
            "line": pa.array(line_col, pa.int64()),
            "row": pa.array(row_col, pa.int64()),
            "column": pa.array(column_col, pa.string()),
            "reason": pa.array(reason_col, pa.string()),
            "value": pa.array(value_col, pa.string()),
            "action": pa.array(action_col, pa.string()),
        }
    )


def parse_file(file: SourceFile, columns: tuple[Column, ...], *, progress=None) -> ParsedFile:
    """Read one users or tweets CSV into a typed Arrow table.

    Parameters
    ----------
    file : SourceFile
    columns : tuple of Column
        :data:`takedown.schema.USERS` or :data:`takedown.schema.TWEETS`.
    progress : callable, optional
        Called with the number of bytes read after each block.

    Returns
    -------
    ParsedFile
        The table has ``columns`` in schema order (optional ones missing
        from the file added as nulls), then any extra columns as text.

    Raises
    ------
    ValueError
        The file is empty, lacks a required column, is not UTF-8, is not CSV,
        or is a damaged zip member; the message names the file, line and column.
    """
    header = _read_header(file)
    _check_columns(file, header, columns)
    text, invalid = _read_table(file, header, columns, progress)
    known = {c.name: c for c in columns}
    present = [c for c in columns if c.name in header]
    logs = {c.name: _IssueLog() for c in present}
    # Arrow kernels release the GIL, so columns convert in parallel.
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {c.name: pool.submit(_convert, c.name, c.kind, text[c.name], logs[c.name]) for c in present}
        converted = {name: future.result() for name, future in futures.items()}
    log = _IssueLog.merged(logs.values())

    arrays, fields = [], []
    for c in columns:
        arrays.append(converted[c.name] if c.name in converted else pa.nulls(text.num_rows, c.arrow_type))
        fields.append(pa.field(c.name, c.arrow_type))
    extra = tuple(name for name in header if name not in known)
    for name in extra:
        arrays.append(text[name])
        fields.append(pa.field(name, pa.string()))
    table = pa.Table.from_arrays(arrays, schema=pa.schema(fields))

    lines, rejected = None, []
    if invalid or log:
        lines, rejected = _record_lines(file, text, header, invalid)
    issues = _issue_table(file, log, lines, rejected)
    release_format = detect_release_format(header) if "tweetid" in known else "users"
    return ParsedFile(
        table=table,
        header=header,
        release_format=release_format,
        bytes=file.size,
        issues=issues,
        extra_columns=extra,
    )
