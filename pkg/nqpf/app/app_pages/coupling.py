"""Coupling coordination page: the coupling coordination degree of two or more subsystems.

:func:`nqpf.coupling_coordination` of the index run (options
:class:`nqpf.options.CouplingOptions`): the subsystems are the index's dimensions, score
columns, or groups of the spec's indicators (:mod:`nqpf.app.runs.coupling`). Computed on
change (cached on the content); every number is the library's.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from nqpf.app import charts, state, widgets
from nqpf.app.i18n import current_language, t
from nqpf.app.runs import coupling as runs
from nqpf.app.verbatim import verbatim
from nqpf.coupling import COUPLING_LEVELS, coupling_level, level_label
from nqpf.options import CouplingOptions

PREFIX = "w.cou."

st.header(t("cou.title"))
st.caption(t("cou.intro"))

index_key, result = state.require_index()
region, year = result.region, result.year
language = current_language()
dims = state.dimension_columns(result)  # dimension → its column in the scores
indicators = [r[0] for r in index_key.spec if r[0] is not None]
group = index_key.config.group if index_key.config.group in result.scores.columns else None

# ------------------------------------------------------------------ systems
st.subheader(t("cou.systems"))
modes = [m for m in runs.MODES if m != "dimensions" or len(dims) >= 2]
mode = state.choose(
    t("cou.mode"),
    modes,
    PREFIX + "mode",
    modes[0],
    format_func=lambda m: t(f"cou.mode.{m}"),
    help=t("cou.mode.help"),
    radio=True,
)


def pick(label: str, offered: list[str], key: str, start: list[str]) -> list[str]:
    """A multiselect of ``offered`` starting at ``start``, kept to what is offered."""
    state.default(key, start)
    if any(v not in offered for v in st.session_state[key]):
        st.session_state[key] = [v for v in st.session_state[key] if v in offered]
    return list(st.multiselect(label, offered, key=key, placeholder=t("common.choose")))


systems: tuple[object, ...]
if mode == "dimensions":
    systems = tuple(pick(t("cou.dims"), list(dims), PREFIX + "dims", list(dims)))
    shown_systems = list(systems)
elif mode == "columns":
    score = state.output_column(result, "score")
    offered = [score, *dims.values(), *runs.panel_columns(index_key)]
    start = list(dims.values()) if len(dims) >= 2 else offered[:2]
    systems = tuple(pick(t("cou.columns"), offered, PREFIX + "columns", start))
    shown_systems = list(systems)
else:
    # the spec's dimensions as the starting groups
    by_dim: dict[str, list[str]] = {}
    for record in index_key.spec:
        by_dim.setdefault(record[1] or "", []).append(record[0])
    starts = list(by_dim.items()) if len(by_dim) >= 2 else [("S1", indicators), ("S2", [])]
    state.default(PREFIX + "n", len(starts))
    n = int(st.number_input(t("cou.n"), min_value=2, max_value=8, step=1, key=PREFIX + "n"))
    pairs = []
    for i in range(n):
        name0, members0 = starts[i] if i < len(starts) else (f"S{i + 1}", [])
        left, right = st.columns([1, 3])
        state.default(f"{PREFIX}sys.{i}.name", name0)
        name = left.text_input(t("cou.sys.name", i=i + 1), key=f"{PREFIX}sys.{i}.name").strip()
        with right:
            members = pick(
                t("cou.sys.indicators"), indicators, f"{PREFIX}sys.{i}.indicators", members0
            )
        pairs.append((name or f"S{i + 1}", tuple(members)))
    systems = tuple(pairs)
    shown_systems = [name for name, _ in pairs]
    if group:
        st.caption(t("cou.no_group"))

# ------------------------------------------------------------------ options
with st.container(border=True):
    st.markdown(f"**{t('cou.options')}**")
    values = widgets.option_widgets(CouplingOptions, PREFIX, columns=5)
    st.caption(t("cou.order", systems=verbatim(", ".join(map(str, shown_systems)))))
if widgets.make_options(CouplingOptions, values) is None:
    st.stop()

key = runs.CouplingKey(
    index_key,
    mode,
    systems,
    None if mode == "indicators" else group,
    tuple(sorted(values.items())),
)
with st.spinner(t("common.computing")):
    ok, res = state.attempt(runs.compute, key)
if not ok:
    st.stop()

# ------------------------------------------------------------------ results
column = res.column
grades = {en: (zh if language == "zh" else en) for _, en, zh in COUPLING_LEVELS}


def graded(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with its grade column in the app's language (the library's table of the
    ten grades, :data:`nqpf.coupling.COUPLING_LEVELS`) and "synchronous" for no lag."""
    out = frame
    if column("grade") in out.columns:
        out = out.with_columns(pl.col(column("grade")).replace_strict(grades))
    if column("lagging") in out.columns:
        out = out.with_columns(pl.col(column("lagging")).fill_null(t("cou.synchronous")))
    return out


