"""Dashboard charts (creditlab.plots.kpi): each returns its Axes and draws what it says."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from creditlab.limits import CreditPolicy, credit_hold, propose_limits
from creditlab.plots import kpi as pk
from creditlab.receivables.exposure import exposure
from creditlab.receivables.kpi import dispute_ageing, kpi_history

ASOF = pd.Timestamp("2025-06-30")


@pytest.fixture(scope="module")
def history():
    rng = np.random.default_rng(3)
    n = 200
    issue = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 540, n), "D")
    inv = pd.DataFrame({"invoice_id": [f"F{i}" for i in range(n)],
                        "customer_id": rng.choice(["A", "B"], n), "doc_type": "invoice",
                        "issue_date": issue, "due_date": issue + pd.Timedelta(days=45),
                        "amount_ttc": rng.uniform(100, 1000, n).round(2)})
    paid = rng.random(n) < 0.7
    pay = pd.DataFrame({"payment_id": inv["invoice_id"][paid], "customer_id": inv["customer_id"][
        paid], "payment_date": issue[paid] + pd.Timedelta(days=50),
        "amount": inv["amount_ttc"][paid], "invoice_id": inv["invoice_id"][paid]})
    return kpi_history(inv, pay, "2024-07", ASOF), kpi_history(inv, pay, "2024-07", ASOF,
                                                               by="customer_id")


@pytest.fixture(scope="module")
def book():
    items = pd.DataFrame({"customer_id": ["A", "B", "C"], "invoice_id": ["F1", "F2", "F3"],
                          "doc_type": "invoice",
                          "due_date": pd.to_datetime(["2025-03-01", "2025-07-15", "2025-06-01"]),
                          "open_amount": [12_000.0, 4_000.0, 9_000.0]})
    orders = pd.DataFrame({"order_id": ["O1", "O2"], "customer_id": ["A", "B"],
                           "order_date": pd.to_datetime(["2025-06-20", "2025-06-21"]),
                           "amount_ttc": [3_000.0, 500.0], "status": ["accepted", "accepted"]})
    customers = pd.DataFrame({"customer_id": ["A", "B", "C"],
                              "credit_limit": [10_000.0, 20_000.0, np.nan],
                              "insurer_agreement": [8_000.0, np.nan, 5_000.0]})
    return items, orders, customers


def teardown_function():
    plt.close("all")


def test_trend_plots(history):
    h, by = history
    ax = pk.plot_kpi_trend(h, ["overdue_ratio", "share_over_90"])
    assert len(ax.get_lines()) == 2
    assert ax.get_legend().get_texts()[0].get_text() == "Taux d'échu"
    ax = pk.plot_kpi_trend(by, ["dso_simple"], lang="en")
    assert len(ax.get_lines()) == 2  # one line per customer
    ax = pk.plot_kpi_trend(by, ["dso_simple", "bpdso"], group="A")
    assert len(ax.get_lines()) == 2
    with pytest.raises(ValueError):
        pk.plot_kpi_trend(by, ["dso_simple", "bpdso"])
    ax = pk.plot_dso(h)
    assert len(ax.get_lines()) == 3 and "DSO" in ax.get_title()
    _, ax2 = plt.subplots()
    assert pk.plot_receivables_split(h, ax=ax2, lang="en") is ax2
    assert ax2.get_title() == "Receivables (incl. VAT)"


def test_exposure_limit_dispute_hold_plots(book):
    items, orders, customers = book
    e = exposure(items, orders, ASOF, customers=customers)
    ax = pk.plot_top_exposures(e, n=3)
    assert len(ax.patches) == 6  # insured + uninsured bar per customer
    assert e.plot_top().get_title().startswith("Premiers risques")
    ax = pk.plot_top_exposures(e, n=3, names=pd.Series({"A": "Alpha SA"}))
    assert "Alpha SA (A)" in [t.get_text() for t in ax.get_yticklabels()]
    ax = pk.plot_insured_split(e)
    assert "assuré" in [t.get_text() for t in ax.texts]
    inp = pd.DataFrame({"monthly_sales_ttc": [20_000.0, 1_000.0], "payment_terms": ["net_60",
                                                                                   "net_30"],
                        "equity": [50_000.0, 10_000.0]}, index=["A", "B"])
    prop = propose_limits(inp, CreditPolicy.load(), as_of=ASOF)
    ax = prop.plot_gap()
    assert len(ax.patches) == 4 and "Écart" in ax.get_title()
    disputes = pd.DataFrame({"invoice_id": ["F1"], "customer_id": ["A"],
                             "opened_date": pd.to_datetime(["2025-05-01"]),
                             "closed_date": pd.to_datetime([None]), "cause": ["quality"],
                             "amount_ttc": [500.0]})
    ax = pk.plot_disputes_by_cause(dispute_ageing(disputes, ASOF))
    assert [t.get_text() for t in ax.get_yticklabels()][2] == "qualité"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["0-30 j", "31-60 j", "61-90 j", "> 90 j"]  # codes drawn in words
    ax = pk.plot_disputes_by_cause(dispute_ageing(disputes, ASOF), lang="en")
    assert [t.get_text() for t in ax.get_legend().get_texts()][-1] == "> 90 d"
    report = credit_hold(orders, items, ASOF, customers=customers)
    ax = pk.plot_hold(report)
    assert len(ax.patches) == len(report.by_reason())
    empty = credit_hold(orders.iloc[:0], items, ASOF, customers=customers)
    ax = pk.plot_hold(empty, lang="en")
    assert ax.texts[0].get_text() == "no order on hold"


def test_compact_euro_ticks():
    # axis ticks stay short (a long axis of full amounts overlapped) and are never rounded to
    # a misleading value (1 250 000 is 1,25 M€, not 1,2 M€)
    from creditlab.plots._axes import compact_eur

    assert [compact_eur(v, "fr") for v in (0, 750, 250_000, 1_250_000, -38_000)] == [
        "0\u00a0€", "750\u00a0€", "250\u00a0k€", "1,25\u00a0M€", "-38\u00a0k€"]
    assert [compact_eur(v, "en") for v in (0, 250_000, 1_500_000)] == ["€0", "€250k", "€1.5M"]
