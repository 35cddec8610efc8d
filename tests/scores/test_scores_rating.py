"""Customer rating (combination, override, rationale) and portfolio ranking."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creditlab.exceptions import InputError
from creditlab.scores import (
    RatingPolicy,
    RiskGrid,
    classic_scores,
    conan_holder,
    customer_rating,
    portfolio_words,
    rank_portfolio,
    rating_words,
    risk_points,
)
from creditlab.statements._testing import worked_example


def _pb(ids, late, share, n=5):
    """Payment behaviour in the contract of CONTRACTS.md."""
    return pd.DataFrame({"n_invoices_paid": n, "amount_paid": 1000.0, "avg_days_to_pay": 50.0,
                         "avg_days_late": late, "share_paid_late": share},
                        index=pd.Index(ids, name="customer_id"))


def test_weighted_combination_and_classes():
    """Combined risk = weighted mean of the available components (0.3 / 0.3 / 0.2 / 0.2),
    renormalised; classes < 0.25 / < 0.45 / < 0.65 / ≥ 0.65 (documented default)."""
    scores = pd.DataFrame({"band": ["tres_bonne", "alerte", "danger"],
                           "band_label": ["très bonne situation", "alerte", "danger"],
                           "valid": True}, index=pd.Index(["A", "B", "C"], name="customer_id"))
    external = pd.DataFrame({"customer_id": ["A", "B"], "provider": ["coface_dra", "allianz_trade"],
                             "grade": [9, 7], "date": ["2025-01-01", "2025-01-01"]})
    pb = _pb(["A", "B", "C"], [0.0, 22.5, 45.0], [0.0, 0.5, 1.0])
    out = customer_rating(scores=scores, external=external, payment_behaviour=pb,
                          as_of="2025-12-31")
    # A: scores 0.1, external 0.1, payment 0 → (0.03 + 0.03 + 0) / 0.8
    assert out.loc["A", "risk_index"] == pytest.approx((0.3 * 0.1 + 0.3 * 0.1) / 0.8)
    # B: scores 0.7, external 6/9, payment 0.5 × 0.5 + 0.5 × 0.5 = 0.5
    exp_b = (0.3 * 0.7 + 0.3 * 6 / 9 + 0.2 * 0.5) / 0.8
    assert out.loc["B", "risk_index"] == pytest.approx(exp_b)
    # C: no external rating → renormalised over scores and payment
    assert out.loc["C", "risk_index"] == pytest.approx((0.3 * 0.9 + 0.2 * 1.0) / 0.5)
    assert out["rating_class"].tolist() == [1, 3, 4]
    assert out.loc["B", "n_components"] == 3 and out.loc["C", "n_components"] == 2
    assert "rating_label" not in out
    assert rating_words(out).loc["B", "rating_label"] == "risque élevé"
    assert rating_words(out, "en").loc["B", "rating_label"] == "high risk"
    assert out.loc["B", "rationale"].startswith("Classe 3 — risque élevé (indice 0,64) : ")
    # components ordered by contribution: the Conan-Holder alert first for B
    body = out.loc["B", "rationale"].split(" : ", 1)[1]
    assert body.split(" ; ")[0] == "score Conan-Holder : alerte"
    assert "paiements : retard moyen 22 j, 50 % payés en retard" in body


def test_default_forces_class_4_and_events():
    scores = pd.DataFrame({"band": ["very_good", "very_good"], "valid": True},
                          index=pd.Index(["A", "B"], name="customer_id"))
    ext = pd.DataFrame({"customer_id": ["A"], "provider": ["bdf"], "grade": ["P"],
                        "scale_version": ["2022"], "date": ["2025-01-01"]})
    ev = pd.DataFrame({"customer_id": ["B"], "event_type": ["sauvegarde"],
                       "event_date": pd.to_datetime(["2025-05-01"])})
    out = customer_rating(scores=scores, external=ext, events=ev, as_of="2025-12-31")
    assert out["rating_class"].tolist() == [4, 4]
    assert out["default"].all()
    assert "défaut ou procédure collective" in out.loc["B", "rationale"]
    before = customer_rating(scores=scores, events=ev, as_of="2025-01-01")
    assert before.loc["B", "rating_class"] == 1  # event after as_of is ignored


def test_invalid_score_counts_half_and_risk_points_component():
    fs = worked_example()
    ch = conan_holder(fs).set_index(fs["customer_id"])  # CA 1 500 €: outside the domain
    inp = pd.DataFrame({"company_age_years": [8.0], "risk_index": [0.3], "equity_ratio": [0.4],
                        "payment_incidents": [False], "avg_days_late": [3.0],
                        "dependence_share": [0.0], "sector": ["industrie"]},
                       index=pd.Index(["EX001"], name="customer_id"))
    rp = risk_points(inp, RiskGrid.load())
    out = customer_rating(scores=ch, risk_points=rp).iloc[0]
    pts = rp.table["total"].iloc[0] / rp.table["max_points"].iloc[0]
    assert out["risk_points"] == pytest.approx(pts)
    assert out["risk_index"] == pytest.approx((0.15 * 0.3 + 0.2 * pts) / 0.35)
    assert "hors domaine de validité" in out["rationale"]
    assert "points de risque 3/46 (classe 1)" in out["rationale"]


def test_classic_scores_choose_the_valid_score_first():
    """Same rule as risk_inputs: Conan-Holder where valid (industrial, CA HT 1.5-75 M€,
    DOMAIN.md §1.3), else Altman Z″ (DOMAIN.md §4), else Conan-Holder flagged at half weight.
    Worked example: CH 14.963 'prudence' → 0.3, Z″ 3.173 'saine' → 0.1."""
    base = worked_example()
    num = [c for c in base.columns if pd.api.types.is_float_dtype(base[c])]
    rows = []
    for cid, factor in (("S", 1e4), ("I", 1e4), ("O", 1.0), ("Z", 1e4)):
        f = base.copy()
        f[num] = f[num] * factor
        f["customer_id"] = cid
        rows.append(f)
    fs = pd.concat(rows, ignore_index=True)
    fs.loc[3, "retained_earnings"] = np.nan  # Z″ undefined, Conan-Holder defined
    sc = classic_scores(fs, sector=["services", "industrie", "industrie", "commerce_gros"])
    pb = _pb(list("SIOZ"), [0.0] * 4, [0.0] * 4)
    out = customer_rating(scores=sc, payment_behaviour=pb)
    assert out.loc[list("SIOZ"), "risk_scores"].tolist() == pytest.approx([0.1, 0.3, 0.1, 0.3])
    assert "score Altman Z″ : saine" in out.loc["S", "rationale"]
    assert "score Conan-Holder : bonne situation, prudence" in out.loc["I", "rationale"]
    assert "score Altman Z″ : saine" in out.loc["O", "rationale"]
    assert not out.loc[list("SIO"), "rationale"].str.contains("hors domaine").any()
    assert "score Conan-Holder : bonne situation, prudence (hors domaine de validité)" \
        in out.loc["Z", "rationale"]
    # valid scores keep their weight 0.3; the flagged one counts 0.15 (payment risk 0 here)
    assert out.loc["I", "risk_index"] == pytest.approx(0.3 * 0.3 / 0.5)
    assert out.loc["Z", "risk_index"] == pytest.approx(0.15 * 0.3 / 0.35)
    # unknown sector: Z″ used, flagged as such
    unknown = customer_rating(scores=classic_scores(fs.iloc[[0]]))
    assert "score Altman Z″ : saine (secteur inconnu)" in unknown.iloc[0]["rationale"]
    en = customer_rating(scores=classic_scores(fs, sector=["services"] * 4),
                         lang="en")
    assert "Altman Z″ score: safe" in en.loc["S", "rationale"]


def test_customers_without_information_and_bad_inputs():
    out = customer_rating(["X", "Y"], payment_behaviour=_pb(["X"], [3.0], [0.1]))
    assert pd.isna(out.loc["Y", "rating_class"])
    assert rating_words(out).loc["Y", "rating_label"] == "non noté"
    assert out.loc["Y", "rationale"] == "Non noté : aucune information"
    with pytest.raises(InputError, match="component"):
        customer_rating()
    with pytest.raises(InputError, match="share_paid_late"):
        customer_rating(payment_behaviour=_pb(["X"], [3.0], [0.1]).drop(
            columns="share_paid_late"))
    with pytest.raises(InputError, match="class_bounds"):
        RatingPolicy(class_bounds=(0.5, 0.4, 0.6))
    en = customer_rating(payment_behaviour=_pb(["X"], [3.0], [0.1]), lang="en")
    assert en.loc["X", "rationale"].startswith("Class 1 — low risk (index 0.08): ")
    assert " : " not in en.loc["X", "rationale"]   # no French typography in English


def test_rank_portfolio_by_risk_stakes_and_quadrants():
    rating = pd.DataFrame({"risk_index": [0.9, 0.2, 0.6, 0.1, np.nan],
                           "rating_class": pd.array([4, 1, 3, 1, pd.NA], dtype="Int64")},
                          index=pd.Index(list("ABCDE"), name="customer_id"))
    exposure = pd.Series({"A": 1000.0, "B": 50000.0, "C": 20000.0, "D": 500.0})
    r = rank_portfolio(rating, exposure, stakes_threshold=10000)
    assert list(r.index) == ["C", "B", "A", "D", "E"]  # 12 000, 10 000, 900, 50, 0
    assert r.loc["C", "risk_x_stakes"] == pytest.approx(12000)
    assert r.loc["A", "rank_risk"] == 1 and r.loc["B", "rank_stakes"] == 1
    assert r.loc["E", "exposure"] == 0 and r.loc["E", "rank_risk"] == 5
    assert r.loc[list("CABD"), "quadrant"].tolist() == ["critical", "restrict", "strategic",
                                                        "routine"]
    # labels and actions of the grid shared with risk_stakes_matrix (risk_stakes_matrix.csv)
    r = portfolio_words(r)
    assert r.loc["C", "quadrant"] == "critique : risque élevé et enjeu fort"
    assert r.loc["A", "quadrant"] == "à encadrer : risque élevé et enjeu faible"
    assert r.loc["B", "quadrant"] == "stratégique : risque faible et enjeu fort"
    assert r.loc["D", "quadrant"] == "courant : risque faible et enjeu faible"
    assert r.loc["A", "action"].startswith("conditions strictes : paiement comptant")
    assert r["share_of_exposure"].sum() == pytest.approx(1.0)
    default = rank_portfolio(rating, exposure)
    assert default.attrs["stakes_threshold"] == pytest.approx(
        np.quantile([1000, 50000, 20000, 500], 0.8))
    with pytest.raises(InputError, match="exposure"):
        rank_portfolio(rating, pd.Series([1.0, 2.0], index=["A", "A"]))
    with pytest.raises(InputError, match="risk_index"):
        rank_portfolio(rating.drop(columns="risk_index"), exposure)


def test_rank_portfolio_and_risk_stakes_matrix_share_one_grid():
    """One label and one action per quadrant: rank_portfolio and finance.risk_stakes_matrix both
    read creditlab/data/risk_stakes_matrix.csv (reference data with a source column)."""
    from creditlab.finance import risk_stakes_matrix
    from creditlab.scores import QUADRANTS

    rating = pd.DataFrame({"risk_index": [0.9, 0.9, 0.1, 0.1],
                           "rating_class": pd.array([4, 4, 1, 1], dtype="Int64")},
                          index=pd.Index(list("ABCD"), name="customer_id"))
    exposure = pd.Series({"A": 5e4, "B": 10.0, "C": 5e4, "D": 10.0})
    codes = rank_portfolio(rating, exposure, stakes_threshold=1e4)
    assert codes.loc[list("ABCD"), "quadrant"].tolist() == ["critical", "restrict", "strategic",
                                                            "routine"]
    assert "action" not in codes
    for lang in ("fr", "en"):
        r = portfolio_words(codes, lang)
        m = risk_stakes_matrix(pd.DataFrame({"rating_class": [4, 4, 1, 1],
                                             "exposure": [5e4, 10.0, 5e4, 10.0]},
                                            index=list("ABCD")),
                               stakes="exposure", high_stakes=1e4)
        words = m.quadrants(lang).set_index("quadrant").loc[m.table["quadrant"]]
        assert r.loc[list("ABCD"), "quadrant"].tolist() == words["label"].tolist()
        assert r.loc[list("ABCD"), "action"].tolist() == words["action"].tolist()
    assert QUADRANTS[(True, True)]["fr"][0] == "critique : risque élevé et enjeu fort"
    assert set(QUADRANTS) == {(True, True), (True, False), (False, True), (False, False)}


def test_conan_holder_codes_before_and_after_the_english_codes_give_the_same_rating():
    """The band column now holds English codes (very_good, caution, warning, danger); a scores
    table saved with the former French codes (tres_bonne, prudence, alerte) rates the same."""
    idx = pd.Index(["A", "B", "C", "D"], name="customer_id")
    new = pd.DataFrame({"band": ["very_good", "caution", "warning", "danger"], "valid": True},
                       index=idx)
    old = new.assign(band=["tres_bonne", "prudence", "alerte", "danger"])
    a = customer_rating(scores=new, as_of="2025-12-31")
    b = customer_rating(scores=old, as_of="2025-12-31")
    assert a["risk_index"].tolist() == pytest.approx([0.1, 0.3, 0.7, 0.9])
    assert b["risk_index"].tolist() == pytest.approx([0.1, 0.3, 0.7, 0.9])
    assert a["rating_class"].tolist() == b["rating_class"].tolist() == [1, 2, 4, 4]
