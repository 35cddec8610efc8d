"""Dunning policy and action planning (creditlab.dunning.policy, creditlab.dunning.plan).

Rules under test: the module docstring of creditlab/dunning/plan.py; legal basis DOMAIN.md §7.2
(penalties and the 40 € indemnity are due from the day after the due date, L441-10 II, D441-5)
and §7.5 (recovery path).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from strategies import make_open_items

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
    return make_open_items([
        # customer, invoice, doc_type, issue, due, amount, open, disputed
        ("C1", "A1", "invoice", "2025-11-21", "2025-12-21", 1000.0, 1000.0, False),
        ("C1", "A2", "invoice", "2025-10-01", "2025-12-01", 500.0, 500.0, False),
        ("C1", "CN1", "credit_note", "2025-12-10", "2025-12-10", -200.0, -200.0, False),
        ("C2", "B1", "invoice", "2025-12-01", "2026-01-03", 800.0, 800.0, False),
        ("C3", "D1", "invoice", "2025-10-01", "2025-11-21", 2000.0, 2000.0, True),
        ("C3", "D2", "invoice", "2025-11-01", "2025-12-26", 30.0, 30.0, False),
        ("C4", "E0", "invoice", "2025-11-01", "2025-12-31", 900.0, 900.0, False),
        ("C5", "E2", "invoice", "2025-09-01", "2025-11-11", 10000.0, 10000.0, False),
    ])


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
    plan = _plan()
    a = plan.actions.set_index("customer_id")
    assert a.loc["C1", "assignee"] == "collector"  # a code; its words at the edge
    words = plan.in_words().set_index("customer_id")
    assert words.loc["C1", "assignee"] == "chargé de recouvrement"
    assert plan.in_words("en").set_index("customer_id").loc["C1", "assignee"] == "collector"
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
    # a customer paying late (class 4, clients_a_risque): F2 (31 days) reached the insurer's
    # step (J+30) and is notified first, alone (F1, 61 days, is past the 60-day deadline);
    # the next run sends the mise en demeure for both overdue invoices
    assert a["escalation"] == "insurer_notification"
    assert a["invoice_ids"] == "F2" and a["amount"] == pytest.approx(600.0)
    assert a["max_days_past_due"] == 31
    nxt = plan_actions({"invoices": inv, "payments": pay}, load_policy(),
                       AS_OF + pd.Timedelta(days=1), history=plan.approve().to_history())
    b = nxt.actions.iloc[0]
    assert b["escalation"] == "mise_en_demeure"
    assert b["invoice_ids"] == "F1;F2" and b["amount"] == pytest.approx(1600.0)
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
    s = plan.summary()  # codes
    assert list(s.columns) == ["step_day", "step", "n_actions", "net_amount", "penalties",
                               "indemnities"]
    assert s["n_actions"].sum() == len(plan.actions)
    assert s["net_amount"].sum() == pytest.approx(plan.actions["net_amount"].sum())
    assert set(s["step"]) <= {"courtesy", "reminder_1", "reminder_2", "formal_notice",
                              "statement", "phone_script", "injunction_file",
                              "mise_en_demeure", "injonction_de_payer", "collection_agency",
                              "insurer_notification"}
    f = plan.to_frame()  # words, in the plan's language (French)
    assert list(f.columns) == ["jour", "étape", "actions", "montant net", "pénalités",
                               "indemnités"]
    assert f["actions"].sum() == len(plan.actions)
    assert list(plan.to_frame("en").columns)[:3] == ["day", "step", "actions"]
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


# ------------------------------------------------------------------ audit additions
def test_weekly_rerun_with_full_history_gives_an_empty_plan_that_still_reports():
    """The weekly job run again with the history: no action, and the summary and the chart
    (used by the dunning report, creditlab/reports/notebooks/dunning.ipynb) must not fail on the empty plan."""
    import matplotlib

    matplotlib.use("Agg")
    hist = _plan().approve().to_history()
    again = plan_actions(_items(), load_policy(), AS_OF, hist, customers=_customers())
    assert again.actions.empty and again.summary().empty
    ax = again.plot_by_step()
    assert len(ax.patches) == 0
    assert "0 actions" in again._repr_html_()


def test_insurer_notification_step_after_the_insurer_deadline_is_refused(tmp_path):
    """A menace de sinistre declared after the policy's delay loses the cover (DOMAIN.md §8)."""
    pol = load_policy()
    with pytest.raises(InputError, match=r"pme_fiables.*déclaration assureur J\+55"):
        pol.updated(insurer_notification_days=45)
    path = tmp_path / "p.toml"
    from creditlab.dunning.policy import _DATA_DIR, DEFAULT_POLICY_FILE

    src = (_DATA_DIR / DEFAULT_POLICY_FILE).read_text(encoding="utf-8")
    path.write_text(src.replace("insurer_notification_days = 60", "insurer_notification_days = 50"),
                    encoding="utf-8")
    with pytest.raises(InputError, match="insurer_notification_days"):
        load_policy(path)
    assert pol.updated(insurer_notification_days=None).insurer_notification_days is None


