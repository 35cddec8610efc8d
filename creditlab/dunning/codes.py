"""Closed vocabularies of dunning, as ``StrEnum``\\ s of stable codes.

A member *is* its code (``Channel.EMAIL == "email"``), so tables, TOML policies and history
files keep plain strings; the words a person reads (French or English) come from the label
catalogue (``creditlab/data/labels/dunning.csv``, :func:`creditlab.labels.text`).

Codes are English, except the legal escalations stored in policies and history files since the
first version — ``mise_en_demeure`` (formal notice) and ``injonction_de_payer`` (payment order)
— kept as values for file compatibility; their member names are English
(``Escalation.FORMAL_NOTICE``, ``Escalation.PAYMENT_ORDER``).
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Channel", "Template", "LetterKind", "Escalation", "LEGAL_CHAIN", "HistoryStatus",
           "ActionStatus", "NextAction", "EscalationReason", "PromiseStatus", "InsurerStatus"]


class Channel(StrEnum):
    """How a step reaches the customer."""

    EMAIL = "email"
    LETTER = "letter"
    PHONE = "phone"
    REGISTERED_LETTER = "registered_letter"


class Template(StrEnum):
    """Letter, script or file a step produces."""

    COURTESY = "courtesy"
    REMINDER_1 = "reminder_1"
    REMINDER_2 = "reminder_2"
    FORMAL_NOTICE = "formal_notice"
    STATEMENT = "statement"
    PHONE_SCRIPT = "phone_script"
    INJUNCTION_FILE = "injunction_file"


class LetterKind(StrEnum):
    """Templates rendered by :func:`creditlab.dunning.render_letter` (the injonction de payer
    file is rendered by :func:`creditlab.dunning.injunction_file`)."""

    COURTESY = "courtesy"
    REMINDER_1 = "reminder_1"
    REMINDER_2 = "reminder_2"
    FORMAL_NOTICE = "formal_notice"
    STATEMENT = "statement"
    PHONE_SCRIPT = "phone_script"


class Escalation(StrEnum):
    """Legal escalation a step triggers (DOMAIN.md §7.5, §8); French values kept for file
    compatibility."""

    FORMAL_NOTICE = "mise_en_demeure"
    PAYMENT_ORDER = "injonction_de_payer"
    COLLECTION_AGENCY = "collection_agency"
    INSURER_NOTIFICATION = "insurer_notification"


#: Escalations of the legal path, never skipped, each a prerequisite of the later ones in a
#: scenario; the insurer's notification is outside it (contractual deadline, DOMAIN.md §8).
LEGAL_CHAIN = (Escalation.FORMAL_NOTICE, Escalation.PAYMENT_ORDER, Escalation.COLLECTION_AGENCY)


class HistoryStatus(StrEnum):
    """Status of a row of the dunning history."""

    SENT = "sent"
    SKIPPED = "skipped"
    POSTPONED = "postponed"


class ActionStatus(StrEnum):
    """Status of an action of an :class:`~creditlab.dunning.ActionPlan` under review."""

    PROPOSED = "proposed"
    APPROVED = "approved"
    SKIPPED = "skipped"
    POSTPONED = "postponed"


class NextAction(StrEnum):
    """What is really next on the legal path of an item
    (:func:`creditlab.dunning.plan.legal_next_action`)."""

    FORMAL_NOTICE_TO_SEND = "formal_notice_to_send"
    FORMAL_NOTICE_DELAY = "formal_notice_delay"
    PAYMENT_ORDER = "injonction_de_payer"
    COLLECTION_AGENCY = "collection_agency"
    AWAITING_NEXT_STEP = "awaiting_next_step"
    LEGAL_PATH_DONE = "legal_path_done"


class EscalationReason(StrEnum):
    """Why a customer is a case to escalate (:func:`creditlab.dunning.cases_to_escalate`)."""

    ESCALATION_STEP = "escalation_step"
    BEYOND_LAST_STEP = "beyond_last_step"
    BROKEN_PROMISE = "broken_promise"


class PromiseStatus(StrEnum):
    """Status of a promise to pay (:func:`creditlab.dunning.promises_status`)."""

    KEPT = "kept"
    BROKEN = "broken"
    DUE = "due"
    PENDING = "pending"
    TO_CHECK = "to_check"


class InsurerStatus(StrEnum):
    """Status of the insurer's notification deadline (:func:`creditlab.dunning.insurer_deadlines`)."""

    NOTIFIED = "notified"
    MISSED = "missed"
    URGENT = "urgent"
    OK = "ok"
