"""The month-end accumulator's summed path for held amounts gives ``_classify``'s balances.

``_classify_held`` sums amounts per (group, month-end cells, invoice) combination before placing
the intervals when there are far more rows than combinations (no grouping at ten million
rows); here a short month grid forces that path on a few thousand random rows, with dates on
both sides of the grid (clipped) and payments before their document's issue date.
"""

from __future__ import annotations

import numpy as np
import pytest

from creditlab.receivables.kpi._engine import _Accumulator, _classify, _classify_held


@pytest.mark.parametrize("groups", [1, 3])
@pytest.mark.parametrize("seed", [0, 1])
def test_summed_path_gives_the_row_path(groups, seed):
    rng = np.random.default_rng(seed)
    n = 20_000
    month_ends = np.array([20_000, 20_031, 20_059, 20_090], dtype=np.int64)
    issue = rng.integers(17_000, 23_000, n)           # beyond the lookup margin on both sides
    due = issue + rng.integers(0, 120, n)
    lo = issue + rng.integers(-40, 60, n)             # cash before the document exists, too
    w = np.round(rng.normal(0, 500, n), 2)
    is_invoice = rng.random(n) < 0.9
    g = rng.integers(0, groups, n).astype(np.int64)
    row, summed = _Accumulator(month_ends, 19_990, groups), _Accumulator(month_ends, 19_990,
                                                                          groups)
    _classify(row, g, w, lo, None, issue, due, is_invoice)
    cells = groups * (len(month_ends) + 1) ** 3 * 2
    assert 4 * cells < n  # the summed path is taken
    _classify_held(summed, g, w, lo, issue, due, is_invoice)
    for name in ("current", "over90", "pd_inv", "pd_inv_due"):
        a, b = row.state(name), summed.state(name)
        assert a.shape == (groups, len(month_ends))
        np.testing.assert_allclose(b, a, rtol=1e-12, atol=1e-6 * np.abs(a).max())
    assert np.abs(row.state("current")).max() > 0  # something was placed
    # and the row path of _classify_held (few rows) is _classify itself
    few = slice(0, 50)
    r2, s2 = _Accumulator(month_ends, 19_990, groups), _Accumulator(month_ends, 19_990, groups)
    _classify(r2, g[few], w[few], lo[few], None, issue[few], due[few], is_invoice[few])
    _classify_held(s2, g[few], w[few], lo[few], issue[few], due[few], is_invoice[few])
    for name in ("current", "over90", "pd_inv", "pd_inv_due"):
        np.testing.assert_array_equal(s2.state(name), r2.state(name))
