"""The amplifier network, or a co-action network, drawn as analysts draw it in Gephi.

ForceAtlas2 layout (Jacomy et al. 2014), node area by amplification
received (weighted in-degree; weighted degree for an undirected co-action
graph), colour by community or by a node attribute, the most amplified (or
most connected) accounts labelled by screen name, and legends for colour
and size. Big graphs are cut to their most active accounts, and the figure
says so; a graph without nodes is drawn as an empty figure that says so.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

import igraph as ig
import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgb
from matplotlib.lines import Line2D

from takedown.graphs import communities
from takedown.plot.charts import _SOURCE_STYLE, PALETTE, _finish, _nothing

__all__ = ["network"]

#: Categories coloured one by one; the rest share one grey.
MAX_COLOURS = 8
# The colour-blind palette without its grey, which marks the classes beyond MAX_COLOURS.
_COLOURS = [colour for colour in PALETTE if len(set(colour)) > 1][:MAX_COLOURS]
_OTHER = "0.72"
_MISSING = "0.45"
_SCREEN_NAME = re.compile(r"^[A-Za-z0-9_]{1,15}$")  # Twitter's rule: at most 15 letters, digits or _
_MIN_AREA, _MAX_AREA = 6.0, 420.0  # points squared
_FONT = 7.5
_WIDTH, _HEIGHT = 900 / 110, 7.0  # the report's width (900 px at dpi 110)
#: The default title, by whether the graph is directed (who amplifies whom) or not (pairs that act together).
TITLES = {True: "Who amplifies whom", False: "Who acts together"}


@dataclass(frozen=True)
class _Drawable:
    """A graph as arrays: node names and labels, edges as node numbers, node attributes as lists."""

    names: list
    labels: list[str]
    sources: np.ndarray
    targets: np.ndarray
    weights: np.ndarray
    directed: bool
    attributes: dict[str, list]


def _drawable(graph) -> _Drawable:
    if isinstance(graph, ig.Graph):
        attributes = {key: graph.vs[key] for key in graph.vs.attributes()}
        names = attributes.pop("name", None) or [str(i) for i in range(graph.vcount())]
        pairs = np.asarray(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
        weights = graph.es["weight"] if "weight" in graph.es.attributes() else np.ones(len(pairs))
    elif isinstance(graph, nx.Graph):
        names = list(graph.nodes)
        number = {name: i for i, name in enumerate(names)}
        triples = list(graph.edges(data="weight", default=1.0))
        pairs = np.asarray([(number[u], number[v]) for u, v, _ in triples], dtype=np.int64).reshape(-1, 2)
        weights = [w for _, _, w in triples]
        keys = dict.fromkeys(key for _, data in graph.nodes(data=True) for key in data)
        attributes = {key: [graph.nodes[n].get(key) for n in names] for key in keys}
    else:
        raise TypeError(
            f"graph: expected an igraph or networkx graph (takedown.graphs.to_igraph), got {type(graph).__name__}"
        )
    labels = attributes.get("label") or [None] * len(names)
    return _Drawable(
        names=list(names),
        labels=[str(label) if label is not None else str(name) for label, name in zip(labels, names)],
        sources=pairs[:, 0],
        targets=pairs[:, 1],
        weights=np.asarray(weights, dtype=np.float64),
        directed=graph.is_directed(),
        attributes=attributes,
    )


def _short(label: str) -> str:
    """A screen name as it is; an id or a hash (longer than a screen name can be) cut to 6 characters."""
    return label if _SCREEN_NAME.match(label.removeprefix("@")) else label[:6] + "…"


def _categories(values: list, *, attribute: str) -> tuple[list[str], list, list[tuple[str, int, object]]]:
    """Each node's class name and colour, and the legend (name, nodes, colour), largest class first."""
    series = pd.Series([None if _missing(v) else v for v in values], dtype=object)
    counts = series.value_counts(dropna=True, sort=False)
    if counts.empty:
        raise ValueError(f"color_by: no drawn node has a value for {attribute!r}")
    # Largest first, equal classes in their natural order; communities by number (0 is the largest of the
    # whole graph), and yes before no, so that one attribute has the same colours in every figure.
    order = sorted(counts.index, key=lambda value: (-counts[value], _sortable(value)))
    if attribute == "community" and all(isinstance(v, (int, np.integer)) for v in order):
        order = sorted(order)
    elif all(isinstance(v, (bool, np.bool_)) for v in order):
        order = sorted(order, reverse=True)
    shown, rest = order[:MAX_COLOURS], order[MAX_COLOURS:]
    names = {value: _class_name(value, attribute) for value in shown}
    colour_of = {value: _COLOURS[i] for i, value in enumerate(shown)}
    other = f"{len(rest):,} other {'communities' if attribute == 'community' else 'values'}"
    classes = [names.get(v, other) if v is not None else "unknown" for v in series]
    colours = [colour_of.get(v, _OTHER) if v is not None else _MISSING for v in series]
    legend = [(names[value], int(counts[value]), colour_of[value]) for value in shown]
    if rest:
        legend.append((other, int(counts[rest].sum()), _OTHER))
    missing = int(series.isna().sum())
    if missing:
        legend.append(("unknown", missing, _MISSING))
    return classes, colours, legend


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA


def _sortable(value):
    return (0, value) if isinstance(value, (int, float, np.integer, np.floating, bool, np.bool_)) else (1, str(value))


def _class_name(value, attribute: str) -> str:
    if attribute == "in_archive" and isinstance(value, (bool, np.bool_)):
        return "in the archive" if value else "outside the archive"
    if attribute == "community":
        return f"community {value}"
    return str(value)


def _select(strength_in: np.ndarray, strength_out: np.ndarray, max_nodes: int) -> np.ndarray:
    """The ``max_nodes`` nodes with the most amplification made or received, by node number."""
    if len(strength_in) <= max_nodes:
        return np.arange(len(strength_in))
    total = strength_in + strength_out
    # Ties broken by amplification received, then by node number, so the cut is reproducible.
    order = np.lexsort((np.arange(len(total)), -strength_in, -total))
    return np.sort(order[:max_nodes])


def _layout(n: int, sources, targets, weights, *, seed: int, iterations: int) -> np.ndarray:
    """ForceAtlas2 positions on the undirected graph (weights of both directions added), scaled into [-1, 1]."""
    if n == 1:
        return np.zeros((1, 2))
    undirected = nx.Graph()
    undirected.add_nodes_from(range(n))
    low, high = np.minimum(sources, targets), np.maximum(sources, targets)
    keep = low != high
    pairs = pd.DataFrame({"a": low[keep], "b": high[keep], "w": weights[keep]}).groupby(["a", "b"])["w"].sum()
    # Gephi's "edge weight influence" of 0.5: with weights as they are, a few ties of hundreds of
    # retweets pull so hard that the layout swings instead of settling.
    undirected.add_weighted_edges_from(
        zip(pairs.index.get_level_values(0), pairs.index.get_level_values(1), np.sqrt(pairs.to_numpy()))
    )
    # networkx's ForceAtlas2 divides by the distance between nodes, zero for nodes that start on one point.
    with np.errstate(divide="ignore", invalid="ignore"):
        positions = nx.forceatlas2_layout(
            undirected, seed=seed, weight="weight", max_iter=iterations, strong_gravity=True, gravity=0.5
        )
    xy = np.asarray([positions[i] for i in range(n)], dtype=np.float64)
    xy -= (xy.max(axis=0) + xy.min(axis=0)) / 2
    extent = np.abs(xy).max()
    return xy / extent if extent > 0 else xy


def _areas(received: np.ndarray, largest: float) -> np.ndarray:
    """Marker areas proportional to amplification received (area, not radius, so the eye reads it right)."""
    return (
        _MIN_AREA + (_MAX_AREA - _MIN_AREA) * received / largest if largest > 0 else np.full(len(received), _MIN_AREA)
    )


