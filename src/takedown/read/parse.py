"""Parse one users or tweets CSV into typed Arrow batches, in one streaming pass, with Arrow kernels.

``pyarrow.csv``'s streaming reader parses the file block by block (real
files hold newlines inside quoted values, so ``newlines_in_values`` is on);
every column arrives as text and is converted by its
:class:`takedown.schema.Kind` with Arrow compute kernels, never per cell in
Python, and handed to a sink (Parquet files, or memory) batch by batch, so a
file of any size is read in bounded memory. The bytes are hashed and their
line breaks counted as they pass, so the file is opened once.

Nothing is dropped without a record: a cell that cannot be converted becomes
null and is logged with its file, line and column; a row with the wrong
number of fields is logged with its line range and the number of records it
holds (a stray quote can swallow many) and left out. Only a file with such
rows, or with blank lines, is read a second time, with Python's ``csv``
module, to find the lines.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import functools
import hashlib
import io
import itertools
import queue
import re
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from takedown.read import arrays
from takedown.read.containers import HEAD_BYTES, read_up_to
from takedown.read.discover import SourceFile
from takedown.read.lists import parse_lists
from takedown.read.users import LatestUsers
from takedown.schema import Column, Kind, detect_release_format

__all__ = ["MAX_VALUE_CHARS", "MemorySink", "ParsedFile", "Sink", "issue_table", "parse_file"]

#: Longest raw value kept in an issue record.
MAX_VALUE_CHARS = 200
_BLOCK_SIZE = 4 << 20
_DIGEST_BLOCK = 4 << 20
_MAX_BLOCK_SIZE = 1 << 30
# Arrow's strptime rolls impossible dates over (2019-02-30 becomes 2019-03-02), so each
# format says where its fields are, to check the parsed value against the text.
_TIME_FORMATS = (
    ("%Y-%m-%d %H:%M", True),
    ("%Y-%m-%d %H:%M:%S", True),
    ("%Y-%m-%dT%H:%M:%S", True),
    ("%Y-%m-%dT%H:%M:%SZ", True),
    ("%Y-%m-%dT%H:%M", True),
    ("%Y-%m-%dT%H:%M:%S%z", False),
    ("%Y-%m-%d %H:%M:%S%z", False),
)
_DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")
_TRUE = ("true", "1", "1.0")
_FALSE = ("false", "0", "0.0")
_LARGEST = str(2**63 - 1)
# User ids are digits or a hash (hex in 2018, base64 with + / = from 2019).
_USER_ID_PATTERN = r"^[0-9A-Za-z+/=_-]+$"
_FLOAT_ID_PATTERN = r"^[0-9]+(\.[0-9]*)?[eE][+-]?[0-9]+$|^[0-9]+\.[0-9]*$"
_FLOAT_ID_REASON = "id written as a float: its digits may have been lost (spreadsheet export?)"
# The first column's shape is learned from this many values (it does not change after).
_SHAPE_VALUES = 200_000
_UNNAMED_INDEX = re.compile(r"^(Unnamed: 0|index|)$")
# csv.field_size_limit is process-wide: the scan raises it for itself, under a lock.
_CSV_LIMIT_LOCK = threading.Lock()


@dataclass
class ParsedFile:
    """A parsed CSV: what it held, and what happened on the way.

    The rows themselves went to the sink; ``keys`` and ``lines`` are kept
    for finding ids repeated across files.
    """

    file: SourceFile
    header: tuple[str, ...]
    release_format: str
    bytes: int
    rows: int
    sha256: str
    issues: pa.Table
    keys: pa.Array
    lines: np.ndarray
    extra_columns: tuple[str, ...] = ()
    absent_columns: tuple[str, ...] = ()
    dropped_index: str | None = None
    drop: np.ndarray | None = None  # rows in the sink to leave out (they swallowed other records)
    latest_users: LatestUsers | None = None  # each account's latest row, when asked for


class Sink:
    """Where parsed batches go: one call to :meth:`start` per file, then :meth:`write`, then :meth:`finish`."""

    def start(self, schema: pa.Schema) -> None:
        raise NotImplementedError

    def write(self, table: pa.Table) -> None:
        raise NotImplementedError

    def discard(self) -> None:
        """Forget the current file's batches (its parse starts again)."""
        raise NotImplementedError

    def finish(self) -> None:
        raise NotImplementedError


class MemorySink(Sink):
    """Batches kept in memory, one table per file."""

    def __init__(self):
        self.tables: list[pa.Table] = []
        self._current: list[pa.Table] = []
        self._schema: pa.Schema | None = None

    def start(self, schema: pa.Schema) -> None:
        self._current, self._schema = [], schema

    def write(self, table: pa.Table) -> None:
        self._current.append(table)

    def discard(self) -> None:
        self._current = []

    def finish(self) -> None:
        self.tables.append(pa.concat_tables(self._current) if self._current else arrays.empty(self._schema))
        self._current = []


