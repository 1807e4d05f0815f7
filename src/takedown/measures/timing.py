"""When the accounts worked: hours and weekdays in local time, daily series, gaps, clients.

Times are the tweets' Snowflake times (to the millisecond) where the ids
allow, else ``tweet_time``; both are UTC and are converted to the time zone
asked for. ``tz`` is an IANA name (``"Asia/Bangkok"``, daylight saving
included) or a fixed offset (``"UTC+07:00"``, as
:func:`takedown.measures.likely_timezone` gives it).

Every measure works on whole columns: the times become int64 epoch
milliseconds once, are converted to local wall time once per call, and
hours, weekdays and periods come from integer arithmetic and
``numpy.bincount``, so that a call costs a fraction of a second per million
tweets.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from takedown.archive import Archive
from takedown.edges import tweet_times

__all__ = [
    "VOLUME_THRESHOLDS",
    "activity_series",
    "client_shares",
    "client_switches",
    "daily_volume",
    "hourly_activity",
    "language_shares",
    "office_hours_share",
    "post_times",
    "posting_gaps",
    "retweet_delays",
    "top_hashtags",
]

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

#: numpy's ``datetime64`` missing value as an int64 (NaT).
NAT = np.iinfo(np.int64).min
MS_PER_HOUR = 3_600_000
MS_PER_DAY = 86_400_000
#: Weekday of 1970-01-01 (a Thursday), Monday being 0: epoch day d falls on (d + 3) % 7.
EPOCH_WEEKDAY = 3

#: ``activity_series(by="is_retweet")``: column names for the flag as :meth:`Archive.codes` writes it.
_RETWEET_LABELS = {"False": "original tweets", "True": "retweets"}

#: ``activity_series(freq="auto")``: the longest span, in days, of the central
#: 99% of tweets drawn by day, then by week; longer spans are drawn by month.
AUTO_DAILY_DAYS = 180
AUTO_WEEKLY_DAYS = 3 * 365


def _utc_milliseconds(archive: Archive) -> np.ndarray:
    """Each tweet's post time as int64 epoch milliseconds (UTC), ``NAT`` where unknown (computed once per archive)."""

    def compute() -> np.ndarray:
        times = pa.array(tweet_times(archive))
        return pc.fill_null(pc.cast(times, pa.int64()), NAT).to_numpy()

    return archive._memoized("utc_ms", compute)


def check_timezone(tz) -> None:
    """Raise a one-line ``ValueError`` unless ``tz`` is a time zone the measures accept.

    Examples
    --------
    >>> from takedown.measures.timing import check_timezone
    >>> check_timezone("UTC+07:00")
    >>> check_timezone("Bangkok")
    Traceback (most recent call last):
    ...
    ValueError: tz: unknown time zone 'Bangkok'; expected an IANA name such as 'Asia/Bangkok' or an offset such as 'UTC+07:00'
    """
    _zoned(np.zeros(0, dtype=np.int64), tz)


def _zoned(utc_ms: np.ndarray, tz) -> pd.DatetimeIndex:
    index = pd.DatetimeIndex(utc_ms.view("datetime64[ms]")).tz_localize("UTC")
    try:
        return index.tz_convert(tz)
    except (KeyError, ValueError, TypeError):
        raise ValueError(
            f"tz: unknown time zone {tz!r}; expected an IANA name such as 'Asia/Bangkok' or an offset such as "
            "'UTC+07:00'"
        ) from None


def _local_milliseconds(archive: Archive, *, tz="UTC") -> np.ndarray:
    """Each tweet's local wall time in ``tz`` as int64 milliseconds since 1970-01-01 00:00 local, ``NAT`` if unknown.

    Hour, weekday and day follow by integer arithmetic: ``ms // MS_PER_DAY``
    is the local day, ``(day + EPOCH_WEEKDAY) % 7`` its weekday (Monday 0).
    """
    return _zoned(_utc_milliseconds(archive), tz).tz_localize(None).asi8


def post_times(archive: Archive, *, tz: str = "UTC") -> pd.Series:
    """Each tweet's post time in a time zone (Snowflake time, else ``tweet_time``).

    Parameters
    ----------
    archive : Archive
    tz : str
        IANA time zone (``"Asia/Bangkok"``) or fixed offset (``"UTC+07:00"``).

    Returns
    -------
    pandas.Series
        ``time``, ``datetime64[ms, tz]``, aligned with ``archive.tweets``.

    Examples
    --------
    >>> import takedown as td
    >>> times = td.measures.post_times(td.datasets.sample(), tz="Asia/Bangkok")
    >>> str(times.dt.tz)
    'Asia/Bangkok'
    """
    zoned = _zoned(_utc_milliseconds(archive), tz)
    return pd.Series(zoned, index=archive._index("tweets"), name="time")


