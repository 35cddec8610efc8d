"""Dunning policy (politique de relance): scenarios of steps, and which customer gets which.

A :class:`DunningPolicy` holds

- **scenarios** (:class:`Scenario`): ordered lists of :class:`Step` — a day relative to the due
  date (negative = courtesy reminder before the due date), channel(s), the letter or script
  template, whether the 40 € indemnity and late-payment penalties are claimed, an optional legal
  escalation and who handles it;
- **assignment rules** (:class:`Rule`) by customer profile = segment × risk class × stakes (and
  "new customer"): the first matching rule gives the scenario, else ``default_scenario``;
- the global settings: minimum amount, grouping by customer, exclusion of disputed invoices,
  deadline of the credit insurer's notification (menace de sinistre), delay given by the mise
  en demeure before the next legal step (``escalation_delay_days``).

The legal path is never skipped (DOMAIN.md §7.5): the escalations of :data:`LEGAL_ESCALATIONS`
(mise en demeure, then injonction de payer or collection agency) follow each other in the order
of the scenario; :func:`~creditlab.dunning.plan_actions` plans a later one only after every
earlier one was done for the invoice and ``escalation_delay_days`` (default 8 days, "délai
laissé par la mise en demeure") have passed since the latest. A scenario with an injonction de
payer or collection-agency step must therefore have a mise en demeure step before it. The
credit insurer's notification (``insurer_notification``) is outside that chain: it is no
prerequisite and is never delayed by it (contractual deadline, DOMAIN.md §8).

The default policy is ``creditlab/data/dunning_policy_default.toml`` (a documented default to
tune, not a norm: the law fixes what is owed — Code de commerce L441-10 II, D441-5, DOMAIN.md §7.2 —
and the legal path, DOMAIN.md §7.5; the rhythm of reminders is each company's choice).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from creditlab._checks import as_date, as_date_column
from creditlab.dunning.codes import Escalation
from creditlab.dunning.steps import (  # noqa: F401  (re-exported)
    _NEEDS_FORMAL_NOTICE,
    _RULE_FIELDS,
    CHANNELS,
    DUNNING_LABELS,
    ESCALATIONS,
    LEGAL_ESCALATIONS,
    RISK_CLASSES,
    STAKES,
    STEP_FIELDS,
    TEMPLATES,
    Rule,
    Scenario,
    Step,
    _codes,
    _is_int,
    dunning_labels,
)
from creditlab.exceptions import InputError

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
    "STEP_FIELDS",
    "DUNNING_LABELS",
    "dunning_labels",
    "DEFAULT_POLICY_FILE",
]

# steps, scenarios, rules and their vocabularies live in creditlab.dunning.steps (re-exported)
_TOP_FIELDS = ("version", "source", "min_amount", "group_by_customer", "exclude_disputed",
               "insurer_notification_days", "insurer_warning_days", "escalation_delay_days",
               "default_scenario", "journal",
               "profile", "rules", "sender", "scenarios")
_PROFILE_FIELDS = ("high_stakes_amount", "new_customer_days", "avg_days_late_bounds",
                   "unrated_class")
DEFAULT_POLICY_FILE = "dunning_policy_default.toml"
_DATA_DIR = Path(__file__).resolve().parents[1] / "data"

_DEFAULT_SENDER = {"name": "", "department": "", "address": "", "email": "", "phone": "",
                   "city": "", "signatory": ""}


# --------------------------------------------------------------------------- policy
@dataclass(frozen=True)
class DunningPolicy:
    """A complete dunning policy (see the module docstring and the default TOML file).

    Parameters
    ----------
    scenarios : dict of name → Scenario (a sequence of Scenario is accepted)
    rules : tuple of Rule
        Evaluated in order; the first match gives the scenario.
    default_scenario : str
        Scenario of customers no rule matches (default: the first scenario).
    min_amount : float
        Minimum net amount (euros TTC) owed by a customer (or by an invoice when
        ``group_by_customer`` is False) for an action to be planned; >= 0.
    group_by_customer : bool
        One action per customer grouping its overdue invoices (True) or one per invoice.
    exclude_disputed : bool
        Disputed invoices are left out of dunning until the dispute is resolved.
    insurer_notification_days : int, optional
        Days after the original due date within which the credit insurer must be notified of an
        unpaid invoice (menace de sinistre, ≈ 2-4 months, DOMAIN.md §8); None = no insurer.
        A step with ``escalation = "insurer_notification"`` must fall on or before it.
    insurer_warning_days : int
        Warn this many days before the insurer deadline.
    escalation_delay_days : int
        Délai laissé par la mise en demeure: days, counted from the date the latest earlier
        legal escalation (:data:`LEGAL_ESCALATIONS`, in practice the mise en demeure) was done
        for an invoice, before the next legal step (injonction de payer, collection agency) is
        planned for it; >= 0, default 8 (the usual delay given by a mise en demeure). Never
        applies to the insurer's notification.
    high_stakes_amount : float
        Open balance (euros TTC) from which a customer is a high stake.
    new_customer_days : int
        A customer whose ``customer_since`` is less than this many days before ``as_of`` is new.
    avg_days_late_bounds : tuple of 3 floats
        Upper bounds of risk classes 1, 2, 3 on the average days late (when no rating is given).
    unrated_class : int
        Risk class of a customer without rating nor payment history.
    sender : dict
        Letterhead used by the letters (name, department, address, email, phone, city,
        signatory).
    journal : str, optional
        Path of the dunning journal (SQLite file, :class:`creditlab.dunning.Journal`) the weekly
        run reads and records into; in a TOML file a relative path is read from the file's
        folder. None: give it to the command (``--journal``) instead.
    """

    scenarios: Mapping[str, Scenario]
    rules: tuple[Rule, ...] = ()
    default_scenario: str | None = None
    min_amount: float = 0.0
    group_by_customer: bool = True
    exclude_disputed: bool = True
    insurer_notification_days: int | None = None
    insurer_warning_days: int = 15
    escalation_delay_days: int = 8
    high_stakes_amount: float = 50_000.0
    new_customer_days: int = 365
    avg_days_late_bounds: tuple[float, float, float] = (5.0, 15.0, 30.0)
    unrated_class: int = 2
    sender: Mapping[str, str] = field(default_factory=lambda: dict(_DEFAULT_SENDER))
    version: str = ""
    source: str = ""
    journal: str | None = None

    def __post_init__(self):
        sc = self.scenarios
        if isinstance(sc, Scenario):
            sc = [sc]
        if not isinstance(sc, Mapping):
            sc = list(sc)
            if any(not isinstance(s, Scenario) for s in sc):
                raise InputError("scenarios", "Scenario objects", [type(s).__name__ for s in sc])
            sc = {s.name: s for s in sc}
        if not sc:
            raise InputError("scenarios", "at least one scenario", "none")
        object.__setattr__(self, "scenarios", dict(sc))
        object.__setattr__(self, "rules", tuple(self.rules))
        if self.default_scenario is None:
            object.__setattr__(self, "default_scenario", next(iter(self.scenarios)))
        names = list(self.scenarios)
        if self.default_scenario not in self.scenarios:
            raise InputError("default_scenario", f"one of the scenarios {names}",
                             self.default_scenario, "name an existing scenario")
        for i, r in enumerate(self.rules):
            if not isinstance(r, Rule):
                raise InputError(f"rules[{i}]", "a Rule", type(r).__name__)
            if r.scenario not in self.scenarios:
                raise InputError(f"rules[{i}].scenario", f"one of the scenarios {names}",
                                 r.scenario, "name an existing scenario")
        if isinstance(self.min_amount, bool) or not isinstance(self.min_amount, int | float) \
                or not np.isfinite(self.min_amount) or self.min_amount < 0:
            raise InputError("min_amount", "an amount in euros >= 0", self.min_amount,
                             "e.g. min_amount = 50")
        for flag in ("group_by_customer", "exclude_disputed"):
            if not isinstance(getattr(self, flag), bool):
                raise InputError(flag, "true or false", getattr(self, flag))
        d = self.insurer_notification_days
        if d is not None and (not _is_int(d) or d <= 0):
            raise InputError("insurer_notification_days", "a whole number of days > 0 or None",
                             d, "e.g. insurer_notification_days = 60")
        if d is not None:  # a notification step after the insurer's deadline loses the cover
            for sc in self.scenarios.values():
                for i, st in enumerate(sc.steps):
                    if st.escalation == Escalation.INSURER_NOTIFICATION and st.day > d:
                        raise InputError(
                            f"scenarios.{sc.name}.steps[{i}] ({st.name}).day",
                            f"a day <= insurer_notification_days ({d}): the insurer must be "
                            "notified before its deadline", st.day,
                            "move the insurer_notification step earlier, or set "
                            "insurer_notification_days to the delay of your credit-insurance "
                            "policy")
        if not _is_int(self.insurer_warning_days) or self.insurer_warning_days < 0:
            raise InputError("insurer_warning_days", "a whole number of days >= 0",
                             self.insurer_warning_days)
        if not _is_int(self.escalation_delay_days) or self.escalation_delay_days < 0:
            raise InputError("escalation_delay_days",
                             "a whole number of days >= 0 (délai laissé par la mise en demeure)",
                             self.escalation_delay_days, "e.g. escalation_delay_days = 8")
        if isinstance(self.high_stakes_amount, bool) or not isinstance(
                self.high_stakes_amount, int | float) or self.high_stakes_amount < 0:
            raise InputError("profile.high_stakes_amount", "an amount >= 0",
                             self.high_stakes_amount)
        if not _is_int(self.new_customer_days) or self.new_customer_days < 0:
            raise InputError("profile.new_customer_days", "a whole number of days >= 0",
                             self.new_customer_days)
        b = tuple(float(x) for x in self.avg_days_late_bounds)
        if len(b) != 3 or not (b[0] < b[1] < b[2]):
            raise InputError("profile.avg_days_late_bounds", "3 increasing numbers of days",
                             self.avg_days_late_bounds, "e.g. [5, 15, 30]")
        object.__setattr__(self, "avg_days_late_bounds", b)
        if self.unrated_class not in RISK_CLASSES:
            raise InputError("profile.unrated_class", f"one of {RISK_CLASSES}",
                             self.unrated_class)
        object.__setattr__(self, "sender", {**_DEFAULT_SENDER, **dict(self.sender)})

    # ------------------------------------------------------------------ views
    def steps_table(self, lang: str = "fr") -> pd.DataFrame:
        """Every step of every scenario: one row per (scenario, step), in order (``label``: the
        step's display name in ``lang``, see :meth:`Step.label`)."""
        rows = []
        for sc in self.scenarios.values():
            for i, s in enumerate(sc.steps):
                rows.append({"scenario": sc.name, "step_index": i, "day": s.day,
                             "name": s.name, "label": s.label(lang), "template": s.template,
                             "channels": ", ".join(s.channels), "claim_fees": s.claim_fees,
                             "claim_interest": s.claim_interest,
                             "escalation": s.escalation, "assignee": s.assignee})
        return pd.DataFrame(rows)

    def summary(self) -> pd.DataFrame:
        """Same as :meth:`steps_table`."""
        return self.steps_table()

    def _repr_html_(self) -> str:
        return self.steps_table()._repr_html_()

    def updated(self, **changes: Any) -> DunningPolicy:
        """A copy with some settings changed (validated again)."""
        return replace(self, **changes)

    # ------------------------------------------------------------------ profiles
    def scenario_for(self, customers: pd.DataFrame | pd.Index | Sequence[str], *,
                     as_of=None, exposure: pd.Series | None = None,
                     behaviour: pd.DataFrame | None = None) -> pd.DataFrame:
        """Profile and scenario of each customer (vectorised).

        Parameters
        ----------
        customers : DataFrame, Index or list of ids
            ``customer_id`` (column or index); optional ``segment``, ``rating_class`` or
            ``risk_class`` (1-4; ``rating_class`` of :func:`creditlab.scores.customer_rating`),
            ``stakes`` (``low``/``high``), ``customer_since`` (date).
        as_of : date-like, optional
            Needed to tell new customers (``customer_since`` within ``new_customer_days``).
        exposure : Series, optional
            Open balance (euros TTC) by ``customer_id``; at or above ``high_stakes_amount`` the
            stakes are ``"high"``. Ignored where ``customers`` has a ``stakes`` column.
        behaviour : DataFrame, optional
            :func:`creditlab.receivables.payment_behaviour` output; its ``avg_days_late``
            gives the risk class where no rating is given (bounds ``avg_days_late_bounds``).

        Returns
        -------
        DataFrame indexed by ``customer_id``: ``segment``, ``risk_class`` (1-4),
        ``stakes``, ``new_customer``, ``scenario``.
        """
        df = _customer_frame(customers)
        ids = df.index
        n = len(ids)
        seg = (df["segment"].astype("str").fillna("") if "segment" in df.columns
               else pd.Series("", index=ids, dtype="str"))
        risk = pd.Series(np.nan, index=ids, dtype="float64")
        for col in ("rating_class", "risk_class"):
            if col in df.columns:
                vals = pd.to_numeric(df[col], errors="coerce").astype("float64")
                bad = vals.notna() & ~vals.isin([float(c) for c in RISK_CLASSES])
                if bad.any():
                    raise InputError(f"customers.{col}", f"classes among {RISK_CLASSES}",
                                     sorted(set(df.loc[bad, col].astype(str)))[:5],
                                     "use the rating classes of creditlab.scores.customer_rating")
                risk = risk.fillna(vals)
        if behaviour is not None and "avg_days_late" in behaviour.columns:
            late = behaviour["avg_days_late"].reindex(ids).to_numpy(dtype="float64")
            from_late = np.searchsorted(np.asarray(self.avg_days_late_bounds), late,
                                        side="left") + 1.0
            from_late[np.isnan(late)] = np.nan
            risk = risk.fillna(pd.Series(from_late, index=ids))
        risk = risk.fillna(float(self.unrated_class)).astype("int64")
        if "stakes" in df.columns:
            stakes = df["stakes"].astype("str").fillna("low")
            bad = ~stakes.isin(STAKES)
            if bad.any():
                raise InputError("customers.stakes", f"values among {STAKES}",
                                 sorted(set(stakes[bad]))[:5])
        else:
            exp = (exposure.reindex(ids).to_numpy(dtype="float64") if exposure is not None
                   else np.zeros(n))
            stakes = pd.Series(np.where(np.nan_to_num(exp) >= self.high_stakes_amount,
                                        "high", "low"), index=ids, dtype="str")
        new = np.zeros(n, dtype=bool)
        if "customer_since" in df.columns and as_of is not None:
            since = as_date_column(df["customer_since"], "customers.customer_since",
                                   allow_missing=True)
            age = (as_date(as_of, "as_of") - since).dt.days.to_numpy(dtype="float64",
                                                                      na_value=np.nan)
            new = np.nan_to_num(age, nan=np.inf) < self.new_customer_days
        scenario = np.full(n, self.default_scenario, dtype=object)
        assigned = np.zeros(n, dtype=bool)
        for r in self.rules:  # few rules: vectorised masks per rule
            m = ~assigned
            if r.segment is not None:
                m &= seg.isin(r.segment).to_numpy(dtype=bool)
            if r.risk_class is not None:
                m &= risk.isin(r.risk_class).to_numpy(dtype=bool)
            if r.stakes is not None:
                m &= stakes.isin(r.stakes).to_numpy(dtype=bool)
            if r.new_customer is not None:
                m &= new == r.new_customer
            scenario[m] = r.scenario
            assigned |= m
        return pd.DataFrame({"segment": seg.to_numpy(), "risk_class": risk.to_numpy(),
                             "stakes": stakes.to_numpy(), "new_customer": new,
                             "scenario": pd.array(scenario, dtype="str")},
                            index=pd.Index(ids, name="customer_id"))


def _customer_frame(customers) -> pd.DataFrame:
    """Customers as a DataFrame indexed by customer_id (unique)."""
    if isinstance(customers, pd.DataFrame):
        if "customer_id" in customers.columns:
            df = customers.set_index(customers["customer_id"].astype("str"))
            df = df.drop(columns="customer_id")
        else:
            df = customers.copy()
            df.index = df.index.astype("str")
    elif isinstance(customers, pd.Index | pd.Series | list | tuple | np.ndarray):
        df = pd.DataFrame(index=pd.Index(pd.Series(list(customers), dtype="str")))
    else:
        raise InputError("customers", "a DataFrame with customer_id, or a list of ids",
                         type(customers).__name__)
    df.index.name = "customer_id"
    if df.index.hasnans:
        raise InputError("customers.customer_id", "an id on every row", "missing ids")
    if df.index.has_duplicates:
        raise InputError("customers.customer_id", "one row per customer",
                         df.index[df.index.duplicated()].unique()[:5].tolist(),
                         "remove the duplicated customers")
    return df


# --------------------------------------------------------------------------- loading
def _check_keys(d: Mapping, allowed: Sequence[str], where: str) -> None:
    unknown = [k for k in d if k not in allowed]
    if unknown:
        raise InputError(where, f"fields among {list(allowed)}", unknown,
                         "remove or rename the unknown field(s)")


def _steps_from(raw: object, scenario: str) -> tuple[Step, ...]:
    if not isinstance(raw, list):
        raise InputError(f"scenarios.{scenario}.steps", "an array of [[...steps]] tables",
                         type(raw).__name__)
    steps = []
    for i, d in enumerate(raw):
        where = f"scenarios.{scenario}.steps[{i}]"
        if not isinstance(d, Mapping):
            raise InputError(where, "a table of step fields", d)
        label = f"{where} ({d.get('name', 'day ' + str(d.get('day')))})"
        _check_keys(d, STEP_FIELDS, label)
        for req in ("day", "channels", "template"):
            if req not in d:
                raise InputError(f"{label}.{req}", "a value", "missing",
                                 f"add {req} = ... to the step")
        try:
            steps.append(Step(**d))
        except InputError as err:
            raise InputError(f"{label}: {err.name}", err.expected, err.got, err.fix) from None
    return tuple(steps)


def policy_from_dict(d: Mapping) -> DunningPolicy:
    """Build a :class:`DunningPolicy` from the structure of the TOML file."""
    if not isinstance(d, Mapping):
        raise InputError("policy", "a mapping (the TOML structure)", type(d).__name__)
    _check_keys(d, _TOP_FIELDS, "policy")
    raw_sc = d.get("scenarios")
    if not isinstance(raw_sc, Mapping) or not raw_sc:
        raise InputError("scenarios", "at least one [scenarios.NAME] table", raw_sc,
                         "see creditlab/data/dunning_policy_default.toml")
    scenarios = {}
    for name, body in raw_sc.items():
        if not isinstance(body, Mapping):
            raise InputError(f"scenarios.{name}", "a table with steps", body)
        _check_keys(body, ("label_fr", "label_en", "steps"), f"scenarios.{name}")
        scenarios[name] = Scenario(name, _steps_from(body.get("steps"), name),
                                   body.get("label_fr", ""), body.get("label_en", ""))
    rules = []
    for i, r in enumerate(d.get("rules", [])):
        if not isinstance(r, Mapping):
            raise InputError(f"rules[{i}]", "a table", r)
        _check_keys(r, _RULE_FIELDS, f"rules[{i}]")
        if "scenario" not in r:
            raise InputError(f"rules[{i}].scenario", "a scenario name", "missing")
        rules.append(Rule(**r))
    profile = d.get("profile", {})
    _check_keys(profile, _PROFILE_FIELDS, "profile")
    kw = {k: d[k] for k in ("min_amount", "group_by_customer", "exclude_disputed",
                            "insurer_notification_days", "insurer_warning_days",
                            "escalation_delay_days", "default_scenario", "version", "source",
                            "journal")
          if k in d}
    kw.update({k: profile[k] for k in _PROFILE_FIELDS if k in profile})
    if "avg_days_late_bounds" in kw:
        kw["avg_days_late_bounds"] = tuple(kw["avg_days_late_bounds"])
    return DunningPolicy(scenarios=scenarios, rules=tuple(rules), sender=d.get("sender", {}),
                         **kw)


def load_policy(path: str | Path | None = None) -> DunningPolicy:
    """Read and validate a dunning policy from TOML.

    Parameters
    ----------
    path : str or Path, optional
        A TOML file with the structure of ``creditlab/data/dunning_policy_default.toml``;
        None reads that default.

    Raises
    ------
    InputError
        Unreadable TOML, unknown field (naming the scenario and step), unsorted step days,
        unknown channel, template or escalation, an injonction de payer or collection-agency
        step without a mise en demeure step before it, rules naming unknown scenarios.
    """
    p = _DATA_DIR / DEFAULT_POLICY_FILE if path is None else Path(path)
    if not p.exists():
        raise InputError("path", "an existing TOML file", str(p),
                         "pass the path of your policy, or None for the default")
    try:
        with open(p, "rb") as fh:
            raw = tomllib.load(fh)
    except tomllib.TOMLDecodeError as err:
        raise InputError("path", "valid TOML", f"{p.name}: {err}",
                         "fix the syntax of the policy file") from None
    policy = policy_from_dict(raw)
    if policy.journal and not Path(policy.journal).is_absolute():
        # a journal named in a policy file lives beside it, wherever the job is started from
        policy = replace(policy, journal=str(p.parent / policy.journal))
    return policy
