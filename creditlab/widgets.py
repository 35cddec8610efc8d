"""Interactive what-if panels (ipywidgets) for the course notebooks.

Each panel only wraps plain functions that work without widgets:

============================  ==========================================================
panel                         plain functions it calls
============================  ==========================================================
:func:`credit_cost_panel`     ``creditlab.finance.credit_cost`` +
                              ``creditlab.plots.finance.plot_credit_cost``
:func:`discount_panel`        ``creditlab.finance.discount_analysis`` +
                              ``creditlab.plots.finance.plot_discount_curve``
:func:`financing_panel`       ``creditlab.finance.factoring_cost`` +
                              ``creditlab.finance.compare_financing`` +
                              ``creditlab.plots.finance.plot_financing_comparison``
:func:`payment_plan_panel`    ``creditlab.finance.payment_plan`` + ``evaluate_proposal``
:func:`order_hold_panel`      ``creditlab.limits.check_order``
:func:`credit_limit_panel`    ``creditlab.limits.propose_limits``
:func:`dunning_scenario_panel` ``creditlab.dunning.whatif.profile_scenario`` +
                              ``scenario_effect`` + ``creditlab.finance.cash_released``
============================  ==========================================================

A panel is a :class:`WhatIfPanel`: ``panel.widget`` is the ipywidgets box shown in the notebook,
``panel.result`` the last result, ``panel.figure`` the last figure and ``panel.update()``
recomputes from the current control values (also called by every control change). A bad
combination of values (e.g. discount window longer than the net term) shows the error message
in the panel instead of raising.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import matplotlib.pyplot as plt

from creditlab.display import show
from creditlab.dunning.whatif import profile_scenario, scenario_effect
from creditlab.exceptions import CreditlabError, InputError
from creditlab.finance import (
    CreditInsurancePolicy,
    cash_released,
    compare_financing,
    credit_cost,
    discount_analysis,
    discount_curve,
    evaluate_proposal,
    factoring_cost,
    payment_plan,
)
from creditlab.finance.factoring import FACTORING_LABELS
from creditlab.i18n import check_lang, format_eur, format_number, format_pct
from creditlab.limits import check_order, hold_words, propose_limits
from creditlab.plots.finance import (
    plot_credit_cost,
    plot_discount_curve,
    plot_financing_comparison,
)

__all__ = ["WhatIfPanel", "credit_cost_panel", "discount_panel", "financing_panel",
           "payment_plan_panel", "order_hold_panel", "credit_limit_panel",
           "dunning_scenario_panel"]

_L = {
    "sales": {"fr": "CA TTC (€)", "en": "Sales incl. VAT (€)"},
    "dso": {"fr": "DSO actuel (j)", "en": "Current DSO (d)"},
    "target": {"fr": "DSO cible (j)", "en": "Target DSO (d)"},
    "rate": {"fr": "Taux de financement", "en": "Financing rate"},
    "margin": {"fr": "Marge nette", "en": "Net margin"},
    "discount": {"fr": "Escompte", "en": "Discount"},
    "discount_days": {"fr": "Délai escompte (j)", "en": "Discount days"},
    "net_days": {"fr": "Délai net (j)", "en": "Net days"},
    "factored": {"fr": "CA TTC affacturé (€)", "en": "Factored sales incl. VAT (€)"},
    "commission": {"fr": "Commission d'affacturage", "en": "Factoring commission"},
    "fmargin": {"fr": "Marge de financement", "en": "Financing margin"},
    "index": {"fr": "Index (Euribor 3M)", "en": "Index (3M Euribor)"},
    "usage": {"fr": "Utilisation du financement", "en": "Financing usage"},
    "overdraft": {"fr": "Taux du découvert", "en": "Overdraft rate"},
    "premium": {"fr": "Taux de prime assurance", "en": "Insurance premium rate"},
    "inhouse": {"fr": "Recouvrement interne (€/an)", "en": "In-house collection (€/yr)"},
    "error": {"fr": "Paramètres invalides", "en": "Invalid parameters"},
}


def _ipython_active() -> bool:
    try:
        from IPython import get_ipython  # optional: course
    except ImportError:  # pragma: no cover - IPython ships with the notebook stack
        return False
    return get_ipython() is not None


class WhatIfPanel:
    """Controls + an output area wired to a compute function and a render function.

    Parameters
    ----------
    controls : mapping name → ipywidgets value widget
        Their ``value`` are passed to ``compute`` as keyword arguments.
    compute : callable
        ``compute(**values)`` → result (a plain creditlab function call).
    render : callable
        ``render(result)`` → ``(figure or None, html text)``.
    title : str
    """

    def __init__(self, controls: Mapping[str, Any], compute: Callable[..., Any],
                 render: Callable[[Any], tuple[Any, str]], title: str = ""):
        import ipywidgets as w  # optional: course

        self.controls = dict(controls)
        self._compute = compute
        self._render = render
        self.title = title
        self.output = w.Output()
        self.result: Any = None
        self.figure: Any = None
        self.html: str = ""
        self.error: str | None = None
        header = [w.HTML(f"<b>{title}</b>")] if title else []
        self.widget = w.VBox([*header, w.HBox([w.VBox(list(self.controls.values()))]),
                              self.output])
        for ctl in self.controls.values():
            ctl.observe(self._on_change, names="value")
        self.update()

    def values(self) -> dict[str, Any]:
        return {k: ctl.value for k, ctl in self.controls.items()}

    def _on_change(self, _change) -> None:
        self.update()

    def update(self) -> Any:
        """Recompute and redraw from the current control values; returns the result (None
        when the values are invalid — the message is in ``error``)."""
        self.figure = None
        try:
            self.result = self._compute(**self.values())
            self.error = None
            self.figure, self.html = self._render(self.result)
            if self.figure is not None:
                # detach from pyplot: the panel shows it in its own output area, and the inline
                # backend must not draw it a second time under the cell
                plt.close(self.figure)
        except CreditlabError as exc:
            self.result, self.figure, self.html = None, None, ""
            self.error = str(exc)
        if _ipython_active():  # pragma: no cover - needs a running kernel
            from IPython.display import HTML, display  # optional: course

            self.output.clear_output(wait=True)
            with self.output:
                if self.error:
                    display(HTML(f"<p style='color:#b3261e'>{self.error}</p>"))
                else:
                    display(HTML(self.html))
                    if self.figure is not None:
                        display(self.figure)
        return self.result

    def _ipython_display_(self):  # pragma: no cover - notebook display
        from IPython.display import display  # optional: course

        display(self.widget)


def _slider(kind: str, value, lo, hi, step, desc: str, fmt: str | None = None):
    import ipywidgets as w  # optional: course

    cls = w.IntSlider if kind == "int" else w.FloatSlider
    kw = dict(value=value, min=lo, max=hi, step=step, description=desc,
              continuous_update=False, style={"description_width": "initial"},
              layout=w.Layout(width="420px"))
    if fmt and kind != "int":
        kw["readout_format"] = fmt
    return cls(**kw)


def _fig_of(ax):
    return ax.figure


def _comparison_html(table, lang: str) -> str:
    """The :func:`~creditlab.finance.compare_financing` table with the panel's language labels
    (options as rows, yes/no for what each option covers, cost share in %)."""
    yes, no = ("oui", "non") if lang == "fr" else ("yes", "no")
    shown = table.set_index("label")
    money = ["financing_cost", "commission_and_fees", "insurance_premium",
             "inhouse_collection_cost", "total"]
    shown = shown.assign(**{col: shown[col].map(lambda v: format_eur(v, lang, 0))
                            for col in money},
                         share_of_sales=shown["share_of_sales"].map(
                             lambda v: format_pct(v, lang, 2)))
    for col in ("financing", "guarantee", "collection"):
        shown[col] = shown[col].map(lambda b: yes if b else no)
    shown.columns = [FACTORING_LABELS[col][lang] for col in shown.columns]
    shown.index.name = FACTORING_LABELS["option"][lang]
    return shown.to_html()


def credit_cost_panel(sales_ttc: float = 1_200_000.0, dso_days: int = 60,
                      target_dso_days: int = 45, rate: float = 0.05, net_margin: float = 0.05,
                      *, lang: str = "fr") -> WhatIfPanel:
    """DSO, rate and margin → cash released and result impact.

    Plain-function equivalent::

        r = creditlab.finance.credit_cost(sales_ttc, dso_days, rate,
                                          target_dso_days=target_dso_days, net_margin=net_margin)
        creditlab.plots.finance.plot_credit_cost(r); r.explain(); r.to_frame()
    """
    check_lang(lang)
    import ipywidgets as w  # optional: course

    controls = {
        "sales_ttc": w.FloatText(value=sales_ttc, description=_L["sales"][lang],
                                 style={"description_width": "initial"}),
        "dso_days": _slider("int", dso_days, 0, 180, 1, _L["dso"][lang]),
        "target_dso_days": _slider("int", target_dso_days, 0, 180, 1, _L["target"][lang]),
        "rate": _slider("float", rate, 0.0, 0.15, 0.0025, _L["rate"][lang], ".2%"),
        "net_margin": _slider("float", net_margin, 0.005, 0.30, 0.005, _L["margin"][lang],
                              ".1%"),
    }

    def compute(**v):
        return credit_cost(v["sales_ttc"], v["dso_days"], v["rate"],
                           target_dso_days=v["target_dso_days"], net_margin=v["net_margin"])

    def render(r):
        ax = plot_credit_cost(r, lang=lang)
        table = r.to_frame(lang)
        money = [k for k in table.index if not str(k).startswith("DSO")]
        return _fig_of(ax), f"<p>{r.explain(lang)}</p>" + show(
            table, lang, rows=True, eur=money, decimals=0).to_html()

    title = "Coût du crédit client" if lang == "fr" else "Cost of customer credit"
    return WhatIfPanel(controls, compute, render, title)


def discount_panel(discount: float = 0.02, discount_days: int = 10, net_days: int = 30,
                   financing_rate: float = 0.05, *, lang: str = "fr") -> WhatIfPanel:
    """Escompte → equivalent annual rate against the cost of money.

    Plain-function equivalent: ``creditlab.finance.discount_analysis(...)`` and
    ``creditlab.finance.discount_curve(...).plot()``.
    """
    check_lang(lang)
    controls = {
        "discount": _slider("float", discount, 0.0, 0.05, 0.0025, _L["discount"][lang], ".2%"),
        "discount_days": _slider("int", discount_days, 0, 60, 1, _L["discount_days"][lang]),
        "net_days": _slider("int", net_days, 1, 120, 1, _L["net_days"][lang]),
        "financing_rate": _slider("float", financing_rate, 0.0, 0.15, 0.0025, _L["rate"][lang],
                                  ".2%"),
    }

    def compute(**v):
        return discount_analysis(v["discount"], v["discount_days"], v["net_days"],
                                 financing_rate=v["financing_rate"])

    def render(r):
        ax = plot_discount_curve(discount_curve(r.discount_days, r.net_days,
                                                financing_rate=r.financing_rate,
                                                up_to=max(0.05, r.discount * 1.5)), lang=lang)
        ax.axvline(r.discount, color="#345", linewidth=0.8)
        return _fig_of(ax), f"<p>{r.explain(lang)}</p>"

    title = "Escompte pour paiement anticipé" if lang == "fr" else "Early-payment discount"
    return WhatIfPanel(controls, compute, render, title)


def financing_panel(factored_sales_ttc: float = 500_000.0, dso_days: int = 60,
                    commission_rate: float = 0.009, margin: float = 0.03,
                    index_rate: float = 0.002, usage: float = 1.0,
                    overdraft_rate: float = 0.06, premium_rate: float = 0.003,
                    inhouse_collection_cost: float = 0.0, *, lang: str = "fr") -> WhatIfPanel:
    """Factoring against overdraft + credit insurance (defaults: the factoexpert example of
    DOMAIN.md §9; premium on the factored sales HT at 20 % VAT).

    Plain-function equivalent::

        f = creditlab.finance.factoring_cost(...)
        t = creditlab.finance.compare_financing(f, overdraft_rate=...,
                insurance=CreditInsurancePolicy(premium_rate=...), insured_turnover=...)
        creditlab.plots.finance.plot_financing_comparison(t)
    """
    check_lang(lang)
    import ipywidgets as w  # optional: course

    controls = {
        "factored_sales_ttc": w.FloatText(value=factored_sales_ttc,
                                          description=_L["factored"][lang],
                                          style={"description_width": "initial"}),
        "dso_days": _slider("int", dso_days, 0, 180, 1, _L["dso"][lang]),
        "commission_rate": _slider("float", commission_rate, 0.0, 0.025, 0.0005,
                                   _L["commission"][lang], ".2%"),
        "margin": _slider("float", margin, 0.0, 0.05, 0.0025, _L["fmargin"][lang], ".2%"),
        "index_rate": _slider("float", index_rate, 0.0, 0.06, 0.0005, _L["index"][lang], ".2%"),
        "usage": _slider("float", usage, 0.0, 1.0, 0.05, _L["usage"][lang], ".0%"),
        "overdraft_rate": _slider("float", overdraft_rate, 0.0, 0.15, 0.0025,
                                  _L["overdraft"][lang], ".2%"),
        "premium_rate": _slider("float", premium_rate, 0.0, 0.015, 0.0005,
                                _L["premium"][lang], ".2%"),
        "inhouse_collection_cost": w.FloatText(value=inhouse_collection_cost,
                                               description=_L["inhouse"][lang],
                                               style={"description_width": "initial"}),
    }

    def compute(**v):
        f = factoring_cost(v["factored_sales_ttc"], v["dso_days"],
                           commission_rate=v["commission_rate"], margin=v["margin"],
                           index_rate=v["index_rate"], usage=v["usage"])
        t = compare_financing(
            f, overdraft_rate=v["overdraft_rate"],
            insurance=CreditInsurancePolicy(premium_rate=v["premium_rate"]),
            insured_turnover=v["factored_sales_ttc"] / 1.2,
            inhouse_collection_cost=v["inhouse_collection_cost"])
        # the options in the panel's language (the computation returns their codes)
        t.insert(0, "label", [FACTORING_LABELS[k][lang] for k in t.index])
        return t

    def render(t):
        ax = plot_financing_comparison(t, lang=lang)
        return _fig_of(ax), _comparison_html(t, lang)

    title = ("Affacturage, découvert et assurance-crédit" if lang == "fr"
             else "Factoring, overdraft and credit insurance")
    return WhatIfPanel(controls, compute, render, title)


def payment_plan_panel(amount: float = 12_000.0, n_instalments: int = 6,
                       first_date="2026-01-15", *, reference_date="2025-12-31",
                       financing_rate: float = 0.05, annual_rate: float = 0.0,
                       lang: str = "fr") -> WhatIfPanel:
    """Échéancier: number of instalments, interest rate and frequency → the policy's verdict,
    the net cost and the counter-proposals.

    Plain-function equivalent::

        plan = creditlab.finance.payment_plan(amount, n, first_date, annual_rate=...)
        creditlab.finance.evaluate_proposal(plan, reference_date=..., financing_rate=...)
    """
    check_lang(lang)
    import ipywidgets as w  # optional: course


    controls = {
        "n_instalments": _slider("int", n_instalments, 1, 24, 1,
                                 "Nombre d'échéances" if lang == "fr" else "Instalments"),
        "annual_rate": _slider("float", annual_rate, 0.0, 0.12, 0.0025,
                               "Taux de l'échéancier" if lang == "fr" else "Plan rate", ".2%"),
        "frequency": w.Dropdown(options=[("mensuelle", "monthly"), ("hebdomadaire", "weekly"),
                                         ("trimestrielle", "quarterly")], value="monthly",
                                description="Périodicité" if lang == "fr" else "Frequency"),
    }

    def compute(**v):
        plan = payment_plan(amount, v["n_instalments"], first_date, frequency=v["frequency"],
                            annual_rate=v["annual_rate"])
        return evaluate_proposal(plan, reference_date=reference_date,
                                 financing_rate=financing_rate)

    def render(ev):
        return None, "<p>" + ev.explain(lang).replace("\n", "<br>") + "</p>"

    title = "Négocier un échéancier" if lang == "fr" else "Negotiate a payment plan"
    return WhatIfPanel(controls, compute, render, title)


def order_hold_panel(customer_id: str, orders, items, as_of, *, amount: float = 10_000.0,
                     max_amount: float = 200_000.0, guarantees=None, lang: str = "fr",
                     **hold_kwargs) -> WhatIfPanel:
    """Blocage de commande: a new order's amount (and a guarantee or not) → release or hold,
    the reason, the overrun and the release condition.

    Plain-function equivalent: ``creditlab.limits.check_order(customer_id, amount, orders,
    items, as_of, guarantees=..., **hold_kwargs)``.
    """
    check_lang(lang)
    import ipywidgets as w  # optional: course


    controls = {
        "amount": w.BoundedFloatText(value=amount, min=0.01, max=max(max_amount, amount),
                                     step=1_000.0, description="Commande TTC (€)"
                                     if lang == "fr" else "Order (€)",
                                     style={"description_width": "initial"}),
        "with_guarantee": w.Checkbox(value=False, description="avec la garantie" if lang == "fr"
                                     else "with the guarantee"),
    }

    def compute(**v):
        g = guarantees if v["with_guarantee"] else None
        return hold_words(check_order(customer_id, float(v["amount"]), orders, items, as_of,
                                      guarantees=g, **hold_kwargs), lang)

    def render(r):
        rows = {"décision": r["decision_label"], "motif": r.get("reason_text", ""),
                "dépassement": format_eur(r["overrun"], lang, 0),
                "condition de déblocage": r.get("release_condition", "")}
        return None, "<table>" + "".join(f"<tr><th>{k}</th><td>{v}</td></tr>"
                                         for k, v in rows.items()) + "</table>"

    title = "Libérer ou bloquer une commande" if lang == "fr" else "Release or hold an order"
    return WhatIfPanel(controls, compute, render, title)


def credit_limit_panel(inputs, customer_id: str, policy=None, *, as_of,
                       lang: str = "fr") -> WhatIfPanel:
    """Limite de crédit: the customer's rating class and expected monthly sales (as a multiple
    of today's) → the proposed limit, the binding constraint and the remedy. The whole
    portfolio is recomputed, only the customer's row changes (portfolio caps stay right).

    Plain-function equivalent: ``creditlab.limits.propose_limits(inputs, policy, as_of=...)``
    with the customer's row changed.
    """
    check_lang(lang)

    if customer_id not in inputs.index:
        raise InputError("customer_id", "a customer of the inputs table", customer_id,
                         "use an id of limit_inputs(...).index")
    rating = inputs.loc[customer_id, "rating_class"] if "rating_class" in inputs else 2
    controls = {
        "rating_class": _slider("int", int(rating) if rating == rating else 2, 1, 4, 1,
                                "Classe de risque" if lang == "fr" else "Risk class"),
        "sales_factor": _slider("float", 1.0, 0.0, 4.0, 0.1,
                                "CA mensuel attendu (× l'actuel)" if lang == "fr"
                                else "Monthly sales (× today)", ".1f"),
    }

    def compute(**v):
        changed = inputs.copy()
        changed.loc[customer_id, "rating_class"] = float(v["rating_class"])
        changed.loc[customer_id, "monthly_sales_ttc"] = (
            inputs.loc[customer_id, "monthly_sales_ttc"] * v["sales_factor"])
        return propose_limits(changed, policy, as_of=as_of).in_words(lang).loc[customer_id]

    def render(t):
        remedy = t["remedy"] if isinstance(t.get("remedy"), str) and t["remedy"] else "—"
        rows = {"besoin": format_eur(t["need"], lang, 0),
                "limite proposée": format_eur(t["proposed_limit"], lang, 0),
                "contrainte limitante": t["binding_label"], "remède": remedy}
        return None, "<table>" + "".join(f"<tr><th>{k}</th><td>{v}</td></tr>"
                                         for k, v in rows.items()) + "</table>"

    title = "Fixer la limite de crédit" if lang == "fr" else "Set the credit limit"
    return WhatIfPanel(controls, compute, render, title)


_STAKES = {"fr": [("enjeu faible", "low"), ("enjeu élevé", "high")],
           "en": [("low stakes", "low"), ("high stakes", "high")]}


def dunning_scenario_panel(policy, *, sales_ttc: float, current_days_late: float,
                           segments=("PME", "grands comptes", "TPE", "distributeurs"),
                           rate: float = 0.05, as_of="2025-12-31",
                           lang: str = "fr") -> WhatIfPanel:
    """Relance par profil: a customer profile (segment, risk class, stakes, new customer) →
    the scenario the policy gives it (steps, days, channels) and, under the assumptions the
    trainee sets (share paid on time, share each reminder gets paid, days to pay after a
    reminder), the expected days late and the cash released against the profile's
    ``current_days_late`` for ``sales_ttc`` of annual sales.

    Plain-function equivalent::

        s = creditlab.dunning.whatif.profile_scenario(policy, segment=..., risk_class=...,
                                                      stakes=..., new_customer=...)
        e = creditlab.dunning.whatif.scenario_effect(s, on_time_share=..., response_share=...)
        creditlab.finance.cash_released(sales_ttc, current_days_late, e.expected_days_late)
    """
    check_lang(lang)
    import ipywidgets as w  # optional: course

    fr = lang == "fr"
    controls = {
        "segment": w.Dropdown(options=list(segments), value=segments[0],
                              description="Segment"),
        "risk_class": _slider("int", 2, 1, 4, 1, "Classe de risque" if fr else "Risk class"),
        "stakes": w.Dropdown(options=_STAKES[lang], value="low",
                             description="Enjeu" if fr else "Stakes"),
        "new_customer": w.Checkbox(value=False, description="nouveau client" if fr
                                   else "new customer"),
        "on_time_share": _slider("float", 0.4, 0.0, 1.0, 0.05, "Payé à l'échéance sans relance"
                                 if fr else "Paid on time without reminder", ".0%"),
        "response_share": _slider("float", 0.5, 0.05, 1.0, 0.05, "Payé après chaque relance"
                                  if fr else "Paid after each reminder", ".0%"),
        "response_days": _slider("int", 5, 0, 30, 1, "Délai de paiement après relance (j)"
                                 if fr else "Days to pay after a reminder"),
    }

    def compute(**v):
        scenario = profile_scenario(policy, segment=v["segment"], risk_class=v["risk_class"],
                                    stakes=v["stakes"], new_customer=v["new_customer"],
                                    as_of=as_of)
        effect = scenario_effect(scenario, on_time_share=v["on_time_share"],
                                 response_share=v["response_share"],
                                 response_days=v["response_days"])
        cash = cash_released(sales_ttc, current_days_late, effect.expected_days_late)
        return {"effect": effect, "cash_released": float(cash),
                "financing_saved": float(cash) * rate}

    def render(r):
        e = r["effect"]
        gain = r["cash_released"]
        verb = ("libère" if gain >= 0 else "immobilise") if fr else (
            "releases" if gain >= 0 else "ties up")
        text = (f"<p>{e.explain()}</p><p>Par rapport au retard actuel du profil "
                f"({format_number(current_days_late, lang, 1)} j), ce scénario {verb} "
                f"<b>{format_eur(abs(gain), lang, 0)}</b> de trésorerie, soit "
                f"{format_eur(abs(r['financing_saved']), lang, 0)} de frais financiers par an "
                f"à {format_pct(rate, lang, None)}.</p>") if fr else (
            f"<p>Expected days late: {e.expected_days_late:.1f}. Against the profile's current "
            f"{current_days_late:.1f} days, this scenario {verb} "
            f"<b>{format_eur(abs(gain), lang, 0)}</b> of cash.</p>")
        return None, text + show(e.table, lang, pct=["share_paid"], decimals={"days_late": 0},
                                 index=False).to_html()

    title = "Scénario de relance par profil" if fr else "Dunning scenario by profile"
    return WhatIfPanel(controls, compute, render, title)
