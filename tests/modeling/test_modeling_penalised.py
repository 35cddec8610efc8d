"""The default scorecard (every variable, L2-penalised logistic regression) and the numpy tree
pre-binning: checked against scikit-learn and scipy, and the "auto" settings."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy.optimize import minimize
from scipy.stats import spearmanr
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier

from creditlab.exceptions import InputError
from creditlab.modeling import Scorecard, WoEBinner
from creditlab.modeling._logit import PenalisedLogitResult, penalised_logit_fit
from creditlab.modeling._prebinning import tree_cut_points


def _xy(n=2000, k=6, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, k))
    beta = np.linspace(-1.5, 1.0, k)
    y = (rng.random(n) < 1 / (1 + np.exp(-(X @ beta - 1.0)))).astype("float64")
    return np.column_stack([np.ones(n), X]), y


@pytest.mark.parametrize("C", [0.01, 0.3, 1.0, 100.0])
def test_penalised_fit_is_sklearns_logistic_regression(C):
    X, y = _xy()
    lr = LogisticRegression(C=C, tol=1e-12, max_iter=10_000).fit(X[:, 1:], y)
    beta, llf, cov = penalised_logit_fit(X, y, C)
    np.testing.assert_allclose(beta[1:], lr.coef_[0], atol=1e-6)
    assert beta[0] == pytest.approx(lr.intercept_[0], abs=1e-6)
    p = lr.predict_proba(X[:, 1:])[:, 1]
    assert llf == pytest.approx(float(np.sum(y * np.log(p) + (1 - y) * np.log(1 - p))),
                                rel=1e-8)
    # the Laplace covariance: inverse of X'VX + I/C on the slopes
    eta = X @ beta
    w = 1 / (1 + np.exp(-eta))
    H = (X * (w * (1 - w))[:, None]).T @ X + np.diag([0.0] + [1 / C] * (X.shape[1] - 1))
    np.testing.assert_allclose(cov, np.linalg.inv(H), rtol=1e-6)


def test_sign_constrained_fit_is_the_bound_constrained_optimum():
    """Slopes <= 0: the projected Newton solution equals scipy's L-BFGS-B with bounds; the
    slopes whose free optimum is positive sit at 0 (two of the six here)."""
    X, y = _xy(seed=3)
    C = 1.0
    beta, _, cov = penalised_logit_fit(X, y, C, nonpositive=True)

    def fun(b):
        eta = X @ b
        p = 1 / (1 + np.exp(-eta))
        pen = np.r_[0.0, b[1:]] / C
        return (-(y * eta - np.logaddexp(0, eta)).sum() + 0.5 * (b[1:] ** 2).sum() / C,
                -(X.T @ (y - p)) + pen)

    ref = minimize(fun, np.zeros(X.shape[1]), jac=True, method="L-BFGS-B",
                   bounds=[(None, None)] + [(None, 0.0)] * (X.shape[1] - 1),
                   options={"ftol": 1e-15, "gtol": 1e-10, "maxiter": 10_000}).x
    np.testing.assert_allclose(beta, ref, atol=1e-5)
    assert (beta[1:] <= 0).all() and (beta[1:] == 0).sum() == 2
    held = np.flatnonzero(beta == 0)
    assert (cov[held] == 0).all() and (cov[:, held] == 0).all()


def test_penalised_result_fields():
    X, y = _xy(seed=4)
    res = PenalisedLogitResult(X, y, ["const", *"abcdef"], C=0.5)
    assert list(res.params.index) == ["const", *"abcdef"]
    ci = res.conf_int(0.05)
    np.testing.assert_allclose(ci[1] - ci[0], 2 * 1.959963984540054 * res.bse, rtol=1e-9)
    np.testing.assert_allclose(res.tvalues, res.params / res.bse)
    ybar = y.mean()
    assert res.llnull == pytest.approx(len(y) * (ybar * np.log(ybar)
                                                 + (1 - ybar) * np.log(1 - ybar)))


def test_tree_cut_points_are_sklearns_tree_thresholds():
    """Continuous values (no ties): the best-first Gini tree of sklearn, leaf for leaf
    (sklearn stores thresholds in float32 precision, hence the tolerance)."""
    rng = np.random.default_rng(7)
    for trial in range(40):
        n = int(rng.integers(200, 3000))
        x = rng.normal(size=n) * 5
        y = (rng.random(n) < 1 / (1 + np.exp(-0.4 * x + rng.normal()))).astype("float64")
        w = np.ones(n) if trial % 2 else rng.integers(1, 4, n).astype("float64")
        leaves, share = int(rng.integers(2, 25)), float(rng.choice([0.02, 0.05, 0.1]))
        tree = DecisionTreeClassifier(max_leaf_nodes=leaves, min_weight_fraction_leaf=share,
                                      random_state=0).fit(x.reshape(-1, 1), y,
                                                          sample_weight=w)
        ref = np.sort(tree.tree_.threshold[tree.tree_.feature >= 0])
        mine = tree_cut_points(x, y, w, leaves, share * w.sum())
        assert mine.shape == ref.shape
        np.testing.assert_allclose(mine, ref, rtol=1e-6, atol=1e-6)


def test_tree_cut_points_small_cases():
    # distinct values 1 (3 rows, 0 events), 2 (1, 1), 3 (2, 1); n·Gini = 2·b·(n − b)/n:
    # root 8/3; after 1: 0 + 4/3 (gain 4/3); after 2: 3/2 + 1 (gain 1/6)
    x = np.array([1.0, 1.0, 1.0, 2.0, 3.0, 3.0])
    y = np.array([0.0, 0.0, 0.0, 1.0, 0.0, 1.0])
    one = np.ones(6)
    assert tree_cut_points(x, y, one, 2, 1.0).tolist() == [1.5]
    # then the right leaf {2, 3}: 4/3 -> 0 + 1 (gain 1/3 > 0)
    assert tree_cut_points(x, y, one, 3, 1.0).tolist() == [1.5, 2.5]
    # leaves of weight >= 3.5: no admissible split
    assert tree_cut_points(x, y, one, 3, 3.5).size == 0
    # a row of weight 0 does not move a threshold (duplication semantics)
    x0, y0 = np.r_[x, 1.8], np.r_[y, 1.0]
    assert tree_cut_points(x0, y0, np.r_[one, 0.0], 2, 1.0).tolist() == [1.5]
    assert tree_cut_points(np.ones(5), np.r_[0.0, 1, 0, 1, 0], np.ones(5), 5, 1.0).size == 0


def _frame(n=3000, seed=0):
    rng = np.random.default_rng(seed)
    a = rng.normal(size=n)
    b = a + rng.normal(scale=0.3, size=n)          # strongly correlated with a
    c = rng.normal(size=n)
    eta = -2.5 + 1.2 * a + 0.4 * b - 0.8 * c
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype("int64")
    return pd.DataFrame({"a": a, "b": b, "c": c, "noise": rng.normal(size=n)}), y


def test_default_is_every_variable_in_a_penalised_fit():
    X, y = _frame()
    sc = Scorecard().fit(X, y)
    assert (sc.C_, sc.enforce_sign_, sc.max_correlation_) == (1.0, False, None)
    assert sc.binning_.prebinning == "tree" and sc.binning_.max_bins == 20
    assert sc.binning_.min_bin_share == 0.02
    # a and b are correlated (r ~ 0.96): both kept (no correlation filter), noise below min_iv
    assert set(sc.features_) >= {"a", "b", "c"}
    assert (sc.selection_.loc[sc.features_, "detail"] == "kept (no selection)").all()
    # the coefficients are sklearn's LogisticRegression(C=1) on the same WoE columns
    W = sc.binning_.set_output(transform="pandas").transform(X)[sc.features_]
    lr = LogisticRegression(C=1.0, tol=1e-12, max_iter=10_000).fit(W, y)
    np.testing.assert_allclose(sc.coef_[0], lr.coef_[0], atol=1e-6)
    # integer points still rank as the PD
    pd_ = sc.predict_proba(X)[:, 1]
    assert spearmanr(pd_, -sc.points(X)).statistic > 0.98
    # stepwise keeps its former defaults: correlation filter 0.8, sign check, no penalty
    st = Scorecard(selection="stepwise").fit(X, y)
    assert (st.C_, st.enforce_sign_, st.max_correlation_) == (None, True, 0.8)
    assert "correlated" in set(st.selection_["status"]) and len(st.features_) < 4


def test_sign_constraint_and_unpenalised_options():
    X, y = _frame(seed=1)
    X["b"] = -X["b"] + 0.05 * X["a"]     # still informative, collinear with a
    sc = Scorecard(enforce_sign=True).fit(X, y)
    assert (sc.coef_ < 0).all()
    dropped = sc.selection_[sc.selection_["status"] == "wrong_sign"]
    assert all("held at 0" in d for d in dropped["detail"])
    ml = Scorecard(C=None).fit(X, y)     # every variable, maximum likelihood
    W = ml.binning_.set_output(transform="pandas").transform(X)[ml.features_]
    res = sm.Logit(y, sm.add_constant(W)).fit(disp=0)
    np.testing.assert_allclose(ml.coefficients_["coef"], res.params, atol=1e-6)
    forced = Scorecard(force=["noise"]).fit(X, y)
    assert forced.selection_.loc["noise", "status"] == "forced"
    assert forced.features_[0] == "noise"
    with pytest.raises(InputError, match="enforce_sign"):
        Scorecard(enforce_sign="yes").fit(X, y)
    with pytest.raises(InputError, match="C"):
        Scorecard(C=0).fit(X, y)


def test_lda_ignores_the_penalty():
    X, y = _frame(seed=2)
    lda = Scorecard(method="lda").fit(X, y)
    assert lda.C_ is None and lda.coefficients_["std_err"].isna().all()


def test_default_binning_does_not_change_woe_binner_defaults():
    b = WoEBinner()
    assert (b.prebinning, b.max_bins, b.min_bin_share) == ("quantile", 6, 0.05)
