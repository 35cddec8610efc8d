"""Ratio catalogue of French financial analysis: profitability, structure, liquidity, activity in
days, repayment capacity, interest burden, growth.

Every ratio has a name, French and English labels, a formula, a unit, a direction (is higher
better?) and a zero-denominator policy. A denominator that makes the ratio meaningless (zero, or
zero-or-negative where the sign would flip the reading: negative equity, negative EBE, negative
CAF, negative VA) gives **NaN, never inf**, and the ``nan_reasons`` column of :func:`ratios` says
why in words.

Units: ``fraction`` (0.12 = 12 %), ``days``, ``years``, ``times``. Days use the length of the
fiscal year: ``days = 365 × months / 12`` (365 for a 12-month year).

Sources: SIG and functional balance sheet of the French PCG (DOMAIN.md §0); DSO from the accounts
on a TTC basis with the effets escomptés non échus added back (DOMAIN.md §6.1, finance-technique.com
example 472 / (2 400 × 1.196) × 365 = 60 days); repayment capacity "dettes financières / CAF" in
years (French bank practice: < 3-4 years); AFDCC 3 ratio families (FRNG and trésorerie in days of
sales; DOMAIN.md §3).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from creditlab.exceptions import InputError
from creditlab.i18n import check_lang
from creditlab.labels import text
from creditlab.statements._common import (
    as_series_like,
    check_choice,
    col,
    reasons_series,
    require_columns,
    safe_div,
)
from creditlab.statements.balance import BALANCE_COLUMNS, _arrays, functional_balance_sheet
from creditlab.statements.sig import INCOME_COLUMNS, caf, sig

__all__ = ["Ratio", "RATIOS", "RATIO_FAMILIES", "ratio_catalogue", "ratios", "ratio_trends", "ratio_words",
           "sector_quartiles"]

RATIO_FAMILIES: dict[str, dict[str, str]] = {
    "profitability": {"fr": "rentabilité", "en": "profitability"},
    "structure": {"fr": "structure financière", "en": "financial structure"},
    "liquidity": {"fr": "liquidité", "en": "liquidity"},
    "activity": {"fr": "activité (rotations en jours)", "en": "activity (days)"},
    "repayment": {"fr": "capacité de remboursement", "en": "repayment capacity"},
    "interest": {"fr": "poids des charges", "en": "charges burden"},
    "growth": {"fr": "croissance", "en": "growth"},
}


@dataclass(frozen=True)
class Ratio:
    """One ratio of the catalogue.

    ``rule`` is the zero-denominator policy: ``"nonzero"`` (NaN when the denominator is 0) or
    ``"positive"`` (NaN when it is 0 or negative, because a negative denominator inverts the
    reading). ``reason_fr``/``reason_en`` is the text put in ``nan_reasons`` in that case.
    """

    name: str
    label_fr: str
    label_en: str
    family: str
    formula: str
    unit: str
    direction: str  # "higher_better" | "lower_better" | "neutral"
    rule: str
    reason_fr: str
    reason_en: str
    parts: Callable[[dict], tuple[np.ndarray, np.ndarray]]
    scale: str = ""  # "days" multiplies by the days of the fiscal year; "growth" subtracts 1


def _R(name, fr, en, family, formula, unit, direction, rule, rfr, ren, parts, scale=""):
    return Ratio(name, fr, en, family, formula, unit, direction, rule, rfr, ren, parts, scale)


_CA0 = ("chiffre d'affaires nul ou négatif", "zero or negative sales")
_TA0 = ("total du bilan nul", "zero total assets")
_EQ0 = ("capitaux propres négatifs ou nuls", "negative or zero equity")
_ST0 = ("dettes à court terme nulles", "no current liabilities")
_PREV = ("exercice précédent absent ou base négative ou nulle",
         "previous year missing or its base negative or zero")

RATIOS: tuple[Ratio, ...] = (
    # profitability
    _R("ebe_margin", "taux de marge d'EBE", "EBITDA margin", "profitability",
       "EBE / CA HT", "fraction", "higher_better", "positive", *_CA0,
       lambda x: (x["ebe"], x["revenue"])),
    _R("operating_margin", "marge d'exploitation", "operating margin", "profitability",
       "résultat d'exploitation / CA HT", "fraction", "higher_better", "positive", *_CA0,
       lambda x: (x["operating_result"], x["revenue"])),
    _R("net_margin", "marge nette", "net margin", "profitability",
       "résultat net / CA HT", "fraction", "higher_better", "positive", *_CA0,
       lambda x: (x["net_income"], x["revenue"])),
    _R("value_added_rate", "taux de valeur ajoutée", "value-added rate", "profitability",
       "valeur ajoutée / CA HT", "fraction", "higher_better", "positive", *_CA0,
       lambda x: (x["value_added"], x["revenue"])),
    _R("caf_to_sales", "CAF / chiffre d'affaires", "cash flow to sales", "profitability",
       "CAF / CA HT", "fraction", "higher_better", "positive", *_CA0,
       lambda x: (x["caf"], x["revenue"])),
    _R("roe", "rentabilité financière", "return on equity", "profitability",
       "résultat net / capitaux propres", "fraction", "higher_better", "positive", *_EQ0,
       lambda x: (x["net_income"], x["equity"])),
    _R("roa", "rentabilité économique", "return on assets", "profitability",
       "résultat d'exploitation / total du bilan", "fraction", "higher_better", "positive", *_TA0,
       lambda x: (x["operating_result"], x["total_assets"])),
    # structure
    _R("equity_ratio", "autonomie financière", "equity ratio", "structure",
       "capitaux propres / total du bilan", "fraction", "higher_better", "positive", *_TA0,
       lambda x: (x["equity"], x["total_assets"])),
    _R("gearing", "gearing (dettes financières / capitaux propres)", "gearing", "structure",
       "(dettes financières + concours bancaires courants) / capitaux propres", "fraction",
       "lower_better", "positive", *_EQ0,
       lambda x: (x["financial_debt"], x["equity"])),
    _R("net_gearing", "endettement financier net / capitaux propres", "net gearing", "structure",
       "(dettes financières + concours bancaires − VMP − disponibilités) / capitaux propres",
       "fraction", "lower_better", "positive", *_EQ0,
       lambda x: (x["net_financial_debt"], x["equity"])),
    _R("permanent_capital_ratio", "capitaux permanents / total du bilan",
       "permanent capital to total assets", "structure",
       "(capitaux propres + provisions + dettes financières) / total du bilan", "fraction",
       "higher_better", "positive", *_TA0,
       lambda x: (x["permanent_capital"], x["total_assets"])),
    _R("debt_ratio", "taux d'endettement global", "debt ratio", "structure",
       "dettes totales / total du bilan", "fraction", "lower_better", "positive", *_TA0,
       lambda x: (x["total_debt"], x["total_assets"])),
    _R("frng_days", "FRNG en jours de CA", "net working capital in days of sales", "structure",
       "FRNG / CA HT × jours", "days", "higher_better", "positive", *_CA0,
       lambda x: (x["frng"], x["revenue"]), "days"),
    _R("bfr_days", "BFR en jours de CA", "working-capital requirement in days of sales",
       "structure", "BFR / CA HT × jours", "days", "lower_better", "positive", *_CA0,
       lambda x: (x["bfr"], x["revenue"]), "days"),
    _R("net_cash_days", "trésorerie nette en jours de CA", "net cash in days of sales",
       "structure", "trésorerie nette / CA HT × jours", "days", "higher_better", "positive",
       *_CA0, lambda x: (x["net_cash"], x["revenue"]), "days"),
    # liquidity
    _R("current_ratio", "liquidité générale", "current ratio", "liquidity",
       "actif circulant / dettes à court terme", "times", "higher_better", "positive", *_ST0,
       lambda x: (x["current_assets"], x["short_term_liabilities"])),
    _R("quick_ratio", "liquidité réduite", "quick ratio", "liquidity",
       "(actif circulant − stocks) / dettes à court terme", "times", "higher_better", "positive",
       *_ST0, lambda x: (x["current_assets"] - x["inventories"], x["short_term_liabilities"])),
    _R("cash_ratio", "liquidité immédiate", "cash ratio", "liquidity",
       "(VMP + disponibilités) / dettes à court terme", "times", "higher_better", "positive",
       *_ST0, lambda x: (x["cash_assets"], x["short_term_liabilities"])),
    # activity
    _R("dso_days", "délai de paiement clients (DSO)", "days sales outstanding (DSO)", "activity",
       "(clients + effets escomptés non échus) / (CA HT × (1 + TVA)) × jours", "days",
       "lower_better", "positive", *_CA0,
       lambda x: (x["trade_receivables"] + x["discounted_bills"], x["revenue"] * x["vat_factor"]),
       "days"),
    _R("dpo_days", "délai de paiement fournisseurs (DPO)", "days payables outstanding (DPO)",
       "activity",
       "fournisseurs / ((achats de marchandises + achats de matières + autres achats et charges "
       "externes) × (1 + TVA)) × jours", "days", "neutral", "positive",
       "achats nuls", "zero purchases",
       lambda x: (x["trade_payables"], x["purchases"] * x["vat_factor"]), "days"),
    _R("stock_days", "rotation des stocks en jours de CA", "inventory in days of sales",
       "activity", "stocks / CA HT × jours", "days", "lower_better", "positive", *_CA0,
       lambda x: (x["inventories"], x["revenue"]), "days"),
    _R("asset_turnover", "rotation de l'actif", "asset turnover", "activity",
       "CA HT / total du bilan", "times", "higher_better", "positive", *_TA0,
       lambda x: (x["revenue"], x["total_assets"])),
    # repayment capacity
    _R("debt_to_caf", "capacité de remboursement (dettes financières / CAF)",
       "repayment capacity (financial debt / cash flow)", "repayment",
       "(dettes financières + concours bancaires courants) / CAF", "years", "lower_better",
       "positive", "CAF négative ou nulle : capacité de remboursement non mesurable",
       "negative or zero cash flow: repayment capacity not measurable",
       lambda x: (x["financial_debt"], x["caf"])),
    _R("caf_to_debt", "CAF / dettes totales", "cash flow to total debt", "repayment",
       "CAF / dettes totales", "fraction", "higher_better", "positive",
       "dettes totales nulles", "zero total debt",
       lambda x: (x["caf"], x["total_debt"])),
    # charges burden
    _R("interest_to_ebe", "frais financiers / EBE", "interest to EBITDA", "interest",
       "intérêts et charges assimilées (661) / EBE", "fraction", "lower_better", "positive",
       "EBE négatif ou nul", "negative or zero EBITDA",
       lambda x: (x["interest_charges"], x["ebe"])),
    _R("interest_to_sales", "frais financiers / CA", "interest to sales", "interest",
       "intérêts et charges assimilées (661) / CA HT", "fraction", "lower_better", "positive",
       *_CA0, lambda x: (x["interest_charges"], x["revenue"])),
    _R("personnel_to_va", "charges de personnel / valeur ajoutée", "personnel costs to value added",
       "interest", "charges de personnel / valeur ajoutée", "fraction", "lower_better",
       "positive", "valeur ajoutée négative ou nulle", "negative or zero value added",
       lambda x: (x["personnel_charges"], x["value_added"])),
    # growth (year over year, same firm, previous fiscal year)
    _R("sales_growth", "croissance du chiffre d'affaires", "sales growth", "growth",
       "CA HT (N) / CA HT (N−1) − 1", "fraction", "higher_better", "positive", *_PREV,
       lambda x: (x["revenue"], x["prev_revenue"]), "growth"),
    _R("value_added_growth", "croissance de la valeur ajoutée", "value-added growth", "growth",
       "VA (N) / VA (N−1) − 1", "fraction", "higher_better", "positive", *_PREV,
       lambda x: (x["value_added"], x["prev_value_added"]), "growth"),
    _R("ebe_growth", "croissance de l'EBE", "EBITDA growth", "growth",
       "EBE (N) / EBE (N−1) − 1", "fraction", "higher_better", "positive", *_PREV,
       lambda x: (x["ebe"], x["prev_ebe"]), "growth"),
    _R("equity_growth", "croissance des capitaux propres", "equity growth", "growth",
       "capitaux propres (N) / capitaux propres (N−1) − 1", "fraction", "higher_better",
       "positive", *_PREV, lambda x: (x["equity"], x["prev_equity"]), "growth"),
)

_BY_NAME = {r.name: r for r in RATIOS}
_ID_COLS = ("customer_id", "fiscal_year")


def ratio_catalogue(lang: str = "fr") -> pd.DataFrame:
    """The ratio catalogue as a DataFrame indexed by ratio name.

    Columns: ``label`` (in ``lang``), ``label_fr``, ``label_en``, ``family``, ``formula``,
    ``unit``, ``direction``, ``zero_denominator`` (policy), ``nan_reason``.
    """
    check_lang(lang)
    rows = []
    for r in RATIOS:
        rows.append({
            "name": r.name, "label": r.label_fr if lang == "fr" else r.label_en,
            "label_fr": r.label_fr, "label_en": r.label_en,
            "family": RATIO_FAMILIES[r.family][lang], "formula": r.formula, "unit": r.unit,
            "direction": r.direction,
            "zero_denominator": ("NaN si dénominateur ≤ 0" if r.rule == "positive"
                                 else "NaN si dénominateur = 0") if lang == "fr" else
                                ("NaN if denominator <= 0" if r.rule == "positive"
                                 else "NaN if denominator = 0"),
            "nan_reason": r.reason_fr if lang == "fr" else r.reason_en,
        })
    return pd.DataFrame(rows).set_index("name")


def _select(names: Sequence[str] | None) -> list[Ratio]:
    if names is None:
        return list(RATIOS)
    if isinstance(names, str):
        names = [names]
    unknown = [n for n in names if n not in _BY_NAME]
    if unknown:
        raise InputError("names", f"ratio names from RATIOS {sorted(_BY_NAME)}", unknown,
                         "see creditlab.statements.ratio_catalogue()")
    return [_BY_NAME[n] for n in names]


def _vat_factor(vat_rate, index: pd.Index) -> np.ndarray:
    v = as_series_like(vat_rate, index, "vat_rate")
    vals = pd.to_numeric(v, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    if np.isnan(vals).any() or (vals < 0).any() or (vals >= 1).any():
        raise InputError("vat_rate", "a VAT rate as a fraction in [0, 1) (0.20 for 20 %)",
                         vat_rate if np.isscalar(vat_rate) else "values outside [0, 1) or NaN",
                         "pass vat_rate=0.2 (not 20); 0 for sales without VAT (exports)")
    return 1.0 + vals


def _previous(fs: pd.DataFrame, values: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Values of the previous fiscal year of the same firm (NaN when absent)."""
    n = len(fs)
    names = ("revenue", "value_added", "ebe", "equity")
    if not set(_ID_COLS) <= set(fs.columns):
        return {f"prev_{k}": np.full(n, np.nan) for k in names}
    keys = pd.DataFrame({"customer_id": fs["customer_id"].to_numpy(),
                         "fiscal_year": pd.to_numeric(fs["fiscal_year"], errors="coerce")
                         .to_numpy()})
    dup = keys.duplicated(keep=False)
    if dup.any():
        first = keys[dup].iloc[0]
        raise InputError("fs", "one row per (customer_id, fiscal_year)",
                         f"{int(dup.sum())} duplicated rows, e.g. {first['customer_id']} "
                         f"{first['fiscal_year']}", "drop or aggregate the duplicated statements")
    table = keys.copy()
    for k in names:
        table[k] = values[k]
    table["fiscal_year"] = table["fiscal_year"] + 1  # row of year N-1 serves year N
    merged = keys.merge(table, on=["customer_id", "fiscal_year"], how="left")
    return {f"prev_{k}": merged[k].to_numpy(dtype="float64") for k in names}


