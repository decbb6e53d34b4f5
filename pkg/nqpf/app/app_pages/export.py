"""Export page: every table as CSV / XLSX / LaTeX, all tables at once, an HTML report."""

from __future__ import annotations

import streamlit as st

from nqpf.app import export, state
from nqpf.app.i18n import current_language, t

st.header(t("exp.title"))
st.caption(t("exp.intro"))

tables = state.collected_tables()
if not tables:
    st.info(t("exp.none"), icon=":material/info:")
    st.stop()

run = state.index_run() if "run.index" in st.session_state else None
meta: dict[str, object] = {}
source = state.current_source()
if source is not None:
    meta[t("exp.meta.file")] = source.name
if run is not None:
    key, result = run
    meta.update(
        {t(f"opt.{k}"): v for k, v in result.options.items() if f"opt.{k}" != "opt.zero_log"}
    )

names = list(tables)
name = state.choose(
    t("exp.table"),
    names,
    "w.exp.table",
    "scores" if "scores" in names else names[0],
    format_func=lambda n: f"{t(f'table.{n}')} ({n})",
)
table = tables[name]
st.caption(t("exp.shape", rows=table.height, cols=table.width))
state.table(table.head(200), "df.export_preview", height=260)

cols = st.columns(3)
cols[0].download_button(
    t("exp.csv"),
    data=export.csv_bytes(table),
    file_name=f"{name}.csv",
    mime="text/csv",
    key="dl.table.csv",
    on_click="ignore",
    icon=":material/csv:",
)
cols[1].download_button(
    t("exp.xlsx"),
    data=export.xlsx_bytes({name: table}),
    file_name=f"{name}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="dl.table.xlsx",
    on_click="ignore",
    icon=":material/table:",
)
cols[2].download_button(
    t("exp.latex"),
    data=export.latex_table(table, caption=t(f"table.{name}"), label=f"tab:{name}").encode("utf-8"),
    file_name=f"{name}.tex",
    mime="text/x-tex",
    key="dl.table.tex",
    on_click="ignore",
    icon=":material/functions:",
)

st.subheader(t("exp.all"))
cols = st.columns(3)
cols[0].download_button(
    t("exp.all.xlsx"),
    data=export.xlsx_bytes(tables, meta=meta),
    file_name="nqpf-tables.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="dl.all.xlsx",
    on_click="ignore",
    icon=":material/table:",
)
cols[1].download_button(
    t("exp.all.zip"),
    data=export.zip_of_csv(tables),
    file_name="nqpf-tables-csv.zip",
    mime="application/zip",
    key="dl.all.zip",
    on_click="ignore",
    icon=":material/folder_zip:",
)
report = export.html_report(
    t("exp.report.title"),
    [(f"{t(f'table.{n}')} ({n})", tab) for n, tab in tables.items() if n != "standardized"],
    meta=meta,
    meta_title=t("exp.report.options"),
    lang="zh-CN" if current_language() == "zh" else "en",
    generated=t("exp.report.generated"),
)
cols[2].download_button(
    t("exp.report"),
    data=report,
    file_name="nqpf-report.html",
    mime="text/html",
    key="dl.report",
    on_click="ignore",
    icon=":material/description:",
)
st.caption(t("exp.neutralised"))
