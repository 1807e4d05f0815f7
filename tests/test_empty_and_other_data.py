"""Empty graphs and data sets other than a report's own: what graphs, figures and reproductions do with them.

An empty graph (a users-only release, data without retweets, a co-action
threshold no pair passes) is a result: measures return empty Series of their
usual dtype, figures say there is nothing to draw. A reproduction run on data
that lack a column gives each claim it cannot compute a row saying so, and
says loudly which data it ran on.
"""

from __future__ import annotations

import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import igraph as ig
import matplotlib.pyplot as plt
import networkx as nx
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import takedown as td
from takedown.reproduce.tables import _Facts, _NotMeasurable

from .conftest import CHINA_USERS, REAL, tweet, user, write_release

FIVETHIRTYEIGHT = REAL / "fivethirtyeight_ira_sample" / "IRAhandle_tweets_sample.csv"
REDDIT = REAL / "reddit_2018_suspicious_sample"
FAST = {"iterations": 30}
NO_TWEETS = "not measurable here: these data have no tweets (a users file only)"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _real(path):
    if not path.exists():
        pytest.skip(f"the real sample is not at {path} (see data/README.md)")
    return td.read_archive(path, cache=False)


def _empty_edges() -> pd.DataFrame:
    table = pd.DataFrame({"a": pd.Series([], dtype="string"), "b": pd.Series([], dtype="string")})
    return td.edges.from_table(table, source="a", target="b")


def _rows(table: pd.DataFrame) -> pd.DataFrame:
    return table.set_index("claim")


# A. Empty graphs ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("graph", [_empty_edges(), ig.Graph(directed=True), nx.DiGraph(), nx.Graph()])
def test_communities_of_an_empty_graph_are_an_empty_int_series(graph):
    found = td.graphs.communities(graph)
    assert found.empty and found.dtype == "int64" and found.name == "community" and found.index.name == "node"


def test_measures_of_an_empty_edge_table_are_empty_and_typed():
    edges = _empty_edges()
    graph = td.graphs.to_igraph(edges, users=td.datasets.sample())
    assert (graph.vcount(), graph.ecount()) == (0, 0)
    assert td.graphs.to_networkx(edges).number_of_nodes() == 0
    for measure, dtype in (
        (td.graphs.pagerank, "float64"),
        (td.graphs.coreness, "int64"),
        (td.graphs.betweenness, "float64"),
    ):
        values = measure(edges)
        assert values.empty and values.dtype == dtype, measure.__name__
    strength = td.graphs.strength(edges)
    assert strength.empty and strength.columns.tolist() == ["in_degree", "out_degree", "in_strength", "out_strength"]
    assert (strength.dtypes == "float64").all()


def test_an_empty_graph_is_drawn_as_an_empty_figure_that_says_why():
    ax = td.plot.network(td.graphs.to_igraph(_empty_edges()), source="hand-made")
    assert ax.get_title(loc="left") == "Who amplifies whom"
    assert not ax.collections and not ax.lines  # nothing drawn that could be read as data
    texts = [t.get_text() for t in ax.texts]
    assert texts[0] == "Nothing to draw: the graph has no accounts and no retweets"
    assert "users-only release" in texts[1] and texts[1].endswith("Source: hand-made")


def test_an_empty_co_action_graph_says_what_threshold_gives_one():
    ax = td.plot.network(nx.Graph(), what="co-retweets", color_by="community")
    assert ax.get_title(loc="left") == "Who acts together"
    texts = [t.get_text() for t in ax.texts]
    assert texts[0] == "Nothing to draw: the graph has no accounts and no co-retweets"
    assert "min_shared, window" in " ".join(texts[1].split())


def co_pairs() -> pd.DataFrame:
    """a and b co-retweeted 2 tweets, a and c 1: weighted degree a 3, b 2, c 1; 3 co-retweets in all."""
    return pd.DataFrame({"account_a": ["a", "a"], "account_b": ["b", "c"], "n_shared": [2, 1]})


def note_of(ax) -> str:
    return " ".join(" ".join(t.get_text() for t in ax.texts if getattr(t, "xycoords", None) != "data").split())


def test_an_undirected_graph_is_titled_and_noted_as_acting_together():
    ax = td.plot.network(td.graphs.to_igraph(co_pairs(), directed=False), what="co-retweets", **FAST)
    assert ax.get_title(loc="left") == "Who acts together"
    note = note_of(ax)
    assert "All 3 accounts and 2 ties (3 co-retweets)." in note
    assert "Labels: the 3 with the most co-retweets (weighted degree)." in note
    assert "amplified" not in note


