"""The amplifier network drawn as analysts draw it."""

from __future__ import annotations

import networkx as nx
import numpy as np
from matplotlib.axes import Axes

from takedown.plot.charts import PALETTE, _axes, _finish

__all__ = ["network"]


def network(
    graph,
    *,
    ax: Axes | None = None,
    color_by: str | None = None,
    max_nodes: int = 3_000,
    seed: int = 0,
    source: str | None = None,
    **kwargs,
) -> Axes:
    """A small network drawing (spring layout), node size by weighted in-degree.

    Parameters
    ----------
    graph : networkx graph
        From :func:`takedown.graphs.to_networkx`.
    color_by : str, optional
        A node attribute (e.g. ``"in_archive"`` or a community number set on the nodes).
    max_nodes : int
        Larger graphs are refused: a hairball says nothing; export to Gephi instead.

    Examples
    --------
    >>> import takedown as td
    >>> archive = td.datasets.sample()
    >>> graph = td.graphs.to_networkx(td.edges.retweets(archive), users=archive)
    >>> ax = td.plot.network(graph, color_by="in_archive")
    >>> len(ax.collections[0].get_offsets()) == graph.number_of_nodes()
    True
    """
    if not isinstance(graph, nx.Graph):
        raise TypeError(f"graph: expected a networkx graph (takedown.graphs.to_networkx), got {type(graph).__name__}")
    if graph.number_of_nodes() > max_nodes:
        raise ValueError(
            f"graph: {graph.number_of_nodes():,} nodes is too many to draw (max_nodes={max_nodes:,}); "
            "write it with takedown.graphs.write_gexf and use Gephi"
        )
    ax = _axes(ax)
    positions = nx.spring_layout(graph, seed=seed, weight="weight")
    strength = dict(graph.in_degree(weight="weight")) if graph.is_directed() else dict(graph.degree(weight="weight"))
    sizes = [10 + 40 * np.sqrt(strength[n]) for n in graph.nodes]
    values = [graph.nodes[n].get(color_by) for n in graph.nodes] if color_by else [0] * graph.number_of_nodes()
    levels = {value: i for i, value in enumerate(sorted(set(values), key=str))}
    colours = [PALETTE[levels[v] % len(PALETTE)] for v in values]
    nx.draw_networkx_nodes(graph, positions, ax=ax, node_size=sizes, node_color=colours, linewidths=0, **kwargs)
    nx.draw_networkx_edges(graph, positions, ax=ax, alpha=0.15, width=0.5, arrows=False)
    ax.set_axis_off()
    return _finish(ax, title="Who amplifies whom", xlabel="", ylabel="", source=source)
