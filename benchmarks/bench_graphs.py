"""Benchmark edge tables and graph building on a synthetic archive with ten million retweets.

Run on demand, never from the test suite::

    python benchmarks/bench_graphs.py [--retweets 10000000] [--accounts 200000] [--work DIR]

The archive is made once with ``takedown.synth.stream`` (retweet share 0.9)
and read once with ``takedown.read_archive`` into a cache folder; every
measurement then runs in a fresh process that memory-maps it from the cache,
so peak memory is the measured step's own:

``takedown``
    ``td.edges.retweets(archive)`` (one row per retweet, targets resolved,
    Snowflake times), ``td.edges.aggregate`` (the weighted edge list) and
    ``td.graphs.to_igraph`` on it.
``igraph`` and ``networkx`` (baseline)
    ``td.graphs.to_igraph`` and ``networkx.from_pandas_edgelist`` (into a
    ``DiGraph`` with the weights) on the same weighted edge list, saved by the
    ``takedown`` run and loaded first, so each process's peak memory is the
    graph's own.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_WORK = REPO / "benchmarks" / "_work" / "graphs"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(method: str, work: Path) -> None:
    import networkx as nx
    import pandas as pd

    import takedown as td

    figures = {"method": method}
    if method == "takedown":
        archive = td.read_archive(work / "archive", cache=work / "cache")
        if archive.provenance.cache != "hit":
            raise SystemExit("expected the archive in the cache; run the parent")
        figures["retweets"] = int(archive.tweets["is_retweet"].sum())
        base = rss_mb()
        start = time.perf_counter()
        edges = td.edges.retweets(archive)
        figures["edges_s"] = time.perf_counter() - start
        weighted = td.edges.aggregate(edges)
        figures["aggregate_s"] = time.perf_counter() - start - figures["edges_s"]
        built = time.perf_counter()
        graph = td.graphs.to_igraph(weighted)
        figures["graph_s"] = time.perf_counter() - built
        figures["total_s"] = time.perf_counter() - start
        figures.update(nodes=graph.vcount(), edges=graph.ecount(), weight=int(sum(graph.es["weight"])))
        figures["rss_increase_mb"] = rss_mb() - base
        weighted.to_parquet(work / "weighted.parquet")
    else:
        weighted = pd.read_parquet(work / "weighted.parquet")
        base = rss_mb()
        start = time.perf_counter()
        if method == "igraph":
            graph = td.graphs.to_igraph(weighted)
            figures.update(nodes=graph.vcount(), edges=graph.ecount())
        else:
            graph = nx.from_pandas_edgelist(weighted, "source", "target", edge_attr="weight", create_using=nx.DiGraph)
            figures.update(nodes=graph.number_of_nodes(), edges=graph.number_of_edges())
        figures["graph_s"] = time.perf_counter() - start
        figures["rss_increase_mb"] = rss_mb() - base
    print(json.dumps(figures))


def prepare(work: Path, retweets: int, accounts: int) -> None:
    import takedown as td

    marker = work / "ready.json"
    wanted = {"retweets": retweets, "accounts": accounts}
    if marker.exists() and json.loads(marker.read_text()) == wanted:
        return
    start = time.perf_counter()
    tweets = round(retweets / 0.9)
    td.synth.stream(work / "archive", accounts=accounts, tweets=tweets, retweet_share=0.9, zipped=False, seed=1)
    print(f"generated {tweets:,} tweets in {time.perf_counter() - start:.0f} s", flush=True)
    start = time.perf_counter()
    td.read_archive(work / "archive", cache=work / "cache")
    td.read.cache.wait()
    print(f"first read into the cache in {time.perf_counter() - start:.0f} s", flush=True)
    marker.write_text(json.dumps(wanted))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--retweets", type=int, default=10_000_000)
    parser.add_argument("--accounts", type=int, default=200_000)
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.work)
        return
    prepare(args.work, args.retweets, args.accounts)
    runs = {}
    for method in ("takedown", "igraph", "networkx"):
        done = subprocess.run(
            [sys.executable, __file__, "--child", method, "--work", str(args.work)],
            stdout=subprocess.PIPE,
            text=True,
            check=True,
        )
        runs[method] = json.loads(done.stdout.strip().splitlines()[-1])
    ours, alone, theirs = runs["takedown"], runs["igraph"], runs["networkx"]
    print(f"machine: {os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()}")
    print(f"archive: {ours['retweets']:,} retweets; graph: {ours['nodes']:,} nodes, {ours['edges']:,} weighted edges\n")
    print(f"{'step':<44} {'seconds':>8} {'peak RSS +MB':>13}")
    print(f"{'takedown edges.retweets':<44} {ours['edges_s']:>8.1f}")
    print(f"{'takedown edges.aggregate':<44} {ours['aggregate_s']:>8.1f}")
    print(f"{'takedown graphs.to_igraph':<44} {ours['graph_s']:>8.1f}")
    print(f"{'takedown total (edges + graph)':<44} {ours['total_s']:>8.1f} {ours['rss_increase_mb']:>13,.0f}")
    print(f"{'graphs.to_igraph alone (same edges)':<44} {alone['graph_s']:>8.1f} {alone['rss_increase_mb']:>13,.0f}")
    print(
        f"{'networkx.from_pandas_edgelist (same edges)':<44} {theirs['graph_s']:>8.1f} {theirs['rss_increase_mb']:>13,.0f}"
    )
    print()
    print(f"weights sum to the retweets: {ours['weight'] == ours['retweets']}")
    print(
        f"graph building on the same edges: to_igraph {theirs['graph_s'] / alone['graph_s']:.1f}x as fast as networkx, "
        f"{theirs['rss_increase_mb'] / max(alone['rss_increase_mb'], 1):.1f}x less memory; the whole pipeline "
        f"(edges + graph) takes {ours['total_s'] / theirs['graph_s']:.2f}x the time networkx takes to build the graph alone"
    )


if __name__ == "__main__":
    main()
