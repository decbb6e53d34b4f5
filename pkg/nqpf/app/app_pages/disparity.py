"""Echelons and disparity page: tier the regions, then the Dagum Gini decomposition by year."""

from __future__ import annotations

import polars as pl
import streamlit as st

from nqpf.app import charts, state, widgets
from nqpf.app.i18n import t
from nqpf.options import DagumOptions, EchelonOptions

st.header(t("dis.title"))
st.caption(t("dis.intro"))
# the decomposition and bootstrap the widgets ask for (None until the page gets there):
# the published Dagum tables are current only while the stored runs are these
st.session_state["dag.wanted"] = None
st.session_state["boot.wanted"] = None

index_key, result = state.require_index()
region, year = result.region, result.year
scores = result.scores
n_regions = scores.get_column(region).n_unique()
config = index_key.config
# Text columns that split the regions into groups (e.g. a macro-region column).
group_columns = state.group_columns(result)

# ----------------------------------------------------------------- echelons
st.subheader(t("dis.echelons"))
echelons = state.optional("groups", "echelons")
ech_key: state.EchelonKey | None = None
if echelons is None:
    st.info(t("common.not_available", module="nqpf.groups"), icon=":material/hourglass_empty:")
else:
    # the rule, k and the SD multiplier are nqpf.options.EchelonOptions' (a panel column
    # is offered as the tiers only when the panel has a few-group text column)
    rule_info = EchelonOptions.info("rule")
    offered = [r for r in rule_info.choices if r != "column" or group_columns]
    left, middle, right = st.columns(3)
    rule = widgets.option_widget(rule_info, "w.ech.rule", left, choices=offered)
    k = thresholds = column = None
    sd_multiplier = EchelonOptions.info("sd_multiplier").default
    if rule == "thresholds":
        state.default("w.ech.thresholds", "")
        text = middle.text_input(
            t("dis.thresholds"),
            key="w.ech.thresholds",
            help=t("dis.thresholds.help"),
            placeholder="0.45, 0.33",
        )
        try:
            thresholds = tuple(float(v) for v in text.replace("，", ",").split(",") if v.strip())
        except ValueError:
            thresholds = None
    elif rule == "column":
        column = state.choose(
            t("dis.column"),
            group_columns,
            "w.ech.column",
            config.group if config.group in group_columns else group_columns[0],
            where=middle,
        )
    else:
        k = widgets.option_widget(
            EchelonOptions.info("k"), "w.ech.k", middle, placeholder=t("dis.k.default")
        )
        if rule == "sd":
            sd_multiplier = widgets.option_widget(
                EchelonOptions.info("sd_multiplier"), "w.ech.sd_multiplier", middle
            )
    labels = state.choose(
        t("dis.labels"),
        ["numbers", "zh"],
        "w.ech.labels",
        "numbers",
        where=right,
        format_func=lambda v: t(f"dis.labels.{v}"),
    )
    chosen = {"rule": rule, "k": k, "sd_multiplier": sd_multiplier}
    if rule == "thresholds" and not thresholds:
        st.error(f"{t('err.prefix')} {t('dis.thresholds.bad')}", icon=":material/error:")
    elif widgets.make_options(EchelonOptions, chosen) is not None:
        ech_key = state.EchelonKey(
            rule, k, thresholds, column, "zh" if labels == "zh" else None, sd_multiplier
        )
        ok, tiers = state.attempt(state.compute_echelons, index_key, ech_key)
        if not ok:
            ech_key = None
        else:
            left, right = st.columns([2, 3])
            with left:
                st.metric(t("dis.gvf"), f"{tiers.gvf:.4f}", help=t("dis.gvf.help"))
                state.table(tiers.tables()["tiers"], "df.tiers")
                if tiers.breaks:
                    st.caption(t("dis.breaks", breaks=", ".join(f"{b:.4f}" for b in tiers.breaks)))
            with right:
                state.table(tiers.tables()["assignments"], "df.echelons")
            state.publish("echelons", tiers.tables()["assignments"])
            state.publish("echelon_tiers", tiers.tables()["tiers"])
            if state.optional("groups", "echelon_sensitivity") is not None and n_regions > 3:
                # computed while open only: its rules import mapclassify (numba compiles at
                # import: 3-5 s of CPU on the first visit; issue 15, deliverable 7)
                sensitivity = st.expander(
                    t("dis.sensitivity"),
                    expanded=False,
                    key="ex.dis.sensitivity",
                    on_change="rerun",
                )
                with sensitivity:
                    st.caption(t("dis.sensitivity.help"))
                    if sensitivity.open:
                        ok, tables = state.attempt(
                            state.compute_sensitivity, index_key, k, thresholds, sd_multiplier
                        )
                        if ok:
                            table, pairs = tables
                            moved = int(table.get_column("differs").sum())
                            st.caption(t("dis.sensitivity.moved", moved=moved, n=table.height))
                            state.table(table, "df.sensitivity")
                            if pairs.height:
                                # in Chinese, the two rules compared by their widget labels
                                rule_names = {
                                    c: (lambda v: rule_info.choice_title(v, "zh"))
                                    for c in ("rule_a", "rule_b")
                                }
                                state.table(pairs, "df.agreement", cells=rule_names)
                            state.publish("echelon_sensitivity", table)
                            state.publish("echelon_agreement", pairs if pairs.height else None)

# -------------------------------------------------------------------- Dagum
st.subheader(t("dis.dagum"))
dagum_gini = state.optional("dagum", "dagum_gini")
if dagum_gini is None:
    st.info(t("common.not_available", module="nqpf.dagum"), icon=":material/hourglass_empty:")
    st.stop()

