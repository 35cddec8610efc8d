"""Synthetic financial statements for tests, examples and benchmarks (not the demo portfolio).

- :func:`worked_example` — one firm-year that realises the worked examples of DOMAIN.md §1.4
  (Conan-Holder) and §4 (Altman) at the same time.
- :func:`make_statements` — ``n`` random firm-years that satisfy every identity of
  ``FS_IDENTITIES`` exactly (vectorised; seeded).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from creditlab.tables import FS_IDENTITIES, SECTORS, columns_of

__all__ = ["worked_example", "make_statements"]


def worked_example() -> pd.DataFrame:
    """One firm-year whose aggregates are those of DOMAIN.md §1.4 and §4.

    Total actif 1 000; dettes totales 600; EBE 120; capitaux permanents 550; réalisable et
    disponible 350; frais financiers 15; CA HT 1 500; charges de personnel 300; VA 450
    (→ Conan-Holder Z = 14.963). Working capital 200; retained earnings 150; EBIT 100; book
    equity 400; market equity 800; liabilities 600; sales 1 500 (→ Altman Z = 3.080,
    Z' = 2.358, Z'' = 3.173, Z''-EM = 6.423).
    """
    row = dict.fromkeys(columns_of("financial_statements"), 0.0)
    row.update(
        customer_id="EX001", fiscal_year=2024, fiscal_year_end=pd.Timestamp("2024-12-31"),
        months=12,
        production_sold=1500.0, purchases_materials=600.0, external_charges=450.0, taxes=30.0,
        wages=210.0, social_charges=90.0, operating_provisions=20.0, interest_charges=15.0,
        income_tax=35.0, net_income=50.0,
        tangible_assets_gross=600.0, depreciation_fixed_assets=250.0, inventories=300.0,
        trade_receivables=250.0, other_receivables=50.0, cash=50.0, total_assets=1000.0,
        share_capital=200.0, retained_earnings=150.0, equity=400.0, long_term_debt=150.0,
        bank_overdrafts=50.0, trade_payables=250.0, tax_social_payables=100.0,
        other_payables=50.0, total_liabilities=1000.0, market_value_equity=800.0,
        headcount=8.0,
    )
    df = pd.DataFrame([row])
    df["customer_id"] = df["customer_id"].astype("str")
    df["fiscal_year"] = df["fiscal_year"].astype("int64")
    df["months"] = df["months"].astype("int64")
    return df


def make_statements(n: int = 100, seed: int = 0, years: int = 1,
                    with_sector: bool = True) -> pd.DataFrame:
    """Random but consistent statements: ``n`` firms × ``years`` fiscal years.

    Every row satisfies ``FS_IDENTITIES`` exactly (net income, equity, totals) and balances;
    cash is the balancing line (a shortfall becomes bank overdraft). Amounts are in euros,
    revenue log-uniform between 200 k€ and 200 M€. Some firms have losses, negative equity or
    negative EBE. Column ``sector`` is added when ``with_sector``.
    """
    rng = np.random.default_rng(seed)
    m = n * years
    firm = np.repeat(np.arange(n), years)
    year = np.tile(np.arange(2025 - years, 2025), n)
    base = np.exp(rng.uniform(np.log(2e5), np.log(2e8), n))[firm]
    growth = rng.normal(0.03, 0.12, m)
    rev = base * np.exp(np.cumsum(growth.reshape(n, years), axis=1).ravel())
    u = lambda lo, hi: rng.uniform(lo, hi, m)  # noqa: E731
    goods_share = u(0, 1) ** 2
    d = {}
    d["sales_goods"] = rev * goods_share
    d["production_sold"] = rev - d["sales_goods"]
    d["production_stocked"] = rev * u(-0.02, 0.02)
    d["production_capitalised"] = rev * u(0, 0.01) * (u(0, 1) < 0.2)
    d["operating_subsidies"] = rev * u(0, 0.005)
    d["purchases_goods"] = d["sales_goods"] * u(0.55, 0.85)
    d["change_stock_goods"] = d["sales_goods"] * u(-0.03, 0.03)
    d["purchases_materials"] = d["production_sold"] * u(0.1, 0.4)
    d["change_stock_materials"] = d["production_sold"] * u(-0.02, 0.02)
    d["external_charges"] = rev * u(0.08, 0.30)
    d["taxes"] = rev * u(0.005, 0.02)
    d["wages"] = rev * u(0.08, 0.30)
    d["social_charges"] = d["wages"] * u(0.35, 0.45)
    d["operating_provisions"] = rev * u(0.01, 0.05)
    d["operating_reversals"] = rev * u(0, 0.005)
    d["other_operating_income"] = rev * u(0, 0.005)
    d["other_operating_charges"] = rev * u(0, 0.005)
    d["financial_income"] = rev * u(0, 0.003)
    d["financial_reversals"] = rev * u(0, 0.001) * (u(0, 1) < 0.1)
    d["interest_charges"] = rev * u(0, 0.02)
    d["other_financial_charges"] = rev * u(0, 0.003)
    d["financial_provisions"] = rev * u(0, 0.002) * (u(0, 1) < 0.1)
    d["exceptional_income"] = rev * u(0, 0.004)
    d["asset_disposal_proceeds"] = rev * u(0, 0.01) * (u(0, 1) < 0.3)
    d["investment_subsidies_released"] = rev * u(0, 0.002) * (u(0, 1) < 0.2)
    d["exceptional_reversals"] = rev * u(0, 0.002) * (u(0, 1) < 0.2)
    d["exceptional_charges"] = rev * u(0, 0.004)
    d["book_value_disposed"] = d["asset_disposal_proceeds"] * u(0.2, 1.5)
    d["exceptional_provisions"] = rev * u(0, 0.002) * (u(0, 1) < 0.2)
    d["employee_profit_sharing"] = rev * u(0, 0.005) * (u(0, 1) < 0.3)
    pre_tax = sum(sign * d[c] for sign, c in FS_IDENTITIES["net_income"] if c != "income_tax")
    d["income_tax"] = np.where(pre_tax > 0, pre_tax * 0.25, -rev * u(0, 0.001))
    d["net_income"] = pre_tax - d["income_tax"]
    # balance sheet
    d["intangible_assets_gross"] = rev * u(0, 0.1)
    d["tangible_assets_gross"] = rev * u(0.1, 0.8)
    d["financial_assets_gross"] = rev * u(0, 0.05)
    d["depreciation_fixed_assets"] = (d["intangible_assets_gross"] + d["tangible_assets_gross"]) \
        * u(0.2, 0.7)
    d["inventories"] = rev * u(0, 0.25)
    d["trade_receivables"] = rev * 1.2 * u(20, 90) / 365
    d["other_receivables"] = rev * u(0, 0.05)
    d["marketable_securities"] = rev * u(0, 0.05) * (u(0, 1) < 0.3)
    d["prepaid_expenses"] = rev * u(0, 0.01)
    d["share_capital"] = rev * u(0.01, 0.1)
    d["retained_earnings"] = rev * u(-0.15, 0.3)
    d["investment_subsidies"] = rev * u(0, 0.01) * (u(0, 1) < 0.2)
    d["regulated_provisions"] = rev * u(0, 0.01) * (u(0, 1) < 0.2)
    d["equity"] = sum(sign * d[c] for sign, c in FS_IDENTITIES["equity"])
    d["provisions_risks"] = rev * u(0, 0.02)
    d["long_term_debt"] = rev * u(0, 0.4)
    d["bank_overdrafts"] = rev * u(0, 0.03) * (u(0, 1) < 0.4)
    d["customer_advances"] = rev * u(0, 0.01)
    d["trade_payables"] = (d["purchases_goods"] + d["purchases_materials"]
                           + d["external_charges"]) * 1.2 * u(20, 80) / 365
    d["tax_social_payables"] = rev * u(0.02, 0.08)
    d["other_payables"] = rev * u(0, 0.03)
    d["deferred_income"] = rev * u(0, 0.01)
    d["total_liabilities"] = sum(sign * d[c] for sign, c in FS_IDENTITIES["total_liabilities"])
    other_assets = sum(sign * d[c] for sign, c in FS_IDENTITIES["total_assets"] if c != "cash")
    cash = d["total_liabilities"] - other_assets
    short = cash < 0
    d["cash"] = np.where(short, rev * u(0, 0.005), cash)
    extra = np.where(short, d["cash"] - cash, 0.0)  # overdraft needed to balance
    d["bank_overdrafts"] = d["bank_overdrafts"] + extra
    d["total_liabilities"] = d["total_liabilities"] + extra
    d["total_assets"] = d["total_liabilities"].copy()
    d["discounted_bills"] = d["trade_receivables"] * u(0, 0.2) * (u(0, 1) < 0.2)
    d["market_value_equity"] = np.where(u(0, 1) < 0.1, np.abs(d["equity"]) * u(0.5, 3), np.nan)
    d["headcount"] = np.round(d["wages"] / 40000.0)
    out = pd.DataFrame(d)
    out.insert(0, "customer_id", pd.Series([f"F{i:07d}" for i in firm], dtype="str"))
    out.insert(1, "fiscal_year", year.astype("int64"))
    out.insert(2, "fiscal_year_end", pd.to_datetime([f"{y}-12-31" for y in year]))
    out.insert(3, "months", np.full(m, 12, dtype="int64"))
    if with_sector:
        out["sector"] = pd.Series(np.asarray(SECTORS)[rng.integers(0, len(SECTORS), n)][firm],
                                  dtype="str")
    cols = [c for c in columns_of("financial_statements") if c in out.columns]
    extra_cols = [c for c in out.columns if c not in cols]
    return out[cols + extra_cols]
