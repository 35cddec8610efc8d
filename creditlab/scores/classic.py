"""All classic formula scores of a statements table in one wide DataFrame."""

from __future__ import annotations

import pandas as pd

from creditlab.i18n import deprecated_lang
from creditlab.scores.altman import ALTMAN_VARIANTS, altman
from creditlab.scores.conan_holder import conan_holder
from creditlab.statements._common import require_columns
from creditlab.statements.balance import BALANCE_COLUMNS, _arrays
from creditlab.statements.sig import INCOME_COLUMNS, _sig_arrays

__all__ = ["classic_scores"]

_PREFIX = {"z": "z", "z_prime": "zp", "z_double_prime": "zpp", "z_em": "zem"}


def classic_scores(fs: pd.DataFrame, *, sector=None, financial_charges: str = "interest",
                   lang: str | None = None) -> pd.DataFrame:
    """Conan-Holder and the four Altman scores of every firm-year.

    Parameters
    ----------
    fs : DataFrame
        ``financial_statements`` rows (``sector`` column optional, for validity flags).
    sector : optional
        Sector per row (see :func:`creditlab.scores.conan_holder`).
    financial_charges : {"interest", "total"}
        Conan-Holder R4 numerator (PCG 661 or 66).
    lang : {"fr", "en"}, optional
        Deprecated and ignored (words: :func:`creditlab.scores.score_words`).

    Returns
    -------
    DataFrame
        Index of ``fs``; ``customer_id``/``fiscal_year`` when present; ``ch_score``,
        ``ch_band``, ``ch_failure_prob_indicative``, ``ch_valid``, ``ch_reason``; for each
        Altman variant (prefixes ``z``, ``zp`` = Z′, ``zpp`` = Z″, ``zem`` = Z″-EM)
        ``<p>_score``, ``<p>_zone``, ``<p>_valid``, ``<p>_reason``. Codes only:
        :func:`creditlab.scores.score_words` adds ``ch_band_label``, ``<p>_zone_label`` and
        the reasons in words.
    """
    deprecated_lang(lang, "classic_scores")
    require_columns(fs, INCOME_COLUMNS + BALANCE_COLUMNS)
    pre = (_sig_arrays(fs), _arrays(fs))  # SIG and balance-sheet aggregates, once for 5 scores
    ch = conan_holder(fs, financial_charges=financial_charges, sector=sector, _pre=pre)
    parts = [fs[[c for c in ("customer_id", "fiscal_year") if c in fs.columns]]]
    parts.append(ch[["score", "band", "failure_prob_indicative", "valid",
                     "reason"]].add_prefix("ch_"))
    for v in ALTMAN_VARIANTS:
        a = altman(fs, v, sector=sector, _pre=pre)
        parts.append(a[["score", "zone", "valid", "reason"]]
                     .add_prefix(f"{_PREFIX[v]}_"))
    return pd.concat(parts, axis=1)
