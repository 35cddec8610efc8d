"""Solvency plots: each returns its Axes, accepts ax=, and rejects bad inputs clearly."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from creditlab.exceptions import InputError
from creditlab.plots import solvency
from creditlab.scores import RiskGrid, customer_rating, rank_portfolio, risk_points
from creditlab.statements import ratio_trends, ratios, sector_position
from creditlab.statements._testing import make_statements


@pytest.fixture(scope="module")
def fs():
    return make_statements(60, seed=8, years=3)


def test_ratio_trends_plot(fs):
    cid = fs["customer_id"].iloc[0]
    trends = ratio_trends(fs, cid, names=["ebe_margin", "dso_days"])
    ax = solvency.plot_ratio_trends(trends, customer_id=cid)
    assert len(ax.get_lines()) + len(ax.figure.axes[-1].get_lines()) == 2
    assert ax.get_xticks().tolist() == [2022, 2023, 2024]
    assert ax.get_title() == f"Évolution des ratios — {cid}"
    # the plot draws the values it is given (the ratio_trends table), in %
    assert ax.get_lines()[0].get_ydata()[-1] == pytest.approx(
        100 * trends.loc["ebe_margin", 2024])
    fig, ax2 = plt.subplots()
    assert solvency.plot_ratio_trends(ratio_trends(fs, cid, names=["roe"]), ax=ax2) is ax2
    with pytest.raises(InputError, match="two different units"):
        solvency.plot_ratio_trends(ratio_trends(fs, cid,
                                                names=["roe", "dso_days", "current_ratio"]))
    with pytest.raises(InputError, match="ratio_trends"):
        solvency.plot_ratio_trends(fs, cid)      # the former call: the plot computes nothing
    plt.close("all")


def test_score_distribution_and_sector_quartiles(fs):
    r = ratios(fs).assign(sector=fs["sector"])
    cls = pd.Series(np.tile([1, 2, 3, 4], 45), index=fs.index)
    ax = solvency.plot_score_distribution(r["ebe_margin"], cls, score_label="marge")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1", "2", "3", "4"]
    cid = fs["customer_id"].iloc[3]
    pos = sector_position(r, "sector", cid, names=["ebe_margin", "dso_days"])
    ax = solvency.plot_sector_quartiles(pos)
    assert len(ax.get_yticklabels()) == 2
    assert pos.plot(lang="en").get_xlabel().startswith("distance to the sector median")
    with pytest.raises(InputError, match="customer_id"):
        sector_position(r, "sector", "nope")
    with pytest.raises(InputError, match="SectorPosition"):
        solvency.plot_sector_quartiles(r)
    with pytest.raises(InputError, match="scores"):
        solvency.plot_score_distribution(pd.Series([1.0], index=["a"]), pd.Series([1], index=["b"]))
    plt.close("all")


def test_risk_stakes_matrix_and_risk_points_plot():
    ids = pd.Index([f"C{i}" for i in range(20)], name="customer_id")
    rng = np.random.default_rng(0)
    pb = pd.DataFrame({"n_invoices_paid": 3, "amount_paid": 1.0, "avg_days_to_pay": 40.0,
                       "avg_days_late": rng.uniform(0, 60, 20),
                       "share_paid_late": rng.uniform(0, 1, 20)}, index=ids)
    rating = customer_rating(payment_behaviour=pb)
    rank = rank_portfolio(rating, pd.Series(rng.uniform(1e3, 1e6, 20), index=ids))
    ax = solvency.plot_risk_stakes_matrix(rank)
    assert ax.get_xscale() == "log"
    assert sum(len(c.get_offsets()) for c in ax.collections) == 20
    with pytest.raises(InputError, match="rank_portfolio"):
        solvency.plot_risk_stakes_matrix(rank.drop(columns="exposure"))
    inp = pd.DataFrame({"company_age_years": rng.uniform(0, 20, 20),
                        "risk_index": rng.uniform(0, 1, 20), "equity_ratio": rng.uniform(0, .5, 20),
                        "payment_incidents": rng.uniform(0, 1, 20) < 0.2,
                        "avg_days_late": pb["avg_days_late"].to_numpy(), "sector": "services"},
                       index=ids)
    res = risk_points(inp, RiskGrid.load())
    ax = res.plot_contributions()
    assert ax.get_ylabel() == "points pondérés moyens"
    ax = res.plot_contributions(lang="en")
    assert ax.get_ylabel() == "mean weighted points"
    assert ax.get_legend().get_texts()[0].get_text() == RiskGrid.load().criteria[0].label_en
    html = res._repr_html_()
    assert "client(s) notés" in html and "justification" in html and "Classe " in html
    ax = res.plot_contributions("C1")
    assert len(ax.patches) == 7
    with pytest.raises(InputError):
        res.plot_contributions("nope")
    plt.close("all")
