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

from nqpf._frames import grouped, output_name
from nqpf.errors import InputError
from nqpf.index import IndexResult
from nqpf.options import (
    ClubOptions,
    EchelonOptions,
    MarkovOptions,
    ReportOptions,
    SpatialOptions,
    takes_options,
)
from nqpf.ordering import order_groups
from nqpf.report.charts import (
    MapFigure,
    chart_conditional_density,
    chart_dagum,
    chart_density,
    chart_kde_surface,
    chart_rank_range,
    chart_ridgeline,
    chart_sigma,
    chart_trend,
)
from nqpf.report.detectors import geodetector_section
from nqpf.report.document import Report, ReportTable
from nqpf.report.tables import (
    dagum_table,
    descriptive_statistics,
    displayed,
    indicator_system,
    labelled_weights,
    obstacle_tables,
    pair_table,
    region_table,
    score_column,
    scores_by_year,
    wide_table,
)
from nqpf.translations import club_label, header, inline, text, tier_label

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
    #: the groups of ``group`` in the order they are shown (:func:`nqpf.ordering.order_groups`)
    order: list[Any] = field(default_factory=list)
    #: the spatial weights of the spatial section (None: no spatial section), the map
    #: geometry of its LISA maps and the options of its statistics
    weights: Any = None
    geometry: Any = "china-provinces"
    geometry_id: str | None = None
    spatial: SpatialOptions = field(default_factory=lambda: SpatialOptions(seed=REPORT_SEED))
    #: the factors of the geodetector section (none: no section) and its options
    geo_factors: tuple[str, ...] = ()
    geo_options: Any = None
    #: the options of the Markov chains (the Markov section, the spatial Markov chain
    #: and the homogeneity tests) and of the club convergence
    markov: MarkovOptions = field(default_factory=MarkovOptions)
    club_options: ClubOptions = field(default_factory=ClubOptions)

    @property
    def language(self) -> str:
        return self.options.language

    def t(self, key: str, **values: Any) -> str:
        """The text of ``key`` in the report's language (:mod:`nqpf.translations`)."""
        return text(key, self.language, **values)

    def echelon_options(self) -> EchelonOptions:
        """The echelons' options of the report's: its rule, k (None for head/tail
        breaks, whose data imply k) and the SD multiplier of rule ``sd``."""
        rule = self.options.echelon_rule
        return EchelonOptions(
            rule=rule,
            k=None if rule == "head_tail" else self.options.k,
            sd_multiplier=self.options.sd_multiplier,
        )

    @property
    def k(self) -> int:
        """The number of echelons: the echelons' own (head/tail breaks choose it), else
        the report's ``k``."""
        return int(self.tiers.k) if self.tiers is not None else self.options.k

    def rule_name(self) -> str:
        """The echelon rule as the report names it: its code in English, the
        declaration's label in Chinese."""
        if self.language != "zh":
            return self.options.echelon_rule
        return ReportOptions.info("echelon_rule").choice_title(
            self.options.echelon_rule, self.language
        )

    def table(
        self,
        name: str,
        caption: str,
        frame: pl.DataFrame,
        note: str = "",
        *,
        table: str = "",
        keep: Any = (),
        headers: dict[str, str] | None = None,
        cells: dict[str, Any] | None = None,
    ) -> ReportTable:
        """A :class:`ReportTable` named ``name`` (made unique) with its display in the
        report's language (:func:`nqpf.report.tables.displayed`; ``table`` names its
        headers in the translation table, ``keep`` the user's columns)."""
        keep = {self.region, self.year, *([self.group] if self.group else []), *keep}
        shown = displayed(
            frame, self.language, table or name, keep=keep, headers=headers, cells=cells
        )
        return ReportTable(self.unique(name), caption, frame, note, shown=shown)

    def tiers_shown(self) -> Any:
        """Echelon numbers as the report shows them (第一梯队 in Chinese)."""
        return lambda j: tier_label(int(j), self.language)

    @classmethod
    def of(
        cls,
        result: IndexResult,
        options: ReportOptions,
        *,
        group: str | None,
        validation: Any,
        progress: Progress | None,
        weights: Any = None,
        geometry: Any = "china-provinces",
        geometry_id: str | None = None,
        spatial: SpatialOptions | None = None,
        geo_factors: tuple[str, ...] = (),
        geo_options: Any = None,
        markov: MarkovOptions | None = None,
        club_options: ClubOptions | None = None,
    ) -> Context:
        """The context of a report on ``result``; a group column the scores do not
        carry is an InputError, and so are weights that are not
        :class:`~nqpf.spatial.SpatialWeights`."""
        scores = result.tables()["scores"]
        region, year = result.region, result.year
        if group is not None and group not in scores.columns:
            raise InputError(
                f"no column named '{group}' in the scores",
                column=group,
                hint="carry it from the panel with keep=[...] in entropy_topsis",
            )
        order = shown_groups(scores, group, options)
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
            order=order,
            weights=_checked_weights(weights),
            geometry=geometry,
            geometry_id=geometry_id,
            spatial=SpatialOptions(seed=REPORT_SEED) if spatial is None else spatial,
            geo_factors=geo_factors,
            geo_options=geo_options,
            markov=MarkovOptions(k=options.markov_k) if markov is None else markov,
            club_options=ClubOptions() if club_options is None else club_options,
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
        part.skip(analysis, self.t("reason.years", minimum=minimum, n=self.n_years, span=self.span))
        return False

    def add(self, part: Part) -> None:
        if part.position is None:
            self.tables += part.tables
        else:
            self.tables[part.position : part.position] = part.tables
        self.figures.update(part.figures)
        self.lines += part.lines
        self.not_run += part.not_run


#: The seed of the spatial section's permutations when no spatial options are given:
#: a report is the same file for the same data.
REPORT_SEED = 0


def _checked_weights(weights: Any) -> Any:
    """``weights`` when None or :class:`~nqpf.spatial.SpatialWeights`; an InputError
    otherwise (before any section runs)."""
    if weights is None:
        return None
    from nqpf.spatial.weights import SpatialWeights

    if not isinstance(weights, SpatialWeights):
        raise InputError(
            f"weights must be nqpf.spatial.SpatialWeights, got {type(weights).__name__}",
            hint="e.g. weights=nqpf.spatial.contiguity('china-provinces')",
        )
    return weights


def shown_groups(scores: pl.DataFrame, group: str | None, options: ReportOptions) -> list[Any]:
    """The groups of column ``group`` of ``scores`` in the order the report shows them
    (``options.group_order``, checked against the data, or the natural order:
    :func:`nqpf.ordering.order_groups`); [] without a group. A ``group_order`` without
    a group column, or one that does not name the data's groups, is an InputError (the
    CLI asks before any work)."""
    if group is None:
        if options.group_order:
            raise InputError(
                "group_order is given but the report has no group column",
                hint="name the group column (group=..., --group) or leave group_order out",
            )
        return []
    return order_groups(scores.get_column(group).to_list(), options.group_order)


# ---------------------------------------------------------------------------
# the sections, in the report's order
# ---------------------------------------------------------------------------


