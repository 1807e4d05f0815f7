"""``read_archive``: a release on disk to an :class:`~takedown.archive.Archive`."""

from __future__ import annotations

import hashlib
import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from takedown import __version__
from takedown.archive import (
    ISSUE_STORAGE,
    Archive,
    ArrowStore,
    FileRecord,
    ProjectedStore,
    Provenance,
    SkippedFile,
    stored_issues,
)
from takedown.read import arrays
from takedown.read import cache as cache_
from takedown.read.discover import Release, SourceFile, collect
from takedown.read.parse import MemorySink, ParsedFile, Sink, issue_table, parse_file
from takedown.read.users import LatestUsers, latest_rows
from takedown.schema import TWEETS, USER_COLUMNS_IN_TWEETS, USERS, arrow_schema

__all__ = ["read_archive"]

_TABLES = {"users": USERS, "tweets": TWEETS}
_WHAT = {"users": "account", "tweets": "tweet"}


def _progress_callback(progress, total: int | None):
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


@dataclass
class _Output:
    """Where one table's rows went: a sink, and per file what was parsed and where it is."""

    sink: Sink
    parsed: list[ParsedFile] = field(default_factory=list)

    def part(self, i: int):
        """File i's rows: a Path (Parquet) or an Arrow table (memory)."""
        return self.sink.paths[i] if hasattr(self.sink, "paths") else self.sink.tables[i]

    def drop(self, i: int) -> None:
        if hasattr(self.sink, "paths"):
            self.sink.paths.pop(i).unlink()
        else:
            self.sink.tables.pop(i)
        self.parsed.pop(i)

    def keep_rows(self, i: int, keep: np.ndarray) -> None:
        if hasattr(self.sink, "paths"):
            cache_.filter_part(self.sink.paths[i], keep)
        else:
            self.sink.tables[i] = self.sink.tables[i].filter(arrays.arrow(keep))

    def tables(self) -> list[pa.Table]:
        return list(self.sink.tables)


def _same_bytes(outputs: dict[str, _Output], skipped: list[SkippedFile]) -> None:
    """Files whose bytes proved identical while parsing (inside gzip, their size was unknown) are read once."""
    seen: dict[str, ParsedFile] = {}
    for output in outputs.values():
        i = 0
        while i < len(output.parsed):
            parsed = output.parsed[i]
            first = seen.setdefault(parsed.sha256, parsed)
            if first is not parsed:
                skipped.append(
                    SkippedFile(parsed.file.display, f"the same bytes as {first.file.display}: read once", parsed.bytes)
                )
                output.drop(i)
            else:
                i += 1


