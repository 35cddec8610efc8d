"""Benchmark: creditlab scorecard against optbinning and a gradient-boosting challenger.

Data: Polish companies bankruptcy data (UCI 365, CC BY 4.0), years 1 (7 027 firms, 271
bankrupt) and 5 (5 910 firms, 410 bankrupt), 64 ratios with missing values.

Protocol: 10-fold stratified cross-validation, shuffled with a fixed seed; every model is fitted
on the same training folds and scored (AUC) on the same held-out folds; fit time is the wall time
of ``fit`` on the training fold (single process, untraced). Peak memory: one extra fit per model
on the first fold under ``tracemalloc`` (traced Python allocations, MiB).

Models:

- ``creditlab``: :class:`creditlab.modeling.Scorecard` with its defaults (monotonic WoE binning
  without a solver, IV and correlation filters, stepwise BIC, statsmodels logistic regression);
- ``optbinning``: ``optbinning.BinningProcess`` (defaults: optimal binning by constraint
  programming with OR-Tools) + ``sklearn.linear_model.LogisticRegression`` (lbfgs, C = 1) in a
  Pipeline — optbinning is installed for the benchmark only (``pip install optbinning``), it is
  not a creditlab dependency; when absent the rows say "not available";
- ``gradient_boosting``: the challenger of :func:`creditlab.modeling.challenger_models`
  (scikit-learn ``HistGradientBoostingClassifier``).

Usage::

    .venv/bin/python benchmarks/bench_scorecard.py [--folds 10] [--seed 0] [--years 1 5]
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc
import warnings

import pandas as pd
from sklearn.base import clone
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold

from creditlab.io.polish import load_polish
from creditlab.modeling import Scorecard, challenger_models


def optbinning_model(columns):
    """BinningProcess + LogisticRegression, or None when optbinning is not installed."""
    try:
        from optbinning import BinningProcess
    except ImportError:
        return None
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    return Pipeline([("binning", BinningProcess(variable_names=list(columns))),
                     ("logit", LogisticRegression(max_iter=1000))])


def models(columns, seed: int) -> dict:
    return {"creditlab": Scorecard(),
            "optbinning": optbinning_model(columns),
            "gradient_boosting": challenger_models(seed)["gradient_boosting"]}


def peak_mib(est, X, y) -> float:
    tracemalloc.start()
    tracemalloc.reset_peak()
    est.fit(X, y)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def run_year(year: int, n_folds: int, seed: int) -> pd.DataFrame:
    X, y = load_polish(year)
    yv = y.to_numpy()
    cv = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=seed)
    protos = models(X.columns, seed)
    rows = []
    for k, (tr, te) in enumerate(cv.split(X, yv)):
        for name, proto in protos.items():
            if proto is None:
                continue
            est = clone(proto)
            t0 = time.perf_counter()
            est.fit(X.iloc[tr], yv[tr])
            fit_s = time.perf_counter() - t0
            p = est.predict_proba(X.iloc[te])[:, 1]
            rows.append({"model": name, "fold": k, "auc": roc_auc_score(yv[te], p),
                         "fit_s": fit_s})
    folds = pd.DataFrame(rows)
    tr, _ = next(cv.split(X, yv))
    out = []
    for name, proto in protos.items():
        if proto is None:
            out.append({"year": year, "rows": len(y), "bankrupt": int(y.sum()), "model": name,
                        "auc_mean": "not available"})
            continue
        f = folds[folds["model"] == name]
        out.append({"year": year, "rows": len(y), "bankrupt": int(y.sum()), "model": name,
                    "auc_mean": round(f["auc"].mean(), 4), "auc_std": round(f["auc"].std(ddof=1), 4),
                    "auc_min": round(f["auc"].min(), 4),
                    "fit_s_mean": round(f["fit_s"].mean(), 3),
                    "fit_s_total": round(f["fit_s"].sum(), 2),
                    "peak_mib": round(peak_mib(clone(proto), X.iloc[tr], yv[tr]), 1)})
    return pd.DataFrame(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--folds", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--years", type=int, nargs="+", default=[1, 5])
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    try:
        import optbinning

        peer = f"optbinning {optbinning.__version__}"
    except ImportError:
        peer = "optbinning not available"
    print(f"Polish bankruptcy data, {args.folds}-fold stratified CV, seed {args.seed}; {peer}")
    table = pd.concat([run_year(y, args.folds, args.seed) for y in args.years],
                      ignore_index=True)
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(table.to_string(index=False))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"max resident set size of the process: {rss:.0f} MiB")


if __name__ == "__main__":
    main()
