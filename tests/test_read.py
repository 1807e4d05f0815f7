"""read_archive on hand-built releases: types, values, provenance, and every kind of bad input."""

import datetime as dt
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import takedown as td
from takedown.schema import TWEETS, USERS

from .conftest import HASH_A, HASH_B, USER_HEADER, csv_bytes, tweet, user, write_release


def read(source, **kwargs):
    return td.read_archive(source, cache=False, **kwargs)


# --- types and values -------------------------------------------------------


def test_small_release_counts_and_schema(small_release):
    archive = read(small_release)
    assert archive.name == "demo_012020"
    assert (len(archive.users), len(archive.tweets)) == (5, 12)
    assert list(archive.users.columns) == [c.name for c in USERS]
    assert list(archive.tweets.columns) == [c.name for c in TWEETS]
    for c in TWEETS:
        assert archive.tweets[c.name].dtype == pd.ArrowDtype(c.arrow_type), c.name
    assert archive.provenance.release_format == "2020"
    assert archive.provenance.issues.empty


def test_ids_are_exact_strings(small_release):
    tweets = read(small_release).tweets
    assert tweets["tweetid"].iloc[0] == "1196659470232772609"
    # 1196659470232772609 is not representable as a float: a float read gives ...2608.
    assert int(float("1196659470232772609")) != 1196659470232772609
    assert tweets.loc[3, "retweet_userid"] == HASH_A
    assert tweets.loc[3, "retweet_tweetid"] == "1196659470232772609"
    assert tweets.loc[5, "in_reply_to_userid"] == "20586159"
    assert pd.isna(tweets.loc[0, "retweet_userid"])


def test_times_dates_counts_booleans(small_release):
    archive = read(small_release)
    tweets, users = archive.tweets, archive.users
    assert tweets.loc[0, "tweet_time"] == pd.Timestamp("2019-11-19 05:20", tz="UTC")
    assert tweets.loc[7, "tweet_time"] == pd.Timestamp("2020-03-02 23:59", tz="UTC")
    assert users.loc[3, "account_creation_date"] == dt.date(2015, 10, 29)
    assert tweets["is_retweet"].tolist() == [
        False,
        True,
        False,
        True,
        False,
        False,
        False,
        False,
        True,
        False,
        False,
        True,
    ]
    assert tweets.loc[4, ["like_count", "retweet_count", "reply_count", "quote_count"]].tolist() == [5, 2, 1, 1]
    assert users["follower_count"].tolist() == [0, 17, 23949, 2, 0]
    assert users.loc[0, "account_language"] == "zh-cn"


def test_text_kept_with_newlines_and_quotes(small_release):
    archive = read(small_release)
    assert archive.tweets.loc[2, "tweet_text"] == "first\nsecond\nthird"
    assert archive.tweets.loc[10, "tweet_text"] == "say \"hi\", then 'bye'"
    assert archive.users.loc[1, "user_profile_description"] == "line one\nline two"
    assert archive.users.loc[2, "user_display_name"] == "牛小牛"
    assert archive.tweets["latitude"].unique().tolist() == ["absent"]


def test_list_columns(small_release):
    tweets = read(small_release).tweets
    assert tweets.loc[0, "urls"] == ["https://a.example/x?a=1,2"]
    assert tweets.loc[2, "hashtags"] == ["ทหาร", "อนาคตใหม่"]
    assert tweets.loc[6, "hashtags"] == ["it's"]
    assert tweets.loc[7, "user_mentions"] == ["443196382", "998815271551827968"]
    assert tweets.loc[9, "hashtags"] == []  # empty cell
    assert tweets["poll_choices"].isna().all()  # the 2020 format has no poll_choices


def test_2019_format_keeps_poll_choices(tmp_path):
    rows = [tweet(poll_choices="['yes', 'no, never']"), tweet("2", poll_choices="[]")]
    archive = read(write_release(tmp_path / "r", [user()], rows, release_format="2019"))
    assert archive.provenance.release_format == "2019"
    assert archive.tweets["poll_choices"].tolist()[0] == ["yes", "no, never"]


