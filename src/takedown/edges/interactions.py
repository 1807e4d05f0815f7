"""Tidy edge tables: who retweets, replies to, quotes and mentions whom.

Every table has one row per interaction with the columns ``source``,
``target``, ``tweetid``, the id of the tweet interacted with (named as in the
archive: ``retweet_tweetid``, ``in_reply_to_tweetid``,
``quoted_tweet_tweetid``; mentions have none), ``time``, ``original_time``,
``delay`` (seconds), ``target_in_archive`` and ``resolved_by``. Ids are
strings. Times come from the tweets' Snowflake ids, so they are known to the
millisecond although ``tweet_time`` has minute precision.

Why the target needs resolving: in the real releases ``retweet_userid`` is
filled only when the retweeted account is itself in the takedown (437 of the
11,199 Thailand retweets). Otherwise the retweeted account is the first entry
of ``user_mentions``, and failing that the name after ``RT @`` in the text.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from takedown.archive import Archive
from takedown.schema import TWITTER_EPOCH_MS

__all__ = [
    "TWITTER_EPOCH_MS",
    "aggregate",
    "amplification",
    "mentions",
    "quotes",
    "replies",
    "retweets",
    "screen_names",
    "snowflake_time",
    "tweet_times",
]

# Tweet ids below this were sequential (before November 2010) and carry no time.
_FIRST_SNOWFLAKE = 10**15
_TIME = pd.ArrowDtype(pa.timestamp("ms", tz="UTC"))
_STRING = pd.ArrowDtype(pa.string())
_RT_NAME = r"^RT @([A-Za-z0-9_+/=]+):"
_RT_NAME_GROUP = r"^RT @(?P<name>[A-Za-z0-9_+/=]+):"
_STATUS_URL = r"^https?://(?:mobile\.)?twitter\.com/([A-Za-z0-9_]+)/status/"


_INT64_MAX = str(2**63 - 1)


def snowflake_time(ids: pd.Series) -> pd.Series:
    """Post times encoded in tweet ids (Twitter's Snowflake ids, from November 2010).

    Parameters
    ----------
    ids : pandas.Series of str
        Tweet ids as digit strings.

    Returns
    -------
    pandas.Series of timestamp[ms, UTC]
        Null where an id is missing, not digits, or older than Snowflake.

    Examples
    --------
    >>> import pandas as pd
    >>> from takedown.edges import snowflake_time
    >>> snowflake_time(pd.Series(["1196659470232772609", None, "20"])).tolist()
    [Timestamp('2019-11-19 05:20:25.218000+0000', tz='UTC'), <NA>, <NA>]
    """
    text = pa.array(ids.astype(_STRING), pa.string()) if len(ids) else pa.array([], pa.string())
    # ASCII digits that fit in int64 (a 19-digit id above its maximum is damage, not a time), as DuckDB's TRY_CAST.
    digits = pc.and_(
        pc.match_substring_regex(text, "^[0-9]{1,19}$"),
        pc.or_(pc.less(pc.utf8_length(text), 19), pc.less_equal(text, _INT64_MAX)),
    )
    numbers = pc.cast(pc.if_else(digits, text, pa.scalar(None, pa.string())), pa.int64())
    valid = pc.greater_equal(numbers, _FIRST_SNOWFLAKE)
    ms = pc.add(pc.shift_right(pc.if_else(valid, numbers, pa.scalar(None, pa.int64())), 22), TWITTER_EPOCH_MS)
    return pd.Series(
        pd.arrays.ArrowExtensionArray(ms.cast(pa.timestamp("ms", tz="UTC"))), index=ids.index, name=ids.name
    )


def tweet_times(tweets) -> pd.Series:
    """Each tweet's post time: its Snowflake time (to the millisecond), else the minute in ``tweet_time``.

    Parameters
    ----------
    tweets : Archive or pandas.DataFrame
        An archive (only its ``tweetid`` and ``tweet_time`` are loaded; out of
        core, DuckDB computes the times) or a tweets table.

    Examples
    --------
    >>> import takedown as td
    >>> times = td.edges.tweet_times(td.datasets.sample())
    >>> str(times.dtype)
    'timestamp[ms, tz=UTC][pyarrow]'
    """
    if isinstance(tweets, Archive):
        if tweets.out_of_core:
            from takedown.edges import outofcore

            return outofcore.tweet_times(tweets)
        tweets = tweets.load("tweets", columns=["tweetid", "tweet_time"])
    exact = snowflake_time(tweets["tweetid"])
    return exact.fillna(tweets["tweet_time"].astype(_TIME)).rename("time")


def _edges(
    tweets: pd.DataFrame,
    target: pd.Series,
    resolved_by: pd.Series,
    original: str | None,
    users: pd.DataFrame,
) -> pd.DataFrame:
    time = tweet_times(tweets)
    columns = {
        "source": tweets["userid"].astype(_STRING),
        "target": target.astype(_STRING),
        "tweetid": tweets["tweetid"].astype(_STRING),
    }
    if original is not None:
        columns[original] = tweets[original].astype(_STRING)
        original_time = snowflake_time(tweets[original])
    else:
        original_time = pd.Series(pd.NaT, index=tweets.index).astype(_TIME)
    columns["time"] = time
    columns["original_time"] = original_time
    columns["delay"] = ((time - original_time).dt.total_seconds()).astype(pd.ArrowDtype(pa.float64()))
    columns["target_in_archive"] = target.isin(users["userid"]).astype(pd.ArrowDtype(pa.bool_()))
    columns["resolved_by"] = resolved_by.astype(_STRING)
    frame = pd.DataFrame(columns)
    frame.loc[frame["target"].isna(), "target_in_archive"] = pd.NA
    return frame.reset_index(drop=True)


def _by_name(names: pd.Series, users: pd.DataFrame) -> pd.Series:
    """Screen names as user ids where the archive knows the account, else ``@name`` in lower case.

    Hashed accounts appear under their hash, which is their id. Handles are
    compared without case, as Twitter does (``10_GOP`` is ``10_gop``).
    """
    lookup = pd.Series(users["userid"].to_numpy(), index=users["user_screen_name"].str.lower().to_numpy())
    lookup = lookup[~lookup.index.duplicated()]
    known = names.str.lower().map(lookup)
    by_id = names.where(names.isin(users["userid"]))
    return known.fillna(by_id).fillna("@" + names.str.lower())


def _rows(archive: Archive, mask, columns: list[str]) -> pd.DataFrame:
    """Only the rows and columns an edge table needs, indexed by row position in the tweets.

    Copying whole tweets (texts) would dominate the time; Arrow's filter is
    much faster than pandas indexing on millions of rows.
    """
    wanted = ["userid", "tweetid", "tweet_time", *columns]
    table = archive.arrow("tweets", columns=[c for c in wanted if c in archive.columns("tweets")])
    for name in wanted:  # the other data sets' screen-name columns exist only in theirs
        if name not in table.column_names:
            table = table.append_column(name, pa.nulls(table.num_rows, pa.string()))
    positions = np.arange(table.num_rows)
    if mask is not None:
        keep = np.asarray(mask, dtype=bool)
        table, positions = table.filter(pa.array(keep)), positions[keep]
    frame = table.to_pandas(types_mapper=pd.ArrowDtype)
    frame.index = positions
    return frame


def _labels(conditions: list[np.ndarray], labels: list[str], default: str, index) -> pd.Series:
    """The label of the first true condition per row, as Arrow strings (built without Python strings)."""
    codes = np.select(conditions, np.arange(len(labels)), len(labels)).astype(np.int8)
    values = pa.DictionaryArray.from_arrays(pa.array(codes), pa.array([*labels, default])).cast(pa.string())
    return pd.Series(pd.arrays.ArrowExtensionArray(values), index=index)


def _is_retweet(archive: Archive) -> np.ndarray:
    return archive.load("tweets", columns=["is_retweet"])["is_retweet"].fillna(False).to_numpy(dtype=bool)


def _users(archive: Archive) -> pd.DataFrame:
    return archive.load("users", columns=["userid", "user_screen_name"])


def _first_mention(tweets: pd.DataFrame) -> pd.Series:
    """The first user mentioned in each tweet (null when none)."""
    lists = pa.array(tweets["user_mentions"].array)
    if isinstance(lists, pa.ChunkedArray):
        lists = lists.combine_chunks()
    firsts = pc.list_slice(lists, 0, 1)
    where = np.full(len(lists), -1, dtype=np.int64)
    parents = pc.list_parent_indices(firsts).to_numpy()
    where[parents] = np.arange(parents.size)
    first = pc.list_flatten(firsts).take(pa.array(where, mask=where < 0))
    return pd.Series(pd.arrays.ArrowExtensionArray(first), index=tweets.index)


def retweets(archive: Archive) -> pd.DataFrame:
    """One row per retweet: who retweeted whom, when, and how fast.

    Parameters
    ----------
    archive : Archive

    Returns
    -------
    pandas.DataFrame
        ``source`` (the retweeter), ``target`` (the retweeted account),
        ``tweetid``, ``retweet_tweetid``, ``time`` (the retweet, from its
        Snowflake id), ``original_time`` (the retweeted tweet, from its
        Snowflake id, known even when that tweet is not in the archive),
        ``delay`` (seconds between them), ``target_in_archive`` and
        ``resolved_by``: ``"retweet_userid"``, ``"user_mentions"`` (the first
        mention), ``"retweet_screen_name"`` (the handle another data set
        gives, as FiveThirtyEight's links do), ``"rt_name"`` (the name after
        ``RT @``) or ``"unresolved"`` (target null). A handle becomes an
        archive account's id when the archive knows it (case aside), else
        ``"@name"`` in lower case.

    Examples
    --------
    >>> import takedown as td
    >>> edges = td.edges.retweets(td.datasets.sample())
    >>> bool(edges["resolved_by"].isin(["retweet_userid", "user_mentions"]).all())
    True
    >>> bool((edges["delay"] > 0).all())
    True
    """
    if archive.out_of_core:
        from takedown.edges import outofcore

        return outofcore.retweets(archive)
    columns = ["retweet_userid", "retweet_tweetid", "user_mentions", "retweet_screen_name"]
    tweets = _rows(archive, _is_retweet(archive), columns)
    users = _users(archive)
    mention = _first_mention(tweets)
    target = tweets["retweet_userid"].fillna(mention)
    handle = tweets["retweet_screen_name"].where(target.isna())
    by_handle = _by_name(handle.dropna(), users).reindex(tweets.index)
    target = target.fillna(by_handle)
    # Only retweets named by nothing else need their text read.
    unnamed = tweets.index[target.isna().to_numpy()]
    texts = archive.load("tweets", columns=["tweet_text"])["tweet_text"].iloc[unnamed]
    texts.index = unnamed
    name = texts.str.extract(_RT_NAME, expand=False).dropna()
    by_name = _by_name(name, users).reindex(tweets.index)
    target = target.fillna(by_name)
    resolved_by = _labels(
        [
            tweets["retweet_userid"].notna().to_numpy(),
            mention.notna().to_numpy(),
            by_handle.notna().to_numpy(),
            by_name.notna().to_numpy(),
        ],
        ["retweet_userid", "user_mentions", "retweet_screen_name", "rt_name"],
        "unresolved",
        tweets.index,
    )
    return _edges(tweets, target, resolved_by, "retweet_tweetid", users)


def replies(archive: Archive) -> pd.DataFrame:
    """One row per reply: ``target`` is ``in_reply_to_userid``, else the first mention.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`retweets`, with ``in_reply_to_tweetid`` in
        place of ``retweet_tweetid``; ``resolved_by`` is
        ``"in_reply_to_userid"``, ``"user_mentions"`` or ``"unresolved"``.

    Examples
    --------
    >>> import takedown as td
    >>> edges = td.edges.replies(td.datasets.sample())
    >>> list(edges.columns)[:4]
    ['source', 'target', 'tweetid', 'in_reply_to_tweetid']
    """
    if archive.out_of_core:
        from takedown.edges import outofcore

        return outofcore.replies(archive)
    ids = archive.load("tweets", columns=["in_reply_to_userid", "in_reply_to_tweetid"])
    replying = (ids["in_reply_to_userid"].notna() | ids["in_reply_to_tweetid"].notna()).to_numpy(dtype=bool)
    tweets = _rows(archive, replying, ["in_reply_to_userid", "in_reply_to_tweetid", "user_mentions"])
    mention = _first_mention(tweets)
    target = tweets["in_reply_to_userid"].fillna(mention)
    resolved_by = _labels(
        [tweets["in_reply_to_userid"].notna().to_numpy(), mention.notna().to_numpy()],
        ["in_reply_to_userid", "user_mentions"],
        "unresolved",
        tweets.index,
    )
    return _edges(tweets, target, resolved_by, "in_reply_to_tweetid", _users(archive))


def quotes(archive: Archive) -> pd.DataFrame:
    """One row per quote tweet. The quoted account is not in the files; it is read from a
    ``twitter.com/<name>/status/<id>`` link among the tweet's ``urls`` when there is one.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`retweets`, with ``quoted_tweet_tweetid`` in
        place of ``retweet_tweetid``; ``resolved_by`` is
        ``"quoted_screen_name"`` (the handle another data set gives),
        ``"quoted_url"`` or ``"unresolved"`` (target null).

    Examples
    --------
    >>> import takedown as td
    >>> edges = td.edges.quotes(td.datasets.sample())
    >>> bool(edges["original_time"].notna().all())
    True
    """
    if archive.out_of_core:
        from takedown.edges import outofcore

        return outofcore.quotes(archive)
    quoting = archive.load("tweets", columns=["quoted_tweet_tweetid"])["quoted_tweet_tweetid"].notna()
    tweets = _rows(archive, quoting.to_numpy(dtype=bool), ["quoted_tweet_tweetid", "urls", "quoted_screen_name"])
    users = _users(archive)
    by_handle = _by_name(tweets["quoted_screen_name"].dropna(), users).reindex(tweets.index)
    urls = tweets["urls"].explode()
    names = urls.str.extract(_STATUS_URL, expand=False).dropna()
    names = names[~names.index.duplicated()]
    by_url = _by_name(names, users).reindex(tweets.index)
    target = by_handle.fillna(by_url)
    resolved_by = _labels(
        [by_handle.notna().to_numpy(), by_url.notna().to_numpy()],
        ["quoted_screen_name", "quoted_url"],
        "unresolved",
        tweets.index,
    )
    return _edges(tweets, target, resolved_by, "quoted_tweet_tweetid", users)


def mentions(archive: Archive, *, include_retweets: bool = False) -> pd.DataFrame:
    """One row per account mentioned in a tweet.

    Parameters
    ----------
    archive : Archive
    include_retweets : bool, default False
        A retweet's mentions are the retweeted account's (its first mention
        is the retweeted account itself), so by default they are left out.

    Returns
    -------
    pandas.DataFrame
        ``source``, ``target``, ``tweetid``, ``time``, ``original_time``
        (null), ``delay`` (null), ``target_in_archive``, ``resolved_by``
        (``"user_mentions"``).

    Examples
    --------
    >>> import takedown as td
    >>> edges = td.edges.mentions(td.datasets.sample())
    >>> bool(edges["target"].notna().all())
    True
    """
    if archive.out_of_core:
        from takedown.edges import outofcore

        return outofcore.mentions(archive, include_retweets=include_retweets)
    tweets = _rows(archive, None if include_retweets else ~_is_retweet(archive), ["user_mentions"])
    exploded = tweets.explode("user_mentions")
    exploded = exploded[exploded["user_mentions"].notna()]
    target = exploded["user_mentions"].astype(_STRING)
    return _edges(exploded, target, pd.Series("user_mentions", index=exploded.index), None, _users(archive))


def aggregate(edges, *, kind: str = "retweet", top: int | None = None) -> pd.DataFrame:
    """The weighted edge list: one row per (source, target) pair.

    Parameters
    ----------
    edges : pandas.DataFrame or Archive
        Any edge table of this module (needs ``source``, ``target``, ``time``),
        or an archive, whose interactions of ``kind`` are counted (out of
        core, in DuckDB, never one row per interaction in memory).
    kind : {"retweet", "reply", "quote"}
        Which interactions of an archive.
    top : int, optional
        Keep only the ``top`` heaviest pairs (a network of millions of ties
        says nothing at once; the heaviest ties hold its structure).

    Returns
    -------
    pandas.DataFrame
        ``source``, ``target``, ``weight`` (interactions), ``first`` and
        ``last`` (times), sorted by weight, heaviest first. Rows without a
        target are left out.

    Examples
    --------
    >>> import pandas as pd, takedown as td
    >>> table = pd.DataFrame({"a": ["x", "x", "y"], "b": ["z", "z", "z"]})
    >>> td.edges.aggregate(td.edges.from_table(table, source="a", target="b"))[["source", "target", "weight"]]
      source target  weight
    0      x      z       2
    1      y      z       1
    """
    if top is not None and (not isinstance(top, int) or top < 1):
        raise ValueError(f"top: expected a whole number of at least 1, got {top!r}")
    if isinstance(edges, Archive):
        if kind not in ("retweet", "reply", "quote"):
            raise ValueError(f"kind: expected 'retweet', 'reply' or 'quote', got {kind!r}")
        if edges.out_of_core:
            from takedown.edges import outofcore

            return outofcore.aggregate(edges, kind=kind, top=top)
        edges = {"retweet": retweets, "reply": replies, "quote": quotes}[kind](edges)
    for name in ("source", "target", "time"):
        if name not in edges.columns:
            raise ValueError(f"edges: missing column {name!r}; pass a table from takedown.edges")
    table = pa.Table.from_pandas(edges[["source", "target", "time"]], preserve_index=False)
    table = table.filter(pc.is_valid(table["target"]))
    grouped = table.group_by(["source", "target"]).aggregate([([], "count_all"), ("time", "min"), ("time", "max")])
    grouped = grouped.rename_columns({"count_all": "weight", "time_min": "first", "time_max": "last"}).select(
        ["source", "target", "weight", "first", "last"]
    )
    order = pc.sort_indices(
        grouped, sort_keys=[("weight", "descending"), ("source", "ascending"), ("target", "ascending")]
    )
    if top is not None:
        order = order[:top]
    return grouped.take(order).to_pandas(types_mapper=pd.ArrowDtype)


def screen_names(archive: Archive) -> pd.Series:
    """Screen names by user id: the archive's own, and outside accounts' from ``RT @name:`` texts.

    A retweet names the retweeted account twice: its id as the first mention
    and its screen name after ``RT @``. Pairing them labels outside accounts,
    which the users file does not list.

    Returns
    -------
    pandas.Series of str, indexed by user id

    Examples
    --------
    >>> import takedown as td
    >>> names = td.edges.screen_names(td.datasets.sample())
    >>> names.index.is_unique
    True
    """
    if archive.out_of_core:
        from takedown.edges import outofcore

        return outofcore.screen_names(archive)
    tweets = _rows(archive, _is_retweet(archive), ["user_mentions", "tweet_text"])
    found = pc.extract_regex(pa.array(tweets["tweet_text"].array), _RT_NAME_GROUP)
    name = pd.arrays.ArrowExtensionArray(pc.struct_field(found, [0]))
    pairs = pd.DataFrame({"id": _first_mention(tweets).array, "name": name}).dropna()
    # An account's most frequent name; ties to the first in alphabetical order.
    counted = pairs.value_counts(["id", "name"], sort=False).reset_index()
    counted = counted.sort_values(["id", "count", "name"], ascending=[True, False, True], kind="stable")
    outside = counted.drop_duplicates("id").set_index("id")["name"]
    users = _users(archive)
    own = pd.Series(users["user_screen_name"].to_numpy(), index=users["userid"].to_numpy())
    names = pd.concat([own, outside[~outside.index.isin(own.index)]])
    return names[~names.index.duplicated()].astype(_STRING).rename("screen_name")


def amplification(archive: Archive, *, targets=None) -> pd.DataFrame:
    """The amplifier graph as a bipartite table: archive accounts to the accounts they amplify.

    Amplifying is retweeting or quoting. Roles: an archive account that
    other archive accounts amplify is ``"core"``, one that amplifies is an
    ``"amplifier"`` (an account can be both: its ``amplifier_role`` then says
    ``"core"``); an amplified account outside the archive is ``"external"``.

    Parameters
    ----------
    archive : Archive
    targets : collection of str, optional
        Only these amplified accounts (for instance known state-media ids).

    Returns
    -------
    pandas.DataFrame
        ``amplifier``, ``target``, ``retweets``, ``quotes``, ``total``,
        ``first``, ``last``, ``amplifier_role`` and ``target_role``, heaviest
        first.

    Examples
    --------
    >>> import takedown as td
    >>> table = td.edges.amplification(td.datasets.sample())
    >>> sorted(table["target_role"].unique())
    ['core', 'external']
    """
    kinds = {"retweets": retweets(archive), "quotes": quotes(archive)}
    parts = []
    for kind, edges in kinds.items():
        counted = aggregate(edges).rename(columns={"source": "amplifier", "weight": kind})
        parts.append(counted)
    table = pd.concat(parts, ignore_index=True)
    if targets is not None:
        table = table[table["target"].isin(pd.Index(list(targets)).astype(str))]
    table = table.groupby(["amplifier", "target"], as_index=False, sort=False).agg(
        retweets=("retweets", "sum"), quotes=("quotes", "sum"), first=("first", "min"), last=("last", "max")
    )
    table[["retweets", "quotes"]] = table[["retweets", "quotes"]].astype(pd.ArrowDtype(pa.int64()))
    table["total"] = table["retweets"] + table["quotes"]
    inside = table["target"].isin(archive.users["userid"])
    core = set(table.loc[inside, "target"])
    table["amplifier_role"] = np.where(table["amplifier"].isin(core), "core", "amplifier")
    table["target_role"] = np.where(inside, "core", "external")
    table = table.astype({"amplifier_role": _STRING, "target_role": _STRING})
    columns = ["amplifier", "target", "retweets", "quotes", "total", "first", "last", "amplifier_role", "target_role"]
    return table.sort_values(["total", "amplifier", "target"], ascending=[False, True, True])[columns].reset_index(
        drop=True
    )
