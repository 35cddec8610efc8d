"""What-if panels of the course: payment plan, order hold, credit limit (issue 17 point 5)."""

from __future__ import annotations

import pandas as pd
import pytest

pytest.importorskip("ipywidgets")

from creditlab import finance as fi  # noqa: E402
from creditlab import widgets  # noqa: E402
from creditlab.io.datasets import load_demo  # noqa: E402
from creditlab.limits import CreditPolicy, check_order, propose_limits  # noqa: E402
from creditlab.receivables import open_items  # noqa: E402

AS_OF = pd.Timestamp("2025-12-31")


def test_payment_plan_panel_follows_evaluate_proposal():
    panel = widgets.payment_plan_panel(12_000.0, 6, "2026-01-15", reference_date=AS_OF,
                                       financing_rate=0.05)
    direct = fi.evaluate_proposal(fi.payment_plan(12_000.0, 6, "2026-01-15"),
                                  reference_date=AS_OF, financing_rate=0.05)
    assert panel.result.verdict == direct.verdict and "Verdict" in panel.html
    panel.controls["n_instalments"].value = 1
    assert panel.result.verdict == fi.evaluate_proposal(
        fi.payment_plan(12_000.0, 1, "2026-01-15"), reference_date=AS_OF,
        financing_rate=0.05).verdict


def test_credit_limit_panel_recomputes_the_customer_only():
    inputs = pd.DataFrame({"monthly_sales_ttc": [10_000.0, 50_000.0], "term_days": [60, 60],
                           "rating_class": [1.0, 1.0]}, index=pd.Index(["A", "B"],
                                                                       name="customer_id"))
    base = propose_limits(inputs, CreditPolicy.load(), as_of=AS_OF).table
    panel = widgets.credit_limit_panel(inputs, "A", CreditPolicy.load(), as_of=AS_OF)
    assert panel.result["proposed_limit"] == base.loc["A", "proposed_limit"]
    panel.controls["rating_class"].value = 4                  # class 4: coefficient 0 %
    assert panel.result["proposed_limit"] < base.loc["A", "proposed_limit"]
    panel.controls["rating_class"].value = 1
    panel.controls["sales_factor"].value = 2.0
    assert panel.result["need"] == pytest.approx(2 * base.loc["A", "need"])


def test_order_hold_panel_follows_check_order():
    demo = load_demo()
    items = open_items(demo["invoices"], demo["payments"], AS_OF, disputes=demo["disputes"])
    customer = items.groupby("customer_id")["amount_open"].sum().idxmax() \
        if "amount_open" in items else items["customer_id"].iloc[0]
    kw = {"customers": demo["customers"]}
    panel = widgets.order_hold_panel(customer, demo["orders"], items, AS_OF, amount=5_000.0,
                                     **kw)
    direct = check_order(customer, 5_000.0, demo["orders"], items, AS_OF, **kw)
    assert panel.result["decision"] == direct["decision"]
    panel.controls["amount"].value = 200_000.0             # the field maximum
    assert panel.result["decision"] != "release" and panel.result["overrun"] > 0


def test_every_panel_shows_french_tables():
    # issue 15 point 4: what a trainee reads in a panel has no code-style header, no
    # True/False and no dot-decimal number
    import re

    from creditlab.dunning.policy import load_policy

    demo = load_demo()
    items = open_items(demo["invoices"], demo["payments"], AS_OF, disputes=demo["disputes"])
    inputs = pd.DataFrame({"monthly_sales_ttc": [10_000.0], "term_days": [60],
                           "rating_class": [1.0]}, index=pd.Index(["A"], name="customer_id"))
    panels = [widgets.credit_cost_panel(), widgets.discount_panel(), widgets.financing_panel(),
              widgets.payment_plan_panel(), widgets.credit_limit_panel(inputs, "A",
                                                                        as_of=AS_OF),
              widgets.order_hold_panel(items["customer_id"].iloc[0], demo["orders"], items,
                                       AS_OF, customers=demo["customers"]),
              widgets.dunning_scenario_panel(load_policy(), sales_ttc=1e6,
                                             current_days_late=20.0)]
    for panel in panels:
        cells = [re.sub(r"<[^>]+>", "", c).strip()
                 for c in re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", panel.html, re.S)]
        bad = [c for c in cells if re.fullmatch(r"[a-z]+(_[a-z0-9]+)+|True|False|-?[\d,]*\d\.\d+", c)]
        assert bad == [], (panel.title, bad)
