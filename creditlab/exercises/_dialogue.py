"""Mises en situation with a simulated customer: a phone dunning call in 4 steps (branching
dialogue) and a payment plan negotiated under constraints."""

from __future__ import annotations

import html
import os
from dataclasses import dataclass, field

import pandas as pd

from creditlab.exceptions import InputError
from creditlab.exercises._answers import read_number
from creditlab.exercises._model import Feedback
from creditlab.exercises._results import record_results
from creditlab.exercises._roleplay import Rubric

__all__ = ["PhoneCall", "phone_call", "negotiate_plan", "PLAN_CASES", "CALLS"]

# Each step: what the customer says (after a good or a poor previous choice), the options
# (text, good?, why). Steps follow the 4 temps of the phone reminder of part 4.
CALLS: dict[str, dict] = {
    "ms_appel_relance": {
        "part": 4,
        "context": "Atelier Morel doit 6 000 € (facture F2025-1044, échue depuis 20 jours). "
                   "Vous appelez la comptable, Mme Roche.",
        "steps": [
            {"name": "1. Préparer et se présenter",
             "customer": {"start": "« Comptabilité, Mme Roche, bonjour. »"},
             "options": {
                 "a": ("« Bonjour Madame, Paul Martin, de Lumetal. Je vous appelle au sujet de "
                       "la facture F2025-1044 de 6 000 €. Avez-vous un instant ? »", True,
                       "présenté, dossier en main, une question pour obtenir l'attention."),
                 "b": ("« Bonjour, c'est Lumetal. Vous avez des factures en retard chez nous, "
                       "vous le savez ? »", False,
                       "vague et accusateur : la personne se met sur la défensive."),
                 "c": ("« Bonjour, pouvez-vous me passer votre directeur financier, s'il vous "
                       "plaît ? C'est pour un retard. »", False,
                       "on court-circuite l'interlocutrice qui traite les paiements.")}},
            {"name": "2. Exposer les faits et écouter",
             "customer": {"good": "« Oui… Je ne vois pas cette facture dans le circuit. »",
                          "poor": "« Je n'ai pas le temps. De quelle facture parlez-vous ? »"},
             "options": {
                 "a": ("« C'est impossible : nous l'avons envoyée le 5, vérifiez donc mieux "
                       "votre courrier. »", False,
                       "on conteste au lieu de comprendre : le blocage reste entier."),
                 "b": ("« Je comprends. Elle date du 5 novembre, bon de commande 778 : à qui "
                       "a-t-elle pu être adressée ? »", True,
                       "empathie, faits précis et question ouverte pour trouver le blocage."),
                 "c": ("« Ce n'est pas grave, rappelez-moi quand vous l'aurez retrouvée dans "
                       "vos dossiers. »", False,
                       "l'appel finit sans rien : aucune date, aucune action.")}},
            {"name": "3. Obtenir un engagement",
             "customer": {"good": "« Sans doute chez l'ancien acheteur. Envoyez-la-moi, je la "
                                  "fais valider. »",
                          "poor": "« Bon. Envoyez-la encore une fois, on verra bien. »"},
             "options": {
                 "a": ("« Entendu. Je vous l'envoie tout de suite ; vous la réglez d'ici "
                       "quand, à votre avis ? »", False,
                       "question trop ouverte au moment de conclure : aucune date ferme."),
                 "b": ("« Je vous l'envoie maintenant. Si elle est validée jeudi, le "
                       "virement peut-il partir vendredi 19 ? »", True,
                       "question fermée, date précise : un engagement vérifiable."),
                 "c": ("« Je vous l'envoie. Sans paiement sous 48 heures, nous bloquerons "
                       "toutes vos commandes. »", False,
                       "menace prématurée pour un simple problème d'adressage.")}},
            {"name": "4. Conclure et confirmer par écrit",
             "customer": {"good": "« Vendredi 19, c'est possible. »",
                          "poor": "« On fera ce qu'on pourra. »"},
             "options": {
                 "a": ("« Merci. Je vous confirme par courriel : facture jointe, virement "
                       "le 19. Bonne journée, Madame. »", True,
                       "la promesse est écrite, datée, et le ton reste cordial."),
                 "b": ("« Parfait, merci beaucoup, je note cela de mon côté. Bonne journée à "
                       "vous, Madame. »", False,
                       "rien d'écrit : en cas d'oubli, aucune trace de l'engagement."),
                 "c": ("« Très bien. Je vous rappellerai lundi 22 pour savoir si c'est "
                       "bien fait. »", False,
                       "rappeler est utile, mais sans confirmation écrite la promesse reste "
                       "orale.")}},
        ],
    },
}


