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
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from creditlab.exceptions import InputError
from creditlab.i18n import check_lang, format_pct
from creditlab.labels import text

__all__ = ["CalibrationSample", "load_sample", "CalibrationRun", "fit_calibration",
           "DATASET_DEFAULTS", "ModelValidationError", "MAX_CATEGORIES"]

#: A text column with more distinct values is set aside (too many categories to group).
MAX_CATEGORIES = 50

#: p-value below which a test fails (the red level of the traffic light, BCBS WP 14).
RED_LEVEL = 0.001


class ModelValidationError(AssertionError):
    """The fitted model fails its own validation tests (raised by ``require_valid``)."""

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
        Columns set aside: empty or constant; text columns that cannot be categories (user
        file: identifiers, too many categories).
    defaults : dict
        Binning and selection defaults for this kind of data (:data:`DATASET_DEFAULTS`).
    set_aside : DataFrame
        One row per column set aside: ``column``, ``reason`` (code: ``empty``, ``constant``,
        ``identifier``, ``too_many_categories``, ``date_column``, ``not_in_features``).
    categorical : list of str
        Text columns used as categorical variables.
    dates : Series or None
        The ``date_column`` of a user's file (out-of-time split), on ``X``'s index.
    positive : str or None
        The label of a default in a text target.
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
    set_aside: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        {"column": pd.Series(dtype="str"), "reason": pd.Series(dtype="str")}))
    categorical: list = field(default_factory=list)
    dates: pd.Series | None = None
    positive: str | None = None

    def set_aside_table(self, lang: str = "fr") -> pd.DataFrame:
        """Every column set aside and why, in words (empty table when none)."""
        check_lang(lang)
        t = self.set_aside.copy()
        t["reason"] = [text(f"calib_reason_{r}", lang) for r in t["reason"]]
        return t.rename(columns={"column": text("calib_column", lang),
                                 "reason": text("calib_reason", lang)})

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

        parts = []
        if len(self.set_aside):
            parts += [Markdown(text("calib_set_aside_title", lang, n=len(self.set_aside))),
                      self.set_aside_table(lang)]
        if self.categorical:
            parts.append(Markdown(text("calib_categorical_line", lang,
                                       columns=", ".join(self.categorical))))
        return parts + [self.summary(lang)] + (
            [self.years()] if self.info is not None else [])

    def years(self) -> pd.DataFrame | None:
        """Demo only: firms by fiscal year and status."""
        if self.info is None:
            return None
        return self.info.groupby("fiscal_year")["status"].value_counts().unstack(fill_value=0)

    def describe(self) -> pd.DataFrame:
        """Count, mean, 5 %, median, 95 % and share missing of each ratio."""
        X = self.X.drop(columns=self.categorical)
        desc = X.describe(percentiles=[0.05, 0.5, 0.95]).T[["count", "mean", "5%", "50%",
                                                           "95%"]]
        desc["missing"] = X.isna().mean()
        return desc


