"""The credit policy: every tunable number of credit limits and credit hold, in one object.

The default lives in ``creditlab/data/credit_policy_default.toml`` (a documented default to tune,
with the source of each section). A policy is immutable: :meth:`CreditPolicy.updated` returns a
new policy with some values changed.
"""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from creditlab.exceptions import InputError
from creditlab.limits.codes import Decision

__all__ = ["CreditPolicy", "CAPACITY_METHODS", "DECISIONS", "CLASSES", "DEFAULT_POLICY_FILE"]

#: Capacity methods (caps on the limit) in the order they are reported.
CAPACITY_METHODS = ("net_worth", "working_capital", "turnover", "purchases", "concentration",
                    "sector", "no_financials")
#: Credit-hold decisions, by increasing severity.
DECISIONS = tuple(Decision)
#: Internal risk classes (1 best ... 4 worst).
CLASSES = (1, 2, 3, 4)
DEFAULT_POLICY_FILE = "credit_policy_default.toml"
_DATA_DIR = Path(__file__).resolve().parents[1] / "data"

_RULES = ("most_restrictive", "average", "weighted")
_NEED_METHODS = ("monthly_sales", "afdcc")


def _deep_merge(base: dict, changes: Mapping) -> dict:
    out = copy.deepcopy(base)
    for key, value in changes.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _get(d: Mapping, path: str) -> Any:
    node: Any = d
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            raise InputError(f"policy.{path}", "a value (see credit_policy_default.toml)",
                             "missing", "start from CreditPolicy.load() and change values "
                                        "with .updated({...})")
        node = node[part]
    return node


def _number(d: Mapping, path: str, lo: float | None = None, hi: float | None = None) -> float:
    v = _get(d, path)
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise InputError(f"policy.{path}", "a number", v)
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        raise InputError(f"policy.{path}", f"a number in [{lo}, {hi}]", v)
    return float(v)


def _class_map(d: Mapping, path: str, lo: float, hi: float | None) -> dict[int, float]:
    raw = _get(d, path)
    if not isinstance(raw, Mapping):
        raise InputError(f"policy.{path}", "a table {1 = ..., 2 = ..., 3 = ..., 4 = ...}", raw)
    out: dict[int, float] = {}
    for cls in CLASSES:
        if str(cls) not in raw and cls not in raw:
            raise InputError(f"policy.{path}", f"a value for every class {CLASSES}",
                             f"missing class {cls}")
        v = raw.get(str(cls), raw.get(cls))
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v < lo or (
                hi is not None and v > hi):
            raise InputError(f"policy.{path}.{cls}", f"a number in [{lo}, {hi}]", v)
        out[cls] = float(v)
    return out


def _decision(d: Mapping, path: str) -> str:
    v = _get(d, path)
    if v not in DECISIONS:
        raise InputError(f"policy.{path}", f"one of {[str(d) for d in Decision]}", v)
    return v