@dataclass
class PhoneCall:
    """A phone dunning call in 4 steps: ``say()`` shows the customer and the options,
    ``choose(letter)`` answers and tells why; the customer's next line depends on the choice.
    """

    call_id: str
    trainee: str | None = None
    results_path: str | os.PathLike | None = None
    choices: list[tuple[str, bool]] = field(default_factory=list)

    @property
    def spec(self) -> dict:
        return CALLS[self.call_id]

    @property
    def done(self) -> bool:
        return len(self.choices) == len(self.spec["steps"])

    def _customer_line(self) -> str:
        step = self.spec["steps"][len(self.choices)]
        if not self.choices:
            return step["customer"]["start"]
        return step["customer"]["good" if self.choices[-1][1] else "poor"]

    def say(self) -> str:
        """What the customer says now, and your options."""
        if self.done:
            return self.summary()
        step = self.spec["steps"][len(self.choices)]
        opts = "\n".join(f"  {k}. {text}" for k, (text, _, _) in step["options"].items())
        intro = self.spec["context"] + "\n\n" if not self.choices else ""
        return f"{intro}{step['name']}\nLe client : {self._customer_line()}\n{opts}"

    def choose(self, letter: str) -> str:
        """Answer the current step with an option letter; returns why, then the next line."""
        if self.done:
            return self.summary()
        step = self.spec["steps"][len(self.choices)]
        key = str(letter).strip().lower()
        if key not in step["options"]:
            raise InputError("letter", f"one of {sorted(step['options'])}", letter,
                             "answer with the letter of an option")
        _, good, why = step["options"][key]
        self.choices.append((key, good))
        verdict = "✅ Bien joué : " if good else "❌ À revoir : "
        text = verdict + why
        if self.done:
            record_results([(self.call_id, self.score == len(self.choices),
                             [c for c, _ in self.choices])], part=self.spec["part"],
                           kind="mise_en_situation", trainee=self.trainee,
                           results_path=self.results_path)
            return text + "\n\n" + self.summary()
        return text + "\n\n" + self.say()

    @property
    def score(self) -> int:
        return sum(good for _, good in self.choices)

    def summary(self) -> str:
        return (f"Appel terminé : {self.score} / {len(self.spec['steps'])} bons choix. "
                "Les 4 temps : se présenter dossier en main, exposer les faits et écouter, "
                "obtenir un engagement daté, le confirmer par écrit.")

    def __str__(self) -> str:
        return self.say()

    __repr__ = __str__

    def widget(self):
        """ipywidgets: the dialogue and one button per option."""
        import ipywidgets as w

        text = w.HTML()
        buttons = w.HBox()

        def refresh(message: str):
            text.value = "<pre style='white-space:pre-wrap'>" + html.escape(message) + "</pre>"
            if self.done:
                buttons.children = ()
                return
            step = self.spec["steps"][len(self.choices)]
            btns = []
            for k in step["options"]:
                b = w.Button(description=f"Réponse {k}")
                b.on_click(lambda _, k=k: refresh(self.choose(k)))
                btns.append(b)
            buttons.children = tuple(btns)

        refresh(self.say())
        return w.VBox([text, buttons])

    def _ipython_display_(self):  # pragma: no cover - notebook display
        from IPython.display import display

        display(self.widget())