def echelons_section(ctx: Context) -> Part:
    """The echelons of the period-average score (:func:`nqpf.echelons`); no table of
    their own: the region table shows them and later sections decompose by them."""
    from nqpf.groups import echelons

    part = Part()
    k, chosen = ctx.options.k, ctx.echelon_options()
    # head/tail breaks imply k: only the two regions any tiering needs are asked for
    needed = 2 if chosen.k is None else k
    if ctx.n_regions < needed:
        part.skip(
            ctx.t("analysis.echelons", k=needed),
            ctx.t("reason.regions", k=needed, n=ctx.n_regions),
        )
        return part
    ctx.tiers = part.attempt(
        ctx.t("analysis.echelons", k=k),
        lambda: echelons(
            ctx.scores, value=ctx.score, region=ctx.region, year=ctx.year, options=chosen
        ),
    )
    return part


def regions_section(ctx: Context) -> Part:
    """Average score, rank and echelon per region (:func:`region_table`), with the
    trend chart of the score."""
    tiers, k = ctx.tiers, ctx.k
    note = ctx.t("note.regions", span=ctx.span)
    if tiers is not None:
        note += ctx.t("note.regions.tiers", rule=ctx.rule_name(), k=k)
    title = ctx.t("caption.regions" if tiers is not None else "caption.regions_no_tiers")
    frame = region_table(ctx.result, tiers.tables()["assignments"] if tiers is not None else None)
    echelon = output_name("echelon", [ctx.region])
    part = Part(
        tables=[
            ctx.table(
                "regions",
                title,
                frame,
                note,
                cells={echelon: ctx.tiers_shown()} if echelon in frame.columns else None,
            )
        ]
    )
    part.figures["trend"] = (
        "regions",
        chart_trend(
            ctx.scores,
            ctx.year,
            ctx.group,
            ctx.score,
            order=ctx.order,
            title=ctx.t("chart.trend.title"),
            ylabel=ctx.t("chart.trend.y"),
            overall=ctx.t("chart.trend.all"),
            missing=ctx.t("chart.missing"),
        ),
    )
    return part


def scores_by_year_section(ctx: Context) -> Part:
    """The index of every region in every year, with the period mean and its rank
    (:func:`nqpf.report.tables.scores_by_year`), when there is more than one year."""
    if ctx.n_years < 2:
        return Part()
    frame = scores_by_year(ctx.result)
    years = [c for c in frame.columns if c != ctx.region][:-2]  # the year columns
    return Part(
        tables=[ctx.table("scores_by_year", ctx.t("caption.scores_by_year"), frame, keep=years)]
    )


def indicators_section(ctx: Context) -> Part:
    """The indicator system with its weights and the indicators' descriptive statistics
    (:func:`nqpf.report.tables.indicator_system`, :func:`descriptive_statistics`)."""
    system = indicator_system(ctx.result, ctx.language)
    note = ""
    if ctx.result.options["scope"] == "year":
        note = ctx.t("note.indicator_system.year")
    part = Part(
        tables=[ctx.table("indicator_system", ctx.t("caption.indicator_system"), system, note)]
    )
    if ctx.result.indicators is not None:
        stats = descriptive_statistics(ctx.result)
        part.tables.append(
            ctx.table(
                "descriptive",
                ctx.t("caption.descriptive"),
                stats,
                ctx.t("note.descriptive", span=ctx.span),
            )
        )
    return part


def weights_section(ctx: Context) -> Part:
    """The indicator weights of the index."""
    weights = labelled_weights(ctx.result)
    return Part(tables=[ctx.table("weights", ctx.t("caption.weights"), weights)])


def echelon_sensitivity_section(ctx: Context) -> Part:
    """The echelons under every rule that takes k (:func:`nqpf.echelon_sensitivity`),
    and the summary line of the echelons."""
    from nqpf.groups import echelon_sensitivity

    part = Part()
    tiers, k = ctx.tiers, ctx.k
    if tiers is None:
        return part
    rules: dict[str, Any] = {
        "jenks": {"rule": "jenks", "k": k},
        "quantiles": {"rule": "quantiles", "k": k},
        "kmeans": {"rule": "kmeans", "k": k},
    }
    if k == 3:  # mean ± SD makes three tiers only
        rules["sd"] = {"rule": "sd", "k": 3}
    chosen = ctx.echelon_options()
    if chosen.rule not in rules:  # the report's own rule is compared with the others
        rules[chosen.rule] = {"rule": chosen.rule, "k": chosen.k}
    sensitivity = part.attempt(
        ctx.t("analysis.echelon_sensitivity"),
        lambda: echelon_sensitivity(
            ctx.scores,
            value=ctx.score,
            region=ctx.region,
            year=ctx.year,
            rules=rules,
            sd_multiplier=chosen.sd_multiplier,
        ),
    )
    moved = 0
    if sensitivity is not None:
        differs = output_name("differs", [ctx.region])
        if differs not in sensitivity.columns:
            differs = "differs"
        moved = int(sensitivity.get_column(differs).sum()) if differs in sensitivity.columns else 0
        rule = ReportOptions.info("echelon_rule")
        part.tables.append(
            ctx.table(
                "echelon_sensitivity",
                ctx.t("caption.echelon_sensitivity"),
                sensitivity,
                ctx.t("note.echelon_sensitivity", moved=moved, n=sensitivity.height),
                headers={
                    name: rule.choice_title(name, ctx.language)
                    for name in rules
                    if name in sensitivity.columns
                },
                cells={name: ctx.tiers_shown() for name in rules if name in sensitivity.columns},
            )
        )
    tier_lines = [
        ctx.t(
            "line.echelons.tier",
            tier=tier_label(row["echelon"], ctx.language),
            n=row["n"],
            s="" if row["n"] == 1 else "s",
        )
        for row in tiers.tables()["tiers"].iter_rows(named=True)
    ]
    part.lines.append(
        ctx.t(
            "line.echelons",
            rule=ctx.rule_name(),
            k=k,
            tiers=ctx.t("line.echelons.sep").join(tier_lines),
        )
        + (
            ctx.t("line.echelons.moved", moved=moved)
            if sensitivity is not None
            else ctx.t("line.echelons.end")
        )
    )
    return part


def dagum_section(ctx: Context) -> Part:
    """The Dagum decomposition by year (:func:`nqpf.dagum_gini`), by the group column
    and by echelon: totals, within- and between-group Gini, a chart and a summary line."""
    part = Part()
    groupings: list[Grouping] = []
    if ctx.group:
        shown = inline(ctx.group, ctx.language)
        groupings.append(Grouping(ctx.group, ctx.group, shown, ctx.scores, ctx.order, {}))
    if ctx.tiers is not None:
        column = output_name("echelon", ctx.scores.columns)
        with_tiers = ctx.tiers.join(ctx.scores, name=column)
        tiers = order_groups(with_tiers.get_column(column).to_list())  # 1 … k
        # the echelons are nqpf's groups (第一梯队 … in Chinese); a group column's values
        # are the user's and are shown as they are
        names = {str(j): tier_label(int(j), ctx.language) for j in tiers}
        shown = ctx.t("group.echelon")
        groupings.append(Grouping("echelon", column, shown, with_tiers, tiers, names))
    for grouping in groupings:
        _dagum_by(ctx, part, grouping)
    return part


