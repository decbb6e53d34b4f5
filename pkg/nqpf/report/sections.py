"""The report's sections: one builder per analysis, run in order by :func:`build_report`.

A builder takes the shared :class:`Context` (the index result, the report options, the
progress callback, what earlier sections found) and returns a :class:`Part`: its tables,
charts and summary lines, and a "not run" entry with the reason for each analysis the
panel cannot support (the rule is in the docstring of :mod:`nqpf.report`). Every number
comes from the module that computes it; a builder only arranges it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from nqpf._frames import output_name
from nqpf.errors import InputError
from nqpf.index import IndexResult
from nqpf.options import ReportOptions, takes_options
from nqpf.report.charts import (
    chart_dagum,
    chart_density,
    chart_kde_surface,
    chart_ridgeline,
    chart_sigma,
    chart_trend,
)
from nqpf.report.document import Report, ReportTable
from nqpf.report.tables import (
    dagum_table,
    descriptive_statistics,
    indicator_system,
    obstacle_tables,
    region_table,
    score_column,
    scores_by_year,
    wide_table,
)

Progress = Callable[[str, int, int], None]


@dataclass
class Part:
    """What one section adds to the report, in order."""

    tables: list[ReportTable] = field(default_factory=list)
    #: chart name → (name of the table whose section shows it, SVG text)
    figures: dict[str, tuple[str, str]] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    #: (analysis, reason) for each analysis this section could not run on the panel
    not_run: list[tuple[str, str]] = field(default_factory=list)
    #: where the tables go in the report (None: after the tables so far)
    position: int | None = None

    def skip(self, analysis: str, reason: str) -> None:
        self.not_run.append((analysis, reason))

    def attempt(self, analysis: str, run: Callable[[], Any]) -> Any:
        """``run()``, or None (noted as not run) when it refuses this panel with an
        InputError; any other error (a bug) propagates."""
        try:
            return run()
        except InputError as error:
            self.skip(analysis, error.what + (f"; {error.hint}" if error.hint else ""))
            return None


@dataclass
class Context:
    """What every section reads: the inputs, the panel's shape, and what the sections
    before it found (the tables and charts so far, the echelons)."""

    result: IndexResult
    options: ReportOptions
    group: str | None
    validation: Any
    progress: Progress | None
    scores: pl.DataFrame
    region: str
    year: str
    score: str
    n_years: int
    n_regions: int
    #: the panel's years as text: "2000–2017", or "2017" for one year
    span: str
    last_year: Any
    tables: list[ReportTable] = field(default_factory=list)
    figures: dict[str, tuple[str, str]] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    not_run: list[tuple[str, str]] = field(default_factory=list)
    names: set[str] = field(default_factory=set)
    #: the echelons (an :class:`~nqpf.groups.EchelonResult`), None when not run
    tiers: Any = None

    @classmethod
    def of(
        cls,
        result: IndexResult,
        options: ReportOptions,
        *,
        group: str | None,
        validation: Any,
        progress: Progress | None,
    ) -> Context:
        """The context of a report on ``result``; a group column the scores do not
        carry is an InputError."""
        scores = result.tables()["scores"]
        region, year = result.region, result.year
        if group is not None and group not in scores.columns:
            raise InputError(
                f"no column named '{group}' in the scores",
                column=group,
                hint="carry it from the panel with keep=[...] in entropy_topsis",
            )
        n_years = scores.get_column(year).n_unique()
        first_year, last_year = scores[year].min(), scores[year].max()
        return cls(
            result=result,
            options=options,
            group=group,
            validation=validation,
            progress=progress,
            scores=scores,
            region=region,
            year=year,
            score=score_column(result),
            n_years=n_years,
            n_regions=scores.get_column(region).n_unique(),
            span=f"{first_year}–{last_year}" if n_years > 1 else f"{first_year}",
            last_year=last_year,
        )

    def unique(self, name: str) -> str:
        """``name``, numbered (``name_2``, …) when a table or chart already has it."""
        candidate, number = name, 1
        while candidate in self.names:
            number += 1
            candidate = f"{name}_{number}"
        self.names.add(candidate)
        return candidate

    def need_years(self, part: Part, analysis: str, minimum: int) -> bool:
        """True when the panel has ``minimum`` years; else ``analysis`` is noted as not run."""
        if self.n_years >= minimum:
            return True
        part.skip(
            analysis, f"needs at least {minimum} years; the panel has {self.n_years} ({self.span})"
        )
        return False

    def add(self, part: Part) -> None:
        if part.position is None:
            self.tables += part.tables
        else:
            self.tables[part.position : part.position] = part.tables
        self.figures.update(part.figures)
        self.lines += part.lines
        self.not_run += part.not_run


# ---------------------------------------------------------------------------
# the sections, in the report's order
# ---------------------------------------------------------------------------


def echelons_section(ctx: Context) -> Part:
    """The echelons of the period-average score (:func:`nqpf.echelons`); no table of
    their own: the region table shows them and later sections decompose by them."""
    from nqpf.groups import echelons

    part = Part()
    k, rule = ctx.options.k, ctx.options.echelon_rule
    if ctx.n_regions < k:
        part.skip(
            f"echelons (k = {k})",
            f"needs at least {k} regions; the panel has {ctx.n_regions} (choose a smaller --k)",
        )
        return part
    ctx.tiers = part.attempt(
        f"echelons (k = {k})",
        lambda: echelons(
            ctx.scores, value=ctx.score, region=ctx.region, year=ctx.year, rule=rule, k=k
        ),
    )
    return part


def regions_section(ctx: Context) -> Part:
    """Average score, rank and echelon per region (:func:`region_table`), with the
    trend chart of the score."""
    tiers, k = ctx.tiers, ctx.options.k
    note = f"Period averages {ctx.span}."
    if tiers is not None:
        note += f" Echelon rule {ctx.options.echelon_rule} with k = {k} (1 = highest tier)."
    title = (
        "Average score, rank and echelon per region"
        if tiers is not None
        else "Average score and rank per region"
    )
    frame = region_table(ctx.result, tiers.tables()["assignments"] if tiers is not None else None)
    part = Part(tables=[ReportTable(ctx.unique("regions"), title, frame, note)])
    part.figures["trend"] = ("regions", chart_trend(ctx.scores, ctx.year, ctx.group, ctx.score))
    return part


def scores_by_year_section(ctx: Context) -> Part:
    """The index of every region in every year, with the period mean and its rank
    (:func:`nqpf.report.tables.scores_by_year`), when there is more than one year."""
    if ctx.n_years < 2:
        return Part()
    frame = scores_by_year(ctx.result)
    title = "Index by region and year, with the period mean and its rank"
    return Part(tables=[ReportTable(ctx.unique("scores_by_year"), title, frame)])


def indicators_section(ctx: Context) -> Part:
    """The indicator system with its weights and the indicators' descriptive statistics
    (:func:`nqpf.report.tables.indicator_system`, :func:`descriptive_statistics`)."""
    system = indicator_system(ctx.result)
    note = ""
    if ctx.result.options["scope"] == "year":
        note = "Weights are the mean of the yearly weights (scope = year)."
    part = Part(
        tables=[
            ReportTable(
                ctx.unique("indicator_system"), "Indicator system and weights", system, note
            )
        ]
    )
    if ctx.result.indicators is not None:
        stats = descriptive_statistics(ctx.result)
        part.tables.append(
            ReportTable(
                ctx.unique("descriptive"),
                "Descriptive statistics of the indicators",
                stats,
                f"Raw values as the index used them, {ctx.span}; sd with n − 1.",
            )
        )
    return part


def weights_section(ctx: Context) -> Part:
    """The indicator weights of the index."""
    weights = ctx.result.tables()["weights"]
    return Part(tables=[ReportTable(ctx.unique("weights"), "Indicator weights", weights)])


def echelon_sensitivity_section(ctx: Context) -> Part:
    """The echelons under every rule that takes k (:func:`nqpf.echelon_sensitivity`),
    and the summary line of the echelons."""
    from nqpf.groups import echelon_sensitivity

    part = Part()
    tiers, k = ctx.tiers, ctx.options.k
    if tiers is None:
        return part
    rules: dict[str, Any] = {
        "jenks": {"rule": "jenks", "k": k},
        "quantiles": {"rule": "quantiles", "k": k},
        "kmeans": {"rule": "kmeans", "k": k},
    }
    if k == 3:  # mean ± SD makes three tiers only
        rules["sd"] = {"rule": "sd", "k": 3}
    sensitivity = part.attempt(
        "echelon sensitivity",
        lambda: echelon_sensitivity(
            ctx.scores, value=ctx.score, region=ctx.region, year=ctx.year, rules=rules
        ),
    )
    moved = 0
    if sensitivity is not None:
        differs = output_name("differs", [ctx.region])
        if differs not in sensitivity.columns:
            differs = "differs"
        moved = int(sensitivity.get_column(differs).sum()) if differs in sensitivity.columns else 0
        part.tables.append(
            ReportTable(
                ctx.unique("echelon_sensitivity"),
                "Echelon assignments under different rules",
                sensitivity,
                f"{moved} of {sensitivity.height} regions change tier across the rules.",
            )
        )
    part.lines.append(
        f"Echelons ({ctx.options.echelon_rule}, k = {k}): "
        + ", ".join(
            f"{row['echelon']}: {row['n']} region{'' if row['n'] == 1 else 's'}"
            for row in tiers.tables()["tiers"].iter_rows(named=True)
        )
        + (f"; {moved} regions change tier across rules." if sensitivity is not None else ".")
    )
    return part


def dagum_section(ctx: Context) -> Part:
    """The Dagum decomposition by year (:func:`nqpf.dagum_gini`), by the group column
    and by echelon: totals, within- and between-group Gini, a chart and a summary line."""
    part = Part()
    groupings: list[tuple[str, str, str, pl.DataFrame]] = []
    if ctx.group:
        caption = f"Dagum Gini decomposition by {ctx.group}"
        groupings.append((ctx.group, ctx.group, caption, ctx.scores))
    if ctx.tiers is not None:
        column = output_name("echelon", ctx.scores.columns)
        with_tiers = ctx.tiers.join(ctx.scores, name=column)
        groupings.append(("echelon", column, "Dagum Gini decomposition by echelon", with_tiers))
    for label, column, caption, frame in groupings:
        _dagum_by(ctx, part, label, column, caption, frame)
    return part


def _dagum_by(
    ctx: Context, part: Part, label: str, column: str, caption: str, frame: pl.DataFrame
) -> None:
    """One decomposition of :func:`dagum_section` (by ``column``, shown as ``label``)."""
    from nqpf.dagum import dagum_gini

    dec = part.attempt(
        f"Dagum decomposition by {label}",
        lambda: dagum_gini(frame, value=ctx.score, group=column, by=ctx.year),
    )
    if dec is None:
        return
    dagum = dec.tables()  # the result's protocol: summary, within, between, period_mean
    year = ctx.year
    name = ctx.unique(f"dagum_{label}")
    note = (
        "G = Gw + Gnb + Gt (Dagum 1997); shares of G; the last row is the mean of "
        "the yearly figures."
    )
    part.tables.append(ReportTable(name, caption, dagum_table(dec, year), note))
    part.tables.append(
        ReportTable(
            ctx.unique(f"{name}_within"),
            f"Within-group Gini Gjj by {label}",
            wide_table(dagum["within"], year, "group", "Gjj"),
        )
    )
    if dagum["between"].height:
        pair = pl.concat_str(
            pl.col("group_j").cast(pl.String), pl.lit(" – "), pl.col("group_h").cast(pl.String)
        )
        pairs = dagum["between"].with_columns(pair.alias("pair"))
        part.tables.append(
            ReportTable(
                ctx.unique(f"{name}_between"),
                f"Between-group Gini Gjh by {label}",
                wide_table(pairs, year, "pair", "Gjh"),
            )
        )
    part.figures[name] = (name, chart_dagum(dagum["summary"], year, caption))
    means = dict(dagum["period_mean"].select("quantity", "mean").iter_rows())
    part.lines.append(
        f"Dagum by {label}: mean G = {means['G']:.4f}; contributions "
        f"within {100 * means['Gw_share']:.1f}%, between {100 * means['Gnb_share']:.1f}%, "
        f"transvariation {100 * means['Gt_share']:.1f}%."
    )


def sigma_section(ctx: Context) -> Part:
    """σ-convergence: the dispersion measures by year (:func:`nqpf.sigma_convergence`),
    their chart, and their linear trend (:func:`nqpf.sigma_trend`, ≥ 3 years)."""
    from nqpf.dynamics import sigma_convergence, sigma_trend

    part = Part()
    sigma = part.attempt(
        "σ-convergence", lambda: sigma_convergence(ctx.scores, ctx.score, ctx.year)
    )
    if sigma is None:
        return part
    part.tables.append(ReportTable(ctx.unique("sigma"), "σ-convergence: dispersion by year", sigma))
    part.figures["sigma"] = ("sigma", chart_sigma(sigma, ctx.year))
    if not ctx.need_years(part, "σ-convergence trend", 3):
        return part
    trend = part.attempt("σ-convergence trend", lambda: sigma_trend(sigma, ctx.year))
    if trend is None:
        return part
    part.tables.append(
        ReportTable(
            ctx.unique("sigma_trend"),
            "σ-convergence: linear trend of each dispersion measure",
            trend,
            "OLS of the measure on the year; a negative slope is σ-convergence.",
        )
    )
    cv_trend = trend.filter(pl.col("measure") == "cv").row(0, named=True)
    part.lines.append(
        f"σ-convergence: CV slope {cv_trend['slope']:+.3g} per year (p = {cv_trend['p']:.3f})."
    )
    return part


#: The β-convergence models of the report: effects, the years each needs, its name.
BETA_MODELS = (
    ("none", 2, "β-convergence, absolute (cross-section of growth rates)"),
    ("twoway", 3, "β-convergence, two-way fixed effects (panel)"),
)


def beta_section(ctx: Context) -> Part:
    """β-convergence, absolute and with two-way fixed effects
    (:func:`nqpf.beta_convergence`), in one table."""
    from nqpf.dynamics import beta_convergence

    part = Part()
    rows = []
    for effects, minimum, what in BETA_MODELS:
        if not ctx.need_years(part, what, minimum):
            continue
        beta = part.attempt(
            what,
            lambda effects=effects: beta_convergence(
                ctx.scores, ctx.score, ctx.region, ctx.year, effects=effects
            ),
        )
        if beta is not None:
            rows.append(beta.to_frame())
    if not rows:
        return part
    table = pl.concat(rows, how="diagonal_relaxed")
    part.tables.append(
        ReportTable(
            ctx.unique("beta"),
            "β-convergence: absolute (cross-section) and two-way fixed effects (panel)",
            table,
            "β < 0 means convergence; speed = −ln(1 + β·τ)/τ, half-life = ln 2 / speed.",
        )
    )
    for row in table.iter_rows(named=True):
        part.lines.append(
            f"β-convergence ({row['effects']}): β = {row['beta']:+.4f} (p = {row['p']:.3f})."
        )
    return part


def markov_section(ctx: Context) -> Part:
    """The Markov chain of pooled quantile states (:func:`nqpf.markov_chain`, ≥ 2 years):
    transition probabilities and the states' persistence, mobility, steady state."""
    from nqpf.dynamics import markov_chain

    part = Part()
    markov_k = ctx.options.markov_k
    if not ctx.need_years(part, "Markov chain", 2):
        return part
    chain = part.attempt(
        "Markov chain",
        lambda: markov_chain(ctx.scores, ctx.score, ctx.region, ctx.year, k=markov_k),
    )
    if chain is None:
        return part
    part.tables.append(
        ReportTable(
            ctx.unique("markov"),
            f"Markov transition probabilities ({markov_k} pooled quantile states, 1 = lowest)",
            chain.tables()["probabilities"],
            f"{chain.n_transitions} transitions between consecutive years.",
        )
    )
    part.tables.append(
        ReportTable(
            ctx.unique("markov_states"),
            "Markov states: persistence, mobility, steady state",
            chain.tables()["by_state"],
        )
    )
    part.lines.append(
        "Markov persistence (diagonal): "
        + ", ".join(f"{p:.3f}" for p in np.asarray(chain.persistence).tolist())
        + "."
    )
    return part


