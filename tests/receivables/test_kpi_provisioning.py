"""kpi_history(allowances=...): the allowance for doubtful receivables (PCG 491) and the
provisioning ratio month by month (issue #5; DOMAIN.md §6.5 "dépréciation clients (491) /
total receivables", HT/HT per pitfall 7)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creditlab.exceptions import InputError
from creditlab.receivables import kpi
from creditlab.receivables.kpi import HISTORY_COLUMNS, KPI_LABELS, KPI_NOTES, kpi_history

JAN, FEB, MAR = (pd.Timestamp(d) for d in ("2025-01-31", "2025-02-28", "2025-03-31"))


def tiny_ledger():
    """2 customers, 3 months. F2 is at 5.5 % VAT (633 = 600 × 1.055), the others at 20 %."""
    inv = pd.DataFrame({
        "invoice_id": ["F1", "F2", "F3"], "customer_id": ["A", "B", "A"],
        "doc_type": ["invoice"] * 3,
        "issue_date": pd.to_datetime(["2025-01-10", "2025-01-20", "2025-02-15"]),
        "due_date": pd.to_datetime(["2025-02-09", "2025-03-20", "2025-03-15"]),
        "amount_ttc": [1_200.0, 633.0, 2_400.0], "amount_ht": [1_000.0, 600.0, 2_000.0]})
    pay = pd.DataFrame({
        "customer_id": ["A", "B", "B"],
        "payment_date": pd.to_datetime(["2025-02-20", "2025-03-25", "2025-03-28"]),
        "amount": [600.0, 633.0, 100.0], "invoice_id": ["F1", "F2", None]})  # 100: on account
    allowances = pd.DataFrame({
        "customer_id": ["A", "B", "A", "B"],
        "date": pd.to_datetime(["2025-01-31", "2025-02-10", "2025-03-05", "2025-03-25"]),
        "amount_ht": [500.0, 300.0, -200.0, -300.0]})  # dotations > 0, reprises < 0
    customers = pd.DataFrame({"customer_id": ["A", "B"], "segment": ["PME", "GC"]})
    return inv, pay, allowances, customers


def test_provisioning_hand_computed_total():
    inv, pay, al, _ = tiny_ledger()
    h = kpi_history(inv, pay, "2025-01", "2025-03-31", allowances=al)
    # Balances of the allowance (dotation of 31 Jan counts at the 31 Jan month end):
    # Jan 500; Feb 500 + 300 = 800; Mar 500 + 300 − 200 − 300 = 300.
    np.testing.assert_allclose(h["allowance_ht"], [500.0, 800.0, 300.0])
    # Receivables HT = receivables TTC × HT/TTC of the open documents:
    # Jan: F1 1 200 (HT 1 000) + F2 633 (HT 600) → 1 833 × 1 600 / 1 833 = 1 600
    # Feb: F1 600 open (HT 500) + F2 633 (600) + F3 2 400 (2 000) → 3 100
    # Mar: F1 600 (500) + F3 2 400 (2 000) = 3 000 TTC / 2 500 HT; 100 on account →
    #      2 900 × 2 500 / 3 000 = 2 416.67
    assert h.loc[JAN, "provisioning_ratio"] == pytest.approx(500 / 1_600)        # 31.25 %
    assert h.loc[FEB, "provisioning_ratio"] == pytest.approx(800 / 3_100)        # 25.81 %
    assert h.loc[MAR, "provisioning_ratio"] == pytest.approx(300 / (2_900 * 2_500 / 3_000))
    assert h.loc[MAR, "provisioning_ratio"] == pytest.approx(0.124138, abs=1e-6)
    assert not h["notes"].str.contains("no_allowances|no_amount_ht").any()
    # the standalone formula on the same figures
    assert kpi.provisioning_ratio(800.0, 3_100.0) == pytest.approx(h.loc[FEB,
                                                                         "provisioning_ratio"])


def test_provisioning_hand_computed_by_customer_and_segment():
    inv, pay, al, customers = tiny_ledger()
    cus = kpi_history(inv, pay, "2025-01", "2025-03-31", allowances=al, by="customer_id")
    a, b = cus.loc["A"], cus.loc["B"]
    np.testing.assert_allclose(a["allowance_ht"], [500.0, 500.0, 300.0])
    np.testing.assert_allclose(b["allowance_ht"], [0.0, 300.0, 0.0])
    # A: 500 / 1 000; 500 / (500 + 2 000); 300 / 2 500
    np.testing.assert_allclose(a["provisioning_ratio"], [0.5, 0.2, 0.12])
    # B: 0 / 600; 300 / 600; March: −100 (cash on account only) → net credit balance, NaN
    assert b.loc[JAN, "provisioning_ratio"] == 0.0
    assert b.loc[FEB, "provisioning_ratio"] == pytest.approx(0.5)
    assert np.isnan(b.loc[MAR, "provisioning_ratio"]) and "credit_balance" in b.loc[MAR, "notes"]

    total = kpi_history(inv, pay, "2025-01", "2025-03-31", allowances=al)
    seg = kpi_history(inv, pay, "2025-01", "2025-03-31", allowances=al, by="segment",
                      customers=customers)
    for grouped in (cus, seg):
        np.testing.assert_allclose(grouped["allowance_ht"].groupby(level="month_end").sum(),
                                   total["allowance_ht"])
    # segments = customers here: same figures
    np.testing.assert_allclose(seg.loc["PME", "provisioning_ratio"], a["provisioning_ratio"])


def random_ledger(seed=3, n=300):
    rng = np.random.default_rng(seed)
    issue = pd.Timestamp("2023-06-01") + pd.to_timedelta(rng.integers(0, 700, n), "D")
    amt = rng.uniform(100, 5_000, n).round(2)
    cn = rng.random(n) < 0.1
    amt = np.where(cn, -(amt / 4).round(2), amt)
    rate = rng.choice([1.2, 1.1, 1.055], n)
    cust = rng.choice(list("ABCD"), n)
    inv = pd.DataFrame({
        "invoice_id": [f"F{i:04d}" for i in range(n)], "customer_id": cust,
        "doc_type": np.where(cn, "credit_note", "invoice"), "issue_date": issue,
        "due_date": issue + pd.Timedelta(days=45), "amount_ttc": amt,
        "amount_ht": (amt / rate).round(2)})
    paid = np.flatnonzero(~cn & (rng.random(n) < 0.7))
    pay = pd.DataFrame({
        "customer_id": cust[paid],
        "payment_date": issue[paid] + pd.to_timedelta(rng.integers(10, 120, len(paid)), "D"),
        "amount": amt[paid], "invoice_id": inv["invoice_id"].to_numpy()[paid]})
    # per customer: dotations, then a partial release
    dates = pd.to_datetime(["2023-09-30", "2024-03-31", "2024-09-30", "2025-02-28"])
    rows = [(c, d, v) for c in "ABCD"
            for d, v in zip(dates, rng.uniform(0, 900, 4).round(2) * [1, 1, 1, -0.5],
                            strict=True)]
    al = pd.DataFrame(rows, columns=["customer_id", "date", "amount_ht"])
    customers = pd.DataFrame({"customer_id": list("ABCD"), "segment": ["PME", "PME", "GC", "GC"]})
    return inv, pay, al, customers


def test_provisioning_groups_sum_to_total_and_other_columns_unchanged():
    inv, pay, al, customers = random_ledger()
    args = (inv, pay, "2024-01", "2025-04-30")
    total = kpi_history(*args, allowances=al)
    seg = kpi_history(*args, allowances=al, by="segment", customers=customers)
    cus = kpi_history(*args, allowances=al, by="customer_id")
    for grouped in (seg, cus):
        np.testing.assert_allclose(grouped["allowance_ht"].groupby(level="month_end").sum(),
                                   total["allowance_ht"], atol=1e-6)
        # Σ allowance / Σ receivables HT of the groups gives the total ratio back
        rec_ht = grouped["allowance_ht"] / grouped["provisioning_ratio"]
        assert grouped["provisioning_ratio"].notna().all()
        ratio = (grouped["allowance_ht"].groupby(level="month_end").sum()
                 / rec_ht.groupby(level="month_end").sum())
        np.testing.assert_allclose(ratio, total["provisioning_ratio"], rtol=1e-9)
    # brute force at one month end: allowance booked so far, receivables HT by document
    m = pd.Timestamp("2024-06-30")
    assert total.loc[m, "allowance_ht"] == pytest.approx(al.loc[al.date <= m, "amount_ht"].sum())
    docs = inv[inv.issue_date <= m].set_index("invoice_id")
    p = pay[pay.payment_date <= m].groupby("invoice_id")["amount"].sum()
    open_ttc = docs["amount_ttc"] - p.reindex(docs.index, fill_value=0.0)
    open_ht = (open_ttc * docs["amount_ht"] / docs["amount_ttc"]).sum()
    assert total.loc[m, "provisioning_ratio"] == pytest.approx(
        total.loc[m, "allowance_ht"] / open_ht)
    # the allowances add two columns and change nothing else
    plain = kpi_history(*args)
    others = [c for c in HISTORY_COLUMNS if c not in ("allowance_ht", "provisioning_ratio",
                                                      "notes")]
    pd.testing.assert_frame_equal(total[others], plain[others])
    assert (plain["notes"].str.contains("no_allowances")).all()
    assert (total["notes"] == plain["notes"].str.replace(";no_allowances", "")).all()


def test_provisioning_nan_reasons_and_labels():
    inv, pay, al, _ = tiny_ledger()
    h = kpi_history(inv, pay, "2025-01", "2025-03-31")
    assert h[["allowance_ht", "provisioning_ratio"]].isna().all().all()
    assert h["notes"].str.contains("no_allowances").all()
    # no HT amounts: the balance is known, the ratio is not
    h = kpi_history(inv.drop(columns="amount_ht"), pay, "2025-01", "2025-03-31", allowances=al)
    np.testing.assert_allclose(h["allowance_ht"], [500.0, 800.0, 300.0])
    assert h["provisioning_ratio"].isna().all() and h["notes"].str.contains("no_amount_ht").all()
    for code in ("no_allowances", "no_amount_ht"):
        assert KPI_NOTES[code]["fr"] in kpi.note_text(code, "fr")
        assert KPI_NOTES[code]["en"] == kpi.note_text(code, "en")
    for col in ("allowance_ht", "provisioning_ratio"):
        assert KPI_LABELS[col]["fr"] != KPI_LABELS[col]["en"]
        assert "HT" in KPI_LABELS[col]["fr"] and "VAT" in KPI_LABELS[col]["en"]


def test_provisioning_fully_provisioned_receivable_reads_100_percent():
    # HT/HT basis: a 1 200 TTC (1 000 HT) invoice provisioned at 1 000 HT is 100 % covered,
    # not 1 000 / 1 200 = 83 % (pitfall 7: the VAT of a bad debt is recovered)
    inv, pay, _, _ = tiny_ledger()
    al = pd.DataFrame({"customer_id": ["A"], "date": pd.to_datetime(["2025-01-31"]),
                       "amount_ht": [1_000.0]})
    h = kpi_history(inv.head(1), pay.head(0), "2025-01", "2025-01-31", allowances=al)
    assert h.iloc[0]["provisioning_ratio"] == pytest.approx(1.0)


def test_provisioning_bookings_before_the_grid_and_same_day_moves():
    inv, pay, _, _ = tiny_ledger()
    al = pd.DataFrame({"customer_id": ["A", "A", "A"],
                       "date": pd.to_datetime(["2019-12-31", "2025-02-10", "2025-02-10"]),
                       "amount_ht": [100.0, -150.0, 200.0]})  # release listed before addition
    h = kpi_history(inv, pay, "2025-01", "2025-03-31", allowances=al)
    np.testing.assert_allclose(h["allowance_ht"], [100.0, 150.0, 150.0])


def test_provisioning_bad_inputs():
    inv, pay, al, customers = tiny_ledger()

    def run(table, **kw):
        return kpi_history(inv, pay, "2025-01", "2025-03-31", allowances=table, **kw)

    with pytest.raises(InputError, match=r"allowances.*missing \['amount_ht'\]"):
        run(al.drop(columns="amount_ht"))
    with pytest.raises(InputError, match="allowances.date.*datetime64"):
        run(al.assign(date=al["date"].astype("str")))
    with pytest.raises(InputError, match="allowances.amount_ht.*numeric"):
        run(al.assign(amount_ht=["500", "300", "-200", "-300"]))
    with pytest.raises(InputError, match="allowances.amount_ht.*1 empty"):
        run(al.assign(amount_ht=[500.0, np.nan, -200.0, -300.0]))
    # a release larger than the balance: named with the customer and the date
    over = al.assign(amount_ht=[500.0, 300.0, -600.0, -300.0])
    with pytest.raises(InputError, match=r"-100.00 for customer 'A' on 2025-03-05"):
        run(over)
    with pytest.raises(InputError, match="balance >= 0"):
        run(over, by="customer_id")
    with pytest.raises(InputError, match=r"-50.00 for customer 'B' on 2025-01-31"):
        run(pd.DataFrame({"customer_id": ["B"], "date": pd.to_datetime(["2025-01-31"]),
                          "amount_ht": [-50.0]}))
    # unknown or missing customers
    ghost = al.assign(customer_id=["A", "Z", "A", "B"])
    with pytest.raises(InputError, match=r"allowances.customer_id.*\['Z'\]"):
        run(ghost)
    with pytest.raises(InputError, match=r"allowances.customer_id.*\['Z'\]"):
        run(ghost, by="customer_id")
    with pytest.raises(InputError, match=r"allowances.customer_id.*customers table.*\['Z'\]"):
        run(ghost, by="segment", customers=customers)
    with pytest.raises(InputError, match="allowances.customer_id.*1 empty"):
        run(al.assign(customer_id=["A", None, "A", "B"]))
    with pytest.raises(InputError, match="allowances: expected a DataFrame"):
        run([("A", "2025-01-31", 500.0)])


def test_provisioning_ratio_refuses_a_net_credit_balance():
    with pytest.raises(InputError, match="receivables"):
        kpi.provisioning_ratio(100.0, -1_000.0)
    assert np.isnan(kpi.provisioning_ratio(100.0, -1_000.0, on_negative="nan"))
    assert np.isnan(kpi.provisioning_ratio(100.0, 0.0))


def test_provisioning_trend_plot_is_labelled_and_in_percent():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from creditlab.plots import kpi as pk

    inv, pay, al, _ = tiny_ledger()
    h = kpi_history(inv, pay, "2025-01", "2025-03-31", allowances=al)
    for lang in ("fr", "en"):
        ax = pk.plot_kpi_trend(h, ["provisioning_ratio", "bad_debt_ratio"], lang=lang)
        texts = [t.get_text() for t in ax.get_legend().get_texts()]
        assert texts[0] == KPI_LABELS["provisioning_ratio"][lang]
        assert ax.yaxis.get_major_formatter()(0.25, 0) == ("25\u00a0%" if lang == "fr"
                                                           else "25%")
        plt.close("all")
