"""Robustness page: the index under a grid of defensible method choices: rank ranges,
echelon changes and conclusions that hold in every variant.

:func:`nqpf.robustness` of the index run's panel and spec, its options as the base (the
reference variant is the index of the Index page), over the library's default grid, the
report's grid, or a grid chosen here from the declared choices
(:func:`nqpf.multiverse.grid_choices`). Run behind a button (48 variants take a few
seconds); every number is the library's.
"""

from __future__ import annotations

import math

import streamlit as st

from nqpf.app import charts, state, widgets
from nqpf.app.i18n import current_language, t
from nqpf.app.runs import robustness as runs
from nqpf.multiverse import DEFAULT_GRID, REPORT_GRID, grid_choices
from nqpf.options import EchelonOptions, IndexOptions, ReportOptions
from nqpf.report.sections import RANK_RANGE_ROWS

PREFIX = "w.rob."

st.header(t("rob.title"))
st.caption(t("rob.intro"))

index_key, result = state.require_index()
language = current_language()
region = result.region

# --------------------------------------------------------------------- grid
st.subheader(t("rob.grid"))
PRESETS = {"default": DEFAULT_GRID, "report": REPORT_GRID, "custom": None}


def variants_of(grid: dict[str, tuple[object, ...]]) -> int:
    return math.prod(len(v) for v in grid.values())


preset = state.choose(
    t("rob.grid.preset"),
    list(PRESETS),
    PREFIX + "grid",
    "default",
    format_func=lambda p: t(f"rob.grid.{p}", n=variants_of(PRESETS[p] or {})),
    help=t("rob.grid.help"),
    radio=True,
)
if preset == "custom":
    grid: dict[str, tuple[object, ...]] = {}
    cols = st.columns(3)
    for position, (name, choices) in enumerate(grid_choices().items()):
        info = IndexOptions.info(name)
        key = f"{PREFIX}grid.{name}"
        state.default(key, list(DEFAULT_GRID.get(name, ())))
        chosen = cols[position % 3].multiselect(
            info.title(language),
            list(choices),
            key=key,
            format_func=lambda v, info=info: widgets.choice_label(info, v, language),
            help=info.text(language),
            placeholder=t("common.choose"),
        )
        if chosen:
            grid[name] = tuple(chosen)
else:
    grid = dict(PRESETS[preset] or {})
st.caption(t("rob.grid.size", n=variants_of(grid)))

# ------------------------------------------------- echelons and Dagum shares
st.markdown(f"**{t('rob.echelons')}**")
left, middle, right = st.columns(3)
# the rules that tier from k alone (the report's choices), as the Disparity page's sensitivity
rule = widgets.option_widget(
    EchelonOptions.info("rule"),
    PREFIX + "ech.rule",
    left,
    choices=ReportOptions.info("echelon_rule").choices,
    start=ReportOptions.info("echelon_rule").default,
)
k = widgets.option_widget(
    EchelonOptions.info("k"), PREFIX + "ech.k", middle, start=ReportOptions.info("k").default
)
echelon_values: dict[str, object] = {"rule": rule, "k": k}
if rule == "sd":
    echelon_values["sd_multiplier"] = widgets.option_widget(
        EchelonOptions.info("sd_multiplier"), PREFIX + "ech.sd_multiplier", middle
    )
group = index_key.config.group
dagum_choices: list[tuple[str, ...]] = [("echelons",), *([("column", group)] if group else [])]
dagum_choices.append(("none",))
dagum = state.choose(
    t("rob.dagum"),
    dagum_choices,
    PREFIX + "dagum",
    dagum_choices[0],
    where=right,
    format_func=lambda c: c[1] if c[0] == "column" else t(f"rob.dagum.{c[0]}"),
)
valid = widgets.make_options(EchelonOptions, echelon_values) is not None

key = runs.RobustnessKey(
    index_key,
    tuple((name, tuple(values)) for name, values in grid.items()),
    tuple(echelon_values.items()),
    {"echelons": True, "none": False}.get(dagum[0], dagum[-1]),
)
pressed = st.button(t("rob.run"), key="btn.rob.run", type="primary", icon=":material/play_arrow:")
if pressed and valid:
    st.session_state["run.rob"] = key
if "run.rob" not in st.session_state:
    st.info(t("rob.press"), icon=":material/play_arrow:")
    st.stop()
if st.session_state["run.rob"] != key:
    st.warning(t("rob.stale"), icon=":material/update:")

with st.spinner(t("common.computing")):
    ok, res = state.attempt(runs.compute, st.session_state["run.rob"])
if not ok:
    st.stop()

# ------------------------------------------------------------------ results
for name, table in res.tables().items():
    state.publish(f"rob_{name}", table)

cols = st.columns(4)
cols[0].metric(t("rob.metric.variants"), res.n_variants)
cols[1].metric(t("rob.metric.dropped"), res.dropped.height)
cols[2].metric(t("rob.metric.changes"), f"{100 * res.echelon_change_share:.1f}%")
lowest = res.correlations["tau_ranks"].min() if res.correlations.height else None
cols[3].metric(t("rob.metric.tau"), "—" if lowest is None else f"{lowest:.4f}")

st.markdown(f"**{t('rob.conclusions')}**")
text = "text_zh" if language == "zh" else "text"
# the conclusion's key (first, …) is English: in Chinese its sentence says it
key = () if language == "zh" else ("conclusion",)
state.table(
    res.conclusions.select(*key, "holds_in", "variants", "robust", text),
    "df.rob.conclusions",
)

state.chart(charts.rank_range_chart(res.regions.head(RANK_RANGE_ROWS), region), "ch.rob.rank_range")
if res.regions.height > RANK_RANGE_ROWS:
    st.caption(t("rob.plot_rows", k=RANK_RANGE_ROWS, n=res.regions.height))

tabs = st.tabs(
    [
        t("rob.tab.regions"),
        t("rob.tab.pairs"),
        t("rob.tab.variants"),
        t("rob.tab.dagum"),
        t("rob.tab.dropped"),
    ]
)
with tabs[0]:
    state.table(res.regions, "df.rob.regions")
with tabs[1]:
    state.table(res.correlations, "df.rob.correlations")
with tabs[2]:
    state.table(res.variants, "df.rob.variants")
with tabs[3]:
    state.table(res.dagum, "df.rob.dagum", empty=t("rob.dagum.empty"))
with tabs[4]:
    if res.dropped.height:
        state.table(res.dropped, "df.rob.dropped")
    else:
        st.caption(t("rob.no_dropped"))

with st.expander(t("rob.about"), expanded=False):
    st.latex(
        r"\tau_b(a,b) = \frac{\sum_{i<j}\operatorname{sgn}(a_i-a_j)\,\operatorname{sgn}(b_i-b_j)}"
        r"{\sqrt{\sum_{i<j}\operatorname{sgn}(a_i-a_j)^2\,\sum_{i<j}\operatorname{sgn}(b_i-b_j)^2}}"
    )
    st.latex(r"\rho(a,b) = r\big(\operatorname{rank}(a),\,\operatorname{rank}(b)\big)")
    st.latex(r"\bar{x}_i = \frac{1}{T}\sum_{t=1}^{T} C_{it}")
    st.markdown(t("rob.about.text"))
    st.caption(t("rob.about.ref"))
