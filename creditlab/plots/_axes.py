"""What every plot module shares: the Axes to draw on, compact euro and percent ticks."""

from __future__ import annotations

from matplotlib.ticker import FuncFormatter

from creditlab.i18n import format_eur


def axes_or_new(ax=None, figsize: tuple[float, float] = (8, 4.5)):
    """``ax`` when given, else the Axes of a new figure of ``figsize`` inches (constrained
    layout). Every ``plot_*(ax=None)`` of the package starts here."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt  # pyplot only when a figure is created (headless reports)

    _, new = plt.subplots(figsize=figsize, layout="constrained")
    return new


def compact_eur(v: float, lang: str) -> str:
    """An axis tick in euros, compact: ``0 €``, ``750 €``, ``250 k€``, ``1,25 M€`` (French) or
    ``€0``, ``€750``, ``€250k``, ``€1.25M`` (English)."""
    fr = lang == "fr"
    if abs(v) >= 1e6:
        s = f"{v / 1e6:.2f}".rstrip("0").rstrip(".")   # 1,25 M€ — never a rounded 1,2
        return (s.replace(".", ",") + "\u00a0M€") if fr else f"€{s}M"
    if abs(v) >= 1e3:
        s = f"{v / 1e3:.0f}"
        return f"{s}\u00a0k€" if fr else f"€{s}k"
    return format_eur(v, lang, 0)


def eur_axis(axis, lang: str) -> None:
    """Compact euro ticks on a matplotlib axis (``ax.xaxis`` or ``ax.yaxis``)."""
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: compact_eur(v, lang)))


def pct_axis(axis, lang: str) -> None:
    """Percent ticks (values are fractions) on a matplotlib axis."""
    def fmt(v, _pos):
        s = f"{100 * v:.0f}"
        return f"{s}\u00a0%" if lang == "fr" else f"{s}%"

    axis.set_major_formatter(FuncFormatter(fmt))
