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
import pyarrow.compute as pc
from scipy import sparse

from takedown.archive import Archive
from takedown.edges import aggregate, screen_names

__all__ = [
    "betweenness",
    "communities",
    "coreness",
    "pagerank",
    "projection",
    "strength",
    "to_igraph",
    "to_networkx",
    "write_gexf",
    "write_graphml",
]

#: Leiden iterations at most, by default (see :func:`communities` for why).
LEIDEN_ITERATIONS = 10

#: Above this many nodes, betweenness is estimated from a sample of sources.
EXACT_BETWEENNESS_NODES = 5_000

#: Categorical account columns that some sources add to the users table (FiveThirtyEight's IRA data).
CATEGORY_COLUMNS = ("account_category", "account_type")

_STRING = pd.ArrowDtype(pa.string())


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


def _arrow(column: pd.Series) -> pa.ChunkedArray:
    """A pandas column as Arrow (no copy for Arrow-backed columns; NaN and None become null)."""
    array = pa.array(column, from_pandas=True)
    return array if isinstance(array, pa.ChunkedArray) else pa.chunked_array([array])


def _node_attributes(names: pa.Array, users, labels: pd.Series | None = None) -> dict[str, list]:
    """What the archive knows of each node; outside accounts get ``in_archive=False`` and nulls.

    Whole columns are looked up with Arrow (a hash of the node names, then a
    ``take``): per-node Python work would dominate on graphs of a million
    nodes. Values are handed over as Python lists because igraph keeps
    attributes as Python objects.
    """
    if users is None:
        return {}
    archive = users if isinstance(users, Archive) else None
    if archive is not None:
        wanted = ["userid", "follower_count", "following_count", "account_creation_date", *CATEGORY_COLUMNS]
        table = archive.load("users", columns=[c for c in wanted if c in archive.columns("users")])
    else:
        table = users
    if "userid" not in table.columns:
        raise ValueError("users: expected an Archive or a users table with a 'userid' column")
    row = pc.index_in(names, value_set=_arrow(table["userid"].astype(_STRING)))
    attributes = {"in_archive": row.is_valid().to_pylist()}
    for key, column in (("followers", "follower_count"), ("following", "following_count")):
        if column in table.columns:
            attributes[key] = _arrow(table[column]).take(row).to_pylist()
    if "account_creation_date" in table.columns:
        created = _arrow(table["account_creation_date"]).take(row)
        if pa.types.is_timestamp(created.type):
            created = pc.strftime(created, format="%Y-%m-%d")
        attributes["created"] = created.cast(pa.string()).to_pylist()
    for column in CATEGORY_COLUMNS:
        if column in table.columns:
            attributes[column] = _arrow(table[column].astype(_STRING)).take(row).to_pylist()
    if archive is not None:
        # Tweets per account from the ids' codes: a release of forty million tweets is never loaded for it.
        codes, ids = archive.codes("tweets", "userid")
        counts = np.bincount(codes[codes >= 0], minlength=len(ids))
        where = pc.index_in(names, value_set=_arrow(pd.Series(ids, dtype=_STRING)))
        attributes["tweets"] = pc.fill_null(pa.array(counts).take(where), 0).to_pylist()
        labels = screen_names(archive) if labels is None else labels
        where = pc.index_in(names, value_set=_arrow(pd.Series(labels.index, dtype=_STRING)))
        attributes["label"] = pc.coalesce(_arrow(labels.astype(_STRING)).take(where), names).to_pylist()
    return attributes


def _encode(weighted: pd.DataFrame) -> tuple[pa.Array, np.ndarray]:
    """Node names (in order of first appearance) and each edge as a pair of node numbers.

    Arrow's hash-based dictionary encoding is an order of magnitude faster
    than sorting millions of id strings.
    """
    ids = pa.chunked_array(
        _arrow(weighted["source"].astype(_STRING)).chunks + _arrow(weighted["target"].astype(_STRING)).chunks,
        type=pa.string(),
    )
    encoded = ids.dictionary_encode().combine_chunks()
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    return encoded.dictionary, codes.reshape(2, -1).T


