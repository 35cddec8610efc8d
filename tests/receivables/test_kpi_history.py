"""kpi_history: independent recomputation (brute force per month and on the demo ledger),
properties (hypothesis) and bad inputs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import ledgers

from creditlab.exceptions import InputError
from creditlab.receivables import kpi
from creditlab.receivables.kpi import kpi_history


# ------------------------------------------------------------------ a random ledger
def make_ledger(seed: int = 0, n: int = 250):
    rng = np.random.default_rng(seed)
    issue = pd.Timestamp("2023-06-01") + pd.to_timedelta(rng.integers(0, 900, n), "D")
    due = issue + pd.to_timedelta(rng.choice([0, 30, 45, 60], n), "D")
    amt = rng.uniform(100, 5000, n).round(2)
    cn = rng.random(n) < 0.1
    amt = np.where(cn, -(amt / 4).round(2), amt)
    cust = rng.choice(["A", "B", "C", "D"], n)
    inv = pd.DataFrame({
        "invoice_id": [f"F{i:04d}" for i in range(n)], "customer_id": cust,
        "doc_type": np.where(cn, "credit_note", "invoice"), "issue_date": issue,
        "due_date": due, "amount_ttc": amt, "amount_ht": (amt / 1.2).round(2)})
    rows = []
    for i in np.flatnonzero(~cn & (rng.random(n) > 0.2)):
        k = int(rng.integers(1, 3))
        for j in range(k):
            rows.append((f"P{i}_{j}", cust[i],
                         issue[i] + pd.Timedelta(days=int(rng.integers(-5, 150))),
                         round(amt[i] / k, 2), f"F{i:04d}"))
    for j in range(15):
        rows.append((f"U{j}", str(rng.choice(["A", "B", "C", "D"])),
                     pd.Timestamp("2023-06-01") + pd.Timedelta(days=int(rng.integers(0, 900))),
                     float(rng.uniform(50, 500)), None))
    pay = pd.DataFrame(rows, columns=["payment_id", "customer_id", "payment_date", "amount",
                                      "invoice_id"])
    pay["invoice_id"] = pay["invoice_id"].astype("str")
    customers = pd.DataFrame({"customer_id": ["A", "B", "C", "D"],
                              "segment": ["PME", "PME", "GC", "GC"],
                              "credit_limit": [20_000.0, 5_000.0, np.nan, 0.0]})
    disputes = pd.DataFrame({
        "dispute_id": ["L1", "L2", "L3", "L4"],
        "invoice_id": ["F0003", "F0010", "F0010", "F0020"],
        "customer_id": [cust[3], cust[10], cust[10], cust[20]],
        "opened_date": pd.to_datetime(["2024-03-10", "2024-05-01", "2024-06-15", "2024-01-01"]),
        "closed_date": pd.to_datetime(["2024-09-01", "2024-07-01", None, "2024-02-01"]),
        "cause": ["price", "quality", "quality", "delivery"],
        "amount_ttc": [100.0, 200.0, 50.0, 80.0]})
    return inv, pay, customers, disputes


def brute_month(inv, pay, m, disputes=None):
    """Balances at one date, the slow obvious way (independent of the difference arrays)."""
    docs = inv[inv.issue_date <= m].set_index("invoice_id")
    p = pay[pay.payment_date <= m]
    allocated = p[p.invoice_id.notna() & p.invoice_id.isin(docs.index)]
    paid = allocated.groupby("invoice_id").amount.sum().reindex(docs.index, fill_value=0.0)
    open_amt = docs.amount_ttc - paid
    dpd = (m - docs.due_date).dt.days
    cash = p[p.invoice_id.isna() | ~p.invoice_id.isin(docs.index)]  # on account
    cdpd = (m - cash.payment_date).dt.days
    out = {
        "receivables_ttc": open_amt.sum() - cash.amount.sum(),
        "current_ttc": open_amt[dpd <= 0].sum() - cash.amount[cdpd <= 0].sum(),
        "over_90_ttc": open_amt[dpd > 90].sum() - cash.amount[cdpd > 90].sum(),
    }
    mask = (docs.doc_type == "invoice") & (dpd > 0)
    out["weighted_days_past_due"] = (open_amt[mask] * dpd[mask]).sum() / open_amt[mask].sum()
    if disputes is not None:
        d = disputes[(disputes.opened_date <= m) & (disputes.closed_date.isna()
                                                    | (disputes.closed_date > m))]
        ids = pd.unique(d.invoice_id)
        out["disputed_ttc"] = open_amt.reindex(ids).fillna(0.0).sum()
    return out


def brute_countback(inv, m, receivables, months=24):
    monthly = inv.groupby(inv.issue_date.dt.to_period("M")).amount_ttc.sum()
    remaining, dso, per = receivables, 0.0, m.to_period("M")
    for _ in range(months):
        s = monthly.get(per, 0.0)
        days = per.days_in_month
        if s > 0 and remaining <= s:
            return dso + remaining / s * days
        dso += days
        remaining -= s
        per -= 1
    return np.nan


@pytest.fixture(scope="module")
def ledger():
    return make_ledger()


def test_history_matches_brute_force_every_month(ledger):
    inv, pay, customers, disputes = ledger
    h = kpi_history(inv, pay, "2024-01", "2025-11-30", disputes=disputes)
    assert len(h) == 23 and h.index.name == "month_end"
    for m, row in h.iterrows():
        b = brute_month(inv, pay, m, disputes)
        for k, v in b.items():
            assert row[k] == pytest.approx(v, abs=1e-6), (m, k)
        assert row["past_due_ttc"] == pytest.approx(b["receivables_ttc"] - b["current_ttc"])
        assert row["dso_countback"] == pytest.approx(
            brute_countback(inv, m, b["receivables_ttc"]), nan_ok=True)
        # DSO simple over 3 months of real calendar days (DOMAIN.md §6.1)
        start = (m.to_period("M") - 2).to_timestamp()
        s3 = inv.loc[(inv.issue_date >= start) & (inv.issue_date <= m), "amount_ttc"].sum()
        days = (m - start).days + 1
        assert row["dso_simple"] == pytest.approx(b["receivables_ttc"] * days / s3)
        assert row["add"] == pytest.approx(row["dso_simple"] - row["bpdso"])


def test_history_flows_and_cei(ledger):
    inv, pay, *_ = ledger
    h = kpi_history(inv, pay, "2024-07", "2025-06-30")
    m = pd.Timestamp("2025-03-31")
    prev = pd.Timestamp("2025-02-28")
    row = h.loc[m]
    in_month = inv[(inv.issue_date > prev) & (inv.issue_date <= m)]
    assert row["sales_ttc"] == pytest.approx(in_month.amount_ttc.sum())
    assert row["sales_ht"] == pytest.approx(in_month.amount_ht.sum())
    # CEI monthly (CRF, DOMAIN.md §6.4)
    b0 = h.loc[prev, "receivables_ttc"]
    expected = kpi.cei(b0, row["sales_ttc"], row["receivables_ttc"], row["current_ttc"])
    assert row["cei"] == pytest.approx(expected)
    # CEI annual form: beginning 12 months earlier, annual sales / 12
    b12 = brute_month(inv, pay, pd.Timestamp("2024-03-31"))["receivables_ttc"]
    s12 = inv.loc[(inv.issue_date > pd.Timestamp("2024-03-31")) & (inv.issue_date <= m),
                  "amount_ttc"].sum()
    assert row["cei_12m"] == pytest.approx(
        kpi.cei_annual(b12, s12, row["receivables_ttc"], row["current_ttc"]))
    # days to pay of the cash allocated in the month
    p = pay[(pay.payment_date > prev) & (pay.payment_date <= m) & pay.invoice_id.notna()
            & (pay.amount > 0)]
    j = p.merge(inv.loc[inv.doc_type == "invoice", ["invoice_id", "issue_date", "due_date"]],
                on="invoice_id")
    assert row["paid_ttc"] == pytest.approx(j.amount.sum())
    assert row["avg_days_to_pay"] == pytest.approx(
        (j.amount * (j.payment_date - j.issue_date).dt.days).sum() / j.amount.sum())
    assert row["avg_days_late"] == pytest.approx(
        (j.amount * (j.payment_date - j.due_date).dt.days).sum() / j.amount.sum())


def test_history_by_group_sums_to_total(ledger):
    inv, pay, customers, disputes = ledger
    total = kpi_history(inv, pay, "2024-06", "2025-05-31", customers=customers)
    seg = kpi_history(inv, pay, "2024-06", "2025-05-31", by="segment", customers=customers)
    cus = kpi_history(inv, pay, "2024-06", "2025-05-31", by="customer_id")
    assert seg.index.names == ["segment", "month_end"]
    for col in ("receivables_ttc", "current_ttc", "over_90_ttc", "sales_ttc", "paid_ttc"):
        np.testing.assert_allclose(seg[col].groupby(level="month_end").sum(), total[col],
                                   atol=1e-6)
        np.testing.assert_allclose(cus[col].groupby(level="month_end").sum(), total[col],
                                   atol=1e-6)
    # one customer's balance equals the brute force restricted to that customer
    m = pd.Timestamp("2025-01-31")
    b = brute_month(inv[inv.customer_id == "C"], pay[pay.customer_id == "C"], m)
    assert cus.loc[("C", m), "receivables_ttc"] == pytest.approx(b["receivables_ttc"])


def test_history_credit_limit_columns(ledger):
    inv, pay, customers, _ = ledger
    h = kpi_history(inv, pay, "2024-06", "2025-05-31", customers=customers)
    for m in (pd.Timestamp("2024-06-30"), pd.Timestamp("2025-05-31")):
        rec = {c: brute_month(inv[inv.customer_id == c], pay[pay.customer_id == c],
                              m)["receivables_ttc"] for c in "ABCD"}
        lim = customers.set_index("customer_id")["credit_limit"]
        n_over = sum(1 for c in "ABCD" if np.isfinite(lim[c]) and rec[c] > lim[c] + 0.005)
        assert h.loc[m, "n_over_limit"] == n_over
        used = max(rec["A"], 0) + max(rec["B"], 0)  # customers with a limit > 0
        assert h.loc[m, "limit_utilisation"] == pytest.approx(used / 25_000.0)
        assert h.loc[m, "credit_limit_total"] == pytest.approx(25_000.0)


def test_history_write_offs_bad_debt_ratio(ledger):
    inv, pay, *_ = ledger
    wo = pd.DataFrame({"customer_id": ["A", "B", "A"],
                       "date": pd.to_datetime(["2024-08-10", "2025-01-20", "2025-02-05"]),
                       "amount_ht": [1_200.0, 800.0, -200.0]})
    h = kpi_history(inv, pay, "2025-02", "2025-02-28", write_offs=wo)
    row = h.iloc[0]
    m = pd.Timestamp("2025-02-28")
    s12 = inv.loc[(inv.issue_date > pd.Timestamp("2024-02-29")) & (inv.issue_date <= m),
                  "amount_ht"].sum()
    # DOMAIN.md §6.5: net write-offs / credit sales, HT (12 months)
    assert row["bad_debt_ratio"] == pytest.approx((1_200 + 800 - 200) / s12)
    assert row["write_offs_ht"] == pytest.approx(-200.0)
    assert "no_write_offs" not in row["notes"]
    # without HT amounts the write-offs are still shown; the ratio is NaN for that reason
    h = kpi_history(inv.drop(columns="amount_ht"), pay, "2025-02", "2025-02-28", write_offs=wo)
    assert np.isnan(h.iloc[0]["bad_debt_ratio"]) and h.iloc[0]["write_offs_ht"] == -200.0
    assert "no_amount_ht" in h.iloc[0]["notes"] and "no_write_offs" not in h.iloc[0]["notes"]
    # with allowances too, the reason is given once
    h = kpi_history(inv.drop(columns="amount_ht"), pay, "2025-02", "2025-02-28", write_offs=wo,
                    allowances=wo.assign(amount_ht=100.0))
    assert h.iloc[0]["notes"].split(";").count("no_amount_ht") == 1


@pytest.mark.parametrize("bad, match", [
    ({"customer_id": ["ZZ"]}, "write_offs.customer_id"),
    ({"amount_ht": [np.nan]}, "write_offs.amount_ht"),
    ({"amount_ht": ["1 200,00"]}, "write_offs.amount_ht"),
])
def test_history_write_offs_bad_inputs(ledger, bad, match):
    # an unknown customer or an unreadable amount is named, never a silent NaN ratio
    inv, pay, *_ = ledger
    wo = pd.DataFrame({"customer_id": ["A"], "date": pd.to_datetime(["2025-01-20"]),
                       "amount_ht": [800.0]}).assign(**bad)
    with pytest.raises(InputError, match=match):
        kpi_history(inv, pay, "2025-02", "2025-02-28", write_offs=wo)


def test_history_nan_reasons():
    inv = pd.DataFrame({
        "invoice_id": ["F1", "F2"], "customer_id": ["A", "A"],
        "doc_type": ["invoice", "credit_note"],
        "issue_date": pd.to_datetime(["2025-01-15", "2025-04-10"]),
        "due_date": pd.to_datetime(["2025-02-14", "2025-04-10"]),
        "amount_ttc": [1_000.0, -1_500.0]})
    pay = pd.DataFrame({"payment_id": pd.Series([], dtype="str"),
                        "customer_id": pd.Series([], dtype="str"),
                        "payment_date": pd.Series([], dtype="datetime64[ns]"),
                        "amount": pd.Series([], dtype="float64"),
                        "invoice_id": pd.Series([], dtype="str")})
    h = kpi_history(inv, pay, "2024-12", "2025-05-31")
    dec = h.loc["2024-12-31"]
    assert dec["receivables_ttc"] == 0.0 and np.isnan(dec["overdue_ratio"])
    assert "no_receivables" in dec["notes"] and "no_sales" in dec["notes"]
    mar = h.loc["2025-03-31"]  # 1 000 still open, sales only in January: 3-month window holds it
    assert mar["dso_simple"] == pytest.approx(1_000 * 90 / 1_000)
    may = h.loc["2025-05-31"]  # net credit balance after the credit note
    assert may["receivables_ttc"] == pytest.approx(-500.0)
    assert np.isnan(may["dso_simple"]) and np.isnan(may["dso_countback"])
    assert "credit_balance" in may["notes"]
    # shares of a net credit balance are NaN too: past due −500 (the 1 000 invoice and the
    # −1 500 credit note) / total −500 would read "100 % past due" while nothing is owed
    assert may["past_due_ttc"] == pytest.approx(-500.0)
    assert np.isnan(may["overdue_ratio"]) and np.isnan(may["share_over_90"])
    assert "no_history_12m" in may["notes"] and np.isnan(may["cei_12m"])
    assert "no_payments" in may["notes"] and np.isnan(may["avg_days_to_pay"])
    assert "no_disputes_table" in may["notes"]
    assert kpi.note_text(may["notes"], "fr")


def test_history_countback_exhausted_note():
    inv = pd.DataFrame({"invoice_id": ["F1"], "customer_id": ["A"], "doc_type": ["invoice"],
                        "issue_date": pd.to_datetime(["2023-01-15"]),
                        "due_date": pd.to_datetime(["2023-02-14"]), "amount_ttc": [1_000.0]})
    pay = pd.DataFrame({"payment_id": ["P"], "customer_id": ["A"],
                        "payment_date": pd.to_datetime(["2023-01-20"]), "amount": [10.0],
                        "invoice_id": ["F1"]})
    h = kpi_history(inv, pay, "2025-06", "2025-06-30", countback_months=12)
    row = h.iloc[0]
    assert np.isnan(row["dso_countback"]) and "countback_exhausted" in row["notes"]


def test_history_partial_last_month(ledger):
    inv, pay, *_ = ledger
    h = kpi_history(inv, pay, "2025-01", "2025-03-15")
    assert h.index[-1] == pd.Timestamp("2025-03-15")
    b = brute_month(inv, pay, pd.Timestamp("2025-03-15"))
    assert h.iloc[-1]["receivables_ttc"] == pytest.approx(b["receivables_ttc"])


def test_history_end_given_as_a_month_means_its_month_end(ledger):
    """``end="2025-03"`` is March's month end (it gave the 1st, a month-to-date row that
    dropped most of March without a word)."""
    inv, pay, *_ = ledger
    by_month = kpi_history(inv, pay, "2025-01", "2025-03")
    by_date = kpi_history(inv, pay, "2025-01", "2025-03-31")
    assert list(by_month.index) == list(by_date.index)
    assert by_month.index[-1] == pd.Timestamp("2025-03-31")
    pd.testing.assert_frame_equal(by_month, by_date)


def test_history_bad_inputs(ledger):
    inv, pay, customers, _ = ledger
    bad = inv.copy()
    bad.loc[3, "due_date"] = pd.NaT
    with pytest.raises(InputError, match="payment terms"):
        kpi_history(bad, pay, "2024-01", "2024-12")
    dup = pd.concat([inv, inv.head(1)], ignore_index=True)
    with pytest.raises(InputError, match="invoice_id"):
        kpi_history(dup, pay, "2024-01", "2024-12")
    p2 = pay.copy()
    p2.loc[0, "invoice_id"] = "NOPE"
    with pytest.raises(InputError, match="payments.invoice_id"):
        kpi_history(inv, p2, "2024-01", "2024-12")
    with pytest.raises(InputError, match="freq"):
        kpi_history(inv, pay, "2024-01", "2024-12", freq="Q")
    with pytest.raises(InputError, match="end"):
        kpi_history(inv, pay, "2024-12", "2024-01")
    with pytest.raises(InputError, match="by"):
        kpi_history(inv, pay, "2024-01", "2024-12", by="segment")
    with pytest.raises(InputError, match="customers"):
        kpi_history(inv, pay, "2024-01", "2024-12", by="segment",
                    customers=customers[customers.customer_id != "A"])
    s = inv.copy()
    s["issue_date"] = s["issue_date"].astype("str")
    with pytest.raises(InputError, match="datetime64"):
        kpi_history(s, pay, "2024-01", "2024-12")
    with pytest.raises(InputError, match="amount_ttc"):
        kpi_history(inv.drop(columns="amount_ttc"), pay, "2024-01", "2024-12")


def netting_ledger(seed, n=300):
    """Invoices, credit notes netted against related invoices (some over-covered), refunds on
    credit notes, over/under/early payments, cash on account and overlapping disputes."""
    rng = np.random.default_rng(seed)
    issue = pd.Timestamp("2023-06-01") + pd.to_timedelta(rng.integers(0, 900, n), "D")
    due = issue + pd.to_timedelta(rng.choice([0, 30, 45, 60], n), "D")
    amt = rng.uniform(100, 5000, n).round(2)
    cust = rng.choice(list("ABCD"), n)
    cn = rng.random(n) < 0.2
    rel = np.full(n, None, dtype=object)
    for i in np.flatnonzero(cn):
        j = rng.integers(0, n)
        if not cn[j] and rng.random() < 0.8:
            rel[i] = f"F{j:04d}"
            cust[i] = cust[j]
            amt[i] = -round(amt[j] * rng.uniform(0.1, 0.6), 2)
        else:
            amt[i] = -round(amt[i] / 4, 2)
    inv = pd.DataFrame({"invoice_id": [f"F{i:04d}" for i in range(n)], "customer_id": cust,
        "doc_type": np.where(cn, "credit_note", "invoice"), "issue_date": issue, "due_date": due,
        "amount_ttc": amt, "related_invoice_id": pd.array(rel, dtype="str")})
    rows = []
    for i in range(n):
        if cn[i]:
            if rng.random() < 0.2:
                rows.append((f"RF{i}", cust[i], issue[i] + pd.Timedelta(days=int(rng.integers(0, 60))), round(amt[i] * 0.5, 2), f"F{i:04d}"))
            continue
        if rng.random() < 0.2:
            continue
        k = int(rng.integers(1, 3))
        share = rng.choice([1.0, 0.7, 1.1])
        for j in range(k):
            rows.append((f"P{i}_{j}", cust[i], issue[i] + pd.Timedelta(days=int(rng.integers(-10, 150))), round(amt[i] * share / k, 2), f"F{i:04d}"))
    for j in range(20):
        rows.append((f"U{j}", str(rng.choice(list("ABCD"))), pd.Timestamp("2023-06-01") + pd.Timedelta(days=int(rng.integers(0, 900))), round(float(rng.uniform(50, 500)), 2), None))
    pay = pd.DataFrame(rows, columns=["payment_id", "customer_id", "payment_date", "amount", "invoice_id"])
    pay["invoice_id"] = pay["invoice_id"].astype("str")
    dis_inv = rng.choice(n, 25)
    op = issue[dis_inv] + pd.to_timedelta(rng.integers(0, 60, 25), "D")
    cl = pd.Series(op + pd.to_timedelta(rng.integers(1, 200, 25), "D")).where(rng.random(25) < 0.7)
    disputes = pd.DataFrame({"dispute_id": [f"L{i}" for i in range(25)], "invoice_id": [f"F{i:04d}" for i in dis_inv],
        "customer_id": cust[dis_inv], "opened_date": op, "closed_date": pd.to_datetime(cl), "cause": "price", "amount_ttc": 10.0})
    return inv, pay, disputes


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_history_equals_open_items_with_netting_and_disputes(seed):
    """Independent recomputation: at every month end, kpi_history (difference arrays) equals
    creditlab.receivables.open_items + receivables_status, including the netting of credit notes
    against the invoice they correct (capped at the invoice's open amount), refunds, early
    payments, cash on account and overlapping disputes."""
    ledger_mod = pytest.importorskip("creditlab.receivables.ledger",
                                     reason="open_items not written yet")
    inv, pay, disputes = netting_ledger(seed)
    h = kpi_history(inv, pay, "2023-09", "2025-12-31", disputes=disputes)
    for m in h.index[::2]:
        items = ledger_mod.open_items(inv, pay, m, disputes=disputes)
        st_ = kpi.receivables_status(items, m).loc["total"]
        for col in ("receivables_ttc", "current_ttc", "past_due_ttc", "over_90_ttc",
                    "weighted_days_past_due", "disputed_ttc"):
            assert h.loc[m, col] == pytest.approx(st_[col], abs=1e-6, nan_ok=True), (m, col)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers(max_docs=10, max_pays=12, n_days=150))
def test_history_equals_the_ledger_at_every_month_end(case):
    """The two engines held together on drawn ledgers (shared strategy: partial and early
    payments, netted credit notes, cash on account, refunds, dated disputes): the month-end
    balances of kpi_history equal the snapshot KPIs of ledger.at(month end)."""
    from creditlab.receivables import Ledger

    ledger = Ledger.from_tables(case.invoices, case.payments, disputes=case.disputes)
    h = kpi_history(ledger, "2025-01", "2025-05-31")
    for m in h.index:
        snap = kpi.receivables_status(ledger.at(m)).loc["total"]
        for col in ("receivables_ttc", "current_ttc", "past_due_ttc", "over_90_ttc",
                    "weighted_days_past_due", "disputed_ttc"):
            assert h.loc[m, col] == pytest.approx(snap[col], abs=1e-6, nan_ok=True), (m, col)


def test_history_days_to_pay_equals_payment_behaviour():
    """The cash-weighted sum over every month of kpi_history's days-to-pay equals
    creditlab.receivables.payment_behaviour per customer (same definition: positive lines
    allocated to invoices, amount-weighted days from issue / due date to payment)."""
    beh_mod = pytest.importorskip("creditlab.receivables.behaviour",
                                  reason="payment_behaviour not written yet")
    inv, pay, _ = netting_ledger(4)
    asof = pd.Timestamp("2025-12-31")
    h = kpi_history(inv, pay, "2023-05", asof, by="customer_id")
    paid = h["paid_ttc"].groupby(level=0).sum()
    beh = beh_mod.payment_behaviour(inv, pay, asof)
    for col in ("avg_days_to_pay", "avg_days_late"):
        mine = (h["paid_ttc"] * h[col].fillna(0.0)).groupby(level=0).sum() / paid
        np.testing.assert_allclose(mine[beh.index], beh[col], rtol=1e-9)
    np.testing.assert_allclose(paid[beh.index], beh["amount_paid"], atol=1e-6)


# ------------------------------------------------------------------ properties
def _paid_ledgers():
    """One customer, invoices only, never over-paid (the property needs current >= 0), as of a
    month end of 2024: the shared ledger strategy with those features off."""
    return ledgers(customers=("A",), credit_notes=False, cash_on_account=False, refunds=False,
                   disputes=False, overpay=False, start=pd.Timestamp("2024-01-01"),
                   n_days=366, month_end=True, max_docs=12)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_paid_ledgers(), st.floats(0.05, 1.0))
def test_paying_an_invoice_never_raises_dso(data, share):
    """DESIGN.md property: paying (part of) an open invoice never raises the DSO (simple or
    countback), and paying a past-due invoice never raises the overdue ratio."""
    inv, pay, m = data
    # the property needs current >= 0: no advance (a payment dated before its invoice is cash on
    # account at m, a credit balance that makes the shares exceed 1 and the DSO undefined)
    issued = pay["invoice_id"].map(inv.set_index("invoice_id")["issue_date"])
    pay = pay[pay["payment_date"] >= issued].reset_index(drop=True)
    before = kpi_history(inv, pay, m, m).iloc[0]
    items = brute_open(inv, pay, m)
    open_inv = items[items > 0.01]
    if open_inv.empty:
        return
    target = open_inv.index[0]
    amount = round(float(open_inv.iloc[0]) * share, 2)
    extra = pd.DataFrame({"payment_id": ["NEW"], "customer_id": ["A"],
                          "payment_date": [m], "amount": [amount], "invoice_id": [target]})
    after = kpi_history(inv, pd.concat([pay, extra], ignore_index=True), m, m).iloc[0]
    assert after["receivables_ttc"] == pytest.approx(before["receivables_ttc"] - amount)
    if np.isfinite(before["dso_simple"]):
        assert after["dso_simple"] <= before["dso_simple"] + 1e-9
    if np.isfinite(after["dso_countback"]) or np.isfinite(before["dso_countback"]):
        assert np.isnan(before["dso_countback"]) or (
            after["dso_countback"] <= before["dso_countback"] + 1e-9)
    due = inv.set_index("invoice_id").loc[target, "due_date"]
    if due < m and np.isfinite(after["overdue_ratio"]):
        assert after["overdue_ratio"] <= before["overdue_ratio"] + 1e-12


def brute_open(inv, pay, m):
    docs = inv[inv.issue_date <= m].set_index("invoice_id")
    paid = pay[pay.payment_date <= m].groupby("invoice_id").amount.sum()
    return docs.amount_ttc - paid.reindex(docs.index, fill_value=0.0)


def test_paying_a_current_invoice_can_raise_the_overdue_ratio():
    """Why the property above is restricted to past-due invoices: with 6 000 past due and 4 000
    not yet due, paying 4 000 not-yet-due raises the overdue ratio from 60 % to 100 %
    (DOMAIN.md §6.5 definition: past due / total)."""
    assert kpi.overdue_ratio(6_000, 10_000) == pytest.approx(0.6)
    assert kpi.overdue_ratio(6_000, 10_000 - 4_000) == pytest.approx(1.0)


# ------------------------------------------------------------------ the demo ledger
@pytest.fixture(scope="module")
def demo_tables(request):
    from creditlab.io.datasets import DEMO_DIR

    if not (DEMO_DIR / "invoices.csv").exists():
        pytest.importorskip("creditlab.synth", reason="demo portfolio not built yet")
    return request.getfixturevalue("demo")


def _need_receivables_core():
    ledger_mod = pytest.importorskip("creditlab.receivables.ledger",
                                     reason="open_items not written yet")
    return ledger_mod.open_items


def test_demo_history_equals_open_items_at_each_month_end(demo_tables):
    """Independent recomputation: kpi_history (difference arrays) against
    creditlab.receivables.open_items + receivables_status at several month ends."""
    open_items = _need_receivables_core()
    from creditlab.synth import DEMO_AS_OF

    inv, pay = demo_tables["invoices"], demo_tables["payments"]
    disputes = demo_tables["disputes"]
    asof = pd.Timestamp(DEMO_AS_OF)
    h = kpi_history(inv, pay, asof - pd.DateOffset(months=11), asof, disputes=disputes)
    for m in (h.index[0], h.index[5], h.index[-1]):
        items = open_items(inv, pay, m, disputes=disputes)
        st_ = kpi.receivables_status(items, m).loc["total"]
        row = h.loc[m]
        for col in ("receivables_ttc", "current_ttc", "past_due_ttc", "over_90_ttc",
                    "weighted_days_past_due", "disputed_ttc"):
            assert row[col] == pytest.approx(st_[col], rel=1e-9, abs=0.01), (m, col)


def test_demo_days_to_pay_matches_payment_behaviour(demo_tables):
    """Σ over all months of the monthly days-to-pay, weighted by cash, equals the per-customer
    payment_behaviour (creditlab.receivables, amount-weighted days from issue to payment)."""
    beh_mod = pytest.importorskip("creditlab.receivables.behaviour",
                                  reason="payment_behaviour not written yet")
    from creditlab.synth import DEMO_AS_OF

    inv, pay = demo_tables["invoices"], demo_tables["payments"]
    asof = pd.Timestamp(DEMO_AS_OF)
    first = min(inv["issue_date"].min(), pay["payment_date"].min())
    h = kpi_history(inv, pay, first, asof, by="customer_id")
    w = (h["paid_ttc"] * h["avg_days_to_pay"].fillna(0.0)).groupby(level=0).sum()
    mine = w / h["paid_ttc"].groupby(level=0).sum()
    beh = beh_mod.payment_behaviour(inv, pay, asof)["avg_days_to_pay"]
    common = beh.dropna().index.intersection(mine.dropna().index)
    assert len(common) > 50
    np.testing.assert_allclose(mine[common], beh[common], rtol=1e-6, atol=1e-6)


def test_history_accepts_a_ledger_and_matches_the_tables_call():
    """kpi_history runs on the Ledger's matching: the same frame from the ledger or the tables."""
    from creditlab.receivables import Ledger

    inv, pay, disputes = netting_ledger(5)
    customers = pd.DataFrame({"customer_id": sorted(set(inv["customer_id"])), "segment": "PME"})
    ledger = Ledger.from_tables(inv, pay, disputes=disputes, customers=customers)
    from_tables = kpi_history(inv, pay, "2024-03", "2024-12-31", disputes=disputes,
                              customers=customers)
    pd.testing.assert_frame_equal(kpi_history(ledger, "2024-03", "2024-12-31"), from_tables)
    pd.testing.assert_frame_equal(kpi_history(ledger, start="2024-03", end="2024-12-31"),
                                  from_tables)
    by_seg = kpi_history(ledger, "2024-03", "2024-12-31", by="segment")  # customers of the ledger
    assert by_seg.index.get_level_values(0).unique().tolist() == ["PME"]
    # the month-end balance is the open items of the same ledger at that date
    end = ledger.at("2024-12-31")
    assert from_tables.iloc[-1]["receivables_ttc"] == pytest.approx(end.total, abs=0.01)
    with pytest.raises(InputError, match="payments"):
        kpi_history(ledger, pay, "2024-03", "2024-12-31")
    with pytest.raises(InputError, match="disputes"):
        kpi_history(ledger, "2024-03", "2024-12-31", disputes=disputes.head(1))
    with pytest.raises(InputError, match="end"):
        kpi_history(ledger, "2024-03")


def test_history_refuses_unknown_document_types():
    """Before, a doc_type other than invoice / credit_note counted silently in the balances."""
    inv, pay, _ = netting_ledger(1)
    bad = inv.copy()
    bad.loc[0, "doc_type"] = "debit_note"
    with pytest.raises(InputError, match="doc_type"):
        kpi_history(bad, pay, "2024-03", "2024-12-31")


def test_an_empty_group_has_the_aged_balance_code():
    """A customer without a segment is the group ``not_set`` in the KPI history as in the aged
    balance (the history wrote ``n/a``: two names for one group, without words)."""
    from creditlab.receivables import Ledger, aged_balance
    from creditlab.receivables.buckets import MISSING_GROUP

    inv = pd.DataFrame({"invoice_id": ["F1", "F2"], "customer_id": ["C1", "C2"],
                        "doc_type": ["invoice", "invoice"],
                        "issue_date": pd.to_datetime(["2025-01-10", "2025-03-01"]),
                        "due_date": pd.to_datetime(["2025-02-10", "2025-04-01"]),
                        "amount_ttc": [1200.0, 203.05]})
    pay = pd.DataFrame({"payment_id": ["P1"], "customer_id": ["C1"],
                        "payment_date": pd.to_datetime(["2025-02-20"]), "amount": [200.0],
                        "invoice_id": ["F1"]})
    cust = pd.DataFrame({"customer_id": ["C1", "C2"], "segment": ["A", None]})
    aged = aged_balance(Ledger.from_tables(inv, pay, customers=cust).at("2025-03-31"),
                        by="segment").table
    hist = kpi_history(inv, pay, "2025-03", "2025-03", by="segment", customers=cust)
    groups = hist.index.get_level_values(0)
    assert MISSING_GROUP == "not_set" and set(groups) == {"A", "not_set"}
    assert set(aged.index) == {"A", "not_set", "total"}
    assert hist.loc[("not_set", pd.Timestamp("2025-03-31")), "receivables_ttc"] == \
        pytest.approx(aged.loc["not_set", "total"]) == pytest.approx(203.05)
