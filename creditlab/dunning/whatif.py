"""What a dunning scenario is expected to do to payment delays: a teaching model.

:func:`profile_scenario` gives the scenario the policy assigns to a customer profile (segment,
risk class, stakes, new customer) with :meth:`DunningPolicy.scenario_for`.
:func:`scenario_effect` turns a scenario's steps into an expected delay, under stated
assumptions that the trainee sets (they are not measured here):

- ``on_time_share`` of the invoices are paid on the due date without any reminder;
- at each step that reaches the customer (every step except the credit insurer's
  notification), ``response_share`` of the invoices still unpaid are paid ``response_days``
  after the step — a step before the due date (courtesy reminder) thus brings payments back to
  the due date itself;
- what is still unpaid after the last step is paid ``after_last_days`` after it (the legal
  path: injonction de payer, collection agency).

Expected days late = Σ share paid at a step × max(0, step day + response days) + share left
× (last day + after_last_days). Shares are of invoice amounts (one customer profile, one
scenario). The cash effect follows from DSO = term + days late:
:func:`creditlab.finance.cash_released` between the profile's current days late and the
expected ones.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from creditlab._checks import as_date
from creditlab.dunning.codes import Escalation
from creditlab.dunning.policy import DunningPolicy, Scenario, dunning_labels
from creditlab.exceptions import InputError

__all__ = ["profile_scenario", "scenario_effect", "ScenarioEffect"]


def profile_scenario(policy: DunningPolicy, *, segment: str = "", risk_class: int = 2,
                     stakes: str = "low", new_customer: bool = False,
                     as_of="2025-12-31") -> Scenario:
    """The scenario the policy gives to one customer profile (its assignment rules, first
    match wins, else the default scenario)."""
    as_of = as_date(as_of, "as_of")
    since = as_of - pd.Timedelta(days=0 if new_customer else 10 * 365)
    one = pd.DataFrame({"customer_id": ["profil"], "segment": [segment],
                        "risk_class": [int(risk_class)], "stakes": [stakes],
                        "customer_since": [since]})
    name = policy.scenario_for(one, as_of=as_of).loc["profil", "scenario"]
    return policy.scenarios[name]


def _share(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.number) or not (
            0 <= float(value) <= 1):
        raise InputError(name, "a share between 0 and 1", value, "e.g. 0.5 for half")
    return float(value)


@dataclass(frozen=True)
class ScenarioEffect:
    """Expected payment delay under a scenario (see the module docstring).

    ``table``: one row per step reaching the customer (``step``, ``day``, ``channels``,
    ``share_paid``, ``days_late``) plus ``on_time`` and ``after_last`` rows; shares sum to 1.
    """

    scenario: str
    label: str
    table: pd.DataFrame
    expected_days_late: float

    def explain(self) -> str:
        first = self.table.iloc[1:-1]
        return (f"Scénario « {self.label} » : {len(first)} étapes vers le client, de "
                f"J{int(first['day'].min()):+d} à J{int(first['day'].max()):+d}. Retard moyen "
                f"attendu : {self.expected_days_late:.1f} jours".replace(".", ",")
                + " (hypothèses du modèle ci-dessus).")


def scenario_effect(scenario: Scenario, *, on_time_share: float = 0.4,
                    response_share: float = 0.5, response_days: int = 5,
                    after_last_days: int = 60) -> ScenarioEffect:
    """Expected days late of the invoices of one profile under ``scenario``.

    Parameters
    ----------
    scenario : Scenario
        e.g. ``policy.scenarios["pme_fiables"]`` or :func:`profile_scenario`.
    on_time_share, response_share : float in [0, 1]
        Assumptions (see the module docstring): share paid on the due date without reminder;
        share of what is still unpaid that each step gets paid.
    response_days, after_last_days : int >= 0
        Days from a step to the payment it triggers; days from the last step to the payment
        of what is left (legal path).

    Returns
    -------
    ScenarioEffect
    """
    p0 = _share(on_time_share, "on_time_share")
    r = _share(response_share, "response_share")
    for name, v in (("response_days", response_days), ("after_last_days", after_last_days)):
        if isinstance(v, bool) or not isinstance(v, int | np.integer) or v < 0:
            raise InputError(name, "a whole number of days >= 0", v, "e.g. 5")
    steps = [s for s in scenario.steps if s.escalation != Escalation.INSURER_NOTIFICATION]
    days = np.array([s.day for s in steps], dtype="float64")
    # still unpaid before step k: (1 − p0)(1 − r)^k ; paid at step k: that × r
    unpaid_before = (1 - p0) * (1 - r) ** np.arange(len(steps))
    paid = unpaid_before * r
    late = np.maximum(0.0, days + response_days)
    left = (1 - p0) * (1 - r) ** len(steps)
    last = float(days.max()) + after_last_days if len(days) else float(after_last_days)
    table = pd.DataFrame({
        "step": ["paiement à l'échéance"] + [s.name for s in steps] + ["après la dernière étape"],
        "day": [0, *[s.day for s in steps], int(last)],
        "channels": [""] + [dunning_labels(", ".join(s.channels)) for s in steps] + [""],
        "share_paid": [p0, *paid, left],
        "days_late": [0.0, *late, last],
    })
    expected = float((table["share_paid"] * table["days_late"]).sum())
    return ScenarioEffect(scenario.name, scenario.label("fr"), table, expected)