def test_2018_column_order_is_read_by_name(tmp_path):
    rows = [tweet(in_reply_to_userid="42", in_reply_to_tweetid="1234567890123456789")]
    archive = read(write_release(tmp_path / "r", [user()], rows, release_format="2018"))
    assert archive.provenance.release_format == "2018"
    assert archive.tweets.loc[0, ["in_reply_to_userid", "in_reply_to_tweetid"]].tolist() == [
        "42",
        "1234567890123456789",
    ]


@pytest.mark.parametrize(
    ("spelling", "value"), [("true", True), ("False", False), ("TRUE", True), ("1", True), ("0", False)]
)
def test_is_retweet_spellings(tmp_path, spelling, value):
    archive = read(write_release(tmp_path / "r", [user()], [tweet(is_retweet=spelling)]))
    assert archive.tweets.loc[0, "is_retweet"] is value or archive.tweets.loc[0, "is_retweet"] == value
    assert archive.provenance.issues.empty


def test_crlf_line_endings(tmp_path):
    folder = tmp_path / "r"
    folder.mkdir()
    header = list(td.schema.RELEASE_FORMATS["2020"])
    data = csv_bytes(header, [[tweet(tweet_text="a\r\nb")[c] for c in header]], newline="\r\n")
    (folder / "x_tweets_csv_hashed.csv").write_bytes(data)
    archive = read(folder)
    assert archive.tweets.loc[0, "tweet_text"] == "a\r\nb"
    assert archive.tweets.loc[0, "tweetid"] == "1196659470232772609"


def test_users_derived_from_tweets(tmp_path):
    rows = [
        tweet("1", HASH_A, follower_count="1", tweet_time="2020-01-01 00:00"),
        tweet("2", HASH_A, follower_count="5", tweet_time="2020-01-02 00:00"),
        tweet("3", HASH_B, follower_count="7"),
    ]
    archive = read(write_release(tmp_path / "r", None, rows))
    assert archive.provenance.users_derived
    assert any("derived" in note for note in archive.provenance.notes)
    users = archive.users.set_index("userid")
    assert users.loc[HASH_A, "follower_count"] == 5  # as of the latest tweet
    assert users.loc[HASH_B, "follower_count"] == 7
    assert list(archive.users.columns) == USER_HEADER


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b", "c", None]), st.one_of(st.none(), st.integers(-(2**40), 2**40))),
        max_size=40,
    )
)
def test_latest_rows_match_a_plain_reading(rows):
    from takedown.read.users import latest_rows

    userids = pa.array([u for u, _ in rows], pa.string())
    times = pa.array([t for _, t in rows], pa.int64()).cast(pa.timestamp("s", tz="UTC"))
    # Accounts in order of first appearance; for each, its latest row (a null time counts as earliest),
    # and the first of equally late rows.
    expected = {}
    for i, (userid, seconds) in enumerate(rows):
        if userid is None:
            continue
        key = -(2**63) if seconds is None else seconds
        if userid not in expected or key > expected[userid][0]:
            expected[userid] = (key, i)
    assert latest_rows(userids, times).tolist() == [i for _, i in expected.values()]


