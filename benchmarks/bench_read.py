"""Benchmark ``takedown.read_archive`` against pyarrow and pandas on one large tweets file.

Run on demand, never from the test suite::

    python benchmarks/bench_read.py [--size-mb 260] [--work DIR] [--real DIR] [--repeat 3] [--json OUT]

What is measured
----------------
A tweets CSV of ``--size-mb`` MB (default 260) in the 2020 release layout is
built once in the work folder: the rows of the real Thailand 2020 release
(``--real``) repeated with fresh, unique tweet ids, or seeded synthetic rows
in the same 30-column format when the real release is absent. Four ways of
reading it are then timed, each in its own fresh Python process so that the
peak resident memory of one cannot hide inside another's:

``raw``
    ``pyarrow.csv.read_csv`` with every column as text: the floor, what any
    Arrow-based reader pays before converting a single column.
``pandas``
    ``pandas.read_csv(dtype=str, keep_default_na=False)`` then
    ``ast.literal_eval`` on the list columns: what the notebooks do today.
``takedown first read``
    ``takedown.read_archive(folder, cache=<empty folder>)``: parse, type and
    check, until the archive is returned; the cache entry is written in a
    background thread, and the time until it is on disk is reported too.
``takedown cached reread``
    The same call in a new process with the same cache folder: must be a
    cache hit.

Each child process reports its wall time (``time.perf_counter``) and its peak
RSS increase: ``ru_maxrss`` after the read minus ``ru_maxrss`` after the
imports, so the interpreter and libraries are not counted. Each method runs
``--repeat`` times; the best time and the worst memory are kept, because
timing noise only ever adds time while memory peaks are what make a machine
swap. The file is read once before any measurement so that every method finds
it in the page cache.

The targets (all ratios between methods measured in the same run, so that
they hold on any machine) are: the first read at least 10x faster than
pandas and at most 2.5x slower than the raw Arrow read; the cached reread at
least 10x faster than the first read; and the first read's peak memory at
most 3x the in-memory size of the archive it returns. The script prints
PASS/FAIL for each and exits 0 either way: it is a report, not a test.

Sizes are in MB of 2**20 bytes throughout.
"""

from __future__ import annotations

import argparse
import ast
import base64
import csv
import io
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import time
import zipfile
from importlib.metadata import version
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pcsv

import takedown
from takedown.read import cache as takedown_cache
from takedown.schema import RELEASE_FORMATS

REPO = Path(__file__).resolve().parents[1]
DEFAULT_WORK = REPO / "benchmarks" / "_work"
DEFAULT_REAL = REPO.parent / "shared" / "data" / "real" / "thailand_092020"
MB = 1 << 20
FIRST_TWEET_ID = 1_300_000_000_000_000_000
LIST_COLUMNS = ("hashtags", "urls", "user_mentions")
SYNTHETIC_SEED = 20200901
SYNTHETIC_ROWS = 20_000
METHODS = ("raw", "pandas", "takedown first read", "takedown cached reread")


# --------------------------------------------------------------------------
# The benchmark file
# --------------------------------------------------------------------------


def real_rows(real: Path) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the real release's tweets CSV (the one member of its zip)."""
    (archive_path,) = sorted(real.glob("*_tweets_csv_hashed.zip"))
    with zipfile.ZipFile(archive_path) as archive:
        (member,) = archive.namelist()
        with archive.open(member) as raw:
            reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
            return next(reader), list(reader)


