"""The published-vs-recomputed table every reproduction returns, and how it is shown."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from takedown.archive import Archive

COLUMNS = ("claim", "published", "recomputed", "match", "tolerance", "source", "note", "synthetic")

#: How a row says that the data lack what its claim is computed from.
NOT_MEASURABLE = "not measurable here"


@dataclass(frozen=True)
class _Report:
    """A published report: how tables name it, the data it studied, and the source formats such data come in.

    Data of another source format (a Reddit list run through a report on a
    Twitter release) are flagged as other data, as are data that lack what
    some claims are computed from.
    """

    name: str
    studied: str
    formats: tuple[str, ...]


@dataclass(frozen=True)
class _Claim:
    """A published claim: how to recompute it from the facts, and when ours matches.

    ``needs`` names facts without which the claim cannot be checked (the fact
    is ``None``: an input the caller did not give); ``data`` names the
    :data:`_INPUTS` the archive must hold for the claim to be measurable at
    all; ``compared_on`` names a fact that must be true for ours to be
    compared with the published value (it is still computed and shown).
    ``note`` is a string or a function of the facts; ``synthetic_note`` is
    added on synthetic data. ``percent``: the value is a share, which
    :func:`styled` shows as a percentage.
    """

    claim: str
    published: str
    tolerance: str
    source: str
    recompute: Callable[[Mapping], object]
    matches: Callable[[object, Mapping], bool]
    needs: tuple[str, ...] = ()
    data: tuple[str, ...] = ()
    compared_on: str | None = None
    note: str | Callable[[Mapping], str] = ""
    synthetic_note: str = ""
    percent: bool = False


class _NotMeasurable(Exception):
    """A fact these data cannot give; every claim computed from it says so, with this reason."""


class _Facts(Mapping):
    """Facts computed when a claim first asks for them, once each.

    A rule takes the facts (so that one fact can build on another) and may
    raise :class:`_NotMeasurable`. Computing only what the measurable
    claims use is what lets a reproduction run on data that lack a column:
    the follower facts of a Reddit list are never asked for.
    """

    def __init__(self, rules: Mapping[str, Callable[[Mapping], object]]):
        self._rules = dict(rules)
        self._known: dict[str, object] = {}
        self._failed: dict[str, _NotMeasurable] = {}

    def __getitem__(self, name: str):
        if name in self._failed:
            raise self._failed[name]
        if name not in self._known:
            try:
                self._known[name] = self._rules[name](self)
            except _NotMeasurable as reason:
                self._failed[name] = reason
                raise
        return self._known[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._rules)

    def __len__(self) -> int:
        return len(self._rules)


@dataclass(frozen=True)
class _Input:
    """What claims need from an archive: rows of a table, with a value in each of some columns.

    A column empty in every row is taken as absent, as the measures take it
    (:func:`takedown.measures.follower_summary` gives no share of accounts
    without a biography when no account has one). ``true``: the column must
    hold a true value (``is_retweet``).
    """

    what: str
    table: str
    columns: tuple[str, ...] = ()
    true: bool = False


#: What claims are computed from, by the name a claim's ``data`` gives.
_INPUTS = {
    "accounts": _Input("accounts", "users"),
    "tweets": _Input("tweets", "tweets"),
    "tweet times": _Input("tweet times", "tweets", ("tweet_time",)),
    "follower counts": _Input("follower counts", "users", ("follower_count",)),
    "biographies": _Input("profile descriptions", "users", ("user_profile_description",)),
    "creation dates": _Input("account creation dates", "users", ("account_creation_date",)),
    "like counts": _Input("like counts", "tweets", ("like_count",)),
    "retweet counts": _Input("retweet counts", "tweets", ("retweet_count",)),
    "engagement counts": _Input(
        "engagement counts", "tweets", ("like_count", "retweet_count", "reply_count", "quote_count")
    ),
    "retweets": _Input("retweets", "tweets", ("is_retweet",), true=True),
}
#: Source formats named in no reason: Twitter's own files, and the generator's imitation of them.
_TWITTER = ("twitter", "synthetic")

#: Why a claim cannot be checked, by the missing fact.
_MISSING = {
    "amplifiers": "Twitter published only the core accounts, not the amplifiers",
    "suspended": "no list of suspended accounts (suspended=)",
    "ambassador": "no ambassador (ambassador=)",
    "network": "no flagged network (network=)",
    "times": "no retweet times",
    "delays": "no time of the original tweets (delay)",
}
_NOT_COMPARED = {
    "full_collection": "compared only on OII's own collection (full_collection=True): a count depends on what was "
    "collected",
}


def _check_archive(archive) -> None:
    if not isinstance(archive, Archive):
        raise TypeError(f"archive: expected a takedown.Archive, got {type(archive).__name__}")


def _these(archive: Archive) -> str:
    """The data as a reason names them: "these data", or "these reddit_2018 data" for another source."""
    kind = archive.provenance.source_format
    return "these data" if kind in _TWITTER else f"these {kind} data"


def _lacks(archive: Archive, name: str) -> str | None:
    """What of the input ``name`` the archive has not ("follower counts (follower_count empty in every row)"),
    or None when it has it."""
    need = _INPUTS[name]
    if archive.num_rows(need.table) == 0:
        only = " (a users file only)" if need.table == "tweets" and archive.provenance.release_format == "none" else ""
        return f"{need.table}{only}"
    present = archive.columns(need.table)
    absent = [c for c in need.columns if c not in present]
    if absent:
        return f"{need.what} (no {', '.join(absent)} column)"
    values = archive.arrow(need.table, columns=list(need.columns))
    if need.true:
        return None if any(pc.any(values[c]).as_py() for c in need.columns) else need.what
    empty = [c for c in need.columns if values[c].null_count == len(values[c])]
    return f"{need.what} ({', '.join(empty)} empty in every row)" if empty else None


def _row(claim: _Claim, facts: Mapping, lacking: str | None, *, synthetic: bool) -> dict:
    """One claim's row: recomputed and compared, or why it cannot be."""
    value, match, notes = None, pd.NA, []
    try:
        if lacking:
            raise _NotMeasurable(lacking)
        notes.append(claim.note(facts) if callable(claim.note) else claim.note)
        missing = [name for name in claim.needs if facts.get(name) is None]
        if missing:
            notes.append("cannot be checked: " + ", ".join(_MISSING[name] for name in missing))
        else:
            value = claim.recompute(facts)
            value = value.item() if isinstance(value, np.generic) else value
            match = bool(claim.matches(value, facts))
            if isinstance(value, float) and math.isnan(value):
                match = pd.NA
                notes.append("cannot be checked: nothing to compute it on")
            elif claim.compared_on is not None and not facts.get(claim.compared_on):
                match = pd.NA
                notes.append(_NOT_COMPARED[claim.compared_on])
    except _NotMeasurable as reason:
        # The claim's own note is about a measurement that could not be made: the reason replaces it.
        value, match, notes = None, pd.NA, [f"{NOT_MEASURABLE}: {reason}"]
    if synthetic and claim.synthetic_note:
        notes.append("synthetic: " + claim.synthetic_note)
    return {
        "claim": claim.claim,
        "published": claim.published,
        "recomputed": value,
        "match": match,
        "tolerance": claim.tolerance,
        "source": claim.source,
        "note": "; ".join(n for n in notes if n),
        "synthetic": synthetic,
    }