@pytest.mark.parametrize("users_file", [True, False])
def test_a_first_read_of_a_clean_release_never_loads_pandas(tmp_path, users_file):
    # pyarrow imports pandas (a third of a second) at its first conversion of Python values; the
    # reader keeps clear of them, so `takedown info` on a first read does not pay for it.
    rows = [
        tweet("1", HASH_A, hashtags="['a', 'b']", is_retweet="true", tweet_text="two\nlines"),
        tweet("2", HASH_B, user_mentions="[443196382]", tweet_time="2019-11-20 05:20"),
        tweet("3", HASH_A, urls="['https://example.com']", like_count="7"),
    ]
    folder = write_release(tmp_path / "r", [user(), user(HASH_B)] if users_file else None, rows)
    script = (
        "import runpy, sys\n"
        f"sys.argv = ['takedown', 'info', {str(folder)!r}]\n"
        "runpy.run_module('takedown', run_name='__main__')\n"
        "print('pandas loaded' if 'pandas' in sys.modules else 'pandas not loaded')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert "tweets    3" in done.stdout and "cache     written" in done.stdout
    assert done.stdout.rstrip().endswith("pandas not loaded")


def test_users_only_release_has_empty_tweets(tmp_path):
    archive = read(write_release(tmp_path / "r", [user(), user(HASH_B)], None))
    assert len(archive.users) == 2 and len(archive.tweets) == 0
    assert list(archive.tweets.columns) == [c.name for c in TWEETS]
    assert archive.provenance.release_format == "none"


def test_parts_are_concatenated_in_order(tmp_path):
    rows = [tweet(str(1000 + i)) for i in range(9)]
    archive = read(write_release(tmp_path / "r", [user()], rows, tweet_parts=["_1", "_2", "_3"]))
    assert len(archive.tweets) == 9
    assert [f.part for f in archive.provenance.files] == [None, "1", "2", "3"]
    assert archive.tweets["tweetid"].tolist()[:3] == ["1000", "1003", "1006"]


def test_duplicate_tweet_ids_across_parts_are_recorded(tmp_path):
    folder = write_release(tmp_path / "r", [user()], [tweet("1"), tweet("2")], tweet_parts=["_part1", "_part2"])
    header = list(td.schema.RELEASE_FORMATS["2020"])
    (folder / "demo_012020_tweets_csv_hashed_part2.csv").write_bytes(
        csv_bytes(header, [[tweet("2")[c] for c in header], [tweet("1", tweet_text="x\ny")[c] for c in header]])
    )
    archive = read(folder)
    assert archive.tweets["tweetid"].tolist() == ["1", "2"]
    dropped = archive.provenance.issues
    assert dropped["action"].tolist() == ["duplicate dropped"]
    assert dropped.loc[0, "value"] == "1" and dropped.loc[0, "line"] == 3 and dropped.loc[0, "row"] == 2
    assert dropped.loc[0, "file"].endswith("_part2.csv")
    assert "first seen in" in dropped.loc[0, "reason"] and "_part1.csv line 2" in dropped.loc[0, "reason"]


def test_extra_columns_are_kept(tmp_path):
    folder = tmp_path / "r"
    folder.mkdir()
    header = [*td.schema.RELEASE_FORMATS["2020"], "annotator_note"]
    row = {**tweet(), "annotator_note": "checked"}
    (folder / "x_tweets_csv_hashed.csv").write_bytes(csv_bytes(header, [[row[c] for c in header]]))
    archive = read(folder)
    assert archive.tweets.loc[0, "annotator_note"] == "checked"
    assert any("annotator_note" in note for note in archive.provenance.notes)


def test_no_function_mutates_the_tables(small_release):
    archive = read(small_release)
    before = archive.tweets.copy(deep=True), archive.users.copy(deep=True)
    archive.subset([HASH_A])
    _ = archive.retweets
    repr(archive)
    pd.testing.assert_frame_equal(archive.tweets, before[0])
    pd.testing.assert_frame_equal(archive.users, before[1])


# --- bad cells: recorded with file, line and column ------------------------------


def test_bad_cells_are_nulled_and_recorded_with_lines(tmp_path):
    rows = [
        tweet("1", tweet_text="spans\ntwo lines"),
        tweet("2", like_count="many"),
        tweet("3", tweet_time="yesterday", tweet_text="a\nb\nc"),
        tweet("4", is_retweet="maybe"),
        tweet("5", hashtags="['broken"),
        tweet("6", account_creation_date="2019-13-45"),
        tweet("7", userid="1.19665947023277e+18"),
    ]
    archive = read(write_release(tmp_path / "r", [user()], rows))
    issues = archive.provenance.issues.set_index("column")
    # line 1 is the header; tweet 1 starts on line 2 and spans two lines.
    assert issues.loc["like_count", "line"] == 4 and issues.loc["like_count", "value"] == "many"
    assert issues.loc["tweet_time", "line"] == 5 and issues.loc["tweet_time", "row"] == 3
    assert issues.loc["is_retweet", "line"] == 8
    assert issues.loc["hashtags", "line"] == 9 and issues.loc["hashtags", "action"] == "set to null"
    assert issues.loc["account_creation_date", "line"] == 10
    assert issues.loc["userid", "action"] == "kept" and "float" in issues.loc["userid", "reason"]
    tweets = archive.tweets
    assert pd.isna(tweets.loc[1, "like_count"]) and pd.isna(tweets.loc[2, "tweet_time"])
    assert (
        pd.isna(tweets.loc[3, "is_retweet"]) and tweets.loc[4, "hashtags"] is None or pd.isna(tweets.loc[4, "hashtags"])
    )
    assert tweets.loc[6, "userid"] == "1.19665947023277e+18"  # kept exactly as written
    assert set(issues["file"]) == {str(tmp_path / "r" / "demo_012020_tweets_csv_hashed.csv")}


def test_times_with_seconds_are_read(tmp_path):
    archive = read(write_release(tmp_path / "r", [user()], [tweet(tweet_time="2019-11-19 05:20:33")]))
    assert archive.tweets.loc[0, "tweet_time"] == pd.Timestamp("2019-11-19 05:20:33", tz="UTC")


def test_row_with_wrong_field_count_is_rejected_with_its_line(tmp_path):
    folder = write_release(tmp_path / "r", [user(), user(HASH_B)], [tweet()])
    path = folder / "demo_012020_users_csv_hashed.csv"
    lines = path.read_bytes().split(b"\n")
    lines.insert(2, b'"short","row","with\nnewline"')
    path.write_bytes(b"\n".join(lines))
    archive = read(folder)
    assert archive.users["userid"].tolist() == [HASH_A, HASH_B]
    rejected = archive.provenance.rejected
    assert len(rejected) == 1
    assert rejected.iloc[0]["line"] == 3
    assert "3 fields" in rejected.iloc[0]["reason"] and "10" in rejected.iloc[0]["reason"]
    assert rejected.iloc[0]["value"] == '"short","row","with\nnewline"'  # the text as written
    # Its first fields are not shaped like an account id and name: it holds no record of its own.
    assert (rejected.iloc[0]["line_end"], rejected.iloc[0]["records"]) == (4, 0)
    assert "does not begin like a record" in rejected.iloc[0]["reason"]


# --- bad files: clear errors ---------------------------------------------------


def test_missing_id_column(tmp_path):
    folder = tmp_path / "r"
    folder.mkdir()
    header = [c for c in td.schema.RELEASE_FORMATS["2020"] if c != "tweetid"]
    (folder / "x_tweets_csv_hashed.csv").write_bytes(csv_bytes(header, [[tweet()[c] for c in header]]))
    with pytest.raises(ValueError, match=r"x_tweets_csv_hashed\.csv, line 1: missing required column 'tweetid'"):
        read(folder)


def test_a_column_asked_for_is_required(tmp_path):
    folder = tmp_path / "r"
    folder.mkdir()
    header = [c for c in td.schema.RELEASE_FORMATS["2020"] if c != "tweet_time"]
    (folder / "x_tweets_csv_hashed.csv").write_bytes(csv_bytes(header, [[tweet()[c] for c in header]]))
    with pytest.raises(ValueError, match=r"x_tweets_csv_hashed\.csv, line 1: missing required column 'tweet_time'"):
        td.read_archive(folder, cache=False, columns=["tweet_time"])
    archive = read(folder)  # without columns=, only the ids are required
    assert archive.tweets["tweet_time"].isna().all()
    assert any("absent from the file, left null: tweet_time" in note for note in archive.provenance.notes)


def test_empty_file(tmp_path):
    (tmp_path / "x_tweets_csv_hashed.csv").write_bytes(b"")
    with pytest.raises(ValueError, match=r"x_tweets_csv_hashed\.csv: the file is empty"):
        read(tmp_path / "x_tweets_csv_hashed.csv")


def test_header_only_file_gives_no_rows(tmp_path):
    (tmp_path / "x_users_csv_hashed.csv").write_bytes(csv_bytes(USER_HEADER, []))
    archive = read(tmp_path / "x_users_csv_hashed.csv")
    assert len(archive.users) == 0 and archive.users["follower_count"].dtype == pd.ArrowDtype(pa.int64())


def test_undecodable_bytes_name_line_and_column(tmp_path):
    folder = write_release(tmp_path / "r", [user(), user(HASH_B, user_profile_description="caf\u00e9\nbar")], [tweet()])
    path = folder / "demo_012020_users_csv_hashed.csv"
    path.write_bytes(path.read_bytes().replace("caf\u00e9".encode(), b"caf\xe9"))
    with pytest.raises(
        ValueError, match=r"users_csv_hashed\.csv, line 3, column 'user_profile_description': byte 0xe9"
    ):
        read(folder)


def test_truncated_zip(tmp_path):
    folder = write_release(tmp_path / "r", [user()], [tweet(str(i)) for i in range(2000)], zipped=True)
    path = folder / "demo_012020_tweets_csv_hashed.zip"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(ValueError, match=r"demo_012020_tweets_csv_hashed\.zip: not a readable zip"):
        read(folder)


def test_corrupt_zip_member(tmp_path):
    folder = write_release(
        tmp_path / "r", [user()], [tweet(str(i), tweet_text=f"text {i}") for i in range(3000)], zipped=True
    )
    path = folder / "demo_012020_tweets_csv_hashed.zip"
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.infolist()[0]
    data[info.header_offset + 30 + len(info.filename) + info.compress_size // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(
        ValueError,
        match=r"tweets_csv_hashed\.zip!demo_012020_tweets_csv_hashed\.csv: the zip archive is truncated or corrupt",
    ):
        read(folder)


def test_not_a_takedown_file(tmp_path):
    (tmp_path / "notes.csv").write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match=r"notes\.csv, line 1: not a takedown users or tweets file"):
        read(tmp_path / "notes.csv")


