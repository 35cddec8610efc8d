"""The sections of the credit charter: each policy dict turned into rows of words and values.

Used by :mod:`creditlab.finance.charter`; known keys get their French (or English) label and
format, unknown keys are shown raw so that a new policy setting is never silently dropped.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from creditlab._cache import reference_cache
from creditlab.documents import format_amount, format_percent
from creditlab.dunning.policy import DUNNING_LABELS
from creditlab.exceptions import InputError
from creditlab.finance import _common as c
from creditlab.finance.charter_labels import (
    _CHANNELS,
    _DECISIONS,
    _DUNNING_SETTINGS,
    _DUNNING_SKIPPED,
    _HOLD_KEYS,
    _METHOD_LABELS,
    _NO,
    _RACI_LETTERS,
    _RULES,
    _SCENARIO_KEYS,
    _STEP_COLUMNS,
    _TERM_CODES,
    _TERMS_KEYS,
    _YES,
    RACI_ROLES,
)
from creditlab.finance.insurance import CreditInsurancePolicy
from creditlab.i18n import check_lang


# ---------------------------------------------------------------------------------------------
# value formatting
# ---------------------------------------------------------------------------------------------
def _fmt(v: Any, lang: str) -> str:
    """Generic display of a raw value (unknown keys)."""
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "—"
    if isinstance(v, (bool, np.bool_)):
        return (_YES if v else _NO)[lang]
    if isinstance(v, Mapping):
        return " ; ".join(f"{k} : {_fmt(x, lang)}" if lang == "fr" else f"{k}: {_fmt(x, lang)}"
                          for k, x in v.items() if k != "source")
    if isinstance(v, (list, tuple, set)):
        return ", ".join(_fmt(x, lang) for x in v)
    if isinstance(v, float):
        return f"{v:g}".replace(".", ",") if lang == "fr" else f"{v:g}"
    return str(v)


def _as_dict(obj: Any, name: str) -> dict | None:
    """A section given as a dict, an object with ``to_dict()`` or a dataclass."""
    if obj is None:
        return None
    if hasattr(obj, "to_dict") and not isinstance(obj, pd.DataFrame | pd.Series):
        d = obj.to_dict()
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        d = dataclasses.asdict(obj)
    elif isinstance(obj, Mapping):
        d = dict(obj)
    elif isinstance(obj, list) and name == "dunning":
        d = {"scenarios": obj}
    else:
        raise InputError(name, "a dict or an object with a to_dict() method",
                         type(obj).__name__, f"pass the {name} policy (or policy.to_dict())")
    if not isinstance(d, Mapping):
        raise InputError(name, "to_dict() returning a dict", type(d).__name__)
    return dict(d)


def _class_map_text(m: Mapping, lang: str, fmt) -> str:
    word = "classe" if lang == "fr" else "class"
    return " ; ".join(f"{word} {k} : {fmt(v)}" if lang == "fr" else f"{word} {k}: {fmt(v)}"
                      for k, v in m.items() if k != "source")


# ---------------------------------------------------------------------------------------------
# sections
# ---------------------------------------------------------------------------------------------
def _terms_rows(d: dict, lang: str) -> list[tuple[str, str]]:
    rows = []
    term = lambda v: _TERM_CODES[v][lang] if v in _TERM_CODES else _fmt(v, lang)  # noqa: E731
    for k, v in d.items():
        if k == "source":
            continue
        label = _TERMS_KEYS.get(k, {}).get(lang, k)
        if k in ("standard_terms", "new_customers"):
            shown = term(v)
        elif k == "by_segment" and isinstance(v, Mapping):
            shown = " ; ".join(f"{seg} : {term(t)}" for seg, t in v.items())
        elif k == "discount":
            if not v:
                shown = "pas d'escompte" if lang == "fr" else "no discount"
            elif isinstance(v, Mapping):
                rate = v.get("rate", v.get("discount"))
                days = v.get("days", v.get("discount_days"))
                shown = (f"{format_percent(rate, lang)} si paiement sous {days:g} jours" if lang == "fr"
                         else f"{format_percent(rate, lang)} if paid within {days:g} days")
            else:
                shown = _fmt(v, lang)
        elif k == "recovery_indemnity" and isinstance(v, (int, float)):
            shown = format_amount(v, lang, 0) + (" par facture" if lang == "fr"
                                                     else " per invoice")
        elif k in ("penalty_rate", "down_payment") and isinstance(v, float):
            shown = format_percent(v, lang)
        else:
            shown = _fmt(v, lang)
        rows.append((label, shown))
    return rows


def _enabled(d: Mapping, method: str) -> bool:
    """Whether a limit method is switched on in the policy (unknown methods count as on)."""
    m = (d.get("methods") or {}).get(method)
    return not isinstance(m, Mapping) or bool(m.get("enabled", True))


def _limits_rows(d: dict, lang: str):
    rows: list[tuple[str, str]] = []
    methods: list[tuple[str, str]] = []
    fr = lang == "fr"
    need = d.get("need")
    if isinstance(need, Mapping):
        method = need.get("method")
        if method == "afdcc":
            txt = ("(commandes en cours + factures à établir + encours) × coefficient de délai "
                   "× coefficient de comportement (AFDCC)" if fr else
                   "(orders + invoices to issue + open invoices) × term coefficient × "
                   "behaviour coefficient (AFDCC)")
        else:
            lag = need.get("billing_lag_days", 0)
            months = need.get("sales_months")
            txt = (f"ventes mensuelles TTC × (délai de paiement + {lag:g} jours) / 30"
                   + (f", ventes moyennes des {months:g} derniers mois" if months else "")
                   if fr else
                   f"monthly sales TTC × (payment term + {lag:g} days) / 30"
                   + (f", average of the last {months:g} months" if months else ""))
        rows.append(("besoin commercial" if fr else "commercial need", txt))
    comb = d.get("combination")
    if isinstance(comb, Mapping) and "rule" in comb:
        rule = comb["rule"]
        rows.append(("règle de combinaison" if fr else "combination rule",
                     _RULES.get(rule, {}).get(lang, str(rule))))
        if rule == "weighted" and isinstance(comb.get("weights"), Mapping):
            rows.append(("pondération des méthodes" if fr else "method weights",
                         " ; ".join(f"{_METHOD_LABELS.get(m, {}).get(lang, m)} : {w:g}"
                                    if fr else f"{_METHOD_LABELS.get(m, {}).get(lang, m)}: {w:g}"
                                    for m, w in comb["weights"].items()
                                    if m != "source" and _enabled(d, m))))
    coef = d.get("rating_coefficient")
    if isinstance(coef, Mapping):
        rows.append(("coefficient selon la classe de risque" if fr else
                     "coefficient by risk class",
                     _class_map_text(coef, lang, lambda v: format_percent(v, lang))))
    review = d.get("review")
    if isinstance(review, Mapping) and isinstance(review.get("months"), Mapping):
        rows.append(("révision de la limite (mois)" if fr else "limit review (months)",
                     _class_map_text(review["months"], lang, lambda v: f"{v:g}")))
    rounding = d.get("rounding")
    if isinstance(rounding, Mapping) and rounding.get("step"):
        rows.append(("arrondi (inférieur) des limites" if fr else "limits rounded down to",
                     format_amount(rounding["step"], lang, 0)))
    classes = d.get("classes")
    if isinstance(classes, Mapping) and classes.get("unrated") is not None:
        u = classes["unrated"]
        name = (classes.get(f"labels_{lang}") or {}).get(str(u))
        rows.append(("classe de risque d'un client non noté" if fr else
                     "risk class of an unrated customer",
                     (f"classe {u}" if fr else f"class {u}") + (f" ({name})" if name else "")))
    exposure = d.get("exposure")
    if isinstance(exposure, Mapping) and isinstance(exposure.get("insured_share"), (int, float)):
        rows.append(("quotité garantie retenue pour la part assurée de l'encours" if fr else
                     "insured share applied to the insured part of exposure",
                     format_percent(exposure["insured_share"], lang)))
    for k, m in (d.get("methods") or {}).items():
        if not isinstance(m, Mapping) or not m.get("enabled", True):
            continue
        label = _METHOD_LABELS.get(k, {}).get(lang, k)
        parts = []
        kk = m.get("k")
        if isinstance(kk, Mapping):
            parts.append(_class_map_text(kk, lang, lambda v: format_percent(v, lang)))
        elif isinstance(kk, (int, float)):
            parts.append(format_percent(kk, lang))
        if k == "net_worth" and m.get("basis") == "tangible":
            parts.append("nets des immobilisations incorporelles" if fr else
                         "less intangible assets")
        if "cap" in m:
            parts.append(format_amount(m["cap"], lang, 0))
        if k == "insurer":
            parts.append(("limite plafonnée à l'agrément" if m.get("insured_only") else
                          "sert à mesurer la part non assurée") if fr else
                         ("limit capped at the agreement" if m.get("insured_only") else
                          "used to measure the uninsured part"))
        if k == "sector" and isinstance(m.get("days"), Mapping):
            parts.append(_fmt({s: f"{v:g} j" for s, v in m["days"].items()}, lang))
        extra = {x: y for x, y in m.items()
                 if x not in ("enabled", "k", "basis", "cap", "insured_only", "days", "source",
                              "self_retained_tolerance")}
        if extra:
            parts.append(_fmt(extra, lang))
        methods.append((label, " ; ".join(parts) if parts else "—"))
    known = {"need", "combination", "rating_coefficient", "review", "rounding", "methods",
             "hold", "classes", "exposure", "version", "source"}
    for k, v in d.items():
        if k not in known:
            rows.append((k, _fmt(v, lang)))
    if "version" in d:
        rows.append(("version de la politique" if fr else "policy version", str(d["version"])))
    return rows, methods


def _hold_rows(d: dict, lang: str) -> list[tuple[str, str]]:
    if isinstance(d.get("hold"), Mapping):
        d = dict(d["hold"])
    rows = []
    for k, v in d.items():
        if k == "source":
            continue
        label = _HOLD_KEYS.get(k, {}).get(lang, k)
        if isinstance(v, str) and v in _DECISIONS:
            shown = _DECISIONS[v][lang]
        elif k == "block_over_limit_share":
            shown = ("au-delà de " if lang == "fr" else "above ") + format_percent(v, lang)
        elif k.endswith("_amount_hold"):
            shown = format_amount(v, lang, 0)
        elif k.startswith("overdue_days"):
            shown = f"{v:g} jours" if lang == "fr" else f"{v:g} days"
        elif k.startswith("rating_"):
            shown = (f"classe {v} et au-delà" if lang == "fr" else f"class {v} and worse")
        else:
            shown = _fmt(v, lang)
        rows.append((label, shown))
    return rows


@cache
def _dunning_value_labels() -> dict[str, dict[str, str]]:
    """French / English labels of step templates, escalations and assignees (the dunning
    package's own labels, imported lazily)."""
    return DUNNING_LABELS


def _dunning_code(v: Any, lang: str) -> str:
    if isinstance(v, str):
        return _dunning_value_labels().get(v, {}).get(lang, v)
    return _fmt(v, lang)


def _scenario_label(s: Mapping, lang: str) -> str | None:
    name = s.get(f"label_{lang}") or s.get("label") or s.get("name")
    return None if name is None else str(name)


def _rule_text(rule: Mapping, lang: str) -> str:
    fr = lang == "fr"
    as_list = lambda v: list(v) if isinstance(v, (list, tuple, set)) else [v]  # noqa: E731
    parts = []
    if rule.get("segment") is not None:
        parts.append(("segment " if fr else "segment ")
                     + " / ".join(str(x) for x in as_list(rule["segment"])))
    if rule.get("risk_class") is not None:
        parts.append(("classe de risque " if fr else "risk class ")
                     + ", ".join(str(x) for x in as_list(rule["risk_class"])))
    if rule.get("stakes") is not None:
        words = {"high": ("enjeu fort", "high stakes"), "low": ("enjeu faible", "low stakes")}
        parts.append(" / ".join(words.get(x, (str(x), str(x)))[0 if fr else 1]
                                for x in as_list(rule["stakes"])))
    if rule.get("new_customer") is not None:
        new = bool(rule["new_customer"])
        parts.append(("nouveau client" if new else "client ancien") if fr else
                     ("new customer" if new else "existing customer"))
    extra = {k: v for k, v in rule.items()
             if k not in ("scenario", "segment", "risk_class", "stakes", "new_customer")
             and v is not None}
    if extra:
        parts.append(_fmt(extra, lang))
    if not parts:
        return "tous les clients" if fr else "all customers"
    return " et ".join(parts) if fr else " and ".join(parts)


def _same_declaration_deadline(dunning: dict | None, insurance: dict | None) -> None:
    """The deadline to declare an overdue to the insurer is one contractual figure: a charter
    stating two (dunning policy and insurance policy) would contradict itself."""
    d = (dunning or {}).get("insurer_notification_days")
    i = (insurance or {}).get("declaration_days")
    if d is not None and i is not None and float(d) != float(i):
        raise InputError("dunning.insurer_notification_days",
                         f"the insurance policy's declaration_days ({i} days)", d,
                         "the deadline to declare an overdue (menace de sinistre) comes from the "
                         "credit-insurance policy: set the same number of days in both")


def _dunning_section(d: dict, lang: str) -> dict:
    """Scenarios plus, for a whole dunning policy (a ``scenarios`` key next to other settings),
    its assignment rules, its settings and whether disputed invoices are dunned."""
    fr = lang == "fr"
    scenarios = _scenarios(d, lang)
    out: dict[str, Any] = {"scenarios": scenarios, "settings": [], "rules": [],
                           "exclude_disputed": None}
    if "scenarios" not in d:
        return out
    sc = d["scenarios"]
    labels: dict[str, str] = {}
    if isinstance(sc, Mapping):
        for name, v in sc.items():
            if isinstance(v, Mapping):
                labels[str(name)] = _scenario_label({"name": name, **dict(v)}, lang) or name
    elif isinstance(sc, (list, tuple)):
        for v in sc:
            v = _as_dict(v, "dunning scenario")
            if v.get("name") is not None:
                labels[str(v["name"])] = _scenario_label(v, lang) or str(v["name"])
    if isinstance(d.get("exclude_disputed"), (bool, np.bool_)):
        out["exclude_disputed"] = bool(d["exclude_disputed"])
    settings = {k: v for k, v in d.items() if k not in _DUNNING_SKIPPED
                and not (k == "default_scenario" and d.get("rules"))}  # then in the rules
    if isinstance(d.get("profile"), Mapping):
        settings.update({k: v for k, v in d["profile"].items() if k != "source"})
    rows = []
    for k, v in settings.items():
        label = _DUNNING_SETTINGS.get(k, {}).get(lang, k)
        if k in ("min_amount", "high_stakes_amount") and isinstance(v, (int, float)):
            shown = format_amount(v, lang, 0)
        elif k == "insurer_notification_days" and v is None:
            shown = "pas de déclaration prévue" if fr else "none planned"
        elif k == "default_scenario" and v is not None:
            shown = labels.get(str(v), str(v))
        elif k == "unrated_class" and v is not None:
            shown = f"classe {v}" if fr else f"class {v}"
        elif k == "avg_days_late_bounds" and isinstance(v, (list, tuple)) and len(v) == 3:
            b = [float(x) for x in v]
            shown = (f"classe 1 : jusqu'à {b[0]:g} j ; classe 2 : jusqu'à {b[1]:g} j ; "
                     f"classe 3 : jusqu'à {b[2]:g} j ; classe 4 : au-delà" if fr else
                     f"class 1: up to {b[0]:g} d; class 2: up to {b[1]:g} d; "
                     f"class 3: up to {b[2]:g} d; class 4: beyond")
        else:
            shown = _fmt(v, lang)
        rows.append((label, shown))
    out["settings"] = rows
    rules = d.get("rules") or []
    if isinstance(rules, (list, tuple)):
        for r in rules:
            r = _as_dict(r, "dunning rule")
            scen = r.get("scenario")
            out["rules"].append((_rule_text(r, lang), labels.get(str(scen), _fmt(scen, lang))))
    if out["rules"] and d.get("default_scenario") is not None:
        out["rules"].append(("aucune des règles ci-dessus" if fr else "none of the rules above",
                             labels.get(str(d["default_scenario"]),
                                        str(d["default_scenario"]))))
    return out


def _scenarios(d: dict, lang: str) -> list[dict]:
    sc = d.get("scenarios", d)
    if isinstance(sc, Mapping):
        items = []
        for name, v in sc.items():
            if name in ("source", "version", "name"):
                continue
            if isinstance(v, Mapping):
                items.append({"name": name, **dict(v)})
            elif isinstance(v, (list, tuple)):
                items.append({"name": name, "steps": list(v)})
        sc = items
    if not isinstance(sc, (list, tuple)):
        raise InputError("dunning", "scenarios as a list of dicts (name, steps, ...) or a dict "
                         "name → steps", type(sc).__name__)
    out = []
    for i, s in enumerate(sc, 1):
        s = _as_dict(s, "dunning scenario")
        steps = s.get("steps") or []
        steps = [_as_dict(st, "dunning step") for st in steps]
        cols: list[str] = []
        for st in steps:
            for k in st:
                if k not in cols and k != "source":
                    cols.append(k)
        rows = []
        for st in steps:
            row = []
            for k in cols:
                v = st.get(k)
                if k in ("channel", "channels"):
                    vals = v if isinstance(v, (list, tuple)) else [v]
                    row.append(", ".join(_CHANNELS.get(x, {}).get(lang, _fmt(x, lang))
                                         for x in vals if x is not None))
                elif k in ("day", "days", "offset_days", "days_after_due") and \
                        isinstance(v, (int, float)):
                    row.append(f"J{int(v):+d}" if v else "J0")
                elif k in ("template", "escalation", "assignee") and v is not None:
                    row.append(_dunning_code(v, lang))
                else:
                    row.append(_fmt(v, lang) if v is not None else "")
            rows.append(row)
        details = [(_SCENARIO_KEYS.get(k, {}).get(lang, k),
                    format_amount(v, lang, 0) if k == "min_amount"
                    and isinstance(v, (int, float)) else _fmt(v, lang))
                   for k, v in s.items()
                   if k not in ("name", "steps", "source", "label", "label_fr", "label_en")]
        name = _scenario_label(s, lang) or (f"Scénario {i}" if lang == "fr"
                                            else f"Scenario {i}")
        out.append({"name": str(name), "details": details,
                    "columns": [_STEP_COLUMNS.get(k, {}).get(lang, k) for k in cols],
                    "rows": rows})
    return out


@reference_cache()
def _raci_default() -> pd.DataFrame:
    return pd.read_csv(c.DATA_DIR / "credit_charter_raci.csv", keep_default_na=False,
                       dtype="str")


def default_raci(lang: str = "fr") -> pd.DataFrame:
    """The illustrative RACI matrix (activities × roles) shipped in
    ``creditlab/data/credit_charter_raci.csv`` — to adapt to each company."""
    check_lang(lang)
    d = _raci_default()
    out = d.set_index(d[f"activity_{lang}"])[list(RACI_ROLES)]
    out.columns = [RACI_ROLES[r][lang] for r in RACI_ROLES]
    out.index.name = "activité" if lang == "fr" else "activity"
    return out


def _raci(raci, lang: str):
    if raci is None:
        df, is_default = default_raci(lang), True
    else:
        is_default = False
        if isinstance(raci, pd.DataFrame):
            df = raci.copy()
        elif isinstance(raci, Mapping):
            df = pd.DataFrame.from_dict({k: dict(v) for k, v in raci.items()}, orient="index")
        else:
            raise InputError("raci", "a DataFrame (activities × roles) or a dict activity → "
                             "{role: letter}", type(raci).__name__)
        df = df.fillna("").astype("str")
        df.columns = [RACI_ROLES.get(col, {}).get(lang, str(col)) for col in df.columns]
    letters = df.map(lambda x: x.replace(" ", "").upper())
    bad = letters.map(lambda x: not set(x.replace("/", "").replace(",", "")) <= _RACI_LETTERS)
    bad_mask = bad.to_numpy(dtype=bool)
    if bad_mask.any():
        ii, jj = np.nonzero(bad_mask)
        got = [(str(df.index[i]), str(df.columns[j]), df.iat[i, j])
               for i, j in zip(ii, jj, strict=True)][:5]
        raise InputError("raci", "letters R, A, C, I (or empty) in every cell", got,
                         "use R (réalise), A (approuve), C (consulté), I (informé)")
    n_a = letters.map(lambda x: "A" in x).sum(axis=1)
    wrong = n_a[n_a != 1]
    if len(wrong):
        raise InputError("raci", "exactly one A (accountable) per activity",
                         {str(k): int(v) for k, v in wrong.items()},
                         "give each activity one and only one approver")
    rows = [[str(i), *r] for i, r in zip(letters.index, letters.to_numpy().tolist(),
                                         strict=True)]
    return {"present": True, "is_default": is_default, "roles": [str(x) for x in df.columns],
            "rows": rows}


def _insurance_rows(d: dict, lang: str) -> list[tuple[str, str]]:
    known = {f.name for f in dataclasses.fields(CreditInsurancePolicy)}
    if set(d) <= known:
        summ = CreditInsurancePolicy.from_dict(d).to_frame(lang)
        return [(str(k), str(v)) for k, v in summ.iloc[:, 0].items()]
    return [(k, _fmt(v, lang)) for k, v in d.items() if k != "source"]


def _negotiation_rows(d: dict, lang: str) -> list[tuple[str, str]]:
    fr = lang == "fr"
    labels = {
        "max_instalments": ("nombre maximal d'échéances", "maximum number of instalments"),
        "max_duration_days": ("durée maximale d'un échéancier (jours)",
                              "maximum plan duration (days)"),
        "max_average_delay_days": ("délai moyen maximal (jours)", "maximum average delay (days)"),
        "min_annual_rate": ("taux d'intérêt minimal", "minimum interest rate"),
        "allow_penalty_waiver": ("abandon des pénalités possible", "penalty waiver allowed"),
        "max_net_cost_share": ("coût net maximal (% du montant)", "maximum net cost (% of amount)"),
        "max_discount": ("escompte maximal", "maximum discount"),
    }
    rows = []
    for k, v in d.items():
        if k == "source":
            continue
        label = labels[k][0 if fr else 1] if k in labels else k
        if k in ("min_annual_rate", "max_net_cost_share", "max_discount"):
            shown = format_percent(v, lang)
        else:
            shown = _fmt(v, lang)
        rows.append((label, shown))
    return rows
