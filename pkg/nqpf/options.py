"""Every option of every analysis, declared once.

Each family of options is one frozen dataclass (:class:`IndexOptions`,
:class:`ReadOptions`, :class:`EchelonOptions`, :class:`DagumOptions`,
:class:`MarkovOptions`, :class:`ClubOptions`, :class:`ReportOptions`,
:class:`SpatialOptions`). A field is declared with :func:`option`: its default, its
choices (a ``Literal`` type declared here once), its range, and a one-line help in
English and Chinese. From that one declaration come

- the check of a value (an option object validates itself when it is made, and
  :meth:`Options.replace` makes a checked copy);
- the keyword arguments of the analysis functions (:func:`takes_options`: the
  function accepts each option as a keyword *and* an ``options=`` object);
- the CLI's flags (:func:`nqpf.cli` walks :meth:`Options.describe`);
- the app's widgets (``nqpf.app.state`` builds each widget from :class:`Option`);
- crossval's R mapping (each R routine names the option values it reproduces,
  checked against these declarations);
- the option tables of ``docs/options.md`` (:func:`options_markdown`).

This module imports nothing heavy (no numpy, polars or scipy): the CLI builds its
parser from it in a few milliseconds.

Examples
--------
>>> opts = IndexOptions(scope="year")
>>> opts.scope, opts.weights
('year', 'entropy')
>>> opts.replace(shift=0.01).shift
0.01
>>> IndexOptions(scope="years")
Traceback (most recent call last):
...
nqpf.errors.InputError: unknown scope 'years' — use one of: panel, year
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import inspect
import itertools
import math
import numbers
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, ClassVar, Literal, TypeVar, get_args

from nqpf.checks import _is_bool, check_bool, check_choice, check_int, check_real, check_seed
from nqpf.errors import InputError

# ---------------------------------------------------------------------------
# The choices, declared once (modules that need a tuple of them take it from here)
# ---------------------------------------------------------------------------

WeightMethod = Literal[
    "entropy",
    "critic",
    "cv",
    "equal",
    # the weighting families (issue 13; nqpf.weights)
    "sd",
    "merec",
    "cilos",
    "idocriw",
    "gini",
    "angle",
    "scatter",
    "ahp",
    "combined",
]
Scope = Literal["panel", "year"]
Standardization = Literal["minmax", "ratio", "zscore"]
ZeroLog = Literal["zero", "epsilon"]
Method = Literal["topsis", "linear", "grey", "grey_topsis"]
Weighting = Literal["matrix", "distance"]
Ideal = Literal["panel", "year", "absolute"]
Normalization = Literal["minmax", "vector", "none"]
Missing = Literal["error", "interpolate", "drop"]
Cost = Literal["reverse", "reciprocal", "difference"]
Distance = Literal["euclidean", "manhattan", "chebyshev", "minkowski"]
Form = Literal["auto", "wide", "long"]
Decimal = Literal[".", ","]
EchelonRule = Literal[
    "column", "thresholds", "quantiles", "sd", "jenks", "kmeans",
    "equal", "max_breaks", "jenks_caspall", "head_tail",
]  # fmt: skip
ReportEchelonRule = Literal[
    "quantiles", "sd", "jenks", "kmeans", "equal", "max_breaks", "jenks_caspall", "head_tail",
]  # fmt: skip
MarkovClasses = Literal["pooled", "year", "relative"]
SmallSample = Literal["stata", "plm"]
ClubMerge = Literal["ps", "vlt"]
ClubHAC = Literal["fqsb", "aqsb"]
CstarMethod = Literal["fixed", "incremental"]
Language = Literal["en", "zh"]
SpatialStyle = Literal["r", "b", "o"]
Alternative = Literal["greater", "less", "two.sided"]
IslandPolicy = Literal["raise", "keep"]
CriticCorrelation = Literal["pearson", "spearman", "kendall"]
CriticInput = Literal["scaled", "raw"]
CriticContrast = Literal["sd", "entropy"]
CombineRule = Literal["linear", "multiplicative", "game"]
InequalityMeasure = Literal["theil", "ge", "atkinson", "gini", "sgini", "sources"]
GeoDiscretization = Literal["optimal", "equal", "natural", "quantile", "geometric", "sd"]
GeoMethod = Literal["equal", "natural", "quantile", "geometric", "sd"]
GeoConvention = Literal["wang", "GD"]

Kind = Literal["choice", "number", "integer", "flag", "text", "seed", "values"]


@dataclass(frozen=True, slots=True)
class Option:
    """The declaration of one option: everything a front needs to offer it.

    ``kind`` is ``"choice"`` (one of ``choices``), ``"number"`` (a finite real in
    [low, high], bounds open where ``low_open``/``high_open``), ``"integer"``,
    ``"flag"`` (True/False), ``"text"``, ``"seed"`` (None or a whole number ≥ 0) or
    ``"values"`` (a list of texts). ``nullable`` admits None. ``cli``/``app`` say
    whether the CLI and the app offer it (an option that only a script can give —
    user weights as a mapping, a random generator — is still declared here).
    ``also`` describes what else a script may pass (e.g. user weight values).
    """

    name: str
    kind: Kind
    default: Any
    help: str
    help_zh: str
    label: str = ""
    label_zh: str = ""
    choices: tuple[Any, ...] = ()
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    nullable: bool = False
    cli: bool = True
    app: bool = True
    also: str = ""
    family: str = ""
    #: (value, English label, Chinese label) of each choice, for widgets and tables.
    choice_labels: tuple[tuple[Any, str, str], ...] = ()
    #: The CLI flag when it is not the name's (``language`` is ``--lang``).
    cli_flag: str = ""

    @property
    def flag(self) -> str:
        """The CLI flag: ``cli_flag``, or ``--`` and the name with ``-`` for ``_``."""
        return self.cli_flag or "--" + self.name.replace("_", "-")

    def text(self, language: str = "en") -> str:
        """The one-line help in ``language`` (``"en"`` or ``"zh"``)."""
        return self.help_zh if language == "zh" else self.help

    def title(self, language: str = "en") -> str:
        """The widget label in ``language`` (the name when no label is declared)."""
        chosen = self.label_zh if language == "zh" else self.label
        return chosen or self.label or self.name

    def choice_title(self, value: Any, language: str = "en") -> str:
        """The display label of choice ``value`` in ``language`` (the value itself when
        the declaration gives none)."""
        for choice, en, zh in self.choice_labels:
            if choice == value:
                return zh if language == "zh" else en
        return str(value)

    def check(self, value: Any) -> Any:
        """``value`` if it is valid for this option (normalised: a float for a number,
        an int for an integer, a tuple for values); an InputError naming it otherwise,
        whose hint is the option's help when the check has none of its own."""
        try:
            return self._check_value(value)
        except InputError as error:
            if error.hint:
                raise
            raise InputError(error.what, hint=f"{self.name}: {self.help}") from None

    def _check_value(self, value: Any) -> Any:
        if value is None and (self.nullable or self.kind == "seed"):
            return None
        if self.kind == "choice":
            return check_choice(self.name, value, self.choices)
        if self.kind == "flag":
            return check_bool(self.name, value)
        if self.kind == "seed":
            return check_seed(self.name, value)
        if self.kind == "integer":
            low = None if self.low is None else int(self.low)
            high = None if self.high is None else int(self.high)
            return check_int(self.name, value, low=low, high=high)
        if self.kind == "number":
            return check_real(
                self.name,
                value,
                low=self.low,
                high=self.high,
                low_open=self.low_open,
                high_open=self.high_open,
            )
        if self.kind == "text":
            if not isinstance(value, str):
                raise InputError(f"{self.name}={value!r} must be text")
            return value
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, Sequence) or not all(isinstance(v, str) for v in value):
            raise InputError(
                f"{self.name}={value!r} must be a list of texts", hint=f"e.g. {self.name}=['—']"
            )
        return tuple(value)

    def describe(self) -> dict[str, Any]:
        """A plain, JSON-ready description (for generated docs and other fronts)."""
        return {
            "family": self.family,
            "name": self.name,
            "kind": self.kind,
            "default": self.default,
            "choices": list(self.choices),
            "low": self.low,
            "high": self.high,
            "nullable": self.nullable,
            "help": self.help,
            "help_zh": self.help_zh,
            "label": self.title("en"),
            "label_zh": self.title("zh"),
            "choice_labels": {str(v): [en, zh] for v, en, zh in self.choice_labels},
            "cli": self.flag if self.cli else None,
            "app": self.app,
        }


def option(
    default: Any,
    help: str,
    help_zh: str,
    *,
    kind: Kind | None = None,
    choices: Any = None,
    label: str = "",
    label_zh: str = "",
    choice_labels: Mapping[Any, tuple[str, str]] | None = None,
    **bounds: Any,
) -> Any:
    """A dataclass field declared as an option (see :class:`Option`).

    ``choices`` is a ``Literal`` type (its arguments are the choices) or a tuple.
    ``choice_labels`` maps a choice to its (English, Chinese) display label.
    The kind is inferred when not given: a choice when there are choices, a flag
    for a bool default, an integer for an int default, a number for a float.
    """
    if choices is not None and not isinstance(choices, tuple):
        choices = get_args(choices)
    if kind is None:
        if choices:
            kind = "choice"
        elif isinstance(default, bool):
            kind = "flag"
        elif isinstance(default, int):
            kind = "integer"
        elif isinstance(default, float):
            kind = "number"
        else:
            raise TypeError("give kind= for an option without choices or a typed default")
    meta = {
        "kind": kind,
        "help": help,
        "help_zh": help_zh,
        "label": label,
        "label_zh": label_zh,
        "choices": tuple(choices or ()),
        # a shared label table may name more choices than this option has
        "choice_labels": tuple(
            (k, en, zh) for k, (en, zh) in (choice_labels or {}).items() if k in (choices or ())
        ),
        **bounds,
    }
    return field(default=default, metadata={"nqpf": meta})


OptionsT = TypeVar("OptionsT", bound="Options")


