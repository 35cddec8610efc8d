"""Méthode des points de risque: default grid, points, classes, rationale, batch failures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creditlab.exceptions import InputError
from creditlab.scores import SCORE_SOURCES, RiskGrid, risk_input_words, risk_inputs, risk_points


@pytest.fixture(scope="module")
def grid():
    return RiskGrid.load()


def _inputs(**cols):
    base = {"company_age_years": 10.0, "risk_index": 0.1, "equity_ratio": 0.4,
            "payment_incidents": False, "avg_days_late": 0.0, "dependence_share": 0.05,
            "sector": "industrie"}
    rows = []
    n = max((len(v) for v in cols.values() if isinstance(v, list)), default=1)
    for i in range(n):
        row = dict(base)
        for k, v in cols.items():
            row[k] = v[i] if isinstance(v, list) else v
        rows.append(row)
    return pd.DataFrame(rows, index=pd.Index([f"C{i}" for i in range(n)], name="customer_id"))


def test_default_grid_is_the_documented_default(grid):
    """DOMAIN.md §11.1 grid (ours, to tune): 7 criteria, classes at 5 / 12 / 20 points."""
    assert grid.name == "grille par défaut à ajuster"
    names = [c.name for c in grid.criteria]
    assert names[:6] == ["company_age", "score_band", "equity_ratio", "payment_incidents",
                         "payment_experience", "dependence"]
    weights = {c.name: c.weight for c in grid.criteria}
    assert weights == {"company_age": 2, "score_band": 3, "equity_ratio": 2,
                       "payment_incidents": 3, "payment_experience": 2, "dependence": 1,
                       "sector": 1}
    assert [k.max_points for k in grid.classes] == [5, 12, 20, None]
    assert grid.max_points == 6 + 12 + 6 + 12 + 6 + 2 + 2
    assert "DOMAIN.md §11.1" in grid.source
    assert len(grid.summary()) >= 20
    codes, fr, en = grid.summary(), grid.to_frame(), grid.to_frame("en")
    assert len(codes) == len(fr) == len(en)
    first = grid.criteria[0]
    assert codes.loc[0, "criterion"] == first.name and codes.loc[0, "band"] == 0
    assert fr.loc[0, "criterion"] == first.label_fr and en.loc[0, "criterion"] == first.label_en
    assert fr.loc[0, "band"] == first.bands[0].label_fr
    assert set(codes["condition"]) >= {"other"} or "missing" in set(codes["condition"])
    assert "reste" not in set(codes["condition"]) and "manquant" not in set(codes["condition"])


def test_points_by_hand(grid):
    """Company 1 year old (3×2), risk index 0.5 (2×3), equity 5 % (3×2), incidents (4×3),
    20 days late (3×2), dependence 5 % (0), construction (2×1) = 38 → class 4; the best
    customer scores 0 → class 1 (DOMAIN.md §11.1 bands and weights)."""
    inp = _inputs(company_age_years=[1.0, 10.0], risk_index=[0.5, 0.1],
                  equity_ratio=[0.05, 0.4], payment_incidents=[True, False],
                  avg_days_late=[20.0, 2.0], sector=["construction", "industrie"])
    res = risk_points(inp, grid)
    assert res.points.loc["C0"].to_dict() == {"company_age": 6, "score_band": 6,
                                              "equity_ratio": 6, "payment_incidents": 12,
                                              "payment_experience": 6, "dependence": 0,
                                              "sector": 2}
    assert res.table.loc["C0", "total"] == 38 and res.table.loc["C0", "risk_class"] == 4
    assert list(res.table.columns) == ["total", "max_points", "risk_class"]  # codes only
    assert res.in_words().loc["C0", "action"] == "paiement comptant ou d'avance"
    assert res.in_words("en").loc["C0", "class_label"] == grid.classes[3].label_en
    assert res.table.loc["C1", "total"] == 0 and res.table.loc["C1", "risk_class"] == 1
    assert res.failures.empty


def test_rationale_names_the_drivers_in_order(grid):
    inp = _inputs(payment_incidents=[True], equity_ratio=[0.05], avg_days_late=[10.0])
    res = risk_points(inp, grid)
    assert "rationale" not in res.table.columns  # words at the edge
    txt = res.in_words().loc["C0", "rationale"]
    assert txt.startswith("Classe 3 — risque élevé (20 pts / 46) : ")
    first, second, third = txt.split(" : ", 1)[1].split(" ; ")
    assert first.startswith("incidents de paiement, privilèges, procédure — incidents de paiement (12")
    assert second.startswith("capitaux propres / total du bilan — fonds propres < 10 % (6")
    assert third.startswith("expérience de paiement (retard moyen) — retard moyen 5-15 j (2")
    ok = risk_points(_inputs(), grid).in_words().iloc[0]["rationale"]
    assert ok.endswith("aucun critère défavorable")
    assert res.to_frame().loc["C0", "justification"] == txt  # names in words too
    assert res.to_frame("en").index.name == "customer id"
    en = res.in_words("en").loc["C0", "rationale"]
    assert en.startswith("Class 3 — high risk (20 pts / 46) : payment incidents")


@pytest.mark.parametrize("total,cls", [(0, 1), (5, 1), (6, 2), (12, 2), (13, 3), (20, 3),
                                       (21, 4), (60, 4)])
def test_class_bounds(total, cls):
    """Classes 0-5 → 1, 6-12 → 2, 13-20 → 3, > 20 → 4 (DOMAIN.md §11.1)."""
    g = RiskGrid.from_dict({
        "criteria": [{"name": "x", "input": "x", "weight": 1,
                      "bands": [{"upto": 100, "points": total}, {"points": 0}]}],
        "classes": [{"risk_class": 1, "max_points": 5}, {"risk_class": 2, "max_points": 12},
                    {"risk_class": 3, "max_points": 20}, {"risk_class": 4}]})
    res = risk_points(pd.DataFrame({"x": [1.0]}, index=["A"]), g)
    assert res.table.loc["A", "risk_class"] == cls


def test_band_edges(grid):
    """``below`` is exclusive, ``upto`` inclusive: 2 years → 2-5 band; 15 days late → 5-15 band."""
    res = risk_points(_inputs(company_age_years=[2.0, 1.999], avg_days_late=[15.0, 15.01]), grid)
    assert res.points["company_age"].tolist() == [2, 6]
    assert res.points["payment_experience"].tolist() == [2, 6]


def test_batch_failures_recorded_and_others_scored(grid):
    inp = _inputs(company_age_years=[np.nan, 3.0, 3.0, 3.0], equity_ratio=[0.3, "abc", 0.3, 0.3],
                  sector=["industrie", "industrie", "agriculture", None],
                  avg_days_late=[1.0, 1.0, 1.0, np.nan])
    res = risk_points(inp, grid)
    assert list(res.failures.index) == ["C0", "C1", "C2"]
    assert res.failures.loc["C0", "reason"] == "company_age.missing"  # codes
    assert res.failures.loc["C2", "reason"] == "sector.invalid"
    words = res.failures_in_words()
    assert "ancienneté de l'entreprise : donnée manquante (company_age_years)" in \
        words.loc["C0", "reason"]
    assert "valeur non reconnue (equity_ratio)" in words.loc["C1", "reason"]
    assert "secteur d'activité : valeur non reconnue" in words.loc["C2", "reason"]
    assert "missing input (company_age_years)" in res.failures_in_words("en").loc["C0", "reason"]
    # C3: sector and payment experience missing → missing_points (1 × 1, 1 × 2), still scored
    assert list(res.table.index) == ["C3"]
    assert res.points.loc["C3", "sector"] == 1 and res.points.loc["C3", "payment_experience"] == 2
    assert res.bands.loc["C3", "sector"] == "missing"
    assert res.bands.loc["C3", "company_age"] == "1"  # 3 years: the grid's second band
    assert res.bands_in_words().loc["C3", "sector"] == "non renseigné"
    assert res.bands_in_words("en").loc["C3", "sector"] == "not known"
    worst = risk_points(inp.iloc[[0]], grid, missing="worst")
    assert worst.failures.empty and worst.points.loc["C0", "company_age"] == 6
    assert worst.bands.loc["C0", "company_age"] == "missing_worst"
    assert worst.bands_in_words().loc["C0", "company_age"] == "non renseigné (prudence : maximum)"


def test_grid_round_trip_and_custom_file(grid, tmp_path):
    again = RiskGrid.from_dict(grid.to_dict())
    assert again.criteria == grid.criteria and again.classes == grid.classes
    p = tmp_path / "g.toml"
    p.write_text('name = "mine"\n[[criteria]]\nname = "age"\ninput = "age"\nweight = 1\n'
                 'bands = [{ below = 1, points = 5 }, { points = 0 }]\n'
                 '[[classes]]\nrisk_class = 1\nmax_points = 2\n[[classes]]\nrisk_class = 2\n',
                 encoding="utf-8")
    mine = RiskGrid.load(p)
    assert mine.name == "mine" and mine.max_points == 5
    res = risk_points(pd.DataFrame({"age": [0.5, 3]}, index=["a", "b"]), mine)
    assert res.table["risk_class"].tolist() == [2, 1]
    p.write_text("[[criteria]\n", encoding="utf-8")
    with pytest.raises(InputError, match="TOML"):
        RiskGrid.load(p)
    with pytest.raises(InputError, match="path"):
        RiskGrid.load(tmp_path / "nope.toml")
    with pytest.raises(InputError, match="classes"):
        RiskGrid.from_dict({"criteria": grid.to_dict()["criteria"],
                            "classes": [{"risk_class": 1, "max_points": 5},
                                        {"risk_class": 2, "max_points": 3}, {"risk_class": 3}]})


def test_duplicate_customers_rejected(grid):
    inp = _inputs(company_age_years=[1.0, 2.0])
    inp.index = ["A", "A"]
    with pytest.raises(InputError, match="one row per customer"):
        risk_points(inp, grid)


def test_risk_inputs_from_canonical_tables():
    from creditlab.statements._testing import worked_example

    customers = pd.DataFrame({"customer_id": ["A", "B", "C"],
                              "founded_date": pd.to_datetime(["2024-06-30", "2010-01-01", None]),
                              "sector": ["services", "industrie", "construction"]})
    fs = worked_example()
    fs2 = fs.copy()
    fs2["fiscal_year"] = 2025
    fs2["fiscal_year_end"] = pd.Timestamp("2025-12-31")  # after as_of: ignored
    fs2["equity"] = 100.0
    fs = pd.concat([fs, fs2], ignore_index=True)
    fs["customer_id"] = "B"
    pb = pd.DataFrame({"n_invoices_paid": [3, 5], "amount_paid": [1e3, 2e3],
                       "avg_days_to_pay": [50.0, 40.0], "avg_days_late": [12.0, -2.0],
                       "share_paid_late": [0.5, 0.0]},
                      index=pd.Index(["A", "B"], name="customer_id"))
    events = pd.DataFrame({"customer_id": ["C"], "event_type": ["redressement"],
                           "event_date": pd.to_datetime(["2025-03-01"])})
    ratings = pd.DataFrame({"customer_id": ["A"], "provider": ["coface_dra"], "grade": [4],
                            "date": ["2025-05-01"]})
    inp = risk_inputs(customers, as_of="2025-06-30", statements=fs, payment_behaviour=pb,
                      ratings=ratings, events=events)
    assert inp.loc["A", "company_age_years"] == pytest.approx(1.0, abs=0.01)
    assert np.isnan(inp.loc["C", "company_age_years"])
    assert inp.loc["B", "equity_ratio"] == pytest.approx(0.4)  # FY 2024, not 2025
    assert inp.loc["A", "risk_index"] == pytest.approx(0.6)   # Coface DRA 4
    # B: industrial but CA 1 500 € outside Conan-Holder's 1.5-75 M€ domain → Altman Z″ 3.173
    # (DOMAIN.md §4 worked example), safe zone
    assert inp.loc["B", "risk_index"] == pytest.approx(0.1)
    assert inp.loc["B", "risk_source"] == "altman_z_double_prime"
    assert inp.loc["A", "risk_source"] == "external_rating"
    assert inp["payment_incidents"].tolist() == [False, False, True]
    assert inp.loc["A", "avg_days_late"] == 12.0 and np.isnan(inp.loc["C", "avg_days_late"])
    res = risk_points(inp)
    assert set(res.failures.index) == {"A", "C"}  # A: no statements (equity); C: age, score
    with pytest.raises(InputError, match="as_of"):
        risk_inputs(customers, as_of=None)


def test_risk_inputs_falls_back_on_altman_when_conan_holder_undefined():
    """Negative VA makes R5 (hence Conan-Holder) undefined: the Z″ zone gives the risk."""
    from creditlab.statements._testing import worked_example

    fs = worked_example()
    fs["customer_id"] = "N"
    fs["external_charges"] = 1000.0  # VA = −100
    fs["income_tax"] = 35 - 550.0    # keeps net income at 50
    customers = pd.DataFrame({"customer_id": ["N"], "founded_date": pd.to_datetime(["2000-01-01"]),
                              "sector": ["industrie"]})
    inp = risk_inputs(customers, as_of="2025-06-30", statements=fs)
    assert inp.loc["N", "risk_source"] == "altman_z_double_prime"
    # EBIT −450 / TA 1 000: Z″ = 1.312 + 0.489 − 3.024 + 0.700 = −0.52 → distress zone
    assert inp.loc["N", "risk_index"] == pytest.approx(0.9)


def _scaled_example(customer_id, factor=10_000.0):
    """DOMAIN.md §1.4 / §4 worked example (CH Z = 14.963 'prudence', Altman Z″ = 3.173 'safe'),
    amounts × ``factor``: same ratios, CA HT 1 500 × factor."""
    from creditlab.statements._testing import worked_example

    fs = worked_example()
    num = [c for c in fs.columns if pd.api.types.is_float_dtype(fs[c])]
    fs[num] = fs[num] * factor
    fs["customer_id"] = customer_id
    return fs


def test_risk_inputs_uses_the_valid_score_first():
    """Conan-Holder only where valid (industrial, CA HT 1.5-75 M€, DOMAIN.md §1.3); otherwise
    Altman Z″ (non-manufacturers / private firms, DOMAIN.md §4); otherwise Conan-Holder, flagged.
    Worked example: CH band prudence → 0.3, Z″ 3.173 safe → 0.1."""
    no_re = _scaled_example("Z")
    no_re["retained_earnings"] = np.nan  # X2 missing: Z″ undefined, Conan-Holder still defined
    fs = pd.concat([_scaled_example("S"), _scaled_example("I"), _scaled_example("O", 1.0),
                    no_re], ignore_index=True)
    customers = pd.DataFrame({"customer_id": ["S", "I", "O", "Z"],
                              "founded_date": pd.to_datetime(["2000-01-01"] * 4),
                              "sector": ["services", "industrie", "industrie", "commerce_gros"]})
    inp = risk_inputs(customers, as_of="2025-06-30", statements=fs)
    # S: services, CA 15 M€ → Altman Z″ (Conan-Holder would have said 0.3)
    assert inp.loc["S", "risk_source"] == "altman_z_double_prime"
    assert inp.loc["S", "risk_index"] == pytest.approx(0.1)
    # I: industrial, CA 15 M€ → Conan-Holder in its domain
    assert inp.loc["I", "risk_source"] == "conan_holder"
    assert inp.loc["I", "risk_index"] == pytest.approx(0.3)
    # O: industrial, CA 1 500 € (below 1.5 M€) → Altman Z″
    assert inp.loc["O", "risk_source"] == "altman_z_double_prime"
    assert inp.loc["O", "risk_index"] == pytest.approx(0.1)
    # Z: Z″ undefined, Conan-Holder defined but outside its domain → used, flagged
    assert inp.loc["Z", "risk_source"] == "conan_holder_outside"
    assert inp.loc["Z", "risk_index"] == pytest.approx(0.3)


def test_out_of_range_inputs_fail_instead_of_landing_in_a_band(grid):
    """A negative company age (founded after the analysis date), a risk index or a dependence
    share outside [0, 1] or an infinite value is an invalid input: recorded in failures with the
    expected range, never scored as "moins de 2 ans" / "risque très élevé"."""
    inp = _inputs(company_age_years=[-1.0, 3.0, 3.0, np.inf, 0.0],
                  risk_index=[0.5, 1.5, 0.5, 0.5, 1.0])
    inp["dependence_share"] = [0.1, 0.1, 1.2, 0.1, 1.0]
    res = risk_points(inp, grid)
    assert list(res.failures.index) == ["C0", "C1", "C2", "C3"]
    words = res.failures_in_words()
    assert words.loc["C0", "reason"] == (
        "ancienneté de l'entreprise : valeur non reconnue (company_age_years, attendu ≥ 0)")
    assert "(risk_index, attendu dans [0 ; 1])" in words.loc["C1", "reason"]
    assert "(dependence_share, attendu dans [0 ; 1])" in words.loc["C2", "reason"]
    assert "(risk_index, expected in [0, 1])" in res.failures_in_words("en").loc["C1", "reason"]
    assert res.failures.loc["C3", "reason"] == "company_age.invalid"
    assert list(res.table.index) == ["C4"]  # the bounds are inclusive
    assert (grid.criteria[0].min_value, grid.criteria[0].max_value) == (0.0, None)
    assert RiskGrid.from_dict(grid.to_dict()).criteria == grid.criteria


def test_risk_inputs_refuses_duplicated_customers():
    # two rows for one customer would give two risk-point rows (and two ratings) for it
    customers = pd.DataFrame({"customer_id": ["A", "A", "B"],
                              "sector": ["services", "industrie", "construction"]})
    with pytest.raises(InputError, match="customers.customer_id.*'A'"):
        risk_inputs(customers, as_of="2025-12-31")


def test_risk_inputs_flags_altman_when_the_sector_is_unknown():
    # as customer_rating does: Z″ used for a firm without a sector is named as such
    from creditlab.statements._testing import worked_example

    fs = worked_example()
    fs["customer_id"] = "U"
    customers = pd.DataFrame({"customer_id": ["U"], "sector": [None]})
    inp = risk_inputs(customers, as_of="2025-06-30", statements=fs)
    assert inp.loc["U", "risk_source"] == "altman_unknown_sector"
    words = risk_input_words(inp)
    assert words.loc["U", "risk_source_label"] == "score Altman Z″ (secteur inconnu)"
    assert risk_input_words(inp, "en").loc["U", "risk_source_label"] == \
        "Altman Z″ score (unknown sector)"
    assert SCORE_SOURCES["external_rating"]["fr"] == "note externe"
    assert inp.loc["U", "risk_index"] == pytest.approx(0.1)   # Z″ 3.173, safe (DOMAIN.md §4)
