"""The Index and Compare pages' inputs for the index options that a generic widget cannot
give (:data:`nqpf.app.state.SPECIAL_INDEX_OPTIONS`, declared ``app=False``):

* ``ahp_matrix``: an uploaded CSV/XLSX pairwise-comparison matrix (or the numbers of an
  opened project file), read by the library (:func:`nqpf.index.read_ahp_matrix`) in the
  spec's order, with its consistency
  (:func:`nqpf.index.ahp_index_result`: λmax, CI, CR; CR > 0.1 is one line unless
  "Accept CR > 0.1" is ticked);
* ``ideal_point`` / ``anti_ideal_point``: a small table of the spec's indicators, a
  given point per indicator in its own units (empty: the ideal rule applies);
* ``weights`` given by the user ("Given weights"): a table of the spec's indicators
  (indicator, dimension, weight), started from the last index run's weights (equal
  weights before one, or when that run's were by year or of other indicators); the
  index runs with ``weights={indicator: weight}`` (:func:`nqpf.app.state.given_weights`)
  and the method and its options are greyed out (:func:`given_options`). The weights
  are passed as typed: the library checks them (:func:`nqpf.index.user_index_weights`:
  one per indicator, finite, non-negative, not all 0; its one line under the table)
  and divides them by their sum.

Both pages call :func:`special_inputs` (and :func:`given_options`) with their widget prefix (``w.idx.``,
``w.cmp.a.``, ``w.cmp.b.``), so the two pages offer the same inputs. The values live
in session state (:func:`nqpf.app.state.special_index_options` reads them back), so
that they survive a page switch. No statistics here.
"""

from __future__ import annotations

import hashlib
from typing import Any

import polars as pl
import streamlit as st

from nqpf.app import state
from nqpf.app.i18n import current_language, t
from nqpf.app.verbatim import verbatim
from nqpf.errors import InputError
from nqpf.options import IndexOptions

POINTS = ("ideal_point", "anti_ideal_point")


def _short(prefix: str) -> str:
    """``w.cmp.a.`` → ``cmp.a.`` (for keys that are not persisted widget values)."""
    return prefix.removeprefix(state.PERSIST_PREFIX)


def spec_names() -> list[str]:
    return [r[0] for r in state.spec_records() if r[0] is not None]


def special_inputs(prefix: str, values: dict[str, Any], where: Any = None) -> tuple[dict, bool]:
    """The AHP upload (when AHP weights are used) and the given points of the options
    under ``prefix`` (``values``: the generic widgets' values). Returns the special
    options (:func:`nqpf.app.state.special_index_options`) and whether they are usable
    (False after a message in the page)."""
    where = where or st
    usable = _weights_input(prefix, where)
    members = values.get("combine") or ()
    if usable is None and "ahp" in (
        values.get("weights"),
        *(members if values.get("weights") == "combined" else ()),
    ):
        usable = _ahp_input(prefix, values, where)
    _points_input(prefix, where)
    return state.special_index_options(prefix, values), usable is not False


def given_options(prefix: str) -> dict[str, Any]:
    """The options under ``prefix`` that the page's own inputs give instead of their
    widgets (:func:`nqpf.app.widgets.option_widgets`' ``given``): ``weights`` while
    "Given weights" is ticked. The value stands for any user weights — which options act
    depends on the weights being the user's, not on their numbers
    (:meth:`nqpf.options.IndexOptions.to_dict`) — so the method's options stay greyed
    out while a weight is being corrected."""
    if st.session_state.get(state.given_weights_key(prefix)):
        return {"weights": state.GivenWeights()}
    return {}


def _weights_editor_key(prefix: str) -> str:
    return "ed." + _short(prefix) + "weights"


