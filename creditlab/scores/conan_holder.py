"""Conan & Holder (1979) score, canonical form on fractions.

Formula (DOMAIN.md §1.1)::

    Z = 24·R1 + 22·R2 + 16·R3 − 87·R4 − 10·R5

with ratios as **fractions**: R1 = EBE / dettes totales, R2 = capitaux permanents / total actif,
R3 = réalisable et disponible / total actif, R4 = frais financiers / CA HT, R5 = charges de
personnel / valeur ajoutée. The textbook form ``0.24·R1 + …`` with ratios in percent gives the
same number; ``0.24·R1 + …`` with fractions would need thresholds 0.16 / 0.09 / 0.04 (DOMAIN.md
§1.3, pitfall 1) — creditlab only uses the canonical form.

Bands (DOMAIN.md §1.2, MEDIUM): Z ≥ 16 très bonne situation (P(failure) < 10 %); 9 ≤ Z < 16
bonne situation / prudence (10-30 %); 4 ≤ Z < 9 alerte (30-65 %); Z < 4 danger (> 65 %).
The failure probability is an **indicative** linear interpolation in the textbook point table of
DOMAIN.md §1.2 (WEAK: not seen in a primary source), horizon about 3 years.

Domain of validity: industrial firms with turnover between 1.5 and 75 M€ (urios.com, DOMAIN.md
§1.1, §1.3); results outside are flagged ``valid = False``.

Sources: Conan J., Holder M. (1979), "Variables explicatives de performances et contrôle de
gestion dans les PMI", thèse, Université Paris-Dauphine, as summarised in
https://www.yumpu.com/en/document/view/5912815/ (coefficients) and https://urios.com/fr/?p=3755
(validity domain, 6.8 breakpoint).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from creditlab.scores._columns import code_column, denominator, flag_column
from creditlab.scores._sector import sector_flags
from creditlab.scores.codes import ConanHolderBand
from creditlab.statements._common import check_choice, col, require_columns
from creditlab.statements.balance import BALANCE_COLUMNS, _arrays
from creditlab.statements.sig import INCOME_COLUMNS, _sig_arrays
from creditlab.statements.sig import financial_charges as _financial_charges

__all__ = ["CONAN_HOLDER_COEFFICIENTS", "CONAN_HOLDER_BANDS", "CONAN_HOLDER_PROBABILITY_TABLE",
           "conan_holder", "conan_holder_from_ratios"]

#: Canonical coefficients, ratios as fractions (DOMAIN.md §1.1).
CONAN_HOLDER_COEFFICIENTS: dict[str, float] = {"r1": 24.0, "r2": 22.0, "r3": 16.0, "r4": -87.0,
                                               "r5": -10.0}
#: Bands as (lower bound, code, French label, English label, indicative probability range);
#: a score belongs to the last band whose lower bound it reaches (DOMAIN.md §1.2). Codes are
#: :class:`~creditlab.scores.codes.ConanHolderBand` members, words from the label catalogue.
CONAN_HOLDER_BANDS: tuple[tuple[float, str, str, str, str], ...] = tuple(
    (lo, str(b), b.label("fr"), b.label("en"), p) for lo, b, p in (
        (-np.inf, ConanHolderBand.DANGER, "> 65 %"),
        (4.0, ConanHolderBand.WARNING, "30-65 %"),
        (9.0, ConanHolderBand.CAUTION, "10-30 %"),
        (16.0, ConanHolderBand.VERY_GOOD, "< 10 %")))
#: Textbook point table Z → P(failure within ~3 years). WEAK (DOMAIN.md §1.2, §13 item 4):
#: used only for the *indicative* interpolated probability.
CONAN_HOLDER_PROBABILITY_TABLE: tuple[tuple[float, float], ...] = (
    (-21.0, 1.00), (-4.8, 0.90), (0.2, 0.80), (1.6, 0.70), (4.0, 0.65), (6.8, 0.50),
    (8.5, 0.40), (10.2, 0.30), (13.1, 0.20), (16.0, 0.10),
)
#: Validity domain (urios.com): industrial firms, CA HT in [1.5 M€, 75 M€].
VALID_SECTOR = "industrie"
VALID_REVENUE = (1.5e6, 75e6)

#: Why a score is NaN: flag → code of the catalogue (``score_reason.<code>``).
_REASONS = {"r1": "r1_zero_debt", "r2": "r2_r3_assets", "r4": "r4_sales",
            "r5": "r5_value_added", "missing": "missing"}
#: Why a score is outside its validity domain (``score_note.<code>``).
_NOTES = {"sector": "not_industrial", "no_sector": "no_sector", "size": "revenue_out_of_range"}


def _band(z: np.ndarray) -> np.ndarray:
    """Band position per score (-1 where NaN): how many band lower bounds it reaches."""
    pos = np.zeros(len(z), dtype=np.int8)
    for lower, *_ in CONAN_HOLDER_BANDS[1:]:
        pos += z >= lower
    pos[np.isnan(z)] = -1
    return pos


#: Band codes, worst first (the categories of the ``band`` column).
_BAND_CODES = [str(b[1]) for b in CONAN_HOLDER_BANDS]


def _probability(z: np.ndarray) -> np.ndarray:
    xs = np.array([p[0] for p in CONAN_HOLDER_PROBABILITY_TABLE])
    ys = np.array([p[1] for p in CONAN_HOLDER_PROBABILITY_TABLE])
    out = np.interp(z, xs, ys)  # clamps to 100 % below −21 and 10 % above 16
    out[np.isnan(z)] = np.nan
    return out


def conan_holder_from_ratios(r1, r2, r3, r4, r5) -> pd.DataFrame:
    """Conan-Holder score from the five ratios given as **fractions**.

    Parameters
    ----------
    r1, r2, r3, r4, r5 : float, array-like or Series
        EBE / dettes totales, capitaux permanents / total actif, réalisable et disponible /
        total actif, frais financiers / CA HT, charges de personnel / VA (fractions, e.g. 0.20).
        Series keep their index.

    Returns
    -------
    DataFrame
        ``r1``…``r5``, ``score``, ``band`` (``category`` of codes, worst first: danger,
        warning, caution, very_good; words with :func:`creditlab.scores.score_words`),
        ``failure_prob_indicative`` (fraction; interpolated in the WEAK textbook table, 0.10
        above Z = 16 means "< 10 %", 1.0 below Z = −21).

    Examples
    --------
    DOMAIN.md §12 T1: ``conan_holder_from_ratios(0.20, 0.55, 0.35, 0.01, 0.666667)`` gives
    Z = 14.9633, band 9-16 (``caution``).
    """
    index = next((r.index for r in (r1, r2, r3, r4, r5) if isinstance(r, pd.Series)), None)
    arrs = [np.atleast_1d(np.asarray(r, dtype="float64")) for r in (r1, r2, r3, r4, r5)]
    arrs = np.broadcast_arrays(*arrs)
    if index is None:
        index = pd.RangeIndex(len(arrs[0]))
    r = dict(zip(("r1", "r2", "r3", "r4", "r5"), arrs, strict=True))
    return pd.DataFrame({**r, **_score_columns(r)}, index=index)


def _score_columns(r: dict[str, np.ndarray]) -> dict:
    """``score``, ``band`` (codes) and ``failure_prob_indicative`` from the five ratios."""
    k = CONAN_HOLDER_COEFFICIENTS
    z = k["r1"] * r["r1"]
    for name in ("r2", "r3", "r4", "r5"):
        z += k[name] * r[name]
    return {"score": z, "band": code_column(_band(z), _BAND_CODES),
            "failure_prob_indicative": _probability(z)}


def conan_holder(fs: pd.DataFrame, *, financial_charges: str = "interest",
                 sector=None) -> pd.DataFrame:
    """Conan-Holder score of every firm-year of a ``financial_statements`` table.

    Parameters
    ----------
    fs : DataFrame
        ``financial_statements`` rows. A ``sector`` column (sector groups of
        ``creditlab.io.tables.SECTORS``) is used for the validity flag when present.
    financial_charges : {"interest", "total"}
        R4 numerator: ``"interest"`` = intérêts et charges assimilées (PCG 661, default,
        textbooks) or ``"total"`` = all financial charges excl. provisions (PCG 66)
        (DOMAIN.md §1.3).
    sector : str, Series or sequence, optional
        Sector group per row (overrides ``fs["sector"]``); unknown sector → not valid.

    Returns
    -------
    DataFrame
        Index of ``fs``: ``r1``…``r5`` (fractions), ``score``, ``band`` (code),
        ``failure_prob_indicative``, ``valid`` (industrial firm with CA HT in 1.5-75 M€ over
        12 months: a short or long fiscal year is annualised with ``months``),
        ``validity_note`` (``;``-separated codes: ``not_industrial``, ``no_sector``,
        ``revenue_out_of_range``) and ``reason`` (why the score is NaN, codes:
        ``r1_zero_debt``, ``r2_r3_assets``, ``r4_sales``, ``r5_value_added``, ``missing``;
        ``""`` otherwise). ``band``, ``validity_note`` and ``reason`` are ``category`` columns
        of codes; :func:`creditlab.scores.score_words` adds ``band_label`` and writes the notes
        and reasons in words.

    Notes
    -----
    Zero-denominator policy: NaN (never inf) when dettes totales = 0 (R1), total actif ≤ 0
    (R2, R3), CA ≤ 0 (R4: a negative CA would turn the financial-charges ratio into a bonus) or
    VA ≤ 0 (R5: a negative VA would turn the personnel ratio into a bonus). A NaN ratio makes
    the score NaN.
    """
    require_columns(fs, INCOME_COLUMNS + BALANCE_COLUMNS)
    check_choice(financial_charges, "financial_charges", ("interest", "total"))
    industrial, known_sector = sector_flags(fs, sector, VALID_SECTOR)
    cols = _conan_holder_columns(fs, (_sig_arrays(fs), _arrays(fs)), financial_charges,
                                 industrial, known_sector, notes=True)
    return pd.DataFrame(cols, index=fs.index, copy=False)  # fresh arrays, not views of fs


def _conan_holder_columns(fs: pd.DataFrame, pre, financial_charges: str,
                          industrial: np.ndarray, known_sector: np.ndarray, *,
                          notes: bool) -> dict:
    """The columns of :func:`conan_holder` (``validity_note`` only with ``notes``), from the
    SIG and balance-sheet aggregates ``pre`` computed once by the caller."""
    s, b = pre
    ta = col(fs, "total_assets")
    ff = _financial_charges(fs, financial_charges)
    debt, u1 = denominator(b["total_debt"])
    assets, u2 = denominator(ta, positive=True)
    # a negative CA (credit notes above sales) would turn −87·R4 into a bonus: NaN
    sales, u4 = denominator(s["revenue"], positive=True)
    va, u5 = denominator(s["value_added"], positive=True)
    r = {"r1": s["ebe"] / debt, "r2": b["permanent_capital"] / assets,
         "r3": b["quick_assets"] / assets, "r4": ff / sales, "r5": s["personnel_charges"] / va}
    out = {**r, **_score_columns(r)}
    z = out["score"]
    nan = np.isnan(z)
    rev = s["revenue"]
    if "months" in fs.columns:  # the size range is for a 12-month turnover: annualise
        months = pd.to_numeric(fs["months"], errors="coerce").to_numpy(dtype="float64")
        with np.errstate(divide="ignore", invalid="ignore"):
            rev = np.where(months > 0, rev * 12.0 / months, rev)
    in_size = (rev >= VALID_REVENUE[0]) & (rev <= VALID_REVENUE[1])
    out["valid"] = industrial & in_size & ~nan
    if notes:
        out["validity_note"] = flag_column(
            {"sector": ~industrial & known_sector, "no_sector": ~known_sector, "size": ~in_size},
            _NOTES, len(z))
    flags = {"r1": u1, "r2": u2, "r4": u4, "r5": u5}
    flags["missing"] = nan & ~(u1 | u2 | u4 | u5)
    out["reason"] = flag_column(flags, _REASONS, len(z))
    return out
