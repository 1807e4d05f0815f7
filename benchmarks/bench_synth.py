"""Benchmark ``takedown.synth.stream``: a large synthetic archive generated straight to disk.

Run on demand, never from the test suite::

    python benchmarks/bench_synth.py [--tweets 10000000] [--accounts 200000] [--work DIR]

What is measured, each in a fresh process (so peak memory is per run):

``stream``
    ``td.synth.stream(folder, accounts=A, tweets=N, zipped=False)``: plan,
    render and write N tweets in the 2020 format. Also with N/10 tweets, so
    that the growth of peak memory with N shows that only the plan (a few
    numbers per tweet) grows, not the text.
``stream zipped``
    The same N/10 archive written as zips (deflate is the slow part).
``pandas to_csv`` (baseline)
    The first 1,000,000 tweets already rendered to text, written with
    ``DataFrame.to_csv(quoting=csv.QUOTE_ALL)``: what writing release-format
    files by hand costs, without generating anything. Reported per tweet, so
    the ratio compares like with like.

Target (issue 3): 10 million tweets in well under five minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_WORK = REPO / "benchmarks" / "_work" / "synth"
BASELINE_TWEETS = 1_000_000


def child(method: str, tweets: int, accounts: int, folder: Path) -> None:
    """Run one measurement and print one JSON line."""
    import takedown as td

    shutil.rmtree(folder, ignore_errors=True)
    baseline_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if method == "pandas to_csv":
        from takedown.schema import RELEASE_FORMATS
        from takedown.synth import _plan, render
        from takedown.synth.write import to_text

        plan = _plan(accounts, tweets, 0, None, {})
        text = to_text(render(plan), columns=RELEASE_FORMATS["2020"], release_format="2020").to_pandas()
        folder.mkdir(parents=True)
        start = time.perf_counter()
        text.to_csv(folder / "tweets.csv", index=False, quoting=csv.QUOTE_ALL)
        seconds = time.perf_counter() - start
    else:
        start = time.perf_counter()
        td.synth.stream(folder, accounts=accounts, tweets=tweets, seed=0, zipped=method == "stream zipped")
        seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    written = sum(p.stat().st_size for p in folder.iterdir())
    print(
        json.dumps(
            {
                "method": method,
                "tweets": tweets,
                "seconds": seconds,
                "bytes": written,
                "rss_increase_mb": (peak - baseline_rss) / 1024,
            }
        )
    )
    shutil.rmtree(folder, ignore_errors=True)


def run(method: str, tweets: int, accounts: int, work: Path) -> dict:
    command = [
        sys.executable,
        __file__,
        "--child",
        method,
        "--tweets",
        str(tweets),
        "--accounts",
        str(accounts),
        "--work",
        str(work),
    ]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tweets", type=int, default=10_000_000)
    parser.add_argument("--accounts", type=int, default=200_000)
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.tweets, args.accounts, args.work / args.child.replace(" ", "_"))
        return

    small = max(args.tweets // 10, 1)
    runs = [
        run("stream", args.tweets, args.accounts, args.work),
        run("stream", small, args.accounts, args.work),
        run("stream zipped", small, args.accounts, args.work),
        run("pandas to_csv", min(BASELINE_TWEETS, args.tweets), args.accounts, args.work),
    ]
    print(f"machine: {os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()}")
    print(f"accounts: {args.accounts:,}\n")
    print(
        f"{'method':<16} {'tweets':>12} {'seconds':>9} {'tweets/s':>11} {'MB written':>11} {'MB/s':>7} {'peak RSS +MB':>13}"
    )
    for r in runs:
        mb = r["bytes"] / 2**20
        print(
            f"{r['method']:<16} {r['tweets']:>12,} {r['seconds']:>9.1f} {r['tweets'] / r['seconds']:>11,.0f} "
            f"{mb:>11,.0f} {mb / r['seconds']:>7.0f} {r['rss_increase_mb']:>13,.0f}"
        )
    big, little, _, baseline = runs
    rate = big["tweets"] / big["seconds"]
    base_rate = baseline["tweets"] / baseline["seconds"]
    print()
    print(f"stream generates and writes {rate / base_rate:.1f}x as many tweets per second as pandas only writes them")
    print(
        f"peak memory grows {big['rss_increase_mb'] / little['rss_increase_mb']:.1f}x for 10x the tweets "
        f"({big['rss_increase_mb'] / big['tweets'] * 2**20:.0f} bytes per tweet at {big['tweets']:,})"
    )
    verdict = "PASS" if big["seconds"] < 300 else "FAIL"
    print(f"{verdict}  {big['tweets']:,} tweets in {big['seconds']:.0f} s (target: well under 300 s)")


if __name__ == "__main__":
    main()