class _Tally:
    """What the checks need of a file's bytes as they pass: their SHA-256, number, line breaks and last byte."""

    def __init__(self):
        self.digest = hashlib.sha256()
        self.bytes = 0
        self.newlines = 0
        self.last = b""

    def count(self, data: bytes | bytearray) -> None:
        if data:
            self.digest.update(data)
            self.bytes += len(data)
            self.newlines += data.count(b"\n")
            self.last = bytes(data[-1:])


class _Tap(io.RawIOBase, _Tally):
    """Reads through a stream once: hashes the bytes, counts them and their line breaks, reports progress.

    The first ``head`` bytes, read ahead to find the header, are replayed.
    """

    def __init__(self, stream, head: bytes, progress: Callable[[int], None] | None):
        io.RawIOBase.__init__(self)
        _Tally.__init__(self)
        self._stream = stream
        self._pending = memoryview(head)
        self._progress = progress
        self._account(head)

    def _account(self, data) -> None:
        self.count(data)
        if data and self._progress is not None:
            self._progress(len(data))

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._pending:
            n = min(len(buffer), len(self._pending))
            buffer[:n] = self._pending[:n]
            self._pending = self._pending[n:]
            return n
        data = self._stream.read(len(buffer))
        self._account(data)
        buffer[: len(data)] = data
        return len(data)

    def read(self, size: int = -1) -> bytes:
        if self._pending:
            n = len(self._pending) if size is None or size < 0 else min(size, len(self._pending))
            data = bytes(self._pending[:n])
            self._pending = self._pending[n:]
            return data
        data = self._stream.read(size)
        self._account(data)
        return data

    def drain(self) -> None:
        """Read what Arrow left (nothing, normally), so the digest covers every byte."""
        while self.read(1 << 22):
            pass

    def close(self) -> None:
        if not self.closed:
            self._stream.close()
        super().close()


class _FileDigest(threading.Thread, _Tally):
    """Hashes a plain file and counts its line breaks in a thread of its own, while Arrow reads it natively.

    Arrow reading the file itself is faster than feeding it through Python;
    the hash (which releases the GIL) and the count run beside it, on the
    same bytes the page cache already holds.
    """

    def __init__(self, path):
        threading.Thread.__init__(self, name="takedown-digest", daemon=True)
        _Tally.__init__(self)
        self.path = path
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            # One buffer filled again and again, not a fresh 4 MB block per read (fresh memory is zeroed page by page).
            buffer = bytearray(_DIGEST_BLOCK)
            with open(self.path, "rb", buffering=0) as stream:
                while size := stream.readinto(buffer):
                    self.count(buffer if size == len(buffer) else buffer[:size])
        except OSError as error:
            self.error = error

    def result(self) -> _FileDigest:
        self.join()
        if self.error is not None:
            raise self.error
        return self


class _Prefetch(threading.Thread):
    """Iterates a batch reader in a thread of its own, a few batches ahead of the caller.

    Arrow's streaming CSV reader parses in the thread that asks for the next
    batch. Asked from here, it parses the next blocks while the caller
    converts and checks the last ones. The queue holds at most ``depth``
    batches (of 4 MB of text), so memory stays bounded; an error is raised
    in the caller, where the batch would have been.
    """

    _END = object()

    def __init__(self, reader, *, depth: int = 8):
        super().__init__(name="takedown-csv", daemon=True)
        self._reader = reader
        self._queue: queue.Queue = queue.Queue(maxsize=depth)
        self._cancelled = threading.Event()

    def run(self) -> None:
        try:
            for batch in self._reader:
                if self._cancelled.is_set():
                    return
                self._queue.put(batch)
            self._queue.put(self._END)
        except BaseException as error:  # noqa: BLE001 - handed to the caller, which raises it
            self._queue.put(error)

    def __iter__(self):
        self.start()
        try:
            while (item := self._queue.get()) is not self._END:
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            # The caller stopped early (an error of its own): let the reader thread finish without blocking.
            self._cancelled.set()
            while self.is_alive():
                try:
                    self._queue.get(timeout=0.05)
                except queue.Empty:
                    pass


@dataclass
class _IssueLog:
    """Issues found while converting, by row position in the file, before lines are known."""

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

    def shifted(self, offset: int) -> _IssueLog:
        moved = _IssueLog()
        for entry in zip(self.rows, self.columns, self.reasons, self.values, self.actions):
            moved.add(entry[0] + offset, *entry[1:])
        return moved

    def extend(self, other: _IssueLog) -> None:
        for entry in zip(other.rows, other.columns, other.reasons, other.values, other.actions):
            self.add(*entry)

    def __bool__(self) -> bool:
        return bool(self.rows)


