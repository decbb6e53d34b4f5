"""The report's charts: matplotlib figures as inline SVG text, drawn by :mod:`nqpf.figures`.

Every chart is drawn in a theme of :mod:`nqpf.figures` (``"default"`` unless ``theme=``
is given): its font stack with CJK fallback, literal labels (no mathtext, no TeX),
constrained layout, legends right of the data area (a stacked bar's legend lists the
stack top first, as it is seen), SVG text kept as ``<text>`` (the browser showing the
HTML report draws Chinese with the reader's fonts). See :mod:`nqpf.figures` for the
fonts and their fallback.

Each ``chart_*`` function returns a :class:`Chart`: the SVG text (a ``str``, as the
report always held) that also remembers how it was drawn, so :meth:`Chart.render` gives
the same chart as PNG (300 dpi) or PDF (fonts embedded) for the report folder, LaTeX and
Word. :func:`render` does the same from a chart function and its arguments.

Titles, axis titles and legend labels are arguments (``title=``, ``xlabel=``,
``ylabel=``, …; English by default), and ``order=`` gives the order of the groups;
the charts translate nothing and compute nothing beyond arranging the tables they get
(the trend's means by year through :func:`nqpf._frames.grouped`).

The app draws its charts here too (:mod:`nqpf.app.charts` gives the labels): the
weights (:func:`chart_weights`, :func:`chart_dimension_weights`), the chosen regions'
scores (:func:`chart_regions`), the rank heatmap (:func:`chart_rank_heatmap`), the
dimension scores (:func:`chart_dimensions`), the Dagum figure, its bootstrap intervals
(:func:`chart_intervals`), Gjj (:func:`chart_within`) and the pair heatmaps
(:func:`chart_pairs`), and the comparison of two configurations
(:func:`chart_compare_scatter`, :func:`chart_rank_change`). Values that a chart's
reader would look up (weights, ranks, Gjh/Djh, rank moves) are written on the chart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import polars as pl

from nqpf import figures
from nqpf._frames import grouped
from nqpf.errors import InputError
from nqpf.formats import clean_text

#: The default theme's font stack, CJK first (see :mod:`nqpf.figures`).
CJK_FONTS = figures.SANS_FONTS

#: Where Debian/Ubuntu (fonts-noto-cjk), Fedora and WenQuanYi packages put a CJK font.
CJK_FONT_FILES = figures.CJK_FONT_FILES

#: Drawing settings of the default theme (:func:`nqpf.figures.rc`).
CHART_RC = figures.rc("default")

#: Most groups drawn as their own line in the trend chart (beyond: the overall mean only).
MAX_TREND_GROUPS = 30


def cjk_font_file(theme: str = "default") -> str | None:
    """The file matplotlib draws Chinese from (:func:`nqpf.figures.cjk_font_file`)."""
    return figures.cjk_font_file(theme)


def chart_style(theme: str = "default") -> Iterator[None]:
    """The charts' style for a ``with`` block only (:func:`nqpf.figures.style`)."""
    return figures.style(theme)


#: PNG/PDF bytes of the charts drawn in this process, by (chart, SHA-256 of its SVG,
#: format, options): the SVG holds every mark and text of the drawing (matplotlib's is
#: deterministic, ``svg.hashsalt``), so an equal SVG is an equal figure. Bounded.
_RENDERED: dict[tuple[Any, ...], bytes] = {}
_RENDERED_MAX = 128


