"""The canonical data model, under its historical name.

It lives in :mod:`creditlab.tables`, below every package that reads or computes on the tables
(io, synth, receivables, statements, scores, legal...), so that none of them imports the readers
to learn a column name. ``creditlab.io.tables.X`` keeps working for every public name.
"""

from __future__ import annotations

from creditlab.tables import (  # noqa: F401 - re-exported
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
    __all__,
    _table,
    columns_of,
    required_columns,
)
