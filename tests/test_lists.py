"""The list-column parser: every spelling seen in real files, and any Python list of strings."""

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from takedown.read.lists import parse_lists


def parse(cells):
    lists, bad = parse_lists(pa.array(cells, pa.string()))
    return lists.to_pylist(), bad.tolist()


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("[]", []),
        ("", []),
        (None, []),
        ("['a', 'b']", ["a", "b"]),
        ("['ทหาร', 'อนาคตใหม่']", ["ทหาร", "อนาคตใหม่"]),
        ("[443196382]", ["443196382"]),
        ("[443196382, 998815271551827968]", ["443196382", "998815271551827968"]),
        ("['https://a.example/x?a=1,2']", ["https://a.example/x?a=1,2"]),
        ("['a, b', 'c']", ["a, b", "c"]),
        ("['']", [""]),
        ("[', ']", [", "]),
        ("['[x]', ']']", ["[x]", "]"]),
        ('["it\'s"]', ["it's"]),
        ("['say \"hi\"']", ['say "hi"']),
        ("['a\\'b', \"c'd\"]", ["a'b", "c'd"]),
        ("['back\\\\slash']", ["back\\slash"]),
        ("['line\\nbreak']", ["line\nbreak"]),
        ("['a','b']", ["a", "b"]),
        ("  ['a']  ", ["a"]),
        ("[abc, def]", ["abc", "def"]),
        ("[12,34]", ["12", "34"]),
    ],
)
def test_every_spelling(cell, expected):
    assert parse([cell]) == ([expected], [])


@pytest.mark.parametrize("cell", ["oops", "['unterminated]", "[1, 2", "{'a': 1}", "['a' 'b'", "[[1], 2]"])
def test_not_a_list_is_null_and_reported(cell):
    assert parse(["['ok']", cell]) == ([["ok"], None], [1])


def test_positions_survive_mixed_forms():
    cells = ["[1, 2]", "oops", "['x']", '["y\'"]', "", "[3]"]
    assert parse(cells) == ([["1", "2"], None, ["x"], ["y'"], [], ["3"]], [1])


def test_chunked_input():
    chunked = pa.chunked_array([pa.array(["['a']"]), pa.array(["[1]", "[]"])])
    lists, bad = parse_lists(chunked)
    assert lists.to_pylist() == [["a"], ["1"], []] and bad.size == 0


items = st.lists(st.text(st.characters(blacklist_categories=("Cs",)), max_size=12), max_size=5)


@settings(max_examples=300, deadline=None)
@given(st.lists(items, min_size=1, max_size=8))
def test_repr_round_trip(lists):
    """Whatever strings a list holds (commas, quotes, brackets, backslashes, newlines), repr then parse is exact."""
    assert parse([repr(x) for x in lists]) == (lists, [])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.integers(min_value=0, max_value=2**64), max_size=5), min_size=1, max_size=8))
def test_unquoted_numbers_keep_every_digit(lists):
    assert parse([repr(x) for x in lists]) == ([[str(i) for i in x] for x in lists], [])


cells = st.one_of(
    st.sampled_from(["[]", "", None]),
    items.map(repr),
    st.sampled_from(["oops", "[1, 2", "[443196382]", "['a' 'b'"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(cells, min_size=1, max_size=12), st.integers(min_value=0, max_value=30))
def test_mostly_empty_columns_parse_as_each_cell_alone(column, empties):
    """A column of any cells, mostly empty lists as in real hashtags columns, gives what each cell gives alone."""
    column = column + ["[]"] * empties
    alone = [parse([cell]) for cell in column]
    assert parse(column) == (
        [lists[0] for lists, _ in alone],
        [i for i, (_, bad) in enumerate(alone) if bad],
    )