def _clip(value) -> str | None:
    if value is None:
        return None
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def _check_columns(file: SourceFile, header: tuple[str, ...], required: list[str]) -> None:
    missing = [name for name in required if name not in header]
    if missing:
        raise ValueError(
            f"{file.display}, line 1: missing required column {missing[0]!r}"
            + (f" (and {len(missing) - 1} more: {', '.join(missing[1:])})" if len(missing) > 1 else "")
            + f"; the header has {len(header)} columns: {', '.join(header)}"
        )


def _newlines_per_row(table: pa.Table | pa.RecordBatch, *, columns: dict | None = None) -> np.ndarray:
    """Line breaks inside each row's values (so a row spans that many extra lines).

    ``columns``, when given, receives for each column that holds any its
    position, mapped to the byte offsets of its line breaks in its (only)
    chunk's data: :func:`_swallowing` looks at what follows them.
    """
    counts = np.zeros(table.num_rows, dtype=np.int64)
    for position, column in enumerate(table.columns):
        chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
        start = 0
        for chunk in chunks:
            if len(chunk) and pa.types.is_string(chunk.type) and chunk.buffers()[2] is not None:
                offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int32)[
                    chunk.offset : chunk.offset + len(chunk) + 1
                ]
                data = np.frombuffer(chunk.buffers()[2], dtype=np.uint8)
                where = np.flatnonzero(data[offsets[0] : offsets[-1]] == 10) + offsets[0]
                if where.size:
                    rows = np.searchsorted(offsets, where, side="right") - 1
                    counts[start : start + len(chunk)] += np.bincount(rows, minlength=len(chunk))
                    if columns is not None and len(chunks) == 1:
                        columns[position] = where
            start += len(chunk)
    return counts


@dataclass
class _Shape:
    """What a column's values look like in the rows that parsed: their characters and lengths.

    A few damaged values must not widen the shape, so the characters are the
    narrowest class that 99% of the values fit (digits; an id or hash's
    letters, digits and ``+/=_-``; a date), and the lengths those values'.
    """

    values: int = 0
    counts: dict = field(default_factory=dict)
    lengths: dict = field(default_factory=dict)

    # Characters, the values they fit, and what cannot follow such a value within it.
    _CLASSES: ClassVar[dict[str, tuple[str, str]]] = {
        "digits": ("[0-9]", r"^[0-9]+$"),
        "date": ("[0-9-]", r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
        "base64": ("[0-9A-Za-z+/=_-]", _USER_ID_PATTERN),
    }

    def update(self, column) -> None:
        values = pc.drop_null(column)
        if not len(values):
            return
        self.values += len(values)
        lengths = pc.utf8_length(values)
        digits = pc.match_substring_regex(values, self._CLASSES["digits"][1])
        # Values that are all digits fit the base64 class as well, and none is a date: one match, not three.
        all_digits = pc.all(digits).as_py()
        for name, (_, fitting) in self._CLASSES.items():
            if name == "digits" or (all_digits and name == "base64"):
                fits = digits
            elif all_digits:
                self.counts.setdefault(name, 0)
                continue
            else:
                fits = pc.match_substring_regex(values, fitting)
            self.counts[name] = self.counts.get(name, 0) + int(pc.sum(fits).as_py() or 0)
            span = pc.min_max(lengths.filter(fits)).as_py()
            if span["min"] is not None:
                low, high = self.lengths.get(name, (span["min"], span["max"]))
                self.lengths[name] = (min(low, span["min"]), max(high, span["max"]))

    def characters(self) -> str | None:
        """The character class (``"[0-9]"``) that 99% of the values fit; None for free text or before any value."""
        for name in self._CLASSES:
            if self.values and self.counts[name] >= 0.99 * self.values:
                return self._CLASSES[name][0]
        return None

    def whole(self, *, end: str = "$") -> str | None:
        """A regular expression for such a value, quoted or not.

        None before any value was seen, and for free text (a first column of
        names or texts), whose lines cannot be told from a record's start.
        ``end`` matches the end of the text (``r"\\Z"`` for Python's ``re``,
        whose ``$`` also matches before a last line break).
        """
        for name in self._CLASSES:
            if self.values and self.counts[name] >= 0.99 * self.values:
                characters = self._CLASSES[name][0]
                low, high = self.lengths[name]
                # Damage can sit right before or after the value (a quote lost or turned into a comma: but
                # a comma then a quoted id is a field of a cut record, not a record), and
                # a damaged row may hold an id a little shorter or longer than those that parsed (18-digit
                # tweet ids from 2015 beside 19-digit ones).
                other = characters[0] + "^" + characters[1:]
                low, high = max(low - 3, 1), min(high + 1, 1000)
                value = f"{characters}{{{low},{high}}}"
                return f'([^0-9A-Za-z"\'\\n]|"{{1,2}})?{value}({other}|{end})'
        return None


def _record_start_pattern(shapes: list[_Shape]) -> str | None:
    """A record's first field, shaped as in the rows that parsed: a tweet id's digits, an account's hash."""
    return shapes[0].whole() if shapes else None


def _record_start(shapes: list[_Shape]) -> re.Pattern | None:
    """A compiled :func:`_record_start_pattern` anchored at a line's start."""
    pattern = _record_start_pattern(shapes)
    return re.compile("^" + pattern) if pattern else None


def _rest_of_a_split_record(rejected: list[dict], expected: int) -> None:
    """The second piece of a record that a line break cut in two holds no record of its own.

    A line break put where a comma or a quote was leaves two rejected rows
    on consecutive lines whose fields add up to the header's, give or take
    one. The second piece can begin with a field shaped like a record's first
    (``in_reply_to_userid`` after ``tweet_client_name``), so it is recognised
    by this instead.
    """
    for first, second in itertools.pairwise(rejected):
        if (
            first["records"] >= 1
            and second["records"] >= 1
            and first["line_end"] is not None
            and second["line"] == first["line_end"] + 1
            and abs(first["fields"] + second["fields"] - expected) <= 1
        ):
            second["records"] -= 1


def _swallowing(
    batch: pa.RecordBatch, newlines: np.ndarray, shape: _Shape, columns: dict
) -> tuple[np.ndarray, np.ndarray]:
    """Rows with the right number of fields that still hold other records inside a value.

    A stray quote can open a value that only a later quote closes; when the
    fields before and after add up to the header's number, the row parses,
    but a line inside its value begins like a record. Returns those rows and
    how many records each holds beyond its own. ``shape`` is the first
    column's, learned from the rows read so far; ``columns`` maps the
    columns that hold line breaks to their offsets (:func:`_newlines_per_row`).
    """
    empty = np.zeros(0, np.int64)
    start, characters = shape.whole(), shape.characters()
    if not newlines.any() or start is None:
        return empty, empty
    # A record's first value begins within five bytes of its line's start (after at most one stray
    # character or two quotes): only rows with such a byte after a line break can hold one.
    first = np.zeros(256, dtype=bool)
    first[[b for b in range(128) if re.fullmatch(characters, chr(b))]] = True
    near = np.zeros(batch.num_rows, dtype=bool)
    for position, where in columns.items():
        chunk = batch.column(position)
        data = np.frombuffer(chunk.buffers()[2], dtype=np.uint8)
        window = np.minimum(where[:, None] + np.arange(1, 6), data.size - 1)
        hits = where[first[data[window]].any(axis=1)]
        if hits.size:
            offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int32)[chunk.offset : chunk.offset + len(chunk) + 1]
            near[np.searchsorted(offsets, hits, side="right") - 1] = True
    candidates = np.flatnonzero(near)
    if not candidates.size:
        return empty, empty
    # Python's re, compiled once, on the few candidates: Arrow would compile the pattern again for every batch.
    pattern = _compiled("\n" + shape.whole(end=r"\Z"))
    counts = np.zeros(candidates.size, dtype=np.int64)
    for position in columns:
        texts = batch.column(position).take(arrays.arrow(candidates)).to_pylist()
        counts += np.array([len(pattern.findall(text)) if text else 0 for text in texts], dtype=np.int64)
    hit = counts > 0
    return candidates[hit], counts[hit]


