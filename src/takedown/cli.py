"""The ``takedown`` command: info, report, graph, convert and synth.

Errors in the input print one line, ``takedown: error: ...``, and exit 1;
usage errors exit 2 (click's convention).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from takedown.archive import Archive

__all__ = ["summary"]

_KINDS = ("retweet", "reply", "quote", "mention", "amplifier")


def summary(archive: Archive) -> str:
    """A one-screen overview of an archive, as ``takedown info`` prints it.

    Examples
    --------
    >>> import takedown as td
    >>> print(td.cli.summary(td.datasets.sample()).splitlines()[0])
    release   synthetic_sample (synthetic sample bundled with takedown)
    """
    from takedown.datasets import sample_path

    tweets, users, provenance = archive.tweets, archive.users, archive.provenance
    synthetic = any(f.file.startswith(str(sample_path())) for f in provenance.files)
    times = tweets["tweet_time"].dropna()
    retweets = int(tweets["is_retweet"].fillna(False).astype(bool).sum())
    tweeting = tweets["userid"].nunique()
    lines = [
        f"release   {archive.name}" + (" (synthetic sample bundled with takedown)" if synthetic else ""),
        f"format    {provenance.release_format}" + ("; users derived from tweets" if provenance.users_derived else ""),
        "files",
        *(f"  {f.role:<6} {f.file} ({f.bytes:,} bytes, {f.rows:,} rows)" for f in provenance.files),
        f"accounts  {len(users):,} ({tweeting:,} tweeted)",
        f"tweets    {len(tweets):,}",
        f"retweets  {retweets:,} ({retweets / len(tweets):.1%} of tweets)" if len(tweets) else "retweets  0",
        f"dates     {times.min():%Y-%m-%d %H:%M} to {times.max():%Y-%m-%d %H:%M} UTC" if len(times) else "dates     -",
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
    lines.append(f"cache     {cache}")
    return "\n".join(lines)


def _load(source: str | None, *, no_cache: bool) -> Archive:
    """The archive at ``source``, or the bundled sample; a progress bar on a terminal."""
    from takedown.datasets import sample_path
    from takedown.read import read_archive

    return read_archive(
        source if source is not None else sample_path(),
        cache=not no_cache and source is not None,
        progress=True if sys.stderr.isatty() else None,
    )


_source = click.argument("source", required=False, type=click.Path(exists=True))
_no_cache = click.option("--no-cache", is_flag=True, help="Do not read or write the cache.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="takedown-toolkit")
def cli() -> None:
    """Read and study platform takedown archives.

    SOURCE is a release folder, a zip, a CSV or a glob; without it the
    commands use the synthetic sample bundled with takedown.
    """


@cli.command()
@_source
@_no_cache
def info(source: str | None, no_cache: bool) -> None:
    """One-screen overview of a release."""
    click.echo(summary(_load(source, no_cache=no_cache)))


@cli.command()
@_source
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    default="report.html",
    show_default=True,
    help="The HTML file to write.",
)
@click.option("--tz", default="UTC", show_default=True, help="Time zone for the timing section, e.g. Asia/Bangkok.")
@_no_cache
def report(source: str | None, output: str, tz: str, no_cache: bool) -> None:
    """A self-contained HTML report of a release (figures embedded)."""
    from takedown.report import write_report

    archive = _load(source, no_cache=no_cache)
    path = write_report(archive, output, tz=tz)
    click.echo(f"wrote {path} ({path.stat().st_size:,} bytes) for {archive.name}")


@cli.command()
@click.argument("source", type=click.Path(exists=True))
@click.option("--kind", type=click.Choice(_KINDS), default="retweet", show_default=True, help="Which interactions.")
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="FILE.gexf (Gephi) or FILE.graphml."
)
@_no_cache
def graph(source: str, kind: str, output: str, no_cache: bool) -> None:
    """Write an interaction graph for Gephi (GEXF) or any tool (GraphML)."""
    from takedown import edges, graphs

    suffix = Path(output).suffix.lower()
    if suffix not in (".gexf", ".graphml"):
        raise click.BadParameter(f"expected a .gexf or .graphml file name, got {output!r}", param_hint="--output")
    archive = _load(source, no_cache=no_cache)
    table = {
        "retweet": edges.retweets,
        "reply": edges.replies,
        "quote": edges.quotes,
        "mention": edges.mentions,
        "amplifier": edges.amplification,
    }[kind](archive)
    built = graphs.to_igraph(table, users=archive)
    write = graphs.write_gexf if suffix == ".gexf" else graphs.write_graphml
    path = write(built, output)
    click.echo(f"wrote {path}: {built.vcount():,} nodes, {built.ecount():,} {kind} ties")


@cli.command()
@click.argument("source", type=click.Path(exists=True))
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False), help="Folder for the Parquet files.")
@_no_cache
def convert(source: str, output: str, no_cache: bool) -> None:
    """Write a release as Parquet: users, tweets, issues, and the provenance as JSON."""
    archive = _load(source, no_cache=no_cache)
    folder = Path(output)
    folder.mkdir(parents=True, exist_ok=True)
    archive.users.to_parquet(folder / "users.parquet", index=False)
    archive.tweets.to_parquet(folder / "tweets.parquet", index=False)
    archive.provenance.issues.to_parquet(folder / "issues.parquet", index=False)
    provenance = {
        "name": archive.name,
        "source": archive.provenance.source,
        "release_format": archive.provenance.release_format,
        "users_derived": archive.provenance.users_derived,
        "notes": list(archive.provenance.notes),
        "files": archive.provenance.files_frame().to_dict(orient="records"),
    }
    (folder / "provenance.json").write_text(json.dumps(provenance, indent=2, default=str), encoding="utf-8")
    click.echo(f"wrote {folder}: {len(archive.users):,} users, {len(archive.tweets):,} tweets")


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
        error.show()
        sys.exit(error.exit_code)
    except (ValueError, TypeError, OSError) as error:
        click.echo(f"takedown: error: {error}", err=True)
        sys.exit(1)
