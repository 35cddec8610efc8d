"""Benchmark: kpi_history over 24 months vs the same computation in DuckDB SQL.

Ledgers of about 1 M and 10 M invoices are generated with ``creditlab.synth.make_portfolio``
(the number of customers is scaled to reach the target). Both engines compute, at each of the
24 month ends, the receivables (total, current, past due, > 90 days), the monthly sales, the
DSO (simple over 3 months and countback over up to 24 months), BPDSO, ADD, CEI (monthly and
CRF 12-month form), overdue ratio, share > 90 days, amount-weighted days past due and the
days-to-pay of the cash allocated in the month; the results are checked equal.

DuckDB runs the obvious SQL (a range join of the ledger with the month ends and conditional
sums, window functions for the rolling parts), on all cores; creditlab runs single-threaded.
The SQL twin does not net credit notes against the invoice they correct, so the compared run
drops ``related_invoice_id``; the column "full s" times creditlab's complete computation
(credit-note netting as ``open_items`` does it, and the disputed amounts).

Usage::

    .venv/bin/python benchmarks/bench_kpi.py              # 1 M and 10 M invoices
    .venv/bin/python benchmarks/bench_kpi.py --sizes 1e6  # 1 M only
"""

from __future__ import annotations

import argparse
import gc
import os
import threading
import time

import numpy as np
import pandas as pd

from creditlab.receivables.kpi import kpi_history

COLUMNS = ["receivables_ttc", "current_ttc", "past_due_ttc", "over_90_ttc", "sales_ttc",
           "dso_simple", "dso_countback", "bpdso", "add", "cei", "cei_12m", "overdue_ratio",
           "share_over_90", "weighted_days_past_due", "paid_ttc", "avg_days_to_pay",
           "avg_days_late"]
MONTHS = 24
COUNTBACK = 24
OFFSET = max(12, COUNTBACK - 1)


class PeakRSS:
    """Peak resident memory above the starting level, sampled every 5 ms (covers numpy, arrow
    and DuckDB's native allocations alike)."""

    def __init__(self) -> None:
        self.page = os.sysconf("SC_PAGE_SIZE")

    def _rss(self) -> int:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * self.page

    def __enter__(self) -> PeakRSS:
        gc.collect()
        self.base = self._rss()
        self.peak = self.base
        self._stop = threading.Event()

        def watch():
            while not self._stop.is_set():
                self.peak = max(self.peak, self._rss())
                time.sleep(0.005)

        self._thread = threading.Thread(target=watch, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._rss())

    @property
    def mb(self) -> float:
        return (self.peak - self.base) / 2**20


def load_ledger(n_invoices: int, seed: int = 7):
    """Invoices, payments and disputes of a synthetic portfolio with about ``n_invoices``
    invoices, and its as-of date."""
    from creditlab import synth

    probe = synth.make_portfolio(seed=seed, n_customers=200)
    per_customer = len(probe["invoices"]) / 200
    n_customers = max(int(round(n_invoices / per_customer)), 10)
    tables = synth.make_portfolio(seed=seed, n_customers=n_customers)
    return (tables["invoices"], tables["payments"], tables.get("disputes"),
            pd.Timestamp(synth.DEMO_AS_OF))


