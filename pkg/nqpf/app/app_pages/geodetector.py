"""Geodetector page: factor, interaction, risk and ecological detectors of the index's influencing factors."""

from __future__ import annotations

import streamlit as st

from nqpf.app.i18n import t

st.header(t("geo.title"))
st.caption(t("geo.intro"))
st.info(t("common.page_not_ready"), icon=":material/hourglass_empty:")
