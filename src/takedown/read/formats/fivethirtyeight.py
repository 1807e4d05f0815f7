"""FiveThirtyEight / Clemson's "3 million Russian troll tweets" (``IRAhandle_tweets_*.csv``).

Linvill and Warren coded 2,848 IRA handles and FiveThirtyEight published their 2,973,371
tweets in parts (``IRAhandle_tweets_1.csv`` ... ``_13.csv``). What the files hold, and how it
becomes an archive:

- ``tweet_id`` is exact and becomes ``tweetid``. ``external_author_id`` went through a float in
  some copies (``812000000000000000`` for ``812345678901234567``); ``alt_external_id`` holds
  the account id rebuilt from ``article_url`` and is used as ``userid``. Every id written as a
  float or rounded is recorded and never used.
- ``publish_date`` (``M/D/YYYY H:MM``, no time zone stated, believed UTC) is ``tweet_time``.
- ``post_type`` and ``retweet`` say which tweets are retweets and quotes. The retweeted or
  quoted tweet is named by a ``tco*_step1`` link ``twitter.com/<name>/status/<id>`` (not the
  tweet's own id, and older than it), or by ``RT @name`` at the start of the text.
- ``following``, ``followers`` and ``updates`` are counts at the time of each tweet: they stay
  in the tweets table, and the users table takes each account's latest.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from takedown.read.formats import _common as c
from takedown.schema import TWEETS, USERS

FAMILY = "fivethirtyeight"
REQUIRED = ("author", "content", "publish_date")
_STATUS = r"^https?://(?:www\.|mobile\.)?twitter\.com/(?P<name>[A-Za-z0-9_]{1,15})/status(?:es)?/(?P<id>[0-9]{1,19})"
_ARTICLE = r"twitter\.com/(?P<user>[0-9]+)/status(?:es)?/(?P<id>[0-9]+)"
_RT = r"^RT @(?P<name>[A-Za-z0-9_]{1,15})"
_TCO = re.compile(r"^tco[0-9]+_step1$")

#: Clemson's language names as ISO 639-1 codes (as Twitter writes them), where the name leaves no
#: doubt. Both Chinese scripts are ``zh``; names not here leave ``tweet_language`` null.
LANGUAGES = {
    "Afrikaans": "af", "Albanian": "sq", "Amharic": "am", "Arabic": "ar", "Armenian": "hy",
    "Azerbaijani": "az", "Basque": "eu", "Belarusian": "be", "Bengali": "bn", "Bosnian": "bs",
    "Bulgarian": "bg", "Burmese": "my", "Catalan": "ca", "Croatian": "hr", "Czech": "cs",
    "Danish": "da", "Dutch": "nl", "English": "en", "Estonian": "et", "Farsi (Persian)": "fa",
    "Finnish": "fi", "French": "fr", "Georgian": "ka", "German": "de", "Greek": "el",
    "Gujarati": "gu", "Hebrew": "he", "Hindi": "hi", "Hungarian": "hu", "Icelandic": "is",
    "Indonesian": "id", "Italian": "it", "Japanese": "ja", "Kannada": "kn", "Kazakh": "kk",
    "Khmer": "km", "Kirghiz": "ky", "Korean": "ko", "Kurdish": "ku", "Lao": "lo", "Latvian": "lv",
    "Lithuanian": "lt", "Macedonian": "mk", "Malay": "ms", "Malayalam": "ml", "Maltese": "mt",
    "Marathi": "mr", "Mongolian": "mn", "Nepali": "ne", "Norwegian": "no", "Pashto": "ps",
    "Polish": "pl", "Portuguese": "pt", "Punjabi": "pa", "Pushto": "ps", "Romanian": "ro",
    "Russian": "ru", "Serbian": "sr", "Simplified Chinese": "zh", "Sinhala": "si", "Slovak": "sk",
    "Slovenian": "sl", "Somali": "so", "Spanish": "es", "Swahili": "sw", "Swedish": "sv",
    "Tagalog": "tl", "Tajik": "tg", "Tamil": "ta", "Telugu": "te", "Thai": "th",
    "Traditional Chinese": "zh", "Turkish": "tr", "Ukrainian": "uk", "Urdu": "ur", "Uzbek": "uz",
    "Vietnamese": "vi", "Welsh": "cy", "LANGUAGE UNDEFINED": "und",
}  # fmt: skip


def detect_header(names: list[str]) -> str | None:
    if all(n in names for n in REQUIRED) and ("tweet_id" in names or "article_url" in names):
        return "tweets"
    return None


def _part_key(entry) -> tuple:
    numbers = re.findall(r"[0-9]+", entry.name)
    return (int(numbers[-1]) if numbers else -1, entry.name)


def _null_string(n: int) -> pa.Array:
    return pa.nulls(n, pa.string())


def _links(source: c.CsvFile, tweetid: pa.Array) -> tuple[pa.Array, pa.Array, pa.Array]:
    """The first status link of each row that names another, older tweet: (name, id, links list)."""
    n = source.table.num_rows
    columns = sorted((name for name in source.table.column_names if _TCO.match(name)), key=lambda s: int(s[3:-6]))
    name, ident = _null_string(n), _null_string(n)
    for column in columns:
        found = pc.extract_regex(source.column(column), _STATUS)
        found_id = pc.if_else(pc.is_valid(found), pc.struct_field(found, "id"), None)
        found_name = pc.if_else(pc.is_valid(found), pc.struct_field(found, "name"), None)
        # Tweet ids grow with time: the original is older (smaller); the tweet's own link is no target.
        older = pc.fill_null(c.id_less(found_id, tweetid), True)
        usable = pc.and_(pc.is_valid(found_id), older)
        take = pc.and_(pc.is_null(ident), pc.fill_null(usable, False))
        ident = pc.if_else(take, found_id, ident)
        name = pc.if_else(take, found_name, name)
    return name, ident, c.row_lists([source.column(col) for col in columns], n)


def _read_part(source: c.CsvFile, issues: c.IssueLog, counts: dict) -> tuple[dict, dict]:
    """One part's tweet columns and extra columns."""
    n = source.table.num_rows
    names = source.table.column_names
    tweetid = c.tweet_id(source, "tweet_id", issues) if "tweet_id" in names else _null_string(n)
    article = pc.extract_regex(source.column("article_url"), _ARTICLE)
    article_user = pc.if_else(pc.is_valid(article), pc.struct_field(article, "user"), None)
    article_tweet = pc.if_else(pc.is_valid(article), pc.struct_field(article, "id"), None)
    from_article = pc.and_(pc.is_null(tweetid), pc.is_valid(article_tweet))
    counts["tweetid_from_article"] += pc.sum(from_article).as_py() or 0
    tweetid = pc.coalesce(tweetid, article_tweet)

    alt = c.tweet_id(source, "alt_external_id", issues) if "alt_external_id" in names else _null_string(n)
    external_text = pc.utf8_trim_whitespace(source.column("external_author_id"))
    external_digits = pc.fill_null(pc.match_substring_regex(external_text, r"^[0-9]+$"), False)
    written_float = pc.fill_null(pc.match_substring_regex(external_text, c.FLOAT_ID), False)
    differs = pc.fill_null(pc.and_(external_digits, pc.not_equal(external_text, alt)), False)
    rounded = pc.and_(pc.and_(external_digits, pc.is_null(alt)), pc.fill_null(c.float_damaged(external_text), False))
    other = pc.and_(pc.is_valid(external_text), pc.invert(pc.or_(external_digits, written_float)))
    c.log_failed(source, issues, "external_author_id", external_text, written_float, c.FLOAT_ID_REASON)
    c.log_failed(
        source,
        issues,
        "external_author_id",
        external_text,
        differs,
        "rounded through a float: differs from alt_external_id (used instead)",
    )
    c.log_failed(
        source,
        issues,
        "external_author_id",
        external_text,
        rounded,
        "ends in zeros like an id rounded through a float, and there is no alt_external_id to check it against",
    )
    c.log_failed(source, issues, "external_author_id", external_text, other, "not an id (expected digits)")
    trusted = pc.invert(pc.or_(pc.or_(written_float, differs), pc.or_(rounded, other)))
    external = pc.if_else(pc.and_(trusted, external_digits), external_text, None)
    counts["external_damaged"] += pc.sum(pc.or_(pc.or_(written_float, differs), rounded)).as_py() or 0
    userid = pc.coalesce(alt, external, article_user)
    missing = pc.is_null(userid)
    c.log_failed(
        source,
        issues,
        "alt_external_id",
        source.column("author"),
        missing,
        "no account id in alt_external_id, external_author_id or article_url",
        "kept",
    )

    time = c.month_day_year(source, "publish_date", issues)
    harvested = (
        c.month_day_year(source, "harvested_date", issues)
        if "harvested_date" in names
        else pa.nulls(n, pa.timestamp("s", tz="UTC"))
    )
    post_type = source.column("post_type")
    if "retweet" in names:
        flag = c.boolean(source, "retweet", issues)
        is_retweet = pc.fill_null(pc.or_(flag, pc.equal(post_type, "RETWEET")), False)
        counts["retweet_disagrees"] += (
            pc.sum(pc.fill_null(pc.xor(flag, pc.equal(pc.fill_null(post_type, ""), "RETWEET")), False)).as_py() or 0
        )
    else:
        is_retweet = pc.fill_null(pc.equal(post_type, "RETWEET"), False)
    is_quote = pc.fill_null(pc.equal(post_type, "QUOTE_TWEET"), False)

    link_name, link_id, urls = _links(source, tweetid)
    rt = pc.extract_regex(source.column("content"), _RT)
    rt_name = pc.if_else(pc.is_valid(rt), pc.struct_field(rt, "name"), None)
    same_account = pc.fill_null(pc.equal(pc.utf8_lower(link_name), pc.utf8_lower(rt_name)), True)
    retweet_tweetid = pc.if_else(pc.and_(is_retweet, same_account), link_id, None)
    retweet_name = pc.if_else(is_retweet, pc.coalesce(rt_name, link_name), None)
    quoted_tweetid = pc.if_else(pc.and_(is_quote, pc.invert(is_retweet)), link_id, None)
    quoted_name = pc.if_else(pc.and_(is_quote, pc.invert(is_retweet)), link_name, None)
    counts["retweets"] += pc.sum(is_retweet).as_py() or 0
    counts["retweet_by_link"] += pc.sum(pc.is_valid(retweet_tweetid)).as_py() or 0
    counts["retweet_by_name"] += pc.sum(pc.is_valid(retweet_name)).as_py() or 0
    counts["quotes"] += pc.sum(is_quote).as_py() or 0
    counts["quote_by_link"] += pc.sum(pc.is_valid(quoted_tweetid)).as_py() or 0

    language = source.column("language")
    codes = pa.array(list(LANGUAGES.values()), pa.string())
    position = pc.index_in(language, pa.array(list(LANGUAGES), pa.string()))
    tweet_language = pc.take(codes, position)
    unmapped = pc.and_(pc.is_valid(language), pc.is_null(position))
    for found in pc.value_counts(pc.filter(language, unmapped)).to_pylist():
        counts["language_unmapped"][found["values"]] += found["counts"]

    columns = {
        "tweetid": tweetid,
        "userid": userid,
        "user_screen_name": source.column("author"),
        "tweet_language": tweet_language,
        "tweet_text": source.column("content"),
        "tweet_time": time,
        "is_retweet": is_retweet,
        "retweet_tweetid": retweet_tweetid,
        "quoted_tweet_tweetid": quoted_tweetid,
        "urls": urls,
    }
    integers = {
        name: c.integer(source, name, issues) if name in names else pa.nulls(n, pa.int64())
        for name in ("followers", "following", "updates", "new_june_2018")
    }
    extras = {
        "retweet_screen_name": retweet_name,
        "quoted_screen_name": quoted_name,
        "followers": integers["followers"],
        "following": integers["following"],
        "updates": integers["updates"],
        "language": language,
        "harvested_date": harvested,
        "post_type": post_type,
        "account_category": source.column("account_category"),
        "account_type": source.column("account_type"),
        "region": source.column("region"),
        "new_june_2018": integers["new_june_2018"],
        "external_author_id": external,
    }
    return columns, extras