def _context(fs: pd.DataFrame, vat_rate, check: str) -> tuple[dict[str, np.ndarray], np.ndarray]:
    require_columns(fs, INCOME_COLUMNS + BALANCE_COLUMNS)
    s = sig(fs, check=check)
    b = functional_balance_sheet(fs, check=check)
    cf = caf(fs, check=check)
    x: dict[str, np.ndarray] = {k: v.to_numpy(dtype="float64") for k, v in s.items()
                                if k != "net_income_ok"}
    x.update(_arrays(fs))
    x["caf"] = cf["caf"].to_numpy(dtype="float64")
    for name in INCOME_COLUMNS + BALANCE_COLUMNS + ("discounted_bills",):
        x.setdefault(name, col(fs, name))
    x["cash_assets"] = x["marketable_securities"] + x["cash"]
    x["purchases"] = x["purchases_goods"] + x["purchases_materials"] + x["external_charges"]
    x["vat_factor"] = _vat_factor(vat_rate, fs.index)
    months = (pd.to_numeric(fs["months"], errors="coerce").to_numpy(dtype="float64")
              if "months" in fs.columns else np.full(len(fs), 12.0))
    if (months <= 0).any():
        raise InputError("fs.months", "a fiscal-year length in months > 0", "values <= 0",
                         "set months to the length of the fiscal year (12 for a full year)")
    x["days"] = 365.0 * months / 12.0
    x.update(_previous(fs, x))
    consistent = s["net_income_ok"].to_numpy() & b["balance_ok"].to_numpy()
    return x, consistent


