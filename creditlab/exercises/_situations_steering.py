"""Mises en situation of parts 2, 4 and 5: decide from a file, answer in a form, get feedback
per criterion computed by creditlab.

- ``ms_tableau_de_bord_dg`` (part 5): present the month's dashboard of the demo portfolio to
  the CFO — three messages and one decision; each message's truth and the priority decision
  come from :func:`creditlab.receivables.kpi.kpi_history` (November vs December).
- ``ms_assurance_ou_affacturage`` (part 5): choose factoring or overdraft + credit insurance
  for a profile; the costs come from :func:`creditlab.finance.factoring_cost` and
  :func:`creditlab.finance.compare_financing`, each reason given is checked against them.
- ``ms_objectif_dso`` (part 5): set a DSO target and the actions to reach it; the cash released
  is :func:`creditlab.finance.cash_released`.
- ``ms_revue_limite_degradation`` (part 2): a customer's rating falls from class 2 to 3: new
  limit, what happens to the orders, the guarantee asked, the next review — all from
  :func:`creditlab.limits.propose_limits` under the default credit policy.
- ``ms_promesse_non_tenue`` (part 4): a promise to pay broken after a mise en demeure: the
  promise's status (:func:`creditlab.dunning.promises_status`) and the next legal step
  (:func:`creditlab.dunning.legal_next_action`), with the reasons checked.

:func:`situation_file` shows the file of a case (tables in French), :func:`situation_form` its
answer form (choices and fields, no Python), :func:`play_situation` grades a dict of answers
(what the form sends) and records it for the trainer's view (kind ``mise_en_situation``).
Nothing is stored as an answer: every expected figure is recomputed when the case is graded.
"""

from __future__ import annotations

import html
import math
import os
from dataclasses import dataclass
from functools import cache

import pandas as pd

from creditlab import dunning as dn
from creditlab import finance as fi
from creditlab.dunning.plan import legal_next_action
from creditlab.exceptions import InputError
from creditlab.exercises._answers import read_number
from creditlab.exercises._model import Feedback
from creditlab.exercises._results import record_results
from creditlab.exercises._roleplay import Rubric
from creditlab.exercises._steering_cases import (
    DSO_CASE,
    FINANCING_CASE,
    LIMIT_CASE,
    LIMIT_TOLERANCE,
    MONEY_TOLERANCE,
    PROMISE_CASE,
    STEERING,
)
from creditlab.finance import cash_released, cost_per_dso_day
from creditlab.i18n import format_eur, format_number, format_pct
from creditlab.io.datasets import load_demo
from creditlab.limits import CreditPolicy, propose_limits
from creditlab.receivables import kpi
from creditlab.synth import DEMO_AS_OF

__all__ = ["STEERING", "situation_file", "situation_form", "play_situation", "SituationFile",
           "SituationForm", "expected_figures"]

# --------------------------------------------------------------------------- expected figures
@cache
def _dashboard() -> pd.DataFrame:

    demo = load_demo()
    hist = kpi.kpi_history(demo["invoices"], demo["payments"], "2025-10-01", DEMO_AS_OF,
                           disputes=demo["disputes"], customers=demo["customers"])
    return hist.iloc[-2:].T.set_axis(["novembre", "décembre"], axis=1)


#: KPIs that are bad when they rise, and the decision that answers each one.
_DECISION_OF = {"share_over_90": "old_debts", "disputed_ttc": "disputes",
                "n_over_limit": "limits", "overdue_ratio": "preventive"}


