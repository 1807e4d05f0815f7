"""Figures: checked through the artists they draw, not pixels."""

from itertools import combinations

import matplotlib.colors as mcolors
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

import takedown as td
from takedown import measures as m
from takedown import plot


@pytest.fixture(scope="module")
def sample():
    return td.datasets.sample()


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def drawn(ax):
    """Lay the figure out with the Agg canvas, as a saved PNG would be."""
    FigureCanvasAgg(ax.figure).draw()
    return ax


def tick_labels_overlap(ax) -> bool:
    labels = [t for t in drawn(ax).get_xticklabels() if t.get_text() and t.get_visible()]
    boxes = [t.get_window_extent() for t in labels]
    return any(a.overlaps(b) for a, b in combinations(boxes, 2))


def notes(ax) -> str:
    return " ".join(t.get_text().replace("\n", " ") for t in ax.texts)


def test_lorenz_curve_marks_the_top_share():
    counts = pd.Series([6, 3, 1, 1, 1] + [0] * 95)
    ax = plot.lorenz_curve(m.lorenz_curve(counts), q=0.01, source="hand-made")
    curve = ax.lines[1]
    assert np.allclose(curve.get_ydata(), m.lorenz_curve(counts)["value_share"])
    point = ax.collections[0].get_offsets()[0]
    assert point[0] == pytest.approx(0.99) and 1 - point[1] == pytest.approx(m.top_share(counts, q=0.01)["value"])
    assert "top 1% make 50%" in [t.get_text() for t in ax.texts]
    assert ax.get_title(loc="left") == "How retweets are shared out"
    assert any(t.get_text() == "Source: hand-made" for t in ax.texts)


def test_follower_ccdf_on_log_axes_with_thresholds(sample):
    ccdf = m.follower_ccdf(sample)
    ax = plot.follower_ccdf(ccdf, thresholds=(8, 5_000))
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert [line.get_xdata()[0] for line in ax.lines[1:]] == [8, 5_000]
    zero = 1 - ccdf.loc[ccdf["value"] > 0, "share_at_least"].iloc[0]
    assert f"{zero:.0%} of accounts have none" in ax.get_title(loc="left")
    assert "log" in ax.get_xlabel()


def test_engagement_distribution_bars_sum_to_one(sample):
    table = m.engagement(sample)
    ax = plot.engagement_distribution(m.engagement_histogram(sample))
    heights = [p.get_height() for p in ax.patches]
    assert sum(heights) == pytest.approx(1.0)
    assert heights[0] == pytest.approx((table["engagement"] == 0).mean())
    assert heights[-1] == pytest.approx((table["engagement"] >= 10).mean())


def test_hourly_heatmap_holds_the_counts(sample):
    grid = m.hourly_activity(sample, tz="Asia/Bangkok")
    ax = plot.hourly_activity(grid, tz="Asia/Bangkok")
    assert np.array_equal(np.asarray(ax.collections[0].get_array()).reshape(7, 24), grid.to_numpy())
    assert ax.get_xlabel() == "hour of the day (Asia/Bangkok)"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def test_creation_bursts_and_activity_series(sample):
    months = m.creation_bursts(sample, freq="M", top=1_000)
    ax = plot.creation_bursts(months)
    assert sorted(p.get_height() for p in ax.patches) == sorted(months["accounts"])
    daily = m.activity_series(sample, freq="D", by="is_retweet")
    ax = plot.activity_series(daily, events={"2020-02-21": "an event"})
    assert [line.get_label() for line in ax.lines[:2]] == ["original tweets", "retweets"]
    assert np.array_equal(ax.lines[1].get_ydata(), daily["retweets"].to_numpy())
    assert "an event" in [t.get_text() for t in ax.texts]


