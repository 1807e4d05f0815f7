"""Co-actions: worked out on paper, planted groups found, chance tested."""

import itertools

import pandas as pd
import pytest

import takedown as td
from takedown.edges import TWITTER_EPOCH_MS

from .conftest import tweet, user, write_release

A, B, C, D = "aaa=", "bbb=", "ccc=", "ddd="


def sf(second: float) -> str:
    """A Snowflake id posted ``second`` seconds after 2020-01-01 10:00 UTC."""
    ms = int(pd.Timestamp("2020-01-01 10:00", tz="UTC").timestamp() * 1000 + second * 1000)
    return str((ms - TWITTER_EPOCH_MS) << 22)


def rt(account, second, original):
    return tweet(
        sf(second),
        account,
        tweet_time="2020-01-01 10:00",
        is_retweet="true",
        retweet_tweetid=original,
        user_mentions="['99']",
        tweet_text="RT @x: y",
    )


@pytest.fixture
def paper(tmp_path):
    """Originals O1, O2, O3 (outside). A and B retweet O1 5 s apart and O2 50 s apart;
    C retweets O1 70 s after A; D retweets O3 alone. A and C tag #Same 30 s apart and post the same text."""
    o1, o2, o3 = sf(-1000), sf(-900), sf(-800)
    rows = [
        rt(A, 0, o1),
        rt(B, 5, o1),
        rt(C, 70, o1),
        rt(A, 100, o2),
        rt(B, 150, o2),
        rt(D, 200, o3),
        tweet(sf(300), A, hashtags="['Same']", tweet_text="Hello  World https://t.co/1"),
        tweet(sf(330), C, hashtags="['same']", tweet_text="hello world https://t.co/2"),
    ]
    users = [user(x) for x in (A, B, C, D)]
    return td.read_archive(write_release(tmp_path / "r", users, rows), cache=False)


def test_co_retweets_on_paper(paper):
    pairs = td.edges.co_actions(paper, on="retweet", window="60s", min_shared=1)
    # A-B: O1 5 s apart, O2 50 s apart; A-C (70 s) and B-C (65 s) fall outside 60 s.
    assert pairs[["account_a", "account_b", "n_shared", "min_delta", "median_delta"]].values.tolist() == [
        [A, B, 2, 5.0, 27.5]
    ]
    wider = td.edges.co_actions(paper, on="retweet", window=70, min_shared=1)
    assert set(zip(wider["account_a"], wider["account_b"], wider["n_shared"])) == {(A, B, 2), (A, C, 1), (B, C, 1)}
    assert td.edges.co_actions(paper, on="retweet", window="60s")["n_shared"].tolist() == [2]  # min_shared=2
    assert pairs.attrs == {"on": "retweet", "window": 60.0, "min_shared": 1}
    assert set(pairs["window"]) == {60.0} and set(pairs["on"]) == {"retweet"}


def test_co_hashtags_and_texts_on_paper(paper):
    for on in ("hashtag", "text"):
        pairs = td.edges.co_actions(paper, on=on, window="60s", min_shared=1)
        assert pairs[["account_a", "account_b", "n_shared", "min_delta"]].values.tolist() == [[A, C, 1, 30.0]], on
        assert td.edges.co_actions(paper, on=on, window="29s", min_shared=1).empty


def test_evidence_on_paper(paper):
    pairs = td.edges.co_actions(paper, on="retweet", window="60s", min_shared=1)
    shown = td.edges.evidence(pairs, paper, A, B)
    assert shown["delta"].tolist() == [5.0, 50.0]
    assert shown["time_a"].iloc[0] == pd.Timestamp("2020-01-01 10:00", tz="UTC")


def test_fast_retweets_on_paper(paper):
    fast = td.edges.fast_retweets(paper, within="1000s")
    # Delays: A 1000 s after O1 and O2, D 1000 s after O3; B (1005, 1050) and C (1070) are slower.
    assert fast["source"].tolist() == [A, A, D]


def test_bad_arguments(paper):
    with pytest.raises(ValueError, match="on: expected one of"):
        td.edges.co_actions(paper, on="like")
    with pytest.raises(ValueError, match="window"):
        td.edges.co_actions(paper, window=-1)
    with pytest.raises(ValueError, match="run takedown.edges.null_model"):
        td.edges.significant(td.edges.co_actions(paper))


def planted_pairs(truth) -> set:
    found = set()
    for _, members in truth.groups.groupby("group"):
        found |= {tuple(sorted(p)) for p in itertools.combinations(members["userid"], 2)}
    return found


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_planted_groups_are_found(seed):
    archive, truth = td.synth.generate(accounts=400, tweets=8_000, seed=seed, coordinated_groups=3, group_size=5)
    pairs = td.edges.co_actions(archive)  # the defaults: retweets, 60 s, at least 2 shared
    found = set(zip(pairs["account_a"], pairs["account_b"]))
    planted = planted_pairs(truth)
    assert found >= planted  # recall 1
    assert len(found & planted) / len(found) >= 0.9  # precision: chance co-retweets twice within 60 s are rare


def test_null_model_separates_planted_from_chance():
    archive, truth = td.synth.generate(accounts=300, tweets=6_000, seed=4, coordinated_groups=2, group_size=4)
    pairs = td.edges.co_actions(archive, min_shared=1)
    tested = td.edges.null_model(pairs, archive, n=20, seed=1)
    planted = planted_pairs(truth)
    is_planted = [p in planted for p in zip(tested["account_a"], tested["account_b"])]
    assert (tested.loc[is_planted, "p_value"] == 1 / 21).all()  # never matched by chance
    kept = td.edges.significant(tested, alpha=0.05)
    assert set(zip(kept["account_a"], kept["account_b"])) >= planted
    assert tested.attrs["network_p_value"] == 1 / 21 and len(tested.attrs["null_edges"]) == 20


def test_communities_of_the_coordination_graph():
    archive, truth = td.synth.generate(accounts=400, tweets=8_000, seed=5, coordinated_groups=3, group_size=5)
    pairs = td.edges.co_actions(archive)
    graph = td.graphs.to_igraph(pairs, directed=False)
    communities = td.graphs.communities(graph, seed=0)
    for _, members in truth.groups.groupby("group"):
        assert communities.reindex(members["userid"]).nunique() == 1


def test_precision_and_recall_move_with_the_window():
    """Groups retweet within 30 s: a 5 s window misses pairs, an hour adds chance pairs."""
    archive, truth = td.synth.generate(
        accounts=2_000, tweets=60_000, seed=0, coordinated_groups=8, group_size=6, group_spread=30, group_events=10
    )
    planted = planted_pairs(truth)

    def scores(window):
        pairs = td.edges.co_actions(archive, window=window)
        found = set(zip(pairs["account_a"], pairs["account_b"]))
        return len(found & planted) / max(len(found), 1), len(found & planted) / len(planted)

    assert scores("5s")[1] < 1.0
    assert scores("60s") == (1.0, 1.0)
    assert scores("1h")[0] < 1.0 and scores("1h")[1] == 1.0
