"""Dunning plots: they take an :class:`~creditlab.dunning.ActionPlan` and draw it.

``plan.plot_by_step(ax=None, lang=None)`` is a ``drawn_by`` hook to :func:`plot_by_step`: the
dunning package never imports this module (layers one way, no matplotlib in headless runs).
"""

from __future__ import annotations

from creditlab.dunning.policy import dunning_labels
from creditlab.exceptions import InputError
from creditlab.i18n import check_lang
from creditlab.plots._axes import axes_or_new

__all__ = ["plot_by_step"]


def plot_by_step(plan, ax=None, *, lang: str | None = None):
    """Horizontal bars of the net amount to collect per step (k€), from ``plan.summary()``.

    Parameters
    ----------
    plan : ActionPlan
        From :func:`creditlab.dunning.plan_actions`.
    ax : matplotlib Axes, optional
    lang : {"fr", "en"}, optional
        Language of the step names (default: French).

    Returns
    -------
    matplotlib Axes
    """
    if not (hasattr(plan, "summary") and hasattr(plan, "actions")):
        raise InputError("plan", "an ActionPlan", type(plan).__name__,
                         "pass the result of creditlab.dunning.plan_actions(...)")
    lang = check_lang(lang or "fr")
    ax = axes_or_new(ax, figsize=(7, 3.5))
    s = plan.summary()
    days = s["step_day"].map(lambda d: f"{int(d):+d}").astype("str")  # str even when empty
    day = "J" if lang == "fr" else "D"
    names = s["step"].map(lambda c: dunning_labels(c, lang)).astype("str")
    labels = names + f" ({day}" + days + ")"
    ax.barh(labels, s["net_amount"] / 1000.0)
    ax.set_xlabel("k€ (net)")
    ax.invert_yaxis()
    return ax
