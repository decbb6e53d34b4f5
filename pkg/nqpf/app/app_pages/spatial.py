"""Spatial page: spatial weights, global and local spatial autocorrelation, LISA and hot-spot maps.

Widget keys: ``w.spa.w.*`` (the weights), ``w.spa.opt.*`` (:class:`nqpf.options.SpatialOptions`),
``w.spa.value``, ``w.spa.seed``, ``w.spa.year``; ``up.spa.weights``, ``btn.spa.crossval``.
The chosen weights' key is ``spatial.weights`` (:mod:`nqpf.app.runs.spatial`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import streamlit as st

from nqpf.app import charts, state, widgets
from nqpf.app.i18n import current_language, t
from nqpf.app.runs import spatial as runs
from nqpf.app.verbatim import verbatim
from nqpf.options import SpatialOptions
from nqpf.spatial.builders import (
    BUILTIN_DEFAULTS,
    BUILTIN_KINDS,
    GEODA_SUFFIXES,
    GEOMETRY_SUFFIXES,
)

#: The fewest of the data's regions that must be Chinese provinces for the built-in weights.
MIN_PROVINCES = 3
#: Below this many regions the page warns that the tests have little power (the usual
#: rule of thumb of the spatial literature; docs/methods.md §8).
FEW_REGIONS = 30

st.header(t("spa.title"))
st.caption(t("spa.intro"))

index_key, result = state.require_index()
region, year = result.region, result.year
scores = result.scores
regions = tuple(str(r) for r in scores.get_column(region).unique(maintain_order=True).to_list())
score = state.output_column(result, "score")
values = [score, *state.dimension_columns(result).values()]
value = state.choose(
    t("spa.value"),
    values,
    "w.spa.value",
    score,
    where=st.columns([2, 3])[0],
    help=t("spa.value.help"),
)


# ----------------------------------------------------------------- weights
def weights_key() -> runs.WeightsKey | None:
    """The weights the user chose (None while an upload is missing). The built-in
    weights are offered when the data's regions are Chinese provinces (at least
    3 of them are: a stray name, such as a national total, is then named by the weights)."""
    provinces = sum(m is not None for m in runs.provinces(regions).values())
    kinds = [*BUILTIN_KINDS, runs.UPLOAD] if provinces >= MIN_PROVINCES else [runs.UPLOAD]
    if len(kinds) == 1:
        st.info(t("spa.w.builtin_only"), icon=":material/info:")
    left, middle, right = st.columns([2, 1, 1])
    kind = state.choose(
        t("spa.w.kind"),
        kinds,
        "w.spa.w.kind",
        kinds[0],
        where=left,
        format_func=lambda k: t(f"spa.w.kind.{k}"),
        help=t("spa.w.kind.help"),
    )
    if kind == runs.UPLOAD:
        return upload_key(middle, right)
    params: dict[str, Any] = {}
    if kind == "contiguity":
        state.default("w.spa.w.link_islands", BUILTIN_DEFAULTS["link_islands"])
        params["link_islands"] = middle.checkbox(
            t("spa.w.link_islands"), key="w.spa.w.link_islands", help=t("spa.w.link_islands.help")
        )
    elif kind == "knn":
        state.default("w.spa.w.k", BUILTIN_DEFAULTS["k"])
        params["k"] = int(
            middle.number_input(
                t("spa.w.k"),
                min_value=1,
                max_value=max(1, len(regions) - 1),
                step=1,
                key="w.spa.w.k",
            )
        )
    elif kind == "inverse_distance":
        state.default("w.spa.w.power", BUILTIN_DEFAULTS["power"])
        params["power"] = float(
            middle.number_input(t("spa.w.power"), min_value=0.1, step=0.5, key="w.spa.w.power")
        )
    else:
        state.default("w.spa.w.threshold", BUILTIN_DEFAULTS["threshold"])
        params["threshold"] = float(
            middle.number_input(
                t("spa.w.threshold"), min_value=1.0, step=100.0, key="w.spa.w.threshold"
            )
        )
    return runs.WeightsKey(kind, regions, **params)


def upload_key(middle: Any, right: Any) -> runs.WeightsKey | None:
    """The key of an uploaded weights file (edge list, matrix or polygons)."""
    file = st.file_uploader(
        t("spa.w.upload"),
        type=[
            "csv",
            "txt",
            "tsv",
            "xlsx",
            "parquet",
            *(s.lstrip(".") for s in (*GEOMETRY_SUFFIXES, *GEODA_SUFFIXES)),
        ],
        key="up.spa.weights",
        help=t("spa.w.upload.help"),
    )
    if file is not None:
        source = state.Source.of(file.name, file.getvalue())
        st.session_state["spa.upload"] = source
    source = st.session_state.get("spa.upload")
    if source is None:
        st.info(t("spa.w.need_upload"), icon=":material/upload_file:")
        return None
    state.register_bytes(source)
    polygons = Path(source.name).suffix.lower() in GEOMETRY_SUFFIXES
    id_column = rule = None
    if polygons:
        state.default("w.spa.w.id", "")
        id_column = middle.text_input(t("spa.w.id"), key="w.spa.w.id", help=t("spa.w.id.help"))
        rule = state.choose(
            t("spa.w.rule"),
            ["queen", "rook"],
            "w.spa.w.rule",
            "queen",
            where=right,
            format_func=lambda r: t(f"spa.w.rule.{r}"),
        )
    st.caption(t("spa.w.file", name=verbatim(source.name)))
    return runs.WeightsKey(
        runs.UPLOAD,
        regions,
        digest=source.digest,
        name=source.name,
        id=(id_column or "").strip() or None,
        rule=rule or "queen",
    )


def weights_about(w: Any, key: runs.WeightsKey) -> str:
    """What the weights are, in the app's language: the library's own description in
    English (``w.source``, its provenance), the page's choices in Chinese (the library
    writes its description in English only)."""
    if current_language() != "zh":
        return verbatim(w.source)
    if key.kind == runs.UPLOAD:
        detail = t("spa.w.file", name=verbatim(key.name or ""))
    elif key.kind == "contiguity":
        detail = t("spa.w.about.linked" if key.link_islands else "spa.w.about.island")
    elif key.kind == "knn":
        detail = f"{t('spa.w.k')} = {key.k}"
    elif key.kind == "inverse_distance":
        detail = f"{t('spa.w.power')} = {key.power:g}"
    else:
        detail = f"{t('spa.w.threshold')} = {key.threshold:g}"
    return t("spa.w.about", kind=t(f"spa.w.kind.{key.kind}"), detail=detail, n=w.n)


def weights_summary(w: Any, key: runs.WeightsKey) -> None:
    """What the weights hold: regions, links, islands (warned), and each region's neighbours."""
    cards = w.cardinalities
    links = sum(cards.values())
    cols = st.columns(3)
    cols[0].metric(t("spa.w.regions"), w.n)
    cols[1].metric(t("spa.w.links"), links)
    cols[2].metric(t("spa.w.islands"), len(w.islands))
    st.caption(weights_about(w, key))
    if w.islands:
        st.warning(
            t("spa.w.islands.warn", names=verbatim("、".join(w.islands))), icon=":material/warning:"
        )
    if w.n < FEW_REGIONS:
        st.warning(t("spa.w.few", n=w.n), icon=":material/warning:")
    with st.expander(t("spa.w.table"), expanded=False):
        table = pl.DataFrame(
            {
                region: list(w.ids),
                t("spa.w.col.count"): [cards[i] for i in w.ids],
                t("spa.w.col.neighbours"): [", ".join(w.neighbours[i]) for i in w.ids],
            }
        )
        state.table(table, "df.spa.neighbours")


