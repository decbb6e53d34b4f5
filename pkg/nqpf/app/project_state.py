"""The session as a project file (:mod:`nqpf.project`) and back: "Download project"
on the Export page (:func:`download`) and "Open project" in the sidebar
(:func:`open_section`, on every page).

Which widgets hold which options is ONE table, :data:`BINDINGS`: an options family
(:data:`nqpf.options.FAMILIES`' name) → the widget keys of the page that shows it
(``prefix + option name``, or the key in ``keys`` where a page named it otherwise).
A page registers its family with one line there, e.g. the Dynamics page's Markov
chain: ``"markov": Binding(MarkovOptions, "w.dyn.markov.")``; a family shown on no
page yet is saved at the opened project's values (else its defaults). Every other
``w.*`` widget value (view choices, the Compare page's two configurations, the
Robustness page, which has no family of its own) is saved as it is under ``[app]`` and
set again on opening; the Data page's widgets are made from ``[data]``.

The inputs no generic widget holds: an uploaded AHP matrix (:data:`AHP_PREFIXES`) is
saved as its numbers in the spec's order — the Index page's in ``[options.index]
ahp_matrix``, a Compare configuration's under ``[app]`` (``"cmp.a.ahp_matrix"``) — and
reopened as those numbers by indicator (:func:`nqpf.app.state.ahp_file_key`). The
Index page's given weights are ``[options.index] weights`` (indicator → weight, as
typed), a configuration's ``"cmp.a.weights"`` under ``[app]``; reopened into the
given-weights table (:func:`nqpf.app.state.given_weights`). The given ideal and
anti-ideal points (:data:`POINTS`) are the Index page's ``[options.index]`` ones and a
configuration's ``[app]`` texts, filled into their tables on opening. The
Spatial page's weights and the Geodetector page's factors (:data:`RUN_WIDGETS`) are
``[run]``, what ``nqpf run`` reads: a built-in kind with its parameter, or an uploaded
weights file by name and SHA-256, which opening asks for again (fingerprint checked).

Saving reads the session: the data source (the embedded panel, or the uploaded file's
name and SHA-256), :func:`nqpf.app.state.current_config`, the spec
(:func:`~nqpf.app.state.spec_records`), each bound family's widgets (checked by the
family: one line when they are not valid together), the report's options (its echelon
rule and k are the Disparity page's, :func:`nqpf.app.export.report_arguments`; the
language is the app's). Opening sets those keys before the pages draw (in the
uploader's callback), so every page shows the saved choices, and drops the runs of the
previous analysis. Data that is not the embedded panel must be uploaded again; its
fingerprint must match (one line if not).

No statistics here, and no copy of an option's rule: values are judged by
:mod:`nqpf.options` and :mod:`nqpf.project`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from nqpf.app import state
from nqpf.app.i18n import LANGUAGE_KEY, LANGUAGES, current_language, t
from nqpf.app.runs.spatial import SEED as SPATIAL_SEED
from nqpf.app.runs.spatial import UPLOAD
from nqpf.app.verbatim import verbatim
from nqpf.errors import InputError
from nqpf.options import (
    ClubOptions,
    CouplingOptions,
    DagumOptions,
    EchelonOptions,
    GeodetectorOptions,
    IndexOptions,
    InequalityOptions,
    MarkovOptions,
    Option,
    Options,
    ReportOptions,
    SpatialOptions,
)
from nqpf.project import WEIGHT_KEYS, Project, RunSettings


@dataclass(frozen=True)
class Binding:
    """The widgets of one options family: ``prefix + name`` for each option the page
    shows (``names``; None: every app-visible option), ``keys`` where a page chose
    another key."""

    family: type[Options]
    prefix: str
    names: tuple[str, ...] | None = None
    keys: Mapping[str, str] = field(default_factory=dict)
    #: The widget value that stands for None of a nullable option (a selectbox cannot
    #: show None: the Spatial page's "own", each statistic's own default).
    none: str | None = None
    #: The page's start of an option whose widget does not start at the declared
    #: default (the Spatial page's seed), saved while the page has not been drawn.
    starts: Mapping[str, Any] = field(default_factory=dict)

    def key(self, name: str) -> str:
        return self.keys.get(name, self.prefix + name)

    def shown(self) -> tuple[Option, ...]:
        """The options whose widgets the page has."""
        if self.names is None:
            return tuple(info for info in self.family.describe() if info.app)
        return tuple(self.family.info(name) for name in self.names)


#: Options family → its page's widgets: the ONE table (see the module docstring).
BINDINGS: dict[str, Binding] = {
    "index": Binding(IndexOptions, state.INDEX_PREFIX),
    "echelons": Binding(EchelonOptions, "w.ech.", names=("rule", "k", "sd_multiplier")),
    "dagum": Binding(
        DagumOptions,
        "w.boot.",
        names=("bootstrap", "level", "seed"),
        keys={"bootstrap": "w.boot.B"},
    ),
    "report": Binding(ReportOptions, "w.exp.", names=("group_order",)),
    # the issue-15 pages: one line per family
    "markov": Binding(MarkovOptions, "w.dyn.markov.", names=("k", "classes", "cutoffs")),
    "clubs": Binding(ClubOptions, "w.dyn.clubs."),
    "inequality": Binding(
        InequalityOptions,
        "w.ine.",
        names=("measure", "alpha", "epsilon", "nu", "correction", "bootstrap", "level"),
    ),
    "coupling": Binding(CouplingOptions, "w.cou."),
    "geodetector": Binding(GeodetectorOptions, "w.geo."),
    "spatial": Binding(
        SpatialOptions,
        "w.spa.opt.",
        names=tuple(info.name for info in SpatialOptions.describe()),
        keys={"seed": "w.spa.seed"},
        none="own",
        starts={"seed": SPATIAL_SEED},
    ),
    # The Robustness page (w.rob.*) has no family to bind: its grid is lists of
    # IndexOptions choices and its echelon options are a second EchelonOptions (the
    # family is the Disparity page's); its widgets are saved under [app].
}

#: The Index page's and the Compare page's configurations' options prefixes: each may
#: hold an AHP matrix (:func:`nqpf.app.state.ahp_file_key`). The Index page's is saved
#: in ``[options.index] ahp_matrix``, a configuration's under ``[app]`` as
#: ``"cmp.a.ahp_matrix"`` (the numbers, a row per indicator in the spec's order).
AHP_PREFIXES = (state.INDEX_PREFIX, "w.cmp.a.", "w.cmp.b.")

#: The given ideal points of a table of the Index and Compare pages (option names).
POINTS = ("ideal_point", "anti_ideal_point")
#: The Index page's keys that are saved in ``[options.index]`` (not under ``[app]``): the
#: "Given weights" tick (user weights or a method) and the given points' texts.
INDEX_SAVED = (
    state.given_weights_key(state.INDEX_PREFIX),
    *(state.INDEX_PREFIX + point for point in POINTS),
)

#: The Spatial page's weights widgets and the Geodetector page's factors: saved in
#: ``[run]`` (what ``nqpf run`` reads), so not under ``[app]``.
RUN_WIDGETS = (
    "w.spa.w.kind",
    "w.spa.w.k",
    "w.spa.w.power",
    "w.spa.w.threshold",
    "w.spa.w.link_islands",
    "w.spa.w.id",
    "w.spa.w.rule",
    "w.geo.factors",
)

#: The Data page's widgets (made from ``[data]``, not saved under ``[app]``).
DATA_PREFIX = "w.data."

#: Session keys of the runs of an analysis (dropped when another one is opened).
#: Every page keeps its run under a ``run.`` key (``run.index``, ``run.geo`` …): all are dropped.
RUNS = ("boot.result", "paper", state.PUBLISHED, "spatial.weights", "spa.upload")
RUN_PREFIX = "run."


def _from_widget(info: Option, value: Any) -> Any:
    """A widget's value as the option's (a ``values`` widget is a comma-separated text)."""
    from nqpf.app.widgets import values_of

    return values_of(info, value) if info.kind == "values" and isinstance(value, str) else value


def _to_widget(info: Option, value: Any) -> Any:
    if info.kind == "values":  # a multiselect of declared choices, else a text
        return list(value or ()) if info.choices else ", ".join(value or ())
    if info.kind == "number" and value is not None:
        return float(value)
    return value


def _bound_keys() -> set[str]:
    return {b.key(info.name) for b in BINDINGS.values() for info in b.shown()}


def _plain(value: Any) -> bool:
    """A widget value a project file holds as it is (texts, numbers, flags, lists)."""
    if isinstance(value, str | bool | int | float):
        return True
    return isinstance(value, list | tuple) and all(isinstance(v, str | int | float) for v in value)


def _options(opened: Project | None) -> dict[str, Options]:
    """Each bound family's options as its widgets hold them (over the opened project's)."""
    out: dict[str, Options] = {}
    for name, binding in BINDINGS.items():
        base = opened.option(name) if opened is not None else binding.family()
        values = {info.name: getattr(base, info.name) for info in binding.family.describe()}
        for info in binding.shown():
            if info.name in binding.starts and (opened is None or name not in opened.options):
                values[info.name] = binding.starts[info.name]
            if binding.key(info.name) in st.session_state:
                value = st.session_state[binding.key(info.name)]
                none = binding.none is not None and value == binding.none and info.nullable
                values[info.name] = None if none else _from_widget(info, value)
        if name == "index":  # the uploaded (or reopened) matrix, not a generic widget
            rows = _ahp_rows(state.INDEX_PREFIX)
            # a matrix file the opened project names (the app does not read it) stays
            named = base.ahp_matrix if isinstance(base.ahp_matrix, str) else None
            values["ahp_matrix"] = named if rows is None else rows
            # the given ideal points (the table's texts indicator=value; none: the rule)
            for point in POINTS:
                if state.INDEX_PREFIX + point in st.session_state:
                    values[point] = st.session_state[state.INDEX_PREFIX + point] or None
            # the given weights (the table's), else the method
            given = saved_weights(state.INDEX_PREFIX)
            if given is not None:
                values["weights"] = given
            elif not isinstance(values["weights"], str):  # unticked: the method
                values["weights"] = binding.family.info("weights").default
        if name == "report":  # the Disparity page's tiers and the app's language
            from nqpf.app import export

            rule, k = st.session_state.get("w.ech.rule"), st.session_state.get("w.ech.k")
            arguments = export.report_arguments(None, (), rule, k, current_language())
            # tiers not chosen in this session: the opened project's (else the defaults)
            chosen = ("echelon_rule", "k", "language") if rule is not None else ("language",)
            values.update({n: arguments[n] for n in chosen})
        out[name] = binding.family(**values)
    if "markov" in out and "report" in out:
        # one Markov k: the Dynamics page's chain is the report's (build_report refuses a
        # markov_k that disagrees with the Markov options' k)
        out["report"] = out["report"].replace(markov_k=out["markov"].k)
    return out


def _ahp_rows(prefix: str) -> list[list[float]] | None:
    """The AHP matrix of the options under ``prefix`` in the spec's order (None when
    none was given, or when it does not fit the spec: the page says why)."""
    try:
        matrix = state.ahp_matrix(prefix)
    except InputError:
        return None
    return None if matrix is None else [list(row) for row in matrix]


def saved_weights(prefix: str) -> dict[str, float] | list[Any] | None:
    """The given weights of the options under ``prefix`` as a project file holds them
    (indicator → weight in the spec's order, or a project's list as it was), None when
    they are not given; the library's one line when they are not usable with the spec
    (:func:`nqpf.index.user_index_weights`), so that no project is saved that ``nqpf
    run`` refuses."""
    from nqpf.index import user_index_weights

    given = state.given_weights(prefix)
    if given is None:
        return None
    names = [r[0] for r in state.spec_records() if r[0] is not None]
    user_index_weights(IndexOptions(weights=given), names)
    return dict(given) if isinstance(given, Mapping) else list(given)


def _run_settings(opened: Project | None) -> RunSettings:
    """``[run]`` from the Spatial page's weights (:data:`nqpf.app.runs.spatial.WeightsKey`)
    and the Geodetector page's factors; a page not visited since the project was
    opened keeps the project's."""
    ss = st.session_state
    base = opened.run if opened is not None else RunSettings()
    values: dict[str, Any] = {
        "validate": base.validate,
        "geodetector_factors": tuple(ss.get("w.geo.factors", base.geodetector_factors)),
    }
    if "spatial.weights" not in ss:  # the Spatial page not drawn since opening
        spatial = {n: getattr(base, n) for n in WEIGHT_KEYS}
    else:
        key = ss["spatial.weights"]
        spatial = {}
        if key is not None and key.kind == UPLOAD:
            spatial = {
                "spatial_weights": key.name,
                "weights_sha256": key.digest,
                "weights_id": key.id,
                "rule": key.rule,
            }
        elif key is not None:
            from nqpf.spatial.builders import builtin_weights

            spatial = {
                "spatial_weights": _default_of(builtin_weights, "name"),
                "weights_kind": key.kind,
                "weights_k": key.k,
                "weights_power": key.power,
                "weights_threshold": key.threshold,
                "weights_link_islands": key.link_islands,
            }
    return RunSettings(**values, **spatial)


