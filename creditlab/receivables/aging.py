"""The aged balance (balance âgée): open items spread over age buckets.

:func:`aged_balance` takes open items (``creditlab.receivables.open_items`` or
``creditlab.io.fec_open_items``) and returns an :class:`AgedBalance`: one row per group
(customer by default, or any customer attribute), a column for the amounts not yet due, one per
bucket of days past due, the disputed amounts and the total, plus a total row.

Bucket edges (the whole definition, also in :func:`aged_balance`):

- ``days_past_due = as_of − due_date`` in calendar days. ``days_past_due <= 0`` is **not yet
  due** ("non échu": an invoice due today is not late yet). With ``buckets=(0, 30, 60, 90)``,
  ``1..30`` days go to the first bucket ("1-30 j"), ``31..60`` to the second, ``61..90`` to the
  third and ``> 90`` to the last one ("> 90 j", the CRF's "over 90 days past due").
  In general the edges ``e0 < e1 < ... < ek`` give the buckets ``e0+1..e1``, ..., ``> ek``;
  0 is added in front when ``e0 > 0`` so that no day is left out.
- ``basis="issue_date"`` ages by ``days_since_issue = as_of − issue_date`` instead; there is no
  "not yet due" column and the first bucket starts at 0 days: ``0..30``, ``31..60``, ``61..90``,
  ``> 90``.

Credit notes and unallocated cash (negative open items) are aged like invoices by default
(``credits="age"``: a bucket can be negative, the totals are the signed net balance);
``credits="separate"`` takes them out of the buckets into their own column "avoirs et règlements
non affectés" / "unapplied credits", so that the buckets hold only amounts to collect.

Same definitions as ``creditlab.receivables.kpi`` ("current" = ``due_date >= as_of``, DOMAIN.md §6.3
and pitfall 6). All sums are computed in whole cents, so the buckets (plus the separate disputed
and unapplied-credits columns) add up to the open balance exactly to the cent.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from creditlab._drawing import drawn_by
from creditlab.exceptions import InputError
from creditlab.i18n import check_lang, column_label, format_eur
from creditlab.receivables.buckets import (
    AGING_LABELS,
    MISSING_GROUP,
    Basis,
    CreditsMode,
    DisputedMode,
    _bucket_codes,
    _check_buckets,
    _lbl,
    bucket_codes,
    bucket_labels,
)
from creditlab.receivables.items import OpenItems, resolve_items
from creditlab.receivables.ledger import (
    DOC_TYPE_LABELS,
    _check_frame,
    _day_number,
    _days,
    _flags,
)

#: Code of a missing group value (a customer without segment...); "non renseigné" in words.

__all__ = ["aged_balance", "AgedBalance", "AGING_LABELS", "bucket_labels", "bucket_codes"]


@dataclass(frozen=True)
class AgedBalance:
    """Result of :func:`aged_balance` (balance âgée), in codes; words at the edge.

    Attributes
    ----------
    table : DataFrame
        One row per group and a last total row (index label ``"total"``; ``("total", "", ...)``
        with several grouping columns); the index is named after the grouping columns
        (``customer_id``, ``segment``...). Columns are codes: the age buckets
        (``bucket_columns``: ``not_due``, ``dpd_1_30``, …, ``dpd_over_90``, or ``age_0_30``, …
        by issue date), ``disputed`` (``disputed="separate"``) or ``of_which_disputed``
        (``"include"``), ``credits`` (``credits="separate"``) and ``total``, in euros. A missing
        group value is the code ``not_set``. :meth:`in_words` gives the same table in words.
    detail : DataFrame or None
        Per-item detail (``detail=True``): the items with the group columns, ``days_past_due``,
        ``days_since_issue`` and ``bucket`` (code of the age bucket, also for the items shown
        in the disputed or unapplied-credits column). :meth:`detail_in_words` adds the words.
    stats : DataFrame
        Per group (same index as ``table`` without the total row): ``n_items``, ``past_due``
        (open amount with ``days_past_due >= 1``, whatever the basis, disputed items included:
        signed with ``credits="age"``, positive items only with ``credits="separate"``, i.e. the
        amount to collect), ``max_days_past_due`` (oldest past-due document with a positive open
        amount; NaN if none), ``disputed``, ``gross`` (only with ``credits="separate"``: the
        positive open amounts, disputed included, i.e. the whole amount to collect), ``total``
        (always the signed net balance).
    as_of, basis, by, buckets, disputed, credits
        The parameters of the computation (``buckets`` with 0 prepended when absent).
    bucket_columns, disputed_column, credits_column, total_column, total_row
        Codes of the columns and of the total row of ``table`` (``disputed_column`` is None with
        ``disputed="exclude"``, ``credits_column`` is None with ``credits="age"``).
    """

    table: pd.DataFrame
    detail: pd.DataFrame | None
    stats: pd.DataFrame
    as_of: pd.Timestamp
    basis: str
    by: tuple[str, ...] | None
    buckets: tuple[int, ...]
    disputed: str
    bucket_columns: tuple[str, ...]
    disputed_column: str | None
    total_column: str
    total_row: object
    names: pd.Series | None = None
    credits: str = "age"
    credits_column: str | None = None

    # ------------------------------------------------------------------ views
    @property
    def totals(self) -> pd.Series:
        """The total row of ``table`` (euros per column code)."""
        return self.table.iloc[-1]

    @property
    def groups(self) -> pd.DataFrame:
        """``table`` without its total row."""
        return self.table.iloc[:-1]

    @property
    def past_due_columns(self) -> tuple[str, ...]:
        """Bucket columns holding past-due amounts (all buckets but ``not_due``)."""
        return self.bucket_columns[1:] if self.basis == "due_date" else self.bucket_columns

    def words(self, lang: str = "fr") -> dict[str, str]:
        """Code → words in ``lang`` of every column of ``table`` and of :meth:`top_overdue`
        (``not_due`` → "non échu", ``dpd_1_30`` → "1-30 j", ``total`` → "total"...)."""
        lang = check_lang(lang)
        words = bucket_labels(self.buckets, self.basis, lang)
        out = dict(zip(bucket_codes(self.buckets, self.basis), words, strict=True))
        out.update({"disputed": _lbl("disputed_separate", lang),
                    "of_which_disputed": _lbl("disputed_include", lang),
                    "credits": _lbl("credits", lang), "total": _lbl("total", lang)})
        out.update({k: _lbl(k, lang) for k in ("name", "past_due", "share_past_due",
                                               "max_days_past_due", "amount", "share")})
        return out

    def summary(self) -> pd.DataFrame:
        """Totals per column with their share of the open balance, in codes.

        Returns
        -------
        DataFrame indexed by the column codes (``not_due``, ``dpd_1_30``, …, ``disputed``,
        ``credits``, ``total``; index name ``bucket``), columns ``amount`` (euros) and
        ``share`` (fraction of the total; NaN when the total is 0). :meth:`to_frame` gives the
        same table in words.
        """
        tot = self.totals
        grand = float(tot[self.total_column])
        share = tot / grand if grand != 0 else tot * np.nan
        return pd.DataFrame({"amount": tot.astype("float64").to_numpy(),
                             "share": share.astype("float64").to_numpy()},
                            index=pd.Index(list(tot.index), name="bucket"))

    def to_frame(self, lang: str = "fr") -> pd.DataFrame:
        """:meth:`summary` in words: bucket labels, ``montant``/``amount``, ``part``/``share``."""
        lang = check_lang(lang)
        out = self.summary()
        words = self.words(lang)
        out.index = pd.Index([words.get(c, c) for c in out.index])
        out.columns = [_lbl("amount", lang), _lbl("share", lang)]
        return out

    def code_table(self) -> pd.DataFrame:
        """A copy of ``table`` (already in codes)."""
        return self.table.copy()

    def _group_words(self, index: pd.Index, lang: str, with_total: bool) -> pd.Index:
        """``index`` (group values of ``table``) with ``not_set`` (and the total row, when
        ``with_total``) in words and the level names in words."""
        total, missing = _lbl("total_row", lang), _lbl("missing_group", lang)
        names = [column_label("customers", c, lang) for c in (self.by or ())]
        if isinstance(index, pd.MultiIndex):
            tuples = [tuple(missing if x == MISSING_GROUP else x for x in t) for t in index]
            tuples[-1:] = [(total,) + ("",) * (index.nlevels - 1)] if with_total else tuples[-1:]
            return pd.MultiIndex.from_tuples(tuples, names=names)
        values = [missing if isinstance(v, str) and v == MISSING_GROUP else v for v in index]
        values[-1:] = [total] if with_total else values[-1:]
        dtype = "str" if pd.api.types.is_string_dtype(index.dtype) else object
        return pd.Index(values, name=names[0] if names else None, dtype=dtype)

    def in_words(self, lang: str = "fr") -> pd.DataFrame:
        """``table`` in words: column labels ("non échu", "1-30 j", …, "litiges", "total"),
        total row "Total", missing groups "non renseigné", index named in words
        ("identifiant client"...); ``lang="en"`` for English."""
        lang = check_lang(lang)
        words = self.words(lang)
        out = self.table.rename(columns=words)
        out.index = self._group_words(self.table.index, lang, with_total=True)
        out.columns.name = None
        return out

    def detail_in_words(self, lang: str = "fr") -> pd.DataFrame | None:
        """:attr:`detail` with ``bucket`` in words and ``doc_type_label`` (the document type in
        words) after ``doc_type``; None without detail."""
        if self.detail is None:
            return None
        lang = check_lang(lang)
        det = self.detail.copy()
        words = self.words(lang)
        det["bucket"] = det["bucket"].map(words).astype("str")
        if "doc_type" in det.columns:
            det["doc_type_label"] = det["doc_type"].map(
                {k: v[lang] for k, v in DOC_TYPE_LABELS.items()})
        return det

    def top_overdue(self, n: int = 10, lang: str | None = None) -> pd.DataFrame:
        """The ``n`` groups with the largest past-due amount (``days_past_due >= 1``).

        Parameters
        ----------
        n : int, default 10
        lang : {"fr", "en"} or None, default None
            None: column codes; ``"fr"``/``"en"``: the same table with its columns in words.

        Returns
        -------
        DataFrame (at most ``n`` rows, only groups with a positive past-due amount), sorted by
        past-due amount descending: [``name`` when ``customers`` had one,] ``past_due``,
        ``share_past_due`` (of the group's total; with ``credits="separate"`` of its positive
        open amounts ``stats["gross"]``, so that it stays within 0..1; NaN when it is 0),
        ``max_days_past_due``, the past-due buckets (``basis="due_date"``), the disputed amount,
        the unapplied credits (``credits="separate"``) and ``total``. With
        ``credits="separate"`` the past-due amount counts positive items only (the amount to
        collect).
        """
        if not isinstance(n, int | np.integer) or isinstance(n, bool) or n < 1:
            raise InputError("n", "a whole number >= 1", n, "e.g. top_overdue(10)")
        st = self.stats
        st = st[st["past_due"] > 0].sort_values(["past_due", "max_days_past_due"],
                                                ascending=[False, False], kind="stable")
        st = st.head(int(n))
        out = pd.DataFrame(index=st.index)
        if self.names is not None:
            out["name"] = self.names.reindex(st.index).to_numpy()
        out["past_due"] = st["past_due"]
        total = st["gross"] if self.credits_column is not None else st["total"]
        out["share_past_due"] = (st["past_due"] / total.where(total != 0)).astype("float64")
        out["max_days_past_due"] = st["max_days_past_due"]
        if self.basis == "due_date":
            for c in self.past_due_columns:
                out[c] = self.table.loc[st.index, c]
        if self.disputed_column is not None:
            out[self.disputed_column] = self.table.loc[st.index, self.disputed_column]
        if self.credits_column is not None:
            out[self.credits_column] = self.table.loc[st.index, self.credits_column]
        out[self.total_column] = self.table.loc[st.index, self.total_column]
        if lang is None:
            return out
        lang = check_lang(lang)
        out = out.rename(columns=self.words(lang))
        out.index = self._group_words(out.index, lang, with_total=False)
        return out

    # ------------------------------------------------------------------ display
    def to_html(self, lang: str = "fr", max_rows: int = 30) -> str:
        """The table in words as escaped HTML under its title ("Balance âgée au 31/03/2025
        (par échéance)"), euros formatted, at most ``max_rows`` groups."""
        lang = check_lang(lang)
        t = self.in_words(lang)
        key = "title_due_date" if self.basis == "due_date" else "title_issue_date"
        title = _lbl(key, lang).format(date=self.as_of.strftime(
            "%d/%m/%Y" if lang == "fr" else "%Y-%m-%d"))
        shown = t if len(t) <= max_rows + 1 else pd.concat([t.iloc[:max_rows], t.iloc[-1:]])
        fmt = {c: (lambda v, lang=lang: format_eur(v, lang, 2)) for c in t.columns}
        body = shown.to_html(formatters=fmt, escape=True, border=0, justify="right")
        note = ""
        if len(shown) < len(t):
            note = "<p><small>" + html.escape(_lbl("rows_shown", lang).format(
                shown=len(shown), total=len(t))) + "</small></p>"
        return f"<div><h4>{html.escape(title)}</h4>{body}{note}</div>"

    def _repr_html_(self) -> str:
        return self.to_html("fr")

    def __repr__(self) -> str:
        return (f"AgedBalance(as_of={self.as_of.date()}, basis={self.basis!r}, by={self.by!r}, "
                f"groups={len(self.table) - 1}, total={self.totals[self.total_column]:.2f})")

    #: Bar chart of the total per age bucket, disputes and unapplied credits
    #: (:func:`creditlab.plots.aging.plot_aged_buckets`); returns the Axes.
    plot_buckets = drawn_by("creditlab.plots.aging", "plot_aged_buckets")
    #: Stacked bars of the ``n`` most overdue groups by bucket
    #: (:func:`creditlab.plots.aging.plot_top_overdue`); returns the Axes.
    plot_top = drawn_by("creditlab.plots.aging", "plot_top_overdue")


def _group_keys(items: pd.DataFrame, by: tuple[str, ...],
                customers: pd.DataFrame | None) -> pd.DataFrame:
    """The grouping columns for every item, from ``items`` or joined from ``customers``."""
    from_items = [c for c in by if c in items.columns]
    from_customers = [c for c in by if c not in items.columns]
    keys = items[from_items].copy() if from_items else pd.DataFrame(index=items.index)
    if from_customers:
        if customers is None:
            raise InputError("by", "a column of items, or of customers when customers= is given",
                             list(from_customers),
                             f"pass customers=... holding {from_customers} (segment, sales_rep, "
                             f"rating...) or choose among {list(items.columns)}")
        _check_frame(customers, "customers", ("customer_id",),
                     "pass the canonical customers table")
        missing = [c for c in from_customers if c not in customers.columns]
        if missing:
            raise InputError("by", "columns of items or of customers", missing,
                             f"choose among {sorted(set(items.columns) | set(customers.columns))}")
        cid = customers["customer_id"].astype("str")
        if cid.duplicated().any():
            raise InputError("customers.customer_id", "one row per customer",
                             f"duplicates {cid[cid.duplicated()].unique()[:5].tolist()}",
                             "remove the duplicated customers")
        table = customers[from_customers].set_axis(pd.Index(cid, name="customer_id"))
        item_cid = items["customer_id"].astype("str")
        unknown = ~item_cid.isin(table.index)
        if unknown.any():
            raise InputError("customers", "a row for every customer of the items",
                             f"{item_cid[unknown].nunique()} customer(s) missing, e.g. "
                             f"{item_cid[unknown].unique()[:5].tolist()}",
                             "add the missing customers to the customers table")
        joined = table.reindex(item_cid.to_numpy())
        for c in from_customers:
            keys[c] = joined[c].to_numpy()
    return keys[list(by)]


def _factorize(keys: pd.DataFrame) -> tuple[np.ndarray, pd.Index]:
    """Group code of every row and the sorted group index (missing text keys get the code
    ``not_set``)."""
    fill = MISSING_GROUP
    cols = {}
    for c in keys.columns:
        s = keys[c]
        if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
            s = s.astype("str").fillna(fill)
        cols[c] = s
    keys = pd.DataFrame(cols, index=keys.index)
    if keys.shape[1] == 1:
        codes, uniques = pd.factorize(keys.iloc[:, 0], sort=True, use_na_sentinel=False)
        return codes, pd.Index(uniques, name=keys.columns[0])
    grouped = keys.groupby(list(keys.columns), sort=True, dropna=False)
    codes = grouped.ngroup().to_numpy()
    index = grouped.size().index
    return codes, index


def aged_balance(items: OpenItems | pd.DataFrame, as_of=None, buckets: Sequence[int] = (0, 30, 60, 90),
                 basis: Basis = "due_date", by: str | Sequence[str] | None = "customer_id",
                 customers: pd.DataFrame | None = None, detail: bool = False,
                 disputed: DisputedMode = "separate",
                 credits: CreditsMode = "age") -> AgedBalance:
    """Aged balance (balance âgée) of open items at a date.

    Parameters
    ----------
    items : OpenItems or DataFrame
        Open items (``Ledger.at(as_of)``, ``creditlab.io.fec_open_items``, or the DataFrame of
        ``creditlab.receivables.open_items``): ``customer_id, due_date, open_amount`` (signed
        euros), ``issue_date`` (required for ``basis="issue_date"``), optionally ``disputed``
        (bool).
    as_of : date-like, optional
        Date of the analysis. With :class:`OpenItems` it is their own date (leave it out; a
        different date raises); with a DataFrame it is required and must be the date the
        items were computed at.
    buckets : sequence of int, default (0, 30, 60, 90)
        Bucket edges in days, strictly increasing, >= 0 (0 is prepended when absent).
        ``basis="due_date"``: ``days_past_due = as_of − due_date``; ``<= 0`` → not yet due
        ("non échu"), ``1..30`` → "1-30 j", ``31..60`` → "31-60 j", ``61..90`` → "61-90 j",
        ``> 90`` → "> 90 j". ``basis="issue_date"``: ``days_since_issue = as_of − issue_date``;
        ``0..30`` → "0-30 j", ``31..60``, ``61..90``, ``> 90`` (no not-yet-due column).
    basis : {"due_date", "issue_date"}
        Age by days past due (default) or by days since issue.
    by : str, sequence of str or None, default "customer_id"
        Grouping column(s): any column of ``items`` or of ``customers`` (joined on
        ``customer_id``): ``"segment"``, ``"sales_rep"``, ``"rating"``... ``None`` gives the total
        row only. Missing group values are grouped under the code ``not_set`` ("non renseigné"
        / "not set" in words).
    customers : DataFrame, optional
        Canonical ``customers`` table, needed to group by a customer attribute; also gives the
        customer names shown by :meth:`AgedBalance.top_overdue` when ``by="customer_id"``.
        Defaults to the customers carried by :class:`OpenItems`, when any.
    detail : bool, default False
        Also return the per-item detail (``AgedBalance.detail``).
    disputed : {"separate", "include", "exclude"}, default "separate"
        ``"separate"``: disputed items are taken out of the buckets and shown in their own column
        "litiges" (total = buckets + litiges); ``"include"``: they stay in their buckets and the
        column "dont litiges" shows how much of the total is disputed; ``"exclude"``: they are
        left out of the table altogether (total = undisputed open balance).
    credits : {"age", "separate"}, default "age"
        ``"age"``: credit notes and unallocated cash (negative open items) are aged in the buckets
        like invoices (a bucket can be negative, see Notes). ``"separate"``: every negative open
        item goes to its own column "avoirs et règlements non affectés" / "unapplied credits",
        placed after the buckets (and after the disputed column), whatever the ``basis``: the
        buckets then hold positive amounts only. A disputed credit note stays in the "litiges"
        column with ``disputed="separate"``; with ``"include"`` it goes to the credits column (and
        still counts in "dont litiges"); with ``"exclude"`` it is left out. ``stats["past_due"]``
        (and :meth:`AgedBalance.top_overdue`) then counts the positive past-due items only (the
        amount to collect), while the total stays the signed net balance.

    Returns
    -------
    AgedBalance
        In codes (columns ``not_due``, ``dpd_1_30``, …, ``disputed``, ``credits``, ``total``;
        index named after ``by``; total row ``"total"``); words via ``to_frame(lang)``,
        ``in_words(lang)``, ``top_overdue(n, lang=)`` and the plots' ``lang=``. ``lang`` is no
        longer a parameter (passing it raises ``TypeError``).
        ``.table`` in euros: buckets (+ disputed column with ``disputed="separate"``, + unapplied
        credits column with ``credits="separate"``) sum to the total of each row, exactly to the
        cent (sums are done in whole cents); the last row is the total.

    Raises
    ------
    InputError
        Missing columns, NaT dates, non-numeric amounts, bad ``buckets`` (empty, negative,
        unsorted, not whole numbers), unknown ``basis``/``disputed``/``credits``/``by``, customers
        missing from ``customers``, items issued after ``as_of`` (recompute the items at
        ``as_of``), an ``as_of`` different from the date of :class:`OpenItems`, a DataFrame
        without ``as_of``.

    Notes
    -----
    Credit notes and unallocated cash are negative open items aged like the others (by their due
    date, the payment date for cash), so a bucket can be negative; the totals are the signed net
    balance as in the ledger (encours net). Many French aged balances show them in a column of
    their own instead: ``credits="separate"`` (same totals, buckets >= 0). Definitions of
    "current" and "past due" follow the CRF (DOMAIN.md §6.3, pitfall 6) and
    ``creditlab.receivables.kpi``.
    """
    if isinstance(items, OpenItems) and customers is None:
        customers = items.customers
    items, asof = resolve_items(items, as_of)
    asof_day = _day_number(asof)
    edges = _check_buckets(buckets)
    if basis not in ("due_date", "issue_date"):
        raise InputError("basis", "'due_date' or 'issue_date'", basis,
                         "use basis='due_date' (days past due) or 'issue_date' (days since issue)")
    if disputed not in ("separate", "include", "exclude"):
        raise InputError("disputed", "'separate', 'include' or 'exclude'", disputed,
                         "use disputed='separate' (own column), 'include' or 'exclude'")
    if not isinstance(credits, str) or credits not in ("age", "separate"):
        raise InputError("credits", "'age' or 'separate'", credits,
                         "use credits='age' (credit notes and unallocated cash aged in the "
                         "buckets) or 'separate' (own column)")
    if by is None:
        by_t: tuple[str, ...] | None = None
    elif isinstance(by, str):
        by_t = (by,)
    elif isinstance(by, Sequence) and by and all(isinstance(b, str) for b in by):
        by_t = tuple(by)
    else:
        raise InputError("by", "a column name, a list of column names or None", by,
                         "e.g. by='customer_id' or by='segment' (with customers=...)")

    required = ["customer_id", "due_date", "open_amount"]
    if basis == "issue_date":
        required.append("issue_date")
    _check_frame(items, "items", required,
                 "pass the output of creditlab.receivables.open_items or creditlab.io."
                 "fec_open_items")
    ids = items["invoice_id"] if "invoice_id" in items.columns else None
    due = _days(items, "items", "due_date", ids=ids)
    amount = items["open_amount"]
    if not pd.api.types.is_numeric_dtype(amount.dtype) or pd.api.types.is_bool_dtype(amount.dtype):
        raise InputError("items.open_amount", "a numeric column (euros)", str(amount.dtype),
                         "pass the output of creditlab.receivables.open_items")
    cents = np.rint(amount.to_numpy(dtype="float64", na_value=np.nan) * 100.0)
    bad = ~np.isfinite(cents)
    if bad.any():
        raise InputError("items.open_amount", "an amount on every row",
                         f"{int(bad.sum())} missing amount(s)", "drop or fill those rows")
    issue = None
    if "issue_date" in items.columns:
        issue = _days(items, "items", "issue_date", ids=ids, allow_nat=basis == "due_date")
        late = issue > asof_day
        if late.any():
            raise InputError("items.issue_date", f"documents issued on or before as_of "
                             f"({asof.date()})",
                             f"{int(late.sum())} issued later, e.g. "
                             f"{items.loc[late, 'issue_date'].head(3).dt.date.tolist()}",
                             "compute the open items at the same as_of: "
                             "open_items(invoices, payments, as_of)")
    is_disp = _flags(items, "items", "disputed") if "disputed" in items.columns \
        else np.zeros(len(items), dtype=bool)

    if disputed == "exclude":
        keep = ~is_disp
        items, due, cents, is_disp = items[keep], due[keep], cents[keep], is_disp[keep]
        issue = issue[keep] if issue is not None else None

    dpd = asof_day - due
    days = dpd if basis == "due_date" else asof_day - issue
    codes = _bucket_codes(days, edges, basis)
    labels = bucket_codes(edges, basis)
    nb = len(labels)

    if by_t is None:
        gcode = np.zeros(len(items), dtype="int64")
        gindex = pd.Index([], dtype="str")
        ngroups = 1 if len(items) else 0
    else:
        keys = _group_keys(items, by_t, customers)
        gcode, gindex = _factorize(keys)
        ngroups = len(gindex)
        gindex = gindex.set_names(list(by_t))

    # one cell per (group, column): buckets 0..nb-1, disputed column nb, unapplied credits nb + 1
    ncol = nb + 2
    col = codes.copy()
    if credits == "separate":
        col[cents < 0] = nb + 1
    if disputed == "separate":
        col[is_disp] = nb              # a disputed credit note stays with the disputes
    flat = np.bincount(gcode * ncol + col, weights=cents,
                       minlength=max(ngroups, 1) * ncol).reshape(-1, ncol)
    if disputed == "include":
        flat[:, nb] = np.bincount(gcode, weights=np.where(is_disp, cents, 0.0),
                                  minlength=max(ngroups, 1))
    grid = flat[:ngroups] if by_t is not None else flat[:0]
    disputed_label = {"separate": "disputed", "include": "of_which_disputed",
                      "exclude": None}[disputed]
    credits_label = "credits" if credits == "separate" else None
    total_label = "total"
    columns = list(labels) + ([disputed_label] if disputed_label else []) \
        + ([credits_label] if credits_label else [])
    shown = list(range(nb)) + ([nb] if disputed_label else []) + ([nb + 1] if credits_label else [])
    parts = list(range(nb)) + ([nb] if disputed == "separate" else []) + [nb + 1]  # sum to total
    total_cents = grid[:, parts].sum(axis=1)
    body = np.column_stack([grid[:, shown], total_cents]) if len(grid) \
        else np.zeros((0, len(columns) + 1))
    col_sums = flat.sum(axis=0)
    grand = np.append(col_sums[shown], col_sums[parts].sum())
    total_row: object = "total"
    if isinstance(gindex, pd.MultiIndex):
        total_row = (total_row,) + ("",) * (gindex.nlevels - 1)
        index = gindex.append(pd.MultiIndex.from_tuples([total_row], names=gindex.names))
    else:
        dtype = "str" if pd.api.types.is_string_dtype(gindex.dtype) else object
        index = pd.Index([*gindex, total_row], name=gindex.name, dtype=dtype)
    table = pd.DataFrame(np.vstack([body, grand[None, :]]) / 100.0, index=index,
                         columns=[*columns, total_label])
    table.columns.name = None

    # per-group statistics (always by due date, whatever the basis)
    g = max(ngroups, 1)
    past = dpd >= 1
    # credits="separate": past due = positive items only (the amount to collect)
    to_collect = past & (cents > 0) if credits == "separate" else past
    stats = pd.DataFrame({
        "n_items": np.bincount(gcode, minlength=g).astype("int64"),
        "past_due": np.bincount(gcode, weights=np.where(to_collect, cents, 0.0), minlength=g)
        / 100.0,
        "disputed": np.bincount(gcode, weights=np.where(is_disp, cents, 0.0), minlength=g)
        / 100.0,
    })
    if credits == "separate":
        stats["gross"] = np.bincount(gcode, weights=np.where(cents > 0, cents, 0.0),
                                     minlength=g) / 100.0
    stats["total"] = np.bincount(gcode, weights=cents, minlength=g) / 100.0
    late_pos = past & (cents > 0)
    mx = pd.Series(np.where(late_pos, dpd, -1)).groupby(gcode).max() if len(gcode) else \
        pd.Series(dtype="int64")
    stats["max_days_past_due"] = mx.reindex(range(g)).where(lambda s: s >= 0).astype("float64") \
        .to_numpy()
    if by_t is not None:
        stats = stats.iloc[:ngroups].set_axis(gindex)
    else:
        stats = stats.iloc[:0]

    names = None
    if (by_t == ("customer_id",) and isinstance(customers, pd.DataFrame)
            and {"customer_id", "name"} <= set(customers.columns)):
        uniq = customers.drop_duplicates("customer_id")
        names = pd.Series(uniq["name"].to_numpy(),
                          index=pd.Index(uniq["customer_id"].astype("str")))

    det = None
    if detail:
        det = items.copy()
        if by_t is not None:
            for c in by_t:
                if c not in det.columns:
                    det[c] = _group_keys(items, (c,), customers)[c].to_numpy()
        det["days_past_due"] = dpd
        if issue is not None:
            det["days_since_issue"] = asof_day - issue
        det["bucket"] = pd.array(np.asarray(labels, dtype=object)[codes], dtype="str")
        det = det.reset_index(drop=True)

    return AgedBalance(
        table=table, detail=det, stats=stats, as_of=asof, basis=basis, by=by_t, buckets=edges,
        disputed=disputed, bucket_columns=tuple(labels),
        disputed_column=disputed_label, total_column=total_label, total_row=total_row,
        names=names, credits=credits, credits_column=credits_label,
    )
