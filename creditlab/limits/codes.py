"""Closed vocabularies of credit limits and credit hold, as ``StrEnum``\\ s of English codes.

Members are their codes (``Decision.HOLD == "hold"``); their words come from the label
catalogue (``creditlab/data/labels/limits.csv``, keys ``hold_decision.<code>`` and
``hold_reason.<code>``).
"""

from __future__ import annotations

from creditlab._vocabulary import Vocabulary

__all__ = ["Decision", "HoldReason"]


class Decision(Vocabulary):
    """Decision on an order, from the least to the most severe."""

    RELEASE = "release"
    HOLD = "hold"
    BLOCK = "block"

    @classmethod
    def key_prefix(cls) -> str:
        return "hold_decision"


class HoldReason(Vocabulary):
    """Why an order is held or blocked (:func:`creditlab.limits.credit_hold`)."""

    OVER_LIMIT = "over_limit"
    NO_LIMIT = "no_limit"
    OVERDUE_AMOUNT = "overdue_amount"
    OVERDUE_AGE = "overdue_age"
    RATING_CLASS = "rating_class"
    INSURER_CANCELLED = "insurer_cancelled"
    DISPUTES = "disputes"
    INSOLVENCY = "insolvency"
