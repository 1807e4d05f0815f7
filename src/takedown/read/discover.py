"""Find the files of a release: every file under the source read or listed as skipped, by content.

Twitter's file names follow ``<campaign>_<users|tweets>_csv_<hashed|unhashed>``
with an optional part suffix (``_1``, ``_part1``, ``_01``, ``_a``, ``_2020``,
``_alt``); downloads often carry a prefix such as
``hashed_2020_09_thailand_092020_``, and browsers add `` (1)`` to a file saved
twice. A file whose name says nothing (``tweets.csv`` in a zip, a
re-export) is recognised by its header; other public data sets
(FiveThirtyEight, NBC, Reddit, API collections) too.

Files are compared by content, never by name: files with the same bytes are
read once and the copies listed as skipped. Two files with the same name
and different bytes are different files; when they also share ids they are
two versions of one file (a cut extract beside its zip, say), and the read
stops with an error naming both, because which one is right cannot be
known (see :func:`check_versions`).
"""

from __future__ import annotations

import csv
import glob
import hashlib
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from takedown.archive import SkippedFile
from takedown.read.containers import HEAD_BYTES, Entry, read_up_to, walk

if TYPE_CHECKING:
    import pandas

__all__ = ["Release", "SourceFile", "collect", "find_archives", "identical_groups"]

_NAME = re.compile(
    r"^(?P<stem>.+?)_(?P<role>users|tweets)_csv_(?P<hashing>hashed|unhashed)"
    r"(?:_(?P<part>[A-Za-z0-9]+))?(?P<copy>\s*\(\d+\)|\s*-\s*copy|_copy)?"
    r"\.(?:csv|zip|csv\.zip|csv\.gz|gz|tar|tar\.gz|tgz)$",
    re.IGNORECASE,
)
_DOWNLOAD_PREFIX = re.compile(r"^(?:un)?hashed_\d{4}_\d{2}_", re.IGNORECASE)
_GLOB_CHARS = re.compile(r"[*?\[]")
_COPY_MARK = re.compile(r"(\s*\(\d+\)|\s*-\s*copy|_copy)$", re.IGNORECASE)
# A part of a release file: Twitter's header or one of the other data sets'.
TWITTER_ROLES = ("users", "tweets")


@dataclass(frozen=True)
class SourceFile:
    """One data file of a release, on disk or inside containers.

    Attributes
    ----------
    entry : Entry
        Where its bytes are.
    role : str
        ``"users"`` or ``"tweets"`` (Twitter's files), or what a file of
        another data set holds.
    family : str
        ``"twitter"`` for Twitter's release files, else the data set
        (``"fivethirtyeight"``, ``"nbc"``, ``"reddit"``, ``"twarc2"``, ``"twitter_v1"``).
    campaign, hashing, part : str or None
        From Twitter's file name (the file's own, or its container's).
    copy : bool
        The name carries a browser's copy mark (`` (1)``).
    header : tuple of str
        The CSV header (empty for JSON lines and headerless files).
    """

    entry: Entry
    role: str
    family: str = "twitter"
    campaign: str | None = None
    hashing: str | None = None
    part: str | None = None
    copy: bool = False
    named: bool = False
    header: tuple[str, ...] = ()
    detected: object = None

    @property
    def display(self) -> str:
        return self.entry.display

    @property
    def path(self) -> Path:
        return self.entry.path

    @property
    def name(self) -> str:
        return self.entry.name

    @property
    def member(self) -> str | None:
        return self.entry.chain[-1][1] if self.entry.chain else None

    def open(self) -> BinaryIO:
        return self.entry.open()

    @property
    def identity(self) -> tuple:
        """What the file *is called*: (campaign, role, part) when its names say, else its own name.

        Two files with one identity are, by name, the same file; whether they
        are is decided by their bytes.
        """
        if self.campaign is not None:
            return ("release", self.campaign.lower(), self.role, (self.part or "").lower())
        stem = _COPY_MARK.sub("", re.sub(r"(\.csv)?(\.gz|\.zip)?$", "", self.name.lower()))
        return ("name", stem)


@dataclass(frozen=True)
class Release:
    """The files of one release (or one data set), as found under a source."""

    campaign: str | None
    users: tuple[SourceFile, ...]
    tweets: tuple[SourceFile, ...]
    skipped: tuple[SkippedFile, ...] = ()
    others: tuple[SourceFile, ...] = ()
    family: str = "twitter"
    notes: tuple[str, ...] = field(default=())

    @property
    def files(self) -> tuple[SourceFile, ...]:
        return self.users + self.tweets + self.others


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
        "copy": bool(found["copy"]),
    }


