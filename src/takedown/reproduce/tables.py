"""The published-vs-recomputed table every reproduction returns, and how it is shown."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from takedown.archive import Archive

COLUMNS = ("claim", "published", "recomputed", "match", "tolerance", "source", "note", "synthetic")


@dataclass(frozen=True)
class _Claim:
    """A published claim: how to recompute it from the facts, and when ours matches.

    ``needs`` names facts without which the claim cannot be checked (the fact
    is ``None``); ``compared_on`` names a fact that must be true for ours to
    be compared with the published value (it is still computed and shown).
    ``note`` is a string or a function of the facts; ``synthetic_note`` is
    added on synthetic data. ``percent``: the value is a share, which
    :func:`styled` shows as a percentage.
    """

    claim: str
    published: str
    tolerance: str
    source: str
    recompute: Callable[[dict], object]
    matches: Callable[[object, dict], bool]
    needs: tuple[str, ...] = ()
    compared_on: str | None = None
    note: str | Callable[[dict], str] = ""
    synthetic_note: str = ""
    percent: bool = False


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


def _is_synthetic(archive: Archive) -> bool:
    """Generated in memory (:func:`takedown.synth.generate`) or written by the generator (its names start so)."""
    return archive.provenance.release_format == "synthetic" or archive.name.lower().startswith("synthetic")


def _table(claims: tuple[_Claim, ...], facts: dict, *, reproduction: str, data: str, synthetic: bool) -> pd.DataFrame:
    rows = []
    for claim in claims:
        notes = [claim.note(facts) if callable(claim.note) else claim.note]
        missing = [name for name in claim.needs if facts.get(name) is None]
        if missing:
            value, match = None, pd.NA
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
        if synthetic and claim.synthetic_note:
            notes.append("synthetic: " + claim.synthetic_note)
        rows.append(
            {
                "claim": claim.claim,
                "published": claim.published,
                "recomputed": value,
                "match": match,
                "tolerance": claim.tolerance,
                "source": claim.source,
                "note": "; ".join(n for n in notes if n),
                "synthetic": synthetic,
            }
        )
    table = pd.DataFrame(rows, columns=list(COLUMNS))
    # Values of several kinds (counts, shares, text, None) stay as given, not coerced to floats.
    table["recomputed"] = pd.Series([row["recomputed"] for row in rows], dtype=object)
    table["match"] = table["match"].astype("boolean")
    table["synthetic"] = table["synthetic"].astype(bool)
    label = f"{data} (SYNTHETIC DATA)" if synthetic else data
    shares = tuple(claim.claim for claim in claims if claim.percent)
    table.attrs = {"reproduction": reproduction, "data": data, "synthetic": synthetic, "label": label, "shares": shares}
    return table


def _check_table(table) -> None:
    if not isinstance(table, pd.DataFrame) or "match" not in table.columns:
        raise ValueError("table: expected a table from takedown.reproduce, with a 'match' column")


def _synthetic(table: pd.DataFrame) -> bool:
    return bool(table.attrs.get("synthetic", False)) or bool(table.get("synthetic", pd.Series(False)).any())


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
        synthetic data preceded by a line starting ``"SYNTHETIC DATA"``.

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
    """
    _check_table(table)
    checked = table["match"].notna()
    matched = int(table["match"][checked].astype(bool).sum())
    line = f"{matched} of {int(checked.sum())} claims match"
    unchecked = int((~checked).sum())
    if unchecked:
        line += f"; {unchecked} more cannot be checked or compared on these data"
    if not _synthetic(table):
        return line
    data = table.attrs.get("data", "these data")
    report = table.attrs.get("reproduction", "the report")
    banner = (
        f"SYNTHETIC DATA ({data}): generated by takedown.synth, not the data {report} studied. "
        "A match only shows that a measure finds what the generator planted."
    )
    return banner + "\n" + line


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
_SYNTHETIC_CAPTION = "color: #b00; font-size: 1.1em;"


def styled(table: pd.DataFrame):
    """The table for reading in a notebook, with what it was computed on as its caption.

    Text is left-aligned and shown whole, counts get thousands separators,
    shares are shown as percentages (``0.786`` as ``78.6%``), ``match``
    reads ``yes``, ``no`` or ``-`` (cannot be checked or compared), the
    index and the ``synthetic`` column are left out, and the caption says
    which report and which data, with ``SYNTHETIC DATA`` first when they
    are. Pandas' Styler needs ``jinja2`` to render (JupyterLab brings it).

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
    shown = shown.assign(
        recomputed=[
            _shown(v, share=c in table.attrs.get("shares", ())) for c, v in zip(table["claim"], table["recomputed"])
        ],
        match=["-" if pd.isna(m) else "yes" if m else "no" for m in table["match"]],
    )
    report = table.attrs.get("reproduction", "the report")
    data = table.attrs.get("data", "these data")
    synthetic = _synthetic(table)
    caption = f"SYNTHETIC DATA ({data}), not the data of {report}" if synthetic else f"{report}, recomputed on {data}"
    styles = list(_STYLES)
    if synthetic:
        styles[0] = {**styles[0], "props": styles[0]["props"] + _SYNTHETIC_CAPTION}
    return shown.style.hide(axis="index").set_caption(caption).set_table_styles(styles)


# Stanford Internet Observatory, Thailand (FINDINGS.md §1) ------------------------------------------------------
