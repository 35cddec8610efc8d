"""Receivables KPI formulas against the worked examples of DOMAIN.md (§6, §12) and bad inputs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creditlab.exceptions import InputError
from creditlab.receivables import kpi
from creditlab.receivables.kpi import _countback_core


# ---------------------------------------------------------------- DSO countback (T4, T6)
def test_countback_t4_divalto():
    """T4 — DOMAIN.md §12 / §6.2, Divalto's 2nd example: encours 2 500 at 30 Nov; Nov 1 200
    (30 d), Oct 800 (31 d), Sep 700 (30 d) → 30 + 31 + 500/700 × 30 = 82.4286 days.
    https://divalto.atlassian.net/wiki/pages/viewpage.action?pageId=10511745040"""
    sales = pd.Series([700.0, 800.0, 1200.0], index=pd.period_range("2024-09", periods=3,
                                                                     freq="M"))
    assert kpi.dso_countback(2500.0, sales, "2024-11-30") == pytest.approx(82.4286, abs=1e-4)


def test_countback_t6_real_calendar_vs_simple():
    """T6 — DOMAIN.md §12 / §6.2 (ours, 2025 calendar): 31 Mar 2025, encours 180 000; Mar 90 000
    (31 d), Feb 60 000 (28 d), Jan 75 000 (31 d) → 31 + 28 + 30 000/75 000 × 31 = 71.4 days;
    simple method on the quarter: 180 000 × 90 / 225 000 = 72.0 days."""
    sales = pd.Series([75_000.0, 60_000.0, 90_000.0], index=["2025-01", "2025-02", "2025-03"])
    assert kpi.dso_countback(180_000.0, sales, "2025-03-31") == pytest.approx(71.4, abs=1e-9)
    assert kpi.dso_simple(180_000.0, 225_000.0, 90) == pytest.approx(72.0)


def test_countback_benjipays_thirty_day_months():
    """DOMAIN.md §6.2, benjipays/Mesha: encours 212 000; sales 100 000, 80 000, 70 000 with
    30-day months → 30 + 30 + 32/70 × 30 = 73.714 days. (Real calendars never have three
    30-day months in a row, so the core is fed the 30-day months directly.)
    https://support.benjipays.com/support/solutions/articles/150000179580"""
    dso, exhausted = _countback_core(np.array([212_000.0]),
                                     np.array([[100_000.0, 80_000.0, 70_000.0]]),
                                     np.array([30.0, 30.0, 30.0]))
    assert dso[0] == pytest.approx(30 + 30 + 32 / 70 * 30)
    assert not exhausted[0]


def test_countback_prorates_only_the_last_month_and_goes_backwards():
    # DOMAIN.md pitfall 5: backwards from the most recent month; receivables below the current
    # month's sales are prorated on that month only (here March, 31 days).
    sales = pd.Series([75_000.0, 60_000.0, 90_000.0], index=["2025-01", "2025-02", "2025-03"])
    assert kpi.dso_countback(45_000.0, sales, "2025-03-31") == pytest.approx(15.5)
    assert kpi.dso_countback(0.0, sales, "2025-03-31") == 0.0
    # receivables exactly equal to the last two months → 31 + 28
    assert kpi.dso_countback(150_000.0, sales, "2025-03-31") == pytest.approx(59.0)


def test_countback_partial_current_month():
    # month_end on the 15th: the current month counts 15 days (month-to-date sales)
    sales = pd.Series([60_000.0, 30_000.0], index=["2025-02", "2025-03"])
    assert kpi.dso_countback(60_000.0, sales, "2025-03-15") == pytest.approx(15 + 30_000 / 60_000
                                                                             * 28)


def test_countback_exhausted_is_nan():
    # receivables larger than every month's sales: NaN (documented), never a made-up number
    sales = pd.Series([100.0, 100.0], index=["2025-01", "2025-02"])
    assert np.isnan(kpi.dso_countback(500.0, sales, "2025-02-28"))
    # months without sales count full days and the search goes on
    sales = pd.Series([1000.0, 0.0, 0.0], index=["2025-01", "2025-02", "2025-03"])
    assert kpi.dso_countback(500.0, sales, "2025-03-31") == pytest.approx(31 + 28 + 15.5)


def test_countback_vectorised_equals_scalar():
    months = ["2025-01", "2025-02", "2025-03"]
    frame = pd.DataFrame([[75_000.0, 60_000.0, 90_000.0], [700.0, 800.0, 1200.0],
                          [10.0, 10.0, 10.0]], index=["a", "b", "c"], columns=months)
    rec = pd.Series([180_000.0, 2500.0, 5.0], index=["a", "b", "c"])
    out = kpi.dso_countback(rec, frame, "2025-03-31")
    for k in rec.index:
        assert out[k] == pytest.approx(kpi.dso_countback(rec[k], frame.loc[k], "2025-03-31"))
    assert out["c"] == pytest.approx(5 / 10 * 31)