class Options(Mapping[str, Any]):
    """Base of the option families: self-validating, frozen, with ``replace``.

    A subclass is a frozen dataclass whose fields are declared with :func:`option`;
    it may add the rules that tie several options together in :meth:`_check`.
    It reads as a mapping too (``opts["scope"]``, ``dict(opts)``, ``opts.items()``):
    the view of :meth:`to_dict`, as results showed their options before.
    """

    family: ClassVar[str] = ""

    def __post_init__(self) -> None:
        for info in self.describe():
            value = self._checked(info, getattr(self, info.name))
            object.__setattr__(self, info.name, value)
        self._check()

    def _checked(self, info: Option, value: Any) -> Any:
        """One field's value checked against its declaration (a family may widen it)."""
        return info.check(value)

    def _check(self) -> None:
        """Rules between options (none by default)."""

    @classmethod
    @functools.cache
    def describe(cls) -> tuple[Option, ...]:
        """The declaration of every option of this family, in field order."""
        out = []
        for f in dataclasses.fields(cls):  # type: ignore[arg-type]
            meta = f.metadata.get("nqpf")
            if meta is None:
                continue
            out.append(Option(name=f.name, default=f.default, family=cls.family, **meta))
        return tuple(out)

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(info.name for info in cls.describe())

    @classmethod
    def info(cls, name: str) -> Option:
        """The declaration of option ``name``."""
        for info in cls.describe():
            if info.name == name:
                return info
        raise _unknown(cls, name)

    @classmethod
    def defaults(cls) -> dict[str, Any]:
        return {info.name: info.default for info in cls.describe()}

    def replace(self: OptionsT, **changes: Any) -> OptionsT:
        """A checked copy with ``changes`` applied."""
        for name in changes:
            if name not in self.names():
                raise _unknown(type(self), name)
        return dataclasses.replace(self, **changes)  # type: ignore[type-var]

    def to_dict(self) -> dict[str, Any]:
        """Option name → value (user weight values as a plain dict or list)."""
        out: dict[str, Any] = {}
        for name in self.names():
            value = getattr(self, name)
            if isinstance(value, Mapping):
                value = dict(value)
            elif isinstance(value, tuple):
                value = list(value)
            out[name] = value
        return out

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its values, rebuilt (and checked again) when loaded: a mapping option
        is frozen as a ``MappingProxyType``, which does not pickle, and results that hold
        their options are pickled by caches (the app's ``st.cache_data``) and processes."""
        return (_rebuild_options, (type(self), {n: _plain(getattr(self, n)) for n in self.names()}))

    def __getitem__(self, name: str) -> Any:
        return self.to_dict()[name]

    def __iter__(self) -> Any:
        return iter(self.to_dict())

    def __len__(self) -> int:
        return len(self.to_dict())

    @classmethod
    def resolve(cls: type[OptionsT], options: Any = None, **keywords: Any) -> OptionsT:
        """The options of a call: ``options`` (an object of this family, a mapping or
        None) with ``keywords`` applied on top. Unknown names are refused."""
        if options is None:
            base = cls()
        elif isinstance(options, cls):
            base = options
        elif isinstance(options, Mapping) and not isinstance(options, Options):
            for name in options:
                if name not in cls.names():
                    raise _unknown(cls, name)
            base = cls(**options)
        else:
            raise InputError(
                f"options= must be {cls.__name__} (or a dict of its options), "
                f"got {type(options).__name__}",
                hint=f"e.g. options=nqpf.{cls.__name__}(...)",
            )
        return base.replace(**keywords) if keywords else base


def _plain(value: Any) -> Any:
    """A frozen option value with its mappings as dicts (what its check takes back)."""
    if isinstance(value, MappingProxyType):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _rebuild_options(cls: type[Options], values: dict[str, Any]) -> Options:
    return cls(**values)


class UnknownOptionError(InputError, TypeError):
    """An option name that no declaration has (also a TypeError, as Python's own
    unexpected-keyword error is)."""


def _unknown(cls: type, name: Any) -> UnknownOptionError:
    names = cls.names()  # type: ignore[attr-defined]
    close = difflib.get_close_matches(str(name), names, n=1)
    hint = (f"did you mean '{close[0]}'? " if close else "") + "options: " + ", ".join(names)
    return UnknownOptionError(f"unknown option '{name}' of {cls.__name__}", hint=hint)


# ---------------------------------------------------------------------------
# The families
# ---------------------------------------------------------------------------


#: The weight methods' display labels (``weights`` and the members of ``combine``).
WEIGHT_LABELS: dict[str, tuple[str, str]] = {
    "entropy": ("Entropy", "熵值法"),
    "critic": ("CRITIC", "CRITIC 法"),
    "cv": ("Coefficient of variation", "变异系数法"),
    "equal": ("Equal", "等权"),
    "sd": ("Standard deviation", "标准离差法"),
    "merec": ("MEREC", "MEREC 法"),
    "cilos": ("CILOS", "CILOS 法"),
    "idocriw": ("IDOCRIW", "IDOCRIW 法"),
    "gini": ("Gini coefficient", "基尼系数法"),
    "angle": ("Angle", "角度法"),
    "scatter": ("Scatter degree (panel)", "纵横向拉开档次法"),
    "ahp": ("AHP (pairwise comparisons)", "层次分析法 AHP"),
    "combined": ("Combination of methods", "组合赋权"),
}
#: The weight methods that ``weights="combined"`` can combine (every method but itself).
COMBINABLE: tuple[str, ...] = tuple(m for m in get_args(WeightMethod) if m != "combined")


@dataclass(frozen=True, eq=True)
class IndexOptions(Options):
    """Options of the composite index (:func:`nqpf.entropy_topsis`); formulas in
    docs/methods.md §2. The defaults are the improved entropy-weight TOPSIS."""

    family: ClassVar[str] = "index"

    weights: Any = option(
        "entropy",
        "how indicators are weighted: entropy, critic, cv (coefficient of variation), equal, "
        "sd (standard deviation), merec, cilos, idocriw, gini, angle, scatter (vertical and "
        "horizontal scatter degree), ahp (a pairwise-comparison matrix), combined (of two or "
        "more methods)",
        "指标赋权方法：熵值法 entropy、CRITIC、变异系数法 cv、等权 equal、标准离差法 sd、MEREC、"
        "CILOS、IDOCRIW、基尼系数法 gini、角度法 angle、纵横向拉开档次法 scatter、层次分析法 ahp、"
        "组合赋权 combined",
        choices=WeightMethod,
        label="Weights",
        label_zh="赋权方法",
        choice_labels=WEIGHT_LABELS,
    )
    scope: Scope = option(
        "panel",
        "panel: one pooled standardisation and weight vector (improved entropy); "
        "year: within each year",
        "panel：全样本统一标准化与赋权（改进熵值法）；year：逐年计算",
        choices=Scope,
        label="Scope",
        label_zh="计算范围",
        choice_labels={
            "panel": ("Pooled panel", "全样本（面板）"),
            "year": ("Per year", "逐年"),
        },
    )
    shift: float = option(
        1e-4,
        "translation a in x'' = x' + a before logs (the z-score translation H)",
        "标准化后的平移量 a（x'' = x' + a；z-score 时为平移 H）",
        low=0.0,
        label="Shift a",
        label_zh="平移量 a",
    )
    standardization: Standardization = option(
        "minmax",
        "how indicators are put on one scale: minmax, ratio (x / max), zscore",
        "无量纲化方法：极差 minmax、比值 ratio（x / max）、z-score",
        choices=Standardization,
        label="Standardisation",
        label_zh="标准化方法",
        choice_labels={
            "minmax": ("Min–max", "极差标准化"),
            "ratio": ("Ratio", "比值法"),
            "zscore": ("z-score", "Z 分数"),
        },
    )
    zero_log: ZeroLog = option(
        "zero",
        "entropy of a zero share: zero (0·ln 0 = 0) or epsilon (p + 1e-12)",
        "比重为 0 时的熵：zero（0·ln 0 = 0）或 epsilon（p + 1e-12）",
        choices=ZeroLog,
        label="0·ln 0",
        label_zh="0·ln 0 处理",
        choice_labels={
            "zero": ("0·ln 0 = 0", "0·ln 0 = 0"),
            "epsilon": ("p + 10⁻¹²", "p + 10⁻¹²"),
        },
    )
    method: Method = option(
        "topsis",
        "topsis (relative closeness), linear (Σ w·x', the plain entropy index), grey "
        "(grey relational grade to the ideal, Deng 1982) or grey_topsis (distances and "
        "grey relational grades combined)",
        "topsis（相对贴近度）、linear（线性加权 Σ w·x'）、grey（与理想解的灰色关联度）"
        "或 grey_topsis（距离与灰色关联度结合的 TOPSIS）",
        choices=Method,
        label="Scoring",
        label_zh="评价方法",
        choice_labels={
            "topsis": ("TOPSIS", "TOPSIS"),
            "linear": ("Linear (Σ w·x′)", "线性加权（Σ w·x′）"),
            "grey": ("Grey relational analysis", "灰色关联分析"),
            "grey_topsis": ("Grey relational TOPSIS", "灰色关联 TOPSIS"),
        },
    )
    topsis: Weighting = option(
        "matrix",
        "how weights enter TOPSIS: matrix (weighted normalised matrix) or distance "
        "(weighted Euclidean distance)",
        "权重进入 TOPSIS 的方式：matrix（加权规范化矩阵）或 distance（加权欧氏距离）",
        choices=Weighting,
        label="TOPSIS weighting",
        label_zh="TOPSIS 加权方式",
        choice_labels={
            "matrix": ("Weighted matrix", "加权矩阵"),
            "distance": ("Weighted distance", "加权距离"),
        },
    )
    ideal: Ideal = option(
        "panel",
        "ideal and anti-ideal points: panel, year or absolute (1 + a and a, the ends of "
        "the min–max scale: the panel's own points whenever min–max is used)",
        "正负理想解：全样本 panel、逐年 year 或绝对 absolute（极差标准化的两端）",
        choices=Ideal,
        label="Ideal points",
        label_zh="理想解",
        choice_labels={
            "panel": ("Whole panel", "全样本"),
            "year": ("Each year", "逐年"),
            "absolute": ("Scale ends (0, 1)", "区间端点 (0, 1)"),
        },
    )
    normalization: Normalization = option(
        "minmax",
        "TOPSIS input: minmax (the entropy step's shifted matrix), vector (Hwang–Yoon) "
        "or none (raw values)",
        "TOPSIS 输入：minmax（熵值法平移后的矩阵）、vector（向量规范化）或 none（原始值）",
        choices=Normalization,
        label="TOPSIS normalisation",
        label_zh="TOPSIS 规范化",
        choice_labels={
            "minmax": ("Min–max", "极差标准化"),
            "vector": ("Vector", "向量规范化"),
            "none": ("None", "不处理"),
        },
    )
    missing: Missing = option(
        "error",
        "missing indicator values: error, interpolate (linear within region) or drop the rows",
        "缺失值处理：报错 error、地区内线性插值 interpolate 或删除 drop",
        choices=Missing,
        label="Missing values",
        label_zh="缺失值",
        choice_labels={
            "error": ("Reject", "报错"),
            "interpolate": ("Interpolate within region", "地区内线性插值"),
            "drop": ("Drop incomplete rows", "删除不完整行"),
        },
    )
    # -- indicator types and TOPSIS variants (docs/methods.md §2) --
    cost: Cost = option(
        "reverse",
        "what a cost indicator becomes before standardisation: reverse (each "
        "standardisation's own reversal: (max − x)/(max − min), min/x, −z), reciprocal "
        "(1/x) or difference (max − x)",
        "逆向指标的正向化：reverse（由标准化方法自身反转）、reciprocal（取倒数 1/x）"
        "或 difference（max − x）",
        choices=Cost,
        label="Cost indicators",
        label_zh="逆向指标正向化",
        choice_labels={
            "reverse": ("Reversed by the standardisation", "由标准化反转"),
            "reciprocal": ("Reciprocal 1/x", "倒数 1/x"),
            "difference": ("Difference max − x", "差值 max − x"),
        },
    )
    base: int | None = option(
        None,
        "base year: standardise every year against that year's min and max (as Stata's "
        "ewm, base); values outside its range fall outside [0, 1]",
        "基期：以该年份的最小值与最大值标准化所有年份（同 Stata ewm 的 base 选项）；"
        "超出基期范围的值落在 [0, 1] 之外",
        kind="integer",
        nullable=True,
        label="Base year",
        label_zh="基期",
    )
    distance: Distance = option(
        "euclidean",
        "TOPSIS distance to the ideal and anti-ideal: euclidean, manhattan, chebyshev or "
        "minkowski (with p)",
        "TOPSIS 距离：欧氏 euclidean、曼哈顿 manhattan、切比雪夫 chebyshev 或闵可夫斯基 "
        "minkowski（参数 p）",
        choices=Distance,
        label="TOPSIS distance",
        label_zh="TOPSIS 距离",
        choice_labels={
            "euclidean": ("Euclidean", "欧氏距离"),
            "manhattan": ("Manhattan", "曼哈顿距离"),
            "chebyshev": ("Chebyshev", "切比雪夫距离"),
            "minkowski": ("Minkowski (p)", "闵可夫斯基距离（p）"),
        },
    )
    p: float = option(
        2.0,
        "the exponent p ≥ 1 of the Minkowski distance (p = 1 Manhattan, p = 2 Euclidean)",
        "闵可夫斯基距离的指数 p ≥ 1（p = 1 为曼哈顿距离，p = 2 为欧氏距离）",
        low=1.0,
        label="Minkowski p",
        label_zh="闵可夫斯基 p",
    )
    rho: float = option(
        0.5,
        "grey relational resolution coefficient ρ in (0, 1] (Deng 1982; 0.5 is usual)",
        "灰色关联分辨系数 ρ，取值 (0, 1]（邓聚龙 1982；通常取 0.5）",
        low=0.0,
        high=1.0,
        low_open=True,
        label="Resolution ρ",
        label_zh="分辨系数 ρ",
    )
    grey_share: float = option(
        0.5,
        "grey_topsis: share β of the grey relational grades in the closeness (1 − β for "
        "the distances; β = 1 is the pure grey closeness)",
        "grey_topsis：灰色关联度在贴近度中的权重 β（距离占 1 − β；β = 1 为纯灰色关联贴近度）",
        low=0.0,
        high=1.0,
        label="Grey share β",
        label_zh="灰色关联权重 β",
    )
    ideal_point: Any = option(
        None,
        "given ideal points in the indicators' units, e.g. gdp=120000, energy=0.3 (the "
        "others follow ideal; the spec's ideal column gives them too)",
        "给定的正理想解（指标原单位），如 gdp=120000, energy=0.3（其余指标按 ideal 规则；"
        "也可写在指标表的 ideal 列）",
        kind="values",
        nullable=True,
        # a mapping per indicator: the app's Index and Compare pages give it in a table
        # of the spec's indicators (nqpf.app.index_extras), not a generic widget
        app=False,
        label="Given ideal point",
        label_zh="给定正理想解",
    )
    anti_ideal_point: Any = option(
        None,
        "given anti-ideal points in the indicators' units, e.g. gdp=0 (the others "
        "follow ideal; the spec's anti_ideal column gives them too)",
        "给定的负理想解（指标原单位），如 gdp=0（其余指标按 ideal 规则；也可写在指标表的 "
        "anti_ideal 列）",
        kind="values",
        nullable=True,
        # a mapping per indicator: the app's Index and Compare pages give it in a table
        # of the spec's indicators (nqpf.app.index_extras), not a generic widget
        app=False,
        label="Given anti-ideal point",
        label_zh="给定负理想解",
    )
    # -- parameters of the weighting families (nqpf.weights; docs/methods.md §2) --
    critic_correlation: CriticCorrelation = option(
        "pearson",
        "CRITIC's correlation between indicators: pearson, spearman or kendall (tau-b)",
        "CRITIC 法指标间相关系数：pearson、spearman 或 kendall（tau-b）",
        choices=CriticCorrelation,
        label="CRITIC correlation",
        label_zh="CRITIC 相关系数",
        choice_labels={
            "pearson": ("Pearson", "Pearson"),
            "spearman": ("Spearman", "Spearman"),
            "kendall": ("Kendall", "Kendall"),
        },
    )
    critic_input: CriticInput = option(
        "scaled",
        "CRITIC's matrix: scaled (the standardised x', min–max by default) or raw values",
        "CRITIC 法所用矩阵：scaled（标准化后的 x'，默认极差标准化）或 raw（原始值）",
        choices=CriticInput,
        label="CRITIC input",
        label_zh="CRITIC 输入",
        choice_labels={
            "scaled": ("Standardised x′", "标准化 x′"),
            "raw": ("Raw values", "原始值"),
        },
    )
    critic_contrast: CriticContrast = option(
        "sd",
        "CRITIC's contrast intensity: sd (standard deviation, Diakoulaki) or entropy "
        "(the entropy divergence 1 − e_j: entropy–CRITIC)",
        "CRITIC 法对比强度：sd（标准差）或 entropy（熵值法的差异系数 1 − e_j，熵权-CRITIC）",
        choices=CriticContrast,
        label="CRITIC contrast",
        label_zh="CRITIC 对比强度",
        choice_labels={
            "sd": ("Standard deviation", "标准差"),
            "entropy": ("Entropy divergence", "熵值差异系数"),
        },
    )
    ahp_matrix: Any = option(
        None,
        "AHP pairwise-comparison matrix: a CSV/XLSX file (indicator names as header and "
        "first column; 1/3 allowed), or in a script a nested mapping or a square array",
        "AHP 判断矩阵：CSV/XLSX 文件（首行与首列为指标名，可写 1/3），脚本中也可传嵌套字典或方阵",
        kind="text",
        nullable=True,
        # a file: the app's Index and Compare pages take it as an upload
        # (nqpf.app.index_extras), not a generic widget
        app=False,
        label="AHP matrix",
        label_zh="AHP 判断矩阵",
    )
    ahp_allow_inconsistent: bool = option(
        False,
        "accept an AHP matrix whose consistency ratio CR exceeds 0.1",
        "接受一致性比率 CR 超过 0.1 的 AHP 判断矩阵",
        label="Accept CR > 0.1",
        label_zh="接受 CR > 0.1",
    )
    combine: Any = option(
        (),
        "the methods combined by weights=combined (two or more, e.g. entropy,ahp)",
        "组合赋权所组合的方法（两种及以上，如 entropy,ahp）",
        kind="values",
        choices=COMBINABLE,
        choice_labels=WEIGHT_LABELS,
        label="Combined methods",
        label_zh="组合的方法",
    )
    combine_rule: CombineRule = option(
        "linear",
        "how weights=combined combines: linear (α), multiplicative (w ∝ Π w_k) or game "
        "(game-theory combination)",
        "组合方式：linear（线性加权 α）、multiplicative（乘法合成）或 game（博弈论组合赋权）",
        choices=CombineRule,
        label="Combination rule",
        label_zh="组合方式",
        choice_labels={
            "linear": ("Linear (α)", "线性加权（α）"),
            "multiplicative": ("Multiplicative", "乘法合成"),
            "game": ("Game theory", "博弈论"),
        },
    )
    combine_alpha: Any = option(
        None,
        "linear combination of two methods: the first one's share α (the second gets "
        "1 − α); none: equal shares 1/k",
        "两种方法线性组合时第一种的系数 α（第二种为 1 − α）；none 为等权 1/k",
        kind="number",
        nullable=True,
        low=0.0,
        high=1.0,
        label="Combination α",
        label_zh="组合系数 α",
    )

    def _checked(self, info: Option, value: Any) -> Any:
        if info.name == "weights" and not isinstance(value, str):
            return _user_weight_values(value)
        if info.name in ("ideal_point", "anti_ideal_point"):
            return _point_values(info.name, value)
        if info.name == "ahp_matrix" and value is not None and not isinstance(value, str):
            return _ahp_matrix_value(value)
        if info.name == "combine":
            if isinstance(value, str):  # "entropy,ahp", as the CLI writes it
                value = [part.strip() for part in value.split(",") if part.strip()]
            return _combine_members(info.check(value))
        return info.check(value)

    def _check(self) -> None:
        self._check_weight_families()
        if self.ideal == "absolute" and (
            self.normalization != "minmax" or self.standardization != "minmax"
        ):
            raise InputError(
                "ideal='absolute' needs the min–max scale",
                hint="use normalization='minmax' with standardization='minmax', or ideal='panel'",
            )
        if self.ideal == "absolute" and self.base is not None:
            raise InputError(
                "ideal='absolute' takes the ends of the min–max scale, which a base year "
                "does not bound (later values fall outside [0, 1])",
                hint="use ideal='panel' or 'year' with base, or drop base",
            )

    @property
    def weight_method(self) -> str:
        """``weights`` when it names a method, ``"user"`` for user-given values."""
        return self.weights if isinstance(self.weights, str) else "user"

    @property
    def weight_methods_used(self) -> tuple[str, ...]:
        """The weight method, or the members of a combination."""
        return self.combine if self.weight_method == "combined" else (self.weight_method,)

    def _check_weight_families(self) -> None:
        """The rules between ``weights`` and its parameters (one line each)."""
        used = self.weight_methods_used
        if self.weight_method == "combined" and len(used) < 2:
            raise InputError(
                f"weights='combined' needs two or more methods in combine, got {len(used)}",
                hint="e.g. combine=['entropy', 'critic'] (CLI: --combine entropy,critic)",
            )
        if "ahp" in used and self.ahp_matrix is None:
            raise InputError(
                "weights='ahp' needs a pairwise-comparison matrix (ahp_matrix)",
                hint="give ahp_matrix= a CSV/XLSX file, a nested mapping or a square array",
            )
        if (
            self.combine_alpha is not None
            and self.weight_method == "combined"
            and (self.combine_rule != "linear" or len(used) != 2)
        ):
            raise InputError(
                "combine_alpha applies to the linear combination of two methods",
                hint="drop combine_alpha, or use combine_rule='linear' with two methods",
            )

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        # as the results have always shown them: a weighting family's parameters appear
        # only when the family is used
        used = self.weight_methods_used
        drop = []
        critic = ["critic_correlation", "critic_input", "critic_contrast"]
        # CRITIC as it always was shows no new parameters
        if "critic" not in used or all(getattr(self, n) == self.info(n).default for n in critic):
            drop += critic
        if "ahp" not in used:
            drop += ["ahp_matrix", "ahp_allow_inconsistent"]
        if self.weight_method != "combined":
            drop += ["combine", "combine_rule", "combine_alpha"]
        elif self.combine_rule != "linear":
            drop.append("combine_alpha")
        for name in drop:
            out.pop(name)
        if isinstance(out.get("ahp_matrix"), list):
            out["ahp_matrix"] = [list(row) for row in out["ahp_matrix"]]
        # as the results have always shown them: TOPSIS-only options are absent
        # from a linear index
        if self.method == "linear":
            for name in ("topsis", "ideal", "normalization"):
                out.pop(name)
        # the variants' options are shown where they act (and the app greys them out
        # elsewhere, :func:`nqpf.app.widgets.inactive_options`)
        inactive = set()
        if self.method == "grey":
            inactive |= {"distance", "p", "topsis"}
        if self.method == "linear":
            inactive |= {"distance", "p", "ideal_point", "anti_ideal_point"}
        if self.distance != "minkowski":
            inactive.add("p")
        if self.method not in ("grey", "grey_topsis"):
            inactive.add("rho")
        if self.method != "grey_topsis":
            inactive.add("grey_share")
        # no given point: nothing to show (they have no app widget to grey out)
        inactive |= {n for n in ("ideal_point", "anti_ideal_point") if getattr(self, n) is None}
        for name in inactive:
            out.pop(name, None)
        return out


def _user_weight_values(value: Any) -> Mapping[str, float] | tuple[float, ...]:
    """User weights as given (a mapping indicator → weight or a sequence in spec order),
    frozen; their match with the spec is checked by the index."""
    if isinstance(value, Mapping):
        items = dict(value)
        for k, v in items.items():
            _weight_number(v, str(k))
        return MappingProxyType(items)
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        values = tuple(value)
        for i, v in enumerate(values):
            _weight_number(v, i + 1)
        return values
    if hasattr(value, "tolist") and not isinstance(value, str | bytes):
        return _user_weight_values(value.tolist())
    raise InputError(
        "user weights must be numbers",
        hint="name a method (entropy, critic, cv, equal) or give one number per indicator",
    )


def _point_values(name: str, value: Any) -> Mapping[str, float] | None:
    """Given ideal/anti-ideal points: None, a mapping indicator → number, or texts
    ``indicator=number`` (a list, or one text with commas, as the CLI and the app give
    them); frozen. Their indicators are matched with the spec by the index."""
    if value is None:
        return None
    if isinstance(value, str):
        value = [part for part in value.split(",")]
    if isinstance(value, Mapping):
        items = list(value.items())
    elif isinstance(value, Sequence) and all(isinstance(v, str) for v in value):
        items = []
        for text in value:
            if not text.strip():
                continue
            key, sep, number = text.partition("=")
            if not sep or not key.strip():
                raise InputError(
                    f"{name}: '{text.strip()}' is not indicator=value",
                    hint=f"e.g. {name}=gdp=120000,energy=0.3",
                )
            items.append((key.strip(), number.strip()))
    else:
        raise InputError(
            f"{name} must map indicators to numbers",
            hint=f"e.g. {name}={{'gdp': 120000}} or the text gdp=120000",
        )
    out: dict[str, float] = {}
    for key, number in items:
        try:
            if _is_bool(number):
                raise ValueError
            out[str(key)] = float(number)
        except (TypeError, ValueError):
            raise InputError(
                f"{name} of '{key}' is not a number ({number!r})",
                hint="give the point in the indicator's own units",
            ) from None
        if not math.isfinite(out[str(key)]):
            raise InputError(
                f"{name} of '{key}' is not a finite number",
                hint="give the point in the indicator's own units",
            )
    return MappingProxyType(out) if out else None


def _ahp_matrix_value(value: Any) -> Any:
    """An AHP matrix given in a script, frozen: a nested mapping row → {column → a_ij}
    (by indicator name) or a square array (spec order); numbers are checked by the index,
    which knows the indicators."""
    import os

    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, Mapping):
        rows = {}
        for name, row in value.items():
            if not isinstance(row, Mapping):
                raise InputError(
                    "ahp_matrix as a mapping must map each indicator to a mapping of its "
                    "comparisons",
                    hint="e.g. {'gdp': {'gdp': 1, 'rd': 3}, 'rd': {'gdp': 1/3, 'rd': 1}}",
                )
            rows[name] = MappingProxyType(dict(row))
        return MappingProxyType(rows)
    if hasattr(value, "tolist") and not isinstance(value, str | bytes):
        value = value.tolist()
    if isinstance(value, Sequence) and all(
        isinstance(row, Sequence) and not isinstance(row, str | bytes) for row in value
    ):
        return tuple(tuple(row) for row in value)
    raise InputError(
        f"ahp_matrix={value!r} is not a matrix",
        hint="give a CSV/XLSX file, a nested mapping or a square array of comparisons",
    )