def synthetic_rows(count: int, seed: int) -> tuple[list[str], list[list[str]]]:
    """Header and ``count`` seeded rows that look like a 2020 hashed release.

    The values follow the real files: base64 user ids, digit tweet ids,
    minute-precision times, Thai text with some embedded newlines, list
    columns written as Python ``repr`` and mostly empty.
    """
    rng = random.Random(seed)
    header = list(RELEASE_FORMATS["2020"])
    words = ["ประเทศไทย", "รัฐบาล", "ประชาธิปไตย", "เลือกตั้ง", "ข่าว", "วันนี้", "ทหาร", "นายก", "news", "Thailand"]
    clients = ["Twitter for Android", "Twitter for iPhone", "Twitter Web App", "Twitter Web Client"]

    def user_id() -> str:
        return base64.b64encode(rng.randbytes(32)).decode()  # 44 characters ending in "="

    def tweet_id() -> str:
        return str(rng.randrange(1_100_000_000_000_000_000, 1_290_000_000_000_000_000))

    def text() -> str:
        lines = [" ".join(rng.choices(words, k=rng.randint(3, 12))) for _ in range(rng.choice((1, 1, 1, 1, 1, 2, 3)))]
        if rng.random() < 0.3:
            lines[-1] += f" https://t.co/{rng.randbytes(5).hex()}"
        return "\n".join(lines)

    accounts = []
    for _ in range(max(1, count // 20)):
        uid = user_id()
        accounts.append(
            [
                uid,
                uid,  # hashed releases repeat the hash for accounts under 5,000 followers
                uid,
                rng.choice(["", "ประเทศไทย", "Bangkok"]),
                rng.choice(["", " ".join(rng.choices(words, k=6))]),
                rng.choice(["", f"https://t.co/{rng.randbytes(5).hex()}"]),
                str(rng.randint(0, 4999)),
                str(rng.randint(0, 2000)),
                f"20{rng.randint(10, 19)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                rng.choice(["th", "en"]),
            ]
        )
    rows = []
    for _ in range(count):
        is_retweet = rng.random() < 0.5
        reply = rng.random() < 0.15
        hashtags = rng.choices(words, k=rng.choice((0, 0, 0, 0, 0, 0, 0, 1, 2)))
        urls = [f"https://example.com/{rng.randbytes(4).hex()}" for _ in range(rng.random() < 0.1)]
        mentions = [str(rng.randrange(10**7, 10**19)) for _ in range(rng.choice((0, 1, 1, 1, 2)))]
        rows.append(
            [
                tweet_id(),
                *rng.choice(accounts),
                rng.choice(["th", "th", "en", "und"]),
                text(),
                f"2020-{rng.randint(1, 8):02d}-{rng.randint(1, 28):02d} "
                f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
                rng.choice(clients),
                user_id() if reply else "",
                tweet_id() if reply else "",
                tweet_id() if rng.random() < 0.05 else "",
                "true" if is_retweet else "false",
                user_id() if is_retweet else "",
                tweet_id() if is_retweet else "",
                "absent",
                "absent",
                *(str(rng.choice((0, 0, 0, 1, 2, 5, 40))) for _ in range(4)),
                repr(hashtags),
                repr(urls),
                repr(mentions),
            ]
        )
    return header, rows


def write_repeated(path: Path, header: list[str], rows: list[list[str]], size: int) -> int:
    """Write ``rows`` over and over with fresh tweet ids until ``path`` holds ``size`` bytes.

    Returns the number of data rows written.
    """
    id_column = header.index("tweetid")
    written = 0
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(header)
        while True:
            for row in rows:
                row = list(row)
                row[id_column] = str(FIRST_TWEET_ID + written)
                writer.writerow(row)
                written += 1
                # tell() flushes the buffer, so it is asked only every thousand rows.
                if written % 1000 == 0 and stream.tell() >= size:
                    return written


def check_work_folder(work: Path) -> None:
    """Refuse a work folder inside the repository other than the git-ignored default.

    The benchmark file and the takedown cache hold real rows, which must not
    end up where they could be committed.
    """
    work, default = work.resolve(), DEFAULT_WORK.resolve()
    inside_repo = work == REPO or REPO in work.parents
    if inside_repo and not (work == default or default in work.parents):
        raise SystemExit(f"--work {work}: inside the repository, only {default} (git-ignored) may hold the data")


def build_file(work: Path, size_mb: int, real: Path) -> Path:
    """Build the benchmark file unless a complete one is already there; return its facts file.

    The facts (path, source, bytes, rows) are written as JSON only once the
    file is complete, so an interrupted build, another ``--size-mb`` or
    another source is rebuilt. The child processes read them from there.
    """
    source = "real" if any(real.glob("*_tweets_csv_hashed.zip")) else "synthetic"
    name = f"bench_{size_mb}mb"
    folder = work / name
    path = folder / f"{name}_tweets_csv_hashed.csv"
    marker = work / f"{name}.json"
    if marker.exists() and path.exists():
        facts = json.loads(marker.read_text())
        if facts["path"] == str(path) and facts["source"] == source and facts["bytes"] == path.stat().st_size:
            print(f"reusing {path}", flush=True)
            return marker
    print(f"building {path} from {source} rows ...", flush=True)
    header, rows = real_rows(real) if source == "real" else synthetic_rows(SYNTHETIC_ROWS, SYNTHETIC_SEED)
    folder.mkdir(parents=True, exist_ok=True)
    marker.unlink(missing_ok=True)
    count = write_repeated(path, header, rows, size_mb * MB)
    facts = {"path": str(path), "folder": str(folder), "source": source, "bytes": path.stat().st_size, "rows": count}
    marker.write_text(json.dumps(facts, indent=2))
    return marker


# --------------------------------------------------------------------------
# The child process: one method, one measurement
# --------------------------------------------------------------------------


def read_raw(facts: dict) -> dict:
    """All columns as text with ``pyarrow.csv``."""
    path = facts["path"]
    with open(path, encoding="utf-8", newline="") as stream:
        header = next(csv.reader(stream))
    table = pcsv.read_csv(
        path,
        parse_options=pcsv.ParseOptions(newlines_in_values=True),
        convert_options=pcsv.ConvertOptions(column_types={name: pa.string() for name in header}),
    )
    return {"rows": table.num_rows}


def read_pandas(facts: dict) -> dict:
    """``pandas.read_csv`` as text, then the list columns through ``ast.literal_eval``."""
    frame = pd.read_csv(facts["path"], dtype=str, keep_default_na=False)
    for name in LIST_COLUMNS:
        cells = frame[name].astype(object)
        filled = cells != ""
        cells[filled] = cells[filled].map(ast.literal_eval)
        frame[name] = cells
    return {"rows": len(frame)}


def read_takedown(facts: dict, cache: str, expected: str) -> dict:
    """``takedown.read_archive`` on the benchmark folder with ``cache``; check the cache status."""
    archive = takedown.read_archive(facts["folder"], cache=cache)
    if archive.provenance.cache != expected:
        raise SystemExit(f"expected cache status {expected!r}, got {archive.provenance.cache!r}")
    size = archive.tweets.memory_usage(deep=True).sum() + archive.users.memory_usage(deep=True).sum()
    return {"rows": len(archive.tweets), "result_bytes": int(size), "issues": len(archive.provenance.issues)}


def child(method: str, facts: dict, cache: str) -> None:
    """Run one method once and print its figures as one JSON line."""
    readers = {
        "raw": lambda: read_raw(facts),
        "pandas": lambda: read_pandas(facts),
        "takedown first read": lambda: read_takedown(facts, cache, "written"),
        "takedown cached reread": lambda: read_takedown(facts, cache, "hit"),
    }
    # ru_maxrss is in KiB on Linux; the peak so far covers the imports.
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    figures = readers[method]()
    seconds = time.perf_counter() - start
    # read_archive returns before its cache entry is on disk (a background
    # thread writes it); the total until then is reported too, and the peak
    # memory is taken after it, so the write is in the memory figure.
    takedown_cache.wait()
    figures["seconds_until_cached"] = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"method": method, "seconds": seconds, "rss_increase_kib": peak - baseline, **figures}))


