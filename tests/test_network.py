"""The network figure: what is drawn, checked on the artists (after seaborn's tests)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import to_hex

import takedown as td
from takedown.plot.charts import PALETTE

from .conftest import HASH_A, THAILAND

FAST = {"iterations": 30}


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def star() -> nx.DiGraph:
    """Five accounts: 'hub' receives 10 + 5 retweets, HASH_A 4, 'mid' 3, 'a' and 'b' none.

    a -> hub 10, b -> hub 5, a -> mid 3, b -> HASH_A 4; a and b are in the archive.
    """
    graph = nx.DiGraph()
    for name, inside in (("a", True), ("b", True), ("hub", False), ("mid", False), (HASH_A, True)):
        graph.add_node(name, in_archive=inside, label=name)
    graph.add_weighted_edges_from([("a", "hub", 10), ("b", "hub", 5), ("a", "mid", 3), ("b", HASH_A, 4)])
    return graph


def ring(n: int = 30) -> pd.DataFrame:
    """Edges i -> i+1 (mod n) of weight i+1: node j >= 1 receives j and makes j+1, node 0 receives n and makes 1."""
    return pd.DataFrame(
        {
            "source": [f"n{i}" for i in range(n)],
            "target": [f"n{(i + 1) % n}" for i in range(n)],
            "weight": range(1, n + 1),
        }
    )


def nodes_of(ax) -> PathCollection:
    collection = ax.collections[0]
    assert isinstance(collection, PathCollection)
    return collection


def labels_of(ax) -> dict[str, tuple]:
    """Node labels (annotations pointing at a node, in data coordinates) by text, with the point they label."""
    return {t.get_text(): tuple(t.xy) for t in ax.texts if getattr(t, "xycoords", None) == "data"}


def note_of(ax) -> str:
    return " ".join(" ".join(t.get_text() for t in ax.texts if getattr(t, "xycoords", None) != "data").split())


def test_sizes_follow_amplification_received():
    ax = td.plot.network(star(), color_by=None, labels=5, **FAST)
    nodes = nodes_of(ax)
    sizes = nodes.get_sizes()
    assert len(sizes) == 5
    # Drawn least amplified first; area proportional to in-strength: 0, 0, 3, 4, 15.
    assert np.all(np.diff(sizes) >= 0)
    received = np.array([0, 0, 3, 4, 15])
    assert np.allclose((sizes - sizes[0]) / (sizes[-1] - sizes[0]), received / 15)
    # The largest marker sits where the label 'hub' points.
    labels = labels_of(ax)
    assert np.allclose(nodes.get_offsets()[-1], labels["hub"])


def test_top_accounts_labelled_and_hashes_shortened():
    ax = td.plot.network(star(), color_by=None, labels=2, **FAST)
    assert set(labels_of(ax)) == {"hub", HASH_A[:6] + "…"}  # the two most amplified
    ax = td.plot.network(star(), color_by=None, labels=10, **FAST)
    assert set(labels_of(ax)) == {"hub", HASH_A[:6] + "…", "mid"}  # accounts that received nothing get none


def test_colour_legend_lists_the_classes_with_their_counts():
    ax = td.plot.network(star(), color_by="in_archive", **FAST)
    legend = ax.artists[0]
    assert [t.get_text() for t in legend.get_texts()] == ["in the archive · 3", "outside the archive · 2"]
    assert legend.get_title().get_text() == "Accounts drawn"
    colours = {to_hex(c) for c in nodes_of(ax).get_facecolors()}
    assert colours == {to_hex(PALETTE[0]), to_hex(PALETTE[1])}
    handles = [to_hex(h.get_markerfacecolor()) for h in legend.legend_handles]
    assert handles == [to_hex(PALETTE[0]), to_hex(PALETTE[1])]


def test_size_legend_keys_are_round_numbers_up_to_the_largest():
    ax = td.plot.network(star(), color_by=None, **FAST)
    legend = ax.get_legend()
    assert legend.get_title().get_text() == "retweets received"
    # Largest received 15: keys 10 and a fifth of it (a twenty-fifth, 0.4, is less than one retweet).
    assert [t.get_text() for t in legend.get_texts()] == ["10", "2"]
    areas = [h.get_markersize() ** 2 for h in legend.legend_handles]
    drawn = nodes_of(ax).get_sizes()
    smallest, largest = drawn[0], drawn[-1]  # received 0 and 15
    assert np.allclose(areas, [smallest + (largest - smallest) * k / 15 for k in (10, 2)])


def test_communities_colour_by_default_and_a_series_works_too():
    edges = td.edges.from_table(pd.DataFrame({"a": list("abcdefab"), "b": list("bcaefdde")}), source="a", target="b")
    graph = td.graphs.to_igraph(edges)
    ax = td.plot.network(graph, **FAST)
    assert [t.get_text() for t in ax.artists[0].get_texts()] == ["community 0 · 3", "community 1 · 3"]
    split = pd.Series(["x", "x", "y", "y", "y", None], index=list("abcdef"), name="party")
    ax = td.plot.network(graph, color_by=split, **FAST)
    assert [t.get_text() for t in ax.artists[0].get_texts()] == ["y · 3", "x · 2", "unknown · 1"]


def test_a_users_table_with_account_categories_colours_the_network():
    """FiveThirtyEight's IRA users carry account_category; a users table with only that is enough."""
    users = pd.DataFrame(
        {"userid": ["a", "b", "hub"], "account_category": ["RightTroll", "RightTroll", "NewsFeed"]},
        dtype=pd.ArrowDtype(pa.string()),
    )
    edges = td.edges.from_table(
        pd.DataFrame({"x": ["a", "b", "a", "c"], "y": ["hub", "hub", "c", "hub"]}), source="x", target="y"
    )
    graph = td.graphs.to_igraph(edges, users=users)
    categories = dict(zip(graph.vs["name"], graph.vs["account_category"]))
    assert categories == {"a": "RightTroll", "b": "RightTroll", "hub": "NewsFeed", "c": None}
    assert dict(zip(graph.vs["name"], graph.vs["in_archive"])) == {"a": True, "b": True, "hub": True, "c": False}
    ax = td.plot.network(graph, color_by="account_category", **FAST)
    legend = ax.artists[0]
    assert legend.get_title().get_text() == "account_category, accounts drawn"
    assert [t.get_text() for t in legend.get_texts()] == ["RightTroll · 2", "NewsFeed · 1", "unknown · 1"]


