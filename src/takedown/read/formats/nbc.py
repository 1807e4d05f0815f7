"""NBC News' Russian troll tweets (2018): ``tweets.csv`` (about 200,000) and ``users.csv`` (454).

The users file has API-style columns (``id``, ``screen_name``, ``followers_count``,
``friends_count``, ``created_at`` as ``Wed Jan 07 04:38:02 +0000 2009``, ...). The tweets
columns are read by name and only ``text`` and one of ``user_id`` / ``user_key`` are required,
because no copy was at hand to confirm them: ``created_at`` is epoch milliseconds (``created_str``
is used where it is empty), ``retweeted_status_id`` and ``in_reply_to_status_id`` name tweets,
``mentions`` names accounts by handle.

Accounts are known by id where the data gives one, else by handle: a tweet with no ``user_id``
takes the id of the account whose ``screen_name`` matches its ``user_key`` case-insensitively,
and failing that ``@`` + the lower-cased handle, the form :mod:`takedown.edges` gives outside
accounts known only by name.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from takedown.read.formats import _common as c
from takedown.schema import TWEETS, USERS

FAMILY = "nbc"
_USERS_REQUIRED = ("id", "screen_name", "followers_count", "friends_count")
_API_TIME = "%a %b %d %H:%M:%S %z %Y"
_RT = r"^RT @(?P<name>[A-Za-z0-9_]{1,15})"
_ANCHOR = r"^<a [^>]*>(?P<name>.*)</a>$"
# Epoch values above this are milliseconds (1e11 seconds is the year 5138; 1e11 ms is 1973).
_MS_ABOVE = 1e11


def detect_header(names: list[str]) -> str | None:
    if "user_key" in names and "text" in names:
        return "tweets"
    if all(n in names for n in _USERS_REQUIRED) and "user_key" not in names:
        return "users"
    return None


def _where(source: c.CsvFile) -> dict:
    n = source.table.num_rows
    return {
        "file": np.full(n, source.display, dtype=object),
        "line": source.lines,
        "line_end": source.line_ends,
        "row": source.rows,
    }


def _concat(parts: list[dict]) -> dict:
    return {k: pa.chunked_array([p[k] for p in parts]).combine_chunks() for k in parts[0]}


def _located(parts: list[dict]) -> dict:
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}


def _handle_id(handles: pa.Array) -> pa.Array:
    return pc.binary_join_element_wise("@", pc.utf8_lower(handles), "")


def _read_users(source: c.CsvFile, issues: c.IssueLog) -> tuple[dict, dict]:
    ident = c.tweet_id(source, "id", issues)
    screen = source.column("screen_name")
    created = c.strptime(source, "created_at", issues, fmt=_API_TIME, expected="Wed Jan 07 04:38:02 +0000 2009")
    lang = pc.utf8_lower(source.column("lang"))
    columns = {
        "userid": pc.coalesce(ident, _handle_id(screen)),
        "user_display_name": source.column("name"),
        "user_screen_name": screen,
        "user_reported_location": source.column("location"),
        "user_profile_description": source.column("description"),
        "user_profile_url": source.column("url"),
        "follower_count": c.integer(source, "followers_count", issues),
        "following_count": c.integer(source, "friends_count", issues),
        "account_creation_date": pc.cast(created, pa.date32()),
        "account_language": lang,
    }
    extras = {
        "statuses_count": c.integer(source, "statuses_count", issues),
        "favourites_count": c.integer(source, "favourites_count", issues),
        "listed_count": c.integer(source, "listed_count", issues),
        "verified": c.boolean(source, "verified", issues),
        "time_zone": source.column("time_zone"),
        "account_created_at": created,
    }
    return columns, extras


def _tweet_time(source: c.CsvFile, issues: c.IssueLog, counts: dict) -> pa.Array:
    """``created_at`` as epoch milliseconds (seconds if every value is small enough), or an API
    date; ``created_str`` (``2016-03-26 13:41:47``, UTC) where ``created_at`` is empty."""
    text = pc.utf8_trim_whitespace(source.column("created_at"))
    numeric = pc.fill_null(pc.match_substring_regex(text, c.FLOAT_TEXT), False)
    numbers = pc.cast(pc.if_else(numeric, text, None), pa.float64())
    largest = pc.max(numbers).as_py()
    unit = "seconds" if largest is not None and largest < _MS_ABOVE else "milliseconds"
    counts["epoch_unit"] = unit
    from_epoch = c.epoch_numbers(numbers, unit=unit)
    api = pc.strptime(pc.if_else(numeric, None, text), format=_API_TIME, unit="s", error_is_null=True)
    time = pc.coalesce(from_epoch, api.cast(pa.timestamp("s", tz="UTC")))
    bad = pc.and_(pc.is_valid(text), pc.is_null(time))
    c.log_failed(source, issues, "created_at", text, bad, "not a time (expected epoch milliseconds)")
    if source.has("created_str"):
        fallback = c.strptime(source, "created_str", issues, fmt="%Y-%m-%d %H:%M:%S", expected="YYYY-MM-DD HH:MM:SS")
        counts["from_created_str"] += int(pc.sum(pc.and_(pc.is_null(time), pc.is_valid(fallback))).as_py() or 0)
        time = pc.coalesce(time, fallback)
    return time


def _read_tweets(source: c.CsvFile, issues: c.IssueLog, counts: dict) -> tuple[dict, dict]:
    n = source.table.num_rows
    text = source.column("text")
    retweet_tweetid = c.tweet_id(source, "retweeted_status_id", issues)
    rt = pc.extract_regex(text, _RT)
    rt_name = pc.if_else(pc.is_valid(rt), pc.struct_field(rt, "name"), None)
    client = source.column("source")
    anchor = pc.extract_regex(client, _ANCHOR)
    mentions = c.json_list(source, "mentions", issues) if source.has("mentions") else pa.nulls(n, pa.list_(pa.string()))
    columns = {
        "tweetid": c.tweet_id(source, "tweet_id", issues),
        "user_id": c.tweet_id(source, "user_id", issues),
        "user_key": source.column("user_key"),
        "tweet_text": text,
        "tweet_time": _tweet_time(source, issues, counts),
        "tweet_client_name": pc.coalesce(
            pc.if_else(pc.is_valid(anchor), pc.struct_field(anchor, "name"), None), client
        ),
        "in_reply_to_tweetid": c.tweet_id(source, "in_reply_to_status_id", issues),
        "is_retweet": pc.or_(pc.is_valid(retweet_tweetid), pc.is_valid(rt_name)),
        "retweet_tweetid": retweet_tweetid,
        "like_count": c.integer(source, "favorite_count", issues),
        "retweet_count": c.integer(source, "retweet_count", issues),
        "hashtags": c.json_list(source, "hashtags", issues)
        if source.has("hashtags")
        else pa.nulls(n, pa.list_(pa.string())),
        "urls": c.json_list(source, "expanded_urls", issues)
        if source.has("expanded_urls")
        else pa.nulls(n, pa.list_(pa.string())),
        "mentions": mentions,
    }
    extras = {
        "retweet_screen_name": rt_name,
        "mentioned_screen_names": mentions,
        "retweeted": c.boolean(source, "retweeted", issues),
        "posted": source.column("posted"),
        "created_str": source.column("created_str"),
    }
    return columns, extras


def read(entries: list) -> c.FormatResult:
    """Read NBC's ``users.csv`` and ``tweets.csv`` (either may be missing) into one archive."""
    issues = c.IssueLog()
    counts = {"from_created_str": 0, "epoch_unit": "milliseconds"}
    files = []
    user_parts, user_extras, user_where = [], [], []
    tweet_parts, tweet_extras, tweet_where = [], [], []
    for detected, entry in sorted(entries, key=lambda pair: (pair[0].role != "users", pair[1].name)):
        source = c.read_csv(entry, issues=issues)
        names = source.table.column_names
        if detected.role == "users":
            c.require(entry.display, names, _USERS_REQUIRED)
            columns, extras = _read_users(source, issues)
            user_parts.append(columns)
            user_extras.append(extras)
            user_where.append(_where(source))
        else:
            c.require(entry.display, names, ("text",))
            if "user_id" not in names and "user_key" not in names:
                raise ValueError(
                    f"{entry.display}, line 1: neither 'user_id' nor 'user_key': no way to tell whose tweets"
                )
            columns, extras = _read_tweets(source, issues, counts)
            tweet_parts.append(columns)
            tweet_extras.append(extras)
            tweet_where.append(_where(source))
        files.append(c.file_record(entry.display, detected.role, source.bytes, 0, FAMILY))

    if user_parts:
        listed = c.assemble(_concat(user_parts), USERS, 0, _concat(user_extras))
        listed, where = c.drop_duplicates(listed, "userid", _located(user_where), issues, what="account id")
        for record in files:
            if record["role"] == "users":
                record["rows"] = c.rows_taken(where["file"], record["file"])
    else:
        listed = c.assemble({}, USERS, 0, {})
    if tweet_parts:
        raw, extras = _concat(tweet_parts), _concat(tweet_extras)
        located = _located(tweet_where)
    else:
        raw, extras, located = None, None, None
    users, tweets, resolved = _link(listed, raw, extras, located, issues)
    for record in files:
        if record["role"] == "tweets":
            record["rows"] = c.rows_taken(resolved.pop("where_file"), record["file"]) if "where_file" in resolved else 0
    notes = _notes(counts, resolved, users, tweets, bool(user_parts), bool(tweet_parts))
    return c.FormatResult(
        users=users,
        tweets=tweets,
        issues=issues.table(),
        files=files,
        notes=notes,
        source_format=FAMILY,
        platform="twitter",
    )