#: Most regions drawn in the report's rank-range plot (those of highest median rank; the
#: table lists all): a plot's tick labels cost time, and a page holds about this many.
RANK_RANGE_ROWS = 40


def robustness_section(ctx: Context) -> Part:
    """The robustness of the index's conclusions (:func:`nqpf.robustness`) over the
    report's small grid (:data:`nqpf.multiverse.REPORT_GRID`, 8 variants: the full
    48-variant grid is ``nqpf robustness``), with the report's index as the reference
    variant, its echelon rule, and the Dagum shares by the group column (else by the
    echelons): the conclusions, each region's rank range (with the rank-range plot) and
    the range of the Dagum shares."""
    part = Part()
    if ctx.result.indicators is None or ctx.n_regions < max(ctx.k, 2):
        return part
    robust = part.attempt(ctx.t("analysis.robustness"), lambda: _robustness_of(ctx))
    if robust is None:
        return part
    n = robust.n_variants
    column = "text_zh" if ctx.language == "zh" else "text"
    # the data (the conclusion's key and counts) are the same in every language; a
    # reader sees each conclusion's sentence in the report's language
    sentences = dict(robust.conclusions.select("conclusion", column).iter_rows())
    conclusions = robust.conclusions.select("conclusion", "holds_in", "variants")
    part.tables.append(
        ctx.table(
            "robustness_conclusions",
            ctx.t("caption.robustness_conclusions", n=n),
            conclusions,
            table="robustness_conclusions",
            cells={"conclusion": sentences.get},
        )
    )
    _robustness_regions(ctx, part, robust)
    if robust.dagum.height:
        part.tables.append(
            ctx.table(
                "robustness_dagum",
                ctx.t("caption.robustness_dagum"),
                robust.dagum,
                table="robustness_dagum",
                cells={"quantity": lambda q: header(q, ctx.language) if q != "G" else q},
            )
        )
    separator = "；" if ctx.language == "zh" else "; "
    part.lines.append(ctx.t("line.robustness", n=n, conclusions=separator.join(sentences.values())))
    return part


def _robustness_regions(ctx: Context, part: Part, robust: Any) -> None:
    """The robustness section's rank-range table and plot (:func:`robustness_section`)."""
    n = robust.n_variants
    regions = robust.regions.select(
        ctx.region,
        "min_rank",
        "max_rank",
        "median_rank",
        "reference_rank",
        "rank_range",
        "modal_echelon",
        "modal_share",
    )
    zh = ctx.language == "zh"
    grid = ("；" if zh else "; ").join(
        f"{ctx.t('robust.grid.item', option=_option_title(name, ctx.language))}"
        + ("、" if zh else ", ").join(_choice_title(name, v, ctx.language) for v in values)
        for name, values in robust.grid.items()
    )
    note = ctx.t("note.robustness_regions", grid=grid, share=100 * robust.echelon_change_share)
    if robust.regions.height > RANK_RANGE_ROWS:
        note += ctx.t("note.robustness_regions.plot", k=RANK_RANGE_ROWS)
    table = ctx.table(
        "robustness_regions",
        ctx.t("caption.robustness_regions", n=n),
        regions,
        note,
        table="robustness_regions",
        cells={"modal_echelon": ctx.tiers_shown()},
    )
    part.tables.append(table)
    part.figures[table.name] = (
        table.name,
        chart_rank_range(
            robust.regions.head(RANK_RANGE_ROWS),
            ctx.region,
            title=ctx.t("chart.rank_range.title"),
            xlabel=ctx.t("chart.rank_range.x"),
            median_label=ctx.t("chart.rank_range.median"),
            reference_label=ctx.t("chart.rank_range.reference"),
        ),
    )


def _option_title(name: str, language: str) -> str:
    from nqpf.options import IndexOptions

    return IndexOptions.info(name).title(language)


def _choice_title(name: str, value: Any, language: str) -> str:
    from nqpf.options import IndexOptions

    return IndexOptions.info(name).choice_title(value, language)


def _robustness_of(ctx: Context) -> Any:
    """:func:`nqpf.robustness` of the report's index: its panel as the index used it
    (:attr:`IndexResult.indicators`, with the group column), its options as the base."""
    from nqpf.multiverse import REPORT_GRID, robustness

    result = ctx.result
    assert result.indicators is not None
    panel = result.indicators
    if ctx.group and ctx.group not in panel.columns:
        carried = ctx.scores.select(ctx.region, ctx.year, ctx.group)
        panel = panel.join(carried, on=[ctx.region, ctx.year], how="left", maintain_order="left")
    return robustness(
        panel,
        result.spec,
        region=ctx.region,
        year=ctx.year,
        grid=REPORT_GRID,
        echelons=ctx.echelon_options(),
        dagum=ctx.group or True,
        options=result.options.replace(missing="error"),
    )


@dataclass(frozen=True)
class Grouping:
    """One decomposition of the Dagum section: by ``column`` (``label`` in the tables'
    names, ``shown`` in their captions), its groups in ``order``, shown as ``names``
    (group text → shown text; a group not there is shown as it is)."""

    label: str
    column: str
    shown: str
    frame: pl.DataFrame
    order: list[Any]
    names: dict[str, str]


def _dagum_by(ctx: Context, part: Part, grouping: Grouping) -> None:
    """One decomposition of :func:`dagum_section`: the totals table, the within- and
    between-group tables (:func:`_dagum_group_tables`), the chart and a summary line."""
    from nqpf.dagum import dagum_gini

    label, shown = grouping.label, grouping.shown
    dec = part.attempt(
        ctx.t("analysis.dagum", group=shown),
        lambda: dagum_gini(grouping.frame, value=ctx.score, group=grouping.column, by=ctx.year),
    )
    if dec is None:
        return
    dagum = dec.tables()  # the result's protocol: summary, within, between, period_mean
    year = ctx.year
    caption = ctx.t("caption.dagum", group=shown)
    mean_row = {year: lambda v: ctx.t("value.mean") if v == "mean" else v}
    table = ctx.table(
        f"dagum_{label}",
        caption,
        dagum_table(dec, year),
        ctx.t("note.dagum"),
        table="dagum",
        cells=mean_row,
    )
    name = table.name
    part.tables.append(table)
    _dagum_group_tables(ctx, part, dagum, name, grouping)
    part.figures[name] = (
        name,
        chart_dagum(
            dagum["summary"],
            year,
            caption,
            ylabel=ctx.t("chart.dagum.y"),
            labels={term: ctx.t(f"chart.dagum.{term}") for term in ("G", "Gw", "Gnb", "Gt")},
        ),
    )
    means = dict(dagum["period_mean"].select("quantity", "mean").iter_rows())
    part.lines.append(
        ctx.t(
            "line.dagum",
            group=shown,
            G=means["G"],
            w=100 * means["Gw_share"],
            b=100 * means["Gnb_share"],
            t=100 * means["Gt_share"],
        )
    )