def _duplicates(table: str, output: _Output) -> pa.Table | None:
    """Drop rows whose id an earlier row already had; return the issue rows.

    Raises
    ------
    ValueError
        Two files with the same name and different bytes share ids: they are
        two versions of one file.
    """
    parsed = output.parsed
    if not parsed:
        return None
    keys = [p.keys for p in parsed]
    if len({k.type for k in keys}) > 1:
        keys = [k.cast(pa.string()) for k in keys]
    combined = pa.chunked_array(keys).combine_chunks()
    if pa.types.is_uint64(combined.type):
        # Sorting integer ids is ten times faster than hashing them, and most files repeat none.
        ordered = np.sort(arrays.numpy(combined.drop_null()))
        if not (ordered[1:] == ordered[:-1]).any():
            return None
    codes = arrays.codes(combined)
    # Arrow numbers a dictionary by first appearance: a row is a repeat when its code is not a new maximum.
    running = np.maximum.accumulate(codes) if codes.size else codes
    new = np.empty(codes.size, dtype=bool)
    if codes.size:
        new[0] = True
        new[1:] = codes[1:] > running[:-1]
    repeated = ~new & (codes >= 0)
    if not repeated.any():
        return None
    first_rows = np.flatnonzero(new & (codes >= 0))
    first_of_code = np.full(int(codes.max()) + 1, -1, dtype=np.int64)
    first_of_code[codes[first_rows]] = first_rows
    sizes = np.array([p.rows for p in parsed], dtype=np.int64)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    lines = np.concatenate([p.lines for p in parsed])
    positions = np.flatnonzero(repeated)
    firsts = first_of_code[codes[positions]]
    which = np.searchsorted(starts, positions, side="right") - 1
    first_which = np.searchsorted(starts, firsts, side="right") - 1
    _check_versions(table, parsed, which, first_which)
    displays = [p.file.display for p in parsed]
    key_name = "tweetid" if table == "tweets" else "userid"
    # One reason per first occurrence, shared by its repeats (a million copies of one row cost one string).
    distinct, reason_of = np.unique(firsts, return_inverse=True)
    distinct_file = np.searchsorted(starts, distinct, side="right") - 1
    reasons = [
        f"duplicate {_WHAT[table]} {key_name}; first seen in {displays[first_file]} line {first_line}"
        for first_file, first_line in zip(distinct_file, lines[distinct])
    ]
    values = pa.chunked_array([pc.cast(k, pa.string()) for k in keys]).combine_chunks().take(arrays.arrow(positions))

    def repeated_text(indices, texts) -> pa.DictionaryArray:
        return pa.DictionaryArray.from_arrays(pa.array(indices, pa.int32()), pa.array(texts, pa.string()))

    issues = pa.table(
        {
            "file": repeated_text(which, displays),
            "line": pa.array(lines[positions], pa.int64()),
            "line_end": pa.array(lines[positions], pa.int64()),
            "row": pa.array(positions - starts[which] + 1, pa.int64()),
            "column": repeated_text(np.zeros(positions.size), [key_name]),
            "reason": repeated_text(reason_of, reasons),
            "value": values,
            "action": repeated_text(np.zeros(positions.size), ["duplicate dropped"]),
            "records": pa.nulls(positions.size, pa.int64()),
        },
        schema=ISSUE_STORAGE,
    )
    for i in np.unique(which):
        keep = ~repeated[starts[i] : starts[i] + sizes[i]]
        output.keep_rows(int(i), keep)
        parsed[i].rows = int(keep.sum())
        parsed[i].lines = parsed[i].lines[keep]
    return issues


def _check_versions(table: str, parsed: list[ParsedFile], which: np.ndarray, first_which: np.ndarray) -> None:
    files = len(parsed)
    counts = np.bincount(first_which * files + which, minlength=files * files)
    for pair in np.flatnonzero(counts):
        first, second, count = pair // files, pair % files, counts[pair]
        a, b = parsed[first].file, parsed[second].file
        if first != second and a.identity == b.identity:
            raise ValueError(
                f"{a.display} and {b.display} have the same name, different bytes and {count:,} "
                f"{_WHAT[table]} id(s) in common: two versions of one file, and which is right cannot be known; "
                "pass the one to read (or rename one to read both as parts)"
            )


def _derive_users(tweets: pa.Table) -> pa.Table:
    """One row per account from the tweets' user columns, as of its latest tweet, in order of first appearance."""
    if tweets.num_rows == 0:
        return arrays.empty(arrow_schema(USERS))
    rows = latest_rows(tweets["userid"], tweets["tweet_time"])
    return tweets.select(list(USER_COLUMNS_IN_TWEETS)).take(arrays.arrow(rows)).cast(arrow_schema(USERS))


def _derive_users_from_parts(paths: list[Path]) -> pa.Table:
    """:func:`_derive_users` over Parquet parts, reading the user columns a row group at a time."""
    ids = [pq.ParquetFile(p).read(columns=["userid", "tweet_time"]) for p in paths]
    if not ids:
        return arrays.empty(arrow_schema(USERS))
    both = pa.concat_tables(ids)
    rows = latest_rows(both["userid"], both["tweet_time"])
    wanted = np.zeros(both.num_rows, dtype=bool)
    wanted[rows] = True
    pieces, start = [], 0
    for path in paths:
        source = pq.ParquetFile(path)
        for batch in source.iter_batches(columns=list(USER_COLUMNS_IN_TWEETS)):
            mask = wanted[start : start + batch.num_rows]
            start += batch.num_rows
            if mask.any():
                pieces.append(pa.Table.from_batches([batch]).filter(arrays.arrow(mask)))
    users = pa.concat_tables(pieces)
    # The rows came in file order; put the accounts in order of first appearance, as in memory.
    return users.take(arrays.arrow(np.searchsorted(np.sort(rows), rows))).cast(arrow_schema(USERS))