def _link(listed: pa.Table, raw: dict | None, extras: dict | None, located: dict | None, issues: c.IssueLog):
    """Tweets joined to accounts: ids for handles, authors of retweeted and replied tweets."""
    resolved: dict = {}
    if raw is None:
        return listed, c.empty(TWEETS), resolved
    # Handles → ids: the users file first, then tweets that carry both.
    pairs_handle = pc.utf8_lower(_cat(listed["user_screen_name"], raw["user_key"]))
    pairs_id = _cat(listed["userid"], raw["user_id"])
    known = pa.table({"handle": pairs_handle, "userid": pairs_id}).filter(
        pc.and_(pc.is_valid(pairs_handle), pc.invert(pc.fill_null(pc.starts_with(pairs_id, "@"), True)))
    )
    grouped = known.group_by("handle").aggregate([("userid", "count_distinct"), ("userid", "min")])
    unique = grouped.filter(pc.equal(grouped["userid_count_distinct"], 1))

    def by_handle(handles: pa.Array) -> pa.Array:
        return unique["userid_min"].take(pc.index_in(pc.utf8_lower(handles), unique["handle"])).combine_chunks()

    userid = pc.coalesce(raw["user_id"], by_handle(raw["user_key"]), _handle_id(raw["user_key"]))
    resolved["by_handle"] = int(
        pc.sum(pc.and_(pc.is_null(raw["user_id"]), pc.is_valid(by_handle(raw["user_key"])))).as_py() or 0
    )
    resolved["handle_only"] = int(pc.sum(pc.fill_null(pc.starts_with(userid, "@"), False)).as_py() or 0)
    resolved["ambiguous"] = int(pc.sum(pc.greater(grouped["userid_count_distinct"], 1)).as_py() or 0)
    no_author = pc.is_null(userid)
    if pc.any(no_author).as_py():
        where = np.flatnonzero(no_author.to_numpy(zero_copy_only=False))
        for file in dict.fromkeys(located["file"][where]):
            mine = where[located["file"][where] == file]
            issues.add(
                file,
                lines=located["line"][mine],
                rows=located["row"][mine],
                column="user_id",
                reason="no user_id nor user_key: the tweet's account is unknown",
                values=None,
                action="kept",
            )

    columns = {k: v for k, v in raw.items() if k not in ("user_id", "user_key", "mentions")}
    columns["userid"] = userid
    columns["user_screen_name"] = raw["user_key"]
    flat = pc.list_flatten(raw["mentions"])
    flat_ids = pc.coalesce(by_handle(flat), _handle_id(flat))
    columns["user_mentions"] = _relist(raw["mentions"], flat_ids)
    n = len(userid)
    tweets = c.assemble(columns, TWEETS, n, extras)
    where = {k: np.asarray(v) for k, v in located.items()}
    tweets, where = c.drop_duplicates(tweets, "tweetid", where, issues, what="tweet_id")
    resolved["where_file"] = where["file"]

    by_tweet = tweets["userid"].take(pc.index_in(tweets["retweet_tweetid"], tweets["tweetid"])).combine_chunks()
    by_name = by_handle(tweets["retweet_screen_name"])
    retweet_userid = pc.if_else(tweets["is_retweet"], pc.coalesce(by_tweet, by_name), None)
    resolved["retweet_by_tweet"] = int(
        pc.sum(pc.is_valid(pc.if_else(tweets["is_retweet"], by_tweet, None))).as_py() or 0
    )
    resolved["retweet_by_name"] = int(pc.sum(pc.is_valid(retweet_userid)).as_py() or 0) - resolved["retweet_by_tweet"]
    resolved["retweets"] = int(pc.sum(tweets["is_retweet"]).as_py() or 0)
    reply_userid = tweets["userid"].take(pc.index_in(tweets["in_reply_to_tweetid"], tweets["tweetid"])).combine_chunks()
    resolved["replies"] = int(pc.sum(pc.is_valid(tweets["in_reply_to_tweetid"])).as_py() or 0)
    resolved["reply_known"] = int(pc.sum(pc.is_valid(reply_userid)).as_py() or 0)
    tweets = _set(tweets, "retweet_userid", retweet_userid)
    tweets = _set(tweets, "in_reply_to_userid", reply_userid)

    # Accounts that tweet but are not in users.csv still get a row.
    seen = pc.unique(pc.drop_null(tweets["userid"]))
    missing = pc.filter(seen, pc.invert(pc.is_in(seen, listed["userid"])))
    first = pc.index_in(missing, tweets["userid"])
    extra_users = c.assemble(
        {"userid": missing, "user_screen_name": tweets["user_screen_name"].take(first)},
        USERS,
        len(missing),
        {},
    )
    resolved["users_from_tweets"] = len(missing)
    listed = listed.append_column("in_users_file", pa.array(np.ones(listed.num_rows, dtype=bool)))
    extra_users = extra_users.append_column("in_users_file", pa.array(np.zeros(len(missing), dtype=bool)))
    users = pa.concat_tables([listed, extra_users], promote_options="permissive")
    tweets = _with_account_columns(tweets, users)
    return users, tweets, resolved


