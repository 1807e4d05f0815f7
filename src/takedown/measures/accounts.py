"""Accounts: followers, following, biographies and account-creation bursts (ASPI, SIO)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from takedown.archive import Archive

__all__ = ["creation_bursts", "follower_ccdf", "follower_summary", "tweeting_accounts"]

#: Thresholds the reports use: 0 and < 8 (ASPI), < 10 (SIO), >= 5,000 (the 2018 hashing rule).
THRESHOLDS = {"zero": (0, "=="), "under_8": (8, "<"), "under_10": (10, "<"), "5000_or_more": (5_000, ">=")}


def _check(archive) -> None:
    if not isinstance(archive, Archive):
        raise TypeError(f"archive: expected a takedown.Archive, got {type(archive).__name__}")


_USER_COLUMNS = ["userid", "follower_count", "following_count", "user_profile_description"]


def _blank(descriptions: pd.Series) -> pd.Series:
    return descriptions.fillna("").str.strip().eq("")


def _describe(users: pd.DataFrame, *, biographies: bool) -> dict:
    followers = users["follower_count"].astype("float64")
    known = followers.notna()
    row = {"accounts": len(users)}
    for name, (limit, op) in THRESHOLDS.items():
        test = {"==": followers == limit, "<": followers < limit, ">=": followers >= limit}[op]
        # Shares of the accounts whose count is known: none on Reddit, which has no followers.
        row[f"share_{name}"] = float(test[known].mean()) if known.any() else np.nan
    row.update(
        mean=float(followers.mean()),
        median=float(followers.median()),
        q75=float(followers.quantile(0.75)),
        q90=float(followers.quantile(0.9)),
        q99=float(followers.quantile(0.99)),
        max=float(followers.max()),
        mean_following=float(users["following_count"].astype("float64").mean()),
        share_no_biography=float(_blank(users["user_profile_description"]).mean())
        if biographies and len(users)
        else np.nan,
    )
    return row


def follower_summary(archive: Archive) -> pd.DataFrame:
    """Followers of all accounts and of the accounts that tweeted, as ASPI and SIO report them.

    Returns
    -------
    pandas.DataFrame
        Rows ``"all accounts"`` and ``"accounts that tweeted"``; columns
        ``accounts``, ``share_zero``, ``share_under_8``, ``share_under_10``
        (shares of the accounts whose count is known; null for data sets
        without followers, such as Reddit's),
        ``share_5000_or_more``, ``mean``, ``median``, ``q75``, ``q90``, ``q99``, ``max``
        (followers), ``mean_following`` and ``share_no_biography`` (empty
        ``user_profile_description``; null when no account in the data has
        one, as in FiveThirtyEight's and Reddit's data, which do not record
        biographies: a release whose every account lacks one cannot be told
        from a format without them).

    References
    ----------
    Stanford Internet Observatory (2020), "Cheerleading Without Fans":
    average followers 1.28 (all) and 2.47 (tweeting accounts), at most 66.
    ASPI (2020), "Retweeting through the great firewall": 78.5% with no
    followers, 95% under 8. Follower counts are a snapshot whose date the
    releases do not give.

    Examples
    --------
    >>> import takedown as td
    >>> summary = td.measures.follower_summary(td.datasets.sample())
    >>> list(summary.index)
    ['all accounts', 'accounts that tweeted']
    """
    _check(archive)
    users = archive.load("users", columns=_USER_COLUMNS)
    tweeted = users[users["userid"].isin(tweeting_accounts(archive)).to_numpy(dtype=bool)]
    biographies = not _blank(users["user_profile_description"]).all()
    return pd.DataFrame(
        [_describe(users, biographies=biographies), _describe(tweeted, biographies=biographies)],
        index=["all accounts", "accounts that tweeted"],
    )


def tweeting_accounts(archive: Archive) -> pd.Index:
    """The accounts with at least one tweet (out of core, DuckDB lists them without loading the ids).

    Examples
    --------
    >>> import takedown as td
    >>> len(td.measures.tweeting_accounts(td.datasets.sample()))
    463
    """
    if archive.out_of_core:
        from takedown import engine

        found = engine.query(archive, "SELECT DISTINCT userid FROM tweets WHERE userid IS NOT NULL")["userid"]
        return pd.Index(pd.arrays.ArrowExtensionArray(found.cast(pa.string())))
    return pd.Index(archive.load("tweets", columns=["userid"])["userid"].dropna().unique())


def follower_ccdf(archive: Archive, *, column: str = "follower_count") -> pd.DataFrame:
    """Complementary cumulative distribution of followers (or ``following_count``).

    Shares are of the accounts whose count is known. Where no account has
    one (Reddit's data: Reddit has no followers) the table is empty, not a
    distribution of zeros.

    Returns
    -------
    pandas.DataFrame
        ``value`` and ``share_at_least`` (share of the accounts with a
        known count that have at least that many), one row per distinct
        value; ``attrs["accounts"]`` holds the number of accounts and
        ``attrs["known"]`` how many of them have a count.

    Examples
    --------
    >>> import takedown as td
    >>> ccdf = td.measures.follower_ccdf(td.datasets.sample())
    >>> float(ccdf["share_at_least"].iloc[0]), ccdf.attrs
    (1.0, {'accounts': 926, 'known': 926})
    """
    _check(archive)
    if column not in ("follower_count", "following_count"):
        raise ValueError(f"column: expected 'follower_count' or 'following_count', got {column!r}")
    counts_of_all = archive.load("users", columns=[column])[column]
    values = counts_of_all.dropna().astype("int64")
    counts = values.value_counts().sort_index()
    at_least = counts[::-1].cumsum()[::-1] / len(values)
    table = pd.DataFrame(
        {"value": counts.index.to_numpy(dtype="int64"), "share_at_least": at_least.to_numpy(dtype="float64")}
    )
    table.attrs = {"accounts": len(counts_of_all), "known": len(values)}
    return table


def creation_bursts(archive: Archive, *, freq: str = "D", top: int = 10) -> pd.DataFrame:
    """Accounts created per day or month, largest batches first.

    Parameters
    ----------
    archive : Archive
    freq : {"D", "M"}
        By day or by month.
    top : int
        How many periods to return.

    Returns
    -------
    pandas.DataFrame
        ``period`` (start date), ``accounts`` and ``share`` of the accounts
        whose creation date is known; empty when none is (FiveThirtyEight's
        data). ``attrs["accounts"]`` holds the number of accounts and
        ``attrs["known"]`` how many of them have a creation date.

    References
    ----------
    SIO (2020): Thailand accounts were registered mostly in December 2019 and
    January 2020.

    Examples
    --------
    >>> import takedown as td
    >>> td.measures.creation_bursts(td.datasets.sample(), top=3).columns.tolist()
    ['period', 'accounts', 'share']
    """
    _check(archive)
    if freq not in ("D", "M"):
        raise ValueError(f"freq: expected 'D' or 'M', got {freq!r}")
    created = archive.load("users", columns=["account_creation_date"])["account_creation_date"]
    periods = pd.to_datetime(created.astype("datetime64[s]")).dt.to_period(freq).dt.start_time
    counts = periods.value_counts().rename("accounts")
    table = counts.rename_axis("period").reset_index()
    # A share of the accounts whose creation date is known (all, in Twitter's files; a few, on Reddit).
    known = int(created.notna().sum())
    table["share"] = table["accounts"] / known
    table = table.sort_values(["accounts", "period"], ascending=[False, True]).head(top).reset_index(drop=True)
    table.attrs = {"accounts": len(created), "known": known}
    return table
