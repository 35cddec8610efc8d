"""Payment terms: due dates and their compliance with the French legal caps.

Term codes (``creditlab.io.tables.PAYMENT_TERMS`` plus generic forms):

===================  ==================================================================
``cash``             comptant: due on the invoice date
``net_N``            N days from the invoice date (``net_30``, ``net_45``, ``net_60`` ...)
``transport_30``     transport: 30 days from the invoice date (L441-11 II, public order)
``periodic_45``      periodic invoices: 45 days from the invoice date (CGI 289 I 3)
``eomN_a``           "fin de mois + N jours": end of the invoice month, then + N days
``eomN_b``           "N jours puis fin de mois": invoice date + N days, then end of that month
===================  ==================================================================

The two "45 jours fin de mois" computations are both lawful; the contract says which
(DOMAIN.md §7.1, service-public F23211): invoice of 2 Jan 2025 → A: 17 Mar 2025, B: 28 Feb 2025.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

import numpy as np
import pandas as pd

from creditlab._cache import reference_cache
from creditlab.exceptions import InputError
from creditlab.i18n import check_lang
from creditlab.legal.codes import TermBasis, TermKind, TermRegime
from creditlab.legal.rates import date_values
from creditlab.tables import SECTORS

__all__ = ["due_date", "due_days", "parse_terms", "check_terms", "TermsCheck", "term_caps",
           "term_regime"]

#: Sectors check_terms knows: "transport" has its own cap in ``payment_term_caps.csv``; the
#: other sector groups of the ``customers`` table (and "general") take the general caps.
_SECTORS = ("general", *SECTORS)

_CODE = re.compile(r"^(?:(cash)|(?:net|transport|periodic)_(\d{1,3})|eom(\d{1,3})_([ab]))$")
#: any "<word>_N" code: a regime prefix (checked against the known regimes)
_REGIME_CODE = re.compile(r"^([a-z][a-z_]*?)_(\d{1,3})$")
#: term-code prefixes naming a legal regime, with their cap (L441-11 II; L441-10 I / CGI 289)
_CODE_REGIMES = {"transport": TermRegime.TRANSPORT, "periodic": TermRegime.PERIODIC}


def term_regime(code: str) -> TermRegime | None:
    """The legal regime a term code names (``transport_30`` → transport, ``periodic_45`` →
    periodic), None for the general codes (``net_N``, ``eomN_a``, ``cash``).

    Raises
    ------
    InputError
        A ``<word>_N`` code whose word is not a known regime (``agri_60``): an unknown regime
        must not silently get the general cap.
    """
    text = str(code)
    m = _REGIME_CODE.match(text)
    if not m or m.group(1) in ("net",) or text.startswith("eom"):
        parse_terms(text)
        return None
    if m.group(1) not in _CODE_REGIMES:
        raise InputError("terms", f"a regime among {sorted(_CODE_REGIMES)} (or net_N, eomN_a, "
                         "eomN_b, cash)", code,
                         "map the contract's terms to a known regime; a sector agreement "
                         "needs its cap added to creditlab/data/payment_term_caps.csv")
    return _CODE_REGIMES[m.group(1)]


def parse_terms(code: str) -> tuple[str, int]:
    """``(kind, days)`` of a term code: kind is a :class:`~creditlab.legal.codes.TermKind`
    (``net``, ``eom_a`` or ``eom_b``, equal to those strings)."""
    m = _CODE.match(str(code)) if code is not None else None
    if not m:
        raise InputError("terms", "a payment-term code such as 'net_60', 'eom45_a', 'eom45_b', "
                         "'transport_30', 'periodic_45' or 'cash'", code,
                         "map your contract's terms to one of these codes")
    if m.group(1):
        return TermKind.NET, 0
    if m.group(2) is not None:
        return TermKind.NET, int(m.group(2))
    return TermKind(f"eom_{m.group(4)}"), int(m.group(3))


def _month_end(days: np.ndarray) -> np.ndarray:
    """Day number (days since 1970-01-01) of the last day of each day's month."""
    m = np.asarray(days, dtype="int64").astype("datetime64[D]").astype("datetime64[M]")
    return ((m + 1).astype("datetime64[D]") - 1).astype("int64")


def due_days(issue_days: np.ndarray, terms: np.ndarray) -> np.ndarray:
    """Vectorised core of :func:`due_date` on day numbers (int64 days since 1970-01-01)."""
    issue_days = np.asarray(issue_days, dtype="int64")
    terms = np.asarray(terms).astype(str)
    out = np.empty_like(issue_days)
    for code in np.unique(terms):                 # one pass per distinct code, not per invoice
        kind, n = parse_terms(code)
        m = terms == code
        d = issue_days[m]
        if kind == "net":
            out[m] = d + n
        elif kind == "eom_a":
            out[m] = _month_end(d) + n
        else:
            out[m] = _month_end(d + n)
    return out