def _described(archive: Archive) -> str:
    """The data in a few words: name, accounts and posts, and the source format when it is not Twitter's files."""
    posts = "tweets" if archive.provenance.platform == "twitter" else "posts"
    kind = archive.provenance.source_format
    source = "" if kind in _TWITTER else f"; source format {kind}"
    return f"{archive.name}: {archive.num_rows('users'):,} accounts, {archive.num_rows('tweets'):,} {posts}{source}"


def _table(
    claims: tuple[_Claim, ...],
    facts: Mapping,
    *,
    report: _Report,
    data: str,
    synthetic: bool,
    archive: Archive | None = None,
) -> pd.DataFrame:
    """The published-vs-recomputed table; with ``archive``, claims whose data it lacks say so."""
    gaps: dict[str, str | None] = {}
    rows = []
    for claim in claims:
        lacking = None
        if archive is not None:
            for name in claim.data:
                if name not in gaps:
                    gaps[name] = _lacks(archive, name)
            missing = list(dict.fromkeys(gaps[name] for name in claim.data if gaps[name] is not None))
            lacking = f"{_these(archive)} have no {' and no '.join(missing)}" if missing else None
        rows.append(_row(claim, facts, lacking, synthetic=synthetic))
    table = pd.DataFrame(rows, columns=list(COLUMNS))
    # Values of several kinds (counts, shares, text, None) stay as given, not coerced to floats.
    table["recomputed"] = pd.Series([row["recomputed"] for row in rows], dtype=object)
    table["match"] = table["match"].astype("boolean")
    table["synthetic"] = table["synthetic"].astype(bool)
    unmeasured = tuple(row["claim"] for row in rows if row["note"].startswith(NOT_MEASURABLE))
    kind = archive.provenance.source_format if archive is not None else None
    # Synthetic data have their own banner; their source format is the one they imitate.
    other = bool(unmeasured) or (not synthetic and kind is not None and kind not in report.formats)
    label = f"{data} (SYNTHETIC DATA)" if synthetic else data
    if other:
        label += f" (OTHER DATA, not {report.studied})"
    shares = tuple(claim.claim for claim in claims if claim.percent)
    table.attrs = {
        "reproduction": report.name,
        "studied": report.studied,
        "data": data,
        "described": _described(archive) if archive is not None else data,
        "synthetic": synthetic,
        "other_data": other,
        "not_measurable": unmeasured,
        "label": label,
        "shares": shares,
    }
    return table