def _combine_members(members: tuple[str, ...]) -> tuple[str, ...]:
    """The methods of a combination, each a weight method other than ``combined``."""
    allowed = COMBINABLE
    for member in members:
        if member not in allowed:
            raise InputError(
                f"combine names '{member}', which is not a weight method to combine",
                hint="use two or more of: " + ", ".join(allowed),
            )
    if len(set(members)) != len(members):
        raise InputError("combine names a method twice", hint="name each combined method once")
    return members


def _weight_number(value: Any, where: Any) -> None:
    """The messages of :func:`nqpf.weights.user_weights`, which checks them again with
    the spec (a user weight's indicator is known only there)."""
    if _is_bool(value) or not isinstance(value, numbers.Real):
        raise InputError(
            "user weights must be numbers",
            hint="give one number per spec indicator, as a list in spec order or a dict",
        )
    if not math.isfinite(float(value)) or value < 0:
        # where: the indicator of a mapping (a text), the position (from 1) in a sequence
        if isinstance(where, int):
            raise InputError(
                f"weight {where} (in spec order) is {float(value)!r}: weights must be "
                "finite and non-negative",
                hint="give every indicator a weight ≥ 0",
            )
        raise InputError(
            f"the weight of indicator '{where}' is {float(value)!r}: weights must be finite "
            "and non-negative",
            hint="give every indicator a weight ≥ 0",
        )


