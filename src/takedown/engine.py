"""Out of core: the same edge tables and per-account measures, computed by DuckDB over the cached Parquet files.

A release too big for pandas (see :data:`takedown.archive.OUT_OF_CORE_TWEETS`)
is never loaded whole: DuckDB reads only the columns and row groups a query
needs, runs on every core, spills to disk when memory runs short, and hands
back Arrow, which becomes the same pandas table the in-memory path gives.
The functions of :mod:`takedown.edges` and :mod:`takedown.measures` call these
when :attr:`takedown.Archive.out_of_core` is true; the tests check that both
paths give identical tables.

The connection never touches the network: DuckDB's Parquet, JSON and ICU
(time zones) support are built in, and installing or loading other
extensions is switched off.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from takedown.archive import Archive
from takedown.schema import TWITTER_EPOCH_MS

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["connect", "pairs", "query"]

# Tweet ids below this were sequential (before November 2010) and carry no time.
FIRST_SNOWFLAKE = 10**15
RT_NAME = r"^RT @([A-Za-z0-9_+/=]+):"
STATUS_URL = r"^https?://(?:mobile\.)?twitter\.com/([A-Za-z0-9_]+)/status/"


def _memory_limit() -> str:
    """Half the machine's memory: the rest is for the tables DuckDB hands back and for pandas."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        return "4GB"
    return f"{max(total // 2 >> 20, 512)}MB"


def connect(archive: Archive):
    """A DuckDB connection with views ``tweets`` and ``users`` over an archive's tables.

    Each view has an ``ordinal`` column giving the row's position in the
    archive (file by file, row by row), to order the results of joins and
    groupings; a plain scan keeps that order by itself (DuckDB preserves
    insertion order), without a sort. Tables held in memory are scanned as
    Arrow, without copy.

    Examples
    --------
    >>> import takedown as td
    >>> from takedown import engine
    >>> con = engine.connect(td.datasets.sample())
    >>> con.sql("select count(*) from tweets where is_retweet").fetchall()[0][0] > 0
    True
    """
    import duckdb

    folder = archive.provenance.cache_path
    temporary = Path(folder).parent.parent / "duckdb-spill" if folder else None
    config = {
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "memory_limit": _memory_limit(),
    }
    con = duckdb.connect(config=config)
    if temporary is not None:
        con.execute(f"SET temp_directory = '{temporary}'")
    for table in ("users", "tweets"):
        files = archive.parquet(table)
        columns = ", ".join(f'"{c}"' for c in archive.columns(table))
        if not files:  # held in memory, or no file at all (a users-only release has no tweets part)
            data = archive.arrow(table)
            data = data.append_column("ordinal", pa.array(range(data.num_rows), pa.int64()))
            con.register(f"_{table}", data)
            con.execute(f"CREATE VIEW {table} AS SELECT {columns}, ordinal FROM _{table}")
            continue
        listed = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
        order = " ".join(f"WHEN '{f}' THEN {i}" for i, f in enumerate(files))
        con.execute(
            f"CREATE VIEW {table} AS SELECT {columns}, "
            f"((CASE filename {order} END)::BIGINT << 40) + file_row_number AS ordinal "
            f"FROM read_parquet([{listed}], union_by_name = true, filename = true, file_row_number = true)"
        )
    # A tweet id's post time (Snowflake), as takedown.edges.snowflake_time computes it.
    con.execute(
        "CREATE MACRO snowflake_ms(id) AS CASE WHEN regexp_full_match(id, '[0-9]{1,19}') "
        f"AND TRY_CAST(id AS BIGINT) >= {FIRST_SNOWFLAKE} "
        f"THEN (TRY_CAST(id AS BIGINT) >> 22) + {TWITTER_EPOCH_MS} END"
    )
    # A tweet's post time: its Snowflake time, else the minute in tweet_time (takedown.edges.tweet_times).
    con.execute("CREATE MACRO post_ms(id, minute) AS coalesce(snowflake_ms(id), epoch_ms(minute))")
    return con


def _connection(archive: Archive):
    """The archive's own connection, opened once: tables derived in it (the pairs of :func:`pairs`) serve every later query."""
    return archive._memoized(("duckdb",), lambda: connect(archive))


def query(archive: Archive, sql: str, **parameters) -> pa.Table:
    """Run SQL over an archive's ``tweets`` and ``users`` views; the result as Arrow.

    Queries of one archive share one connection, one at a time (a DuckDB
    connection serves one query at once).

    Examples
    --------
    >>> import takedown as td
    >>> from takedown import engine
    >>> engine.query(td.datasets.sample(), "select count(*) as n from users").column("n")[0].as_py()
    926
    """
    con = _connection(archive)
    with archive._lock:
        return con.sql(sql, params=parameters or None).to_arrow_table()


def pairs(archive: Archive, kind: str) -> str:
    """The name of a table of an archive's interactions of a kind, one row per source and target, made once.

    Columns: ``source``, ``target`` (either may be NULL: an unresolved
    target is kept, for the counts per source), ``weight``, ``first_ms`` and
    ``last_ms`` (post times), ``first`` (the smallest ``ordinal``). Grouping
    millions of interactions takes seconds; the weighted network, its size,
    the counts per account and the amplification all start from this table.

    Examples
    --------
    >>> import takedown as td
    >>> from takedown import engine
    >>> archive = td.datasets.sample()
    >>> table = engine.pairs(archive, "retweet")
    >>> engine.query(archive, f"select sum(weight) as n from {table}").column("n")[0].as_py() > 0
    True
    """
    from takedown.edges.outofcore import edge_sql

    name = f"{kind}_pairs"

    def make() -> str:
        with archive._lock:
            _connection(archive).execute(
                f"""
                CREATE TABLE {name} AS
                SELECT source, target, count(*) AS weight, min(time_ms) AS first_ms, max(time_ms) AS last_ms,
                       min(ordinal) AS first
                FROM ({edge_sql(archive, kind)}) GROUP BY source, target
                """
            )
        return name

    return archive._memoized(("duckdb pairs", kind), make)


def frame(table: pa.Table) -> pd.DataFrame:
    """An Arrow result as the pandas table the in-memory path gives (Arrow-backed dtypes)."""
    import pandas as pd

    return table.to_pandas(types_mapper=pd.ArrowDtype)
