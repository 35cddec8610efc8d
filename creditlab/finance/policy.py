"""Credit policy economics: marginal analysis, ABC (Pareto) segmentation, risk × stakes matrix.

- :func:`marginal_analysis` — is granting credit to a segment (or a customer) worth it? Expected
  margin against expected loss (PD × LGD × EAD) and the financing cost, with the break-even PD.
- :func:`abc_segmentation` — Pareto classes A/B/C by sales or exposure (80 % / 95 % by default).
- :func:`risk_stakes_matrix` — the criticity matrix (risk × stakes) and the approach per quadrant
  (grid in ``creditlab/data/risk_stakes_matrix.csv``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from creditlab._drawing import drawn_by
from creditlab.exceptions import InputError
from creditlab.finance import _common as c
from creditlab.io.reference import risk_stakes_grid
from creditlab.labels import label_view

__all__ = [
    "marginal_analysis",
    "MarginalAnalysis",
    "abc_segmentation",
    "AbcSegmentation",
    "risk_stakes_matrix",
    "RiskStakesMatrix",
    "risk_stakes_grid",
    "MARGINAL_LABELS",
]

MARGINAL_LABELS = label_view("marginal")

_REQUIRED = ("sales_ht", "margin_rate", "pd", "dso_days")


# ---------------------------------------------------------------------------------------------
# marginal analysis
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class MarginalAnalysis(c.ResultMixin):
    """Result of :func:`marginal_analysis`: one row per segment or customer.

    ``table`` columns (euros per year unless said otherwise): ``sales_ht, margin_rate, pd, lgd,
    dso_days, rate, expected_margin, ead, expected_loss, financing_cost, other_costs,
    net_contribution, break_even_pd, pd_headroom`` (fractions for rates and PDs) and
    ``decision`` ("grant" / "refuse").
    """

    table: pd.DataFrame
    day_count: int

    _title = {"fr": "Analyse marginale du crédit", "en": "Marginal analysis of credit"}
    _labels = MARGINAL_LABELS
    _code_columns = ("decision",)

    @property
    def total(self) -> pd.Series:
        """Sums over segments of the euro columns."""
        return self.table[["sales_ht", "expected_margin", "expected_loss", "financing_cost",
                           "other_costs", "net_contribution"]].sum()

    def summary(self) -> pd.DataFrame:
        """Euro columns, PD, break-even PD and decision (code) per segment."""
        cols = ["sales_ht", "expected_margin", "expected_loss", "financing_cost", "other_costs",
                "net_contribution", "pd", "break_even_pd", "decision"]
        return self.table[cols].copy()

    #: Margin, expected loss, financing cost and net contribution per segment.
    plot_contributions = drawn_by("creditlab.plots.finance", "plot_marginal_analysis")


def marginal_analysis(segments: pd.DataFrame | Mapping, *, rate: float | None = None,
                      lgd: float | None = None, vat_rate: float = 0.20, day_count: int = 365) -> MarginalAnalysis:
    """Is granting credit to a segment (or customer) worth it? Vectorised over segments.

    For each row::

        expected margin    = sales HT × margin rate
        EAD (HT)           = sales HT × DSO / D        (unless an ``ead`` column is given)
        expected loss      = PD × LGD × EAD
        financing cost     = sales TTC × DSO / D × rate,  sales TTC = sales HT × (1 + VAT)
        net contribution   = expected margin − expected loss − financing cost − other costs
        break-even PD      = (expected margin − financing cost − other costs) / (LGD × EAD)

    Credit is worth granting when the net contribution is positive, i.e. when PD is below the
    break-even PD. The break-even PD may be above 1 (worth it whatever the risk) or below 0
    (never worth it); it is NaN when LGD × EAD = 0 (no loss possible, the PD does not matter).

    Parameters
    ----------
    segments : DataFrame or mapping
        One row per segment/customer (the index names them) with columns ``sales_ht`` (annual
        sales excl. VAT made thanks to the credit, euros), ``margin_rate`` (contribution margin
        on those sales, fraction in [0, 1]), ``pd`` (one-year probability of default, [0, 1]),
        ``dso_days``; optional ``lgd``, ``rate``, ``vat_rate`` (override the keywords),
        ``ead`` (exposure at default HT, euros — e.g. the credit limit HT) and
        ``other_costs`` (euros/year: collection, insurance...). A mapping of scalars is one
        segment.
    rate : float, optional
        Annual financing rate (fraction) when there is no ``rate`` column.
    lgd : float, optional
        Loss given default (fraction) when there is no ``lgd`` column. Unsecured French trade
        receivables recover little in collective proceedings: 0.8-0.9 is a common assumption.
    vat_rate : float, default 0.20
    day_count : {365, 360}

    Returns
    -------
    MarginalAnalysis

    Notes
    -----
    Expected loss = PD × LGD × EAD is the Basel decomposition; losses are on HT amounts (VAT on
    an irrecoverable debt is recovered, DOMAIN.md §10.3, §14 pitfall 7) while the financing
    cost is on TTC receivables (DOMAIN.md §10.2).
    """
    d = c.day_count(day_count)
    if isinstance(segments, Mapping):
        segments = pd.DataFrame([dict(segments)], index=pd.Index(["segment"], name="segment"))
    df = c.require_columns(segments, "segments", _REQUIRED,
                           "pass one row per segment with sales_ht, margin_rate, pd, dso_days")
    if df.empty:
        raise InputError("segments", "at least one row", "an empty table")
    t = "segments"
    sales = c.column(df, "sales_ht", t, lo=0.0)
    margin = c.column(df, "margin_rate", t, lo=0.0, hi=1.0,
                      fix="give margin_rate as a fraction (0.25 = 25 %)")
    pd_ = c.column(df, "pd", t, lo=0.0, hi=1.0, fix="give pd as a probability in [0, 1]")
    dso = c.column(df, "dso_days", t, lo=0.0, hi=3650.0)

    def col_or(name: str, default, **kw) -> np.ndarray:
        if name in df.columns:
            return c.column(df, name, t, **kw)
        if default is None:
            raise InputError(name, f"a keyword value or a '{name}' column", None,
                             f"pass {name}=... or add a {name} column to segments")
        return np.broadcast_to(c.number(name, default, **kw), len(df)).astype("float64")

    lgd_ = col_or("lgd", lgd, lo=0.0, hi=1.0, fix="give lgd as a fraction in [0, 1]")
    r = col_or("rate", rate, lo=0.0, hi=10.0, fix="give the rate as a fraction (0.05 = 5 %)")
    vat = col_or("vat_rate", vat_rate, lo=0.0, hi=1.0)
    other = col_or("other_costs", 0.0, lo=0.0)
    ead = (c.column(df, "ead", t, lo=0.0) if "ead" in df.columns else sales * dso / d)

    exp_margin = sales * margin
    el = pd_ * lgd_ * ead
    fin = sales * (1 + vat) * dso / d * r
    net = exp_margin - el - fin - other
    be = c.safe_div(exp_margin - fin - other, lgd_ * ead)
    out = pd.DataFrame({
        "sales_ht": sales, "margin_rate": margin, "pd": pd_, "lgd": lgd_, "dso_days": dso,
        "rate": r, "expected_margin": exp_margin, "ead": ead, "expected_loss": el,
        "financing_cost": fin, "other_costs": other, "net_contribution": net,
        "break_even_pd": be, "pd_headroom": be - pd_,
    }, index=df.index)
    out["decision"] = np.where(net > 0, "grant", "refuse")
    return MarginalAnalysis(table=out, day_count=d)


# ---------------------------------------------------------------------------------------------
# ABC segmentation
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class AbcSegmentation(c.ResultMixin):
    """Result of :func:`abc_segmentation`.

    ``table`` keeps the input index and order: ``value`` (negatives counted as 0), ``rank``
    (1 = largest), ``share``, ``cumulative_share`` (in rank order, including the row) and
    ``abc_class``.
    """

    table: pd.DataFrame
    thresholds: tuple[float, ...]
    labels: tuple[str, ...]

    _title = {"fr": "Segmentation ABC (Pareto)", "en": "ABC (Pareto) segmentation"}
    _labels = MARGINAL_LABELS

    @property
    def classes(self) -> pd.Series:
        return self.table["abc_class"]

    def summary(self) -> pd.DataFrame:
        """Per class (index ``abc_class``): count, share of customers, value, share of value."""
        g = self.table.groupby("abc_class", sort=False)
        out = pd.DataFrame({"n": g.size(), "value": g["value"].sum()}).reindex(list(self.labels))
        out = out.fillna(0.0)
        out["share_of_count"] = out["n"] / out["n"].sum()
        total = out["value"].sum()
        out["share_of_value"] = out["value"] / total if total > 0 else np.nan
        out = out[["n", "share_of_count", "value", "share_of_value"]]
        out.index.name = "abc_class"
        return out

    #: Pareto curve: cumulative share of value against share of customers.
    plot_pareto = drawn_by("creditlab.plots.finance", "plot_pareto")


def abc_segmentation(values: pd.Series | pd.DataFrame, *, by: str | None = None,
                     thresholds: Sequence[float] = (0.80, 0.95),
                     labels: Sequence[str] = ("A", "B", "C")) -> AbcSegmentation:
    """ABC (Pareto) classes by sales or exposure.

    Rows are ranked by decreasing value (ties keep the input order). A row is in class A when
    the cumulative share of the rows ranked *before* it is below ``thresholds[0]`` — so the row
    that crosses 80 % is still an A (the A class is the smallest set making at least 80 % of
    the total); B likewise up to ``thresholds[1]``; C the rest.

    Parameters
    ----------
    values : Series or DataFrame
        Amounts per customer (sales, exposure...). With a DataFrame, ``by`` names the column.
        Negative values (a net credit balance) carry no stakes and are counted as 0.
    by : str, optional
        Column of ``values`` to use when it is a DataFrame.
    thresholds : sequence of float, default (0.80, 0.95)
        Increasing cumulative-share bounds in (0, 1), one fewer than ``labels``.
    labels : sequence of str, default ("A", "B", "C")

    Returns
    -------
    AbcSegmentation

    Raises
    ------
    InputError
        NaN values, thresholds not increasing in (0, 1), a total of zero.
    """
    if isinstance(values, pd.DataFrame):
        if by is None or by not in values.columns:
            raise InputError("by", f"a column of values {list(values.columns)}", by,
                             "name the column to segment on, e.g. by='net_exposure'")
        s = values[by]
        name = f"values.{by}"
    elif isinstance(values, pd.Series):
        s, name = values, "values"
    else:
        raise InputError("values", "a Series or a DataFrame", type(values).__name__,
                         "pass amounts per customer as a Series (index = customer_id)")
    th = c.number("thresholds", list(thresholds), lo=0.0, hi=1.0, lo_open=True, hi_open=True,
                  fix="give increasing cumulative shares, e.g. (0.80, 0.95)")
    if th.ndim != 1 or len(th) == 0 or np.any(np.diff(th) <= 0):
        raise InputError("thresholds", "strictly increasing shares in (0, 1)", list(thresholds),
                         "e.g. thresholds=(0.80, 0.95)")
    labels = tuple(str(x) for x in labels)
    if len(labels) != len(th) + 1 or len(set(labels)) != len(labels):
        raise InputError("labels", f"{len(th) + 1} distinct labels (one more than thresholds)",
                         labels, "e.g. labels=('A', 'B', 'C') with two thresholds")
    if s.empty:
        raise InputError(name, "at least one value", "an empty Series")
    v = np.clip(c.number(name, pd.to_numeric(s, errors="coerce").to_numpy(
        dtype="float64", na_value=np.nan), fix="fill or drop the missing amounts"), 0.0, None)
    total = v.sum()
    if total <= 0:
        raise InputError(name, "a positive total", float(total),
                         "segment on a column with positive amounts (sales, exposure)")
    order = np.argsort(-v, kind="stable")
    share = v / total
    cum_sorted = np.cumsum(share[order])
    before_sorted = cum_sorted - share[order]
    cls_idx = np.searchsorted(th, before_sorted, side="right")
    rank = np.empty(len(v), dtype="int64")
    rank[order] = np.arange(1, len(v) + 1)
    cum = np.empty(len(v))
    cum[order] = cum_sorted
    cls = np.empty(len(v), dtype=object)
    cls[order] = np.asarray(labels, dtype=object)[cls_idx]
    out = pd.DataFrame({"value": v, "rank": rank, "share": share, "cumulative_share": cum,
                        "abc_class": pd.array(cls, dtype="str")}, index=s.index)
    return AbcSegmentation(table=out, thresholds=tuple(float(x) for x in th), labels=labels)


# ---------------------------------------------------------------------------------------------
# risk × stakes matrix
# ---------------------------------------------------------------------------------------------
# The grid (risk_stakes_matrix.csv) is loaded by creditlab.io.reference.risk_stakes_grid, shared
# with creditlab.scores.rank_portfolio: one label and one action per quadrant everywhere.


@dataclass(frozen=True, eq=False)
class RiskStakesMatrix(c.ResultMixin):
    """Result of :func:`risk_stakes_matrix`: one row per customer (input index kept) with
    ``risk_level``, ``stakes_level`` ("high"/"low"), ``quadrant`` (code: critical, strategic,
    restrict, routine) and ``priority`` (1 = most critical); ``grid`` the four quadrants it was
    classified with, in codes. The words of a quadrant (label, recommended action) come from
    :meth:`quadrants` (:func:`creditlab.io.reference.risk_stakes_grid`)."""

    table: pd.DataFrame
    grid: pd.DataFrame | None = None

    _title = {"fr": "Matrice risque × enjeu", "en": "Risk × stakes matrix"}
    _labels = MARGINAL_LABELS

    def counts(self) -> pd.DataFrame:
        """2 × 2 count table in codes: rows ``risk_level``, columns ``stakes_level``
        (``high``, ``low``)."""
        levels = ["high", "low"]
        ct = pd.crosstab(self.table["risk_level"], self.table["stakes_level"])
        ct = ct.reindex(index=levels, columns=levels, fill_value=0)
        ct.index.name = "risk_level"
        ct.columns.name = "stakes_level"
        return ct

    @staticmethod
    def quadrants(lang: str = "fr") -> pd.DataFrame:
        """The four quadrants with their label and recommended action in ``lang``."""
        return risk_stakes_grid(lang)

    def summary(self) -> pd.DataFrame:
        """Per quadrant (index ``quadrant``, priority order): priority and count."""
        grid = risk_stakes_grid("fr").set_index("quadrant")
        n = self.table["quadrant"].value_counts().reindex(grid.index, fill_value=0)
        out = pd.DataFrame({"priority": grid["priority"], "n": n}).sort_values("priority")
        out.index.name = "quadrant"
        return out

    def to_frame(self, lang: str = "fr") -> pd.DataFrame:
        """Per quadrant: priority, label, count and recommended approach, in words."""
        s = self.summary()
        g = risk_stakes_grid(lang).set_index("quadrant").reindex(s.index)
        out = pd.DataFrame({"priority": s["priority"], "label": g["label"], "n": s["n"],
                            "action": g["action"]}, index=s.index)
        return c.words(out, self._labels, lang)

    #: The 2 × 2 matrix with the number of customers per quadrant.
    plot_matrix = drawn_by("creditlab.plots.finance", "plot_risk_stakes")


def risk_stakes_matrix(data: pd.DataFrame, *, risk: str = "rating_class",
                       stakes: str = "abc_class", high_risk_from: float = 3,
                       high_stakes: float | Sequence[str] = ("A",)) -> RiskStakesMatrix:
    """Classify customers in the risk × stakes (criticité) matrix.

    Parameters
    ----------
    data : DataFrame
        One row per customer with a ``risk`` column and a ``stakes`` column.
    risk : str, default "rating_class"
        Numeric column where larger = riskier: an internal class 1-4 (DOMAIN.md §11.1, 1 =
        best) or a PD. Risk is "high" when ``value >= high_risk_from``.
    stakes : str, default "abc_class"
        Either labels (e.g. the ``abc_class`` of :func:`abc_segmentation`) — "high" when the
        label is in ``high_stakes`` — or amounts (exposure, sales) — "high" when
        ``value >= high_stakes`` (a number).
    high_risk_from : float, default 3
        Class 3 ("risque élevé") and worse are high risk; pass e.g. 0.05 for a PD column.
    high_stakes : number or sequence of str, default ("A",)

    Returns
    -------
    RiskStakesMatrix

    Notes
    -----
    Criticity = probability × severity (https://studylibfr.com/doc/10064460/la-criticit%C3%A9-du-risque-cr%C3%A9dit-client);
    the four approaches (grid file ``risk_stakes_matrix.csv``) are ours, to be tuned.
    """
    df = c.require_columns(data, "data", (risk, stakes),
                           f"pass one row per customer with columns {risk!r} and {stakes!r}")
    rv = c.column(df, risk, "data", fix=f"fill {risk} (rating class or PD) for every customer")
    thr = c.scalar("high_risk_from", high_risk_from)
    risk_high = rv >= thr
    sv = df[stakes]
    if isinstance(high_stakes, str):
        high_stakes = (high_stakes,)
    if isinstance(high_stakes, Sequence):
        if pd.api.types.is_numeric_dtype(sv) and sv.dtype != bool:
            raise InputError("high_stakes", f"a number (column {stakes!r} holds amounts)",
                             high_stakes, "pass e.g. high_stakes=50000 for an exposure column")
        if sv.isna().any():
            raise InputError(f"data.{stakes}", "a stakes label on every row",
                             "missing values", "run abc_segmentation first or fill the labels")
        stakes_high = sv.astype("str").isin([str(x) for x in high_stakes]).to_numpy()
    else:
        limit = c.scalar("high_stakes", high_stakes, lo=0.0)
        stakes_high = c.column(df, stakes, "data", fix="fill the amounts") >= limit
    out = pd.DataFrame({"risk_level": np.where(risk_high, "high", "low"),
                        "stakes_level": np.where(stakes_high, "high", "low")}, index=df.index)
    grid = risk_stakes_grid("fr")[["risk_level", "stakes_level", "quadrant", "priority",
                                   "source"]]
    merged = out.reset_index(drop=True).merge(grid, on=["risk_level", "stakes_level"],
                                              how="left", validate="many_to_one")
    merged.index = out.index
    return RiskStakesMatrix(table=merged[["risk_level", "stakes_level", "quadrant", "priority"]],
                            grid=grid)
