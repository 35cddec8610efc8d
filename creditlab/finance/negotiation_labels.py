"""French / English labels of the payment-plan, discount and negotiation results.

A leaf module (it imports only the label catalogue) so that :mod:`~creditlab.finance.plans`,
:mod:`~creditlab.finance.discount` and :mod:`~creditlab.finance.negotiation` share the words
without importing each other; ``creditlab.finance.plans.NEGOTIATION_LABELS`` stays importable.
The words live in the catalogue (``data/labels/finance.csv``, keys ``negotiation.<code>``).
"""

from __future__ import annotations

from creditlab.labels import label_view

__all__ = ["NEGOTIATION_LABELS"]

NEGOTIATION_LABELS = label_view("negotiation")
