"""The ``takedown`` command: info, report, graph, convert, compare and synth.

Every command reads the synthetic sample bundled with takedown when it is
given no SOURCE. Options are checked before anything is read, and a problem
in the input prints one line, ``takedown: error: ...``, and exits 1; usage
errors exit 2 (click's convention). No traceback reaches the user.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

__all__ = ["summary"]

_KINDS = ("retweet", "reply", "quote", "mention", "amplifier")
_WHAT = {
    "retweet": "retweets",
    "reply": "replies",
    "quote": "quotes",
    "mention": "mentions",
    "amplifier": "retweets and quotes",
}
_SAMPLE_NOTE = " (synthetic sample bundled with takedown)"


def summary(archive) -> str:
    """A one-screen overview of an archive, as ``takedown info`` prints it.

    Examples
    --------
    >>> import takedown as td
    >>> print(td.cli.summary(td.datasets.sample()).splitlines()[0])
    release   synthetic_sample (synthetic sample bundled with takedown)
    """
    from takedown.datasets import sample_path

    provenance = archive.provenance
    synthetic = any(f.file.startswith(str(sample_path())) for f in provenance.files)
    tweets = archive.num_rows("tweets")
    tweeted, retweets, first, last = _tweet_counts(archive)
    platform = "" if provenance.platform == "twitter" else f", platform {provenance.platform}"
    lines = [
        f"release   {archive.name}" + (_SAMPLE_NOTE if synthetic else ""),
        f"format    {provenance.release_format}{platform}"
        + ("; users derived from tweets" if provenance.users_derived else ""),
        "files",
        *(f"  {f.role:<6} {f.file} ({f.bytes:,} bytes, {f.rows:,} rows)" for f in provenance.files),
        f"accounts  {archive.num_rows('users'):,} ({tweeted:,} tweeted)",
        f"tweets    {tweets:,}",
        f"retweets  {retweets:,} ({retweets / tweets:.1%} of tweets)" if tweets else "retweets  0",
        f"dates     {first:%Y-%m-%d %H:%M} to {last:%Y-%m-%d %H:%M} UTC" if first is not None else "dates     -",
    ]
    counts = provenance.issue_counts
    rejected = int(counts.get("row rejected", 0))
    lines.append(f"rejected  {rejected:,} row(s)")
    other = {action: int(n) for action, n in counts.items() if action != "row rejected"}
    if other:
        lines.append("repaired  " + ", ".join(f"{n:,} {action}" for action, n in other.items()))
    if provenance.skipped:
        lines.append(f"skipped   {len(provenance.skipped):,} file(s) (provenance.skipped says why)")
        lines.extend(f"  {s.file}: {s.reason}" for s in provenance.skipped[:10])
        if len(provenance.skipped) > 10:
            lines.append(f"  ... and {len(provenance.skipped) - 10:,} more")
    lines.extend(f"note      {note}" for note in provenance.notes)
    cache = provenance.cache
    if provenance.cache_bytes is not None:
        read = sum(f.bytes for f in provenance.files)
        share = f", {provenance.cache_bytes / read:.0%} of the {read:,} bytes read" if read else ""
        cache += f" ({provenance.cache_bytes:,} bytes{share}: {provenance.cache_path})"
    if archive.out_of_core:
        cache += "; edges and per-account measures run out of core (DuckDB)"
    lines.append(f"cache     {cache}")
    return "\n".join(lines)


def _tweet_counts(archive) -> tuple:
    """Accounts that tweeted, retweets, first and last tweet time: with Arrow (or DuckDB, out of core), never pandas.

    ``takedown info`` is the first thing a user runs on a release; loading
    pandas would add a third of a second to it.
    """
    from datetime import UTC, datetime

    if archive.out_of_core:
        from takedown import engine

        row = engine.query(
            archive,
            "SELECT count(DISTINCT userid) AS tweeted, count(*) FILTER (WHERE is_retweet) AS retweets, "
            "epoch(min(tweet_time)) AS first, epoch(max(tweet_time)) AS last FROM tweets",
        ).to_pylist()[0]
        tweeted, retweets, first, last = row["tweeted"], row["retweets"], row["first"], row["last"]
    else:
        import pyarrow as pa
        import pyarrow.compute as pc

        table = archive.arrow("tweets", columns=["userid", "is_retweet", "tweet_time"])
        span = pc.min_max(table["tweet_time"].cast(pa.timestamp("s", tz="UTC")).cast(pa.int64())).as_py()
        tweeted = pc.count_distinct(table["userid"], mode="only_valid").as_py()
        retweets, first, last = pc.sum(table["is_retweet"]).as_py() or 0, span["min"], span["max"]
    when = [None if t is None else datetime.fromtimestamp(t, UTC) for t in (first, last)]
    return tweeted, retweets, *when


def _load(source: str | None, *, no_cache: bool):
    """The archive at ``source``, or the bundled sample; a progress bar on a terminal."""
    from takedown.datasets import sample_path
    from takedown.read import read_archive

    return read_archive(
        source if source is not None else sample_path(),
        cache=not no_cache and source is not None,
        progress=True if sys.stderr.isatty() else None,
    )


def _writable_file(path: str, *, suffixes: tuple[str, ...], option: str) -> Path:
    """A file we may write, checked before any reading: its suffix and its folder."""
    target = Path(path)
    if suffixes and target.suffix.lower() not in suffixes:
        raise click.BadParameter(f"expected a {' or '.join(suffixes)} file name, got {path!r}", param_hint=option)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise click.BadParameter(f"the folder {str(folder)!r} does not exist", param_hint=option)
    return target


_source = click.argument("source", required=False, type=click.Path(exists=True))
_no_cache = click.option("--no-cache", is_flag=True, help="Do not read or write the cache.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="takedown-toolkit")
def cli() -> None:
    """Read and study platform takedown archives.

    SOURCE is a release folder, a zip, tar or gz file, a CSV, a glob, or
    another public data set (FiveThirtyEight, NBC, Reddit 2018, an API
    collection); without it every command uses the synthetic sample bundled
    with takedown.
    """


@cli.command()
@_source
@_no_cache
def info(source: str | None, no_cache: bool) -> None:
    """One-screen overview of a release: files read and skipped, rows, issues, cache."""
    click.echo(summary(_load(source, no_cache=no_cache)))


@cli.command()
@_source
@click.option(
    "-o",
    "--output",
    default="report.html",
    show_default=True,
    help="The HTML file to write.",
)
@click.option(
    "--tz",
    default=None,
    help="Time zone for the timing section (e.g. Asia/Bangkok or UTC+07:00); "
    "by default the operators' likely time zone, found from the activity.",
)
@_no_cache
def report(source: str | None, output: str, tz: str | None, no_cache: bool) -> None:
    """A self-contained HTML report of a release (figures embedded)."""
    from takedown.measures.timing import check_timezone
    from takedown.report import write_report

    target = _writable_file(output, suffixes=(".html", ".htm"), option="--output")
    if tz is not None:
        try:
            check_timezone(tz)
        except ValueError as error:
            raise click.BadParameter(str(error).removeprefix("tz: "), param_hint="--tz") from None
    archive = _load(source, no_cache=no_cache)
    path = write_report(archive, target, tz=tz)
    click.echo(f"wrote {path} ({path.stat().st_size:,} bytes) for {archive.name}")


def _has_ties(archive, kind: str, build) -> bool:
    """Whether the archive has any tie of this kind: counted by aggregate (out of core, one query) where it can."""
    from takedown import edges

    if kind in ("retweet", "reply", "quote"):
        return len(edges.aggregate(archive, kind=kind, top=1)) > 0
    return bool(build(archive)["target"].notna().any())


@cli.command()
@_source
@click.option("--kind", type=click.Choice(_KINDS), default="retweet", show_default=True, help="Which interactions.")
@click.option("-o", "--output", help="FILE.gexf (Gephi) or FILE.graphml.")
@click.option("--html", "html_output", help="Also (or only) write an interactive page, FILE.html (sigma.js, offline).")
@_no_cache
def graph(source: str | None, kind: str, output: str | None, html_output: str | None, no_cache: bool) -> None:
    """Write an interaction graph for Gephi (GEXF), any tool (GraphML) or the browser (HTML)."""
    from takedown import edges, graphs

    if output is None and html_output is None:
        raise click.UsageError("give -o FILE.gexf|FILE.graphml, --html FILE.html, or both")
    target = _writable_file(output, suffixes=(".gexf", ".graphml"), option="--output") if output else None
    page = _writable_file(html_output, suffixes=(".html", ".htm"), option="--html") if html_output else None
    archive = _load(source, no_cache=no_cache)
    if archive.num_rows("tweets") == 0:
        raise ValueError(f"{archive.name} has no tweets (a users file only): there is no {kind} graph to draw")
    builders = {
        "retweet": edges.retweets,
        "reply": edges.replies,
        "quote": edges.quotes,
        "mention": edges.mentions,
        "amplifier": edges.amplification,
    }
    built = graphs.to_igraph(builders[kind](archive), users=archive)
    if built.vcount() == 0:
        # Reddit's data have replies but no retweets: name the kinds that would give a graph.
        others = [k for k in _KINDS[:4] if k != kind and _has_ties(archive, k, builders[k])]
        hint = f"; try {' or '.join(f'--kind {k}' for k in others)}" if others else ""
        raise ValueError(f"{archive.name} has no {kind} ties: there is no graph to draw{hint}")
    if target is not None:
        write = graphs.write_gexf if target.suffix.lower() == ".gexf" else graphs.write_graphml
        click.echo(f"wrote {write(built, target)}: {built.vcount():,} nodes, {built.ecount():,} {kind} ties")
    if page is not None:
        from takedown.interactive import write_html

        what = _WHAT[kind]
        try:
            written = write_html(built, page, source=archive.name, what=what)
        except ImportError as error:
            raise click.ClickException(str(error)) from None
        click.echo(f"wrote {written}: an interactive page of the accounts with the most {what}")


@cli.command()
@_source
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False), help="Folder for the Parquet files.")
@_no_cache
def convert(source: str | None, output: str, no_cache: bool) -> None:
    """Write a release as Parquet (users, tweets, issues) and its provenance as JSON.

    The Parquet files hold plain Arrow types, so pandas, DuckDB, Polars and R
    read them without takedown.
    """
    import pyarrow.parquet as pq

    from takedown.archive import ISSUE_SCHEMA

    folder = Path(output)
    if folder.exists() and not folder.is_dir():
        raise click.BadParameter(f"{output!r} is a file, not a folder", param_hint="--output")
    archive = _load(source, no_cache=no_cache)
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(archive.arrow("users"), folder / "users.parquet", compression="zstd")
    pq.write_table(archive.arrow("tweets"), folder / "tweets.parquet", compression="zstd")
    import pyarrow as pa

    issues = pa.Table.from_pandas(archive.provenance.issues, preserve_index=False).cast(ISSUE_SCHEMA)
    pq.write_table(issues.replace_schema_metadata(None), folder / "issues.parquet", compression="zstd")
    provenance = {
        "name": archive.name,
        "source": archive.provenance.source,
        "source_format": archive.provenance.source_format,
        "platform": archive.provenance.platform,
        "release_format": archive.provenance.release_format,
        "users_derived": archive.provenance.users_derived,
        "notes": list(archive.provenance.notes),
        "files": archive.provenance.files_frame().to_dict(orient="records"),
        "skipped": archive.provenance.skipped_frame().to_dict(orient="records"),
    }
    (folder / "provenance.json").write_text(json.dumps(provenance, indent=2, default=str), encoding="utf-8")
    click.echo(f"wrote {folder}: {archive.num_rows('users'):,} users, {archive.num_rows('tweets'):,} tweets")


@cli.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("-o", "--output", required=True, help="The CSV file to write: one row per release.")
@click.option(
    "--dask",
    "dask_address",
    default=None,
    help="Run on Dask: 'local' starts a cluster on this machine; or a scheduler's address (tcp://host:8786).",
)
@_no_cache
def compare(sources: tuple[str, ...], output: str, dask_address: str | None, no_cache: bool) -> None:
    """The same measures for several releases, one row each, as a CSV (the table papers build by hand)."""
    from takedown.comparison import compare as compare_releases

    target = _writable_file(output, suffixes=(".csv",), option="--output")
    client = cluster = None
    if dask_address is not None:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise click.UsageError('--dask needs Dask: pip install "takedown-toolkit[dask]"') from None
        if dask_address == "local":
            cluster = LocalCluster(processes=True, dashboard_address=None)
            client = Client(cluster)
        else:
            client = Client(dask_address)
    try:
        table = compare_releases(list(sources), client=client, cache=not no_cache)
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
    table.to_csv(target, index=False)
    click.echo(f"wrote {target}: {len(table):,} release(s)")


@cli.command()
@click.option(
    "--preset",
    type=click.Choice(["sample", "aspi_china_2020", "oii_superspreaders"]),
    default="sample",
    show_default=True,
)
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False), help="Folder for the release files.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--accounts", type=int, help="Accounts (default: the preset's).")
@click.option("--tweets", type=int, help="Tweets (default: the preset's).")
@click.option(
    "--format", "release_format", type=click.Choice(["2020", "2019", "2018"]), default="2020", show_default=True
)
@click.option("--plain", is_flag=True, help="Write CSVs instead of zips.")
@click.option("--parts", type=int, default=1, show_default=True, help="Split the tweets into this many files.")
def synth(
    preset: str,
    output: str,
    seed: int,
    accounts: int | None,
    tweets: int | None,
    release_format: str,
    plain: bool,
    parts: int,
) -> None:
    """Write a synthetic release (clearly labelled synthetic) in the real file format."""
    from takedown.synth import stream

    paths, truth = stream(
        output,
        preset=preset,
        seed=seed,
        accounts=accounts,
        tweets=tweets,
        release_format=release_format,
        zipped=not plain,
        parts=parts,
    )
    for path in paths:
        click.echo(f"wrote {path}")
    click.echo(truth.knobs.synthetic_note)


def main() -> None:
    """Entry point: run the command, turning input errors into one line and exit code 1."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("takedown: aborted", err=True)
        sys.exit(130)
    except click.ClickException as error:
        # Click's usage errors take three lines; one is enough, with where to look for help.
        where = f" (see {error.ctx.command_path} --help)" if getattr(error, "ctx", None) is not None else ""
        click.echo(f"takedown: error: {' '.join(error.format_message().split())}{where}", err=True)
        sys.exit(error.exit_code)
    except (ValueError, TypeError, OSError) as error:
        message = " ".join(str(error).split())  # one line, whatever the message held
        click.echo(f"takedown: error: {message}", err=True)
        sys.exit(1)
