"""Méthode des points de risque: a grid of weighted criteria → points → risk class.

Each customer gets, for every criterion of the grid, the points of the band its input falls in
(0 = best), multiplied by the criterion's weight; the total maps to a risk class (1 = best …
4 = worst in the default grid, the classes of :mod:`creditlab.limits`), and the rationale names
the criteria that drove the class. The grid is data: ``creditlab/data/risk_points_default.toml``
("grille par défaut à ajuster", DOMAIN.md §11.1) or your own TOML / Python definition.

Batch behaviour (DESIGN.md): a customer whose required input is missing or invalid is recorded
in ``failures`` with the reason, and the others are scored.

:func:`risk_inputs` assembles the inputs from the canonical tables (customers, statements,
payment behaviour, external ratings, events).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from creditlab._checks import as_of_date
from creditlab._drawing import drawn_by
from creditlab.exceptions import InputError
from creditlab.i18n import check_lang
from creditlab.scores.altman import altman
from creditlab.scores.conan_holder import conan_holder
from creditlab.scores.ratings import combine_ratings
from creditlab.statements._common import check_choice, reasons_column

__all__ = ["Band", "Criterion", "RiskClass", "RiskGrid", "RiskPointsResult", "risk_points",
           "risk_inputs", "CONAN_HOLDER_BAND_RISK", "ALTMAN_ZONE_RISK", "SCORE_SOURCES"]

#: Risk index (0 best … 1 worst) given to each Conan-Holder band when no external rating exists
#: (ours: midpoints chosen so that the default grid gives 0 / 1 / 3 / 4 points).
CONAN_HOLDER_BAND_RISK = {"very_good": 0.1, "caution": 0.3, "warning": 0.7, "danger": 0.9}
#: Same for the Altman zones (ours).
ALTMAN_ZONE_RISK = {"safe": 0.1, "grey": 0.5, "distress": 0.9}
#: ``risk_source`` of :func:`risk_inputs` when the financial score sets the risk index.
SCORE_SOURCES = {"conan_holder": "score Conan-Holder",
                 "altman_z_double_prime": "score Altman Z″",
                 "altman_unknown_sector": "score Altman Z″ (secteur inconnu)",
                 "conan_holder_outside": "score Conan-Holder (hors domaine de validité)"}


@dataclass(frozen=True)
class Band:
    """A band of a criterion: numeric (``below`` exclusive / ``upto`` inclusive bound, or none =
    the rest) or categorical (``values``)."""

    points: float
    label_fr: str = ""
    label_en: str = ""
    below: float | None = None
    upto: float | None = None
    values: tuple = ()


@dataclass(frozen=True)
class Criterion:
    """A criterion of the grid: input column, weight, bands, points when missing (None = fail).

    ``min_value`` / ``max_value`` (numeric criteria, optional, inclusive) bound the plausible
    inputs: a value outside (a negative company age, a share above 1) is invalid and fails the
    customer instead of silently falling into the first or last band.
    """

    name: str
    input: str
    weight: float
    bands: tuple[Band, ...]
    label_fr: str = ""
    label_en: str = ""
    unit: str = ""
    missing_points: float | None = None
    min_value: float | None = None
    max_value: float | None = None

    @property
    def categorical(self) -> bool:
        return any(b.values for b in self.bands)

    @property
    def max_points(self) -> float:
        pts = [b.points for b in self.bands]
        if self.missing_points is not None:
            pts.append(self.missing_points)
        return max(pts) * self.weight


@dataclass(frozen=True)
class RiskClass:
    """Risk class for totals up to ``max_points`` (inclusive; None = no upper bound)."""

    risk_class: int
    max_points: float | None
    label_fr: str
    label_en: str
    action_fr: str = ""
    action_en: str = ""


def _default_path():
    return resources.files("creditlab.data").joinpath("risk_points_default.toml")


@dataclass(frozen=True)
class RiskGrid:
    """A risk-points grid: criteria and classes (see ``risk_points_default.toml``)."""

    criteria: tuple[Criterion, ...]
    classes: tuple[RiskClass, ...]
    name: str = ""
    version: str = ""
    source: str = ""
    extra: dict = field(default_factory=dict, compare=False)

    def __post_init__(self):
        if not self.criteria:
            raise InputError("grid.criteria", "at least one criterion", 0, "add [[criteria]]")
        names = [c.name for c in self.criteria]
        if len(set(names)) != len(names):
            raise InputError("grid.criteria", "unique criterion names", names,
                             "rename the duplicated criteria")
        for c in self.criteria:
            if not c.bands:
                raise InputError(f"grid.criteria.{c.name}", "at least one band", 0, "add bands")
            if not (isinstance(c.weight, int | float) and c.weight >= 0):
                raise InputError(f"grid.criteria.{c.name}.weight", "a weight >= 0", c.weight,
                                 "set weight = 1 (or more)")
            if not c.categorical and any(b.below is None and b.upto is None
                                         for b in c.bands[:-1]):
                raise InputError(f"grid.criteria.{c.name}.bands", "bounds on every band but the "
                                 "last", [b.label_fr for b in c.bands],
                                 "give `below` or `upto` to each band except the last")
        if not self.classes:
            raise InputError("grid.classes", "at least one class", 0, "add [[classes]]")
        bounds = [c.max_points for c in self.classes]
        if bounds[-1] is not None or any(b is None for b in bounds[:-1]) or \
                any(a >= b for a, b in zip(bounds[:-2], bounds[1:-1], strict=False)):
            raise InputError("grid.classes", "increasing max_points, the last class without "
                             "bound", bounds, "order the classes from best to worst")

    # -- construction ---------------------------------------------------------------------
    @classmethod
    def from_dict(cls, d: dict) -> RiskGrid:
        """Build a grid from the TOML structure (dict)."""
        try:
            crits = []
            for c in d["criteria"]:
                bands = tuple(Band(points=float(b["points"]), label_fr=b.get("label_fr", ""),
                                   label_en=b.get("label_en", ""), below=b.get("below"),
                                   upto=b.get("upto"), values=tuple(b.get("values", ())))
                              for b in c["bands"])
                mp = c.get("missing_points")
                lo, hi = c.get("min_value"), c.get("max_value")
                crits.append(Criterion(name=c["name"], input=c["input"],
                                       weight=float(c.get("weight", 1)), bands=bands,
                                       label_fr=c.get("label_fr", c["name"]),
                                       label_en=c.get("label_en", c["name"]),
                                       unit=c.get("unit", ""),
                                       missing_points=None if mp is None else float(mp),
                                       min_value=None if lo is None else float(lo),
                                       max_value=None if hi is None else float(hi)))
            classes = tuple(RiskClass(risk_class=int(k["risk_class"]),
                                      max_points=k.get("max_points"),
                                      label_fr=k.get("label_fr", ""),
                                      label_en=k.get("label_en", ""),
                                      action_fr=k.get("action_fr", ""),
                                      action_en=k.get("action_en", ""))
                            for k in d["classes"])
        except KeyError as e:
            raise InputError("grid", f"the key {e.args[0]!r}", "missing",
                             "follow the layout of creditlab/data/risk_points_default.toml") from None
        return cls(criteria=tuple(crits), classes=classes, name=d.get("name", ""),
                   version=str(d.get("version", "")), source=d.get("source", ""))

    @classmethod
    def load(cls, path: str | Path | None = None) -> RiskGrid:
        """Load a grid from a TOML file (default: the bundled "grille par défaut à ajuster")."""
        if path is None:
            with resources.as_file(_default_path()) as p:
                text = Path(p).read_text(encoding="utf-8")
        else:
            p = Path(path)
            if not p.exists():
                raise InputError("path", "an existing TOML file", str(p),
                                 "copy creditlab/data/risk_points_default.toml and edit it")
            text = p.read_text(encoding="utf-8")
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise InputError("path", "a valid TOML grid", str(e), "fix the TOML syntax") from None
        return cls.from_dict(data)

    def to_dict(self) -> dict:
        """The grid as the TOML structure."""
        def band(b: Band) -> dict:
            d = {"points": b.points, "label_fr": b.label_fr, "label_en": b.label_en}
            if b.below is not None:
                d["below"] = b.below
            if b.upto is not None:
                d["upto"] = b.upto
            if b.values:
                d["values"] = list(b.values)
            return d
        crits = []
        for c in self.criteria:
            d = {"name": c.name, "label_fr": c.label_fr, "label_en": c.label_en,
                 "input": c.input, "unit": c.unit, "weight": c.weight,
                 "bands": [band(b) for b in c.bands]}
            if c.missing_points is not None:
                d["missing_points"] = c.missing_points
            if c.min_value is not None:
                d["min_value"] = c.min_value
            if c.max_value is not None:
                d["max_value"] = c.max_value
            crits.append(d)
        classes = []
        for k in self.classes:
            d = {"risk_class": k.risk_class, "label_fr": k.label_fr, "label_en": k.label_en,
                 "action_fr": k.action_fr, "action_en": k.action_en}
            if k.max_points is not None:
                d["max_points"] = k.max_points
            classes.append(d)
        return {"name": self.name, "version": self.version, "source": self.source,
                "criteria": crits, "classes": classes}

    @property
    def max_points(self) -> float:
        return float(sum(c.max_points for c in self.criteria))

    def summary(self, lang: str = "fr") -> pd.DataFrame:
        """One row per criterion and band: input, weight, band, points, weighted points."""
        check_lang(lang)
        rows = []
        for c in self.criteria:
            for b in c.bands:
                if b.values:
                    cond = ", ".join(str(v) for v in b.values)
                elif b.below is not None:
                    cond = f"< {b.below:g}"
                elif b.upto is not None:
                    cond = f"≤ {b.upto:g}"
                else:
                    cond = "reste" if lang == "fr" else "other"
                rows.append({"criterion": c.label_fr if lang == "fr" else c.label_en,
                             "input": c.input, "weight": c.weight, "condition": cond,
                             "band": b.label_fr if lang == "fr" else b.label_en,
                             "points": b.points, "weighted_points": b.points * c.weight})
            if c.missing_points is not None:
                rows.append({"criterion": c.label_fr if lang == "fr" else c.label_en,
                             "input": c.input, "weight": c.weight,
                             "condition": "manquant" if lang == "fr" else "missing",
                             "band": "non renseigné" if lang == "fr" else "not known",
                             "points": c.missing_points,
                             "weighted_points": c.missing_points * c.weight})
        return pd.DataFrame(rows)

    def _repr_html_(self) -> str:
        return f"<p><b>{self.name}</b> {self.version}</p>" + self.summary().to_html(index=False)


@dataclass(frozen=True)
class RiskPointsResult:
    """Result of :func:`risk_points`.

    ``table``: per scored customer ``total``, ``risk_class``, ``class_label``, ``action``,
    ``rationale``; ``points``: weighted points per criterion; ``bands``: band label per
    criterion; ``failures``: customers not scored with their ``reason``.
    """

    table: pd.DataFrame
    points: pd.DataFrame
    bands: pd.DataFrame
    failures: pd.DataFrame
    grid: RiskGrid
    lang: str = "fr"

    def summary(self) -> pd.DataFrame:
        return self.table

    def _repr_html_(self) -> str:
        fr = self.lang == "fr"
        head = (f"<p>{len(self.table)} client(s) notés, {len(self.failures)} en échec "
                f"— grille « {self.grid.name} »</p>" if fr else
                f"<p>{len(self.table)} customer(s) scored, {len(self.failures)} failed "
                f"— grid '{self.grid.name}'</p>")
        return head + self.table.head(20).to_html()

    #: Stacked bar of the weighted points per criterion (one customer or the class means).
    plot_contributions = drawn_by("creditlab.plots.solvency", "plot_risk_points")


def _score_criterion(c: Criterion, values: pd.Series) -> tuple[np.ndarray, np.ndarray,
                                                                 np.ndarray, np.ndarray]:
    """Points, band index (-1 = missing band), missing mask, invalid mask for one criterion."""
    n = len(values)
    pts = np.full(n, np.nan)
    band = np.full(n, -2, dtype=np.int64)
    raw = values.to_numpy(dtype=object)
    missing = pd.isna(values).to_numpy()
    invalid = np.zeros(n, dtype=bool)
    if c.categorical:
        assigned = missing.copy()
        for i, b in enumerate(c.bands):
            if b.values:
                hit = ~assigned & np.isin(raw, np.asarray(b.values, dtype=object))
                # booleans stored as numpy.bool_ compare fine with True/False
            else:
                hit = ~assigned
            pts[hit] = b.points
            band[hit] = i
            assigned |= hit
        invalid = ~assigned
    else:
        num = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64")
        invalid = ~missing & (np.isnan(num) | np.isinf(num))
        if c.min_value is not None:
            invalid |= ~missing & (num < c.min_value)
        if c.max_value is not None:
            invalid |= ~missing & (num > c.max_value)
        assigned = missing | invalid
        for i, b in enumerate(c.bands):
            if b.below is not None:
                hit = ~assigned & (num < b.below)
            elif b.upto is not None:
                hit = ~assigned & (num <= b.upto)
            else:
                hit = ~assigned
            pts[hit] = b.points
            band[hit] = i
            assigned |= hit
        invalid |= ~assigned
    if c.missing_points is not None:
        pts[missing] = c.missing_points
        band[missing] = -1
    return pts * c.weight, band, missing, invalid


def risk_points(inputs: pd.DataFrame, grid: RiskGrid | None = None, *, missing: str = "fail",
                lang: str = "fr") -> RiskPointsResult:
    """Score every customer with a risk-points grid.

    Parameters
    ----------
    inputs : DataFrame
        One row per customer (index = customer id, or a ``customer_id`` column), one column per
        criterion input of the grid (default grid: ``company_age_years``, ``risk_index``,
        ``equity_ratio``, ``payment_incidents``, ``avg_days_late``, ``dependence_share``,
        ``sector``; see :func:`risk_inputs`). A missing column counts as missing values.
    grid : RiskGrid, optional
        Default: ``RiskGrid.load()`` (the bundled "grille par défaut à ajuster").
    missing : {"fail", "worst"}
        A missing required input (criterion without ``missing_points``) fails the customer
        (``"fail"``, recorded in ``failures``) or gets the criterion's maximum points
        (``"worst"``, prudent). Invalid values (text for a number, unknown category) always fail.
    lang : {"fr", "en"}

    Returns
    -------
    RiskPointsResult
    """
    check_choice(missing, "missing", ("fail", "worst"))
    check_lang(lang)
    grid = grid or RiskGrid.load()
    if not isinstance(inputs, pd.DataFrame):
        raise InputError("inputs", "a DataFrame with one row per customer", type(inputs).__name__,
                         "build it with creditlab.scores.risk_inputs(...)")
    df = inputs.set_index("customer_id") if "customer_id" in inputs.columns else inputs
    if df.index.has_duplicates:
        raise InputError("inputs.customer_id", "one row per customer",
                         df.index[df.index.duplicated()].unique()[:5].tolist(),
                         "aggregate the inputs per customer")
    n = len(df)
    fr = lang == "fr"
    pts = {}
    band_lab = {}
    fail_reasons: dict[str, np.ndarray] = {}
    fail_texts: dict[str, str] = {}
    for c in grid.criteria:
        values = df[c.input] if c.input in df.columns else pd.Series(np.nan, index=df.index)
        p, band, miss, inv = _score_criterion(c, values)
        lbl_c = c.label_fr if fr else c.label_en
        if c.missing_points is None:
            if missing == "worst":
                p = np.where(miss, max(b.points for b in c.bands) * c.weight, p)
                band = np.where(miss, -3, band)
            else:
                fail_reasons[c.name + "_missing"] = miss
                fail_texts[c.name + "_missing"] = (f"{lbl_c} : donnée manquante ({c.input})" if fr
                                                   else f"{lbl_c}: missing input ({c.input})")
        fail_reasons[c.name + "_invalid"] = inv
        word = ", attendu" if fr else ", expected"
        if c.min_value is not None and c.max_value is not None:
            rng = (f"{word} dans [{c.min_value:g} ; {c.max_value:g}]" if fr
                   else f"{word} in [{c.min_value:g}, {c.max_value:g}]")
        elif c.min_value is not None:
            rng = f"{word} ≥ {c.min_value:g}"
        elif c.max_value is not None:
            rng = f"{word} ≤ {c.max_value:g}"
        else:
            rng = ""
        fail_texts[c.name + "_invalid"] = (f"{lbl_c} : valeur non reconnue ({c.input}{rng})"
                                           if fr else f"{lbl_c}: invalid value ({c.input}{rng})")
        labels = np.array([b.label_fr if fr else b.label_en for b in c.bands]
                          + ["non renseigné (prudence : maximum)" if fr else "missing (worst)",
                             "non renseigné" if fr else "not known", ""], dtype=object)
        # band -3 → worst-case label, -1 → missing label, -2 → failed (empty)
        lab_idx = np.where(band >= 0, band, np.where(band == -3, len(c.bands),
                                                      np.where(band == -1, len(c.bands) + 1,
                                                               len(c.bands) + 2)))
        pts[c.name] = p
        band_lab[c.name] = labels[lab_idx]
    reason = reasons_column(fail_reasons, fail_texts, n)
    failed = reason != ""
    points = pd.DataFrame(pts, index=df.index)
    bands = pd.DataFrame(band_lab, index=df.index)
    ok = ~failed
    points_ok = points[ok]
    total = points_ok.sum(axis=1).to_numpy(dtype="float64")
    bounds = np.array([k.max_points for k in grid.classes[:-1]], dtype="float64")
    pos = np.searchsorted(bounds, total, side="left")
    cls = np.array([k.risk_class for k in grid.classes])[pos]
    cls_label = np.array([k.label_fr if fr else k.label_en for k in grid.classes],
                         dtype=object)[pos]
    action = np.array([k.action_fr if fr else k.action_en for k in grid.classes],
                      dtype=object)[pos]
    rationale = _rationale(points_ok, bands[ok], grid, cls, total, fr)
    table = pd.DataFrame({"total": total, "max_points": grid.max_points,
                          "risk_class": cls.astype("int64"),
                          "class_label": pd.Series(cls_label, dtype="str").to_numpy(),
                          "action": pd.Series(action, dtype="str").to_numpy(),
                          "rationale": rationale}, index=points_ok.index)
    table["class_label"] = table["class_label"].astype("str")
    table["action"] = table["action"].astype("str")
    table["rationale"] = table["rationale"].astype("str")
    failures = pd.DataFrame({"reason": pd.Series(reason[failed], dtype="str").to_numpy()},
                            index=df.index[failed])
    return RiskPointsResult(table=table, points=points_ok, bands=bands[ok], failures=failures,
                            grid=grid, lang=lang)


def _rationale(points: pd.DataFrame, bands: pd.DataFrame, grid: RiskGrid, cls: np.ndarray,
               total: np.ndarray, fr: bool, top: int = 3) -> np.ndarray:
    """"Classe 3 — risque élevé (17 pts / 46) : incidents de paiement — … (12 pts) ; …" per row,
    built once per distinct (class, drivers) pattern."""
    n = len(points)
    if n == 0:
        return np.array([], dtype=object)
    mat = points.to_numpy(dtype="float64")
    order = np.argsort(-mat, axis=1, kind="stable")[:, :top]
    top_pts = np.take_along_axis(mat, order, axis=1)
    band_mat = bands.to_numpy(dtype=object)
    top_band = np.take_along_axis(band_mat, order, axis=1)
    crit_names = np.array([c.label_fr if fr else c.label_en for c in grid.criteria],
                          dtype=object)
    class_labels = {k.risk_class: (k.label_fr if fr else k.label_en) for k in grid.classes}
    key = pd.DataFrame({"cls": cls, "total": total})
    for j in range(order.shape[1]):
        key[f"o{j}"] = order[:, j]
        key[f"p{j}"] = top_pts[:, j]
        key[f"b{j}"] = top_band[:, j]
    codes, uniq = pd.factorize(pd.MultiIndex.from_frame(key))
    strings = []
    mx = grid.max_points
    word = "Classe" if fr else "Class"
    for tup in uniq:
        c, t = tup[0], tup[1]
        parts = []
        for j in range(order.shape[1]):
            o, p, b = tup[2 + 3 * j], tup[3 + 3 * j], tup[4 + 3 * j]
            if p > 0:
                parts.append(f"{crit_names[o]} — {b} ({p:g} pts)")
        label = class_labels[int(c)]
        drivers = " ; ".join(parts) if parts else (
            "aucun critère défavorable" if fr else "no adverse criterion")
        strings.append(f"{word} {c} — {label} ({t:g} pts / {mx:g}) : {drivers}")
    return np.asarray(strings, dtype=object)[codes]


def _latest_statements(statements: pd.DataFrame, as_of) -> pd.DataFrame:
    fs = statements
    if "fiscal_year_end" in fs.columns and as_of is not None:
        fs = fs[pd.to_datetime(fs["fiscal_year_end"]) <= as_of_date(as_of)]
    return fs.sort_values(["customer_id", "fiscal_year"]).groupby("customer_id").tail(1)


def risk_inputs(customers: pd.DataFrame, *, as_of, statements: pd.DataFrame | None = None,
                payment_behaviour: pd.DataFrame | None = None,
                ratings: pd.DataFrame | None = None, events: pd.DataFrame | None = None,
                dependence: pd.Series | None = None) -> pd.DataFrame:
    """Assemble the inputs of the default grid from the canonical tables.

    Parameters
    ----------
    customers : DataFrame
        ``customers`` table (``customer_id``, ``founded_date``, ``sector``; the sector sets
        the validity domain of the scores).
    as_of : date-like
        Date of the analysis (company age, latest statements closed on or before it, ratings
        not after it, events on or before it).
    statements : DataFrame, optional
        ``financial_statements``: the latest fiscal year closed by ``as_of`` gives
        ``equity_ratio`` (capitaux propres / total du bilan) and the financial score
        (Conan-Holder band or Altman Z″ zone, see Notes).
    payment_behaviour : DataFrame, optional
        ``creditlab.receivables.payment_behaviour`` output (indexed by ``customer_id``):
        ``avg_days_late``.
    ratings : DataFrame, optional
        External ratings (``customer_id``, ``provider``, ``grade``, ``date`` ...), combined with
        :func:`creditlab.scores.combine_ratings` (worst, 2 years max).
    events : DataFrame, optional
        ``events`` (insolvency proceedings): any event on or before ``as_of`` counts as a payment
        incident, as does a defaulted external rating. Without ``events`` and ``ratings`` the
        ``payment_incidents`` input is missing.
    dependence : Series, optional
        Our share of the customer's purchases, indexed by ``customer_id``.

    Returns
    -------
    DataFrame indexed by ``customer_id``: ``company_age_years``, ``risk_index`` (worst of the
    combined external rating and the financial score risk), ``risk_source`` (what set
    ``risk_index``: "note externe" or the score, see below), ``equity_ratio``,
    ``payment_incidents``, ``avg_days_late``, ``dependence_share``, ``sector``.

    Notes
    -----
    Financial score, on the latest statements, the valid one first: the Conan-Holder band risk
    (:data:`CONAN_HOLDER_BAND_RISK`) where Conan-Holder is valid — industrial firm with CA HT
    in 1.5-75 M€ (DOMAIN.md §1.3), sector taken from ``customers.sector`` —
    (``risk_source`` "score Conan-Holder"); otherwise the Altman Z″ zone risk
    (:data:`ALTMAN_ZONE_RISK`; Z″ is Altman's model for non-manufacturers and private firms,
    book equity, DOMAIN.md §4) where Z″ is defined ("score Altman Z″", or "score Altman Z″
    (secteur inconnu)" when the customer has no sector); otherwise the Conan-Holder band,
    outside its validity domain ("score Conan-Holder (hors domaine de validité)"). See
    :data:`SCORE_SOURCES`.
    """
    if as_of is None:
        raise InputError("as_of", "the analysis date", None, "pass as_of='2025-12-31'")
    as_of = as_of_date(as_of)
    if "customer_id" not in customers.columns:
        raise InputError("customers.customer_id", "a customer_id column", "missing",
                         "pass the canonical customers table")
    dup = customers["customer_id"][customers["customer_id"].duplicated()]
    if len(dup):
        raise InputError("customers.customer_id", "one row per customer",
                         pd.unique(dup)[:5].tolist(), "drop the duplicated customers")
    cust = customers.set_index("customer_id")
    out = pd.DataFrame(index=cust.index)
    if "founded_date" in cust.columns:
        founded = pd.to_datetime(cust["founded_date"])
        out["company_age_years"] = (as_of - founded).dt.days / 365.25
    else:
        out["company_age_years"] = np.nan
    ch_risk = pd.Series(np.nan, index=out.index)
    score_name = pd.Series(SCORE_SOURCES["conan_holder"], index=out.index)
    out["equity_ratio"] = np.nan
    if statements is not None:
        last = _latest_statements(statements, as_of)
        last = last[last["customer_id"].isin(out.index)]
        if len(last):
            # validity flags need the sector: the customers' sector, else the statements' own
            sector = None
            if "sector" in cust.columns:
                sec = last["customer_id"].map(cust["sector"])
                if "sector" in last.columns:
                    sec = sec.fillna(last["sector"])
                sector = sec.to_numpy(dtype=object)
            ch = conan_holder(last, sector=sector)
            band_risk = ch["band"].map(CONAN_HOLDER_BAND_RISK).to_numpy(dtype="float64")
            ch_valid = ch["valid"].to_numpy(dtype=bool) & ~np.isnan(band_risk)
            zpp = altman(last, "z_double_prime", sector=sector)
            zone_risk = zpp["zone"].map(ALTMAN_ZONE_RISK).to_numpy(dtype="float64")
            zpp_flagged = ~zpp["valid"].to_numpy(dtype=bool)   # sector unknown
            # Conan-Holder where valid; else Altman Z″ where defined; else Conan-Holder, flagged
            used_altman = ~ch_valid & ~np.isnan(zone_risk)
            ch_outside = ~ch_valid & ~used_altman & ~np.isnan(band_risk)
            ids = last["customer_id"].to_numpy()
            ch_risk = pd.Series(np.where(used_altman, zone_risk, band_risk),
                                index=ids).reindex(out.index)
            name = np.select(
                [used_altman & zpp_flagged, used_altman, ch_outside],
                [SCORE_SOURCES["altman_unknown_sector"], SCORE_SOURCES["altman_z_double_prime"],
                 SCORE_SOURCES["conan_holder_outside"]], SCORE_SOURCES["conan_holder"])
            score_name = pd.Series(name, index=ids).reindex(out.index)
            ta = last["total_assets"].to_numpy(dtype="float64")
            with np.errstate(divide="ignore", invalid="ignore"):
                er = np.where(ta > 0, last["equity"].to_numpy(dtype="float64") / ta, np.nan)
            out["equity_ratio"] = pd.Series(er, index=ids).reindex(out.index)
    ext = pd.Series(np.nan, index=out.index)
    ext_default = pd.Series(False, index=out.index)
    if ratings is not None and len(ratings):
        comb = combine_ratings(ratings, as_of=as_of)
        ext = comb["risk_index"].reindex(out.index)
        ext_default = comb["any_default"].reindex(out.index).fillna(False).astype(bool)
    both = pd.concat([ext.rename("ext"), ch_risk.rename("ch")], axis=1)
    out["risk_index"] = both.max(axis=1, skipna=True)
    name = score_name.fillna(SCORE_SOURCES["conan_holder"]).to_numpy(dtype=object)
    src = np.where(both["ext"].notna() & both["ch"].notna(),
                   np.where(both["ext"] >= both["ch"], "note externe", name),
                   np.where(both["ext"].notna(), "note externe",
                            np.where(both["ch"].notna(), name, "")))
    out["risk_source"] = pd.Series(src, index=out.index, dtype="str")
    if events is not None or ratings is not None:
        inc = ext_default.copy()
        if events is not None and len(events):
            ev = events[pd.to_datetime(events["event_date"]) <= as_of]
            inc = inc | out.index.isin(ev["customer_id"].unique())
        out["payment_incidents"] = inc.astype(bool)
    else:
        out["payment_incidents"] = pd.Series(pd.NA, index=out.index, dtype="boolean")
    if payment_behaviour is not None:
        pb = payment_behaviour
        if "customer_id" in pb.columns:
            pb = pb.set_index("customer_id")
        if "avg_days_late" not in pb.columns:
            raise InputError("payment_behaviour.avg_days_late", "the payment_behaviour contract "
                             "columns (avg_days_late ...)", list(pb.columns)[:6],
                             "use creditlab.receivables.payment_behaviour(invoices, payments, as_of)")
        out["avg_days_late"] = pb["avg_days_late"].reindex(out.index)
    else:
        out["avg_days_late"] = np.nan
    out["dependence_share"] = (dependence.reindex(out.index) if dependence is not None
                               else np.nan)
    out["sector"] = cust["sector"] if "sector" in cust.columns else pd.NA
    return out
