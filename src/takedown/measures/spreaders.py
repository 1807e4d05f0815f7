"""Super-spreaders: who makes the retweets, and how much of a target's engagement they make.

These measures take an edge table (:func:`takedown.edges.retweets` or
:func:`takedown.edges.from_table` for data collected elsewhere), so they run
on takedown archives and on tables like the Oxford Internet Institute's
retweets of diplomats alike.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from takedown.archive import Archive
from takedown.measures.concentration import top_share

__all__ = ["retweets_by_account", "share_from", "superspreader_share_by_target", "superspreaders"]


def _check(edges: pd.DataFrame, columns: tuple[str, ...]) -> None:
    missing = [c for c in columns if c not in edges.columns]
    if missing:
        raise ValueError(f"edges: missing column(s) {missing}; pass an edge table from takedown.edges")


def _edges_of(edges) -> pd.DataFrame:
    """An edge table, or an archive's retweets (out of core, never one row per retweet in memory)."""
    if isinstance(edges, Archive):
        from takedown.edges import retweets

        return retweets(edges)
    return edges


def retweets_by_account(edges) -> pd.Series:
    """Interactions made per acting account, largest first.

    Parameters
    ----------
    edges : pandas.DataFrame or Archive
        An edge table, or an archive (its retweets; out of core, DuckDB counts them).

    Returns
    -------
    pandas.Series of int, indexed by ``source``, named ``retweets``

    Examples
    --------
    >>> import pandas as pd, takedown as td
    >>> edges = td.edges.from_table(pd.DataFrame({"a": ["x", "x", "y"], "b": ["t", "t", "t"]}), source="a", target="b")
    >>> td.measures.retweets_by_account(edges).to_dict()
    {'x': 2, 'y': 1}
    """
    if isinstance(edges, Archive) and edges.out_of_core:
        from takedown.measures import outofcore

        return outofcore.retweets_by_account(edges)
    edges = _edges_of(edges)
    _check(edges, ("source",))
    counts = edges["source"].value_counts(sort=False).astype(int)
    return counts.sort_values(ascending=False, kind="stable").rename("retweets").rename_axis("source")


def superspreaders(edges, *, q: float = 0.01, ci: float | None = None, seed: int = 0) -> pd.Series:
    """Share of all retweets made by the top ``q`` of retweeting accounts.

    Ranks the accounts that retweeted at least once by retweets made; the
    top k = ceil(q * n) of them (see :func:`top_share`).

    Returns
    -------
    pandas.Series
        ``value``, ``n`` (retweeting accounts), ``k``, ``q``, and
        ``retweets`` (all retweets), plus a bootstrap interval with ``ci``.
        Without retweets (Reddit's data, a users-only release) ``n`` and
        ``retweets`` are 0 and the value and interval NaN.

    References
    ----------
    Schliebs et al. (2021), Oxford Internet Institute: the top 1% of
    super-spreaders made nearly half of all retweets.

    Examples
    --------
    >>> import pandas as pd, takedown as td
    >>> table = pd.DataFrame({"a": ["x"] * 6 + ["y", "z", "w", "v"], "b": ["t"] * 10})
    >>> td.measures.superspreaders(td.edges.from_table(table, source="a", target="b"), q=0.25)[["value", "k"]].tolist()
    [0.7, 2.0]
    >>> td.measures.superspreaders(td.edges.from_table(table[:0], source="a", target="b"), ci=0.9).to_dict()
    {'value': nan, 'n': 0.0, 'k': 0.0, 'q': 0.01, 'ci_low': nan, 'ci_high': nan, 'retweets': 0.0}
    """
    counts = retweets_by_account(edges)
    result = top_share(counts, q=q, ci=ci, seed=seed)
    result["retweets"] = float(counts.sum())
    return result.rename("superspreaders")