def test_a_cut_undirected_graph_says_it_kept_the_highest_weighted_degree():
    # A path a-b-c-d with weights 1, 2, 3: weighted degree a 1, b 3, c 5, d 3; the two kept are c, then b
    # (tied with d on degree and on the tie-break, b comes first by node number).
    pairs = pd.DataFrame({"account_a": ["a", "b", "c"], "account_b": ["b", "c", "d"], "n_shared": [1, 2, 3]})
    ax = td.plot.network(td.graphs.to_igraph(pairs, directed=False), what="co-retweets", max_nodes=2, **FAST)
    note = note_of(ax)
    assert "The 2 of 4 accounts with the most co-retweets (weighted degree), and the 1 ties among them" in note


def test_a_directed_graph_keeps_its_title_and_wording_and_any_title_can_be_given():
    graph = nx.DiGraph()
    graph.add_weighted_edges_from([("a", "hub", 10), ("b", "hub", 5), ("a", "mid", 3)])
    ax = td.plot.network(graph, color_by=None, **FAST)
    assert ax.get_title(loc="left") == "Who amplifies whom"
    assert "Labels: the 2 that received the most retweets." in note_of(
        ax
    )  # hub and mid received retweets; a and b none
    ax = td.plot.network(graph, color_by=None, title="Who retweets the army", **FAST)
    assert ax.get_title(loc="left") == "Who retweets the army"


def test_the_interactive_view_of_an_empty_graph_says_so_and_titles_fit_the_graph(tmp_path):
    pytest.importorskip("ipysigma", reason='ipysigma is optional: pip install "takedown-toolkit[notebooks]"')
    import ipywidgets

    from takedown import interactive

    empty = interactive.sigma(td.graphs.to_igraph(_empty_edges()))
    assert isinstance(empty, ipywidgets.HTML)
    assert "Who amplifies whom" in empty.value and "Nothing to draw" in empty.value
    page = interactive.write_html(nx.Graph(), tmp_path / "empty.html", what="co-retweets", source="hand-made")
    text = page.read_text(encoding="utf-8")
    assert "<h1>Who acts together</h1>" in text and "no co-retweets" in text and "<script" not in text
    widget = interactive.sigma(td.graphs.to_igraph(co_pairs(), directed=False), what="co-retweets", **FAST)
    assert widget.get_state()["name"] == "Who acts together"
    page = interactive.write_html(td.graphs.to_igraph(co_pairs(), directed=False), tmp_path / "co.html", **FAST)
    assert "<h1>Who acts together</h1>" in page.read_text(encoding="utf-8")


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "takedown", *args], capture_output=True, text=True, check=False, timeout=120
    )


def test_graph_command_on_data_without_retweets_names_the_kinds_that_have_ties(tmp_path):
    users = [user("u1"), user("u2")]
    tweets = [
        tweet("1196659470232772609", "u1"),
        tweet("1196659470232772610", "u2", in_reply_to_userid="u1", in_reply_to_tweetid="1196659470232772609"),
    ]
    folder = write_release(tmp_path / "replies", users, tweets, campaign="replies_012020")
    result = run_cli("graph", str(folder), "-o", str(tmp_path / "g.gexf"), "--no-cache")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr == (
        "takedown: error: replies_012020 has no retweet ties: there is no graph to draw; try --kind reply\n"
    )
    assert not (tmp_path / "g.gexf").exists()


def test_graph_command_on_a_users_only_release_is_one_line(tmp_path):
    folder = write_release(tmp_path / "users", [user("u1"), user("u2")], None, campaign="users_012020")
    result = run_cli("graph", str(folder), "-o", str(tmp_path / "g.gexf"), "--no-cache")
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "users_012020 has no tweets (a users file only): there is no retweet graph to draw" in result.stderr


# C. Reproductions on other data ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def users_only(tmp_path_factory):
    """Four accounts, no tweets file: followers 0, 0, 0, 5 (75% without, the largest 5); three without a
    biography (75%), all created in November 2019."""
    users = [
        user("u1", follower_count="0"),
        user("u2", follower_count="0"),
        user("u3", follower_count="0"),
        user("u4", follower_count="5", user_profile_description="a biography"),
    ]
    folder = write_release(tmp_path_factory.mktemp("users") / "rel", users, None, campaign="paper_082019")
    return td.read_archive(folder, cache=False)


