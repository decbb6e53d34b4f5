"""Errors that nqpf raises for a user's mistake.

Every path (API, CLI, app) turns bad input into one :class:`InputError` whose
``str()`` is a single line saying *what* is wrong, *where* (file, row, column)
and *what to do*. The CLI prints that line and exits with code 2; the app
shows it inline. Nothing else is a user error: any other exception is a bug.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


class NqpfError(Exception):
    """Base class of every error nqpf raises on purpose."""


class InputError(NqpfError, ValueError):
    """Bad input: a one-line message naming what, where and what to do.

    Parameters
    ----------
    what
        What is wrong, e.g. ``"non-numeric value 'abc'"``.
    file, sheet, row, column
        Where (``sheet``: the XLSX sheet). ``row`` is 1-based and counts data rows as a spreadsheet shows them
        (the header is row 1, so the first data row is row 2) when ``file`` is a
        file; for in-memory frames it is the 1-based data row.
    hint
        What to do about it.
    """

    def __init__(
        self,
        what: str,
        *,
        file: str | None = None,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.what = what
        self.file = file
        self.sheet = sheet
        self.row = row
        self.column = column
        self.hint = hint
        super().__init__(self.message)

    @property
    def where(self) -> str:
        parts = []
        if self.file:
            parts.append(str(self.file))
        if self.sheet is not None:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    @property
    def message(self) -> str:
        text = f"{self.where}: {self.what}" if self.where else self.what
        if self.hint:
            text += f" — {self.hint}"
        # one line, whatever a quoted file name or cell holds (every line break that
        # str.splitlines knows, and other control characters, become a space)
        return _CONTROL.sub(" ", text)

    def with_file(self, file: str, *, row_offset: int = 0, sheet: str | None = None) -> InputError:
        """Return the same error located in ``file`` (kept if already set).

        An error raised on an in-memory frame names the 1-based data row; the
        caller that read the frame from ``file`` passes ``row_offset`` to turn it
        into the row the file shows (1 for a CSV or XLSX sheet whose header is
        row 1). An error that already names a file keeps its row as it is.
        """
        if self.file:
            return self
        row = None if self.row is None else self.row + row_offset
        return InputError(
            self.what, file=file, sheet=sheet, row=row, column=self.column, hint=self.hint
        )


class RUnavailableError(NqpfError, RuntimeError):
    """R or rpy2 (or one R package) is not available in this session."""
