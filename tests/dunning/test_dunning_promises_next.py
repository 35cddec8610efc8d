"""Promises example file, promise reading errors, what is really next on the legal path
(DOMAIN.md §7.5: an injonction de payer follows a mise en demeure left unanswered)."""

from __future__ import annotations

import pandas as pd
import pytest

from creditlab.dunning import (
    cases_in_words,
    cases_to_escalate,
    load_policy,
    promises_status,
    read_promises,
    status_words,
)
from creditlab.dunning.escalation import DEMO_PROMISES_FILE
from creditlab.exceptions import InputError
from creditlab.io import load_demo

AS_OF = pd.Timestamp("2025-12-31")


@pytest.fixture(scope="module")
def demo():
    return load_demo()


def test_demo_promises_file_statuses_match_the_demo_ledger(demo):
    p = read_promises(DEMO_PROMISES_FILE, customers=demo["customers"], invoices=demo["invoices"])
    st = promises_status(p, demo, AS_OF)
    assert st["status"].value_counts().to_dict() == {"kept": 3, "broken": 3, "due": 2,
                                                     "pending": 2}
    assert st.loc[st["status"] == "broken", "open_remaining"].sum() == pytest.approx(8616.12)
    # kept = paid in full on or before the promised date in the ledger
    pay = demo["payments"].set_index("invoice_id")
    for r in st[st["status"] == "kept"].itertuples():
        assert pay.loc[r.invoice_ids, "payment_date"] <= r.promise_date
    cases = cases_to_escalate(demo, load_policy(), AS_OF, promises=p,
                              customers=demo["customers"])
    broken = set(st.loc[st["status"] == "broken", "customer_id"])
    assert broken <= set(cases.index[cases["broken_promises"] > 0])
    assert all("broken_promise" in cases.loc[c, "reasons"].split(";") for c in broken)
    words = cases_in_words(cases, load_policy())
    assert all("promesse non tenue" in words.loc[c, "reasons"] for c in broken)
    assert "status_label" not in st.columns  # a code; its words at the edge
    assert set(status_words(st).loc[st["status"] == "broken", "status_label"]) == {"non tenue"}
    assert set(status_words(st, "en").loc[st["status"] == "kept", "status_label"]) == {"kept"}


@pytest.mark.parametrize("frame, column", [
    (pd.DataFrame({"customer_id": ["C00086"], "amount": [1.0]}), "promises columns"),
    (pd.DataFrame({"customer_id": ["C00086"], "promise_date": ["2025-13-45"], "amount": [1.0]}),
     "promises.promise_date"),
    (pd.DataFrame({"customer_id": ["C00086"], "promise_date": ["2025-12-12"],
                   "amount": ["abc"]}), "promises.amount"),
    (pd.DataFrame({"customer_id": ["ZZZ"], "promise_date": ["2025-12-12"], "amount": [1.0]}),
     "promises.customer_id"),
    (pd.DataFrame({"customer_id": ["C00086"], "promise_date": ["2025-12-12"], "amount": [1.0],
                   "invoice_ids": ["F2025-0010790"]}), "promises.invoice_ids"),  # C00323's
])
def test_read_promises_errors_name_the_column(demo, frame, column):
    with pytest.raises(InputError) as err:
        read_promises(frame, customers=demo["customers"], invoices=demo["invoices"])
    assert err.value.name == column and err.value.fix


def test_read_promises_french_dates_and_missing_file(tmp_path):
    p = read_promises(pd.DataFrame({"customer_id": ["C1"], "promise_date": ["05/01/2026"],
                                    "amount": ["10"]}))
    assert p["promise_date"].iloc[0] == pd.Timestamp("2026-01-05")  # day first, never May
    with pytest.raises(InputError, match="existing CSV"):
        read_promises(tmp_path / "none.csv")


def _one(due: str):
    return pd.DataFrame({"customer_id": ["X"], "invoice_id": ["F1"], "doc_type": ["invoice"],
                         "due_date": pd.to_datetime([due]), "open_amount": [5000.0]})


def _med(date: str) -> pd.DataFrame:
    return pd.DataFrame({"customer_id": ["X"], "date": pd.to_datetime([date]),
                         "step_day": [45], "escalation": ["mise_en_demeure"],
                         "invoice_ids": ["F1"], "status": ["sent"]})


def test_cases_say_what_is_really_next_on_the_legal_path():
    """DOMAIN.md §7.5: no injonction de payer before a mise en demeure and its delay."""
    pol = load_policy()  # pme_fiables: mise en demeure J+45, injonction J+75, delay 8 days
    items = _one("2025-08-01")  # 152 days past due: injonction step reached
    none = cases_to_escalate(items, pol, AS_OF)
    assert none.loc["X", "step_escalation"] == "injonction_de_payer"
    assert none.loc["X", "next_action"] == "formal_notice_to_send"
    assert none.loc["X", "escalation"] == "mise_en_demeure"
    assert "escalation_label" not in none.columns
    assert cases_in_words(none, pol).loc["X", "escalation_label"] == \
        "mise en demeure à envoyer"
    running = cases_to_escalate(items, pol, AS_OF, _med("2025-12-27"))  # 4 days < 8
    assert cases_in_words(running, pol).loc["X", "escalation_label"] == \
        "délai de la mise en demeure en cours"
    due = cases_to_escalate(items, pol, AS_OF, _med("2025-12-01"))
    assert due.loc["X", "next_action"] == "injonction_de_payer"
    assert cases_in_words(due, pol, "en").loc["X", "escalation_label"] == "payment order"
    with pytest.raises(TypeError):
        cases_to_escalate(items, pol, AS_OF, lang="en")  # lang left the computation
    waiting = cases_to_escalate(_one("2025-11-01"), pol, AS_OF, _med("2025-12-16"))  # J+60
    assert waiting.loc["X", "next_action"] == "awaiting_next_step"


def test_cases_to_escalate_with_nothing_overdue_is_empty_not_a_crash():
    # a ledger whose invoices are all current: no case (it used to raise a TypeError)
    items = pd.DataFrame({"customer_id": ["A"], "invoice_id": ["F1"], "doc_type": ["invoice"],
                          "issue_date": pd.to_datetime(["2025-12-01"]),
                          "due_date": pd.to_datetime(["2026-01-30"]), "amount_ttc": [100.0],
                          "paid_amount": [0.0], "open_amount": [100.0], "disputed": [False]})
    assert cases_to_escalate(items, load_policy(), "2025-12-31").empty