SIO_ON_TWEETS = [
    "tweets",
    "accounts that tweeted",
    "majority of tweets received no engagement",
    "average followers of the tweeting accounts",
    "engagements per tweet",
    "tweets concentrated in",
    "share of tweets from 2 March 2020 on",
    "weekday peak half hour (Bangkok)",
    "weekday tweets at 12:00 vs 10:00-11:30 mean",
    "most retweeted accounts",
]


def test_sio_on_a_users_only_release(users_only):
    table = td.reproduce.sio_thailand_2020(users_only)
    rows = _rows(table)
    assert len(table) == 17 and table.columns.tolist() == list(td.reproduce.tables.COLUMNS)
    for claim in SIO_ON_TWEETS:
        assert rows.loc[claim, "note"] == NO_TWEETS, claim
        assert rows.loc[claim, "recomputed"] is None and pd.isna(rows.loc[claim, "match"])
    assert rows.loc["accounts in the takedown", "recomputed"] == 4
    assert rows.loc["most accounts had no followers", "recomputed"] == 0.75
    assert rows.loc["most accounts had no followers", "match"]
    assert rows.loc["average followers of all accounts", "recomputed"] == 1.25
    assert rows.loc["accounts with no biography", "recomputed"] == 0.75
    assert rows.loc["accounts with no biography", "match"]  # 70% to 75%, ends included
    assert rows.loc["the most followed account", "recomputed"] == 5
    assert rows.loc["registration peak", "recomputed"] == "2019-11"
    banner, line = td.reproduce.summary(table).split("\n")
    assert banner.startswith("OTHER DATA (paper_082019: 4 accounts, 0 tweets), not the thailand_092020 release")
    assert banner.endswith("10 of 17 claims are not measurable on these data.")
    # Of the 7 measured, the two shares without followers (75%) and the biographies match; the count of accounts,
    # the mean (1.25), the largest (5) and the registration months do not.
    assert line == "3 of 7 claims match; 10 more cannot be checked or compared on these data"
    assert table.attrs["other_data"] and set(table.attrs["not_measurable"]) == set(SIO_ON_TWEETS)
    assert table.attrs["label"] == "paper_082019 (OTHER DATA, not the thailand_092020 release)"


def test_styled_tables_of_other_data_say_so_in_red(users_only):
    view = td.reproduce.styled(td.reproduce.sio_thailand_2020(users_only))
    assert view.caption.startswith("OTHER DATA (paper_082019: 4 accounts, 0 tweets)")
    shown = view.data.set_index("claim")
    assert shown.loc["tweets", "recomputed"] == "not measurable" and shown.loc["tweets", "match"] == "-"
    assert shown.loc["accounts in the takedown", "recomputed"] == "4"
    html = view.to_html()
    assert "color: #b00" in html and "not measurable here: these data have no tweets" in html


def test_aspi_and_oii_on_a_users_only_release(users_only):
    rows = _rows(td.reproduce.aspi_china_2020(users_only))
    for claim in (
        "tweets",
        "tweets from 0-follower accounts with more than 50 likes",
        "tweets from 0-follower accounts with more than 10 retweets",
        "UTC offset at which the activity best fits a working week",
        "tweets per weekend day / per weekday (Beijing time)",
    ):
        assert rows.loc[claim, "note"] == NO_TWEETS, claim
    assert rows.loc["accounts with no followers", "recomputed"] == 0.75
    assert (
        "Twitter published only the core accounts"
        in rows.loc["amplifier accounts that boosted the core network", "note"]
    )
    table = td.reproduce.oii_2021(users_only, suspended=["u1"], network=["u2"], ambassador="u4")
    assert (table["note"] == NO_TWEETS).all() and table["match"].isna().all()
    assert td.reproduce.summary(table).split("\n")[0].endswith("10 of 10 claims are not measurable on these data.")


def _release(tmp_path, **changes):
    """Three accounts (followers 0, 0, 5), three retweets in November 2019 named only by 'RT @name': @alpha twice,
    @beta once."""
    users = [user("u1", follower_count="0"), user("u2", follower_count="0"), user("u3", follower_count="5")]
    tweets = [
        tweet("1196659470232772609", "u1", is_retweet="true", tweet_text="RT @alpha: a"),
        tweet("1196659470232772610", "u2", is_retweet="true", tweet_text="RT @alpha: a"),
        tweet("1196659470232772611", "u1", is_retweet="true", tweet_text="RT @beta: b"),
    ]
    return td.read_archive(write_release(tmp_path / "rel", users, tweets, campaign="paper_112019"), cache=False)


