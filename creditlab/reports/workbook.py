"""Formatted workbooks a finance team opens as they are: the one writer of the reports.

:func:`write_workbook` writes :class:`Sheet` s (a table and the kind of its columns) with a
bold frozen header and filters, fitted widths, euros as ``# ##0,00 €``, fractions as
``0,0 %``, dates without time, an optional totals row and a last sheet ("Colonnes") that
explains every column; text cells are neutralised against formula injection (the workbook
holds no formula). :func:`sheet_of` builds a sheet from a table in codes (column names, Oui/Non,
code values and kinds from :mod:`creditlab.reports.tables`, customer names added);
:func:`write_tables` writes a report's tables as CSV files (French convention by default) and
as one workbook. Used by the aged balance (``aged_balance.xlsx``), the dashboard
(``tableau_de_bord.xlsx``) and the dunning report (``plan_relances.xlsx``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from creditlab._safety import neutralise_frame
from creditlab.i18n import check_lang
from creditlab.labels import text, unit_of
from creditlab.receivables.kpi import kpi_catalogue
from creditlab.reports.common import write_csv, write_csvs
from creditlab.reports.tables import (
    _in_words,
    column_definition,
    column_kind,
    column_words,
    in_words,
    value_words,
)

__all__ = ["EXCEL_FORMATS", "Sheet", "write_workbook", "sheet_of", "write_tables",
           "write_dashboard_files", "write_dunning_files"]

#: Excel number formats (the reader's Excel shows the separators of its own locale).
EXCEL_FORMATS = {"money": '#,##0.00\\ "€";-#,##0.00\\ "€"', "pct": "0.0%",
                 "date": "DD/MM/YYYY", "int": "#,##0", "days": "0.0"}


@dataclass(frozen=True)
class Sheet:
    """One sheet of :func:`write_workbook`: its name, table and the kind of its columns.

    ``money``, ``pct``, ``ints``, ``days`` name columns (after renaming) holding euros,
    fractions shown as percentages, whole numbers and days (one decimal); date columns are found by their dtype. ``totals``: add a
    row summing the money and whole-number columns (values, not formulas). ``index``: write
    the frame's index as the first columns. ``notes``: ``{column: definition}`` that win over
    the catalogue's; ``codes``: ``{column in words: code}`` to find the catalogue's definition
    (``coldef.<code>``; a column without a code is taken as its own code).
    """

    name: str
    frame: pd.DataFrame
    money: tuple[str, ...] = ()
    pct: tuple[str, ...] = ()
    ints: tuple[str, ...] = ()
    totals: bool = False
    days: tuple[str, ...] = ()
    index: bool = False
    notes: Mapping[str, str] = field(default_factory=dict)
    codes: Mapping[str, str] = field(default_factory=dict)


def _kind_words(kind: str, lang: str) -> str:
    return text(f"report_xlsx_kind_{kind}", lang)


def _help_kind(kind: str, code: str) -> str:
    """``money_ht`` for a money column whose catalogue unit is euros excl. VAT."""
    return "money_ht" if kind == "money" and unit_of(code) == "eur_ht" else kind


def write_workbook(path: str | os.PathLike, sheets: Iterable[Sheet], lang: str = "fr") -> Path:
    """Write a workbook a person can use: per sheet a bold frozen header with filters, column
    widths fitted to their content, euros as ``# ##0,00 €``, fractions as ``0,0 %``, dates
    without time, an optional totals row, and a last sheet ("Colonnes") explaining every
    column: its sheet, its name, a one-sentence definition
    (:func:`creditlab.reports.tables.column_definition`) and its content (euros, percentage,
    date...).

    Text cells are neutralised against formula injection
    (:func:`creditlab._safety.neutralise_frame`); the workbook holds no formula.
    """
    check_lang(lang)
    path = Path(path)
    book = Workbook()
    book.remove(book.active)
    help_rows = []
    for sheet in sheets:
        frame = sheet.frame.reset_index() if sheet.index else sheet.frame.copy()
        frame = neutralise_frame(frame)
        frame.columns = [str(c) for c in frame.columns]
        kinds = {c: "money" for c in sheet.money} | {c: "pct" for c in sheet.pct} \
            | {c: "int" for c in sheet.ints} | {c: "days" for c in sheet.days}
        for c in frame.columns:
            if pd.api.types.is_datetime64_any_dtype(frame[c]):
                kinds[c] = "date"
                frame[c] = frame[c].dt.tz_localize(None) if frame[c].dt.tz else frame[c]
        ws = book.create_sheet(sheet.name[:31])
        ws.append(list(frame.columns))
        for row in frame.itertuples(index=False):
            ws.append([None if (not isinstance(v, str) and pd.isna(v)) else
                       (v.to_pydatetime() if isinstance(v, pd.Timestamp) else
                        v.item() if hasattr(v, "item") else v) for v in row])
        n = len(frame)
        if sheet.totals and n:
            total = [text("report_xlsx_total", lang)] + [None] * (len(frame.columns) - 1)
            for j, c in enumerate(frame.columns):
                if kinds.get(c) in ("money", "int") and j > 0:
                    total[j] = float(pd.to_numeric(frame[c], errors="coerce").sum())
            ws.append(total)
            for cell in ws[ws.max_row]:
                cell.font = Font(bold=True)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for j, c in enumerate(frame.columns, start=1):
            letter = get_column_letter(j)
            fmt = EXCEL_FORMATS.get(kinds.get(c, ""))
            if fmt:
                for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                    cell.number_format = fmt
            shown = frame[c].head(200).map(lambda v: len(str(v)) if v == v else 1)
            width = max([len(c), *shown.tolist()]) + 2 if n else len(c) + 2
            ws.column_dimensions[letter].width = min(max(width, 10), 60)
            help_rows.append([sheet.name, c, sheet.notes.get(c)
                              or column_definition(sheet.codes.get(c, c), lang),
                              _kind_words(_help_kind(kinds.get(c, "text"),
                                                     sheet.codes.get(c, c)), lang)])
        ws.freeze_panes = "B2" if sheet.index else "A2"
        if n:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{n + 1}"
    ws = book.create_sheet(text("report_xlsx_help_sheet", lang)[:31])
    ws.append([text(f"report_xlsx_help_{k}", lang)
               for k in ("sheet_name", "column", "definition", "meaning")])
    for row in help_rows:
        ws.append(row)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCD", (20, 32, 90, 34), strict=True):
        ws.column_dimensions[letter].width = width
    for (cell,) in ws.iter_rows(min_row=2, min_col=3, max_col=3):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    book.save(path)
    return path



def sheet_of(name: str, frame: pd.DataFrame, lang: str = "fr", *,
             labels: Mapping | None = None, values=(), customers: pd.DataFrame | None = None,
             totals: bool = True, money: Iterable[str] = (), index: bool = False) -> Sheet:
    """A :class:`Sheet` of ``frame`` (in codes) in words: column names and values
    (:func:`creditlab.reports.tables.in_words`), customer names after ``customer_id``, and
    the kinds of the columns for the number formats (``money``: more columns in codes to show
    as euros)."""
    money = set(money)
    shown, kinds, codes = _in_words(frame, lang, labels=labels, values=values,
                                    customers=customers, index=index)
    extra = {column_words(c, lang, labels) for c in money}
    kinds = {c: ("money" if c in extra else
                 "int" if k == "days" and pd.api.types.is_integer_dtype(shown[c]) else k)
             for c, k in kinds.items()}
    by = {k: tuple(c for c, kk in kinds.items() if kk == k) for k in ("money", "pct", "days")}
    ints = tuple(c for c, kk in kinds.items() if kk == "int")
    return Sheet(name, shown, money=by["money"], pct=by["pct"], ints=ints, days=by["days"],
                 totals=totals, codes=codes)


def write_tables(frames: Mapping[str, pd.DataFrame | None], out, lang: str = "fr", *,
                 workbook: str, labels: Mapping | None = None,
                 customers: pd.DataFrame | None = None,
                 money: Mapping[str, Iterable[str]] | None = None,
                 values: Mapping[str, str] | None = None) -> list[Path]:
    """A report's tables as CSV files and as one workbook.

    Parameters
    ----------
    frames : {file key: DataFrame}
        Catalogue keys ``report_file_<x>`` (the CSV name in ``lang``); the sheet is named by
        ``report_sheet_<x>``. None frames are skipped.
    out : path
        The report's folder.
    workbook : str
        Catalogue key of the workbook's file name (``report_file_dashboard_xlsx``).
    customers : DataFrame, optional
        Adds the customers' names beside their codes.
    money : {file key: column codes}, optional
        Columns shown as euros that the catalogue does not know.
    values : {column: catalogue key prefix}, optional
        Code columns (or named index levels) shown in words in the CSV files and the workbook
        (``{"cause": "dispute_cause."}``: "qualité" in French, "quality" in English).

    Returns
    -------
    list of Path
        The CSV files, then the workbook.
    """
    check_lang(lang)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    frames = {k: f for k, f in frames.items() if f is not None}
    written = write_csvs({k: _values_in_words(_days_as_shown(f), values or {}, lang, labels)
                          for k, f in frames.items()}, out, lang,
                         labels=_csv_labels(frames.values(), labels))
    sheets = [sheet_of(text(k.replace("report_file_", "report_sheet_"), lang), f, lang,
                       labels=labels, customers=customers, money=(money or {}).get(k, ()),
                       values=values or {})
              for k, f in frames.items()]
    return [*written, write_workbook(out / text(workbook, lang), sheets, lang)]


def _days_as_shown(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its decimal day columns rounded as the report pages show them: a KPI of
    the catalogue in days (DSO, average days late) to one decimal
    (:func:`creditlab.receivables.kpi.kpi_format`), any other count of days (the average age
    of the open disputes) to whole days (written ``46``, not ``45,5``); NaN stays empty."""
    kpis = kpi_catalogue()["unit"]
    out = None
    for c in frame.columns:
        s = frame[c]
        if not (pd.api.types.is_float_dtype(s) and column_kind(c, s) == "days"):
            continue
        out = frame.copy() if out is None else out
        if kpis.get(c) == "days":
            out[c] = s.round(1)
        else:
            out[c] = s.round(0).astype("Int64")
    return frame if out is None else out


