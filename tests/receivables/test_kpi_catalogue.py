"""The KPI catalogue: one record per KPI code, from which columns, axes and formats derive."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from creditlab.exceptions import InputError
from creditlab.labels import text, unit_of
from creditlab.plots import kpi as pk
from creditlab.receivables import kpi


def test_catalogue_has_one_record_per_history_column():
    cat = kpi.kpi_catalogue()
    assert list(cat.index) == list(kpi.HISTORY_COLUMNS[:-1])  # the order of kpi_history
    assert kpi.HISTORY_COLUMNS[-1] == "notes"
    assert cat.index.is_unique and set(cat["unit"]) <= set(kpi.catalogue.KPI_UNITS)
    assert (cat["source"].str.len() > 10).all()
    # the label key lives in the label catalogue with the same unit
    for code, row in cat.iterrows():
        assert text(row["label_key"], "fr") == row["label_fr"] != code
        assert unit_of(row["label_key"]) == row["unit"]
    # every NaN note named by a record has its words
    notes = {n for s in cat["nan_notes"] for n in s.split(";") if n}
    assert notes <= set(kpi.KPI_NOTES)
    cat.loc["dso_simple", "unit"] = "changed"          # a new frame each call
    assert kpi.kpi_catalogue().loc["dso_simple", "unit"] == "days"


def test_units_of_known_kpis():
    assert kpi.kpi_unit("dso_simple") == "days"
    assert kpi.kpi_unit("overdue_ratio") == "fraction"
    assert kpi.kpi_unit("receivables_ttc") == "eur_ttc"
    assert kpi.kpi_unit("write_offs_ht") == "eur_ht"
    assert kpi.kpi_unit("n_over_limit") == "count"
    fractions = {c for c in kpi.HISTORY_COLUMNS[:-1] if kpi.kpi_unit(c) == "fraction"}
    assert fractions == {"cei", "cei_12m", "overdue_ratio", "share_over_90", "dispute_rate",
                         "bad_debt_ratio", "provisioning_ratio", "limit_utilisation"}
    with pytest.raises(InputError, match="code"):
        kpi.kpi_unit("dso")


def test_kpi_format_follows_the_unit():
    assert kpi.kpi_format("overdue_ratio", 0.1234) == "12,3\u00a0%"
    assert kpi.kpi_format("overdue_ratio", 0.1234, "en") == "12.3%"
    assert kpi.kpi_format("dso_simple", 45.26) == "45,3\u00a0j"
    assert kpi.kpi_format("dso_simple", 45.26, "en") == "45.3 d"
    assert kpi.kpi_format("receivables_ttc", 1234567.4) == "1\u202f234\u202f567\u00a0€"
    assert kpi.kpi_format("receivables_ttc", 1234.5, "en", decimals=2) == "€1,234.50"
    assert kpi.kpi_format("n_over_limit", 3.0) == "3"
    assert kpi.kpi_format("cei", np.nan) == "—" and kpi.kpi_format("cei", None) == "—"
    with pytest.raises(InputError):
        kpi.kpi_format("nope", 1.0)
    with pytest.raises(InputError):
        kpi.kpi_format("cei", 0.5, "de")


def test_note_text_reads_the_catalogue():
    assert kpi.note_text("no_sales;unknown_code", "en") == \
        "no sales in the period: DSO/BPDSO undefined ; unknown_code"


def test_trend_axis_is_percent_only_for_fractions():
    idx = pd.date_range("2025-01-31", periods=3, freq="ME", name="month_end")
    h = pd.DataFrame({"overdue_ratio": [0.1, 0.2, 0.3], "cei": [0.9, 0.8, 0.85],
                      "dso_simple": [40.0, 45.0, 50.0]}, index=idx)
    ax = pk.plot_kpi_trend(h, ["overdue_ratio", "cei"])
    assert ax.yaxis.get_major_formatter()(0.25, 0) == "25\u00a0%"
    ax2 = pk.plot_kpi_trend(h, ["dso_simple"], lang="en")
    assert ax2.yaxis.get_major_formatter()(40.0, 0) != "4000%"
    assert ax2.get_legend().get_texts()[0].get_text() == "DSO, simple (days)"
    plt.close("all")
