"""The calibration report's sample, fitted model, validation tables and exports.

What the ``calibration`` report notebook used to compute in its cells:

- :func:`load_sample` — the modelling sample: the demo financial statements with the failure
  target (:func:`creditlab.modeling.failure_sample`), the public Polish bankruptcy data, or a
  user's CSV/Parquet file with a 0/1 target column; the chosen features; columns that cannot
  separate defaults (empty, constant) set aside and reported, never fatal; a target that is not
  0/1 is an :class:`~creditlab.exceptions.InputError`;
- :func:`fit_calibration` — the stratified train/test split, the scorecard (binning, selection,
  logistic regression, points), the validation (discrimination, challengers, PD calibration,
  master scale, backtest, stability) as a :class:`CalibrationRun`, whose methods render the
  report's tables and write the JSON and SQL exports (checked against the Python points).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from creditlab.exceptions import InputError
from creditlab.i18n import check_lang, format_pct
from creditlab.labels import text

__all__ = ["CalibrationSample", "load_sample", "CalibrationRun", "fit_calibration",
           "DATASET_DEFAULTS"]

#: Binning and selection defaults by kind of data (the demo sample is small).
DATASET_DEFAULTS = {"demo": {"max_bins": 3, "min_bin_share": 0.10, "max_features": 2},
                    "other": {"max_bins": 5, "min_bin_share": 0.05, "max_features": None}}


def _require(condition, message: str) -> None:
    if not bool(condition):
        raise AssertionError(message)


@dataclass(frozen=True, eq=False)
class CalibrationSample:
    """A modelling sample: ratios ``X``, 0/1 target ``y`` (1 = default) and where it comes from.

    Attributes
    ----------
    X : DataFrame
        Numeric ratios (±inf replaced by NaN), unusable columns removed.
    y : Series
        ``default`` (int 0/1) on ``X``'s index.
    source : str
        The data's origin in words.
    dataset : str
        ``demo``, ``polish_1``, ``polish_5`` or the file path.
    target : str or None
        The target column of a user's file.
    info : DataFrame or None
        Demo only: firm, fiscal year and status of each row.
    unusable, ignored : list of str
        Columns set aside: empty or constant; non-numeric (user file).
    defaults : dict
        Binning and selection defaults for this kind of data (:data:`DATASET_DEFAULTS`).
    """

    X: pd.DataFrame
    y: pd.Series
    source: str
    dataset: str
    target: str | None = None
    info: pd.DataFrame | None = None
    unusable: list = field(default_factory=list)
    ignored: list = field(default_factory=list)
    defaults: dict = field(default_factory=dict)

    def set_aside_line(self, lang: str = "fr") -> str | None:
        """The sentence listing the columns set aside, or None when there are none."""
        if not (self.unusable or self.ignored):
            return None
        from creditlab._safety import escape_text

        return text("report_calib_set_aside", lang,
                    unusable=[escape_text(c) for c in self.unusable],
                    ignored=[escape_text(c) for c in self.ignored])

    def summary(self, lang: str = "fr") -> pd.DataFrame:
        """Observations, defaults, default rate, variables, missing values (one row)."""
        check_lang(lang)
        y, X = self.y, self.X
        return pd.DataFrame({
            text("report_calib_observations", lang): [len(y)],
            text("report_calib_defaults", lang): [int(y.sum())],
            text("report_calib_default_rate", lang): [format_pct(y.mean(), lang, 2)],
            text("report_calib_variables", lang): [X.shape[1]],
            text("report_calib_missing", lang): [format_pct(X.isna().mean().mean(), lang)],
        }, index=[self.source])

    def overview(self, lang: str = "fr") -> list:
        """What the report shows of the data: the columns set aside (if any), the summary and,
        on the demo, the firms by year and status."""
        from IPython.display import Markdown

        line = self.set_aside_line(lang)
        return ([Markdown(line)] if line else []) + [self.summary(lang)] + (
            [self.years()] if self.info is not None else [])

    def years(self) -> pd.DataFrame | None:
        """Demo only: firms by fiscal year and status."""
        if self.info is None:
            return None
        return self.info.groupby("fiscal_year")["status"].value_counts().unstack(fill_value=0)

    def describe(self) -> pd.DataFrame:
        """Count, mean, 5 %, median, 95 % and share missing of each ratio."""
        X = self.X
        desc = X.describe(percentiles=[0.05, 0.5, 0.95]).T[["count", "mean", "5%", "50%",
                                                           "95%"]]
        desc["missing"] = X.isna().mean()
        return desc


def load_sample(dataset: str = "demo", target: str | None = None, features=None, *,
                horizon_months: int = 18, as_of=None, lang: str = "fr") -> CalibrationSample:
    """Read the modelling sample (see the module docstring).

    Parameters
    ----------
    dataset : str
        ``"demo"``, ``"polish_1"``, ``"polish_5"`` or the path of a CSV/Parquet file.
    target : str, optional
        The 0/1 target column of a user's file (required then).
    features : str or list, optional
        Ratios to keep (``"a,b,c"``); None keeps every numeric column.
    horizon_months : int
        Demo: months after the year end within which a proceeding counts as a failure.
    as_of : date-like, optional
        Demo: end of the observation of failures (default: the demo's date).
    lang : {"fr", "en"}
        Words of ``source``.

    Raises
    ------
    InputError
        A missing file, a target missing or not 0/1 (both values, no missing value), unknown
        features.
    """
    from creditlab import modeling as mdl

    check_lang(lang)
    info, ignored = None, []
    if dataset == "demo":
        from creditlab._checks import as_of_date
        from creditlab.io import load_demo
        from creditlab.synth import DEMO_AS_OF

        as_of = as_of_date(DEMO_AS_OF if as_of is None else as_of)
        X, y, info = mdl.failure_sample(load_demo("financial_statements"), load_demo("events"),
                                        as_of, horizon_months)
        source = text("report_calib_source_demo", lang, horizon=horizon_months, as_of=as_of)
        defaults = DATASET_DEFAULTS["demo"]
    elif dataset in ("polish_1", "polish_5"):
        from creditlab.io.polish import load_polish

        X, y = load_polish(int(dataset[-1]))
        source = text("report_calib_source_polish", lang, year=dataset[-1])
        defaults = DATASET_DEFAULTS["other"]
    else:
        path = Path(dataset)
        if not path.exists():
            raise InputError("dataset", "demo, polish_1, polish_5 or an existing CSV/Parquet "
                             "file", dataset, "check the path")
        raw = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)
        if target is None or target not in raw.columns:
            raise InputError("target", f"a column of {path.name}", target,
                             "pass -p target=<0/1 column>")
        y = raw[target]
        X = raw.drop(columns=[target]).select_dtypes("number")
        ignored = [c for c in raw.columns if c != target and c not in X.columns]
        source = path.name
        defaults = DATASET_DEFAULTS["other"]
    if features is not None:
        wanted = ([f.strip() for f in str(features).split(",") if f.strip()]
                  if isinstance(features, str) else list(features))
        unknown = [f for f in wanted if f not in X.columns]
        if unknown:
            raise InputError("features", f"columns of the data ({list(X.columns)[:8]}...)",
                             unknown, "fix the names")
        X = X[wanted]
    X = X.replace([np.inf, -np.inf], np.nan)  # a ratio with a zero denominator is missing
    y_num = pd.to_numeric(pd.Series(np.asarray(y)), errors="coerce")
    if not (y_num.isin([0, 1]).all() and y_num.nunique() == 2):
        raise InputError("target", "a 0/1 column (1 = default) holding both values, no "
                         "missing value",
                         sorted({str(v) for v in pd.unique(pd.Series(np.asarray(y)))})[:5],
                         "recode it: 1 for the failed firms, 0 for the others; drop unknown rows")
    y = pd.Series(y_num.astype("int64").to_numpy(), index=X.index, name="default")
    # a column entirely missing or constant cannot separate defaults: set aside, not fatal
    unusable = [c for c in X.columns
                if X[c].isna().all() or (X[c].notna().all() and X[c].nunique() < 2)]
    return CalibrationSample(X=X.drop(columns=unusable), y=y, source=source, dataset=dataset,
                             target=target, info=info, unusable=unusable, ignored=ignored,
                             defaults=dict(defaults))


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
        from creditlab import modeling as mdl

        def status(v):
            return mdl.labels.VALUE_LABELS_FR["status"].get(v, v) if self.lang == "fr" else str(v)

        lines = [f"PSI (points) = **{self.stability.psi:.4f}** ({status(self.stability.status)})"]
        p = self.period_stability
        if p is not None:
            years = self.sample.info["fiscal_year"]
            lines.append(f"PSI {years.min()} → {years.max()} = **{p.psi:.4f}** "
                         f"({status(p.status)})")
        return lines

    def binning_views(self, variable: str) -> list:
        """The variable's name and its binning table (with totals) in words."""
        from IPython.display import Markdown

        from creditlab.modeling import label_table

        table = self.scorecard.binning_.binning_table(variable, totals=True)
        from creditlab._safety import escape_text

        return [Markdown(f"**{escape_text(variable)}**"),
                label_table(table.drop(columns=["lower", "upper"]).round(4), self.lang)]

    def scaling_table(self) -> pd.DataFrame:
        """The scaling's parameters (factor, offset, PDO, ...) as a ``value`` column."""
        return pd.DataFrame({"value": pd.Series(self.scorecard.scaling_.to_dict())}).round(4)

    def points_grid(self) -> pd.DataFrame:
        """The scorecard: variable, bin, count, event rate, WoE and points of each bin."""
        return self.scorecard.scorecard_table()[["variable", "bin", "count", "event_rate",
                                                 "woe", "points"]].round(4)

    def scale_view(self):
        """The master scale in words, PD columns as percentages with three decimals."""
        from creditlab.modeling import label_table

        table = label_table(self.scale.summary(self.lang), self.lang)
        return table.style.format(dict.fromkeys(table.columns[:3], "{:.3%}"))

    def stability_views(self) -> list:
        """PSI of the points, the characteristic stability table and, on the demo, the PSI
        between the first and the last year."""
        from IPython.display import Markdown

        from creditlab.modeling import label_table

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
        import matplotlib.pyplot as plt

        from creditlab.modeling.plots import plot_score_distribution

        fig, axes = plt.subplots(1, 3, figsize=(14, 4.2))
        self.disc_test.plot_roc(ax=axes[0], lang=self.lang)
        self.disc_test.plot_cap(ax=axes[1], lang=self.lang)
        plot_score_distribution(self.points_test, self.y_test, ax=axes[2], lang=self.lang)
        fig.tight_layout()
        return fig

    def plot_stability(self):
        import matplotlib.pyplot as plt

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

    def write(self, out) -> tuple[object, Path, Path]:
        """Write ``scorecard.json`` and ``scorecard.sql`` to ``out``; the JSON is reloaded and
        its points, PDs and grades, and the SQL evaluated in SQLite, must equal the Python
        computation on the test sample. Returns the model and both paths."""
        from creditlab import modeling as mdl

        out = Path(out)
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
        cal = self.calibration
        _require(cal.brier <= cal.brier_reference * 1.05 or st["target_rate"] is not None,
                 "calibrated PDs worse than the reference Brier score")
        dist = self.grade_distribution()
        _require(dist.sum().tolist() == [len(self.y_train), len(self.y_test)],
                 "grades do not cover the samples")
        bt = self.backtest.table
        _require(bt["n"].sum() == len(self.y_test) and bt["defaults"].sum() == self.y_test.sum(),
                 "backtest does not cover the test sample")
        _require(0 <= self.stability.psi < 0.25, "score shift between training and test")
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
                    lang: str = "fr", check: bool = True) -> CalibrationRun:
    """Split, fit the scorecard, calibrate and validate (see the module docstring).

    ``max_bins``, ``min_bin_share``, ``max_features`` default to the sample's
    :attr:`CalibrationSample.defaults`; ``features`` and ``horizon_months`` are recorded for
    the checks and the model's metadata.
    """
    import warnings

    check_lang(lang)
    with warnings.catch_warnings():
        # statsmodels' convergence chatter during the fit is not the report's business
        warnings.filterwarnings("ignore", module="statsmodels")
        run = _fit(sample, pdo=pdo, base_score=base_score, base_odds=base_odds,
                   n_grades=n_grades, seed=seed, test_share=test_share, target_rate=target_rate,
                   max_bins=max_bins, min_bin_share=min_bin_share, max_features=max_features,
                   features=features, horizon_months=horizon_months, lang=lang)
    if check:
        run.check()
    return run