def _header_line(head: bytes, display: str, *, named: bool) -> tuple[tuple[str, ...] | None, str | None]:
    """The header of a CSV from its first bytes, or why there is none.

    Raises for problems in a file whose name says it is a release file
    (``named``): an empty file, CR-only line endings, a header that is not
    UTF-8 or names a column twice.
    """

    def refuse(message: str):
        if named:
            raise ValueError(f"{display}{message}")
        return None, message.split(": ", 1)[-1] if message.startswith(", line 1: ") else message.lstrip(": ")

    if not head:
        return refuse(": the file is empty (0 bytes); expected a CSV header line")
    end = head.find(b"\n")
    if end < 0:
        if b"\r" in head:
            return refuse(
                ", line 1: the file has CR-only line endings (an old Mac export); "
                "convert them to LF or CRLF (e.g. with `tr '\\r' '\\n'`) and read it again"
            )
        if len(head) >= HEAD_BYTES:
            return refuse(f": no recognised header: no line break in the first {HEAD_BYTES:,} bytes")
        end = len(head)
    line = head[:end].rstrip(b"\r")
    try:
        text = line.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return refuse(f", line 1: the header is not UTF-8 (byte {line[error.start]:#04x} at position {error.start})")
    header = tuple(next(csv.reader([text]), []))
    seen = set()
    for name in header:
        if name in seen:
            return refuse(f", line 1: the header names column {name!r} twice")
        seen.add(name)
    return header, None


def _twitter_role(header: tuple[str, ...]) -> str | None:
    if "tweetid" in header:
        return "tweets"
    if "userid" in header and ("follower_count" in header or "user_screen_name" in header or len(header) <= 12):
        return "users"
    return None


def _classify(entry: Entry, named_by: dict | None) -> SourceFile | str:
    """A data file, or the reason the entry is not one."""
    head = entry.head()
    header, problem = _header_line(head, entry.display, named=named_by is not None and named_by["from_own_name"])
    if named_by is not None and named_by["from_own_name"]:
        info = {k: named_by[k] for k in ("role", "campaign", "hashing", "part", "copy")}
        return SourceFile(entry=entry, header=header, named=True, **info)
    role = _twitter_role(header) if header else None
    if role is not None:
        info = {k: named_by[k] for k in ("campaign", "hashing", "part", "copy")} if named_by else {}
        if named_by is not None and named_by["role"] != role:
            info = {}  # the container's name speaks of another file
        return SourceFile(entry=entry, role=role, header=header, **info)
    if problem is not None and header is None:
        return problem
    from takedown.read import formats

    detected = formats.detect(entry.name, head)
    if detected is not None:
        return SourceFile(
            entry=entry, role=detected.role, family=detected.family, header=header or (), detected=detected
        )
    if problem:
        return problem
    if not head.strip():
        return "an empty file"
    shown = ", ".join(header[:4]) + (", ..." if len(header) > 4 else "")
    return f"no recognised header (it starts: {shown})"


def _named(entry: Entry) -> dict | None:
    """What Twitter's naming says of an entry: from its own name, else from a container's."""
    for depth, name in enumerate(entry.names):
        info = _match(name)
        if info is not None:
            return {**info, "from_own_name": depth == 0}
    return None


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
    path = Path(text)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file or folder")
    return [(path, True)]


def _part_key(file: SourceFile) -> tuple:
    """Order parts naturally: no suffix first, then numbers and letters, ``alt`` last."""
    part = (file.part or "").lower()
    digits = re.sub(r"\D", "", part)
    return (part == "alt", part != "", int(digits) if digits else -1, part, file.display)


def _preference(file: SourceFile) -> tuple:
    """Which of several identical files to read: one Twitter's naming names, then the shallowest, then by name."""
    return (not file.named, file.copy, file.entry.depth, file.display)


def _digest(entry: Entry, limit: int | None = None) -> str:
    digest = hashlib.sha256()
    with entry.open() as stream:
        remaining = limit
        while remaining is None or remaining > 0:
            block = stream.read(1 << 22 if remaining is None else min(1 << 22, remaining))
            if not block:
                break
            digest.update(block)
            if remaining is not None:
                remaining -= len(block)
    return digest.hexdigest()


