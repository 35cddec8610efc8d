"""French / English labels of the credit charter (:mod:`creditlab.finance.charter`): the
known keys of each policy section. Unknown keys are still printed, raw."""

from __future__ import annotations

from creditlab.labels import label_view

CHARTER_SECTIONS = ("raci", "terms", "limits", "hold", "dunning", "insurance", "negotiation")

RACI_ROLES: dict[str, dict[str, str]] = {
    "general_management": {"fr": "Direction générale", "en": "General management"},
    "finance_director": {"fr": "Direction financière", "en": "Finance director"},
    "credit_manager": {"fr": "Credit manager", "en": "Credit manager"},
    "sales": {"fr": "Commercial", "en": "Sales"},
    "receivables_team": {"fr": "ADV / comptabilité clients", "en": "Order desk / receivables"},
    "legal": {"fr": "Juridique", "en": "Legal"},
}
_RACI_LETTERS = {"R", "A", "C", "I"}

_YES = {"fr": "oui", "en": "yes"}
_NO = {"fr": "non", "en": "no"}

_TERM_CODES = {
    "cash": {"fr": "comptant", "en": "cash"},
    "net_30": {"fr": "30 jours date de facture", "en": "30 days from invoice date"},
    "net_45": {"fr": "45 jours date de facture", "en": "45 days from invoice date"},
    "net_60": {"fr": "60 jours date de facture", "en": "60 days from invoice date"},
    "eom45_a": {"fr": "fin de mois + 45 jours", "en": "end of month + 45 days"},
    "eom45_b": {"fr": "45 jours fin de mois", "en": "45 days then end of month"},
    "transport_30": {"fr": "30 jours date de facture (transport)",
                     "en": "30 days from invoice date (transport)"},
}

_TERMS_KEYS = {
    "standard_terms": {"fr": "conditions standard", "en": "standard terms"},
    "max_days": {"fr": "délai maximal accordé (jours)", "en": "maximum term granted (days)"},
    "by_segment": {"fr": "conditions par segment", "en": "terms by segment"},
    "new_customers": {"fr": "nouveaux clients", "en": "new customers"},
    "discount": {"fr": "escompte pour paiement anticipé", "en": "early-payment discount"},
    "penalty_rate": {"fr": "taux des pénalités de retard", "en": "late-payment penalty rate"},
    "recovery_indemnity": {"fr": "indemnité forfaitaire de recouvrement",
                           "en": "fixed recovery indemnity"},
    "down_payment": {"fr": "acompte à la commande", "en": "down payment"},
    "payment_methods": {"fr": "moyens de paiement acceptés", "en": "accepted payment methods"},
}

_METHOD_LABELS = label_view("charter_method")

_RULES = {
    "most_restrictive": {"fr": "la plus restrictive des méthodes (minimum)",
                         "en": "most restrictive method (minimum)"},
    "average": {"fr": "moyenne des plafonds", "en": "average of caps"},
    "weighted": {"fr": "moyenne pondérée des plafonds", "en": "weighted average of caps"},
}

_DECISIONS = {
    "release": {"fr": "libération", "en": "release"},
    "hold": {"fr": "mise en attente pour revue", "en": "hold for review"},
    "block": {"fr": "blocage", "en": "block"},
}

_HOLD_KEYS = {
    "over_limit": {"fr": "encours + commande au-delà de la limite",
                   "en": "exposure + order above the limit"},
    "block_over_limit_share": {"fr": "dépassement de la limite entraînant le blocage",
                               "en": "overrun of the limit that blocks"},
    "no_limit": {"fr": "client sans limite de crédit", "en": "customer without a limit"},
    "overdue_amount_hold": {"fr": "montant échu à partir duquel les commandes sont retenues",
                            "en": "past-due amount from which orders are held"},
    "overdue_days_hold": {"fr": "retard (jours) à partir duquel les commandes sont retenues",
                          "en": "days past due from which orders are held"},
    "overdue_days_block": {"fr": "retard (jours) à partir duquel les commandes sont bloquées",
                           "en": "days past due from which orders are blocked"},
    "rating_hold_class": {"fr": "classe de risque à partir de laquelle retenir",
                          "en": "risk class from which orders are held"},
    "rating_block_class": {"fr": "classe de risque à partir de laquelle bloquer",
                           "en": "risk class from which orders are blocked"},
    "insurer_cancelled": {"fr": "agrément assureur refusé ou résilié",
                          "en": "insurer agreement refused or cancelled"},
    "disputes_amount_hold": {"fr": "montant de litiges ouverts déclenchant la décision",
                             "en": "open disputes amount triggering the decision"},
    "disputes": {"fr": "litiges au-delà de ce montant", "en": "disputes above that amount"},
    "insolvency": {"fr": "procédure collective ouverte", "en": "insolvency proceedings opened"},
}

