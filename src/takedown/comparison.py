"""The cross-release table papers build by hand: the same measures for many releases, on one machine or a cluster.

Each release is read (through the cache) and summarised on its own, so the
work spreads over a ``dask.distributed`` cluster as it stands: a
``LocalCluster`` on a laptop, a Slurm or PBS cluster through
``dask-jobqueue``, or any scheduler's address. Without a client the releases
are summarised one after the other, and the table is the same.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

__all__ = ["COLUMNS", "compare", "summarise"]

#: The columns of :func:`compare`, in order.
COLUMNS = (
    "release",
    "source",
    "source_format",
    "accounts",
    "tweets",
    "accounts_that_tweeted",
    "retweet_share",
    "zero_follower_share",
    "under_8_follower_share",
    "zero_engagement_share",
    "engagements_per_tweet",
    "top1_retweeter_share",
    "retweet_gini",
    "likely_timezone",
    "timezone_fits",
    "office_hours_share",
    "first",
    "last",
)


def summarise(source, *, cache=True) -> dict:
    """One row of :func:`compare`: a release's headline measures.

    Parameters
    ----------
    source : str or os.PathLike
        What :func:`takedown.read_archive` reads.
    cache : bool or path, default True
        As in :func:`takedown.read_archive`.

    Returns
    -------
    dict
        The values of :data:`COLUMNS`.

    Examples
    --------
    >>> import takedown as td
    >>> row = td.comparison.summarise(td.datasets.sample_path(), cache=False)
    >>> row["release"], row["accounts"], row["tweets"]
    ('synthetic_sample', 926, 21385)
    """
    from takedown import measures
    from takedown.read import read_archive

    archive = read_archive(source, cache=cache)
    followers = measures.follower_summary(archive).loc["all accounts"]
    engagement = measures.engagement_summary(archive)
    counts = measures.retweets_by_account(archive)
    times = measures.post_times(archive)
    retweets = archive.load("tweets", columns=["is_retweet"])["is_retweet"].fillna(False).to_numpy(dtype=bool)
    zone = measures.likely_timezone(archive) if len(times) else None
    tweets = archive.num_rows("tweets")
    return {
        "release": archive.name,
        "source": os.fspath(source),
        "source_format": archive.provenance.source_format,
        "accounts": archive.num_rows("users"),
        "tweets": tweets,
        "accounts_that_tweeted": len(measures.tweeting_accounts(archive)),
        "retweet_share": float(retweets.mean()) if tweets else np.nan,
        "zero_follower_share": float(followers["share_zero"]),
        "under_8_follower_share": float(followers["share_under_8"]),
        "zero_engagement_share": float(engagement["share_no_engagement"]),
        "engagements_per_tweet": float(engagement["mean_per_tweet"]),
        "top1_retweeter_share": float(measures.top_share(counts, q=0.01)["value"]) if len(counts) else np.nan,
        "retweet_gini": float(measures.gini(counts)["value"]) if len(counts) else np.nan,
        "likely_timezone": zone["label"] if zone is not None else None,
        "timezone_fits": bool(zone["fits"]) if zone is not None else False,
        "office_hours_share": measures.office_hours_share(archive, tz=zone["tz"]) if zone is not None else np.nan,
        "first": times.min() if len(times) else pd.NaT,
        "last": times.max() if len(times) else pd.NaT,
    }


def compare(sources, *, client=None, cache=True) -> pd.DataFrame:
    """The same measures for many releases, one row each: the table papers build by hand.

    Parameters
    ----------
    sources : list of str or os.PathLike
        Releases (anything :func:`takedown.read_archive` reads). On a cluster,
        paths every worker can read (a shared file system).
    client : dask.distributed.Client, optional
        Summarise the releases on a Dask cluster: ``Client(LocalCluster())``
        on one machine, ``Client(SLURMCluster(...))`` from ``dask-jobqueue``
        on an HPC cluster, or ``Client("tcp://scheduler:8786")``. Without one,
        the releases are summarised here, one after the other. The table is
        the same either way.
    cache : bool or path, default True
        As in :func:`takedown.read_archive` (each worker uses its own cache
        folder unless a shared path is given).

    Returns
    -------
    pandas.DataFrame
        One row per release, columns :data:`COLUMNS`: accounts, tweets,
        accounts that tweeted, the retweet share, the shares of accounts with
        no followers and with fewer than 8 (ASPI), the share of tweets with
        no engagement and engagements per tweet (SIO), the top 1% of
        retweeters' share of retweets (OII) and the Gini of retweets per
        account, the likely time zone (:func:`takedown.measures.likely_timezone`),
        whether it fits, the share of tweets in office hours there, and the
        first and last tweet (UTC).

    Examples
    --------
    >>> import takedown as td
    >>> table = td.compare([td.datasets.sample_path()], cache=False)
    >>> table[["release", "accounts", "tweets", "likely_timezone"]].values.tolist()
    [['synthetic_sample', 926, 21385, 'UTC+07:00']]
    """
    if isinstance(sources, (str, os.PathLike)):
        raise TypeError("sources: expected a list of releases, got a single path")
    sources = list(sources)
    if not sources:
        raise ValueError("sources: the list of releases is empty")
    if client is None:
        rows = [summarise(source, cache=cache) for source in sources]
    else:
        futures = client.map(summarise, sources, cache=cache, pure=False)
        rows = client.gather(futures)
    table = pd.DataFrame(rows, columns=list(COLUMNS))
    return table.astype({"accounts": "int64", "tweets": "int64", "accounts_that_tweeted": "int64"})
