"""The pieces of a dunning policy: steps, scenarios, assignment rules and their vocabularies.

- :class:`Step` — a day relative to the due date (negative: a courtesy reminder before it),
  channel(s), template, penalties and indemnity claimed or not, an optional escalation, who
  handles it; :class:`Scenario` — an ordered list of steps (the legal path checked: a mise en
  demeure before an injonction de payer or a collection agency); :class:`Rule` — which profile
  (segment × risk class × stakes, new customer) gets which scenario;
- :data:`CHANNELS`, :data:`TEMPLATES`, :data:`ESCALATIONS`, :data:`LEGAL_ESCALATIONS` and
  their words (:data:`DUNNING_LABELS`, :func:`dunning_labels`).

:class:`~creditlab.dunning.policy.DunningPolicy` assembles them (and re-exports every name).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from creditlab._vocabulary import label_table
from creditlab.dunning.codes import (
    LEGAL_CHAIN,
    ROLES,
    ActionStatus,
    Channel,
    Escalation,
    HistoryStatus,
    Template,
)
from creditlab.exceptions import InputError

__all__ = ["Step", "Scenario", "Rule", "CHANNELS", "TEMPLATES", "ESCALATIONS",
           "LEGAL_ESCALATIONS", "STEP_FIELDS", "STAKES", "RISK_CLASSES", "DUNNING_LABELS",
           "dunning_labels"]

#: Channels of a dunning step (:class:`~creditlab.dunning.codes.Channel` codes).
CHANNELS = tuple(Channel)
#: Templates a step may use (letters and scripts of :mod:`creditlab.dunning.letters`).
TEMPLATES = tuple(Template)
#: Legal escalations a step may trigger (DOMAIN.md §7.5, §8).
ESCALATIONS = tuple(Escalation)
#: Escalations of the legal path (DOMAIN.md §7.5), never skipped: in a scenario, each one is a
#: prerequisite of the later ones (the mise en demeure before the injonction de payer or the
#: collection agency). ``insurer_notification`` is not part of it: it is nobody's prerequisite
#: and waits for nothing (the insurer's contractual deadline, DOMAIN.md §8).
LEGAL_ESCALATIONS = LEGAL_CHAIN
#: Legal escalations that need a mise en demeure step earlier in their scenario.
_NEEDS_FORMAL_NOTICE = (Escalation.PAYMENT_ORDER, Escalation.COLLECTION_AGENCY)
#: Fields of a step in a TOML policy.
STEP_FIELDS = ("day", "channels", "template", "claim_fees", "claim_interest", "escalation",
               "assignee", "name", "name_en")
_RULE_FIELDS = ("scenario", "segment", "risk_class", "stakes", "new_customer")
STAKES = ("low", "high")
RISK_CLASSES = (1, 2, 3, 4)

#: French / English words of channels, templates, escalations, roles and statuses, read-only,
#: from the label catalogue (``creditlab/data/labels/dunning.csv``); kept for compatibility —
#: prefer ``Channel.EMAIL.label(lang)`` or :func:`dunning_labels`.
DUNNING_LABELS = label_table(Channel, Template, Escalation, HistoryStatus, ActionStatus,
                             extra={**ROLES, "escalation_delay_days": "escalation_delay_days"})


def _codes(vocabulary) -> list[str]:
    """The codes of a vocabulary as plain strings (for messages)."""
    return [str(m) for m in vocabulary]


def dunning_labels(codes: object, lang: str = "fr") -> str:
    """Labels of ``", "``-separated codes (channels, templates, escalations, roles):
    ``"letter, phone"`` → ``"courrier, téléphone"``; unknown codes are kept, a missing value
    gives ``""``."""
    if not isinstance(codes, str):
        return ""
    keys = [c.strip() for c in codes.split(",") if c.strip()]
    return ", ".join(DUNNING_LABELS.get(k, {}).get(lang, k) for k in keys)

def _is_int(v: object) -> bool:
    return isinstance(v, int | np.integer) and not isinstance(v, bool | np.bool_)


# --------------------------------------------------------------------------- steps
@dataclass(frozen=True)
class Step:
    """One step of a dunning scenario.

    Parameters
    ----------
    day : int
        Days relative to the due date at which the step applies (``days_past_due >= day``);
        negative = courtesy reminder before the due date, 0 = on the due date.
    channels : tuple of str
        Among ``email, letter, phone, registered_letter`` (at least one).
    template : str
        Letter or script: ``courtesy, reminder_1, reminder_2, formal_notice, statement,
        phone_script, injunction_file``.
    claim_fees : bool
        Claim the fixed recovery indemnity (40 € per late invoice, D441-5).
    claim_interest : bool
        Claim late-payment penalties (L441-10 II).
    escalation : str, optional
        ``mise_en_demeure, injonction_de_payer, collection_agency, insurer_notification``.
    assignee : str
        Who handles the step: a role (``credit_manager``, ``collector``, ``legal``...) or
        ``sales_rep`` = the customer's sales representative (``customers.sales_rep``).
    name : str, optional
        Short label (French); default ``"<template> J<day>"``.
    name_en : str, optional
        Its English name (``"formal notice D+45"``); default: what the step does and its day.
    """

    day: int
    channels: tuple[str, ...]
    template: str
    claim_fees: bool = False
    claim_interest: bool = False
    escalation: str | None = None
    assignee: str = "credit_manager"
    name: str = ""
    name_en: str = ""

    def __post_init__(self):
        if not _is_int(self.day):
            raise InputError("step.day", "a whole number of days relative to the due date",
                             self.day, "e.g. day = -5 (before due) or day = 15")
        channels = self.channels
        if isinstance(channels, str):
            channels = (channels,)
        try:
            channels = tuple(channels)
        except TypeError:
            raise InputError("step.channels", f"a list among {_codes(Channel)}", self.channels,
                             "e.g. channels = ['email', 'letter']") from None
        if not channels:
            raise InputError("step.channels", f"at least one of {_codes(Channel)}",
                             self.channels,
                             "e.g. channels = ['email']")
        bad = [c for c in channels if c not in CHANNELS]
        if bad:
            raise InputError("step.channels", f"channels among {_codes(Channel)}", bad,
                             "fix the spelling of the channel")
        object.__setattr__(self, "channels", tuple(Channel(c).value for c in channels))
        if self.template not in TEMPLATES:
            raise InputError("step.template", f"one of {_codes(Template)}", self.template,
                             "fix the template name")
        object.__setattr__(self, "template", Template(self.template).value)
        for flag in ("claim_fees", "claim_interest"):
            if not isinstance(getattr(self, flag), bool | np.bool_):
                raise InputError(f"step.{flag}", "true or false", getattr(self, flag))
        if self.escalation is not None:
            if self.escalation not in ESCALATIONS:
                raise InputError("step.escalation", f"one of {_codes(Escalation)} or nothing",
                                 self.escalation, "fix the escalation or remove it")
            object.__setattr__(self, "escalation", Escalation(self.escalation).value)
        if not isinstance(self.assignee, str) or not self.assignee:
            raise InputError("step.assignee", "a non-empty role name", self.assignee,
                             "e.g. assignee = 'credit_manager' or 'sales_rep'")
        if not self.name:
            object.__setattr__(self, "name", f"{self.template} J{self.day:+d}")
        if not isinstance(self.name_en, str):
            raise InputError("step.name_en", "the step's English name, or nothing",
                             self.name_en, "e.g. name_en = 'formal notice D+45'")

    def label(self, lang: str = "fr") -> str:
        """Display name: the step's ``name`` in French; in English its ``name_en``, else what it
        does and its day (``"formal notice D+45"``)."""
        if lang == "fr":
            return self.name
        if self.name_en:
            return self.name_en
        what = DUNNING_LABELS[self.escalation or self.template]["en"]
        return f"{what} D{self.day:+d}"


@dataclass(frozen=True)
class Scenario:
    """A named, ordered list of :class:`Step` (strictly increasing days)."""

    name: str
    steps: tuple[Step, ...]
    label_fr: str = ""
    label_en: str = ""

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name:
            raise InputError("scenario.name", "a non-empty name", self.name)
        steps = tuple(self.steps)
        if not steps:
            raise InputError(f"scenarios.{self.name}.steps", "at least one step", "none",
                             "add steps to the scenario")
        for i, s in enumerate(steps):
            if not isinstance(s, Step):
                raise InputError(f"scenarios.{self.name}.steps[{i}]", "a Step", type(s).__name__)
        days = [s.day for s in steps]
        for i in range(1, len(days)):
            if days[i] <= days[i - 1]:
                raise InputError(
                    f"scenarios.{self.name}.steps[{i}] ({steps[i].name})",
                    "days in strictly increasing order",
                    f"day {days[i]} after day {days[i - 1]}",
                    "sort the steps by day and remove duplicated days")
        for i, s in enumerate(steps):  # the legal path starts with a mise en demeure (§7.5)
            if s.escalation in _NEEDS_FORMAL_NOTICE and not any(
                    p.escalation == Escalation.FORMAL_NOTICE for p in steps[:i]):
                raise InputError(
                    f"scenarios.{self.name}.steps[{i}] ({s.name}).escalation",
                    "a mise_en_demeure step earlier in the scenario: an injonction de payer or "
                    "a collection agency follows a formal notice left unanswered (DOMAIN.md "
                    "§7.5)", s.escalation,
                    "add a step with template = 'formal_notice' and escalation = "
                    "'mise_en_demeure' before it")
        object.__setattr__(self, "steps", steps)

    @property
    def days(self) -> np.ndarray:
        """Days of the steps (int64, increasing)."""
        return np.array([s.day for s in self.steps], dtype="int64")

    def label(self, lang: str = "fr") -> str:
        return (self.label_fr if lang == "fr" else self.label_en) or self.name


@dataclass(frozen=True)
class Rule:
    """Assignment rule: customers matching every given condition get ``scenario``.

    ``None`` means "any". ``segment``: segment values; ``risk_class``: classes 1-4;
    ``stakes``: ``"low"``/``"high"``; ``new_customer``: True/False.
    """

    scenario: str
    segment: tuple[str, ...] | None = None
    risk_class: tuple[int, ...] | None = None
    stakes: tuple[str, ...] | None = None
    new_customer: bool | None = None

    def __post_init__(self):
        for name in ("segment", "risk_class", "stakes"):
            v = getattr(self, name)
            if v is None:
                continue
            if isinstance(v, str) or _is_int(v):
                v = (v,)
            object.__setattr__(self, name, tuple(v))
        if self.risk_class is not None and any(c not in RISK_CLASSES for c in self.risk_class):
            raise InputError(f"rules[{self.scenario}].risk_class", f"classes among {RISK_CLASSES}",
                             self.risk_class)
        if self.stakes is not None and any(s not in STAKES for s in self.stakes):
            raise InputError(f"rules[{self.scenario}].stakes", f"values among {STAKES}",
                             self.stakes)
        if self.new_customer is not None and not isinstance(self.new_customer, bool):
            raise InputError(f"rules[{self.scenario}].new_customer", "true or false",
                             self.new_customer)