def _cat(*arrays) -> pa.Array:
    return pa.chunked_array([pa.chunked_array([a]).combine_chunks().cast(pa.string()) for a in arrays]).combine_chunks()


def _relist(lists: pa.Array, values: pa.Array) -> pa.Array:
    lists = lists.cast(pa.list_(pa.string()))
    return pa.ListArray.from_arrays(lists.offsets, values, mask=lists.is_null()) if len(lists) else lists


def _set(table: pa.Table, name: str, values: pa.Array) -> pa.Table:
    index = table.schema.get_field_index(name)
    return table.set_column(index, table.schema.field(index), values.cast(table.schema.field(index).type))


def _with_account_columns(tweets: pa.Table, users: pa.Table) -> pa.Table:
    at = pc.index_in(tweets["userid"], users["userid"])
    for column in USERS:
        if column.name == "userid":
            continue
        values = users[column.name].take(at)
        tweets = _set(tweets, column.name, values)
    return tweets


def _notes(
    counts: dict, resolved: dict, users: pa.Table, tweets: pa.Table, have_users: bool, have_tweets: bool
) -> list[str]:
    notes = [
        (
            "NBC News IRA tweets: users.csv id → userid, name → user_display_name, screen_name → user_screen_name, "
            "location → user_reported_location, followers_count/friends_count → follower_count/following_count, "
            "created_at (API date) → account_creation_date (the full time in the extra column account_created_at), "
            "lang → account_language; statuses_count, favourites_count, listed_count, verified, time_zone kept as extra columns"
        ),
    ]
    if not have_users:
        notes.append("no users.csv: the users table holds only the accounts seen in the tweets, with nulls")
    if not have_tweets:
        notes.append("no tweets.csv: the tweets table is empty")
        return notes
    notes += [
        f"tweets: created_at (epoch {counts['epoch_unit']}) → tweet_time"
        + (
            f"; created_str (UTC) used where created_at is empty ({counts['from_created_str']:,})"
            if counts["from_created_str"]
            else ""
        )
        + "; tweet_id → tweetid; favorite_count → like_count; source → tweet_client_name; expanded_urls → urls; "
        "quote_count, reply_count, quoted_tweet_tweetid, tweet_language, latitude/longitude are not in the data (null)",
        (
            f"accounts: user_id where given; else the id of the account whose screen_name matches user_key "
            f"case-insensitively ({resolved['by_handle']:,} tweets); else '@' + the lower-cased handle "
            f"({resolved['handle_only']:,} tweets); {resolved['users_from_tweets']:,} accounts that tweet are not in "
            "users.csv and have users rows with only an id and a handle (extra column in_users_file)"
        ),
        (
            f"retweets: {resolved['retweets']:,} (retweeted_status_id or text 'RT @name'); retweeted_status_id → "
            f"retweet_tweetid; retweet_userid is derived: the retweeted tweet's author when it is in the data "
            f"({resolved['retweet_by_tweet']:,}), else the account whose handle matches 'RT @name' "
            f"({resolved['retweet_by_name']:,}); the name as written is in the extra column retweet_screen_name"
        ),
        (
            f"replies: in_reply_to_status_id → in_reply_to_tweetid ({resolved['replies']:,}); in_reply_to_userid only "
            f"where the replied tweet is in the data ({resolved['reply_known']:,})"
        ),
        (
            "user_mentions: mentions are handles; each is the account's id where the data knows the handle, else "
            "'@' + the lower-cased handle; the handles as written are in the extra column mentioned_screen_names"
        ),
    ]
    if resolved["ambiguous"]:
        notes.append(f"{resolved['ambiguous']:,} handles are used by more than one id and were not resolved")
    return notes
