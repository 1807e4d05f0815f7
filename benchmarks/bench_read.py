"""Benchmark reading a large tweets file as a user does: whole processes, against raw Arrow, DuckDB, Polars and pandas.

Run on demand, never from the test suite::

    python benchmarks/bench_read.py [--size-mb 260] [--work DIR] [--real DIR] [--repeat 5]

What is measured
----------------
A tweets CSV of ``--size-mb`` MB (default 260) in the 2020 release layout is
built once in the work folder: the rows of the real Thailand 2020 release
(``--real``) repeated with fresh, unique tweet ids, or seeded synthetic rows
in the same 30-column format when the real release is absent. Each way of
reading it runs as its own process, timed from start to exit (imports
included) with its peak resident memory (``os.wait4``), ``--repeat`` times,
the methods taken in turn each round so that the machine's drift reaches
them all alike:

``takedown info (cold)``
    ``python -m takedown info FOLDER`` with an empty cache: discovery,
    parsing, typing, checks, the Parquet cache written, the overview printed.
``takedown info (cached)``
    The same command again: the cache is trusted and only the columns the
    overview needs are read.
``raw pyarrow.csv``
    ``pyarrow.csv.read_csv`` with every column as text: the floor.
``DuckDB``, ``Polars``
    ``duckdb.read_csv(..., all_varchar=True).to_arrow_table()`` and
    ``polars.read_csv(..., infer_schema=False)``: every column as text.
``pandas + literal_eval``
    ``pandas.read_csv(dtype=str)`` then ``ast.literal_eval`` on the list
    columns: what notebooks do without takedown.

Targets (ratios of medians measured in the same run): the cold read within
3x of raw Arrow and at least 8x faster than pandas + ``literal_eval``; the
cached read within 1.5x of raw Arrow. The cache's size is compared with the
CSV's. The script prints PASS/FAIL and exits 0 either way: it is a report.
Sizes are in MB of 2**20 bytes.
"""

from __future__ import annotations

import argparse
import base64
import csv
import io
import json
import os
import platform
import random
import shutil
import sys
import tempfile
import zipfile
from importlib.metadata import version
from pathlib import Path


import takedown
from takedown.read import cache as takedown_cache
from takedown.schema import RELEASE_FORMATS

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _process import Method, measure_rounds, run  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEFAULT_WORK = REPO / "benchmarks" / "_work"
DEFAULT_REAL = REPO.parent / "shared" / "data" / "real" / "thailand_092020"
MB = 1 << 20
FIRST_TWEET_ID = 1_300_000_000_000_000_000
SYNTHETIC_SEED = 20200901
SYNTHETIC_ROWS = 20_000


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
# The measurements
# --------------------------------------------------------------------------

RAW = """
import sys, pyarrow as pa, pyarrow.csv as pcsv
path = sys.argv[1]
header = next(__import__("csv").reader(open(path, encoding="utf-8")))
table = pcsv.read_csv(path, parse_options=pcsv.ParseOptions(newlines_in_values=True),
                      convert_options=pcsv.ConvertOptions(column_types={n: pa.string() for n in header}))
print(table.num_rows)
"""
DUCKDB = """
import sys, duckdb
table = duckdb.read_csv(sys.argv[1], all_varchar=True, quotechar='"', escapechar='"', header=True).to_arrow_table()
print(table.num_rows)
"""
POLARS = """
import sys, polars as pl
print(pl.read_csv(sys.argv[1], infer_schema=False).height)
"""
PANDAS = """
import ast, sys, pandas as pd
frame = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False)
for name in ("hashtags", "urls", "user_mentions"):
    cells = frame[name].astype(object)
    filled = cells != ""
    cells[filled] = cells[filled].map(ast.literal_eval)
    frame[name] = cells
print(len(frame))
"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=260, help="size of the benchmark file (default 260)")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help=f"work folder (default {DEFAULT_WORK})")
    parser.add_argument("--real", type=Path, default=DEFAULT_REAL, help="real release folder (default %(default)s)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per method (default 5)")
    parser.add_argument("--skip", nargs="*", default=[], help="methods to leave out (duckdb, polars, pandas)")
    args = parser.parse_args(argv)
    check_work_folder(args.work)
    facts = json.loads(build_file(args.work, args.size_mb, args.real).read_text())
    path, folder = facts["path"], facts["folder"]
    python = sys.executable
    mb = facts["bytes"] / MB
    print(
        f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, pandas {version('pandas')}, "
        f"pyarrow {version('pyarrow')}, takedown {takedown.__version__}; file {mb:,.0f} MB, {facts['rows']:,} rows "
        f"of {facts['source']} tweets",
        flush=True,
    )
    Path(path).read_bytes()  # every method finds the file in the page cache
    with tempfile.TemporaryDirectory(prefix="bench_read_cache_") as scratch:
        cold_cache = Path(scratch) / "cold"
        cached = Path(scratch) / "cached"

        def empty_cold_cache() -> None:
            shutil.rmtree(cold_cache, ignore_errors=True)

        info = [python, "-m", "takedown", "info", folder]
        run(info, env={"TAKEDOWN_CACHE": str(cached)})
        cache_mb = takedown_cache.folder_bytes(cached / "archives") / MB
        methods = [
            Method("takedown info (cold)", info, {"TAKEDOWN_CACHE": str(cold_cache)}, empty_cold_cache),
            Method("takedown info (cached)", info, {"TAKEDOWN_CACHE": str(cached)}),
            Method("raw pyarrow.csv", [python, "-c", RAW, path]),
        ]
        for name, code in (("duckdb", DUCKDB), ("polars", POLARS), ("pandas", PANDAS)):
            if name not in args.skip:
                label = {"duckdb": "DuckDB", "polars": "Polars", "pandas": "pandas + literal_eval"}[name]
                methods.append(Method(label, [python, "-c", code, path]))
        results = measure_rounds(methods, repeat=args.repeat)
    print()
    for label, summary in results.items():
        print(summary.line(label))
    raw = results["raw pyarrow.csv"].median
    cold = results["takedown info (cold)"].median
    warm = results["takedown info (cached)"].median
    print(f"\ncache {cache_mb:,.1f} MB for a {mb:,.0f} MB CSV: {cache_mb / mb:.2f} of its size")
    checks = [
        ("cold read vs raw Arrow", cold / raw, "<=", 3.0),
        ("cached read vs raw Arrow", warm / raw, "<=", 1.5),
        ("cache size vs the CSV", cache_mb / mb, "<=", 0.5),
    ]
    if "pandas + literal_eval" in results:
        checks.append(("pandas + literal_eval vs cold read", results["pandas + literal_eval"].median / cold, ">=", 8.0))
    for label, ratio, op, limit in checks:
        verdict = "PASS" if (ratio <= limit if op == "<=" else ratio >= limit) else "FAIL"
        print(f"{verdict}  {label}: {ratio:.2f}x (target {op} {limit}x)")


if __name__ == "__main__":
    main()
