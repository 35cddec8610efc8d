"""Soldes intermédiaires de gestion (SIG) and capacité d'autofinancement (CAF).

Both are computed from the canonical ``financial_statements`` table (one row per firm and fiscal
year, French PCG aggregates in euros, see :mod:`creditlab.io.tables`), vectorised over any number
of rows; the input index is preserved.

Definitions follow the French PCG SIG table (DOMAIN.md §0):

- marge commerciale = ventes de marchandises − achats de marchandises − variation de stock (6037)
- production de l'exercice = production vendue + production stockée + production immobilisée
- consommations en provenance des tiers = achats de matières + variation de stock de matières
  + autres achats et charges externes
- valeur ajoutée (VA) = marge commerciale + production − consommations
- EBE = VA + subventions d'exploitation − impôts et taxes − charges de personnel
- résultat d'exploitation = EBE + reprises d'exploitation + autres produits − dotations
  d'exploitation − autres charges
- résultat financier = produits financiers + reprises financières − intérêts − autres charges
  financières − dotations financières
- RCAI (résultat courant avant impôt) = résultat d'exploitation + résultat financier
- résultat exceptionnel = produits exceptionnels (77 excl. 775, 777) + produits de cessions (775)
  + quote-part des subventions (777) + reprises exceptionnelles − charges exceptionnelles (67 excl.
  675) − valeur comptable des éléments cédés (675) − dotations exceptionnelles
- résultat net = RCAI + résultat exceptionnel − participation des salariés − impôt sur les
  bénéfices; it must equal the ``net_income`` column (tolerance ``FS_TOLERANCE`` euros).

Choices (documented, DOMAIN.md §0 "pick one and document it"): VA is the PCG VA, not the Banque de
France "VA au coût des facteurs" (no reclassification of crédit-bail rents or temporary staff).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from creditlab.exceptions import Problem, ValidationError
from creditlab.labels import label_view
from creditlab.statements._common import (
    FS_TABLE,
    check_choice,
    col,
    empty_values,
    require_columns,
)
from creditlab.statements._common import problem_rows as _problem_rows
from creditlab.tables import FS_IDENTITIES, FS_TOLERANCE

__all__ = ["INCOME_COLUMNS", "SIG_LABELS", "CAF_LABELS", "sig", "caf", "revenue",
           "personnel_charges", "financial_charges"]

#: Income-statement columns the SIG chain reads (every signed term of the net-income identity).
INCOME_COLUMNS: tuple[str, ...] = (*tuple(c for _, c in FS_IDENTITIES["net_income"]), "net_income")

#: French / English labels of the SIG output columns.
SIG_LABELS = label_view("sig")

CAF_LABELS = label_view("caf")


def revenue(fs: pd.DataFrame) -> np.ndarray:
    """Chiffre d'affaires HT = ventes de marchandises + production vendue (euros, PCG 70)."""
    require_columns(fs, ("sales_goods", "production_sold"))
    return col(fs, "sales_goods") + col(fs, "production_sold")


def personnel_charges(fs: pd.DataFrame) -> np.ndarray:
    """Charges de personnel = salaires et traitements + charges sociales (PCG 641-648)."""
    require_columns(fs, ("wages", "social_charges"))
    return col(fs, "wages") + col(fs, "social_charges")


def financial_charges(fs: pd.DataFrame, definition: str = "interest") -> np.ndarray:
    """Frais financiers: ``"interest"`` = intérêts et charges assimilées (PCG 661, the textbook
    default) or ``"total"`` = all financial charges excluding provisions (PCG 66 = 661 + other 66).

    DOMAIN.md §0 and §1.3: the choice is a parameter; default 661.
    """
    check_choice(definition, "financial_charges", ("interest", "total"))
    require_columns(fs, ("interest_charges", "other_financial_charges"))
    out = col(fs, "interest_charges")
    if definition == "total":
        out = out + col(fs, "other_financial_charges")
    return out