@dataclass
class _Built:
    tables_or_parts: dict[str, object]
    manifest: dict
    issues: pa.Table
    skipped: list[SkippedFile]
    users: pa.Table | None = None  # derived from the tweets as they streamed past


def _build_twitter(
    release: Release, sinks: dict[str, Sink], required: dict[str, tuple], progress, *, users_in_stream: bool
) -> _Built:
    users_in_stream = users_in_stream and not release.users
    sizes = [f.entry.size for f in release.files]
    total = None if any(s is None for s in sizes) else sum(sizes)
    report, close = _progress_callback(progress, total)
    outputs = {table: _Output(sinks[table]) for table in _TABLES}
    try:
        for table, files in (("users", release.users), ("tweets", release.tweets)):
            for file in files:
                outputs[table].parsed.append(
                    parse_file(
                        file,
                        _TABLES[table],
                        sink=sinks[table],
                        required=required[table],
                        progress=report,
                        users=users_in_stream and table == "tweets",
                    )
                )
    finally:
        close()
    for output in outputs.values():
        for i, parsed in enumerate(output.parsed):
            if parsed.drop is not None and parsed.drop.size:
                keep = np.ones(parsed.rows + parsed.drop.size, dtype=bool)
                keep[parsed.drop] = False
                output.keep_rows(i, keep)
    skipped: list[SkippedFile] = []
    tweet_files = len(outputs["tweets"].parsed)
    _same_bytes(outputs, skipped)
    issues = [p.issues for o in outputs.values() for p in o.parsed]
    repeated = {table: _duplicates(table, outputs[table]) for table in _TABLES}
    issues += [t for t in repeated.values() if t is not None]
    # Rows left out after the parse (swallowed records, repeats, a file read twice) may be an account's
    # latest: then the users are derived again from what was kept.
    kept_all = (
        len(outputs["tweets"].parsed) == tweet_files
        and repeated["tweets"] is None
        and not any(p.drop is not None and p.drop.size for p in outputs["tweets"].parsed)
    )
    users = _users_in_stream(outputs["tweets"].parsed) if users_in_stream and kept_all else None
    notes = []
    for output in outputs.values():
        for p in output.parsed:
            if p.dropped_index is not None:
                notes.append(
                    f"{p.file.display}: dropped the unnamed index column {p.dropped_index!r} (a re-export's row numbers)"
                )
            if p.extra_columns:
                notes.append(f"{p.file.display}: extra columns kept as text: {', '.join(p.extra_columns)}")
            kind = "users" if p.release_format == "users" else "tweets"
            absent = [c for c in p.absent_columns if kind == "users" or c != "poll_choices"]
            if absent:
                notes.append(f"{p.file.display}: columns absent from the file, left null: {', '.join(absent)}")
    parsed_users, parsed_tweets = outputs["users"].parsed, outputs["tweets"].parsed
    formats = sorted({p.release_format for p in parsed_tweets})
    records = [
        {
            "file": p.file.display,
            "role": p.file.role,
            "part": p.file.part,
            "bytes": p.bytes,
            "rows": p.rows,
            "release_format": p.release_format,
            "sha256": p.sha256,
        }
        for p in parsed_users + parsed_tweets
    ]
    manifest = {
        "files": records,
        "release_format": "none" if not formats else formats[0] if len(formats) == 1 else "mixed",
        "users_derived": not parsed_users,
        "notes": notes,
        "source_format": "twitter",
        "platform": "twitter",
    }
    parts = {table: [outputs[table].part(i) for i in range(len(outputs[table].parsed))] for table in _TABLES}
    return _Built(parts, manifest, pa.concat_tables([*issues, issue_table({})]), skipped, users)


def _users_in_stream(parsed: list[ParsedFile]) -> pa.Table:
    """The users of files parsed with ``users=True``, one after the other, as one release."""
    latest, rows = LatestUsers(), 0
    for p in parsed:
        latest.extend(p.latest_users.shifted(rows))
        rows += p.rows
    return latest.table()


class _Hashed:
    """An entry whose bytes are hashed as a reader streams them (the other data sets' readers read each once)."""

    def __init__(self, entry):
        self.entry = entry
        self.name, self.display = entry.name, entry.display
        self.digest = hashlib.sha256()

    def open(self):
        from takedown.read.parse import _Tap

        self.digest = hashlib.sha256()
        tap = _Tap(self.entry.open(), b"", None)
        tap.digest = self.digest
        return tap


