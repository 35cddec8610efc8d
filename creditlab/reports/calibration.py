"""The calibration report's sample, fitted model, validation tables and exports.

What the ``calibration`` report notebook used to compute in its cells:

- :func:`load_sample` — the modelling sample: the demo financial statements with the failure
  target (:func:`creditlab.modeling.failure_sample`), the public Polish bankruptcy data, or a
  user's CSV/Parquet file with a target column coded 0/1 or as labels (``positive`` names the
  label of a default); text columns are kept as categorical variables; every column that is not
  used is set aside with its reason (:meth:`CalibrationSample.set_aside_table`): empty,
  constant, an identifier (a distinct text per row), too many categories, the date column;
  a ``date_column`` gives an out-of-time validation (the latest rows are the test sample);
- :func:`fit_calibration` — the stratified train/test split, the scorecard (binning, selection,
  logistic regression, points), the validation (discrimination, challengers, PD calibration,
  master scale, backtest, stability) as a :class:`CalibrationRun`, whose methods render the
  report's tables and write the JSON and SQL exports (checked against the Python points).

**What is validated is what is exported.** The backtest by grade, the Hosmer-Lemeshow test and
the portfolio-level Jeffreys test use the exported model's PDs and grades (same points, same
calibrator, same master scale). When the PDs are calibrated to a portfolio default rate
(``target_rate``), the sample's outcomes cannot confirm that level (the sample's default rate is
not the portfolio's): the tests then compare each PD with the outcomes after removing the known
log-odds shift of the calibrator (the sampling correction, :func:`creditlab.modeling.prior_shift`),
and the report says so; the level itself is to be backtested on the portfolio's defaults.
:meth:`CalibrationRun.verdict` lists the failed tests (a red grade, the Hosmer-Lemeshow or the
portfolio Jeffreys test below 0.1 %, a score shift PSI ≥ 0.25, a Brier score worse than
the constant default rate's); the report shows it at the top and
:meth:`CalibrationRun.require_valid` stops the report unless ``allow_red`` is true.
"""

from __future__ import annotations

import json
import sqlite3
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from creditlab import modeling as mdl
from creditlab._safety import escape_text
from creditlab.exceptions import InputError
from creditlab.i18n import check_lang, format_number, format_pct
from creditlab.labels import text
from creditlab.modeling import label_table, logit
from creditlab.modeling._logit import sigmoid
from creditlab.modeling.plots import plot_score_distribution
from creditlab.reports.calibration_sample import (
    DATASET_DEFAULTS,
    MAX_CATEGORIES,
    CalibrationSample,
    load_sample,
)
from creditlab.reports.calibration_toolkit import analyst_toolkit
from creditlab.reports.common import output_folder

__all__ = ["CalibrationSample", "load_sample", "CalibrationRun", "fit_calibration",
           "DATASET_DEFAULTS", "ModelValidationError", "MAX_CATEGORIES"]

#: p-value below which a test fails (the red level of the traffic light, BCBS WP 14).
RED_LEVEL = 0.001


class ModelValidationError(AssertionError):
    """The fitted model fails its own validation tests (raised by ``require_valid``)."""


def _require(condition, message: str) -> None:
    if not bool(condition):
        raise AssertionError(message)


