"""Deployable scorecard: JSON export/reload, SQL ``CASE`` export, scoring of one row or a table.

A :class:`ScorecardModel` is the frozen, self-contained form of a fitted
:class:`~creditlab.modeling.scorecard.Scorecard`: for every variable its cut points (intervals
``[a, b)``), special values, and the integer points of every bin (intervals, then special
values, then the missing bin); the scaling (base score, base odds, PDO); optionally a
:class:`~creditlab.modeling.calibration.PDCalibrator` (points → portfolio PD) and a
:class:`~creditlab.modeling.masterscale.MasterScale` (PD → grade → risk class); and metadata
(training period, target, performance...). It needs neither scikit-learn nor statsmodels to
score, reloads from JSON to exactly the same points (floats are written with ``repr``
precision), and exports as a SQL expression that gives the same points in a database.

Scoring rules (identical to :func:`creditlab.modeling.binning.assign_bins`): a missing value
(NaN, None, SQL NULL) takes the points of the missing bin; a declared special value those of its
bin; any other finite number those of its interval. A non-numeric or infinite value is an error
(``errors="raise"``) or leaves the row unscored with the reason (``errors="record"``, for batch
runs).

A **categorical** variable (text column) is exported with its groups of categories
(``"categories": [["A11", "A12"], ...]``): a value is compared as text
(:func:`creditlab.modeling.binning.assign_categories`); missing → the missing bin, a declared
special category → its bin, a category of a group → the group's points, any other category →
the ``unseen`` bin (the declared rule of the binning, points written in the export). The SQL
gives the same points on a text column (``IN ('A11', 'A12')``).
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from creditlab.exceptions import InputError
from creditlab.modeling._common import as_text, check_choice
from creditlab.modeling._points import Scaling, reason_codes_from_points
from creditlab.modeling.binning import assign_bins, assign_categories
from creditlab.modeling.calibration import PDCalibrator
from creditlab.modeling.masterscale import MasterScale

__all__ = ["ScorecardModel", "VariablePoints", "FORMAT", "load_scorecard", "save_scorecard"]

FORMAT = "creditlab.scorecard/1"


@dataclass(frozen=True)
class VariablePoints:
    """Points grid of one variable: ``points[code]`` with codes ``0..k-1`` for the intervals
    (cut at ``edges``), then one per special value, then missing. A categorical variable has
    ``categories`` (groups of categories, codes ``0..k-1``), then specials (text), missing and
    unseen."""

    name: str
    edges: tuple[float, ...]
    specials: tuple
    points: tuple[int, ...]
    label: str = ""
    bins: tuple[str, ...] = ()
    woe: tuple[float, ...] = ()
    coef: float = float("nan")
    categories: tuple[tuple[str, ...], ...] | None = None

    @property
    def is_categorical(self) -> bool:
        return self.categories is not None

    def __post_init__(self):
        if self.is_categorical:
            k = len(self.categories) + len(self.specials) + 2
            what = "groups of categories, special values, missing, unseen"
        else:
            k = len(self.edges) + 1 + len(self.specials) + 1
            what = "intervals, special values, missing"
        if len(self.points) != k:
            raise InputError(f"variables[{self.name!r}].points", f"{k} points ({what})",
                             len(self.points), "export the scorecard again")
        if any(b <= a for a, b in zip(self.edges, self.edges[1:], strict=False)):
            raise InputError(f"variables[{self.name!r}].edges", "increasing cut points",
                             list(self.edges), "export the scorecard again")

    @property
    def max_points(self) -> int:
        return int(max(self.points))

    def score(self, values: np.ndarray) -> np.ndarray:
        if self.is_categorical:
            codes = assign_categories(values, self.categories, self.specials)
        else:
            codes = assign_bins(values, np.asarray(self.edges, dtype="float64"), self.specials)
        return np.asarray(self.points, dtype="int64")[codes]

    def to_dict(self) -> dict:
        d = {"name": self.name, "label": self.label, "edges": [float(e) for e in self.edges],
             "specials": ([str(s) for s in self.specials] if self.is_categorical
                          else [float(s) for s in self.specials]),
             "points": [int(p) for p in self.points], "bins": list(self.bins),
             "woe": [float(w) for w in self.woe], "coef": _num(self.coef)}
        if self.is_categorical:
            d["kind"] = "categorical"
            d["categories"] = [list(g) for g in self.categories]
        return d

    @classmethod
    def from_dict(cls, d: Mapping) -> VariablePoints:
        cat = d.get("categories")
        return cls(name=str(d["name"]), edges=tuple(float(e) for e in d["edges"]),
                   specials=(tuple(str(s) for s in d["specials"]) if cat is not None
                             else tuple(float(s) for s in d["specials"])),
                   points=tuple(int(p) for p in d["points"]), label=str(d.get("label", "")),
                   bins=tuple(d.get("bins", ())), woe=tuple(float(w) for w in d.get("woe", ())),
                   coef=float("nan") if d.get("coef") is None else float(d["coef"]),
                   categories=None if cat is None else tuple(tuple(str(c) for c in g)
                                                             for g in cat))


def _num(v):
    """JSON-safe number (NaN → None)."""
    if v is None:
        return None
    v = float(v)
    return None if math.isnan(v) or math.isinf(v) else v


def _clean(obj):
    """Make metadata JSON-safe: numpy scalars → Python, NaN → None, tuples → lists."""
    if isinstance(obj, Mapping):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    if isinstance(obj, np.integer | np.bool_):
        return obj.item()
    if isinstance(obj, float | np.floating):
        return _num(obj)
    if isinstance(obj, pd.Timestamp):
        return obj.isoformat()
    return obj


@dataclass(frozen=True)
class ScorecardModel:
    """A deployable scorecard (see module docstring).

    Build it with :meth:`Scorecard.to_model` or :meth:`from_json`; score with :meth:`points`,
    :meth:`apply` and :meth:`reason_codes`; export with :meth:`to_json` and :meth:`to_sql`.
    """

    variables: tuple[VariablePoints, ...]
    scaling: Scaling
    intercept: float = float("nan")
    calibrator: PDCalibrator | None = None
    master_scale: MasterScale | None = None
    metadata: Mapping = field(default_factory=dict)

    def __post_init__(self):
        if not self.variables:
            raise InputError("variables", "at least one variable", 0, "fit a scorecard first")
        names = [v.name for v in self.variables]
        if len(set(names)) != len(names):
            raise InputError("variables", "distinct variable names", names, "fix the export")

    # ------------------------------------------------------------------ build
    @classmethod
    def from_scorecard(cls, sc, *, calibrator: PDCalibrator | None = None,
                       master_scale: MasterScale | None = None, labels: dict | None = None,
                       metadata: dict | None = None) -> ScorecardModel:
        """Freeze a fitted :class:`Scorecard` (with an optional fitted calibrator and scale)."""
        check_is_fitted(sc, "features_")
        if calibrator is not None:
            check_is_fitted(calibrator, "shift_")
        labels = labels or {}
        variables = []
        for j, name in enumerate(sc.features_):
            vb = sc.binning_.variables_[name]
            variables.append(VariablePoints(
                name=name, edges=tuple(float(e) for e in vb.edges), specials=tuple(vb.specials),
                points=tuple(int(p) for p in sc._points_lookup[name]),
                label=str(labels.get(name, "")), bins=tuple(vb.table["bin"].tolist()),
                woe=tuple(float(w) for w in vb.woe), coef=float(sc.coef_[0, j]),
                categories=vb.categories))
        meta = {"method": sc.method, "selection": sc.selection, "criterion": sc.criterion,
                "training": {k: _clean(v) for k, v in sc.fit_stats_.items()}}
        meta.update(metadata or {})
        return cls(variables=tuple(variables),
                   scaling=Scaling(sc.scaling_.base_score, sc.scaling_.base_odds,
                                   sc.scaling_.pdo),
                   intercept=float(sc.intercept_[0]), calibrator=calibrator,
                   master_scale=master_scale, metadata=_clean(meta))

    # ------------------------------------------------------------------ inputs
    @property
    def features(self) -> list[str]:
        return [v.name for v in self.variables]

    def _values(self, X, errors: str) -> tuple[pd.DataFrame, pd.Series, pd.Index]:
        """Numeric values of the model's variables and a per-row error text ('' when fine)."""
        check_choice(errors, "errors", ("raise", "record"))
        if isinstance(X, Mapping):
            X = pd.DataFrame([{k: (np.nan if v is None else v) for k, v in X.items()}])
        if not isinstance(X, pd.DataFrame):
            raise InputError("X", "a DataFrame or a dict (one row)", type(X).__name__,
                             "pass a DataFrame with the scorecard's variables")
        missing = [c for c in self.features if c not in X.columns]
        if missing:
            raise InputError("X", f"the scorecard's variables {self.features}",
                             f"missing column(s) {missing}",
                             "add the columns (a missing value may be NaN/None)")
        vals = {}
        err = pd.Series("", index=X.index, dtype="str")
        cats = {v.name for v in self.variables if v.is_categorical}
        for c in self.features:
            raw = X[c]
            if c in cats:
                vals[c] = as_text(raw.to_numpy())
                continue
            if pd.api.types.is_bool_dtype(raw):
                num = raw.astype("float64")
            else:
                num = pd.to_numeric(raw, errors="coerce").astype("float64")
            bad = (num.isna() & raw.notna()) | np.isinf(num)
            if bad.any():
                if errors == "raise":
                    rows = list(X.index[bad.to_numpy()][:5])
                    raise InputError(f"X[{c!r}]", "numbers, NaN or None",
                                     f"{list(raw[bad][:3])} in row(s) {rows}",
                                     "fix the values, or use errors='record' to skip the rows")
                err = err.where(~bad, err + f"{c}: invalid value; ")
                num = num.where(~bad, np.nan)
            vals[c] = num.to_numpy()
        return pd.DataFrame(vals, index=X.index), err.str.rstrip("; "), X.index

    # ------------------------------------------------------------------ scoring
    def points_by_variable(self, X, errors: str = "raise") -> pd.DataFrame:
        """Points of each variable and ``points`` (total), Int64 (missing for failed rows)."""
        vals, err, index = self._values(X, errors)
        out = pd.DataFrame({v.name: v.score(vals[v.name].to_numpy()) for v in self.variables},
                           index=index)
        out["points"] = out.sum(axis=1)
        out = out.astype("Int64")
        out[err.to_numpy() != ""] = pd.NA
        return out

    def points(self, X, errors: str = "raise"):
        """Total points: an ``int`` for a dict (one row), else a Series (``Int64``)."""
        one = isinstance(X, Mapping)
        tot = self.points_by_variable(X, errors)["points"]
        if one:
            v = tot.iloc[0]
            return None if pd.isna(v) else int(v)
        return tot

    def pd_from_points(self, points) -> np.ndarray:
        """PD of a number of points: scaling inverse, then the calibrator when there is one."""
        p = np.asarray(pd.to_numeric(pd.Series(np.atleast_1d(points)), errors="coerce"),
                       dtype="float64")
        raw = self.scaling.pd(p)
        if self.calibrator is not None:
            raw = self.calibrator.predict(raw)
        return raw

    def apply(self, X, errors: str = "raise") -> pd.DataFrame:
        """Score a table (or one row as a dict).

        Returns
        -------
        DataFrame indexed like ``X``: ``points`` (Int64), ``pd`` (float, calibrated when the
        model has a calibrator), and with a master scale ``grade`` and ``rating_class``
        (Int64, classes 1-4 of :mod:`creditlab.limits`); ``error`` (str, '' when scored).
        """
        vals, err, index = self._values(X, errors)
        pts = self.points_by_variable(vals, "raise")["points"].copy()
        pts[err.to_numpy() != ""] = pd.NA
        out = pd.DataFrame({"points": pts}, index=index)
        pdv = self.pd_from_points(pts.astype("float64").to_numpy())
        out["pd"] = pdv
        if self.master_scale is not None:
            ms = self.master_scale.apply(pd.Series(pdv, index=index))
            out["grade"] = ms["grade"]
            out["rating_class"] = ms["rating_class"]
        out["error"] = err
        return out

    def reason_codes(self, X, k: int = 3, labels: dict | None = None) -> pd.DataFrame:
        """The ``k`` variables costing the most points (see :meth:`Scorecard.reason_codes`);
        variable labels of the export are used when ``labels`` is None."""
        pts = self.points_by_variable(X).drop(columns="points").astype("int64")
        mx = pd.Series({v.name: v.max_points for v in self.variables}, dtype="int64")
        if labels is None:
            labels = {v.name: v.label for v in self.variables if v.label}
        return reason_codes_from_points(pts, mx, k, labels)

    # ------------------------------------------------------------------ export
    def to_dict(self) -> dict:
        return {
            "format": FORMAT,
            "scaling": self.scaling.to_dict(),
            "intercept": _num(self.intercept),
            "variables": [v.to_dict() for v in self.variables],
            "calibration": None if self.calibrator is None else _clean(self.calibrator.to_dict()),
            "master_scale": None if self.master_scale is None else self.master_scale.to_dict(),
            "metadata": _clean(dict(self.metadata)),
        }

    def to_json(self, path: str | os.PathLike | None = None, indent: int = 2) -> str:
        """JSON text (written to ``path`` too when given, UTF-8)."""
        text = json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, allow_nan=False)
        if path is not None:
            Path(path).write_text(text + "\n", encoding="utf-8")
        return text

    @classmethod
    def from_dict(cls, d: Mapping) -> ScorecardModel:
        if not isinstance(d, Mapping) or d.get("format") != FORMAT:
            raise InputError("scorecard", f"a {FORMAT!r} document",
                             d.get("format") if isinstance(d, Mapping) else type(d).__name__,
                             "export it with ScorecardModel.to_json()")
        try:
            sc = d["scaling"]
            return cls(
                variables=tuple(VariablePoints.from_dict(v) for v in d["variables"]),
                scaling=Scaling(sc["base_score"], sc["base_odds"], sc["pdo"]),
                intercept=float("nan") if d.get("intercept") is None else float(d["intercept"]),
                calibrator=None if d.get("calibration") is None
                else PDCalibrator.from_dict(d["calibration"]),
                master_scale=None if d.get("master_scale") is None
                else MasterScale.from_dict(d["master_scale"]),
                metadata=d.get("metadata", {}))
        except (KeyError, TypeError) as exc:
            raise InputError("scorecard", f"a complete {FORMAT!r} document", f"problem {exc!r}",
                             "export it again with ScorecardModel.to_json()") from None

    @classmethod
    def from_json(cls, source: str | os.PathLike) -> ScorecardModel:
        """Reload from a JSON file path or a JSON text."""
        text = str(source)
        if not text.lstrip().startswith("{"):
            path = Path(source)
            if not path.exists():
                raise InputError("source", "a JSON file or JSON text", text[:80],
                                 "check the path")
            text = path.read_text(encoding="utf-8")
        try:
            d = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError("source", "valid JSON", str(exc), "export the scorecard again") \
                from None
        return cls.from_dict(d)

    def to_sql(self, table: str | None = None, alias: str = "points") -> str:
        """SQL giving the total points: ``CASE`` per variable, summed.

        With ``table``, a full ``SELECT *, <expr> AS alias FROM table``; else the expression.
        Columns are double-quoted (ANSI); numbers are written with full float precision. NULL
        takes the missing-bin points, special values are tested before the intervals
        (``x < edge`` in increasing order), as in :func:`assign_bins`. Missing values must be
        stored as NULL: a floating-point NaN stored as such (possible in DuckDB or PostgreSQL
        DOUBLE columns) is not NULL and falls in the last interval. A categorical variable must
        be a text column: ``WHEN col IN ('a', 'b') THEN p``; a category of no group takes the
        points of the ``unseen`` bin (``ELSE``).
        """
        def ident(name: str) -> str:
            return '"' + name.replace('"', '""') + '"'

        def lit(value: str) -> str:
            return "'" + str(value).replace("'", "''") + "'"

        parts = []
        for v in self.variables:
            col = ident(v.name)
            if v.is_categorical:
                k, pts = len(v.categories), v.points
                whens = [f"WHEN {col} IS NULL THEN {pts[k + len(v.specials)]}"]
                whens += [f"WHEN {col} = {lit(s)} THEN {pts[k + j]}"
                          for j, s in enumerate(v.specials)]
                whens += [f"WHEN {col} IN ({', '.join(lit(c) for c in g)}) THEN {pts[i]}"
                          for i, g in enumerate(v.categories)]
                parts.append("CASE " + " ".join(whens) + f" ELSE {pts[-1]} END")
                continue
            k = len(v.edges) + 1
            pts = v.points
            whens = [f"WHEN {col} IS NULL THEN {pts[-1]}"]
            whens += [f"WHEN {col} = {s!r} THEN {pts[k + j]}" for j, s in enumerate(v.specials)]
            whens += [f"WHEN {col} < {e!r} THEN {pts[i]}" for i, e in enumerate(v.edges)]
            parts.append("CASE " + " ".join(whens) + f" ELSE {pts[k - 1]} END")
        expr = "(\n    " + "\n  + ".join(parts) + "\n)"
        if table is None:
            return expr
        return f"SELECT *, {expr} AS {ident(alias)}\nFROM {table}"

    # ------------------------------------------------------------------ display
    def summary(self) -> pd.DataFrame:
        """The points grid: ``variable``, ``label``, ``bin``, ``woe``, ``points``."""
        rows = []
        for v in self.variables:
            bins = v.bins or tuple(str(i) for i in range(len(v.points)))
            woe = v.woe or (np.nan,) * len(v.points)
            for b, w, p in zip(bins, woe, v.points, strict=True):
                rows.append({"variable": v.name, "label": v.label, "bin": b, "woe": w,
                             "points": p})
        out = pd.DataFrame(rows)
        for c in ("variable", "label", "bin"):
            out[c] = out[c].astype("str")
        return out

    def _repr_html_(self) -> str:
        s = self.scaling
        return (f"<p>Grille de score : {len(self.variables)} variables — {s.base_score:g} points "
                f"= cote {s.base_odds:g}:1, PDO {s.pdo:g}</p>" + self.summary().to_html())


def save_scorecard(model, path: str | os.PathLike, **kwargs) -> Path:
    """Write a :class:`ScorecardModel` (or a fitted Scorecard, frozen with ``kwargs`` passed to
    :meth:`Scorecard.to_model`) to JSON; returns the path."""
    if not isinstance(model, ScorecardModel):
        model = model.to_model(**kwargs)
    model.to_json(path)
    return Path(path)


def load_scorecard(source: str | os.PathLike) -> ScorecardModel:
    """Reload a scorecard exported with :func:`save_scorecard` / :meth:`ScorecardModel.to_json`."""
    return ScorecardModel.from_json(source)
