"""The aged_balance report notebook: structure, and a full run through the runner on the demo."""

from __future__ import annotations

import importlib.util

import nbformat
import pandas as pd
import pytest

from creditlab.exceptions import ReportError
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
                                     "force_as_of", "config", "fec", "fec_terms_days",
                                     "buckets", "by", "credits", "lang", "output_dir"]
    assert info.parameters["output_dir"]["default"] == "None"


def _demo_available() -> bool:
    import creditlab.io as cio

    return hasattr(cio, "load_demo") and importlib.util.find_spec("creditlab.synth") is not None


@pytest.mark.skipif(not _demo_available(), reason="creditlab.io.load_demo / creditlab.synth "
                    "not available yet")
def test_run_on_demo(tmp_path, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")   # a cron line or CI may set it: charts stay on the page
    paths = run_report("aged_balance", {"by": "segment"}, out=tmp_path, progress=False)
    for key in ("notebook", "html", "aged_balance.csv", "aged_balance.xlsx"):
        assert paths[key].is_file(), key
    html = paths["html"].read_text(encoding="utf-8")
    assert "Balance âgée des comptes clients" in html and "Encours net" in html
    assert "rcv.open_items" not in html                       # no code in the HTML
    assert "data:image/png;base64" in html                    # the charts were drawn inline
    table = pd.read_csv(paths["aged_balance.csv"], sep=";", decimal=",", index_col=0,
                        encoding="utf-8-sig")
    assert table.index[-1] == "Total"
    parts = ["non échu", "1-30 j", "31-60 j", "61-90 j", "> 90 j", "litiges"]
    assert (table[parts].sum(axis=1) - table["total"]).abs().max() < 0.01
    assert abs(table["total"].iloc[:-1].sum() - table["total"].iloc[-1]) < 0.01
    assert table["total"].iloc[-1] > 0


# a user's own French exports (';', decimal comma, dd/mm/yyyy, cp1252) with a known answer at
# 30/06/2024: C1 F1 1 200 − 200 paid, due 15/03 → 107 days late (> 90 j); F2 due 31/07 (non
# échu); C2 F3 disputed (litiges), F4 due 10/05 → 51 days (31-60 j), avoir AV1 of 10/06 and
# cash R9 of 20/06 not allocated → 1-30 j
USER_INVOICES = (
    "N° facture;Code client;Type;Date facture;Date d'échéance;Montant TTC;Montant HT;Litige;"
    "Motif litige\n"
    "F1;C1;Facture;15/01/2024;15/03/2024;1 200,00;1 000,00;non;\n"
    "F2;C1;Facture;01/06/2024;31/07/2024;600,00;500,00;non;\n"
    "F3;C2;Facture;01/05/2024;31/05/2024;360,00;300,00;oui;Prix\n"
    "AV1;C2;Avoir;10/06/2024;10/06/2024;-120,00;-100,00;non;\n"
    "F4;C2;Facture;10/04/2024;10/05/2024;480,00;400,00;non;\n"
)
USER_PAYMENTS = ("N° règlement;Code client;Date règlement;Montant;N° facture\n"
                 "R1;C1;01/04/2024;200,00;F1\n"
                 "R9;C2;20/06/2024;300,00;\n")


@pytest.mark.skipif(not _demo_available(), reason="creditlab.synth not available yet")
def test_run_on_user_files_known_answer_and_clear_failures(tmp_path):
    inv, pay = tmp_path / "factures.csv", tmp_path / "reglements.csv"
    inv.write_bytes(USER_INVOICES.encode("cp1252"))
    pay.write_bytes(USER_PAYMENTS.encode("cp1252"))
    out = tmp_path / "out"
    params = {"invoices": str(inv), "payments": str(pay), "as_of": "2024-06-30"}
    paths = run_report("aged_balance", params, out=out, progress=False)
    table = pd.read_csv(paths["aged_balance.csv"], sep=";", decimal=",", index_col=0,
                        encoding="utf-8-sig")
    assert table.loc["C1"].to_dict() == {"non échu": 600.0, "1-30 j": 0.0, "31-60 j": 0.0,
                                         "61-90 j": 0.0, "> 90 j": 1000.0, "litiges": 0.0,
                                         "total": 1600.0}
    assert table.loc["C2"].to_dict() == {"non échu": 0.0, "1-30 j": -420.0, "31-60 j": 480.0,
                                         "61-90 j": 0.0, "> 90 j": 0.0, "litiges": 360.0,
                                         "total": 420.0}
    assert table.loc["Total", "total"] == 2020.0
    html = paths["html"].read_text(encoding="utf-8")
    assert "factures.csv" in html and "montant ouvert" in html and "motif" in html

    # a bad date names the parameter; the previous outputs stay
    before = paths["aged_balance.csv"].read_bytes()
    with pytest.raises(ReportError, match=r"InputError: as_of: expected a real calendar date.*"
                                          r"got '2024-13-01'"):
        run_report("aged_balance", {**params, "as_of": "2024-13-01"}, out=out, progress=False)
    assert paths["aged_balance.csv"].read_bytes() == before

    # a fully paid ledger is a valid (empty) balance, not a failed report
    pay.write_bytes((USER_PAYMENTS.splitlines()[0] + "\n" + "".join(
        f"P{i};{c};30/06/2024;{a};{f}\n" for i, (f, c, a) in enumerate(
            [("F1", "C1", "1200"), ("F2", "C1", "600"), ("F3", "C2", "360"),
             ("AV1", "C2", "-120"), ("F4", "C2", "480")]))).encode("cp1252"))
    paths = run_report("aged_balance", params, out=out, progress=False)
    table = pd.read_csv(paths["aged_balance.csv"], sep=";", decimal=",", index_col=0,
                        encoding="utf-8-sig")
    assert list(table.index) == ["Total"] and table.loc["Total", "total"] == 0.0
