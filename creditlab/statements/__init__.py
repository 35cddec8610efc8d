"""Financial-statement analysis: SIG, CAF, functional balance sheet, ratio catalogue, FEC.

All functions take the canonical ``financial_statements`` table (see
:mod:`creditlab.io.tables`), are vectorised over any number of firm-years and keep the input
index. Zero denominators give NaN with a reason, never inf.
"""

from __future__ import annotations

from creditlab.statements.balance import (
    BALANCE_COLUMNS,
    BALANCE_LABELS,
    balance_masses,
    functional_balance_sheet,
)
from creditlab.statements.fec import (
    MAPPING_VERSIONS,
    fec_balances,
    from_fec,
    load_pcg_mapping,
    map_balances,
    mapping_version_for,
)
from creditlab.statements.position import SectorPosition, sector_position
from creditlab.statements.ratios import (
    RATIO_FAMILIES,
    RATIOS,
    Ratio,
    ratio_catalogue,
    ratio_trends,
    ratio_words,
    ratios,
    sector_quartiles,
)
from creditlab.statements.sig import (
    CAF_LABELS,
    INCOME_COLUMNS,
    SIG_LABELS,
    caf,
    financial_charges,
    personnel_charges,
    revenue,
    sig,
)

__all__ = [
    "BALANCE_COLUMNS", "BALANCE_LABELS", "CAF_LABELS", "INCOME_COLUMNS", "MAPPING_VERSIONS",
    "RATIOS", "RATIO_FAMILIES", "Ratio", "SIG_LABELS", "balance_masses", "caf",
    "fec_balances", "financial_charges", "from_fec", "functional_balance_sheet",
    "load_pcg_mapping", "map_balances", "mapping_version_for", "personnel_charges",
    "ratio_catalogue", "ratio_trends", "ratio_words", "ratios", "revenue", "sector_quartiles", "sig",
    "SectorPosition", "sector_position",
]