def _sig_arrays(fs: pd.DataFrame) -> dict[str, np.ndarray]:
    c = {name: col(fs, name) for name in INCOME_COLUMNS}
    rev = c["sales_goods"] + c["production_sold"]
    margin = c["sales_goods"] - c["purchases_goods"] - c["change_stock_goods"]
    production = c["production_sold"] + c["production_stocked"] + c["production_capitalised"]
    consumption = c["purchases_materials"] + c["change_stock_materials"] + c["external_charges"]
    va = margin + production - consumption
    personnel = c["wages"] + c["social_charges"]
    ebe = va + c["operating_subsidies"] - c["taxes"] - personnel
    rex = (ebe + c["operating_reversals"] + c["other_operating_income"]
           - c["operating_provisions"] - c["other_operating_charges"])
    rfin = (c["financial_income"] + c["financial_reversals"] - c["interest_charges"]
            - c["other_financial_charges"] - c["financial_provisions"])
    rcai = rex + rfin
    rexc = (c["exceptional_income"] + c["asset_disposal_proceeds"]
            + c["investment_subsidies_released"] + c["exceptional_reversals"]
            - c["exceptional_charges"] - c["book_value_disposed"] - c["exceptional_provisions"])
    net = rcai + rexc - c["employee_profit_sharing"] - c["income_tax"]
    return {
        "revenue": rev, "commercial_margin": margin, "production": production,
        "intermediate_consumption": consumption, "value_added": va,
        "personnel_charges": personnel, "ebe": ebe, "operating_result": rex,
        "financial_result": rfin, "current_result_before_tax": rcai,
        "exceptional_result": rexc,
        "disposal_gain": c["asset_disposal_proceeds"] - c["book_value_disposed"],
        "net_income_computed": net,
        "net_income_gap": c["net_income"] - net,
    }


def sig(fs: pd.DataFrame, *, check: str = "raise") -> pd.DataFrame:
    """Soldes intermédiaires de gestion, one row per firm-year (index of ``fs`` preserved).

    Parameters
    ----------
    fs : DataFrame
        ``financial_statements`` rows (every income-statement column and ``net_income``).
    check : {"raise", "flag"}
        What to do when the recomputed net income differs from the ``net_income`` column by more
        than ``FS_TOLERANCE`` (2 €), or when a line is empty (NaN): ``"raise"`` a
        :class:`ValidationError` naming the empty columns and listing the rows, or ``"flag"``
        them in ``net_income_ok`` (False).

    Returns
    -------
    DataFrame
        Columns (euros): ``revenue`` (CA HT), ``commercial_margin``, ``production``,
        ``intermediate_consumption``, ``value_added``, ``personnel_charges``, ``ebe``,
        ``operating_result``, ``financial_result``, ``current_result_before_tax``,
        ``exceptional_result``, ``disposal_gain``, ``net_income_computed``, ``net_income_gap``
        (reported − recomputed) and ``net_income_ok`` (bool). French labels: :data:`SIG_LABELS`.

    Notes
    -----
    Missing values in a line propagate as NaN (``net_income_ok`` is then False). Formulas:
    French PCG SIG table, DOMAIN.md §0; see the module docstring.
    """
    check_choice(check, "check", ("raise", "flag"))
    require_columns(fs, INCOME_COLUMNS)
    arr = _sig_arrays(fs)
    ok = np.abs(arr["net_income_gap"]) <= FS_TOLERANCE
    if check == "raise" and not ok.all():
        empty, problem = empty_values(fs, INCOME_COLUMNS)
        problems = [problem] if problem is not None else []
        bad = ~ok & ~empty
        if bad.any():
            gap = arr["net_income_gap"][bad]
            problems.append(Problem(
                FS_TABLE, "net_income", "sig_net_income",
                f"{int(bad.sum())} row(s) where the income statement does not add up to "
                f"net_income (gaps {np.round(gap[:5], 2).tolist()} €; tolerance {FS_TOLERANCE} €)",
                "correct the income-statement lines or net_income so that revenue minus charges "
                "equals the reported result (FS_IDENTITIES['net_income']); or call with "
                "check='flag'", _problem_rows(fs, bad)))
        raise ValidationError(FS_TABLE, problems)
    out = pd.DataFrame(arr, index=fs.index)
    out["net_income_ok"] = ok
    return out


