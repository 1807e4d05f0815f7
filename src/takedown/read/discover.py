"""Find the users and tweets files of a release: folders, zips, globs, parts.

Twitter's file names follow ``<campaign>_<users|tweets>_csv_<hashed|unhashed>``
with an optional part suffix (``_1``, ``_part1``, ``_01``, ``_a``, ``_2020``,
``_alt``) and ``.csv`` or ``.zip``; downloads often carry a prefix such as
``hashed_2020_09_thailand_092020_``. Zip members are listed and later streamed:
their names are only matched, never used as paths on disk.
"""

from __future__ import annotations

import csv
import glob
import io
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterable

import pandas as pd

__all__ = ["SourceFile", "Release", "collect", "find_archives"]

_NAME = re.compile(
    r"^(?P<stem>.+?)_(?P<role>users|tweets)_csv_(?P<hashing>hashed|unhashed)"
    r"(?:_(?P<part>[A-Za-z0-9]+))?\.(?:csv|zip|csv\.zip)$",
    re.IGNORECASE,
)
_DOWNLOAD_PREFIX = re.compile(r"^(?:un)?hashed_\d{4}_\d{2}_", re.IGNORECASE)
_GLOB_CHARS = re.compile(r"[*?\[]")


@dataclass(frozen=True)
class SourceFile:
    """One CSV of a release, on disk or inside a zip.

    Attributes
    ----------
    path : pathlib.Path
        The file on disk: the CSV itself, or the zip that holds it.
    member : str or None
        The member's name inside the zip, or ``None`` for a plain CSV.
    role : {"users", "tweets"}
    campaign : str or None
        The campaign name from the file name (``None`` when the name does not
        follow Twitter's pattern).
    hashing : {"hashed", "unhashed"} or None
    part : str or None
        The multi-part suffix (``"1"``, ``"part2"``, ``"a"``, ``"2021"``...).
    """

    path: Path
    member: str | None
    role: str
    campaign: str | None
    hashing: str | None
    part: str | None

    @property
    def display(self) -> str:
        """How errors and provenance name this file."""
        return f"{self.path}!{self.member}" if self.member else str(self.path)

    def open(self) -> BinaryIO:
        """A binary stream of the CSV's bytes (a zip member is decompressed as read)."""
        if self.member is None:
            return open(self.path, "rb")
        archive = zipfile.ZipFile(self.path)
        try:
            stream = archive.open(self.member)
        except BaseException:
            archive.close()
            raise
        return _ClosingMember(stream, archive)

    @property
    def csv_name(self) -> str:
        """The CSV's own file name (a zip member's without its folders)."""
        return self.member.replace("\\", "/").rsplit("/", 1)[-1] if self.member else self.path.name

    @property
    def size(self) -> int:
        """Uncompressed size in bytes."""
        if self.member is None:
            return self.path.stat().st_size
        with zipfile.ZipFile(self.path) as archive:
            return archive.getinfo(self.member).file_size


class _ClosingMember(io.RawIOBase):
    """A zip member stream that also closes its zip file."""

    def __init__(self, stream: BinaryIO, archive: zipfile.ZipFile):
        self._stream, self._archive = stream, archive

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        return self._stream.read(size)

    def readinto(self, buffer) -> int:
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._stream.close()
            self._archive.close()
        super().close()


@dataclass(frozen=True)
class Release:
    """The files of one campaign, as found on disk."""

    campaign: str | None
    users: tuple[SourceFile, ...]
    tweets: tuple[SourceFile, ...]
    skipped: tuple[str, ...] = ()

    @property
    def files(self) -> tuple[SourceFile, ...]:
        return self.users + self.tweets


def _campaign(stem: str) -> str:
    """The campaign name from a file-name stem, without a download prefix.

    A download prefix repeats the campaign (``hashed_2020_09_thailand_092020_``
    then ``thailand_092020``), so the stem is then the campaign twice.
    """
    rest = _DOWNLOAD_PREFIX.sub("", stem)
    if rest == stem:
        return stem
    half, extra = divmod(len(rest) - 1, 2)
    if not extra and rest[half] == "_" and rest[:half] == rest[half + 1 :]:
        return rest[:half]
    return rest