def _size_keys(largest: float) -> list[float]:
    """Round values for the size legend: the largest one-significant-figure number not above the largest
    value, then a fifth and a twenty-fifth of it (1,293 gives 1,000, 200, 40), none below 1."""
    if largest < 1:
        return [largest] if largest > 0 else []
    top = 10 ** np.floor(np.log10(largest))
    top *= np.floor(largest / top)
    keys = [float(top)] + [float(f"{top / d:.0g}") for d in (5, 25)]
    return sorted({k for k in keys if k >= 1}, reverse=True)


def _offsets(gap: float) -> list[tuple[float, float, str, str]]:
    """Where a label may go around a node whose edge is ``gap`` points from its centre: near first, then further."""
    near = [
        (gap, 0, "left", "center"),
        (-gap, 0, "right", "center"),
        (0, gap, "center", "bottom"),
        (0, -gap, "center", "top"),
        (gap * 0.7, gap * 0.7, "left", "bottom"),
        (-gap * 0.7, gap * 0.7, "right", "bottom"),
        (gap * 0.7, -gap * 0.7, "left", "top"),
        (-gap * 0.7, -gap * 0.7, "right", "top"),
    ]
    return near + [(dx * 2.2 + np.sign(dx) * 4, dy * 2.2 + np.sign(dy) * 4, ha, va) for dx, dy, ha, va in near]


def _box(centre, size, offset) -> tuple[float, float, float, float]:
    (x, y), (width, height), (dx, dy, ha, va) = centre, size, offset
    left = x + dx - {"left": 0, "center": width / 2, "right": width}[ha]
    bottom = y + dy - {"bottom": 0, "center": height / 2, "top": height}[va]
    return left, bottom, left + width, bottom + height


def _crowding(box, placed: list, centres: np.ndarray, radii: np.ndarray, frame) -> float:
    """How much a label's box covers earlier labels, the biggest nodes, and the outside of the drawing."""
    x0, y0, x1, y1 = box
    covered = sum(max(0.0, min(x1, b[2]) - max(x0, b[0])) * max(0.0, min(y1, b[3]) - max(y0, b[1])) for b in placed)
    near = (centres[:, 0] > x0 - radii) & (centres[:, 0] < x1 + radii)
    near &= (centres[:, 1] > y0 - radii) & (centres[:, 1] < y1 + radii)
    covered += float((radii[near] ** 2).sum())
    inside = max(0.0, min(x1, frame[2]) - max(x0, frame[0])) * max(0.0, min(y1, frame[3]) - max(y0, frame[1]))
    return covered + 4 * ((x1 - x0) * (y1 - y0) - inside)


def _place_labels(ax: Axes, xy: np.ndarray, areas: np.ndarray, texts: list[str], order: np.ndarray) -> None:
    """Label nodes, most amplified first, each where it covers no earlier label and no big node.

    Text extents are estimated from the font size (no renderer needed), in
    points; a label that fits nowhere takes its least crowded place.
    """
    ax.apply_aspect()
    to_points = 72 / ax.figure.dpi
    everywhere = ax.transData.transform(xy) * to_points
    # The biggest nodes are obstacles; small ones may lie under a label.
    big = np.argsort(-areas, kind="stable")[: max(40, len(order))]
    obstacles, obstacle_radii = everywhere[big], np.sqrt(areas[big] / np.pi)
    frame = ax.transAxes.transform([(0, 0), (1, 1)]).ravel() * to_points
    placed: list[tuple[float, float, float, float]] = []
    halo = [patheffects.withStroke(linewidth=2.4, foreground="white")]
    for text, node in zip(texts, order):
        size = (0.58 * _FONT * len(text), 1.25 * _FONT)
        candidates = _offsets(np.sqrt(areas[node] / np.pi) + 1.5)
        scores = [
            _crowding(_box(everywhere[node], size, c), placed, obstacles, obstacle_radii, frame) for c in candidates
        ]
        best = candidates[int(np.argmin(scores))]
        placed.append(_box(everywhere[node], size, best))
        ax.annotate(
            text,
            xy=xy[node],
            xytext=best[:2],
            textcoords="offset points",
            ha=best[2],
            va=best[3],
            fontsize=_FONT,
            color="0.1",
            path_effects=halo,
            zorder=4,
        )


