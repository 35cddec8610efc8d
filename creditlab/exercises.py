"""Practical cases (cas pratiques) with automatic feedback in French.

Each exercise has an id, a part of the course (1-6), a statement with its data
(:data:`EXERCISES`), and a checker that computes the expected answer **with creditlab** from
that data — never a stored answer — and compares the trainee's answer with a tolerance for
rounding. The feedback says whether the answer is right and, if not, gives a hint that points to
the concept; it never reveals the expected value. An unanswered exercise (``None`` or ``...``)
gives "pas encore répondu".

>>> check("p5_cei", 0.5593)                                   # doctest: +SKIP
✅ Exact : ...

Results can be exported for the trainer's view: pass ``trainee=`` and ``results_path=`` (or set
the ``CREDITLAB_RESULTS`` environment variable) and one JSON line per check is appended.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from creditlab.exceptions import InputError

__all__ = ["Exercise", "Feedback", "EXERCISES", "check", "exercise", "exercises_of_part",
           "expected_answer", "load_results"]


@dataclass(frozen=True)
class Exercise:
    """One practical case: statement, data, how to compute the answer, tolerance and hint."""

    id: str
    part: int
    title: str
    statement: str
    data: dict
    solve: Callable[[dict], object]
    kind: str = "number"          # number | percent | date | choice
    tolerance: float = 0.01       # absolute (number), in percentage points (percent)
    hint: str = ""
    unit: str = ""
    choices: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Feedback:
    """Result of a check: ``ok`` is True, False or None (not answered yet)."""

    exercise_id: str
    ok: bool | None
    message: str
    hint: str = ""

    def __bool__(self) -> bool:
        return bool(self.ok)

    def __str__(self) -> str:
        return self.message + (f"\n💡 Indice : {self.hint}" if self.hint else "")

    def _repr_html_(self) -> str:
        color = {True: "#1b7f3b", False: "#b3261e", None: "#6b6b6b"}[self.ok]
        hint = f"<br><em>Indice : {self.hint}</em>" if self.hint else ""
        return (f'<div style="border-left:4px solid {color};padding:4px 10px">'
                f"<strong>{self.exercise_id}</strong> — {self.message}{hint}</div>")

    def __repr__(self) -> str:
        return str(self)


# --------------------------------------------------------------------------- solvers
def _financing_cost(d):
    from creditlab.finance import financing_cost
    return financing_cost(d["ca_ttc"], d["dso_jours"], d["taux"])


def _dso_day(d):
    from creditlab.finance import cost_per_dso_day
    return cost_per_dso_day(d["ca_ttc"], d["taux"])


def _compensatory(d):
    from creditlab.finance import compensatory_sales
    return compensatory_sales(d["perte_ht"], d["marge_nette"])


def _conan_holder(d):
    from creditlab.scores import conan_holder_from_ratios
    return float(conan_holder_from_ratios(*d["ratios"])["score"].iloc[0])


def _altman_zpp(d):
    from creditlab.scores import altman_from_ratios
    x = d
    ta = x["total_actif"]
    return float(altman_from_ratios(x["bfr_net"] / ta, x["reserves"] / ta, x["ebit"] / ta,
                                    x["capitaux_propres"] / x["dettes_totales"],
                                    variant="z_double_prime")["score"].iloc[0])


def _limit(d):
    # DOMAIN.md §5.2: the most restrictive of the commercial need and the capacity caps
    return min(d["besoin_commercial"], d["taux_actif_net"] * d["actif_net_tangible"],
               d["taux_ca"] * d["ca_client"])


def _woe(d):
    # WoE = ln(share of goods in the bin / share of bads in the bin) (creditlab.modeling sign)
    return math.log((d["bons_classe"] / d["bons_total"]) / (d["mauvais_classe"] / d["mauvais_total"]))


def _score_at_odds(d):
    factor = d["pdo"] / math.log(2)
    offset = d["score_base"] - factor * math.log(d["cote_base"])
    return offset + factor * math.log(d["cote"])


def _auc(d):
    from sklearn.metrics import roc_auc_score
    return float(roc_auc_score(d["defaut"], -np.asarray(d["score"], dtype=float)))


def _penalty(d):
    from creditlab.legal import late_penalties
    return float(late_penalties(d["montant_ttc"], d["echeance"], d["paiement"])
                 ["penalty_rounded"].iloc[0])


def _due(d):
    from creditlab.legal import due_date
    return due_date(d["date_facture"], d["conditions"])


def _dso_simple(d):
    from creditlab.receivables import dso_simple
    return dso_simple(d["encours_ttc"], sum(d["ventes_ttc"].values()), d["jours"])


def _dso_countback(d):
    from creditlab.receivables import dso_countback
    s = pd.Series(d["ventes_ttc"])
    s.index = pd.PeriodIndex(s.index, freq="M")
    return float(dso_countback(d["encours_ttc"], s.sort_index(), d["fin_de_mois"]))


def _cei(d):
    from creditlab.receivables import cei
    return cei(d["encours_debut"], d["ventes"], d["encours_fin"], d["non_echu_fin"])


def _discount_rate(d):
    from creditlab.finance import discount_annual_rate
    return discount_annual_rate(d["escompte"], d["jours_paiement_anticipe"], d["jours_echeance"])


def _max_discount(d):
    from creditlab.finance import max_discount
    return max_discount(d["taux_financement"], d["jours_paiement_anticipe"], d["jours_echeance"])


def _choice(d):
    return d["bonne_reponse"]


# --------------------------------------------------------------------------- catalogue
def _ex(*args, **kw) -> Exercise:
    return Exercise(*args, **kw)


_LIST = [
    _ex("p1_cout_credit", 1, "Coût annuel du crédit client",
        "Votre CA TTC annuel est de 1,2 M€, le DSO de 60 jours et le coût de financement de 5 %. "
        "Quel est le coût annuel de financement de l'encours clients (en €) ?",
        {"ca_ttc": 1_200_000, "dso_jours": 60, "taux": 0.05}, _financing_cost, tolerance=1.0,
        hint="encours moyen = CA TTC × DSO / 365, puis × taux de financement.", unit="€"),
    _ex("p1_jour_dso", 1, "Ce que coûte un jour de DSO",
        "Même entreprise (CA TTC 1,2 M€, financement à 5 %). Combien coûte chaque jour de DSO "
        "supplémentaire, par an (en €) ?",
        {"ca_ttc": 1_200_000, "taux": 0.05}, _dso_day, tolerance=0.5,
        hint="un jour de DSO immobilise une journée de CA TTC (CA / 365).", unit="€"),
    _ex("p1_ca_compensatoire", 1, "Chiffre d'affaires compensatoire",
        "Un impayé vous fait perdre 1 000 € HT ; votre marge nette est de 5 %. Quel chiffre "
        "d'affaires HT supplémentaire faut-il réaliser pour compenser la perte ?",
        {"perte_ht": 1_000, "marge_nette": 0.05}, _compensatory, tolerance=1.0,
        hint="chaque euro de ventes ne rapporte que la marge nette.", unit="€"),
    _ex("p2_conan_holder", 2, "Score Conan-Holder",
        "Ratios d'un industriel (en fractions) : R1 EBE/dettes = 0,20 ; R2 capitaux permanents/"
        "total bilan = 0,55 ; R3 réalisable et disponible/total bilan = 0,35 ; R4 frais "
        "financiers/CA = 0,01 ; R5 charges de personnel/valeur ajoutée = 0,666667. Calculez Z.",
        {"ratios": (0.20, 0.55, 0.35, 0.01, 0.666667)}, _conan_holder, tolerance=0.01,
        hint="Z = 24 R1 + 22 R2 + 16 R3 − 87 R4 − 10 R5, ratios en fractions."),
    _ex("p2_altman", 2, "Altman Z'' (entreprise non industrielle)",
        "Total actif 1 000 ; BFR net (actif − passif circulants) 200 ; réserves 150 ; résultat "
        "d'exploitation 100 ; capitaux propres 400 ; dettes totales 600. Calculez Z''.",
        {"total_actif": 1000, "bfr_net": 200, "reserves": 150, "ebit": 100,
         "capitaux_propres": 400, "dettes_totales": 600}, _altman_zpp, tolerance=0.01,
        hint="Z'' = 6,56 X1 + 3,26 X2 + 6,72 X3 + 1,05 X4 (pas de terme CA/actif)."),
    _ex("p2_limite", 2, "Limite de crédit d'un prospect",
        "Besoin commercial 50 000 € ; actif net tangible 80 000 € (plafond 35 %) ; CA du client "
        "700 000 € (plafond 5 %). Quelle limite proposez-vous (règle la plus restrictive) ?",
        {"besoin_commercial": 50_000, "actif_net_tangible": 80_000, "taux_actif_net": 0.35,
         "ca_client": 700_000, "taux_ca": 0.05}, _limit, tolerance=1.0,
        hint="calculez chaque plafond puis retenez le plus petit avec le besoin.", unit="€"),
    _ex("p3_woe", 3, "Poids de preuve d'une classe",
        "Une classe contient 80 bons payeurs sur 800 et 20 défaillants sur 100. Calculez son WoE "
        "(logarithme népérien, convention bons/mauvais).",
        {"bons_classe": 80, "bons_total": 800, "mauvais_classe": 20, "mauvais_total": 100},
        _woe, tolerance=0.005, hint="WoE = ln(part des bons / part des mauvais) dans la classe."),
    _ex("p3_pdo", 3, "Échelle de points",
        "Grille calibrée à 600 points pour une cote bons/mauvais de 50, PDO = 20. Quel score "
        "correspond à une cote de 200 ?",
        {"score_base": 600, "cote_base": 50, "pdo": 20, "cote": 200}, _score_at_odds,
        tolerance=0.05, hint="la cote double tous les PDO points."),
    _ex("p3_auc", 3, "Pouvoir discriminant (AUC)",
        "Six clients notés (plus le score est haut, plus le client est sûr) : scores "
        "[720, 650, 580, 610, 700, 540], défaut observé [0, 0, 1, 0, 1, 1]. Calculez l'AUC.",
        {"score": [720, 650, 580, 610, 700, 540], "defaut": [0, 0, 1, 0, 1, 1]}, _auc,
        tolerance=0.005, hint="proportion des paires (défaillant, sain) bien ordonnées."),
    _ex("p4_penalites", 4, "Pénalités de retard",
        "Facture de 10 000 € TTC échue le 30/09/2025, payée le 30/11/2025, sans taux "
        "contractuel. Montant des pénalités de retard (hors indemnité de 40 €) ?",
        {"montant_ttc": 10_000, "echeance": "2025-09-30", "paiement": "2025-11-30"}, _penalty,
        tolerance=0.01, hint="taux BCE en vigueur au 1er juillet + 10 points, jours / 365.",
        unit="€"),
    _ex("p4_penalites_semestres", 4, "Pénalités sur deux semestres",
        "Facture de 10 000 € TTC échue le 31/05/2025, payée le 31/08/2025. Montant des "
        "pénalités au taux légal supplétif ?",
        {"montant_ttc": 10_000, "echeance": "2025-05-31", "paiement": "2025-08-31"}, _penalty,
        tolerance=0.01, hint="le taux change au 1er juillet : découpez la période.", unit="€"),
    _ex("p4_echeance", 4, "45 jours fin de mois",
        "Facture du 22/10/2025, conditions « 45 jours puis fin de mois ». Date d'échéance ?",
        {"date_facture": "2025-10-22", "conditions": "eom45_b"}, _due, kind="date",
        hint="ajoutez 45 jours à la date de facture, puis allez à la fin de ce mois."),
    _ex("p5_dso_simple", 5, "DSO comptable",
        "Encours TTC 180 000 € ; ventes TTC des trois derniers mois : janvier 75 000, février "
        "60 000, mars 90 000 (90 jours). DSO comptable sur le trimestre ?",
        {"encours_ttc": 180_000, "ventes_ttc": {"2025-01": 75_000, "2025-02": 60_000,
                                                 "2025-03": 90_000}, "jours": 90},
        _dso_simple, tolerance=0.05, hint="encours / ventes de la période × nombre de jours.",
        unit="jours"),
    _ex("p5_dso_countback", 5, "DSO par épuisement du CA",
        "Mêmes données, arrêté au 31/03/2025. DSO par épuisement du chiffre d'affaires ?",
        {"encours_ttc": 180_000, "ventes_ttc": {"2025-01": 75_000, "2025-02": 60_000,
                                                 "2025-03": 90_000},
         "fin_de_mois": "2025-03-31"}, _dso_countback, tolerance=0.05,
        hint="retirez les ventes mois par mois en partant du plus récent, jours réels.",
        unit="jours"),
    _ex("p5_cei", 5, "Efficacité du recouvrement (CEI)",
        "Encours début 6 200 ; ventes de la période 3 630 ; encours fin 6 340 dont non échu "
        "3 590. Calculez le CEI (fraction).",
        {"encours_debut": 6_200, "ventes": 3_630, "encours_fin": 6_340, "non_echu_fin": 3_590},
        _cei, kind="percent", tolerance=0.1,
        hint="(début + ventes − fin) / (début + ventes − non échu de fin)."),
    _ex("p6_escompte", 6, "Taux équivalent d'un escompte",
        "Vous proposez 2 % d'escompte pour un paiement à 10 jours au lieu de 30. Taux annuel "
        "équivalent (simple, base 365, en fraction) ?",
        {"escompte": 0.02, "jours_paiement_anticipe": 10, "jours_echeance": 30}, _discount_rate,
        kind="percent", tolerance=0.1,
        hint="taux / (1 − taux) × 365 / jours gagnés."),
    _ex("p6_escompte_max", 6, "Escompte maximal",
        "Vous vous financez à 5 %. Quel escompte maximal (fraction) pouvez-vous offrir pour un "
        "paiement à 10 jours au lieu de 60 ?",
        {"taux_financement": 0.05, "jours_paiement_anticipe": 10, "jours_echeance": 60},
        _max_discount, kind="percent", tolerance=0.01,
        hint="l'escompte ne doit pas coûter plus que le financement des jours gagnés."),
    _ex("p6_objection", 6, "Répondre à une objection",
        "Le client : « Je n'ai jamais reçu cette facture. » Quelle réponse choisissez-vous ?",
        {"bonne_reponse": "b"}, _choice, kind="choice",
        choices={"a": "« Alors nous annulons les pénalités et attendons votre paiement. »",
                 "b": "« Je vous l'envoie à l'instant par courriel ; pouvez-vous me confirmer "
                      "aujourd'hui la date de règlement ? »",
                 "c": "« C'est impossible, nous l'avons envoyée. »"},
        hint="renvoyer la pièce tout de suite et obtenir un engagement daté."),
]
#: Every exercise, by id.
EXERCISES: dict[str, Exercise] = {e.id: e for e in _LIST}


def exercise(exercise_id: str) -> Exercise:
    """The exercise with this id (InputError naming the known ids otherwise)."""
    try:
        return EXERCISES[exercise_id]
    except KeyError:
        raise InputError("exercise_id", f"one of {sorted(EXERCISES)}", exercise_id,
                         "copy the id from the exercise statement") from None


def exercises_of_part(part: int) -> list[Exercise]:
    """Exercises of one part of the course (1-6), in order."""
    return [e for e in _LIST if e.part == part]


def expected_answer(exercise_id: str):
    """The answer computed with creditlab (for trainers and solution notebooks)."""
    ex = exercise(exercise_id)
    return ex.solve(ex.data)


def _compare(ex: Exercise, answer) -> bool:
    expected = ex.solve(ex.data)
    if ex.kind == "date":
        try:
            return pd.Timestamp(answer).normalize() == pd.Timestamp(expected).normalize()
        except (TypeError, ValueError):
            return False
    if ex.kind == "choice":
        return str(answer).strip().lower() == str(expected).lower()
    try:
        value = float(str(answer).replace(",", ".").replace("%", "").replace(" ", "")
                      .replace("\u202f", "")) if isinstance(answer, str) else float(answer)
    except (TypeError, ValueError):
        return False
    if ex.kind == "percent":
        if isinstance(answer, str) and "%" in answer or value > 1.5 and expected < 1.5:
            value /= 100.0            # accept 55.93 or "55,93 %" for a fraction of 0.5593
        return abs(value - expected) <= ex.tolerance / 100.0 + 1e-12
    return abs(value - expected) <= ex.tolerance + 1e-9


def check(exercise_id: str, answer, *, trainee: str | None = None,
          results_path: str | os.PathLike | None = None) -> Feedback:
    """Check a trainee's answer and return French feedback (never the expected value).

    ``None`` or ``...`` means not answered yet: ``ok=None``, "pas encore répondu".
    With ``trainee`` and ``results_path`` (or ``$CREDITLAB_RESULTS``), one JSON line
    ``{trainee, exercise_id, part, ok, timestamp}`` is appended to the results file.
    """
    ex = exercise(exercise_id)
    if answer is None or answer is Ellipsis:
        fb = Feedback(ex.id, None, "⏳ pas encore répondu")
    elif _compare(ex, answer):
        fb = Feedback(ex.id, True, f"✅ Exact : {ex.title.lower()} maîtrisé.")
    else:
        fb = Feedback(ex.id, False, "❌ Pas tout à fait.", ex.hint)
    path = results_path or os.environ.get("CREDITLAB_RESULTS")
    if path and trainee and fb.ok is not None:
        rec = {"trainee": trainee, "exercise_id": ex.id, "part": ex.part, "ok": fb.ok,
               "timestamp": datetime.now().isoformat(timespec="seconds")}
        with Path(path).open("a", encoding="utf-8") as f:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return fb


def load_results(folder: str | os.PathLike) -> pd.DataFrame:
    """Every ``*.jsonl`` results file of a folder as one table (the trainer's view)."""
    files = sorted(Path(folder).glob("*.jsonl"))
    if not files:
        raise InputError("folder", "a folder holding *.jsonl results files", str(folder),
                         "point to the folder where trainees' results were exported")
    rows = [json.loads(line) for f in files for line in f.read_text("utf-8").splitlines()
            if line.strip()]
    return pd.DataFrame(rows)
