"""Inequality page: Theil, generalised entropy and Atkinson indices with their
decompositions; Gini variants and the source decomposition by dimension
(:mod:`nqpf.inequality` through :mod:`nqpf.app.runs.inequality`)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from nqpf.app import charts, state, widgets
from nqpf.app.i18n import current_language, t
from nqpf.app.runs import inequality as runs
from nqpf.app.verbatim import verbatim
from nqpf.options import InequalityOptions

st.header(t("ine.title"))
st.caption(t("ine.intro"))


def about() -> None:
    """The method's formulas, what the outputs mean and what to cite (docs/methods.md §9)."""
    with st.expander(t("ine.about"), expanded=False):
        st.markdown(t("ine.about.ge"))
        st.latex(
            r"GE(\alpha)=\frac{1}{\alpha(\alpha-1)}\sum_i p_i\Big[\Big(\frac{y_i}{\mu}\Big)^{\alpha}-1\Big],"
            r"\quad T=\sum_i p_i\frac{y_i}{\mu}\ln\frac{y_i}{\mu},\quad L=-\sum_i p_i\ln\frac{y_i}{\mu}"
        )
        st.latex(
            r"GE=\underbrace{\sum_j P_j^{1-\alpha}s_j^{\alpha}\,GE_j}_{within}+\underbrace{GE(\mu_j)}_{between}"
        )
        st.markdown(t("ine.about.atkinson"))
        st.latex(
            r"A(\varepsilon)=1-\Big(\sum_i p_i\Big(\frac{y_i}{\mu}\Big)^{1-\varepsilon}\Big)^{\frac{1}{1-\varepsilon}},"
            r"\quad A(1)=1-\frac{\exp\sum_i p_i\ln y_i}{\mu}"
        )
        st.markdown(t("ine.about.gini"))
        st.latex(
            r"G(\nu)=-\nu\,\frac{\mathrm{cov}(y,r)}{\mu},\quad "
            r"G=\sum_j s_jG_j+\sum_j s_jG_j(O_j-1)+G_B"
        )
        st.markdown(t("ine.about.sources"))
        st.latex(
            r"G=\sum_k S_kG_kR_k,\quad \mathrm{share}_k=\frac{S_kG_kR_k}{G},\quad \mathrm{marginal}_k=\mathrm{share}_k-S_k"
        )
        st.markdown(t("ine.about.outputs"))
        st.caption(t("ine.about.cite"))


index_key, result = state.require_index(about)
region, year = result.region, result.year
scores = result.scores
n_regions = scores.get_column(region).n_unique()
# Text columns that split the regions into groups (e.g. a macro-region column).
group_columns = state.group_columns(result)
numeric_extra = state.numeric_columns(
    scores.select([c for c in state.carried_columns(result) if c not in group_columns]), exclude=[]
)

# ------------------------------------------------------------------ choices
groupings: list[object] = [state.NONE, state.ECHELONS, *group_columns]
left, middle, right = st.columns(3)
chosen_group = state.choose(
    t("ine.grouping"),
    groupings,
    "w.ine.group",
    group_columns[0] if group_columns else state.NONE,
    where=left,
    format_func=lambda v: (
        t("ine.grouping.none")
        if v == state.NONE
        else t("dis.grouping.echelon")
        if v == state.ECHELONS
        else str(v)
    ),
    help=t("ine.grouping.help"),
)
weights = state.choose(
    t("dis.weights"),
    [state.NONE, *numeric_extra],
    "w.ine.weights",
    state.NONE,
    where=middle,
    help=t("dis.weights.help"),
)
measure = widgets.option_widget(InequalityOptions.info("measure"), "w.ine.measure", right)
grouped = chosen_group != state.NONE
ech_key = runs.disparity_echelons() if chosen_group == state.ECHELONS else None
if chosen_group == state.ECHELONS and ech_key is None:
    st.info(t("ine.fix_echelons"), icon=":material/info:")
    st.stop()

cols = st.columns(4)
alpha = widgets.option_widget(InequalityOptions.info("alpha"), "w.ine.alpha", cols[0])
epsilon = widgets.option_widget(InequalityOptions.info("epsilon"), "w.ine.epsilon", cols[1])
nu = widgets.option_widget(InequalityOptions.info("nu"), "w.ine.nu", cols[2])
# the n/(n − 1) correction acts on the plain Gini without groups (docs/methods.md §9.3)
correction = widgets.option_widget(
    InequalityOptions.info("correction"), "w.ine.correction", cols[3], disabled=grouped
)
with st.expander(t("ine.boot"), expanded=False):
    st.caption(t("ine.boot.help"))
    bcols = st.columns(3)
    B = widgets.option_widget(InequalityOptions.info("bootstrap"), "w.ine.bootstrap", bcols[0])
    level = widgets.option_widget(InequalityOptions.info("level"), "w.ine.level", bcols[1])
    state.default("w.ine.seed", 1)
    seed = int(bcols[2].number_input(t("dis.boot.seed"), min_value=0, step=1, key="w.ine.seed"))

