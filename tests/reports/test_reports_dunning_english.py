"""English dunning runs name the policy's steps in English (the bundled policy's ``name_en``),
on the page's tables, in the dunning list (CSV) and in its workbook."""

from __future__ import annotations

import dataclasses

import openpyxl
import pandas as pd
import pytest

from creditlab.dunning import Step, load_policy
from creditlab.reports import load_inputs

FRENCH = ("relance", "appel", "mise en demeure", "injonction", "déclaration", "cabinet", " J+",
          " J-")


def _french(words) -> list:
    return [w for w in words if isinstance(w, str) and any(f in w for f in FRENCH)]


def test_bundled_policy_steps_have_english_names():
    policy = load_policy()
    steps = [s for sc in policy.scenarios.values() for s in sc.steps]
    assert len(steps) == 24 and all(s.name_en for s in steps)
    assert not _french(s.label("en") for s in steps)
    assert {s.label("fr") for s in steps} >= {"mise en demeure J+45", "appel J+5"}
    first = policy.scenarios["grands_comptes"].steps[0]
    assert (first.label("fr"), first.label("en")) == ("relance préventive J-7",
                                                      "courtesy reminder D-7")
    table = policy.steps_table("en")
    assert "formal notice D+45" in set(table["label"]) and "phone call D+5" in set(table["label"])


def test_step_without_english_name_says_what_it_does():
    step = Step(day=45, channels=("registered_letter",), template="formal_notice",
                escalation="mise_en_demeure", name="MED J+45")
    assert step.label("fr") == "MED J+45"
    assert step.label("en") == "formal notice D+45"
    assert dataclasses.replace(step, name_en="final notice D+45").label("en") == \
        "final notice D+45"


@pytest.fixture(scope="module")
def english():
    from creditlab.reports.dunning import build_dunning_report

    return build_dunning_report(load_inputs(), lang="en", check=False)


def test_english_page_tables_name_steps_in_english(english):
    actions = english.actions_table(n=len(english.actions)).to_html()
    steps = english.steps_view().to_html()
    assert "formal notice D+" in steps and "courtesy reminder D-7" in steps
    assert "D+" in actions
    for html in (actions, steps):
        assert not _french([html.replace("Reliable", "")]), _french([html])[:1]


def test_english_dunning_list_and_workbook_name_steps_in_english(english, tmp_path):
    english.write(tmp_path, pdf="no")
    # every file named in the run's language: no French name left in an English run
    assert (tmp_path / "history_to_append.csv").is_file()
    assert not (tmp_path / "historique_a_ajouter.csv").exists()
    csv = pd.read_csv(tmp_path / "dunning_plan.csv")
    assert len(csv) == len(english.actions)
    assert csv["step"].notna().all() and not _french(csv["step"])
    assert csv["step"].str.contains(" D[+-]\\d+$").all()
    book = openpyxl.load_workbook(tmp_path / "dunning_plan.xlsx")
    for title in ("Today's actions", "Invoices chased"):
        ws = book[title]
        head = [c.value for c in ws[1]]
        values = [r[head.index("step")] for r in ws.iter_rows(min_row=2, values_only=True)]
        assert values[:-1] and not _french(values), title
    # the French run keeps the policy's French names
    from creditlab.reports.dunning import build_dunning_report

    french = build_dunning_report(load_inputs(), check=False)
    assert set(french.actions["step"]) <= {s.name for sc in french.policy.scenarios.values()
                                           for s in sc.steps}
