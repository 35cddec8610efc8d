"""The « À vous de jouer » questions of the course notebooks, asked on the demo portfolio.

Their answer is a figure of the demo portfolio that the notebook computes with creditlab just
before asking (silently: it is not printed); :func:`a_vous` registers the question with that
value and returns its answer field. The statement, the tolerance, the hints for the classic
wrong answers (recomputed from the figures the notebook passes) and the worked answer shown once
the trainee got it right are here, so that the notebook holds no answer text.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from creditlab.exercises._check import LIVE
from creditlab.exercises._field import AnswerField
from creditlab.exercises._model import Exercise, Trap
from creditlab.i18n import format_eur, format_pct

__all__ = ["PROMPTS", "a_vous", "Prompt"]


def _eur(x: float) -> str:
    return format_eur(x, decimals=0)


def _pct(x: float) -> str:
    return format_pct(x, decimals=1)


@dataclass(frozen=True)
class Prompt:
    """One « À vous de jouer » question: the values come from the notebook (``valeur`` and the
    named figures passed to :func:`a_vous`)."""

    part: int
    title: str
    statement: str
    kind: str = "number"
    tolerance: float = 0.0
    tolerance_note: str = ""
    relative: float = 0.0            # tolerance as a share of the expected value
    unit: str = ""
    hint: str = ""
    traps: tuple[tuple[Callable[[dict], float], str], ...] = ()
    choices: dict = field(default_factory=dict)
    model: Callable[[dict], str] = lambda d: ""


_D360 = "vous avez compté l'année sur 360 jours : la base est de 365 jours."
_EXACT = "nombre entier exact"

PROMPTS: dict[str, Prompt] = {
    "nb00_echu_90": Prompt(
        0, "Retards de plus de 90 jours",
        "Quelle part de l'encours total est échue depuis plus de 90 jours ?",
        kind="percent", tolerance=0.5,
        hint="ligne des totaux de la balance âgée : colonne « > 90 j » rapportée au total.",
        traps=((lambda d: d["part_de_l_echu"],
                "vous avez rapporté le montant à l'échu ; la question porte sur tout l'encours, "
                "non échu compris."),),
        model=lambda d: (f"{_pct(d['valeur'])} de l'encours a plus de 90 jours de retard : "
                         "au-dessus de 5 %, un plan d'action s'impose (les plus gros dossiers "
                         "d'abord).")),
    "nb00_plus_gros_retard": Prompt(
        0, "Le plus gros retard",
        "Quel client (identifiant, par exemple C00001) a le plus gros montant échu ?",
        kind="text", hint="triez le tableau par la colonne « échu », pas par l'encours total.",
        model=lambda d: f"{d['valeur']} : c'est le premier dossier à traiter."),
    "nb01_45_60": Prompt(
        1, "Passer de 45 à 60 jours",
        "Combien coûte par an (en €) le passage à 60 jours des clients aujourd'hui à 45 jours, "
        "au taux de financement du notebook ?",
        relative=0.005, tolerance_note="à 0,5 % près", unit="€",
        hint="15 jours de DSO en plus sur le CA TTC de ces clients : coût d'un jour de DSO × 15.",
        traps=((lambda d: d["valeur"] * 365 / 360, _D360),
               (lambda d: d["valeur"] / 1.2, "l'encours se finance TTC : partez du CA TTC."),
               (lambda d: d["tresorerie"],
                "c'est la trésorerie à trouver (le BFR en plus) ; que coûte-t-elle par an ?"),
               (lambda d: d["valeur"] * 4,
                "le délai passe de 45 à 60 jours : 15 jours de plus, pas 60.")),
        model=lambda d: (f"{_eur(d['valeur'])} par an pour {_eur(d['tresorerie'])} de "
                         "trésorerie à trouver : 15 jours de plus, au minimum, si ces clients "
                         "gardent le même retard.")),
    "nb01_prospect": Prompt(
        1, "Ouvrir le compte du prospect ?",
        "Sans garantie, que décidez-vous pour ce prospect selon sa PD ?",
        kind="choice",
        choices={"a": "Ouvrir le compte, que sa PD soit de 15 % ou de 20 %.",
                 "b": "Ouvrir à 15 % de PD, refuser sans garantie à 20 %.",
                 "c": "Refuser à 15 % de PD, ouvrir à 20 % de PD.",
                 "d": "Refuser sans garantie, que sa PD soit de 15 % ou de 20 %."},
        hint="comparez chaque PD à la PD d'équilibre (marge = perte attendue + financement).",
        model=lambda d: (f"PD d'équilibre : {_pct(d['pd_equilibre'])}. Au-dessus, la perte "
                         "attendue et le financement dépassent la marge : refuser, ou "
                         "demander une garantie qui réduit la perte.")),
    "nb01_critiques": Prompt(
        1, "Clients critiques",
        "Combien de clients de classe A sont à risque élevé ?",
        tolerance=0, tolerance_note=_EXACT, unit="clients",
        hint="croisez les deux axes de la matrice : enjeu élevé (classe A) et risque élevé.",
        traps=((lambda d: d["risque_eleve"],
                "vous avez compté tous les clients à risque élevé, pas seulement la classe A."),
               (lambda d: d["classe_a"],
                "vous avez compté toute la classe A, pas seulement les clients à risque élevé.")),
        model=lambda d: (f"{d['valeur']} clients : revue de limite, garanties ou assurance-"
                         "crédit en priorité.")),
    "nb01_defaillances": Prompt(
        1, "Les défaillances du portefeuille",
        "Quelle part des clients du portefeuille a connu au moins une procédure collective ?",
        kind="percent", tolerance=0.1,
        hint="comptez les clients distincts de la table events, puis divisez par le nombre de "
             "clients.",
        traps=((lambda d: d["par_jugement"],
                "vous avez compté les jugements ; un même client peut en avoir plusieurs."),),
        model=lambda d: (f"{_pct(d['valeur'])} des clients : autant de créances à déclarer "
                         "au mandataire, et un rappel que la sélection des clients compte.")),
    "nb01_fidelite": Prompt(
        1, "Le chiffre d'affaires des clients fidèles",
        "Quelle part du CA TTC des 12 derniers mois vient des clients fidèles depuis au moins "
        "5 ans (clients depuis le 31/12/2020 ou avant) ?",
        kind="percent", tolerance=0.5,
        hint="CA TTC des clients dont customer_since est au plus le 31/12/2020, rapporté au CA "
             "TTC de tous les clients sur les 12 mois.",
        traps=((lambda d: d["part_des_clients"],
                "vous avez compté des clients ; la question porte sur le chiffre d'affaires "
                "qu'ils font."),),
        model=lambda d: (f"{_pct(d['valeur'])} du CA vient de clients fidèles depuis cinq ans "
                         "ou plus : une relance maladroite ou un blocage mal annoncé peut coûter "
                         "bien plus que le retard qu'il voulait corriger.")),
    "nb02_sans_siren": Prompt(
        2, "Fiches clients incomplètes",
        "Combien de clients du portefeuille n'ont pas de SIREN renseigné ?",
        tolerance=0, tolerance_note=_EXACT, unit="clients",
        hint="comptez les valeurs manquantes de la colonne siren de la table customers.",
        traps=((lambda d: d["sans_naf"],
                "c'est le nombre de codes NAF manquants ; la question porte sur le SIREN."),),
        model=lambda d: (f"{d['valeur']} fiches sans SIREN : à compléter avant toute demande "
                         "d'agrément ou surveillance BODACC.")),
    "nb02_revue_agrement": Prompt(
        2, "Limites au-dessus de l'agrément",
        "Combien de clients ont une limite de crédit supérieure à l'agrément de l'assureur ?",
        tolerance=0, tolerance_note=_EXACT, unit="clients",
        hint="comparez credit_limit et insurer_agreement client par client (strictement "
             "supérieure).",
        traps=((lambda d: d["valeur"] + d["egaux"],
                "vous avez compté aussi les limites égales à l'agrément : elles sont couvertes."),),
        model=lambda d: (f"{d['valeur']} clients à revoir : baisser la limite, demander un "
                         "complément d'agrément ou une garantie.")),
    "nb02_dso_secteur": Prompt(
        2, "DSO du client et médiane du secteur",
        "En 2024, le DSO de notre client est-il meilleur ou moins bon que la médiane de son "
        "secteur ?",
        kind="choice",
        choices={"a": "Meilleur : il paie plus vite que la moitié de son secteur.",
                 "b": "Moins bon : il paie plus lentement que la moitié de son secteur."},
        hint="un DSO plus court est meilleur ; lisez la position du point sur la boîte.",
        model=lambda d: (f"DSO du client {d['dso_client']:.1f} j, médiane du secteur "
                         f"{d['mediane']:.1f} j.").replace(".", ",")),
    "nb02_conan_66": Prompt(
        2, "Conan-Holder avec toutes les charges financières",
        "Si l'on prend toutes les charges financières (compte 66) au lieu des seuls intérêts "
        "(661), le score 2024 :",
        kind="choice",
        choices={"a": "augmente ou reste égal, car R4 diminue.",
                 "b": "baisse ou reste égal, car R4 augmente."},
        hint="R4 = frais financiers / CA a un coefficient négatif dans Z.",
        model=lambda d: (f"Z (661) = {d['z_661']:.3f} ; Z (66) = {d['z_66']:.3f} : plus de "
                         "frais financiers, un R4 plus grand, un Z plus faible.").replace(".", ",")),
    "nb02_contrainte": Prompt(
        2, "La contrainte qui limite",
        "Pour notre client, quelle contrainte fixe la limite proposée ?",
        kind="choice",
        hint="la limite retient le plus petit du besoin et des plafonds : lequel est atteint ?",
        model=lambda d: (f"Besoin {_eur(d['besoin'])}, limite proposée {_eur(d['limite'])}. "
                         + (f"Remède : {d['remede']}" if d.get("remede") else
                            "La limite couvre le besoin."))),
    "nb02_commande": Prompt(
        2, "Libérer la commande ?",
        "La commande (marge disponible + 20 000 €) sera-t-elle libérée ?",
        kind="choice",
        choices={"a": "Libérée sans garantie comme avec la caution.",
                 "b": "Bloquée sans garantie, libérée avec la caution.",
                 "c": "Bloquée sans garantie comme avec la caution.",
                 "d": "Libérée sans garantie, bloquée avec la caution."},
        hint="sans garantie elle dépasse la limite ; la caution réduit-elle assez le risque net ?",
        model=lambda d: (f"Sans garantie : {d['sans']} ; avec la caution : {d['avec']}.")),
    "nb04_top10": Prompt(
        4, "Concentration des retards",
        "Quelle part de l'échu (hors non échu) portent les 10 plus gros retards ?",
        kind="percent", tolerance=0.5,
        hint="somme de l'échu des 10 premiers clients / échu total de tous les clients.",
        traps=((lambda d: d["part_de_l_encours"],
                "vous avez rapporté à tout l'encours ; la question porte sur l'échu seul."),),
        model=lambda d: (f"{_pct(d['valeur'])} de l'échu sur 10 dossiers : au-delà de la moitié, "
                         "ces dix appels passent avant tout le reste.")),
    "nb04_litige_cause": Prompt(
        4, "La première cause de litige",
        "Quelle part du montant en litige porte la cause qui pèse le plus (en montant) ?",
        kind="percent", tolerance=0.5,
        hint="montant en litige de la première cause / montant total en litige, toutes causes.",
        traps=((lambda d: d["part_en_nombre"],
                "vous avez rapporté des nombres de litiges ; la question porte sur les "
                "montants."),),
        model=lambda d: (f"{_pct(d['valeur'])} du montant en litige vient d'une seule cause "
                         f"({d['cause']}) : la traiter à la source (avec la logistique, la "
                         "qualité ou la facturation) débloque le plus de trésorerie.")),
    "nb04_indemnites": Prompt(
        4, "Ce que les CGV permettent de réclamer",
        "Si vos CGV et vos factures portent les mentions obligatoires, combien d'indemnités "
        "forfaitaires de recouvrement (en €) pouvez-vous réclamer sur les factures échues et non "
        "contestées du portefeuille au 31/12/2025 ?",
        tolerance=0.5, tolerance_note="à l'euro près", unit="€",
        hint="l'indemnité de 40 € est due par facture payée en retard (D441-5).",
        traps=((lambda d: d["par_client"], "40 € par facture en retard, pas par client."),
               (lambda d: d["n_factures"],
                "c'est le nombre de factures ; combien d'euros chacune ?")),
        model=lambda d: (f"{_eur(d['valeur'])} : {d['n_factures']} factures × 40 €, plus les "
                         "pénalités de retard ; sans ces mentions dans les CGV et sur les "
                         "factures, le client les conteste et vous ne réclamez en pratique "
                         "que le principal.")),
    "nb04_delai_max": Prompt(
        4, "Les clients au plafond légal",
        "Combien de clients du portefeuille ont des conditions de paiement à 60 jours nets, le "
        "plafond légal compté à partir de la date de facture ?",
        tolerance=0, tolerance_note=_EXACT, unit="clients",
        hint="comptez la valeur net_60 de la colonne payment_terms de la table customers.",
        traps=((lambda d: d["a_45_fdm"],
                "vous avez compté les clients à 45 jours fin de mois, l'autre plafond légal."),
               (lambda d: d["a_45_fdm"] + d["valeur"],
                "la question porte sur les seuls 60 jours nets, pas sur les 45 jours fin de "
                "mois.")),
        model=lambda d: (f"{d['valeur']} clients à 60 jours nets : aucun jour de plus n'est "
                         "permis (L441-10 I) ; chaque jour de retard au-delà se finance, et se "
                         "réclame en pénalités.")),
    "nb04_lendemain": Prompt(
        4, "Rejouer le plan le lendemain",
        "Avec l'historique d'aujourd'hui (tout approuvé), combien d'actions le plan propose-t-il "
        "le lendemain ?",
        tolerance=0, tolerance_note=_EXACT, unit="actions",
        hint="seules les factures qui atteignent une nouvelle étape demain donnent une action.",
        traps=((lambda d: d["aujourd_hui"],
                "un bon outil ne relance pas deux fois la même étape : pas autant qu'aujourd'hui."),
               (lambda d: 0, "le même jour il n'y a rien à refaire, mais le lendemain ?")),
        model=lambda d: (f"{d['valeur']} actions le lendemain, chacune pour une facture arrivée "
                         "à une nouvelle étape ; le même jour : aucune.")),
    "nb04_total_reclame": Prompt(
        4, "Le total réclamé",
        "Quel montant total (principal, pénalités et indemnités) est réclamé au client du "
        "dossier (en €) ?",
        tolerance=1.0, unit="€",
        hint="principal + pénalités de retard + 40 € par facture.",
        traps=((lambda d: d["principal"], "il manque les pénalités et les indemnités de 40 €."),
               (lambda d: d["valeur"] - 40 * d["n_factures"],
                "il manque l'indemnité forfaitaire de 40 € par facture."),),
        model=lambda d: (f"{d['n_factures']} factures, principal {_eur(d['principal'])}, total "
                         f"réclamé {_eur(d['valeur'])} ; petites créances : "
                         f"{'oui' if d['petites_creances'] else 'non'} (seuil 5 000 €).")),
    "nb05_nov_dec": Prompt(
        5, "Novembre contre décembre",
        "Entre novembre et décembre 2025, que disent le DSO et la part à plus de 90 jours ?",
        kind="choice",
        choices={"a": "Le DSO baisse et la part à plus de 90 jours baisse aussi.",
                 "b": "Le DSO baisse mais la part à plus de 90 jours augmente.",
                 "c": "Le DSO augmente et la part à plus de 90 jours baisse.",
                 "d": "Le DSO augmente et la part à plus de 90 jours augmente aussi."},
        hint="comparez les deux colonnes du tableau, indicateur par indicateur.",
        model=lambda d: ("Un DSO en baisse ne suffit pas : s'il baisse pendant que les vieux "
                         "retards montent, c'est souvent l'effet des ventes du mois, pas du "
                         "recouvrement.")),
    "nb05_assurance": Prompt(
        5, "S'assurer ou s'auto-assurer ?",
        "Comparée à l'auto-assurance, l'assurance-crédit coûte :",
        kind="choice",
        choices={"a": "plus cher en moyenne, moins cher dans une mauvaise année.",
                 "b": "moins cher en moyenne, moins cher dans une mauvaise année.",
                 "c": "plus cher en moyenne, plus cher dans une mauvaise année.",
                 "d": "moins cher en moyenne, plus cher dans une mauvaise année."},
        hint="comparez le coût moyen, puis le coût au quantile 99 % des deux options.",
        model=lambda d: (d.get("explication", "") + " L'assurance achète une protection contre "
                         "la mauvaise année ; son coût moyen inclut la marge de l'assureur.")),
    "nb06_escompte": Prompt(
        6, "Ce que coûte l'escompte",
        "S'il le prenait toujours, combien nous coûterait par an un escompte de 2 % à 10 jours "
        "sur le CA TTC de ce client (en €) ?",
        relative=0.005, tolerance_note="à 0,5 % près", unit="€",
        hint="l'escompte se calcule sur chaque facture : 2 % du CA annuel.",
        traps=((lambda d: d["gain_financier"],
                "c'est le financement économisé ; l'escompte, lui, coûte 2 % des factures."),
               (lambda d: d["valeur"] / 1.2, "l'escompte porte sur la facture TTC.")),
        model=lambda d: (f"{_eur(d['valeur'])} par an pour {_eur(d['gain_financier'])} de frais "
                         "financiers économisés : à 2 %, l'escompte coûte plus qu'il ne "
                         "rapporte.")),
    "nb06_incontestable": Prompt(
        6, "Ce qui reste dû malgré le litige",
        "Quel montant échu ne peut-il pas retenir au titre du litige (en €) ?",
        tolerance=1.0, unit="€",
        hint="le litige ne gèle que les factures contestées.",
        traps=((lambda d: d["echu"], "une partie de l'échu est contestée : retirez-la."),
               (lambda d: d["echu"] - d["valeur"],
                "c'est la partie contestée ; la question porte sur le reste.")),
        model=lambda d: (f"{_eur(d['valeur'])} incontestables sur {_eur(d['echu'])} échus : "
                         "ils se paient maintenant, le litige se traite à part.")),
}


def a_vous(prompt_id: str, valeur, *, choices: dict | None = None, trainee: str | None = None,
           results_path: str | os.PathLike | None = None, **donnees) -> AnswerField:
    """Ask the « À vous de jouer » question ``prompt_id`` whose answer the notebook computed.

    ``valeur`` is the answer (a number, a letter for a choice, a text), never printed;
    ``donnees`` are the other figures the hints and the worked answer use; ``choices``
    replaces the options of a choice question whose options depend on the data. Returns the
    answer field; ``check(prompt_id, "...")`` works too once it is asked.
    """
    spec = PROMPTS[prompt_id]
    data = {"valeur": valeur, **donnees}
    tolerance = spec.tolerance
    if spec.relative:
        tolerance = spec.relative * abs(float(valeur))
    options = dict(choices if choices is not None else spec.choices)
    LIVE[prompt_id] = Exercise(
        prompt_id, spec.part, spec.title, spec.statement, data, lambda d: d["valeur"],
        kind=spec.kind, tolerance=tolerance, hint=spec.hint, unit=spec.unit, choices=options,
        model_answer=spec.model(data), traps=tuple(Trap(f, h) for f, h in spec.traps),
        tolerance_note=spec.tolerance_note)
    return AnswerField(prompt_id, trainee=trainee, results_path=results_path)
