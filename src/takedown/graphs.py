"""Graphs from edge tables: igraph and networkx, centrality, communities, Gephi files.

Every function takes an edge table from :mod:`takedown.edges` (raw, one row
per interaction, or aggregated with a ``weight`` column) or a graph built
from one. Graphs are directed and weighted; nodes are named by account id and
carry what the archive knows about them.
"""

from __future__ import annotations

import random
from pathlib import Path

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import pyarrow as pa
import scipy.sparse as sparse

from takedown.archive import Archive
from takedown.edges import aggregate, screen_names

__all__ = [
    "to_igraph",
    "to_networkx",
    "communities",
    "pagerank",
    "strength",
    "coreness",
    "betweenness",
    "projection",
    "write_gexf",
    "write_graphml",
]

#: Above this many nodes, betweenness is estimated from a sample of sources.
EXACT_BETWEENNESS_NODES = 5_000


def _weighted(edges: pd.DataFrame) -> pd.DataFrame:
    """``source``, ``target``, ``weight`` from any edge table of the package."""
    if {"amplifier", "target", "total"} <= set(edges.columns):
        edges = edges.rename(columns={"amplifier": "source", "total": "weight"})
    if {"account_a", "account_b", "n_shared"} <= set(edges.columns):  # co-action pairs
        edges = edges.rename(columns={"account_a": "source", "account_b": "target", "n_shared": "weight"})
    if "weight" not in edges.columns:
        edges = aggregate(edges)
    missing = {"source", "target", "weight"} - set(edges.columns)
    if missing:
        raise ValueError(f"edges: missing column(s) {sorted(missing)}; pass a table from takedown.edges")
    return edges[edges["target"].notna()]


def _node_attributes(names: np.ndarray, users) -> dict[str, list]:
    """What the archive knows of each node; outside accounts get ``in_archive=False`` and nulls."""
    if users is None:
        return {}
    archive = users if isinstance(users, Archive) else None
    table = archive.users if archive is not None else users
    if "userid" not in table.columns:
        raise ValueError("users: expected an Archive or a users table with a 'userid' column")
    known = table.drop_duplicates("userid").set_index("userid").reindex(names)
    attributes = {
        "in_archive": pd.Index(names).isin(table["userid"]).tolist(),
        "followers": known["follower_count"].astype("object").where(known["follower_count"].notna(), None).tolist(),
        "following": known["following_count"].astype("object").where(known["following_count"].notna(), None).tolist(),
        "created": [d.isoformat() if pd.notna(d) else None for d in known["account_creation_date"]],
    }
    if archive is not None:
        tweets = archive.tweets["userid"].value_counts().reindex(names)
        attributes["tweets"] = [int(n) if pd.notna(n) else 0 for n in tweets]
        labels = screen_names(archive).reindex(names)
        attributes["label"] = [label if pd.notna(label) else name for label, name in zip(labels, names)]
    return attributes