def _cell(value: Any) -> float | None:
    """A stored weight as a table cell: a number, else empty (a project's text or list
    is kept as it is for the library's message, :func:`nqpf.app.state.weights_raw_key`)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _weights_base(prefix: str, records: Any) -> pl.DataFrame:
    """The table's rows: the spec's indicators, their dimensions, the stored weights (a
    project's weights that do not fit: those that can be placed, by name or position)."""
    names = [r[0] for r in records if r[0] is not None]
    dimensions = [r[1] for r in records if r[0] is not None]
    raw = st.session_state.get(state.weights_raw_key(prefix))
    if isinstance(raw, list | tuple):
        weights = [_cell(raw[i]) if i < len(raw) else None for i in range(len(names))]
    else:
        given = raw if raw is not None else st.session_state.get(state.weights_store_key(prefix))
        weights = [_cell((given or {}).get(n)) for n in names]
    return pl.DataFrame(
        {"indicator": names, "dimension": dimensions, "weight": weights},
        schema={"indicator": pl.String, "dimension": pl.String, "weight": pl.Float64},
    )


def _start_weights(names: list[str]) -> dict[str, float]:
    """The weights a new table starts from: the last index run's, when it has one weight
    per indicator of the spec (``scope="panel"``); equal weights otherwise."""
    key = st.session_state.get("run.index")
    try:
        result = state.compute_index(key) if key is not None else None
    except InputError:  # the Index page says why
        result = None
    if result is not None:
        table = result.weights
        last = dict(zip(table["indicator"].to_list(), table["weight"].to_list(), strict=True))
        if table.height == len(names) and set(last) == set(names):
            return {n: float(last[n]) for n in names}
    return dict.fromkeys(names, 1 / len(names))


def _weights_input(prefix: str, where: Any) -> bool | None:
    """The "Given weights" checkbox and, when it is ticked, the table of weights and the
    library's check of them: None when the weights are not given, else whether they can
    be used (False after the library's one line under the table).

    The table is kept as the given points' is (:func:`_points_input`): a base in session
    state while its edits live, the values in :func:`nqpf.app.state.weights_store_key`.
    """
    key = state.given_weights_key(prefix)
    state.default(key, False)
    on = where.checkbox(t("idx.weights.given"), key=key, help=t("idx.weights.given.help"))
    records = [r for r in state.spec_records() if r[0] is not None]
    names = [r[0] for r in records]
    if not on or not names:
        return None
    store_key, raw_key = state.weights_store_key(prefix), state.weights_raw_key(prefix)
    if store_key not in st.session_state and raw_key not in st.session_state:
        st.session_state[store_key] = _start_weights(names)
    base_key, editor_key = store_key + "base", _weights_editor_key(prefix)
    base = st.session_state.get(base_key)
    if editor_key not in st.session_state or base is None or base["indicator"].to_list() != names:
        base = st.session_state[base_key] = _weights_base(prefix, records)
    where.caption(t("idx.weights.help"))
    edited = where.data_editor(
        base,
        key=editor_key,
        hide_index=True,
        num_rows="fixed",
        width="stretch",
        placeholder="",  # an emptied cell blank, not "None"
        disabled=["indicator", "dimension"],
        column_config={
            "indicator": st.column_config.TextColumn(t("col.indicator")),
            "dimension": st.column_config.TextColumn(t("col.dimension")),
            "weight": st.column_config.NumberColumn(t("col.weight"), format="%.6f"),
        },
    )
    rows = pl.DataFrame(edited) if not isinstance(edited, pl.DataFrame) else edited
    edits = st.session_state.get(editor_key) or {}
    if raw_key not in st.session_state or edits.get("edited_rows"):
        st.session_state[store_key] = {
            row["indicator"]: _number(row["weight"]) for row in rows.iter_rows(named=True)
        }
        st.session_state.pop(raw_key, None)
    with where.container():
        ok, _ = state.attempt(_check_weights, prefix, names)
    return ok


def _check_weights(prefix: str, names: list[str]) -> None:
    """The library's checks of the given weights: the option's (numbers, finite,
    non-negative) and the index's against the spec (one per indicator, not all 0)."""
    from nqpf.index import user_index_weights

    user_index_weights(IndexOptions(weights=state.given_weights(prefix)), names)


def _store_upload(prefix: str) -> None:
    """The uploader's callback: keep the file (or forget it when it was removed)."""
    uploaded = st.session_state.get("up." + _short(prefix) + "ahp_matrix")
    key = state.ahp_file_key(prefix)
    if uploaded is None:
        st.session_state.pop(key, None)
        return
    data = uploaded.getvalue()
    st.session_state[key] = (uploaded.name, hashlib.sha256(data).hexdigest(), data)


def _ahp_input(prefix: str, values: dict[str, Any], where: Any) -> bool:
    """The AHP matrix upload and its consistency; False when it is missing or unusable."""
    info = IndexOptions.info("ahp_matrix")
    language = current_language()
    where.file_uploader(
        info.title(language),
        type=["csv", "tsv", "txt", "xlsx", "xlsm"],
        key="up." + _short(prefix) + "ahp_matrix",
        help=info.text(language),
        on_change=_store_upload,
        args=(prefix,),
    )
    stored = st.session_state.get(state.ahp_file_key(prefix))
    if stored is None:
        where.info(t("idx.ahp.missing"), icon=":material/upload_file:")
        return False
    opened = stored[1] is None  # the numbers of an opened project, not a file
    where.caption(t("idx.ahp.project" if opened else "idx.ahp.file", name=verbatim(stored[0])))
    with where.container():
        ok, matrix = state.attempt(state.ahp_matrix, prefix)
        if not ok:
            return False
        options = IndexOptions(
            weights="ahp",
            ahp_matrix=matrix,
            ahp_allow_inconsistent=bool(values.get("ahp_allow_inconsistent")),
        )
        from nqpf.index import ahp_index_result

        ok, result = state.attempt(ahp_index_result, options, spec_names())
    if not ok:
        return False
    cols = where.columns(3)
    cols[0].metric("λmax", f"{result.lambda_max:.4f}")
    cols[1].metric("CI", f"{result.ci:.4f}")
    cols[2].metric("CR", f"{result.cr:.4f}", help=t("idx.ahp.cr.help"))
    return True


def _points_key(prefix: str) -> str:
    return "pts." + _short(prefix)


def _points_editor_key(prefix: str) -> str:
    return "ed." + _short(prefix) + "points"


def _points_base(prefix: str, names: list[str]) -> pl.DataFrame:
    given: dict[str, dict[str, float | None]] = st.session_state.get(_points_key(prefix), {})
    return pl.DataFrame(
        {
            "indicator": names,
            **{p: [given.get(n, {}).get(p) for n in names] for p in POINTS},
        },
        schema={"indicator": pl.String, **dict.fromkeys(POINTS, pl.Float64)},
    )


def write_points(prefix: str, names: list[str]) -> None:
    """The options ``ideal_point`` and ``anti_ideal_point`` under ``prefix`` from the
    stored points of the spec's indicators (``indicator=value``; repr keeps every bit)."""
    given: dict[str, dict[str, float | None]] = st.session_state.get(_points_key(prefix), {})
    for point in POINTS:
        texts = tuple(
            f"{n}={given[n][point]!r}" for n in names if given.get(n, {}).get(point) is not None
        )
        st.session_state[prefix + point] = texts or None


def set_points(prefix: str, names: list[str], given: dict[str, Any]) -> None:
    """Give the table of points under ``prefix`` the points ``given`` (option name → a
    mapping indicator → value, or None), as a project is opened."""
    points = {p: dict(given.get(p) or {}) for p in POINTS}
    st.session_state[_points_key(prefix)] = {
        n: {p: points[p].get(n) for p in POINTS} for n in names
    }
    for key in (_points_editor_key(prefix), _points_key(prefix) + "base"):
        st.session_state.pop(key, None)
    write_points(prefix, names)


def _points_input(prefix: str, where: Any) -> None:
    """The table of given ideal and anti-ideal points, one row per spec indicator.

    The editor shows a base kept in session state while its edits live (so that no
    edit is lost to a new base), rebuilt from the stored points when the editor is new
    (a page switch drops its state) or the spec's indicators changed.
    """
    names = spec_names()
    if not names:
        return
    base_key, editor_key = _points_key(prefix) + "base", _points_editor_key(prefix)
    base = st.session_state.get(base_key)
    if editor_key not in st.session_state or base is None or base["indicator"].to_list() != names:
        base = st.session_state[base_key] = _points_base(prefix, names)
    language = current_language()
    ideal, anti = (IndexOptions.info(p) for p in POINTS)
    given = any(st.session_state.get(prefix + p) for p in POINTS)
    with where.expander(t("idx.points"), expanded=given):
        st.caption(t("idx.points.help"))
        edited = st.data_editor(
            base,
            key=editor_key,
            hide_index=True,
            num_rows="fixed",
            width="stretch",
            placeholder="",  # no point given: blank, not "None"
            disabled=["indicator"],
            column_config={
                "indicator": st.column_config.TextColumn(t("col.indicator")),
                "ideal_point": st.column_config.NumberColumn(
                    ideal.title(language), help=ideal.text(language), format="%g"
                ),
                "anti_ideal_point": st.column_config.NumberColumn(
                    anti.title(language), help=anti.text(language), format="%g"
                ),
            },
        )
    rows = pl.DataFrame(edited) if not isinstance(edited, pl.DataFrame) else edited
    st.session_state[_points_key(prefix)] = {
        row["indicator"]: {p: _number(row[p]) for p in POINTS} for row in rows.iter_rows(named=True)
    }
    write_points(prefix, names)


def _number(value: Any) -> float | None:
    """An editor cell as a number (None when empty)."""
    if value is None:
        return None
    value = float(value)
    return None if value != value else value  # NaN: an emptied cell


def copy_inputs(source: str, target: str) -> None:
    """Give the options under ``target`` the special inputs of ``source`` (the Compare
    page's presets start from the Index page's options)."""
    stored = (state.ahp_file_key, _points_key, state.weights_store_key, state.weights_raw_key)
    for key in stored:
        if key(source) in st.session_state:
            st.session_state[key(target)] = st.session_state[key(source)]
        else:
            st.session_state.pop(key(target), None)
    for point in POINTS:
        st.session_state[target + point] = st.session_state.get(source + point)
    given = state.given_weights_key
    st.session_state[given(target)] = bool(st.session_state.get(given(source)))
    # the target's tables show the copied points and weights
    for key in (
        _points_editor_key(target),
        _points_key(target) + "base",
        _weights_editor_key(target),
        state.weights_store_key(target) + "base",
    ):
        st.session_state.pop(key, None)