def test_client_counts_stack_to_each_periods_tweets(sample):
    counts = m.client_shares(sample, freq="M", normalize=False)
    ax = plot.client_shares(counts, min_tweets=50)
    totals = counts.sum(axis=1)
    kept = totals[totals >= 50]
    assert len(ax.containers) == counts.shape[1] + (totals < 50).any()
    tops = {}
    for container in ax.containers[: counts.shape[1]]:
        for bar in container:
            tops[mdates.num2date(bar.get_x()).replace(tzinfo=None)] = bar.get_y() + bar.get_height()
    assert [tops[pd.Timestamp(t).to_pydatetime()] for t in kept.index] == kept.tolist()
    assert ax.get_ylabel() == "tweets per month" and ax.get_title(loc="left") == "Clients used"
    assert ax.get_legend() is not None
    with pytest.raises(ValueError, match="normalize=False"):
        plot.client_shares(m.client_shares(sample, freq="M"))


def test_network_colours_by_attribute(sample):
    graph = td.graphs.to_networkx(td.edges.retweets(sample), users=sample)
    ax = plot.network(graph, color_by="in_archive")
    offsets = ax.collections[0].get_offsets()
    assert len(offsets) == graph.number_of_nodes()
    colours = {mcolors.to_hex(c) for c in ax.collections[0].get_facecolors()}
    assert len(colours) == 2  # inside and outside the archive


def test_palette_is_colour_blind_safe():
    import seaborn as sns

    assert plot.PALETTE == sns.color_palette("colorblind")


def test_wrong_input_names_the_measure():
    with pytest.raises(ValueError, match="takedown.measures.lorenz_curve"):
        plot.lorenz_curve(pd.DataFrame({"x": [1]}))


# --- date axes, volumes and thin tails ------------------------------------------------------


def series(start, days, *, freq="D", values=None):
    index = pd.date_range(start, periods=days, freq=freq, name="time")
    return pd.DataFrame({"tweets": values if values is not None else np.arange(days) % 7 + 1}, index=index)


@pytest.mark.parametrize(
    "data",
    [
        series("2020-01-01", 90),
        series("2015-01-01", 2_000),
        series("2019-01-07", 120, freq="W-MON"),
        series("2012-01-01", 110, freq="MS"),
    ],
    ids=["90 days", "5 years daily", "weekly", "9 years monthly"],
)
def test_activity_dates_never_overlap(data):
    ax = plot.activity_series(data, core=None)
    assert isinstance(ax.xaxis.get_major_formatter(), mdates.ConciseDateFormatter)
    assert not tick_labels_overlap(ax)
    assert ax.get_title(loc="left") == "Activity over time" and ax.get_xlabel() == "date"


def test_activity_labels_its_resolution_and_series(sample):
    weekly = m.activity_series(sample, freq="auto", tz="Asia/Bangkok", by="is_retweet")
    assert weekly.index.freqstr == "D"
    ax = plot.activity_series(m.activity_series(sample, freq="W", by="is_retweet"))
    assert ax.get_ylabel() == "tweets per week"
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["original tweets", "retweets"]
    assert legend.get_title().get_text() == ""  # the labels say what they split
    assert plot.activity_series(series("2020-01-01", 30)).get_legend() is None


def test_activity_crops_a_thin_tail_and_says_so():
    # 3 tweets a day for 90 days, then 1,000 a day for 60 days: the central 99% span the busy days.
    values = np.r_[np.full(90, 3), np.full(60, 1_000)]
    data = series("2020-01-01", 150, values=values)
    ax = drawn(plot.activity_series(data))
    left, right = mdates.num2date(ax.get_xlim()[0]).date(), mdates.num2date(ax.get_xlim()[1]).date()
    assert pd.Timestamp(left) > pd.Timestamp("2020-03-01") and pd.Timestamp(right) >= pd.Timestamp("2020-05-29")
    note = notes(ax)
    assert "Not shown: " in note and "before: 2020-01-01 to 2020-" in note
    hidden = sum(values[: int(np.searchsorted(values.cumsum() / values.sum(), 0.005, side="right"))])
    assert f"{hidden:,} tweets" in note
    everything = drawn(plot.activity_series(data, core=None))
    assert mdates.num2date(everything.get_xlim()[0]).date() <= pd.Timestamp("2020-01-01").date()
    assert "Not shown" not in notes(everything)


def test_activity_log_scale_keeps_zero():
    ax = plot.activity_series(series("2020-01-01", 60, values=np.r_[np.zeros(30), np.full(30, 500)]), log=True)
    assert ax.get_yscale() == "symlog" and ax.get_ylim()[0] == 0
    assert ax.get_ylabel() == "tweets per day (symmetric log)"


