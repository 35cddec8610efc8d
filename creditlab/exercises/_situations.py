"""Mises en situation on the demo portfolio and on the trainee's own company.

- :func:`customer_file` / :func:`decide_limit` (``ms_limite_commande``): the full file of a
  customer of the demo portfolio — identity, three years of accounts, scores and rating, payment
  behaviour, exposure, the new order — from which the trainee sets a credit limit and decides
  whether the order is released. The feedback per criterion compares the decision with
  creditlab's own limit (:func:`creditlab.limits.propose_limits`) and order check
  (:func:`creditlab.limits.check_order` against that limit): nothing is stored, every figure
  is computed from the demo when the case is opened.
- :func:`autodiagnostic` (``ms_autodiagnostic``): the trainee describes their own company
  (sales, receivables, overdue, losses, terms, practices) and gets, criterion by criterion,
  what creditlab computes from it (DSO, cost of the customer credit, legal term cap) and what
  to improve first.

Both record what the trainee answered for the trainer's view
(:func:`creditlab.exercises.session`).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from functools import cache

import pandas as pd

from creditlab import scores as sc
from creditlab.display import show
from creditlab.exceptions import InputError
from creditlab.exercises._answers import read_number
from creditlab.exercises._model import Feedback
from creditlab.exercises._results import record_results
from creditlab.exercises._roleplay import Rubric
from creditlab.finance import financing_cost
from creditlab.i18n import format_eur, format_number, format_pct
from creditlab.io.datasets import load_demo
from creditlab.limits import (
    CreditPolicy,
    check_order,
    hold_words,
    limit_inputs,
    propose_limits,
)
from creditlab.receivables import exposure_at, open_items, payment_behaviour
from creditlab.receivables.kpi import dso_simple
from creditlab.synth import DEMO_AS_OF

__all__ = ["CustomerFile", "customer_file", "decide_limit", "autodiagnostic", "SITUATIONS",
           "LIMIT_TOLERANCE"]

#: The cases of this module (id → part of the course and statement).
SITUATIONS: dict[str, dict] = {
    "ms_limite_commande": {
        "part": 2,
        "statement": "Vous êtes credit manager. Le commercial transmet une nouvelle commande de "
                     "ce client. Lisez son dossier (identité, comptes, scores, comportement de "
                     "paiement, encours) puis décidez : quelle limite de crédit lui accordez-vous, "
                     "et libérez-vous la commande ?",
    },
    "ms_autodiagnostic": {
        "part": 1,
        "statement": "Décrivez votre propre entreprise (ou celle d'un client que vous "
                     "connaissez) : chiffre d'affaires, encours, retards, pertes, délais, "
                     "pratiques. Le diagnostic dit, point par point, où vous en êtes et par quoi "
                     "commencer.",
    },
}

#: Tolerance on the limit typed by the trainee, stated in the question (share of creditlab's).
LIMIT_TOLERANCE = 0.10


@dataclass(frozen=True)
class CustomerFile:
    """The file of the customer of ``ms_limite_commande`` (tables in codes; ``show()``
    from :mod:`creditlab.display` prints them in French) and the figures the feedback uses."""

    customer_id: str
    as_of: pd.Timestamp
    identity: pd.Series
    accounts: pd.DataFrame         # three fiscal years, key aggregates
    scores: pd.Series              # classic scores and the internal rating
    behaviour: pd.Series           # payment behaviour
    exposure: pd.Series            # open receivables, orders, guarantees, current limit
    order_amount: float            # the new order, euros TTC
    expected: pd.Series            # creditlab's limit, binding constraint and order decision

    def _repr_html_(self) -> str:
        def part(title, table, **kw):
            return f"<h4>{title}</h4>" + show(table, **kw).to_html()

        return (f"<h3>Dossier client {self.customer_id} — {self.identity.get('name', '')}</h3>"
                + part("Identité", self.identity.rename("fiche"), rows=True)
                + part("Comptes annuels (€)", self.accounts, decimals=0)
                + part("Scores et notation", self.scores.rename("valeur"), rows=True)
                + part("Comportement de paiement", self.behaviour.rename("valeur"), rows=True)
                + part("Encours et engagements (€ TTC)", self.exposure.rename("montant"),
                       rows=True, decimals=0)
                + f"<p><b>Nouvelle commande : {format_eur(self.order_amount, decimals=0)} TTC"
                  f"</b>, datée du {self.as_of.strftime('%d/%m/%Y')}.</p>")


@cache
def _demo_file() -> CustomerFile:
    as_of = pd.Timestamp(DEMO_AS_OF)
    demo = load_demo()
    customers, fs = demo["customers"], demo["financial_statements"]
    items = open_items(demo["invoices"], demo["payments"], as_of, disputes=demo["disputes"])
    behaviour = payment_behaviour(demo["invoices"], demo["payments"], as_of)
    closed = fs[fs["fiscal_year_end"] <= as_of]
    latest = closed.sort_values("fiscal_year").groupby("customer_id").tail(1)
    classic = sc.score_words(sc.classic_scores(latest))
    rating = sc.rating_words(sc.customer_rating(customers, scores=classic,
                                                payment_behaviour=behaviour,
                                                events=demo["events"], as_of=as_of))
    classes = rating["rating_class"].astype("float64")
    policy = CreditPolicy.load()
    inputs = limit_inputs(customers, demo["invoices"], as_of, financial_statements=fs,
                          items=items, orders=demo["orders"], behaviour=behaviour,
                          ratings=classes)
    limits = propose_limits(inputs, policy, as_of=as_of).in_words()
    exposure = exposure_at(items, demo["orders"], as_of, customers=customers).by_customer
    # the case: a customer rated 2 with three years of accounts, not in insolvency, whose
    # exposure is below creditlab's limit (the largest such), so that the order decides
    years = closed.groupby("customer_id")["fiscal_year"].nunique()
    in_procedure = set(demo["events"].loc[demo["events"]["event_date"] <= as_of,
                                          "customer_id"])
    pool = limits[(limits["rating_class"] == 2)
                  & limits.index.isin(years[years >= 3].index)
                  & ~limits.index.isin(in_procedure) & (limits["proposed_limit"] > 0)]
    pool = pool.join(exposure[["gross_exposure"]])
    pool = pool[(pool["gross_exposure"] > 0) & (pool["gross_exposure"] < pool["proposed_limit"])]
    if pool.empty:  # the demo is seeded: this only guards a regenerated portfolio
        raise InputError("demo portfolio", "a customer rated 2 with open receivables",
                         "none", "regenerate the demo with the default seed")
    cid = str(pool["gross_exposure"].idxmax())
    row = limits.loc[cid]
    headroom = float(row["proposed_limit"] - exposure.loc[cid, "gross_exposure"])
    # the order overruns creditlab's limit by more than the tolerance on the limit (15 % of
    # it, rounded up to 1 000 €): any limit accepted as right leaves the order over it
    order = float(math.ceil((headroom + 1.5 * LIMIT_TOLERANCE * float(row["proposed_limit"]))
                            / 1_000) * 1_000)
    decision = hold_words(check_order(cid, order, demo["orders"], items, as_of,
                                      customers=customers, policy=policy, ratings=classes,
                                      disputes=demo["disputes"], events=demo["events"],
                                      limits=limits["proposed_limit"]))
    ident = customers.set_index("customer_id").loc[cid, ["name", "sector", "segment",
                                                         "size_class", "founded_date",
                                                         "payment_terms", "credit_limit"]]
    accounts = (closed[closed["customer_id"] == cid].sort_values("fiscal_year")
                .set_index("fiscal_year")[["sales_goods", "production_sold", "net_income",
                                           "equity", "total_assets"]].tail(3))
    score_cols = [c for c in ("ch_score", "ch_band_label", "zpp_score", "zpp_zone_label")
                  if c in classic.columns]
    scores = pd.concat([classic.set_index(latest["customer_id"]).loc[cid, score_cols]
                        if score_cols else pd.Series(dtype=float),
                        rating.loc[cid, ["rating_class", "rating_label"]]])
    beh = behaviour.loc[cid] if cid in behaviour.index else pd.Series(dtype=float)
    beh = beh[[c for c in ("n_invoices_paid", "amount_paid", "avg_days_to_pay",
                           "avg_days_late", "share_paid_late") if c in beh.index]]
    expo = exposure.loc[cid, ["open_receivables", "shipped_not_invoiced", "orders_accepted",
                              "gross_exposure", "guarantees", "net_exposure"]]
    expected = pd.Series({"proposed_limit": float(row["proposed_limit"]),
                          "need": float(row["need"]), "binding": str(row["binding"]),
                          "binding_label": str(row["binding_label"]),
                          "decision": str(decision["decision"]),
                          "decision_label": str(decision["decision_label"]),
                          "overrun": float(decision["overrun"]),
                          "reason": str(decision.get("reason_text", ""))})
    return CustomerFile(cid, as_of, ident, accounts, scores, beh, expo, order, expected)


def customer_file(case_id: str = "ms_limite_commande") -> CustomerFile:
    """The customer file of the case (computed once from the demo portfolio, a few seconds)."""
    if case_id != "ms_limite_commande":
        raise InputError("case_id", "'ms_limite_commande'", case_id,
                         "copy the id from the case statement")
    return _demo_file()


_RELEASE = {"libérer": True, "liberer": True, "libérée": True, "oui": True, "livrer": True,
            "release": True, "bloquer": False, "bloquée": False, "attente": False,
            "en attente": False, "non": False, "refuser": False, "hold": False,
            "block": False}
_BINDING = {"besoin": "need", "need": "need", "classe": "rating_class", "notation": "rating_class",
            "rating_class": "rating_class", "fonds propres": "net_worth", "actif net": "net_worth",
            "net_worth": "net_worth", "chiffre d'affaires": "turnover", "turnover": "turnover",
            "concentration": "concentration", "assureur": "insurer", "insurer": "insurer"}


def decide_limit(case_id: str, limit, decision, binding: str | None = None, *,
                 trainee: str | None = None,
                 results_path: str | os.PathLike | None = None) -> Rubric | Feedback:
    """Grade the trainee's decision on the customer file: the limit (within
    :data:`LIMIT_TOLERANCE` of creditlab's proposal, typed as on paper: ``"45 000"``), the
    order (``"libérer"`` or ``"bloquer"``), and optionally what sets the limit (``"besoin"``,
    ``"classe"``, ``"fonds propres"``, ``"chiffre d'affaires"``, ``"concentration"``).

    The feedback per criterion never gives creditlab's figure: it says in which direction and
    why. Recorded with the answer for the trainer's view.
    """
    f = customer_file(case_id)
    if limit is None or decision is None or limit is ... or decision is ...:
        return Feedback(case_id, None, "⏳ pas encore décidé")
    value = read_number(limit).value
    if value is None or value < 0:
        raise InputError("limit", "an amount in euros, e.g. \"45 000\"", limit,
                         "write the limit as on paper: \"45 000\" or \"45 000 €\"")
    key = str(decision).strip().lower()
    if key not in _RELEASE:
        raise InputError("decision", "\"libérer\" or \"bloquer\"", decision,
                         "answer \"libérer\" or \"bloquer\"")
    e = f.expected
    target = e["proposed_limit"]
    gap = (value - target) / target if target else math.inf
    exposure_after = float(f.exposure["gross_exposure"]) + f.order_amount
    rows = [
        ("Limite dans la fourchette de la politique", abs(gap) <= LIMIT_TOLERANCE,
         ("trop haute : la limite ne couvre pas que le besoin, elle est plafonnée par ce que "
          "le client peut supporter (classe de risque, fonds propres, chiffre d'affaires)."
          if gap > 0 else
          "trop basse : vous refusez un besoin commercial que la solvabilité du client "
          "permet de couvrir ; relisez sa classe et son besoin (CA mensuel × délai).")),
        ("Commande : décision cohérente avec votre limite",
         _RELEASE[key] == (exposure_after <= value),
         "comparez l'encours total après la commande (encours + commandes + nouvelle "
         "commande) à la limite que vous avez fixée."),
        ("Commande : décision conforme à la politique", _RELEASE[key] == (e["decision"] ==
                                                                          "release"),
         "avec la limite de la politique, l'encours après commande la dépasse : on ne livre "
         "pas sans garantie, acompte ou paiement de l'échu." if e["decision"] != "release"
         else "la politique permet de livrer : bloquer ferait perdre la vente sans raison."),
    ]
    if binding is not None:
        b = _BINDING.get(str(binding).strip().lower())
        rows.append(("Ce qui fixe la limite", b == e["binding"],
                     "regardez quel plafond est le plus bas : le besoin (CA × délai), ou les "
                     "plafonds de capacité et le coefficient de la classe de risque."))
    rubric = Rubric(case_id, pd.DataFrame(rows, columns=["criterion", "ok", "advice"]))
    record_results([(case_id, rubric.ok, {"limite": value, "commande": key,
                                          "contrainte": binding})],
                   part=SITUATIONS[case_id]["part"], kind="mise_en_situation",
                   trainee=trainee, results_path=results_path)
    return rubric


# --------------------------------------------------------------------------- autodiagnostic
_AUTODIAG_FIELDS = {
    "ca_ttc": "chiffre d'affaires annuel TTC (€)",
    "encours_clients": "encours clients TTC à la clôture (€)",
    "part_echue": "part de l'encours échue (ex. \"18 %\")",
    "pertes": "créances irrécouvrables de l'année (€ TTC)",
    "delai_contractuel": "délai de paiement contractuel moyen (jours)",
    "taux": "coût de l'argent de l'entreprise (ex. \"5 %\")",
    "cgv_penalites": "les CGV et factures mentionnent pénalités et indemnité de 40 € (oui/non)",
    "limites": "chaque client a une limite de crédit écrite (oui/non)",
    "relance_ecrite": "le scénario de relance est écrit et suivi (oui/non)",
    "garanties": "assurance-crédit, affacturage ou garanties sur les gros encours (oui/non)",
}


def _yes(value) -> bool | None:
    if isinstance(value, bool):
        return value
    v = str(value).strip().lower()
    return True if v in ("oui", "o", "yes", "vrai", "1") else False if v in (
        "non", "n", "no", "faux", "0") else None


def autodiagnostic(answers: dict | None, *, trainee: str | None = None,
                   results_path: str | os.PathLike | None = None) -> Rubric | Feedback:
    """The self-diagnosis of one's own company: ``answers`` has the keys of
    :data:`_AUTODIAG_FIELDS` (numbers typed as on paper, ``"oui"``/``"non"``).

    Computed with creditlab: the DSO (:func:`creditlab.receivables.kpi.dso_simple`, 365 days),
    the annual cost of the customer credit (:func:`creditlab.finance.financing_cost`), the
    gap to the contractual term and the legal cap of 60 days (Code de commerce L441-10 I).
    One criterion per practice, with what to do first when it fails; the figure behind each
    criterion is in the ``figure`` column of the table, the DSO and the cost in ``dso`` and
    ``credit_cost``.
    """
    if not answers or any(v is None or v is ... for v in answers.values()):
        return Feedback("ms_autodiagnostic", None, "⏳ questionnaire pas encore rempli")
    missing = [k for k in _AUTODIAG_FIELDS if k not in answers]
    if missing:
        raise InputError("answers", "the keys " + ", ".join(_AUTODIAG_FIELDS), missing,
                         "fill in every line of the questionnaire")
    num = {}
    for k in ("ca_ttc", "encours_clients", "part_echue", "pertes", "delai_contractuel", "taux"):
        r = read_number(answers[k])
        if r.value is None or r.value < 0:
            raise InputError(k, _AUTODIAG_FIELDS[k], answers[k], "type a number, e.g. 1 200 000")
        # "18 %" or 0,18: a share; 18 alone is read as 18 %
        num[k] = (r.value / 100 if (k in ("part_echue", "taux") and (r.percent or r.value > 1))
                  else r.value)
    yes = {}
    for k in ("cgv_penalites", "limites", "relance_ecrite", "garanties"):
        yes[k] = _yes(answers[k])
        if yes[k] is None:
            raise InputError(k, "oui or non", answers[k], "answer \"oui\" or \"non\"")
    if num["ca_ttc"] <= 0:
        raise InputError("ca_ttc", "annual sales > 0", answers["ca_ttc"], "type your sales")
    dso = float(dso_simple(num["encours_clients"], num["ca_ttc"], 365))
    cost = float(financing_cost(num["ca_ttc"], dso, num["taux"]))
    slip = dso - num["delai_contractuel"]
    loss_rate = num["pertes"] / num["ca_ttc"]
    rows = [
        (f"DSO de {format_number(dso)} jours, au plus 15 jours au-delà du délai contractuel",
         slip <= 15, f"{format_number(dso, decimals=1)} j",
         "vos clients paient en moyenne bien après l'échéance : relancez dès J+1 et "
         "suivez le DSO chaque mois (partie 5)."),
        ("Délai contractuel dans le plafond légal (60 jours date de facture)",
         num["delai_contractuel"] <= 60, f"{format_number(num['delai_contractuel'])} j",
         "au-delà de 60 jours (ou 45 jours fin de mois), le délai est illégal (L441-10 I) "
         "et coûte de la trésorerie : renégociez vos conditions."),
        ("Part échue de l'encours sous 15 %", num["part_echue"] <= 0.15,
         format_pct(num["part_echue"]),
         "priorisez les gros retards par la balance âgée (partie 4)."),
        ("Pertes sur créances sous 0,5 % du CA", loss_rate <= 0.005, format_pct(loss_rate, decimals=2),
         "analysez les clients avant de vendre (partie 2) et garantissez les gros encours."),
        ("CGV et factures : pénalités et indemnité de 40 €", yes["cgv_penalites"], "",
         "ces mentions sont obligatoires (L441-9, L441-10) : sans elles, vous ne pouvez "
         "rien réclamer d'autre que le principal."),
        ("Une limite de crédit par client", yes["limites"], "",
         "fixez une limite écrite par client (partie 2) : c'est elle qui déclenche le "
         "blocage des commandes."),
        ("Un scénario de relance écrit", yes["relance_ecrite"], "",
         "écrivez les étapes, délais, canaux et responsables de la relance (partie 4)."),
        ("Les gros encours garantis", yes["garanties"], "",
         "assurance-crédit, affacturage ou caution sur les clients qui pèsent le plus "
         "(partie 5)."),
    ]
    table = pd.DataFrame(rows, columns=["criterion", "ok", "figure", "advice"])
    rubric = AutoDiagnostic("ms_autodiagnostic", table, dso, cost)
    record_results([("ms_autodiagnostic", rubric.ok,
                     {**{k: str(v) for k, v in answers.items()}, "dso": round(dso, 1),
                      "cout_credit": round(cost, 2)})],
                   part=SITUATIONS["ms_autodiagnostic"]["part"], kind="mise_en_situation",
                   trainee=trainee, results_path=results_path)
    return rubric


@dataclass(frozen=True)
class AutoDiagnostic(Rubric):
    """The rubric of :func:`autodiagnostic` with the figures computed from the answers."""

    dso: float = float("nan")
    credit_cost: float = float("nan")

    def __str__(self) -> str:
        return (super().__str__() + f"\nDSO : {format_number(self.dso, decimals=1)} jours ; "
                "coût annuel du crédit "
                f"client : {format_eur(self.credit_cost, decimals=0)}.")

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return (super()._repr_html_() + f"<p>DSO : <b>{format_number(self.dso, decimals=1)} "
                "jours</b> ; coût annuel du "
                f"crédit client : <b>{format_eur(self.credit_cost, decimals=0)}</b>.</p>")
