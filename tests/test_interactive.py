"""The interactive network: the ipysigma widget and the standalone page, opened offline in headless Chromium."""

from __future__ import annotations

import builtins
import json
import re
import shutil
import subprocess

import networkx as nx
import pytest

import takedown as td
from takedown import interactive

from .conftest import HASH_A

pytest.importorskip("ipysigma", reason='ipysigma is optional: pip install "takedown-toolkit[notebooks]"')

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
EVIL = "</script><script>alert('x')</script>"
FAST = {"iterations": 30}


def star() -> nx.DiGraph:
    """'hub' receives 10 + 5 retweets, HASH_A 4, 'mid' 3; 'a' and 'b' (in the archive) none."""
    graph = nx.DiGraph()
    for name, inside in (("a", True), ("b", True), ("hub", False), ("mid", False), (HASH_A, True)):
        graph.add_node(name, in_archive=inside, label=EVIL if name == "mid" else name, followers=7)
    graph.add_weighted_edges_from([("a", "hub", 10), ("b", "hub", 5), ("a", "mid", 3), ("b", HASH_A, 4)])
    return graph


def test_widget_carries_the_static_figure_encodings():
    widget = interactive.sigma(star(), color_by="in_archive", **FAST)
    state = widget.get_state()
    nodes = {node["key"]: node["attributes"] for node in state["data"]["nodes"]}
    assert set(nodes) == {"a", "b", "hub", "mid", HASH_A}
    assert nodes["hub"]["retweets received"] == 15 and nodes["a"]["retweets received"] == 0
    assert nodes[HASH_A]["label"] == HASH_A[:6] + "…" and nodes["hub"]["label"] == "hub"
    assert nodes["hub"]["archive"] == "outside the archive" and nodes["a"]["archive"] == "in the archive"
    assert nodes["hub"]["in_archive"] is False  # the graph's own attribute, as it was
    assert nodes["a"]["followers"] == 7  # the account's attributes, for the information panel
    size = state["visual_variables"]["nodeSize"]
    assert size["type"] == "continuous" and size["scale"][0] == "sqrt"  # area follows amplification
    colour = state["visual_variables"]["nodeColor"]
    assert dict(colour["palette"]) == {"in the archive": "#0173b2", "outside the archive": "#de8f05"}
    weights = {(e["source"], e["target"]): e["attributes"]["weight"] for e in state["data"]["edges"]}
    assert weights == {("a", "hub"): 10, ("b", "hub"): 5, ("a", "mid"): 3, ("b", HASH_A): 4}
    assert set(state["layout"]) == set(nodes)


def test_page_is_self_contained_and_data_cannot_break_out(tmp_path):
    page = interactive.write_html(star(), tmp_path / "network.html", source="hand-made", **FAST)
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    # Nothing loaded from elsewhere: no script, style or image by address, no CSS import.
    markup = re.sub(r"<script\b[^>]*>.*?</script>", "<script></script>", text, flags=re.DOTALL)
    assert markup.count("<script></script>") == 2  # the data and the code, both inline
    assert not re.search(r"\b(src|href)=", markup) and "<link" not in markup
    # (Searches, not `in`: pytest's explanation of a failed `in` on a 1 MB page takes minutes.)
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", text)
    assert not re.search(r"sourceMappingURL=(?!data:)", text)  # the bundle's own map is left out
    # A label holding </script> stays inside the data.
    assert text.find(EVIL) == -1 and text.count("</script>") == 2
    state = re.search(r'<script type="application/json" id="takedown-sigma-state">(.*?)</script>', text, re.DOTALL)
    nodes = {n["key"]: n["attributes"] for n in json.loads(state.group(1))["data"]["nodes"]}
    assert nodes["mid"]["label"] == EVIL[:6] + "…"
    assert "Source: hand-made" in text


def test_missing_ipysigma_says_how_to_install(monkeypatch):
    real_import = builtins.__import__

    def no_ipysigma(name, *args, **kwargs):
        if name == "ipysigma":
            raise ImportError("No module named 'ipysigma'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_ipysigma)
    with pytest.raises(ImportError, match=r'pip install "takedown-toolkit\[notebooks\]"'):
        interactive.sigma(star(), **FAST)


_CHECK = """<script>
window.__errors = [];
window.addEventListener("error", (e) => window.__errors.push(String(e.message)));
window.addEventListener("unhandledrejection", (e) => window.__errors.push(String(e.reason)));
const __consoleError = console.error;
console.error = (...args) => { window.__errors.push(args.join(" ")); __consoleError(...args); };
window.addEventListener("load", () => setTimeout(() => {
  const remote = performance.getEntriesByType("resource").filter((r) => !r.name.startsWith("file:")
    && !r.name.startsWith("blob:") && !r.name.startsWith("data:"));
  document.body.setAttribute("data-remote", remote.length);
  document.body.setAttribute("data-canvases", document.querySelectorAll("#takedown-sigma canvas").length);
  document.body.setAttribute("data-errors", window.__errors.length);
  document.body.setAttribute("data-first-error", window.__errors[0] || "");
}, 1000));
</script>"""


def test_page_renders_offline_in_headless_chromium(tmp_path):
    browser = next((shutil.which(name) for name in BROWSERS if shutil.which(name)), None)
    if browser is None:
        pytest.skip("no Chromium on this machine (Debian package 'chromium'; .ci/run installs it)")
    archive = td.datasets.sample()
    graph = td.graphs.to_igraph(td.edges.retweets(archive), users=archive)
    page = interactive.write_html(graph, tmp_path / "network.html", max_nodes=150, source=archive.name, **FAST)
    # The check listens before the page's own script runs, in a copy.
    checked = tmp_path / "checked.html"
    checked.write_text(page.read_text(encoding="utf-8").replace("<head>", "<head>" + _CHECK, 1), encoding="utf-8")
    done = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--enable-unsafe-swiftshader",  # software WebGL for sigma.js, which Chromium no longer picks by itself
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--host-resolver-rules=MAP * ~NOTFOUND",  # offline: any attempt to reach a host fails
            f"--user-data-dir={tmp_path / 'profile'}",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=15000",
            "--dump-dom",
            checked.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,  # judged by the page it printed, below
    )
    body = re.search(r"<body([^>]*)>", done.stdout)
    assert body, done.stderr[-2000:]
    attributes = dict(re.findall(r'data-([\w-]+)="([^"]*)"', body.group(1)))
    assert attributes["errors"] == "0", attributes
    assert attributes["remote"] == "0" and attributes["sigma-nodes"] == "150", attributes
    assert int(attributes["canvases"]) >= 2, attributes  # sigma.js drew its WebGL and label layers
    # The software renderer's performance notes ("GPU stall due to ReadPixels") are not the page's.
    console = [line for line in done.stderr.splitlines() if "CONSOLE" in line and "GL Driver Message" not in line]
    assert not console, console
    assert "ERR_NAME_NOT_RESOLVED" not in done.stderr


def test_page_note_names_the_larger_labels(tmp_path):
    # The page labels every node; the note says which labels are drawn larger, in the note's own wording.
    page = interactive.write_html(star(), tmp_path / "n.html", **FAST).read_text(encoding="utf-8")
    assert "Larger labels: the 3 that received the most retweets." in page
    assert " Labels: " not in page
