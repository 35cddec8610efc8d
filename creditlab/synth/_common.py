"""Constants, vocabularies and small helpers of the demo generator."""

from __future__ import annotations

import numpy as np
import pandas as pd

DEMO_SEED = 2025
DEMO_START = pd.Timestamp("2024-01-01")
DEMO_AS_OF = pd.Timestamp("2025-12-31")
DEMO_N_CUSTOMERS = 400
DEMO_FISCAL_YEARS = (2022, 2023, 2024)
#: French standard VAT rate; invoices to customers outside France are issued without VAT
#: (intra-EU reverse charge), so their TTC equals their HT.
VAT_RATE = 0.20

# --------------------------------------------------------------------------- vocabularies
_SECTORS = np.array(["industrie", "commerce_gros", "construction", "transport", "services",
                     "commerce_detail"])
_SECTOR_P = np.array([0.36, 0.20, 0.15, 0.10, 0.12, 0.07])
_NAF = {
    "industrie": ["25.62A", "25.11Z", "28.41Z", "22.29A", "27.12Z", "29.32Z"],
    "commerce_gros": ["46.69B", "46.72Z", "46.74A", "46.14Z"],
    "construction": ["43.21A", "41.20A", "43.99C", "42.11Z"],
    "transport": ["49.41A", "52.29B", "49.41B"],
    "services": ["71.12B", "33.12Z", "62.02A", "81.22Z"],
    "commerce_detail": ["47.52A", "47.54Z", "47.78C"],
}
_NAME_PREFIX = {
    "industrie": ["Mécanique", "Usinage", "Chaudronnerie", "Plasturgie", "Électro", "Forges"],
    "commerce_gros": ["Distribution", "Négoce", "Comptoir", "Fournitures"],
    "construction": ["Bâtiment", "Constructions", "Électricité", "Travaux"],
    "transport": ["Transports", "Logistique", "Messageries"],
    "services": ["Maintenance", "Ingénierie", "Services", "Études"],
    "commerce_detail": ["Quincaillerie", "Bricolage", "Outillage"],
}
_SURNAMES = np.array([
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Lefèvre", "Mercier", "Dupont", "Lambert",
    "Bonnet", "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc",
    "Guérin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu", "Clément",
    "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin", "Masson", "Sanchez",
    "Gérard", "Nguyen", "Boyer", "Denis", "Lemaire", "Duval", "Joly", "Gautier", "Roger",
    "Rhône", "Loire", "Atlantique", "Alpes", "Provence", "Normandie", "Bretagne", "Vosges",
])
_SIZES = np.array(["micro", "pme", "eti", "ge"])
_SIZE_P = np.array([0.24, 0.53, 0.19, 0.04])
#: Median turnover (EUR) of a customer by size class.
_SIZE_REVENUE = np.array([0.9e6, 7e6, 110e6, 1.6e9])
#: Mean number of invoices per month we issue to a customer, by size class.
_SIZE_INVOICES = np.array([0.9, 2.4, 5.0, 8.0])
#: Median invoice amount HT (EUR), by size class.
_SIZE_TICKET = np.array([900.0, 3200.0, 9000.0, 21000.0])
_REPS = np.array(["Claire Martin", "Julien Petit", "Sophie Bernard", "Karim Haddad",
                  "Élodie Moreau", "Thomas Girard", "Nadia Benali", "Pierre Lefèvre"])
_LEGAL_FORMS = np.array(["SAS", "SARL", "SA", "SAS", "SARL", "SASU", "EURL"])
#: Seasonality of our sales by calendar month (August quiet, autumn busy).
_SEASON = np.array([0.92, 0.97, 1.07, 1.03, 1.02, 1.05, 0.88, 0.55, 1.06, 1.14, 1.12, 0.93])
_DISPUTE_CAUSES = np.array(["price", "quantity", "quality", "delivery", "administrative"])
_DISPUTE_P = np.array([0.30, 0.20, 0.24, 0.16, 0.10])


# --------------------------------------------------------------------------- helpers
def _days(ts: pd.Timestamp) -> int:
    """Days since 1970-01-01."""
    return int(np.datetime64(pd.Timestamp(ts).date(), "D").astype("int64"))


def _to_dates(days: np.ndarray) -> np.ndarray:
    """Day numbers (int, NaT as int64 min) to datetime64[ns]."""
    return np.asarray(days, dtype="int64").astype("datetime64[D]").astype("datetime64[ns]")


def _month_end(days: np.ndarray) -> np.ndarray:
    """Day number of the last day of the month of each day number."""
    m = np.asarray(days, dtype="int64").astype("datetime64[D]").astype("datetime64[M]")
    return ((m + 1).astype("datetime64[D]") - 1).astype("int64")


def _ids(prefix: str, years: np.ndarray, width: int = 7) -> pd.Series:
    """``PREFIXyyyy-nnnnnnn`` numbers, consecutive within each year in the given order."""
    years = np.asarray(years, dtype="int64")
    n = years.size
    if n == 0:
        return pd.Series([], dtype="str")
    order = np.argsort(years, kind="stable")
    ys = years[order]
    first = np.r_[0, np.flatnonzero(np.diff(ys)) + 1]
    start = np.repeat(first, np.diff(np.r_[first, n]))
    seq = np.empty(n, dtype="int64")
    seq[order] = np.arange(n) - start + 1
    return (prefix + pd.Series(years).astype("str") + "-"
            + pd.Series(seq).astype("str").str.zfill(width))


def _siren(rng: np.random.Generator, n: int) -> np.ndarray:
    """Fictional 9-digit SIREN numbers with a valid Luhn key (INSEE rule), unique."""
    base = rng.choice(np.arange(10_000_000, 99_999_999), size=n, replace=False)
    digits = (base[:, None] // 10 ** np.arange(7, -1, -1)) % 10          # 8 digits, left first
    # Luhn on 9 digits: double every 2nd digit from the right (the key is position 9)
    dbl = digits.copy()
    dbl[:, 1::2] *= 2
    dbl = np.where(dbl > 9, dbl - 9, dbl)
    key = (10 - dbl.sum(axis=1) % 10) % 10
    return (base * 10 + key).astype("str")


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))