def _dagum_group_tables(
    ctx: Context, part: Part, dagum: dict[str, pl.DataFrame], name: str, grouping: Grouping
) -> None:
    """The within-group Gjj and between-group Gjh by year of one decomposition, one
    column per group (pair), in the grouping's order."""
    year, order, shown, group_names = ctx.year, grouping.order, grouping.shown, grouping.names
    within = wide_table(dagum["within"], year, "group", "Gjj", order)
    part.tables.append(
        ctx.table(
            f"{name}_within",
            ctx.t("caption.dagum_within", group=shown),
            within,
            table="dagum_within",
            keep=within.columns,
            headers={c: group_names[c] for c in within.columns if c in group_names},
        )
    )
    if dagum["between"].height:
        between = pair_table(dagum["between"], year, order)
        pair_names = {
            f"{a} – {b}": f"{group_names[a]} – {group_names[b]}"
            for a in group_names
            for b in group_names
        }
        part.tables.append(
            ctx.table(
                f"{name}_between",
                ctx.t("caption.dagum_between", group=shown),
                between,
                table="dagum_between",
                keep=between.columns,
                headers={c: pair_names[c] for c in between.columns if c in pair_names},
            )
        )


def inequality_section(ctx: Context) -> Part:
    """Theil T and L by year decomposed by the report's groups (the group column and
    the echelons; :func:`nqpf.inequality.theil`), and the Lerman–Yitzhaki decomposition
    of the index's Gini by dimension (:func:`nqpf.inequality.gini_sources`)."""
    part = Part()
    if ctx.group:
        _theil_by(ctx, part, ctx.group, inline(ctx.group, ctx.language), ctx.scores, ctx.group)
    if ctx.tiers is not None:
        column = output_name("echelon", ctx.scores.columns)
        with_tiers = ctx.tiers.join(ctx.scores, name=column)
        _theil_by(ctx, part, "echelon", ctx.t("group.echelon"), with_tiers, column)
    _gini_by_dimension(ctx, part)
    return part


def _theil_by(
    ctx: Context, part: Part, label: str, shown: str, frame: pl.DataFrame, column: str
) -> None:
    """One Theil table of :func:`inequality_section`: T (and L when every score is
    positive) by year, with within, between and the between share."""
    from nqpf.inequality import generalized_entropy, theil

    note = ctx.t("note.theil")
    res = part.attempt(
        ctx.t("analysis.theil_l", group=shown),
        lambda: theil(frame, ctx.score, column, by=ctx.year, region=ctx.region),
    )
    if res is None:  # zeros in the scores: Theil T alone (the reason is in not_run)
        reason = part.not_run[-1][1]
        res = part.attempt(
            ctx.t("analysis.theil", group=shown),
            lambda: generalized_entropy(frame, ctx.score, column, by=ctx.year, alpha=1.0),
        )
        if res is None:
            return
        note = ctx.t("note.theil_t_only", reason=reason)
    overall = res.overall
    wide = None
    for alpha, name in ((1.0, "T"), (0.0, "L")):
        rows = overall.filter(pl.col("alpha") == alpha)
        if rows.height == 0:
            continue
        rows = rows.select(
            ctx.year,
            pl.col("index").alias(name),
            pl.col("within").alias(f"{name}_within"),
            pl.col("between").alias(f"{name}_between"),
            pl.col("between_share").alias(f"{name}_between_share"),
        )
        wide = rows if wide is None else wide.join(rows, on=ctx.year, maintain_order="left")
    caption = ctx.t("caption.theil", group=shown)
    part.tables.append(ctx.table(f"theil_{label}", caption, wide, note, table="theil"))
    t_rows = overall.filter(pl.col("alpha") == 1.0)
    part.lines.append(
        ctx.t(
            "line.theil",
            group=shown,
            T=float(t_rows["index"].mean()),
            b=100 * float(t_rows["between_share"].mean()),
        )
    )


def _dimension_contributions(ctx: Context) -> tuple[pl.DataFrame, list[str]]:
    """The scores with one column W_d·D_d per dimension (dimension weight × dimension
    score, the weight of the year under a yearly scope) and those columns' names
    (:func:`nqpf.inequality.dimension_contributions`)."""
    from nqpf.inequality import dimension_contributions

    frame, names = dimension_contributions(ctx.result)
    return frame, list(names)


def _gini_by_dimension(ctx: Context, part: Part) -> None:
    """The period mean of the Lerman–Yitzhaki terms of each dimension (≥ 2 dimensions)."""
    from nqpf.inequality import gini_sources

    dims = list(ctx.result.dimension_columns)
    if len(dims) < 2:
        return
    frame, names = _dimension_contributions(ctx)
    res = part.attempt(
        ctx.t("analysis.gini_sources"),
        lambda: gini_sources(frame, names, by=ctx.year, region=ctx.region),
    )
    if res is None:
        return
    by_name = dict(zip(names, dims, strict=True))
    detail = res.detail.with_columns(pl.col("source").replace_strict(by_name).alias("dimension"))
    stats = ("S_k", "G_k", "R_k", "share", "marginal")
    table = grouped(
        detail.group_by("dimension", maintain_order=True),
        {c: (c, "mean") for c in stats},
        pl.len().cast(pl.Int64).alias("periods"),
    )
    part.tables.append(
        ctx.table(
            "gini_sources",
            ctx.t("caption.gini_sources"),
            table,
            ctx.t("note.gini_sources"),
            table="gini_sources",
            keep=["dimension"],
            headers={"dimension": ctx.t("col.dimension")},
        )
    )
    top = table.sort("share", descending=True).row(0, named=True)
    part.lines.append(
        ctx.t("line.gini_sources", dimension=top["dimension"], share=100 * top["share"])
    )


def sigma_section(ctx: Context) -> Part:
    """σ-convergence: the dispersion measures by year (:func:`nqpf.sigma_convergence`),
    their chart, and their linear trend (:func:`nqpf.sigma_trend`, ≥ 3 years)."""
    from nqpf.dynamics import sigma_convergence, sigma_trend

    part = Part()
    sigma = part.attempt(
        ctx.t("analysis.sigma"), lambda: sigma_convergence(ctx.scores, ctx.score, ctx.year)
    )
    if sigma is None:
        return part
    part.tables.append(ctx.table("sigma", ctx.t("caption.sigma"), sigma))
    part.figures["sigma"] = (
        "sigma",
        chart_sigma(
            sigma,
            ctx.year,
            title=ctx.t("chart.sigma.title"),
            labels={m: ctx.t(f"chart.sigma.{m}") for m in ("cv", "gini")},
        ),
    )
    if not ctx.need_years(part, ctx.t("analysis.sigma_trend"), 3):
        return part
    trend = part.attempt(ctx.t("analysis.sigma_trend"), lambda: sigma_trend(sigma, ctx.year))
    if trend is None:
        return part
    part.tables.append(
        ctx.table("sigma_trend", ctx.t("caption.sigma_trend"), trend, ctx.t("note.sigma_trend"))
    )
    cv_trend = trend.filter(pl.col("measure") == "cv").row(0, named=True)
    part.lines.append(ctx.t("line.sigma", slope=cv_trend["slope"], p=cv_trend["p"]))
    return part


