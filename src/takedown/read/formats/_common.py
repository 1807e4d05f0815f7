"""What every reader of another data set shares: the result type, the issue log, CSV parsing with
line numbers, and Arrow conversions that null and record what they cannot convert."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from takedown.archive import ISSUE_COLUMNS
from takedown.schema import Column, arrow_schema

#: Longest raw value kept in an issue record (as the Twitter reader does).
MAX_VALUE_CHARS = 200
FLOAT_ID_REASON = "id written as a float: its digits may have been lost (spreadsheet export?)"
_BOM = b"\xef\xbb\xbf"
_BLOCK_SIZE = 8 << 20
_DIGITS = r"^[0-9]+$"
FLOAT_TEXT = r"^[+-]?[0-9]*\.?[0-9]+([eE][+-]?[0-9]+)?$|^[+-]?[0-9]+\.$"
FLOAT_ID = r"^[0-9]+\.[0-9]*$|^[0-9]*\.?[0-9]+[eE][+-]?[0-9]+$"
_INTEGRAL = r"^[+-]?[0-9]+(\.0*)?$"
_TRUE = ("true", "True", "TRUE", "1")
_FALSE = ("false", "False", "FALSE", "0")
_INT_ISSUE_COLUMNS = {"line", "line_end", "row", "records"}


class Entry(Protocol):
    """A file handed over by discovery: its base name, how to name it, and its decompressed bytes."""

    name: str
    display: str

    def open(self) -> io.RawIOBase: ...


@dataclass(frozen=True)
class MemoryEntry:
    """An entry whose bytes are already in memory (tests, notebooks, files fetched by other means).

    Examples
    --------
    >>> from takedown.read.formats import MemoryEntry
    >>> entry = MemoryEntry("seed.csv", b"clawz,12\\n")
    >>> entry.display, entry.open().read()
    ('seed.csv', b'clawz,12\\n')
    """

    name: str
    data: bytes
    display: str = ""

    def __post_init__(self):
        if not self.display:
            object.__setattr__(self, "display", self.name)

    def open(self) -> io.BytesIO:
        return io.BytesIO(self.data)


@dataclass(frozen=True)
class Detected:
    """What a file is: the data set it belongs to (``family``) and what it holds in it (``role``)."""

    family: str
    role: str


@dataclass
class FormatResult:
    """One data set read into archive tables.

    Attributes
    ----------
    users, tweets : pyarrow.Table
        The columns of :data:`takedown.schema.USERS` / :data:`takedown.schema.TWEETS`, in order and
        typed as :func:`takedown.schema.arrow_schema` says, then the data set's extra columns.
    issues : pyarrow.Table
        The columns of :data:`takedown.archive.ISSUE_COLUMNS`.
    files : list of dict
        One per entry read: ``file``, ``role``, ``bytes``, ``rows`` (taken), ``release_format``.
    notes : list of str
        Which columns are null or derived and how, which extras were kept, what could not be trusted.
    source_format : str
        ``"fivethirtyeight"``, ``"nbc"``, ``"reddit_2018"``, ``"twarc2"`` or ``"twitter_v1"``.
    platform : str
        ``"twitter"`` or ``"reddit"``.
    """

    users: pa.Table
    tweets: pa.Table
    issues: pa.Table
    files: list[dict]
    notes: list[str]
    source_format: str
    platform: str


def _repeat(value, n: int) -> pa.Array:
    """One value n times, without n Python objects."""
    if value is None:
        return pa.nulls(n, pa.string())
    return pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, dtype=np.int32)), pa.array([value])).cast(pa.string())


def _clipped(values: pa.Array) -> pa.Array:
    values = values.cast(pa.string())
    long = pc.fill_null(pc.greater(pc.utf8_length(values), MAX_VALUE_CHARS), False)
    if not pc.any(long).as_py():
        return values
    cut = pc.binary_join_element_wise(pc.utf8_slice_codeunits(values, 0, MAX_VALUE_CHARS - 1), "…", "")
    return pc.if_else(long, cut, values)


@dataclass
class IssueLog:
    """Issues gathered while reading, kept as Arrow columns: one vectorised check can yield millions
    (every float-damaged author id of FiveThirtyEight's 3 million tweets)."""

    parts: list[dict] = field(default_factory=list)

    def add(self, file: str, *, lines, rows, column, reason, values, action, line_ends=None) -> None:
        """Record issues at these lines; ``rows``, ``line_ends`` and ``values`` may be scalars."""
        lines = np.atleast_1d(np.asarray(lines, dtype=np.int64))
        n = len(lines)
        if n == 0:
            return
        if isinstance(values, (str, type(None))):
            values = _repeat(values, n)
        elif isinstance(values, pa.ChunkedArray):
            values = _one_chunk(values)
        elif not isinstance(values, pa.Array):
            values = pa.array(list(values), pa.string())
        self.parts.append(
            {
                "file": file,
                "line": lines,
                "line_end": lines if line_ends is None else np.broadcast_to(np.asarray(line_ends, np.int64), (n,)),
                "row": np.broadcast_to(np.asarray(rows, dtype=np.int64), (n,)),
                "column": column,
                "reason": reason,
                "value": _clipped(values),
                "action": action,
                "records": 1 if action == "row rejected" else None,
            }
        )

    def __len__(self) -> int:
        return sum(len(p["line"]) for p in self.parts)

    def table(self) -> pa.Table:
        """The issues as a table with the columns of :data:`takedown.archive.ISSUE_COLUMNS`."""
        columns = {}
        for name in ISSUE_COLUMNS:
            chunks = []
            for part in self.parts:
                n, value = len(part["line"]), part.get(name)
                if name in _INT_ISSUE_COLUMNS:
                    chunks.append(
                        pa.array(np.broadcast_to(value, (n,)), pa.int64())
                        if value is not None
                        else pa.nulls(n, pa.int64())
                    )
                elif isinstance(value, pa.Array):
                    chunks.append(value)
                else:
                    chunks.append(_repeat(value, n))
            kind = pa.int64() if name in _INT_ISSUE_COLUMNS else pa.string()
            columns[name] = pa.chunked_array(chunks, kind).combine_chunks() if chunks else pa.array([], kind)
        return pa.table(columns)


@dataclass
class CsvFile:
    """A CSV parsed as text: every column a string (empty cells null), with where each row starts."""

    display: str
    table: pa.Table
    lines: np.ndarray
    line_ends: np.ndarray
    rows: np.ndarray
    bytes: int

    def column(self, name: str) -> pa.Array:
        if name not in self.table.column_names:
            return pa.nulls(self.table.num_rows, pa.string())
        return self.table.column(name).combine_chunks()

    def has(self, name: str) -> bool:
        return name in self.table.column_names


def read_bytes(entry) -> bytes:
    with entry.open() as stream:
        return stream.read()


def header_of(display: str, data: bytes) -> list[str]:
    """The first line of a CSV, as column names."""
    line = data.split(b"\n", 1)[0].rstrip(b"\r")
    if not line.strip():
        raise ValueError(f"{display}, line 1: the header line is empty; expected the names of the columns")
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"{display}, line 1: the header is not UTF-8 (byte at position {error.start})") from None
    names = next(csv.reader([text]))
    seen = set()
    for name in names:
        if name in seen:
            raise ValueError(f"{display}, line 1: the header names column {name!r} twice")
        seen.add(name)
    return names


