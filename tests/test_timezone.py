"""The operators' likely time zone: scores worked out by hand, planted zones recovered, declines, the real release."""

import datetime as dt
import zoneinfo

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import takedown as td
from takedown import measures as m
from takedown.archive import Provenance
from takedown.measures import timezone as tzm

from .conftest import THAILAND

TWITTER_EPOCH_MS = 1288834974657
MONDAY = pd.Timestamp("2020-02-03")  # a Monday


def archive_at(times) -> td.Archive:
    """An archive of tweets posted at ``times`` (UTC), to the millisecond through their Snowflake ids."""
    ms = pd.DatetimeIndex(times).as_unit("ms").asi8
    ids = [str(((t - TWITTER_EPOCH_MS) << 22) | i % 4096) for i, t in enumerate(ms)]
    string = pd.ArrowDtype(pa.string())
    tweets = pd.DataFrame(
        {
            "tweetid": pd.array(ids, dtype=string),
            "tweet_time": pd.array(pd.DatetimeIndex(times).floor("min").tz_localize("UTC")).astype(
                pd.ArrowDtype(pa.timestamp("s", tz="UTC"))
            ),
        }
    )
    users = pd.DataFrame({"userid": pd.array([], dtype=string)})
    return td.Archive(
        users=users,
        tweets=tweets,
        name="hand-made",
        provenance=Provenance(source="hand", files=(), release_format="none"),
    )


def office_week(offset_hours: float) -> td.Archive:
    """Two tweets in each half hour of 9:00-18:00 local, one in each of 12:00-13:00, Monday to Friday."""
    times = []
    for day in range(5):
        for half in range(18, 36):
            local = MONDAY + pd.Timedelta(days=day, minutes=30 * half + 5)
            times += [local - pd.Timedelta(hours=offset_hours)] * (1 if half in (24, 25) else 2)
    return archive_at(times)


def score_at(fit: pd.DataFrame, offset: float) -> float:
    return float(fit.loc[fit["offset"] == offset, "score"].iloc[0])


# --- by hand -------------------------------------------------------------------------------


def test_a_week_shaped_like_the_template_scores_one_at_its_offset():
    archive = office_week(7)
    assert len(archive.tweets) == 5 * (16 * 2 + 2)
    fit = m.timezone_fit(archive)
    assert score_at(fit, 7.0) == pytest.approx(1.0)
    # One hour east, the same week starts at 10:00 and lunches at 13:00. Over the 336 half hours of the
    # week, per working day: sum T = 17, sum T^2 = 16.5, sum T*S = 14 (bins 10:00-16:00 overlap, the two
    # lunches each meet a full hour); r = (336*70 - 85^2) / (336*82.5 - 85^2) = 16295 / 20495.
    assert score_at(fit, 8.0) == pytest.approx(16295 / 20495)
    assert score_at(fit, 6.0) == pytest.approx(16295 / 20495)
    zone = m.likely_timezone(archive)
    assert zone["offset"] == 7.0 and zone["label"] == zone["tz"] == "UTC+07:00"
    assert bool(zone["fits"]) and zone["tweets"] == 170
    # Half an hour west (+06:30, the nearest offset in use): sum T*S = 5 + 0.5 + 0.25 + 0.5 + 9 = 15.25 a day.
    assert zone["runner_up"] == 6.5 and zone["runner_up_score"] == pytest.approx((336 * 76.25 - 85**2) / 20495)
    assert zone["statement"].startswith("activity fits a working week at UTC+07:00 (Bangkok, Jakarta, Hanoi) best")


def test_fit_table_lists_every_quarter_hour_offset():
    fit = m.timezone_fit(office_week(5.75))
    assert fit.columns.tolist() == ["offset", "label", "score", "in_use", "places", "fits"]
    assert len(fit) == 105 and np.allclose(np.diff(fit["offset"]), 0.25)
    labels = dict(zip(fit["offset"], fit["label"]))
    assert labels[-12.0] == "UTC-12:00" and labels[-9.5] == "UTC-09:30" and labels[5.75] == "UTC+05:45"
    assert labels[0.0] == "UTC+00:00" and labels[14.0] == "UTC+14:00"
    assert set(fit.loc[fit["in_use"], "offset"]) == set(tzm.PLACES)
    assert (fit["places"] != "").equals(fit["in_use"])
    assert fit.loc[fit["score"].idxmax(), "offset"] == 5.75
    assert fit.attrs["min_score"] == tzm.MIN_SCORE and fit.attrs["tweets"] == 170
    assert not fit.loc[~fit["in_use"], "fits"].any()


def test_offsets_in_use_match_the_time_zone_database():
    seen = set()
    for name in zoneinfo.available_timezones():
        try:
            zone = zoneinfo.ZoneInfo(name)
        except (ValueError, OSError):
            continue
        for year in range(2006, dt.date.today().year + 1):
            for month in range(1, 13):
                moment = dt.datetime(year, month, 15, 12, tzinfo=dt.UTC).astimezone(zone)
                seen.add(moment.utcoffset().total_seconds() / 3600)
    assert seen == set(tzm.PLACES)


@settings(max_examples=25, deadline=None)
@given(
    quarters=st.integers(min_value=-40, max_value=40),
    hours=st.lists(st.integers(min_value=0, max_value=7 * 96 - 1), min_size=5, max_size=60),
)
def test_shifting_the_tweets_shifts_the_scores(quarters, hours):
    times = [MONDAY + pd.Timedelta(minutes=15 * q + 7) for q in hours]
    shifted = [t + pd.Timedelta(minutes=15 * quarters) for t in times]
    before = m.timezone_fit(archive_at(times)).set_index("offset")["score"]
    after = m.timezone_fit(archive_at(shifted)).set_index("offset")["score"]
    # Tweets 15k minutes later at offset o look as the first ones did at o + k/4.
    both = [o for o in before.index if o + quarters / 4 in before.index]
    assert np.allclose(
        after.loc[both].to_numpy(), before.loc[[o + quarters / 4 for o in both]].to_numpy(), equal_nan=True
    )


