"""Users derived from the tweets as they stream past: the same table as from the whole tweets table."""

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

import takedown as td
from takedown.read import users as users_module
from takedown.read.users import LatestUsers, latest_rows
from takedown.schema import TWEETS, USER_COLUMNS_IN_TWEETS, USERS, arrow_schema

from .conftest import HASH_A, HASH_B, csv_bytes, tweet, write_release

rows = st.lists(
    st.tuples(st.sampled_from(["a", "b", "c", "d", None]), st.one_of(st.none(), st.integers(0, 5))),
    max_size=40,
)


def tweets_table(values) -> pa.Table:
    columns = {c.name: pa.nulls(len(values), c.arrow_type) for c in TWEETS}
    columns["userid"] = pa.array([u for u, _ in values], pa.string())
    columns["tweet_time"] = pa.array([t for _, t in values], pa.int64()).cast(pa.timestamp("s", tz="UTC"))
    # Each row says which it is, so a wrong pick shows.
    columns["follower_count"] = pa.array(range(len(values)), pa.int64())
    return pa.table(columns, schema=arrow_schema(TWEETS))


@settings(max_examples=300, deadline=None)
@given(rows, st.lists(st.integers(1, 7), min_size=1, max_size=10), st.integers(0, 2))
def test_streamed_users_match_the_whole_table(values, sizes, files):
    whole = tweets_table(values)
    expected = whole.select(list(USER_COLUMNS_IN_TWEETS)).take(latest_rows(whole["userid"], whole["tweet_time"]))
    # Batches of the given sizes, split over files that are joined as a release's parts are.
    cuts, start = [], 0
    for size in sizes * (len(values) // max(sum(sizes), 1) + 1):
        if start >= len(values):
            break
        cuts.append((start, min(size, len(values) - start)))
        start += size
    per_file = max(len(cuts) // (files + 1), 1)
    release, offset = LatestUsers(), 0
    for first in range(0, len(cuts), per_file):
        latest = LatestUsers()
        for begin, length in cuts[first : first + per_file]:
            latest.add(whole.slice(begin, length))
        release.extend(latest.shifted(offset))
        offset += sum(length for _, length in cuts[first : first + per_file])
    assert release.table().equals(expected.cast(arrow_schema(USERS)))


@settings(max_examples=200, deadline=None)
@given(rows, st.integers(1, 5))
def test_compaction_keeps_the_answer(values, size):
    # Compact after every couple of rows (hypothesis cannot take pytest's monkeypatch fixture).
    users_module._COMPACT_ROWS, saved = 2, users_module._COMPACT_ROWS
    try:
        whole = tweets_table(values)
        latest = LatestUsers()
        for begin in range(0, len(values), size):
            latest.add(whole.slice(begin, size))
        expected = whole.select(list(USER_COLUMNS_IN_TWEETS)).take(latest_rows(whole["userid"], whole["tweet_time"]))
        assert latest.table().equals(expected.cast(arrow_schema(USERS)))
    finally:
        users_module._COMPACT_ROWS = saved


def test_a_repeated_tweet_falls_back_to_what_was_kept(tmp_path):
    # The later copy of tweet 1 is dropped as a repeat; were it the account's latest, streamed users would
    # hold its values, so the users are derived again from the kept rows.
    rows = [
        tweet("1", HASH_A, follower_count="5", tweet_time="2020-01-01 00:00"),
        tweet("2", HASH_B, follower_count="7"),
    ]
    folder = write_release(tmp_path / "r", None, rows, tweet_parts=["_1", "_2"])
    header = list(td.schema.RELEASE_FORMATS["2020"])
    (folder / "demo_012020_tweets_csv_hashed_2.csv").write_bytes(
        csv_bytes(
            header,
            [[tweet("2", HASH_B, follower_count="7")[c] for c in header]]
            + [[tweet("1", HASH_A, follower_count="9", tweet_time="2020-01-02 00:00")[c] for c in header]],
        )
    )
    cached = td.read_archive(folder).users.set_index("userid")
    in_memory = td.read_archive(folder, cache=False).users.set_index("userid")
    assert cached.loc[HASH_A, "follower_count"] == in_memory.loc[HASH_A, "follower_count"] == 5
