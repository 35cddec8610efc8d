"""Score texts (zones, bands, reasons) built from codes in Arrow equal the per-row objects."""

from __future__ import annotations

import numpy as np
import pandas as pd

from creditlab.statements._common import reasons_column, reasons_series, text_series


def test_text_series_same_values_and_dtype_as_objects():
    codes = np.array([2, 0, -1, 1, 2, -1])
    strings = ["danger", "alerte", "très bonne situation"]
    index = pd.Index([10, 11, 12, 13, 14, 15])
    got = text_series(codes, strings, index)
    obj = np.array([*strings, None], dtype=object)[codes]
    want = pd.Series(obj, index=index, dtype="str")
    pd.testing.assert_series_equal(got, want)
    assert got.isna().tolist() == [False, False, True, False, False, True]
    assert got.iloc[0] == "très bonne situation"
    assert len(text_series(np.array([], dtype=int), strings, pd.RangeIndex(0))) == 0


def test_reasons_series_equals_reasons_column():
    flags = {"a": np.array([True, False, True, False]), "b": np.array([True, False, False, True]),
             "never": np.zeros(4, dtype=bool)}
    texts = {"a": "A", "b": "B", "never": "N"}
    index = pd.RangeIndex(4)
    got = reasons_series(flags, texts, index)
    assert got.tolist() == ["A; B", "", "A", "B"]
    want = pd.Series(reasons_column(flags, texts, 4), index=index, dtype="str")
    pd.testing.assert_series_equal(got, want)
    none = reasons_series({"x": np.zeros(3, dtype=bool)}, {"x": "X"}, pd.RangeIndex(3))
    assert none.tolist() == ["", "", ""] and none.dtype == "str"


def test_reasons_codes_sorted_patterns_as_np_unique():
    from creditlab.statements._common import reasons_codes

    rng = np.random.default_rng(3)
    flags = {f"r{i}": rng.random(500) < 0.2 for i in range(6)}
    texts = {k: k.upper() for k in flags}
    codes, strings = reasons_codes(flags, texts, 500)
    mat = np.column_stack(list(flags.values())).astype(np.int64)
    pattern = mat @ (1 << np.arange(6))
    uniq, inv = np.unique(pattern, return_inverse=True)
    assert codes.tolist() == inv.tolist()
    assert strings == ["; ".join(k.upper() for i, k in enumerate(flags) if (u >> i) & 1)
                       for u in uniq]
    assert strings[0] == ""  # rows without a flag come first
