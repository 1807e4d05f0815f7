"""``read_archive``: a release on disk to an :class:`~takedown.archive.Archive`."""

from __future__ import annotations

import os
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from takedown import __version__
from takedown.archive import ISSUE_COLUMNS, Archive, FileRecord, Provenance
from takedown.read import cache as cache_
from takedown.read.discover import Release, SourceFile, collect
from takedown.read.parse import ParsedFile, parse_file, row_lines
from takedown.schema import TWEETS, USER_COLUMNS_IN_TWEETS, USERS, arrow_schema

__all__ = ["read_archive"]


def _progress_callback(progress, total: int):
    """A per-block callback and a closer for the ``progress=`` argument."""
    if progress is None or progress is False:
        return None, lambda: None
    if callable(progress):
        done = [0]

        def report(n: int) -> None:
            done[0] += n
            progress(done[0], total)

        return report, lambda: None
    if progress is True:
        from tqdm.auto import tqdm

        bar = tqdm(total=total, unit="B", unit_scale=True, desc="reading", leave=False)
        return bar.update, bar.close
    raise TypeError(f"progress: expected None, True, False or a callable(done, total), got {type(progress).__name__}")


def _concat(parsed: list[ParsedFile], columns) -> pa.Table:
    if not parsed:
        return arrow_schema(columns).empty_table()
    return pa.concat_tables([p.table for p in parsed], promote_options="default")


def _repeated(ids: pa.ChunkedArray) -> np.ndarray:
    """Which ids (no nulls) already appeared in an earlier row.

    Tweet ids are digit strings; hashed as 64-bit integers they are checked
    several times faster than as strings. Leading zeros would make two
    different strings one integer, so such columns stay strings.
    """
    keys = None
    if len(ids) and pc.all(pc.utf8_is_decimal(ids)).as_py() and not pc.any(pc.starts_with(ids, "0")).as_py():
        try:
            keys = pc.cast(ids, pa.uint64()).to_numpy()
        except pa.ArrowInvalid:  # more digits than 64 bits hold
            keys = None
    if keys is None:
        keys = pd.arrays.ArrowExtensionArray(ids)
    return pd.Series(keys).duplicated(keep="first").to_numpy()


def _duplicates(table: pa.Table, key: str, parsed: list[ParsedFile], files: list[SourceFile], what: str):
    """Drop repeated ids after their first row; return the table and issue rows."""
    ids = table[key]
    valid = ids.is_valid().to_numpy(zero_copy_only=False)
    found = _repeated(ids.filter(pa.array(valid)))
    if not found.any():
        return table, None
    repeated = np.zeros(len(valid), dtype=bool)
    repeated[valid] = found
    series = pd.Series(pd.arrays.ArrowExtensionArray(ids))
    first_rows = np.flatnonzero(~repeated & valid)
    first_of = pd.Series(first_rows, index=series.iloc[first_rows].to_numpy())

    sizes = np.array([p.table.num_rows for p in parsed], dtype=np.int64)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    which = np.searchsorted(starts, np.arange(len(repeated)), side="right") - 1
    lines = np.concatenate([row_lines(p.table) for p in parsed])
    positions = np.flatnonzero(repeated)
    firsts = first_of.loc[series.iloc[positions].to_numpy()].to_numpy()
    issues = pa.table(
        {
            "file": pa.array([files[which[i]].display for i in positions], pa.string()),
            "line": pa.array(lines[positions], pa.int64()),
            "row": pa.array(positions - starts[which[positions]] + 1, pa.int64()),
            "column": pa.array([key] * len(positions), pa.string()),
            "reason": pa.array(
                [f"duplicate {what} {key}; first seen in {files[which[f]].display} line {lines[f]}" for f in firsts],
                pa.string(),
            ),
            "value": ids.take(pa.array(positions)),
            "action": pa.array(["duplicate dropped"] * len(positions), pa.string()),
        }
    )
    return table.filter(pa.array(~repeated)), issues


