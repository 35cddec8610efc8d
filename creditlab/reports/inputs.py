"""One input-loading policy for every report: :func:`load_inputs`.

A report notebook declares the paths of the tables it reads as parameters (``invoices``,
``payments``, ``customers``, ...) and an ``as_of`` parameter, and calls::

    inputs = load_inputs(as_of, invoices=invoices, payments=payments, customers=customers)

- no file given: the bundled demo portfolio (:func:`creditlab.io.load_demo`); ``as_of`` defaults
  to the demo's reporting date :data:`creditlab.synth.DEMO_AS_OF` (2025-12-31);
- files given: ``invoices`` and ``payments`` are required, and so is ``as_of`` — a user's ledger
  is never analysed at the demo's date. Each file is read with
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
from creditlab.exceptions import InputError
from creditlab.receivables.items import Ledger, OpenItems

__all__ = ["ReportInputs", "load_inputs", "empty_table", "INPUT_TABLES"]

#: Tables a report may read, in the order of the demo portfolio.
INPUT_TABLES = ("invoices", "payments", "customers", "orders", "disputes", "events",
                "financial_statements")


def empty_table(name: str) -> pd.DataFrame:
    """An empty canonical table ``name`` (its columns, canonical dtypes), for a file not given."""
    from creditlab.io.datasets import coerce_types
    from creditlab.io.tables import columns_of

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
    source : str
        ``"demo"`` or the name of the invoices file (for the report's text).
    """

    tables: Mapping[str, pd.DataFrame]
    ledger: Ledger
    items: OpenItems
    as_of: pd.Timestamp
    is_demo: bool
    source: str = field(default="demo")

    def get(self, name: str) -> pd.DataFrame | None:
        """Table ``name`` when it was given (or is in the demo), else None."""
        return self.tables.get(name)

    def table(self, name: str) -> pd.DataFrame:
        """Table ``name``, or an empty canonical table when it was not given."""
        df = self.tables.get(name)
        return df if df is not None else empty_table(name)

    def source_label(self, lang: str = "fr") -> str:
        """The data's origin in words: the demo portfolio, or the invoices file name."""
        from creditlab.labels import text

        return text("report_demo_portfolio", lang) if self.is_demo else self.source


def load_inputs(as_of=None, **paths: str | os.PathLike | None) -> ReportInputs:
    """Read a report's tables (or the demo), match the ledger once, open items at ``as_of``.

    Parameters
    ----------
    as_of : date-like, optional
        Reporting date, ISO ``2025-12-31`` or French ``31/12/2025``. Required with files; with
        the demo it defaults to :data:`creditlab.synth.DEMO_AS_OF`.
    **paths : path or None
        ``invoices=..., payments=..., customers=..., orders=..., disputes=..., events=...,
        financial_statements=...``: CSV, Excel or Parquet files (None: not given). When every
        path is None the demo portfolio is used.

    Returns
    -------
    ReportInputs

    Raises
    ------
    InputError
        An unknown table name; files without ``invoices`` or ``payments``; files without
        ``as_of``; an unreadable date; a missing file. Reading errors of
        :func:`creditlab.io.read_table` (every problem of a file at once) pass through.
    """
    unknown = sorted(set(paths) - set(INPUT_TABLES))
    if unknown:
        raise InputError("input tables", f"names among {list(INPUT_TABLES)}", unknown,
                         "fix the parameter names of the report")
    given = {name: p for name, p in paths.items() if p is not None and str(p) != ""}
    if not given:
        from creditlab.io.datasets import load_demo
        from creditlab.synth import DEMO_AS_OF

        tables = load_demo()
        date = as_of_date(DEMO_AS_OF if as_of is None else as_of)
        is_demo, source = True, "demo"
    else:
        missing = [n for n in ("invoices", "payments") if n not in given]
        if missing:
            raise InputError(", ".join(missing), "a file path with your own tables "
                             "(the invoices and the payments go together)", None,
                             " ".join(f"-p {n}=your_{n}.csv" for n in missing)
                             + " (or give no file at all to run on the demo portfolio)")
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
        from creditlab.io import read_table

        tables = {name: read_table(p, name) for name, p in given.items()}
        is_demo, source = False, Path(given["invoices"]).name
    ledger = Ledger.from_tables(tables["invoices"], tables["payments"],
                                disputes=tables.get("disputes"),
                                customers=tables.get("customers"), events=tables.get("events"))
    return ReportInputs(tables=MappingProxyType(dict(tables)), ledger=ledger,
                        items=ledger.at(date), as_of=date, is_demo=is_demo, source=source)
