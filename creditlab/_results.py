"""The result protocol shared by every result object.

A result computes once and keeps codes: ``summary()`` returns a DataFrame whose columns (and code
values) are stable English codes; ``to_frame(lang="fr")`` is the same table in words from the
label catalogue (:mod:`creditlab.labels`); ``_repr_html_`` shows ``to_frame()`` in French, the
trainees' language, with every value escaped. Plots take the result and draw
(``plot_*(ax=None, lang=None)`` returning the Axes); they compute nothing.
"""

from __future__ import annotations

import pandas as pd

from creditlab.labels import translate

__all__ = ["Result"]


class Result:
    """Mixin: ``summary()`` (codes) → ``to_frame(lang)`` (words) → ``_repr_html_`` (escaped).

    Subclasses implement :meth:`summary` and may list in ``_code_columns`` the columns whose
    values are codes to translate too.
    """

    _code_columns: tuple[str, ...] = ()

    def summary(self) -> pd.DataFrame:  # pragma: no cover - interface
        raise NotImplementedError

    def to_frame(self, lang: str = "fr") -> pd.DataFrame:
        """``summary()`` with column names, index labels and code values in ``lang``."""
        return translate(self.summary(), lang, values=self._code_columns)

    def _repr_html_(self) -> str:
        return self.to_frame("fr").to_html(escape=True, na_rep="—")