#: The β-convergence models of the report: effects and the years each needs (its name
#: is ``analysis.beta_<effects>`` of :mod:`nqpf.translations`).
BETA_MODELS = (("none", 2), ("twoway", 3))


def beta_section(ctx: Context) -> Part:
    """β-convergence, absolute and with two-way fixed effects
    (:func:`nqpf.beta_convergence`), in one table."""
    from nqpf.dynamics import beta_convergence

    part = Part()
    rows = []
    for effects, minimum in BETA_MODELS:
        what = ctx.t(f"analysis.beta_{effects}")
        if not ctx.need_years(part, what, minimum):
            continue
        beta = part.attempt(
            what,
            lambda effects=effects: beta_convergence(
                ctx.scores,
                ctx.score,
                ctx.region,
                ctx.year,
                effects=effects,
                small_sample=ctx.options.small_sample,
            ),
        )
        if beta is not None:
            rows.append(beta.to_frame())
    if not rows:
        return part
    table = pl.concat(rows, how="diagonal_relaxed")
    part.tables.append(ctx.table("beta", ctx.t("caption.beta"), table, ctx.t("note.beta")))
    for row in table.iter_rows(named=True):
        effects = (
            row["effects"] if ctx.language != "zh" else ctx.t(f"value.effects.{row['effects']}")
        )
        part.lines.append(ctx.t("line.beta", effects=effects, beta=row["beta"], p=row["p"]))
    return part


def markov_section(ctx: Context) -> Part:
    """The Markov chain of the report's Markov options (:func:`nqpf.markov_chain`, ≥ 2
    years; default pooled quantile states): transition probabilities and the states'
    persistence, mobility, steady state and long-run times; then the homogeneity tests
    of that chain across the groups and across the two halves of the period
    (:func:`nqpf.markov_homogeneity`) and the full- and geo-rank chains
    (:func:`nqpf.rank_markov`)."""
    from nqpf.dynamics import markov_chain

    part = Part()
    options = ctx.markov
    if not ctx.need_years(part, ctx.t("analysis.markov"), 2):
        return part
    chain = part.attempt(
        ctx.t("analysis.markov"),
        lambda: markov_chain(ctx.scores, ctx.score, ctx.region, ctx.year, options=options),
    )
    if chain is None:
        return part
    part.tables.append(
        ctx.table(
            "markov",
            ctx.t("caption.markov", k=chain.k, states=markov_states(ctx, options)),
            chain.tables()["probabilities"],
            ctx.t("note.markov", n=chain.n_transitions),
        )
    )
    part.tables.append(
        ctx.table("markov_states", ctx.t("caption.markov_states"), chain.tables()["by_state"])
    )
    long_run = chain.tables()["long_run"].select("state", "sojourn_time", "recurrence_time")
    part.tables.append(
        ctx.table(
            "markov_long_run",
            ctx.t("caption.markov_long_run"),
            long_run,
            ctx.t("note.markov_long_run"),
        )
    )
    persistence = ", ".join(f"{p:.3f}" for p in np.asarray(chain.persistence).tolist())
    part.lines.append(ctx.t("line.markov", values=persistence))
    _markov_homogeneity(ctx, part)
    _rank_markov(ctx, part)
    return part


def markov_states(ctx: Context, options: MarkovOptions) -> str:
    """The Markov states as a caption names them: pooled quantile states, each year's
    quantile states, relative quantile states, or the given cut-offs."""
    relative = options.classes == "relative"
    if options.cutoffs:
        cutoffs = ", ".join(f"{c:g}" for c in options.cutoffs)
        key = "markov.states.cutoffs_relative" if relative else "markov.states.cutoffs"
        return ctx.t(key, cutoffs=cutoffs)
    return ctx.t(f"markov.states.{options.classes}")


#: The fewest years a split of the period into two halves for the homogeneity test
#: needs: each half must hold a transition (two consecutive years).
HALVES_MIN_YEARS = 4


