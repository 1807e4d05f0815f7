"""Out of core gives what in memory gives: every edge table and measure, on the sample and the real release.

The out-of-core path (DuckDB over the cached Parquet files) is forced by
lowering the threshold to a handful of tweets, as a release of forty million
tweets would pass it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import takedown as td
import takedown.archive as archive_module

from .conftest import THAILAND

SOURCES = {"sample": td.datasets.sample_path(), "thailand": THAILAND}


@pytest.fixture(scope="module", params=list(SOURCES))
def pair(request, tmp_path_factory):
    """The same release read into memory and, through the cache, out of core."""
    source = SOURCES[request.param]
    if not source.exists():
        pytest.skip(f"the real Thailand release is not at {source} (see data/README.md)")
    in_memory = td.read_archive(source, cache=False)
    patch = pytest.MonkeyPatch()
    patch.setattr(archive_module, "OUT_OF_CORE_TWEETS", 1_000)
    out_of_core = td.read_archive(source, cache=tmp_path_factory.mktemp("cache"))
    yield in_memory, out_of_core
    patch.undo()


def test_the_threshold_decides(pair):
    in_memory, out_of_core = pair
    assert out_of_core.out_of_core and not in_memory.out_of_core
    assert out_of_core.parquet("tweets") and in_memory.parquet("tweets") is None


def same(a, b) -> None:
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b)
    elif isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b)
    elif isinstance(a, tuple):
        for x, y in zip(a, b, strict=True):
            same(x, y)
    else:
        assert a == b or (np.isnan(a) and np.isnan(b))


m, e = td.measures, td.edges
ON_ARCHIVES = {
    "follower_summary": m.follower_summary,
    "follower_ccdf": m.follower_ccdf,
    "creation_bursts by day": lambda a: m.creation_bursts(a, freq="D"),
    "creation_bursts by month": lambda a: m.creation_bursts(a, freq="M"),
    "engagement": m.engagement,
    "engagement_summary": m.engagement_summary,
    "engagement_by_account": m.engagement_by_account,
    "engagement_histogram": m.engagement_histogram,
    "zero_follower_hits": m.zero_follower_hits,
    "retweets_by_account": m.retweets_by_account,
    "superspreaders": lambda a: m.superspreaders(a, ci=0.9),
    "superspreader_share_by_target": m.superspreader_share_by_target,
    "post_times": lambda a: m.post_times(a, tz="Asia/Bangkok"),
    "hourly_activity": lambda a: m.hourly_activity(a, tz="Asia/Bangkok", half_hours=True),
    "office_hours_share": lambda a: m.office_hours_share(a, tz="Asia/Bangkok"),
    "activity_series": lambda a: m.activity_series(a, freq="auto", tz="Asia/Bangkok"),
    "activity_series by language": lambda a: m.activity_series(a, freq="MS", by="tweet_language"),
    "posting_gaps": m.posting_gaps,
    "client_shares": lambda a: m.client_shares(a, freq="M", normalize=False),
    "language_shares": m.language_shares,
    "client_switches": m.client_switches,
    "top_hashtags": lambda a: m.top_hashtags(a, freq="M"),
    "timezone_fit": m.timezone_fit,
    "likely_timezone": m.likely_timezone,
    "tweet_times": lambda a: e.tweet_times(a).reset_index(drop=True),
    "retweets": e.retweets,
    "replies": e.replies,
    "quotes": e.quotes,
    "mentions": e.mentions,
    "mentions with retweets": lambda a: e.mentions(a, include_retweets=True),
    "screen_names": e.screen_names,
    "amplification": e.amplification,
    "aggregate of retweets": e.aggregate,
    "aggregate of replies": lambda a: e.aggregate(a, kind="reply"),
    "aggregate, the heaviest": lambda a: e.aggregate(a, top=50),
    "co_actions on retweets": lambda a: e.co_actions(a, on="retweet", window="60s"),
    "co_actions on hashtags": lambda a: e.co_actions(a, on="hashtag", window="10min"),
    "co_actions on texts": lambda a: e.co_actions(a, on="text", window="1h", min_shared=1),
    "fast_retweets": e.fast_retweets,
}


@pytest.mark.parametrize("name", list(ON_ARCHIVES))
def test_every_measure_and_edge_table_is_the_same(pair, name):
    in_memory, out_of_core = pair
    same(ON_ARCHIVES[name](in_memory), ON_ARCHIVES[name](out_of_core))


def test_measures_of_edge_tables_are_the_same(pair):
    in_memory, out_of_core = pair
    mine, theirs = e.retweets(in_memory), e.retweets(out_of_core)
    same(e.aggregate(mine), e.aggregate(theirs))
    same(m.retweet_delays(mine), m.retweet_delays(theirs))
    flagged = list(mine["source"].dropna().unique()[:20])
    same(m.share_from(mine, accounts=flagged, freq="W"), m.share_from(theirs, accounts=flagged, freq="W"))


def test_coordination_evidence_and_null_model_are_the_same(pair):
    in_memory, out_of_core = pair
    pairs = e.co_actions(in_memory, window="60s", min_shared=1)
    if pairs.empty:
        pytest.skip("no co-retweets in this release")
    first = pairs.iloc[0]
    same(
        e.evidence(pairs, in_memory, first["account_a"], first["account_b"]),
        e.evidence(
            e.co_actions(out_of_core, window="60s", min_shared=1), out_of_core, first["account_a"], first["account_b"]
        ),
    )
    same(e.null_model(pairs, in_memory, n=3, seed=1), e.null_model(pairs, out_of_core, n=3, seed=1))


def test_graphs_are_the_same(pair):
    in_memory, out_of_core = pair
    a = td.graphs.to_igraph(e.retweets(in_memory), users=in_memory)
    b = td.graphs.to_igraph(e.retweets(out_of_core), users=out_of_core)
    assert a.vs["name"] == b.vs["name"] and a.es["weight"] == b.es["weight"]
    for attribute in a.vs.attributes():
        assert a.vs[attribute] == b.vs[attribute], attribute