def require(display: str, names, required: tuple[str, ...]) -> None:
    missing = [n for n in required if n not in names]
    if missing:
        raise ValueError(
            f"{display}, line 1: missing required column {missing[0]!r}"
            + (f" (and {', '.join(missing[1:])})" if len(missing) > 1 else "")
            + f"; the header has: {', '.join(names)}"
        )


def read_csv(entry, *, issues: IssueLog, header: bool = True, names: list[str] | None = None) -> CsvFile:
    """Parse a CSV with Arrow, every column as text, with the physical line where each row starts.

    The file is read once into memory. Arrow parses it; the start lines come from the newlines
    inside values. When that count does not add up (blank lines, rows with the wrong number of
    fields, a record cut at the end, bytes that are not UTF-8) the text is scanned again with
    Python's ``csv`` module, which gives exact lines, and the bad rows are recorded as rejected.
    """
    data = read_bytes(entry)
    size = len(data)
    data = data.removeprefix(_BOM)
    if header:
        names = header_of(entry.display, data)
    elif names is None:
        raise TypeError("names: required when the file has no header")
    invalid: list[str] = []

    def on_invalid(row) -> str:
        invalid.append(row.text)
        return "skip"

    convert = pcsv.ConvertOptions(
        column_types={n: pa.string() for n in names},
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
        null_values=[""],
    )
    options = {
        "read_options": pcsv.ReadOptions(
            column_names=names, skip_rows=1 if header else 0, block_size=_BLOCK_SIZE, use_threads=True
        ),
        "parse_options": pcsv.ParseOptions(newlines_in_values=True, invalid_row_handler=on_invalid),
        "convert_options": convert,
    }
    table = None
    try:
        table = pcsv.read_csv(pa.BufferReader(data), **options)
    except pa.ArrowInvalid:
        pass
    first = 2 if header else 1
    if table is not None and not invalid:
        per_row = _newlines_per_row(table)
        expected = (1 if header else 0) + table.num_rows + int(per_row.sum()) - (0 if data.endswith(b"\n") else 1)
        # An odd number of quotes may be a last record cut inside a quoted value, which Arrow takes as it is.
        if expected == data.count(b"\n") and data.count(b'"') % 2 == 0:
            lines = first + np.arange(table.num_rows, dtype=np.int64)
            lines[1:] += np.cumsum(per_row)[:-1]
            rows = np.arange(1, table.num_rows + 1, dtype=np.int64)
            return CsvFile(entry.display, table, lines, lines + per_row, rows, size)
    return _scan(entry.display, data, names, header, issues, size)


