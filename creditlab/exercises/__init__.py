"""Practical cases (cas pratiques) with automatic feedback in French.

Each exercise has an id, a part of the course (1-6), a statement with its data
(:data:`EXERCISES`), and a checker that computes the expected answer **with creditlab** from
that data — never a stored answer — and compares the trainee's answer with the tolerance stated
in the question (:func:`question`). Answers are read as a French trainee types them ("1 234,56",
"12 500 €", "4,5 %", "31/12/2025"), in an answer field (:func:`answer_field`) or as a string in
``check("id", "1 234,56")``. A wrong answer gets a targeted hint when it matches a classic mistake
recomputed from the data (360 days, HT for TTC, percent for fraction, rounding...), the generic
hint otherwise; the expected value is never shown. ``None`` or ``...`` gives "pas encore répondu".

>>> check("p5_cei", "55,93 %")                               # doctest: +SKIP
✅ Exact — Efficacité du recouvrement (CEI) : bien joué.

Results can be exported for the trainer's view: call :func:`session` once at the top of the
notebook (or pass ``trainee=`` and ``results_path=``, or set the ``CREDITLAB_TRAINEE`` and
``CREDITLAB_RESULTS`` environment variables) and one JSON line per check is appended;
:func:`collect` reads a whole group's results back for the trainer's view (folder layouts in
its docstring).
"""

from creditlab.exercises._answers import ReadNumber, read_date, read_number
from creditlab.exercises._catalogue import EXERCISES
from creditlab.exercises._check import (
    HOW_TO_ANSWER,
    check,
    diagnose,
    exercise,
    exercises_of_part,
    expected_answer,
    model_answer,
    question,
    tolerance_text,
)
from creditlab.exercises._dialogue import (
    CALLS,
    PLAN_CASES,
    PhoneCall,
    dialogue,
    negotiate_plan,
    phone_call,
)
from creditlab.exercises._field import answer_field
from creditlab.exercises._model import Exercise, Feedback, Trap
from creditlab.exercises._prompts import PROMPTS, a_vous
from creditlab.exercises._results import (
    latest_results,
    load_results,
    record_results,
    session,
    trainee_slug,
)
from creditlab.exercises._roleplay import (
    CASES,
    OBJECTIONS,
    Rubric,
    case_file,
    check_argument,
    check_letter,
    writing_field,
)
from creditlab.exercises._situations import (
    LIMIT_TOLERANCE,
    SITUATIONS,
    AutoDiagnostic,
    CustomerFile,
    autodiagnostic,
    customer_file,
    decide_limit,
)
from creditlab.exercises._situations_steering import (
    STEERING,
    SituationFile,
    SituationForm,
    expected_figures,
    play_situation,
    situation_file,
    situation_form,
)
from creditlab.exercises._working import Working, working
from creditlab.exercises.group import GroupResults, collect

# kept for code written against the single-module version
_as_date = read_date

__all__ = ["Exercise", "Feedback", "Trap", "EXERCISES", "check", "exercise", "exercises_of_part",
           "expected_answer", "model_answer", "question", "tolerance_text", "diagnose",
           "HOW_TO_ANSWER", "answer_field", "a_vous", "PROMPTS", "check_letter", "check_argument", "writing_field",
           "case_file", "phone_call", "PhoneCall", "negotiate_plan", "Rubric", "CASES", "OBJECTIONS",
           "CALLS", "PLAN_CASES", "dialogue", "SITUATIONS", "customer_file", "CustomerFile",
           "decide_limit", "LIMIT_TOLERANCE", "autodiagnostic", "AutoDiagnostic",
           "STEERING", "situation_file", "situation_form", "play_situation", "SituationFile",
           "SituationForm", "expected_figures",
           "read_number", "read_date", "ReadNumber",
           "session", "record_results", "load_results", "latest_results", "trainee_slug",
           "collect", "GroupResults", "working", "Working"]
