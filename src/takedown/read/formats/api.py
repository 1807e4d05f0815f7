"""Researchers' own collections from Twitter's API: twarc2 JSONL (API v2) and API v1.1 JSON lines.

Tweets are normalised with médialab's ``twitwi`` rather than flattened by hand. It was chosen
over ``twarc-csv`` because it reads both API versions into one set of fields (``twarc-csv``
reads only v2), resolves what a hand-written flattening gets wrong (extended tweets, retweets'
full text, the retweeted and quoted accounts, replies, mentions as ids), is maintained, and is
light (``python-dateutil``, ``pytz``, ``ural``), where ``twarc-csv`` pulls in twarc's command line
and writes CSV text that would be parsed again. Its v2 reader is called one tweet at a time
(``twitwi.normalizers.normalize_tweet_v2``, with the page's includes indexed as twitwi's own
``normalize_tweets_payload_v2`` does), so that one incomplete tweet does not lose its page.

Shapes read, line by line (one file may mix them):

- a v2 response page as ``twarc2 search``/``timeline`` writes it: ``{"data": [...],
  "includes": {...}, "meta": {...}, "__twarc": {...}}``;
- a flattened v2 tweet (``twarc2 flatten``): a tweet with its expansions inline (``author``,
  ``referenced_tweets`` with the referenced tweets, ``in_reply_to_user``). The expansions are
  put back into an ``includes`` block and read as a page of one;
- a v1.1 tweet (``twarc`` 1, or the v1.1 streaming and search endpoints): ``id_str``,
  ``user``, ``retweeted_status``, ... Stream notices (``delete``, ``limit``) are recorded and skipped.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from takedown.read.formats import _common as c
from takedown.schema import TWEETS, USERS

_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"|[{}\[\],:]')
_RT = re.compile(r"^RT @([A-Za-z0-9_]{1,15}):")
_TWEET_FIELDS = [
    ("tweetid", pa.string()), ("userid", pa.string()), ("user_display_name", pa.string()),
    ("user_screen_name", pa.string()), ("user_reported_location", pa.string()),
    ("user_profile_description", pa.string()), ("user_profile_url", pa.string()),
    ("follower_count", pa.int64()), ("following_count", pa.int64()), ("account_created", pa.int64()),
    ("account_language", pa.string()), ("tweet_language", pa.string()), ("tweet_text", pa.string()),
    ("tweet_time", pa.int64()), ("tweet_client_name", pa.string()), ("in_reply_to_userid", pa.string()),
    ("in_reply_to_tweetid", pa.string()), ("quoted_tweet_tweetid", pa.string()), ("is_retweet", pa.bool_()),
    ("retweet_userid", pa.string()), ("retweet_tweetid", pa.string()), ("latitude", pa.string()),
    ("longitude", pa.string()), ("quote_count", pa.int64()), ("reply_count", pa.int64()),
    ("like_count", pa.int64()), ("retweet_count", pa.int64()), ("hashtags", pa.list_(pa.string())),
    ("urls", pa.list_(pa.string())), ("user_mentions", pa.list_(pa.string())),
    ("retweet_screen_name", pa.string()), ("quoted_screen_name", pa.string()),
    ("in_reply_to_screen_name", pa.string()), ("mentioned_screen_names", pa.list_(pa.string())),
    ("followers", pa.int64()), ("following", pa.int64()), ("updates", pa.int64()),
    ("user_verified", pa.bool_()), ("conversation_id", pa.string()), ("api_version", pa.string()),
]  # fmt: skip
_EXTRAS = (
    "retweet_screen_name", "quoted_screen_name", "in_reply_to_screen_name", "mentioned_screen_names",
    "followers", "following", "updates", "user_verified", "conversation_id", "api_version",
)  # fmt: skip


def top_level_keys(head: bytes) -> set[str] | None:
    """The keys of the first JSON object in ``head``, read without parsing it whole (it may be cut)."""
    keys: set[str] = set()
    depth, expect_key = 0, False
    for token in _TOKEN.finditer(head):
        text = token.group()
        if text in (b"{", b"["):
            depth += 1
            expect_key = text == b"{" and depth == 1
        elif text in (b"}", b"]"):
            depth -= 1
            if depth == 0:
                return keys
        elif text == b",":
            expect_key = depth == 1
        elif text == b":":
            expect_key = False
        elif expect_key and depth == 1:
            try:
                keys.add(json.loads(text))
            except ValueError:
                return None
            expect_key = False
    return keys if depth > 0 else None


def detect_json(head: bytes) -> tuple[str, str] | None:
    """``("twarc2", "pages")``, ``("twarc2", "tweets")``, ``("twitter_v1", "tweets")`` or None."""
    if not head.startswith(b"{"):
        return None
    keys = top_level_keys(head.split(b"\n", 1)[0])
    if not keys:
        return None
    if "data" in keys and ("includes" in keys or "meta" in keys or "__twarc" in keys or len(keys) == 1):
        return ("twarc2", "pages")
    if "id_str" in keys and ("user" in keys or "created_at" in keys):
        return ("twitter_v1", "tweets")
    if "id" in keys and "text" in keys and ("author_id" in keys or "edit_history_tweet_ids" in keys):
        return ("twarc2", "tweets")
    return None


def _unflattened(tweet: dict) -> dict:
    """A flattened v2 tweet as the page it came from: inline expansions moved back to ``includes``."""
    users: dict = {}
    tweets: dict = {}

    def strip(item: dict) -> dict:
        item = dict(item)
        for key in ("author", "in_reply_to_user"):
            user = item.pop(key, None)
            if isinstance(user, dict) and "id" in user:
                users[user["id"]] = user
        references = []
        for reference in item.get("referenced_tweets") or []:
            inner = {k: v for k, v in reference.items() if k != "type"}
            if len(inner) > 1:
                tweets[reference["id"]] = strip(inner)
            references.append({"type": reference["type"], "id": reference["id"]})
        if references:
            item["referenced_tweets"] = references
        for key in ("__twarc", "matching_rules"):
            item.pop(key, None)
        return item

    data = strip(tweet)
    return {"data": [data], "includes": {"users": list(users.values()), "tweets": list(tweets.values())}}


def _fill_v2_defaults(page: dict) -> None:
    """Fields twitwi requires that the API leaves out when they were not asked for."""
    for tweet in [*(page.get("data") or []), *page.get("includes", {}).get("tweets", [])]:
        if isinstance(tweet, dict):
            tweet.setdefault("possibly_sensitive", None)
            tweet.setdefault("lang", None)
            metrics = tweet.setdefault("public_metrics", {})
            for name in ("like_count", "retweet_count", "quote_count", "reply_count"):
                metrics.setdefault(name, None)
    for user in page.get("includes", {}).get("users", []):
        for name in ("profile_image_url", "verified", "description", "name"):
            user.setdefault(name, None)
        user.setdefault("public_metrics", {})


def _twitwi():
    """twitwi's normalizers and exceptions, imported when an API collection is read."""
    try:
        from twitwi import exceptions, normalizers
    except ImportError:
        raise ImportError(
            "reading API collections (twarc2 or v1.1 JSON lines) needs twitwi: pip install twitwi"
        ) from None
    return normalizers, exceptions


