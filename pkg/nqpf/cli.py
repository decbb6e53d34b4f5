"""The ``nqpf`` command line: ``score``, ``gini``, ``spatial``, ``convergence``,
``inequality``, ``geodetector``, ``coupling``, ``markov``, ``robustness``, ``report``,
``run`` (a project file, :mod:`nqpf.project`), ``validate``, ``demo``, ``app``.

Exit codes: 0 success, 1 a validation found a mismatch, 2 bad input (one line on
stderr naming the file, row and column — never a traceback). The CLI holds no
statistics: every number comes from the :mod:`nqpf` API.

Outputs never destroy inputs:

* ``--out`` is checked before any work: a file output must have a writable
  suffix (.csv, .xlsx, .json), sit in an existing folder and must not be the
  panel, the spec or the table read (compared with :meth:`pathlib.Path.samefile`,
  so a symbolic or hard link to an input is caught too);
* a report folder must not be, or contain, an input, nor be an existing file;
* files are written atomically (:func:`nqpf.io.write_tables`) and a report folder
  all at once (:meth:`nqpf.report.Report.write`): a failed run leaves no output.

numpy's floating-point RuntimeWarnings are silenced (stderr carries one line per
error); the API checks its results for non-finite numbers itself.

Options are checked when parsed (``--k`` ≥ 2, ``--bootstrap`` ≥ 0, ``--seed`` ≥ 0,
``0 < --level < 1``, finite numbers), each with a one-line error. Any exception
that still escapes is a bug; it is reported as one line too (exit 2, with
``NQPF_TRACEBACK=1`` showing the traceback), never as a raw traceback.

Reading options (``score``, ``gini``, ``report``, ``validate``): ``--sheet`` (XLSX
sheet name, or 0-based index when no sheet has that name), ``--na-values``
(comma-separated cell texts read as missing) and ``--decimal`` (``.`` or ``,``),
passed to :func:`nqpf.read_panel` / :func:`nqpf.io.read_table`.

Spatial weights (``spatial --weights``, ``report``/``validate --spatial-weights``) are
read by :func:`nqpf.spatial.read_weights`: a built-in name (``china-provinces``), a
polygon file (.geojson, .json, .shp, .gpkg; ``--weights-id`` names its region column)
or an edge list (.csv/.xlsx/.parquet with columns focal, neighbour[, weight]).

Text printed from the data (region names, file names) has its control characters
shown as ``\\xNN`` escapes, so a name cannot drive the terminal.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from nqpf.errors import InputError, NqpfError

EXIT_OK = 0
EXIT_MISMATCH = 1
EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors (exit 2) instead of usage dumps."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _whole(minimum: int, maximum: int | None = None) -> Callable[[str], int]:
    """An argparse type: a whole number within [minimum, maximum]."""

    def parse(text: str) -> int:
        value = int(text.strip())  # a ValueError reads "invalid int value: 'x'"
        if value < minimum or (maximum is not None and value > maximum):
            bound = f"from {minimum} to {maximum}" if maximum is not None else f"≥ {minimum}"
            raise argparse.ArgumentTypeError(f"{value} is out of range (use a number {bound})")
        return value

    parse.__name__ = "int"
    return parse


def _number(
    minimum: float | None = None, *, open_interval: tuple[float, float] | None = None
) -> Callable[[str], float]:
    """An argparse type: a finite number, ≥ minimum or strictly inside open_interval."""

    def parse(text: str) -> float:
        value = float(text.strip())  # a ValueError reads "invalid float value: 'x'"
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"'{text}' is not a finite number")
        if minimum is not None and value < minimum:
            raise argparse.ArgumentTypeError(
                f"{value:g} is out of range (use a number ≥ {minimum:g})"
            )
        if open_interval is not None and not open_interval[0] < value < open_interval[1]:
            low, high = open_interval
            raise argparse.ArgumentTypeError(
                f"{value:g} is out of range (use a number strictly between {low:g} and {high:g})"
            )
        return value

    parse.__name__ = "float"
    return parse


def _option_type(info: Any) -> Callable[[str], Any]:
    """An argparse type for option ``info``: the text read as its kind, then judged by
    the declaration's own check (so the CLI has no copy of a range or a choice)."""
    from nqpf.options import na_markers

    def parse(text: str) -> Any:
        stripped = text.strip()
        if info.nullable and stripped.lower() == "none":
            return None
        if info.kind == "values":
            return na_markers(text)
        if info.kind in {"integer", "seed"}:
            value: Any = int(stripped)  # a ValueError reads "invalid int value: 'x'"
        elif info.kind == "number":
            value = float(stripped)  # a ValueError reads "invalid float value: 'x'"
        else:
            value = text
        try:
            return info.check(value)
        except InputError as error:
            raise argparse.ArgumentTypeError(error.message) from None

    parse.__name__ = {"integer": "int", "seed": "int", "number": "float"}.get(info.kind, "str")
    return parse


def _add_options(
    parser: argparse.ArgumentParser,
    family: Any,
    title: str,
    *,
    exclude: Sequence[str] = (),
    prefix: str = "",
) -> None:
    """One flag per CLI-visible option of ``family``, generated from its declaration
    (:mod:`nqpf.options`): name, choices, default and help all come from there.
    ``prefix`` goes before each flag's name (``--markov-k`` beside the report's ``--k``)."""
    group = parser.add_argument_group(title)
    for info in family.describe():
        if not info.cli or info.name in exclude:
            continue
        default = f" (default {info.default})" if info.default not in (None, ()) else ""
        spec: dict[str, Any] = {"dest": f"{family.family}.{info.name}", "default": info.default}
        if info.kind == "flag":
            spec["action"] = argparse.BooleanOptionalAction
        elif info.kind == "choice":
            spec["choices"] = info.choices
        else:
            spec["type"] = _option_type(info)
            spec["metavar"] = "LIST" if info.kind == "values" else info.name.upper()
        flag = "--" + prefix + info.flag[2:] if prefix else info.flag
        group.add_argument(flag, help=info.help + default, **spec)


def _options(args: argparse.Namespace, family: Any, **extra: Any) -> Any:
    """The ``family`` options object of the parsed flags (``extra`` on top)."""
    prefix = family.family + "."
    values = {k[len(prefix) :]: v for k, v in vars(args).items() if k.startswith(prefix)}
    return family(**{**values, **extra})


def _add_read_options(parser: argparse.ArgumentParser, *, form: bool = True) -> None:
    from nqpf.options import ReadOptions

    _add_options(parser, ReadOptions, "reading options", exclude=() if form else ("form",))


def _add_index_options(parser: argparse.ArgumentParser) -> None:
    from nqpf.options import IndexOptions

    _add_options(parser, IndexOptions, "index options (docs/options.md; formulas in the API docs)")


#: The families whose flags ``nqpf report`` and ``nqpf demo`` take with a prefix (the
#: report has its own ``--k``): family → prefix of each flag's name.
REPORT_FLAG_PREFIXES: dict[str, str] = {"markov": "markov-", "clubs": "club-"}


def _add_report_options(parser: argparse.ArgumentParser) -> None:
    from nqpf.options import ClubOptions, MarkovOptions, ReportOptions

    _add_options(parser, ReportOptions, "report options")
    # the report's Markov chains and clubs, flags prefixed (the report has its own --k);
    # the report's score is a number, so no given state labels
    _add_options(
        parser,
        MarkovOptions,
        "report Markov options (docs/options.md)",
        exclude=("state_labels",),
        prefix=REPORT_FLAG_PREFIXES[MarkovOptions.family],
    )
    _add_options(
        parser,
        ClubOptions,
        "report club options (docs/options.md)",
        prefix=REPORT_FLAG_PREFIXES[ClubOptions.family],
    )
    parser.add_argument(
        "--no-validate",
        dest="validate",
        action="store_false",
        help="skip the comparison against R",
    )


