"""Customer data stays inert in everything a report publishes (HTML, Excel, CSV).

Every free-text column of every input table is poisoned with a formula trigger followed by
markup (``=cmd|' /C calc'!A0<script>alert(1)</script>C00001``...), the same way in every table
so the ledger still matches; columns with a closed list of codes (doc_type, cause, sector...)
are left alone because the loader refuses any other value (checked below). The reports are
then built and written, and every HTML fragment, spreadsheet and CSV cell is inspected.
"""

from __future__ import annotations

import csv
import itertools
import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from creditlab._safety import (
    clean_html,
    clean_markdown,
    escape_frame,
    neutralise_cell,
    neutralise_frame,
    unneutralise_frame,
)

FORMULAS = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://evil.example","x")', "+", "-", "@",
            "\t", "\r"]
MARKUP = ["<script>alert(1)</script>", "<svg onload=alert(1)>", "<img src=x onerror=alert(1)>",
          '<a href="javascript:alert(1)">x</a>']
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_SAME = {"related_invoice_id": "invoice_id"}


class _LiveMarkup(HTMLParser):
    """Collects what a browser would execute: script bodies, event handlers, js: links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._in_script = True
        if tag in ("svg", "iframe", "object", "embed"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.found.append(f"{tag} {name}={value}")
            if name in ("href", "src") and value and \
                    value.strip().lower().startswith(("javascript:", "vbscript:")):
                self.found.append(f"{tag} {name}={value}")
            if value and "alert(" in value:
                self.found.append(f"{tag} {name}={value}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and "alert(" in data:
            self.found.append(f"<script>{data[:60]}")


def live_markup(page: str) -> list[str]:
    """The executable bits of HTML ``page`` that come from the payloads (empty: safe)."""
    parser = _LiveMarkup()
    parser.feed(page)
    return parser.found


def _coded_columns() -> set[tuple[str, str]]:
    from creditlab.io.tables import TABLES

    return {(name, c.name) for name, tab in TABLES.items() for c in tab.columns if c.choices}


def poisoned_tables(n_customers: int = 30) -> dict[str, pd.DataFrame]:
    from creditlab.io.datasets import load_demo

    tables = load_demo()
    keep = tables["customers"]["customer_id"].head(n_customers)
    tables = {k: df[df["customer_id"].isin(keep)].copy() for k, df in tables.items()}
    payloads = itertools.cycle(f + m for f, m in itertools.product(FORMULAS, MARKUP))
    coded, by_column = _coded_columns(), {}
    for name, df in tables.items():
        for c in df.columns:
            if (name, c) in coded or not (df[c].dtype == object
                                          or pd.api.types.is_string_dtype(df[c].dtype)):
                continue
            p = by_column.setdefault(_SAME.get(c, c), next(payloads))
            df[c] = df[c].map(lambda v, p=p: v if pd.isna(v) else f"{p}{v}")
    return tables


@pytest.fixture(scope="module")
def poisoned_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("poisoned")
    paths = {}
    for name, df in poisoned_tables().items():
        if name == "financial_statements":
            continue
        df.to_csv(folder / f"{name}.csv", index=False)
        paths[name] = folder / f"{name}.csv"
    return paths


@pytest.fixture(scope="module")
def poisoned_inputs(poisoned_files):
    from creditlab.reports import load_inputs

    return load_inputs("2025-12-31", **poisoned_files)


def _html_of(obj) -> str:
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    if isinstance(obj, (list, tuple)):
        return "".join(_html_of(o) for o in obj)
    if obj is None:
        return ""
    if isinstance(obj, str):  # a sentence shown as Markdown by the notebook
        return markdown2html_mistune(obj)
    if hasattr(obj, "_repr_markdown_") and not hasattr(obj, "_repr_html_"):
        return markdown2html_mistune(obj._repr_markdown_())
    if hasattr(obj, "to_html"):
        return obj.to_html()
    return obj._repr_html_() or ""


def _assert_inert_files(paths) -> None:
    import openpyxl

    checked = 0
    for path in paths:
        if path.suffix == ".xlsx":
            book = openpyxl.load_workbook(path)
            for sheet in book.worksheets:
                for row in sheet.iter_rows():
                    for cell in row:
                        assert cell.data_type != "f", (path.name, sheet.title, cell.coordinate,
                                                       cell.value)
                        checked += 1
        elif path.suffix == ".csv":
            first = path.read_text(encoding="utf-8-sig").split("\n", 1)[0]
            sep = ";" if ";" in first else ","
            for row in csv.reader(_lines(path), delimiter=sep):
                for value in row:
                    if value[:1] in TRIGGERS:
                        assert neutralise_cell(value) == value, (path.name, value)
                    checked += 1
    assert checked > 0


def _lines(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        yield from f


# --- the building blocks -----------------------------------------------------------------


@pytest.mark.parametrize("value, expected", [
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
    ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
    ("+A1", "'+A1"), ("-A1", "'-A1"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("\r=1", "'\r=1"), ("-", "'-"), ("+33 1 23 45 67 89", "'+33 1 23 45 67 89"),
    # real numbers and ordinary text are never altered
    ("-12,5", "-12,5"), ("-12.5", "-12.5"), ("+33", "+33"), ("-1 234,56", "-1 234,56"),
    ("-1e3", "-1e3"), ("Dupont SA", "Dupont SA"), ("", ""), (-12.5, -12.5), (None, None),
])
def test_neutralise_cell(value, expected):
    assert neutralise_cell(value) == expected


def test_neutralise_frame_and_back():
    df = pd.DataFrame({"name": ["=1+1", "Dupont", None], "amount": [-12.5, 3.0, 1.0]},
                      index=pd.Index(["@a", "b", "c"], name="id"))
    out = neutralise_frame(df)
    assert out["name"].tolist()[:2] == ["'=1+1", "Dupont"] and pd.isna(out["name"].iloc[2])
    assert out["amount"].tolist() == [-12.5, 3.0, 1.0]
    assert out.index.tolist() == ["'@a", "b", "c"] and out.index.name == "id"
    assert df["name"].iloc[0] == "=1+1"  # the input is not modified
    assert unneutralise_frame(out)["name"].tolist()[:2] == ["=1+1", "Dupont"]


def test_escape_frame_escapes_cells_index_and_columns_only():
    df = pd.DataFrame({"<b>col": ["<script>alert(1)</script>x", "a & b"], "n": [1.5, 2.0]},
                      index=pd.Index(["<i>", "ok"], name="<u>"))
    out = escape_frame(df)
    assert out.iloc[:, 0].tolist() == ["&lt;script&gt;alert(1)&lt;/script&gt;x", "a &amp; b"]
    assert list(out.columns) == ["&lt;b&gt;col", "n"] and out["n"].tolist() == [1.5, 2.0]
    assert out.index.tolist() == ["&lt;i&gt;", "ok"] and out.index.name == "&lt;u&gt;"
    assert live_markup(out.style.to_html()) == []
    assert live_markup("<p>" + df.iloc[0, 0] + "</p>") != []  # the checker sees a script


@pytest.mark.parametrize("payload", [*MARKUP, '<iframe src="javascript:alert(1)"></iframe>',
                                     '<a href=" JaVaScRiPt:alert(1)">x</a>',
                                     '<div onclick="alert(1)">x</div>'])
def test_clean_html_leaves_no_live_markup_but_keeps_tables_and_images(payload):
    table = pd.DataFrame({"a": [1]}).style.to_html()
    image = '<img src="data:image/png;base64,iVBORw0KGgo=" alt="chart">'
    out = clean_html(table + payload + image)
    assert live_markup(out) == []
    assert "<table" in out and "<th" in out and 'src="data:image/png;base64' in out


def test_clean_markdown_keeps_markdown_and_kills_links():
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    out = clean_markdown("**Dupont** <script>alert(1)</script> [x](javascript:alert(1)) 3 < 4")
    assert out.startswith("**Dupont**")
    page = markdown2html_mistune(out)
    assert "<strong>Dupont</strong>" in page and live_markup(page) == []


def test_runner_sanitises_every_output_of_the_published_page():
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    from creditlab.reports.runner import _html

    cell = new_code_cell("x", outputs=[
        new_output("display_data", data={"text/html": "<div>" + "".join(MARKUP) + "</div>",
                                         "text/plain": "t"}),
        new_output("display_data", data={"text/markdown": "**n** " + "".join(MARKUP)}),
        new_output("display_data", data={"application/javascript": "alert(1)"}),
        new_output("display_data", data={"image/svg+xml": "<svg onload=alert(1)></svg>"}),
        new_output("display_data", data={"image/svg+xml": "<svg onload=alert(1)></svg>",
                                         "image/png": "iVBORw0KGgo="}),
    ])
    nb = new_notebook(cells=[new_markdown_cell("# Titre"), cell])
    page = _html(nb, "Titre")
    assert live_markup(page) == []
    assert "<strong>n</strong>" in page and "data:image/png;base64,iVBORw0KGgo=" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown as text, not dropped


# --- the reports on poisoned data ------------------------------------------------------


def test_code_columns_refuse_payloads(tmp_path):
    from creditlab.exceptions import InputError
    from creditlab.io.datasets import load_demo
    from creditlab.reports import load_inputs

    demo = load_demo()
    inv = demo["invoices"].head(50).copy()
    inv["doc_type"] = "<script>alert(1)</script>invoice"
    inv.to_csv(tmp_path / "inv.csv", index=False)
    demo["payments"].head(5).to_csv(tmp_path / "pay.csv", index=False)
    with pytest.raises((InputError, ValueError)):
        load_inputs("2025-12-31", invoices=tmp_path / "inv.csv", payments=tmp_path / "pay.csv")


def test_poisoned_data_reach_the_reports(poisoned_inputs):
    items = poisoned_inputs.items.items
    assert len(items) > 0
    assert items["customer_id"].str.contains("<script>|<svg|<img|<a ", regex=True).all()


def test_aged_balance_on_poisoned_data(poisoned_inputs, tmp_path):
    from creditlab.reports.aged import build_aged_report

    for lang in ("fr", "en"):
        report = build_aged_report(poisoned_inputs, lang=lang)
        shown = [report.headline(), report.summary_table(), report.top_table(),
                 report.disputed_table(), report.data_line(), report.disputed_line()]
        page = _html_of(shown)
        assert "alert(1)" in page  # the data are shown, as text
        assert live_markup(page) == []
        (tmp_path / lang).mkdir()
        _assert_inert_files(report.write(tmp_path / lang))


def test_dashboard_on_poisoned_data(poisoned_inputs, tmp_path):
    from creditlab.reports.common import write_csvs
    from creditlab.reports.dashboard import build_dashboard, kpi_panel

    dash = build_dashboard(poisoned_inputs, "fr")
    shown = [dash.as_of_line(), kpi_panel(dash.history, "fr"), dash.kpis(), dash.aged_summary(),
             dash.exposure_tables(), dash.limit_tables(), dash.hold_tables(),
             dash.dispute_table(), dash.watch_list()]
    page = _html_of(shown)
    assert "alert(1)" in page
    assert live_markup(page) == []
    _assert_inert_files(write_csvs(dash.files(), tmp_path, "fr"))


def test_dunning_on_poisoned_data(poisoned_inputs, tmp_path):
    import dataclasses

    from creditlab.dunning import load_policy
    from creditlab.exceptions import InputError
    from creditlab.reports.dunning import build_dunning_report

    with pytest.raises(InputError, match="sender"):  # the example letterhead: refused
        build_dunning_report(poisoned_inputs, promises=None).write(tmp_path)
    policy = dataclasses.replace(load_policy(), sender=SENDER)
    report = build_dunning_report(poisoned_inputs, promises=None, policy=policy)
    shown = [report.actions_headline(), report.actions_table(), report.warnings(),
             report.promises_view(), report.blocked_view(), report.cases_view()]
    page = _html_of(shown)
    assert live_markup(page) == []
    batch, letters = report.write(tmp_path, pdf="no")  # PDFs: test_reports_pdf.py
    _assert_inert_files(sorted(tmp_path.glob("*.csv")))
    for letter in letters.glob("*.html"):
        assert live_markup(letter.read_text(encoding="utf-8")) == [], letter.name
    # the history written is read back as it was planned (neutralisation undone)
    from creditlab.reports.dunning import read_history

    back = read_history(tmp_path / "historique_a_ajouter.csv")
    planned = report.plan.approve().to_history()
    assert back["customer_id"].tolist() == planned["customer_id"].tolist()


SENDER = {"name": "Dupont Industrie SAS", "address": "12 rue de la République\n69002 Lyon",
          "email": "credit@dupont.fr", "city": "Lyon", "signatory": "Claire Martin"}


def _policy_file(folder):
    """The default dunning policy with a real letterhead (the example one is refused)."""
    from importlib import resources

    text = resources.files("creditlab").joinpath("data/dunning_policy_default.toml") \
        .read_text(encoding="utf-8")
    for old, new in (("Votre société SAS", SENDER["name"]),
                     ("1 rue de l'Exemple, 75001 Paris", "12 rue de la République, 69002 Lyon"),
                     ("credit@example.fr", SENDER["email"])):
        assert old in text
        text = text.replace(old, new)
    path = folder / "politique.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["aged_balance", "credit_dashboard", "dunning"])
def test_published_report_page_has_no_live_markup(name, poisoned_files, tmp_path):
    """End to end: the runner's HTML page and files of a report run on poisoned files."""
    from creditlab.reports import run_report

    params = {k: str(v) for k, v in poisoned_files.items()
              if k in ("invoices", "payments", "customers", "disputes")
              or name == "credit_dashboard"}
    params["as_of"] = "2025-12-31"
    if name == "dunning":
        params |= {"promises": None, "customers": str(poisoned_files["customers"]),
                   "policy": str(_policy_file(tmp_path))}
    paths = run_report(name, params, out=tmp_path, progress=False)
    page = paths["html"].read_text(encoding="utf-8")
    assert "alert(1)" in page  # the poisoned names are on the page, as text
    assert live_markup(page) == []
    assert not re.search(r"<script>\s*alert", page)
    # no internal names in what a manager reads
    assert ".tmp-" not in page and "DOMAIN.md" not in page and "papermill" not in page
    _assert_inert_files([p for p in paths.values() if p.suffix in (".csv", ".xlsx")])
    for letter in (p for p in paths.values() if p.suffix == ".html"):
        assert live_markup(letter.read_text(encoding="utf-8")) == [], letter.name


def test_calibration_page_with_poisoned_feature_names(tmp_path):
    """A feature name of the user's sample cannot publish markup in the model's page."""
    import numpy as np

    from creditlab.reports import run_report

    rng = np.random.default_rng(0)
    n = 1500
    x1, x2 = rng.normal(size=n), rng.normal(size=n)
    y = (rng.random(n) < 1 / (1 + np.exp(2.5 + 1.2 * x1 - 0.8 * x2))).astype(int)
    names = ["<script>alert(1)</script>ratio", "=HYPERLINK(\"x\")<svg onload=alert(1)>r2"]
    pd.DataFrame({names[0]: x1, names[1]: x2, "defaut": y}).to_csv(tmp_path / "s.csv",
                                                                    index=False)
    paths = run_report("calibration", {"dataset": str(tmp_path / "s.csv"), "target": "defaut"},
                       out=tmp_path / "out", progress=False)
    page = paths["html"].read_text(encoding="utf-8")
    assert "alert(1)" in page
    assert live_markup(page) == []
