"""Closed vocabularies of scores are StrEnums of English codes with their words in the catalogue."""

from __future__ import annotations

import numpy as np
import pytest

from creditlab import labels
from creditlab.scores import (
    ALTMAN_MODELS,
    ALTMAN_VARIANTS,
    AltmanVariant,
    AltmanZone,
    ConanHolderBand,
    RatingProvider,
    altman_from_ratios,
    rating_scales,
)
from creditlab.scores.ratings import PROVIDERS


def test_members_are_their_codes():
    assert AltmanZone.SAFE == "safe" and str(AltmanVariant.Z_EM) == "z_em"
    assert set(ALTMAN_VARIANTS) == set(ALTMAN_MODELS) == {"z", "z_prime", "z_double_prime", "z_em"}
    assert set(PROVIDERS) == set(rating_scales()["provider"])
    assert RatingProvider("bdf") is RatingProvider.BDF


@pytest.mark.parametrize("vocab", [AltmanVariant, AltmanZone, RatingProvider, ConanHolderBand])
def test_every_member_has_words_in_both_languages(vocab):
    keys = set(labels.catalogue()["key"])
    for m in vocab:
        assert m.key in keys
        assert m.label("fr") and m.label("en")


def test_altman_zone_codes_and_words():
    # T3 (DOMAIN.md §12): Z″ = 3.1730 > 2.60 → safe; a negative score → distress
    out = altman_from_ratios(np.array([0.2, -0.5]), np.array([0.15, -0.2]),
                             np.array([0.1, -0.1]), np.array([400 / 600, 0.1]),
                             variant=AltmanVariant.Z_DOUBLE_PRIME)
    assert out["zone"].tolist() == ["safe", "distress"]
    assert AltmanZone.DISTRESS.label("fr") == "détresse"
    assert AltmanZone.GREY.label("fr") == "zone grise"
    with pytest.raises(Exception, match="variant"):
        altman_from_ratios(0.1, 0.1, 0.1, 0.5, variant="z_triple")


def test_conan_holder_band_codes_are_english_and_words_unchanged():
    from creditlab.scores import (
        CONAN_HOLDER_BANDS,
        ConanHolderBand,
        conan_holder_from_ratios,
        score_words,
    )
    assert [b[1] for b in CONAN_HOLDER_BANDS] == ["danger", "warning", "caution", "very_good"]
    assert [b[2] for b in CONAN_HOLDER_BANDS] == ["danger", "alerte", "bonne situation, prudence",
                                                  "très bonne situation"]
    assert [b[3] for b in CONAN_HOLDER_BANDS] == ["danger", "warning", "good, caution",
                                                  "very good"]
    # T1 (DOMAIN.md §12): Z = 14.9633 → band 9-16
    out = conan_holder_from_ratios(0.20, 0.55, 0.35, 0.01, 0.666667)
    assert out["band"].iloc[0] == ConanHolderBand.CAUTION == "caution"
    assert score_words(out)["band_label"].iloc[0] == ConanHolderBand.CAUTION.label("fr")
