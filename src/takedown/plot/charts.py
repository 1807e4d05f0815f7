"""Charts of the measures: concentration, followers, engagement, timing and clients."""

from __future__ import annotations

import math
import textwrap

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

__all__ = [
    "PALETTE",
    "activity_series",
    "client_shares",
    "creation_bursts",
    "engagement_distribution",
    "follower_ccdf",
    "hourly_activity",
    "lorenz_curve",
    "timezone_fit",
]

#: Seaborn's colour-blind-safe palette, used by every figure.
PALETTE = sns.color_palette("colorblind")
#: Client colours: the palette without its grey, which marks periods too thin to split.
_CLIENT_COLOURS = [colour for colour in PALETTE if len(set(colour)) > 1]
_SOURCE_STYLE = {"fontsize": 7, "color": "0.4", "ha": "left", "va": "top"}
#: How :func:`takedown.measures.client_shares` names tweets without a client.
_NO_CLIENT = "(none)"


def _axes(ax: Axes | None) -> Axes:
    return ax if ax is not None else plt.subplots(figsize=(6.4, 4))[1]


def _finish(ax: Axes, *, title: str, xlabel: str, ylabel: str, source: str | None, note: str | None = None) -> Axes:
    ax.set_title(title, loc="left", fontweight="bold")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    lines = textwrap.wrap(note, 105) if note else []
    if lines:
        ax.annotate("\n".join(lines), xy=(0, -0.16), xycoords="axes fraction", **_SOURCE_STYLE)
    if source:
        ax.annotate(
            f"Source: {source}",
            xy=(0, -0.16),
            xycoords="axes fraction",
            xytext=(0, -9 * len(lines)),
            textcoords="offset points",
            **_SOURCE_STYLE,
        )
    return ax


def _boxed(ax: Axes, text: str, *, y: float = 0.97, va: str = "top") -> None:
    """A one-line message in a box on the axes, for what a figure must say in words rather than draw."""
    ax.text(
        0.5,
        y,
        text,
        transform=ax.transAxes,
        ha="center",
        va=va,
        fontsize=9,
        color=PALETTE[3],
        bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": PALETTE[3]},
    )


def _nothing(ax: Axes, reason: str, *, title: str, source: str | None) -> Axes:
    """A figure of data that lack what it shows: no axes to misread (zeros, 1970 dates), the reason in a box."""
    ax.set_xticks([])
    ax.set_yticks([])
    _boxed(ax, reason, y=0.5, va="center")
    _finish(ax, title=title, xlabel="", ylabel="", source=source)
    # A faint frame keeps the empty figure the size of the others, and reads as a chart with nothing in it.
    for spine in ax.spines.values():
        spine.set_visible(True)
        spine.set_color("0.85")
    return ax


def _date_axis(ax: Axes, *, minticks: int = 5) -> None:
    """Dates that never overlap: matplotlib's automatic locator with its concise formatter.

    ``minticks=3`` lets three months take month ticks, not mid-month days, under monthly bars.
    """
    locator = mdates.AutoDateLocator(minticks=minticks)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def _period_days(index) -> float:
    """The length in days of one period of a series of period starts: a day, week, month, quarter or year."""
    index = pd.DatetimeIndex(index).sort_values()
    if not len(index) or not (index == index.normalize()).all():
        return 1.0
    if index.is_month_start.all():
        months = np.diff(index.year * 12 + index.month)
        step = int(months.min()) if len(months) else 1
        return 30.44 * (step if step in (3, 12) else 1)
    weekly = len(index) > 1 and index.day_of_week.nunique() == 1 and (index[1:] - index[:-1]).min().days >= 7
    return 7.0 if weekly else 1.0


