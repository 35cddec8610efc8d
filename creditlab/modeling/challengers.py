"""Challenger models reported beside the scorecard, and their cross-validated comparison.

- ``scorecard``: :class:`~creditlab.modeling.scorecard.Scorecard` (WoE + logistic regression);
- ``scorecard_lda``: the same WoE variables with linear discriminant analysis;
- ``lda_ratios``: linear discriminant analysis on the raw ratios, the method of Conan & Holder
  (1979) and Altman (1968) — ratios clipped to their 1st-99th percentiles of the training sample
  (raw ratios have heavy tails), missing values replaced by the median with a missing-indicator
  column, then standardised;
- ``gradient_boosting``: scikit-learn's ``HistGradientBoostingClassifier`` (handles NaN natively),
  a flexible benchmark of what the data can give.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted, validate_data

from creditlab._drawing import drawn_by
from creditlab.exceptions import InputError
from creditlab.modeling._common import as_float_frame, check_number, check_target
from creditlab.modeling.scorecard import Scorecard
from creditlab.modeling.validation import roc_auc

__all__ = ["QuantileClipper", "challenger_models", "compare_models", "ComparisonResult"]


class QuantileClipper(TransformerMixin, BaseEstimator):
    """Clip every column to its ``[lower, upper]`` quantiles learned at fit (NaN kept)."""

    def __init__(self, lower: float = 0.01, upper: float = 0.99):
        self.lower = lower
        self.upper = upper

    def fit(self, X, y=None):
        check_number("lower", self.lower, 0, 0.5)
        check_number("upper", self.upper, 0.5, 1)
        validate_data(self, X, reset=True, skip_check_array=True)
        v = as_float_frame(X).to_numpy()
        with np.errstate(all="ignore"):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN column → NaN bounds
                self.low_ = np.nanquantile(v, self.lower, axis=0)
                self.high_ = np.nanquantile(v, self.upper, axis=0)
        return self

    def transform(self, X):
        check_is_fitted(self, "low_")
        v = as_float_frame(X).to_numpy()
        validate_data(self, X, reset=False, skip_check_array=True)
        return np.clip(v, self.low_, self.high_)

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self, "low_")
        names = getattr(self, "feature_names_in_", None)
        if names is None:
            names = [f"x{i}" for i in range(self.n_features_in_)]
        return np.asarray(names, dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags


def challenger_models(seed: int = 0, scorecard: Scorecard | None = None) -> dict:
    """The four models of the comparison (unfitted), keyed by name (see module docstring)."""
    sc = scorecard if scorecard is not None else Scorecard()
    return {
        "scorecard": clone(sc),
        "scorecard_lda": clone(sc).set_params(method="lda"),
        "lda_ratios": Pipeline([
            ("clip", QuantileClipper(0.01, 0.99)),
            ("impute", SimpleImputer(strategy="median", add_indicator=True)),
            ("scale", StandardScaler()),
            ("lda", LinearDiscriminantAnalysis(solver="lsqr", shrinkage="auto")),
        ]),
        "gradient_boosting": HistGradientBoostingClassifier(
            learning_rate=0.05, max_iter=300, max_leaf_nodes=15, min_samples_leaf=40,
            l2_regularization=1.0, early_stopping=False, random_state=seed),
    }


@dataclass(frozen=True)
class ComparisonResult:
    """Cross-validated AUC of several models on the same folds."""

    folds: pd.DataFrame = field(repr=False)  # one row per model and fold: auc
    n_splits: int = 0
    seed: int = 0

    def summary(self) -> pd.DataFrame:
        """Per model: ``auc_mean``, ``auc_std`` (across folds), ``gini_mean``, ``auc_min``,
        ``auc_max``; sorted by decreasing mean AUC."""
        g = self.folds.groupby("model", sort=False)["auc"]
        out = pd.DataFrame({"auc_mean": g.mean(), "auc_std": g.std(ddof=1),
                            "auc_min": g.min(), "auc_max": g.max()})
        out["gini_mean"] = 2 * out["auc_mean"] - 1
        return out.sort_values("auc_mean", ascending=False)

    def _repr_html_(self) -> str:
        return self.summary().to_html(float_format=lambda v: f"{v:.4f}")

    #: Box plot of the fold AUCs per model (:func:`creditlab.modeling.plots.plot_fold_auc`).
    plot_auc = drawn_by("creditlab.modeling.plots", "plot_fold_auc")


def compare_models(X, y, models: dict | None = None, *, n_splits: int = 5, seed: int = 0
                   ) -> ComparisonResult:
    """Stratified K-fold cross-validation (shuffled with ``seed``) of several models on the
    same folds; AUC on each held-out fold.

    Parameters
    ----------
    X : DataFrame
        Ratios (NaN allowed).
    y : array of 0/1
    models : dict name → estimator, optional
        Default :func:`challenger_models(seed)`.
    n_splits : int, default 5
    seed : int, default 0
    """
    check_number("n_splits", n_splits, 2, 100, integer=True)
    yv = check_target(y)
    df = as_float_frame(X)
    if len(df) != len(yv):
        raise InputError("y", f"{len(df)} values", len(yv), "align X and y")
    if int(yv.sum()) < n_splits:
        raise InputError("n_splits", f"at most the number of defaults ({int(yv.sum())})",
                         n_splits, "use fewer folds")
    models = models if models is not None else challenger_models(seed)
    cv = StratifiedKFold(n_splits=int(n_splits), shuffle=True, random_state=seed)
    rows = []
    for k, (tr, te) in enumerate(cv.split(df, yv)):
        for name, est in models.items():
            m = clone(est).fit(df.iloc[tr], yv[tr])
            p = m.predict_proba(df.iloc[te])[:, 1]
            rows.append({"model": name, "fold": k, "auc": roc_auc(yv[te], p)})
    folds = pd.DataFrame(rows)
    folds["model"] = folds["model"].astype("str")
    return ComparisonResult(folds=folds, n_splits=int(n_splits), seed=seed)
