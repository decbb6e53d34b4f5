"""The "Python against R" section of the Compare page.

:func:`nqpf.crossval.compare` recomputes every number of the current index run
— the Index page's, or configuration A or B of the Compare page, as the user chooses —
(and of its Dagum decomposition, when one was run on that index) with R
routines and nqpf's base-R reference; the page shows its table with pass/fail
marks and which R routines this machine has. R starts only when the user presses
the button: starting it takes a second or two. Without the crossval module (or
before an index run) the button lists the R routines only.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from nqpf.app import state
from nqpf.app.i18n import current_language, t

MARK = "✓"


def mark_report(report: pl.DataFrame) -> pl.DataFrame:
    """The report with a leading result column: pass, FAIL, or skipped (ok null)."""
    if "ok" not in report.columns:
        return report
    mark = (
        pl.when(pl.col("ok").is_null())
        .then(pl.lit(t("cv.mark.skip")))
        .when(pl.col("ok"))
        .then(pl.lit(t("cv.mark.pass")))
        .otherwise(pl.lit(t("cv.mark.fail")))
        .alias(MARK)
    )
    return report.select(mark, pl.all())


def mark_routines(routines: pl.DataFrame) -> pl.DataFrame:
    if "status" not in routines.columns:
        return routines
    mark = (
        pl.when(pl.col("status") == "ok")
        .then(pl.lit(t("cv.mark.present")))
        .otherwise(pl.lit(t("cv.mark.missing")))
        .alias(MARK)
    )
    return routines.select(mark, pl.all())


def outcome(report: pl.DataFrame, prefix: str, key: str, *, empty: str | None = None) -> None:
    """A page's R check as the page shows it: one line (all agree, some disagree, all
    skipped: the texts ``<prefix>.r.agree``/``.disagree``/``.skipped``), then the marked
    table under ``key``."""
    compared = report.filter(pl.col("ok").is_not_null()) if "ok" in report.columns else report
    if compared.height and bool(compared.get_column("ok").all()):
        st.success(t(f"{prefix}.r.agree", n=compared.height), icon=":material/check_circle:")
    elif compared.height:
        st.error(t(f"{prefix}.r.disagree"), icon=":material/error:")
    else:
        st.info(t(f"{prefix}.r.skipped"), icon=":material/info:")
    state.table(mark_report(shown(report)), key, column_config=SCIENTIFIC, empty=empty)


def shown(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` (the R check's report or its routines) as the page shows it: in Chinese
    mode its ``status`` cells (:func:`nqpf.translations.cell`) and its ``note`` and
    ``reason`` cells (:func:`nqpf.error_translations.note`) translated. Display only: the
    published table (Export page) keeps the English keys, as the report's data do."""
    from nqpf.error_translations import note
    from nqpf.translations import cell

    language = current_language()
    if language != "zh":
        return frame
    columns = []
    if "status" in frame.columns:
        values = frame.get_column("status").drop_nulls().unique().to_list()
        names = {v: cell("status", v, language) or v for v in values}
        columns.append(pl.col("status").replace_strict(names, default=pl.col("status")))
    for name in ("note", "reason"):
        if name in frame.columns:
            values = frame.get_column(name).drop_nulls().unique().to_list()
            texts = {v: note(v, language) for v in values}
            columns.append(pl.col(name).replace_strict(texts, default=pl.col(name)))
    return frame.with_columns(columns) if columns else frame


#: Differences and tolerances read best in scientific notation.
SCIENTIFIC = {
    name: st.column_config.NumberColumn(name, format="%.2e")
    for name in ("abs_diff", "rel_diff", "tolerance")
}


#: The runs the R check can check: the Index page's, or configuration A or B of the
#: Compare page (session-state key of the stored run, position of the IndexKey in it).
TARGETS = {"index": ("run.index", None), "a": ("run.compare", 0), "b": ("run.compare", 1)}


def targets() -> list[str]:
    """The runs there are to check, in :data:`TARGETS` order."""
    return [n for n, (key, _) in TARGETS.items() if st.session_state.get(key) is not None]


def target_key(target: str) -> state.IndexKey | None:
    """The index run the check of ``target`` recomputes."""
    key, position = TARGETS[target]
    stored = st.session_state.get(key)
    return stored if position is None or stored is None else stored[position]


def _run(target: str | None) -> None:
    """The button's action: the crossval report of the chosen run (with the Disparity
    page's decomposition when it was made on that run), or the routine list alone.

    The report is stored with the inputs it came from (:class:`nqpf.app.state.Published`):
    the checked run, the decomposition when it was included, and the choice of run.
    """
    compare = state.optional("crossval", "compare")
    index_key = target_key(target) if target is not None else None
    st.session_state.pop("cv.report", None)
    if compare is not None and index_key is not None:
        dagum_key = st.session_state.get("run.dagum")
        run_key = TARGETS[target][0]  # type: ignore[index]
        inputs = {run_key: st.session_state[run_key], "w.cv.target": target}
        if dagum_key is not None and dagum_key.index == index_key:
            inputs["run.dagum"] = dagum_key  # crossval_panel includes it only then
        ok, report = state.attempt(state.run_crossval, compare, index_key, dagum_key)
        if ok:
            st.session_state["cv.routines"] = report.routines
            st.session_state["cv.report"] = (inputs, report.tables()["checks"])
            return
    ok, routines = state.attempt(state.r_routines)
    st.session_state["cv.routines"] = routines if ok else None


def render() -> None:
    st.subheader(t("cv.title"))
    st.caption(t("cv.intro"))
    if state.optional("rbridge", "routines") is None:
        st.info(t("common.not_available", module="nqpf.rbridge"), icon=":material/hourglass_empty:")
        return
    choices = targets()
    target = None
    if state.optional("crossval", "compare") is None:
        st.info(
            t("common.not_available", module="nqpf.crossval"), icon=":material/hourglass_empty:"
        )
    elif not choices:
        st.info(t("common.need_index"), icon=":material/info:")
    else:
        target = state.choose(
            t("cv.target"),
            choices,
            "w.cv.target",
            choices[0],
            format_func=lambda v: t(f"cv.target.{v}"),
            radio=True,
        )
    if st.button(t("cv.run"), key="btn.crossval", icon=":material/fact_check:"):
        with st.spinner(t("cv.running")):
            _run(target)

    stored = st.session_state.get("cv.report")
    if stored is not None:
        inputs, report = stored
        st.caption(t("cv.checked", run=t(f"cv.target.{inputs['w.cv.target']}")))
        if state.changed_inputs(inputs):
            st.warning(t("cv.stale"), icon=":material/update:")
        compared = report.filter(pl.col("status") == "compared")
        failed = int((~compared.get_column("ok")).sum())
        skipped = report.height - compared.height
        if failed:
            st.error(
                t("cv.failed", failed=failed, n=compared.height, skipped=skipped),
                icon=":material/error:",
            )
        else:
            st.success(
                t("cv.passed", n=compared.height, skipped=skipped), icon=":material/check_circle:"
            )
        state.table(
            shown(mark_report(report)),
            "df.crossval",
            column_config=SCIENTIFIC,
            empty=t("cv.empty"),
        )
        state.publish("crossval", report, inputs=inputs)

    routines = st.session_state.get("cv.routines")
    if routines is not None:
        present = int((routines.get_column("status") == "ok").sum())
        st.markdown(f"**{t('cv.routines', ok=present, n=routines.height)}**")
        state.table(shown(mark_routines(routines)), "df.routines", empty=t("cv.empty"))
        state.publish("r_routines", routines, inputs={})