def hourly_activity(archive: Archive, *, tz: str = "UTC", half_hours: bool = False) -> pd.DataFrame:
    """Tweets by hour (or half hour) of the day and day of the week, in local time.

    Parameters
    ----------
    archive : Archive
    tz : str
        IANA time zone, e.g. ``"Asia/Bangkok"`` (SIO) or ``"Asia/Shanghai"`` (ASPI),
        or a fixed offset such as ``"UTC+07:00"``.
    half_hours : bool
        Bins of 30 minutes (SIO's Thailand figure) instead of hours.

    Returns
    -------
    pandas.DataFrame
        Rows ``Mon`` .. ``Sun``, one column per hour (``0.0`` .. ``23.0``) or
        half hour (``0.0``, ``0.5``, ...), holding tweet counts.

    See Also
    --------
    likely_timezone : the UTC offset at which this grid looks most like a working week.

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
    local = _local_milliseconds(archive, tz=tz)
    local = local[local != NAT]
    slots = 48 if half_hours else 24
    weekday = (local // MS_PER_DAY + EPOCH_WEEKDAY) % 7
    slot = (local % MS_PER_DAY) // (MS_PER_DAY // slots)
    counts = np.bincount(weekday * slots + slot, minlength=7 * slots).reshape(7, slots)
    columns = pd.Index(np.arange(0, 24, 24 / slots), name="time")
    return pd.DataFrame(counts, index=pd.Index(WEEKDAYS), columns=columns)


def office_hours_share(
    archive: Archive, *, tz: str = "UTC", hours: tuple[int, int] = (9, 18), weekdays_only: bool = True
) -> float:
    """Share of tweets posted in office hours (local time), on weekdays by default.

    Neither SIO nor ASPI gives this share as a number (they show the hours);
    this is the number behind their figures, hours ``[start, end)``. Tweets
    without a time count as outside.

    Examples
    --------
    >>> import takedown as td
    >>> 0 <= td.measures.office_hours_share(td.datasets.sample(), tz="Asia/Bangkok") <= 1
    True
    """
    local = _local_milliseconds(archive, tz=tz)
    if not len(local):
        return float("nan")
    known = local != NAT
    hour = (local % MS_PER_DAY) // MS_PER_HOUR
    inside = known & (hour >= hours[0]) & (hour < hours[1])
    if weekdays_only:
        inside &= (local // MS_PER_DAY + EPOCH_WEEKDAY) % 7 < 5
    return float(np.count_nonzero(inside) / len(local))


def _bin_ms(freq) -> int:
    """The longest bin, in ms, whose every bin falls inside one period of ``freq``."""
    offset = pd.tseries.frequencies.to_offset(freq)
    if isinstance(offset, pd.offsets.Tick):
        if offset.nanos < 1_000_000:
            raise ValueError(f"freq: expected periods of at least a millisecond, got {freq!r}")
        return math.gcd(offset.nanos // 1_000_000, MS_PER_DAY)
    return MS_PER_DAY


def _auto_freq(local: np.ndarray) -> str:
    first, last = np.quantile(local, [0.005, 0.995], method="inverted_cdf")
    days = (last - first) / MS_PER_DAY
    return "D" if days <= AUTO_DAILY_DAYS else "W-MON" if days <= AUTO_WEEKLY_DAYS else "MS"


def activity_series(archive: Archive, *, freq: str = "D", tz: str = "UTC", by: str | None = None) -> pd.DataFrame:
    """Tweets per day, week or month; optionally split by a column (``is_retweet``, ``tweet_language``, ...).

    Parameters
    ----------
    archive : Archive
    freq : str
        A pandas frequency (``"D"``, ``"W"``, ``"MS"``, ``"h"``, ...), binned
        as :meth:`pandas.DataFrame.resample` bins it (``"W"`` weeks end on
        Sunday and are labelled by it). ``"auto"`` picks the resolution from
        the span of the central 99% of tweets (0.5% trimmed at each end, so
        that a thin tail of old tweets does not decide): day up to
        180 days, week (starting Monday, labelled by it) up to three years,
        else month (labelled by its first day).
    tz : str
        Time zone of the days (IANA name or ``"UTC+07:00"``).
    by : str, optional
        A tweets column to split by. ``"is_retweet"`` gives the columns
        ``"original tweets"`` and ``"retweets"``; other columns are named by
        their values as text.

    Returns
    -------
    pandas.DataFrame
        Indexed by period (local dates, index named ``time``, with its
        ``freq`` set), one column ``tweets`` or one per value of ``by``
        (columns named ``by``); periods without tweets are 0. Without any
        tweet time (a users-only release) there are no rows (and, with
        ``by``, no columns).

    Examples
    --------
    >>> import takedown as td
    >>> series = td.measures.activity_series(td.datasets.sample(), freq="MS")
    >>> int(series["tweets"].sum()) == len(td.datasets.sample().tweets)
    True
    >>> td.measures.activity_series(td.datasets.sample(), freq="auto").index.freqstr
    'D'
    >>> td.measures.activity_series(td.datasets.sample(), freq="MS", by="is_retweet").columns.tolist()
    ['original tweets', 'retweets']
    """
    local = _local_milliseconds(archive, tz=tz)
    if by:
        codes, groups = archive.codes("tweets", by)
        if by == "is_retweet":
            groups = pd.Index([_RETWEET_LABELS.get(g, g) for g in groups], dtype="string[pyarrow]")
    else:
        codes, groups = np.zeros(len(local), dtype=np.intp), pd.Index(["tweets"])
    keep = (local != NAT) & (codes >= 0)
    local, codes = local[keep], codes[keep]
    options = {}
    if freq == "auto":
        freq = _auto_freq(local) if len(local) else "D"
        if freq == "W-MON":
            options = {"label": "left", "closed": "left"}
    if not len(local):
        index = pd.DatetimeIndex([], dtype="datetime64[ms]", name="time", freq=freq)
        columns = groups[:0] if by else groups
        return pd.DataFrame(0, index=index, columns=columns.rename(by), dtype=np.int64)
    step = _bin_ms(freq)
    bins = local // step
    first = bins.min()
    size = int(bins.max() - first + 1)
    counts = np.bincount((bins - first) * len(groups) + codes, minlength=size * len(groups))
    index = pd.DatetimeIndex(((first + np.arange(size)) * step).view("datetime64[ms]"), name="time")
    table = pd.DataFrame(counts.reshape(size, len(groups)), index=index, columns=groups.rename(by))
    return table.resample(freq, **options).sum()


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
    times = _utc_milliseconds(archive)
    codes, names = archive.codes("tweets", "userid")
    keep = (times != NAT) & (codes >= 0)
    if retweets_only:
        keep &= archive.load("tweets", columns=["is_retweet"])["is_retweet"].fillna(False).to_numpy(dtype=bool)
    codes, times = codes[keep], times[keep]
    order = np.lexsort((times, codes))
    codes, times = codes[order], times[order]
    same = codes[1:] == codes[:-1]
    gaps = pd.Series(pd.TimedeltaIndex(np.diff(times)[same].view("timedelta64[ms]")).total_seconds())
    by_account = gaps.groupby(codes[1:][same])
    table = pd.DataFrame(
        {
            "tweets": by_account.size() + 1,
            "median_gap": by_account.median(),
            "min_gap": by_account.min(),
            "within_60s": (gaps < 60).groupby(codes[1:][same]).mean(),
        }
    )
    table.index = pd.Index(names[table.index.to_numpy()], name="userid")
    return table.sort_values("median_gap", kind="stable")


#: Tweets a day that mark an account as suspicious (``daily_volume``): OII's "high automation" (50),
#: DFRLab's "suspicious" (72) and "highly suspicious" (144).
VOLUME_THRESHOLDS = (50, 72, 144)


def daily_volume(archive: Archive, *, tz: str = "UTC") -> pd.DataFrame:
    """How many tweets each account posted a day: on average over its active days, and on its busiest day.

    Parameters
    ----------
    archive : Archive
    tz : str
        Time zone whose midnight separates the days (IANA name or offset).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``userid``, busiest accounts first: ``tweets`` (with a
        known time), ``active_days`` (days with at least one tweet),
        ``per_active_day`` (their mean), ``per_day`` (tweets over the days
        from its first tweet to its last, both included) and
        ``busiest_day`` (most tweets in one day). Compare the rates with
        :data:`VOLUME_THRESHOLDS`.

    References
    ----------
    DFRLab, "#BotSpot: Twelve Ways to Spot a Bot" (2017): more than 72
    tweets a day on average is suspicious, more than 144 highly so.
    Howard & Kollanyi, "Bots, #StrongerIn, and #Brexit" (2016): 50 a day
    marks high automation. Both count days over a period of activity; a
    release holds only what was not deleted, so the rates here are lower
    bounds.

    Examples
    --------
    >>> import takedown as td
    >>> volume = td.measures.daily_volume(td.datasets.sample(), tz="Asia/Bangkok")
    >>> list(volume.columns)
    ['tweets', 'active_days', 'per_active_day', 'per_day', 'busiest_day']
    >>> bool((volume["busiest_day"] >= volume["per_active_day"]).all())
    True
    """
    days = _local_milliseconds(archive, tz=tz)
    codes, names = archive.codes("tweets", "userid")
    keep = (days != NAT) & (codes >= 0)
    codes, days = codes[keep].astype(np.int64), days[keep] // MS_PER_DAY
    if not len(codes):
        empty = pd.DataFrame(
            {"tweets": [], "active_days": [], "per_active_day": [], "per_day": [], "busiest_day": []},
            index=pd.Index([], dtype="string[pyarrow]", name="userid"),
        )
        return empty.astype({"tweets": "int64", "active_days": "int64", "busiest_day": "int64"})
    # One key per account and day; its count is the tweets that account posted that day.
    first_day = days.min()
    span_days = days.max() - first_day + 1
    keys, per_key = np.unique(codes * span_days + (days - first_day), return_counts=True)
    account = keys // span_days
    accounts, starts, active = np.unique(account, return_index=True, return_counts=True)
    tweets = np.add.reduceat(per_key, starts)
    busiest = np.maximum.reduceat(per_key, starts)
    day = keys % span_days
    spanned = np.maximum.reduceat(day, starts) - np.minimum.reduceat(day, starts) + 1
    table = pd.DataFrame(
        {
            "tweets": tweets,
            "active_days": active,
            "per_active_day": tweets / active,
            "per_day": tweets / spanned,
            "busiest_day": busiest,
        },
        index=pd.Index(names[accounts], name="userid"),
    )
    return table.sort_values(["per_active_day", "busiest_day"], ascending=False, kind="stable")


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


def _periods(archive: Archive, freq: str) -> pd.Series:
    """Each tweet's UTC period start (``Period.start_time``), NaT where the time is unknown."""
    utc = _utc_milliseconds(archive)
    step = _bin_ms(pd.Period("2000-01-01", freq=freq).freq)
    # Periods are found for each distinct bin (a day, at most), not for each tweet.
    codes, bins = pd.factorize(np.where(utc == NAT, NAT, utc // step * step))
    starts = pd.Series(bins.view("datetime64[ms]")).dt.to_period(freq).dt.start_time
    return pd.Series(starts.to_numpy()[codes], index=archive._index("tweets"), name="time")


def _codes(archive: Archive, column: str) -> tuple[np.ndarray, pd.Index]:
    """A text column as sorted codes (:meth:`Archive.codes`), a missing value counting as ``"(none)"``."""
    codes, values = archive.codes("tweets", column)
    if not (codes < 0).any():
        return codes, values
    names = np.append(values.to_numpy(dtype=object), "(none)")
    order = np.argsort(names, kind="stable")
    rank = np.empty(len(order), dtype=np.intp)
    rank[order] = np.arange(len(order))
    return rank[np.where(codes < 0, len(names) - 1, codes)], pd.Index(names[order], dtype="string[pyarrow]")


def _shares(
    archive: Archive, column: str, periods: pd.Series | None, *, top: int, name: str, normalize: bool = True
) -> pd.DataFrame:
    codes, values = _codes(archive, column)
    counts = np.bincount(codes, minlength=len(values))
    first = np.full(len(values), len(codes), dtype=np.int64)
    present, where = np.unique(codes, return_index=True)
    first[present] = where
    # The most used, ties to the value seen first; the rest are "other".
    kept = np.lexsort((first, -counts))[: min(top, int((counts > 0).sum()))]
    other = np.setdiff1d(np.flatnonzero(counts), kept)
    labels = [str(values[i]) for i in kept] + (["other"] if other.size else [])
    label_of = np.full(len(values), len(kept), dtype=np.intp)
    label_of[kept] = np.arange(len(kept))
    label = label_of[codes]
    if periods is None:
        totals = np.bincount(label, minlength=len(labels))
        firsts = [*first[kept], *([first[other].min()] if other.size else [])]
        order = np.lexsort((firsts, -totals))
        shown = totals[order] / totals.sum() if normalize else totals[order]
        table = pd.Series(
            shown, index=pd.Index([labels[i] for i in order]), name="proportion" if normalize else "count"
        )
        return table.to_frame("all").T.rename_axis(columns=name)
    by_name = np.argsort(np.array(labels, dtype=object), kind="stable")
    rank = np.empty(len(labels), dtype=np.intp)
    rank[by_name] = np.arange(len(labels))
    value = rank[label]
    labels = pd.Index([labels[i] for i in by_name])
    period, starts = pd.factorize(periods, sort=True)
    known = period >= 0
    counts = np.bincount(period[known] * len(labels) + value[known], minlength=len(starts) * len(labels))
    table = pd.DataFrame(counts.reshape(len(starts), len(labels)), index=starts.rename("time"), columns=labels)
    table = table.loc[:, table.sum() > 0]
    if normalize:
        table = table.div(table.sum(axis=1), axis=0)
    return table.rename_axis(columns=name)


def client_shares(archive: Archive, *, freq: str | None = None, top: int = 8, normalize: bool = True) -> pd.DataFrame:
    """Share of tweets by client (``Twitter Web App``, ``Twitter for Android``, ...), overall or per period.

    Clients beyond the ``top`` most used are grouped as ``"other"``.

    Parameters
    ----------
    archive : Archive
    freq : str, optional
        A pandas period (``"M"``, ``"W"``, ``"D"``); periods are UTC and only
        those with tweets are listed.
    top : int
        Clients kept by name.
    normalize : bool
        Shares (the default) or tweet counts. A share taken over a handful
        of tweets reads like one taken over thousands; counts keep the
        volume, as :func:`takedown.plot.client_shares` needs it.

    Returns
    -------
    pandas.DataFrame
        One column per client, shares summing to 1 per row (or ``int64``
        tweet counts); one row (``"all"``) or one per period start.

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
    >>> counts = td.measures.client_shares(td.datasets.sample(), freq="M", normalize=False)
    >>> int(counts.to_numpy().sum())
    21385
    """
    periods = _periods(archive, freq) if freq else None
    return _shares(archive, "tweet_client_name", periods, top=top, name="client", normalize=normalize)


def language_shares(archive: Archive, *, freq: str | None = None, top: int = 8) -> pd.DataFrame:
    """Share of tweets by ``tweet_language``, overall or per period (see :func:`client_shares`).

    Examples
    --------
    >>> import takedown as td
    >>> "th" in td.measures.language_shares(td.datasets.sample()).columns
    True
    """
    periods = _periods(archive, freq) if freq else None
    return _shares(archive, "tweet_language", periods, top=top, name="language")


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
    user, users = archive.codes("tweets", "userid")
    period, periods = pd.factorize(_periods(archive, freq), sort=True)
    client, clients = _codes(archive, "tweet_client_name")
    keep = (user >= 0) & (period >= 0)
    # One int64 key per (account, period, client), in the order of sorting by the three.
    pair = user[keep].astype(np.int64) * len(periods) + period[keep]
    counts = pd.Series(pair * len(clients) + client[keep]).value_counts(sort=False)
    key, tweets_by_client = counts.index.to_numpy(), counts.to_numpy()
    pair, client = key // len(clients), key % len(clients)
    # The main client: most tweets, ties to the first client by name.
    order = np.lexsort((client, -tweets_by_client, pair))
    pair, client = pair[order], client[order]
    first = np.ones(len(pair), dtype=bool)
    first[1:] = pair[1:] != pair[:-1]
    totals = np.bincount(np.cumsum(first) - 1, weights=tweets_by_client[order]).astype(np.int64)
    pair, client = pair[first], client[first]
    user, period = pair // len(periods), pair % len(periods)
    switched = np.zeros(len(pair), dtype=bool)
    switched[1:] = (user[1:] == user[:-1]) & (client[1:] != client[:-1])
    return pd.DataFrame(
        {
            "userid": users[user],
            "period": periods[period],
            "client": clients[client],
            "tweets": totals,
            "switched": switched,
        }
    )


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
    lists = archive.arrow("tweets", columns=["hashtags"])["hashtags"]
    tags = pd.Series(pd.arrays.ArrowExtensionArray(pc.list_flatten(lists)), name="hashtag").dropna()
    if freq is None:
        counts = tags.value_counts().head(top)
        return counts.rename("tweets").rename_axis("hashtag").reset_index()
    parents = pc.list_parent_indices(lists).to_numpy()[tags.index.to_numpy()]
    frame = pd.DataFrame({"period": _periods(archive, freq).to_numpy()[parents], "hashtag": tags.array})
    counts = frame.groupby(["period", "hashtag"]).size().rename("tweets").reset_index()
    counts = counts.sort_values(["period", "tweets", "hashtag"], ascending=[True, False, True])
    return counts.groupby("period").head(top).reset_index(drop=True)