def clubs_section(ctx: Context) -> Part:
    """Phillips–Sul club convergence (:func:`nqpf.club_convergence`), when the options
    ask for it: the log-t test per club after merging, and the members."""
    part = Part()
    if not ctx.options.clubs or not ctx.need_years(part, "Phillips–Sul club convergence", 3):
        return part
    from nqpf.dynamics import club_convergence

    club = part.attempt(
        "Phillips–Sul club convergence",
        lambda: club_convergence(ctx.scores, ctx.score, ctx.region, ctx.year),
    )
    if club is None:
        return part
    clubs = club.tables()  # merged_tests and merged only when clubs were merged
    merged = clubs.get("merged_tests", clubs["tests"])
    part.tables.append(
        ReportTable(
            ctx.unique("clubs"),
            "Phillips–Sul club convergence (log-t test, clubs after merging)",
            merged,
            "Log-t regression per club; convergence is not rejected when t > −1.65.",
        )
    )
    members = clubs.get("merged", clubs["clubs"])
    part.tables.append(ReportTable(ctx.unique("club_members"), "Club membership", members))
    part.lines.append(
        f"Club convergence: whole-panel log-t t = {clubs['overall']['tvalue'][0]:.2f}; "
        f"{merged.height} clubs after merging."
    )
    return part


