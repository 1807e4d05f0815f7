"""Every file under a source, through folders, symlinks, zips, tars and gzip, as re-openable entries.

Containers are streamed, never extracted: a member's name is only matched
and shown, never used as a path on disk. A zip inside a zip, a tar inside a
zip or a ``.csv.gz`` inside a tar is opened through its parent's stream.
Folders reached through symbolic links are followed; a link back to a folder
already on the way down is a loop, and is listed as skipped rather than
walked again.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

__all__ = ["HEAD_BYTES", "ContainerError", "Entry", "Walked", "walk"]

#: How much of a file is read to recognise it: a header line longer than this is not a header.
HEAD_BYTES = 1 << 20

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_GZIP_MAGIC = b"\x1f\x8b"
_MEDIA = {
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tif", ".tiff", ".heic", ".svg", ".ico",
    ".mp4", ".mov", ".m4v", ".avi", ".mkv", ".webm", ".wmv", ".flv", ".3gp",
    ".mp3", ".m4a", ".wav", ".ogg", ".aac", ".flac",
}  # fmt: skip
_DOCUMENTS = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".rtf", ".html", ".htm"}
_DATA = {".parquet", ".feather", ".arrow", ".sqlite", ".db", ".pkl", ".pickle", ".h5", ".npy", ".npz"}
_COMPRESSED = {".bz2", ".xz", ".7z", ".rar", ".zst", ".lz4"}


class ContainerError(ValueError):
    """A container that cannot be opened (damaged, encrypted, unsupported)."""


@dataclass(frozen=True)
class Entry:
    """One file under a source: on disk, or a member of containers nested inside a file on disk.

    Attributes
    ----------
    path : pathlib.Path
        The file on disk.
    chain : tuple of (str, str)
        How to reach the entry from ``path``: ``("zip", member)``,
        ``("tar", member)`` or ``("gz", name)`` for each container level,
        outermost first; empty for a plain file.
    size : int or None
        Uncompressed size in bytes, when the container says it.
    """

    path: Path
    chain: tuple[tuple[str, str], ...] = ()
    size: int | None = None

    @property
    def display(self) -> str:
        """How errors and provenance name it: the path, then ``!member`` per container level."""
        return str(self.path) + "".join(f"!{member}" for kind, member in self.chain if kind != "gz")

    @property
    def name(self) -> str:
        """The entry's own file name (a member's without its folders; a gzip's without ``.gz``)."""
        if not self.chain:
            return self.path.name
        return self.chain[-1][1].replace("\\", "/").rsplit("/", 1)[-1]

    @property
    def names(self) -> tuple[str, ...]:
        """Its own name and those of the containers around it, innermost first."""
        outer = [self.path.name] + [member.replace("\\", "/").rsplit("/", 1)[-1] for _, member in self.chain[:-1]]
        return (self.name, *reversed(outer)) if self.chain else (self.name,)

    @property
    def depth(self) -> int:
        """Container levels around it (0 for a plain file)."""
        return len(self.chain)

    def open(self) -> BinaryIO:
        """A binary stream of the entry's bytes, decompressed as read."""
        stack = contextlib.ExitStack()
        try:
            stream: BinaryIO | None = None
            for level, (kind, member) in enumerate(self.chain):
                where = Entry(self.path, self.chain[: level + 1]).display
                stream = stack.enter_context(_open_member(self.path if stream is None else stream, kind, member, where))
            if stream is None:
                stream = stack.enter_context(open(self.path, "rb"))  # noqa: SIM115 - the stack closes it
            return _Closing(stream, stack, self.display, self.chain[-1][0] if self.chain else None)
        except BaseException:
            stack.close()
            raise

    def head(self, limit: int = HEAD_BYTES) -> bytes:
        """The entry's first ``limit`` bytes (fewer if it is shorter)."""
        with self.open() as stream:
            return read_up_to(stream, limit)


def read_up_to(stream: BinaryIO, limit: int) -> bytes:
    """Read until ``limit`` bytes or the end, whichever comes first (a stream may return less per call)."""
    parts, got = [], 0
    while got < limit:
        block = stream.read(limit - got)
        if not block:
            break
        parts.append(block)
        got += len(block)
    return b"".join(parts)


