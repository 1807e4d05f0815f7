"""A self-contained HTML report of a release: the headline measures, figures embedded.

The page has no external assets and no scripts: figures are PNG data URLs,
styles are inline. Every piece of text that comes from the data (names,
descriptions, hashtags, file paths) is HTML-escaped.
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from takedown import __version__, edges, graphs, measures, plot
from takedown.archive import Archive

__all__ = ["build_report", "write_report"]

_STYLE = """
body { font-family: Helvetica, Arial, sans-serif; max-width: 1000px; margin: 2em auto; color: #222; line-height: 1.4; }
h1 { border-bottom: 3px solid #0173b2; padding-bottom: .2em; }
h2 { color: #0173b2; margin-top: 2em; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border-bottom: 1px solid #ddd; padding: .25em .8em; text-align: right; overflow-wrap: anywhere; }
th:first-child, td:first-child { text-align: left; }
img { max-width: 100%; display: block; margin: 1em 0; }
.note { color: #666; font-size: 0.85em; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 1em; }
.figure-number { font-size: 1.8em; font-weight: bold; color: #0173b2; }
"""


def _png(ax) -> str:
    figure = ax.figure
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(figure)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="{html.escape(ax.get_title(loc="left"))}" src="data:image/png;base64,{encoded}">'


def _table(frame: pd.DataFrame, *, index: bool = True, digits: int = 3) -> str:
    def cell(value) -> str:
        if isinstance(value, float):
            return f"{value:,.{digits}f}".rstrip("0").rstrip(".") if value == value else ""
        if isinstance(value, int):
            return f"{value:,}"
        if isinstance(value, pd.Timestamp):
            return value.strftime("%Y-%m-%d") if value == value.normalize() else value.isoformat()
        return html.escape(str(value))

    head = ([html.escape(str(frame.index.name or ""))] if index else []) + [html.escape(str(c)) for c in frame.columns]
    rows = []
    for label, row in frame.iterrows():
        cells = ([cell(label)] if index else []) + [cell(v) for v in row.tolist()]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return "<table><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr>" + "".join(rows) + "</table>"


def _numbers(pairs: list[tuple[str, str]]) -> str:
    boxes = "".join(
        f'<div><div class="figure-number">{html.escape(value)}</div>{html.escape(label)}</div>'
        for label, value in pairs
    )
    return f'<div class="grid">{boxes}</div>'


def build_report(archive: Archive, *, tz: str | None = None, title: str | None = None) -> str:
    """The report as one HTML string.

    Parameters
    ----------
    archive : Archive
    tz : str
        Time zone for the timing section (the operators' presumed one).
    title : str, optional

    Returns
    -------
    str

    Examples
    --------
    >>> import takedown as td
    >>> page = td.report.build_report(td.datasets.sample(), tz="Asia/Bangkok")
    >>> page.startswith("<!DOCTYPE html>") and "http" not in page.split("<body>")[0]
    True
    """
    name = archive.name
    tweets, users = archive.tweets, archive.users
    retweet_edges = edges.retweets(archive)
    names = edges.screen_names(archive)
    retweets = int(tweets["is_retweet"].fillna(False).astype(bool).sum())
    times = tweets["tweet_time"].dropna()
    sections = [f"<h1>{html.escape(title or f'Takedown report: {name}')}</h1>"]

    span = f"{times.min():%Y-%m-%d} to {times.max():%Y-%m-%d}" if len(times) else "no tweets"
    sections.append("<h2>Overview</h2>")
    sections.append(
        _numbers(
            [
                ("accounts", f"{len(users):,}"),
                ("accounts that tweeted", f"{tweets['userid'].nunique():,}"),
                ("tweets", f"{len(tweets):,}"),
                ("retweets", f"{retweets / len(tweets):.0%}" if len(tweets) else "-"),
            ]
        )
    )
    provenance = archive.provenance
    files = provenance.files_frame()
    if len(files):
        sections.append(_table(files[["file", "role", "bytes", "rows", "release_format"]], index=False))
    rejected = len(provenance.rejected)
    sections.append(
        f'<p class="note">Tweets from {html.escape(span)} (UTC). Release format {html.escape(provenance.release_format)}; '
        f"{rejected:,} rejected row(s), {len(provenance.issues):,} issue(s) recorded while reading.</p>"
    )
    for note in provenance.notes:
        sections.append(f'<p class="note">{html.escape(note)}</p>')

    sections.append("<h2>Accounts and followers</h2>")
    sections.append(_table(measures.follower_summary(archive).T))
    sections.append(_png(plot.follower_ccdf(measures.follower_ccdf(archive), source=name)))
    months = measures.creation_bursts(archive, freq="M", top=10_000)
    sections.append(_png(plot.creation_bursts(months, source=name)))
    sections.append(_table(measures.creation_bursts(archive, freq="D", top=5), index=False))

    sections.append("<h2>Super-spreaders</h2>")
    if len(retweet_edges):
        spread = measures.superspreaders(retweet_edges, q=0.01)
        sections.append(
            f"<p>The top 1% of retweeting accounts ({int(spread['k']):,} of {int(spread['n']):,}) made "
            f"<b>{spread['value']:.1%}</b> of all {int(spread['retweets']):,} retweets.</p>"
        )
        counts = measures.retweets_by_account(retweet_edges)
        sections.append(_png(plot.lorenz_curve(measures.lorenz_curve(counts), source=name)))
        top = measures.superspreader_share_by_target(retweet_edges).head(10)
        top.index = top.index.map(lambda target: names.get(target, target))
        sections.append("<p>Most retweeted accounts, and the share of their retweets from the top 1%:</p>")
        sections.append(_table(top.rename_axis("account")))
    else:
        sections.append("<p>No retweets in this release.</p>")

    sections.append("<h2>Engagement</h2>")
    if len(tweets):
        sections.append(_table(measures.engagement_summary(archive).to_frame("value")))
        sections.append(_png(plot.engagement_distribution(measures.engagement(archive), source=name)))
    else:
        sections.append("<p>No tweets in this release.</p>")

    sections.append("<h2>Amplifier network</h2>")
    if len(retweet_edges):
        graph = graphs.to_igraph(retweet_edges)
        communities = graphs.communities(graph, seed=0)
        sections.append(
            _numbers(
                [
                    ("accounts in the graph", f"{graph.vcount():,}"),
                    ("retweet ties", f"{graph.ecount():,}"),
                    ("communities (Leiden)", f"{communities.nunique():,}"),
                    ("largest community", f"{communities.value_counts().iloc[0]:,}"),
                ]
            )
        )
        ranked = graphs.pagerank(graph).sort_values(ascending=False).head(10).to_frame("pagerank")
        ranked.index = ranked.index.map(lambda node: names.get(node, node))
        sections.append(_table(ranked.rename_axis("account"), digits=4))

    zone = measures.likely_timezone(archive) if len(tweets) else None
    chosen = tz is not None
    if tz is None:
        tz = zone["tz"] if zone is not None and zone["fits"] else "UTC"
    sections.append(f"<h2>Timing ({html.escape(tz)})</h2>")
    if len(tweets):
        sections.append(f"<p>Likely time zone of the operators: {html.escape(zone['statement'])}.</p>")
        if not chosen:
            sections.append(
                f'<p class="note">The times below are in {html.escape(tz)}, '
                + ("the zone the activity fits best" if zone["fits"] else "as no zone fits a working week")
                + "; pass <code>--tz</code> to choose another.</p>"
            )
        sections.append(_png(plot.timezone_fit(measures.timezone_fit(archive), source=name)))
        grid = measures.hourly_activity(archive, tz=tz)
        sections.append(
            f"<p>{measures.office_hours_share(archive, tz=tz):.0%} of tweets were posted in office hours "
            "(9:00 to 18:00 on weekdays, local time).</p>"
        )
        sections.append(_png(plot.hourly_activity(grid, tz=tz, source=name)))
        sections.append(_png(plot.activity_series(measures.activity_series(archive, freq="auto", tz=tz), source=name)))
        sections.append(_png(plot.client_shares(measures.client_shares(archive, freq="M", normalize=False), source=name)))

    sections.append(
        f'<p class="note">Made with takedown {html.escape(__version__)}. Hashed accounts are shown by their hash; '
        "no attempt is made to re-identify them.</p>"
    )
    body = "\n".join(sections)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title or name)}</title><style>{_STYLE}</style></head>\n<body>\n{body}\n</body></html>\n"
    )


def write_report(archive: Archive, path, *, tz: str | None = None, title: str | None = None) -> Path:
    """Write :func:`build_report` to a file.

    Examples
    --------
    >>> import tempfile, takedown as td
    >>> td.report.write_report(td.datasets.sample(), tempfile.mkdtemp() + "/report.html").suffix
    '.html'
    """
    path = Path(path)
    path.write_text(build_report(archive, tz=tz, title=title), encoding="utf-8")
    return path
