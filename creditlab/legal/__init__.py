"""French payment-term and late-payment law: due dates, caps, rate tables, penalties.

- :mod:`~creditlab.legal.terms` — :func:`due_date` for every legal term (net N days, both
  "45 jours fin de mois" computations, transport, periodic invoices) and :func:`check_terms`
  against the caps of L441-10 I / L441-11 II;
- :mod:`~creditlab.legal.rates` — ECB and legal-interest rate tables (versioned package data
  with sources), :func:`default_penalty_rate`, :func:`minimum_contract_rate`;
- :mod:`~creditlab.legal.penalties` — :func:`late_penalties` split by half-year and the 40 €
  indemnity (:data:`FIXED_INDEMNITY_EUR`).

Rates are fractions (0.1215 = 12.15 %). Sources: DOMAIN.md §7.
"""

from __future__ import annotations

from creditlab.legal.codes import TermBasis, TermKind, TermRegime
from creditlab.legal.penalties import (
    FIXED_INDEMNITY_EUR,
    PenaltyRateWarning,
    late_penalties,
    penalties_by_period,
    penalty_breakdown,
    round_cents,
)
from creditlab.legal.rates import (
    PENALTY_MARGIN,
    default_penalty_rate,
    ecb_rate_for_half_year,
    ecb_rates,
    half_year_start,
    legal_interest_rate,
    legal_rates,
    minimum_contract_rate,
    penalty_rate_table,
)
from creditlab.legal.terms import (
    TermsCheck,
    check_terms,
    due_date,
    due_days,
    parse_terms,
    term_caps,
)

__all__ = [
    "TermKind", "TermRegime", "TermBasis",
    "FIXED_INDEMNITY_EUR", "PENALTY_MARGIN", "PenaltyRateWarning", "TermsCheck", "check_terms",
    "default_penalty_rate", "due_date", "due_days", "ecb_rate_for_half_year", "ecb_rates",
    "half_year_start", "late_penalties", "penalties_by_period", "legal_interest_rate", "legal_rates",
    "minimum_contract_rate", "parse_terms", "penalty_breakdown", "penalty_rate_table",
    "round_cents", "term_caps",
]