@dataclass(frozen=True)
class CreditPolicy:
    """A validated credit policy (limits, combination, review, hold, insurance share).

    Build it with :meth:`load` (the bundled default or a TOML file), :meth:`from_dict`, or
    :meth:`updated` on an existing policy. Every value is checked on construction; a wrong or
    missing value raises :class:`~creditlab.exceptions.InputError` naming its key.
    """

    data: Mapping[str, Any] = field(repr=False)

    def __post_init__(self) -> None:
        d = self.data
        if _get(d, "need.method") not in _NEED_METHODS:
            raise InputError("policy.need.method", f"one of {_NEED_METHODS}",
                             _get(d, "need.method"))
        _number(d, "need.billing_lag_days", 0, 365)
        months = _number(d, "need.sales_months", 1, 120)
        if months != int(months):
            raise InputError("policy.need.sales_months", "a whole number of months", months)
        for code in _get(d, "need.term_days"):
            if code != "source":
                _number(d, f"need.term_days.{code}", 0, 365)
        if _get(d, "combination.rule") not in _RULES:
            raise InputError("policy.combination.rule", f"one of {_RULES}",
                             _get(d, "combination.rule"))
        if _get(d, "methods.net_worth.basis") not in ("tangible", "equity"):
            raise InputError("policy.methods.net_worth.basis", "'tangible' or 'equity'",
                             _get(d, "methods.net_worth.basis"))
        for m in (*CAPACITY_METHODS, "insurer"):
            if not isinstance(_get(d, f"methods.{m}.enabled"), bool):
                raise InputError(f"policy.methods.{m}.enabled", "true or false",
                                 _get(d, f"methods.{m}.enabled"))
        for m in ("net_worth", "turnover", "purchases"):
            _class_map(d, f"methods.{m}.k", 0.0, 10.0)
        _number(d, "methods.working_capital.k", 0, 10)
        _number(d, "methods.concentration.k", 0, 1)
        _number(d, "methods.no_financials.cap", 0)
        _number(d, "methods.insurer.self_retained_tolerance", 0)
        # coefficients <= 1: the rating adjustment never raises a limit above its binding cap
        _class_map(d, "rating_coefficient", 0.0, 1.0)
        _class_map(d, "review.months", 1.0, 120.0)
        unrated = _get(d, "classes.unrated")
        if unrated not in CLASSES:
            raise InputError("policy.classes.unrated", f"one of {CLASSES}", unrated)
        _number(d, "rounding.step", 0)
        _number(d, "exposure.insured_share", 0, 1)
        ccp_days = _get(d, "need.afdcc.ccp_days_late")
        ccp = _get(d, "need.afdcc.ccp")
        if (not isinstance(ccp_days, list) or not isinstance(ccp, list)
                or len(ccp) != len(ccp_days) + 1 or sorted(ccp_days) != list(ccp_days)):
            raise InputError("policy.need.afdcc.ccp", "one more coefficient than "
                             "ccp_days_late bounds (increasing)", (ccp_days, ccp))
        for key in ("over_limit", "no_limit", "insurer_cancelled", "disputes", "insolvency"):
            _decision(d, f"hold.{key}")
        _number(d, "hold.block_over_limit_share", 0)
        _number(d, "hold.overdue_amount_hold", 0)
        hold_days = _number(d, "hold.overdue_days_hold", 0)
        block_days = _number(d, "hold.overdue_days_block", 0)
        if block_days < hold_days:
            raise InputError("policy.hold.overdue_days_block", f"a number >= overdue_days_hold "
                             f"({hold_days})", block_days)
        for key in ("rating_hold_class", "rating_block_class"):
            if _get(d, f"hold.{key}") not in CLASSES:
                raise InputError(f"policy.hold.{key}", f"one of {CLASSES}", _get(d, f"hold.{key}"))
        _number(d, "hold.disputes_amount_hold", 0)

    # ---- construction ------------------------------------------------------------------------
    @classmethod
    def load(cls, path: str | Path | None = None) -> CreditPolicy:
        """Load a policy from a TOML file (default: the bundled ``credit_policy_default.toml``)."""
        if path is None:
            text = (_DATA_DIR / DEFAULT_POLICY_FILE).read_text(encoding="utf-8")
            origin = DEFAULT_POLICY_FILE
        else:
            p = Path(path)
            if not p.exists():
                raise InputError("path", "an existing TOML policy file", str(p),
                                 "copy creditlab/data/credit_policy_default.toml and edit it")
            text = p.read_text(encoding="utf-8")
            origin = str(p)
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise InputError("path", "a valid TOML file", origin, str(exc)) from None
        return cls(data)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CreditPolicy:
        """Build a policy from a nested dict shaped like the TOML file."""
        if not isinstance(data, Mapping):
            raise InputError("data", "a nested dict shaped like credit_policy_default.toml",
                             type(data).__name__)
        return cls(copy.deepcopy(dict(data)))

    def to_dict(self) -> dict[str, Any]:
        """The policy as a nested dict (a deep copy, same shape as the TOML file)."""
        return copy.deepcopy(dict(self.data))

    def updated(self, changes: Mapping[str, Any]) -> CreditPolicy:
        """A new policy with ``changes`` (a nested dict) merged in, e.g.
        ``policy.updated({"combination": {"rule": "average"}})``."""
        return CreditPolicy(_deep_merge(self.to_dict(), changes))

    # ---- typed accessors ---------------------------------------------------------------------
    def get(self, path: str) -> Any:
        """Value at a dotted path, e.g. ``policy.get("hold.overdue_days_hold")``."""
        return copy.deepcopy(_get(self.data, path))

    def class_map(self, path: str) -> dict[int, float]:
        """A per-class table as ``{1: ..., 2: ..., 3: ..., 4: ...}``."""
        return _class_map(self.data, path, float("-inf"), None)

    def enabled(self, method: str) -> bool:
        return bool(_get(self.data, f"methods.{method}.enabled"))

    @property
    def term_days(self) -> dict[str, float]:
        return {k: float(v) for k, v in _get(self.data, "need.term_days").items()
                if k != "source"}

    @property
    def rule(self) -> str:
        return _get(self.data, "combination.rule")

    @property
    def insured_share(self) -> float:
        return float(_get(self.data, "exposure.insured_share"))

    def summary(self):
        """The flat list of settings as a DataFrame (key, value)."""
        rows = []

        def walk(node, prefix):
            for k, v in node.items():
                key = f"{prefix}.{k}" if prefix else str(k)
                if isinstance(v, Mapping):
                    walk(v, key)
                else:
                    rows.append((key, v))

        walk(self.data, "")
        return pd.DataFrame(rows, columns=["key", "value"]).set_index("key")

    def _repr_html_(self) -> str:
        return self.summary().to_html()
