"""Other public data sets about the same operations, read into the same archive tables.

Students cannot download Twitter's releases any more; what they can get is in other shapes:

========================  ==================  ==============================================================
family                    roles               files
========================  ==================  ==============================================================
``"fivethirtyeight"``     tweets              FiveThirtyEight/Clemson ``IRAhandle_tweets_*.csv``
``"nbc"``                 tweets, users       NBC News' IRA ``tweets.csv`` and ``users.csv``
``"reddit"``              seed, profiles,     Reddit's 2018 list of suspected IRA accounts (``seed.csv``),
                          comments,           the accounts' profiles, comments and submissions
                          submissions
``"twarc2"``              pages, tweets       API v2 collections: twarc2 JSONL pages, or flattened tweets
``"twitter_v1"``          tweets              API v1.1 tweets, one JSON object a line
========================  ==================  ==============================================================

:func:`detect` recognises a file by its header (the first line of a CSV, the first JSON object of
a JSONL), and by its name only where it has no header (Reddit's ``seed.csv``). :func:`read`
turns every file of one data set into a :class:`FormatResult`: users and tweets (or posts)
tables with every column of :data:`takedown.schema.USERS` and :data:`takedown.schema.TWEETS`,
typed the same way, null where the data set lacks them, followed by the data set's own extra
columns; the issues met on the way; and notes saying which columns are null or derived, and how.
"""

from __future__ import annotations

import csv

from takedown.read.formats import api, fivethirtyeight, nbc, reddit
from takedown.read.formats._common import Detected, Entry, FormatResult, MemoryEntry

__all__ = ["FAMILIES", "Detected", "Entry", "FormatResult", "MemoryEntry", "detect", "read"]

#: The data sets recognised, by family name.
FAMILIES = ("fivethirtyeight", "nbc", "reddit", "twarc2", "twitter_v1")

_READERS = {
    "fivethirtyeight": fivethirtyeight.read,
    "nbc": nbc.read,
    "reddit": reddit.read,
    "twarc2": api.read,
    "twitter_v1": api.read,
}
_CSV_HEADERS = (
    ("fivethirtyeight", fivethirtyeight.detect_header),
    ("nbc", nbc.detect_header),
    ("reddit", reddit.detect_header),
)


def detect(name: str, head: bytes) -> Detected | None:
    """Which data set a file belongs to, and what it holds there.

    Parameters
    ----------
    name : str
        The file's own base name (``seed.csv``); only used for files without a header.
    head : bytes
        The first bytes of the decompressed content (up to 1 MiB), possibly cut mid-line.

    Returns
    -------
    Detected or None
        ``family`` (one of :data:`FAMILIES`) and ``role``; None when the file is none of these
        data sets (Twitter's own release files included: they are read elsewhere).

    Examples
    --------
    >>> from takedown.read.formats import detect
    >>> detect("IRAhandle_tweets_1.csv", b"external_author_id,author,content,region,language,publish_date,"
    ...        b"harvested_date,following,followers,updates,post_type,account_type,retweet,account_category,"
    ...        b"new_june_2018,alt_external_id,tweet_id,article_url,tco1_step1,tco2_step1,tco3_step1\\r\\n")
    Detected(family='fivethirtyeight', role='tweets')
    >>> detect("seed.csv", b"clawz,12\\r\\nPoster,-16\\r\\n")
    Detected(family='reddit', role='seed')
    >>> detect("tweets.jsonl", b'{"data": [{"id": "1", "text": "hi", "author_id": "2"}], "includes": {')
    Detected(family='twarc2', role='pages')
    >>> detect("notes.csv", b"a,b\\n1,2\\n") is None
    True
    """
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    stripped = head.lstrip()
    if stripped.startswith((b"{", b"[")):
        family_role = api.detect_json(stripped)
        return Detected(*family_role) if family_role else None
    line = head.split(b"\n", 1)[0].rstrip(b"\r")
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not text.strip():
        return None
    names = next(csv.reader([text]))
    for family, recognise in _CSV_HEADERS:
        role = recognise(names)
        if role:
            return Detected(family, role)
    if reddit.looks_like_seed(name, text):
        return Detected("reddit", "seed")
    return None


def read(entries: list[tuple[Detected, Entry]]) -> FormatResult:
    """Read all the files of one data set into archive tables.

    Parameters
    ----------
    entries : list of (Detected, Entry)
        Every file of the data set (all parts), as :func:`detect` named them. An entry has
        ``name``, ``display`` and ``open()`` (the decompressed bytes).

    Returns
    -------
    FormatResult
        ``users`` and ``tweets`` (the archive columns, typed, then the data set's extras),
        ``issues`` (file, line, row, column, reason, value, action), ``files``, ``notes``,
        ``source_format`` and ``platform``.

    Examples
    --------
    >>> from takedown.read.formats import MemoryEntry, detect, read
    >>> seed = MemoryEntry("seed.csv", b"Clawz,12\\r\\nclawz,12\\r\\n")
    >>> result = read([(detect(seed.name, seed.data), seed)])
    >>> result.users["userid"].to_pylist(), result.users["user_screen_name"].to_pylist()
    (['clawz'], ['Clawz'])
    >>> result.issues["action"].to_pylist(), result.platform
    (['duplicate dropped'], 'reddit')
    """
    if not entries:
        raise ValueError("entries: expected at least one (Detected, entry) pair")
    families = {detected.family for detected, _ in entries}
    if len(families) != 1:
        raise ValueError(f"entries: expected the files of one data set, got {', '.join(sorted(families))}")
    family = families.pop()
    if family not in _READERS:
        raise ValueError(f"entries: unknown family {family!r}; expected one of {', '.join(FAMILIES)}")
    return _READERS[family](entries)
