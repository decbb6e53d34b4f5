"""Altair charts of the app. Each takes tidy polars tables from the nqpf API and
returns a chart; titles and axis names come from :mod:`nqpf.app.i18n`.

Charts only draw: averages over regions (the trend line) are Vega-Lite
aggregates of the API's tables, not computations of the app.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import polars as pl

from nqpf.app.i18n import t

WIDTH = "container"

#: The field names the charts encode. Every chart draws a frame of its own with
#: these columns, renamed from the user's: a Vega-Lite field name is parsed (``a.b``
#: is a nested field, ``x[0]`` an index, ``mean(x)`` an aggregate in Altair's
#: shorthand), so a user's column name never becomes one. Axis and legend titles
#: are text and carry the user's names where they help.
REGION, YEAR, SCORE, RANK = "region", "year", "score", "rank"


def keyed(frame: pl.DataFrame, **columns: str) -> pl.DataFrame:
    """``frame``'s columns ``columns.values()`` under the names ``columns.keys()``."""
    return frame.select(pl.col(source).alias(name) for name, source in columns.items())


def _title(text: str) -> alt.TitleParams:
    return alt.TitleParams(text, anchor="start", fontSize=14)


def _year(field: str, **kwargs: object) -> alt.X:
    """A year axis: ordinal, horizontal labels."""
    return alt.X(f"{field}:O", title=t("col.year"), axis=alt.Axis(labelAngle=0), **kwargs)


def weights_chart(weights: pl.DataFrame, year: str) -> alt.Chart:
    """Indicator weights: bars (pooled) or lines over years (per-year weights)."""
    color = alt.Color("dimension:N", title=t("col.dimension"))
    fixed = {n: n for n in ("indicator", "dimension", "direction", "weight")}
    if year in weights.columns:
        data = keyed(weights, **fixed, **{YEAR: year})
        return (
            alt.Chart(data, title=_title(t("chart.weights")))
            .mark_line(point=True)
            .encode(
                x=_year(YEAR),
                y=alt.Y("weight:Q", title=t("col.weight")),
                color=alt.Color("indicator:N", title=t("col.indicator")),
                tooltip=[
                    "indicator",
                    "dimension",
                    alt.Tooltip(f"{YEAR}:O", title=t("col.year")),
                    alt.Tooltip("weight:Q", format=".4f"),
                ],
            )
            .properties(width=WIDTH, height=320)
        )
    return (
        alt.Chart(keyed(weights, **fixed), title=_title(t("chart.weights")))
        .mark_bar()
        .encode(
            x=alt.X("weight:Q", title=t("col.weight")),
            y=alt.Y("indicator:N", sort="-x", title=t("col.indicator")),
            color=color,
            tooltip=["indicator", "dimension", "direction", alt.Tooltip("weight:Q", format=".4f")],
        )
        .properties(width=WIDTH, height=alt.Step(22))
    )


def trend_chart(
    scores: pl.DataFrame,
    region: str,
    year: str,
    regions: Sequence[str],
    *,
    score: str = "score",
    rank: str = "rank",
) -> alt.LayerChart:
    """Mean score by year (thick line) and the chosen regions' scores."""
    data = keyed(scores, **{REGION: region, YEAR: year, SCORE: score, RANK: rank})
    mean = (
        alt.Chart(data)
        .mark_line(strokeWidth=4, color="#333", point=True)
        .encode(
            x=_year(YEAR),
            y=alt.Y(f"mean({SCORE}):Q", title=t("col.score")),
            tooltip=[
                alt.Tooltip(f"{YEAR}:O", title=t("col.year")),
                alt.Tooltip(f"mean({SCORE}):Q", format=".4f", title=t("chart.mean")),
            ],
        )
    )
    chosen = data.filter(pl.col(REGION).is_in(list(regions)))
    lines = (
        alt.Chart(chosen)
        .mark_line(point=True, strokeDash=[4, 2])
        .encode(
            x=_year(YEAR),
            y=alt.Y(f"{SCORE}:Q"),
            color=alt.Color(f"{REGION}:N", title=t("col.region")),
            tooltip=[
                alt.Tooltip(f"{REGION}:N", title=t("col.region")),
                alt.Tooltip(f"{YEAR}:O", title=t("col.year")),
                alt.Tooltip(f"{SCORE}:Q", format=".4f", title=t("col.score")),
                alt.Tooltip(f"{RANK}:Q", title=t("col.rank")),
            ],
        )
    )
    return alt.layer(mean, lines, title=_title(t("chart.trend"))).properties(
        width=WIDTH, height=340
    )


