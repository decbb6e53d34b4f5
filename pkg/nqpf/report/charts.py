"""The report's charts: matplotlib figures as inline SVG text, every label drawn literally.

One style for every chart (:data:`CHART_RC`), applied inside :func:`chart_style` (a
``matplotlib.rc_context``: the caller's global ``rcParams`` are never changed):

- **Fonts.** ``font.family = ["sans-serif"]`` and ``font.sans-serif`` = :data:`CJK_FONTS`:
  Noto Sans CJK SC, Noto Sans CJK JP, Source Han Sans SC, WenQuanYi Zen Hei, Microsoft
  YaHei, SimHei, PingFang SC, then DejaVu Sans. matplotlib (>= 3.6) falls back *per glyph*
  through this list, so Chinese comes from the first CJK font installed and Latin, Greek
  (σ, β) and the minus sign from it or from DejaVu Sans (bundled with matplotlib). On
  Debian/Ubuntu ``apt install fonts-noto-cjk`` puts Noto Sans/Serif CJK in
  ``/usr/share/fonts/opentype/noto/`` (``NotoSansCJK-Regular.ttc``); Windows has Microsoft
  YaHei/SimHei, macOS PingFang SC. After installing a font, delete matplotlib's font cache
  (``~/.cache/matplotlib/fontlist-*.json``) so it is found. A cache built before the font
  was installed does not list it: :func:`cjk_font_file` then registers the files of
  :data:`CJK_FONT_FILES` that exist (in this process only, nothing is written).
- **Text stays text.** ``svg.fonttype = "none"``: the SVG holds ``<text>`` elements whose
  ``font-family`` lists the same fonts, so the browser showing the HTML report (which
  inlines the SVG) draws Chinese with the reader's own fonts. Without any CJK font on the
  machine that drew the chart, a PNG/PDF shows empty boxes (and matplotlib warns "Glyph ...
  missing from font(s)"), but the SVG text is still readable wherever the reader has one.
- **Literal labels.** User strings (group names, titles) are drawn as the text they are:
  ``text.parse_math = False`` (``$x$`` stays ``$x$``; ``$x^$`` would raise), never sent
  to TeX (a user matplotlibrc may set ``text.usetex``); reproducible SVG ids
  (``svg.hashsalt``) and no date in the metadata.
- **Layout.** ``constrained_layout`` keeps titles, labels and legends inside the figure;
  legends sit right of the data area, never over it; a stacked bar's legend lists the
  stack top first, as it is seen.

:func:`render` draws any chart of this module in another format (PNG at 300 dpi, PDF)
with the same style and layout.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import polars as pl

from nqpf._frames import grouped
from nqpf.formats import clean_text

#: The font stack, CJK first (see the module docstring for the fallback per glyph).
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "DejaVu Sans",
)

#: Where Debian/Ubuntu (fonts-noto-cjk), Fedora and WenQuanYi packages put a CJK font.
CJK_FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)

_CJK_FILE: list[str | None] = []  # the answer of cjk_font_file, once found


def cjk_font_file() -> str | None:
    """The file matplotlib draws Chinese from (the first of :data:`CJK_FONTS` it knows),
    or None when there is none; registers :data:`CJK_FONT_FILES` missing from a stale
    font cache first."""
    if _CJK_FILE:
        return _CJK_FILE[0]
    from pathlib import Path

    from matplotlib import font_manager

    def first() -> str | None:
        for name in CJK_FONTS[:-1]:
            try:
                found = font_manager.findfont(
                    font_manager.FontProperties(family=name), fallback_to_default=False
                )
            except ValueError:
                continue
            return str(found)
        return None

    found = first()
    if found is None:
        for path in CJK_FONT_FILES:
            if Path(path).is_file():
                font_manager.fontManager.addfont(path)
        found = first()
    _CJK_FILE.append(found)
    return found


#: Drawing settings of every chart (see the module docstring).
CHART_RC = {
    "font.family": ["sans-serif"],
    "font.sans-serif": list(CJK_FONTS),
    # U+2212 is in DejaVu Sans but not in every CJK font: an ASCII hyphen is in all
    "axes.unicode_minus": False,
    "text.parse_math": False,
    "text.usetex": False,
    "svg.hashsalt": "nqpf",
    "svg.fonttype": "none",
    "axes.formatter.use_mathtext": False,
    "figure.constrained_layout.use": True,
    "savefig.dpi": 300,
}

#: Legend placement: right of the axes, top-aligned, outside the data area.
LEGEND_OUTSIDE = {"loc": "upper left", "bbox_to_anchor": (1.02, 1.0), "borderaxespad": 0.0}


@contextlib.contextmanager
def chart_style() -> Iterator[None]:
    """The charts' :data:`CHART_RC` for the ``with`` block only (an ``rc_context``)."""
    import matplotlib

    cjk_font_file()
    with matplotlib.rc_context(CHART_RC):
        yield