@dataclass(frozen=True, eq=False)
class CalibrationRun:
    """The fitted and validated model of the calibration report (:func:`fit_calibration`)."""

    sample: CalibrationSample
    settings: dict
    X_train: pd.DataFrame
    X_test: pd.DataFrame
    y_train: pd.Series
    y_test: pd.Series
    scorecard: object
    points_train: pd.Series
    points_test: pd.Series
    disc_train: object
    disc_test: object
    disc_points: object
    challengers: pd.DataFrame
    calibrator: object
    pd_train: np.ndarray
    pd_test: np.ndarray
    calibration: object
    scale: object
    grades_test: pd.Series
    backtest: object
    stability: object
    csi: object
    period_stability: object
    lang: str
    shift: float = 0.0
    portfolio_test: dict = field(default_factory=dict)
    toolkit: object = None

    # --- tables -----------------------------------------------------------------------------
    def split_table(self) -> pd.DataFrame:
        lang = self.lang
        return pd.DataFrame({"n": [len(self.y_train), len(self.y_test)],
                             text("report_calib_defaults", lang): [int(self.y_train.sum()),
                                                                  int(self.y_test.sum())]},
                            index=[text("report_calib_training", lang), "test"])

    def discrimination_table(self) -> pd.DataFrame:
        lang = self.lang
        return pd.concat({text("report_calib_training", lang):
                          self.disc_train.summary()["value"],
                          "test": self.disc_test.summary()["value"],
                          text("report_calib_test_points", lang):
                          self.disc_points.summary()["value"]}, axis=1)

    def grade_distribution(self) -> pd.DataFrame:
        scale = self.scale
        return pd.concat({text("report_calib_training", self.lang):
                          scale.grade(self.pd_train).value_counts(),
                          "test": self.grades_test.value_counts()},
                         axis=1).reindex(list(scale.labels)).fillna(0).astype(int)

    def stability_lines(self) -> list[str]:
        """PSI of the points between training and test (and first → last year on the demo)."""
        def status(v):
            return mdl.labels.VALUE_LABELS_FR["status"].get(v, v) if self.lang == "fr" else str(v)

        lines = [f"PSI (points) = **{self.stability.psi:.4f}** ({status(self.stability.status)})"]
        p = self.period_stability
        if p is not None:
            years = self.sample.info["fiscal_year"]
            lines.append(f"PSI {years.min()} → {years.max()} = **{p.psi:.4f}** "
                         f"({status(p.status)})")
        return lines

    def binning_views(self, variable: str, plot: bool = True) -> list:
        """The variable's name, its binning table (with totals) in words and (``plot``) its
        binning figure, closed so that ``display`` shows it once."""
        from IPython.display import Markdown  # optional: reports

        table = self.scorecard.binning_.binning_table(variable, totals=True)
        views = [Markdown(f"**{escape_text(variable)}**"),
                 label_table(table.drop(columns=["lower", "upper"]).round(4), self.lang)]
        if plot:
            ax = self.scorecard.binning_.plot_binning(variable, lang=self.lang)
            plt.close(ax.figure)
            views.append(ax.figure)
        return views

    def scaling_table(self) -> pd.DataFrame:
        """The scaling's parameters (factor, offset, PDO, ...) as a ``value`` column."""
        return pd.DataFrame({"value": pd.Series(self.scorecard.scaling_.to_dict())}).round(4)

    def points_grid(self) -> pd.DataFrame:
        """The scorecard: variable, bin, count, event rate, WoE and points of each bin."""
        return self.scorecard.scorecard_table()[["variable", "bin", "count", "event_rate",
                                                 "woe", "points"]].round(4)

    def scale_view(self):
        """The master scale in words, PD columns as percentages with three decimals."""
        table = label_table(self.scale.in_words(self.lang), self.lang)
        return table.style.format(dict.fromkeys(table.columns[:3], "{:.3%}"))

    def stability_views(self) -> list:
        """PSI of the points, the characteristic stability table and, on the demo, the PSI
        between the first and the last year."""
        from IPython.display import Markdown  # optional: reports

        lines = self.stability_lines()
        return [Markdown(lines[0]), label_table(self.csi.summary().round(4), self.lang)] + [
            Markdown(line) for line in lines[1:]]

    def key_figures(self) -> pd.Series:
        lang = self.lang
        return pd.Series({
            "AUC test": self.disc_test.auc, "Gini test": self.disc_test.gini,
            "KS test": self.disc_test.ks, "Brier test": self.calibration.brier,
            "HL p-value": self.calibration.hl_pvalue, "PSI": self.stability.psi,
            text("report_calib_variables", lang): len(self.scorecard.features_),
            text("report_calib_red_grades", lang): self.backtest.n_red,
        })

    # --- figures ----------------------------------------------------------------------------
    def plot_discrimination(self):
        fig, axes = plt.subplots(1, 3, figsize=(14, 4.2))
        self.disc_test.plot_roc(ax=axes[0], lang=self.lang)
        self.disc_test.plot_cap(ax=axes[1], lang=self.lang)
        plot_score_distribution(self.points_test, self.y_test, ax=axes[2], lang=self.lang)
        fig.tight_layout()
        return fig

    def plot_stability(self):
        fig, axes = plt.subplots(1, 2, figsize=(13, 4))
        self.stability.plot_distribution(ax=axes[0], lang=self.lang)
        self.csi.plot_csi(ax=axes[1], lang=self.lang)
        fig.tight_layout()
        return fig

    # --- exports ----------------------------------------------------------------------------
    def model(self):
        """The frozen model (bins, points, scaling, calibration, master scale, metadata)."""
        s, d = self.sample, self.disc_test
        meta = {"dataset": s.source,
                "target": s.target or ("failure" if s.dataset == "demo" else "bankrupt"),
                "n_train": len(self.y_train), "n_test": len(self.y_test), "auc_test": d.auc,
                "gini_test": d.gini, "ks_test": d.ks, "seed": self.settings["seed"]}
        if s.info is not None:
            meta["training_period"] = (f"{s.info['fiscal_year'].min()}-"
                                       f"{s.info['fiscal_year'].max()}")
            meta["horizon_months"] = self.settings["horizon_months"]
        return self.scorecard.to_model(calibrator=self.calibrator, master_scale=self.scale,
                                       metadata=meta)

    def write(self, out=None) -> tuple[object, Path, Path]:
        """Write ``scorecard.json`` and ``scorecard.sql`` to ``out`` (None: a new temporary
        folder); the JSON is reloaded and its points, PDs and grades, and the SQL evaluated in
        SQLite, must equal the Python computation on the test sample. Returns the model and
        both paths."""
        out = Path(output_folder(out, "calibration_"))
        model = self.model()
        json_path, sql_path = out / "scorecard.json", out / "scorecard.sql"
        model.to_json(json_path)
        sql_path.write_text(model.to_sql("applicants") + ";\n", encoding="utf-8")
        applied = mdl.load_scorecard(json_path).apply(self.X_test)
        pts = self.points_test.to_numpy()
        _require((applied["points"].to_numpy() == pts).all(), "JSON points differ")
        _require(np.allclose(applied["pd"].to_numpy(), self.pd_test, rtol=1e-12),
                 "JSON PDs differ")
        _require((applied["grade"].to_numpy() == self.grades_test.to_numpy()).all(),
                 "JSON grades differ")
        con = sqlite3.connect(":memory:")
        sub = self.X_test[model.features]
        sub.assign(id=np.arange(len(sub))).to_sql("applicants", con, index=False)
        sql_points = np.array([r[-1] for r in con.execute(model.to_sql("applicants")
                                                          + " ORDER BY id")])
        con.close()
        _require((sql_points == pts).all(), "SQL points differ")
        _require(json.loads(json_path.read_text())["format"] == "creditlab.scorecard/1",
                 "unexpected JSON format")
        return model, json_path, sql_path

    def files_line(self, model, json_path, sql_path) -> str:
        return text("report_calib_files", self.lang, json=Path(json_path).name,
                    sql=Path(sql_path).name, n=len(model.features))

    def export_views(self, model, json_path, sql_path) -> list:
        """The files written (:meth:`files_line`) and the start of the SQL expression."""
        from IPython.display import Markdown  # optional: reports

        return [Markdown(self.files_line(model, json_path, sql_path)),
                Markdown("```sql\n" + model.to_sql()[:600] + "\n```")]

    # --- verdict ----------------------------------------------------------------------------
    def verdict(self) -> list[str]:
        """Codes of the validation tests the exported model fails (empty: it passes):
        ``red_grades`` (a grade's Jeffreys test below 0.1 %), ``hosmer_lemeshow`` (p < 0.1 %),
        ``portfolio_jeffreys`` (p < 0.1 %), ``score_shift`` (PSI training → test ≥ 0.25),
        ``brier`` (Brier score of the test PDs more than 5 % above that of the constant default
        rate: the PDs do worse than no model), ``auc_change`` (the AUC fell significantly
        since the initial validation, p < 0.1 %, when ``initial_auc`` is given)."""
        failed = []
        if self.backtest.n_red > 0:
            failed.append("red_grades")
        if self.calibration.hl_pvalue < RED_LEVEL:
            failed.append("hosmer_lemeshow")
        if self.portfolio_test.get("light") == "red":
            failed.append("portfolio_jeffreys")
        if self.stability.psi >= 0.25:
            failed.append("score_shift")
        cal = self.calibration
        if cal.brier > cal.brier_reference * 1.05:
            failed.append("brier")
        return failed + (self.toolkit.failed() if self.toolkit is not None else [])

    def verdict_line(self) -> str:
        """The report's first sentence: the model passes its tests, or which it fails."""
        lang = self.lang
        failed = self.verdict()
        if not failed:
            return text("calib_verdict_ok", lang)
        return text("calib_verdict_failed", lang,
                    tests="; ".join(text(f"calib_fail_{f}", lang) for f in failed))

    def validation_line(self) -> str:
        """What the tests compare: the exported PDs, or (portfolio rate) why not directly."""
        lang = self.lang
        split = (text("calib_split_oot", lang, date=self.settings["test_from"])
                 if self.settings.get("test_from") is not None
                 else text("calib_split_random", lang))
        if self.shift == 0.0:
            return split + " " + text("calib_validated_exported", lang)
        rate = self.settings["target_rate"]
        return split + " " + text("calib_validated_shifted", lang,
                                  target=format_pct(rate, lang, 2),
                                  sample=format_pct(float(self.y_train.mean()), lang, 2),
                                  shift=format_number(self.shift, lang, 3))

    def header(self) -> list:
        """The top of the report: the verdict, what is validated, the columns set aside."""
        from IPython.display import Markdown  # optional: reports

        return [Markdown(self.verdict_line()), Markdown(self.validation_line()),
                *self.sample.overview(self.lang)]

    def backtest_views(self) -> list:
        """The backtest by grade and the portfolio-level Jeffreys test, in words."""
        views = [label_table(self.backtest.summary().round(4), self.lang)]
        if self.toolkit is not None:
            views.append(self.toolkit.jeffreys_table().tail(1))
        return views

    def portfolio_table(self) -> pd.DataFrame:
        """The portfolio-level Jeffreys test (one row)."""
        return pd.DataFrame([self.portfolio_test], index=["portfolio"])

    def require_valid(self, allow_red: bool = False) -> None:
        """Stop (:class:`ModelValidationError`) when :meth:`verdict` is not empty, unless
        ``allow_red``: ``creditlab report run calibration`` then exits non-zero."""
        failed = self.verdict()
        if failed and not allow_red:
            raise ModelValidationError(
                "the model fails its own validation tests: " + ", ".join(failed)
                + ". Not published: fix the model, or run with -p allow_red=true to publish "
                "it with its failures shown at the top")

    # --- checks -----------------------------------------------------------------------------
    def check(self) -> None:
        """The report's key checks (coefficients negative, odds doubling every PDO, Gini =
        2 AUC − 1, integer points cost almost nothing, calibration, counts, stability, AUC
        ranges on the Polish data).

        Raises
        ------
        AssertionError
            Naming the check that failed.
        """
        sc, st, d = self.scorecard, self.settings, self.disc_test
        _require((sc.summary().loc[sc.features_, "coef"] < 0).all(), "a positive coefficient")
        scal = sc.scaling_
        _require(np.isclose(scal.odds(st["base_score"] + st["pdo"]) / scal.odds(st["base_score"]),
                            2.0), "the odds do not double every PDO points")
        _require(np.isclose(scal.pd(st["base_score"]), 1 / (1 + st["base_odds"])),
                 "PD at the base score != 1 / (1 + base odds)")
        _require(abs(d.gini - (2 * d.auc - 1)) < 1e-12, "Gini != 2 AUC - 1")
        _require(abs(self.disc_points.auc - d.auc) < 0.02, "integer points lose AUC")
        _require(np.isclose(self.challengers.loc["scorecard", "auc_test"], d.auc),
                 "challenger table's scorecard AUC differs")
        dist = self.grade_distribution()
        _require(dist.sum().tolist() == [len(self.y_train), len(self.y_test)],
                 "grades do not cover the samples")
        bt = self.backtest.table
        _require(self.portfolio_test["n"] == len(self.y_test), "portfolio test incomplete")
        _require(bt["n"].sum() == len(self.y_test) and bt["defaults"].sum() == self.y_test.sum(),
                 "backtest does not cover the test sample")
        _require(0 <= self.stability.psi, "negative PSI")
        _require(np.isclose(self.calibrator.predict(self.scorecard.pd_from_points(
            self.points_test)), self.pd_test, rtol=1e-12).all(),
            "validated PDs are not the exported model's")
        _require(0.5 < d.auc <= 1 and d.auc_ci[0] < d.auc < d.auc_ci[1], "AUC out of range")
        _require(len(sc.features_) >= 1, "no variable selected")
        default_run = st["seed"] == 0 and st["features"] is None
        if self.sample.dataset == "polish_1" and default_run:
            _require(0.82 < d.auc < 0.95, "polish_1 AUC out of its known range")
        if self.sample.dataset == "polish_5" and default_run:
            _require(0.85 < d.auc < 0.97, "polish_5 AUC out of its known range")