values = {
    "measure": measure,
    "alpha": alpha,
    "epsilon": epsilon,
    "nu": nu,
    "correction": bool(correction) and not grouped and measure == "gini",
    "bootstrap": B,
    "level": level,
    "seed": seed if B else None,
}
if widgets.make_options(InequalityOptions, values) is None:
    st.stop()
key = runs.InequalityKey(
    index_key,
    chosen_group if grouped and chosen_group != state.ECHELONS else None,  # type: ignore[arg-type]
    ech_key,
    None if weights == state.NONE else weights,
    tuple(sorted(values.items())),
)

# ------------------------------------------------- the indices over the years
st.subheader(t("ine.indices"))
# the comparison is ungrouped: the correction acts on its Gini whatever the measure shown
compare_key = key._replace(
    options=tuple(sorted((values | {"correction": bool(correction) and not grouped}).items()))
)
with st.spinner(t("common.computing")):
    ok, found = state.attempt(runs.compared, compare_key)
if ok:
    long, refused = found
    labels = {
        "theil_T": t("ine.m.theil_T"),
        "theil_L": t("ine.m.theil_L"),
        "ge": t("ine.m.ge", alpha=f"{alpha:g}"),
        "atkinson": t("ine.m.atkinson", epsilon=f"{epsilon:g}"),
        "gini": t("ine.m.gini_corrected") if correction and not grouped else t("ine.m.gini"),
        "sgini": t("ine.m.sgini", nu=f"{nu:g}"),
    }
    if long.height:
        shown = long.with_columns(pl.col("measure").replace_strict(labels))
        state.chart(
            charts.inequality_chart(shown, year, "measure", "index", t("ine.chart.indices")),
            "ch.ine.indices",
        )
        wide = shown.pivot("measure", index=year, values="index", maintain_order=True)
        state.table(wide, "df.ine.indices")
        state.publish("ine_indices", wide)
    else:
        state.publish("ine_indices", None)
    from nqpf.error_translations import message

    for name, err in refused:
        st.caption(
            t(
                "ine.refused",
                measure=labels[name],
                reason=verbatim(message(err, current_language())),
            )
        )

# ------------------------------------------------------- the chosen measure
st.subheader(InequalityOptions.info("measure").choice_title(measure, current_language()))
if measure in ("atkinson", "sources") and grouped:
    st.caption(t(f"ine.{measure}_no_groups"))
if measure == "sources":
    st.caption(t("ine.sources.help"))
    if state.index_options_of(index_key).method != "linear":
        st.caption(t("ine.sources.topsis"))
with st.spinner(t("common.computing")):
    ok, res = state.attempt(runs.compute, key)
if not ok:
    for name in ("overall", "groups", "sources", "period_mean", "intervals"):
        state.publish(f"ine_{name}", None)  # no table of another run on the Export page
    about()
    st.stop()
tables = res.tables()
overall = tables["overall"]
state.table(overall, "df.ine.overall")
state.publish("ine_overall", overall)
for name in ("groups", "sources"):
    state.publish(f"ine_{name}", tables.get(name))
detail = tables.get(res.detail_name)
if detail is not None:
    st.markdown(f"**{t(f'table.ine_{res.detail_name}')}**")
    state.table(detail, "df.ine.detail")
    if res.detail_name == "groups" and B and int(detail.get_column("n").min()) < 10:
        st.warning(t("ine.boot.small"), icon=":material/warning:")
terms = [c for c in ("within", "overlap", "between") if c in overall.columns]
if terms:
    variant = "alpha" if "alpha" in overall.columns else None
    long_terms = overall.unpivot(
        index=[year, *([variant] if variant else [])], on=terms, variable_name="term"
    )
    names = {c: t(f"ine.term.{c}") for c in terms}
    if measure == "theil":  # T's terms first, then L's
        long_terms = long_terms.sort("alpha", descending=True, maintain_order=True)
        tl = pl.when(pl.col("alpha") == 1.0).then(pl.lit("T ")).otherwise(pl.lit("L "))
        long_terms = long_terms.with_columns(
            (tl + pl.col("term").replace_strict(names)).alias("term")
        )
    else:
        long_terms = long_terms.with_columns(pl.col("term").replace_strict(names))
    state.chart(
        charts.inequality_chart(long_terms, year, "term", "value", t("ine.chart.terms")),
        "ch.ine.terms",
    )
if res.detail_name == "sources" and detail is not None:
    state.chart(charts.sources_chart(detail, year), "ch.ine.sources")
if "period_mean" in tables:
    st.markdown(f"**{t('table.ine_period_mean')}**")
    state.table(tables["period_mean"], "df.ine.period")
state.publish("ine_period_mean", tables.get("period_mean"))
intervals = tables.get("intervals")
if intervals is not None:
    st.markdown(f"**{t('table.ine_intervals')}**")
    state.table(intervals, "df.ine.intervals")
state.publish("ine_intervals", intervals)
about()
