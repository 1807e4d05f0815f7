"""Arrow arrays from and to NumPy without pandas: the same values as pyarrow's own conversions."""

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from takedown.read import arrays

integers = st.lists(st.integers(min_value=-(2**63), max_value=2**63 - 1), max_size=50)
booleans = st.lists(st.booleans(), max_size=80)


@settings(max_examples=200, deadline=None)
@given(integers, st.data())
def test_integers_round_trip_through_any_slice(values, data):
    built = arrays.arrow(np.array(values, dtype=np.int64))
    assert built.to_pylist() == values
    start = data.draw(st.integers(min_value=0, max_value=len(values)))
    stop = data.draw(st.integers(min_value=start, max_value=len(values)))
    assert arrays.numpy(built.slice(start, stop - start)).tolist() == values[start:stop]


@settings(max_examples=200, deadline=None)
@given(booleans, st.data())
def test_booleans_round_trip_through_any_slice(values, data):
    # Bits are packed eight to a byte: a slice starting mid-byte is the case to get right.
    built = arrays.arrow(np.array(values, dtype=bool))
    assert built.to_pylist() == values
    start = data.draw(st.integers(min_value=0, max_value=len(values)))
    stop = data.draw(st.integers(min_value=start, max_value=len(values)))
    sliced = built.slice(start, stop - start)
    assert arrays.numpy(sliced).tolist() == values[start:stop]
    assert arrays.where(sliced).tolist() == [i for i, v in enumerate(values[start:stop]) if v]


def test_where_counts_a_null_as_false():
    assert arrays.where(pa.array([True, None, False, True])).tolist() == [0, 3]


def test_numpy_refuses_nulls_and_other_types():
    with pytest.raises(ValueError, match="null"):
        arrays.numpy(pa.array([1, None]))
    with pytest.raises(TypeError, match="integers or booleans"):
        arrays.numpy(pa.array([1.5]))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(), max_size=20))
def test_texts_and_scalars_match_pyarrow(values):
    assert arrays.texts(values).equals(pa.array(values, pa.string()))
    for value in [None, True, False, 0, -7, 2**63 - 1, "", "é"]:
        assert arrays.scalar(value, pa.string() if value is None else None).equals(
            pa.scalar(value, pa.string() if value is None else None)
        )


def test_empty_table_has_the_schema():
    schema = pa.schema([("a", pa.string()), ("b", pa.list_(pa.string()))])
    assert arrays.empty(schema).equals(schema.empty_table())


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from(["a", "b", "c"])), max_size=20))
def test_codes_number_values_by_first_appearance(values):
    seen: dict = {}
    expected = [-1 if v is None else seen.setdefault(v, len(seen)) for v in values]
    assert arrays.codes(pa.array(values, pa.string())).tolist() == expected