@functools.lru_cache(maxsize=16)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def _records_in(text: str, start: re.Pattern | None) -> int:
    """Lines of a rejected record that begin like a record of this file (1 when no row parsed to learn from)."""
    if start is None:
        return 1
    return sum(1 for line in text.split("\n") if start.match(line))


def _scan_records(file: SourceFile, ncols: int) -> tuple[np.ndarray, list[tuple[int, int, int]]]:
    """Start line of every well-formed record, and (start, end, fields) of the others, by a Python scan.

    Only used when a file has rows with the wrong number of fields or blank
    lines, where the rows' positions alone cannot give their lines. Python's
    ``csv`` module splits records as Arrow does (a quote ends quoting only at
    the start of a field; doubled quotes are literal).
    """
    good: list[int] = []
    bad: list[tuple[int, int, int]] = []
    with _CSV_LIMIT_LOCK:
        limit = csv.field_size_limit(sys.maxsize)
        try:
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
                        bad.append((start, reader.line_num, len(record)))
        finally:
            csv.field_size_limit(limit)
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


def _check_ids(name: str, kind: Kind, text, log: _IssueLog) -> None:
    """Log ids that are not digits (tweet ids) or digits or a hash (user ids); they are kept."""
    if kind is Kind.TWEET_ID:
        good = pc.utf8_is_decimal(text)
    else:
        # An account's id repeats in all its tweets: each distinct id is matched once (three times faster).
        encoded = pc.dictionary_encode(text)
        good = pc.match_substring_regex(encoded.dictionary, _USER_ID_PATTERN).take(encoded.indices)
    bad = pc.invert(pc.or_kleene(good, pc.is_null(good)))
    if not pc.any(bad).as_py():
        return
    positions = arrays.where(bad)
    values = text.take(arrays.arrow(positions))
    floats = arrays.numpy(pc.match_substring_regex(values, _FLOAT_ID_PATTERN))
    values = np.array(values.to_pylist(), dtype=object)
    expected = "digits" if kind is Kind.TWEET_ID else "digits or a hash"
    log.add(positions[floats], name, _FLOAT_ID_REASON, values[floats].tolist(), "kept")
    log.add(positions[~floats], name, f"not an id (expected {expected})", values[~floats].tolist(), "kept")