def _core_window(totals: pd.Series, core: float | None) -> tuple[int, int] | None:
    """First and last period of the central ``core`` share of tweets, if the tails stretch the axis past twice that."""
    if core is not None and not 0 < core < 1:
        raise ValueError(f"core: expected a share between 0 and 1, or None, got {core!r}")
    if core is None or len(totals) < 3 or totals.sum() <= 0:
        return None
    cumulative = totals.cumsum().to_numpy() / totals.sum()
    tail = (1 - core) / 2
    first = int(np.searchsorted(cumulative, tail, side="right"))
    last = int(np.searchsorted(cumulative, 1 - tail, side="left"))
    span = (totals.index[-1] - totals.index[0]) / 2
    return (first, last) if totals.index[last] - totals.index[first] < span else None


def _crop(ax: Axes, totals: pd.Series, window: tuple[int, int], days: float, unit: str) -> str:
    """Limit the x axis to the window; the note says what lies outside it."""
    first, last = window
    pad = pd.Timedelta(days=days)
    ax.set_xlim(totals.index[first] - pad, totals.index[last] + 2 * pad)
    parts = []
    for side, outside in (("before", totals.iloc[:first]), ("after", totals.iloc[last + 1 :])):
        outside = outside[outside > 0]
        if len(outside):
            dates = f"{outside.index[0]:%Y-%m-%d}" + (f" to {outside.index[-1]:%Y-%m-%d}" if len(outside) > 1 else "")
            parts.append(f"{int(outside.sum()):,} {unit} ({outside.sum() / totals.sum():.1%}) {side}: {dates}")
    shown = totals.iloc[first : last + 1].sum() / totals.sum()
    return f"Shown: {shown:.1%} of {unit}. Not shown: " + "; ".join(parts) + "." if parts else ""


def _need(data: pd.DataFrame, columns: tuple[str, ...], measure: str) -> None:
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise ValueError(f"data: missing column(s) {missing}; pass the output of takedown.measures.{measure}")


def lorenz_curve(
    data: pd.DataFrame,
    *,
    ax: Axes | None = None,
    q: float = 0.01,
    source: str | None = None,
    what: str = "retweets",
    **kwargs,
) -> Axes:
    """The Lorenz curve with the equality line and the top-``q`` point marked.

    Without anything to share out (no accounts, or none with any ``what``)
    the figure is a box saying so.

    Parameters
    ----------
    data : pandas.DataFrame
        :func:`takedown.measures.lorenz_curve` output.
    q : float
        The top share to mark (OII: the top 1%).
    what : str
        What is being shared out, for the labels.

    Examples
    --------
    >>> import takedown as td
    >>> counts = td.measures.retweets_by_account(td.edges.retweets(td.datasets.sample()))
    >>> ax = td.plot.lorenz_curve(td.measures.lorenz_curve(counts), source="synthetic sample")
    >>> len(ax.lines)
    2
    """
    _need(data, ("population_share", "value_share"), "lorenz_curve")
    ax = _axes(ax)
    n = len(data) - 1
    if n < 1 or data["value_share"].isna().all():
        reason = f"No {what} in this data" if n < 1 else f"No {what}: all {n:,} accounts have 0"
        return _nothing(ax, reason, title=f"How {what} are shared out", source=source)
    ax.plot([0, 1], [0, 1], color="0.6", linestyle="--", linewidth=1, label="equality")
    ax.plot(
        data["population_share"], data["value_share"], color=PALETTE[0], linewidth=2, label="Lorenz curve", **kwargs
    )
    # The top k = ceil(q * n) units, as takedown.measures.top_share counts them.
    k = math.ceil(q * n)
    x, below = data["population_share"].iloc[n - k], data["value_share"].iloc[n - k]
    share = 1 - below
    ax.scatter([x], [below], color=PALETTE[3], zorder=3, label=f"top {q:.0%} ({k:,}): {share:.0%} of {what}")
    ax.annotate(
        f"top {q:.0%} make {share:.0%}",
        xy=(x, below),
        xytext=(-10, 12),
        textcoords="offset points",
        ha="right",
        fontsize=8,
    )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    return _finish(
        ax,
        title=f"How {what} are shared out",
        xlabel="share of accounts (smallest first)",
        ylabel=f"cumulative share of {what}",
        source=source,
    )