def test_countback_bad_inputs():
    sales = pd.Series([1.0, 2.0], index=["2025-01", "2025-03"])  # a gap
    with pytest.raises(InputError, match="consecutive months"):
        kpi.dso_countback(1.0, sales, "2025-03-31")
    sales = pd.Series([1.0, 2.0], index=["2025-01", "2025-02"])
    with pytest.raises(InputError, match="last month"):
        kpi.dso_countback(1.0, sales, "2025-03-31")
    with pytest.raises(InputError, match="receivables >= 0"):
        kpi.dso_countback(-10.0, sales, "2025-02-28")
    assert np.isnan(kpi.dso_countback(-10.0, sales, "2025-02-28", on_negative="nan"))
    with pytest.raises(InputError, match="monthly_sales_ttc"):
        kpi.dso_countback(1.0, [1.0, 2.0], "2025-02-28")


# ---------------------------------------------------------------- DSO simple, BPDSO, ADD
def test_dso_simple_divalto_and_liasse():
    """DOMAIN.md §6.1: divalto 30 000 × 90 / 60 000 = 45 days; finance-technique analyst version
    472 / (2 400 + 470.4) × 365 = 60 days."""
    assert kpi.dso_simple(30_000, 60_000, 90) == pytest.approx(45.0)
    assert kpi.dso_simple(472, 2400 + 470.4, 365) == pytest.approx(60.0, abs=0.02)


def test_add_t9_creditguru():
    """T9 — DOMAIN.md §6.3, creditguru: AR 15 000, current 4 000, sales 10 000 in 30 days →
    DSO 45, BPDSO 12, ADD 33 days.
    https://www.creditguru.com/index.php/collection-management/collection-metrics/average-days-delinquent-add"""
    assert kpi.dso_simple(15_000, 10_000, 30) == pytest.approx(45.0)
    assert kpi.bpdso(4_000, 10_000, 30) == pytest.approx(12.0)
    assert kpi.average_days_delinquent(15_000, 4_000, 10_000, 30) == pytest.approx(33.0)
    assert kpi.ddso is kpi.average_days_delinquent


def test_ours_crf_annual_example():
    """DOMAIN.md §6.4 (ours, CRF annual form): beginning 1 000 000, annual credit sales
    12 000 000, ending total 1 100 000, ending current 800 000 → CEI 75.0 %, DSO 33.46 d,
    BPDSO 24.33 d, ADD 9.13 d."""
    assert kpi.cei_annual(1e6, 12e6, 1.1e6, 8e5) == pytest.approx(0.75)
    assert kpi.dso_simple(1.1e6, 12e6, 365) == pytest.approx(33.46, abs=0.005)
    assert kpi.bpdso(8e5, 12e6, 365) == pytest.approx(24.33, abs=0.005)
    assert kpi.average_days_delinquent(1.1e6, 8e5, 12e6, 365) == pytest.approx(9.13, abs=0.005)


def test_cei_t7_creditguru():
    """T7 — DOMAIN.md §6.4, creditguru: beginning 6 200, sales 10 890 / 3 = 3 630, ending total
    6 340, ending current 3 590 → 55.929 %.
    http://www.creditguru.com/index.php/collection-management/collection-metrics/collection-effectiveness-index-cei"""
    assert kpi.cei(6200, 10_890 / 3, 6340, 3590) == pytest.approx(0.55929, abs=1e-5)
    # the wrong "(B − E)/(B − current)" form (calculator.academy) would give another number
    assert kpi.cei(6200, 10_890 / 3, 6340, 3590) != pytest.approx((6200 - 6340) / (6200 - 3590))


def test_cei_zero_denominator_is_nan():
    assert np.isnan(kpi.cei(0.0, 0.0, 0.0, 0.0))
    out = kpi.cei(pd.Series([0.0, 6200]), pd.Series([0.0, 3630]), pd.Series([0.0, 6340]),
                  pd.Series([0.0, 3590]))
    assert np.isnan(out.iloc[0]) and out.iloc[1] == pytest.approx(0.5593, abs=1e-4)


# ---------------------------------------------------------------- portfolio ratios
def test_overdue_ratio_t20():
    """T20 — DOMAIN.md §6.5 (ours): AR 15 000, current 4 000 → past due 11 000 → 73.33 %."""
    assert kpi.overdue_ratio(15_000 - 4_000, 15_000) == pytest.approx(0.7333, abs=1e-4)


def test_bad_debt_ratio_t21():
    """T21 — DOMAIN.md §6.5 (ours): write-offs 12 000 HT, recoveries 2 000, credit sales
    2 000 000 HT → 10 000 / 2 000 000 = 0.50 %."""
    assert kpi.bad_debt_ratio(12_000, 2_000_000, recoveries_ht=2_000) == pytest.approx(0.005)
    with pytest.raises(InputError, match="write_offs_ht"):
        kpi.bad_debt_ratio(-1.0, 100.0)