def _index_options(args: argparse.Namespace) -> Any:
    from nqpf.options import IndexOptions

    return _options(args, IndexOptions)


def _add_score_command(commands: Any) -> None:
    score = commands.add_parser(
        "score",
        help="compute the composite index of a panel",
        description="Weights and scores of a panel; writes CSV (scores), XLSX (all tables) or JSON.",
    )
    score.add_argument("panel", help="panel file: CSV (UTF-8/GBK), XLSX or Parquet, wide or long")
    score.add_argument("--spec", required=True, help="indicator spec: CSV or TOML")
    score.add_argument("--region", default="region", help="region column (default: region)")
    score.add_argument("--year", default="year", help="year column (default: year)")
    _add_read_options(score)
    _add_index_options(score)
    score.add_argument("--out", help="output file: .csv, .xlsx or .json")
    score.set_defaults(run=_run_score)


def _add_gini_command(commands: Any) -> None:
    gini = commands.add_parser(
        "gini",
        help="Dagum Gini decomposition by group (and by year)",
        description="Dagum (1997) decomposition G = Gw + Gnb + Gt of a value column by group.",
    )
    gini.add_argument("file", help="CSV/XLSX/Parquet with one row per unit (e.g. a score table)")
    gini.add_argument("--value", required=True, help="column to decompose (e.g. score)")
    gini.add_argument("--group", required=True, help="group column (e.g. echelon, region)")
    gini.add_argument("--by", help="split by this column (e.g. year)")
    gini.add_argument("--weights", help="column of non-negative unit weights")
    from nqpf.options import DagumOptions

    _add_options(gini, DagumOptions, "decomposition options")
    _add_read_options(gini, form=False)
    gini.add_argument(
        "--out", help="output: .csv (summary), .xlsx or .json (summary, within, between)"
    )
    gini.set_defaults(run=_run_gini)


#: ``--stat`` names of ``nqpf spatial`` → the API function (module, name) and its table.
SPATIAL_STATS: dict[str, tuple[str, str]] = {
    "moran": ("nqpf.spatial.autocorrelation", "moran"),
    "geary": ("nqpf.spatial.autocorrelation", "geary"),
    "g": ("nqpf.spatial.autocorrelation", "getis_ord_g"),
    "local-moran": ("nqpf.spatial.local", "local_moran"),
    "local-g": ("nqpf.spatial.local", "local_g"),
    "gini": ("nqpf.spatial.gini", "spatial_gini"),
}


def _add_weights_flags(parser: argparse.ArgumentParser, *flags: str, required: bool) -> None:
    """The flags that name spatial weights (read by :func:`nqpf.spatial.read_weights`)."""
    parser.add_argument(
        *flags,
        dest="spatial_weights",
        required=required,
        metavar="W",
        help="spatial weights: china-provinces (built-in contiguity), a polygon file "
        "(.geojson/.shp/.gpkg, with --weights-id) or an edge list (.csv: focal,neighbour[,weight])",
    )
    parser.add_argument("--weights-id", help="region-id column of a polygon weights file")
    parser.add_argument(
        "--rule",
        choices=("queen", "rook"),
        default="queen",
        help="contiguity rule of a polygon weights file (default queen)",
    )


def _add_spatial_command(commands: Any) -> None:
    spatial = commands.add_parser(
        "spatial",
        help="spatial autocorrelation by year: Moran, Geary, Getis–Ord, LISA, spatial Gini",
        description="Global and local spatial statistics of a value column by year "
        "(numbers as R spdep's); writes one table per statistic.",
    )
    spatial.add_argument("panel", help="CSV/XLSX/Parquet, one row per region (and year)")
    spatial.add_argument("--value", required=True, help="column to analyse (e.g. score)")
    spatial.add_argument("--region", required=True, help="region column")
    spatial.add_argument("--year", help="year column (without it: one cross-section)")
    _add_weights_flags(spatial, "--weights", "--spatial-weights", required=True)
    spatial.add_argument(
        "--stat",
        default="moran,local-moran",
        help="comma-separated statistics: "
        + ", ".join(SPATIAL_STATS)
        + " (default moran,local-moran)",
    )
    from nqpf.options import SpatialOptions

    _add_options(spatial, SpatialOptions, "spatial options (docs/options.md)")
    _add_read_options(spatial, form=False)
    spatial.add_argument(
        "--out",
        help="output: .xlsx or .json (one sheet/table per statistic) or .csv "
        "(one statistic; with several, FILE-<table>.csv each)",
    )
    spatial.set_defaults(run=_run_spatial)


#: ``--chain`` names of ``nqpf markov`` → what they run (all from the API).
MARKOV_CHAINS = ("classes", "full-rank", "geo-rank", "lisa")


def _add_markov_command(commands: Any) -> None:
    markov = commands.add_parser(
        "markov",
        help="Markov chains of a value: classes (cut-offs, relative, labels), spatial, "
        "rank and LISA chains, homogeneity tests",
        description="Transition matrices, every stationary distribution, first passage "
        "and sojourn times of a region × year panel (numbers as giddy's); with --weights "
        "the spatial chain (Rey 2001); with --by or --periods the homogeneity tests.",
    )
    markov.add_argument("panel", help="CSV/XLSX/Parquet, one row per region and year")
    markov.add_argument("--value", required=True, help="column to analyse (or its state labels)")
    markov.add_argument("--region", required=True, help="region column")
    markov.add_argument("--year", required=True, help="year column")
    markov.add_argument(
        "--chain",
        choices=MARKOV_CHAINS,
        default="classes",
        help="classes: states cut from the value (default); full-rank / geo-rank: ranks "
        "or regions as states (Rey 2014); lisa: Moran-scatterplot quadrants (needs --weights)",
    )
    _add_weights_flags(markov, "--weights", "--spatial-weights", required=False)
    markov.add_argument(
        "--lisa-convention",
        choices=("nqpf", "giddy"),
        default="nqpf",
        help="the LISA chain's independence test: nqpf (chains over time, default) or giddy "
        "(giddy 2.3's own statistic, docs/methods.md §4.3)",
    )
    markov.add_argument("--by", help="column of regimes (e.g. region group) for homogeneity tests")
    markov.add_argument(
        "--periods", help="comma-separated first years of later sub-periods for homogeneity tests"
    )
    from nqpf.options import MarkovOptions

    _add_options(markov, MarkovOptions, "Markov options (docs/options.md)")
    _add_read_options(markov, form=False)
    markov.add_argument("--out", help="output: .xlsx or .json (one sheet/table per table)")
    markov.set_defaults(run=_run_markov)


#: ``--analysis`` names of ``nqpf convergence`` (docs/methods.md §4).
CONVERGENCE_ANALYSES = ("sigma", "beta", "clubs", "density", "conditional")


def _add_convergence_command(commands: Any) -> None:
    from typing import get_args

    from nqpf.options import ClubOptions, SmallSample

    conv = commands.add_parser(
        "convergence",
        help="σ- and β-convergence, Phillips–Sul clubs, kernel and conditional densities",
        description="Distribution dynamics of a value column of a region × year panel "
        "(docs/methods.md §4); writes one table per analysis.",
    )
    conv.add_argument("panel", help="CSV/XLSX/Parquet, one row per region-year")
    conv.add_argument("--value", required=True, help="column to analyse (e.g. score)")
    conv.add_argument("--region", required=True, help="region column")
    conv.add_argument("--year", required=True, help="year column")
    conv.add_argument(
        "--analysis",
        default="sigma,beta",
        help="comma-separated: " + ", ".join(CONVERGENCE_ANALYSES) + " (default sigma,beta)",
    )
    conv.add_argument("--group", help="σ and densities by this group column too")
    conv.add_argument(
        "--effects",
        default="none,twoway",
        help="β models, comma-separated: none (cross-section), region, twoway (default none,twoway)",
    )
    conv.add_argument(
        "--small-sample",
        choices=get_args(SmallSample),
        default="stata",
        help="small-sample factor of the clustered β standard errors: stata (default) or plm",
    )
    conv.add_argument(
        "--bounds", help="reflect the densities at LOW,HIGH (e.g. 0,1 for a score in [0, 1])"
    )
    conv.add_argument("--lag", type=int, help="years between x and y of the conditional density")
    _add_weights_flags(conv, "--weights", required=False)
    _add_options(conv, ClubOptions, "club options (docs/options.md)")
    _add_read_options(conv, form=False)
    conv.add_argument(
        "--out",
        help="output: .xlsx or .json (one sheet/table per result) or .csv (FILE-<table>.csv each)",
    )
    conv.set_defaults(run=_run_convergence)


