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
        ``height=`` override the chart's own)."""
        key = (fmt, tuple(sorted(options.items())))
        cache = self.__dict__.setdefault("_rendered", {})
        if key not in cache:  # a report written twice draws its figures once
            cache[key] = render(self.chart, *self.args, fmt=fmt, **{**self.kwargs, **options})
        return cache[key]


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