def _draw(draw: Callable[[Any], None], fmt: str, width: float, height: float) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    with chart_style():
        fig, ax = plt.subplots(figsize=(width, height))
        try:
            draw(ax)
            if getattr(draw, "years_axis", True) and ax.get_xlabel():  # whole years only
                ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            buffer = io.BytesIO()
            fig.savefig(buffer, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
        finally:
            plt.close(fig)
    return buffer.getvalue()


class Chart(str):
    """A chart's SVG text (what the report inlines) that can draw itself again in another
    format: ``chart.render("png")`` is :func:`render` of the same chart and data (a
    Word report embeds the PNG)."""

    chart: Callable[..., str]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]

    def render(self, format: str = "png") -> bytes:
        """The chart as ``format`` bytes (:func:`render`: PNG at 300 dpi, PDF, SVG)."""
        return render(self.chart, *self.args, format=format, **self.kwargs)


def _chart(chart: Callable[..., str], *args: Any, **kwargs: Any) -> str:
    """``chart``'s SVG as a :class:`Chart` (or "" without matplotlib)."""
    svg = _svg(_DRAWINGS[chart](*args, **kwargs))
    if not svg:
        return svg
    out = Chart(svg)
    out.chart, out.args, out.kwargs = chart, args, kwargs
    return out


def _svg(draw: Callable[[Any], None], *, width: float = 7.5, height: float = 3.6) -> str:
    try:
        import matplotlib  # noqa: F401
    except ImportError:  # pragma: no cover - matplotlib is a dependency
        return ""
    text = _draw(draw, "svg", width, height).decode("utf-8")
    return text[text.index("<svg") :]


#: Most groups drawn as their own line in the trend chart (beyond: the overall mean only).
MAX_TREND_GROUPS = 30


def _legend(ax: Any, handles: list[Any], labels: list[str], **options: Any) -> None:
    # explicit labels: matplotlib would drop a label starting with "_" (a group "_west")
    if handles:
        ax.legend(handles, [clean_text(label) for label in labels], **LEGEND_OUTSIDE, **options)


def _trend(
    scores: pl.DataFrame,
    year: str,
    group: str | None,
    score: str = "score",
    *,
    order: Any = None,
    title: str = "Index score by year",
    ylabel: str = "mean score",
    overall: str = "all",
    missing: str = "(missing)",
) -> Any:
    def draw(ax: Any) -> None:
        means = grouped(scores.group_by(year), {score: (score, "mean")}).sort(year)
        handles = ax.plot(means[year], means[score], color="black", lw=2.2)
        labels = [overall]
        # one line per group while a legend can still be read, in the groups' order
        if group and scores.get_column(group).n_unique() <= MAX_TREND_GROUPS:
            parts = dict(scores.group_by(group, maintain_order=True))
            names = [(name,) for name in order] if order else list(parts)
            for key in names:
                part = parts[key]
                line = grouped(part.group_by(year), {score: (score, "mean")}).sort(year)
                handles += ax.plot(line[year], line[score], lw=1.2)
                labels.append(missing if key[0] is None else str(key[0]))
        ax.set_xlabel(clean_text(year))
        ax.set_ylabel(clean_text(ylabel))
        ax.set_title(clean_text(title))
        _legend(ax, handles, labels, fontsize=7, ncol=1 if len(labels) <= 16 else 2)

    return draw


def _dagum(
    summary: pl.DataFrame,
    by: str,
    title: str,
    *,
    ylabel: str = "Gini",
    names: Any = None,
) -> Any:
    shown = dict(names or {})

    def draw(ax: Any) -> None:
        years = summary[by].to_numpy()
        bottom = np.zeros(len(years))
        handles, labels = [], []
        for column, colour in (("Gw", "#4c72b0"), ("Gnb", "#dd8452"), ("Gt", "#55a868")):
            values = summary[column].to_numpy()
            handles.append(ax.bar(years, values, bottom=bottom, color=colour))
            labels.append(shown.get(column, column))
            bottom += values
        handles += ax.plot(years, summary["G"].to_numpy(), color="black", marker="o", ms=3)
        labels.append(shown.get("G", "G"))
        ax.set_ylim(bottom=0)
        ax.margins(y=0.08)  # headroom over the tallest stack and the G markers
        ax.set_xlabel(clean_text(by))
        ax.set_ylabel(clean_text(ylabel))
        ax.set_title(clean_text(title))
        # the legend reads top-down as the stack is seen: G, then the top segment first
        _legend(ax, handles[::-1], labels[::-1], fontsize=7)

    return draw


