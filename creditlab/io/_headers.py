"""Header matching of :func:`creditlab.io.read_table`: the normalised key of a header and the
alias maps shipped in ``creditlab/data`` (column names and coded values)."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import pandas as pd

from creditlab._cache import reference_cache
from creditlab.exceptions import InputError
from creditlab.tables import TABLES, _table

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
_STOPWORDS = {"de", "du", "des", "d", "la", "le", "les", "l", "of", "the"}
_NUMBER_WORDS = {"no": "n", "num": "n", "numero": "n", "nr": "n"}


# ----------------------------------------------------------------------------- headers
def normalise_header(text: object) -> str:
    """Key used to match headers: lower case, no accents, no punctuation, no little words.

    ``"N° de facture"``, ``"Numéro facture"`` and ``"n_facture"`` all give ``"n facture"``.
    """
    s = unicodedata.normalize("NFKD", str(text).replace("\ufeff", ""))
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    s = re.sub(r"[^0-9a-z]+", " ", s).split()
    return " ".join(_NUMBER_WORDS.get(w, w) for w in s if w not in _STOPWORDS)


@reference_cache(maxsize=1)
def load_column_aliases() -> pd.DataFrame:
    """The alias map ``creditlab/data/column_aliases.csv`` (table, canonical, alias, lang, source).

    Besides the listed aliases, every canonical column name and its French label
    (``tables.py``) match themselves. A ``key`` column holds :func:`normalise_header` of the alias.
    A copy: editing it changes no later reading.
    """
    df = pd.read_csv(DATA_DIR / "column_aliases.csv", dtype=str, keep_default_na=False)
    auto = [(t.name, c.name, a, lang, "creditlab/tables.py")
            for t in TABLES.values() for c in t.columns
            for a, lang in ((c.name, "en"), (c.label_fr, "fr"))]
    df = pd.concat([df, pd.DataFrame(auto, columns=df.columns)], ignore_index=True)
    df["key"] = df["alias"].map(normalise_header)
    return df


@cache
def _alias_lookup(table: str) -> dict[str, str]:
    aliases = load_column_aliases.shared()
    sub = aliases[aliases["table"] == table].drop_duplicates(["key", "canonical"])
    clash = sub[sub.duplicated("key", keep=False)]
    if not clash.empty:  # guarded by a test; a broken data file must not map silently
        raise InputError("column_aliases.csv", "one canonical column per alias and table",
                         clash[["table", "alias", "canonical"]].to_dict("records"),
                         "remove the ambiguous alias from creditlab/data/column_aliases.csv")
    return dict(zip(sub["key"], sub["canonical"], strict=True))


@reference_cache(maxsize=1)
def load_value_aliases() -> pd.DataFrame:
    """French/English wordings of coded values (``creditlab/data/value_aliases.csv``), a copy."""
    df = pd.read_csv(DATA_DIR / "value_aliases.csv", dtype=str, keep_default_na=False)
    df["key"] = df["alias"].map(normalise_header)
    return df


def _map_headers(df: pd.DataFrame, table: str, columns: dict | None, path) -> pd.DataFrame:
    spec = _table(table)
    headers = [str(c).replace("\ufeff", "").strip() for c in df.columns]
    df.columns = headers
    target: dict[str, str] = {}
    if columns is not None:
        if not isinstance(columns, dict):
            raise InputError("columns", "a dict {'header in your file': 'canonical name'}",
                             type(columns).__name__, "pass e.g. columns={'Réf': 'invoice_id'}")
        by_key = {normalise_header(h): h for h in headers}
        for theirs, canon in columns.items():
            if canon not in spec.names:
                raise InputError(f"columns[{theirs!r}]", f"a column of table {table!r}: "
                                 f"{spec.names}", canon, "map to a canonical column name")
            h = theirs if theirs in headers else by_key.get(normalise_header(theirs))
            if h is None:
                raise InputError(f"columns[{theirs!r}]", f"a header of {Path(path).name}",
                                 theirs, f"use one of the file's headers: {headers}")
            target[h] = canon
    lookup = _alias_lookup(table)
    for h in headers:
        if h in target:
            continue
        if h in spec.names:
            target[h] = h
        elif normalise_header(h) in lookup:
            target[h] = lookup[normalise_header(h)]
    # one header per canonical column: exact names and explicit mappings win over aliases
    chosen: dict[str, str] = {}
    for canon in dict.fromkeys(target.values()):
        cands = [h for h, c in target.items() if c == canon]
        if len(cands) > 1:
            strong = [h for h in cands if h == canon or (columns and h in target
                                                         and _explicit(columns, h, headers))]
            if len(strong) == 1:
                cands = strong
            else:
                raise InputError("columns", f"one header of {Path(path).name} for column "
                                 f"{canon!r}", cands,
                                 f"say which one to use: read_table(..., columns={{{cands[0]!r}: "
                                 f"{canon!r}}})")
        chosen[cands[0]] = canon
    return df.rename(columns=chosen)


def _explicit(columns: dict, header: str, headers: list[str]) -> bool:
    keys = {normalise_header(k) for k in columns}
    return header in columns or normalise_header(header) in keys
