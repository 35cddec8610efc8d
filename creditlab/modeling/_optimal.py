"""Optimal merge of pre-bins: an exact dynamic programme, numpy only.

Given ``P`` consecutive pre-bins with (possibly weighted) counts ``n_i`` and event counts
``b_i``, :func:`optimal_partition` returns the partition into consecutive groups that
**maximises the information value** of the final binning under

- a **trend** of the (smoothed) event rate across groups: ``"ascending"`` (strictly
  increasing), ``"descending"``, ``"peak"`` (strictly rising then strictly falling),
  ``"valley"`` (falling then rising) or ``"none"``;
- a **minimum count** per group (``min_bin_share`` × all rows);
- a **maximum number of groups** ``max_bins``.

The objective is the IV of the final binning table, smoothing included: with ``K`` interval
groups and ``E`` non-empty missing/special bins, ``%good_g = (good_g + s) / (G + s(K + E))`` and
the same for bads (see :func:`creditlab.modeling._merging.woe_iv`), so the IV is a sum of one
term per group once ``K`` is fixed. The programme is therefore run for every ``K`` at once (a
leading axis), and the ``K`` with the highest total IV (the missing and special bins' IV for
that ``K`` included) wins; ties go to fewer groups. Maximising the IV under these constraints is
the objective of optbinning's default (``divergence="iv"``, solved there by a CP/MIP solver) and
of the classic "optimal binning" literature (Navas-Palencia 2020, *Optimal binning: mathematical
programming formulation*, arXiv:2001.08025); here it is solved exactly by dynamic programming,
which the ordering of the groups (consecutive pre-bins) makes possible.

**The trend is on the smoothed odds** ``(b + s) / (n − b + s)`` (compared through
``(b + s) / (n + 2s)``, the same order), so the WoE printed in the table, ``ln((g + s)/(b + s))``
+ a constant, is exactly monotonic — the raw event rate can disagree with the smoothed WoE on a
bin without events.

State ``F[K, h, j, m, phase]``: the best value of a partition of pre-bins ``[0, j)`` into ``m``
groups whose last group is ``[h, j)``, in ``phase`` 0 (still in the first monotonic leg) or 1
(after the turn of a peak or valley). For a last group ``[h, j)``, the best predecessor
``[g, h)`` whose rate is below (above) the new group's rate is found by a running maximum over
the predecessors sorted by rate and one ``searchsorted``: ``O(P² · K² · log P)`` operations in
``P`` vectorised steps.
"""

from __future__ import annotations

import numpy as np

from creditlab.modeling._merging import woe_iv

__all__ = ["optimal_partition", "partition_value"]

_NEG = -np.inf
#: trend -> (rule of the first leg, rule after the turn); "lt": previous rate < new rate
_RULES = {"ascending": ("lt", None), "descending": ("gt", None), "peak": ("lt", "gt"),
          "valley": ("gt", "lt"), "none": ("any", None)}


def _group_terms(n, b, G, B, s, ks, extra):
    """Cumulative sums, the group rate key ``q[h, j]`` and the IV term ``v[K, h, j]`` of every
    group ``[h, j)`` (``h < j``), for each number of groups ``K`` in ``ks``."""
    cn = np.concatenate([[0.0], np.cumsum(n)])
    cb = np.concatenate([[0.0], np.cumsum(b)])
    N = cn[None, :] - cn[:, None]
    Bg = cb[None, :] - cb[:, None]
    Gg = N - Bg
    with np.errstate(divide="ignore", invalid="ignore"):
        q = (Bg + s) / (N + 2 * s)
        tot = (ks + extra)[:, None, None] * s
        pg = (Gg + s)[None] / (G + tot)
        pb = (Bg + s)[None] / (B + tot)
        v = (pg - pb) * np.log(pg / pb)
    v = np.where(np.isfinite(v), v, np.where(np.isnan(v), _NEG, np.inf))
    return N, q, v


def partition_value(n, b, cuts, G, B, s, extra_n=(), extra_b=()) -> float:
    """Total IV of the partition of pre-bins given by ``cuts`` (group starts after 0), missing
    and special bins (``extra_n``, ``extra_b``) included — the objective of
    :func:`optimal_partition`, written directly (used by the tests' exhaustive search)."""
    bounds = [0, *cuts, len(n)]
    gn = np.array([np.sum(n[a:c]) for a, c in zip(bounds[:-1], bounds[1:], strict=True)])
    gb = np.array([np.sum(b[a:c]) for a, c in zip(bounds[:-1], bounds[1:], strict=True)])
    en, eb = np.asarray(extra_n, dtype=float), np.asarray(extra_b, dtype=float)
    _, iv = woe_iv(np.concatenate([gn, en]) - np.concatenate([gb, eb]),
                   np.concatenate([gb, eb]), s, G, B)
    return float(np.nansum(iv))