@contextlib.contextmanager
def _open_member(parent, kind: str, member: str, where: str) -> Iterator[BinaryIO]:
    try:
        if kind == "zip":
            with zipfile.ZipFile(parent) as archive:
                try:
                    info = archive.getinfo(member)
                except KeyError:
                    raise ContainerError(f"{where}: no such member in the zip") from None
                if info.flag_bits & 0x1:
                    raise ContainerError(
                        f"{where}: the zip member is encrypted (password-protected); extract it with its password first"
                    )
                with archive.open(info) as stream:
                    yield stream
        elif kind == "tar":
            # Stream mode reads a tar (or tar.gz) front to back, without seeking: it works through any stream.
            source = {"name": parent} if isinstance(parent, Path) else {"fileobj": parent}
            with tarfile.open(mode="r|*", **source) as archive:
                stream = next((archive.extractfile(m) for m in archive if m.name == member and m.isfile()), None)
                if stream is None:
                    raise ContainerError(f"{where}: no such file in the tar")
                with stream:
                    yield stream
        elif kind == "gz":
            with (
                gzip.GzipFile(filename=parent) if isinstance(parent, Path) else gzip.GzipFile(fileobj=parent) as stream
            ):
                yield stream
        else:  # pragma: no cover - the kinds are ours
            raise ValueError(f"unknown container kind {kind!r}")
    except ContainerError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, gzip.BadGzipFile, tarfile.TarError) as error:
        raise ContainerError(f"{where}: the {_KIND_NAMES[kind]} is truncated or corrupt: {error}") from None
    except NotImplementedError as error:
        raise ContainerError(
            f"{where}: the {_KIND_NAMES[kind]} uses a compression Python cannot read: {error}"
        ) from None
    except RuntimeError as error:  # zipfile's "password required" for members not flagged as encrypted
        raise ContainerError(f"{where}: the {_KIND_NAMES[kind]} cannot be opened: {error}") from None


_KIND_NAMES = {"zip": "zip archive", "tar": "tar archive", "gz": "gzip file"}


class _Closing(io.RawIOBase):
    """A stream that closes every container it was opened through."""

    def __init__(self, stream: BinaryIO, stack: contextlib.ExitStack, display: str, kind: str | None):
        self._stream, self._stack = stream, stack
        self._display, self._kind = display, kind

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        try:
            return self._stream.read(size)
        except (zipfile.BadZipFile, zlib.error, EOFError, gzip.BadGzipFile, tarfile.TarError) as error:
            what = _KIND_NAMES.get(self._kind, "file")
            raise ContainerError(f"{self._display}: the {what} is truncated or corrupt: {error}") from None

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    # A zip inside a zip is opened through its parent's member, which must seek.
    def seekable(self) -> bool:
        return self._stream.seekable()

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._stream.seek(offset, whence)

    def tell(self) -> int:
        return self._stream.tell()

    def close(self) -> None:
        if not self.closed:
            self._stack.close()
        super().close()


@dataclass(frozen=True)
class Walked:
    """What walking a source found: entries to look at, and files skipped on the way."""

    entries: list[Entry]
    skipped: list[tuple[str, str, int | None]]  # (file, reason, bytes)


def _suffix(name: str) -> str:
    lowered = name.lower()
    for compound in (".tar.gz", ".tar.bz2", ".tar.xz"):
        if lowered.endswith(compound):
            return compound
    return os.path.splitext(lowered)[1]


def _skip_by_name(name: str) -> str | None:
    """The reason a file is not even opened, from its name alone."""
    suffix = _suffix(name)
    if name.startswith("._") or name == ".DS_Store":
        return "macOS metadata, not data"
    if suffix in _MEDIA:
        return "not a CSV: a media file"
    if suffix in _DOCUMENTS:
        return f"not a CSV: a {suffix[1:]} document"
    if suffix in _DATA:
        return f"not a CSV: a {suffix[1:]} file (takedown reads the released CSVs)"
    if suffix in _COMPRESSED or suffix in (".tar.bz2", ".tar.xz"):
        return f"compressed as {suffix}, which takedown does not open (zip, tar, tar.gz and gz are read)"
    return None


def _is_tar(head: bytes) -> bool:
    return len(head) >= 262 and head[257:262] == b"ustar"


