"""Engagement: likes, retweets, replies and quotes each tweet received, and how they are shared out."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from takedown.archive import Archive
from takedown.measures.concentration import gini, top_share

__all__ = [
    "ENGAGEMENT",
    "engagement",
    "engagement_by_account",
    "engagement_histogram",
    "engagement_summary",
    "zero_follower_hits",
]

#: The count columns whose sum is a tweet's engagement (SIO: E = likes + retweets + replies + quotes).
ENGAGEMENT = ("like_count", "retweet_count", "reply_count", "quote_count")


def engagement(archive: Archive) -> pd.DataFrame:
    """Engagement per tweet.

    Returns
    -------
    pandas.DataFrame
        ``tweetid``, ``userid``, ``is_retweet``, the four counts and
        ``engagement`` (their sum; a missing count counts as 0). A tweet
        without any of the four counts (every tweet of FiveThirtyEight's
        and Reddit's data) has 0 here too: :func:`engagement_summary` and
        :func:`engagement_histogram` leave such tweets out rather than count
        them as tweets that received none.

    Examples
    --------
    >>> import takedown as td
    >>> table = td.measures.engagement(td.datasets.sample())
    >>> bool((table["engagement"] >= 0).all())
    True
    """
    if archive.out_of_core:
        from takedown.measures import outofcore

        return outofcore.engagement(archive)
    tweets = archive.load("tweets", columns=["tweetid", "userid", "is_retweet", *ENGAGEMENT])
    counts = tweets[list(ENGAGEMENT)].fillna(0).astype("int64")
    table = pd.concat([tweets[["tweetid", "userid", "is_retweet"]], counts], axis=1)
    table["engagement"] = counts.sum(axis=1)
    return table


def _counted(archive: Archive) -> tuple[pd.DataFrame, np.ndarray]:
    """The four counts of every tweet (a missing one as 0), and which tweets have at least one count."""
    raw = archive.load("tweets", columns=list(ENGAGEMENT))
    counted = raw.notna().any(axis=1).to_numpy(dtype=bool)
    return raw.fillna(0).astype("int64"), counted


def engagement_summary(archive: Archive) -> pd.Series:
    """The engagement figures the reports quote.

    Only tweets with at least one of the four counts are measured: a tweet
    without any (every tweet of FiveThirtyEight's and Reddit's data) has
    unknown engagement, not none. Within a measured tweet a missing count
    counts as 0.

    Returns
    -------
    pandas.Series
        ``tweets`` (all), ``tweets_with_counts``, ``share_no_engagement``,
        ``mean_per_tweet`` (retweets counting 0 as in the files),
        ``mean_per_original`` (retweets left out), ``total`` and the mean of
        each count, all over the tweets with counts; null (not 0) when no
        tweet has counts.

    References
    ----------
    SIO (2020): the majority of Thailand tweets received no engagement; 0.26
    engagements per tweet on average.

    Examples
    --------
    >>> import takedown as td
    >>> summary = td.measures.engagement_summary(td.datasets.sample())
    >>> bool(0 <= summary["share_no_engagement"] <= 1), int(summary["tweets_with_counts"])
    (True, 21385)
    """
    if archive.out_of_core:
        from takedown.measures import outofcore

        sums = outofcore.engagement_sums(archive)
    else:
        counts, counted = _counted(archive)
        counts = counts[counted]
        total = counts.sum(axis=1)
        retweets = archive.load("tweets", columns=["is_retweet"])["is_retweet"]
        originals = ~retweets.fillna(False).to_numpy(dtype=bool)[counted]
        sums = {
            "tweets": len(counted),
            "counted": int(counted.sum()),
            "originals": int(originals.sum()),
            "none": int((total == 0).sum()),
            "total": int(total.sum()),
            "total_originals": int(total[originals].sum()),
            **{name: int(counts[name].sum()) for name in ENGAGEMENT},
        }
    # Means from whole-number sums, so that both paths give the same figures to the last bit.
    counted, originals = sums["counted"], sums["originals"]
    result = {
        "tweets": sums["tweets"],
        "tweets_with_counts": counted,
        "share_no_engagement": sums["none"] / counted if counted else np.nan,
        "mean_per_tweet": sums["total"] / counted if counted else np.nan,
        "mean_per_original": sums["total_originals"] / originals if originals else np.nan,
        "total": float(sums["total"]) if counted else np.nan,
    }
    result.update({f"mean_{name}": sums[name] / counted if counted else np.nan for name in ENGAGEMENT})
    return pd.Series(result, name="engagement", dtype=float)


def engagement_histogram(archive: Archive, *, cap: int = 10) -> pd.DataFrame:
    """How many tweets received each amount of engagement, ``cap`` and more counted together.

    Only tweets with at least one of the four counts are counted (a missing
    count within such a tweet counts as 0). A tweet without any, as in
    FiveThirtyEight's and Reddit's data, has unknown engagement, not none:
    it is left out, so that a data set without counts gives an empty
    histogram (every row 0, shares null), not one where every tweet
    received none.

    Parameters
    ----------
    archive : Archive
    cap : int, default 10
        The last row counts tweets with at least this much engagement.

    Returns
    -------
    pandas.DataFrame
        ``engagement`` (0 .. ``cap``), ``tweets`` and ``share`` of the
        tweets with counts, one row per amount, none left out (zeros
        included); ``attrs["tweets"]`` holds the number of tweets and
        ``attrs["counted"]`` how many of them have counts.

    Examples
    --------
    >>> import takedown as td
    >>> table = td.measures.engagement_histogram(td.datasets.sample())
    >>> int(table["tweets"].sum()), table["engagement"].tolist()[-1], table.attrs
    (21385, 10, {'tweets': 21385, 'counted': 21385})
    """
    if not isinstance(cap, int) or cap < 1:
        raise ValueError(f"cap: expected a whole number of at least 1, got {cap!r}")
    if archive.out_of_core:
        from takedown.measures import outofcore

        counts, tweets = outofcore.engagement_histogram(archive, cap=cap)
    else:
        values, counted = _counted(archive)
        values = values.sum(axis=1).to_numpy(dtype=np.int64)[counted]
        counts, tweets = np.bincount(np.minimum(values, cap), minlength=cap + 1), len(counted)
    total = int(counts.sum())
    table = pd.DataFrame(
        {
            "engagement": np.arange(cap + 1),
            "tweets": counts,
            "share": counts / total if total else np.full(cap + 1, np.nan),
        }
    )
    table.attrs = {"tweets": int(tweets), "counted": total}
    return table


def engagement_by_account(archive: Archive, *, q: float = 0.01) -> tuple[pd.DataFrame, pd.Series]:
    """Engagement received per account, and how concentrated it is.

    Returns
    -------
    table : pandas.DataFrame
        ``tweets`` and ``engagement`` per account that tweeted, most engaged first.
    concentration : pandas.Series
        ``top_share`` (of the top ``q`` of accounts), ``gini`` and
        ``tweet_top_share`` (the same share across tweets).

    Examples
    --------
    >>> import takedown as td
    >>> table, concentration = td.measures.engagement_by_account(td.datasets.sample())
    >>> sorted(concentration.index)
    ['gini', 'top_share', 'tweet_top_share']
    """
    if archive.out_of_core:
        from takedown.measures import outofcore

        table, per_tweet = outofcore.engagement_by_account(archive)
    else:
        per_tweet = engagement(archive)
        table = per_tweet.groupby("userid").agg(tweets=("tweetid", "size"), engagement=("engagement", "sum"))
        table = table.sort_values("engagement", ascending=False, kind="stable")
        per_tweet = per_tweet["engagement"]
    concentration = pd.Series(
        {
            "top_share": top_share(table["engagement"], q=q)["value"],
            "gini": gini(table["engagement"])["value"],
            "tweet_top_share": top_share(per_tweet, q=q)["value"],
        },
        name="engagement_concentration",
    )
    return table, concentration


def zero_follower_hits(archive: Archive, *, likes: int = 50, retweets: int = 10) -> pd.Series:
    """ASPI's check: tweets from accounts with no followers that still got many likes or retweets.

    A count is null (not 0) where the check cannot be made: when no account
    in the data has a follower count (Reddit's), or no tweet has a like
    count (for ``over_likes``) or a retweet count (for ``over_retweets``), as
    in FiveThirtyEight's and Reddit's data and in a release without tweets.

    Parameters
    ----------
    likes, retweets : int
        Thresholds (strictly more than), 50 and 10 as in ASPI (2020).

    Returns
    -------
    pandas.Series
        ``over_likes`` and ``over_retweets``: numbers of such tweets
        (``int64[pyarrow]``, null where unknown).

    References
    ----------
    ASPI (2020), "Retweeting through the great firewall": 156 tweets from
    0-follower accounts with more than 50 likes, 26 with more than 10
    retweets, a sign of bought or coordinated engagement.

    Examples
    --------
    >>> import takedown as td
    >>> td.measures.zero_follower_hits(td.datasets.sample()).index.tolist()
    ['over_likes', 'over_retweets']
    """
    if archive.out_of_core:
        from takedown.measures import outofcore

        counts = outofcore.zero_follower_hits(archive, likes=likes, retweets=retweets)
    else:
        users = archive.load("users", columns=["userid", "follower_count"])
        zero = users.loc[(users["follower_count"] == 0).fillna(False).to_numpy(dtype=bool), "userid"]
        tweets = archive.load("tweets", columns=["userid", "like_count", "retweet_count"])
        followers = bool(users["follower_count"].notna().any())
        known = {name: followers and bool(tweets[name].notna().any()) for name in ("like_count", "retweet_count")}
        tweets = tweets[tweets["userid"].isin(zero).to_numpy(dtype=bool)]
        counts = {
            "over_likes": int((tweets["like_count"].fillna(0) > likes).sum()) if known["like_count"] else None,
            "over_retweets": int((tweets["retweet_count"].fillna(0) > retweets).sum())
            if known["retweet_count"]
            else None,
        }
    return pd.Series(counts, name="zero_follower_hits", dtype=pd.ArrowDtype(pa.int64()))
