"""The edge tables of :mod:`takedown.edges.interactions`, computed by DuckDB over the cached Parquet files.

Each query follows its pandas twin rule for rule (the same target
resolution, the same times, the same order of rows), so that the two give
identical tables; ``tests/test_outofcore.py`` checks it. Only the columns a
query names are read.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from takedown import engine
from takedown.archive import Archive

__all__ = [
    "aggregate",
    "amplification",
    "edge_sql",
    "mentions",
    "network_size",
    "quotes",
    "replies",
    "retweets",
    "screen_names",
    "tweet_times",
]

_TIME = pa.timestamp("ms", tz="UTC")

# A handle as the archive's account id (its screen name, case aside, or its hash), else "@name".
_NAMES = """
names AS (
    SELECT lower(user_screen_name) AS name, arg_min(userid, ordinal) AS userid
    FROM users WHERE user_screen_name IS NOT NULL GROUP BY 1
),
ids AS (SELECT DISTINCT userid FROM users WHERE userid IS NOT NULL)
"""


def _resolve(handle: str, alias: str) -> tuple[str, str]:
    """The joins and the expression that turn a handle column into an account."""
    joins = (
        f"LEFT JOIN names n_{alias} ON n_{alias}.name = lower({handle}) "
        f"LEFT JOIN ids i_{alias} ON i_{alias}.userid = {handle}"
    )
    expression = (
        f"CASE WHEN {handle} IS NOT NULL THEN coalesce(n_{alias}.userid, i_{alias}.userid, '@' || lower({handle})) END"
    )
    return joins, expression


def _column(archive: Archive, name: str) -> str:
    """A column of the tweets, or NULL where this archive's data set has none (the screen-name columns)."""
    return name if name in archive.columns("tweets") else "NULL::VARCHAR"


def edge_sql(archive: Archive, kind: str) -> str:
    """The SELECT giving one row per interaction of a kind, with an ``ordinal`` to order them."""
    if kind == "retweet":
        handle_joins, by_handle = _resolve("handle", "h")
        name_joins, by_name = _resolve("rt_name", "r")
        return f"""
        WITH {_NAMES},
        rows AS (
            SELECT ordinal, userid, tweetid, tweet_time, retweet_userid, retweet_tweetid,
                   user_mentions[1] AS mention,
                   CASE WHEN retweet_userid IS NULL AND user_mentions[1] IS NULL
                        THEN {_column(archive, "retweet_screen_name")} END AS handle,
                   CASE WHEN retweet_userid IS NULL AND user_mentions[1] IS NULL
                             AND {_column(archive, "retweet_screen_name")} IS NULL
                        THEN NULLIF(regexp_extract(tweet_text, '{engine.RT_NAME}', 1), '') END AS rt_name
            FROM tweets WHERE coalesce(is_retweet, false)
        ),
        resolved AS (
            SELECT rows.*, {by_handle} AS by_handle, {by_name} AS by_name
            FROM rows {handle_joins} {name_joins}
        )
        SELECT ordinal, userid AS source,
               coalesce(retweet_userid, mention, by_handle, by_name) AS target,
               tweetid, retweet_tweetid AS original, post_ms(tweetid, tweet_time) AS time_ms,
               snowflake_ms(retweet_tweetid) AS original_ms,
               CASE WHEN retweet_userid IS NOT NULL THEN 'retweet_userid'
                    WHEN mention IS NOT NULL THEN 'user_mentions'
                    WHEN by_handle IS NOT NULL THEN 'retweet_screen_name'
                    WHEN by_name IS NOT NULL THEN 'rt_name' ELSE 'unresolved' END AS resolved_by
        FROM resolved
        """
    if kind == "reply":
        return """
        SELECT ordinal, userid AS source, coalesce(in_reply_to_userid, user_mentions[1]) AS target,
               tweetid, in_reply_to_tweetid AS original, post_ms(tweetid, tweet_time) AS time_ms,
               snowflake_ms(in_reply_to_tweetid) AS original_ms,
               CASE WHEN in_reply_to_userid IS NOT NULL THEN 'in_reply_to_userid'
                    WHEN user_mentions[1] IS NOT NULL THEN 'user_mentions' ELSE 'unresolved' END AS resolved_by
        FROM tweets WHERE in_reply_to_userid IS NOT NULL OR in_reply_to_tweetid IS NOT NULL
        """
    if kind == "quote":
        handle_joins, by_handle = _resolve("handle", "h")
        url_joins, by_url = _resolve("url_name", "u")
        return f"""
        WITH {_NAMES},
        rows AS (
            SELECT ordinal, userid, tweetid, tweet_time, quoted_tweet_tweetid,
                   {_column(archive, "quoted_screen_name")} AS handle,
                   NULLIF(regexp_extract(list_filter(urls, lambda u: regexp_matches(u, '{engine.STATUS_URL}'))[1],
                                         '{engine.STATUS_URL}', 1), '') AS url_name
            FROM tweets WHERE quoted_tweet_tweetid IS NOT NULL
        ),
        resolved AS (SELECT rows.*, {by_handle} AS by_handle, {by_url} AS by_url FROM rows {handle_joins} {url_joins})
        SELECT ordinal, userid AS source, coalesce(by_handle, by_url) AS target, tweetid,
               quoted_tweet_tweetid AS original, post_ms(tweetid, tweet_time) AS time_ms,
               snowflake_ms(quoted_tweet_tweetid) AS original_ms,
               CASE WHEN by_handle IS NOT NULL THEN 'quoted_screen_name'
                    WHEN by_url IS NOT NULL THEN 'quoted_url' ELSE 'unresolved' END AS resolved_by
        FROM resolved
        """
    raise ValueError(f"kind: expected 'retweet', 'reply' or 'quote', got {kind!r}")