def caf(fs: pd.DataFrame, *, check: str = "raise") -> pd.DataFrame:
    """Capacité d'autofinancement by the additive and the subtractive method.

    Additive (from the result, DOMAIN.md §0)::

        CAF = résultat net + dotations (681 + 686 + 687) − reprises (781 + 786 + 787)
              − produits de cessions (775) + valeur comptable des éléments cédés (675)
              − quote-part des subventions d'investissement virée au résultat (777)

    Subtractive (from the EBE)::

        CAF = EBE + autres produits d'exploitation − autres charges d'exploitation
              + produits financiers (excl. reprises) − intérêts − autres charges financières
              + produits exceptionnels (excl. 775, 777, 787) − charges exceptionnelles (excl. 675)
              − participation des salariés − impôt sur les bénéfices

    Transferts de charges (PCG 79) are part of the ``other_operating_income`` /
    ``financial_income`` / ``exceptional_income`` lines in creditlab (see the PCG mapping), so both
    methods treat them as cash items, as the PCG CAF table does.

    Parameters
    ----------
    fs : DataFrame
        ``financial_statements`` rows.
    check : {"raise", "flag"}
        The two methods agree exactly when the income statement adds up to ``net_income``; a gap
        above ``FS_TOLERANCE`` raises :class:`ValidationError` (``"raise"``) or is returned.

    Returns
    -------
    DataFrame
        ``caf_additive``, ``caf_subtractive``, ``caf_gap`` (additive − subtractive),
        ``caf`` (= additive, built on the reported result), euros; index of ``fs``.
    """
    check_choice(check, "check", ("raise", "flag"))
    require_columns(fs, INCOME_COLUMNS)
    c = {name: col(fs, name) for name in INCOME_COLUMNS}
    add = (c["net_income"] + c["operating_provisions"] + c["financial_provisions"]
           + c["exceptional_provisions"] - c["operating_reversals"] - c["financial_reversals"]
           - c["exceptional_reversals"] - c["asset_disposal_proceeds"] + c["book_value_disposed"]
           - c["investment_subsidies_released"])
    ebe = _sig_arrays(fs)["ebe"]
    sub = (ebe + c["other_operating_income"] - c["other_operating_charges"]
           + c["financial_income"] - c["interest_charges"] - c["other_financial_charges"]
           + c["exceptional_income"] - c["exceptional_charges"]
           - c["employee_profit_sharing"] - c["income_tax"])
    gap = add - sub
    if check == "raise":
        bad = ~(np.abs(gap) <= FS_TOLERANCE)
        if bad.any():
            empty, problem = empty_values(fs, INCOME_COLUMNS)
            problems = [problem] if problem is not None else []
            bad &= ~empty
            if bad.any():
                problems.append(Problem(
                    FS_TABLE, "net_income", "caf_methods_agree",
                    f"{int(bad.sum())} row(s) where the additive and subtractive CAF differ "
                    f"(gaps {np.round(gap[bad][:5], 2).tolist()} €): the income statement does "
                    "not add up to net_income",
                    "correct the statements (see creditlab.statements.sig(fs, check='flag')) or "
                    "call caf(fs, check='flag')", _problem_rows(fs, bad)))
            raise ValidationError(FS_TABLE, problems)
    return pd.DataFrame({"caf_additive": add, "caf_subtractive": sub, "caf_gap": gap,
                         "caf": add}, index=fs.index)