def _csv_labels(frames, labels: Mapping | None) -> dict:
    """``labels`` plus the words of the columns the CSV writer would leave as codes (its lookup
    knows the report's labels and the catalogue's plain keys, not the ``col.<code>`` ones the
    workbook uses), of the columns and the index names: ``cap_net_worth`` → "plafond fonds
    propres", ``month_end`` → "fin de mois"."""
    out = dict(labels or {})
    for frame in frames:
        for c in [*frame.columns, *frame.index.names]:
            if isinstance(c, str) and c not in out and text(c, "fr") == c \
                    and column_words(c, "fr") != c:
                out[c] = {lang: column_words(c, lang) for lang in ("fr", "en")}
    return out


def _values_in_words(frame: pd.DataFrame, values: Mapping[str, str], lang: str,
                     labels: Mapping | None) -> pd.DataFrame:
    """``frame`` with the code values of the columns and named index levels of ``values`` in
    words (:func:`creditlab.reports.tables.value_words`), those index levels named in words."""
    if not values:
        return frame
    out = frame.copy()
    for col, prefix in values.items():
        if col in out.columns:
            out[col] = out[col].map(lambda v, p=prefix: value_words(v, p, lang))
    names = list(out.index.names)
    if any(n in values for n in names):
        if out.index.nlevels == 1:
            out.index = out.index.map(lambda v: value_words(v, values[names[0]], lang))
        else:
            out.index = pd.MultiIndex.from_arrays(
                [out.index.get_level_values(i).map(lambda v, p=values[n]: value_words(v, p, lang))
                 if n in values else out.index.get_level_values(i)
                 for i, n in enumerate(names)])
        out.index.names = [column_words(n, lang, labels) if n in values else n for n in names]
    return out


