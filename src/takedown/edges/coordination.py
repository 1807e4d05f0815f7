"""Co-actions: pairs of accounts that retweet, tag, link, reply to or post the same thing within seconds.

Two accounts are tied when both act on the same object (the same original
tweet, hashtag, URL, replied-to tweet or normalised text) within ``window``
of each other (Schoch et al. 2022; OII 2021: 60 seconds; CooRTweet: 10 s).
Times are the tweets' Snowflake times, to the millisecond, not the
minute-precision ``tweet_time``.

The pairs are found with sorted NumPy arrays: actions sorted by object and
time, each compared with its next neighbours until they fall out of the
window. No per-pair Python loop runs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from takedown.archive import Archive
from takedown.edges.interactions import retweets, tweet_times

__all__ = ["co_actions", "evidence", "fast_retweets", "null_model", "significant"]

ACTIONS = ("retweet", "hashtag", "url", "reply", "text")
_STRING = pd.ArrowDtype(pa.string())
_URL = r"https?://\S+"
_RT = r"^RT @[^:]+:\s*"


def _seconds(window) -> float:
    seconds = pd.Timedelta(window).total_seconds() if isinstance(window, str) else float(window)
    if not seconds >= 0:
        raise ValueError(f"window: expected a duration such as '60s' or a number of seconds, got {window!r}")
    return seconds


@dataclass(frozen=True)
class _Actions:
    """Actions as integer codes: which account acted on which object, when, in which tweet row."""

    account: np.ndarray  # code into ``accounts``
    obj: np.ndarray  # code into ``objects``
    time_ms: np.ndarray
    row: np.ndarray  # position in archive.tweets
    accounts: np.ndarray  # account ids, by code
    objects: pa.Array | None  # objects, by code; None when the codes are the tweet ids themselves

    def object_names(self, codes: np.ndarray) -> list[str]:
        if self.objects is None:
            return [str(code) for code in codes.astype(np.int64).view(np.uint64)]
        return self.objects.take(pa.array(codes.astype(np.int64))).to_pylist()


def _codes(values: pa.Array) -> tuple[np.ndarray, pa.Array | None]:
    """Integer codes for the values and the values by code.

    Tweet ids are digit strings that fit 64 bits: their integer value is
    already a code, and casting is much faster than hashing the strings.
    """
    digits = pc.utf8_is_decimal(values)
    if len(values) and pc.all(digits).as_py() and not pc.any(pc.starts_with(values, "0")).as_py():
        try:
            numbers = pc.cast(values, pa.uint64()).to_numpy()
        except pa.ArrowInvalid:  # longer than 64 bits
            numbers = None
        if numbers is not None:
            return numbers.view(np.int64), None
    encoded = values.dictionary_encode()
    return encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64), encoded.dictionary


def _actions(archive: Archive, on: str) -> _Actions:
    """One row per action of the kind ``on``, encoded with Arrow's hashing (no Python strings per row)."""
    if on not in ACTIONS:
        raise ValueError(f"on: expected one of {', '.join(ACTIONS)}, got {on!r}")
    column = {
        "retweet": "retweet_tweetid",
        "reply": "in_reply_to_tweetid",
        "text": "tweet_text",
        "hashtag": "hashtags",
        "url": "urls",
    }[on]
    table = archive.arrow("tweets", columns=["is_retweet", column])
    values = table[column].combine_chunks()
    is_retweet = pc.fill_null(table["is_retweet"], False).to_numpy()
    account, accounts = archive.codes("tweets", "userid")
    keep = values.is_valid().to_numpy(zero_copy_only=False) & (account >= 0)
    if on == "retweet":
        keep &= is_retweet
    elif on != "reply":  # hashtags, links and texts of original tweets; replies of any tweet
        keep &= ~is_retweet
    rows = np.flatnonzero(keep)
    values = values.take(pa.array(rows))
    if on in ("hashtag", "url"):
        parents = pc.list_parent_indices(values).to_numpy()
        values, rows = pc.list_flatten(values), rows[parents]
        if on == "hashtag":
            values = pc.utf8_lower(values)
    elif on == "text":
        values = pc.replace_substring_regex(values, _URL, "")
        values = pc.replace_substring_regex(values, _RT, "")
        values = pc.utf8_trim_whitespace(pc.replace_substring_regex(pc.utf8_lower(values), r"\s+", " "))
        nonempty = pc.not_equal(values, "").to_numpy(zero_copy_only=False)
        values, rows = values.filter(pa.array(nonempty)), rows[nonempty]
    obj, objects = _codes(values)
    # Code and time whole columns, then pick the rows: cheaper than taking the strings first.
    times = tweet_times(archive).astype("int64[pyarrow]").to_numpy(dtype=np.int64)
    return _Actions(
        account=account.astype(np.int64)[rows],
        obj=obj,
        time_ms=times[rows],
        row=rows,
        accounts=accounts.to_numpy(dtype=object),
        objects=objects,
    )