def test_shares_of_a_net_credit_balance_are_refused():
    # DOMAIN.md §6.5 divides by total receivables: on a net credit balance (−1 000, of which
    # 1 000 past due and −2 000 of credit notes) "past due / total" would read −100 %.
    for f in (kpi.overdue_ratio, kpi.share_over_90, kpi.dispute_rate):
        with pytest.raises(InputError, match="receivables_ttc"):
            f(1_000.0, -1_000.0)
        assert np.isnan(f(1_000.0, -1_000.0, on_negative="nan"))
    out = kpi.overdue_ratio(pd.Series([11_000.0, 1_000.0]), pd.Series([15_000.0, -1_000.0]),
                            on_negative="nan")
    assert out.iloc[0] == pytest.approx(0.7333, abs=1e-4) and np.isnan(out.iloc[1])


def test_other_ratios():
    assert kpi.share_over_90(3_000, 15_000) == pytest.approx(0.2)
    assert kpi.receivables_turnover(12e6, 1.1e6) == pytest.approx(10.909, abs=1e-3)
    assert kpi.provisioning_ratio(5_000, 100_000) == pytest.approx(0.05)
    assert kpi.dispute_rate(2_000, 40_000) == pytest.approx(0.05)
    assert kpi.credit_limit_utilisation(45_000, 30_000) == pytest.approx(1.5)
    assert np.isnan(kpi.credit_limit_utilisation(45_000, 0.0))


def test_zero_denominators_give_nan_never_inf():
    assert np.isnan(kpi.dso_simple(1000.0, 0.0, 30))
    s = kpi.dso_simple(pd.Series([1000.0, 1000.0], index=["x", "y"]),
                       pd.Series([0.0, 2000.0], index=["x", "y"]), 30)
    assert np.isnan(s["x"]) and s["y"] == pytest.approx(15.0)
    assert not np.isinf(s).any()
    assert np.isnan(kpi.overdue_ratio(0.0, 0.0))
    arr = kpi.bpdso(np.array([1.0, 2.0]), np.array([0.0, 4.0]), 30)
    assert np.isnan(arr[0]) and arr[1] == pytest.approx(15.0)


def test_bad_inputs_are_clear_errors():
    with pytest.raises(InputError, match="receivables_ttc"):
        kpi.dso_simple("1000", 100.0, 30)
    with pytest.raises(InputError, match="days"):
        kpi.dso_simple(1000.0, 100.0, 0)
    with pytest.raises(InputError, match="DataFrame"):
        kpi.dso_simple(pd.DataFrame({"a": [1.0]}), 100.0, 30)
    with pytest.raises(InputError, match="sales_ttc"):
        kpi.dso_simple(1000.0, -5.0, 30)
    with pytest.raises(InputError, match="receivables >= 0"):
        kpi.dso_simple(pd.Series([1.0, -2.0]), pd.Series([10.0, 10.0]), 30)
    out = kpi.dso_simple(pd.Series([1.0, -2.0]), pd.Series([10.0, 10.0]), 30, on_negative="nan")
    assert out.iloc[0] == pytest.approx(3.0) and np.isnan(out.iloc[1])
    with pytest.raises(InputError, match="numeric"):
        kpi.overdue_ratio(pd.Series(["a"]), pd.Series([1.0]))
    with pytest.raises(InputError, match="on_negative"):
        kpi.dso_simple(1.0, 1.0, 30, on_negative="ignore")


# ---------------------------------------------------------------- snapshot on open items
def _items():
    return pd.DataFrame({
        "customer_id": ["A", "A", "B", "B", "C"],
        "invoice_id": ["F1", "F2", "F3", "AV1", "R1"],
        "doc_type": ["invoice", "invoice", "invoice", "credit_note", "unallocated_cash"],
        "issue_date": pd.to_datetime(["2025-01-01", "2025-05-10", "2025-06-01", "2025-05-20",
                                      "2025-06-20"]),
        "due_date": pd.to_datetime(["2025-03-02", "2025-07-09", "2025-06-20", "2025-05-20",
                                    "2025-06-20"]),
        "amount_ttc": [10_000.0, 6_000.0, 4_000.0, -1_000.0, -500.0],
        "paid_amount": [2_000.0, 0.0, 0.0, 0.0, 0.0],
        "open_amount": [8_000.0, 6_000.0, 4_000.0, -1_000.0, -500.0],
        "disputed": [False, False, True, False, False],
    })


