"""Named errors of creditlab.

Every message says which parameter or column is wrong, what was expected, what was got and how
to fix it. Interactive calls raise these; batch entry points record them per row and carry on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "CreditlabError",
    "InputError",
    "Problem",
    "ValidationError",
    "FileFormatError",
    "ReferenceDataError",
    "ReportError",
]


class CreditlabError(Exception):
    """Base class of every error raised on purpose by creditlab."""


class InputError(CreditlabError, ValueError):
    """A parameter or a column has a value creditlab cannot use.

    Parameters
    ----------
    name : str
        The parameter or column at fault.
    expected : str
        What was expected, in plain words.
    got : object
        What was received (shown with ``repr``).
    fix : str, optional
        How to fix it.
    """

    def __init__(self, name: str, expected: str, got: object = None, fix: str | None = None):
        self.name = name
        self.expected = expected
        self.got = got
        self.fix = fix
        msg = f"{name}: expected {expected}"
        if got is not None:
            msg += f", got {got!r}"
        if fix:
            msg += f". Fix: {fix}"
        super().__init__(msg)


@dataclass(frozen=True)
class Problem:
    """One problem found while validating a table."""

    table: str
    column: str | None
    check: str
    message: str
    fix: str
    rows: tuple = ()

    def __str__(self) -> str:
        where = f"{self.table}.{self.column}" if self.column else self.table
        rows = ""
        if self.rows:
            shown = ", ".join(str(r) for r in self.rows[:5])
            more = f" (+{len(self.rows) - 5} more)" if len(self.rows) > 5 else ""
            rows = f" [rows: {shown}{more}]"
        return f"{where}: {self.message}{rows}. Fix: {self.fix}"


class ValidationError(CreditlabError, ValueError):
    """A table failed validation; ``problems`` lists every problem found at once."""

    def __init__(self, table: str, problems: Iterable[Problem]):
        self.table = table
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"table {table!r} has {len(self.problems)} problem(s):\n{lines}")


class FileFormatError(CreditlabError, ValueError):
    """A file cannot be read; the message names the file, the line and the field."""

    def __init__(self, path: object, message: str, line: int | None = None, field: str | None = None,
                 fix: str | None = None):
        self.path = str(path)
        self.line = line
        self.field = field
        where = self.path
        if line is not None:
            where += f", line {line}"
        if field is not None:
            where += f", field {field!r}"
        msg = f"{where}: {message}"
        if fix:
            msg += f". Fix: {fix}"
        super().__init__(msg)


class ReferenceDataError(CreditlabError, LookupError):
    """A date or key falls outside a reference table (rates, mappings)."""


class ReportError(CreditlabError, RuntimeError):
    """A report run failed; the message names the failing cell and where the failed notebook is."""