def test_plan_amounts_are_rounded_half_up_like_the_letters():
    """DESIGN.md: money rounded to cents half-up where a document shows it; 1000.005 € →
    1000.01 € (numpy's round gives 1000.0), so the plan agrees with the letter it produces."""
    items = pd.DataFrame({"customer_id": ["K"], "invoice_id": ["F"], "doc_type": ["invoice"],
                          "due_date": pd.to_datetime(["2025-11-01"]), "open_amount": [1000.005],
                          "disputed": [False]})
    a = plan_actions(items, load_policy(), AS_OF).actions.iloc[0]
    assert a["amount"] == 1000.01 and a["net_amount"] == 1000.01
    assert a["total_claimed"] == pytest.approx(1000.01 + a["penalties"] + a["indemnities"])


# ------------------------------------------------------------------ legal path never skipped
def _late(rows) -> pd.DataFrame:
    """Open items from (customer, invoice, days past due at AS_OF, amount)."""
    return pd.DataFrame({
        "customer_id": [r[0] for r in rows], "invoice_id": [r[1] for r in rows],
        "doc_type": "invoice", "due_date": [AS_OF - pd.Timedelta(days=r[2]) for r in rows],
        "open_amount": [float(r[3]) for r in rows], "disputed": False})


def _dated(hist: pd.DataFrame, days_before: int) -> pd.DataFrame:
    return hist.assign(date=AS_OF - pd.Timedelta(days=days_before))


def test_first_run_sends_the_mise_en_demeure_not_the_injonction():
    """DOMAIN.md §7.5: the injonction de payer follows a mise en demeure left unanswered. No
    customers table → default scenario pme_fiables (MED J+45, insurer J+55, injonction J+90)."""
    items = _late([("K", "F150", 150, 1000.0), ("N", "G57", 57, 800.0)])
    plan = plan_actions(items, load_policy(), AS_OF)
    a = plan.actions.set_index("customer_id")
    assert a.loc["K", "escalation"] == "mise_en_demeure" and a.loc["K", "step_day"] == 45
    assert a.loc["K", "template"] == "formal_notice"
    assert a.loc["K", "channel"] == "registered_letter"
    # the insurer's notification is not delayed by the missing mise en demeure
    assert a.loc["N", "escalation"] == "insurer_notification" and a.loc["N", "step_day"] == 55
    assert not plan.actions["escalation"].isin(["injonction_de_payer"]).any()


def test_injonction_waits_for_the_delay_given_by_the_mise_en_demeure():
    items = _late([("K", "F150", 150, 1000.0), ("N", "G57", 57, 800.0)])
    pol = load_policy()
    assert pol.escalation_delay_days == 8
    med = plan_actions(items, pol, AS_OF).approve().to_history()
    med = med[med["customer_id"] == "K"]
    # mise en demeure sent 3 days ago: the delay runs, no action for K; N still notified
    p3 = plan_actions(items, pol, AS_OF, _dated(med, 3))
    assert "K" not in set(p3.actions["customer_id"])
    n = p3.actions.set_index("customer_id").loc["N"]
    assert n["escalation"] == "insurer_notification"
    # 10 days ago (> 8): the injonction de payer file is planned
    p10 = plan_actions(items, pol, AS_OF, _dated(med, 10))
    k = p10.actions.set_index("customer_id").loc["K"]
    assert k["escalation"] == "injonction_de_payer" and k["step_day"] == 90
    assert k["invoice_ids"] == "F150" and k["template"] == "injunction_file"
    # exactly the delay: allowed on the 8th day, not the 7th
    assert plan_actions(items, pol, AS_OF, _dated(med, 8)).actions.set_index(
        "customer_id").loc["K", "escalation"] == "injonction_de_payer"
    assert "K" not in set(plan_actions(items, pol, AS_OF, _dated(med, 7)).actions["customer_id"])
    # the setting is the policy's: with 15 days the 10-day-old notice is not enough
    assert "K" not in set(plan_actions(items, pol.updated(escalation_delay_days=15), AS_OF,
                                       _dated(med, 10)).actions["customer_id"])


