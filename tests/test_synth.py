"""The synthetic generator: real-format files, and planted structure that can be found again.

Statistical checks state their tolerance. Where a value is drawn (follower
shares, burst shares, office-hour shares) the tolerance is 4 binomial
standard deviations, so a correct generator fails about once in 16,000 runs;
where a value is constructed (the top-1% retweet share) it is exact up to
rounding a count to a whole number.
"""

import math
import re

import numpy as np
import pandas as pd
import pytest

import takedown as td
from takedown.synth.generate import _EARLIER_HOURS, _TEST_TEXTS, TWITTER_EPOCH_MS

SEEDS = [0, 1, 2]


def snowflake_ms(ids: pd.Series) -> np.ndarray:
    return (ids.astype("int64").to_numpy() >> 22) + TWITTER_EPOCH_MS


def binomial_tolerance(p: float, n: int) -> float:
    return 4 * math.sqrt(p * (1 - p) / n)


@pytest.fixture(scope="module")
def small():
    return td.synth.generate(accounts=150, tweets=2_000, seed=5, preset="sample", unhashed_share=0.1)


# --- files in the real format ---------------------------------------------------------


@pytest.mark.parametrize("release_format", ["2020", "2019", "2018"])
@pytest.mark.parametrize("zipped", [True, False])
@pytest.mark.parametrize("parts", [1, 3])
def test_write_then_read_gives_equal_tables(small, tmp_path, release_format, zipped, parts):
    archive, _ = small
    paths = td.synth.write(archive, tmp_path, release_format=release_format, zipped=zipped, parts=parts)
    assert len(paths) == 1 + parts and all(p.suffix == (".zip" if zipped else ".csv") for p in paths)
    back = td.read_archive(tmp_path, cache=False)
    assert back.provenance.release_format == release_format and back.provenance.issues.empty
    expected = archive.tweets
    if release_format == "2020":  # the one column the 2020 layout lacks comes back null
        expected = expected.assign(
            poll_choices=pd.Series(pd.NA, index=expected.index, dtype=expected["poll_choices"].dtype)
        )
    pd.testing.assert_frame_equal(back.users, archive.users)
    pd.testing.assert_frame_equal(back.tweets, expected)


def test_files_look_like_a_real_release(small, tmp_path):
    archive, _ = small
    (users_csv, tweets_csv) = td.synth.write(archive, tmp_path, zipped=False)
    text = tweets_csv.read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[0] == ",".join(f'"{c}"' for c in td.schema.RELEASE_FORMATS["2020"])
    assert re.fullmatch(r'("([^"]|"")*"[,\n])*', text)  # every value double-quoted, empty ones too
    assert '"absent","absent"' in lines[1]
    assert len(lines) - 2 > len(archive.tweets)  # texts hold newlines, so lines overcount rows
    assert users_csv.read_text(encoding="utf-8").startswith('"userid","user_display_name"')


def test_2019_spellings(small, tmp_path):
    archive, _ = small
    (_, tweets_csv) = td.synth.write(archive, tmp_path, release_format="2019", zipped=False)
    text = tweets_csv.read_text(encoding="utf-8")
    unquoted = [m for m in archive.tweets["user_mentions"] if len(m) and all(x.isdigit() for x in m)]
    assert f'"[{unquoted[0][0]}' in text  # numeric mentions unquoted, as China 2019
    assert '""' in text  # some empty lists are empty cells


def test_same_seed_same_bytes_different_seed_different(tmp_path):
    def files(seed, folder):
        paths, _ = td.synth.stream(folder, accounts=80, tweets=1_000, seed=seed, chunk_size=333)
        return [p.read_bytes() for p in paths]

    assert files(1, tmp_path / "a") == files(1, tmp_path / "b")
    assert files(1, tmp_path / "a") != files(2, tmp_path / "c")


def test_stream_equals_write_whatever_the_chunks(tmp_path):
    archive, _ = td.synth.generate(accounts=80, tweets=1_500, seed=4)
    written = td.synth.write(archive, tmp_path / "w", parts=2)
    streamed, _ = td.synth.stream(tmp_path / "s", accounts=80, tweets=1_500, seed=4, parts=2, chunk_size=97)
    assert [p.read_bytes() for p in written] == [p.read_bytes() for p in streamed]


