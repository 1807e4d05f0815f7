"""Timing measures on whole columns: checked against pandas' own calendar, by hand, and for their options."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import takedown as td
from takedown import measures as m

from .conftest import HASH_A, HASH_B, tweet, user, write_release
from .test_timezone import archive_at

ZONES = [
    "UTC",
    "Asia/Bangkok",
    "Asia/Tehran",
    "Asia/Kathmandu",
    "America/New_York",
    "Europe/Berlin",
    "UTC+05:30",
    "UTC-09:30",
]
# 2015-01-01 to 2021-01-01 in ms, across several summer-time changes.
moments = st.lists(st.integers(min_value=1_420_070_400_000, max_value=1_609_459_200_000), min_size=1, max_size=80)


def reference_times(archive, tz):
    """Local times as pandas computes them, one tweet at a time through its calendar."""
    return td.edges.tweet_times(archive.tweets).astype("datetime64[ms, UTC]").dt.tz_convert(tz)


@settings(max_examples=40, deadline=None)
@given(ms=moments, tz=st.sampled_from(ZONES), half_hours=st.booleans())
def test_hourly_activity_matches_pandas_calendar(ms, tz, half_hours):
    archive = archive_at(pd.to_datetime(ms, unit="ms"))
    local = reference_times(archive, tz)
    slot = local.dt.hour + (local.dt.minute >= 30) * 0.5 if half_hours else local.dt.hour.astype(float)
    expected = np.zeros((7, 48 if half_hours else 24), dtype=np.int64)
    for day, where in zip(local.dt.day_of_week, slot):
        expected[day, int(where * 2) if half_hours else int(where)] += 1
    grid = m.hourly_activity(archive, tz=tz, half_hours=half_hours)
    assert np.array_equal(grid.to_numpy(), expected)
    inside = (local.dt.hour >= 9) & (local.dt.hour < 18) & (local.dt.day_of_week < 5)
    assert m.office_hours_share(archive, tz=tz) == inside.mean()


@settings(max_examples=30, deadline=None)
@given(ms=moments, tz=st.sampled_from(ZONES), freq=st.sampled_from(["D", "W", "MS", "6h"]))
def test_activity_series_matches_resampling_the_times(ms, tz, freq):
    archive = archive_at(pd.to_datetime(ms, unit="ms"))
    local = reference_times(archive, tz).dt.tz_localize(None)
    expected = pd.Series(1, index=pd.DatetimeIndex(local)).resample(freq).sum()
    series = m.activity_series(archive, freq=freq, tz=tz)["tweets"]
    assert series.index.equals(expected.index) and np.array_equal(series.to_numpy(), expected.to_numpy())


def test_post_times_keep_the_millisecond_and_any_offset():
    archive = archive_at(pd.to_datetime(["2020-02-03 02:00:00.123", "2020-02-08 16:59:59.999"]))
    times = m.post_times(archive, tz="UTC+05:45")
    assert times.tolist() == [
        pd.Timestamp("2020-02-03 07:45:00.123", tz="UTC+05:45"),
        pd.Timestamp("2020-02-08 22:44:59.999", tz="UTC+05:45"),
    ]
    assert times.name == "time" and times.index.equals(archive.tweets.index)


@pytest.mark.parametrize("measure", [m.post_times, m.hourly_activity, m.office_hours_share, m.activity_series])
def test_unknown_time_zone_names_tz(measure):
    archive = archive_at(pd.to_datetime(["2020-02-03 02:00"]))
    with pytest.raises(ValueError, match="tz: unknown time zone 'Mars/Olympus'; expected an IANA name"):
        measure(archive, tz="Mars/Olympus")


def test_activity_series_auto_resolution():
    start = pd.Timestamp("2020-01-06 03:00")  # a Monday

    def spread(days, n=400):
        return [start + pd.Timedelta(days=days * i / (n - 1)) for i in range(n)]

    daily = m.activity_series(archive_at(spread(170)), freq="auto")
    assert daily.index.freqstr == "D" and len(daily) == 171
    weekly = m.activity_series(archive_at(spread(700)), freq="auto")
    assert weekly.index.freqstr == "W-MON" and (weekly.index.day_of_week == 0).all()
    assert weekly.index[0] == pd.Timestamp("2020-01-06") and weekly["tweets"].sum() == 400
    monthly = m.activity_series(archive_at(spread(1_500)), freq="auto")
    assert monthly.index.freqstr == "MS" and monthly.index[0] == pd.Timestamp("2020-01-01")
    # One tweet in 400 (0.25%) two years early does not decide: the central 99% span 170 days.
    tail = [start - pd.Timedelta(days=730)] + spread(170, n=399)
    with_tail = m.activity_series(archive_at(tail), freq="auto")
    assert with_tail.index.freqstr == "D" and len(with_tail) == 901 and with_tail["tweets"].sum() == 400


def test_activity_series_of_nothing():
    empty = m.activity_series(archive_at(pd.DatetimeIndex([])), freq="auto")
    assert empty.empty and empty.index.freqstr == "D" and empty.index.name == "time"


def test_client_counts_by_hand(tmp_path):
    rows = [
        tweet("1", HASH_A, tweet_time="2020-01-10 03:00", tweet_client_name="Twitter for Android"),
        tweet("2", HASH_A, tweet_time="2020-01-11 03:00", tweet_client_name="Twitter for Android"),
        tweet("3", HASH_A, tweet_time="2020-02-10 03:00", tweet_client_name="Twitter Web Client"),
        tweet("4", HASH_B, tweet_time="2020-02-10 04:00", tweet_client_name="Twitter Web Client"),
        tweet("5", HASH_B, tweet_time="2020-02-11 04:00", tweet_client_name="Twitter for iPhone"),
    ]
    archive = td.read_archive(write_release(tmp_path / "r", [user(), user(HASH_B)], rows), cache=False)
    counts = m.client_shares(archive, freq="M", normalize=False)
    assert counts.to_dict("index") == {
        pd.Timestamp("2020-01-01"): {"Twitter Web Client": 0, "Twitter for Android": 2, "Twitter for iPhone": 0},
        pd.Timestamp("2020-02-01"): {"Twitter Web Client": 2, "Twitter for Android": 0, "Twitter for iPhone": 1},
    }
    assert counts.dtypes.eq("int64").all() and counts.columns.name == "client"
    shares = m.client_shares(archive, freq="M")
    assert np.allclose(shares.to_numpy(), counts.div(counts.sum(axis=1), axis=0).to_numpy())
    overall = m.client_shares(archive, normalize=False, top=1)
    assert overall.loc["all"].to_dict() == {"other": 3, "Twitter for Android": 2}


def test_posting_gaps_by_hand():
    # One account posting at 0, 10, 70 and 200 s: gaps 10, 60 and 130 s. Another posts once.
    base = pd.Timestamp("2020-02-03 02:00")
    ms = [base + pd.Timedelta(seconds=s) for s in (0, 10, 70, 200, 30)]
    archive = archive_at(ms)
    tweets = archive.tweets.assign(userid=pd.array(["a"] * 4 + ["b"], dtype=archive.tweets["tweetid"].dtype))
    archive = td.Archive(users=archive.users, tweets=tweets, name="gaps", provenance=archive.provenance)
    gaps = m.posting_gaps(archive)
    assert gaps.index.tolist() == ["a"]
    assert gaps.loc["a"].to_dict() == {"tweets": 4, "median_gap": 60.0, "min_gap": 10.0, "within_60s": 1 / 3}