_STEP_COLUMNS = {
    "day": {"fr": "jour / échéance", "en": "day vs due date"},
    "days": {"fr": "jour / échéance", "en": "day vs due date"},
    "offset_days": {"fr": "jour / échéance", "en": "day vs due date"},
    "days_after_due": {"fr": "jour / échéance", "en": "day vs due date"},
    "name": {"fr": "étape", "en": "step"},
    "step": {"fr": "étape", "en": "step"},
    "action": {"fr": "action", "en": "action"},
    "label": {"fr": "action", "en": "action"},
    "channel": {"fr": "canal", "en": "channel"},
    "channels": {"fr": "canaux", "en": "channels"},
    "template": {"fr": "modèle", "en": "template"},
    "fees": {"fr": "indemnité 40 € réclamée", "en": "40 € indemnity claimed"},
    "claim_fees": {"fr": "indemnité 40 € réclamée", "en": "40 € indemnity claimed"},
    "interest": {"fr": "pénalités réclamées", "en": "penalties claimed"},
    "claim_interest": {"fr": "pénalités réclamées", "en": "penalties claimed"},
    "escalation": {"fr": "escalade", "en": "escalation"},
    "assignee": {"fr": "responsable", "en": "assignee"},
}
_CHANNELS = {
    "email": {"fr": "courriel", "en": "email"},
    "letter": {"fr": "courrier", "en": "letter"},
    "phone": {"fr": "téléphone", "en": "phone"},
    "registered_letter": {"fr": "lettre recommandée AR", "en": "registered letter"},
    "sms": {"fr": "SMS", "en": "SMS"},
}
_SCENARIO_KEYS = {
    "segment": {"fr": "segment", "en": "segment"},
    "risk_class": {"fr": "classe de risque", "en": "risk class"},
    "risk_classes": {"fr": "classes de risque", "en": "risk classes"},
    "stakes": {"fr": "enjeu", "en": "stakes"},
    "min_amount": {"fr": "montant minimal relancé", "en": "minimum amount dunned"},
    "description": {"fr": "description", "en": "description"},
    "applies_to": {"fr": "s'applique à", "en": "applies to"},
}

#: Policy-level settings of a dunning policy (``creditlab.dunning.DunningPolicy`` or its TOML
#: shape, where the profile keys sit under ``[profile]``).
_DUNNING_SETTINGS = {
    "min_amount": {"fr": "montant minimal dû pour relancer (TTC)",
                   "en": "minimum amount owed to dun (incl. VAT)"},
    "group_by_customer": {"fr": "une relance par client (factures échues regroupées)",
                          "en": "one action per customer (overdue invoices grouped)"},
    "insurer_notification_days": {
        "fr": "déclaration de menace de sinistre à l'assureur (jours après l'échéance)",
        "en": "overdue declaration to the credit insurer (days after due date)"},
    "escalation_delay_days": {
        "fr": "délai laissé par la mise en demeure avant l'injonction de payer (jours)",
        "en": "delay given by the formal notice before the payment order (days)"},
    "insurer_warning_days": {"fr": "alerte avant la date limite de déclaration (jours)",
                             "en": "warning before the declaration deadline (days)"},
    "high_stakes_amount": {"fr": "encours (TTC) à partir duquel l'enjeu est fort",
                           "en": "open balance (incl. VAT) from which stakes are high"},
    "new_customer_days": {"fr": "ancienneté en deçà de laquelle le client est nouveau (jours)",
                          "en": "account age below which a customer is new (days)"},
    "avg_days_late_bounds": {"fr": "classe de risque selon le retard moyen (sans notation)",
                             "en": "risk class from the average days late (when unrated)"},
    "unrated_class": {"fr": "classe de risque d'un client sans notation ni historique",
                      "en": "risk class of a customer without rating or history"},
    "default_scenario": {"fr": "scénario par défaut (aucune règle ne s'applique)",
                         "en": "default scenario (no rule matches)"},
    "version": {"fr": "version de la politique de relance", "en": "dunning policy version"},
}
#: Keys of a dunning policy that are not printed as settings (rendered elsewhere or not
#: part of the rules: letterhead, provenance).
_DUNNING_SKIPPED = ("scenarios", "rules", "sender", "source", "profile", "exclude_disputed",
                    "name")