def _latest_per_account(tweets: pa.Table) -> pa.Table:
    """One row per account: the row of its latest tweet (ties: the latest harvested, then the last read)."""
    table = tweets.select(["userid", "tweet_time", "harvested_date"]).append_column(
        "position", pa.array(np.arange(tweets.num_rows, dtype=np.int64))
    )
    table = table.filter(pc.is_valid(table["userid"]))
    order = pc.sort_indices(
        table,
        sort_keys=[
            ("userid", "ascending", "at_start"),
            ("tweet_time", "ascending", "at_start"),
            ("harvested_date", "ascending", "at_start"),
            ("position", "ascending", "at_start"),
        ],
    )
    ids = table["userid"].take(order).combine_chunks()
    if len(ids) == 0:
        return tweets.slice(0, 0)
    last = np.ones(len(ids), dtype=bool)
    last[:-1] = pc.not_equal(ids.slice(1), ids.slice(0, len(ids) - 1)).to_numpy(zero_copy_only=False)
    positions = table["position"].take(order).combine_chunks().filter(pa.array(last))
    return tweets.take(positions)


def _distinct_per_account(tweets: pa.Table, column: str) -> int:
    grouped = (
        tweets.select(["userid", column])
        .filter(pc.is_valid(tweets["userid"]))
        .group_by("userid")
        .aggregate([(column, "count_distinct")])
    )
    return int(pc.sum(pc.greater(grouped[f"{column}_count_distinct"], 1)).as_py() or 0)


