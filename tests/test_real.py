"""read_archive on the real releases in ../shared/data/real (skipped when absent).

Every value is compared with what Python's csv module reads from the same
bytes: ids byte for byte, every list cell against ``ast.literal_eval``.
"""

import ast
import csv
import io
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import takedown as td
from takedown.schema import TWEETS, USERS, Kind

pytestmark = pytest.mark.real


def csv_rows(path: Path) -> list[dict]:
    """Rows of a CSV, or of the one CSV inside a zip, read by the csv module."""
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            (member,) = archive.namelist()
            text = archive.read(member).decode("utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def expected(kind: Kind, cell: str):
    """What the reader should give for a cell, worked out independently."""
    if kind is Kind.LIST:
        return [str(item) for item in ast.literal_eval(cell)] if cell else []
    if cell == "":
        return None
    return {
        Kind.COUNT: int,
        Kind.BOOL: lambda v: {"true": True, "false": False}[v.lower()],
        Kind.DATE: lambda v: pd.Timestamp(v).date(),
        Kind.TIME: lambda v: pd.Timestamp(v, tz="UTC"),
        Kind.LANG: str.lower,
    }.get(kind, str)(cell)


def got(value):
    if isinstance(value, list):
        return value
    return None if value is None or value is pd.NA or (not isinstance(value, str) and pd.isna(value)) else value


def assert_matches_csv(frame: pd.DataFrame, rows: list[dict], columns) -> None:
    assert len(frame) == len(rows)
    for column in columns:
        if column.name not in rows[0]:
            assert frame[column.name].isna().all()
            continue
        values = frame[column.name].tolist()
        for i, row in enumerate(rows):
            assert got(values[i]) == expected(column.kind, row[column.name]), (column.name, i)


@pytest.fixture(scope="module")
def thailand():
    from .conftest import THAILAND

    if not THAILAND.is_dir():
        pytest.skip(f"the real Thailand release is not at {THAILAND} (see data/README.md)")
    zips = sorted(THAILAND.glob("*.zip"))
    users_zip = next(p for p in zips if "_users_" in p.name)
    tweets_zip = next(p for p in zips if "_tweets_" in p.name)
    return {
        "folder": THAILAND,
        "archive": td.read_archive(THAILAND, cache=False),
        "users": csv_rows(users_zip),
        "tweets": csv_rows(tweets_zip),
        "zips": (users_zip, tweets_zip),
    }


def test_thailand_counts(thailand):
    archive = thailand["archive"]
    assert (len(archive.users), len(archive.tweets)) == (926, 21_385)
    assert archive.name == "thailand_092020"
    assert archive.tweets["userid"].nunique() == 455
    assert int(archive.tweets["is_retweet"].sum()) == 11_199
    assert int(archive.tweets["retweet_userid"].notna().sum()) == 437
    assert archive.provenance.release_format == "2020"
    assert archive.provenance.issues.empty
    assert [f.rows for f in archive.provenance.files] == [926, 21_385]


def test_thailand_every_value_matches_the_csv_module(thailand):
    archive = thailand["archive"]
    assert_matches_csv(archive.users, thailand["users"], USERS)
    assert_matches_csv(archive.tweets, thailand["tweets"], TWEETS)


def test_thailand_ids_byte_for_byte(thailand):
    archive = thailand["archive"]
    for name in (
        "tweetid",
        "userid",
        "retweet_userid",
        "retweet_tweetid",
        "in_reply_to_userid",
        "in_reply_to_tweetid",
        "quoted_tweet_tweetid",
    ):
        assert archive.tweets[name].fillna("").tolist() == [r[name] for r in thailand["tweets"]], name
        assert str(archive.tweets[name].dtype) == "string[pyarrow]"
    assert archive.users["userid"].tolist() == [r["userid"] for r in thailand["users"]]


def test_thailand_same_tables_from_zips_csvs_and_cache(thailand, tmp_path):
    extracted = tmp_path / "extracted"
    extracted.mkdir()
    for path in thailand["zips"]:
        with zipfile.ZipFile(path) as archive:
            (member,) = archive.namelist()
            (extracted / Path(member).name).write_bytes(archive.read(member))
    from_csv = td.read_archive(extracted, cache=False)
    cache = tmp_path / "cache"
    written = td.read_archive(thailand["folder"], cache=cache)
    cached = td.read_archive(thailand["folder"], cache=cache)
    assert cached.provenance.cache == "hit"
    for other in (from_csv, written, cached):
        pd.testing.assert_frame_equal(other.users, thailand["archive"].users)
        pd.testing.assert_frame_equal(other.tweets, thailand["archive"].tweets)


def test_china_2019_users(real_china_users):
    archive = td.read_archive(real_china_users, cache=False)
    rows = csv_rows(real_china_users)
    assert len(archive.users) == 744
    assert_matches_csv(archive.users, rows, USERS)
    numeric = archive.users["userid"].str.fullmatch(r"[0-9]+")
    assert (int(numeric.sum()), int((~numeric).sum())) == (490, 254)
    assert archive.users["user_profile_description"].str.contains("\n").any()
    assert archive.provenance.issues.empty and len(archive.tweets) == 0


def test_thailand_retweet_network(thailand):
    archive = thailand["archive"]
    edges = td.edges.retweets(archive)
    assert len(edges) == 11_199 and edges["target"].notna().all()
    assert edges["resolved_by"].value_counts().to_dict() == {"user_mentions": 10_762, "retweet_userid": 437}
    assert (edges["delay"] > 0).all()
    weighted = td.edges.aggregate(edges)
    assert weighted["weight"].sum() == 11_199
    # FINDINGS.md §1: the most retweeted accounts are the army's PR accounts.
    names = td.edges.screen_names(archive)
    top = edges["target"].value_counts().index[:2].map(names).tolist()
    assert top == ["army2pr", "armypr_news"]
    graph = td.graphs.to_igraph(edges, users=archive)
    assert graph.vs.find(label="army2pr").index == int(np.argmax(graph.strength(mode="in", weights="weight")))


def test_thailand_sio_figures(thailand):
    """FINDINGS.md §1 (SIO, "Cheerleading Without Fans"), computed by the package's measures."""
    archive = thailand["archive"]
    followers = td.measures.follower_summary(archive)
    everyone, tweeting = followers.loc["all accounts"], followers.loc["accounts that tweeted"]
    assert tweeting["accounts"] == 455
    assert everyone["share_zero"] > 2 / 3  # Twitter: "more than two thirds"; SIO: most had none
    assert round(everyone["mean"], 2) == 1.28 and round(tweeting["mean"], 2) == 2.47
    assert everyone["max"] == 66
    assert 0.70 <= everyone["share_no_biography"] < 0.75  # "nearly 75%"
    engagement = td.measures.engagement_summary(archive)
    assert engagement["share_no_engagement"] > 0.5 and round(engagement["mean_per_tweet"], 2) == 0.26
    months = td.measures.creation_bursts(archive, freq="M", top=2)["period"].dt.strftime("%Y-%m").tolist()
    assert sorted(months) == ["2019-12", "2020-01"]
    monthly = td.measures.activity_series(archive, freq="MS", tz="Asia/Bangkok")["tweets"]
    assert monthly.idxmax() == pd.Timestamp("2020-02-01")
    daily = td.measures.activity_series(archive, freq="D", tz="Asia/Bangkok")["tweets"]
    assert daily.loc["2020-03-02":].sum() < 0.02 * daily.sum()  # "largely stopped by 2 March 2020"
    grid = td.measures.hourly_activity(archive, tz="Asia/Bangkok", half_hours=True)
    weekday = grid.loc[["Mon", "Tue", "Wed", "Thu", "Fri"]].sum()
    assert 8 <= weekday.idxmax() < 18  # office hours in Bangkok
    assert weekday[12.0] < weekday[[10.0, 10.5, 11.0, 13.5, 14.0, 14.5]].mean()  # the lunch dip


def test_thailand_reproduction_table(thailand):
    table = td.reproduce.sio_thailand_2020(thailand["archive"])
    assert len(table) == 17 and table["match"].all(), table[~table["match"]]
