"""td.edges.from_table on tables collected elsewhere: ids that lost digits, epoch times, handles in any case."""

from __future__ import annotations

import datetime as dt
import io
import warnings

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import takedown as td

from_table = td.edges.from_table
COLUMNS = ["source", "target", "tweetid", "time", "original_time", "delay", "target_in_archive", "resolved_by"]


def one_line(error) -> str:
    message = str(error.value)
    assert "\n" not in message
    return message


def times(values) -> list:
    table = pd.DataFrame({"a": ["1"] * len(values), "b": ["2"] * len(values), "t": values})
    return [None if pd.isna(v) else v for v in from_table(table, source="a", target="b", time="t")["time"]]


def utc(*args) -> pd.Timestamp:
    return pd.Timestamp(dt.datetime(*args), tz="UTC")


def test_good_input_keeps_its_shape():
    table = pd.DataFrame({"a": ["x", "y"], "b": ["z", "z"]}, index=[7, 7])
    edges = from_table(table, source="a", target="b")
    assert list(edges.columns) == COLUMNS
    assert edges["source"].tolist() == ["x", "y"] and edges.index.tolist() == [0, 1]
    assert edges["time"].isna().all() and (edges["resolved_by"] == "table").all()
    assert edges["time"].dtype == pd.ArrowDtype(pa.timestamp("ms", tz="UTC"))


def test_small_integer_ids_are_exact_and_quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        edges = from_table(pd.DataFrame({"a": [1, 4057984825], "b": [2, 3]}), source="a", target="b")
    assert edges["source"].tolist() == ["1", "4057984825"]


def test_ids_that_pandas_read_as_numbers_are_warned_about():
    text = "author,retweeted\n812000000000000000,Main_Acct\n812345678901234567,main_acct\n"
    table = pd.read_csv(io.StringIO(text))
    with pytest.warns(UserWarning, match=r"'author'.*2 of them.*1 end in 000.*812000000000000000.*dtype=str"):
        edges = from_table(table, source="author", target="retweeted")
    assert edges["source"].tolist() == ["812000000000000000", "812345678901234567"]
    as_text = pd.read_csv(io.StringIO(text), dtype=str)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert from_table(as_text, source="author", target="retweeted")["source"].iloc[1] == "812345678901234567"


@pytest.mark.parametrize("dtype", ["Int64", pd.ArrowDtype(pa.int64())])
def test_nullable_integer_ids(dtype):
    table = pd.DataFrame({"a": pd.Series([812000000000000000, None], dtype=dtype), "b": ["x", "y"]})
    with pytest.warns(UserWarning, match="ids read as numbers"):
        edges = from_table(table, source="a", target="b")
    assert edges["source"].iloc[0] == "812000000000000000" and pd.isna(edges["source"].iloc[1])


def test_float_ids_are_refused():
    with pytest.raises(TypeError, match=r"target: column 'b' holds floats.*dtype=str") as error:
        from_table(pd.DataFrame({"a": ["1"], "b": [9.06e17]}), source="a", target="b")
    one_line(error)
    table = pd.DataFrame({"a": ["9.06E+17", "1", "9.1458e17"], "b": ["x", "y", "z"]})
    with pytest.raises(
        ValueError, match=r"source: column 'a' holds 2 ids written as floats \(like '9.06E\+17'\)"
    ) as error:
        from_table(table, source="a", target="b")
    one_line(error)
    table = pd.DataFrame({"a": ["812000000000000000.0"], "b": ["x"]})
    with pytest.raises(ValueError, match="written as floats"):
        from_table(table, source="a", target="b")


def test_wrong_inputs_have_one_line_errors():
    with pytest.raises(TypeError, match="df: expected a pandas DataFrame") as error:
        from_table({"a": [1]}, source="a", target="b")
    one_line(error)
    with pytest.raises(ValueError, match=r"column 'nope' not in the table \(it has a, b\)"):
        from_table(pd.DataFrame({"a": ["1"], "b": ["2"]}), source="a", target="nope")
    with pytest.raises(TypeError, match="holds booleans"):
        from_table(pd.DataFrame({"a": [True], "b": ["2"]}), source="a", target="b")


def test_handles_can_be_case_folded():
    table = pd.DataFrame({"who": ["Troll_1", "troll_1", "x"], "whom": ["Main_Acct", "main_acct", "MAIN_acct"]})
    plain = td.edges.aggregate(from_table(table, source="who", target="whom"))
    assert len(plain) == 3
    folded = td.edges.aggregate(from_table(table, source="who", target="whom", fold_case=True))
    assert folded[["source", "target", "weight"]].values.tolist() == [
        ["troll_1", "main_acct", 2],
        ["x", "main_acct", 1],
    ]


def test_epoch_seconds_and_milliseconds_as_numbers_and_text():
    expected = utc(2016, 3, 26, 13, 41, 47)
    assert times([1458999707, 1458999707000]) == [expected, expected]
    assert times([1458999707.0, 1458999707000.0]) == [expected, expected]
    assert times(["1458999707", "1458999707000", "1458999707.0", "1458999707000.0"]) == [expected] * 4
    assert times(pd.Series([1458999707, None], dtype="Int64")) == [expected, None]
    assert times(pd.Series([1458999707500, None], dtype=pd.ArrowDtype(pa.int64()))) == [
        utc(2016, 3, 26, 13, 41, 47, 500000),
        None,
    ]


def test_iso_text_datetimes_and_missing_times():
    assert times(["2021-01-01T10:00:00+08:00", "2021-01-01T03:00:00Z", "2021-01-01 03:00", None, ""]) == [
        utc(2021, 1, 1, 2),
        utc(2021, 1, 1, 3),
        utc(2021, 1, 1, 3),
        None,
        None,
    ]
    assert times(["Wed Jan 07 04:38:02 +0000 2009", "1458999707"]) == [
        utc(2009, 1, 7, 4, 38, 2),
        utc(2016, 3, 26, 13, 41, 47),
    ]
    naive = pd.Series(pd.to_datetime(["2020-06-01 10:00"]))
    assert times(naive) == [utc(2020, 6, 1, 10)]
    assert times(naive.dt.tz_localize("Asia/Bangkok")) == [utc(2020, 6, 1, 3)]


def test_bad_times_have_one_line_errors():
    with pytest.raises(ValueError, match=r"time: column 't' holds 'soon' \(row 1\), which is not a time") as error:
        times(["2021-01-01", "soon"])
    one_line(error)
    with pytest.raises(
        ValueError, match=r"column 't' holds 1.4e\+18 \(row 0\); expected epoch seconds or milliseconds"
    ):
        times([1.4e18])
    with pytest.raises(ValueError, match="expected epoch seconds or milliseconds"):
        times(["1400000000000000000"])
    with pytest.raises(TypeError, match="time: column 't' holds booleans"):
        times([True])


@settings(max_examples=50, deadline=None)
@given(seconds=st.integers(min_value=1_150_000_000, max_value=1_900_000_000), ms=st.integers(0, 999))
def test_seconds_and_milliseconds_agree(seconds, ms):
    at = pd.Timestamp(seconds * 1000 + ms, unit="ms", tz="UTC")
    whole = pd.Timestamp(seconds, unit="s", tz="UTC")
    assert times([seconds * 1000 + ms, str(seconds * 1000 + ms)]) == [at, at]
    assert times([seconds, str(seconds), float(seconds)]) == [whole, whole, whole]
    assert times([at.isoformat()]) == [at]
    assert np.isclose((times([seconds + ms / 1000])[0] - at).total_seconds(), 0, atol=1e-3)