def _v2_records(page: dict, counts: Counter):
    """(tweet id, normalized tweet or error) for each tweet of a v2 page."""
    normalizers, exceptions = _twitwi()
    includes_index, normalize_tweet_v2 = normalizers.includes_index, normalizers.normalize_tweet_v2
    incomplete = exceptions.TwitterPayloadV2IncompleteIncludesError

    page.setdefault("includes", {})
    _fill_v2_defaults(page)
    data = page.get("data") or []
    indexes = {
        "users_by_screen_name": includes_index(page, "users", index_key="username"),
        "users_by_id": includes_index(page, "users"),
        "places_by_id": includes_index(page, "places"),
        "tweets_by_id": includes_index(page, "tweets"),
        "media_by_key": includes_index(page, "media", index_key="media_key"),
    }
    for tweet in [data] if isinstance(data, dict) else data:
        try:
            try:
                normalized = normalize_tweet_v2(tweet, **indexes)
            except incomplete as error:
                if error.key == tweet.get("author_id"):
                    raise
                # A referenced tweet's author is missing from the includes: read the tweet without the
                # referenced tweets (they stay named by id).
                normalized = normalize_tweet_v2(tweet, **{**indexes, "tweets_by_id": {}})
                counts["without_references"] += 1
        except Exception as error:  # noqa: BLE001 (twitwi raises KeyError, TypeError, ValueError, TwitwiError)
            yield tweet.get("id") if isinstance(tweet, dict) else None, _error(error)
            continue
        yield tweet.get("id"), _from_v2(normalized, tweet, indexes["users_by_id"])


