"""The project file: a whole analysis saved as TOML and opened again.

A :class:`Project` holds everything an analysis depends on: the data (its file name,
or the embedded default panel, and the SHA-256 fingerprint of its bytes), how the data
is read (the key columns, the layout and :class:`~nqpf.options.ReadOptions`), the
indicator spec, the options of every analysis by family (each family of
:mod:`nqpf.options` under its own name, its options by their declared names), what
``nqpf run`` adds to the report (spatial weights, geodetector factors) and the app's
other page choices. :meth:`Project.to_toml` writes it, :meth:`Project.from_toml` reads
it back (``Project.from_toml(p.to_toml()) == p``); ``nqpf run project.toml`` reproduces
the report's tables and figures from the shell and the app's "Open project" restores
every page (docs/design.md, "The project file").

The format (version :data:`FORMAT`)::

    nqpf = "0.1.0"          # the version that wrote it
    format = 1
    [data]                  # file (relative to the project file's folder) or builtin
    file = "provinces.csv"
    sha256 = "…"            # the fingerprint checked when the data is read again
    region = "province"
    year = "year"
    group = "area"          # optional: indicator and value for the long layout
    form = "wide"           # and ReadOptions' other options: sheet, na_values, decimal
    [run]                   # optional: spatial_weights (a built-in name or a file
    spatial_weights = "w.gal"  # beside the project), weights_sha256 (a file's),
    weights_sha256 = "…"    # weights_kind and weights_k/power/threshold/link_islands
    rule = "queen"          # (built-in weights as the app builds them), weights_id,
    geodetector_factors = []   # rule, geodetector_factors, validate
    [options.index]         # one table per options family (FAMILIES), by option name
    weights = "ahp"         # an AHP matrix: its numbers, one row per indicator in
    ahp_matrix = [[1.0, 3.0], [0.3333333333333333, 1.0]]   # the spec's order
    [app]                   # the app's other page choices (widget key → value)
    [[indicator]]           # the spec, one table per indicator
    name = "gdp"
    dimension = "economy"
    direction = "+"

Reading validates everything: an unknown section, key, family or option is one
InputError naming the section, the key and what is allowed; option values are judged
by their family (:mod:`nqpf.options`), the spec by :class:`~nqpf.panel.IndicatorSpec`.
TOML has no null: an option left at None is omitted when None is its default and
written as the text ``"none"`` otherwise (only ClubOptions' ``hp_lambda`` today; the
reader turns ``"none"`` back into None for an option that admits None and has no text
value).

The writer is this module's own (:func:`toml_value`; Python's :mod:`tomllib` only
reads): strings as TOML basic strings with ``\\"``, ``\\\\``, ``\\n``, ``\\t`` … and
``\\uXXXX`` for the other control characters, other characters (Chinese) as they are;
floats by ``repr`` (``inf`` and ``nan`` as TOML spells them); lists as arrays; mappings
(user weights, an AHP matrix) as inline tables.

Examples
--------
>>> from nqpf.options import IndexOptions
>>> from nqpf.panel import IndicatorSpec
>>> project = Project(
...     DataSource(file="provinces.csv", region="省份"),
...     IndicatorSpec.from_names(["gdp", "rd"]),
...     options={"index": IndexOptions(scope="year")},
... )
>>> again = Project.from_toml(project.to_toml())
>>> again == project, again.option("index").scope, again.option("report").language
(True, 'year', 'en')
>>> Project.from_toml('[data]\\nfile = "p.csv"\\n[optoins.index]\\n')
Traceback (most recent call last):
...
nqpf.errors.InputError: unknown section or key 'optoins' at the top of the project file — a project file has: nqpf, format, [data], [run], [options.<family>], [app] and [[indicator]]

Light module (no polars or numpy at import).
"""

from __future__ import annotations

import difflib
import hashlib
import math
import numbers
import os
import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from nqpf.errors import InputError
from nqpf.options import FAMILIES, Option, Options, ReadOptions

if TYPE_CHECKING:
    from nqpf.panel import IndicatorSpec, Panel

#: The version of the format this module writes (and the newest it reads).
FORMAT = 1

#: The families stored under ``[options.<family>]`` (ReadOptions belongs to ``[data]``).
OPTION_FAMILIES: dict[str, type[Options]] = {n: c for n, c in FAMILIES.items() if n != "read"}