def density_section(ctx: Context) -> Part:
    """The kernel density of the score by year (:func:`nqpf.kernel_density`), drawn in
    the σ-convergence section."""
    from nqpf.dynamics import kernel_density

    part = Part()
    density = part.attempt(
        "kernel density", lambda: kernel_density(ctx.scores, ctx.score, ctx.year)
    )
    if density is not None and density.height:
        part.figures["density"] = ("sigma", chart_density(density, ctx.year))
    return part


#: Grid points of the densities the 3-D surface and the ridgeline draw (a mesh a reader
#: can see; the 2-D density chart keeps kernel_density's default grid).
KDE_FIGURE_POINTS = 128


def density_figures_section(ctx: Context) -> Part:
    """The 3-D kernel density surface (score × year × density) and its ridgeline
    alternative, overall and per group (:func:`nqpf.kernel_density` on one common grid,
    drawn by :mod:`nqpf.figures`), in the σ-convergence section. One year makes no
    surface (its density is the 2-D chart); a density the panel refuses is already
    noted by :func:`density_section`, one by group is noted here."""
    from nqpf.dynamics import kernel_density

    part = Part()
    if ctx.n_years < 2:
        return part
    try:
        density = kernel_density(ctx.scores, ctx.score, ctx.year, n=KDE_FIGURE_POINTS)
    except InputError:
        return part
    by_group = None
    if ctx.group is not None:
        by_group = part.attempt(
            f"kernel density by {ctx.group}",
            # on the overall curves' grid: every panel has the same score axis
            lambda: kernel_density(
                ctx.scores,
                ctx.score,
                ctx.year,
                ctx.group,
                grid=density["x"].unique().sort().to_numpy(),
            ),
        )
    options = {"by_group": by_group, "group": ctx.group if by_group is not None else None}
    part.figures["kde_surface"] = ("sigma", chart_kde_surface(density, ctx.year, **options))
    part.figures["kde_ridgeline"] = ("sigma", chart_ridgeline(density, ctx.year, **options))
    return part


