"""A self-contained HTML report of a release: the headline measures, figures embedded.

The page has no external assets and no scripts: figures are PNG data URLs,
styles are inline. Every piece of text that comes from the data (names,
descriptions, hashtags, file paths) is HTML-escaped. Every figure is drawn
from the package's measures, and a section that has nothing to show says why.

Releases of any size are reported without loading their tweets whole: the
report asks only for counts, aggregated edges and a few columns, which run
out of core (DuckDB) for releases above
:data:`takedown.archive.OUT_OF_CORE_TWEETS`.
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path

import numpy as np
import pandas as pd

from takedown import __version__, edges, graphs, measures, plot
from takedown.archive import Archive
from takedown.datasets import is_synthetic

__all__ = ["build_report", "is_synthetic", "write_report"]

_STYLE = """
body { font-family: Helvetica, Arial, sans-serif; max-width: 1000px; margin: 2em auto; padding: 0 1em;
       color: #222; line-height: 1.45; }
h1 { border-bottom: 3px solid #0173b2; padding-bottom: .2em; margin-bottom: .3em; }
h2 { color: #0173b2; margin-top: 2em; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border-bottom: 1px solid #ddd; padding: .25em .8em; text-align: left; vertical-align: top; }
td.number, th.number { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.name { overflow-wrap: anywhere; }
img { max-width: 100%; display: block; margin: 1em 0; }
.note { color: #555; font-size: 0.85em; }
.empty { color: #555; font-style: italic; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 1em; margin: 1em 0; }
.figure-number { font-size: 1.8em; font-weight: bold; color: #0173b2; white-space: nowrap; }
.banner { background: #fff3cd; border: 2px solid #d39e00; padding: .7em 1em; margin: 1em 0; font-weight: bold; }
details { margin: .5em 0 1em; font-size: 0.85em; color: #444; }
code { font-size: 0.9em; }
"""

# How the report shows each column of the measures' tables: a label with its unit, and a format.
_PERCENT = "percent"
_FOLLOWER_COLUMNS = {
    "accounts": ("accounts", "count"),
    "share_zero": ("no followers", _PERCENT),
    "share_under_8": ("under 8 followers", _PERCENT),
    "share_under_10": ("under 10 followers", _PERCENT),
    "share_5000_or_more": ("5,000 followers or more", _PERCENT),
    "mean": ("mean followers", "decimal"),
    "median": ("median followers", "decimal"),
    "q90": ("90th percentile", "decimal"),
    "max": ("most followers", "count"),
    "mean_following": ("mean following", "decimal"),
    "share_no_biography": ("no biography", _PERCENT),
}
_ENGAGEMENT_ROWS = {
    "tweets": ("tweets", "count"),
    "share_no_engagement": ("tweets with no engagement", _PERCENT),
    "mean_per_tweet": ("engagements per tweet (retweets count 0)", "decimal"),
    "mean_per_original": ("engagements per original tweet", "decimal"),
    "mean_like_count": ("likes per tweet", "decimal"),
    "mean_retweet_count": ("retweets per tweet", "decimal"),
    "mean_reply_count": ("replies per tweet", "decimal"),
    "mean_quote_count": ("quotes per tweet", "decimal"),
}


# When the follower counts were taken, where it is not Twitter's release snapshot.
_SNAPSHOTS = {
    "fivethirtyeight": "Follower counts are the latest recorded with each account's tweets, as Clemson "
    "collected them (each tweet carries the count of its day).",
    "nbc": "Follower counts are those NBC News recorded for each account, at a date it does not give.",
    "twarc2": "Follower counts are those the API gave with each account's latest tweet in the collection.",
    "twitter_v1": "Follower counts are those the API gave with each account's latest tweet in the collection.",
    "synthetic": "Follower counts are made up by takedown.synth.",
}


def _format(value, kind: str) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return "–"
    if kind == _PERCENT:
        return f"{value:.1%}"
    if kind == "count":
        return f"{int(value):,}"
    if kind == "decimal":
        return f"{value:,.2f}"
    if kind == "fraction":
        return f"{value:.4f}"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d") if value == value.normalize() else value.strftime("%Y-%m-%d %H:%M")
    return html.escape(str(value))


def _table(rows: list[list], head: list[str], kinds: list[str]) -> str:
    """An HTML table: numbers right-aligned and never broken, names allowed to wrap."""

    def cell(value, kind: str) -> str:
        style = "number" if kind not in ("text", "name") else kind
        # "raw" and "name" cells arrive as HTML already escaped (formatted numbers, shortened accounts).
        return f'<td class="{style}">{value if kind in ("raw", "name") else _format(value, kind)}</td>'

    header = "".join(
        f'<th class="{"number" if kind not in ("text", "name") else "text"}">{html.escape(h)}</th>'
        for h, kind in zip(head, kinds)
    )
    body = "".join("<tr>" + "".join(cell(v, k) for v, k in zip(row, kinds)) + "</tr>" for row in rows)
    return f"<table><tr>{header}</tr>{body}</table>"


def _png(ax) -> str:
    import matplotlib.pyplot as plt

    figure = ax.figure
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(figure)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="{html.escape(ax.get_title(loc="left"))}" src="data:image/png;base64,{encoded}">'


def _numbers(pairs: list[tuple[str, str]]) -> str:
    boxes = "".join(
        f'<div><div class="figure-number">{html.escape(value)}</div>{html.escape(label)}</div>'
        for label, value in pairs
    )
    return f'<div class="grid">{boxes}</div>'


def _shown(account: str) -> str:
    """An account as a table shows it: a screen name whole, a 44-character hash cut to its first 10."""
    text = str(account)
    return text if len(text) <= 20 else f'<span title="{html.escape(text)}">{html.escape(text[:10])}…</span>'


def _empty(text: str) -> str:
    return f'<p class="empty">{html.escape(text)}</p>'


def _overview(archive: Archive, name: str, *, retweets: int) -> list[str]:
    provenance = archive.provenance
    tweets = archive.num_rows("tweets")
    accounts = archive.num_rows("users")
    tweeting = len(measures.tweeting_accounts(archive)) if tweets else 0
    times = archive.load("tweets", columns=["tweet_time"])["tweet_time"].dropna()
    sections = ["<h2>Overview</h2>"]
    sections.append(
        _numbers(
            [
                ("accounts", f"{accounts:,}"),
                ("accounts that posted", f"{tweeting:,}"),
                ("tweets" if provenance.platform == "twitter" else "posts", f"{tweets:,}"),
                (
                    "of them retweets",
                    f"{retweets / tweets:.0%}" if tweets and provenance.platform == "twitter" else "–",
                ),
            ]
        )
    )
    posts = "Tweets" if provenance.platform == "twitter" else "Posts"
    when = (
        f"{posts} from {times.min():%Y-%m-%d} to {times.max():%Y-%m-%d} (UTC)."
        if len(times)
        else "The release holds accounts only: a users file, and no tweets."
    )
    what = {
        "twitter": "Twitter's release files",
        "fivethirtyeight": "FiveThirtyEight/Clemson's IRA tweets",
        "nbc": "NBC News' IRA tweets",
        "reddit_2018": "Reddit's 2018 list of suspected IRA accounts, with their posts",
        "twarc2": "an API collection (twarc2)",
        "twitter_v1": "an API collection (API v1.1)",
        "synthetic": "a synthetic archive made in memory",
    }.get(provenance.source_format, provenance.source_format)
    layout = f"; release format {provenance.release_format}" if provenance.release_format not in ("none", "") else ""
    sections.append(f"<p>Data: {html.escape(what + layout)}. {html.escape(when)}</p>")
    if provenance.files:
        rows = [
            [
                f'<span title="{html.escape(f.file)}">{html.escape(Path(f.file.split("!")[-1]).name)}</span>',
                f.role,
                f.rows,
                f.bytes / 2**20,
                f.release_format,
            ]
            for f in provenance.files
        ]
        sections.append(
            _table(rows, ["file", "holds", "rows", "MB", "format"], ["name", "text", "count", "decimal", "text"])
        )
        paths = "".join(f"<li><code>{html.escape(f.file)}</code></li>" for f in provenance.files)
        sections.append(f"<details><summary>Where the files are</summary><ul>{paths}</ul></details>")
    counts = provenance.issue_counts
    rejected = counts.get("row rejected", 0)
    issues = sum(counts.values())
    if issues:
        sections.append(
            f'<p class="note">{rejected:,} row(s) could not be read and {issues - rejected:,} value(s) or '
            "duplicate(s) were repaired or dropped; every one is listed, with its file and line, in "
            "<code>archive.provenance.issues</code>.</p>"
        )
    else:
        sections.append('<p class="note">Every row was read as written: nothing was rejected or repaired.</p>')
    if provenance.skipped:
        listed = "".join(
            f"<li><code>{html.escape(s.file)}</code>: {html.escape(s.reason)}</li>" for s in provenance.skipped[:50]
        )
        more = f"<li>and {len(provenance.skipped) - 50:,} more</li>" if len(provenance.skipped) > 50 else ""
        sections.append(
            f"<details><summary>{len(provenance.skipped):,} other file(s) found and not read, and why</summary>"
            f"<ul>{listed}{more}</ul></details>"
        )
    if provenance.notes:
        notes = "".join(f"<li>{html.escape(note)}</li>" for note in provenance.notes)
        sections.append(
            f"<details><summary>Notes on the data ({len(provenance.notes)})</summary><ul>{notes}</ul></details>"
        )
    return sections


def _accounts(archive: Archive, name: str) -> list[str]:
    sections = ["<h2>Accounts and followers</h2>"]
    summary = measures.follower_summary(archive)
    if summary["share_zero"].isna().all():
        sections.append(
            _empty(
                f"No follower counts in this data ({archive.provenance.source_format}): "
                "followers cannot be measured here."
            )
        )
    else:
        groups = [g for g in summary.index if summary.loc[g, "accounts"] > 0]
        rows = [
            [label, *(_format(summary.loc[g, column], kind) for g in groups)]
            for column, (label, kind) in _FOLLOWER_COLUMNS.items()
            if column in summary.columns
        ]
        sections.append(_table(rows, ["", *groups], ["text", *(["raw"] * len(groups))]))
        snapshot = _SNAPSHOTS.get(
            archive.provenance.source_format,
            "Follower counts are one snapshot, taken when Twitter published the data (the date is not given).",
        )
        sections.append(
            f'<p class="note">{html.escape(snapshot)} ASPI (2020) found 78.5% of the China 2020 accounts without '
            "followers; SIO (2020) an average of 1.28 for Thailand.</p>"
        )
        sections.append(_png(plot.follower_ccdf(measures.follower_ccdf(archive), source=name)))
    created = archive.load("users", columns=["account_creation_date"])["account_creation_date"]
    if created.notna().any():
        months = measures.creation_bursts(archive, freq="M", top=10_000)
        sections.append(_png(plot.creation_bursts(months, source=name)))
        days = measures.creation_bursts(archive, freq="D", top=5)
        rows = [[d["period"], d["accounts"], d["share"]] for _, d in days.iterrows()]
        known, every = days.attrs["known"], days.attrs["accounts"]
        share = "share of accounts" if known == every else f"share of the {known:,} with a date"
        sections.append("<p>The days on which most accounts were created:</p>")
        sections.append(_table(rows, ["day", "accounts created", share], ["date", "count", _PERCENT]))
    else:
        sections.append(_empty("No account creation dates in this data."))
    return sections


def _no_retweets(archive: Archive) -> str:
    """Why there are no retweets: no tweets at all, or a data set without them."""
    if not archive.num_rows("tweets"):
        return "No tweets in this data (the release holds accounts only)"
    kind = archive.provenance.source_format
    return "No retweets in this data" + ("" if kind in ("twitter", "synthetic") else f" ({kind})")


def _spreaders(archive: Archive, name: str, names: pd.Series, retweets: int, retweet_edges) -> list[str]:
    sections = ["<h2>Super-spreaders</h2>"]
    if not retweets:
        sections.append(_empty(f"{_no_retweets(archive)}: the super-spreader measures count retweets."))
        return sections
    counts = measures.retweets_by_account(retweet_edges)
    spread = measures.top_share(counts, q=0.01)
    sections.append(
        f"<p>The top 1% of retweeting accounts ({int(spread['k']):,} of {int(spread['n']):,}) made "
        f"<b>{spread['value']:.1%}</b> of all {int(counts.sum()):,} retweets "
        "(the Oxford Internet Institute found nearly half among the retweeters of PRC diplomats, 2021).</p>"
    )
    sections.append(_png(plot.lorenz_curve(measures.lorenz_curve(counts), source=name)))
    top = measures.superspreader_share_by_target(retweet_edges).head(10)
    rows = [[_shown(names.get(target, target)), row["retweets"], row["share"]] for target, row in top.iterrows()]
    sections.append("<p>The most retweeted accounts, and how much of their retweets came from the top 1%:</p>")
    sections.append(_table(rows, ["account", "retweets received", "from the top 1%"], ["name", "count", _PERCENT]))
    return sections


def _engagement(archive: Archive, name: str) -> list[str]:
    sections = ["<h2>Engagement</h2>"]
    if not archive.num_rows("tweets"):
        sections.append(_empty("No tweets in this data: engagement is measured on tweets."))
        return sections
    summary = measures.engagement_summary(archive)
    if np.isnan(summary["mean_per_tweet"]):
        sections.append(
            _empty(
                "No engagement counts (likes, retweets, replies, quotes) in this data "
                f"({archive.provenance.source_format}): engagement cannot be measured here."
            )
        )
        return sections
    rows = [[label, _format(summary[key], kind)] for key, (label, kind) in _ENGAGEMENT_ROWS.items()]
    if summary["tweets_with_counts"] != summary["tweets"]:
        # Tweets without any count are unknown, not zero: the shares and means below leave them out.
        rows.insert(1, ["tweets with engagement counts", _format(summary["tweets_with_counts"], "count")])
    sections.append(_table(rows, ["", "value"], ["text", "raw"]))
    sections.append(
        '<p class="note">Engagement is likes + retweets + replies + quotes received (SIO, 2020: 0.26 per tweet '
        "in Thailand, most tweets none). Retweets carry 0 in the files.</p>"
    )
    sections.append(_png(plot.engagement_distribution(measures.engagement_histogram(archive), source=name)))
    return sections


# Ties the report's network section works on: Leiden and PageRank on more take minutes and say no more.
_NETWORK_TIES = 500_000


def _network_size(archive: Archive, kind: str, interactions) -> tuple[dict, pd.DataFrame | None]:
    """The network's size and, in memory, all its ties, heaviest first (counted once for both)."""
    if archive.out_of_core:
        from takedown.edges import outofcore

        return outofcore.network_size(archive, kind=kind), None
    weighted = edges.aggregate(interactions, kind=kind)
    accounts = pd.concat([weighted["source"], weighted["target"]]).nunique()
    size = {"ties": len(weighted), "interactions": int(weighted["weight"].sum()), "accounts": int(accounts)}
    return size, weighted


# How the network section names its interactions: retweets, or replies where a data set has no retweets
# (Reddit's comments, which answer a post's or a comment's author).
_KINDS = {
    "retweet": ("Amplifier network", "retweets", "retweet ties", "the amplification", "Who amplifies whom"),
    "reply": ("Reply network", "replies", "reply ties", "the conversation", "Who replies to whom"),
}


def _network(archive: Archive, name: str, names: pd.Series, retweets: int, retweet_edges) -> list[str]:
    kind, size = "retweet", None
    if not retweets and archive.num_rows("tweets"):
        kind = "reply"
        size, weighted = _network_size(archive, kind, archive)
    heading, what, ties, centre, title = _KINDS[kind]
    sections = [f"<h2>{heading}</h2>"]
    if not retweets and not (size and size["ties"]):
        replies = " and no replies" if archive.num_rows("tweets") else ""
        sections.append(_empty(f"{_no_retweets(archive)}{replies}: there is no network to draw."))
        return sections
    if kind == "reply":
        sections.append(
            f"<p>{html.escape(_no_retweets(archive))}: the network is made of replies, each from its author "
            "to the author it answers.</p>"
        )
    if size is None:
        size, weighted = _network_size(archive, kind, retweet_edges)
    # aggregate sorts heaviest first, so its top ties are the first rows.
    weighted = (
        edges.aggregate(archive, kind=kind, top=_NETWORK_TIES) if weighted is None else weighted.head(_NETWORK_TIES)
    )
    graph = graphs.to_igraph(weighted, users=archive, labels=names)
    communities = graphs.communities(graph, seed=0)
    sections.append(
        _numbers(
            [
                ("accounts in the network", f"{size['accounts']:,}"),
                (ties, f"{size['ties']:,}"),
                ("communities (Leiden)", f"{communities.nunique():,}"),
                ("in the largest", f"{communities.value_counts().iloc[0]:,}"),
            ]
        )
    )
    if size["ties"] > _NETWORK_TIES:
        kept = int(weighted["weight"].sum())
        sections.append(
            f'<p class="note">The network has {size["ties"]:,} ties; the communities, the figure and the ranking '
            f"below use its {_NETWORK_TIES:,} heaviest, which carry {kept / size['interactions']:.0%} of the "
            f"{what}. The whole network opens in Gephi: <code>takedown graph --kind {kind}</code>.</p>"
        )
    sections.append(_png(plot.network(graph, color_by=communities, what=what, title=title, source=name)))
    ranked = graphs.pagerank(graph).sort_values(ascending=False).head(10)
    received = graphs.strength(graph)["in_strength"]
    rows = [[_shown(names.get(node, node)), received[node], value] for node, value in ranked.items()]
    sections.append(f"<p>The accounts most central to {centre} (weighted PageRank):</p>")
    sections.append(_table(rows, ["account", f"{what} received", "PageRank"], ["name", "count", "fraction"]))
    return sections


def _timing(archive: Archive, name: str, tz: str | None) -> tuple[list[str], str]:
    zone = measures.likely_timezone(archive) if archive.num_rows("tweets") else None
    chosen = tz is not None
    if tz is None:
        tz = zone["tz"] if zone is not None and zone["fits"] else "UTC"
    if zone is None:
        return ["<h2>Timing</h2>", _empty("No tweets in this data: there is no activity to time.")], tz
    sections = [f"<h2>Timing ({html.escape(tz)})</h2>"]
    sections.append(f"<p>Likely time zone of the operators: {html.escape(zone['statement'])}.</p>")
    if not chosen:
        reason = "the zone the activity fits best" if zone["fits"] else "because no zone fits a working week"
        sections.append(
            f'<p class="note">The times below are in {html.escape(tz)}, {reason}; '
            "pass <code>--tz</code> (or <code>tz=</code>) to choose another.</p>"
        )
    sections.append(_png(plot.timezone_fit(measures.timezone_fit(archive), source=name)))
    share = measures.office_hours_share(archive, tz=tz)
    sections.append(
        f"<p><b>{share:.0%}</b> of tweets were posted in office hours (9:00 to 18:00 on weekdays, {html.escape(tz)}); "
        "a round-the-clock operation would put about 27% there.</p>"
    )
    sections.append(_png(plot.hourly_activity(measures.hourly_activity(archive, tz=tz), tz=tz, source=name)))
    sections.append(_png(plot.activity_series(measures.activity_series(archive, freq="auto", tz=tz), source=name)))
    # The clients' codes (memoized, and what client_shares counts) say whether any tweet names one.
    if (archive.codes("tweets", "tweet_client_name")[0] >= 0).any():
        counts = measures.client_shares(archive, freq="M", normalize=False)
        sections.append(_png(plot.client_shares(counts, source=name)))
    else:
        sections.append(_empty("No client names in this data: which apps posted cannot be shown."))
    return sections, tz


def build_report(archive: Archive, *, tz: str | None = None, title: str | None = None) -> str:
    """The report as one HTML string.

    Parameters
    ----------
    archive : Archive
    tz : str, optional
        Time zone for the timing section. By default the operators' likely
        time zone (:func:`takedown.measures.likely_timezone`) when the activity
        fits a working week, else UTC; the report says which and why.
    title : str, optional

    Returns
    -------
    str

    Examples
    --------
    >>> import takedown as td
    >>> page = td.report.build_report(td.datasets.sample())
    >>> page.startswith("<!DOCTYPE html>") and "http" not in page.split("<body>")[0], "SYNTHETIC" in page
    (True, True)
    """
    if tz is not None:
        from takedown.measures.timing import check_timezone

        check_timezone(tz)
    name = archive.name
    tweets = archive.num_rows("tweets")
    retweets = int(archive.load("tweets", columns=["is_retweet"])["is_retweet"].fillna(False).astype(bool).sum())
    names = edges.screen_names(archive) if tweets else pd.Series(dtype="string[pyarrow]")
    heading = title or f"Takedown report: {name}"
    sections = [f"<h1>{html.escape(heading)}</h1>"]
    if is_synthetic(archive):
        sections.append(
            '<div class="banner">SYNTHETIC DATA. These accounts and tweets were made up by takedown.synth, with '
            "structure planted on purpose; no real account is in them. Use them to learn, never to cite.</div>"
        )
    sections += _overview(archive, name, retweets=retweets)
    sections += _accounts(archive, name)
    # In memory, the retweets are resolved once for every section that counts them; out of core,
    # each section's measure is its own DuckDB query over the archive.
    retweet_edges = edges.retweets(archive) if retweets and not archive.out_of_core else archive
    sections += _spreaders(archive, name, names, retweets, retweet_edges)
    sections += _engagement(archive, name)
    sections += _network(archive, name, names, retweets, retweet_edges)
    timing, _ = _timing(archive, name, tz)
    sections += timing
    sections.append(
        f'<p class="note">Made with takedown {html.escape(__version__)}. Hashed accounts are shown by their hash, '
        "shortened; no attempt is made to re-identify them.</p>"
    )
    body = "\n".join(sections)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(heading)}</title><style>{_STYLE}</style></head>\n<body>\n{body}\n</body></html>\n"
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