def _default_of(function: Any, name: str) -> Any:
    import inspect

    return inspect.signature(function).parameters[name].default


def session_project() -> Project:
    """The current session as a :class:`~nqpf.project.Project`; one InputError when
    there is no data yet, or the spec or options are not valid."""
    from nqpf.project import DataSource

    source, config = state.current_source(), state.current_config()
    if source is None or config is None:
        raise InputError("there is no data to save yet", hint="choose the data on the Data page")
    data = DataSource(
        file=source.name,
        sha256=source.digest,
        builtin=source.builtin,
        region=config.region,
        year=config.year,
        group=config.group,
        indicator=config.indicator,
        value=config.value,
        exclude=config.exclude,
        read=config.read.replace(form=config.form),
    )
    opened: Project | None = st.session_state.get("project.opened")
    bound = _bound_keys()
    app = {
        key: list(value) if isinstance(value, tuple) else value
        for key, value in sorted(st.session_state.to_dict().items())
        if isinstance(key, str)
        and key.startswith(state.PERSIST_PREFIX)
        and not key.startswith(DATA_PREFIX)
        and key not in bound
        and key not in RUN_WIDGETS
        and key != LANGUAGE_KEY
        and key not in INDEX_SAVED  # in [options.index]
        and _plain(value)
    }
    for prefix in AHP_PREFIXES[1:]:  # the Compare page's configurations
        rows = _ahp_rows(prefix)
        if rows is not None:
            app[_ahp_app_key(prefix)] = rows
        weights = saved_weights(prefix)
        if weights is not None:
            app[_weights_app_key(prefix)] = weights
    return Project(
        data=data,
        spec=state.spec_from_records(state.spec_records()),
        options={**(dict(opened.options) if opened else {}), **_options(opened)},
        run=_run_settings(opened),
        app=app,
    )