def test_keyword_only_options(small_release):
    with pytest.raises(TypeError):
        td.read_archive(small_release, "name")  # the second argument must be a keyword


def test_progress_callback_reaches_the_total(small_release):
    seen = []
    read(small_release, progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1][0] == seen[-1][1] > 0


def test_progress_moves_block_by_block_on_a_plain_file(tmp_path, monkeypatch):
    # A terminal asks for progress; a plain file is still read natively (memory-mapped), and the bar
    # moves a block per batch, never past the total, and ends on it.
    from takedown.read import parse

    monkeypatch.setattr(parse, "_BLOCK_SIZE", 1 << 14)
    monkeypatch.setattr(parse, "_Tap", None)  # the stream path, for members of zips, must not be taken
    rows = [tweet(str(1000 + i), tweet_text="x" * 200) for i in range(600)]
    folder = write_release(tmp_path / "r", [user()], rows)
    seen = []
    archive = read(folder, progress=lambda done, total: seen.append((done, total)))
    assert len(archive.tweets) == 600
    done = [d for d, _ in seen]
    assert len(seen) > 5 and done == sorted(done) and all(d <= t for d, t in seen)
    assert seen[-1][0] == seen[-1][1] == sum(path.stat().st_size for path in folder.iterdir())


def test_duplicate_accounts_in_the_users_file(tmp_path):
    archive = read(
        write_release(tmp_path / "r", [user(HASH_A), user(HASH_B), user(HASH_A, follower_count="9")], [tweet()])
    )
    assert archive.users["userid"].tolist() == [HASH_A, HASH_B]
    assert archive.users["follower_count"].tolist() == [0, 0]  # the first row is kept
    (issue,) = archive.provenance.issues.itertuples()
    assert (issue.line, issue.row, issue.column, issue.action) == (4, 3, "userid", "duplicate dropped")


