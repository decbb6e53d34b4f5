"""Geodetector page: factor, interaction, risk and ecological detectors of the index's
influencing factors (:func:`nqpf.geodetector` through :mod:`nqpf.app.runs.geodetector`)."""

from __future__ import annotations

import streamlit as st

from nqpf.app import charts, state, widgets
from nqpf.app.i18n import t
from nqpf.app.runs import geodetector as runs
from nqpf.options import GeodetectorOptions

st.header(t("geo.title"))
st.caption(t("geo.intro"))


def about() -> None:
    """The method's formulas, what the outputs mean and what to cite (docs/methods.md §11)."""
    with st.expander(t("geo.about"), expanded=False):
        st.markdown(t("geo.about.q"))
        st.latex(
            r"q=1-\frac{\sum_{h=1}^{L}N_h\sigma_h^2}{N\sigma^2}=1-\frac{SSW}{SST},\qquad "
            r"F=\frac{N-L}{L-1}\,\frac{q}{1-q}\sim F(L-1,\,N-L;\,\lambda)"
        )
        st.markdown(t("geo.about.interaction"))
        st.latex(r"q(X_1\cap X_2)\ \text{vs}\ \min(q_1,q_2),\ \max(q_1,q_2),\ q_1+q_2")
        st.markdown(t("geo.about.risk"))
        st.latex(
            r"t=\frac{\bar Y_a-\bar Y_b}{\sqrt{s_a^2/N_a+s_b^2/N_b}},\qquad "
            r"F=\frac{N_{X_1}(N_{X_2}-1)\,SSW_{X_1}}{N_{X_2}(N_{X_1}-1)\,SSW_{X_2}}"
        )
        st.markdown(t("geo.about.discretisation"))
        st.markdown(t("geo.about.warning"))
        st.caption(t("geo.about.cite"))


index_key, result = state.require_index(about)
year = result.year
ok, columns = state.attempt(runs.factor_columns, index_key)
if not ok:
    st.stop()
numeric, text, indicators = columns
candidates = [*numeric, *text, *indicators]
kinds = {c: "geo.kind.numeric" for c in numeric} | {c: "geo.kind.text" for c in text}
kinds |= {c: "geo.kind.indicator" for c in indicators}

# ------------------------------------------------------------------ choices
explained = [state.output_column(result, "score"), *state.dimension_columns(result).values()]
left, right = st.columns([1, 3])
y = state.choose(t("geo.y"), explained, "w.geo.y", explained[0], where=left, help=t("geo.y.help"))
state.default("w.geo.factors", (numeric or indicators)[:4])
if any(f not in candidates for f in st.session_state["w.geo.factors"]):
    st.session_state["w.geo.factors"] = [
        f for f in st.session_state["w.geo.factors"] if f in candidates
    ]
factors = right.multiselect(
    t("geo.factors"),
    candidates,
    key="w.geo.factors",
    format_func=lambda c: f"{c} ({t(kinds[c])})",
    help=t("geo.factors.help"),
    placeholder=t("common.choose"),
)
years = sorted(result.scores.get_column(year).unique().to_list())
state.default("w.geo.years", years[-1:])  # a cross-section: quick; pool by adding years
if any(v not in years for v in st.session_state["w.geo.years"]):
    st.session_state["w.geo.years"] = [v for v in st.session_state["w.geo.years"] if v in years]
chosen_years = st.multiselect(
    t("geo.years"),
    years,
    key="w.geo.years",
    placeholder=t("common.all_years"),
    help=t("geo.years.help"),
)
values = widgets.option_widgets(GeodetectorOptions, "w.geo.")
options = widgets.make_options(GeodetectorOptions, values)
if not factors:
    st.info(t("geo.no_factors"), icon=":material/info:")
    about()
    st.stop()
if options is None:
    about()
    st.stop()
key = runs.GeoKey(
    index_key, y, tuple(factors), tuple(sorted(chosen_years)), tuple(sorted(values.items()))
)
if st.button(t("geo.run"), key="btn.geo.run", type="primary", icon=":material/play_arrow:"):
    st.session_state["run.geo"] = key
if "run.geo" not in st.session_state:
    st.info(t("geo.press"), icon=":material/play_arrow:")
    about()
    st.stop()
if st.session_state["run.geo"] != key:
    st.warning(t("geo.stale"), icon=":material/update:")

with st.spinner(t("common.computing")):
    ok, found = state.attempt(runs.compute, st.session_state["run.geo"])
if not ok:
    for name in ("factor", "interaction", "risk_means", "risk", "ecological", "discretization"):
        state.publish(f"geo_{name}", None)
    about()
    st.stop()
tables = found.tables()
for name in ("factor", "interaction", "risk_means", "risk", "ecological", "discretization"):
    state.publish(f"geo_{name}", tables.get(name))
st.caption(t("geo.units", units=found.units, y=found.y))

# ----------------------------------------------------------- factor detector
st.subheader(t("geo.factor"))
state.chart(charts.geodetector_q_chart(found.factor), "ch.geo.q")
state.table(found.factor, "df.geo.factor")
if found.interaction.height:
    st.subheader(t("geo.interaction"))
    state.chart(
        charts.geodetector_interaction_chart(found.interaction, found.factor), "ch.geo.interaction"
    )
    state.table(found.interaction, "df.geo.interaction")
st.subheader(t("geo.risk"))
state.table(found.risk_means, "df.geo.risk_means")
with st.expander(t("geo.risk.tests"), expanded=False):
    state.table(found.risk, "df.geo.risk")
if found.ecological.height:
    st.subheader(t("geo.ecological"))
    state.table(found.ecological, "df.geo.ecological")
if found.discretization.height:
    with st.expander(t("geo.discretization"), expanded=False):
        st.caption(t("geo.discretization.help"))
        state.table(
            found.discretization, "df.geo.discretization", empty=t("geo.discretization.empty")
        )
about()
