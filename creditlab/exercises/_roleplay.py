"""Mises en situation: the trainee writes, speaks or negotiates, and is told why.

- :func:`check_letter`: a dunning letter or a mise en demeure written by the trainee, checked
  against a rubric (legal mentions, amounts and penalties right, tone, call to action) with a
  feedback per criterion;
- :class:`PhoneCall` / :func:`phone_call`: a phone dunning call in 4 steps as a branching
  dialogue (the customer answers; the trainee chooses and is told why);
- :func:`check_argument`: an answer to an objection written by the trainee, scored on the key
  elements (empathy, questioning, reformulation, win-win proposal with a date);
- :func:`negotiate_plan`: a payment plan proposed to a simulated customer, under the company's
  policy and the customer's cash constraints.

Every attempt is recorded for the trainer's view with what the trainee wrote or chose
(:func:`creditlab.exercises.session`). The figures of each case (amounts, penalties) are
computed with creditlab from the case data, never stored.
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass

import pandas as pd

from creditlab.exceptions import InputError
from creditlab.exercises._answers import read_number
from creditlab.exercises._model import Feedback
from creditlab.exercises._results import record_results
from creditlab.legal import late_penalties

__all__ = ["CASES", "OBJECTIONS", "Rubric", "check_letter", "check_argument", "case_file",
           "writing_field"]


@dataclass(frozen=True)
class Rubric:
    """A graded production: one line per criterion (``ok``, what was looked for, advice)."""

    case_id: str
    table: pd.DataFrame          # criterion, ok, advice

    @property
    def score(self) -> int:
        return int(self.table["ok"].sum())

    @property
    def total(self) -> int:
        return len(self.table)

    @property
    def ok(self) -> bool:
        return self.score == self.total

    def __str__(self) -> str:
        lines = [f"{self.case_id} — {self.score} / {self.total} critères remplis"]
        for r in self.table.itertuples():
            lines.append(f"{'✅' if r.ok else '❌'} {r.criterion}" + ("" if r.ok else
                                                                   f" — {r.advice}"))
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{'✅' if r.ok else '❌'} <b>{html.escape(r.criterion)}</b>"
                        + ("" if r.ok else f" — {html.escape(r.advice)}") + "</li>"
                        for r in self.table.itertuples())
        return (f"<div><strong>{html.escape(self.case_id)} — {self.score} / {self.total} "
                f"critères remplis</strong><ul>{items}</ul></div>")


# --------------------------------------------------------------------------- case files
#: The files of the written cases: invoices of a demo-like customer, as of a date.
CASES: dict[str, dict] = {
    "ms_relance_ecrite": {
        "part": 4, "kind": "relance",
        "client": "Bâti Sud SARL", "as_of": "2025-12-15",
        "invoices": [("F2025-0912", 4_800.00, "2025-10-31"), ("F2025-0977", 2_400.00,
                                                              "2025-11-15")],
        "statement": "Bâti Sud SARL n'a pas réglé deux factures échues malgré une première "
                     "relance amiable. Rédigez la deuxième relance écrite, au 15/12/2025.",
    },
    "ms_mise_en_demeure": {
        "part": 4, "kind": "mise_en_demeure",
        "client": "Bâti Sud SARL", "as_of": "2026-01-10",
        "invoices": [("F2025-0912", 4_800.00, "2025-10-31"), ("F2025-0977", 2_400.00,
                                                              "2025-11-15")],
        "statement": "Sans réponse à vos relances, rédigez la mise en demeure au 10/01/2026 : "
                     "principal, pénalités de retard au taux légal supplétif arrêtées à la date "
                     "de la lettre et indemnités forfaitaires.",
    },
}


def case_file(case_id: str) -> pd.DataFrame:
    """The invoices of a written case with the days late, penalties (Code de commerce
    L441-10 II: ECB rate + 10 points, days / 365) and the 40 € indemnity, computed with
    :func:`creditlab.legal.late_penalties` at the case date."""
    case = _case(case_id)
    rows = []
    for number, amount, due in case["invoices"]:
        p = late_penalties(amount, due, case["as_of"]).iloc[0]
        rows.append({"facture": number, "montant_ttc": amount, "echeance": pd.Timestamp(due),
                     "jours_de_retard": int(p["days_late"]),
                     "penalites": float(p["penalty_rounded"]),
                     "indemnite": float(p["indemnity"])})
    return pd.DataFrame(rows)


def _case(case_id: str) -> dict:
    if case_id not in CASES:
        raise InputError("case_id", f"one of {sorted(CASES)}", case_id,
                         "copy the id from the case statement")
    return CASES[case_id]


_AMOUNT = re.compile(r"\d{1,3}(?:[ \u202f\u00a0.]\d{3})*(?:,\d{1,2})?|\d+(?:[.,]\d{1,2})?")


def _amounts(text: str) -> list[float]:
    """Every number written in the text, read as a French trainee writes it."""
    out = []
    for token in _AMOUNT.findall(text):
        value = read_number(token).value
        if value is not None:
            out.append(value)
    return out


def _has_amount(values: list[float], target: float, tol: float = 1.0) -> bool:
    return any(abs(v - target) <= tol for v in values)


def _any(text: str, words) -> bool:
    return any(w in text for w in words)


_RUDE = ("escroc", "voleur", "inadmissible", "honte", "menteur", "dernière fois que",
         "vous vous moquez", "mauvais payeur", "!!")


def check_letter(case_id: str, text: str, *, trainee: str | None = None,
                 results_path: str | os.PathLike | None = None) -> Rubric:
    """Grade a dunning letter or a mise en demeure written by the trainee.

    Criteria: invoices identified (numbers), amount due right (principal, ± 1 €), legal
    mentions (penalties at the legal rate and the 40 € indemnity, Code de commerce L441-10 II
    and D441-5), for a mise en demeure the words "mise en demeure", the penalties computed to
    the euro and the next step; a courteous tone (greeting, closing, no insult or shouting);
    a call to action (a deadline and a payment means). Feedback per criterion; recorded with the
    text for the trainer's view.
    """
    case = _case(case_id)
    if text is None or (isinstance(text, str) and not text.strip()):
        return Feedback(case_id, None, "⏳ pas encore rédigée")
    if not isinstance(text, str) or len(text.strip()) < 80:
        raise InputError("text", "the letter, at least a few sentences", text,
                         "write the letter between triple quotes: check_letter(id, \"\"\"...\"\"\")")
    low = text.lower()
    files = case_file(case_id)
    values = _amounts(text)
    principal = float(files["montant_ttc"].sum())
    rows = [
        ("Factures identifiées (numéros)", all(f.lower() in low for f in files["facture"]),
         "citez chaque facture par son numéro, avec sa date d'échéance."),
        ("Montant dû exact", _has_amount(values, principal),
         "indiquez le total du principal restant dû, TTC, au centime près."),
        ("Pénalités de retard mentionnées", _any(low, ("pénalité", "penalite", "pénalités")),
         "rappelez que des pénalités au taux légal courent depuis l'échéance (L441-10 II)."),
        ("Indemnité forfaitaire de 40 €", "40" in low and _any(low, ("indemnité", "indemnite")),
         "rappelez l'indemnité forfaitaire de 40 € par facture (D441-5)."),
        ("Ton courtois", _any(low, ("madame", "monsieur", "bonjour")) and
         _any(low, ("cordialement", "salutations", "sentiments")) and not _any(low, _RUDE)
         and sum(w.isalpha() and w.isupper() and len(w) > 3 for w in text.split()) <= 2,
         "une formule d'appel et de politesse, des faits, ni reproche ni majuscules."),
        ("Date limite de paiement", bool(re.search(
            r"(avant le|au plus tard le|d'ici le|pour le)\s+(\d{1,2}[/ ]|lundi|mardi|mercredi|"
            r"jeudi|vendredi)|sous (\d+|huit|quinze|dix) jours|dans un délai de", low)),
         "fixez une date précise (« avant le 31/12/2025 » ou « sous 8 jours »)."),
        ("Moyen de paiement", _any(low, ("virement", "iban", "chèque", "cheque",
                                         "prélèvement", "lcr")),
         "dites comment payer (virement, RIB joint)."),
    ]
    if case["kind"] == "mise_en_demeure":
        penalties = float(files["penalites"].sum())
        indemnity = float(files["indemnite"].sum())
        rows += [
            ("Les mots « mise en demeure »", "mise en demeure" in low,
             "l'intitulé doit dire « mise en demeure » (par lettre recommandée avec AR)."),
            ("Pénalités chiffrées à l'euro près", _has_amount(values, penalties),
             "calculez les pénalités de chaque facture au taux BCE + 10 points, jours / 365, "
             "arrêtées à la date de la lettre, et donnez leur total."),
            ("Indemnités totalisées", _has_amount(values, indemnity, 0.5),
             "40 € par facture : totalisez-les."),
            ("Suite annoncée", _any(low, ("injonction de payer", "procédure", "tribunal",
                                          "contentieux", "recouvrement judiciaire")),
             "annoncez la suite à défaut de paiement (injonction de payer, par exemple)."),
        ]
    table = pd.DataFrame(rows, columns=["criterion", "ok", "advice"])
    rubric = Rubric(case_id, table)
    record_results([(case_id, rubric.ok, text)], part=case["part"], kind="mise_en_situation",
                   trainee=trainee, results_path=results_path)
    return rubric


# --------------------------------------------------------------------------- objections
OBJECTIONS: dict[str, dict] = {
    "ms_objection_tresorerie": {
        "part": 6,
        "statement": "Le client, au téléphone : « Nous avons un trou de trésorerie, nous "
                     "paierons quand nous pourrons. » Il doit 12 000 € échus depuis 45 jours. "
                     "Écrivez ce que vous lui répondez.",
    },
    "ms_objection_litige": {
        "part": 6,
        "statement": "Le client : « Nous ne payons rien tant que le litige sur la livraison "
                     "de mars n'est pas réglé. » Le litige porte sur 1 800 € ; il doit 9 500 € "
                     "échus. Écrivez ce que vous lui répondez.",
    },
}

_ELEMENTS = [
    ("Empathie", ("je comprends", "j'entends", "je vois bien", "je conçois", "effectivement",
                  "c'est normal", "je vous remercie de"),
     "reconnaissez la situation du client avant de parler de la dette (« Je comprends… »)."),
    ("Questionnement", None,
     "posez au moins une question ouverte pour comprendre (« Qu'est-ce qui… ? »)."),
    ("Reformulation", ("si je comprends bien", "si je vous comprends bien", "vous me dites",
                       "autrement dit", "en résumé", "vous voulez dire", "si je résume"),
     "reformulez ce que dit le client pour vérifier (« Si je comprends bien, … »)."),
    ("Proposition gagnant-gagnant", ("je vous propose", "nous pouvons", "je peux vous proposer",
                                     "échéancier", "escompte", "en contrepartie",
                                     "que diriez-vous"),
     "faites une proposition qui sert les deux parties (échéancier, paiement partiel…)."),
    ("Engagement daté", None,
     "terminez par un engagement daté (« un premier versement vendredi 12 ? »)."),
]


def check_argument(case_id: str, text: str, *, trainee: str | None = None,
                   results_path: str | os.PathLike | None = None) -> Rubric:
    """Score the trainee's own answer to an objection on the key elements: empathy,
    questioning, reformulation, a win-win proposal and a dated commitment; a threat or a
    concession without counterpart is flagged."""
    if case_id not in OBJECTIONS:
        raise InputError("case_id", f"one of {sorted(OBJECTIONS)}", case_id,
                         "copy the id from the case statement")
    if text is None or (isinstance(text, str) and not text.strip()):
        return Feedback(case_id, None, "⏳ pas encore rédigée")
    if not isinstance(text, str) or len(text.strip()) < 40:
        raise InputError("text", "your answer, one or a few sentences", text,
                         "write it between quotes: check_argument(id, \"...\")")
    low = text.lower()
    rows = []
    for name, words, advice in _ELEMENTS:
        if name == "Questionnement":
            ok = "?" in text
        elif name == "Engagement daté":
            ok = bool(re.search(r"lundi|mardi|mercredi|jeudi|vendredi|samedi|\d{1,2}/\d{1,2}|"
                                r"le \d{1,2}\b|cette semaine|demain|d'ici le|avant le", low))
        else:
            ok = _any(low, words)
        rows.append((name, ok, advice))
    calm = not _any(low, (*_RUDE, "avocat demain", "nous allons vous poursuivre", "huissier"))
    no_gift = not re.search(r"(j'annule|on annule|nous annulons|j'abandonne)", low)
    rows.append(("Relation préservée", calm and no_gift,
                 "ni menace, ni concession gratuite : chaque geste s'échange contre un "
                 "engagement."))
    table = pd.DataFrame(rows, columns=["criterion", "ok", "advice"])
    rubric = Rubric(case_id, table)
    record_results([(case_id, rubric.ok, text)], part=OBJECTIONS[case_id]["part"],
                   kind="mise_en_situation", trainee=trainee, results_path=results_path)
    return rubric


def writing_field(case_id: str, *, trainee: str | None = None,
                  results_path: str | os.PathLike | None = None):
    """The statement of a written case (letter or objection), a text area and a « Vérifier »
    button showing the rubric (ipywidgets); ``check_letter`` / ``check_argument`` do the same
    without widgets."""
    import ipywidgets as w  # optional: course

    is_letter = case_id in CASES
    spec = CASES[case_id] if is_letter else OBJECTIONS.get(case_id)
    if spec is None:
        raise InputError("case_id", f"one of {sorted(CASES) + sorted(OBJECTIONS)}", case_id,
                         "copy the id from the case statement")
    grade = check_letter if is_letter else check_argument
    area = w.Textarea(placeholder="Rédigez ici…", layout=w.Layout(width="95%", height="220px"
                                                                  if is_letter else "120px"))
    out = w.HTML()
    button = w.Button(description="Vérifier", button_style="primary")

    def submit(_):
        try:
            out.value = grade(case_id, area.value, trainee=trainee,
                              results_path=results_path)._repr_html_()
        except InputError:
            out.value = ("<p style='color:#b3261e'>Rédigez au moins quelques phrases avant de "
                         "vérifier.</p>")

    button.on_click(submit)
    return w.VBox([w.HTML(f"<b>{case_id}</b> — {html.escape(spec['statement'])}"), area,
                   button, out])
