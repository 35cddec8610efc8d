"""The bundled rate tables hold every figure DOMAIN.md §7.3-7.4 compiles from the official
publications (ECB decisions, arrêtés fixing the taux de l'intérêt légal), up to the latest one
published there: 2026 S1 (the 2026 S2 figures are not published in it, so not bundled — the
job then states the legal rule, and ``creditlab rates add-ecb`` / ``add-legal`` add them)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import creditlab

DATA = Path(creditlab.__file__).parent / "data"


@pytest.fixture(scope="module")
def domain(external):
    path = external.parent / "DOMAIN.md"
    if not path.is_file():
        pytest.skip("../shared/DOMAIN.md absent")
    return path.read_text(encoding="utf-8")


def test_every_semester_of_domain_7_4_is_bundled(domain):
    sec = domain[domain.index("### 7.4"):domain.index("Legal-rate sources")]
    rows = re.findall(r"^\| (\d{4}) S([12]) \| ([\d.]+)[^|]*\| [^|]*\| ([\d.]+) \| [^|]*\| "
                      r"([\d.]+) \|", sec, flags=re.M)
    assert len(rows) == 23                                       # 2015 S1 .. 2026 S1
    ecb = pd.read_csv(DATA / "ecb_mro_rates.csv", parse_dates=["change_date"])
    legal = pd.read_csv(DATA / "legal_interest_rates.csv").set_index(["year", "half"])
    for year, half, mro, pro, ind in rows:
        start = pd.Timestamp(f"{year}-{'01' if half == '1' else '07'}-01")
        assert ecb.loc[ecb["change_date"] <= start, "mro_pct"].iloc[-1] == float(mro), start
        got = legal.loc[(int(year), int(half))]
        assert (got["professional_pct"], got["individual_pct"]) == (float(pro), float(ind))
    assert legal.index.max() == (2026, 1) and "2026 S2 | to be checked" in sec
    assert ecb["source"].str.len().gt(20).all() and legal["source"].str.len().gt(20).all()


def test_every_ecb_change_of_domain_7_3_is_bundled(domain):
    sec = domain[domain.index("### 7.3"):domain.index("### 7.4")]
    changes = re.findall(r"(\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) "
                         r"\**([\d.]+)\**", sec)
    ecb = pd.read_csv(DATA / "ecb_mro_rates.csv", parse_dates=["change_date"])
    table = dict(zip(ecb["change_date"], ecb["mro_pct"], strict=True))
    assert len(changes) == len(table) == 22
    for d, m, y, rate in changes:
        assert table[pd.Timestamp(f"{d} {m} {y}")] == float(rate)
