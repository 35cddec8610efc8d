"""Closed vocabularies of dunning and credit hold: StrEnum codes, words in the catalogue."""

from __future__ import annotations

import pandas as pd
import pytest

from creditlab.dunning import (
    CHANNELS,
    DUNNING_LABELS,
    LEGAL_ESCALATIONS,
    Step,
    dunning_labels,
    load_policy,
    plan_actions,
)
from creditlab.dunning.codes import (
    ActionStatus,
    Channel,
    Escalation,
    EscalationReason,
    HistoryStatus,
    InsurerStatus,
    LetterKind,
    NextAction,
    PromiseStatus,
    Template,
)
from creditlab.dunning.escalation import ESCALATION_LABELS
from creditlab.dunning.letters import LETTER_KINDS, LETTER_LABELS
from creditlab.exceptions import InputError
from creditlab.labels import catalogue
from creditlab.limits import DECISION_LABELS, DECISIONS, HOLD_REASONS
from creditlab.limits.codes import Decision, HoldReason

VOCABULARIES = (Channel, Template, LetterKind, Escalation, HistoryStatus, ActionStatus,
                NextAction, EscalationReason, PromiseStatus, InsurerStatus, Decision,
                HoldReason)


@pytest.mark.parametrize("vocab", VOCABULARIES, ids=lambda v: v.__name__)
def test_every_code_has_french_and_english_words(vocab):
    keys = set(catalogue()["key"])
    for m in vocab:
        assert m.key in keys, m.key
        assert m.label("fr") and m.label("en") and m.label("fr") != m.key


def test_codes_are_the_stored_strings():
    assert Channel.REGISTERED_LETTER == "registered_letter"
    # French codes kept for file compatibility, English member names
    assert Escalation.FORMAL_NOTICE == "mise_en_demeure"
    assert Escalation.PAYMENT_ORDER == "injonction_de_payer"
    assert LEGAL_ESCALATIONS == (Escalation.FORMAL_NOTICE, Escalation.PAYMENT_ORDER,
                                 Escalation.COLLECTION_AGENCY)
    assert "email" in CHANNELS and set(LETTER_KINDS) == set(Template) - {"injunction_file"}
    assert DECISIONS == ("release", "hold", "block")  # order = severity


def test_words_come_from_the_catalogue():
    assert Channel.REGISTERED_LETTER.label("fr") == "lettre recommandée AR"
    assert Escalation.FORMAL_NOTICE.label("en") == "formal notice"
    assert LetterKind.FORMAL_NOTICE.label("fr") == Template.FORMAL_NOTICE.label("fr") \
        == "mise en demeure"
    assert InsurerStatus.OK.label("fr") == "dans les délais"
    assert Decision.HOLD.label("fr") == "en attente de revue"
    assert HoldReason.INSOLVENCY.label("en") == "insolvency proceedings"
    assert dunning_labels("letter, registered_letter, sales_rep", "fr") == \
        "courrier, lettre recommandée AR, commercial"
    assert DUNNING_LABELS["postponed"]["fr"] == "reportée"
    assert ESCALATION_LABELS["broken_promise"]["en"] == "broken promise"
    assert LETTER_LABELS["colon"]["fr"] == "\u00a0:" and LETTER_LABELS["colon"]["en"] == ":"
    assert HOLD_REASONS["disputes"]["fr"] == "litiges ouverts"
    assert DECISION_LABELS["block"]["en"] == "blocked"


def test_label_tables_are_read_only():
    with pytest.raises(TypeError):
        DUNNING_LABELS["email"] = {"fr": "x", "en": "x"}
    with pytest.raises(TypeError):
        DUNNING_LABELS["email"]["fr"] = "x"
    with pytest.raises(TypeError):
        HOLD_REASONS["disputes"]["fr"] = "x"


def test_validation_uses_the_vocabularies():
    with pytest.raises(InputError) as err:
        Step(day=10, channels=("fax",), template="reminder_1")
    assert "'registered_letter'" in str(err.value) and "Channel." not in str(err.value)
    with pytest.raises(InputError, match="mise_en_demeure"):
        Step(day=10, channels=("email",), template="reminder_1", escalation="lawyer")
    step = Step(day=10, channels=[Channel.EMAIL, "letter"], template=Template.REMINDER_1,
                escalation=Escalation.FORMAL_NOTICE)
    assert step.channels == ("email", "letter") and type(step.channels[0]) is str
    assert type(step.template) is str and type(step.escalation) is str


def test_results_hold_plain_codes(demo):
    plan = plan_actions(demo, load_policy(), "2025-12-31", customers=demo["customers"])
    a = plan.actions
    assert (a["status"] == "proposed").all() and a["status"].map(type).eq(str).all()
    hist = plan.approve().to_history()
    assert set(hist["status"]) == {"sent"} and hist["status"].map(type).eq(str).all()
    assert isinstance(hist["status"].iloc[0], str)
    with pytest.raises(InputError, match="'sent', 'skipped', 'postponed'"):
        plan_actions(demo, None, "2025-12-31", hist.assign(status="done"))
    assert pd.api.types.is_string_dtype(hist["status"]) or hist["status"].dtype == object
