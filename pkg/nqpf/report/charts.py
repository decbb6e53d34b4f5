"""The report's charts: matplotlib figures as inline SVG text, every label drawn literally."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import numpy as np
import polars as pl

from nqpf._frames import grouped
from nqpf.formats import clean_text

#: Drawing settings: user strings (group names, titles) are drawn as the text they are,
#: never parsed as mathtext (``$x^$`` would raise) nor sent to TeX (a user matplotlibrc
#: may set ``text.usetex``); reproducible SVG ids; text as paths (no SVG text to escape).
CHART_RC = {
    "text.parse_math": False,
    "text.usetex": False,
    "svg.hashsalt": "nqpf",
    "svg.fonttype": "path",
    "axes.formatter.use_mathtext": False,
}


def _svg(draw: Callable[[Any], None], *, width: float = 7.5, height: float = 3.6) -> str:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - matplotlib is a dependency
        return ""
    import warnings

    from matplotlib.ticker import MaxNLocator

    with plt.rc_context(CHART_RC), warnings.catch_warnings():
        # a glyph missing from the font (e.g. Chinese in DejaVu) is drawn as a box
        warnings.filterwarnings("ignore", message="Glyph .* missing from")
        warnings.filterwarnings("ignore", message="Tight layout not applied")
        fig, ax = plt.subplots(figsize=(width, height))
        try:
            draw(ax)
            if ax.get_xlabel() not in ("score", ""):  # a year axis: whole years only
                ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            fig.tight_layout()
            buffer = io.StringIO()
            fig.savefig(buffer, format="svg", metadata={"Date": None})
        finally:
            plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg") :]


#: Most groups drawn as their own line in the trend chart (beyond: the overall mean only).
MAX_TREND_GROUPS = 30


def _legend(ax: Any, handles: list[Any], labels: list[str], **options: Any) -> None:
    # explicit labels: matplotlib would drop a label starting with "_" (a group "_west")
    if handles:
        ax.legend(handles, [clean_text(label) for label in labels], **options)


def chart_trend(scores: pl.DataFrame, year: str, group: str | None, score: str = "score") -> str:
    def draw(ax: Any) -> None:
        overall = grouped(scores.group_by(year), {score: (score, "mean")}).sort(year)
        handles = ax.plot(overall[year], overall[score], color="black", lw=2.2)
        labels = ["all"]
        # one line per group while a legend can still be read
        if group and scores.get_column(group).n_unique() <= MAX_TREND_GROUPS:
            for (name,), part in scores.group_by(group, maintain_order=True):
                line = grouped(part.group_by(year), {score: (score, "mean")}).sort(year)
                handles += ax.plot(line[year], line[score], lw=1.2)
                labels.append("(missing)" if name is None else str(name))
        ax.set_xlabel(clean_text(year))
        ax.set_ylabel("mean score")
        ax.set_title("Index score by year")
        _legend(ax, handles, labels, fontsize=7, ncol=3)

    return _svg(draw)


def chart_dagum(summary: pl.DataFrame, by: str, title: str) -> str:
    def draw(ax: Any) -> None:
        years = summary[by].to_numpy()
        bottom = np.zeros(len(years))
        handles, labels = [], []
        for column, colour in (("Gw", "#4c72b0"), ("Gnb", "#dd8452"), ("Gt", "#55a868")):
            values = summary[column].to_numpy()
            handles.append(ax.bar(years, values, bottom=bottom, color=colour))
            labels.append(column)
            bottom += values
        handles += ax.plot(years, summary["G"].to_numpy(), color="black", marker="o", ms=3)
        labels.append("G")
        ax.set_xlabel(clean_text(by))
        ax.set_ylabel("Gini")
        ax.set_title(clean_text(title))
        _legend(ax, handles, labels, fontsize=7, ncol=4)

    return _svg(draw)


def chart_density(density: pl.DataFrame, year: str) -> str:
    def draw(ax: Any) -> None:
        years = sorted(density[year].unique().to_list())
        chosen = sorted({years[0], years[len(years) // 2], years[-1]})
        handles, labels = [], []
        for y in chosen:
            part = density.filter(pl.col(year) == y)
            handles += ax.plot(part["x"], part["density"])
            labels.append(str(y))
        ax.set_xlabel("score")
        ax.set_ylabel("density")
        ax.set_title("Kernel density of the score (Gaussian, Silverman bandwidth)")
        _legend(ax, handles, labels, fontsize=8)

    return _svg(draw)


def chart_sigma(sigma: pl.DataFrame, year: str) -> str:
    def draw(ax: Any) -> None:
        handles, labels = [], []
        for column in ("cv", "gini"):
            handles += ax.plot(sigma[year], sigma[column], marker="o", ms=3)
            labels.append(column)
        ax.set_xlabel(clean_text(year))
        ax.set_title("σ-convergence: dispersion of the score by year")
        _legend(ax, handles, labels, fontsize=8)

    return _svg(draw)