def _expected_dashboard() -> dict:
    k = _dashboard()
    nov, dec = k["novembre"], k["décembre"]
    truth = {"dso_down": dec["dso_simple"] < nov["dso_simple"],
             "dso_up": dec["dso_simple"] > nov["dso_simple"],
             "over90_up": dec["share_over_90"] > nov["share_over_90"],
             "cei_down": dec["cei"] < nov["cei"],
             "overdue_high": dec["overdue_ratio"] > 0.25,
             "disputes_down": dec["disputed_ttc"] < nov["disputed_ttc"],
             "disputes_up": dec["disputed_ttc"] > nov["disputed_ttc"],
             "over_limit_up": dec["n_over_limit"] > nov["n_over_limit"]}
    change = {c: (dec[c] - nov[c]) / nov[c] for c in _DECISION_OF}
    worst = max(change, key=change.get)
    decision = _DECISION_OF[worst] if change[worst] > 0 else "nothing"
    return {"truth": {k: bool(v) for k, v in truth.items()}, "change": change,
            "worst": worst, "decision": decision}


def _expected_financing() -> dict:

    c = FINANCING_CASE
    f = fi.factoring_cost(c["sales_ttc"], c["dso"], commission_rate=c["commission"],
                          margin=c["margin"], contract_type="classic")
    table = fi.compare_financing(f, overdraft_rate=c["overdraft"],
                                 insurance=fi.CreditInsurancePolicy(premium_rate=c["premium"]),
                                 insured_turnover=c["insured_ht"],
                                 inhouse_collection_cost=c["inhouse"])
    t = table.loc[["factoring", "overdraft_insurance"]]
    best = str(t["total"].idxmin())
    other = "overdraft_insurance" if best == "factoring" else "factoring"
    gap = float(t.loc[other, "total"] - t.loc[best, "total"])

    def reasons(opt):
        o = "overdraft_insurance" if opt == "factoring" else "factoring"
        return {"cheaper_total": t.loc[opt, "total"] < t.loc[o, "total"],
                "collection": bool(t.loc[opt, "collection"]),
                "guarantee": bool(t.loc[opt, "guarantee"]),
                "cheaper_financing": t.loc[opt, "financing_cost"] < t.loc[o, "financing_cost"],
                "keep_relationship": not bool(t.loc[opt, "collection"])}

    return {"table": t, "best": best, "gap": gap,
            "reasons": {o: {k: bool(v) for k, v in reasons(o).items()} for o in t.index}}


def _expected_dso(target: float | None = None) -> dict:

    c = DSO_CASE
    out = {"terms": c["terms"], "dso": c["dso"],
           "effective": {"preventive": True, "disputes": True, "invoice_fast": True,
                         "longer_terms": False, "late_dunning": False, "raise_limits": False}}
    if target is not None:
        out["cash"] = float(cash_released(c["sales_ttc"], c["dso"], target))
        out["saving"] = float(cost_per_dso_day(c["sales_ttc"], c["rate"])) * (c["dso"] - target)
    return out


def _expected_limit() -> dict:

    c = LIMIT_CASE
    policy = CreditPolicy.load()
    cols = ["monthly_sales_ttc", "term_days", "equity", "intangible_assets", "turnover_ht",
            "open_receivables", "orders_accepted", "shipped_not_invoiced", "avg_days_late",
            "credit_limit"]
    inputs = pd.DataFrame({k: [c[k]] for k in cols},
                          index=pd.Index(["AUBERT"], name="customer_id"))
    rows = {}
    for cls in (2, 3):
        rows[cls] = propose_limits(inputs.assign(rating_class=cls), policy, as_of=c["as_of"],
                                   own_annual_sales_ttc=c["own_sales_ttc"]).table.iloc[0]
    new = rows[3]
    exposure = c["open_receivables"] + c["orders_accepted"] + c["shipped_not_invoiced"]
    months = int(policy.class_map("review.months")[3])
    return {"before": rows[2], "after": new, "limit": float(new["proposed_limit"]),
            "guarantee": float(new["gap_to_need"]), "exposure": exposure,
            "orders": "hold_new" if exposure > new["proposed_limit"] else "keep",
            "review": str(months)}