def follower_ccdf(
    data: pd.DataFrame, *, ax: Axes | None = None, thresholds=(8, 5_000), source: str | None = None, **kwargs
) -> Axes:
    """Share of accounts with at least x followers, on log axes, with the reports' thresholds.

    Accounts with 0 followers cannot be shown on a log axis; the title says
    how many there are. Data without follower counts (Reddit's) give a box
    saying so, not a figure of accounts without followers; when only some
    accounts have a count, a note says the shares are of those.

    Parameters
    ----------
    data : pandas.DataFrame
        :func:`takedown.measures.follower_ccdf` output.

    Examples
    --------
    >>> import takedown as td
    >>> ax = td.plot.follower_ccdf(td.measures.follower_ccdf(td.datasets.sample()))
    >>> ax.get_xscale(), ax.get_yscale()
    ('log', 'log')
    """
    _need(data, ("value", "share_at_least"), "follower_ccdf")
    ax = _axes(ax)
    if data.empty:
        return _nothing(ax, "No follower counts in this data", title="Followers", source=source)
    positive = data[data["value"] > 0]
    zero_share = 1 - (positive["share_at_least"].iloc[0] if len(positive) else 0.0)
    title = f"Followers ({zero_share:.0%} of accounts have none)"
    if positive.empty:
        return _nothing(ax, "No account has any follower: nothing to draw on log axes", title=title, source=source)
    # One distinct count is a single point, which a step line alone would not draw.
    marker = "o" if len(positive) == 1 else None
    ax.step(
        positive["value"],
        positive["share_at_least"],
        where="post",
        color=PALETTE[0],
        linewidth=2,
        marker=marker,
        **kwargs,
    )
    for i, threshold in enumerate(thresholds):
        ax.axvline(threshold, color=PALETTE[(i + 1) % len(PALETTE)], linestyle=":", linewidth=1)
        ax.annotate(
            f"{threshold:,}", xy=(threshold, 1), xycoords=("data", "axes fraction"), fontsize=7, ha="left", va="top"
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    accounts, known = data.attrs.get("accounts"), data.attrs.get("known")
    note = (
        f"Shares of the {known:,} accounts with a follower count; left out: {accounts - known:,} without one."
        if accounts is not None and known is not None and known < accounts
        else None
    )
    return _finish(
        ax,
        title=title,
        xlabel="followers (log)",
        ylabel="share of accounts with at least x (log)",
        source=source,
        note=note,
    )


def engagement_distribution(data: pd.DataFrame, *, ax: Axes | None = None, source: str | None = None, **kwargs) -> Axes:
    """Tweets by engagement received (likes + retweets + replies + quotes), zero included.

    Shares are of the tweets with engagement counts. Data without any
    (FiveThirtyEight's, Reddit's, a users-only release) give a box saying
    so, not a figure of tweets that received none; when only some tweets
    have counts, a note says the shares are of those.

    Parameters
    ----------
    data : pandas.DataFrame
        :func:`takedown.measures.engagement_histogram` output (``engagement``,
        ``tweets``); the last row counts that much engagement and more.

    Examples
    --------
    >>> import takedown as td
    >>> ax = td.plot.engagement_distribution(td.measures.engagement_histogram(td.datasets.sample()))
    >>> [t.get_text() for t in ax.get_xticklabels()][-1], len(ax.patches)
    ('10+', 11)
    """
    _need(data, ("engagement", "tweets"), "engagement_histogram")
    ax = _axes(ax)
    total = int(data["tweets"].sum())
    tweets = data.attrs.get("tweets")
    if not total:
        reason = "No tweets in this data" if tweets == 0 else "No engagement counts in this data"
        return _nothing(ax, reason, title="Engagement per tweet", source=source)
    last = int(data["engagement"].max())
    labels = [f"{v}+" if v == last else str(v) for v in data["engagement"]]
    ax.bar(labels, data["tweets"].to_numpy() / total, color=PALETTE[0], **kwargs)
    none = data.loc[data["engagement"] == 0, "tweets"].sum() / total
    ax.yaxis.set_major_formatter(mticker.PercentFormatter(1.0))
    note = (
        f"Shares of the {total:,} tweets with engagement counts; left out: {tweets - total:,} without any."
        if tweets is not None and tweets > total
        else None
    )
    return _finish(
        ax,
        title=f"Engagement per tweet ({none:.0%} received none)",
        xlabel="engagements received",
        ylabel="share of tweets",
        source=source,
        note=note,
    )


def hourly_activity(
    data: pd.DataFrame, *, ax: Axes | None = None, tz: str = "UTC", source: str | None = None, **kwargs
) -> Axes:
    """Heatmap of tweets by weekday and hour of the day in local time.

    A grid without any tweet (a users-only release) gives a box saying so,
    not a heatmap of zeros.

    Parameters
    ----------
    data : pandas.DataFrame
        :func:`takedown.measures.hourly_activity` output.
    tz : str
        The time zone the data was computed in, for the label.

    Examples
    --------
    >>> import takedown as td
    >>> grid = td.measures.hourly_activity(td.datasets.sample(), tz="Asia/Bangkok")
    >>> ax = td.plot.hourly_activity(grid, tz="Asia/Bangkok")
    >>> ax.collections[0].get_array().shape
    (7, 24)
    """
    ax = _axes(ax)
    if not data.to_numpy().any():
        return _nothing(ax, "No tweets with a time in this data", title="When the accounts tweeted", source=source)
    sns.heatmap(data, ax=ax, cmap="viridis", cbar_kws={"label": "tweets"}, **kwargs)
    ax.set_xticks(np.arange(0, data.shape[1], max(1, data.shape[1] // 12)) + 0.5)
    ax.set_xticklabels([f"{c:g}" for c in data.columns[:: max(1, data.shape[1] // 12)]], rotation=0)
    return _finish(ax, title="When the accounts tweeted", xlabel=f"hour of the day ({tz})", ylabel="", source=source)


def creation_bursts(data: pd.DataFrame, *, ax: Axes | None = None, source: str | None = None, **kwargs) -> Axes:
    """Accounts created per period (:func:`takedown.measures.creation_bursts` output, all periods).

    Bars are one period wide (less a gap): a day, or a month when every
    period starts a month. Pass every period (``top`` as large as the
    number of periods): periods left out would read as none created.
    Without creation dates (FiveThirtyEight's data) the figure is a box
    saying so; when only some accounts have one (Reddit's), a note says how
    many.

    Examples
    --------
    >>> import takedown as td
    >>> months = td.measures.creation_bursts(td.datasets.sample(), freq="M", top=1000)
    >>> len(td.plot.creation_bursts(months).patches) == len(months)
    True
    """
    _need(data, ("period", "accounts"), "creation_bursts")
    ax = _axes(ax)
    if not data["accounts"].sum():
        return _nothing(
            ax, "No account creation dates in this data", title="When the accounts were created", source=source
        )
    ordered = data.sort_values("period")
    days = _period_days(ordered["period"])
    colour = PALETTE[2]
    # An edge keeps one-day bars visible on an axis of years.
    ax.bar(
        ordered["period"],
        ordered["accounts"],
        width=0.8 * days,
        align="edge",
        color=colour,
        edgecolor=colour,
        linewidth=0.5,
        **kwargs,
    )
    _date_axis(ax, minticks=3 if days > 1 else 5)
    unit = {1.0: "day", 7.0: "week"}.get(days, "month" if days < 40 else "period")
    accounts, known = data.attrs.get("accounts"), data.attrs.get("known")
    note = (
        f"Creation dates of {known:,} of the {accounts:,} accounts; the others have none recorded."
        if accounts is not None and known is not None and known < accounts
        else None
    )
    return _finish(
        ax,
        title="When the accounts were created",
        xlabel="account creation date",
        ylabel=f"accounts created per {unit}",
        source=source,
        note=note,
    )


_FREQ_NAMES = {"D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year", "h": "hour"}


def _per(index) -> str:
    freq = getattr(index, "freqstr", None) or (pd.infer_freq(index) if len(index) >= 3 else None)
    name = _FREQ_NAMES.get(freq[0]) if freq and freq[0].isalpha() else None
    return f"tweets per {name}" if name else "tweets"


def activity_series(
    data: pd.DataFrame,
    *,
    ax: Axes | None = None,
    events: dict | None = None,
    core: float | None = 0.99,
    log: bool = False,
    source: str | None = None,
    **kwargs,
) -> Axes:
    """Tweets per period, one line per column, with optional event markers.

    A few old tweets can stretch a date axis over years and squeeze the
    campaign into its last inch. When the central ``core`` share of tweets
    (0.5% trimmed at each end by default) spans less than half the series,
    the axis shows that window and a note on the figure gives how many
    tweets lie before and after it, and when. Without any period (no tweet
    times, as in a users-only release) the figure is a box saying so.

    Parameters
    ----------
    data : pandas.DataFrame
        :func:`takedown.measures.activity_series` output (``freq="auto"``
        picks day, week or month to suit the span).
    events : dict, optional
        Date to label, drawn as vertical lines (e.g. ``{"2020-02-21": "party dissolved"}``).
    core : float or None
        Share of tweets the axis must show; ``None`` shows every period.
    log : bool
        A symmetric-log y axis (linear below 1, so empty periods stay at 0),
        to see thin tails next to the peak.

    Examples
    --------
    >>> import takedown as td
    >>> daily = td.measures.activity_series(td.datasets.sample(), freq="D")
    >>> ax = td.plot.activity_series(daily, events={"2020-02-21": "event"})
    >>> len(ax.lines)
    2
    >>> ax.get_ylabel()
    'tweets per day'
    """
    ax = _axes(ax)
    if data.empty:
        return _nothing(ax, "No tweets with a time in this data", title="Activity over time", source=source)
    for i, column in enumerate(data.columns):
        ax.plot(data.index, data[column], color=PALETTE[i % len(PALETTE)], linewidth=1.5, label=str(column), **kwargs)
    for when, label in (events or {}).items():
        ax.axvline(pd.Timestamp(when), color="0.3", linestyle="--", linewidth=1)
        ax.annotate(
            label,
            xy=(pd.Timestamp(when), 1),
            xycoords=("data", "axes fraction"),
            fontsize=7,
            rotation=90,
            ha="right",
            va="top",
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1},
            annotation_clip=True,
        )
    if data.shape[1] > 1:
        # Beside the axes, as in client_shares: inside, the legend hides the first weeks of busy series.
        ax.legend(
            frameon=False,
            fontsize=8,
            loc="upper left",
            bbox_to_anchor=(1, 1),
            # "original tweets" and "retweets" say what they split; a title "is_retweet" would add nothing.
            title=None if data.columns.name == "is_retweet" else data.columns.name,
            title_fontsize=8,
        )
    _date_axis(ax)
    totals = data.sum(axis=1)
    window = _core_window(totals, core)
    note = _crop(ax, totals, window, _period_days(data.index), "tweets") if window is not None else None
    if log:
        ax.set_yscale("symlog", linthresh=1)
    ax.set_ylim(bottom=0)
    return _finish(
        ax,
        title="Activity over time",
        xlabel="date",
        ylabel=_per(data.index) + (" (symmetric log)" if log else ""),
        source=source,
        note=note,
    )


def client_shares(
    data: pd.DataFrame,
    *,
    ax: Axes | None = None,
    min_tweets: int = 50,
    core: float | None = 0.99,
    source: str | None = None,
    **kwargs,
) -> Axes:
    """Tweets by client per period, stacked, with periods too thin for a client mix in grey.

    A share of a handful of tweets reads like a share of thousands, so the
    figure shows volumes: each bar is a period's tweets, split by client.
    Periods with fewer than ``min_tweets`` tweets are drawn as one grey bar,
    as their mix says little (a share of 50 tweets is uncertain by about
    seven percentage points), and a note says so. As in
    :func:`activity_series`, a thin tail of periods is cut off when the
    central ``core`` share of tweets spans less than half the periods, and
    the note says how many tweets lie outside. Without tweet times, or
    without client names (FiveThirtyEight's and Reddit's data, where every
    tweet is ``"(none)"``), the figure is a box saying so.

    Parameters
    ----------
    data : pandas.DataFrame
        :func:`takedown.measures.client_shares` with ``freq`` and
        ``normalize=False``: tweet counts per period and client.
    min_tweets : int
        Periods with fewer tweets are drawn in grey.
    core : float or None
        Share of tweets the axis must show; ``None`` shows every period.

    Examples
    --------
    >>> import takedown as td
    >>> counts = td.measures.client_shares(td.datasets.sample(), freq="M", normalize=False)
    >>> ax = td.plot.client_shares(counts)
    >>> [c.get_label() for c in ax.containers]
    ['Twitter Web App', 'Twitter for Android', 'Twitter for iPhone', 'Twitter Web Client', 'under 50 tweets']
    """
    counted = isinstance(data.index, pd.DatetimeIndex) and all(pd.api.types.is_integer_dtype(t) for t in data.dtypes)
    if not counted:
        raise ValueError(
            "data: expected tweet counts per period; pass "
            "takedown.measures.client_shares(archive, freq='M', normalize=False)"
        )
    ax = _axes(ax)
    if data.empty:
        return _nothing(ax, "No tweets with a time in this data", title="Clients used", source=source)
    if set(data.columns) <= {_NO_CLIENT}:
        return _nothing(ax, "No client names in this data", title="Clients used", source=source)
    # The most used client at the bottom, "other" on top.
    order = data.sum().sort_values(ascending=False, kind="stable").index
    data = data.sort_index()[[c for c in order if c != "other"] + [c for c in order if c == "other"]]
    days = _period_days(data.index)
    totals = data.sum(axis=1)
    thin = totals < min_tweets
    bottom = np.zeros(len(data))
    for i, column in enumerate(data.columns):
        heights = np.where(thin, 0, data[column].to_numpy())
        ax.bar(
            data.index,
            heights,
            width=0.8 * days,
            align="edge",
            bottom=bottom,
            color=_CLIENT_COLOURS[i % len(_CLIENT_COLOURS)],
            label=str(column),
            **kwargs,
        )
        bottom += heights
    unit = {1.0: "days", 7.0: "weeks"}.get(days, "months" if days < 40 else "periods")
    notes = []
    if thin.any():
        ax.bar(
            data.index[thin],
            totals[thin],
            width=0.8 * days,
            align="edge",
            color="0.85",
            edgecolor="0.45",
            linewidth=0.5,
            label=f"under {min_tweets} tweets",
        )
        notes.append(f"{unit.capitalize()} with under {min_tweets:,} tweets in grey: too few to read a client mix.")
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], labels[::-1], frameon=False, fontsize=7, loc="upper left", bbox_to_anchor=(1, 1))
    _date_axis(ax, minticks=3)
    window = _core_window(totals, core)
    if window is not None:
        notes.append(_crop(ax, totals, window, days, "tweets"))
    return _finish(
        ax,
        title="Clients used",
        xlabel="date",
        ylabel=f"tweets per {unit[:-1]}",
        source=source,
        note=" ".join(notes) or None,
    )


def timezone_fit(fit: pd.DataFrame, *, ax: Axes | None = None, source: str | None = None, **kwargs) -> Axes:
    """How well the activity, shifted to each UTC offset, fits a working week; the best offset in use marked.

    The score of every offset (15-minute steps) is a grey line; offsets
    some zone keeps are dots; the best of them is marked and labelled, and
    the threshold for a fit is a dashed line. When no offset fits, the
    figure says so in a box; without tweet times it shows only a box saying
    so. A note gives the working week scored.

    Parameters
    ----------
    fit : pandas.DataFrame
        :func:`takedown.measures.timezone_fit` output.

    Examples
    --------
    >>> import takedown as td
    >>> ax = td.plot.timezone_fit(td.measures.timezone_fit(td.datasets.sample()))
    >>> [t.get_text() for t in ax.texts][0]
    'UTC+07:00: 0.97'
    """
    _need(fit, ("offset", "label", "score", "in_use", "places", "fits"), "timezone_fit")
    ax = _axes(ax)
    if fit.attrs.get("tweets") == 0:
        return _nothing(
            ax, "No tweets with a time in this data", title="Which UTC offset fits a working week?", source=source
        )
    ax.plot(fit["offset"], fit["score"], color="0.6", linewidth=1, label="every 15 minutes", **kwargs)
    used = fit[fit["in_use"]]
    ax.scatter(used["offset"], used["score"], s=12, color=PALETTE[0], zorder=3, label="offsets in use")
    threshold = fit.attrs.get("min_score")
    if threshold is not None:
        ax.axhline(threshold, color="0.3", linestyle="--", linewidth=1, label=f"fits from {threshold:g}")
    ranked = used.dropna(subset=["score"]).sort_values("score", ascending=False, kind="stable")
    notes = []
    if len(ranked):
        best = ranked.iloc[0]
        ax.scatter([best["offset"]], [best["score"]], s=60, color=PALETTE[3], zorder=4, label="best offset in use")
        ax.annotate(
            f"{best['label']}: {best['score']:.2f}",
            xy=(best["offset"], best["score"]),
            xytext=(0, 8),
            textcoords="offset points",
            ha="center",
            fontsize=8,
            fontweight="bold",
        )
        if fit["fits"].any():
            notes.append(f"Best offset in use: {best['label']} ({best['places']}).")
    if not fit["fits"].any():
        where = f" (best {best['label']}, score {best['score']:.2f})" if len(ranked) else ""
        _boxed(ax, f"No UTC offset fits a working week{where}")
    if {"hours", "weekend"} <= set(fit.attrs):
        (start, end), lunch = fit.attrs["hours"], fit.attrs.get("lunch")
        week = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
        working = [week.index(d) for d in week if d not in fit.attrs["weekend"]]
        contiguous = working == list(range(working[0], working[-1] + 1))
        days = f"{week[working[0]]}-{week[working[-1]]}" if contiguous else ", ".join(week[i] for i in working)
        notes.append(
            f"Score: correlation of tweets per half hour of the local week with a working week, {_clock(start)} to "
            f"{_clock(end)} on {days}"
            + (f", lunch {_clock(lunch[0])} to {_clock(lunch[1])} at half" if lunch else "")
            + f"; {fit.attrs['tweets']:,} tweets."
        )
    ax.set_xlim(-12.5, 14.5)
    ax.set_ylim(-1, 1.1)
    ax.set_xticks(range(-12, 15, 2))
    ax.set_xticklabels([f"{h:+d}" if h else "0" for h in range(-12, 15, 2)])
    ax.legend(frameon=False, fontsize=7, loc="upper left", bbox_to_anchor=(1, 1))
    return _finish(
        ax,
        title="Which UTC offset fits a working week?",
        xlabel="UTC offset (hours)",
        ylabel="fit to a working week (score)",
        source=source,
        note=" ".join(notes) or None,
    )


def _clock(hours: float) -> str:
    return f"{int(hours):d}:{round(hours % 1 * 60):02d}"