SQL = """
WITH
inv AS (
    SELECT invoice_id, doc_type = 'invoice' AS is_inv, CAST(issue_date AS DATE) AS i,
           CAST(due_date AS DATE) AS d, amount_ttc AS a
    FROM invoices),
pl AS (
    SELECT p.amount AS p, CAST(p.payment_date AS DATE) AS q, inv.i, inv.d, inv.is_inv,
           inv.invoice_id IS NOT NULL AS alloc
    FROM payments p LEFT JOIN inv ON p.invoice_id = inv.invoice_id),
doc_bal AS (
    SELECT m.month_end,
           SUM(a) AS total,
           SUM(CASE WHEN d >= m.month_end THEN a END) AS cur,
           SUM(CASE WHEN m.month_end - d > 90 THEN a END) AS o90,
           SUM(CASE WHEN is_inv AND m.month_end > d THEN a END) AS pdi,
           SUM(CASE WHEN is_inv AND m.month_end > d THEN a * (m.month_end - d) END) AS pdi_days
    FROM months m JOIN inv ON inv.i <= m.month_end
    WHERE m.k >= $first_balance
    GROUP BY m.month_end),
pay_bal AS (
    SELECT m.month_end,
           SUM(p) AS total,
           SUM(CASE WHEN alloc AND i <= m.month_end THEN (CASE WHEN d >= m.month_end THEN p END)
                    ELSE (CASE WHEN q >= m.month_end THEN p END) END) AS cur,
           SUM(CASE WHEN alloc AND i <= m.month_end THEN
                         (CASE WHEN m.month_end - d > 90 THEN p END)
                    ELSE (CASE WHEN m.month_end - q > 90 THEN p END) END) AS o90,
           SUM(CASE WHEN alloc AND i <= m.month_end AND is_inv AND m.month_end > d
                    THEN p END) AS pdi,
           SUM(CASE WHEN alloc AND i <= m.month_end AND is_inv AND m.month_end > d
                    THEN p * (m.month_end - d) END) AS pdi_days
    FROM months m JOIN pl ON pl.q <= m.month_end
    WHERE m.k >= $first_balance
    GROUP BY m.month_end),
sales AS (
    SELECT last_day(i) AS month_end, SUM(a) AS sales FROM inv GROUP BY 1),
paid AS (
    SELECT last_day(q) AS month_end, SUM(p) AS paid, SUM(p * (q - i)) AS paid_days,
           SUM(p * (q - d)) AS paid_late
    FROM pl WHERE alloc AND p > 0 AND is_inv GROUP BY 1),
g AS (
    SELECT m.month_end, m.k, m.days, COALESCE(s.sales, 0) AS sales,
           COALESCE(db.total, 0) - COALESCE(pb.total, 0) AS r,
           COALESCE(db.cur, 0) - COALESCE(pb.cur, 0) AS c,
           COALESCE(db.o90, 0) - COALESCE(pb.o90, 0) AS o90,
           COALESCE(db.pdi, 0) - COALESCE(pb.pdi, 0) AS pdi,
           COALESCE(db.pdi_days, 0) - COALESCE(pb.pdi_days, 0) AS pdi_days,
           pd.paid, pd.paid_days, pd.paid_late
    FROM months m
    LEFT JOIN sales s USING (month_end) LEFT JOIN doc_bal db USING (month_end)
    LEFT JOIN pay_bal pb USING (month_end) LEFT JOIN paid pd USING (month_end)),
w AS (
    SELECT *,
           SUM(sales) OVER (ORDER BY k ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS s3,
           SUM(days) OVER (ORDER BY k ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS d3,
           SUM(sales) OVER (ORDER BY k ROWS BETWEEN 11 PRECEDING AND CURRENT ROW) AS s12,
           LAG(r, 1) OVER (ORDER BY k) AS b1,
           LAG(r, 12) OVER (ORDER BY k) AS b12,
           LAG(month_end, 12) OVER (ORDER BY k) AS me12
    FROM g),
cb_pairs AS (
    SELECT o.k AS ko, o.r, h.k, h.sales AS s, h.days,
           SUM(h.sales) OVER win AS cum_s, SUM(h.days) OVER win AS cum_d
    FROM g o JOIN g h ON h.k <= o.k AND h.k > o.k - $countback
    WHERE o.k >= $offset
    WINDOW win AS (PARTITION BY o.k ORDER BY h.k DESC ROWS UNBOUNDED PRECEDING)),
cb AS (
    SELECT ko AS k,
           arg_max(cum_d - days + (r - cum_s + s) / s * days, k)
               FILTER (WHERE s > 0 AND r <= cum_s) AS dso_cb
    FROM cb_pairs GROUP BY ko)
SELECT w.month_end,
       r AS receivables_ttc, c AS current_ttc, r - c AS past_due_ttc, o90 AS over_90_ttc,
       sales AS sales_ttc,
       CASE WHEN r >= 0 AND s3 > 0.005 THEN r * d3 / s3 END AS dso_simple,
       CASE WHEN abs(r) < 0.005 THEN 0.0 WHEN r < 0 THEN NULL ELSE cb.dso_cb END
           AS dso_countback,
       CASE WHEN r >= 0 AND s3 > 0.005 THEN c * d3 / s3 END AS bpdso,
       CASE WHEN r >= 0 AND s3 > 0.005 THEN (r - c) * d3 / s3 END AS "add",
       CASE WHEN b1 + sales - c > 0.005 THEN (b1 + sales - r) / (b1 + sales - c) END AS cei,
       CASE WHEN me12 + 1 >= $first_month AND b12 + s12 / 12 - c > 0.005
            THEN (b12 + s12 / 12 - r) / (b12 + s12 / 12 - c) END AS cei_12m,
       CASE WHEN abs(r) >= 0.005 THEN (r - c) / r END AS overdue_ratio,
       CASE WHEN abs(r) >= 0.005 THEN o90 / r END AS share_over_90,
       CASE WHEN pdi > 0.005 THEN pdi_days / pdi END AS weighted_days_past_due,
       COALESCE(paid, 0) AS paid_ttc,
       CASE WHEN abs(paid) > 0.005 THEN paid_days / paid END AS avg_days_to_pay,
       CASE WHEN abs(paid) > 0.005 THEN paid_late / paid END AS avg_days_late
FROM w LEFT JOIN cb USING (k)
WHERE w.k >= $offset
ORDER BY w.month_end
"""


