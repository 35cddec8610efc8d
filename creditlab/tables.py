"""The canonical data model: every table creditlab reads, with its columns.

This module is the single source of truth for table and column names, types, units and French
labels. Schemas (``creditlab.io.schemas``), readers, the demo generator and
``datasets/README.md`` are all derived from it. It imports nothing of creditlab but the errors,
so the readers (:mod:`creditlab.io`, which re-exports it as ``creditlab.io.tables``), the demo
generator and every computation package can build on it without importing one another.

Conventions
-----------
- Column names are English snake_case; amounts are float64 euros.
- ``_ttc`` amounts include VAT, ``_ht`` amounts exclude it.
- Invoice amounts are *signed*: invoices positive, credit notes (avoirs) negative.
- Payment amounts are positive (cash received); a refund is a negative payment.
- Dates are ``datetime64`` at day precision, no time zone.
- Financial-statement lines are positive numbers in euros, as printed in French accounts
  (PCG), except the few that are signed by nature (``change_*``, ``production_stocked``,
  ``net_income``, ``retained_earnings``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from creditlab.exceptions import InputError

__all__ = [
    "Column",
    "Table",
    "TABLES",
    "PAYMENT_TERMS",
    "DISPUTE_CAUSES",
    "EVENT_TYPES",
    "SECTORS",
    "SIZE_CLASSES",
    "DOC_TYPES",
    "ORDER_STATUSES",
    "PAYMENT_METHODS",
    "columns_of",
    "required_columns",
    "FS_IDENTITIES",
    "FS_TOLERANCE",
]

#: Payment-term codes (a contract attribute). ``eom45_a`` = "fin de mois + 45 jours"
#: (end of invoice month, then +45 days); ``eom45_b`` = "45 jours puis fin de mois"
#: (+45 days, then end of that month). See DOMAIN.md §7.1.
PAYMENT_TERMS = (
    "cash",        # comptant
    "net_30",      # 30 jours date de facture
    "net_45",      # 45 jours date de facture (periodic invoices)
    "net_60",      # 60 jours date de facture
    "eom45_a",     # fin de mois + 45 jours
    "eom45_b",     # 45 jours puis fin de mois
    "transport_30",  # transport: 30 jours date de facture (public order, L441-11 II)
)
DOC_TYPES = ("invoice", "credit_note")
DISPUTE_CAUSES = ("price", "quantity", "quality", "delivery", "administrative")
EVENT_TYPES = ("sauvegarde", "redressement", "liquidation")
#: Sector groups (AFDCC 3 / NAF rév. 2 groups).
SECTORS = ("industrie", "commerce_gros", "commerce_detail", "construction", "transport", "services")
#: Size classes (French LME 2008 categories).
SIZE_CLASSES = ("micro", "pme", "eti", "ge")
ORDER_STATUSES = ("accepted", "shipped")
PAYMENT_METHODS = ("virement", "cheque", "lcr", "prelevement", "carte", "compensation")


@dataclass(frozen=True)
class Column:
    """One column of a canonical table."""

    name: str
    dtype: str  # "str", "float", "int", "date", "bool"
    label_fr: str
    description: str
    unit: str = ""
    required: bool = True
    nullable: bool = False
    unique: bool = False
    choices: tuple[str, ...] | None = None
    min_value: float | None = None
    example: str = ""
    #: False for a column read only when a file has it (not in ``columns_of``, never added).
    listed: bool = True


@dataclass(frozen=True)
class Table:
    """A canonical table: its name, French label, key and columns."""

    name: str
    label_fr: str
    description: str
    key: tuple[str, ...]
    columns: tuple[Column, ...] = field(default_factory=tuple)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def _c(name, dtype, label_fr, description, **kw) -> Column:
    return Column(name=name, dtype=dtype, label_fr=label_fr, description=description, **kw)


def _amount(name, label_fr, description, *, required=True, signed=False, example="0"):
    return _c(name, "float", label_fr, description, unit="EUR", required=required,
              nullable=not required, min_value=None if signed else 0.0, example=example)


CUSTOMERS = Table(
    "customers", "clients", "One row per customer account.", key=("customer_id",),
    columns=(
        _c("customer_id", "str", "code client", "Customer account id (unique).", unique=True,
           example="C00042"),
        _c("name", "str", "raison sociale", "Legal name.", example="Mécanique Dupont SAS"),
        _c("siren", "str", "SIREN", "French company id, 9 digits.", required=False,
           nullable=True, example="552100554"),
        _c("naf_code", "str", "code NAF", "NAF rév. 2 activity code.", required=False,
           nullable=True, example="25.62A"),
        _c("sector", "str", "secteur", "Sector group.", choices=SECTORS, example="industrie"),
        _c("size_class", "str", "taille", "Size class: micro, pme, eti, ge.",
           choices=SIZE_CLASSES, example="pme"),
        _c("segment", "str", "segment", "Commercial segment (free text).", example="grands comptes"),
        _c("country", "str", "pays", "ISO 3166 alpha-2 country code.", required=False,
           nullable=True, example="FR"),
        _c("founded_date", "date", "date de création", "Date the company was created.",
           required=False, nullable=True, example="2008-03-14"),
        _c("customer_since", "date", "client depuis", "Date of the account opening.",
           required=False, nullable=True, example="2019-01-10"),
        _c("payment_terms", "str", "conditions de paiement", "Contractual payment-term code.",
           choices=PAYMENT_TERMS, example="net_60"),
        _c("credit_limit", "float", "limite de crédit", "Granted credit limit (TTC).", unit="EUR",
           required=False, nullable=True, min_value=0.0, example="50000"),
        _c("insurer_agreement", "float", "agrément assureur",
           "Credit insurer's agreement (limit) on this buyer; 0 = refused/cancelled; empty = not insured.",
           unit="EUR", required=False, nullable=True, min_value=0.0, example="40000"),
        _c("sales_rep", "str", "commercial", "Sales representative in charge.", required=False,
           nullable=True, example="Claire Martin"),
    ),
)

INVOICES = Table(
    "invoices", "factures", "Invoices and credit notes (one row per document).",
    key=("invoice_id",),
    columns=(
        _c("invoice_id", "str", "n° de pièce", "Document number (unique).", unique=True,
           example="F2024-000123"),
        _c("customer_id", "str", "code client", "Customer account id.", example="C00042"),
        _c("doc_type", "str", "type de pièce", "invoice or credit_note; absent or empty: "
           "invoice when amount_ttc >= 0, credit_note when negative.", choices=DOC_TYPES,
           required=False, example="invoice"),
        _c("issue_date", "date", "date de facture", "Issue date.", example="2024-03-15"),
        _c("due_date", "date", "date d'échéance", "Due date (on or after issue date).",
           example="2024-05-14"),
        _amount("amount_ttc", "montant TTC",
                "Amount incl. VAT; positive for invoices, negative for credit notes.", signed=True,
                example="1200.00"),
        _amount("amount_ht", "montant HT", "Amount excl. VAT, same sign as amount_ttc "
                "(optional: only the HT-based KPIs use it).", signed=True, required=False,
                example="1000.00"),
        _c("currency", "str", "devise", "ISO 4217 currency code.", required=False, nullable=True,
           example="EUR"),
        _c("related_invoice_id", "str", "facture d'origine",
           "For a credit note: the invoice it corrects (empty if none).", required=False,
           nullable=True, example="F2024-000100"),
        _c("disputed", "bool", "litige", "True when the document is in dispute.", required=False,
           example="False"),
        _c("dispute_cause", "str", "motif de litige", "Cause of the dispute, if any.",
           required=False, nullable=True, choices=DISPUTE_CAUSES, example="price"),
        _c("open_amount", "float", "reste dû",
                "Amount still open at the export date (open-items export; signed like "
                "amount_ttc). With it, no payments file is needed: the settled part counts as "
                "paid at the reporting date.", unit="EUR", required=False, nullable=True,
                listed=False, example="200.00"),
        _c("settled_date", "date", "date de règlement",
           "Date the document was fully settled (empty: still open). With it, no payments "
           "file is needed.", required=False, nullable=True, listed=False,
           example="2024-05-20"),
    ),
)

PAYMENTS = Table(
    "payments", "règlements",
    "Cash received, one row per allocation line: a payment settling several invoices has several "
    "rows with the same payment_id; invoice_id empty = unallocated cash on account.",
    key=("payment_id", "invoice_id"),
    columns=(
        _c("payment_id", "str", "n° de règlement", "Payment id (repeats across its allocation lines).",
           example="R2024-000077"),
        _c("customer_id", "str", "code client", "Customer account id.", example="C00042"),
        _c("payment_date", "date", "date de règlement", "Value date of the cash received.",
           example="2024-05-20"),
        _amount("amount", "montant", "Amount allocated by this line (TTC); negative = refund.",
                signed=True, example="1200.00"),
        _c("invoice_id", "str", "pièce lettrée", "Invoice settled by this line; empty = on account.",
           required=False, nullable=True, example="F2024-000123"),
        _c("method", "str", "mode de règlement", "Payment method.", required=False, nullable=True,
           choices=PAYMENT_METHODS, example="virement"),
    ),
)

ORDERS = Table(
    "orders", "commandes", "Orders accepted or shipped but not yet invoiced (the backlog).",
    key=("order_id",),
    columns=(
        _c("order_id", "str", "n° de commande", "Order id (unique).", unique=True,
           example="CDE-2024-0031"),
        _c("customer_id", "str", "code client", "Customer account id.", example="C00042"),
        _c("order_date", "date", "date de commande", "Date the order was accepted.",
           example="2024-06-03"),
        _amount("amount_ttc", "montant TTC", "Order amount incl. VAT.", example="5400.00"),
        _c("status", "str", "statut", "accepted (not shipped) or shipped (not invoiced).",
           choices=ORDER_STATUSES, example="accepted"),
        _c("ship_date", "date", "date d'expédition", "Shipping date (empty until shipped).",
           required=False, nullable=True, example="2024-06-10"),
    ),
)

DISPUTES = Table(
    "disputes", "litiges", "Disputes raised by customers on documents.", key=("dispute_id",),
    columns=(
        _c("dispute_id", "str", "n° de litige", "Dispute id (unique).", unique=True,
           example="L-0007"),
        _c("invoice_id", "str", "n° de pièce", "Disputed document.", example="F2024-000123"),
        _c("customer_id", "str", "code client", "Customer account id.", example="C00042"),
        _c("opened_date", "date", "date d'ouverture", "Date the dispute was raised.",
           example="2024-05-02"),
        _c("closed_date", "date", "date de clôture", "Date it was resolved (empty = open).",
           required=False, nullable=True, example="2024-05-30"),
        _c("cause", "str", "motif", "price, quantity, quality, delivery, administrative.",
           choices=DISPUTE_CAUSES, example="quality"),
        _amount("amount_ttc", "montant contesté TTC", "Amount under dispute.", example="300.00"),
    ),
)

EVENTS = Table(
    "events", "procédures collectives", "Insolvency proceedings opened against customers.",
    key=("customer_id", "event_date", "event_type"),
    columns=(
        _c("customer_id", "str", "code client", "Customer account id.", example="C00042"),
        _c("event_type", "str", "procédure", "sauvegarde, redressement or liquidation.",
           choices=EVENT_TYPES, example="redressement"),
        _c("event_date", "date", "date du jugement", "Date of the opening judgment.",
           example="2024-09-12"),
        _c("source", "str", "source", "Where the information comes from (BODACC, ...).",
           required=False, nullable=True, example="BODACC"),
    ),
)

# Financial statements: one row per firm and fiscal year; French PCG aggregates.
_FS_IDS = (
    _c("customer_id", "str", "code client", "Firm id (the customer the accounts belong to).",
       example="C00042"),
    _c("fiscal_year", "int", "exercice", "Year in which the fiscal year ends.", example="2024"),
    _c("fiscal_year_end", "date", "date de clôture", "Closing date.", example="2024-12-31"),
    _c("months", "int", "durée (mois)", "Length of the fiscal year in months.", min_value=1,
       example="12"),
)

_FS_INCOME = (
    _amount("sales_goods", "ventes de marchandises", "PCG 707 (net of 7097).", example="400000"),
    _amount("production_sold", "production vendue", "PCG 701-706, 708 (net of 709x).",
            example="1100000"),
    _amount("production_stocked", "production stockée", "PCG 713 (change in WIP/finished goods).",
            signed=True, example="5000"),
    _amount("production_capitalised", "production immobilisée", "PCG 72.", example="0"),
    _amount("operating_subsidies", "subventions d'exploitation", "PCG 74.", example="0"),
    _amount("purchases_goods", "achats de marchandises", "PCG 607.", example="260000"),
    _amount("change_stock_goods", "variation de stock de marchandises",
            "PCG 6037: opening − closing stock (positive when stock decreases).", signed=True,
            example="-2000"),
    _amount("purchases_materials", "achats de matières premières et approvisionnements",
            "PCG 601, 602.", example="420000"),
    _amount("change_stock_materials", "variation de stock de matières",
            "PCG 6031, 6032: opening − closing stock.", signed=True, example="1000"),
    _amount("external_charges", "autres achats et charges externes", "PCG 604-606, 61, 62.",
            example="250000"),
    _amount("taxes", "impôts, taxes et versements assimilés", "PCG 63.", example="20000"),
    _amount("wages", "salaires et traitements", "PCG 641, 644.", example="260000"),
    _amount("social_charges", "charges sociales", "PCG 645-648.", example="110000"),
    _amount("operating_provisions", "dotations d'exploitation",
            "PCG 681: depreciation, amortisation and provisions (operating).", example="45000"),
    _amount("operating_reversals", "reprises d'exploitation", "PCG 781.", example="3000"),
    _amount("other_operating_income", "autres produits d'exploitation", "PCG 75.", example="1000"),
    _amount("other_operating_charges", "autres charges d'exploitation", "PCG 65.", example="2000"),
    _amount("financial_income", "produits financiers", "PCG 76 (excl. reversals 786).",
            example="500"),
    _amount("financial_reversals", "reprises financières", "PCG 786.", example="0"),
    _amount("interest_charges", "intérêts et charges assimilées", "PCG 661.", example="9000"),
    _amount("other_financial_charges", "autres charges financières",
            "PCG 66 excl. 661 (exchange losses, discounts granted ...).", example="1000"),
    _amount("financial_provisions", "dotations financières", "PCG 686.", example="0"),
    _amount("exceptional_income", "produits exceptionnels",
            "PCG 77 excl. 775 and 777.", example="0"),
    _amount("asset_disposal_proceeds", "produits des cessions d'éléments d'actif", "PCG 775.",
            example="0"),
    _amount("investment_subsidies_released", "quote-part des subventions virée au résultat",
            "PCG 777.", example="0"),
    _amount("exceptional_reversals", "reprises exceptionnelles", "PCG 787.", example="0"),
    _amount("exceptional_charges", "charges exceptionnelles", "PCG 67 excl. 675.", example="0"),
    _amount("book_value_disposed", "valeur comptable des éléments cédés", "PCG 675.",
            example="0"),
    _amount("exceptional_provisions", "dotations exceptionnelles", "PCG 687.", example="0"),
    _amount("employee_profit_sharing", "participation des salariés", "PCG 691.", example="0"),
    _amount("income_tax", "impôt sur les bénéfices", "PCG 695 (negative = tax credit).",
            signed=True, example="30000"),
    _amount("net_income", "résultat net", "Résultat de l'exercice; equals the income statement.",
            signed=True, example="90000"),
)

_FS_BALANCE = (
    _amount("intangible_assets_gross", "immobilisations incorporelles brutes", "PCG 20.",
            example="20000"),
    _amount("tangible_assets_gross", "immobilisations corporelles brutes", "PCG 21, 23.",
            example="600000"),
    _amount("financial_assets_gross", "immobilisations financières brutes", "PCG 26, 27.",
            example="10000"),
    _amount("depreciation_fixed_assets", "amortissements et dépréciations des immobilisations",
            "PCG 28, 29 (cumulated).", example="300000"),
    _amount("inventories", "stocks et en-cours (nets)", "PCG 31-37 net of 39.", example="180000"),
    _amount("trade_receivables", "clients et comptes rattachés (nets)",
            "PCG 411, 413, 416, 418 net of 491.", example="260000"),
    _amount("other_receivables", "autres créances", "PCG 409, 42-48 debit balances.",
            example="30000"),
    _amount("marketable_securities", "valeurs mobilières de placement", "PCG 50.", example="0"),
    _amount("cash", "disponibilités", "PCG 51 (debit), 53.", example="60000"),
    _amount("prepaid_expenses", "charges constatées d'avance", "PCG 486.", example="5000"),
    _amount("total_assets", "total actif (net)", "Total of the (net) balance sheet.",
            example="865000"),
    _amount("share_capital", "capital social", "PCG 101.", example="100000"),
    _amount("retained_earnings", "réserves et report à nouveau", "PCG 106, 11.", signed=True,
            example="200000"),
    _amount("investment_subsidies", "subventions d'investissement", "PCG 13.", example="0"),
    _amount("regulated_provisions", "provisions réglementées", "PCG 14.", example="0"),
    _amount("equity", "capitaux propres", "Total capitaux propres (PCG 10-14, incl. net income).",
            signed=True, example="390000"),
    _amount("provisions_risks", "provisions pour risques et charges", "PCG 15.", example="10000"),
    _amount("long_term_debt", "emprunts et dettes financières (hors concours courants)",
            "PCG 16, 17 (borrowings, excl. 519).", example="150000"),
    _amount("bank_overdrafts", "concours bancaires courants", "PCG 519 (and 512 credit).",
            example="20000"),
    _amount("customer_advances", "avances et acomptes reçus", "PCG 4191.", example="5000"),
    _amount("trade_payables", "dettes fournisseurs", "PCG 401, 403, 408.", example="180000"),
    _amount("tax_social_payables", "dettes fiscales et sociales", "PCG 42-44.", example="90000"),
    _amount("other_payables", "autres dettes (dont sur immobilisations)", "PCG 404, 45-47.",
            example="15000"),
    _amount("deferred_income", "produits constatés d'avance", "PCG 487.", example="5000"),
    _amount("total_liabilities", "total passif", "Equals total_assets.", example="865000"),
)

_FS_EXTRA = (
    _amount("discounted_bills", "effets escomptés non échus", "Liasse box YS (off balance sheet).",
            required=False, example="0"),
    _amount("market_value_equity", "capitalisation boursière",
            "Market value of equity (listed firms only; Altman Z 1968).", required=False,
            example=""),
    _c("headcount", "float", "effectif", "Average headcount.", required=False, nullable=True,
       min_value=0.0, example="25"),
)

FINANCIAL_STATEMENTS = Table(
    "financial_statements", "états financiers",
    "One row per firm and fiscal year: French PCG income-statement and balance-sheet aggregates.",
    key=("customer_id", "fiscal_year"),
    columns=_FS_IDS + _FS_INCOME + _FS_BALANCE + _FS_EXTRA,
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (CUSTOMERS, INVOICES, PAYMENTS, ORDERS, DISPUTES, FINANCIAL_STATEMENTS, EVENTS)
}


def _table(table: str) -> Table:
    try:
        return TABLES[table]
    except KeyError:
        raise InputError("table", f"one of {sorted(TABLES)}", table,
                         "pass the name of a canonical table") from None


def columns_of(table: str) -> list[str]:
    """Names of the columns of a canonical table, in order (without the columns read only
    when a file has them, such as ``invoices.open_amount``)."""
    return [c.name for c in _table(table).columns if c.listed]


def required_columns(table: str) -> list[str]:
    """Names of the required columns of a canonical table."""
    return [c.name for c in _table(table).columns if c.required]


#: Accounting identities every row of ``financial_statements`` satisfies, as
#: ``total: ((sign, column), ...)``. Used by the validator, the demo generator and
#: ``creditlab.statements``; a row breaking one by more than ``FS_TOLERANCE`` euros is invalid.
FS_IDENTITIES: dict[str, tuple[tuple[int, str], ...]] = {
    "total_assets": (
        (1, "intangible_assets_gross"), (1, "tangible_assets_gross"), (1, "financial_assets_gross"),
        (-1, "depreciation_fixed_assets"), (1, "inventories"), (1, "trade_receivables"),
        (1, "other_receivables"), (1, "marketable_securities"), (1, "cash"),
        (1, "prepaid_expenses"),
    ),
    "equity": (
        (1, "share_capital"), (1, "retained_earnings"), (1, "net_income"),
        (1, "investment_subsidies"), (1, "regulated_provisions"),
    ),
    "total_liabilities": (
        (1, "equity"), (1, "provisions_risks"), (1, "long_term_debt"), (1, "bank_overdrafts"),
        (1, "customer_advances"), (1, "trade_payables"), (1, "tax_social_payables"),
        (1, "other_payables"), (1, "deferred_income"),
    ),
    # the income statement, from revenue to net income (SIG chain in creditlab.statements)
    "net_income": (
        (1, "sales_goods"), (-1, "purchases_goods"), (-1, "change_stock_goods"),
        (1, "production_sold"), (1, "production_stocked"), (1, "production_capitalised"),
        (-1, "purchases_materials"), (-1, "change_stock_materials"), (-1, "external_charges"),
        (1, "operating_subsidies"), (-1, "taxes"), (-1, "wages"), (-1, "social_charges"),
        (1, "operating_reversals"), (1, "other_operating_income"), (-1, "operating_provisions"),
        (-1, "other_operating_charges"),
        (1, "financial_income"), (1, "financial_reversals"), (-1, "interest_charges"),
        (-1, "other_financial_charges"), (-1, "financial_provisions"),
        (1, "exceptional_income"), (1, "asset_disposal_proceeds"),
        (1, "investment_subsidies_released"), (1, "exceptional_reversals"),
        (-1, "exceptional_charges"), (-1, "book_value_disposed"), (-1, "exceptional_provisions"),
        (-1, "employee_profit_sharing"), (-1, "income_tax"),
    ),
}
#: Tolerance (euros) for the identities above: published accounts are rounded to the euro.
FS_TOLERANCE = 2.0
# total_assets == total_liabilities is checked as well (balance sheet balances).