@dataclass(frozen=True, eq=True)
class ReadOptions(Options):
    """How a panel file is read (:func:`nqpf.read_panel`; docs/design.md "Reading")."""

    family: ClassVar[str] = "read"

    form: Form = option(
        "auto",
        "panel layout: auto, wide (one column per indicator) or long (indicator, value)",
        "面板格式：自动 auto、宽表 wide（每个指标一列）或长表 long（指标、数值两列）",
        choices=Form,
        label="Layout",
        label_zh="数据格式",
        choice_labels={
            "auto": (
                "Automatic: long when there are indicator and value columns",
                "自动：有指标列与数值列时为长表",
            ),
            "wide": ("Wide: one column per indicator", "宽表：每个指标一列"),
            "long": ("Long: indicator and value columns", "长表：指标列与数值列"),
        },
    )
    sheet: Any = option(
        None,
        "XLSX sheet: its name or its 0-based position (default: the first sheet)",
        "XLSX 工作表：名称或从 0 开始的序号（默认第一个）",
        kind="text",
        nullable=True,
        app=False,
        label="Sheet",
        label_zh="工作表",
    )
    na_values: tuple[str, ...] = option(
        (),
        "cell texts read as missing, e.g. —, …, -, N/A (empty cells always are)",
        "视为缺失的单元格文本，如 —、…、-、N/A（空单元格总是缺失）",
        kind="values",
        label="Missing-value markers",
        label_zh="缺失值标记",
    )
    decimal: Decimal = option(
        ".",
        "decimal mark of numbers written as text: '.' or ','",
        "文本数字的小数点：'.' 或 ','",
        choices=Decimal,
        label="Decimal mark",
        label_zh="小数点",
        choice_labels={
            ".": ("Point: 1234.5", "小数点：1234.5"),
            ",": ("Comma: 1234,5", "逗号：1234,5"),
        },
    )

    def _checked(self, info: Option, value: Any) -> Any:
        if info.name == "sheet":
            # judged by the reader, which names the file and lists its sheets
            # (a position past the last sheet is known only there)
            return value
        if info.name == "na_values":
            return na_markers(value)
        return info.check(value)


def na_markers(na_values: Any) -> tuple[str, ...]:
    """The missing-value markers as a tuple of stripped, non-empty texts: None → none,
    a text → its comma-separated parts, a list (or set) of texts as given."""
    if na_values is None:
        return ()
    if isinstance(na_values, str):
        na_values = [v for v in (part.strip() for part in na_values.split(",")) if v]
    if not isinstance(na_values, Sequence | set | frozenset):
        raise InputError(
            f"na_values={na_values!r} is not a list of markers",
            hint="give the markers as a list of texts, e.g. na_values=['—', '-']",
        )
    markers = []
    for value in na_values:
        if not isinstance(value, str):
            raise InputError(
                f"missing-value marker {value!r} is not text",
                hint="give the markers as text, e.g. na_values=['—', '-']",
            )
        if value.strip():
            markers.append(value.strip())
    return tuple(markers)


def group_order_values(values: Sequence[str]) -> tuple[str, ...]:
    """The groups of a ``group_order``: each text split at a Chinese comma (，) or
    enumeration comma (、) too (a text is split at ``,`` already), stripped, empty
    parts dropped. Whether they name the data's groups is judged by
    :func:`nqpf.ordering.order_groups`, which knows the groups."""
    parts = []
    for value in values:
        for part in value.replace("，", ",").replace("、", ",").split(","):
            if part.strip():
                parts.append(part.strip())
    return tuple(parts)


#: Display labels of the echelon rules (the echelons' and the report's option).
ECHELON_RULE_LABELS: dict[str, tuple[str, str]] = {
    "jenks": ("Natural breaks (Fisher–Jenks)", "自然断点（Fisher–Jenks）"),
    "quantiles": ("Quantiles", "分位数"),
    "sd": ("Mean ± SD", "均值 ± 标准差"),
    "kmeans": ("k-means", "k 均值聚类"),
    "thresholds": ("Thresholds", "自定义阈值"),
    "column": ("A panel column", "面板中的分组列"),
    "equal": ("Equal interval", "等间距"),
    "max_breaks": ("Maximum breaks", "最大间隙断点"),
    "jenks_caspall": ("Jenks–Caspall", "Jenks–Caspall 迭代"),
    "head_tail": ("Head/tail breaks", "头尾断裂"),
}


