"""Reddit's 2018 list of suspected IRA accounts, with their profiles, comments and submissions.

In April 2018 Reddit published 944 accounts (``seed.csv``: ``username,karma``, no header). A
public collection holds the accounts' profiles (``users.csv``), comments (``comments.csv``) and
submissions (``submissions.csv``), recognised by their headers. They become an archive of a
second platform:

- Reddit names are case-insensitive (the seed lists ``clawz``, the comments are by
  ``Clawz``): ``userid`` is the lower-cased name, ``user_screen_name`` the name as written.
- Comments and submissions are the posts; their fullname (``t1_…``, ``t3_…``) is ``tweetid``,
  ``created_utc`` (epoch seconds) is ``tweet_time``.
- A comment replies to ``parent_id``: a post (``t3_``), whose author is ``link_author``, or a
  comment (``t1_``), whose author is known only when that comment is in the data. These fill
  ``in_reply_to_tweetid`` and ``in_reply_to_userid``, so :func:`takedown.edges.replies` gives
  the reply network.
- Every account listed, with a profile, or posting, has a users row. Reddit has no followers:
  ``follower_count`` is null and karma is kept instead.
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from takedown.read.formats import _common as c
from takedown.schema import TWEETS, USERS

FAMILY = "reddit"
SOURCE_FORMAT = "reddit_2018"
_SEED_LINE = re.compile(r"^[A-Za-z0-9_-]{1,40},-?[0-9]+$")
_SEED_NAME = re.compile(r"seed", re.IGNORECASE)
_DELETED = ("[deleted]", "[removed]")
_INTEGERS = (
    "score",
    "ups",
    "downs",
    "controversiality",
    "gilded",
    "num_comments",
    "comment_karma",
    "link_karma",
    "karma",
)
_BOOLEANS = (
    "archived", "is_submitter", "stickied", "over_18", "is_self", "locked", "spoiler", "has_subscribed",
    "has_verified_email", "is_employee", "is_gold", "is_mod", "verified",
)  # fmt: skip


def detect_header(names: list[str]) -> str | None:
    author = "author.name" in names or "author" in names
    if author and "parent_id" in names and "body" in names:
        return "comments"
    if author and "title" in names and "parent_id" not in names and ("selftext" in names or "url" in names):
        return "submissions"
    if "name" in names and ("comment_karma" in names or "link_karma" in names):
        return "profiles"
    if names == ["username", "karma"]:
        return "seed"
    return None


def looks_like_seed(name: str, first_line: str) -> bool:
    """A header-less ``username,karma`` file whose name says it is the seed list."""
    return (
        bool(_SEED_NAME.search(name)) and name.lower().endswith(".csv") and bool(_SEED_LINE.match(first_line.strip()))
    )


def _where(source: c.CsvFile) -> dict:
    return {
        "file": np.full(source.table.num_rows, source.display, dtype=object),
        "line": source.lines,
        "line_end": source.line_ends,
        "row": source.rows,
    }


def _typed_extras(source: c.CsvFile, issues: c.IssueLog, used: set[str]) -> dict:
    """Every column not mapped to the archive, typed where its name says what it holds."""
    extras = {}
    for name in source.table.column_names:
        if name in used:
            continue
        if name in _INTEGERS:
            extras[name] = c.integer(source, name, issues)
        elif name in _BOOLEANS:
            extras[name] = c.boolean(source, name, issues)
        else:
            extras[name] = source.column(name)
    return extras


def _lower_id(names: pa.Array) -> pa.Array:
    """The lower-cased name, null for missing and deleted authors."""
    deleted = pc.fill_null(pc.is_in(names, pa.array(_DELETED)), False)
    return pc.if_else(deleted, None, pc.utf8_lower(pc.utf8_trim_whitespace(names)))


def _read_seed(source: c.CsvFile, issues: c.IssueLog) -> pa.Table:
    names = pc.utf8_trim_whitespace(source.column("username"))
    c.log_failed(
        source, issues, "username", source.column("karma"), pc.is_null(names), "no account name", "row rejected"
    )
    return pa.table({"userid": _lower_id(names), "seed_name": names, "karma": c.integer(source, "karma", issues)})


def _read_profiles(source: c.CsvFile, issues: c.IssueLog) -> pa.Table:
    names = pc.utf8_trim_whitespace(source.column("name"))
    created = c.epoch(source, "created_utc", issues, unit="seconds")
    table = pa.table({"userid": _lower_id(names), "profile_name": names, "account_created_at": created})
    for name, values in _typed_extras(source, issues, {"name", "created_utc"}).items():
        table = table.append_column(name, values)
    return table


def _read_posts(source: c.CsvFile, role: str, issues: c.IssueLog) -> tuple[dict, dict]:
    names = source.table.column_names
    author_column = "author.name" if "author.name" in names else "author"
    author = pc.utf8_trim_whitespace(source.column(author_column))
    prefix = "t1_" if role == "comments" else "t3_"
    fullname = pc.coalesce(
        pc.if_else(pc.fill_null(pc.starts_with(source.column("name"), prefix), False), source.column("name"), None),
        source.column("fullname"),
        pc.binary_join_element_wise(prefix, source.column("id"), ""),
    )
    used = {author_column, "name", "created_utc", "body" if role == "comments" else "title", "parent_id"}
    columns = {
        "tweetid": fullname,
        "userid": _lower_id(author),
        "user_screen_name": author,
        "tweet_text": source.column("body" if role == "comments" else "title"),
        "tweet_time": c.epoch(source, "created_utc", issues, unit="seconds"),
        "in_reply_to_tweetid": source.column("parent_id"),
        "is_retweet": pa.array(np.zeros(source.table.num_rows, dtype=bool)),
        "urls": c.row_lists([source.column("url")], source.table.num_rows) if role == "submissions" else None,
    }
    extras = {"post_kind": pa.array([role[:-1]] * source.table.num_rows, pa.string())}
    extras.update(_typed_extras(source, issues, used))
    deleted = pc.and_(pc.is_valid(author), pc.is_null(columns["userid"]))
    c.log_failed(source, issues, author_column, author, deleted, "the author was deleted: no account id", "kept")
    return {k: v for k, v in columns.items() if v is not None}, extras


def read(entries: list) -> c.FormatResult:
    """Read the seed list, profiles, comments and submissions (any of them may be missing)."""
    issues = c.IssueLog()
    files = []
    seeds, profiles, posts, post_extras, where = [], [], [], [], []
    seed_where, profile_where = [], []
    order = {"seed": 0, "profiles": 1, "submissions": 2, "comments": 3}
    for detected, entry in sorted(entries, key=lambda pair: (order.get(pair[0].role, 9), pair[1].name)):
        if detected.role == "seed":
            data = c.read_bytes(entry)
            has_header = data.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].strip() == b"username,karma"
            in_memory = c.MemoryEntry(entry.name, data, entry.display)
            source = c.read_csv(
                in_memory, issues=issues, header=has_header, names=None if has_header else ["username", "karma"]
            )
            seeds.append(_read_seed(source, issues))
            seed_where.append(_where(source))
        else:
            source = c.read_csv(entry, issues=issues)
            names = source.table.column_names
            if detected.role == "profiles":
                c.require(entry.display, names, ("name",))
                profiles.append(_read_profiles(source, issues))
                profile_where.append(_where(source))
            else:
                c.require(entry.display, names, ("created_utc",))
                if "author.name" not in names and "author" not in names:
                    raise ValueError(f"{entry.display}, line 1: no 'author.name' nor 'author' column")
                if "name" not in names and "fullname" not in names and "id" not in names:
                    raise ValueError(
                        f"{entry.display}, line 1: no 'name', 'fullname' nor 'id' column to identify posts"
                    )
                columns, extras = _read_posts(source, detected.role, issues)
                posts.append(columns)
                post_extras.append(extras)
                where.append(_where(source))
        files.append(c.file_record(entry.display, detected.role, source.bytes, 0, FAMILY))

    seed = _dedupe_parts(seeds, seed_where, issues, files)
    profile = _dedupe_parts(profiles, profile_where, issues, files)
    tweets, counts = _posts(posts, post_extras, where, issues, files)
    users = _users(seed, profile, tweets)
    counts["listed"] = 0 if seed is None else seed.num_rows
    counts["profiles"] = 0 if profile is None else profile.num_rows
    return c.FormatResult(
        users=users,
        tweets=tweets,
        issues=issues.table(),
        files=files,
        notes=_notes(counts, users),
        source_format=SOURCE_FORMAT,
        platform="reddit",
    )


def _dedupe_parts(tables, wheres, issues, files) -> pa.Table | None:
    """The seed lists (or profiles) as one table, each account once (names compared case-insensitively)."""
    if not tables:
        return None
    table = pa.concat_tables(tables, promote_options="permissive")
    located = {k: np.concatenate([w[k] for w in wheres]) for k in wheres[0]}
    table, located = c.drop_duplicates(
        table, "userid", located, issues, what="account (names compared case-insensitively)"
    )
    read_here = set(located["file"]) | {f for w in wheres for f in w["file"][:1]}
    for record in files:
        if record["file"] in read_here:
            record["rows"] = c.rows_taken(located["file"], record["file"])
    return table


def _posts(posts, extras, wheres, issues, files) -> tuple[pa.Table, dict]:
    counts = {
        "comments": 0,
        "submissions": 0,
        "to_post": 0,
        "to_post_deleted": 0,
        "to_comment": 0,
        "to_comment_unknown": 0,
    }
    if not posts:
        return c.empty(TWEETS), counts
    tables = [c.assemble(p, TWEETS, len(p["tweetid"]), e) for p, e in zip(posts, extras)]
    tweets = pa.concat_tables(tables, promote_options="permissive")
    located = {k: np.concatenate([w[k] for w in wheres]) for k in wheres[0]}
    tweets, located = c.drop_duplicates(tweets, "tweetid", located, issues, what="post")
    for record in files:
        if record["role"] in ("comments", "submissions"):
            record["rows"] = c.rows_taken(located["file"], record["file"])

    parent = tweets["in_reply_to_tweetid"]
    author_of_parent = tweets["userid"].take(pc.index_in(parent, tweets["tweetid"]))
    name_of_parent = tweets["user_screen_name"].take(pc.index_in(parent, tweets["tweetid"]))
    to_post = pc.fill_null(pc.starts_with(parent, "t3_"), False)
    to_comment = pc.fill_null(pc.starts_with(parent, "t1_"), False)
    if "link_author" in tweets.column_names:
        link_author = tweets["link_author"]
    else:
        link_author = pa.nulls(tweets.num_rows, pa.string())
    post_author = pc.coalesce(author_of_parent, _lower_id(link_author))
    reply_userid = pc.if_else(to_post, post_author, pc.if_else(to_comment, author_of_parent, None))
    reply_name = pc.if_else(
        to_post, pc.coalesce(name_of_parent, link_author), pc.if_else(to_comment, name_of_parent, None)
    )
    kind = tweets["post_kind"]
    counts.update(
        comments=int(pc.sum(pc.equal(kind, "comment")).as_py() or 0),
        submissions=int(pc.sum(pc.equal(kind, "submission")).as_py() or 0),
        to_post=int(pc.sum(to_post).as_py() or 0),
        to_post_deleted=int(pc.sum(pc.and_(to_post, pc.is_null(reply_userid))).as_py() or 0),
        to_comment=int(pc.sum(to_comment).as_py() or 0),
        to_comment_unknown=int(pc.sum(pc.and_(to_comment, pc.is_null(reply_userid))).as_py() or 0),
    )
    index = tweets.schema.get_field_index("in_reply_to_userid")
    tweets = tweets.set_column(index, tweets.schema.field(index), pa.chunked_array([reply_userid]).cast(pa.string()))
    return tweets.append_column("in_reply_to_screen_name", pa.chunked_array([reply_name]).cast(pa.string())), counts


def _users(seed: pa.Table | None, profile: pa.Table | None, tweets: pa.Table) -> pa.Table:
    """Every account listed, with a profile, or posting: one row each."""
    authors = tweets.select(["userid", "user_screen_name"]).filter(pc.is_valid(tweets["userid"]))
    ids = [t["userid"] for t in (seed, profile) if t is not None] + [authors["userid"]]
    every = pc.drop_null(pa.chunked_array([pa.chunked_array(i).cast(pa.string()) for i in ids]).combine_chunks())
    every = pc.unique(every)
    n = len(every)

    def pick(table, column, default_type=None):
        if table is None:
            return pa.nulls(n, default_type or pa.string())
        return table[column].take(pc.index_in(every, table["userid"])).combine_chunks()

    first_post_name = authors["user_screen_name"].take(pc.index_in(every, authors["userid"])).combine_chunks()
    screen = pc.coalesce(pick(profile, "profile_name"), first_post_name, pick(seed, "seed_name"))
    created = pick(profile, "account_created_at", pa.timestamp("s", tz="UTC"))
    columns = {"userid": every, "user_screen_name": screen, "account_creation_date": pc.cast(created, pa.date32())}
    listed = pc.is_in(every, seed["userid"]) if seed is not None else pa.array(np.zeros(n, dtype=bool))
    extras = {"in_seed_list": listed, "karma": pick(seed, "karma", pa.int64()), "account_created_at": created}
    if profile is not None:
        for name in profile.column_names:
            if name not in ("userid", "profile_name", "account_created_at"):
                extras[name] = pick(profile, name)
    return c.assemble(columns, USERS, n, extras)


def _notes(counts: dict, users: pa.Table) -> list[str]:
    outside = int(pc.sum(pc.invert(users["in_seed_list"])).as_py() or 0)
    return [
        (
            "Reddit 2018 (platform reddit): userid is the lower-cased account name (Reddit names are case-insensitive); "
            "user_screen_name is the name as written (the profile's where there is one)"
        ),
        (
            f"users: {users.num_rows:,} accounts: the {counts['listed']:,} listed in the seed file (extra column "
            f"in_seed_list; its karma in karma), {counts['profiles']:,} profiles (comment_karma, link_karma and the other "
            f"profile fields kept as extra columns; created_utc → account_creation_date), {outside:,} accounts not listed"
        ),
        (
            "follower_count and following_count are null: Reddit has no followers; user_display_name, descriptions, "
            "account_language are not in the data (null)"
        ),
        (
            f"posts: {counts['comments']:,} comments (body → tweet_text) and {counts['submissions']:,} submissions "
            "(title → tweet_text, url → urls); the fullname (t1_…, t3_…) → tweetid; created_utc (epoch seconds, UTC) → "
            "tweet_time; extra column post_kind; every other column kept under its own name (score, subreddit, link_id, ...)"
        ),
        (
            f"replies: parent_id → in_reply_to_tweetid; in_reply_to_userid is the post's author (link_author, "
            f"lower-cased) for the {counts['to_post']:,} replies to posts ({counts['to_post_deleted']:,} of them deleted "
            f"authors, left null), and the parent comment's author for the {counts['to_comment']:,} replies to comments "
            f"when that comment is in the data ({counts['to_comment_unknown']:,} are not: their target is null); the "
            "name as written is in the extra column in_reply_to_screen_name"
        ),
        "no retweets, quotes, mentions or hashtags on Reddit: is_retweet is false, the other columns null",
    ]
