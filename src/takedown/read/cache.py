"""The cache: a release parsed once is kept as Parquet and Arrow files and reloaded.

Entries are keyed by the *content* of the source files (SHA-256), the reader
version and the cache format, so a copied or renamed release still hits and
an edited one misses. Hashing a large release takes a moment, so each file's
digest is remembered with its size, modification time and inode, as git does;
a file whose stat changed is hashed again.

An entry holds each table twice: as Parquet (``users.parquet``,
``tweets.parquet``: compressed, for Dask, DuckDB, Polars or R) and as an
uncompressed Arrow IPC file, which the next read memory-maps instead of
decoding, so a reread costs milliseconds whatever the release's size. The
manifest records every file's size, modification time and row count; an
entry whose files were changed, cut short or removed after it was written is
detected, reported with a :class:`CacheWarning` and rebuilt. Entries are
written to a temporary folder and renamed into place, so a crash never leaves
half an entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
import uuid
import warnings
from pathlib import Path

import platformdirs
import pyarrow as pa
import pyarrow.parquet as pq

__all__ = [
    "CacheWarning",
    "cache_root",
    "remembered_digest",
    "file_digest",
    "entry_key",
    "entry_folder",
    "load",
    "store",
    "store_later",
    "wait",
]

#: Bump when the parsed tables change for the same input.
CACHE_FORMAT = 1
_TABLES = ("users", "tweets", "issues")
_pending: dict[Path, threading.Thread] = {}
_pending_lock = threading.Lock()


class CacheWarning(UserWarning):
    """A cache entry was stale or damaged and has been rebuilt."""


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


def _stat_entry(root: Path, path: Path) -> Path:
    name = hashlib.sha1(os.fsencode(path.resolve())).hexdigest()
    return root / "stat" / f"{name}.json"


def _signature(path: Path) -> dict:
    stat = path.stat()
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "ino": stat.st_ino}


def _remembered(root: Path | None, path: Path) -> dict | None:
    if root is None:
        return None
    try:
        return json.loads(_stat_entry(root, path).read_text())
    except (OSError, ValueError):
        return None


def remembered_digest(path: Path, root: Path | None) -> str | None:
    """The SHA-256 remembered for a file whose size, mtime and inode are unchanged, else ``None``."""
    remembered = _remembered(root, path)
    signature = _signature(path)
    if remembered and {k: remembered.get(k) for k in signature} == signature:
        return remembered.get("sha256")
    return None


def file_digest(path: Path, root: Path | None) -> str:
    """SHA-256 of a file, hashed now and remembered under ``root`` by its stat.

    When a digest remembered for the same path differs, the cache entries
    built from the old content are removed with a :class:`CacheWarning`.
    """
    signature = _signature(path)
    remembered = _remembered(root, path)
    with open(path, "rb") as stream:
        digest = hashlib.file_digest(stream, "sha256").hexdigest()
    if root is not None:
        if remembered and remembered.get("sha256") != digest:
            stale = [key for key in remembered.get("keys", []) if (root / "archives" / key).exists()]
            for key in stale:
                shutil.rmtree(root / "archives" / key, ignore_errors=True)
            if stale:
                warnings.warn(
                    f"{path} changed since it was cached; the stale cache entry was removed and "
                    "the release is read again",
                    CacheWarning,
                    stacklevel=4,
                )
        try:
            _write_json(_stat_entry(root, path), {**signature, "sha256": digest, "keys": []})
        except OSError:
            pass  # an unwritable cache folder is reported once, by the entry write
    return digest


def remember_key(root: Path, path: Path, key: str) -> None:
    """Note that cache entry ``key`` was built from ``path`` (to clean it when the file changes)."""
    entry = _stat_entry(root, path)
    try:
        data = json.loads(entry.read_text())
    except (OSError, ValueError):
        return
    if key not in data.get("keys", []):
        data["keys"] = [*data.get("keys", []), key]
        _write_json(entry, data)


def entry_key(files: list[dict], reader_version: str) -> str:
    """The cache key of a release: its files' roles, names inside zips, parts and digests."""
    payload = json.dumps({"format": CACHE_FORMAT, "reader": reader_version, "files": files}, sort_keys=True).encode()
    return hashlib.sha256(payload).hexdigest()[:32]


