"""The catalogue of practical cases (cas pratiques) of parts 1-6.

Each exercise has an id, a part of the course (1-6), a statement with its data and a solver that
computes the expected answer **with creditlab** from that data — never a stored answer — plus the
classic wrong answers (:class:`~creditlab.exercises.Trap`) recognised to give a targeted hint.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd

from creditlab.exercises._model import Exercise, Trap
from creditlab.finance import (
    compare_financing,
    compensatory_sales,
    cost_per_dso_day,
    discount_annual_rate,
    factoring_cost,
    financing_cost,
    marginal_analysis,
    max_discount,
)
from creditlab.legal import due_date, late_penalties
from creditlab.receivables import cei, dso_countback, dso_simple
from creditlab.scores import altman_from_ratios, conan_holder_from_ratios

__all__ = ["EXERCISES", "LIST"]


# --------------------------------------------------------------------------- solvers
def _financing_cost(d):
    return financing_cost(d["ca_ttc"], d["dso_jours"], d["taux"])


def _dso_day(d):
    return cost_per_dso_day(d["ca_ttc"], d["taux"])


def _compensatory(d):
    return compensatory_sales(d["perte_ht"], d["marge_nette"])


def _conan_holder(d):
    return float(conan_holder_from_ratios(*d["ratios"])["score"].iloc[0])


def _altman_zpp(d):
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
    # Mann-Whitney from average ranks (independent of the corrigé's pair count; spares the
    # course notebooks scikit-learn's import): the share of (defaulter, non-defaulter) pairs
    # where the defaulter scores lower, ties counting one half
    score = pd.Series(np.asarray(d["score"], dtype=float))
    good = ~np.asarray(d["defaut"], dtype=bool)
    n_good, n_bad = int(good.sum()), int((~good).sum())
    rank_sum = float(score.rank(method="average")[good].sum())
    return (rank_sum - n_good * (n_good + 1) / 2) / (n_good * n_bad)


def _penalty(d):
    return float(late_penalties(d["montant_ttc"], d["echeance"], d["paiement"])
                 ["penalty_rounded"].iloc[0])


def _due(d):
    return due_date(d["date_facture"], d["conditions"])


def _dso_simple(d):
    return dso_simple(d["encours_ttc"], sum(d["ventes_ttc"].values()), d["jours"])


def _dso_countback(d):
    s = pd.Series(d["ventes_ttc"])
    s.index = pd.PeriodIndex(s.index, freq="M")
    return float(dso_countback(d["encours_ttc"], s.sort_index(), d["fin_de_mois"]))


def _cei(d):
    return cei(d["encours_debut"], d["ventes"], d["encours_fin"], d["non_echu_fin"])


def _discount_rate(d):
    return discount_annual_rate(d["escompte"], d["jours_paiement_anticipe"], d["jours_echeance"])


def _max_discount(d):
    return max_discount(d["taux_financement"], d["jours_paiement_anticipe"], d["jours_echeance"])


def _marginal_contribution(d):
    # DOMAIN.md §10.2 (financing of the TTC receivables) in the marginal analysis of part 1
    segment = pd.DataFrame({k: [d[k]] for k in ("sales_ht", "margin_rate", "pd", "dso_days",
                                                "ead")})
    return float(marginal_analysis(segment, rate=d["taux"], lgd=d["lgd"])
                 .table["net_contribution"].iloc[0])


def _first_call(d):
    # the oldest undisputed overdue amount (61-90 and > 90 days) comes first; the disputed
    # column is handled apart (it is not dunned)
    old = {c: row[3] + row[4] for c, row in d["balance"].items()}
    first = max(old, key=old.get)
    return next(k for k, v in d["clients"].items() if v == first)


def _dso_gap(d):
    simple, countback = _dso_simple(d), _dso_countback(d)
    return d["si_epuisement_plus_court"] if countback < simple else d["si_epuisement_plus_long"]


def _factoring(d):
    # DOMAIN.md §9 worked example (factoexpert): 500 k€, DSO 60 d, 0.9 %, 3.2 %, fund 10 %
    return float(factoring_cost(d["ca_cede_ttc"], d["dso_jours"],
                                commission_rate=d["commission"], margin=d["taux_financement"],
                                guarantee_fund_rate=d["fonds_garantie"]).total_cost)


def _factoring_vs_insurance(d):
    fc = factoring_cost(d["ca_cede_ttc"], d["dso_jours"], commission_rate=d["commission"],
                        margin=d["taux_financement"], guarantee_fund_rate=d["fonds_garantie"])
    table = compare_financing(fc, overdraft_rate=d["taux_decouvert"],
                              insurance={"premium_rate": d["prime_assurance"]},
                              # the premium applies to the insurable turnover HT
                              insured_turnover=d["ca_cede_ttc"] / (1 + d["tva"]))
    return float(table.loc["factoring", "total"] - table.loc["overdraft_insurance", "total"])


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
        "60 000, mars 90 000 (90 jours). DSO comptable sur le trimestre (au dixième de "
        "jour) ?",
        {"encours_ttc": 180_000, "ventes_ttc": {"2025-01": 75_000, "2025-02": 60_000,
                                                 "2025-03": 90_000}, "jours": 90},
        _dso_simple, tolerance=0.05, hint="encours / ventes de la période × nombre de jours.",
        unit="jours"),
    _ex("p5_dso_countback", 5, "DSO par épuisement du CA",
        "Mêmes données, arrêté au 31/03/2025. DSO par épuisement du chiffre d'affaires (au "
        "dixième de jour) ?",
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
        choices={"a": "« Je vous en envoie un duplicata par courrier ; rappelez-nous quand vous "
                      "l'aurez reçu. »",
                 "b": "« Je vous l'envoie à l'instant par courriel : quelle date de règlement "
                      "retenez-vous ? »",
                 "c": "« Elle vous a été envoyée le 3, à l'adresse de votre commande ; vérifiez "
                      "votre courrier. »"},
        hint="une bonne réponse lève l'obstacle sans polémique et se termine par un "
             "engagement du client.",
        model_answer="« Je comprends, cela arrive. Je vous l'envoie à l'instant par courriel : "
                     "pouvez-vous me confirmer que vous l'avez bien reçue et me donner "
                     "aujourd'hui la date de règlement ? » Puis : vérifier l'adresse de "
                     "facturation et confirmer la promesse par écrit."),
    _ex("p1_client_marginal", 1, "Un client marginal : vendre ou pas ?",
        "Un prospect fragile : CA annuel 120 000 € HT, marge sur coûts variables 8 %, "
        "paiement à 60 jours, exposition maximale 50 000 €, probabilité de défaut 15 %, perte en "
        "cas de défaut 80 %, financement à 5 %, TVA 20 %. Quelle est sa contribution nette "
        "annuelle (en €) ? Faut-il lui vendre ?",
        {"sales_ht": 120_000, "margin_rate": 0.08, "dso_days": 60, "ead": 50_000, "pd": 0.15,
         "lgd": 0.80, "taux": 0.05}, _marginal_contribution, tolerance=1.0,
        hint="marge espérée − perte attendue (PD × LGD × exposition) − financement de "
             "l'encours TTC (CA TTC × jours / 365 × taux).", unit="€"),
    _ex("p4_balance_agee", 4, "Lire une balance âgée et choisir l'action",
        "Balance âgée au 31/12 (en €) — colonnes : non échu, 1-30 j, 31-60 j, 61-90 j, > 90 j, "
        "en litige.\n\n"
        "| client | non échu | 1-30 | 31-60 | 61-90 | > 90 | litige |\n"
        "|---|---|---|---|---|---|---|\n"
        "| Atelier Morel | 48 000 | 6 000 | 0 | 0 | 0 | 0 |\n"
        "| Bâti Sud | 5 000 | 2 000 | 3 000 | 9 000 | 14 000 | 0 |\n"
        "| Castel Froid | 12 000 | 0 | 4 000 | 0 | 0 | 31 000 |\n"
        "| Dumas & Fils | 20 000 | 11 000 | 8 000 | 2 000 | 0 | 0 |\n\n"
        "Quel client appelez-vous en premier ?",
        {"clients": {"a": "Atelier Morel", "b": "Bâti Sud", "c": "Castel Froid",
                     "d": "Dumas & Fils"},
         "balance": {"Atelier Morel": (48_000, 6_000, 0, 0, 0, 0),
                     "Bâti Sud": (5_000, 2_000, 3_000, 9_000, 14_000, 0),
                     "Castel Froid": (12_000, 0, 4_000, 0, 0, 31_000),
                     "Dumas & Fils": (20_000, 11_000, 8_000, 2_000, 0, 0)}},
        _first_call, kind="choice",
        choices={"a": "Atelier Morel", "b": "Bâti Sud", "c": "Castel Froid",
                 "d": "Dumas & Fils"},
        hint="le plus gros encours n'est pas forcément le plus urgent : regardez l'ancienneté "
             "du retard, et souvenez-vous qu'un litige ne se relance pas, il se traite.",
        model_answer="Bâti Sud : 23 000 € échus depuis plus de 60 jours, le retard le plus ancien "
                     "et le plus lourd — appel aujourd'hui, puis mise en demeure sans "
                     "engagement. Castel Froid : traiter le litige avec les ventes (il bloque "
                     "31 000 €), relancer les 4 000 € incontestés. Dumas & Fils : relance "
                     "écrite. Atelier Morel : rien d'urgent, relance préventive."),
    _ex("p5_ecart_dso", 5, "Expliquer l'écart entre les deux DSO",
        "Avec les données des deux cas précédents (ventes TTC janvier 75 000, février 60 000, "
        "mars 90 000 ; encours 180 000 € au 31/03), pourquoi le DSO par épuisement diffère-t-il "
        "du DSO comptable ?",
        {"encours_ttc": 180_000, "ventes_ttc": {"2025-01": 75_000, "2025-02": 60_000,
                                                 "2025-03": 90_000}, "jours": 90,
         "fin_de_mois": "2025-03-31", "si_epuisement_plus_court": "b",
         "si_epuisement_plus_long": "c"}, _dso_gap, kind="choice",
        choices={"a": "Le DSO comptable compte la TVA dans l'encours, le DSO par épuisement "
                      "l'en retire : l'écart vient de la TVA.",
                 "b": "Mars est plus fort que la moyenne du trimestre : l'épuisement consomme "
                      "l'encours plus vite, DSO plus court.",
                 "c": "Mars est plus faible que la moyenne du trimestre : l'épuisement remonte "
                      "plus loin, DSO plus long.",
                 "d": "Les deux méthodes donnent le même résultat ; l'écart vient des arrondis "
                      "des ventes mensuelles."},
        hint="comparez les ventes du mois le plus récent à la moyenne mensuelle du trimestre.",
        model_answer="Le DSO comptable divise l'encours par le CA moyen du trimestre ; "
                     "l'épuisement l'impute d'abord au mois le plus récent. Mars (90 000 €) "
                     "dépasse la moyenne (75 000 €) : l'encours est épuisé plus vite, d'où un DSO "
                     "par épuisement un peu plus court."),
    _ex("p5_affacturage", 5, "Le coût d'un affacturage",
        "Vous cédez 500 000 € TTC de factures par an au factor ; DSO 60 jours ; commission "
        "d'affacturage 0,9 % du CA cédé ; commission de financement 3,2 % par an sur les "
        "sommes avancées (encours moins 10 % de fonds de garantie, jours réels / 360). "
        "Coût total annuel si le financement est utilisé en totalité (en €) ?",
        {"ca_cede_ttc": 500_000, "dso_jours": 60, "commission": 0.009,
         "taux_financement": 0.032, "fonds_garantie": 0.10}, _factoring, tolerance=5.0,
        hint="encours = CA × DSO / 365 ; avance = 90 % de l'encours ; coût = commission × CA "
             "+ taux × avance × 365 / 360.", unit="€"),
    _ex("p5_affacturage_assurance", 5, "Affacturage ou assurance-crédit + découvert ?",
        "Même besoin (500 000 € TTC, DSO 60 jours, avance de 90 % de l'encours). Option 2 : un "
        "découvert à 6 % par an (jours réels / 360) sur le même montant, et une assurance-crédit "
        "à 0,3 % du chiffre d'affaires assurable HT (TVA 20 %). De combien l'affacturage du cas "
        "précédent coûte-t-il plus cher par an (en €, négatif s'il coûte moins cher) ? "
        "Qu'achète-t-on en plus avec lui ?",
        {"ca_cede_ttc": 500_000, "dso_jours": 60, "commission": 0.009,
         "taux_financement": 0.032, "fonds_garantie": 0.10, "taux_decouvert": 0.06,
         "prime_assurance": 0.003, "tva": 0.20}, _factoring_vs_insurance, tolerance=5.0,
        hint="chiffrez l'option 2 (intérêts du découvert + prime sur le CA hors taxes) et "
             "comparez au coût total de l'affacturage ; l'écart se paie en services "
             "(recouvrement).", unit="€"),
    _ex("p6_objection_delai", 6, "Objection : « Vos concurrents nous laissent 90 jours »",
        "Un client important : « Vos concurrents nous laissent 90 jours, alignez-vous ou nous "
        "partons. » Quelle réponse choisissez-vous ?",
        {"bonne_reponse": "c"}, _choice, kind="choice",
        choices={"a": "« Nous tenons à vous garder : va pour 90 jours sur vos prochaines "
                      "commandes, à titre exceptionnel. »",
                 "b": "« Nos conditions sont les mêmes pour tous nos clients et ne se discutent "
                      "pas, je regrette. »",
                 "c": "« La loi plafonne à 60 jours ; si c'est la trésorerie, parlons d'un "
                      "escompte pour paiement rapide. »"},
        hint="le délai de paiement entre professionnels a un plafond légal ; on négocie "
             "une autre contrepartie.",
        model_answer="« Je comprends que le délai compte pour vous. Le Code de commerce plafonne "
                     "les délais à 60 jours date de facture (L441-10) : un concurrent qui "
                     "accorde 90 jours prend un risque d'amende. En revanche je peux vous "
                     "proposer un escompte si vous payez à 10 jours. Qu'en pensez-vous ? »"),
    _ex("p6_objection_penalites", 6, "Objection : « Vos pénalités sont abusives »",
        "Le client : « Vous nous facturez des pénalités de retard et 40 € par facture, c'est "
        "abusif, on ne paiera pas ça. » Quelle réponse choisissez-vous ?",
        {"bonne_reponse": "a"}, _choice, kind="choice",
        choices={"a": "« Elles sont dues de plein droit ; j'y renonce si le principal est réglé "
                      "à la date fixée ensemble. »",
                 "b": "« Vous avez raison, c'est beaucoup : je les annule pour cette fois et "
                      "n'en parlons plus. »",
                 "c": "« Elles sont dues de plein droit : sans paiement complet demain, le "
                      "dossier part au contentieux. »"},
        hint="une concession ne se donne jamais sans contrepartie, et le droit est de votre "
             "côté (L441-10 II, D441-5).",
        model_answer="« Les pénalités et l'indemnité de 40 € sont dues de plein droit dès le "
                     "lendemain de l'échéance (Code de commerce L441-10 II, D441-5) et figurent "
                     "sur nos factures. Mon objectif est d'être payé, pas de vous pénaliser : si "
                     "vous réglez le principal le 15, je renonce aux pénalités. Je vous le "
                     "confirme par écrit ? »"),
    _ex("p6_objection_tresorerie", 6, "Objection : « Nous n'avons pas de trésorerie »",
        "Le client : « Nous avons un trou de trésorerie, nous paierons quand nous pourrons. » "
        "Quelle réponse choisissez-vous ?",
        {"bonne_reponse": "b"}, _choice, kind="choice",
        choices={"a": "« Je comprends, cela arrive à tout le monde : payez quand vous pourrez, "
                      "nous vous faisons confiance. »",
                 "b": "« Je comprends. Que pouvez-vous régler cette semaine ? Le solde, en "
                      "échéances datées et écrites. »",
                 "c": "« Je comprends, mais nous arrêtons toutes les livraisons et transmettons "
                      "le dossier à l'avocat. »"},
        hint="sécuriser vite un premier paiement et un engagement daté, sans rompre la "
             "relation ni faire crédit sans limite.",
        model_answer="« Je comprends, et je préfère que vous m'en parliez. Quel montant pouvez-"
                     "vous régler dès cette semaine ? Pour le solde, je vous propose trois "
                     "échéances datées, par prélèvement ; je vous l'envoie par écrit aujourd'hui. "
                     "Les livraisons reprennent avec le premier versement. » Vérifier l'échéancier "
                     "avec la politique (nombre d'échéances, délai moyen, coût)."),
]
# --------------------------------------------------------------------------- classic mistakes
def _pen(d):
    return late_penalties(d["montant_ttc"], d["echeance"], d["paiement"])


def _one_rate(d, which):
    # the whole period at the rate of the first (or last) semester crossed
    p = _pen(d)
    days = float(p["days_late"].iloc[0])
    at = d["echeance"] if which == "first" else d["paiement"]
    ref = late_penalties(d["montant_ttc"], pd.Timestamp(at) - pd.Timedelta(days=1), at)
    return float(ref["penalty"].iloc[0]) * days


_D360 = ("vous avez compté l'année sur 360 jours : ici la base est de 365 jours (jours réels "
         "de l'année civile).")
_TTC = ("vous avez raisonné hors taxes : l'encours clients et les factures se financent et se "
        "recouvrent TTC.")
_PERCENT_COEF = ("les coefficients 0,24 / 0,22 / 0,16 / 0,87 / 0,10 s'appliquent à des ratios en "
                 "pourcent ; avec des ratios en fractions, prenez 24 / 22 / 16 / 87 / 10.")

TRAPS: dict[str, tuple[Trap, ...]] = {
    "p1_cout_credit": (
        Trap(lambda d: d["ca_ttc"] * d["dso_jours"] / 360 * d["taux"], _D360),
        Trap(lambda d: d["ca_ttc"] * d["dso_jours"] / 365,
             "vous avez calculé l'encours moyen à financer, pas encore son coût annuel."),
        Trap(lambda d: d["ca_ttc"] / 1.2 * d["dso_jours"] / 365 * d["taux"], _TTC)),
    "p1_jour_dso": (
        Trap(lambda d: d["ca_ttc"] / 360 * d["taux"], _D360),
        Trap(lambda d: d["ca_ttc"] / 365,
             "c'est une journée de chiffre d'affaires immobilisée ; que coûte-t-elle par an ?")),
    "p1_ca_compensatoire": (
        Trap(lambda d: d["perte_ht"] * d["marge_nette"],
             "vous avez multiplié par la marge : on cherche le CA dont la marge couvre la perte."),
        Trap(lambda d: d["perte_ht"] / d["marge_nette"] * 1.2,
             "la perte et la marge sont hors taxes : le CA compensatoire l'est aussi."),
        Trap(lambda d: d["perte_ht"] / d["marge_nette"] + d["perte_ht"],
             "la perte est déjà couverte par ce CA : ne l'ajoutez pas une seconde fois.")),
    "p1_client_marginal": (
        Trap(lambda d: (d["sales_ht"] * d["margin_rate"] - d["pd"] * d["lgd"] * d["ead"]
                        - d["sales_ht"] * d["dso_days"] / 365 * d["taux"]), _TTC),
        Trap(lambda d: (d["sales_ht"] * d["margin_rate"] - d["pd"] * d["lgd"] * d["ead"]),
             "il manque le coût de financement de l'encours (CA TTC × jours / 365 × taux)."),
        Trap(lambda d: (d["sales_ht"] * d["margin_rate"] - d["pd"] * d["lgd"] * d["ead"]
                        - d["sales_ht"] * 1.2 * d["dso_days"] / 360 * d["taux"]), _D360),
        Trap(lambda d: (d["sales_ht"] * d["margin_rate"] - d["pd"] * d["ead"]
                        - d["sales_ht"] * 1.2 * d["dso_days"] / 365 * d["taux"]),
             "la perte attendue est PD × LGD × exposition : vous avez oublié la LGD.")),
    "p2_conan_holder": (
        Trap(lambda d: _conan_holder(d) / 100, _PERCENT_COEF),
        Trap(lambda d: _conan_holder(d) * 100,
             "avec les coefficients 24 / 22 / 16 / 87 / 10, les ratios s'écrivent en fractions "
             "(0,20 et non 20).")),
    "p2_altman": (
        Trap(lambda d: (1.2 * d["bfr_net"] + 1.4 * d["reserves"] + 3.3 * d["ebit"]) / d["total_actif"]
             + 0.6 * d["capitaux_propres"] / d["dettes_totales"],
             "ce sont les coefficients du Z d'origine (industrie cotée) : Z'' a ses propres "
             "coefficients."),),
    "p2_limite": (
        Trap(lambda d: d["besoin_commercial"],
             "le besoin commercial n'est qu'un des plafonds : la capacité du client compte aussi."),
        Trap(lambda d: max(d["taux_actif_net"] * d["actif_net_tangible"], d["taux_ca"] * d["ca_client"]),
             "vous avez retenu un plafond de capacité qui n'est pas le plus restrictif.")),
    "p3_woe": (
        Trap(lambda d: math.log10((d["bons_classe"] / d["bons_total"])
                                  / (d["mauvais_classe"] / d["mauvais_total"])),
             "le WoE se calcule avec le logarithme népérien (ln), pas décimal."),
        Trap(lambda d: -_woe(d), "le signe dépend de la convention : ici bons sur mauvais.")),
    "p4_penalites": (
        Trap(lambda d: _penalty(d) * 365 / 360, _D360),
        Trap(lambda d: _penalty(d) / 1.2,
             "les pénalités s'appliquent au montant TTC de la facture, pas au HT."),
        Trap(lambda d: _penalty(d) + 40,
             "l'indemnité forfaitaire de 40 € est due en plus, mais la question l'exclut.")),
    "p4_penalites_semestres": (
        Trap(lambda d: _one_rate(d, "first"),
             "le taux a changé au 1er juillet : vous avez appliqué le taux du premier semestre "
             "à toute la période."),
        Trap(lambda d: _one_rate(d, "last"),
             "le taux a changé au 1er juillet : vous avez appliqué le taux du second semestre "
             "à toute la période."),
        Trap(lambda d: _penalty(d) * 365 / 360, _D360),
        Trap(lambda d: _penalty(d) + 40,
             "l'indemnité forfaitaire de 40 € n'est pas une pénalité de retard : retirez-la.")),
    "p5_dso_simple": (
        Trap(lambda d: _dso_simple(d) / d["jours"] * 365,
             "la période est le trimestre : multipliez par ses jours, pas par 365."),),
    "p5_cei": (
        Trap(lambda d: (d["encours_debut"] + d["ventes"] - d["encours_fin"])
             / (d["encours_debut"] + d["ventes"]),
             "au dénominateur, retirez le non-échu de fin : il n'était pas encore à encaisser."),),
    "p6_escompte": (
        Trap(lambda d: d["escompte"] * 365 / (d["jours_echeance"] - d["jours_paiement_anticipe"]),
             "le client ne paie que (1 − escompte) : divisez le taux par (1 − taux)."),
        Trap(lambda d: _discount_rate(d) * 360 / 365, _D360),
        Trap(lambda d: d["escompte"] / (1 - d["escompte"]) * 365 / d["jours_echeance"],
             "comptez les jours gagnés (échéance − paiement anticipé), pas tout le délai.")),
    "p6_escompte_max": (
        Trap(lambda d: d["taux_financement"] * (d["jours_echeance"] - d["jours_paiement_anticipe"])
             / 360, _D360),
        Trap(lambda d: d["taux_financement"] * d["jours_echeance"] / 365,
             "comptez les jours gagnés (échéance − paiement anticipé), pas tout le délai.")),
    "p5_affacturage": (
        Trap(lambda d: d["commission"] * d["ca_cede_ttc"] + d["taux_financement"]
             * d["ca_cede_ttc"] * d["dso_jours"] / 365 * (1 - d["fonds_garantie"]),
             "le financement du factor se décompte en jours réels sur 360 : multipliez par "
             "365 / 360."),
        Trap(lambda d: d["commission"] * d["ca_cede_ttc"] + d["taux_financement"]
             * d["ca_cede_ttc"] * d["dso_jours"] / 360,
             "le factor n'avance pas tout l'encours : retirez le fonds de garantie.")),
    "p5_affacturage_assurance": (
        Trap(lambda d: _factoring_vs_insurance(d) - d["prime_assurance"] * d["ca_cede_ttc"]
             * d["tva"] / (1 + d["tva"]),
             "la prime d'assurance-crédit porte sur le CA assurable hors taxes."),),
}

#: Every exercise in course order.
LIST: list[Exercise] = [dataclasses.replace(e, traps=TRAPS.get(e.id, ())) for e in _LIST]
#: Every exercise, by id.
EXERCISES: dict[str, Exercise] = {e.id: e for e in LIST}
