"""Spatial page: spatial weights, global and local spatial autocorrelation, LISA and hot-spot maps."""

from __future__ import annotations

import streamlit as st

from nqpf.app.i18n import t

st.header(t("spa.title"))
st.caption(t("spa.intro"))
st.info(t("common.page_not_ready"), icon=":material/hourglass_empty:")