def _add_inequality_command(commands: Any) -> None:
    inequality = commands.add_parser(
        "inequality",
        help="inequality by year: Theil T/L, GE(α), Atkinson, Gini, S-Gini, sources",
        description="Inequality measures of a value column by year, decomposed by group "
        "(Theil/GE between–within, Yitzhaki–Lerman for the Gini) or by component "
        "(Lerman–Yitzhaki); writes the tables.",
    )
    inequality.add_argument("panel", help="CSV/XLSX/Parquet, one row per region (and year)")
    inequality.add_argument(
        "--value",
        required=True,
        help="column to measure (e.g. score); with --measure sources, the comma-separated "
        "component columns whose sum is decomposed",
    )
    inequality.add_argument("--group", help="group column for the decomposition (e.g. area)")
    inequality.add_argument("--year", help="year column (without it: one cross-section)")
    inequality.add_argument("--region", help="region column (names a unit in error messages)")
    inequality.add_argument("--weights", help="column of non-negative unit weights (population)")
    from nqpf.options import InequalityOptions

    _add_options(inequality, InequalityOptions, "inequality options (docs/options.md)")
    _add_read_options(inequality, form=False)
    inequality.add_argument("--out", help="output: .csv (overall), .xlsx or .json (every table)")
    inequality.set_defaults(run=_run_inequality)


def _add_geodetector_command(commands: Any) -> None:
    geo = commands.add_parser(
        "geodetector",
        help="geographical detector: factor q, interaction, risk and ecological detectors",
        description="How much of a column's spatial stratified heterogeneity each factor "
        "explains (Wang et al. 2010, 2016): q with its noncentral-F p-value, the interaction "
        "types, t-tests between strata, F-tests between factors; continuous factors are "
        "discretised (by default the method and number of strata with the largest q).",
    )
    geo.add_argument("panel", help="CSV/XLSX/Parquet, one row per unit (region or region-year)")
    geo.add_argument("--y", default="score", help="explained column (default score)")
    geo.add_argument("--factors", required=True, help="comma-separated factor columns")
    geo.add_argument("--year", help="year column (with --at: one year; without: every row)")
    geo.add_argument("--at", help="the year analysed (needs --year)")
    from nqpf.options import GeodetectorOptions

    _add_options(geo, GeodetectorOptions, "geodetector options (docs/options.md)")
    _add_read_options(geo, form=False)
    geo.add_argument(
        "--out", help="output: .xlsx or .json (every table) or .csv (the factor detector)"
    )
    geo.set_defaults(run=_run_geodetector)


def _add_coupling_command(commands: Any) -> None:
    coupling = commands.add_parser(
        "coupling",
        help="coupling coordination degree of n subsystems by region-year (C, T, D, levels)",
        description="Coupling degree C (classic or corrected), coordination index T, "
        "D = √(C·T), its 10-level grade and the relative development of subsystem scores "
        "in [0, 1]: columns of PANEL (--systems), or the dimensions of the index of PANEL "
        "with --spec. Writes CSV (the region-year table), XLSX or JSON (every table).",
    )
    coupling.add_argument("panel", help="CSV/XLSX/Parquet, one row per region-year")
    coupling.add_argument(
        "--systems",
        help="comma-separated columns holding each subsystem's score in [0, 1] "
        "(with --spec: dimension names; default every dimension)",
    )
    coupling.add_argument(
        "--spec", help="indicator spec: score PANEL first and couple the index's dimensions"
    )
    coupling.add_argument("--region", default="region", help="region column (default: region)")
    coupling.add_argument("--year", default="year", help="year column (default: year)")
    coupling.add_argument("--group", help="group column carried into the means by year")
    from nqpf.options import CouplingOptions

    _add_options(coupling, CouplingOptions, "coupling options (docs/options.md)")
    _add_index_options(coupling)
    _add_read_options(coupling, form=False)
    coupling.add_argument("--out", help="output file: .csv, .xlsx or .json")
    coupling.set_defaults(run=_run_coupling)


def _add_robustness_command(commands: Any) -> None:
    robustness = commands.add_parser(
        "robustness",
        help="rerun the index over a grid of choices: rank ranges, τ/ρ, robust conclusions",
        description="The index under every combination of a grid of options (default: "
        "weights × scope × standardisation × TOPSIS weighting × normalisation, 48 variants): "
        "Kendall τ and Spearman ρ between the variants, each region's rank range and modal "
        "echelon, the range of the Dagum shares, and the conclusions that hold in every variant.",
    )
    robustness.add_argument("panel", help="panel file: CSV (UTF-8/GBK), XLSX or Parquet")
    robustness.add_argument(
        "--spec", help="indicator spec: CSV or TOML (default: every numeric column, benefit)"
    )
    robustness.add_argument("--region", default="region", help="region column (default: region)")
    robustness.add_argument("--year", default="year", help="year column (default: year)")
    robustness.add_argument(
        "--grid",
        action="append",
        metavar="NAME=V1,V2",
        help="one index option and its values, e.g. --grid weights=entropy,critic "
        "(repeat for more options; default: the documented 48-variant grid)",
    )
    robustness.add_argument(
        "--group", help="decompose the Dagum shares by this panel column (default: the echelons)"
    )
    robustness.add_argument(
        "--no-dagum", dest="dagum", action="store_false", help="skip the Dagum shares"
    )
    _add_read_options(robustness)
    _add_index_options(robustness)
    from nqpf.options import EchelonOptions

    _add_options(
        robustness,
        EchelonOptions,
        "echelon options (the echelons of each variant)",
        exclude=("ddof", "seed", "n_init"),
    )
    robustness.add_argument("--out", help="output file: .csv (variants), .xlsx or .json (all)")
    robustness.add_argument("--figure", help="the rank-range plot: .svg, .png or .pdf")
    robustness.set_defaults(run=_run_robustness)


def _add_report_command(commands: Any) -> None:
    report = commands.add_parser(
        "report",
        help="paper-ready tables and an HTML report for a panel",
        description="Index, echelons, Dagum by year, convergence, Markov chain, clubs, "
        "obstacle degrees and the R validation verdict; writes HTML, Markdown, LaTeX, Word, "
        "XLSX, CSV and the figures (SVG, PNG, PDF).",
    )
    report.add_argument("panel", help="panel file: CSV (UTF-8/GBK), XLSX or Parquet, wide or long")
    report.add_argument("--spec", required=True, help="indicator spec: CSV or TOML")
    report.add_argument("--region", default="region", help="region column (default: region)")
    report.add_argument("--year", default="year", help="year column (default: year)")
    report.add_argument("--group", help="group column for the Dagum decomposition (e.g. east/west)")
    _add_read_options(report)
    _add_index_options(report)
    _add_report_options(report)
    _add_weights_flags(report, "--spatial-weights", required=False)
    from nqpf.options import SpatialOptions

    _add_options(report, SpatialOptions, "spatial options (with --spatial-weights)")
    report.add_argument(
        "--geodetector-factors",
        metavar="LIST",
        help="comma-separated indicators (or kept columns): adds a geographical-detector "
        "section on the score (default options of nqpf geodetector)",
    )
    report.add_argument("--out", default="nqpf-report", help="output folder (default nqpf-report)")
    report.set_defaults(run=_run_report)


