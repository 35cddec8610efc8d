"""Answers as a French trainee types them, and feedback that diagnoses the classic mistakes."""

from __future__ import annotations

import json

import pytest

from creditlab import exercises as E


@pytest.mark.parametrize("typed, value", [
    ("203,05", 203.05), ("9 863", 9863.0), ("9\u202f863,01\u00a0€", 9863.01),
    ("1 234 567,5", 1_234_567.5), ("1.234.567,5", 1_234_567.5), ("20.000", 20_000.0),
    ("1.250", 1_250.0), ("3.173", 3.173), ("0.559", 0.559), ("1,234.56", 1234.56),
    ("−0,69", -0.69), ("-12", -12.0), ("72 jours", 72.0), ("15 euros", 15.0), (".5", 0.5),
    (12, 12.0), (0.25, 0.25)])
def test_french_numbers_are_read(typed, value):
    assert E.read_number(typed).value == pytest.approx(value)


@pytest.mark.parametrize("typed", ["abc", "1 2", "1,2,3", "12 34", "1.23.4", "", "—", True, None,
                                   "1.2345.678"])
def test_unreadable_numbers_are_none(typed):
    assert E.read_number(typed).value is None


def test_ambiguous_readings_are_reported():
    assert "milliers" in E.read_number("20.000").note
    assert "décimale" in E.read_number("3.173").note
    assert E.read_number("203,05").note == ""
    fb = E.check("p1_cout_credit", "20.000")
    assert fb.ok is False and "20\u202f000" in fb.reading and "lue" in str(fb)


def test_answers_typed_in_french_are_accepted():
    # the pitfalls of issue 17: decimal comma, space thousands separator, percent sign
    assert E.check("p4_penalites", "203,05").ok
    assert E.check("p4_penalites", "203,05 €").ok
    assert E.check("p1_cout_credit", "9 863").ok
    assert E.check("p6_escompte", "37,24 %").ok and E.check("p6_escompte", "0,3724").ok
    assert E.check("p2_conan_holder", "14,96").ok
    assert E.check("p1_ca_compensatoire", "20.000").ok             # dots as thousands


def test_a_percent_sign_on_an_amount_is_unreadable():
    fb = E.check("p1_cout_credit", "9 863 %")
    assert fb.ok is False and "illisible" in str(fb)


@pytest.mark.parametrize("ex_id, typed, words", [
    # 360 instead of 365 days
    ("p1_cout_credit", "10 000", "360 jours"),
    ("p4_penalites", "205,87", "360 jours"),
    ("p6_escompte", "36,73 %", "360 jours"),
    # HT instead of TTC
    ("p1_cout_credit", "8 219,18", "hors taxes"),
    ("p4_penalites", "169,21", "TTC"),
    # Conan-Holder with the percent coefficients on fractions, or ratios in percent
    ("p2_conan_holder", "0,1496", "pourcent"),
    ("p2_conan_holder", "1 496,33", "fractions"),
    # the indemnity added, one rate for two semesters
    ("p4_penalites", "243,05", "40 €"),
    ("p4_penalites_semestres", "331,45", "premier semestre"),
    # rounding too early or too coarse
    ("p4_penalites", "203", "arrondi"),
    ("p2_conan_holder", "15,0", "arrondi"),
    ("p6_escompte", "37 %", "arrondi"),
    # forgetting (1 − discount)
    ("p6_escompte", "36,5 %", "1 − escompte"),
    # percent vs fraction on a number answer
    ("p1_ca_compensatoire", "200", "facteur 100"),
])
def test_classic_mistakes_get_a_targeted_hint(ex_id, typed, words):
    fb = E.check(ex_id, typed)
    assert fb.ok is False
    assert words in fb.hint, (typed, fb.hint)
    assert fb.hint != E.exercise(ex_id).hint


def test_an_unrecognised_wrong_answer_gets_the_generic_hint():
    fb = E.check("p1_cout_credit", "5 000")
    assert fb.ok is False and fb.hint == E.exercise("p1_cout_credit").hint


@pytest.mark.parametrize("ex_id", sorted(E.EXERCISES))
def test_every_trap_is_wrong_and_recognised(ex_id):
    ex = E.exercise(ex_id)
    for trap in ex.traps:
        value = trap.solve(ex.data)
        assert not E.check(ex_id, value).ok, (ex_id, trap.hint)
        assert E.diagnose(ex, value) == trap.hint


@pytest.mark.parametrize("ex_id", sorted(E.EXERCISES))
def test_the_question_states_the_tolerance(ex_id):
    ex = E.exercise(ex_id)
    text = E.question(ex_id)
    assert ex.statement in text
    if ex.kind in ("number", "percent"):
        assert "Arrondi accepté" in text and "près" in text


def test_numeric_exercises_have_traps_for_their_classic_mistakes():
    numeric = [e for e in E.EXERCISES.values() if e.kind in ("number", "percent")
               and e.part != 3]
    assert sum(bool(e.traps) for e in numeric) >= len(numeric) - 2


def test_answer_field_checks_what_is_typed_and_keeps_the_answer(tmp_path):
    path = tmp_path / "alice.jsonl"
    field = E.answer_field("p4_penalites", trainee="alice", results_path=path)
    assert field.widget is not None
    assert "Arrondi accepté" in str(field)
    assert field.submit("").ok is None                      # empty box: not answered
    assert field.submit("203").ok is False
    assert "arrondi" in field.feedback.hint
    assert field.submit("203,05").ok is True
    assert "Exact" in field._out.value
    rows = [json.loads(x) for x in path.read_text("utf-8").splitlines()]
    assert [(r["ok"], r["answer"]) for r in rows] == [(False, "203"), (True, "203,05")]


def test_how_to_answer_never_shows_an_expected_value():
    shown = E.HOW_TO_ANSWER
    for ex_id, ex in E.EXERCISES.items():
        if ex.kind in ("number", "percent"):
            assert not E.check(ex_id, "1 234,56").ok and not E.check(ex_id, "12 500").ok
            assert not E.check(ex_id, "4,5 %").ok
    assert "1 234,56" in shown
