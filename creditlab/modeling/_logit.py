"""Small, fast unpenalised logistic regression (Newton-Raphson / IRLS) used inside the stepwise
selection, and the vectorised score (Rao) test that ranks candidate variables.

The final model coefficients, standard errors and p-values come from statsmodels
(:func:`statsmodels_logit`); tests check that both agree.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy.special import ndtr, ndtri

__all__ = ["logit_fit", "score_test", "statsmodels_logit", "sigmoid", "penalised_logit_fit",
           "PenalisedLogitResult"]


def sigmoid(z):
    """Logistic function 1 / (1 + exp(−z)), computed without overflow."""
    z = np.asarray(z, dtype="float64")
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1.0 + ez)
    return out


def _loglik(eta: np.ndarray, y: np.ndarray, sw: np.ndarray | None = None) -> float:
    # sum(w * (y*eta - log(1 + exp(eta)))) computed stably
    ll = y * eta - np.logaddexp(0.0, eta)
    return float(np.sum(ll if sw is None else sw * ll))


def logit_fit(X: np.ndarray, y: np.ndarray, max_iter: int = 100, tol: float = 1e-10,
              sw: np.ndarray | None = None) -> tuple[np.ndarray, float, np.ndarray]:
    """Maximum-likelihood logistic regression of ``y`` on ``X`` (``X`` holds the intercept column).

    ``sw``: optional frequency weights (each row counts ``sw_i`` times: integer weights give
    the fit of the repeated rows).

    Returns
    -------
    beta : array
    llf : float
        Log-likelihood at ``beta``.
    cov : array
        Inverse of the observed information matrix (pseudo-inverse when singular).
    """
    n, k = X.shape
    f = np.ones(n) if sw is None else sw
    beta = np.zeros(k)
    ybar = float(np.sum(f * y) / np.sum(f))
    beta[0] = np.log(ybar / (1 - ybar))  # intercept-only start (X[:, 0] is the constant)
    eta = X @ beta
    llf = _loglik(eta, y, sw)
    for _ in range(max_iter):
        p = sigmoid(eta)
        w = f * p * (1 - p)
        grad = X.T @ (f * (y - p))
        H = (X * w[:, None]).T @ X
        try:
            step = np.linalg.solve(H, grad)
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(H, grad, rcond=None)[0]
        t = 1.0
        while True:  # step halving keeps the likelihood increasing
            new = beta + t * step
            eta_new = X @ new
            llf_new = _loglik(eta_new, y, sw)
            if llf_new >= llf - 1e-12 or t < 1e-6:
                break
            t /= 2
        beta, eta, delta, llf = new, eta_new, llf_new - llf, llf_new
        if abs(delta) < tol * (1 + abs(llf)) and np.max(np.abs(t * step)) < 1e-8:
            break
    p = sigmoid(eta)
    H = (X * (f * p * (1 - p))[:, None]).T @ X
    cov = np.linalg.pinv(H)
    return beta, llf, cov


def score_test(X: np.ndarray, y: np.ndarray, beta: np.ndarray, C: np.ndarray,
               sw: np.ndarray | None = None) -> np.ndarray:
    """Score (Rao) chi-square statistic of adding each column of ``C`` to the model ``X @ beta``.

    ``S_c = U_c² / (c'Vc − c'VX (X'VX)⁻¹ X'Vc)`` with ``U_c = c'(y − p)`` and ``V = diag(p(1−p))``
    (1 degree of freedom each). Source: C. R. Rao (1948); the forward step of SAS PROC LOGISTIC
    ``SELECTION=STEPWISE`` ranks candidates the same way.
    """
    f = np.ones(len(y)) if sw is None else sw
    p = sigmoid(X @ beta)
    w = f * p * (1 - p)
    U = C.T @ (f * (y - p))
    XtVX = (X * w[:, None]).T @ X
    A = (X * w[:, None]).T @ C  # k × m
    M = np.linalg.pinv(XtVX)
    denom = np.einsum("ij,i,ij->j", C, w, C) - np.einsum("ij,ij->j", A, M @ A)
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.where(denom > 1e-12 * np.maximum(1.0, np.einsum("ij,i,ij->j", C, w, C)),
                     U ** 2 / denom, 0.0)
    return s


def statsmodels_logit(X: np.ndarray, y: np.ndarray, names: list[str],
                      sw: np.ndarray | None = None):
    """statsmodels ``Logit`` fit (intercept first in ``X``, columns named ``names``); returns the
    results object (``params``, ``bse``, ``tvalues``, ``pvalues``, ``conf_int()``, ``llf``,
    ``llnull``). With frequency weights ``sw``: a binomial ``GLM`` with ``freq_weights`` (the
    same estimates, standard errors and log-likelihoods as the repeated rows)."""
    if sw is not None:
        glm = sm.GLM(pd.Series(y, name="y"), pd.DataFrame(X, columns=names),
                     family=sm.families.Binomial(), freq_weights=sw)
        return glm.fit(maxiter=100, tol=1e-12)

    model = sm.Logit(pd.Series(y, name="y"), pd.DataFrame(X, columns=names))
    try:
        res = model.fit(disp=0, method="newton", maxiter=100)
    except np.linalg.LinAlgError:  # pragma: no cover - singular design, fall back
        res = model.fit(disp=0, method="bfgs", maxiter=500)
    return res


def penalised_logit_fit(X: np.ndarray, y: np.ndarray, C: float, sw: np.ndarray | None = None,
                        nonpositive: bool = False, tol: float = 1e-9
                        ) -> tuple[np.ndarray, float, np.ndarray]:
    """L2-penalised logistic regression, optionally with every slope constrained to be <= 0.

    Minimises ``−ℓ(β) + ||β_slopes||² / (2C)`` (scikit-learn's ``LogisticRegression(C=C)``
    objective: the penalty is added to the **summed**, not averaged, log-loss; the intercept,
    ``X[:, 0]``, is not penalised) by a projected Newton method: Newton steps on the free
    coefficients, coefficients at their bound 0 held there while the gradient pushes them
    out (``nonpositive=True``: a positive slope on a WoE would make a safer bin riskier).

    Returns
    -------
    beta : array
    llf : float
        Unpenalised log-likelihood at ``beta``.
    cov : array
        Inverse of the penalised information matrix on the free coefficients (zero rows and
        columns for coefficients held at 0): the Laplace approximation of the posterior
        covariance under the Gaussian prior the penalty stands for.
    """
    n, k = X.shape
    f = np.ones(n) if sw is None else sw
    lam = np.full(k, 1.0 / C)
    lam[0] = 0.0
    beta = np.zeros(k)
    ybar = float(np.sum(f * y) / np.sum(f))
    beta[0] = np.log(ybar / (1 - ybar))

    def objective(bt):
        eta = X @ bt
        return -_loglik(eta, y, sw) + 0.5 * float(np.sum(lam * bt * bt)), eta

    obj, eta = objective(beta)
    free = np.ones(k, dtype=bool)
    for _ in range(200):
        p = sigmoid(eta)
        grad = X.T @ (f * (y - p)) - lam * beta  # gradient of the penalised log-likelihood
        if nonpositive:
            # a slope at 0 whose gradient pushes it up stays at its bound
            free = np.ones(k, dtype=bool)
            free[1:] = ~((beta[1:] >= 0) & (grad[1:] >= 0))
        w = f * p * (1 - p)
        Xf = X[:, free]
        H = (Xf * w[:, None]).T @ Xf + np.diag(lam[free])
        try:
            step_f = np.linalg.solve(H, grad[free])
        except np.linalg.LinAlgError:
            step_f = np.linalg.lstsq(H, grad[free], rcond=None)[0]
        step = np.zeros(k)
        step[free] = step_f
        t = 1.0
        while True:  # projected step with halving: the objective never increases
            new = beta + t * step
            if nonpositive:
                new[1:] = np.minimum(new[1:], 0.0)
            obj_new, eta_new = objective(new)
            if obj_new <= obj + 1e-12 or t < 1e-8:
                break
            t /= 2
        moved = np.max(np.abs(new - beta))
        beta, eta, delta, obj = new, eta_new, obj - obj_new, obj_new
        if delta < tol * (1 + abs(obj)) and moved < 1e-7:
            break
    p = sigmoid(eta)
    free = np.ones(k, dtype=bool)
    if nonpositive:
        free[1:] = beta[1:] < 0
    Xf = X[:, free]
    H = (Xf * (f * p * (1 - p))[:, None]).T @ Xf + np.diag(lam[free])
    cov = np.zeros((k, k))
    cov[np.ix_(free, free)] = np.linalg.pinv(H)
    return beta, _loglik(eta, y, sw), cov


class PenalisedLogitResult:
    """The fields of a statsmodels results object that :class:`~creditlab.modeling.Scorecard`
    reads, for :func:`penalised_logit_fit`: ``params``, ``bse`` (Laplace approximation, 0 for
    a coefficient held at its bound), ``tvalues``, ``pvalues`` (two-sided normal), ``conf_int``,
    ``llf`` (unpenalised) and ``llnull`` (intercept only)."""

    def __init__(self, X, y, names, C, sw=None, nonpositive=False):
        beta, llf, cov = penalised_logit_fit(X, y, C, sw=sw, nonpositive=nonpositive)
        idx = pd.Index(names)
        se = np.sqrt(np.maximum(np.diag(cov), 0.0))
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(se > 0, beta / se, np.nan)
        self.params = pd.Series(beta, index=idx)
        self.bse = pd.Series(se, index=idx)
        self.tvalues = pd.Series(z, index=idx)
        self.pvalues = pd.Series(2 * ndtr(-np.abs(z)), index=idx)
        self.llf = llf
        f = np.ones(len(y)) if sw is None else sw
        ybar = float(np.sum(f * y) / np.sum(f))
        self.llnull = float(np.sum(f) * (ybar * np.log(ybar) + (1 - ybar) * np.log(1 - ybar)))

    def conf_int(self, alpha: float = 0.05):
        q = float(ndtri(1 - alpha / 2))
        return pd.DataFrame({0: self.params - q * self.bse, 1: self.params + q * self.bse})
