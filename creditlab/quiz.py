"""Quizzes (QCM) per course part and the self-assessment grid, under their public name.

They live in :mod:`creditlab.exercises.quiz`, beside the exercises whose results and data files
they share (``creditlab.exercises`` never imports this module back).
"""

from __future__ import annotations

from creditlab.exercises.quiz import (  # noqa: F401 - re-exported
    Quiz,
    QuizResult,
    SelfAssessment,
    load_quiz,
    load_self_assessment,
    self_assessment_widget,
)

__all__ = ["Quiz", "QuizResult", "SelfAssessment", "load_quiz", "load_self_assessment",
           "self_assessment_widget"]
