"""Shared fixtures: hand-built releases written as real-format files, and the real release."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest

from takedown.schema import RELEASE_FORMATS, USERS

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "real"
THAILAND = REAL / "thailand_092020"
CHINA_USERS = REAL / "china_082019_1" / "china_082019_1_users_csv_hashed.csv"

USER_HEADER = [c.name for c in USERS]
HASH_A = "tGpRofwHLXI5iuye+ZDKVW8yVCic9mkRLxTwiBbEOrU="
HASH_B = "hfg2zB3w3Ms2yTAnnRWD3XtVmgsIhmP/FKfELGctzU0="


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Keep every test's cache out of the user's cache folder."""
    monkeypatch.setenv("TAKEDOWN_CACHE", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def real_china_users() -> Path:
    if not CHINA_USERS.is_file():
        pytest.skip(f"the real China 2019 users file is not at {CHINA_USERS} (see data/README.md)")
    return CHINA_USERS


def csv_bytes(header, rows, *, newline="\n") -> bytes:
    """Rows written the way Twitter wrote them: every value double-quoted."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def user(userid=HASH_A, **values) -> dict:
    row = {
        "userid": userid,
        "user_display_name": userid,
        "user_screen_name": userid,
        "user_reported_location": "",
        "user_profile_description": "",
        "user_profile_url": "",
        "follower_count": "0",
        "following_count": "3",
        "account_creation_date": "2019-11-05",
        "account_language": "en",
    }
    row.update(values)
    return row


def tweet(tweetid="1196659470232772609", userid=HASH_A, **values) -> dict:
    row = {name: "" for name in RELEASE_FORMATS["2019"]}
    row.update({k: v for k, v in user(userid).items()})
    row.update(
        {
            "tweetid": tweetid,
            "tweet_language": "th",
            "tweet_text": "hello",
            "tweet_time": "2019-11-19 05:20",
            "tweet_client_name": "Twitter Web Client",
            "is_retweet": "false",
            "latitude": "absent",
            "longitude": "absent",
            "quote_count": "0",
            "reply_count": "0",
            "like_count": "0",
            "retweet_count": "0",
            "hashtags": "[]",
            "urls": "[]",
            "user_mentions": "[]",
            "poll_choices": "[]",
        }
    )
    row.update(values)
    return row


def write_release(
    folder: Path,
    users: list[dict] | None,
    tweets: list[dict] | None,
    *,
    campaign="demo_012020",
    release_format="2020",
    zipped=False,
    tweet_parts: list[str] | None = None,
) -> Path:
    """Write a release folder in Twitter's layout; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    if users is not None:
        files[f"{campaign}_users_csv_hashed.csv"] = csv_bytes(USER_HEADER, [[u[c] for c in USER_HEADER] for u in users])
    if tweets is not None:
        header = list(RELEASE_FORMATS[release_format])
        chunks = [tweets] if tweet_parts is None else [tweets[i :: len(tweet_parts)] for i in range(len(tweet_parts))]
        for suffix, chunk in zip(tweet_parts or [""], chunks):
            name = f"{campaign}_tweets_csv_hashed{suffix}.csv"
            files[name] = csv_bytes(header, [[t[c] for c in header] for t in chunk])
    for name, data in files.items():
        if zipped:
            with zipfile.ZipFile(folder / (name[: -len(".csv")] + ".zip"), "w", zipfile.ZIP_DEFLATED) as archive:
                archive.writestr(name, data)
        else:
            (folder / name).write_bytes(data)
    return folder


@pytest.fixture
def small_release(tmp_path) -> Path:
    """Five accounts and twelve tweets whose every value is known (see test_read.py)."""
    hashes = [HASH_A, HASH_B, "919755217121316864", "4057984825", "q2SMGvHasu+nugbpNMDCjr2qlZp3FCiGYDLht+gW5pw="]
    users = [
        user(hashes[0], follower_count="0", account_language="zh-CN"),
        user(hashes[1], follower_count="17", user_profile_description="line one\nline two"),
        user(hashes[2], follower_count="23949", user_display_name="牛小牛", user_screen_name="gurevadona88"),
        user(hashes[3], follower_count="2", account_creation_date="2015-10-29"),
        user(hashes[4], follower_count="0"),
    ]
    tweets = [
        tweet("1196659470232772609", hashes[0], tweet_text="กกต. https://t.co/x", urls="['https://a.example/x?a=1,2']"),
        tweet(
            "1197369086662987776",
            hashes[0],
            is_retweet="true",
            retweet_tweetid="1197369000000000000",
            tweet_text="RT @army2pr: news",
            user_mentions="['10228272']",
        ),
        tweet("1195602319892594693", hashes[1], tweet_text="first\nsecond\nthird", hashtags="['ทหาร', 'อนาคตใหม่']"),
        tweet(
            "1204279208513392641",
            hashes[1],
            is_retweet="true",
            retweet_userid=hashes[0],
            retweet_tweetid="1196659470232772609",
            tweet_text=f"RT @{hashes[0]}: กกต.",
            user_mentions=f"['{hashes[0]}']",
        ),
        tweet("1204279208513392642", hashes[2], like_count="5", retweet_count="2", reply_count="1", quote_count="1"),
        tweet(
            "1204279208513392643", hashes[2], in_reply_to_userid="20586159", in_reply_to_tweetid="1204279208513390000"
        ),
        tweet("1204279208513392644", hashes[2], quoted_tweet_tweetid="1204279208513391111", hashtags='["it\'s"]'),
        tweet(
            "1204279208513392645",
            hashes[3],
            tweet_time="2020-03-02 23:59",
            user_mentions="[443196382, 998815271551827968]",
        ),
        tweet(
            "1204279208513392646",
            hashes[3],
            is_retweet="true",
            retweet_tweetid="1204279208513392600",
            tweet_text="RT @someone: x",
            user_mentions="['998815271551827968']",
        ),
        tweet("1204279208513392647", hashes[3], hashtags="", urls="", user_mentions=""),
        tweet("1204279208513392648", hashes[3], tweet_text="say \"hi\", then 'bye'"),
        tweet(
            "1204279208513392649",
            hashes[3],
            is_retweet="true",
            retweet_tweetid="1204279208513392601",
            tweet_text="RT @armypr_news: y",
            user_mentions="['4013102233']",
        ),
    ]
    return write_release(tmp_path / "demo", users, tweets)