def _newlines_per_row(table: pa.Table) -> np.ndarray:
    counts = np.zeros(table.num_rows, dtype=np.int64)
    for column in table.columns:
        found = pc.fill_null(pc.count_substring(column, "\n"), 0)
        counts += found.to_numpy()
    return counts


def _scan(display: str, data: bytes, names: list[str], header: bool, issues: IssueLog, size: int) -> CsvFile:
    """Exact lines by a Python ``csv`` scan; rows with the wrong number of fields are rejected."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        issues.add(
            display,
            lines=line,
            rows=0,
            column=None,
            reason=f"bytes that are not UTF-8 (first at offset {error.start:,}); replaced by U+FFFD",
            values=None,
            action="kept",
        )
        text = data.decode("utf-8", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""))
    if header:
        next(reader, None)
    good: list[list[str]] = []
    starts: list[int] = []
    ends: list[int] = []
    rows: list[int] = []
    previous = reader.line_num
    number = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            number += 1
            rest = text.splitlines()[previous:]
            issues.add(
                display,
                lines=previous + 1,
                line_ends=previous + max(len(rest), 1),
                rows=number,
                column=None,
                reason=f"the record cannot be parsed ({error}): the file may be cut short",
                values=rest[0] if rest else None,
                action="row rejected",
            )
            break
        start, previous = previous + 1, reader.line_num
        if not record:
            continue
        number += 1
        if len(record) != len(names):
            issues.add(
                display,
                lines=start,
                line_ends=previous,
                rows=number,
                column=None,
                reason=f"{len(record)} fields where the header has {len(names)}",
                values=",".join(record),
                action="row rejected",
            )
            continue
        good.append(record)
        starts.append(start)
        ends.append(previous)
        rows.append(number)
    if good and _cut_inside_quotes(text, starts[-1]):
        issues.add(
            display,
            lines=starts[-1],
            line_ends=ends[-1],
            rows=rows[-1],
            column=None,
            reason="the last record stops inside a quoted value: the file was cut short",
            values=",".join(good[-1]),
            action="row rejected",
        )
        del good[-1], starts[-1], ends[-1], rows[-1]
    columns = list(zip(*good)) if good else [[] for _ in names]
    table = pa.table(
        {n: pa.array([v if v != "" else None for v in col], pa.string()) for n, col in zip(names, columns)}
    )
    return CsvFile(
        display,
        table,
        np.asarray(starts, dtype=np.int64),
        np.asarray(ends, dtype=np.int64),
        np.asarray(rows, dtype=np.int64),
        size,
    )


def _cut_inside_quotes(text: str, start: int) -> bool:
    """Whether the record starting at this line runs to the end of the text inside quotes."""
    tail = "".join(text.splitlines(keepends=True)[start - 1 :])
    try:
        for _ in csv.reader(io.StringIO(tail, newline=""), strict=True):
            pass
    except csv.Error as error:
        return "end of data" in str(error)
    return False


# --- conversions: each returns the converted array; what it cannot convert becomes null and is logged


def log_failed(source: CsvFile, issues: IssueLog, column: str, text: pa.Array, mask, reason, action="set to null"):
    where = np.flatnonzero(np.asarray(pc.fill_null(mask, False).to_numpy(zero_copy_only=False), dtype=bool))
    if where.size:
        issues.add(
            source.display,
            lines=source.lines[where],
            line_ends=source.line_ends[where],
            rows=source.rows[where],
            column=column,
            reason=reason,
            values=text.take(pa.array(where)),
            action=action,
        )


def tweet_id(source: CsvFile, name: str, issues: IssueLog) -> pa.Array:
    """A column of numeric ids as exact digit strings; ids written as floats are nulled and recorded."""
    text = pc.utf8_trim_whitespace(source.column(name))
    digits = pc.match_substring_regex(text, _DIGITS)
    floats = pc.match_substring_regex(text, FLOAT_ID)
    log_failed(source, issues, name, text, floats, FLOAT_ID_REASON)
    log_failed(source, issues, name, text, pc.invert(pc.or_(digits, floats)), "not an id (expected digits)")
    return pc.if_else(digits, text, pa.scalar(None, pa.string()))


def id_less(a: pa.Array, b: pa.Array) -> pa.Array:
    """``a < b`` for ids written as digit strings, exactly (no conversion to numbers, which could overflow)."""
    length_a, length_b = pc.utf8_length(a), pc.utf8_length(b)
    return pc.or_(pc.less(length_a, length_b), pc.and_(pc.equal(length_a, length_b), pc.less(a, b)))


def float_damaged(text: pa.Array) -> pa.Array:
    """True where a digit string looks like a float written out (16 or more digits, 3 or more
    trailing zeros: ``812000000000000000``) or is written as a float."""
    written = pc.match_substring_regex(text, FLOAT_ID)
    rounded = pc.match_substring_regex(text, r"^[0-9]{13,}000$")
    return pc.or_(written, rounded)


def integer(source: CsvFile, name: str, issues: IssueLog) -> pa.Array:
    """Counts: integers, also when written as integral floats (``17.0``); others nulled and recorded."""
    text = pc.utf8_trim_whitespace(source.column(name))
    good = pc.match_substring_regex(text, _INTEGRAL)
    log_failed(source, issues, name, text, pc.invert(good), "not an integer")
    kept = pc.if_else(good, pc.replace_substring_regex(text, r"\.0*$", ""), pa.scalar(None, pa.string()))
    return pc.cast(kept, pa.int64())


def boolean(source: CsvFile, name: str, issues: IssueLog) -> pa.Array:
    text = pc.utf8_trim_whitespace(source.column(name))
    true = pc.is_in(text, pa.array(_TRUE))
    false = pc.is_in(text, pa.array(_FALSE))
    bad = pc.and_(pc.is_valid(text), pc.invert(pc.or_(true, false)))
    log_failed(source, issues, name, text, bad, "not true/false")
    return pc.if_else(true, True, pc.if_else(false, False, pa.scalar(None, pa.bool_())))


def epoch(source: CsvFile, name: str, issues: IssueLog, *, unit: str) -> pa.Array:
    """Epoch seconds or milliseconds written as numbers (``1470604422.0``) as UTC ``timestamp[s]``."""
    text = pc.utf8_trim_whitespace(source.column(name))
    good = pc.match_substring_regex(text, FLOAT_TEXT)
    log_failed(source, issues, name, text, pc.invert(good), f"not a time in epoch {unit}")
    numbers = pc.cast(pc.if_else(good, text, pa.scalar(None, pa.string())), pa.float64())
    return epoch_numbers(numbers, unit=unit)


def epoch_numbers(numbers: pa.Array, *, unit: str) -> pa.Array:
    scale = {"seconds": 1.0, "milliseconds": 1000.0}[unit]
    seconds = pc.floor(pc.divide(numbers, scale))
    return pc.cast(pc.cast(seconds, pa.int64()), pa.timestamp("s", tz="UTC"))


def strptime(source: CsvFile, name: str, issues: IssueLog, *, fmt: str, expected: str) -> pa.Array:
    text = pc.utf8_trim_whitespace(source.column(name))
    parsed = pc.strptime(text, format=fmt, unit="s", error_is_null=True)
    log_failed(source, issues, name, text, pc.and_(pc.is_valid(text), pc.is_null(parsed)), f"not a time ({expected})")
    if parsed.type.tz is None:
        parsed = pc.assume_timezone(parsed, "UTC")
    return parsed.cast(pa.timestamp("s", tz="UTC"))


def month_day_year(source: CsvFile, name: str, issues: IssueLog) -> pa.Array:
    """``M/D/YYYY H:MM`` (FiveThirtyEight's times), checked field by field (Arrow's parser lets
    ``2/30`` roll over into March)."""
    text = pc.utf8_trim_whitespace(source.column(name))
    parts = pc.extract_regex(
        text,
        r"^(?P<m>[0-9]{1,2})/(?P<d>[0-9]{1,2})/(?P<y>[0-9]{4}) (?P<H>[0-9]{1,2}):(?P<M>[0-9]{2})(?::(?P<S>[0-9]{2}))?$",
    )
    parsed = pc.strptime(
        pc.binary_join_element_wise(
            pc.struct_field(parts, "y"),
            pc.struct_field(parts, "m"),
            pc.struct_field(parts, "d"),
            pc.struct_field(parts, "H"),
            pc.struct_field(parts, "M"),
            pc.if_else(pc.equal(pc.struct_field(parts, "S"), ""), "00", pc.struct_field(parts, "S")),
            "-",
        ),
        format="%Y-%m-%d-%H-%M-%S",
        unit="s",
        error_is_null=True,
    )
    same_day = pc.and_(
        pc.equal(pc.day(parsed), pc.cast(pc.struct_field(parts, "d"), pa.int64())),
        pc.equal(pc.month(parsed), pc.cast(pc.struct_field(parts, "m"), pa.int64())),
    )
    parsed = pc.if_else(pc.fill_null(same_day, False), parsed, pa.scalar(None, parsed.type))
    bad = pc.and_(pc.is_valid(text), pc.is_null(parsed))
    log_failed(source, issues, name, text, bad, "not a time (expected M/D/YYYY H:MM)")
    return pc.assume_timezone(parsed, "UTC").cast(pa.timestamp("s", tz="UTC"))


_JSON_SIMPLE = r'^\[\s*"[^"\\]*"(\s*,\s*"[^"\\]*")*\s*\]$'
_LIST = pa.list_(pa.string())


def json_list(source: CsvFile, name: str, issues: IssueLog) -> pa.Array:
    """A list written as JSON or as a Python list (``["a", "b"]``, ``['a']``, ``[]``) as ``list<string>``.

    JSON lists without escapes are split by Arrow kernels; other JSON lists are read by :func:`json.loads`,
    and what is not JSON by the Twitter reader's :func:`takedown.read.lists.parse_lists`.
    """
    from takedown.read.lists import parse_lists

    text = pc.utf8_trim_whitespace(source.column(name))
    simple = pc.fill_null(pc.match_substring_regex(text, _JSON_SIMPLE), False)
    empty = pc.or_kleene(pc.is_null(text), pc.equal(text, "[]"))
    inner = pc.utf8_trim(
        pc.utf8_slice_codeunits(pc.utf8_trim_whitespace(pc.utf8_slice_codeunits(text, 1, -1)), 1, -1), " "
    )
    lists = pc.split_pattern_regex(pc.if_else(simple, inner, pa.scalar(None, pa.string())), pattern=r'"\s*,\s*"')
    lists = pc.if_else(pc.fill_null(empty, False), pa.scalar([], _LIST), lists)
    rest = np.flatnonzero(~pc.or_(simple, pc.fill_null(empty, False)).to_numpy(zero_copy_only=False))
    if rest.size == 0:
        return lists
    parsed, other = [], []
    for position, cell in zip(rest, text.take(pa.array(rest)).to_pylist()):
        try:
            value = json.loads(cell)
        except ValueError:
            value = None
        if isinstance(value, list) and all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in value):
            parsed.append([v if isinstance(v, str) else str(v) for v in value])
        else:
            parsed.append(None)
            other.append(position)
    if other:
        others, bad_rows = parse_lists(text.take(pa.array(other)))
        for at, items in zip(other, others.to_pylist()):
            parsed[int(np.searchsorted(rest, at))] = items
        bad = np.zeros(len(text), dtype=bool)
        bad[np.asarray(other, dtype=np.int64)[bad_rows]] = True
        log_failed(source, issues, name, text, pa.array(bad), "not a list")
    order = np.arange(len(text), dtype=np.int64)
    order[rest] = len(text) + np.arange(rest.size)
    return pa.concat_arrays([lists, pa.array(parsed, _LIST)]).take(pa.array(order))


# --- building the archive tables


def _null(column: Column, n: int) -> pa.Array:
    return pa.nulls(n, column.arrow_type)


def assemble(columns: dict[str, pa.Array], schema: tuple[Column, ...], n: int, extras: dict[str, pa.Array]) -> pa.Table:
    """The archive columns in order (null where absent), typed, then the extra columns."""
    arrays, fields = [], []
    for column in schema:
        value = columns.get(column.name)
        value = _null(column, n) if value is None else _one_chunk(value)
        arrays.append(value.cast(column.arrow_type))
        fields.append(pa.field(column.name, column.arrow_type))
    for name, value in extras.items():
        value = _one_chunk(value)
        arrays.append(value)
        fields.append(pa.field(name, value.type))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def _one_chunk(value) -> pa.Array:
    if isinstance(value, pa.ChunkedArray):
        return value.chunk(0) if value.num_chunks == 1 else value.combine_chunks()
    return value


def empty(schema: tuple[Column, ...]) -> pa.Table:
    return arrow_schema(schema).empty_table()


def later_copies(keys: pa.Array) -> np.ndarray:
    """For each row, True when its (non-null) key was seen in an earlier row."""
    import pandas as pd

    keys = keys if isinstance(keys, pa.ChunkedArray) else pa.chunked_array([keys])
    series = pd.Series(pd.arrays.ArrowExtensionArray(keys))
    return (series.duplicated(keep="first") & series.notna()).to_numpy(dtype=bool)


def drop_duplicates(
    table: pa.Table, key: str, where: dict[str, np.ndarray], issues: IssueLog, *, what: str
) -> tuple[pa.Table, dict[str, np.ndarray]]:
    """Keep the first row of each id; record every later one as ``duplicate dropped``.

    ``where`` holds per-row ``file``, ``line``, ``line_end`` and ``row`` arrays (parallel to the table).
    """
    dup = later_copies(table.column(key))
    if not dup.any():
        return table, where
    keys = table.column(key).combine_chunks()
    positions = np.flatnonzero(dup)
    for file in dict.fromkeys(where["file"][positions]):
        mine = positions[where["file"][positions] == file]
        issues.add(
            file,
            lines=where["line"][mine],
            line_ends=where["line_end"][mine],
            rows=where["row"][mine],
            column=key,
            reason=f"the same {what} again (an earlier copy was kept)",
            values=keys.take(pa.array(mine)),
            action="duplicate dropped",
        )
    keep = ~dup
    return table.filter(pa.array(keep)), {k: v[keep] for k, v in where.items()}


def file_record(display: str, role: str, size: int, rows: int, family: str) -> dict:
    return {"file": display, "role": role, "bytes": int(size), "rows": int(rows), "release_format": family}


def rows_taken(where_file: np.ndarray, display: str) -> int:
    return int((where_file == display).sum())


def row_lists(columns: list[pa.Array], n: int) -> pa.Array:
    """Per row, the non-null values of these columns in order, as ``list<string>`` (empty when none)."""
    if not columns:
        return pa.nulls(n, pa.list_(pa.string()))
    k = len(columns)
    stacked = pa.concat_arrays([col.cast(pa.string()) for col in columns])
    order = (np.arange(n, dtype=np.int64)[:, None] + n * np.arange(k, dtype=np.int64)[None, :]).ravel()
    taken = stacked.take(pa.array(order))
    valid = taken.is_valid().to_numpy(zero_copy_only=False)
    offsets = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(valid.reshape(n, k).sum(axis=1), out=offsets[1:])
    return pa.ListArray.from_arrays(pa.array(offsets), taken.filter(pa.array(valid)))
