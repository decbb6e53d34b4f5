"""The app's charts: the report's figure module, with the app's labels.

Every chart is a chart function of :mod:`nqpf.report.charts` (drawn through
:mod:`nqpf.figures`: the report's themes, CJK font stack, literal user labels and
group order), called with the titles and axis names of :mod:`nqpf.app.i18n` (the
Dagum terms from :mod:`nqpf.translations`, as the report names them). The functions
here only say *what* to draw: each returns a :class:`Figure` (the chart function and
its arguments), which :func:`nqpf.app.state.chart` renders once per content
(cached on a digest of the call) and shows as SVG with SVG and PNG downloads.

Charts only draw: averages over regions (the trend line, the rank order) are taken
by the chart functions through :func:`nqpf._frames.grouped`; no statistics here.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

import polars as pl
import streamlit as st

from nqpf.app.i18n import current_language, t
from nqpf.errors import InputError
from nqpf.options import ReportOptions
from nqpf.ordering import order_groups
from nqpf.report import charts as report_charts
from nqpf.translations import text as translate


class Figure(NamedTuple):
    """A chart to draw: one of :data:`nqpf.report.charts.CHARTS` and its arguments."""

    chart: Callable[..., str]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]

    def digest(self) -> str:
        """SHA-256 of the chart's name and arguments (frames pickle by content): the
        cache key, so a page switch that draws the same chart draws nothing."""
        payload = pickle.dumps((self.chart.__name__, self.args, sorted(self.kwargs.items())))
        return hashlib.sha256(payload).hexdigest()

    def render(self, fmt: str) -> bytes:
        """The chart as ``fmt`` bytes (:func:`nqpf.report.charts.render`)."""
        return report_charts.render(self.chart, *self.args, fmt=fmt, **self.kwargs)


def _figure(chart: Callable[..., str], *args: Any, **kwargs: Any) -> Figure:
    return Figure(chart, args, kwargs)


def _natural(values: Sequence[Any]) -> list[Any]:
    """The groups in the order the report shows them (:func:`nqpf.ordering.order_groups`):
    the Export page's group order when it is set and names these groups, else the
    natural order (tiers by number; 东部/中部/西部/东北)."""
    present = [v for v in values if v is not None]
    chosen = st.session_state.get("w.exp.group_order")
    if chosen:
        try:
            return order_groups(present, ReportOptions(group_order=chosen).group_order)
        except InputError:  # another grouping's order: the Export page says so itself
            pass
    return order_groups(present)


def _dagum_labels() -> dict[str, str]:
    """The Dagum terms as the report's charts name them, in the app's language."""
    lang = current_language()
    return {term: translate(f"chart.dagum.{term}", lang) for term in ("G", "Gw", "Gnb", "Gt")}


def weights_chart(weights: pl.DataFrame, year: str) -> Figure:
    """Indicator weights: bars by dimension (pooled) or lines over years (per year)."""
    return _figure(
        report_charts.chart_weights,
        weights,
        year if year in weights.columns else None,
        title=t("chart.weights"),
        xlabel=t("col.weight"),
        ylabel=t("col.indicator"),
        legend=t("col.dimension"),
    )


def trend_chart(
    scores: pl.DataFrame,
    region: str,
    year: str,
    regions: Sequence[str],
    *,
    score: str = "score",
    rank: str = "rank",
) -> Figure:
    """Mean score by year (thick line) and the chosen regions' scores."""
    return _figure(
        report_charts.chart_regions,
        scores.select(region, year, score),
        region,
        year,
        list(regions),
        score,
        title=t("chart.trend"),
        xlabel=t("col.year"),
        ylabel=t("col.score"),
        overall=t("chart.mean"),
    )


def rank_heatmap(
    scores: pl.DataFrame, region: str, year: str, *, score: str = "score", rank: str = "rank"
) -> Figure:
    """Rank (1 = best) of every region in every year; regions ordered by mean rank."""
    return _figure(
        report_charts.chart_rank_heatmap,
        scores.select(region, year, rank),
        region,
        year,
        rank,
        title=t("chart.rank_heatmap"),
        xlabel=t("col.year"),
        ylabel=t("col.region"),
        legend=t("col.rank"),
    )


