"""Paper-ready output: the tables a regional-disparity paper reports, and an HTML report.

:func:`build_report` runs the analyses on an index result — echelons, the Dagum
decomposition by year (by a group column and by echelon), σ- and β-convergence, a
Markov chain, Phillips–Sul clubs, kernel densities and obstacle degrees — through the
public API and assembles them into a :class:`Report`. Every number comes from the
modules that compute it; this module only arranges, formats and draws.

Formats: Markdown, LaTeX (booktabs), XLSX (a sheet per table), CSV (one per table) and
a self-contained HTML page with the charts inline as SVG (matplotlib).

Degenerate panels (a decision: the report says what it could not do rather than fail)
    The index and every cross-sectional analysis are always reported. An analysis the
    panel's shape cannot support is left out and named, with the reason, in the table
    ``not_run`` ("Analyses not run on this panel") and in the summary lines:

    * over time — β-convergence (absolute: ≥ 2 years; two-way fixed effects: ≥ 3), the
      σ-convergence trend (≥ 3 years), the Markov chain (≥ 2 years), the Phillips–Sul
      clubs (the test's own minimum length) — need that many years; a single-year
      panel gets the index, weights, echelons, the Dagum decomposition of that year,
      the dispersion measures, the density and the obstacle degrees;
    * echelons need at least ``k`` regions (2 regions with ``k = 3`` give no echelons,
      hence no decomposition by echelon and no sensitivity table);
    * anything else an analysis refuses as an :class:`~nqpf.errors.InputError` on this
      panel (e.g. a group with one region) is reported the same way, with its message.

    Errors that are not about the panel's shape (a bug) still raise.

Escaping (every user string: region, group, indicator and file names, titles, notes)
    Markdown, LaTeX and HTML go through :mod:`nqpf.formats` (:func:`markdown_escape`,
    :func:`latex_escape`, :func:`html_escape`); LaTeX labels and HTML ids are made from
    table names by :func:`latex_label` and :func:`html_id`; file names of tables and
    charts by :func:`file_stem`; XLSX and CSV by :func:`nqpf.io.write_tables`. Charts
    draw every label literally (no mathtext, no usetex). ``report.tex`` compiles on its
    own with ``xelatex`` (Chinese through xeCJK when a CJK font is installed) or with
    ``pdflatex`` (Chinese through CJKutf8, Greek and mathematical signs declared) and can
    also be ``\\input`` into a paper, then it writes the tables only.

Writing (:meth:`Report.write`)
    The whole folder is written into a temporary folder beside the target and moved into
    place only when every file is written: a failed run leaves no partial folder and an
    existing report stays as it was. An existing folder is replaced only when it is
    empty or holds nothing but what a report writes; a file of that name, or a folder
    with other files, is refused.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from nqpf._frames import internal_name, output_name
from nqpf.errors import InputError
from nqpf.formats import (
    clean_text,
    html_escape,
    html_id,
    html_table,
    latex_escape,
    latex_label,
    latex_table,
    markdown_escape,
    markdown_table,
)
from nqpf.index import IndexResult
from nqpf.io import write_tables

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class ReportTable:
    """One table of the report: a name (key and file stem), a title and a note."""

    name: str
    title: str
    frame: pl.DataFrame
    note: str = ""


@dataclass(frozen=True)
class Report:
    """Tables, charts (SVG text) and a short text summary of an analysis."""

    title: str
    tables: tuple[ReportTable, ...]
    #: chart name → (name of the table whose section shows it, SVG text)
    figures: dict[str, tuple[str, str]] = field(default_factory=dict)
    summary_lines: tuple[str, ...] = ()
    options: dict[str, Any] = field(default_factory=dict)

    def table(self, name: str) -> pl.DataFrame:
        for item in self.tables:
            if item.name == name:
                return item.frame
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [t.name for t in self.tables]

    def summary(self) -> str:
        return "\n".join(self.summary_lines)

    def to_markdown(self, digits: int = 4) -> str:
        """The report as GitHub Markdown; every user string escaped (:func:`markdown_escape`)."""
        parts = [f"# {markdown_escape(self.title)}", ""]
        parts += [f"- {markdown_escape(line)}" for line in self.summary_lines if line]
        parts.append("")
        for item in self.tables:
            parts += [f"## {markdown_escape(item.title)}", ""]
            if item.note:
                parts += [markdown_escape(item.note), ""]
            parts += [markdown_table(item.frame, digits), ""]
        return "\n".join(parts)

    def to_latex(self, digits: int = 4) -> str:
        """``report.tex``: a document on its own (xelatex), or the tables when ``\\input``."""
        parts = [
            f"% {latex_escape(self.title)}",
            "% Generated by nqpf. Compile on its own with xelatex, or \\input it into a paper",
            "% (then only the tables are written; the paper loads booktabs).",
            _LATEX_BEGIN,
            "",
        ]
        labels: set[str] = set()
        for item in self.tables:
            label = latex_label(f"tab:{item.name}", labels)
            labels.add(label)
            parts.append(
                latex_table(
                    item.frame, caption=item.title, label=label, digits=digits, note=item.note
                )
            )
            parts += ["\\nqpfaftertable", ""]
        parts.append(_LATEX_END)
        return "\n".join(parts)

    def to_html(self, digits: int = 4) -> str:
        """A self-contained page (no script, nothing fetched); every user string escaped."""
        ids: dict[str, str] = {}
        for name in [*self.names, *self.figures]:
            if name not in ids:
                ids[name] = html_id(name, ids.values())
        sections = []
        for item in self.tables:
            figure = "".join(svg for section, svg in self.figures.values() if section == item.name)
            sections.append(
                f'<section id="{ids[item.name]}"><h2>{html_escape(item.title)}</h2>'
                + (f"<p class=note>{html_escape(item.note)}</p>" if item.note else "")
                + (f"<figure>{figure}</figure>" if figure else "")
                + html_table(item.frame, digits=digits)
                + "</section>"
            )
        extra = [
            f'<section id="{ids[name]}"><figure>{svg}</figure></section>'
            for name, (section, svg) in self.figures.items()
            if section not in self.names
        ]
        toc = "".join(
            f'<li><a href="#{ids[t.name]}">{html_escape(t.title)}</a></li>' for t in self.tables
        )
        summary = "".join(f"<li>{html_escape(line)}</li>" for line in self.summary_lines if line)
        options = ", ".join(f"{k}={v}" for k, v in self.options.items())
        return (
            "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>"
            # nothing in the page runs or is fetched, even if a string slipped through
            "<meta http-equiv=Content-Security-Policy content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; img-src data:\">"
            f"<title>{html_escape(self.title)}</title><style>{_CSS}</style></head><body>"
            f"<h1>{html_escape(self.title)}</h1><p class=note>{html_escape(options)}</p>"
            f"<ul class=summary>{summary}</ul><nav><ol>{toc}</ol></nav>"
            + "".join(extra)
            + "".join(sections)
            + "<footer>Generated by nqpf. Every number comes from the nqpf API; "
            "see the CSV/XLSX files beside this page for full precision.</footer>"
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

    def write(self, folder: str | os.PathLike[str]) -> list[Path]:
        """Write report.html, report.md, report.tex, report.xlsx, tables/<name>.csv and
        <chart>.svg into ``folder``, all or nothing (see the module docstring).

        Returns the paths of the files written (inside ``folder``).
        """
        out = Path(folder)
        if out.is_symlink():  # a link to a report folder: the folder is replaced, not the link
            out = out.resolve()
        _check_report_folder(out)
        stems = self.file_names()
        try:
            staging = Path(tempfile.mkdtemp(prefix=f".{_short(out.name)}.nqpf-", dir=out.parent))
        except OSError as error:
            raise InputError(
                f"cannot write the report ({error.strerror or error})",
                file=str(out),
                hint="choose another --out folder",
            ) from None
        try:
            relative = self._write_into(staging, stems)
            staging.chmod(0o777 & ~_umask())  # mkdtemp made it private
            _move_into_place(staging, out)
        except BaseException as error:
            shutil.rmtree(staging, ignore_errors=True)
            if isinstance(error, OSError):
                raise InputError(
                    f"cannot write the report ({error.strerror or error})",
                    file=str(out),
                    hint="choose another --out folder",
                ) from None
            raise
        return [out / path for path in relative]

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
        write_tables(
            {t.name: t.frame for t in self.tables}, folder / "report.xlsx", meta=self.options
        )
        written.append(Path("report.xlsx"))
        for item in self.tables:
            path = Path("tables") / f"{stems[item.name]}.csv"
            write_tables({item.name: item.frame}, folder / path)
            written.append(path)
        for name, (_, svg) in self.figures.items():
            path = Path(f"{stems['figure:' + name]}.svg")
            (folder / path).write_text(svg, "utf-8")
            written.append(path)
        (folder / MARKER).write_text("written by nqpf report; replaced whole on the next run\n")
        return written


#: File that marks a folder as an nqpf report (a later run may replace it whole).
MARKER = ".nqpf-report"

_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}
)


def file_stem(name: str, taken: Sequence[str] | Any = ()) -> str:
    """A portable file name stem for ``name``: letters and digits of any script, ``-``, ``_``
    and ``.`` kept, anything else (``/``, ``\\``, ``:``, controls, spaces) as ``_``; no
    leading dot; at most 100 UTF-8 bytes; not a Windows device name; numbered (``-2``, …)
    while it equals one in ``taken`` ignoring case (case-insensitive file systems)."""
    stem = "".join(c if c.isalnum() or c in "-_." else "_" for c in clean_text(name))
    stem = stem.lstrip(".") or "table"
    while len(stem.encode("utf-8")) > 100:
        stem = stem[:-1]
    if stem.split(".")[0].upper() in _WINDOWS_RESERVED:
        stem = "_" + stem
    used = {t.casefold() for t in taken}
    candidate, number = stem, 1
    while candidate.casefold() in used:
        number += 1
        candidate = f"{stem}-{number}"
    return candidate


def _short(name: str) -> str:
    return file_stem(name)[:40]


def _umask() -> int:
    from nqpf.io import _umask as read_umask

    return read_umask()


def _check_report_folder(out: Path) -> None:
    """Refuse a report folder that is a file, whose parent is missing, or that holds
    files a report does not write (they would be lost when the folder is replaced)."""
    if str(out).strip() == "":
        raise InputError("no report folder given", hint="give --out a folder name")
    if out.exists() and not out.is_dir():
        raise InputError(
            "is a file, not a folder; the report is a folder of files",
            file=str(out),
            hint="give --out a new folder name",
        )
    parent = out.parent
    if not parent.is_dir():
        raise InputError(
            f"the folder '{parent}' does not exist",
            file=str(out),
            hint="create it first or choose another --out",
        )
    if out.is_dir():
        if out.resolve() == out.resolve().parent:
            raise InputError("cannot replace a root folder with a report", file=str(out))
        try:
            entries = [entry.name for entry in out.iterdir()]
        except OSError as error:
            raise InputError(
                f"cannot read the folder ({error.strerror or error})", file=str(out)
            ) from None
        foreign = [e for e in entries if not _report_entry(out, e)]
        if foreign:
            shown = ", ".join(sorted(foreign)[:3]) + (", …" if len(foreign) > 3 else "")
            raise InputError(
                f"the folder exists and holds files that are not an nqpf report ({shown}); "
                "they would be lost when the report replaces it",
                file=str(out),
                hint="choose a new --out folder, or move those files away",
            )


#: Suffixes of report.* files: what a report writes, and what compiling report.tex adds.
_REPORT_SUFFIXES = frozenset(
    [
        "html",
        "md",
        "tex",
        "xlsx",
        "pdf",
        "aux",
        "log",
        "out",
        "toc",
        "lot",
        "lof",
        "xdv",
        "fls",
        "fdb_latexmk",
        "synctex.gz",
        "bbl",
        "blg",
    ]
)


def _report_entry(folder: Path, name: str) -> bool:
    """True for what a report folder holds: report.<html|md|tex|xlsx> and what LaTeX makes
    of report.tex, <chart>.svg, tables/ with CSV files only, and the marker."""
    path = folder / name
    if path.is_symlink():
        return False
    if name == MARKER:
        return path.is_file()
    if name == "tables":
        return path.is_dir() and all(
            p.is_file() and not p.is_symlink() and p.suffix == ".csv" for p in path.iterdir()
        )
    if name.startswith("report."):
        return path.is_file() and name.removeprefix("report.") in _REPORT_SUFFIXES
    return name.endswith(".svg") and path.is_file()


def _move_into_place(staging: Path, out: Path) -> None:
    """Rename the finished ``staging`` folder to ``out``; an old ``out`` is moved aside
    first and deleted only after the rename succeeded (and put back if it failed)."""
    if not out.is_dir():
        staging.rename(out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{_short(out.name)}.nqpf-old-", dir=out.parent))
    old.rmdir()
    out.rename(old)
    try:
        staging.rename(out)
    except BaseException:
        old.rename(out)
        raise
    shutil.rmtree(old, ignore_errors=True)


_LATEX_BEGIN = r"""\expandafter\ifx\csname @twoclasseserror\endcsname\documentclass
  % \input into a document: tables only (plain rules if the paper has no booktabs)
  \providecommand\toprule{\hline}\providecommand\midrule{\hline}%
  \providecommand\bottomrule{\hline}%
  \def\nqpfend{}\def\nqpfaftertable{}%
