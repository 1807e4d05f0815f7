"""Other data sets read into archive tables: FiveThirtyEight/Clemson, NBC, Reddit 2018, twarc2 and API v1.1.

Hand-built files carry every quirk with answers worked out on paper; the real samples are checked
against an independent pass with Python's csv module.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import takedown as td
from takedown.read import formats
from takedown.read.formats import Detected, MemoryEntry, detect, read
from takedown.read.formats._common import IssueLog, read_csv
from takedown.schema import TWEETS, USERS, arrow_schema

from .conftest import REAL

FIVETHIRTYEIGHT = REAL / "fivethirtyeight_ira_sample" / "IRAhandle_tweets_sample.csv"
REDDIT = REAL / "reddit_2018_suspicious_sample"
UTC = dt.UTC


class PathEntry:
    """What the lead's discovery hands over for a plain file."""

    def __init__(self, path: Path):
        self.path = path
        self.name = path.name
        self.display = str(path)

    def open(self):
        return open(self.path, "rb")


def read_entries(*entries) -> formats.FormatResult:
    pairs = []
    for entry in entries:
        with entry.open() as stream:
            head = stream.read(1 << 20)
        detected = detect(entry.name, head)
        assert detected is not None, entry.name
        pairs.append((detected, entry))
    return read(pairs)


def check_schema(result: formats.FormatResult) -> None:
    """The archive columns come first, in order and typed as the schema says; extras follow."""
    for table, columns in ((result.users, USERS), (result.tweets, TWEETS)):
        expected = arrow_schema(columns)
        assert table.schema.names[: len(expected)] == expected.names
        for field in expected:
            assert table.schema.field(field.name).type == field.type, field.name
    assert result.issues.column_names == list(td.archive.ISSUE_COLUMNS)
    assert result.platform in ("twitter", "reddit")


def archive_of(result: formats.FormatResult) -> td.Archive:
    return td.Archive(
        users=result.users.to_pandas(types_mapper=pd.ArrowDtype),
        tweets=result.tweets.to_pandas(types_mapper=pd.ArrowDtype),
        name="test",
        provenance=td.Provenance(source="test", files=(), release_format=result.source_format),
    )


def issues_of(result) -> list[tuple]:
    frame = result.issues.to_pylist()
    return sorted((i["file"], i["line"], i["column"], i["action"], i["value"]) for i in frame)