def dimension_chart(scores: pl.DataFrame, year: str, dimensions: Mapping[str, str]) -> Figure:
    """Mean dimension score by year, one line per dimension (``dimensions``: name →
    its column in ``scores``, :attr:`nqpf.index.IndexResult.dimension_columns`)."""
    return _figure(
        report_charts.chart_dimensions,
        scores.select(year, *dimensions.values()),
        year,
        dict(dimensions),
        title=t("chart.dimensions"),
        xlabel=t("col.year"),
        ylabel=t("chart.dimension_score"),
    )


def dimension_weights_chart(dimension_weights: pl.DataFrame, year: str) -> Figure:
    """Share of the total weight per dimension (a ring, or stacked by year)."""
    return _figure(
        report_charts.chart_dimension_weights,
        dimension_weights,
        year if year in dimension_weights.columns else None,
        title=t("chart.dimension_weights"),
        xlabel=t("col.year"),
        ylabel=t("col.weight"),
    )


def dagum_chart(summary: pl.DataFrame, by: str) -> Figure:
    """Stacked contributions Gw, Gnb, Gt by year, with the overall G as a line (the
    report's Dagum figure)."""
    return _figure(
        report_charts.chart_dagum,
        summary.select(by, "G", "Gw", "Gnb", "Gt"),
        by,
        t("chart.dagum"),
        xlabel=t("col.year"),
        ylabel=t("dagum.contribution"),
        labels=_dagum_labels(),
    )


def interval_chart(intervals: pl.DataFrame, by: str) -> Figure:
    """Estimate and percentile interval of G, Gw, Gnb and Gt by year."""
    return _figure(
        report_charts.chart_intervals,
        intervals.select(by, "quantity", "estimate", "lower", "upper"),
        by,
        title=t("chart.intervals"),
        xlabel=t("col.year"),
        ylabel=t("dagum.contribution"),
        labels=_dagum_labels(),
    )


def within_chart(within: pl.DataFrame, by: str) -> Figure:
    """Within-group Gini Gjj by year, one line per group (natural group order)."""
    return _figure(
        report_charts.chart_within,
        within.select(by, "group", "Gjj"),
        by,
        title=t("chart.within"),
        xlabel=t("col.year"),
        order=_natural(within.get_column("group").to_list()),
    )


def pair_heatmap(between: pl.DataFrame, value: str, title: str) -> Figure:
    """Heatmap of a between-group quantity (Gjh or Djh) over the pairs (group_j, group_h)."""
    groups = between.get_column("group_j").to_list() + between.get_column("group_h").to_list()
    return _figure(
        report_charts.chart_pairs,
        between.select("group_j", "group_h", value),
        value,
        title,
        xlabel=t("dagum.group_h"),
        ylabel=t("dagum.group_j"),
        order=_natural(groups),
    )


def compare_scatter(
    joined: pl.DataFrame, label_a: str, label_b: str, *, region: str, year: str
) -> Figure:
    """Score under configuration A against B, one point per region-year."""
    return _figure(
        report_charts.chart_compare_scatter,
        joined.select(year, "score_a", "score_b"),
        year,
        title=t("chart.compare_scatter"),
        xlabel=label_a,
        ylabel=label_b,
        legend=t("col.year"),
    )


def rank_change_chart(joined: pl.DataFrame, region: str, top: int = 20) -> Figure:
    """The largest rank changes (A → B) of one year."""
    return _figure(
        report_charts.chart_rank_change,
        joined.select(region, "rank_a", "rank_b", "rank_change"),
        region,
        top,
        title=t("chart.rank_change"),
        xlabel=t("col.rank_change"),
        ylabel=t("col.region"),
    )


# ---------------------------------------------------------------- dynamics page


def sigma_chart(sigma: pl.DataFrame, year: str) -> Figure:
    """σ-convergence: CV and Gini of the score by year (:func:`nqpf.sigma_convergence`)."""
    return _figure(
        report_charts.chart_sigma,
        sigma.select(year, "cv", "gini"),
        year,
        title=t("dyn.chart.sigma"),
        xlabel=t("col.year"),
        labels={"cv": t("dyn.sigma.cv"), "gini": t("dyn.sigma.gini")},
    )