class Chart(str):
    """The SVG text of a chart (a ``str``), which can draw itself again in another
    format: ``chart.render("png")`` (300 dpi), ``"pdf"``, ``"svg"``."""

    chart: Callable[..., str]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]

    def __new__(
        cls, svg: str, chart: Callable[..., str], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> Chart:
        out = super().__new__(cls, svg)
        out.chart, out.args, out.kwargs = chart, args, kwargs
        return out

    def __reduce__(self) -> Any:  # pickled by the chart function's name (picklable)
        return (_chart_again, (str(self), self.chart.__name__, self.args, self.kwargs))

    def render(self, fmt: str = "png", **options: Any) -> bytes:
        """This chart as ``fmt`` bytes (:func:`render`; ``theme=``, ``width=``,
        ``height=`` override the chart's own). A chart whose SVG is the same as one drawn
        before in this process (the same figure of another report of the same data) is
        not drawn again: :data:`_RENDERED`."""
        import hashlib

        digest = hashlib.sha256(str(self).encode("utf-8")).hexdigest()
        key = (self.chart.__name__, digest, fmt, tuple(sorted(options.items())))
        if key not in _RENDERED:
            _RENDERED[key] = render(self.chart, *self.args, fmt=fmt, **{**self.kwargs, **options})
            while len(_RENDERED) > _RENDERED_MAX:  # the oldest first
                del _RENDERED[next(iter(_RENDERED))]
        return _RENDERED[key]


class MapFigure(str):
    """A map of :mod:`nqpf.spatial.maps` as a report figure: its SVG text (a ``str``, as
    every figure of a report) that draws itself again as PNG or PDF like a
    :class:`Chart` (:meth:`nqpf.spatial.Map.to_bytes`: 300 dpi PNG, PDF with fonts
    embedded), for the report folder and Word."""

    map: Any

    def __new__(cls, drawn: Any, svg: str | None = None) -> MapFigure:
        out = super().__new__(cls, drawn.svg() if svg is None else svg)
        out.map = drawn
        return out

    def __reduce__(self) -> Any:
        # pickled with its SVG text as drawn (a figure drawn again after unpickling may
        # lay out a fraction of a point apart) and its map (a matplotlib Figure pickles)
        return (_map_again, (self.map, str(self)))

    def render(self, fmt: str = "png", **options: Any) -> bytes:
        """This map as ``fmt`` bytes ("png", "pdf" or "svg"; a map has no theme or size
        options: it was drawn at its own)."""
        cache = self.__dict__.setdefault("_rendered", {})
        if fmt not in cache:  # a report written twice draws its maps once
            cache[fmt] = self.map.to_bytes(fmt)
        return cache[fmt]  # type: ignore[no-any-return]


def _map_again(drawn: Any, svg: str) -> MapFigure:
    return MapFigure(drawn, svg)


def _chart_again(svg: str, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Chart:
    return Chart(svg, CHARTS[name], args, kwargs)


def _ordered(present: Sequence[Any], order: Sequence[Any] | None) -> list[Any]:
    """``present`` in ``order`` first, the rest as they come."""
    chosen = [g for g in (order or []) if g in present]
    return chosen + [g for g in present if g not in chosen]


def _one_axes(draw: Callable[[Any, figures.Theme], None]) -> figures.Drawing:
    """A drawing on one axes, with whole years on a year axis."""

    def drawing(fig: Any, theme: figures.Theme) -> None:
        from matplotlib.ticker import MaxNLocator

        ax = fig.add_subplot()
        draw(ax, theme)
        if getattr(ax, "_nqpf_year_axis", False):
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))

    return drawing


def _trend(
    scores: pl.DataFrame,
    year: str,
    group: str | None,
    score: str = "score",
    *,
    title: str = "Index score by year",
    xlabel: str | None = None,
    ylabel: str = "mean score",
    overall: str = "all",
    order: Sequence[Any] | None = None,
    missing: str = "(missing)",
) -> figures.Drawing:
    def draw(ax: Any, theme: figures.Theme) -> None:
        mean = grouped(scores.group_by(year), {score: (score, "mean")}).sort(year)
        handles = ax.plot(mean[year], mean[score], color=theme.ink, lw=2.2)
        labels = [overall]
        # one line per group while a legend can still be read
        if group and scores.get_column(group).n_unique() <= MAX_TREND_GROUPS:
            present = scores.get_column(group).unique(maintain_order=True).to_list()
            for i, name in enumerate(_ordered(present, order)):
                part = scores.filter(pl.col(group).eq_missing(name))
                line = grouped(part.group_by(year), {score: (score, "mean")}).sort(year)
                handles += ax.plot(line[year], line[score], lw=1.2, **theme.line(i))
                labels.append(missing if name is None else str(name))
        ax.set_xlabel(clean_text(year if xlabel is None else xlabel))
        ax.set_ylabel(clean_text(ylabel))
        ax.set_title(clean_text(title))
        ax._nqpf_year_axis = True
        figures.legend_outside(ax, handles, labels, fontsize=7, ncol=1 if len(labels) <= 16 else 2)

    return _one_axes(draw)


#: The Dagum components in stack order (bottom first) and the total.
_DAGUM_PARTS = ("Gw", "Gnb", "Gt")


def _dagum(
    summary: pl.DataFrame,
    by: str,
    title: str,
    *,
    xlabel: str | None = None,
    ylabel: str = "Gini",
    labels: Mapping[str, str] | None = None,
) -> figures.Drawing:
    names = {c: c for c in (*_DAGUM_PARTS, "G")} | dict(labels or {})

    def draw(ax: Any, theme: figures.Theme) -> None:
        years = summary[by].to_numpy()
        bottom = np.zeros(len(years))
        handles, shown = [], []
        for i, column in enumerate(_DAGUM_PARTS):
            values = summary[column].to_numpy()
            handles.append(ax.bar(years, values, bottom=bottom, **theme.bar(i)))
            shown.append(names[column])
            bottom += values
        handles += ax.plot(
            years, summary["G"].to_numpy(), color=theme.ink, marker="o", ms=3, mfc="white"
        )
        shown.append(names["G"])
        ax.set_ylim(bottom=0)
        ax.margins(y=0.08)  # headroom over the tallest stack and the G markers
        ax.set_xlabel(clean_text(by if xlabel is None else xlabel))
        ax.set_ylabel(clean_text(ylabel))
        ax.set_title(clean_text(title))
        ax._nqpf_year_axis = True
        # the legend reads top-down as the stack is seen: G, then the top segment first
        figures.legend_outside(ax, handles[::-1], shown[::-1], fontsize=7)

    return _one_axes(draw)


