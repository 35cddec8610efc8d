"""The month-end engine behind :func:`~creditlab.receivables.kpi.kpi_history` (private).

Balances at every month end come from difference arrays over months (:class:`_Accumulator`):
each document, payment line, netting and dispute interval adds its signed amount to the month
ends where it is open, then a cumulative sum. The matching of documents (payment → document,
credit note → invoice, dispute → document) is the ledger's
(:class:`creditlab.receivables.Ledger`); this module only places the amounts in time.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from creditlab._checks import as_of_date as _as_of
from creditlab.exceptions import InputError
from creditlab.receivables.kpi.catalogue import HISTORY_COLUMNS
from creditlab.receivables.kpi.formulas import _countback_core
from creditlab.receivables.kpi.snapshot import _check_columns, _days
from creditlab.receivables.ledger import _netted

_WRITE_OFF_COLS = ("customer_id", "date", "amount_ht")

_LUT_MARGIN = 1_100  # days on each side of the month grid (dates further away are clipped)


class _Accumulator:
    """Sums signed amounts over month-end intervals with difference arrays (no loop over rows).

    A record contributes ``w`` to every month end ``m`` with ``lo <= m < hi`` (day ordinals);
    ``cumsum`` over months turns the differences into balances.
    """

    def __init__(self, month_ends: np.ndarray, first_day: int, n_groups: int):
        self.me = month_ends
        self.first_day = first_day
        self.T = len(month_ends)
        self.G = n_groups
        self._state: dict[str, np.ndarray] = {}
        self._flow: dict[str, np.ndarray] = {}
        # lookup table day → index of the first month end on or after that day (what
        # np.searchsorted(me, day, "left") gives), much faster than a binary search per row;
        # it covers _LUT_MARGIN days around the grid, days further away are clipped
        self._base = int(month_ends[0]) - _LUT_MARGIN
        span = int(month_ends[-1]) + _LUT_MARGIN - self._base
        self._lut = np.searchsorted(month_ends, self._base + np.arange(span + 1),
                                    side="left").astype("int32")
        self._lo = self._base
        self._hi = self._base + span

    def index(self, day: np.ndarray) -> np.ndarray:
        day = np.asarray(day, dtype="int64")
        if len(day) and (day.min() < self._lo or day.max() > self._hi):
            day = np.clip(day, self._lo, self._hi)
        return np.take(self._lut, day - self._base)

    def interval(self, name: str, g: np.ndarray, w: np.ndarray, lo: np.ndarray,
                 hi: np.ndarray | None = None) -> None:
        self.intervals((name,), g, (w,), lo, hi)

    def intervals(self, names, g: np.ndarray, weights, lo: np.ndarray,
                  hi: np.ndarray | None = None) -> None:
        """:meth:`interval` for several amounts held on the same days: the month-end cells of
        ``lo`` and ``hi`` are looked up once for all of them."""
        self.intervals_at(names, g, weights, self.index(lo),
                          None if hi is None else self.index(hi))

    def intervals_at(self, names, g: np.ndarray, weights, lo_i: np.ndarray,
                     hi_i: np.ndarray | None = None) -> None:
        """:meth:`intervals` with the month-end cells given (``index`` of the days)."""
        t1 = self.T + 1
        lo_cell = self._cell(g, lo_i, t1)
        if hi_i is None:
            for name, w in zip(names, weights, strict=True):
                acc = self._state.setdefault(name, np.zeros(self.G * t1))
                acc += np.bincount(lo_cell, weights=w, minlength=self.G * t1)
            return
        live = lo_i < hi_i
        hi_cell = self._cell(g, hi_i, t1)
        for name, w in zip(names, weights, strict=True):
            acc = self._state.setdefault(name, np.zeros(self.G * t1))
            w = np.where(live, w, 0.0)
            acc += np.bincount(lo_cell, weights=w, minlength=self.G * t1)
            acc -= np.bincount(hi_cell, weights=w, minlength=self.G * t1)

    def _cell(self, g: np.ndarray, idx: np.ndarray, width: int) -> np.ndarray:
        return idx if self.G == 1 else g * width + idx

    def flow(self, name: str, g: np.ndarray, w: np.ndarray, day: np.ndarray) -> None:
        acc = self._flow.setdefault(name, np.zeros(self.G * self.T))
        idx = self.index(day)
        ok = (day >= self.first_day) & (idx < self.T)
        acc += np.bincount(self._cell(g, np.minimum(idx, self.T - 1), self.T),
                           weights=np.where(ok, w, 0.0), minlength=self.G * self.T)

    def state(self, name: str) -> np.ndarray:
        acc = self._state.get(name)
        if acc is None:
            return np.zeros((self.G, self.T))
        return np.cumsum(acc.reshape(self.G, self.T + 1), axis=1)[:, : self.T]

    def flows(self, name: str) -> np.ndarray:
        acc = self._flow.get(name)
        return np.zeros((self.G, self.T)) if acc is None else acc.reshape(self.G, self.T)


def _require_dates(df: pd.DataFrame, table: str, col: str, *, allow_missing: bool = False,
                   fix: str = "") -> np.ndarray:
    s = df[col]
    if not pd.api.types.is_datetime64_any_dtype(s):
        raise InputError(f"{table}.{col}", "datetime64 dates", str(s.dtype),
                         "read the table with creditlab.io.read_table or pd.to_datetime")
    if not allow_missing and s.isna().any():
        raise InputError(f"{table}.{col}", "a date on every row",
                         f"{int(s.isna().sum())} empty", fix or "fill the missing dates")
    return _days(s)


def _month_or_date(value, name: str, last_day: bool = False) -> pd.Timestamp:
    """A date (see ``creditlab._checks.as_date``) or a month ``"2025-01"``: its first day, or
    with ``last_day`` its last (``end="2025-12"`` means the December month end, not the 1st)."""
    if isinstance(value, str) and re.fullmatch(r"\s*\d{4}-\d{1,2}\s*", value):
        first = _as_of(value.strip() + "-01", name)
        return first + pd.offsets.MonthEnd(0) if last_day else first
    return _as_of(value, name)


def _month_grid(start, end, months_before: int) -> tuple[np.ndarray, pd.DatetimeIndex, int]:
    """Month ends from ``months_before`` months before ``start`` to ``end`` (day ordinals)."""
    s = _month_or_date(start, "start")
    e = _month_or_date(end, "end", last_day=True)
    if e < s:
        raise InputError("end", f"a date on or after start ({s.date()})", str(e.date()),
                         "swap start and end")
    first = s.to_period("M") - months_before
    periods = pd.period_range(first, e.to_period("M"), freq="M")
    ends = periods.to_timestamp(how="end").normalize()
    ends = ends[:-1].append(pd.DatetimeIndex([e]))  # the last point is `end` itself
    return _days(pd.Series(ends)), ends, int(_days(pd.Series([first.to_timestamp()]))[0])


def _codes(keys: pd.Series, index: pd.Index, table: str) -> np.ndarray:
    codes = index.get_indexer(keys)
    if (codes < 0).any():
        missing = pd.unique(keys[codes < 0])[:5]
        raise InputError(f"{table}.customer_id", "customers present in the customers table",
                         list(missing), "add the missing customers to customers")
    return codes


def _classify(acc: _Accumulator, g: np.ndarray, w: np.ndarray, lo: np.ndarray,
              hi: np.ndarray | None, issue: np.ndarray, due: np.ndarray,
              is_invoice: np.ndarray) -> None:
    """Age a signed amount held by documents (issue, due) on the days [lo, hi) (hi None =
    forever, and never before the document's issue date): current / over 90 days / past-due
    invoices (and their due-date weights for the amount-weighted days past due)."""
    lo = np.maximum(lo, issue)
    cur_hi = due + 1 if hi is None else np.minimum(hi, due + 1)
    acc.interval("current", g, w, lo, cur_hi)
    acc.interval("over90", g, w, np.maximum(lo, due + 91), hi)
    w_inv = np.where(is_invoice, w, 0.0)
    acc.intervals(("pd_inv", "pd_inv_due"), g, (w_inv, w_inv * due), np.maximum(lo, due + 1), hi)


def _classify_held(acc: _Accumulator, g: np.ndarray, w: np.ndarray, lo: np.ndarray,
                   issue: np.ndarray, due: np.ndarray, is_invoice: np.ndarray) -> None:
    """:func:`_classify` for amounts held from ``lo`` on (``hi`` None: documents, payments).

    The month-end cell of a day is monotone in the day, so every bound of ``_classify`` is the
    maximum of three cells: of ``max(lo, issue)``, ``due + 1`` and ``due + 91``. When few
    (group, cells, invoice) combinations exist (no grouping: about 10^5 against ten million
    rows), the amounts are first summed per combination in one ``bincount`` pass and the
    intervals placed for the combinations only: the same sums, added in another order.
    """
    lo_i = acc.index(lo)  # int32 cells: few temporaries of ten million rows
    np.maximum(lo_i, acc.index(issue), out=lo_i)
    d1, d91 = acc.index(due + 1), acc.index(due + 91)
    w_due = np.where(is_invoice, w * due, 0.0)
    t1 = acc.T + 1
    cells = acc.G * t1 ** 3 * 2
    if cells <= 4_000_000 and 4 * cells < len(w):
        key = g * t1 if acc.G > 1 else np.zeros(len(w), dtype=np.int64)
        for part in (lo_i, d1, d91):
            key += part
            key *= t1 if part is not d91 else 2
        key += is_invoice
        del lo_i, d1, d91
        k_w = np.bincount(key, weights=w, minlength=cells)
        k_due = np.bincount(key, weights=w_due, minlength=cells)
        del key
        key = np.flatnonzero((k_w != 0) | (k_due != 0))
        w, w_due = k_w[key], k_due[key]
        is_invoice, key = (key % 2).astype(bool), key // 2
        d91, key = key % t1, key // t1
        d1, key = key % t1, key // t1
        lo_i, g = key % t1, key // t1
    acc.intervals_at(("current",), g, (w,), lo_i, d1)
    acc.intervals_at(("over90",), g, (w,), np.maximum(lo_i, d91))
    acc.intervals_at(("pd_inv", "pd_inv_due"), g, (np.where(is_invoice, w, 0.0), w_due),
                     np.maximum(lo_i, d1))


_FOREVER = np.iinfo("int64").max // 4


def _netting(rel_idx: np.ndarray, is_invoice: np.ndarray, amt: np.ndarray, issue: np.ndarray,
             alloc_idx: np.ndarray, pay_amt: np.ndarray, pay_day: np.ndarray):
    """Credit notes netted against the invoice they correct, as step functions of time.

    Same rule as ``creditlab.receivables.open_items``: at a date, a credit note (issued) naming
    an invoice of the ledger (issued) is netted against it up to the invoice's open amount after
    payments, several credit notes in issue-date order; the credit note's own open credit
    (after refunds) is what it can give. The netted amount changes only on the issue dates and
    the payment dates of the documents involved, so it is computed at those events and held
    until the next one. Returns ``(cn, inv, netted, from_day, to_day)`` arrays or None.
    """
    k = np.flatnonzero(rel_idx >= 0)
    k = k[is_invoice[rel_idx[k]]]
    if not len(k):
        return None
    r = rel_idx[k]
    docs = np.union1d(r, k)
    on = np.flatnonzero(np.isin(alloc_idx, docs))
    # cumulative cash allocated to each involved document, by day
    cash = (pd.DataFrame({"doc": alloc_idx[on], "day": pay_day[on], "p": pay_amt[on]})
            .groupby(["doc", "day"], as_index=False)["p"].sum().sort_values(["doc", "day"]))
    cash["cum"] = cash.groupby("doc")["p"].cumsum()
    group_of = pd.Series(r, index=k)
    ev_days = [pd.DataFrame({"r": r, "day": issue[k]}),
               pd.DataFrame({"r": np.unique(r), "day": issue[np.unique(r)]})]
    if len(cash):
        on_doc = cash["doc"].to_numpy()
        is_cn = np.isin(on_doc, k)
        owner = np.where(is_cn, group_of.reindex(on_doc).fillna(-1).to_numpy(dtype="int64"),
                         on_doc)
        ev_days.append(pd.DataFrame({"r": owner, "day": cash["day"].to_numpy()}))
    ev = pd.concat(ev_days).drop_duplicates().sort_values(["r", "day"])
    ev["next"] = ev.groupby("r")["day"].shift(-1).fillna(_FOREVER).astype("int64")
    x = ev.merge(pd.DataFrame({"r": r, "k": k, "k_issue": issue[k]}), on="r")

    def paid_at(doc_col: str) -> np.ndarray:
        if not len(cash):
            return np.zeros(len(x))
        left = x[[doc_col, "day"]].rename(columns={doc_col: "doc"}).reset_index()
        left = left.sort_values("day")
        m = pd.merge_asof(left, cash[["doc", "day", "cum"]].sort_values("day"), on="day",
                          by="doc", direction="backward")
        return m.set_index("index")["cum"].reindex(x.index).fillna(0.0).to_numpy()

    day = x["day"].to_numpy()
    rr = x["r"].to_numpy()
    kk = x["k"].to_numpy()
    cap = np.where(issue[rr] <= day, np.maximum(amt[rr] - paid_at("r"), 0.0), 0.0)
    avail = np.where(issue[kk] <= day, np.maximum(-(amt[kk] - paid_at("k")), 0.0), 0.0)
    x = x.assign(cap=cap, avail=avail).sort_values(["r", "day", "k_issue", "k"])
    r_s, d_s = x["r"].to_numpy(), x["day"].to_numpy()
    starts = np.r_[True, (r_s[1:] != r_s[:-1]) | (d_s[1:] != d_s[:-1])] if len(x) else \
        np.zeros(0, dtype=bool)
    netted = _netted(starts, x["avail"].to_numpy(), x["cap"].to_numpy())
    keep = netted > 0
    return (x["k"].to_numpy()[keep], x["r"].to_numpy()[keep], netted[keep],
            x["day"].to_numpy()[keep], x["next"].to_numpy()[keep])



def _customer_rows(table: pd.DataFrame, name: str, labels: pd.Index, by: str | None,
                   group_of, cust_table, invoices: pd.DataFrame, payments: pd.DataFrame,
                   fix: str, unknown_fix: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Checked per-customer movements (write-offs, allowances): (group code, amount HT, day).

    Columns ``customer_id, date, amount_ht``; every amount numeric and present, every customer
    filled and known (to the ledger, or to the customers table for a customer attribute ``by``).
    """
    _check_columns(table, name, _WRITE_OFF_COLS, fix)
    day = _require_dates(table, name, "date")
    raw = table["amount_ht"]
    if raw.dtype == bool or not pd.api.types.is_numeric_dtype(raw):
        raise InputError(f"{name}.amount_ht", "numeric amounts in euros, excl. VAT",
                         f"a column of dtype {raw.dtype}", "convert with pd.to_numeric(...)")
    amount = raw.to_numpy(dtype="float64")
    if np.isnan(amount).any():
        raise InputError(f"{name}.amount_ht", "an amount on every row",
                         f"{int(np.isnan(amount).sum())} empty", "fill the amounts")
    cust = table["customer_id"]
    if cust.isna().any():
        raise InputError(f"{name}.customer_id", "a customer on every row",
                         f"{int(cust.isna().sum())} empty",
                         "amounts are booked per customer: fill customer_id")
    if by is not None and by != "customer_id":
        g = group_of[_codes(cust, pd.Index(cust_table["customer_id"]), name)]
    else:
        known = pd.Index(pd.unique(pd.concat([invoices["customer_id"], payments["customer_id"]],
                                             ignore_index=True)))
        if by is None and cust_table is not None:
            known = known.append(pd.Index(cust_table["customer_id"])).unique()
        pos = known.get_indexer(cust)
        if (pos < 0).any():
            raise InputError(f"{name}.customer_id", "customers of the ledger",
                             pd.unique(cust[pos < 0])[:5].tolist(), unknown_fix)
        g = (np.zeros(len(cust), dtype="int64") if by is None
             else labels.get_indexer(cust))
    return np.asarray(g, dtype="int64"), amount, day


def _allowance_rows(allowances: pd.DataFrame, labels: pd.Index, by: str | None,
                    group_of, cust_table, invoices: pd.DataFrame,
                    payments: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Checked allowance movements: (group code, amount HT, day) arrays.

    Checked as the write-offs (:func:`_customer_rows`); each customer's balance must also stay
    >= 0 at every date.
    """
    g, amount, day = _customer_rows(
        allowances, "allowances", labels, by, group_of, cust_table, invoices, payments,
        "pass a table customer_id, date, amount_ht (dotation > 0, reprise < 0), one row per "
        "movement of the customer's allowance (compte 491)",
        "an allowance covers a receivable: check the customer numbers")
    cust = allowances["customer_id"]
    # balance of each customer after each booking day (same-day movements netted first)
    frame = pd.DataFrame({"c": cust.to_numpy(), "d": day, "a": amount}).sort_values(
        "d", kind="stable")
    daily = frame.groupby(["c", "d"], sort=False)["a"].sum()
    balance = daily.groupby(level=0, sort=False).cumsum()
    below = balance[balance < -0.005].rename("balance").reset_index()
    if len(below):
        first = below.sort_values("d", kind="stable").iloc[0]  # the earliest date
        when = pd.Timestamp(int(first["d"]), unit="D").date()
        raise InputError("allowances.amount_ht",
                         "an allowance balance >= 0 for every customer at every date",
                         f"{first['balance']:.2f} for customer {first['c']!r} on {when}",
                         "releases (reprises, < 0) cannot exceed the allowance booked before: "
                         "check the signs (dotation > 0) and the dates")
    return g, amount, day


def _open_ht(acc: _Accumulator, records: list, inv_g: np.ndarray, amt: np.ndarray,
             amt_ht: np.ndarray) -> None:
    """Open amount TTC and its HT equivalent of the documents with an HT amount.

    ``records`` as in :func:`_add_disputes`: everything that makes up a document's open amount,
    each weighted by its document's own ``amount_ht / amount_ttc``.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = amt_ht / amt
    ok = np.isfinite(rate) & (amt != 0)
    for doc, w, lo, hi in records:  # a handful of record kinds, not rows
        sel = ok[doc]
        if not sel.any():
            continue
        d = doc[sel]
        h = None if hi is None else hi[sel]
        acc.interval("open_doc", inv_g[d], w[sel], lo[sel], h)
        acc.interval("open_doc_ht", inv_g[d], w[sel] * rate[d], lo[sel], h)


def _add_disputes(acc: _Accumulator, disputes: pd.DataFrame, d_idx: np.ndarray,
                  inv_g: np.ndarray, issue: np.ndarray, records: list) -> None:
    """Open amount of disputed documents while their dispute is open; disputes opened per month.

    ``records`` are ``(doc, amount, from_day, to_day)`` arrays of everything that makes up a
    document's open amount (the document, its payments, credit-note netting); each counts while
    the document's dispute is open. Overlapping disputes on one document are merged. ``d_idx``
    is the ledger's match of each dispute to its document (-1: blank or unknown, ignored).
    """
    _check_columns(disputes, "disputes", ("invoice_id", "opened_date", "closed_date",
                                          "amount_ttc"), "pass the canonical disputes table")
    o = _require_dates(disputes, "disputes", "opened_date")
    c_raw = _require_dates(disputes, "disputes", "closed_date", allow_missing=True)
    c = np.where(disputes["closed_date"].isna().to_numpy(), _FOREVER, c_raw)
    known = d_idx >= 0  # disputes on documents absent from the ledger are ignored
    acc.flow("disputes_opened", inv_g[d_idx[known]],
             disputes["amount_ttc"].to_numpy(dtype="float64")[known], o[known])
    frame = pd.DataFrame({"inv": d_idx[known], "o": o[known], "c": c[known]})
    frame = frame.sort_values(["inv", "o"])
    prev_end = frame.groupby("inv")["c"].cummax().groupby(frame["inv"]).shift(1)
    frame["block"] = (prev_end.isna() | (frame["o"] > prev_end)).cumsum()
    blocks = frame.groupby("block").agg(inv=("inv", "first"), o=("o", "min"), c=("c", "max"))
    if not len(blocks):
        return
    b = pd.DataFrame({"doc": blocks["inv"].to_numpy(), "o": blocks["o"].to_numpy(),
                      "c": blocks["c"].to_numpy()})
    disputed_docs = b["doc"].unique()
    for doc, w, lo, hi in records:
        sel = np.flatnonzero(np.isin(doc, disputed_docs))
        if not len(sel):
            continue
        rec = pd.DataFrame({"doc": doc[sel], "w": w[sel], "lo": lo[sel],
                            "hi": _FOREVER if hi is None else hi[sel]})
        m = rec.merge(b, on="doc")
        dd = m["doc"].to_numpy()
        start = np.maximum.reduce([m["lo"].to_numpy(), m["o"].to_numpy(), issue[dd]])
        stop = np.minimum(m["hi"].to_numpy(), m["c"].to_numpy())
        acc.interval("disputed", inv_g[dd], m["w"].to_numpy(), start, stop)


def _limit_columns(cust_table, lim, group_of, labels, by, invoices, payments, issue, amt,
                   alloc_idx, pay_amt, pay_day, me_out, G):
    """Per-customer receivables at the output month ends vs their current credit limit."""
    cust_index = pd.Index(cust_table["customer_id"])
    C = len(cust_index)
    inv_c = _codes(invoices["customer_id"], cust_index, "invoices")
    pay_c = _codes(payments["customer_id"], cust_index, "payments")
    pay_c = np.where(alloc_idx >= 0, inv_c[np.maximum(alloc_idx, 0)], pay_c)
    per = _Accumulator(me_out, 0, C)
    per.interval("total", inv_c, amt, issue)
    per.interval("total", pay_c, -pay_amt, pay_day)
    rec = per.state("total")  # (C, T_out)
    if by is None:
        cg = np.zeros(C, dtype="int64")
    elif by == "customer_id":
        cg = labels.get_indexer(cust_index)
    else:
        cg = np.asarray(group_of, dtype="int64")
    keep = cg >= 0  # customers without ledger rows when by == "customer_id"
    has_limit = np.isfinite(lim) & (lim > 0)
    over = (np.isfinite(lim)[:, None] & (rec > np.nan_to_num(lim)[:, None] + 0.005))
    used = np.where(has_limit[:, None], np.maximum(rec, 0.0), 0.0)
    t_out = rec.shape[1]

    def by_group(values: np.ndarray) -> np.ndarray:
        out = np.zeros((G, values.shape[1] if values.ndim == 2 else 1))
        np.add.at(out, cg[keep], values[keep] if values.ndim == 2 else values[keep, None])
        return out

    lim_total = by_group(np.where(has_limit, lim, 0.0))[:, 0]
    return {
        "credit_limit_total": np.repeat(lim_total[:, None], t_out, axis=1),
        "used": by_group(used),
        "n_over_limit": by_group(over.astype("float64")),
    }


def _assemble(acc, me, ends, offset, labels, by, has_ht, has_disputes, has_wo, limits,
              dso_months, countback_months, first_issue_day, has_allow=False) -> pd.DataFrame:
    T = len(me)
    G = len(labels)
    out_t = np.arange(offset, T)
    days = np.diff(np.concatenate([[me[0] - pd.Timestamp(ends[0]).day], me])).astype("float64")

    total = acc.state("total")
    current = acc.state("current")
    over90 = acc.state("over90")
    pd_inv = acc.state("pd_inv")
    pd_inv_due = acc.state("pd_inv_due")
    sales = acc.flows("sales")
    sales_cum = np.concatenate([np.zeros((G, 1)), np.cumsum(sales, axis=1)], axis=1)
    days_cum = np.concatenate([[0.0], np.cumsum(days)])

    def window(cum, t, n):
        return cum[..., t + 1] - cum[..., t + 1 - n]

    R = total[:, out_t]
    C = current[:, out_t]
    S_w = window(sales_cum, out_t, dso_months)
    D_w = window(days_cum, out_t, dso_months)
    notes: list[tuple[str, np.ndarray]] = []

    eps = 0.005  # half a cent: balances below it are zero
    R_ = np.where(np.abs(R) < eps, 0.0, R)
    credit = R_ < 0
    no_sales = ~(S_w > eps)
    with np.errstate(divide="ignore", invalid="ignore"):
        valid = ~credit & ~no_sales
        dso = np.where(valid, R_ * D_w / S_w, np.nan)
        best = np.where(valid, C * D_w / S_w, np.nan)
    notes += [("credit_balance", credit), ("no_sales", no_sales & ~credit)]

    # countback: L months back from each output month
    L = countback_months
    lag_idx = out_t[:, None] - np.arange(L)[None, :]  # (T_out, L), >= 0 by construction
    sales_rev = sales[:, lag_idx].reshape(G * len(out_t), L)
    days_rev = np.broadcast_to(days[lag_idx][None], (G, len(out_t), L)).reshape(-1, L)
    cb, exhausted = _countback_core(np.where(credit, 0.0, R_).ravel(), sales_rev, days_rev)
    cb = cb.reshape(G, -1)
    cb = np.where(credit, np.nan, cb)
    notes.append(("countback_exhausted", exhausted.reshape(G, -1) & ~credit))

    # CEI, monthly and CRF annual form
    B1 = total[:, out_t - 1]
    S1 = sales[:, out_t]
    B12 = total[:, out_t - 12]
    S12 = window(sales_cum, out_t, 12)
    with np.errstate(divide="ignore", invalid="ignore"):
        den1 = B1 + S1 - C
        cei_m = np.where(den1 > eps, (B1 + S1 - R) / den1, np.nan)
        den12 = B12 + S12 / 12.0 - C
        cei_y = np.where(den12 > eps, (B12 + S12 / 12.0 - R) / den12, np.nan)
    short = np.zeros_like(R, dtype=bool)
    if first_issue_day is not None:
        start12 = me[out_t - 12] + 1  # first day of the 12-month window
        first_month_start = (pd.Timestamp(first_issue_day, unit="D").to_period("M")
                             .to_timestamp())
        short[:] = (start12 < (first_month_start - pd.Timestamp(0)).days)[None, :]
    cei_y = np.where(short, np.nan, cei_y)
    notes += [("cei_zero_denominator", ~(den1 > eps) | (~(den12 > eps) & ~short)),
              ("no_history_12m", short)]

    no_rec = R_ == 0
    owed = np.where(R_ > 0, R, np.nan)  # shares of a net credit balance are meaningless
    with np.errstate(divide="ignore", invalid="ignore"):
        overdue = (R - C) / owed
        o90 = over90[:, out_t]
        s90 = o90 / owed
        pdi = pd_inv[:, out_t]
        wdpd = np.where(pdi > eps, me[out_t][None, :] - pd_inv_due[:, out_t] / pdi, np.nan)
    notes.append(("no_receivables", no_rec))

    paid = acc.flows("paid")[:, out_t]
    no_pay = ~(np.abs(paid) > eps)
    with np.errstate(divide="ignore", invalid="ignore"):
        dtp = np.where(no_pay, np.nan, acc.flows("paid_days")[:, out_t] / paid)
        late = np.where(no_pay, np.nan, acc.flows("paid_late")[:, out_t] / paid)
    notes.append(("no_payments", no_pay))

    nan = np.full_like(R, np.nan)
    if has_disputes:
        disputed = acc.state("disputed")[:, out_t]
        opened = acc.flows("disputes_opened")[:, out_t]
        with np.errstate(divide="ignore", invalid="ignore"):
            drate = disputed / owed
    else:
        disputed = opened = drate = nan
        notes.append(("no_disputes_table", np.ones_like(no_rec)))

    sales_ht = acc.flows("sales_ht") if has_ht else None
    if has_wo and has_ht:
        wo = acc.flows("write_offs")
        wo_cum = np.concatenate([np.zeros((G, 1)), np.cumsum(wo, axis=1)], axis=1)
        ht_cum = np.concatenate([np.zeros((G, 1)), np.cumsum(sales_ht, axis=1)], axis=1)
        s12_ht = window(ht_cum, out_t, 12)
        with np.errstate(divide="ignore", invalid="ignore"):
            bdr = np.where(s12_ht > eps, window(wo_cum, out_t, 12) / s12_ht, np.nan)
        bdr = np.where(short, np.nan, bdr)
        wo_m = wo[:, out_t]
    else:
        bdr = nan
        wo_m = acc.flows("write_offs")[:, out_t] if has_wo else nan
        notes.append(("no_amount_ht" if has_wo else "no_write_offs", np.ones_like(no_rec)))

    if has_allow:
        allow = acc.state("allowance")[:, out_t]
        allow = np.where(np.abs(allow) < eps, 0.0, allow)
        if has_ht:
            od = acc.state("open_doc")[:, out_t]
            odh = acc.state("open_doc_ht")[:, out_t]
            with np.errstate(divide="ignore", invalid="ignore"):
                rec_ht = np.where(od > eps, owed * odh / od, np.nan)  # NaN: net credit balance
                prov = np.where(rec_ht > eps, allow / rec_ht, np.nan)
            notes.append(("no_amount_ht", (R_ > 0) & ~(rec_ht > eps)))
        else:
            prov = nan
            if not has_wo:   # the write-offs already gave this note
                notes.append(("no_amount_ht", np.ones_like(no_rec)))
    else:
        allow = prov = nan
        notes.append(("no_allowances", np.ones_like(no_rec)))

    if limits is not None:
        lim_total = limits["credit_limit_total"]
        with np.errstate(divide="ignore", invalid="ignore"):
            util = np.where(lim_total > 0, limits["used"] / np.where(lim_total > 0, lim_total,
                                                                     1.0), np.nan)
        n_over = limits["n_over_limit"]
    else:
        lim_total = util = n_over = nan
        notes.append(("no_limits", np.ones_like(no_rec)))

    cols = {
        "receivables_ttc": R, "current_ttc": C, "past_due_ttc": R - C, "over_90_ttc": o90,
        "sales_ttc": S1, "sales_ht": sales_ht[:, out_t] if has_ht else nan,
        "dso_simple": dso, "dso_countback": cb, "bpdso": best, "add": dso - best,
        "cei": cei_m, "cei_12m": cei_y, "overdue_ratio": overdue, "share_over_90": s90,
        "weighted_days_past_due": wdpd, "paid_ttc": paid, "avg_days_to_pay": dtp,
        "avg_days_late": late, "disputed_ttc": disputed, "disputes_opened_ttc": opened,
        "dispute_rate": drate, "write_offs_ht": wo_m, "bad_debt_ratio": bdr,
        "allowance_ht": allow, "provisioning_ratio": prov,
        "credit_limit_total": lim_total, "limit_utilisation": util, "n_over_limit": n_over,
    }
    n_out = len(out_t)
    data = {k: np.asarray(v, dtype="float64").reshape(G * n_out) for k, v in cols.items()}
    note_arr = np.full(G * n_out, "", dtype=object)
    for code, mask in notes:
        m = np.asarray(mask, dtype=bool).reshape(-1)
        note_arr = np.where(m, note_arr + code + ";", note_arr)
    data["notes"] = pd.array([s.rstrip(";") for s in note_arr], dtype="str")
    month_ends = ends[offset:]
    if by is None:
        index = pd.DatetimeIndex(month_ends, name="month_end")
    else:
        index = pd.MultiIndex.from_arrays(
            [np.repeat(labels.to_numpy(), n_out), np.tile(month_ends.to_numpy(), G)],
            names=[by, "month_end"])
    frame = pd.DataFrame(data, index=index)
    if limits is not None:
        frame["n_over_limit"] = frame["n_over_limit"].round()
    return frame[list(HISTORY_COLUMNS)]
