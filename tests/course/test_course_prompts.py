"""The « À vous de jouer » prompts of the course notebooks are real exercises."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from creditlab import exercises as E

ROOT = Path(__file__).resolve().parents[2]
OURS = [p for p in sorted((ROOT / "notebooks").glob("0[0-9]_*.ipynb"))
        if not p.name.startswith(("03_", "07_"))]   # analyst track; end-of-course evaluation

#: Plausible figures for every prompt, as a notebook passes them.
SAMPLES = {
    "nb00_echu_90": (0.06, {"part_de_l_echu": 0.21}),
    "nb00_plus_gros_retard": ("C00175", {}),
    "nb01_45_60": (12_345.0, {"tresorerie": 246_900.0}),
    "nb01_prospect": ("b", {"pd_equilibre": 0.17}),
    "nb01_critiques": (7, {"risque_eleve": 40, "classe_a": 55}),
    "nb01_defaillances": (0.06, {"par_jugement": 0.065}),
    "nb01_fidelite": (0.62, {"part_des_clients": 0.48}),
    "nb02_sans_siren": (12, {"sans_naf": 14}),
    "nb02_revue_agrement": (30, {"egaux": 200}),
    "nb02_dso_secteur": ("a", {"dso_client": 41.2, "mediane": 55.0}),
    "nb02_conan_66": ("b", {"z_661": 30.03, "z_66": 29.5}),
    "nb02_contrainte": ("a", {"choices": {"a": "besoin", "b": "plafond fonds propres"},
                              "besoin": 1000.0, "limite": 1000.0, "remede": ""}),
    "nb02_commande": ("b", {"sans": "bloquée", "avec": "libérée"}),
    "nb04_top10": (0.55, {"part_de_l_encours": 0.12}),
    "nb04_lendemain": (9, {"aujourd_hui": 31}),
    "nb04_litige_cause": (0.41, {"part_en_nombre": 0.30, "cause": "qualité"}),
    "nb04_indemnites": (15_000.0, {"par_client": 3_200.0, "n_factures": 375}),
    "nb04_delai_max": (140, {"a_45_fdm": 95}),
    "nb04_total_reclame": (6_512.4, {"principal": 6_000.0, "n_factures": 3,
                                     "petites_creances": False}),
    "nb05_nov_dec": ("b", {}),
    "nb05_assurance": ("a", {"explication": "Assurance : 1 000 € en moyenne."}),
    "nb06_escompte": (20_000.0, {"gain_financier": 13_699.0}),
    "nb06_incontestable": (8_000.0, {"echu": 11_000.0}),
}


def _cells(path):
    return json.loads(path.read_text("utf-8"))["cells"]


def test_every_prompt_has_a_sample():
    assert set(SAMPLES) == set(E.PROMPTS)


@pytest.mark.parametrize("path", OURS, ids=lambda p: p.name)
def test_every_a_vous_prompt_is_an_answer_field(path):
    cells = _cells(path)
    prompts = [i for i, c in enumerate(cells) if c["cell_type"] == "markdown"
               and "À vous" in "".join(c["source"])]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    asked = re.findall(r'a_vous\("([a-z0-9_]+)"', code)
    assert len(asked) >= len(prompts) > 0
    assert set(asked) <= set(E.PROMPTS) and len(asked) == len(set(asked))
    # the cell after each prompt computes silently: no print of the answer
    for i in prompts:
        nxt = "".join(cells[i + 1]["source"])
        assert "print(" not in nxt and "display(" not in nxt, (path.name, i)


def test_all_prompts_are_asked_in_the_notebooks():
    code = "\n".join("".join(c["source"]) for p in OURS for c in _cells(p)
                     if c["cell_type"] == "code")
    assert set(re.findall(r'a_vous\("([a-z0-9_]+)"', code)) == set(E.PROMPTS)
    # notebook 02 no longer asks the trainee to edit a pre-filled boolean
    assert "# ← votre réponse" not in code


@pytest.mark.parametrize("prompt_id", sorted(SAMPLES))
def test_a_prompt_checks_answers_without_revealing_them(prompt_id):
    value, data = SAMPLES[prompt_id]
    field = E.a_vous(prompt_id, value, **data)
    ex = E.exercise(prompt_id)
    assert prompt_id not in E.EXERCISES                   # asked live, not in the catalogue
    assert field.submit("").ok is None
    right = field.submit(str(value).replace(".", ",")) if not isinstance(value, str) \
        else field.submit(value.upper())
    assert right.ok is True and "Exact" in str(right)
    if ex.kind == "choice":
        wrong = next(k for k in ex.choices if k != value)
    elif ex.kind == "text":
        wrong = "C99999"
    else:
        wrong = str(value * 3 + 1).replace(".", ",")
    fb = field.submit(wrong)
    assert fb.ok is False and fb.hint
    shown = str(fb) + fb._repr_html_()
    if ex.kind in ("number", "percent"):
        assert str(value).replace(".", ",") not in shown
    for trap in ex.traps:
        trapped = E.check(prompt_id, trap.solve(ex.data))
        assert trapped.ok is False and trapped.hint == trap.hint


def test_a_relative_tolerance_is_stated_in_words():
    E.a_vous("nb06_escompte", 20_000.0, gain_financier=13_699.0)
    assert "0,5 % près" in E.question("nb06_escompte")
    assert E.check("nb06_escompte", "20 080 €").ok and not E.check("nb06_escompte", "20 200").ok
    E.a_vous("nb01_critiques", 7, risque_eleve=40, classe_a=55)
    assert "entier exact" in E.question("nb01_critiques")
    assert "classe A" in E.check("nb01_critiques", "40").hint
