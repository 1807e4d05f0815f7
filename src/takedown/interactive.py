"""The amplifier (or co-action) network to explore: a sigma.js widget in JupyterLab, and a standalone page.

Same encodings as :func:`takedown.plot.network` (ForceAtlas2 positions, node
size by amplification received or, undirected, by weighted degree, colour by
community or attribute, labels by screen name), drawn by ipysigma, the
médialab's sigma.js widget: zoom, hover, search, and an information panel
with each account's attributes. A graph without nodes gives a short message
in place of the widget, as the static figure does.

ipysigma is optional (``pip install "takedown-toolkit[notebooks]"``) and is
imported only when these functions run. The page :func:`write_html` writes
carries its JavaScript and its data inline: it opens offline and fetches
nothing.
"""

from __future__ import annotations

import html
import json
import re
from importlib import resources
from pathlib import Path

import numpy as np
from matplotlib.colors import to_hex, to_rgb

from takedown.plot.network import TITLES, _Drawing, _empty_text, _prepare

__all__ = ["sigma", "write_html"]

_INSTALL = 'the interactive network needs ipysigma: pip install "takedown-toolkit[notebooks]"'

# The sigma.js widget needs only a small part of @jupyter-widgets/base outside Jupyter: a model that
# holds its state and a view that renders into a <div>. This stands in for it, so the page needs no
# widget manager (which ipywidgets' own export loads, with require.js and the widget code, from CDNs).
_BASE = """
class WidgetModel {
  constructor(state) {
    this.attributes = Object.assign({}, this.defaults(), state);
    this.handlers = {};
  }
  defaults() { return {}; }
  get(key) { return this.attributes[key]; }
  set(key, value) {
    this.attributes[key] = value;
    (this.handlers["change:" + key] || []).forEach((handler) => handler(this, value));
  }
  on(event, handler, context) {
    (this.handlers[event] = this.handlers[event] || []).push(handler.bind(context || this));
  }
  off() {}
  save_changes() {}
  send() {}
}
WidgetModel.serializers = {};
class DOMWidgetModel extends WidgetModel {}
DOMWidgetModel.serializers = {};
class DOMWidgetView {
  constructor(options) {
    this.options = options;
    this.model = options.model;
    this.el = options.el;
    this.displayed = new Promise((resolve) => { this.shown = resolve; });
  }
  render() {}
  touch() {}
  send() {}
  remove() { this.el.replaceChildren(); }
  listenTo(other, event, handler) { other.on(event, handler, this); }
}
const base = { WidgetModel, DOMWidgetModel, WidgetView: DOMWidgetView, DOMWidgetView };
let widget = null;
function define(dependencies, factory) { widget = factory(base); }
define.amd = {};
"""

