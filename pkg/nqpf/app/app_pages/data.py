"""Data page: pick the embedded panel or upload one, preview it, choose its columns,
and check every cell the index will read before saying "Panel ready"."""

from __future__ import annotations

import streamlit as st

from nqpf.app import state, widgets
from nqpf.app.i18n import t
from nqpf.app.verbatim import verbatim
from nqpf.io import SUGGESTED_MARKERS
from nqpf.options import IndexOptions, ReadOptions

st.header(t("data.title"))
st.caption(t("data.intro"))

limit = state.upload_limit_mb()
kind = state.choose(
    t("data.source"),
    ("default", "upload"),
    "w.data.source",
    "default",
    format_func=lambda v: t(f"data.source.{v}"),
    radio=True,
)

if kind == "upload":
    uploaded = st.file_uploader(
        t("data.upload"),
        type=["csv", "tsv", "txt", "xlsx", "xlsm", "parquet"],
        key="up.panel",
        help=t("data.upload.help", limit=limit),
    )
    if uploaded is not None:
        data = uploaded.getvalue()
        previous = st.session_state.get("src.upload")
        candidate = state.Source.of(uploaded.name, data)
        if (
            previous is None
            or previous.digest != candidate.digest
            or previous.name != candidate.name
        ):
            st.session_state["src.upload"] = candidate
    elif st.session_state.get("src.upload") is not None:
        name = verbatim(st.session_state["src.upload"].name)
        st.caption(t("data.upload.kept", name=name))
    # the layouts nqpf reads, to fill in, and the default data as an example file
    with st.expander(t("data.templates")):
        st.caption(t("data.templates.about"))
        buttons = st.columns(5)
        for position, (layout, fmt) in enumerate(
            (("wide", "csv"), ("wide", "xlsx"), ("long", "csv"), ("long", "xlsx"))
        ):
            buttons[position].download_button(
                t(f"data.template.{layout}", fmt=fmt.upper()),
                data=state.template_bytes(layout, fmt),
                file_name=f"nqpf-template-{layout}.{fmt}",
                key=f"dl.data.template.{layout}.{fmt}",
                on_click="ignore",
                icon=":material/download:",
            )
        example = state.default_source()
        buttons[4].download_button(
            t("data.example"),
            data=example.data,
            file_name=example.name,
            mime="text/csv",
            key="dl.data.example",
            on_click="ignore",
            icon=":material/download:",
        )
else:
    st.caption(t("data.default.about"))

source = state.current_source()
st.session_state["read.sheet"] = None
if source is None:
    st.session_state.pop("panel.config", None)
    st.info(t("data.none"), icon=":material/upload_file:")
    st.stop()

# How to read the cells: the sheet of a workbook, missing markers, decimal separator.
sheet = None
if state.is_workbook(source.name):
    sheets = state.load_sheet_names(source.digest, source.data, source.name, limit << 20)
    if st.session_state.get("data.sheets_of") != source.digest:
        st.session_state["data.sheets_of"] = source.digest
        st.session_state.pop("w.data.sheet", None)  # a new workbook starts at its first sheet
    if sheets:
        # every sheet is listed (one sheet too: the message of a bad cell names it)
        sheet = state.choose(
            t("data.sheet"),
            sheets,
            "w.data.sheet",
            sheets[0],
            help=t("data.sheet.help", n=len(sheets)),
            disabled=len(sheets) == 1,
        )
        st.session_state["read.sheet"] = sheet
markers: tuple[str, ...] = ()
decimal = ReadOptions.info("decimal").default
if not source.builtin:
    # the missing-value markers and the decimal mark: nqpf.options.ReadOptions' widgets
    left, right = st.columns([3, 2])
    state.default("w.data.na_common", False)
    common = left.checkbox(
        t("data.na.common", markers=", ".join(SUGGESTED_MARKERS)),
        key="w.data.na_common",
        help=t("data.na.common.help"),
    )
    extra = widgets.option_widget(
        ReadOptions.info("na_values"), "w.data.na", left, placeholder="NA, 无"
    )
    markers = tuple(dict.fromkeys((*SUGGESTED_MARKERS, *extra) if common else extra))
    decimal = widgets.option_widget(
        ReadOptions.info("decimal"), "w.data.decimal", right, radio=True
    )
read = widgets.make_options(ReadOptions, {"sheet": sheet, "na_values": markers, "decimal": decimal})
if read is None:
    st.session_state.pop("panel.config", None)
    st.stop()

ok, table = state.attempt(
    state.load_table, source.digest, source.data, source.name, limit << 20, read
)
if not ok:
    st.session_state.pop("panel.config", None)
    st.stop()

