"""Edge tables on a hand-built archive whose every edge is worked out on paper, and on synthetic archives."""

import functools
import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import takedown as td
from takedown.edges import TWITTER_EPOCH_MS

from .conftest import HASH_A, HASH_B, tweet, user, write_release

C = "919755217121316864"
OUTSIDE = "111"


def snowflake(when: str, extra_ms: int = 0) -> str:
    ms = int(pd.Timestamp(when, tz="UTC").timestamp() * 1000) + extra_ms
    return str((ms - TWITTER_EPOCH_MS) << 22)


T0 = "2020-01-01 10:00"
ORIGINAL = snowflake(T0)
OUTSIDE_TWEET = snowflake(T0, 5)


@pytest.fixture(scope="module")
def paper(tmp_path_factory):
    """Three accounts, eight tweets:

    1. A posts.                         5. C retweets B; only the text names B (by its hash).
    2. B retweets A after 30 s.          6. A replies to C.
    3. C retweets outside 111 after 2 min (first mention).
    4. B retweets @statenews; only the text names it.
    7. A quotes a tweet linked as twitter.com/statenews/status/...
    8. B mentions 111 and A.
    """
    rows = [
        tweet(ORIGINAL, HASH_A, tweet_time=T0, tweet_text="hello"),
        tweet(
            snowflake(T0, 30_000),
            HASH_B,
            tweet_time=T0,
            is_retweet="true",
            retweet_userid=HASH_A,
            retweet_tweetid=ORIGINAL,
            user_mentions=f"['{HASH_A}']",
            tweet_text=f"RT @{HASH_A}: hello",
        ),
        tweet(
            snowflake(T0, 120_005),
            C,
            tweet_time="2020-01-01 10:02",
            is_retweet="true",
            retweet_tweetid=OUTSIDE_TWEET,
            user_mentions=f"['{OUTSIDE}']",
            tweet_text="RT @statenews: news",
        ),
        tweet(
            snowflake("2020-01-02 08:00"),
            HASH_B,
            tweet_time="2020-01-02 08:00",
            is_retweet="true",
            retweet_tweetid=snowflake("2020-01-02 07:00"),
            tweet_text="RT @statenews: more news",
        ),
        tweet(
            snowflake("2020-01-02 09:00"),
            C,
            tweet_time="2020-01-02 09:00",
            is_retweet="true",
            retweet_tweetid=snowflake("2020-01-02 08:59"),
            tweet_text=f"RT @{HASH_B}: mine",
        ),
        tweet(
            snowflake("2020-01-03 09:00"),
            HASH_A,
            tweet_time="2020-01-03 09:00",
            in_reply_to_userid=C,
            in_reply_to_tweetid=snowflake("2020-01-03 08:00"),
            user_mentions=f"['{C}']",
            tweet_text="@c hi",
        ),
        tweet(
            snowflake("2020-01-03 10:00"),
            HASH_A,
            tweet_time="2020-01-03 10:00",
            quoted_tweet_tweetid=OUTSIDE_TWEET,
            urls=f"['https://twitter.com/statenews/status/{OUTSIDE_TWEET}']",
            tweet_text="look",
        ),
        tweet(
            snowflake("2020-01-04 10:00"),
            HASH_B,
            tweet_time="2020-01-04 10:00",
            user_mentions=f"['{OUTSIDE}', '{HASH_A}']",
        ),
    ]
    users = [
        user(HASH_A, follower_count="5"),
        user(HASH_B),
        user(C, user_screen_name="c_account", follower_count="7000"),
    ]
    folder = write_release(tmp_path_factory.mktemp("paper"), users, rows)
    return td.read_archive(folder, cache=False)


def pairs(edges):
    return list(zip(edges["source"], edges["target"], edges["resolved_by"]))


def test_retweets_on_paper(paper):
    edges = td.edges.retweets(paper)
    assert pairs(edges) == [
        (HASH_B, HASH_A, "retweet_userid"),
        (C, OUTSIDE, "user_mentions"),
        (HASH_B, "@statenews", "rt_name"),
        (C, HASH_B, "rt_name"),
    ]
    assert edges["delay"].tolist() == [30.0, 120.0, 3600.0, 60.0]
    assert edges["target_in_archive"].tolist() == [True, False, False, True]
    assert edges.loc[0, "time"] == pd.Timestamp("2020-01-01 10:00:30", tz="UTC")
    assert edges.loc[1, "retweet_tweetid"] == OUTSIDE_TWEET