def load_sample(dataset: str = "demo", target: str | None = None, features=None, *,
                horizon_months: int = 18, as_of=None, lang: str = "fr", positive=None,
                date_column: str | None = None) -> CalibrationSample:
    """Read the modelling sample (see the module docstring).

    Parameters
    ----------
    dataset : str
        ``"demo"``, ``"polish_1"``, ``"polish_5"`` or the path of a CSV/Parquet file.
    target : str, optional
        The target column of a user's file (required then): 0/1 (1 = default), or labels with
        ``positive`` naming the default (``positive="bad"``).
    features : str or list, optional
        Variables to keep (``"a,b,c"``); None keeps every usable column (numbers and text
        categories).
    horizon_months : int
        Demo: months after the year end within which a proceeding counts as a failure.
    as_of : date-like, optional
        Demo: end of the observation of failures (default: the demo's date).
    lang : {"fr", "en"}
        Words of ``source``.
    positive : str, optional
        The target's label of a default (compared as text); required when the target is not
        0/1.
    date_column : str, optional
        A date column of a user's file (ISO ``YYYY-MM-DD`` or French ``DD/MM/YYYY``): the
        latest ``test_share`` of the rows become the out-of-time test sample.

    Raises
    ------
    InputError
        A missing file, a target missing, not 0/1 without ``positive``, or holding one class or
        missing values; a ``positive`` label absent from the target; unknown features; an
        unknown or unreadable date column.
    """
    from creditlab import modeling as mdl

    check_lang(lang)
    info, dates, set_aside = None, None, []
    if date_column is not None and dataset in ("demo", "polish_1", "polish_5"):
        raise InputError("date_column", "a date column of a user's file", date_column,
                         "leave date_column=None with the demo or the Polish data")
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
        y = _target(raw[target], positive)
        X = raw.drop(columns=[target])
        if date_column is not None:
            if date_column not in X.columns:
                raise InputError("date_column", f"a column of {path.name}", date_column,
                                 "fix the name or leave date_column=None")
            dates = _dates(X.pop(date_column), date_column)
            set_aside.append((date_column, "date_column"))
        source = path.name
        defaults = DATASET_DEFAULTS["other"]
    if features is not None:
        wanted = ([f.strip() for f in str(features).split(",") if f.strip()]
                  if isinstance(features, str) else list(features))
        unknown = [f for f in wanted if f not in X.columns]
        if unknown:
            raise InputError("features", f"columns of the data ({list(X.columns)[:8]}...)",
                             unknown, "fix the names")
        set_aside += [(c, "not_in_features") for c in X.columns if c not in wanted]
        X = X[wanted]
    y = _target(y, None)
    y = pd.Series(y.to_numpy(), index=X.index, name="default")
    text_cols = [c for c in X.columns if not (pd.api.types.is_numeric_dtype(X[c])
                                              or pd.api.types.is_bool_dtype(X[c]))]
    num_cols = [c for c in X.columns if c not in text_cols]
    X = X.copy()
    X[num_cols] = X[num_cols].replace([np.inf, -np.inf], np.nan)  # a zero denominator
    reasons = {}
    for c in X.columns:
        col = X[c]
        distinct = col.nunique(dropna=True)
        if col.isna().all():
            reasons[c] = "empty"
        elif distinct < 2 and col.notna().all():
            reasons[c] = "constant"
        elif c in text_cols and distinct > 0.5 * len(col) and distinct > 20:
            reasons[c] = "identifier"
        elif c in text_cols and distinct > MAX_CATEGORIES:
            reasons[c] = "too_many_categories"
    set_aside += list(reasons.items())
    unusable = [c for c, r in reasons.items() if r in ("empty", "constant")]
    ignored = [c for c, r in reasons.items() if r in ("identifier", "too_many_categories")]
    categorical = [c for c in text_cols if c not in reasons]
    X = X.drop(columns=list(reasons))
    for c in categorical:
        X[c] = X[c].astype(object).where(X[c].notna(), None)
    table = pd.DataFrame(set_aside, columns=["column", "reason"]).astype("str")
    return CalibrationSample(X=X, y=y, source=source, dataset=dataset, target=target,
                             info=info, unusable=unusable, ignored=ignored,
                             defaults=dict(defaults), set_aside=table,
                             categorical=categorical,
                             dates=None if dates is None else dates.set_axis(X.index),
                             positive=None if positive is None else str(positive))