def test_clients_show_volume_and_grey_out_thin_periods():
    index = pd.DatetimeIndex(["2016-03-01", "2019-12-01", "2020-01-01", "2020-02-01"], name="time")
    counts = pd.DataFrame(
        {"Twitter for Android": [3, 400, 500, 90], "Twitter Web App": [0, 600, 700, 5]}, index=index
    ).rename_axis(columns="client")
    ax = drawn(plot.client_shares(counts, min_tweets=100, core=None))
    grey = ax.containers[-1]
    assert grey.get_label() == "under 100 tweets"
    assert [(mdates.num2date(b.get_x()).year, b.get_height()) for b in grey] == [(2016, 3), (2020, 95)]
    assert mcolors.to_hex(grey[0].get_facecolor()) == mcolors.to_hex("0.85")
    # Thin periods carry no client colour; the others stack to their totals, the most used client lowest.
    assert [c.get_label() for c in ax.containers[:2]] == ["Twitter Web App", "Twitter for Android"]
    web, android = ax.containers[:2]
    assert [b.get_height() for b in web] == [0, 600, 700, 0]
    assert [b.get_y() + b.get_height() for b in android] == [0, 1000, 1200, 0]
    assert "Months with under 100 tweets in grey" in notes(ax)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["under 100 tweets", "Twitter for Android", "Twitter Web App"]  # top of the stack first
    assert not tick_labels_overlap(ax)
    assert ax.get_ylabel() == "tweets per month"


def test_clients_cut_off_a_thin_tail():
    index = pd.date_range("2015-01-01", "2020-03-01", freq="MS", name="time")
    android = np.r_[np.ones(len(index) - 4, dtype=int), [3_000, 4_000, 5_000, 2_000]]
    ax = drawn(plot.client_shares(pd.DataFrame({"Twitter for Android": android}, index=index)))
    assert mdates.num2date(ax.get_xlim()[0]).year == 2019
    # 59 months of one tweet, then 14,000: 0.5% of 14,059 is 70, so all 59 months fall before the window.
    assert "Shown: 99.6% of tweets. Not shown: 59 tweets (0.4%) before: 2015-01-01 to 2019-11-01." in notes(ax)


@pytest.mark.parametrize(("freq", "width"), [("D", 0.8), ("M", 0.8 * 30.44)])
def test_creation_bursts_bars_fit_their_period(sample, freq, width):
    periods = m.creation_bursts(sample, freq=freq, top=100_000)
    ax = plot.creation_bursts(periods)
    assert {round(p.get_width(), 6) for p in ax.patches} == {round(width, 6)}
    assert sorted(p.get_height() for p in ax.patches) == sorted(periods["accounts"])
    assert ax.get_ylabel() == f"accounts created per {'day' if freq == 'D' else 'month'}"
    assert not tick_labels_overlap(ax)


def test_timezone_fit_marks_the_best_offset(sample):
    fit = m.timezone_fit(sample)
    ax = plot.timezone_fit(fit, source="synthetic sample")
    best = ax.collections[1].get_offsets()[0]
    assert best[0] == 7.0 and best[1] == pytest.approx(fit["score"].max())
    assert "UTC+07:00: 0.97" in [t.get_text() for t in ax.texts]
    assert ax.lines[1].get_ydata()[0] == m.timezone.MIN_SCORE  # the threshold
    assert "Best offset in use: UTC+07:00 (Bangkok, Jakarta, Hanoi)." in notes(ax)
    assert not any("No UTC offset" in t.get_text() for t in ax.texts)
    assert len(ax.collections[0].get_offsets()) == fit["in_use"].sum()


def test_timezone_fit_says_when_nothing_fits():
    archive, _ = td.synth.generate(accounts=100, tweets=3_000, seed=4, night_level=1, weekend_level=1, lunch_level=1)
    fit = m.timezone_fit(archive)
    ax = plot.timezone_fit(fit)
    found = m.likely_timezone(archive)
    assert f"No UTC offset fits a working week (best {found['label']}, score {found['score']:.2f})" in notes(ax)
    assert "Best offset in use" not in notes(ax)
