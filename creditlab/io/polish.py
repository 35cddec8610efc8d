"""Polish companies bankruptcy data (Tomczak, Zięba et al., UCI dataset 365, CC BY 4.0).

A real, public data set of financial ratios with a bankruptcy flag, used by the score-calibration
workbench (:mod:`creditlab.modeling`), its report and its benchmark.

- ``1year.arff``: ratios of the 1st forecasting year, status after 5 years — 7 027 firms, 271
  bankrupt;
- ``5year.arff``: ratios of the 5th forecasting year, status after 1 year — 5 910 firms, 410
  bankrupt.

The two files ship (gzip-compressed, bytes otherwise unchanged) in ``datasets/polish_bankruptcy/``
with their attribution (``SOURCE.md``) and the ratio definitions (``attributes.csv``). When the
bundled copy is absent (a wheel install) the loader falls back to ``../shared/external`` (see
:func:`creditlab.io.datasets.external_dir`).

Source: UCI Machine Learning Repository, "Polish companies bankruptcy data",
https://archive.ics.uci.edu/dataset/365/polish+companies+bankruptcy+data (DOI 10.24432/C5F600);
M. Zięba, S. K. Tomczak, J. M. Tomczak (2016), "Ensemble boosted trees with synthetic features
generation in application to bankruptcy prediction", Expert Systems with Applications 58, 93-101.
Licence CC BY 4.0.
"""

from __future__ import annotations

import gzip
import io
import os
from pathlib import Path

import numpy as np
import pandas as pd

from creditlab.exceptions import FileFormatError, InputError
from creditlab.io.datasets import DATASETS_DIR, external_dir

__all__ = ["POLISH_DIR", "POLISH_YEARS", "POLISH_COUNTS", "load_polish", "polish_attributes",
           "read_arff"]

POLISH_DIR = DATASETS_DIR / "polish_bankruptcy"
POLISH_YEARS = (1, 5)
#: (rows, bankrupt) published by UCI and the paper, checked by the loader.
POLISH_COUNTS = {1: (7027, 271), 5: (5910, 410)}


def _open_text(path: Path) -> str:
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:  # pragma: no cover - the published files are ASCII
        raise FileFormatError(path, f"not UTF-8 text ({exc})",
                              fix="pass the original ARFF file") from None


def read_arff(path: str | os.PathLike) -> pd.DataFrame:
    """Read a numeric ARFF file (``@attribute NAME numeric`` plus one nominal class).

    Parameters
    ----------
    path : path-like
        ``.arff`` or ``.arff.gz`` file.

    Returns
    -------
    DataFrame
        One float64 column per numeric attribute (``?`` → NaN, exponent forms such as
        ``2.425e+005`` accepted) and nominal attributes as ``str``, in the header's order.

    Raises
    ------
    FileFormatError
        No ``@data`` section, an unsupported attribute type, a data line with the wrong number of
        fields or a non-numeric token in a numeric column (the message gives the line number).
    """
    path = Path(path)
    text = _open_text(path)
    names: list[str] = []
    kinds: list[str] = []
    lines = text.splitlines()
    data_line = None
    for i, line in enumerate(lines, start=1):
        s = line.strip()
        low = s.lower()
        if low.startswith("@attribute"):
            parts = s.split(None, 2)
            if len(parts) < 3:
                raise FileFormatError(path, "malformed @attribute line", line=i,
                                      fix="write '@attribute NAME TYPE'")
            name, typ = parts[1].strip("'\""), parts[2].strip()
            if typ.lower() in ("numeric", "real", "integer"):
                kinds.append("num")
            elif typ.startswith("{"):
                kinds.append("nominal")
            else:
                raise FileFormatError(path, f"unsupported attribute type {typ!r}", line=i,
                                      field=name, fix="only numeric and nominal are read")
            names.append(name)
        elif low.startswith("@data"):
            data_line = i
            break
    if data_line is None or not names:
        raise FileFormatError(path, "no @attribute/@data section", fix="pass an ARFF file")
    body = "\n".join(lines[data_line:])
    df = pd.read_csv(io.StringIO(body), header=None, names=names, dtype=str,
                     keep_default_na=False, skip_blank_lines=True, comment="%")
    out = {}
    for name, kind in zip(names, kinds, strict=True):
        s = df[name].str.strip()
        if kind == "nominal":
            out[name] = s.astype("str")
            continue
        missing = s.eq("?") | s.eq("")
        vals = pd.to_numeric(s.where(~missing), errors="coerce")
        bad = vals.isna() & ~missing
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise FileFormatError(path, f"non-numeric value {s.iloc[row]!r}",
                                  line=data_line + 1 + row, field=name,
                                  fix="numbers use '.' as decimal mark and '?' for missing")
        out[name] = vals.astype("float64")
    return pd.DataFrame(out)


