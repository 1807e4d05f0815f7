"""Engagement: likes, retweets, replies and quotes each tweet received, and how they are shared out."""

from __future__ import annotations

import numpy as np
import pandas as pd

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
        ``engagement`` (their sum; a missing count counts as 0).

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


def engagement_summary(archive: Archive) -> pd.Series:
    """The engagement figures the reports quote.

    Returns
    -------
    pandas.Series
        ``tweets``, ``share_no_engagement``, ``mean_per_tweet`` (all tweets,
        retweets counting 0 as in the files), ``mean_per_original``
        (retweets left out), ``total`` and the mean of each count; null
        (not 0) for data sets without engagement counts, such as
        FiveThirtyEight's and Reddit's.

    References
    ----------
    SIO (2020): the majority of Thailand tweets received no engagement; 0.26
    engagements per tweet on average.

    Examples
    --------
    >>> import takedown as td
    >>> summary = td.measures.engagement_summary(td.datasets.sample())
    >>> bool(0 <= summary["share_no_engagement"] <= 1)
    True
    """
    if archive.out_of_core:
        from takedown.measures import outofcore

        sums = outofcore.engagement_sums(archive)
    else:
        table = engagement(archive)
        originals = ~table["is_retweet"].fillna(False).to_numpy(dtype=bool)
        raw = archive.load("tweets", columns=list(ENGAGEMENT))
        sums = {
            "counted": int(raw.notna().any(axis=1).sum()),
            "tweets": len(table),
            "originals": int(originals.sum()),
            "none": int((table["engagement"] == 0).sum()),
            "total": int(table["engagement"].sum()),
            "total_originals": int(table["engagement"][originals].sum()),
            **{name: int(table[name].sum()) for name in ENGAGEMENT},
        }
    # Means from whole-number sums, so that both paths give the same figures to the last bit. A data set
    # without engagement counts (FiveThirtyEight's, Reddit's) has no figures, not zeros.
    tweets, originals = (sums["tweets"], sums["originals"]) if sums["counted"] else (0, 0)
    result = {
        "tweets": sums["tweets"],
        "share_no_engagement": sums["none"] / tweets if tweets else np.nan,
        "mean_per_tweet": sums["total"] / tweets if tweets else np.nan,
        "mean_per_original": sums["total_originals"] / originals if originals else np.nan,
        "total": float(sums["total"]) if sums["counted"] else np.nan,
    }
    result.update({f"mean_{name}": sums[name] / tweets if tweets else np.nan for name in ENGAGEMENT})
    return pd.Series(result, name="engagement", dtype=float)


def engagement_histogram(archive: Archive, *, cap: int = 10) -> pd.DataFrame:
    """How many tweets received each amount of engagement, ``cap`` and more counted together.

    Parameters
    ----------
    archive : Archive
    cap : int, default 10
        The last row counts tweets with at least this much engagement.

    Returns
    -------
    pandas.DataFrame
        ``engagement`` (0 .. ``cap``), ``tweets`` and ``share`` of all tweets,
        one row per amount, none left out (zeros included).

    Examples
    --------
    >>> import takedown as td
    >>> table = td.measures.engagement_histogram(td.datasets.sample())
    >>> int(table["tweets"].sum()) == len(td.datasets.sample().tweets), table["engagement"].tolist()[-1]
    (True, 10)
    """
    if not isinstance(cap, int) or cap < 1:
        raise ValueError(f"cap: expected a whole number of at least 1, got {cap!r}")
    if archive.out_of_core:
        from takedown.measures import outofcore

        counts = outofcore.engagement_histogram(archive, cap=cap)
    else:
        values = engagement(archive)["engagement"].to_numpy()
        counts = np.bincount(np.minimum(values, cap), minlength=cap + 1)
    total = counts.sum()
    return pd.DataFrame(
        {"engagement": np.arange(cap + 1), "tweets": counts, "share": counts / total if total else np.nan}
    )


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

    Parameters
    ----------
    likes, retweets : int
        Thresholds (strictly more than), 50 and 10 as in ASPI (2020).

    Returns
    -------
    pandas.Series
        ``over_likes`` and ``over_retweets``: numbers of such tweets.

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
        tweets = tweets[tweets["userid"].isin(zero).to_numpy(dtype=bool)]
        counts = {
            "over_likes": int((tweets["like_count"].fillna(0) > likes).sum()),
            "over_retweets": int((tweets["retweet_count"].fillna(0) > retweets).sum()),
        }
    return pd.Series(counts, name="zero_follower_hits")
