"""Master scale: N rating grades with PD bounds and a central PD, mapped onto the internal risk
classes 1-4 used by the customer rating (:mod:`creditlab.scores.rating`) and the credit-limit
rules (:mod:`creditlab.limits`, column ``rating_class``).

Conventions:

- grade ``i`` holds the PDs in ``[bounds[i], bounds[i+1])``; PDs below ``bounds[0]`` (the PD floor)
  fall in the first grade, a PD of 1 in the last;
- the **central PD** of a grade is the geometric mean of its bounds, ``sqrt(lo · hi)`` (PDs are
  spread on a log scale; the arithmetic mean would sit near the upper bound). Source: common
  master-scale practice, e.g. the geometric progression of the S&P/Moody's-like scales described
  in Basel Committee, *Studies on the validation of internal rating systems*, WP 14 (2005), §3;
- grades are labelled ``A`` (lowest PD) … by default;
- the **risk class** of a grade defaults to its central PD against ``(1 %, 3 %, 10 %)``:
  class 1 (risque faible) < 1 % ≤ class 2 (risque moyen) < 3 % ≤ class 3 (risque élevé)
  < 10 % ≤ class 4 (risque très élevé). These cut-offs are **ours** (a documented default to
  tune to the company's policy), chosen so that Conan-Holder's "très bonne situation" band
  (P(failure) < 10 % over ~3 years, DOMAIN.md §1.2) spans classes 1-3.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from creditlab._drawing import drawn_by
from creditlab.exceptions import InputError
from creditlab.i18n import check_lang
from creditlab.modeling._common import check_choice, check_number
from creditlab.modeling.labels import label_table

__all__ = ["MasterScale", "DEFAULT_CLASS_PD_BOUNDS", "RISK_CLASSES"]

#: Central-PD cut-offs of the default grade → risk-class mapping (ours, see module docstring).
DEFAULT_CLASS_PD_BOUNDS = (0.01, 0.03, 0.10)
RISK_CLASSES = (1, 2, 3, 4)
_CLASS_LABELS = {1: ("risque faible", "low risk"), 2: ("risque moyen", "average risk"),
                 3: ("risque élevé", "high risk"), 4: ("risque très élevé", "very high risk")}


def _round_sig(v: np.ndarray, digits: int | None) -> np.ndarray:
    if digits is None:
        return np.asarray(v, dtype="float64")
    return np.array([float(f"{x:.{digits}g}") for x in v], dtype="float64")


def _default_labels(n: int) -> tuple[str, ...]:
    if n <= 26:
        return tuple(string.ascii_uppercase[:n])
    return tuple(f"G{i + 1:02d}" for i in range(n))


@dataclass(frozen=True)
class MasterScale:
    """A master scale of ``N`` grades.

    Parameters
    ----------
    bounds : sequence of float
        ``N + 1`` strictly increasing PD bounds, ``0 < bounds[0]`` (the floor) and
        ``bounds[-1] == 1``.
    labels : sequence of str, optional
        ``N`` grade labels (default ``A, B, C, ...``).
    risk_classes : mapping grade → int, optional
        Internal risk class (1 best … 4 worst) of every grade; default from the central PD and
        :data:`DEFAULT_CLASS_PD_BOUNDS`. Must be non-decreasing along the grades.
    source : str
        Where the scale comes from (kept in exports).
    """

    bounds: tuple[float, ...]
    labels: tuple[str, ...] = ()
    risk_classes: Mapping[str, int] = field(default_factory=dict)
    source: str = "creditlab"

    def __post_init__(self):
        try:
            b = np.asarray(self.bounds, dtype="float64")
        except (TypeError, ValueError):
            raise InputError("bounds", "a sequence of PD bounds", self.bounds,
                             "e.g. (0.0003, 0.001, 0.005, 0.02, 0.08, 1.0)") from None
        if b.ndim != 1 or b.size < 3 or np.isnan(b).any():
            raise InputError("bounds", "at least 3 PD bounds (2 grades)", b.tolist(),
                             "give N + 1 bounds for N grades")
        if not (b[0] > 0 and b[-1] == 1.0 and np.all(np.diff(b) > 0)):
            raise InputError("bounds", "strictly increasing bounds from a floor > 0 up to 1",
                             b.tolist(), "e.g. (0.0003, 0.001, 0.005, 0.02, 0.08, 1.0)")
        object.__setattr__(self, "bounds", tuple(float(v) for v in b))
        n = b.size - 1
        labels = tuple(str(v) for v in self.labels) if self.labels else _default_labels(n)
        if len(labels) != n or len(set(labels)) != n:
            raise InputError("labels", f"{n} distinct grade labels", list(self.labels),
                             "give one label per grade")
        object.__setattr__(self, "labels", labels)
        central = np.sqrt(b[:-1] * b[1:])
        if self.risk_classes:
            rc = {str(k): v for k, v in dict(self.risk_classes).items()}
            missing = [g for g in labels if g not in rc]
            if missing or any(v not in RISK_CLASSES for v in rc.values()):
                raise InputError("risk_classes", f"a class in {RISK_CLASSES} for every grade "
                                 f"{list(labels)}", dict(self.risk_classes),
                                 "map every grade to 1, 2, 3 or 4")
            seq = [rc[g] for g in labels]
            if any(x > y for x, y in zip(seq, seq[1:], strict=False)):
                raise InputError("risk_classes", "classes non-decreasing from the safest grade",
                                 dict(self.risk_classes), "a riskier grade cannot get a better "
                                 "class")
            rc = {g: int(rc[g]) for g in labels}
        else:
            cls = 1 + np.searchsorted(np.asarray(DEFAULT_CLASS_PD_BOUNDS), central, side="right")
            rc = {g: int(c) for g, c in zip(labels, cls, strict=True)}
        object.__setattr__(self, "risk_classes", rc)

    # ------------------------------------------------------------------ constructors
    @classmethod
    def geometric(cls, n_grades: int = 7, pd_min: float = 0.0003, pd_max: float = 0.30, *,
                  digits: int | None = 2, **kwargs) -> MasterScale:
        """``n_grades`` grades with bounds in geometric progression from ``pd_min`` to
        ``pd_max`` (the last grade is ``[pd_max, 1]``), rounded to ``digits`` significant
        digits."""
        check_number("n_grades", n_grades, 2, 100, integer=True)
        check_number("pd_min", pd_min, 0, 1, lo_open=True, hi_open=True)
        check_number("pd_max", pd_max, pd_min, 1, lo_open=True, hi_open=True)
        inner = pd_min * (pd_max / pd_min) ** (np.arange(int(n_grades)) / (int(n_grades) - 1))
        b = _round_sig(inner, digits)
        if np.any(np.diff(b) <= 0):
            raise InputError("digits", "enough digits to keep the bounds distinct", digits,
                             "raise digits or reduce n_grades")
        return cls(bounds=(*b.tolist(), 1.0), **kwargs)

    @classmethod
    def from_pds(cls, pds, n_grades: int = 7, *, method: str = "geometric",
                 pd_floor: float = 0.0003, digits: int | None = 2, **kwargs) -> MasterScale:
        """Build a scale from calibrated PDs.

        ``method="geometric"``: bounds in geometric progression between the 1st and 99th
        percentiles of the PDs (the 1st at least ``pd_floor``); ``"quantile"``: grades of equal
        population (bounds at the k/N quantiles; equal rounded bounds are merged, so fewer
        grades can result).
        """
        check_choice(method, "method", ("geometric", "quantile"))
        check_number("n_grades", n_grades, 2, 100, integer=True)
        check_number("pd_floor", pd_floor, 0, 1, lo_open=True, hi_open=True)
        p = np.asarray(pds, dtype="float64")
        p = p[~np.isnan(p)]
        if p.size == 0 or (p < 0).any() or (p > 1).any():
            raise InputError("pds", "calibrated PDs in [0, 1]", "none or out of range",
                             "pass PDs as fractions")
        if method == "geometric":
            lo = max(pd_floor, float(np.quantile(p, 0.01)))
            hi = float(np.quantile(p, 0.99))
            if hi <= lo:
                raise InputError("pds", "PDs spread over a range", f"1%-99% range [{lo}, {hi}]",
                                 "use method='quantile' or MasterScale.geometric")
            return cls.geometric(n_grades, lo, hi, digits=digits, **kwargs)
        inner = np.quantile(p, np.arange(1, int(n_grades)) / int(n_grades))
        inner = np.unique(_round_sig(inner, digits))
        inner = inner[(inner > pd_floor) & (inner < 1)]
        if inner.size == 0:
            raise InputError("pds", "PDs spread over several quantiles", "all PDs equal",
                             "use MasterScale.geometric")
        return cls(bounds=(pd_floor, *inner.tolist(), 1.0), **kwargs)

    @classmethod
    def from_dict(cls, d: Mapping) -> MasterScale:
        """Rebuild from :meth:`to_dict` output."""
        try:
            return cls(bounds=tuple(d["bounds"]), labels=tuple(d["labels"]),
                       risk_classes=dict(d["risk_classes"]), source=d.get("source", ""))
        except KeyError as exc:
            raise InputError("master_scale", "a dict from MasterScale.to_dict()",
                             f"missing key {exc}", "export the scale again") from None

    def to_dict(self) -> dict:
        return {"bounds": list(self.bounds), "labels": list(self.labels),
                "central_pd": [float(v) for v in self.central_pd],
                "risk_classes": dict(self.risk_classes), "source": self.source}

    def with_risk_classes(self, mapping: Mapping[str, int]) -> MasterScale:
        """Same grades, another grade → risk-class mapping."""
        return MasterScale(self.bounds, self.labels, mapping, self.source)

    # ------------------------------------------------------------------ use
    @property
    def n_grades(self) -> int:
        return len(self.labels)

    @property
    def central_pd(self) -> np.ndarray:
        """Geometric mean of each grade's bounds."""
        b = np.asarray(self.bounds)
        return np.sqrt(b[:-1] * b[1:])

    def grade_index(self, pds) -> np.ndarray:
        """0-based grade of each PD (−1 for NaN)."""
        p = np.asarray(pds, dtype="float64")
        if ((p < 0) | (p > 1)).any():
            raise InputError("pds", "PDs in [0, 1]", p[(p < 0) | (p > 1)][:3].tolist(),
                             "pass PDs as fractions")
        idx = np.searchsorted(np.asarray(self.bounds[1:-1]), p, side="right")
        return np.where(np.isnan(p), -1, idx)

    def grade(self, pds) -> pd.Series:
        """Grade label of each PD (``str``; missing for NaN), indexed like ``pds``."""
        idx = self.grade_index(pds)
        lab = np.array(self.labels, dtype=object)
        vals = np.where(idx >= 0, lab[np.maximum(idx, 0)], None)
        index = pds.index if isinstance(pds, pd.Series) else None
        return pd.Series(vals, index=index, name="grade", dtype="str")

    def apply(self, pds) -> pd.DataFrame:
        """``pd``, ``grade``, ``central_pd``, ``rating_class`` (Int64: the class used by
        :mod:`creditlab.limits`) for every PD."""
        idx = self.grade_index(pds)
        ok = idx >= 0
        central = np.where(ok, self.central_pd[np.maximum(idx, 0)], np.nan)
        classes = np.array([self.risk_classes[g] for g in self.labels])
        rc = pd.array(np.where(ok, classes[np.maximum(idx, 0)], 0), dtype="Int64")
        rc[~ok] = pd.NA
        index = pds.index if isinstance(pds, pd.Series) else None
        return pd.DataFrame({"pd": np.asarray(pds, dtype="float64"),
                             "grade": self.grade(pds).to_numpy(),
                             "central_pd": central, "rating_class": rc}, index=index)

    def summary(self) -> pd.DataFrame:
        """One row per grade (index ``grade``), in codes: ``pd_min``, ``pd_max``,
        ``central_pd`` (fractions) and ``rating_class`` (1-4). :meth:`in_words` adds the
        class in words (``class_label``), :meth:`to_frame` also names the columns in words.
        ``lang`` is no longer a parameter (passing it raises ``TypeError``)."""
        b = np.asarray(self.bounds)
        cls = [self.risk_classes[g] for g in self.labels]
        return pd.DataFrame({
            "pd_min": b[:-1], "pd_max": b[1:], "central_pd": self.central_pd,
            "rating_class": cls,
        }, index=pd.Index(list(self.labels), name="grade", dtype="str"))

    def in_words(self, lang: str = "fr") -> pd.DataFrame:
        """:meth:`summary` with ``class_label``: the risk class in words ("risque élevé";
        ``lang="en"``: "high risk"); column names stay codes."""
        lang = check_lang(lang)
        out = self.summary()
        out["class_label"] = pd.array(
            [_CLASS_LABELS[c][0 if lang == "fr" else 1] for c in out["rating_class"]],
            dtype="str")
        return out

    def to_frame(self, lang: str = "fr") -> pd.DataFrame:
        """:meth:`in_words` with the column names in words too ("PD min", "libellé"...)."""
        return label_table(self.in_words(lang), lang)

    def _repr_html_(self) -> str:
        return (f"<p>Échelle maîtresse, {self.n_grades} classes ({self.source})</p>"
                + self.in_words("fr").to_html(float_format=lambda v: f"{v:.4%}"))

    #: Draw with :func:`creditlab.modeling.plots.plot_master_scale`; returns the Axes.
    plot_scale = drawn_by("creditlab.modeling.plots", "plot_master_scale")