def _same_fields(text, parsed, *, with_time: bool):
    """Where the parsed value has the year, month, day (and hour, minute) written in the text.

    Arrow's strptime accepts 2019-02-30 and gives 2019-03-02: a rolled-over
    value differs from its text in one of these fields.
    """
    checks = [("year", 0, 4), ("month", 5, 7), ("day", 8, 10)]
    if with_time:
        checks += [("hour", 11, 13), ("minute", 14, 16)]
    same = pc.is_valid(parsed)
    for part, start, stop in checks:
        piece = pc.utf8_slice_codeunits(text, start, stop)
        written = pc.cast(pc.if_else(pc.utf8_is_decimal(piece), piece, arrays.scalar(None, pa.string())), pa.int64())
        same = pc.and_kleene(same, pc.equal(getattr(pc, part)(parsed), written))
    return same


def _parse_times(text, formats, *, unit: str):
    """The first format that gives a value whose fields match the text, per cell."""
    result = None
    for layout, checkable in formats:
        pending = pc.is_valid(text) if result is None else pc.and_(pc.is_null(result), pc.is_valid(text))
        if result is not None and not pc.any(pending).as_py():
            break
        parsed = pc.strptime(text, format=layout, unit=unit, error_is_null=True)
        if checkable:
            parsed = pc.if_else(
                _same_fields(text, parsed, with_time="%H" in layout),
                parsed,
                arrays.scalar(None, parsed.type),
            )
        result = parsed if result is None else pc.coalesce(result, parsed)
    return result


def _fast_convert(kind: Kind, text):
    """Arrow's own strict cast, when every value is in the plain form (nearly always); else None.

    Arrow's ISO cast refuses impossible dates and hours, unlike its strptime,
    so a clean column needs one kernel instead of several; a boolean column
    of ``true`` and ``false`` needs two comparisons.
    """
    if kind not in (Kind.COUNT, Kind.DATE, Kind.TIME, Kind.BOOL) or text.null_count == len(text):
        return None
    valid = pc.drop_null(text)
    if kind is Kind.BOOL:  # as Twitter writes them
        true = pc.equal(text, arrays.scalar("true"))
        written = (pc.sum(true).as_py() or 0) + (pc.sum(pc.equal(valid, arrays.scalar("false"))).as_py() or 0)
        return true if written == len(valid) else None
    try:
        if kind is Kind.COUNT:
            if not pc.all(pc.utf8_is_decimal(valid)).as_py():
                return None
            return pc.cast(text, pa.int64())
        if kind is Kind.DATE:
            if pc.min_max(pc.utf8_length(valid)).as_py() != {"min": 10, "max": 10}:
                return None
            return pc.cast(text, pa.date32())
        if pc.min(pc.utf8_length(valid)).as_py() < 16:  # a date alone is not a time: the careful path says so
            return None
        return pc.cast(pc.cast(text, pa.timestamp("s")), pa.timestamp("s", tz="UTC"))
    except pa.ArrowInvalid:
        return None


def _convert(name: str, kind: Kind, text, log: _IssueLog):
    """One column converted from text to its kind's type, problems logged by row position."""
    if kind in (Kind.TEXT, Kind.GEO):
        return text
    if kind in (Kind.TWEET_ID, Kind.USER_ID):
        _check_ids(name, kind, text, log)
        return text
    if kind is Kind.LANG:
        return pc.utf8_lower(text)
    if kind is Kind.LIST:
        lists, bad = parse_lists(text)
        log.add(bad, name, "not a list literal", text.take(arrays.arrow(bad)).to_pylist(), "set to null")
        return lists
    fast = _fast_convert(kind, text)
    if fast is not None:
        return fast
    if kind is Kind.COUNT:
        trimmed = pc.utf8_trim_whitespace(text)
        # A count that went through a float column of pandas is written 17.0: the same count.
        whole = pc.replace_substring_regex(trimmed, r"^([0-9]+)\.0*$", r"\1")
        # Up to 2**63 - 1, the largest int64; a longer count is logged, not wrapped around.
        short = pc.match_substring_regex(whole, r"^[0-9]{1,18}$")
        long = pc.and_(pc.match_substring_regex(whole, r"^[0-9]{19}$"), pc.less_equal(whole, arrays.scalar(_LARGEST)))
        result = pc.cast(pc.if_else(pc.or_(short, long), whole, arrays.scalar(None, pa.string())), pa.int64())
        reason = "not a whole number (or larger than 2**63 - 1)"
    elif kind is Kind.BOOL:
        lowered = pc.utf8_lower(pc.utf8_trim_whitespace(text))
        result = pc.if_else(
            pc.is_in(lowered, arrays.texts(_TRUE)),
            arrays.scalar(True),
            pc.if_else(pc.is_in(lowered, arrays.texts(_FALSE)), arrays.scalar(False), arrays.scalar(None, pa.bool_())),
        )
        reason = "not a boolean (expected true/false, True/False or 1/0)"
    elif kind is Kind.DATE:
        parsed = _parse_times(text, [(f, True) for f in _DATE_FORMATS], unit="s")
        result = pc.cast(pc.cast(parsed, pa.timestamp("s")), pa.date32())
        reason = "not a date (expected YYYY-MM-DD)"
    elif kind is Kind.TIME:
        result = pc.cast(_parse_times(text, _TIME_FORMATS, unit="s"), pa.timestamp("s", tz="UTC"))
        reason = "not a time (expected YYYY-MM-DD HH:MM, UTC)"
    else:  # pragma: no cover - every Kind is handled above
        raise TypeError(f"unknown column kind {kind!r}")
    lost = pc.and_(pc.is_null(result), pc.is_valid(text))
    if pc.any(lost).as_py():
        positions = arrays.where(lost)
        log.add(positions, name, reason, text.take(arrays.arrow(positions)).to_pylist(), "set to null")
    return result


