"""Oxford Internet Institute and AP (2021): the retweets PRC diplomats and state media received."""

from __future__ import annotations

import csv
import math
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from takedown import edges as edges_
from takedown import measures
from takedown.archive import Archive
from takedown.datasets import is_synthetic
from takedown.reproduce.tables import _Claim, _Report, _table

_OII_REPORT = _Report(
    "OII (Schliebs et al. 2021) and AP (2021)",
    "the collection of retweets of PRC diplomats and state media",
    ("twarc2", "twitter_v1"),
)
_OII_A = "Schliebs et al. (2021a)"
_OII_B = "Schliebs et al. (2021b)"
_AP = "AP (2021)"
_EDGE_COLUMNS = ("source", "target", "time")
_ID_COLUMNS = ("userid", "user_id", "id", "author_id", "account_id")
_FLOAT_TEXT = re.compile(r"^[+-]?(?:[0-9]+\.[0-9]*|[0-9]*\.?[0-9]+[eE][+-]?[0-9]+)$")


def _read_ids(path: Path, name: str) -> list[str]:
    """Account ids from a text file (one per line) or a CSV (a column named like an id, or its only column)."""
    if not path.is_file():
        raise ValueError(f"{name}: no file at {path}; expected a file of account ids (one per line) or a collection")
    with path.open(encoding="utf-8", newline="") as stream:
        lines = [line.strip() for line in stream if line.strip() and not line.lstrip().startswith("#")]
    if lines and (path.suffix.lower() == ".csv" or "," in lines[0]):
        rows = list(csv.reader(lines))
        header = [h.strip().lower() for h in rows[0]]
        column = next((header.index(c) for c in _ID_COLUMNS if c in header), 0 if len(header) == 1 else None)
        if column is None:
            raise ValueError(f"{name}: {path.name} has no id column; expected one of {', '.join(_ID_COLUMNS)}")
        ids = [row[column].strip() for row in rows[1:] if len(row) > column and row[column].strip()]
    else:
        ids = lines[1:] if lines and lines[0].lower() in _ID_COLUMNS else lines
    floats = [i for i in ids if _FLOAT_TEXT.match(i)]
    if floats:
        raise ValueError(
            f"{name}: {path.name} holds {len(floats):,} ids written as floats (like {floats[0]!r}); their digits are "
            "lost, export the ids as text"
        )
    return ids


def _accounts(value, name: str) -> frozenset[str] | None:
    """A collection of account ids, or a path to a file of them, as a set of strings."""
    if value is None:
        return None
    if isinstance(value, (str, os.PathLike)):
        return frozenset(_read_ids(Path(value), name))
    if isinstance(value, (bytes, Mapping)) or not isinstance(value, Iterable):
        raise TypeError(f"{name}: expected a collection of account ids or a path to a file of them, got {value!r:.60}")
    ids = list(value)
    wrong = next((i for i in ids if not isinstance(i, str)), None)
    if wrong is not None:
        raise TypeError(f"{name}: ids must be strings, got {type(wrong).__name__} {wrong!r}; read ids as text")
    return frozenset(ids)


def _retweet_edges(data) -> pd.DataFrame:
    if isinstance(data, Archive):
        return edges_.retweets(data)
    if not isinstance(data, pd.DataFrame):
        raise TypeError(
            f"data: expected a takedown.Archive or an edge table from takedown.edges, got {type(data).__name__}"
        )
    missing = [c for c in _EDGE_COLUMNS if c not in data.columns]
    if missing:
        raise ValueError(f"data: missing column(s) {missing}; pass an edge table from takedown.edges")
    return data


def _median_gaps(edges: pd.DataFrame) -> pd.Series:
    """Median seconds between each account's consecutive retweets (accounts with at least two timed retweets)."""
    codes, names = pd.factorize(edges["source"])
    # Arrow's cast to epoch milliseconds: pandas' conversion of zoned times costs seconds per million.
    times = pa.array(edges["time"].array).cast(pa.timestamp("ms", tz="UTC")).cast(pa.int64())
    keep = (codes >= 0) & times.is_valid().to_numpy(zero_copy_only=False)
    codes, ms = codes[keep], times.fill_null(0).to_numpy(zero_copy_only=False)[keep]
    order = np.lexsort((ms, codes))
    codes, ms = codes[order], ms[order]
    same = codes[1:] == codes[:-1]
    medians = pd.Series(np.diff(ms)[same] / 1000).groupby(codes[1:][same]).median()
    return pd.Series(medians.to_numpy(), index=pd.Index(names[medians.index.to_numpy()], name="source"), name="gap")


