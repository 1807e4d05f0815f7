"""Benchmark ``takedown compare`` over several releases, without Dask and on a ``dask.distributed`` LocalCluster.

Run on demand, never from the test suite::

    python benchmarks/bench_compare.py [--releases 4] [--tweets 500000] [--accounts 20000] [--work DIR]

``--releases`` synthetic releases (different seeds and presets, so that
their rows differ) are written once into ``--work``. Then, each as a whole
process timed from start to exit with its peak memory: ``takedown compare``
over all of them one after the other, and ``takedown compare --dask local``
(a LocalCluster of processes on this machine). Both use an empty cache each
time. The two CSV tables must be identical; the script says so, prints both
times and exits 0 either way.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _process import measure  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEFAULT_WORK = REPO / "benchmarks" / "_work" / "compare"
PRESETS = ("sample", "aspi_china_2020", "oii_superspreaders")


def releases(work: Path, count: int, tweets: int, accounts: int) -> list[Path]:
    import takedown as td

    folders = []
    for i in range(count):
        folder = work / f"release_{i}_{tweets}"
        if not (folder / "written.json").exists():
            shutil.rmtree(folder, ignore_errors=True)
            td.synth.stream(folder, accounts=accounts, tweets=tweets, seed=i, preset=PRESETS[i % len(PRESETS)])
            (folder / "written.json").write_text(json.dumps({"seed": i}))
        folders.append(folder)
    return folders


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--releases", type=int, default=4)
    parser.add_argument("--tweets", type=int, default=500_000)
    parser.add_argument("--accounts", type=int, default=20_000)
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
    folders = releases(args.work, args.releases, args.tweets, args.accounts)
    cache = args.work / "cache"

    def empty_cache() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    env = {"TAKEDOWN_CACHE": str(cache)}
    command = [sys.executable, "-m", "takedown", "compare", *map(str, folders)]
    alone = measure([*command, "-o", str(args.work / "alone.csv")], repeat=args.repeat, env=env, before=empty_cache)
    dask = measure(
        [*command, "-o", str(args.work / "dask.csv"), "--dask", "local"], repeat=args.repeat, env=env, before=empty_cache
    )
    print(alone.line("compare, one after the other"))
    print(dask.line("compare --dask local"))
    first, second = pd.read_csv(args.work / "alone.csv"), pd.read_csv(args.work / "dask.csv")
    same = first.equals(second)
    print(f"{'PASS' if same else 'FAIL'}  the same table with and without Dask ({len(first)} releases)")
    print(first.drop(columns=["source"]).to_string(index=False))


if __name__ == "__main__":
    main()