#: The keys of ``[data]`` besides ReadOptions' own (form, sheet, na_values, decimal).
DATA_KEYS = (
    "file",
    "builtin",
    "sha256",
    "region",
    "year",
    "group",
    "indicator",
    "value",
    "exclude",
)
#: The keys of ``[run]`` that say which spatial weights (the Spatial page's choice).
WEIGHT_KEYS = (
    "spatial_weights",
    "weights_sha256",
    "weights_kind",
    "weights_k",
    "weights_power",
    "weights_threshold",
    "weights_link_islands",
    "weights_id",
    "rule",
)
#: The keys of ``[run]``.
RUN_KEYS = (
    *WEIGHT_KEYS,
    "geodetector_factors",
    "validate",
)
#: The keys of one ``[[indicator]]`` table (the fields of :class:`nqpf.panel.Indicator`).
SPEC_KEYS = (
    "name", "dimension", "direction", "label", "unit",
    "target", "lower", "upper", "ideal", "anti_ideal",
)  # fmt: skip
#: The top level of a project file.
TOP_KEYS = ("nqpf", "format", "data", "run", "options", "app", "indicator")
#: How the default data is named in ``[data] file`` (with ``builtin = true``).
BUILTIN_FILE = "pwt_panel.csv"

_SHA256 = re.compile(r"[0-9a-f]{64}")


# ---------------------------------------------------------------------------
# Writing TOML
# ---------------------------------------------------------------------------

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string (TOML 1.0, "Basic strings"): the quote, the
    backslash and the control characters escaped, everything else as it is."""
    out = []
    for char in text:
        code = ord(char)
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04X}")
        elif 0xD800 <= code <= 0xDFFF:
            raise InputError(
                f"the text {text!r} holds a lone surrogate, which a project file cannot hold",
                hint="remove the broken character from the name",
            )
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def toml_key(key: str) -> str:
    """A TOML key: bare when it is letters, digits, ``_`` and ``-``, else quoted."""
    if not isinstance(key, str):
        raise InputError(f"the key {key!r} is not text", hint="name every entry with a text")
    return key if _BARE_KEY.fullmatch(key) else toml_string(key)


def toml_value(value: Any) -> str:
    """One value in TOML: a boolean, an integer (64-bit), a float, a string, an array
    (list or tuple) or an inline table (a mapping). None has no TOML form: the caller
    leaves it out (see the module docstring)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, numbers.Integral):
        number = int(value)
        if not -(2**63) <= number < 2**63:
            raise InputError(
                f"the whole number {number} is too large for a project file",
                hint="use a number below 2^63",
            )
        return str(number)
    if isinstance(value, numbers.Real):
        real = float(value)
        if math.isnan(real):
            return "nan"
        if math.isinf(real):
            return "inf" if real > 0 else "-inf"
        return float.__repr__(real)  # "0.0001", "1e-12", "400.0": valid TOML floats
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, Mapping):
        items = ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items())
        return "{ " + items + " }" if items else "{}"
    if isinstance(value, Sequence | set | frozenset) and not isinstance(value, bytes):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if value is None:
        raise InputError(
            "a project file cannot hold an empty value (None) inside a list or table",
            hint="give every entry a value",
        )
    raise InputError(
        f"a project file cannot hold a {type(value).__name__} value",
        hint="give texts, numbers, true/false, lists or tables",
    )


def _section(header: str | None, items: Sequence[tuple[str, Any]]) -> list[str]:
    """The lines of one table (``header`` None: the top level); None values left out."""
    lines = [] if header is None else ["", header]
    lines += [f"{toml_key(k)} = {toml_value(v)}" for k, v in items if v is not None]
    return lines


