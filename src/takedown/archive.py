"""The ``Archive``: a release's users and tweets, and where they came from.

An archive's tables live in a *store*: pandas DataFrames handed to the
constructor, or the Parquet files of the cache. Columns are loaded when first
asked for, so a question that needs five columns never loads the tweet texts,
and a release bigger than memory can still be opened: its edges and
per-account measures then run out of core (see :attr:`Archive.out_of_core`).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# pandas is imported where it is used: reading a release and `takedown info` need Arrow alone,
# and pandas takes a third of a second to import.
if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ISSUE_COLUMNS", "OUT_OF_CORE_TWEETS", "Archive", "FileRecord", "Provenance", "SkippedFile"]

#: Columns of :attr:`Provenance.issues`.
ISSUE_COLUMNS = ("file", "line", "line_end", "row", "column", "reason", "value", "action", "records")

ISSUE_SCHEMA = pa.schema(
    [
        ("file", pa.string()),
        ("line", pa.int64()),
        ("line_end", pa.int64()),
        ("row", pa.int64()),
        ("column", pa.string()),
        ("reason", pa.string()),
        ("value", pa.string()),
        ("action", pa.string()),
        ("records", pa.int64()),
    ]
)


#: How issues are held while reading and in the cache: the repeated texts (file, column, reason,
#: action) as dictionaries, so a million duplicate rows cost a few bytes each.
ISSUE_STORAGE = pa.schema(
    [
        pa.field(f.name, pa.dictionary(pa.int32(), pa.string()))
        if f.name in ("file", "column", "reason", "action")
        else f
        for f in ISSUE_SCHEMA
    ]
)


def stored_issues(table: pa.Table) -> pa.Table:
    """Any issues table (columns :data:`ISSUE_COLUMNS`) in :data:`ISSUE_STORAGE` form."""
    columns = {}
    for f in ISSUE_STORAGE:
        column = (
            table.column(f.name)
            if f.name in table.column_names
            else pa.nulls(table.num_rows, ISSUE_SCHEMA.field(f.name).type)
        )
        if pa.types.is_dictionary(f.type) and not pa.types.is_dictionary(column.type):
            column = pc.dictionary_encode(column.cast(pa.string()))
        columns[f.name] = column.cast(f.type)
    return pa.table(columns, schema=ISSUE_STORAGE)


def _tweets_threshold() -> int:
    configured = os.environ.get("TAKEDOWN_OUT_OF_CORE_TWEETS")
    return int(configured) if configured else 10_000_000


#: Releases with more tweets than this (read from the cache) run their edges and
#: per-account measures out of core, in DuckDB over the cached Parquet files.
#: Measured on 2 cores: the report of a 10M-tweet release peaks at 5.4 GiB in
#: pandas (55 s), while out of core a 40M one peaks at 6.3 GiB (68 s); pandas
#: tables of 40M tweets would not fit in 8 GiB. Set the environment variable
#: ``TAKEDOWN_OUT_OF_CORE_TWEETS`` to move it.
OUT_OF_CORE_TWEETS = _tweets_threshold()


def empty_issues() -> pd.DataFrame:
    """An issues table with no rows and the documented columns and dtypes."""
    import pandas as pd

    return ISSUE_SCHEMA.empty_table().to_pandas(types_mapper=pd.ArrowDtype)


@dataclass(frozen=True)
class FileRecord:
    """One file read into an archive.

    Attributes
    ----------
    file : str
        The path, with ``!member`` appended for a file inside a zip or tar
        (``!`` again for each container inside another).
    role : str
        ``"users"`` or ``"tweets"`` for Twitter's files; for other data sets
        what the file holds (``"comments"``, ``"seed"``, ...).
    part : str or None
        The multi-part suffix, if any.
    bytes : int
        Uncompressed bytes read.
    rows : int
        Data rows taken (rejected rows and dropped duplicates not included).
    release_format : str
        Header layout: ``"2018"``, ``"2019"``, ``"2020"``, ``"users"``,
        ``"other"``, or the data set (``"fivethirtyeight"``, ...).
    sha256 : str
        Digest of the file's own (decompressed) bytes.
    """

    file: str
    role: str
    part: str | None
    bytes: int
    rows: int
    release_format: str
    sha256: str


@dataclass(frozen=True)
class SkippedFile:
    """A file or container member that was found under the source and not read.

    Attributes
    ----------
    file : str
        Its path (``!member`` inside containers).
    reason : str
        Why it was not read: not a CSV, a media zip, the same bytes as another
        file, no recognised header, ...
    bytes : int or None
        Its size, where known without reading it.
    """

    file: str
    reason: str
    bytes: int | None = None


class Provenance:
    """Where an archive's rows came from and what could not be taken as written.

    Attributes
    ----------
    source : str
        What was passed to :func:`takedown.read_archive`.
    files : tuple of FileRecord
        Every file read, in order.
    skipped : tuple of SkippedFile
        Every other file found under the source, with the reason it was not read.
    release_format : str
        The tweets files' header layout (``"2019"``: 31 columns with
        ``poll_choices``; ``"2020"``: 30 columns; ``"2018"``; ``"other"``;
        ``"mixed"`` when parts differ; ``"none"`` without a tweets file), or
        the data set for other formats.
    source_format : str
        ``"twitter"`` (Twitter's release files), ``"fivethirtyeight"``,
        ``"nbc"``, ``"reddit_2018"``, ``"twarc2"``, ``"twitter_v1"`` or
        ``"synthetic"``.
    platform : str
        ``"twitter"`` or ``"reddit"``.
    issues : pandas.DataFrame
        One row per rejected row, repaired cell or dropped duplicate, with
        columns ``file``, ``line`` and ``line_end`` (physical lines where the
        record starts and ends), ``row`` (1-based data row in that file),
        ``column`` (null for a whole row), ``reason``, ``value`` (the text as
        written, cut at 200 characters), ``action`` (``"row rejected"``,
        ``"set to null"``, ``"kept"``, ``"duplicate dropped"``) and
        ``records`` (for a rejected row, how many records it holds: the lines
        in it that begin like a record; more than one when a stray quote
        swallowed the rows after it, none for the second piece of a record
        cut by a line break). Loaded when first asked for.
    users_derived : bool
        True when the release had no users file and the users table was built
        from the user columns of the tweets.
    notes : tuple of str
        Other facts worth knowing (columns absent from the files, extra
        columns, files with the same name read as separate parts).
    cache : str
        ``"off"``; ``"hit"`` (loaded from the cache); ``"written"`` or
        ``"rebuilt"`` (read from the files and cached).
    cache_path : str or None
        The cache entry's folder: ``users/`` and ``tweets/`` hold Parquet
        files that DuckDB, Polars, Dask or R can open.
    cache_bytes : int or None
        Size of the cache entry on disk.
    """

    def __init__(
        self,
        *,
        source: str,
        files: tuple[FileRecord, ...],
        release_format: str,
        issues: pd.DataFrame | pa.Table | Callable[[], pa.Table] | None = None,
        skipped: tuple[SkippedFile, ...] = (),
        source_format: str = "twitter",
        platform: str = "twitter",
        users_derived: bool = False,
        notes: tuple[str, ...] = (),
        cache: str = "off",
        cache_path: str | None = None,
        cache_bytes: int | None = None,
        issue_counts: dict[str, int] | None = None,
    ):
        self.source = source
        self.files = tuple(files)
        self.skipped = tuple(skipped)
        self.release_format = release_format
        self.source_format = source_format
        self.platform = platform
        self.users_derived = users_derived
        self.notes = tuple(notes)
        self.cache = cache
        self.cache_path = cache_path
        self.cache_bytes = cache_bytes
        self._issues = issues
        self._issue_counts = issue_counts
        self._lock = threading.Lock()

    @property
    def issues(self) -> pd.DataFrame:
        import pandas as pd

        with self._lock:
            if not isinstance(self._issues, pd.DataFrame):
                loaded = self._issues() if callable(self._issues) else self._issues
                if loaded is None:
                    self._issues = empty_issues()
                else:
                    if isinstance(loaded, pa.Table):
                        loaded = loaded.cast(ISSUE_SCHEMA).to_pandas(types_mapper=pd.ArrowDtype)
                    self._issues = loaded.reindex(columns=list(ISSUE_COLUMNS)).astype(
                        {c.name: pd.ArrowDtype(c.type) for c in ISSUE_SCHEMA}
                    )
            return self._issues

    @property
    def issue_counts(self) -> dict[str, int]:
        """Issues by ``action``, without loading the issues table when the cache knows them."""
        if self._issue_counts is None:
            self._issue_counts = {str(k): int(v) for k, v in self.issues["action"].value_counts().items()}
        return dict(self._issue_counts)

    @property
    def rejected(self) -> pd.DataFrame:
        """The rows that could not be read at all (a subset of :attr:`issues`)."""
        return self.issues[self.issues["action"] == "row rejected"]

    def files_frame(self) -> pd.DataFrame:
        """:attr:`files` as a DataFrame, one row per file read.

        Examples
        --------
        >>> import takedown as td
        >>> td.datasets.sample().provenance.files_frame()["role"].tolist()
        ['users', 'tweets']
        """
        import pandas as pd

        return pd.DataFrame([vars(f) for f in self.files], columns=list(FileRecord.__dataclass_fields__))

    def skipped_frame(self) -> pd.DataFrame:
        """:attr:`skipped` as a DataFrame: ``file``, ``reason``, ``bytes``.

        Examples
        --------
        >>> import takedown as td
        >>> td.datasets.sample().provenance.skipped_frame().columns.tolist()
        ['file', 'reason', 'bytes']
        """
        import pandas as pd

        return pd.DataFrame([vars(f) for f in self.skipped], columns=list(SkippedFile.__dataclass_fields__))

    def replace(self, **changes) -> Provenance:
        """A copy with some attributes changed (the issues are shared, not copied)."""
        values = {
            "source": self.source,
            "files": self.files,
            "release_format": self.release_format,
            "issues": self._issues,
            "skipped": self.skipped,
            "source_format": self.source_format,
            "platform": self.platform,
            "users_derived": self.users_derived,
            "notes": self.notes,
            "cache": self.cache,
            "cache_path": self.cache_path,
            "cache_bytes": self.cache_bytes,
            "issue_counts": self._issue_counts,
        }
        values.update(changes)
        return Provenance(**values)

    def __repr__(self) -> str:
        lines = [f"Provenance of {self.source!r} (format {self.release_format}, cache {self.cache})"]
        for f in self.files:
            lines.append(f"  {f.role:<6} {f.file}  {f.bytes:,} bytes, {f.rows:,} rows")
        if self.skipped:
            lines.append(f"  skipped {len(self.skipped):,} file(s):")
            lines.extend(f"    {s.file}: {s.reason}" for s in self.skipped)
        if self.users_derived:
            lines.append("  users derived from the tweets' user columns (no users file)")
        counts = self.issue_counts
        if counts:
            lines.append("  issues: " + ", ".join(f"{n:,} {action}" for action, n in counts.items()))
        else:
            lines.append("  issues: none")
        lines.extend(f"  note: {note}" for note in self.notes)
        return "\n".join(lines)


class _Store:
    """Where an archive's tables are: loads columns on request."""

    def column_names(self, table: str) -> list[str]:
        raise NotImplementedError

    def num_rows(self, table: str) -> int:
        raise NotImplementedError

    def read(self, table: str, columns: list[str]) -> pa.Table:
        raise NotImplementedError

    def parquet(self, table: str) -> list[str] | None:
        """The Parquet files holding the table, in row order (None for tables in memory)."""
        return None


class FrameStore(_Store):
    """Tables given as pandas DataFrames (made in memory, or read without the cache)."""

    def __init__(self, frames: dict[str, pd.DataFrame]):
        self.frames = frames

    def column_names(self, table: str) -> list[str]:
        return [str(c) for c in self.frames[table].columns]

    def num_rows(self, table: str) -> int:
        return len(self.frames[table])

    def frame(self, table: str) -> pd.DataFrame:
        return self.frames[table]

    def read(self, table: str, columns: list[str]) -> pa.Table:
        return pa.Table.from_pandas(self.frames[table][columns], preserve_index=False)


class ArrowStore(_Store):
    """Tables held in memory as Arrow (read without the cache); pandas columns are made when asked for."""

    def __init__(self, tables: dict[str, pa.Table]):
        self.tables = tables

    def column_names(self, table: str) -> list[str]:
        return list(self.tables[table].column_names)

    def num_rows(self, table: str) -> int:
        return self.tables[table].num_rows

    def read(self, table: str, columns: list[str]) -> pa.Table:
        return self.tables[table].select(columns)


class ProjectedStore(_Store):
    """Another store with only some of its columns (``read_archive(..., columns=[...])``)."""

    def __init__(self, inner: _Store, columns: dict[str, list[str]]):
        self.inner = inner
        self.columns = columns
        self.out_of_core = getattr(inner, "out_of_core", None)

    def column_names(self, table: str) -> list[str]:
        return self.columns[table]

    def num_rows(self, table: str) -> int:
        return self.inner.num_rows(table)

    def read(self, table: str, columns: list[str]) -> pa.Table:
        return self.inner.read(table, columns)

    def parquet(self, table: str) -> list[str] | None:
        return self.inner.parquet(table)


class ParquetStore(_Store):
    """Tables in the cache's Parquet files; only the columns asked for are read."""

    def __init__(
        self,
        parts: dict[str, list[Path]],
        schemas: dict[str, pa.Schema],
        rows: dict[str, int],
        *,
        out_of_core: bool | None = None,
    ):
        self.parts = parts
        self.schemas = schemas
        self.rows = rows
        self.out_of_core = out_of_core

    def column_names(self, table: str) -> list[str]:
        return list(self.schemas[table].names)

    def num_rows(self, table: str) -> int:
        return self.rows[table]

    def read(self, table: str, columns: list[str]) -> pa.Table:
        import pyarrow.parquet as pq

        schema = self.schemas[table]
        if not self.parts[table]:
            return pa.schema([schema.field(c) for c in columns]).empty_table()
        wanted = pa.schema([schema.field(c) for c in columns])
        # ParquetFile, not read_table: the dataset layer read_table goes through imports pandas.
        pieces = [pq.ParquetFile(path).read(columns=columns).cast(wanted) for path in self.parts[table]]
        return pa.concat_tables(pieces) if len(pieces) > 1 else pieces[0]

    def parquet(self, table: str) -> list[str]:
        return [str(p) for p in self.parts[table]]

    def read_dictionary(self, table: str, column: str) -> pa.ChunkedArray:
        """One text column as dictionary arrays, as Parquet holds it (each distinct value once)."""
        import pyarrow.parquet as pq

        if not self.parts[table]:
            return pa.chunked_array([], pa.dictionary(pa.int32(), pa.string()))
        chunks = []
        for path in self.parts[table]:
            part = pq.ParquetFile(path, read_dictionary=[column]).read(columns=[column])
            column_data = part.column(column)
            if not pa.types.is_dictionary(column_data.type):
                column_data = pc.dictionary_encode(column_data)
            chunks.extend(column_data.chunks)
        return pa.chunked_array(chunks, pa.dictionary(pa.int32(), pa.string()))


@dataclass(frozen=True, init=False, eq=False)
class Archive:
    """A takedown release: its users and tweets tables and their provenance.

    Build one with :func:`takedown.read_archive`. The tables use Arrow-backed
    dtypes: every id a string, ``tweet_time`` a UTC timestamp, counts nullable
    integers, list columns ``list<string>``. No function of the package
    modifies them; methods return new archives. Columns are loaded when first
    used: :meth:`load` gives only the columns a question needs.

    Parameters
    ----------
    users, tweets : pandas.DataFrame
        The tables (see :data:`takedown.schema.USERS` and :data:`takedown.schema.TWEETS`).
    name : str
        The campaign name, e.g. ``"thailand_092020"``.
    provenance : Provenance
        Files read, release format, rejected and repaired rows.

    Examples
    --------
    >>> import takedown as td
    >>> archive = td.datasets.sample()
    >>> archive.users.shape[0] > 0 and archive.tweets["tweetid"].dtype == "string[pyarrow]"
    True
    >>> archive.load("tweets", columns=["userid", "tweet_time"]).columns.tolist()
    ['userid', 'tweet_time']
    """

    name: str
    provenance: Provenance

    def __init__(
        self,
        *,
        users: pd.DataFrame | None = None,
        tweets: pd.DataFrame | None = None,
        name: str,
        provenance: Provenance,
        store: _Store | None = None,
    ):
        if store is None:
            if users is None or tweets is None:
                raise TypeError("users and tweets: expected two DataFrames")
            store = FrameStore({"users": users, "tweets": tweets})
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "provenance", provenance)
        object.__setattr__(self, "_store", store)
        object.__setattr__(self, "_columns", {"users": {}, "tweets": {}})
        object.__setattr__(self, "_frames", {})
        object.__setattr__(self, "_memo", {})
        object.__setattr__(self, "_lock", threading.RLock())

    def _memoized(self, key, compute):
        """A value derived from the (immutable) tables, computed once: post times and id codes serve many measures."""
        with self._lock:
            if key not in self._memo:
                value = compute()
                # Shared by every caller: read-only, so that none can change what the others see.
                for part in value if isinstance(value, tuple) else (value,):
                    if isinstance(part, np.ndarray):
                        part.setflags(write=False)
                self._memo[key] = value
            return self._memo[key]

    def _check(self, table: str, columns: Iterable[str] | None) -> list[str]:
        if table not in ("users", "tweets"):
            raise ValueError(f"table: expected 'users' or 'tweets', got {table!r}")
        names = self._store.column_names(table)
        if columns is None:
            return names
        if isinstance(columns, str):
            raise TypeError("columns: expected a list of column names, got a single string")
        wanted = list(columns)
        missing = [c for c in wanted if c not in names]
        if missing:
            raise ValueError(
                f"{self.name}: the {table} table has no column {missing[0]!r}"
                + (f" (nor {', '.join(map(repr, missing[1:]))})" if len(missing) > 1 else "")
                + "; it has "
                + ", ".join(names)
            )
        return wanted

    def arrow(self, table: str, *, columns: Iterable[str] | None = None) -> pa.Table:
        """Some columns of a table as Arrow, loaded from the store once and kept.

        Parameters
        ----------
        table : {"users", "tweets"}
        columns : list of str, optional
            All columns when omitted.

        Examples
        --------
        >>> import takedown as td
        >>> td.datasets.sample().arrow("tweets", columns=["tweetid"]).num_rows
        21385
        """
        wanted = self._check(table, columns)
        with self._lock:
            if isinstance(self._store, FrameStore):
                return self._store.read(table, wanted)
            loaded = self._columns[table]
            missing = [c for c in wanted if c not in loaded]
            if missing:
                fresh = self._store.read(table, missing)
                for name in missing:
                    loaded[name] = fresh.column(name)
            return pa.table({name: loaded[name] for name in wanted})

    def load(self, table: str, *, columns: Iterable[str] | None = None) -> pd.DataFrame:
        """Some columns of a table as a pandas DataFrame (Arrow-backed dtypes).

        Parameters
        ----------
        table : {"users", "tweets"}
        columns : list of str, optional
            All columns when omitted (the same as :attr:`users` or :attr:`tweets`).

        Examples
        --------
        >>> import takedown as td
        >>> td.datasets.sample().load("users", columns=["userid", "follower_count"]).shape
        (926, 2)
        """
        import pandas as pd

        wanted = self._check(table, columns)
        if isinstance(self._store, FrameStore):
            frame = self._store.frame(table)
            return frame if columns is None else frame[wanted]
        with self._lock:
            if table in self._frames:
                return self._frames[table] if columns is None else self._frames[table][wanted]
            frame = self.arrow(table, columns=wanted).to_pandas(types_mapper=pd.ArrowDtype)
            if columns is None:
                self._frames[table] = frame
            return frame

    @property
    def users(self) -> pd.DataFrame:
        """One row per account (the columns of :data:`takedown.schema.USERS`, then any extra ones)."""
        return self.load("users")

    @property
    def tweets(self) -> pd.DataFrame:
        """One row per tweet (the columns of :data:`takedown.schema.TWEETS`, then any extra ones)."""
        return self.load("tweets")

    def codes(self, table: str, column: str) -> tuple[np.ndarray, pd.Index]:
        """A text column as integer codes and its distinct values, sorted (like ``pandas.factorize(sort=True)``).

        Parquet keeps such columns as dictionaries, so a release of forty
        million tweets gives its accounts or clients as four bytes a tweet
        instead of their text. Nulls are coded -1.

        Examples
        --------
        >>> import takedown as td
        >>> codes, clients = td.datasets.sample().codes("tweets", "tweet_client_name")
        >>> len(codes), "Twitter Web App" in clients
        (21385, True)
        """
        return self._memoized(("codes", table, column), lambda: self._codes(table, column))

    def _codes(self, table: str, column: str) -> tuple[np.ndarray, pd.Index]:
        import pandas as pd

        self._check(table, [column])
        values = self.arrow(table, columns=[column])[column] if not self._is_text(table, column) else None
        if values is not None:  # numbers or booleans: named as Python writes them ("True")
            codes, uniques = pd.factorize(values.to_pandas(types_mapper=pd.ArrowDtype).astype(str), sort=True)
            return codes, pd.Index(uniques, dtype="string[pyarrow]")
        read = getattr(self._store, "read_dictionary", None)
        chunks = (
            read(table, column) if read else pc.dictionary_encode(self.arrow(table, columns=[column])[column])
        ).chunks
        if not chunks:
            return np.zeros(0, dtype=np.intp), pd.Index([], dtype="string[pyarrow]")
        unified = pa.chunked_array(chunks).unify_dictionaries()
        values = unified.chunk(0).dictionary if unified.num_chunks else pa.array([], pa.string())
        codes = np.concatenate(
            [pc.fill_null(chunk.indices, -1).to_numpy(zero_copy_only=False).astype(np.intp) for chunk in unified.chunks]
        )
        order = np.argsort(pc.sort_indices(values).to_numpy())
        sorted_values = values.take(pc.sort_indices(values))
        remap = np.append(order, -1)  # -1 stays -1
        return remap[codes], pd.Index(pd.arrays.ArrowExtensionArray(sorted_values.cast(pa.string())))

    def _is_text(self, table: str, column: str) -> bool:
        schema = getattr(self._store, "schemas", None)
        kind = schema[table].field(column).type if schema else self.arrow(table, columns=[column])[column].type
        return pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_dictionary(kind)

    def _index(self, table: str) -> pd.Index:
        """The row index of a table: the frame's own when one was given, else 0..n-1."""
        import pandas as pd

        if isinstance(self._store, FrameStore):
            return self._store.frame(table).index
        return pd.RangeIndex(self._store.num_rows(table))

    def columns(self, table: str) -> list[str]:
        """The names of a table's columns, without loading it.

        Examples
        --------
        >>> import takedown as td
        >>> "tweet_text" in td.datasets.sample().columns("tweets")
        True
        """
        return self._check(table, None)

    def num_rows(self, table: str) -> int:
        """The number of rows of a table, without loading it.

        Examples
        --------
        >>> import takedown as td
        >>> td.datasets.sample().num_rows("tweets")
        21385
        """
        self._check(table, None)
        return self._store.num_rows(table)

    def parquet(self, table: str) -> list[str] | None:
        """The Parquet files holding a table (from the cache), or None for tables held in memory.

        Examples
        --------
        >>> import takedown as td
        >>> td.datasets.sample().parquet("tweets") is None
        True
        """
        self._check(table, None)
        return self._store.parquet(table)

    @property
    def out_of_core(self) -> bool:
        """Whether edges and per-account measures run out of core, in DuckDB over the Parquet files.

        True for a release read from the cache with more than
        :data:`OUT_OF_CORE_TWEETS` tweets, or read with ``out_of_core=True``.
        The results are the same tables either way.
        """
        forced = getattr(self._store, "out_of_core", None)
        if self._store.parquet("tweets") is None:
            return False
        if forced is not None:
            return bool(forced)
        return self._store.num_rows("tweets") > OUT_OF_CORE_TWEETS

    @property
    def retweets(self) -> pd.DataFrame:
        """The tweets that are retweets."""
        flags = self.load("tweets", columns=["is_retweet"])["is_retweet"].fillna(False).to_numpy(dtype=bool)
        return self.tweets[flags]

    def subset(self, userids: Iterable[str], *, missing: str = "raise") -> Archive:
        """A new archive with only these accounts and their tweets.

        Parameters
        ----------
        userids : iterable of str
            Account ids to keep.
        missing : {"raise", "warn", "ignore"}, default "raise"
            What to do with ids that are not in the archive: a ``ValueError``
            naming them, a ``UserWarning``, or nothing.

        Returns
        -------
        Archive
            The same name and provenance, with a note saying how it was cut.

        Examples
        --------
        >>> import takedown as td
        >>> archive = td.datasets.sample()
        >>> first = archive.users["userid"].iloc[0]
        >>> small = archive.subset([first])
        >>> small.users["userid"].tolist() == [first], set(small.tweets["userid"]) <= {first}
        (True, True)
        """
        import pandas as pd

        if isinstance(userids, str):
            raise TypeError("userids: expected a collection of ids, got a single string")
        if missing not in ("raise", "warn", "ignore"):
            raise ValueError(f"missing: expected 'raise', 'warn' or 'ignore', got {missing!r}")
        keep = pd.Index(list(userids), dtype="string[pyarrow]")
        known = self.load("users", columns=["userid"])["userid"]
        unknown = keep[~keep.isin(known)]
        if len(unknown) and missing != "ignore":
            shown = ", ".join(map(repr, unknown[:3])) + (f" and {len(unknown) - 3:,} more" if len(unknown) > 3 else "")
            message = f"userids: {len(unknown):,} id(s) not in {self.name!r}: {shown}"
            if missing == "raise":
                raise ValueError(message + "; pass missing='ignore' to keep the others")
            import warnings

            warnings.warn(message, UserWarning, stacklevel=2)
        users = self.users[known.isin(keep).to_numpy(dtype=bool)].reset_index(drop=True)
        ids = self.load("tweets", columns=["userid"])["userid"]
        tweets = self.tweets[ids.isin(keep).to_numpy(dtype=bool)].reset_index(drop=True)
        note = f"subset to {len(users):,} of {self.num_rows('users'):,} accounts"
        provenance = self.provenance.replace(notes=self.provenance.notes + (note,))
        return Archive(users=users, tweets=tweets, name=self.name, provenance=provenance)

    def __repr__(self) -> str:
        times = self.load("tweets", columns=["tweet_time"])["tweet_time"]
        span = f", {times.min():%Y-%m-%d} to {times.max():%Y-%m-%d}" if times.notna().any() else ""
        issues = sum(self.provenance.issue_counts.values())
        return (
            f"<Archive {self.name!r}: {self.num_rows('users'):,} users, {self.num_rows('tweets'):,} tweets{span}; "
            f"format {self.provenance.release_format}; {issues:,} issue(s) in provenance>"
        )
