"""Option widgets generated from the one declaration of every option (:mod:`nqpf.options`).

The app restates no option: a widget's kind, choices, bounds, default, label and
help all come from the option's :class:`~nqpf.options.Option` (English or
Chinese from the same declaration), and the values a page collects become an
options object (``IndexOptions(**values)``) that checks itself. A new option
declared in :mod:`nqpf.options` therefore appears in the app by itself.

The app adds only where a page puts a widget; the display label of a choice value
is the declaration's too (:attr:`nqpf.options.Option.choice_labels`; the raw value
when absent).

Kind → widget: ``choice`` → selectbox (or radio) with the option's choices;
``number`` → number input within [low, high]; ``integer`` → number input with
step 1; ``flag`` → checkbox; ``values`` → text input split on commas (a multiselect
when the option declares its choices, as ``combine`` does). ``text``
and ``seed`` options are script-only (``app=False``) and get no widget.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import streamlit as st

from nqpf.app.i18n import current_language, t
from nqpf.app.state import choose, default, show_error, split_values, stored_values
from nqpf.errors import InputError
from nqpf.options import Option, Options

#: The option kinds that have an app widget (``text`` and ``seed`` options are ``app=False``).
WIDGET_KINDS = ("choice", "number", "integer", "flag", "values")


def choice_label(info: Option, value: Any, language: str | None = None) -> str:
    """The display label of one choice of ``info``, from its declaration
    (:attr:`nqpf.options.Option.choice_labels`; the value itself when none is given)."""
    return info.choice_title(value, language or current_language())


def _step(value: Any) -> float:
    """A number input's step: 0.01, or the order of magnitude of a smaller default."""
    if isinstance(value, int | float) and 0 < abs(value) < 0.01:
        return 10.0 ** math.floor(math.log10(abs(value)))
    return 0.01


def _decimals(value: float) -> int:
    """The decimals of ``value``'s shortest text (``0.05`` → 2, ``1e-05`` → 5, ``400.0`` → 0)."""
    text = format(value, ".17f").rstrip("0") if "e" in repr(value) else repr(value)
    fraction = text.partition(".")[2].rstrip("0")
    return len(fraction)


#: Decimals a number input shows at most of a value the user typed.
TYPED_DECIMALS = 6


def number_format(info: Option, value: Any = None) -> str:
    """The printf format of a number option's input: the decimals of its declared step,
    of its declared default up to :data:`nqpf.formats.DIGITS` and of the current
    ``value`` up to :data:`TYPED_DECIMALS` (the trim 1/3 shows ``0.3333``, the shift
    0.0001 ``0.0001``, λ = 400 ``400.00``, a typed α = 0.001 ``0.001``).

    Never ``%g``: Streamlit's front end formats with sprintf.js, whose ``%g`` without a
    precision prints the whole double (``0.3333333333333333``). The format may change
    with the value: a keyed number input keeps its identity (and value) by its key."""
    from nqpf.formats import DIGITS

    def decimals(x: Any) -> int:
        return _decimals(abs(float(x))) if isinstance(x, int | float) and math.isfinite(x) else 0

    shown = max(
        decimals(_step(info.default)),
        min(decimals(info.default), DIGITS),
        min(decimals(value), TYPED_DECIMALS),
    )
    return f"%.{shown}f"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def option_widget(
    info: Option,
    key: str,
    where: Any = None,
    language: str | None = None,
    *,
    choices: Sequence[Any] | None = None,
    disabled: bool = False,
    radio: bool = False,
    placeholder: str | None = None,
    start: Any = None,
) -> Any:
    """The widget of option ``info`` under session-state ``key``; returns its value.

    ``choices`` narrows a choice option to what the page can offer (e.g. the
    echelon rule ``column`` only when the panel has a group column); the values
    themselves always come from the declaration. The start value is the
    declared default (the first offered choice when the default is not offered),
    or ``start`` where a page proposes another (the bootstrap section proposes
    B = 999 replicates: the declared 0 means no intervals).
    """
    where = where or st
    language = language or current_language()
    label, help_text = info.title(language), info.text(language) or None
    initial = info.default if start is None else start
    if info.kind == "choice":
        offered = tuple(info.choices if choices is None else choices)
        unknown = [c for c in offered if c not in info.choices]
        if unknown:
            raise ValueError(f"{info.name}: {unknown!r} are not among its declared choices")
        labels = {c: choice_label(info, c, language) for c in offered}
        return choose(
            label,
            offered,
            key,
            initial,
            where=where,
            format_func=labels.__getitem__,
            help=help_text,
            disabled=disabled,
            radio=radio,
        )
    if info.kind == "flag":
        default(key, bool(initial))
        return where.checkbox(label, key=key, help=help_text, disabled=disabled)
    if info.kind in ("integer", "number"):
        whole = info.kind == "integer"
        cast = int if whole else float
        low = None if info.low is None else cast(info.low)
        high = None if info.high is None else cast(info.high)
        default(key, None if initial is None else cast(initial))
        value = where.number_input(
            label,
            min_value=low,
            max_value=high,
            step=1 if whole else _step(info.default),
            format=None if whole else number_format(info, st.session_state.get(key)),
            key=key,
            help=help_text,
            disabled=disabled,
            placeholder=placeholder,
        )
        return None if value is None else cast(value)
    if info.kind == "values":
        return _values_widget(
            info, key, where, language, label, help_text, initial, choices, disabled, placeholder
        )
    raise ValueError(f"option {info.name!r} ({info.kind}) has no app widget; declare app=False")


