"""Closed vocabularies of the scores package, as ``StrEnum``\\ s of English codes.

Members are their codes (``AltmanZone.SAFE == "safe"``), so tables keep plain strings; their
words come from the label catalogue (``creditlab/data/labels/scores.csv``, keys
``altman_variant.<code>``, ``altman_zone.<code>``, ``rating_provider.<code>``,
``conan_holder_band.<code>``).
"""

from __future__ import annotations

from creditlab._vocabulary import Vocabulary

__all__ = ["AltmanVariant", "AltmanZone", "ConanHolderBand", "RatingProvider",
           "CONAN_HOLDER_LEGACY_CODES"]


class AltmanVariant(Vocabulary):
    """The Altman models (:data:`creditlab.scores.ALTMAN_MODELS`)."""

    Z = "z"
    Z_PRIME = "z_prime"
    Z_DOUBLE_PRIME = "z_double_prime"
    Z_EM = "z_em"


class AltmanZone(Vocabulary):
    """Zone of an Altman score, from the worst."""

    DISTRESS = "distress"
    GREY = "grey"
    SAFE = "safe"


class RatingProvider(Vocabulary):
    """External rating providers whose scales ship in ``rating_scales.csv``."""

    BDF = "bdf"
    AFDCC = "afdcc"
    COFACE_DRA = "coface_dra"
    ALLIANZ_TRADE = "allianz_trade"
    CREDITSAFE = "creditsafe"


class ConanHolderBand(Vocabulary):
    """Band of a Conan-Holder score, from the worst (DOMAIN.md §1.2)."""

    DANGER = "danger"
    WARNING = "warning"
    CAUTION = "caution"
    VERY_GOOD = "very_good"


#: The French codes the ``band`` column held before 2026-12 → today's codes; tables saved with
#: the old codes are still read (:func:`creditlab.scores.customer_rating`, ``risk_inputs``).
CONAN_HOLDER_LEGACY_CODES = {"danger": "danger", "alerte": "warning", "prudence": "caution",
                             "tres_bonne": "very_good"}
