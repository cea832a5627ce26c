"""Every exception kamreport raises on purpose, and the exit code each one maps to.

Exit codes (``docs/outputs.md``): 0 every report made; 1 some report jobs failed (the others
are complete and listed); 2 a fatal input or params error (nothing made).  The command line
maps these classes to codes; nothing else decides an exit code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from kamreport.records import TableReport


class KamreportError(Exception):
    """Base of every error kamreport raises on purpose."""

    exit_code = 1


class InputError(KamreportError):
    """Fatal input problem: nothing is produced, exit code 2.

    The message names the file, the table and the column concerned and says what to do.
    """

    exit_code = 2


class ParamsError(InputError):
    """The params file fails its schema (the message names the key and the file)."""


class ExpressionError(ValueError):
    """An expression (a derived column or an action rule) that is not allowed or names an unknown column.

    A ``ValueError`` where it is raised; the caller that knows the table or rule turns it into
    an :class:`InputError` or :class:`ParamsError` naming them.
    """


class RejectLimitError(InputError):
    """A table lost more rows than allowed; carries what was set aside so it can still be written."""

    def __init__(self, message: str, quality: pd.DataFrame, reports: list[TableReport]) -> None:
        super().__init__(message)
        self.quality = quality
        self.reports = reports


class RenderSetupError(InputError):
    """The report notebooks do not fit the jobs (missing notebook, unknown parameter): nothing is rendered."""


class RunLockedError(InputError):
    """Another kamreport command (run or mail) holds the run folder (the message names its pid)."""


class RecipientError(ValueError):
    """A recipient row that cannot be served (bad address, unknown scope, no report, duplicate).

    A ``ValueError`` where it is raised; ``kamreport mail`` sets the row aside into
    ``mail/rejected.csv`` with the message as its reason and goes on with the others.
    """


class MailServerError(KamreportError):
    """The SMTP server cannot be reached or refuses the session: nothing more is sent (exit code 1)."""
