"""All classic formula scores of a statements table in one wide DataFrame."""

from __future__ import annotations

import pandas as pd

from creditlab.scores._sector import sector_flags
from creditlab.scores.altman import ALTMAN_VARIANTS, _altman_columns, _altman_ratios
from creditlab.scores.conan_holder import VALID_SECTOR, _conan_holder_columns
from creditlab.statements._common import check_choice, require_columns
from creditlab.statements.balance import BALANCE_COLUMNS, _arrays
from creditlab.statements.sig import INCOME_COLUMNS, _sig_arrays

__all__ = ["classic_scores"]

_PREFIX = {"z": "z", "z_prime": "zp", "z_double_prime": "zpp", "z_em": "zem"}


def classic_scores(fs: pd.DataFrame, *, sector=None,
                   financial_charges: str = "interest") -> pd.DataFrame:
    """Conan-Holder and the four Altman scores of every firm-year.

    Parameters
    ----------
    fs : DataFrame
        ``financial_statements`` rows (``sector`` column optional, for validity flags).
    sector : optional
        Sector per row (see :func:`creditlab.scores.conan_holder`).
    financial_charges : {"interest", "total"}
        Conan-Holder R4 numerator (PCG 661 or 66).

    Returns
    -------
    DataFrame
        Index of ``fs``; ``customer_id``/``fiscal_year`` when present; ``ch_score``,
        ``ch_band``, ``ch_failure_prob_indicative``, ``ch_valid``, ``ch_reason``; for each
        Altman variant (prefixes ``z``, ``zp`` = Z′, ``zpp`` = Z″, ``zem`` = Z″-EM)
        ``<p>_score``, ``<p>_zone``, ``<p>_valid``, ``<p>_reason``. Bands, zones and reasons
        are ``category`` columns of codes: :func:`creditlab.scores.score_words` adds
        ``ch_band_label``, ``<p>_zone_label`` and writes the reasons in words.

    Notes
    -----
    The SIG and balance-sheet aggregates, the sector flags and the Altman ratios X1, X2, X3, X5
    are computed once for the five scores (``benchmarks/bench_scores.py`` compares the whole
    with a hand-written numpy version of the same formulas).
    """
    require_columns(fs, INCOME_COLUMNS + BALANCE_COLUMNS)
    check_choice(financial_charges, "financial_charges", ("interest", "total"))
    industrial, known_sector = sector_flags(fs, sector, VALID_SECTOR)
    pre = (_sig_arrays(fs), _arrays(fs))  # SIG and balance-sheet aggregates, once for 5 scores
    out = {c: fs[c] for c in ("customer_id", "fiscal_year") if c in fs.columns}
    ch = _conan_holder_columns(fs, pre, financial_charges, industrial, known_sector, notes=False)
    for c in ("score", "band", "failure_prob_indicative", "valid", "reason"):
        out[f"ch_{c}"] = ch[c]
    shared = _altman_ratios(fs, pre)
    for v in ALTMAN_VARIANTS:
        a = _altman_columns(fs, v, shared, industrial, known_sector, notes=False)
        for c in ("score", "zone", "valid", "reason"):
            out[f"{_PREFIX[v]}_{c}"] = a[c]
    return pd.DataFrame(out, index=fs.index, copy=False)  # fresh arrays: no consolidation copy