def run_duckdb(invoices: pd.DataFrame, payments: pd.DataFrame, start: pd.Timestamp,
               end: pd.Timestamp) -> pd.DataFrame:
    import duckdb

    first = start.to_period("M") - OFFSET
    periods = pd.period_range(first, end.to_period("M"), freq="M")
    months = pd.DataFrame({"month_end": periods.to_timestamp(how="end").normalize().date,
                           "k": np.arange(len(periods)),
                           "days": periods.days_in_month.astype("float64")})
    first_month = invoices["issue_date"].min().to_period("M").to_timestamp().date()
    con = duckdb.connect()
    inv = invoices[["invoice_id", "doc_type", "issue_date", "due_date", "amount_ttc"]]
    pay = payments[["amount", "payment_date", "invoice_id"]]
    con.register("invoices", inv)
    con.register("payments", pay)
    con.register("months", months)
    sql = (SQL.replace("$first_balance", str(OFFSET - 12)).replace("$offset", str(OFFSET))
           .replace("$countback", str(COUNTBACK))
           .replace("$first_month", f"DATE '{first_month}'"))
    out = con.execute(sql).df()
    con.close()
    out["month_end"] = pd.to_datetime(out["month_end"])
    return out.set_index("month_end").astype("float64")


def run_creditlab(invoices, payments, start, end) -> pd.DataFrame:
    return kpi_history(invoices, payments, start, end, countback_months=COUNTBACK)[COLUMNS]


def run_creditlab_full(invoices, payments, disputes, start, end) -> pd.DataFrame:
    return kpi_history(invoices, payments, start, end, disputes=disputes,
                       countback_months=COUNTBACK)


def compare(a: pd.DataFrame, b: pd.DataFrame) -> float:
    """Largest relative difference over every KPI (NaN where both are NaN counts as equal)."""
    b = b.reindex(a.index)
    worst = 0.0
    for col in COLUMNS:
        x, y = a[col].to_numpy(), b[col].to_numpy()
        if not np.array_equal(np.isnan(x), np.isnan(y)):
            raise AssertionError(f"{col}: NaN pattern differs\n{a[col]}\n{b[col]}")
        ok = ~np.isnan(x)
        if ok.any():
            rel = np.abs(x[ok] - y[ok]) / np.maximum(np.abs(y[ok]), 1.0)
            worst = max(worst, float(rel.max()))
    if worst > 1e-7:
        raise AssertionError(f"results differ: max relative difference {worst:.2e}")
    return worst


def timed(fn, *args, repeat: int = 1):
    """(result, best wall s, best CPU s of the process — every thread —, highest peak MB)."""
    best, best_cpu, out, peak = np.inf, np.inf, None, 0.0
    for _ in range(repeat):
        with PeakRSS() as mem:
            t0, c0 = time.perf_counter(), time.process_time()
            out = fn(*args)
            dt, cpu = time.perf_counter() - t0, time.process_time() - c0
        best, best_cpu = min(best, dt), min(best_cpu, cpu)
        peak = max(peak, mem.mb)
    return out, best, best_cpu, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e6, 1e7])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--cache", default=None,
                        help="use bench_aging's generated ledgers, kept as pickles in this folder "
                             "(no disputes: the full run is then without them)")
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        t0 = time.perf_counter()
        if args.cache:
            import bench_aging

            invoices, payments, as_of = bench_aging.cached_ledger(int(size), 7, args.cache)
            disputes = None
        else:
            invoices, payments, disputes, as_of = load_ledger(int(size))
        gen_s = time.perf_counter() - t0
        plain = invoices.drop(columns=["related_invoice_id"], errors="ignore")
        start = (as_of.to_period("M") - (MONTHS - 1)).to_timestamp()
        input_mb = (invoices.memory_usage(deep=True).sum()
                    + payments.memory_usage(deep=True).sum()) / 2**20
        ours, t_ours, c_ours, m_ours = timed(run_creditlab, plain, payments, start, as_of,
                                             repeat=args.repeat)
        duck, t_duck, c_duck, m_duck = timed(run_duckdb, plain, payments, start, as_of,
                                             repeat=args.repeat)
        _, t_full, _, m_full = timed(run_creditlab_full, invoices, payments, disputes, start,
                                     as_of)
        diff = compare(ours, duck)
        rows.append({"invoices": len(invoices), "payments": len(payments),
                     "input MB": round(input_mb), "generate s": round(gen_s, 1),
                     "creditlab s": round(t_ours, 2), "creditlab peak MB": round(m_ours),
                     "duckdb s": round(t_duck, 2), "duckdb peak MB": round(m_duck),
                     "ratio": round(t_ours / t_duck, 2), "creditlab cpu s": round(c_ours, 2),
                     "duckdb cpu s": round(c_duck, 2), "cpu ratio": round(c_ours / c_duck, 2),
                     "load": round(os.getloadavg()[0], 1), "max rel diff": f"{diff:.1e}",
                     "full s": round(t_full, 2), "full peak MB": round(m_full)})
        print(pd.DataFrame(rows[-1:]).to_string(index=False), flush=True)
        del invoices, payments, disputes, plain, ours, duck
        gc.collect()
    print()
    print("kpi_history, 24 month ends, by=None; DuckDB", _duck_version(), "on", os.cpu_count(),
          "cores; creditlab single-threaded; ratio = creditlab / DuckDB (target <= 2)")
    print(pd.DataFrame(rows).to_string(index=False))


def _duck_version() -> str:
    import duckdb

    return duckdb.__version__


if __name__ == "__main__":
    main()