def _expected_promise() -> dict:

    c = PROMISE_CASE
    as_of = pd.Timestamp(c["as_of"])
    inv = pd.DataFrame(c["invoices"], columns=["invoice_id", "amount_ttc", "issue_date",
                                               "due_date"])
    items = inv.assign(customer_id=c["customer_id"], doc_type="invoice", paid_amount=0.0,
                       open_amount=inv["amount_ttc"], disputed=False,
                       issue_date=pd.to_datetime(inv["issue_date"]),
                       due_date=pd.to_datetime(inv["due_date"]))
    ids = ";".join(inv["invoice_id"])
    policy = dn.load_policy()
    history = pd.DataFrame({"customer_id": [c["customer_id"]], "date": [c["notice_date"]],
                            "step_day": [45], "invoice_ids": [ids], "status": ["sent"],
                            "escalation": ["mise_en_demeure"], "scenario": [c["scenario"]]})
    promises = pd.DataFrame({"customer_id": [c["customer_id"]],
                             "promise_date": [c["promise_date"]],
                             "amount": [float(inv["amount_ttc"].sum())], "invoice_ids": [ids]})
    status = dn.promises_status(promises, items, as_of)
    nxt = legal_next_action(items, [c["scenario"]] * len(items), policy, as_of,
                            history=history)
    step = next(s for s in policy.scenarios[c["scenario"]].steps
                if getattr(s, "escalation", None) == "injonction_de_payer")
    dpd = (as_of - items["due_date"]).dt.days
    since_notice = (as_of - pd.Timestamp(c["notice_date"])).days
    return {"status": str(status["status"].iloc[0]), "next": str(nxt[0]),
            "reasons": {"notice_delay": since_notice > policy.escalation_delay_days,
                        "undisputed": not items["disputed"].any(),
                        "stage_reached": bool((dpd >= step.day).all()),
                        "promise_cancels": False, "new_delay": False},
            "days_past_due": dpd.tolist(), "since_notice": since_notice,
            "delay": policy.escalation_delay_days, "stage_day": step.day}


def expected_figures(case_id: str) -> dict:
    """creditlab's figures behind a case (for the trainer and the tests, not the trainee)."""
    _case(case_id)
    return {"ms_tableau_de_bord_dg": _expected_dashboard,
            "ms_assurance_ou_affacturage": _expected_financing,
            "ms_objectif_dso": _expected_dso,
            "ms_revue_limite_degradation": _expected_limit,
            "ms_promesse_non_tenue": _expected_promise}[case_id]()


def _case(case_id: str) -> dict:
    if case_id not in STEERING:
        raise InputError("case_id", f"one of {sorted(STEERING)}", case_id,
                         "copy the id from the case statement")
    return STEERING[case_id]


# --------------------------------------------------------------------------- reading answers
def _number(case_id: str, key: str, answers: dict) -> float:
    r = read_number(answers.get(key))
    if r.value is None:
        raise InputError(key, "a number typed as on paper, e.g. \"45 000\" or \"60\"",
                         answers.get(key), "type the figure in the field, e.g. 45 000")
    return r.value


def _one(case_id: str, key: str, answers: dict) -> str:
    options = dict((q[0], q[3]) for q in _case(case_id)["questions"])[key]
    value = answers.get(key)
    if isinstance(value, list | tuple) and len(value) == 1:
        value = value[0]
    if value not in options:
        raise InputError(key, "one of the options " + ", ".join(options), value,
                         "choose one option")
    return str(value)


def _many(case_id: str, key: str, answers: dict) -> list[str]:
    options = dict((q[0], q[3]) for q in _case(case_id)["questions"])[key]
    value = answers.get(key) or []
    value = [value] if isinstance(value, str) else list(value)
    bad = [v for v in value if v not in options]
    if bad:
        raise InputError(key, "options among " + ", ".join(options), bad,
                         "tick the options in the list")
    return value


def _wrong(options: dict, chosen, truth: dict) -> str:
    return " ; ".join(f"« {options[c]} »" for c in chosen if not truth.get(c, False))