def to_igraph(edges: pd.DataFrame, *, users=None, directed: bool = True, labels: pd.Series | None = None) -> ig.Graph:
    """A weighted igraph graph from an edge table.

    Parameters
    ----------
    edges : pandas.DataFrame
        An edge table (aggregated here if it has no ``weight``), an
        amplification table, a projection, or co-action pairs (weight
        ``n_shared``; pass ``directed=False``).
    users : Archive or pandas.DataFrame, optional
        Adds node attributes: ``in_archive``, and from the users table's
        columns when it has them ``followers``, ``following``, ``created``
        (ISO date) and :data:`CATEGORY_COLUMNS` (FiveThirtyEight's
        ``account_category``); with an Archive also ``tweets`` and ``label``
        (screen name, outside accounts' from ``RT @name`` texts).
    directed : bool, default True
    labels : pandas.Series, optional
        Screen names by account id, when already at hand
        (:func:`takedown.edges.screen_names`); found from ``users`` otherwise.

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
    graph.vs["name"] = names.to_pylist()
    graph.es["weight"] = weighted["weight"].to_numpy(dtype="float64").tolist()
    for key, values in _node_attributes(names, users, labels).items():
        graph.vs[key] = values
    return graph


def to_networkx(edges: pd.DataFrame, *, users=None, directed: bool = True, labels: pd.Series | None = None) -> nx.Graph:
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
    names = _encode(weighted)[0]
    attributes = _node_attributes(names, users, labels)
    names = names.to_pylist()
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


def _nodes(graph: ig.Graph) -> pd.Index:
    """The nodes' names; node numbers for an igraph graph built elsewhere without them."""
    return pd.Index(graph.vs["name"] if "name" in graph.vs.attributes() else range(graph.vcount()), name="node")


def _series(graph: ig.Graph, values, name: str, dtype: str) -> pd.Series:
    # The dtype is given so that a graph without nodes gives the same kind of Series as any other.
    return pd.Series(values, index=_nodes(graph), name=name, dtype=dtype)


def _weights(graph: ig.Graph):
    return graph.es["weight"] if "weight" in graph.es.attributes() else None


def communities(graph, *, seed: int = 0, resolution: float = 1.0, n_iterations: int = LEIDEN_ITERATIONS) -> pd.Series:
    """Leiden communities, on the graph made undirected (weights of both directions added).

    Uses igraph's Leiden with the modularity objective (Traag, Waltman & van
    Eck 2019, "From Louvain to Leiden", Sci. Reports 9: 5233), iterated until
    the partition stops changing or ``n_iterations`` iterations have run.

    Parameters
    ----------
    graph : igraph.Graph, networkx graph or edge table
    seed : int
        The result is the same for the same seed.
    resolution : float
        Higher gives more, smaller communities.
    n_iterations : int, default :data:`LEIDEN_ITERATIONS`
        At most this many iterations (each refines the last partition); a
        negative number iterates until the partition is stable, as Leiden
        does when run to convergence.

    Returns
    -------
    pandas.Series of int64, indexed by node
        Community number, 0 for the largest; empty (still int64) for a
        graph without nodes, such as the retweet graph of a users-only
        release.

    Notes
    -----
    Run to convergence, Leiden can go on for many iterations on large graphs
    with weak community structure, each moving a few dozen nodes for a
    modularity gain in the fourth decimal. Measured on synthetic retweet
    graphs (``td.synth.generate(accounts=tweets // 50, seed=1)``, then
    ``td.edges.retweets``; 2 shared cores), convergence against the default
    cap of :data:`LEIDEN_ITERATIONS`:

    ==========  ===========  ======================  ====================
    tweets      edges        until stable            capped at 10
    ==========  ===========  ======================  ====================
    1,000,000   276,645      2.6 s, Q = 0.0955       0.7 s, Q = 0.0952
    5,000,000   1,400,147    46 s, Q = 0.0952        5.9 s, Q = 0.0949
    10,000,000  2,794,742    218-309 s, Q = 0.0947   13.3 s, Q = 0.0944
    ==========  ===========  ======================  ====================

    The cap costs 0.3 to 0.4% of modularity there; on a planted partition
    (stochastic block model, 20 blocks, 20,000 nodes) and on the Thailand
    2020 retweet graph it finds the same partition as the converged run
    (NMI 0.987 to the planted blocks; Q = 0.4778). Capped runs grow with
    the edges (about 1 s an iteration at 2.8 million; graphs that fit in the
    processor's cache are cheaper per edge), where converged runs also grow
    in the number of iterations.

    Examples
    --------
    >>> import pandas as pd, takedown as td
    >>> pairs = pd.DataFrame({"a": list("abcdefab"), "b": list("bcaefdde")})
    >>> td.graphs.communities(td.edges.from_table(pairs, source="a", target="b")).sort_index().tolist()
    [0, 0, 0, 1, 1, 1]
    >>> td.graphs.communities(td.edges.from_table(pairs.iloc[:0], source="a", target="b")).dtype
    dtype('int64')
    """
    if not isinstance(n_iterations, (int, np.integer)) or isinstance(n_iterations, bool) or n_iterations == 0:
        raise ValueError(f"n_iterations: expected a positive number of iterations or -1, got {n_iterations!r}")
    g = _as_igraph(graph)
    undirected = g.as_undirected(mode="collapse", combine_edges={"weight": "sum"}) if g.is_directed() else g
    if undirected.vcount() == 0:
        return _series(undirected, [], "community", "int64")
    weights = "weight" if "weight" in undirected.es.attributes() else None
    previous = random.getstate()
    # igraph draws from Python's random module: seed it for this call only.
    random.seed(seed)
    try:
        membership = _leiden(undirected, weights=weights, resolution=resolution, n_iterations=n_iterations)
    finally:
        random.setstate(previous)
    sizes = np.bincount(membership)
    rank = np.empty_like(sizes)
    rank[np.lexsort((np.arange(sizes.size), -sizes))] = np.arange(sizes.size)
    return _series(undirected, rank[membership], "community", "int64")


