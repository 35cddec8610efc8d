"""External rating scales: direction, versions, normalisation, combination, invalid grades."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creditlab.exceptions import InputError
from creditlab.scores import (
    combine_ratings,
    grade_words,
    normalise_rating,
    normalise_ratings,
    rating_scales,
    risk_grade,
)


def test_bdf_2022_scale_order_and_default():
    """DOMAIN.md §2.3: since 8 Jan 2022, 1+ (best) … 8, then P (procédure collective), 0 (no
    significant information); lower is better."""
    grades = ["1+", "1", "1-", "2+", "2", "2-", "3+", "3", "3-", "4+", "4", "4-", "5+", "5", "5-",
              "6+", "6", "6-", "7", "8", "P"]
    df = normalise_ratings(pd.DataFrame({"provider": "bdf", "grade": grades,
                                         "scale_version": "2022"}))
    assert (np.diff(df["risk_index"].to_numpy()) > 0).all()
    assert df["risk_index"].iloc[0] == 0.0 and df["risk_index"].iloc[-1] == 1.0
    assert df["is_default"].tolist() == [False] * 20 + [True]
    assert (df["direction"] == "lower_is_better").all()
    zero = normalise_rating("bdf", "0", scale_version="2022")
    assert not zero.rated and np.isnan(zero.risk_index)


def test_bdf_versions_by_date_and_grade():
    """Same symbols mean different things before/after 2022 (old 3++ ≈ new 1+)."""
    assert normalise_rating("bdf", "3++").scale_version == "pre2022"  # only on the old scale
    assert normalise_rating("bdf", "1+").scale_version == "2022"
    old4 = normalise_rating("bdf", "4", date="2021-06-30")
    new4 = normalise_rating("bdf", "4", date="2022-06-30")
    assert (old4.scale_version, new4.scale_version) == ("pre2022", "2022")
    assert old4.risk_index != new4.risk_index
    assert normalise_rating("bdf", "3++", scale_version="pre2022").risk_index == 0.0
    assert normalise_rating("bdf", "1\u2212", scale_version="2022").grade == "1-"  # unicode minus
    with pytest.raises(InputError, match="scale_version"):
        normalise_rating("bdf", "4")  # exists on both scales, no date
    with pytest.raises(InputError, match="bdf/2022: '9'"):
        normalise_rating("bdf", "9", date="2023-05-01")


@pytest.mark.parametrize("provider,grade,risk,direction", [
    ("coface_dra", 10, 0.0, "higher_is_better"), ("coface_dra", 0, 1.0, "higher_is_better"),
    ("coface_dra", "7", 0.3, "higher_is_better"),
    ("allianz_trade", 1, 0.0, "lower_is_better"), ("allianz_trade", 10, 1.0, "lower_is_better"),
    ("afdcc", 20, 0.0, "higher_is_better"), ("afdcc", 10.5, 0.475, "higher_is_better"),
    ("creditsafe", 100, 0.0, "higher_is_better"), ("creditsafe", 15, 0.85, "higher_is_better"),
])
def test_numeric_scales(provider, grade, risk, direction):
    """DOMAIN.md §11.2: Coface DRA 10 best (0 = default), Allianz Trade 1 best, AFDCC /20 20 best,
    Creditsafe 100 best — mapped linearly onto the 0-1 risk index."""
    r = normalise_rating(provider, grade)
    assert r.risk_index == pytest.approx(risk)
    assert r.direction == direction
    assert r.is_default == (provider == "coface_dra" and grade == 0)


def test_creditsafe_band_labels():
    """Creditsafe bands 0-20 very high risk … 71-100 very low risk (DOMAIN.md §11.2)."""
    df = normalise_ratings(pd.DataFrame({"provider": "creditsafe", "grade": [5, 25, 40, 60, 85]}))
    # codes in the result: the band of the scale; words at the edge
    assert df["grade_band"].tolist() == ["0-20", "21-29", "30-50", "51-70", "71-100"]
    assert "grade_label" not in df.columns
    assert grade_words(df)["grade_label"].tolist() == [
        "risque très élevé", "risque élevé", "risque modéré", "risque faible",
        "risque très faible"]
    en = grade_words(normalise_ratings(pd.DataFrame({"provider": ["creditsafe"], "grade": [85]})),
                     "en")
    assert en["grade_label"].iloc[0] == "very low risk"
    assert list(en.columns).index("grade_label") == list(en.columns).index("grade_band") + 1
    with pytest.raises(TypeError):
        normalise_ratings(df, lang="en")  # the result holds no words: no lang


def test_grade_words_of_ordinal_scales():
    df = normalise_ratings(pd.DataFrame({"provider": ["bdf", "bdf", "coface_dra", "afdcc"],
                                         "grade": ["4+", "3++", 6, 12.5],
                                         "scale_version": ["2022", "pre2022", None, None]}))
    assert df["grade_band"].tolist() == ["4+", "3++", "6", "0-20"]
    assert grade_words(df)["grade_label"].tolist() == [
        "cote 4+", "cote 3++ (échelle antérieure à 2022)", "DRA 6", "note AFDCC sur 20"]
    one = normalise_rating("bdf", "P", scale_version="2022")
    assert one.grade_band == "P"
    assert one.words() == "procédure collective" and one.words("en") == "insolvency proceedings"
    assert one.to_frame("en").loc[0, "grade_label"] == "insolvency proceedings"


def test_invalid_grades_listed_together():
    df = pd.DataFrame({"provider": ["coface_dra", "allianz_trade", "afdcc", "creditsafe", "bdf"],
                       "grade": [11, 0, 25, "high", "Z"], "scale_version": [None] * 4 + ["2022"]})
    with pytest.raises(InputError) as e:
        normalise_ratings(df)
    msg = str(e.value)
    for bad in ("coface_dra/current: 11", "allianz_trade/current: 0", "afdcc/afdcc3: 25",
                "creditsafe/current: 'high'", "bdf/2022: 'Z'"):
        assert bad in msg
    with pytest.raises(InputError, match="provider"):
        normalise_rating("moodys", "Aaa")
    with pytest.raises(InputError, match="grade"):
        normalise_ratings(pd.DataFrame({"provider": ["bdf"]}))


def test_every_scale_grade_round_trips():
    sc = rating_scales()
    assert (sc["source"].str.len() > 0).all()
    ordinal = sc[sc["kind"] == "ordinal"]
    df = normalise_ratings(ordinal[["provider", "grade", "scale_version"]])
    np.testing.assert_array_equal(df["risk_index"].to_numpy(), ordinal["risk_index"].to_numpy())


def test_risk_grade():
    np.testing.assert_array_equal(risk_grade([0.0, 0.05, 0.1, 0.5, 0.95, 1.0]),
                                  [1, 1, 2, 6, 10, 10])
    assert np.isnan(risk_grade([np.nan])[0])


def test_combine_ratings_worst_mean_latest_and_stale():
    r = pd.DataFrame({
        "customer_id": ["A", "A", "A", "B", "B", "C"],
        "provider": ["coface_dra", "coface_dra", "allianz_trade", "bdf", "creditsafe", "bdf"],
        "grade": [8, 3, 2, "P", 90, "0"],
        "date": ["2023-01-01", "2025-06-01", "2025-03-01", "2025-01-01", "2020-01-01",
                 "2025-01-01"],
        "scale_version": [None, None, None, "2022", None, "2022"],
    })
    worst = combine_ratings(r, as_of="2025-12-31")
    # A: latest Coface is DRA 3 (0.7) and Allianz 2 (1/9): worst 0.7; B: P (1.0), Creditsafe stale
    assert worst.loc["A", "risk_index"] == pytest.approx(0.7)
    assert worst.loc["A", "worst_provider"] == "coface_dra"
    assert worst.loc["B", "risk_index"] == 1.0 and worst.loc["B", "any_default"]
    assert worst.loc["B", "n_ratings"] == 1  # the 2020 Creditsafe score is older than 2 years
    assert "C" not in worst.index  # BdF "0" is not a rating
    # one item of the " ; "-separated customer rationale: providers joined by commas
    assert worst.loc["A", "detail"] == "allianz_trade 2, coface_dra 3"
    mean = combine_ratings(r, as_of="2025-12-31", how="mean")
    assert mean.loc["A", "risk_index"] == pytest.approx((0.7 + 1 / 9) / 2)
    with pytest.raises(TypeError):
        combine_ratings(r, as_of="2025-12-31", lang="en")  # no words in the result: no lang
    early = combine_ratings(r, as_of="2024-12-31")
    assert early.loc["A", "risk_index"] == pytest.approx(0.2)  # only DRA 8 known then
    with pytest.raises(InputError, match="customer_id"):
        combine_ratings(r.drop(columns="customer_id"))