def test_retweet_targets_known_only_by_name_and_data_that_end_before_march_2020(tmp_path):
    rows = _rows(td.reproduce.sio_thailand_2020(_release(tmp_path)))
    # Before: a TypeError joining the screen names of targets that have none in the archive.
    assert rows.loc["most retweeted accounts", "recomputed"] == "@alpha, @beta"
    after = rows.loc["share of tweets from 2 March 2020 on"]
    assert after["recomputed"] is None and pd.isna(after["match"])
    assert after["note"] == "not measurable here: the data end on 2019-11-19, before 2 March 2020"
    # No weekday tweet between 10:00 and 11:30 in Bangkok (all at 12:20): nothing to compare the lunch hour with.
    dip = rows.loc["weekday tweets at 12:00 vs 10:00-11:30 mean"]
    assert pd.isna(dip["match"]) and dip["note"] == "cannot be checked: nothing to compute it on"


def _emptied(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """The columns null in every row, their dtype kept (as a reader leaves a column its source has not)."""
    return frame.assign(**{c: pd.Series(pd.NA, index=frame.index, dtype=frame[c].dtype) for c in columns})


def _as(archive: td.Archive, *, source_format: str, users=None, tweets=None) -> td.Archive:
    return td.Archive(
        users=archive.users if users is None else users,
        tweets=archive.tweets if tweets is None else tweets,
        name=archive.name,
        provenance=archive.provenance.replace(source_format=source_format),
    )


def test_a_column_another_source_lacks_makes_its_claims_not_measurable(tmp_path):
    archive = _release(tmp_path)
    reddit = _as(archive, source_format="reddit_2018", users=_emptied(archive.users, "follower_count"))
    table = td.reproduce.sio_thailand_2020(reddit)
    rows = _rows(table)
    followers = (
        "not measurable here: these reddit_2018 data have no follower counts (follower_count empty in every row)"
    )
    for claim in (
        "most accounts had no followers",
        "(Twitter) accounts with no followers",
        "average followers of the tweeting accounts",
        "average followers of all accounts",
        "the most followed account",
    ):
        assert rows.loc[claim, "note"] == followers, claim
    assert rows.loc["accounts with no biography", "note"] == (
        "not measurable here: these reddit_2018 data have no profile descriptions "
        "(user_profile_description empty in every row)"
    )
    assert rows.loc["accounts in the takedown", "recomputed"] == 3
    assert td.reproduce.summary(table).startswith("OTHER DATA (paper_112019: 3 accounts, 3 tweets; source format ")


def test_another_source_format_is_other_data_even_when_every_claim_is_measurable(tmp_path):
    archive = _release(tmp_path)
    assert not td.reproduce.aspi_china_2020(archive).attrs["other_data"]  # Twitter's format: the report's own
    table = td.reproduce.aspi_china_2020(_as(archive, source_format="nbc"))
    assert table.attrs["other_data"] and not table.attrs["not_measurable"]
    assert td.reproduce.summary(table).split("\n")[0].endswith("its numbers are not expected to match.")


def test_facts_are_computed_when_first_asked_for_and_once():
    calls = []

    def counted(f):
        calls.append("a")
        return 1

    def unmeasurable(f):
        calls.append("b")
        raise _NotMeasurable("no such column")

    def never(f):
        raise AssertionError("computed without being asked for")

    facts = _Facts({"a": counted, "b": unmeasurable, "c": never, "d": lambda f: f["a"] + 1})
    assert facts["d"] == 2 and facts["a"] == 1 and calls == ["a"]
    for _ in range(2):
        with pytest.raises(_NotMeasurable, match="no such column"):
            facts["b"]
    assert calls == ["a", "b"]


# Which columns a source leaves empty: drawn at random; the rows not measurable are exactly those that need them.
EMPTIED = {
    "follower_count": ("users", {"follower counts"}),
    "user_profile_description": ("users", {"biographies"}),
    "account_creation_date": ("users", {"creation dates"}),
    "like_count": ("tweets", {"like counts", "engagement counts"}),
    "retweet_count": ("tweets", {"retweet counts", "engagement counts"}),
    "quote_count": ("tweets", {"engagement counts"}),
}


@pytest.fixture(scope="module")
def february(tmp_path_factory):
    """Three accounts with biographies, eight tweets on weekdays of February 2020 (two of them retweets) and one on
    3 March."""
    users = [user(f"u{i}", follower_count=str(i), user_profile_description="bio") for i in range(3)]
    tweets = [
        tweet(
            f"12279000000000000{i:02d}",
            f"u{i % 3}",
            tweet_time=f"2020-02-{3 + i % 5:02d} 0{3 + i % 4}:10",
            like_count=str(i % 2),
            **({"is_retweet": "true", "tweet_text": "RT @alpha: x"} if i < 2 else {}),
        )
        for i in range(8)
    ]
    tweets.append(tweet("1234700000000000000", "u1", tweet_time="2020-03-03 04:00"))
    folder = write_release(tmp_path_factory.mktemp("feb") / "rel", users, tweets, campaign="paper_022020")
    return td.read_archive(folder, cache=False)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sets(st.sampled_from(sorted(EMPTIED))))
