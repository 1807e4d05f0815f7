"""Benchmark a release bigger than memory: ``takedown info`` and ``takedown report``, cold and cached, as whole processes.

Run on demand, never from the test suite::

    python benchmarks/bench_scale.py [--tweets 40000000] [--accounts 800000] [--work DIR] [--repeat 1]

A synthetic release of ``--tweets`` tweets and ``--accounts`` accounts in the
2020 format (zipped, four tweets files, as large releases come) is written
once with ``takedown.synth.stream`` into ``--work`` and reused. Then, each in
its own process, timed from start to exit with its peak resident memory
(``os.wait4``):

- ``takedown info`` with an empty cache (cold: every file parsed and cached);
- ``takedown info`` again (cached);
- ``takedown report`` with the cache of the first run (cached);
- ``takedown report`` with an empty cache (cold), when ``--cold-report`` is given.

Targets: every run under 8 GiB of peak memory on this machine (2 cores,
24 GiB), and the cache at most half of the CSV bytes. The script prints the
figures and PASS/FAIL, and exits 0 either way: it is a report.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _process import measure  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEFAULT_WORK = REPO / "benchmarks" / "_work" / "scale"
GIB = 1024  # MB


def release(work: Path, tweets: int, accounts: int) -> Path:
    """The synthetic release, written once and reused while its sizes match."""
    folder = work / f"release_{tweets}_{accounts}"
    marker = work / f"release_{tweets}_{accounts}.json"  # beside the release, which holds only its files
    if marker.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    print(f"writing {tweets:,} tweets by {accounts:,} accounts in {folder} ...", flush=True)
    run = measure(
        [
            sys.executable,
            "-c",
            "import sys, takedown as td; td.synth.stream(sys.argv[1], accounts=int(sys.argv[2]), "
            "tweets=int(sys.argv[3]), seed=40, preset='sample', parts=4, chunk_size=500_000)",
            str(folder),
            str(accounts),
            str(tweets),
        ],
        repeat=1,
        timeout=7200,
    )
    print(run.line("takedown.synth.stream"), flush=True)
    marker.write_text(json.dumps({"tweets": tweets, "accounts": accounts}))
    return folder


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tweets", type=int, default=40_000_000)
    parser.add_argument("--accounts", type=int, default=800_000)
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each cached command (default 1)")
    parser.add_argument("--cold-report", action="store_true", help="also time the report with an empty cache")
    args = parser.parse_args(argv)
    folder = release(args.work, args.tweets, args.accounts)
    cache = args.work / "cache"
    python = sys.executable

    def empty_cache() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    env = {"TAKEDOWN_CACHE": str(cache)}
    info = [python, "-m", "takedown", "info", str(folder)]
    report = [python, "-m", "takedown", "report", str(folder), "-o", str(args.work / "report.html")]
    results = {"info, cold": measure(info, repeat=1, env=env, before=empty_cache, timeout=7200)}
    results["info, cached"] = measure(info, repeat=args.repeat, env=env, timeout=7200)
    results["report, cached"] = measure(report, repeat=args.repeat, env=env, timeout=7200)
    if args.cold_report:
        results["report, cold"] = measure(report, repeat=1, env=env, before=empty_cache, timeout=7200)
    print()
    for label, summary in results.items():
        print(summary.line(f"takedown {label}"))
    lines = results["info, cached"].runs[-1].output.splitlines()
    print("\n".join(line for line in lines if line.startswith(("accounts", "tweets", "cache"))))
    # The file lines only ("  users …", "  tweets …"): the cache line has bytes in parentheses too.
    files = [line for line in lines if line.startswith(("  users ", "  tweets "))]
    csv_bytes = sum(int(line.rsplit("(", 1)[1].split(" bytes")[0].replace(",", "")) for line in files)
    cache_bytes = sum(p.stat().st_size for p in (cache / "archives").rglob("*") if p.is_file())
    share = cache_bytes / csv_bytes
    print(f"\ncache {cache_bytes / 2**30:,.2f} GiB for {csv_bytes / 2**30:,.2f} GiB of CSV: {share:.2f} of its size")
    for label, summary in results.items():
        verdict = "PASS" if summary.peak_mb <= 8 * GIB else "FAIL"
        print(f"{verdict}  takedown {label}: peak RSS {summary.peak_mb / GIB:.2f} GiB (target <= 8 GiB)")
    print(f"{'PASS' if share <= 0.5 else 'FAIL'}  cache size {share:.2f} of the CSV (target <= 0.5)")


if __name__ == "__main__":
    main()
