"""Dunning policy and action planning (creditlab.dunning.policy, creditlab.dunning.plan).

Rules under test: the module docstring of creditlab/dunning/plan.py; legal basis DOMAIN.md §7.2
(penalties and the 40 € indemnity are due from the day after the due date, L441-10 II, D441-5)
and §7.5 (recovery path).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creditlab.dunning import (
    DunningPolicy,
    Scenario,
    Step,
    empty_history,
    load_policy,
    plan_actions,
)
from creditlab.exceptions import InputError

AS_OF = pd.Timestamp("2025-12-31")


def _items() -> pd.DataFrame:
    """Hand-built open items at 2025-12-31 (CONTRACTS.md shape)."""
    rows = [
        # customer, invoice, doc_type, issue, due, amount, paid, open, disputed
        ("C1", "A1", "invoice", "2025-11-21", "2025-12-21", 1000.0, 0.0, 1000.0, False),
        ("C1", "A2", "invoice", "2025-10-01", "2025-12-01", 500.0, 0.0, 500.0, False),
        ("C1", "CN1", "credit_note", "2025-12-10", "2025-12-10", -200.0, 0.0, -200.0, False),
        ("C2", "B1", "invoice", "2025-12-01", "2026-01-03", 800.0, 0.0, 800.0, False),
        ("C3", "D1", "invoice", "2025-10-01", "2025-11-21", 2000.0, 0.0, 2000.0, True),
        ("C3", "D2", "invoice", "2025-11-01", "2025-12-26", 30.0, 0.0, 30.0, False),
        ("C4", "E0", "invoice", "2025-11-01", "2025-12-31", 900.0, 0.0, 900.0, False),
        ("C5", "E2", "invoice", "2025-09-01", "2025-11-11", 10000.0, 0.0, 10000.0, False),
    ]
    df = pd.DataFrame(rows, columns=["customer_id", "invoice_id", "doc_type", "issue_date",
                                     "due_date", "amount_ttc", "paid_amount", "open_amount",
                                     "disputed"])
    for c in ("issue_date", "due_date"):
        df[c] = pd.to_datetime(df[c])
    return df


def _customers() -> pd.DataFrame:
    return pd.DataFrame({
        "customer_id": ["C1", "C2", "C3", "C4", "C5"],
        "name": ["Alpha SARL", "Beta SAS", "Gamma SA", "Delta EURL", "Epsilon SA"],
        "segment": ["PME", "PME", "PME", "PME", "grands comptes"],
        "rating_class": [1, 3, 2, 2, 1],
        "customer_since": pd.to_datetime(["2015-01-01"] * 5),
        "sales_rep": ["Claire Martin"] * 5,
    })


def _plan(**kw):
    return plan_actions(_items(), load_policy(), AS_OF, customers=_customers(), **kw)


# ------------------------------------------------------------------ policy
def test_default_policy_loads_four_scenarios_with_sorted_steps():
    p = load_policy()
    assert set(p.scenarios) == {"grands_comptes", "pme_fiables", "clients_a_risque",
                                "nouveaux_clients"}
    for sc in p.scenarios.values():
        assert (np.diff(sc.days) > 0).all()
    # courtesy reminders before the due date exist in the default
    assert p.scenarios["grands_comptes"].steps[0].day < 0
    assert p.insurer_notification_days == 60 and p.min_amount == 50.0


def test_scenario_for_profiles_segment_risk_stakes_new():
    p = load_policy()
    cust = pd.DataFrame({
        "customer_id": ["a", "b", "c", "d", "e"],
        "segment": ["grands comptes", "PME", "PME", "PME", "PME"],
        "rating_class": [1, 4, 1, 1, 1],
        "customer_since": pd.to_datetime(["2010-01-01", "2010-01-01", "2025-06-01",
                                          "2010-01-01", "2010-01-01"]),
    })
    exposure = pd.Series({"a": 1.0, "b": 1.0, "c": 1.0, "d": 80_000.0, "e": 1.0})
    prof = p.scenario_for(cust, as_of=AS_OF, exposure=exposure)
    assert prof["scenario"].to_dict() == {"a": "grands_comptes", "b": "clients_a_risque",
                                          "c": "nouveaux_clients", "d": "grands_comptes",
                                          "e": "pme_fiables"}
    assert prof.loc["d", "stakes"] == "high" and prof.loc["e", "stakes"] == "low"
    assert bool(prof.loc["c", "new_customer"]) and not bool(prof.loc["a", "new_customer"])


def test_risk_class_from_payment_behaviour_when_no_rating():
    p = load_policy()  # bounds 5 / 15 / 30 days late
    beh = pd.DataFrame({"avg_days_late": [2.0, 10.0, 20.0, 40.0, np.nan]},
                       index=["a", "b", "c", "d", "e"])
    prof = p.scenario_for(["a", "b", "c", "d", "e"], behaviour=beh)
    assert prof["risk_class"].tolist() == [1, 2, 3, 4, 2]  # NaN → unrated class 2


def _toml(tmp_path, step_extra="", channels='["email"]', template='"reminder_1"',
          second_day=10):
    text = f"""
