"""Constants of the modeling package read by both computations and plots (no imports)."""

from __future__ import annotations

__all__ = ["PSI_BOUNDS"]

#: Reading lines of a population stability index: < 0.10 stable, 0.10-0.25 to monitor,
#: >= 0.25 shift (Siddiqi, *Credit Risk Scorecards*, 2006, ch. 8).
PSI_BOUNDS = (0.10, 0.25)
