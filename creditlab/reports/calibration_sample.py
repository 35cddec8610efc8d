"""The calibration report's modelling sample: :func:`load_sample` and
:class:`CalibrationSample` (see :mod:`creditlab.reports.calibration`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from creditlab import modeling as mdl
from creditlab._checks import as_of_date
from creditlab._safety import escape_text
from creditlab.config import load_config
from creditlab.exceptions import InputError
from creditlab.i18n import check_lang, format_pct
from creditlab.io import load_demo
from creditlab.io.polish import load_polish
from creditlab.labels import text
from creditlab.synth import DEMO_AS_OF

__all__ = ["CalibrationSample", "load_sample", "DATASET_DEFAULTS", "MAX_CATEGORIES"]

#: A text column with more distinct values is set aside (too many categories to group).
MAX_CATEGORIES = 50

#: Binning and selection defaults by kind of data (the demo sample is small).
DATASET_DEFAULTS = {"demo": {"max_bins": 3, "min_bin_share": 0.10, "max_features": 2},
                    "other": {"max_bins": 5, "min_bin_share": 0.05, "max_features": None}}


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
    ids : Series or None
        The ``id_column`` of a user's file (the customer of each row: the migration matrix
        follows it across periods), on ``X``'s index.
    options : dict
        The analyst's toolkit settings read from the ``[calibration]`` section of the
        configuration (``initial_auc``, ``default_rates``, ``moc``), used by
        :func:`creditlab.reports.calibration.fit_calibration` when its arguments are None.
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
    ids: pd.Series | None = None
    options: dict = field(default_factory=dict)

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
        from IPython.display import Markdown  # optional: reports

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
                date_column: str | None = None, id_column: str | None = None,
                config=None) -> CalibrationSample:
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
    id_column : str, optional
        A customer identifier column of a user's file: with ``date_column``, the report's
        migration matrix follows the customers present in both periods. Set aside from the
        variables.
    config : path, optional
        A ``creditlab.toml`` whose ``[calibration]`` section gives ``applications`` (the file,
        used when ``dataset`` is left at ``"demo"``), ``target``, ``positive`` and
        ``date_column``, ``id_column`` (each used when the argument is None), and the
        toolkit's ``initial_auc``, ``default_rates``, ``moc`` (kept in ``options``):
        ``creditlab report run calibration --config creditlab.toml`` like the other reports.

    Raises
    ------
    InputError
        A missing file, a target missing, not 0/1 without ``positive``, or holding one class or
        missing values; a ``positive`` label absent from the target; unknown features; an
        unknown or unreadable date column.
    """
    check_lang(lang)
    if config is not None and str(config) != "":
        sec = load_config(config).calibration
        if dataset == "demo" and "applications" in sec:
            dataset = str(sec["applications"])
        target = sec.get("target") if target is None else target
        positive = sec.get("positive") if positive is None else positive
        date_column = sec.get("date_column") if date_column is None else date_column
        id_column = sec.get("id_column") if id_column is None else id_column
        options = {k: sec[k] for k in ("initial_auc", "default_rates", "moc") if k in sec}
    else:
        options = {}
    info, dates, ids, set_aside = None, None, None, []
    for name, value in (("date_column", date_column), ("id_column", id_column)):
        if value is not None and dataset in ("demo", "polish_1", "polish_5"):
            raise InputError(name, f"a {name.replace('_', ' ')} of a user's file", value,
                             f"leave {name}=None with the demo or the Polish data")
    if dataset == "demo":
        as_of = as_of_date(DEMO_AS_OF if as_of is None else as_of)
        X, y, info = mdl.failure_sample(load_demo("financial_statements"), load_demo("events"),
                                        as_of, horizon_months)
        source = text("report_calib_source_demo", lang, horizon=horizon_months, as_of=as_of)
        defaults = DATASET_DEFAULTS["demo"]
    elif dataset in ("polish_1", "polish_5"):
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
        if id_column is not None:
            if id_column not in X.columns:
                raise InputError("id_column", f"a column of {path.name}", id_column,
                                 "fix the name or leave id_column=None")
            ids = X.pop(id_column).astype(object)
            set_aside.append((id_column, "id_column"))
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
                             positive=None if positive is None else str(positive),
                             ids=None if ids is None else ids.set_axis(X.index),
                             options=options)


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
        us = pd.to_datetime(text_values, format="%m/%d/%Y", errors="coerce")
        fix = ("these dates are month-first (US M/D/YYYY), never read here: write them as "
               "YYYY-MM-DD" if us.notna().all() else "fix the dates or drop the rows")
        raise InputError(f"date_column {name!r}", "dates as YYYY-MM-DD or DD/MM/YYYY",
                         f"{int(out.isna().sum())} unreadable value(s) such as {bad}", fix)
    return out.dt.tz_localize(None) if out.dt.tz is not None else out