@dataclass(frozen=True)
class _Drawing:
    """What a network figure shows, worked out once for the static figure and the interactive view.

    Node arrays are in node-number order of the drawn nodes; edges refer to
    those numbers.
    """

    names: list
    labels: list[str]
    xy: np.ndarray
    received: np.ndarray
    classes: list[str]
    colours: list
    legend: list[tuple[str, int, object]]
    legend_title: str | None
    sources: np.ndarray
    targets: np.ndarray
    weights: np.ndarray
    directed: bool
    nodes_total: int
    weight_total: float
    attributes: dict[str, list]

    def ranked(self, count: int) -> list[int]:
        """The ``count`` most amplified (or, undirected, most connected) drawn nodes, none with nothing, most first."""
        order = np.lexsort((np.arange(len(self.names)), -self.received))
        return [int(i) for i in order if self.received[i] > 0][:count]

    def note(self, *, what: str, labelled: int, labels: str = "Labels") -> str:
        """What the drawing shows of the graph, in a sentence or three.

        A directed graph is one of amplification (who retweets whom): its
        accounts are ranked by amplification made and received, and the
        labelled ones are the most amplified. An undirected graph ties pairs
        that acted together: its accounts are ranked by weighted degree.
        ``labels`` names the labels (the interactive page labels every node
        and shows these ``"Larger labels"``).
        """
        most = f"the most {what} made or received" if self.directed else f"the most {what} (weighted degree)"
        if len(self.names) < self.nodes_total:
            share = f" ({self.weights.sum() / self.weight_total:.0%} of {what})" if self.weight_total > 0 else ""
            text = (
                f"The {len(self.names):,} of {self.nodes_total:,} accounts with {most}, "
                f"and the {len(self.weights):,} ties among them{share}."
            )
        else:
            text = (
                f"All {self.nodes_total:,} accounts and {len(self.weights):,} ties ({self.weight_total:,.0f} {what})."
            )
        if labelled:
            received = f"that received the most {what}" if self.directed else f"with {most}"
            text += f" {labels}: the {labelled} {received}."
        return text + " Layout: ForceAtlas2."


def _prepare(graph, *, color_by, max_nodes: int, seed: int, iterations: int) -> _Drawing:
    if max_nodes < 1 or iterations < 1:
        raise ValueError("max_nodes and iterations: expected at least 1")
    drawable = _drawable(graph)
    n = len(drawable.names)
    if n == 0:
        return _no_drawing(drawable)
    received = np.bincount(drawable.targets, weights=drawable.weights, minlength=n)
    made = np.bincount(drawable.sources, weights=drawable.weights, minlength=n)
    if not drawable.directed:
        received = made = received + made
    nodes = _select(received, made, max_nodes)
    position = np.full(n, -1)
    position[nodes] = np.arange(len(nodes))
    inside = (position[drawable.sources] >= 0) & (position[drawable.targets] >= 0)
    sources, targets = position[drawable.sources[inside]], position[drawable.targets[inside]]
    weights = drawable.weights[inside]
    if color_by is None:
        classes, colours, legend, legend_title = ["accounts"] * len(nodes), [_COLOURS[0]] * len(nodes), [], None
    else:
        values, legend_title = _colour_values(graph, drawable, color_by, seed=seed)
        classes, colours, legend = _categories([values[i] for i in nodes], attribute=legend_title)
    return _Drawing(
        names=[drawable.names[i] for i in nodes],
        labels=[_short(drawable.labels[i]) for i in nodes],
        xy=_layout(len(nodes), sources, targets, weights, seed=seed, iterations=iterations),
        received=received[nodes],
        classes=classes,
        colours=colours,
        legend=legend,
        legend_title=legend_title,
        sources=sources,
        targets=targets,
        weights=weights,
        directed=drawable.directed,
        nodes_total=n,
        weight_total=float(drawable.weights.sum()),
        attributes={key: [values[i] for i in nodes] for key, values in drawable.attributes.items()},
    )