def test_replies_quotes_mentions_on_paper(paper):
    assert pairs(td.edges.replies(paper)) == [(HASH_A, C, "in_reply_to_userid")]
    assert td.edges.replies(paper)["delay"].tolist() == [3600.0]
    assert pairs(td.edges.quotes(paper)) == [(HASH_A, "@statenews", "quoted_url")]
    assert pairs(td.edges.mentions(paper)) == [
        (HASH_A, C, "user_mentions"),
        (HASH_B, OUTSIDE, "user_mentions"),
        (HASH_B, HASH_A, "user_mentions"),
    ]
    with_retweets = td.edges.mentions(paper, include_retweets=True)
    assert len(with_retweets) == 5  # + the two retweets that carry a mention


def test_aggregate_and_amplification_on_paper(paper):
    assert td.edges.aggregate(td.edges.retweets(paper))["weight"].sum() == 4
    table = td.edges.amplification(paper).set_index(["amplifier", "target"])
    assert table.loc[(HASH_A, "@statenews"), ["retweets", "quotes", "total"]].tolist() == [0, 1, 1]
    assert table.loc[(HASH_B, HASH_A), "target_role"] == "core"
    assert table.loc[(C, OUTSIDE), "target_role"] == "external"
    # A and B are amplified by archive accounts (core); C only amplifies.
    roles = table.reset_index().drop_duplicates("amplifier").set_index("amplifier")["amplifier_role"]
    assert roles.to_dict() == {HASH_A: "core", HASH_B: "core", C: "amplifier"}
    only = td.edges.amplification(paper, targets=[OUTSIDE])
    assert only["target"].tolist() == [OUTSIDE]


def test_screen_names_label_outside_accounts(paper):
    names = td.edges.screen_names(paper)
    assert names[OUTSIDE] == "statenews" and names[C] == "c_account"


def test_snowflake_times():
    times = td.edges.snowflake_time(pd.Series([ORIGINAL, "abc", None, "99999999999999999999"]))
    assert times.iloc[0] == pd.Timestamp(T0, tz="UTC") and times.iloc[1:].isna().all()


def _snowflake_by_hand(text):
    """The rule, one id at a time: ASCII digits, an int64, from the Snowflake era."""
    if text is None or not (text.isascii() and text.isdigit()) or len(text) > 19 or int(text) >= 2**63:
        return None
    number = int(text)
    return None if number < 10**15 else (number >> 22) + TWITTER_EPOCH_MS


_IDS = st.one_of(
    st.none(),
    st.integers(min_value=0, max_value=10**20).map(str),
    st.sampled_from(["9223372036854775807", "9223372036854775808", "9999999999999999999", "١٢" * 9]),
    st.text(alphabet="0123456789 -+x٠٩", max_size=21),
)


@functools.cache
def _duckdb():
    return td.engine.connect(td.datasets.sample())


