"""Session state, cached computations and widget helpers shared by the pages.

Conventions
-----------
* Every widget has a ``key``. Keys starting with ``w.`` hold choices the user
  expects to survive a page switch; :func:`persist_widgets` (called by the
  router before any page runs) re-assigns them so Streamlit does not drop them
  when their page is not shown. Buttons, uploaders, editors and downloads use
  other prefixes (``btn.``, ``up.``, ``ed.``, ``dl.``): their values cannot be
  set through session state.
* Files are kept as bytes with their SHA-256 (:class:`Source`). Every heavy
  computation is a ``st.cache_data`` function whose hashed arguments are the
  digest and the options; the bytes travel as an unhashed ``_data`` argument.
* A computation runs when its page's action button is pressed: the button stores
  the run's key (``run.index``, ``run.dagum``, ``run.compare``), and later reruns
  fetch the result from the cache with that key.
* No statistics here: every number comes from the :mod:`nqpf` API.
* ``spatial.weights``: the :class:`nqpf.app.runs.spatial.WeightsKey` of the spatial weights
  chosen on the Spatial page (None until weights fit the data);
  ``nqpf.app.runs.spatial.weights(key)`` gives its :class:`nqpf.spatial.SpatialWeights`
  (for the Dynamics page's spatial Markov chain).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import importlib
import logging
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import polars as pl
import streamlit as st

from nqpf import datasets
from nqpf import io as nqpf_io
from nqpf._frames import output_name
from nqpf.app.i18n import current_language, t
from nqpf.app.verbatim import verbatim
from nqpf.errors import InputError, NqpfError
from nqpf.index import SCORE_COLUMNS, IndexResult, entropy_topsis
from nqpf.io import read_table
from nqpf.options import IndexOptions, Options, ReadOptions, ReportOptions
from nqpf.panel import IndicatorSpec, Panel, is_long_form, read_panel, read_spec

log = logging.getLogger("nqpf.app")

PERSIST_PREFIX = "w."
#: The spec grid's columns: the text fields, then the numbers of the indicator types and
#: given ideal points (nqpf.panel's ``_NUMBER_FIELDS``: target of a ``mid`` indicator,
#: lower/upper of an ``interval`` one, ideal/anti_ideal), kept as text like every cell
#: of the grid and read by :meth:`nqpf.panel.IndicatorSpec.from_records`.
SPEC_TEXT_FIELDS = ("indicator", "dimension", "direction", "label", "unit")
SPEC_NUMBER_FIELDS = ("target", "lower", "upper", "ideal", "anti_ideal")
SPEC_FIELDS = SPEC_TEXT_FIELDS + SPEC_NUMBER_FIELDS
NONE = "—"  # the "no column" choice of optional column selectors


class _Echelons:
    """The Disparity page's "split by the echelons" choice: equal to no column name
    (a panel column may itself be called "echelon"), and not None, which a selectbox
    shows as no choice at all."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Echelons)

    def __hash__(self) -> int:
        return hash(_Echelons)

    def __repr__(self) -> str:
        return "ECHELONS"


ECHELONS = _Echelons()

#: The Index page's widget keys: ``w.idx.<option>`` (the Compare page's: ``w.cmp.a.``/``w.cmp.b.``).
INDEX_PREFIX = "w.idx."


# ---------------------------------------------------------------------------
# Widgets and session state
# ---------------------------------------------------------------------------


def persist_widgets() -> None:
    """Keep ``w.*`` widget values across page switches (see the module docstring)."""
    for key in list(st.session_state.keys()):
        if isinstance(key, str) and key.startswith(PERSIST_PREFIX):
            st.session_state[key] = st.session_state[key]


def default(key: str, value: Any, options: Sequence[Any] | None = None) -> None:
    """Give a widget key its initial value (or repair it when its options changed).

    Widgets are then created without ``index=``/``value=``, so Streamlit never
    warns about a value set twice.
    """
    if key not in st.session_state or (
        options is not None and st.session_state[key] not in options
    ):
        st.session_state[key] = value


def choose(
    label: str,
    options: Sequence[Any],
    key: str,
    value: Any,
    *,
    where: Any = None,
    format_func: Callable[[Any], str] = str,
    help: str | None = None,
    disabled: bool = False,
    radio: bool = False,
    on_change: Callable[[], None] | None = None,
) -> Any:
    """A selectbox (or horizontal radio) starting at ``value`` that survives page switches.

    The option labels are computed once, in the current language, so that the
    widget's ``format_func`` never depends on state read later.
    """
    default(key, value if value in options else options[0], options)
    labels = {option: format_func(option) for option in options}
    widget = (where or st).radio if radio else (where or st).selectbox
    extra: dict[str, Any] = {"horizontal": True} if radio else {}
    return widget(
        label,
        options,
        key=key,
        format_func=labels.__getitem__,
        help=help,
        disabled=disabled,
        on_change=on_change,
        **extra,
    )


def stored_values(family: type[Options], prefix: str) -> dict[str, Any]:
    """The app-visible options of ``family`` as their widgets (``prefix + name``) hold them;
    the declared default for a widget not shown yet (:mod:`nqpf.app.widgets`)."""
    values = {
        info.name: st.session_state.get(prefix + info.name, info.default)
        for info in family.describe()
        if info.app
    }
    # a multiselect holds a list: options (and the run keys made of them) hold tuples
    return {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}


def show_error(err: BaseException) -> None:
    """One line in the page, never a traceback.

    An :class:`InputError` quotes the user's cells, column and file names, so its
    message is shown verbatim (:func:`nqpf.app.verbatim.verbatim`), never as Markdown;
    in Chinese mode it is the message's Chinese line
    (:func:`nqpf.error_translations.message`: what, where and hint translated, the
    user's names kept). API syntax in the advice (``missing='drop'``) becomes the
    widget's name (:func:`nqpf.app.wording.app_words`). When the data is one sheet of a workbook and the message does
    not name that sheet, the sheet is added, so that the row and column can be found.
    """
    from nqpf.app.wording import app_words
    from nqpf.error_translations import message

    prefix = t("err.prefix")
    if isinstance(err, InputError):
        # the advice in the app's words: widget names, not API syntax (nqpf.app.wording)
        language = current_language()
        text = verbatim(app_words(message(err, language), language))
        sheet = st.session_state.get("read.sheet")
        if sheet is not None and getattr(err, "sheet", None) is None and sheet not in err.message:
            text += " " + t("err.sheet", sheet=verbatim(sheet))
    elif isinstance(err, NqpfError):
        text = verbatim(" ".join(str(err).split()))
    else:  # a bug: keep the traceback in the server log, show its type only
        log.exception("unexpected error in the nqpf app")
        prefix, text = t("err.bug"), t("err.internal", kind=type(err).__name__)
    st.error(f"{prefix} {text}", icon=":material/error:")


