"""Index page: method options, then weights, scores and charts of the composite index."""

from __future__ import annotations

import polars as pl
import streamlit as st

from nqpf.app import charts, index_extras, state, widgets
from nqpf.app.i18n import t
from nqpf.app.verbatim import verbatim
from nqpf.options import IndexOptions
from nqpf.report.tables import indicator_labels

st.header(t("idx.title"))
st.caption(t("idx.intro"))

if state.current_source() is None or state.current_config() is None:
    st.info(t("common.need_data"), icon=":material/info:")
    st.stop()


with st.container(border=True):
    st.markdown(f"**{t('idx.options')}**")
    # every app-visible option of nqpf.options.IndexOptions, from its declaration
    # (five a row: the entropy step's options, then the scoring's)
    # (the method and its options greyed out while the weights are given)
    values = widgets.option_widgets(
        IndexOptions,
        state.INDEX_PREFIX,
        columns=5,
        given=index_extras.given_options(state.INDEX_PREFIX),
    )
    # and those a generic widget cannot give: the given weights, the AHP matrix file,
    # the given points
    special, usable = index_extras.special_inputs(state.INDEX_PREFIX, values)
    valid = usable and widgets.make_options(IndexOptions, values | special) is not None
    pressed = st.button(t("idx.run"), key="btn.index", type="primary", icon=":material/play_arrow:")

if pressed and valid:
    key = state.make_index_key()
    st.session_state["run.index"] = key
    for stale in ("run.dagum", "boot.result", "run.compare", "run.rob"):
        st.session_state.pop(stale, None)

if "run.index" not in st.session_state:
    st.info(t("idx.press"), icon=":material/play_arrow:")
    st.stop()

if st.session_state["run.index"] != state.make_index_key():
    st.warning(t("idx.stale"), icon=":material/update:")

with st.spinner(t("common.computing")):
    run = state.index_run()
if run is None:
    st.stop()
key, result = run
region, year = result.region, result.year
if state.index_options_of(key).missing == "drop":
    # what "drop" removed, counted and listed: never a silent cut of the panel
    dropped = state.dropped_rows(key)
    if dropped.height:
        missing = IndexOptions.info("missing")
        lang = state.current_language()
        n_years = result.scores.get_column(year).n_unique()
        st.warning(
            t(
                "idx.dropped",
                option=missing.title(lang),
                choice=missing.choice_title("drop", lang),
                n=dropped.height,
                total=dropped.height + result.scores.height,
                regions=result.scores.get_column(region).n_unique(),
                years=n_years,
            )
            + (" " + t("idx.dropped.few") if n_years <= 2 else ""),
            icon=":material/filter_alt_off:",
        )
        with st.expander(t("idx.dropped.list")):
            state.table(dropped, "df.idx.dropped")
rank = state.output_column(result, "rank")
scores = result.scores
years = sorted(scores.get_column(year).unique().to_list())
latest = years[-1]
best = scores.filter((pl.col(year) == latest) & (pl.col(rank) == 1)).get_column(region)

cols = st.columns(4)
cols[0].metric(t("data.metric.regions"), scores.get_column(region).n_unique())
cols[1].metric(t("data.metric.years"), len(years))
cols[2].metric(t("data.metric.indicators"), len(result.spec))
cols[3].metric(t("idx.metric.best", year=latest), verbatim(best[0]) if best.len() else "—")

# Lazy tabs: the Charts tab runs only while it is open (its three charts take seconds to
# draw the first time on a 31-province panel; issue 15, deliverable 7).
tab_w, tab_s, tab_c = st.tabs(
    [t("idx.tab.weights"), t("idx.tab.scores"), t("idx.tab.charts")],
    key="idx.tabs",
    on_change="rerun",
)

with tab_w:
    state.table(result.weights, "df.weights")
    left, right = st.columns([3, 2])
    # the bars are named by the spec's labels (the table above keeps the raw names)
    labels = indicator_labels(result)
    named = result.weights.with_columns(
        pl.col("indicator").replace_strict(labels, default=pl.col("indicator"))
    )
    state.chart(charts.weights_chart(named, year), "ch.weights", where=left)
    with right:
        state.table(result.dimension_weights, "df.dimension_weights")
        state.chart(
            charts.dimension_weights_chart(result.dimension_weights, year),
            "ch.dimension_weights",
        )

with tab_s:
    choices = ["all", *years]
    view = state.choose(
        t("idx.view_year"),
        choices,
        "w.idx.view_year",
        "all",
        format_func=lambda v: t("common.all_years") if v == "all" else str(v),
    )
    shown = scores if view == "all" else scores.filter(pl.col(year) == view)
    state.table(shown, "df.scores")

if tab_c.open:
    with tab_c:
        top = scores.filter(pl.col(year) == latest).sort(rank).get_column(region).head(5).to_list()
        all_regions = sorted(scores.get_column(region).unique().to_list())
        state.default("w.idx.regions", top)
        if any(r not in all_regions for r in st.session_state["w.idx.regions"]):
            st.session_state["w.idx.regions"] = top
        chosen = st.multiselect(
            t("idx.regions"), all_regions, key="w.idx.regions", placeholder=t("common.choose")
        )
        score = state.output_column(result, "score")
        state.chart(
            charts.trend_chart(scores, region, year, chosen, score=score, rank=rank), "ch.trend"
        )
        state.chart(
            charts.dimension_chart(scores, year, state.dimension_columns(result)), "ch.dimensions"
        )
        state.chart(charts.rank_heatmap(scores, region, year, score=score, rank=rank), "ch.rank")