def test_big_graphs_are_cut_to_the_most_active_accounts_and_say_so():
    graph = td.graphs.to_igraph(ring(30))
    ax = td.plot.network(graph, max_nodes=10, labels=10, color_by=None, **FAST)
    assert len(nodes_of(ax).get_offsets()) == 10
    # Amplification made or received: node j has j + (j + 1), node 0 has 30 + 1: the top 10 are n20..n29.
    assert set(labels_of(ax)) == {f"n{j}" for j in range(20, 30)}
    edges = ax.collections[1]
    assert isinstance(edges, LineCollection) and len(edges.get_segments()) == 9  # n20 -> n21 ... n28 -> n29
    note = note_of(ax)
    assert "The 10 of 30 accounts with the most retweets made or received" in note
    assert "the 9 ties among them (48% of retweets)" in note  # (21 + ... + 29) / (1 + ... + 30) = 225 / 465


def test_igraph_and_networkx_draw_the_same_and_the_seed_decides():
    table = ring(12)
    from_igraph = td.plot.network(td.graphs.to_igraph(table), color_by=None, seed=3, **FAST)
    from_networkx = td.plot.network(td.graphs.to_networkx(table), color_by=None, seed=3, **FAST)
    again = td.plot.network(td.graphs.to_igraph(table), color_by=None, seed=3, **FAST)
    other = td.plot.network(td.graphs.to_igraph(table), color_by=None, seed=4, **FAST)
    offsets = nodes_of(from_igraph).get_offsets()
    assert np.allclose(offsets, nodes_of(from_networkx).get_offsets())
    assert np.array_equal(offsets, nodes_of(again).get_offsets())
    assert not np.allclose(offsets, nodes_of(other).get_offsets())


def test_undirected_graphs_size_by_weighted_degree():
    pairs = pd.DataFrame({"account_a": ["a", "a"], "account_b": ["b", "c"], "n_shared": [2, 1]})
    ax = td.plot.network(td.graphs.to_igraph(pairs, directed=False), color_by=None, what="co-retweets", **FAST)
    assert ax.get_legend().get_title().get_text() == "co-retweets (weighted degree)"
    smallest, middle, largest = nodes_of(ax).get_sizes()  # weighted degree c 1, b 2, a 3
    assert (middle - smallest) / (largest - smallest) == pytest.approx(0.5)
    assert set(labels_of(ax)) == {"a", "b", "c"}


def test_wrong_inputs_say_what_was_expected():
    with pytest.raises(TypeError, match="graph: expected an igraph or networkx graph"):
        td.plot.network(ring(5))
    with pytest.raises(ValueError, match="color_by: no node has the attribute 'party'"):
        td.plot.network(star(), color_by="party", **FAST)
    with pytest.raises(ValueError, match="max_nodes"):
        td.plot.network(star(), max_nodes=0)
    ax = td.plot.network(nx.DiGraph())
    assert ax.texts[0].get_text().startswith("Nothing to draw")


def test_the_figure_fits_the_report(tmp_path):
    ax = td.plot.network(star(), color_by="in_archive", source="hand-made", **FAST)
    path = tmp_path / "network.png"
    ax.figure.savefig(path, dpi=110, bbox_inches="tight")
    width, height = plt.imread(path).shape[1::-1]
    assert 800 <= width <= 1000 and height < 900  # the report shows it about 900 px wide
    assert ax.get_title(loc="left") == "Who amplifies whom"
    assert "Source: hand-made" in note_of(ax)