def fit_calibration(sample: CalibrationSample, *, pdo: float = 20, base_score: float = 600,
                    base_odds: float = 50, n_grades: int = 6, seed: int = 0,
                    test_share: float = 0.3, target_rate: float | None = None,
                    max_bins: int | None = None, min_bin_share: float | None = None,
                    max_features: int | None = None, features=None, horizon_months: int = 18,
                    lang: str = "fr", check: bool = True, initial_auc: float | None = None,
                    default_rates=None, moc: float | None = None) -> CalibrationRun:
    """Split, fit the scorecard, calibrate and validate (see the module docstring).

    ``max_bins``, ``min_bin_share``, ``max_features`` default to the sample's
    :attr:`CalibrationSample.defaults`; ``features`` and ``horizon_months`` are recorded for
    the checks and the model's metadata. ``initial_auc``, ``default_rates`` and ``moc`` feed
    the analyst's toolkit (``run.toolkit``,
    :func:`creditlab.reports.calibration_toolkit.analyst_toolkit`); None takes the value of
    the sample's configuration (:attr:`CalibrationSample.options`), if any.
    """
    check_lang(lang)
    with warnings.catch_warnings():
        # statsmodels' convergence chatter during the fit is not the report's business
        warnings.filterwarnings("ignore", module="statsmodels")
        run = _fit(sample, pdo=pdo, base_score=base_score, base_odds=base_odds,
                   n_grades=n_grades, seed=seed, test_share=test_share, target_rate=target_rate,
                   max_bins=max_bins, min_bin_share=min_bin_share, max_features=max_features,
                   features=features, horizon_months=horizon_months, lang=lang)
    opts = sample.options
    run = replace(run, toolkit=analyst_toolkit(
        run, initial_auc=opts.get("initial_auc") if initial_auc is None else initial_auc,
        default_rates=opts.get("default_rates") if default_rates is None else default_rates,
        moc=opts.get("moc") if moc is None else moc))
    if check:
        run.check()
    return run


