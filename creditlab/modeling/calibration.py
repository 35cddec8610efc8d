"""PD calibration: from a development-sample probability to a portfolio probability of default.

A development sample is often **enriched in failures** (all the failed firms, a sample of the
healthy ones): its default rate π_s is higher than the portfolio's π_t, and so are the model's
PDs. Two tools:

- :func:`prior_shift` rescales the odds (Bayes' rule under a change of class priors, the
  class-conditional distributions being unchanged):

      odds_t(x) = odds_s(x) · [π_t / (1 − π_t)] / [π_s / (1 − π_s)],   PD_t = odds_t / (1 + odds_t)

  i.e. a constant shift of the log-odds by ``logit(π_t) − logit(π_s)``. Source: M. Saerens,
  P. Latinne, C. Decaestecker (2002), "Adjusting the outputs of a classifier to new a priori
  probabilities: a simple procedure", *Neural Computation* 14(1), 21-41, eq. 2.4; C. Elkan (2001),
  "The foundations of cost-sensitive learning", IJCAI, Theorem 2. The mean of the shifted PDs is
  close to, not exactly, π_t; ``match="mean"`` instead solves for the log-odds shift that makes
  the mean PD equal π_t ("calibration in the large").

- :class:`PDCalibrator`, a scikit-learn style estimator: ``method="platt"`` (logistic
  regression of the outcome on the logit of the input PD: J. Platt 1999), ``"isotonic"``
  (monotone step function, pool-adjacent-violators: Zadrozny & Elkan 2002) or ``"none"``, then
  the optional prior shift to ``target_rate``. PDs are floored at ``pd_floor`` (default 0.03 %,
  the regulatory PD floor for corporate exposures, CRR art. 160(1); 0.05 % under CRR3 art.
  160(1)) so that no grade promises zero risk.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq
from sklearn.base import BaseEstimator
from sklearn.isotonic import IsotonicRegression
from sklearn.utils.validation import check_is_fitted

from creditlab.exceptions import InputError
from creditlab.modeling._common import check_choice, check_number, check_target, check_weights
from creditlab.modeling._logit import logit_fit, sigmoid

__all__ = ["prior_shift", "logit", "PDCalibrator"]

_EPS = 1e-12


def logit(p) -> np.ndarray:
    """``ln(p / (1 − p))`` with p clipped to [1e-12, 1 − 1e-12] (finite for 0 and 1)."""
    p = np.clip(np.asarray(p, dtype="float64"), _EPS, 1 - _EPS)
    return np.log(p) - np.log1p(-p)


def _check_pd(name: str, p, allow_nan: bool = False) -> np.ndarray:
    arr = np.asarray(p, dtype="float64")
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise InputError(name, "a 1-D array of probabilities", f"shape {arr.shape}",
                         "pass a Series or a 1-D array")
    bad = ~np.isnan(arr) & ((arr < 0) | (arr > 1))
    if bad.any() or (not allow_nan and np.isnan(arr).any()):
        got = arr[bad][:3].tolist() if bad.any() else "NaN"
        raise InputError(name, "probabilities in [0, 1]" + ("" if allow_nan else " without NaN"),
                         got, "pass PDs as fractions (0.02 = 2 %)")
    return arr


def _check_rate(name: str, rate) -> float:
    check_number(name, rate, 0, 1, lo_open=True, hi_open=True)
    return float(rate)


def prior_shift(pd_sample, target_rate: float, sample_rate: float | None = None, *,
                match: str = "bayes") -> np.ndarray:
    """Recalibrate PDs from the sample default rate to a target (portfolio) default rate.

    Parameters
    ----------
    pd_sample : array of float
        PDs estimated on the development sample (fractions; NaN stays NaN).
    target_rate : float
        Portfolio default rate π_t in (0, 1).
    sample_rate : float, optional
        Default rate π_s of the development sample. Required with ``match="bayes"``.
    match : {"bayes", "mean"}
        ``"bayes"``: shift the log-odds by ``logit(π_t) − logit(π_s)`` (formula in the module
        docstring). ``"mean"``: shift the log-odds by the constant that makes the mean of the
        returned PDs equal π_t (``sample_rate`` is then not used).

    Returns
    -------
    ndarray
        Recalibrated PDs, same shape. A PD of exactly 0 or 1 stays 0 or 1.

    Examples
    --------
    Sample of 20 % failures, portfolio rate 2 %: a sample PD of 20 % (odds 1:4) becomes odds
    ``0.25 · (0.02/0.98) / (0.2/0.8) = 0.0204`` → PD 2 %.
    """
    check_choice(match, "match", ("bayes", "mean"))
    p = _check_pd("pd_sample", pd_sample, allow_nan=True)
    t = _check_rate("target_rate", target_rate)
    z = logit(p)
    if match == "bayes":
        if sample_rate is None:
            raise InputError("sample_rate", "the default rate of the development sample",
                             None, "pass sample_rate=y_dev.mean() or use match='mean'")
        s = _check_rate("sample_rate", sample_rate)
        shift = float(logit(t) - logit(s))
    else:
        ok = ~np.isnan(p)
        if not ok.any():
            raise InputError("pd_sample", "at least one PD", "only NaN", "pass PDs")
        shift = _mean_shift(z[ok], t)
    out = sigmoid(z + shift)
    out = np.where(p <= 0, 0.0, np.where(p >= 1, 1.0, out))
    return np.where(np.isnan(p), np.nan, out)


def _mean_shift(z: np.ndarray, target: float, floor: float = 0.0, sw=None) -> float:
    def gap(c):
        return float(np.average(np.maximum(sigmoid(z + c), floor), weights=sw)) - target

    lo, hi = -50.0, 50.0
    return float(brentq(gap, lo, hi, xtol=1e-12))


class PDCalibrator(BaseEstimator):
    """Map development PDs (or any probability) to calibrated portfolio PDs.

    Parameters
    ----------
    method : {"none", "platt", "isotonic"}, default "platt"
        Calibration fitted on (input PD, outcome): none, logistic on the logit of the PD
        (``PD' = sigmoid(a + b·logit(PD))``), or isotonic (increasing step function).
    target_rate : float, optional
        Portfolio default rate; when given, the calibrated PDs are shifted to it
        (:func:`prior_shift`). None keeps the development sample's level.
    match : {"bayes", "mean"}, default "bayes"
        How the shift to ``target_rate`` is computed (see :func:`prior_shift`); with ``"mean"``
        the mean calibrated PD on the fitting sample equals ``target_rate``.
    pd_floor : float, default 0.0003
        Lowest PD returned (CRR art. 160(1): 0.03 %).

    Attributes
    ----------
    sample_rate_ : float
        Default rate of the fitting sample.
    a_, b_ : float
        Platt parameters (0 and 1 for ``"none"``/``"isotonic"``).
    thresholds_ : tuple of ndarray
        Isotonic step function (x, y) (empty otherwise).
    shift_ : float
        Log-odds shift applied after the calibration (0 without ``target_rate``).

    Notes
    -----
    ``predict(pd)`` (alias ``transform``) returns a 1-D array. NaN input gives NaN.
    """

    def __init__(self, method: str = "platt", *, target_rate: float | None = None,
                 match: str = "bayes", pd_floor: float = 0.0003):
        self.method = method
        self.target_rate = target_rate
        self.match = match
        self.pd_floor = pd_floor

    def fit(self, pd_dev, y, sample_weight=None):
        """Fit on development PDs ``pd_dev`` and outcomes ``y`` (0/1).

        ``sample_weight`` (optional, >= 0): frequency weights of the sample rate, the Platt
        regression, the isotonic fit and the ``"mean"`` match (integer weights = repeated
        rows)."""
        check_choice(self.method, "method", ("none", "platt", "isotonic"))
        check_choice(self.match, "match", ("bayes", "mean"))
        check_number("pd_floor", self.pd_floor, 0, 0.5, hi_open=True)
        if self.target_rate is not None:
            _check_rate("target_rate", self.target_rate)
        p = _check_pd("pd_dev", pd_dev)
        yv = check_target(y)
        if len(yv) != len(p):
            raise InputError("y", f"{len(p)} outcomes (one per PD)", len(yv), "align the inputs")
        sw = check_weights(sample_weight, len(yv))
        self.sample_rate_ = float(np.average(yv, weights=sw))
        self.a_, self.b_ = 0.0, 1.0
        self.thresholds_ = (np.empty(0), np.empty(0))
        if self.method == "platt":
            X = np.column_stack([np.ones(len(p)), logit(p)])
            beta, _, _ = logit_fit(X, yv.astype("float64"), sw=sw)
            self.a_, self.b_ = float(beta[0]), float(beta[1])
        elif self.method == "isotonic":
            iso = IsotonicRegression(y_min=0.0, y_max=1.0, increasing=True,
                                     out_of_bounds="clip").fit(p, yv, sample_weight=sw)
            self.thresholds_ = (np.asarray(iso.X_thresholds_, dtype="float64"),
                                np.asarray(iso.y_thresholds_, dtype="float64"))
        self.shift_ = 0.0
        if self.target_rate is not None:
            base = self._base(p)
            if self.match == "bayes":
                self.shift_ = float(logit(self.target_rate) - logit(self.sample_rate_))
            else:
                if self.target_rate <= self.pd_floor:
                    raise InputError("target_rate", f"a rate above pd_floor={self.pd_floor}",
                                     self.target_rate, "lower pd_floor or check the rate")
                self.shift_ = _mean_shift(logit(np.maximum(base, self.pd_floor)),
                                          float(self.target_rate), self.pd_floor, sw)
        return self

    def _base(self, p: np.ndarray) -> np.ndarray:
        if self.method == "platt":
            return sigmoid(self.a_ + self.b_ * logit(p))
        if self.method == "isotonic":
            x, yy = self.thresholds_
            return np.interp(p, x, yy)
        return p

    def predict(self, pd_in) -> np.ndarray:
        """Calibrated PDs (1-D array, floored at ``pd_floor``; NaN stays NaN)."""
        check_is_fitted(self, "shift_")
        p = _check_pd("pd", pd_in, allow_nan=True)
        nan = np.isnan(p)
        q = self._base(np.where(nan, 0.5, p))
        q = np.maximum(q, self.pd_floor)
        if self.shift_ != 0.0:
            q = sigmoid(logit(q) + self.shift_)
        q = np.clip(q, self.pd_floor, 1.0)
        return np.where(nan, np.nan, q)

    transform = predict

    def to_dict(self) -> dict:
        """JSON-serialisable parameters (reloaded by :meth:`from_dict`)."""
        check_is_fitted(self, "shift_")
        return {"method": self.method, "target_rate": self.target_rate, "match": self.match,
                "pd_floor": self.pd_floor, "sample_rate": self.sample_rate_, "a": self.a_,
                "b": self.b_, "thresholds_x": [float(v) for v in self.thresholds_[0]],
                "thresholds_y": [float(v) for v in self.thresholds_[1]], "shift": self.shift_}

    @classmethod
    def from_dict(cls, d: dict) -> PDCalibrator:
        """Rebuild a fitted calibrator from :meth:`to_dict` output."""
        try:
            obj = cls(d["method"], target_rate=d["target_rate"], match=d["match"],
                      pd_floor=d["pd_floor"])
            obj.sample_rate_ = float(d["sample_rate"])
            obj.a_, obj.b_ = float(d["a"]), float(d["b"])
            obj.thresholds_ = (np.asarray(d["thresholds_x"], dtype="float64"),
                               np.asarray(d["thresholds_y"], dtype="float64"))
            obj.shift_ = float(d["shift"])
        except KeyError as exc:
            raise InputError("calibration", "a dict from PDCalibrator.to_dict()",
                             f"missing key {exc}", "export the calibrator again") from None
        return obj
