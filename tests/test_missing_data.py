"""Measures and figures on data that lack what they measure: unknown is not zero, and a figure says so.

Hand-built releases whose answers are worked out on paper (counts left blank
where the data would not have them), then the real data sets that lack
follower counts, engagement counts, biographies, retweets or tweets.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import takedown as td
from takedown import measures as m
from takedown import plot

from .conftest import CHINA_USERS, HASH_A, HASH_B, REAL, tweet, user, write_release

REDDIT = REAL / "reddit_2018_suspicious_sample"
FIVETHIRTYEIGHT = REAL / "fivethirtyeight_ira_sample"
NO_COUNTS = {"like_count": "", "retweet_count": "", "reply_count": "", "quote_count": ""}
C, D = "919755217121316864", "4057984825"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def read(folder, users, tweets, **options):
    return td.read_archive(write_release(folder, users, tweets), cache=False, **options)


def mixed_release(folder):
    """Four accounts, one without a follower count; six tweets, two without any engagement count.

    Followers: A 0, B unknown, C 12, D 0. Biographies: A only. Engagement of
    the tweets with counts: 71 (A: 60 likes, 11 retweets), 2 (C: 2 likes, the
    rest blank), 0 (D) and 0 (C, a retweet); tweets 2 (A) and 5 (B) have none.
    """
    users = [
        user(HASH_A, follower_count="0", user_profile_description="a bio"),
        user(HASH_B, follower_count=""),
        user(C, follower_count="12"),
        user(D, follower_count="0"),
    ]
    tweets = [
        tweet("1", HASH_A, tweet_time="2020-02-03 02:00", like_count="60", retweet_count="11"),
        tweet("2", HASH_A, tweet_time="2020-02-03 03:00", **NO_COUNTS),
        tweet("3", C, tweet_time="2020-02-04 02:00", like_count="2", retweet_count="", reply_count="", quote_count=""),
        tweet("4", D, tweet_time="2020-02-05 02:00"),
        tweet("5", HASH_B, tweet_time="2020-02-05 03:00", **NO_COUNTS),
        tweet("6", C, tweet_time="2020-02-06 02:00", is_retweet="true", retweet_tweetid="1", retweet_userid=HASH_A),
    ]
    return write_release(folder, users, tweets)


@pytest.fixture
def mixed(tmp_path):
    return td.read_archive(mixed_release(tmp_path / "mixed"), cache=False)


@pytest.fixture
def no_counts(tmp_path):
    """What FiveThirtyEight's and Reddit's data look like: no followers, engagement or biographies recorded."""
    users = [user(HASH_A, follower_count=""), user(HASH_B, follower_count="")]
    tweets = [tweet("1", HASH_A, **NO_COUNTS), tweet("2", HASH_B, tweet_time="2019-11-20 05:20", **NO_COUNTS)]
    return read(tmp_path / "none", users, tweets)


@pytest.fixture
def users_only(tmp_path):
    return read(tmp_path / "users", [user(HASH_A, follower_count="0"), user(HASH_B, follower_count="5")], None)


def boxed(ax) -> list[str]:
    """The messages a figure shows in a box."""
    return [t.get_text() for t in ax.texts if t.get_bbox_patch() is not None]


def is_empty_box(ax, reason: str) -> bool:
    """Nothing drawn but the reason: no bars, lines, cells or ticks that could be read as data."""
    return (
        boxed(ax) == [reason]
        and not ax.patches
        and not ax.lines
        and not ax.collections
        and not len(ax.get_xticks())
        and not len(ax.get_yticks())
    )


# --- followers and biographies -------------------------------------------------------------


def test_followers_are_shares_of_the_accounts_with_a_count(mixed):
    ccdf = m.follower_ccdf(mixed)
    assert ccdf.values.tolist() == [[0, 1.0], [12, 1 / 3]]
    assert ccdf.attrs == {"accounts": 4, "known": 3}
    everyone = m.follower_summary(mixed).loc["all accounts"]
    assert everyone["share_zero"] == 2 / 3 and everyone["max"] == 12
    assert everyone["share_no_biography"] == 0.75
    ax = plot.follower_ccdf(ccdf)
    assert ax.get_title(loc="left") == "Followers (67% of accounts have none)"
    assert ax.lines[0].get_marker() == "o"  # one count above 0: a point, which a bare step line would not show
    texts = [t.get_text() for t in ax.texts]
    assert "Shares of the 3 accounts with a follower count; left out: 1 without one." in texts


def test_no_follower_counts_is_not_no_followers(no_counts):
    ccdf = m.follower_ccdf(no_counts)
    assert ccdf.empty and ccdf.attrs == {"accounts": 2, "known": 0}
    summary = m.follower_summary(no_counts)
    shares = ["share_zero", "share_under_8", "share_under_10", "share_5000_or_more", "share_no_biography"]
    assert summary[shares].isna().all().all()
    ax = plot.follower_ccdf(ccdf, source="hand-made")
    assert is_empty_box(ax, "No follower counts in this data")
    assert ax.get_title(loc="left") == "Followers" and "Source: hand-made" in [t.get_text() for t in ax.texts]


def test_accounts_that_all_have_no_followers_still_say_so(tmp_path):
    archive = read(tmp_path / "r", [user(HASH_A, follower_count="0"), user(HASH_B, follower_count="0")], None)
    ax = plot.follower_ccdf(m.follower_ccdf(archive))
    assert ax.get_title(loc="left") == "Followers (100% of accounts have none)"
    assert is_empty_box(ax, "No account has any follower: nothing to draw on log axes")


def test_biographies_are_unknown_only_when_no_account_has_one(tmp_path):
    one = read(tmp_path / "one", [user(HASH_A, user_profile_description="hi"), user(HASH_B)], None)
    assert m.follower_summary(one).loc["all accounts", "share_no_biography"] == 0.5
    # Blank or spaces only counts as none; the tweeting accounts share the archive's answer.
    blank = read(tmp_path / "blank", [user(HASH_A, user_profile_description="  "), user(HASH_B)], None)
    assert m.follower_summary(blank)["share_no_biography"].isna().all()


# --- engagement ----------------------------------------------------------------------------


def test_engagement_counts_only_tweets_with_counts(mixed):
    histogram = m.engagement_histogram(mixed)
    assert histogram["tweets"].tolist() == [2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]
    assert histogram["share"].tolist()[:3] == [0.5, 0.0, 0.25] and histogram["share"].iloc[-1] == 0.25
    assert histogram.attrs == {"tweets": 6, "counted": 4}
    summary = m.engagement_summary(mixed)
    assert summary["tweets"] == 6 and summary["tweets_with_counts"] == 4
    assert summary["share_no_engagement"] == 0.5  # tweets 4 and 6, not 2 and 5
    assert summary["mean_per_tweet"] == 73 / 4 and summary["mean_per_original"] == 73 / 3
    assert summary["mean_like_count"] == 62 / 4 and summary["total"] == 73
    ax = plot.engagement_distribution(histogram)
    assert ax.get_title(loc="left") == "Engagement per tweet (50% received none)"
    assert [p.get_height() for p in ax.patches][:3] == [0.5, 0.0, 0.25]
    assert "Shares of the 4 tweets with engagement counts; left out: 2 without any." in [t.get_text() for t in ax.texts]


def test_no_engagement_counts_is_not_no_engagement(no_counts):
    histogram = m.engagement_histogram(no_counts)
    assert histogram["tweets"].sum() == 0 and histogram["share"].isna().all()
    assert histogram.attrs == {"tweets": 2, "counted": 0}
    assert m.engagement_summary(no_counts).drop(["tweets", "tweets_with_counts"]).isna().all()
    ax = plot.engagement_distribution(histogram)
    assert is_empty_box(ax, "No engagement counts in this data")
    assert ax.get_title(loc="left") == "Engagement per tweet"


def test_engagement_of_a_release_without_tweets(users_only):
    histogram = m.engagement_histogram(users_only)
    assert histogram.attrs == {"tweets": 0, "counted": 0}
    assert is_empty_box(plot.engagement_distribution(histogram), "No tweets in this data")


def test_zero_follower_hits_by_hand(mixed):
    hits = m.zero_follower_hits(mixed, likes=50, retweets=10)
    assert hits.to_dict() == {"over_likes": 1, "over_retweets": 1}  # tweet 1, by A (0 followers)
    assert m.zero_follower_hits(mixed, likes=1, retweets=0).to_dict() == {"over_likes": 1, "over_retweets": 1}
    assert str(hits.dtype) == "int64[pyarrow]"


def test_zero_follower_hits_are_unknown_without_the_counts(no_counts, users_only, tmp_path):
    for archive in (no_counts, users_only):
        assert m.zero_follower_hits(archive).isna().all()
    # Followers and likes known, retweet counts not: only the likes can be checked.
    likes_only = read(
        tmp_path / "likes",
        [user(HASH_A, follower_count="0")],
        [tweet("1", HASH_A, like_count="51", retweet_count="", reply_count="", quote_count="")],
    )
    hits = m.zero_follower_hits(likes_only)
    assert hits["over_likes"] == 1 and hits["over_retweets"] is pd.NA


@pytest.mark.parametrize(
    "release",
    ["mixed", "no counts", "users only"],
)
def test_out_of_core_gives_the_same(release, tmp_path):
    users = [user(HASH_A, follower_count=""), user(HASH_B, follower_count="3")]
    folder = {
        "mixed": lambda: mixed_release(tmp_path / "r"),
        "no counts": lambda: write_release(tmp_path / "r", users, [tweet("1", HASH_A, **NO_COUNTS)]),
        "users only": lambda: write_release(tmp_path / "r", users, None),
    }[release]()
    in_memory = td.read_archive(folder, cache=False)
    out_of_core = td.read_archive(folder, cache=tmp_path / "cache", out_of_core=True)
    assert out_of_core.out_of_core and not in_memory.out_of_core
    for measure in (m.engagement_histogram, m.follower_ccdf):
        mine, theirs = measure(in_memory), measure(out_of_core)
        pd.testing.assert_frame_equal(mine, theirs)
        assert mine.attrs == theirs.attrs
    pd.testing.assert_series_equal(m.engagement_summary(in_memory), m.engagement_summary(out_of_core))
    pd.testing.assert_series_equal(m.zero_follower_hits(in_memory), m.zero_follower_hits(out_of_core))
    pd.testing.assert_frame_equal(m.follower_summary(in_memory), m.follower_summary(out_of_core))


# --- no retweets, no tweets ----------------------------------------------------------------


@pytest.mark.parametrize("measure", [m.top_share, m.gini, m.hhi])
@pytest.mark.parametrize("values", [[], [0, 0, 0]], ids=["no units", "all zero"])
def test_concentration_of_nothing_is_nan_without_warnings(measure, values):
    result = measure(values, ci=0.9)
    assert math.isnan(result["value"]) and math.isnan(result["ci_low"]) and math.isnan(result["ci_high"])
    assert result["n"] == len(values)


def test_superspreaders_without_retweets(users_only):
    result = m.superspreaders(users_only, ci=0.95)
    assert result[["n", "k", "retweets"]].tolist() == [0, 0, 0] and result[["value", "ci_low"]].isna().all()
    assert m.superspreader_share_by_target(users_only).empty


def test_lorenz_figure_without_anything_to_share_out():
    assert is_empty_box(plot.lorenz_curve(m.lorenz_curve([])), "No retweets in this data")
    ax = plot.lorenz_curve(m.lorenz_curve([0, 0, 0]), what="engagements")
    assert is_empty_box(ax, "No engagements: all 3 accounts have 0")
    assert ax.get_title(loc="left") == "How engagements are shared out"
    assert "nan" not in " ".join(t.get_text() for t in ax.texts)


def test_timing_figures_of_a_release_without_tweets(users_only):
    grid = m.hourly_activity(users_only)
    assert grid.shape == (7, 24) and grid.to_numpy().sum() == 0
    ax = plot.hourly_activity(grid, source="hand-made")
    assert is_empty_box(ax, "No tweets with a time in this data") and not ax.figure.axes[1:]  # no colour bar
    series = m.activity_series(users_only, freq="auto")
    assert series.empty and series.columns.tolist() == ["tweets"] and series["tweets"].dtype == np.int64
    assert m.activity_series(users_only, freq="auto", by="is_retweet").columns.tolist() == []
    ax = plot.activity_series(series)
    assert is_empty_box(ax, "No tweets with a time in this data") and ax.get_title(loc="left") == "Activity over time"
    counts = m.client_shares(users_only, freq="M", normalize=False)
    assert is_empty_box(plot.client_shares(counts), "No tweets with a time in this data")
    ax = plot.timezone_fit(m.timezone_fit(users_only))
    assert is_empty_box(ax, "No tweets with a time in this data")


def test_clients_without_names_and_creation_without_dates(tmp_path):
    archive = read(
        tmp_path / "r",
        [user(HASH_A, account_creation_date="")],
        [tweet("1", HASH_A, tweet_client_name=""), tweet("2", HASH_A, tweet_client_name="")],
    )
    counts = m.client_shares(archive, freq="M", normalize=False)
    assert counts.columns.tolist() == ["(none)"] and counts.to_numpy().sum() == 2
    assert is_empty_box(plot.client_shares(counts), "No client names in this data")
    months = m.creation_bursts(archive, freq="M", top=1_000)
    assert months.empty
    ax = plot.creation_bursts(months)
    assert is_empty_box(ax, "No account creation dates in this data")
    assert ax.get_title(loc="left") == "When the accounts were created"


def test_activity_names_retweets_and_original_tweets(mixed):
    split = m.activity_series(mixed, freq="MS", by="is_retweet")
    assert split.loc["2020-02-01"].to_dict() == {"original tweets": 5, "retweets": 1}
    assert split.columns.name == "is_retweet"
    legend = plot.activity_series(split).get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["original tweets", "retweets"]


# --- the real data sets --------------------------------------------------------------------


def real(path):
    if not path.exists():
        pytest.skip(f"the real data set is not at {path} (see data/README.md)")
    return td.read_archive(path, cache=False)


@pytest.fixture(scope="module")
def reddit():
    return real(REDDIT)


@pytest.fixture(scope="module")
def fivethirtyeight():
    return real(FIVETHIRTYEIGHT)


@pytest.fixture(scope="module")
def china_users():
    return real(CHINA_USERS)


def test_reddit_has_no_followers_engagement_biographies_or_retweets(reddit):
    ccdf = m.follower_ccdf(reddit)
    assert ccdf.empty and ccdf.attrs["known"] == 0 and ccdf.attrs["accounts"] == len(reddit.users)
    assert m.follower_summary(reddit).drop(columns="accounts").isna().all().all()
    assert is_empty_box(plot.follower_ccdf(ccdf), "No follower counts in this data")
    histogram = m.engagement_histogram(reddit)
    assert histogram.attrs == {"tweets": len(reddit.tweets), "counted": 0}
    assert is_empty_box(plot.engagement_distribution(histogram), "No engagement counts in this data")
    assert m.zero_follower_hits(reddit).isna().all()
    counts = m.retweets_by_account(reddit)
    assert counts.empty and math.isnan(m.superspreaders(reddit, ci=0.9)["value"])
    assert is_empty_box(plot.lorenz_curve(m.lorenz_curve(counts)), "No retweets in this data")
    clients = m.client_shares(reddit, freq="M", normalize=False)
    assert is_empty_box(plot.client_shares(clients), "No client names in this data")
    # Reddit posts have times: those figures draw; profiles, and so creation dates, exist for some accounts.
    assert not boxed(plot.hourly_activity(m.hourly_activity(reddit)))
    months = m.creation_bursts(reddit, freq="M", top=1_000)
    known = int(reddit.users["account_creation_date"].notna().sum())
    assert months.attrs == {"accounts": len(reddit.users), "known": known} and 0 < known < len(reddit.users)
    note = f"Creation dates of {known:,} of the {len(reddit.users):,} accounts; the others have none recorded."
    assert note in [t.get_text() for t in plot.creation_bursts(months).texts]


def test_fivethirtyeight_has_followers_but_no_engagement_biographies_or_creation_dates(fivethirtyeight):
    summary = m.follower_summary(fivethirtyeight)
    assert summary["share_zero"].notna().all() and summary["share_no_biography"].isna().all()
    assert not boxed(plot.follower_ccdf(m.follower_ccdf(fivethirtyeight)))
    histogram = m.engagement_histogram(fivethirtyeight)
    assert histogram["tweets"].sum() == 0 and histogram.attrs["tweets"] == len(fivethirtyeight.tweets)
    assert is_empty_box(plot.engagement_distribution(histogram), "No engagement counts in this data")
    assert m.zero_follower_hits(fivethirtyeight).isna().all()
    months = m.creation_bursts(fivethirtyeight, freq="M", top=1_000)
    assert is_empty_box(plot.creation_bursts(months), "No account creation dates in this data")
    split = m.activity_series(fivethirtyeight, freq="auto", by="is_retweet")
    assert split.columns.tolist() == ["original tweets", "retweets"]
    assert split["retweets"].sum() == int(fivethirtyeight.tweets["is_retweet"].sum())


def test_china_users_only_file(china_users):
    summary = m.follower_summary(china_users)
    assert 0 < summary.loc["all accounts", "share_no_biography"] < 1  # biographies are recorded here
    histogram = m.engagement_histogram(china_users)
    assert histogram.attrs == {"tweets": 0, "counted": 0}
    assert is_empty_box(plot.engagement_distribution(histogram), "No tweets in this data")
    assert m.zero_follower_hits(china_users).isna().all()
    assert is_empty_box(plot.hourly_activity(m.hourly_activity(china_users)), "No tweets with a time in this data")
    series = m.activity_series(china_users, freq="auto")
    assert is_empty_box(plot.activity_series(series), "No tweets with a time in this data")
    assert is_empty_box(
        plot.lorenz_curve(m.lorenz_curve(m.retweets_by_account(china_users))), "No retweets in this data"
    )
    result = m.superspreaders(china_users, ci=0.9)
    assert result["n"] == 0 and math.isnan(result["ci_low"])