st.subheader(t("spa.weights"))
wkey = weights_key()
if wkey is None:
    st.session_state["spatial.weights"] = None
    st.stop()
ok, w = state.attempt(runs.weights, wkey)
if not ok:
    st.session_state["spatial.weights"] = None
    st.stop()
st.session_state["spatial.weights"] = wkey
weights_summary(w, wkey)


# ----------------------------------------------------------------- options
#: The label cells of the local tables (HH … "not significant", "hot", "cold"), as shown.
LABELS = ("HH", "LH", "LL", "HL", "not significant", "hot", "cold")


def labelled(table: pl.DataFrame, *columns: str) -> pl.DataFrame:
    """``table`` with its label cells in the app's language (display only: the published
    table keeps the library's English labels, as the report's data do)."""
    names = {label: t(f"spa.cell.{label.replace(' ', '_')}") for label in LABELS}
    return table.with_columns(
        pl.col(c).replace_strict(names, default=pl.col(c), return_dtype=pl.String) for c in columns
    )


#: The selectbox value of a nullable choice's None ("each statistic's own default"): a
#: selectbox shows a None value as no choice at all.
OWN = "own"


def nullable_choice(name: str, where: Any) -> Any:
    """A nullable choice option of SpatialOptions (style, alternative): :data:`OWN` is its
    None, "each statistic's own default" (the declaration's None), then the declared
    choices; returns the option's value (None for OWN)."""
    from nqpf.app.i18n import current_language

    info = SpatialOptions.info(name)
    offered = [OWN, *info.choices]
    labels = {c: widgets.choice_label(info, c) for c in info.choices} | {OWN: t("spa.own")}
    chosen = state.choose(
        info.title(current_language()),
        offered,
        f"w.spa.opt.{name}",
        OWN if info.default is None else info.default,
        where=where,
        format_func=labels.__getitem__,
        help=info.text(current_language()),
    )
    return None if chosen == OWN else chosen