def ratios(fs: pd.DataFrame, vat_rate: float | pd.Series = 0.2, *,
           names: Sequence[str] | None = None, check: str = "raise") -> pd.DataFrame:
    """Compute the ratio catalogue for every firm-year.

    Parameters
    ----------
    fs : DataFrame
        ``financial_statements`` rows (all income-statement and balance-sheet columns;
        ``customer_id`` and ``fiscal_year`` for the growth ratios; ``months`` for the day
        counts, 12 when absent; ``discounted_bills`` optional, 0 when absent).
    vat_rate : float or Series, default 0.20
        VAT rate as a fraction, used to put sales and purchases on a TTC basis for DSO and DPO
        (DOMAIN.md §6.1: receivables are TTC, so sales must be too). A Series is aligned on
        ``fs.index`` (one rate per firm-year, 0 for exporters).
    names : list of str, optional
        Subset of ratio names (default: all of :data:`RATIOS`).
    check : {"raise", "flag"}
        Consistency checks of :func:`sig`, :func:`caf` and :func:`functional_balance_sheet`:
        raise on inconsistent statements, or compute anyway and report them in ``consistent``.

    Returns
    -------
    DataFrame
        Index of ``fs``; ``customer_id`` and ``fiscal_year`` when present, one float column per
        ratio (units in :func:`ratio_catalogue`), ``consistent`` (bool) and ``nan_reasons``
        (codes ``"<ratio>:undefined;<ratio>:missing;..."`` for every NaN ratio — undefined by
        the zero-denominator rule, or a missing input —, ``""`` when none);
        :func:`ratio_words` writes them as ``"ratio: reason; ..."``.

    Notes
    -----
    Zero-denominator policy: NaN, never inf; rule per ratio in :data:`RATIOS`. A NaN caused by a
    missing input is reported as "donnée manquante". Growth ratios compare with the same
    ``customer_id`` at ``fiscal_year − 1`` and are not annualised when fiscal years differ in
    length.
    """
    check_choice(check, "check", ("raise", "flag"))
    selected = _select(names)
    x, consistent = _context(fs, vat_rate, check)
    out: dict[str, np.ndarray] = {}
    flags: dict[str, np.ndarray] = {}
    texts: dict[str, str] = {}
    for r in selected:
        num, den = r.parts(x)
        val, undefined = safe_div(num, den, positive=(r.rule == "positive"))
        if r.scale == "days":
            val = val * x["days"]
        elif r.scale == "growth":
            undefined = undefined | np.isnan(den)
            val = np.where(undefined, np.nan, val - 1.0)
        out[r.name] = val
        nan = np.isnan(val)
        flags[r.name] = undefined & nan
        texts[r.name] = f"{r.name}:undefined"
        flags[r.name + "__missing"] = nan & ~undefined
        texts[r.name + "__missing"] = f"{r.name}:missing"
    res = pd.DataFrame(out, index=fs.index, copy=False)  # fresh arrays: no consolidation copy
    front = [c for c in _ID_COLS if c in fs.columns]
    if front:
        res = pd.concat([fs[front], res], axis=1)
    res["consistent"] = consistent
    res["nan_reasons"] = reasons_series(flags, texts, fs.index, sep=";")
    return res