def markov_heatmap(probabilities: pl.DataFrame, title: str, state: str = "state") -> Figure:
    """A transition matrix (``state`` and one column per destination) as a heatmap with
    the probabilities in the cells, origin states down, destinations across."""
    destinations = [c for c in probabilities.columns if c not in (state, "regime")]
    origins = [str(v) for v in probabilities.get_column(state).to_list()]
    long = (
        probabilities.select(pl.col(state).cast(pl.String), *destinations)
        .unpivot(index=state, variable_name="group_h", value_name="P")
        .rename({state: "group_j"})
    )
    return _figure(
        report_charts.chart_pairs,
        long,
        "P",
        title,
        xlabel=t("dyn.markov.to"),
        ylabel=t("dyn.markov.from"),
        order=list(dict.fromkeys(origins + destinations)),
    )


def club_chart(scores: pl.DataFrame, year: str, club: str, score: str) -> Figure:
    """Mean score by year of each convergence club (``club``: the members' club column,
    joined to the scores), with the mean of all regions."""
    from nqpf.translations import club_label

    # the clubs as the report names them (Club 1 / 俱乐部1); "divergent" stays last
    language = current_language()
    named = scores.select(
        year, pl.col(club).map_elements(lambda v: club_label(v, language), pl.String), score
    )
    clubs = scores.get_column(club).unique(maintain_order=True).to_list()
    order = sorted(clubs, key=lambda c: (str(c) == "divergent", str(c)))
    return _figure(
        report_charts.chart_trend,
        named,
        year,
        club,
        score,
        title=t("dyn.chart.clubs"),
        xlabel=t("col.year"),
        ylabel=t("col.score"),
        overall=t("chart.mean"),
        order=[club_label(c, language) for c in order],
    )


def _by_group(by_group: pl.DataFrame | None, year: str, group: str | None) -> dict[str, Any]:
    """The per-group panels' arguments of the ridgeline and the surface (natural order)."""
    if by_group is None or group is None:
        return {}
    return {
        "by_group": by_group.select(year, group, "x", "density"),
        "group": group,
        "order": _natural(by_group.get_column(group).unique(maintain_order=True).to_list()),
    }


def density_chart(density: pl.DataFrame, year: str) -> Figure:
    """Kernel density of the score in the first, middle and last year."""
    return _figure(
        report_charts.chart_density,
        density.select(year, "x", "density"),
        year,
        title=t("dyn.chart.density"),
        xlabel=t("col.score"),
        ylabel=t("dyn.kde.density"),
    )


def ridgeline_chart(
    density: pl.DataFrame, year: str, by_group: pl.DataFrame | None = None, group: str | None = None
) -> Figure:
    """Every year's kernel density, stacked (a ridgeline); with ``by_group`` (the
    densities by ``group`` on the same grid) one panel per group as well."""
    return _figure(
        report_charts.chart_ridgeline,
        density.select(year, "x", "density"),
        year,
        **_by_group(by_group, year, group),
        overall=t("dyn.kde.all"),
        title=t("dyn.chart.density"),
        xlabel=t("col.score"),
        ylabel=t("col.year"),
    )


def surface_chart(
    density: pl.DataFrame, year: str, by_group: pl.DataFrame | None = None, group: str | None = None
) -> Figure:
    """The 3-D kernel density surface (score × year × density); with ``by_group``
    one small surface per group as well."""
    return _figure(
        report_charts.chart_kde_surface,
        density.select(year, "x", "density"),
        year,
        **_by_group(by_group, year, group),
        overall=t("dyn.kde.all"),
        title=t("dyn.chart.density"),
        xlabel=t("col.score"),
        ylabel=t("col.year"),
        zlabel=t("dyn.kde.density"),
    )


def conditional_chart(kernel: Any, spatial: bool) -> Figure:
    """The stochastic kernel f(y | x): 3-D surface and contour with the 45° line."""
    return _figure(
        report_charts.chart_conditional_density,
        kernel,
        title=t("dyn.chart.conditional"),
        xlabel=t("dyn.cond.x_lag" if spatial else "dyn.cond.x"),
        ylabel=t("dyn.cond.y"),
        zlabel=t("dyn.kde.density"),
    )