def identical_groups(files: list[SourceFile]) -> tuple[list[SourceFile], list[SkippedFile]]:
    """Files with the same bytes read once: the kept files, and the copies as skipped.

    Only files of equal (known) size can be equal, so only those are hashed.
    Files of unknown size (inside gzip) are compared after parsing, by the
    digest taken while they are read.
    """
    by_size: dict[int, list[SourceFile]] = {}
    for file in files:
        if file.entry.size is not None:
            by_size.setdefault(file.entry.size, []).append(file)
    copies: dict[str, SourceFile] = {}
    for group in by_size.values():
        if len(group) < 2:
            continue
        by_digest: dict[str, list[SourceFile]] = {}
        for file in group:
            by_digest.setdefault(_digest(file.entry), []).append(file)
        for same in by_digest.values():
            kept, *others = sorted(same, key=_preference)
            for other in others:
                copies[other.display] = kept
    kept = [f for f in files if f.display not in copies]
    skipped = [
        SkippedFile(f.display, f"the same bytes as {copies[f.display].display}: read once", f.entry.size)
        for f in files
        if f.display in copies
    ]
    return kept, skipped


def check_truncated_copies(files: list[SourceFile]) -> None:
    """Stop when one file is a cut copy of another of the same name (a failed unzip, a broken download).

    Raises
    ------
    ValueError
        Naming both files: which one to read cannot be guessed.
    """
    by_identity: dict[tuple, list[SourceFile]] = {}
    for file in files:
        by_identity.setdefault(file.identity, []).append(file)
    for group in by_identity.values():
        sized = sorted((f for f in group if f.entry.size is not None), key=lambda f: f.entry.size)
        for i, small in enumerate(sized):
            for large in sized[i + 1 :]:
                if small.entry.size == large.entry.size:
                    continue
                first = min(small.entry.size, 1 << 16)
                if small.entry.head(first) != large.entry.head(first):
                    continue
                if _digest(small.entry) == _digest(large.entry, limit=small.entry.size):
                    raise ValueError(
                        f"{small.display} is a cut copy of {large.display}: its {small.entry.size:,} bytes are "
                        f"the first {small.entry.size:,} of {large.entry.size:,} (a failed unzip or download?); "
                        f"these are two versions of one file: remove the cut copy, or pass {large.display} alone"
                    )


def _releases(files: list[SourceFile]) -> list[Release]:
    twitter = [f for f in files if f.family == "twitter"]
    others = [f for f in files if f.family != "twitter"]
    by_campaign: dict[str | None, list[SourceFile]] = {}
    for file in twitter:
        by_campaign.setdefault(file.campaign, []).append(file)
    releases = []
    for campaign, group in by_campaign.items():
        hashings = {f.hashing for f in group if f.hashing}
        if len(hashings) > 1:
            raise ValueError(
                f"release {campaign!r}: both hashed and unhashed files were found; pass the files of one of them"
            )
        users = tuple(sorted((f for f in group if f.role == "users"), key=_part_key))
        tweets = tuple(sorted((f for f in group if f.role == "tweets"), key=_part_key))
        releases.append(Release(campaign=campaign, users=users, tweets=tweets))
    by_family: dict[str, list[SourceFile]] = {}
    for file in others:
        by_family.setdefault(file.family, []).append(file)
    for family, group in by_family.items():
        ordered = tuple(sorted(group, key=lambda f: (f.role, f.display)))
        releases.append(Release(campaign=None, users=(), tweets=(), others=ordered, family=family))
    return sorted(releases, key=lambda r: (r.family != "twitter", r.campaign or "", r.family))


def _found(source) -> tuple[list[SourceFile], list[SkippedFile]]:
    """Every data file under a source, and everything else with the reason it is skipped."""
    files: list[SourceFile] = []
    skipped: list[SkippedFile] = []
    for path, explicit in _expand(source):
        walked = walk(path)
        skipped.extend(SkippedFile(*item) for item in walked.skipped)
        for entry in walked.entries:
            result = _classify(entry, _named(entry))
            if isinstance(result, SourceFile):
                files.append(result)
            elif explicit and not path.is_dir() and not entry.chain:
                raise ValueError(
                    f"{entry.display}, line 1: not a takedown users or tweets file, nor another data set "
                    f"takedown reads: {result}"
                )
            else:
                skipped.append(SkippedFile(entry.display, result, entry.size))
    seen: dict[str, SourceFile] = {}
    for file in files:  # the same path named twice (a folder and a file in it)
        seen.setdefault(file.display, file)
    return list(seen.values()), skipped


