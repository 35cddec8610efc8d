"""Deterministic generator of a realistic demo portfolio (a fictional French industrial supplier).

:func:`make_portfolio` returns every canonical table of :mod:`creditlab.io.tables` for a supplier
selling on credit to a few hundred French business customers:

- **customers** with a sector, a size class, a segment, contractual payment terms (60 days,
  45 days end of month, 30 days, transport 30 days, cash), a credit limit, a credit-insurer
  agreement and a sales representative;
- **financial_statements**: three fiscal years (2022-2024) of PCG aggregates per customer whose
  balance sheets balance and whose income statements add up (``FS_IDENTITIES`` hold exactly, in
  whole euros); equity evolves from year to year with the net income less dividends;
- **invoices** with seasonality (August is quiet), credit notes (returns, commercial gestures and
  dispute settlements) from ``start`` plus the older items still open then (opening balance),
  **disputes** with their causes, **payments** (grouped transfers, payment
  runs, LCR paid at due date, partial payments, a little unallocated cash), an **orders** backlog
  and **events** (procédures collectives).

One latent *financial health* per customer drives its ratios, its payment delays and its
probability of failure, so that scores and calibration find real signal: a failing customer's
last accounts are weak, it pays later and later in the months before the judgment, and the
invoices still unpaid at the judgment stay unpaid (gel du passif). A second, independent
*payment habit* makes some sound customers (often large ones) pay late anyway.

Everything is drawn with ``numpy.random.default_rng(seed)`` and vectorised (no loop over
customers or invoices): 10 million invoices generate in a few minutes. The bundled demo in
``datasets/demo/`` is ``make_portfolio()`` with the defaults below, written by ``python -m
creditlab.synth``; a test proves the files equal the regeneration.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from creditlab._checks import as_date, as_of_date, round_cents
from creditlab.exceptions import InputError
from creditlab.io._demo import DEMO_DIR, coerce_types
from creditlab.io.tables import TABLES, columns_of
from creditlab.legal.terms import due_days

__all__ = [
    "make_portfolio",
    "write_portfolio",
    "DEMO_SEED",
    "DEMO_START",
    "DEMO_AS_OF",
    "DEMO_N_CUSTOMERS",
    "DEMO_FISCAL_YEARS",
    "VAT_RATE",
]

DEMO_SEED = 2025
DEMO_START = pd.Timestamp("2024-01-01")
DEMO_AS_OF = pd.Timestamp("2025-12-31")
DEMO_N_CUSTOMERS = 400
DEMO_FISCAL_YEARS = (2022, 2023, 2024)
#: French standard VAT rate; invoices to customers outside France are issued without VAT
#: (intra-EU reverse charge), so their TTC equals their HT.
VAT_RATE = 0.20

# --------------------------------------------------------------------------- vocabularies
_SECTORS = np.array(["industrie", "commerce_gros", "construction", "transport", "services",
                     "commerce_detail"])
_SECTOR_P = np.array([0.36, 0.20, 0.15, 0.10, 0.12, 0.07])
_NAF = {
    "industrie": ["25.62A", "25.11Z", "28.41Z", "22.29A", "27.12Z", "29.32Z"],
    "commerce_gros": ["46.69B", "46.72Z", "46.74A", "46.14Z"],
    "construction": ["43.21A", "41.20A", "43.99C", "42.11Z"],
    "transport": ["49.41A", "52.29B", "49.41B"],
    "services": ["71.12B", "33.12Z", "62.02A", "81.22Z"],
    "commerce_detail": ["47.52A", "47.54Z", "47.78C"],
}
_NAME_PREFIX = {
    "industrie": ["Mécanique", "Usinage", "Chaudronnerie", "Plasturgie", "Électro", "Forges"],
    "commerce_gros": ["Distribution", "Négoce", "Comptoir", "Fournitures"],
    "construction": ["Bâtiment", "Constructions", "Électricité", "Travaux"],
    "transport": ["Transports", "Logistique", "Messageries"],
    "services": ["Maintenance", "Ingénierie", "Services", "Études"],
    "commerce_detail": ["Quincaillerie", "Bricolage", "Outillage"],
}
_SURNAMES = np.array([
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Lefèvre", "Mercier", "Dupont", "Lambert",
    "Bonnet", "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc",
    "Guérin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu", "Clément",
    "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin", "Masson", "Sanchez",
    "Gérard", "Nguyen", "Boyer", "Denis", "Lemaire", "Duval", "Joly", "Gautier", "Roger",
    "Rhône", "Loire", "Atlantique", "Alpes", "Provence", "Normandie", "Bretagne", "Vosges",
])
_SIZES = np.array(["micro", "pme", "eti", "ge"])
_SIZE_P = np.array([0.24, 0.53, 0.19, 0.04])
#: Median turnover (EUR) of a customer by size class.
_SIZE_REVENUE = np.array([0.9e6, 7e6, 110e6, 1.6e9])
#: Mean number of invoices per month we issue to a customer, by size class.
_SIZE_INVOICES = np.array([0.9, 2.4, 5.0, 8.0])
#: Median invoice amount HT (EUR), by size class.
_SIZE_TICKET = np.array([900.0, 3200.0, 9000.0, 21000.0])
_REPS = np.array(["Claire Martin", "Julien Petit", "Sophie Bernard", "Karim Haddad",
                  "Élodie Moreau", "Thomas Girard", "Nadia Benali", "Pierre Lefèvre"])
_LEGAL_FORMS = np.array(["SAS", "SARL", "SA", "SAS", "SARL", "SASU", "EURL"])
#: Seasonality of our sales by calendar month (August quiet, autumn busy).
_SEASON = np.array([0.92, 0.97, 1.07, 1.03, 1.02, 1.05, 0.88, 0.55, 1.06, 1.14, 1.12, 0.93])
_DISPUTE_CAUSES = np.array(["price", "quantity", "quality", "delivery", "administrative"])
_DISPUTE_P = np.array([0.30, 0.20, 0.24, 0.16, 0.10])


# --------------------------------------------------------------------------- helpers
def _days(ts: pd.Timestamp) -> int:
    """Days since 1970-01-01."""
    return int(np.datetime64(pd.Timestamp(ts).date(), "D").astype("int64"))


def _to_dates(days: np.ndarray) -> np.ndarray:
    """Day numbers (int, NaT as int64 min) to datetime64[ns]."""
    return np.asarray(days, dtype="int64").astype("datetime64[D]").astype("datetime64[ns]")


def _month_end(days: np.ndarray) -> np.ndarray:
    """Day number of the last day of the month of each day number."""
    m = np.asarray(days, dtype="int64").astype("datetime64[D]").astype("datetime64[M]")
    return ((m + 1).astype("datetime64[D]") - 1).astype("int64")


def _ids(prefix: str, years: np.ndarray, width: int = 7) -> pd.Series:
    """``PREFIXyyyy-nnnnnnn`` numbers, consecutive within each year in the given order."""
    years = np.asarray(years, dtype="int64")
    n = years.size
    if n == 0:
        return pd.Series([], dtype="str")
    order = np.argsort(years, kind="stable")
    ys = years[order]
    first = np.r_[0, np.flatnonzero(np.diff(ys)) + 1]
    start = np.repeat(first, np.diff(np.r_[first, n]))
    seq = np.empty(n, dtype="int64")
    seq[order] = np.arange(n) - start + 1
    return (prefix + pd.Series(years).astype("str") + "-"
            + pd.Series(seq).astype("str").str.zfill(width))


def _siren(rng: np.random.Generator, n: int) -> np.ndarray:
    """Fictional 9-digit SIREN numbers with a valid Luhn key (INSEE rule), unique."""
    base = rng.choice(np.arange(10_000_000, 99_999_999), size=n, replace=False)
    digits = (base[:, None] // 10 ** np.arange(7, -1, -1)) % 10          # 8 digits, left first
    # Luhn on 9 digits: double every 2nd digit from the right (the key is position 9)
    dbl = digits.copy()
    dbl[:, 1::2] *= 2
    dbl = np.where(dbl > 9, dbl - 9, dbl)
    key = (10 - dbl.sum(axis=1) % 10) % 10
    return (base * 10 + key).astype("str")


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


# --------------------------------------------------------------------------- customers
def _customers(rng, n, start_day, as_of_day):
    sector = rng.choice(_SECTORS, size=n, p=_SECTOR_P)
    size_i = rng.choice(4, size=n, p=_SIZE_P)
    size = _SIZES[size_i]
    health = rng.normal(0.0, 1.0, n)
    # large companies pay late more often (a French classic); habit is independent of health
    habit = rng.normal(0.0, 1.0, n) + np.array([-0.1, 0.0, 0.35, 0.7])[size_i]
    trend = rng.normal(0.0, 0.35, n)          # change of health per year

    naf = np.empty(n, dtype=object)
    prefix = np.empty(n, dtype=object)
    for s in _SECTORS:                          # loop over 6 sectors, not customers
        m = sector == s
        naf[m] = rng.choice(_NAF[s], size=m.sum())
        prefix[m] = rng.choice(_NAME_PREFIX[s], size=m.sum())
    name = (pd.Series(prefix).astype("str") + " " + pd.Series(rng.choice(_SURNAMES, n))
            + " " + pd.Series(rng.choice(_LEGAL_FORMS, n)))

    foreign = rng.random(n) < 0.05
    country = np.where(foreign, rng.choice(["BE", "DE", "ES", "IT"], n), "FR")
    age_years = np.minimum(rng.gamma(2.0, 9.0, n) + 1.0, 80.0)
    founded = start_day - (age_years * 365.25).astype("int64")
    # 12 % of accounts opened during the period (new customers), the rest before it
    new = rng.random(n) < 0.12
    since = np.where(new, rng.integers(start_day, as_of_day - 120, n),
                     start_day - rng.integers(60, 15 * 365, n))
    since = np.maximum(since, founded + 30)

    terms = rng.choice(["net_60", "eom45_a", "net_30", "eom45_b", "net_45", "cash"], size=n,
                       p=[0.38, 0.27, 0.18, 0.07, 0.06, 0.04])
    terms = np.where(sector == "transport", "transport_30", terms)

    revenue = _SIZE_REVENUE[size_i] * np.exp(rng.normal(0.0, 0.55, n))
    rate = _SIZE_INVOICES[size_i] * np.exp(rng.normal(0.0, 0.35, n))
    ticket = _SIZE_TICKET[size_i] * np.exp(rng.normal(0.0, 0.45, n))
    vat = np.where(foreign, 0.0, VAT_RATE)
    monthly_ttc = rate * ticket * (1 + vat) * np.exp(0.5 * 0.6 ** 2)  # lognormal mean per invoice
    terms_days = np.select([terms == "cash", np.isin(terms, ["net_30", "transport_30"]),
                            terms == "net_45", terms == "net_60"], [0, 30, 45, 60], 75)
    # granted on the commercial need (terms + billing lag + the order backlog), more for
    # sound customers
    need = monthly_ttc * (terms_days + 60) / 30.0
    limit = np.round(need * np.exp(rng.normal(0.15 + 0.15 * health, 0.25)) / 1000.0) * 1000.0
    limit = np.where(rng.random(n) < 0.05, np.nan, np.maximum(limit, 1000.0))

    insured = rng.random(n) < 0.72
    agreement = np.round(np.nan_to_num(limit, nan=need) * rng.uniform(0.5, 1.15, n) / 1000) * 1000
    agreement = np.where(_sigmoid(-2.2 - 1.3 * health) > rng.random(n), 0.0, agreement)
    agreement = np.where(insured, agreement, np.nan)

    segment = np.select([np.isin(size, ["eti", "ge"]), sector == "commerce_gros",
                         size == "micro"], ["grands comptes", "distributeurs", "TPE"], "PME")
    method = rng.choice(["virement", "lcr", "cheque", "prelevement"], size=n,
                        p=[0.62, 0.2, 0.1, 0.08])
    run_day = rng.choice([0, 10, 25, 31], size=n, p=[0.55, 0.15, 0.15, 0.15])  # 0 = none

    ids = pd.Series(np.arange(1, n + 1)).astype("str").str.zfill(5).radd("C")
    customers = pd.DataFrame({
        "customer_id": ids,
        "name": name,
        "siren": np.where(foreign, None, _siren(rng, n)),
        "naf_code": np.where(foreign, None, naf.astype("str")),
        "sector": sector,
        "size_class": size,
        "segment": segment,
        "country": country,
        "founded_date": _to_dates(founded),
        "customer_since": _to_dates(since),
        "payment_terms": terms,
        "credit_limit": limit,
        "insurer_agreement": agreement,
        "sales_rep": rng.choice(_REPS, n),
    })
    latent = pd.DataFrame({
        "health": health, "habit": habit, "trend": trend, "revenue": revenue, "rate": rate,
        "ticket": ticket, "vat": vat, "method": method, "run_day": run_day, "since": since,
        "dispute_prop": np.exp(rng.normal(0.0, 0.6, n)), "size_i": size_i,
    })
    return customers, latent


# --------------------------------------------------------------------------- failures
def _events(rng, latent, start_day, as_of_day, ids):
    """Procédures collectives: probability rises with weak (and worsening) health."""
    n = len(latent)
    h = latent["health"].to_numpy()
    tr = latent["trend"].to_numpy()
    p = _sigmoid(-4.4 - 2.1 * h - 2.4 * tr)
    fail = rng.random(n) < p
    window_start = _days(pd.Timestamp("2023-03-01"))
    event_day = np.where(fail, rng.integers(window_start, as_of_day - 20, n), -1)
    kind = rng.choice(["liquidation", "redressement", "sauvegarde"], size=n, p=[0.42, 0.43, 0.15])
    rows = [pd.DataFrame({"customer_id": ids[fail], "event_type": kind[fail],
                          "event_day": event_day[fail]})]
    # a third of redressements end in liquidation 3 to 9 months later
    conv = fail & (kind == "redressement") & (rng.random(n) < 0.33)
    later = event_day + rng.integers(90, 270, n)
    conv &= later <= as_of_day
    rows.append(pd.DataFrame({"customer_id": ids[conv], "event_type": "liquidation",
                              "event_day": later[conv]}))
    ev = pd.concat(rows, ignore_index=True).sort_values(["event_day", "customer_id"],
                                                        kind="stable", ignore_index=True)
    events = pd.DataFrame({"customer_id": ev["customer_id"].astype("str"),
                           "event_type": ev["event_type"].astype("str"),
                           "event_date": _to_dates(ev["event_day"].to_numpy()),
                           "source": "BODACC"})
    first_event = np.where(fail, event_day, np.iinfo("int64").max)
    liquidation_day = np.full(n, np.iinfo("int64").max)
    liq = fail & (kind == "liquidation")
    liquidation_day[liq] = event_day[liq]
    liquidation_day[conv] = later[conv]
    return events, first_event, liquidation_day


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


# --------------------------------------------------------------------------- ledger
def _ledger(rng, customers, latent, first_event, liquidation_day, start_day, as_of_day,
            invoices_per_customer_month):
    n = len(customers)
    # the export starts at ``start`` but carries the items still open then (opening balance):
    # generate three months earlier and keep the older invoices only if unsettled at ``start``
    gen_start = _days(pd.Timestamp(_to_dates([start_day])[0]) - pd.DateOffset(months=3))
    months = pd.period_range(pd.Timestamp(_to_dates([gen_start])[0]),
                             pd.Timestamp(_to_dates([as_of_day])[0]), freq="M")
    m_start = months.start_time.to_numpy().astype("datetime64[D]").astype("int64")
    m_len = months.days_in_month.to_numpy()
    nm = len(months)
    rate = latent["rate"].to_numpy()
    if invoices_per_customer_month is not None:
        rate = rate / rate.mean() * float(invoices_per_customer_month)
    lam = rate[:, None] * _SEASON[months.month.to_numpy() - 1][None, :]
    since = latent["since"].to_numpy()
    active_start = np.maximum(since, gen_start)
    # after a liquidation nothing is sold; after another proceeding sales drop by half
    lam = np.where(m_start[None, :] + m_len[None, :] <= active_start[:, None], 0.0, lam)
    lam = np.where(m_start[None, :] >= liquidation_day[:, None], 0.0, lam)
    lam = np.where(m_start[None, :] >= first_event[:, None], lam * 0.5, lam)
    counts = rng.poisson(lam)
    cust = np.repeat(np.repeat(np.arange(n), nm), counts.ravel())
    mon = np.repeat(np.tile(np.arange(nm), n), counts.ravel())
    k = cust.size
    issue = m_start[mon] + (rng.random(k) * m_len[mon]).astype("int64")
    ok = (issue >= active_start[cust]) & (issue <= as_of_day) & (issue < liquidation_day[cust])
    cust, issue = cust[ok], issue[ok]
    order = np.lexsort((cust, issue))
    cust, issue = cust[order], issue[order]
    k = cust.size

    terms = customers["payment_terms"].to_numpy().astype("str")[cust]
    due = due_days(issue, terms)
    vat = latent["vat"].to_numpy()[cust]
    ht = round_cents(latent["ticket"].to_numpy()[cust] * np.exp(rng.normal(0, 0.6, k)) + 20)
    ttc = round_cents(ht * (1 + vat))
    year = issue.astype("datetime64[D]").astype("datetime64[Y]").astype("int64") + 1970
    inv_id = _ids("F", year).to_numpy()

    # ---- disputes (raised 5-40 days after issue; causes by frequency)
    dprop = latent["dispute_prop"].to_numpy()[cust]
    disputed = rng.random(k) < 0.035 * dprop
    d_idx = np.flatnonzero(disputed)
    nd = d_idx.size
    opened = issue[d_idx] + rng.integers(5, 41, nd)
    duration = np.round(rng.gamma(2.0, 18.0, nd)).astype("int64") + 3
    closed = opened + duration
    cause = rng.choice(_DISPUTE_CAUSES, size=nd, p=_DISPUTE_P)
    d_amount = round_cents(ttc[d_idx] * np.where(rng.random(nd) < 0.35, 1.0,
                                                  rng.uniform(0.05, 0.6, nd)))
    keep_d = opened <= as_of_day
    settle_cn = keep_d & (closed <= as_of_day) & np.isin(cause, ["price", "quantity", "quality"]) \
        & (rng.random(nd) < 0.6)

    # ---- credit notes: dispute settlements and ordinary returns / gestures
    other_cn = (~disputed) & (rng.random(k) < 0.015)
    o_idx = np.flatnonzero(other_cn)
    o_issue = issue[o_idx] + rng.integers(4, 35, o_idx.size)
    o_amount = -round_cents(ttc[o_idx] * np.where(rng.random(o_idx.size) < 0.3, 1.0,
                                                   rng.uniform(0.05, 0.5, o_idx.size)))
    cn_rel = np.r_[d_idx[settle_cn], o_idx]
    cn_issue = np.r_[closed[settle_cn], o_issue]
    cn_ttc = np.r_[-d_amount[settle_cn], o_amount]
    live_cn = (cn_issue <= as_of_day) & (cn_issue < liquidation_day[cust[cn_rel]])
    cn_rel, cn_issue, cn_ttc = cn_rel[live_cn], cn_issue[live_cn], cn_ttc[live_cn]
    cn_vat = vat[cn_rel]
    cn_ht = round_cents(cn_ttc / (1 + cn_vat))
    # credit already granted against each invoice (before its payment, see below)
    cn_year = cn_issue.astype("datetime64[D]").astype("datetime64[Y]").astype("int64") + 1970

    # ---- payments
    h = latent["health"].to_numpy()
    tr = latent["trend"].to_numpy()
    habit = latent["habit"].to_numpy()
    years_from_2024 = (issue - _days(pd.Timestamp("2024-07-01"))) / 365.25
    h_t = h[cust] + tr[cust] * years_from_2024
    mu = 2.0 + 7.0 * np.clip(-h_t, -1.5, 4) + 6.5 * habit[cust]
    late = mu + rng.normal(0, 5, k) + rng.gamma(1.2, 4.0, k)
    # drift towards failure: much later in the 9 months before the judgment
    to_event = first_event[cust] - due
    late = late + np.where((to_event >= 0) & (to_event < 270), (270 - to_event) * 0.25, 0)
    late = np.clip(np.round(late), -12, None).astype("int64")
    method = latent["method"].to_numpy().astype("str")[cust]
    lcr = method == "lcr"
    bounced = lcr & (rng.random(k) < 0.03)
    late = np.where(lcr & ~bounced, 0, late)
    late = np.where(bounced, rng.integers(10, 45, k), late)
    cash_terms = terms == "cash"
    late = np.where(cash_terms, np.maximum(late // 3, 0), late)
    pay_day = due + late
    # payment runs: some customers pay on the 10th, the 25th or at month end
    run = latent["run_day"].to_numpy()[cust]
    dom = pay_day - pay_day.astype("datetime64[D]").astype("datetime64[M]").astype(
        "datetime64[D]").astype("int64") + 1
    mstart = pay_day - dom + 1
    next_mstart = _month_end(pay_day) + 1
    run_eff = np.where(run == 31, _month_end(pay_day) - mstart + 1, run)
    snapped = np.where(dom <= run_eff, mstart + run_eff - 1,
                       np.where(run == 31, _month_end(next_mstart), next_mstart + run - 1))
    pay_day = np.where((run > 0) & ~lcr, snapped, pay_day)
    # disputes: paid after the settlement; open disputes block payment
    dispute_close = np.full(k, -1, dtype="int64")
    dispute_close[d_idx[keep_d]] = closed[keep_d]
    pay_day = np.where(dispute_close >= 0, np.maximum(pay_day, dispute_close
                                                      + rng.integers(3, 20, k)), pay_day)
    # a few recent invoices slip through (not paid by the as-of date, nobody chased them yet)
    forgotten = (rng.random(k) < 0.01) & (due > as_of_day - 150)
    pay_day = np.where(forgotten, as_of_day + 10_000, pay_day)
    # gel du passif: invoices not paid at the judgment stay unpaid
    pay_day = np.where(pay_day >= first_event[cust], as_of_day + 10_000, pay_day)

    credit = np.bincount(cn_rel[cn_issue <= pay_day[cn_rel]], minlength=k,
                         weights=-cn_ttc[cn_issue <= pay_day[cn_rel]])
    due_cash = round_cents(np.maximum(ttc - credit, 0.0))
    partial = (rng.random(k) < 0.05) & (due_cash > 100)
    first_share = np.where(partial, rng.uniform(0.3, 0.8, k), 1.0)
    first_amt = round_cents(due_cash * first_share)
    second_amt = round_cents(due_cash - first_amt)
    second_day = pay_day + rng.integers(15, 60, k)
    second_day = np.where(second_day >= first_event[cust], as_of_day + 10_000, second_day)

    p_inv = np.r_[np.arange(k), np.flatnonzero(partial)]
    p_day = np.r_[pay_day, second_day[partial]]
    p_amt = np.r_[first_amt, second_amt[partial]]
    settled = np.where(partial, second_day, pay_day)
    exported = (issue >= start_day) | (settled >= start_day)
    live = (p_day <= as_of_day) & (p_amt > 0) & exported[p_inv]
    p_inv, p_day, p_amt = p_inv[live], p_day[live], p_amt[live]
    p_cust = cust[p_inv]
    # one transfer per customer and day settles several invoices (shared payment_id)
    order = np.lexsort((p_inv, p_cust, p_day))
    p_inv, p_day, p_amt, p_cust = p_inv[order], p_day[order], p_amt[order], p_cust[order]
    new_tx = np.r_[True, (np.diff(p_day) != 0) | (np.diff(p_cust) != 0)]
    tx = np.cumsum(new_tx) - 1
    tx_day = p_day[new_tx]
    tx_year = tx_day.astype("datetime64[D]").astype("datetime64[Y]").astype("int64") + 1970
    tx_id = _ids("R", tx_year).to_numpy()
    # ~1.5 % of the last two months' transfers arrive without remittance advice: cash on account
    tx_unalloc = (rng.random(tx_day.size) < 0.015) & (tx_day > as_of_day - 60)
    line_invoice = np.where(tx_unalloc[tx], None, inv_id[p_inv])
    tx_method = method[p_inv][new_tx]

    pay_year = year  # noqa: F841 (kept for readability)
    cid = customers["customer_id"].to_numpy().astype("str")
    payments = pd.DataFrame({
        "payment_id": tx_id[tx],
        "customer_id": cid[p_cust],
        "payment_date": _to_dates(p_day),
        "amount": p_amt,
        "invoice_id": pd.array(line_invoice, dtype="str"),
        "method": tx_method[tx],
    })
    # unallocated lines of one transfer collapse into one line (one amount on account)
    un = payments["invoice_id"].isna()
    if un.any():
        agg = (payments[un].groupby(["payment_id", "customer_id", "payment_date", "method"],
                                    as_index=False, sort=False)["amount"].sum())
        agg["invoice_id"] = pd.array([None] * len(agg), dtype="str")
        agg["amount"] = round_cents(agg["amount"].to_numpy())
        payments = pd.concat([payments[~un], agg[payments.columns]], ignore_index=True)
        payments = payments.sort_values(["payment_date", "payment_id"], kind="stable",
                                        ignore_index=True)

    # ---- invoices table (invoices then credit notes, sorted by date)
    disputed_now = np.zeros(k, dtype=bool)
    open_now = keep_d & (closed > as_of_day)
    disputed_now[d_idx[open_now]] = True
    cause_now = np.full(k, None, dtype=object)
    cause_now[d_idx[open_now]] = cause[open_now]
    cn_id = _ids("A", cn_year).to_numpy()
    docs = pd.DataFrame({
        "invoice_id": np.r_[inv_id, cn_id],
        "customer_id": cid[np.r_[cust, cust[cn_rel]]],
        "doc_type": np.r_[np.full(k, "invoice"), np.full(cn_rel.size, "credit_note")],
        "issue_date": _to_dates(np.r_[issue, cn_issue]),
        "due_date": _to_dates(np.r_[due, cn_issue]),
        "amount_ttc": np.r_[ttc, cn_ttc],
        "amount_ht": np.r_[ht, cn_ht],
        "currency": "EUR",
        "related_invoice_id": pd.array(np.r_[np.full(k, None, dtype=object), inv_id[cn_rel]],
                                       dtype="str"),
        "disputed": np.r_[disputed_now, np.zeros(cn_rel.size, dtype=bool)],
        "dispute_cause": pd.array(np.r_[cause_now, np.full(cn_rel.size, None, dtype=object)],
                                  dtype="str"),
    })
    docs = docs[np.r_[exported, exported[cn_rel]]]
    docs = docs.sort_values(["issue_date", "invoice_id"], kind="stable", ignore_index=True)

    dis_year = opened.astype("datetime64[D]").astype("datetime64[Y]").astype("int64") + 1970
    disputes = pd.DataFrame({
        "dispute_id": _ids("L", dis_year, width=5).to_numpy(),
        "invoice_id": inv_id[d_idx],
        "customer_id": cid[cust[d_idx]],
        "opened_date": _to_dates(opened),
        "closed_date": _to_dates(np.where(closed <= as_of_day, closed, np.iinfo("int64").min)),
        "cause": cause,
        "amount_ttc": d_amount,
    })[keep_d & exported[d_idx]].sort_values(["opened_date", "dispute_id"], kind="stable", ignore_index=True)
    return docs, payments, disputes


def _orders(rng, customers, latent, liquidation_day, as_of_day):
    """The backlog at the as-of date: accepted orders and shipped goods not yet invoiced."""
    n = len(customers)
    active = liquidation_day > as_of_day
    lam = latent["rate"].to_numpy() * np.where(active, 1.0, 0.0)
    n_acc = rng.poisson(lam * 0.7)
    n_ship = rng.poisson(lam * 0.2)
    cust = np.r_[np.repeat(np.arange(n), n_acc), np.repeat(np.arange(n), n_ship)]
    status = np.r_[np.full(n_acc.sum(), "accepted"), np.full(n_ship.sum(), "shipped")]
    k = cust.size
    order_day = as_of_day - rng.integers(0, 45, k)
    ship_day = np.where(status == "shipped", np.minimum(order_day + rng.integers(1, 10, k),
                                                        as_of_day), np.iinfo("int64").min)
    order_day = np.where(status == "shipped", np.minimum(order_day, ship_day), order_day)
    vat = latent["vat"].to_numpy()[cust]
    amount = round_cents(latent["ticket"].to_numpy()[cust] * np.exp(rng.normal(0, 0.6, k))
                          * (1 + vat) * 1.3)
    order = np.lexsort((cust, order_day))
    year = order_day[order].astype("datetime64[D]").astype("datetime64[Y]").astype("int64") + 1970
    return pd.DataFrame({
        "order_id": _ids("CDE", year, width=6).to_numpy(),
        "customer_id": customers["customer_id"].to_numpy().astype("str")[cust[order]],
        "order_date": _to_dates(order_day[order]),
        "amount_ttc": amount[order],
        "status": status[order],
        "ship_date": _to_dates(ship_day[order]),
    })


# --------------------------------------------------------------------------- public API
def make_portfolio(seed: int = DEMO_SEED, n_customers: int = DEMO_N_CUSTOMERS,
                   start=DEMO_START, as_of=DEMO_AS_OF, *,
                   invoices_per_customer_month: float | None = None) -> dict[str, pd.DataFrame]:
    """Generate a demo portfolio: every canonical table, consistent with each other.

    Parameters
    ----------
    seed : int
        Seed of ``numpy.random.default_rng``; the same seed gives the same tables.
    n_customers : int
        Number of customer accounts (>= 10).
    start, as_of : date-like
        First day of the ledger and date of the export (as-of date). At least 12 months apart.
        Financial statements cover fiscal years 2022-2024 (filed about five months after
        closing, so ``as_of`` should be on or after 2025-06-01 to see them all).
    invoices_per_customer_month : float, optional
        Mean number of invoices per customer and month (before seasonality); by default it
        depends on the customer's size (about 2.3 on average). Benchmarks use it to build
        ledgers of millions of invoices.

    Returns
    -------
    dict of DataFrame
        ``customers, invoices, payments, orders, disputes, financial_statements, events`` with
        the canonical columns (``creditlab.io.tables``) and dtypes.

    Raises
    ------
    InputError
        Bad ``seed``, ``n_customers``, dates or ``invoices_per_customer_month``.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InputError("seed", "a non-negative integer", seed, "pass e.g. seed=2025")
    if isinstance(n_customers, bool) or not isinstance(n_customers, (int, np.integer)) \
            or n_customers < 10:
        raise InputError("n_customers", "an integer >= 10", n_customers,
                         "pass the number of customer accounts to generate, e.g. 400")
    start_ts, as_of_ts = as_date(start, "start"), as_of_date(as_of)
    if (as_of_ts - start_ts).days < 365:
        raise InputError("as_of", "a date at least 12 months after start", (start, as_of),
                         "widen the period, e.g. start='2024-01-01', as_of='2025-12-31'")
    if invoices_per_customer_month is not None and not (0 < invoices_per_customer_month < 1e4):
        raise InputError("invoices_per_customer_month", "a positive number",
                         invoices_per_customer_month, "pass e.g. 20, or None for the default")

    rng = np.random.default_rng(seed)
    start_day, as_of_day = _days(start_ts), _days(as_of_ts)
    customers, latent = _customers(rng, int(n_customers), start_day, as_of_day)
    ids = customers["customer_id"].to_numpy().astype("str")
    events, first_event, liquidation_day = _events(rng, latent, start_day, as_of_day, ids)
    fs = _statements(rng, customers, latent, first_event)
    invoices, payments, disputes = _ledger(rng, customers, latent, first_event, liquidation_day,
                                           start_day, as_of_day, invoices_per_customer_month)
    orders = _orders(rng, customers, latent, liquidation_day, as_of_day)
    tables = {"customers": customers, "invoices": invoices, "payments": payments,
              "orders": orders, "disputes": disputes, "financial_statements": fs,
              "events": events}
    return {name: coerce_types(df[columns_of(name)], name) for name, df in tables.items()}