def optimal_partition(n, b, *, trend: str, max_bins: int, min_count: float, G: float,
                      B: float, smoothing: float, extra_n=(), extra_b=()) -> list[int]:
    """Group starts (indices of the pre-bins opening a group, 0 excluded) of the IV-optimal
    partition (see the module docstring).

    Parameters
    ----------
    n, b : arrays of float, length P
        Count (weighted) and event count of each pre-bin, in the order of the variable; no
        empty pre-bin.
    trend : {"ascending", "descending", "peak", "valley", "none"}
        Constraint on the smoothed event rate across groups.
    max_bins : int
        Maximum number of groups (>= 1).
    min_count : float
        Minimum count of a group; the single group of all pre-bins is always allowed (a
        variable too small for two groups gets one).
    G, B : float
        Totals of non-events and events of the whole sample (missing and specials included).
    smoothing : float
        Count added to each non-empty bin (see ``woe_iv``).
    extra_n, extra_b : arrays
        Counts of the missing and special bins (their IV depends on the number of groups
        through the smoothing denominators).

    Returns
    -------
    list of int
        The starts of groups 2..K, increasing (empty: one group).
    """
    n = np.asarray(n, dtype="float64")
    b = np.asarray(b, dtype="float64")
    P = n.size
    M = int(min(max_bins, P))
    first, second = _RULES[trend]
    ks = np.arange(1, M + 1, dtype="float64")
    en = np.asarray(extra_n, dtype="float64")
    eb = np.asarray(extra_b, dtype="float64")
    extra = float(np.count_nonzero(en > 0))
    N, q, v = _group_terms(n, b, G, B, smoothing, ks, extra)
    valid = N >= min_count
    valid[0, P] = True
    idx = np.arange(P + 1)
    valid &= idx[:, None] < idx[None, :]
    v = np.where(valid[None], v, _NEG)

    # F[K-1, h, j, m-1, phase]; W: the best predecessor value before adding the group's term
    F = np.full((M, P + 1, P + 1, M, 2), _NEG)
    W = np.full_like(F, _NEG)
    W[:, 0, :, 0, 0] = 0.0
    F[:, 0, :, 0, 0] = v[:, 0, :]
    for h in range(1, P):
        A = F[:, :h, h]                      # (K, g, m, phase): groups [g, h)
        qp = q[:h, h]
        order = np.argsort(qp, kind="stable")
        qs = qp[order]
        As = A[:, order]
        pre = np.maximum.accumulate(As, axis=1)
        suf = np.maximum.accumulate(As[:, ::-1], axis=1)[:, ::-1]
        qc = q[h, h + 1:]                    # rates of the new groups [h, j), j > h
        c_lt = np.searchsorted(qs, qc, side="left")      # predecessors with q < qc
        c_gt = np.searchsorted(qs, qc, side="right")     # first predecessor with q > qc
        neg = np.full((M, qc.size, M, 2), _NEG)
        lt = np.where((c_lt > 0)[None, :, None, None], pre[:, np.maximum(c_lt - 1, 0)], neg)
        gt = np.where((c_gt < h)[None, :, None, None], suf[:, np.minimum(c_gt, h - 1)], neg)
        any_ = np.broadcast_to(pre[:, -1:], lt.shape)
        pick = {"lt": lt, "gt": gt, "any": any_}
        new = np.full_like(neg, _NEG)
        # groups count m-1 -> m (shift on the m axis)
        new[:, :, 1:, 0] = pick[first][:, :, :-1, 0]
        if second is not None:
            new[:, :, 1:, 1] = np.maximum(pick[second][:, :, :-1, 0],
                                          pick[second][:, :, :-1, 1])
        W[:, h, h + 1:] = new
        F[:, h, h + 1:] = new + v[:, h, h + 1:, None, None]

    # best K: total IV of the K groups plus the missing/special bins' IV for that K
    with np.errstate(divide="ignore", invalid="ignore"):
        tot = (ks + extra) * smoothing
        pg = ((en - eb) + smoothing)[None] / (G + tot)[:, None]
        pb = (eb + smoothing)[None] / (B + tot)[:, None]
        ev = np.where(en[None] > 0, (pg - pb) * np.log(pg / pb), 0.0).sum(axis=1)
    ends = F[np.arange(M), :, P, np.arange(M), :]          # (K, h, phase) with m = K
    best_k = ends.reshape(M, -1).max(axis=1) + ev
    k = int(np.flatnonzero(best_k >= np.nanmax(best_k) - 1e-12)[0])

    # backtrack: find a predecessor whose value equals the stored W exactly
    h, ph = np.unravel_index(int(np.argmax(ends[k])), ends[k].shape)
    j, m, cuts = P, k, []
    while m > 0:
        target = W[k, h, j, m, ph]
        cands = F[k, :h, h, m - 1, :]          # (g, phase')
        rule = first if ph == 0 else second
        okp = np.zeros(2, dtype=bool)
        okp[0] = True
        okp[1] = ph == 1
        qn = q[h, j]
        qg = q[:h, h]
        okg = {"lt": qg < qn, "gt": qg > qn, "any": np.ones(h, dtype=bool)}[rule]
        hit = np.argwhere((cands == target) & okg[:, None] & okp[None, :])
        g, ph2 = hit[0]
        cuts.append(int(h))
        j, h, ph, m = h, int(g), int(ph2), m - 1
    return sorted(cuts)