def issue_table(rows: dict[str, list]) -> pa.Table:
    """Issue rows (a dict of columns of Python values) as a table in the stored issue form."""
    from takedown.archive import ISSUE_SCHEMA, stored_issues

    if not any(rows.values()):
        return stored_issues(arrays.empty(ISSUE_SCHEMA))
    plain = pa.table({f.name: pa.array(rows.get(f.name, []), f.type) for f in ISSUE_SCHEMA}, schema=ISSUE_SCHEMA)
    return stored_issues(plain)


def _issues(file: SourceFile, log: _IssueLog, lines: np.ndarray | None, rejected: list[dict]) -> pa.Table:
    rows = np.concatenate(log.rows) if log else np.zeros(0, np.int64)
    repeat = [len(r) for r in log.rows]
    cell_lines = lines[rows].tolist() if lines is not None else [None] * len(rows)
    columns = {
        "file": [file.display] * (len(rows) + len(rejected)),
        "line": cell_lines + [r["line"] for r in rejected],
        "line_end": cell_lines + [r["line_end"] for r in rejected],
        "row": [int(r) + 1 for r in rows] + [None] * len(rejected),
        "column": [c for c, n in zip(log.columns, repeat) for _ in range(n)] + [None] * len(rejected),
        "reason": [r for r, n in zip(log.reasons, repeat) for _ in range(n)] + [r["reason"] for r in rejected],
        "value": [_clip(v) for values in log.values for v in values] + [_clip(r["text"]) for r in rejected],
        "action": [a for a, n in zip(log.actions, repeat) for _ in range(n)] + ["row rejected"] * len(rejected),
        "records": [None] * len(rows) + [r["records"] for r in rejected],
    }
    return issue_table(columns)


def _rejected_reason(fields: int, expected: int, records: int, span: tuple | None) -> str:
    reason = f"row has {fields:,} fields, the header has {expected}"
    if span is not None and span[0] is not None and span[1] != span[0]:
        reason += f"; it spans lines {span[0]:,}-{span[1]:,}"
    if records > 1:
        reason += f" and holds {records:,} records: a stray or missing quote swallowed the {records - 1:,} after it"
    elif records == 0:
        reason += "; it does not begin like a record: the rest of a record cut by a line break or a quote"
    return reason


def _key_array(ids: pa.ChunkedArray | pa.Array) -> pa.Array:
    """The key column for finding repeats: uint64 where every id is digits without a leading zero, else text.

    Digit strings as integers are compared several times faster; a leading
    zero would make two strings one number, so such columns stay text.
    """
    if isinstance(ids, pa.ChunkedArray):
        ids = ids.combine_chunks() if ids.num_chunks != 1 else ids.chunk(0)
    valid = pc.drop_null(ids)
    if len(valid) and pc.all(pc.utf8_is_decimal(valid)).as_py() and not pc.any(pc.starts_with(valid, "0")).as_py():
        try:
            return pc.cast(ids, pa.uint64())
        except pa.ArrowInvalid:  # more digits than 64 bits hold
            pass
    return ids.cast(pa.string())


def _header_of(file: SourceFile, head: bytes) -> tuple[str, ...]:
    if file.header:
        return tuple(file.header)
    end = head.find(b"\n")
    line = head[: end if end >= 0 else len(head)].rstrip(b"\r")
    return tuple(next(csv.reader([line.decode("utf-8-sig", errors="replace")]), []))