def _oii_facts(edges: pd.DataFrame, *, suspended, network, ambassador, full_collection: bool) -> dict:
    counts = measures.retweets_by_account(edges)
    spreaders = measures.top_share(counts, q=0.01)
    k = int(spreaders["k"])
    timed = bool(edges["time"].notna().any())
    delays = "delay" in edges.columns and bool(edges["delay"].notna().any())
    facts = {
        "top_share": spreaders["value"],
        "k": k,
        "retweeters": len(counts),
        "times": True if timed else None,
        "delays": True if delays else None,
        "rapid_top": int((_median_gaps(edges).reindex(counts.index[:k]) < 60).sum()) if timed else None,
        "suspended": suspended,
        "network": network,
        "ambassador": ambassador,
        "full_collection": full_collection,
    }
    if suspended is not None:
        flagged = counts.index.isin(list(suspended))
        facts["suspended_share"] = float(measures.share_from(edges, accounts=suspended)["share"].iloc[0])
        facts["suspended_accounts"] = int(flagged.sum())
        facts["suspended_retweets"] = int(counts[flagged].sum())
    if ambassador is not None:
        received = edges[edges["target"].isin(list(ambassador)).to_numpy(dtype=bool)]
        # Data without any retweet make the ambassador's claims not measurable; data whose retweets miss him
        # more likely name him by the wrong id.
        if received.empty and not edges.empty:
            raise ValueError(f"ambassador: {', '.join(sorted(ambassador))} received no retweets in the data")
        facts["ambassador_retweets"] = len(received)
        if suspended is not None:
            facts["ambassador_suspended"] = float(
                measures.share_from(edges, accounts=suspended, target=ambassador)["share"].iloc[0]
            )
        if network is not None:
            facts["network_share"] = float(
                measures.share_from(edges, accounts=network, target=ambassador)["share"].iloc[0]
            )
            if timed:
                weekly = measures.share_from(edges, accounts=network, target=ambassador, freq="W")["share"]
                facts["network_weeks"] = float((weekly >= 0.30).mean())
                facts["weeks"] = len(weekly)
            if delays:
                fast = received["delay"] <= 60
                known = received["delay"].notna().to_numpy(dtype=bool)
                member = received["source"].isin(list(network)).to_numpy(dtype=bool)
                facts["network_fast"] = float(fast[known & member].mean()) if (known & member).any() else math.nan
                facts["others_fast"] = float(fast[known & ~member].mean()) if (known & ~member).any() else math.nan
    return facts


_NETWORK_NOTE = "the preset plants no network dedicated to one account"
_OII_CLAIMS = (
    _Claim(
        "share of retweets made by the top 1% of retweeting accounts",
        "nearly half",
        "40% to 50%",
        _OII_A,
        lambda f: round(f["top_share"], 3),
        lambda v, f: 0.40 <= v <= 0.50,
        data=("retweets",),
        note=lambda f: f"top 1% = {f['k']:,} of {f['retweeters']:,} accounts",
        percent=True,
    ),
    _Claim(
        "share of retweets from accounts later suspended",
        "more than 1 in 10",
        "over 10%",
        f"{_OII_A}; {_AP}",
        lambda f: round(f["suspended_share"], 3),
        lambda v, f: v > 0.10,
        data=("retweets",),
        needs=("suspended",),
        note="OII: retweets of PRC diplomats, June 2020 - January 2021; suspensions as of 1 March 2021",
        synthetic_note="the suspended accounts are planted (planted_suspensions)",
        percent=True,
    ),
    _Claim(
        "top-1% accounts retweeting seconds apart (median gap under 60 s)",
        "rapid-fire super-spreaders",
        "at least one",
        _OII_A,
        lambda f: f["rapid_top"],
        lambda v, f: v >= 1,
        data=("retweets",),
        needs=("times",),
        note=lambda f: f"of the {f['k']:,} top-1% accounts; gap = time between an account's consecutive retweets",
    ),
    _Claim(
        "accounts later suspended that retweeted PRC accounts",
        "26,879",
        "exact",
        _AP,
        lambda f: f["suspended_accounts"],
        lambda v, f: v == 26_879,
        data=("retweets",),
        needs=("suspended",),
        compared_on="full_collection",
    ),
    _Claim(
        "retweets made by those accounts",
        "almost 200,000",
        "180,000 to 199,999",
        _AP,
        lambda f: f["suspended_retweets"],
        lambda v, f: 180_000 <= v < 200_000,
        data=("retweets",),
        needs=("suspended",),
        compared_on="full_collection",
    ),
    _Claim(
        "retweets of the ambassador (Liu Xiaoming)",
        "more than 43,000",
        "over 43,000",
        _AP,
        lambda f: f["ambassador_retweets"],
        lambda v, f: v > 43_000,
        data=("retweets",),
        needs=("ambassador",),
        compared_on="full_collection",
        note="AP: June 2020 - February 2021",
        synthetic_note=_NETWORK_NOTE,
    ),
    _Claim(
        "share of the ambassador's retweets from accounts later suspended",
        "more than half",
        "over 50%",
        _AP,
        lambda f: round(f["ambassador_suspended"], 3),
        lambda v, f: v > 0.50,
        data=("retweets",),
        needs=("ambassador", "suspended"),
        note="AP: June 2020 - January 2021",
        synthetic_note=_NETWORK_NOTE,
        percent=True,
    ),
    _Claim(
        "share of the ambassador's retweets from the flagged network",
        "more than four in ten",
        "over 40%",
        _OII_B,
        lambda f: round(f["network_share"], 3),
        lambda v, f: v > 0.40,
        data=("retweets",),
        needs=("ambassador", "network"),
        note="OII: 62 accounts; Liu Xiaoming and the London embassy, June 2020 - January 2021",
        synthetic_note=_NETWORK_NOTE,
        percent=True,
    ),
    _Claim(
        "share of weeks in which the network made at least 30% of the ambassador's retweets",
        "most weeks (30-50%)",
        "over 50% of weeks",
        _AP,
        lambda f: round(f["network_weeks"], 3),
        lambda v, f: v > 0.50,
        data=("retweets",),
        needs=("ambassador", "network", "times"),
        note=lambda f: (
            f"weeks Monday to Sunday (UTC) with at least one retweet of the ambassador: {f['weeks']}"
            if "weeks" in f
            else ""
        ),
        synthetic_note=_NETWORK_NOTE,
        percent=True,
    ),
    _Claim(
        "share of the network's retweets of the ambassador posted within 60 s of the original",
        "frequently within sixty seconds",
        "higher than other accounts' share",
        _OII_B,
        lambda f: round(f["network_fast"], 3),
        lambda v, f: v > f["others_fast"],
        data=("retweets",),
        needs=("ambassador", "network", "delays"),
        note=lambda f: f"other accounts: {f['others_fast']:.3f}" if "others_fast" in f else "",
        synthetic_note=_NETWORK_NOTE,
        percent=True,
    ),
)