def phone_call(call_id: str = "ms_appel_relance", *, trainee: str | None = None,
               results_path: str | os.PathLike | None = None) -> PhoneCall:
    """Start the phone dunning call ``call_id`` (a branching dialogue in 4 steps)."""
    if call_id not in CALLS:
        raise InputError("call_id", f"one of {sorted(CALLS)}", call_id,
                         "copy the id from the case statement")
    return PhoneCall(call_id, trainee, results_path)


# --------------------------------------------------------------------------- payment plan
PLAN_CASES: dict[str, dict] = {
    "ms_echeancier": {
        "part": 6,
        "statement": "Le client doit 12 000 € échus. Il dispose de 4 000 € tout de suite et ne "
                     "peut pas verser plus de 3 000 € par mois ensuite. Votre politique : un "
                     "premier versement d'au moins 30 % de la dette, tout soldé en 90 jours au "
                     "plus, 4 versements au maximum. Proposez un échéancier.",
        "debt": 12_000.0, "cash_now": 4_000.0, "monthly_capacity": 3_000.0,
        "min_first_share": 0.30, "max_days": 90, "max_payments": 4,
    },
}


def negotiate_plan(case_id: str, first_payment, n_instalments: int | None, every_days: int = 30,
                   *,
                   trainee: str | None = None,
                   results_path: str | os.PathLike | None = None) -> Rubric:
    """Propose a payment plan to the simulated customer: a first payment now, then
    ``n_instalments`` equal instalments every ``every_days`` days for the rest.

    The customer accepts when every payment fits its cash (now and per month); the plan is
    compliant when it respects the policy (first-payment share, total duration, number of
    payments). Feedback per constraint; recorded for the trainer's view.
    """
    if case_id not in PLAN_CASES:
        raise InputError("case_id", f"one of {sorted(PLAN_CASES)}", case_id,
                         "copy the id from the case statement")
    c = PLAN_CASES[case_id]
    if first_payment is None or n_instalments is None:
        return Feedback(case_id, None, "⏳ pas encore proposé")
    first = read_number(first_payment).value
    if first is None or first < 0 or first > c["debt"]:
        raise InputError("first_payment", f"an amount between 0 and {c['debt']:.0f}",
                         first_payment, 'write it as on paper, e.g. "2 500"')
    n = int(n_instalments)
    rest = c["debt"] - first
    each = rest / n if n > 0 else 0.0
    duration = n * every_days if rest > 0 else 0
    per_month = each * 30 / every_days if n > 0 else 0.0
    rows = [
        ("Le client peut verser le premier montant", first <= c["cash_now"] + 0.005,
         "le premier versement dépasse ce que le client a en caisse : il ne tiendra pas."),
        ("Les échéances tiennent dans sa trésorerie", per_month <= c["monthly_capacity"] + 0.005,
         "les échéances dépassent ce qu'il peut payer par mois : allongez ou augmentez le "
         "premier versement."),
        ("Premier versement suffisant (politique)", first >= c["min_first_share"] * c["debt"]
         - 0.005, "le premier versement est sous le minimum de la politique."),
        ("Dette soldée dans le délai maximal", duration <= c["max_days"],
         "l'échéancier dure plus longtemps que la politique ne l'autorise."),
        ("Nombre de versements autorisé", 1 + n <= c["max_payments"],
         "trop de versements : regroupez-les."),
        ("Tout est soldé", n > 0 or rest <= 0.005, "il reste un solde sans échéance."),
    ]
    table = pd.DataFrame(rows, columns=["criterion", "ok", "advice"])
    rubric = Rubric(case_id, table)
    record_results([(case_id, rubric.ok, {"premier_versement": first, "echeances": n,
                                          "tous_les_jours": every_days})],
                   part=c["part"], kind="mise_en_situation", trainee=trainee,
                   results_path=results_path)
    return rubric