def _locate(year: int, source) -> Path:
    fname = f"{year}year.arff"
    if source is not None:
        p = Path(source)
        if p.is_dir():
            for cand in (p / fname, p / f"{fname}.gz"):
                if cand.exists():
                    return cand
            raise InputError("source", f"a directory holding {fname} or {fname}.gz", str(p),
                             "pass the folder of the Polish bankruptcy files or the file itself")
        if not p.exists():
            raise InputError("source", "an existing ARFF file or folder", str(p),
                             "check the path")
        return p
    for cand in (POLISH_DIR / f"{fname}.gz", POLISH_DIR / fname):
        if cand.exists():
            return cand
    ext = external_dir("polish_bankruptcy")
    if ext is not None and (ext / fname).exists():
        return ext / fname
    raise InputError("source", f"the Polish bankruptcy file {fname}",
                     "neither datasets/polish_bankruptcy nor ../shared/external has it",
                     "download it from https://archive.ics.uci.edu/dataset/365 and pass "
                     "source=<folder>")


def load_polish(year: int = 1, source: str | os.PathLike | None = None, *,
                check_counts: bool = True) -> tuple[pd.DataFrame, pd.Series]:
    """Load one year of the Polish companies bankruptcy data.

    Parameters
    ----------
    year : {1, 5}
        Forecasting year: 1 = ratios of the 1st year, status after 5 years; 5 = ratios of the
        5th year, status after 1 year (the bundled years).
    source : path-like, optional
        An ARFF file (``.arff`` or ``.arff.gz``) or a folder holding ``{year}year.arff[.gz]``.
        Default: the bundled copy in ``datasets/polish_bankruptcy``, else
        ``../shared/external/polish_bankruptcy``.
    check_counts : bool, default True
        With the default files, check the row and bankruptcy counts against UCI's figures
        (:data:`POLISH_COUNTS`).

    Returns
    -------
    X : DataFrame
        64 float64 columns named ``Attr1`` … ``Attr64`` (definitions in
        :func:`polish_attributes`); missing values (``?``) are NaN. Heavy tails are kept as
        published (values up to ±3e7); duplicated rows are kept (82 in year 1, 60 in year 5).
    y : Series
        ``bankrupt`` (int64): 1 = went bankrupt in the forecasting period, 0 = did not.

    Raises
    ------
    InputError
        Unknown year, file not found.
    FileFormatError
        Unreadable file, class values other than 0/1, counts differing from UCI's.
    """
    if isinstance(year, bool) or not isinstance(year, int | np.integer) or not 1 <= year <= 5:
        raise InputError("year", "an integer forecasting year from 1 to 5 (1 or 5 bundled)", year,
                         "pass year=1 or year=5")
    year = int(year)
    if year not in POLISH_YEARS and source is None:
        raise InputError("year", f"one of {POLISH_YEARS} (the bundled years)", year,
                         "pass year=1 or year=5, or source=<path of another year's ARFF>")
    path = _locate(year, source)
    df = read_arff(path)
    if "class" not in df.columns:
        raise FileFormatError(path, "no 'class' attribute", fix="pass a Polish bankruptcy ARFF")
    cls = df.pop("class")
    bad = ~cls.isin(["0", "1"])
    if bad.any():
        raise FileFormatError(path, f"class values other than 0/1: {sorted(set(cls[bad]))[:5]}",
                              field="class", fix="pass an unmodified Polish bankruptcy file")
    y = cls.astype("int64").rename("bankrupt")
    expected = [f"Attr{i}" for i in range(1, 65)]
    if list(df.columns) != expected:
        raise FileFormatError(path, f"attributes {list(df.columns)[:3]}... instead of "
                              "Attr1..Attr64", fix="pass an unmodified Polish bankruptcy file")
    if check_counts and source is None:
        n, n_bad = POLISH_COUNTS[year]
        if len(df) != n or int(y.sum()) != n_bad:
            raise FileFormatError(path, f"{len(df)} rows / {int(y.sum())} bankrupt instead of "
                                  f"UCI's {n} / {n_bad}", fix="restore the original file")
    df.index = pd.RangeIndex(len(df), name="firm")
    y.index = df.index
    return df, y


def polish_attributes() -> pd.DataFrame:
    """Definitions of ``Attr1`` … ``Attr64``: columns ``attribute``, ``uci_name``, ``definition``
    (indexed by ``attribute``)."""
    for base in (POLISH_DIR, external_dir("polish_bankruptcy")):
        if base is not None and (base / "attributes.csv").exists():
            df = pd.read_csv(base / "attributes.csv", dtype=str)
            return df.set_index("attribute", drop=False)
    raise InputError("attributes.csv", "the Polish attribute definitions", "not found",
                     "restore datasets/polish_bankruptcy/attributes.csv")
