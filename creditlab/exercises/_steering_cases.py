"""The cases of :mod:`creditlab.exercises._situations_steering`: statements, questions and the
data each case gives (figures of a profile; the expected answers are computed, never stored)."""

from __future__ import annotations

__all__ = ["STEERING", "MONEY_TOLERANCE", "LIMIT_TOLERANCE", "DSO_CASE", "FINANCING_CASE",
           "LIMIT_CASE", "PROMISE_CASE"]

# --------------------------------------------------------------------------- the cases
#: Each case: part, title, statement, and its questions ``(key, label, kind, options)`` with
#: kind ``number`` (typed as on paper), ``one`` (one option) or ``many`` (several options).
STEERING: dict[str, dict] = {
    "ms_tableau_de_bord_dg": {
        "part": 5, "title": "Présenter le tableau de bord du mois à la directrice financière",
        "statement": "Vous présentez demain à la directrice financière le tableau de bord du "
                     "poste clients à fin décembre (portefeuille de démonstration). Elle vous "
                     "donne cinq minutes : choisissez les trois messages exacts que vous lui "
                     "direz, et la décision que vous lui proposez.",
        "questions": [
            ("messages", "Vos trois messages (cochez-en trois)", "many", {
                "dso_down": "Le DSO comptable a baissé en décembre.",
                "dso_up": "Le DSO comptable a augmenté en décembre.",
                "over90_up": "La part des créances échues depuis plus de 90 jours a augmenté.",
                "cei_down": "L'efficacité du recouvrement (CEI) s'est dégradée.",
                "overdue_high": "Plus d'un quart de l'encours est échu.",
                "disputes_down": "L'encours en litige a baissé.",
                "disputes_up": "L'encours en litige a augmenté.",
                "over_limit_up": "Davantage de clients dépassent leur limite de crédit.",
            }),
            ("decision", "La décision que vous proposez", "one", {
                "old_debts": "Traiter d'abord les créances échues depuis plus de 90 jours.",
                "disputes": "Accélérer la résolution des litiges avec les commerciaux concernés.",
                "limits": "Revoir les limites de crédit des clients qui les dépassent.",
                "preventive": "Lancer des relances préventives quelques jours avant l'échéance.",
                "nothing": "Ne rien changer : le DSO a baissé, la situation s'améliore.",
            }),
        ],
    },
    "ms_assurance_ou_affacturage": {
        "part": 5, "title": "Affacturage ou découvert + assurance-crédit ?",
        "statement": "Une PME industrielle vend 3 000 000 € TTC par an (2 500 000 € HT "
                     "assurables), ses clients paient à 75 jours (DSO) et elle n'a pas de "
                     "service de relance : le faire en interne coûterait 30 000 € par an. Deux "
                     "offres : un affacturage classique (commission 0,8 % du CA cédé, "
                     "financement à 2,5 % par an sur 90 % de l'encours, jours / 360, relance et "
                     "garantie des impayés par le factor) ; ou un découvert à 6 % par an sur le "
                     "même montant avec une assurance-crédit à 0,3 % du CA HT assurable. "
                     "Choisissez, chiffrez l'écart annuel et justifiez.",
        "questions": [
            ("option", "Votre choix", "one", {
                "factoring": "L'affacturage.",
                "overdraft_insurance": "Le découvert + l'assurance-crédit.",
            }),
            ("gap", "Écart de coût annuel entre les deux offres, en € (arrondi accepté à "
                    "± 1 %)", "number", None),
            ("reasons", "Vos raisons (au moins deux)", "many", {
                "cheaper_total": "Il coûte moins cher au total, à couverture égale "
                                 "(financement, garantie, relance).",
                "collection": "La relance et l'encaissement sont faits pour nous.",
                "guarantee": "Les impayés sont garantis.",
                "cheaper_financing": "Son financement seul coûte moins cher.",
                "keep_relationship": "Nous gardons la relance de nos clients en main.",
            }),
        ],
    },
    "ms_objectif_dso": {
        "part": 5, "title": "Fixer un objectif de DSO et les actions pour l'atteindre",
        "statement": "Votre entreprise vend 6 000 000 € TTC par an, ses conditions de paiement "
                     "sont de 45 jours et son DSO est de 72 jours ; l'argent lui coûte 5 % par "
                     "an. Le directeur financier vous demande un objectif de DSO à un an, la "
                     "trésorerie qu'il libérera et les actions pour l'atteindre.",
        "questions": [
            ("target", "Votre objectif de DSO, en jours", "number", None),
            ("cash", "Trésorerie libérée par cet objectif, en € (ventes × jours gagnés / 365 ; "
                     "arrondi accepté à ± 1 %)", "number", None),
            ("actions", "Vos actions (au moins deux)", "many", {
                "preventive": "Relance préventive quelques jours avant l'échéance.",
                "disputes": "Litiges traités en moins de 10 jours avec les commerciaux.",
                "invoice_fast": "Facturer le jour de la livraison, factures sans erreur.",
                "longer_terms": "Allonger les délais de paiement pour fidéliser les clients.",
                "late_dunning": "Ne relancer qu'au-delà de 60 jours de retard.",
                "raise_limits": "Relever toutes les limites de crédit.",
            }),
        ],
    },
    "ms_revue_limite_degradation": {
        "part": 2, "title": "Revoir la limite après une dégradation de la notation",
        "statement": "Menuiseries Aubert SAS, client depuis huit ans, passe de la classe 2 à la "
                     "classe 3 (retards qui s'allongent, résultat en baisse). Vous revoyez sa "
                     "limite avec la politique de crédit de l'entreprise : nouvelle limite, sort "
                     "des commandes, garantie demandée et date de la prochaine revue.",
        "questions": [
            ("limit", "Nouvelle limite de crédit, en € (arrondi accepté à ± 10 %)", "number",
             None),
            ("orders", "Les commandes", "one", {
                "keep": "Maintenir la limite actuelle et continuer à livrer toutes les commandes.",
                "hold_new": "Abaisser la limite et bloquer les nouvelles commandes qui la dépassent.",
                "block_all": "Bloquer le compte et exiger le paiement de tout l'encours, même "
                             "non échu.",
            }),
            ("guarantee", "La garantie demandée pour continuer à servir son besoin", "one", {
                "gapd": "Une garantie à première demande bancaire.",
                "none": "Aucune garantie : la relation commerciale suffit.",
                "promise": "Un engagement oral du dirigeant de payer à temps.",
            }),
            ("guarantee_amount", "Montant de la garantie, en € (arrondi accepté à ± 10 %)",
             "number", None),
            ("review", "Prochaine revue de la limite", "one", {
                "3": "Dans 3 mois.", "6": "Dans 6 mois.", "12": "Dans 12 mois.",
            }),
        ],
    },
    "ms_promesse_non_tenue": {
        "part": 4, "title": "Une promesse de paiement non tenue",
        "statement": "Bâti Sud SARL doit deux factures de 4 800 € et 2 400 € TTC échues les "
                     "31/10/2025 et 15/11/2025, non contestées. La mise en demeure est partie "
                     "le 10/01/2026 ; le 20/01, le gérant a promis de tout payer le 31/01/2026. "
                     "Nous sommes le 16/02/2026 et rien n'est arrivé. Quelle est la suite, et "
                     "pourquoi ?",
        "questions": [
            ("status", "La promesse est", "one", {
                "kept": "Tenue.", "pending": "Encore en cours.", "broken": "Non tenue.",
            }),
            ("next", "L'étape suivante", "one", {
                "injonction_de_payer": "Déposer une requête en injonction de payer.",
                "formal_notice": "Envoyer une nouvelle mise en demeure.",
                "call": "Rappeler le gérant pour une nouvelle promesse.",
                "wait": "Attendre encore un mois.",
            }),
            ("reasons", "Vos raisons (au moins deux)", "many", {
                "notice_delay": "Le délai laissé par la mise en demeure est écoulé.",
                "undisputed": "La créance n'est pas contestée.",
                "stage_reached": "Le retard a atteint l'étape judiciaire du scénario de "
                                 "relance.",
                "promise_cancels": "La promesse a annulé la mise en demeure.",
                "new_delay": "Il faut toujours accorder un nouveau délai après une promesse.",
            }),
        ],
    },
}