def _homogeneity_regimes(ctx: Context) -> list[tuple[str, str, dict[str, Any]]]:
    """(regimes as the data name them, in English; as the documents show them; the
    keywords of :func:`nqpf.markov_homogeneity`): the report's groups, and the period
    split at its middle year."""
    regimes: list[tuple[str, str, dict[str, Any]]] = []
    if ctx.group is not None:
        names = [
            text("markov.regimes.group", language, group=inline(ctx.group, language))
            for language in ("en", ctx.language)
        ]
        regimes.append((names[0], names[1], {"by": ctx.group}))
    years = sorted(ctx.scores.get_column(ctx.year).unique().to_list())
    if len(years) >= HALVES_MIN_YEARS:
        middle = years[len(years) // 2]
        names = [
            text("markov.regimes.periods", language, first=years[0], middle=middle, last=years[-1])
            for language in ("en", ctx.language)
        ]
        regimes.append((names[0], names[1], {"periods": [middle]}))
    return regimes


def _markov_homogeneity(ctx: Context, part: Part) -> None:
    """Q, LR (Bickenbach & Bode 2003) and Kullback tests that the Markov section's chain
    is the same in every group and in both halves of the period, in one table (its data
    name the regimes in English, as every table's data; the documents in the report's
    language)."""
    from nqpf.dynamics import markov_homogeneity

    rows, shown = [], {}
    for regimes, display, keywords in _homogeneity_regimes(ctx):
        found = part.attempt(
            f"{ctx.t('analysis.markov_homogeneity')} ({display})",
            lambda keywords=keywords: markov_homogeneity(
                ctx.scores, ctx.score, ctx.region, ctx.year, options=ctx.markov, **keywords
            ),
        )
        if found is not None:
            rows.append(found.tests.select(pl.lit(regimes).alias("regimes"), pl.all()))
            shown[regimes] = display
    if not rows:
        return
    part.tables.append(
        ctx.table(
            "markov_homogeneity",
            ctx.t("caption.markov_homogeneity"),
            pl.concat(rows),
            ctx.t("note.markov_homogeneity"),
            cells={"regimes": shown.__getitem__, "test": lambda v: ctx.t(f"markov.test.{v}")},
        )
    )


def _rank_markov(ctx: Context, part: Part) -> None:
    """The full-rank chain (states: ranks, 1 = highest) and the geo-rank chain (states:
    regions) of Rey (2014), each as its diagonal (the probability of keeping the rank, or
    the region's rank position) with the sojourn and mean recurrence times."""
    from nqpf.dynamics import rank_markov

    for kind in ("full", "geo"):
        name = f"{kind}_rank_markov"
        found = part.attempt(
            ctx.t(f"analysis.{name}"),
            lambda kind=kind: rank_markov(ctx.scores, ctx.score, ctx.region, ctx.year, kind=kind),
        )
        if found is None:
            continue
        part.tables.append(
            ctx.table(
                name,
                ctx.t(f"caption.{name}"),
                rank_markov_table(found, ctx.region if kind == "geo" else "rank"),
                ctx.t(f"note.{name}"),
                table="rank_markov",
            )
        )


def rank_markov_table(chain: Any, state: str) -> pl.DataFrame:
    """The diagonal P_ii of a rank chain (:func:`nqpf.rank_markov`) with its sojourn and
    mean recurrence times, one row per state (named ``state``)."""
    matrix = chain.matrix()
    long_run = chain.long_run
    return pl.DataFrame(
        {
            state: list(chain.states),
            "p_stay": np.diag(matrix).copy(),
            "sojourn_time": long_run.get_column("sojourn_time"),
            "recurrence_time": long_run.get_column("recurrence_time"),
        }
    )


def clubs_section(ctx: Context) -> Part:
    """Phillips–Sul club convergence (:func:`nqpf.club_convergence`), when the options
    ask for it: the log-t test per club after merging, and the members."""
    part = Part()
    if not ctx.options.clubs or not ctx.need_years(part, ctx.t("analysis.clubs"), 3):
        return part
    from nqpf.dynamics import club_convergence

    club = part.attempt(
        ctx.t("analysis.clubs"),
        lambda: club_convergence(
            ctx.scores, ctx.score, ctx.region, ctx.year, options=ctx.club_options
        ),
    )
    if club is None:
        return part
    clubs = club.tables()  # merged_tests and merged only when clubs were merged
    merged = clubs.get("merged_tests", clubs["tests"])
    names = {c: (lambda v: club_label(v, ctx.language)) for c in ("club", "merged_from")}
    part.tables.append(
        ctx.table(
            "clubs",
            ctx.t("caption.clubs"),
            merged,
            ctx.t("note.clubs"),
            cells={c: f for c, f in names.items() if c in merged.columns},
        )
    )
    members = clubs.get("merged", clubs["clubs"])
    part.tables.append(
        ctx.table(
            "club_members",
            ctx.t("caption.club_members"),
            members,
            cells={c: f for c, f in names.items() if c in members.columns},
        )
    )
    part.lines.append(ctx.t("line.clubs", t=clubs["overall"]["tvalue"][0], n=merged.height))
    return part


def spatial_section(ctx: Context) -> Part:
    """Spatial autocorrelation of the score, when the report has spatial weights: the
    global Moran's I by year (:func:`nqpf.moran`; I = n/S0 · Σ w_ij z_i z_j / Σ z_i²),
    the LISA cluster map of the first and the last year (:func:`nqpf.local_moran`,
    :func:`nqpf.spatial.cluster_map`), the spatial Markov chain
    (:func:`nqpf.markov_chain` with ``w=`` and the report's Markov options, Rey 2001)
    and the LISA Markov chain (:func:`nqpf.lisa_markov`). Without weights: nothing."""
    part = Part()
    if ctx.weights is None:
        return part
    from nqpf.spatial.autocorrelation import moran

    args = (ctx.scores, ctx.score, ctx.region, ctx.year)
    options = ctx.spatial
    found = part.attempt(
        ctx.t("analysis.moran"), lambda: moran(*args, w=ctx.weights, options=options)
    )
    if found is None:
        return part
    c = found.columns
    frame = found.table.select(ctx.year, *(c[k] for k in ("I", "expected", "z", "p_norm", "p_sim")))
    style = SpatialOptions.info("style").choice_title(found.options["style"], ctx.language)
    alternative = SpatialOptions.info("alternative").choice_title(
        found.options["alternative"], ctx.language
    )
    note = ctx.t(
        "note.moran", style=style, permutations=options.permutations, alternative=alternative
    )
    table = ctx.table("moran", ctx.t("caption.moran"), frame, note, table="moran")
    part.tables.append(table)
    first, last = frame.row(0, named=True), frame.row(-1, named=True)
    part.lines.append(
        ctx.t(
            "line.moran",
            first=first[ctx.year],
            last=last[ctx.year],
            i0=first[c["I"]],
            i1=last[c["I"]],
            p=last[c["p_norm"]],
        )
    )
    _lisa_map(ctx, part, table.name)
    _spatial_markov(ctx, part)
    _lisa_markov(ctx, part)
    return part


def _lisa_map(ctx: Context, part: Part, section: str) -> None:
    """The LISA cluster map of the first and the last year, in the Moran table's section."""
    from nqpf.spatial.local import local_moran
    from nqpf.spatial.maps import cluster_map

    options = ctx.spatial
    lisa = part.attempt(
        ctx.t("analysis.lisa"),
        lambda: local_moran(
            ctx.scores, ctx.score, ctx.region, ctx.year, w=ctx.weights, options=options
        ),
    )
    if lisa is None:
        return
    years = list(dict.fromkeys([ctx.scores[ctx.year].min(), ctx.last_year]))
    drawn = part.attempt(
        ctx.t("analysis.lisa_map"),
        lambda: cluster_map(
            lisa.table,
            lisa.columns["cluster"],
            region=ctx.region,
            year=ctx.year,
            years=years,
            geometry=ctx.geometry,
            geometry_id=ctx.geometry_id,
            lang=ctx.language,
            title=ctx.t("chart.lisa.title", alpha=f"{options.alpha:g}"),
        ),
    )
    if drawn is not None:
        part.figures[ctx.unique("lisa_map")] = (section, MapFigure(drawn))


def _spatial_markov(ctx: Context, part: Part) -> None:
    """The spatial Markov chain: transition probabilities conditioned on the state of
    the neighbours' mean score (the quantile class of the spatial lag)."""
    from nqpf.dynamics import markov_chain

    what = ctx.t("analysis.spatial_markov")
    if not ctx.need_years(part, what, 2):
        return
    options = ctx.markov
    chain = part.attempt(
        what,
        lambda: markov_chain(
            ctx.scores, ctx.score, ctx.region, ctx.year, w=ctx.weights, options=options
        ),
    )
    if chain is None:
        return
    part.tables.append(
        ctx.table(
            "spatial_markov",
            ctx.t(
                "caption.spatial_markov",
                k=chain.k,
                states=markov_states(ctx, options),
                m=options.n_lag_states,
            ),
            chain.tables()["spatial_probabilities"],
            ctx.t("note.spatial_markov", n=chain.n_transitions, lag=_lag_classes(ctx, options)),
        )
    )
    part.tables.append(
        ctx.table(
            "spatial_markov_tests",
            ctx.t("caption.spatial_markov_tests"),
            chain.tables()["lag_tests"],
            ctx.t("note.spatial_markov_tests"),
        )
    )


def _lag_classes(ctx: Context, options: MarkovOptions) -> str:
    """How the spatial lag is classed: its quantiles, or the given lag cut-offs."""
    if options.lag_cutoffs:
        cutoffs = ", ".join(f"{c:g}" for c in options.lag_cutoffs)
        return ctx.t("markov.lag.cutoffs", cutoffs=cutoffs)
    return ctx.t("markov.lag.quantiles")


def _lisa_markov(ctx: Context, part: Part) -> None:
    """The LISA Markov chain (:func:`nqpf.lisa_markov`, Rey 2001): transitions between
    the Moran scatterplot quadrants HH, LH, LL, HL, and the χ² test that a region's own
    moves and its neighbourhood's are independent."""
    from nqpf.dynamics import lisa_markov

    what = ctx.t("analysis.lisa_markov")
    if not ctx.need_years(part, what, 2):
        return
    chain = part.attempt(
        what, lambda: lisa_markov(ctx.scores, ctx.score, ctx.region, ctx.year, w=ctx.weights)
    )
    if chain is None:
        return
    n = int(chain.matrix(counts=True).sum())
    quadrant = {q: ctx.t(f"markov.quadrant.{q}") for q in chain.states}
    part.tables.append(
        ctx.table(
            "lisa_markov",
            ctx.t("caption.lisa_markov"),
            chain.probabilities,
            ctx.t("note.lisa_markov", n=n),
            headers=quadrant,
            cells={"state": quadrant.__getitem__},
        )
    )
    part.tables.append(
        ctx.table(
            "lisa_markov_tests",
            ctx.t("caption.lisa_markov_tests"),
            chain.tests,
            ctx.t("note.lisa_markov_tests"),
            table="spatial_markov_tests",
            cells={"test": lambda v: ctx.t(f"markov.test.{v}")},
        )
    )


def density_section(ctx: Context) -> Part:
    """The kernel density of the score by year (:func:`nqpf.kernel_density`), drawn in
    the σ-convergence section."""
    from nqpf.dynamics import kernel_density

    part = Part()
    density = part.attempt(
        ctx.t("analysis.density"),
        lambda: kernel_density(ctx.scores, ctx.score, ctx.year, bounds=ctx.result.score_bounds),
    )
    if density is not None and density.height:
        part.figures["density"] = (
            "sigma",
            chart_density(
                density,
                ctx.year,
                title=ctx.t("chart.density.title"),
                xlabel=ctx.t("chart.density.x"),
                ylabel=ctx.t("chart.density.y"),
            ),
        )
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
        density = kernel_density(
            ctx.scores, ctx.score, ctx.year, n=KDE_FIGURE_POINTS, bounds=ctx.result.score_bounds
        )
    except InputError:
        return part
    by_group = None
    if ctx.group is not None:
        by_group = part.attempt(
            ctx.t("analysis.density"),
            # on the overall curves' grid: every panel has the same score axis
            lambda: kernel_density(
                ctx.scores,
                ctx.score,
                ctx.year,
                ctx.group,
                grid=density["x"].unique().sort().to_numpy(),
                bounds=ctx.result.score_bounds,
            ),
        )
    options = {
        "by_group": by_group,
        "group": ctx.group if by_group is not None else None,
        "order": ctx.order if by_group is not None else None,
        "overall": ctx.t("chart.kde.all"),
        "title": ctx.t("chart.kde.title"),
        "xlabel": ctx.t("chart.density.x"),
        "ylabel": ctx.t("chart.kde.year"),
        "zlabel": ctx.t("chart.density.y"),
    }
    part.figures["kde_surface"] = ("sigma", chart_kde_surface(density, ctx.year, **options))
    ridge = {k: v for k, v in options.items() if k != "zlabel"}  # a ridgeline has no z axis
    part.figures["kde_ridgeline"] = ("sigma", chart_ridgeline(density, ctx.year, **ridge))
    return part


def conditional_density_section(ctx: Context) -> Part:
    """The stochastic kernel of the score, f(score_{t+1} | score_t), and with spatial
    weights the static spatially conditioned kernel f(score_t | neighbours' mean_t)
    (:func:`nqpf.conditional_density`), drawn in the σ-convergence section; reflected at
    the score's bounds like the other densities."""
    from nqpf.dynamics.stochastic_kernel import conditional_density

    part = Part()
    if ctx.n_years < 2:
        return part
    bounds = ctx.result.score_bounds
    kernel = part.attempt(
        ctx.t("analysis.conditional"),
        lambda: conditional_density(ctx.scores, ctx.score, ctx.region, ctx.year, bounds=bounds),
    )
    labels = {"zlabel": ctx.t("chart.density.y")}
    if kernel is not None:
        part.figures["conditional_density"] = (
            "sigma",
            chart_conditional_density(
                kernel,
                title=ctx.t("chart.conditional.title"),
                xlabel=ctx.t("chart.conditional.x"),
                ylabel=ctx.t("chart.conditional.y"),
                **labels,
            ),
        )
    if ctx.weights is None:
        return part
    spatial = part.attempt(
        ctx.t("analysis.conditional_spatial"),
        lambda: conditional_density(
            ctx.scores, ctx.score, ctx.region, ctx.year, w=ctx.weights, bounds=bounds
        ),
    )
    if spatial is not None:
        part.figures["conditional_density_spatial"] = (
            "sigma",
            chart_conditional_density(
                spatial,
                title=ctx.t("chart.conditional_spatial.title"),
                xlabel=ctx.t("chart.conditional_spatial.x"),
                ylabel=ctx.t("chart.conditional_spatial.y"),
                **labels,
            ),
        )
    return part


def obstacles_section(ctx: Context) -> Part:
    """Obstacle degrees (:func:`nqpf.obstacle_degree`): the main obstacle indicators per
    region in the last year, and each dimension's mean obstacle degree by year."""
    part = Part()
    found = part.attempt(ctx.t("analysis.obstacles"), lambda: obstacle_tables(ctx.result))
    if found is None:
        return part
    top_wide, dimension_obstacles = found
    part.tables.append(
        ctx.table(
            "obstacles",
            ctx.t("caption.obstacles", year=ctx.last_year),
            top_wide,
            ctx.t("note.obstacles"),
        )
    )
    part.tables.append(
        ctx.table(
            "obstacles_dimensions",
            ctx.t("caption.obstacles_dimensions"),
            dimension_obstacles,
            keep=dimension_obstacles.columns,  # the dimensions: the user's names
        )
    )
    return part


def coupling_section(ctx: Context) -> Part:
    """The coupling coordination of the index's dimensions (:func:`nqpf.coupling_coordination`;
    the builder is :func:`nqpf.report.coupling.coupling_part`), when there are ≥ 2."""
    from nqpf.report.coupling import coupling_part

    return coupling_part(ctx, Part())


def validation_section(ctx: Context) -> Part:
    """The verdicts of an R cross-validation (:func:`nqpf.crossval.compare`), when one
    is given."""
    part = Part()
    if ctx.validation is None:
        return part
    table = ctx.validation.tables()["checks"]
    part.tables.append(
        ctx.table("validation", ctx.t("caption.validation"), table, ctx.t("note.validation"))
    )
    ok = table.get_column("ok")
    passed, failed = int(ok.sum()), int((~ok.drop_nulls()).sum())
    part.lines.append(
        ctx.t("line.validation", passed=passed, failed=failed, skipped=ok.null_count())
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
        ctx.table(
            "not_run",
            ctx.t("caption.not_run"),
            not_run,
            ctx.t("note.not_run", regions=ctx.n_regions, years=ctx.n_years, span=ctx.span),
        )
    )
    part.lines += [
        ctx.t("line.not_run", analysis=analysis, reason=reason) for analysis, reason in ctx.not_run
    ]
    return part


def methods_section(ctx: Context) -> Part:
    """The methods appendix (:mod:`nqpf.report.methods`): the formulas, variants and
    references of the options this report used, last, in the report's language."""
    from nqpf.report.methods import report_methods

    return Part(tables=[report_methods(ctx, ctx.unique("methods"))])


#: The report, section by section: (progress step that starts here or None, builder).
SECTIONS: tuple[tuple[str | None, Callable[[Context], Part]], ...] = (
    ("echelons", echelons_section),
    (None, regions_section),
    (None, scores_by_year_section),
    (None, indicators_section),
    (None, weights_section),
    (None, echelon_sensitivity_section),
    ("dagum", dagum_section),
    (None, inequality_section),
    (None, robustness_section),
    ("convergence", sigma_section),
    (None, beta_section),
    ("markov", markov_section),
    ("clubs", clubs_section),
    ("spatial", spatial_section),
    (None, geodetector_section),
    ("density", density_section),
    (None, density_figures_section),
    (None, conditional_density_section),
    ("obstacles", obstacles_section),
    (None, coupling_section),
    (None, validation_section),
    (None, not_run_section),
    (None, methods_section),
)


@takes_options(ReportOptions)
def build_report(
    result: IndexResult,
    *,
    group: str | None = None,
    validation: Any | None = None,
    title: str | None = None,
    progress: Progress | None = None,
    weights: Any = None,
    geometry: Any = "china-provinces",
    geometry_id: str | None = None,
    spatial_options: SpatialOptions | None = None,
    geodetector_factors: Any = (),
    geodetector_options: Any = None,
    markov_options: Any = None,
    club_options: Any = None,
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
    echelon_rule, k, sd_multiplier, small_sample, language, group_order, markov_k, clubs
        The report's options (:class:`nqpf.options.ReportOptions`, also as
        ``options=``): the echelon rule and number of tiers (:func:`nqpf.echelons`:
        jenks, quantiles, sd with the multiplier c of mean ± c·SD, kmeans, equal,
        max_breaks, jenks_caspall, or head_tail, whose data imply k), the small-sample
        factor of the β-convergence's clustered standard errors
        (:func:`nqpf.beta_convergence`: ``"stata"`` or ``"plm"``), the language of
        every text (``"en"`` or ``"zh"``: headers, captions, notes, chart titles,
        summary lines; :mod:`nqpf.translations`), the order of the groups of
        ``group`` in every table and chart (:func:`nqpf.ordering.order_groups`: it
        must name every group; default the natural order), the number of Markov
        states (pooled quantile classes; ``markov_options`` gives every Markov
        option), and whether to run the Phillips–Sul club convergence test.
    markov_options
        :class:`nqpf.options.MarkovOptions` (or a mapping of them) of the Markov
        section, the homogeneity tests and the spatial Markov chain: ``k``, ``classes``
        (``"relative"``: states of the score over its year's mean), ``cutoffs``,
        ``lag_k``, ``lag_cutoffs``. Default ``MarkovOptions(k=markov_k)``; a
        ``markov_k`` other than its default that disagrees with ``markov_options.k``
        is an InputError.
    club_options
        :class:`nqpf.options.ClubOptions` (or a mapping) of the club convergence
        (merge rule, HAC bandwidth, c* rule, …; default: their defaults).
    validation
        A :class:`nqpf.crossval.CrossValReport` to include as a verdict table.
    title
        The report's title (default "nqpf report", 中文 "nqpf 分析报告").
    progress
        callable(step label, done, total) for a progress bar; the labels are in the
        report's language.
    weights
        :class:`nqpf.spatial.SpatialWeights` over the regions (e.g.
        ``nqpf.spatial.contiguity("china-provinces")``): the report then has a spatial
        autocorrelation section (global Moran's I by year, the LISA cluster map of the
        first and the last year, the spatial Markov chain, the LISA Markov chain with
        its χ² test of independent own and neighbourhood moves) and its methods a
        Moran step. Without weights the report is as before.
    geometry, geometry_id
        The map of the LISA clusters (:func:`nqpf.spatial.cluster_map`'s
        ``geometry=``: a built-in map name, a GeoJSON/Shapefile/GeoPackage path, and
        the region-id column of a file).
    spatial_options
        :class:`nqpf.options.SpatialOptions` of the spatial statistics (default: their
        defaults with ``seed=0``, so that the same data give the same report).
    geodetector_factors, geodetector_options
        Columns of ``result.scores`` or indicators of the index: the report then has a
        geographical-detector section (:func:`nqpf.geodetector` of the score over the
        region-years: the factor detector's q and p, the interaction detector) with
        :class:`nqpf.options.GeodetectorOptions` (default: their defaults). Without
        factors the report is as before.

    The tables' data (:meth:`Report.tables`, the CSV files) keep nqpf's English column
    names; the documents and report.xlsx show each table in the report's language
    (:attr:`nqpf.report.ReportTable.display`).
    """
    ctx = Context.of(
        result,
        options,
        group=group,
        validation=validation,
        progress=progress,
        weights=weights,
        geometry=geometry,
        geometry_id=geometry_id,
        spatial=None if spatial_options is None else SpatialOptions.resolve(spatial_options),
        **_geo_context(geodetector_factors, geodetector_options),
        markov=_markov_options(markov_options, options),
        club_options=None if club_options is None else ClubOptions.resolve(club_options),
    )
    # the spatial step shows only when there are weights (the progress of a report
    # without them is as before)
    sections = [(s, b) for s, b in SECTIONS if s != "spatial" or weights is not None]
    total = sum(1 for step, _ in sections if step is not None)
    done = 0
    for step, build in sections:
        if step is not None:
            _step(progress, ctx.t(f"step.{step}"), done, total)
            done += 1
        ctx.add(build(ctx))
    _step(progress, ctx.t("step.done"), total, total)
    return Report(
        title=ctx.t("report.title") if title is None else title,
        tables=tuple(ctx.tables),
        figures={k: v for k, v in ctx.figures.items() if v[1]},
        summary_lines=tuple(ctx.lines),
        options=dict(result.options),
        report_options=options,
    )


def _markov_options(given: Any, options: ReportOptions) -> MarkovOptions:
    """The report's Markov options: ``given`` (checked), else ``k = markov_k``; a
    ``markov_k`` set apart from its default must agree with the given ``k``."""
    if given is None:
        return MarkovOptions(k=options.markov_k)
    markov = MarkovOptions.resolve(given)
    default = ReportOptions.info("markov_k").default
    if options.markov_k != default and options.markov_k != markov.k:
        raise InputError(
            f"markov_k={options.markov_k} and markov_options k={markov.k} disagree",
            hint="give the number of Markov states once, in markov_options",
        )
    return markov


def _geo_context(factors: Any, options: Any) -> dict[str, Any]:
    """The geodetector section's factors (checked names) and options."""
    if isinstance(factors, str):
        factors = [factors]
    if factors is None:
        factors = ()
    if not all(isinstance(f, str) for f in factors):
        raise InputError(
            "geodetector_factors must be column names", hint="e.g. geodetector_factors=['x1']"
        )
    if not factors:
        return {}
    from nqpf.options import GeodetectorOptions

    return {"geo_factors": tuple(factors), "geo_options": GeodetectorOptions.resolve(options)}


def _step(progress: Progress | None, label: str, done: int, total: int) -> None:
    if progress is not None:
        progress(label, done, total)