# state.ECHELONS is the echelons: a panel column may itself be called "echelon".
groupings: list[object] = ([state.ECHELONS] if echelons is not None else []) + group_columns
if not groupings:
    st.info(t("dis.no_groups"), icon=":material/info:")
    st.stop()
numeric_extra = state.numeric_columns(
    scores.select([c for c in state.carried_columns(result) if c not in group_columns]), exclude=[]
)
left, right = st.columns(2)
chosen_group = state.choose(
    t("dis.grouping"),
    groupings,
    "w.dag.group",
    groupings[0],
    where=left,
    format_func=lambda v: t("dis.grouping.echelon") if v == state.ECHELONS else v,
    help=t("dis.grouping.help"),
)
grouping = None if chosen_group == state.ECHELONS else chosen_group
weights = state.choose(
    t("dis.weights"),
    [state.NONE, *numeric_extra],
    "w.dag.weights",
    state.NONE,
    where=right,
    help=t("dis.weights.help"),
)
if grouping is None and ech_key is None:
    st.info(t("dis.fix_echelons"), icon=":material/info:")
    st.stop()
dagum_key = state.DagumKey(
    index_key,
    grouping,
    ech_key if grouping is None else None,
    None if weights == state.NONE else weights,
)
st.session_state["dag.wanted"] = dagum_key
if st.button(t("dis.run"), key="btn.dagum", type="primary", icon=":material/play_arrow:"):
    st.session_state["run.dagum"] = dagum_key
    st.session_state.pop("boot.result", None)

if "run.dagum" not in st.session_state:
    st.info(t("dis.press"), icon=":material/play_arrow:")
    st.stop()
if st.session_state["run.dagum"] != dagum_key:
    st.warning(t("dis.stale"), icon=":material/update:")

with st.spinner(t("common.computing")):
    ok, dec = state.attempt(state.compute_dagum, st.session_state["run.dagum"])
if not ok:
    st.stop()
by = year
dagum = dec.tables()  # the result's protocol
summary, within, between = dagum["summary"], dagum["within"], dagum["between"]
shown_run: state.DagumKey = st.session_state["run.dagum"]
# what the shown decomposition came from: its index run and its grouping (state.publish)
dagum_inputs = {"run.index": shown_run.index, "run.dagum": shown_run, "dag.wanted": shown_run}
state.publish("dagum_summary", summary, inputs=dagum_inputs)
state.publish("dagum_within", within, inputs=dagum_inputs)
state.publish("dagum_between", between, inputs=dagum_inputs)

# the numbers first: the table is on screen while the chart below is drawn
state.table(summary, "df.dagum_summary")
state.chart(charts.dagum_chart(summary, by), "ch.dagum")

period = dec.period_mean()
st.markdown(f"**{t('dis.period')}**")
state.table(period, "df.dagum_period")
state.publish("dagum_period_mean", period, inputs=dagum_inputs)

state.chart(charts.within_chart(within, by), "ch.within")

years = sorted(between.get_column(by).unique().to_list())
choice = state.choose(
    t("dis.pair_year"),
    ["mean", *years],
    "w.dag.pair_year",
    "mean",
    format_func=lambda v: t("dis.pair_year.mean") if v == "mean" else str(v),
)
pairs = dec.period_pairs() if choice == "mean" else between.filter(pl.col(by) == choice)
left, right = st.columns(2)
state.chart(charts.pair_heatmap(pairs, "Gjh", t("chart.gjh")), "ch.gjh", where=left)
state.chart(charts.pair_heatmap(pairs, "Djh", t("chart.djh")), "ch.djh", where=right)
with st.expander(t("dis.tables"), expanded=False):
    state.table(within, "df.dagum_within")
    state.table(between, "df.dagum_between")

# ---------------------------------------------------------------- bootstrap
with st.expander(t("dis.boot"), expanded=False):
    st.caption(t("dis.boot.help"))
    cols = st.columns(3)
    # B and the level are nqpf.options.DagumOptions'; B starts at 999 (0 means no intervals)
    B = widgets.option_widget(DagumOptions.info("bootstrap"), "w.boot.B", cols[0], start=999)
    level = widgets.option_widget(DagumOptions.info("level"), "w.boot.level", cols[1])
    state.default("w.boot.seed", 1)
    seed = int(cols[2].number_input(t("dis.boot.seed"), min_value=0, step=1, key="w.boot.seed"))
    valid = widgets.make_options(DagumOptions, {"bootstrap": B, "level": level}) is not None
    boot_key = (st.session_state["run.dagum"], B, level, seed)
    st.session_state["boot.wanted"] = boot_key
    pressed = st.button(
        t("dis.boot.run"), key="btn.boot", icon=":material/play_arrow:", disabled=not B
    )
    if pressed and valid:
        bar = st.progress(0.0, text=t("dis.boot.progress", done=0, total=B))

        def progress(done: int, total: int | None = None) -> None:
            total = total or B
            bar.progress(
                min(done / total, 1.0), text=t("dis.boot.progress", done=done, total=total)
            )

        ok, boot = state.attempt(
            state.run_dagum,
            st.session_state["run.dagum"],
            bootstrap=B,
            level=level,
            seed=seed,
            progress=progress,
        )
        bar.empty()
        if ok:
            st.session_state["boot.result"] = (boot_key, boot.intervals)
    stored = st.session_state.get("boot.result")
    if stored is not None:
        if stored[0] != boot_key:
            st.warning(t("dis.stale"), icon=":material/update:")
        state.chart(charts.interval_chart(stored[1], by), "ch.intervals")
        state.table(stored[1], "df.intervals")
        state.publish(
            "dagum_intervals", stored[1], inputs=dagum_inputs | {"boot.wanted": stored[0]}
        )
