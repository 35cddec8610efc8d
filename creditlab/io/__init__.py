"""Inputs: canonical tables, validation, readers (CSV, Excel, Parquet, FEC) and datasets.

- :mod:`creditlab.io.tables`: the canonical data model (tables, columns, units, French labels).
- :func:`validate` / :func:`problems`: check a table, every problem at once, each with its fix.
- :func:`read_table`: CSV (``;``/``,``/tab, decimal comma, UTF-8/cp1252, French or English
  headers), Excel and Parquet into a validated canonical table.
- :func:`read_fec` / :func:`fec_open_items`: the French FEC (Fichier des écritures comptables)
  and the open customer items it holds.
- :func:`load_demo`: the bundled demo portfolio; :func:`external_dir`: ``../shared/external``.
- :func:`table_schema`: the pandera schema of a table (imports pandera on first use).
"""

from __future__ import annotations

from creditlab.io.datasets import (
    DATASETS_DIR,
    DEMO_DIR,
    PROJECT_ROOT,
    coerce_types,
    external_dir,
    load_demo,
)
from creditlab.io.dictionary import data_dictionary_markdown
from creditlab.io.fec import FEC_FIELDS, FECWarning, fec_open_items, read_fec
from creditlab.io.readers import load_column_aliases, read_table
from creditlab.io.tables import (
    DISPUTE_CAUSES,
    DOC_TYPES,
    EVENT_TYPES,
    FS_IDENTITIES,
    FS_TOLERANCE,
    ORDER_STATUSES,
    PAYMENT_METHODS,
    PAYMENT_TERMS,
    SECTORS,
    SIZE_CLASSES,
    TABLES,
    Column,
    Table,
    columns_of,
    required_columns,
)
from creditlab.io.validate import problems, validate

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
    "FEC_FIELDS",
    "FECWarning",
    # documentation
    "data_dictionary_markdown",
]


def table_schema(table: str):
    """pandera ``DataFrameSchema`` of a canonical table (see :mod:`creditlab.io.schemas`)."""
    from creditlab.io.schemas import table_schema as _schema

    return _schema(table)