def _pairs(account: np.ndarray, obj: np.ndarray, time_ms: np.ndarray, window_ms: float) -> tuple[np.ndarray, ...]:
    """Every (i, j) of actions on the same object by different accounts within the window.

    Actions are sorted by object then time; action i is compared with i+1,
    i+2, ... while any of them is still on the same object and in the window.
    """
    # One sort on a single 64-bit key (object number, then time) is faster than lexsort on two keys;
    # objects need only be contiguous, not in any order.
    rank = pd.factorize(obj)[0].astype(np.int64)
    offset = time_ms - time_ms.min() if time_ms.size else time_ms
    if time_ms.size and offset.max() < 2**42 and rank.max() < 2**21:
        order = np.argsort((rank << 42) | offset, kind="stable")
    else:
        order = np.lexsort((time_ms, obj))
    account, obj, time_ms = account[order], obj[order], time_ms[order]
    first, second, delta = [], [], []
    active = np.arange(len(order) - 1)
    step = 1
    while active.size:
        partner = active + step
        inside = partner < len(order)
        active, partner = active[inside], partner[inside]
        close = (obj[partner] == obj[active]) & (time_ms[partner] - time_ms[active] <= window_ms)
        active, partner = active[close], partner[close]
        other = account[active] != account[partner]
        first.append(active[other])
        second.append(partner[other])
        delta.append(time_ms[partner[other]] - time_ms[active[other]])
        step += 1
    first = np.concatenate(first) if first else np.zeros(0, np.int64)
    second = np.concatenate(second) if second else np.zeros(0, np.int64)
    delta = np.concatenate(delta) if delta else np.zeros(0, np.int64)
    return account[first], account[second], obj[first], delta


def _co_actions(actions: _Actions, window_s: float, min_shared: int, time_ms: np.ndarray | None = None) -> pd.DataFrame:
    times = actions.time_ms if time_ms is None else time_ms
    a, b, obj, delta = _pairs(actions.account, actions.obj, times, window_s * 1000)
    found = pd.DataFrame({"a": np.minimum(a, b), "b": np.maximum(a, b), "object": obj, "delta": delta / 1000.0})
    per_object = found.groupby(["a", "b", "object"], sort=False)["delta"].min().reset_index()
    pairs = per_object.groupby(["a", "b"], sort=False)["delta"].agg(
        n_shared="size", min_delta="min", median_delta="median"
    )
    pairs = pairs[pairs["n_shared"] >= min_shared].reset_index()
    first = actions.accounts[pairs["a"].to_numpy()]
    second = actions.accounts[pairs["b"].to_numpy()]
    # Codes follow first appearance; order each pair by id so that account_a < account_b.
    swap = first > second
    first, second = np.where(swap, second, first), np.where(swap, first, second)
    table = pd.DataFrame(
        {
            "account_a": pd.array(first, dtype=_STRING),
            "account_b": pd.array(second, dtype=_STRING),
            "n_shared": pairs["n_shared"].to_numpy(dtype=np.int64),
            "min_delta": pairs["min_delta"].to_numpy(dtype=float),
            "median_delta": pairs["median_delta"].to_numpy(dtype=float),
        }
    )
    return table.sort_values(["n_shared", "account_a", "account_b"], ascending=[False, True, True]).reset_index(
        drop=True
    )