@dataclass(frozen=True, eq=True)
class EchelonOptions(Options):
    """How regions are tiered (:func:`nqpf.echelons`; docs/methods.md §3)."""

    family: ClassVar[str] = "echelons"

    rule: EchelonRule = option(
        "jenks",
        "tiering rule: jenks (Fisher natural breaks), quantiles, sd (mean ± SD), kmeans, "
        "thresholds (given cut points), column (given tiers), equal (equal intervals), "
        "max_breaks (the k − 1 widest gaps), jenks_caspall (Jenks–Caspall iterations) or "
        "head_tail (head/tail breaks, k implied)",
        "梯队划分方法：自然断点 jenks、分位数 quantiles、均值±标准差 sd、k-means、给定阈值 "
        "thresholds、给定列 column、等间距 equal、最大间隙 max_breaks、Jenks–Caspall 迭代 "
        "jenks_caspall 或头尾断裂 head_tail（梯队数由数据决定）",
        choices=EchelonRule,
        label="Echelon rule",
        label_zh="梯队划分方法",
        choice_labels=ECHELON_RULE_LABELS,
    )
    k: Any = option(
        None,
        "number of echelons, ≥ 2 (default 3; implied by thresholds or quantiles)",
        "梯队数，≥ 2（默认 3；给定阈值或分位点时由其决定）",
        kind="integer",
        nullable=True,
        low=2,
        label="Echelons k",
        label_zh="梯队数 k",
    )
    sd_multiplier: float = option(
        1.0,
        "c in the mean ± c·SD cut points of rule='sd'",
        "均值±c·标准差划分中的 c",
        low=0.0,
        low_open=True,
        label="SD multiplier c",
        label_zh="标准差倍数 c",
    )
    ddof: int = option(
        1,
        "degrees of freedom of the SD of rule='sd': 1 (sample) or 0 (population)",
        "标准差自由度：1（样本）或 0（总体）",
        low=0,
        high=1,
        app=False,
    )
    seed: int = option(
        0,
        "seed of k-means' starting centres",
        "k-means 初始中心的随机种子",
        kind="integer",
        low=0,
        app=False,
    )
    n_init: int = option(
        10,
        "k-means restarts (the best within-tier sum of squares is kept)",
        "k-means 重复初始化次数",
        low=1,
        high=10_000,
        app=False,
    )


def _bootstrap_level() -> Any:
    """The confidence level of a bootstrap's percentile intervals: one declaration for
    every family that bootstraps (:class:`DagumOptions`, :class:`InequalityOptions`)."""
    return option(
        0.95,
        "confidence level of the bootstrap intervals",
        "自助法置信水平",
        low=0.0,
        high=1.0,
        low_open=True,
        high_open=True,
        label="Confidence level",
        label_zh="置信水平",
    )


def _bootstrap_seed() -> Any:
    """The seed of a bootstrap (see :func:`_bootstrap_level`)."""
    return option(
        None,
        "seed of the bootstrap (None: fresh randomness)",
        "自助法随机种子（None：不固定）",
        kind="seed",
        app=False,
    )


def _checked_seed(info: Option, value: Any) -> Any:
    """A family's value check, a numpy Generator accepted as a script's seed too."""
    if info.name == "seed" and type(value).__name__ == "Generator":
        return value
    return info.check(value)


@dataclass(frozen=True, eq=True)
class DagumOptions(Options):
    """Options of the Dagum Gini decomposition (:func:`nqpf.dagum_gini`; docs/methods.md §1)."""

    family: ClassVar[str] = "dagum"

    bootstrap: int = option(
        0,
        "stratified bootstrap replicates for confidence intervals (0: none; e.g. 999)",
        "分层自助法重复次数（0：不计算置信区间；如 999）",
        low=0,
        high=100_000,
        label="Bootstrap replicates",
        label_zh="自助法次数",
    )
    level: float = _bootstrap_level()
    seed: Any = _bootstrap_seed()

    def _checked(self, info: Option, value: Any) -> Any:
        return _checked_seed(info, value)


@dataclass(frozen=True, eq=True)
class MarkovOptions(Options):
    """Options of the Markov chain (:func:`nqpf.markov_chain`; docs/methods.md §4)."""

    family: ClassVar[str] = "markov"

    k: int = option(
        4,
        "number of states (quantile classes), 2 to 100 (e.g. quartiles: 4)",
        "状态数（分位数类型），2 至 100（如四分位：4）",
        low=2,
        high=100,
        label="States k",
        label_zh="状态数 k",
    )
    classes: MarkovClasses = option(
        "pooled",
        "class bounds: pooled (quantiles of all years), year (each year's quantiles) or "
        "relative (pooled quantiles of value ÷ its year's mean, Rey's relative incomes)",
        "类型边界：pooled（全部年份的分位数）、year（逐年分位数）或 relative"
        "（数值除以当年均值后的全部年份分位数）",
        choices=MarkovClasses,
        label="Classes",
        label_zh="类型划分",
        choice_labels={
            "pooled": ("Pooled quantiles (all years)", "全部年份的分位数"),
            "year": ("Each year's quantiles", "逐年分位数"),
            "relative": (
                "Pooled quantiles of value ÷ year mean",
                "相对值（除以当年均值）的全部年份分位数",
            ),
        },
    )
    cutoffs: tuple[float, ...] = option(
        (),
        "inner class bounds, increasing (e.g. 0.8,0.9,1,1.2: k = 5 classes, right-closed); "
        "they bound the relative values with classes=relative; empty: quantiles",
        "类型内部边界，递增（如 0.8,0.9,1,1.2：k = 5 类，右闭）；classes=relative 时为相对值的边界；"
        "空：分位数",
        kind="values",
        label="Cut-offs",
        label_zh="分界值",
    )
    lag_k: Any = option(
        None,
        "number of classes of the spatial lag, 2 to 100 (spatial Markov; None: k)",
        "空间滞后的类型数，2 至 100（空间马尔可夫；None：与 k 相同）",
        kind="integer",
        nullable=True,
        low=2,
        high=100,
        label="Lag classes m",
        label_zh="滞后类型数 m",
    )
    lag_cutoffs: tuple[float, ...] = option(
        (),
        "inner class bounds of the spatial lag, increasing (spatial Markov; empty: quantiles)",
        "空间滞后的类型内部边界，递增（空间马尔可夫；空：分位数）",
        kind="values",
        label="Lag cut-offs",
        label_zh="滞后分界值",
    )
    state_labels: tuple[str, ...] = option(
        (),
        "the value column holds these state labels, lowest first (e.g. low,middle,high); "
        "empty: the values are numbers cut into classes",
        "数值列为这些状态标签，由低到高（如 低,中,高）；空：数值按类型划分",
        kind="values",
        label="State labels",
        label_zh="状态标签",
    )

    def _checked(self, info: Option, value: Any) -> Any:
        if info.name in {"cutoffs", "lag_cutoffs"}:
            return _cutoff_values(info.name, value)
        return info.check(value)

    def _check(self) -> None:
        if (self.cutoffs or self.lag_cutoffs) and self.classes == "year":
            raise InputError(
                "cut-offs are fixed bounds, classes='year' cuts each year by its quantiles",
                hint="use classes='pooled' (or 'relative') with cutoffs=, or drop cutoffs=",
            )
        if self.state_labels and (self.cutoffs or self.classes != "pooled"):
            raise InputError(
                "given state labels are the states: they take no cut-offs or class rule",
                hint="drop cutoffs=/classes= when passing state_labels=",
            )
        if len(self.state_labels) == 1:
            raise InputError(
                f"state_labels names one state ({self.state_labels[0]!r}): a chain needs 2",
                hint="list every state, lowest first, e.g. state_labels=['low', 'high']",
            )
        if len(set(self.state_labels)) != len(self.state_labels):
            raise InputError(
                "state_labels names a label twice", hint="list each state once, lowest first"
            )

    @property
    def n_states(self) -> int:
        """The number of states: len(state_labels), len(cutoffs) + 1, else k."""
        if self.state_labels:
            return len(self.state_labels)
        return len(self.cutoffs) + 1 if self.cutoffs else self.k

    @property
    def n_lag_states(self) -> int:
        """The number of classes of the spatial lag: len(lag_cutoffs) + 1, else lag_k,
        else the number of states."""
        if self.lag_cutoffs:
            return len(self.lag_cutoffs) + 1
        return self.lag_k if self.lag_k is not None else self.n_states


def _cutoff_values(name: str, value: Any) -> tuple[float, ...]:
    """``value`` (numbers, or texts as the CLI reads them) as increasing finite floats."""
    if value is None:
        return ()
    if isinstance(value, str | numbers.Real):
        value = (
            [p for p in str(value).split(",") if p.strip()] if isinstance(value, str) else [value]
        )
    if hasattr(value, "tolist"):
        value = value.tolist()
    if not isinstance(value, Sequence):
        raise InputError(
            f"{name}={value!r} must be a list of numbers", hint=f"e.g. {name}=[0.8, 1.2]"
        )
    out = []
    for v in value:
        try:
            x = float(v.strip() if isinstance(v, str) else v)
        except (TypeError, ValueError):
            raise InputError(
                f"{name} holds {v!r}, which is not a number", hint=f"e.g. {name}=[0.8, 1.2]"
            ) from None
        if _is_bool(v) or not math.isfinite(x):
            raise InputError(
                f"{name} holds {v!r}, not a finite number", hint=f"e.g. {name}=[0.8, 1.2]"
            )
        out.append(x)
    if any(b <= a for a, b in itertools.pairwise(out)):
        raise InputError(
            f"{name}={out} are not strictly increasing",
            hint="list the class bounds from the lowest to the highest, each once",
        )
    return tuple(out)


