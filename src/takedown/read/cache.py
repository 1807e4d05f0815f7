"""The cache: a release parsed once is kept as compressed Parquet files and reopened lazily.

An entry is keyed by the *content* of the files read (SHA-256 of each file's
own, decompressed bytes, taken while it is parsed), the reader version and the
cache format, so a copied or renamed release still hits and an edited one
misses. An entry holds ``users/`` and ``tweets/`` (one LZ4-compressed Parquet
file per source file, row groups of about 64,000 rows), ``issues.parquet``
and ``manifest.json``; nothing else, so it takes a fraction of the CSVs'
bytes (about 22% on the Thailand rows) and any Parquet reader (DuckDB,
Polars, Dask, R) can open it. Entries are written to a temporary folder,
which a failed write removes, and renamed into place, so a crash never leaves
half an entry.

What a later read trusts (the guarantee)
----------------------------------------
The digests of a file are remembered with its size, modification time,
change time (ctime), inode and device, and with the SHA-256 of 16 blocks of
4 KiB spread over the file (its first and last among them). A file is served
from the cache only when all of these are unchanged. Any write to a file
through the file system updates its ctime, which a user cannot set back (not
with ``touch`` nor ``os.utime``), so a file edited in place is read again
even if its size and modification time were restored; the sampled blocks
catch copies that keep ctime-like stamps on file systems that do not keep
ctime. A file is hashed in full whenever it is parsed. The entry's own files
are checked against the sizes, modification times and row counts recorded
when it was written, and a damaged entry is reported with a
:class:`CacheWarning` and rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import uuid
import warnings
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Self

import platformdirs
import pyarrow as pa
import pyarrow.parquet as pq

from takedown.read import arrays
from takedown.read.parse import Sink

__all__ = [
    "CacheCorrupt",
    "CacheWarning",
    "Staging",
    "cache_root",
    "entry_folder",
    "entry_key",
    "filter_part",
    "folder_bytes",
    "issues_loader",
    "load",
    "remember",
    "remembered",
    "remove",
    "schema_from_hex",
    "schema_to_hex",
]

#: Bump when the parsed tables change for the same input.
CACHE_FORMAT = 2
_SAMPLE_BLOCKS = 16
_SAMPLE_SIZE = 4096
# LZ4, not zstd: on the 260 MB file the first read took 0.3 s less (zstd sets up a context per column
# chunk, and the writer thread fell behind the parse), for a cache of 0.19 of the CSV instead of 0.11.
_COMPRESSION = "lz4"
# Small enough that the last group, written after the parse ends, costs a first read little
# (128,000 rows took twice as long at the end); large enough for compression and DuckDB.
_ROW_GROUP_ROWS = 64_000
# Columns whose values repeat (accounts, clients, languages): dictionary pages make them small
# and fast to read; texts and tweet ids are unique and would only waste the writer's time.
_DICTIONARY_COLUMNS = {
    "userid",
    "user_display_name",
    "user_screen_name",
    "user_reported_location",
    "user_profile_description",
    "user_profile_url",
    "account_creation_date",
    "account_language",
    "tweet_language",
    "tweet_client_name",
    "in_reply_to_userid",
    "retweet_userid",
    "latitude",
    "longitude",
    "file",
    "column",
    "reason",
    "action",
}
_STALE_TEMPORARY_SECONDS = 24 * 3600


class CacheWarning(UserWarning):
    """A cache entry was stale, damaged or could not be written."""


class CacheCorrupt(Exception):
    """A cache entry that cannot be trusted."""


def cache_root(cache) -> Path | None:
    """The cache folder for a ``cache=`` argument, or ``None`` when caching is off.

    ``True`` means ``$TAKEDOWN_CACHE`` if set, else the user's cache folder;
    a path means that folder.
    """
    if cache is False or cache is None:
        return None
    if cache is True:
        configured = os.environ.get("TAKEDOWN_CACHE")
        return Path(configured) if configured else Path(platformdirs.user_cache_dir("takedown"))
    if isinstance(cache, (str, os.PathLike)):
        return Path(cache)
    raise TypeError(f"cache: expected True, False or a folder path, got {type(cache).__name__}")


def _memo_path(root: Path, path: Path) -> Path:
    name = hashlib.sha1(os.fsencode(path.resolve())).hexdigest()
    return root / "files" / f"{name}.json"


def _signature(path: Path) -> dict:
    stat = path.stat()
    return {
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "ctime_ns": stat.st_ctime_ns,
        "ino": stat.st_ino,
        "dev": stat.st_dev,
    }


def _sample(path: Path, size: int) -> str:
    """SHA-256 of 16 blocks of 4 KiB spread evenly over the file, the first and the last among them."""
    digest = hashlib.sha256()
    last = max(size - _SAMPLE_SIZE, 0)
    offsets = sorted({round(i * last / (_SAMPLE_BLOCKS - 1)) for i in range(_SAMPLE_BLOCKS)})
    with open(path, "rb") as stream:
        for offset in offsets:
            stream.seek(offset)
            digest.update(stream.read(_SAMPLE_SIZE))
    return digest.hexdigest()


def _read_json(path: Path):
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def remembered(root: Path | None, path: Path) -> dict | None:
    """The digests remembered for a file on disk (by the chain of members inside it), if it is unchanged.

    ``None`` when nothing is remembered or the file changed since.
    """
    if root is None:
        return None
    memo = _read_json(_memo_path(root, path))
    if not memo:
        return None
    signature = _signature(path)
    if memo.get("signature") != signature or memo.get("sample") != _sample(path, signature["size"]):
        return None
    return memo.get("entries") or None


def remember(root: Path, path: Path, entries: dict[str, str], key: str) -> None:
    """Remember a file's entries' digests and the cache entry built from them.

    When the file's remembered digests differ (it was changed in place), the
    cache entries built from the old content are removed with a
    :class:`CacheWarning`.
    """
    memo_path = _memo_path(root, path)
    old = _read_json(memo_path) or {}
    old_entries = old.get("entries") or {}
    changed = any(old_entries.get(chain) not in (None, digest) for chain, digest in entries.items())
    keys = [] if changed else list(old.get("keys", []))
    if changed:
        stale = [k for k in old.get("keys", []) if k != key and entry_folder(root, k).exists()]
        for k in stale:
            remove(root, k)
        if stale:
            warnings.warn(
                f"{path} changed since it was cached; the stale cache entry was removed and the release read again",
                CacheWarning,
                stacklevel=4,
            )
    signature = _signature(path)
    memo = {
        "signature": signature,
        "sample": _sample(path, signature["size"]),
        "entries": {**({} if changed else old_entries), **entries},
        "keys": keys + ([key] if key not in keys else []),
    }
    try:
        _write_json(memo_path, memo)
    except OSError:
        pass  # an unwritable cache folder is reported once, by the entry write


def entry_key(files: list[dict], reader_version: str) -> str:
    """The cache key of a release: its files' roles, parts and content digests, in reading order."""
    payload = json.dumps({"format": CACHE_FORMAT, "reader": reader_version, "files": files}, sort_keys=True).encode()
    return hashlib.sha256(payload).hexdigest()[:32]


