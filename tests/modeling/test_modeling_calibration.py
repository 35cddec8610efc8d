"""PD calibration (prior shift, Platt, isotonic), master scale, development samples.

Prior shift: Saerens, Latinne & Decaestecker (2002), Neural Computation 14(1), eq. 2.4;
Elkan (2001), IJCAI, Theorem 2: odds_t = odds_s · [π_t/(1−π_t)] / [π_s/(1−π_s)].
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from creditlab.exceptions import InputError
from creditlab.modeling import MasterScale, PDCalibrator, prior_shift
from creditlab.modeling.samples import failure_sample, failure_target, period_split


def test_prior_shift_worked_example():
    """Sample 20 % failures, portfolio 2 %: odds 0.25 · (0.02/0.98)/(0.2/0.8) → PD 2 %;
    a sample PD of 50 % → odds (0.02/0.98)/(0.25) = 0.08163 → PD 7.547 %."""
    out = prior_shift([0.2, 0.5, 0.0, 1.0, np.nan], 0.02, 0.2)
    assert out[0] == pytest.approx(0.02)
    odds = (0.02 / 0.98) / 0.25
    assert out[1] == pytest.approx(odds / (1 + odds)) and out[1] == pytest.approx(0.07547, 1e-4)
    assert out[2] == 0.0 and out[3] == 1.0 and np.isnan(out[4])
    # match="mean": the mean recalibrated PD equals the target
    rng = np.random.default_rng(0)
    p = rng.beta(1, 6, 500)
    assert prior_shift(p, 0.03, match="mean").mean() == pytest.approx(0.03, abs=1e-9)
    with pytest.raises(InputError, match="sample_rate"):
        prior_shift(p, 0.03)
    with pytest.raises(InputError, match="target_rate"):
        prior_shift(p, 1.5, 0.1)


def _pd_sample(n=4000, seed=1):
    rng = np.random.default_rng(seed)
    z = rng.normal(-2.0, 1.2, n)
    true = 1 / (1 + np.exp(-z))
    y = (rng.random(n) < true).astype(int)
    biased = 1 / (1 + np.exp(-(0.5 * z - 0.5)))  # miscalibrated: too flat
    return biased, y, true


def test_platt_recovers_calibration():
    biased, y, true = _pd_sample()
    cal = PDCalibrator("platt", pd_floor=1e-6).fit(biased, y)
    # logit(biased) = 0.5 z − 0.5 → z = 2·logit + 1: Platt finds a ≈ 1, b ≈ 2
    assert cal.b_ == pytest.approx(2.0, abs=0.25) and cal.a_ == pytest.approx(1.0, abs=0.35)
    q = cal.predict(biased)
    assert abs(q.mean() - y.mean()) < 0.005
    assert np.all(np.diff(q[np.argsort(biased)]) >= -1e-15)  # monotone


def test_isotonic_and_target_rate_and_floor():
    biased, y, true = _pd_sample()
    iso = PDCalibrator("isotonic").fit(biased, y)
    q = iso.predict(biased)
    assert np.all(np.diff(q[np.argsort(biased)]) >= 0)
    assert q.mean() == pytest.approx(max(y.mean(), 0), abs=0.01)
    shifted = PDCalibrator("platt", target_rate=0.02, match="mean").fit(biased, y)
    assert shifted.predict(biased).mean() == pytest.approx(0.02, abs=1e-9)
    bayes = PDCalibrator("none", target_rate=0.02).fit(biased, y)
    assert bayes.shift_ == pytest.approx(math.log(0.02 / 0.98) - math.log(y.mean() / (1 - y.mean())))
    assert PDCalibrator("none", pd_floor=0.0003).fit(biased, y).predict([0.0])[0] == 0.0003
    back = PDCalibrator.from_dict(shifted.to_dict())
    assert np.array_equal(back.predict(biased), shifted.predict(biased))
    with pytest.raises(InputError, match="pd_dev"):
        PDCalibrator().fit(biased * 3, y)
    with pytest.raises(InputError, match="method"):
        PDCalibrator("beta").fit(biased, y)


def test_master_scale_geometric_bounds_central_pd_classes():
    ms = MasterScale.geometric(5, 0.001, 0.1, digits=None)
    b = np.asarray(ms.bounds)
    assert b[-1] == 1.0 and b[0] == pytest.approx(0.001) and b[-2] == pytest.approx(0.1)
    ratios = b[1:-1] / b[:-2]
    assert np.allclose(ratios, ratios[0])  # geometric progression
    assert ms.central_pd[0] == pytest.approx(math.sqrt(b[0] * b[1]))
    assert ms.labels == ("A", "B", "C", "D", "E")
    # grade i holds [bounds[i], bounds[i+1]): a PD on a bound goes to the upper grade
    assert ms.grade([b[1], b[1] - 1e-12, 0.0, 1.0]).tolist() == ["B", "A", "A", "E"]
    out = ms.apply(pd.Series([0.0005, 0.02, np.nan]))
    assert out["grade"].isna().tolist() == [False, False, True]
    assert out["rating_class"].isna().tolist() == [False, False, True]
    # classes: central PD < 1 % → 1, < 3 % → 2, < 10 % → 3, else 4 (ours, documented)
    expected = [1 + int(np.searchsorted([0.01, 0.03, 0.10], c, side="right"))
                for c in ms.central_pd]
    assert [ms.risk_classes[g] for g in ms.labels] == expected
    s = ms.summary()  # codes
    assert list(s.columns) == ["pd_min", "pd_max", "central_pd", "rating_class"]
    words = ms.in_words()
    assert list(words.columns) == [*s.columns, "class_label"]
    labels = {1: "risque faible", 2: "risque moyen", 3: "risque élevé", 4: "risque très élevé"}
    assert words["class_label"].tolist() == [labels[c] for c in s["rating_class"]]
    assert ms.in_words("en")["class_label"].str.endswith("risk").all()
    assert "libellé" in ms.to_frame().columns and "class label" in ms.to_frame("en").columns
    assert "risque" in ms._repr_html_()
    with pytest.raises(TypeError):
        ms.summary("fr")
    assert MasterScale.from_dict(ms.to_dict()) == ms


def test_master_scale_from_pds_and_errors():
    rng = np.random.default_rng(3)
    p = rng.beta(1, 30, 2000)
    q = MasterScale.from_pds(p, 4, method="quantile", digits=3)
    shares = q.apply(p)["grade"].value_counts(normalize=True)
    assert len(q.labels) == 4 and shares.max() < 0.3 and shares.min() > 0.2
    g = MasterScale.from_pds(p, 6)
    assert g.bounds[0] >= 0.0003 and g.n_grades == 6
    with pytest.raises(InputError, match="bounds"):
        MasterScale(bounds=(0.01, 0.005, 1.0))
    with pytest.raises(InputError, match="bounds"):
        MasterScale(bounds=(0.01, 0.1, 0.9))
    with pytest.raises(InputError, match="risk_classes"):
        MasterScale(bounds=(0.01, 0.1, 1.0), risk_classes={"A": 3, "B": 1})
    custom = MasterScale(bounds=(0.01, 0.1, 1.0), labels=("1", "2"),
                         risk_classes={"1": 2, "2": 4})
    assert custom.apply([0.05])["rating_class"].iloc[0] == 2


def _fs_events():
    fs = pd.DataFrame({"customer_id": ["A", "A", "B", "B", "C", "D"],
                       "fiscal_year_end": pd.to_datetime(["2022-12-31", "2023-12-31",
                                                          "2022-12-31", "2024-12-31",
                                                          "2023-06-30", "2023-12-31"])})
    ev = pd.DataFrame({"customer_id": ["A", "A", "C"],
                       "event_type": ["liquidation", "redressement", "sauvegarde"],
                       "event_date": pd.to_datetime(["2024-05-01", "2024-03-01", "2023-03-01"])})
    return fs, ev


def test_failure_target_windows():
    """A fails 2024-03-01 (first proceeding): FY2022 (window to 2023-12-31) → 0, FY2023 → 1;
    B never fails: FY2024 window ends 2025-12-31 > as_of → censored; C failed before its year
    end → already_failed; D healthy."""
    fs, ev = _fs_events()
    t = failure_target(fs, ev, as_of="2025-06-30", horizon_months=12)
    assert t["status"].tolist() == ["healthy", "failed", "healthy", "censored",
                                    "already_failed", "healthy"]
    assert t["target"].tolist()[:3] == [0, 1, 0] and t["target"].isna().sum() == 2
    assert t["failure_date"].iloc[0] == pd.Timestamp("2024-03-01")
    t24 = failure_target(fs, ev, as_of="2025-06-30", horizon_months=24)
    assert t24["status"].iloc[0] == "failed"
    only_liq = failure_target(fs, ev, as_of="2025-06-30", event_types=["liquidation"])
    assert only_liq["status"].iloc[1] == "failed" and only_liq["status"].iloc[4] == "healthy"
    with pytest.raises(InputError, match="event_types"):
        failure_target(fs, ev, as_of="2025-06-30", event_types=["faillite"])
    with pytest.raises(InputError, match="statements"):
        failure_target(fs.drop(columns="fiscal_year_end"), ev, as_of="2025-06-30")
    with pytest.raises(InputError, match="horizon_months"):
        failure_target(fs, ev, as_of="2025-06-30", horizon_months=0)
    tr, te = period_split(fs["fiscal_year_end"].dt.year, 2024)
    assert te.tolist() == [False, False, False, True, False, False] and (tr == ~te).all()


def test_failure_sample_on_demo(demo):
    fs, ev = demo["financial_statements"], demo["events"]
    X, y, info = failure_sample(fs, ev, "2025-12-31", 18)
    assert len(X) == len(y) == len(info) and X.index.equals(y.index)
    assert set(y.unique()) == {0, 1} and y.sum() == (info["status"] == "failed").sum()
    assert "equity_ratio" in X.columns and X.dtypes.eq("float64").all()
    assert not np.isinf(X.to_numpy()).any()
    # failed rows: the first proceeding is within 18 months after the year end
    f = info[info["status"] == "failed"]
    gap = (f["failure_date"] - f["fiscal_year_end"]).dt.days
    assert (gap > 0).all() and (gap <= 549).all()
