"""The course's data files (``creditlab/data``): quiz and questionnaires, read once and cached.

Kept in :mod:`creditlab.exercises` so that both :mod:`creditlab.quiz` and the trainer's view
(:mod:`creditlab.exercises.group`) read them without importing each other.
"""

from __future__ import annotations

import tomllib
from importlib import resources

import pandas as pd

from creditlab._cache import reference_cache

__all__ = ["data_toml", "data_csv", "question_texts"]


@reference_cache(maxsize=4)
def data_toml(name: str) -> dict:
    """A TOML file of ``creditlab/data`` as a dict (each caller gets a copy)."""
    with resources.files("creditlab.data").joinpath(name).open("rb") as f:
        return tomllib.load(f)


@reference_cache(maxsize=8)
def data_csv(name: str) -> pd.DataFrame:
    """A CSV file of ``creditlab/data`` as a DataFrame (each caller gets a copy)."""
    with resources.files("creditlab.data").joinpath(name).open("r", encoding="utf-8") as f:
        return pd.read_csv(f, dtype=str, keep_default_na=False)


def question_texts() -> dict[str, str]:
    """``{question id: text}`` of every QCM question of the course."""
    return {q["id"]: q["text"] for q in data_toml("quiz.toml")["question"]}