# New file or sheet: start from guessed columns (the default data's columns are known),
# include every region, and say so when the Index page's missing-value choice is reset.
if st.session_state.get("data.seen") != (source.digest, sheet):
    st.session_state["data.seen"] = (source.digest, sheet)
    st.session_state.pop("w.data.exclude", None)
    state.reset_missing_policy(source)
    if source.builtin:
        from nqpf import datasets

        guess = {
            "region": datasets.PWT_REGION,
            "year": datasets.PWT_YEAR,
            "group": datasets.PWT_GROUP,
            "form": "wide",
            "indicator": None,
            "value": None,
        }
    else:
        guess = state.guess_columns(table)
    for name, value in guess.items():
        st.session_state[f"w.data.{name}"] = state.NONE if value is None else value

reset = st.session_state.get("data.missing_reset")
if reset is not None and reset[0] == source.digest:
    info = IndexOptions.info("missing")
    st.info(
        t(
            "data.missing_reset",
            option=info.title(state.current_language()),
            old=info.choice_title(reset[1], state.current_language()),
            new=info.choice_title(info.default, state.current_language()),
        ),
        icon=":material/restart_alt:",
    )

with st.expander(t("data.preview", rows=table.height, cols=table.width), expanded=True):
    state.table(table.head(200), "df.preview", height=260)

columns = list(table.columns)
st.subheader(t("data.columns"))
# the layout is chosen here, seeing the table (the reader's "auto" is not offered)
form = widgets.option_widget(
    ReadOptions.info("form"), "w.data.form", choices=("wide", "long"), radio=True
)
left, middle, right = st.columns(3)
region = state.choose(t("data.region"), columns, "w.data.region", columns[0], where=left)
year = state.choose(
    t("data.year"), columns, "w.data.year", columns[min(1, len(columns) - 1)], where=middle
)
group = state.choose(
    t("data.group"),
    [state.NONE, *columns],
    "w.data.group",
    state.NONE,
    where=right,
    help=t("data.group.help"),
)
indicator = value = None
if form == "long":
    left, right = st.columns(2)
    indicator = state.choose(
        t("data.indicator"), columns, "w.data.indicator", "indicator", where=left
    )
    value = state.choose(t("data.value"), columns, "w.data.value", "value", where=right)

config = state.make_config(
    region=region,
    year=year,
    group=None if group == state.NONE else group,
    form=form,
    indicator=indicator,
    value=value,
    read=read,
)
if config is None:  # two roles on one column: said in one line
    st.session_state.pop("panel.config", None)
    st.stop()

ok, panel = state.attempt(state.source_panel, source, config)
if not ok:
    st.session_state.pop("panel.config", None)
    st.stop()
if config.group is not None and config.group not in panel.frame.columns:
    # a long panel keeps its region, year and indicator columns only
    st.error(
        f"{t('err.prefix')} " + t("data.group.long", column=verbatim(config.group)),
        icon=":material/error:",
    )
    st.session_state.pop("panel.config", None)
    st.stop()

# A national-total row (全国, Total …) is not a region: offer to leave it out.
totals = state.total_rows(panel)
if totals:
    st.warning(
        t("data.totals", names=", ".join(verbatim(n) for n in totals), n=len(totals)),
        icon=":material/functions:",
    )
    state.default("w.data.exclude", [], None)
    if any(n not in totals for n in st.session_state["w.data.exclude"]):
        st.session_state["w.data.exclude"] = []
    excluded = st.multiselect(
        t("data.exclude"),
        totals,
        key="w.data.exclude",
        help=t("data.exclude.help"),
        placeholder=t("common.choose"),
    )
    if excluded:
        config = config._replace(exclude=tuple(excluded))
        ok, panel = state.attempt(state.source_panel, source, config)
        if not ok:
            st.session_state.pop("panel.config", None)
            st.stop()

st.session_state["panel.config"] = config
state.register_bytes(source)
state.ensure_spec(source, panel, config)
state.spec_note()

# Every cell the index reads: a non-number is named here (file, sheet, row, column).
names = state.spec_names()
ok, gaps = state.attempt(state.panel_gaps, source, config, names)
if not ok:
    st.stop()

n_indicators = len(names)
cols = st.columns(4)
cols[0].metric(t("data.metric.regions"), len(panel.regions))
cols[1].metric(t("data.metric.years"), len(panel.years))
cols[2].metric(t("data.metric.rows"), panel.height)
cols[3].metric(t("data.metric.indicators"), n_indicators)
if gaps.height:
    info = IndexOptions.info("missing")
    st.warning(
        t(
            "data.gaps",
            n=gaps.height,
            total=panel.height,
            option=info.title(state.current_language()),
        ),
        icon=":material/warning:",
    )
    with st.expander(t("data.gaps.list", n=gaps.height)):
        state.table(gaps, "df.data.gaps")
balanced = panel.height == len(panel.regions) * len(panel.years)
shown_name = verbatim(source.name)
if sheet is not None:
    shown_name = t("data.sheet.of", name=shown_name, sheet=verbatim(sheet))
st.success(
    t(
        "data.ready",
        name=shown_name,
        regions=len(panel.regions),
        first=panel.years[0],
        last=panel.years[-1],
    )
    + ("" if balanced else " " + t("data.unbalanced")),
    icon=":material/check_circle:",
)
st.caption(t("data.next"))