_MOUNT = """
const state = JSON.parse(document.getElementById("takedown-sigma-state").textContent);
const model = new widget.SigmaModel(state);
const view = new widget.SigmaView({ model: model, el: document.getElementById("takedown-sigma") });
view.render();
view.shown();
document.body.setAttribute("data-sigma-nodes", view.graph.order);
"""

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 1em 2em; color: #222; }}
h1 {{ font-size: 1.4em; margin-bottom: .2em; }}
p.note {{ color: #555; font-size: .85em; max-width: 70em; }}
/* The widget places its panels absolutely, inside the cell of a notebook: here, inside this box. */
#takedown-sigma {{ position: relative; border: 1px solid #ddd; }}
</style></head>
<body>
<h1>{title}</h1>
<p class="note">{note}</p>
<div id="takedown-sigma"></div>
<script type="application/json" id="takedown-sigma-state">{state}</script>
<script>
(function () {{
"use strict";
{base}
{bundle}
{mount}
}})();
</script>
</body></html>
"""


_EMPTY_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 1em 2em; color: #222; }}
h1 {{ font-size: 1.4em; margin-bottom: .2em; }}
p.empty {{ color: #d55e00; font-weight: bold; }}
p.note {{ color: #555; font-size: .85em; max-width: 70em; }}
</style></head>
<body>
<h1>{title}</h1>
<p class="empty">{headline}.</p>
<p class="note">{note}</p>
</body></html>
"""


def _ipysigma():
    try:
        import ipysigma
    except ImportError as error:
        raise ImportError(_INSTALL) from error
    return ipysigma


def _widget(drawing: _Drawing, *, title: str, what: str, height: int, labels: int, **kwargs):
    """An ipysigma widget for the drawing (a networkx graph keyed by account id, with the drawing's positions)."""
    import networkx as nx

    ipysigma = _ipysigma()
    graph = nx.DiGraph() if drawing.directed else nx.Graph()
    received = f"{what} received" if drawing.directed else f"{what} (weighted degree)"
    # The colour classes get their own attribute, named for the information panel, leaving the graph's as they are.
    colour = {"community": "community (Leiden)", "in_archive": "archive", None: "accounts"}.get(
        drawing.legend_title, f"{drawing.legend_title} (colour)"
    )
    for i, name in enumerate(drawing.names):
        attributes = {key: _plain(values[i]) for key, values in drawing.attributes.items() if key != "label"}
        attributes = {key: value for key, value in attributes.items() if value is not None}
        attributes.update(
            {"label": drawing.labels[i], colour: drawing.classes[i], received: float(drawing.received[i])}
        )
        graph.add_node(name, **attributes)
    totals: dict[tuple, float] = {}
    for s, t, w in zip(drawing.sources.tolist(), drawing.targets.tolist(), drawing.weights.tolist()):
        key = (drawing.names[s], drawing.names[t])
        totals[key] = totals.get(key, 0.0) + w
    # The amplifier's colour paled on white, as the static figure's translucent ties look: opaque ties hide
    # the nodes, and sigma.js does not draw translucent edges reliably (rgba came out cyan and yellow).
    tint = {name: to_hex(0.4 * np.asarray(to_rgb(c)) + 0.6) for name, c in zip(drawing.names, drawing.colours)}
    graph.add_edges_from((s, t, {"weight": w, "color": tint[s]}) for (s, t), w in totals.items())
    top = set(drawing.ranked(labels))
    palette = {name: to_hex(shade) for name, _, shade in drawing.legend}
    options = {
        "name": title,
        "height": height,
        "layout": {name: {"x": float(x), "y": float(y)} for name, (x, y) in zip(drawing.names, drawing.xy)},
        "node_size": received,
        "node_size_range": (2, 18),
        "node_size_scale": "sqrt",  # radius by square root: area, as in the static figure, follows amplification
        "node_color": colour,
        "node_color_palette": palette or None,
        "default_node_color": to_hex(drawing.colours[0]) if not palette else "#b8b8b8",
        "max_categorical_colors": max(len(palette), 1),
        "node_zindex": received,
        "node_label_size": {name: 14 if i in top else 10 for i, name in enumerate(drawing.names)},
        "node_label_size_range": (10, 14),
        # sigma.js shows the biggest node's label in each cell of a grid; a finer grid names more accounts.
        "label_density": 2,
        "label_grid_cell_size": 150,
        "edge_size": "weight",
        "edge_size_range": (0.4, 3),
        "default_edge_type": "arrow" if drawing.directed else "line",
    }
    options.update(kwargs)
    return ipysigma.Sigma(graph, **options)


def _plain(value):
    """JSON-friendly attribute values: numpy scalars as Python ones, NaN as missing."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and np.isnan(value):
        return None
    return value if isinstance(value, (str, int, float, bool)) or value is None else str(value)


def sigma(
    graph,
    *,
    title: str | None = None,
    color_by="community",
    max_nodes: int = 500,
    labels: int = 12,
    what: str = "retweets",
    iterations: int = 200,
    seed: int = 0,
    height: int = 600,
    **kwargs,
):
    """The network as an interactive sigma.js widget for JupyterLab, encoded as :func:`takedown.plot.network`.

    Parameters
    ----------
    graph : igraph.Graph or networkx graph
        From :func:`takedown.graphs.to_igraph` (with ``users=archive`` for
        screen names and account attributes in the information panel).
    title : str, optional
        The widget's name (ipysigma's ``name``, used for its snapshots);
        by default as in :func:`takedown.plot.network`: "Who amplifies whom"
        for a directed graph, "Who acts together" for an undirected one.
    color_by, max_nodes, labels, what, iterations, seed
        As in :func:`takedown.plot.network`: the same accounts, positions
        and colours.
    height : int
        Height of the widget in pixels.
    **kwargs
        Passed to :class:`ipysigma.Sigma`, overriding the encodings above.

    Returns
    -------
    ipysigma.Sigma or ipywidgets.HTML
        Display it in a notebook cell. A graph without nodes (a users-only
        release, data without retweets, a co-action threshold no pair
        passes) gives an ``ipywidgets.HTML`` that says there is nothing to
        draw and why that can happen, so that a notebook run on such data
        goes on to its next cell, as it does past the static figure.

    Raises
    ------
    ImportError
        Without ipysigma, saying how to install it.

    See Also
    --------
    write_html : the same view as a standalone page.

    Examples
    --------
    >>> import takedown as td
    >>> from takedown import interactive
    >>> archive = td.datasets.sample()
    >>> graph = td.graphs.to_igraph(td.edges.retweets(archive), users=archive)
    >>> widget = interactive.sigma(graph, max_nodes=100, iterations=50)
    >>> len(widget.get_state()["data"]["nodes"])
    100
    >>> empty = interactive.sigma(td.graphs.to_igraph(td.edges.retweets(archive).iloc[:0]))
    >>> "Nothing to draw" in empty.value
    True
    """
    drawing = _prepare(graph, color_by=color_by, max_nodes=max_nodes, seed=seed, iterations=iterations)
    title = TITLES[drawing.directed] if title is None else title
    if not drawing.names:
        return _empty_widget(drawing, title=title, what=what)
    return _widget(drawing, title=title, what=what, height=height, labels=labels, **kwargs)


def _empty_widget(drawing: _Drawing, *, title: str, what: str):
    """A widget that says the graph has nothing to draw, and why that can happen."""
    _ipysigma()  # the same optional dependency as the widget it stands for, which brings ipywidgets
    import ipywidgets

    headline, why = _empty_text(drawing, what=what)
    return ipywidgets.HTML(
        f"<p><b>{html.escape(title)}</b></p><p><b>{html.escape(headline)}.</b></p><p>{html.escape(why)}</p>"
    )


def _script_json(value) -> str:
    """JSON that cannot end the <script> element it sits in, whatever the data's text holds."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _bundle() -> str:
    """ipysigma's own JavaScript (its classic-notebook bundle), shipped inside the Python package."""
    ipysigma = _ipysigma()
    bundle = resources.files("ipysigma") / "nbextension" / "index.js"
    if not bundle.is_file():
        raise RuntimeError(
            f"ipysigma {getattr(ipysigma, '__version__', '')} ships no nbextension/index.js to inline in the page; "
            "ipysigma 0.24 does"
        )
    code = bundle.read_text(encoding="utf-8")
    # The source map is a separate file the page would not have.
    code = "\n".join(line for line in code.splitlines() if not line.startswith("//# sourceMappingURL="))
    # "</script" may only stand in strings, regular expressions or comments, where "<\/script" means the same.
    return re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE)