def csv_text(header, rows, *, newline="\r\n") -> bytes:
    """Rows written the way pandas writes them: quoted only when needed."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


# --- detection -------------------------------------------------------------------------------

FTE_HEADER = [
    "external_author_id",
    "author",
    "content",
    "region",
    "language",
    "publish_date",
    "harvested_date",
    "following",
    "followers",
    "updates",
    "post_type",
    "account_type",
    "retweet",
    "account_category",
    "new_june_2018",
    "alt_external_id",
    "tweet_id",
    "article_url",
    "tco1_step1",
    "tco2_step1",
    "tco3_step1",
]
NBC_USERS = [
    "id",
    "location",
    "name",
    "followers_count",
    "statuses_count",
    "time_zone",
    "verified",
    "lang",
    "screen_name",
    "description",
    "created_at",
    "favourites_count",
    "friends_count",
    "listed_count",
]
NBC_TWEETS = [
    "user_id",
    "user_key",
    "created_at",
    "created_str",
    "retweet_count",
    "retweeted",
    "favorite_count",
    "text",
    "tweet_id",
    "source",
    "hashtags",
    "expanded_urls",
    "posted",
    "mentions",
    "retweeted_status_id",
    "in_reply_to_status_id",
]
PROFILE_HEADER = [
    "fullname",
    "comment_karma",
    "created_utc",
    "has_subscribed",
    "has_verified_email",
    "icon_img",
    "id",
    "is_employee",
    "is_gold",
    "is_mod",
    "link_karma",
    "name",
]
COMMENT_HEADER = [
    "fullname",
    "author.name",
    "body",
    "created_utc",
    "link_author",
    "link_id",
    "name",
    "parent_id",
    "score",
    "subreddit.display_name_prefixed",
]
SUBMISSION_HEADER = "author.name,created_utc,name,num_comments,score,selftext,subreddit.display_name_prefixed,title,url"


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("IRAhandle_tweets_1.csv", ",".join(FTE_HEADER).encode() + b"\r\n1,a", ("fivethirtyeight", "tweets")),
        ("anything.csv", b"\xef\xbb\xbf" + ",".join(FTE_HEADER).encode(), ("fivethirtyeight", "tweets")),
        ("tweets.csv", ",".join(NBC_TWEETS).encode() + b"\n", ("nbc", "tweets")),
        ("users.csv", ",".join(NBC_USERS).encode() + b"\n", ("nbc", "users")),
        ("users.csv", ",".join(f'"{n}"' for n in PROFILE_HEADER).encode() + b"\n", ("reddit", "profiles")),
        ("comments.csv", ",".join(COMMENT_HEADER).encode() + b"\n", ("reddit", "comments")),
        ("submissions.csv", SUBMISSION_HEADER.encode() + b"\n", ("reddit", "submissions")),
        ("seed.csv", b"clawz,12\r\nPoster,-3\r\n", ("reddit", "seed")),
        ("reddit_seed_2018.csv", b"clawz,12", ("reddit", "seed")),
        ("list.csv", b"username,karma\nclawz,12\n", ("reddit", "seed")),
        ("accounts.csv", b"clawz,12\r\n", None),  # no header and a name that says nothing
        ("seed.csv", b"a,b,c\n1,2,3\n", None),
        ("x_tweets_csv_hashed.csv", b"tweetid,userid,tweet_text\n", None),  # Twitter's own files are read elsewhere
        (
            "page.jsonl",
            b'{"data": [{"id": "1", "text": "a \\" } {", "author_id": "2"}], "includes": {"users": [{"id',
            ("twarc2", "pages"),
        ),
        (
            "flat.jsonl",
            b'{"id": "1", "text": "hi", "author_id": "2", "author": {"id": "2", "data": []}}\n',
            ("twarc2", "tweets"),
        ),
        (
            "v1.jsonl",
            b'{"created_at": "Mon Jan 07 10:00:00 +0000 2019", "id": 1, "id_str": "1", "user": {"data": 1}',
            ("twitter_v1", "tweets"),
        ),
        ("other.json", b'{"name": "not a tweet", "list": [1, 2]}\n', None),
        ("empty.csv", b"", None),
        ("binary.csv", b"\xff\xfe\x00a", None),
    ],
)
def test_detect(name, head, expected):
    assert detect(name, head) == (Detected(*expected) if expected else None)


def test_detect_a_page_cut_inside_its_first_line():
    page = {"data": [{"id": str(i), "text": "x" * 500, "author_id": "1"} for i in range(300)], "includes": {}}
    head = json.dumps(page).encode()[: 1 << 16]
    assert b"\n" not in head and detect("a.jsonl", head) == Detected("twarc2", "pages")


def test_read_refuses_mixed_or_empty_input():
    seed = MemoryEntry("seed.csv", b"clawz,1\n")
    users = MemoryEntry("users.csv", ",".join(NBC_USERS).encode() + b"\n")
    with pytest.raises(ValueError, match="one data set"):
        read([(Detected("reddit", "seed"), seed), (Detected("nbc", "users"), users)])
    with pytest.raises(ValueError, match="at least one"):
        read([])


def test_missing_required_column_is_named():
    entry = MemoryEntry("IRAhandle_tweets_1.csv", b"author,content,tweet_id\r\nx,y,1\r\n")
    with pytest.raises(
        ValueError, match=r"IRAhandle_tweets_1.csv, line 1: missing required column 'publish_date'"
    ) as error:
        read([(Detected("fivethirtyeight", "tweets"), entry)])
    assert "\n" not in str(error.value)


# --- CSV parsing: lines where records start --------------------------------------------------


def expected_lines(data: bytes) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    next(reader)
    out, previous = [], reader.line_num
    for record in reader:
        out.append((previous + 1, record))
        previous = reader.line_num
    return out


text_cell = st.text(alphabet=st.sampled_from(list('ab ,"\né')), max_size=8)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(text_cell, text_cell, text_cell), max_size=12), newline=st.sampled_from(["\n", "\r\n"]))
def test_start_lines_match_the_csv_module(rows, newline):
    data = csv_text(["a", "b", "c"], rows, newline=newline)
    parsed = read_csv(MemoryEntry("x.csv", data), issues=IssueLog())
    expected = expected_lines(data)
    assert parsed.lines.tolist() == [line for line, _ in expected]
    assert parsed.table.to_pylist() == [{k: (v or None) for k, v in zip("abc", r)} for _, r in expected]


def test_bad_rows_are_rejected_with_their_lines():
    data = b'a,b\r\n1,"x\r\ny"\r\n2,3,4\r\n\r\n3,z\r\n4,"never closed\r\n'
    issues = IssueLog()
    parsed = read_csv(MemoryEntry("x.csv", data), issues=issues)
    assert parsed.table.to_pylist() == [{"a": "1", "b": "x\r\ny"}, {"a": "3", "b": "z"}]
    assert parsed.lines.tolist() == [2, 6]
    rejected = issues.table().to_pylist()
    assert [(i["line"], i["action"]) for i in rejected] == [(4, "row rejected"), (7, "row rejected")]
    assert "3 fields where the header has 2" in rejected[0]["reason"]


# --- FiveThirtyEight / Clemson ---------------------------------------------------------------

A, B, C = "812345678901234567", "2500000001", "777000000000000123"
T = {i: f"9140000000000{i:05d}" for i in range(1, 11)}


def fte_row(**values) -> list[str]:
    row = dict.fromkeys(FTE_HEADER, "")
    row.update(region="Unknown", language="English", following="10", followers="100", updates="5", retweet="0")
    row.update(new_june_2018="0", account_type="Right", account_category="RightTroll")
    row.update(values)
    if "article_url" not in values:
        row["article_url"] = f"http://twitter.com/{row['alt_external_id'] or C}/statuses/{row['tweet_id']}"
    return [row[c] for c in FTE_HEADER]


def a_row(**values):
    base = {"external_author_id": "812000000000000000", "author": "Main_Acct", "alt_external_id": A}
    return fte_row(**{**base, **values})


def b_row(**values):
    base = {"external_author_id": B, "author": "OtherOne", "alt_external_id": B, "account_type": "Left"}
    return fte_row(**{**base, "account_category": "LeftTroll", **values})


@pytest.fixture
def fte_parts():
    part1 = [
        a_row(tweet_id=T[1], content='He said "hi", then\nleft', publish_date="10/1/2017 19:58",
              harvested_date="10/1/2017 19:59", tco1_step1=f"https://twitter.com/main_acct/status/{T[1]}/video/1"),
        b_row(tweet_id=T[2], content="Vote today", publish_date="10/2/2017 8:05", post_type="RETWEET", retweet="1",
              followers="40", language="Farsi (Persian)", tco1_step1=f"https://twitter.com/main_acct/status/{T[1]}"),
        b_row(tweet_id=T[3], content="RT @Outside_News: big story", publish_date="10/3/2017 9:00",
              post_type="RETWEET", retweet="1", followers="41", language="Klingon"),
        b_row(tweet_id=T[4], content="news", publish_date="10/3/2017 9:30", post_type="RETWEET", retweet="1",
              followers="42", language="Italian",
              tco1_step1="https://twitter.com/MAIN_ACCT/status/900000000000000001/photo/1", tco2_step1="http://bit.ly/x"),
        a_row(tweet_id=T[5], content="look at this", publish_date="10/4/2017 10:00", post_type="QUOTE_TWEET",
              followers="120", tco1_step1="https://twitter.com/someone/status/913000000000000000"),
        a_row(tweet_id=T[6], content="later", publish_date="10/5/2017 1:00", post_type="RETWEET", retweet="1",
              tco1_step1="https://twitter.com/x/status/999000000000000000"),
        fte_row(external_author_id="9.06E+17", author="SciAcct", alt_external_id="", tweet_id="9.1458E+17",
                article_url=f"http://twitter.com/{C}/statuses/914000000000000707", publish_date="2/30/2017 1:00",
                language="Russian", account_category="NonEnglish"),
    ]  # fmt: skip
    part2 = [
        part1[1],
        a_row(tweet_id=T[9], content="last", publish_date="10/10/2017 23:59", followers="150", following="12",
              updates="9", language="LANGUAGE UNDEFINED"),
        b_row(tweet_id=T[10], content="b last", publish_date="10/9/2017 12:00", followers="50"),
    ]  # fmt: skip
    return (
        MemoryEntry("IRAhandle_tweets_1.csv", csv_text(FTE_HEADER, part1), "dl/IRAhandle_tweets_1.csv"),
        MemoryEntry("IRAhandle_tweets_2.csv", csv_text(FTE_HEADER, part2, newline="\n"), "dl/IRAhandle_tweets_2.csv"),
    )


def test_fivethirtyeight_by_hand(fte_parts):
    # Given in reverse: parts are read in their numbered order.
    result = read_entries(*reversed(fte_parts))
    check_schema(result)
    tweets = result.tweets.to_pylist()
    c7 = "914000000000000707"
    assert [t["tweetid"] for t in tweets] == [T[1], T[2], T[3], T[4], T[5], T[6], c7, T[9], T[10]]
    assert [t["userid"] for t in tweets] == [A, B, B, B, A, A, C, A, B]
    assert tweets[0]["tweet_text"] == 'He said "hi", then\nleft'
    assert tweets[0]["tweet_time"] == dt.datetime(2017, 10, 1, 19, 58, tzinfo=UTC)
    assert tweets[0]["harvested_date"] == dt.datetime(2017, 10, 1, 19, 59, tzinfo=UTC)
    assert tweets[6]["tweet_time"] is None  # 2/30 does not exist
    assert [t["is_retweet"] for t in tweets] == [False, True, True, True, False, True, False, False, False]
    # The tweet's own link and a link to a newer tweet are not targets.
    assert [t["retweet_tweetid"] for t in tweets] == [
        None,
        T[1],
        None,
        "900000000000000001",
        None,
        None,
        None,
        None,
        None,
    ]
    assert [t["retweet_screen_name"] for t in tweets] == [None, "main_acct", "Outside_News", "MAIN_ACCT"] + [None] * 5
    # By the retweeted tweet (in the data), and by the handle, case-insensitively.
    assert [t["retweet_userid"] for t in tweets] == [None, A, None, A, None, None, None, None, None]
    assert (tweets[4]["quoted_tweet_tweetid"], tweets[4]["quoted_screen_name"]) == ("913000000000000000", "someone")
    assert [t["tweet_language"] for t in tweets] == ["en", "fa", None, "it", "en", "en", "ru", "und", "en"]
    assert tweets[2]["language"] == "Klingon"
    assert tweets[0]["urls"] == [f"https://twitter.com/main_acct/status/{T[1]}/video/1"]
    assert tweets[3]["urls"] == ["https://twitter.com/MAIN_ACCT/status/900000000000000001/photo/1", "http://bit.ly/x"]
    assert tweets[2]["urls"] == []
    # Per-tweet counts stay; the account columns repeat the latest.
    assert [t["followers"] for t in tweets if t["userid"] == A] == [100, 120, 100, 150]
    assert {t["follower_count"] for t in tweets if t["userid"] == A} == {150}
    assert [t["external_author_id"] for t in tweets] == [None, B, B, B, None, None, None, None, B]

    users = {u["userid"]: u for u in result.users.to_pylist()}
    assert set(users) == {A, B, C}
    assert (users[A]["user_screen_name"], users[A]["follower_count"], users[A]["following_count"]) == (
        "Main_Acct",
        150,
        12,
    )
    assert (users[B]["follower_count"], users[B]["account_category"], users[B]["account_type"]) == (
        50,
        "LeftTroll",
        "Left",
    )
    assert users[C]["account_category"] == "NonEnglish"

    part1, part2 = "dl/IRAhandle_tweets_1.csv", "dl/IRAhandle_tweets_2.csv"
    assert issues_of(result) == sorted(
        [
            (part1, 2, "external_author_id", "set to null", "812000000000000000"),
            (part1, 7, "external_author_id", "set to null", "812000000000000000"),
            (part1, 8, "external_author_id", "set to null", "812000000000000000"),
            (part2, 3, "external_author_id", "set to null", "812000000000000000"),
            (part1, 9, "external_author_id", "set to null", "9.06E+17"),
            (part1, 9, "tweet_id", "set to null", "9.1458E+17"),
            (part1, 9, "publish_date", "set to null", "2/30/2017 1:00"),
            (part2, 2, "tweetid", "duplicate dropped", T[2]),
        ]
    )
    assert [(f["file"], f["rows"]) for f in result.files] == [(part1, 7), (part2, 2)]
    notes = " ".join(result.notes)
    assert "believed UTC" in notes and "Klingon" in notes and "alt_external_id" in notes


def test_fivethirtyeight_archive_runs_the_measures(fte_parts):
    archive = archive_of(read_entries(*fte_parts))
    edges = td.edges.retweets(archive)
    assert len(edges) == 4
    by_tweet = edges.set_index("tweetid")
    assert by_tweet.loc[T[2], "target"] == A and by_tweet.loc[T[2], "resolved_by"] == "retweet_userid"
    assert by_tweet.loc[T[2], "original_time"] == td.edges.snowflake_time(pd.Series([T[1]])).iloc[0]
    assert td.measures.follower_summary(archive).loc["all accounts", "accounts"] == 3


# --- NBC News --------------------------------------------------------------------------------

J, G = "1000000001", "2000000002"


@pytest.fixture
def nbc_entries():
    users = csv_text(
        NBC_USERS,
        [
            [J, "Atlanta, GA", "Jenna", "2000", "500", "Eastern Time (US & Canada)", "False", "en", "jenn_abrams",
             "line one\nline two", "Wed Jan 07 04:38:02 +0000 2009", "10", "300", "5"],
            [G, "", "Ten", "9000", "10", "", "False", "EN", "TEN_GOP", "", "Thu Feb 02 10:00:00 +0000 2017", "1", "2", "3"],
        ],
        newline="\n",
    )  # fmt: skip
    rows = [
        [J, "jenn_abrams", "1458999707000", "2016-03-26 13:41:47", "", "false", "3", "hello world", "713700000000000001",
         '<a href="http://twitter.com" rel="nofollow">Twitter Web Client</a>', '["MAGA"]', '["https://x.org/a"]',
         "POSTED", '["ten_gop"]', "", ""],
        ["", "ten_gop", "1458999800000.0", "", "0", "false", "0", "RT @Jenn_Abrams: hello world", "713700000000000002",
         "", "[]", "[]", "POSTED", '["jenn_abrams"]', "713700000000000001", ""],
        ["", "someone", "", "2016-03-26 13:45:00", "0", "false", "0", "RT @foxnews: news", "713700000000000003", "",
         "[]", "[]", "POSTED", '["foxnews"]', "713600000000000000", ""],
        [J, "jenn_abrams", "1458999900000", "", "", "false", "", "@ten_gop reply", "713700000000000004", "", "[]", "[]",
         "POSTED", '["TEN_GOP"]', "", "713700000000000002"],
        [J, "jenn_abrams", "1458999950000", "", "", "false", "", "RT @TEN_GOP: x", "713700000000000005", "", "[]",
         "[]", "POSTED", "[]", "", ""],
        [J, "jenn_abrams", "1458999900000", "", "", "false", "", "dup", "713700000000000004", "", "[]", "[]", "", "[]",
         "", ""],
    ]  # fmt: skip
    return MemoryEntry("users.csv", users), MemoryEntry("tweets.csv", csv_text(NBC_TWEETS, rows, newline="\n"))


def test_nbc_by_hand(nbc_entries):
    result = read_entries(*reversed(nbc_entries))
    check_schema(result)
    tweets = result.tweets.to_pylist()
    assert [t["tweetid"] for t in tweets] == [f"71370000000000000{i}" for i in range(1, 6)]
    # user_id; else the id of the handle (case-insensitively); else @handle.
    assert [t["userid"] for t in tweets] == [J, G, "@someone", J, J]
    assert [t["tweet_time"] for t in tweets] == [
        dt.datetime(2016, 3, 26, 13, 41, 47, tzinfo=UTC),
        dt.datetime(2016, 3, 26, 13, 43, 20, tzinfo=UTC),
        dt.datetime(2016, 3, 26, 13, 45, 0, tzinfo=UTC),  # from created_str
        dt.datetime(2016, 3, 26, 13, 45, 0, tzinfo=UTC),
        dt.datetime(2016, 3, 26, 13, 45, 50, tzinfo=UTC),
    ]
    assert tweets[0]["tweet_client_name"] == "Twitter Web Client"
    assert (tweets[0]["hashtags"], tweets[0]["urls"]) == (["MAGA"], ["https://x.org/a"])
    assert [t["is_retweet"] for t in tweets] == [False, True, True, False, True]
    assert [t["retweet_tweetid"] for t in tweets] == [None, "713700000000000001", "713600000000000000", None, None]
    # The retweeted tweet's author where it is in the data, else the handle's account; none for outsiders.
    assert [t["retweet_userid"] for t in tweets] == [None, J, None, None, G]
    assert [t["retweet_screen_name"] for t in tweets] == [None, "Jenn_Abrams", "foxnews", None, "TEN_GOP"]
    assert (tweets[3]["in_reply_to_tweetid"], tweets[3]["in_reply_to_userid"]) == ("713700000000000002", G)
    assert [t["user_mentions"] for t in tweets] == [[G], [J], ["@foxnews"], [G], []]
    assert tweets[3]["mentioned_screen_names"] == ["TEN_GOP"]
    assert tweets[0]["follower_count"] == 2000 and tweets[1]["user_screen_name"] == "TEN_GOP"

    users = {u["userid"]: u for u in result.users.to_pylist()}
    assert set(users) == {J, G, "@someone"}
    assert users[J]["account_creation_date"] == dt.date(2009, 1, 7)
    assert users[J]["user_profile_description"] == "line one\nline two"
    assert (users[G]["account_language"], users[G]["following_count"]) == ("en", 2)
    assert users["@someone"]["in_users_file"] is False and users["@someone"]["user_screen_name"] == "someone"
    assert issues_of(result) == [("tweets.csv", 7, "tweetid", "duplicate dropped", "713700000000000004")]
    assert [(f["role"], f["rows"]) for f in result.files] == [("users", 2), ("tweets", 5)]


def test_nbc_tolerates_a_smaller_tweets_file():
    data = csv_text(["user_key", "created_at", "text", "tweet_id"], [["a_b", "1458999707000", "hi", "1"]])
    result = read_entries(MemoryEntry("tweets.csv", data))
    check_schema(result)
    assert result.tweets["userid"].to_pylist() == ["@a_b"] and result.tweets["like_count"].to_pylist() == [None]
    assert result.users["userid"].to_pylist() == ["@a_b"]


def test_nbc_bad_cells_become_null_and_are_recorded():
    data = csv_text(
        ["user_id", "user_key", "created_at", "text", "tweet_id", "retweet_count"],
        [["7.1E+17", "a", "soon", "hi", "9.1458E+17", "many"]],
    )
    result = read_entries(MemoryEntry("tweets.csv", data))
    row = result.tweets.to_pylist()[0]
    assert (row["tweetid"], row["userid"], row["tweet_time"], row["retweet_count"]) == (None, "@a", None, None)
    assert sorted(i["column"] for i in result.issues.to_pylist()) == [
        "created_at",
        "retweet_count",
        "tweet_id",
        "user_id",
    ]
    assert {i["line"] for i in result.issues.to_pylist()} == {2}


# --- Reddit 2018 -----------------------------------------------------------------------------


@pytest.fixture
def reddit_entries():
    seed = MemoryEntry("seed.csv", b"Clawz,12\r\nclawz,12\r\nQuiet_One,5\r\nPoster,3\r\n")
    profiles = csv_text(
        PROFILE_HEADER,
        [
            ["t2_aaa", "10", "1442424149.0", "True", "False", "", "aaa", "False", "False", "False", "2", "Clawz"],
            ["t2_bbb", "-1", "1431683081.0", "False", "False", "", "bbb", "False", "False", "False", "1", "Poster"],
        ],
    )
    comments = csv_text(
        COMMENT_HEADER,
        [
            ["t1_c1", "clawz", "first\nline", "1500000000.0", "Poster", "t3_p1", "t1_c1", "t3_p1", "5", "r/news"],
            ["t1_c2", "Poster", "reply", "1500000100.0", "Poster", "t3_p1", "t1_c2", "t1_c1", "1", "r/news"],
            ["t1_c3", "Clawz", "to nobody", "1500000200.0", "Other", "t3_p2", "t1_c3", "t1_zzz", "0", "r/news"],
            ["t1_c4", "Clawz", "gone", "1500000300.0", "[deleted]", "t3_p9", "t1_c4", "t3_p9", "2", "r/pics"],
            ["t1_c5", "Stranger", "hey", "1500000400.5", "Poster", "t3_p1", "t1_c5", "t3_p1", "x", "r/news"],
        ],
    )
    submissions = (
        SUBMISSION_HEADER.encode() + b"\r\nPoster,1499999000.0,t3_p1,3,10,,r/news,Big news,http://example.org/a\r\n"
    )
    return (
        seed,
        MemoryEntry("users.csv", profiles),
        MemoryEntry("comments.csv", comments),
        MemoryEntry("submissions.csv", submissions),
    )


def test_reddit_by_hand(reddit_entries):
    result = read_entries(*reversed(reddit_entries))
    check_schema(result)
    assert (result.source_format, result.platform) == ("reddit_2018", "reddit")
    users = result.users.to_pylist()
    assert [u["userid"] for u in users] == ["clawz", "quiet_one", "poster", "stranger"]
    assert [u["user_screen_name"] for u in users] == ["Clawz", "Quiet_One", "Poster", "Stranger"]
    assert [u["in_seed_list"] for u in users] == [True, True, True, False]
    assert [u["karma"] for u in users] == [12, 5, 3, None]
    assert [u["comment_karma"] for u in users] == [10, None, -1, None]
    assert users[0]["account_creation_date"] == dt.date(2015, 9, 16)
    assert {u["follower_count"] for u in users} == {None}

    posts = result.tweets.to_pylist()
    assert [p["tweetid"] for p in posts] == ["t3_p1", "t1_c1", "t1_c2", "t1_c3", "t1_c4", "t1_c5"]
    assert [p["user_screen_name"] for p in posts] == ["Poster", "clawz", "Poster", "Clawz", "Clawz", "Stranger"]
    assert [p["userid"] for p in posts] == ["poster", "clawz", "poster", "clawz", "clawz", "stranger"]
    assert [p["in_reply_to_tweetid"] for p in posts] == [None, "t3_p1", "t1_c1", "t1_zzz", "t3_p9", "t3_p1"]
    assert [p["in_reply_to_userid"] for p in posts] == [None, "poster", "clawz", None, None, "poster"]
    assert posts[0]["tweet_text"] == "Big news" and posts[0]["urls"] == ["http://example.org/a"]
    assert posts[1]["tweet_time"] == dt.datetime(2017, 7, 14, 2, 40, tzinfo=UTC)
    assert [p["post_kind"] for p in posts] == ["submission"] + ["comment"] * 5
    assert [p["score"] for p in posts] == [10, 5, 1, 0, 2, None]
    assert {p["is_retweet"] for p in posts} == {False}
    assert issues_of(result) == [
        ("comments.csv", 7, "score", "set to null", "x"),
        ("seed.csv", 2, "userid", "duplicate dropped", "clawz"),
    ]
    assert {f["file"]: f["rows"] for f in result.files} == {
        "seed.csv": 3, "users.csv": 2, "comments.csv": 5, "submissions.csv": 1
    }  # fmt: skip
    notes = " ".join(result.notes)
    assert "lower-cased" in notes and "(1 are not" in notes and "(1 of them deleted" in notes


def test_reddit_archive_gives_the_reply_edges(reddit_entries):
    archive = archive_of(read_entries(*reddit_entries))
    edges = td.edges.replies(archive)
    assert edges["source"].tolist() == ["clawz", "poster", "clawz", "clawz", "stranger"]
    assert edges["target"].fillna("?").tolist() == ["poster", "clawz", "?", "?", "poster"]
    assert edges["target_in_archive"].fillna(False).tolist() == [True, True, False, False, True]
    assert td.edges.aggregate(edges)["weight"].tolist() == [1, 1, 1]
    assert td.measures.follower_summary(archive).loc["all accounts", "accounts"] == 4


# --- API collections -------------------------------------------------------------------------


def v2_user(uid, name, followers=10):
    return {
        "id": uid, "username": name, "name": name.title(), "created_at": "2015-01-01T00:00:00.000Z",
        "description": "", "location": "Paris", "profile_image_url": "https://x.org/i.png", "protected": False,
        "verified": False, "url": "",
        "public_metrics": {"followers_count": followers, "following_count": 5, "tweet_count": 100, "listed_count": 0},
    }  # fmt: skip


def v2_tweet(tid, author, text, created, refs=(), reply_to=None, mentions=()):
    tweet = {
        "id": tid, "text": text, "author_id": author, "created_at": created, "conversation_id": tid, "lang": "en",
        "possibly_sensitive": False, "source": "Twitter Web App", "edit_history_tweet_ids": [tid],
        "public_metrics": {"retweet_count": 1, "reply_count": 2, "like_count": 3, "quote_count": 4},
    }  # fmt: skip
    if refs:
        tweet["referenced_tweets"] = [{"type": kind, "id": ident} for kind, ident in refs]
    if reply_to:
        tweet["in_reply_to_user_id"] = reply_to
    if mentions:
        tweet["entities"] = {"mentions": [{"start": 0, "end": 5, "username": n, "id": i} for i, n in mentions]}
    return tweet


ORIGINAL, RETWEET, REPLY, FLAT, QUOTE = (f"14000000000000000{i:02d}" for i in range(1, 6))


@pytest.fixture
def twarc_entries():
    original = v2_tweet(ORIGINAL, "11", "original &amp; more", "2021-06-01T10:00:00.000Z")
    retweet = v2_tweet(RETWEET, "22", "RT @alice: original &amp;", "2021-06-01T11:00:00.000Z",
                       refs=[("retweeted", ORIGINAL)], mentions=[("11", "alice")])  # fmt: skip
    reply = v2_tweet(REPLY, "22", "@alice hi", "2021-06-01T12:00:00.000Z", refs=[("replied_to", ORIGINAL)],
                     reply_to="11", mentions=[("11", "alice")])  # fmt: skip
    # The retweeted tweet is missing from includes: its account comes from the mention after "RT @".
    lost = v2_tweet("1400000000000000009", "22", "RT @Carol: gone", "2021-06-01T13:00:00.000Z",
                    refs=[("retweeted", "1399999999999999990")], mentions=[("33", "carol"), ("11", "alice")])  # fmt: skip
    page = {
        "data": [retweet, reply, lost],
        "includes": {"users": [v2_user("22", "bob", followers=7), v2_user("11", "alice")], "tweets": [original]},
        "meta": {"result_count": 3},
        "__twarc": {"url": "https://api.twitter.com/2/tweets/search/all", "version": "2.14.0"},
    }
    flat = v2_tweet(FLAT, "22", "RT @carol: yo", "2021-06-02T11:00:00.000Z", mentions=[("33", "carol")])
    flat["author"] = v2_user("22", "bob", followers=9)
    retweeted = {
        **v2_tweet("1399999999999999999", "33", "yo", "2021-05-01T00:00:00.000Z"),
        "author": v2_user("33", "carol"),
    }
    flat["referenced_tweets"] = [{"type": "retweeted", **retweeted}]
    flat["__twarc"] = {"url": "x"}
    lines = [json.dumps(page), "", json.dumps(flat), "{not json", json.dumps({"errors": [{"detail": "x"}]})]
    second = json.dumps({"data": [retweet], "includes": {"users": [v2_user("22", "bob")], "tweets": [original]}})
    return (
        MemoryEntry("search.jsonl", ("\n".join(lines) + "\n").encode()),
        MemoryEntry("flat.jsonl", (json.dumps(flat) + "\n" + second + "\n").encode()),
    )


def test_twarc2_pages_and_flattened_tweets(twarc_entries):
    result = read_entries(*twarc_entries)
    check_schema(result)
    assert result.source_format == "twarc2"
    tweets = result.tweets.to_pylist()
    assert [t["tweetid"] for t in tweets] == [RETWEET, REPLY, "1400000000000000009", FLAT]
    assert [t["userid"] for t in tweets] == ["22"] * 4
    assert [t["is_retweet"] for t in tweets] == [True, False, True, True]
    assert [t["retweet_tweetid"] for t in tweets] == [ORIGINAL, None, "1399999999999999990", "1399999999999999999"]
    assert [t["retweet_userid"] for t in tweets] == ["11", None, "33", "33"]
    assert [t["retweet_screen_name"] for t in tweets] == ["alice", None, "Carol", "carol"]
    assert (tweets[1]["in_reply_to_userid"], tweets[1]["in_reply_to_tweetid"]) == ("11", ORIGINAL)
    assert tweets[1]["tweet_text"] == "@alice hi" and tweets[0]["tweet_text"] == "RT @alice: original & more"
    assert tweets[2]["user_mentions"] == ["11", "33"]  # twitwi sorts them by handle
    assert tweets[0]["tweet_time"] == dt.datetime(2021, 6, 1, 11, tzinfo=UTC)
    assert (tweets[0]["like_count"], tweets[1]["like_count"], tweets[1]["quote_count"]) == (0, 3, 4)
    assert [t["followers"] for t in tweets] == [7, 7, 7, 9]
    users = result.users.to_pylist()
    assert [(u["userid"], u["user_screen_name"], u["follower_count"]) for u in users] == [("22", "bob", 9)]
    assert users[0]["account_creation_date"] == dt.date(2015, 1, 1)
    # The second file's page lacks the retweeted tweet's author: the retweet is still read (then dropped as a copy).
    assert any("read without it" in note for note in result.notes)
    found = sorted((i["file"], i["line"], i["action"]) for i in result.issues.to_pylist())
    assert found == [
        ("flat.jsonl", 1, "duplicate dropped"),
        ("flat.jsonl", 2, "duplicate dropped"),
        ("search.jsonl", 4, "row rejected"),
        ("search.jsonl", 5, "row rejected"),
    ]


def v1_user(uid, name, followers=10):
    return {
        "id": int(uid), "id_str": uid, "name": name.title(), "screen_name": name, "location": "Rome",
        "description": "bio", "url": None, "followers_count": followers, "friends_count": 3, "listed_count": 0,
        "favourites_count": 1, "statuses_count": 50, "created_at": "Wed Jan 07 04:38:02 +0000 2009",
        "verified": False, "lang": "en", "profile_image_url_https": "https://x.org/i.png",
    }  # fmt: skip


def v1_tweet(tid, user, text, created, *, mentions=(), reply=None, retweeted=None, quoted=None):
    tweet = {
        "created_at": created, "id": int(tid), "id_str": tid, "full_text": text, "truncated": False,
        "source": '<a href="http://twitter.com/download/android" rel="nofollow">Twitter for Android</a>',
        "in_reply_to_status_id_str": None, "in_reply_to_user_id_str": None, "in_reply_to_screen_name": None,
        "user": user, "coordinates": None, "place": None, "retweet_count": 2, "favorite_count": 5, "lang": "it",
        "entities": {"hashtags": [], "urls": [],
                     "user_mentions": [{"screen_name": n, "id_str": i, "id": int(i)} for i, n in mentions]},
    }  # fmt: skip
    if reply:
        tweet.update(
            in_reply_to_status_id_str=reply[0], in_reply_to_user_id_str=reply[1], in_reply_to_screen_name=reply[2]
        )
    if retweeted:
        tweet["retweeted_status"] = retweeted
    if quoted:
        tweet.update(quoted_status=quoted, quoted_status_id_str=quoted["id_str"], is_quote_status=True)
    return tweet


def test_api_v1_lines():
    alice, bob = v1_user("11", "alice"), v1_user("22", "bob", followers=4)
    ids = [f"11000000000000000{i:02d}" for i in range(1, 5)]
    original = v1_tweet(ids[0], alice, "hello &lt;3", "Mon Jan 07 10:00:00 +0000 2019")
    retweet = v1_tweet(ids[1], bob, "RT @alice: hello &lt;3", "Mon Jan 07 11:00:00 +0000 2019",
                       mentions=[("11", "alice")], retweeted=original)  # fmt: skip
    reply = v1_tweet(ids[2], {**bob, "followers_count": 6}, "@alice yes", "Mon Jan 07 12:00:00 +0000 2019",
                     mentions=[("11", "alice")], reply=(ids[0], "11", "alice"))  # fmt: skip
    quote = v1_tweet(ids[3], bob, "look", "Mon Jan 07 13:00:00 +0000 2019", quoted=original)
    lines = [original, retweet, reply, quote, {"delete": {"status": {"id_str": "1"}}}, {"id_str": "5", "user": {}}]
    result = read_entries(MemoryEntry("stream.jsonl", "\n".join(map(json.dumps, lines)).encode()))
    check_schema(result)
    assert result.source_format == "twitter_v1"
    tweets = result.tweets.to_pylist()
    assert [t["tweetid"] for t in tweets] == ids
    assert [t["retweet_userid"] for t in tweets] == [None, "11", None, None]
    assert [t["retweet_tweetid"] for t in tweets] == [None, ids[0], None, None]
    assert [t["in_reply_to_userid"] for t in tweets] == [None, None, "11", None]
    assert [t["in_reply_to_tweetid"] for t in tweets] == [None, None, ids[0], None]
    assert [t["quoted_tweet_tweetid"] for t in tweets] == [None, None, None, ids[0]]
    assert tweets[3]["quoted_screen_name"] == "alice" and tweets[3]["tweet_text"] == "look"
    assert [t["user_mentions"] for t in tweets] == [[], ["11"], ["11"], []]
    assert tweets[0]["tweet_text"] == "hello <3" and tweets[0]["tweet_client_name"] == "Twitter for Android"
    assert (tweets[0]["account_language"], tweets[0]["tweet_language"]) == ("en", "it")
    users = {u["userid"]: u for u in result.users.to_pylist()}
    assert users["22"]["follower_count"] == 4  # the latest tweet's profile (the quote)
    assert users["11"]["account_creation_date"] == dt.date(2009, 1, 7)
    rejected = sorted((i["line"], i["reason"][:30]) for i in result.issues.to_pylist())
    assert [line for line, _ in rejected] == [5, 6]
    archive = archive_of(result)
    assert td.edges.retweets(archive)["target"].tolist() == ["11"]
    assert td.edges.replies(archive)["target"].tolist() == ["11"]
    assert td.edges.mentions(archive)["target"].tolist() == ["11"]


# --- the real samples ------------------------------------------------------------------------


@pytest.fixture
def real_fivethirtyeight() -> Path:
    if not FIVETHIRTYEIGHT.is_file():
        pytest.skip(f"the FiveThirtyEight IRA sample is not at {FIVETHIRTYEIGHT} (see data/README.md)")
    return FIVETHIRTYEIGHT


@pytest.fixture
def real_reddit() -> Path:
    if not (REDDIT / "seed.csv").is_file():
        pytest.skip(f"the Reddit 2018 sample is not at {REDDIT} (see data/README.md)")
    return REDDIT


def csv_records(path: Path, *, header=True) -> list[tuple[int, dict | list]]:
    """(start line, record) by Python's csv module: the independent pass."""
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        names = next(reader) if header else None
        out, previous = [], reader.line_num
        for record in reader:
            out.append((previous + 1, dict(zip(names, record)) if names else record))
            previous = reader.line_num
    return out


