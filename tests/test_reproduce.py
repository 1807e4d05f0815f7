"""Reproductions of published findings: hand-built data whose every claim is known on paper, the synthetic presets
(always marked synthetic), and the real Thailand release (17 of 17 claims)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import takedown as td
from takedown.reproduce.oii import _median_gaps
from takedown.reproduce.tables import COLUMNS
from takedown.schema import TWITTER_EPOCH_MS

from .conftest import THAILAND, tweet, user, write_release

# ASPI on paper ----------------------------------------------------------------------------------------------------


def _snowflake(when: pd.Timestamp, sequence: int) -> str:
    return str((int(when.timestamp() * 1000) - TWITTER_EPOCH_MS) << 22 | sequence)


def _aspi_release(folder, *, zero=157, low=33, high=10, hits=156, retweet_hits=26):
    """``zero`` accounts without followers, ``low`` with 1-7, ``high`` with 8 or more; ``hits`` tweets from
    0-follower accounts with 51 likes (the first ``retweet_hits`` of them also with 11 retweets), and decoys at the
    thresholds or from followed accounts. Every tweet in Beijing office hours, Monday to Friday."""
    followers = [0] * zero + [1 + i % 7 for i in range(low)] + [8 + 100 * i for i in range(high)]
    ids = [f"acct{i:04d}" for i in range(len(followers))]
    users = [user(ids[i], follower_count=str(f)) for i, f in enumerate(followers)]
    counts = [("51", "11" if i < retweet_hits else "0") for i in range(hits)]
    decoys = [("50", "10"), ("50", "10")]  # at the thresholds: not more than 50 likes or 10 retweets
    followed = [("500", "500"), ("500", "500")]  # from an account with followers
    authors = [ids[i % zero] for i in range(hits + len(decoys))] + [ids[-1]] * len(followed)
    tweets = []
    hours = [9, 10, 11, 13, 14, 15, 16, 17]  # Beijing time, lunch left out
    for i, ((likes, retweets), author) in enumerate(zip(counts + decoys + followed, authors)):
        # Monday 4 March 2019 plus 0-4 days (Mon-Fri), at an office hour in Beijing (UTC+8).
        when = pd.Timestamp("2019-03-04", tz="UTC") + pd.Timedelta(days=i % 5, hours=hours[i % 8] - 8, minutes=i % 50)
        tweets.append(
            tweet(
                _snowflake(when, i),
                author,
                tweet_time=when.strftime("%Y-%m-%d %H:%M"),
                like_count=likes,
                retweet_count=retweets,
            )
        )
    return td.read_archive(write_release(folder, users, tweets, campaign="paper_052020"), cache=False)


@pytest.fixture(scope="module")
def aspi_paper(tmp_path_factory):
    return _aspi_release(tmp_path_factory.mktemp("aspi"))


def _rows(table: pd.DataFrame) -> pd.DataFrame:
    return table.set_index("claim")


def test_aspi_claims_on_paper(aspi_paper):
    table = td.reproduce.aspi_china_2020(aspi_paper)
    assert table.columns.tolist() == list(COLUMNS)
    rows = _rows(table)
    # 200 accounts and 160 tweets: not ASPI's release.
    assert rows.loc["accounts in the takedown", "recomputed"] == 200
    assert rows.loc["tweets", "recomputed"] == 160
    assert not rows.loc["accounts in the takedown", "match"] and not rows.loc["tweets", "match"]
    # 157 / 200 = 78.5% without followers, 190 / 200 = 95% under 8.
    assert rows.loc["accounts with no followers", "recomputed"] == 0.785
    assert rows.loc["accounts with fewer than 8 followers", "recomputed"] == 0.95
    # 156 tweets with 51 likes, 26 of them with 11 retweets; decoys at 50 and 10, or from followed accounts.
    assert rows.loc["tweets from 0-follower accounts with more than 50 likes", "recomputed"] == 156
    assert rows.loc["tweets from 0-follower accounts with more than 10 retweets", "recomputed"] == 26
    assert rows.loc["UTC offset at which the activity best fits a working week", "recomputed"].startswith("UTC+08:00")
    assert rows.loc["tweets per weekend day / per weekday (Beijing time)", "recomputed"] == 0.0
    matched = rows["match"].dropna()
    assert matched.drop(["accounts in the takedown", "tweets"]).all()
    amplifiers = rows.loc["amplifier accounts that boosted the core network"]
    assert amplifiers["recomputed"] is None and pd.isna(amplifiers["match"])
    assert "Twitter published only the core accounts" in amplifiers["note"]
    assert not table["synthetic"].any() and table.attrs["synthetic"] is False
    assert td.reproduce.summary(table) == "6 of 8 claims match; 1 more cannot be checked or compared on these data"


@pytest.mark.parametrize(
    ("zero", "low", "matches"),
    [
        (1569, 331, True),  # 1569 / 2000 = 78.45%: rounds to 78.5%
        (1568, 332, False),  # 78.40%
        (1571, 329, False),  # 78.55%: rounds to 78.6%
    ],
)
def test_aspi_zero_follower_share_matches_when_it_rounds_to_the_published_figure(tmp_path, zero, low, matches):
    archive = _aspi_release(tmp_path, zero=zero, low=low, high=2000 - zero - low, hits=10, retweet_hits=0)
    row = _rows(td.reproduce.aspi_china_2020(archive)).loc["accounts with no followers"]
    assert row["recomputed"] == zero / 2000 and bool(row["match"]) is matches


def test_aspi_without_a_working_week(aspi_paper):
    # Every tweet moved 12 hours: Beijing office hours become Beijing nights; the best offset moves to UTC-04:00.
    shifted = td.Archive(
        users=aspi_paper.users,
        tweets=aspi_paper.tweets.assign(
            tweetid=[str(int(t) + (12 * 3_600_000 << 22)) for t in aspi_paper.tweets["tweetid"]]
        ),
        name="shifted",
        provenance=aspi_paper.provenance,
    )
    row = _rows(td.reproduce.aspi_china_2020(shifted)).loc["UTC offset at which the activity best fits a working week"]
    assert row["recomputed"].startswith("UTC-04:00") and not row["match"]


# OII on paper -----------------------------------------------------------------------------------------------------

START = pd.Timestamp("2020-06-01 08:00", tz="UTC")  # a Monday


def _oii_edges() -> pd.DataFrame:
    """180 retweets of "liu" by 100 accounts: "spreader" 81, every 5 s in week 1; u00..u98 one each, spread over
    four weeks (25, 25, 25, 24)."""
    rows = [("spreader", START + pd.Timedelta(seconds=5 * i)) for i in range(81)]
    rows += [(f"u{i:02d}", START + pd.Timedelta(days=7 * (i // 25), hours=1 + i % 25)) for i in range(99)]
    table = pd.DataFrame({"who": [r[0] for r in rows], "whom": "liu", "at": [r[1].isoformat() for r in rows]})
    return td.edges.from_table(table, source="who", target="whom", time="at")


SUSPENDED = [f"u{i:02d}" for i in range(20)]


def test_oii_claims_on_paper():
    table = td.reproduce.oii_2021(_oii_edges(), suspended=SUSPENDED, network=["spreader"], ambassador="liu")
    rows = _rows(table)
    top = rows.loc["share of retweets made by the top 1% of retweeting accounts"]
    assert top["recomputed"] == 0.45 and top["match"]  # k = ceil(0.01 * 100) = 1: 81 / 180
    assert "1 of 100 accounts" in top["note"]
    suspended = rows.loc["share of retweets from accounts later suspended"]
    assert suspended["recomputed"] == round(20 / 180, 3) and suspended["match"]
    rapid = rows.loc["top-1% accounts retweeting seconds apart (median gap under 60 s)"]
    assert rapid["recomputed"] == 1 and rapid["match"]
    # Counts are shown but compared only on OII's own collection.
    assert rows.loc["accounts later suspended that retweeted PRC accounts", "recomputed"] == 20
    assert rows.loc["retweets made by those accounts", "recomputed"] == 20
    assert rows.loc["retweets of the ambassador (Liu Xiaoming)", "recomputed"] == 180
    for claim in ("accounts later suspended that retweeted PRC accounts", "retweets of the ambassador (Liu Xiaoming)"):
        assert pd.isna(rows.loc[claim, "match"]) and "full_collection=True" in rows.loc[claim, "note"]
    ambassador = rows.loc["share of the ambassador's retweets from accounts later suspended"]
    assert ambassador["recomputed"] == round(20 / 180, 3) and not ambassador["match"]
    network = rows.loc["share of the ambassador's retweets from the flagged network"]
    assert network["recomputed"] == 0.45 and network["match"]
    # Week 1: 81 of 106 from the network; weeks 2-4: none. One week of four reaches 30%.
    weeks = rows.loc["share of weeks in which the network made at least 30% of the ambassador's retweets"]
    assert weeks["recomputed"] == 0.25 and not weeks["match"] and weeks["note"].endswith(": 4")
    fast = rows.loc["share of the network's retweets of the ambassador posted within 60 s of the original"]
    assert fast["recomputed"] is None and fast["note"].endswith("no time of the original tweets (delay)")
    assert td.reproduce.summary(table) == "4 of 6 claims match; 4 more cannot be checked or compared on these data"
    assert not table.attrs["synthetic"] and not table["synthetic"].any()


def test_oii_delays_and_the_full_collection():
    edges = _oii_edges()
    # The network retweets 5 s after the original, everyone else after 10 minutes.
    edges = edges.assign(delay=np.where(edges["source"] == "spreader", 5.0, 600.0))
    table = td.reproduce.oii_2021(
        edges, suspended=SUSPENDED, network=["spreader"], ambassador="liu", full_collection=True
    )
    rows = _rows(table)
    fast = rows.loc["share of the network's retweets of the ambassador posted within 60 s of the original"]
    assert fast["recomputed"] == 1.0 and fast["match"] and fast["note"] == "other accounts: 0.000"
    assert rows.loc["accounts later suspended that retweeted PRC accounts", "match"] == False
    assert rows.loc["retweets of the ambassador (Liu Xiaoming)", "match"] == False
    assert table["match"].notna().all()


def test_oii_without_lists_or_times():
    table = td.reproduce.oii_2021(
        td.edges.from_table(pd.DataFrame({"a": ["x", "y"], "b": ["t", "t"]}), source="a", target="b")
    )
    rows = _rows(table)
    assert rows["match"].notna().tolist() == [True] + [False] * 9
    assert "cannot be checked: no list of suspended accounts (suspended=)" in rows.iloc[1]["note"]
    assert rows.iloc[2]["note"].endswith("cannot be checked: no retweet times")
    assert rows.iloc[7]["note"].endswith(
        "cannot be checked: no ambassador (ambassador=), no flagged network (network=)"
    )
    assert td.reproduce.summary(table) == "1 of 1 claims match; 9 more cannot be checked or compared on these data"


def test_claims_without_data_cannot_be_checked():
    empty = pd.DataFrame({"a": pd.Series([], dtype="string"), "b": pd.Series([], dtype="string")})
    table = td.reproduce.oii_2021(td.edges.from_table(empty, source="a", target="b"), suspended=["x"])
    assert table["match"].isna().all()
    assert table.loc[0, "note"] == "top 1% = 0 of 0 accounts; cannot be checked: nothing to compute it on"
    assert td.reproduce.summary(table) == "0 of 0 claims match; 10 more cannot be checked or compared on these data"


def test_oii_reads_id_files(tmp_path):
    text = tmp_path / "suspended.txt"
    text.write_text("userid\n" + "\n".join(SUSPENDED) + "\n\n# checked 1 March 2021\n", encoding="utf-8")
    table = tmp_path / "suspended.csv"
    table.write_text(
        "screen_name,user_id\n" + "".join(f"n{i},{u}\n" for i, u in enumerate(SUSPENDED)), encoding="utf-8"
    )
    expected = td.reproduce.oii_2021(_oii_edges(), suspended=SUSPENDED)
    for path in (text, str(table)):
        got = td.reproduce.oii_2021(_oii_edges(), suspended=path)
        pd.testing.assert_frame_equal(got, expected)


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"suspended": [1, 2]}, TypeError, "suspended: ids must be strings, got int 1"),
        ({"network": 7}, TypeError, "network: expected a collection of account ids or a path"),
        ({"suspended": "no/such/file.txt"}, ValueError, "suspended: no file at no/such/file.txt"),
        ({"ambassador": "nobody"}, ValueError, "ambassador: nobody received no retweets in the data"),
    ],
)
def test_oii_input_errors(options, error, message):
    with pytest.raises(error, match=message):
        td.reproduce.oii_2021(_oii_edges(), **options)


def test_oii_refuses_float_ids_and_tables_without_edges(tmp_path):
    floats = tmp_path / "ids.csv"
    floats.write_text("id\n1.26e+18\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"suspended: ids.csv holds 1 ids written as floats \(like '1.26e\+18'\)"):
        td.reproduce.oii_2021(_oii_edges(), suspended=floats)
    columns = tmp_path / "two.csv"
    columns.write_text("name,handle\na,b\n", encoding="utf-8")
    with pytest.raises(ValueError, match="network: two.csv has no id column"):
        td.reproduce.oii_2021(_oii_edges(), network=columns)
    with pytest.raises(TypeError, match="data: expected a takedown.Archive or an edge table"):
        td.reproduce.oii_2021([("a", "b")])
    with pytest.raises(ValueError, match=r"data: missing column\(s\) \['time'\]"):
        td.reproduce.oii_2021(pd.DataFrame({"source": ["a"], "target": ["b"]}))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abc"), st.integers(0, 10_000_000)), min_size=0, max_size=30))
def test_median_gaps_are_each_accounts_median_gap(retweets):
    who = pd.Series([w for w, _ in retweets], dtype="string")
    table = pd.DataFrame({"who": who, "whom": "t", "ms": [ms for _, ms in retweets]})
    table["ms"] = table["ms"].astype("int64") + 1_600_000_000_000
    gaps = _median_gaps(td.edges.from_table(table, source="who", target="whom", time="ms"))
    expected = {}
    for who, group in table.groupby("who"):
        if len(group) > 1:
            expected[who] = float(np.median(np.diff(np.sort(group["ms"].to_numpy())) / 1000))
    assert gaps.to_dict() == pytest.approx(expected)


# Synthetic presets: flagged, and matching what was planted ----------------------------------------------------------


@pytest.fixture(scope="module")
def aspi_preset():
    return td.synth.generate(preset="aspi_china_2020", seed=0)


def test_aspi_preset_recovers_the_planted_values(aspi_preset):
    archive, truth = aspi_preset
    table = td.reproduce.aspi_china_2020(archive)
    rows = _rows(table)
    assert rows.loc["accounts in the takedown", "recomputed"] == 23_750 and rows.loc["tweets", "recomputed"] == 348_608
    zero, under_8 = truth.planted["zero_follower_share"], truth.planted["under_8_share"]
    assert rows.loc["accounts with no followers", "recomputed"] == round(zero, 4)
    assert rows.loc["accounts with fewer than 8 followers", "recomputed"] == round(under_8, 4)
    # A match exactly when the planted share rounds to ASPI's figure.
    assert bool(rows.loc["accounts with no followers", "match"]) is (0.7845 <= zero < 0.7855)
    assert bool(rows.loc["accounts with fewer than 8 followers", "match"]) is (0.945 <= under_8 < 0.955)
    claims = ["accounts in the takedown", "tweets", "UTC offset at which the activity best fits a working week"]
    assert rows.loc[claims + ["tweets per weekend day / per weekday (Beijing time)"], "match"].all()
    assert rows.loc["UTC offset at which the activity best fits a working week", "recomputed"].startswith("UTC+08:00")
    # Marked synthetic everywhere: attribute, column, the note of what the preset does not plant, the banner.
    assert table.attrs["synthetic"] and table["synthetic"].all()
    assert "preset does not plant" in rows.loc["tweets from 0-follower accounts with more than 50 likes", "note"]
    banner, line = td.reproduce.summary(table).split("\n")
    assert banner.startswith("SYNTHETIC DATA (synthetic_china_052020)") and "ASPI (2020)" in banner
    assert line.endswith("; 1 more cannot be checked or compared on these data")


def test_oii_preset_recovers_the_planted_values():
    archive, truth = td.synth.generate(preset="oii_superspreaders", accounts=3_000, tweets=60_000, seed=2)
    table = td.reproduce.oii_2021(archive, truth=truth)
    rows = _rows(table)
    assert rows.iloc[0]["recomputed"] == round(truth.planted["top1_retweet_share"], 3) and rows.iloc[0]["match"]
    accounts = truth.accounts
    planted = accounts["userid"].isin(td.reproduce.planted_suspensions(truth)).to_numpy(dtype=bool)
    share = accounts["retweets"][planted].sum() / accounts["retweets"].sum()
    assert rows.iloc[1]["recomputed"] == round(share, 3) and "planted" in rows.iloc[1]["note"]
    # The planted rapid-fire accounts among the top 1%, ranked as the package ranks them.
    top = td.measures.retweets_by_account(archive).index[: truth.planted["top_k"]]
    rapid = accounts.loc[accounts["rapid_fire"].to_numpy(dtype=bool), "userid"]
    assert rows.iloc[2]["recomputed"] == int(rapid.isin(top).sum()) >= 1
    assert rows.iloc[3]["recomputed"] == int(((accounts["retweets"] > 0) & planted).sum())
    assert table.attrs["synthetic"] and table["synthetic"].all()
    assert td.reproduce.summary(table).startswith("SYNTHETIC DATA (synthetic_superspreaders)")
    network = rows.iloc[7]
    assert network["recomputed"] is None and "plants no network dedicated to one account" in network["note"]


def test_planted_suspensions_are_the_planted_inauthentic_accounts():
    archive, truth = td.synth.generate(accounts=400, tweets=4_000, seed=5)
    accounts = truth.accounts.set_index("userid")
    suspended = td.reproduce.planted_suspensions(truth)
    chosen = accounts.loc[list(suspended)]
    assert (chosen["burst"].notna() | (chosen["group"] >= 0) | chosen["rapid_fire"]).all()
    rest = accounts.drop(list(suspended))
    assert not (rest["burst"].notna() | (rest["group"] >= 0) | rest["rapid_fire"]).any()
    with pytest.raises(TypeError, match="truth: expected the GroundTruth"):
        td.reproduce.planted_suspensions(archive)


def test_the_bundled_sample_is_flagged_synthetic():
    table = td.reproduce.sio_thailand_2020(td.datasets.sample())
    assert table.attrs["synthetic"] and table["synthetic"].all()
    assert td.reproduce.summary(table).startswith("SYNTHETIC DATA (synthetic_sample)")
    # An archive generated in memory, whatever its name, is synthetic too.
    archive, _ = td.synth.generate(accounts=100, tweets=1_000, campaign="china_052020")
    assert td.reproduce.aspi_china_2020(archive).attrs["synthetic"]


def test_summary_needs_a_reproduction_table():
    with pytest.raises(ValueError, match="table: expected a table from takedown.reproduce"):
        td.reproduce.summary(pd.DataFrame({"claim": ["x"]}))


def test_styled_tables_read_as_published(aspi_paper):
    table = td.reproduce.aspi_china_2020(aspi_paper)
    view = td.reproduce.styled(table)
    shown = view.data.set_index("claim")
    assert "synthetic" not in shown.columns and view.caption.startswith("ASPI (2020)")
    # Shares as percentages, counts with separators, yes / no / - for match.
    assert shown.loc["accounts with no followers", "recomputed"] == "78.5%"
    assert shown.loc["accounts with fewer than 8 followers", "recomputed"] == "95%"
    assert shown.loc["tweets per weekend day / per weekday (Beijing time)", "recomputed"] == "0"
    assert shown.loc["accounts in the takedown", "recomputed"] == "200"
    assert shown["match"].tolist() == ["no", "no", "yes", "yes", "yes", "yes", "yes", "yes", "-"]
    assert table.attrs["label"] == "paper_052020"
    html = view.to_html()
    assert "SYNTHETIC" not in html and "78.5%" in html


def test_styled_synthetic_tables_say_so_in_the_caption():
    archive, truth = td.synth.generate(preset="oii_superspreaders", accounts=500, tweets=5_000, seed=3)
    table = td.reproduce.oii_2021(archive, truth=truth)
    view = td.reproduce.styled(table)
    assert view.caption.startswith("SYNTHETIC DATA (synthetic_superspreaders), not the data of OII")
    assert table.attrs["label"] == "synthetic_superspreaders (SYNTHETIC DATA)"
    claim = "retweets made by those accounts"
    count = table.set_index("claim").loc[claim, "recomputed"]
    assert count > 999 and view.data.set_index("claim").loc[claim, "recomputed"] == f"{count:,}"
    with pytest.raises(ValueError, match="table: expected a table from takedown.reproduce"):
        td.reproduce.styled(pd.DataFrame({"claim": ["x"]}))


# The real Thailand release --------------------------------------------------------------------------------------------


def test_sio_on_the_real_release_matches_17_of_17():
    if not THAILAND.is_dir():
        pytest.skip(f"the real Thailand release is not at {THAILAND} (see data/README.md)")
    table = td.reproduce.sio_thailand_2020(td.read_archive(THAILAND, cache=False))
    assert td.reproduce.summary(table) == "17 of 17 claims match"
    assert table.columns.tolist() == list(COLUMNS) and len(table) == 17
    assert not table.attrs["synthetic"] and not table["synthetic"].any()
    assert not math.isnan(table.set_index("claim").loc["engagements per tweet", "recomputed"])
