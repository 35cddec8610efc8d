"""Altman Z-score family: Z (1968), Z′ (1983), Z″ (1995) and Z″-EM (emerging markets).

Ratios (DOMAIN.md §4), as fractions of total assets (TA):

- X1 = working capital / TA, working capital = actif circulant − dettes à court terme
- X2 = retained earnings / TA (réserves + report à nouveau, column ``retained_earnings``)
- X3 = EBIT / TA (EBIT ≈ résultat d'exploitation)
- X4 = equity / total liabilities — **market** value of equity for Z (1968), **book** value for
  Z′, Z″ and Z″-EM; total liabilities = total passif − capitaux propres
- X5 = sales / TA (CA HT)

| model | formula | zones (distress / grey / safe) |
|---|---|---|
| Z (1968, public manufacturers) | 1.2 X1 + 1.4 X2 + 3.3 X3 + 0.6 X4 + 1.0 X5 | < 1.81 / 1.81-2.99 / > 2.99 |
| Z′ (1983, private manufacturers) | 0.717 X1 + 0.847 X2 + 3.107 X3 + 0.420 X4 + 0.998 X5 | < 1.23 / 1.23-2.90 / > 2.90 |
| Z″ (1995, non-manufacturers) | 6.56 X1 + 3.26 X2 + 6.72 X3 + 1.05 X4 | < 1.10 / 1.10-2.60 / > 2.60 |
| Z″-EM (emerging markets) | Z″ + 3.25 | < 4.35 / 4.35-5.85 / > 5.85 |

Pitfalls encoded (DOMAIN.md §14 item 2): Z″ has no sales term; Z′ and Z″ use book equity; the
+3.25 EM constant comes with zones shifted by 3.25.

Sources: Altman E. (1968), J. of Finance 23(4):589-609; Altman E. (2000), "Predicting financial
distress of companies: revisiting the Z-score and ZETA models"; Altman E. (2018),
https://mdpi.com/2227-7072/6/3/70 (see DOMAIN.md §4 for the secondary sources).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from creditlab.exceptions import InputError
from creditlab.scores._columns import code_column, denominator, flag_column
from creditlab.scores._sector import sector_flags
from creditlab.scores.codes import AltmanVariant, AltmanZone
from creditlab.statements._common import check_choice, col, require_columns
from creditlab.statements.balance import BALANCE_COLUMNS, _arrays
from creditlab.statements.sig import INCOME_COLUMNS, _sig_arrays

__all__ = ["AltmanModel", "ALTMAN_MODELS", "ALTMAN_VARIANTS", "altman", "altman_from_ratios"]


@dataclass(frozen=True)
class AltmanModel:
    """Coefficients (X1..X5), constant, zone bounds and equity basis of one Altman model."""

    name: str
    label_fr: str
    label_en: str
    coefficients: tuple[float, float, float, float, float]
    constant: float
    distress_below: float
    safe_above: float
    equity: str  # "market" | "book"
    population_fr: str
    population_en: str


ALTMAN_MODELS: dict[str, AltmanModel] = {
    "z": AltmanModel("z", "Z d'Altman (1968)", "Altman Z (1968)", (1.2, 1.4, 3.3, 0.6, 1.0), 0.0,
                     1.81, 2.99, "market", "sociétés industrielles cotées",
                     "listed manufacturers"),
    "z_prime": AltmanModel("z_prime", "Z′ d'Altman (1983, sociétés non cotées)",
                           "Altman Z′ (1983, private firms)",
                           (0.717, 0.847, 3.107, 0.420, 0.998), 0.0, 1.23, 2.90, "book",
                           "sociétés industrielles non cotées", "private manufacturers"),
    "z_double_prime": AltmanModel("z_double_prime", "Z″ d'Altman (1995, hors industrie)",
                                  "Altman Z″ (1995, non-manufacturers)",
                                  (6.56, 3.26, 6.72, 1.05, 0.0), 0.0, 1.10, 2.60, "book",
                                  "entreprises non industrielles", "non-manufacturers"),
    "z_em": AltmanModel("z_em", "Z″-EM d'Altman (marchés émergents)",
                        "Altman Z″-EM (emerging markets)",
                        (6.56, 3.26, 6.72, 1.05, 0.0), 3.25, 4.35, 5.85, "book",
                        "émetteurs des marchés émergents", "emerging-market issuers"),
}
#: The variant codes (:class:`~creditlab.scores.codes.AltmanVariant` members, equal to strings).
ALTMAN_VARIANTS = tuple(AltmanVariant)
assert set(ALTMAN_VARIANTS) == set(ALTMAN_MODELS)

#: Zone codes, worst first (the categories of the ``zone`` column).
_ZONE_CODES = [str(c) for c in AltmanZone]


def _zones(z: np.ndarray, model: AltmanModel) -> np.ndarray:
    """Zone position per score: 0 distress, 1 grey, 2 safe, -1 where NaN."""
    pos = (z >= model.distress_below).astype(np.int8)
    pos += z > model.safe_above
    pos[np.isnan(z)] = -1
    return pos


#: Validity note of each variant outside its population (``score_note.<code>``).
_MODEL_NOTES = {"z": "model_listed_manufacturers", "z_prime": "model_private_manufacturers",
                "z_em": "model_emerging_markets"}


def _score(x: dict[str, np.ndarray], model: AltmanModel) -> np.ndarray:
    c = model.coefficients
    z = c[0] * x["x1"]
    z += c[1] * x["x2"]
    z += c[2] * x["x3"]
    z += c[3] * x["x4"]
    z += model.constant
    if c[4]:
        z += c[4] * x["x5"]
    return z


def altman_from_ratios(x1, x2, x3, x4, x5=None, *, variant: str = "z") -> pd.DataFrame:
    """Altman score from its ratios (fractions; X4 with the equity basis of the variant).

    Parameters
    ----------
    x1, x2, x3, x4 : float, array-like or Series
        Working capital / TA, retained earnings / TA, EBIT / TA, equity / total liabilities.
    x5 : float, array-like or Series, optional
        Sales / TA; required for ``"z"`` and ``"z_prime"``, unused by Z″ and Z″-EM.
    variant : {"z", "z_prime", "z_double_prime", "z_em"}

    Returns
    -------
    DataFrame
        ``x1``…``x5``, ``score``, ``zone`` (``category`` of codes, worst first: distress,
        grey, safe; words with :func:`creditlab.scores.score_words`).

    Examples
    --------
    DOMAIN.md §12 T3 (TA 1 000, WC 200, RE 150, EBIT 100, BVE 400, MVE 800, TL 600,
    sales 1 500): Z = 3.0800 (X4 = 800/600), Z′ = 2.3582, Z″ = 3.1730, Z″-EM = 6.4230
    (X4 = 400/600).
    """
    check_choice(variant, "variant", ALTMAN_VARIANTS)
    model = ALTMAN_MODELS[variant]
    if x5 is None and model.coefficients[4]:
        raise InputError("x5", f"sales / total assets for the {variant} model", None,
                         "pass x5, or use variant='z_double_prime' (no sales term)")
    vals = [x1, x2, x3, x4, np.nan if x5 is None else x5]
    index = next((v.index for v in vals if isinstance(v, pd.Series)), None)
    arrs = np.broadcast_arrays(*[np.atleast_1d(np.asarray(v, dtype="float64")) for v in vals])
    if index is None:
        index = pd.RangeIndex(len(arrs[0]))
    x = dict(zip(("x1", "x2", "x3", "x4", "x5"), arrs, strict=True))
    z = _score(x, model)
    return pd.DataFrame({**x, "score": z, "zone": code_column(_zones(z, model), _ZONE_CODES)},
                        index=index)


def altman(fs: pd.DataFrame, variant: str = "z_prime", *, sector=None) -> pd.DataFrame:
    """Altman score of every firm-year of a ``financial_statements`` table.

    Parameters
    ----------
    fs : DataFrame
        ``financial_statements`` rows; ``market_value_equity`` is needed by ``"z"`` (listed
        firms only), ``sector`` (optional column) by the validity flag.
    variant : {"z", "z_prime", "z_double_prime", "z_em"}, default "z_prime"
        Z (1968, market equity), Z′ (private firms), Z″ (non-manufacturers), Z″-EM.
    sector : str, Series or sequence, optional
        Sector group per row (overrides ``fs["sector"]``).

    Returns
    -------
    DataFrame
        Index of ``fs``: ``x1``…``x5`` (fractions; ``x5`` computed but unused by Z″/Z″-EM),
        ``score``, ``zone`` (code: distress/grey/safe), ``valid``, ``validity_note``
        (``;``-separated codes: ``model_listed_manufacturers``,
        ``model_private_manufacturers``, ``model_emerging_markets``, ``no_sector``) and
        ``reason`` (why the score is NaN, codes: ``zero_assets``, ``no_liabilities``,
        ``no_market_value``, ``missing``). ``zone``, ``validity_note`` and ``reason`` are
        ``category`` columns of codes; :func:`creditlab.scores.score_words` adds
        ``zone_label`` and writes the notes and reasons in words.

    Notes
    -----
    NaN (never inf) with a reason when total assets ≤ 0, when liabilities excluding equity are
    0 (X4 undefined) or, for Z, when ``market_value_equity`` is missing ("société non cotée :
    utiliser Z′"). Validity: Z and Z′ were estimated on manufacturers (``sector ==
    "industrie"``), Z″ on non-manufacturers (valid for every known sector, as Altman
    recommends it for both), Z″-EM on emerging-market issuers (never valid for the French
    firms creditlab handles; shown for teaching).
    """
    check_choice(variant, "variant", ALTMAN_VARIANTS)
    require_columns(fs, INCOME_COLUMNS + BALANCE_COLUMNS)
    industrial, known_sector = sector_flags(fs, sector, "industrie")
    shared = _altman_ratios(fs, (_sig_arrays(fs), _arrays(fs)))
    out = _altman_columns(fs, variant, shared, industrial, known_sector, notes=True)
    return pd.DataFrame(out, index=fs.index, copy=False)  # fresh arrays, not views of fs


def _altman_ratios(fs: pd.DataFrame, pre) -> dict[str, np.ndarray]:
    """X1, X2, X3, X5 and the guarded liabilities, shared by the four variants, from the SIG and
    balance-sheet aggregates ``pre`` computed once by the caller."""
    s, b = pre
    assets, u_ta = denominator(col(fs, "total_assets"), positive=True)
    liabilities, u_tl = denominator(b["total_liabilities_excl_equity"], positive=True)
    return {"x1": b["working_capital"] / assets, "x2": col(fs, "retained_earnings") / assets,
            "x3": s["operating_result"] / assets, "x5": s["revenue"] / assets,
            "liabilities": liabilities, "u_ta": u_ta, "u_tl": u_tl}


def _altman_columns(fs: pd.DataFrame, variant: str, shared: dict, industrial: np.ndarray,
                    known_sector: np.ndarray, *, notes: bool) -> dict:
    """The columns of :func:`altman` (the ratios and ``validity_note`` only with ``notes``)."""
    model = ALTMAN_MODELS[variant]
    u_ta, u_tl = shared["u_ta"], shared["u_tl"]
    equity = col(fs, "market_value_equity") if model.equity == "market" else col(fs, "equity")
    key = "x4_" + model.equity
    if key not in shared:  # X4 of one equity basis, shared by the variants using it
        shared[key] = equity / shared["liabilities"]
    x = {"x1": shared["x1"], "x2": shared["x2"], "x3": shared["x3"], "x4": shared[key],
         "x5": shared["x5"]}
    z = _score(x, model)
    nan = np.isnan(z)
    out = {**x} if notes else {}
    out["score"] = z
    out["zone"] = code_column(_zones(z, model), _ZONE_CODES)
    flags = {"zero_assets": u_ta, "no_liabilities": u_tl & ~u_ta}
    if model.equity == "market":
        no_mve = np.isnan(equity)
        flags["no_market_value"] = no_mve
        known = u_ta | u_tl | no_mve
    else:
        known = u_ta | u_tl
    flags["missing"] = nan & ~known
    out["reason"] = flag_column(flags, {k: k for k in flags}, len(z))
    if variant in ("z", "z_prime"):
        valid = industrial
        note_mask = known_sector & ~industrial
    elif variant == "z_double_prime":
        valid = known_sector
        note_mask = np.zeros(len(z), dtype=bool)
    else:
        valid = np.zeros(len(z), dtype=bool)
        note_mask = np.ones(len(z), dtype=bool)
    out["valid"] = valid & ~nan
    if notes:
        out["validity_note"] = flag_column(
            {"model": note_mask, "none": ~known_sector},
            {"model": _MODEL_NOTES.get(variant, ""), "none": "no_sector"}, len(z))
        out = {k: out[k] for k in ("x1", "x2", "x3", "x4", "x5", "score", "zone", "reason",
                                   "valid", "validity_note")}
    return out