@pytest.mark.real
def test_real_fivethirtyeight_against_the_csv_module(real_fivethirtyeight):
    records = csv_records(real_fivethirtyeight)
    result = read_entries(PathEntry(real_fivethirtyeight))
    check_schema(result)
    tweets = result.tweets.to_pylist()
    assert len(tweets) == len(records) == 417
    assert [t["tweetid"] for t in tweets] == [r["tweet_id"] for _, r in records]  # byte for byte
    assert [t["userid"] for t in tweets] == [r["alt_external_id"] for _, r in records]
    assert result.users.num_rows == len({r["alt_external_id"] for _, r in records}) == 6
    assert [t["tweet_time"] for t in tweets] == [
        dt.datetime.strptime(r["publish_date"], "%m/%d/%Y %H:%M").replace(tzinfo=UTC) for _, r in records
    ]
    status = re.compile(r"^https?://(?:www\.|mobile\.)?twitter\.com/(\w+)/status(?:es)?/(\d+)")
    expected_targets = []
    for _, r in records:
        target = None
        if r["post_type"] == "RETWEET":
            for link in (r["tco1_step1"], r["tco2_step1"], r["tco3_step1"]):
                found = status.match(link)
                if found and int(found[2]) < int(r["tweet_id"]):
                    target = (found[1], found[2])
                    break
        expected_targets.append(target)
    got = [(t["retweet_screen_name"], t["retweet_tweetid"]) if t["retweet_tweetid"] else None for t in tweets]
    assert got == expected_targets
    assert sum(t is not None for t in expected_targets) == 150
    assert sum(t["is_retweet"] for t in tweets) == sum(r["post_type"] == "RETWEET" for _, r in records) == 321
    # Latest follower count per account, by publish date.
    latest = {}

    def when(record):
        return tuple(dt.datetime.strptime(record[1][c], "%m/%d/%Y %H:%M") for c in ("publish_date", "harvested_date"))

    for _, r in sorted(records, key=when):
        latest[r["alt_external_id"]] = int(r["followers"])
    assert {u["userid"]: u["follower_count"] for u in result.users.to_pylist()} == latest
    # Every external_author_id that differs from alt_external_id is recorded, at its line.
    damaged = [
        (line, r["external_author_id"]) for line, r in records if r["external_author_id"] != r["alt_external_id"]
    ]
    recorded = [(i["line"], i["value"]) for i in result.issues.to_pylist() if i["column"] == "external_author_id"]
    assert sorted(recorded) == sorted(damaged) and len(damaged) == 408