def _fit(sample, *, pdo, base_score, base_odds, n_grades, seed, test_share, target_rate,
         max_bins, min_bin_share, max_features, features, horizon_months, lang):
    dflt = sample.defaults
    settings = {"pdo": pdo, "base_score": base_score, "base_odds": base_odds,
                "n_grades": n_grades, "seed": seed, "test_share": test_share,
                "target_rate": target_rate, "features": features,
                "horizon_months": horizon_months,
                "max_bins": max_bins if max_bins is not None else dflt["max_bins"],
                "min_bin_share": (min_bin_share if min_bin_share is not None
                                  else dflt["min_bin_share"]),
                "max_features": (max_features if max_features is not None
                                 else dflt["max_features"])}
    X, y = sample.X, sample.y
    if sample.dates is not None:
        # out-of-time: the latest rows are the test sample (nothing of the test period is seen)
        cut = sample.dates.quantile(1 - test_share, interpolation="higher")
        train_mask, test_mask = mdl.period_split(sample.dates, cut)
        X_train, X_test = X[train_mask], X[test_mask]
        y_train, y_test = y[train_mask], y[test_mask]
        for part, yy in (("training", y_train), ("test", y_test)):
            if yy.nunique() < 2:
                raise InputError("date_column", f"defaults and non-defaults in the {part} "
                                 "period", f"only one class from {cut:%Y-%m-%d}",
                                 "use a longer history or date_column=None")
        settings["test_from"] = cut
    else:
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=test_share,
                                                            stratify=y, random_state=seed)
        settings["test_from"] = None
    sc = mdl.Scorecard(mdl.WoEBinner(max_bins=settings["max_bins"],
                                     min_bin_share=settings["min_bin_share"]),
                       max_features=settings["max_features"], base_score=base_score,
                       # the report documents a sparse model: stepwise BIC, as before the
                       # package default moved to AIC (README, "Performance")
                       selection="stepwise", criterion="bic", base_odds=base_odds,
                       pdo=pdo).fit(X_train, y_train)
    pd_train_raw = sc.predict_proba(X_train)[:, 1]
    pd_test_raw = sc.predict_proba(X_test)[:, 1]
    pts_train, pts_test = sc.points(X_train), sc.points(X_test)
    disc_train = mdl.discrimination(y_train, pd_train_raw)
    disc_test = mdl.discrimination(y_test, pd_test_raw)
    disc_pts = mdl.discrimination(y_test, pts_test, higher_is_risk=False)
    challengers = _challengers(sc, sample.categorical, X_train, X_test, y_train, y_test, seed)
    # PDs of the integer points (what the order application will compute), then calibration
    raw_train, raw_test = sc.pd_from_points(pts_train), sc.pd_from_points(pts_test)
    cal = mdl.PDCalibrator("platt", target_rate=target_rate).fit(raw_train, y_train)
    pdc_train, pdc_test = cal.predict(raw_train), cal.predict(raw_test)
    # the exported model: these PDs, this master scale (write() checks the JSON gives them)
    scale = mdl.MasterScale.from_pds(pdc_train, n_grades, source=sample.source)
    grades_test = scale.grade(pdc_test)
    # a portfolio-rate calibration is compared with the sample's outcomes after removing its
    # known log-odds shift (the sampling correction); without target_rate the shift is 0
    shift = float(cal.shift_)
    pd_check = _unshift(pdc_test, shift)
    calib = mdl.calibration_test(y_test, pd_check,
                                 n_groups=min(10, max(3, int(y_test.sum()) // 2)))
    grade_pd = dict(zip(scale.labels, _unshift(np.asarray(scale.central_pd), shift).tolist(),
                        strict=True))
    bt = mdl.backtest_grades(y_test.to_numpy(), grades_test.to_numpy(), grade_pd)
    portfolio = mdl.jeffreys_test(int(y_test.sum()), len(y_test), float(np.mean(pd_check)))
    stab = mdl.population_stability(pts_train, pts_test, bins=10, name="points")
    csi = mdl.characteristic_stability(sc, X_train, X_test)
    period = None
    if sample.info is not None:
        years = sample.info["fiscal_year"]
        first, last = years.min(), years.max()
        period = mdl.population_stability(sc.points(X[years == first]),
                                          sc.points(X[years == last]), bins=10,
                                          name=f"points {first} → {last}")
    return CalibrationRun(
        sample=sample, settings=settings, X_train=X_train, X_test=X_test, y_train=y_train,
        y_test=y_test, scorecard=sc, points_train=pts_train, points_test=pts_test,
        disc_train=disc_train, disc_test=disc_test, disc_points=disc_pts,
        challengers=challengers, calibrator=cal, pd_train=pdc_train, pd_test=pdc_test,
        calibration=calib, scale=scale, grades_test=grades_test, backtest=bt, stability=stab,
        csi=csi, period_stability=period, lang=lang, shift=shift, portfolio_test=portfolio)


def _unshift(p: np.ndarray, shift: float) -> np.ndarray:
    """PDs with the calibrator's log-odds shift removed (the sample's level)."""
    if shift == 0.0:
        return np.asarray(p, dtype="float64")
    return sigmoid(logit(p) - shift)


def _challengers(sc, categorical, X_train, X_test, y_train, y_test, seed) -> pd.DataFrame:
    """Test AUC of the scorecard and its challengers on the same split. Text columns: the
    gradient boosting uses them as categories (native categorical splits); the LDA on raw
    ratios uses the numeric columns only (NaN when there is none)."""
    numeric = [c for c in X_train.columns if c not in categorical]

    def as_cat(X):
        out = X.copy()
        for c in categorical:
            out[c] = pd.Categorical(out[c], categories=sorted(X_train[c].dropna().unique()))
        return out

    rows = {}
    for name, est in mdl.challenger_models(seed, scorecard=sc).items():
        if name == "scorecard":
            p = sc.predict_proba(X_test)[:, 1]
        elif name == "gradient_boosting" and categorical:
            est.set_params(categorical_features="from_dtype")
            p = est.fit(as_cat(X_train), y_train).predict_proba(as_cat(X_test))[:, 1]
        elif name == "lda_ratios" and categorical:
            if not numeric:
                rows[name] = np.nan
                continue
            p = est.fit(X_train[numeric], y_train).predict_proba(X_test[numeric])[:, 1]
        else:
            p = est.fit(X_train, y_train).predict_proba(X_test)[:, 1]
        rows[name] = mdl.roc_auc(y_test, p)
    out = pd.DataFrame({"auc_test": pd.Series(rows, dtype="float64")})
    out["gini_test"] = 2 * out["auc_test"] - 1
    return out