def _error(error: Exception) -> str:
    kind = type(error).__name__
    return f"twitwi cannot read this tweet ({kind}: {error})"


def _empty(value):
    return None if value in ("", None) else value


def _from_v2(t: dict, raw: dict, users_by_id: dict) -> dict:
    references = {r.get("type"): r.get("id") for r in raw.get("referenced_tweets") or []}
    record = _common_fields(t)
    record["in_reply_to_tweetid"] = _empty(t.get("to_tweetid")) or references.get("replied_to")
    record["in_reply_to_userid"] = _empty(t.get("to_userid")) or raw.get("in_reply_to_user_id")
    reply_user = users_by_id.get(record["in_reply_to_userid"] or "", {})
    record["in_reply_to_screen_name"] = _empty(t.get("to_username")) or reply_user.get("username")
    record["retweet_tweetid"] = t.get("retweeted_id") or references.get("retweeted")
    record["quoted_tweet_tweetid"] = t.get("quoted_id") or references.get("quoted")
    record["is_retweet"] = record["retweet_tweetid"] is not None
    record["account_language"] = None
    record["conversation_id"] = raw.get("conversation_id")
    record["api_version"] = "2"
    if not record["is_retweet"]:
        written = (raw.get("note_tweet") or {}).get("text") or raw.get("text")
        record["tweet_text"] = None if written is None else html.unescape(written)
    return record


def _from_v1(t: dict, raw: dict) -> dict:
    record = _common_fields(t)
    record["in_reply_to_tweetid"] = _empty(t.get("to_tweetid"))
    record["in_reply_to_userid"] = _empty(t.get("to_userid"))
    record["in_reply_to_screen_name"] = _empty(t.get("to_username"))
    record["retweet_tweetid"] = t.get("retweeted_id")
    record["quoted_tweet_tweetid"] = t.get("quoted_id")
    record["is_retweet"] = t.get("retweeted_id") is not None
    record["quote_count"] = raw.get("quote_count")
    record["account_language"] = (raw.get("user") or {}).get("lang")
    record["conversation_id"] = None
    record["api_version"] = "1.1"
    if not record["is_retweet"]:
        written = (raw.get("extended_tweet") or {}).get("full_text") or raw.get("full_text") or raw.get("text")
        record["tweet_text"] = None if written is None else html.unescape(written)
    return record


def _common_fields(t: dict) -> dict:
    retweet_user = t.get("retweeted_user")
    retweet_userid = t.get("retweeted_user_id")
    if t.get("retweeted_id") and not retweet_userid:
        # The retweeted tweet was not in the includes: its account is the mention named after "RT @".
        named = _RT.match(t.get("text") or "")
        if named:
            retweet_user = retweet_user or named.group(1)
            by_name = dict(zip((n.lower() for n in t.get("mentioned_names") or []), t.get("mentioned_ids") or []))
            retweet_userid = by_name.get(named.group(1).lower())
    lat, lng = t.get("lat"), t.get("lng")
    return {
        "tweetid": t.get("id"),
        "userid": t.get("user_id"),
        "user_display_name": t.get("user_name"),
        "user_screen_name": t.get("user_screen_name"),
        "user_reported_location": _empty(t.get("user_location")),
        "user_profile_description": t.get("user_description"),
        "user_profile_url": t.get("user_url"),
        "follower_count": t.get("user_followers"),
        "following_count": t.get("user_friends"),
        "account_created": t.get("user_timestamp_utc"),
        "tweet_language": t.get("lang"),
        "tweet_text": t.get("text"),
        "tweet_time": t.get("timestamp_utc"),
        "tweet_client_name": t.get("source_name"),
        "retweet_userid": retweet_userid,
        "latitude": None if lat is None else str(lat),
        "longitude": None if lng is None else str(lng),
        "quote_count": t.get("quote_count"),
        "reply_count": t.get("reply_count"),
        "like_count": t.get("like_count"),
        "retweet_count": t.get("retweet_count"),
        "hashtags": t.get("hashtags"),
        "urls": t.get("links"),
        "user_mentions": t.get("mentioned_ids"),
        "retweet_screen_name": retweet_user,
        "quoted_screen_name": t.get("quoted_user"),
        "mentioned_screen_names": t.get("mentioned_names"),
        "followers": t.get("user_followers"),
        "following": t.get("user_friends"),
        "updates": t.get("user_tweets"),
        "user_verified": t.get("user_verified"),
    }