def _add_run_command(commands: Any) -> None:
    run = commands.add_parser(
        "run",
        help="reproduce a saved analysis: the report of a project file",
        description="Read a project file (nqpf.project: the data and its fingerprint, the "
        "column mapping, the spec, every option, the group order and the language; the app's "
        "Download project writes one) and write its report folder, as nqpf report does. The "
        "data path is relative to the project file's folder.",
    )
    run.add_argument("project", help="project file (.toml)")
    run.add_argument("--out", default="nqpf-report", help="output folder (default nqpf-report)")
    run.add_argument("--data", metavar="FILE", help="read the data from FILE instead")
    run.add_argument(
        "--allow-changed-data",
        action="store_true",
        help="run even when the data's (or the spatial weights file's) SHA-256 differs "
        "from the project's",
    )
    run.set_defaults(run=_run_project)


def _add_validate_command(commands: Any) -> None:
    validate = commands.add_parser(
        "validate",
        help="check every number of the index (and its Dagum decomposition) against R",
        description="Compare nqpf's weights, scores and Dagum terms with R routines through "
        "rpy2, quantity by quantity. Exit 0 when every compared row agrees, 1 on a mismatch, "
        "2 on bad input. Without R every R row is skipped (one line on stderr) and the exit "
        "code is 0, unless --require-r.",
    )
    validate.add_argument("panel", nargs="?", help="panel file (CSV/XLSX/Parquet, wide or long)")
    validate.add_argument(
        "--default", action="store_true", help="use the embedded default data (PWT 9.1)"
    )
    validate.add_argument("--spec", help="indicator spec: CSV or TOML (required with PANEL)")
    validate.add_argument("--region", default="region", help="region column (default: region)")
    validate.add_argument("--year", default="year", help="year column (default: year)")
    validate.add_argument(
        "--group", help="group column: also check the Dagum decomposition of the score"
    )
    validate.add_argument("--by", help="slice the decomposition by this column (default: year)")
    validate.add_argument("--dagum-weights", help="column of unit weights for the decomposition")
    _add_weights_flags(validate, "--spatial-weights", required=False)
    _add_read_options(validate)
    _add_index_options(validate)
    validate.add_argument(
        "--routines", help="comma-separated routines or packages (default: all), e.g. laeken,dineq"
    )
    validate.add_argument("--tolerance", type=_number(0.0), default=1e-10, help="relative (1e-10)")
    validate.add_argument("--detail", action="store_true", help="one row per value")
    validate.add_argument("--json", action="store_true", help="print JSON instead of text")
    validate.add_argument(
        "--require-r", action="store_true", help="exit 2 when R or rpy2 is not available"
    )
    validate.add_argument("--out", help="write the table: .csv, .xlsx or .json")
    validate.set_defaults(run=_run_validate)


def _add_demo_command(commands: Any) -> None:
    demo = commands.add_parser(
        "demo", help="the whole pipeline on the embedded default data (Penn World Table 9.1)"
    )
    _add_report_options(demo)
    demo.add_argument("--out", default="nqpf-report", help="output folder (default nqpf-report)")
    demo.set_defaults(run=_run_demo)


def _add_app_command(commands: Any) -> None:
    app = commands.add_parser("app", help="start the Streamlit app")
    app.add_argument("--port", type=_whole(1, 65535), default=8501)
    app.set_defaults(run=_run_app)


def build_parser() -> argparse.ArgumentParser:
    """The parser: one sub-command per ``_add_<name>_command``."""
    parser = _Parser(
        prog="nqpf",
        description="Composite index (entropy-weight TOPSIS), Dagum Gini decomposition and "
        "distribution dynamics for region × year panels.",
    )
    from nqpf import __version__

    parser.add_argument("--version", action="version", version=f"nqpf {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    _add_score_command(commands)
    _add_gini_command(commands)
    _add_spatial_command(commands)
    _add_markov_command(commands)
    _add_convergence_command(commands)
    _add_inequality_command(commands)
    _add_geodetector_command(commands)
    _add_coupling_command(commands)
    _add_robustness_command(commands)
    _add_report_command(commands)
    _add_run_command(commands)
    _add_validate_command(commands)
    _add_demo_command(commands)
    _add_app_command(commands)
    return parser


def _printable(text: str) -> str:
    """``text`` with control characters (but newline and tab) as ``\\xNN`` escapes:
    a region or file name holding ESC sequences cannot drive the terminal."""
    if text.isprintable():
        return text
    return "".join(
        ch
        if ch in "\n\t" or not (ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0)
        else f"\\x{ord(ch):02x}"
        for ch in text
    )


def _one_line(text: str) -> str:
    return _printable(" ".join(text.splitlines()).replace("\t", " "))


def _say(text: str = "") -> None:
    print(_printable(text), flush=True)


def _progress_bar(label: str) -> Callable[[int, int], None]:
    """A text progress bar on stderr, as a callable(done, total)."""

    def update(done: int, total: int) -> None:
        width = 30
        filled = int(width * done / max(total, 1))
        end = "\n" if done >= total else ""
        sys.stderr.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}{end}")
        sys.stderr.flush()

    return update


def _read_options(args: argparse.Namespace, source: str | None) -> Any:
    """The :class:`~nqpf.options.ReadOptions` of the reading flags (``--sheet`` as a
    name, or a position when the workbook has no sheet of that name)."""
    from nqpf.options import ReadOptions

    sheet = getattr(args, "read.sheet", None)
    return _options(
        args, ReadOptions, sheet=None if sheet is None else _sheet_choice(sheet, source)
    )


def _read_keywords(args: argparse.Namespace, source: str | None) -> dict[str, Any]:
    """The reading options as keywords of :func:`nqpf.io.read_source` (no ``form``)."""
    options = _read_options(args, source)
    return {"sheet": options.sheet, "na_values": options.na_values, "decimal": options.decimal}


def _sheet_choice(sheet: str, source: str | None) -> str | int:
    """A sheet name, or a 0-based index when ``sheet`` is a whole number and the
    workbook has no sheet of that name (a sheet named "2020" is common)."""
    text = sheet.strip()
    if not text.isdigit():
        return sheet
    names: list[str] = []
    if source is not None:
        from nqpf import io

        lister = getattr(io, "sheet_names", None)
        if lister is not None:
            try:
                names = list(lister(source))
            except (InputError, OSError):
                names = []  # the reader says what is wrong with the file
    return sheet if sheet in names else int(text)


def _same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    try:
        return Path(a).samefile(b)
    except (OSError, ValueError):  # a path that does not exist (yet), or holds a NUL
        return False


def _inputs(*paths: str | None) -> list[str]:
    return [p for p in paths if p]


def _check_out(out: str | None, inputs: Sequence[str] = ()) -> None:
    """Refuse a bad ``--out`` before any work, so that a failed run prints no results
    and nothing is written: a wrong suffix, a folder, a missing folder, or an input."""
    if out is None:
        return
    from nqpf.io import WRITE_SUFFIXES  # the writer's own list

    path = Path(out)
    if path.suffix.lower() not in WRITE_SUFFIXES:
        raise InputError(
            f"cannot write '{path.suffix or path.name}' files",
            file=out,
            hint="give --out a file name ending in " + ", ".join(WRITE_SUFFIXES),
        )
    if "\0" in out:
        raise InputError("the file name holds a NUL character", hint="give --out another name")
    for source in inputs:
        if _same_file(out, source):
            raise InputError(
                f"is the input file '{source}'; writing it would destroy the input",
                file=out,
                hint="give --out another file name",
            )
    if path.is_dir():
        raise InputError("is a directory, not a file", file=out, hint="give --out a file name")
    parent = path.parent
    if not parent.is_dir():
        what = "is a file, not a folder" if parent.exists() else "does not exist"
        raise InputError(
            f"the folder '{parent}' {what}",
            file=out,
            hint="create the folder first or choose another --out",
        )
    _probe_writable(parent, out)


