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
from takedown.synth.generate import TWITTER_EPOCH_MS

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
