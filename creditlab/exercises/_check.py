"""Checking a trainee's answer: read it as typed, compare with the answer computed by creditlab,
diagnose the classic wrong answers (never revealing the expected value)."""

from __future__ import annotations

import math
import os

import pandas as pd

from creditlab.exceptions import InputError
from creditlab.exercises._answers import read_date, read_number
from creditlab.exercises._catalogue import EXERCISES, LIST
from creditlab.exercises._model import Exercise, Feedback
from creditlab.exercises._results import record_results

__all__ = ["check", "exercise", "exercises_of_part", "expected_answer", "model_answer",
           "question", "tolerance_text", "HOW_TO_ANSWER"]

#: How to type an answer, shown by :func:`question` and in the notebooks.
HOW_TO_ANSWER = ("Tapez votre réponse comme sur papier : « 1 234,56 » ou « 12 500 € » (virgule "
                 "décimale, espaces pour les milliers), « 4,5 % » ou « 0,045 » pour un taux, "
                 "« 31/12/2025 » pour une date, la lettre « b » pour un choix. Sans le champ de "
                 "réponse, mettez-la entre guillemets : check(\"id\", \"1 234,5\").")


#: Exercises asked in the course notebooks on figures of the demo portfolio, registered when the
#: notebook asks them (:func:`creditlab.exercises.a_vous`).
LIVE: dict[str, Exercise] = {}


def exercise(exercise_id: str) -> Exercise:
    """The exercise with this id (InputError naming the known ids otherwise)."""
    try:
        return EXERCISES[exercise_id] if exercise_id in EXERCISES else LIVE[exercise_id]
    except KeyError:
        raise InputError("exercise_id", f"one of {sorted(EXERCISES)}", exercise_id,
                         "copy the id from the exercise statement") from None


def exercises_of_part(part: int) -> list[Exercise]:
    """Exercises of one part of the course (1-6), in order."""
    return [e for e in LIST if e.part == part]


def expected_answer(exercise_id: str):
    """The answer computed with creditlab (for trainers and solution notebooks)."""
    ex = exercise(exercise_id)
    return ex.solve(ex.data)


def model_answer(exercise_id: str) -> str:
    """The worked (model) answer of an exercise, to read after trying it ("" if none)."""
    return exercise(exercise_id).model_answer


def _fr_number(x: float) -> str:
    text = f"{x:.4f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def tolerance_text(ex: Exercise) -> str:
    """The rounding accepted, in French ("" for dates and choices)."""
    if ex.tolerance_note:
        return f"Arrondi accepté : {ex.tolerance_note}."
    if ex.kind == "number":
        unit = f" {ex.unit}" if ex.unit else ""
        return f"Arrondi accepté : à ± {_fr_number(ex.tolerance)}{unit} près."
    if ex.kind == "percent":
        return (f"Arrondi accepté : à ± {_fr_number(ex.tolerance)} point de pourcentage près "
                "(réponse en % ou en fraction).")
    return ""


def question(exercise_id: str) -> str:
    """The statement as the trainee reads it: title, statement, options, rounding accepted."""
    ex = exercise(exercise_id)
    lines = [f"{ex.title}", "", ex.statement]
    if ex.choices:
        lines += ["", *(f"{k}. {v}" for k, v in ex.choices.items())]
    tol = tolerance_text(ex)
    if tol:
        lines += ["", tol]
    return "\n".join(lines)


_EXPECTED_FORM = {"number": "un nombre, par exemple « 1 234,5 » (entre guillemets dans une "
                            "cellule de code)",
                  "percent": "une fraction (« 0,25 ») ou un pourcentage (« 25 % »)",
                  "date": "une date, par exemple « 31/12/2025 » ou « 2025-12-31 »"}


def _value(ex: Exercise, answer) -> tuple[float | None, str]:
    """The answer as a number on the scale of the expected value, and how it was read."""
    read = read_number(answer)
    if read.value is None:
        return None, ""
    value, note = read.value, read.note
    if ex.kind == "percent":
        expected = float(ex.solve(ex.data))
        if read.percent or (abs(value) > 1.5 and abs(expected) < 1.5):
            value /= 100.0            # accept 55.93 or "55,93 %" for a fraction of 0.5593
    elif read.percent:
        return None, ""               # a % sign for an amount or a number of days
    return value, note


