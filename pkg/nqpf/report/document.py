"""The report document: its tables, charts and summary, and every format it is written in
(Markdown, LaTeX, HTML, Word, XLSX, CSV) — the :class:`Report` result."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from nqpf.formats import (
    html_escape,
    html_id,
    html_table,
    latex_document,
    latex_label,
    latex_table,
    markdown_escape,
    markdown_table,
)
from nqpf.io import WRITE_SUFFIXES
from nqpf.options import ReportOptions
from nqpf.report.folder import MARKER, file_stem, write_figures, write_folder
from nqpf.results import DOCUMENT_SUFFIXES, Result
from nqpf.translations import option_items
from nqpf.translations import text as translated

#: Suffixes :meth:`Report.write` writes as one file, as :meth:`nqpf.results.Result.write`
#: does for every result (the data formats of nqpf.io and the documents); any other path
#: (no suffix, or one such as ``.v2``) is the report folder, as it always was.
FILE_SUFFIXES = frozenset(WRITE_SUFFIXES) | frozenset(DOCUMENT_SUFFIXES)


@dataclass(frozen=True)
class ReportTable:
    """One table of the report: a name (key and file stem), a title and a note.

    ``frame`` is the data, with nqpf's stable English column names (what
    :meth:`Report.tables`, the CSV, JSON and Parquet files hold); ``shown``, when
    given, is the same table as a reader sees it — headers and nqpf's own cell texts
    in the report's language, the indicators' labels (made by
    :func:`nqpf.report.tables.displayed`) — which the documents (HTML, Markdown,
    LaTeX) and report.xlsx show (:attr:`display`).
    """

    name: str
    title: str
    frame: pl.DataFrame
    note: str = ""
    #: LaTeX written in report.tex instead of the table (the methods section: its
    #: formulas in math mode, :mod:`nqpf.report.methods`); "" writes the table
    latex: str = ""
    shown: pl.DataFrame | None = None

    @property
    def display(self) -> pl.DataFrame:
        """The table as documents show it (``shown``, or ``frame`` when none is given)."""
        return self.frame if self.shown is None else self.shown


@dataclass(frozen=True, init=False)
class Report(Result):
    """Tables, charts (SVG text) and a short text summary of an analysis.

    A result like every other (:class:`nqpf.results.Result`): :meth:`tables` (name →
    frame), :meth:`summary`, :meth:`write`, :attr:`options`, :meth:`to_dict`.

    ``Report(title, tables, figures, summary_lines, options, report_options)``:
    ``tables`` are :class:`ReportTable` items (kept in :attr:`entries`), ``figures``
    chart name → (name of the table whose section shows it, SVG text), ``options``
    what the page header and the workbook's ``options`` sheet show (for
    :func:`~nqpf.report.build_report`, the index options; kept in
    :attr:`shown_options`), ``report_options`` the :class:`~nqpf.options.ReportOptions`
    the report was built with.
    """

    title: str
    #: The tables with their titles and notes, in the report's order.
    entries: tuple[ReportTable, ...]
    #: chart name → (name of the table whose section shows it, SVG text)
    figures: dict[str, tuple[str, str]]
    summary_lines: tuple[str, ...]
    #: The options shown in the header of report.html and in report.xlsx.
    shown_options: dict[str, Any]
    report_options: ReportOptions | None

    def __init__(
        self,
        title: str,
        tables: tuple[ReportTable, ...] = (),
        figures: Mapping[str, tuple[str, str]] | None = None,
        summary_lines: tuple[str, ...] = (),
        options: Mapping[str, Any] | None = None,
        report_options: ReportOptions | None = None,
    ) -> None:
        for name, value in (
            ("title", title),
            ("entries", tuple(tables)),
            ("figures", dict(figures or {})),
            ("summary_lines", tuple(summary_lines)),
            ("shown_options", dict(options or {})),
            ("report_options", report_options),
        ):
            object.__setattr__(self, name, value)

    # ------------------------------------------------------------ the result protocol

    @property  # type: ignore[override]
    def main_table(self) -> str:
        """The table a single-table format writes: the regions table of a built
        report, else the first."""
        return "regions" if "regions" in self.names else ""

    def tables(self) -> dict[str, pl.DataFrame]:
        """Table name → frame, every table of the report in its order."""
        return {item.name: item.frame for item in self.entries}

    @property
    def options(self) -> dict[str, Any]:
        """The index options and the report's own (:class:`~nqpf.options.ReportOptions`)."""
        own = self.report_options.to_dict() if self.report_options is not None else {}
        return {**self.shown_options, **own}

    @property
    def language(self) -> str:
        """The language of the report's texts (its ``language`` option; English when
        the report was made without options)."""
        return self.report_options.language if self.report_options is not None else "en"

    def summary(self) -> str:
        """The summary lines (what ``nqpf report`` prints)."""
        return "\n".join(self.summary_lines)

    def _repr_html_(self) -> str:
        return f"<h3>{html_escape(self.title)}</h3>\n" + super()._repr_html_()

    def to_dict(self) -> dict[str, Any]:
        """Kind, title, options, summary lines, the charts' sections and every table."""
        out = super().to_dict()
        out["title"] = self.title
        out["summary"] = list(self.summary_lines)
        out["figures"] = {name: section for name, (section, _) in self.figures.items()}
        return out

    def table(self, name: str) -> pl.DataFrame:
        """The frame of table ``name`` (a KeyError when there is none)."""
        for item in self.entries:
            if item.name == name:
                return item.frame
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [t.name for t in self.entries]

    # ------------------------------------------------------------ formats

    def to_markdown(self, digits: int = 4) -> str:
        """The report as GitHub Markdown; every user string escaped (:func:`markdown_escape`)."""
        parts = [f"# {markdown_escape(self.title)}", ""]
        parts += [f"- {markdown_escape(line)}" for line in self.summary_lines if line]
        parts.append("")
        for item in self.entries:
            parts += [f"## {markdown_escape(item.title)}", ""]
            if item.note:
                parts += [markdown_escape(item.note), ""]
            parts += [markdown_table(item.display, digits), ""]
        return "\n".join(parts)

    def _language(self, language: str | None = None) -> str:
        """The report's language: ``language`` when given, else its options' (``"en"``
        when they have none)."""
        return language or self.language

    def to_latex(self, digits: int = 4, language: str | None = None) -> str:
        """``report.tex``: a document on its own (pdflatex, or xelatex for Chinese), or
        the tables when ``\\input`` into a paper (:func:`nqpf.formats.latex_document`)."""
        language = self._language(language)
        labels: set[str] = set()
        tables = []
        for item in self.entries:
            label = latex_label(f"tab:{item.name}", labels)
            labels.add(label)
            tables.append(
                item.latex
                or latex_table(
                    item.display,
                    caption=item.title,
                    label=label,
                    digits=digits,
                    note=item.note,
                    language=language,
                )
            )
        return latex_document(
            tables, title=self.title, language=language, summary=self.summary_lines
        )

    def to_html(self, digits: int = 4) -> str:
        """A self-contained page (no script, nothing fetched); every user string escaped."""
        ids: dict[str, str] = {}
        for name in [*self.names, *self.figures]:
            if name not in ids:
                ids[name] = html_id(name, ids.values())
        sections = []
        for item in self.entries:
            figure = "".join(svg for section, svg in self.figures.values() if section == item.name)
            sections.append(
                f'<section id="{ids[item.name]}"><h2>{html_escape(item.title)}</h2>'
                + (f"<p class=note>{html_escape(item.note)}</p>" if item.note else "")
                + (f"<figure>{figure}</figure>" if figure else "")
                + html_table(item.display, digits=digits)
                + "</section>"
            )
        extra = [
            f'<section id="{ids[name]}"><figure>{svg}</figure></section>'
            for name, (section, svg) in self.figures.items()
            if section not in self.names
        ]
        toc = "".join(
            f'<li><a href="#{ids[t.name]}">{html_escape(t.title)}</a></li>' for t in self.entries
        )
        summary = "".join(f"<li>{html_escape(line)}</li>" for line in self.summary_lines if line)
        language = self.language
        options = translated("doc.options.sep", language).join(
            translated("doc.options.item", language, name=name, value=value)
            for name, value in option_items(self.shown_options, language)
        )
        return (
            f"<!DOCTYPE html><html lang={language}><head><meta charset=utf-8>"
            # nothing in the page runs or is fetched, even if a string slipped through
            "<meta http-equiv=Content-Security-Policy content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; img-src data:\">"
            f"<title>{html_escape(self.title)}</title><style>{_CSS}</style></head><body>"
            f"<h1>{html_escape(self.title)}</h1><p class=note>{html_escape(options)}</p>"
            f"<ul class=summary>{summary}</ul><nav><ol>{toc}</ol></nav>"
            + "".join(extra)
            + "".join(sections)
            + f"<footer>{html_escape(translated('doc.footer', language))}</footer>"
            "</body></html>"
        )

    def file_names(self) -> dict[str, str]:
        """Table name → stem of ``tables/<stem>.csv`` and ``figure:<chart>`` → stem of
        ``<stem>.svg`` (see :func:`file_stem`), distinct ignoring case in each folder."""
        stems: dict[str, str] = {}
        tables: list[str] = []
        for name in self.names:
            stems[name] = file_stem(name, tables)
            tables.append(stems[name])
        charts: list[str] = []
        for name in self.figures:
            stems[f"figure:{name}"] = file_stem(name, charts)
            charts.append(stems[f"figure:{name}"])
        return stems

    def to_docx(self, digits: int = 4, language: str | None = None) -> bytes:
        """``report.docx`` (Word) as bytes: headings, three-line tables with numbered
        captions and notes, the charts as 300-dpi PNG (:func:`nqpf.word.report_docx`)."""
        from nqpf.word import report_docx

        return report_docx(self, digits=digits, language=self._language(language))

    def _as_report(self) -> Report:
        return self

    def write(self, path: str | os.PathLike[str]) -> Path | list[Path]:  # type: ignore[override]
        """Write the report: ``path`` ending in .tex, .md, .html or .docx is that
        document of the whole report (:meth:`write_document`); ending in .csv, .xlsx,
        .json or .parquet one file, as for every result
        (:meth:`nqpf.results.Result.write`: the ``regions`` table, or every table); the
        path is returned. Any other path is the report folder (:meth:`write_folder`),
        and the paths of the files written in it are returned (as ``Report.write``
        always returned them for a folder).
        """
        if Path(path).suffix.lower() in FILE_SUFFIXES:
            return super().write(path)
        return self.write_folder(path)

    def write_document(self, path: str | os.PathLike[str], language: str | None = None) -> Path:
        """Write one document by the suffix of ``path`` — ``.tex`` (:meth:`to_latex`: a
        complete document that compiles on its own, see
        :func:`nqpf.formats.latex_document`), ``.md``, ``.html``, ``.docx`` — atomically
        (a failed write leaves an existing file as it was); returns the path."""
        from nqpf.errors import InputError
        from nqpf.io import _atomic_write

        out = Path(path)
        suffix = out.suffix.lower()
        if suffix == ".docx":
            data = self.to_docx(language=language)
        elif suffix == ".tex":
            data = self.to_latex(language=language).encode("utf-8")
        elif suffix == ".md":
            data = self.to_markdown().encode("utf-8")
        elif suffix == ".html":
            data = self.to_html().encode("utf-8")
        else:
            raise InputError(
                f"cannot write '{suffix}' documents",
                file=str(out),
                hint="give a .tex, .md, .html or .docx file name",
            )
        _atomic_write(out, lambda tmp: tmp.write_bytes(data))
        return out

    def write_folder(self, folder: str | os.PathLike[str]) -> list[Path]:
        """Write report.html, report.md, report.tex, report.docx, report.xlsx,
        tables/<name>.csv, <chart>.svg and figures/<chart>.png|pdf into ``folder``, all or
        nothing (see the module docstring of
        :mod:`nqpf.report`).

        Returns the paths of the files written (inside ``folder``).
        """
        stems = self.file_names()
        return write_folder(folder, lambda staging: self._write_into(staging, stems))

    def _write_into(self, folder: Path, stems: dict[str, str]) -> list[Path]:
        (folder / "tables").mkdir()
        written = []
        for name, text in (
            ("report.html", self.to_html()),
            ("report.md", self.to_markdown()),
            ("report.tex", self.to_latex()),
        ):
            (folder / name).write_text(text, "utf-8")
            written.append(Path(name))
        (folder / "report.docx").write_bytes(self.to_docx())
        written.append(Path("report.docx"))
        # for a reader: the tables as the documents show them, the options by their labels
        meta = dict(option_items(self.shown_options, self.language))
        shown = {item.name: item.display for item in self.entries}
        _write_tables(shown, folder / "report.xlsx", meta=meta)
        written.append(Path("report.xlsx"))
        for item in self.entries:
            path = Path("tables") / f"{stems[item.name]}.csv"
            _write_tables({item.name: item.frame}, folder / path)
            written.append(path)
        for name, (_, svg) in self.figures.items():
            path = Path(f"{stems['figure:' + name]}.svg")
            (folder / path).write_text(svg, "utf-8")
            written.append(path)
        written += write_figures(folder, {k: svg for k, (_, svg) in self.figures.items()}, stems)
        (folder / MARKER).write_text("written by nqpf report; replaced whole on the next run\n")
        return written


def _write_tables(*args: Any, **kwargs: Any) -> Path:
    # looked up on the package when called: nqpf.report.write_tables is the one writer
    # of the report's XLSX and CSV files, which a caller (or a test of a full disk) may
    # replace
    from nqpf import report

    return report.write_tables(*args, **kwargs)


_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1100px;margin:2em auto;
padding:0 1em;color:#222}
h1{font-size:1.6em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0}
th,td{padding:2px 8px;border-bottom:1px solid #eee;text-align:left}
th{border-bottom:2px solid #999}td.num{text-align:right;font-variant-numeric:tabular-nums}
.note{color:#555;font-size:.9em}figure{margin:0}svg{max-width:100%;height:auto}
footer{margin-top:3em;color:#777;font-size:.8em}
"""