def superspreader_share_by_target(edges, *, q: float = 0.01) -> pd.DataFrame:
    """For each amplified account, the share of the retweets it received that came from the top spreaders.

    The top spreaders are the top ``q`` of all retweeting accounts (as in
    :func:`superspreaders`), not of each target's own retweeters.

    Returns
    -------
    pandas.DataFrame
        ``retweets`` (received), ``from_top`` and ``share``, indexed by
        ``target``, most retweeted first.

    Examples
    --------
    >>> import pandas as pd, takedown as td
    >>> table = pd.DataFrame({"a": ["x", "x", "x", "y", "z"], "b": ["t", "t", "u", "t", "u"]})
    >>> td.measures.superspreader_share_by_target(td.edges.from_table(table, source="a", target="b"), q=0.3)["share"].tolist()
    [0.6666666666666666, 0.5]
    """
    counts = retweets_by_account(edges)
    top = list(counts.index[: math.ceil(q * len(counts))])
    if isinstance(edges, Archive) and edges.out_of_core:
        from takedown.measures import outofcore

        return outofcore.share_by_target(edges, top)
    edges = _edges_of(edges)
    _check(edges, ("source", "target"))
    frame = pd.DataFrame({"target": edges["target"], "top": edges["source"].isin(top)}).dropna(subset=["target"])
    table = frame.groupby("target", sort=False)["top"].agg(retweets="size", from_top="sum")
    table["share"] = table["from_top"] / table["retweets"]
    return table.sort_values("retweets", ascending=False, kind="stable")


def share_from(edges: pd.DataFrame, *, accounts, target=None, freq: str | None = None) -> pd.DataFrame:
    """Share of engagement that comes from a given set of accounts, overall or per period.

    OII's "more than 1 in 10 retweets came from accounts later suspended"
    is this share with ``accounts`` the suspended ones; its weekly share of
    an ambassador's retweets from a flagged network is this with ``target``
    and ``freq="W"``.

    Parameters
    ----------
    edges : pandas.DataFrame
    accounts : collection of str
        The acting accounts of interest.
    target : str or collection of str, optional
        Only engagement received by these accounts.
    freq : str, optional
        A pandas period alias (``"W"``, ``"D"``, ``"M"``) to split by time.

    Returns
    -------
    pandas.DataFrame
        ``total``, ``from_accounts`` and ``share``; one row, or one per
        period (indexed by the period start).

    Examples
    --------
    >>> import pandas as pd, takedown as td
    >>> table = pd.DataFrame({"a": ["x", "y", "z", "x"], "b": ["t", "t", "t", "u"]})
    >>> edges = td.edges.from_table(table, source="a", target="b")
    >>> td.measures.share_from(edges, accounts=["x"], target="t")["share"].tolist()
    [0.3333333333333333]

    OII's question on an API collection: the retweets that diplomats received
    (``td.read_archive("diplomats.jsonl")`` reads twarc2 or API v1.1 JSON lines
    into the same archive), and the retweeters Twitter later suspended (a list
    of ids, one a line, read as text so that no digit is lost). Here a
    collection is stood in for by three retweets:

    >>> retweets = td.edges.from_table(
    ...     pd.DataFrame(
    ...         {
    ...             "retweeter": ["1001", "1002", "1003", "1001"],
    ...             "diplomat": ["77", "77", "77", "88"],
    ...             "at": [1_600_000_000, 1_600_000_060, 1_600_600_000, 1_600_000_000],
    ...         }
    ...     ),
    ...     source="retweeter", target="diplomat", time="at",
    ... )
    >>> suspended = pd.Series(["1001", "1003"], dtype="string")  # pd.read_csv(path, dtype=str, header=None)[0]
    >>> float(td.measures.share_from(retweets, accounts=suspended)["share"].iloc[0])
    0.75
    >>> td.measures.share_from(retweets, accounts=suspended, target="77", freq="W")["share"].tolist()
    [0.5, 1.0]
    """
    _check(edges, ("source", "target", "time"))
    if isinstance(accounts, str):
        raise TypeError("accounts: expected a collection of ids, got a single string")
    chosen = edges
    if target is not None:
        wanted = [target] if isinstance(target, str) else list(target)
        chosen = chosen[chosen["target"].isin(wanted)]
    flagged = chosen["source"].isin(list(accounts)).to_numpy(dtype=bool)
    if freq is None:
        frame = pd.DataFrame({"total": [len(chosen)], "from_accounts": [int(flagged.sum())]})
    else:
        utc = pd.to_datetime(chosen["time"].astype("datetime64[ms, UTC]"))
        times = utc.dt.tz_convert(None).dt.to_period(freq).dt.start_time
        frame = (
            pd.DataFrame({"period": times.to_numpy(), "flag": flagged})
            .groupby("period")["flag"]
            .agg(total="size", from_accounts="sum")
        )
    frame["share"] = np.where(
        frame["total"] > 0, frame["from_accounts"] / frame["total"].where(frame["total"] > 0, 1), np.nan
    )
    return frame