def attempt(func: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[bool, Any]:
    """Call ``func``; on failure show the one-line message and return (False, None)."""
    try:
        return True, func(*args, **kwargs)
    except Exception as err:  # every failure becomes one line in the page
        show_error(err)
        return False, None


#: Row and header height of ``st.dataframe`` (px; Streamlit's default row height) and
#: its border: a table of n rows is (n + 1) × 35 + 3 px tall without a scrollbar.
ROW_PX, BORDER_PX = 35, 3
#: Rows a table shows before it scrolls (then the page says how many rows it has).
MAX_ROWS = 15


def table_height(rows: int, max_rows: int = MAX_ROWS) -> int:
    """The pixel height that shows ``rows`` rows and the header (at most ``max_rows``)."""
    return (min(max(rows, 1), max_rows) + 1) * ROW_PX + BORDER_PX


def table(
    frame: pl.DataFrame,
    key: str,
    *,
    where: Any = None,
    height: int | None = None,
    empty: str | None = None,
    cells: dict[str, Callable[[Any], Any]] | None = None,
    **kwargs: Any,
) -> None:
    """A table in a keyed container (tests and the browser find it by ``key``), shown
    as :func:`shown_table` prepares it: its float columns by the library's number
    policy (:func:`nqpf.formats.number_style`: one decimals count per column, shares as
    percent, noise as 0), the library's own labels in the app's language; the cells
    keep their numbers (sorting and copying see the full value) and the frame given is
    not changed (the Export page's tables keep full precision and the library's values).

    A cell with no value (null, NaN, ±∞: undefined for that row) is shown as
    :data:`nqpf.formats.NOT_APPLICABLE`, and a caption under the table says why:
    ``empty`` (the page's reason, in the app's language) or the generic one.
    ``cells``: column → a function giving each non-null cell's Chinese text, for labels
    :mod:`nqpf.translations` cannot know by their column (the club names).

    Every row is reachable: the table is as tall as its rows up to :data:`MAX_ROWS`
    (``height``, in pixels, lowers that limit), then it scrolls — with a scrollbar
    that stays visible (:data:`PAGE_STYLE`) — and a caption gives the number of rows.
    """
    from nqpf.formats import NOT_APPLICABLE

    shown, styles, has_empty = shown_table(frame, cells)
    config = styles | dict(kwargs.pop("column_config", None) or {})
    config = translated_headers(frame, key, config)
    fitted = table_height(frame.height)
    if height is not None:
        fitted = min(fitted, max(int(height), table_height(1)))
    with (where or st).container(key=key):
        st.dataframe(
            shown,
            hide_index=True,
            width="stretch",
            height=fitted,
            column_config=config,
            placeholder=NOT_APPLICABLE,
            **kwargs,
        )
        if has_empty:
            st.caption(t("table.empty", dash=NOT_APPLICABLE, why=empty or t("table.empty.why")))
        if fitted < table_height(frame.height, max_rows=frame.height):
            st.caption(t("table.rows", n=f"{frame.height:,}"))


def user_columns() -> frozenset[str]:
    """The column names of the user's panel and the names of the spec's indicators and
    dimensions (none before a panel is read): shown as the user has them in every
    language."""
    source, config = current_source(), current_config()
    if source is None or config is None:
        return frozenset()
    try:
        panel = source_panel(source, config)
    except NqpfError:  # a panel that does not read yet: the Data page says why
        return frozenset()
    # the spec's names too: a dimension's sub-score column is named after it
    spec = st.session_state.get("spec.current")
    named = set(spec_names())
    if isinstance(spec, pl.DataFrame) and "dimension" in spec.columns:
        named |= {str(v) for v in spec.get_column("dimension").drop_nulls().to_list()}
    return frozenset(panel.frame.columns) | frozenset(config.roles().values()) | named


#: The app's tables that show a table of the paper report, by the report table's name:
#: its own headers (``col.<table>.<column>`` in :mod:`nqpf.translations`) apply.
REPORT_TABLES = {
    "df.rob.regions": "robustness_regions",
    "df.rob.conclusions": "robustness_conclusions",
    "df.rob.dagum": "robustness_dagum",
    "df.cou.coupling": "coupling_regions",
    "df.dyn.markov_long_run": "markov_long_run",
    "df.dyn.rank_long_run": "rank_markov",
    "df.dyn.homogeneity": "markov_homogeneity",
    "df.dyn.spatial_homogeneity": "markov_homogeneity",
    "df.dyn.lisa_tests": "spatial_markov_tests",
    "df.dyn.spatial_lag_tests": "spatial_markov_tests",
    "df.spa.moran": "moran",
    "df.geo.factor": "geodetector",
    "df.geo.interaction": "geodetector_interaction",
}


def translated_headers(frame: pl.DataFrame, key: str, config: dict[str, Any]) -> dict[str, Any]:
    """``config`` with the Chinese header of each nqpf column in the Chinese app, as the
    documents show it (:func:`nqpf.translations.header`; the table's name is its key
    without ``df.``). Display only: the frame, its downloads and the Export page keep
    nqpf's English column names. The user's own columns (:func:`user_columns`) keep
    their names, even one named like an nqpf column ("score", "region"), and so does a
    column whose header is set by the page."""
    from nqpf.translations import header

    if current_language() != "zh":
        return config
    mine = user_columns()
    table_name = REPORT_TABLES.get(key, key.removeprefix("df."))
    out = dict(config)
    for name in frame.columns:
        if name in mine:
            continue
        shown = header(name, "zh", table_name)
        if shown is None and name in IndexOptions.names():
            # a variant's option (the Robustness page): the declaration's label
            shown = IndexOptions.info(name).title("zh")
        if shown is None or shown == name:
            continue
        given = out.get(name)
        if given is None:
            out[name] = st.column_config.Column(shown)
        elif given.get("label") in (None, name):
            out[name] = {**given, "label": shown}
    return out


def shown_table(
    frame: pl.DataFrame, cells: dict[str, Callable[[Any], Any]] | None = None
) -> tuple[pl.DataFrame, dict[str, Any], bool]:
    """What :func:`table` shows of ``frame``: (the frame shown, its number columns'
    ``column_config``, whether a cell is empty). Display only, in one place:

    * a float column's format is the number policy's (:func:`number_columns`); a value
      the policy shows as 0 but printf would not is 0 in the frame shown: a negative
      value that rounds to zero at the column's decimals (printf: ``-0.0000``) and, in
      scientific notation, noise below the column's floor (printf: ``2.000e-18``);
      the other cells keep their numbers;
    * NaN and ±∞ are null (Streamlit draws NaN as an error cell and ∞ as ``Infinity``),
      shown as the table's placeholder;
    * in Chinese, a text cell nqpf wrote itself in Chinese (:func:`label`: a
      discretization method, an interaction type, the fixed effects, a variant's
      weights), as the report prints it; ``cells`` converts a column by a function
      (the club names ``club1`` → 俱乐部1, ``divergent`` → 发散). The English app shows
      the library's values as they are.
    """
    from nqpf.formats import column_kind, number_style

    styles = number_columns(frame)
    language = current_language()
    columns: list[pl.Expr] = []
    for name, dtype in frame.schema.items():
        column = pl.col(name)
        if name in (cells or {}) and language == "zh":
            convert = (cells or {})[name]
            values = frame.get_column(name).drop_nulls().unique().to_list()
            if values:
                column = column.replace_strict(
                    {v: convert(v) for v in values}, default=column, return_dtype=pl.String
                )
        elif dtype.is_float():
            style = number_style(frame.get_column(name).to_list(), kind=column_kind(name))
            if style.scientific:  # noise would read 1.000e-17
                zero = column.abs() < style.floor
            else:  # fixed decimals show noise as 0.0000, but a negative one as -0.0000
                half = 0.5 * 10.0 ** -(style.decimals + (2 if style.percent else 0))
                zero = (column < 0) & ((column > -half) | (column.abs() < style.floor))
            column = (
                pl.when(~column.is_finite())
                .then(None)
                .when(zero)
                .then(0.0)
                .otherwise(column)
                .cast(dtype)
            )
        elif dtype == pl.String and language == "zh":
            values = frame.get_column(name).drop_nulls().unique().to_list()
            names = {v: found for v in values if (found := label(name, v, language)) is not None}
            if names:
                column = column.replace_strict(names, default=column, return_dtype=pl.String)
        columns.append(column.alias(name))
    shown = frame.select(columns) if columns else frame
    has_empty = bool(shown.height) and any(shown.null_count().row(0))
    return shown, styles, has_empty


#: The page's own style (put in every page by the router): tables' scrollbars always
#: drawn (Glide's grid otherwise shows a thin one only while the pointer is over it, and
#: hidden rows look like a short table: issue 15).
PAGE_STYLE = """<style>
[data-testid="stDataFrame"] .dvn-scroller {
  scrollbar-width: auto;
  scrollbar-color: rgba(110, 110, 110, 0.65) rgba(0, 0, 0, 0.06);
}
</style>"""


def page_style() -> None:
    """Add :data:`PAGE_STYLE` to the page (called by the router on every run)."""
    st.html(PAGE_STYLE)


def label(column: str, value: str, language: str) -> str | None:
    """The text of a cell nqpf wrote itself in ``column``, in ``language``: its
    ``value.<column>.<value>`` translation (:func:`nqpf.translations.cell`), or — in a
    column named after an option (a robustness variant's ``weights``) — the option's
    label of that choice (:meth:`nqpf.options.Option.choice_title`); None for a value
    that is neither (the user's own names)."""
    from nqpf.options import FAMILIES
    from nqpf.translations import cell

    found = cell(column, value, language)
    if found is not None:
        return found
    for family in FAMILIES.values():
        for info in family.describe():
            if info.name == column and value in info.choices and info.choice_labels:
                shown = info.choice_title(value, language)
                return shown if shown != value else None
    return None


def number_columns(frame: pl.DataFrame) -> dict[str, Any]:
    """Column → ``st.column_config.NumberColumn`` in the number policy's format."""
    from nqpf.formats import column_kind, number_style

    config: dict[str, Any] = {}
    for name, dtype in frame.schema.items():
        if dtype.is_float():
            style = number_style(frame.get_column(name).to_list(), kind=column_kind(name))
            if style.percent:
                # Streamlit's "percent" shows 0.2345 as 23.45%, with as many decimals as
                # the step has beyond the percent's two (without a step, 0 to 2 of them:
                # 88% next to 10.32%): the policy's fixed decimals (the browser rounds the
                # share to the step: a copied cell has the 4 decimals of its percent)
                step = 10.0 ** -(style.decimals + 2)
                config[name] = st.column_config.NumberColumn(name, format="percent", step=step)
            else:
                config[name] = st.column_config.NumberColumn(name, format=style.printf)
    return config


@st.cache_data(show_spinner=False, max_entries=256)
def chart_bytes(digest: str, fmt: str, _figure: Any) -> bytes:
    """The chart ``_figure`` (:class:`nqpf.app.charts.Figure`) as ``fmt`` bytes, cached
    on the digest of its content (:meth:`~nqpf.app.charts.Figure.digest`): a page switch
    or a rerun that shows the same chart draws nothing. One chart is drawn at a time
    (:data:`DRAW_LOCK`)."""
    with DRAW_LOCK:
        return _figure.render(fmt)  # type: ignore[no-any-return]


#: Held while a chart is drawn: matplotlib's style is process-wide (``rc_context``
#: changes the global rcParams), so two sessions' threads must not draw at once.
DRAW_LOCK = threading.Lock()


#: Modules the analysis pages import on their first visit, loaded in the background by
#: :func:`warm_figures` (scipy.stats alone took 2–3 s on the first visit of the Compare
#: page; issue 15, deliverable 7). A module that is not installed is skipped.
WARM_MODULES = (
    "scipy.stats",
    "nqpf.compare",
    "nqpf.dagum",
    "nqpf.groups",
    "nqpf.report",
    "nqpf.rbridge",  # not rpy2: R starts when the R check is asked for
    "nqpf.crossval",
)
#: Seconds the warm-up waits, so that the first page paints before it competes for the CPU.
WARM_DELAY = 1.0
#: Seconds without a script run before the warm-up imports the next module: a user's
#: pause, not the gap between the runs of a quick sequence of clicks (each module holds
#: the GIL for up to a second or two; a click during it waits).
WARM_IDLE = 1.0
#: Longest wait of the warm-up for such a pause before each step.
WARM_PATIENCE = 30.0

#: Script runs going on in this server (:func:`script_run`) and when the last one ended.
_runs_going = 0
_last_run_end = 0.0
_RUNS_LOCK = threading.Lock()


@contextlib.contextmanager
def script_run() -> Iterator[None]:
    """Count a script run while it lasts (the router wraps every run in it): the warm-up
    (:func:`warm_figures`) holds the GIL for seconds per module and waits for none to be
    going on, so a user's click is not slowed by imports it does not need."""
    import time

    global _runs_going, _last_run_end
    with _RUNS_LOCK:
        _runs_going += 1
    try:
        yield
    finally:
        with _RUNS_LOCK:
            _runs_going -= 1
            _last_run_end = time.monotonic()


def _between_runs(idle: float = 0.0, patience: float = WARM_PATIENCE) -> None:
    """Return when no script run is going on and none ended in the last ``idle``
    seconds (at most after ``patience`` seconds)."""
    import time

    deadline = time.monotonic() + patience
    while time.monotonic() < deadline and (_runs_going or time.monotonic() - _last_run_end < idle):
        time.sleep(0.05)


@st.cache_resource(show_spinner=False)
def warm_figures() -> Any:
    """Load matplotlib and the CJK font once per server, in a background thread, while
    the user is on the Data page (the first chart otherwise waits about 2 s for them),
    then the analysis modules (:data:`WARM_MODULES`), each in a pause of the sessions'
    script runs (:func:`script_run`, :data:`WARM_IDLE`); then freeze the heap
    (:func:`freeze_imports`)."""

    def warm() -> None:
        import time

        from nqpf import figures

        def drawing(fig: Any, theme: Any) -> None:
            fig.add_subplot().set_title("综合指数 index")

        time.sleep(WARM_DELAY)
        _between_runs()
        with DRAW_LOCK:
            figures.to_bytes(figures.draw(drawing), "svg")
        for name in WARM_MODULES:
            _between_runs(WARM_IDLE)
            with contextlib.suppress(ImportError):
                importlib.import_module(name)
        freeze_imports()

    thread = threading.Thread(target=warm, name="nqpf-warm-figures", daemon=True)
    thread.start()
    return thread


#: ``len(sys.modules)`` when :func:`freeze_imports` last froze the heap.
_frozen_modules = 0
_FREEZE_LOCK = threading.Lock()


def freeze_imports() -> None:
    """Move the objects alive now into the garbage collector's permanent generation, when
    modules were imported since the last call (else nothing: one length comparison).

    Streamlit collects every generation after each script run (``runner.postScriptGC``).
    With numpy, polars, pandas, pyarrow, matplotlib and scipy loaded that scans some
    190,000 objects, 0.15–0.2 s of CPU under the GIL on the development machine, before
    the "script finished" message leaves: most of a page switch's server time (issue 15,
    deliverable 7; ``bench/bench_app_browser.py``). Modules and what they hold live as
    long as the server, so scanning them finds nothing; once frozen (:func:`gc.freeze`,
    after a full collection so no garbage is kept), the collection after a run scans only
    what was made since. Called by the router after every page and by the warm-up."""
    global _frozen_modules
    if len(sys.modules) == _frozen_modules:
        return
    with _FREEZE_LOCK:
        gc.collect()
        gc.freeze()
        _frozen_modules = len(sys.modules)


def chart(figure: Any, key: str, *, where: Any = None) -> None:
    """A chart of :mod:`nqpf.app.charts` in a keyed container: drawn by the report's figure
    module as SVG (text kept as text: the browser draws Chinese with its fonts), with SVG
    and PNG (300 dpi) downloads; the PNG is drawn when its button is pressed."""
    from functools import partial

    digest = figure.digest()
    svg = chart_bytes(digest, "svg", figure)
    name = key.removeprefix("ch.").replace(".", "-")
    with (where or st).container(key=key):
        st.image(svg.decode("utf-8"), width="content")
        left, right, _ = st.columns([1, 1, 4])
        left.download_button(
            "SVG",
            data=svg,
            file_name=f"nqpf-{name}.svg",
            mime="image/svg+xml",
            key=f"dl.{key}.svg",
            on_click="ignore",
            icon=":material/download:",
        )
        right.download_button(
            "PNG",
            data=partial(chart_bytes, digest, "png", figure),
            file_name=f"nqpf-{name}.png",
            mime="image/png",
            key=f"dl.{key}.png",
            on_click="ignore",
            icon=":material/download:",
        )


def optional(module: str, name: str) -> Any:
    """``nqpf.<module>.<name>`` if that module has landed, else None."""
    try:
        return getattr(importlib.import_module(f"nqpf.{module}"), name)
    except (ImportError, AttributeError):
        return None


def upload_limit_mb() -> int:
    """The server's upload limit (``server.maxUploadSize`` in .streamlit/config.toml)."""
    return int(st.get_option("server.maxUploadSize"))


# ---------------------------------------------------------------------------
# Data source
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """An input file: its name, the SHA-256 of its bytes, and the bytes."""

    name: str
    digest: str
    data: bytes = field(repr=False)
    builtin: bool = False

    @classmethod
    def of(cls, name: str, data: bytes, *, builtin: bool = False) -> Source:
        return cls(name, hashlib.sha256(data).hexdigest(), data, builtin)


#: The column roles of a panel reading, in the Data page's order.
ROLES = ("region", "year", "group", "indicator", "value")


class ColumnClash(InputError):
    """Two roles of a :class:`PanelConfig` name the same column (``roles``, ``column``)."""

    def __init__(self, roles: tuple[str, str], column: str) -> None:
        super().__init__(
            f"the {roles[0]} and {roles[1]} columns are both '{column}'",
            column=column,
            hint="choose a different column for each role",
        )
        self.roles = roles
        self.column = column


class _PanelColumns(NamedTuple):
    region: str
    year: str
    group: str | None
    form: str  # "wide" | "long"
    indicator: str | None
    value: str | None
    #: How the cells are read (:class:`nqpf.options.ReadOptions`; the layout is ``form``
    #: above, chosen after the table is shown, and replaces ``read.form`` when reading).
    read: ReadOptions = ReadOptions()
    #: Regions left out of the panel (a national-total row: :func:`nqpf.panel.total_rows`).
    exclude: tuple[str, ...] = ()


class PanelConfig(_PanelColumns):
    """How to read the panel: key columns, form, cell reading and excluded regions
    (hashable, a cache key).

    No two roles name one column (region, year, group; indicator and value in the long
    form): checked once, here, when the config is made (:class:`ColumnClash`), so no
    guess and no choice can map two roles to one column.
    """

    __slots__ = ()

    def __new__(cls, *args: Any, **kwargs: Any) -> PanelConfig:
        self = super().__new__(cls, *args, **kwargs)
        self.check_roles()
        return self

    def roles(self) -> dict[str, str]:
        """Role → column, for the roles this reading uses."""
        used = {"region": self.region, "year": self.year, "group": self.group}
        if self.form == "long":
            used |= {"indicator": self.indicator, "value": self.value}
        return {role: column for role, column in used.items() if column is not None}

    def check_roles(self) -> None:
        seen: dict[str, str] = {}
        for role, column in self.roles().items():
            if column in seen:
                raise ColumnClash((seen[column], role), column)
            seen[column] = role


def reading_options(read: ReadOptions) -> dict[str, Any]:
    """``read``'s cell options as keyword arguments of :func:`read_table` (the sheet
    only when one is chosen)."""
    options: dict[str, Any] = {"na_values": list(read.na_values), "decimal": read.decimal}
    if read.sheet is not None:
        options["sheet"] = read.sheet
    return options


def parse_markers(text: str) -> tuple[str, ...]:
    """The Data page's missing-value markers: separated by ``,`` (or ``，``, ``、``, ``;``).

    Surrounding spaces are dropped (a marker is compared with the whole cell) and a
    repeated marker is kept once. The empty cell is always missing.
    """
    return tuple(dict.fromkeys(split_values(text)))


def split_values(text: str) -> tuple[str, ...]:
    """A list typed in one text box: split at ``,`` (or ``，``, ``、``, ``;``), parts
    stripped, empty parts dropped, repeats kept (α = 0.3, 0.3, 0.4 has three values)."""
    for comma in ("，", "、", ";", "；"):
        text = text.replace(comma, ",")
    return tuple(m for m in (m.strip() for m in text.split(",")) if m)


def is_workbook(name: str) -> bool:
    return Path(name).suffix.lower() in nqpf_io.EXCEL_SUFFIXES


@st.cache_resource(show_spinner=False)
def default_source() -> Source:
    """The embedded Penn World Table panel as a Source."""
    path = datasets.pwt_path()
    return Source.of(path.name, path.read_bytes(), builtin=True)


def current_source() -> Source | None:
    """The file the analysis runs on: the default panel or the last upload."""
    if st.session_state.get("w.data.source", "default") == "default":
        return default_source()
    return st.session_state.get("src.upload")


def current_config() -> PanelConfig | None:
    return st.session_state.get("panel.config")


@st.cache_data(show_spinner=False, max_entries=16)
def load_sheet_names(digest: str, _data: bytes, name: str, max_bytes: int) -> list[str]:
    """The workbook's sheets, in order (:func:`nqpf.io.sheet_names`); [] if unreadable.

    A file that cannot be opened as a workbook (too large, a zip bomb, not XLSX)
    gets no picker: reading it then says what is wrong in one line.
    """
    if len(_data) > max_bytes:
        return []
    try:
        return list(nqpf_io.sheet_names(_data, name=name))
    except InputError:
        return []


@st.cache_data(show_spinner=False, max_entries=8)
def load_table(
    digest: str, _data: bytes, name: str, max_bytes: int, read: ReadOptions
) -> pl.DataFrame:
    """The file's table as in the file, cached on the file's hash and reading options."""
    return read_table(_data, name=name, max_bytes=max_bytes, **reading_options(read))


@st.cache_data(show_spinner=False, max_entries=8)
def load_panel(digest: str, _data: bytes, name: str, config: PanelConfig, max_bytes: int) -> Panel:
    """The validated panel, cached on the file's hash and the column choices."""
    columns = {"indicator": config.indicator, "value": config.value}
    panel = read_panel(
        _data,
        region=config.region,
        year=config.year,
        name=name,
        max_bytes=max_bytes,
        **(columns if config.form == "long" else {}),
        options=config.read.replace(form=config.form),
    )
    return panel.without_regions(config.exclude)


def source_panel(source: Source, config: PanelConfig) -> Panel:
    return load_panel(source.digest, source.data, source.name, config, upload_limit_mb() << 20)


def make_config(**columns: Any) -> PanelConfig | None:
    """The Data page's :class:`PanelConfig`, or None after saying in one line (in the
    app's words) which two roles were given the same column."""
    try:
        return PanelConfig(**columns)
    except ColumnClash as clash:
        first, second = (t(f"data.role.{role}") for role in clash.roles)
        st.error(
            f"{t('err.prefix')} "
            + t("data.same", first=first, second=second, column=verbatim(clash.column)),
            icon=":material/error:",
        )
        return None


def total_rows(panel: Panel) -> list[str]:
    """The panel's regions that look like a total row (:func:`nqpf.panel.total_rows`)."""
    from nqpf.panel import total_rows as candidates

    return candidates(panel.regions)


@st.cache_data(show_spinner=False, max_entries=16)
def _panel_gaps(
    digest: str, _data: bytes, name: str, config: PanelConfig, names: tuple[str, ...], limit: int
) -> pl.DataFrame:
    panel = load_panel(digest, _data, name, config, limit)
    panel.check_cells(names)
    return panel.incomplete_rows(names)


def panel_gaps(source: Source, config: PanelConfig, names: Sequence[str]) -> pl.DataFrame:
    """Check every cell of the indicator columns ``names`` as the index reads them
    (:meth:`nqpf.panel.Panel.check_cells`: a non-number raises, naming file, sheet, row
    and column); return the region-years with empty cells
    (:meth:`~nqpf.panel.Panel.incomplete_rows`: what ``missing="drop"`` removes)."""
    return _panel_gaps(
        source.digest, source.data, source.name, config, tuple(names), upload_limit_mb() << 20
    )


def dropped_rows(key: IndexKey) -> pl.DataFrame:
    """The region-years an index run with ``missing="drop"`` left out."""
    names = tuple(r[0] for r in key.spec if r[0] is not None)
    return _panel_gaps(
        key.digest, _bytes_of(key.digest), key.name, key.config, names, upload_limit_mb() << 20
    )


def reset_missing_policy(source: Source) -> None:
    """A new file starts with the declared missing-value policy (the Index page's
    ``missing``): a choice made for another file (e.g. drop its incomplete rows) is not
    applied unannounced; the Data page says it was reset (``data.missing_reset``)."""
    key = INDEX_PREFIX + "missing"
    declared = IndexOptions.info("missing").default
    previous = st.session_state.get(key)
    st.session_state.pop("data.missing_reset", None)
    if previous is not None and previous != declared:
        st.session_state[key] = declared
        st.session_state["data.missing_reset"] = (source.digest, previous)


@st.cache_data(show_spinner=False, max_entries=8)
def template_bytes(form: str, fmt: str) -> bytes:
    """The panel template :func:`nqpf.panel.panel_template` as CSV or XLSX bytes."""
    from nqpf.app import export
    from nqpf.panel import panel_template

    frame = panel_template(form)
    if fmt == "csv":
        return export.csv_bytes(frame)
    return export.xlsx_bytes({"panel": frame})


def numeric_columns(frame: pl.DataFrame, exclude: Sequence[str]) -> list[str]:
    """Columns that are mostly numbers: the default indicators of an uploaded panel.

    A text column counts when more than half of its non-empty cells read as
    numbers, so that a typo in one cell keeps the column in the spec and the
    index run then names that cell (file, row, column) instead of silently
    leaving the indicator out.
    """
    names = []
    for name, dtype in frame.schema.items():
        if name in exclude:
            continue
        column = frame.get_column(name)
        if dtype == pl.String:
            cleaned = column.str.strip_chars().str.replace_all(",", "")
            filled = int(cleaned.is_not_null().sum())
            numbers = int(cleaned.cast(pl.Float64, strict=False).is_not_null().sum())
            if filled and numbers * 2 > filled:
                names.append(name)
        elif dtype.is_numeric():
            names.append(name)
    return names


def guess_columns(frame: pl.DataFrame) -> dict[str, str | None]:
    """First guesses for the columns of an uploaded table: region, year, group, layout,
    indicator and value.

    The layout is :func:`nqpf.panel.is_long_form`'s rule (read_panel's "auto"); no two
    roles get the same column (the long form's indicator and value columns are never the
    region, year or group), and a long table gets no group (a long panel keeps only its
    region, year and indicator columns).
    """
    columns = list(frame.columns)
    long_form = is_long_form(columns)  # read_panel's own "auto" rule
    roles = {"indicator": "indicator", "value": "value"} if long_form else {}
    free = [c for c in columns if c not in roles.values()] or columns
    lower = {c: c.lower() for c in free}
    region_words = ("region", "province", "country", "city", "prov", "state", "省", "地区", "城市")
    year_words = ("year", "yr", "年")
    year = next((c for c in free if any(w in lower[c] for w in year_words)), None)
    region = next((c for c in free if c != year and any(w in lower[c] for w in region_words)), None)
    numeric = set(numeric_columns(frame, [c for c in free if c in (year, region)]))
    text = [
        c
        for c in free
        if c not in (year, region) and frame.schema[c] == pl.String and c not in numeric
    ]
    if region is None:
        region = next((c for c in text + free if c != year), free[0])
    if year is None:
        year = next(
            (c for c in free if c != region and c in numeric),
            next((c for c in free if c != region), region),
        )
    group = None
    if not long_form:
        n_regions = frame.get_column(region).n_unique()
        for column in text:
            if column in (region, year):
                continue
            n = frame.get_column(column).n_unique()
            if 2 <= n < n_regions and n <= 12:
                group = column
                break
    return {
        "region": region,
        "year": year,
        "group": group,
        "form": "long" if long_form else "wide",
        "indicator": roles.get("indicator"),
        "value": roles.get("value"),
    }


# ---------------------------------------------------------------------------
# Indicator spec (edited on the Indicators page)
# ---------------------------------------------------------------------------


def default_spec_frame(source: Source, panel: Panel, config: PanelConfig) -> pl.DataFrame:
    """The spec a new panel starts with: the shipped spec, or every numeric column."""
    if source.builtin:
        return spec_grid(read_spec(datasets.pwt_spec_path()).to_frame())
    skip = [config.region, config.year] + ([config.group] if config.group else [])
    names = numeric_columns(panel.frame, skip)
    given = {
        "indicator": names,
        "dimension": ["index"] * len(names),
        "direction": ["+"] * len(names),
    }
    return pl.DataFrame(
        {field: given.get(field, [None] * len(names)) for field in SPEC_FIELDS},
        schema=dict.fromkeys(SPEC_FIELDS, pl.String),
    )


def spec_grid(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` (a spec table: :meth:`nqpf.panel.IndicatorSpec.to_frame`, a file, the
    grid) as the grid's columns :data:`SPEC_FIELDS`, all text; a column it lacks is empty.
    An empty cell is ``""``, not null: the grid draws a null as the word "None", which
    reads as a value (:func:`spec_records` reads both as missing)."""
    return frame.select(
        [
            (pl.col(c).cast(pl.String) if c in frame.columns else pl.lit(None, pl.String))
            .fill_null("")
            .alias(c)
            for c in SPEC_FIELDS
        ]
    )


def set_spec(frame: pl.DataFrame) -> None:
    """Replace the spec (new panel or uploaded spec file); resets the editor."""
    frame = spec_grid(frame)
    st.session_state["spec.base"] = frame
    st.session_state["spec.current"] = frame
    st.session_state["spec.version"] = st.session_state.get("spec.version", 0) + 1


def ensure_spec(source: Source, panel: Panel, config: PanelConfig) -> None:
    """Start the spec of a new file or a new reading of it (sheet, layout, indicator and
    value columns), keeping what the user built where the indicator names match
    (:func:`merged_spec`); what was kept, dropped and added is in ``spec.note``."""
    origin = (source.digest, config.read.sheet, config.form, config.indicator, config.value)
    if st.session_state.get("spec.origin") == origin:
        return
    fresh = default_spec_frame(source, panel, config)
    current: pl.DataFrame | None = st.session_state.get("spec.current")
    before: tuple[str, ...] | None = st.session_state.get("spec.columns")
    st.session_state["spec.origin"] = origin
    st.session_state["spec.columns"] = tuple(panel.frame.columns)
    st.session_state.pop("spec.note", None)
    if current is None or before is None:
        set_spec(fresh)
        return
    merged, note = merged_spec(current, fresh, panel.frame.columns, before)
    if note["kept"]:
        st.session_state["spec.note"] = note
        set_spec(merged)
    else:  # nothing in common: the new panel's default
        set_spec(fresh)


def merged_spec(
    current: pl.DataFrame,
    fresh: pl.DataFrame,
    columns: Sequence[str],
    before: Sequence[str],
) -> tuple[pl.DataFrame, dict[str, Any]]:
    """The spec ``current`` carried to a panel with ``columns`` (the previous panel had
    ``before``): its rows whose indicator is still a column, in their order, then the
    default rows (of ``fresh``) of the indicators that are new columns. An indicator the
    user removed from the spec stays removed when its column is still there.

    Returns (spec, note): note ``kept`` (count), ``dropped`` (indicators that are no
    longer columns) and ``added`` (new indicators given default rows).
    """
    current = current.filter(
        pl.col("indicator").is_not_null() & (pl.col("indicator").cast(pl.String) != "")
    )
    names = [str(n) for n in current.get_column("indicator").to_list()]
    keep = [n in set(columns) for n in names]
    kept = current.filter(pl.Series(keep, dtype=pl.Boolean))
    dropped = [n for n, k in zip(names, keep, strict=True) if not k]
    new = fresh.filter(~pl.col("indicator").is_in(list(before)) & ~pl.col("indicator").is_in(names))
    frame = pl.concat([spec_grid(kept), spec_grid(new)])
    note = {
        "kept": kept.height,
        "dropped": dropped,
        "added": new.get_column("indicator").to_list(),
    }
    return frame, note


def filled_spec(
    frame: pl.DataFrame,
    rows: Sequence[str],
    *,
    dimension: str | None = None,
    direction: str = "keep",
) -> pl.DataFrame:
    """``frame`` (the spec grid) with ``dimension`` and/or ``direction`` ("+", "-"; "keep"
    leaves it) set for the indicators ``rows``: the Indicators page's fill-down."""
    chosen = pl.col("indicator").is_in(list(rows))
    changes = []
    if dimension is not None:
        changes.append(pl.when(chosen).then(pl.lit(dimension)).otherwise("dimension"))
    else:
        changes.append(pl.col("dimension"))
    if direction in ("+", "-"):
        changes.append(pl.when(chosen).then(pl.lit(direction)).otherwise("direction"))
    else:
        changes.append(pl.col("direction"))
    return spec_grid(frame).with_columns(
        changes[0].alias("dimension"), changes[1].alias("direction")
    )


def spec_note() -> None:
    """Say what a new file did to the spec built for the previous one (``spec.note``)."""
    note = st.session_state.get("spec.note")
    if not note:
        return
    text = t("spec.kept", n=note["kept"])
    if note["added"]:
        text += " " + t("spec.added", n=len(note["added"]), names=_names(note["added"]))
    if note["dropped"]:
        text += " " + t("spec.dropped", n=len(note["dropped"]), names=_names(note["dropped"]))
    st.info(text, icon=":material/sync:")


def _names(names: Sequence[str], limit: int = 8) -> str:
    shown = ", ".join(verbatim(n) for n in names[:limit])
    return shown + (" …" if len(names) > limit else "")


def spec_names() -> list[str]:
    """The indicators of the current spec, in its order."""
    return [r[0] for r in spec_records() if r[0] is not None]


def reset_spec_editor() -> None:
    """Show the current spec as the editor's new base (after a page switch)."""
    if "spec.current" in st.session_state:
        st.session_state["spec.base"] = st.session_state["spec.current"]
        st.session_state["spec.version"] = st.session_state.get("spec.version", 0) + 1


def spec_records() -> tuple[tuple[str | None, ...], ...]:
    """The current spec as a hashable tuple of rows (a cache key)."""
    frame: pl.DataFrame | None = st.session_state.get("spec.current")
    if frame is None:
        return ()
    rows = []
    for row in frame.select(SPEC_FIELDS).iter_rows():
        cleaned = tuple(None if v is None or str(v).strip() == "" else str(v).strip() for v in row)
        if any(v is not None for v in cleaned):
            rows.append(cleaned)
    return tuple(rows)


def spec_from_records(records: tuple[tuple[str | None, ...], ...]) -> IndicatorSpec:
    return IndicatorSpec.from_records(
        [dict(zip(SPEC_FIELDS, r, strict=True)) for r in records], source=t("spec.source")
    )


# ---------------------------------------------------------------------------
# Index
# ---------------------------------------------------------------------------


class IndexKey(NamedTuple):
    """Everything an index run depends on (hashable; bytes are looked up by digest)."""

    digest: str
    name: str
    config: PanelConfig
    spec: tuple[tuple[str | None, ...], ...]
    options: tuple[tuple[str, Any], ...]


def index_options(prefix: str = INDEX_PREFIX) -> dict[str, Any]:
    """The index options as chosen on the Index page (``prefix``: a Compare
    configuration's), the declared defaults before that; with the options that have no
    generic widget (:func:`special_index_options`) where they are given."""
    values = stored_values(IndexOptions, prefix)
    return values | special_index_options(prefix, values)


#: IndexOptions given by the Index and Compare pages' own inputs (:mod:`nqpf.app.index_extras`:
#: an uploaded AHP matrix, a table of given ideal points), not by a generic widget. (The
#: user-given weights, :func:`given_weights`, replace the ``weights`` widget's method.)
SPECIAL_INDEX_OPTIONS = ("ahp_matrix", "ideal_point", "anti_ideal_point")


class GivenWeights(Mapping):
    """User-given weights, indicator → weight, as an index run's option (``weights=``):
    a mapping :class:`~nqpf.options.IndexOptions` takes, hashable and picklable so that
    it can be part of an :class:`IndexKey` (a dict is neither hashable nor frozen).
    Equal to any mapping of the same items, whatever their order."""

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, Any] | Sequence[tuple[str, Any]] = ()) -> None:
        pairs = items.items() if isinstance(items, Mapping) else items
        self._items: tuple[tuple[str, Any], ...] = tuple((str(k), v) for k, v in pairs)

    def __getitem__(self, name: str) -> Any:
        for key, value in self._items:
            if key == name:
                return value
        raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        return (key for key, _ in self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(frozenset(self._items))

    def __reduce__(self) -> tuple[Any, ...]:  # pickling, and Streamlit's cache hashing
        return (GivenWeights, (self._items,))

    def __repr__(self) -> str:
        return f"GivenWeights({dict(self._items)!r})"


def given_weights_key(prefix: str) -> str:
    """The "Given weights" checkbox of the options under ``prefix`` (a ``w.*`` key)."""
    return prefix + "given_weights"


def weights_store_key(prefix: str) -> str:
    """Where the given-weights table's values are kept: indicator → weight (None: an
    empty cell), by :mod:`nqpf.app.index_extras`."""
    return "gw." + prefix.removeprefix(PERSIST_PREFIX)


def weights_raw_key(prefix: str) -> str:
    """A project file's user weights that do not fit the spec's indicators (a sequence
    of another length, a mapping of other indicators, a value that is not a number), kept
    as they are until the table is edited, so that the library says what is wrong."""
    return weights_store_key(prefix) + "raw"


def given_weights(prefix: str) -> Any:
    """The user-given weights of the options under ``prefix`` as the index takes them,
    or None when "Given weights" is not ticked: the table's weights of the current
    spec's indicators (an empty cell left out, so that the index names the indicator
    that has none), or a project's weights that do not fit the table as they are."""
    if not st.session_state.get(given_weights_key(prefix)):
        return None
    raw = st.session_state.get(weights_raw_key(prefix))
    if raw is not None:
        return GivenWeights(raw) if isinstance(raw, Mapping) else tuple(raw)
    stored: Mapping[str, Any] = st.session_state.get(weights_store_key(prefix)) or {}
    names = [r[0] for r in spec_records() if r[0] is not None]
    return GivenWeights([(n, stored[n]) for n in names if stored.get(n) is not None])


def ahp_file_key(prefix: str) -> str:
    """Where an uploaded AHP matrix file is kept: ``(name, digest, bytes)``; a matrix
    reopened from a project file is kept there as ``(project file's name, None, rows)``,
    its numbers by indicator (row → {column → a_ij}; a list of rows when they do not fit
    the spec, for its message; :mod:`nqpf.app.project_state`)."""
    return "file." + prefix.removeprefix(PERSIST_PREFIX) + "ahp_matrix"


@st.cache_data(show_spinner=False, max_entries=16)
def _ahp_matrix(digest: str, _data: bytes, name: str, names: tuple[str, ...]) -> Any:
    from nqpf.index import read_ahp_matrix

    matrix = read_ahp_matrix(_data, names, name=name)
    return tuple(tuple(float(x) for x in row) for row in matrix.tolist())


def ahp_matrix(prefix: str) -> Any:
    """The uploaded AHP matrix of the options under ``prefix``, in the current spec's
    order (:func:`nqpf.index.read_ahp_matrix`; a square tuple, a run key's part); None
    when no file was uploaded. An unreadable file raises its InputError."""
    stored = st.session_state.get(ahp_file_key(prefix))
    if stored is None:
        return None
    name, digest, data = stored
    names = tuple(r[0] for r in spec_records() if r[0] is not None)
    if isinstance(data, Mapping | list):  # reopened from a project: its numbers
        from nqpf.index import read_ahp_matrix

        matrix = read_ahp_matrix(data, names, name=name)
        return tuple(tuple(float(x) for x in row) for row in matrix.tolist())
    return _ahp_matrix(digest, data, name, names)


def special_index_options(prefix: str, values: dict[str, Any]) -> dict[str, Any]:
    """The options of :data:`SPECIAL_INDEX_OPTIONS` that are given under ``prefix``, and
    ``weights`` when they are user-given (:func:`given_weights`): the
    AHP matrix when AHP weights are used (a file that cannot be read is left out: the
    page shows its message where it was uploaded), the given points when any is set."""
    out: dict[str, Any] = {}
    weights = given_weights(prefix)
    if weights is not None:  # instead of the method (and its AHP matrix)
        out["weights"] = weights
    members = values.get("combine") or () if values.get("weights") == "combined" else ()
    if weights is None and "ahp" in (values.get("weights"), *members):
        with contextlib.suppress(InputError):
            matrix = ahp_matrix(prefix)
            if matrix is not None:
                out["ahp_matrix"] = matrix
    for name in ("ideal_point", "anti_ideal_point"):
        given = st.session_state.get(prefix + name)
        if given:
            out[name] = tuple(given)
    return out


def register_bytes(source: Source) -> None:
    """Remember a file's bytes by digest so cached runs can be recomputed after eviction."""
    store: dict[str, bytes] = st.session_state.setdefault("src.bytes", {})
    store[source.digest] = source.data


def _bytes_of(digest: str) -> bytes:
    store: dict[str, bytes] = st.session_state.get("src.bytes", {})
    if digest in store:
        return store[digest]
    builtin = default_source()
    if builtin.digest == digest:
        return builtin.data
    raise InputError("the uploaded file is no longer in this session", hint="upload it again")


def keep_columns(panel: Panel, config: PanelConfig, spec: IndicatorSpec) -> list[str]:
    """Panel columns carried into the scores: text columns and the group column."""
    skip = {config.region, config.year, *spec.names}
    return [
        c
        for c, dtype in panel.frame.schema.items()
        if c not in skip and (dtype == pl.String or c == config.group)
    ]


def output_column(result: IndexResult, name: str) -> str:
    """The actual name of an index run's output column ``name`` (``score``, ``rank`` …).

    nqpf namespaces an output column whose name a panel column already has
    (``score`` → ``nqpf_score``) and says so in :meth:`IndexResult.column`; the app
    never assumes the plain name.
    """
    return result.column(name)


def dimension_columns(result: IndexResult) -> dict[str, str]:
    """Dimension → its column in the scores, as the index named it
    (:attr:`IndexResult.dimension_columns`: ``dim_<name>`` when the name was taken)."""
    return dict(result.dimension_columns)


#: A text column splits the regions into groups when it has 2 … this many values (and
#: fewer than the regions): a macro-region column, not a name or a label column.
MAX_GROUPS = 12


def group_columns(result: IndexResult) -> list[str]:
    """The scores' text columns that split the regions into 2–:data:`MAX_GROUPS` groups
    (e.g. a macro-region column): what every page offers as a grouping."""
    scores, region, year = result.scores, result.region, result.year
    n_regions = scores.get_column(region).n_unique()
    return [
        c
        for c, dtype in scores.schema.items()
        if c not in (region, year)
        and dtype == pl.String
        and 2 <= scores.get_column(c).n_unique() <= min(MAX_GROUPS, n_regions - 1)
    ]


def carried_columns(result: IndexResult) -> list[str]:
    """Panel columns carried into the scores (group, weight and label columns)."""
    fixed = {result.region, result.year, *(result.column(n) for n in SCORE_COLUMNS)}
    fixed |= set(result.dimension_columns.values())
    return [c for c in result.scores.columns if c not in fixed]


def index_options_of(key: IndexKey) -> IndexOptions:
    """The checked options of an index run (the Index and Compare pages check them
    before they make a key, so this raises only for a key made elsewhere)."""
    return IndexOptions(**dict(key.options))


@st.cache_data(show_spinner=False, max_entries=32)
def _compute_index(key: IndexKey, _data: bytes, max_bytes: int) -> IndexResult:
    panel = load_panel(key.digest, _data, key.name, key.config, max_bytes)
    spec = spec_from_records(key.spec)
    keep = keep_columns(panel, key.config, spec)
    return entropy_topsis(panel, spec, keep=keep, options=index_options_of(key))


def compute_index(key: IndexKey) -> IndexResult:
    return _compute_index(key, _bytes_of(key.digest), upload_limit_mb() << 20)


def make_index_key(options: dict[str, Any] | None = None) -> IndexKey | None:
    """The key of an index run on the current data, spec and options (None if no data)."""
    source, config = current_source(), current_config()
    if source is None or config is None:
        return None
    register_bytes(source)
    opts = index_options() if options is None else options
    return IndexKey(source.digest, source.name, config, spec_records(), tuple(sorted(opts.items())))


def stale_index_notice() -> None:
    """Warn when the data, spec or options changed since the index run shown below."""
    key: IndexKey | None = st.session_state.get("run.index")
    if key is not None and key != make_index_key():
        st.warning(t("common.index_stale", name=verbatim(key.name)), icon=":material/update:")


def index_run() -> tuple[IndexKey, IndexResult] | None:
    """The last index run (by the Index page's button), from the cache."""
    key: IndexKey | None = st.session_state.get("run.index")
    if key is None:
        return None
    ok, result = attempt(compute_index, key)
    return (key, result) if ok else None


def require_index(before_stop: Callable[[], None] | None = None) -> tuple[IndexKey, IndexResult]:
    """The last index run, for a page that analyses it; without one, the page says to
    compute the index first (after ``before_stop``, e.g. its method's explanation) and
    stops. With one that no longer matches the inputs, the stale notice is shown."""
    run = index_run() if "run.index" in st.session_state else None
    if run is None:
        st.info(t("common.need_index"), icon=":material/info:")
        if before_stop is not None:
            before_stop()
        st.stop()
    stale_index_notice()
    return run


# ---------------------------------------------------------------------------
# Echelons and Dagum
# ---------------------------------------------------------------------------


class EchelonKey(NamedTuple):
    """An echelon run: :class:`nqpf.options.EchelonOptions`' rule, k and SD multiplier,
    and the rule's input (cut points or a column) and the tier labels."""

    rule: str
    k: int | None
    thresholds: tuple[float, ...] | None
    column: str | None
    labels: str | None
    sd_multiplier: float


@st.cache_data(show_spinner=False, max_entries=32)
def _compute_echelons(key: IndexKey, ech: EchelonKey, _data: bytes, max_bytes: int) -> Any:
    echelons = optional("groups", "echelons")
    result = _compute_index(key, _data, max_bytes)
    options: dict[str, Any] = {"rule": ech.rule, "labels": ech.labels}
    if ech.rule == "thresholds":
        options["thresholds"] = list(ech.thresholds or ())
    elif ech.rule == "column":
        options["column"] = ech.column
    else:
        options |= {"k": ech.k, "sd_multiplier": ech.sd_multiplier}
    score = output_column(result, "score")
    return echelons(result.scores, score, result.region, result.year, **options)


def compute_echelons(key: IndexKey, ech: EchelonKey) -> Any:
    """:func:`nqpf.groups.echelons` of an index run's scores: an EchelonResult."""
    return _compute_echelons(key, ech, _bytes_of(key.digest), upload_limit_mb() << 20)


def with_echelons(
    frame: pl.DataFrame, region: str, key: IndexKey, ech: EchelonKey
) -> tuple[pl.DataFrame, str]:
    """``frame`` with each region's tier label as a column: (frame, its name).

    The column is ``echelon``, or ``nqpf_echelon`` … when the panel has that name
    (:func:`nqpf._frames.output_name`): the user's column is never replaced.
    """
    result = compute_echelons(key, ech)
    # the tier label column steps aside (nqpf_label) when the region column is "label"
    label = getattr(result, "label_column", "label")
    tiers = result.assignments
    name = output_name("echelon", frame.columns)
    joined = frame.join(
        tiers.select(pl.col(region), pl.col(label).alias(name)),
        on=region,
        how="left",
        maintain_order="left",
    )
    return joined, name


@st.cache_data(show_spinner=False, max_entries=32)
def _compute_sensitivity(
    key: IndexKey,
    k: int | None,
    thresholds: tuple[float, ...] | None,
    sd_multiplier: float,
    _data: bytes,
    max_bytes: int,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    sensitivity = optional("groups", "echelon_sensitivity")
    agreement = optional("groups", "echelon_agreement")
    result = _compute_index(key, _data, max_bytes)
    # the rules that tier from k alone: the paper report's choices (nqpf.options)
    rules: dict[str, Any] = {r: r for r in ReportOptions.info("echelon_rule").choices}
    if thresholds:
        rules["thresholds"] = {"rule": "thresholds", "thresholds": list(thresholds)}
    score = output_column(result, "score")
    table = sensitivity(
        result.scores,
        score,
        result.region,
        result.year,
        rules=rules,
        k=k,
        sd_multiplier=sd_multiplier,
    )
    pairs = agreement(table, region=result.region) if agreement else pl.DataFrame()
    return table, pairs


def compute_sensitivity(
    key: IndexKey, k: int | None, thresholds: tuple[float, ...] | None, sd_multiplier: float
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """:func:`nqpf.groups.echelon_sensitivity` of an index run under every k-rule (and the
    thresholds, when given); with its pairwise agreement table."""
    return _compute_sensitivity(
        key, k, thresholds, sd_multiplier, _bytes_of(key.digest), upload_limit_mb() << 20
    )


class DagumKey(NamedTuple):
    index: IndexKey
    #: A panel column, or None for the echelons (no string can mean "the echelons":
    #: a user's column may be called "echelon").
    grouping: str | None
    echelons: EchelonKey | None
    weights: str | None


def dagum_frame(key: DagumKey) -> tuple[pl.DataFrame, str, str]:
    """The scores with the group column the decomposition splits by: (frame, group, year)."""
    result = compute_index(key.index)
    if key.grouping is None:
        assert key.echelons is not None
        scores, group = with_echelons(result.scores, result.region, key.index, key.echelons)
        return scores, group, result.year
    return result.scores, key.grouping, result.year


def run_dagum(key: DagumKey, **options: Any) -> Any:
    """:func:`nqpf.dagum.dagum_gini` of the decomposition ``key`` (``options``: its bootstrap).

    A text weights column (CSV cells) is parsed by ``dagum_gini``, which names a cell
    that is not a number.
    """
    dagum_gini = optional("dagum", "dagum_gini")
    frame, group, year = dagum_frame(key)
    score = output_column(compute_index(key.index), "score")
    return dagum_gini(frame, value=score, group=group, by=year, weights=key.weights, **options)


@st.cache_data(show_spinner=False, max_entries=32)
def _compute_dagum(key: DagumKey, _data: bytes, max_bytes: int) -> Any:
    return run_dagum(key)


def compute_dagum(key: DagumKey) -> Any:
    return _compute_dagum(key, _bytes_of(key.index.digest), upload_limit_mb() << 20)


# ---------------------------------------------------------------------------
# Tables for the Export page
# ---------------------------------------------------------------------------


class Published(NamedTuple):
    """A table offered on the Export page, with the inputs it was computed from.

    ``inputs`` are ``(session-state key, value)`` pairs: the keys whose values the
    table depends on (``run.index``: the :class:`IndexKey` of its index run; the page's
    option key or ``w.*`` widgets) and the values they had when the table was
    computed. The table is *current* while every key still holds its value
    (:func:`changed_inputs`); the check re-reads session state, so a table whose page
    is not shown becomes stale as soon as an input it names changes.
    """

    table: pl.DataFrame
    inputs: tuple[tuple[str, Any], ...]
    page: str | None = None


#: Widgets that change no result (the language; the Export page's own choices).
UNRELATED_WIDGETS = ("w.lang", "w.exp.")
#: Session-state key of the published tables (name → :class:`Published`).
PUBLISHED = "tables.published"


def _widget_keys_this_run() -> list[str] | None:
    """The user keys of the widgets drawn so far in this script run (in the order drawn),
    or None where Streamlit does not tell (then every ``w.*`` key counts)."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        keys = ctx.shared.widget_user_keys_this_run.snapshot()  # type: ignore[union-attr]
    except Exception:  # another Streamlit version or no script run: the safe superset
        return None
    return sorted(str(k) for k in keys)


def current_inputs() -> dict[str, Any]:
    """The inputs of a table computed now, from what the page shows: the index run
    (``run.index``) and the ``w.*`` widgets the page has drawn so far in this run
    (except the language and the Export page's own; :data:`UNRELATED_WIDGETS`)."""
    drawn = _widget_keys_this_run()
    keys = drawn if drawn is not None else [k for k in st.session_state if isinstance(k, str)]
    inputs: dict[str, Any] = {}
    if "run.index" in st.session_state:
        inputs["run.index"] = st.session_state["run.index"]
    for key in keys:
        widget = key.startswith(PERSIST_PREFIX) and not key.startswith(UNRELATED_WIDGETS)
        if widget and key in st.session_state:
            inputs[key] = st.session_state[key]
    return inputs


_MISSING = object()


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a is b or a == b)
    except Exception:  # values that do not compare (frames): treat as changed
        return False


def changed_inputs(inputs: Sequence[tuple[str, Any]] | dict[str, Any]) -> list[str]:
    """The keys among ``inputs`` (``(key, value)`` pairs or a dict) whose session-state
    value is no longer the recorded one: what makes a result stale."""
    pairs = inputs.items() if isinstance(inputs, dict) else inputs
    return [k for k, v in pairs if not _same(st.session_state.get(k, _MISSING), v)]


def describe_inputs(keys: Sequence[str]) -> str:
    """The changed inputs in words: ``stale.what.<key>`` when the app has a text for
    it (``run.index`` → "the index run"), else the option's name (``w.ech.k`` → ``ech.k``)."""
    from nqpf.app.i18n import TEXT

    words = []
    for key in keys:
        text = t(f"stale.what.{key}") if f"stale.what.{key}" in TEXT else key.removeprefix("w.")
        if text not in words:
            words.append(text)
    return ", ".join(words)


def stale_badge(names: Sequence[str], changed: Sequence[str], *, where: Any = None) -> None:
    """The visible badge of stale results: which tables, and which inputs changed."""
    from nqpf.app.i18n import TEXT

    titles = [t(f"table.{n}") if f"table.{n}" in TEXT else n for n in names]
    (where or st).badge(
        t("stale.badge", tables="; ".join(titles), what=describe_inputs(changed)),
        icon=":material/update:",
        color="orange",
    )


#: Session id → (this script run, {changed inputs: (badge slot, table names)}).
_BADGES: dict[str, tuple[int, dict[tuple[str, ...], tuple[Any, list[str]]]]] = {}
_BADGES_LOCK = threading.Lock()


def _badge_once(name: str, changed: list[str]) -> None:
    """One badge per set of changed inputs per script run: a page that publishes four
    tables of one stale run says so once, naming the four (the badge is drawn where
    the first of them is published and redrawn as the others come)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None:
        return
    run = id(ctx.cursors)  # a new dict at the start of every script run
    with _BADGES_LOCK:
        seen, groups = _BADGES.get(ctx.session_id, (None, {}))
        if seen != run:
            groups = {}
            _BADGES[ctx.session_id] = (run, groups)
        group = tuple(changed)
        if group not in groups:
            groups[group] = (st.empty(), [])
        slot, names = groups[group]
        names.append(name)
    stale_badge(names, changed, where=slot)


def published() -> dict[str, Published]:
    """Every table the pages published (name → :class:`Published`), current or not."""
    return dict(st.session_state.get(PUBLISHED, {}))


def index_tables() -> dict[str, Published]:
    """The spec and the tables of the index run (:meth:`IndexResult.tables`), recorded
    as computed from that run: the spec is the run's, not the one being edited."""
    tables: dict[str, pl.DataFrame] = {}
    key: IndexKey | None = st.session_state.get("run.index")
    records = key.spec if key is not None else spec_records()
    if records:
        tables["spec"] = pl.DataFrame(
            [dict(zip(SPEC_FIELDS, r, strict=True)) for r in records],
            schema=dict.fromkeys(SPEC_FIELDS, pl.String),
        )
    run = index_run() if key is not None else None
    if run is not None:
        tables.update(run[1].tables())  # the result protocol's tables (nqpf.results)
    inputs = (("run.index", key),) if key is not None else ()
    return {name: Published(table, inputs, "index") for name, table in tables.items()}


def all_tables() -> dict[str, Published]:
    """The index run's tables and every published one (name → :class:`Published`)."""
    return index_tables() | published()


def stale_tables() -> dict[str, list[str]]:
    """The published tables whose inputs changed: name → the changed input keys."""
    stale = {}
    for name, entry in all_tables().items():
        changed = changed_inputs(entry.inputs)
        if changed:
            stale[name] = changed
    return stale


def collected_tables(*, include_stale: bool = False) -> dict[str, pl.DataFrame]:
    """Every table of the current analysis, by name (what the Export page offers).

    Only tables computed from the current inputs (:func:`stale_tables`): a table
    of an earlier index run or of earlier page options is left out, so an export
    never mixes results of different inputs. ``include_stale`` adds them back.
    """
    stale = {} if include_stale else stale_tables()
    return {n: e.table for n, e in all_tables().items() if n not in stale}


def publish(
    name: str,
    table: pl.DataFrame | None,
    *,
    inputs: dict[str, Any] | None = None,
    badge: bool = True,
) -> None:
    """Offer a page's table on the Export page (kept until replaced), with the inputs
    it was computed from.

    ``inputs``: session-state key → the value it had when ``table`` was computed
    (:class:`Published`). By default (:func:`current_inputs`) the index run and the
    ``w.*`` widgets the page has drawn before this call: right for a table computed
    on the spot from the widgets above it. A page that shows a *stored* run (computed
    when a button was pressed) passes the keys that run came from, e.g.
    ``{"run.index": run.index, "run.dyn": stored_key, "dyn.wanted": stored_key}``,
    where the page writes its widgets' current key to ``dyn.wanted`` on every run;
    the table is then stale as soon as the widgets ask for another run.

    A table published stale gets a visible badge saying which inputs changed
    (``badge=False``: the page says it itself).
    """
    store: dict[str, Published] = st.session_state.setdefault(PUBLISHED, {})
    if table is None:
        store.pop(name, None)
        return
    recorded = current_inputs() if inputs is None else dict(inputs)
    store[name] = Published(table, tuple(recorded.items()), st.session_state.get("page.last"))
    changed = changed_inputs(recorded)
    if changed and badge:
        _badge_once(name, changed)


# ---------------------------------------------------------------------------
# Cross-validation against R
# ---------------------------------------------------------------------------


def crossval_panel(
    panel: Panel, key: IndexKey, dagum: DagumKey | None
) -> tuple[Panel, dict[str, Any]]:
    """The panel and Dagum options for :func:`nqpf.crossval.compare`.

    Echelons are not a panel column, so for a decomposition by echelon the
    current tiers are joined to the panel as a column first.
    """
    if dagum is None or dagum.index != key:
        return panel, {}
    options: dict[str, Any] = {"by": panel.year, "dagum_weights": dagum.weights}
    if dagum.grouping is None:
        assert dagum.echelons is not None
        frame, name = with_echelons(panel.frame, panel.region, key, dagum.echelons)
        panel = read_panel(frame, region=panel.region, year=panel.year, name=panel.source)
        options["group"] = name
    else:
        options["group"] = dagum.grouping
    return panel, options


def run_crossval(compare: Callable[..., Any], key: IndexKey, dagum: DagumKey | None) -> Any:
    """:func:`nqpf.crossval.compare` on an index run (and its decomposition): the report."""
    panel = source_panel_of(key)
    spec = spec_from_records(key.spec)
    panel, dagum_options = crossval_panel(panel, key, dagum)
    with r_conversion():
        return compare(panel, spec, options=index_options_of(key), **dagum_options)


@contextlib.contextmanager
def r_conversion() -> Iterator[None]:
    """rpy2's default conversion rules for the calls inside.

    rpy2 keeps its conversion rules in a ``contextvars.ContextVar`` that is set
    in the thread that first imports ``rpy2.robjects``; Streamlit runs every
    rerun in a new thread, which starts without them, so R calls made there
    fail with rpy2's "Conversion rules ... appear to be missing". Without R or
    rpy2 this does nothing (:mod:`nqpf.rbridge` reports that itself).
    """
    try:
        import rpy2.robjects as ro
    except Exception:  # rpy2 missing, or R missing/broken: rbridge says which
        yield
        return
    with ro.default_converter.context():
        yield


def r_routines() -> pl.DataFrame:
    """:func:`nqpf.rbridge.routines` in an rpy2 conversion context."""
    routines = optional("rbridge", "routines")
    with r_conversion():
        return routines()


def source_panel_of(key: IndexKey) -> Panel:
    """The panel an index run was computed on."""
    return load_panel(
        key.digest, _bytes_of(key.digest), key.name, key.config, upload_limit_mb() << 20
    )
