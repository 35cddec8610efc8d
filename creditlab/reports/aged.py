"""The aged-balance report's tables, checks and files, computed once by :func:`build_aged_report`.

What the ``aged_balance`` report notebook used to compute in its cells: the aged balance by the
requested grouping and by customer (the customers most in arrears), the disputed items with their
cause, the column words of the detail, the headline and the CSV / Excel files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from creditlab._safety import escape_frame, escape_text
from creditlab.i18n import check_lang, column_label, format_eur, format_pct
from creditlab.labels import text
from creditlab.receivables import AGING_LABELS, aged_balance
from creditlab.reports.common import dispute_causes, say, write_csv
from creditlab.reports.workbook import Sheet, write_workbook

__all__ = ["AgedBalanceReport", "build_aged_report", "DISPUTED_COLUMNS"]

#: Columns of the disputed-items table, in display order (``cause`` when known).
DISPUTED_COLUMNS = ("customer_id", "invoice_id", "due_date", "days_past_due", "open_amount",
                    "cause")


def _require(condition, message: str) -> None:
    if not bool(condition):
        raise AssertionError(message)


@dataclass(frozen=True, eq=False)
class AgedBalanceReport:
    """The aged balance report at ``inputs.as_of`` (see :func:`build_aged_report`).

    Attributes
    ----------
    inputs : ReportInputs
    aged : AgedBalance
        By the requested grouping (``by``).
    by_customer : AgedBalance
        By customer (the same object as ``aged`` when grouped by customer).
    detail : DataFrame
        One row per open item with its bucket (``aged_balance(detail=True).detail``).
    disputed : DataFrame
        The disputed open items, largest first, columns of :data:`DISPUTED_COLUMNS`.
    lang : str
    """

    inputs: object
    aged: object
    by_customer: object
    detail: pd.DataFrame
    disputed: pd.DataFrame
    lang: str

    # --- figures ----------------------------------------------------------------------------
    @property
    def total(self) -> float:
        """Net receivables (euros TTC)."""
        return float(self.aged.totals[self.aged.total_column])

    @property
    def past_due(self) -> float:
        """Past due, disputes excluded (euros TTC)."""
        return float(self.aged.totals[list(self.aged.past_due_columns)].sum())

    @property
    def disputed_amount(self) -> float:
        items = self.inputs.items.items
        return float(items.loc[items["disputed"], "open_amount"].sum())

    def top(self, n: int = 10) -> pd.DataFrame:
        """The ``n`` customers most in arrears (:meth:`AgedBalance.top_overdue`), columns in
        the run's language."""
        return self.by_customer.top_overdue(n, lang=self.lang)

    # --- words ------------------------------------------------------------------------------
    def data_line(self) -> str:
        """Source, number of documents and payment lines, reporting date."""
        inv, pay = self.inputs.get("invoices"), self.inputs.get("payments")
        return text("report_aged_data_line", self.lang,
                    source=self.inputs.source_label(self.lang), n_docs=len(inv),
                    n_pay=len(pay), as_of=self.inputs.as_of)

    def headline(self):
        """Net receivables, customers, open items, past due and its share, disputed."""
        lang, total = self.lang, self.total
        share = self.past_due / total if total else float("nan")
        items = self.inputs.items.items
        return say("report_aged_headline", lang, as_of=self.inputs.as_of,
                   total=format_eur(total, lang), n_cust=items["customer_id"].nunique(),
                   n_items=len(items), past_due=format_eur(self.past_due, lang),
                   share=format_pct(share, lang), disputed=format_eur(self.disputed_amount, lang))

    def balance_table(self):
        """The aged balance in the run's language (escaped HTML, euros formatted)."""
        from IPython.display import HTML  # optional: reports

        return HTML(self.aged.to_html(self.lang))

    def summary_table(self):
        """The aged balance's totals by bucket, euros and shares formatted."""
        s = escape_frame(self.aged.to_frame(self.lang))
        return s.style.format({s.columns[0]: lambda v: format_eur(v, self.lang),
                               s.columns[1]: lambda v: format_pct(v, self.lang)})

    def top_table(self, n: int = 10):
        """The customers most in arrears, formatted."""
        lang, top = self.lang, escape_frame(self.top(n))
        words = {k: escape_text(AGING_LABELS[k][lang])
                 for k in ("name", "share_past_due", "max_days_past_due")}
        money = [c for c in top.columns if c not in words.values()]
        return top.style.format({**{c: (lambda v: format_eur(v, lang)) for c in money},
                                 words["share_past_due"]: lambda v: format_pct(v, lang),
                                 words["max_days_past_due"]: "{:.0f}"})

    def column_words(self) -> dict[str, str]:
        """Words of the detail's and disputed table's columns in the run's language."""
        lang = self.lang
        names = {c: column_label("invoices", c, lang) for c in self.detail.columns}
        names.update({c: column_label("customers", c, lang) for c in (self.aged.by or ())
                      if c != "customer_id"})
        names.update({c: AGING_LABELS[c][lang] for c in ("days_past_due", "days_since_issue",
                                                         "bucket")})
        names.update({c: text(f"report_{c}", lang) for c in ("paid_amount", "open_amount",
                                                             "doc_type_label")})
        names["cause"] = column_label("disputes", "cause", lang)
        return names

    def disputed_line(self) -> str:
        return text("report_aged_disputed_line", self.lang, n=len(self.disputed),
                    amount=format_eur(self.disputed_amount, self.lang))

    def disputed_table(self, n: int = 20):
        """The first ``n`` disputed items, columns in words, amounts and dates formatted."""
        names = {c: escape_text(w) for c, w in self.column_words().items()}
        return escape_frame(self.disputed.head(n).rename(columns=names)).style.format(
            {names["open_amount"]: lambda v: format_eur(v, self.lang),
             names["due_date"]: "{:%d/%m/%Y}"}).hide(axis="index")

    # --- files ------------------------------------------------------------------------------
    def write(self, out) -> list[Path]:
        """``aged_balance.csv`` (the aged balance, CSV convention of the language) and
        ``aged_balance.xlsx`` (sheets: balance, most in arrears, disputed, detail, and the
        columns explained; euros, percentages and dates formatted, customer names, frozen
        header and filters, :func:`write_workbook`); the Excel total is read back and checked."""
        out = Path(out)
        csv_path = write_csv(self.aged.in_words(lang=self.lang), out / "aged_balance.csv",
                             self.lang)
        xlsx_path = out / "aged_balance.xlsx"
        sheets = text("report_aged_sheets", self.lang).split(",")
        names, lang = self.column_words(), self.lang
        name_col = column_label("customers", "name", lang)
        cust = self.inputs.get("customers")
        names_of = (cust.drop_duplicates("customer_id").set_index("customer_id")["name"]
                    if cust is not None and "name" in cust.columns else None)

        def with_names(frame: pd.DataFrame) -> pd.DataFrame:
            if names_of is None or "customer_id" not in frame.columns:
                return frame
            out = frame.copy()
            out.insert(out.columns.get_loc("customer_id") + 1, "name",
                       out["customer_id"].map(names_of))
            return out

        def words(frame: pd.DataFrame) -> pd.DataFrame:
            out = frame.copy()
            for c in out.columns:
                if out[c].dtype == bool:
                    out[c] = out[c].map({True: text("report_yes", lang),
                                          False: text("report_no", lang)})
            if "doc_type_label" in out.columns:  # the words, not the code
                out = out.drop(columns="doc_type", errors="ignore")
            return out.rename(columns={**names, "name": name_col})

        balance = self.aged.in_words(lang)
        if names_of is not None and self.aged.by == ("customer_id",):
            balance = balance.copy()
            balance.insert(0, name_col, balance.index.map(names_of))
        amounts = tuple(c for c in balance.columns if c != name_col)
        top = self.top(10)
        money = {names[c] for c in ("amount_ttc", "paid_amount", "open_amount") if c in names}
        disputed, detail = words(with_names(self.disputed)), words(with_names(self.detail))
        codes = {w: c for c, w in names.items()} | {name_col: "name"}
        days = {names[c] for c in ("days_past_due", "days_since_issue") if c in names}

        share, max_days = AGING_LABELS["share_past_due"][lang], \
            AGING_LABELS["max_days_past_due"][lang]
        ageing = {AGING_LABELS[c][lang]: c for c in (
            "not_due", "disputed_separate", "disputed_include", "credits", "total", "past_due",
            "share_past_due", "max_days_past_due", "name")} | {name_col: "name"} \
            | dict(zip(balance.index.names, self.aged.by or (), strict=False))
        write_workbook(xlsx_path, [
            Sheet(sheets[0], balance, money=amounts, index=True, codes=ageing),
            Sheet(sheets[1], top, index=True, pct=(share,), ints=(max_days,), codes=ageing,
                  money=tuple(c for c in top.columns
                              if c not in (share, max_days, name_col)
                              and pd.api.types.is_float_dtype(top[c]))),
            Sheet(sheets[2], disputed, totals=True, codes=codes,
                  money=tuple(c for c in disputed.columns if c in money),
                  ints=tuple(c for c in disputed.columns if c in days)),
            Sheet(sheets[3], detail, totals=True, codes=codes,
                  money=tuple(c for c in detail.columns if c in money),
                  ints=tuple(c for c in detail.columns if c in days)),
        ], lang)
        back = pd.read_excel(xlsx_path, sheet_name=sheets[0],
                             index_col=list(range(len(self.aged.by or (0,)))))
        _require(abs(back[self.aged.words(lang)["total"]].iloc[-1] - self.total) < 0.005,
                 "the Excel file's total differs from the aged balance")
        return [csv_path, xlsx_path]

    # --- checks -----------------------------------------------------------------------------
    def check(self) -> None:
        """The report's key checks: buckets (and the disputed and credits columns) sum to the
        total to the cent, on every row and over the groups; the total is the open items'
        balance; the disputed items add up to the disputed amount; the customers most in
        arrears are sorted; on the demo something is open.

        Raises
        ------
        AssertionError
            Naming the check that failed.
        """
        aged, items = self.aged, self.inputs.items.items
        parts = list(aged.bucket_columns) \
            + ([aged.disputed_column] if aged.disputed == "separate" else []) \
            + ([aged.credits_column] if aged.credits_column else [])
        _require(abs(self.total - items["open_amount"].sum()) < 0.005,
                 "aged total != open items' balance")
        _require((aged.table[parts].sum(axis=1) - aged.table[aged.total_column]).abs().max()
                 < 0.005, "buckets do not sum to the total")
        _require(abs(aged.groups[aged.total_column].sum() - self.total) < 0.005,
                 "groups do not sum to the total")
        if self.inputs.is_demo:  # demo figures; a user's ledger may have nothing open
            _require(len(items) > 0 and self.total > 0, "nothing open on the demo")
        _require(abs(self.disputed["open_amount"].sum() - self.disputed_amount) < 0.005,
                 "disputed items do not add up to the disputed amount")
        top = self.by_customer.top_overdue(10)
        _require(top["past_due"].is_monotonic_decreasing, "customers in arrears not sorted")