def rank_heatmap(
    scores: pl.DataFrame, region: str, year: str, *, score: str = "score", rank: str = "rank"
) -> alt.Chart:
    """Rank (1 = best) of every region in every year; regions ordered by mean rank."""
    data = keyed(scores, **{REGION: region, YEAR: year, SCORE: score, RANK: rank})
    n = data.get_column(REGION).n_unique()
    return (
        alt.Chart(data, title=_title(t("chart.rank_heatmap")))
        .mark_rect()
        .encode(
            x=_year(YEAR),
            y=alt.Y(
                f"{REGION}:N",
                title=t("col.region"),
                sort=alt.EncodingSortField(field=RANK, op="mean", order="ascending"),
            ),
            color=alt.Color(
                f"{RANK}:Q", title=t("col.rank"), scale=alt.Scale(scheme="viridis", reverse=True)
            ),
            tooltip=[
                alt.Tooltip(f"{REGION}:N", title=t("col.region")),
                alt.Tooltip(f"{YEAR}:O", title=t("col.year")),
                alt.Tooltip(f"{RANK}:Q", title=t("col.rank")),
                alt.Tooltip(f"{SCORE}:Q", format=".4f", title=t("col.score")),
            ],
        )
        .properties(width=WIDTH, height=alt.Step(20 if n <= 60 else 12))
    )


def dimension_chart(scores: pl.DataFrame, year: str, dimensions: Mapping[str, str]) -> alt.Chart:
    """Mean dimension score by year, one line per dimension.

    ``dimensions`` maps each dimension to its column in ``scores``
    (:attr:`nqpf.index.IndexResult.dimension_columns`: ``dim_score`` for a dimension
    named ``score``); the lines are labelled by the dimension. The dimension names
    (user text) become values of a ``dimension`` column, never field names.
    """
    long = pl.concat(
        [
            keyed(scores, **{YEAR: year, "value": column}).with_columns(
                dimension=pl.lit(name, pl.String)
            )
            for name, column in dimensions.items()
        ]
    )
    return (
        alt.Chart(long, title=_title(t("chart.dimensions")))
        .mark_line(point=True)
        .encode(
            x=_year(YEAR),
            y=alt.Y("mean(value):Q", title=t("chart.dimension_score")),
            color=alt.Color("dimension:N", title=t("col.dimension")),
            tooltip=[
                "dimension",
                alt.Tooltip(f"{YEAR}:O", title=t("col.year")),
                alt.Tooltip("mean(value):Q", format=".4f", title=t("chart.mean")),
            ],
        )
        .properties(width=WIDTH, height=300)
    )


def dimension_weights_chart(dimension_weights: pl.DataFrame, year: str) -> alt.Chart:
    """Share of the total weight per dimension (stacked, per year when weights vary)."""
    per_year = year in dimension_weights.columns
    columns = {"dimension": "dimension", "weight": "weight"} | ({YEAR: year} if per_year else {})
    base = alt.Chart(
        keyed(dimension_weights, **columns), title=_title(t("chart.dimension_weights"))
    )
    if per_year:
        chart = base.mark_bar().encode(
            x=_year(YEAR),
            y=alt.Y("weight:Q", stack="normalize", title=t("col.weight")),
            color=alt.Color("dimension:N", title=t("col.dimension")),
            tooltip=[
                "dimension",
                alt.Tooltip(f"{YEAR}:O", title=t("col.year")),
                alt.Tooltip("weight:Q", format=".4f"),
            ],
        )
    else:
        chart = base.mark_arc(innerRadius=50).encode(
            theta=alt.Theta("weight:Q"),
            color=alt.Color("dimension:N", title=t("col.dimension")),
            tooltip=["dimension", alt.Tooltip("weight:Q", format=".4f")],
        )
    return chart.properties(width=WIDTH, height=280)


def dagum_chart(summary: pl.DataFrame, by: str) -> alt.LayerChart:
    """Stacked contributions Gw, Gnb, Gt by year, with the overall G as a line."""
    names = {"Gw": t("dagum.Gw"), "Gnb": t("dagum.Gnb"), "Gt": t("dagum.Gt")}
    long = (
        keyed(summary, **{YEAR: by, "Gw": "Gw", "Gnb": "Gnb", "Gt": "Gt"})
        .unpivot(index=YEAR, variable_name="term", value_name="value")
        .with_columns(pl.col("term").replace_strict(names, return_dtype=pl.String).alias("part"))
    )
    order = list(names.values())
    bars = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=_year(YEAR),
            y=alt.Y("value:Q", stack="zero", title=t("dagum.contribution")),
            color=alt.Color("part:N", title=t("dagum.term"), sort=order),
            order=alt.Order("term:N"),
            tooltip=[
                alt.Tooltip(f"{YEAR}:O", title=t("col.year")),
                "part",
                alt.Tooltip("value:Q", format=".4f"),
            ],
        )
    )
    line = (
        alt.Chart(keyed(summary, **{YEAR: by, "G": "G"}))
        .mark_line(color="#222", point=True)
        .encode(
            x=_year(YEAR),
            y=alt.Y("G:Q"),
            tooltip=[
                alt.Tooltip(f"{YEAR}:O", title=t("col.year")),
                alt.Tooltip("G:Q", format=".4f", title="G"),
            ],
        )
    )
    return alt.layer(bars, line, title=_title(t("chart.dagum"))).properties(width=WIDTH, height=340)


