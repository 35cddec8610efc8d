"""Step-by-step working of the numeric practical cases, for the corrigés.

:func:`working` returns, for a case whose answer is a figure or a date, the steps a trainer
writes on the board: each step's formula, the same formula with the case's figures
substituted, and its result — every figure computed here from the case's data, with the
creditlab functions the checker uses (never typed) — then one sentence of interpretation.
The last step's result is the checker's expected answer (:func:`expected_answer`), which
:func:`working` verifies before returning.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from creditlab.exceptions import InputError
from creditlab.exercises._catalogue import EXERCISES
from creditlab.exercises._check import expected_answer
from creditlab.finance import (
    compare_financing,
    cost_per_dso_day,
    discount_analysis,
    factoring_cost,
    financing_cost,
    marginal_analysis,
    max_discount,
)
from creditlab.i18n import format_eur, format_number, format_pct
from creditlab.legal import due_date, late_penalties, penalty_breakdown
from creditlab.receivables import dso_countback
from creditlab.scores import altman_from_ratios, conan_holder_from_ratios, score_words

__all__ = ["Step", "Working", "working", "WORKINGS"]


def _eur(x, d: int = 2) -> str:
    return format_eur(float(x), "fr", d)


def _num(x, d: int = 2) -> str:
    return format_number(float(x), "fr", d)


def _pct(x, d: int = 2) -> str:
    return format_pct(float(x), "fr", d)


def _date(x) -> str:
    return pd.Timestamp(x).strftime("%d/%m/%Y")


@dataclass(frozen=True)
class Step:
    """One line of the working: what, the formula, the figures substituted, the result."""

    label: str
    formula: str
    figures: str
    result: str
    value: object = None


@dataclass(frozen=True)
class Working:
    """The working of one case: numbered steps, the answer and its interpretation."""

    exercise_id: str
    steps: tuple[Step, ...]
    answer: object
    interpretation: str

    def to_frame(self) -> pd.DataFrame:
        """The steps as a table (étape, formule, calcul, résultat), numbered from 1."""
        return pd.DataFrame([{"étape": s.label, "formule": s.formula, "calcul": s.figures,
                              "résultat": s.result} for s in self.steps],
                            index=pd.RangeIndex(1, len(self.steps) + 1, name="n°"))

    def __str__(self) -> str:
        lines = [f"{n}. {s.label} : {s.formula}\n   = {s.figures} = {s.result}"
                 for n, s in enumerate(self.steps, start=1)]
        return "\n".join([*lines, f"→ {self.interpretation}"])

    def _repr_html_(self) -> str:
        e = html.escape
        items = "".join(f"<li><b>{e(s.label)}</b> : {e(s.formula)}<br>"
                        f"= {e(s.figures)} = <b>{e(s.result)}</b></li>" for s in self.steps)
        return f"<ol>{items}</ol><p>→ {e(self.interpretation)}</p>"


# --------------------------------------------------------------------------- part 1
def _p1_cout_credit(d):
    encours = d["ca_ttc"] * d["dso_jours"] / 365
    cost = financing_cost(d["ca_ttc"], d["dso_jours"], d["taux"])
    return [Step("Encours clients moyen", "CA TTC × DSO / 365",
                 f"{_eur(d['ca_ttc'], 0)} × {d['dso_jours']} / 365", _eur(encours), encours),
            Step("Coût de financement annuel", "encours moyen × taux de financement",
                 f"{_eur(encours)} × {_pct(d['taux'], 0)}", _eur(cost), cost)], (
        f"Le crédit accordé aux clients coûte {_eur(cost, 0)} par an : c'est le prix de "
        "l'argent immobilisé en attendant leurs paiements.")


def _p1_jour_dso(d):
    day = d["ca_ttc"] / 365
    cost = cost_per_dso_day(d["ca_ttc"], d["taux"])
    return [Step("CA TTC d'une journée", "CA TTC / 365", f"{_eur(d['ca_ttc'], 0)} / 365",
                 _eur(day), day),
            Step("Coût annuel d'un jour de DSO", "CA d'une journée × taux de financement",
                 f"{_eur(day)} × {_pct(d['taux'], 0)}", _eur(cost), cost)], (
        f"Chaque jour de retard moyen gagné sur les encaissements économise {_eur(cost)} par "
        "an : un argument chiffré pour le plan de réduction du DSO.")


def _p1_ca_compensatoire(d):
    sales = d["perte_ht"] / d["marge_nette"]
    return [Step("Ce que rapporte 1 € vendu", "1 € × marge nette",
                 f"1 € × {_pct(d['marge_nette'], 0)}", _eur(d["marge_nette"]), d["marge_nette"]),
            Step("Ventes qui reconstituent la perte", "perte HT / marge nette",
                 f"{_eur(d['perte_ht'], 0)} / {_pct(d['marge_nette'], 0)}", _eur(sales, 0), sales)], (
        f"Il faut vendre {_num(sales / d['perte_ht'], 0)} fois le montant perdu pour le "
        "compenser : prévenir l'impayé rapporte plus que vendre davantage.")


def _p1_client_marginal(d):
    segment = pd.DataFrame({k: [d[k]] for k in ("sales_ht", "margin_rate", "pd", "dso_days",
                                                "ead")})
    t = marginal_analysis(segment, rate=d["taux"], lgd=d["lgd"]).table.iloc[0]
    return [Step("Marge attendue", "CA HT × taux de marge",
                 f"{_eur(d['sales_ht'], 0)} × {_pct(d['margin_rate'], 0)}",
                 _eur(t["expected_margin"]), t["expected_margin"]),
            Step("Perte attendue", "exposition × probabilité de défaut × perte en cas de défaut",
                 f"{_eur(d['ead'], 0)} × {_pct(d['pd'], 0)} × {_pct(d['lgd'], 0)}",
                 _eur(t["expected_loss"]), t["expected_loss"]),
            Step("Coût de financement de la créance", "CA HT × (1 + TVA) × DSO / 365 × taux",
                 f"{_eur(d['sales_ht'], 0)} × 1,2 × {d['dso_days']} / 365 × {_pct(d['taux'], 0)}",
                 _eur(t["financing_cost"]), t["financing_cost"]),
            Step("Contribution nette", "marge − perte attendue − financement",
                 f"{_eur(t['expected_margin'])} − {_eur(t['expected_loss'])} − "
                 f"{_eur(t['financing_cost'])}", _eur(t["net_contribution"]),
                 t["net_contribution"])], (
        f"La contribution reste positive ({_eur(t['net_contribution'], 0)}) : vendre, mais sous "
        f"surveillance — la PD d'équilibre est {_pct(t['break_even_pd'], 1)}, "
        f"{_num(t['pd_headroom'] * 100, 1)} points seulement au-dessus de la PD du client.")


# --------------------------------------------------------------------------- part 2
_CH = (24, 22, 16, -87, -10)


def _p2_conan_holder(d):
    r = d["ratios"]
    parts = [c * x for c, x in zip(_CH, r, strict=True)]
    res = score_words(conan_holder_from_ratios(*r)).iloc[0]
    steps = [Step(f"Terme R{i}", f"{c} × R{i}".replace("-", "−"),
                  f"{c} × {_num(x, 6 if i == 5 else 2)}".replace("-", "−"),
                  _num(p, 4), p) for i, (c, x, p) in enumerate(zip(_CH, r, parts, strict=True),
                                                               start=1)]
    steps.append(Step("Score Z", "somme des cinq termes",
                      " + ".join(_num(p, 4) for p in parts).replace("+ -", "− "),
                      _num(res["score"], 4), float(res["score"])))
    return steps, (f"Z = {_num(res['score'], 2)} se situe dans la zone « {res['band_label']} » "
                   "(seuils 4, 9 et 16) : pas d'alerte, mais une situation à suivre.")


_ALTMAN = (6.56, 3.26, 6.72, 1.05)


def _p2_altman(d):
    ta = d["total_actif"]
    xs = (d["bfr_net"] / ta, d["reserves"] / ta, d["ebit"] / ta,
          d["capitaux_propres"] / d["dettes_totales"])
    names = ("X1 = BFR net / total actif", "X2 = réserves / total actif",
             "X3 = résultat d'exploitation / total actif", "X4 = capitaux propres / dettes")
    figs = (f"{d['bfr_net']} / {ta}", f"{d['reserves']} / {ta}", f"{d['ebit']} / {ta}",
            f"{d['capitaux_propres']} / {d['dettes_totales']}")
    res = altman_from_ratios(*xs, variant="z_double_prime").iloc[0]
    steps = [Step(f"Ratio X{i}", n, f, _num(x, 4), x)
             for i, (n, f, x) in enumerate(zip(names, figs, xs, strict=True), start=1)]
    steps.append(Step("Score Z''", "6,56 X1 + 3,26 X2 + 6,72 X3 + 1,05 X4",
                      " + ".join(f"{_num(c)} × {_num(x, 4)}" for c, x in zip(_ALTMAN, xs,
                                                                             strict=True)),
                      _num(res["score"], 4), float(res["score"])))
    zone = {"safe": "saine", "grey": "grise", "distress": "de détresse"}.get(str(res.get("zone")),
                                                                             str(res.get("zone")))
    return steps, (f"Z'' = {_num(res['score'], 2)} : zone {zone} (seuils 1,1 et 2,6 de la "
                   "version Z'' pour les entreprises non industrielles).")


def _p2_limite(d):
    cap_net = d["taux_actif_net"] * d["actif_net_tangible"]
    cap_ca = d["taux_ca"] * d["ca_client"]
    limit = min(d["besoin_commercial"], cap_net, cap_ca)
    return [Step("Plafond sur l'actif net", "actif net tangible × taux",
                 f"{_eur(d['actif_net_tangible'], 0)} × {_pct(d['taux_actif_net'], 0)}",
                 _eur(cap_net, 0), cap_net),
            Step("Plafond sur le CA du client", "CA du client × taux",
                 f"{_eur(d['ca_client'], 0)} × {_pct(d['taux_ca'], 0)}", _eur(cap_ca, 0), cap_ca),
            Step("Limite proposée", "min(besoin commercial, plafonds)",
                 f"min({_eur(d['besoin_commercial'], 0)} ; {_eur(cap_net, 0)} ; "
                 f"{_eur(cap_ca, 0)})", _eur(limit, 0), limit)], (
        f"La limite est {_eur(limit, 0)}, en dessous du besoin commercial : le reste se vend "
        "avec une garantie ou un paiement d'avance.")


# --------------------------------------------------------------------------- part 3
def _p3_woe(d):
    g = d["bons_classe"] / d["bons_total"]
    b = d["mauvais_classe"] / d["mauvais_total"]
    woe = math.log(g / b)
    return [Step("Part des bons dans la classe", "bons de la classe / bons au total",
                 f"{d['bons_classe']} / {d['bons_total']}", _pct(g, 1), g),
            Step("Part des mauvais dans la classe", "mauvais de la classe / mauvais au total",
                 f"{d['mauvais_classe']} / {d['mauvais_total']}", _pct(b, 1), b),
            Step("Poids de preuve", "ln(part des bons / part des mauvais)",
                 f"ln({_pct(g, 1)} / {_pct(b, 1)}) = ln({_num(g / b, 2)})", _num(woe, 4), woe)], (
        "WoE négatif : la classe concentre plus de défaillants que de bons payeurs, elle "
        "signale un risque plus élevé que la moyenne.")


def _p3_pdo(d):
    factor = d["pdo"] / math.log(2)
    offset = d["score_base"] - factor * math.log(d["cote_base"])
    score = offset + factor * math.log(d["cote"])
    doublings = math.log2(d["cote"] / d["cote_base"])
    return [Step("Facteur d'échelle", "PDO / ln 2", f"{d['pdo']} / {_num(math.log(2), 4)}",
                 _num(factor, 4), factor),
            Step("Décalage", "score de base − facteur × ln(cote de base)",
                 f"{d['score_base']} − {_num(factor, 4)} × ln({d['cote_base']})",
                 _num(offset, 2), offset),
            Step("Score à la cote demandée", "décalage + facteur × ln(cote)",
                 f"{_num(offset, 2)} + {_num(factor, 4)} × ln({d['cote']})", _num(score, 2),
                 score)], (
        f"La cote est multipliée par {_num(d['cote'] / d['cote_base'], 0)}, soit "
        f"{_num(doublings, 2)} doublement(s) de {d['pdo']} points chacun : "
        f"{d['score_base']} + {_num(doublings, 2)} × {d['pdo']} = {_num(score, 0)} points.")


def _p3_auc(d):
    score = np.asarray(d["score"], dtype=float)
    bad = np.asarray(d["defaut"], dtype=bool)
    diff = score[bad][:, None] - score[~bad][None, :]   # defaulter minus non-defaulter
    pairs = diff.size
    right = float((diff < 0).sum() + 0.5 * (diff == 0).sum())
    auc = right / pairs
    return [Step("Paires (défaillant, non défaillant)", "défaillants × non défaillants",
                 f"{int(bad.sum())} × {int((~bad).sum())}", str(pairs), pairs),
            Step("Paires bien ordonnées", "le défaillant a le score le plus bas (½ si égalité)",
                 "comptées sur les " + str(pairs) + " paires", _num(right, 1), right),
            Step("AUC", "paires bien ordonnées / paires", f"{_num(right, 1)} / {pairs}",
                 _num(auc, 4), auc)], (
        f"AUC {_num(auc, 2)} (Gini {_num(2 * auc - 1, 2)}) : le score ordonne bien "
        f"{_num(right, 1)} paires sur {pairs} ; 0,5 serait le hasard, 1 un classement parfait.")


# --------------------------------------------------------------------------- part 4
def _penalties(d):
    rows = penalty_breakdown(d["montant_ttc"], d["echeance"], d["paiement"])
    detail, total = rows.drop(index="total"), rows.loc["total"]
    res = late_penalties(d["montant_ttc"], d["echeance"], d["paiement"]).iloc[0]
    steps = [Step("Jours de retard", "date de paiement − échéance",
                  f"{_date(d['paiement'])} − {_date(d['echeance'])}", f"{int(total['days'])} jours",
                  int(total["days"]))]
    steps += [Step(f"Pénalités du {_date(r.period_start)} au {_date(r.period_end)}",
                   "montant TTC × taux du semestre × jours / 365",
                   f"{_eur(d['montant_ttc'], 0)} × {_pct(r.rate)} × {r.days} / 365",
                   _eur(r.penalty), r.penalty) for r in detail.itertuples()]
    steps.append(Step("Total des pénalités", "somme des périodes, arrondie au centime",
                      " + ".join(_eur(p) for p in detail["penalty"]), _eur(total["penalty"]),
                      float(total["penalty"])))
    return steps, (f"S'y ajoute l'indemnité forfaitaire de {_eur(res['indemnity'], 0)} pour frais "
                   "de recouvrement (C. com. art. L441-10), due dès le premier jour de retard.")


def _p4_echeance(d):
    plus = pd.Timestamp(d["date_facture"]) + pd.Timedelta(days=45)
    due = due_date(d["date_facture"], d["conditions"])
    return [Step("Date de facture + 45 jours", "date de facture + 45 jours",
                 f"{_date(d['date_facture'])} + 45 jours", _date(plus), plus),
            Step("Fin du mois atteint", "dernier jour du mois de la date obtenue",
                 f"fin de mois du {_date(plus)}", _date(due), pd.Timestamp(due))], (
        "« 45 jours fin de mois » calculé en ajoutant d'abord 45 jours, puis en allant à la fin "
        "du mois : l'une des deux lectures admises, à écrire dans les CGV.")


# --------------------------------------------------------------------------- part 5
def _p5_dso_simple(d):
    sales = sum(d["ventes_ttc"].values())
    dso = d["encours_ttc"] / sales * d["jours"]
    return [Step("Ventes TTC de la période", "somme des ventes des trois mois",
                 " + ".join(_eur(v, 0) for v in d["ventes_ttc"].values()), _eur(sales, 0), sales),
            Step("DSO comptable", "encours TTC / ventes TTC × jours de la période",
                 f"{_eur(d['encours_ttc'], 0)} / {_eur(sales, 0)} × {d['jours']}",
                 f"{_num(dso, 1)} jours", dso)], (
        f"Les clients paient en moyenne à {_num(dso, 0)} jours ; la méthode lisse les mois, "
        "à comparer avec le DSO par épuisement.")


def _p5_dso_countback(d):
    sales = pd.Series(d["ventes_ttc"])
    sales.index = pd.PeriodIndex(sales.index, freq="M")
    sales = sales.sort_index(ascending=False)
    left, steps, days = float(d["encours_ttc"]), [], 0.0
    for month, amount in sales.items():          # three months, latest first
        n = month.days_in_month
        if left <= 0:
            break
        if left >= amount:
            steps.append(Step(f"Mois de {month.strftime('%m/%Y')} épuisé",
                              "encours restant − ventes du mois",
                              f"{_eur(left, 0)} − {_eur(amount, 0)}", f"reste {_eur(left - amount, 0)}"
                              f" ; + {n} jours", n))
            days += n
            left -= amount
        else:
            part = left / amount * n
            steps.append(Step(f"Fraction de {month.strftime('%m/%Y')}",
                              "encours restant / ventes du mois × jours du mois",
                              f"{_eur(left, 0)} / {_eur(amount, 0)} × {n}", f"{_num(part, 1)} jours",
                              part))
            days += part
            left = 0.0
    official = float(dso_countback(d["encours_ttc"], pd.Series(d["ventes_ttc"]).set_axis(
        pd.PeriodIndex(list(d["ventes_ttc"]), freq="M")).sort_index(), d["fin_de_mois"]))
    steps.append(Step("DSO par épuisement", "somme des jours",
                      " + ".join(_num(s.value, 1) for s in steps), f"{_num(official, 1)} jours",
                      official))
    return steps, (f"{_num(official, 1)} jours : l'encours correspond aux ventes des derniers "
                   "mois, lues du plus récent au plus ancien — un DSO qui suit la saisonnalité.")


def _p5_cei(d):
    collectable = d["encours_debut"] + d["ventes"] - d["non_echu_fin"]
    collected = d["encours_debut"] + d["ventes"] - d["encours_fin"]
    value = collected / collectable
    return [Step("Encaissé sur la période", "encours début + ventes − encours fin",
                 f"{_num(d['encours_debut'], 0)} + {_num(d['ventes'], 0)} − "
                 f"{_num(d['encours_fin'], 0)}", _num(collected, 0), collected),
            Step("Encaissable sur la période", "encours début + ventes − non échu fin",
                 f"{_num(d['encours_debut'], 0)} + {_num(d['ventes'], 0)} − "
                 f"{_num(d['non_echu_fin'], 0)}", _num(collectable, 0), collectable),
            Step("CEI", "encaissé / encaissable", f"{_num(collected, 0)} / {_num(collectable, 0)}",
                 _pct(value), value)], (
        f"Le recouvrement a encaissé {_pct(value, 0)} de ce qui pouvait l'être : un CEI sous "
        "80 % appelle un plan de relance plus serré.")


def _factoring(d):
    return factoring_cost(d["ca_cede_ttc"], d["dso_jours"], commission_rate=d["commission"],
                          margin=d["taux_financement"], guarantee_fund_rate=d["fonds_garantie"])


def _p5_affacturage(d):
    t = _factoring(d).table
    return [Step("Encours chez le factor", "CA cédé TTC × DSO / 365",
                 f"{_eur(d['ca_cede_ttc'], 0)} × {d['dso_jours']} / 365", _eur(t["outstanding"]),
                 t["outstanding"]),
            Step("Montant financé", "encours × (1 − fonds de garantie)",
                 f"{_eur(t['outstanding'])} × (1 − {_pct(d['fonds_garantie'], 0)})",
                 _eur(t["drawn"]), t["drawn"]),
            Step("Commission d'affacturage", "CA cédé × taux de commission",
                 f"{_eur(d['ca_cede_ttc'], 0)} × {_pct(d['commission'], 1)}",
                 _eur(t["factoring_commission"]), t["factoring_commission"]),
            Step("Commission de financement", "montant financé × taux × 365 / 360",
                 f"{_eur(t['drawn'])} × {_pct(d['taux_financement'], 1)} × 365 / 360",
                 _eur(t["financing_commission"]), t["financing_commission"]),
            Step("Coût total", "commission d'affacturage + commission de financement",
                 f"{_eur(t['factoring_commission'])} + {_eur(t['financing_commission'])}",
                 _eur(t["total_cost"]), t["total_cost"])], (
        f"L'affacturage coûte {_pct(t['cost_share_of_sales'])} du CA cédé, pour le financement, "
        "la garantie et le recouvrement réunis.")


def _p5_affacturage_assurance(d):
    table = compare_financing(_factoring(d), overdraft_rate=d["taux_decouvert"],
                              insurance={"premium_rate": d["prime_assurance"]},
                              insured_turnover=d["ca_cede_ttc"] / (1 + d["tva"]))
    f, o = table.loc["factoring"], table.loc["overdraft_insurance"]
    gap = f["total"] - o["total"]
    ht = d["ca_cede_ttc"] / (1 + d["tva"])
    drawn = _factoring(d).table["drawn"]
    return [Step("Affacturage", "commissions d'affacturage + de financement",
                 f"{_eur(f['commission_and_fees'])} + {_eur(f['financing_cost'])}",
                 _eur(f["total"]), f["total"]),
            Step("Intérêts du découvert (même montant financé)",
                 "montant financé × taux du découvert × 365 / 360",
                 f"{_eur(drawn)} × {_pct(d['taux_decouvert'], 0)} × 365 / 360",
                 _eur(o["financing_cost"]), o["financing_cost"]),
            Step("Prime d'assurance-crédit", "CA HT assurable × taux de prime",
                 f"{_eur(ht)} × {_pct(d['prime_assurance'], 1)}", _eur(o["insurance_premium"]),
                 o["insurance_premium"]),
            Step("Découvert + assurance", "intérêts + prime",
                 f"{_eur(o['financing_cost'])} + {_eur(o['insurance_premium'])}",
                 _eur(o["total"]), o["total"]),
            Step("Écart", "affacturage − (découvert + assurance)",
                 f"{_eur(f['total'])} − {_eur(o['total'])}", _eur(gap), gap)], (
        f"L'affacturage coûte {_eur(gap, 0)} de plus par an, mais il inclut le recouvrement que "
        "la solution découvert + assurance laisse à l'entreprise.")


# --------------------------------------------------------------------------- part 6
def _p6_escompte(d):
    a = discount_analysis(d["escompte"], d["jours_paiement_anticipe"], d["jours_echeance"])
    gap = d["jours_echeance"] - d["jours_paiement_anticipe"]
    per_period = d["escompte"] / (1 - d["escompte"])
    return [Step("Jours gagnés", "échéance − paiement anticipé",
                 f"{d['jours_echeance']} − {d['jours_paiement_anticipe']}", f"{gap} jours", gap),
            Step("Coût de l'escompte sur la période", "escompte / (1 − escompte)",
                 f"{_pct(d['escompte'], 0)} / (1 − {_pct(d['escompte'], 0)})", _pct(per_period),
                 per_period),
            Step("Taux annuel équivalent", "coût sur la période × 365 / jours gagnés",
                 f"{_pct(per_period)} × 365 / {gap}", _pct(a.simple_rate_365), a.simple_rate_365)], (
        f"Accorder {_pct(d['escompte'], 0)} pour être payé {gap} jours plus tôt revient à "
        f"emprunter à {_pct(a.simple_rate_365, 0)} par an : bien plus cher qu'un découvert.")


def _p6_escompte_max(d):
    gap = d["jours_echeance"] - d["jours_paiement_anticipe"]
    gain = d["taux_financement"] * gap / 365
    top = max_discount(d["taux_financement"], d["jours_paiement_anticipe"], d["jours_echeance"])
    return [Step("Jours gagnés", "échéance − paiement anticipé",
                 f"{d['jours_echeance']} − {d['jours_paiement_anticipe']}", f"{gap} jours", gap),
            Step("Économie de financement par euro", "taux × jours gagnés / 365",
                 f"{_pct(d['taux_financement'], 0)} × {gap} / 365", _pct(gain, 3), gain),
            Step("Escompte maximal", "économie / (1 + économie)",
                 f"{_pct(gain, 3)} / (1 + {_pct(gain, 3)})", _pct(top, 3), top)], (
        f"Au-delà de {_pct(top, 2)} d'escompte, payer plus tôt coûte plus que ce que rapporte "
        "la trésorerie gagnée.")


WORKINGS: dict[str, Callable] = {
    "p1_cout_credit": _p1_cout_credit, "p1_jour_dso": _p1_jour_dso,
    "p1_ca_compensatoire": _p1_ca_compensatoire, "p1_client_marginal": _p1_client_marginal,
    "p2_conan_holder": _p2_conan_holder, "p2_altman": _p2_altman, "p2_limite": _p2_limite,
    "p3_woe": _p3_woe, "p3_pdo": _p3_pdo, "p3_auc": _p3_auc,
    "p4_penalites": _penalties, "p4_penalites_semestres": _penalties,
    "p4_echeance": _p4_echeance,
    "p5_dso_simple": _p5_dso_simple, "p5_dso_countback": _p5_dso_countback, "p5_cei": _p5_cei,
    "p5_affacturage": _p5_affacturage, "p5_affacturage_assurance": _p5_affacturage_assurance,
    "p6_escompte": _p6_escompte, "p6_escompte_max": _p6_escompte_max,
}


def working(exercise_id: str) -> Working:
    """The step-by-step working of a numeric case (the corrigé), checked against the checker.

    Raises
    ------
    InputError
        The case has no worked solution (a choice case: its model answer explains it), or
        the working's last figure differs from the checker's expected answer (a bug).
    """
    if exercise_id not in WORKINGS:
        raise InputError("exercise_id", f"a numeric case among {sorted(WORKINGS)}", exercise_id,
                         "choice cases are explained by model_answer(id)")
    steps, sentence = WORKINGS[exercise_id](EXERCISES[exercise_id].data)
    expected = expected_answer(exercise_id)
    last = steps[-1].value
    same = (pd.Timestamp(last) == pd.Timestamp(expected)) if isinstance(expected, pd.Timestamp) \
        else math.isclose(float(last), float(expected), rel_tol=1e-9, abs_tol=1e-9)
    if not same:
        raise InputError(f"working({exercise_id!r})", f"a last step equal to {expected!r}", last,
                         "fix the working in creditlab/exercises/_working.py")
    return Working(exercise_id, tuple(steps), expected, sentence)