def _encode(weighted: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Node names (in order of first appearance) and each edge as a pair of node numbers.

    Arrow's hash-based dictionary encoding is an order of magnitude faster
    than sorting millions of id strings.
    """
    table = pa.Table.from_pandas(weighted[["source", "target"]].astype(str), preserve_index=False)
    ids = pa.chunked_array(table["source"].cast(pa.string()).chunks + table["target"].cast(pa.string()).chunks)
    encoded = ids.dictionary_encode().combine_chunks()
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    return encoded.dictionary.to_numpy(zero_copy_only=False), codes.reshape(2, -1).T


def to_igraph(edges: pd.DataFrame, *, users=None, directed: bool = True) -> ig.Graph:
    """A weighted igraph graph from an edge table.

    Parameters
    ----------
    edges : pandas.DataFrame
        An edge table (aggregated here if it has no ``weight``), an
        amplification table, a projection, or co-action pairs (weight
        ``n_shared``; pass ``directed=False``).
    users : Archive or pandas.DataFrame, optional
        Adds node attributes: ``in_archive``, ``followers``, ``following``,
        ``created`` (ISO date); with an Archive also ``tweets`` and ``label``
        (screen name, outside accounts' from ``RT @name`` texts).
    directed : bool, default True

    Returns
    -------
    igraph.Graph
        Vertex attribute ``name`` is the account id; edge attribute
        ``weight``.

    Examples
    --------
    >>> import takedown as td
    >>> archive = td.datasets.sample()
    >>> graph = td.graphs.to_igraph(td.edges.retweets(archive), users=archive)
    >>> graph.is_directed(), sum(graph.es["weight"]) == len(td.edges.retweets(archive))
    (True, True)
    """
    weighted = _weighted(edges)
    names, pairs = _encode(weighted)
    graph = ig.Graph(n=len(names), edges=pairs, directed=directed)
    graph.vs["name"] = names.tolist()
    graph.es["weight"] = weighted["weight"].astype("float64").to_numpy().tolist()
    for key, values in _node_attributes(names, users).items():
        graph.vs[key] = values
    return graph


def to_networkx(edges: pd.DataFrame, *, users=None, directed: bool = True) -> nx.Graph:
    """A weighted networkx graph from an edge table (see :func:`to_igraph` for the attributes).

    Examples
    --------
    >>> import takedown as td
    >>> archive = td.datasets.sample()
    >>> graph = td.graphs.to_networkx(td.edges.retweets(archive), users=archive)
    >>> isinstance(graph, td.graphs.nx.DiGraph)
    True
    """
    weighted = _weighted(edges)
    graph = nx.DiGraph() if directed else nx.Graph()
    names = pd.unique(pd.concat([weighted["source"], weighted["target"]]).astype(str).to_numpy())
    attributes = _node_attributes(np.asarray(names), users)
    for i, name in enumerate(names):
        graph.add_node(name, **{key: values[i] for key, values in attributes.items() if values[i] is not None})
    graph.add_weighted_edges_from(
        zip(weighted["source"].astype(str), weighted["target"].astype(str), weighted["weight"].astype(float))
    )
    return graph


def _as_igraph(graph) -> ig.Graph:
    if isinstance(graph, ig.Graph):
        return graph
    if isinstance(graph, nx.Graph):
        converted = ig.Graph.from_networkx(graph)
        converted.vs["name"] = converted.vs["_nx_name"]
        return converted
    if isinstance(graph, pd.DataFrame):
        return to_igraph(graph)
    raise TypeError(f"graph: expected an igraph or networkx graph or an edge table, got {type(graph).__name__}")


def _series(graph: ig.Graph, values, name: str) -> pd.Series:
    return pd.Series(values, index=pd.Index(graph.vs["name"], name="node"), name=name)


def _weights(graph: ig.Graph):
    return graph.es["weight"] if "weight" in graph.es.attributes() else None


def communities(graph, *, seed: int = 0, resolution: float = 1.0) -> pd.Series:
    """Leiden communities, on the graph made undirected (weights of both directions added).

    Uses igraph's Leiden with the modularity objective (Traag, Waltman & van
    Eck 2019, "From Louvain to Leiden", Sci. Reports 9: 5233).

    Parameters
    ----------
    graph : igraph.Graph, networkx graph or edge table
    seed : int
        The result is the same for the same seed.
    resolution : float
        Higher gives more, smaller communities.

    Returns
    -------
    pandas.Series of int, indexed by node
        Community number, 0 for the largest.

    Examples
    --------
    >>> import pandas as pd, takedown as td
    >>> pairs = pd.DataFrame({"a": list("abcdefab"), "b": list("bcaefdde")})
    >>> td.graphs.communities(td.edges.from_table(pairs, source="a", target="b")).sort_index().tolist()
    [0, 0, 0, 1, 1, 1]
    """
    g = _as_igraph(graph)
    undirected = g.as_undirected(mode="collapse", combine_edges={"weight": "sum"}) if g.is_directed() else g
    previous = random.getstate()
    # igraph draws from Python's random module: seed it for this call only.
    random.seed(seed)
    try:
        parts = undirected.community_leiden(
            objective_function="modularity", weights=_weights(undirected), resolution=resolution, n_iterations=-1
        )
    finally:
        random.setstate(previous)
    membership = np.asarray(parts.membership)
    sizes = np.bincount(membership)
    rank = np.empty_like(sizes)
    rank[np.lexsort((np.arange(sizes.size), -sizes))] = np.arange(sizes.size)
    return _series(undirected, rank[membership], "community")


def pagerank(graph, *, damping: float = 0.85) -> pd.Series:
    """Weighted PageRank (Brin & Page 1998), summing to 1.

    Examples
    --------
    >>> import pandas as pd, takedown as td
    >>> star = td.edges.from_table(pd.DataFrame({"a": ["x", "y", "z"], "b": ["hub"] * 3}), source="a", target="b")
    >>> td.graphs.pagerank(star).idxmax()
    'hub'
    """
    g = _as_igraph(graph)
    return _series(g, g.pagerank(weights=_weights(g), damping=damping), "pagerank")


def strength(graph) -> pd.DataFrame:
    """In and out degree and strength (weighted degree) of every node.

    Returns
    -------
    pandas.DataFrame
        ``in_degree``, ``out_degree``, ``in_strength``, ``out_strength``,
        indexed by node.

    Examples
    --------
    >>> import pandas as pd, takedown as td
    >>> edges = td.edges.from_table(pd.DataFrame({"a": ["x", "x", "y"], "b": ["z", "z", "z"]}), source="a", target="b")
    >>> td.graphs.strength(edges).loc["z"].tolist()
    [2.0, 0.0, 3.0, 0.0]
    """
    g = _as_igraph(graph)
    weights = _weights(g)
    return pd.DataFrame(
        {
            "in_degree": g.degree(mode="in"),
            "out_degree": g.degree(mode="out"),
            "in_strength": g.strength(mode="in", weights=weights),
            "out_strength": g.strength(mode="out", weights=weights),
        },
        index=pd.Index(g.vs["name"], name="node"),
    ).astype(float)


def coreness(graph, *, mode: str = "all") -> pd.Series:
    """k-core number of every node (Seidman 1983), ignoring weights and directions by default.

    Examples
    --------
    >>> import pandas as pd, takedown as td
    >>> pairs = pd.DataFrame({"a": ["a", "b", "c", "c"], "b": ["b", "c", "a", "d"]})
    >>> td.graphs.coreness(td.edges.from_table(pairs, source="a", target="b")).to_dict()
    {'a': 2, 'b': 2, 'c': 2, 'd': 1}
    """
    g = _as_igraph(graph).simplify(multiple=True, loops=True, combine_edges="sum")
    return _series(g, g.coreness(mode=mode), "coreness")


def betweenness(graph, *, samples: int | None = None, seed: int = 0) -> pd.Series:
    """Betweenness centrality, exact on small graphs and estimated from sampled sources on large ones.

    Shortest paths ignore weights (a weight counts interactions, not
    distance). With ``samples`` sources drawn at random, the estimate is the
    betweenness over paths from those sources scaled by ``n / samples``
    (Brandes & Pich 2007).

    Parameters
    ----------
    graph : igraph.Graph, networkx graph or edge table
    samples : int, optional
        Number of sources; by default all when the graph has at most
        :data:`EXACT_BETWEENNESS_NODES` nodes, else 500.
    seed : int

    Examples
    --------
    >>> import pandas as pd, takedown as td
    >>> path = td.edges.from_table(pd.DataFrame({"a": ["a", "b"], "b": ["b", "c"]}), source="a", target="b")
    >>> td.graphs.betweenness(path).to_dict()
    {'a': 0.0, 'b': 1.0, 'c': 0.0}
    """
    g = _as_igraph(graph)
    n = g.vcount()
    if samples is None:
        samples = n if n <= EXACT_BETWEENNESS_NODES else 500
    if samples >= n:
        return _series(g, g.betweenness(directed=g.is_directed()), "betweenness")
    sources = np.random.default_rng(seed).choice(n, size=samples, replace=False).tolist()
    partial = np.asarray(g.betweenness(directed=g.is_directed(), sources=sources))
    return _series(g, partial * n / samples, "betweenness")


def projection(edges: pd.DataFrame, *, min_shared: int = 1) -> pd.DataFrame:
    """Accounts tied by amplifying the same targets: the one-mode projection of the amplifier graph.

    Parameters
    ----------
    edges : pandas.DataFrame
        An amplification table (:func:`takedown.edges.amplification`) or any
        edge table; sources are projected onto their shared targets.
    min_shared : int
        Keep pairs that share at least this many targets.

    Returns
    -------
    pandas.DataFrame
        ``source``, ``target`` (the two accounts, ``source < target``) and
        ``weight`` (targets they share), heaviest first. Pass it to
        :func:`to_igraph` with ``directed=False``.

    Examples
    --------
    >>> import pandas as pd, takedown as td
    >>> table = pd.DataFrame({"who": ["a", "a", "b", "b", "c"], "whom": ["x", "y", "x", "y", "y"]})
    >>> td.graphs.projection(td.edges.from_table(table, source="who", target="whom")).values.tolist()
    [['a', 'b', 2], ['a', 'c', 1], ['b', 'c', 1]]
    """
    weighted = _weighted(edges)
    sources, source_codes = np.unique(weighted["source"].astype(str).to_numpy(), return_inverse=True)
    targets, target_codes = np.unique(weighted["target"].astype(str).to_numpy(), return_inverse=True)
    incidence = sparse.csr_matrix(
        (np.ones(len(weighted), dtype=np.int64), (source_codes, target_codes)), shape=(len(sources), len(targets))
    )
    incidence.data[:] = 1  # a pair of accounts shares a target once, however often they amplify it
    shared = sparse.triu(incidence @ incidence.T, k=1).tocoo()
    keep = shared.data >= min_shared
    table = pd.DataFrame(
        {
            "source": pd.array(sources[shared.row[keep]], dtype=pd.ArrowDtype(pa.string())),
            "target": pd.array(sources[shared.col[keep]], dtype=pd.ArrowDtype(pa.string())),
            "weight": shared.data[keep].astype(np.int64),
        }
    )
    return table.sort_values(["weight", "source", "target"], ascending=[False, True, True]).reset_index(drop=True)


def _for_gephi(graph) -> nx.Graph:
    """A networkx copy whose attributes are plain, typed values (no None, no numpy scalars)."""
    if isinstance(graph, pd.DataFrame):
        graph = to_networkx(graph)
    if isinstance(graph, ig.Graph):
        converted = nx.DiGraph() if graph.is_directed() else nx.Graph()
        for vertex in graph.vs:
            attributes = {k: v for k, v in vertex.attributes().items() if k != "name" and v is not None}
            converted.add_node(vertex["name"], **attributes)
        names = graph.vs["name"]
        for edge in graph.es:
            converted.add_edge(names[edge.source], names[edge.target], **edge.attributes())
        graph = converted
    if not isinstance(graph, nx.Graph):
        raise TypeError(f"graph: expected an igraph or networkx graph or an edge table, got {type(graph).__name__}")

    def plain(value):
        return value.item() if isinstance(value, np.generic) else value

    copy = graph.__class__()
    copy.add_nodes_from((n, {k: plain(v) for k, v in d.items() if v is not None}) for n, d in graph.nodes(data=True))
    copy.add_edges_from(
        (u, v, {k: plain(x) for k, x in d.items() if x is not None}) for u, v, d in graph.edges(data=True)
    )
    return copy


def write_gexf(graph, path) -> Path:
    """Write a graph for Gephi as GEXF, with typed node and edge attributes.

    Parameters
    ----------
    graph : igraph.Graph, networkx graph or edge table
    path : str or os.PathLike

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import tempfile, takedown as td
    >>> archive = td.datasets.sample()
    >>> path = td.graphs.write_gexf(td.graphs.to_igraph(td.edges.retweets(archive), users=archive),
    ...                             tempfile.mkdtemp() + "/retweets.gexf")
    >>> path.suffix
    '.gexf'
    """
    path = Path(path)
    nx.write_gexf(_for_gephi(graph), path)
    return path


def write_graphml(graph, path) -> Path:
    """Write a graph as GraphML (Gephi, Cytoscape, igraph, R), with typed attributes.

    Examples
    --------
    >>> import tempfile, takedown as td
    >>> archive = td.datasets.sample()
    >>> td.graphs.write_graphml(td.edges.retweets(archive), tempfile.mkdtemp() + "/retweets.graphml").suffix
    '.graphml'
    """
    path = Path(path)
    nx.write_graphml(_for_gephi(graph), path)
    return path
