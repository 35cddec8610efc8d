"""The demo ledger: invoices, credit notes, disputes, payments, and the orders backlog."""

from __future__ import annotations

import numpy as np
import pandas as pd

from creditlab._checks import round_cents
from creditlab.legal.terms import due_days
from creditlab.synth._common import (
    _DISPUTE_CAUSES,
    _DISPUTE_P,
    _SEASON,
    _days,
    _ids,
    _month_end,
    _to_dates,
)


# --------------------------------------------------------------------------- ledger
def _ledger(rng, customers, latent, first_event, liquidation_day, start_day, as_of_day,
            invoices_per_customer_month):
    n = len(customers)
    # the export starts at ``start`` but carries the items still open then (opening balance):
    # generate three months earlier and keep the older invoices only if unsettled at ``start``
    gen_start = _days(pd.Timestamp(_to_dates([start_day])[0]) - pd.DateOffset(months=3))
    months = pd.period_range(pd.Timestamp(_to_dates([gen_start])[0]),
                             pd.Timestamp(_to_dates([as_of_day])[0]), freq="M")
    m_start = months.start_time.to_numpy().astype("datetime64[D]").astype("int64")
    m_len = months.days_in_month.to_numpy()
    nm = len(months)
    rate = latent["rate"].to_numpy()
    if invoices_per_customer_month is not None:
        rate = rate / rate.mean() * float(invoices_per_customer_month)
    lam = rate[:, None] * _SEASON[months.month.to_numpy() - 1][None, :]
    since = latent["since"].to_numpy()
    active_start = np.maximum(since, gen_start)
    # after a liquidation nothing is sold; after another proceeding sales drop by half
    lam = np.where(m_start[None, :] + m_len[None, :] <= active_start[:, None], 0.0, lam)
    lam = np.where(m_start[None, :] >= liquidation_day[:, None], 0.0, lam)
    lam = np.where(m_start[None, :] >= first_event[:, None], lam * 0.5, lam)
    counts = rng.poisson(lam)
    cust = np.repeat(np.repeat(np.arange(n), nm), counts.ravel())
    mon = np.repeat(np.tile(np.arange(nm), n), counts.ravel())
    k = cust.size
    issue = m_start[mon] + (rng.random(k) * m_len[mon]).astype("int64")
    ok = (issue >= active_start[cust]) & (issue <= as_of_day) & (issue < liquidation_day[cust])
    cust, issue = cust[ok], issue[ok]
    order = np.lexsort((cust, issue))
    cust, issue = cust[order], issue[order]
    k = cust.size

    terms = customers["payment_terms"].to_numpy().astype("str")[cust]
    due = due_days(issue, terms)
    vat = latent["vat"].to_numpy()[cust]
    ht = round_cents(latent["ticket"].to_numpy()[cust] * np.exp(rng.normal(0, 0.6, k)) + 20)
    ttc = round_cents(ht * (1 + vat))
    year = issue.astype("datetime64[D]").astype("datetime64[Y]").astype("int64") + 1970
    inv_id = _ids("F", year).to_numpy()

    # ---- disputes (raised 5-40 days after issue; causes by frequency)
    dprop = latent["dispute_prop"].to_numpy()[cust]
    disputed = rng.random(k) < 0.035 * dprop
    d_idx = np.flatnonzero(disputed)
    nd = d_idx.size
    opened = issue[d_idx] + rng.integers(5, 41, nd)
    duration = np.round(rng.gamma(2.0, 18.0, nd)).astype("int64") + 3
    closed = opened + duration
    cause = rng.choice(_DISPUTE_CAUSES, size=nd, p=_DISPUTE_P)
    d_amount = round_cents(ttc[d_idx] * np.where(rng.random(nd) < 0.35, 1.0,
                                                  rng.uniform(0.05, 0.6, nd)))
    keep_d = opened <= as_of_day
    settle_cn = keep_d & (closed <= as_of_day) & np.isin(cause, ["price", "quantity", "quality"]) \
        & (rng.random(nd) < 0.6)

    # ---- credit notes: dispute settlements and ordinary returns / gestures
    other_cn = (~disputed) & (rng.random(k) < 0.015)
    o_idx = np.flatnonzero(other_cn)
    o_issue = issue[o_idx] + rng.integers(4, 35, o_idx.size)
    o_amount = -round_cents(ttc[o_idx] * np.where(rng.random(o_idx.size) < 0.3, 1.0,
                                                   rng.uniform(0.05, 0.5, o_idx.size)))
    cn_rel = np.r_[d_idx[settle_cn], o_idx]
    cn_issue = np.r_[closed[settle_cn], o_issue]
    cn_ttc = np.r_[-d_amount[settle_cn], o_amount]
    live_cn = (cn_issue <= as_of_day) & (cn_issue < liquidation_day[cust[cn_rel]])
    cn_rel, cn_issue, cn_ttc = cn_rel[live_cn], cn_issue[live_cn], cn_ttc[live_cn]
    cn_vat = vat[cn_rel]
    cn_ht = round_cents(cn_ttc / (1 + cn_vat))
    # credit already granted against each invoice (before its payment, see below)
    cn_year = cn_issue.astype("datetime64[D]").astype("datetime64[Y]").astype("int64") + 1970

    # ---- payments
    h = latent["health"].to_numpy()
    tr = latent["trend"].to_numpy()
    habit = latent["habit"].to_numpy()
    years_from_2024 = (issue - _days(pd.Timestamp("2024-07-01"))) / 365.25
    h_t = h[cust] + tr[cust] * years_from_2024
    mu = 2.0 + 7.0 * np.clip(-h_t, -1.5, 4) + 6.5 * habit[cust]
    late = mu + rng.normal(0, 5, k) + rng.gamma(1.2, 4.0, k)
    # drift towards failure: much later in the 9 months before the judgment
    to_event = first_event[cust] - due
    late = late + np.where((to_event >= 0) & (to_event < 270), (270 - to_event) * 0.25, 0)
    late = np.clip(np.round(late), -12, None).astype("int64")
    method = latent["method"].to_numpy().astype("str")[cust]
    lcr = method == "lcr"
    bounced = lcr & (rng.random(k) < 0.03)
    late = np.where(lcr & ~bounced, 0, late)
    late = np.where(bounced, rng.integers(10, 45, k), late)
    cash_terms = terms == "cash"
    late = np.where(cash_terms, np.maximum(late // 3, 0), late)
    pay_day = due + late
    # payment runs: some customers pay on the 10th, the 25th or at month end
    run = latent["run_day"].to_numpy()[cust]
    dom = pay_day - pay_day.astype("datetime64[D]").astype("datetime64[M]").astype(
        "datetime64[D]").astype("int64") + 1
    mstart = pay_day - dom + 1
    next_mstart = _month_end(pay_day) + 1
    run_eff = np.where(run == 31, _month_end(pay_day) - mstart + 1, run)
    snapped = np.where(dom <= run_eff, mstart + run_eff - 1,
                       np.where(run == 31, _month_end(next_mstart), next_mstart + run - 1))
    pay_day = np.where((run > 0) & ~lcr, snapped, pay_day)
    # disputes: paid after the settlement; open disputes block payment
    dispute_close = np.full(k, -1, dtype="int64")
    dispute_close[d_idx[keep_d]] = closed[keep_d]
    pay_day = np.where(dispute_close >= 0, np.maximum(pay_day, dispute_close
                                                      + rng.integers(3, 20, k)), pay_day)
    # a few recent invoices slip through (not paid by the as-of date, nobody chased them yet)
    forgotten = (rng.random(k) < 0.01) & (due > as_of_day - 150)
    pay_day = np.where(forgotten, as_of_day + 10_000, pay_day)
    # gel du passif: invoices not paid at the judgment stay unpaid
    pay_day = np.where(pay_day >= first_event[cust], as_of_day + 10_000, pay_day)

    credit = np.bincount(cn_rel[cn_issue <= pay_day[cn_rel]], minlength=k,
                         weights=-cn_ttc[cn_issue <= pay_day[cn_rel]])
    due_cash = round_cents(np.maximum(ttc - credit, 0.0))
    partial = (rng.random(k) < 0.05) & (due_cash > 100)
    first_share = np.where(partial, rng.uniform(0.3, 0.8, k), 1.0)
    first_amt = round_cents(due_cash * first_share)
    second_amt = round_cents(due_cash - first_amt)
    second_day = pay_day + rng.integers(15, 60, k)
    second_day = np.where(second_day >= first_event[cust], as_of_day + 10_000, second_day)

    p_inv = np.r_[np.arange(k), np.flatnonzero(partial)]
    p_day = np.r_[pay_day, second_day[partial]]
    p_amt = np.r_[first_amt, second_amt[partial]]
    settled = np.where(partial, second_day, pay_day)
    exported = (issue >= start_day) | (settled >= start_day)
    live = (p_day <= as_of_day) & (p_amt > 0) & exported[p_inv]
    p_inv, p_day, p_amt = p_inv[live], p_day[live], p_amt[live]
    p_cust = cust[p_inv]
    # one transfer per customer and day settles several invoices (shared payment_id)
    order = np.lexsort((p_inv, p_cust, p_day))
    p_inv, p_day, p_amt, p_cust = p_inv[order], p_day[order], p_amt[order], p_cust[order]
    new_tx = np.r_[True, (np.diff(p_day) != 0) | (np.diff(p_cust) != 0)]
    tx = np.cumsum(new_tx) - 1
    tx_day = p_day[new_tx]
    tx_year = tx_day.astype("datetime64[D]").astype("datetime64[Y]").astype("int64") + 1970
    tx_id = _ids("R", tx_year).to_numpy()
    # ~1.5 % of the last two months' transfers arrive without remittance advice: cash on account
    tx_unalloc = (rng.random(tx_day.size) < 0.015) & (tx_day > as_of_day - 60)
    line_invoice = np.where(tx_unalloc[tx], None, inv_id[p_inv])
    tx_method = method[p_inv][new_tx]

    pay_year = year  # noqa: F841 (kept for readability)
    cid = customers["customer_id"].to_numpy().astype("str")
    payments = pd.DataFrame({
        "payment_id": tx_id[tx],
        "customer_id": cid[p_cust],
        "payment_date": _to_dates(p_day),
        "amount": p_amt,
        "invoice_id": pd.array(line_invoice, dtype="str"),
        "method": tx_method[tx],
    })
    # unallocated lines of one transfer collapse into one line (one amount on account)
    un = payments["invoice_id"].isna()
    if un.any():
        agg = (payments[un].groupby(["payment_id", "customer_id", "payment_date", "method"],
                                    as_index=False, sort=False)["amount"].sum())
        agg["invoice_id"] = pd.array([None] * len(agg), dtype="str")
        agg["amount"] = round_cents(agg["amount"].to_numpy())
        payments = pd.concat([payments[~un], agg[payments.columns]], ignore_index=True)
        payments = payments.sort_values(["payment_date", "payment_id"], kind="stable",
                                        ignore_index=True)

    # ---- invoices table (invoices then credit notes, sorted by date)
    disputed_now = np.zeros(k, dtype=bool)
    open_now = keep_d & (closed > as_of_day)
    disputed_now[d_idx[open_now]] = True
    cause_now = np.full(k, None, dtype=object)
    cause_now[d_idx[open_now]] = cause[open_now]
    cn_id = _ids("A", cn_year).to_numpy()
    docs = pd.DataFrame({
        "invoice_id": np.r_[inv_id, cn_id],
        "customer_id": cid[np.r_[cust, cust[cn_rel]]],
        "doc_type": np.r_[np.full(k, "invoice"), np.full(cn_rel.size, "credit_note")],
        "issue_date": _to_dates(np.r_[issue, cn_issue]),
        "due_date": _to_dates(np.r_[due, cn_issue]),
        "amount_ttc": np.r_[ttc, cn_ttc],
        "amount_ht": np.r_[ht, cn_ht],
        "currency": "EUR",
        "related_invoice_id": pd.array(np.r_[np.full(k, None, dtype=object), inv_id[cn_rel]],
                                       dtype="str"),
        "disputed": np.r_[disputed_now, np.zeros(cn_rel.size, dtype=bool)],
        "dispute_cause": pd.array(np.r_[cause_now, np.full(cn_rel.size, None, dtype=object)],
                                  dtype="str"),
    })
    docs = docs[np.r_[exported, exported[cn_rel]]]
    docs = docs.sort_values(["issue_date", "invoice_id"], kind="stable", ignore_index=True)

    dis_year = opened.astype("datetime64[D]").astype("datetime64[Y]").astype("int64") + 1970
    disputes = pd.DataFrame({
        "dispute_id": _ids("L", dis_year, width=5).to_numpy(),
        "invoice_id": inv_id[d_idx],
        "customer_id": cid[cust[d_idx]],
        "opened_date": _to_dates(opened),
        "closed_date": _to_dates(np.where(closed <= as_of_day, closed, np.iinfo("int64").min)),
        "cause": cause,
        "amount_ttc": d_amount,
    })[keep_d & exported[d_idx]].sort_values(["opened_date", "dispute_id"], kind="stable", ignore_index=True)
    return docs, payments, disputes


def _orders(rng, customers, latent, liquidation_day, as_of_day):
    """The backlog at the as-of date: accepted orders and shipped goods not yet invoiced."""
    n = len(customers)
    active = liquidation_day > as_of_day
    lam = latent["rate"].to_numpy() * np.where(active, 1.0, 0.0)
    n_acc = rng.poisson(lam * 0.7)
    n_ship = rng.poisson(lam * 0.2)
    cust = np.r_[np.repeat(np.arange(n), n_acc), np.repeat(np.arange(n), n_ship)]
    status = np.r_[np.full(n_acc.sum(), "accepted"), np.full(n_ship.sum(), "shipped")]
    k = cust.size
    order_day = as_of_day - rng.integers(0, 45, k)
    ship_day = np.where(status == "shipped", np.minimum(order_day + rng.integers(1, 10, k),
                                                        as_of_day), np.iinfo("int64").min)
    order_day = np.where(status == "shipped", np.minimum(order_day, ship_day), order_day)
    vat = latent["vat"].to_numpy()[cust]
    amount = round_cents(latent["ticket"].to_numpy()[cust] * np.exp(rng.normal(0, 0.6, k))
                          * (1 + vat) * 1.3)
    order = np.lexsort((cust, order_day))
    year = order_day[order].astype("datetime64[D]").astype("datetime64[Y]").astype("int64") + 1970
    return pd.DataFrame({
        "order_id": _ids("CDE", year, width=6).to_numpy(),
        "customer_id": customers["customer_id"].to_numpy().astype("str")[cust[order]],
        "order_date": _to_dates(order_day[order]),
        "amount_ttc": amount[order],
        "status": status[order],
        "ship_date": _to_dates(ship_day[order]),
    })
