"""Merging of adjacent bins: the WoE/IV formula, the greedy steps (minimum share, PAVA,
maximum bins by least IV loss, unimodal search) used by ``method="greedy"`` and for categories,
and the count helpers shared with :mod:`creditlab.modeling._optimal`."""

from __future__ import annotations

import numpy as np


def woe_iv(good: np.ndarray, bad: np.ndarray, smoothing: float = 0.5,
           total_good: float | None = None, total_bad: float | None = None
           ) -> tuple[np.ndarray, np.ndarray]:
    """WoE and IV contribution of each bin (creditlab convention ``ln(%good / %bad)``).

    Parameters
    ----------
    good, bad : arrays
        Non-event and event counts per bin (bins with no observation at all are ignored and get
        NaN).
    smoothing : float, default 0.5
        Added to every count of a non-empty bin (see :mod:`creditlab.modeling.binning`).
    total_good, total_bad : float, optional
        Totals G and B (default: the sums of ``good`` and ``bad``).

    Returns
    -------
    woe, iv : arrays
        ``woe_i = ln(%good_i / %bad_i)``, ``iv_i = (%good_i − %bad_i) · woe_i``; NaN for empty
        bins. With ``smoothing=0`` a bin without goods (or bads) gives −inf (or +inf).

    Source: Siddiqi (2006), *Credit Risk Scorecards*, ch. 6.
    """
    good = np.asarray(good, dtype="float64")
    bad = np.asarray(bad, dtype="float64")
    nonempty = (good + bad) > 0
    K = int(nonempty.sum())
    G = good.sum() if total_good is None else float(total_good)
    B = bad.sum() if total_bad is None else float(total_bad)
    with np.errstate(divide="ignore", invalid="ignore"):
        pg = (good + smoothing) / (G + smoothing * K)
        pb = (bad + smoothing) / (B + smoothing * K)
        woe = np.log(pg / pb)
        iv = np.where(np.isfinite(woe), (pg - pb) * woe, np.inf)
    woe = np.where(nonempty, woe, np.nan)
    iv = np.where(nonempty, iv, np.nan)
    return woe, iv


def _counts(codes: np.ndarray, y: np.ndarray, k: int, w: np.ndarray | None = None
            ) -> tuple[np.ndarray, np.ndarray]:
    """(Weighted) count and event count of each code ``0..k-1``."""
    if w is None:
        n = np.bincount(codes, minlength=k).astype("float64")
        b = np.bincount(codes, weights=y, minlength=k)
    else:
        n = np.bincount(codes, weights=w, minlength=k)
        b = np.bincount(codes, weights=y * w, minlength=k)
    return n, b


def _merge(edges: np.ndarray, n: np.ndarray, b: np.ndarray, i: int):
    """Merge interval bins i and i + 1 (drop the edge between them)."""
    n = n.copy()
    b = b.copy()
    n[i] += n[i + 1]
    b[i] += b[i + 1]
    return np.delete(edges, i), np.delete(n, i + 1), np.delete(b, i + 1)


def _drop_empty(edges, n, b):
    while n.size > 1 and (n == 0).any():
        i = int(np.flatnonzero(n == 0)[0])
        j = i if i < n.size - 1 else i - 1  # merge with the next bin (previous for the last)
        edges, n, b = _merge(edges, n, b, j)
    return edges, n, b


def _min_share(edges, n, b, min_count: float):
    while n.size > 1 and n.min() < min_count:
        i = int(np.argmin(n))
        rate = b / n
        if i == 0:
            j = 0
        elif i == n.size - 1:
            j = i - 1
        else:
            left, right = abs(rate[i] - rate[i - 1]), abs(rate[i] - rate[i + 1])
            if left < right or (left == right and n[i - 1] <= n[i + 1]):
                j = i - 1
            else:
                j = i
        edges, n, b = _merge(edges, n, b, j)
    return edges, n, b


def _pava(edges, n, b, ascending: bool):
    """Pool adjacent violators until the event rate is strictly monotonic."""
    blocks: list[list[float]] = []  # [n, b, first bin index]
    for i in range(n.size):
        cur = [n[i], b[i], i]
        while blocks:
            pn, pb, _ = blocks[-1]
            # rate_prev >= rate_cur (ascending) <=> pb * cur_n >= cur_b * pn (exact on counts)
            lhs, rhs = pb * cur[0], cur[1] * pn
            violates = lhs >= rhs if ascending else lhs <= rhs
            if not violates:
                break
            prev = blocks.pop()
            cur = [prev[0] + cur[0], prev[1] + cur[1], prev[2]]
        blocks.append(cur)
    starts = [int(blk[2]) for blk in blocks]
    new_edges = edges[[s - 1 for s in starts[1:]]] if len(starts) > 1 else edges[:0]
    return (new_edges, np.array([blk[0] for blk in blocks], dtype="float64"),
            np.array([blk[1] for blk in blocks], dtype="float64"))


def _unimodal(edges, n, b, peak: bool, max_bins: int, G, B, smoothing):
    """Best unimodal binning: for every position of the turn, PAVA rising then falling
    (``peak``) or falling then rising (valley) on each side, then the maximum-bins merging;
    the highest IV wins (a merger of adjacent bins keeps a unimodal sequence unimodal)."""
    best, best_iv = None, -np.inf
    k = n.size
    for m in range(1, k + 1):
        left = _pava(edges[:m - 1], n[:m], b[:m], peak)
        if m < k:
            right = _pava(edges[m:], n[m:], b[m:], not peak)
            cand = (np.concatenate([left[0], [edges[m - 1]], right[0]]),
                    np.concatenate([left[1], right[1]]), np.concatenate([left[2], right[2]]))
        else:
            cand = left
        cand = _max_bins(*cand, max_bins, G, B, smoothing)
        iv = _iv_total(cand[1], cand[2], G, B, smoothing)
        if iv > best_iv + 1e-12:
            best, best_iv = cand, iv
    return best


def _iv_total(n, b, G, B, smoothing) -> float:
    _, iv = woe_iv(n - b, b, smoothing, G, B)
    return float(np.nansum(iv))


def _max_bins(edges, n, b, max_bins: int, G, B, smoothing):
    while n.size > max_bins:
        _, iv = woe_iv(n - b, b, smoothing, G, B)
        pair_n = n[:-1] + n[1:]
        pair_b = b[:-1] + b[1:]
        _, iv_pair = woe_iv(pair_n - pair_b, pair_b, smoothing, G, B)
        loss = iv[:-1] + iv[1:] - iv_pair
        edges, n, b = _merge(edges, n, b, int(np.argmin(loss)))
    return edges, n, b
