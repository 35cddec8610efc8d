"""Closed vocabularies of dunning, as ``StrEnum``\\ s of stable codes.

A member *is* its code (``Channel.EMAIL == "email"``), so tables, TOML policies and history
files keep plain strings; the words a person reads (French or English) come from the label
catalogue (``creditlab/data/labels/dunning.csv``, keys ``<vocabulary>.<code>`` such as
``channel.email``): ``Channel.EMAIL.label("fr") == "courriel"``.

Codes are English, except the legal escalations stored in policies and history files since the
first version — ``mise_en_demeure`` (formal notice) and ``injonction_de_payer`` (payment order)
— kept as values for file compatibility; their member names are English
(``Escalation.FORMAL_NOTICE``, ``Escalation.PAYMENT_ORDER``).
"""

from __future__ import annotations

from types import MappingProxyType

from creditlab._vocabulary import Vocabulary, label_table

__all__ = ["Vocabulary", "Channel", "Template", "LetterKind", "Escalation", "LEGAL_CHAIN", "HistoryStatus",
           "ActionStatus", "NextAction", "EscalationReason", "PromiseStatus", "InsurerStatus",
           "ROLES", "label_table"]


class Channel(Vocabulary):
    """How a step reaches the customer."""

    EMAIL = "email"
    LETTER = "letter"
    PHONE = "phone"
    REGISTERED_LETTER = "registered_letter"


class Template(Vocabulary):
    """Letter, script or file a step produces."""

    COURTESY = "courtesy"
    REMINDER_1 = "reminder_1"
    REMINDER_2 = "reminder_2"
    FORMAL_NOTICE = "formal_notice"
    STATEMENT = "statement"
    PHONE_SCRIPT = "phone_script"
    INJUNCTION_FILE = "injunction_file"


class LetterKind(Vocabulary):
    """Templates rendered by :func:`creditlab.dunning.render_letter` (the injonction de payer
    file is rendered by :func:`creditlab.dunning.injunction_file`)."""

    COURTESY = "courtesy"
    REMINDER_1 = "reminder_1"
    REMINDER_2 = "reminder_2"
    FORMAL_NOTICE = "formal_notice"
    STATEMENT = "statement"
    PHONE_SCRIPT = "phone_script"

    @classmethod
    def key_prefix(cls) -> str:
        """Letter kinds are templates: same words."""
        return "template"


class Escalation(Vocabulary):
    """Legal escalation a step triggers (DOMAIN.md §7.5, §8); French values kept for file
    compatibility."""

    FORMAL_NOTICE = "mise_en_demeure"
    PAYMENT_ORDER = "injonction_de_payer"
    COLLECTION_AGENCY = "collection_agency"
    INSURER_NOTIFICATION = "insurer_notification"


#: Escalations of the legal path, never skipped, each a prerequisite of the later ones in a
#: scenario; the insurer's notification is outside it (contractual deadline, DOMAIN.md §8).
LEGAL_CHAIN = (Escalation.FORMAL_NOTICE, Escalation.PAYMENT_ORDER, Escalation.COLLECTION_AGENCY)


class HistoryStatus(Vocabulary):
    """Status of a row of the dunning history."""

    SENT = "sent"
    SKIPPED = "skipped"
    POSTPONED = "postponed"


class ActionStatus(Vocabulary):
    """Status of an action of an :class:`~creditlab.dunning.ActionPlan` under review."""

    PROPOSED = "proposed"
    APPROVED = "approved"
    SKIPPED = "skipped"
    POSTPONED = "postponed"


class NextAction(Vocabulary):
    """What is really next on the legal path of an item
    (:func:`creditlab.dunning.plan.legal_next_action`)."""

    FORMAL_NOTICE_TO_SEND = "formal_notice_to_send"
    FORMAL_NOTICE_DELAY = "formal_notice_delay"
    PAYMENT_ORDER = "injonction_de_payer"
    COLLECTION_AGENCY = "collection_agency"
    AWAITING_NEXT_STEP = "awaiting_next_step"
    LEGAL_PATH_DONE = "legal_path_done"


class EscalationReason(Vocabulary):
    """Why a customer is a case to escalate (:func:`creditlab.dunning.cases_to_escalate`)."""

    ESCALATION_STEP = "escalation_step"
    BEYOND_LAST_STEP = "beyond_last_step"
    BROKEN_PROMISE = "broken_promise"


class PromiseStatus(Vocabulary):
    """Status of a promise to pay (:func:`creditlab.dunning.promises_status`)."""

    KEPT = "kept"
    BROKEN = "broken"
    DUE = "due"
    PENDING = "pending"
    TO_CHECK = "to_check"


class InsurerStatus(Vocabulary):
    """Status of the insurer's notification deadline (:func:`creditlab.dunning.insurer_deadlines`)."""

    NOTIFIED = "notified"
    MISSED = "missed"
    URGENT = "urgent"
    OK = "ok"


#: Roles a step may be assigned to (``assignee``; any other text is a person's name), with the
#: catalogue key of their words.
ROLES = MappingProxyType({"credit_manager": "role.credit_manager", "collector": "role.collector",
                          "legal": "role.legal", "sales_rep": "role.sales_rep"})