def _ahp_app_key(prefix: str) -> str:
    """``w.cmp.a.`` → ``cmp.a.ahp_matrix``: a configuration's matrix under ``[app]``."""
    return prefix.removeprefix(state.PERSIST_PREFIX) + "ahp_matrix"


def _weights_app_key(prefix: str) -> str:
    """``w.cmp.a.`` → ``cmp.a.weights``: a configuration's given weights under ``[app]``."""
    return prefix.removeprefix(state.PERSIST_PREFIX) + "weights"


def _apply_weights(project: Project) -> None:
    """Each saved set of given weights as its table's (by indicator): the Index page's
    from ``[options.index] weights`` (user values instead of a method), a Compare
    configuration's from ``[app]``. Weights that do not fit the spec (another count, other
    indicators, not numbers) are kept as they are, so that the page shows the library's
    line about them."""
    ss, names = st.session_state, list(project.spec.names)
    index = project.option("index").weights
    given = {state.INDEX_PREFIX: None if isinstance(index, str) else index}
    given |= {p: project.app.get(_weights_app_key(p)) for p in AHP_PREFIXES[1:]}
    for prefix, weights in given.items():
        store, raw = state.weights_store_key(prefix), state.weights_raw_key(prefix)
        for key in (store, raw, store + "base"):
            ss.pop(key, None)
        if prefix == state.INDEX_PREFIX:
            ss[state.given_weights_key(prefix)] = weights is not None
        if weights is None:
            continue
        if isinstance(weights, Mapping):
            fits = sorted(map(str, weights)) == sorted(names)
            by_name = dict(weights) if fits else None
        else:
            fits = isinstance(weights, list | tuple) and len(weights) == len(names)
            by_name = dict(zip(names, weights, strict=True)) if fits else None
        numbers = by_name is not None and all(
            isinstance(w, int | float) and not isinstance(w, bool) for w in by_name.values()
        )
        if numbers:
            ss[store] = {n: float(by_name[n]) for n in names}
        else:
            ss[raw] = dict(weights) if isinstance(weights, Mapping) else list(weights)


