"""The report folder: file names, which folders a report may replace, and the move
into place that makes writing all or nothing (see "Writing" in :mod:`nqpf.report`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from nqpf.errors import InputError
from nqpf.io import file_stem as file_stem
from nqpf.io import replace_folder

#: File that marks a folder as an nqpf report (a later run may replace it whole).
MARKER = ".nqpf-report"

#: Subfolder with each chart as PNG (300 dpi) and PDF (fonts embedded), for papers.
FIGURES = "figures"

#: Formats of the copies in :data:`FIGURES` (what it may hold).
FIGURE_FORMATS = ("png", "pdf")


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
        "docx",
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
    """True for what a report folder holds: report.<html|md|tex|xlsx|docx> and what LaTeX
    makes of report.tex, <chart>.svg, tables/ with CSV files only, figures/ with PNG and
    PDF files only, and the marker."""
    path = folder / name
    if path.is_symlink():
        return False
    if name == MARKER:
        return path.is_file()
    if name == "tables":
        return path.is_dir() and all(
            p.is_file() and not p.is_symlink() and p.suffix == ".csv" for p in path.iterdir()
        )
    if name == FIGURES:
        return path.is_dir() and all(
            p.is_file() and not p.is_symlink() and p.suffix[1:] in FIGURE_FORMATS
            for p in path.iterdir()
        )
    if name.startswith("report."):
        return path.is_file() and name.removeprefix("report.") in _REPORT_SUFFIXES
    return name.endswith(".svg") and path.is_file()


def write_figures(folder: Path, figures: Mapping[str, Any], stems: Mapping[str, str]) -> list[Path]:
    """Write ``figures/<stem>.png`` and ``.pdf`` of every chart that can draw itself again
    (a :class:`nqpf.report.charts.Chart`) into ``folder``; returns the paths written,
    relative to ``folder`` (none, and no subfolder, when no chart can)."""
    written = []
    for name, svg in figures.items():
        if not hasattr(svg, "render"):
            continue
        (folder / FIGURES).mkdir(exist_ok=True)
        for fmt in FIGURE_FORMATS:
            path = Path(FIGURES) / f"{stems['figure:' + name]}.{fmt}"
            (folder / path).write_bytes(svg.render(fmt))
            written.append(path)
    return written


def write_folder(folder: str | Path, write_into: Callable[[Path], list[Path]]) -> list[Path]:
    """Make ``folder`` all at once: ``write_into(staging)`` fills a temporary folder beside
    it (returning the paths written, relative to it), which then replaces ``folder``
    (:func:`nqpf.io.replace_folder`). Returns the paths inside ``folder``; on any failure
    nothing is left behind and an old report stays as it was."""
    out = Path(folder)
    if out.is_symlink():  # a link to a report folder: the folder is replaced, not the link
        out = out.resolve()
    _check_report_folder(out)
    relative = replace_folder(out, write_into, lambda error: _cannot_write(out, error))
    return [out / path for path in relative]


def _cannot_write(out: Path, error: OSError) -> InputError:
    return InputError(
        f"cannot write the report ({error.strerror or error})",
        file=str(out),
        hint="choose another --out folder",
    )