def planted_suspensions(truth) -> pd.Index:
    """A list of "later suspended" accounts for a synthetic archive, taken from what the generator planted.

    Synthetic archives have no suspensions: they stand in for a list like
    OII's with the accounts the generator planted with the signs platforms
    act on: registered in bulk (created on a burst day), retweeting in
    coordinated groups, or retweeting seconds apart (rapid fire).

    Parameters
    ----------
    truth : takedown.synth.GroundTruth
        The ground truth :func:`takedown.synth.generate` returned.

    Returns
    -------
    pandas.Index of str, named ``userid``

    Examples
    --------
    >>> import takedown as td
    >>> archive, truth = td.synth.generate(accounts=300, tweets=3_000, seed=1)
    >>> suspended = td.reproduce.planted_suspensions(truth)
    >>> bool(suspended.isin(archive.users["userid"]).all())
    True
    """
    accounts = getattr(truth, "accounts", None)
    if not isinstance(accounts, pd.DataFrame) or not {"userid", "burst", "group", "rapid_fire"} <= set(accounts):
        raise TypeError(f"truth: expected the GroundTruth of takedown.synth.generate, got {type(truth).__name__}")
    planted = (
        accounts["burst"].notna().to_numpy(dtype=bool)
        | (accounts["group"] >= 0).to_numpy(dtype=bool)
        | accounts["rapid_fire"].to_numpy(dtype=bool)
    )
    return pd.Index(accounts.loc[planted, "userid"].astype(str).to_numpy(dtype=object), name="userid")


