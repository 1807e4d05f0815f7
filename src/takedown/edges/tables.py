"""Edge tables from any table of interactions collected elsewhere (API collections, other data sets)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pyarrow as pa

__all__ = ["from_table"]

_TIME = pd.ArrowDtype(pa.timestamp("ms", tz="UTC"))
_STRING = pd.ArrowDtype(pa.string())
# Integers from 2**53 up are not all representable as floats: an id that large may have lost
# digits on its way through a spreadsheet or a pandas column with a missing value.
_FLOAT_EXACT = 2**53
_FLOAT_WRITTEN = r"^[+-]?(?:[0-9]+\.[0-9]*|[0-9]*\.?[0-9]+[eE][+-]?[0-9]+)$"
_NUMBER = r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)$"
# Epoch values below 1e11 are seconds (1e11 s is the year 5138), up to 1e14 milliseconds (1e11 ms is 1973).
_SECONDS_BELOW = 1e11
_MILLISECONDS_BELOW = 1e14
_FIX = "read the ids as text, e.g. pd.read_csv(..., dtype=str)"


def _as_text(values: pd.Series) -> pd.Series:
    """Text as Arrow strings; a column of mixed Python objects (numbers and text) is converted value by value."""
    if values.dtype == object:
        values = values.map(lambda v: v if isinstance(v, str) else str(v), na_action="ignore")
    return values.astype(_STRING)


def _ids(values: pd.Series, *, role: str, name: str, fold_case: bool) -> pd.Series:
    """A column of ids as Arrow strings; refuses floats, warns about integers that may have lost digits."""
    dtype = values.dtype
    if pd.api.types.is_bool_dtype(dtype):
        raise TypeError(f"{role}: column {name!r} holds booleans; expected account ids (text or integers)")
    if pd.api.types.is_float_dtype(dtype):
        raise TypeError(f"{role}: column {name!r} holds floats, which keep only 15-16 digits of an id; {_FIX}")
    if pd.api.types.is_integer_dtype(dtype):
        numbers = values.dropna().astype("int64")
        large = numbers[numbers.abs() >= _FLOAT_EXACT]
        if len(large):
            rounded = int((large % 1000 == 0).sum())
            warnings.warn(
                f"{role}: column {name!r} holds ids read as numbers; {len(large):,} of them are too long to be "
                f"sure no digits were lost on the way ({rounded:,} end in 000, like {large.iloc[0]}); {_FIX}",
                UserWarning,
                stacklevel=3,
            )
        return values.astype(_STRING)
    text = _as_text(values)
    written = text.str.match(_FLOAT_WRITTEN).fillna(False).astype(bool)
    if written.any():
        first = text[written].iloc[0]
        raise ValueError(
            f"{role}: column {name!r} holds {int(written.sum()):,} ids written as floats (like {first!r}); "
            f"their digits are lost and cannot be recovered; {_FIX} from a copy that was not through a spreadsheet"
        )
    return text.str.lower() if fold_case else text


def _epoch(numbers: np.ndarray, *, name: str, positions: np.ndarray) -> np.ndarray:
    """Epoch seconds or milliseconds (told apart by size, value by value) as UTC ``datetime64[ms]``."""
    size = np.abs(numbers)
    too_large = size >= _MILLISECONDS_BELOW
    if too_large.any():
        where = int(np.flatnonzero(too_large)[0])
        raise ValueError(
            f"time: column {name!r} holds {float(numbers[where]):g} (row {positions[where]}); expected epoch seconds "
            "or milliseconds (numbers below 1e14) or ISO 8601 text"
        )
    scale = np.where(size < _SECONDS_BELOW, 1000.0, 1.0)
    return np.floor(numbers * scale).astype("int64").astype("datetime64[ms]")


def _times(values: pd.Series, *, name: str) -> pd.Series:
    """Times as UTC milliseconds: datetimes, epoch numbers, numeric text or ISO 8601 text."""
    dtype = values.dtype
    if pd.api.types.is_bool_dtype(dtype):
        raise TypeError(f"time: column {name!r} holds booleans; expected times (datetimes, epoch numbers or ISO text)")
    if pd.api.types.is_datetime64_any_dtype(dtype) or (
        isinstance(dtype, pd.ArrowDtype) and pa.types.is_timestamp(dtype.pyarrow_dtype)
    ):
        return pd.to_datetime(values, utc=True).astype(_TIME)
    positions = np.arange(len(values))
    result = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[ms]")
    if pd.api.types.is_numeric_dtype(dtype):
        present = values.notna().to_numpy(dtype=bool)
        numbers = values[present].to_numpy(dtype="float64")
        result[present] = _epoch(numbers, name=name, positions=positions[present])
    else:
        text = _as_text(values).str.strip()
        present = (text.notna() & (text != "")).fillna(False).to_numpy(dtype=bool)
        numeric = text.str.match(_NUMBER).fillna(False).to_numpy(dtype=bool) & present
        numbers = text[numeric].to_numpy(dtype="float64")
        result[numeric] = _epoch(numbers, name=name, positions=positions[numeric])
        rest = present & ~numeric
        if rest.any():
            result[rest] = _iso(text[rest], name=name, positions=positions[rest])
    return pd.Series(pd.to_datetime(result).tz_localize("UTC"), index=values.index).astype(_TIME)


def _iso(text: pd.Series, *, name: str, positions: np.ndarray) -> np.ndarray:
    """ISO 8601 text (offsets honoured, none taken as UTC); other spellings pandas can read, value by value."""
    parsed = pd.to_datetime(text, utc=True, format="ISO8601", errors="coerce")
    failed = parsed.isna().to_numpy()
    if failed.any():
        parsed[failed] = pd.to_datetime(text[failed], utc=True, format="mixed", errors="coerce")
    still = parsed.isna().to_numpy()
    if still.any():
        where = int(np.flatnonzero(still)[0])
        raise ValueError(
            f"time: column {name!r} holds {text.iloc[where]!r} (row {positions[where]}), which is not a time; "
            "expected ISO 8601 text ('2021-01-01T10:00:00Z'), epoch seconds or epoch milliseconds"
        )
    return parsed.dt.tz_localize(None).to_numpy(dtype="datetime64[ms]")


def from_table(
    df: pd.DataFrame, *, source: str, target: str, time: str | None = None, fold_case: bool = False
) -> pd.DataFrame:
    """The edge shape from any table of interactions collected elsewhere.

    The Oxford Internet Institute's retweets of diplomats were such a table:
    one row per retweet with the retweeter, the retweeted account and a time.

    Parameters
    ----------
    df : pandas.DataFrame
    source, target : str
        Columns holding the acting and the acted-on accounts (ids or handles).
        Text and integer ids are turned into exact strings. Float ids are
        refused, and so is text written as a float (``9.06E+17``): their
        digits are lost. Integer ids of 16 digits or more raise a
        ``UserWarning``: a number that large may already have lost digits on
        its way (``812000000000000000``); read ids as text
        (``pd.read_csv(..., dtype=str)``).
    time : str, optional
        Column of times: datetimes (naive ones are taken as UTC), epoch
        seconds or milliseconds (numbers, or numbers written as text; told
        apart by size, value by value) or ISO 8601 text.
    fold_case : bool, default False
        Lower-case ``source`` and ``target``, for handles, which Twitter and
        Reddit compare case-insensitively (``Main_Acct`` and ``main_acct`` are one
        account). Leave it off for ids: hashed ids are case-sensitive.

    Returns
    -------
    pandas.DataFrame
        ``source``, ``target``, ``tweetid`` (null), ``time``,
        ``original_time`` (null), ``delay`` (null), ``target_in_archive``
        (null), ``resolved_by`` (``"table"``).

    Examples
    --------
    >>> import pandas as pd, takedown as td
    >>> table = pd.DataFrame({"retweeter": ["1", "2"], "diplomat": ["9", "9"], "at": ["2020-06-01 10:00", "1590999660"]})
    >>> edges = td.edges.from_table(table, source="retweeter", target="diplomat", time="at")
    >>> edges[["source", "target", "time"]].values.tolist()
    [['1', '9', Timestamp('2020-06-01 10:00:00+0000', tz='UTC')], ['2', '9', Timestamp('2020-06-01 08:21:00+0000', tz='UTC')]]
    >>> handles = pd.DataFrame({"who": ["a", "b"], "whom": ["Main_Acct", "main_acct"]})
    >>> td.edges.from_table(handles, source="who", target="whom", fold_case=True)["target"].tolist()
    ['main_acct', 'main_acct']
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"df: expected a pandas DataFrame, got {type(df).__name__}")
    for name in (source, target, time):
        if name is not None and name not in df.columns:
            raise ValueError(f"column {name!r} not in the table (it has {', '.join(map(str, df.columns))})")
    columns = {
        role: _ids(df[name], role=role, name=name, fold_case=fold_case)
        for role, name in (("source", source), ("target", target))
    }
    n = len(df)
    when = pd.Series(pd.NaT, index=df.index).astype(_TIME) if time is None else _times(df[time], name=time)
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
