"""The credit dashboard's package functions, on small hand-made inputs (values asserted)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creditlab.exceptions import InputError
from creditlab.reports import dashboard as db
from creditlab.reports import load_inputs


def _rating(classes: dict, rationale: str = "r") -> pd.DataFrame:
    idx = pd.Index(list(classes), name="customer_id")
    return pd.DataFrame({"rating_class": pd.array(list(classes.values()), dtype="Int64"),
                         "rationale": [f"{rationale}{c}" for c in classes]}, index=idx)


def test_rating_changes_and_downgrades():
    before = _rating({"A": 1, "B": 2, "C": 3, "D": None})
    now = _rating({"A": 3, "B": 2, "C": 1, "D": 4, "E": 4}, "now-")
    changes = db.rating_changes(before, now)
    # D (no class a year ago) and E (not rated then) are left out
    assert changes.to_dict("index") == {"A": {"class_before": 1.0, "class_now": 3.0},
                                        "B": {"class_before": 2.0, "class_now": 2.0},
                                        "C": {"class_before": 3.0, "class_now": 1.0}}
    exp = pd.DataFrame({"net_exposure": [500.0, 900.0]},
                       index=pd.Index(["A", "C"], name="customer_id"))
    down = db.downgrades(changes, exp, now)
    assert list(down.index) == ["A"]   # only a class number that went up
    assert down.loc["A"].to_dict() == {"class_before": 1.0, "class_now": 3.0,
                                       "net_exposure": 500.0, "rationale": "now-A"}
    # several downgrades: largest exposure first, a customer without exposure last
    changes2 = pd.DataFrame({"class_before": [1.0, 1.0, 2.0], "class_now": [2.0, 3.0, 4.0]},
                            index=pd.Index(["A", "C", "Z"], name="customer_id"))
    down2 = db.downgrades(changes2, exp, _rating({"A": 2, "C": 3, "Z": 4}))
    assert list(down2.index) == ["C", "A", "Z"] and np.isnan(down2.loc["Z", "net_exposure"])


def test_insolvencies_over_the_last_year_with_exposure():
    events = pd.DataFrame({
        "customer_id": ["A", "B", "C", "D"],
        "event_type": ["redressement", "liquidation", "sauvegarde", "liquidation"],
        "event_date": pd.to_datetime(["2025-06-30", "2024-12-31", "2025-12-31", "2026-01-02"])})
    exp = pd.DataFrame({"open_receivables": [100.0, 50.0], "net_exposure": [120.0, 0.0]},
                       index=pd.Index(["A", "C"], name="customer_id"))
    got = db.insolvencies(events, exp, "2025-12-31")
    # B exactly one year before is out (start excluded), D after the date is out
    assert got["customer_id"].tolist() == ["A", "C"]
    assert got["net_exposure"].tolist() == [120.0, 0.0]
    view = db.insolvencies_view(got, "fr")
    assert view.loc["C", "event_type"] == "sauvegarde" and view.index[0] == "C"
    assert view.loc["A", "event_type"] == "redressement judiciaire"
    assert view.loc["A", "event_date"] == "30/06/2025"
    en = db.insolvencies_view(got, "en")
    assert en.loc["A", "event_type"] == "receivership" and en.loc["A", "event_date"] == "2025-06-30"
    assert db.insolvencies(None, exp, "2025-12-31").empty


def test_open_orders():
    orders = pd.DataFrame({
        "order_id": ["O1", "O2", "O3", "O4", "O5"],
        "status": ["accepted", "shipped", "shipped", "shipped", "accepted"],
        "order_date": pd.to_datetime(["2025-12-01", "2025-12-01", "2025-12-01", "2025-12-01",
                                      "2026-01-05"]),
        "ship_date": pd.to_datetime([None, "2025-12-20", "2026-01-10", None, None])})
    # O2 shipped by then, O4 shipped without a date, O5 ordered later: out
    assert db.open_orders(orders, "2025-12-31")["order_id"].tolist() == ["O1", "O3"]


def test_kpi_panel_formats_by_unit():
    hist = pd.DataFrame({k: [np.nan] * 3 for k in db.KPI_PANEL_ROWS})
    hist.loc[2, ["receivables_ttc", "dso_simple", "overdue_ratio", "n_over_limit"]] = \
        [1234567.4, 45.25, 0.125, 3]
    hist.loc[1, "dso_simple"] = 50.0
    fr = db.kpi_panel(hist, "fr")
    assert list(fr.columns) == ["ce mois", "mois précédent", "il y a 2 mois"]
    assert fr.loc["Encours clients TTC", "ce mois"] == "1\u202f234\u202f567\xa0€"
    assert fr.loc["DSO comptable (j)", "ce mois"] == "45,2 j"
    assert fr.loc["DSO comptable (j)", "mois précédent"] == "50,0 j"
    assert fr.iloc[list(db.KPI_PANEL_ROWS).index("overdue_ratio"), 0] == "12,5\xa0%"
    assert fr.iloc[-1, 0] == "3" and fr.iloc[0, 2] == "—"
    en = db.kpi_panel(hist, "en")
    assert list(en.columns) == ["this month", "previous month", "2 months ago"]
    assert en.loc["DSO, simple (days)", "this month"] == "45.2 d"
    # a ledger of one month: this month only, never zero-filled months before it
    assert list(db.kpi_panel(hist.iloc[-1:], "en").columns) == ["this month"]
    with pytest.raises(InputError, match="history"):
        db.kpi_panel(hist.iloc[:0], "fr")


def test_check_kpis_catches_a_disagreement():
    hist = pd.DataFrame({"receivables_ttc": [100.0], "current_ttc": [60.0],
                         "over_90_ttc": [10.0], "overdue_ratio": [0.4], "dso_simple": [30.0],
                         "bpdso": [20.0], "add": [10.0]})
    items = pd.DataFrame({"open_amount": [70.0, 30.0]})
    status = pd.Series({"current_ttc": 60.0, "over_90_ttc": 10.0})
    db.check_kpis(hist, items, status)
    with pytest.raises(AssertionError, match="receivables"):
        db.check_kpis(hist, items.assign(open_amount=[70.0, 31.0]), status)
    with pytest.raises(AssertionError, match="ADD"):
        db.check_kpis(hist.assign(add=[11.0]), items, status)


def test_rating_at_uses_only_what_was_known(demo):
    inv, pay = demo["invoices"], demo["payments"]
    cust, fs, ev = demo["customers"], demo["financial_statements"], demo["events"]
    date = pd.Timestamp("2024-12-31")
    got = db.rating_at(date, inv, pay, customers=cust, financial_statements=fs, events=ev)
    # statements closed after the date change nothing: the same answer without them
    known = fs[fs["fiscal_year_end"] <= date]
    again = db.rating_at(date, inv, pay, customers=cust, financial_statements=known, events=ev)
    pd.testing.assert_series_equal(got["rating_class"], again["rating_class"])
    # the latest statements do change some classes (otherwise the test proves nothing)
    now = db.rating_at("2025-12-31", inv, pay, customers=cust, financial_statements=fs,
                       events=ev)
    changes = db.rating_changes(got, now)
    assert len(changes) > 0 and (changes["class_before"] != changes["class_now"]).any()


def test_build_dashboard_on_the_demo(demo):
    dash = db.build_dashboard(load_inputs(), "en")   # runs every check
    files = dash.files()
    assert set(files) == {"report_file_kpi_history", "report_file_customer_exposure",
                          "report_file_orders_on_hold", "report_file_disputes_by_cause",
                          "report_file_watch_list", "report_file_proposed_limits"}
    assert len(dash.history) == 12 and dash.history.index[-1] is not None
    assert (dash.downgrades["class_now"] > dash.downgrades["class_before"]).all()
    assert abs(dash.history.iloc[-1]["receivables_ttc"] - dash.inputs.items.total) < 0.01