# ---------------------------------------------------------------------------
# The project
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DataSource:
    """Where a project's data comes from and how it is read: the file (or the embedded
    default panel, ``builtin``), its SHA-256 fingerprint (None: not checked), the key
    columns (``group`` for the Dagum decomposition; ``indicator``/``value`` for the
    long layout), the regions left out (``exclude``: e.g. a national-total row, as the app's
    Data page offers; :meth:`nqpf.panel.Panel.without_regions`) and the reading options
    (``read.form`` is the layout)."""

    file: str
    sha256: str | None = None
    builtin: bool = False
    region: str = "region"
    year: str = "year"
    group: str | None = None
    indicator: str | None = None
    value: str | None = None
    exclude: tuple[str, ...] = ()
    read: ReadOptions = field(default_factory=ReadOptions)

    def __post_init__(self) -> None:
        for key in ("file", "region", "year"):
            _text("data", key, getattr(self, key))
        for key in ("group", "indicator", "value"):
            if getattr(self, key) is not None:
                _text("data", key, getattr(self, key))
        if not isinstance(self.builtin, bool):
            raise InputError(f"[data] builtin={self.builtin!r} must be true or false")
        if isinstance(self.exclude, str) or not isinstance(self.exclude, Sequence):
            raise InputError(
                "[data] exclude must be a list of region names",
                hint='e.g. exclude = ["全国"]',
            )
        for name in self.exclude:
            _text("data", "exclude", name)
        object.__setattr__(self, "exclude", tuple(self.exclude))
        if self.sha256 is not None and (
            not isinstance(self.sha256, str) or not _SHA256.fullmatch(self.sha256)
        ):
            raise InputError(
                f"[data] sha256={self.sha256!r} is not a SHA-256 fingerprint",
                hint="64 lowercase hexadecimal digits, as the project was saved with "
                "(or leave sha256 out to read the data unchecked)",
            )
        if not isinstance(self.read, ReadOptions):
            object.__setattr__(self, "read", ReadOptions.resolve(self.read))

    @property
    def layout(self) -> str:
        """``wide``, ``long`` or ``auto`` (:class:`~nqpf.options.ReadOptions`' ``form``)."""
        return self.read.form

    def items(self) -> list[tuple[str, Any]]:
        """The ``[data]`` entries, in the order they are written."""
        read = [(info.name, getattr(self.read, info.name)) for info in ReadOptions.describe()]
        return [
            ("file", self.file),
            ("builtin", self.builtin),
            ("sha256", self.sha256),
            ("region", self.region),
            ("year", self.year),
            ("group", self.group),
            ("indicator", self.indicator),
            ("value", self.value),
            ("exclude", list(self.exclude)),
            *((k, list(v) if isinstance(v, tuple) else v) for k, v in read),
        ]