def _derive_users(tweets: pa.Table) -> pa.Table:
    """One row per account from the tweets' user columns, as of its latest tweet."""
    if tweets.num_rows == 0:
        return arrow_schema(USERS).empty_table()
    encoded = pc.dictionary_encode(tweets["userid"].combine_chunks()).indices
    codes = pc.fill_null(encoded, -1).to_numpy(zero_copy_only=False)
    times = pc.fill_null(tweets["tweet_time"], 0).combine_chunks().cast(pa.int64()).to_numpy()
    # Sort by account, latest tweet first; the first row of each account wins.
    order = np.lexsort((-times, codes))
    first = np.ones(order.size, dtype=bool)
    first[1:] = codes[order[1:]] != codes[order[:-1]]
    first &= codes[order] >= 0  # a tweet without a userid names no account
    users = tweets.select(list(USER_COLUMNS_IN_TWEETS)).take(pa.array(order[first]))
    return users.cast(arrow_schema(USERS))


def _to_pandas(table: pa.Table) -> pd.DataFrame:
    return table.to_pandas(types_mapper=pd.ArrowDtype)


def _build(release: Release, progress) -> tuple[dict[str, pa.Table], dict]:
    files = list(release.files)
    total = sum(f.size for f in files)
    report, close = _progress_callback(progress, total)
    try:
        parsed_users = [parse_file(f, USERS, progress=report) for f in release.users]
        parsed_tweets = [parse_file(f, TWEETS, progress=report) for f in release.tweets]
    finally:
        close()
    users = _concat(parsed_users, USERS)
    tweets = _concat(parsed_tweets, TWEETS)
    issues = [p.issues for p in parsed_users + parsed_tweets]
    notes = list(release.skipped)
    for p, f in zip(parsed_users + parsed_tweets, files):
        if p.extra_columns:
            notes.append(f"{f.display}: extra columns kept as text: {', '.join(p.extra_columns)}")

    users, dup_users = _duplicates(users, "userid", parsed_users, list(release.users), "account")
    tweets, dup_tweets = _duplicates(tweets, "tweetid", parsed_tweets, list(release.tweets), "tweet")
    issues += [t for t in (dup_users, dup_tweets) if t is not None]

    derived = not release.users
    if derived:
        users = _derive_users(tweets)
        notes.append(f"no users file: {users.num_rows:,} accounts derived from the tweets' user columns")
    elif not release.tweets:
        notes.append("no tweets file: the tweets table is empty")
    elif tweets.num_rows:
        outside = pc.invert(pc.is_in(tweets["userid"], value_set=users["userid"].combine_chunks()))
        count = pc.sum(outside).as_py() or 0
        if count:
            notes.append(f"{count:,} tweets are by accounts not in the users file")

    formats = sorted({p.release_format for p in parsed_tweets})
    release_format = "none" if not formats else formats[0] if len(formats) == 1 else "mixed"
    records = [
        {
            "file": f.display,
            "role": f.role,
            "part": f.part,
            "bytes": p.bytes,
            "rows": p.table.num_rows,
            "release_format": p.release_format,
        }
        for f, p in zip(files, parsed_users + parsed_tweets)
    ]
    issue_table = pa.concat_tables(issues)
    manifest = {
        "files": records,
        "release_format": release_format,
        "users_derived": derived,
        "notes": notes,
    }
    return {"users": users, "tweets": tweets, "issues": issue_table}, manifest


def _key(release: Release, digests: dict[Path, str]) -> str:
    files = [{"role": f.role, "part": f.part, "member": f.member, "sha256": digests[f.path]} for f in release.files]
    return cache_.entry_key(files, __version__)


def _from_cache(root: Path, key: str, source) -> tuple[dict | None, dict | None, str]:
    """The cached tables and manifest and the cache status: ``"hit"``, or ``"written"``/``"rebuilt"`` for a miss."""
    try:
        found = cache_.load(root, key)
    except cache_.CacheCorrupt as error:
        warnings.warn(
            f"the cached copy of {source} is damaged ({error}); reading the files again",
            cache_.CacheWarning,
            stacklevel=3,
        )
        cache_.remove(root, key)
        return None, None, "rebuilt"
    if found is None:
        return None, None, "written"
    return *found, "hit"


