"""Polish companies bankruptcy data (UCI 365, CC BY 4.0): loader, bundled copy integrity and an
end-to-end scorecard on real data."""

from __future__ import annotations

import gzip
import hashlib
import re

import numpy as np
import pandas as pd
import pytest

from creditlab.exceptions import FileFormatError, InputError
from creditlab.io.polish import POLISH_DIR, load_polish, polish_attributes, read_arff
from creditlab.modeling import Scorecard, discrimination


@pytest.fixture(scope="module")
def year1():
    return load_polish(1)


def test_bundled_copy_matches_source_md_hashes():
    """SOURCE.md gives the sha256 of the decompressed files (identical to the published ones)."""
    text = (POLISH_DIR / "SOURCE.md").read_text(encoding="utf-8")
    for year in (1, 5):
        m = re.search(rf"`{year}year\.arff\.gz`.*?`([0-9a-f]{{64}})`", text)
        raw = gzip.decompress((POLISH_DIR / f"{year}year.arff.gz").read_bytes())
        assert hashlib.sha256(raw).hexdigest() == m.group(1)


def test_load_counts_and_columns(year1):
    X, y = year1
    assert X.shape == (7027, 64) and int(y.sum()) == 271  # UCI figures
    assert list(X.columns[:2]) == ["Attr1", "Attr2"] and X.dtypes.eq("float64").all()
    assert int(X["Attr37"].isna().sum()) == 2740 and int(X.isna().sum().sum()) == 5835
    X5, y5 = load_polish(5)
    assert X5.shape == (5910, 64) and int(y5.sum()) == 410
    att = polish_attributes()
    assert att.loc["Attr1", "definition"] == "net profit / total assets"


def test_external_copy_identical(external, year1):
    X, y = year1
    Xe, ye = load_polish(1, source=external / "polish_bankruptcy")
    pd.testing.assert_frame_equal(X, Xe)
    assert (y == ye).all()


def test_read_arff_errors(tmp_path):
    good = "@relation t\n@attribute a numeric\n@attribute class {0,1}\n@data\n1.5,0\n?,1\n2e+002,0\n"
    p = tmp_path / "ok.arff"
    p.write_text(good)
    df = read_arff(p)
    assert df["a"].tolist()[0] == 1.5 and np.isnan(df["a"].iloc[1]) and df["a"].iloc[2] == 200
    bad = tmp_path / "bad.arff"
    bad.write_text(good.replace("?,1", "abc,1"))
    with pytest.raises(FileFormatError, match="non-numeric value 'abc'"):
        read_arff(bad)
    nodata = tmp_path / "nodata.arff"
    nodata.write_text("@relation t\n")
    with pytest.raises(FileFormatError, match="@data"):
        read_arff(nodata)
    with pytest.raises(InputError, match="year"):
        load_polish(3)
    for year in (1.0, True, "1", 6):  # not read as "1.0year.arff", "Trueyear.arff"...
        with pytest.raises(InputError, match="year: expected an integer forecasting year"):
            load_polish(year)
    with pytest.raises(FileFormatError, match="class"):
        load_polish(1, source=_no_class(tmp_path))


def _no_class(tmp_path):
    p = tmp_path / "1year.arff"
    p.write_text("@relation t\n@attribute Attr1 numeric\n@data\n1\n")
    return p


def test_scorecard_on_polish_year1(year1):
    """In-sample AUC on year 1 (7 027 firms): ~0.92 for the default (every variable, L2
    penalty), ~0.88 for stepwise AIC; integer points rank as well as the PD (AUC within
    0.01)."""
    X, y = year1
    sc = Scorecard().fit(X, y)
    d = discrimination(y, sc.predict_proba(X)[:, 1])
    assert 0.88 < d.auc < 0.96 and d.auc_ci[0] < d.auc < d.auc_ci[1]
    pts = discrimination(y, sc.points(X), higher_is_risk=False)
    assert abs(pts.auc - d.auc) < 0.01
    assert len(sc.features_) > 40 and sc.C_ == 1.0 and sc.max_correlation_ is None
    step = Scorecard(selection="stepwise").fit(X, y)
    d_step = discrimination(y, step.predict_proba(X)[:, 1])
    assert 0.84 < d_step.auc < d.auc
    # stepwise AIC: a variable stays while its Wald chi-square exceeds 2, i.e.
    # p < 0.157 (1 degree of freedom)
    assert 3 <= len(step.features_) <= 15
    assert (step.coefficients_["p_value"].iloc[1:] < 0.16).all()