def spatial_options() -> tuple[tuple[str, Any], ...] | None:
    """The options of SpatialOptions as chosen (None, after one line, when invalid)."""
    with st.container(border=True):
        st.markdown(f"**{t('spa.options')}**")
        row = st.columns(4)
        chosen: dict[str, Any] = {}
        chosen["permutations"] = widgets.option_widget(
            SpatialOptions.info("permutations"), "w.spa.opt.permutations", row[0]
        )
        chosen["style"] = nullable_choice("style", row[1])
        chosen["alternative"] = nullable_choice("alternative", row[2])
        chosen["alpha"] = widgets.option_widget(
            SpatialOptions.info("alpha"), "w.spa.opt.alpha", row[3]
        )
        row = st.columns(4)
        chosen["islands"] = widgets.option_widget(
            SpatialOptions.info("islands"), "w.spa.opt.islands", row[0]
        )
        state.default("w.spa.seed", runs.SEED)
        chosen["seed"] = int(
            row[1].number_input(
                t("spa.seed"), min_value=0, step=1, key="w.spa.seed", help=t("spa.seed.help")
            )
        )
        chosen["randomisation"] = widgets.option_widget(
            SpatialOptions.info("randomisation"), "w.spa.opt.randomisation", row[2]
        )
        chosen["star"] = widgets.option_widget(
            SpatialOptions.info("star"), "w.spa.opt.star", row[3]
        )
    if widgets.make_options(SpatialOptions, chosen) is None:
        return None
    return tuple(sorted(chosen.items()))


options = spatial_options()
if options is None:
    st.stop()
alpha = dict(options)["alpha"]

# ------------------------------------------------------------------ global
st.subheader(t("spa.global"))
with st.spinner(t("common.computing")):
    ok, found = state.attempt(runs.global_stats, index_key, value, wkey, options)
if ok:
    tabs = st.tabs([t(f"spa.stat.{name}") for name in runs.GLOBAL])
    for tab, (name, res) in zip(tabs, found.items(), strict=True):
        with tab:
            statistic = res.columns[res.statistic]
            state.chart(
                charts.spatial_global_chart(res.table, year, statistic, alpha),
                f"ch.spa.{name}",
            )
            state.table(res.table, f"df.spa.{name}", empty=t("spa.empty"))
            state.publish(f"spa_{name}", res.table)

# ------------------------------------------------------------------- local
st.subheader(t("spa.local"))
with st.spinner(t("common.computing")):
    ok, local = state.attempt(runs.local_stats, index_key, value, wkey, options)
