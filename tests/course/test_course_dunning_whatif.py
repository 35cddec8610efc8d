"""Dunning scenarios by profile: the policy's scenario for a profile and its expected effect
on days late and cash (issue 17 point 5), with the what-if panel of notebook 04."""

from __future__ import annotations

import pytest

from creditlab.dunning.policy import load_policy
from creditlab.dunning.whatif import profile_scenario, scenario_effect
from creditlab.exceptions import InputError
from creditlab.finance import cash_released

POLICY = load_policy()


@pytest.mark.parametrize("profile, scenario", [
    ({"segment": "PME", "risk_class": 2}, "pme_fiables"),                 # default scenario
    ({"segment": "PME", "risk_class": 3}, "clients_a_risque"),            # first rule
    ({"segment": "PME", "risk_class": 4, "new_customer": True}, "clients_a_risque"),
    ({"segment": "TPE", "risk_class": 1, "new_customer": True}, "nouveaux_clients"),
    ({"segment": "grands comptes", "risk_class": 2}, "grands_comptes"),
    ({"segment": "PME", "risk_class": 2, "stakes": "high"}, "grands_comptes"),
])
def test_the_profile_gets_the_policy_scenario(profile, scenario):
    assert profile_scenario(POLICY, **profile).name == scenario


def test_expected_days_late_by_hand():
    # pme_fiables reaches the customer at D+3, 15, 30, 45, 90 (the insurer's notification at
    # D+55 does not). 40 % paid on time; each step gets half of what is left paid 5 days later:
    # 0.3×8 + 0.15×20 + 0.075×35 + 0.0375×50 + 0.01875×95 + 0.01875×(90+60) = 14.49375 days
    e = scenario_effect(POLICY.scenarios["pme_fiables"], on_time_share=0.4, response_share=0.5,
                        response_days=5, after_last_days=60)
    assert e.expected_days_late == pytest.approx(14.49375)
    assert e.table["share_paid"].sum() == pytest.approx(1.0)
    assert list(e.table["day"]) == [0, 3, 15, 30, 45, 90, 150]
    assert "14,5 jours" in e.explain()


def test_a_courtesy_reminder_before_due_brings_payments_to_the_due_date():
    e = scenario_effect(POLICY.scenarios["grands_comptes"], response_days=5)
    # D−7 + 5 days = 2 days before the due date: paid on time, 0 days late
    assert e.table.loc[1, "day"] == -7 and e.table.loc[1, "days_late"] == 0


def test_more_responsive_customers_and_firmer_scenarios_pay_sooner():
    s = POLICY.scenarios["pme_fiables"]
    lows = [scenario_effect(s, response_share=r).expected_days_late for r in (0.2, 0.5, 0.8)]
    assert lows[0] > lows[1] > lows[2]
    risky = scenario_effect(POLICY.scenarios["clients_a_risque"]).expected_days_late
    assert risky < scenario_effect(s).expected_days_late        # steps closer together


@pytest.mark.parametrize("kw", [{"on_time_share": 1.5}, {"response_share": -0.1},
                                {"response_days": 2.5}, {"after_last_days": -1}])
def test_bad_assumptions_are_refused(kw):
    with pytest.raises(InputError):
        scenario_effect(POLICY.scenarios["pme_fiables"], **kw)


def test_the_panel_follows_the_plain_functions():
    pytest.importorskip("ipywidgets")
    from creditlab.widgets import dunning_scenario_panel

    panel = dunning_scenario_panel(POLICY, sales_ttc=3_650_000.0, current_days_late=20.0)
    e = scenario_effect(POLICY.scenarios["pme_fiables"])
    assert panel.result["effect"].scenario == "pme_fiables"
    assert panel.result["cash_released"] == pytest.approx(
        cash_released(3_650_000.0, 20.0, e.expected_days_late))
    assert "Relances standard" in panel.html or "PME fiables" in panel.html
    assert "share_paid" not in panel.html and "part payée" in panel.html
    panel.controls["risk_class"].value = 4
    assert panel.result["effect"].scenario == "clients_a_risque"
    assert panel.result["cash_released"] > cash_released(3_650_000.0, 20.0,
                                                         e.expected_days_late)
