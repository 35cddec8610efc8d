"""Radar chart of skills rated 1-5, before and after the course (matplotlib polar axes)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

__all__ = ["plot_skills_radar"]


def plot_skills_radar(before: pd.Series, after: pd.Series | None = None, *,
                      labels: pd.Series | None = None, ax=None, title: str | None = None):
    """Radar of ratings 1-5 per skill: ``before`` (positioning) and ``after`` (end of course).

    Parameters
    ----------
    before, after : Series
        Rating per skill id (1-5; a NaN is drawn at the centre, so an unanswered skill shows
        as a dent, never as a made-up value). ``after`` may be None (positioning only).
    labels : Series, optional
        Short label per skill id for the axes (default: the ids).
    ax : polar Axes, optional
        Drawn on a new 6 x 6 figure when omitted.

    Returns
    -------
    matplotlib Axes (polar)
    """
    ids = list(before.index)
    ang = np.linspace(0, 2 * np.pi, len(ids), endpoint=False)
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 6), subplot_kw={"projection": "polar"})
    series = [("avant la formation", before, "#9dc3e6")]
    if after is not None:
        series.append(("après la formation", after.reindex(ids), "#1f4e79"))
    for name, values, color in series:
        v = np.nan_to_num(values.astype(float).to_numpy(), nan=0.0)
        ax.plot(np.append(ang, ang[0]), np.append(v, v[0]), color=color, label=name)
        ax.fill(np.append(ang, ang[0]), np.append(v, v[0]), color=color, alpha=0.2)
    names = [str(labels.get(i, i)) if labels is not None else str(i) for i in ids]
    ax.set_xticks(ang)
    ax.set_xticklabels([n if len(n) <= 28 else n[:27] + "…" for n in names], fontsize=8)
    ax.set_ylim(0, 5)
    ax.set_yticks([1, 2, 3, 4, 5])
    ax.set_title(title or "Mes compétences (1 = débutant, 5 = expert)")
    ax.legend(loc="lower right", bbox_to_anchor=(1.25, -0.1), fontsize=8)
    return ax