if ok:
    lisa, gi = local
    state.publish("spa_local_moran", lisa.table)
    state.publish("spa_local_g", gi.table)
    years = sorted(lisa.table.get_column(year).unique().to_list())
    chosen_year = state.choose(
        t("spa.year"), years, "w.spa.year", years[-1], where=st.columns([1, 4])[0]
    )
    lisa_year = lisa.table.filter(pl.col(year) == chosen_year)
    gi_year = gi.table.filter(pl.col(year) == chosen_year)
    geometry: Any = "china-provinces"
    if wkey.digest and wkey.name and Path(wkey.name).suffix.lower() in GEOMETRY_SUFFIXES:
        # the maps draw the uploaded polygons
        geometry = runs.geometry(wkey.digest, state._bytes_of(wkey.digest), wkey.name)
    permuted = dict(options)["permutations"] > 0
    # one map a tab, each at its own size (two side by side would squeeze their downloads)
    left, right = st.tabs([t("spa.tab.lisa"), t("spa.tab.hotspot")])
    lisa_chart = charts.lisa_map(
        lisa_year, lisa.columns["cluster"], region, geometry, alpha, chosen_year
    )
    state.attempt(state.chart, lisa_chart, "ch.spa.lisa", where=left)
    p_column = gi.columns["p_sim"] if permuted else None
    # the library leaves z null where Gi's variance is 0 (each region neighbouring all
    # others, as dense weights do): with no z at all there is no map to draw
    z_defined = gi_year.get_column(gi.columns["z"]).is_not_null().any()
    hot_chart = charts.hotspot_map(
        gi_year, gi.columns["z"], p_column, region, geometry, chosen_year
    )
    if z_defined:
        state.attempt(state.chart, hot_chart, "ch.spa.hotspot", where=right)
    else:
        right.info(t("spa.map.hotspot.undefined"), icon=":material/info:")
    if not permuted:
        st.caption(t("spa.no_permutations"))
    st.markdown(f"**{t('spa.table.lisa', year=chosen_year)}**")
    state.table(
        labelled(lisa_year, lisa.columns["quadrant"], lisa.columns["cluster"]),
        "df.spa.local_moran",
        empty=t("spa.empty"),
    )
    st.markdown(f"**{t('spa.table.gi', year=chosen_year)}**")
    state.table(labelled(gi_year, gi.columns["spot"]), "df.spa.local_g", empty=t("spa.empty"))

# ----------------------------------------------------------------- R check
if state.optional("crossval", "validate_spatial") is not None:
    with st.expander(t("spa.r"), expanded=False):
        st.caption(t("spa.r.help"))
        if st.button(t("spa.r.run"), key="btn.spa.crossval", icon=":material/play_arrow:"):
            with st.spinner(t("spa.r.running")):
                ok, report = state.attempt(runs.crossval, index_key, value, wkey)
            if ok:
                st.session_state["spa.crossval"] = ((index_key, value, wkey), report)
        stored = st.session_state.get("spa.crossval")
        if stored is not None:
            from nqpf.app import crossval_view

            if stored[0] != (index_key, value, wkey):
                st.warning(t("spa.r.stale"), icon=":material/update:")
            report = stored[1]
            crossval_view.outcome(report, "spa", "df.spa.crossval", empty=t("cv.empty"))
            state.publish("spa_crossval", report)

# --------------------------------------------------------------- guidance
with st.expander(t("spa.about"), expanded=False):
    st.markdown(t("spa.about.weights"))
    st.latex(
        r"I = \frac{n}{S_0}\,\frac{\sum_i\sum_j w_{ij} z_i z_j}{\sum_i z_i^2},\quad E[I] = -\frac{1}{n-1}"
    )
    st.latex(r"C = \frac{(n-1)\sum_i\sum_j w_{ij}(x_i-x_j)^2}{2 S_0 \sum_i z_i^2},\quad E[C] = 1")
    st.latex(r"G = \frac{\sum_i\sum_{j} w_{ij} x_i x_j}{\sum_i\sum_{j\neq i} x_i x_j}")
    st.markdown(t("spa.about.global"))
    st.latex(r"I_i = \frac{z_i}{m_2}\sum_j w_{ij} z_j,\quad m_2 = \frac{1}{n}\sum_i z_i^2")
    st.latex(
        r"z(G_i^*) = \frac{\sum_j w_{ij} x_j - \bar{x} W_i}"
        r"{s\sqrt{\left(n\sum_j w_{ij}^2 - W_i^2\right)/(n-1)}}"
    )
    st.markdown(t("spa.about.local"))
    st.markdown(t("spa.about.warnings"))
    st.markdown(t("spa.about.refs"))
