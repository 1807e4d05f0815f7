"""How concentrated a quantity is: top-k share, Gini, Lorenz curve, HHI.

Each summary returns a named :class:`pandas.Series` holding the value, the
number of units it was computed over and, when ``ci`` is given, a percentile
bootstrap interval (units resampled with replacement, ``seed`` fixed). With
no units, or units whose total is 0 (an archive without retweets), there is
nothing to share out: the value and the interval are NaN, with ``n`` saying
how many units there were.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

__all__ = ["gini", "hhi", "lorenz_curve", "top_share"]

_BOOTSTRAP = 1_000


def _values(values) -> np.ndarray:
    array = np.asarray(pd.Series(values).astype("float64"), dtype=float)
    if array.ndim != 1:
        raise ValueError("values: expected one number per unit (a 1-d array or Series)")
    if np.isnan(array).any():
        raise ValueError("values: missing values; drop or fill them first (a unit with none counts as 0)")
    if (array < 0).any():
        raise ValueError("values: expected counts or amounts, none negative")
    return array


def _summary(name: str, statistic, values: np.ndarray, *, ci: float | None, seed: int, **extra) -> pd.Series:
    result = {"value": statistic(values), "n": values.size, **extra}
    if ci is not None:
        if not 0 < ci < 1:
            raise ValueError(f"ci: expected a confidence level between 0 and 1, got {ci!r}")
        result["ci_low"], result["ci_high"] = math.nan, math.nan
        # Nothing to resample when there is no value (no units, or a total of 0).
        if not math.isnan(result["value"]):
            rng = np.random.default_rng(seed)
            draws = rng.integers(0, values.size, size=(_BOOTSTRAP, values.size))
            replicates = np.array([statistic(values[row]) for row in draws])
            result["ci_low"], result["ci_high"] = np.nanquantile(replicates, [(1 - ci) / 2, (1 + ci) / 2])
    return pd.Series(result, name=name, dtype=float)


def top_share(values, *, q: float = 0.01, ci: float | None = None, seed: int = 0) -> pd.Series:
    """Share of the total held by the top ``q`` of units (OII's "top 1% of super-spreaders").

    The top k are the k = ceil(q * n) largest values, n counting every unit
    given (zeros included: pass only the units that should count, e.g. the
    accounts that retweeted at all). Ties at the cut do not matter: tied
    units hold equal values, so whichever are taken the share is the same.

    Parameters
    ----------
    values : array-like of non-negative numbers
        One value per unit, e.g. retweets per account.
    q : float, default 0.01
    ci : float, optional
        Confidence level of a bootstrap interval, e.g. 0.95.
    seed : int

    Returns
    -------
    pandas.Series
        ``value``, ``n``, ``k``, ``q`` (and ``ci_low``, ``ci_high``).

    References
    ----------
    Schliebs, Bailey, Bright & Howard (2021), "China's public diplomacy
    operations", Oxford Internet Institute: "nearly half of all retweets came
    from the top 1% of super-spreaders".

    Examples
    --------
    >>> from takedown.measures import top_share
    >>> top_share([10, 5, 3, 2], q=0.25).to_dict()
    {'value': 0.5, 'n': 4.0, 'k': 1.0, 'q': 0.25}
    """
    if not 0 < q <= 1:
        raise ValueError(f"q: expected a share in (0, 1], got {q!r}")
    array = _values(values)
    k = math.ceil(q * array.size) if array.size else 0

    def statistic(x: np.ndarray) -> float:
        total = x.sum()
        return float(np.sort(x)[::-1][:k].sum() / total) if total > 0 else math.nan

    return _summary("top_share", statistic, array, ci=ci, seed=seed, k=k, q=q)


def gini(values, *, ci: float | None = None, seed: int = 0) -> pd.Series:
    """Gini coefficient: 0 when all units are equal, approaching 1 when one holds everything.

    G = 2 * sum(i * x_(i)) / (n * sum(x)) - (n + 1) / n, with x sorted
    ascending and i = 1..n; at most 1 - 1/n.

    Returns
    -------
    pandas.Series
        ``value``, ``n`` (and ``ci_low``, ``ci_high``).

    References
    ----------
    Gini (1912); used with the Lorenz curve for super-spreader concentration
    in OII (2021) and FINDINGS.md §5. This is the sample Gini without the
    n/(n-1) small-sample correction.

    Examples
    --------
    >>> from takedown.measures import gini
    >>> float(gini([1, 1, 1, 1])["value"]), float(gini([0, 0, 0, 4])["value"])
    (0.0, 0.75)
    """
    array = _values(values)

    def statistic(x: np.ndarray) -> float:
        total = x.sum()
        if x.size == 0 or total == 0:
            return math.nan
        ranks = np.arange(1, x.size + 1)
        return float(2 * (ranks * np.sort(x)).sum() / (x.size * total) - (x.size + 1) / x.size)

    return _summary("gini", statistic, array, ci=ci, seed=seed)


def hhi(values, *, ci: float | None = None, seed: int = 0) -> pd.Series:
    """Herfindahl-Hirschman index: the sum of squared shares, from 1/n (equal) to 1 (one unit).

    Examples
    --------
    >>> from takedown.measures import hhi
    >>> float(hhi([1, 1, 2])["value"])
    0.375
    """
    array = _values(values)

    def statistic(x: np.ndarray) -> float:
        total = x.sum()
        return float(((x / total) ** 2).sum()) if total > 0 else math.nan

    return _summary("hhi", statistic, array, ci=ci, seed=seed)


def lorenz_curve(values) -> pd.DataFrame:
    """The Lorenz curve: cumulative share of the total held by the smallest units.

    Returns
    -------
    pandas.DataFrame
        ``population_share`` and ``value_share``, from (0, 0) to (1, 1), one
        row per unit plus the origin. When there is nothing to share out (no
        units, or a total of 0) there is no curve: ``value_share`` is NaN
        throughout, and :func:`takedown.plot.lorenz_curve` says so.

    Examples
    --------
    >>> from takedown.measures import lorenz_curve
    >>> lorenz_curve([1, 3]).values.tolist()
    [[0.0, 0.0], [0.5, 0.25], [1.0, 1.0]]
    >>> lorenz_curve([]).values.tolist()
    [[0.0, nan]]
    """
    array = np.sort(_values(values))
    total = array.sum()
    shares = np.concatenate(([0.0], np.cumsum(array) / total)) if total > 0 else np.full(array.size + 1, np.nan)
    return pd.DataFrame({"population_share": np.arange(array.size + 1) / max(array.size, 1), "value_share": shares})