def obstacle_chart(wide: pl.DataFrame, year: str, dimensions: Sequence[str]) -> Figure:
    """Mean obstacle degree (%) of each dimension by year (``wide``: one column per
    dimension, one row per region-year)."""
    return _figure(
        report_charts.chart_dimensions,
        wide.select(year, *dimensions),
        year,
        {d: d for d in dimensions},
        title=t("dyn.chart.obstacle"),
        xlabel=t("col.year"),
        ylabel=t("dyn.obs.degree"),
    )


# end of the dynamics page's charts


# ---------------------------------------------------------------- spatial page
def spatial_global_chart(table: pl.DataFrame, year: str, statistic: str, alpha: float) -> Figure:
    """A global statistic by year (Moran's I, Geary's C or Getis–Ord G) with its
    expectation; the years with p_sim (p_norm without permutations) below ``alpha`` filled."""
    p = "p_sim" if table.get_column("p_sim").null_count() < table.height else "p_norm"
    return _figure(
        report_charts.chart_spatial_global,
        table.select(year, statistic, "expected", p),
        year,
        statistic,
        p=p,
        alpha=alpha,
        title=t(f"spa.chart.{statistic}"),
        xlabel=t("col.year"),
        labels={
            "statistic": statistic,
            "expected": t("spa.chart.expected"),
            "significant": t("spa.chart.significant", p=p, alpha=f"{alpha:g}"),
        },
    )


class MapChart(NamedTuple):
    """A map of :mod:`nqpf.spatial.maps` to draw (``draw``: :func:`~nqpf.spatial.cluster_map`
    or :func:`~nqpf.spatial.hotspot_map`, and its arguments), with the protocol of
    :class:`Figure` (:meth:`digest`, :meth:`render`) that :func:`nqpf.app.state.chart` uses."""

    draw: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]

    def digest(self) -> str:
        payload = pickle.dumps((self.draw.__name__, self.args, sorted(self.kwargs.items())))
        return hashlib.sha256(payload).hexdigest()

    def render(self, fmt: str) -> bytes:
        """The map as ``fmt`` bytes (:meth:`nqpf.spatial.Map.to_bytes`)."""
        return self.draw(*self.args, **self.kwargs).to_bytes(fmt)  # type: ignore[no-any-return]


def lisa_map(
    table: pl.DataFrame, cluster: str, region: str, geometry: Any, alpha: float, year: Any
) -> MapChart:
    """The LISA cluster map (HH/LH/LL/HL/not significant) of one year's local Moran table;
    Chinese names and legend in 中文 mode (the CJK font of :mod:`nqpf.figures`)."""
    from nqpf.spatial.maps import cluster_map

    return MapChart(
        cluster_map,
        (table.select(region, cluster), cluster),
        {
            "region": region,
            "geometry": geometry,
            "lang": current_language(),
            "title": t("spa.map.lisa", alpha=f"{alpha:g}", year=year),
        },
    )


def hotspot_map(
    table: pl.DataFrame, z: str, p: str | None, region: str, geometry: Any, year: Any
) -> MapChart:
    """The Gi / Gi* hot- and cold-spot map of one year's local G table (confidence from
    ``p`` when given, else from |z|)."""
    from nqpf.spatial.maps import hotspot_map as draw

    columns = [region, z] + ([p] if p else [])
    return MapChart(
        draw,
        (table.select(columns), z),
        {
            "p": p,
            "region": region,
            "geometry": geometry,
            "lang": current_language(),
            "title": t("spa.map.hotspot", year=year),
        },
    )


# end of the spatial page's charts


# ---------------------------------------------------------------- inequality page
def inequality_chart(frame: pl.DataFrame, year: str, series: str, value: str, title: str) -> Figure:
    """Inequality indices (or decomposition terms) by year, one line per ``series``
    value, in the order they come (the report's line chart of Gjj,
    :func:`nqpf.report.charts.chart_within`)."""
    return _figure(
        report_charts.chart_within,
        frame.select(year, pl.col(series).alias("group"), pl.col(value).alias("Gjj")),
        year,
        title=title,
        xlabel=t("col.year"),
        ylabel=t("ine.index"),
    )