def _no_drawing(drawable: _Drawable) -> _Drawing:
    """The drawing of a graph without nodes: a legitimate result (a users-only release, data without retweets,
    a co-action threshold no pair passes) that figures show as such."""
    none = np.zeros(0, dtype=np.int64)
    return _Drawing(
        names=[],
        labels=[],
        xy=np.zeros((0, 2)),
        received=np.zeros(0),
        classes=[],
        colours=[],
        legend=[],
        legend_title=None,
        sources=none,
        targets=none,
        weights=np.zeros(0),
        directed=drawable.directed,
        nodes_total=0,
        weight_total=0.0,
        attributes={},
    )


def _empty_text(drawing: _Drawing, *, what: str) -> tuple[str, str]:
    """What an empty figure or page says: a headline, and where an empty graph of its kind comes from."""
    headline = f"Nothing to draw: the graph has no accounts and no {what}"
    if drawing.directed:
        why = (
            "An empty amplification graph is a result, not an error: a users-only release has no tweets, and "
            f"other data may hold no {what} at all (Reddit's posts have no retweets)."
        )
    else:
        why = (
            "An empty co-action graph is a result, not an error: no pair of accounts acted together often enough "
            "within the window (min_shared, window), or the data hold no tweets to compare."
        )
    return headline, why


