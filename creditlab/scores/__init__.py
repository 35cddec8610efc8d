"""Classic formula scores, external rating scales, risk points and the customer rating.

- :func:`conan_holder` (canonical 24/22/16/87/10 form, bands 16/9/4, indicative probability),
  :func:`altman` (Z, Z′, Z″, Z″-EM), :func:`classic_scores` (all of them), in codes;
  :func:`score_words` writes their bands, zones, reasons and notes in words;
- external ratings as inputs (Banque de France, AFDCC, Coface DRA, Allianz Trade, Creditsafe)
  normalised onto one internal risk scale: :func:`normalise_ratings`, :func:`combine_ratings`;
- méthode des points de risque: :class:`RiskGrid`, :func:`risk_points`, :func:`risk_inputs`;
- customer rating and portfolio ranking: :func:`customer_rating`, :func:`rank_portfolio`.

Banque de France (BDFI …) and AFDCC scores are **not** recomputed: their coefficients are not
public (DOMAIN.md §2-§3); use their outputs as external ratings.
"""

from __future__ import annotations

from creditlab.scores.altman import (
    ALTMAN_MODELS,
    ALTMAN_VARIANTS,
    AltmanModel,
    altman,
    altman_from_ratios,
)
from creditlab.scores.classic import classic_scores
from creditlab.scores.codes import AltmanVariant, AltmanZone, ConanHolderBand, RatingProvider
from creditlab.scores.conan_holder import (
    CONAN_HOLDER_BANDS,
    CONAN_HOLDER_COEFFICIENTS,
    CONAN_HOLDER_PROBABILITY_TABLE,
    conan_holder,
    conan_holder_from_ratios,
)
from creditlab.scores.rating import (
    QUADRANTS,
    RATING_CLASS_LABELS,
    RatingPolicy,
    customer_rating,
    rank_portfolio,
)
from creditlab.scores.ratings import (
    BDF_2022_SCALE_DATE,
    PROVIDERS,
    ExternalRating,
    combine_ratings,
    normalise_rating,
    normalise_ratings,
    rating_scales,
    risk_grade,
)
from creditlab.scores.risk_points import (
    ALTMAN_ZONE_RISK,
    CONAN_HOLDER_BAND_RISK,
    SCORE_SOURCES,
    Band,
    Criterion,
    RiskClass,
    RiskGrid,
    RiskPointsResult,
    risk_inputs,
    risk_points,
)
from creditlab.scores.words import (
    grade_words,
    portfolio_words,
    rating_words,
    risk_input_words,
    score_words,
)

__all__ = [
    "AltmanVariant", "AltmanZone", "ConanHolderBand", "RatingProvider",
    "ALTMAN_MODELS", "ALTMAN_VARIANTS", "ALTMAN_ZONE_RISK", "AltmanModel", "BDF_2022_SCALE_DATE",
    "Band", "CONAN_HOLDER_BANDS", "CONAN_HOLDER_BAND_RISK", "CONAN_HOLDER_COEFFICIENTS",
    "CONAN_HOLDER_PROBABILITY_TABLE", "Criterion", "ExternalRating", "PROVIDERS", "QUADRANTS",
    "RATING_CLASS_LABELS", "RatingPolicy", "RiskClass", "RiskGrid", "RiskPointsResult",
    "SCORE_SOURCES",
    "altman", "altman_from_ratios", "classic_scores", "combine_ratings", "conan_holder",
    "conan_holder_from_ratios", "customer_rating", "normalise_rating", "normalise_ratings",
    "rank_portfolio", "rating_scales", "risk_grade", "risk_inputs", "risk_points",
    "score_words", "portfolio_words", "rating_words", "grade_words", "risk_input_words",
]