def _check_table(table) -> None:
    if not isinstance(table, pd.DataFrame) or "match" not in table.columns:
        raise ValueError("table: expected a table from takedown.reproduce, with a 'match' column")


def _synthetic(table: pd.DataFrame) -> bool:
    return bool(table.attrs.get("synthetic", False)) or bool(table.get("synthetic", pd.Series(False)).any())


def _other_data(table: pd.DataFrame) -> str | None:
    """The other-data banner: which data these are, that they are not the report's, and how much cannot be measured."""
    if not table.attrs.get("other_data"):
        return None
    report = table.attrs.get("reproduction", "the report")
    line = (
        f"OTHER DATA ({table.attrs.get('described', table.attrs.get('data', 'these data'))}), not "
        f"{table.attrs.get('studied', 'the data')} that {report} studied: its numbers are not expected to match"
    )
    unmeasured = len(table.attrs.get("not_measurable", ()))
    if unmeasured:
        line += f"; {unmeasured} of {len(table)} claims are not measurable on these data"
    return line + "."


def summary(table: pd.DataFrame) -> str:
    """One line on how many claims match; on synthetic data, a banner line first.

    Parameters
    ----------
    table : pandas.DataFrame
        A table from one of this module's reproductions.

    Returns
    -------
    str
        ``"17 of 17 claims match"``; with ``"; 2 more cannot be checked or
        compared on these data"`` when some ``match`` are missing; on
        synthetic data preceded by a line starting ``"SYNTHETIC DATA"``; on
        other data (another source format than the report's, or data that
        lack what some claims are computed from) preceded by a line starting
        ``"OTHER DATA"`` that describes them and counts the claims not
        measurable on them.

    Examples
    --------
    >>> import pandas as pd, takedown as td
    >>> retweets = pd.DataFrame({"who": ["a", "a", "b"], "whom": ["liu"] * 3})
    >>> edges = td.edges.from_table(retweets, source="who", target="whom")
    >>> td.reproduce.summary(td.reproduce.oii_2021(edges))
    '0 of 1 claims match; 9 more cannot be checked or compared on these data'
    >>> banner = td.reproduce.summary(td.reproduce.sio_thailand_2020(td.datasets.sample())).splitlines()[0]
    >>> banner.startswith("SYNTHETIC DATA (synthetic_sample): generated by takedown.synth")
    True

    The sample's accounts without their tweets, as in a users-only release:

    >>> sample = td.datasets.sample()
    >>> users = td.Archive(users=sample.users, tweets=sample.tweets.iloc[:0], name="synthetic_users",
    ...                    provenance=sample.provenance)
    >>> print(td.reproduce.summary(td.reproduce.sio_thailand_2020(users)).splitlines()[1])  # doctest: +ELLIPSIS
    OTHER DATA (synthetic_users: 926 accounts, 0 tweets), not the thailand_092020 release ...; 10 of 17 claims ...
    """
    _check_table(table)
    checked = table["match"].notna()
    matched = int(table["match"][checked].astype(bool).sum())
    line = f"{matched} of {int(checked.sum())} claims match"
    unchecked = int((~checked).sum())
    if unchecked:
        line += f"; {unchecked} more cannot be checked or compared on these data"
    banners = []
    if _synthetic(table):
        data = table.attrs.get("data", "these data")
        report = table.attrs.get("reproduction", "the report")
        banners.append(
            f"SYNTHETIC DATA ({data}): generated by takedown.synth, not the data {report} studied. "
            "A match only shows that a measure finds what the generator planted."
        )
    other = _other_data(table)
    if other:
        banners.append(other)
    return "\n".join([*banners, line])


