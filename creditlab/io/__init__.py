"""Inputs: canonical tables, validation, readers (CSV, Excel, Parquet, FEC) and datasets.

- :mod:`creditlab.io.tables`: the canonical data model (tables, columns, units, French labels),
  re-exported from :mod:`creditlab.tables`, where it lives below every package that uses it.
- :func:`validate` / :func:`problems`: check a table, every problem at once, each with its fix.
- :func:`read_table`: CSV (``;``/``,``/tab, decimal comma, UTF-8/cp1252, French or English
  headers), Excel and Parquet into a validated canonical table.
- :func:`read_fec` / :func:`fec_open_items` / :func:`fec_ledger_tables` /
  :func:`fec_customers`: the French FEC (Fichier des écritures comptables), the open customer
  items, invoices, payments and customers' names it holds.
- :func:`load_demo`: the bundled demo portfolio; :func:`external_dir`: ``../shared/external``.
- :func:`table_schema`: the pandera schema of a table.

Names are loaded on first use (PEP 562), so ``from creditlab.io import read_table`` loads the
readers only, not pandera or the demo generator.
"""

from __future__ import annotations

import importlib

# eager, light (numpy, pandas, the data model): the function ``validate`` must win over the
# sub-module of the same name, which would otherwise shadow it once imported
from creditlab.io.validate import problems, validate

#: Public name → the sub-module that defines it.
_ORIGIN = {
    **dict.fromkeys(("DATASETS_DIR", "DEMO_DIR", "PROJECT_ROOT", "coerce_types", "external_dir",
                     "load_demo"), "datasets"),
    "data_dictionary_markdown": "dictionary",
    **dict.fromkeys(("FEC_FIELDS", "FECWarning", "fec_open_items", "fec_ledger_tables",
                     "fec_customers", "read_fec"), "fec"),
    **dict.fromkeys(("load_column_aliases", "read_table"), "readers"),
    **dict.fromkeys(("DISPUTE_CAUSES", "DOC_TYPES", "EVENT_TYPES", "FS_IDENTITIES",
                     "FS_TOLERANCE", "ORDER_STATUSES", "PAYMENT_METHODS", "PAYMENT_TERMS",
                     "SECTORS", "SIZE_CLASSES", "TABLES", "Column", "Table", "columns_of",
                     "required_columns"), "tables"),
    "table_schema": "schemas",
}
_SUBMODULES = ("datasets", "dictionary", "fec", "fec_ledger", "polish", "readers", "reference", "rules", "schemas",
               "tables", "validate")

__all__ = [
    # data model
    "Column",
    "Table",
    "TABLES",
    "columns_of",
    "required_columns",
    "FS_IDENTITIES",
    "FS_TOLERANCE",
    "PAYMENT_TERMS",
    "DOC_TYPES",
    "DISPUTE_CAUSES",
    "EVENT_TYPES",
    "SECTORS",
    "SIZE_CLASSES",
    "ORDER_STATUSES",
    "PAYMENT_METHODS",
    # datasets
    "PROJECT_ROOT",
    "DATASETS_DIR",
    "DEMO_DIR",
    "load_demo",
    "external_dir",
    "coerce_types",
    # validation
    "validate",
    "problems",
    "table_schema",
    # readers
    "read_table",
    "load_column_aliases",
    "read_fec",
    "fec_open_items",
    "fec_ledger_tables",
    "fec_customers",
    "FEC_FIELDS",
    "FECWarning",
    # documentation
    "data_dictionary_markdown",
]


def __getattr__(name: str):
    if name in _ORIGIN:
        value = getattr(importlib.import_module(f"creditlab.io.{_ORIGIN[name]}"), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f"creditlab.io.{name}")
    raise AttributeError(f"module 'creditlab.io' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__, *_SUBMODULES})
