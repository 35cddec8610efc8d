"""Validation tests of the bank analyst (IRB validation practice).

:func:`jeffreys_test` is the test of the ECB's *Instructions for reporting the validation results
of internal models* (IRB, February 2019, section 2.5.3.1, "Jeffreys test"), run on the whole
portfolio (or one grade): with D defaults among N obligors and a PD estimate PD, the posterior of
the default rate under the Jeffreys prior Beta(1/2, 1/2) is Beta(D + 1/2, N − D + 1/2); the
one-sided p-value of H0 "the PD is not underestimated" is its distribution function at PD,

    p = F_Beta(D + 1/2, N − D + 1/2)(PD).

A small p-value (many more defaults than the PD predicts) rejects the PD. The traffic light uses
the levels of :data:`creditlab.modeling.validation.TRAFFIC_LIGHT_LEVELS` (5 %, 0.1 %).
"""

from __future__ import annotations

from scipy import stats

from creditlab.modeling._common import check_number
from creditlab.modeling.validation import TRAFFIC_LIGHT_LEVELS

__all__ = ["jeffreys_test"]


def jeffreys_test(defaults: int, n: int, pd_: float,
                  levels: tuple[float, float] = TRAFFIC_LIGHT_LEVELS) -> dict:
    """One-sided Jeffreys test of a PD against observed defaults (see the module docstring).

    Parameters
    ----------
    defaults : int
        Observed defaults D (0 <= D <= n).
    n : int
        Obligors N (> 0).
    pd_ : float
        The PD estimate in (0, 1): the average PD of the portfolio, or a grade's PD.
    levels : (amber, red)
        p-value levels of the traffic light.

    Returns
    -------
    dict
        ``n``, ``defaults``, ``observed_rate``, ``pd``, ``pvalue``, ``low`` and ``high``
        (95 % Jeffreys interval of the default rate), ``light`` (green/amber/red).
    """
    check_number("n", n, 1, None, integer=True)
    check_number("defaults", defaults, 0, n, integer=True)
    check_number("pd_", pd_, 0, 1, lo_open=True, hi_open=True)
    a, b = defaults + 0.5, n - defaults + 0.5
    p = float(stats.beta.cdf(pd_, a, b))
    amber, red = levels
    light = "red" if p < red else "amber" if p < amber else "green"
    return {"n": int(n), "defaults": int(defaults), "observed_rate": defaults / n,
            "pd": float(pd_), "pvalue": p, "low": float(stats.beta.ppf(0.025, a, b)),
            "high": float(stats.beta.ppf(0.975, a, b)), "light": light}
