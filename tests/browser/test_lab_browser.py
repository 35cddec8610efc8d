"""JupyterLab in headless Chromium: a course notebook runs, its what-if slider moves and the
panel's text follows; the trainer view renders its summary.

Marked ``browser``; skipped with the reason when Chromium, its driver or Selenium is absent
(see ``conftest.py``). One JupyterLab and one browser per module (~40 s in all on 2 cores).
"""

from __future__ import annotations

import re
import time

import pytest

from creditlab.finance import credit_cost

pytestmark = pytest.mark.browser

# the notebook panel whose file is arguments[0], activated (so that notebook commands act on
# it); then "<kernel status>:<code cells not yet run>"
_KERNEL_IDLE_AND_ALL_RUN = """
const app = window.jupyterapp;
if (!app) { return "no app"; }
const panel = Array.from(app.shell.widgets("main")).find(
    w => w.context && w.context.path === arguments[0]);
if (!panel || !panel.sessionContext) { return "no notebook"; }
if (app.shell.currentWidget !== panel) { app.shell.activateById(panel.id); }
const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
if (!kernel) { return "no kernel"; }
const cells = panel.content.widgets.filter(c => c.model.type === "code");
const pending = cells.filter(c => c.model.executionCount === null).length;
return kernel.status + ":" + pending;
"""


def _wait(driver, predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = predicate(driver)
        except pytest.fail.Exception:
            raise
        except Exception as exc:  # the page is still building: try again
            last = exc
        else:
            if last:
                return last
        time.sleep(0.25)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what} (last: {last!r})")


def _open_and_run_all(driver, lab, notebook: str, timeout: float = 180.0) -> None:
    """Open ``notebook`` in JupyterLab, wait for its kernel, run every cell, wait for the end."""
    base, token, _ = lab
    driver.get(f"{base}/lab/tree/{notebook}?token={token}&reset")
    _wait(driver, lambda d: d.execute_script(_KERNEL_IDLE_AND_ALL_RUN, notebook)
          .startswith("idle"), 90, f"the kernel of {notebook}")
    # outputs cleared first: a notebook saved with outputs would look already run
    driver.execute_script("const c = window.jupyterapp.commands;"
                          "c.execute('notebook:clear-all-cell-outputs')"
                          ".then(() => c.execute('notebook:run-all-cells'));")

    def all_run(d):
        errors = _errors(d)   # a failing cell stops "run all": say which, without waiting
        if errors:
            pytest.fail(f"{notebook} shows an error:\n" + "\n".join(errors))
        return d.execute_script(_KERNEL_IDLE_AND_ALL_RUN, notebook) == "idle:0"

    _wait(driver, all_run, timeout, f"every cell of {notebook} to run")


def _errors(driver) -> list[str]:
    return [e.text[:300] for e in driver.find_elements(
        "css selector", ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr'],"
                        " .jp-RenderedText[data-mime-type='application/vnd.jupyter.error']")
        if "Traceback" in e.text or "Error" in e.text]


def _spaces(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


def _panel_text(driver) -> str:
    found = [p.text for p in driver.find_elements("css selector", ".widget-output p")
             if p.text.startswith("Avec un DSO de")]
    return found[0] if found else ""


def test_credit_cost_slider_updates_the_panel_in_the_browser(browser, lab):
    from selenium.webdriver.common.action_chains import ActionChains

    _open_and_run_all(browser, lab, "notebooks/01_enjeux_credit_management.ipynb")
    assert _errors(browser) == []
    before = _wait(browser, _panel_text, 60, "the credit-cost panel's sentence")
    sliders = browser.find_elements("css selector", ".widget-slider")
    dso = sliders[0]   # the panel's first slider: current DSO (0-180 days, step 1)
    assert "DSO actuel" in dso.text
    old = int(dso.find_element("css selector", ".widget-readout").text)
    assert before.startswith(f"Avec un DSO de {old} jours")

    handle = dso.find_element("css selector", ".noUi-handle")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", handle)
    ActionChains(browser).drag_and_drop_by_offset(handle, 80, 0).perform()   # to the right
    new = _wait(browser, lambda d: (v := int(dso.find_element(
        "css selector", ".widget-readout").text)) != old and v, 20, "the slider to move")
    assert new > old
    after = _wait(browser, lambda d: (t := _panel_text(d)).startswith(
        f"Avec un DSO de {new} jours") and t, 60, "the panel to recompute")

    # the expected sentence, computed from the controls the page shows (sales typed in the
    # text box, target DSO and rate read from their sliders; margin is the panel's default)
    sales = float(browser.find_element(
        "xpath", "//div[contains(@class,'widget-text')][.//label[contains(.,'CA TTC')]]//input")
        .get_attribute("value"))
    target = int(sliders[1].find_element("css selector", ".widget-readout").text)
    rate_text = sliders[2].find_element("css selector", ".widget-readout").text
    assert rate_text == "5.00%"   # TAUX = 0.05 in the notebook
    expected = credit_cost(sales, new, 0.05, target_dso_days=target, net_margin=0.05).explain()
    # (the browser's text turns the narrow no-break spaces of French numbers into spaces)
    assert _spaces(after) == _spaces(expected)
    # and by hand: average receivables = sales incl. VAT × DSO / 365, in whole euros
    encours = re.search(r"encours clients moyen est de ([\d ]+) €", _spaces(after)).group(1)
    assert int(encours.replace(" ", "")) == round(sales * new / 365)
    assert after != before


def test_trainer_view_renders_its_summary_in_the_browser(browser, lab):
    _open_and_run_all(browser, lab, "notebooks/trainer_view.ipynb")
    assert _errors(browser) == []
    tables = browser.find_elements("css selector", ".jp-RenderedHTMLCommon table")
    assert tables, "the trainer view shows no table"
    page = browser.find_element("css selector", ".jp-NotebookPanel").text
    # the example group's six trainees appear in the per-trainee summary
    for name in ("alice", "bruno", "chloe", "david", "emma", "farid"):
        assert name in page
    assert browser.find_elements("css selector", ".jp-RenderedImage img"), "no chart rendered"