\else
  \documentclass[a4paper]{article}
  \usepackage[margin=2cm]{geometry}
  \usepackage{booktabs}
  \ifdefined\XeTeXversion\def\nqpfunicode{}\fi
  \ifdefined\directlua\def\nqpfunicode{}\fi
  \ifdefined\nqpfunicode
    \usepackage{fontspec}
    % no TeX quote and dash mapping: a name's " ' -- print as they are
    \IfFontExistsTF{DejaVu Serif}{\setmainfont{DejaVu Serif}[Ligatures=TeXOff]}{%
      \setmainfont{Latin Modern Roman}[Ligatures=TeXOff]}
    \ifdefined\XeTeXversion
      \IfFileExists{xeCJK.sty}{%
        \IfFontExistsTF{Noto Serif CJK SC}{\usepackage{xeCJK}\setCJKmainfont{Noto Serif CJK SC}}{%
          \IfFontExistsTF{FandolSong-Regular.otf}{\usepackage{xeCJK}%
            \setCJKmainfont{FandolSong-Regular.otf}}{}}}{}
    \fi
  \else
    % pdflatex: UTF-8 text, the Greek and mathematical signs captions use, Chinese through
    % CJKutf8 (where installed); any other character pdflatex has no glyph for prints as
    % a replacement mark instead of stopping the run (xelatex shows every character)
    \usepackage[utf8]{inputenc}
    \usepackage[T1]{fontenc}
    \usepackage{textcomp}
    \DeclareUnicodeCharacter{03B1}{\ensuremath{\alpha}}\DeclareUnicodeCharacter{03B2}{\ensuremath{\beta}}%
    \DeclareUnicodeCharacter{03B3}{\ensuremath{\gamma}}\DeclareUnicodeCharacter{03B4}{\ensuremath{\delta}}%
    \DeclareUnicodeCharacter{03B5}{\ensuremath{\varepsilon}}\DeclareUnicodeCharacter{03BB}{\ensuremath{\lambda}}%
    \DeclareUnicodeCharacter{03BC}{\ensuremath{\mu}}\DeclareUnicodeCharacter{03C1}{\ensuremath{\rho}}%
    \DeclareUnicodeCharacter{03C3}{\ensuremath{\sigma}}\DeclareUnicodeCharacter{03C4}{\ensuremath{\tau}}%
    \DeclareUnicodeCharacter{03C7}{\ensuremath{\chi}}\DeclareUnicodeCharacter{0394}{\ensuremath{\Delta}}%
    \DeclareUnicodeCharacter{03A3}{\ensuremath{\Sigma}}\DeclareUnicodeCharacter{2212}{\ensuremath{-}}%
    \DeclareUnicodeCharacter{2264}{\ensuremath{\leq}}\DeclareUnicodeCharacter{2265}{\ensuremath{\geq}}%
    \DeclareUnicodeCharacter{2248}{\ensuremath{\approx}}\DeclareUnicodeCharacter{2192}{\ensuremath{\rightarrow}}%
    \DeclareUnicodeCharacter{221E}{\ensuremath{\infty}}\DeclareUnicodeCharacter{207A}{\ensuremath{^{+}}}%
    \DeclareUnicodeCharacter{207B}{\ensuremath{^{-}}}\DeclareUnicodeCharacter{00B7}{\ensuremath{\cdot}}%
    \IfFileExists{CJKutf8.sty}{\usepackage{CJKutf8}%
      \AtBeginDocument{\begin{CJK}{UTF8}{gbsn}}\AtEndDocument{\end{CJK}}}{}
    \makeatletter\def\UTFviii@undefined@err#1{\textbf{?}}\makeatother
  \fi
  \def\nqpfend{\end{document}}\def\nqpfaftertable{\clearpage}%
  \begin{document}
