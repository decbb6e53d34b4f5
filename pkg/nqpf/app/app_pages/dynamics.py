"""Dynamics page: σ and β convergence, Markov chains, convergence clubs, kernel densities and obstacle degrees of the index."""

from __future__ import annotations

import streamlit as st

from nqpf.app.i18n import t

st.header(t("dyn.title"))
st.caption(t("dyn.intro"))
st.info(t("common.page_not_ready"), icon=":material/hourglass_empty:")