def co_actions(archive: Archive, *, on: str = "retweet", window="60s", min_shared: int = 2) -> pd.DataFrame:
    """Pairs of accounts that acted on the same object within ``window`` of each other.

    Parameters
    ----------
    archive : Archive
    on : {"retweet", "hashtag", "url", "reply", "text"}
        The same original tweet retweeted; the same hashtag (case-folded) or
        URL used in an original tweet; the same tweet replied to; the same
        text (lower-cased, links and ``RT @name:`` removed, spaces folded)
        posted as an original tweet.
    window : str or float, default "60s"
        A pandas duration (``"10s"``, ``"1min"``) or seconds; inclusive.
    min_shared : int, default 2
        Keep pairs that co-acted on at least this many distinct objects.

    Returns
    -------
    pandas.DataFrame
        ``account_a``, ``account_b`` (``account_a < account_b``),
        ``n_shared`` (distinct objects both acted on within the window),
        ``min_delta`` and ``median_delta`` (seconds; per object the closest
        pair of their actions), and ``on``, ``window`` (seconds) and
        ``min_shared``, so that tables for several windows can be stacked.
        The same parameters are in ``.attrs``.

    References
    ----------
    Schoch, Keller, Stier & Yang (2022), "Coordination patterns reveal
    online political astroturfing across the world", Sci. Reports 12: 4572.
    Graham et al., QUT Coordination Network Toolkit (co-retweet: same
    definition, counted per retweet rather than per distinct tweet).

    Examples
    --------
    >>> import takedown as td
    >>> pairs = td.edges.co_actions(td.datasets.sample(), on="retweet", window="60s")
    >>> pairs.columns.tolist()
    ['account_a', 'account_b', 'n_shared', 'min_delta', 'median_delta', 'on', 'window', 'min_shared']
    """
    window_s = _seconds(window)
    if not isinstance(min_shared, int) or min_shared < 1:
        raise ValueError(f"min_shared: expected a whole number of at least 1, got {min_shared!r}")
    table = _co_actions(_actions(archive, on), window_s, min_shared)
    table = table.assign(on=pd.Series(on, index=table.index, dtype=_STRING), window=window_s, min_shared=min_shared)
    table.attrs = {"on": on, "window": window_s, "min_shared": min_shared}
    return table


def evidence(pairs: pd.DataFrame, archive: Archive, a: str, b: str) -> pd.DataFrame:
    """The shared objects behind one edge, with both accounts' tweets and times.

    What a researcher reads before calling two accounts coordinated.

    Returns
    -------
    pandas.DataFrame
        ``object``, ``tweetid_a``, ``time_a``, ``tweetid_b``, ``time_b``,
        ``delta`` (seconds, ``b`` minus ``a``), closest pair per object,
        within the window the pairs were built with.

    Examples
    --------
    >>> import takedown as td
    >>> archive = td.datasets.sample()
    >>> pairs = td.edges.co_actions(archive, window="60s", min_shared=1)
    >>> first = pairs.iloc[0]
    >>> shown = td.edges.evidence(pairs, archive, first["account_a"], first["account_b"])
    >>> bool(len(shown) == first["n_shared"])
    True
    """
    if not {"on", "window"} <= set(pairs.attrs):
        raise ValueError("pairs: expected a table from takedown.edges.co_actions (its .attrs hold the parameters)")
    actions = _actions(archive, pairs.attrs["on"])
    ids = pd.Series(np.arange(len(actions.accounts)), index=actions.accounts)
    frame = pd.DataFrame(
        {"account": actions.account, "object": actions.obj, "time_ms": actions.time_ms, "row": actions.row}
    )
    mine = frame[frame["account"] == ids.get(a, -1)]
    theirs = frame[frame["account"] == ids.get(b, -1)]
    both = mine.merge(theirs, on="object", suffixes=("_a", "_b"))
    both["delta"] = (both["time_ms_b"] - both["time_ms_a"]) / 1000.0
    both = both[both["delta"].abs() <= pairs.attrs["window"]]
    both = both.loc[both["delta"].abs().groupby(both["object"]).idxmin()] if len(both) else both
    tweetids = archive.load("tweets", columns=["tweetid"])["tweetid"].to_numpy(dtype=object)
    table = pd.DataFrame(
        {
            "object": actions.object_names(both["object"].to_numpy(dtype=np.int64)),
            "tweetid_a": tweetids[both["row_a"].to_numpy(dtype=np.int64)],
            "time_a": pd.to_datetime(both["time_ms_a"].to_numpy(dtype=np.int64), unit="ms", utc=True),
            "tweetid_b": tweetids[both["row_b"].to_numpy(dtype=np.int64)],
            "time_b": pd.to_datetime(both["time_ms_b"].to_numpy(dtype=np.int64), unit="ms", utc=True),
            "delta": both["delta"].to_numpy(),
        }
    )
    return table.sort_values("time_a").reset_index(drop=True)