# Data sets whose users table is built from the tweets: one row per author, as of its latest tweet.
_USERS_FROM_TWEETS = {"fivethirtyeight", "twarc2", "twitter_v1"}


def _build_other(release: Release, sinks: dict[str, Sink]) -> _Built:
    from takedown.read import formats

    hashed = [_Hashed(f.entry) for f in release.others]
    result = formats.read([(f.detected, h) for f, h in zip(release.others, hashed)])
    digests = {h.display: h.digest.hexdigest() for h in hashed}
    parts = {}
    for table, data in (("users", result.users), ("tweets", result.tweets)):
        sinks[table].start(data.schema)
        sinks[table].write(data)
        sinks[table].finish()
        parts[table] = [sinks[table].paths[-1] if hasattr(sinks[table], "paths") else sinks[table].tables[-1]]
    records = [{"part": None, **record, "sha256": digests[record["file"]]} for record in result.files]
    manifest = {
        "files": records,
        "release_format": result.source_format,
        "users_derived": result.source_format in _USERS_FROM_TWEETS,
        "notes": list(result.notes),
        "source_format": result.source_format,
        "platform": result.platform,
    }
    return _Built(parts, manifest, stored_issues(result.issues), [])


def _finish_tables(built: _Built, *, in_parquet: bool, staging) -> dict[str, int]:
    """Derive the users table when there is no users file; add notes; return row counts."""
    parts = built.tables_or_parts
    if built.manifest["users_derived"] and built.manifest["source_format"] == "twitter" and parts["tweets"]:
        if in_parquet:
            users = built.users if built.users is not None else _derive_users_from_parts(parts["tweets"])
            sink = staging.sink("users")
            sink.start(users.schema)
            sink.write(users)
            sink.finish()
            parts["users"] = [sink.paths[-1]]
        else:
            users = _derive_users(pa.concat_tables(parts["tweets"], promote_options="default"))
            parts["users"] = [users]
        built.manifest["notes"].append(
            f"no users file: {users.num_rows:,} accounts derived from the tweets' user columns"
        )
    rows = {}
    for table in _TABLES:
        rows[table] = sum((pq.read_metadata(p).num_rows if in_parquet else p.num_rows) for p in parts[table])
    if built.manifest["users_derived"]:
        return rows
    if rows["users"] and rows["tweets"]:
        known = pa.chunked_array([c for p in parts["users"] for c in _userids(p, in_parquet=in_parquet).chunks])
        known = known.combine_chunks()
        known = known.dictionary_decode() if pa.types.is_dictionary(known.type) else known
        outside = sum(_outside(_userids(p, in_parquet=in_parquet), known) for p in parts["tweets"])
        if outside:
            built.manifest["notes"].append(f"{outside:,} tweets are by accounts not in the users file")
    elif not rows["tweets"] and built.manifest["source_format"] == "twitter":
        built.manifest["notes"].append("no tweets file: the tweets table is empty")
    return rows


def _userids(part, *, in_parquet: bool) -> pa.ChunkedArray:
    """A part's ``userid`` column; from Parquet as dictionary arrays, which hold each id once."""
    if in_parquet:
        return pq.ParquetFile(part, read_dictionary=["userid"]).read(columns=["userid"])["userid"]
    return part["userid"]


def _outside(ids: pa.ChunkedArray, known: pa.Array) -> int:
    """How many ids are not in ``known`` (looked up once per distinct id when the ids are a dictionary)."""
    count = 0
    for chunk in ids.chunks:
        if pa.types.is_dictionary(chunk.type):
            member = pc.is_in(chunk.dictionary, value_set=known)
            member = member.take(chunk.indices)
            chunk = pc.or_kleene(member, pc.is_null(member))  # a null id is not counted as outside
            count += int(pc.sum(pc.invert(chunk)).as_py() or 0)
        else:
            count += int(pc.sum(pc.invert(pc.is_in(chunk, value_set=known))).as_py() or 0)
    return count


