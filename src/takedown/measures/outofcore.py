"""Measures of :mod:`takedown.measures`, computed by DuckDB over the cached Parquet files.

Each function gives exactly what its pandas twin gives (``tests/test_outofcore.py``
checks it), without loading more than the columns it names; sums are whole
numbers, turned into means in Python by the caller, so that the figures
agree to the last bit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from takedown import engine
from takedown.archive import Archive
from takedown.measures.engagement import ENGAGEMENT

__all__ = [
    "engagement",
    "engagement_by_account",
    "engagement_histogram",
    "engagement_sums",
    "retweets_by_account",
    "share_by_target",
    "zero_follower_hits",
]

_SUM = " + ".join(f"coalesce({name}, 0)" for name in ENGAGEMENT)
#: A tweet with at least one count: the others have no engagement figure, not 0 (see engagement_histogram).
_COUNTED = "(" + " OR ".join(f"{name} IS NOT NULL" for name in ENGAGEMENT) + ")"


def engagement(archive: Archive) -> pd.DataFrame:
    """:func:`takedown.measures.engagement`, out of core."""
    counts = ", ".join(f"coalesce({name}, 0)::BIGINT AS {name}" for name in ENGAGEMENT)
    table = engine.query(
        archive,
        f"SELECT tweetid, userid, is_retweet, {counts}, ({_SUM})::BIGINT AS engagement FROM tweets",
    )
    frame = table.select(["tweetid", "userid", "is_retweet"]).to_pandas(types_mapper=pd.ArrowDtype)
    for name in (*ENGAGEMENT, "engagement"):
        frame[name] = table[name].to_numpy()
    return frame


def engagement_sums(archive: Archive) -> dict:
    """The whole-number sums behind :func:`takedown.measures.engagement_summary`, over the tweets with counts."""
    sums = ", ".join(f"sum(coalesce({name}, 0)) FILTER (WHERE {_COUNTED})::BIGINT AS {name}" for name in ENGAGEMENT)
    original = f"{_COUNTED} AND NOT coalesce(is_retweet, false)"
    row = engine.query(
        archive,
        f"""
        SELECT count(*) AS tweets,
               count(*) FILTER (WHERE {_COUNTED}) AS counted,
               count(*) FILTER (WHERE {original}) AS originals,
               count(*) FILTER (WHERE {_COUNTED} AND ({_SUM}) = 0) AS none,
               sum({_SUM}) FILTER (WHERE {_COUNTED})::BIGINT AS total,
               sum({_SUM}) FILTER (WHERE {original})::BIGINT AS total_originals,
               {sums}
        FROM tweets
        """,
    ).to_pylist()[0]
    return {key: int(value or 0) for key, value in row.items()}


def engagement_by_account(archive: Archive) -> tuple[pd.DataFrame, np.ndarray]:
    """The per-account table of :func:`takedown.measures.engagement_by_account`, and every tweet's engagement."""
    table = engine.query(
        archive,
        f"""
        SELECT userid, count(*) AS tweets, sum({_SUM})::BIGINT AS engagement
        FROM tweets WHERE userid IS NOT NULL GROUP BY userid ORDER BY engagement DESC, userid
        """,
    )
    per_tweet = engine.query(archive, f"SELECT ({_SUM})::BIGINT AS e FROM tweets")["e"].to_numpy()
    frame = pd.DataFrame(
        {
            "tweets": pd.arrays.ArrowExtensionArray(table["tweets"].cast(pa.int64())),
            "engagement": table["engagement"].to_numpy(),
        },
        index=pd.Index(pd.arrays.ArrowExtensionArray(table["userid"].cast(pa.string())), name="userid"),
    )
    return frame, per_tweet


def engagement_histogram(archive: Archive, *, cap: int) -> tuple[np.ndarray, int]:
    """Tweets with counts by engagement received, ``cap`` and more together, and the number of all tweets.

    See :func:`takedown.measures.engagement_histogram`.
    """
    table = engine.query(
        archive,
        f"SELECT CASE WHEN {_COUNTED} THEN least(({_SUM})::BIGINT, $cap) END AS e, count(*) AS n FROM tweets GROUP BY 1",
        cap=int(cap),
    )
    counted = table.filter(pc.is_valid(table["e"]))
    counts = np.zeros(cap + 1, dtype=np.int64)
    counts[counted["e"].to_numpy()] = counted["n"].to_numpy()
    return counts, int(pc.sum(table["n"]).as_py() or 0)


def zero_follower_hits(archive: Archive, *, likes: int, retweets: int) -> dict:
    """The counts of :func:`takedown.measures.zero_follower_hits`, null where the data lack the counts."""
    row = engine.query(
        archive,
        """
        SELECT count(*) FILTER (WHERE coalesce(like_count, 0) > $likes) AS over_likes,
               count(*) FILTER (WHERE coalesce(retweet_count, 0) > $retweets) AS over_retweets,
               (SELECT count(follower_count) FROM users) AS followers,
               (SELECT count(like_count) FROM tweets) AS like_count,
               (SELECT count(retweet_count) FROM tweets) AS retweet_count
        FROM tweets WHERE userid IN (SELECT userid FROM users WHERE follower_count = 0)
        """,
        likes=int(likes),
        retweets=int(retweets),
    ).to_pylist()[0]
    return {
        key: int(row[key]) if row["followers"] and row[column] else None
        for key, column in (("over_likes", "like_count"), ("over_retweets", "retweet_count"))
    }


def retweets_by_account(archive: Archive) -> pd.Series:
    """:func:`takedown.measures.retweets_by_account` of an archive's retweets, out of core.

    Ties keep the order in which the accounts first retweeted, as the pandas path does.
    """
    table = engine.query(
        archive,
        f"""
        SELECT source, sum(weight)::BIGINT AS retweets, min(first) AS first
        FROM {engine.pairs(archive, "retweet")} WHERE source IS NOT NULL
        GROUP BY source ORDER BY retweets DESC, first
        """,
    )
    index = pd.Index(pd.arrays.ArrowExtensionArray(table["source"].cast(pa.string())), name="source")
    return pd.Series(table["retweets"].to_numpy().astype(int), index=index, name="retweets")


def share_by_target(archive: Archive, top: list[str]) -> pd.DataFrame:
    """:func:`takedown.measures.superspreader_share_by_target` of an archive's retweets, out of core."""
    table = engine.query(
        archive,
        f"""
        SELECT target, sum(weight)::BIGINT AS retweets,
               coalesce(sum(weight) FILTER (WHERE source IN (SELECT unnest($top))), 0)::BIGINT AS from_top,
               min(first) AS first
        FROM {engine.pairs(archive, "retweet")} WHERE target IS NOT NULL
        GROUP BY target ORDER BY retweets DESC, first
        """,
        top=[str(t) for t in top],
    )
    frame = pd.DataFrame(
        {"retweets": table["retweets"].to_numpy(), "from_top": table["from_top"].to_numpy()},
        index=pd.Index(pd.arrays.ArrowExtensionArray(table["target"].cast(pa.string())), name="target"),
    )
    frame["share"] = frame["from_top"] / frame["retweets"]
    return frame