@pytest.mark.parametrize(
    ("ids", "expected"),
    [
        (["1", "2", "1", None, None, "2"], [False, False, True, False, False, True]),
        (["0123", "123", "123"], [False, False, True]),  # leading zeros are different ids
        (["99999999999999999999999", "99999999999999999999999"], [False, True]),  # beyond 64 bits
        ([HASH_A, HASH_B, HASH_A], [False, False, True]),
    ],
)
def test_repeated_ids(tmp_path, ids, expected):
    rows = [tweet(tweetid=i if i is not None else "", tweet_text=str(n)) for n, i in enumerate(ids)]
    archive = read(write_release(tmp_path / "r", [user()], rows))
    kept = [str(n) for n, repeat in enumerate(expected) if not repeat]
    assert archive.tweets["tweet_text"].tolist() == kept
    assert archive.provenance.issues["action"].eq("duplicate dropped").sum() == sum(expected)


# --- property: whatever the text holds, it comes back exactly ----------------

cell_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=60, deadline=None)
@given(
    texts=st.lists(cell_text, min_size=1, max_size=12),
    hashtags=st.lists(st.lists(cell_text, max_size=3), min_size=12, max_size=12),
    follower_counts=st.lists(st.integers(min_value=0, max_value=2**62), min_size=12, max_size=12),
)
def test_any_text_round_trips(texts, hashtags, follower_counts):
    rows = [
        tweet(str(10**18 + i), tweet_text=text, hashtags=repr(hashtags[i]), follower_count=str(follower_counts[i]))
        for i, text in enumerate(texts)
    ]
    with tempfile.TemporaryDirectory() as folder:
        archive = read(write_release(Path(folder) / "r", [user()], rows))
    assert archive.provenance.issues.empty
    assert archive.tweets["tweet_text"].fillna("").tolist() == texts  # empty cells are nulls
    assert archive.tweets["hashtags"].tolist() == hashtags[: len(texts)]
    assert archive.tweets["follower_count"].tolist() == follower_counts[: len(texts)]
    assert archive.tweets["tweetid"].tolist() == [str(10**18 + i) for i in range(len(texts))]