def test_id_shapes(small):
    archive, truth = small
    hashed = archive.users["userid"][~archive.users["userid"].str.fullmatch(r"[0-9]+")]
    assert hashed.str.fullmatch(r"[A-Za-z0-9+/]{43}=").all()
    assert archive.users["userid"].str.fullmatch(r"[0-9]+").sum() > 0  # some unhashed accounts
    hex_archive, _ = td.synth.generate(accounts=20, tweets=100, seed=1, hash_style="hex")
    assert hex_archive.users["userid"].str.fullmatch(r"[0-9a-f]{64}").all()
    assert truth.external["userid"].str.fullmatch(r"[0-9]+").all()
    assert not truth.external["userid"].isin(archive.users["userid"]).any()


def test_snowflakes_match_the_times(small):
    tweets = small[0].tweets
    ms = snowflake_ms(tweets["tweetid"])
    minutes = tweets["tweet_time"].astype("int64").to_numpy()
    assert np.array_equal(ms // 60_000 * 60, minutes)
    assert tweets["tweetid"].is_unique
    retweets = tweets[tweets["is_retweet"]]
    assert (snowflake_ms(retweets["retweet_tweetid"]) < snowflake_ms(retweets["tweetid"])).all()


def test_retweets_name_their_target_as_real_files_do(small):
    archive, truth = small
    retweets = archive.tweets[archive.tweets["is_retweet"]]
    first_mention = retweets["user_mentions"].map(lambda m: m[0])
    inside = first_mention.isin(archive.users["userid"])
    # retweet_userid only for accounts inside the takedown, and then equal to the first mention
    assert (retweets["retweet_userid"].notna() == inside).all()
    assert (retweets.loc[inside, "retweet_userid"] == first_mention[inside]).all()
    assert first_mention[~inside].isin(truth.external["userid"]).all()
    names = pd.concat(
        [archive.users.set_index("userid")["user_screen_name"], truth.external.set_index("userid")["screen_name"]]
    )
    expected = "RT @" + names.reindex(first_mention).to_numpy() + ":"
    assert all(text.startswith(prefix) for text, prefix in zip(retweets["tweet_text"], expected))
    assert (retweets[["like_count", "retweet_count", "reply_count", "quote_count"]] == 0).all().all()


# --- planted structure recovered --------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_zero_follower_share(seed):
    archive, _ = td.synth.generate(
        accounts=2_000, tweets=2_000, seed=seed, zero_follower_share=0.785, follower_tail=0.7
    )
    followers = archive.users["follower_count"]
    assert abs((followers == 0).mean() - 0.785) < binomial_tolerance(0.785, 2_000)
    # P(followers < 8) = 0.785 + 0.215 * (1 - 8**-0.7)
    under_8 = 0.785 + 0.215 * (1 - 8**-0.7)
    assert abs((followers < 8).mean() - under_8) < binomial_tolerance(under_8, 2_000)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("share", [0.2, 0.5])
def test_top1_retweet_share(seed, share):
    archive, truth = td.synth.generate(accounts=1_000, tweets=20_000, seed=seed, top1_retweet_share=share)
    per_account = archive.retweets.groupby("userid").size().sort_values(ascending=False)
    k = math.ceil(0.01 * len(per_account))
    measured = per_account.iloc[:k].sum() / per_account.sum()
    assert abs(measured - share) <= k / per_account.sum()  # exact up to splitting a count among k accounts
    assert truth.planted["top_k"] == k


@pytest.mark.parametrize("seed", SEEDS)
def test_office_hours_with_lunch_dip_and_quiet_weekends(seed):
    knobs = td.synth.params.knobs_for(None)
    archive, _ = td.synth.generate(accounts=300, tweets=20_000, seed=seed, timezone="Asia/Shanghai")
    local = pd.DatetimeIndex(snowflake_ms(archive.tweets["tweetid"]) * 1_000_000, tz="UTC").tz_convert("Asia/Shanghai")
    hours = pd.Series(local.hour).value_counts().reindex(range(24), fill_value=0)
    assert 9 <= hours.idxmax() < 18
    assert hours[12] < 0.6 * hours[[10, 11, 14, 15]].mean()  # lunch dip (planted at 0.35)
    assert hours[[0, 1, 2, 3, 4, 5]].sum() < 0.05 * hours.sum()
    weekday = pd.Series(local.day_of_week < 5)
    days = pd.date_range(knobs.start, knobs.end)
    n_weekdays = int((days.day_of_week < 5).sum())
    expected = n_weekdays / (n_weekdays + knobs.weekend_level * (len(days) - n_weekdays))
    assert abs(weekday.mean() - expected) < binomial_tolerance(expected, 20_000) + 0.01  # + group events' clumping


@pytest.mark.parametrize("seed", SEEDS)
def test_creation_bursts(seed):
    archive, truth = td.synth.generate(accounts=3_000, tweets=1_000, seed=seed, creation_bursts=4, burst_share=0.5)
    per_day = archive.users["account_creation_date"].value_counts()
    assert sorted(str(d) for d in per_day.index[:4]) == truth.planted["burst_days"]
    share = per_day.iloc[:4].sum() / len(archive.users)
    # A burst day also gets its share of the spread-out accounts: at most a few in 3,000.
    assert abs(share - 0.5) < binomial_tolerance(0.5, 3_000) + 0.005


def test_coordinated_groups_retweet_the_same_tweets_within_seconds():
    archive, truth = td.synth.generate(
        accounts=400, tweets=6_000, seed=2, coordinated_groups=3, group_size=5, group_spread=8
    )
    retweets = archive.retweets.assign(ms=lambda t: snowflake_ms(t["tweetid"]))
    assert truth.groups["group"].nunique() == 3
    for _, members in truth.groups.groupby("group"):
        mine = retweets[retweets["userid"].isin(members["userid"])]
        shared = mine.groupby("retweet_tweetid").agg(
            accounts=("userid", "nunique"), spread=("ms", lambda s: s.max() - s.min())
        )
        together = shared[shared["accounts"] == 5]
        assert len(together) >= truth.knobs.group_events
        assert (together["spread"] <= 8_000).all()


def test_rapid_fire_accounts():
    archive, truth = td.synth.generate(accounts=300, tweets=10_000, seed=3, rapid_fire_accounts=2, rapid_fire_gap=3)
    retweets = archive.retweets.assign(ms=lambda t: snowflake_ms(t["tweetid"])).sort_values("ms")
    gaps = retweets.groupby("userid")["ms"].apply(
        lambda s: np.median(np.diff(s.to_numpy())) / 1000 if len(s) > 2 else np.nan
    )
    rapid = truth.accounts.loc[truth.accounts["rapid_fire"], "userid"]
    assert len(rapid) == 2
    assert (gaps.reindex(rapid) < 30).all()
    assert gaps.drop(rapid).median() > 600


def test_engagement_mostly_zero():
    archive, _ = td.synth.generate(accounts=300, tweets=10_000, seed=1, engaged_share=0.2, retweet_share=0.5)
    counts = archive.tweets[["like_count", "retweet_count", "reply_count", "quote_count"]].sum(axis=1)
    originals = ~archive.tweets["is_retweet"]
    # an engaged original has each count non-zero with chance 0.8, so some count with chance 1 - 0.2**4
    expected = 0.2 * (1 - 0.2**4)
    assert abs((counts[originals] > 0).mean() - expected) < binomial_tolerance(expected, int(originals.sum()))
    assert (counts[~originals] == 0).all()


def test_hashtag_campaigns_stay_in_their_windows():
    archive, truth = td.synth.generate(accounts=200, tweets=8_000, seed=6, hashtag_campaigns=2, campaign_rate=0.5)
    day = archive.tweets["tweet_time"].dt.tz_convert(truth.knobs.timezone).dt.date
    for row in truth.campaigns.itertuples():
        tagged = archive.tweets["hashtags"].map(lambda tags, tag=row.hashtag: tag in tags)
        assert tagged.sum() > 0
        assert ((day[tagged] >= row.start) & (day[tagged] <= row.end)).all()


@pytest.mark.parametrize("preset", sorted(td.synth.PRESETS))
def test_presets_are_labelled_synthetic(preset):
    _, truth = td.synth.generate(preset=preset, accounts=400, tweets=4_000)
    assert truth.knobs.synthetic_note.startswith("SYNTHETIC.")


def test_aspi_preset_matches_the_published_figures():
    archive, _ = td.synth.generate(preset="aspi_china_2020", accounts=5_000, tweets=20_000, seed=9)
    followers = archive.users["follower_count"]
    assert abs((followers == 0).mean() - 0.785) < binomial_tolerance(0.785, 5_000)
    assert abs((followers < 8).mean() - 0.95) < binomial_tolerance(0.95, 5_000) + 0.005
    local = archive.tweets["tweet_time"].dt.tz_convert("Asia/Shanghai")
    assert 9 <= local.dt.hour.value_counts().idxmax() < 18


def test_preset_sizes_are_the_published_ones():
    assert td.synth.params.PRESET_SIZES["aspi_china_2020"] == (23_750, 348_608)


# --- bought accounts (ASPI 2019) --------------------------------------------------------------

BOUGHT = {"accounts": 300, "tweets": 4_000, "start": "2021-03-01", "end": "2021-09-30", "bought_accounts": 5}


@pytest.fixture(scope="module")
def bought():
    return td.synth.generate(seed=11, **BOUGHT)


@pytest.mark.parametrize("seed", SEEDS)
def test_bought_accounts_are_found_again_by_their_client_switch(seed):
    archive, truth = td.synth.generate(seed=seed, **BOUGHT)
    switches = td.measures.client_switches(archive, freq="Y")
    switched = switches[switches["switched"]]
    assert sorted(switched["userid"]) == sorted(truth.bought["userid"])
    assert (switched["client"] == "Twitter Web Client").all()
    assert (switched["period"] == pd.Timestamp("2021-01-01")).all()


def test_bought_accounts_lived_an_earlier_life_then_fell_silent(bought):
    archive, truth = bought
    start = pd.Timestamp(truth.knobs.start, tz="UTC")
    tweets = archive.tweets.assign(time=td.edges.tweet_times(archive))
    takeover = start - pd.Timedelta(days=61)  # no takeover is earlier
    before = tweets[tweets["time"] < takeover]
    assert set(before["userid"]) == set(truth.bought["userid"])
    assert (before["hashtags"].map(len) == 0).all() and (before["user_mentions"].map(len) == 0).all()
    created = archive.users.set_index("userid")["account_creation_date"]
    for row in truth.bought.itertuples():
        mine = before[before["userid"] == row.userid]
        assert len(mine) == row.earlier_tweets == truth.knobs.bought_prior_tweets
        assert (mine["tweet_language"] == row.earlier_language).all()
        assert (mine["tweet_client_name"] == row.earlier_client).all()
        assert created[row.userid] == row.created <= (start - pd.DateOffset(years=3)).date()
        assert row.created <= mine["time"].min().date() and mine["time"].max().date() == row.earlier_last
        later = tweets[(tweets["userid"] == row.userid) & (tweets["time"] >= takeover)]
        assert (later["time"].min() - mine["time"].max()).days >= 365  # dormant for at least a year
        tests = later[later["tweet_text"].isin(_TEST_TEXTS)]
        assert len(tests) == int(row.test_tweet)
        if row.test_tweet:  # the new owner's first tweet, on the day of the takeover
            local = tests["time"].iloc[0].tz_convert(truth.knobs.timezone)
            assert local.date() == row.bought and tests["time"].iloc[0] == later["time"].min()


def test_earlier_owners_kept_leisure_hours():
    archive, truth = td.synth.generate(seed=6, **{**BOUGHT, "bought_accounts": 8, "bought_prior_tweets": 100})
    tweets = archive.tweets.assign(time=td.edges.tweet_times(archive))
    earlier = tweets.merge(truth.bought[["userid", "earlier_timezone", "earlier_last"]], on="userid")
    earlier = earlier[earlier["time"].dt.date <= earlier["earlier_last"]]
    hours = np.array([t.tz_convert(z).hour for t, z in zip(earlier["time"], earlier["earlier_timezone"])])
    assert len(hours) == 800
    # The planted leisure day: hours 18 to 23 carry 50 of its 121 weights.
    assert (_EARLIER_HOURS[18:].sum(), _EARLIER_HOURS.sum()) == (50, 121)
    assert abs(np.isin(hours, range(18, 24)).mean() - 50 / 121) < binomial_tolerance(50 / 121, 800)
    assert np.isin(hours, range(1, 6)).mean() < 0.1  # 5 of 121 weights: quiet at night


def test_adding_bought_accounts_leaves_everything_else_as_it_was():
    without, _ = td.synth.generate(seed=4, **{**BOUGHT, "bought_accounts": 0})
    archive, truth = td.synth.generate(seed=4, **BOUGHT)
    sold = archive.tweets["userid"].isin(truth.bought["userid"])
    was_sold = without.tweets["userid"].isin(truth.bought["userid"])
    pd.testing.assert_frame_equal(
        archive.tweets[~sold].reset_index(drop=True), without.tweets[~was_sold].reset_index(drop=True)
    )
    # The bought accounts' tweets in the operation differ only in client and creation date.
    changed = ["tweet_client_name", "account_creation_date"]
    theirs = archive.tweets[sold & archive.tweets["tweetid"].isin(without.tweets["tweetid"])]
    pd.testing.assert_frame_equal(
        theirs.drop(columns=changed).reset_index(drop=True),
        without.tweets[was_sold].drop(columns=changed).reset_index(drop=True),
    )
    assert (theirs["tweet_client_name"] == "Twitter Web Client").mean() > 0.9  # client_switch 0.05 aside


def test_without_bought_accounts_the_truth_lists_none():
    _, truth = td.synth.generate(accounts=50, tweets=500, seed=1)
    assert truth.bought.empty and "bought" in truth.bought.columns and truth.knobs.bought_accounts == 0


def test_stream_equals_write_with_bought_accounts(tmp_path):
    archive, _ = td.synth.generate(seed=2, **BOUGHT)
    written = td.synth.write(archive, tmp_path / "w", parts=2)
    streamed, _ = td.synth.stream(tmp_path / "s", seed=2, parts=2, chunk_size=333, **BOUGHT)
    assert [p.read_bytes() for p in written] == [p.read_bytes() for p in streamed]
    back = td.read_archive(tmp_path / "w", cache=False)
    assert back.provenance.issues.empty and len(back.tweets) == len(archive.tweets)


# --- errors -----------------------------------------------------------------------------


def test_unknown_knob():
    with pytest.raises(TypeError, match="unknown knob.*folowers"):
        td.synth.generate(accounts=10, tweets=10, folowers=3)


@pytest.mark.parametrize(
    ("knob", "value"), [("zero_follower_share", 1.5), ("retweet_share", -0.1), ("hash_style", "md5")]
)
def test_bad_knob_values(knob, value):
    with pytest.raises(ValueError, match=knob):
        td.synth.generate(accounts=10, tweets=10, **{knob: value})


@pytest.mark.parametrize(
    ("knobs", "message"),
    [
        ({"bought_accounts": -1}, "bought_accounts: expected a whole number of at least 0"),
        ({"bought_accounts": 2, "bought_prior_tweets": 0}, "bought_prior_tweets: expected at least 1"),
        ({"bought_accounts": 500}, "bought_accounts: 500 asked, but only"),
        (
            {"bought_accounts": 2, "start": "2013-01-01", "end": "2013-03-01"},
            "bought_accounts: the operation starts 2013",
        ),
        ({"bought_test_share": 2.0}, "bought_test_share: expected a share"),
    ],
)
def test_bad_bought_accounts(knobs, message):
    with pytest.raises(ValueError, match=f"^{re.escape(message)}"):
        td.synth.generate(accounts=100, tweets=1_000, **knobs)


def test_impossible_concentration():
    with pytest.raises(ValueError, match="top1_retweet_share"):
        td.synth.generate(accounts=1_000, tweets=300, top1_retweet_share=0.9)


def test_sizes_needed_without_preset():
    with pytest.raises(TypeError, match="accounts and tweets"):
        td.synth.generate(tweets=10)


def test_unknown_preset_and_format(tmp_path):
    with pytest.raises(ValueError, match="preset: unknown 'nope'"):
        td.synth.generate(preset="nope")
    archive, _ = td.synth.generate(accounts=10, tweets=10)
    with pytest.raises(ValueError, match="release_format"):
        td.synth.write(archive, tmp_path, release_format="2017")


def test_client_and_language_mix():
    clients = {"Twitter Web App": 0.7, "Twitter for Android": 0.3}
    archive, _ = td.synth.generate(
        accounts=2_000,
        tweets=20_000,
        seed=8,
        clients=clients,
        client_switch=0.0,
        tweet_languages={"th": 0.25, "en": 0.75},
    )
    main_client = archive.tweets.groupby("userid")["tweet_client_name"].first()
    share = (main_client == "Twitter Web App").mean()
    assert abs(share - 0.7) < binomial_tolerance(0.7, len(main_client))
    assert archive.tweets.groupby("userid")["tweet_client_name"].nunique().max() == 1  # no switching planted
    thai = (archive.tweets["tweet_language"] == "th").mean()
    assert abs(thai - 0.25) < binomial_tolerance(0.25, 20_000)