def parse_file(
    file: SourceFile,
    columns: tuple[Column, ...],
    *,
    sink: Sink,
    required: tuple[str, ...] = (),
    progress: Callable[[int], None] | None = None,
    users: bool = False,
) -> ParsedFile:
    """Read one users or tweets CSV into typed batches handed to ``sink``.

    Parameters
    ----------
    file : SourceFile
    columns : tuple of Column
        :data:`takedown.schema.USERS` or :data:`takedown.schema.TWEETS`.
    sink : Sink
        Receives the batches: ``columns`` in schema order (those missing from
        the file added as nulls), then any extra columns as text.
    required : tuple of str
        Columns the file must have (its id column always).
    progress : callable, optional
        Called with the number of bytes read after each block.
    users : bool
        For a tweets file: keep each account's latest row as the batches
        pass (:attr:`ParsedFile.latest_users`), for a release without a
        users file.

    Returns
    -------
    ParsedFile

    Raises
    ------
    ValueError
        The file is empty, lacks a required column, is not UTF-8, is not CSV,
        or is a damaged zip member; the message names the file, line and column.
    """
    block_size = _BLOCK_SIZE
    while True:
        try:
            return _parse(
                file, columns, sink=sink, required=required, progress=progress, block_size=block_size, users=users
            )
        except _BlockTooSmall:
            # A value longer than a block: legal, if rare (a 50 MB text). Start the file again with bigger blocks.
            sink.discard()
            if block_size >= _MAX_BLOCK_SIZE:
                raise ValueError(
                    f"{file.display}: a value is longer than {_MAX_BLOCK_SIZE >> 20:,} MB; takedown will not hold it"
                ) from None
            block_size *= 8
            progress = None  # the bar already went through the bytes once


class _BlockTooSmall(Exception):
    pass


def _advance(progress: Callable[[int], None], step: int, left: int) -> int:
    """Move a progress bar by ``step`` bytes but never past the ``left`` still to come; the bytes moved."""
    step = max(0, min(step, left))
    if step:
        progress(step)
    return step