def _apply_points(project: Project) -> None:
    """The given ideal and anti-ideal points as their tables' (by indicator): the Index
    page's from ``[options.index]``, a Compare configuration's from its ``[app]`` texts
    (``indicator=value``, as the page writes them; read by the option's own rule)."""
    from nqpf.app import index_extras

    names = list(project.spec.names)
    index = project.option("index")
    for prefix in AHP_PREFIXES:
        if prefix == state.INDEX_PREFIX:
            given = {p: getattr(index, p) for p in POINTS}
        else:
            texts = {p: project.app.get(prefix + p) for p in POINTS}
            try:
                given = {p: getattr(IndexOptions(**{p: texts[p]}), p) for p in POINTS}
            except InputError:  # hand-written texts: the page's table starts empty
                given = dict.fromkeys(POINTS)
        index_extras.set_points(prefix, names, given)


def _apply_ahp(project: Project) -> None:
    """Each saved AHP matrix as the numbers its prefix's options read (by indicator)."""
    names = project.spec.names
    given = {state.INDEX_PREFIX: project.option("index").ahp_matrix}
    given |= {p: project.app.get(_ahp_app_key(p)) for p in AHP_PREFIXES[1:]}
    label = project.source or "project.toml"
    for prefix, matrix in given.items():
        st.session_state.pop(state.ahp_file_key(prefix), None)
        rows: Any
        if isinstance(matrix, Mapping):
            rows = {str(a): dict(row) for a, row in matrix.items()}
        elif isinstance(matrix, list | tuple) and _square(matrix, len(names)):
            # by indicator, so that it follows the spec if the Indicators page reorders it
            rows = {a: dict(zip(names, r, strict=True)) for a, r in zip(names, matrix, strict=True)}
        elif isinstance(matrix, list | tuple) and all(isinstance(r, list | tuple) for r in matrix):
            # not k × k: the Index page says so
            rows = [list(r) for r in matrix]
        else:  # none, or a file named in the project: upload it on the page
            continue
        st.session_state[state.ahp_file_key(prefix)] = (label, None, rows)