def _values_widget(
    info: Option,
    key: str,
    where: Any,
    language: str,
    label: str,
    help_text: str | None,
    initial: Any,
    choices: Sequence[Any] | None,
    disabled: bool,
    placeholder: str | None,
) -> Any:
    """The widget of a ``values`` option: a multiselect of its declared choices, else a
    text split on commas (:func:`option_widget`)."""
    if info.choices:
        # a list of declared choices (the methods combined by weights=combined)
        offered = tuple(info.choices if choices is None else choices)
        labels = {c: choice_label(info, c, language) for c in offered}
        default(key, [c for c in (initial or ()) if c in offered])
        if any(c not in offered for c in st.session_state[key]):
            st.session_state[key] = [c for c in st.session_state[key] if c in offered]
        chosen = where.multiselect(
            label,
            offered,
            key=key,
            format_func=labels.__getitem__,
            help=help_text,
            disabled=disabled,
            placeholder=t("common.choose"),
        )
        return tuple(chosen)
    default(key, ", ".join(initial or ()))
    text = where.text_input(
        label, key=key, help=help_text, disabled=disabled, placeholder=placeholder
    )
    return values_of(info, text)


def values_of(info: Option, text: str) -> tuple[str, ...] | None:
    """The value of a ``values`` option typed as ``text`` in its widget (comma-separated):
    the one reading of that widget (the page's, and the project file's)."""
    parsed = split_values(text)
    if not all(_is_number(v) for v in parsed):
        # names and markers: a repeat is a slip, kept once; numbers are values as
        # typed (coupling α = 0.3, 0.3, 0.4 has three)
        parsed = tuple(dict.fromkeys(parsed))
    # an empty text is "not given" where None is allowed (coupling α: equal weights)
    return None if not parsed and info.nullable else parsed


def shown_options(family: type[Options], skip: Collection[str] = ()) -> tuple[Option, ...]:
    """The options of ``family`` the app offers (``app=True``), in declaration order."""
    return tuple(info for info in family.describe() if info.app and info.name not in skip)


def inactive_options(family: type[Options], values: Mapping[str, Any]) -> set[str]:
    """Options that do not act under ``values`` (those the options object leaves out of
    its :meth:`~nqpf.options.Options.to_dict`: e.g. the TOPSIS options of a linear
    index), so the page greys them out. None when ``values`` are not valid together."""
    try:
        active = family(**values).to_dict()
    except InputError:
        return set()
    return {name for name in values if name not in active}


def option_widgets(
    family: type[Options],
    prefix: str,
    *,
    columns: int = 4,
    where: Any = None,
    language: str | None = None,
    given: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Every app-visible option of ``family`` as a grid of widgets (``columns`` a row),
    keys ``prefix + name``; returns option name → value (check it with ``family(**values)``).

    ``given``: options the page takes from its own input instead of their widget (the
    Index page's given weights), option → a value standing for it: their widgets are
    greyed out, and so are the options that do not act under that value."""
    where = where or st
    given = dict(given or {})
    inactive = inactive_options(family, stored_values(family, prefix) | given) | set(given)
    values: dict[str, Any] = {}
    row: Sequence[Any] = ()
    for position, info in enumerate(shown_options(family)):
        if position % columns == 0:
            row = where.columns(columns)
        values[info.name] = option_widget(
            info,
            prefix + info.name,
            row[position % columns],
            language,
            disabled=info.name in inactive,
        )
    return values


def make_options(family: type[Options], values: Mapping[str, Any]) -> Options | None:
    """``family(**values)``, or None after showing its InputError in the page (one line)."""
    try:
        return family(**values)
    except InputError as err:
        show_error(err)
        return None