def oii_2021(
    data,
    *,
    suspended=None,
    network=None,
    ambassador=None,
    full_collection: bool = False,
    truth=None,
) -> pd.DataFrame:
    """The Oxford Internet Institute's and AP's claims on retweets of PRC diplomats and state media, recomputed.

    OII's data are not a takedown release: they are the retweets that
    189 PRC diplomats and 176 state-media accounts received (June 2020 to
    February 2021), joined with the retweeting accounts Twitter suspended.
    The claims and their recomputation (FINDINGS.md §4), on the retweets
    given:

    - the top 1% of retweeting accounts (k = ceil(0.01 x accounts), ranked
      by retweets made) made nearly half of all retweets:
      :func:`takedown.measures.superspreaders`, between 40% and 50%;
    - more than one in ten retweets came from accounts later suspended:
      :func:`takedown.measures.share_from` with ``accounts=suspended``;
    - rapid-fire super-spreaders: how many of the top 1% have a median gap
      between their consecutive retweets under 60 s (at least one);
    - 26,879 suspended accounts made almost 200,000 retweets: the
      suspended accounts among the retweeters, and their retweets (counts:
      compared only with ``full_collection=True``);
    - the ambassador (Liu Xiaoming) got more than 43,000 retweets (a count,
      compared only on OII's collection), more than half of them from
      accounts later suspended;
    - a network of 62 accounts made more than four in ten of his
      retweets, at least 30% in most weeks (share of weeks, Monday to
      Sunday in UTC, with a network share of at least 30%: over half), and
      retweeted him within 60 s of the original more often than other
      accounts did (:func:`takedown.measures.retweet_delays`' delay).

    A claim whose inputs are not given (no suspension list, network or
    ambassador, no times or no original times) cannot be checked: its
    ``match`` is missing and its ``note`` says why. An archive without
    retweets (a users-only release, Reddit's data) makes every claim not
    measurable, each row saying so, and any archive but an API collection
    is marked as other data.

    Parameters
    ----------
    data : Archive or pandas.DataFrame
        An API collection read by :func:`takedown.read_archive` (its
        retweets, :func:`takedown.edges.retweets`), a synthetic archive, or
        an edge table (``source`` the retweeter, ``target`` the retweeted
        account, ``time``; ``delay`` in seconds if known), e.g. from
        :func:`takedown.edges.from_table`.
    suspended : collection of str, str or os.PathLike, optional
        Ids of the accounts later suspended, or a path to a file of them (one
        id per line, or a CSV with a ``userid``, ``user_id``, ``id``,
        ``author_id`` or ``account_id`` column). With ``truth`` and no list,
        :func:`planted_suspensions`.
    network : collection of str, str or os.PathLike, optional
        Ids of a flagged network (OII's 62 UK accounts), or a path.
    ambassador : str or collection of str, optional
        Id of the ambassador's account, or ids of accounts taken together
        (OII's UK analysis took Liu Xiaoming's and the London embassy's).
    full_collection : bool, default False
        The data are OII's own collection, so that its counts (26,879
        accounts, almost 200,000 retweets, 43,000 retweets of the
        ambassador) can be compared.
    truth : takedown.synth.GroundTruth, optional
        For a synthetic archive: the table is marked synthetic and the
        suspension list is planted.

    Returns
    -------
    pandas.DataFrame
        ``claim``, ``published``, ``recomputed``, ``match``, ``tolerance``,
        ``source``, ``note`` and ``synthetic`` (see the module's docstring);
        10 rows.

    Raises
    ------
    ValueError
        The data hold retweets but none of the ambassador (most likely a
        wrong id); a file of ids is missing, has no id column or holds ids
        written as floats.
    TypeError
        ``data`` is not an archive or edge table; ids are not strings.

    References
    ----------
    Schliebs, M., Bailey, H., Bright, J. & Howard, P. N. (11 May 2021a),
    "China's Public Diplomacy Operations: Understanding Engagement and
    Inauthentic Amplification of PRC Diplomats on Facebook and Twitter",
    DemTech Working Paper 2021.1, Oxford Internet Institute.
    Schliebs, M., Bailey, H., Bright, J. & Howard, P. N. (11 May 2021b),
    "China's Inauthentic UK Twitter Diplomacy: A Coordinated Network
    Amplifying PRC Diplomats", DemTech Working Paper 2021.2.
    Kinetz, E. (11 May 2021), "Army of fake fans boosts China's messaging
    on Twitter", Associated Press.

    Examples
    --------
    >>> import pandas as pd, takedown as td
    >>> retweets = pd.DataFrame({"who": ["a"] * 9 + list("bcdefghijk"), "whom": ["liu"] * 19})
    >>> edges = td.edges.from_table(retweets, source="who", target="whom")
    >>> table = td.reproduce.oii_2021(edges, suspended=["b", "c"])
    >>> table.loc[:1, ["recomputed", "match"]].values.tolist()
    [[0.474, True], [0.105, True]]
    """
    if truth is not None and suspended is None:
        suspended = planted_suspensions(truth)
    if isinstance(ambassador, str):
        ambassador = [ambassador]
    edges = _retweet_edges(data)
    facts = _oii_facts(
        edges,
        suspended=_accounts(suspended, "suspended"),
        network=_accounts(network, "network"),
        ambassador=_accounts(ambassador, "ambassador"),
        full_collection=bool(full_collection),
    )
    archive = data if isinstance(data, Archive) else None
    synthetic = truth is not None or (archive is not None and is_synthetic(archive))
    name = archive.name if archive is not None else "edge table"
    return _table(_OII_CLAIMS, facts, report=_OII_REPORT, data=name, synthetic=synthetic, archive=archive)
