"""Row rules of the canonical tables: rules on several columns of a row (dates in order, signs
of invoice amounts, accounting identities of the financial statements, see ``FS_IDENTITIES`` /
``FS_TOLERANCE``).

:func:`creditlab.io.validate` runs them on every table it reads; :func:`creditlab.io.table_schema`
adds them to the pandera schema as dataframe-level checks. This module does not need pandera, so
reading a file does not load it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from creditlab.tables import FS_IDENTITIES, FS_TOLERANCE, _table

__all__ = ["RowRule", "ROW_RULES", "row_rules"]


@dataclass(frozen=True)
class RowRule:
    """A rule on several columns of a row.

    ``test(df)`` returns a boolean Series, True where the row satisfies the rule or the rule does
    not apply (missing values are not judged here: ``nullable`` is checked per column).
    """

    name: str
    column: str
    columns: tuple[str, ...]
    test: Callable[[pd.DataFrame], pd.Series]
    expected: str
    fix: str
    describe: Callable[[pd.DataFrame], str] | None = None  # failing rows -> "got ..." text

    def ok(self, df: pd.DataFrame) -> pd.Series:
        """The rule's verdict per row (all True when one of its columns is absent)."""
        if any(c not in df.columns for c in self.columns):
            return pd.Series(True, index=df.index)
        return self.test(df).fillna(True).astype(bool)


def _date_order(first: str, then: str) -> RowRule:
    return RowRule(
        name=f"{then}_not_before_{first}", column=then, columns=(first, then),
        test=lambda df: ~(df[then] < df[first]),
        expected=f"{then} on or after {first}",
        fix=f"correct {then} or {first} (a {then} cannot precede the {first})",
    )


def _sign_rule() -> RowRule:
    def test(df: pd.DataFrame) -> pd.Series:
        t = df["doc_type"]
        amt = df["amount_ttc"]
        return ~(((t == "invoice") & (amt < 0)) | ((t == "credit_note") & (amt > 0)))

    return RowRule(
        name="amount_sign_matches_doc_type", column="amount_ttc",
        columns=("doc_type", "amount_ttc"), test=test,
        expected="amount_ttc >= 0 for an invoice and <= 0 for a credit_note",
        fix="write credit notes (avoirs) with negative amounts and invoices with positive ones, "
            "or correct doc_type",
    )


def _ht_sign_rule() -> RowRule:
    return RowRule(
        name="amount_ht_same_sign", column="amount_ht", columns=("amount_ttc", "amount_ht"),
        test=lambda df: ~((df["amount_ht"] * df["amount_ttc"]) < 0),
        expected="amount_ht with the same sign as amount_ttc",
        fix="give amount_ht the sign of amount_ttc (both negative for a credit note)",
    )


def _identity_rule(total: str, terms: tuple[tuple[int, str], ...]) -> RowRule:
    cols = tuple(c for _, c in terms)

    def test(df: pd.DataFrame) -> pd.Series:
        rebuilt = sum(sign * df[c].to_numpy(dtype="float64") for sign, c in terms)
        gap = np.abs(df[total].to_numpy(dtype="float64") - rebuilt)
        return pd.Series(~(gap > FS_TOLERANCE), index=df.index)

    def describe(bad: pd.DataFrame) -> str:
        rebuilt = sum(sign * bad[c].to_numpy(dtype="float64") for sign, c in terms)
        gap = bad[total].to_numpy(dtype="float64") - rebuilt
        worst = int(np.nanargmax(np.abs(gap)))
        return (f"{len(bad)} row(s); largest gap {gap[worst]:+,.2f} EUR ({total} = "
                f"{bad[total].iloc[worst]:,.2f}, sum of its lines = {rebuilt[worst]:,.2f})")

    formula = " ".join(("+ " if s > 0 else "- ") + c for s, c in terms).lstrip("+ ")
    return RowRule(
        name=f"{total}_identity", column=total, columns=(total, *cols), test=test,
        describe=describe,
        expected=f"{total} = {formula} (within {FS_TOLERANCE:g} EUR)",
        fix=f"correct {total} or its lines so that the identity holds (accounts rounded to the "
            f"euro differ by at most {FS_TOLERANCE:g} EUR)",
    )


def _balance_rule() -> RowRule:
    def test(df: pd.DataFrame) -> pd.Series:
        return ~((df["total_assets"] - df["total_liabilities"]).abs() > FS_TOLERANCE)

    return RowRule(
        name="balance_sheet_balances", column="total_liabilities",
        columns=("total_assets", "total_liabilities"), test=test,
        expected=f"total_assets == total_liabilities (within {FS_TOLERANCE:g} EUR)",
        fix="the balance sheet must balance: check the asset and liability lines (actif = passif)",
    )


#: Row rules per table (used by the schemas and by ``validate`` for detailed messages).
ROW_RULES: dict[str, tuple[RowRule, ...]] = {
    "invoices": (_date_order("issue_date", "due_date"), _sign_rule(), _ht_sign_rule()),
    "orders": (_date_order("order_date", "ship_date"),),
    "disputes": (_date_order("opened_date", "closed_date"),),
    "financial_statements": (*(_identity_rule(t, terms) for t, terms in FS_IDENTITIES.items()),
                             _balance_rule()),
}


def row_rules(table: str) -> tuple[RowRule, ...]:
    """The row rules of a canonical table (empty tuple when it has none)."""
    _table(table)
    return ROW_RULES.get(table, ())
