"""Export page: every table as CSV / XLSX / LaTeX, all tables at once, and the report
(:func:`nqpf.report.build_report`, the document ``nqpf report`` writes) as HTML and as
the report folder in a ZIP.

Files are built only when their button is pressed (Streamlit's deferred
``data=callable``), so choosing a table stays instant on large panels. The
callables capture plain values (frames, translated strings), never session state.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from nqpf.app import export, project_state, state, widgets
from nqpf.app.i18n import TEXT, current_language, t
from nqpf.app.verbatim import verbatim
from nqpf.options import EchelonOptions, IndexOptions, ReportOptions

st.header(t("exp.title"))
st.caption(t("exp.intro"))
project_state.download()  # the whole analysis as a project file (nqpf.project)

tables = state.collected_tables()
if not tables:
    st.info(t("exp.none"), icon=":material/info:")
    st.stop()

state.stale_index_notice()
meta: dict[str, object] = {}
source = state.current_source()
if source is not None:
    meta[t("exp.meta.file")] = source.name
run = state.index_run() if "run.index" in st.session_state else None
if run is not None:
    # the options under their declared labels (nqpf.options.IndexOptions)
    labels = {info.name: info.title(current_language()) for info in IndexOptions.describe()}
    meta.update({labels.get(k, k): v for k, v in run[1].options.items()})
dagum_key = st.session_state.get("run.dagum")
if dagum_key is not None:
    grouping = dagum_key.grouping
    if dagum_key.echelons is not None:
        rule = dagum_key.echelons
        detail = next((d for d in (rule.k, rule.thresholds, rule.column) if d is not None), None)
        shown = widgets.choice_label(EchelonOptions.info("rule"), rule.rule)
        grouping = f"{t('dis.grouping.echelon')}: {shown}" + (f" ({detail})" if detail else "")
    meta[t("dis.grouping")] = grouping

names = list(tables)
# a table a result adds to its tables() without an app title is shown by its name
heading = {n: t(f"table.{n}") if f"table.{n}" in TEXT else n for n in names}
titles = {n: f"{heading[n]} ({n})" for n in names}
name = state.choose(
    t("exp.table"),
    names,
    "w.exp.table",
    "scores" if "scores" in names else names[0],
    format_func=titles.__getitem__,
)
table = tables[name]
st.caption(t("exp.shape", rows=table.height, cols=table.width))
state.table(table.head(200), "df.export_preview", height=260)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
cols = st.columns(3)
cols[0].download_button(
    t("exp.csv"),
    data=partial(export.csv_bytes, table),
    file_name=f"{name}.csv",
    mime="text/csv",
    key="dl.table.csv",
    on_click="ignore",
    icon=":material/csv:",
)
cols[1].download_button(
    t("exp.xlsx"),
    data=partial(export.xlsx_bytes, {name: table}),
    file_name=f"{name}.xlsx",
    mime=XLSX,
    key="dl.table.xlsx",
    on_click="ignore",
    icon=":material/table:",
)
caption = heading[name]
cols[2].download_button(
    t("exp.latex"),
    data=lambda: export.latex_table(table, caption=caption, label=f"tab:{name}").encode("utf-8"),
    file_name=f"{name}.tex",
    mime="text/x-tex",
    key="dl.table.tex",
    on_click="ignore",
    icon=":material/functions:",
)

st.subheader(t("exp.all"))
cols = st.columns(2)
cols[0].download_button(
    t("exp.all.xlsx"),
    data=partial(export.xlsx_bytes, tables, meta={str(k): v for k, v in meta.items()}),
    file_name="nqpf-tables.xlsx",
    mime=XLSX,
    key="dl.all.xlsx",
    on_click="ignore",
    icon=":material/table:",
)
cols[1].download_button(
    t("exp.all.zip"),
    data=partial(export.zip_of_csv, tables),
    file_name="nqpf-tables-csv.zip",
    mime="application/zip",
    key="dl.all.zip",
    on_click="ignore",
    icon=":material/folder_zip:",
)
st.caption(t("exp.neutralised"))

# ------------------------------------------ the report: nqpf.report.build_report, as `nqpf report`
build_report = state.optional("report", "build_report")
if build_report is not None and run is not None:
    st.subheader(t("exp.paper"))
    st.caption(t("exp.paper.help"))
    index_key, result = run
    rule = dagum_key.echelons if dagum_key is not None and dagum_key.echelons is not None else None
    # the Data page's group, the Disparity page's tiers and the language (nqpf.options.ReportOptions)
    options = export.report_arguments(
        index_key.config.group,
        result.scores.columns,
        rule.rule if rule is not None else None,
        rule.k if rule is not None else None,
        current_language(),
    )
    # the groups in the order given here (checked against the data by the report: one
    # line when a name is wrong); the widget is generated from the declaration
    if options["group"] is not None:
        options["group_order"] = widgets.option_widget(
            ReportOptions.info("group_order"), "w.exp.group_order"
        )
    paper_key = (index_key, tuple(sorted(options.items())), current_language())
    if st.button(t("exp.paper.run"), key="btn.paper", icon=":material/article:"):
        bar = st.progress(0.0, text=t("exp.paper.progress", step="…"))

        def progress(label: str, done: int, total: int) -> None:
            bar.progress(
                min(done / max(total, 1), 1.0), text=t("exp.paper.progress", step=verbatim(label))
            )

        ok, paper = state.attempt(
            build_report, result, title=t("exp.paper.title"), progress=progress, **options
        )
        bar.empty()
        if ok:
            st.session_state["paper"] = (paper_key, paper)
    stored = st.session_state.get("paper")
    if stored is not None:
        if stored[0] != paper_key:
            st.warning(t("dis.stale"), icon=":material/update:")
        report = stored[1]
        cols = st.columns(2)
        cols[0].download_button(
            t("exp.paper.html"),
            data=partial(export.report_html, report),
            file_name="nqpf-report.html",
            mime="text/html",
            key="dl.exp.paper.html",
            on_click="ignore",
            icon=":material/description:",
        )
        cols[1].download_button(
            t("exp.paper.zip"),
            data=partial(export.report_zip, report),
            file_name="nqpf-report.zip",
            mime="application/zip",
            key="dl.exp.paper.zip",
            on_click="ignore",
            icon=":material/folder_zip:",
        )