@given(st.lists(_IDS, max_size=30))
@settings(max_examples=200, deadline=None)
def test_snowflake_time_never_fails_and_agrees_with_duckdb(ids):
    """Damaged ids (non-ASCII digits, past int64) are null times, in pandas as in DuckDB, never an error."""
    expected = [_snowflake_by_hand(i) for i in ids]
    times = td.edges.snowflake_time(pd.Series(ids, dtype="string[pyarrow]"))
    got = [None if pd.isna(t) else int(t.value // 10**6) for t in times]
    assert got == expected
    if ids:
        rows = _duckdb().execute("SELECT snowflake_ms(unnest($ids::VARCHAR[]))", {"ids": ids}).fetchall()
        assert [r[0] for r in rows] == expected


def test_from_table():
    table = pd.DataFrame(
        {"who": [1, 2], "whom": ["9", "9"], "when": ["2021-01-01T10:00:00+08:00", "2021-01-01T03:00:00Z"]}
    )
    edges = td.edges.from_table(table, source="who", target="whom", time="when")
    assert edges["source"].tolist() == ["1", "2"]
    assert edges["time"].tolist() == [
        pd.Timestamp("2021-01-01 02:00", tz="UTC"),
        pd.Timestamp("2021-01-01 03:00", tz="UTC"),
    ]
    assert td.edges.aggregate(edges)["weight"].tolist() == [1, 1]
    with pytest.raises(TypeError, match="floats"):
        td.edges.from_table(pd.DataFrame({"a": [1.0], "b": [2.0]}), source="a", target="b")
    with pytest.raises(ValueError, match="column 'nope'"):
        td.edges.from_table(table, source="nope", target="whom")


# --- graphs -------------------------------------------------------------------------------


def test_graph_from_paper(paper):
    graph = td.graphs.to_igraph(td.edges.retweets(paper), users=paper)
    assert sorted(graph.vs["name"]) == sorted([HASH_A, HASH_B, C, OUTSIDE, "@statenews"])
    node = {v["name"]: v.attributes() for v in graph.vs}
    assert node[HASH_A]["followers"] == 5 and node[HASH_A]["in_archive"] is True
    assert node[OUTSIDE]["in_archive"] is False and node[OUTSIDE]["followers"] is None
    assert node[OUTSIDE]["label"] == "statenews" and node[C]["tweets"] == 2
    assert sum(graph.es["weight"]) == 4
    same = td.graphs.to_networkx(td.edges.retweets(paper), users=paper)
    assert same.number_of_edges() == 4 and same.nodes[C]["followers"] == 7000


def test_gephi_files_keep_types(paper, tmp_path):
    graph = td.graphs.to_igraph(td.edges.retweets(paper), users=paper)
    for write, read in ((td.graphs.write_gexf, nx.read_gexf), (td.graphs.write_graphml, nx.read_graphml)):
        back = read(write(graph, tmp_path / f"g.{write.__name__[6:]}"))
        assert back.number_of_nodes() == 5 and back.number_of_edges() == 4
        attributes = back.nodes[C]
        assert attributes["followers"] == 7000 and isinstance(attributes["followers"], int)
        assert attributes["in_archive"] is True and attributes["created"] == "2019-11-05"
        assert "followers" not in back.nodes[OUTSIDE]
        assert back.edges[HASH_B, HASH_A]["weight"] == 1.0


def test_sampled_betweenness_estimates_the_exact_one():
    cycle = pd.DataFrame({"a": [str(i) for i in range(300)], "b": [str((i + 1) % 300) for i in range(300)]})
    edges = td.edges.from_table(cycle, source="a", target="b")
    exact = td.graphs.betweenness(edges)
    assert np.allclose(exact, exact.iloc[0])  # every node of a cycle is alike
    estimate = td.graphs.betweenness(edges, samples=60, seed=1)
    assert abs(estimate.mean() - exact.mean()) / exact.mean() < 0.05


def test_projection_of_the_amplifier_graph(paper):
    table = td.graphs.projection(td.edges.amplification(paper))
    # B amplifies A and @statenews; A amplifies @statenews; C amplifies 111 and B.
    assert table.values.tolist() == [[min(HASH_A, HASH_B), max(HASH_A, HASH_B), 1]]


# --- synthetic: the planted amplification is found ---------------------------------------


@pytest.mark.parametrize("seed", [0, 1])
def test_planted_amplification_recovered(seed):
    archive, truth = td.synth.generate(accounts=500, tweets=10_000, seed=seed, external_share=0.6)
    edges = td.edges.retweets(archive)
    assert edges["target"].notna().all() and len(edges) == int(archive.tweets["is_retweet"].sum())
    received = edges.loc[~edges["target_in_archive"].astype(bool), "target"].value_counts()
    planted = truth.external.set_index("userid")["retweets_received"]
    assert received.reindex(planted.index, fill_value=0).tolist() == planted.tolist()
    core = set(truth.accounts.loc[truth.accounts["role"] == "core", "userid"])
    assert set(edges.loc[edges["target_in_archive"].astype(bool), "target"]) <= core
    inside = edges["target_in_archive"].astype(bool).mean()
    # planted: 40% inside; a retweet falls back outside when no core tweet precedes it
    assert 0.4 - 0.05 < inside < 0.4 + 4 * math.sqrt(0.24 / len(edges))
    top = td.graphs.pagerank(td.graphs.to_igraph(edges)).idxmax()
    assert top == planted.idxmax()  # the most amplified outside account tops PageRank


def test_communities_repeat_with_the_seed_and_leave_random_alone():
    import random

    archive = td.datasets.sample()
    graph = td.graphs.to_igraph(td.edges.retweets(archive))
    random.seed(123)
    expected_next = random.random()
    random.seed(123)
    first = td.graphs.communities(graph, seed=4)
    assert random.random() == expected_next  # the caller's random state is untouched
    pd.testing.assert_series_equal(first, td.graphs.communities(graph, seed=4))
    sizes = first.value_counts()
    assert sizes.index[0] == 0 and sizes.is_monotonic_decreasing  # community 0 is the largest
