"""Parse the list columns (``hashtags``, ``urls``, ``user_mentions``,
``poll_choices``) from the Python-list text the releases store them as.

The spellings seen in real files: ``['a', 'b']`` (Python ``repr`` of a list of
strings), ``[443196382, 123]`` (unquoted numbers, China 2019), ``[]`` and an
empty cell. A ``repr`` puts an item in double quotes when it holds a single
quote (``["it's"]``) and escapes with backslashes when it holds both or holds
unprintable characters.

Almost every cell is in the simple form: single-quoted items with no
backslash, or unquoted items with no quotes at all. In that form an
unescaped ``'`` always ends an item, so splitting on ``', '`` is exact; those
cells are parsed with Arrow kernels in one pass. The few remaining cells go
through :func:`ast.literal_eval`, which is the exact inverse of ``repr``.
A cell that is not a list literal at all is reported back by position, never
guessed at.
"""

from __future__ import annotations

import ast

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from takedown.read import arrays
from takedown.schema import LIST_ITEM

__all__ = ["parse_lists"]

LIST_TYPE = pa.list_(LIST_ITEM)
# ``['a', 'b']``: items hold no quote or backslash, so ``', '`` only ever
# separates items and splitting on it is exact.
_SIMPLE = r"^\['[^'\\]*(', '[^'\\]*)*'\]$"
# ``[443196382, 123]`` (China 2019 mentions): no quotes, brackets or backslashes inside.
_UNQUOTED = r"^\[[^'\"\[\]\\]*\]$"


def _literal_items(text: str) -> list[str] | None:
    """Items of one list literal, or ``None`` if the text is not one."""
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None
    if not isinstance(value, (list, tuple)):
        return None
    if not all(isinstance(item, (str, int)) and not isinstance(item, bool) for item in value):
        return None
    return [item if isinstance(item, str) else str(item) for item in value]


def parse_lists(cells: pa.Array | pa.ChunkedArray) -> tuple[pa.Array, np.ndarray]:
    """Parse a column of list literals into an Arrow ``list<string>`` array.

    Parameters
    ----------
    cells : pyarrow.Array or pyarrow.ChunkedArray of string
        The raw cells. Null and empty cells mean an empty list.

    Returns
    -------
    lists : pyarrow.Array of list<string>
        One list per cell. Numbers in unquoted lists are kept as the digit
        strings written in the file. A cell that is not a list literal is null.
    bad : numpy.ndarray of int64
        Positions of the cells that were not list literals.

    Examples
    --------
    >>> import pyarrow as pa
    >>> from takedown.read.lists import parse_lists
    >>> lists, bad = parse_lists(pa.array(["['a', 'b, c']", "[443196382]", "", '["it\\'s"]', "oops"]))
    >>> lists.to_pylist()
    [['a', 'b, c'], ['443196382'], [], ["it's"], None]
    >>> bad.tolist()
    [4]
    """
    if isinstance(cells, pa.ChunkedArray):
        cells = cells.combine_chunks() if cells.num_chunks != 1 else cells.chunk(0)
    simple = pc.match_substring_regex(cells, _SIMPLE)  # null where the cell is
    empty = pc.or_kleene(pc.is_null(cells), pc.is_in(cells, value_set=arrays.texts(["", "[]"])))
    body = pc.if_else(simple, pc.utf8_slice_codeunits(cells, 2, -2), arrays.scalar(None, pa.string()))
    lists = _nulls_as_empty(pc.split_pattern(body, pattern="', '"))
    rest = arrays.where(pc.invert(pc.or_kleene(simple, empty)))
    if rest.size == 0:
        return lists, rest
    parsed, bad = _parse_other_forms(cells.take(arrays.arrow(rest)))
    return _replace_rows(lists, rest, parsed), rest[bad]


def _parse_other_forms(cells: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """Cells not in the simple quoted form: unquoted lists by kernels, the rest by ``literal_eval``."""
    text = pc.utf8_trim_whitespace(cells)
    unquoted = pc.fill_null(pc.match_substring_regex(text, _UNQUOTED), arrays.scalar(False))
    inner = pc.utf8_trim_whitespace(pc.utf8_slice_codeunits(text, 1, -1))
    inner = pc.if_else(
        pc.and_(unquoted, pc.not_equal(inner, arrays.scalar(""))), inner, arrays.scalar(None, pa.string())
    )
    lists = _nulls_as_empty(pc.split_pattern_regex(inner, pattern=r"\s*,\s*"))
    other = arrays.where(pc.invert(unquoted))
    if other.size == 0:
        return lists, other
    parsed = [_literal_items(value) for value in text.take(arrays.arrow(other)).to_pylist()]
    bad = np.array([i for i, items in zip(other, parsed) if items is None], dtype=np.int64)
    return _replace_rows(lists, other, pa.array(parsed, type=LIST_TYPE)), bad


def _nulls_as_empty(lists: pa.ListArray) -> pa.ListArray:
    """Null lists made empty by dropping the validity bitmap.

    Arrow kernels give null slots zero length, so this is a zero-copy change
    (much cheaper than ``if_else`` with a list scalar); checked, not assumed.
    """
    lengths = np.diff(arrays.numpy(lists.offsets))
    if lists.null_count and lengths[~arrays.numpy(lists.is_valid())].any():
        return pc.if_else(lists.is_valid(), lists, pa.scalar([], lists.type))
    return pa.ListArray.from_arrays(lists.offsets, lists.values)


def _replace_rows(lists: pa.Array, positions: np.ndarray, replacement: pa.Array) -> pa.Array:
    """``lists`` with the rows at ``positions`` taken from ``replacement``, in order."""
    n = len(lists)
    order = np.arange(n, dtype=np.int64)
    order[positions] = n + np.arange(positions.size, dtype=np.int64)
    return pa.concat_arrays([lists, replacement]).take(arrays.arrow(order))