def _probe_writable(folder: Path, out: str) -> None:
    """Create and remove a file in ``folder``: the one test of writability that holds for
    root, read-only mounts and ACLs alike (``os.access`` answers yes to root)."""
    import tempfile

    try:
        handle, name = tempfile.mkstemp(prefix=".nqpf-probe-", dir=folder)
    except OSError as error:
        raise InputError(
            f"the folder '{folder}' is not writable ({error.strerror or error})",
            file=out,
            hint="choose another --out",
        ) from None
    os.close(handle)
    Path(name).unlink(missing_ok=True)


def _check_report_out(out: str, inputs: Sequence[str] = ()) -> None:
    """Refuse a report folder that is, or holds, an input, or that is a file (the
    folder is replaced whole, so an input inside it would be lost)."""
    if not out.strip():
        raise InputError("no report folder given", hint="give --out a folder name")
    if "\0" in out:
        raise InputError("the folder name holds a NUL character", hint="give --out another name")
    folder = Path(out)
    for source in inputs:
        inside = False
        with contextlib.suppress(OSError, RuntimeError, ValueError):
            inside = Path(source).resolve().is_relative_to(folder.resolve())
        if inside or _same_file(out, source):
            raise InputError(
                f"holds the input file '{source}'; the report replaces the folder whole",
                file=out,
                hint="give --out a new folder name",
            )
    from nqpf.report import _check_report_folder

    _check_report_folder(folder)
    _probe_writable(folder.parent, out)


def _panel_and_spec(args: argparse.Namespace) -> tuple[Any, Any]:
    """The panel (with the reading flags) and the spec of a command's PANEL and --spec."""
    from nqpf.panel import read_panel, read_spec

    panel = read_panel(
        args.panel, region=args.region, year=args.year, options=_read_options(args, args.panel)
    )
    return panel, read_spec(args.spec)


def _run_score(args: argparse.Namespace) -> int:
    from nqpf.index import entropy_topsis

    _check_out(args.out, _inputs(args.panel, args.spec))
    panel, spec = _panel_and_spec(args)
    result = entropy_topsis(panel, spec, options=_index_options(args))
    _say(result.summary())
    if args.out:
        path = result.write(args.out)
        _say(f"\nwrote {path}")
    return EXIT_OK


def _run_gini(args: argparse.Namespace) -> int:

    from nqpf.dagum import dagum_gini
    from nqpf.io import read_source

    _check_out(args.out, _inputs(args.file))
    # errors on the frame name its data rows; table.locate turns them into the rows the
    # spreadsheet shows (and names the sheet). The decomposition names the first cell
    # that is not a number.
    table = read_source(args.file, **_read_keywords(args, args.file))
    frame = _whole_years(table.frame, args.by)
    from nqpf.options import DagumOptions

    options = _options(args, DagumOptions)
    progress = _progress_bar("bootstrap") if options.bootstrap else None
    try:
        result = dagum_gini(
            frame,
            value=args.value,
            group=args.group,
            by=args.by,
            weights=args.weights,
            **dict(options),
            progress=progress,
        )
    except InputError as error:
        raise table.locate(error) from None
    _say(str(result))
    if args.out:
        path = result.write(args.out)  # the results protocol: its tables, by extension
        _say(f"\nwrote {path}")
    return EXIT_OK


def _spatial_stats(text: str) -> list[str]:
    """The ``--stat`` list, each name known."""
    return _names_list(text, tuple(SPATIAL_STATS), "statistic", "stat")


def _read_weights(args: argparse.Namespace) -> Any:
    """The weights of ``--weights``/``--spatial-weights`` (None when not given)."""
    if getattr(args, "spatial_weights", None) is None:
        return None
    from nqpf.spatial.builders import read_weights

    return read_weights(args.spatial_weights, id=args.weights_id, rule=args.rule)


def _spatial_report(args: argparse.Namespace, weights: Any) -> dict[str, Any]:
    """The spatial keywords of :func:`nqpf.build_report`: the weights, the map of a
    polygon weights file (else the built-in China map) and the spatial options."""
    if weights is None:
        return {}
    from nqpf.options import SpatialOptions
    from nqpf.spatial.builders import GEOMETRY_SUFFIXES

    out: dict[str, Any] = {"weights": weights, "spatial_options": _options(args, SpatialOptions)}
    if Path(args.spatial_weights).suffix.lower() in GEOMETRY_SUFFIXES:
        out.update(geometry=args.spatial_weights, geometry_id=args.weights_id)
    return out


def _csv_outs(out: str, names: Sequence[str]) -> dict[str, str]:
    """Statistic → CSV file: ``out`` for one, ``<stem>-<table>.csv`` beside it for more."""
    if len(names) == 1:
        return {names[0]: out}
    path = Path(out)
    return {name: str(path.with_name(f"{path.stem}-{name}{path.suffix}")) for name in names}


def _run_spatial(args: argparse.Namespace) -> int:
    from importlib import import_module

    from nqpf.io import read_source
    from nqpf.options import SpatialOptions

    stats = _spatial_stats(args.stat)
    inputs = _inputs(args.panel, args.spatial_weights)
    if args.out and Path(args.out).suffix.lower() == ".csv":
        for target in _csv_outs(args.out, stats).values():
            _check_out(target, inputs)
    else:
        _check_out(args.out, inputs)
    weights = _read_weights(args)
    table = read_source(args.panel, **_read_keywords(args, args.panel))
    frame = _whole_years(table.frame, args.year)
    options = _options(args, SpatialOptions)
    results = []
    for name in stats:
        module, function = SPATIAL_STATS[name]
        run = getattr(import_module(module), function)
        try:
            results.append(
                run(frame, args.value, args.region, args.year, w=weights, options=options)
            )
        except InputError as error:
            raise table.locate(error) from None
    for result in results:
        _say(result.summary())
        _say("")
    if args.out:
        from nqpf.results import _plain

        meta = {k: _plain(v) for k, v in options.items()}
        meta.update(weights=args.spatial_weights, statistics=",".join(stats))
        _write_spatial(stats, results, args.out, meta)
    return EXIT_OK


def _run_markov(args: argparse.Namespace) -> int:
    import nqpf
    from nqpf.io import read_source, write_tables
    from nqpf.options import MarkovOptions

    _check_out(args.out, _inputs(args.panel, args.spatial_weights))
    weights = _read_weights(args)
    table = read_source(args.panel, **_read_keywords(args, args.panel))
    frame = _whole_years(table.frame, args.year)
    options = _options(args, MarkovOptions)
    where = (args.value, args.region, args.year)
    results = []
    try:
        if args.chain == "classes":
            results.append(nqpf.markov_chain(frame, *where, w=weights, options=options))
        elif args.chain == "lisa":
            if weights is None:
                raise InputError(
                    "the LISA Markov chain needs --weights", hint="e.g. --weights china-provinces"
                )
            results.append(
                nqpf.lisa_markov(frame, *where, w=weights, convention=args.lisa_convention)
            )
        else:
            results.append(nqpf.rank_markov(frame, *where, kind=args.chain.split("-")[0]))
        if args.by or args.periods:
            periods = _periods(args.periods) if args.periods else None
            results.append(
                nqpf.markov_homogeneity(frame, *where, by=args.by, periods=periods, options=options)
            )
    except InputError as error:
        raise table.locate(error) from None
    for result in results:
        _say(result.summary())
        _say("")
    if args.out:
        tables: dict[str, Any] = {}
        for result in results:
            prefix = "homogeneity_" if getattr(result, "kind", "") == "homogeneity" else ""
            tables.update({prefix + k: v for k, v in result.tables().items()})
        _say(f"wrote {write_tables(tables, args.out, meta={'chain': args.chain})}")
    return EXIT_OK


