"""Compare page: two index configurations side by side, and Python against R."""

from __future__ import annotations

import polars as pl
import streamlit as st

from nqpf.app import charts, crossval_view, state
from nqpf.app.i18n import t
from nqpf.compare import join_scores, rank_agreement

st.header(t("cmp.title"))
st.caption(t("cmp.intro"))

FIELDS = ("weights", "scope", "method", "topsis", "ideal", "normalization")
#: preset → (option, value under A, value under B)
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


def apply_preset() -> None:
    """Set both columns to the Index page's options, differing in the preset's option."""
    preset = PRESETS[st.session_state["w.cmp.preset"]]
    if preset is None:
        return
    base = state.index_options()
    field, a, b = preset
    for side, value in (("a", a), ("b", b)):
        for name in FIELDS:
            st.session_state[f"w.cmp.{side}.{name}"] = value if name == field else base[name]
        if field in ("topsis", "normalization", "ideal"):
            st.session_state[f"w.cmp.{side}.method"] = "topsis"


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


def side(label: str, code: str) -> dict[str, object]:
    with st.container(border=True):
        st.markdown(f"**{label}**")
        chosen: dict[str, object] = {}
        for name in FIELDS:
            disabled = (
                name in ("topsis", "ideal", "normalization") and chosen.get("method") == "linear"
            )
            chosen[name] = state.choose(
                t(f"opt.{name}"),
                state.INDEX_CHOICES[name],
                f"w.cmp.{code}.{name}",
                state.INDEX_DEFAULTS[name],
                format_func=lambda v, n=name: t(f"opt.{n}.{v}"),
                disabled=disabled,
            )
    return chosen


left, right = st.columns(2)
with left:
    chosen_a = side(t("cmp.a"), "a")
with right:
    chosen_b = side(t("cmp.b"), "b")


def describe(chosen: dict[str, object]) -> str:
    parts = [t(f"opt.{n}.{chosen[n]}") for n in ("weights", "scope", "method")]
    if chosen["method"] == "topsis":
        parts += [
            t(f"opt.topsis.{chosen['topsis']}"),
            t(f"opt.normalization.{chosen['normalization']}"),
        ]
    return " · ".join(parts)


def key_for(chosen: dict[str, object]) -> state.IndexKey | None:
    options = {**state.index_options(), **chosen}
    return state.make_index_key(options)


if st.button(t("cmp.run"), key="btn.compare", type="primary", icon=":material/play_arrow:"):
    st.session_state["run.compare"] = (
        key_for(chosen_a),
        key_for(chosen_b),
        describe(chosen_a),
        describe(chosen_b),
    )

stored = st.session_state.get("run.compare")
if stored is None:
    st.info(t("cmp.press"), icon=":material/play_arrow:")
else:
    key_a, key_b, label_a, label_b = stored
    if (key_a, key_b) != (key_for(chosen_a), key_for(chosen_b)):
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
        state.publish("compare_scores", joined)
        state.publish("compare_agreement", agreement)
        pooled = agreement.filter(pl.col(year) == "all").row(0, named=True)
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
            state.table(agreement, "df.agreement_ab", height=300)
        years = sorted(joined.get_column(year).unique().to_list())
        view = state.choose(t("cmp.year"), years, "w.cmp.year", years[-1])
        in_year = joined.filter(pl.col(year) == view)
        state.chart(charts.rank_change_chart(in_year, region), "ch.rank_change")
        state.table(
            in_year.sort(pl.col("rank_change").abs(), descending=True), "df.compare", height=320
        )

st.divider()
crossval_view.render()
