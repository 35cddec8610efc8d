"""Exit statuses of the command line, and the one way an error becomes one.

``0`` the job was done; ``1`` it could not be done (a scheduled run must notice); ``2`` the
command was used wrongly or an input is wrong (the message says how to fix it).
"""

from __future__ import annotations

import sys

from creditlab.exceptions import CreditlabError, InputError

__all__ = ["EXIT_OK", "EXIT_FAILED", "EXIT_USAGE", "fail"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def fail(err: CreditlabError, *, input_status: int = EXIT_USAGE) -> int:
    """Print ``err`` on stderr as ``creditlab: …`` and return the exit status:
    ``input_status`` for an :class:`~creditlab.exceptions.InputError` (``2`` by default; a
    command whose inputs are its job passes ``EXIT_FAILED``), ``1`` for any other error."""
    print(f"creditlab: {err}", file=sys.stderr)
    return input_status if isinstance(err, InputError) else EXIT_FAILED
