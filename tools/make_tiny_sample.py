"""Write the bundled synthetic release ``src/takedown/data/tiny_synthetic.zip``.

Run ``python tools/make_tiny_sample.py`` to rebuild it; the same seed gives the
same bytes. The archive imitates the 2020 release format (30 tweet columns,
every value quoted, hashed ids, minute-precision UTC times, Snowflake tweet
ids consistent with them, list columns as Python list text, ``absent``
coordinates, texts with newlines) but every account and tweet is invented.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import random
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

from takedown.schema import RELEASE_FORMATS, USERS

CAMPAIGN = "tiny_synthetic"
SEED = 20200908
TWITTER_EPOCH_MS = 1288834974657
OUT = Path(__file__).resolve().parent.parent / "src" / "takedown" / "data" / f"{CAMPAIGN}.zip"


def hashed_id(rng: random.Random) -> str:
    """A 2019+-style hashed id: base64 of 32 random bytes (44 characters, ends with '=')."""
    return base64.b64encode(hashlib.sha256(rng.randbytes(16)).digest()).decode()


def snowflake(when: datetime, rng: random.Random) -> str:
    ms = int(when.timestamp() * 1000) + rng.randrange(60_000)
    return str(((ms - TWITTER_EPOCH_MS) << 22) | rng.randrange(1 << 22))


def make(rng: random.Random) -> tuple[list[dict], list[dict]]:
    accounts = []
    for i in range(40):
        uid = hashed_id(rng)
        accounts.append(
            {
                "userid": uid,
                "user_display_name": uid,
                "user_screen_name": uid,
                "user_reported_location": rng.choice(["", "", "Bangkok", "กรุงเทพ"]),
                "user_profile_description": rng.choice(["", "", "", "news, views\nand more", 'says "hi"']),
                "user_profile_url": "",
                "follower_count": str(rng.choice([0, 0, 0, 1, 2, 5, 40])),
                "following_count": str(rng.randrange(60)),
                "account_creation_date": (datetime(2019, 12, 1) + timedelta(days=rng.randrange(60))).strftime("%Y-%m-%d"),
                "account_language": rng.choice(["en", "th", "en-GB"]),
            }
        )
    outside = [str(rng.randrange(10**7, 10**18)) for _ in range(6)]
    start = datetime(2020, 2, 1, tzinfo=timezone.utc)
    tweets = []
    for _ in range(400):
        author = rng.choice(accounts[:30])
        when = start + timedelta(minutes=rng.randrange(60 * 24 * 30))
        row = {name: "" for name in RELEASE_FORMATS["2020"]}
        row.update({c.name: author[c.name] for c in USERS})
        row.update(
            {
                "tweetid": snowflake(when, rng),
                "tweet_language": rng.choice(["th", "en", "und"]),
                "tweet_time": when.strftime("%Y-%m-%d %H:%M"),
                "tweet_client_name": rng.choice(["Twitter Web App", "Twitter for Android", "Twitter for iPhone"]),
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
            }
        )
        kind = rng.random()
        if kind < 0.5:
            inside = rng.random() < 0.2
            target = rng.choice(accounts)["userid"] if inside else rng.choice(outside)
            original = when - timedelta(minutes=rng.randrange(1, 600))
            row.update(
                {
                    "is_retweet": "true",
                    "retweet_userid": target if inside else "",
                    "retweet_tweetid": snowflake(original, rng),
                    "tweet_text": f"RT @{target if inside else 'newsdesk' + target[-3:]}: a story, shared",
                    "user_mentions": repr([target]),
                }
            )
        else:
            row["tweet_text"] = rng.choice(
                ["ข่าววันนี้ https://t.co/abc", "first line\nsecond line", "a view, with a comma", 'quote "this"']
            )
            row["like_count"] = str(rng.choice([0, 0, 0, 1, 3]))
            row["hashtags"] = repr(rng.sample(["กองทัพ", "news", "it's", "a, b"], rng.randrange(3)))
            if rng.random() < 0.3:
                row["urls"] = repr(["https://example.org/story?id=" + str(rng.randrange(1000))])
            if rng.random() < 0.2:
                row["in_reply_to_userid"] = rng.choice(outside)
                row["in_reply_to_tweetid"] = snowflake(when - timedelta(hours=1), rng)
            elif rng.random() < 0.1:
                row["quoted_tweet_tweetid"] = snowflake(when - timedelta(hours=2), rng)
        tweets.append(row)
    return accounts, tweets


def to_csv(rows: list[dict], columns) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=list(columns), quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def main() -> None:
    users, tweets = make(random.Random(SEED))
    members = {
        f"{CAMPAIGN}/{CAMPAIGN}_users_csv_hashed.csv": to_csv(users, [c.name for c in USERS]),
        f"{CAMPAIGN}/{CAMPAIGN}_tweets_csv_hashed.csv": to_csv(tweets, RELEASE_FORMATS["2020"]),
    }
    with zipfile.ZipFile(OUT, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2020, 9, 8, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
