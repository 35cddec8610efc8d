"""Dunning (relances): policies, today's action plan, letters and scripts, legal escalation.

- :func:`load_policy` / :class:`DunningPolicy` — scenarios of steps by customer profile
  (segment × risk class × stakes), from TOML or Python;
- :func:`plan_actions` — today's actions, never repeating the history (:class:`ActionPlan`,
  reviewed with ``approve`` / ``skip`` / ``postpone``);
- :func:`render_letter` / :func:`render_batch` — letters (HTML to print, text for email) and the
  phone-call script, in French or English, rendered from figures computed beforehand
  (:func:`letter_figures`, :mod:`creditlab.dunning.claims`);
- :func:`cases_to_escalate`, :func:`injunction_file`, :func:`insurer_deadlines`,
  :func:`promises_status`, :func:`read_promises` — the legal path (DOMAIN.md §7.5) and the
  credit insurer's deadline, in codes (:func:`cases_in_words`, :func:`status_words`: words);
- :class:`Journal` / :func:`run_dunning` — the append-only dunning journal (SQLite) and the
  weekly job that records only the letters actually written
  (``creditlab dunning run|list|postpone|promise|cancel|void``);
- :mod:`creditlab.dunning.codes` — the closed vocabularies (:class:`Channel`,
  :class:`Template`, :class:`Escalation`, :class:`HistoryStatus`, ...) as ``StrEnum`` codes
  whose words are in the label catalogue.
"""

from __future__ import annotations

from creditlab.dunning.claims import (
    LetterFigures,
    late_charges,
    late_payment_claims,
    letter_figures,
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
from creditlab.dunning.escalation import (
    InjunctionFile,
    cases_in_words,
    cases_to_escalate,
    injunction_file,
    insurer_deadlines,
    promises_status,
    read_promises,
    status_words,
)
from creditlab.dunning.insolvency import (
    PROCEEDINGS,
    claims_to_declare,
    declaration_de_creance,
    proceedings_at,
)
from creditlab.dunning.journal import EventKind, Journal, RunResult, run_dunning
from creditlab.dunning.letters import (
    LETTER_KINDS,
    BatchResult,
    Letter,
    render_batch,
    render_figures,
    render_letter,
)
from creditlab.dunning.plan import (
    ACTION_COLUMNS,
    HISTORY_COLUMNS,
    ActionPlan,
    empty_history,
    plan_actions,
)
from creditlab.dunning.policy import (
    CHANNELS,
    DUNNING_LABELS,
    ESCALATIONS,
    LEGAL_ESCALATIONS,
    TEMPLATES,
    DunningPolicy,
    Rule,
    Scenario,
    Step,
    dunning_labels,
    load_policy,
    policy_from_dict,
)

__all__ = [
    "Step",
    "Scenario",
    "Rule",
    "DunningPolicy",
    "load_policy",
    "policy_from_dict",
    "CHANNELS",
    "TEMPLATES",
    "ESCALATIONS",
    "LEGAL_ESCALATIONS",
    "DUNNING_LABELS",
    "dunning_labels",
    "plan_actions",
    "ActionPlan",
    "HISTORY_COLUMNS",
    "ACTION_COLUMNS",
    "empty_history",
    "render_letter",
    "render_figures",
    "render_batch",
    "letter_figures",
    "LetterFigures",
    "late_charges",
    "late_payment_claims",
    "Channel",
    "Template",
    "LetterKind",
    "Escalation",
    "HistoryStatus",
    "ActionStatus",
    "NextAction",
    "EscalationReason",
    "PromiseStatus",
    "InsurerStatus",
    "Letter",
    "BatchResult",
    "LETTER_KINDS",
    "cases_to_escalate",
    "cases_in_words",
    "status_words",
    "injunction_file",
    "InjunctionFile",
    "insurer_deadlines",
    "promises_status",
    "read_promises",
    "PROCEEDINGS",
    "proceedings_at",
    "claims_to_declare",
    "declaration_de_creance",
    "Journal",
    "EventKind",
    "RunResult",
    "run_dunning",
]