tables = res.tables()
for name, table in tables.items():
    state.publish(f"cou_{name}", table)
if "by_group" not in tables:
    state.publish("cou_by_group", None)

last = res.by_year.get_column(year).max()
latest = res.by_year.filter(pl.col(year) == last).row(0, named=True)
cols = st.columns(4)
cols[0].metric(t("cou.metric.c", year=last), f"{latest['mean_C']:.4f}")
cols[1].metric(t("cou.metric.t", year=last), f"{latest['mean_T']:.4f}")
cols[2].metric(t("cou.metric.d", year=last), f"{latest['mean_D']:.4f}")
cols[3].metric(
    t("cou.metric.grade"), level_label(int(coupling_level([latest["mean_D"]])[0]), language)
)

state.chart(charts.coupling_chart(res.coupling, year, res.group, column("D")), "ch.cou.coupling")

tab_y, tab_r, tab_l, tab_g = st.tabs(
    [t("cou.tab.years"), t("cou.tab.regions"), t("cou.tab.levels"), t("cou.tab.grading")]
)
with tab_y:
    state.table(res.by_year, "df.cou.by_year")
    if res.by_group is not None:
        st.markdown(f"**{t('cou.by_group')}**")
        state.table(res.by_group, "df.cou.by_group")
with tab_r:
    years = sorted(res.coupling.get_column(year).unique().to_list())
    view = state.choose(
        t("cou.year"),
        ["all", *years],
        PREFIX + "view_year",
        last,
        format_func=lambda v: t("common.all_years") if v == "all" else str(v),
    )
    shown = res.coupling if view == "all" else res.coupling.filter(pl.col(year) == view)
    state.table(graded(shown.sort(column("D"), descending=True)), "df.cou.coupling")
with tab_l:
    state.table(graded(res.levels), "df.cou.levels")
with tab_g:
    grading = tables["grading"]
    state.table(
        grading.select(
            "level",
            "lower",
            "upper",
            pl.col("grade_zh" if language == "zh" else "grade").alias("grade"),
        ),
        "df.cou.grading",
    )

with st.expander(t("cou.about"), expanded=False):
    st.latex(
        r"C_{\text{classic}} = n\left[\frac{\prod_{i=1}^{n} U_i}{\left(\sum_{i=1}^{n} U_i\right)^{n}}\right]^{1/n}"
    )
    st.latex(
        r"C_{\text{corrected}} = \sqrt{\left[1 - \frac{\sum_{i>j}\lvert U_i - U_j\rvert}"
        r"{\sum_{m=1}^{n-1} m}\right]\left[\prod_{i=1}^{n}\frac{U_i}{\max_j U_j}\right]^{1/(n-1)}}"
    )
    st.latex(r"T = \sum_{i=1}^{n} \alpha_i U_i,\quad \sum_i \alpha_i = 1,\qquad D = \sqrt{C\,T}")
    st.markdown(t("cou.about.text"))
    st.caption(t("cou.about.ref"))
