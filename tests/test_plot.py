"""Figures: checked through the artists they draw, not pixels."""

import matplotlib.colors as mcolors
import numpy as np
import pandas as pd
import pytest

import takedown as td
from takedown import measures as m
from takedown import plot


@pytest.fixture(scope="module")
def sample():
    return td.datasets.sample()


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
    ax = plot.engagement_distribution(table)
    heights = [p.get_height() for p in ax.patches]
    assert sum(heights) == pytest.approx(1.0)
    assert heights[0] == pytest.approx((table["engagement"] == 0).mean())


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
    assert [line.get_label() for line in ax.lines[:2]] == ["False", "True"]
    assert np.array_equal(ax.lines[1].get_ydata(), daily["True"].to_numpy())
    assert "an event" in [t.get_text() for t in ax.texts]


def test_client_shares_stack_to_one(sample):
    shares = m.client_shares(sample, freq="M")
    ax = plot.client_shares(shares)
    assert len(ax.collections) == shares.shape[1]
    top = ax.collections[-1].get_paths()[0].vertices[:, 1].max()
    assert top == pytest.approx(1.0)


def test_network_colours_by_attribute(sample):
    graph = td.graphs.to_networkx(td.edges.retweets(sample), users=sample)
    ax = plot.network(graph, color_by="in_archive")
    offsets = ax.collections[0].get_offsets()
    assert len(offsets) == graph.number_of_nodes()
    colours = {mcolors.to_hex(c) for c in ax.collections[0].get_facecolors()}
    assert len(colours) == 2  # inside and outside the archive
    with pytest.raises(ValueError, match="too many to draw"):
        plot.network(graph, max_nodes=10)


def test_palette_is_colour_blind_safe():
    import seaborn as sns

    assert plot.PALETTE == sns.color_palette("colorblind")


def test_wrong_input_names_the_measure():
    with pytest.raises(ValueError, match="takedown.measures.lorenz_curve"):
        plot.lorenz_curve(pd.DataFrame({"x": [1]}))