def test_byte_order_mark_is_ignored(tmp_path):
    path = tmp_path / "x_users_csv_hashed.csv"
    path.write_bytes(b"\xef\xbb\xbf" + csv_bytes(USER_HEADER, [list(user().values())]))
    archive = read(path)
    assert list(archive.users.columns) == USER_HEADER and archive.users["userid"].tolist() == [HASH_A]


def test_csv_cut_inside_a_quoted_value_rejects_the_last_row(tmp_path):
    data = csv_bytes(
        USER_HEADER, [list(user().values()), list(user(HASH_B, user_profile_description="long\ntext").values())]
    )
    path = tmp_path / "x_users_csv_hashed.csv"
    path.write_bytes(data[: data.index(b"long") + 2])
    archive = read(path)
    assert archive.users["userid"].tolist() == [HASH_A]
    (issue,) = archive.provenance.issues.itertuples()
    assert (issue.line, issue.action) == (3, "row rejected") and issue.value.endswith("lo")


@given(
    st.lists(
        st.lists(
            st.tuples(
                st.sampled_from(["", " ", '"', '""', "\U0001f600", "\u0e01", "x", ",", "#"]),
                st.sampled_from(["", "1", "123", "1234567890123456789", "12345678901234567890123"]),
                st.sampled_from(["", ",", " text", "\n", "9"]),
            ),
            max_size=4,
        ),
        min_size=1,
        max_size=12,
    )
)
@settings(max_examples=150, deadline=None)
def test_records_swallowed_in_a_value_are_all_found(lines):
    """Only rows with a digit just after a line break are searched: none that a search of every row finds is missed."""
    from takedown.read import parse

    texts = ["start" + "".join("\n" + a + b + c for a, b, c in row) for row in lines]
    batch = pa.RecordBatch.from_arrays(
        [pa.array(["1196659470232772609"] * len(texts)), pa.array(texts)], ["id", "text"]
    )
    shape = parse._Shape()
    shape.update(pa.array(["1196659470232772609", "123456789012345678"]))
    broken: dict = {}
    newlines = parse._newlines_per_row(batch, columns=broken)
    rows, counts = parse._swallowing(batch, newlines, shape, broken)
    pattern = re.compile("\n" + shape.whole(end=r"\Z"))
    expected = {i: len(pattern.findall(t)) for i, t in enumerate(texts) if pattern.search(t)}
    assert dict(zip(rows.tolist(), counts.tolist())) == expected