# --- planted zones -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "offset", "knobs"),
    [
        ("Asia/Bangkok", 7.0, {}),
        ("Asia/Shanghai", 8.0, {}),
        ("Europe/Moscow", 3.0, {}),
        ("Asia/Tehran", 3.5, {"end": "2020-03-15"}),  # before Iran's summer time of 2020
        ("America/Caracas", -4.0, {}),
        ("Asia/Kathmandu", 5.75, {}),
        ("Europe/Berlin", 2.0, {"start": "2020-06-01", "end": "2020-08-31"}),  # summer time
        ("America/New_York", -5.0, {"start": "2020-01-06", "end": "2020-03-01"}),  # winter
    ],
)
def test_planted_zones_recovered(zone, offset, knobs):
    archive, _ = td.synth.generate(accounts=100, tweets=2_000, seed=5, timezone=zone, **knobs)
    found = m.likely_timezone(archive)
    assert found["offset"] == offset and bool(found["fits"])
    # The fixed offset found is a time zone every measure takes, and shows the planted zone's hours.
    grid = m.hourly_activity(archive, tz=found["tz"], half_hours=True)
    assert grid.equals(m.hourly_activity(archive, tz=zone, half_hours=True))
    assert m.office_hours_share(archive, tz=found["tz"]) == m.office_hours_share(archive, tz=zone)


def test_a_zone_with_summer_time_shows_at_the_offset_kept_longer():
    # Berlin in 2019: +02:00 from 31 March to 27 October (about 7 of 12 months), +01:00 otherwise.
    archive, _ = td.synth.generate(
        accounts=100, tweets=4_000, seed=1, timezone="Europe/Berlin", start="2019-01-01", end="2019-12-31"
    )
    found = m.likely_timezone(archive)
    assert found["offset"] == 2.0 and found["runner_up"] == 1.0 and bool(found["fits"])


def test_other_working_weeks():
    # An Iranian week: Friday off. With the default Saturday-Sunday weekend the fit is worse.
    times = []
    for day in (5, 6, 0, 1, 2, 3):  # Saturday to Thursday
        for half in range(16, 32):
            times += [MONDAY + pd.Timedelta(days=day, minutes=30 * half + 5) - pd.Timedelta(hours=3.5)] * 2
    archive = archive_at(times)
    iranian = m.likely_timezone(archive, hours=(8, 16), lunch=None, weekend=("Fri",))
    assert iranian["offset"] == 3.5 and iranian["score"] == pytest.approx(1.0)
    assert m.likely_timezone(archive, hours=(8, 16), lunch=None)["score"] < iranian["score"]
    seven_days = m.likely_timezone(archive, hours=(8, 16), lunch=None, weekend=())
    assert seven_days["offset"] == 3.5 and "days off" not in seven_days["statement"]


# --- declines ------------------------------------------------------------------------------


def test_round_the_clock_activity_declines():
    archive, _ = td.synth.generate(accounts=100, tweets=3_000, seed=4, night_level=1, weekend_level=1, lunch_level=1)
    found = m.likely_timezone(archive)
    assert not found["fits"] and found["score"] < 0.3
    assert found["statement"].startswith("no UTC offset fits a working week (best UTC")
    assert "round the clock" in found["statement"]
    assert not m.timezone_fit(archive)["fits"].any()


def test_a_daily_rhythm_without_weekends_is_flagged():
    archive, _ = td.synth.generate(accounts=100, tweets=3_000, seed=4, timezone="Asia/Shanghai", weekend_level=1)
    found = m.likely_timezone(archive)
    assert found["offset"] == 8.0 and bool(found["fits"])
    assert "rests on the hours alone" in found["statement"]


def test_too_few_tweets_and_none():
    few = archive_at([MONDAY + pd.Timedelta(hours=h) for h in (1, 30, 55, 80, 100)])
    found = m.likely_timezone(few)
    assert not found["fits"] and "5 tweets are too few" in found["statement"]
    none = archive_at(pd.DatetimeIndex([]))
    found = m.likely_timezone(none)
    assert not found["fits"] and found["tweets"] == 0 and found["statement"].endswith("no tweet has a time")
    assert m.timezone_fit(none)["score"].isna().all()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"hours": (18, 9)}, "hours: expected start before end"),
        ({"hours": (9.25, 18)}, "hours: expected hours between 0 and 24 in steps of half an hour"),
        ({"hours": 9}, r"hours: expected \(start, end\)"),
        ({"lunch": (19, 20)}, "lunch: expected a break inside hours"),
        ({"weekend": ("Saturday",)}, "weekend: expected days off among Mon"),
        ({"weekend": "Sun"}, "weekend: expected days off"),
    ],
)
def test_bad_working_weeks_name_the_option(options, message):
    with pytest.raises(ValueError, match=message):
        m.timezone_fit(office_week(7), **options)


# --- the real release ----------------------------------------------------------------------


@pytest.mark.real
def test_thailand_release_fits_bangkok():
    if not THAILAND.is_dir():
        pytest.skip(f"the real Thailand 2020 release is not at {THAILAND} (see data/README.md)")
    found = m.likely_timezone(td.read_archive(THAILAND))
    assert found["offset"] == 7.0 and found["tz"] == "UTC+07:00" and bool(found["fits"])
    assert found["statement"].startswith("activity fits a working week at UTC+07:00")