def build_aged_report(inputs, buckets=(0, 30, 60, 90), *, by="customer_id", credits="age",
                      lang: str = "fr", check: bool = True) -> AgedBalanceReport:
    """Compute the aged-balance report from the report's inputs.

    Parameters
    ----------
    inputs : ReportInputs
        :func:`creditlab.reports.load_inputs` output.
    buckets : sequence of int
        Bucket edges in days past due.
    by : str
        Grouping of the detailed balance (``customer_id``, ``segment``, ``sales_rep``, ...).
    credits : {"age", "separate"}
        Credit notes and unallocated cash aged with the invoices, or in their own column.
    lang : {"fr", "en"}
    check : bool, default True
        Run :meth:`AgedBalanceReport.check`.
    """
    check_lang(lang)
    items, as_of, cust = inputs.items.items, inputs.as_of, inputs.get("customers")
    edges = tuple(buckets)
    aged = aged_balance(items, as_of, buckets=edges, by=by, customers=cust, credits=credits)
    by_customer = aged if aged.by == ("customer_id",) else aged_balance(
        items, as_of, buckets=edges, customers=cust, credits=credits)
    detail = aged_balance(items, as_of, buckets=edges, customers=cust,
                          detail=True).detail_in_words(lang)
    disputed = detail[detail["disputed"]].copy()
    causes = dispute_causes(disputed["invoice_id"], as_of, disputes=inputs.get("disputes"),
                            invoices=inputs.get("invoices"))
    if causes is not None:
        disputed["cause"] = causes
    cols = [c for c in DISPUTED_COLUMNS if c in disputed.columns]
    disputed = disputed.sort_values("open_amount", ascending=False)[cols]
    report = AgedBalanceReport(inputs=inputs, aged=aged, by_customer=by_customer, detail=detail,
                               disputed=disputed, lang=lang)
    if check:
        report.check()
    return report