def read_archive(source, *, name: str | None = None, cache=True, progress=None) -> Archive:
    """Read a takedown release as Twitter distributed it.

    Parameters
    ----------
    source : str, os.PathLike or list of them
        A release folder (searched recursively, zips included), a ``.zip``, a
        single users or tweets CSV, a glob (``"data/*_tweets_csv_hashed_*.csv"``)
        or a list of paths. Files are recognised by Twitter's names, with or
        without a download prefix and with any part suffix (``_1``,
        ``_part1``, ``_01``, ``_a``, ``_2020``); zip members are streamed, never
        extracted. A CSV with another name is recognised by its header.
    name : str, optional
        The archive's name; by default the campaign name from the file names.
    cache : bool or path, default True
        Keep the parsed tables, as Parquet and as Arrow files, in
        ``$TAKEDOWN_CACHE`` (default: the user's cache folder) or in the given
        folder, keyed by the files' content; a later read of the same files
        memory-maps them from there. The entry is written in the background,
        so the archive is returned as soon as it is parsed.
    progress : bool or callable, optional
        ``True`` shows a progress bar (tqdm); a callable is called as
        ``progress(bytes_done, bytes_total)`` after each block.

    Returns
    -------
    Archive
        ``users`` and ``tweets`` with Arrow-backed dtypes (ids strings,
        ``tweet_time`` UTC, counts nullable integers, list columns
        ``list<string>``, ``latitude``/``longitude`` as written), and a
        :class:`~takedown.archive.Provenance` that records every file, the
        release format and every rejected, repaired or duplicate row.

    Raises
    ------
    FileNotFoundError
        A path does not exist.
    ValueError
        No release, several releases, an empty or damaged file, a missing
        required column or bytes that are not UTF-8; the message names the
        file, line and column.

    See Also
    --------
    find_archives : list the releases in a folder.

    Notes
    -----
    A release with only a tweets file gets a users table derived from the
    tweets' user columns (each account as of its latest tweet); one with only
    a users file gets an empty tweets table. Tweets that repeat a tweet id
    already read (for instance in overlapping parts) are dropped and listed
    in ``provenance.issues``.

    Examples
    --------
    >>> import takedown as td
    >>> archive = td.read_archive(td.datasets.sample_path(), cache=False)
    >>> archive.name
    'synthetic_sample'
    >>> archive.tweets["tweet_time"].dtype
    timestamp[s, tz=UTC][pyarrow]
    >>> archive.provenance.release_format
    '2020'
    """
    release = collect(source)
    if name is not None and not isinstance(name, str):
        raise TypeError(f"name: expected a string, got {type(name).__name__}")
    root = cache_.cache_root(cache)
    disk_files = sorted({f.path for f in release.files})
    digests = {path: cache_.remembered_digest(path, root) for path in disk_files}
    tables = manifest = None
    status = "off" if root is None else "written"
    if root is not None and None not in digests.values():
        tables, manifest, status = _from_cache(root, _key(release, digests), source)
    parsed = tables is None
    if parsed:
        # Files not seen before are hashed while they are parsed.
        with ThreadPoolExecutor(max_workers=1) as pool:
            hashing = {path: pool.submit(cache_.file_digest, path, root) for path, d in digests.items() if d is None}
            tables, manifest = _build(release, progress)
            digests.update({path: future.result() for path, future in hashing.items()})
    key = _key(release, digests)
    # A release seen before under another path may already have its entry.
    if parsed and root is not None and not cache_.entry_folder(root, key).exists():

        def remember() -> None:
            for path in disk_files:
                cache_.remember_key(root, path, key)

        cache_.store_later(root, key, tables, manifest, then=remember)

    # Name the files where they are now: a cached entry may come from a copy elsewhere.
    files = tuple(
        FileRecord(**{**record, "file": f.display}, sha256=digests[f.path])
        for record, f in zip(manifest["files"], release.files)
    )
    provenance = Provenance(
        source=str(os.fspath(source))
        if not isinstance(source, (list, tuple))
        else repr([os.fspath(s) for s in source]),
        files=files,
        release_format=manifest["release_format"],
        users_derived=manifest["users_derived"],
        notes=tuple(manifest["notes"]),
        cache=status,
        cache_path=None if root is None else str(cache_.entry_folder(root, key)),
        issues=_to_pandas(tables["issues"])[list(ISSUE_COLUMNS)],
    )
    return Archive(
        users=_to_pandas(tables["users"]),
        tweets=_to_pandas(tables["tweets"]),
        name=name or release.campaign or Path(release.files[0].path).stem,
        provenance=provenance,
    )