def null_model(pairs: pd.DataFrame, archive: Archive, *, n: int = 100, seed: int = 0) -> pd.DataFrame:
    """How often chance gives an edge as strong: each account's action times shuffled ``n`` times.

    Each permutation keeps every account's objects and the set of its action
    times, but reassigns the times among its actions at random, which breaks
    any alignment with other accounts while keeping each account's rhythm
    (a time-shuffle null model, as in OSoMe's coordination work).

    Returns
    -------
    pandas.DataFrame
        ``pairs`` with ``null_mean`` (mean ``n_shared`` of the pair across
        permutations, 0 where the pair did not appear) and ``p_value``
        (``(1 + permutations with n_shared >= observed) / (1 + n)``).
        ``.attrs`` gains ``null_edges`` (edges per permutation) and
        ``network_p_value`` (share of permutations with as many edges).

    Examples
    --------
    >>> import takedown as td
    >>> archive = td.datasets.sample()
    >>> tested = td.edges.null_model(td.edges.co_actions(archive, window="60s"), archive, n=5, seed=1)
    >>> bool(tested["p_value"].between(0, 1).all())
    True
    """
    if not {"on", "window", "min_shared"} <= set(pairs.attrs):
        raise ValueError("pairs: expected a table from takedown.edges.co_actions (its .attrs hold the parameters)")
    actions = _actions(archive, pairs.attrs["on"])
    rng = np.random.default_rng(seed)
    keys = pairs["account_a"].astype(str) + "\t" + pairs["account_b"].astype(str)
    at_least = np.zeros(len(pairs), dtype=np.int64)
    total = np.zeros(len(pairs), dtype=float)
    edges_per_run = []
    # Each account's actions in their original order, to be given its own times in a random order.
    by_account = np.lexsort((np.arange(actions.account.size), actions.account))
    for _ in range(n):
        shuffled = np.empty_like(actions.time_ms)
        shuffled[by_account] = actions.time_ms[np.lexsort((rng.random(actions.account.size), actions.account))]
        chance = _co_actions(actions, pairs.attrs["window"], 1, time_ms=shuffled)
        edges_per_run.append(int((chance["n_shared"] >= pairs.attrs["min_shared"]).sum()))
        chance_n = (
            pd.Series(
                chance["n_shared"].to_numpy(),
                index=chance["account_a"].astype(str) + "\t" + chance["account_b"].astype(str),
            )
            .reindex(keys, fill_value=0)
            .to_numpy()
        )
        at_least += chance_n >= pairs["n_shared"].to_numpy()
        total += chance_n
    tested = pairs.assign(null_mean=total / max(n, 1), p_value=(1 + at_least) / (1 + n))
    tested.attrs = {
        **pairs.attrs,
        "permutations": n,
        "null_edges": edges_per_run,
        "network_p_value": (1 + sum(e >= len(pairs) for e in edges_per_run)) / (1 + n),
    }
    return tested


def significant(pairs: pd.DataFrame, *, alpha: float = 0.05) -> pd.DataFrame:
    """The pairs whose co-actions chance rarely matches (``p_value <= alpha``).

    Examples
    --------
    >>> import takedown as td
    >>> archive = td.datasets.sample()
    >>> tested = td.edges.null_model(td.edges.co_actions(archive), archive, n=5)
    >>> len(td.edges.significant(tested, alpha=0.5)) <= len(tested)
    True
    """
    if "p_value" not in pairs.columns:
        raise ValueError("pairs: no 'p_value' column; run takedown.edges.null_model first")
    kept = pairs[pairs["p_value"] <= alpha].reset_index(drop=True)
    kept.attrs = {**pairs.attrs, "alpha": alpha}
    return kept


def fast_retweets(archive: Archive, *, within="60s") -> pd.DataFrame:
    """Retweets posted within ``within`` of the original (Snowflake times on both sides).

    Returns
    -------
    pandas.DataFrame
        The rows of :func:`takedown.edges.retweets` with ``delay`` at most ``within``.

    References
    ----------
    OII (2021): accounts amplifying "within sixty seconds".

    Examples
    --------
    >>> import takedown as td
    >>> fast = td.edges.fast_retweets(td.datasets.sample(), within="60s")
    >>> bool((fast["delay"] <= 60).all())
    True
    """
    edges = retweets(archive)
    return edges[edges["delay"] <= _seconds(within)].reset_index(drop=True)
