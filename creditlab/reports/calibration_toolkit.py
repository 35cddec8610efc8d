"""The bank analyst's toolkit in the calibration report (IRB validation practice).

:func:`analyst_toolkit` computes, for the **exported** model of a calibration run
(:class:`creditlab.reports.calibration.CalibrationRun`), the blocks an IRB validation report
holds (ECB, *Instructions for reporting the validation results of internal models — IRB Pillar I
models for credit risk*, 2019), each only when its input is given:

- always: the **Jeffreys tests** of the portfolio and of each grade (the backtest of the
  exported PDs and grades, :func:`creditlab.modeling.jeffreys_test`);
- ``initial_auc``: the **change of the AUC** against the initial validation with its DeLong
  standard error (:func:`creditlab.modeling.auc_change_test`);
- ``default_rates`` (a CSV ``year,default_rate``): the **long-run average** default rate and
  the grades' PDs anchored on it (through the cycle, :func:`creditlab.modeling.long_run_average`,
  :func:`creditlab.modeling.anchor_to_long_run`);
- ``moc``: the **margin of conservatism** added to the grades' PDs
  (:func:`creditlab.modeling.margin_of_conservatism`);
- a date column and an obligor identifier (``date_column``, ``id_column``): the **migration
  matrix** of the obligors present in both periods, from their last grade in the development
  period to their last grade in the out-of-time period, with its stability statistics and the
  ECB's matrix weighted bandwidths (:func:`creditlab.modeling.migration_matrix`).

A block whose input is missing is replaced by one sentence saying what it needs. The exported
model is not changed by the toolkit: its PDs stay the best estimates that the backtest checks;
the anchored and margined PDs of each grade are what a regulatory use would apply on top.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from creditlab import modeling as mdl
from creditlab.exceptions import InputError
from creditlab.i18n import check_lang, format_number, format_pct
from creditlab.io._csv import _read_csv
from creditlab.io._values import parse_numbers
from creditlab.labels import text
from creditlab.modeling import logit, migration_matrix
from creditlab.modeling._logit import sigmoid

__all__ = ["AnalystToolkit", "analyst_toolkit", "read_default_rates"]


def read_default_rates(path) -> pd.DataFrame:
    """Read a default-rate history: a table with the columns ``year`` and ``default_rate``.

    Parameters
    ----------
    path : path-like or DataFrame
        A CSV file read as every export is (:mod:`creditlab.io`: encoding, ``,`` or ``;``
        separator, French decimals ``0,021``), or the table itself. ``default_rate`` is a
        fraction (0.021 for 2.1 %) in [0, 1), one row per year, years distinct.

    Returns
    -------
    DataFrame
        ``year`` (int) and ``default_rate`` (float), sorted by year.

    Raises
    ------
    InputError
        A missing file or column, a rate that is not a fraction, repeated years.
    """
    if isinstance(path, pd.DataFrame):
        raw, name = path.astype("str").replace({"nan": "", "None": "", "<NA>": ""}), "table"
    else:
        path = Path(path)
        if not path.is_file():
            raise InputError("default_rates", "a CSV file with the columns year,default_rate",
                             str(path), "check the path")
        raw, name = _read_csv(path)[0], repr(path.name)
    raw.columns = [str(c).strip() for c in raw.columns]
    missing = [c for c in ("year", "default_rate") if c not in raw.columns]
    if missing:
        raise InputError(f"default_rates {name}", "the columns year,default_rate",
                         list(raw.columns)[:5], "name the columns year and default_rate")
    years = pd.to_numeric(raw["year"].str.strip(), errors="coerce")
    rates = pd.to_numeric(parse_numbers(raw["default_rate"].astype("str").str.strip()),
                          errors="coerce")
    bad = years.isna() | (years % 1 != 0) | rates.isna() | (rates < 0) | (rates >= 1)
    if len(raw) == 0 or bad.any():
        shown = raw[bad].head(3).to_dict("records") if len(raw) else "no row"
        raise InputError(f"default_rates {name}",
                         "one row per year: an integer year and a rate as a fraction in [0, 1)",
                         shown, "write rates as fractions (0.021 for 2.1 %)")
    if years.duplicated().any():
        raise InputError(f"default_rates {name}", "each year once",
                         sorted(set(years[years.duplicated()].astype(int)))[:5],
                         "keep one rate per year")
    return (pd.DataFrame({"year": years.astype("int64"), "default_rate": rates.astype(float)})
            .sort_values("year", ignore_index=True))


@dataclass(frozen=True, eq=False)
class AnalystToolkit:
    """The toolkit's results for one calibration run (see the module docstring).

    Attributes
    ----------
    jeffreys : DataFrame
        One row per grade and a last ``portfolio`` row: ``n``, ``defaults``,
        ``observed_rate``, ``pd``, ``jeffreys_pvalue``, ``light``.
    auc_change : dict or None
        :func:`creditlab.modeling.auc_change_test` on the test sample.
    long_run : dict or None
        :func:`creditlab.modeling.long_run_average` of the history, plus ``pit_mean`` (mean
        exported PD of the training sample), ``shift`` (log-odds shift to the TTC level) and
        ``history`` (the table read).
    moc : float or None
        The margin of conservatism, in PD points.
    grade_pds : DataFrame or None
        Per grade: ``pd_pit`` (the exported central PD), ``pd_ttc`` (with a history),
        ``pd_final`` (with the margin); None when neither a history nor a margin is given.
    migration : dict or None
        :func:`creditlab.modeling.migration_matrix` (``counts``, ``stable``, ``mwb_upper``,
        ...), or None when no date or no identifier column is given; ``{"n": 0}`` when no
        obligor is in both periods.
    lang : str
    """

    jeffreys: pd.DataFrame
    auc_change: dict | None
    long_run: dict | None
    moc: float | None
    grade_pds: pd.DataFrame | None
    migration: dict | None
    lang: str = "fr"

    def summary(self) -> pd.Series:
        """The key figures in codes (NaN when the block is absent)."""
        nan = float("nan")
        mig = self.migration or {}
        return pd.Series({
            "portfolio_jeffreys_pvalue": float(self.jeffreys.loc["portfolio", "jeffreys_pvalue"]),
            "red_grades": int((self.jeffreys["light"].iloc[:-1] == "red").sum()),
            "auc_change_pvalue": self.auc_change["pvalue"] if self.auc_change else nan,
            "long_run_rate": self.long_run["rate"] if self.long_run else nan,
            "moc": nan if self.moc is None else self.moc,
            "migration_n": mig.get("n", 0), "mwb_upper": mig.get("mwb_upper", nan),
            "mwb_lower": mig.get("mwb_lower", nan)})

    def failed(self) -> list[str]:
        """``auc_change`` when the AUC fell significantly (red light), else empty."""
        return ["auc_change"] if self.auc_change and self.auc_change["light"] == "red" else []

    # --- views --------------------------------------------------------------------------------
    def views(self) -> list:
        """The blocks of the report in order: Jeffreys tests, AUC change, long-run average,
        margin of conservatism, migration matrix (or the sentence saying what each needs)."""
        from IPython.display import Markdown  # optional: reports

        lang = self.lang
        out = [Markdown(text("calib_tk_jeffreys_line", lang)), self.jeffreys_table()]
        if self.auc_change is None:
            out.append(Markdown(text("calib_tk_auc_needs", lang)))
        else:
            a = self.auc_change
            out += [Markdown(text("calib_tk_auc_line", lang,
                                  initial=format_number(a["auc_initial"], lang, 4),
                                  current=format_number(a["auc_current"], lang, 4),
                                  se=format_number(a["std_err"], lang, 4),
                                  p=format_number(a["pvalue"], lang, 4),
                                  light=text(f"calib_tk_light_{a['light']}", lang)))]
        if self.long_run is None:
            out.append(Markdown(text("calib_tk_lra_needs", lang)))
        else:
            r = self.long_run
            out.append(Markdown(text(
                "calib_tk_lra_line", lang, years=r["years"],
                first=int(r["history"]["year"].iloc[0]), last=int(r["history"]["year"].iloc[-1]),
                lra=format_pct(r["rate"], lang, 2), low=format_pct(r["min"], lang, 2),
                high=format_pct(r["max"], lang, 2), pit=format_pct(r["pit_mean"], lang, 2),
                shift=format_number(r["shift"], lang, 3))
                + (" " + text("calib_tk_lra_short", lang) if r["short_history"] else "")))
        out.append(Markdown(text("calib_tk_moc_needs", lang) if self.moc is None else
                            text("calib_tk_moc_line", lang, moc=format_pct(self.moc, lang, 2))))
        if self.grade_pds is not None:
            out.append(self.grade_pd_table())
        mig = self.migration
        if mig is None:
            out.append(Markdown(text("calib_tk_migration_needs", lang)))
        elif mig["n"] == 0:
            out.append(Markdown(text("calib_tk_migration_none", lang)))
        else:
            def pct(v):
                return "—" if np.isnan(v) else format_pct(v, lang, 1)

            out += [Markdown(text("calib_tk_migration_line", lang, n=mig["n"],
                                  stable=pct(mig["stable"]), up=pct(mig["upgrades"]),
                                  down=pct(mig["downgrades"]),
                                  upper=format_number(mig["mwb_upper"], lang, 3),
                                  lower=format_number(mig["mwb_lower"], lang, 3))),
                    mig["counts"].rename_axis(index=text("calib_tk_before", lang),
                                              columns=text("calib_tk_after", lang))]
        return out

    def jeffreys_table(self) -> pd.DataFrame:
        """The Jeffreys tests in words (rates and PDs as fractions, 4 decimals)."""
        lang = self.lang
        t = self.jeffreys.copy()
        t["light"] = [text(f"calib_tk_light_{v}", lang) for v in t["light"]]
        t = t.rename(index={"portfolio": text("calib_tk_portfolio", lang)})
        return t.round(4).rename(columns={c: text(f"calib_tk_{c}", lang) for c in t.columns})

    def grade_pd_table(self) -> pd.DataFrame:
        """The PD of each grade: exported (PIT), anchored (TTC), with the margin."""
        t = self.grade_pds
        return t.rename(columns={c: text(f"calib_tk_{c}", self.lang) for c in t.columns})


def analyst_toolkit(run, *, initial_auc=None, default_rates=None, moc=None,
                    lang: str | None = None) -> AnalystToolkit:
    """The toolkit of a calibration run (see the module docstring).

    Parameters
    ----------
    run : CalibrationRun
        The fitted and validated run; its exported PDs, master scale and grades are used.
    initial_auc : float, optional
        The AUC measured at the initial validation of the model.
    default_rates : path-like or DataFrame, optional
        The history of yearly default rates (:func:`read_default_rates`).
    moc : float, optional
        Margin of conservatism in PD points (0.002 = +0.2 point).
    lang : {"fr", "en"}, optional
        Words of the views; default the run's.

    Returns
    -------
    AnalystToolkit
    """
    lang = run.lang if lang is None else lang
    check_lang(lang)
    bt = run.backtest.table
    cols = ["n", "defaults", "observed_rate", "pd", "jeffreys_pvalue", "light"]
    port = run.portfolio_test
    jeff = pd.concat([bt[cols], pd.DataFrame(
        [{"n": port["n"], "defaults": port["defaults"], "observed_rate": port["observed_rate"],
          "pd": port["pd"], "jeffreys_pvalue": port["pvalue"], "light": port["light"]}],
        index=["portfolio"])])
    auc = None
    if initial_auc is not None:
        auc = mdl.auc_change_test(run.y_test.to_numpy(), run.pd_test, initial_auc)  # checked there
    central = np.asarray(run.scale.central_pd, dtype="float64")
    grade_pds = pd.DataFrame({"pd_pit": central}, index=pd.Index(run.scale.labels,
                                                                    name="grade"))
    long_run = None
    if default_rates is not None:
        history = read_default_rates(default_rates)  # a file or a table, checked alike
        rates = history["default_rate"].to_numpy(dtype="float64")
        # arithmetic mean of the yearly rates (EBA GL/2017/16 § 80): each rate as D/N with N=1
        long_run = mdl.long_run_average(rates, np.ones_like(rates))
        ttc_train = mdl.anchor_to_long_run(run.pd_train, long_run["rate"])
        inner = (run.pd_train > 0) & (run.pd_train < 1)
        shift = float(np.median(logit(ttc_train[inner]) - logit(run.pd_train[inner])))
        long_run.update(history=history, pit_mean=float(np.mean(run.pd_train)), shift=shift)
        grade_pds["pd_ttc"] = sigmoid(logit(central) + shift)
    if moc is not None:
        moc = float(moc)
        base = grade_pds.iloc[:, -1].to_numpy()
        grade_pds["pd_final"] = mdl.margin_of_conservatism(base, moc)
    migration = _migration(run) if run.sample.ids is not None else None
    return AnalystToolkit(jeffreys=jeff, auc_change=auc, long_run=long_run, moc=moc,
                          grade_pds=grade_pds if grade_pds.shape[1] > 1 else None,
                          migration=migration, lang=lang)


def _migration(run) -> dict | None:
    """Grades of the obligors present in both periods: their last development grade and their
    last out-of-time grade (exported model). None without an out-of-time split."""
    sample = run.sample
    if sample.dates is None or run.settings.get("test_from") is None:
        return None
    ids, dates = sample.ids, sample.dates

    def last_grade(X, grades):
        frame = pd.DataFrame({"id": ids[X.index].to_numpy(), "date": dates[X.index].to_numpy(),
                              "grade": np.asarray(grades, dtype=object)})
        frame = frame[frame["id"].notna()]
        return frame.sort_values("date", kind="stable").groupby("id")["grade"].last()

    before = last_grade(run.X_train, run.scale.grade(run.pd_train))
    after = last_grade(run.X_test, run.grades_test)
    both = before.index.intersection(after.index)
    if len(both) == 0:
        return {"n": 0}
    return migration_matrix(before[both].to_numpy(), after[both].to_numpy(),
                            order=list(run.scale.labels))