def write_portfolio(tables: dict[str, pd.DataFrame], out_dir) -> Path:
    """Write the tables as ``NAME.csv`` (UTF-8, ``,`` separator, ISO dates) atomically.

    The files are written into a temporary sibling directory that replaces ``out_dir`` only
    once every file is complete, so a failure never leaves a half-written dataset.
    """
    out = Path(out_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        for name, df in tables.items():
            if name not in TABLES:
                raise InputError("tables", f"names among {sorted(TABLES)}", name,
                                 "pass the dict returned by make_portfolio")
            df.to_csv(tmp / f"{name}.csv", index=False, date_format="%Y-%m-%d",
                      lineterminator="\n")
        if out.exists():
            old = out.with_name(f".{out.name}-old")
            if old.exists():
                shutil.rmtree(old)
            os.replace(out, old)
            os.replace(tmp, out)
            shutil.rmtree(old)
        else:
            os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def main(argv=None) -> int:
    """``python -m creditlab.synth [--out datasets/demo] [--seed 2025] [--n-customers 400]``."""
    ap = argparse.ArgumentParser(prog="python -m creditlab.synth",
                                 description="Generate the demo portfolio as CSV files.")
    ap.add_argument("--out", default=str(DEMO_DIR))
    ap.add_argument("--seed", type=int, default=DEMO_SEED)
    ap.add_argument("--n-customers", type=int, default=DEMO_N_CUSTOMERS)
    args = ap.parse_args(argv)
    tables = make_portfolio(seed=args.seed, n_customers=args.n_customers)
    out = write_portfolio(tables, args.out)
    for name, df in tables.items():
        print(f"{name:22s} {len(df):>8,d} rows  {(out / f'{name}.csv').stat().st_size:>10,d} B")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