# --------------------------------------------------------------------------- grading
def _grade_dashboard(cid: str, a: dict) -> list[tuple]:
    e = _expected_dashboard()
    msgs = _many(cid, "messages", a)
    decision = _one(cid, "decision", a)
    options = dict((q[0], q[3]) for q in STEERING[cid]["questions"])
    false = _wrong(options["messages"], msgs, e["truth"])
    worst = {"share_over_90": "la part à plus de 90 jours", "disputed_ttc": "l'encours en litige",
             "n_over_limit": "le nombre de clients en dépassement",
             "overdue_ratio": "le taux d'échu"}
    return [
        ("Trois messages, pas plus", len(msgs) == 3,
         "cinq minutes : trois messages, ni plus ni moins ; le reste va en annexe."),
        ("Des messages exacts", bool(msgs) and not false,
         f"relisez les deux colonnes du tableau : {false} ne correspond pas aux chiffres."
         if false else "cochez des messages."),
        ("Le message sur la dégradation la plus forte",
         {"share_over_90": "over90_up", "n_over_limit": "over_limit_up",
          "disputed_ttc": "disputes_up", "overdue_ratio": "overdue_high"}[e["worst"]] in msgs,
         "comparez les évolutions en pourcentage de novembre à décembre : laquelle se dégrade "
         "le plus ? C'est elle que la direction doit entendre."),
        ("Une décision qui répond au risque principal", decision == e["decision"],
         "la décision doit traiter l'indicateur qui se dégrade le plus vite "
         f"({worst[e['worst']]}), pas un indicateur qui s'améliore."),
    ]


def _near(value: float, target: float, tol: float = MONEY_TOLERANCE) -> bool:
    return abs(value - target) <= tol * abs(target)


def _gap_hint(gap: float, e: dict) -> str:
    """The advice on the cost gap, targeted when it matches a classic mistake."""
    t = e["table"]
    plain = t["total"] - t["inhouse_collection_cost"]
    no_premium = t["total"] - t["insurance_premium"]
    if _near(gap, abs(plain["overdraft_insurance"] - plain["factoring"])):
        return ("vous avez oublié le coût de la relance faite en interne : le factor la fait, "
                "le découvert ne la fait pas.")
    if _near(gap, abs(no_premium["overdraft_insurance"] - no_premium["factoring"])):
        return "vous avez oublié la prime d'assurance-crédit (sur le CA HT assurable)."
    return ("encours = CA × DSO / 365 ; financement = 90 % de l'encours × taux × 365 / 360 ; "
            "n'oubliez ni la prime (sur le CA HT) ni la relance interne.")


def _grade_financing(cid: str, a: dict) -> list[tuple]:
    e = _expected_financing()
    option = _one(cid, "option", a)
    gap = _number(cid, "gap", a)
    reasons = _many(cid, "reasons", a)
    options = dict((q[0], q[3]) for q in STEERING[cid]["questions"])["reasons"]
    false = _wrong(options, reasons, e["reasons"][option])
    return [
        ("L'offre la moins chère à couverture égale", option == e["best"],
         "additionnez, pour chaque offre, le financement, les commissions, la prime et le coût "
         "de la relance faite en interne : la relance a un coût quand le factor ne la fait pas."),
        ("L'écart de coût annuel", _near(gap, e["gap"]), _gap_hint(gap, e)),
        ("Des raisons vraies pour l'offre choisie", bool(reasons) and not false,
         f"{false} n'est pas vrai pour l'offre choisie : vérifiez le tableau des coûts."
         if false else "cochez vos raisons."),
        ("Au moins deux raisons", len(reasons) >= 2,
         "une décision de financement se justifie par le coût et par ce que l'offre couvre."),
    ]