#: Tolerances stated in the questions.
MONEY_TOLERANCE = 0.01
LIMIT_TOLERANCE = 0.10

DSO_CASE = {"sales_ttc": 6_000_000.0, "dso": 72.0, "terms": 45.0, "rate": 0.05}
FINANCING_CASE = {"sales_ttc": 3_000_000.0, "dso": 75.0, "commission": 0.008, "margin": 0.025,
                  "overdraft": 0.06, "premium": 0.003, "insured_ht": 2_500_000.0,
                  "inhouse": 30_000.0}
LIMIT_CASE = {"monthly_sales_ttc": 30_000.0, "term_days": 60, "equity": 400_000.0,
              "intangible_assets": 50_000.0, "turnover_ht": 2_400_000.0,
              "open_receivables": 70_000.0, "orders_accepted": 12_000.0,
              "shipped_not_invoiced": 0.0, "avg_days_late": 22.0, "credit_limit": 67_500.0,
              "own_sales_ttc": 20_000_000.0, "as_of": "2025-12-31"}
PROMISE_CASE = {"as_of": "2026-02-16", "customer_id": "BATISUD",
                "invoices": [("F2025-0912", 4_800.0, "2025-09-30", "2025-10-31"),
                             ("F2025-0977", 2_400.0, "2025-10-15", "2025-11-15")],
                "notice_date": "2026-01-10", "promise_date": "2026-01-31",
                "scenario": "pme_fiables"}