@pytest.mark.real
def test_thailand_network_names_the_army_accounts():
    if not THAILAND.is_dir():
        pytest.skip(f"the real Thailand release is not at {THAILAND} (see data/README.md)")
    archive = td.read_archive(THAILAND)
    graph = td.graphs.to_igraph(td.edges.retweets(archive), users=archive)
    ax = td.plot.network(graph, source=archive.name)
    assert len(nodes_of(ax).get_offsets()) == 500 < graph.vcount()
    labels = labels_of(ax)
    assert {"army2pr", "armypr_news"} <= set(labels)
    assert len(ax.artists[0].get_texts()) == 9  # eight communities and the rest
    # The most amplified account is drawn biggest, where its label points.
    assert np.allclose(nodes_of(ax).get_offsets()[-1], labels["army2pr"])


# --- the graph steps behind the figure: communities and node attributes ---------------------


def two_cliques() -> pd.DataFrame:
    """Two 6-cliques (a*, b*) joined by one edge: modularity puts each clique in its own community."""
    left, right = [f"a{i}" for i in range(6)], [f"b{i}" for i in range(6)]
    pairs = [(u, v) for group in (left, right) for i, u in enumerate(group) for v in group[i + 1 :]]
    pairs.append(("a0", "b0"))
    return pd.DataFrame(pairs, columns=["source", "target"]).assign(weight=1)


def test_capped_leiden_stops_when_the_partition_is_stable(monkeypatch):
    import igraph as ig

    graph = td.graphs.to_igraph(two_cliques(), directed=False)
    calls = []
    leiden = ig.Graph.community_leiden

    def counted(self, *args, **kwargs):
        calls.append(kwargs["n_iterations"])
        return leiden(self, *args, **kwargs)

    monkeypatch.setattr(ig.Graph, "community_leiden", counted)
    found = td.graphs.communities(graph, seed=1)
    assert found[[f"a{i}" for i in range(6)]].nunique() == 1 and found[[f"b{i}" for i in range(6)]].nunique() == 1
    assert found["a0"] != found["b0"]
    # One iteration finds the cliques, the second changes nothing and ends the run: not the 10 of the cap.
    assert calls == [1, 1]
    calls.clear()
    converged = td.graphs.communities(graph, seed=1, n_iterations=-1)
    assert calls == [-1] and converged.equals(found)


@pytest.mark.parametrize("bad", [0, 2.5, True, "10"])
def test_n_iterations_must_be_a_count_or_minus_one(bad):
    with pytest.raises(ValueError, match="n_iterations: expected a positive number of iterations or -1"):
        td.graphs.communities(td.graphs.to_igraph(two_cliques()), n_iterations=bad)


def test_capped_leiden_is_close_to_the_converged_one_on_a_synthetic_archive():
    archive, _ = td.synth.generate(accounts=400, tweets=8_000, seed=2)
    graph = td.graphs.to_igraph(td.edges.retweets(archive))
    undirected = graph.as_undirected(mode="collapse", combine_edges={"weight": "sum"})

    def modularity(found: pd.Series) -> float:
        return undirected.modularity(found.reindex(undirected.vs["name"]).tolist(), weights="weight")

    capped = td.graphs.communities(graph, seed=0)
    assert capped.equals(td.graphs.communities(graph, seed=0))  # the seed decides
    assert modularity(capped) >= 0.97 * modularity(td.graphs.communities(graph, seed=0, n_iterations=-1))


def test_node_attributes_from_a_plain_users_table_with_gaps():
    """Lookups by whole columns: duplicates keep the first row, NaN and outside accounts become None."""
    users = pd.DataFrame(
        {
            "userid": ["a", "hub", "a"],
            "follower_count": [5.0, np.nan, 9.0],
            "account_creation_date": pd.to_datetime(["2019-11-05", "2020-01-02", "2021-01-01"], utc=True),
        }
    )
    edges = td.edges.from_table(pd.DataFrame({"x": ["a", "b"], "y": ["hub", "hub"]}), source="x", target="y")
    graph = td.graphs.to_igraph(edges, users=users)
    node = {v["name"]: v.attributes() for v in graph.vs}
    assert node["a"] == {"name": "a", "in_archive": True, "followers": 5.0, "created": "2019-11-05"}
    assert node["hub"] == {"name": "hub", "in_archive": True, "followers": None, "created": "2020-01-02"}
    assert node["b"] == {"name": "b", "in_archive": False, "followers": None, "created": None}
    same = td.graphs.to_networkx(edges, users=users)
    assert same.nodes["a"] == {"in_archive": True, "followers": 5.0, "created": "2019-11-05"}
    assert same.nodes["b"] == {"in_archive": False}


def test_a_yes_no_attribute_keeps_its_colours_whichever_class_is_larger():
    graph = star()
    for name in ("a", "b", HASH_A):
        graph.nodes[name]["in_archive"] = name == "a"  # now outside is the larger class
    ax = td.plot.network(graph, color_by="in_archive", **FAST)
    legend = ax.artists[0]
    assert [t.get_text() for t in legend.get_texts()] == ["in the archive · 1", "outside the archive · 4"]
    assert [to_hex(h.get_markerfacecolor()) for h in legend.legend_handles] == [to_hex(PALETTE[0]), to_hex(PALETTE[1])]