def _edges(archive: Archive, sql: str, original: str | None) -> pd.DataFrame:
    """Run an edge query and give it the columns and types of the in-memory path."""
    order = "e.ordinal, e.mention_order" if "mention_order" in sql else "e.ordinal"
    table = engine.query(
        archive,
        f"""
        SELECT e.*, CASE WHEN e.target IS NULL THEN NULL ELSE i.userid IS NOT NULL END AS target_in_archive
        FROM ({sql}) e LEFT JOIN (SELECT DISTINCT userid FROM users WHERE userid IS NOT NULL) i ON i.userid = e.target
        ORDER BY {order}
        """,
    )
    columns = {name: table[name].cast(pa.string()) for name in ("source", "target", "tweetid")}
    if original is not None:
        columns[original] = table["original"].cast(pa.string())
    columns["time"] = table["time_ms"].cast(_TIME)
    columns["original_time"] = table["original_ms"].cast(_TIME)
    elapsed = pc.subtract(table["time_ms"], table["original_ms"])
    columns["delay"] = pc.divide(pc.cast(elapsed, pa.float64()), 1000.0)
    columns["target_in_archive"] = table["target_in_archive"]
    columns["resolved_by"] = table["resolved_by"].cast(pa.string())
    return engine.frame(pa.table(columns))


def retweets(archive: Archive) -> pd.DataFrame:
    """:func:`takedown.edges.retweets`, out of core."""
    return _edges(archive, edge_sql(archive, "retweet"), "retweet_tweetid")


def replies(archive: Archive) -> pd.DataFrame:
    """:func:`takedown.edges.replies`, out of core."""
    return _edges(archive, edge_sql(archive, "reply"), "in_reply_to_tweetid")


def quotes(archive: Archive) -> pd.DataFrame:
    """:func:`takedown.edges.quotes`, out of core."""
    return _edges(archive, edge_sql(archive, "quote"), "quoted_tweet_tweetid")


def mentions(archive: Archive, *, include_retweets: bool) -> pd.DataFrame:
    """:func:`takedown.edges.mentions`, out of core."""
    where = "" if include_retweets else "WHERE NOT coalesce(is_retweet, false)"
    sql = f"""
        SELECT * FROM (
            SELECT ordinal, userid AS source, unnest(user_mentions) AS target,
                   generate_subscripts(user_mentions, 1) AS mention_order, tweetid, NULL::VARCHAR AS original,
                   post_ms(tweetid, tweet_time) AS time_ms, NULL::BIGINT AS original_ms, 'user_mentions' AS resolved_by
            FROM tweets {where}
        ) WHERE target IS NOT NULL
    """
    return _edges(archive, sql, None)


def tweet_times(archive: Archive) -> pd.Series:
    """:func:`takedown.edges.tweet_times` of an archive, out of core."""
    # A plain scan keeps the files' order (DuckDB preserves insertion order): no sort of forty million rows.
    table = engine.query(archive, "SELECT post_ms(tweetid, tweet_time) AS ms FROM tweets")
    return pd.Series(pd.arrays.ArrowExtensionArray(table["ms"].cast(_TIME)), name="time")