def _write_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    temporary.write_text(json.dumps(data, sort_keys=True, default=str))
    os.replace(temporary, path)


def entry_folder(root: Path, key: str) -> Path:
    """The folder of a cache entry (it may not exist yet)."""
    return root / "archives" / key


def remove(root: Path, key: str) -> None:
    """Delete a cache entry (a damaged or stale one)."""
    shutil.rmtree(entry_folder(root, key), ignore_errors=True)


def folder_bytes(folder: Path) -> int:
    """Bytes of the files in a folder, recursively."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _stat(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns]


def _clean_stale_temporaries(archives: Path) -> None:
    """Remove temporary folders that a killed process left (older than a day)."""
    now = time.time()
    for folder in archives.glob(".tmp-*"):
        try:
            if now - folder.stat().st_mtime > _STALE_TEMPORARY_SECONDS:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            pass


class _PartWriter:
    """One Parquet file written row group by row group, in a background thread so that parsing goes on."""

    def __init__(self, path: Path, schema: pa.Schema, pool: ThreadPoolExecutor):
        self.path = path
        self.schema = schema
        self._pool = pool
        self._writer = pq.ParquetWriter(
            path,
            schema,
            compression=_COMPRESSION,
            use_dictionary=[name for name in schema.names if name in _DICTIONARY_COLUMNS],
            write_statistics=["tweetid", "tweet_time", "userid"],
        )
        self._buffer: list[pa.Table] = []
        self._buffered = 0
        self._pending: Future | None = None
        self.rows = 0

    def write(self, table: pa.Table) -> None:
        self._buffer.append(table)
        self._buffered += table.num_rows
        if self._buffered >= _ROW_GROUP_ROWS:
            self._flush()

    def _flush(self) -> None:
        if not self._buffer:
            return
        group = pa.concat_tables(self._buffer)
        self._buffer, self._buffered = [], 0
        if self._pending is not None:
            self._pending.result()
        self._pending = self._pool.submit(self._writer.write_table, group, row_group_size=group.num_rows)
        self.rows += group.num_rows

    def close(self) -> None:
        self._flush()
        if self._pending is not None:
            self._pending.result()
        self._writer.close()


class Staging:
    """A cache entry being written: a temporary folder renamed into place at the end, removed on failure.

    Examples
    --------
    >>> import tempfile, pyarrow as pa
    >>> from pathlib import Path
    >>> from takedown.read.cache import Staging, load, schema_to_hex
    >>> root = Path(tempfile.mkdtemp())
    >>> schema = pa.schema([("userid", pa.string())])
    >>> with Staging(root) as staging:
    ...     sink = staging.sink("users")
    ...     sink.start(schema)
    ...     sink.write(pa.table({"userid": ["a", "b"]}))
    ...     sink.finish()
    ...     manifest = {"rows": {"users": 2, "tweets": 0}, "schemas": {"users": schema_to_hex(schema), "tweets": schema_to_hex(schema)}}
    ...     _ = staging.commit("k", manifest, issues=None)
    >>> load(root, "k")[0].num_rows("users")
    2
    """

    def __init__(self, root: Path):
        self.root = root
        archives = root / "archives"
        archives.mkdir(parents=True, exist_ok=True)
        _clean_stale_temporaries(archives)
        self.folder = archives / f".tmp-{uuid.uuid4().hex}"
        self.folder.mkdir()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="takedown-parquet")
        self._counts: dict[str, int] = {}
        self.committed: Path | None = None

    def sink(self, table: str) -> ParquetSink:
        """A sink writing one Parquet file per source file under ``table/``."""
        return ParquetSink(self, table)

    def part_path(self, table: str) -> Path:
        count = self._counts.get(table, 0)
        self._counts[table] = count + 1
        folder = self.folder / table
        folder.mkdir(exist_ok=True)
        return folder / f"part-{count:05d}.parquet"

    def commit(self, key: str, manifest: dict, *, issues: pa.Table | None) -> Path:
        """Write the issues and the manifest, then rename the folder into place as entry ``key``."""
        self._pool.shutdown(wait=True)
        if issues is not None:
            pq.write_table(
                issues,
                self.folder / "issues.parquet",
                compression=_COMPRESSION,
                use_dictionary=["file", "column", "reason", "action"],
            )
        parts = {
            table: sorted(str(p.relative_to(self.folder)) for p in (self.folder / table).glob("*.parquet"))
            for table in ("users", "tweets")
        }
        stats = {str(p.relative_to(self.folder)): _stat(p) for p in self.folder.rglob("*.parquet")}
        _write_json(
            self.folder / "manifest.json", {**manifest, "cache_format": CACHE_FORMAT, "parts": parts, "stat": stats}
        )
        final = entry_folder(self.root, key)
        if final.exists():
            shutil.rmtree(final, ignore_errors=True)
        os.replace(self.folder, final)
        self.committed = final
        return final

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind, error, traceback) -> None:
        self._pool.shutdown(wait=True)
        if self.committed is None:
            shutil.rmtree(self.folder, ignore_errors=True)


class ParquetSink(Sink):
    """Batches of one table written to the staging folder, a Parquet file per source file."""

    def __init__(self, staging: Staging, table: str):
        self._staging = staging
        self._table = table
        self._writer: _PartWriter | None = None
        self.paths: list[Path] = []
        self._schema: pa.Schema | None = None

    def start(self, schema: pa.Schema) -> None:
        self._schema = schema
        self._writer = _PartWriter(self._staging.part_path(self._table), schema, self._staging._pool)

    def write(self, table: pa.Table) -> None:
        self._writer.write(table)

    def discard(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer.path.unlink(missing_ok=True)
            self._writer = None

    def finish(self) -> None:
        self._writer.close()
        self.paths.append(self._writer.path)
        self._writer = None


def filter_part(path: Path, keep) -> int:
    """Keep only some rows of a Parquet file (``keep``: one bool per row), a row group at a time.

    Returns the rows kept. Memory holds one row group, whatever the file's size.
    """
    source = pq.ParquetFile(path)
    temporary = path.with_name(path.name + ".filtered")
    start = kept = 0
    with pq.ParquetWriter(
        temporary,
        source.schema_arrow,
        compression=_COMPRESSION,
        use_dictionary=[name for name in source.schema_arrow.names if name in _DICTIONARY_COLUMNS],
    ) as writer:
        for group in range(source.num_row_groups):
            table = source.read_row_group(group)
            mask = keep[start : start + table.num_rows]
            start += table.num_rows
            table = table.filter(arrays.arrow(mask))
            kept += table.num_rows
            if table.num_rows:
                writer.write_table(table, row_group_size=table.num_rows)
    source.close()
    os.replace(temporary, path)
    return kept


def load(root: Path, key: str, *, out_of_core: bool | None = None):
    """A cache entry as a store, with its manifest; ``None`` if there is none.

    Only the Parquet footers are read here; columns are read when asked for.

    Raises
    ------
    CacheCorrupt
        The entry exists but is incomplete or damaged.
    """
    from takedown.archive import ParquetStore

    folder = entry_folder(root, key)
    if not folder.exists():
        return None
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
        if manifest.get("cache_format") != CACHE_FORMAT:
            raise CacheCorrupt(f"entry written by cache format {manifest.get('cache_format')}")
        for name, written in manifest["stat"].items():
            if _stat(folder / name) != written:
                raise CacheCorrupt(f"{name} was changed after the entry was written")
        parts = {table: [folder / name for name in manifest["parts"][table]] for table in ("users", "tweets")}
        schemas = {table: schema_from_hex(manifest["schemas"][table]) for table in ("users", "tweets")}
        for table in ("users", "tweets"):
            counted = sum(pq.read_metadata(path).num_rows for path in parts[table])
            if counted != manifest["rows"][table]:
                raise CacheCorrupt(f"{table} has {counted} rows, expected {manifest['rows'][table]}")
    except CacheCorrupt:
        raise
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException) as error:
        raise CacheCorrupt(str(error)) from None
    store = ParquetStore(parts, schemas, manifest["rows"], out_of_core=out_of_core)
    return store, manifest


def schema_to_hex(schema: pa.Schema) -> str:
    """An Arrow schema as text for the manifest."""
    return schema.serialize().to_pybytes().hex()


def schema_from_hex(text: str) -> pa.Schema:
    """The Arrow schema :func:`schema_to_hex` wrote."""
    return pa.ipc.read_schema(pa.py_buffer(bytes.fromhex(text)))


def issues_loader(root: Path, key: str):
    """A function that reads an entry's issues table when first asked for."""
    path = entry_folder(root, key) / "issues.parquet"

    def read() -> pa.Table | None:
        return pq.read_table(path) if path.exists() else None

    return read