def network(
    graph,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    color_by: str | pd.Series | None = "community",
    max_nodes: int = 500,
    labels: int = 12,
    what: str = "retweets",
    iterations: int = 200,
    seed: int = 0,
    source: str | None = None,
    **kwargs,
) -> Axes:
    """A network as analysts draw it: ForceAtlas2 layout, node area by amplification received, colour by community.

    A directed graph (who retweets, replies to or mentions whom) is drawn as
    amplification: node area by weighted in-degree, labels on the most
    amplified. An undirected graph (pairs of accounts that acted together,
    :func:`takedown.edges.co_actions` or :func:`takedown.graphs.projection`)
    is drawn by weighted degree. A graph without nodes gives an empty figure
    that says there is nothing to draw, and why that can happen.

    Parameters
    ----------
    graph : igraph.Graph or networkx graph
        From :func:`takedown.graphs.to_igraph` or :func:`takedown.graphs.to_networkx`;
        built with ``users=archive`` the nodes carry ``label`` (screen names)
        and ``in_archive``.
    title : str, optional
        By default :data:`TITLES` for the graph's kind: "Who amplifies whom"
        for a directed graph, "Who acts together" for an undirected one.
    color_by : str, pandas.Series or None, default "community"
        ``"community"``: Leiden communities (:func:`takedown.graphs.communities`
        of the whole graph, or the nodes' ``community`` attribute if they
        have one); another string: a categorical node attribute such as
        ``"in_archive"`` or FiveThirtyEight's ``"account_category"``; a
        Series indexed by node name (e.g. communities computed once);
        ``None``: one colour. The :data:`MAX_COLOURS` largest classes get a
        colour each, the rest one grey.
    max_nodes : int
        Graphs with more nodes are cut to the ``max_nodes`` accounts with the
        most amplification made or received (weighted in- plus out-degree)
        and the ties among them; the figure says how much it shows. A
        hairball of thousands of nodes says nothing at report size, and the
        layout's time grows with the square of the nodes drawn.
    labels : int
        The most amplified accounts (undirected: those with the highest
        weighted degree) labelled with their screen name; ids and hashes
        longer than a screen name can be are cut to 6 characters and "…".
    what : str
        What the edge weights count, for the legend and the note.
    iterations : int
        ForceAtlas2 iterations.
    seed : int
        The drawing is the same for the same seed.
    source : str, optional
        The release, for the source line.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.scatter` for the nodes.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax.collections[0]`` holds the nodes, least amplified first (the
        most amplified drawn on top), ``ax.collections[1]`` the edges
        (coloured by their source, width by weight); ``ax.artists[0]`` is
        the colour legend and ``ax.get_legend()`` the size legend; the
        labels are in ``ax.texts``. For a graph without nodes the axes hold
        no collection, and ``ax.texts`` the message and the note.

    Notes
    -----
    The layout is networkx's ForceAtlas2 (the algorithm of Gephi) on the
    graph made undirected, with Gephi's edge weight influence at 0.5 (square
    roots of the weights pull) and strong gravity, so that heavy ties do not
    fling nodes away and small components stay near the main one. Node area,
    not radius, grows linearly with weighted in-degree (for an undirected
    graph, weighted degree), from a small minimum that keeps every account
    visible; the size legend uses the same scale.

    References
    ----------
    Jacomy, Venturini, Heymann & Bastian (2014), "ForceAtlas2, a continuous
    graph layout algorithm for handy network visualization designed for the
    Gephi software", PLoS ONE 9(6): e98679.

    Examples
    --------
    >>> import takedown as td
    >>> archive = td.datasets.sample()
    >>> graph = td.graphs.to_igraph(td.edges.retweets(archive), users=archive)
    >>> ax = td.plot.network(graph, color_by="in_archive", source=archive.name)
    >>> len(ax.collections[0].get_offsets()) == min(graph.vcount(), 500)
    True
    >>> [t.get_text() for t in ax.artists[0].get_texts()]
    ['in the archive · 463', 'outside the archive · 20']

    Pairs of accounts that retweeted the same tweets within a minute,
    and a users-only release, which has no ties at all:

    >>> pairs = td.edges.co_actions(archive, on="retweet", window="60s")
    >>> ax = td.plot.network(td.graphs.to_igraph(pairs, directed=False), what="co-retweets")
    >>> ax.get_title(loc="left")
    'Who acts together'
    >>> empty = td.graphs.to_igraph(td.edges.retweets(archive).iloc[:0])
    >>> td.plot.network(empty).texts[0].get_text()
    'Nothing to draw: the graph has no accounts and no retweets'
    """
    if labels < 0:
        raise ValueError(f"labels: expected 0 or more, got {labels}")
    drawing = _prepare(graph, color_by=color_by, max_nodes=max_nodes, seed=seed, iterations=iterations)
    title = TITLES[drawing.directed] if title is None else title
    if not drawing.names:
        # The other figures' size, not the drawing's: seven inches of white around one sentence reads as a failure.
        ax = ax if ax is not None else plt.subplots(figsize=(_WIDTH, 4))[1]
        return _empty_network(ax, drawing, title=title, what=what, source=source)
    ax = ax if ax is not None else _network_axes()
    xy, strength = drawing.xy, drawing.received
    largest = float(strength.max())
    areas = _areas(strength, largest)
    order = np.lexsort((np.arange(len(strength)), strength))  # least amplified drawn first, the most on top
    ax.scatter(
        xy[order, 0],
        xy[order, 1],
        s=areas[order],
        c=[drawing.colours[i] for i in order],
        linewidths=0.4,
        edgecolors="white",
        zorder=3,
        **kwargs,
    )
    sources, targets, weights = drawing.sources, drawing.targets, drawing.weights
    by_weight = np.argsort(weights, kind="stable")  # heavy ties drawn last
    top_weight = weights.max() if len(weights) else 1.0
    ax.add_collection(
        LineCollection(
            np.stack([xy[sources[by_weight]], xy[targets[by_weight]]], axis=1).reshape(-1, 2, 2),
            colors=[(*to_rgb(drawing.colours[s]), 0.28) for s in sources[by_weight]],
            linewidths=0.25 + 1.6 * np.sqrt(weights[by_weight] / top_weight),
            zorder=1,
        )
    )
    ax.set_xlim(-1.08, 1.08)
    ax.set_ylim(-1.08, 1.08)
    ax.set_aspect("equal", adjustable="box")
    ax.set_axis_off()
    _legends(ax, drawing, largest=largest, what=what)
    ranked = drawing.ranked(labels)
    _place_labels(ax, xy, areas, [drawing.labels[i] for i in ranked], np.asarray(ranked, dtype=int))
    note = drawing.note(what=what, labelled=len(ranked)) + (f"\nSource: {source}" if source else "")
    # Right under the drawing: the other figures' source line sits below an x axis this figure has not.
    ax.annotate(
        "\n".join(textwrap.fill(line, 105) for line in note.splitlines()),
        xy=(0, 0),
        xycoords="axes fraction",
        xytext=(0, -4),
        textcoords="offset points",
        **_SOURCE_STYLE,
    )
    return _finish(ax, title=title, xlabel="", ylabel="", source=None)


