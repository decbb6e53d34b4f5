"""Inequality page: theil, generalised entropy and Atkinson indices with their decompositions; Gini variants and the source decomposition by dimension."""

from __future__ import annotations

import streamlit as st

from nqpf.app.i18n import t

st.header(t("ine.title"))
st.caption(t("ine.intro"))
st.info(t("common.page_not_ready"), icon=":material/hourglass_empty:")
