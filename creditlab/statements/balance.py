"""Balance-sheet aggregates: functional balance sheet (FRNG, BFR, trésorerie nette) and the
"masses" used by ratios and scores (capitaux permanents, dettes totales, réalisable et disponible).

Functional balance sheet (bilan fonctionnel, gross values; French analysis tradition, DOMAIN.md §0):

- ressources stables = capitaux propres + amortissements et dépréciations de l'actif immobilisé
  + provisions pour risques et charges + dettes financières hors concours bancaires courants
- emplois stables = actif immobilisé brut (incorporel + corporel + financier)
- FRNG (fonds de roulement net global) = ressources stables − emplois stables
- BFR d'exploitation = stocks + créances clients + effets escomptés non échus (EENE)
  + charges constatées d'avance − avances clients − dettes fournisseurs − dettes fiscales et
  sociales − produits constatés d'avance
- BFR hors exploitation = autres créances − autres dettes (dont dettes sur immobilisations)
- trésorerie nette (TN) = VMP + disponibilités − concours bancaires courants − EENE
- identity: FRNG − BFR = TN, which holds exactly when the balance sheet balances; it is checked.

Conventions forced by the canonical table (documented choices):

- Inventories, receivables and securities are given *net* of their dépréciations (39, 49, 59):
  the functional balance sheet uses those net values (their dépréciations are not added back to
  the stable resources, the usual refinement when gross values are available).
- Effets escomptés non échus (liasse box YS, column ``discounted_bills``, 0 when absent) are added
  back to trade receivables and to the treasury liabilities, as the functional analysis requires.
- Charges and produits constatés d'avance are treated as operating items; dettes fiscales et
  sociales as operating liabilities (the income-tax part cannot be separated in the table).
- ``long_term_debt`` (PCG 16-17) is taken as due after one year (the table has no maturity split),
  so "dettes à court terme" = every other debt.
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
from creditlab.tables import FS_TOLERANCE

__all__ = ["BALANCE_COLUMNS", "BALANCE_LABELS", "functional_balance_sheet", "balance_masses"]

#: Balance-sheet columns read by this module (``discounted_bills`` is optional, 0 when absent).
BALANCE_COLUMNS: tuple[str, ...] = (
    "intangible_assets_gross", "tangible_assets_gross", "financial_assets_gross",
    "depreciation_fixed_assets", "inventories", "trade_receivables", "other_receivables",
    "marketable_securities", "cash", "prepaid_expenses", "total_assets", "equity",
    "provisions_risks", "long_term_debt", "bank_overdrafts", "customer_advances",
    "trade_payables", "tax_social_payables", "other_payables", "deferred_income",
    "total_liabilities",
)

BALANCE_LABELS = label_view("balance")


def _arrays(fs: pd.DataFrame) -> dict[str, np.ndarray]:
    c = {name: col(fs, name) for name in BALANCE_COLUMNS}
    eene = col(fs, "discounted_bills")
    fixed_gross = (c["intangible_assets_gross"] + c["tangible_assets_gross"]
                   + c["financial_assets_gross"])
    stable = (c["equity"] + c["depreciation_fixed_assets"] + c["provisions_risks"]
              + c["long_term_debt"])
    frng = stable - fixed_gross
    oca = c["inventories"] + c["trade_receivables"] + eene + c["prepaid_expenses"]
    ol = (c["customer_advances"] + c["trade_payables"] + c["tax_social_payables"]
          + c["deferred_income"])
    bfre = oca - ol
    bfrhe = c["other_receivables"] - c["other_payables"]
    bfr = bfre + bfrhe
    cash_assets = c["marketable_securities"] + c["cash"]
    cash_liab = c["bank_overdrafts"] + eene
    tn = cash_assets - cash_liab
    financial_debt = c["long_term_debt"] + c["bank_overdrafts"]
    stl = (c["bank_overdrafts"] + c["customer_advances"] + c["trade_payables"]
           + c["tax_social_payables"] + c["other_payables"] + c["deferred_income"])
    quick = c["trade_receivables"] + c["other_receivables"] + c["marketable_securities"] + c["cash"]
    current = quick + c["inventories"] + c["prepaid_expenses"]
    return {
        "fixed_assets_gross": fixed_gross,
        "fixed_assets_net": fixed_gross - c["depreciation_fixed_assets"],
        "stable_resources": stable,
        "frng": frng,
        "operating_current_assets": oca,
        "operating_liabilities": ol,
        "bfr_operating": bfre,
        "bfr_non_operating": bfrhe,
        "bfr": bfr,
        "cash_assets": cash_assets,
        "cash_liabilities": cash_liab,
        "net_cash": tn,
        "balance_gap": frng - bfr - tn,
        "permanent_capital": c["equity"] + c["provisions_risks"] + c["long_term_debt"],
        "total_debt": c["long_term_debt"] + stl,
        "financial_debt": financial_debt,
        "net_financial_debt": financial_debt - cash_assets,
        "quick_assets": quick,
        "current_assets": current,
        "short_term_liabilities": stl,
        "working_capital": current - stl,
        "total_liabilities_excl_equity": c["total_liabilities"] - c["equity"],
    }


def functional_balance_sheet(fs: pd.DataFrame, *, check: str = "raise") -> pd.DataFrame:
    """Functional balance sheet: FRNG, BFR (exploitation / hors exploitation), trésorerie nette.

    Parameters
    ----------
    fs : DataFrame
        ``financial_statements`` rows (balance-sheet columns; ``discounted_bills`` optional).
    check : {"raise", "flag"}
        ``FRNG − BFR = TN`` holds when the balance sheet balances; a gap above ``FS_TOLERANCE``
        (2 €) raises :class:`ValidationError` naming the rows, or is flagged in ``balance_ok``.

    Returns
    -------
    DataFrame
        Euros, index of ``fs``: ``fixed_assets_gross``, ``stable_resources``, ``frng``,
        ``operating_current_assets``, ``operating_liabilities``, ``bfr_operating``,
        ``bfr_non_operating``, ``bfr``, ``cash_assets``, ``cash_liabilities``, ``net_cash``,
        ``balance_gap``, ``balance_ok``. Formulas and conventions: module docstring.
    """
    check_choice(check, "check", ("raise", "flag"))
    require_columns(fs, BALANCE_COLUMNS)
    a = _arrays(fs)
    ok = np.abs(a["balance_gap"]) <= FS_TOLERANCE
    if check == "raise" and not ok.all():
        empty, problem = empty_values(fs, [c for c in BALANCE_COLUMNS  # lines of the gap
                                           if c not in ("total_assets", "total_liabilities")])
        problems = [problem] if problem is not None else []
        bad = ~ok & ~empty
        if bad.any():
            problems.append(Problem(
                FS_TABLE, "total_liabilities", "frng_bfr_tn",
                f"{int(bad.sum())} row(s) where FRNG − BFR ≠ trésorerie nette (gaps "
                f"{np.round(a['balance_gap'][bad][:5], 2).tolist()} €): the balance-sheet lines "
                "do not balance",
                "correct the asset or liability lines so that assets = liabilities "
                "(FS_IDENTITIES['total_assets'] and ['total_liabilities']); or call with "
                "check='flag'", _problem_rows(fs, bad)))
        raise ValidationError(FS_TABLE, problems)
    keys = ("fixed_assets_gross", "stable_resources", "frng", "operating_current_assets",
            "operating_liabilities", "bfr_operating", "bfr_non_operating", "bfr", "cash_assets",
            "cash_liabilities", "net_cash", "balance_gap")
    out = pd.DataFrame({k: a[k] for k in keys}, index=fs.index)
    out["balance_ok"] = ok
    return out


def balance_masses(fs: pd.DataFrame) -> pd.DataFrame:
    """The balance-sheet masses used by ratios and scores (euros, index of ``fs``).

    - ``permanent_capital`` (capitaux permanents) = capitaux propres + provisions pour risques et
      charges + dettes financières hors concours bancaires courants (Conan-Holder R2 numerator).
    - ``total_debt`` (dettes totales / endettement global) = every debt: financières, concours
      bancaires, avances clients, fournisseurs, fiscales et sociales, autres, produits constatés
      d'avance (Conan-Holder R1 denominator; DOMAIN.md §0).
    - ``quick_assets`` (réalisable et disponible) = créances clients + autres créances + VMP +
      disponibilités (Conan-Holder R3 numerator).
    - ``financial_debt`` = dettes financières + concours bancaires courants;
      ``net_financial_debt`` = financial_debt − VMP − disponibilités.
    - ``current_assets`` (actif circulant incl. charges constatées d'avance),
      ``short_term_liabilities`` (every debt except ``long_term_debt``), ``working_capital``
      = current assets − short-term liabilities (Altman X1 numerator).
    - ``fixed_assets_gross``, ``fixed_assets_net``, ``total_liabilities_excl_equity``
      (= total passif − capitaux propres: Altman's "total liabilities").
    """
    require_columns(fs, BALANCE_COLUMNS)
    a = _arrays(fs)
    keys = ("permanent_capital", "total_debt", "financial_debt", "net_financial_debt",
            "quick_assets", "current_assets", "short_term_liabilities", "working_capital",
            "fixed_assets_gross", "fixed_assets_net", "total_liabilities_excl_equity")
    return pd.DataFrame({k: a[k] for k in keys}, index=fs.index)