def _legends(ax: Axes, drawing: _Drawing, *, largest: float, what: str) -> None:
    """The colour legend (classes, with the accounts drawn in each) and the size legend, right of the drawing."""
    if drawing.legend:
        colour_legend = ax.legend(
            [
                Line2D([], [], marker="o", linestyle="", markersize=7, markerfacecolor=c, markeredgecolor="white")
                for _, _, c in drawing.legend
            ],
            [f"{name} · {count:,}" for name, count, _ in drawing.legend],
            title=_legend_title(drawing.legend_title),
            loc="upper left",
            bbox_to_anchor=(1.0, 1.0),
            frameon=False,
            fontsize=8,
            title_fontsize=8,
            alignment="left",
        )
        ax.add_artist(colour_legend)
        colour_legend.set_clip_on(False)  # add_artist clips to the axes, and this legend stands beside them
    keys = _size_keys(largest)
    if not keys:
        return
    ax.legend(
        [
            Line2D(
                [], [], marker="o", linestyle="", markersize=np.sqrt(a), markerfacecolor="0.6", markeredgecolor="white"
            )
            for a in _areas(np.asarray(keys), largest)
        ],
        [f"{k:,.0f}" for k in keys],
        title=f"{what} received" if drawing.directed else f"{what} (weighted degree)",
        loc="lower left",
        bbox_to_anchor=(1.0, 0.0),
        frameon=False,
        fontsize=8,
        title_fontsize=8,
        labelspacing=1.3,
        borderpad=1.0,
        alignment="left",
    )


def _empty_network(ax: Axes, drawing: _Drawing, *, title: str, what: str, source: str | None) -> Axes:
    """The figure of a graph without nodes, as the other figures draw data that lack what they show: a framed
    empty chart with the reason in a box, and under it where such a graph comes from."""
    headline, why = _empty_text(drawing, what=what)
    _nothing(ax, headline, title=title, source=None)
    note = why + (f"\nSource: {source}" if source else "")
    ax.annotate(
        "\n".join(textwrap.fill(line, 105) for line in note.splitlines()),
        xy=(0, 0),
        xycoords="axes fraction",
        xytext=(0, -4),
        textcoords="offset points",
        **_SOURCE_STYLE,
    )
    return ax


def _network_axes() -> Axes:
    figure, ax = plt.subplots(figsize=(_WIDTH, _HEIGHT))
    figure.subplots_adjust(left=0.02, right=0.72, top=0.93, bottom=0.1)
    return ax


def _legend_title(attribute: str) -> str:
    return {"community": "Community (Leiden), accounts drawn", "in_archive": "Accounts drawn"}.get(
        attribute, f"{attribute}, accounts drawn"
    )


def _colour_values(graph, drawable: _Drawable, color_by, *, seed: int) -> tuple[list, str]:
    """The value that colours each node of the whole graph, and the name of what it is."""
    if isinstance(color_by, pd.Series):
        values = color_by.reindex(pd.Index(drawable.names, dtype=object))
        return [None if pd.isna(v) else v for v in values.tolist()], str(color_by.name or "value")
    if not isinstance(color_by, str):
        raise TypeError(f"color_by: expected a node attribute name, a Series or None, got {type(color_by).__name__}")
    values = drawable.attributes.get(color_by)
    if values is not None and any(not _missing(v) for v in values):
        return list(values), color_by
    if color_by == "community":
        found = communities(graph, seed=seed)
        return found.reindex(pd.Index(drawable.names, dtype=object)).tolist(), "community"
    raise ValueError(f"color_by: no node has the attribute {color_by!r}; pass 'community', a node attribute or None")
