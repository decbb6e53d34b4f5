"""Coupling coordination page: the coupling coordination degree of two or more subsystems."""

from __future__ import annotations

import streamlit as st

from nqpf.app.i18n import t

st.header(t("cou.title"))
st.caption(t("cou.intro"))
st.info(t("common.page_not_ready"), icon=":material/hourglass_empty:")
