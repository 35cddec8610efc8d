"""Tree pre-binning of one numeric variable without scikit-learn's tree: the cut points of a
best-first classification tree on one feature (Gini impurity), in numpy.

Why not ``sklearn.tree.DecisionTreeClassifier``: on one feature the tree is a sequence of
scans of cumulative sums over the sorted distinct values, and scikit-learn's per-call checks
cost more than the scans (about 9 ms against under 1 ms per variable on 7 000 rows).

Rule (the one of ``DecisionTreeClassifier(max_leaf_nodes=L, min_weight_fraction_leaf=...)``
with best-first growth): start from one leaf holding every value; the candidate split of a
leaf is, among the boundaries between two distinct values where both sides weigh at least
``min_leaf``, the one with the largest decrease of weighted Gini impurity
``n·(1 − p² − (1 − p)²) = 2·b·(n − b)/n`` (n weight, b event weight); repeatedly split the leaf
whose candidate decreases the impurity most, until ``max_leaves`` leaves or no leaf can be
split with a positive decrease. Thresholds are the midpoints between the two distinct values
(as scikit-learn). Source: Breiman, Friedman, Olshen & Stone, *Classification and Regression
Trees* (1984), ch. 4; scikit-learn's ``BestFirstTreeBuilder``.
"""

from __future__ import annotations

import heapq

import numpy as np


def tree_cut_points(x: np.ndarray, y: np.ndarray, w: np.ndarray, max_leaves: int,
                    min_leaf: float) -> np.ndarray:
    """Increasing thresholds of the best-first Gini tree on ``x`` (see the module docstring).

    Parameters
    ----------
    x, y, w : arrays
        Finite values, 0/1 target, non-negative weights (same length); rows of weight 0 are
        ignored, so integer weights give the thresholds of the rows repeated.
    max_leaves : int
        Maximum number of leaves (bins).
    min_leaf : float
        Minimum weight of a leaf.
    """
    pos = w > 0  # a zero-weight row is not in the sample: no threshold next to it
    if not pos.all():
        x, y, w = x[pos], y[pos], w[pos]
    u, inv = np.unique(x, return_inverse=True)
    if u.size < 2:
        return np.empty(0)
    cn = np.cumsum(np.bincount(inv, weights=w, minlength=u.size))
    cb = np.cumsum(np.bincount(inv, weights=w * y, minlength=u.size))
    cn0 = np.concatenate([[0.0], cn])
    cb0 = np.concatenate([[0.0], cb])

    def best(lo: int, hi: int):
        """Best split of distinct values lo..hi-1 after position s (lo <= s < hi-1)."""
        base_n, base_b = cn0[lo], cb0[lo]
        nt, bt = cn0[hi] - base_n, cb0[hi] - base_b
        # the left weight grows with s: the admissible s form one range
        s_lo = max(int(np.searchsorted(cn0, base_n + min_leaf, side="left")) - 1, lo)
        s_hi = min(int(np.searchsorted(cn0, cn0[hi] - min_leaf, side="right")) - 2, hi - 2)
        if s_lo > s_hi or nt <= 0:
            return None
        nl = cn0[s_lo + 1:s_hi + 2] - base_n
        bl = cb0[s_lo + 1:s_hi + 2] - base_b
        nr, br = nt - nl, bt - bl
        # decrease of n·Gini (2·b·(n − b)/n); both sides weigh >= min_leaf > 0
        gain = 2.0 * (bt * (nt - bt) / nt - bl * (nl - bl) / nl - br * (nr - br) / nr)
        i = int(np.argmax(gain))
        if not gain[i] > 1e-12 * max(nt, 1.0):
            return None
        return float(gain[i]), s_lo + i

    heap: list = []
    first = best(0, u.size)
    if first is not None:
        heapq.heappush(heap, (-first[0], 0, u.size, first[1]))
    cuts: list[int] = []
    leaves = 1
    while heap and leaves < max_leaves:
        _, lo, hi, s = heapq.heappop(heap)
        cuts.append(s)
        leaves += 1
        for a, c in ((lo, s + 1), (s + 1, hi)):
            nxt = best(a, c)
            if nxt is not None:
                heapq.heappush(heap, (-nxt[0], a, c, nxt[1]))
    s = np.sort(np.asarray(cuts, dtype="int64"))
    return (u[s] + u[s + 1]) / 2.0
