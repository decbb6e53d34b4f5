"""One protocol for every result: tables, a text summary, notebook HTML, files.

Every analysis returns an object that derives from :class:`Result` and so offers

- ``.tables()`` — name → polars frame, the result's whole content as tidy tables
  (what the writers, the report, the CLI and the app consume);
- ``.summary()`` — a readable text (also ``str(result)``);
- ``_repr_html_()`` — the summary and the tables in a notebook;
- ``.write(path)`` — by extension: ``.csv`` (the main table; a folder of CSVs when
  ``path`` has no suffix), ``.xlsx`` (a sheet per table), ``.json``, ``.parquet``
  (the main table); a document of every table: ``.tex`` (a complete LaTeX document
  that compiles on its own and can be ``\\input`` into a paper), ``.md``, ``.html``
  (a self-contained page), ``.docx`` (Word, three-line tables);
- ``.options`` — the options used (an :mod:`nqpf.options` object, or a mapping);
- ``.to_dict()`` — kind, options and tables as plain Python (JSON-ready).

A subclass defines :meth:`tables` and, when it has something better to say than
the first rows of each table, :meth:`summary`; ``main_table`` names the table a
single-table format writes.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

#: Rows of each table shown by the default summary and by ``_repr_html_``.
PREVIEW_ROWS = 10

#: Suffixes :meth:`Result.write` writes as one document holding every table, through
#: the report's writers (:class:`nqpf.report.Report`): the same document, whatever
#: the result.
DOCUMENT_SUFFIXES = (".tex", ".md", ".html", ".docx")


class Result:
    """The protocol every nqpf result follows (see the module docstring)."""

    __slots__ = ()  # subclasses may be slotted dataclasses

    #: The table a single-table format (CSV file, Parquet) writes; the first when "".
    main_table: ClassVar[str] = ""
    #: A short title for summaries ("Dagum Gini decomposition", …).
    title: ClassVar[str] = ""

    def tables(self) -> dict[str, Any]:
        """Name → polars frame (the tables that are present)."""
        raise NotImplementedError

    def _options(self) -> Mapping[str, Any]:
        """The options as a mapping (an Options object is one)."""
        value = getattr(self, "options", None)
        return value if isinstance(value, Mapping) else {}

    def summary(self) -> str:
        """A readable text: the title, the options and the head of every table."""
        import polars as pl

        lines = [self.title or type(self).__name__]
        options = self._options()
        if options:
            lines.append(", ".join(f"{k}={_plain(v)}" for k, v in options.items()))
        with pl.Config(
            tbl_rows=PREVIEW_ROWS,
            tbl_cols=12,
            float_precision=4,
            tbl_hide_dataframe_shape=True,
            tbl_hide_column_data_types=True,
            fmt_str_lengths=40,
        ):
            for name, frame in self.tables().items():
                lines += ["", f"{name} ({frame.height} rows)", str(frame.head(PREVIEW_ROWS))]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        """The summary and each table's first rows, escaped (user text is never markup)."""
        from nqpf.formats import html_escape, html_table

        parts = [f"<pre>{html_escape(self.summary())}</pre>"]
        for name, frame in self.tables().items():
            parts.append(f"<h4>{html_escape(name)}</h4>")
            parts.append(html_table(frame, max_rows=PREVIEW_ROWS))
        return "\n".join(parts)

    def write(self, path: str | os.PathLike[str]) -> Path:
        """Write the tables by extension (see the module docstring); returns the path."""
        from nqpf.io import write_tables

        if Path(path).suffix.lower() in DOCUMENT_SUFFIXES:
            return self._as_report().write_document(path)
        tables = self.tables()
        main = self.main_table or next(iter(tables), "")
        return write_tables(tables, path, meta=_meta(self._options()), main=main)

    def _as_report(self) -> Any:
        """This result as a :class:`nqpf.report.Report` of its tables (captioned by
        their names), for the document formats of :meth:`write`."""
        from nqpf.report.document import Report, ReportTable

        return Report(
            self.title or type(self).__name__,
            tuple(ReportTable(name, name, frame) for name, frame in self.tables().items()),
            options=_meta(self._options()),
        )

    def to_dict(self) -> dict[str, Any]:
        """``{"kind", "options", "tables"}`` with each table as a list of row dicts."""
        return {
            "kind": type(self).__name__,
            "options": {k: _plain(v) for k, v in self._options().items()},
            "tables": {name: frame.to_dicts() for name, frame in self.tables().items()},
        }


def _plain(value: Any) -> Any:
    """An option value as plain Python (a mapping as a dict, a tuple as a list)."""
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, tuple):
        return list(value)
    if type(value).__name__ == "Generator":
        return "numpy.random.Generator"
    return value


def _meta(options: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _plain(v) for k, v in options.items()}
