"""Arrow arrays and scalars to and from NumPy and Python values, without pandas.

pyarrow imports pandas the first time it converts Python or NumPy values
(``pa.array``, ``pa.scalar``, ``Array.to_numpy``, a compute function given a
Python value): a third of a second of CPU, and on two cores a stall of the
first read while the import holds its lock. The reader converts such values
for every batch, so it goes through these helpers, which build arrays from
buffers and read them back as buffers. A first read of a release without
issues then never loads pandas, nor does ``takedown info`` on it (a test
checks both).

Examples
--------
>>> import numpy as np
>>> from takedown.read import arrays
>>> arrays.arrow(np.array([3, 1])).to_pylist()
[3, 1]
>>> arrays.where(arrays.arrow(np.array([False, True, True]))).tolist()
[1, 2]
>>> arrays.texts(["a", ""]).to_pylist()
['a', '']
>>> arrays.scalar(None, arrays.texts([]).type).is_valid
False
>>> arrays.codes(arrays.texts(["b", "a", "b"])).tolist()
[0, 1, 0]
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["arrow", "codes", "empty", "numpy", "scalar", "texts", "where"]

_TYPES = {
    np.dtype(np.int64): pa.int64(),
    np.dtype(np.int32): pa.int32(),
    np.dtype(np.uint64): pa.uint64(),
    np.dtype(np.float64): pa.float64(),
}


def arrow(values: np.ndarray) -> pa.Array:
    """A one-dimensional NumPy array of integers, floats or booleans as an Arrow array without nulls."""
    values = np.asarray(values)
    if values.dtype == bool:
        bits = np.packbits(values, bitorder="little")
        return pa.Array.from_buffers(pa.bool_(), values.size, [None, pa.py_buffer(bits)])
    values = np.ascontiguousarray(values)
    if values.dtype not in _TYPES:
        values = values.astype(np.int64)
    return pa.Array.from_buffers(_TYPES[values.dtype], values.size, [None, pa.py_buffer(values)])


def numpy(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """An Arrow array of integers or booleans without nulls as a NumPy array (a view where the layout allows)."""
    if isinstance(array, pa.ChunkedArray):
        chunks = [numpy(chunk) for chunk in array.chunks]
        return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int64)
    if array.null_count:
        raise ValueError(f"arrays.numpy: the array has {array.null_count:,} null(s); fill them first")
    if pa.types.is_boolean(array.type):
        if len(array) == 0:
            return np.zeros(0, dtype=bool)
        bits = np.frombuffer(array.buffers()[1], dtype=np.uint8)
        return np.unpackbits(bits, bitorder="little", count=array.offset + len(array))[array.offset :].astype(bool)
    if not pa.types.is_integer(array.type):
        raise TypeError(f"arrays.numpy: expected integers or booleans, got {array.type}")
    kind = "u" if pa.types.is_unsigned_integer(array.type) else "i"
    dtype = np.dtype(f"{kind}{array.type.bit_width // 8}")
    if len(array) == 0:
        return np.zeros(0, dtype=dtype)
    return np.frombuffer(array.buffers()[1], dtype=dtype)[array.offset : array.offset + len(array)]


def where(mask: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Positions where a boolean array is true (a null counts as false), as int64."""
    if isinstance(mask, pa.ChunkedArray):
        mask = mask.combine_chunks()
    return numpy(pc.indices_nonzero(mask)).astype(np.int64)


def texts(values: list[str]) -> pa.Array:
    """A list of Python strings as an Arrow string array."""
    encoded = [value.encode("utf-8") for value in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int32)
    np.cumsum([len(value) for value in encoded], out=offsets[1:])
    return pa.Array.from_buffers(
        pa.string(), len(encoded), [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))]
    )


def scalar(value: bool | int | str | None, type: pa.DataType | None = None) -> pa.Scalar:
    """A Python value as an Arrow scalar: ``None`` of ``type``, a bool, an int64 or a string."""
    if value is None:
        return pa.nulls(1, type)[0]
    if isinstance(value, bool):
        return arrow(np.array([value]))[0]
    if isinstance(value, int):
        return arrow(np.array([value], dtype=np.int64))[0]
    return texts([value])[0]


def empty(schema: pa.Schema) -> pa.Table:
    """A table of ``schema`` with no rows (``Schema.empty_table`` goes through pandas' check)."""
    return pa.Table.from_arrays([pa.nulls(0, f.type) for f in schema], schema=schema)


def codes(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Each value's code, numbered by first appearance (as Arrow numbers a dictionary), -1 for a null, as int64."""
    whole = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    encoded = pc.dictionary_encode(whole).indices
    return numpy(pc.fill_null(encoded, scalar(-1).cast(encoded.type))).astype(np.int64)