def _square(matrix: Any, n: int) -> bool:
    return len(matrix) == n and all(isinstance(r, list | tuple) and len(r) == n for r in matrix)


def _apply_run(project: Project) -> None:
    """The Spatial page's weights widgets and the Geodetector page's factors from
    ``[run]``; a weights file is asked for in the sidebar (:func:`open_section`)."""
    ss, run = st.session_state, project.run
    for key in RUN_WIDGETS:
        ss.pop(key, None)
    ss.pop("project.weights", None)
    if run.geodetector_factors:
        ss["w.geo.factors"] = list(run.geodetector_factors)
    if run.spatial_weights is None:
        return
    from nqpf.spatial.builders import BUILTIN_REGIONS

    if run.spatial_weights in BUILTIN_REGIONS:
        ss["w.spa.w.kind"] = run.weights_kind or "contiguity"
        ss["w.spa.w.link_islands"] = run.weights_link_islands
        widgets = {"k": run.weights_k, "power": run.weights_power}
        widgets["threshold"] = run.weights_threshold
        for name, value in widgets.items():
            if value is not None:
                ss["w.spa.w." + name] = value
        return
    ss["w.spa.w.kind"] = UPLOAD
    ss["w.spa.w.id"] = run.weights_id or ""
    ss["w.spa.w.rule"] = run.rule
    ss["project.weights"] = project


