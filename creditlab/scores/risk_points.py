"""Méthode des points de risque: a grid of weighted criteria → points → risk class.

Each customer gets, for every criterion of the grid, the points of the band its input falls in
(0 = best), multiplied by the criterion's weight; the total maps to a risk class (1 = best …
4 = worst in the default grid, the classes of :mod:`creditlab.limits`), and the rationale names
the criteria that drove the class. The grid is data: ``creditlab/data/risk_points_default.toml``
("grille par défaut à ajuster", DOMAIN.md §11.1) or your own TOML / Python definition.

Batch behaviour (DESIGN.md): a customer whose required input is missing or invalid is recorded
in ``failures`` with the reason, and the others are scored.

:func:`~creditlab.scores.grid_inputs.risk_inputs` (module ``grid_inputs``, re-exported here)
assembles the inputs from the canonical tables (customers, statements, payment behaviour,
external ratings, events).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from html import escape
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from creditlab._drawing import drawn_by
from creditlab._results import Result
from creditlab.exceptions import InputError
from creditlab.i18n import check_lang
from creditlab.labels import text
from creditlab.scores.grid_inputs import (  # noqa: F401  (re-exported: same public names)
    ALTMAN_ZONE_RISK,
    CONAN_HOLDER_BAND_RISK,
    SCORE_SOURCES,
    risk_inputs,
)
from creditlab.statements._common import check_choice, reasons_column

__all__ = ["BAND_MISSING", "BAND_WORST", "Band", "Criterion", "RiskClass", "RiskGrid",
           "RiskPointsResult", "risk_points",
           "risk_inputs", "CONAN_HOLDER_BAND_RISK", "ALTMAN_ZONE_RISK", "SCORE_SOURCES"]

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


#: Band codes of :attr:`RiskPointsResult.bands` besides the band numbers of the grid.
BAND_MISSING, BAND_WORST = "missing", "missing_worst"


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

    def _rows(self, lang: str | None) -> pd.DataFrame:
        """Criterion × band rows; ``lang=None``: codes (criterion name, band number, condition
        ``other`` / ``missing`` for the open band and the missing-value band)."""
        def words(fr, en, code):
            return code if lang is None else (fr if lang == "fr" else en)

        rows = []
        for c in self.criteria:
            for i, b in enumerate(c.bands):
                if b.values:
                    cond = ", ".join(str(v) for v in b.values)
                elif b.below is not None:
                    cond = f"< {b.below:g}"
                elif b.upto is not None:
                    cond = f"≤ {b.upto:g}"
                else:
                    cond = "other" if lang is None else text("risk_points.condition_other", lang)
                rows.append({"criterion": words(c.label_fr, c.label_en, c.name),
                             "input": c.input, "weight": c.weight, "condition": cond,
                             "band": words(b.label_fr, b.label_en, i),
                             "points": b.points, "weighted_points": b.points * c.weight})
            if c.missing_points is not None:
                rows.append({"criterion": words(c.label_fr, c.label_en, c.name),
                             "input": c.input, "weight": c.weight,
                             "condition": BAND_MISSING if lang is None
                             else text("risk_points.condition_missing", lang),
                             "band": BAND_MISSING if lang is None
                             else text("risk_points.band_missing", lang),
                             "points": c.missing_points,
                             "weighted_points": c.missing_points * c.weight})
        return pd.DataFrame(rows)

    def summary(self) -> pd.DataFrame:
        """One row per criterion and band, in codes: ``criterion`` (name), ``input``,
        ``weight``, ``condition`` (bounds, listed values, ``other`` or ``missing``), ``band``
        (its number in the criterion, ``missing`` for the missing-value band), ``points``,
        ``weighted_points``."""
        return self._rows(None)

    def to_frame(self, lang: str = "fr") -> pd.DataFrame:
        """:meth:`summary` with the criteria, bands and conditions in words (the grid's own
        ``label_fr`` / ``label_en``)."""
        return self._rows(check_lang(lang))

    def _repr_html_(self) -> str:
        return f"<p><b>{self.name}</b> {self.version}</p>" + self.to_frame().to_html(index=False)


@dataclass(frozen=True)
class RiskPointsResult(Result):
    """Result of :func:`risk_points`, in codes; words at the edge.

    ``table`` (= :meth:`summary`): per scored customer ``total``, ``max_points`` and
    ``risk_class``; ``points``: weighted points per criterion; ``bands``: band code per
    criterion (the band's number in the grid as text, ``"0"`` for its first band,
    ``"missing"`` for the missing-value band, ``"missing_worst"`` when ``missing="worst"``
    gave the maximum); ``failures``: customers not scored with their ``reason`` (codes
    ``<criterion>.missing`` / ``<criterion>.invalid``, ``;``-separated).

    Words (the grid's own ``label_fr`` / ``label_en`` and ``data/labels/scores.csv``):
    :meth:`in_words` (the table with ``class_label``, ``action`` and ``rationale``),
    :meth:`to_frame` (the same with its column names in words), :meth:`bands_in_words`,
    :meth:`failures_in_words`.
    """

    table: pd.DataFrame
    points: pd.DataFrame
    bands: pd.DataFrame
    failures: pd.DataFrame
    grid: RiskGrid

    def summary(self) -> pd.DataFrame:
        """The scored customers in codes (``total``, ``max_points``, ``risk_class``)."""
        return self.table

    def to_frame(self, lang: str = "fr") -> pd.DataFrame:
        """:meth:`in_words` with its column and index names in words too (« classe de
        risque », « justification » ...), as a person reads the table."""
        out = self.in_words(lang)
        out.columns = [text(f"risk_points.col.{c}", lang) for c in out.columns]
        out.index.name = text("customer_id", lang)
        return out

    def in_words(self, lang: str = "fr") -> pd.DataFrame:
        """The scored customers in words: ``total``, ``max_points``, ``risk_class``,
        ``class_label``, ``action`` and ``rationale`` ("Classe 3 — risque élevé (20 pts / 46) :
        incidents de paiement … — incidents de paiement (12 pts) ; …", the three criteria that
        weigh most, built once per distinct pattern)."""
        fr = check_lang(lang) == "fr"
        out = self.table.copy()
        k = self.grid.classes
        cls = out["risk_class"].to_numpy()
        out["class_label"] = out["risk_class"].map(
            {c.risk_class: c.label_fr if fr else c.label_en for c in k}).astype("str")
        out["action"] = out["risk_class"].map(
            {c.risk_class: c.action_fr if fr else c.action_en for c in k}).astype("str")
        bands = self.bands_in_words(lang)
        out["rationale"] = pd.Series(
            _rationale(self.points, bands, self.grid, cls, out["total"].to_numpy(), lang),
            index=out.index, dtype="str")
        return out

    def bands_in_words(self, lang: str = "fr") -> pd.DataFrame:
        """:attr:`bands` with each band's label (the grid's words; « non renseigné » for the
        missing-value band, « non renseigné (prudence : maximum) » for a missing input scored
        at the maximum)."""
        lang = check_lang(lang)
        out = {}
        for c in self.grid.criteria:
            words = {str(i): (b.label_fr if lang == "fr" else b.label_en)
                     for i, b in enumerate(c.bands)}
            words[BAND_MISSING] = text("risk_points.band_missing", lang)
            words[BAND_WORST] = text("risk_points.band_missing_worst", lang)
            col = self.bands[c.name] if c.name in self.bands.columns else None
            if col is not None:
                out[c.name] = col.map(words).astype("str")
        return pd.DataFrame(out, index=self.bands.index)

    def failures_in_words(self, lang: str = "fr") -> pd.DataFrame:
        """:attr:`failures` with ``reason`` in words, ``"; "``-separated: « ancienneté de
        l'entreprise : donnée manquante (company_age_years) », « … : valeur non reconnue
        (equity_ratio, attendu dans [0 ; 1]) »."""
        lang = check_lang(lang)
        words = {}
        for c in self.grid.criteria:
            name = c.label_fr if lang == "fr" else c.label_en
            if c.min_value is not None and c.max_value is not None:
                rng = text("risk_points.expected_between", lang, lo=f"{c.min_value:g}",
                           hi=f"{c.max_value:g}")
            elif c.min_value is not None:
                rng = text("risk_points.expected_min", lang, lo=f"{c.min_value:g}")
            elif c.max_value is not None:
                rng = text("risk_points.expected_max", lang, hi=f"{c.max_value:g}")
            else:
                rng = ""
            words[f"{c.name}.missing"] = text("risk_points.failure_missing", lang,
                                              criterion=name, input=c.input)
            words[f"{c.name}.invalid"] = text("risk_points.failure_invalid", lang,
                                              criterion=name, input=c.input, range=rng)
        out = self.failures.copy()
        joined = {s: "; ".join(words.get(k, k) for k in s.split(";") if k)
                  for s in out["reason"].unique()}  # once per distinct set of reasons
        out["reason"] = out["reason"].map(joined).astype("str")
        return out

    def _repr_html_(self) -> str:
        head = text("risk_points.head", "fr", n=len(self.table), failed=len(self.failures),
                    grid=escape(self.grid.name))
        return f"<p>{head}</p>" + self.to_frame("fr").head(20).to_html(escape=True)

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
                ) -> RiskPointsResult:
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

    Returns
    -------
    RiskPointsResult
        In codes (class, points, band numbers, failure reasons); ``to_frame(lang="fr")`` adds
        the class label, the action and the rationale in words.
    """
    check_choice(missing, "missing", ("fail", "worst"))
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
    pts = {}
    band_code = {}
    fail_reasons: dict[str, np.ndarray] = {}
    for c in grid.criteria:
        values = df[c.input] if c.input in df.columns else pd.Series(np.nan, index=df.index)
        p, band, miss, inv = _score_criterion(c, values)
        if c.missing_points is None:
            if missing == "worst":
                p = np.where(miss, max(b.points for b in c.bands) * c.weight, p)
                band = np.where(miss, -3, band)
            else:
                fail_reasons[f"{c.name}.missing"] = miss
        fail_reasons[f"{c.name}.invalid"] = inv
        codes = np.array([str(i) for i in range(len(c.bands))]
                         + [BAND_WORST, BAND_MISSING, ""], dtype=object)
        # band -3 → worst-case code, -1 → missing code, -2 → failed (empty)
        idx = np.where(band >= 0, band, np.where(band == -3, len(c.bands),
                                                  np.where(band == -1, len(c.bands) + 1,
                                                           len(c.bands) + 2)))
        pts[c.name] = p
        band_code[c.name] = codes[idx]
    reason = reasons_column(fail_reasons, {k: k for k in fail_reasons}, n, sep=";")
    failed = reason != ""
    points = pd.DataFrame(pts, index=df.index)
    bands = pd.DataFrame(band_code, index=df.index)
    ok = ~failed
    points_ok = points[ok]
    total = points_ok.sum(axis=1).to_numpy(dtype="float64")
    bounds = np.array([k.max_points for k in grid.classes[:-1]], dtype="float64")
    pos = np.searchsorted(bounds, total, side="left")
    cls = np.array([k.risk_class for k in grid.classes])[pos]
    table = pd.DataFrame({"total": total, "max_points": grid.max_points,
                          "risk_class": cls.astype("int64")}, index=points_ok.index)
    failures = pd.DataFrame({"reason": pd.Series(reason[failed], dtype="str").to_numpy()},
                            index=df.index[failed])
    return RiskPointsResult(table=table, points=points_ok, bands=bands[ok], failures=failures,
                            grid=grid)


def _rationale(points: pd.DataFrame, bands: pd.DataFrame, grid: RiskGrid, cls: np.ndarray,
               total: np.ndarray, lang: str, top: int = 3) -> np.ndarray:
    """"Classe 3 — risque élevé (17 pts / 46) : incidents de paiement — … (12 pts) ; …" per row
    (``bands`` in words), built once per distinct (class, drivers) pattern."""
    fr = lang == "fr"
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
    for tup in uniq:
        c, t = tup[0], tup[1]
        parts = []
        for j in range(order.shape[1]):
            o, p, b = tup[2 + 3 * j], tup[3 + 3 * j], tup[4 + 3 * j]
            if p > 0:
                parts.append(text("risk_points.driver", lang, criterion=crit_names[o],
                                  band=b, points=f"{p:g}"))
        drivers = " ; ".join(parts) if parts else text("risk_points.no_adverse", lang)
        strings.append(text("risk_points.rationale", lang, risk_class=c,
                            label=class_labels[int(c)], total=f"{t:g}", max=f"{mx:g}",
                            drivers=drivers))
    return np.asarray(strings, dtype=object)[codes]