def _fit(sample, *, pdo, base_score, base_odds, n_grades, seed, test_share, target_rate,
         max_bins, min_bin_share, max_features, features, horizon_months, lang):
    from sklearn.model_selection import train_test_split

    from creditlab import modeling as mdl

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
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=test_share, stratify=y,
                                                        random_state=seed)
    sc = mdl.Scorecard(mdl.WoEBinner(max_bins=settings["max_bins"],
                                     min_bin_share=settings["min_bin_share"]),
                       max_features=settings["max_features"], base_score=base_score,
                       base_odds=base_odds, pdo=pdo).fit(X_train, y_train)
    pd_train_raw = sc.predict_proba(X_train)[:, 1]
    pd_test_raw = sc.predict_proba(X_test)[:, 1]
    pts_train, pts_test = sc.points(X_train), sc.points(X_test)
    disc_train = mdl.discrimination(y_train, pd_train_raw)
    disc_test = mdl.discrimination(y_test, pd_test_raw)
    disc_pts = mdl.discrimination(y_test, pts_test, higher_is_risk=False)
    rows = {}
    for name, est in mdl.challenger_models(seed, scorecard=sc).items():
        fitted = sc if name == "scorecard" else est.fit(X_train, y_train)
        rows[name] = mdl.roc_auc(y_test, fitted.predict_proba(X_test)[:, 1])
    challengers = pd.DataFrame({"auc_test": pd.Series(rows)})
    challengers["gini_test"] = 2 * challengers["auc_test"] - 1
    # PDs of the integer points (what the order application will compute), then calibration
    raw_train, raw_test = sc.pd_from_points(pts_train), sc.pd_from_points(pts_test)
    cal = mdl.PDCalibrator("platt", target_rate=target_rate).fit(raw_train, y_train)
    pdc_train, pdc_test = cal.predict(raw_train), cal.predict(raw_test)
    calib = mdl.calibration_test(y_test, pdc_test,
                                 n_groups=min(10, max(3, int(y_test.sum()) // 2)))
    scale = mdl.MasterScale.from_pds(pdc_train, n_grades, source=sample.source)
    grades_test = scale.grade(pdc_test)
    bt = mdl.backtest_grades(y_test.to_numpy(), grades_test.to_numpy(), scale)
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
        csi=csi, period_stability=period, lang=lang)
