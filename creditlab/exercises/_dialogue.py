"""Mises en situation with a simulated customer: branching dialogues in 4 steps (a phone
dunning call, negotiating a guarantee, a dispute turned into a relationship opportunity, the
sales representative who wants an order released) and payment plans negotiated under
constraints."""

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

__all__ = ["PhoneCall", "phone_call", "dialogue", "negotiate_plan", "PLAN_CASES", "CALLS"]

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
    "ms_negociation_garantie": {
        "part": 2,
        "context": "Vernier Agencement SAS (créée il y a 18 mois, fonds propres faibles) commande "
                   "80 000 € TTC. Votre politique et l'assureur-crédit ne couvrent que 30 000 € "
                   "sans garantie. Vous appelez son président, M. Vernier, pour sécuriser le "
                   "reste sans perdre la vente.",
        "lesson": "Négocier une garantie : annoncer la contrainte sans accuser, proposer une "
                  "garantie proportionnée (acompte, caution, réserve de propriété, livraisons "
                  "échelonnées), échanger chaque concession contre une sûreté, tout écrire.",
        "steps": [
            {"name": "1. Poser la situation",
             "customer": {"start": "« Bonjour. Mon commercial m'a dit qu'il y avait un souci "
                                   "avec ma commande ? »"},
             "options": {
                 "a": ("« Votre société est trop jeune et trop fragile : sans garantie, nous ne "
                       "livrerons rien du tout. »", False,
                       "on juge le client au lieu d'exposer une règle : il se braque."),
                 "b": ("« Aucun souci, rassurez-vous : je voulais juste vérifier avec vous "
                       "deux ou trois petits détails administratifs. »", False,
                       "on cache le vrai sujet : la demande de garantie paraîtra ensuite "
                       "déloyale."),
                 "c": ("« Nous voulons vous livrer. Notre assureur couvre 30 000 € : "
                       "cherchons ensemble comment couvrir le reste. »", True,
                       "la contrainte est objective (l'assureur), et l'objectif est commun.")}},
            {"name": "2. Proposer une garantie adaptée",
             "customer": {"good": "« Une caution de ma banque ? Elle me facturera 2 % et "
                                  "bloquera ma ligne de crédit. »",
                          "poor": "« Des garanties ? Mes autres fournisseurs ne m'en "
                                  "demandent pas ! »"},
             "options": {
                 "a": ("« Un acompte de 30 % à la commande et la caution personnelle du "
                       "dirigeant pour le solde. »", True,
                       "deux sûretés sans frais bancaires : l'acompte réduit l'exposition, la "
                       "caution engage le dirigeant."),
                 "b": ("« Alors une garantie à première demande de votre banque : elle paie "
                       "sans discuter le fond. »", False,
                       "la meilleure sûreté pour nous, mais c'est justement ce que la banque "
                       "facture cher : le client vient de la refuser."),
                 "c": ("« Une lettre d'intention de votre part suffira à rassurer notre "
                       "direction financière. »", False,
                       "une lettre d'intention n'oblige presque à rien : ce n'est pas une "
                       "garantie de paiement.")}},
            {"name": "3. Échanger concession contre sûreté",
             "customer": {"good": "« La caution personnelle, mon associé refusera. "
                                  "L'acompte, je peux aller jusqu'à 15 %. »",
                          "poor": "« Je ne peux rien vous donner de plus que ma "
                                  "signature. »"},
             "options": {
                 "a": ("« D'accord pour 15 % sans autre garantie : je m'arrangerai avec "
                       "notre assureur. »", False,
                       "concession sans contrepartie : 68 000 € d'encours pour 30 000 € "
                       "couverts."),
                 "b": ("« Alors 15 % d'acompte et deux livraisons : la seconde part quand la "
                       "première est payée. »", True,
                       "l'encours reste sous la couverture à chaque instant, et la réserve de "
                       "propriété des CGV protège les biens livrés."),
                 "c": ("« Dans ce cas je ne peux rien faire pour vous : la commande reste "
                       "bloquée chez nous. »", False,
                       "on perd la vente alors qu'un échelonnement la rendait sûre.")}},
            {"name": "4. Conclure par écrit",
             "customer": {"good": "« Deux livraisons, 15 % d'acompte : ça me va. »",
                          "poor": "« Bon, on verra bien. Je dois y aller. »"},
             "options": {
                 "a": ("« Parfait, on se fait confiance : je fais lancer toute la production "
                       "dès demain. »", False,
                       "rien d'écrit, et la production de tout le lot dépasse la couverture."),
                 "b": ("« Je vous rappelle la semaine prochaine, quand notre direction aura "
                       "tout validé. »", False,
                       "on laisse refroidir un accord obtenu : le client peut changer d'avis."),
                 "c": ("« Je vous envoie aujourd'hui l'avenant : acompte, deux lots, dates et "
                       "facture d'acompte. »", True,
                       "l'accord devient un engagement écrit, daté et chiffré.")}},
        ],
    },
    "ms_litige_opportunite": {
        "part": 4,
        "context": "Garage Dumas conteste 1 800 € d'une facture de 9 500 € : une partie de la "
                   "livraison est arrivée abîmée. Il ne paie rien depuis 40 jours. Vous "
                   "appelez son gérant, M. Dumas, client depuis huit ans.",
        "lesson": "Un litige bien traité fidélise : écouter et reconnaître, établir les faits, "
                  "séparer le contesté de l'incontestable, corriger la cause et le dire au "
                  "client.",
        "steps": [
            {"name": "1. Écouter et reconnaître",
             "customer": {"start": "« Vous m'appelez pour l'argent ? Vos pièces sont arrivées "
                                   "cassées et personne ne m'a répondu ! »"},
             "options": {
                 "a": ("« Je comprends votre agacement, et je vous appelle pour régler ce "
                       "problème. Que s'est-il passé ? »", True,
                       "empathie d'abord, puis une question ouverte : le client se sent "
                       "entendu."),
                 "b": ("« Le transport n'est pas de notre ressort, désolé : voyez directement "
                       "avec le transporteur, il vous répondra. »", False,
                       "on renvoie le client ailleurs : il retient surtout qu'on ne l'aide "
                       "pas."),
                 "c": ("« Je note votre réclamation, mais la facture reste due en totalité "
                       "à ce jour. »", False,
                       "juste en droit pour la partie non contestée, mais dit trop tôt : le "
                       "client se ferme.")}},
            {"name": "2. Établir les faits",
             "customer": {"good": "« Trois coffrets sur dix étaient écrasés. J'ai des "
                                  "photos. »",
                          "poor": "« Je n'ai pas envie de discuter, réglez ça. »"},
             "options": {
                 "a": ("« Des photos ? Inutile, je vous fais un avoir sur toute la facture "
                       "tout de suite. »", False,
                       "geste disproportionné : 9 500 € d'avoir pour 1 800 € de casse."),
                 "b": ("« Pouvez-vous m'envoyer les photos et le bon de livraison avec vos "
                       "réserves ? »", True,
                       "on documente le litige : les réserves sur le bon de livraison "
                       "permettent de se retourner contre le transporteur."),
                 "c": ("« Vous auriez dû refuser la livraison : je ne peux plus rien faire "
                       "pour vous. »", False,
                       "reproche inutile : le client n'accepte plus rien ensuite.")}},
            {"name": "3. Séparer contesté et incontestable",
             "customer": {"good": "« C'est envoyé. Et pour la facture, on fait comment ? »",
                          "poor": "« Je ne paierai rien tant que ce n'est pas réglé. »"},
             "options": {
                 "a": ("« Avoir de 1 800 € dès réception des photos ; les 7 700 € restants "
                       "peuvent-ils partir vendredi ? »", True,
                       "le litige ne bloque plus la partie incontestable, et la date est "
                       "précise."),
                 "b": ("« Attendons tranquillement la fin de l'enquête du transporteur avant "
                       "de reparler de la facture entière. »", False,
                       "le litige bloque 9 500 € pour 1 800 € contestés, pendant des "
                       "semaines."),
                 "c": ("« Payez d'abord toute la facture, nous verrons ensuite pour un "
                       "éventuel avoir. »", False,
                       "exiger le contesté avant d'avoir vérifié dégrade la relation.")}},
            {"name": "4. Transformer l'incident",
             "customer": {"good": "« Vendredi, c'est bon. Mais que ça ne se reproduise "
                                  "pas. »",
                          "poor": "« On verra. Je commence à regarder ailleurs. »"},
             "options": {
                 "a": ("« Entendu. Je vous confirme tout cela par écrit aujourd'hui même. "
                       "Bonne journée ! »", False,
                       "l'accord est écrit, mais la cause du problème n'est pas traitée."),
                 "b": ("« Nos emballages ne posent pas de problème chez les autres clients, "
                       "vous savez. »", False,
                       "on nie la cause : le client conclut qu'il n'a pas été écouté."),
                 "c": ("« La logistique renforce vos colis dès la prochaine commande ; je "
                       "vous l'écris aujourd'hui. »", True,
                       "la cause est corrigée et dite au client : le litige devient une "
                       "preuve de fiabilité.")}},
        ],
    },
    "ms_commercial_blocage": {
        "part": 4,
        "context": "Julien, commercial, veut faire livrer une commande de 25 000 € à Transports "
                   "Bréval, bloquée par le système : 18 000 € échus depuis 45 jours. Il vient "
                   "vous voir, pressé : « C'est mon plus gros client, débloque-moi ça ! »",
        "lesson": "Le commercial est un allié de la relance : écouter ses enjeux, s'appuyer "
                  "sur les faits et la charte crédit, lui confier l'action qu'il fait le mieux "
                  "(joindre le décideur), et formaliser toute dérogation.",
        "steps": [
            {"name": "1. Écouter le commercial",
             "customer": {"start": "« Si on ne livre pas lundi, le client part chez le "
                                   "concurrent. »"},
             "options": {
                 "a": ("« La règle est la règle : je n'y peux rien, vois avec ta direction "
                       "commerciale. »", False,
                       "on se retranche derrière la règle : le conflit monte d'un cran."),
                 "b": ("« Je comprends l'enjeu. Que sais-tu de sa situation et de ces 18 000 € "
                       "échus ? »", True,
                       "on reconnaît l'enjeu commercial et on cherche l'information que le "
                       "commercial détient."),
                 "c": ("« D'accord, je débloque pour cette fois, mais c'est vraiment la "
                       "dernière fois. »", False,
                       "dérogation sans contrepartie ni trace : l'exposition monte à 43 000 €.")}},
            {"name": "2. Partager les faits",
             "customer": {"good": "« Leur comptable est débordé, mais le patron m'aime bien. »",
                          "poor": "« Je n'en sais rien, ce n'est pas mon travail, les "
                                  "factures. »"},
             "options": {
                 "a": ("« Les chiffres : 18 000 € échus depuis 45 jours, limite dépassée "
                       "si on livre. »", True,
                       "des faits chiffrés et partagés : le commercial voit le risque qu'il "
                       "porte aussi."),
                 "b": ("« Tu devrais mieux connaître la situation financière de tes propres "
                       "clients. »", False,
                       "reproche : le commercial ne coopérera pas."),
                 "c": ("« Peu importe la situation du client : la procédure interdit de "
                       "livrer, point final. »", False,
                       "on ignore l'information utile que le commercial pourrait apporter.")}},
            {"name": "3. Répartir les rôles",
             "customer": {"good": "« Ok, je vois. Qu'est-ce que je peux faire, moi ? »",
                          "poor": "« Bon. Et concrètement, on fait quoi ? »"},
             "options": {
                 "a": ("« Rien : la relance, c'est mon métier. Laisse-moi gérer ton "
                       "client. »", False,
                       "on se prive du meilleur relais : le commercial connaît le "
                       "décideur."),
                 "b": ("« Appelle le patron : un virement de l'échu d'ici vendredi, et je "
                       "libère la commande. »", True,
                       "le commercial obtient le paiement, le credit manager libère : "
                       "chacun son rôle, un objectif commun."),
                 "c": ("« Envoie-lui un petit courriel de relance de ta part, mais surtout "
                       "sans lui parler de la commande. »", False,
                       "le levier le plus fort (la commande attendue) n'est pas utilisé.")}},
            {"name": "4. Formaliser",
             "customer": {"good": "« Il vire 18 000 € jeudi. On livre lundi ? »",
                          "poor": "« Il dit qu'il paiera bientôt. On livre ? »"},
             "options": {
                 "a": ("« Oui dès le virement reçu ; je note la décision et ta promesse dans "
                       "le dossier. »", True,
                       "libération conditionnée au paiement constaté et tracée, comme le "
                       "prévoit la charte crédit."),
                 "b": ("« Oui, on livre tout de suite, il a promis, ça me suffit "
                       "largement. »", False,
                       "une promesse orale n'est pas un paiement : on livre avant "
                       "d'encaisser."),
                 "c": ("« Non, je préfère attendre encore un mois de paiements réguliers pour "
                       "être tout à fait sûr. »", False,
                       "le client a payé l'échu : bloquer encore punit sans raison.")}},
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
        lesson = self.spec.get("lesson", "Les 4 temps : se présenter dossier en main, exposer "
                                         "les faits et écouter, obtenir un engagement daté, "
                                         "le confirmer par écrit.")
        return (f"Entretien terminé : {self.score} / {len(self.spec['steps'])} bons choix. "
                + lesson)

    def __str__(self) -> str:
        return self.say()

    __repr__ = __str__

    def widget(self):
        """ipywidgets: the dialogue and one button per option."""
        import ipywidgets as w  # optional: course

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
        from IPython.display import display  # optional: course

        display(self.widget())


def phone_call(call_id: str = "ms_appel_relance", *, trainee: str | None = None,
               results_path: str | os.PathLike | None = None) -> PhoneCall:
    """Start the branching dialogue ``call_id`` of :data:`CALLS` (4 steps): the phone
    dunning call by default, or ``ms_negociation_garantie``, ``ms_litige_opportunite``,
    ``ms_commercial_blocage``."""
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
    "ms_echeancier_difficulte": {
        "part": 6,
        "statement": "Menuiserie Perrot, cliente fidèle, traverse une baisse d'activité (elle "
                     "n'est pas en procédure collective : sinon, le paiement des dettes "
                     "antérieures serait interdit et il faudrait déclarer la créance). Elle "
                     "doit 30 000 € échus, dispose de 3 000 € tout de suite et peut verser "
                     "4 500 € par mois. Votre politique pour un client en difficulté : premier "
                     "versement d'au moins 10 %, tout soldé en 180 jours au plus, 7 versements "
                     "au maximum. Proposez un échéancier qu'elle pourra tenir.",
        "debt": 30_000.0, "cash_now": 3_000.0, "monthly_capacity": 4_500.0,
        "min_first_share": 0.10, "max_days": 180, "max_payments": 7,
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


#: The same as :func:`phone_call`, under a name that fits the dialogues that are not calls.
dialogue = phone_call
