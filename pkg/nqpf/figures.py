"""Figures for papers: one theme machinery, one way to save, and the kernel-density figures.

Every figure of nqpf (the report's charts in :mod:`nqpf.report.charts`, and the figures
below) is drawn through this module, so the fonts, colours, layout and file formats are
declared once.

Themes (:data:`THEMES`, chosen by name)
    ``"default"``: sans-serif text, colour. ``"serif"``: Times-like Latin text with Noto
    Serif CJK for Chinese (the look of a journal page), colour. ``"grey"``: grey-scale and
    print-safe — series differ by marker, line style and hatch, not by hue alone, so a
    black-and-white print keeps them apart.

Fonts (the fallback, per glyph)
    A theme's font list (:data:`SANS_FONTS`, :data:`SERIF_FONTS`) goes into
    ``font.sans-serif``/``font.serif``; matplotlib (>= 3.6) takes each glyph from the first
    font in the list that has it. Sans-serif: Noto Sans CJK SC, Noto Sans CJK JP, Source
    Han Sans SC, WenQuanYi Zen Hei, Microsoft YaHei, SimHei, PingFang SC, then DejaVu Sans
    (bundled with matplotlib). Serif: Times New Roman, Times, TeX Gyre Termes, Nimbus
    Roman, Liberation Serif for Latin (when installed), then Noto Serif CJK SC/JP, Source
    Han Serif SC, SimSun, Songti SC for Chinese (and Latin when no Times-like font is
    installed), then DejaVu Serif. On Debian/Ubuntu ``apt install fonts-noto-cjk`` installs
    Noto Sans/Serif CJK (``/usr/share/fonts/opentype/noto/``); Windows has Microsoft
    YaHei/SimHei/SimSun, macOS PingFang SC/Songti SC. A matplotlib font cache built before
    the font was installed does not list it: :func:`cjk_font_file` then registers the files
    of :data:`CJK_FONT_FILES` that exist (in this process only; nothing is written). With
    no CJK font at all, PNG and PDF show empty boxes for Chinese and matplotlib warns
    "Glyph ... missing from font(s)"; SVG text stays text and reads with the viewer's fonts.

Formats (:func:`save`, :func:`to_bytes`, by extension)
    SVG keeps text as ``<text>`` (``svg.fonttype = "none"``: searchable, editable, and the
    browser draws Chinese); PNG at :data:`DPI` (300) dots per inch; PDF with the fonts
    embedded as Type 42/CID subsets (``pdf.fonttype = 42``: text stays text, as journals
    ask). No date is written into SVG or PDF (the same figure gives the same file).

Labels and layout
    User strings (titles, axis labels, group names) are drawn literally:
    ``text.parse_math = False`` (``$x$`` stays ``$x$``), never through TeX. Constrained
    layout keeps titles, labels and legends inside a 2-D figure; a 3-D figure (which
    constrained layout cannot fit) is saved with a tight bounding box, cut to what it
    draws. Legends sit right of the data area (:func:`legend_outside`), never over it.

The figure code arranges arrays; the statistics come from the module that computes them
(the densities from :func:`nqpf.kernel_density`).
"""

from __future__ import annotations

import contextlib
import io
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from nqpf.errors import InputError
from nqpf.formats import clean_text

#: Resolution of PNG figures (and of the rasterised surfaces inside SVG/PDF), dots per inch.
DPI = 300

#: Resolution of the rasterised surfaces inside an SVG (shown on screen, inline in the
#: HTML report: twice the screen's 72 units per inch, and a quarter of the bytes of 300).
SVG_RASTER_DPI = 150

#: The formats :func:`save` and :func:`to_bytes` write.
FORMATS = ("svg", "png", "pdf")

#: Sans-serif stack: CJK fonts first (their Latin glyphs are used too), DejaVu Sans last.
SANS_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "DejaVu Sans",
)

#: Latin serif fonts of the serif theme, used for Latin text when one is installed.
SERIF_LATIN_FONTS = (
    "Times New Roman",
    "Times",
    "TeX Gyre Termes",
    "Nimbus Roman",
    "Liberation Serif",
)

