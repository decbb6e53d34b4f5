"""Indicators page: edit the indicator spec in a table, or upload one; download it."""

from __future__ import annotations

import hashlib

import polars as pl
import streamlit as st

from nqpf.app import export, state
from nqpf.app.i18n import t
from nqpf.app.verbatim import verbatim
from nqpf.panel import read_spec

#: Indicators the grid shows before it scrolls (a provincial system has 15–40).
SPEC_ROWS = 30

st.header(t("ind.title"))
st.caption(t("ind.intro"))

source, config = state.current_source(), state.current_config()
if source is None or config is None:
    st.info(t("common.need_data"), icon=":material/info:")
    st.stop()
ok, panel = state.attempt(state.source_panel, source, config)
if not ok:
    st.stop()
state.ensure_spec(source, panel, config)
state.spec_note()

spec_file = st.file_uploader(
    t("ind.upload"),
    type=["csv", "toml", "xlsx"],
    key="up.spec",
    help=t("ind.upload.help", limit=state.upload_limit_mb()),
)
if spec_file is not None:
    data = spec_file.getvalue()
    digest = hashlib.sha256(data + spec_file.name.encode()).hexdigest()
    if st.session_state.get("spec.file") != digest:
        ok, uploaded = state.attempt(read_spec, data, name=spec_file.name)
        if ok:
            st.session_state["spec.file"] = digest
            state.set_spec(uploaded.to_frame())

if st.button(t("ind.reset"), key="btn.spec.reset", help=t("ind.reset.help")):
    state.set_spec(state.default_spec_frame(source, panel, config))
    st.session_state.pop("spec.file", None)

base: pl.DataFrame = st.session_state["spec.base"]
st.caption(t("ind.grid.help"))
# The columns of moderate (mid: target) and interval (lower, upper) indicators and of given
# ideal points are shown on request, and always when the spec has one of them.
has_numbers = any(
    v is not None and str(v).strip() != ""
    for c in state.SPEC_NUMBER_FIELDS
    for v in base.get_column(c).to_list()
)
state.default("w.ind.types", has_numbers)
if has_numbers:
    st.session_state["w.ind.types"] = True
types = st.toggle(t("ind.types"), key="w.ind.types", help=t("ind.types.help"), disabled=has_numbers)
shown = state.SPEC_FIELDS if types else state.SPEC_TEXT_FIELDS
edited = st.data_editor(
    base,
    key=f"ed.spec.{st.session_state['spec.version']}",
    num_rows="dynamic",
    hide_index=True,
    width="stretch",
    placeholder="",  # a new row's empty cells blank (the grid draws a null as "None")
    # every indicator in view (and the row that adds one), up to SPEC_ROWS, then it scrolls;
    # the height follows the base, which changes only with a new editor (set_spec)
    height=state.table_height(base.height + 1, max_rows=SPEC_ROWS),
    column_order=shown,
    column_config={
        "indicator": st.column_config.TextColumn(t("col.indicator"), required=True),
        "dimension": st.column_config.TextColumn(t("col.dimension"), help=t("ind.dimension.help")),
        "direction": st.column_config.SelectboxColumn(
            t("col.direction"),
            options=["+", "-", "mid", "interval"],
            required=True,
            help=t("ind.direction.help"),
        ),
        "label": st.column_config.TextColumn(t("col.label")),
        "unit": st.column_config.TextColumn(t("col.unit")),
        **{c: st.column_config.TextColumn(t(f"col.{c}")) for c in state.SPEC_NUMBER_FIELDS},
    },
)
if not isinstance(edited, pl.DataFrame):
    edited = pl.from_pandas(edited)
st.session_state["spec.current"] = edited = state.spec_grid(edited)

# Fill down: one dimension and/or direction for many indicators at once (a form: the
# grid's edits so far are in spec.current and become the new grid's base).
with st.expander(t("ind.fill")), st.form("form.ind.fill", border=False):
    named = [str(n) for n in edited.get_column("indicator").to_list() if n]
    rows = st.multiselect(
        t("ind.fill.rows"), named, key="ind.fill.rows", placeholder=t("common.choose")
    )
    left, right = st.columns(2)
    dimension = left.text_input(t("ind.fill.dimension"), key="ind.fill.dimension")
    direction = state.choose(
        t("ind.fill.direction"),
        ("keep", "+", "-"),
        "ind.fill.direction",
        "keep",
        where=right,
        format_func=lambda v: t("ind.fill.keep") if v == "keep" else v,
        radio=True,
    )
    if st.form_submit_button(t("ind.fill.apply"), key="btn.ind.fill") and rows:
        state.set_spec(
            state.filled_spec(
                edited, rows, dimension=dimension.strip() or None, direction=direction
            )
        )
        st.rerun()

records = state.spec_records()
ok, spec = state.attempt(state.spec_from_records, records)
if ok:
    absent = [n for n in spec.names if n not in panel.frame.columns]
    if absent:
        st.error(
            f"{t('err.prefix')} "
            + t("ind.absent", names=", ".join(verbatim(n) for n in absent[:5]), n=len(absent)),
            icon=":material/error:",
        )
    else:
        costs = sum(1 for i in spec if i.direction == "-")
        st.success(
            t(
                "ind.summary",
                n=len(spec),
                dims=len(spec.dimension_names),
                benefit=len(spec) - costs,
                cost=costs,
            ),
            icon=":material/check_circle:",
        )
    left, right, _ = st.columns([1, 1, 3])
    left.download_button(
        t("ind.download.csv"),
        data=export.csv_bytes(spec.to_frame()),
        file_name="spec.csv",
        mime="text/csv",
        key="dl.spec.csv",
        on_click="ignore",
    )
    right.download_button(
        t("ind.download.toml"),
        data=spec.to_toml().encode("utf-8"),
        file_name="spec.toml",
        mime="application/toml",
        key="dl.spec.toml",
        on_click="ignore",
    )