def write_dashboard_files(dash, out) -> list[Path]:
    """The credit dashboard's tables (``dash.files()``) as CSV files and as
    ``tableau_de_bord.xlsx`` (one sheet per table, customer names, causes in words)."""
    ageing = dash.ageing
    buckets = [c for c in ageing.columns if c not in ("n_open", "avg_age_days", "max_age_days")]
    return write_tables(dash.files(), out, dash.lang, workbook="report_file_dashboard_xlsx",
                        labels=dash.labels, customers=dash.inputs.get("customers"),
                        money={"report_file_disputes_by_cause": buckets},
                        values={"cause": "dispute_cause."})


#: Columns of the dunning list (the day's actions), in order.
DUNNING_LIST_COLUMNS = ("action_id", "customer_id", "name", "scenario", "step", "channel",
                        "escalation", "invoice_ids", "n_invoices", "amount", "credits",
                        "net_amount", "max_days_past_due", "penalties", "indemnities",
                        "total_claimed", "penalty_note", "assignee", "status")


def write_dunning_files(report, out) -> list[Path]:
    """The dunning list: ``plan_relances.csv`` (the day's actions, CSV convention of the run's
    language, French headers and words by default) and ``plan_relances.xlsx`` (sheets: the
    actions, the invoices they chase, the disputes blocking collection, the cases to escalate;
    customer names, euros, dates, totals, the columns explained)."""
    lang, out = report.lang, Path(out)
    codes = ("channel", "escalation", "status")
    actions = report.scenario_words(
        report.actions[[c for c in DUNNING_LIST_COLUMNS if c in report.actions.columns]])
    shown, kinds = in_words(actions, lang, values=codes)
    csv = write_csv(shown, out / text("report_file_dunning_csv", lang), lang, index=False,
                    money=[c for c, k in kinds.items() if k == "money"])
    cust = report.inputs.get("customers")
    items = report.scenario_words(report.plan.items).drop(columns=["scenario", "step_day"],
                                                          errors="ignore")
    cases = report.scenario_words(report.cases.drop(
        columns=["escalation", "step_escalation", "next_action"], errors="ignore"))
    blocked = report.scenario_words(report.blocked())
    sheets = [sheet_of(text("report_sheet_actions", lang), actions, lang, values=codes),
              sheet_of(text("report_sheet_action_invoices", lang), items, lang,
                       customers=cust, values={"doc_type": ""}),
              sheet_of(text("report_sheet_blocked", lang), blocked, lang, customers=cust,
                       values={"cause": "dispute_cause.", "doc_type": ""}),
              sheet_of(text("report_sheet_cases", lang), cases, lang, values=("step",))]
    return [csv, write_workbook(out / text("report_file_dunning_xlsx", lang), sheets, lang)]