def read(entries: list) -> c.FormatResult:
    """Read every ``IRAhandle_tweets_*.csv`` part into one archive (see the module docstring)."""
    issues = c.IssueLog()
    counts = {
        k: 0
        for k in (
            "tweetid_from_article",
            "external_damaged",
            "retweet_disagrees",
            "retweets",
            "retweet_by_link",
            "retweet_by_name",
            "quotes",
            "quote_by_link",
        )
    }
    counts["language_unmapped"] = Counter()
    tables, where, files = [], [], []
    for detected, entry in sorted(entries, key=lambda pair: _part_key(pair[1])):
        source = c.read_csv(entry, issues=issues)
        c.require(entry.display, source.table.column_names, REQUIRED)
        if "tweet_id" not in source.table.column_names and "article_url" not in source.table.column_names:
            raise ValueError(f"{entry.display}, line 1: no 'tweet_id' nor 'article_url' column to take tweet ids from")
        columns, extras = _read_part(source, issues, counts)
        tables.append(c.assemble(columns, TWEETS, source.table.num_rows, extras))
        where.append(
            {
                "file": np.full(source.table.num_rows, entry.display, dtype=object),
                "line": source.lines,
                "line_end": source.line_ends,
                "row": source.rows,
            }
        )
        files.append(c.file_record(entry.display, detected.role, source.bytes, 0, FAMILY))
    located = {k: np.concatenate([w[k] for w in where]) for k in where[0]}
    tweets = pa.concat_tables(tables)
    tweets, located = c.drop_duplicates(tweets, "tweetid", located, issues, what="tweet_id")
    for record in files:
        record["rows"] = c.rows_taken(located["file"], record["file"])

    latest = _latest_per_account(tweets)
    users = c.assemble(
        {
            "userid": latest["userid"],
            "user_screen_name": latest["user_screen_name"],
            "follower_count": latest["followers"],
            "following_count": latest["following"],
        },
        USERS,
        latest.num_rows,
        {name: latest[name] for name in ("account_category", "account_type", "region", "new_june_2018")},
    )
    tweets = _with_account_columns(tweets, users)
    tweets, resolved = _retweeted_accounts(tweets)
    notes = _notes(counts, tweets, users, resolved)
    return c.FormatResult(
        users=users,
        tweets=tweets,
        issues=issues.table(),
        files=files,
        notes=notes,
        source_format=FAMILY,
        platform="twitter",
    )


