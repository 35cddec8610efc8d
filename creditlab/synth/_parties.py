"""The demo's customers and their insolvency proceedings (events)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from creditlab.synth._common import (
    _LEGAL_FORMS,
    _NAF,
    _NAME_PREFIX,
    _REPS,
    _SECTOR_P,
    _SECTORS,
    _SIZE_INVOICES,
    _SIZE_P,
    _SIZE_REVENUE,
    _SIZE_TICKET,
    _SIZES,
    _SURNAMES,
    VAT_RATE,
    _days,
    _sigmoid,
    _siren,
    _to_dates,
)


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
