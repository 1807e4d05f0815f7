"""The ``Archive``: a release's users and tweets, and where they came from."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable

import pandas as pd
import pyarrow as pa

__all__ = ["Archive", "Provenance", "FileRecord", "ISSUE_COLUMNS"]

#: Columns of :attr:`Provenance.issues`.
ISSUE_COLUMNS = ("file", "line", "row", "column", "reason", "value", "action")


def empty_issues() -> pd.DataFrame:
    """An issues table with no rows and the documented columns and dtypes."""
    table = pa.table(
        {
            "file": pa.array([], pa.string()),
            "line": pa.array([], pa.int64()),
            "row": pa.array([], pa.int64()),
            "column": pa.array([], pa.string()),
            "reason": pa.array([], pa.string()),
            "value": pa.array([], pa.string()),
            "action": pa.array([], pa.string()),
        }
    )
    return table.to_pandas(types_mapper=pd.ArrowDtype)


@dataclass(frozen=True)
class FileRecord:
    """One file read into an archive.

    Attributes
    ----------
    file : str
        The path, with ``!member`` appended for a file inside a zip.
    role : {"users", "tweets"}
    part : str or None
        The multi-part suffix, if any.
    bytes : int
        Uncompressed bytes read.
    rows : int
        Data rows parsed (rejected rows not included).
    release_format : str
        Header layout: ``"2018"``, ``"2019"``, ``"2020"``, ``"users"`` or ``"other"``.
    sha256 : str
        Digest of the file on disk (of the zip, for a member).
    """

    file: str
    role: str
    part: str | None
    bytes: int
    rows: int
    release_format: str
    sha256: str


@dataclass(frozen=True, eq=False)
class Provenance:
    """Where an archive's rows came from and what could not be taken as written.

    Attributes
    ----------
    source : str
        What was passed to :func:`takedown.read_archive`.
    files : tuple of FileRecord
        Every file read, in order.
    release_format : str
        The tweets files' header layout (``"2019"``: 31 columns with
        ``poll_choices``; ``"2020"``: 30 columns; ``"2018"``; ``"other"``;
        ``"mixed"`` when parts differ; ``"none"`` without a tweets file).
    issues : pandas.DataFrame
        One row per rejected row, repaired cell or dropped duplicate, with
        columns ``file``, ``line`` (physical line where the record starts),
        ``row`` (1-based data row in that file), ``column`` (null for a whole
        row), ``reason``, ``value`` (the text as written, cut at 200
        characters) and ``action`` (``"row rejected"``, ``"set to null"``,
        ``"kept"``, ``"duplicate dropped"``).
    users_derived : bool
        True when the release had no users file and the users table was built
        from the user columns of the tweets.
    notes : tuple of str
        Other facts worth knowing (files skipped as copies, extra columns).
    cache : str
        ``"off"``; ``"hit"`` (loaded from the cache); ``"written"`` or
        ``"rebuilt"`` (read from the files; the cache entry is written in the
        background).
    cache_path : str or None
        The cache entry's folder. Its ``users.parquet`` and ``tweets.parquet``
        can be opened with Dask, DuckDB, Polars or R.
    """

    source: str
    files: tuple[FileRecord, ...]
    release_format: str
    issues: pd.DataFrame = field(default_factory=empty_issues)
    users_derived: bool = False
    notes: tuple[str, ...] = ()
    cache: str = "off"
    cache_path: str | None = None

    @property
    def rejected(self) -> pd.DataFrame:
        """The rows that could not be read at all (a subset of :attr:`issues`)."""
        return self.issues[self.issues["action"] == "row rejected"]

    def files_frame(self) -> pd.DataFrame:
        """:attr:`files` as a DataFrame, one row per file."""
        return pd.DataFrame([vars(f) for f in self.files], columns=list(FileRecord.__dataclass_fields__))

    def __repr__(self) -> str:
        lines = [f"Provenance of {self.source!r} (format {self.release_format}, cache {self.cache})"]
        for f in self.files:
            lines.append(f"  {f.role:<6} {f.file}  {f.bytes:,} bytes, {f.rows:,} rows")
        if self.users_derived:
            lines.append("  users derived from the tweets' user columns (no users file)")
        counts = self.issues["action"].value_counts()
        if len(counts):
            lines.append("  issues: " + ", ".join(f"{n:,} {action}" for action, n in counts.items()))
        else:
            lines.append("  issues: none")
        lines.extend(f"  note: {note}" for note in self.notes)
        return "\n".join(lines)


@dataclass(frozen=True, eq=False)
class Archive:
    """A takedown release: its users and tweets tables and their provenance.

    Build one with :func:`takedown.read_archive`. The tables use Arrow-backed
    dtypes: every id a string, ``tweet_time`` a UTC timestamp, counts nullable
    integers, list columns ``list<string>``. No function of the package
    modifies them; methods return new archives.

    Attributes
    ----------
    users : pandas.DataFrame
        One row per account (the columns of :data:`takedown.schema.USERS`).
    tweets : pandas.DataFrame
        One row per tweet (the columns of :data:`takedown.schema.TWEETS`).
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
    """

    users: pd.DataFrame
    tweets: pd.DataFrame
    name: str
    provenance: Provenance

    @property
    def retweets(self) -> pd.DataFrame:
        """The tweets that are retweets."""
        return self.tweets[self.tweets["is_retweet"].fillna(False).astype(bool)]

    def subset(self, userids: Iterable[str]) -> "Archive":
        """A new archive with only these accounts and their tweets.

        Parameters
        ----------
        userids : iterable of str
            Account ids to keep. Ids not in the archive are ignored.

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
        if isinstance(userids, str):
            raise TypeError("userids: expected a collection of ids, got a single string")
        keep = pd.Index(list(userids), dtype="string[pyarrow]")
        users = self.users[self.users["userid"].isin(keep)].reset_index(drop=True)
        tweets = self.tweets[self.tweets["userid"].isin(keep)].reset_index(drop=True)
        note = f"subset to {len(users):,} of {len(self.users):,} accounts"
        provenance = replace(self.provenance, notes=self.provenance.notes + (note,))
        return Archive(users=users, tweets=tweets, name=self.name, provenance=provenance)

    def __repr__(self) -> str:
        times = self.tweets["tweet_time"]
        span = f", {times.min():%Y-%m-%d} to {times.max():%Y-%m-%d}" if times.notna().any() else ""
        issues = len(self.provenance.issues)
        return (
            f"<Archive {self.name!r}: {len(self.users):,} users, {len(self.tweets):,} tweets{span}; "
            f"format {self.provenance.release_format}; {issues:,} issue(s) in provenance>"
        )