def _with_account_columns(tweets: pa.Table, users: pa.Table) -> pa.Table:
    """Each tweet row repeats its account's latest counts, as Twitter's files repeat one snapshot."""
    at = pc.index_in(tweets["userid"], users["userid"])
    for name in ("follower_count", "following_count"):
        tweets = tweets.set_column(tweets.schema.get_field_index(name), name, users[name].take(at))
    return tweets


def _retweeted_accounts(tweets: pa.Table) -> tuple[pa.Table, dict]:
    """``retweet_userid`` where the data knows the account: the retweeted tweet is in it, or the
    retweeted handle is one of its authors' (case-insensitive; a handle used by two ids is left out)."""
    at = pc.index_in(tweets["retweet_tweetid"], tweets["tweetid"])
    by_tweet = tweets["userid"].take(at)
    handles = tweets.select(["user_screen_name", "userid"]).filter(pc.is_valid(tweets["userid"]))
    handles = handles.append_column("handle", pc.utf8_lower(handles["user_screen_name"]))
    grouped = handles.group_by("handle").aggregate([("userid", "count_distinct"), ("userid", "min")])
    unique = grouped.filter(pc.equal(grouped["userid_count_distinct"], 1))
    by_name = unique["userid_min"].take(pc.index_in(pc.utf8_lower(tweets["retweet_screen_name"]), unique["handle"]))
    userid = pc.coalesce(by_tweet, by_name)
    resolved = {
        "by_tweet": int(pc.sum(pc.is_valid(by_tweet)).as_py() or 0),
        "by_name": int(pc.sum(pc.and_(pc.is_null(by_tweet), pc.is_valid(by_name))).as_py() or 0),
        "ambiguous": int(pc.sum(pc.greater(grouped["userid_count_distinct"], 1)).as_py() or 0),
    }
    index = tweets.schema.get_field_index("retweet_userid")
    return tweets.set_column(index, "retweet_userid", userid.cast(pa.string())), resolved


