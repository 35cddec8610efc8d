"""Words of credit limits and credit hold, produced at the edge from the results' codes.

:func:`~creditlab.limits.propose_limits` and :func:`~creditlab.limits.credit_hold` return
codes and numbers only (``binding``, ``remedy_codes``, ``reasons``, ``decision``, amounts).
The functions here turn a result's table into the words a person reads (French by default):
the binding constraint's name, the remedies, the decision, its reasons and what would release
the order. They compute no new figure: every amount they write is a column of the table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from creditlab.i18n import check_lang, format_eur, format_pct
from creditlab.labels import text
from creditlab.limits.codes import Decision, HoldReason

__all__ = ["REMEDY_CODES", "limit_words", "hold_words"]

#: Remedy codes of :func:`~creditlab.limits.propose_limits`, in the order they are suggested.
REMEDY_CODES = ("cash", "insurance_topup", "shorter_terms", "guarantee", "deposit")

_REMEDY_FR = {
    "cash": "paiement comptant ou acompte à la commande",
    "insurance_topup": "complément d'assurance de {amount}",
    "shorter_terms": "conditions plus courtes : paiement à {days} jours au plus",
    "guarantee": "garantie (caution, garantie à première demande ou lettre de crédit) de "
                 "{amount}",
    "deposit": "acompte de {share} à la commande",
}
_REMEDY_EN = {
    "cash": "cash payment or deposit with the order",
    "insurance_topup": "insurance top-up of {amount}",
    "shorter_terms": "shorter terms: payment within {days} days at most",
    "guarantee": "guarantee (surety, first-demand guarantee or letter of credit) of {amount}",
    "deposit": "deposit of {share} with the order",
}


def _join(frame: pd.DataFrame, index: pd.Index) -> pd.Series:
    if not len(frame):
        return pd.Series([], dtype="str", index=index)
    return frame.apply(lambda r: " ; ".join(x for x in r if x), axis=1).astype("str")


def limit_words(table: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """A :class:`~creditlab.limits.LimitProposal` table with its words added.

    Adds ``binding_label`` (the binding constraint's name), ``remedy`` (the first suggested
    remedy, ``""`` when the limit covers the need) and ``remedies`` (all of them, ``" ; "``
    separated), written from the codes and amounts of the table (``binding``,
    ``remedy_codes``, ``insurance_topup``, ``shorter_terms_days``, ``gap_to_need``,
    ``deposit_share``). Amounts in whole euros, shares in whole percent.
    """
    lang = check_lang(lang)
    words = _REMEDY_FR if lang == "fr" else _REMEDY_EN
    out = table.copy()
    out["binding_label"] = out["binding"].map(
        lambda b: text(f"limit_method.{b}", lang) if b else "").astype("str")
    idx = out.index
    codes = out["remedy_codes"].fillna("").astype("str")
    def fmt(col, f):
        return out[col].astype("float64").map(lambda v: f(v) if np.isfinite(v) else "")

    filled = {
        "cash": pd.Series(words["cash"], index=idx),
        "insurance_topup": fmt("insurance_topup", lambda v: words["insurance_topup"].format(
            amount=format_eur(v, lang, 0))),
        "shorter_terms": fmt("shorter_terms_days", lambda v: words["shorter_terms"].format(
            days=int(v))),
        "guarantee": fmt("gap_to_need", lambda v: words["guarantee"].format(
            amount=format_eur(v, lang, 0))),
        "deposit": fmt("deposit_share", lambda v: words["deposit"].format(
            share=format_pct(v, lang, 0))),
    }
    listed = codes.str.split(";")
    parts = [pd.Series(np.where(listed.map(lambda cs, c=code: c in cs).to_numpy(bool),
                                filled[code], ""), index=idx, dtype=object)
             for code in REMEDY_CODES]
    frame = pd.concat(parts, axis=1) if parts else pd.DataFrame(index=idx)
    out["remedy"] = (frame.replace("", np.nan).bfill(axis=1).iloc[:, 0].fillna("")
                     .astype("str") if len(frame) else pd.Series([], dtype="str", index=idx))
    out["remedies"] = _join(frame, idx)
    return out


def _amounts(s: pd.Series, lang: str) -> pd.Series:
    return s.map(lambda v: format_eur(v, lang)).astype("str")


def hold_words(decisions: pd.DataFrame | pd.Series, lang: str = "fr"):
    """A :class:`~creditlab.limits.HoldReport` decisions table (or one row of it, e.g. from
    :func:`~creditlab.limits.check_order`) with its words added.

    Adds ``decision_label`` (the decision applied), ``reason_text`` (its reasons, ``" ; "``
    separated) and ``release_condition`` (what would release the order: the payment in
    ``release_payment``, the raise in ``limit_increase``, a limit of at least
    ``exposure_after``, the resolution of the ``disputed`` amount, ...). Amounts in euros with
    cents.
    """
    lang = check_lang(lang)
    if isinstance(decisions, pd.Series):
        return hold_words(decisions.to_frame().T.infer_objects(), lang).iloc[0]
    out = decisions.copy()
    fr = lang == "fr"
    idx = out.index
    reasons = out["reasons"].fillna("").astype("str")
    out["reason_text"] = reasons.map(
        lambda s: " ; ".join(HoldReason(c).label(lang) for c in s.split(";") if c)).astype("str")
    out["decision_label"] = out["decision"].map(lambda d: Decision(d).label(lang)).astype("str")
    has = {r.value: reasons.str.split(";").map(lambda cs, c=r.value: c in cs).to_numpy(bool)
           for r in HoldReason}
    pay = out["release_payment"].astype("float64")
    parts: list[pd.Series] = []

    def part(mask, words):
        parts.append(pd.Series(np.where(mask, words, ""), index=idx, dtype=object))

    on_overdue = pay <= out["past_due"].astype("float64") + 0.005
    only_over = pd.Series(has["over_limit"] & ~has["overdue_amount"] & ~has["overdue_age"],
                          index=idx)
    pay_txt = _amounts(pay, lang)
    inc = _amounts(out["limit_increase"], lang)
    part((pay > 0.005) & only_over,
         ("paiement de " + pay_txt + " ou hausse de limite de " + inc) if fr
         else ("payment of " + pay_txt + " or a limit increase of " + inc))
    part((pay > 0.005) & ~only_over & on_overdue,
         ("paiement de " + pay_txt + " des factures échues") if fr
         else ("payment of " + pay_txt + " of the past-due invoices"))
    part((pay > 0.005) & ~only_over & ~on_overdue,
         ("paiement de " + pay_txt + " (factures échues en priorité)") if fr
         else ("payment of " + pay_txt + " (past-due invoices first)"))
    part(has["over_limit"] & ~only_over,
         ("hausse de limite de " + inc + " (lève le seul dépassement)") if fr
         else ("limit increase of " + inc + " (clears the overrun only)"))
    need = _amounts(out["exposure_after"], lang)
    part(has["no_limit"], ("attribution d'une limite d'au moins " + need) if fr
         else ("a credit limit of at least " + need))
    part(has["rating_class"], "revue de la classe de risque ou garantie (caution, lettre de "
         "crédit)" if fr else "rating review or a guarantee (surety, letter of credit)")
    part(has["insurer_cancelled"], "nouvel agrément de l'assureur, garantie ou paiement "
         "d'avance" if fr else "new insurer agreement, guarantee or prepayment")
    disp = _amounts(out["disputed"], lang)
    part(has["disputes"], ("résolution des litiges ouverts (" + disp + ")") if fr
         else ("resolution of the open disputes (" + disp + ")"))
    part(has["insolvency"], "paiement comptant avant expédition (procédure collective)" if fr
         else "cash before shipment (insolvency proceedings)")
    out["release_condition"] = _join(pd.concat(parts, axis=1), idx)
    return out
