"""Charts of the measures: concentration, followers, engagement, timing and clients."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

__all__ = [
    "PALETTE",
    "lorenz_curve",
    "follower_ccdf",
    "engagement_distribution",
    "hourly_activity",
    "creation_bursts",
    "activity_series",
    "client_shares",
]

#: Seaborn's colour-blind-safe palette, used by every figure.
PALETTE = sns.color_palette("colorblind")
_SOURCE_STYLE = {"fontsize": 7, "color": "0.4", "ha": "left", "va": "top"}


def _axes(ax: Axes | None) -> Axes:
    return ax if ax is not None else plt.subplots(figsize=(6.4, 4))[1]


def _finish(ax: Axes, *, title: str, xlabel: str, ylabel: str, source: str | None) -> Axes:
    ax.set_title(title, loc="left", fontweight="bold")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if source:
        ax.annotate(f"Source: {source}", xy=(0, -0.16), xycoords="axes fraction", **_SOURCE_STYLE)
    return ax


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
    ax.plot([0, 1], [0, 1], color="0.6", linestyle="--", linewidth=1, label="equality")
    ax.plot(
        data["population_share"], data["value_share"], color=PALETTE[0], linewidth=2, label="Lorenz curve", **kwargs
    )
    # The top k = ceil(q * n) units, as takedown.measures.top_share counts them.
    n = len(data) - 1
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
    how many there are.

    Examples
    --------
    >>> import takedown as td
    >>> ax = td.plot.follower_ccdf(td.measures.follower_ccdf(td.datasets.sample()))
    >>> ax.get_xscale(), ax.get_yscale()
    ('log', 'log')
    """
    _need(data, ("value", "share_at_least"), "follower_ccdf")
    ax = _axes(ax)
    positive = data[data["value"] > 0]
    zero_share = 1 - (positive["share_at_least"].iloc[0] if len(positive) else 0.0)
    if positive.empty:
        ax.text(0.5, 0.5, "no account has any follower", transform=ax.transAxes, ha="center")
    else:
        ax.step(positive["value"], positive["share_at_least"], where="post", color=PALETTE[0], linewidth=2, **kwargs)
        for i, threshold in enumerate(thresholds):
            ax.axvline(threshold, color=PALETTE[(i + 1) % len(PALETTE)], linestyle=":", linewidth=1)
            ax.annotate(
                f"{threshold:,}", xy=(threshold, 1), xycoords=("data", "axes fraction"), fontsize=7, ha="left", va="top"
            )
        ax.set_xscale("log")
        ax.set_yscale("log")
    return _finish(
        ax,
        title=f"Followers ({zero_share:.0%} of accounts have none)",
        xlabel="followers (log)",
        ylabel="share of accounts with at least x (log)",
        source=source,
    )


def engagement_distribution(data: pd.DataFrame, *, ax: Axes | None = None, source: str | None = None, **kwargs) -> Axes:
    """Tweets by engagement received (likes + retweets + replies + quotes), zero included.

    Parameters
    ----------
    data : pandas.DataFrame
        :func:`takedown.measures.engagement` output.

    Examples
    --------
    >>> import takedown as td
    >>> ax = td.plot.engagement_distribution(td.measures.engagement(td.datasets.sample()))
    >>> len(ax.patches) > 0
    True
    """
    _need(data, ("engagement",), "engagement")
    ax = _axes(ax)
    counts = data["engagement"].astype("int64").clip(upper=10).value_counts().sort_index()
    labels = [str(v) if v < 10 else "10+" for v in counts.index]
    ax.bar(labels, counts.to_numpy() / counts.sum(), color=PALETTE[0], **kwargs)
    none = counts.get(0, 0) / counts.sum()
    return _finish(
        ax,
        title=f"Engagement per tweet ({none:.0%} received none)",
        xlabel="engagements received",
        ylabel="share of tweets",
        source=source,
    )


def hourly_activity(
    data: pd.DataFrame, *, ax: Axes | None = None, tz: str = "UTC", source: str | None = None, **kwargs
) -> Axes:
    """Heatmap of tweets by weekday and hour of the day in local time.

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
    sns.heatmap(data, ax=ax, cmap="viridis", cbar_kws={"label": "tweets"}, **kwargs)
    ax.set_xticks(np.arange(0, data.shape[1], max(1, data.shape[1] // 12)) + 0.5)
    ax.set_xticklabels([f"{c:g}" for c in data.columns[:: max(1, data.shape[1] // 12)]], rotation=0)
    return _finish(ax, title="When the accounts tweeted", xlabel=f"hour of the day ({tz})", ylabel="", source=source)


def creation_bursts(data: pd.DataFrame, *, ax: Axes | None = None, source: str | None = None, **kwargs) -> Axes:
    """Accounts created per period (:func:`takedown.measures.creation_bursts` output, all periods).

    Examples
    --------
    >>> import takedown as td
    >>> months = td.measures.creation_bursts(td.datasets.sample(), freq="M", top=1000)
    >>> len(td.plot.creation_bursts(months).patches) == len(months)
    True
    """
    _need(data, ("period", "accounts"), "creation_bursts")
    ax = _axes(ax)
    ordered = data.sort_values("period")
    ax.bar(ordered["period"], ordered["accounts"], width=20, color=PALETTE[2], **kwargs)
    return _finish(
        ax,
        title="When the accounts were created",
        xlabel="account creation date",
        ylabel="accounts created",
        source=source,
    )


def activity_series(
    data: pd.DataFrame, *, ax: Axes | None = None, events: dict | None = None, source: str | None = None, **kwargs
) -> Axes:
    """Tweets per period, one line per column, with optional event markers.

    Parameters
    ----------
    data : pandas.DataFrame
        :func:`takedown.measures.activity_series` output.
    events : dict, optional
        Date to label, drawn as vertical lines (e.g. ``{"2020-02-21": "party dissolved"}``).

    Examples
    --------
    >>> import takedown as td
    >>> daily = td.measures.activity_series(td.datasets.sample(), freq="D")
    >>> ax = td.plot.activity_series(daily, events={"2020-02-21": "event"})
    >>> len(ax.lines)
    2
    """
    ax = _axes(ax)
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
        )
    if data.shape[1] > 1:
        ax.legend(frameon=False, fontsize=8)
    return _finish(ax, title="Activity over time", xlabel="date", ylabel="tweets", source=source)


def client_shares(data: pd.DataFrame, *, ax: Axes | None = None, source: str | None = None, **kwargs) -> Axes:
    """Share of tweets by client per period, stacked (:func:`takedown.measures.client_shares` with ``freq``).

    Examples
    --------
    >>> import takedown as td
    >>> shares = td.measures.client_shares(td.datasets.sample(), freq="M")
    >>> len(td.plot.client_shares(shares).collections) == shares.shape[1]
    True
    """
    ax = _axes(ax)
    colours = [PALETTE[i % len(PALETTE)] for i in range(data.shape[1])]
    ax.stackplot(data.index, data.T.to_numpy(), labels=[str(c) for c in data.columns], colors=colours, **kwargs)
    ax.set_ylim(0, 1)
    ax.legend(frameon=False, fontsize=7, loc="upper left", bbox_to_anchor=(1, 1))
    return _finish(ax, title="Clients used", xlabel="date", ylabel="share of tweets", source=source)