def _grade_dso(cid: str, a: dict) -> list[tuple]:
    target = _number(cid, "target", a)
    cash = _number(cid, "cash", a)
    actions = _many(cid, "actions", a)
    e = _expected_dso(target)
    options = dict((q[0], q[3]) for q in STEERING[cid]["questions"])["actions"]
    bad = _wrong(options, actions, e["effective"])
    good = [x for x in actions if e["effective"][x]]
    return [
        ("Un objectif ambitieux et atteignable", e["terms"] <= target < e["dso"],
         "l'objectif doit être sous le DSO actuel, sans descendre sous le délai contractuel "
         "(vos clients ne paieront pas avant l'échéance)." if target < e["terms"] else
         "l'objectif doit être sous le DSO actuel : sinon il ne libère rien."),
        ("La trésorerie libérée par votre objectif", e["cash"] > 0 and _near(cash, e["cash"]),
         "sur 365 jours, pas 360 (l'année civile des ventes)."
         if e["cash"] > 0 and _near(cash, e["cash"] * 365 / 360) else
         "en TTC : l'encours clients contient la TVA." if e["cash"] > 0 and _near(cash, e["cash"] / 1.2)
         else "ventes annuelles TTC × (DSO actuel − objectif) / 365."),
        ("Des actions qui réduisent le DSO", bool(actions) and not bad,
         f"{bad} allonge le crédit client ou retarde l'encaissement." if bad
         else "cochez vos actions."),
        ("Au moins deux actions efficaces", len(good) >= 2,
         "agissez sur plusieurs causes : la facturation, la relance, les litiges."),
    ]


def _limit_hint(limit: float, gap: float, e: dict) -> str:
    """The advice on the new limit, targeted when it matches a classic mistake recomputed
    from creditlab's proposal (the old limit kept, the coefficient forgotten or the old
    class's, a capacity cap that is not the lowest)."""
    after, before = e["after"], e["before"]
    caps = [after[c] * after["rating_coefficient"] for c in after.index
            if c.startswith("cap_") and pd.notna(after[c]) and after[c] > after["base"]]
    if _near(limit, before["proposed_limit"], LIMIT_TOLERANCE):
        return ("c'est la limite d'avant la dégradation : une note qui baisse fait baisser les "
                "plafonds de capacité et le coefficient de la classe.")
    if _near(limit, after["base"], LIMIT_TOLERANCE):
        return ("vous avez retenu le plus bas des plafonds sans appliquer le coefficient de la "
                "nouvelle classe.")
    if _near(limit, after["base"] * before["rating_coefficient"], LIMIT_TOLERANCE):
        return "vous avez appliqué le coefficient de l'ancienne classe, pas de la nouvelle."
    if any(_near(limit, c, LIMIT_TOLERANCE) for c in caps):
        return ("ce plafond n'est pas le plus bas : la règle retient le plus restrictif du "
                "besoin et des plafonds de capacité.")
    if gap > 0:
        return ("trop haute : en classe 3, les plafonds de capacité sont plus bas et le "
                "coefficient de la classe réduit la base.")
    return ("trop basse : la classe 3 réduit la limite, elle ne la supprime pas ; reprenez le "
            "plafond le plus bas et le coefficient de la classe.")


def _grade_limit(cid: str, a: dict) -> list[tuple]:
    e = _expected_limit()
    limit = _number(cid, "limit", a)
    orders = _one(cid, "orders", a)
    guarantee = _one(cid, "guarantee", a)
    amount = _number(cid, "guarantee_amount", a)
    review = _one(cid, "review", a)
    gap = (limit - e["limit"]) / e["limit"] if e["limit"] else math.inf
    return [
        ("Nouvelle limite conforme à la politique", abs(gap) <= LIMIT_TOLERANCE,
         _limit_hint(limit, gap, e)),
        ("Les commandes", orders == e["orders"],
         "comparez l'encours (créances + commandes acceptées) à la nouvelle limite ; on ne "
         "rend pas exigible ce qui n'est pas échu."),
        ("Une garantie solide", guarantee == "gapd",
         "après une dégradation, seule une garantie écrite et autonome protège : la garantie "
         "à première demande est payée sans discuter la dette."),
        ("Le montant de la garantie",
         e["guarantee"] > 0 and abs(amount - e["guarantee"]) <= LIMIT_TOLERANCE * e["guarantee"],
         "la garantie sert le besoin commercial à venir, pas seulement l'encours d'aujourd'hui : "
         "besoin − nouvelle limite." if _near(amount, e["exposure"] - e["limit"]) else
         "la garantie couvre ce que la limite ne couvre plus du besoin commercial "
         "(besoin − nouvelle limite)."),
        ("La prochaine revue", review == e["review"],
         "plus la classe est risquée, plus la revue est rapprochée : relisez la politique de "
         "crédit (rubrique revue)."),
    ]


