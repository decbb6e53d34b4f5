"""The session as a project file (:mod:`nqpf.project`) and back: "Download project"
on the Export page (:func:`download`) and "Open project" in the sidebar
(:func:`open_section`, on every page).

Which widgets hold which options is ONE table, :data:`BINDINGS`: an options family
(:data:`nqpf.options.FAMILIES`' name) → the widget keys of the page that shows it
(``prefix + option name``, or the key in ``keys`` where a page named it otherwise).
A page registers its family with one line there, e.g. the Dynamics page's Markov
chain: ``"markov": Binding(MarkovOptions, "w.dyn.markov.")``; a family shown on no
page yet is saved at the opened project's values (else its defaults). Every other
``w.*`` widget value (view choices, the Compare page's two configurations) is saved
as it is under ``[app]`` and set again on opening; the Data page's widgets are made
from ``[data]``.

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

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from nqpf.app import state
from nqpf.app.i18n import LANGUAGE_KEY, LANGUAGES, current_language, t
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
)
from nqpf.project import Project, RunSettings


@dataclass(frozen=True)
class Binding:
    """The widgets of one options family: ``prefix + name`` for each option the page
    shows (``names``; None: every app-visible option), ``keys`` where a page chose
    another key."""

    family: type[Options]
    prefix: str
    names: tuple[str, ...] | None = None
    keys: Mapping[str, str] = field(default_factory=dict)

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
}

#: The Data page's widgets (made from ``[data]``, not saved under ``[app]``).
DATA_PREFIX = "w.data."

#: Session keys of the runs of an analysis (dropped when another one is opened).
#: Every page keeps its run under a ``run.`` key (``run.index``, ``run.geo`` …): all are dropped.
RUNS = ("boot.result", "paper", state.PUBLISHED)
RUN_PREFIX = "run."


def _from_widget(info: Option, value: Any) -> Any:
    """A widget's value as the option's (a ``values`` widget is a comma-separated text)."""
    from nqpf.app.widgets import values_of

    return values_of(info, value) if info.kind == "values" and isinstance(value, str) else value


def _to_widget(info: Option, value: Any) -> Any:
    if info.kind == "values":
        return ", ".join(value or ())
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
            if binding.key(info.name) in st.session_state:
                values[info.name] = _from_widget(info, st.session_state[binding.key(info.name)])
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
        and key != LANGUAGE_KEY
        and _plain(value)
    }
    return Project(
        data=data,
        spec=state.spec_from_records(state.spec_records()),
        options={**(dict(opened.options) if opened else {}), **_options(opened)},
        run=opened.run if opened is not None else RunSettings(),
        app=app,
    )


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
            if value is None:  # the page's own start (an empty k, its proposed seed)
                ss.pop(binding.key(info.name), None)
            else:
                ss[binding.key(info.name)] = _to_widget(info, value)
    language = project.option("report").language
    if language in LANGUAGES:
        ss[LANGUAGE_KEY] = language
    for key, value in project.app.items():
        if key.startswith(state.PERSIST_PREFIX) and not key.startswith(DATA_PREFIX):
            ss[key] = value
    ss["project.opened"] = project


def _read_uploaded() -> None:
    """The Open project uploader's callback: read the file; apply it when its data is
    the embedded panel, else wait for the data file."""
    ss = st.session_state
    ss.pop("project.error", None)
    ss.pop("project.pending", None)
    uploaded = ss.get("up.project")
    if uploaded is None:
        return
    try:
        project = Project.from_toml(uploaded.getvalue())
    except InputError as error:
        ss["project.error"] = error
        return
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
    with st.expander(t("prj.title"), expanded="project.pending" in st.session_state):
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
        error = st.session_state.get("project.error")
        if error is not None:
            state.show_error(error)
        done = st.session_state.pop("project.done", None)
        if done is not None:
            st.success(t("prj.opened", name=verbatim(done)), icon=":material/check_circle:")


def _message(error: InputError) -> str:
    from nqpf.error_translations import message

    return message(error, current_language())