def test_passed_insurer_step_is_notified_first_within_its_deadline():
    """clients_a_risque (MED J+15, insurer J+30, injonction J+40), insurer deadline 60 days: an
    item 45 days past due with no history is notified to the insurer (deadline in 15 days)
    before anything else; past the deadline it goes to the mise en demeure."""
    items = _late([("R", "H45", 45, 2000.0), ("S", "H75", 75, 2000.0)])
    cust = pd.DataFrame({"customer_id": ["R", "S"], "rating_class": [3, 3]})
    plan = plan_actions(items, load_policy(), AS_OF, customers=cust)
    a = plan.actions.set_index("customer_id")
    assert a.loc["R", "escalation"] == "insurer_notification" and a.loc["R", "step_day"] == 30
    assert a.loc["S", "escalation"] == "mise_en_demeure" and a.loc["S", "step_day"] == 15
    # a week later R's mise en demeure follows (not the injonction), S waits for its delay
    hist = plan.approve().to_history()
    nxt = plan_actions(items, load_policy(), AS_OF + pd.Timedelta(days=7), hist, customers=cust)
    assert nxt.actions.set_index("customer_id").loc["R", "escalation"] == "mise_en_demeure"
    assert "S" not in set(nxt.actions["customer_id"])


def test_invoice_without_mise_en_demeure_is_left_out_of_the_injonction_file():
    """K's F150 had its mise en demeure 10 days ago; F20 (20 days late, not yet put on notice)
    may not be claimed in the injonction file; re-running the same day adds nothing."""
    items = _late([("K", "F150", 150, 1000.0)])
    med = _dated(plan_actions(items, load_policy(), AS_OF).approve().to_history(), 10)
    both = pd.concat([items, _late([("K", "F20", 20, 500.0)])], ignore_index=True)
    plan = plan_actions(both, load_policy(), AS_OF, med)
    k = plan.actions.set_index("customer_id").loc["K"]
    assert k["escalation"] == "injonction_de_payer" and k["invoice_ids"] == "F150"
    assert k["amount"] == pytest.approx(1000.0)
    hist = pd.concat([med, plan.approve().to_history()], ignore_index=True)
    assert plan_actions(both, load_policy(), AS_OF, hist).actions.empty


def test_history_without_escalation_column_matches_legal_steps_on_step_day():
    items = _late([("K", "F150", 150, 1000.0)])
    med = _dated(plan_actions(items, load_policy(), AS_OF).approve().to_history(), 10)
    old_style = med[["customer_id", "date", "step_day", "invoice_ids", "status"]]
    a = plan_actions(items, load_policy(), AS_OF, old_style).actions.iloc[0]
    assert a["escalation"] == "injonction_de_payer"
    # a history naming only an ordinary step does not count as a mise en demeure
    reminder = old_style.assign(step_day=30)
    a = plan_actions(items, load_policy(), AS_OF, reminder).actions.iloc[0]
    assert a["escalation"] == "mise_en_demeure"


def test_per_invoice_plan_follows_the_legal_path_too():
    items = _late([("K", "F150", 150, 1000.0), ("K", "F5", 5, 300.0)])
    pol = load_policy().updated(group_by_customer=False)
    plan = plan_actions(items, pol, AS_OF)
    a = plan.actions.set_index("invoice_ids")
    assert a.loc["F150", "escalation"] == "mise_en_demeure" and a.loc["F5", "step_day"] == 3
    hist = plan.approve().to_history()
    assert plan_actions(items, pol, AS_OF, hist).actions.empty
    later = plan_actions(items, pol, AS_OF, _dated(hist, 10)).actions.set_index("invoice_ids")
    assert later.loc["F150", "escalation"] == "injonction_de_payer"


def test_scenario_with_injonction_before_any_mise_en_demeure_is_refused():
    steps = (Step(5, ("email",), "reminder_1"),
             Step(60, ("letter",), "injunction_file", True, True, "injonction_de_payer"))
    with pytest.raises(InputError, match=r"scenarios\.x\.steps\[1\].*mise_en_demeure"):
        Scenario("x", steps)
    with pytest.raises(InputError, match="collection_agency"):
        Scenario("y", (Step(60, ("letter",), "statement", escalation="collection_agency"),))
    with pytest.raises(InputError, match="escalation_delay_days"):
        load_policy().updated(escalation_delay_days=-1)
    with pytest.raises(InputError, match="escalation_delay_days"):
        load_policy().updated(escalation_delay_days=7.5)