def _walk_entry(entry: Entry, found: Walked, depth: int) -> None:
    """Classify one entry: a container to open (recursively) or a candidate file."""
    reason = _skip_by_name(entry.name)
    if reason is not None:
        found.skipped.append((entry.display, reason, entry.size))
        return
    if depth > 8:
        found.skipped.append((entry.display, "containers nested more than 8 deep", entry.size))
        return
    head = entry.head(512)
    if head.startswith(_ZIP_MAGIC):
        _walk_zip(entry, found, depth)
    elif head.startswith(_GZIP_MAGIC):
        inner_name = entry.name[:-3] if entry.name.lower().endswith(".gz") else entry.name
        if entry.name.lower().endswith(".tgz"):
            inner_name = entry.name[:-4] + ".tar"
        inner = Entry(entry.path, (*entry.chain, ("gz", inner_name)))
        if _is_tar(inner.head(512)) or inner_name.lower().endswith(".tar"):
            _walk_tar(inner, found, depth)
        else:
            found.entries.append(inner)
    elif _is_tar(head):
        _walk_tar(entry, found, depth)
    else:
        found.entries.append(entry)


def _members_of(entry: Entry, kind: str) -> list[tuple[str, int, bool]]:
    """(name, size, is_file) of a zip's or a tar's members."""
    with entry.open() if entry.chain else open(entry.path, "rb") as stream:
        if kind == "zip":
            try:
                with zipfile.ZipFile(stream) as archive:
                    return [(i.filename, i.file_size, not i.is_dir()) for i in archive.infolist()]
            except zipfile.BadZipFile as error:
                raise ContainerError(
                    f"{entry.display}: not a readable zip archive (truncated or corrupt?): {error}"
                ) from None
        try:
            with tarfile.open(fileobj=stream, mode="r|*") as archive:
                return [(m.name, m.size, m.isfile()) for m in archive]
        except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
            raise ContainerError(
                f"{entry.display}: not a readable tar archive (truncated or corrupt?): {error}"
            ) from None


def _walk_members(entry: Entry, kind: str, found: Walked, depth: int) -> None:
    members = [(name, size) for name, size, is_file in _members_of(entry, kind) if is_file]
    readable = []
    for name, size in members:
        member = Entry(entry.path, (*entry.chain, (kind, name)), size)
        base = member.name
        if name.replace("\\", "/").startswith("__MACOSX/") or base.startswith("._"):
            found.skipped.append((member.display, "macOS metadata, not data", size))
        else:
            readable.append(member)
    media = [m for m in readable if _suffix(m.name) in _MEDIA]
    if readable and len(media) == len(readable):
        total = sum(m.size or 0 for m in media)
        found.skipped.append((entry.display, f"a media {kind} ({len(media):,} media files, no CSV)", total))
        return
    for member in readable:
        _walk_entry(member, found, depth + 1)


def _walk_zip(entry: Entry, found: Walked, depth: int) -> None:
    _walk_members(entry, "zip", found, depth)


def _walk_tar(entry: Entry, found: Walked, depth: int) -> None:
    _walk_members(entry, "tar", found, depth)


def _walk_folder(folder: Path, found: Walked, on_the_way: tuple[tuple[int, int], ...]) -> None:
    """A folder, recursively, following symbolic links; a link back up the way is a loop."""
    here = folder.stat()
    key = (here.st_dev, here.st_ino)
    if key in on_the_way:
        found.skipped.append(
            (str(folder), "a symbolic link back to a folder above it (a loop): not walked again", None)
        )
        return
    try:
        children = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as error:
        found.skipped.append((str(folder), f"cannot be listed: {error.strerror}", None))
        return
    for child in children:
        path = Path(child.path)
        try:
            is_dir = child.is_dir(follow_symlinks=True)
            is_file = child.is_file(follow_symlinks=True)
        except OSError:
            is_dir = is_file = False
        if is_dir:
            _walk_folder(path, found, (*on_the_way, key))
        elif is_file:
            _walk_entry(Entry(path, (), path.stat().st_size), found, 0)
        elif child.is_symlink():
            found.skipped.append((str(path), "a broken symbolic link", None))
        else:
            found.skipped.append((str(path), "not a regular file", None))


def walk(path: Path) -> Walked:
    """Every entry under a path (a folder, a container or a file), and what was skipped on the way.

    Raises
    ------
    ContainerError
        A container is damaged or encrypted (the message names it).
    """
    found = Walked(entries=[], skipped=[])
    if path.is_dir():
        _walk_folder(path, found, ())
    else:
        _walk_entry(Entry(path, (), path.stat().st_size), found, 0)
    return found