def _shown(value, *, share: bool) -> str:
    """A recomputed value as people read it: counts with thousands separators, shares in percent, a dash for none."""
    if value is None:
        return "-"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if math.isnan(value):
        return "-"
    # Shares are rounded to 3 or 4 decimals: as a percentage, to 1 or 2 decimals, trailing zeros dropped.
    return f"{round(value * 100, 2):g}%" if share else f"{value:,.6g}"


_STYLES = [
    {"selector": "caption", "props": "caption-side: top; text-align: left; font-weight: bold; padding: 0.4em 0;"},
    {"selector": "th", "props": "text-align: left; vertical-align: bottom;"},
    {"selector": "td", "props": "text-align: left; vertical-align: top; max-width: 22em;"},
]
_WARNING_CAPTION = "color: #b00; font-size: 1.1em;"


def styled(table: pd.DataFrame):
    """The table for reading in a notebook, with what it was computed on as its caption.

    Text is left-aligned and shown whole, counts get thousands separators,
    shares are shown as percentages (``0.786`` as ``78.6%``), a claim the
    data cannot give reads ``not measurable``, ``match`` reads ``yes``,
    ``no`` or ``-`` (cannot be checked or compared), the index and the
    ``synthetic`` column are left out, and the caption says which report
    and which data, in red and starting ``SYNTHETIC DATA`` or ``OTHER
    DATA`` (:func:`summary`) when they are not the report's. Pandas' Styler
    needs ``jinja2`` to render (JupyterLab brings it).

    Parameters
    ----------
    table : pandas.DataFrame
        A table from one of this module's reproductions.

    Returns
    -------
    pandas.io.formats.style.Styler

    Examples
    --------
    >>> import takedown as td
    >>> view = td.reproduce.styled(td.reproduce.sio_thailand_2020(td.datasets.sample()))
    >>> view.caption
    "SYNTHETIC DATA (synthetic_sample), not the data of SIO (2020), 'Cheerleading Without Fans'"
    """
    _check_table(table)
    shown = table.drop(columns=[c for c in ("synthetic",) if c in table.columns])
    unmeasured = table.attrs.get("not_measurable", ())
    shown = shown.assign(
        recomputed=[
            "not measurable" if c in unmeasured else _shown(v, share=c in table.attrs.get("shares", ()))
            for c, v in zip(table["claim"], table["recomputed"])
        ],
        match=["-" if pd.isna(m) else "yes" if m else "no" for m in table["match"]],
    )
    report = table.attrs.get("reproduction", "the report")
    data = table.attrs.get("data", "these data")
    synthetic = _synthetic(table)
    other = _other_data(table)
    warnings = [f"SYNTHETIC DATA ({data}), not the data of {report}"] if synthetic else []
    warnings += [other] if other else []
    caption = "; ".join(warnings) if warnings else f"{report}, recomputed on {data}"
    styles = list(_STYLES)
    if warnings:
        styles[0] = {**styles[0], "props": styles[0]["props"] + _WARNING_CAPTION}
    return shown.style.hide(axis="index").set_caption(caption).set_table_styles(styles)
