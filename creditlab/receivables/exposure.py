"""Exposure at a date (risque maximum à l'instant T), per customer and for the portfolio.

``exposure = open receivables + shipped not invoiced + orders accepted − guarantees``, never
negative, split into an insured part (within the credit insurer's agreement, times the insured
share) and an uninsured part (DOMAIN.md §5, §8).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from creditlab._drawing import drawn_by
from creditlab.exceptions import InputError
from creditlab.i18n import check_lang
from creditlab.receivables.items import OpenItems, resolve_items

__all__ = ["GUARANTEE_KINDS", "GUARANTEE_LABELS", "EXPOSURE_LABELS", "Exposure", "exposure"]

#: Kinds of guarantee accepted in the ``guarantees`` table.
GUARANTEE_KINDS = ("caution", "garantie_premiere_demande", "lettre_de_credit", "depot")
GUARANTEE_LABELS: dict[str, dict[str, str]] = {
    "caution": {"fr": "caution", "en": "surety bond"},
    "garantie_premiere_demande": {"fr": "garantie à première demande",
                                  "en": "first-demand guarantee"},
    "lettre_de_credit": {"fr": "lettre de crédit", "en": "letter of credit"},
    "depot": {"fr": "dépôt de garantie", "en": "cash deposit"},
}
EXPOSURE_LABELS: dict[str, dict[str, str]] = {
    "open_receivables": {"fr": "encours ouvert", "en": "open receivables"},
    "shipped_not_invoiced": {"fr": "livré non facturé", "en": "shipped not invoiced"},
    "orders_accepted": {"fr": "commandes acceptées", "en": "orders accepted"},
    "gross_exposure": {"fr": "risque brut", "en": "gross exposure"},
    "guarantees": {"fr": "garanties", "en": "guarantees"},
    "net_exposure": {"fr": "risque net", "en": "net exposure"},
    "credit_limit": {"fr": "limite de crédit", "en": "credit limit"},
    "headroom": {"fr": "disponible", "en": "headroom"},
    "insurer_agreement": {"fr": "agrément assureur", "en": "insurer agreement"},
    "insured": {"fr": "part assurée", "en": "insured"},
    "uninsured": {"fr": "part non assurée", "en": "uninsured"},
    "share": {"fr": "part du risque total", "en": "share of total"},
    "overrun": {"fr": "dépassement", "en": "overrun"},
    "over_limit": {"fr": "en dépassement", "en": "over limit"},
}

_ALIASES = {"garantie à première demande": "garantie_premiere_demande", "gapd":
            "garantie_premiere_demande", "letter_of_credit": "lettre_de_credit",
            "lc": "lettre_de_credit", "deposit": "depot", "dépôt": "depot",
            "first_demand_guarantee": "garantie_premiere_demande", "surety": "caution"}


def _check(df, name: str, cols: tuple[str, ...], fix: str) -> None:
    if not isinstance(df, pd.DataFrame):
        raise InputError(name, "a DataFrame", type(df).__name__, fix)
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise InputError(name, f"columns {list(cols)}", f"missing {missing}", fix)


def _amounts(values: pd.Series, name: str) -> pd.Series:
    """Euro amounts as float64; a missing or non-numeric value is a clear error."""
    out = pd.to_numeric(values, errors="coerce").astype("float64")
    bad = out.isna()
    if bad.any():
        raise InputError(name, "an amount in euros on every row", values[bad].head(5).tolist(),
                         "fill or correct the amounts (numbers, '.' as decimal point)")
    return out


def _guarantees_at(guarantees: pd.DataFrame, asof: pd.Timestamp) -> pd.Series:
    _check(guarantees, "guarantees", ("customer_id", "kind", "amount"),
           "pass a table customer_id, kind, amount, valid_from, valid_to")
    kind = guarantees["kind"].astype("str").str.strip().str.lower()
    kind = kind.map(lambda k: _ALIASES.get(k, k))
    bad = ~kind.isin(GUARANTEE_KINDS)
    if bad.any():
        raise InputError("guarantees.kind", f"one of {GUARANTEE_KINDS}",
                         guarantees.loc[bad, "kind"].head(5).tolist(),
                         "use caution, garantie_premiere_demande, lettre_de_credit or depot")
    amount = pd.to_numeric(guarantees["amount"], errors="coerce")
    if amount.isna().any() or (amount < 0).any():
        raise InputError("guarantees.amount", "amounts >= 0 (euros)",
                         guarantees.loc[amount.isna() | (amount < 0), "amount"].head(5).tolist())
    valid = pd.Series(True, index=guarantees.index)
    if "valid_from" in guarantees.columns:
        vf = pd.to_datetime(guarantees["valid_from"])
        valid &= vf.isna() | (vf <= asof)
    if "valid_to" in guarantees.columns:
        vt = pd.to_datetime(guarantees["valid_to"])
        valid &= vt.isna() | (vt >= asof)
    return amount[valid].astype("float64").groupby(guarantees.loc[valid, "customer_id"]).sum()


def exposure(items, orders: pd.DataFrame | None = None, as_of=None, *,
             customers: pd.DataFrame | None = None, guarantees: pd.DataFrame | None = None,
             insured_share: float = 0.9) -> Exposure:
    """Exposure per customer at ``as_of`` and its insured / uninsured split.

    Parameters
    ----------
    items : OpenItems or DataFrame
        Open items (``Ledger.at(as_of)``, ``creditlab.io.fec_open_items``, or the DataFrame of
        ``creditlab.receivables.open_items``): signed ``open_amount`` per document.
    orders : DataFrame or None
        Canonical ``orders`` (the backlog): ``status == "shipped"`` with ``ship_date`` on or
        before ``as_of`` counts as shipped not invoiced; other orders dated on or before
        ``as_of`` as accepted orders.
    as_of : date-like, optional
        Taken from :class:`OpenItems` (a different date raises); required with a DataFrame.
    customers : DataFrame, optional
        Gives ``credit_limit`` and ``insurer_agreement`` (empty = not insured; 0 = agreement
        refused or cancelled). Every customer of the table appears in the result. Defaults to
        the customers carried by :class:`OpenItems`, when any.
    guarantees : DataFrame, optional
        ``customer_id, kind, amount, valid_from, valid_to``; kinds: ``caution``,
        ``garantie_premiere_demande``, ``lettre_de_credit``, ``depot``. Guarantees valid at
        ``as_of`` (empty bounds = open) are deducted.
    insured_share : float, default 0.9
        Quotité garantie: share of a covered loss the insurer pays.

    Returns
    -------
    Exposure
        ``by_customer``: ``open_receivables, shipped_not_invoiced, orders_accepted,
        gross_exposure, guarantees, net_exposure, credit_limit, headroom, over_limit,
        insurer_agreement, insured, uninsured, share`` — where
        ``net_exposure = max(gross − guarantees, 0)``, ``insured = min(net_exposure,
        agreement) × insured_share`` (0 when not insured), ``uninsured = net − insured``
        (the excess over the agreement plus the retained share). A net credit balance offsets
        orders of the same customer. ``total``: the portfolio sums.

    Notes
    -----
    Source: DOMAIN.md §5.1 (AFDCC EC + FAE + EF), §8 (insured part = min(exposure, agreement)
    × quotité; pagesjaunes example: 40 k, agreement 30 k, 90 % → 27 k insured, 13 k retained).
    """
    if isinstance(items, OpenItems) and customers is None:
        customers = items.customers
    items, asof = resolve_items(items, as_of)
    _check(items, "items", ("customer_id", "open_amount"),
           "pass the output of creditlab.receivables.open_items")
    if isinstance(insured_share, bool) or not isinstance(insured_share, (int, float)) or not (
            0 <= insured_share <= 1):
        raise InputError("insured_share", "a fraction in [0, 1] (e.g. 0.9)", insured_share)
    open_rec = _amounts(items["open_amount"], "items.open_amount").groupby(
        items["customer_id"]).sum()
    shipped = accepted = pd.Series(dtype="float64")
    if orders is not None:
        _check(orders, "orders", ("customer_id", "order_date", "amount_ttc", "status"),
               "pass the canonical orders table")
        order_amt = _amounts(orders["amount_ttc"], "orders.amount_ttc")
        if (order_amt < 0).any():
            raise InputError("orders.amount_ttc", "order amounts >= 0",
                             order_amt[order_amt < 0].head(5).tolist())
        dated = (orders["order_date"] <= asof).to_numpy()
        o = orders[dated]
        is_shipped = o["status"].eq("shipped")
        if "ship_date" in o.columns:
            is_shipped &= o["ship_date"].isna() | (o["ship_date"] <= asof)
        amt = order_amt[dated]
        shipped = amt[is_shipped].groupby(o.loc[is_shipped, "customer_id"]).sum()
        accepted = amt[~is_shipped].groupby(o.loc[~is_shipped, "customer_id"]).sum()
    guar = (_guarantees_at(guarantees, asof) if guarantees is not None
            else pd.Series(dtype="float64"))
    ids = open_rec.index.union(shipped.index).union(accepted.index).union(guar.index)
    cust = None
    if customers is not None:
        _check(customers, "customers", ("customer_id",), "pass the customers table")
        cust = customers.drop_duplicates("customer_id").set_index("customer_id")
        ids = pd.Index(cust.index).union(ids)
    ids = pd.Index(ids, name="customer_id")
    t = pd.DataFrame(index=ids)
    t["open_receivables"] = open_rec.reindex(ids).fillna(0.0)
    t["shipped_not_invoiced"] = shipped.reindex(ids).fillna(0.0)
    t["orders_accepted"] = accepted.reindex(ids).fillna(0.0)
    t["gross_exposure"] = t["open_receivables"] + t["shipped_not_invoiced"] + t["orders_accepted"]
    t["guarantees"] = guar.reindex(ids).fillna(0.0)
    t["net_exposure"] = (t["gross_exposure"] - t["guarantees"]).clip(lower=0.0)
    nan = pd.Series(np.nan, index=ids, dtype="float64")
    limit = (cust["credit_limit"].astype("float64").reindex(ids)
             if cust is not None and "credit_limit" in cust.columns else nan)
    agreement = (cust["insurer_agreement"].astype("float64").reindex(ids)
                 if cust is not None and "insurer_agreement" in cust.columns else nan)
    t["credit_limit"] = limit
    t["headroom"] = limit - t["net_exposure"]
    t["over_limit"] = (t["headroom"] < -0.005).fillna(False).astype(bool)
    t["insurer_agreement"] = agreement
    covered = np.minimum(t["net_exposure"], agreement.fillna(0.0).clip(lower=0.0))
    t["insured"] = covered * float(insured_share)
    t["uninsured"] = t["net_exposure"] - t["insured"]
    total_net = float(t["net_exposure"].sum())
    t["share"] = t["net_exposure"] / total_net if total_net > 0 else np.nan
    return Exposure(by_customer=t, as_of=asof, insured_share=float(insured_share))


@dataclass(frozen=True)
class Exposure:
    """Exposure per customer at a date, with portfolio totals and concentration."""

    by_customer: pd.DataFrame
    as_of: pd.Timestamp
    insured_share: float = 0.9

    @property
    def total(self) -> pd.Series:
        """Portfolio sums of the amount columns (euros)."""
        cols = ["open_receivables", "shipped_not_invoiced", "orders_accepted", "gross_exposure",
                "guarantees", "net_exposure", "insured", "uninsured"]
        out = self.by_customer[cols].sum()
        out["n_customers_exposed"] = float((self.by_customer["net_exposure"] > 0.005).sum())
        out["n_over_limit"] = float(self.by_customer["over_limit"].sum())
        return out

    def top(self, n: int = 10) -> pd.DataFrame:
        """The ``n`` largest net exposures, with their share of the total."""
        return self.by_customer.sort_values("net_exposure", ascending=False).head(n)

    def concentration(self) -> pd.Series:
        """Top-1 / top-5 / top-10 shares of net exposure and the Herfindahl index (0-1).

        NaN when the portfolio has no exposure.
        """
        net = self.by_customer["net_exposure"].sort_values(ascending=False)
        tot = float(net.sum())
        if tot <= 0:
            return pd.Series({"top1": np.nan, "top5": np.nan, "top10": np.nan, "hhi": np.nan})
        s = net / tot
        return pd.Series({"top1": float(s.iloc[:1].sum()), "top5": float(s.iloc[:5].sum()),
                          "top10": float(s.iloc[:10].sum()), "hhi": float((s ** 2).sum())})

    def over_limit(self) -> pd.DataFrame:
        """Customers whose net exposure exceeds their credit limit, largest overrun first."""
        t = self.by_customer[self.by_customer["over_limit"]].copy()
        t["overrun"] = -t["headroom"]
        return t.sort_values("overrun", ascending=False)

    def summary(self) -> pd.DataFrame:
        """Portfolio totals in codes: one column ``total``, indexed by the codes of
        :attr:`total` (``open_receivables``, …, ``net_exposure``, ``insured``, ``uninsured``
        in euros; ``n_customers_exposed``, ``n_over_limit`` counts). :meth:`to_frame` gives
        the labels in words. ``lang`` is no longer a parameter (passing it raises
        ``TypeError``)."""
        return self.total.to_frame("total")

    def to_frame(self, lang: str = "fr") -> pd.DataFrame:
        """:meth:`summary` with the labels in ``lang`` ("risque net", "clients exposés"...)."""
        lang = check_lang(lang)
        labels = {k: v[lang] for k, v in EXPOSURE_LABELS.items()}
        labels["n_customers_exposed"] = "clients exposés" if lang == "fr" else "customers exposed"
        labels["n_over_limit"] = "clients en dépassement" if lang == "fr" else "over limit"
        return self.summary().rename(index=labels)

    #: Top exposures, insured vs uninsured, with the credit limit
    #: (:func:`creditlab.plots.kpi.plot_top_exposures`); returns the Axes.
    plot_top = drawn_by("creditlab.plots.kpi", "plot_top_exposures")

    def _repr_html_(self) -> str:
        return self.to_frame("fr").to_html(float_format=lambda v: f"{v:,.2f}")