def test_receivables_status_and_weighted_days_past_due():
    items = _items()
    asof = pd.Timestamp("2025-06-30")
    st = kpi.receivables_status(items, asof).loc["total"]
    assert st["receivables_ttc"] == pytest.approx(16_500.0)
    assert st["current_ttc"] == pytest.approx(6_000.0)
    assert st["past_due_ttc"] == pytest.approx(10_500.0)
    assert st["over_90_ttc"] == pytest.approx(8_000.0)  # F1: 120 days past due
    assert st["disputed_ttc"] == pytest.approx(4_000.0)
    # WDPD over past-due invoices only: (8 000 × 120 + 4 000 × 10) / 12 000
    expected = (8_000 * 120 + 4_000 * 10) / 12_000
    assert st["weighted_days_past_due"] == pytest.approx(expected)
    assert kpi.weighted_days_past_due(items, asof) == pytest.approx(expected)
    by = kpi.weighted_days_past_due(items, asof, by="customer_id")
    assert by["A"] == pytest.approx(120.0) and by["B"] == pytest.approx(10.0)
    assert np.isnan(by["C"])
    grouped = kpi.receivables_status(items, asof, by="customer_id")
    assert grouped["receivables_ttc"].sum() == pytest.approx(16_500.0)
    assert grouped.loc["A", "overdue_ratio"] == pytest.approx(8_000 / 14_000)
    # C holds only unallocated cash (−500): no share of a net credit balance
    assert grouped.loc["C", "receivables_ttc"] == pytest.approx(-500.0)
    assert grouped.loc["C", ["overdue_ratio", "share_over_90", "dispute_rate"]].isna().all()


def test_receivables_status_by_customer_attribute_and_errors():
    items = _items()
    customers = pd.DataFrame({"customer_id": ["A", "B", "C"], "segment": ["PME", "GC", "GC"]})
    st = kpi.receivables_status(items, "2025-06-30", by="segment", customers=customers)
    assert st.loc["GC", "receivables_ttc"] == pytest.approx(2_500.0)
    with pytest.raises(InputError, match="customers"):
        kpi.receivables_status(items, "2025-06-30", by="segment")
    with pytest.raises(InputError, match="as_of"):
        kpi.receivables_status(items, None)
    with pytest.raises(InputError, match="open_amount"):
        kpi.receivables_status(items.drop(columns="open_amount"), "2025-06-30")


def test_dispute_ageing_by_cause():
    disputes = pd.DataFrame({
        "dispute_id": ["L1", "L2", "L3", "L4"], "invoice_id": ["F1", "F2", "F3", "F4"],
        "customer_id": ["A", "A", "B", "B"],
        "opened_date": pd.to_datetime(["2025-06-20", "2025-03-01", "2025-05-15", "2025-01-01"]),
        "closed_date": pd.to_datetime([None, None, None, "2025-02-01"]),
        "cause": ["price", "price", "quality", "delivery"],
        "amount_ttc": [1_000.0, 3_000.0, 500.0, 800.0],
    })
    out = kpi.dispute_ageing(disputes, "2025-06-30")
    assert list(out.index[:5]) == ["price", "quantity", "quality", "delivery", "administrative"]
    assert out.loc["price", "n_open"] == 2
    assert out.loc["price", "amount_ttc"] == pytest.approx(4_000.0)
    # ages 10 and 121 days, amount-weighted
    assert out.loc["price", "avg_age_days"] == pytest.approx((1_000 * 10 + 3_000 * 121) / 4_000)
    assert out.loc["price", "age_0_30"] == pytest.approx(1_000.0)
    assert out.loc["price", "age_over_90"] == pytest.approx(3_000.0)
    assert out.loc["quality", "age_31_60"] == pytest.approx(500.0)  # 46 days
    assert list(out.columns[4:]) == ["age_0_30", "age_31_60", "age_61_90", "age_over_90"]
    assert out.loc["delivery", "n_open"] == 0  # closed before as_of
    assert np.isnan(out.loc["delivery", "avg_age_days"])
    fr = kpi.dispute_ageing_words(out)
    assert list(fr.columns) == ["n_open", "amount_ttc", "avg_age_days", "max_age_days",
                                "0-30 j", "31-60 j", "61-90 j", "> 90 j"]
    en = kpi.dispute_ageing_words(out, "en")
    assert "> 90 d" in en.columns and en.loc["price", "> 90 d"] == pytest.approx(3_000.0)
    with pytest.raises(TypeError):
        kpi.dispute_ageing(disputes, "2025-06-30", lang="en")  # lang left the computation
    with pytest.raises(InputError, match="buckets"):
        kpi.dispute_ageing(disputes, "2025-06-30", buckets=(60, 30))


def test_note_text_translates_codes():
    assert "CA" in kpi.note_text("no_sales", "fr")
    assert "no sales" in kpi.note_text("no_sales;credit_balance", "en")
    assert kpi.note_text("", "fr") == ""
