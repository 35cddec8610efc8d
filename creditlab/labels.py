"""The label catalogue: stable English codes in results, French or English words at the edge.

Computations return codes (``not_due``, ``dpd_1_30``, ``disputed``, ``total``, ...). The words a
person reads come from one versioned catalogue, the CSV files of ``creditlab/data/labels/``
(columns ``key, fr, en, unit``; one file per area so that areas grow without touching each
other). A key is defined once across all files; :func:`catalogue` refuses a key defined twice.

Results translate themselves through :class:`creditlab._results.Result` (``to_frame(lang)``);
presentation code (plots, documents, reports) calls :func:`text` and :func:`translate`.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from types import MappingProxyType

import pandas as pd

from creditlab._checks import check_choice
from creditlab.exceptions import InputError

__all__ = ["catalogue", "label_view", "text", "translate", "unit_of"]

_UNITS = ("", "days", "fraction", "eur_ttc", "eur_ht", "eur", "count", "score", "rate")


@cache
def _load() -> tuple[MappingProxyType, MappingProxyType, MappingProxyType]:
    fr, en, unit, origin = {}, {}, {}, {}
    folder = resources.files("creditlab.data").joinpath("labels")
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".csv"):
            continue
        with entry.open("r", encoding="utf-8") as fh:
            df = pd.read_csv(fh, dtype="str", keep_default_na=False)
        missing = {"key", "fr", "en"} - set(df.columns)
        if missing:
            raise InputError(f"labels/{entry.name}", "the columns key, fr, en (unit optional)",
                             list(df.columns), "fix the header of the label file")
        for i, row in enumerate(df.itertuples(index=False), start=2):
            key = row.key.strip()
            if not key or not row.fr or not row.en:
                raise InputError(f"labels/{entry.name} line {i}", "a key, a French and an "
                                 "English text", tuple(row), "fill the three columns")
            if key in origin:
                raise InputError(f"labels/{entry.name} line {i}", "a key defined once",
                                 key, f"it is already defined in {origin[key]}: reuse it")
            u = getattr(row, "unit", "") or ""
            if u not in _UNITS:
                raise InputError(f"labels/{entry.name} line {i}", f"a unit among {_UNITS}", u,
                                 "fix the unit column")
            fr[key], en[key], unit[key], origin[key] = row.fr, row.en, u, entry.name
    return MappingProxyType(fr), MappingProxyType(en), MappingProxyType(unit)


def catalogue() -> pd.DataFrame:
    """The whole catalogue as a new DataFrame (``key, fr, en, unit``)."""
    fr, en, unit = _load()
    return pd.DataFrame({"key": list(fr), "fr": list(fr.values()), "en": list(en.values()),
                         "unit": [unit[k] for k in fr]})


def text(key: str, lang: str = "fr", **fields) -> str:
    """The words for ``key`` in ``lang`` (fields filled with ``str.format``); unknown keys are
    returned unchanged so that a user's own column names pass through."""
    fr, en, _ = _load()
    words = (fr if check_choice(lang, "lang", ("fr", "en")) == "fr" else en).get(key, key)
    return words.format(**fields) if fields else words


def label_view(prefix: str, cast=str) -> MappingProxyType:
    """Read-only ``{code: {"fr": words, "en": words}}`` of the catalogue keys ``<prefix>.<code>``
    (``cast`` converts the code, e.g. ``int`` for rating classes), in catalogue order.

    The label dictionaries kept importable for compatibility (``COST_LABELS``,
    ``LIMIT_COLUMN_LABELS``, ...) are such views: the words live in ``data/labels/*.csv``.
    """
    fr, en, _ = _load()
    head = prefix + "."
    return MappingProxyType({cast(k[len(head):]): MappingProxyType({"fr": fr[k], "en": en[k]})
                             for k in fr if k.startswith(head)})


def unit_of(key: str) -> str:
    """The unit of ``key`` (``days``, ``fraction``, ``eur_ttc``, ...), ``""`` when none."""
    return _load()[2].get(key, "")


def translate(df: pd.DataFrame, lang: str = "fr", *, values: tuple[str, ...] = ()) -> pd.DataFrame:
    """A copy of ``df`` with its column names, index names and index labels in words, and the
    values of the columns named in ``values`` (code columns such as ``doc_type``) too."""
    out = df.copy()
    for col in values:
        if col in out.columns:
            out[col] = out[col].map(lambda v: text(v, lang) if isinstance(v, str) else v)
    out.columns = [text(c, lang) if isinstance(c, str) else c for c in out.columns]
    out.index = out.index.map(lambda v: text(v, lang) if isinstance(v, str) else v) \
        if out.index.dtype == object or pd.api.types.is_string_dtype(out.index.dtype) \
        else out.index
    out.index.names = [text(n, lang) if isinstance(n, str) else n for n in out.index.names]
    return out
