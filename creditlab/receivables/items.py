"""Open items that know their date, and the ledger they come from.

- :class:`Ledger` holds the canonical tables of one customer ledger (invoices, payments and
  optionally disputes, customers, events). ``ledger.at(as_of)`` returns the open items at a date.
- :class:`OpenItems` is that frozen answer: the open-items table (CONTRACTS.md columns), the
  ``as_of`` it was computed at, and the customers table when known.
- :func:`resolve_items` is what every consumer (aged balance, KPIs, exposure, credit hold,
  dunning, insurer deadlines, letters) calls on its ``items`` argument: with :class:`OpenItems`
  the date comes from the items and a different ``as_of`` is an error; a plain DataFrame still
  works with an explicit ``as_of``.

Why: items computed at 2025-03-31 and aged or dunned "as of" 2025-09-30 put the whole balance in
the oldest bucket and send formal notices for invoices long paid, with no error. The date now
travels with the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from creditlab._checks import as_of_date, require_columns, require_frame
from creditlab._results import Result
from creditlab.exceptions import InputError
from creditlab.receivables.ledger import _build_core, _Core, _items_at
from creditlab.receivables.outofcore import ParquetLedger

__all__ = ["OpenItems", "Ledger", "resolve_items"]


@dataclass(frozen=True, eq=False, repr=False)
class OpenItems(Result):
    """Open documents of a ledger at a date.

    Attributes
    ----------
    items : DataFrame
        One row per open document (``customer_id, invoice_id, doc_type, issue_date, due_date,
        amount_ttc, paid_amount, open_amount, disputed``); treat it as read-only.
    as_of : Timestamp
        The date the items were computed at.
    customers : DataFrame or None
        The customers table of the ledger, when known.
    """

    items: pd.DataFrame
    as_of: pd.Timestamp
    customers: pd.DataFrame | None = field(default=None)

    def __post_init__(self) -> None:
        require_frame(self.items, "items", "build open items with Ledger.at(as_of) or "
                      "creditlab.receivables.open_items(invoices, payments, as_of)")
        object.__setattr__(self, "as_of", as_of_date(self.as_of))

    def __len__(self) -> int:
        return len(self.items)

    def __repr__(self) -> str:
        return (f"OpenItems(as_of={self.as_of.date().isoformat()}, {len(self.items)} items, "
                f"open balance {self.total:,.2f} EUR)")

    @property
    def total(self) -> float:
        """Open balance (signed sum of ``open_amount``), euros TTC."""
        if "open_amount" not in self.items.columns or self.items.empty:
            return 0.0
        return float(self.items["open_amount"].sum())

    def summary(self) -> pd.DataFrame:
        """Count and open amount by document type, plus a ``total`` row (codes)."""
        if self.items.empty or "doc_type" not in self.items.columns:
            out = pd.DataFrame({"n_items": [len(self.items)], "open_amount": [self.total]},
                               index=pd.Index(["total"], name="doc_type"))
            return out
        g = self.items.groupby("doc_type", sort=True)["open_amount"]
        out = pd.DataFrame({"n_items": g.size(), "open_amount": g.sum()})
        out.index = pd.Index(out.index.astype(object), name="doc_type")
        out.loc["total"] = [len(self.items), self.total]
        out["n_items"] = out["n_items"].astype("int64")
        return out


def resolve_items(items, as_of=None, *, name: str = "items") -> tuple[pd.DataFrame, pd.Timestamp]:
    """The open-items table and its date, for a consumer's ``(items, as_of)`` arguments.

    Parameters
    ----------
    items : OpenItems or DataFrame
        Open items. With :class:`OpenItems`, the date is theirs.
    as_of : date-like, optional
        Required with a DataFrame. With :class:`OpenItems` it may be omitted; if given it must be
        the items' own date.

    Raises
    ------
    InputError
        ``as_of`` differs from the date of the :class:`OpenItems`; a DataFrame without ``as_of``;
        anything else than a DataFrame or :class:`OpenItems`.
    """
    if isinstance(items, OpenItems):
        if as_of is not None:
            asked = as_of_date(as_of)
            if asked != items.as_of:
                raise InputError(
                    "as_of", f"the date of the open items ({items.as_of.date().isoformat()})",
                    asked.date().isoformat(),
                    f"recompute the items at that date (ledger.at('{asked.date().isoformat()}') "
                    "or open_items(invoices, payments, as_of=...)), or leave as_of out to use "
                    "the items' own date")
        return items.items, items.as_of
    if isinstance(items, pd.DataFrame):
        if as_of is None:
            raise InputError("as_of", "the date of the analysis with an open-items DataFrame",
                             None, "pass as_of=..., or pass ledger.at(as_of) (OpenItems) which "
                             "carries its date")
        return items, as_of_date(as_of)
    raise InputError(name, "OpenItems (ledger.at(as_of)) or an open-items DataFrame",
                     type(items).__name__, "build them with creditlab.receivables.Ledger")


class Ledger:
    """The customer ledger: canonical tables, matched once, open items at any date.

    Building the ledger validates the tables and encodes every id once into integer positions
    (payment line → document, credit note → the invoice it corrects, dispute → document);
    ``ledger.at(as_of)`` then only filters by day and sums in whole cents. The rules are those
    of :func:`creditlab.receivables.open_items` (which builds the same core for one date).

    Parameters
    ----------
    invoices, payments : DataFrame
        Canonical ``invoices`` and ``payments`` tables (``creditlab.io.read_table``).
    disputes, customers, events : DataFrame, optional
        Canonical ``disputes`` (dated: a document is disputed at a date when a dispute is open
        then), ``customers`` (must hold ``customer_id``) and ``events`` tables.

    Raises
    ------
    InputError
        Everything :func:`~creditlab.receivables.open_items` refuses (missing columns, ids or
        dates, duplicate document ids, payments allocated to unknown documents...), at
        construction.

    Examples
    --------
    >>> ledger = Ledger.from_tables(invoices, payments, disputes=disputes)   # doctest: +SKIP
    >>> items = ledger.at("2025-12-31")                                       # doctest: +SKIP
    >>> aged_balance(items).table                                             # doctest: +SKIP
    """

    def __init__(self, invoices: pd.DataFrame, payments: pd.DataFrame, *,
                 disputes: pd.DataFrame | None = None, customers: pd.DataFrame | None = None,
                 events: pd.DataFrame | None = None):
        fix = "read it with creditlab.io.read_table(path, '{}')"
        for tname, df, optional in (("invoices", invoices, False), ("payments", payments, False),
                                    ("disputes", disputes, True), ("customers", customers, True),
                                    ("events", events, True)):
            if df is None and optional:
                continue
            require_frame(df, tname, fix.format(tname))
        if customers is not None:
            require_columns(customers, "customers", ("customer_id",),
                            fix.format("customers"))
        self.invoices = invoices
        self.payments = payments
        self.disputes = disputes
        self.customers = customers
        self.events = events
        self._core: _Core = _build_core(invoices, payments, disputes)

    @classmethod
    def from_tables(cls, invoices: pd.DataFrame, payments: pd.DataFrame,
                    disputes: pd.DataFrame | None = None, customers: pd.DataFrame | None = None,
                    events: pd.DataFrame | None = None) -> Ledger:
        """A ledger from the canonical tables (see the class parameters)."""
        return cls(invoices, payments, disputes=disputes, customers=customers, events=events)

    @classmethod
    def from_parquet(cls, invoices, payments, **options):
        """A ledger left in Parquet and computed out of core by DuckDB (larger than memory).

        Returns a :class:`creditlab.receivables.outofcore.ParquetLedger` (``open_items``,
        ``aged_balance``, and ``kpi_history(ledger, start, end)``); ``options`` go to it
        (``disputes``, ``memory_limit``, ``temp_directory``, ``threads``). Needs the optional
        dependency ``duckdb``.
        """
        return ParquetLedger(invoices, payments, **options)

    def at(self, as_of) -> OpenItems:
        """Open items at ``as_of`` (documents issued and payments dated on or before it)."""
        asof = as_of_date(as_of)
        return OpenItems(_items_at(self._core, asof), asof, self.customers)

    def __repr__(self) -> str:
        return (f"Ledger({len(self.invoices)} documents, {len(self.payments)} payment lines"
                f"{', disputes' if self.disputes is not None else ''})")
