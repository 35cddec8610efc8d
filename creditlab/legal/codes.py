"""Closed vocabularies of the legal package (payment-term rules), as ``StrEnum``\\ s of English
codes; their words are in ``creditlab/data/labels/legal.csv`` (keys ``term_kind.<code>``,
``term_regime.<code>``, ``term_basis.<code>``)."""

from __future__ import annotations

from creditlab._vocabulary import Vocabulary

__all__ = ["TermKind", "TermRegime", "TermBasis"]


class TermKind(Vocabulary):
    """How a due date is computed from the issue date (:func:`creditlab.legal.parse_terms`)."""

    NET = "net"        # issue date + N days
    EOM_A = "eom_a"    # end of the issue month, then + N days
    EOM_B = "eom_b"    # issue date + N days, then end of that month


class TermRegime(Vocabulary):
    """Which legal cap applies (L441-10 I, L441-11 II Code de commerce)."""

    GENERAL = "general"
    TRANSPORT = "transport"
    PERIODIC = "periodic"
    DEFAULT = "default"    # no agreement: 30 days after receipt (L441-10 I)


class TermBasis(Vocabulary):
    """From when a capped delay counts: the invoice date or the end of the month."""

    NET = "net"
    EOM = "eom"
