"""Edge tables from any table of interactions collected elsewhere (API collections, other data sets)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

__all__ = ["from_table"]

_TIME = pd.ArrowDtype(pa.timestamp("ms", tz="UTC"))
_STRING = pd.ArrowDtype(pa.string())


def from_table(df: pd.DataFrame, *, source: str, target: str, time: str | None = None) -> pd.DataFrame:
    """The edge shape from any table of interactions collected elsewhere.

    The Oxford Internet Institute's retweets of diplomats were such a table:
    one row per retweet with the retweeter, the retweeted account and a time.

    Parameters
    ----------
    df : pandas.DataFrame
    source, target : str
        Columns holding the acting and the acted-on account ids. Integer ids
        are turned into exact strings; float ids are refused (they have lost
        digits).
    time : str, optional
        Column of times (parsed as UTC when they have no time zone).

    Returns
    -------
    pandas.DataFrame
        ``source``, ``target``, ``tweetid`` (null), ``time``,
        ``original_time`` (null), ``delay`` (null), ``target_in_archive``
        (null), ``resolved_by`` (``"table"``).

    Examples
    --------
    >>> import pandas as pd, takedown as td
    >>> table = pd.DataFrame({"retweeter": [1, 2], "diplomat": [9, 9], "at": ["2020-06-01 10:00", "2020-06-01 10:01"]})
    >>> td.edges.from_table(table, source="retweeter", target="diplomat", time="at")[["source", "target"]].values.tolist()
    [['1', '9'], ['2', '9']]
    """
    for name in (source, target, time):
        if name is not None and name not in df.columns:
            raise ValueError(f"column {name!r} not in the table (it has {', '.join(map(str, df.columns))})")
    columns = {}
    for role, name in (("source", source), ("target", target)):
        values = df[name]
        if pd.api.types.is_float_dtype(values.dtype):
            raise TypeError(
                f"{role}: column {name!r} holds floats; ids must be strings or integers (floats lose digits)"
            )
        columns[role] = values.astype(_STRING)
    n = len(df)
    if time is None:
        when = pd.Series(pd.NaT, index=df.index).astype(_TIME)
    else:
        parsed = pd.to_datetime(df[time], utc=True)
        when = parsed.astype(_TIME)
    frame = pd.DataFrame(
        {
            "source": columns["source"],
            "target": columns["target"],
            "tweetid": pd.Series([None] * n, index=df.index, dtype=_STRING),
            "time": when,
            "original_time": pd.Series(pd.NaT, index=df.index).astype(_TIME),
            "delay": pd.Series(np.nan, index=df.index).astype(pd.ArrowDtype(pa.float64())),
            "target_in_archive": pd.Series(pd.NA, index=df.index, dtype=pd.ArrowDtype(pa.bool_())),
            "resolved_by": pd.Series("table", index=df.index, dtype=_STRING),
        }
    )
    return frame.reset_index(drop=True)