def _write_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    temporary.write_text(json.dumps(data, sort_keys=True))
    os.replace(temporary, path)


def entry_folder(root: Path, key: str) -> Path:
    """The folder of a cache entry (it may not exist yet)."""
    return root / "archives" / key


def remove(root: Path, key: str) -> None:
    """Delete a cache entry (a damaged one, before it is rebuilt)."""
    shutil.rmtree(entry_folder(root, key), ignore_errors=True)


def _stat(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns]


def load(root: Path, key: str) -> tuple[dict[str, pa.Table], dict] | None:
    """The tables and manifest of a cache entry; ``None`` if there is none.

    The tables are memory-mapped from the entry's Arrow files. Every file of
    the entry must have the size and modification time it was written with.

    Raises
    ------
    CacheCorrupt
        The entry exists but is incomplete or damaged.
    """
    folder = entry_folder(root, key)
    wait(folder)
    if not folder.exists():
        return None
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
        if manifest.get("cache_format") != CACHE_FORMAT:
            raise CacheCorrupt(f"entry written by cache format {manifest.get('cache_format')}")
        for name, written in manifest["stat"].items():
            if _stat(folder / name) != written:
                raise CacheCorrupt(f"{name} was changed after the entry was written")
        tables = {}
        for name in _TABLES:
            with pa.memory_map(str(folder / f"{name}.arrow")) as source:
                tables[name] = pa.ipc.open_file(source).read_all()
            tables[name].validate()
            if tables[name].num_rows != manifest["rows"][name]:
                raise CacheCorrupt(f"{name}.arrow has {tables[name].num_rows} rows, expected {manifest['rows'][name]}")
    except CacheCorrupt:
        raise
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException) as error:
        raise CacheCorrupt(str(error)) from None
    return tables, manifest


def store(root: Path, key: str, tables: dict[str, pa.Table], manifest: dict) -> Path:
    """Write a cache entry atomically (to a temporary folder, then renamed)."""
    archives = root / "archives"
    archives.mkdir(parents=True, exist_ok=True)
    temporary = archives / f".tmp-{key}-{uuid.uuid4().hex}"
    temporary.mkdir()
    stats, rows = {}, {}
    for name in _TABLES:
        with pa.OSFile(str(temporary / f"{name}.arrow"), "wb") as sink:
            with pa.ipc.new_file(sink, tables[name].schema) as writer:
                writer.write_table(tables[name])
        pq.write_table(tables[name], temporary / f"{name}.parquet", compression="zstd")
        rows[name] = tables[name].num_rows
        for suffix in ("arrow", "parquet"):
            stats[f"{name}.{suffix}"] = _stat(temporary / f"{name}.{suffix}")
    _write_json(temporary / "manifest.json", {**manifest, "cache_format": CACHE_FORMAT, "stat": stats, "rows": rows})
    final = entry_folder(root, key)
    if final.exists():
        shutil.rmtree(final, ignore_errors=True)
    os.replace(temporary, final)
    return final


def store_later(root: Path, key: str, tables: dict[str, pa.Table], manifest: dict, *, then=None) -> None:
    """Write a cache entry in a background thread, so the caller has its tables at once.

    The tables are immutable Arrow data shared with the caller, so nothing is
    copied. The thread is not a daemon: the interpreter finishes the write
    before it exits. :func:`load` of the same entry waits for it. A failed
    write loses nothing but the cache entry and is reported as a
    :class:`CacheWarning`.
    """
    folder = entry_folder(root, key)

    def write() -> None:
        try:
            store(root, key, tables, manifest)
            if then is not None:
                then()
        except OSError as error:
            warnings.warn(f"could not write the cache entry {folder}: {error}", CacheWarning, stacklevel=1)
        finally:
            with _pending_lock:
                _pending.pop(folder, None)

    thread = threading.Thread(target=write, name=f"takedown-cache-{key[:8]}")
    with _pending_lock:
        _pending[folder] = thread
    thread.start()


def wait(folder: Path | None = None) -> None:
    """Block until the pending cache write of ``folder`` (or every pending write) has finished.

    Examples
    --------
    >>> from takedown.read import cache
    >>> cache.wait()  # returns at once when nothing is being written
    """
    with _pending_lock:
        threads = [t for f, t in _pending.items() if folder is None or f == folder]
    for thread in threads:
        thread.join()
