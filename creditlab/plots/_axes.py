"""What every plot module shares: the Axes to draw on, compact euro and percent ticks."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter

from creditlab.i18n import format_eur, format_number, format_pct


def axes_or_new(ax=None, figsize: tuple[float, float] = (8, 4.5)):
    """``ax`` when given, else the Axes of a new figure of ``figsize`` inches (constrained
    layout). Every ``plot_*(ax=None)`` of the package starts here."""
    if ax is not None:
        return ax

    _, new = plt.subplots(figsize=figsize, layout="constrained")
    return new


def compact_eur(v: float, lang: str) -> str:
    """An axis tick in euros, compact: ``0 €``, ``750 €``, ``250 k€``, ``1,25 M€`` (French) or
    ``€0``, ``€750``, ``€250k``, ``€1.25M`` (English); numbers from :mod:`creditlab.i18n`."""
    fr, sign = lang == "fr", "-" if v < 0 else ""
    if abs(v) >= 1e6:
        m = round(abs(v) / 1e6, 2)   # 1,25 M€ — never a rounded 1,2
        s = format_number(m, lang, 0 if m == round(m) else (1 if m * 10 == round(m * 10) else 2))
        return sign + (f"{s}\u00a0M€" if fr else f"€{s}M")
    if abs(v) >= 1e3:
        s = format_number(round(abs(v) / 1e3), lang, 0)
        return sign + (f"{s}\u00a0k€" if fr else f"€{s}k")
    return format_eur(v, lang, 0)


def eur_axis(axis, lang: str) -> None:
    """Compact euro ticks on a matplotlib axis (``ax.xaxis`` or ``ax.yaxis``)."""
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: compact_eur(v, lang)))


def pct_tick(v: float, lang: str) -> str:
    """A percent tick (``v`` a fraction) with the decimals it needs: ``12,5 %``, not a rounded
    ``13 %``; ``10 %`` (:func:`creditlab.i18n.format_pct` with ``decimals=None``)."""
    return format_pct(v, lang, None)


def pct_axis(axis, lang: str) -> None:
    """Percent ticks (values are fractions) on a matplotlib axis."""
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: pct_tick(v, lang)))