def _v1_record(tweet: dict):
    normalize_tweet = _twitwi()[0].normalize_tweet

    user = tweet.get("user")
    if isinstance(user, dict):
        user.setdefault("profile_image_url_https", None)
    try:
        normalized = normalize_tweet(tweet, pure=False)
    except Exception as error:  # noqa: BLE001 (twitwi raises KeyError, TypeError, ValueError, TwitwiError)
        return _error(error)
    return _from_v1(normalized, tweet)


def _reject(issues: c.IssueLog, entry, line: int, row: int, reason: str, value) -> None:
    if isinstance(value, bytes):
        value = value[: c.MAX_VALUE_CHARS].rstrip(b"\r\n").decode("utf-8", "replace")
    issues.add(entry.display, lines=line, rows=row, column=None, reason=reason, values=value, action="row rejected")


def _records(entry, issues: c.IssueLog, counts: Counter, size: list[int]):
    """Each tweet of a JSONL file: (line, row, record). Lines that are not tweets go to issues;
    ``size[0]`` counts the bytes read."""
    row = 0
    with entry.open() as stream:
        for number, raw_line in enumerate(stream, 1):
            size[0] += len(raw_line)
            if not raw_line.strip():
                continue
            try:
                item = json.loads(raw_line)
            except ValueError as error:
                row += 1
                _reject(issues, entry, number, row, f"not JSON ({error})", raw_line)
                continue
            if not isinstance(item, dict):
                row += 1
                _reject(issues, entry, number, row, "not a JSON object", raw_line)
                continue
            if "data" in item:
                counts["pages"] += 1
                pairs = _v2_records(item, counts)
            elif "id_str" in item and "user" in item:
                pairs = [(item.get("id_str"), _v1_record(item))]
            elif "id" in item and ("author_id" in item or "author" in item):
                counts["flattened"] += 1
                pairs = _v2_records(_unflattened(item), counts)
            else:
                row += 1
                kind = next(iter(item), "empty") if len(item) <= 2 else None
                counts[f"notice:{kind or 'other'}"] += 1
                _reject(
                    issues, entry, number, row, f"not a tweet (a '{kind}' object)" if kind else "not a tweet", raw_line
                )
                continue
            for tweet_id, record in pairs:
                row += 1
                if isinstance(record, str):
                    _reject(issues, entry, number, row, record, tweet_id)
                else:
                    yield number, row, record


def read(entries: list) -> c.FormatResult:
    """Read API collections (all files of one family) into an archive."""
    issues = c.IssueLog()
    counts: Counter = Counter()
    records, files, where = [], [], {"file": [], "line": [], "row": []}
    family = entries[0][0].family
    for detected, entry in entries:
        before, size = len(records), [0]
        for line, row, record in _records(entry, issues, counts, size):
            records.append(record)
            where["file"].append(entry.display)
            where["line"].append(line)
            where["row"].append(row)
        files.append(c.file_record(entry.display, detected.role, size[0], len(records) - before, family))
    raw = pa.Table.from_pylist(records, schema=pa.schema(_TWEET_FIELDS))
    located = {k: np.asarray(v, dtype=object if k == "file" else np.int64) for k, v in where.items()}
    located["line_end"] = located["line"]
    tweets = _tweets_table(raw)
    tweets, located = c.drop_duplicates(tweets, "tweetid", located, issues, what="tweet (collected twice)")
    for record in files:
        record["rows"] = c.rows_taken(located["file"], record["file"])
    users = _latest_users(tweets)
    return c.FormatResult(
        users=users,
        tweets=tweets,
        issues=issues.table(),
        files=files,
        notes=_notes(family, counts, tweets, users),
        source_format=family,
        platform="twitter",
    )


