"""Small, fast unpenalised logistic regression (Newton-Raphson / IRLS) used inside the stepwise
selection, and the vectorised score (Rao) test that ranks candidate variables.

The final model coefficients, standard errors and p-values come from statsmodels
(:func:`statsmodels_logit`); tests check that both agree.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm

__all__ = ["logit_fit", "score_test", "statsmodels_logit", "sigmoid"]


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