def obstacles_section(ctx: Context) -> Part:
    """Obstacle degrees (:func:`nqpf.obstacle_degree`): the main obstacle indicators per
    region in the last year, and each dimension's mean obstacle degree by year."""
    part = Part()
    found = part.attempt("obstacle degree", lambda: obstacle_tables(ctx.result))
    if found is None:
        return part
    top_wide, dimension_obstacles = found
    part.tables.append(
        ReportTable(
            ctx.unique("obstacles"),
            f"Main obstacle indicators per region, {ctx.last_year}",
            top_wide,
            "Obstacle degree O = w(1 − x′)/Σ w(1 − x′) × 100 (percent of the region's shortfall).",
        )
    )
    part.tables.append(
        ReportTable(
            ctx.unique("obstacles_dimensions"),
            "Mean obstacle degree of each dimension by year (percent)",
            dimension_obstacles,
        )
    )
    return part


def validation_section(ctx: Context) -> Part:
    """The verdicts of an R cross-validation (:func:`nqpf.crossval.compare`), when one
    is given."""
    part = Part()
    if ctx.validation is None:
        return part
    table = ctx.validation.tables()["checks"]
    part.tables.append(
        ReportTable(
            ctx.unique("validation"),
            "Python against R, quantity by quantity",
            table,
            "Rows marked skipped name the missing R routine.",
        )
    )
    ok = table.get_column("ok")
    passed, failed = int(ok.sum()), int((~ok.drop_nulls()).sum())
    part.lines.append(
        f"R validation: {passed} comparisons passed, {failed} failed, "
        f"{ok.null_count()} skipped (routine not installed)."
    )
    return part


