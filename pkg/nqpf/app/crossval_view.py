"""The "Python against R" section of the Compare page.

Shows which R routines this machine has (:func:`nqpf.rbridge.routines`) and the
quantity-by-quantity report of :func:`nqpf.crossval.compare` for the current
index run (and decomposition, when there is one), with pass/fail marks. R starts
only when the user presses the button: starting it takes a second or two.
"""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from nqpf.app import state
from nqpf.app.i18n import t


def mark_report(report: pl.DataFrame) -> pl.DataFrame:
    """The report with a leading ✅/❌/– column (ok true / false / not compared)."""
    if "ok" not in report.columns:
        return report
    mark = (
        pl.when(pl.col("ok").is_null())
        .then(pl.lit("–"))
        .when(pl.col("ok"))
        .then(pl.lit("✅"))
        .otherwise(pl.lit("❌"))
        .alias("✓")
    )
    return report.select(mark, pl.all())


def mark_routines(routines: pl.DataFrame) -> pl.DataFrame:
    if "status" not in routines.columns:
        return routines
    mark = pl.when(pl.col("status") == "ok").then(pl.lit("✅")).otherwise(pl.lit("–")).alias("✓")
    return routines.select(mark, pl.all())


def _run_crossval(compare: Any) -> pl.DataFrame:
    """Call :func:`nqpf.crossval.compare` on the current index run (and Dagum run)."""
    run = state.index_run()
    if run is None:
        raise ValueError("no index run")
    key, result = run
    panel = state.source_panel(state.current_source(), key.config)
    spec = state.spec_from_records(key.spec)
    options = dict(key.options)
    kwargs: dict[str, Any] = {}
    dagum_key = st.session_state.get("run.dagum")
    if dagum_key is not None and dagum_key.index == key:
        frame, group, by = state.dagum_frame(dagum_key)
        kwargs.update(dagum_frame=frame, group=group, by=by, weights=dagum_key.weights)
    return state.call_crossval(compare, panel, spec, options, result, **kwargs)


def render() -> None:
    st.subheader(t("cv.title"))
    st.caption(t("cv.intro"))
    rbridge_available = state.optional("rbridge", "available")
    compare = state.optional("crossval", "compare")
    if rbridge_available is None:
        st.info(t("common.not_available", module="nqpf.rbridge"), icon=":material/hourglass_empty:")
        return
    if compare is None:
        st.info(
            t("common.not_available", module="nqpf.crossval"), icon=":material/hourglass_empty:"
        )
    need_index = "run.index" not in st.session_state
    if need_index and compare is not None:
        st.info(t("common.need_index"), icon=":material/info:")
    if st.button(t("cv.run"), key="btn.crossval", icon=":material/fact_check:"):
        with st.spinner(t("cv.running")):
            routines = state.optional("rbridge", "routines")
            ok, table = state.attempt(routines)
            st.session_state["cv.routines"] = table if ok else None
            st.session_state.pop("cv.report", None)
            if compare is not None and not need_index and rbridge_available():
                ok, report = state.attempt(_run_crossval, compare)
                if ok:
                    st.session_state["cv.report"] = (st.session_state.get("run.index"), report)
    routines_table = st.session_state.get("cv.routines")
    if routines_table is not None:
        present = (
            int((routines_table.get_column("status") == "ok").sum())
            if "status" in routines_table.columns
            else 0
        )
        st.markdown(f"**{t('cv.routines', ok=present, n=routines_table.height)}**")
        state.table(mark_routines(routines_table), "df.routines")
        state.publish("r_routines", routines_table)
    stored = st.session_state.get("cv.report")
    if stored is not None:
        run_key, report = stored
        if run_key != st.session_state.get("run.index"):
            st.warning(t("cv.stale"), icon=":material/update:")
        if "ok" in report.columns:
            compared = report.filter(pl.col("ok").is_not_null())
            failed = int((~compared.get_column("ok")).sum())
            if failed:
                st.error(t("cv.failed", failed=failed, n=compared.height), icon=":material/error:")
            else:
                st.success(t("cv.passed", n=compared.height), icon=":material/check_circle:")
        state.table(mark_report(report), "df.crossval")
        state.publish("crossval", report)