def interval_chart(intervals: pl.DataFrame, by: str) -> alt.LayerChart:
    """Estimate and percentile interval of G, Gw, Gnb and Gt by year."""
    totals = keyed(
        intervals.filter(pl.col("quantity").is_in(["G", "Gw", "Gnb", "Gt"])),
        **{YEAR: by},
        **{n: n for n in ("quantity", "estimate", "lower", "upper")},
    )
    base = alt.Chart(totals).encode(
        x=_year(YEAR),
        color=alt.Color("quantity:N", title=t("dagum.term"), sort=["G", "Gw", "Gnb", "Gt"]),
    )
    band = base.mark_errorbar(ticks=True).encode(
        y=alt.Y("lower:Q", title=t("dagum.contribution")), y2="upper:Q"
    )
    point = base.mark_line(point=True).encode(
        y="estimate:Q",
        tooltip=[
            alt.Tooltip(f"{YEAR}:O", title=t("col.year")),
            "quantity",
            alt.Tooltip("estimate:Q", format=".4f"),
            alt.Tooltip("lower:Q", format=".4f"),
            alt.Tooltip("upper:Q", format=".4f"),
        ],
    )
    return alt.layer(band, point, title=_title(t("chart.intervals"))).properties(
        width=WIDTH, height=320
    )


def within_chart(within: pl.DataFrame, by: str) -> alt.Chart:
    """Within-group Gini Gjj by year, one line per group."""
    return (
        alt.Chart(
            keyed(within, **{YEAR: by}, **{n: n for n in ("group", "n", "mean", "Gjj")}),
            title=_title(t("chart.within")),
        )
        .mark_line(point=True)
        .encode(
            x=_year(YEAR),
            y=alt.Y("Gjj:Q", title="Gjj"),
            color=alt.Color("group:N", title=t("col.group")),
            tooltip=[
                alt.Tooltip(f"{YEAR}:O", title=t("col.year")),
                "group",
                "n",
                alt.Tooltip("mean:Q", format=".4f"),
                alt.Tooltip("Gjj:Q", format=".4f"),
            ],
        )
        .properties(width=WIDTH, height=300)
    )


def pair_heatmap(between: pl.DataFrame, value: str, title: str) -> alt.LayerChart:
    """Heatmap of a between-group quantity (Gjh or Djh) over the pairs (group_j, group_h)."""
    base = alt.Chart(between).encode(
        x=alt.X("group_h:N", title=t("dagum.group_h")),
        y=alt.Y("group_j:N", title=t("dagum.group_j")),
    )
    rect = base.mark_rect().encode(
        color=alt.Color(f"{value}:Q", title=value, scale=alt.Scale(scheme="orangered")),
        tooltip=["group_j", "group_h", alt.Tooltip(f"{value}:Q", format=".4f")],
    )
    values = between.get_column(value).drop_nulls()
    middle = (values.min() + values.max()) / 2 if values.len() else 0.0
    text = base.mark_text(fontSize=12).encode(
        text=alt.Text(f"{value}:Q", format=".3f"),
        color=alt.condition(
            f"datum['{value}'] > {middle!r}", alt.value("white"), alt.value("black")
        ),
    )
    return alt.layer(rect, text, title=_title(title)).properties(width=WIDTH, height=260)


def compare_scatter(
    joined: pl.DataFrame, label_a: str, label_b: str, *, region: str, year: str
) -> alt.Chart:
    """Score under configuration A against B, one point per region-year."""
    fixed = {n: n for n in ("score_a", "score_b", "rank_a", "rank_b")}
    data = keyed(joined, **{REGION: region, YEAR: year}, **fixed)
    return (
        alt.Chart(data, title=_title(t("chart.compare_scatter")))
        .mark_circle(size=40, opacity=0.6)
        .encode(
            x=alt.X("score_a:Q", title=label_a, scale=alt.Scale(zero=False)),
            y=alt.Y("score_b:Q", title=label_b, scale=alt.Scale(zero=False)),
            color=alt.Color(f"{YEAR}:O", title=t("col.year")),
            tooltip=[
                alt.Tooltip(f"{REGION}:N", title=t("col.region")),
                alt.Tooltip(f"{YEAR}:O", title=t("col.year")),
                "score_a",
                "score_b",
                "rank_a",
                "rank_b",
            ],
        )
        .properties(width=WIDTH, height=360)
    )


def rank_change_chart(joined: pl.DataFrame, region: str, top: int = 20) -> alt.Chart:
    """The largest rank changes (A → B) of one year."""
    biggest = joined.sort(pl.col("rank_change").abs(), descending=True).head(top)
    data = keyed(biggest, **{REGION: region}, **{n: n for n in ("rank_a", "rank_b", "rank_change")})
    return (
        alt.Chart(data, title=_title(t("chart.rank_change")))
        .mark_bar()
        .encode(
            x=alt.X("rank_change:Q", title=t("col.rank_change")),
            y=alt.Y(f"{REGION}:N", sort="-x", title=t("col.region")),
            color=alt.condition(
                "datum.rank_change > 0", alt.value("#2a9d8f"), alt.value("#e76f51")
            ),
            tooltip=[
                alt.Tooltip(f"{REGION}:N", title=t("col.region")),
                "rank_a",
                "rank_b",
                "rank_change",
            ],
        )
        .properties(width=WIDTH, height=alt.Step(20))
    )