def not_run_section(ctx: Context) -> Part:
    """The analyses the sections before could not run on this panel, with the reason,
    placed right after the index tables (regions, weights: always the first two),
    where a reader looks for what is missing; and a summary line for each."""
    part = Part(position=2)
    if not ctx.not_run:
        return part
    not_run = pl.DataFrame(
        {"analysis": [a for a, _ in ctx.not_run], "reason": [r for _, r in ctx.not_run]},
        schema={"analysis": pl.String, "reason": pl.String},
    )
    part.tables.append(
        ReportTable(
            ctx.unique("not_run"),
            "Analyses not run on this panel",
            not_run,
            f"The panel has {ctx.n_regions} regions and {ctx.n_years} years ({ctx.span}); "
            "each analysis below could not run on it, for the reason given.",
        )
    )
    part.lines += [f"Not run: {analysis} — {reason}." for analysis, reason in ctx.not_run]
    return part


#: The report, section by section: (progress step that starts here or None, builder).
SECTIONS: tuple[tuple[str | None, Callable[[Context], Part]], ...] = (
    ("echelons", echelons_section),
    (None, regions_section),
    (None, scores_by_year_section),
    (None, indicators_section),
    (None, weights_section),
    (None, echelon_sensitivity_section),
    ("dagum", dagum_section),
    ("convergence", sigma_section),
    (None, beta_section),
    ("markov", markov_section),
    ("clubs", clubs_section),
    ("density", density_section),
    (None, density_figures_section),
    ("obstacles", obstacles_section),
    (None, validation_section),
    (None, not_run_section),
)


