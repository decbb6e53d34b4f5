"""Checks of one option value: a bool, a whole number, a real number, a choice, a seed.

Light on purpose (no numpy, no polars): :mod:`nqpf.options` validates every option
with these before the CLI or the app has imported anything heavy, and every
analysis module uses the same ones (through :mod:`nqpf._frames`), so that a value
is judged by one rule wherever it is given. Each failure is one
:class:`~nqpf.errors.InputError` that names the option.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any

from nqpf.errors import InputError


def _is_bool(value: Any) -> bool:
    """True for Python's and numpy's booleans (``True`` is an int in Python: refused as a
    number). numpy's type is ``numpy.bool_`` (``numpy.bool`` from numpy 2)."""
    kind = type(value)
    return isinstance(value, bool) or (
        kind.__module__ == "numpy" and kind.__name__ in {"bool_", "bool"}
    )


def check_bool(name: str, value: Any) -> bool:
    """``value`` as a bool; only ``True``/``False`` (and numpy's) are accepted."""
    if _is_bool(value):
        return bool(value)
    raise InputError(f"{name}={value!r} must be True or False")


def check_int(
    name: str,
    value: Any,
    *,
    low: int | None = None,
    high: int | None = None,
    hint: str | None = None,
) -> int:
    """``value`` as an int in [low, high]; bools, floats and text are refused."""
    if _is_bool(value) or not isinstance(value, numbers.Integral):
        raise InputError(f"{name}={value!r} must be a whole number", hint=hint)
    out = int(value)
    if (low is not None and out < low) or (high is not None and out > high):
        if high is None:
            rng = f"≥ {low}"
        elif low is None:
            rng = f"≤ {high}"
        else:
            rng = f"between {low} and {high}"
        raise InputError(f"{name}={out} must be {rng}", hint=hint)
    return out


def check_real(
    name: str,
    value: Any,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
    hint: str | None = None,
) -> float:
    """``value`` as a finite float in the given range; bools, NaN, inf and text are refused."""
    if _is_bool(value) or not isinstance(value, numbers.Real):
        raise InputError(f"{name}={value!r} must be a number", hint=hint)
    out = float(value)
    if not math.isfinite(out):
        raise InputError(f"{name}={value!r} must be a finite number", hint=hint)
    below = low is not None and (out <= low if low_open else out < low)
    above = high is not None and (out >= high if high_open else out > high)
    if below or above:
        lo = "" if low is None else ("> " if low_open else "≥ ") + f"{low:g}"
        hi = "" if high is None else ("< " if high_open else "≤ ") + f"{high:g}"
        rng = " and ".join(x for x in (lo, hi) if x)
        raise InputError(f"{name}={value!r} must be {rng}", hint=hint)
    return out


def check_choice(name: str, value: Any, allowed: Sequence[str]) -> str:
    """``value`` if it is one of ``allowed`` (text only; anything else is refused)."""
    if not isinstance(value, str) or value not in allowed:
        shown = repr(value) if not isinstance(value, str) else f"'{value}'"
        raise InputError(f"unknown {name} {shown}", hint=f"use one of: {', '.join(allowed)}")
    return value


def check_seed(name: str, value: Any, *, allow_none: bool = True) -> int | None:
    """A seed for ``numpy.random.default_rng``: None or a whole number ≥ 0."""
    if value is None and allow_none:
        return None
    return check_int(name, value, low=0, hint="a seed is a whole number ≥ 0, e.g. seed=1")