def _schemas(parts: dict[str, list], *, in_parquet: bool) -> dict[str, pa.Schema]:
    """Each table's schema: the archive columns with their types, then every part's extra columns."""
    schemas = {}
    for table, columns in _TABLES.items():
        base = arrow_schema(columns)
        found = [pq.read_schema(p) if in_parquet else p.schema for p in parts[table]]
        # Parquet stores seconds as milliseconds: the archive's own columns keep the archive's types.
        extras = [f for schema in found for f in schema if f.name not in base.names]
        schemas[table] = pa.unify_schemas([base, pa.schema(extras)]) if extras else base
    return schemas


def _concat(tables: list[pa.Table], schema: pa.Schema) -> pa.Table:
    if not tables:
        return arrays.empty(schema)
    return pa.concat_tables(tables, promote_options="default").cast(schema)


def _required(columns) -> dict[str, tuple[str, ...]]:
    """The columns each table's files must have: those asked for (ids are always required)."""
    if columns is None:
        return {"users": (), "tweets": ()}
    if isinstance(columns, str):
        raise TypeError("columns: expected a list of column names, got a single string")
    wanted = list(columns)
    known = {c.name for spec in _TABLES.values() for c in spec}
    unknown = [c for c in wanted if c not in known]
    if unknown:
        raise ValueError(f"columns: {unknown[0]!r} is not a column of the users or tweets tables")
    return {table: tuple(c for c in wanted if c in {col.name for col in spec}) for table, spec in _TABLES.items()}


def _project(store, columns) -> object:
    if columns is None:
        return store
    wanted = list(columns)
    visible = {}
    for table in _TABLES:
        names = store.column_names(table)
        ids = ["tweetid", "userid"] if table == "tweets" else ["userid"]
        visible[table] = [c for c in names if c in ids or c in wanted]
    return ProjectedStore(store, visible)


def _remembered_digests(release: Release, root: Path | None) -> list[str] | None:
    """The digest of every file, from files seen before and unchanged since, without reading them; else None."""
    if root is None:
        return None
    memos: dict[Path, dict | None] = {}
    digests = []
    for f in release.files:
        if f.path not in memos:
            memos[f.path] = cache_.remembered(root, f.path)
        digest = (memos[f.path] or {}).get(_chain_key(f))
        if digest is None:
            return None
        digests.append(digest)
    return digests


def _key(release: Release, digests: list[str]) -> tuple[str, list[SkippedFile]]:
    """The cache key of the files read, and the files skipped as copies of an earlier one (same digest)."""
    seen: dict[str, SourceFile] = {}
    files, copies = [], []
    for f, digest in zip(release.files, digests):
        if digest in seen:
            copies.append(SkippedFile(f.display, f"the same bytes as {seen[digest].display}: read once", f.entry.size))
            continue
        seen[digest] = f
        files.append({"role": f.role, "part": f.part, "sha256": digest})
    return _entry_key(release.family, files), copies


def _entry_key(family: str, files: list[dict]) -> str:
    """Twitter's parts are read in the order discovery gives them, which is part of the key; the other
    data sets' readers choose their own order, so their files are keyed as a set."""
    if family != "twitter":
        files = sorted(files, key=lambda f: (f["role"], f["sha256"]))
    return cache_.entry_key(files, __version__)


def _chain_key(file: SourceFile) -> str:
    return "!".join(member for _, member in file.entry.chain) or "."


def _remember(root: Path, release: Release, records: list[dict], key: str) -> None:
    by_display = {r["file"]: r["sha256"] for r in records}
    per_path: dict[Path, dict[str, str]] = {}
    for f in release.files:
        if f.display in by_display:
            per_path.setdefault(f.path, {})[_chain_key(f)] = by_display[f.display]
    for path, entries in per_path.items():
        cache_.remember(root, path, entries, key)


def _named_where_they_are(release: Release, digests: list[str], records: list[dict]) -> list[dict]:
    """A cached entry's file records, named where the files are now (the entry may come from a copy elsewhere)."""
    where: dict[str, str] = {}
    for f, digest in zip(release.files, digests):
        where.setdefault(digest, f.display)
    return [{**r, "file": where.get(r["sha256"], r["file"])} for r in records]


