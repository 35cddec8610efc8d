"""classic_scores computes the five scores once, with codes as categories (issue 19)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creditlab.exceptions import InputError
from creditlab.scores import (
    ALTMAN_VARIANTS,
    altman,
    altman_from_ratios,
    classic_scores,
    conan_holder,
    conan_holder_from_ratios,
    score_words,
)
from creditlab.scores._columns import code_column, denominator, flag_column
from creditlab.scores._sector import sector_flags, sector_values
from creditlab.statements._common import safe_div
from creditlab.statements._testing import make_statements, worked_example

PREFIX = {"z": "z", "z_prime": "zp", "z_double_prime": "zpp", "z_em": "zem"}


def _awkward_statements() -> pd.DataFrame:
    """Statements with every NaN reason: zero debt, zero assets, no liabilities, missing lines."""
    fs = make_statements(40, seed=5)
    fs.index = fs.index * 3 + 7  # not a RangeIndex: the result keeps it
    fs.loc[fs.index[0], ["total_assets", "total_liabilities"]] = 0.0
    debt = ["long_term_debt", "bank_overdrafts", "customer_advances", "trade_payables",
            "tax_social_payables", "other_payables", "deferred_income"]
    fs.loc[fs.index[1], debt] = 0.0
    fs.loc[fs.index[2], "sales_goods"] = np.nan
    fs.loc[fs.index[3], "equity"] = fs.loc[fs.index[3], "total_liabilities"]
    fs.loc[fs.index[4], ["sales_goods", "production_sold"]] = 0.0
    fs["market_value_equity"] = np.where(np.arange(len(fs)) % 3 == 0, np.nan, 5e6)
    return fs


def test_classic_scores_equal_the_single_scores():
    fs = _awkward_statements()
    sec = pd.Series(np.resize(["industrie", "services", None, "commerce_gros", ""], len(fs)),
                    index=fs.index)
    t = classic_scores(fs, sector=sec)
    assert list(t.index) == list(fs.index)
    ch = conan_holder(fs, sector=sec)
    for c in ("score", "band", "failure_prob_indicative", "valid", "reason"):
        pd.testing.assert_series_equal(t[f"ch_{c}"], ch[c], check_names=False)
    for v in ALTMAN_VARIANTS:
        a = altman(fs, v, sector=sec)
        for c in ("score", "zone", "valid", "reason"):
            pd.testing.assert_series_equal(t[f"{PREFIX[v]}_{c}"], a[c], check_names=False)
    # every reason was met, so the test covers them
    reasons = set(";".join(t[[c for c in t if c.endswith("_reason")]].astype(str)
                           .to_numpy().ravel()).split(";"))
    assert {"zero_assets", "no_liabilities", "no_market_value", "missing", "r1_zero_debt",
            "r2_r3_assets", "r4_sales"} <= reasons


def test_codes_are_categories_worst_first():
    t = classic_scores(make_statements(30, seed=8))
    assert list(t["ch_band"].cat.categories) == ["danger", "warning", "caution", "very_good"]
    for p in ("z", "zp", "zpp", "zem"):
        assert list(t[f"{p}_zone"].cat.categories) == ["distress", "grey", "safe"]
        assert t[f"{p}_reason"].dtype == "category"
    # comparisons with codes and the words at the edge are unchanged
    ex = classic_scores(worked_example())
    assert ex.loc[0, "ch_band"] == "caution" and (ex["ch_band"] == "caution").all()
    words = score_words(ex).iloc[0]
    assert words["ch_band_label"] == "bonne situation, prudence"
    assert words["ch_reason"] == ""


def test_hand_computed_bands_and_zones_at_their_bounds():
    # Conan-Holder: a score on a lower bound belongs to that band (DOMAIN.md §1.2)
    r = conan_holder_from_ratios([4 / 24, 9 / 24, 16 / 24, 3.99 / 24, np.nan], 0, 0, 0, 0)
    assert r["band"].tolist()[:4] == ["warning", "caution", "very_good", "danger"]
    assert pd.isna(r["band"].iloc[4]) and np.isnan(r["failure_prob_indicative"].iloc[4])
    # Z″: distress below 1.10, grey 1.10-2.60 inclusive, safe above 2.60
    z = altman_from_ratios(0, 0, 0, [1.0999 / 1.05, 1.10 / 1.05, 2.60 / 1.05, 2.6001 / 1.05,
                                     np.nan], variant="z_double_prime")
    assert z["zone"].tolist()[:4] == ["distress", "grey", "grey", "safe"]
    assert pd.isna(z["zone"].iloc[4])


def test_lang_parameter_is_gone():
    fs = worked_example()
    for call in (lambda: classic_scores(fs, lang="fr"), lambda: altman(fs, lang="fr"),
                 lambda: conan_holder(fs, lang="en"),
                 lambda: altman_from_ratios(0.1, 0.1, 0.1, 0.5, 1.0, lang="fr"),
                 lambda: conan_holder_from_ratios(0.2, 0.5, 0.3, 0.01, 0.6, lang="fr")):
        with pytest.raises(TypeError, match="lang"):
            call()


def test_denominator_matches_safe_div():
    num = np.array([1.0, 2.0, -3.0, 4.0, 5.0, np.nan, 6.0, 7.0])
    den = np.array([2.0, 0.0, -1.0, np.inf, np.nan, 3.0, -np.inf, 1e-300])
    for positive in (False, True):
        guarded, undefined = denominator(den, positive=positive)
        ref, ref_undefined = safe_div(num, den, positive=positive)
        np.testing.assert_array_equal(num / guarded, ref)
        np.testing.assert_array_equal(undefined, ref_undefined)
    assert (num / denominator(den)[0])[2] == 3.0  # only the positive rule drops a negative


def test_flag_and_code_columns():
    col = flag_column({"a": np.array([True, False, True, False]),
                       "b": np.array([True, False, False, False])}, {"a": "x", "b": "y"}, 4)
    assert col.tolist() == ["x;y", "", "x", ""]
    none = flag_column({"a": np.zeros(3, dtype=bool)}, {"a": "x"}, 3)
    assert none.tolist() == ["", "", ""]
    c = code_column(np.array([2, -1, 0], dtype=np.int8), ["lo", "mid", "hi"])
    assert c.tolist()[0] == "hi" and pd.isna(c[1]) and list(c.categories) == ["lo", "mid", "hi"]


def test_sector_flags_match_sector_values():
    fs = make_statements(12, seed=2)
    values = ["industrie", "services", None, "", np.nan, "commerce_gros"] * 2
    for sector in (values, pd.Series(values, index=fs.index, dtype="str"),
                   pd.Series(values, index=fs.index, dtype="category"), "industrie", None):
        sec = sector_values(fs, sector)
        ind, known = sector_flags(fs, sector)
        np.testing.assert_array_equal(ind, sec == "industrie")
        np.testing.assert_array_equal(known, sec != "")
    with pytest.raises(InputError, match="sector"):
        sector_flags(fs, ["agriculture"] * 12)
    with pytest.raises(InputError, match="sector"):
        classic_scores(fs, sector="agriculture")