# --------------------------------------------------------------------------
# The parent: run the children, summarise, judge
# --------------------------------------------------------------------------


def run_child(method: str, facts_path: Path, cache: Path) -> dict:
    """One measurement in a fresh interpreter; its stderr goes straight to ours."""
    command = [sys.executable, __file__, "--child", method, "--facts", str(facts_path), "--cache", str(cache)]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{method}: the child process failed with exit code {done.returncode}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(facts_path: Path, cache: Path, repeat: int) -> dict[str, list[dict]]:
    """Every method ``repeat`` times, each in its own process."""
    runs: dict[str, list[dict]] = {}
    for method in METHODS:
        runs[method] = []
        for attempt in range(repeat):
            if method == "takedown first read":
                # Every first read starts from an empty cache; the last one's
                # entry is what the cached rereads load.
                shutil.rmtree(cache, ignore_errors=True)
                cache.mkdir(parents=True)
            figures = run_child(method, facts_path, cache)
            print(f"  {method:<24} run {attempt + 1}/{repeat}: {figures['seconds']:7.2f} s", flush=True)
            runs[method].append(figures)
    return runs


def summarise(runs: dict[str, list[dict]], file_mb: float) -> dict[str, dict]:
    """Best time, worst memory and result size per method."""
    summary = {}
    for method, figures in runs.items():
        seconds = min(f["seconds"] for f in figures)
        rss_mb = max(f["rss_increase_kib"] for f in figures) / 1024
        result_mb = figures[0]["result_bytes"] / MB if "result_bytes" in figures[0] else None
        summary[method] = {
            "seconds": seconds,
            "mb_per_s": file_mb / seconds,
            "peak_rss_increase_mb": rss_mb,
            "result_mb": result_mb,
            "rss_over_result": rss_mb / result_mb if result_mb else None,
            "rows": sorted({f["rows"] for f in figures}),
            "seconds_until_cached": min(f["seconds_until_cached"] for f in figures),
        }
    return summary


