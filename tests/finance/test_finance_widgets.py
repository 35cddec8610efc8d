"""What-if panels (creditlab.widgets) and finance plots — headless: the panels are built and
driven without a browser, and every panel result equals the plain function call."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import creditlab.finance as fin  # noqa: E402
from creditlab import widgets  # noqa: E402
from creditlab.exceptions import InputError  # noqa: E402
from creditlab.plots import finance as pf  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_credit_cost_panel_matches_plain_function():
    import ipywidgets as w

    panel = widgets.credit_cost_panel(sales_ttc=1_200_000, dso_days=60, target_dso_days=45,
                                      rate=0.05, net_margin=0.05)
    assert isinstance(panel.widget, w.VBox)
    assert set(panel.controls) == {"sales_ttc", "dso_days", "target_dso_days", "rate",
                                   "net_margin"}
    plain = fin.credit_cost(1_200_000, 60, 0.05, target_dso_days=45, net_margin=0.05)
    pd.testing.assert_frame_equal(panel.result.table, plain.table)
    assert panel.figure is not None and "<table" in panel.html
    panel.controls["target_dso_days"].value = 30          # a slider move recomputes
    assert panel.result.cash_released == pytest.approx(1_200_000 * 30 / 365)
    assert panel.result.financing_saving == pytest.approx(1_200_000 * 30 / 365 * 0.05)


def test_discount_panel_and_error_display():
    panel = widgets.discount_panel()
    assert panel.result.simple_rate_365 == pytest.approx(0.37245, abs=5e-6)
    panel.controls["discount_days"].value = 45            # beyond the 30-day net term
    assert panel.result is None and "net_days" in panel.error
    panel.controls["net_days"].value = 60
    assert panel.error is None
    assert panel.result.simple_rate_365 == pytest.approx(0.02 / 0.98 * 365 / 15)


def test_financing_panel_reproduces_factoexpert_default():
    panel = widgets.financing_panel(lang="en")
    t = panel.result
    assert t.loc["factoring", "total"] == pytest.approx(6_900, abs=0.01)
    assert t.loc["factoring", "label"] == "factoring"
    panel.controls["usage"].value = 0.7
    assert panel.result.loc["factoring", "total"] == pytest.approx(6_180, abs=0.01)
    assert panel.values()["usage"] == pytest.approx(0.7)


def test_panels_reject_bad_language():
    with pytest.raises(InputError):
        widgets.credit_cost_panel(lang="de")


# --- plots -------------------------------------------------------------------------------------
def test_finance_plots_return_axes():
    cc = fin.credit_cost(1_200_000, 60, 0.05, target_dso_days=45)
    ax = pf.plot_credit_cost(cc)
    assert ax.get_title() == "Coût du crédit client selon le DSO"
    assert len(ax.lines) == 1
    seg = pd.DataFrame({"sales_ht": [1e6, 5e5], "margin_rate": [0.05, 0.03], "pd": [0.01, 0.05],
                        "dso_days": [60, 75]}, index=["GC", "PME"])
    ax = fin.marginal_analysis(seg, rate=0.05, lgd=0.9).plot_contributions(lang="en")
    assert ax.get_title() == "Marginal analysis by segment"
    abc = fin.abc_segmentation(pd.Series(np.arange(1.0, 51.0)))
    ax = abc.plot_pareto()
    assert ax.get_ylim()[1] == pytest.approx(1.02)
    matrix = fin.risk_stakes_matrix(pd.DataFrame({"rating_class": [1, 3, 4],
                                                  "abc_class": ["A", "B", "A"]}))
    ax = matrix.plot_matrix()
    assert "Matrice" in ax.get_title()
    assert len(ax.patches) == 4
    port = pd.DataFrame({"pd": [0.02, 0.05], "ead": [40_000.0, 20_000.0],
                         "agreement": [30_000.0, 20_000.0]})
    ax = fin.insure_vs_self_insure(port, fin.CreditInsurancePolicy(), insured_turnover=1e6,
                                   lgd=0.9, n_sims=2_000).plot_costs()
    assert len(ax.patches) == 3
    f = fin.factoring_cost(500_000, 60, commission_rate=0.009, index_rate=0.002, margin=0.03)
    ax = pf.plot_financing_comparison(fin.compare_financing(f, overdraft_rate=0.06))
    assert len(ax.patches) >= 3
    ax = fin.payment_plan(1_000, 3, "2026-01-31").plot_schedule()
    assert len(ax.get_xticklabels()) == 3
    fig, given = plt.subplots()
    curve = fin.discount_curve(10, 30, financing_rate=0.05)
    assert pf.plot_discount_curve(curve, ax=given) is given
    assert curve.plot(ax=given) is given


def test_plots_reject_wrong_objects():
    with pytest.raises(InputError):
        pf.plot_credit_cost(object())
    with pytest.raises(InputError):
        pf.plot_financing_comparison(pd.DataFrame({"x": [1]}))


def test_financing_panel_table_in_french():
    panel = widgets.financing_panel()
    html = panel.html.replace("\u00a0", " ").replace("\u202f", " ")
    for label in ("coût total", "garantie des impayés", "découvert bancaire", "affacturage"):
        assert label in html
    assert "financing_cost" not in html and "True" not in html
    assert "6 900 €" in html and "1,38 %" in html