def due_date(issue_date, terms):
    """Due date of invoices from their issue date and payment-term code.

    Parameters
    ----------
    issue_date : date-like or Series of dates
    terms : str or Series of str
        Term code(s) (see the module docstring); a scalar applies to every date.

    Returns
    -------
    Timestamp for scalar inputs, else a Series (index of ``issue_date`` when it is a Series).

    Raises
    ------
    InputError
        Unknown term code, missing or unparseable issue date.
    """
    scalar = np.ndim(issue_date) == 0 and np.ndim(terms) == 0
    idx = issue_date.index if isinstance(issue_date, pd.Series) else None
    dates = date_values(issue_date, "issue_date").reset_index(drop=True)
    if dates.isna().any():
        raise InputError("issue_date", "a date for every invoice", "missing value(s)",
                         "fill the invoice dates before computing due dates")
    t = np.full(len(dates), terms, dtype=object) if np.ndim(terms) == 0 else np.asarray(terms)
    if len(t) != len(dates):
        raise InputError("terms", f"one code or {len(dates)} codes", f"{len(t)} codes",
                         "pass one code per invoice or a single code")
    days = dates.to_numpy().astype("datetime64[D]").astype("int64")
    out = due_days(days, t).astype("datetime64[D]").astype("datetime64[ns]")
    if scalar:
        return pd.Timestamp(out[0])
    return pd.Series(out, index=idx, name="due_date")


@reference_cache(maxsize=1)
def term_caps() -> pd.DataFrame:
    """Legal caps on payment terms (``creditlab/data/payment_term_caps.csv``, with sources).

    A copy: editing it changes no later :func:`check_terms`.
    """
    with resources.files("creditlab.data").joinpath("payment_term_caps.csv").open(
            "r", encoding="utf-8") as f:
        return pd.read_csv(f)


@dataclass(frozen=True)
class TermsCheck:
    """Result of :func:`check_terms`: codes and numbers; :meth:`explain` says it in words.

    ``message`` is ``explain()`` in French (the trainees' language).
    """

    terms: str
    regime: TermRegime
    basis: TermBasis
    days: int
    max_days: int
    compliant: bool
    source: str

    @property
    def message(self) -> str:
        """:meth:`explain` in French."""
        return self.explain()

    def explain(self, lang: str = "fr") -> str:
        """One sentence: compliant or not, the cap and its basis, the source when not."""
        lang = check_lang(lang)
        terms, regime, max_days, ok = self.terms, str(self.regime), self.max_days, self.compliant
        if lang == "fr":
            what = {"general": "plafond légal", "periodic": "factures périodiques",
                    "transport": "transport"}[regime]
            return (f"{terms} : conforme ({what}, {max_days} jours max.)" if ok else
                    f"{terms} : NON conforme — {what} : {max_days} jours max. "
                    f"({'fin de mois' if self.basis == 'eom' else 'date de facture'}) ; "
                    f"{self.source}")
        return (f"{terms}: compliant ({regime} cap, {max_days} days max)" if ok else
                f"{terms}: NOT compliant — {regime} cap: {max_days} days max "
                f"({'end of month' if self.basis == 'eom' else 'from invoice date'}); "
                f"{self.source}")


def check_terms(terms: str, *, sector: str | None = None, periodic: bool = False) -> TermsCheck:
    """Check a contract's payment terms against the legal caps (L441-10 I, L441-11 II).

    Parameters
    ----------
    terms : str
        Term code (``net_75``, ``eom45_a`` ...).
    sector : str, optional
        ``"transport"`` applies the 30-day public-order cap of L441-11 II; None, ``"general"``
        or another sector group of the ``customers`` table (``industrie``, ``commerce_gros``...)
        the general caps. Any other value raises (a misspelt sector must not silently get the
        general 60-day cap).
    periodic : bool
        Periodic invoices (CGI 289 I 3): 45 days from the invoice date.

    Notes
    -----
    A code naming its regime is checked against that regime's cap whatever ``sector`` says:
    ``transport_N`` against 30 days (L441-11 II), ``periodic_N`` against 45 days (CGI 289 I 3,
    L441-10 I); an unknown ``<word>_N`` regime raises :class:`InputError`.
    "N jours fin de mois" terms are compared with the 45-days-end-of-month cap (either
    computation); net terms with 60 days (general), 45 days (periodic) or 30 days (transport).
    An end-of-month term in transport or on periodic invoices is not compliant: those caps count
    from the invoice date.
    """
    code_regime = term_regime(terms)
    kind, n = parse_terms(terms)
    if sector is not None:
        if not isinstance(sector, str) or sector.strip().lower() not in _SECTORS:
            raise InputError("sector", f"None or one of {list(_SECTORS)}", sector,
                             "use 'transport' for road haulage, vehicle rental and freight "
                             "forwarding (L441-11 II), the customer's sector group, or "
                             "sector=None")
        sector = sector.strip().lower()
    caps = term_caps.shared().set_index(["regime", "basis"])
    if code_regime is not None:
        # the code names its regime: its own cap (transport_45 is not a general 45-day term)
        if ((sector == "transport" and code_regime != TermRegime.TRANSPORT)
                or (periodic and code_regime != TermRegime.PERIODIC)):
            raise InputError("terms", f"a code consistent with sector={sector!r}, "
                             f"periodic={periodic}", terms,
                             "use net_N with sector/periodic, or the regime code alone")
        regime, basis = code_regime, TermBasis.NET
    elif sector == "transport":
        regime, basis = TermRegime.TRANSPORT, TermBasis.NET
    elif periodic:
        regime, basis = TermRegime.PERIODIC, TermBasis.NET
    else:
        regime = TermRegime.GENERAL
        basis = TermBasis.NET if kind == TermKind.NET else TermBasis.EOM
    row = caps.loc[(regime, basis)]
    max_days = int(row["max_days"])
    ok = n <= max_days and (basis == "eom" or kind == "net")
    return TermsCheck(str(terms), regime, basis, n, max_days, bool(ok), str(row["source"]))
