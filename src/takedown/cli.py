"""The ``takedown`` command."""

from __future__ import annotations

import sys

import click

from takedown.archive import Archive

__all__ = ["summary"]  # main is the console entry point, not an API


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
    counts = provenance.issues["action"].value_counts()
    rejected = int(counts.get("row rejected", 0))
    lines.append(f"rejected  {rejected:,} row(s)")
    other = {action: int(n) for action, n in counts.items() if action != "row rejected"}
    if other:
        lines.append("repaired  " + ", ".join(f"{n:,} {action}" for action, n in other.items()))
    lines.extend(f"note      {note}" for note in provenance.notes)
    lines.append(f"cache     {provenance.cache}")
    return "\n".join(lines)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="takedown-toolkit")
def cli() -> None:
    """Read and study platform takedown archives."""


@cli.command()
@click.argument("source", required=False, type=click.Path(exists=True))
@click.option("--no-cache", is_flag=True, help="Do not read or write the Parquet cache.")
def info(source: str | None, no_cache: bool) -> None:
    """One-screen overview of a release (the bundled sample when SOURCE is omitted)."""
    from takedown.datasets import sample_path
    from takedown.read import read_archive

    archive = read_archive(
        source if source is not None else sample_path(),
        cache=not no_cache and source is not None,
        progress=True if sys.stderr.isatty() else None,
    )
    click.echo(summary(archive))


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