def _grade_promise(cid: str, a: dict) -> list[tuple]:
    e = _expected_promise()
    status = _one(cid, "status", a)
    nxt = _one(cid, "next", a)
    reasons = _many(cid, "reasons", a)
    options = dict((q[0], q[3]) for q in STEERING[cid]["questions"])["reasons"]
    false = _wrong(options, reasons, e["reasons"])
    return [
        ("Le statut de la promesse", status == e["status"],
         "comparez la date promise (plus un jour de délai bancaire) à aujourd'hui et ce qui "
         "reste ouvert sur les factures promises."),
        ("L'étape suivante du chemin judiciaire", nxt == e["next"],
         "la mise en demeure est faite et son délai écoulé : on ne la recommence pas, et une "
         "nouvelle promesse orale ne remplace pas l'étape suivante du scénario."),
        ("Des raisons exactes", bool(reasons) and not false,
         f"{false} est faux : une promesse non tenue n'efface rien." if false
         else "cochez vos raisons."),
        ("Au moins deux raisons", len(reasons) >= 2,
         "justifiez par le délai, la nature de la créance et l'étape du scénario."),
    ]


_GRADERS = {"ms_tableau_de_bord_dg": _grade_dashboard,
            "ms_assurance_ou_affacturage": _grade_financing,
            "ms_objectif_dso": _grade_dso,
            "ms_revue_limite_degradation": _grade_limit,
            "ms_promesse_non_tenue": _grade_promise}


def play_situation(case_id: str, answers: dict | None, *, trainee: str | None = None,
                   results_path: str | os.PathLike | None = None) -> Rubric | Feedback:
    """Grade the answers of a case (``{question key: typed text, option code or list of
    codes}``, what :func:`situation_form` sends) criterion by criterion.

    Every expected figure is recomputed by creditlab (:func:`expected_figures`); the advice
    of a failed criterion says where to look, never the figure. Recorded for the trainer's
    view with the answers. An empty form gives "pas encore répondu".
    """
    case = _case(case_id)
    if not answers or all(v in (None, "", [], ...) for v in answers.values()):
        return Feedback(case_id, None, "⏳ pas encore répondu")
    rows = _GRADERS[case_id](case_id, answers)
    rubric = Rubric(case_id, pd.DataFrame(rows, columns=["criterion", "ok", "advice"]))
    record_results([(case_id, rubric.ok, {k: (list(v) if isinstance(v, list | tuple) else str(v))
                                          for k, v in answers.items()})],
                   part=case["part"], kind="mise_en_situation", trainee=trainee,
                   results_path=results_path)
    return rubric


# --------------------------------------------------------------------------- files and forms
@dataclass(frozen=True)
class SituationFile:
    """The file of a case: its statement and the tables the trainee reads (in French)."""

    case_id: str
    title: str
    statement: str
    tables: tuple                  # (title, DataFrame already in words)

    def _repr_html_(self) -> str:
        parts = [f"<h3>{html.escape(self.title)}</h3><p>{html.escape(self.statement)}</p>"]
        parts += [f"<h4>{html.escape(t)}</h4>" + df.to_html(escape=True) for t, df in self.tables]
        return "".join(parts)

    def __str__(self) -> str:
        return "\n\n".join([self.title, self.statement,
                            *(f"{t}\n{df.to_string()}" for t, df in self.tables)])