#: Serif stack: a Times-like Latin font, then CJK serif (Song) fonts, DejaVu Serif last.
SERIF_FONTS = (
    *SERIF_LATIN_FONTS,
    "Noto Serif CJK SC",
    "Noto Serif CJK JP",
    "Source Han Serif SC",
    "SimSun",
    "Songti SC",
    "DejaVu Serif",
)

#: Where Debian/Ubuntu (fonts-noto-cjk), Fedora and WenQuanYi packages put a CJK font.
CJK_FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)


@dataclass(frozen=True)
class Theme:
    """A publication style: font family and stack, and how series are told apart.

    Series ``i`` gets colour ``colours[i % len(colours)]``, marker ``markers[i % ...]``,
    hatch ``hatches[i % ...]``; the line style changes once every
    ``max(len(colours), len(markers))`` series, so up to 30 group lines stay distinct.
    """

    name: str
    #: "sans-serif" or "serif" (the matplotlib generic family)
    family: str
    fonts: tuple[str, ...]
    colours: tuple[str, ...]
    markers: tuple[str, ...]
    hatches: tuple[str, ...]
    linestyles: tuple[str, ...]
    #: colour map of surfaces and of the ridgeline fills
    cmap: str
    #: colour of the "all regions" line and of outlines
    ink: str = "black"

    def line(self, i: int, points: int | None = None) -> dict[str, Any]:
        """Keyword arguments of ``Axes.plot`` for series ``i`` (markers thinned to about
        ten along a curve of ``points`` points)."""
        k = max(len(self.colours), len(self.markers))
        out: dict[str, Any] = {
            "color": self.colours[i % len(self.colours)],
            "linestyle": self.linestyles[(i // k) % len(self.linestyles)],
        }
        marker = self.markers[i % len(self.markers)]
        if marker:
            out.update(marker=marker, ms=3.5, markerfacecolor="white")
            if points and points > 20:
                out["markevery"] = max(1, points // 10)
        return out

    def bar(self, i: int) -> dict[str, Any]:
        """Keyword arguments of ``Axes.bar`` for series ``i``."""
        hatch = self.hatches[i % len(self.hatches)]
        out: dict[str, Any] = {"color": self.colours[i % len(self.colours)]}
        if hatch:
            out.update(hatch=hatch, edgecolor=self.ink, linewidth=0.6)
        return out


#: The categorical palette: Okabe & Ito's colour-blind-safe colours (Wong 2011, "Points
#: of view: Color blindness", Nature Methods 8:441), ordered so that neighbours differ
#: in hue and lightness (no light/dark pairs next to each other), yellow late (weak on
#: white), black last (it is also the ink of outlines and of the "all regions" line).
_COLOURS = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
)

#: The themes by name (see the module docstring).
THEMES: dict[str, Theme] = {
    "default": Theme(
        "default", "sans-serif", SANS_FONTS, _COLOURS, ("",), ("",), ("-", "--", ":"), "YlGnBu"
    ),
    "serif": Theme(
        "serif", "serif", SERIF_FONTS, _COLOURS, ("",), ("",), ("-", "--", ":"), "YlGnBu"
    ),
    "grey": Theme(
        "grey",
        "sans-serif",
        SANS_FONTS,
        ("#000000", "#505050", "#808080", "#a8a8a8"),
        ("o", "s", "^", "D", "v", "x", "+", "*"),
        ("", "///", "...", "xxx", "\\\\\\", "++", "ooo"),
        ("-", "--", "-.", ":"),
        "Greys",
    ),
}


def theme_of(theme: str | Theme = "default") -> Theme:
    """The :class:`Theme` named ``theme`` (or ``theme`` itself); an unknown name is an
    InputError."""
    if isinstance(theme, Theme):
        return theme
    try:
        return THEMES[theme]
    except (KeyError, TypeError):
        raise InputError(
            f"no figure theme named {theme!r}", hint=f"use one of {', '.join(THEMES)}"
        ) from None


_CJK_FILE: dict[str, str | None] = {}  # family → the answer of cjk_font_file, once found


def cjk_font_file(theme: str | Theme = "default") -> str | None:
    """The file matplotlib draws Chinese from in ``theme`` (the first CJK font of its
    stack it knows), or None when there is none; registers :data:`CJK_FONT_FILES` missing
    from a stale font cache first."""
    chosen = theme_of(theme)
    if chosen.family in _CJK_FILE:
        return _CJK_FILE[chosen.family]
    from matplotlib import font_manager

    names = [f for f in chosen.fonts[:-1] if f not in SERIF_LATIN_FONTS]

    def first() -> str | None:
        for name in names:
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
    _CJK_FILE[chosen.family] = found
    return found


def rc(theme: str | Theme = "default") -> dict[str, Any]:
    """The matplotlib settings of ``theme`` (see the module docstring)."""
    from cycler import cycler

    chosen = theme_of(theme)
    generic = "sans-serif" if chosen.family == "sans-serif" else "serif"
    return {
        "font.family": [generic],
        f"font.{generic}": list(chosen.fonts),
        # U+2212 is in DejaVu Sans but not in every CJK font: an ASCII hyphen is in all
        "axes.unicode_minus": False,
        "text.parse_math": False,
        "text.usetex": False,
        "axes.formatter.use_mathtext": False,
        "axes.prop_cycle": cycler(color=list(chosen.colours)),
        "image.cmap": chosen.cmap,
        "hatch.linewidth": 0.6,
        "svg.hashsalt": "nqpf",
        "svg.fonttype": "none",
        "pdf.fonttype": 42,
        "ps.fonttype": 42,
        "figure.constrained_layout.use": True,
        "savefig.dpi": DPI,
        "savefig.pad_inches": 0.05,
    }


@contextlib.contextmanager
def style(theme: str | Theme = "default") -> Iterator[None]:
    """``theme``'s :func:`rc` for the ``with`` block only (a ``matplotlib.rc_context``:
    the caller's global ``rcParams`` are never changed)."""
    import matplotlib

    cjk_font_file(theme)
    with matplotlib.rc_context(rc(theme)):
        yield


#: A drawing: fills a new figure in a theme (creates its axes, draws, labels).
Drawing = Callable[[Any, Theme], None]


_FIGURE_CLASS: list[type] = []  # the Figure subclass, made when the first figure is drawn


def _figure_class() -> type:
    if _FIGURE_CLASS:
        return _FIGURE_CLASS[0]
    from matplotlib.figure import Figure

    class ThemedFigure(Figure):
        """A Figure that draws in its theme's style wherever it is drawn (the fonts are
        looked up when drawing: drawn outside the style, Chinese would be boxes)."""

        _nqpf_theme: Theme

        def draw(self, renderer: Any) -> None:
            with style(self._nqpf_theme):
                super().draw(renderer)

    ThemedFigure.__module__ = __name__
    ThemedFigure.__qualname__ = "_ThemedFigure"
    _FIGURE_CLASS.append(ThemedFigure)
    return ThemedFigure


def __getattr__(name: str) -> Any:
    # the class of the figures, found by pickle; matplotlib is imported when the first
    # figure is drawn, not with nqpf.figures
    if name == "_ThemedFigure":
        return _figure_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def draw(
    drawing: Drawing,
    *,
    theme: str | Theme = "default",
    width: float | None = None,
    height: float | None = None,
) -> Any:
    """A new :class:`matplotlib.figure.Figure` (Agg canvas, no pyplot state) filled by
    ``drawing(fig, theme)`` inside :func:`style`. ``width``/``height`` (inches) override
    the size the drawing chose (7.5 × 3.6 unless it sets one)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    chosen = theme_of(theme)
    with style(chosen):
        fig = _figure_class()(figsize=(7.5, 3.6))
        FigureCanvasAgg(fig)
        fig._nqpf_theme = chosen
        drawing(fig, chosen)
        if width is not None or height is not None:
            w, h = fig.get_size_inches()
            fig.set_size_inches(width or w, height or h)
        tidy(fig)
    return fig


_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"


def has_cjk(text: str) -> bool:
    """Whether ``text`` has a Chinese, Japanese or Korean character (or a full-width form)."""
    import re

    return re.search(f"[{_CJK}]", text) is not None


def _text_width_pt(text: str, size: float) -> float:
    """A text's approximate width in points: a CJK or full-width character is one em,
    any other about 0.6 em (a bound, not a measurement: no renderer is needed)."""
    return sum(size if has_cjk(c) else 0.6 * size for c in text)


def _wrapped(text: str, width_pt: float, size: float) -> str:
    """``text`` broken into lines no wider than ``width_pt`` (at spaces, or between CJK
    characters)."""
    lines: list[str] = []
    line = ""
    for token in _tokens(text):
        if line and _text_width_pt(line + token, size) > width_pt:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    lines.append(line.rstrip())
    return "\n".join(part for part in lines if part)


def _tokens(text: str) -> list[str]:
    """Latin words (with their leading space) and single CJK characters."""
    import re

    return re.findall(f"[{_CJK}]|\\s*[^\\s{_CJK}]+|\\s+", text)


#: The widest line of a level Chinese y-axis title, in ems (characters).
Y_LABEL_EMS = 4.5


def tidy(fig: Any) -> None:
    """The theme's text rules, applied to every 2-D axes of a drawn figure:

    * a y-axis title with Chinese text is drawn level, in lines of at most
      :data:`Y_LABEL_EMS` characters (a rotated Chinese line reads sideways; issue 15),
      a vertical colour bar's title too;
    * a title wider than the figure is broken into lines, so it is not cut off at
      the figure's edges (constrained layout does not shrink a title).
    """
    width_pt = fig.get_size_inches()[0] * 72 * 0.92
    for ax in fig.axes:
        if getattr(ax, "name", "") == "3d":
            continue
        label = ax.yaxis.label
        text = label.get_text()
        if text and has_cjk(text) and label.get_rotation() != 0:
            # level, left of the tick labels (right of them on a right-hand axis), in
            # short lines; constrained layout makes room for it
            right = ax.yaxis.get_label_position() == "right"
            size = label.get_fontsize()
            label.set_text(_wrapped(text, Y_LABEL_EMS * size, size))
            label.set_rotation(0)
            label.set_rotation_mode("anchor")
            label.set_horizontalalignment("left" if right else "right")
            label.set_verticalalignment("center")
        for title in (ax.title, ax._left_title, ax._right_title):
            text = title.get_text()
            size = title.get_fontsize()
            if text and "\n" not in text and _text_width_pt(text, size) > width_pt:
                title.set_text(_wrapped(text, width_pt, size))


def _format(fmt: str, where: str) -> str:
    out = str(fmt).lower().lstrip(".")
    if out not in FORMATS:
        raise InputError(
            f"cannot save a figure as {fmt!r}", file=where, hint=f"use {', '.join(FORMATS)}"
        )
    return out


def _constrained(fig: Any) -> bool:
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    return isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine)


def to_bytes(fig: Any, fmt: str = "png") -> bytes:
    """``fig`` as ``fmt`` ("svg", "png" at :data:`DPI`, "pdf" with fonts embedded), in
    the style it was drawn in."""
    fmt = _format(fmt, "figure")
    metadata = {"svg": {"Date": None}, "pdf": {"CreationDate": None}}.get(fmt)
    buffer = io.BytesIO()
    with style(getattr(fig, "_nqpf_theme", "default")):
        fig.savefig(
            buffer,
            format=fmt,
            dpi=SVG_RASTER_DPI if fmt == "svg" else DPI,
            metadata=metadata,
            # constrained layout already fits a 2-D figure into its size; a figure without
            # it (3-D axes) is cut to what it draws (a second drawing pass, so only then)
            bbox_inches=None if _constrained(fig) else "tight",
        )
    return buffer.getvalue()


def save(fig: Any, path: str | Path) -> Path:
    """Write ``fig`` to ``path`` in the format of its extension (.svg, .png, .pdf; see
    :func:`to_bytes`) and return the path."""
    out = Path(path)
    data = to_bytes(fig, _format(out.suffix or "(none)", str(out)))
    try:
        out.write_bytes(data)
    except OSError as error:
        raise InputError(
            f"cannot write the figure ({error.strerror or error})", file=str(out)
        ) from None
    return out


def legend_outside(ax: Any, handles: list[Any], labels: Sequence[Any], **options: Any) -> None:
    """A legend right of ``ax``, top-aligned, outside the data area; labels drawn as given
    (matplotlib would drop a label starting with "_", e.g. a group "_west")."""
    if handles:
        ax.legend(
            handles,
            [clean_text(label) for label in labels],
            loc="upper left",
            bbox_to_anchor=(1.02, 1.0),
            borderaxespad=0.0,
            **options,
        )


# ------------------------------------------------------------ kernel-density figures


def _curves(density: pl.DataFrame, year: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(years, grid, densities[year, point]) of one set of :func:`nqpf.kernel_density`
    curves on one grid; curves on different grids cannot form a surface."""
    years = sorted(density.get_column(year).unique().to_list())
    parts = [density.filter(pl.col(year) == y).sort("x") for y in years]
    grid = parts[0].get_column("x").to_numpy()
    if any(not np.array_equal(p.get_column("x").to_numpy(), grid) for p in parts):
        raise InputError(
            "the kernel densities are not on one grid, so they cannot be stacked by year",
            column="x",
            hint="compute them with nqpf.kernel_density(..., grid='common')",
        )
    return np.asarray(years), grid, np.vstack([p.get_column("density").to_numpy() for p in parts])


def _panels(
    density: pl.DataFrame,
    year: str,
    by_group: pl.DataFrame | None,
    group: str | None,
    order: Sequence[Any] | None,
    overall: str,
) -> list[tuple[str, tuple[np.ndarray, np.ndarray, np.ndarray]]]:
    """(title, curves) of the overall panel and of each group, in ``order`` (groups not
    in it follow in the order they appear)."""
    panels = [(overall, _curves(density, year))]
    if by_group is None or group is None:
        return panels
    present = by_group.get_column(group).unique(maintain_order=True).to_list()
    chosen = [g for g in (order or []) if g in present]
    chosen += [g for g in present if g not in chosen]
    for name in chosen:
        part = by_group.filter(pl.col(group).eq_missing(name))
        panels.append(("(missing)" if name is None else str(name), _curves(part, year)))
    return panels


def _grid_shape(n: int, columns: int) -> tuple[int, int]:
    ncols = min(n, columns)
    return math.ceil(n / ncols), ncols


def kde_surface_drawing(
    density: pl.DataFrame,
    year: str,
    *,
    by_group: pl.DataFrame | None = None,
    group: str | None = None,
    order: Sequence[Any] | None = None,
    overall: str = "all regions",
    title: str | None = "Kernel density of the score by year",
    xlabel: str = "score",
    ylabel: str | None = None,
    zlabel: str = "density",
    columns: int = 3,
    elev: float = 28.0,
    azim: float = -58.0,
    share_scale: bool = False,
) -> Drawing:
    """The 3-D kernel density surface (score × year × density), overall and — with
    ``by_group`` (the same :func:`nqpf.kernel_density` call with ``group``) — one small
    panel per group in ``order``, each on its own density scale (``share_scale=True``:
    one scale, the highest peak of all); see :func:`kde_surface`."""
    panels = _panels(density, year, by_group, group, order, overall)

    def drawing(fig: Any, theme: Theme) -> None:
        from matplotlib.ticker import MaxNLocator

        nrows, ncols = _grid_shape(len(panels), columns)
        single = len(panels) == 1
        fig.set_size_inches(7.0 if single else 3.4 * ncols, 5.2 if single else 3.3 * nrows + 0.4)
        fig.set_layout_engine("none")  # constrained layout does not fit 3-D axes; saved tight
        highest = max(float(curves[2].max()) for _, curves in panels)
        for k, (name, (years, grid, z)) in enumerate(panels):
            top = highest if share_scale else float(z.max())
            top = top if top > 0 else 1.0
            ax = fig.add_subplot(nrows, ncols, k + 1, projection="3d")
            xx, yy = np.meshgrid(grid, years)
            ax.plot_surface(
                xx,
                yy,
                z,
                cmap=theme.cmap,
                vmin=-0.15 * top,  # the flat floor light, not white on the white panes
                vmax=top,
                rstride=1,
                cstride=max(1, len(grid) // 128),  # every grid point up to 128
                linewidth=0.15,
                edgecolor=theme.ink,
                alpha=0.95,
                rasterized=True,  # the mesh as an image; axes and text stay vector
            )
            ax.set_zlim(0, top)
            ax.view_init(elev=elev, azim=azim)
            ax.yaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
            size = 8 if single else 7
            ax.tick_params(labelsize=size - 1, pad=0)
            ax.set_xlabel(clean_text(xlabel), fontsize=size, labelpad=2)
            ax.set_ylabel(clean_text(ylabel or year), fontsize=size, labelpad=4)
            ax.set_zlabel(clean_text(zlabel), fontsize=size, labelpad=2)
            if not single or title is None:
                ax.set_title(clean_text(name), fontsize=size + 1, pad=0)
            elif title:  # one panel: its title right over it, not at the figure's top
                ax.set_title(clean_text(title), fontsize=10, pad=0)
            ax.set_box_aspect(None, zoom=0.88)  # the axis labels inside the panel
        if title and not single:
            fig.suptitle(clean_text(title), fontsize=10)

    return drawing


def ridgeline_drawing(
    density: pl.DataFrame,
    year: str,
    *,
    by_group: pl.DataFrame | None = None,
    group: str | None = None,
    order: Sequence[Any] | None = None,
    overall: str = "all regions",
    title: str | None = "Kernel density of the score by year",
    xlabel: str = "score",
    ylabel: str | None = None,
    overlap: float = 1.8,
    share_scale: bool = False,
) -> Drawing:
    """A ridgeline of the kernel densities: one curve per year, stacked (first year on
    top), every curve of a panel on one height scale (``overlap`` rows tall at the
    panel's highest peak; ``share_scale=True``: the highest of all panels); overall and,
    with ``by_group``, one panel per group; see :func:`ridgeline`."""
    panels = _panels(density, year, by_group, group, order, overall)

    def drawing(fig: Any, theme: Theme) -> None:
        import matplotlib

        n_years = max(len(curves[0]) for _, curves in panels)
        fig.set_size_inches(min(3.4 * len(panels), 12.0), max(3.0, 0.28 * n_years + 1.4))
        axes = fig.subplots(1, len(panels), sharey=True, squeeze=False)[0]
        highest = max(float(curves[2].max()) for _, curves in panels)
        cmap = matplotlib.colormaps[theme.cmap]
        for ax, (name, (years, grid, z)) in zip(axes, panels, strict=True):
            top = highest if share_scale else float(z.max())
            scale = overlap / top if top > 0 else 1.0
            for i, curve in enumerate(z):
                base = float(len(years) - 1 - i)  # first year on top
                fill = (
                    "white"
                    if theme.name == "grey"
                    else cmap(0.15 + 0.7 * i / max(1, len(years) - 1))
                )
                # later rows are in front: each fill hides the curves behind it
                ax.fill_between(
                    grid, base, base + curve * scale, color=fill, alpha=0.9, zorder=2 * i
                )
                ax.plot(grid, base + curve * scale, color=theme.ink, lw=0.7, zorder=2 * i + 1)
            ax.set_yticks(np.arange(len(years))[::-1], [str(y) for y in years])
            ax.set_xlabel(clean_text(xlabel))
            ax.set_ylim(-0.2, len(years) - 1 + overlap + 0.2)
            ax.spines[["top", "right", "left"]].set_visible(False)
            ax.tick_params(axis="y", length=0)
            if len(panels) > 1:
                ax.set_title(clean_text(name), fontsize=9)
        axes[0].set_ylabel(clean_text(ylabel or year))
        if title:
            fig.suptitle(clean_text(title), fontsize=10)

    return drawing


def kde_surface(
    density: pl.DataFrame,
    year: str,
    *,
    theme: str | Theme = "default",
    width: float | None = None,
    height: float | None = None,
    **options: Any,
) -> Any:
    """The 3-D kernel density figure, the signature figure of the regional-disparity
    literature: x = score, y = year, z = density, one surface overall and (with
    ``by_group=``, ``group=``) one per group as small multiples on one density scale.

    ``density`` (and ``by_group``) are :func:`nqpf.kernel_density` frames on one grid
    (``grid="common"``, its default): columns ``<year>``, ``[<group>]``, ``x``,
    ``density``. Options: ``order`` (groups in this order), ``overall`` (its panel title),
    ``title``, ``xlabel``, ``ylabel``, ``zlabel``, ``columns`` (panels per row),
    ``elev``/``azim`` (view angle, degrees), ``share_scale`` (one density axis for all
    panels; by default each panel has its own, as a group of few regions peaks high). Returns a matplotlib Figure (:func:`save`).
    """
    return draw(
        kde_surface_drawing(density, year, **options), theme=theme, width=width, height=height
    )


def ridgeline(
    density: pl.DataFrame,
    year: str,
    *,
    theme: str | Theme = "default",
    width: float | None = None,
    height: float | None = None,
    **options: Any,
) -> Any:
    """The ridgeline alternative to :func:`kde_surface`: one density curve per year,
    stacked; the same inputs and options (``overlap`` instead of ``zlabel``/view angle).
    Returns a matplotlib Figure (:func:`save`)."""
    return draw(
        ridgeline_drawing(density, year, **options), theme=theme, width=width, height=height
    )


def conditional_density_drawing(
    kernel: Any,
    *,
    title: str | None = "Conditional kernel density",
    xlabel: str = "score in year t",
    ylabel: str = "score in year t + 1",
    zlabel: str = "density",
    elev: float = 30.0,
    azim: float = -60.0,
) -> Drawing:
    """The stochastic kernel f(y | x) of :func:`nqpf.conditional_density`: its 3-D surface
    (left) and its contour map with the 45° line (right; mass on the line is persistence,
    mass parallel to the x-axis convergence); see :func:`conditional_density`."""
    x, y, f = kernel.matrix()

    def drawing(fig: Any, theme: Theme) -> None:
        fig.set_size_inches(10.0, 4.4)
        fig.set_layout_engine("none")  # a 3-D axes beside a 2-D one; saved tight
        top = float(f.max()) if f.max() > 0 else 1.0
        ax3 = fig.add_subplot(1, 2, 1, projection="3d")
        xx, yy = np.meshgrid(x, y, indexing="ij")
        ax3.plot_surface(
            xx,
            yy,
            f,
            cmap=theme.cmap,
            vmin=-0.15 * top,
            vmax=top,
            rstride=1,
            cstride=1,
            linewidth=0.15,
            edgecolor=theme.ink,
            alpha=0.95,
            rasterized=True,
        )
        ax3.view_init(elev=elev, azim=azim)
        ax3.set_zlim(0, top)
        ax3.tick_params(labelsize=7, pad=0)
        ax3.set_xlabel(clean_text(xlabel), fontsize=8, labelpad=2)
        ax3.set_ylabel(clean_text(ylabel), fontsize=8, labelpad=2)
        ax3.set_zlabel(clean_text(zlabel), fontsize=8, labelpad=2)
        ax3.set_box_aspect(None, zoom=0.85)
        ax = fig.add_subplot(1, 2, 2)
        filled = ax.contourf(x, y, f.T, levels=12, cmap=theme.cmap)
        ax.contour(x, y, f.T, levels=12, colors=theme.ink, linewidths=0.3)
        low, high = max(x[0], y[0]), min(x[-1], y[-1])
        ax.plot([low, high], [low, high], color=theme.ink, lw=1.0, ls="--")
        ax.set_xlabel(clean_text(xlabel))
        ax.set_ylabel(clean_text(ylabel))
        ax.set_aspect("equal", adjustable="box")
        bar = fig.colorbar(filled, ax=ax, fraction=0.046, pad=0.04)
        bar.ax.tick_params(labelsize=7)
        bar.set_label(clean_text(zlabel), fontsize=8)
        if title:
            fig.suptitle(clean_text(title), fontsize=10)

    return drawing


def conditional_density(
    kernel: Any,
    *,
    theme: str | Theme = "default",
    width: float | None = None,
    height: float | None = None,
    **options: Any,
) -> Any:
    """The figure of a :class:`nqpf.ConditionalDensity` (surface and contour with the 45°
    line). Options: ``title``, ``xlabel``, ``ylabel``, ``zlabel``, ``elev``/``azim``.
    Returns a matplotlib Figure (:func:`save`)."""
    return draw(
        conditional_density_drawing(kernel, **options), theme=theme, width=width, height=height
    )


__all__ = [
    "CJK_FONT_FILES",
    "DPI",
    "FORMATS",
    "SANS_FONTS",
    "SERIF_FONTS",
    "SERIF_LATIN_FONTS",
    "SVG_RASTER_DPI",
    "THEMES",
    "Drawing",
    "Theme",
    "cjk_font_file",
    "conditional_density",
    "conditional_density_drawing",
    "draw",
    "kde_surface",
    "kde_surface_drawing",
    "legend_outside",
    "rc",
    "ridgeline",
    "ridgeline_drawing",
    "save",
    "style",
    "theme_of",
    "to_bytes",
]