\fi"""

_LATEX_END = r"\nqpfend"


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


# ---------------------------------------------------------------------------
# charts (matplotlib → inline SVG)
# ---------------------------------------------------------------------------

#: Drawing settings: user strings (group names, titles) are drawn as the text they are,
#: never parsed as mathtext (``$x^$`` would raise) nor sent to TeX (a user matplotlibrc
#: may set ``text.usetex``); reproducible SVG ids; text as paths (no SVG text to escape).
CHART_RC = {
    "text.parse_math": False,
    "text.usetex": False,
    "svg.hashsalt": "nqpf",
    "svg.fonttype": "path",
    "axes.formatter.use_mathtext": False,
}


def _svg(draw: Callable[[Any], None], *, width: float = 7.5, height: float = 3.6) -> str:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - matplotlib is a dependency
        return ""
    import warnings

    from matplotlib.ticker import MaxNLocator

    with plt.rc_context(CHART_RC), warnings.catch_warnings():
        # a glyph missing from the font (e.g. Chinese in DejaVu) is drawn as a box
        warnings.filterwarnings("ignore", message="Glyph .* missing from")
        warnings.filterwarnings("ignore", message="Tight layout not applied")
        fig, ax = plt.subplots(figsize=(width, height))
        try:
            draw(ax)
            if ax.get_xlabel() not in ("score", ""):  # a year axis: whole years only
                ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            fig.tight_layout()
            buffer = io.StringIO()
            fig.savefig(buffer, format="svg", metadata={"Date": None})
        finally:
            plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg") :]


#: Most groups drawn as their own line in the trend chart (beyond: the overall mean only).
MAX_TREND_GROUPS = 30


def _legend(ax: Any, handles: list[Any], labels: list[str], **options: Any) -> None:
    # explicit labels: matplotlib would drop a label starting with "_" (a group "_west")
    if handles:
        ax.legend(handles, [clean_text(label) for label in labels], **options)


def chart_trend(scores: pl.DataFrame, year: str, group: str | None, score: str = "score") -> str:
    def draw(ax: Any) -> None:
        overall = scores.group_by(year).agg(pl.col(score).mean()).sort(year)
        handles = ax.plot(overall[year], overall[score], color="black", lw=2.2)
        labels = ["all"]
        # one line per group while a legend can still be read
        if group and scores.get_column(group).n_unique() <= MAX_TREND_GROUPS:
            for (name,), part in scores.group_by(group, maintain_order=True):
                line = part.group_by(year).agg(pl.col(score).mean()).sort(year)
                handles += ax.plot(line[year], line[score], lw=1.2)
                labels.append("(missing)" if name is None else str(name))
        ax.set_xlabel(clean_text(year))
        ax.set_ylabel("mean score")
        ax.set_title("Index score by year")
        _legend(ax, handles, labels, fontsize=7, ncol=3)

    return _svg(draw)


def chart_dagum(summary: pl.DataFrame, by: str, title: str) -> str:
    def draw(ax: Any) -> None:
        years = summary[by].to_numpy()
        bottom = np.zeros(len(years))
        handles, labels = [], []
        for column, colour in (("Gw", "#4c72b0"), ("Gnb", "#dd8452"), ("Gt", "#55a868")):
            values = summary[column].to_numpy()
            handles.append(ax.bar(years, values, bottom=bottom, color=colour))
            labels.append(column)
            bottom += values
        handles += ax.plot(years, summary["G"].to_numpy(), color="black", marker="o", ms=3)
        labels.append("G")
        ax.set_xlabel(clean_text(by))
        ax.set_ylabel("Gini")
        ax.set_title(clean_text(title))
        _legend(ax, handles, labels, fontsize=7, ncol=4)

    return _svg(draw)


def chart_density(density: pl.DataFrame, year: str) -> str:
    def draw(ax: Any) -> None:
        years = sorted(density[year].unique().to_list())
        chosen = sorted({years[0], years[len(years) // 2], years[-1]})
        handles, labels = [], []
        for y in chosen:
            part = density.filter(pl.col(year) == y)
            handles += ax.plot(part["x"], part["density"])
            labels.append(str(y))
        ax.set_xlabel("score")
        ax.set_ylabel("density")
        ax.set_title("Kernel density of the score (Gaussian, Silverman bandwidth)")
        _legend(ax, handles, labels, fontsize=8)

    return _svg(draw)


def chart_sigma(sigma: pl.DataFrame, year: str) -> str:
    def draw(ax: Any) -> None:
        handles, labels = [], []
        for column in ("cv", "gini"):
            handles += ax.plot(sigma[year], sigma[column], marker="o", ms=3)
            labels.append(column)
        ax.set_xlabel(clean_text(year))
        ax.set_title("σ-convergence: dispersion of the score by year")
        _legend(ax, handles, labels, fontsize=8)

    return _svg(draw)


# ---------------------------------------------------------------------------
# assembly
# ---------------------------------------------------------------------------


def _step(progress: Progress | None, label: str, done: int, total: int) -> None:
    if progress is not None:
        progress(label, done, total)


def score_column(result: IndexResult) -> str:
    """The name of the score column of ``result.scores``: ``score``, or the namespaced
    name (:func:`nqpf._frames.output_name`) when a key or carried column is so named."""
    named = getattr(result, "score_column", None)
    if isinstance(named, str) and named in result.scores.columns:
        return named
    keep = result.options.get("keep") or []
    keep = [keep] if isinstance(keep, str) else list(keep)
    return output_name("score", [result.region, result.year, *keep])


def region_table(
    result: IndexResult, echelon_assignments: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Average score, rank of the average and echelon per region (the study's Table 1).

    Columns: the region, ``mean_score``, ``rank``, (``echelon``), ``mean_<dimension>``
    and the score of the first and last year (one column when they are the same year).
    An output column named like the region column is namespaced (``nqpf_rank``, …).
    """
    region, year = result.region, result.year
    score = score_column(result)
    dims = result.dimension_columns
    years = result.scores.get_column(year)
    first, last = years.min(), years.max()
    taken = [region]
    mean_name = output_name("mean_score", taken)
    rank_name = output_name("rank", taken)
    echelon_name = output_name("echelon", taken)
    dim_names = {column: output_name(f"mean_{column}", taken) for column in dims.values()}
    year_names = {y: output_name(f"score_{y}", taken) for y in dict.fromkeys([first, last])}
    table = (
        result.scores.group_by(region)
        .agg(
            pl.col(score).mean().alias(mean_name),
            *(pl.col(column).mean().alias(dim_names[column]) for column in dims.values()),
            *(
                pl.col(score).filter(pl.col(year) == y).first().alias(name)
                for y, name in year_names.items()
            ),
        )
        .with_columns(
            pl.col(mean_name).rank("min", descending=True).cast(pl.Int64).alias(rank_name)
        )
    )
    if echelon_assignments is not None:
        table = table.join(
            echelon_assignments.select(region, pl.col("echelon").alias(echelon_name)),
            on=region,
            how="left",
        )
    first_columns = [region, mean_name, rank_name]
    if echelon_assignments is not None:
        first_columns.append(echelon_name)
    return table.sort(rank_name, region).select(
        *first_columns, *(c for c in table.columns if c not in first_columns)
    )


