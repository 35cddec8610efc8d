"""Insure or self-insure a portfolio: premium plus retained losses against bearing every loss.

Expected loss per buyer = PD × LGD × EAD; with insurance the insured pays the premium and bears
what the policy does not indemnify (rules of :mod:`creditlab.finance.insurance`, DOMAIN.md §8).
A Monte-Carlo simulation of independent defaults applies the annual franchise and the annual
cap exactly and measures the bad-year cost — the protection insurance buys.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from creditlab._drawing import drawn_by
from creditlab.exceptions import InputError
from creditlab.finance import _common as c
from creditlab.finance.insurance import (
    INSURANCE_LABELS,
    CreditInsurancePolicy,
    _agreement_column,
    _cover,
    _policy,
)
from creditlab.i18n import check_lang, format_eur, format_pct

__all__ = ["insure_vs_self_insure", "InsuranceComparison"]


# ---------------------------------------------------------------------------------------------
# insure vs self-insure
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class InsuranceComparison(c.ResultMixin):
    """Result of :func:`insure_vs_self_insure`.

    ``by_buyer``: ``pd, ead, lgd, agreement, loss_if_default, expected_loss,
    indemnity_if_default, expected_indemnity, expected_retained``. ``table``: rows
    ``premium, expected_losses, expected_indemnity, expected_cost, std_cost, quantile_cost``
    (the last two from the simulation; NaN without one), columns ``insured``, ``self_insured``.
    """

    by_buyer: pd.DataFrame
    table: pd.DataFrame
    premium: float
    quantile: float
    n_sims: int

    _title = {"fr": "Assurance-crédit ou auto-assurance", "en": "Insure or self-insure"}
    _labels = INSURANCE_LABELS

    @property
    def expected_saving(self) -> float:
        """Self-insured expected cost − insured expected cost (> 0: insurance cheaper on
        average)."""
        return float(self.table.loc["expected_cost", "self_insured"]
                     - self.table.loc["expected_cost", "insured"])

    @property
    def loss_ratio(self) -> float:
        """Expected indemnities / premium (the insurer's S/P; market ≈ 40 % in 2022). NaN when
        the premium is 0."""
        return float(c.safe_div(self.table.loc["expected_indemnity", "insured"],
                                   self.premium))

    def summary(self) -> pd.DataFrame:
        """Rows ``premium`` … ``quantile_cost``, columns ``insured`` and ``self_insured``."""
        return self.table.copy()

    def to_frame(self, lang: str = "fr") -> pd.DataFrame:
        """The comparison in words (the quantile row names its level)."""
        lang = check_lang(lang)
        out = self.summary()
        labels = {k: v[lang] for k, v in INSURANCE_LABELS.items()}
        out.index = [labels[k] + (f" {format_pct(self.quantile, lang, 0)}"
                                  if k == "quantile_cost" else "") for k in out.index]
        out.columns = [labels["insured_option"], labels["self_insured"]]
        return out

    def explain(self, lang: str = "fr") -> str:
        lang = check_lang(lang)
        eur = lambda v: format_eur(v, lang, 0)  # noqa: E731
        t = self.table
        ins, self_ = t.loc["expected_cost", "insured"], t.loc["expected_cost", "self_insured"]
        q_ins, q_self = t.loc["quantile_cost", "insured"], t.loc["quantile_cost", "self_insured"]
        q = format_pct(self.quantile, lang, 0)
        if lang == "fr":
            s = (f"Coût annuel attendu : {eur(ins)} avec l'assurance (prime {eur(self.premium)}"
                 f" comprise) contre {eur(self_)} en auto-assurance ; l'assurance est "
                 f"{'moins chère' if ins < self_ else 'plus chère'} en moyenne de "
                 f"{eur(abs(self_ - ins))}.")
            if np.isfinite(q_ins):
                s += (f" Dans une mauvaise année (quantile {q}), le coût serait de {eur(q_ins)}"
                      f" assuré contre {eur(q_self)} non assuré : c'est la protection achetée.")
            return s
        s = (f"Expected yearly cost: {eur(ins)} insured (premium {eur(self.premium)} included) "
             f"versus {eur(self_)} self-insured; insurance is "
             f"{'cheaper' if ins < self_ else 'dearer'} on average by {eur(abs(self_ - ins))}.")
        if np.isfinite(q_ins):
            s += (f" In a bad year ({q} quantile) the cost would be {eur(q_ins)} insured versus "
                  f"{eur(q_self)} uninsured: that is the protection bought.")
        return s

    #: Expected cost insured (premium + retained) against self-insured, bad-year marks.
    plot_costs = drawn_by("creditlab.plots.finance", "plot_insurance_comparison")


def insure_vs_self_insure(portfolio: pd.DataFrame, policy: CreditInsurancePolicy | Mapping, *,
                          insured_turnover: float, lgd: float | None = None,
                          n_sims: int = 20000, seed: int = 0,
                          quantile: float = 0.99) -> InsuranceComparison:
    """Compare insuring a portfolio with bearing its losses (self-insurance) over one year.

    Parameters
    ----------
    portfolio : DataFrame
        One row per buyer: ``pd`` (one-year probability of default), ``ead`` (exposure at
        default in the policy's basis — HT by default — euros), optional ``lgd`` (else the
        keyword) and ``agreement`` / ``insurer_agreement`` (empty = no named agreement).
    policy : CreditInsurancePolicy or dict
    insured_turnover : float
        Turnover declared to the insurer (premium base, euros).
    lgd : float, optional
        Loss given default (fraction of EAD lost net of recoveries) when there is no column.
    n_sims : int, default 20000
        Monte-Carlo years simulated (independent defaults) to apply the annual franchise and the
        annual cap exactly and to measure the bad-year cost; 0 = analytic expectations only
        (which then ignore the annual franchise and cap — documented in ``table``).
    seed : int, default 0
    quantile : float, default 0.99
        Bad-year quantile reported.

    Returns
    -------
    InsuranceComparison

    Notes
    -----
    Expected loss = PD × LGD × EAD per buyer; with insurance the insured pays the premium and
    bears the losses not indemnified (DOMAIN.md §8 indemnity rules). Defaults are simulated as
    independent: correlated defaults (a recession) make bad years worse than shown.
    """
    p = _policy(policy)
    df = c.require_columns(portfolio, "portfolio", ("pd", "ead"),
                           "pass one row per buyer with pd and ead (and agreement)")
    if df.empty:
        raise InputError("portfolio", "at least one buyer", "an empty table")
    pd_ = c.column(df, "pd", "portfolio", lo=0.0, hi=1.0, fix="give pd as a probability")
    ead = c.column(df, "ead", "portfolio", lo=0.0)
    if "lgd" in df.columns:
        lgd_ = c.column(df, "lgd", "portfolio", lo=0.0, hi=1.0)
    elif lgd is None:
        raise InputError("lgd", "a keyword value or an 'lgd' column", None,
                         "pass lgd=0.9 (for example) or add an lgd column")
    else:
        lgd_ = np.full(len(df), c.scalar("lgd", lgd, lo=0.0, hi=1.0))
    if any(col in df.columns for col in ("agreement", "insurer_agreement")):
        agr = _agreement_column(df, "portfolio")
    else:
        agr = np.full(len(df), np.nan)
    if isinstance(n_sims, bool) or not isinstance(n_sims, (int, np.integer)) or \
            not 0 <= n_sims <= 1_000_000:
        raise InputError("n_sims", "a whole number in [0, 1 000 000]", n_sims)
    q = c.scalar("quantile", quantile, lo=0.5, hi=1.0, hi_open=True,
                 fix="e.g. 0.99 for a one-in-a-hundred bad year")
    premium = float(p.premium(c.scalar("insured_turnover", insured_turnover, lo=0.0)))
    loss = lgd_ * ead
    _, ind = _cover(loss, agr, p)
    by_buyer = pd.DataFrame({"pd": pd_, "ead": ead, "lgd": lgd_, "agreement": agr,
                             "loss_if_default": loss, "expected_loss": pd_ * loss,
                             "indemnity_if_default": ind, "expected_indemnity": pd_ * ind},
                            index=df.index)
    by_buyer["expected_retained"] = by_buyer["expected_loss"] - by_buyer["expected_indemnity"]
    el = float(by_buyer["expected_loss"].sum())
    if n_sims == 0:
        e_ind = float(by_buyer["expected_indemnity"].sum())
        std_i = std_s = q_i = q_s = np.nan
    else:
        rng = np.random.default_rng(seed)
        n = len(df)
        chunk = max(1, min(n_sims, 2_000_000 // max(n, 1)))
        tot_loss = np.empty(n_sims)
        tot_ind = np.empty(n_sims)
        done = 0
        while done < n_sims:
            k = min(chunk, n_sims - done)
            hit = rng.random((k, n)) < pd_
            tot_loss[done:done + k] = hit @ loss
            tot_ind[done:done + k] = hit @ ind
            done += k
        paid = np.maximum(tot_ind - p.annual_deductible, 0.0)
        if p.max_indemnity is not None:
            paid = np.minimum(paid, p.max_indemnity)
        cost_ins = premium + tot_loss - paid
        e_ind = float(paid.mean())
        std_i, std_s = float(cost_ins.std()), float(tot_loss.std())
        q_i, q_s = float(np.quantile(cost_ins, q)), float(np.quantile(tot_loss, q))
    table = pd.DataFrame(
        {"insured": [premium, el, e_ind, premium + el - e_ind, std_i, q_i],
         "self_insured": [0.0, el, 0.0, el, std_s, q_s]},
        index=["premium", "expected_losses", "expected_indemnity", "expected_cost", "std_cost",
               "quantile_cost"])
    return InsuranceComparison(by_buyer=by_buyer, table=table, premium=premium, quantile=q,
                               n_sims=int(n_sims))
