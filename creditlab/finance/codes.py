"""Closed vocabularies of the finance package (factoring and credit-insurance kinds), as
``StrEnum``\\ s of English codes; their words are in ``creditlab/data/labels/finance.csv``
(keys ``factoring_contract.<code>``, ``amount_basis.<code>``)."""

from __future__ import annotations

from creditlab._vocabulary import Vocabulary

__all__ = ["FactoringContract", "AmountBasis"]


class FactoringContract(Vocabulary):
    """Factoring contract types (``creditlab/data/factoring_contracts.csv``)."""

    CLASSIC = "classic"
    NOTIFIED_NOT_MANAGED = "notified_not_managed"
    CONFIDENTIAL = "confidential"
    REVERSE = "reverse"
    COLLECTION_MANDATE = "collection_mandate"


class AmountBasis(Vocabulary):
    """Whether amounts exclude (HT) or include (TTC) VAT, e.g. a credit-insurance policy's
    indemnity basis."""

    HT = "ht"
    TTC = "ttc"