def _provenance(source, release: Release, manifest: dict, skipped: list[SkippedFile], **extra) -> Provenance:
    files = tuple(FileRecord(**{k: r[k] for k in FileRecord.__dataclass_fields__}) for r in manifest["files"])
    described = (
        str(os.fspath(source)) if not isinstance(source, (list, tuple)) else repr([os.fspath(s) for s in source])
    )
    return Provenance(
        source=described,
        files=files,
        skipped=tuple(list(release.skipped) + skipped),
        release_format=manifest["release_format"],
        source_format=manifest.get("source_format", "twitter"),
        platform=manifest.get("platform", "twitter"),
        users_derived=manifest["users_derived"],
        notes=tuple(list(release.notes) + list(manifest["notes"])),
        **extra,
    )


def read_archive(
    source, *, name: str | None = None, cache=True, progress=None, columns=None, out_of_core=None
) -> Archive:
    """Read a takedown release, or another public data set about the same operations.

    Parameters
    ----------
    source : str, os.PathLike or list of them
        A release folder (searched recursively, through symbolic links, into
        zips, tars, ``.tar.gz`` and ``.gz`` files, all streamed, never
        extracted), a single file, a glob (``"data/*_tweets_csv_hashed_*.csv"``)
        or a list of paths. Twitter's files are recognised by their names
        (with or without a download prefix, with any part suffix, browser
        copies included) or by their header; FiveThirtyEight's and NBC's IRA
        tweets, Reddit's 2018 list and API collections (twarc2, API v1.1) by
        their headers. Every other file found is listed in
        ``provenance.skipped`` with the reason.
    name : str, optional
        The archive's name; by default the campaign name from the file names.
    cache : bool or path, default True
        Keep the parsed tables as compressed Parquet in ``$TAKEDOWN_CACHE``
        (default: the user's cache folder) or in the given folder, keyed by
        the files' content; a later read of the same, unchanged files opens
        them from there, loading columns only when they are used. ``False``
        reads into memory and writes nothing.
    progress : bool or callable, optional
        ``True`` shows a progress bar (tqdm); a callable is called as
        ``progress(bytes_done, bytes_total)`` after each block.
    columns : list of str, optional
        Only these columns (and the ids, ``tweetid`` and ``userid``) are in the
        archive's tables, and the files must have them.
    out_of_core : bool, optional
        Run edges and per-account measures in DuckDB over the cached Parquet
        files (``True``) or in pandas (``False``). By default, releases of more
        than :data:`takedown.archive.OUT_OF_CORE_TWEETS` tweets run out of
        core. Needs the cache.

    Returns
    -------
    Archive
        ``users`` and ``tweets`` with Arrow-backed dtypes (ids strings,
        ``tweet_time`` UTC, counts nullable integers, list columns
        ``list<string>``, ``latitude``/``longitude`` as written), and a
        :class:`~takedown.archive.Provenance` that records every file read or
        skipped, the release format and every rejected, repaired or duplicate row.

    Raises
    ------
    FileNotFoundError
        A path does not exist.
    ValueError
        No release, several releases, an empty, damaged or encrypted file, a
        missing required column, bytes that are not UTF-8, CR-only line
        endings, or two versions of one file; the message names the file,
        line and column.

    See Also
    --------
    find_archives : list the releases in a folder.

    Notes
    -----
    Files with the same bytes are read once. Files with the same name and
    different bytes are read as separate parts; if they also share ids they
    are two versions of one file (a cut extract beside its zip), and the read
    stops with an error naming both. A release with only a tweets file gets a
    users table derived from the tweets' user columns (each account as of its
    latest tweet); one with only a users file gets an empty tweets table.
    Tweets that repeat a tweet id already read are dropped and listed in
    ``provenance.issues``. A file needs only its id column; absent columns
    are null, and ``provenance.notes`` says which.

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
    if name is not None and not isinstance(name, str):
        raise TypeError(f"name: expected a string, got {type(name).__name__}")
    if out_of_core not in (None, True, False):
        raise TypeError(f"out_of_core: expected None, True or False, got {out_of_core!r}")
    required = _required(columns)
    root = cache_.cache_root(cache)
    if out_of_core and root is None:
        raise ValueError(
            "out_of_core=True needs the cache (cache=True or a folder): it runs over the cached Parquet files"
        )
    release = collect(source)
    archive_name = name or release.campaign or (release.family if release.family != "twitter" else None)
    archive_name = archive_name or Path(release.files[0].path).stem

    digests = _remembered_digests(release, root)
    status = "off" if root is None else "written"
    if digests is not None:
        key, copies = _key(release, digests)
        try:
            loaded = cache_.load(root, key, out_of_core=out_of_core)
        except cache_.CacheCorrupt as error:
            warnings.warn(
                f"the cached copy of {source} is damaged ({error}); reading the files again",
                cache_.CacheWarning,
                stacklevel=2,
            )
            cache_.remove(root, key)
            loaded, status = None, "rebuilt"
        if loaded is not None:
            store, manifest = loaded
            _check_required(store, required)
            manifest = {**manifest, "files": _named_where_they_are(release, digests, manifest["files"])}
            provenance = _provenance(
                source,
                release,
                manifest,
                copies,
                cache="hit",
                cache_path=str(cache_.entry_folder(root, key)),
                cache_bytes=cache_.folder_bytes(cache_.entry_folder(root, key)),
                issues=cache_.issues_loader(root, key),
                issue_counts=manifest.get("issue_counts"),
            )
            return Archive(name=archive_name, provenance=provenance, store=_project(store, columns))
    if root is None:
        return _read_into_memory(source, release, archive_name, required, columns, progress)
    try:
        return _read_into_cache(source, release, archive_name, required, columns, progress, root, status, out_of_core)
    except OSError as error:
        warnings.warn(
            f"could not write the cache entry in {root}: {error}; reading into memory instead",
            cache_.CacheWarning,
            stacklevel=2,
        )
        return _read_into_memory(source, release, archive_name, required, columns, progress)


def _check_required(store, required: dict[str, tuple[str, ...]]) -> None:
    for table, names in required.items():
        present = store.column_names(table)
        missing = [n for n in names if n not in present]
        if missing:
            raise ValueError(f"columns: the {table} table has no column {missing[0]!r}")


def _build(release, sinks, required, progress, *, users_in_stream: bool = False) -> _Built:
    if release.family == "twitter":
        return _build_twitter(release, sinks, required, progress, users_in_stream=users_in_stream)
    return _build_other(release, sinks)


def _read_into_memory(source, release, archive_name, required, columns, progress) -> Archive:
    sinks = {table: MemorySink() for table in _TABLES}
    built = _build(release, sinks, required, progress)
    _finish_tables(built, in_parquet=False, staging=None)
    schemas = _schemas(built.tables_or_parts, in_parquet=False)
    tables = {table: _concat(built.tables_or_parts[table], schemas[table]) for table in _TABLES}
    provenance = _provenance(source, release, built.manifest, built.skipped, cache="off", issues=built.issues)
    return Archive(name=archive_name, provenance=provenance, store=_project(ArrowStore(tables), columns))


def _read_into_cache(source, release, archive_name, required, columns, progress, root, status, out_of_core) -> Archive:
    with cache_.Staging(root) as staging:
        sinks = {table: staging.sink(table) for table in _TABLES}
        # Deriving the users as the tweets pass spares reading the cache back for them.
        built = _build(release, sinks, required, progress, users_in_stream=True)
        rows = _finish_tables(built, in_parquet=True, staging=staging)
        schemas = _schemas(built.tables_or_parts, in_parquet=True)
        files = [{"role": r["role"], "part": r["part"], "sha256": r["sha256"]} for r in built.manifest["files"]]
        key = _entry_key(release.family, files)
        counts = {row["values"]: row["counts"] for row in pc.value_counts(built.issues["action"]).to_pylist()}
        manifest = {
            **built.manifest,
            "rows": rows,
            "schemas": {t: cache_.schema_to_hex(s) for t, s in schemas.items()},
            "issue_counts": counts,
            "bytes_read": sum(r["bytes"] for r in built.manifest["files"]),
        }
        if not cache_.entry_folder(root, key).exists():
            staging.commit(key, manifest, issues=built.issues)
    folder = cache_.entry_folder(root, key)
    cache_bytes = cache_.folder_bytes(folder)
    _remember(root, release, built.manifest["files"], key)
    store, stored = cache_.load(root, key, out_of_core=out_of_core)
    _check_required(store, required)
    provenance = _provenance(
        source,
        release,
        {**stored, "files": built.manifest["files"], "notes": built.manifest["notes"]},
        built.skipped,
        cache=status,
        cache_path=str(folder),
        cache_bytes=cache_bytes,
        issues=built.issues,
        issue_counts=counts,
    )
    return Archive(name=archive_name, provenance=provenance, store=_project(store, columns))