def _readable(ex: Exercise, answer) -> bool:
    if ex.kind == "date":
        return read_date(answer) is not None
    if ex.kind == "choice":
        return str(answer).strip().lower() in ex.choices
    if ex.kind == "text":
        return isinstance(answer, str) and bool(answer.strip())
    return _value(ex, answer)[0] is not None


def _tol(ex: Exercise) -> float:
    return ex.tolerance / 100.0 if ex.kind == "percent" else ex.tolerance


def _close(value: float, target: float, tol: float) -> bool:
    return math.isfinite(target) and abs(value - target) <= tol + 1e-9 * max(1, abs(target))


def _compare(ex: Exercise, answer) -> bool:
    expected = ex.solve(ex.data)
    if ex.kind == "date":
        return read_date(answer) == pd.Timestamp(expected).normalize()
    if ex.kind == "choice":
        return str(answer).strip().lower() == str(expected).lower()
    if ex.kind == "text":
        return str(answer).strip().casefold() == str(expected).strip().casefold()
    return _close(_value(ex, answer)[0], float(expected), _tol(ex))


def diagnose(ex: Exercise, answer) -> str:
    """The targeted hint for a wrong numeric answer: a classic mistake recognised by
    recomputing it (the exercise's traps), then rounding, percent vs fraction and sign;
    "" when none matches (the generic hint is used then). Never the expected value."""
    if ex.kind not in ("number", "percent"):
        return ""
    value = _value(ex, answer)[0]
    expected = float(ex.solve(ex.data))
    tol = _tol(ex)
    for trap in ex.traps:
        if _close(value, float(trap.solve(ex.data)), max(tol, 1e-3 * abs(expected))):
            return trap.hint
    scale = max(abs(expected), 1e-12)
    if abs(value - expected) <= max(20 * tol, 0.005 * scale):
        return ("vous êtes tout près : vérifiez l'arrondi — n'arrondissez que le résultat final, "
                "et relisez la précision demandée. " + tolerance_text(ex))
    if ex.kind == "number" and (_close(value * 100, expected, tol)
                                or _close(value / 100, expected, tol)):
        return ("l'ordre de grandeur est décalé d'un facteur 100 : un taux s'écrit-il en "
                "pourcentage ou en fraction dans cette formule ?")
    if _close(-value, expected, tol):
        return "le montant est juste au signe près : relisez le sens de la différence demandée."
    return ""


def check(exercise_id: str, answer, *, trainee: str | None = None,
          results_path: str | os.PathLike | None = None) -> Feedback:
    """Check a trainee's answer and return French feedback (never the expected value).

    ``answer`` is what the trainee typed: a Python number or a string as written in French
    ("1 234,56", "12 500 €", "4,5 %", "31/12/2025", "b"); ambiguous readings are reported.
    ``None`` or ``...`` means not answered yet: ``ok=None``, "pas encore répondu". An answer
    that cannot be read gets ``ok=False`` and says what form is expected. A wrong answer gets
    the targeted hint of its classic mistake when one is recognised, else the exercise's
    generic hint. A right answer shows the model answer when there is one. With ``trainee`` and
    ``results_path`` (or :func:`session`, which sets both), one JSON line
    ``{trainee, exercise_id, part, ok, timestamp, kind, answer}`` is appended to the results
    file.
    """
    ex = exercise(exercise_id)
    reading = ""
    if ex.kind in ("number", "percent") and answer is not None and answer is not Ellipsis:
        reading = _value(ex, answer)[1]
    if answer is None or answer is Ellipsis:
        fb = Feedback(ex.id, None, "⏳ pas encore répondu")
    elif not _readable(ex, answer):
        form = (_EXPECTED_FORM.get(ex.kind, "un mot ou un identifiant") if ex.kind != "choice"
                else "une des lettres " + ", ".join(sorted(ex.choices)))
        fb = Feedback(ex.id, False, f"❓ Réponse illisible ({answer!r}) : écrivez {form}.")
    elif _compare(ex, answer):
        extra = f"\n📝 Réponse modèle : {ex.model_answer}" if ex.model_answer else ""
        fb = Feedback(ex.id, True, f"✅ Exact — {ex.title} : bien joué.{extra}",
                      reading=reading)
    else:
        targeted = diagnose(ex, answer)
        fb = Feedback(ex.id, False, "❌ Pas tout à fait.", targeted or ex.hint, reading=reading)
    if fb.ok is not None:
        record_results([(ex.id, fb.ok, answer)], part=ex.part, kind="exercise",
                       trainee=trainee, results_path=results_path)
    return fb
