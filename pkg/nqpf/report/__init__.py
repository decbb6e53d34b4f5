"""Paper-ready output: the tables a regional-disparity paper reports, and an HTML report.

:func:`build_report` runs the analyses on an index result — echelons, the Dagum
decomposition by year (by a group column and by echelon), σ- and β-convergence, a
Markov chain, Phillips–Sul clubs, kernel densities and obstacle degrees — through the
public API and assembles them into a :class:`Report`. Every number comes from the
modules that compute it; this package only arranges, formats and draws.

Formats: Markdown, LaTeX (booktabs three-line tables that fit the page:
:func:`nqpf.formats.latex_table`), Word (three-line tables, numbered captions, the charts
as PNG: :mod:`nqpf.word`), XLSX (a sheet per table), CSV (one per table) and a
self-contained HTML page with the charts inline as SVG (matplotlib).

The package, in the order of the data flow
    :mod:`~nqpf.report.sections` — one builder per section (echelons, regions, weights,
    echelon sensitivity, Dagum, σ- and β-convergence, Markov (with its homogeneity tests
    and the rank chains), clubs, density, obstacles,
    R validation, what was not run) and :func:`build_report`, the list of them in order;
    :mod:`~nqpf.report.tables` — the report's own tables (region averages, Dagum totals
    with the period mean, pivots); :mod:`~nqpf.report.charts` — the SVG charts;
    :mod:`~nqpf.report.document` — :class:`Report` (a :class:`nqpf.results.Result`) and
    its formats; :mod:`~nqpf.report.folder` — the report folder, written all or nothing.

Degenerate panels (a decision: the report says what it could not do rather than fail)
    The index and every cross-sectional analysis are always reported. An analysis the
    panel's shape cannot support is left out and named, with the reason, in the table
    ``not_run`` ("Analyses not run on this panel") and in the summary lines:

    * over time — β-convergence (absolute: ≥ 2 years; two-way fixed effects: ≥ 3), the
      σ-convergence trend (≥ 3 years), the Markov chain (≥ 2 years), the Phillips–Sul
      clubs (the test's own minimum length) — need that many years (the Markov
      homogeneity test across the two halves of the period is only tried from 4
      years on; the rank chains need a balanced panel, else they are noted as not run); a single-year
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
    charts by :func:`file_stem`; XLSX and CSV by :func:`nqpf.io.write_tables`; Word texts
    through :func:`nqpf.word.docx_text` (control characters removed). Charts
    draw every label literally (no mathtext, no usetex). ``report.tex`` compiles on its
    own with ``xelatex`` (Chinese through ctex) or with
    ``pdflatex`` (Chinese through CJKutf8, Greek and mathematical signs declared) and can
    also be ``\\input`` into a paper (whose preamble loads
    :data:`nqpf.formats.LATEX_PREAMBLE`), then it writes the tables only.

Writing (:meth:`Report.write`; a path ending in .tex, .md, .html, .docx, .csv, .xlsx,
.json or .parquet is one file, as for every result)
    The whole folder is written into a temporary folder beside the target and moved into
    place only when every file is written: a failed run leaves no partial folder and an
    existing report stays as it was. An existing folder is replaced only when it is
    empty or holds nothing but what a report writes; a file of that name, or a folder
    with other files, is refused.
"""

from __future__ import annotations

from collections.abc import Sequence

# the writer of every XLSX and CSV file of a report folder, looked up here when a report
# is written (a caller, or a test of a full disk, may replace it)
from nqpf.io import write_tables as write_tables
from nqpf.report.charts import (
    CHART_RC,
    MAX_TREND_GROUPS,
    chart_dagum,
    chart_density,
    chart_sigma,
    chart_trend,
)
from nqpf.report.document import FILE_SUFFIXES, Report, ReportTable
from nqpf.report.folder import MARKER, file_stem
from nqpf.report.folder import _check_report_folder as _check_report_folder
from nqpf.report.sections import SECTIONS, Context, Part, Progress, build_report
from nqpf.report.tables import dagum_table, obstacle_tables, region_table, score_column

__all__: Sequence[str] = (
    "CHART_RC",
    "FILE_SUFFIXES",
    "MARKER",
    "MAX_TREND_GROUPS",
    "SECTIONS",
    "Context",
    "Part",
    "Progress",
    "Report",
    "ReportTable",
    "build_report",
    "chart_dagum",
    "chart_density",
    "chart_sigma",
    "chart_trend",
    "dagum_table",
    "file_stem",
    "obstacle_tables",
    "region_table",
    "score_column",
)