def _parse(file, columns, *, sink, required, progress, block_size, users) -> ParsedFile:
    known = {c.name: c for c in columns}
    key = columns[0].name
    with contextlib.ExitStack() as stack:
        raw = stack.enter_context(file.open())
        head = read_up_to(raw, HEAD_BYTES)
        if not head:
            raise ValueError(f"{file.display}: the file is empty (0 bytes); expected a CSV header line")
        header = _header_of(file, head)
        _check_columns(file, header, [key, *required])
        dropped_index = header[0] if header and _UNNAMED_INDEX.match(header[0]) and header[0] not in known else None
        present = [c for c in columns if c.name in header]
        extra = tuple(n for n in header if n not in known and n != dropped_index)
        schema = pa.schema(
            [pa.field(c.name, c.arrow_type) for c in columns] + [pa.field(n, pa.string()) for n in extra]
        )
        native = not file.entry.chain
        reported = 0  # bytes the progress bar was moved by, reading natively
        if native:
            tap = _FileDigest(file.entry.path)
            tap.start()
            # Mapped, Arrow's blocks are views of the page cache, not copies into fresh memory: zeroing
            # fresh pages took a fifth of a first read's CPU time (measured with perf on a 2-core VM).
            source = pa.memory_map(str(file.entry.path))
        else:
            tap = source = _Tap(raw, head, progress)
        invalid: list[tuple[int, str]] = []

        def on_invalid(row) -> str:
            invalid.append((row.actual_columns, row.text))
            return "skip"

        convert = pcsv.ConvertOptions(
            column_types={name: pa.string() for name in header},
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
            null_values=[""],
        )
        reader_options = pcsv.ReadOptions(
            block_size=block_size, use_threads=True, column_names=list(header), skip_rows=1
        )
        parse_options = pcsv.ParseOptions(newlines_in_values=True, invalid_row_handler=on_invalid)
        sink.start(schema)
        log = _IssueLog()
        keys, per_row, hidden = [], [], []
        shapes = [_Shape()]  # of the first column, as the lines begin with it
        rows = 0
        latest_users = LatestUsers() if users else None
        try:
            reader = pcsv.open_csv(
                source, read_options=reader_options, parse_options=parse_options, convert_options=convert
            )
            with ThreadPoolExecutor(max_workers=2) as pool:

                def submit(batch, start: int):
                    # A log per column: two conversions logging at once would interleave one log's lists.
                    logs = {c.name: _IssueLog() for c in present}
                    futures = {
                        c.name: pool.submit(_convert, c.name, c.kind, batch.column(c.name), logs[c.name])
                        for c in present
                    }
                    return batch, start, futures, logs

                def finish(batch, start: int, futures: dict, logs: dict) -> None:
                    converted = [
                        futures[c.name].result() if c.name in futures else pa.nulls(batch.num_rows, c.arrow_type)
                        for c in columns
                    ]
                    converted += [batch.column(n) for n in extra]
                    table = pa.Table.from_arrays(converted, schema=schema)
                    keys.append(_key_array(table.column(key)))
                    for c in present:
                        log.extend(logs[c.name].shifted(start))
                    sink.write(table)
                    if latest_users is not None:
                        latest_users.add(table)

                # One batch ahead: the pool converts a batch while this thread checks it and writes the last.
                pending = None
                for batch in _Prefetch(reader):
                    submitted = submit(batch, rows)
                    broken: dict[int, np.ndarray] = {}
                    per_row.append(_newlines_per_row(batch, columns=broken))
                    if shapes[0].values < _SHAPE_VALUES:
                        shapes[0].update(batch.column(0))
                    positions, counts = _swallowing(batch, per_row[-1], shapes[0], broken)
                    for position, count in zip(positions, counts):
                        values = [v for v in batch.slice(int(position), 1).to_pylist()[0].values() if v is not None]
                        hidden.append((rows + int(position), int(count), ",".join(values)))
                    rows += batch.num_rows
                    if native and progress is not None:
                        # Arrow makes a batch of each block of the file it maps: a block's bytes per batch.
                        reported += _advance(progress, block_size, (file.entry.size or 0) - reported)
                    if pending is not None:
                        finish(*pending)
                    pending = submitted
                if pending is not None:
                    finish(*pending)
            tap = tap.result() if native else tap
            if native and progress is not None:
                reported += _advance(progress, tap.bytes - reported, tap.bytes - reported)
            if not native:
                tap.drain()
        except pa.ArrowInvalid as error:
            message = str(error)
            if "straddl" in message:
                raise _BlockTooSmall from None
            if "UTF8" in message or "UTF-8" in message:
                raise _locate_bad_utf8(file, header, message) from None
            raise ValueError(f"{file.display}: cannot be parsed as CSV: {message}") from None
    sink.finish()

    if rows == 0 and len(invalid) >= 2:
        counts = np.bincount([fields for fields, _ in invalid])
        if counts.max() >= 0.9 * len(invalid):
            raise ValueError(
                f"{file.display}, line 1: the header names {len(header)} columns but {counts.max():,} of the "
                f"{len(invalid):,} rows have {counts.argmax()} fields and none has {len(header)}: the header line "
                "is damaged or is not this file's"
            )
    per_row = np.concatenate(per_row) if per_row else np.zeros(0, np.int64)
    lines = 2 + np.arange(rows, dtype=np.int64)
    lines[1:] += np.cumsum(per_row)[:-1]
    rejected_spans = None
    inner = int(per_row.sum()) + sum(text.count("\n") for _, text in invalid)
    expected_newlines = 1 + rows + len(invalid) + inner - (tap.last != b"\n")
    if invalid or tap.newlines != expected_newlines:
        good, bad = _scan_records(file, len(header))
        if len(good) == rows:
            lines = good
        if len(bad) == len(invalid):
            rejected_spans = [(start, end) for start, end, _ in bad]
    start = _record_start(shapes)
    rejected = []
    for i, (fields, text) in enumerate(invalid):
        records = _records_in(text, start)
        span = rejected_spans[i] if rejected_spans else (None, None)
        rejected.append({"fields": fields, "text": text, "records": records, "line": span[0], "line_end": span[1]})
    _rest_of_a_split_record(rejected, len(header))
    for entry in rejected:
        entry["reason"] = _rejected_reason(
            entry["fields"], len(header), entry["records"], (entry["line"], entry["line_end"])
        )
    drop = np.array([position for position, _, _ in hidden], dtype=np.int64)
    for position, inside, text in hidden:
        line, line_end = int(lines[position]), int(lines[position] + per_row[position])
        reason = (
            f"row has the header's {len(header)} fields, but a line inside one of its values begins like a record: "
            f"it spans lines {line:,}-{line_end:,} and holds {inside + 1:,} records "
            f"(a stray quote swallowed the {inside:,} after it)"
        )
        rejected.append({"reason": reason, "text": text, "records": inside + 1, "line": line, "line_end": line_end})
    keys_array = pa.concat_arrays(keys) if keys else pa.nulls(0, pa.string())
    lines_before_drop = lines
    if drop.size:
        keep = np.ones(rows, dtype=bool)
        keep[drop] = False
        keys_array, lines = keys_array.filter(arrays.arrow(keep)), lines[keep]
    return ParsedFile(
        file=file,
        header=header,
        release_format=detect_release_format(header) if key == "tweetid" else "users",
        bytes=tap.bytes,
        rows=rows - int(drop.size),
        sha256=tap.digest.hexdigest(),
        issues=_issues(file, log, lines_before_drop, rejected),
        keys=keys_array,
        lines=lines,
        drop=drop,
        latest_users=latest_users,
        extra_columns=extra,
        absent_columns=tuple(c.name for c in columns if c.name not in header),
        dropped_index=dropped_index,
    )