def test_escalation_delay_read_from_toml(tmp_path):
    from creditlab.dunning.policy import _DATA_DIR, DEFAULT_POLICY_FILE

    src = (_DATA_DIR / DEFAULT_POLICY_FILE).read_text(encoding="utf-8")
    assert "escalation_delay_days = 8" in src
    path = tmp_path / "p.toml"
    path.write_text(src.replace("escalation_delay_days = 8", "escalation_delay_days = 15"),
                    encoding="utf-8")
    assert load_policy(path).escalation_delay_days == 15


@pytest.fixture(scope="module")
def demo():
    from creditlab.io import load_demo

    return load_demo()


def _legal_claims_without_notice(actions: pd.DataFrame, hist: pd.DataFrame,
                                 as_of: pd.Timestamp, delay: int) -> list[str]:
    """Invoices of injonction / collection-agency actions without a mise en demeure sent at
    least ``delay`` days before ``as_of``."""
    def explode(df):
        return df.assign(invoice_id=df["invoice_ids"].str.split(";")).explode("invoice_id")

    med = explode(hist[hist["escalation"] == "mise_en_demeure"]).groupby("invoice_id")["date"]
    first = med.min() if len(hist) else pd.Series(dtype="datetime64[ns]")
    legal = explode(actions[actions["escalation"].isin(["injonction_de_payer",
                                                        "collection_agency"])])
    sent = first.astype("datetime64[ns]").reindex(legal["invoice_id"].to_numpy())
    bad = sent.isna().to_numpy() | (sent > as_of - pd.Timedelta(days=delay)).to_numpy()
    return legal.loc[bad, "invoice_id"].tolist()


def test_demo_no_injonction_without_a_prior_mise_en_demeure(demo):
    """Property on the demo portfolio over seven weekly runs from 2025-12-31 (each plan
    approved and appended to the history): no invoice is ever claimed by an injonction de
    payer or a collection agency without a mise en demeure sent 8+ days before; each weekly
    re-run with its own history is empty."""
    pol, cust = load_policy(), demo["customers"]
    first = plan_actions(demo, pol, AS_OF, customers=cust)
    n = first.actions.groupby("escalation").size().to_dict()
    assert "injonction_de_payer" not in n and "collection_agency" not in n
    # 47 notifications: one of them is below the 50 € minimum, made all the same (deadline);
    # the 15 customers under insolvency proceedings at that date get no other action (L622-21)
    # — 226 actions and 76 mises en demeure before the plan read the events table
    assert n["mise_en_demeure"] == 61 and n["insurer_notification"] == 47
    assert len(first.actions) == 211
    hist, seen = empty_history(), 0
    for week in range(7):
        as_of = AS_OF + pd.Timedelta(days=7 * week)
        plan = first if week == 0 else plan_actions(demo, pol, as_of, hist, customers=cust)
        assert _legal_claims_without_notice(plan.actions, hist, as_of, 8) == []
        seen += plan.actions["escalation"].eq("injonction_de_payer").sum()
        hist = pd.concat([hist, plan.approve().to_history()], ignore_index=True)
        assert plan_actions(demo, pol, as_of, hist, customers=cust).actions.empty
    assert seen > 0  # the injonctions do come, after their mise en demeure


def test_rate_tables_out_of_date_do_not_stop_the_weekly_plan(tmp_path):
    # after the last half-year of the shipped rate tables (DOMAIN.md §7.4: 2026 S2 "to be
    # checked") the plan is still made: penalties NaN with the reason and the fix, and the
    # letters still go out, stating the legal rule instead of an amount
    from creditlab.dunning.letters import render_batch

    late = pd.Timestamp("2026-09-30")
    items = _items()
    items["issue_date"] += late - AS_OF
    items["due_date"] += late - AS_OF
    plan = plan_actions(items, load_policy(), late, customers=_customers())
    claims = plan.actions[plan.actions["claim_interest"]]
    assert len(plan.actions) and len(claims)
    assert claims["penalties"].isna().all()
    assert (claims["penalty_note"] == "rates_missing").all()
    assert "ecb_mro_rates.csv" in plan.penalty_error
    notes = plan.in_words().loc[claims.index, "penalty_note"]
    assert notes.str.contains("tables de taux à mettre à jour").all()
    assert notes.str.contains("ecb_mro_rates.csv").all()
    assert plan.in_words("en").loc[claims.index, "penalty_note"].str.startswith(
        "penalties not computed").all()
    assert (plan.actions.loc[~plan.actions["claim_interest"], "penalty_note"] == "").all()
    batch = render_batch(plan, out_dir=tmp_path, customers=_customers())
    assert batch.failed.empty and len(batch.written) == len(plan.actions)
    for path in batch.written.loc[batch.written["customer_id"].isin(claims["customer_id"]),
                                  "txt"]:
        assert "taux BCE + 10 points" in open(path, encoding="utf-8").read()