@dataclass(frozen=True, eq=True)
class ClubOptions(Options):
    """Options of Phillips–Sul club convergence (:func:`nqpf.club_convergence`)."""

    family: ClassVar[str] = "clubs"

    log: bool = option(
        True,
        "take logs of the values first",
        "先取对数",
        label="Logs",
        label_zh="取对数",
    )
    hp_lambda: Any = option(
        400.0,
        "HP-filter λ for the trend (None: no filter)",
        "HP 滤波 λ（None：不滤波）",
        kind="number",
        nullable=True,
        low=0.0,
        low_open=True,
        label="HP λ",
        label_zh="HP 滤波 λ",
    )
    trim: float = option(
        1 / 3,
        "share of the first periods dropped from the log t regression (Phillips–Sul: 1/3)",
        "log t 回归中舍去的前期比例（Phillips–Sul：1/3）",
        low=0.0,
        high=1.0,
        low_open=True,
        high_open=True,
        label="Trim r",
        label_zh="截取比例 r",
    )
    cstar: float = option(
        0.0,
        "critical value c* of the core-group sieve",
        "核心组筛选的临界值 c*",
        label="c*",
        label_zh="临界值 c*",
    )
    merge: bool = option(
        True,
        "merge adjacent clubs that converge together (Phillips–Sul)",
        "合并可共同收敛的相邻俱乐部",
        label="Merge clubs",
        label_zh="合并俱乐部",
    )
    merge_method: ClubMerge = option(
        "ps",
        "how adjacent clubs merge: ps (Phillips–Sul 2009) or vlt (von Lyncker–Thoennessen "
        "2017: a club joins only if it converges better with the clubs above than with the "
        "next one)",
        "俱乐部合并规则：ps（Phillips–Sul 2009）或 vlt（von Lyncker–Thoennessen 2017）",
        choices=ClubMerge,
        label="Merge rule",
        label_zh="合并规则",
        choice_labels={
            "ps": ("Phillips–Sul", "Phillips–Sul"),
            "vlt": ("von Lyncker–Thoennessen", "von Lyncker–Thoennessen"),
        },
    )
    merge_divergent: bool = option(
        False,
        "after merging, let divergent regions join the club they converge with best (t > e*)",
        "合并后，将发散地区并入与其收敛最好的俱乐部（t > e*）",
        label="Merge divergent regions",
        label_zh="合并发散地区",
    )
    estar: float = option(
        -1.65,
        "critical value e* for a divergent region to join a club",
        "发散地区并入俱乐部的临界值 e*",
        label="e*",
        label_zh="临界值 e*",
    )
    hac: ClubHAC = option(
        "fqsb",
        "standard error of the log t slope: fqsb (Quadratic Spectral kernel with the "
        "Phillips–Sul fixed Andrews bandwidth) or aqsb (sandwich::vcovHAC's automatic "
        "Andrews bandwidth)",
        "log t 斜率的标准误：fqsb（二次谱核，Phillips–Sul 固定带宽）或 aqsb（Andrews 自动带宽）",
        choices=ClubHAC,
        label="HAC standard error",
        label_zh="HAC 标准误",
        choice_labels={
            "fqsb": ("QS kernel, fixed bandwidth", "二次谱核，固定带宽"),
            "aqsb": ("QS kernel, Andrews bandwidth", "二次谱核，Andrews 自动带宽"),
        },
    )
    cstar_method: CstarMethod = option(
        "fixed",
        "fixed c*, or incremental: raise c* by cstar_increment while a club's own test "
        "rejects convergence",
        "c* 固定 fixed，或递增 incremental：俱乐部自身检验拒绝收敛时按步长提高 c*",
        choices=CstarMethod,
        label="c* rule",
        label_zh="c* 规则",
        choice_labels={
            "fixed": ("Fixed", "固定"),
            "incremental": ("Incremental", "递增"),
        },
    )
    cstar_increment: float = option(
        0.1,
        "step by which an incremental c* rises",
        "递增 c* 的步长",
        low=0.0,
        low_open=True,
        label="c* step",
        label_zh="c* 步长",
    )
    cstar_cap: float = option(
        3.0,
        "largest c* an incremental search tries before the club is its core group",
        "递增 c* 的上限（超过后俱乐部仅含核心组）",
        low=0.0,
        label="c* cap",
        label_zh="c* 上限",
    )


@dataclass(frozen=True, eq=True)
class SpatialOptions(Options):
    """Options of the spatial statistics (:func:`nqpf.moran`, :func:`nqpf.geary`,
    :func:`nqpf.getis_ord_g`, :func:`nqpf.local_moran`, :func:`nqpf.local_g`;
    docs/methods.md, spatial statistics).

    One family serves the five statistics; each uses the options that apply to it
    (``randomisation``: Moran and Geary; ``alpha``: the local statistics; ``star``:
    local G) and ignores the others, so one object can drive a whole analysis (the
    CLI's ``nqpf spatial``). ``style`` and ``alternative`` default to None, "the
    statistic's own default": row-standardised weights for Moran, Geary and local
    Moran, binary for Getis–Ord G and local G (Getis & Ord 1992);
    ``alternative="greater"`` for the global statistics, ``"two.sided"`` for the
    local ones (spdep's defaults). A result's ``options`` holds the values used.
    """

    family: ClassVar[str] = "spatial"

    permutations: int = option(
        999,
        "random permutations for the permutation p-value p_sim (0: none)",
        "置换检验次数，用于 p_sim（0：不做置换检验）",
        low=0,
        label="Permutations",
        label_zh="置换次数",
    )
    seed: Any = option(
        None,
        "seed of the permutations (None: fresh randomness); the same seed gives the same p_sim",
        "置换检验的随机种子（None：不固定）；相同种子给出相同的 p_sim",
        kind="seed",
        app=False,
    )
    style: Any = option(
        None,
        "weights style: r (row-standardised), b (binary), o (as given); "
        "None: r for Moran, Geary and local Moran, b for Getis–Ord G and local G",
        "权重标准化方式：r 行标准化、b 二值、o 原值；None：Moran、Geary 与局部 Moran 用 r，"
        "Getis–Ord G 与局部 G 用 b",
        choices=SpatialStyle,
        nullable=True,
        label="Weights style",
        label_zh="权重标准化",
        choice_labels={
            "r": ("Row-standardised", "行标准化"),
            "b": ("Binary", "二值"),
            "o": ("As given", "原值"),
        },
    )
    alternative: Any = option(
        None,
        "alternative hypothesis: greater (positive autocorrelation), less or two.sided; "
        "None: greater for the global statistics, two.sided for the local ones",
        "备择假设：greater（正自相关）、less 或 two.sided；None：全局统计量用 greater，"
        "局部统计量用 two.sided",
        choices=Alternative,
        nullable=True,
        label="Alternative",
        label_zh="备择假设",
        choice_labels={
            "greater": ("Greater (positive autocorrelation)", "大于（正自相关）"),
            "less": ("Less (negative autocorrelation)", "小于（负自相关）"),
            "two.sided": ("Two-sided", "双侧"),
        },
    )
    alpha: float = option(
        0.05,
        "significance level of the LISA clusters and hot/cold spots (on p_sim)",
        "LISA 集聚类型与冷热点的显著性水平（基于 p_sim）",
        low=0.0,
        high=1.0,
        low_open=True,
        label="Significance level",
        label_zh="显著性水平",
    )
    islands: IslandPolicy = option(
        "raise",
        "regions without a neighbour: raise (refuse, naming them) or keep "
        "(spdep zero.policy=TRUE: their lag is 0)",
        "无邻居的区域（孤岛）：raise 报错并列出，keep 保留（spdep zero.policy=TRUE：空间滞后为 0）",
        choices=IslandPolicy,
        label="Islands",
        label_zh="孤岛处理",
        choice_labels={
            "raise": ("Refuse", "报错"),
            "keep": ("Keep (lag 0)", "保留（滞后为 0）"),
        },
    )
    randomisation: bool = option(
        True,
        "variance of Moran's I and Geary's C under randomisation (else normality), as spdep",
        "Moran's I 与 Geary's C 的方差按随机化假设计算（否则按正态假设），同 spdep",
        label="Randomisation variance",
        label_zh="随机化方差",
    )
    star: bool = option(
        False,
        "local G: include the region itself (Gi*, the usual hot-spot statistic)",
        "局部 G：包含区域自身（Gi*，常用的热点统计量）",
        label="Gi*",
        label_zh="Gi*（含自身）",
    )

    def _checked(self, info: Option, value: Any) -> Any:
        # a numpy Generator is a script's seed too
        if info.name == "seed" and type(value).__name__ == "Generator":
            return value
        return info.check(value)

    def resolved(self, style: str, alternative: str) -> SpatialOptions:
        """These options with a statistic's own ``style`` and ``alternative`` where
        they are None (what its result records)."""
        return self.replace(style=self.style or style, alternative=self.alternative or alternative)


CouplingFormula = Literal["classic", "corrected"]
CouplingZeros = Literal["error", "zero"]

#: How far the α weights of the coupling coordination may sum from 1: decimals typed
#: by a user are not exact in binary (0.1 + 0.2 + 0.7 = 1.0000000000000002), and a
#: real mistake (0.3, 0.3, 0.3) is far larger.
ALPHA_SUM_TOLERANCE = 1e-9


@dataclass(frozen=True, eq=True)
class CouplingOptions(Options):
    """Options of the coupling coordination degree (:func:`nqpf.coupling_coordination`;
    formulas in its docstring and docs/methods.md, coupling coordination)."""

    family: ClassVar[str] = "coupling"

    formula: CouplingFormula = option(
        "classic",
        "coupling degree C: classic (C = n·[Π U / (Σ U)^n]^(1/n)) or corrected "
        "(Wang Shujia et al. 2021, which spreads C over [0, 1])",
        "耦合度 C 的公式：classic 传统模型（C = n·[Π U / (Σ U)^n]^(1/n)）或 corrected "
        "修正模型（王淑佳等 2021，使 C 分布于 [0, 1]）",
        choices=CouplingFormula,
        label="Coupling formula",
        label_zh="耦合度公式",
        choice_labels={
            "classic": ("Classic", "传统模型"),
            "corrected": ("Corrected (Wang et al. 2021)", "修正模型（王淑佳等 2021）"),
        },
    )
    alpha: Any = option(
        None,
        "weights α of the systems in T = Σ α·U, in the systems' order, summing to 1 "
        "(None: equal, 1/n each)",
        "综合协调指数 T = Σ α·U 中各子系统的权重 α，按子系统顺序，和为 1（None：等权 1/n）",
        kind="values",
        nullable=True,
        also="a mapping system → α",
        label="System weights α",
        label_zh="子系统权重 α",
    )
    lag_low: float = option(
        0.8,
        "relative development: the first system lags when E = U1/U2 ≤ this (n > 2: a "
        "system lags when U / mean U ≤ this)",
        "相对发展度：E = U1/U2 ≤ 此值时第一个子系统滞后（n > 2：U / 平均 U ≤ 此值的子系统滞后）",
        low=0.0,
        high=1.0,
        low_open=True,
        label="Lag bound (low)",
        label_zh="滞后下界",
    )
    lag_high: float = option(
        1.2,
        "relative development of two systems: the second lags when E = U1/U2 > this",
        "两个子系统的相对发展度：E = U1/U2 > 此值时第二个子系统滞后",
        low=1.0,
        label="Lag bound (high)",
        label_zh="滞后上界",
    )
    zeros: CouplingZeros = option(
        "error",
        "a region-year whose systems are all 0 (C is 0/0): error (refuse, naming it) or "
        "zero (C = T = D = 0, the lowest level)",
        "所有子系统均为 0 的地区-年份（C 为 0/0）：error 报错并指出，zero 记 C = T = D = 0（最低等级）",
        choices=CouplingZeros,
        label="All-zero systems",
        label_zh="全为 0 的子系统",
        choice_labels={
            "error": ("Refuse", "报错"),
            "zero": ("C = D = 0", "记为 0"),
        },
    )

    def _checked(self, info: Option, value: Any) -> Any:
        if info.name == "alpha" and value is not None:
            return _alpha_values(value)
        return info.check(value)


