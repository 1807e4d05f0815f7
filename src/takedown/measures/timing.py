"""When the accounts worked: hours and weekdays in local time, daily series, gaps, clients.

Times are the tweets' Snowflake times (to the millisecond) where the ids
allow, else ``tweet_time``; both are UTC and are converted to the time zone
asked for.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from takedown.archive import Archive
from takedown.edges import tweet_times

__all__ = [
    "post_times",
    "hourly_activity",
    "office_hours_share",
    "activity_series",
    "posting_gaps",
    "retweet_delays",
    "client_shares",
    "language_shares",
    "client_switches",
    "top_hashtags",
]

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def post_times(archive: Archive, *, tz: str = "UTC") -> pd.Series:
    """Each tweet's post time in a time zone (Snowflake time, else ``tweet_time``).

    Examples
    --------
    >>> import takedown as td
    >>> times = td.measures.post_times(td.datasets.sample(), tz="Asia/Bangkok")
    >>> str(times.dt.tz)
    'Asia/Bangkok'
    """
    utc = tweet_times(archive.tweets)
    return pd.to_datetime(utc.astype("datetime64[ms, UTC]")).dt.tz_convert(tz).rename("time")


def hourly_activity(archive: Archive, *, tz: str = "UTC", half_hours: bool = False) -> pd.DataFrame:
    """Tweets by hour (or half hour) of the day and day of the week, in local time.

    Parameters
    ----------
    archive : Archive
    tz : str
        IANA time zone, e.g. ``"Asia/Bangkok"`` (SIO) or ``"Asia/Shanghai"`` (ASPI).
    half_hours : bool
        Bins of 30 minutes (SIO's Thailand figure) instead of hours.

    Returns
    -------
    pandas.DataFrame
        Rows ``Mon`` .. ``Sun``, one column per hour (``0.0`` .. ``23.0``) or
        half hour (``0.0``, ``0.5``, ...), holding tweet counts.

    References
    ----------
    SIO (2020): Thailand activity by half hour of Bangkok time, with a lunch
    dip; ASPI (2020): Beijing office hours, Monday to Friday.

    Examples
    --------
    >>> import takedown as td
    >>> grid = td.measures.hourly_activity(td.datasets.sample(), tz="Asia/Bangkok")
    >>> grid.shape
    (7, 24)
    """
    times = post_times(archive, tz=tz)
    step = 0.5 if half_hours else 1.0
    slot = times.dt.hour + (times.dt.minute >= 30) * 0.5 if half_hours else times.dt.hour.astype(float)
    grid = pd.crosstab(times.dt.day_of_week, slot)
    return grid.reindex(index=range(7), columns=np.arange(0, 24, step), fill_value=0).set_axis(list(WEEKDAYS), axis=0)


def office_hours_share(
    archive: Archive, *, tz: str = "UTC", hours: tuple[int, int] = (9, 18), weekdays_only: bool = True
) -> float:
    """Share of tweets posted in office hours (local time), on weekdays by default.

    Neither SIO nor ASPI gives this share as a number (they show the hours);
    this is the number behind their figures, hours ``[start, end)``.

    Examples
    --------
    >>> import takedown as td
    >>> 0 <= td.measures.office_hours_share(td.datasets.sample(), tz="Asia/Bangkok") <= 1
    True
    """
    times = post_times(archive, tz=tz)
    inside = (times.dt.hour >= hours[0]) & (times.dt.hour < hours[1])
    if weekdays_only:
        inside &= times.dt.day_of_week < 5
    return float(inside.mean()) if len(times) else float("nan")


def activity_series(archive: Archive, *, freq: str = "D", tz: str = "UTC", by: str | None = None) -> pd.DataFrame:
    """Tweets per day, week or month; optionally split by a column (``is_retweet``, ``tweet_language``, ...).

    Returns
    -------
    pandas.DataFrame
        Indexed by period start (local dates), one column ``tweets`` or one
        per value of ``by``; periods without tweets are 0.

    Examples
    --------
    >>> import takedown as td
    >>> series = td.measures.activity_series(td.datasets.sample(), freq="MS")
    >>> int(series["tweets"].sum()) == len(td.datasets.sample().tweets)
    True
    """
    times = post_times(archive, tz=tz).dt.tz_localize(None)
    frame = pd.DataFrame({"time": times, "group": archive.tweets[by].astype(str) if by else "tweets"})
    table = frame.groupby([pd.Grouper(key="time", freq=freq), "group"]).size().unstack(fill_value=0)
    if len(table):
        table = table.asfreq(freq, fill_value=0)
    return table.rename_axis(columns=by)


def posting_gaps(archive: Archive, *, retweets_only: bool = False) -> pd.DataFrame:
    """Seconds between each account's consecutive tweets (Snowflake times), summarised per account.

    Returns
    -------
    pandas.DataFrame
        ``tweets``, ``median_gap`` and ``min_gap`` (seconds) and
        ``within_60s`` (share of gaps under a minute), per account with at
        least two tweets, fastest first.

    References
    ----------
    OII (2021): "rapid-fire" accounts retweeting seconds apart.

    Examples
    --------
    >>> import takedown as td
    >>> gaps = td.measures.posting_gaps(td.datasets.sample(), retweets_only=True)
    >>> bool((gaps["median_gap"] >= 0).all())
    True
    """
    tweets = archive.tweets
    times = post_times(archive)
    frame = pd.DataFrame({"userid": tweets["userid"], "time": times})
    if retweets_only:
        frame = frame[tweets["is_retweet"].fillna(False).to_numpy(dtype=bool)]
    frame = frame.sort_values(["userid", "time"], kind="stable")
    gaps = frame.groupby("userid")["time"].diff().dt.total_seconds()
    frame = frame.assign(gap=gaps).dropna(subset=["gap"])
    table = frame.groupby("userid")["gap"].agg(
        tweets="size", median_gap="median", min_gap="min", within_60s=lambda g: float((g < 60).mean())
    )
    table["tweets"] += 1
    return table.sort_values("median_gap", kind="stable")


def retweet_delays(edges: pd.DataFrame, *, within: tuple[float, ...] = (10, 60, 3600)) -> pd.Series:
    """How fast retweets follow the original (from :func:`takedown.edges.retweets`, Snowflake times).

    Returns
    -------
    pandas.Series
        ``retweets`` (with a known delay), ``median_delay`` (seconds) and
        ``share_within_<s>s`` for each threshold.

    References
    ----------
    OII (2021): retweets "within sixty seconds" of the original as a mark of
    automated or coordinated amplification; CooRTweet uses 10 s.

    Examples
    --------
    >>> import takedown as td
    >>> td.measures.retweet_delays(td.edges.retweets(td.datasets.sample())).index.tolist()
    ['retweets', 'median_delay', 'share_within_10s', 'share_within_60s', 'share_within_3600s']
    """
    if "delay" not in edges.columns:
        raise ValueError("edges: no 'delay' column; pass takedown.edges.retweets(archive)")
    delays = edges["delay"].dropna().astype("float64")
    result = {"retweets": float(len(delays)), "median_delay": float(delays.median())}
    for seconds in within:
        result[f"share_within_{seconds:g}s"] = float((delays <= seconds).mean()) if len(delays) else np.nan
    return pd.Series(result, name="retweet_delays")


def _shares(values: pd.Series, times: pd.Series | None, *, freq: str | None, top: int, name: str) -> pd.DataFrame:
    values = values.fillna("(none)").astype(str)
    keep = values.value_counts().index[:top]
    values = values.where(values.isin(keep), "other")
    if freq is None:
        shares = values.value_counts(normalize=True).to_frame("all").T
    else:
        counts = pd.crosstab(times.dt.to_period(freq).dt.start_time, values)
        shares = counts.div(counts.sum(axis=1), axis=0)
    return shares.rename_axis(columns=name)


def client_shares(archive: Archive, *, freq: str | None = None, top: int = 8) -> pd.DataFrame:
    """Share of tweets by client (``Twitter Web App``, ``Twitter for Android``, ...), overall or per period.

    Clients beyond the ``top`` most used are grouped as ``"other"``.

    Returns
    -------
    pandas.DataFrame
        One column per client, shares summing to 1 per row; one row
        (``"all"``) or one per period.

    References
    ----------
    ASPI (2019), "Tweeting through the great firewall": the China 2019
    accounts switched to "Twitter Web Client" when they were repurposed.

    Examples
    --------
    >>> import takedown as td
    >>> shares = td.measures.client_shares(td.datasets.sample())
    >>> round(float(shares.loc["all"].sum()), 6)
    1.0
    """
    times = post_times(archive).dt.tz_localize(None) if freq else None
    return _shares(archive.tweets["tweet_client_name"], times, freq=freq, top=top, name="client")


def language_shares(archive: Archive, *, freq: str | None = None, top: int = 8) -> pd.DataFrame:
    """Share of tweets by ``tweet_language``, overall or per period (see :func:`client_shares`).

    Examples
    --------
    >>> import takedown as td
    >>> "th" in td.measures.language_shares(td.datasets.sample()).columns
    True
    """
    times = post_times(archive).dt.tz_localize(None) if freq else None
    return _shares(archive.tweets["tweet_language"], times, freq=freq, top=top, name="language")


def client_switches(archive: Archive, *, freq: str = "M") -> pd.DataFrame:
    """Each account's main client per period, and whether it changed from the account's previous active period.

    Returns
    -------
    pandas.DataFrame
        ``userid``, ``period``, ``client`` (most used that period),
        ``tweets`` and ``switched`` (bool).

    References
    ----------
    ASPI (2019): a switch of client and of posting hours marked the resale of
    accounts to a new operator.

    Examples
    --------
    >>> import takedown as td
    >>> table = td.measures.client_switches(td.datasets.sample())
    >>> table.columns.tolist()
    ['userid', 'period', 'client', 'tweets', 'switched']
    """
    frame = pd.DataFrame(
        {
            "userid": archive.tweets["userid"],
            "period": post_times(archive).dt.tz_localize(None).dt.to_period(freq).dt.start_time,
            "client": archive.tweets["tweet_client_name"].fillna("(none)").astype(str),
        }
    )
    counts = frame.groupby(["userid", "period", "client"], observed=True).size().rename("tweets").reset_index()
    main = counts.sort_values(["userid", "period", "tweets", "client"], ascending=[True, True, False, True])
    main = main.drop_duplicates(["userid", "period"])
    totals = frame.groupby(["userid", "period"]).size().rename("tweets")
    main = main.drop(columns="tweets").merge(totals, on=["userid", "period"])
    previous = main.groupby("userid")["client"].shift()
    main["switched"] = previous.notna() & (previous != main["client"])
    return main.reset_index(drop=True)


def top_hashtags(archive: Archive, *, freq: str | None = None, top: int = 10) -> pd.DataFrame:
    """The most used hashtags, overall or per period (case kept as written).

    Returns
    -------
    pandas.DataFrame
        ``period`` (when ``freq``), ``hashtag`` and ``tweets``, most used first
        (per period).

    Examples
    --------
    >>> import takedown as td
    >>> td.measures.top_hashtags(td.datasets.sample(), top=3).columns.tolist()
    ['hashtag', 'tweets']
    """
    frame = pd.DataFrame({"hashtag": archive.tweets["hashtags"], "time": post_times(archive).dt.tz_localize(None)})
    frame = frame.explode("hashtag").dropna(subset=["hashtag"])
    if freq is None:
        counts = frame["hashtag"].value_counts().head(top)
        return counts.rename("tweets").rename_axis("hashtag").reset_index()
    frame["period"] = frame["time"].dt.to_period(freq).dt.start_time
    counts = frame.groupby(["period", "hashtag"]).size().rename("tweets").reset_index()
    counts = counts.sort_values(["period", "tweets", "hashtag"], ascending=[True, False, True])
    return counts.groupby("period").head(top).reset_index(drop=True)
