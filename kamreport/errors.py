"""The exceptions that the CLI maps to exit codes (OUTPUTS.md: 2 = fatal input or params error)."""

from __future__ import annotations


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


class RenderError(KamreportError):
    """One or more report jobs failed; the others are complete (exit code 1)."""

    exit_code = 1