def ratio_trends(fs: pd.DataFrame, customer_id: str, *, names: Sequence[str] | None = None,
                 vat_rate: float = 0.2) -> pd.DataFrame:
    """Year-over-year view of one firm's ratios.

    Parameters
    ----------
    fs : DataFrame
        ``financial_statements`` (any number of firms; the firm's previous years are used for
        growth ratios).
    customer_id : str
        The firm.
    names : list of str, optional
        Ratios to show (default: all).
    vat_rate : float
        See :func:`ratios`.

    Returns
    -------
    DataFrame
        One row per ratio (index = ratio name): ``unit``, ``direction``, one column per
        fiscal year (ascending), ``change`` (last − previous year, in the ratio's unit) and
        ``trend`` (code: ``improving`` / ``worsening`` / ``stable`` / ``unknown``) read with the
        ratio's direction (a change within 1 % of the previous value is stable; ratios without
        a direction, such as DPO, read ``up`` / ``down``). :func:`ratio_words` adds the ratio's
        ``label`` and writes the trend in words (amélioration, dégradation, ...).
    """
    require_columns(fs, ())
    if "customer_id" not in fs.columns or "fiscal_year" not in fs.columns:
        raise InputError("fs", "columns customer_id and fiscal_year", "missing",
                         "pass the canonical financial_statements table")
    mask = (fs["customer_id"] == customer_id).to_numpy()
    if not mask.any():
        raise InputError("customer_id", "a customer_id present in the statements", customer_id,
                         "check the id (e.g. fs['customer_id'].unique())")
    selected = _select(names)
    r = ratios(fs, vat_rate, names=[s.name for s in selected], check="flag")
    firm = r.loc[mask].sort_values("fiscal_year")
    years = [int(y) for y in firm["fiscal_year"]]
    table = firm[[s.name for s in selected]].T
    table.columns = years
    cat = ratio_catalogue().loc[[s.name for s in selected], ["unit", "direction"]]
    out = pd.concat([cat, table], axis=1)
    if len(years) >= 2:
        last, prev = out[years[-1]].astype(float), out[years[-2]].astype(float)
        change = last - prev
    else:
        change = pd.Series(np.nan, index=out.index)
        prev = change
    out["change"] = change
    labels = ("improving", "worsening", "stable", "unknown", "up", "down")
    sign = np.where(out["direction"] == "higher_better", 1.0,
                    np.where(out["direction"] == "lower_better", -1.0, 0.0))
    ch = change.to_numpy(dtype="float64")
    stable = np.abs(ch) <= 0.01 * np.abs(prev.to_numpy(dtype="float64"))
    neutral = np.where(ch > 0, labels[4], labels[5])
    trend = np.where(np.isnan(ch), labels[3],
                     np.where(stable, labels[2],
                              np.where(sign == 0, neutral,
                                       np.where(ch * sign > 0, labels[0], labels[1]))))
    out["trend"] = trend
    out.index.name = "ratio"
    return out