def _density(
    density: pl.DataFrame,
    year: str,
    *,
    title: str = "Kernel density of the score (Gaussian, Silverman bandwidth)",
    xlabel: str = "score",
    ylabel: str = "density",
) -> Any:
    def draw(ax: Any) -> None:
        years = sorted(density[year].unique().to_list())
        chosen = sorted({years[0], years[len(years) // 2], years[-1]})
        handles, labels = [], []
        for y in chosen:
            part = density.filter(pl.col(year) == y)
            handles += ax.plot(part["x"], part["density"])
            labels.append(str(y))
        ax.set_xlabel(clean_text(xlabel))
        ax.set_ylabel(clean_text(ylabel))
        ax.set_title(clean_text(title))
        _legend(ax, handles, labels, fontsize=8)

    draw.years_axis = False  # type: ignore[attr-defined]  # the x axis is the score
    return draw


def _sigma(
    sigma: pl.DataFrame,
    year: str,
    *,
    title: str = "σ-convergence: dispersion of the score by year",
    names: Any = None,
) -> Any:
    shown = dict(names or {})

    def draw(ax: Any) -> None:
        handles, labels = [], []
        for column in ("cv", "gini"):
            handles += ax.plot(sigma[year], sigma[column], marker="o", ms=3)
            labels.append(shown.get(column, column))
        ax.set_xlabel(clean_text(year))
        ax.set_title(clean_text(title))
        _legend(ax, handles, labels, fontsize=8)

    return draw


def chart_trend(
    scores: pl.DataFrame, year: str, group: str | None, score: str = "score", **text: Any
) -> str:
    """Mean score by year, overall and per group (up to :data:`MAX_TREND_GROUPS`), as SVG.

    Keywords (the report passes them in its language): ``order`` (the groups, in the
    legend's order), ``title``, ``ylabel``, ``overall`` (the all-regions line) and
    ``missing`` (a group without a name)."""
    return _chart(chart_trend, scores, year, group, score, **text)


def chart_dagum(summary: pl.DataFrame, by: str, title: str, **text: Any) -> str:
    """Dagum Gw/Gnb/Gt stacked by ``by`` with the total G as a line, as SVG; keywords
    ``ylabel`` and ``names`` (term → its legend entry)."""
    return _chart(chart_dagum, summary, by, title, **text)


def chart_density(density: pl.DataFrame, year: str, **text: Any) -> str:
    """Kernel density of the score in the first, middle and last year, as SVG; keywords
    ``title``, ``xlabel``, ``ylabel``."""
    return _chart(chart_density, density, year, **text)


def chart_sigma(sigma: pl.DataFrame, year: str, **text: Any) -> str:
    """σ-convergence: CV and Gini of the score by year, as SVG; keywords ``title`` and
    ``names`` (measure → its legend entry)."""
    return _chart(chart_sigma, sigma, year, **text)


#: Each chart function → the drawing it renders (for :func:`render`).
_DRAWINGS: dict[Callable[..., str], Callable[..., Any]] = {
    chart_trend: _trend,
    chart_dagum: _dagum,
    chart_density: _density,
    chart_sigma: _sigma,
}

#: The chart functions of the report, by name.
CHARTS = {chart.__name__: chart for chart in _DRAWINGS}


def render(
    chart: Callable[..., str],
    *args: Any,
    format: str = "png",
    width: float = 7.5,
    height: float = 3.6,
    **kwargs: Any,
) -> bytes:
    """``chart(*args, **kwargs)`` (one of :data:`CHARTS`) drawn as ``format`` bytes
    ("png" at 300 dpi, "pdf", "svg") with the same style and layout as its SVG."""
    if chart not in _DRAWINGS:
        from nqpf.errors import InputError

        raise InputError(
            f"render: {getattr(chart, '__name__', chart)!r} is no chart of nqpf.report.charts;"
            f" use one of {', '.join(CHARTS)}"
        )
    return _draw(_DRAWINGS[chart](*args, **kwargs), format, width, height)
