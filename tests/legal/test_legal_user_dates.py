"""Dates typed by a user are read one way in legal, finance, scores, statements, modeling, synth:
ISO or French day-first, never month-first (creditlab._checks.as_date)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creditlab import legal, synth
from creditlab.exceptions import InputError
from creditlab.finance import payment_plan
from creditlab.modeling import failure_target
from creditlab.scores.ratings import combine_ratings
from creditlab.statements.fec import mapping_version_for


def test_due_date_reads_french_dates_day_first():
    # 01/02/2025 is the 1st of February (pandas alone would read 2 January)
    assert legal.due_date("01/02/2025", "net_30") == pd.Timestamp("2025-03-03")
    s = legal.due_date(pd.Series(["2025-01-02", "15/03/2025"], index=[5, 6]), "net_30")
    assert s.to_dict() == {5: pd.Timestamp("2025-02-01"), 6: pd.Timestamp("2025-04-14")}
    arr = np.array(["2025-01-02", "2025-03-01"], dtype="datetime64[ns]")
    assert legal.due_date(arr, "net_30").tolist() == [pd.Timestamp("2025-02-01"),
                                                      pd.Timestamp("2025-03-31")]


@pytest.mark.parametrize("bad", ["01/31/2025", "31/06/2025", "2025-13-01", "1025-01-01", "soon"])
def test_month_first_impossible_or_unreadable_dates_are_refused(bad):
    with pytest.raises(InputError, match="issue_date"):
        legal.due_date(bad, "net_30")
    with pytest.raises(InputError, match="due_date"):
        legal.late_penalties(100.0, bad, "2025-03-31")


def test_late_penalties_same_for_french_iso_and_timestamp_dates():
    ref = legal.late_penalties(1000.0, "2025-01-31", "2025-03-31")
    for due, end in (("31/01/2025", "31/03/2025"),
                     (pd.Timestamp("2025-01-31 17:45", tz="Europe/Paris"), "2025-03-31")):
        got = legal.late_penalties(1000.0, due, end)
        assert got["days_late"].iloc[0] == 59
        assert got["penalty"].iloc[0] == ref["penalty"].iloc[0]
    # a missing date still names the column
    with pytest.raises(InputError, match="due_date"):
        legal.late_penalties(pd.Series([1.0, 2.0]), pd.Series(["2025-01-31", None]),
                             "2025-03-31")


def test_penalty_breakdown_and_rate_table_read_french_dates():
    a = legal.penalty_breakdown(1000.0, "31/12/2024", "31/03/2025")
    b = legal.penalty_breakdown(1000.0, "2024-12-31", "2025-03-31")
    pd.testing.assert_frame_equal(a, b)
    assert legal.penalty_rate_table("01/07/2024", "01/01/2025")["half_year"].tolist() == \
        ["2024 S2", "2025 S1"]


def test_payment_plan_first_date_day_first():
    plan = payment_plan(1200.0, 3, "05/01/2026")
    assert plan.first_date == pd.Timestamp("2026-01-05")
    with pytest.raises(InputError, match="first_date"):
        payment_plan(1200.0, 3, "01/13/2026")


def test_scores_statements_modeling_synth_as_of_checks():
    assert mapping_version_for("01/01/2024") == mapping_version_for("2024-01-01")
    r = pd.DataFrame({"customer_id": ["C1"], "provider": ["bdf"], "grade": ["4"],
                      "date": ["2024-06-30"]})
    assert combine_ratings(r, as_of="31/12/2024").equals(combine_ratings(r, as_of="2024-12-31"))
    with pytest.raises(InputError, match="as_of"):
        combine_ratings(r, as_of="12/31/2024")
    fs = pd.DataFrame({"customer_id": ["C1"], "fiscal_year_end": [pd.Timestamp("2023-12-31")]})
    ev = pd.DataFrame({"customer_id": ["C1"], "event_type": ["liquidation"],
                       "event_date": [pd.Timestamp("2024-06-01")]})
    with pytest.raises(InputError, match="as_of"):
        failure_target(fs, ev, as_of="12/31/2025")
    assert failure_target(fs, ev, as_of="31/12/2025")["target"].tolist() == [1]
    with pytest.raises(InputError, match="start"):
        synth.make_portfolio(n_customers=10, start="01/13/2024")
