"""One input-loading policy for every report: :func:`load_inputs`.

A report notebook declares the paths of the tables it reads as parameters (``invoices``,
``payments``, ``customers``, ...) and an ``as_of`` parameter, and calls::

    inputs = load_inputs(as_of, invoices=invoices, payments=payments, customers=customers)

- no file given: the bundled demo portfolio (:func:`creditlab.io.load_demo`); ``as_of`` defaults
  to the demo's reporting date :data:`creditlab.synth.DEMO_AS_OF` (2025-12-31);
- files given: ``invoices`` is required (``payments`` too, unless the invoices file is an
  open-items export or carries settlement dates), and so is ``as_of`` — a user's ledger is
  never analysed at the demo's date, nor at a date far from its documents (``force_as_of``). Each file is read with
  :func:`creditlab.io.read_table` (validated at the boundary: every problem at once);
- the ledger is matched once (:class:`creditlab.receivables.Ledger`) and its open items at
  ``as_of`` (:class:`creditlab.receivables.OpenItems`) are computed here, so the date travels
  with the items into every consumer.

Errors are :class:`~creditlab.exceptions.InputError` naming the parameter and the fix; inside a
report run they make the run fail (exit code 1 of ``creditlab report run``) and publish nothing.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from creditlab._checks import as_of_date
from creditlab.config import load_config
from creditlab.dunning.inputs import UNDATED_PAYMENT
from creditlab.exceptions import InputError
from creditlab.io import fec_customers, fec_ledger_tables, read_fec, read_table
from creditlab.io.datasets import coerce_types, load_demo
from creditlab.labels import text
from creditlab.receivables.items import Ledger, OpenItems
from creditlab.synth import DEMO_AS_OF
from creditlab.tables import PAYMENT_TERMS, columns_of

__all__ = ["ReportInputs", "load_inputs", "empty_table", "INPUT_TABLES", "MAX_DAYS_AFTER_LAST"]

#: Tables a report may read, in the order of the demo portfolio.
INPUT_TABLES = ("invoices", "payments", "customers", "orders", "disputes", "events",
                "financial_statements")


def empty_table(name: str) -> pd.DataFrame:
    """An empty canonical table ``name`` (its columns, canonical dtypes), for a file not given."""
    if name not in INPUT_TABLES:
        raise InputError("table", f"one of {list(INPUT_TABLES)}", name,
                         "use a canonical table name")
    return coerce_types(pd.DataFrame({c: pd.Series([], dtype="object")
                                      for c in columns_of(name)}), name)


@dataclass(frozen=True, eq=False)
class ReportInputs:
    """What a report works on: the tables, the ledger, its open items and the date.

    Attributes
    ----------
    tables : mapping of str to DataFrame
        The canonical tables read (read-only mapping); with the demo, every demo table.
    ledger : Ledger
        The customer ledger built once from the invoices, payments, disputes, customers and
        events tables.
    items : OpenItems
        ``ledger.at(as_of)``: the open items, carrying their date.
    as_of : Timestamp
        The reporting date (midnight).
    is_demo : bool
        True when the bundled demo portfolio is used.
    company : mapping
        The ``[company]`` section of the configuration (name, address, SIREN, phone, e-mail,
        IBAN, logo): the sender of the letters. Empty without a configuration.
    source : str
        ``"demo"`` or the name of the invoices file (for the report's text).
    limits_policy, dunning_policy : Path or None
        The ``[limits]`` and ``[dunning]`` policy files of the configuration (None: the bundled
        defaults): the dashboard's limits and credit hold, the dunning plan.
    """

    tables: Mapping[str, pd.DataFrame]
    ledger: Ledger
    items: OpenItems
    as_of: pd.Timestamp
    is_demo: bool
    source: str = field(default="demo")
    company: Mapping[str, str] = field(default_factory=dict)
    limits_policy: Path | None = None
    dunning_policy: Path | None = None

    def get(self, name: str) -> pd.DataFrame | None:
        """Table ``name`` when it was given (or is in the demo), else None."""
        return self.tables.get(name)

    def table(self, name: str) -> pd.DataFrame:
        """Table ``name``, or an empty canonical table when it was not given."""
        df = self.tables.get(name)
        return df if df is not None else empty_table(name)

    def source_label(self, lang: str = "fr") -> str:
        """The data's origin in words: the demo portfolio, or the invoices file name."""
        return text("report_demo_portfolio", lang) if self.is_demo else self.source


#: An ``as_of`` more than this many days after the last document of the files is an error
#: (a stale export, or a typing error in the year) unless ``force_as_of=True``.
MAX_DAYS_AFTER_LAST = 45


def _last_and_first(tables: dict) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    inv, pay = tables["invoices"], tables.get("payments")
    dates = [inv["issue_date"]]
    if pay is not None and len(pay):
        dates.append(pay["payment_date"])
    if "settled_date" in inv.columns:
        dates.append(inv["settled_date"])
    all_dates = pd.concat(dates).dropna()
    if all_dates.empty:
        return None, None
    return all_dates.max(), inv["issue_date"].min()


def _check_as_of(date: pd.Timestamp, tables: dict, source: str) -> None:
    last, first = _last_and_first(tables)
    fix = "-p force_as_of=True (or --force-as-of) when this date is really meant"
    if date < first:
        raise InputError("as_of", f"a date on or after the first document ({first:%d/%m/%Y})",
                         f"{date:%d/%m/%Y}", "correct the date (or the year); " + fix)
    if date > last + pd.Timedelta(days=MAX_DAYS_AFTER_LAST):
        raise InputError("as_of", f"a date at most {MAX_DAYS_AFTER_LAST} days after the last "
                         f"document of the files ({last:%d/%m/%Y})", f"{date:%d/%m/%Y}",
                         "export the recent documents and payments, or correct the date; "
                         + fix)


def _payments_from_invoices(invoices: pd.DataFrame, date: pd.Timestamp) -> pd.DataFrame | None:
    """The payments implied by an open-items export (``open_amount``: the settled part paid at
    ``as_of``) or an invoice list with ``settled_date`` (paid in full that day); None when the
    invoices carry neither."""
    inv, method = invoices, None
    if "open_amount" in inv.columns and inv["open_amount"].notna().any():
        open_amt = inv["open_amount"].fillna(0.0)
        paid = (inv["amount_ttc"] - open_amt).round(2)
        pay_date = pd.Series(date, index=inv.index)
        method = UNDATED_PAYMENT  # dates unknown: no payment history for the penalties
    elif "settled_date" in inv.columns:
        settled = inv["settled_date"].notna()
        paid = inv["amount_ttc"].where(settled, 0.0)
        pay_date = inv["settled_date"]
    else:
        return None
    keep = (paid != 0).to_numpy()
    out = pd.DataFrame({
        "payment_id": "R-" + inv["invoice_id"].astype(str),
        "customer_id": inv["customer_id"], "payment_date": pay_date, "amount": paid,
        "invoice_id": inv["invoice_id"], "method": method}).loc[keep].reset_index(drop=True)
    return coerce_types(out, "payments")


def _fec_tables(path, terms_days) -> dict:
    """Invoices, payments and customers (named from the auxiliary accounts) of a FEC."""
    if not Path(path).is_file():
        raise InputError("fec", "an existing FEC file (SirenFECAAAAMMJJ.txt)", str(path),
                         "check the path (relative paths start from the folder where the "
                         "report is run)")

    fec = read_fec(path)
    customers = fec_customers(fec)
    code = f"net_{int(terms_days)}"
    if code in PAYMENT_TERMS:  # the terms setting is every customer's (limits need them)
        customers["payment_terms"] = code
    return {**fec_ledger_tables(fec, terms_days=int(terms_days)), "customers": customers}


def load_inputs(as_of=None, *, config=None, force_as_of: bool = False, fec=None,
                fec_terms_days: int | None = None,
                formats: dict | None = None, columns: dict | None = None,
                values: dict | None = None,
                **paths: str | os.PathLike | None) -> ReportInputs:
    """Read a report's tables (or the demo), match the ledger once, open items at ``as_of``.

    Parameters
    ----------
    as_of : date-like, optional
        Reporting date, ISO ``2025-12-31`` or French ``31/12/2025``. Required with files; with
        the demo it defaults to :data:`creditlab.synth.DEMO_AS_OF`.
    config : path, optional
        A ``creditlab.toml`` (:mod:`creditlab.config`): its ``[inputs]`` give the paths not
        passed here, its ``[columns]``, ``[values]`` and ``[formats]`` how to read them (the
        arguments below, when given, win).
    fec : path, optional
        A FEC (``SirenFECAAAAMMJJ.txt``) instead of invoices and payments files: the customer
        accounts 411 and 416 give the documents and the cash, the lettering what settles
        what (:func:`creditlab.io.fec_ledger_tables`); other tables may be given beside it.
    fec_terms_days : int, optional
        Days from issue to due date of the FEC's invoices (default 30, or
        ``[inputs] fec_terms_days`` of the configuration): a FEC has no due date, and its
        ``DateRglt`` is a payment date, never used as one.
    force_as_of : bool, default False
        Accept an ``as_of`` before the first invoice or more than
        :data:`MAX_DAYS_AFTER_LAST` days after the last document of the files (else an error:
        a stale export or a wrong year would publish a ledger where everything is overdue).
    formats : dict, optional
        The files' conventions (``[formats]``: ``date_order``, ``decimal``, ``thousands``,
        ``encoding``, ``header_row``), see :func:`creditlab.io.read_table`; a dict of such
        dicts keyed by table name sets them per table.
    columns, values : dict, optional
        Per table: ``{"invoices": {"N° facture": "invoice_id"}}`` header mappings and
        ``{"invoices": {"doc_type": {"AV": "credit_note"}}}`` code mappings
        (``[columns.TABLE]``, ``[values.TABLE.COLUMN]`` of ``creditlab.toml``).
    **paths : path or None
        ``invoices=..., payments=..., customers=..., orders=..., disputes=..., events=...,
        financial_statements=...``: CSV, Excel or Parquet files (None: not given). When every
        path is None the demo portfolio is used. ``payments`` may be left out when the
        invoices file is an open-items export (column ``open_amount``, the remaining amount:
        the settled part counts as paid at ``as_of``) or carries a ``settled_date`` per
        document (paid in full that day). Every other table is optional.

    Returns
    -------
    ReportInputs

    Raises
    ------
    InputError
        An unknown table name; files without ``invoices``, or without ``payments`` when the
        invoices carry neither ``open_amount`` nor ``settled_date``; files without ``as_of``;
        an unreadable date; an ``as_of`` out of the files' dates (see ``force_as_of``); no
        document at all; a missing file. Reading errors of
        :func:`creditlab.io.read_table` (every problem of a file at once) pass through.
    """
    company: dict = {}
    policies: dict = {}
    if config is not None and str(config) != "":
        cfg = load_config(config)
        company = dict(cfg.company)
        policies = {"limits_policy": cfg.limits_policy, "dunning_policy": cfg.dunning_policy}
        paths = {**{k: v for k, v in cfg.inputs.items() if k in INPUT_TABLES},
                 **{k: v for k, v in paths.items() if v is not None and str(v) != ""}}
        if fec is None and "fec" in cfg.inputs and "invoices" not in paths:
            fec = cfg.inputs["fec"]
        if fec_terms_days is None:
            fec_terms_days = cfg.fec_terms_days
        columns = columns if columns is not None else cfg.columns
        values = values if values is not None else cfg.values
        formats = formats if formats is not None else {t: cfg.formats_for(t)
                                                       for t in INPUT_TABLES}
    unknown = sorted(set(paths) - set(INPUT_TABLES))
    if unknown:
        raise InputError("input tables", f"names among {list(INPUT_TABLES)}", unknown,
                         "fix the parameter names of the report")
    given = {name: p for name, p in paths.items() if p is not None and str(p) != ""}
    if fec is not None and str(fec) != "":
        clash = [n for n in ("invoices", "payments") if n in given]
        if clash:
            raise InputError("fec", "a FEC or invoices/payments files, not both", clash,
                             "drop -p fec=... or the invoices and payments files")
    if not given and (fec is None or str(fec) == ""):
        tables = load_demo()
        date = as_of_date(DEMO_AS_OF if as_of is None else as_of)
        is_demo, source = True, "demo"
    else:
        if fec is not None and str(fec) != "":
            given["invoices"] = str(fec)  # the source named in the reports
        if "invoices" not in given:
            raise InputError("invoices", "a file path with your own invoices (the other "
                             "tables come with it)", None, "-p invoices=your_invoices.csv "
                             "(or give no file at all to run on the demo portfolio)")
        if as_of is None:
            raise InputError("as_of", "the reporting date of your files", None,
                             "add -p as_of=YYYY-MM-DD (e.g. -p as_of=2025-12-31): with your own "
                             "files the demo's date is never used")
        date = as_of_date(as_of)
        for name, p in given.items():
            if not Path(p).is_file():
                raise InputError(name, "an existing CSV, Excel or Parquet file", str(p),
                                 "check the path (relative paths start from the folder where "
                                 "the report is run)")

        def per_table(option, name):
            if not option:
                return None
            return option.get(name) if any(k in INPUT_TABLES for k in option) else option

        from_fec = (_fec_tables(fec, 30 if fec_terms_days is None else fec_terms_days)
                    if fec is not None and str(fec) != "" else {})
        tables = {name: read_table(p, name, columns=(columns or {}).get(name),
                                   formats=per_table(formats, name),
                                   values=(values or {}).get(name))
                  for name, p in given.items() if name not in from_fec or name == "customers"}
        # a customers file given beside the FEC wins over the names of its auxiliary accounts
        tables = {**from_fec, **tables}
        is_demo, source = False, Path(given["invoices"]).name
        if "payments" not in tables:
            implied = _payments_from_invoices(tables["invoices"], date)
            if implied is None:
                raise InputError("payments", "a payments file, or an invoices file with the "
                                 "remaining amount (open_amount) or the settlement date "
                                 "(settled_date) of each document", None,
                                 "-p payments=your_payments.csv, or export the open items "
                                 "with their remaining amount")
            tables["payments"] = implied
        if tables["invoices"].empty:  # before: an IndexError deep in the ledger
            raise InputError("invoices", "at least one document", f"no document in {source}",
                             "check the export (or the filters applied before it): the file "
                             "has a header and no rows")
        if not force_as_of:
            _check_as_of(date, tables, source)
    ledger = Ledger.from_tables(tables["invoices"], tables["payments"],
                                disputes=tables.get("disputes"),
                                customers=tables.get("customers"), events=tables.get("events"))
    return ReportInputs(tables=MappingProxyType(dict(tables)), ledger=ledger,
                        items=ledger.at(date), as_of=date, is_demo=is_demo, source=source,
                        company=MappingProxyType(company), **policies)