def _periods(text: str) -> list[int]:
    """The ``--periods`` years as whole numbers."""
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise InputError(
            f"--periods {text!r} must list years", hint="e.g. --periods 2010,2015"
        ) from None


def _run_inequality(args: argparse.Namespace) -> int:
    from nqpf.inequality import inequality
    from nqpf.io import read_source
    from nqpf.options import InequalityOptions

    _check_out(args.out, _inputs(args.panel))
    table = read_source(args.panel, **_read_keywords(args, args.panel))
    frame = _whole_years(table.frame, args.year)
    options = _options(args, InequalityOptions)
    value: Any = args.value
    if options.measure == "sources":
        value = [part.strip() for part in args.value.split(",") if part.strip()]
    try:
        result = inequality(
            frame,
            value,
            args.group,
            by=args.year,
            weights=args.weights,
            region=args.region,
            options=options,
        )
    except InputError as error:
        raise table.locate(error) from None
    _say(result.summary())
    if args.out:
        _say(f"\nwrote {result.write(args.out)}")
    return EXIT_OK


def _geodetector_factors(args: argparse.Namespace) -> tuple[str, ...]:
    """The factors of ``nqpf report --geodetector-factors`` (none: no section)."""
    from nqpf.options import na_markers

    return na_markers(getattr(args, "geodetector_factors", None))


def _run_geodetector(args: argparse.Namespace) -> int:
    from nqpf.geodetect import geodetector
    from nqpf.io import read_source, write_tables
    from nqpf.options import GeodetectorOptions, na_markers
    from nqpf.results import _plain

    _check_out(args.out, _inputs(args.panel))
    table = read_source(args.panel, **_read_keywords(args, args.panel))
    frame = _whole_years(table.frame, args.year)
    at: Any = args.at
    if at is not None and args.year in frame.columns and frame.schema[args.year].is_integer():
        at = int(at) if at.strip().lstrip("-").isdigit() else at
    options = _options(args, GeodetectorOptions)
    try:
        result = geodetector(
            frame, y=args.y, factors=list(na_markers(args.factors)), year=args.year, at=at,
            options=options,
        )  # fmt: skip
    except InputError as error:
        raise table.locate(error) from None
    _say(result.summary())
    if args.out:
        meta = {k: _plain(v) for k, v in options.items()}
        _say(f"wrote {write_tables(result.tables(), args.out, meta=meta, main='factor')}")
    return EXIT_OK


def _run_coupling(args: argparse.Namespace) -> int:
    from nqpf.coupling import coupling_coordination
    from nqpf.options import CouplingOptions

    _check_out(args.out, _inputs(args.panel, args.spec))
    options = _options(args, CouplingOptions)
    systems = [s.strip() for s in args.systems.split(",") if s.strip()] if args.systems else None
    if args.spec:
        from nqpf.index import entropy_topsis

        panel, spec = _panel_and_spec(args)
        index = entropy_topsis(panel, spec, options=_index_options(args))
        result = coupling_coordination(index, systems, group=args.group, options=options)
    else:
        if systems is None:
            raise InputError(
                "no systems given",
                hint="name the score columns with --systems a,b[,c] or score the panel with --spec",
            )
        from nqpf.io import read_source

        table = read_source(args.panel, **_read_keywords(args, args.panel))
        frame = _whole_years(table.frame, args.year)
        try:
            result = coupling_coordination(
                frame,
                systems,
                region=args.region,
                year=args.year,
                group=args.group,
                options=options,
            )
        except InputError as error:
            raise table.locate(error) from None
    _say(result.summary())
    if args.out:
        path = result.write(args.out)
        _say(f"\nwrote {path}")
    return EXIT_OK


def _write_spatial(
    stats: Sequence[str], results: Sequence[Any], out: str, meta: dict[str, Any]
) -> None:
    """One table per statistic: sheets of one XLSX, arrays of one JSON, or CSV files
    (``FILE-<stat>.csv`` each when there are several)."""
    from nqpf.io import write_tables

    if Path(out).suffix.lower() == ".csv":
        targets = _csv_outs(out, stats)
        for name, result in zip(stats, results, strict=True):
            _say(f"wrote {write_tables(result.tables(), targets[name], meta=meta)}")
        return
    tables: dict[str, Any] = {}
    for result in results:
        tables.update(result.tables())
    _say(f"wrote {write_tables(tables, out, meta=meta)}")


def _names_list(text: str, known: Sequence[str], noun: str, flag: str | None = None) -> list[str]:
    """A comma-separated ``--flag`` value (``flag`` default: ``noun``) of distinct names,
    each one of ``known``; one line naming the first unknown one."""
    names = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = [n for n in names if n not in known]
    if unknown or not names:
        raise InputError(
            f"unknown {noun} '{unknown[0]}'" if unknown else f"no {noun} given",
            hint=f"--{flag or noun} takes a comma-separated list of: " + ", ".join(known),
        )
    return list(dict.fromkeys(names))


def _bounds(text: str | None) -> tuple[float, float] | None:
    if text is None:
        return None
    parts = [p.strip() for p in text.split(",")]
    try:
        low, high = (float(p) for p in parts)
    except ValueError:
        raise InputError(
            f"--bounds {text!r} is not two numbers", hint="give LOW,HIGH, e.g. --bounds 0,1"
        ) from None
    return low, high


def _convergence_results(args: argparse.Namespace, frame: Any, weights: Any) -> list[Any]:
    """Run each ``--analysis`` on the frame; a result, or {table name: frame}."""
    from nqpf import dynamics
    from nqpf.dynamics.stochastic_kernel import conditional_density
    from nqpf.options import ClubOptions

    analyses = _names_list(args.analysis, CONVERGENCE_ANALYSES, "analysis")
    value, region, year, group = args.value, args.region, args.year, args.group
    bounds = _bounds(args.bounds)
    out: list[Any] = []
    for name in analyses:
        if name == "sigma":
            out.append({"sigma": dynamics.sigma_convergence(frame, value, year, group, region)})
        elif name == "beta":
            for effects in _names_list(args.effects, ("none", "region", "twoway"), "effects"):
                out.append(
                    dynamics.beta_convergence(
                        frame, value, region, year, effects=effects, small_sample=args.small_sample
                    )
                )
        elif name == "clubs":
            options = _options(args, ClubOptions)
            out.append(dynamics.club_convergence(frame, value, region, year, options=options))
        elif name == "density":
            density = dynamics.kernel_density(
                frame, value, year, group, region=region, bounds=bounds
            )
            out.append({"density": density})
        else:
            out.append(
                conditional_density(
                    frame, value, region, year, lag=args.lag, w=weights, bounds=bounds
                )
            )
    return out


def _run_convergence(args: argparse.Namespace) -> int:
    from nqpf.io import read_source, write_tables

    inputs = _inputs(args.panel, args.spatial_weights)
    _check_out(args.out, inputs)
    weights = _read_weights(args)
    table = read_source(args.panel, **_read_keywords(args, args.panel))
    frame = _whole_years(table.frame, args.year)
    try:
        results = _convergence_results(args, frame, weights)
    except InputError as error:
        raise table.locate(error) from None
    tables: dict[str, Any] = {}
    for result in results:
        if isinstance(result, dict):
            for name, part in result.items():
                _say(f"{name}:\n{part}")
            tables.update(result)
        else:
            _say(result.summary())
            parts = result.tables()
            if hasattr(result, "effects"):  # one β table per model
                parts = {f"beta_{result.effects}": result.to_frame()}
            tables.update({k: v for k, v in parts.items() if k != "series"})
        _say("")
    if args.out:
        if Path(args.out).suffix.lower() == ".csv":
            for name, target in _csv_outs(args.out, list(tables)).items():
                _say(f"wrote {write_tables({name: tables[name]}, target)}")
        else:
            _say(f"wrote {write_tables(tables, args.out)}")
    return EXIT_OK