def _notes(counts: dict, tweets: pa.Table, users: pa.Table, resolved: dict) -> list[str]:
    unmapped = counts["language_unmapped"]
    notes = [
        (
            "FiveThirtyEight/Clemson IRA tweets (Linvill & Warren): tweet_id → tweetid; the account id is "
            "alt_external_id (rebuilt from article_url), external_author_id only where it agrees; author → "
            "user_screen_name; content → tweet_text; publish_date (M/D/YYYY H:MM, no time zone in the files, "
            "believed UTC) → tweet_time"
        ),
        (
            f"external_author_id: {counts['external_damaged']:,} values written as floats or rounded through one "
            "(digits lost) were not used; they are null in the extra column external_author_id and listed in issues"
        ),
        (
            f"retweets: {counts['retweets']:,} (post_type RETWEET or retweet = 1); the retweeted tweet id comes from a "
            f"tco*_step1 link twitter.com/<name>/status/<id> to another, older tweet ({counts['retweet_by_link']:,}), "
            f"the retweeted handle from 'RT @name' or that link ({counts['retweet_by_name']:,}) as written, in the extra "
            "column retweet_screen_name; a link may name the tweet a photo or video first appeared in rather than the "
            "retweeted tweet"
        ),
        (
            f"retweet_userid is derived: the author of the retweeted tweet when it is in the data "
            f"({resolved['by_tweet']:,}), else the account whose handle matches retweet_screen_name case-insensitively "
            f"({resolved['by_name']:,}); otherwise null"
        ),
        (
            f"quotes: {counts['quotes']:,} (post_type QUOTE_TWEET); quoted_tweet_tweetid from a status link "
            f"({counts['quote_by_link']:,}), the quoted handle in the extra column quoted_screen_name"
        ),
        "tweet_language: ISO 639-1 codes mapped from Clemson's language names (their own detection, not "
        "Twitter's), both Chinese scripts as zh, 'LANGUAGE UNDEFINED' as und; the name as written is kept in the "
        "extra column language"
        + (f"; names with no certain code left null: {', '.join(sorted(unmapped))}" if unmapped else ""),
        (
            "followers, following, updates: counts at the time of each tweet, kept as extra columns of the tweets; "
            "the users table (and each tweet's follower_count/following_count) holds the account's latest, from its "
            "last tweet"
        ),
        (
            "urls: the expanded links tco1_step1..tco3_step1; hashtags, user_mentions, tweet_client_name, "
            "user_display_name, descriptions, account_creation_date and account_language are not in the data (null)"
        ),
        (
            "extra columns kept: account_category, account_type, region, new_june_2018 (the researchers' coding, on "
            "users and tweets), harvested_date, post_type, language, external_author_id; article_url "
            "(http://twitter.com/<userid>/statuses/<tweetid>) only serves to check and fill the ids"
        ),
    ]
    if counts["tweetid_from_article"]:
        notes.append(f"{counts['tweetid_from_article']:,} tweet ids taken from article_url (tweet_id unusable)")
    if counts["retweet_disagrees"]:
        notes.append(f"{counts['retweet_disagrees']:,} rows where retweet and post_type disagree; taken as retweets")
    varying = _distinct_per_account(tweets, "account_category")
    if varying:
        notes.append(f"{varying:,} accounts have more than one account_category; users holds the latest")
    renamed = _distinct_per_account(tweets, "user_screen_name")
    if renamed:
        notes.append(f"{renamed:,} accounts tweeted under more than one handle; users holds the latest")
    if resolved["ambiguous"]:
        notes.append(f"{resolved['ambiguous']:,} handles are used by more than one account id and resolve no retweet")
    without = int(pc.sum(pc.is_null(tweets["userid"])).as_py() or 0)
    if without:
        notes.append(f"{without:,} tweets have no usable account id (listed in issues) and no users row")
    return notes