def collect(source) -> Release:
    """The one release (or data set) a source names, with every other file found listed as skipped.

    Parameters
    ----------
    source : str, os.PathLike or list of them
        A folder (searched recursively, through symbolic links), a zip, tar,
        tar.gz or gz file, a CSV, a glob, or a list of any of these.

    Returns
    -------
    Release

    Raises
    ------
    FileNotFoundError
        A path does not exist or a glob matches nothing.
    ValueError
        No data file was found; the files belong to several releases or data
        sets (the message lists them); a container is damaged or encrypted;
        one file is a cut copy of another of the same name.
    """
    files, skipped = _found(source)
    releases = _releases(files)
    described = os.fspath(source) if not isinstance(source, (list, tuple)) else repr([os.fspath(s) for s in source])
    if not releases:
        reasons = "; ".join(f"{s.file}: {s.reason}" for s in skipped[:5])
        raise ValueError(
            f"{described}: no takedown users or tweets file found "
            "(expected names like <campaign>_tweets_csv_hashed.csv or .zip, or a recognised header)"
            + (f"; skipped {reasons}" if reasons else "")
        )
    named = [r for r in releases if r.campaign is not None or r.family != "twitter"]
    if len(named) > 1:
        listing = "; ".join(
            f"{r.campaign} ({len(r.users)} users file(s), {len(r.tweets)} tweets file(s))"
            if r.family == "twitter"
            else f"{r.family} data ({len(r.others)} file(s))"
            for r in named
        )
        raise ValueError(
            f"{described}: several releases found: {listing}. Pass the folder or files of one release; "
            "takedown.find_archives(folder) lists them."
        )
    if len(releases) > 1:
        # Files with non-standard names join the one named campaign.
        campaign = named[0].campaign
        merged = [replace(f, campaign=campaign) for r in releases for f in r.files]
        release = _releases(merged)[0]
    else:
        release = releases[0]
    kept, copies = identical_groups(list(release.files))
    check_truncated_copies(kept)
    release = _releases(kept)[0]
    notes = _same_name_notes(list(release.files))
    return replace(release, skipped=tuple(skipped + copies), notes=tuple(notes))


def _same_name_notes(files: list[SourceFile]) -> list[str]:
    by_identity: dict[tuple, list[SourceFile]] = {}
    for file in files:
        by_identity.setdefault(file.identity, []).append(file)
    return [
        f"{' and '.join(f.display for f in group)} have the same name and different contents: read as separate "
        "parts (ids they share are reported as duplicates)"
        for group in by_identity.values()
        if len(group) > 1
    ]


def find_archives(folder) -> pandas.DataFrame:
    """List the releases and data sets found under a folder or in a container.

    Parameters
    ----------
    folder : str or os.PathLike
        A folder, searched recursively and inside its zips and tars, or a container.

    Returns
    -------
    pandas.DataFrame
        One row per release, with columns ``campaign``, ``family``
        (``"twitter"`` or the data set), ``hashing``, ``users_files``,
        ``tweets_files`` (counts of parts; for other data sets, every file
        counts as a tweets file) and ``paths`` (the files, as a list).

    Examples
    --------
    >>> import takedown as td
    >>> td.find_archives(td.datasets.sample_path())[["campaign", "users_files", "tweets_files"]]
               campaign  users_files  tweets_files
    0  synthetic_sample            1             1
    """
    path = Path(folder)
    if not path.is_dir() and not path.is_file():
        raise NotADirectoryError(f"{path}: not a folder or a file")
    files, _ = _found(path)
    rows = []
    for release in _releases(files):
        release = _releases(identical_groups(list(release.files))[0])[0]
        hashing = sorted({f.hashing for f in release.files if f.hashing})
        rows.append(
            {
                "campaign": release.campaign,
                "family": release.family,
                "hashing": "/".join(hashing),
                "users_files": len(release.users),
                "tweets_files": len(release.tweets) + len(release.others),
                "paths": [f.display for f in release.files],
            }
        )
    import pandas as pd

    return pd.DataFrame(rows, columns=["campaign", "family", "hashing", "users_files", "tweets_files", "paths"])


def head_of(file: SourceFile, limit: int) -> bytes:
    """The first bytes of a data file."""
    with file.open() as stream:
        return read_up_to(stream, limit)
