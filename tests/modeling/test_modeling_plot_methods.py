"""Every result's plot_* method draws through its plot module (creditlab._drawing.drawn_by) and
returns the Axes it was given; the plot modules import no computation."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from creditlab._drawing import drawn_by  # noqa: E402
from creditlab.exceptions import InputError  # noqa: E402
from creditlab.modeling import (  # noqa: E402
    PSI_BOUNDS,
    MasterScale,
    Scorecard,
    WoEBinner,
    calibration_test,
    characteristic_stability,
    compare_models,
    discrimination,
    population_stability,
)
from creditlab.modeling import plots as mplots  # noqa: E402
from creditlab.modeling.validation import DiscriminationResult  # noqa: E402


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(11)
    n = 600
    X = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n)})
    y = (rng.random(n) < 1 / (1 + np.exp(2 - X["a"] + X["b"]))).astype(int)
    return X, y


def test_result_plot_methods_draw_on_the_given_axes(data):
    X, y = data
    sc = Scorecard().fit(X, y)
    p = sc.predict_proba(X)[:, 1]
    scale = MasterScale(bounds=(0.001, 0.05, 0.2, 1.0), labels=("A", "B", "C"))
    binner = WoEBinner().fit(X, y)
    results = [
        (discrimination(y, p).plot_roc, {}),
        (discrimination(y, p).plot_cap, {"label": "score"}),
        (calibration_test(y, p).plot_calibration, {}),
        (population_stability(p[:300], p[300:]).plot_distribution, {}),
        (characteristic_stability(sc, X, X.assign(a=X["a"] + 1)).plot_csi, {}),
        (scale.plot_scale, {}),
        (compare_models(X, y, n_splits=3).plot_auc, {}),
    ]
    for method, kw in results:
        fig, ax = plt.subplots()
        assert method(ax=ax, lang="en", **kw) is ax
        plt.close(fig)
    fig, ax = plt.subplots()
    assert binner.plot_binning("a", ax=ax) is ax
    assert sc.plot_points(sc.features_[0], ax=ax) is ax
    with pytest.raises(InputError, match="var"):
        sc.plot_points("not_a_feature")
    plt.close("all")


def test_drawn_by_names_its_plot_function():
    d = DiscriminationResult.__dict__["plot_roc"]
    assert isinstance(d, drawn_by)
    assert (d.module, d.function) == ("creditlab.modeling.plots", "plot_roc")
    assert "plot_roc" in d.__doc__


def test_csi_reading_lines_are_the_psi_bounds(data):
    X, y = data
    sc = Scorecard().fit(X, y)
    ax = characteristic_stability(sc, X, X).plot_csi()
    xs = sorted(line.get_xdata()[0] for line in ax.get_lines())
    assert tuple(xs) == PSI_BOUNDS == (0.10, 0.25)
    assert mplots.PSI_BOUNDS is PSI_BOUNDS
    plt.close("all")
