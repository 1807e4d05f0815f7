"""Column names, types and release variants of Twitter's takedown archives.

This module is the only place where the archive format is written down; the
reader, the generator and every measure take column names from here. The facts
come from real released files (see ``docs/formats.md``).

Columns are read by *name*, never by position: the order changed between
releases.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import pyarrow as pa

__all__ = [
    "LIST_ITEM",
    "RELEASE_FORMATS",
    "TWEETS",
    "TWITTER_EPOCH_MS",
    "USERS",
    "USER_COLUMNS_IN_TWEETS",
    "Column",
    "Kind",
    "arrow_schema",
    "columns_of_kind",
    "detect_release_format",
]


#: Twitter's Snowflake epoch: a tweet id after November 2010 holds its post
#: time as ``(id >> 22) + TWITTER_EPOCH_MS`` epoch milliseconds.
TWITTER_EPOCH_MS = 1288834974657


class Kind(Enum):
    """What a column holds, which decides how its text is parsed."""

    TWEET_ID = "tweet_id"  # a Snowflake tweet id: digits, longer than float precision
    USER_ID = "user_id"  # digits or a hash (hex in 2018, base64 from 2019)
    TEXT = "text"  # free text, kept as written
    COUNT = "count"  # non-negative integer, nullable
    DATE = "date"  # YYYY-MM-DD
    TIME = "time"  # UTC timestamp, minute precision in the files
    BOOL = "bool"  # true/false in any of the spellings seen
    LIST = "list"  # a Python list written as text
    LANG = "lang"  # language code, lower-cased (case varies between releases)
    GEO = "geo"  # "absent", "present" or a number: kept as text


#: The type of the items of the list columns.
LIST_ITEM = pa.string()

_ARROW_TYPE = {
    Kind.TWEET_ID: pa.string(),
    Kind.USER_ID: pa.string(),
    Kind.TEXT: pa.string(),
    Kind.COUNT: pa.int64(),
    Kind.DATE: pa.date32(),
    Kind.TIME: pa.timestamp("s", tz="UTC"),
    Kind.BOOL: pa.bool_(),
    Kind.LIST: pa.list_(LIST_ITEM),
    Kind.LANG: pa.string(),
    Kind.GEO: pa.string(),
}


@dataclass(frozen=True)
class Column:
    """One column of a takedown file.

    Attributes
    ----------
    name : str
        The header name, as in the released files.
    kind : Kind
        What the column holds.
    required : bool
        Whether every known release has it. A file that lacks a required
        column is refused; an optional column missing from a release is
        added as nulls so that every archive has one schema.
    """

    name: str
    kind: Kind
    required: bool = True

    @property
    def arrow_type(self) -> pa.DataType:
        """The Arrow type of the parsed column."""
        return _ARROW_TYPE[self.kind]


_USER_FIELDS = (
    Column("userid", Kind.USER_ID),
    Column("user_display_name", Kind.TEXT),
    Column("user_screen_name", Kind.TEXT),
    Column("user_reported_location", Kind.TEXT),
    Column("user_profile_description", Kind.TEXT),
    Column("user_profile_url", Kind.TEXT),
    Column("follower_count", Kind.COUNT),
    Column("following_count", Kind.COUNT),
    Column("account_creation_date", Kind.DATE),
    Column("account_language", Kind.LANG),
)

#: The users file: the same ten columns in every release checked.
USERS: tuple[Column, ...] = _USER_FIELDS

#: The tweets file, in the 2019 order (31 columns, ``poll_choices`` last).
TWEETS: tuple[Column, ...] = (
    Column("tweetid", Kind.TWEET_ID),
    *_USER_FIELDS,
    Column("tweet_language", Kind.LANG),
    Column("tweet_text", Kind.TEXT),
    Column("tweet_time", Kind.TIME),
    Column("tweet_client_name", Kind.TEXT),
    Column("in_reply_to_userid", Kind.USER_ID),
    Column("in_reply_to_tweetid", Kind.TWEET_ID),
    Column("quoted_tweet_tweetid", Kind.TWEET_ID),
    Column("is_retweet", Kind.BOOL),
    Column("retweet_userid", Kind.USER_ID),
    Column("retweet_tweetid", Kind.TWEET_ID),
    Column("latitude", Kind.GEO),
    Column("longitude", Kind.GEO),
    Column("quote_count", Kind.COUNT),
    Column("reply_count", Kind.COUNT),
    Column("like_count", Kind.COUNT),
    Column("retweet_count", Kind.COUNT),
    Column("hashtags", Kind.LIST),
    Column("urls", Kind.LIST),
    Column("user_mentions", Kind.LIST),
    Column("poll_choices", Kind.LIST, required=False),
)

#: The user columns repeated on every tweet row; the users table of a release
#: that has only a tweets file is derived from them.
USER_COLUMNS_IN_TWEETS: tuple[str, ...] = tuple(c.name for c in _USER_FIELDS)

#: Header layouts of the known releases, by the year the format appeared.
#: ``"2018"`` (IRA, Iran) is reported to put ``in_reply_to_tweetid`` before
#: ``in_reply_to_userid``; that order is not confirmed by a real file.
RELEASE_FORMATS: dict[str, tuple[str, ...]] = {
    "2018": tuple(
        {"in_reply_to_userid": "in_reply_to_tweetid", "in_reply_to_tweetid": "in_reply_to_userid"}.get(c.name, c.name)
        for c in TWEETS
    ),
    "2019": tuple(c.name for c in TWEETS),
    "2020": tuple(c.name for c in TWEETS if c.name != "poll_choices"),
}


def detect_release_format(header: list[str] | tuple[str, ...]) -> str:
    """Name the release format a tweets header follows.

    Parameters
    ----------
    header : sequence of str
        Column names in file order.

    Returns
    -------
    str
        ``"2018"``, ``"2019"`` or ``"2020"`` when the header is exactly one of
        the known layouts, otherwise ``"other"`` (the columns are still read
        by name).

    Examples
    --------
    >>> from takedown.schema import RELEASE_FORMATS, detect_release_format
    >>> detect_release_format(RELEASE_FORMATS["2020"])
    '2020'
    >>> detect_release_format(["tweetid", "userid", "tweet_time"])
    'other'
    """
    header = tuple(header)
    for name, layout in RELEASE_FORMATS.items():
        if header == layout:
            return name
    return "other"


def arrow_schema(columns: tuple[Column, ...]) -> pa.Schema:
    """The Arrow schema of a parsed table with these columns, in this order.

    Examples
    --------
    >>> from takedown.schema import USERS, arrow_schema
    >>> arrow_schema(USERS).field("follower_count").type
    DataType(int64)
    """
    return pa.schema([pa.field(c.name, c.arrow_type) for c in columns])


def columns_of_kind(columns: tuple[Column, ...], *, kind: Kind) -> tuple[str, ...]:
    """Names of the columns of one kind.

    Examples
    --------
    >>> from takedown.schema import TWEETS, Kind, columns_of_kind
    >>> columns_of_kind(TWEETS, kind=Kind.LIST)
    ('hashtags', 'urls', 'user_mentions', 'poll_choices')
    """
    return tuple(c.name for c in columns if c.kind is kind)