def screen_names(archive: Archive) -> pd.Series:
    """:func:`takedown.edges.screen_names`, out of core."""
    table = engine.query(
        archive,
        f"""
        WITH pairs AS (
            SELECT user_mentions[1] AS id, NULLIF(regexp_extract(tweet_text, '{engine.RT_NAME}', 1), '') AS name,
                   ordinal
            FROM tweets WHERE coalesce(is_retweet, false)
        ),
        counted AS (
            SELECT id, name, count(*) AS n FROM pairs WHERE id IS NOT NULL AND name IS NOT NULL GROUP BY id, name
        ),
        outside AS (
            SELECT id, name FROM counted QUALIFY row_number() OVER (PARTITION BY id ORDER BY n DESC, name) = 1
        ),
        own AS (SELECT userid AS id, user_screen_name AS name, ordinal FROM users WHERE userid IS NOT NULL)
        SELECT id, name FROM (
            SELECT id, name, 0 AS part, ordinal AS position, NULL AS key FROM own
            UNION ALL
            SELECT id, name, 1, 0, id FROM outside WHERE id NOT IN (SELECT id FROM own)
        ) ORDER BY part, position, key
        """,
    )
    ids = table["id"].to_pandas()
    names = pd.Series(pd.arrays.ArrowExtensionArray(table["name"].cast(pa.string())), index=ids.to_numpy())
    return names[~names.index.duplicated()].rename("screen_name")


def aggregate(archive: Archive, *, kind: str, top: int | None = None) -> pd.DataFrame:
    """:func:`takedown.edges.aggregate` of an archive's interactions, counted in DuckDB."""
    limit = "" if top is None else f"LIMIT {int(top)}"
    table = engine.query(
        archive,
        f"""
        SELECT source, target, weight, first_ms, last_ms FROM {engine.pairs(archive, kind)}
        WHERE target IS NOT NULL ORDER BY weight DESC, source, target {limit}
        """,
    )
    result = pa.table(
        {
            "source": table["source"].cast(pa.string()),
            "target": table["target"].cast(pa.string()),
            "weight": table["weight"],
            "first": table["first_ms"].cast(_TIME),
            "last": table["last_ms"].cast(_TIME),
        }
    )
    return engine.frame(result)


def network_size(archive: Archive, *, kind: str = "retweet") -> dict:
    """Ties (distinct source-target pairs), accounts and interactions of an archive's network, counted in DuckDB."""
    row = engine.query(
        archive,
        f"""
        WITH pairs AS (SELECT source, target, weight FROM {engine.pairs(archive, kind)} WHERE target IS NOT NULL)
        SELECT (SELECT count(*) FROM pairs) AS ties, (SELECT sum(weight) FROM pairs) AS interactions,
               (SELECT count(*) FROM (SELECT source FROM pairs UNION SELECT target FROM pairs)) AS accounts
        """,
    ).to_pylist()[0]
    return {key: int(value or 0) for key, value in row.items()}


def amplification(archive: Archive, *, targets=None) -> pd.DataFrame:
    """:func:`takedown.edges.amplification`, out of core: aggregated in DuckDB, never one row per retweet."""
    wanted = "" if targets is None else "WHERE target IN (SELECT unnest($targets))"
    table = engine.query(
        archive,
        f"""
        WITH edges AS (
            SELECT source, target, weight AS retweets, 0 AS quotes, first_ms, last_ms
            FROM {engine.pairs(archive, "retweet")}
            UNION ALL
            SELECT source, target, 0, weight, first_ms, last_ms FROM {engine.pairs(archive, "quote")}
        ),
        pairs AS (
            SELECT source AS amplifier, target, sum(retweets)::BIGINT AS retweets, sum(quotes)::BIGINT AS quotes,
                   min(first_ms) AS first_ms, max(last_ms) AS last_ms
            FROM edges WHERE target IS NOT NULL GROUP BY 1, 2
        ),
        filtered AS (SELECT * FROM pairs {wanted}),
        ids AS (SELECT DISTINCT userid FROM users WHERE userid IS NOT NULL),
        core AS (SELECT DISTINCT target FROM filtered WHERE target IN (SELECT userid FROM ids))
        SELECT amplifier, target, retweets, quotes, retweets + quotes AS total, first_ms, last_ms,
               CASE WHEN amplifier IN (SELECT target FROM core) THEN 'core' ELSE 'amplifier' END AS amplifier_role,
               CASE WHEN target IN (SELECT userid FROM ids) THEN 'core' ELSE 'external' END AS target_role
        FROM filtered ORDER BY total DESC, amplifier, target
        """,
        **({} if targets is None else {"targets": [str(t) for t in targets]}),
    )
    result = pa.table(
        {
            "amplifier": table["amplifier"].cast(pa.string()),
            "target": table["target"].cast(pa.string()),
            "retweets": table["retweets"],
            "quotes": table["quotes"],
            "total": table["total"],
            "first": table["first_ms"].cast(_TIME),
            "last": table["last_ms"].cast(_TIME),
            "amplifier_role": table["amplifier_role"].cast(pa.string()),
            "target_role": table["target_role"].cast(pa.string()),
        }
    )
    return engine.frame(result)
