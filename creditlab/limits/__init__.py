"""Credit limits and credit hold (DOMAIN.md §5): methods, combination, review, order hold.

- :mod:`creditlab.limits.policy`  — :class:`CreditPolicy` (the tunable default lives in
  ``creditlab/data/credit_policy_default.toml``)
- :mod:`creditlab.limits.methods` — commercial need, capacity caps, :func:`propose_limits`
- :mod:`creditlab.limits.hold`    — :func:`credit_hold`, :func:`check_order`, :class:`OverrideLog`
- :mod:`creditlab.limits.words`   — the words of their results (binding constraint, remedies,
  decisions, reasons, release conditions), produced at the edge from codes and amounts
- :mod:`creditlab.limits.codes`   — :class:`Decision`, :class:`HoldReason` (codes; words in the
  label catalogue)
"""

from __future__ import annotations

from creditlab.limits.codes import Decision, HoldReason
from creditlab.limits.hold import (
    DECISION_LABELS,
    HOLD_COLUMN_LABELS,
    HOLD_REASONS,
    HoldReport,
    OverrideLog,
    check_order,
    credit_hold,
)
from creditlab.limits.methods import (
    LIMIT_COLUMN_LABELS,
    LIMIT_INPUTS,
    METHOD_LABELS,
    LimitProposal,
    capacity_caps,
    commercial_need,
    limit_inputs,
    propose_limits,
    statement_aggregates,
)
from creditlab.limits.policy import CAPACITY_METHODS, CLASSES, DECISIONS, CreditPolicy
from creditlab.limits.words import REMEDY_CODES, hold_words, limit_words

__all__ = [
    "CreditPolicy",
    "CAPACITY_METHODS",
    "CLASSES",
    "DECISIONS",
    "Decision",
    "HoldReason",
    "LIMIT_INPUTS",
    "LIMIT_COLUMN_LABELS",
    "METHOD_LABELS",
    "LimitProposal",
    "capacity_caps",
    "commercial_need",
    "limit_inputs",
    "propose_limits",
    "statement_aggregates",
    "HOLD_REASONS",
    "HOLD_COLUMN_LABELS",
    "DECISION_LABELS",
    "HoldReport",
    "OverrideLog",
    "check_order",
    "credit_hold",
    "REMEDY_CODES",
    "hold_words",
    "limit_words",
]