def test_demo_daily_runs_never_repeat_a_legal_step_nor_list_a_young_invoice(demo):
    """45 daily runs on the demo portfolio, each plan approved into the history: no invoice
    gets the same legal step (or insurer notification) twice, an injonction de payer only
    lists invoices that reached its day in their scenario, and no ordinary reminder lists an
    invoice already under formal notice (DOMAIN.md §7.5)."""
    pol, cust = load_policy(), demo["customers"]
    hist = empty_history()
    for day in range(45):
        as_of = AS_OF + pd.Timedelta(days=day)
        plan = plan_actions(demo, pol, as_of, hist, customers=cust)
        it = plan.items.merge(plan.actions[["action_id", "escalation"]], on="action_id")
        inj = it[it["escalation"] == "injonction_de_payer"]
        assert (inj["days_past_due"] >= inj["step_day"]).all()
        ordinary = it[it["escalation"].isna() | (it["escalation"] == "")]
        ex = hist.assign(invoice_id=hist["invoice_ids"].str.split(";")).explode("invoice_id")
        noticed = ex.loc[ex["escalation"] == "mise_en_demeure", "invoice_id"]
        assert not ordinary["invoice_id"].isin(noticed).any()
        hist = pd.concat([hist, plan.approve().to_history()], ignore_index=True)
    ex = hist.assign(invoice_id=hist["invoice_ids"].str.split(";")).explode("invoice_id")
    legal = ex[ex["escalation"].isin(["mise_en_demeure", "injonction_de_payer",
                                      "collection_agency", "insurer_notification"])]
    assert not legal.duplicated(["invoice_id", "escalation"]).any()
    assert legal["escalation"].eq("injonction_de_payer").sum() > 0


def test_step_labels_in_english_and_summary_by_what_the_step_does():
    # the policy file's step names are French: English displays say what the step does
    pol = load_policy()
    en = pol.steps_table("en").set_index(["scenario", "day"])["label"]
    assert en[("grands_comptes", 45)] == "formal notice D+45"
    assert en[("grands_comptes", -7)] == "courtesy reminder D-7"
    assert (pol.steps_table("fr")["label"] == pol.steps_table("fr")["name"]).all()
    # summary: the insurer's notification is named as such, not by its letter template
    cust = _customers().assign(rating_class=[1, 4, 2, 2, 1])   # C2: clients_a_risque
    items = _items()
    items.loc[items["customer_id"] == "C2", "due_date"] = AS_OF - pd.Timedelta(days=31)
    plan = plan_actions(items, pol, AS_OF, customers=cust)
    assert "insurer_notification" in set(plan.summary()["step"])
    assert "credit-insurer notification" in set(plan.to_frame("en")["step"])
    with pytest.raises(TypeError):
        plan_actions(items, pol, AS_OF, customers=cust, lang="en")
    assert not _plan().to_frame()["étape"].str.contains("_").any()


def test_action_plan_repr_is_one_line():
    """Typing the plan in a console shows its size, not every table and the whole policy."""
    import creditlab.io as cio
    from creditlab.dunning import plan_actions
    from creditlab.receivables import Ledger

    d = cio.load_demo()
    plan = plan_actions(Ledger.from_tables(d["invoices"], d["payments"],
                                           customers=d["customers"]), as_of="2025-12-31")
    text = repr(plan)
    assert "\n" not in text and text.startswith("ActionPlan(as_of=2025-12-31, ")
    assert f"{len(plan.actions)} actions" in text


def test_plot_by_step_is_drawn_by_the_plot_module_in_either_language():
    import matplotlib

    matplotlib.use("Agg")
    plan = _plan()
    fr = plan.plot_by_step()
    en = plan.plot_by_step(lang="en")
    n = len(plan.summary())
    assert len(fr.patches) == len(en.patches) == n > 0
    assert all("(J" in t.get_text() for t in fr.get_yticklabels())
    assert all("(D" in t.get_text() for t in en.get_yticklabels())