def _alpha_values(value: Any) -> Mapping[str, float] | tuple[float, ...]:
    """α as numbers (a sequence in the systems' order or a mapping system → α; texts
    such as the CLI's "0.5,0.3,0.2" are read as numbers), each finite and ≥ 0, summing
    to 1 within :data:`ALPHA_SUM_TOLERANCE`; their match with the systems is checked by
    :func:`nqpf.coupling.coupling_coordination`, which knows the systems."""
    hint = "give one α per system, each ≥ 0, summing to 1, e.g. alpha=[0.5, 0.3, 0.2]"
    if isinstance(value, str):
        value = [part for part in (p.strip() for p in value.split(",")) if part]
    if hasattr(value, "tolist") and not isinstance(value, str | bytes):
        value = value.tolist()
    items = dict(value) if isinstance(value, Mapping) else None
    if items is None and not isinstance(value, Sequence):
        raise InputError(f"alpha={value!r} is not a list of numbers", hint=hint)
    numbers_ = []
    for key, v in items.items() if items is not None else enumerate(value):
        if isinstance(v, str):
            try:
                v = float(v.strip())
            except ValueError:
                raise InputError(f"alpha value {v!r} is not a number", hint=hint) from None
        if _is_bool(v) or not isinstance(v, numbers.Real) or not math.isfinite(float(v)) or v < 0:
            raise InputError(f"alpha value {v!r} must be a finite number ≥ 0", hint=hint)
        numbers_.append((key, float(v)))
    total = math.fsum(v for _, v in numbers_)
    if abs(total - 1.0) > ALPHA_SUM_TOLERANCE:
        raise InputError(f"the alpha weights sum to {total:g}, not 1", hint=hint)
    if items is not None:
        return MappingProxyType(dict(numbers_))
    return tuple(v for _, v in numbers_)


#: Each language under its own name (the report's option and the app's switch).
LANGUAGE_LABELS: dict[str, tuple[str, str]] = {
    "en": ("English", "English"),
    "zh": ("中文", "中文"),
}


@dataclass(frozen=True, eq=True)
class ReportOptions(Options):
    """Options of the paper report (:func:`nqpf.build_report`)."""

    family: ClassVar[str] = "report"

    echelon_rule: ReportEchelonRule = option(
        "jenks",
        "how regions are tiered by their average score: jenks (Fisher natural breaks), "
        "quantiles, sd (mean ± c·SD, c = sd_multiplier), kmeans, equal (equal intervals), "
        "max_breaks (the k − 1 widest gaps), jenks_caspall (Jenks–Caspall iterations) or "
        "head_tail (head/tail breaks, k implied)",
        "按平均得分划分梯队的方法：自然断点 jenks、分位数 quantiles、均值±c·标准差 sd"
        "（c 为 sd_multiplier）、k-means、等间距 equal、最大间隙 max_breaks、Jenks–Caspall 迭代 "
        "jenks_caspall 或头尾断裂 head_tail（梯队数由数据决定）",
        choices=ReportEchelonRule,
        label="Echelon rule",
        label_zh="梯队划分方法",
        choice_labels=ECHELON_RULE_LABELS,
    )
    k: int = option(
        3,
        "number of echelons, ≥ 2",
        "梯队数，≥ 2",
        low=2,
        label="Echelons k",
        label_zh="梯队数 k",
    )
    sd_multiplier: float = option(
        1.0,
        "c in the mean ± c·SD cut points of echelon_rule=sd",
        "echelon_rule=sd 时均值±c·标准差中的 c",
        low=0.0,
        low_open=True,
        label="SD multiplier c",
        label_zh="标准差倍数 c",
    )
    small_sample: SmallSample = option(
        "stata",
        "small-sample factor G/(G−1)·(N−1)/(N−K) of the clustered β-convergence standard "
        "errors: stata (K counts the slopes, the year dummies and a constant, as xtreg, fe "
        "vce(cluster)) or plm (K counts the columns left after the within transformation, "
        "as plm's vcovHC(type='sss'))",
        "β 收敛聚类标准误的小样本校正 G/(G−1)·(N−1)/(N−K)：stata（K 计斜率、年份虚拟变量与常数项，"
        "同 xtreg, fe vce(cluster)）或 plm（K 计组内变换后余下的列，同 plm 的 vcovHC(type='sss')）",
        choices=SmallSample,
        label="β small-sample factor",
        label_zh="β 小样本校正",
        choice_labels={
            "stata": ("Stata (xtreg, fe vce(cluster))", "Stata（xtreg, fe vce(cluster)）"),
            "plm": ("plm (vcovHC, type = sss)", "plm（vcovHC, type = sss）"),
        },
    )
    markov_k: int = option(
        4,
        "number of Markov states, ≥ 2",
        "马尔可夫链状态数，≥ 2",
        low=2,
        cli=False,
        label="Markov states",
        label_zh="马尔可夫状态数",
    )
    clubs: bool = option(
        True,
        "run the Phillips–Sul club convergence",
        "进行俱乐部收敛检验",
        cli=False,
        label="Club convergence",
        label_zh="俱乐部收敛",
    )
    language: Language = option(
        "en",
        "language of the report: headers, captions, notes, chart titles and text (en or zh)",
        "报告语言：表头、标题、注释、图表标题与正文（en 英文或 zh 中文）",
        choices=Language,
        label="Language",
        label_zh="语言",
        choice_labels=LANGUAGE_LABELS,
        cli_flag="--lang",
        # the app's own language switch (sidebar) decides its reports' language
        app=False,
    )
    group_order: tuple[str, ...] = option(
        (),
        "order of the groups in every table and chart, e.g. 东部,中部,西部,东北 "
        "(default: tiers by number, 东部/中部/西部/东北, else sorted)",
        "各表格与图中分组的顺序，如 东部,中部,西部,东北（默认：梯队按序号、东中西东北，否则排序）",
        kind="values",
        label="Group order",
        label_zh="分组顺序",
    )

    def _checked(self, info: Option, value: Any) -> Any:
        if info.name == "group_order":
            return group_order_values(info.check(value))
        return info.check(value)


@dataclass(frozen=True, eq=True)
class InequalityOptions(Options):
    """Options of the inequality measures (:func:`nqpf.inequality.theil`,
    :func:`~nqpf.inequality.generalized_entropy`, :func:`~nqpf.inequality.atkinson`,
    :func:`~nqpf.inequality.gini`, :func:`~nqpf.inequality.gini_sources`).

    One family serves every measure; each uses the options that apply to it (``alpha``:
    GE(α); ``epsilon``: Atkinson; ``nu`` and ``correction``: the Gini family) and
    ignores the others, so one object can drive ``nqpf inequality``. ``measure``
    chooses the measure there and in :func:`~nqpf.inequality.inequality`.
    """

    family: ClassVar[str] = "inequality"

    measure: InequalityMeasure = option(
        "theil",
        "measure: theil (T and L with their group decomposition), ge (GE(alpha)), atkinson, "
        "gini (with the Yitzhaki–Lerman decomposition by group), sgini (extended Gini, nu), "
        "sources (Lerman–Yitzhaki decomposition of the Gini by component)",
        "不平等指标：theil（泰尔 T 与 L 及其组间组内分解）、ge（广义熵 GE(alpha)）、atkinson、"
        "gini（基尼系数及按组的 Yitzhaki–Lerman 分解）、sgini（扩展基尼，参数 nu）、"
        "sources（按分项的 Lerman–Yitzhaki 基尼来源分解）",
        choices=InequalityMeasure,
        label="Measure",
        label_zh="不平等指标",
        choice_labels={
            "theil": ("Theil T and L", "泰尔指数 T 与 L"),
            "ge": ("Generalised entropy GE(α)", "广义熵 GE(α)"),
            "atkinson": ("Atkinson(ε)", "阿特金森指数"),
            "gini": ("Gini", "基尼系数"),
            "sgini": ("Extended (S-)Gini(ν)", "扩展基尼系数"),
            "sources": ("Gini by source (dimension)", "基尼系数来源分解"),
        },
    )
    alpha: float = option(
        2.0,
        "parameter α of GE(α): 0 is Theil L (mean log deviation), 1 Theil T, "
        "2 half the squared coefficient of variation; α ≤ 0 needs positive values",
        "广义熵参数 α：0 为泰尔 L（平均对数偏差），1 为泰尔 T，2 为变异系数平方的一半；"
        "α ≤ 0 需要正值",
        low=-10.0,
        high=10.0,
        label="GE α",
        label_zh="广义熵 α",
    )
    epsilon: float = option(
        0.5,
        "inequality aversion ε ≥ 0 of the Atkinson index (1: the geometric-mean case); "
        "ε ≥ 1 needs positive values",
        "阿特金森指数的不平等厌恶参数 ε ≥ 0（1：几何平均情形）；ε ≥ 1 需要正值",
        low=0.0,
        high=100.0,
        label="Atkinson ε",
        label_zh="阿特金森 ε",
    )
    nu: float = option(
        2.0,
        "parameter ν > 1 of the extended (S-)Gini (Yitzhaki 1983); 2 is the Gini",
        "扩展基尼系数参数 ν > 1（Yitzhaki 1983）；2 即基尼系数",
        low=1.0,
        low_open=True,
        high=100.0,
        label="S-Gini ν",
        label_zh="扩展基尼 ν",
    )
    correction: bool = option(
        False,
        "multiply the Gini (ν = 2, no groups) by n/(n − 1), the finite-sample correction",
        "基尼系数（ν = 2，不分组）乘以 n/(n − 1) 的小样本修正",
        label="n/(n−1) correction",
        label_zh="n/(n−1) 修正",
    )
    bootstrap: int = option(
        0,
        "bootstrap replicates for percentile intervals, units resampled within each "
        "year and group (0: none; e.g. 999)",
        "自助法重复次数，在每年每组内重抽样单位，给出百分位置信区间（0：不计算；如 999）",
        low=0,
        high=100_000,
        label="Bootstrap replicates",
        label_zh="自助法次数",
    )
    level: float = _bootstrap_level()
    seed: Any = _bootstrap_seed()

    def _checked(self, info: Option, value: Any) -> Any:
        return _checked_seed(info, value)