def sources_chart(sources: pl.DataFrame, year: str) -> Figure:
    """Each dimension's share of the Gini (Lerman–Yitzhaki, C_k/G) stacked by year (the
    report's stacked shares, :func:`nqpf.report.charts.chart_dimension_weights`)."""
    return _figure(
        report_charts.chart_dimension_weights,
        sources.select(year, pl.col("source").alias("dimension"), pl.col("share").alias("weight")),
        year,
        title=t("ine.chart.sources"),
        xlabel=t("col.year"),
        ylabel=t("ine.share"),
    )


# end of the inequality page's charts


# ---------------------------------------------------------------- geodetector page
def geodetector_q_chart(factor: pl.DataFrame) -> Figure:
    """The factor detector's q per factor, largest on top, coloured by how the factor was
    cut into strata (the report's labelled bars, :func:`nqpf.report.charts.chart_weights`)."""
    return _figure(
        report_charts.chart_weights,
        factor.select(
            pl.col("factor").alias("indicator"),
            pl.col("method").alias("dimension"),
            pl.col("q").alias("weight"),
        ),
        None,
        title=t("geo.chart.q"),
        xlabel="q",
        ylabel=t("geo.col.factor"),
        legend=t("geo.col.method"),
    )


def geodetector_interaction_chart(interaction: pl.DataFrame, factor: pl.DataFrame) -> Figure:
    """q(X1 ∩ X2) of every two factors, with each factor's own q on the diagonal, the
    factors in the factor detector's order (largest q first) and each pair below the
    diagonal (the report's pair heatmap, :func:`nqpf.report.charts.chart_pairs`)."""
    order = factor.get_column("factor").to_list()
    at = {name: i for i, name in enumerate(order)}
    first = pl.col("factor1").replace_strict(at) > pl.col("factor2").replace_strict(at)
    pairs = interaction.select(
        pl.when(first).then("factor1").otherwise("factor2").alias("group_j"),
        pl.when(first).then("factor2").otherwise("factor1").alias("group_h"),
        "q12",
    )
    own = factor.select(
        pl.col("factor").alias("group_j"),
        pl.col("factor").alias("group_h"),
        pl.col("q").alias("q12"),
    )
    return _figure(
        report_charts.chart_pairs,
        pl.concat([own, pairs]),
        "q12",
        t("geo.chart.interaction"),
        xlabel=t("geo.col.factor"),
        ylabel=t("geo.col.factor"),
        order=order,
    )


# end of the geodetector page's charts


# ---------------------------------------------------------------- coupling page
def coupling_chart(coupling: pl.DataFrame, year: str, group: str | None, d: str) -> Figure:
    """The report's coupling chart: mean coordination degree D by year, overall and per
    group (:func:`nqpf.report.charts.chart_trend`, the report's titles)."""
    lang = current_language()
    groups = coupling.get_column(group).to_list() if group else []
    return _figure(
        report_charts.chart_trend,
        coupling.select(year, *([group] if group else []), d),
        year,
        group,
        d,
        title=translate("chart.coupling.title", lang),
        xlabel=t("col.year"),
        ylabel=translate("chart.coupling.y", lang),
        overall=translate("chart.trend.all", lang),
        missing=translate("chart.missing", lang),
        order=_natural(list(dict.fromkeys(groups))) if group else None,
    )


# end of the coupling page's charts


# ---------------------------------------------------------------- robustness page
def rank_range_chart(regions: pl.DataFrame, region: str) -> Figure:
    """The report's rank-range plot of a robustness analysis (:attr:`nqpf.RobustnessResult.regions`:
    a bar from the best to the worst period-mean rank, the median and the reference marked)."""
    lang = current_language()
    return _figure(
        report_charts.chart_rank_range,
        regions,
        region,
        title=translate("chart.rank_range.title", lang),
        xlabel=translate("chart.rank_range.x", lang),
        median_label=translate("chart.rank_range.median", lang),
        reference_label=translate("chart.rank_range.reference", lang),
    )


# end of the robustness page's charts