def _density(
    density: pl.DataFrame,
    year: str,
    *,
    title: str = "Kernel density of the score (Gaussian, Silverman bandwidth)",
    xlabel: str = "score",
    ylabel: str = "density",
) -> figures.Drawing:
    def draw(ax: Any, theme: figures.Theme) -> None:
        years = sorted(density[year].unique().to_list())
        chosen = sorted({years[0], years[len(years) // 2], years[-1]})
        handles, labels = [], []
        for i, y in enumerate(chosen):
            part = density.filter(pl.col(year) == y)
            handles += ax.plot(part["x"], part["density"], **theme.line(i, part.height))
            labels.append(str(y))
        ax.set_xlabel(clean_text(xlabel))
        ax.set_ylabel(clean_text(ylabel))
        ax.set_title(clean_text(title))
        figures.legend_outside(ax, handles, labels, fontsize=8)

    return _one_axes(draw)


def _sigma(
    sigma: pl.DataFrame,
    year: str,
    *,
    title: str = "σ-convergence: dispersion of the score by year",
    xlabel: str | None = None,
    ylabel: str = "",
    labels: Mapping[str, str] | None = None,
) -> figures.Drawing:
    names = {"cv": "cv", "gini": "gini"} | dict(labels or {})

    def draw(ax: Any, theme: figures.Theme) -> None:
        handles, shown = [], []
        for i, column in enumerate(("cv", "gini")):
            handles += ax.plot(
                sigma[year], sigma[column], **({"marker": "o", "ms": 3} | theme.line(i))
            )
            shown.append(names[column])
        ax.set_xlabel(clean_text(year if xlabel is None else xlabel))
        if ylabel:
            ax.set_ylabel(clean_text(ylabel))
        ax.set_title(clean_text(title))
        ax._nqpf_year_axis = True
        figures.legend_outside(ax, handles, shown, fontsize=8)

    return _one_axes(draw)


def _svg(chart: Callable[..., str], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Chart:
    try:
        import matplotlib  # noqa: F401
    except ImportError:  # pragma: no cover - matplotlib is a dependency
        return Chart("", chart, args, kwargs)
    text = render(chart, *args, fmt="svg", **kwargs).decode("utf-8")
    return Chart(text[text.index("<svg") :], chart, args, kwargs)


def chart_trend(
    scores: pl.DataFrame, year: str, group: str | None, score: str = "score", **options: Any
) -> Chart:
    """Mean score by year, overall and per group (up to :data:`MAX_TREND_GROUPS`, in
    ``order=``), as SVG. Options: ``title``, ``xlabel``, ``ylabel``, ``overall`` (the
    legend label of the overall mean), ``order``, ``theme``, ``width``, ``height``."""
    return _svg(chart_trend, (scores, year, group, score), options)


def chart_dagum(summary: pl.DataFrame, by: str, title: str, **options: Any) -> Chart:
    """Dagum Gw/Gnb/Gt stacked by ``by`` with the total G as a line, as SVG. Options:
    ``xlabel``, ``ylabel``, ``labels`` (component → legend label), ``theme``, …"""
    return _svg(chart_dagum, (summary, by, title), options)


def chart_density(density: pl.DataFrame, year: str, **options: Any) -> Chart:
    """Kernel density of the score in the first, middle and last year, as SVG. Options:
    ``title``, ``xlabel``, ``ylabel``, ``theme``, …"""
    return _svg(chart_density, (density, year), options)


def chart_sigma(sigma: pl.DataFrame, year: str, **options: Any) -> Chart:
    """σ-convergence: CV and Gini of the score by year, as SVG. Options: ``title``,
    ``xlabel``, ``ylabel``, ``labels`` (column → legend label), ``theme``, …"""
    return _svg(chart_sigma, (sigma, year), options)


def chart_kde_surface(density: pl.DataFrame, year: str, **options: Any) -> Chart:
    """The 3-D kernel density surface (score × year × density), overall and per group
    (``by_group=``, ``group=``, ``order=``), as SVG: :func:`nqpf.figures.kde_surface`."""
    return _svg(chart_kde_surface, (density, year), options)


def chart_ridgeline(density: pl.DataFrame, year: str, **options: Any) -> Chart:
    """The kernel densities by year as a ridgeline, as SVG: :func:`nqpf.figures.ridgeline`."""
    return _svg(chart_ridgeline, (density, year), options)


def chart_conditional_density(kernel: Any, **options: Any) -> Chart:
    """The conditional kernel density (stochastic kernel) of
    :func:`nqpf.conditional_density`: surface and contour with the 45° line, as SVG
    (:func:`nqpf.figures.conditional_density`)."""
    return _svg(chart_conditional_density, (kernel,), options)


def _rank_range(regions: pl.DataFrame, region: str, **options: Any) -> figures.Drawing:
    # drawn by the robustness module (imported when a report has the chart)
    from nqpf.multiverse import rank_range_drawing

    return rank_range_drawing(regions, region, **options)


def chart_rank_range(regions: pl.DataFrame, region: str, **options: Any) -> Chart:
    """The robustness analysis' rank-range plot (:func:`nqpf.multiverse.rank_range_drawing`)
    of :attr:`nqpf.RobustnessResult.regions`, as SVG. Options: ``title``, ``xlabel``,
    ``median_label``, ``reference_label``, ``theme``, …"""
    return _svg(chart_rank_range, (regions, region), options)


#: Each chart function → the drawing it renders (for :func:`render`).
_DRAWINGS: dict[Callable[..., str], Callable[..., figures.Drawing]] = {
    chart_trend: _trend,
    chart_dagum: _dagum,
    chart_density: _density,
    chart_sigma: _sigma,
    chart_kde_surface: figures.kde_surface_drawing,
    chart_ridgeline: figures.ridgeline_drawing,
    chart_conditional_density: figures.conditional_density_drawing,
    chart_rank_range: _rank_range,
}

#: The chart functions of the report, by name.
CHARTS = {chart.__name__: chart for chart in _DRAWINGS}


def figure(
    chart: Callable[..., str],
    *args: Any,
    theme: str = "default",
    width: float | None = None,
    height: float | None = None,
    **kwargs: Any,
) -> Any:
    """The matplotlib Figure of ``chart(*args, **kwargs)`` (one of :data:`CHARTS`), for
    :func:`nqpf.figures.save`."""
    if chart not in _DRAWINGS:
        raise InputError(
            f"render: {getattr(chart, '__name__', chart)!r} is no chart of nqpf.report.charts;"
            f" use one of {', '.join(CHARTS)}"
        )
    return figures.draw(_DRAWINGS[chart](*args, **kwargs), theme=theme, width=width, height=height)


def render(
    chart: Callable[..., str],
    *args: Any,
    fmt: str | None = None,
    format: str | None = None,  # the keyword of the first release
    **kwargs: Any,
) -> bytes:
    """``chart(*args, **kwargs)`` (one of :data:`CHARTS`) drawn as ``fmt`` bytes ("png"
    at 300 dpi, the default; "pdf" with fonts embedded; "svg") in the same style and
    layout as its SVG; ``theme=``, ``width=``, ``height=`` as for :func:`figure`."""
    return figures.to_bytes(figure(chart, *args, **kwargs), fmt or format or "png")


# ---------------------------------------------------------------------------
# The app's charts (nqpf.app draws every chart through these, as the report does)
# ---------------------------------------------------------------------------


def _legend_columns(n: int) -> int:
    return 1 if n <= 16 else 2


def _mean_by(frame: pl.DataFrame, key: str, value: str) -> pl.DataFrame:
    """Mean of ``value`` by ``key``, sorted (:func:`nqpf._frames.grouped`: reproducible)."""
    return grouped(frame.group_by(key), {value: (value, "mean")}).sort(key)


def _weights(
    weights: pl.DataFrame,
    year: str | None = None,
    *,
    title: str = "Indicator weights",
    xlabel: str = "weight",
    ylabel: str = "indicator",
    legend: str = "dimension",
    order: Sequence[Any] | None = None,
) -> figures.Drawing:
    per_year = year is not None and year in weights.columns
    rows = weights.get_column("indicator").n_unique()

    def pooled(ax: Any, theme: figures.Theme) -> None:
        ax.figure.set_size_inches(7.5, max(2.4, 0.26 * rows + 1.1))
        data = weights.sort("weight", descending=True)
        dims = _ordered(data.get_column("dimension").unique(maintain_order=True).to_list(), order)
        names = [clean_text(n) for n in data.get_column("indicator").to_list()]
        positions = np.arange(data.height)[::-1]  # the largest weight on top
        handles = []
        for i, dim in enumerate(dims):
            mask = (data.get_column("dimension") == dim).to_numpy()
            handles.append(
                ax.barh(positions[mask], data.get_column("weight").to_numpy()[mask], **theme.bar(i))
            )
        for y, w in zip(positions, data.get_column("weight").to_list(), strict=True):
            ax.annotate(
                f"{w:.4f}",
                (w, y),
                xytext=(2, 0),
                textcoords="offset points",
                va="center",
                fontsize=6,
            )
        ax.set_yticks(positions, names, fontsize=7)
        ax.margins(x=0.12)
        ax.set_xlabel(clean_text(xlabel))
        ax.set_ylabel(clean_text(ylabel))
        ax.set_title(clean_text(title))
        figures.legend_outside(ax, handles, dims, fontsize=7, title=clean_text(legend))

    def by_year(ax: Any, theme: figures.Theme) -> None:
        handles, labels = [], []
        for i, name in enumerate(weights.get_column("indicator").unique(maintain_order=True)):
            part = weights.filter(pl.col("indicator") == name).sort(year)
            handles += ax.plot(part[year], part["weight"], lw=1.2, **theme.line(i, part.height))
            labels.append(name)
        ax.set_xlabel(clean_text(year))
        ax.set_ylabel(clean_text(xlabel))
        ax.set_title(clean_text(title))
        ax._nqpf_year_axis = True
        figures.legend_outside(ax, handles, labels, fontsize=7, ncol=_legend_columns(len(labels)))

    return _one_axes(by_year if per_year else pooled)


def _dimension_weights(
    dimension_weights: pl.DataFrame,
    year: str | None = None,
    *,
    title: str = "Weight by dimension",
    xlabel: str | None = None,
    ylabel: str = "share of the weight",
    order: Sequence[Any] | None = None,
) -> figures.Drawing:
    per_year = year is not None and year in dimension_weights.columns
    dims = _ordered(
        dimension_weights.get_column("dimension").unique(maintain_order=True).to_list(), order
    )

    def draw(ax: Any, theme: figures.Theme) -> None:
        if not per_year:  # one share per dimension: a ring with the percentages
            ax.figure.set_size_inches(5.0, 3.4)
            values = [
                float(dimension_weights.filter(pl.col("dimension") == d)["weight"].sum())
                for d in dims
            ]
            wedges, _, _ = ax.pie(
                values,
                autopct="%.1f%%",
                pctdistance=0.78,
                startangle=90,
                counterclock=False,
                wedgeprops={"width": 0.45, "edgecolor": "white"},
                colors=[theme.bar(i)["color"] for i in range(len(dims))],
                hatch=[theme.bar(i).get("hatch", "") for i in range(len(dims))],
                textprops={"fontsize": 7},
            )
            ax.set_aspect("equal")
            ax.set_title(clean_text(title))
            figures.legend_outside(ax, list(wedges), dims, fontsize=7)
            return
        years = sorted(dimension_weights.get_column(year).unique().to_list())
        total = (  # each year's weights sum to 1 up to rounding: shares of that sum
            grouped(dimension_weights.group_by(year), {"weight": ("weight", "sum")})
            .sort(year)
            .get_column("weight")
            .to_numpy()
        )
        bottom = np.zeros(len(years))
        handles = []
        for i, dim in enumerate(dims):
            part = dimension_weights.filter(pl.col("dimension") == dim).sort(year)
            share = part["weight"].to_numpy() / total
            handles.append(ax.bar(years, share, bottom=bottom, **theme.bar(i)))
            bottom += share
        ax.set_xlabel(clean_text(year if xlabel is None else xlabel))
        ax.set_ylabel(clean_text(ylabel))
        ax.set_title(clean_text(title))
        ax._nqpf_year_axis = True
        figures.legend_outside(ax, handles[::-1], dims[::-1], fontsize=7)

    return _one_axes(draw)


def _regions(
    scores: pl.DataFrame,
    region: str,
    year: str,
    regions: Sequence[Any],
    score: str = "score",
    *,
    title: str = "Index score by year",
    xlabel: str | None = None,
    ylabel: str = "score",
    overall: str = "mean",
) -> figures.Drawing:
    def draw(ax: Any, theme: figures.Theme) -> None:
        mean = _mean_by(scores, year, score)
        handles = ax.plot(mean[year], mean[score], color=theme.ink, lw=2.6, marker="o", ms=3)
        labels = [overall]
        for i, name in enumerate(regions):
            part = scores.filter(pl.col(region) == name).sort(year)
            style = {"marker": "o", "ms": 2.5} | theme.line(i, part.height)
            handles += ax.plot(part[year], part[score], lw=1.1, dashes=(4, 2), **style)
            labels.append(name)
        ax.set_xlabel(clean_text(year if xlabel is None else xlabel))
        ax.set_ylabel(clean_text(ylabel))
        ax.set_title(clean_text(title))
        ax._nqpf_year_axis = True
        figures.legend_outside(ax, handles, labels, fontsize=7, ncol=_legend_columns(len(labels)))

    return _one_axes(draw)


def _rank_heatmap(
    scores: pl.DataFrame,
    region: str,
    year: str,
    rank: str = "rank",
    *,
    title: str = "Rank by region and year (1 = highest)",
    xlabel: str | None = None,
    ylabel: str = "region",
    legend: str = "rank",
) -> figures.Drawing:
    """Regions ordered by their mean rank (best on top), ranks written in the cells."""
    years = sorted(scores.get_column(year).unique().to_list())
    order = _mean_by(scores, region, rank).sort([rank, region]).get_column(region).to_list()
    cells = np.full((len(order), len(years)), np.nan)
    where = {name: i for i, name in enumerate(order)}
    column = {y: j for j, y in enumerate(years)}
    for name, y, r in scores.select(region, year, rank).iter_rows():
        if r is not None:
            cells[where[name], column[y]] = r

    def draw(ax: Any, theme: figures.Theme) -> None:
        ax.figure.set_size_inches(7.5, max(2.6, 0.2 * len(order) + 1.3))
        image = ax.imshow(cells, aspect="auto", cmap=f"{theme.cmap}_r", interpolation="nearest")
        if cells.size <= 900:
            high = np.nanmax(cells) if np.isfinite(cells).any() else 1.0
            for (i, j), r in np.ndenumerate(cells):
                if np.isfinite(r):
                    ink = "white" if r < 0.35 * high else "black"
                    ax.text(j, i, f"{r:.0f}", ha="center", va="center", fontsize=5.5, color=ink)
        step = max(1, len(years) // 12)
        ax.set_xticks(range(0, len(years), step), [str(y) for y in years[::step]], fontsize=7)
        ax.set_yticks(range(len(order)), [clean_text(n) for n in order], fontsize=6)
        ax.set_xlabel(clean_text(year if xlabel is None else xlabel))
        ax.set_ylabel(clean_text(ylabel))
        ax.set_title(clean_text(title))
        bar = ax.figure.colorbar(image, ax=ax, shrink=0.8)
        bar.set_label(clean_text(legend))
        bar.ax.invert_yaxis()  # rank 1 at the top

    return _one_axes(draw)


def _dimensions(
    scores: pl.DataFrame,
    year: str,
    dimensions: Mapping[str, str],
    *,
    title: str = "Mean dimension score by year",
    xlabel: str | None = None,
    ylabel: str = "dimension score",
    order: Sequence[Any] | None = None,
) -> figures.Drawing:
    def draw(ax: Any, theme: figures.Theme) -> None:
        handles, labels = [], []
        for i, name in enumerate(_ordered(list(dimensions), order)):
            mean = _mean_by(scores, year, dimensions[name])
            handles += ax.plot(
                mean[year], mean[dimensions[name]], **({"marker": "o", "ms": 3} | theme.line(i))
            )
            labels.append(name)
        ax.set_xlabel(clean_text(year if xlabel is None else xlabel))
        ax.set_ylabel(clean_text(ylabel))
        ax.set_title(clean_text(title))
        ax._nqpf_year_axis = True
        figures.legend_outside(ax, handles, labels, fontsize=7)

    return _one_axes(draw)


def _intervals(
    intervals: pl.DataFrame,
    by: str,
    *,
    title: str = "Bootstrap intervals",
    xlabel: str | None = None,
    ylabel: str = "Gini",
    labels: Mapping[str, str] | None = None,
) -> figures.Drawing:
    """Estimate (line) and percentile interval (bars) of G, Gw, Gnb, Gt by ``by``."""
    names = {c: c for c in ("G", *_DAGUM_PARTS)} | dict(labels or {})

    def draw(ax: Any, theme: figures.Theme) -> None:
        handles = []
        for i, quantity in enumerate(("G", *_DAGUM_PARTS)):
            part = intervals.filter(pl.col("quantity") == quantity).sort(by)
            if part.is_empty():
                continue
            x = part[by].to_numpy().astype(float) + (i - 1.5) * 0.06  # apart, not on top
            est = part["estimate"].to_numpy()
            err = np.vstack([est - part["lower"].to_numpy(), part["upper"].to_numpy() - est])
            style = {"marker": "o", "ms": 3} | theme.line(i)
            handles.append(ax.errorbar(x, est, yerr=err, capsize=2.5, lw=1.1, **style))
        ax.set_xlabel(clean_text(by if xlabel is None else xlabel))
        ax.set_ylabel(clean_text(ylabel))
        ax.set_title(clean_text(title))
        ax._nqpf_year_axis = True
        shown = [names[q] for q in ("G", *_DAGUM_PARTS) if intervals["quantity"].eq(q).any()]
        figures.legend_outside(ax, handles, shown, fontsize=7)

    return _one_axes(draw)


def _within(
    within: pl.DataFrame,
    by: str,
    *,
    title: str = "Within-group Gini Gjj",
    xlabel: str | None = None,
    ylabel: str = "Gjj",
    order: Sequence[Any] | None = None,
    missing: str = "(missing)",
) -> figures.Drawing:
    def draw(ax: Any, theme: figures.Theme) -> None:
        present = within.get_column("group").unique(maintain_order=True).to_list()
        handles, labels = [], []
        for i, name in enumerate(_ordered(present, order)):
            part = within.filter(pl.col("group").eq_missing(name)).sort(by)
            handles += ax.plot(
                part[by], part["Gjj"], **({"marker": "o", "ms": 3} | theme.line(i, part.height))
            )
            labels.append(missing if name is None else str(name))
        ax.set_xlabel(clean_text(by if xlabel is None else xlabel))
        ax.set_ylabel(clean_text(ylabel))
        ax.set_title(clean_text(title))
        ax._nqpf_year_axis = True
        figures.legend_outside(ax, handles, labels, fontsize=7, ncol=_legend_columns(len(labels)))

    return _one_axes(draw)


def _pairs(
    between: pl.DataFrame,
    value: str,
    title: str,
    *,
    xlabel: str = "group h",
    ylabel: str = "group j",
    order: Sequence[Any] | None = None,
) -> figures.Drawing:
    """A heatmap of a between-group quantity over the pairs (group_j, group_h), the
    values written in the cells (three decimals)."""
    present = list(
        dict.fromkeys(between.get_column("group_j").to_list() + between["group_h"].to_list())
    )
    groups = _ordered(present, order)
    at = {g: i for i, g in enumerate(groups)}
    cells = np.full((len(groups), len(groups)), np.nan)
    for j, h, v in between.select("group_j", "group_h", value).iter_rows():
        if v is not None:
            cells[at[j], at[h]] = v

    def draw(ax: Any, theme: figures.Theme) -> None:
        n = len(groups)
        ax.figure.set_size_inches(max(3.8, 0.55 * n + 2.4), max(3.0, 0.45 * n + 1.6))
        image = ax.imshow(cells, cmap="Greys" if theme.name == "grey" else "OrRd")
        finite = cells[np.isfinite(cells)]
        middle = (finite.min() + finite.max()) / 2 if finite.size else 0.0
        for (i, k), v in np.ndenumerate(cells):
            if np.isfinite(v):
                ink = "white" if v > middle else "black"
                ax.text(k, i, f"{v:.3f}", ha="center", va="center", fontsize=7, color=ink)
        names = ["(missing)" if g is None else clean_text(g) for g in groups]
        ax.set_xticks(
            range(n),
            names,
            rotation=30 if n > 4 else 0,
            ha="right" if n > 4 else "center",
            fontsize=7,
        )
        ax.set_yticks(range(n), names, fontsize=7)
        ax.set_xlabel(clean_text(xlabel))
        ax.set_ylabel(clean_text(ylabel))
        ax.set_title(clean_text(title))
        ax.figure.colorbar(image, ax=ax, shrink=0.8).set_label(clean_text(value))

    return _one_axes(draw)


def _compare_scatter(
    joined: pl.DataFrame,
    year: str,
    *,
    title: str = "Scores under A and B",
    xlabel: str = "A: score",
    ylabel: str = "B: score",
    legend: str | None = None,
) -> figures.Drawing:
    """Score under configuration A against B, one point per region-year, coloured by
    year, with the line of equal scores."""

    def draw(ax: Any, theme: figures.Theme) -> None:
        a, b = joined["score_a"].to_numpy(), joined["score_b"].to_numpy()
        years = joined[year].to_numpy()
        points = ax.scatter(a, b, c=years, s=14, alpha=0.7, cmap=theme.cmap, edgecolors="none")
        finite = np.concatenate([a[np.isfinite(a)], b[np.isfinite(b)]])
        if finite.size:
            low, high = float(finite.min()), float(finite.max())
            ax.plot([low, high], [low, high], color=theme.ink, lw=0.7, ls=":")
        ax.set_xlabel(clean_text(xlabel))
        ax.set_ylabel(clean_text(ylabel))
        ax.set_title(clean_text(title))
        bar = ax.figure.colorbar(points, ax=ax, shrink=0.8)
        bar.set_label(clean_text(year if legend is None else legend))
        from matplotlib.ticker import MaxNLocator

        bar.locator = MaxNLocator(integer=True)
        bar.update_ticks()

    return _one_axes(draw)


def _rank_change(
    joined: pl.DataFrame,
    region: str,
    top: int = 20,
    *,
    title: str = "Largest rank changes",
    xlabel: str = "rank change (A → B)",
    ylabel: str = "region",
) -> figures.Drawing:
    """The ``top`` largest rank changes of one year, each bar labelled "rank A → rank B"."""
    biggest = joined.sort(pl.col("rank_change").abs(), descending=True).head(top)

    def draw(ax: Any, theme: figures.Theme) -> None:
        ax.figure.set_size_inches(7.5, max(2.4, 0.26 * biggest.height + 1.1))
        change = biggest["rank_change"].to_numpy().astype(float)
        positions = np.arange(biggest.height)[::-1]
        up, down = theme.bar(0), theme.bar(min(3, len(theme.colours) - 1))
        ax.barh(positions[change > 0], change[change > 0], **up)
        ax.barh(positions[change <= 0], change[change <= 0], **down)
        for y, c, a, b in zip(
            positions, change, biggest["rank_a"].to_list(), biggest["rank_b"].to_list(), strict=True
        ):
            ax.annotate(
                f"{a} → {b}",
                (c, y),
                xytext=(3 if c > 0 else -3, 0),
                textcoords="offset points",
                ha="left" if c > 0 else "right",
                va="center",
                fontsize=6,
            )
        ax.axvline(0, color=theme.ink, lw=0.6)
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # ranks move by whole places
        ax.set_yticks(positions, [clean_text(n) for n in biggest[region].to_list()], fontsize=7)
        ax.margins(x=0.15)
        ax.set_xlabel(clean_text(xlabel))
        ax.set_ylabel(clean_text(ylabel))
        ax.set_title(clean_text(title))

    return _one_axes(draw)


def chart_weights(weights: pl.DataFrame, year: str | None = None, **options: Any) -> Chart:
    """Indicator weights: bars by dimension, largest on top, each labelled with its
    weight (pooled weights) or one line per indicator over ``year`` (per-year weights).
    Options: ``title``, ``xlabel``, ``ylabel``, ``legend``, ``order`` (dimensions)."""
    return _svg(chart_weights, (weights, year), options)


def chart_dimension_weights(
    dimension_weights: pl.DataFrame, year: str | None = None, **options: Any
) -> Chart:
    """Share of the total weight per dimension: a ring with percentages (pooled) or
    100 % stacked bars by ``year`` (per-year weights)."""
    return _svg(chart_dimension_weights, (dimension_weights, year), options)


def chart_regions(
    scores: pl.DataFrame,
    region: str,
    year: str,
    regions: Sequence[Any],
    score: str = "score",
    **options: Any,
) -> Chart:
    """Mean score by year (thick line) and the chosen ``regions``' scores (dashed)."""
    return _svg(chart_regions, (scores, region, year, list(regions), score), options)


def chart_rank_heatmap(
    scores: pl.DataFrame, region: str, year: str, rank: str = "rank", **options: Any
) -> Chart:
    """Rank of every region in every year (1 = best), regions by mean rank."""
    return _svg(chart_rank_heatmap, (scores, region, year, rank), options)


def chart_dimensions(
    scores: pl.DataFrame, year: str, dimensions: Mapping[str, str], **options: Any
) -> Chart:
    """Mean dimension score by year, one line per dimension (``dimensions``: name →
    its column in ``scores``, :attr:`nqpf.index.IndexResult.dimension_columns`)."""
    return _svg(chart_dimensions, (scores, year, dict(dimensions)), options)


def chart_intervals(intervals: pl.DataFrame, by: str, **options: Any) -> Chart:
    """Bootstrap estimate and percentile interval of G, Gw, Gnb and Gt by ``by``."""
    return _svg(chart_intervals, (intervals, by), options)


def chart_within(within: pl.DataFrame, by: str, **options: Any) -> Chart:
    """Within-group Gini Gjj by ``by``, one line per group in ``order=``."""
    return _svg(chart_within, (within, by), options)


def chart_pairs(between: pl.DataFrame, value: str, title: str, **options: Any) -> Chart:
    """Heatmap of a between-group quantity (``value``: Gjh or Djh) over the pairs."""
    return _svg(chart_pairs, (between, value, title), options)


def chart_compare_scatter(joined: pl.DataFrame, year: str, **options: Any) -> Chart:
    """Scores under A (x) and B (y), one point per region-year, coloured by year."""
    return _svg(chart_compare_scatter, (joined, year), options)


def chart_rank_change(joined: pl.DataFrame, region: str, top: int = 20, **options: Any) -> Chart:
    """The largest rank changes A → B of one year."""
    return _svg(chart_rank_change, (joined, region, top), options)


_DRAWINGS.update(
    {
        chart_weights: _weights,
        chart_dimension_weights: _dimension_weights,
        chart_regions: _regions,
        chart_rank_heatmap: _rank_heatmap,
        chart_dimensions: _dimensions,
        chart_intervals: _intervals,
        chart_within: _within,
        chart_pairs: _pairs,
        chart_compare_scatter: _compare_scatter,
        chart_rank_change: _rank_change,
    }
)
CHARTS.update({chart.__name__: chart for chart in _DRAWINGS})


# ---------------------------------------------------------------------------
# The app's Spatial page: a global spatial statistic by year
# ---------------------------------------------------------------------------


def _spatial_global(
    table: pl.DataFrame,
    year: str,
    statistic: str,
    *,
    expected: str = "expected",
    p: str = "p_norm",
    alpha: float = 0.05,
    title: str = "Moran's I by year",
    xlabel: str | None = None,
    ylabel: str = "",
    labels: Mapping[str, str] | None = None,
) -> figures.Drawing:
    """A global spatial statistic (Moran's I, Geary's C, Getis–Ord G) by year with its
    expectation under no autocorrelation (dashed); the years whose ``p`` is below
    ``alpha`` are filled dots, the others hollow (``labels``: ``statistic``,
    ``expected``, ``significant`` → legend text)."""
    names = {
        "statistic": statistic,
        "expected": "E",
        "significant": f"p < {alpha:g}",
    } | dict(labels or {})

    def draw(ax: Any, theme: figures.Theme) -> None:
        x = table[year].to_numpy()
        y = table[statistic].to_numpy()
        style = theme.line(0) | {"marker": "o", "ms": 5, "markerfacecolor": "white"}
        handles = ax.plot(x, y, **style)  # hollow dots: every year
        handles += ax.plot(
            x, table[expected].to_numpy(), color=theme.ink, lw=0.8, ls="--", marker=None
        )
        shown = [names["statistic"], names["expected"]]
        pvalues = table[p].to_numpy(allow_copy=True)
        significant = np.array([v is not None and v < alpha for v in pvalues.tolist()])
        if significant.any():
            handles.append(
                # filled dots: the significant years
                ax.scatter(x[significant], y[significant], s=25, color=style["color"], zorder=3)
            )
            shown.append(names["significant"])
        ax.set_xlabel(clean_text(year if xlabel is None else xlabel))
        if ylabel:
            ax.set_ylabel(clean_text(ylabel))
        ax.set_title(clean_text(title))
        ax._nqpf_year_axis = True
        figures.legend_outside(ax, handles, shown, fontsize=8)

    return _one_axes(draw)


def chart_spatial_global(table: pl.DataFrame, year: str, statistic: str, **options: Any) -> Chart:
    """A global spatial statistic by year (the table of :func:`nqpf.moran`,
    :func:`nqpf.geary` or :func:`nqpf.getis_ord_g`) with E under no autocorrelation and
    the significant years filled, as SVG. Options: ``expected``, ``p``, ``alpha``,
    ``title``, ``xlabel``, ``ylabel``, ``labels``, ``theme``, …"""
    return _svg(chart_spatial_global, (table, year, statistic), options)


_DRAWINGS[chart_spatial_global] = _spatial_global
CHARTS[chart_spatial_global.__name__] = chart_spatial_global
