"""The company configuration file ``creditlab.toml``: who you are, where your exports are and how
to read them.

``creditlab init [DIR]`` writes a commented template (:func:`init_config`); :func:`load_config`
reads and checks it (:class:`CompanyConfig`); :func:`creditlab.reports.check_config` reads every input file it
names and returns every problem at once (``creditlab check --config FILE``), the dry run to do
before scheduling the reports. The reports take ``--config FILE`` (the ``config`` parameter of
the report notebooks, passed to :func:`creditlab.reports.load_inputs`).

Sections
--------
``[company]``
    ``name`` (raison sociale), ``address``, ``siren``, ``phone``, ``email``, ``iban``, ``logo``:
    the sender of the letters and the header of the reports.
``[inputs]``
    One path per table (``invoices``, ``payments``, ``customers``, ``disputes``, ``orders``,
    ``events``, ``financial_statements``), relative to the configuration file's folder; or
    ``fec`` (with ``fec_terms_days``) instead of invoices and payments.
``[columns.TABLE]``
    ``"header in your file" = "canonical column"``.
``[values.TABLE.COLUMN]``
    ``"your code" = "canonical code"`` (e.g. ``"AV" = "credit_note"``).
``[formats]`` (and ``[formats.TABLE]`` for one table)
    ``date_order``, ``decimal``, ``thousands``, ``encoding``, ``header_row``; each optional
    (see :func:`creditlab.io.check_formats`).
``[dunning]``, ``[limits]``
    ``policy = "file.toml"``: the dunning policy and the credit policy files.
``[calibration]``
    The score-calibration report's sample: ``applications = "file.csv"`` (CSV or Parquet, one
    row per application or firm), ``target`` (its default column), ``positive`` (the label of
    a default when the target is text), ``date_column`` (out-of-time test), ``id_column``
    (the customer, for the migration matrix), ``initial_auc`` (AUC at the initial validation),
    ``default_rates`` (a CSV ``year,default_rate``: long-run average), ``moc`` (margin of
    conservatism in PD points).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from creditlab.exceptions import InputError
from creditlab.io.readers import check_formats

__all__ = ["CompanyConfig", "load_config", "init_config", "CONFIG_NAME",
           "CONFIG_TEMPLATE"]

CONFIG_NAME = "creditlab.toml"
_TABLES = ("invoices", "payments", "customers", "disputes", "orders", "events",
           "financial_statements")
_SECTIONS = ("company", "inputs", "columns", "values", "formats", "dunning", "limits",
             "calibration")
_CALIBRATION_KEYS = ("applications", "target", "positive", "date_column", "id_column",
                     "initial_auc", "default_rates", "moc")
_CALIBRATION_NUMBERS = {"initial_auc": (0.0, 1.0), "moc": (0.0, 1.0)}
_COMPANY_KEYS = ("name", "address", "siren", "phone", "email", "iban", "logo")

CONFIG_TEMPLATE = '''\
# creditlab.toml : configuration de votre société pour creditlab.
# Les chemins sont relatifs au dossier de ce fichier. Vérifiez-le avec :
#     creditlab check --config creditlab.toml --as-of 2025-12-31
# puis planifiez les rapports (voir le README, « Vos propres fichiers »).

[company]
# Expéditeur des lettres de relance et en-tête des rapports.
name = "Ma Société SAS"              # raison sociale
address = "1 rue de l'Exemple, 75001 Paris"
siren = "123456789"                  # 9 chiffres
phone = "01 23 45 67 89"
email = "recouvrement@example.fr"
iban = ""                            # pour les règlements par virement
logo = ""                            # chemin d'une image PNG (facultatif)

[inputs]
# Un fichier par table (CSV, Excel ou Parquet). Seules les factures sont obligatoires ;
# les règlements aussi, sauf si le fichier des factures donne le reste dû de chaque pièce
# (colonne open_amount) ou sa date de règlement (colonne settled_date).
invoices = "factures.csv"
payments = "reglements.csv"
# Ou, à la place des factures et règlements, votre FEC (comptes 411 et 416, lettrage) :
# fec = "123456789FEC20251231.txt"
# fec_terms_days = 30                # délai de paiement des factures du FEC, en jours
# customers = "clients.csv"          # raison sociale, conditions de paiement, limites
# disputes = "litiges.csv"           # litiges datés (sinon : la colonne « litige » des factures)
# orders = "commandes.csv"
# events = "procedures.csv"          # procédures collectives
# financial_statements = "bilans.csv"

# [columns.invoices]
# Vos en-têtes (à gauche) vers les noms de creditlab (à droite), quand ils ne sont pas
# reconnus d'eux-mêmes. Colonnes utiles : invoice_id, customer_id, issue_date, due_date,
# amount_ttc (obligatoires) ; doc_type, amount_ht, open_amount, settled_date, disputed.
# "N° pièce" = "invoice_id"
# "Compte tiers" = "customer_id"

# [values.invoices.doc_type]
# Vos codes (à gauche) vers ceux de creditlab : invoice (facture), credit_note (avoir).
# Sans type de pièce, un montant négatif est un avoir.
# "FA" = "invoice"
# "AV" = "credit_note"

[formats]
# Facultatifs : détectés sur tout le fichier quand c'est sans ambiguïté ; sinon creditlab
# s'arrête en nommant la colonne et le réglage à ajouter ici.
# date_order = "JJ/MM/AAAA"          # ou "MM/JJ/AAAA" (exports américains)
# decimal = ","                      # ou "."
# thousands = " "                    # " ", ".", "," ou "" (aucun)
# encoding = "cp1252"                # ou "utf-8"
# header_row = 1                     # ligne des en-têtes (3 si deux lignes de titre)

# [formats.payments]                 # réglages propres à un fichier
# decimal = "."

[dunning]
# policy = "relances.toml"           # politique de relance (sinon : celle fournie)

[limits]
# policy = "credit.toml"             # politique de crédit (sinon : celle fournie)

# [calibration]                      # rapport de calibration d'un score
# applications = "demandes.csv"      # échantillon : une ligne par demande ou entreprise
# target = "defaut"                  # colonne cible (0/1, ou libellés avec positive)
# positive = "bad"                   # libellé de la défaillance d'une cible texte
# date_column = "date"               # test hors période ; id_column = "client" : migrations
# initial_auc = 0.78                 # AUC de la validation initiale (test de sa baisse)
# default_rates = "taux_defaut.csv"  # historique year,default_rate (moyenne de long terme)
# moc = 0.002                        # marge de conservatisme en points de PD
'''


@dataclass(frozen=True)
class CompanyConfig:
    """A checked ``creditlab.toml``.

    Attributes
    ----------
    path : Path
        The file read (absolute).
    company : dict
        ``[company]`` values (text).
    inputs : dict of str to Path
        ``[inputs]`` resolved against the file's folder.
    columns, values, formats : dict
        Per table (``formats`` also has the keys shared by every file).
    dunning_policy, limits_policy : Path or None
        ``[dunning] policy`` and ``[limits] policy`` resolved.
    calibration : dict
        ``[calibration]``: ``applications`` (a Path, resolved), ``target``, ``positive``,
        ``date_column`` (text).
    """

    path: Path
    company: dict = field(default_factory=dict)
    inputs: dict = field(default_factory=dict)
    columns: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)
    formats: dict = field(default_factory=dict)
    dunning_policy: Path | None = None
    limits_policy: Path | None = None
    fec_terms_days: int | None = None
    calibration: dict = field(default_factory=dict)

    def formats_for(self, table: str) -> dict:
        """The ``[formats]`` of one table: the shared keys, then ``[formats.TABLE]``."""
        shared = {k: v for k, v in self.formats.items() if not isinstance(v, dict)}
        return {**shared, **self.formats.get(table, {})}


def _section(data: dict, name: str, path: Path) -> dict:
    sec = data.get(name, {})
    if not isinstance(sec, dict):
        raise InputError(f"{path.name} [{name}]", "a section (a [name] line and key = value "
                         "lines)", type(sec).__name__, f"write [{name}] on its own line")
    return sec


def _tables_only(sec: dict, name: str, path: Path) -> None:
    for table in sec:
        if table not in _TABLES:
            raise InputError(f"{path.name} [{name}.{table}]", f"a table among {list(_TABLES)}",
                             table, f"rename the section [{name}.{table}]")


def load_config(path) -> CompanyConfig:
    """Read and check ``creditlab.toml`` (sections, keys, table names; not the input files).

    Raises
    ------
    InputError
        Missing file, TOML syntax error (with its line), unknown section, key or table.
    """
    path = Path(path).resolve()
    if not path.is_file():
        raise InputError("config", f"an existing {CONFIG_NAME} file", str(path),
                         "create it with 'creditlab init DIR' or check the path")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise InputError(path.name, "valid TOML", str(err),
                         'correct that line (text values are quoted: name = "Ma Société")'
                         ) from None
    except UnicodeDecodeError as err:
        raise InputError(path.name, "a UTF-8 text file", f"byte at offset {err.start}",
                         "save the file as UTF-8") from None
    unknown = sorted(set(data) - set(_SECTIONS))
    if unknown:
        raise InputError(path.name, f"sections among {list(_SECTIONS)}", unknown,
                         "remove or rename these sections")
    base = path.parent
    company = _section(data, "company", path)
    bad = sorted(set(company) - set(_COMPANY_KEYS))
    if bad:
        raise InputError(f"{path.name} [company]", f"keys among {list(_COMPANY_KEYS)}", bad,
                         "remove or rename these keys")
    inputs_sec = _section(data, "inputs", path)
    bad = sorted(set(inputs_sec) - set(_TABLES) - {"fec", "fec_terms_days"})
    if bad:
        raise InputError(f"{path.name} [inputs]", f"keys among {list(_TABLES)}", bad,
                         "one line per table, e.g. invoices = \"factures.csv\"")
    terms = inputs_sec.pop("fec_terms_days", None)
    if terms is not None and (not isinstance(terms, int) or terms < 0):
        raise InputError(f"{path.name} [inputs] fec_terms_days", "a whole number of days",
                         terms, "write fec_terms_days = 30")
    inputs = {k: (base / str(v)) for k, v in inputs_sec.items() if str(v).strip()}
    columns = _section(data, "columns", path)
    values = _section(data, "values", path)
    _tables_only(columns, "columns", path)
    _tables_only(values, "values", path)
    formats = _section(data, "formats", path)
    _tables_only({k: v for k, v in formats.items() if isinstance(v, dict)}, "formats", path)

    check_formats({k: v for k, v in formats.items() if not isinstance(v, dict)})
    for v in formats.values():
        if isinstance(v, dict):
            check_formats(v)

    def policy(name):
        sec = _section(data, name, path)
        bad = sorted(set(sec) - {"policy"})
        if bad:
            raise InputError(f"{path.name} [{name}]", "the key policy", bad,
                             f'write policy = "{name}.toml"')
        return base / sec["policy"] if sec.get("policy") else None

    calib = _section(data, "calibration", path)
    bad = sorted(set(calib) - set(_CALIBRATION_KEYS))
    if bad:
        raise InputError(f"{path.name} [calibration]", f"keys among {list(_CALIBRATION_KEYS)}",
                         bad, 'e.g. applications = "demandes.csv" and target = "defaut"')
    for k, (lo, hi) in _CALIBRATION_NUMBERS.items():
        v = calib.get(k)
        if v is not None and (isinstance(v, bool) or not isinstance(v, int | float)
                              or not lo <= v <= hi):
            raise InputError(f"{path.name} [calibration] {k}", f"a number in [{lo:g}, {hi:g}]",
                             v, f"e.g. {k} = {0.78 if k == 'initial_auc' else 0.002}")
    calib = {k: (base / str(v) if k in ("applications", "default_rates")
                 else float(v) if k in _CALIBRATION_NUMBERS else str(v))
             for k, v in calib.items()}
    return CompanyConfig(path=path, company={k: str(v) for k, v in company.items()},
                         inputs=inputs, columns=columns, values=values, formats=formats,
                         dunning_policy=policy("dunning"), limits_policy=policy("limits"),
                         fec_terms_days=terms, calibration=calib)


def init_config(directory=".", *, overwrite: bool = False) -> Path:
    """Write the commented template ``creditlab.toml`` into ``directory`` (created if needed).

    Raises
    ------
    InputError
        The file exists (``overwrite=False``) or ``directory`` is a file.
    """
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise InputError("DIR", "a folder", f"{directory} is a file", "pass a folder name")
    target = directory / CONFIG_NAME
    if target.exists() and not overwrite:
        raise InputError("DIR", f"a folder without {CONFIG_NAME}", str(target),
                         "edit the existing file, or move it away first")
    directory.mkdir(parents=True, exist_ok=True)
    target.write_text(CONFIG_TEMPLATE, encoding="utf-8")
    return target