def dagum_table(dec: Any, by: str) -> pl.DataFrame:
    """Dagum totals by year with a final 'mean' row (period means of the yearly figures)."""
    summary = dec.overall.with_columns(pl.col(by).cast(pl.String))
    means = dict(dec.period_mean().select("quantity", "mean").iter_rows())
    mean_row = {by: "mean", **{c: means.get(c) for c in summary.columns if c != by}}
    return pl.concat([summary, pl.DataFrame([mean_row], schema=summary.schema)])


def _wide(frame: pl.DataFrame, index: str, on: str, values: str) -> pl.DataFrame:
    """``frame`` pivoted to one column per value of ``on``; a value named like ``index``
    becomes ``nqpf_<value>`` (output names never replace a key)."""
    key = internal_name("key", [*frame.columns])
    labels = [str(v) for v in frame.get_column(on).unique(maintain_order=True).to_list()]
    wide = frame.select(pl.col(index).alias(key), pl.col(on).cast(pl.String), pl.col(values)).pivot(
        on=on, index=key, values=values
    )
    renames = {label: output_name(label, [index]) for label in labels if label == index}
    return wide.rename({**renames, key: index}).sort(index)


class _Skipped:
    """The analyses left out of a report and why (the report's ``not_run`` table)."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str]] = []

    def add(self, analysis: str, reason: str) -> None:
        self.rows.append((analysis, reason))

    def attempt(self, analysis: str, run: Callable[[], Any]) -> Any:
        """``run()``, or None (noted) when it refuses this panel with an InputError."""
        try:
            return run()
        except InputError as error:
            self.add(analysis, error.what + (f"; {error.hint}" if error.hint else ""))
            return None


def build_report(
    result: IndexResult,
    *,
    group: str | None = None,
    echelon_rule: str = "jenks",
    k: int = 3,
    markov_k: int = 4,
    clubs: bool = True,
    validation: Any | None = None,
    title: str = "nqpf report",
    progress: Progress | None = None,
) -> Report:
    """Run the paper's companion analyses on an index result and assemble a Report.

    Analyses the panel's shape cannot support (one year, fewer regions than
    echelons, …) are named with the reason in the ``not_run`` table and the summary
    instead of failing the report (see the module docstring).

    Parameters
    ----------
    result
        The output of :func:`nqpf.entropy_topsis`.
    group
        A column of ``result.scores`` (carried from the panel, e.g. ``continent``)
        for the Dagum decomposition by group; echelons are always decomposed too.
    echelon_rule, k
        The echelon rule and number of tiers (:func:`nqpf.echelons`).
    markov_k
        Number of Markov states (pooled quantile classes).
    clubs
        Run the Phillips–Sul club convergence test (needs ≥ 6 years or so).
    validation
        A :class:`nqpf.crossval.CrossValReport` to include as a verdict table.
    progress
        callable(step label, done, total) for a progress bar.
    """
    from nqpf.dagum import dagum_gini
    from nqpf.dynamics import (
        beta_convergence,
        kernel_density,
        markov_chain,
        sigma_convergence,
        sigma_trend,
    )
    from nqpf.groups import echelon_sensitivity, echelons
    from nqpf.obstacle import obstacle_degree

    for name, value in (("k", k), ("markov_k", markov_k)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 2:
            raise InputError(
                f"{name} must be a whole number ≥ 2, got {value!r}",
                hint="echelons and Markov states need at least two classes",
            )
    from nqpf.groups import K_RULES

    if echelon_rule not in K_RULES:
        # an option the user got wrong is an error, not an analysis the report skips
        raise InputError(
            f"unknown echelon rule {echelon_rule!r}", hint="use one of: " + ", ".join(K_RULES)
        )
    region, year = result.region, result.year
    scores = result.scores
    score = score_column(result)
    if group is not None and group not in scores.columns:
        raise InputError(
            f"no column named '{group}' in the scores",
            column=group,
            hint="carry it from the panel with keep=[...] in entropy_topsis",
        )
    n_years = scores.get_column(year).n_unique()
    n_regions = scores.get_column(region).n_unique()
    first_year, last_year = scores[year].min(), scores[year].max()
    span = f"{first_year}–{last_year}" if n_years > 1 else f"{first_year}"
    steps = ["echelons", "dagum", "convergence", "markov", "clubs", "density", "obstacles"]
    total = len(steps)
    tables: list[ReportTable] = []
    figures: dict[str, tuple[str, str]] = {}
    lines: list[str] = []
    skipped = _Skipped()
    names: set[str] = set()

    def unique(name: str) -> str:
        candidate, number = name, 1
        while candidate in names:
            number += 1
            candidate = f"{name}_{number}"
        names.add(candidate)
        return candidate

    def need_years(analysis: str, minimum: int) -> bool:
        if n_years >= minimum:
            return True
        skipped.add(
            analysis,
            f"needs at least {minimum} years; the panel has {n_years} ({span})",
        )
        return False

    _step(progress, "echelons", 0, total)
    tiers = None
    if n_regions < k:
        skipped.add(
            f"echelons (k = {k})",
            f"needs at least {k} regions; the panel has {n_regions} (choose a smaller --k)",
        )
    else:
        tiers = skipped.attempt(
            f"echelons (k = {k})",
            lambda: echelons(scores, value=score, region=region, year=year, rule=echelon_rule, k=k),
        )
    regions_note = f"Period averages {span}."
    if tiers is not None:
        regions_note += f" Echelon rule {echelon_rule} with k = {k} (1 = highest tier)."
    tables.append(
        ReportTable(
            unique("regions"),
            "Average score, rank and echelon per region"
            if tiers is not None
            else "Average score and rank per region",
            region_table(result, tiers.assignments if tiers is not None else None),
            regions_note,
        )
    )
    tables.append(ReportTable(unique("weights"), "Indicator weights", result.weights))
    if tiers is not None:
        sensitivity_rules: dict[str, Any] = {
            "jenks": {"rule": "jenks", "k": k},
            "quantiles": {"rule": "quantiles", "k": k},
            "kmeans": {"rule": "kmeans", "k": k},
        }
        if k == 3:
            sensitivity_rules["sd"] = {"rule": "sd", "k": 3}
        sensitivity = skipped.attempt(
            "echelon sensitivity",
            lambda: echelon_sensitivity(
                scores, value=score, region=region, year=year, rules=sensitivity_rules
            ),
        )
        moved = 0
        if sensitivity is not None:
            differs = output_name("differs", [region])
            if differs not in sensitivity.columns:
                differs = "differs"
            moved = (
                int(sensitivity.get_column(differs).sum()) if differs in sensitivity.columns else 0
            )
            tables.append(
                ReportTable(
                    unique("echelon_sensitivity"),
                    "Echelon assignments under different rules",
                    sensitivity,
                    f"{moved} of {sensitivity.height} regions change tier across the rules.",
                )
            )
        lines.append(
            f"Echelons ({echelon_rule}, k = {k}): "
            + ", ".join(
                f"{row['echelon']}: {row['n']} region{'' if row['n'] == 1 else 's'}"
                for row in tiers.tiers.iter_rows(named=True)
            )
            + (f"; {moved} regions change tier across rules." if sensitivity is not None else ".")
        )
    figures["trend"] = ("regions", chart_trend(scores, year, group, score))

    _step(progress, "dagum", 1, total)
    groupings: list[tuple[str, str, str, pl.DataFrame]] = []
    if group:
        groupings.append((group, group, f"Dagum Gini decomposition by {group}", scores))
    if tiers is not None:
        echelon_column = output_name("echelon", scores.columns)
        with_tiers = tiers.join(scores, name=echelon_column)
        groupings.append(
            ("echelon", echelon_column, "Dagum Gini decomposition by echelon", with_tiers)
        )
    for label, column, caption, frame in groupings:
        dec = skipped.attempt(
            f"Dagum decomposition by {label}",
            lambda frame=frame, column=column: dagum_gini(
                frame, value=score, group=column, by=year
            ),
        )
        if dec is None:
            continue
        name = unique(f"dagum_{label}")
        tables.append(
            ReportTable(
                name,
                caption,
                dagum_table(dec, year),
                "G = Gw + Gnb + Gt (Dagum 1997); shares of G; the last row is the mean of "
                "the yearly figures.",
            )
        )
        tables.append(
            ReportTable(
                unique(f"{name}_within"),
                f"Within-group Gini Gjj by {label}",
                _wide(dec.within, year, "group", "Gjj"),
            )
        )
        if dec.between.height:
            pairs = dec.between.with_columns(
                pl.concat_str(
                    pl.col("group_j").cast(pl.String),
                    pl.lit(" – "),
                    pl.col("group_h").cast(pl.String),
                ).alias("pair")
            )
            tables.append(
                ReportTable(
                    unique(f"{name}_between"),
                    f"Between-group Gini Gjh by {label}",
                    _wide(pairs, year, "pair", "Gjh"),
                )
            )
        figures[name] = (name, chart_dagum(dec.overall, year, caption))
        means = dict(dec.period_mean().select("quantity", "mean").iter_rows())
        lines.append(
            f"Dagum by {label}: mean G = {means['G']:.4f}; contributions "
            f"within {100 * means['Gw_share']:.1f}%, between {100 * means['Gnb_share']:.1f}%, "
            f"transvariation {100 * means['Gt_share']:.1f}%."
        )

    _step(progress, "convergence", 2, total)
    sigma = skipped.attempt("σ-convergence", lambda: sigma_convergence(scores, score, year))
    if sigma is not None:
        tables.append(ReportTable(unique("sigma"), "σ-convergence: dispersion by year", sigma))
        figures["sigma"] = ("sigma", chart_sigma(sigma, year))
        if need_years("σ-convergence trend", 3):
            trend = skipped.attempt("σ-convergence trend", lambda: sigma_trend(sigma, year))
            if trend is not None:
                tables.append(
                    ReportTable(
                        unique("sigma_trend"),
                        "σ-convergence: linear trend of each dispersion measure",
                        trend,
                        "OLS of the measure on the year; a negative slope is σ-convergence.",
                    )
                )
                cv_trend = trend.filter(pl.col("measure") == "cv").row(0, named=True)
                lines.append(
                    f"σ-convergence: CV slope {cv_trend['slope']:+.3g} per year "
                    f"(p = {cv_trend['p']:.3f})."
                )
    beta_rows = []
    for effects, minimum, what in (
        ("none", 2, "β-convergence, absolute (cross-section of growth rates)"),
        ("twoway", 3, "β-convergence, two-way fixed effects (panel)"),
    ):
        if need_years(what, minimum):
            beta = skipped.attempt(
                what,
                lambda effects=effects: beta_convergence(
                    scores, score, region, year, effects=effects
                ),
            )
            if beta is not None:
                beta_rows.append(beta.to_frame())
    if beta_rows:
        beta_table = pl.concat(beta_rows, how="diagonal_relaxed")
        tables.append(
            ReportTable(
                unique("beta"),
                "β-convergence: absolute (cross-section) and two-way fixed effects (panel)",
                beta_table,
                "β < 0 means convergence; speed = −ln(1 + β·τ)/τ, half-life = ln 2 / speed.",
            )
        )
        for row in beta_table.iter_rows(named=True):
            lines.append(
                f"β-convergence ({row['effects']}): β = {row['beta']:+.4f} (p = {row['p']:.3f})."
            )

    _step(progress, "markov", 3, total)
    if need_years("Markov chain", 2):
        chain = skipped.attempt(
            "Markov chain", lambda: markov_chain(scores, score, region, year, k=markov_k)
        )
        if chain is not None:
            tables.append(
                ReportTable(
                    unique("markov"),
                    f"Markov transition probabilities ({markov_k} pooled quantile states, "
                    "1 = lowest)",
                    chain.probabilities,
                    f"{chain.n_transitions} transitions between consecutive years.",
                )
            )
            tables.append(
                ReportTable(
                    unique("markov_states"),
                    "Markov states: persistence, mobility, steady state",
                    chain.by_state,
                )
            )
            lines.append(
                "Markov persistence (diagonal): "
                + ", ".join(f"{p:.3f}" for p in np.asarray(chain.persistence).tolist())
                + "."
            )

    _step(progress, "clubs", 4, total)
    if clubs and need_years("Phillips–Sul club convergence", 3):
        from nqpf.dynamics import club_convergence

        club = skipped.attempt(
            "Phillips–Sul club convergence",
            lambda: club_convergence(scores, score, region, year),
        )
        if club is not None:
            merged = club.merged_tests if club.merged_tests is not None else club.tests
            tables.append(
                ReportTable(
                    unique("clubs"),
                    "Phillips–Sul club convergence (log-t test, clubs after merging)",
                    merged,
                    "Log-t regression per club; convergence is not rejected when t > −1.65.",
                )
            )
            members = club.merged if club.merged is not None else club.clubs
            tables.append(ReportTable(unique("club_members"), "Club membership", members))
            lines.append(
                f"Club convergence: whole-panel log-t t = {club.overall['tvalue'][0]:.2f}; "
                f"{merged.height} clubs after merging."
            )

    _step(progress, "density", 5, total)
    density = skipped.attempt("kernel density", lambda: kernel_density(scores, score, year))
    if density is not None and density.height:
        figures["density"] = ("sigma", chart_density(density, year))

    _step(progress, "obstacles", 6, total)
    obstacle_tables = skipped.attempt(
        "obstacle degree", lambda: _obstacle_tables(result, obstacle_degree)
    )
    if obstacle_tables is not None:
        top_wide, dimension_obstacles = obstacle_tables
        tables.append(
            ReportTable(
                unique("obstacles"),
                f"Main obstacle indicators per region, {last_year}",
                top_wide,
                "Obstacle degree O = w(1 − x′)/Σ w(1 − x′) × 100 (percent of the region's "
                "shortfall).",
            )
        )
        tables.append(
            ReportTable(
                unique("obstacles_dimensions"),
                "Mean obstacle degree of each dimension by year (percent)",
                dimension_obstacles,
            )
        )

    if validation is not None:
        tables.append(
            ReportTable(
                unique("validation"),
                "Python against R, quantity by quantity",
                validation.table,
                "Rows marked skipped name the missing R routine.",
            )
        )
        ok = validation.table.get_column("ok")
        passed, failed = int(ok.sum()), int((~ok.drop_nulls()).sum())
        lines.append(
            f"R validation: {passed} comparisons passed, {failed} failed, "
            f"{ok.null_count()} skipped (routine not installed)."
        )
    if skipped.rows:
        not_run = pl.DataFrame(
            {"analysis": [a for a, _ in skipped.rows], "reason": [r for _, r in skipped.rows]},
            schema={"analysis": pl.String, "reason": pl.String},
        )
        # right after the index tables, where a reader looks for what is missing
        tables.insert(
            2,
            ReportTable(
                unique("not_run"),
                "Analyses not run on this panel",
                not_run,
                f"The panel has {n_regions} regions and {n_years} years ({span}); each "
                "analysis below could not run on it, for the reason given.",
            ),
        )
        lines += [f"Not run: {analysis} — {reason}." for analysis, reason in skipped.rows]
    _step(progress, "done", total, total)
    return Report(
        title=title,
        tables=tuple(tables),
        figures={k: v for k, v in figures.items() if v[1]},
        summary_lines=tuple(lines),
        options=dict(result.options),
    )


def _obstacle_tables(
    result: IndexResult, obstacle_degree: Any
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The latest year's top-3 obstacle indicators per region, and the mean obstacle
    degree of each dimension by year."""
    region, year = result.region, result.year
    weight_columns = ["indicator", "dimension", "weight"] + (
        [year] if year in result.weights.columns else []
    )
    obstacle = obstacle_degree(
        result.standardized, result.weights.select(weight_columns), keys=[region, year]
    )
    latest = result.scores.get_column(year).max()
    top = obstacle.top(3).filter(pl.col(year) == latest)
    cell = internal_name("cell", top.columns)
    top = top.with_columns(
        pl.format("{} ({}%)", "indicator", pl.col("obstacle").round(1)).alias(cell)
    )
    rank = output_name("rank", [region, year])
    if rank not in top.columns:
        rank = "rank"
    top_wide = top.select(region, pl.col(rank).cast(pl.String), cell).pivot(
        on=rank, index=region, values=cell
    )
    top_wide = top_wide.rename(
        {c: output_name(f"obstacle_{c}", [region]) for c in top_wide.columns if c != region}
    ).sort(region)
    dimension_obstacles = _wide(
        obstacle.dimensions.group_by(year, "dimension", maintain_order=True).agg(
            pl.col("obstacle").mean()
        ),
        year,
        "dimension",
        "obstacle",
    )
    return top_wide, dimension_obstacles


__all__: Sequence[str] = (
    "Report",
    "ReportTable",
    "build_report",
    "region_table",
)