@takes_options(ReportOptions)
def build_report(
    result: IndexResult,
    *,
    group: str | None = None,
    validation: Any | None = None,
    title: str = "nqpf report",
    progress: Progress | None = None,
    options: ReportOptions,
) -> Report:
    """Run the paper's companion analyses on an index result and assemble a Report.

    The report is the sections of :data:`SECTIONS` in order. Analyses the panel's
    shape cannot support (one year, fewer regions than echelons, …) are named with the
    reason in the ``not_run`` table and the summary instead of failing the report (see
    the docstring of :mod:`nqpf.report`).

    Parameters
    ----------
    result
        The output of :func:`nqpf.entropy_topsis`.
    group
        A column of ``result.scores`` (carried from the panel, e.g. ``continent``)
        for the Dagum decomposition by group; echelons are always decomposed too.
    echelon_rule, k, markov_k, clubs
        The report's options (:class:`nqpf.options.ReportOptions`, also as
        ``options=``): the echelon rule and number of tiers (:func:`nqpf.echelons`),
        the number of Markov states (pooled quantile classes), and whether to run
        the Phillips–Sul club convergence test.
    validation
        A :class:`nqpf.crossval.CrossValReport` to include as a verdict table.
    title
        The report's title.
    progress
        callable(step label, done, total) for a progress bar.
    """
    ctx = Context.of(result, options, group=group, validation=validation, progress=progress)
    total = sum(1 for step, _ in SECTIONS if step is not None)
    done = 0
    for step, build in SECTIONS:
        if step is not None:
            _step(progress, step, done, total)
            done += 1
        ctx.add(build(ctx))
    _step(progress, "done", total, total)
    return Report(
        title=title,
        tables=tuple(ctx.tables),
        figures={k: v for k, v in ctx.figures.items() if v[1]},
        summary_lines=tuple(ctx.lines),
        options=dict(result.options),
        report_options=options,
    )


def _step(progress: Progress | None, label: str, done: int, total: int) -> None:
    if progress is not None:
        progress(label, done, total)
