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

from takedown.schema import LIST_ITEM

__all__ = ["parse_lists"]

LIST_TYPE = pa.list_(LIST_ITEM)


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
    text = pc.utf8_trim_whitespace(pc.fill_null(cells, ""))
    bracketed = pc.and_(pc.starts_with(text, "["), pc.ends_with(text, "]"))
    inner = pc.utf8_trim_whitespace(pc.utf8_slice_codeunits(text, 1, -1))

    empty = pc.or_(pc.equal(text, ""), pc.and_(bracketed, pc.equal(inner, "")))
    # Simple quoted form: every quote inside the outer pair belongs to a
    # ``', '`` separator, so the items hold no quote and splitting is exact.
    body = pc.utf8_slice_codeunits(inner, 1, -1)
    quoted = pc.and_(
        pc.and_(bracketed, pc.and_(pc.starts_with(inner, "'"), pc.ends_with(inner, "'"))),
        pc.and_(
            pc.greater_equal(pc.utf8_length(inner), 2),
            pc.equal(pc.count_substring(body, "'"), pc.multiply(pc.count_substring(body, "', '"), 2)),
        ),
    )
    quoted = pc.and_(quoted, pc.invert(pc.match_substring(body, "\\")))
    lists = pc.split_pattern(pc.if_else(quoted, body, inner), pattern="', '")
    lists = pc.if_else(empty, pa.scalar([], LIST_TYPE), lists)

    # Unquoted form (China 2019 mentions): no quote, bracket or backslash.
    unquoted = pc.and_(bracketed, pc.invert(pc.or_(quoted, empty)))
    unquoted = pc.and_(unquoted, pc.invert(pc.match_substring_regex(inner, r"['\"\[\]\\]")))
    plain = np.flatnonzero(unquoted.to_numpy(zero_copy_only=False))
    if plain.size:
        plain_lists = pc.split_pattern_regex(inner.take(pa.array(plain)), pattern=r"\s*,\s*")
        lists = _replace_rows(lists, plain, plain_lists)

    fast = pc.or_(pc.or_(empty, quoted), unquoted)
    slow = np.flatnonzero(~fast.to_numpy(zero_copy_only=False))
    if slow.size == 0:
        return lists, slow.astype(np.int64)

    parsed = [_literal_items(value) for value in text.take(pa.array(slow)).to_pylist()]
    bad = np.array([i for i, items in zip(slow, parsed) if items is None], dtype=np.int64)
    return _replace_rows(lists, slow, pa.array(parsed, type=LIST_TYPE)), bad


def _replace_rows(lists: pa.Array, positions: np.ndarray, replacement: pa.Array) -> pa.Array:
    """``lists`` with the rows at ``positions`` taken from ``replacement``, in order."""
    n = len(lists)
    order = np.arange(n, dtype=np.int64)
    order[positions] = n + np.arange(positions.size, dtype=np.int64)
    return pa.concat_arrays([lists, replacement]).take(pa.array(order))