def _grid(items: Sequence[str] | None) -> dict[str, list[Any]] | None:
    """The ``--grid NAME=V1,V2`` flags as a grid; each value read as its option's kind
    and judged by the declaration (:mod:`nqpf.options`), one line naming the option."""
    if not items:
        return None
    from nqpf.options import IndexOptions

    grid: dict[str, list[Any]] = {}
    for item in items:
        name, equals, values = item.partition("=")
        name = name.strip().replace("-", "_")
        if not equals or not name:
            raise InputError(
                f"--grid {item!r} is not NAME=V1,V2", hint="e.g. --grid weights=entropy,critic"
            )
        parse = _option_type(IndexOptions.info(name))
        parsed = []
        for value in (v for v in values.split(",") if v.strip()):
            try:
                parsed.append(parse(value.strip()))
            except (argparse.ArgumentTypeError, ValueError) as error:
                raise InputError(f"grid option '{name}': {error}") from None
        grid.setdefault(name, []).extend(parsed)
    return grid


def _run_robustness(args: argparse.Namespace) -> int:
    from nqpf.multiverse import rank_range, robustness
    from nqpf.options import EchelonOptions

    grid = _grid(args.grid)  # checked before the panel is read
    _check_out(args.out, _inputs(args.panel, args.spec))
    if args.figure:
        from nqpf.figures import FORMATS

        if Path(args.figure).suffix.lower().lstrip(".") not in FORMATS:
            raise InputError(
                f"cannot write the figure as {Path(args.figure).suffix or '(no suffix)'}",
                file=args.figure,
                hint="use .svg, .png or .pdf",
            )
        _check_out(args.out, _inputs(args.panel, args.spec, args.figure))
    from nqpf.panel import read_panel, read_spec

    panel = read_panel(
        args.panel, region=args.region, year=args.year, options=_read_options(args, args.panel)
    )
    spec = None if args.spec is None else read_spec(args.spec)
    result = robustness(
        panel,
        spec,
        grid=grid,
        echelons=_options(args, EchelonOptions),
        dagum=(args.group or True) if args.dagum else False,
        options=_index_options(args),
    )
    _say(result.summary())
    if args.out:
        _say(f"\nwrote {result.write(args.out)}")
    if args.figure:
        from nqpf.figures import save

        _say(f"wrote {save(rank_range(result), args.figure)}")
    return EXIT_OK


def _whole_years(frame: Any, column: str | None) -> Any:
    """``frame`` with a text ``column`` of whole numbers (years read as text, e.g.
    from a sheet) as integers; as it is otherwise."""
    import polars as pl

    if column and column in frame.columns and frame.schema[column] == pl.String:
        as_int = frame.get_column(column).cast(pl.Int64, strict=False)
        if as_int.null_count() == frame.get_column(column).null_count():
            return frame.with_columns(as_int.alias(column))
    return frame


def _step_bar() -> Callable[[str, int, int], None]:
    bar = _progress_bar("")

    def update(label: str, done: int, total: int) -> None:
        sys.stderr.write(f"\r{label:<12}")
        bar(done, total)

    return update


def _report_families(args: argparse.Namespace) -> tuple[Any, Any]:
    """The Markov and club options of ``nqpf report``/``nqpf demo`` (``--markov-*``,
    ``--club-*``), checked before any work."""
    from nqpf.options import ClubOptions, MarkovOptions

    return _options(args, MarkovOptions), _options(args, ClubOptions)


def _report(
    result: Any,
    args: argparse.Namespace,
    *,
    panel: Any,
    spec: Any,
    options: Any,
    group: str | None,
    title: tuple[str, dict[str, Any]],
) -> int:
    """Build and write the report; ``title`` is its key in :mod:`nqpf.translations` and
    the values it is formatted with (the report's language decides the text)."""
    from importlib.util import find_spec

    from nqpf.options import ReportOptions
    from nqpf.report import build_report
    from nqpf.translations import text

    report_options = _options(args, ReportOptions)
    markov_options, club_options = _report_families(args)
    from nqpf.report.sections import shown_groups

    shown_groups(result.tables()["scores"], group, report_options)  # before the R run
    weights = _read_weights(args)  # before the R run too

    validation = None
    if getattr(args, "validate", True) and find_spec("nqpf.crossval") is not None:
        from nqpf.crossval import validate

        _say("checking every number against R (nqpf validate)…")
        validation = validate(
            panel, spec, group=group, options=options or None, spatial_weights=weights
        )
    report = build_report(
        result,
        group=group,
        options=report_options,
        validation=validation,
        **_spatial_report(args, weights),
        geodetector_factors=_geodetector_factors(args),
        markov_options=markov_options,
        club_options=club_options,
        title=text(title[0], report_options.language, **title[1]),
        progress=_step_bar(),
    )
    written = report.write_folder(args.out)  # --out is always the report's folder
    _say("\n".join(report.summary_lines))
    _say(f"\nwrote {len(written)} files to {args.out}/ (open {Path(args.out) / 'report.html'})")
    return EXIT_OK


def _run_report(args: argparse.Namespace) -> int:
    from nqpf.index import entropy_topsis

    _check_report_out(args.out, _inputs(args.panel, args.spec))
    _report_families(args)  # a bad combination of options is refused before the index
    panel, spec = _panel_and_spec(args)
    if args.group and args.group not in panel.frame.columns:
        raise InputError(
            f"no column named '{args.group}'", file=args.panel, row=1, column=args.group
        )
    # a key used as the group (e.g. decompose by region) is in the scores already
    carried = args.group and args.group not in (panel.region, panel.year)
    keep = [args.group] if carried else None
    options = _index_options(args)
    result = entropy_topsis(panel, spec, keep=keep, options=options)
    return _report(
        result,
        args,
        panel=panel,
        spec=spec,
        options=options,
        group=args.group,
        title=("report.title.file", {"name": Path(args.panel).name}),
    )


def _project_weights(
    project: Any, base: Path, regions: Sequence[Any], *, allow_changed: bool = False
) -> tuple[Any, dict[str, Any]]:
    """The spatial weights a project names (a built-in name, with ``weights_kind`` built
    over the data's ``regions`` as the app builds them; or a file relative to the
    project's folder, its fingerprint checked) and the spatial keywords of
    :func:`nqpf.build_report`."""
    settings = project.run
    if settings.spatial_weights is None:
        return None, {}
    from nqpf.spatial.builders import (
        BUILTIN_REGIONS,
        GEOMETRY_SUFFIXES,
        builtin_weights,
        read_weights,
    )

    source = settings.spatial_weights
    builtin = source in BUILTIN_REGIONS
    if settings.weights_kind is not None:
        if not builtin:
            raise InputError(
                f"[run] weights_kind builds built-in weights, but spatial_weights names "
                f"the file '{source}'",
                file=project.source,
                hint="name the built-in regions (" + ", ".join(BUILTIN_REGIONS) + ") or "
                "drop weights_kind",
            )
        weights = builtin_weights(
            list(regions), settings.weights_kind, name=source, **settings.builtin_parameters()
        )
    else:
        if not builtin and not Path(source).is_absolute():
            source = str(base / source)
        if not builtin and settings.weights_sha256 is not None:
            path = Path(source)
            if not path.is_file():
                raise InputError(
                    "the project's spatial weights file was not found",
                    file=source,
                    hint="put it beside the project file as [run] spatial_weights names it",
                )
            settings.check_weights_fingerprint(
                path.read_bytes(), source, allow_changed=allow_changed
            )
        weights = read_weights(source, id=settings.weights_id, rule=settings.rule)
    out: dict[str, Any] = {"weights": weights, "spatial_options": project.options.get("spatial")}
    if Path(source).suffix.lower() in GEOMETRY_SUFFIXES:
        out.update(geometry=source, geometry_id=settings.weights_id)
    return weights, out