def ratio_words(table: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """A :func:`ratios` or :func:`ratio_trends` table with its codes in words.

    ``nan_reasons`` becomes ``"ratio: reason; ..."`` (the reasons of :data:`RATIOS`, or
    "donnée manquante"); a trends table gets the ratio's ``label`` first and its ``trend`` in
    words (amélioration, dégradation, stable, —, hausse, baisse; English with ``lang="en"``).
    """
    lang = check_lang(lang)
    out = table.copy()
    if "nan_reasons" in out.columns:
        def words(codes: str) -> str:
            parts = []
            for c in codes.split(";"):
                if not c:
                    continue
                name, kind = c.split(":")
                r = _BY_NAME.get(name)
                why = (text("ratio_reason.missing", lang) if kind == "missing" or r is None
                       else (r.reason_fr if lang == "fr" else r.reason_en))
                parts.append(f"{name}: {why}")
            return "; ".join(parts)
        uniq = {c: words(c) for c in out["nan_reasons"].dropna().unique()}
        out["nan_reasons"] = out["nan_reasons"].map(uniq).astype("str")
    if "trend" in out.columns and "direction" in out.columns:
        out["trend"] = out["trend"].map(lambda c: text(f"ratio_trend.{c}", lang)).astype("str")
        names = ratio_catalogue(lang)["label"]
        out.insert(0, "label", out.index.map(lambda n: names.get(n, n)))
    return out


def sector_quartiles(ratio_table: pd.DataFrame, sector, *, names: Sequence[str] | None = None,
                     fiscal_year: int | None = None, min_firms: int = 5) -> pd.DataFrame:
    """Sector quartiles of the ratios (the benchmark a firm is compared with).

    Parameters
    ----------
    ratio_table : DataFrame
        Output of :func:`ratios` (with ``customer_id`` and ``fiscal_year``).
    sector : str, Series or mapping
        Sector per row: the name of a column of ``ratio_table``, or a Series / dict mapping
        ``customer_id`` to its sector (e.g. ``customers.set_index("customer_id")["sector"]``).
    names : list of str, optional
        Ratios (default: every ratio column present).
    fiscal_year : int, optional
        Keep only that fiscal year (default: all rows).
    min_firms : int, default 5
        Quartiles of a sector with fewer non-NaN values are NaN (too few firms to compare).

    Returns
    -------
    DataFrame indexed by (``sector``, ``ratio``): ``n``, ``q1``, ``median``, ``q3`` (NaN values
    ignored).
    """
    if not {"customer_id", "fiscal_year"} <= set(ratio_table.columns):
        raise InputError("ratio_table", "the output of creditlab.statements.ratios (with "
                         "customer_id and fiscal_year)", list(ratio_table.columns)[:5],
                         "compute ratios(fs) on the canonical statements")
    t = ratio_table
    if fiscal_year is not None:
        t = t[t["fiscal_year"] == fiscal_year]
    if isinstance(sector, str) and sector in t.columns:
        sec = t[sector]
    else:
        mapping = sector if isinstance(sector, pd.Series) else pd.Series(sector)
        sec = t["customer_id"].map(mapping)
    if names is None:
        names = [r.name for r in RATIOS if r.name in t.columns]
    else:
        _select(names)
    long = t[list(names)].assign(sector=sec.to_numpy()).melt(id_vars="sector", var_name="ratio")
    long = long.dropna(subset=["sector", "value"])
    g = long.groupby(["sector", "ratio"])["value"]
    out = pd.DataFrame({"n": g.size(), "q1": g.quantile(0.25), "median": g.median(),
                        "q3": g.quantile(0.75)})
    few = out["n"] < min_firms
    out.loc[few, ["q1", "median", "q3"]] = np.nan
    return out
