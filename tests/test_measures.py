"""Measures: values worked out by hand, properties, and planted values recovered."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import takedown as td
from takedown import measures as m

from .conftest import HASH_A, HASH_B, tweet, user, write_release

counts = st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=200).filter(lambda x: sum(x) > 0)


# --- concentration: by hand ---------------------------------------------------------------


def test_top_share_by_hand():
    # 5 accounts, 12 retweets: the top 1 (k = ceil(0.2 * 5)) made 6 of 12.
    values = [6, 3, 1, 1, 1]
    assert m.top_share(values, q=0.2)[["value", "k", "n"]].tolist() == [0.5, 1, 5]
    assert m.top_share(values, q=0.21)["k"] == 2  # ceil(1.05) = 2: 9 of 12
    assert m.top_share(values, q=0.21)["value"] == 0.75
    assert m.top_share([1, 1, 1, 1], q=0.5)["value"] == 0.5  # ties: any two of four equal units


def test_gini_lorenz_hhi_by_hand():
    assert m.gini([0, 0, 0, 4])["value"] == pytest.approx(0.75)
    assert m.gini([1, 2, 3, 4])["value"] == pytest.approx(0.25)  # 2*30/(4*10) - 5/4
    assert m.hhi([2, 2])["value"] == 0.5
    curve = m.lorenz_curve([0, 0, 0, 4])
    assert curve["value_share"].tolist() == [0.0, 0.0, 0.0, 0.0, 1.0]


def test_bootstrap_interval_contains_the_value_and_repeats():
    values = np.random.default_rng(1).lognormal(size=500)
    first = m.top_share(values, q=0.05, ci=0.95, seed=3)
    assert first["ci_low"] < first["value"] < first["ci_high"]
    assert first.equals(m.top_share(values, q=0.05, ci=0.95, seed=3))


@pytest.mark.parametrize("bad", [[1, -1], [1, np.nan]])
def test_bad_values(bad):
    with pytest.raises(ValueError, match="values"):
        m.gini(bad)


# --- concentration: properties -----------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(counts)
def test_gini_in_unit_interval(values):
    g = m.gini(values)["value"]
    assert 0 <= g < 1 and g <= 1 - 1 / len(values) + 1e-12


@settings(max_examples=200, deadline=None)
@given(counts, st.floats(min_value=0.01, max_value=0.5), st.floats(min_value=0.01, max_value=0.5))
def test_top_share_grows_with_q(values, q1, q2):
    low, high = sorted([q1, q2])
    assert m.top_share(values, q=low)["value"] <= m.top_share(values, q=high)["value"] + 1e-12


@settings(max_examples=200, deadline=None)
@given(counts, st.randoms(use_true_random=False), st.floats(min_value=0.1, max_value=1000))
def test_invariant_to_order_and_scale(values, rng, scale):
    shuffled = list(values)
    rng.shuffle(shuffled)
    scaled = [v * scale for v in values]
    for measure in (m.gini, m.hhi, lambda v: m.top_share(v, q=0.1)):
        assert measure(shuffled)["value"] == pytest.approx(measure(values)["value"])
        assert measure(scaled)["value"] == pytest.approx(measure(values)["value"])


@settings(max_examples=100, deadline=None)
@given(counts)
def test_lorenz_curve_is_convex_and_below_the_diagonal(values):
    curve = m.lorenz_curve(values)
    assert (curve["value_share"] <= curve["population_share"] + 1e-12).all()
    assert (np.diff(curve["value_share"], 2) >= -1e-12).all()


# --- super-spreaders ---------------------------------------------------------------------


def test_superspreaders_on_a_table_collected_elsewhere():
    # OII-style: 100 retweeters of two diplomats; account 0 makes 100 of 199 retweets.
    rows = [("0", "d1")] * 100 + [(str(i), "d1" if i % 2 else "d2") for i in range(1, 100)]
    table = pd.DataFrame(rows, columns=["retweeter", "diplomat"]).assign(
        at=pd.date_range("2020-06-01", periods=len(rows), freq="h")
    )
    edges = td.edges.from_table(table, source="retweeter", target="diplomat", time="at")
    result = m.superspreaders(edges)
    assert result[["value", "n", "k", "retweets"]].tolist() == [100 / 199, 100, 1, 199]
    by_target = m.superspreader_share_by_target(edges)
    assert by_target.loc["d1", "share"] == 100 / 150 and by_target.loc["d2", "share"] == 0
    weekly = m.share_from(edges, accounts=["0"], target="d1", freq="W")
    assert weekly["total"].sum() == 150 and weekly["from_accounts"].sum() == 100
    assert m.share_from(edges, accounts=[str(i) for i in range(1, 11)])["share"].iloc[0] == 10 / 199


@pytest.mark.parametrize("seed", [0, 1])
def test_planted_superspreaders_recovered(seed):
    archive, truth = td.synth.generate(accounts=1_000, tweets=20_000, seed=seed, top1_retweet_share=0.5)
    measured = m.superspreaders(td.edges.retweets(archive))
    assert measured["value"] == pytest.approx(0.5, abs=measured["k"] / measured["retweets"])
    assert measured["k"] == truth.planted["top_k"]


# --- accounts, engagement, timing on a hand-built archive --------------------------------


@pytest.fixture
def small(tmp_path):
    users = [
        user(HASH_A, follower_count="0", user_profile_description="bio", account_creation_date="2019-12-01"),
        user(HASH_B, follower_count="4", account_creation_date="2019-12-01"),
        user("42", follower_count="8", account_creation_date="2020-01-05"),
        user("43", follower_count="6000", account_creation_date="2019-12-01"),
    ]
    tweets = [
        tweet("1", HASH_A, tweet_time="2020-02-03 02:00", like_count="2", retweet_count="1"),  # Mon 09:00 Bangkok
        tweet("2", HASH_A, tweet_time="2020-02-03 02:00", is_retweet="true"),
        tweet("3", HASH_B, tweet_time="2020-02-08 05:30", reply_count="1"),  # Sat 12:30
        tweet("4", HASH_B, tweet_time="2020-02-04 14:00"),  # Tue 21:00
    ]
    return td.read_archive(write_release(tmp_path / "r", users, tweets), cache=False)


def test_follower_summary_by_hand(small):
    summary = m.follower_summary(small)
    everyone, tweeting = summary.loc["all accounts"], summary.loc["accounts that tweeted"]
    assert everyone[["accounts", "share_zero", "share_under_8", "share_under_10", "share_5000_or_more"]].tolist() == [
        4,
        0.25,
        0.5,
        0.75,
        0.25,
    ]
    assert everyone["mean"] == (0 + 4 + 8 + 6000) / 4 and everyone["max"] == 6000
    assert tweeting["accounts"] == 2 and tweeting["mean"] == 2.0
    assert everyone["share_no_biography"] == 0.75
    ccdf = m.follower_ccdf(small)
    assert ccdf.values.tolist() == [[0, 1.0], [4, 0.75], [8, 0.5], [6000, 0.25]]


def test_creation_bursts_by_hand(small):
    days = m.creation_bursts(small, freq="D", top=2)
    assert days["period"].tolist() == [pd.Timestamp("2019-12-01"), pd.Timestamp("2020-01-05")]
    assert days["accounts"].tolist() == [3, 1] and days["share"].tolist() == [0.75, 0.25]


def test_engagement_by_hand(small):
    summary = m.engagement_summary(small)
    assert summary["share_no_engagement"] == 0.5  # tweets 2 and 4
    assert summary["mean_per_tweet"] == 1.0  # (3 + 0 + 1 + 0) / 4
    assert summary["mean_per_original"] == 4 / 3
    table, _ = m.engagement_by_account(small)
    assert table["engagement"].to_dict() == {HASH_A: 3, HASH_B: 1}
    assert m.zero_follower_hits(small, likes=1, retweets=0).to_dict() == {"over_likes": 1, "over_retweets": 1}


def test_timing_by_hand(small):
    grid = m.hourly_activity(small, tz="Asia/Bangkok")
    assert grid.loc["Mon", 9.0] == 2 and grid.loc["Sat", 12.0] == 1 and grid.loc["Tue", 21.0] == 1
    assert grid.values.sum() == 4
    half = m.hourly_activity(small, tz="Asia/Bangkok", half_hours=True)
    assert half.loc["Sat", 12.5] == 1 and half.shape == (7, 48)
    assert m.office_hours_share(small, tz="Asia/Bangkok") == 0.5  # Monday 9:00 twice
    assert m.office_hours_share(small, tz="Asia/Bangkok", weekdays_only=False) == 0.75
    daily = m.activity_series(small, freq="D", tz="Asia/Bangkok")
    assert daily["tweets"].tolist() == [2, 1, 0, 0, 0, 1]
    split = m.activity_series(small, freq="MS", by="is_retweet")
    assert split.loc["2020-02-01"].to_dict() == {"original tweets": 3, "retweets": 1}


def test_posting_gaps_and_clients():
    archive, truth = td.synth.generate(accounts=300, tweets=10_000, seed=3, rapid_fire_accounts=2, rapid_fire_gap=3)
    gaps = m.posting_gaps(archive, retweets_only=True)
    rapid = set(truth.accounts.loc[truth.accounts["rapid_fire"], "userid"])
    assert set(gaps.index[:2]) == rapid
    shares = m.client_shares(archive, freq="M")
    assert np.allclose(shares.sum(axis=1), 1.0)


@pytest.mark.parametrize("seed", [0, 1])
def test_planted_office_hours_recovered(seed):
    archive, truth = td.synth.generate(accounts=300, tweets=10_000, seed=seed, timezone="Asia/Shanghai")
    share = m.office_hours_share(archive, tz="Asia/Shanghai")
    assert share == pytest.approx(truth.planted["office_hours_share"], abs=1e-12)
    grid = m.hourly_activity(archive, tz="Asia/Shanghai")
    assert 9 <= grid.sum().idxmax() < 18


def test_planted_followers_recovered():
    archive, truth = td.synth.generate(preset="aspi_china_2020", accounts=5_000, tweets=5_000, seed=2)
    summary = m.follower_summary(archive).loc["all accounts"]
    assert summary["share_zero"] == pytest.approx(truth.planted["zero_follower_share"])
    assert summary["share_under_8"] == pytest.approx(truth.planted["under_8_share"])
    assert abs(summary["share_zero"] - 0.785) < 4 * math.sqrt(0.785 * 0.215 / 5_000)


def test_retweet_delays_by_hand():
    edges = pd.DataFrame({"delay": pd.array([30.0, 120.0, 3600.0, 60.0, None], dtype="Float64")})
    delays = m.retweet_delays(edges)
    assert delays.to_dict() == {
        "retweets": 4.0,
        "median_delay": 90.0,
        "share_within_10s": 0.0,
        "share_within_60s": 0.5,
        "share_within_3600s": 1.0,
    }


def test_clients_languages_and_hashtags_by_hand(tmp_path):
    rows = [
        tweet(
            "1", HASH_A, tweet_time="2020-01-10 03:00", tweet_client_name="Twitter for Android", hashtags="['a', 'b']"
        ),
        tweet("2", HASH_A, tweet_time="2020-01-11 03:00", tweet_client_name="Twitter for Android", hashtags="['a']"),
        tweet("3", HASH_A, tweet_time="2020-02-10 03:00", tweet_client_name="Twitter Web Client", tweet_language="en"),
        tweet("4", HASH_B, tweet_time="2020-02-10 04:00", tweet_client_name="Twitter Web Client", hashtags="['b']"),
    ]
    archive = td.read_archive(write_release(tmp_path / "r", [user(), user(HASH_B)], rows), cache=False)
    switches = m.client_switches(archive, freq="M").set_index(["userid", "period"])
    assert switches.loc[(HASH_A, pd.Timestamp("2020-01-01")), ["client", "tweets", "switched"]].tolist() == [
        "Twitter for Android",
        2,
        False,
    ]
    assert bool(switches.loc[(HASH_A, pd.Timestamp("2020-02-01")), "switched"]) is True
    assert bool(switches.loc[(HASH_B, pd.Timestamp("2020-02-01")), "switched"]) is False
    assert m.language_shares(archive).loc["all"].to_dict() == {"th": 0.75, "en": 0.25}
    assert m.client_shares(archive, freq="M").loc["2020-02-01", "Twitter Web Client"] == 1.0
    assert m.top_hashtags(archive).values.tolist() == [["a", 2], ["b", 2]]
    monthly = m.top_hashtags(archive, freq="M", top=1)
    assert monthly["hashtag"].tolist() == ["a", "b"]


def test_daily_volume_by_hand(tmp_path):
    """Days are cut at the chosen zone's midnight: A's three tweets fall on two UTC days but three Bangkok days."""
    times = {"1": (HASH_A, "2020-01-01 10:00"), "2": (HASH_A, "2020-01-01 23:30"), "3": (HASH_A, "2020-01-03 01:00")}
    times["4"] = (HASH_B, "2020-01-02 12:00")
    archive = td.read_archive(
        write_release(
            tmp_path / "r",
            [user(HASH_A), user(HASH_B)],
            [tweet(i, who, tweet_time=when) for i, (who, when) in times.items()],
        ),
        cache=False,
    )
    utc = m.daily_volume(archive)
    assert utc.loc[HASH_A].tolist() == [3, 2, 1.5, 1.0, 2]  # 3 tweets over Jan 1-3, two of them on Jan 1
    assert utc.loc[HASH_B].tolist() == [1, 1, 1.0, 1.0, 1]
    assert utc.index.tolist() == [HASH_A, HASH_B]
    bangkok = m.daily_volume(archive, tz="Asia/Bangkok")
    assert bangkok.loc[HASH_A].tolist() == [3, 3, 1.0, 1.0, 1]
    assert m.daily_volume(archive.subset([])).empty
    sample = td.datasets.sample()
    assert m.daily_volume(sample)["tweets"].sum() == sample.num_rows("tweets")