def _run_project(args: argparse.Namespace) -> int:
    """``nqpf run``: the report of a project file (:mod:`nqpf.project`); the data read
    and checked against its fingerprint, every option as saved."""
    from nqpf import __version__
    from nqpf.index import entropy_topsis
    from nqpf.project import Project
    from nqpf.report import build_report
    from nqpf.translations import text

    project = Project.from_toml(Path(args.project))
    report_options = project.option("report")
    setattr(args, "report.language", report_options.language)  # messages in its language
    base = Path(args.project).resolve().parent
    data_path = project.data_path(base, args.data)
    _check_report_out(args.out, _inputs(args.project, str(data_path)))
    data, name = project.read_data(base, args.data, allow_changed=args.allow_changed_data)
    panel = project.panel(data, name)
    group = project.data.group
    if group and group not in panel.frame.columns:
        raise InputError(f"no column named '{group}'", file=name, row=1, column=group)
    carried = group and group not in (panel.region, panel.year)
    options = project.option("index")
    if isinstance(options.ahp_matrix, str) and not Path(options.ahp_matrix).is_absolute():
        # a matrix file named in the project is beside it, as the data is
        options = options.replace(ahp_matrix=str(base / options.ahp_matrix))
    result = entropy_topsis(panel, project.spec, keep=[group] if carried else None, options=options)
    from nqpf.report.sections import shown_groups

    shown_groups(result.tables()["scores"], group, report_options)  # before the R run
    regions = result.scores.get_column(result.region).unique(maintain_order=True).to_list()
    weights, spatial = _project_weights(
        project, base, regions, allow_changed=args.allow_changed_data
    )
    validation = None
    if project.run.validate:
        from nqpf.crossval import validate

        _say("checking every number against R (nqpf validate)…")
        validation = validate(
            panel, project.spec, group=group, options=options, spatial_weights=weights
        )
    if project.version != __version__:
        _say(f"the project was saved by nqpf {project.version}; this is nqpf {__version__}")
    report = build_report(
        result,
        group=group,
        options=report_options,
        validation=validation,
        **spatial,
        geodetector_factors=project.run.geodetector_factors,
        geodetector_options=project.options.get("geodetector"),
        markov_options=project.options.get("markov"),
        club_options=project.options.get("clubs"),
        title=text("report.title.file", report_options.language, name=Path(name).name),
        progress=_step_bar(),
    )
    written = report.write_folder(args.out)
    _say("\n".join(report.summary_lines))
    _say(f"\nwrote {len(written)} files to {args.out}/ (open {Path(args.out) / 'report.html'})")
    return EXIT_OK


def _run_validate(args: argparse.Namespace) -> int:
    import json

    from nqpf import rbridge
    from nqpf.crossval import validate
    from nqpf.errors import RUnavailableError
    from nqpf.panel import read_spec

    _check_out(args.out, _inputs(args.panel, args.spec))
    group = args.group
    if args.default:
        if args.panel:
            raise InputError("give either a PANEL file or --default, not both")
        from nqpf.datasets import PWT_GROUP, load_pwt

        panel, spec = load_pwt()
        spec = read_spec(args.spec) if args.spec else spec
        group = group or PWT_GROUP
    else:
        if not args.panel:
            raise InputError(
                "no panel given", hint="nqpf validate PANEL --spec SPEC, or nqpf validate --default"
            )
        if not args.spec:
            raise InputError("--spec is required with a PANEL file", file=args.panel)
        panel, spec = _panel_and_spec(args)
    if args.require_r and not rbridge.available():
        raise RUnavailableError(rbridge.unavailable_reason() or rbridge.UNAVAILABLE_MESSAGE)
    routines = None
    if args.routines:
        routines = [r for r in args.routines.split(",") if r.strip()]
    report = validate(
        panel,
        spec,
        group=group,
        by=args.by,
        dagum_weights=args.dagum_weights,
        routines=routines,
        tolerance=args.tolerance,
        detail=args.detail,
        spatial_weights=_read_weights(args),
        options=_index_options(args),
    )
    if args.json:
        _say(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        _say(report.summary())
    if args.out:
        path = report.write(args.out)  # checks and routines, with the run's parameters
        if not args.json:
            _say(f"\nwrote {path}")
    if not report.r_available:
        sys.stderr.write(
            f"nqpf validate: {report.r_reason}; nothing was compared (--require-r makes this "
            "an error)\n"
        )
    if not report.passed:
        failures = report.failures()
        for line in failures[:20]:
            sys.stderr.write(f"nqpf validate: mismatch: {line}\n")
        if len(failures) > 20:
            sys.stderr.write(f"nqpf validate: … and {len(failures) - 20} more mismatches\n")
        return EXIT_MISMATCH
    return EXIT_OK


def _run_demo(args: argparse.Namespace) -> int:
    from nqpf.datasets import PWT_GROUP, load_pwt
    from nqpf.index import entropy_topsis

    _check_report_out(args.out)
    _report_families(args)  # a bad combination of options is refused before the index
    panel, spec = load_pwt()
    _say("nqpf demo: Penn World Table 9.1 (Feenstra, Inklaar & Timmer 2015), default options\n")
    result = entropy_topsis(panel, spec)
    _say(result.summary())
    _say("")
    return _report(
        result,
        args,
        panel=panel,
        spec=spec,
        options={},
        group=PWT_GROUP,
        title=("report.title.demo", {}),
    )


def _run_app(args: argparse.Namespace) -> int:
    import subprocess
    from importlib.util import find_spec

    if find_spec("streamlit") is None:
        raise InputError("the Streamlit app needs the app extra", hint="pip install 'nqpf[app]'")
    from nqpf.app import MAIN, streamlit_args

    # the repository's .streamlit/config.toml is read only from the working directory,
    # so its settings (upload limit, no usage statistics) travel as flags
    command = [sys.executable, "-m", "streamlit", "run", str(MAIN), *streamlit_args()]
    return subprocess.call([*command, "--server.port", str(args.port)])


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 ok, 1 mismatch, 2 bad input)."""
    for stream in (sys.stdout, sys.stderr):
        # a terminal that cannot show a region's name must not stop the run
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):  # a detached stream
                reconfigure(errors="backslashreplace")
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help, --version, or a bad argument (one line printed)
        return stop.code if isinstance(stop.code, int) else EXIT_BAD_INPUT

    try:
        with warnings.catch_warnings():
            # numpy's floating-point warnings (overflow, 0/0) are not for the terminal: the
            # API checks its results and says in one line what is wrong with the input
            warnings.simplefilter("ignore", RuntimeWarning)
            return int(args.run(args))
    except InputError as error:
        from nqpf.error_translations import message

        # in the report's language (nqpf report --lang zh): nqpf.error_translations
        shown = message(error, getattr(args, "report.language", None) or "en")
        sys.stderr.write(f"nqpf {args.command}: error: {_one_line(shown)}\n")
        return EXIT_BAD_INPUT
    except NqpfError as error:
        sys.stderr.write(f"nqpf {args.command}: error: {_one_line(' '.join(str(error).split()))}\n")
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # output piped into `head` and closed early
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        sys.stderr.write("nqpf: interrupted\n")
        return 130
    except OSError as error:  # the file system refused something no check foresaw
        where = f" ({error.filename})" if getattr(error, "filename", None) else ""
        sys.stderr.write(
            f"nqpf {args.command}: error: {_one_line(error.strerror or str(error))}{_one_line(where)}\n"
        )
        return EXIT_BAD_INPUT
    except BaseException as error:  # a bug: one line, the traceback on request
        if isinstance(error, SystemExit | GeneratorExit) or os.environ.get("NQPF_TRACEBACK"):
            raise
        sys.stderr.write(
            f"nqpf {args.command}: internal error: {type(error).__name__}: "
            f"{_one_line(str(error))[:300]} — this is a bug in nqpf, please report it "
            "(NQPF_TRACEBACK=1 shows the traceback)\n"
        )
        return EXIT_BAD_INPUT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