@dataclass(frozen=True)
class RunSettings:
    """What ``nqpf run`` adds to the report: spatial weights (a built-in name or a file
    relative to the project file; ``weights_id`` and ``rule`` as ``nqpf report``'s
    ``--weights-id``/``--rule``), the geodetector's factors, and whether to check every
    number against R (``validate``; off by default: a project reproduces without R).

    A weights file is not embedded: ``weights_sha256`` is its fingerprint (checked when
    it is read again, as the data's). ``weights_kind`` (the app's Spatial page writes
    it) builds the weights of a built-in name over the data's regions as the app does
    (:func:`nqpf.spatial.builders.builtin_weights`: ``contiguity`` with
    ``weights_link_islands``, ``knn`` with ``weights_k``, ``inverse_distance`` with
    ``weights_power``, ``distance_band`` with ``weights_threshold``); without it a
    built-in name is read as ``nqpf report --spatial-weights`` reads it."""

    spatial_weights: str | None = None
    weights_sha256: str | None = None
    weights_kind: str | None = None
    weights_k: int | None = None
    weights_power: float | None = None
    weights_threshold: float | None = None
    weights_link_islands: bool = True
    weights_id: str | None = None
    rule: str = "queen"
    geodetector_factors: tuple[str, ...] = ()
    validate: bool = False

    def __post_init__(self) -> None:
        for key in ("spatial_weights", "weights_id"):
            if getattr(self, key) is not None:
                _text("run", key, getattr(self, key))
        if self.rule not in ("queen", "rook"):
            raise InputError(
                f"[run] rule={self.rule!r} is not a contiguity rule", hint="use queen or rook"
            )
        factors = self.geodetector_factors
        if isinstance(factors, str) or not isinstance(factors, Sequence):
            raise InputError(
                "[run] geodetector_factors must be a list of column names",
                hint='e.g. geodetector_factors = ["gdp", "rd"]',
            )
        for name in factors:
            _text("run", "geodetector_factors", name)
        object.__setattr__(self, "geodetector_factors", tuple(factors))
        for key in ("validate", "weights_link_islands"):
            if not isinstance(getattr(self, key), bool):
                raise InputError(f"[run] {key}={getattr(self, key)!r} must be true or false")
        self._check_weights()

    def _check_weights(self) -> None:
        """The weights file's fingerprint and the built-in kind with its parameter."""
        if self.weights_sha256 is not None and (
            not isinstance(self.weights_sha256, str) or not _SHA256.fullmatch(self.weights_sha256)
        ):
            raise InputError(
                f"[run] weights_sha256={self.weights_sha256!r} is not a SHA-256 fingerprint",
                hint="64 lowercase hexadecimal digits (or leave weights_sha256 out to read "
                "the weights file unchecked)",
            )
        if self.weights_kind is not None:
            from nqpf.spatial.builders import BUILTIN_KINDS

            if self.weights_kind not in BUILTIN_KINDS:
                raise InputError(
                    f"[run] weights_kind={self.weights_kind!r} is not a built-in weights kind",
                    hint="use one of " + ", ".join(BUILTIN_KINDS),
                )
            if self.spatial_weights is None:
                raise InputError(
                    "[run] weights_kind needs spatial_weights (the built-in regions)",
                    hint='e.g. spatial_weights = "china-provinces"',
                )
        if self.weights_k is not None and (
            isinstance(self.weights_k, bool)
            or not isinstance(self.weights_k, int)
            or self.weights_k < 1
        ):
            raise InputError(
                f"[run] weights_k={self.weights_k!r} must be a whole number of at least 1",
                hint="the number of nearest neighbours, e.g. weights_k = 4",
            )
        for key in ("weights_power", "weights_threshold"):
            value = getattr(self, key)
            if value is None:
                continue
            if (
                isinstance(value, bool)
                or not isinstance(value, numbers.Real)
                or not math.isfinite(value)
                or value <= 0
            ):
                raise InputError(
                    f"[run] {key}={value!r} must be a positive number",
                    hint=f"e.g. {key} = " + ("1.0" if key == "weights_power" else "1500.0"),
                )
            object.__setattr__(self, key, float(value))

    def builtin_parameters(self) -> dict[str, Any]:
        """The keywords of :func:`nqpf.spatial.builders.builtin_weights` for
        ``weights_kind`` (``link_islands`` and the kind's parameter when given)."""
        out: dict[str, Any] = {"link_islands": self.weights_link_islands}
        given = {"k": self.weights_k, "power": self.weights_power}
        given["threshold"] = self.weights_threshold
        return out | {k: v for k, v in given.items() if v is not None}

    def items(self) -> list[tuple[str, Any]]:
        return [
            ("spatial_weights", self.spatial_weights),
            ("weights_sha256", self.weights_sha256),
            ("weights_kind", self.weights_kind),
            ("weights_k", self.weights_k),
            ("weights_power", self.weights_power),
            ("weights_threshold", self.weights_threshold),
            ("weights_link_islands", None if self.weights_link_islands else False),
            ("weights_id", self.weights_id),
            ("rule", self.rule),
            ("geodetector_factors", list(self.geodetector_factors)),
            ("validate", self.validate),
        ]

    def check_weights_fingerprint(
        self, data: bytes, name: str, *, allow_changed: bool = False, hint: str | None = None
    ) -> None:
        """One line when ``data`` is not the weights file the project was saved with;
        nothing when it is, when there is no fingerprint, or when ``allow_changed``."""
        if self.weights_sha256 is None or allow_changed:
            return
        if hashlib.sha256(data).hexdigest() != self.weights_sha256:
            raise InputError(
                "the spatial weights file has changed since the project was saved (its "
                "SHA-256 fingerprint differs)",
                file=name,
                hint=hint
                or "give the weights file the project was saved with, or run with "
                "--allow-changed-data to use this one (then save the project again)",
            )


def _version() -> str:
    from nqpf import __version__

    return __version__