@pytest.mark.real
def test_real_fivethirtyeight_archive(real_fivethirtyeight):
    archive = td.read_archive(real_fivethirtyeight.parent, cache=False)
    assert archive.provenance.source_format == "fivethirtyeight" and archive.provenance.platform == "twitter"
    edges = td.edges.retweets(archive)
    assert len(edges) == 321 and edges["retweet_tweetid"].notna().sum() == 150
    # The retweeted handle from the links, compared without case: the targets of the 150 that have one.
    resolved = edges[edges["resolved_by"] == "retweet_screen_name"]
    assert len(resolved) == 150 and resolved["target"].str.startswith("@").all()
    assert (resolved["target"] == resolved["target"].str.lower()).all()
    assert (edges["delay"].dropna() > 0).all() and edges["original_time"].notna().sum() == 150
    summary = td.measures.follower_summary(archive)
    assert summary.loc["all accounts", "accounts"] == 6


@pytest.mark.real
def test_real_reddit_against_the_csv_module(real_reddit):
    seed = csv_records(real_reddit / "seed.csv", header=False)
    profiles = csv_records(real_reddit / "users_sample.csv")
    comments = csv_records(real_reddit / "comments_sample.csv")
    result = read_entries(
        *(PathEntry(real_reddit / n) for n in ("seed.csv", "users_sample.csv", "comments_sample.csv"))
    )
    check_schema(result)
    listed = {r[0].lower() for _, r in seed}
    authors = {r["author.name"].lower() for _, r in comments}
    assert result.users.num_rows == len(listed | authors | {r["name"].lower() for _, r in profiles}) == 941
    assert sum(result.users["in_seed_list"].to_pylist()) == len(listed)
    posts = result.tweets.to_pylist()
    assert [p["tweetid"] for p in posts] == [r["name"] for _, r in comments]
    assert [p["user_screen_name"] for p in posts] == [r["author.name"] for _, r in comments]
    assert [p["tweet_text"] for p in posts] == [r["body"] or None for _, r in comments]
    assert [p["tweet_time"].timestamp() for p in posts] == [float(int(float(r["created_utc"]))) for _, r in comments]
    expected = [
        r["link_author"].lower() if r["parent_id"].startswith("t3_") and r["link_author"] != "[deleted]" else None
        for _, r in comments
    ]
    assert [p["in_reply_to_userid"] for p in posts] == expected
    # Names that differ only in case are one account.
    duplicates = [(line, r[0].lower()) for line, r in seed]
    seen, dropped = set(), []
    for line, name in duplicates:
        if name in seen:
            dropped.append((line, name))
        seen.add(name)
    recorded = [(i["line"], i["value"]) for i in result.issues.to_pylist() if i["action"] == "duplicate dropped"]
    assert recorded == dropped and len(dropped) == 3
    # Bodies with newlines: the parser's start lines are the csv module's.
    parsed = read_csv(PathEntry(real_reddit / "comments_sample.csv"), issues=IssueLog())
    assert parsed.lines.tolist() == [line for line, _ in comments]
    assert parsed.lines[-1] > len(comments)


@pytest.mark.real
def test_real_reddit_archive(real_reddit):
    archive = td.read_archive(real_reddit, cache=False)
    assert (archive.provenance.source_format, archive.provenance.platform) == ("reddit_2018", "reddit")
    edges = td.edges.replies(archive)
    assert len(edges) == 336
    assert (edges["resolved_by"] == "in_reply_to_userid").sum() == 208
    assert td.measures.follower_summary(archive).loc["all accounts", "accounts"] == 941


def test_lists_in_json_and_python_spellings():
    cells = ['["a", "b, c"]', "[]", "", '["it\\"s"]', "['py', 'list']", "[443196382, 12]", "oops", '[ "sp" , "é" ]']
    data = csv_text(["user_key", "text", "hashtags"], [["k", "t", cell] for cell in cells])
    result = read_entries(MemoryEntry("tweets.csv", data))
    assert result.tweets["hashtags"].to_pylist() == [
        ["a", "b, c"], [], [], ['it"s'], ["py", "list"], ["443196382", "12"], None, ["sp", "é"]
    ]  # fmt: skip
    assert [(i["line"], i["column"], i["value"]) for i in result.issues.to_pylist()] == [(8, "hashtags", "oops")]