def _match(name: str) -> dict | None:
    found = _NAME.match(name)
    if found is None:
        return None
    return {
        "role": found["role"].lower(),
        "campaign": _campaign(found["stem"]),
        "hashing": found["hashing"].lower(),
        "part": found["part"],
    }


def _sniff_role(path: Path) -> str:
    """Tell a users file from a tweets file by its header."""
    with open(path, "rb") as stream:
        first = stream.read(1 << 16)
    if not first:
        raise ValueError(f"{path}: the file is empty (0 bytes); expected a CSV header line")
    text = first.decode("utf-8-sig", errors="replace").splitlines()[0]
    header = next(csv.reader([text]))
    if "tweetid" in header:
        return "tweets"
    if "userid" in header:
        return "users"
    raise ValueError(
        f"{path}, line 1: not a takedown users or tweets file: "
        f"the header has neither 'tweetid' nor 'userid' (found {header[:5]}...)"
    )


def _zip_members(path: Path) -> list[SourceFile]:
    try:
        with zipfile.ZipFile(path) as archive:
            names = [info.filename for info in archive.infolist() if not info.is_dir()]
    except zipfile.BadZipFile as error:
        raise ValueError(f"{path}: not a readable zip archive (truncated or corrupt?): {error}") from None
    found = []
    for member in names:
        basename = member.replace("\\", "/").rsplit("/", 1)[-1]
        if member.startswith("__MACOSX/") or basename.startswith("._"):
            continue
        info = _match(basename)
        if info is not None and basename.lower().endswith(".csv"):
            found.append(SourceFile(path=path, member=member, **info))
    return found


def _files_at(path: Path, *, explicit: bool) -> list[SourceFile]:
    """Source files at one path: a folder (searched recursively), a zip or a CSV."""
    if path.is_dir():
        found = []
        for root, dirs, names in os.walk(path):
            dirs.sort()
            for name in sorted(names):
                if _match(name) is not None or name.lower().endswith(".zip"):
                    found.extend(_files_at(Path(root) / name, explicit=False))
        return found
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file or folder")
    if path.suffix.lower() == ".zip":
        members = _zip_members(path)
        if not members and explicit:
            raise ValueError(f"{path}: the zip holds no users or tweets CSV (looked for *_users_csv_hashed.csv ...)")
        return members
    info = _match(path.name)
    if info is None:
        if not explicit:
            return []
        info = {"role": _sniff_role(path), "campaign": None, "hashing": None, "part": None}
    return [SourceFile(path=path, member=None, **info)]


def _expand(source) -> list[tuple[Path, bool]]:
    """Paths named by a source, each flagged as named explicitly or not."""
    if isinstance(source, (list, tuple)):
        if not source:
            raise ValueError("source: the list of paths is empty")
        return [item for each in source for item in _expand(each)]
    if not isinstance(source, (str, os.PathLike)):
        raise TypeError(f"source: expected a path, a glob or a list of paths, got {type(source).__name__}")
    text = os.fspath(source)
    if not os.path.exists(text) and _GLOB_CHARS.search(text):
        matches = sorted(glob.glob(text, recursive=True))
        if not matches:
            raise FileNotFoundError(f"{text}: the glob matches no file")
        return [(Path(match), False) for match in matches]
    return [(Path(text), True)]


def _part_key(file: SourceFile) -> tuple:
    """Order parts naturally: no suffix first, then numbers and letters, ``alt`` last."""
    part = (file.part or "").lower()
    digits = re.sub(r"\D", "", part)
    return (
        part == "alt",
        part != "",
        int(digits) if digits else -1,
        part,
        file.display,
    )