def _dashboard_tables() -> tuple:
    k = _dashboard()
    rows = {"dso_simple": ("DSO comptable (jours)", lambda v: format_number(v, decimals=1)),
            "overdue_ratio": ("Part échue de l'encours", format_pct),
            "share_over_90": ("Part échue depuis plus de 90 jours", format_pct),
            "cei": ("Efficacité du recouvrement (CEI)", format_pct),
            "disputed_ttc": ("Encours en litige (€ TTC)", lambda v: format_eur(v, decimals=0)),
            "n_over_limit": ("Clients au-dessus de leur limite",
                             lambda v: format_number(v, decimals=0))}
    table = pd.DataFrame({col: [fmt(k.loc[code, col]) for code, (_, fmt) in rows.items()]
                          for col in k.columns},
                         index=[label for label, _ in rows.values()])
    return (("Tableau de bord du poste clients (portefeuille de démonstration)", table),)


def situation_file(case_id: str) -> SituationFile:
    """The case's statement and, for the dashboard case, the demo's KPI table."""
    case = _case(case_id)
    tables = _dashboard_tables() if case_id == "ms_tableau_de_bord_dg" else ()
    return SituationFile(case_id, case["title"], case["statement"], tables)


class SituationForm:
    """The answer form of a case: a field per figure, buttons for one option, boxes for
    several; « Valider » grades with :func:`play_situation` and shows the feedback.
    ``submit(answers)`` does the same without a browser."""

    def __init__(self, case_id: str, *, trainee: str | None = None,
                 results_path: str | os.PathLike | None = None):
        self.case = _case(case_id)
        self.case_id, self.trainee, self.results_path = case_id, trainee, results_path
        self.result, self.error, self.widget = None, None, None
        try:
            import ipywidgets as w  # optional: course
        except ImportError:  # pragma: no cover - ipywidgets comes with the course extra
            return
        self._fields, parts = {}, [w.HTML(situation_file(case_id)._repr_html_())]
        for key, label, kind, options in self.case["questions"]:
            parts.append(w.HTML(f"<b>{html.escape(label)}</b>"))
            if kind == "number":
                box = w.Text(placeholder="ex. 45 000", layout=w.Layout(width="220px"))
                self._fields[key] = lambda b=box: b.value
                parts.append(box)
            elif kind == "one":
                radio = w.RadioButtons(options=[(v, k) for k, v in options.items()],
                                       value=None, layout=w.Layout(width="auto"))
                self._fields[key] = lambda r=radio: r.value
                parts.append(radio)
            else:
                boxes = {k: w.Checkbox(value=False, description=v, indent=False,
                                       layout=w.Layout(width="auto")) for k, v in options.items()}
                self._fields[key] = lambda bs=boxes: [k for k, b in bs.items() if b.value]
                parts += list(boxes.values())
        send = w.Button(description="Valider", button_style="primary")
        self._out = w.Output()
        send.on_click(lambda _: self.submit({k: f() for k, f in self._fields.items()}))
        self.widget = w.VBox([*parts, send, self._out])

    def submit(self, answers: dict):
        """Grade ``answers`` as if entered in the form; a trainee's error (an option not
        chosen, a figure unreadable) is shown in French under the button, never raised."""
        self.error = None
        try:
            self.result = play_situation(self.case_id, answers, trainee=self.trainee,
                                         results_path=self.results_path)
        except InputError as err:
            self.result = None
            self.error = f"⚠️ Attendu : {err.expected} (ici : {err.got}). {err.fix or ''}"
        if self.widget is not None:
            from IPython.display import HTML, display  # optional: course

            self._out.clear_output()
            with self._out:
                display(HTML(f"<p style='color:#c00000'>{html.escape(self.error)}</p>")
                        if self.error else self.result)
        return self.result

    def _repr_html_(self) -> str:
        return situation_file(self.case_id)._repr_html_()

    def _ipython_display_(self):  # pragma: no cover - notebook display
        from IPython.display import HTML, display  # optional: course

        display(self.widget if self.widget is not None else HTML(self._repr_html_()))


def situation_form(case_id: str, *, trainee: str | None = None,
                   results_path: str | os.PathLike | None = None) -> SituationForm:
    """The file and the answer form of a case of :data:`STEERING`."""
    return SituationForm(case_id, trainee=trainee, results_path=results_path)
