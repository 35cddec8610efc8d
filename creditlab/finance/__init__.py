"""Economics of customer credit (DOMAIN.md §8-§10).

- :mod:`creditlab.finance.cost`        — cost of customer credit, DSO, BFR, margin, result,
  ROCE, compensatory sales
- :mod:`creditlab.finance.policy`      — marginal analysis, ABC segmentation, risk × stakes
- :mod:`creditlab.finance.charter`     — credit charter (Markdown / HTML, Jinja2)
- :mod:`creditlab.finance.insurance`   — credit insurance: policy terms, claim indemnities,
  declaration deadlines, uninsured exposure
- :mod:`creditlab.finance.insurance_choice` — insure versus self-insure a portfolio
- :mod:`creditlab.finance.factoring`   — factoring contract types, cost simulator, comparison
- :mod:`creditlab.finance.discount`    — escompte: equivalent annual rate, maximum discount
- :mod:`creditlab.finance.plans`       — payment plans (échéanciers) and their cost
- :mod:`creditlab.finance.negotiation` — a customer's proposal against the policy (what-if)

Rates are fractions (0.05 = 5 %), amounts euros, durations days; every function raises
:class:`~creditlab.exceptions.InputError` on a bad input.
"""

from __future__ import annotations

from creditlab.finance.charter import (
    CHARTER_SECTIONS,
    RACI_ROLES,
    CreditCharter,
    credit_charter,
    default_raci,
)
from creditlab.finance.codes import AmountBasis, FactoringContract
from creditlab.finance.cost import (
    COST_LABELS,
    CreditCost,
    average_receivables,
    cash_released,
    compensatory_sales,
    cost_per_dso_day,
    credit_cost,
    financing_cost,
    late_invoice_cost,
)
from creditlab.finance.discount import (
    DiscountAnalysis,
    DiscountCurve,
    discount_analysis,
    discount_annual_rate,
    discount_curve,
    max_discount,
)
from creditlab.finance.factoring import (
    FACTORING_FEATURES,
    FACTORING_LABELS,
    FactoringCost,
    compare_financing,
    factoring_contracts,
    factoring_cost,
)
from creditlab.finance.insurance import (
    INSURANCE_LABELS,
    ClaimIndemnities,
    CreditInsurancePolicy,
    UninsuredExposure,
    claim_indemnities,
    declaration_deadlines,
    uninsured_exposure,
)
from creditlab.finance.insurance_choice import InsuranceComparison, insure_vs_self_insure
from creditlab.finance.negotiation import (
    NegotiationPolicy,
    ProposalEvaluation,
    evaluate_proposal,
)
from creditlab.finance.plans import FREQUENCIES, NEGOTIATION_LABELS, PaymentPlan, payment_plan
from creditlab.finance.policy import (
    MARGINAL_LABELS,
    AbcSegmentation,
    MarginalAnalysis,
    RiskStakesMatrix,
    abc_segmentation,
    marginal_analysis,
    risk_stakes_grid,
    risk_stakes_matrix,
)

__all__ = [
    "FactoringContract", "AmountBasis",
    # cost
    "average_receivables",
    "financing_cost",
    "cost_per_dso_day",
    "late_invoice_cost",
    "cash_released",
    "compensatory_sales",
    "credit_cost",
    "CreditCost",
    "COST_LABELS",
    # policy
    "marginal_analysis",
    "MarginalAnalysis",
    "abc_segmentation",
    "AbcSegmentation",
    "risk_stakes_matrix",
    "risk_stakes_grid",
    "RiskStakesMatrix",
    "MARGINAL_LABELS",
    # charter
    "credit_charter",
    "CreditCharter",
    "default_raci",
    "RACI_ROLES",
    "CHARTER_SECTIONS",
    # insurance
    "CreditInsurancePolicy",
    "claim_indemnities",
    "ClaimIndemnities",
    "declaration_deadlines",
    "uninsured_exposure",
    "UninsuredExposure",
    "insure_vs_self_insure",
    "InsuranceComparison",
    "INSURANCE_LABELS",
    # factoring
    "factoring_contracts",
    "factoring_cost",
    "FactoringCost",
    "compare_financing",
    "FACTORING_FEATURES",
    "FACTORING_LABELS",
    # discount, payment plans, negotiation
    "discount_annual_rate",
    "max_discount",
    "discount_analysis",
    "discount_curve",
    "DiscountCurve",
    "DiscountAnalysis",
    "payment_plan",
    "PaymentPlan",
    "NegotiationPolicy",
    "evaluate_proposal",
    "ProposalEvaluation",
    "FREQUENCIES",
    "NEGOTIATION_LABELS",
]