def _leiden(graph: ig.Graph, *, weights, resolution: float, n_iterations: int) -> np.ndarray:
    """Leiden memberships: one iteration at a time from the last partition, until it is stable or the cap is hit.

    igraph runs a positive ``n_iterations`` in full even when the partition
    stopped changing after the first; iterating here stops as soon as it does.
    """
    options = {"objective_function": "modularity", "weights": weights, "resolution": resolution}
    if n_iterations < 0:
        return np.asarray(graph.community_leiden(n_iterations=-1, **options).membership)
    membership = graph.community_leiden(n_iterations=1, **options).membership
    for _ in range(n_iterations - 1):
        found = graph.community_leiden(n_iterations=1, initial_membership=membership, **options).membership
        stable = np.array_equal(_canonical(found), _canonical(membership))
        membership = found
        if stable:
            break
    return np.asarray(membership)


def _canonical(membership) -> np.ndarray:
    """Community numbers in order of each community's first node, so that equal partitions compare equal."""
    _, first, inverse = np.unique(np.asarray(membership), return_index=True, return_inverse=True)
    rank = np.empty(first.size, dtype=np.int64)
    rank[np.argsort(first)] = np.arange(first.size)
    return rank[inverse]


def pagerank(graph, *, damping: float = 0.85) -> pd.Series:
    """Weighted PageRank (Brin & Page 1998), summing to 1.

    Returns
    -------
    pandas.Series of float64, indexed by node
        Empty for a graph without nodes.

    Examples
    --------
    >>> import pandas as pd, takedown as td
    >>> star = td.edges.from_table(pd.DataFrame({"a": ["x", "y", "z"], "b": ["hub"] * 3}), source="a", target="b")
    >>> td.graphs.pagerank(star).idxmax()
    'hub'
    """
    g = _as_igraph(graph)
    return _series(g, g.pagerank(weights=_weights(g), damping=damping), "pagerank", "float64")


def strength(graph) -> pd.DataFrame:
    """In and out degree and strength (weighted degree) of every node.

    Returns
    -------
    pandas.DataFrame
        ``in_degree``, ``out_degree``, ``in_strength``, ``out_strength``
        (floats), indexed by node; no rows for a graph without nodes.

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
        index=_nodes(g),
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
    return _series(g, g.coreness(mode=mode), "coreness", "int64")


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
        return _series(g, g.betweenness(directed=g.is_directed()), "betweenness", "float64")
    sources = np.random.default_rng(seed).choice(n, size=samples, replace=False).tolist()
    partial = np.asarray(g.betweenness(directed=g.is_directed(), sources=sources))
    return _series(g, partial * n / samples, "betweenness", "float64")


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