def verdicts(summary: dict[str, dict]) -> list[dict]:
    """The targets, each with the measured ratio and whether it is met."""
    raw, pandas_, first, cached = (summary[m] for m in METHODS)
    checks = [
        ("takedown first read vs pandas: speedup", pandas_["seconds"] / first["seconds"], ">=", 10.0),
        ("takedown first read vs raw: slowdown", first["seconds"] / raw["seconds"], "<=", 2.5),
        ("cached reread vs first read: speedup", first["seconds"] / cached["seconds"], ">=", 10.0),
        ("first read peak RSS increase / result size", first["rss_over_result"], "<=", 3.0),
    ]
    return [
        {
            "target": name,
            "ratio": ratio,
            "op": op,
            "limit": limit,
            "pass": ratio >= limit if op == ">=" else ratio <= limit,
        }
        for name, ratio, op, limit in checks
    ]


def machine_facts(facts: dict) -> dict:
    """Where and on what the benchmark ran."""
    return {
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "pandas": version("pandas"),
        "pyarrow": version("pyarrow"),
        "takedown": takedown.__version__,
        "file": facts["path"],
        "source": facts["source"],
        "file_mb": facts["bytes"] / MB,
        "rows": facts["rows"],
    }


def report(machine: dict, summary: dict[str, dict], checks: list[dict]) -> None:
    """Print the machine, the per-method table and the verdicts."""
    print()
    print(f"machine: {machine['cores']} cores, {machine['platform']}")
    print(
        f"python {machine['python']}, pandas {machine['pandas']}, pyarrow {machine['pyarrow']}, "
        f"takedown {machine['takedown']}"
    )
    print(f"file: {machine['file']} ({machine['source']} rows)")
    print(f"      {machine['file_mb']:.1f} MB, {machine['rows']:,} rows")
    print()
    print(f"{'method':<24} {'seconds':>8} {'MB/s':>8} {'peak RSS +MB':>13} {'result MB':>10} {'RSS/result':>11}")
    for method, s in summary.items():
        result = f"{s['result_mb']:.1f}" if s["result_mb"] else "-"
        ratio = f"{s['rss_over_result']:.2f}" if s["rss_over_result"] else "-"
        print(
            f"{method:<24} {s['seconds']:8.2f} {s['mb_per_s']:8.1f} {s['peak_rss_increase_mb']:13.1f} "
            f"{result:>10} {ratio:>11}"
        )
    first = summary["takedown first read"]
    print(
        f"takedown first read returns the archive in {first['seconds']:.2f} s; its Parquet cache entry, "
        f"written in the background, is on disk {first['seconds_until_cached']:.2f} s after the call"
    )
    rows = {method: s["rows"] for method, s in summary.items()}
    if any(r != [machine["rows"]] for r in rows.values()):
        print(f"WARNING: the methods disagree on the row count ({machine['rows']:,} written): {rows}")
    print()
    for check in checks:
        verdict = "PASS" if check["pass"] else "FAIL"
        print(f"{verdict}  {check['target']:<44} {check['ratio']:6.2f}x  (target {check['op']} {check['limit']:g}x)")


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=260, help="size of the benchmark file (default 260)")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help=f"work folder (default {DEFAULT_WORK})")
    parser.add_argument("--real", type=Path, default=DEFAULT_REAL, help="real release folder (default %(default)s)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per method (default 3)")
    parser.add_argument("--json", type=Path, help="also save the results to this file")
    # The parent calls this same script with these to run one measurement.
    parser.add_argument("--child", choices=METHODS, help=argparse.SUPPRESS)
    parser.add_argument("--facts", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Build the file, measure every method, print the report."""
    args = parse_arguments(argv)
    if args.child:
        child(args.child, json.loads(args.facts.read_text()), str(args.cache))
        return
    if args.size_mb < 1 or args.repeat < 1:
        raise SystemExit("--size-mb and --repeat must be at least 1")
    check_work_folder(args.work)
    facts_path = build_file(args.work.resolve(), args.size_mb, args.real)
    facts = json.loads(facts_path.read_text())
    # Read the file once so that no method pays for disk reads the others do not.
    with open(facts["path"], "rb") as stream:
        while stream.read(8 * MB):
            pass
    print(f"measuring, {args.repeat} run(s) per method, each in a fresh process ...", flush=True)
    runs = measure(facts_path, args.work / "cache" / f"bench_{args.size_mb}mb", args.repeat)
    machine = machine_facts(facts)
    summary = summarise(runs, machine["file_mb"])
    checks = verdicts(summary)
    report(machine, summary, checks)
    if args.json:
        results = {"machine": machine, "summary": summary, "verdicts": checks, "runs": runs}
        args.json.write_text(json.dumps(results, indent=2))
        print(f"\nresults saved to {args.json}")


if __name__ == "__main__":
    main()