@dataclass(frozen=True)
class Project:
    """A saved analysis (see the module docstring): ``data`` (:class:`DataSource`),
    ``spec`` (:class:`~nqpf.panel.IndicatorSpec`), ``options`` (family name → that
    family's options object, e.g. ``{"index": IndexOptions(scope="year")}``; a family
    not given is at its defaults), ``run`` (:class:`RunSettings`), ``app`` (the app's
    other page choices: widget key → a TOML value) and ``version`` (of nqpf that
    wrote it)."""

    data: DataSource
    spec: IndicatorSpec
    options: Mapping[str, Options] = field(default_factory=dict)
    run: RunSettings = field(default_factory=RunSettings)
    app: Mapping[str, Any] = field(default_factory=dict)
    version: str = field(default_factory=_version)
    #: The file it was read from (messages name it); not part of the project.
    source: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        chosen: dict[str, Options] = {}
        for name, value in self.options.items():
            family = _family(name)
            chosen[name] = value if isinstance(value, family) else family.resolve(value)
        ordered = {n: chosen[n] for n in OPTION_FAMILIES if n in chosen}
        object.__setattr__(self, "options", MappingProxyType(ordered))
        app = dict(self.app)
        for key, value in app.items():
            _text("app", "key", key)
            toml_value(value)  # a value a project file can hold (else one line)
        object.__setattr__(self, "app", MappingProxyType(app))

    def option(self, family: str) -> Any:
        """The options of ``family`` (e.g. ``"index"``): as saved, else its defaults; the
        Markov options of a project without ``[options.markov]`` have the report's
        ``markov_k`` (the chain :func:`nqpf.report.build_report` runs by default)."""
        if family in self.options:
            return self.options[family]
        if family == "markov":
            return _family("markov")(k=self.option("report").markov_k)
        return _family(family)()

    # ------------------------------------------------------------------ writing

    def to_toml(self) -> str:
        """The project as TOML text (the format in the module docstring)."""
        lines = [
            "# nqpf project file: `nqpf run` on it reproduces the tables and figures, and",
            "# the app's Open project restores the analysis (docs/design.md).",
            *_section(None, [("nqpf", self.version), ("format", FORMAT)]),
            *_section("[data]", self.data.items()),
            *_section("[run]", self.run.items()),
        ]
        for name, options in self.options.items():
            lines += _section(f"[options.{name}]", list(_option_items(options)))
        if self.app:
            lines += _section("[app]", list(self.app.items()))
        for item in self.spec:
            lines += _section("[[indicator]]", [(key, getattr(item, key)) for key in SPEC_KEYS])
        return "\n".join(lines) + "\n"

    def write(self, path: str | os.PathLike[str]) -> Path:
        """Write :meth:`to_toml` to ``path`` (a ``.toml`` file), all at once (a temporary
        file beside it, then moved into place); returns the path."""
        target = Path(path)
        if target.suffix.lower() != ".toml":
            raise InputError(
                "a project file must end in .toml", file=str(target), hint="e.g. project.toml"
            )
        if target.is_dir():
            raise InputError("is a directory, not a file", file=str(target))
        text = self.to_toml()
        temporary = target.with_name(f".{target.name}.nqpf-tmp")
        try:
            temporary.write_text(text, encoding="utf-8")
            temporary.replace(target)
        except OSError as error:
            temporary.unlink(missing_ok=True)
            raise InputError(
                f"cannot write the project file ({error.strerror or error})", file=str(target)
            ) from None
        return target

    # ------------------------------------------------------------------ reading

    @classmethod
    def from_toml(cls, source: str | bytes | os.PathLike[str]) -> Project:
        """Read a project: ``source`` is a path (a :class:`~pathlib.Path`, or a text of
        one line naming a file or ending in ``.toml``), the file's bytes or its text.
        Every section, key and value is checked (see the module docstring)."""
        label, text = _project_text(source)
        try:
            document = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise InputError(f"not valid TOML ({error})", file=label) from None
        try:
            return _project_of(document, label)
        except InputError as error:
            raise error.with_file(label) if label else error from None

    # ------------------------------------------------------------------ the data

    def data_path(
        self, base: str | os.PathLike[str] | None = None, file: str | os.PathLike[str] | None = None
    ) -> Path:
        """The data file: ``file`` when given (``nqpf run --data``), the embedded panel for
        ``builtin``, else ``[data] file`` relative to ``base`` (the project's folder)."""
        if file is not None:
            return Path(file)
        if self.data.builtin:
            from nqpf.datasets import pwt_path

            return pwt_path()
        path = Path(self.data.file)
        return path if path.is_absolute() or base is None else Path(base) / path

    def check_fingerprint(
        self, data: bytes, name: str, *, allow_changed: bool = False, hint: str | None = None
    ) -> None:
        """One line when ``data`` is not the file the project was saved with (its
        SHA-256 differs); nothing when it is, when the project has no fingerprint, or
        when ``allow_changed``. ``hint`` replaces the CLI's advice (the app's own)."""
        if self.data.sha256 is None or allow_changed:
            return
        if hashlib.sha256(data).hexdigest() != self.data.sha256:
            raise InputError(
                "the data file has changed since the project was saved (its SHA-256 "
                "fingerprint differs)",
                file=name,
                hint=hint
                or "give the file the project was saved with (--data FILE), or run with "
                "--allow-changed-data to use this one (then save the project again)",
            )

    def read_data(
        self,
        base: str | os.PathLike[str] | None = None,
        file: str | os.PathLike[str] | None = None,
        *,
        allow_changed: bool = False,
    ) -> tuple[bytes, str]:
        """The data file's bytes and its name (:meth:`data_path`), fingerprint checked."""
        path = self.data_path(base, file)
        if not path.is_file():
            raise InputError(
                "the project's data file was not found",
                file=str(path),
                hint="put it beside the project file as [data] file names it, or give "
                "its path with --data FILE",
            )
        try:
            data = path.read_bytes()
        except OSError as error:
            raise InputError(
                f"cannot read the file ({error.strerror or error})", file=str(path)
            ) from None
        self.check_fingerprint(data, str(path), allow_changed=allow_changed)
        return data, str(path)

    def panel(self, data: bytes, name: str) -> Panel:
        """The panel of ``data`` read as the project says (:func:`nqpf.read_panel`)."""
        from nqpf.panel import read_panel

        d = self.data
        columns = {k: v for k, v in (("indicator", d.indicator), ("value", d.value)) if v}
        panel = read_panel(data, region=d.region, year=d.year, name=name, **columns, options=d.read)
        return panel.without_regions(d.exclude)