def apply(project: Project, source: state.Source) -> None:
    """Set the session to ``project`` on the data ``source`` (call it before the pages
    draw: from a callback)."""
    ss = st.session_state
    d = project.data
    for key in [*RUNS, *(k for k in ss if isinstance(k, str) and k.startswith(RUN_PREFIX))]:
        ss.pop(key, None)
    ss["w.data.source"] = "default" if d.builtin else "upload"
    if not d.builtin:
        ss["src.upload"] = source
    state.register_bytes(source)
    sheet = d.read.sheet
    # the Data page guesses the columns of a file it has not seen: it has seen this one
    ss["data.seen"] = (source.digest, sheet)
    ss["data.sheets_of"] = source.digest
    if sheet is not None:
        ss["w.data.sheet"] = sheet
    widgets = {
        "region": d.region,
        "year": d.year,
        "group": state.NONE if d.group is None else d.group,
        "form": d.layout,
        "indicator": d.indicator or state.NONE,
        "value": d.value or state.NONE,
        "na": ", ".join(d.read.na_values),
        "decimal": d.read.decimal,
        "exclude": list(d.exclude),
    }
    for name, value in widgets.items():
        ss[DATA_PREFIX + name] = value
    config = state.PanelConfig(
        d.region,
        d.year,
        d.group,
        d.layout,
        d.indicator,
        d.value,
        read=d.read.replace(form="auto"),
        exclude=d.exclude,
    )
    ss["panel.config"] = config
    ss["spec.origin"] = (source.digest, sheet, d.layout, d.indicator, d.value)
    state.set_spec(project.spec.to_frame())
    for name, binding in BINDINGS.items():
        options = project.option(name)
        for info in binding.shown():
            value = getattr(options, info.name)
            user = name == "index" and info.name == "weights" and not isinstance(value, str)
            if value is None or user:
                # the page's own start (an empty k, its proposed seed); user weights are
                # the given-weights table's (_apply_weights), the method its default
                ss.pop(binding.key(info.name), None)
            else:
                ss[binding.key(info.name)] = _to_widget(info, value)
    language = project.option("report").language
    if language in LANGUAGES:
        ss[LANGUAGE_KEY] = language
    for key, value in project.app.items():
        if key.startswith(state.PERSIST_PREFIX) and not key.startswith(DATA_PREFIX):
            ss[key] = _app_value(key, value)
    _apply_ahp(project)
    _apply_weights(project)
    _apply_points(project)
    _apply_run(project)
    ss["project.opened"] = project


#: ``[app]`` widgets whose choices are tuples (TOML has lists only).
TUPLE_WIDGETS = ("w.rob.dagum",)


def _app_value(key: str, value: Any) -> Any:
    """A saved ``[app]`` value as its widget holds it."""
    return tuple(value) if key in TUPLE_WIDGETS and isinstance(value, list) else value


def _read_uploaded() -> None:
    """The Open project uploader's callback: read the file; apply it when its data is
    the embedded panel, else wait for the data file."""
    ss = st.session_state
    ss.pop("project.error", None)
    ss.pop("project.pending", None)
    ss.pop("project.weights", None)
    uploaded = ss.get("up.project")
    if uploaded is None:
        return
    try:
        project = Project.from_toml(uploaded.getvalue())
    except InputError as error:
        ss["project.error"] = error
        return
    project = dataclasses.replace(project, source=uploaded.name)  # for the pages' captions
    if project.data.builtin:
        source = state.default_source()
        try:
            project.check_fingerprint(
                source.data,
                source.name,
                hint="this nqpf ships other default data: save the project again",
            )
        except InputError as error:
            ss["project.error"] = error
            return
        apply(project, source)
        ss["project.done"] = project.data.file
    else:
        ss["project.pending"] = project


