"""The portfolio-level Jeffreys test (ECB instructions for IRB validation)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from creditlab.exceptions import InputError
from creditlab.modeling import jeffreys_test


def _beta_cdf(x: float, a: float, b: float) -> float:
    """Beta distribution function by numerical integration (independent of scipy.stats);
    substitution t = u**2 removes the singularity of the density at 0 when a = 1/2 + D."""
    u = np.linspace(0.0, math.sqrt(x), 200_001)
    t = u ** 2
    dens = t ** (a - 1) * (1 - t) ** (b - 1) * 2 * u
    dens[0] = 0.0 if a > 0.5 else 2.0  # limit of 2u·u^(2a-2) at u = 0
    log_beta = math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)
    return float(np.trapezoid(dens, u) / math.exp(log_beta))


def test_jeffreys_pvalue_is_the_posterior_cdf_at_the_pd():
    r = jeffreys_test(defaults=12, n=400, pd_=0.02)
    assert r["pvalue"] == pytest.approx(_beta_cdf(0.02, 12.5, 388.5), rel=1e-5)
    assert r["observed_rate"] == 0.03 and r["low"] < 0.03 < r["high"]
    # 12 defaults where 8 are expected: not rejected at 5 %
    assert r["light"] == "green"
    # 30 defaults where 8 are expected: red
    assert jeffreys_test(30, 400, 0.02)["light"] == "red"
    # fewer defaults than expected: p close to 1
    assert jeffreys_test(0, 400, 0.02)["pvalue"] > 0.99


def test_jeffreys_checks_inputs():
    with pytest.raises(InputError, match="defaults"):
        jeffreys_test(5, 4, 0.1)
    with pytest.raises(InputError, match="pd_"):
        jeffreys_test(1, 10, 0.0)
