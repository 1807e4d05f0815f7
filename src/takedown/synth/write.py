"""Write archives as real release files: every value quoted, lists as Python list text.

The layouts follow ``takedown.schema.RELEASE_FORMATS``: 2018 (31 columns,
``in_reply_to_tweetid`` first), 2019 (31 columns with ``poll_choices``; user
mentions that are all numbers unquoted and some empty lists as empty cells,
as in China 2019) and 2020 (30 columns). Tables are converted to text with
Arrow kernels and written with Arrow's CSV writer, chunk by chunk.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from takedown.archive import Archive
from takedown.schema import RELEASE_FORMATS, USERS, Kind
from takedown.schema import TWEETS as TWEET_COLUMNS

__all__ = ["list_text", "write", "write_tables"]

_KINDS = {c.name: c.kind for c in (*USERS, *TWEET_COLUMNS)}
_WRITE = pcsv.WriteOptions(quoting_style="all_valid")
_ZIP_TIME = (2020, 9, 8, 0, 0, 0)  # fixed, so that the same archive gives the same bytes
# Items Python's repr would escape: backslashes and control characters.
_NEEDS_REPR = r"[\\\x00-\x1f\x7f]"


def list_text(lists: pa.Array | pa.ChunkedArray, *, unquoted_numbers: bool = False) -> pa.Array:
    """Lists written as Python writes them (``['a', "it's"]``); a null list is an empty cell.

    Parameters
    ----------
    lists : pyarrow array of list<string>
    unquoted_numbers : bool
        Write a list whose items are all digits without quotes (``[443196382]``),
        as China 2019 wrote user mentions.

    Examples
    --------
    >>> import pyarrow as pa
    >>> from takedown.synth.write import list_text
    >>> list_text(pa.array([["a", "b, c"], [], ["it's"], None], pa.list_(pa.string()))).to_pylist()
    ["['a', 'b, c']", '[]', '["it\\'s"]', '']
    """
    if isinstance(lists, pa.ChunkedArray):
        lists = lists.combine_chunks()
    items = pc.list_flatten(lists)
    # Offsets relative to the flattened items (a sliced array's start at 0).
    offsets = np.asarray(lists.offsets, dtype=np.int64)
    offsets -= offsets[0]
    lengths = np.diff(offsets)
    single = pc.match_substring(items, "'")
    double = pc.match_substring(items, '"')
    quote = pc.if_else(pc.and_(single, pc.invert(double)), '"', "'")
    quoted = pc.binary_join_element_wise(quote, items, quote, "")
    odd = np.flatnonzero(
        pc.or_(pc.and_(single, double), pc.match_substring_regex(items, _NEEDS_REPR)).to_numpy(zero_copy_only=False)
    )
    if odd.size:
        # repr() is the exact spelling for escapes; only these few items need it.
        fixed = quoted.to_numpy(zero_copy_only=False).astype(object)
        fixed[odd] = [repr(item) for item in items.take(pa.array(odd)).to_pylist()]
        quoted = pa.array(fixed, pa.string())
    if unquoted_numbers:
        numeric = pc.utf8_is_decimal(items).to_numpy(zero_copy_only=False)
        row_of_item = np.repeat(np.arange(len(lengths)), lengths)
        numeric_items = np.bincount(row_of_item, weights=numeric, minlength=len(lengths))
        all_numeric = (lengths > 0) & (numeric_items == lengths)
        quoted = pc.if_else(pa.array(np.repeat(all_numeric, lengths)), items, quoted)
    rows = pa.ListArray.from_arrays(pa.array(offsets.astype(np.int32)), quoted)
    text = pc.binary_join_element_wise("[", pc.binary_join(rows, ", "), "]", "")
    return pc.if_else(lists.is_valid(), text, "")


def _text_column(name: str, column, *, release_format: str, empty_cells: np.ndarray | None) -> pa.Array:
    kind = _KINDS.get(name, Kind.TEXT)
    if kind is Kind.TIME:
        text = pc.strftime(column, format="%Y-%m-%d %H:%M")
    elif kind is Kind.BOOL:
        text = pc.if_else(column, "true", "false")
    elif kind is Kind.LIST:
        text = list_text(column, unquoted_numbers=release_format == "2019" and name == "user_mentions")
        if empty_cells is not None:
            text = pc.if_else(
                pa.array(empty_cells & (pc.list_value_length(column).to_numpy(zero_copy_only=False) == 0)), "", text
            )
    else:
        text = pc.cast(column, pa.string())
    return pc.fill_null(text, "")


def to_text(table: pa.Table, *, columns: tuple[str, ...], release_format: str) -> pa.Table:
    """A table in the archive schema as the text a release file holds, in the format's column order."""
    empty_cells = None
    if release_format == "2019" and "tweetid" in table.column_names:
        # China 2019 left some empty lists as empty cells; a fixed share of rows does here.
        empty_cells = pc.ends_with(pc.fill_null(table["tweetid"], ""), "7").to_numpy(zero_copy_only=False)
    arrays = [
        _text_column(name, table[name].combine_chunks(), release_format=release_format, empty_cells=empty_cells)
        for name in columns
    ]
    return pa.table(arrays, names=list(columns))


class _Sink:
    """One CSV file, plain or as the only member of a zip, written table by table."""

    def __init__(self, path: Path, *, zipped: bool, columns: tuple[str, ...]):
        self.path = path.with_suffix(".zip") if zipped else path
        self._zip = None
        if zipped:
            self._zip = zipfile.ZipFile(self.path, "w", compression=zipfile.ZIP_DEFLATED)
            info = zipfile.ZipInfo(path.name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            self._stream = self._zip.open(info, "w", force_zip64=True)
            self._file = pa.PythonFile(self._stream, mode="w")
        else:
            self._file = pa.OSFile(str(self.path), "wb")
        schema = pa.schema([pa.field(name, pa.string()) for name in columns])
        self._writer = pcsv.CSVWriter(self._file, schema, write_options=_WRITE)

    def write(self, table: pa.Table) -> None:
        self._writer.write_table(table)

    def close(self) -> None:
        self._writer.close()
        self._file.close()
        if self._zip is not None:
            self._stream.close()
            self._zip.close()


def _check(release_format: str, parts: int) -> None:
    if release_format not in RELEASE_FORMATS:
        raise ValueError(f"release_format: expected one of {', '.join(RELEASE_FORMATS)}, got {release_format!r}")
    if not isinstance(parts, int) or parts < 1:
        raise ValueError(f"parts: expected a whole number of at least 1, got {parts!r}")


def write_tables(
    users: Iterable[pa.Table],
    tweets: Iterable[tuple[int, pa.Table]],
    folder,
    *,
    campaign: str,
    release_format: str,
    zipped: bool,
    parts: int,
) -> list[Path]:
    """Write chunks of users and of tweets (each tagged with its part, 0-based) as release files."""
    _check(release_format, parts)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    user_columns = tuple(c.name for c in USERS)
    tweet_columns = RELEASE_FORMATS[release_format]
    written = []
    sink = _Sink(folder / f"{campaign}_users_csv_hashed.csv", zipped=zipped, columns=user_columns)
    for chunk in users:
        sink.write(to_text(chunk, columns=user_columns, release_format=release_format))
    sink.close()
    written.append(sink.path)
    sinks: dict[int, _Sink] = {}
    for part, chunk in tweets:
        if part not in sinks:
            suffix = f"_{part + 1}" if parts > 1 else ""
            sinks[part] = _Sink(
                folder / f"{campaign}_tweets_csv_hashed{suffix}.csv", zipped=zipped, columns=tweet_columns
            )
        sinks[part].write(to_text(chunk, columns=tweet_columns, release_format=release_format))
    for part in sorted(sinks):
        sinks[part].close()
        written.append(sinks[part].path)
    return written


def split_parts(rows: int, parts: int, chunk_size: int) -> Iterator[tuple[int, int, int]]:
    """``(part, start, stop)`` ranges: ``parts`` near-equal parts, each cut into chunks."""
    bounds = np.linspace(0, rows, parts + 1).round().astype(int)
    for part in range(parts):
        for start in range(bounds[part], bounds[part + 1], chunk_size):
            yield part, start, min(start + chunk_size, bounds[part + 1])


def write(archive: Archive, folder, *, release_format: str = "2020", zipped: bool = True, parts: int = 1) -> list[Path]:
    """Write an archive as the files of a real release.

    Parameters
    ----------
    archive : Archive
    folder : str or os.PathLike
        Created if needed. Files are named ``<archive.name>_users_csv_hashed``
        and ``<archive.name>_tweets_csv_hashed`` (``_1``, ``_2``, ... with
        several parts), ``.zip`` holding one CSV each, or ``.csv``.
    release_format : {"2020", "2019", "2018"}
        The column layout and spellings (see the module notes).
    zipped : bool
        Zip each CSV, as releases up to September 2020 were distributed.
    parts : int
        Split the tweets into this many files.

    Returns
    -------
    list of pathlib.Path
        The files written, users first.

    Examples
    --------
    >>> import tempfile, takedown as td
    >>> archive, _ = td.synth.generate(accounts=30, tweets=200, seed=1)
    >>> folder = tempfile.mkdtemp()
    >>> [p.name for p in td.synth.write(archive, folder, parts=2)]
    ['synthetic_users_csv_hashed.zip', 'synthetic_tweets_csv_hashed_1.zip', 'synthetic_tweets_csv_hashed_2.zip']
    >>> len(td.read_archive(folder, cache=False).tweets)
    200
    """
    _check(release_format, parts)
    users = pa.Table.from_pandas(archive.users, preserve_index=False)
    tweets = pa.Table.from_pandas(archive.tweets, preserve_index=False)
    chunks = (
        (part, tweets.slice(start, stop - start)) for part, start, stop in split_parts(tweets.num_rows, parts, 500_000)
    )
    return write_tables(
        [users], chunks, folder, campaign=archive.name, release_format=release_format, zipped=zipped, parts=parts
    )