def _target(raw: pd.Series, positive) -> pd.Series:
    """The 0/1 target (1 = default) from a 0/1 column, or from labels with ``positive``."""
    values = pd.Series(np.asarray(raw, dtype=object))
    shown = sorted({str(v) for v in pd.unique(values)})[:5]
    if values.isna().any():
        raise InputError("target", "a target without missing values",
                         f"{int(values.isna().sum())} missing value(s)",
                         "drop the rows whose outcome is unknown")
    if positive is not None:
        labels = values.astype(str)
        if str(positive) not in set(labels):
            raise InputError("positive", f"one of the target's values {shown}", positive,
                             "name the label of a default, e.g. -p positive=bad")
        y = (labels == str(positive)).astype("int64")
        if y.nunique() < 2:
            raise InputError("target", "both defaults and non-defaults", shown,
                             "use a sample holding both outcomes")
        return y
    y_num = pd.to_numeric(values, errors="coerce")
    if not (y_num.isin([0, 1]).all() and y_num.nunique() == 2):
        raise InputError("target", "a 0/1 column (1 = default) holding both values, no "
                         "missing value", shown,
                         "name the label of a default with -p positive=<label> (e.g. bad), "
                         "or recode it: 1 for the failed firms, 0 for the others")
    return y_num.astype("int64")


def _dates(col: pd.Series, name: str) -> pd.Series:
    """Dates of a column (ISO or French day-first), every value readable."""
    text_values = col.astype(str)
    iso = pd.to_datetime(text_values, format="ISO8601", errors="coerce")
    fr = pd.to_datetime(text_values, format="%d/%m/%Y", errors="coerce")
    out = iso.where(iso.notna(), fr)
    if out.isna().any():
        bad = col[out.isna()].astype(str).unique()[:3].tolist()
        raise InputError(f"date_column {name!r}", "dates as YYYY-MM-DD or DD/MM/YYYY",
                         f"{int(out.isna().sum())} unreadable value(s) such as {bad}",
                         "fix the dates or drop the rows")
    return out.dt.tz_localize(None) if out.dt.tz is not None else out


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

    def write(self, out=None) -> tuple[object, Path, Path]:
        """Write ``scorecard.json`` and ``scorecard.sql`` to ``out`` (None: a new temporary
        folder); the JSON is reloaded and its points, PDs and grades, and the SQL evaluated in
        SQLite, must equal the Python computation on the test sample. Returns the model and
        both paths."""
        from creditlab import modeling as mdl
        from creditlab.reports.common import output_folder

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

    # --- verdict ----------------------------------------------------------------------------
    def verdict(self) -> list[str]:
        """Codes of the validation tests the exported model fails (empty: it passes):
        ``red_grades`` (a grade's Jeffreys test below 0.1 %), ``hosmer_lemeshow`` (p < 0.1 %),
        ``portfolio_jeffreys`` (p < 0.1 %), ``score_shift`` (PSI training → test ≥ 0.25),
        ``brier`` (Brier score of the test PDs more than 5 % above that of the constant default
        rate: the PDs do worse than no model)."""
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
        return failed

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
                                  shift=f"{self.shift:.3f}")

    def header(self) -> list:
        """The top of the report: the verdict, what is validated, the columns set aside."""
        from IPython.display import Markdown

        return [Markdown(self.verdict_line()), Markdown(self.validation_line()),
                *self.sample.overview(self.lang)]

    def backtest_views(self) -> list:
        """The backtest by grade in words and the portfolio-level Jeffreys test."""
        from creditlab.modeling import label_table

        return [label_table(self.backtest.summary().round(4), self.lang),
                self.portfolio_table().round(4)]

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
                       base_odds=base_odds, pdo=pdo).fit(X_train, y_train)
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
    from creditlab.modeling import logit
    from creditlab.modeling._logit import sigmoid

    if shift == 0.0:
        return np.asarray(p, dtype="float64")
    return sigmoid(logit(p) - shift)


def _challengers(sc, categorical, X_train, X_test, y_train, y_test, seed) -> pd.DataFrame:
    """Test AUC of the scorecard and its challengers on the same split. Text columns: the
    gradient boosting uses them as categories (native categorical splits); the LDA on raw
    ratios uses the numeric columns only (NaN when there is none)."""
    from creditlab import modeling as mdl

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
