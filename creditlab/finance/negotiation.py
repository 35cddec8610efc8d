"""What-if of a customer's payment proposal against the credit policy (négociation).

:class:`NegotiationPolicy` holds the limits the credit manager applies to payment plans;
:func:`evaluate_proposal` prices a proposal (a :class:`~creditlab.finance.plans.PaymentPlan`)
against them and gives a verdict, the reasons, a counter-proposal and a French explanation.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from creditlab.exceptions import InputError
from creditlab.finance import _common as c
from creditlab.finance.negotiation_labels import NEGOTIATION_LABELS
from creditlab.finance.plans import PaymentPlan, _date, _whole, payment_plan
from creditlab.i18n import check_lang, format_eur, format_pct
from creditlab.labels import text as catalogue_text

__all__ = ["NegotiationPolicy", "evaluate_proposal", "ProposalEvaluation"]


# ---------------------------------------------------------------------------------------------
# proposal vs policy
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class NegotiationPolicy:
    """Limits the credit manager applies to payment plans (illustrative defaults, ours).

    Parameters
    ----------
    max_instalments : int, default 6
        More instalments → refused.
    max_duration_days : int, default 180
        Last instalment later than this after the reference date → refused.
    max_average_delay_days : float, default 90
        Principal-weighted delay above this → counter-proposal.
    min_annual_rate : float, default 0
        Minimum interest rate of a plan (fraction); below → counter-proposal.
    allow_penalty_waiver : bool, default True
        False: a plan that waives accrued penalties gets a counter-proposal.
    max_net_cost_share : float, default 0.005
        Largest net cost (financing cost − interest − penalties received) accepted, as a share
        of the amount (0.5 %); above → counter-proposal.
    """

    max_instalments: int = 6
    max_duration_days: int = 180
    max_average_delay_days: float = 90.0
    min_annual_rate: float = 0.0
    allow_penalty_waiver: bool = True
    max_net_cost_share: float = 0.005

    def __post_init__(self) -> None:
        _whole("max_instalments", self.max_instalments, 1, 120)
        _whole("max_duration_days", self.max_duration_days, 0, 3650)
        c.scalar("max_average_delay_days", self.max_average_delay_days, lo=0.0, hi=3650.0)
        c.scalar("min_annual_rate", self.min_annual_rate, lo=0.0, hi=1.0,
                 fix="give the minimum rate as a fraction >= 0")
        if not isinstance(self.allow_penalty_waiver, (bool, np.bool_)):
            raise InputError("allow_penalty_waiver", "True or False", self.allow_penalty_waiver)
        c.scalar("max_net_cost_share", self.max_net_cost_share, lo=0.0, hi=1.0,
                 fix="give the share as a fraction, e.g. 0.005 for 0.5 %")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> NegotiationPolicy:
        if not isinstance(data, Mapping):
            raise InputError("policy", "a NegotiationPolicy or a dict of its limits",
                             type(data).__name__)
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise InputError("policy", f"keys among {sorted(known)}", unknown)
        return cls(**dict(data))

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def summary(self) -> pd.DataFrame:
        """The limits in codes: index ``parameter``, column ``value``."""
        out = pd.DataFrame(list(self.to_dict().items()), columns=["parameter", "value"])
        return out.set_index("parameter")

    def to_frame(self, lang: str = "fr") -> pd.DataFrame:
        """The limits in words (catalogue keys ``negotiation_policy.<parameter>``)."""
        check_lang(lang)
        rows = []
        for k, v in self.to_dict().items():
            if k in ("min_annual_rate", "max_net_cost_share"):
                shown = format_pct(v, lang, 2)
            elif isinstance(v, bool):
                shown = ("oui" if v else "non") if lang == "fr" else ("yes" if v else "no")
            else:
                shown = f"{v:g}"
            rows.append((catalogue_text(f"negotiation_policy.{k}", lang), shown))
        col = NEGOTIATION_LABELS["value"][lang]
        return pd.DataFrame(rows, columns=["", col]).set_index("")

    def _repr_html_(self) -> str:
        return "<h4>Politique d'échéanciers</h4>" + self.to_frame().to_html(escape=True)


@dataclass(frozen=True, eq=False)
class ProposalEvaluation(c.ResultMixin):
    """Result of :func:`evaluate_proposal`.

    ``verdict`` is "accept", "counter" or "refuse"; ``reasons`` the rule codes that failed
    (``too_many_instalments``, ``too_long``, ``average_delay``, ``rate_below_minimum``,
    ``penalty_waiver``, ``net_cost``); ``cost`` the proposal's cost to the seller
    (:meth:`PaymentPlan.cost_to_seller`); ``counter_rate`` the annual rate that brings the net
    cost within the policy (NaN if not needed or impossible below 100 %),
    ``counter_instalments`` the largest number of instalments within the policy without
    interest (0 if none).
    """

    plan: PaymentPlan
    policy: NegotiationPolicy
    financing_rate: float
    reference_date: pd.Timestamp
    cost: pd.Series
    verdict: str
    reasons: tuple[str, ...]
    counter_rate: float
    counter_instalments: int

    _title = {"fr": "Évaluation de la proposition du client",
              "en": "Evaluation of the customer's proposal"}
    _labels = NEGOTIATION_LABELS

    def summary(self) -> pd.DataFrame:
        """Proposal figures against the policy maximum (columns ``proposal``, ``policy_max``)."""
        pol = self.policy
        rows = {
            "net_cost": (self.cost["net_cost"], pol.max_net_cost_share * self.plan.amount),
            "net_cost_share": (self.cost["net_cost_share"], pol.max_net_cost_share),
            "average_delay_days": (self.cost["average_delay_days"],
                                   pol.max_average_delay_days),
            "duration_days": (self.cost["duration_days"], float(pol.max_duration_days)),
            "instalment": (float(self.plan.n_instalments), float(pol.max_instalments)),
            "financing_cost": (self.cost["financing_cost"], np.nan),
            "interest_received": (self.cost["interest_received"], np.nan),
            "penalties_waived": (self.cost["penalties_waived"], np.nan),
        }
        return pd.DataFrame.from_dict(rows, orient="index", columns=["proposal", "policy_max"])

    def explain(self, lang: str = "fr") -> str:
        """The verdict and its reasons in plain words (French by default)."""
        lang = check_lang(lang)
        plan, pol, cost = self.plan, self.policy, self.cost
        eur = lambda v: format_eur(v, lang)  # noqa: E731
        pct = lambda v: format_pct(v, lang, 2)  # noqa: E731
        freq = {"weekly": ("hebdomadaires", "weekly"), "monthly": ("mensualités", "monthly"),
                "quarterly": ("trimestrialités", "quarterly")}[plan.frequency]
        fmt = "%d/%m/%Y" if lang == "fr" else "%Y-%m-%d"
        if lang == "fr":
            unit = freq[0] if plan.frequency != "weekly" else "échéances hebdomadaires"
            rate_txt = ("sans intérêts" if plan.annual_rate == 0
                        else f"avec un intérêt de {pct(plan.annual_rate)} l'an")
            pen_txt = ""
            if plan.penalties > 0:
                pen_txt = (f", pénalités de retard de {eur(plan.penalties)} "
                           + ("abandonnées" if plan.waive_penalties else "maintenues"))
            s = [f"Le client propose de régler {eur(plan.amount)} en {plan.n_instalments} "
                 f"{unit} {rate_txt}{pen_txt}, du {plan.first_date.strftime(fmt)} au "
                 f"{plan.last_date.strftime(fmt)} (délai moyen de "
                 f"{cost['average_delay_days']:.0f} jours après le "
                 f"{self.reference_date.strftime(fmt)}).",
                 f"Coût pour l'entreprise au taux de financement de "
                 f"{pct(self.financing_rate)} : {eur(cost['financing_cost'])} de frais "
                 f"financiers, moins {eur(cost['interest_received'] + cost['penalties_received'])}"
                 f" d'intérêts et pénalités perçus, soit un coût net de {eur(cost['net_cost'])}"
                 f" ({pct(cost['net_cost_share'])} du montant ; maximum de la politique : "
                 f"{pct(pol.max_net_cost_share)})."]
            why = {
                "too_many_instalments": f"{plan.n_instalments} échéances dépassent le maximum "
                                        f"de {pol.max_instalments}",
                "too_long": f"la dernière échéance tombe {cost['duration_days']:.0f} jours "
                            f"après la référence (maximum {pol.max_duration_days} jours)",
                "average_delay": f"le délai moyen de {cost['average_delay_days']:.0f} jours "
                                 f"dépasse {pol.max_average_delay_days:g} jours",
                "rate_below_minimum": f"le taux proposé est inférieur au minimum de "
                                      f"{pct(pol.min_annual_rate)}",
                "penalty_waiver": "la politique n'autorise pas l'abandon des pénalités",
                "net_cost": "le coût net dépasse le maximum admis",
            }
            verdict = {"accept": "Verdict : proposition acceptable.",
                       "counter": "Verdict : contre-proposition.",
                       "refuse": "Verdict : refus en l'état."}[self.verdict]
            s.append(verdict)
            if self.reasons:
                s.append("Motifs : " + " ; ".join(why[r] for r in self.reasons) + ".")
            tips = []
            if np.isfinite(self.counter_rate):
                tips.append(f"accepter le même échéancier avec un intérêt de "
                            f"{pct(self.counter_rate)} l'an")
            if self.counter_instalments == 1 and plan.n_instalments > 1:
                tips.append(f"un paiement unique le {plan.first_date.strftime(fmt)}")
            elif 0 < self.counter_instalments < plan.n_instalments:
                tips.append(f"ramener l'échéancier à {self.counter_instalments} {unit} sans "
                            "intérêts")
            if "penalty_waiver" in self.reasons:
                tips.append("maintenir les pénalités de retard")
            if tips and self.verdict != "accept":
                s.append("Proposer : " + " ou ".join(tips) + ".")
            return " ".join(s)
        rate_txt = ("without interest" if plan.annual_rate == 0
                    else f"at {pct(plan.annual_rate)} a year")
        pen_txt = ""
        if plan.penalties > 0:
            pen_txt = (f", late-payment penalties of {eur(plan.penalties)} "
                       + ("waived" if plan.waive_penalties else "kept"))
        s = [f"The customer proposes to pay {eur(plan.amount)} in {plan.n_instalments} "
             f"{freq[1]} instalments {rate_txt}{pen_txt}, from "
             f"{plan.first_date.strftime(fmt)} to {plan.last_date.strftime(fmt)} (average delay "
             f"{cost['average_delay_days']:.0f} days after {self.reference_date.strftime(fmt)}).",
             f"Cost at a financing rate of {pct(self.financing_rate)}: "
             f"{eur(cost['financing_cost'])} of interest, less "
             f"{eur(cost['interest_received'] + cost['penalties_received'])} received, net "
             f"{eur(cost['net_cost'])} ({pct(cost['net_cost_share'])} of the amount; policy "
             f"maximum {pct(pol.max_net_cost_share)})."]
        why = {
            "too_many_instalments": f"{plan.n_instalments} instalments exceed the maximum of "
                                    f"{pol.max_instalments}",
            "too_long": f"the last instalment falls {cost['duration_days']:.0f} days after the "
                        f"reference (maximum {pol.max_duration_days})",
            "average_delay": f"the average delay of {cost['average_delay_days']:.0f} days "
                             f"exceeds {pol.max_average_delay_days:g}",
            "rate_below_minimum": f"the rate is below the minimum of {pct(pol.min_annual_rate)}",
            "penalty_waiver": "the policy does not allow waiving penalties",
            "net_cost": "the net cost exceeds the maximum",
        }
        s.append({"accept": "Verdict: acceptable.", "counter": "Verdict: counter-proposal.",
                  "refuse": "Verdict: refuse as it stands."}[self.verdict])
        if self.reasons:
            s.append("Reasons: " + "; ".join(why[r] for r in self.reasons) + ".")
        tips = []
        if np.isfinite(self.counter_rate):
            tips.append(f"accept the same plan at {pct(self.counter_rate)} a year")
        if self.counter_instalments == 1 and plan.n_instalments > 1:
            tips.append(f"a single payment on {plan.first_date.strftime(fmt)}")
        elif 0 < self.counter_instalments < plan.n_instalments:
            tips.append(f"shorten the plan to {self.counter_instalments} instalments without "
                        "interest")
        if "penalty_waiver" in self.reasons:
            tips.append("keep the late-payment penalties")
        if tips and self.verdict != "accept":
            s.append("Propose: " + " or ".join(tips) + ".")
        return " ".join(s)


def _rebuild(plan: PaymentPlan, **changes) -> PaymentPlan:
    kw = dict(amount=plan.amount, n_instalments=plan.n_instalments, first_date=plan.first_date,
              frequency=plan.frequency, annual_rate=plan.annual_rate, method=plan.method,
              penalties=plan.penalties, waive_penalties=plan.waive_penalties)
    kw.update(changes)
    return payment_plan(**kw)


def evaluate_proposal(plan: PaymentPlan, *, reference_date, financing_rate: float,
                      policy: NegotiationPolicy | Mapping | None = None,
                      day_count: int = 365) -> ProposalEvaluation:
    """What-if of a customer's payment proposal against the policy.

    Parameters
    ----------
    plan : PaymentPlan
        The customer's proposal (build it with :func:`payment_plan`, e.g. 4 monthly instalments
        without interest).
    reference_date : date-like
        When the full amount was (or is) due: the delay and its cost run from here.
    financing_rate : float
        The seller's annual cost of money (fraction).
    policy : NegotiationPolicy or dict, optional
        Defaults to ``NegotiationPolicy()``.
    day_count : {365, 360}

    Returns
    -------
    ProposalEvaluation
        Verdict: "refuse" when a hard cap is broken (too many instalments, too long); else
        "counter" when the average delay, the rate, a penalty waiver or the net cost breaks the
        policy; else "accept". The counter-proposal gives the rate that brings the net cost
        within the policy (bisection, to 0.01 %) and the largest interest-free number of
        instalments within the policy.
    """
    if not isinstance(plan, PaymentPlan):
        raise InputError("plan", "a PaymentPlan (payment_plan(...))", type(plan).__name__)
    if policy is None:
        pol = NegotiationPolicy()
    elif isinstance(policy, NegotiationPolicy):
        pol = policy
    else:
        pol = NegotiationPolicy.from_dict(policy)
    fr = c.scalar("financing_rate", financing_rate, lo=0.0, hi=10.0,
                  fix="give the rate as a fraction >= 0, e.g. 0.05")
    ref = _date("reference_date", reference_date)
    cost = plan.cost_to_seller(ref, fr, day_count=day_count)
    eps = 1e-9

    def net_ok(cst: pd.Series) -> bool:
        return cst["net_cost_share"] <= pol.max_net_cost_share + eps

    reasons = []
    if plan.n_instalments > pol.max_instalments:
        reasons.append("too_many_instalments")
    if cost["duration_days"] > pol.max_duration_days:
        reasons.append("too_long")
    hard = bool(reasons)
    if cost["average_delay_days"] > pol.max_average_delay_days + eps:
        reasons.append("average_delay")
    if plan.annual_rate < pol.min_annual_rate - eps:
        reasons.append("rate_below_minimum")
    if plan.penalties > 0 and plan.waive_penalties and not pol.allow_penalty_waiver:
        reasons.append("penalty_waiver")
    if not net_ok(cost):
        reasons.append("net_cost")
    verdict = "refuse" if hard else ("counter" if reasons else "accept")
    # counter-proposal: the plan's rate that makes the net cost acceptable
    counter_rate = np.nan
    if "net_cost" in reasons or "rate_below_minimum" in reasons:
        lo, hi = max(plan.annual_rate, pol.min_annual_rate), 1.0
        if net_ok(_rebuild(plan, annual_rate=lo).cost_to_seller(ref, fr, day_count=day_count)):
            counter_rate = lo
        elif net_ok(_rebuild(plan, annual_rate=hi).cost_to_seller(ref, fr,
                                                                  day_count=day_count)):
            while hi - lo > 1e-4:
                mid = (lo + hi) / 2
                ok = net_ok(_rebuild(plan, annual_rate=mid).cost_to_seller(
                    ref, fr, day_count=day_count))
                lo, hi = (lo, mid) if ok else (mid, hi)
            counter_rate = float(np.ceil(hi * 1e4) / 1e4)
    counter_n = 0
    for n in range(min(plan.n_instalments, pol.max_instalments), 0, -1):
        alt = _rebuild(plan, n_instalments=n, annual_rate=0.0)
        cst = alt.cost_to_seller(ref, fr, day_count=day_count)
        if (net_ok(cst) and cst["average_delay_days"] <= pol.max_average_delay_days + eps
                and cst["duration_days"] <= pol.max_duration_days
                and pol.min_annual_rate == 0):
            counter_n = n
            break
    return ProposalEvaluation(plan=plan, policy=pol, financing_rate=fr, reference_date=ref,
                              cost=cost, verdict=verdict, reasons=tuple(reasons),
                              counter_rate=float(counter_rate), counter_instalments=counter_n)