def test_emptied_columns_make_exactly_their_claims_not_measurable(february, emptied):
    users = _emptied(february.users, *(c for c in emptied if EMPTIED[c][0] == "users"))
    tweets = _emptied(february.tweets, *(c for c in emptied if EMPTIED[c][0] == "tweets"))
    archive = _as(february, source_format="nbc", users=users, tweets=tweets)
    lacking = set().union(*(EMPTIED[c][1] for c in emptied))
    for reproduce, claims in (
        (td.reproduce.sio_thailand_2020, td.reproduce.sio._SIO_CLAIMS),
        (td.reproduce.aspi_china_2020, td.reproduce.aspi._ASPI_CLAIMS),
    ):
        table = reproduce(archive)
        expected = {claim.claim for claim in claims if lacking & set(claim.data)}
        assert set(table.attrs["not_measurable"]) == expected
        assert table.attrs["other_data"]


# The real samples of other data sets ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [FIVETHIRTYEIGHT, REDDIT, CHINA_USERS], ids=["fivethirtyeight", "reddit", "china"])
def test_every_reproduction_runs_on_the_real_samples_and_says_which_data(path):
    archive = _real(path)
    for reproduce in (td.reproduce.sio_thailand_2020, td.reproduce.aspi_china_2020, td.reproduce.oii_2021):
        table = reproduce(archive)
        assert table.attrs["other_data"], reproduce.__name__
        assert td.reproduce.summary(table).startswith(f"OTHER DATA ({archive.name}: ")
        unchecked = table[table["match"].isna()]
        assert unchecked["note"].str.contains("not measurable here|cannot be checked|compared only").all()
        assert td.reproduce.styled(table).caption.startswith("OTHER DATA")


def test_the_real_samples_lack_what_their_sources_lack():
    reddit = _rows(td.reproduce.sio_thailand_2020(_real(REDDIT)))
    assert rows_note(reddit, "the most followed account").startswith(
        "not measurable here: these reddit_2018 data have no follower counts"
    )
    assert (
        rows_note(reddit, "most retweeted accounts") == "not measurable here: these reddit_2018 data have no retweets"
    )
    fivethirtyeight = _rows(td.reproduce.sio_thailand_2020(_real(FIVETHIRTYEIGHT)))
    assert rows_note(fivethirtyeight, "engagements per tweet").startswith(
        "not measurable here: these fivethirtyeight data have no engagement counts"
    )
    # Retweet targets named by 'RT @name' or a status link: measurable, and named as such.
    assert fivethirtyeight.loc["most retweeted accounts", "recomputed"].startswith("@")
    china = _rows(td.reproduce.sio_thailand_2020(_real(CHINA_USERS)))
    assert rows_note(china, "tweets") == NO_TWEETS
    assert china.loc["accounts in the takedown", "recomputed"] == 744


def rows_note(rows: pd.DataFrame, claim: str) -> str:
    return rows.loc[claim, "note"]


@pytest.mark.parametrize("path", [REDDIT, CHINA_USERS], ids=["reddit", "china"])
def test_the_retweet_graphs_of_real_samples_without_retweets_are_empty_and_drawn_so(path):
    archive = _real(path)
    graph = td.graphs.to_igraph(td.edges.retweets(archive), users=archive)
    assert graph.vcount() == 0
    assert td.graphs.communities(graph).dtype == "int64" and td.graphs.pagerank(graph).empty
    ax = td.plot.network(graph, source=archive.name)
    assert ax.texts[0].get_text() == "Nothing to draw: the graph has no accounts and no retweets"
