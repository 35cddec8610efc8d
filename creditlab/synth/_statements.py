"""Three fiscal years of financial statements per demo customer (PCG aggregates that balance)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from creditlab.synth._common import DEMO_FISCAL_YEARS, VAT_RATE


# --------------------------------------------------------------------------- statements
def _statements(rng, customers, latent, first_event, years=DEMO_FISCAL_YEARS):
    """Three fiscal years of consistent PCG aggregates per customer (whole euros)."""
    n = len(customers)
    ny = len(years)
    sector = customers["sector"].to_numpy()
    size = customers["size_class"].to_numpy()
    h0 = latent["health"].to_numpy()
    tr = latent["trend"].to_numpy()
    close_month = rng.choice([12, 6, 9, 3], size=n, p=[0.82, 0.09, 0.06, 0.03])

    yrs = np.asarray(years)
    # health by year: worsening trend; noise persists a little
    h = h0[:, None] + tr[:, None] * (yrs[None, :] - 2024) + rng.normal(0, 0.2, (n, ny))
    growth = 0.02 + 0.035 * h + rng.normal(0, 0.06, (n, ny))
    rev24 = latent["revenue"].to_numpy()
    rev = np.empty((n, ny))
    rev[:, -1] = rev24
    for j in range(ny - 2, -1, -1):             # 3 fiscal years, not firms
        rev[:, j] = rev[:, j + 1] / (1 + growth[:, j + 1])

    def per_sector(values: dict, default):
        return np.select([sector == k for k in values], list(values.values()), default)

    goods_share = per_sector({"industrie": 0.15, "commerce_gros": 0.96, "commerce_detail": 0.97,
                              "construction": 0.05, "transport": 0.0, "services": 0.05}, 0.1)
    mat_rate = per_sector({"industrie": 0.36, "construction": 0.32, "transport": 0.12,
                           "services": 0.06}, 0.02)
    ext_rate = per_sector({"transport": 0.32, "services": 0.22, "construction": 0.24}, 0.17)
    capital_int = per_sector({"industrie": 0.45, "transport": 0.55, "construction": 0.22,
                              "services": 0.18}, 0.12)
    stock_days = per_sector({"industrie": 75, "commerce_gros": 60, "commerce_detail": 80,
                             "construction": 25, "transport": 4, "services": 8}, 20)
    margin_goods = per_sector({"commerce_gros": 0.24, "commerce_detail": 0.33}, 0.22)

    e = lambda scale=1.0: np.exp(rng.normal(0, 0.12 * scale, (n, ny)))  # noqa: E731
    r = lambda x: np.round(x)  # noqa: E731  (whole euros, as published)

    sales_goods = r(rev * goods_share[:, None])
    production_sold = r(rev - sales_goods)
    purchases_goods = r(sales_goods * (1 - margin_goods[:, None] * e()))
    change_stock_goods = r(purchases_goods * rng.normal(0, 0.015, (n, ny)))
    production_stocked = r(production_sold * rng.normal(0.002, 0.012, (n, ny)))
    production_capitalised = r(np.where(rng.random((n, ny)) < 0.1, production_sold * 0.01, 0))
    operating_subsidies = r(np.where(rng.random((n, ny)) < 0.15, rev * 0.003, 0))
    purchases_materials = r(production_sold * mat_rate[:, None] * e())
    change_stock_materials = r(purchases_materials * rng.normal(0, 0.015, (n, ny)))
    external_charges = r(rev * ext_rate[:, None] * e())
    va = (sales_goods - purchases_goods - change_stock_goods + production_sold
          + production_stocked + production_capitalised - purchases_materials
          - change_stock_materials - external_charges)
    taxes = r(rev * 0.012 * e())
    # personnel absorbs more of the value added when health is poor
    staff_share = np.clip(0.66 - 0.12 * h + rng.normal(0, 0.035, (n, ny)), 0.35, 1.08)
    personnel = np.maximum(va, rev * 0.05) * staff_share
    wages = r(personnel * 0.70)
    social_charges = r(personnel * 0.30)

    tangible = r(rev * capital_int[:, None] * e(2))
    intangible = r(rev * 0.015 * e(2))
    fin_assets = r(rev * 0.01 * e(2))
    depreciation = r((tangible + intangible) * np.clip(rng.normal(0.52, 0.08, (n, 1)), 0.2, 0.85))
    operating_provisions = r(tangible * 0.085 + intangible * 0.1)
    operating_reversals = r(np.where(rng.random((n, ny)) < 0.3, rev * 0.002, 0))
    other_operating_income = r(rev * 0.001 * e())
    other_operating_charges = r(rev * 0.0015 * e())

    inventories = r((purchases_goods + purchases_materials + 0.25 * production_sold)
                    * stock_days[:, None] / 365 * e())
    dso = np.clip(52 + 9 * (-h) + rng.normal(0, 8, (n, ny)), 10, 150)
    trade_receivables = r(rev * (1 + VAT_RATE) * dso / 365)
    other_receivables = r(rev * 0.03 * e())
    securities = r(np.where(rng.random((n, 1)) < 0.15, rev * 0.02, 0) * e())
    prepaid = r(rev * 0.004 * e())
    dpo = np.clip(58 + 10 * (-h) + rng.normal(0, 8, (n, ny)), 15, 160)
    trade_payables = r((purchases_goods + purchases_materials + external_charges)
                       * (1 + VAT_RATE) * dpo / 365)
    tax_social = r(personnel * 0.22 + rev * 0.03 * e())
    advances = r(np.where(rng.random((n, ny)) < 0.2, rev * 0.005, 0))
    other_payables = r(rev * 0.008 * e())
    deferred_income = r(rev * 0.002 * e())
    provisions_risks = r(rev * 0.004 * e())
    investment_subsidies = r(np.where(rng.random((n, 1)) < 0.1, tangible * 0.03, 0))
    regulated = r(np.where(rng.random((n, 1)) < 0.15, tangible * 0.02, 0))

    net_fixed = tangible + intangible + fin_assets - depreciation
    non_cash = (net_fixed + inventories + trade_receivables + other_receivables + securities
                + prepaid)
    other_liab = (provisions_risks + advances + trade_payables + tax_social + other_payables
                  + deferred_income)
    debt_ratio = np.clip(0.17 - 0.06 * h + rng.normal(0, 0.05, (n, ny)), 0.0, 0.6)
    long_term_debt = r(non_cash * debt_ratio)
    interest = r(long_term_debt * rng.uniform(0.025, 0.055, (n, 1)) + 0.0)

    financial_income = r(securities * 0.02 + rev * 0.0003)
    other_fin_charges = r(rev * 0.0008 * e())
    exc = rng.random((n, ny))
    exceptional_income = r(np.where(exc < 0.12, rev * 0.002, 0))
    exceptional_charges = r(np.where(exc > 0.85, rev * 0.003 * (1 + (h < -1.5) * 4), 0))
    zero = np.zeros((n, ny))

    ebe = va + operating_subsidies - taxes - wages - social_charges
    operating = (ebe + operating_reversals + other_operating_income - operating_provisions
                 - other_operating_charges)
    current = operating + financial_income - interest - other_fin_charges
    profit_sharing = r(np.where((size[:, None] != "micro") & (current > 0), current * 0.02, 0))
    before_tax = current + exceptional_income - exceptional_charges - profit_sharing
    income_tax = r(np.maximum(before_tax, 0) * 0.25)
    net_income = before_tax - income_tax

    # equity rolls forward: E_t = E_(t-1) + NI_t - dividends_t
    eq_ratio0 = np.clip(0.34 + 0.14 * h[:, 0] + rng.normal(0, 0.05, n), -0.15, 0.75)
    equity = np.empty((n, ny))
    equity[:, 0] = r(eq_ratio0 * non_cash[:, 0])
    for j in range(1, ny):                      # 3 fiscal years, not firms
        dividends = r(np.maximum(net_income[:, j - 1], 0) * 0.3)
        equity[:, j] = equity[:, j - 1] + net_income[:, j] - dividends
    share_capital = r(np.clip(np.abs(equity[:, :1]) * 0.2, 1000, 5e7)) * np.ones((1, ny))
    retained = equity - share_capital - net_income - investment_subsidies - regulated

    cash = equity + long_term_debt + other_liab - non_cash
    min_cash = r(rev * 0.01)
    overdraft = np.where(cash < min_cash, min_cash - cash, 0.0)
    overdraft = np.where(cash < min_cash, overdraft, r(rev * 0.004 * (rng.random((n, ny)) < 0.3)))
    cash = cash + overdraft
    total_assets = non_cash + cash
    total_liab = equity + long_term_debt + overdraft + other_liab

    fy = np.broadcast_to(yrs, (n, ny))
    end_month = close_month[:, None] * np.ones((1, ny), dtype="int64")
    end = (pd.to_datetime(pd.DataFrame({"year": fy.ravel(), "month": end_month.ravel(),
                                        "day": 1})) + pd.offsets.MonthEnd(0)).to_numpy()
    headcount = np.round(personnel / 52000.0)
    listed = (size == "ge") & (rng.random(n) < 0.5)
    mve = np.where(listed[:, None], r(np.maximum(equity, 0) * rng.uniform(1.2, 3.0, (n, 1))), np.nan)

    cols = {
        "customer_id": np.repeat(customers["customer_id"].to_numpy(), ny),
        "fiscal_year": fy.ravel(), "fiscal_year_end": end, "months": 12,
        "sales_goods": sales_goods, "production_sold": production_sold,
        "production_stocked": production_stocked, "production_capitalised": production_capitalised,
        "operating_subsidies": operating_subsidies, "purchases_goods": purchases_goods,
        "change_stock_goods": change_stock_goods, "purchases_materials": purchases_materials,
        "change_stock_materials": change_stock_materials, "external_charges": external_charges,
        "taxes": taxes, "wages": wages, "social_charges": social_charges,
        "operating_provisions": operating_provisions, "operating_reversals": operating_reversals,
        "other_operating_income": other_operating_income,
        "other_operating_charges": other_operating_charges,
        "financial_income": financial_income, "financial_reversals": zero,
        "interest_charges": interest, "other_financial_charges": other_fin_charges,
        "financial_provisions": zero, "exceptional_income": exceptional_income,
        "asset_disposal_proceeds": zero, "investment_subsidies_released": zero,
        "exceptional_reversals": zero, "exceptional_charges": exceptional_charges,
        "book_value_disposed": zero, "exceptional_provisions": zero,
        "employee_profit_sharing": profit_sharing, "income_tax": income_tax,
        "net_income": net_income,
        "intangible_assets_gross": intangible, "tangible_assets_gross": tangible,
        "financial_assets_gross": fin_assets, "depreciation_fixed_assets": depreciation,
        "inventories": inventories, "trade_receivables": trade_receivables,
        "other_receivables": other_receivables, "marketable_securities": securities,
        "cash": cash, "prepaid_expenses": prepaid, "total_assets": total_assets,
        "share_capital": share_capital, "retained_earnings": retained,
        "investment_subsidies": investment_subsidies, "regulated_provisions": regulated,
        "equity": equity, "provisions_risks": provisions_risks, "long_term_debt": long_term_debt,
        "bank_overdrafts": overdraft, "customer_advances": advances,
        "trade_payables": trade_payables, "tax_social_payables": tax_social,
        "other_payables": other_payables, "deferred_income": deferred_income,
        "total_liabilities": total_liab,
        "discounted_bills": r(np.where(rng.random((n, 1)) < 0.1, trade_receivables * 0.1, 0)),
        "market_value_equity": mve, "headcount": headcount,
    }
    flat = {k: (np.broadcast_to(v, (n, ny)).ravel() if isinstance(v, np.ndarray) and v.ndim == 2
                else v) for k, v in cols.items()}
    fs = pd.DataFrame(flat)
    for c in fs.columns:
        if fs[c].dtype == "float64" and c not in ("market_value_equity",):
            fs[c] = fs[c] + 0.0                 # no negative zeros in the CSV
    # accounts are filed about 5 months after closing: a failed firm has none after its
    # judgment, and micro firms are sometimes confidential (no published accounts at all)
    filed = fs["fiscal_year_end"].to_numpy().astype("datetime64[D]").astype("int64") + 150
    fail_day = np.repeat(first_event, ny)
    confidential = np.repeat((size == "micro") & (rng.random(n) < 0.3), ny)
    keep = (filed < fail_day) & ~confidential
    return fs.loc[keep].reset_index(drop=True)