min_amount = 0
[scenarios.s1]
[[scenarios.s1.steps]]
day = 5
channels = {channels}
template = {template}
claim_fees = false
claim_interest = false
{step_extra}
[[scenarios.s1.steps]]
name = "second"
day = {second_day}
channels = ["letter"]
template = "reminder_2"
claim_fees = true
claim_interest = true
"""
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_load_policy_from_file(tmp_path):
    p = load_policy(_toml(tmp_path))
    assert list(p.scenarios) == ["s1"] and p.scenarios["s1"].days.tolist() == [5, 10]


@pytest.mark.parametrize("kwargs, words", [
    ({"step_extra": "frequency = 3"}, ["scenarios.s1.steps[0]", "frequency"]),
    ({"channels": '["fax"]'}, ["scenarios.s1.steps[0]", "channels", "fax"]),
    ({"template": '"threat"'}, ["scenarios.s1.steps[0]", "template", "threat"]),
    ({"second_day": 5}, ["scenarios.s1.steps[1]", "second", "increasing"]),
])
def test_bad_policy_names_scenario_and_step(tmp_path, kwargs, words):
    with pytest.raises(InputError) as err:
        load_policy(_toml(tmp_path, **kwargs))
    msg = str(err.value)
    for w in words:
        assert w in msg


def test_policy_in_python_and_bad_values():
    s = Scenario("x", (Step(0, ("email",), "reminder_1"), Step(8, ("registered_letter",),
                                                                 "formal_notice", True, True,
                                                                 "mise_en_demeure")))
    p = DunningPolicy({"x": s}, min_amount=10.0)
    assert p.default_scenario == "x"
    with pytest.raises(InputError, match="min_amount"):
        DunningPolicy({"x": s}, min_amount=-1.0)
    with pytest.raises(InputError, match="escalation"):
        Step(8, ("letter",), "formal_notice", escalation="bailiff")
    with pytest.raises(InputError, match="default_scenario"):
        DunningPolicy({"x": s}, default_scenario="y")


# ------------------------------------------------------------------ plan
def test_grouping_one_action_per_customer_at_highest_step():
    plan = _plan()
    a = plan.actions.set_index("customer_id")
    # C1: A2 30 days late (pme_fiables step J+30 "reminder_2"), A1 10 days late (step J+3):
    # one action at the highest step, listing both, credit note netted.
    assert (plan.actions["customer_id"] == "C1").sum() == 1
    c1 = a.loc["C1"]
    assert c1["step_day"] == 30 and c1["template"] == "reminder_2"
    assert c1["invoice_ids"] == "A2;A1" and c1["n_invoices"] == 2
    assert c1["amount"] == pytest.approx(1500.0) and c1["credits"] == pytest.approx(-200.0)
    assert c1["net_amount"] == pytest.approx(1300.0)
    assert c1["max_days_past_due"] == 30 and c1["status"] == "proposed"
    # indemnity 40 € per late invoice when the step claims fees (D441-5)
    assert c1["indemnities"] == pytest.approx(80.0)
    # grands comptes 50 days late → mise en demeure step J+45
    c5 = a.loc["C5"]
    assert c5["scenario"] == "grands_comptes" and c5["step_day"] == 45
    assert c5["escalation"] == "mise_en_demeure" and c5["channel"] == "registered_letter"


def test_per_invoice_actions_when_not_grouped():
    policy = load_policy().updated(group_by_customer=False)
    plan = plan_actions(_items(), policy, AS_OF, customers=_customers())
    c1 = plan.actions[plan.actions["customer_id"] == "C1"].set_index("invoice_ids")
    assert sorted(c1.index) == ["A1", "A2"]
    assert c1.loc["A1", "step_day"] == 3 and c1.loc["A2", "step_day"] == 30


def test_disputed_excluded_and_reported_as_blocked():
    plan = _plan()
    assert "D1" not in ";".join(plan.actions["invoice_ids"])
    assert plan.blocked["invoice_id"].tolist() == ["D1"]
    # without the exclusion D1 (40 days late) drives C3's action
    plan2 = plan_actions(_items(), load_policy().updated(exclude_disputed=False), AS_OF,
                         customers=_customers())
    c3 = plan2.actions.set_index("customer_id").loc["C3"]
    assert "D1" in c3["invoice_ids"] and c3["step_day"] == 30


def test_min_amount():
    plan = _plan()  # C3: only D2 (30 €) is eligible, below the 50 € minimum
    assert "C3" not in set(plan.actions["customer_id"])
    plan0 = plan_actions(_items(), load_policy().updated(min_amount=0.0), AS_OF,
                         customers=_customers())
    assert plan0.actions.set_index("customer_id").loc["C3", "invoice_ids"] == "D2"


def test_courtesy_step_before_due_and_nothing_on_due_date():
    a = _plan().actions.set_index("customer_id")
    # C2 is risk class 3 → clients_a_risque, courtesy reminder 3 days before due
    assert a.loc["C2", "step_day"] == -3 and a.loc["C2", "template"] == "courtesy"
    assert a.loc["C2", "invoice_ids"] == "B1" and a.loc["C2", "indemnities"] == 0
    # C4's invoice is due today: pme_fiables has no step before J+3
    assert "C4" not in a.index


def test_assignee_resolves_sales_rep_and_labels():
    a = _plan().actions.set_index("customer_id")
    assert a.loc["C1", "assignee"] == "chargé de recouvrement"
    plan = plan_actions(_items(), load_policy(), pd.Timestamp("2025-11-16"),
                        customers=_customers())
    c5 = plan.actions.set_index("customer_id").loc["C5"]  # grands comptes J+5: phone, sales rep
    assert c5["template"] == "phone_script" and c5["assignee"] == "Claire Martin"


def test_idempotent_rerun_with_history():
    plan = _plan()
    hist = plan.approve().to_history()
    assert len(hist) == len(plan.actions) and set(hist["status"]) == {"sent"}
    again = plan_actions(_items(), load_policy(), AS_OF, hist, customers=_customers())
    assert again.actions.empty
    # 20 days later only new steps are proposed; nothing of the history is repeated
    later = AS_OF + pd.Timedelta(days=20)
    nxt = plan_actions(_items(), load_policy(), later, hist, customers=_customers())
    c1 = nxt.actions.set_index("customer_id").loc["C1"]
    assert c1["step_day"] == 45 and c1["template"] == "formal_notice"  # A2 now 50 days late
    done = set(zip(hist["customer_id"], hist["step_day"], strict=True))
    assert not done & set(zip(nxt.actions["customer_id"], nxt.actions["step_day"], strict=True))
    hist2 = pd.concat([hist, nxt.approve().to_history()], ignore_index=True)
    assert plan_actions(_items(), load_policy(), later, hist2,
                        customers=_customers()).actions.empty


def test_history_dated_after_as_of_is_ignored():
    hist = _plan().approve().to_history()
    earlier = plan_actions(_items(), load_policy(), AS_OF - pd.Timedelta(days=1), hist,
                           customers=_customers())
    assert len(earlier.actions) > 0


def test_review_skip_and_postpone():
    plan = _plan()
    ids = plan.actions.set_index("customer_id")["action_id"]
    reviewed = plan.skip(ids["C1"], "paiement annoncé").postpone(ids["C5"], "2026-01-15")
    assert (plan.actions["status"] == "proposed").all()  # new plans, the original unchanged
    h = reviewed.to_history().set_index("customer_id")
    assert h.loc["C1", "status"] == "skipped" and h.loc["C1", "reason"] == "paiement annoncé"
    assert h.loc["C5", "status"] == "postponed"
    assert len(h) == 2  # unreviewed proposals are not recorded
    p1 = plan_actions(_items(), load_policy(), "2026-01-10", h.reset_index(),
                      customers=_customers())
    assert "C5" not in set(p1.actions["customer_id"])
    p2 = plan_actions(_items(), load_policy(), "2026-01-20", h.reset_index(),
                      customers=_customers())
    assert "C5" in set(p2.actions["customer_id"])
    with pytest.raises(InputError, match="until"):
        plan.postpone(ids["C5"], "2025-12-01")
    with pytest.raises(InputError, match="action_id"):
        plan.approve(["nope"])
    with pytest.raises(InputError, match="reason"):
        plan.skip(ids["C1"], "")


def test_plan_from_invoices_and_payments():
    inv = pd.DataFrame({
        "invoice_id": ["F1", "F2"], "customer_id": ["K1", "K1"],
        "doc_type": ["invoice", "invoice"],
        "issue_date": pd.to_datetime(["2025-09-01", "2025-10-01"]),
        "due_date": pd.to_datetime(["2025-10-31", "2025-11-30"]),
        "amount_ttc": [1200.0, 600.0], "amount_ht": [1000.0, 500.0]})
    pay = pd.DataFrame({"payment_id": ["R1"], "customer_id": ["K1"],
                        "payment_date": pd.to_datetime(["2025-12-05"]), "amount": [200.0],
                        "invoice_id": ["F1"]})
    plan = plan_actions({"invoices": inv, "payments": pay}, load_policy(), AS_OF)
    a = plan.actions.iloc[0]
    assert a["invoice_ids"] == "F1;F2" and a["amount"] == pytest.approx(1600.0)
    assert a["max_days_past_due"] == 61
    bad = inv.assign(amount_ttc=[1200.0, -600.0])
    with pytest.raises(InputError, match="amount_ttc"):
        plan_actions({"invoices": bad, "payments": pay}, load_policy(), AS_OF)


def test_bad_inputs_clear_errors():
    items = _items()
    items.loc[1, "due_date"] = pd.NaT
    with pytest.raises(InputError, match="due_date") as err:
        plan_actions(items, load_policy(), AS_OF)
    assert "A2" in str(err.value)
    neg = _items()
    neg.loc[0, "amount_ttc"] = -1000.0
    with pytest.raises(InputError, match="amount_ttc"):
        plan_actions(neg, load_policy(), AS_OF)
    with pytest.raises(InputError, match="as_of"):
        plan_actions(_items(), load_policy(), None)
    with pytest.raises(InputError, match="open_amount"):
        plan_actions(_items().drop(columns="open_amount"), load_policy(), AS_OF)
    bad_history = pd.DataFrame({"customer_id": ["C1"], "date": [AS_OF], "step_day": [3],
                                "invoice_ids": ["A1"], "status": ["done"]})
    with pytest.raises(InputError, match="status"):
        plan_actions(_items(), load_policy(), AS_OF, bad_history)
    with pytest.raises(InputError, match="step_day"):
        plan_actions(_items(), load_policy(), AS_OF, empty_history().drop(columns="step_day"))


def test_penalties_without_legal_module_are_nan_with_reason(monkeypatch):
    import creditlab.dunning.plan as plan_mod

    monkeypatch.setattr(plan_mod, "_legal", lambda: None)
    c1 = _plan().actions.set_index("customer_id").loc["C1"]
    assert c1["claim_interest"] and np.isnan(c1["penalties"])
    assert "creditlab.legal" in c1["penalty_note"]
    assert np.isnan(c1["total_claimed"])


def test_penalties_match_domain_worked_example():
    """DOMAIN.md §7.2 / test vector T11: 10 000 € TTC due 2025-09-30, 61 days late at
    2025-11-30, H2-2025 rate 12.15 % → 203.05 € + 40 € indemnity."""
    legal = pytest.importorskip("creditlab.legal")
    if not hasattr(legal, "late_penalties"):
        pytest.skip("creditlab.legal.late_penalties not built yet")
    items = pd.DataFrame({
        "customer_id": ["K"], "invoice_id": ["F"], "doc_type": ["invoice"],
        "issue_date": pd.to_datetime(["2025-08-01"]), "due_date": pd.to_datetime(["2025-09-30"]),
        "amount_ttc": [10_000.0], "paid_amount": [0.0], "open_amount": [10_000.0],
        "disputed": [False]})
    plan = plan_actions(items, load_policy(), "2025-11-30")
    a = plan.actions.iloc[0]
    assert a["claim_interest"] and a["max_days_past_due"] == 61
    assert a["penalties"] == pytest.approx(203.05, abs=0.005)
    assert a["indemnities"] == pytest.approx(40.0)
    assert a["total_claimed"] == pytest.approx(10_243.05, abs=0.005)


def test_summary_and_plot():
    import matplotlib

    matplotlib.use("Agg")
    plan = _plan()
    s = plan.summary()
    assert s["actions"].sum() == len(plan.actions)
    assert s["montant net"].sum() == pytest.approx(plan.actions["net_amount"].sum())
    ax = plan.plot_by_step()
    assert len(ax.patches) == len(s)
    assert "Plan de relance" in plan._repr_html_()


def test_courtesy_item_of_a_customer_already_reminded_is_covered():
    """A customer with an overdue action and an invoice inside the courtesy window gets one
    action; re-running with the history does not add a courtesy reminder the same day."""
    items = _items()
    extra = items[items["invoice_id"] == "B1"].assign(customer_id="C5", invoice_id="B9",
                                                       due_date=pd.Timestamp("2026-01-05"))
    items = pd.concat([items, extra], ignore_index=True)
    cust = _customers()
    plan = plan_actions(items, load_policy(), AS_OF, customers=cust)
    assert (plan.actions["customer_id"] == "C5").sum() == 1
    hist = plan.approve().to_history()
    assert plan_actions(items, load_policy(), AS_OF, hist, customers=cust).actions.empty
    # without any contact the courtesy step (grands comptes J-7) would be proposed
    alone = plan_actions(items[items["invoice_id"] != "E2"], load_policy(), AS_OF,
                         customers=cust)
    assert alone.actions.set_index("customer_id").loc["C5", "template"] == "courtesy"
