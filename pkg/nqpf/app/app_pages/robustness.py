"""Robustness page: the index under a grid of defensible method choices: rank ranges, echelon changes and conclusions that hold in every variant."""

from __future__ import annotations

import streamlit as st

from nqpf.app.i18n import t

st.header(t("rob.title"))
st.caption(t("rob.intro"))
st.info(t("common.page_not_ready"), icon=":material/hourglass_empty:")
