"""Document and customer ids as integers: the one string-matching step of the receivables core.

Ids are matched by one Arrow dictionary encoding (document ids, the payments' references and the
credit notes' corrected invoices in the same pass); everything after this step works on integer
positions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def _arrow(s: pd.Series) -> pa.ChunkedArray:
    """A string column as an Arrow ``large_string`` chunked array (zero copy for pandas' "str")."""
    native = getattr(s.array, "_pa_array", None)  # pandas' Arrow-backed "str" dtype
    if native is None or not (pa.types.is_string(native.type)
                              or pa.types.is_large_string(native.type)):
        native = pa.array(s.astype("str").to_numpy(dtype=object, na_value=None),
                          type=pa.large_string())
    if isinstance(native, pa.Array):
        native = pa.chunked_array([native])
    return native if native.type == pa.large_string() else native.cast(pa.large_string())


def _indices(arr) -> np.ndarray:
    """Indices of a dictionary-encoded Arrow (chunked) array as int64, missing → -1."""
    chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
    if not chunks:
        return np.empty(0, dtype="int64")
    return np.concatenate([np.asarray(c.indices.fill_null(-1), dtype="int64") for c in chunks])


def _encode_together(*columns: pd.Series) -> list[np.ndarray]:
    """Dictionary-encode string columns in one hash pass: equal strings get equal codes.

    Codes follow the order of first appearance across ``columns`` taken in order (so the codes
    of a first column of unique ids are ``0..n-1``); missing values get -1.
    """
    arrays = [_arrow(c) for c in columns]
    chunks = [ch for a in arrays for ch in a.chunks]
    if not chunks:
        return [np.empty(0, dtype="int64") for _ in columns]
    enc = pa.chunked_array(chunks, type=pa.large_string()).dictionary_encode()
    first = enc.chunk(0).dictionary
    if any(c.dictionary is not first and not c.dictionary.equals(first) for c in enc.chunks):
        enc = enc.unify_dictionaries()  # defensive: Arrow shares one dictionary across chunks
    codes = _indices(enc)
    out, start = [], 0
    for a in arrays:
        out.append(codes[start:start + len(a)])
        start += len(a)
    return out


def _lookup(values: pd.Series, keys: pd.Series) -> np.ndarray:
    """Position of each of ``values`` in the unique ``keys`` (-1 when absent or missing).

    Hashes the smaller side only: when ``values`` is much shorter than ``keys``, its distinct
    values are hashed and ``keys`` probed against them (Arrow ``index_in``).
    """
    if len(values) == 0:
        return np.empty(0, dtype="int64")
    vals, ks = _arrow(values), _arrow(keys)
    if 4 * len(values) >= len(keys):
        return np.asarray(pc.index_in(vals, value_set=ks).fill_null(-1), dtype="int64")
    uniq = pc.unique(vals).drop_null()
    where = np.asarray(pc.index_in(vals, value_set=uniq).fill_null(-1), dtype="int64")
    hit = np.asarray(pc.index_in(ks, value_set=uniq).fill_null(-1), dtype="int64")
    found = np.flatnonzero(hit >= 0)
    key_of = np.full(len(uniq), -1, dtype="int64")
    key_of[hit[found]] = found
    return np.where(where >= 0, key_of[np.maximum(where, 0)], -1)


def _encode_with_ranks(*columns: pd.Series) -> tuple[list[np.ndarray], np.ndarray]:
    """Codes of :func:`_encode_together` and, per code, the rank of its string in sorted order."""
    arrays = [_arrow(c) for c in columns]
    chunks = [ch for a in arrays for ch in a.chunks]
    if not chunks or not sum(len(a) for a in arrays):
        return [np.empty(0, dtype="int64") for _ in columns], np.empty(0, dtype="int64")
    enc = pa.chunked_array(chunks, type=pa.large_string()).dictionary_encode()
    if any(c.dictionary is not enc.chunk(0).dictionary for c in enc.chunks):
        enc = enc.unify_dictionaries()
    codes = _indices(enc)
    sorted_idx = np.asarray(pc.array_sort_indices(enc.chunk(0).dictionary))
    rank = np.empty(len(sorted_idx), dtype="int64")
    rank[sorted_idx] = np.arange(len(sorted_idx))
    out, start = [], 0
    for a in arrays:
        out.append(codes[start:start + len(a)])
        start += len(a)
    return out, rank