def _read_data() -> None:
    """The project data uploader's callback: the fingerprint checked, then applied."""
    ss = st.session_state
    ss.pop("project.error", None)
    project: Project | None = ss.get("project.pending")
    uploaded = ss.get("up.project.data")
    if project is None or uploaded is None:
        return
    data = uploaded.getvalue()
    try:
        project.check_fingerprint(
            data,
            uploaded.name,
            hint="upload the file the project was saved with, or open the file on the Data "
            "page and save a new project",
        )
    except InputError as error:
        ss["project.error"] = error
        return
    apply(project, state.Source.of(uploaded.name, data))
    ss.pop("project.pending", None)
    ss["project.done"] = uploaded.name


def _read_weights() -> None:
    """The project's weights uploader callback: the fingerprint checked, then kept as
    the Spatial page's upload."""
    ss = st.session_state
    ss.pop("project.error", None)
    project: Project | None = ss.get("project.weights")
    uploaded = ss.get("up.project.weights")
    if project is None or uploaded is None:
        return
    data = uploaded.getvalue()
    try:
        project.run.check_weights_fingerprint(
            data,
            uploaded.name,
            hint="upload the weights file the project was saved with, or upload another "
            "one on the Spatial page and save a new project",
        )
    except InputError as error:
        ss["project.error"] = error
        return
    source = state.Source.of(uploaded.name, data)
    state.register_bytes(source)
    ss["spa.upload"] = source
    ss.pop("project.weights", None)
    ss["project.done"] = uploaded.name


def download(where: Any = None) -> None:
    """The Download project button (the Export page): the session's project file, or
    the one line saying why it cannot be saved yet. The text is kept in the session
    (``project.toml``) for the tests."""
    where = where or st
    try:
        text = session_project().to_toml()
    except InputError as error:
        st.session_state.pop("project.toml", None)
        where.caption(t("prj.cannot", reason=verbatim(_message(error))))
        return
    st.session_state["project.toml"] = text
    where.download_button(
        t("prj.download"),
        data=text.encode("utf-8"),
        file_name="nqpf-project.toml",
        mime="application/toml",
        key="dl.project",
        on_click="ignore",
        icon=":material/save:",
        help=t("prj.download.help"),
    )


def open_section() -> None:
    """The sidebar's Open project: the uploader, then the data's when the project's data
    is an uploaded file; the outcome in one line."""
    waiting = "project.pending" in st.session_state or "project.weights" in st.session_state
    with st.expander(t("prj.title"), expanded=waiting):
        st.file_uploader(
            t("prj.open"),
            type=["toml"],
            key="up.project",
            on_change=_read_uploaded,
            help=t("prj.open.help"),
        )
        pending: Project | None = st.session_state.get("project.pending")
        if pending is not None:
            st.file_uploader(
                t("prj.data", name=verbatim(pending.data.file)),
                key="up.project.data",
                on_change=_read_data,
            )
        weights: Project | None = st.session_state.get("project.weights")
        # (a file uploaded on the Spatial page meanwhile is the user's choice)
        if pending is None and weights is not None and "spa.upload" not in st.session_state:
            st.file_uploader(
                t("prj.weights", name=verbatim(str(weights.run.spatial_weights))),
                key="up.project.weights",
                on_change=_read_weights,
            )
    # the outcome below the expander: it closes once nothing more is asked for, and a
    # message inside it would be hidden then
    error = st.session_state.get("project.error")
    if error is not None:
        state.show_error(error)
    done = st.session_state.pop("project.done", None)
    if done is not None:
        st.success(t("prj.opened", name=verbatim(done)), icon=":material/check_circle:")


def _message(error: InputError) -> str:
    from nqpf.error_translations import message

    return message(error, current_language())