def write_html(
    graph,
    path,
    *,
    title: str | None = None,
    color_by="community",
    max_nodes: int = 500,
    labels: int = 12,
    what: str = "retweets",
    iterations: int = 200,
    seed: int = 0,
    source: str | None = None,
    height: int = 700,
    **kwargs,
) -> Path:
    """Write the interactive network as one self-contained HTML page that works offline.

    The page holds ipysigma's JavaScript and the graph inline and loads
    nothing from the network (ipysigma's own ``write_html`` loads require.js,
    the widget manager and the widget from CDNs). For a graph without nodes
    the page says there is nothing to draw, and why that can happen.

    Parameters
    ----------
    graph : igraph.Graph or networkx graph
    path : str or os.PathLike
    title : str, optional
        As in :func:`sigma`: by default "Who amplifies whom" for a directed
        graph, "Who acts together" for an undirected one.
    color_by, max_nodes, labels, what, iterations, seed, height, **kwargs
        As in :func:`sigma`.
    source : str, optional
        The release, named under the title.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import tempfile, takedown as td
    >>> from takedown import interactive
    >>> archive = td.datasets.sample()
    >>> graph = td.graphs.to_igraph(td.edges.retweets(archive), users=archive)
    >>> page = interactive.write_html(graph, tempfile.mkdtemp() + "/network.html", max_nodes=100, iterations=50)
    >>> text = page.read_text(encoding="utf-8")
    >>> "<script src=" in text, "<link" in text
    (False, False)
    """
    path = Path(path)
    drawing = _prepare(graph, color_by=color_by, max_nodes=max_nodes, seed=seed, iterations=iterations)
    title = TITLES[drawing.directed] if title is None else title
    if not drawing.names:
        headline, why = _empty_text(drawing, what=what)
        note = why + (f" Source: {source}." if source else "")
        page = _EMPTY_PAGE.format(title=html.escape(title), headline=html.escape(headline), note=html.escape(note))
        path.write_text(page, encoding="utf-8")
        return path
    widget = _widget(drawing, title=title, what=what, height=height, labels=labels, **kwargs)
    state = {key: value for key, value in widget.get_state().items() if key != "snapshot"}
    note = drawing.note(what=what, labelled=len(drawing.ranked(labels)), labels="Larger labels")
    note += " Hover or search an account; click it for its attributes."
    if source:
        note = f"Source: {source}. {note}"
    page = _PAGE.format(
        title=html.escape(title),
        note=html.escape(note),
        state=_script_json(state),
        base=_BASE,
        bundle=_bundle(),
        mount=_MOUNT,
    )
    path.write_text(page, encoding="utf-8")
    return path
