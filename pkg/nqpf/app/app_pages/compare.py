"""Compare page: two index configurations side by side, and Python against R."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl
import streamlit as st

from nqpf.app import charts, crossval_view, index_extras, state, widgets
from nqpf.app.i18n import current_language, t
from nqpf.app.verbatim import verbatim
from nqpf.compare import ALL_YEARS, join_scores, rank_agreement
from nqpf.options import IndexOptions, Option

st.header(t("cmp.title"))
st.caption(t("cmp.intro"))

#: preset → (option, value under A, value under B); every other option as on the Index page
PRESETS: dict[str, tuple[str, str, str] | None] = {
    "pooled_vs_year": ("scope", "panel", "year"),
    "topsis_vs_linear": ("method", "topsis", "linear"),
    "entropy_vs_critic": ("weights", "entropy", "critic"),
    "entropy_vs_equal": ("weights", "entropy", "equal"),
    "entropy_vs_cv": ("weights", "entropy", "cv"),
    "matrix_vs_distance": ("topsis", "matrix", "distance"),
    "minmax_vs_vector": ("normalization", "minmax", "vector"),
    "custom": None,
}
#: The options named in a configuration's caption (besides those where A and B differ).
HEADLINE = ("weights", "scope", "method")


def prefix(code: str) -> str:
    return f"w.cmp.{code}."


def apply_preset() -> None:
    """Set both columns to the Index page's options, differing in the preset's option."""
    preset = PRESETS[st.session_state["w.cmp.preset"]]
    if preset is None:
        return
    field, a, b = preset
    for code, value in (("a", a), ("b", b)):
        values = {**state.stored_values(IndexOptions, state.INDEX_PREFIX), field: value}
        if field in widgets.inactive_options(IndexOptions, values):
            # the compared option must act: the declared default method does (TOPSIS)
            values["method"] = IndexOptions.info("method").default
        for name, chosen in values.items():
            # a multiselect's value is a list
            st.session_state[prefix(code) + name] = (
                list(chosen) if isinstance(chosen, tuple) else chosen
            )
        index_extras.copy_inputs(state.INDEX_PREFIX, prefix(code))
        if field == "weights":  # the compared methods act: no given weights
            st.session_state[state.given_weights_key(prefix(code))] = False


if state.current_source() is None or state.current_config() is None:
    st.info(t("common.need_data"), icon=":material/info:")
    st.stop()

state.stale_index_notice()
st.subheader(t("cmp.methods"))
if "w.cmp.preset" not in st.session_state:
    st.session_state["w.cmp.preset"] = "pooled_vs_year"
    apply_preset()
state.choose(
    t("cmp.preset"),
    list(PRESETS),
    "w.cmp.preset",
    "pooled_vs_year",
    format_func=lambda v: t(f"cmp.preset.{v}"),
    on_change=apply_preset,
)


def side(label: str, code: str) -> tuple[dict[str, object], bool]:
    """One configuration: every app-visible index option (nqpf.options.IndexOptions),
    and whether they are valid together (if not, the reason is shown in the column)."""
    with st.container(border=True):
        st.markdown(f"**{label}**")
        chosen = widgets.option_widgets(
            IndexOptions,
            prefix(code),
            columns=2,
            given=index_extras.given_options(prefix(code)),
        )
        # the inputs of the Index page's that have no generic widget (the same code)
        special, usable = index_extras.special_inputs(prefix(code), chosen)
        chosen |= special
        valid = usable and widgets.make_options(IndexOptions, chosen) is not None
    return chosen, valid


left, right = st.columns(2)
with left:
    chosen_a, valid_a = side(t("cmp.a"), "a")
with right:
    chosen_b, valid_b = side(t("cmp.b"), "b")


def describe(chosen: dict[str, object], other: dict[str, object]) -> str:
    """A configuration in words: its headline options and those that differ from the other."""
    inactive = widgets.inactive_options(IndexOptions, chosen)
    parts = []
    for info in widgets.shown_options(IndexOptions):
        name = info.name
        if name in inactive or (name not in HEADLINE and chosen[name] == other[name]):
            continue
        shown = shown_value(info, chosen[name])
        parts.append(shown if name in HEADLINE else f"{info.title(current_language())}: {shown}")
    # the uploaded matrix and the given points, named when A and B differ in them
    for name in state.SPECIAL_INDEX_OPTIONS:
        if name not in inactive and chosen.get(name) != other.get(name):
            parts.append(IndexOptions.info(name).title(current_language()))
    return " · ".join(parts)


def shown_value(info: Option, value: object) -> str:
    """An option's value in words: a choice's label, the labels of a list, a number."""
    if value is None:
        return "—"
    if info.name == "weights" and not isinstance(value, str):  # the user's weights, as typed
        pairs = value.items() if isinstance(value, Mapping) else enumerate(value, 1)
        typed = ", ".join(f"{verbatim(str(n))} {w:g}" for n, w in pairs)
        return f"{t('idx.weights.given')} ({typed})"
    if isinstance(value, tuple | list):
        return ", ".join(widgets.choice_label(info, v) for v in value)
    if info.kind == "choice":
        return widgets.choice_label(info, value)
    return f"{value:g}" if isinstance(value, int | float) else str(value)


def key_for(chosen: dict[str, object]) -> state.IndexKey | None:
    return state.make_index_key(dict(chosen))


# the runs the widgets ask for: the published comparison is current only while it is these
st.session_state["cmp.wanted"] = (key_for(chosen_a), key_for(chosen_b))
pressed = st.button(t("cmp.run"), key="btn.compare", type="primary", icon=":material/play_arrow:")
if pressed and valid_a and valid_b:
    st.session_state["run.compare"] = (
        key_for(chosen_a),
        key_for(chosen_b),
        describe(chosen_a, chosen_b),
        describe(chosen_b, chosen_a),
    )

stored = st.session_state.get("run.compare")
if stored is None:
    st.info(t("cmp.press"), icon=":material/play_arrow:")
else:
    key_a, key_b, label_a, label_b = stored
    if (key_a, key_b) != st.session_state["cmp.wanted"]:
        st.warning(t("cmp.stale"), icon=":material/update:")
    with st.spinner(t("common.computing")):
        ok_a, res_a = state.attempt(state.compute_index, key_a)
        ok_b, res_b = state.attempt(state.compute_index, key_b) if ok_a else (False, None)
    if ok_a and ok_b:
        region, year = res_a.region, res_a.year
        joined = join_scores(
            res_a,
            res_b,
            value=state.output_column(res_a, "score"),
            rank=state.output_column(res_a, "rank"),
        )
        agreement = rank_agreement(res_a, res_b)
        compared = {"run.compare": stored, "cmp.wanted": (key_a, key_b)}
        state.publish("compare_scores", joined, inputs=compared)
        state.publish("compare_agreement", agreement, inputs=compared)
        pooled = agreement.filter(pl.col(year) == ALL_YEARS).row(0, named=True)
        cols = st.columns(3)
        cols[0].metric(t("cmp.tau"), f"{pooled['kendall_tau']:.4f}", help=t("cmp.tau.help"))
        cols[1].metric(t("cmp.rho"), f"{pooled['spearman_rho']:.4f}", help=t("cmp.rho.help"))
        moved = int((joined.get_column("rank_change") != 0).sum())
        cols[2].metric(t("cmp.moved"), f"{moved} / {joined.height}")
        st.caption(f"A = {label_a}  |  B = {label_b}")
        left, right = st.columns([3, 2])
        state.chart(
            charts.compare_scatter(
                joined,
                f"A: {t('col.score')}",
                f"B: {t('col.score')}",
                region=region,
                year=year,
            ),
            "ch.compare",
            where=left,
        )
        with right:
            st.markdown(f"**{t('cmp.agreement')}**")
            state.table(agreement, "df.agreement_ab")
        years = sorted(joined.get_column(year).unique().to_list())
        view = state.choose(t("cmp.year"), years, "w.cmp.year", years[-1])
        in_year = joined.filter(pl.col(year) == view)
        state.chart(charts.rank_change_chart(in_year, region), "ch.rank_change")
        state.table(in_year.sort(pl.col("rank_change").abs(), descending=True), "df.compare")

st.divider()
crossval_view.render()
