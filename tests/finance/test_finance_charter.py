"""Credit charter generated from the policy parameters in use (creditlab.finance.charter)."""

from __future__ import annotations

import pandas as pd
import pytest

from creditlab.exceptions import InputError
from creditlab.finance import (
    CreditInsurancePolicy,
    NegotiationPolicy,
    credit_charter,
    default_raci,
)
from creditlab.limits import CreditPolicy

DUNNING = {"scenarios": [
    {"name": "standard", "segment": "PME", "risk_classes": [1, 2], "min_amount": 50,
     "steps": [
         {"offset_days": -5, "channel": "email", "template": "courtesy"},
         {"offset_days": 10, "channel": ["email", "phone"], "template": "reminder_1",
          "fees": False},
         {"offset_days": 30, "channel": "registered_letter", "template": "formal_notice",
          "fees": True, "interest": True, "escalation": "mise en demeure"},
     ]},
]}
TERMS = {"standard_terms": "net_60", "max_days": 60, "discount": {"rate": 0.01, "days": 10},
         "penalty_rate": "taux BCE + 10 points", "recovery_indemnity": 40,
         "by_segment": {"grands comptes": "eom45_a"}, "portal": "extranet client"}


def _plain(text: str) -> str:
    """French formatting uses non-breaking spaces (12 % and 5 000 €): compare on plain spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


class _DunningLike:
    """Stands in for the dunning policy object built concurrently: anything with to_dict()."""

    def to_dict(self):
        return DUNNING


def test_charter_from_policies_in_use():
    policy = CreditPolicy.load()
    ch = credit_charter(company="Mécanique Dupont SAS", terms=TERMS, limits=policy, hold=policy,
                        dunning=_DunningLike(), insurance=CreditInsurancePolicy(),
                        negotiation=NegotiationPolicy(), effective_date="2026-01-01",
                        approved_by="Direction générale")
    md = _plain(ch.markdown)
    assert md.startswith("# Charte crédit — Mécanique Dupont SAS")
    assert ch.missing == ()
    assert "| Date d'effet | 01/01/2026 |" in md
    # terms
    assert "60 jours date de facture" in md and "fin de mois + 45 jours" in md
    assert "1 % si paiement sous 10 jours" in md
    assert "| portal | extranet client |" in md                 # unknown key kept
    # limits: the values of the bundled policy, enabled methods only
    k = policy.get("methods.net_worth.k")
    assert f"classe 2 : {round(k['2'] * 100):d} %" in md
    assert "plafond de concentration" in md
    assert "% des achats du client" not in md                   # disabled in the default
    assert "la plus restrictive des méthodes" in md
    # hold thresholds
    assert "| retard (jours) à partir duquel les commandes sont bloquées | 90 jours |" in md
    assert "procédure collective ouverte | blocage" in md
    # dunning steps
    assert "J-5" in md and "J+30" in md and "lettre recommandée AR" in md
    assert "courriel, téléphone" in md
    # insurance and negotiation
    assert "quotité garantie | 90,00 %" in md
    assert "nombre maximal d'échéances | 6" in md
    assert "## 9. Révision de la charte" in md


def test_charter_follows_policy_changes():
    policy = CreditPolicy.load().updated({"hold": {"overdue_days_block": 75}})
    md = _plain(credit_charter(company="X", hold=policy).markdown)
    assert "| 75 jours |" in md and "| 90 jours |" not in md


def test_missing_sections_flagged_and_numbering():
    ch = credit_charter(company="ACME")
    assert set(ch.missing) == {"terms", "limits", "hold", "dunning", "insurance", "negotiation"}
    assert ch.markdown.count("À compléter") == 4                # terms, limits, hold, dunning
    assert "## 7. Révision de la charte" in ch.markdown
    assert "Assurance-crédit" not in ch.markdown
    assert "Répartition indicative fournie par défaut" in ch.markdown
    assert ch.summary().loc["raci", "status"] == "renseignée"
    assert ch.summary().loc["hold", "status"] == "à compléter"


def test_user_text_is_escaped_in_markdown_and_html():
    ch = credit_charter(company="Evil <script>alert(1)</script> | Co",
                        terms={"standard_terms": "<b>net</b>"})
    assert "<script>" not in ch.markdown
    html = ch.to_html()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<table>" in html and html.startswith("<!DOCTYPE html>")
    assert "<table>" in ch._repr_html_()


def test_english_charter():
    ch = credit_charter(company="ACME", hold=CreditPolicy.load(), lang="en")
    assert ch.markdown.startswith("# Credit charter — ACME")
    assert "hold for review" in ch.markdown
    assert "To complete" in ch.markdown


def test_raci_custom_and_validation():
    raci = {"Fixer les limites": {"credit_manager": "R", "finance_director": "A"},
            "Relancer": {"receivables_team": "R/A", "sales": "C"}}
    md = credit_charter(company="X", raci=raci).markdown
    assert "| Fixer les limites |" in md and "Direction financière" in md
    assert "indicative" not in md
    with pytest.raises(InputError, match="exactly one A"):
        credit_charter(company="X", raci={"a": {"credit_manager": "R"}})
    with pytest.raises(InputError, match="letters"):
        credit_charter(company="X", raci={"a": {"credit_manager": "A", "sales": "X"}})
    d = default_raci()
    assert (d.apply(lambda r: sum("A" in v for v in r), axis=1) == 1).all()
    assert isinstance(d, pd.DataFrame) and len(d) >= 8


def test_charter_bad_inputs():
    with pytest.raises(InputError):
        credit_charter(company="  ")
    with pytest.raises(InputError):
        credit_charter(company="X", limits=42)
    with pytest.raises(InputError):
        credit_charter(company="X", lang="de")


def test_dunning_shapes_accepted():
    as_list = credit_charter(company="X", dunning=DUNNING["scenarios"]).markdown
    as_map = credit_charter(company="X", dunning={"standard": DUNNING["scenarios"][0]["steps"]})
    assert "### standard" in as_list and "### standard" in as_map.markdown
    assert "J+10" in as_map.markdown


def test_charter_reads_the_dunning_policy_object():
    from creditlab.dunning import load_policy

    policy = load_policy()
    md = _plain(credit_charter(company="X", dunning=policy).markdown)
    # scenario titles are the French labels, step codes are translated
    assert f"### {policy.scenarios['grands_comptes'].label_fr}" in md
    assert "### grands\\_comptes" not in md and "label\\_fr" not in md
    assert "| mise en demeure |" in md and "formal\\_notice" not in md
    assert "service juridique" in md and "sales\\_rep" not in md
    # policy-level settings and the assignment rules, in order, then the default scenario
    assert f"| montant minimal dû pour relancer (TTC) | {policy.min_amount:,.0f} € |" in md
    assert (f"| déclaration de menace de sinistre à l'assureur (jours après l'échéance) | "
            f"{policy.insurer_notification_days} |") in md
    risky = policy.scenarios["clients_a_risque"].label_fr
    assert f"| classe de risque 3, 4 | {risky} |" in md
    default = policy.scenarios[policy.default_scenario].label_fr
    assert f"| aucune des règles ci-dessus | {default} |" in md
    assert md.index("| classe de risque 3, 4 |") < md.index("| nouveau client |")
    # the sentence on disputed invoices follows exclude_disputed instead of a constant
    assert "Les factures en litige sont exclues des relances" in md
    md2 = credit_charter(company="X", dunning=policy.updated(exclude_disputed=False,
                                                             min_amount=120.0)).markdown
    assert "exclues des relances" not in md2
    assert "relancées comme les autres factures échues" in md2
    assert "| 120 € |" in _plain(md2)
    en = credit_charter(company="X", dunning=policy, lang="en").markdown
    assert f"### {policy.scenarios['grands_comptes'].label_en}" in en
    assert "| none of the rules above |" in en


def test_dunning_scenarios_alone_make_no_disputes_claim():
    md = credit_charter(company="X", dunning=DUNNING["scenarios"]).markdown
    assert "factures en litige" not in md
    assert "Chaque client suit" not in md


def test_charter_limits_show_unrated_class_insured_share_and_weights():
    policy = CreditPolicy.load()
    md = _plain(credit_charter(company="X", limits=policy).markdown)
    unrated = policy.get("classes.unrated")
    assert f"| classe de risque d'un client non noté | classe {unrated} (" in md
    assert f"{round(policy.insured_share * 100):d} % |" in md
    assert "pondération des méthodes" not in md                  # most_restrictive: no weights
    weighted = policy.updated({"combination": {"rule": "weighted"},
                               "methods": {"turnover": {"enabled": False}}})
    md = _plain(credit_charter(company="X", limits=weighted).markdown)
    line = next(x for x in md.splitlines() if x.startswith("| pondération des méthodes"))
    assert "% des capitaux propres : 2" in line
    assert "chiffre d'affaires du client" not in line            # disabled method left out


def test_charter_refuses_two_declaration_deadlines():
    # one contractual deadline to declare an overdue to the insurer (DOMAIN.md §8): a charter
    # stating 60 days in its dunning section and 90 in its insurance section contradicts itself
    from creditlab.dunning import load_policy

    dunning = load_policy()
    with pytest.raises(InputError, match="declaration_days"):
        credit_charter(company="X", dunning=dunning, insurance=CreditInsurancePolicy(
            declaration_days=dunning.insurer_notification_days + 30))
    # the two default policies agree
    ok = credit_charter(company="X", dunning=dunning, insurance=CreditInsurancePolicy())
    assert {"dunning", "insurance"} <= set(ok.present)
