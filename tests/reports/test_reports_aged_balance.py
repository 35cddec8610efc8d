"""The aged_balance report notebook: structure, and a full run through the runner on the demo."""

from __future__ import annotations

import importlib.util

import nbformat
import pandas as pd
import pytest

from creditlab.reports import list_reports, reports_dir, run_report


def test_report_notebook_structure():
    path = reports_dir() / "aged_balance.ipynb"
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    assert all(c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")
    text = "\n".join(c.source for c in nb.cells)
    assert "/work/" not in text and "pip install" not in text
    info = {i.name: i for i in list_reports()}["aged_balance"]
    assert info.title == "Balance âgée des comptes clients"
    assert list(info.parameters) == ["invoices", "payments", "customers", "disputes", "as_of",
                                     "buckets", "by", "lang", "output_dir"]
    assert info.parameters["output_dir"]["default"] == "None"


def _demo_available() -> bool:
    import creditlab.io as cio

    return hasattr(cio, "load_demo") and importlib.util.find_spec("creditlab.synth") is not None


@pytest.mark.skipif(not _demo_available(), reason="creditlab.io.load_demo / creditlab.synth "
                    "not available yet")
def test_run_on_demo(tmp_path):
    paths = run_report("aged_balance", {"by": "segment"}, out=tmp_path, progress=False)
    for key in ("notebook", "html", "aged_balance.csv", "aged_balance.xlsx"):
        assert paths[key].is_file(), key
    html = paths["html"].read_text(encoding="utf-8")
    assert "Balance âgée des comptes clients" in html and "Encours net" in html
    assert "rcv.open_items" not in html                       # no code in the HTML
    table = pd.read_csv(paths["aged_balance.csv"], sep=";", decimal=",", index_col=0,
                        encoding="utf-8-sig")
    assert table.index[-1] == "Total"
    parts = ["non échu", "1-30 j", "31-60 j", "61-90 j", "> 90 j", "litiges"]
    assert (table[parts].sum(axis=1) - table["total"]).abs().max() < 0.01
    assert abs(table["total"].iloc[:-1].sum() - table["total"].iloc[-1]) < 0.01
    assert table["total"].iloc[-1] > 0