def _family(name: Any) -> type[Options]:
    """The options family called ``name``; one line naming the families otherwise."""
    if name not in OPTION_FAMILIES:
        close = difflib.get_close_matches(str(name), OPTION_FAMILIES, n=1)
        raise InputError(
            f"unknown options family [options.{name}]",
            hint=(f"did you mean [options.{close[0]}]? " if close else "")
            + "families: "
            + ", ".join(OPTION_FAMILIES),
        )
    return OPTION_FAMILIES[name]


def _text(section: str, key: str, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InputError(
            f"[{section}] {key}={value!r} must be a non-empty text", hint=f'e.g. {key} = "name"'
        )


def _writable_none(info: Option) -> bool:
    """Whether the text "none" can stand for None (an option that admits None and takes
    no text that could be "none")."""
    return (info.nullable or info.kind == "seed") and (
        info.kind not in ("text", "values") and "none" not in info.choices
    )


def _option_items(options: Options) -> Iterator[tuple[str, Any]]:
    """A family's options as ``[options.<family>]`` entries (None: see the module docstring)."""
    for info in options.describe():
        value = getattr(options, info.name)
        if type(value).__name__ == "Generator":
            raise InputError(
                f"option {info.name} of [options.{options.family}] is a random generator, "
                "which a project file cannot hold",
                hint="give a whole-number seed instead",
            )
        if value is None:
            if info.default is None:
                continue
            if not _writable_none(info):  # no such declaration today (a test checks)
                raise TypeError(f"{options.family}.{info.name}=None cannot be written")
            value = "none"
        yield info.name, _plain(value)


def _plain(value: Any) -> Any:
    """Frozen option values (tuples, mapping proxies) as lists and dicts."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def _project_text(source: str | bytes | os.PathLike[str]) -> tuple[str | None, str]:
    """(the file's name or None, the project's text) of a path, bytes or a text."""
    from nqpf.io import decode_text

    if isinstance(source, bytes | bytearray):
        return None, decode_text(bytes(source), name="project.toml")
    if isinstance(source, str) and ("\n" in source or not _names_a_file(source)):
        return None, source
    path = Path(source)
    label = str(path)
    if not path.is_file():
        what = "is a directory, not a project file" if path.is_dir() else "project file not found"
        raise InputError(what, file=label, hint="give the path of a project .toml file")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read the file ({error.strerror or error})", file=label) from None
    return label, decode_text(data, name=label)


def _names_a_file(text: str) -> bool:
    return text.strip().lower().endswith(".toml") or Path(text).is_file()


def _table(document: Mapping[str, Any], name: str) -> dict[str, Any]:
    """Section ``name`` of the document ({} when absent); one line when it is no table."""
    value = document.get(name, {})
    if not isinstance(value, dict):
        raise InputError(f"[{name}] must be a table", hint=f"write it as a [{name}] section")
    return value


def _known_keys(section: str, table: Mapping[str, Any], known: Sequence[str]) -> None:
    """One line naming the first key of ``table`` that ``known`` does not list."""
    for key in table:
        if key not in known:
            close = difflib.get_close_matches(str(key), known, n=1)
            raise InputError(
                f"unknown key '{key}' in [{section}]",
                hint=(f"did you mean '{close[0]}'? " if close else "")
                + "keys: "
                + ", ".join(known),
            )


def _project_of(document: Mapping[str, Any], label: str | None) -> Project:
    """The project of a parsed TOML document, every part checked."""
    for key in document:
        if key not in TOP_KEYS:
            raise InputError(
                f"unknown section or key '{key}' at the top of the project file",
                hint="a project file has: nqpf, format, [data], [run], [options.<family>], "
                "[app] and [[indicator]]",
            )
    version = document.get("nqpf", _version())
    if not isinstance(version, str):
        raise InputError(f"nqpf={version!r} must be a version text", hint='e.g. nqpf = "0.1.0"')
    written = document.get("format", FORMAT)
    if not isinstance(written, int) or isinstance(written, bool) or written < 1:
        raise InputError(f"format={written!r} is not a project format number", hint="format = 1")
    if written > FORMAT:
        raise InputError(
            f"the project file has format {written}, newer than this nqpf reads ({FORMAT})",
            hint="upgrade nqpf (pip install -U nqpf)",
        )
    if "data" not in document:
        raise InputError("the project file has no [data] section", hint="name the data's file")
    return Project(
        data=_data_of(_table(document, "data")),
        spec=_spec_of(document.get("indicator"), label),
        options=_options_of(_table(document, "options")),
        run=_run_of(_table(document, "run")),
        app=_table(document, "app"),
        version=version,
        source=label,
    )


def _data_of(table: Mapping[str, Any]) -> DataSource:
    read_names = ReadOptions.names()
    _known_keys("data", table, (*DATA_KEYS, *read_names))
    if "file" not in table:
        raise InputError("[data] has no file", hint='name the data file, e.g. file = "panel.csv"')
    read = {k: v for k, v in table.items() if k in read_names}
    try:
        options = ReadOptions(**read)
    except InputError as error:
        raise InputError(f"[data] {error.what}", hint=error.hint) from None
    return DataSource(**{k: v for k, v in table.items() if k in DATA_KEYS}, read=options)


def _run_of(table: Mapping[str, Any]) -> RunSettings:
    _known_keys("run", table, RUN_KEYS)
    return RunSettings(**table)


def _options_of(table: Mapping[str, Any]) -> dict[str, Options]:
    """Each ``[options.<family>]`` table as that family's options, checked by it."""
    out: dict[str, Options] = {}
    for name, values in table.items():
        family = _family(name)
        if not isinstance(values, dict):
            raise InputError(
                f"[options.{name}] must be a table", hint=f"write it as an [options.{name}] section"
            )
        _known_keys(f"options.{name}", values, family.names())
        given = {}
        for key, value in values.items():
            info = family.info(key)
            none = isinstance(value, str) and value.strip().lower() == "none"
            given[key] = None if none and _writable_none(info) else value
        try:
            out[name] = family(**given)
        except InputError as error:
            raise InputError(f"[options.{name}] {error.what}", hint=error.hint) from None
    return out


def _spec_of(records: Any, label: str | None) -> IndicatorSpec:
    """The ``[[indicator]]`` tables as a spec (checked by :class:`IndicatorSpec`)."""
    from nqpf.panel import IndicatorSpec

    if records is None:
        raise InputError(
            "the project file has no [[indicator]] tables",
            hint="write one [[indicator]] table per indicator with name, dimension, direction",
        )
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise InputError(
            "indicator must be [[indicator]] tables",
            hint="write one [[indicator]] table per indicator with name, dimension, direction",
        )
    for record in records:
        _known_keys("[indicator]", record, SPEC_KEYS)
    return IndicatorSpec.from_records(records, source=label)


__all__ = [
    "FORMAT",
    "OPTION_FAMILIES",
    "DataSource",
    "Project",
    "RunSettings",
    "toml_key",
    "toml_string",
    "toml_value",
]