def _releases(files: Iterable[SourceFile]) -> list[Release]:
    by_campaign: dict[str | None, list[SourceFile]] = {}
    for file in files:
        by_campaign.setdefault(file.campaign, []).append(file)
    releases = []
    for campaign, group in by_campaign.items():
        chosen: dict[tuple, SourceFile] = {}
        skipped = []
        # A CSV extracted next to its zip, or a second copy of it, has the
        # same name: read it once, preferring a plain CSV (no decompression).
        for file in sorted(group, key=lambda f: (f.member is not None, f.display)):
            key = (file.role, file.csv_name.lower())
            if key in chosen:
                skipped.append(f"{file.display}: same file as {chosen[key].display}; read once")
                continue
            chosen[key] = file
        hashings = {f.hashing for f in chosen.values() if f.hashing}
        if len(hashings) > 1:
            raise ValueError(
                f"release {campaign!r}: both hashed and unhashed files were found; pass the files of one of them"
            )
        users = tuple(sorted((f for f in chosen.values() if f.role == "users"), key=_part_key))
        tweets = tuple(sorted((f for f in chosen.values() if f.role == "tweets"), key=_part_key))
        releases.append(Release(campaign=campaign, users=users, tweets=tweets, skipped=tuple(skipped)))
    return sorted(releases, key=lambda r: r.campaign or "")


def collect(source) -> Release:
    """The one release a source names.

    Parameters
    ----------
    source : str, os.PathLike or list of them
        A folder (searched recursively), a ``.zip``, a CSV, a glob, or a list
        of any of these.

    Returns
    -------
    Release

    Raises
    ------
    FileNotFoundError
        A path does not exist or a glob matches nothing.
    ValueError
        No users or tweets file was found, or the files belong to several
        campaigns (the message lists them).
    """
    files = [f for path, explicit in _expand(source) for f in _files_at(path, explicit=explicit)]
    releases = _releases(files)
    if not releases:
        raise ValueError(
            f"{os.fspath(source) if not isinstance(source, (list, tuple)) else source}: "
            "no takedown users or tweets file found "
            "(expected names like <campaign>_tweets_csv_hashed.csv or .zip)"
        )
    named = [r for r in releases if r.campaign is not None]
    if len(named) > 1:
        listing = "; ".join(
            f"{r.campaign} ({len(r.users)} users file(s), {len(r.tweets)} tweets file(s))" for r in named
        )
        raise ValueError(
            f"{source}: several releases found: {listing}. Pass the folder or files of one release; "
            "takedown.find_archives(folder) lists them."
        )
    if len(releases) > 1:
        # Files with non-standard names join the one named campaign.
        merged = [f for r in releases for f in r.files]
        return _releases([SourceFile(f.path, f.member, f.role, named[0].campaign, f.hashing, f.part) for f in merged])[
            0
        ]
    return releases[0]


def find_archives(folder) -> pd.DataFrame:
    """List the releases found under a folder or in a zip.

    Parameters
    ----------
    folder : str or os.PathLike
        A folder, searched recursively and inside its zips, or a zip.

    Returns
    -------
    pandas.DataFrame
        One row per release, with columns ``campaign``, ``hashing``,
        ``users_files``, ``tweets_files`` (counts of parts) and ``paths``
        (the files, as a list).

    Examples
    --------
    >>> import takedown as td
    >>> td.find_archives(td.datasets.sample_path())[["campaign", "users_files", "tweets_files"]]
               campaign  users_files  tweets_files
    0  synthetic_sample            1             1
    """
    path = Path(folder)
    if not path.is_dir() and path.suffix.lower() != ".zip":
        raise NotADirectoryError(f"{path}: not a folder or a zip")
    rows = []
    for release in _releases(_files_at(path, explicit=False)):
        hashing = sorted({f.hashing for f in release.files if f.hashing})
        rows.append(
            {
                "campaign": release.campaign,
                "hashing": "/".join(hashing),
                "users_files": len(release.users),
                "tweets_files": len(release.tweets),
                "paths": [f.display for f in release.files],
            }
        )
    return pd.DataFrame(rows, columns=["campaign", "hashing", "users_files", "tweets_files", "paths"])
