"""French / English labels of the payment-plan, discount and negotiation results.

A leaf module (no creditlab import) so that :mod:`~creditlab.finance.plans`,
:mod:`~creditlab.finance.discount` and :mod:`~creditlab.finance.negotiation` share the words
without importing each other; ``creditlab.finance.plans.NEGOTIATION_LABELS`` stays importable.
"""

from __future__ import annotations

__all__ = ["NEGOTIATION_LABELS"]

NEGOTIATION_LABELS: dict[str, dict[str, str]] = {
    "instalment": {"fr": "échéance", "en": "instalment"},
    "date": {"fr": "date", "en": "date"},
    "opening_balance": {"fr": "capital restant dû (début)", "en": "opening balance"},
    "principal": {"fr": "capital", "en": "principal"},
    "interest": {"fr": "intérêts", "en": "interest"},
    "penalties": {"fr": "pénalités", "en": "penalties"},
    "payment": {"fr": "montant à payer", "en": "payment"},
    "closing_balance": {"fr": "capital restant dû (fin)", "en": "closing balance"},
    "simple_rate": {"fr": "taux annuel simple", "en": "simple annual rate"},
    "simple_rate_365": {"fr": "taux simple (base 365)", "en": "simple rate (365 basis)"},
    "simple_rate_360": {"fr": "taux simple (base 360)", "en": "simple rate (360 basis)"},
    "effective_rate": {"fr": "taux effectif (composé)", "en": "effective rate (compounded)"},
    "max_discount": {"fr": "escompte maximal justifié", "en": "maximum discount worth offering"},
    "metric": {"fr": "indicateur", "en": "metric"},
    "value": {"fr": "valeur", "en": "value"},
    "financing_cost": {"fr": "coût de financement du délai", "en": "financing cost of the delay"},
    "interest_received": {"fr": "intérêts perçus", "en": "interest received"},
    "penalties_received": {"fr": "pénalités perçues", "en": "penalties received"},
    "penalties_waived": {"fr": "pénalités abandonnées", "en": "penalties waived"},
    "net_cost": {"fr": "coût net", "en": "net cost"},
    "net_cost_share": {"fr": "coût net / montant", "en": "net cost / amount"},
    "average_delay_days": {"fr": "délai moyen (jours)", "en": "average delay (days)"},
    "duration_days": {"fr": "durée (jours)", "en": "duration (days)"},
    "accept": {"fr": "acceptable", "en": "accept"},
    "counter": {"fr": "contre-proposition", "en": "counter-proposal"},
    "refuse": {"fr": "refus", "en": "refuse"},
    "policy_max": {"fr": "maximum de la politique", "en": "policy maximum"},
    "proposal": {"fr": "proposition", "en": "proposal"},
}
