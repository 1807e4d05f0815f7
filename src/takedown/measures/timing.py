"""When the accounts worked: hours and weekdays in local time, daily series, gaps, clients.

Times are the tweets' Snowflake times (to the millisecond) where the ids
allow, else ``tweet_time``; both are UTC and are converted to the time zone
asked for.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from takedown.archive import Archive
from takedown.edges import snowflake_time

__all__ = ["post_times", "hourly_activity", "office_hours_share", "activity_series", "posting_gaps", "client_shares"]

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
    exact = snowflake_time(archive.tweets["tweetid"])
    utc = exact.fillna(archive.tweets["tweet_time"].astype(exact.dtype))
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
        least two tweets, fastest first. OII's "rapid-fire" accounts have
        median gaps of seconds.

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


def client_shares(archive: Archive, *, freq: str | None = None, top: int = 8) -> pd.DataFrame:
    """Share of tweets by client (``Twitter Web App``, ``Twitter for Android``, ...), overall or per period.

    Clients beyond the ``top`` most used are grouped as ``"other"``.

    Returns
    -------
    pandas.DataFrame
        One column per client, shares summing to 1 per row; one row
        (``"all"``) or one per period.

    Examples
    --------
    >>> import takedown as td
    >>> shares = td.measures.client_shares(td.datasets.sample())
    >>> round(float(shares.loc["all"].sum()), 6)
    1.0
    """
    clients = archive.tweets["tweet_client_name"].fillna("(none)").astype(str)
    keep = clients.value_counts().index[:top]
    clients = clients.where(clients.isin(keep), "other")
    if freq is None:
        shares = clients.value_counts(normalize=True).to_frame("all").T
    else:
        times = post_times(archive).dt.tz_localize(None)
        counts = pd.crosstab(times.dt.to_period(freq).dt.start_time, clients)
        shares = counts.div(counts.sum(axis=1), axis=0)
    return shares.rename_axis(columns="client")