#: (English, Chinese) labels of the geodetector's discretisation methods.
GEO_METHOD_LABELS = {
    "optimal": ("Optimal (method × breaks maximising q)", "最优离散化（使 q 最大的方法与分级数）"),
    "equal": ("Equal interval", "等间距"),
    "natural": ("Natural breaks (Jenks)", "自然断点（Jenks）"),
    "quantile": ("Quantiles", "分位数"),
    "geometric": ("Geometric interval", "几何间隔"),
    "sd": ("Standard deviation", "标准差"),
}


@dataclass(frozen=True, eq=True)
class GeodetectorOptions(Options):
    """Options of the geographical detector (:func:`nqpf.geodetector`; docs/methods.md,
    geodetector)."""

    family: ClassVar[str] = "geodetector"

    discretization: GeoDiscretization = option(
        "optimal",
        "how a continuous factor is cut into strata: optimal (the method and number of "
        "breaks with the largest q, as GD::optidisc), equal, natural, quantile, geometric or sd",
        "连续型因子的离散化方法：optimal（使 q 最大的方法与分级数，同 GD::optidisc）、等间距 "
        "equal、自然断点 natural、分位数 quantile、几何间隔 geometric、标准差 sd",
        choices=GeoDiscretization,
        label="Discretisation",
        label_zh="离散化方法",
        choice_labels=GEO_METHOD_LABELS,
    )
    breaks: int = option(
        5,
        "number of strata of a continuous factor for a fixed discretisation method",
        "给定离散化方法时连续型因子的分级数",
        low=2,
        high=50,
        label="Strata",
        label_zh="分级数",
    )
    min_breaks: int = option(
        3,
        "smallest number of strata tried by discretization='optimal'",
        "最优离散化尝试的最小分级数",
        low=2,
        high=50,
        label="Fewest strata tried",
        label_zh="最小分级数",
    )
    max_breaks: int = option(
        7,
        "largest number of strata tried by discretization='optimal'",
        "最优离散化尝试的最大分级数",
        low=2,
        high=50,
        label="Most strata tried",
        label_zh="最大分级数",
    )
    methods: tuple[str, ...] = option(
        get_args(GeoMethod),
        "the methods discretization='optimal' tries (equal, natural, quantile, geometric, sd)",
        "最优离散化尝试的方法（equal、natural、quantile、geometric、sd）",
        kind="values",
        label="Methods tried",
        label_zh="尝试的方法",
    )
    categorical: tuple[str, ...] = option(
        (),
        "factors used as strata as they are, not discretised (text and boolean columns always are)",
        "直接作为分层、不做离散化的因子（文本与布尔列总是如此）",
        kind="values",
        label="Categorical factors",
        label_zh="类别型因子",
    )
    convention: GeoConvention = option(
        "wang",
        "wang: q = 1 − SSW/SST, the noncentral-F p-value and the SSW-ratio ecological F "
        "(Wang et al. 2010, 2016; R geodetector's q and p); GD: as the R GD package (strata "
        "of one unit dropped, λ over the population variance, ecological F = q2/q1)",
        "wang：q = 1 − SSW/SST、非中心 F 检验 p 值与组内平方和之比的生态探测 F（Wang 等 2010、"
        "2016；同 R geodetector 的 q 与 p）；GD：同 R GD 包（剔除仅含一个单元的层，λ 用总体方差，"
        "生态探测 F = q2/q1）",
        choices=GeoConvention,
        label="Convention",
        label_zh="计算口径",
        choice_labels={
            "wang": ("Wang et al. (definition)", "Wang 等（定义）"),
            "GD": ("R package GD", "R 包 GD"),
        },
    )
    alpha: float = option(
        0.05,
        "significance level of the risk and ecological detectors",
        "风险探测与生态探测的显著性水平",
        low=0.0,
        high=1.0,
        low_open=True,
        high_open=True,
        label="Significance level",
        label_zh="显著性水平",
    )

    def _checked(self, info: Option, value: Any) -> Any:
        value = info.check(value)
        if info.name == "methods":
            known = get_args(GeoMethod)
            if not value:
                raise InputError("methods= is empty", hint="e.g. methods=['natural', 'quantile']")
            for v in value:
                check_choice("methods", v, known)
        return value

    def _check(self) -> None:
        if self.min_breaks > self.max_breaks:
            raise InputError(
                f"min_breaks={self.min_breaks} exceeds max_breaks={self.max_breaks}",
                hint="give min_breaks ≤ max_breaks",
            )


#: Every family, by its name.
FAMILIES: dict[str, type[Options]] = {
    cls.family: cls
    for cls in (
        IndexOptions,
        ReadOptions,
        EchelonOptions,
        DagumOptions,
        MarkovOptions,
        ClubOptions,
        ReportOptions,
        SpatialOptions,
        InequalityOptions,
        GeodetectorOptions,
        CouplingOptions,
    )
}


# ---------------------------------------------------------------------------
# Functions that take a family's options as keywords and as options=
# ---------------------------------------------------------------------------

F = TypeVar("F", bound=Callable[..., Any])


def takes_options(family: type[Options], *, order: Sequence[str] = ()) -> Callable[[F], F]:
    """Let a function take ``family``'s options as keywords or as ``options=``.

    The wrapped function is written with one keyword parameter ``options`` (a
    checked ``family`` object) and no parameter named like an option. Its callers
    may pass ``options=`` (an object or a dict), any option as a keyword (applied
    on top of ``options``), or neither (the defaults). The signature shown by
    ``help()`` and ``inspect`` lists every option with its default, generated from
    the declaration. ``order`` lists the public positional parameters in order when
    some options were positional before (``markov_chain(df, "v", "r", "y", 5)``);
    by default every option is keyword-only. An unknown keyword is an
    :class:`UnknownOptionError` (a TypeError too) naming the close match.
    """

    def decorate(function: F) -> F:
        inner = inspect.signature(function)
        names = family.names()
        declared = {info.name: info for info in family.describe()}
        params = [p for p in inner.parameters.values() if p.name != "options"]
        clash = set(names) & {p.name for p in params}
        if clash:
            raise TypeError(f"{function.__name__} declares options itself: {sorted(clash)}")
        by_name = {p.name: p for p in params}
        positional_kinds = (
            inspect.Parameter.POSITIONAL_ONLY,
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
        )
        inner_positional = [p.name for p in params if p.kind in positional_kinds]
        public_positional = list(order) or inner_positional
        missing = set(inner_positional) - set(public_positional)
        if missing or not set(public_positional) <= set(inner_positional) | set(names):
            raise TypeError(f"order= of {function.__name__} must list its positional parameters")

        def positional(name: str) -> inspect.Parameter:
            if name in by_name:
                return by_name[name].replace(kind=inspect.Parameter.POSITIONAL_OR_KEYWORD)
            return inspect.Parameter(
                name, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=declared[name].default
            )

        public = inner.replace(
            parameters=[
                *(positional(n) for n in public_positional),
                *(
                    inspect.Parameter(
                        n, inspect.Parameter.KEYWORD_ONLY, default=declared[n].default
                    )
                    for n in names
                    if n not in public_positional
                ),
                *(p for p in params if p.kind is inspect.Parameter.KEYWORD_ONLY),
                inspect.Parameter("options", inspect.Parameter.KEYWORD_ONLY, default=None),
            ]
        )
        keywords = tuple(public.parameters)

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            unknown = [k for k in kwargs if k not in public.parameters]
            if unknown:
                close = difflib.get_close_matches(unknown[0], keywords, n=1)
                raise UnknownOptionError(
                    f"{function.__name__}() got an unknown keyword '{unknown[0]}'",
                    hint=(f"did you mean '{close[0]}'? " if close else "")
                    + "its keywords: "
                    + ", ".join(keywords),
                )
            arguments = public.bind(*args, **kwargs).arguments
            given = {k: arguments.pop(k) for k in list(arguments) if k in declared}
            chosen = family.resolve(arguments.pop("options", None), **given)
            return function(**arguments, options=chosen)

        wrapper.__signature__ = public  # type: ignore[attr-defined]
        wrapper.__options__ = family  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


# ---------------------------------------------------------------------------
# The docs' option tables
# ---------------------------------------------------------------------------


def _shown(value: Any) -> str:
    if value is None:
        return "None"
    if isinstance(value, tuple):
        return "[" + ", ".join(map(str, value)) + "]"
    if isinstance(value, float):
        return f"{value:g}" if value != 1 / 3 else "1/3"
    return str(value)


def options_markdown(language: str = "en") -> str:
    """Markdown tables of every option of every family (docs/options.md is this text)."""
    zh = language == "zh"
    head = (
        "| 选项 | 命令行 | 默认值 | 取值 | 说明 |"
        if zh
        else "| option | CLI | default | values | meaning |"
    )
    lines = [
        "# 选项" if zh else "# Options",
        "",
        (
            "由 `nqpf.options` 生成；每个选项只在那里声明一次。"
            if zh
            else "Generated from `nqpf.options` (`python -m nqpf.options`); each option is "
            "declared there once, and the API keywords, the CLI flags, the app's widgets "
            "and crossval's R mapping all come from that declaration."
        ),
    ]
    for family in FAMILIES.values():
        lines += ["", f"## {family.__name__}", "", head, "|---|---|---|---|---|"]
        for info in family.describe():
            if info.choices:
                values = ", ".join(f"`{c}`" for c in info.choices)
            elif info.kind in {"number", "integer"}:
                lo = "" if info.low is None else ("> " if info.low_open else "≥ ") + f"{info.low:g}"
                hi = (
                    ""
                    if info.high is None
                    else ("< " if info.high_open else "≤ ") + f"{info.high:g}"
                )
                values = " and ".join(x for x in (lo, hi) if x) or "any number"
                if info.kind == "integer":
                    values = ("整数 " if zh else "whole, ") + values
            elif info.kind == "flag":
                values = "True / False"
            elif info.kind == "seed":
                values = "None / ≥ 0"
            elif info.kind == "values":
                values = "列表" if zh else "list of texts"
            else:
                values = "文本" if zh else "text"
            if info.nullable:
                values += " / None"
            cli = f"`{info.flag}`" if info.cli else "—"
            text = info.text(language).replace("|", "\\|")
            lines.append(
                f"| `{info.name}` | {cli} | `{_shown(info.default)}` | {values} | {text} |"
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover - the docs generator
    import sys

    sys.stdout.write(options_markdown(sys.argv[1] if len(sys.argv) > 1 else "en"))