def _tweets_table(raw: pa.Table) -> pa.Table:
    columns = {name: raw[name] for name in raw.column_names if name not in _EXTRAS}
    columns["tweet_time"] = pc.cast(pc.cast(raw["tweet_time"], pa.int64()), pa.timestamp("s", tz="UTC"))
    created = pc.cast(raw["account_created"], pa.timestamp("s", tz="UTC"))
    columns["account_creation_date"] = pc.cast(created, pa.date32())
    columns["account_language"] = pc.utf8_lower(raw["account_language"])
    extras = {name: raw[name] for name in _EXTRAS}
    return c.assemble(columns, TWEETS, raw.num_rows, extras)


def _latest_users(tweets: pa.Table) -> pa.Table:
    """One row per author: the profile attached to its latest tweet (ties: the last read)."""
    table = tweets.select(["userid", "tweet_time"]).append_column(
        "position", pa.array(np.arange(tweets.num_rows, dtype=np.int64))
    )
    table = table.filter(pc.is_valid(table["userid"]))
    if table.num_rows == 0:
        return c.empty(USERS)
    order = pc.sort_indices(
        table,
        sort_keys=[
            ("userid", "ascending", "at_start"),
            ("tweet_time", "ascending", "at_start"),
            ("position", "ascending", "at_start"),
        ],
    )
    ids = table["userid"].take(order).combine_chunks()
    last = np.ones(len(ids), dtype=bool)
    last[:-1] = pc.not_equal(ids.slice(1), ids.slice(0, len(ids) - 1)).to_numpy(zero_copy_only=False)
    latest = tweets.take(table["position"].take(order).combine_chunks().filter(pa.array(last)))
    columns = {column.name: latest[column.name] for column in USERS}
    return c.assemble(
        columns, USERS, latest.num_rows, {"user_verified": latest["user_verified"], "updates": latest["updates"]}
    )


def _notes(family: str, counts: Counter, tweets: pa.Table, users: pa.Table) -> list[str]:
    label = {"twarc2": "twarc2 JSONL (API v2)", "twitter_v1": "API v1.1 JSON lines"}[family]
    retweets = int(pc.sum(tweets["is_retweet"]).as_py() or 0)
    retweet_target = int(pc.sum(pc.is_valid(tweets["retweet_userid"])).as_py() or 0)
    replies = int(pc.sum(pc.is_valid(tweets["in_reply_to_tweetid"])).as_py() or 0)
    notes = [
        (
            f"{label}, normalised with twitwi: tweets are the collected tweets (retweeted and quoted tweets are "
            "named by id, not added as rows); users are their authors, each with the profile attached to its latest "
            "tweet (follower_count, following_count at that time; the counts at each tweet are in the extra columns "
            "followers, following, updates)"
        ),
        (
            f"retweets: {retweets:,}; retweet_userid from the retweeted tweet ({retweet_target:,} known), else the "
            "mention named after 'RT @'; replies: "
            f"{replies:,} (in_reply_to_userid, in_reply_to_tweetid); user_mentions are ids (twitwi sorts them by handle; "
            "the handles in mentioned_screen_names)"
        ),
        (
            "urls are twitwi's normalised links (tracking parameters removed); hashtags as twitwi gives them "
            "(lower-cased for v1.1); tweet_text is the text as the API gave it (HTML entities decoded), for a retweet "
            "'RT @name: ' + the retweeted tweet's full text (the API cuts it)"
        ),
        (
            "extra columns: retweet_screen_name, quoted_screen_name, in_reply_to_screen_name, mentioned_screen_names, "
            "followers, following, updates, user_verified, conversation_id (v2), api_version"
        ),
    ]
    if counts["without_references"]:
        notes.append(
            f"{counts['without_references']:,} tweets name a retweeted, quoted or replied tweet whose author is not in "
            "the includes: read without it (the tweet is still named by id; its account from 'RT @' where possible)"
        )
    if family == "twarc2":
        notes.append(
            f"{counts['pages']:,} response pages and {counts['flattened']:,} flattened tweets read; account_language "
            "does not exist in API v2 (null); quote_count only where the API gave it"
        )
    else:
        notes.append("API v1.1: quote_count only where the payload has it; conversation_id does not exist (null)")
    skipped = {k.split(":", 1)[1]: v for k, v in counts.items() if k.startswith("notice:")}
    if skipped:
        notes.append(
            "lines that are not tweets, recorded in issues: " + ", ".join(f"{v:,} '{k}'" for k, v in skipped.items())
        )
    return notes
