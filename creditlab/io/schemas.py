"""pandera schemas of the canonical tables, derived from :mod:`creditlab.io.tables`.

Nothing here repeats a column list: :func:`table_schema` reads each :class:`~creditlab.io.tables.Column`
(dtype, ``required``, ``nullable``, ``unique``, ``choices``, ``min_value``) and each table's key, and
adds the row rules of :data:`creditlab.io.rules.ROW_RULES` (dates in order, signs of invoice amounts, accounting
identities of the financial statements, see ``FS_IDENTITIES`` / ``FS_TOLERANCE``).

The schemas check a table that already has its canonical dtypes; use
:func:`creditlab.io.validate`, which coerces first, runs the same column checks vectorised
(without pandera: the read path of a million rows spent a quarter of its time in pandera's
per-check machinery) and turns every failure into a message saying how to fix it.
"""

from __future__ import annotations

import pandera.pandas as pa

from creditlab._cache import reference_cache
from creditlab.io.rules import ROW_RULES, RowRule, row_rules
from creditlab.tables import Column, _table

__all__ = ["PANDAS_DTYPES", "RowRule", "ROW_RULES", "table_schema", "row_rules"]

#: canonical dtype name (tables.py) -> pandas dtype the schemas expect.
PANDAS_DTYPES: dict[str, object] = {
    "str": str,
    "float": "float64",
    "int": "int64",
    "date": "datetime64[ns]",
    "bool": "bool",
}


def _column_schema(col: Column) -> pa.Column:
    checks = []
    if col.choices is not None:
        checks.append(pa.Check.isin(list(col.choices), name="choices"))
    if col.min_value is not None:
        checks.append(pa.Check.ge(col.min_value, name="min_value"))
    return pa.Column(
        PANDAS_DTYPES[col.dtype], checks=checks or None, nullable=col.nullable,
        unique=col.unique, required=col.required, coerce=False, title=col.label_fr,
        description=col.description,
    )


@reference_cache()
def table_schema(table: str) -> pa.DataFrameSchema:
    """pandera ``DataFrameSchema`` of a canonical table.

    Derived from :data:`creditlab.io.tables.TABLES`: one ``pa.Column`` per column (dtype,
    ``required``, ``nullable``, ``unique``, ``isin(choices)`` named ``"choices"``,
    ``ge(min_value)`` named ``"min_value"``), uniqueness of the table key when it has several
    columns, and the row rules of :data:`ROW_RULES` as dataframe-level checks named after the
    rule. Extra columns are allowed (``strict=False``); nothing is coerced. A copy: editing it
    changes no later validation.

    Raises
    ------
    InputError
        When ``table`` is not a canonical table name.
    """
    spec = _table(table)
    checks = [pa.Check(rule.ok, name=rule.name, error=rule.expected) for rule in row_rules(table)]
    return pa.DataFrameSchema(
        {c.name: _column_schema(c) for c in spec.columns},
        checks=checks or None,
        unique=list(spec.key) if len(spec.key) > 1 else None,
        report_duplicates="all",
        strict=False,
        coerce=False,
        name=table,
        title=spec.label_fr,
        description=spec.description,
    )

