"""Indicator weights: the improved (pooled-panel) entropy method and its alternatives.

Entropy weights (Shannon 1948; the pooled-panel "improved" variant of Yang & Sun
2015, 《经济问题》), for rows r = 1..R and indicators j = 1..m:

1. standardise: min–max  x'rj = (xrj − minj)/(maxj − minj)  (benefit, ``+``) or
   (maxj − xrj)/(maxj − minj)  (cost, ``-``); ``ratio``: x/max (benefit),
   min/x (cost); ``zscore``: (x − mean)/sd, negated for cost (Guo 1998); moderate and
   interval indicators (and costs under ``cost=``) are made benefit columns first
   (:mod:`nqpf.indicator_types`); ``base=`` takes min/max from a base year;
2. shift: x''rj = x'rj + a  (a = ``shift``, default 1e-4) so that no log of 0 occurs;
3. prj = x''rj / Σr x''rj;
4. ej = −(1/ln R) Σr prj ln prj  (0·ln 0 := 0) ; dj = 1 − ej ; wj = dj / Σj dj.

``scope="panel"`` pools all region-years (R = N·T, one weight vector);
``scope="year"`` repeats every step within each year (R = N, weights per year).

Alternatives: CRITIC (Diakoulaki, Mavrotas & Papayannakis 1995): Cj = σj Σk (1 − rjk)
on the min–max matrix, wj = Cj/ΣCj; coefficient of variation: vj = sj/|x̄j| on the
raw values, wj = vj/Σvj; equal weights 1/m; or values given by the user
(normalised to sum to 1).

The kernels take numpy arrays and do no validation; :func:`compute_weights`
validates and returns tidy polars tables.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import get_args

import numpy as np

from nqpf.errors import InputError
from nqpf.options import Standardization, WeightMethod, ZeroLog

# the choices, as declared in nqpf.options
STANDARDIZATIONS: tuple[str, ...] = get_args(Standardization)
WEIGHT_METHODS: tuple[str, ...] = get_args(WeightMethod)
ZERO_LOG_RULES: tuple[str, ...] = get_args(ZeroLog)

#: The constant added to p under ``zero_log="epsilon"``.
EPSILON = 1e-12

#: Columns whose largest |value| lies outside [2⁻⁵⁰⁰, 2⁵⁰⁰] are rescaled by a power of
#: two before sums of squares or differences are formed: ~1e150² overflows a double and
#: ~1e-150² underflows. Scaling by 2ᵏ is exact, so inside that range nothing changes.
_SAFE_EXPONENT = 500


def power_of_two_scale(values: np.ndarray) -> float:
    """2ᵏ with max|values| in [2ᵏ, 2ᵏ⁺¹) when that lies outside [2⁻⁵⁰⁰, 2⁵⁰⁰], else 1.

    Dividing by it is exact (a power of two) and brings the values to about 1, so that
    scale-free quantities (min–max, z-scores, ratios of norms, Ginis) computed from the
    scaled values equal those of the exact values; a value 2¹⁰⁷⁴ times smaller than the
    largest underflows to 0, which is far below the result's rounding.
    """
    if values.size == 0:
        return 1.0
    top = float(np.max(np.abs(values)))
    if not math.isfinite(top) or top == 0.0:
        return 1.0
    exponent = math.frexp(top)[1] - 1  # top in [2**exponent, 2**(exponent + 1))
    if -_SAFE_EXPONENT <= exponent <= _SAFE_EXPONENT:
        return 1.0
    return math.ldexp(1.0, exponent)


@dataclass(frozen=True, slots=True)
class EntropyWeights:
    """Per-indicator entropy e_j, divergence d_j = 1 − e_j and weight w_j."""

    entropy: np.ndarray
    divergence: np.ndarray
    weight: np.ndarray


def standardize(
    matrix: np.ndarray,
    benefit: np.ndarray,
    method: Standardization = "minmax",
    *,
    reference: np.ndarray | None = None,
) -> np.ndarray:
    """Standardise each column so that larger is better.

    ``minmax``: (x − min)/(max − min) for benefit, (max − x)/(max − min) for cost.
    ``ratio``: x/max for benefit (x ≥ 0, max > 0: zeros allowed), min/x for cost
    (x > 0).
    ``zscore``: (x − mean)/sd with the sample SD (n − 1), negated for cost.
    min, max, mean and sd are those of ``reference`` (same columns; default the matrix
    itself): base-period standardisation passes the base year's rows (Stata's
    ``ewm, base``), so that values outside the base range fall outside [0, 1].
    Constant columns are the caller's to reject (the result would divide by 0).
    """
    x = np.asarray(matrix, dtype=float)
    benefit = np.asarray(benefit, dtype=bool)
    if method not in STANDARDIZATIONS:
        raise InputError(
            f"unknown standardization '{method}'",
            hint="use one of: " + ", ".join(STANDARDIZATIONS),
        )
    # column by column: panels arrive column-major from polars, and one contiguous
    # column at a time keeps the work in cache and avoids (R × m) temporaries
    ref = None if reference is None else np.asarray(reference, dtype=float)
    out = np.empty_like(x, order="F")
    for j in range(x.shape[1]):
        column = x[:, j]
        ref_column = column if ref is None else ref[:, j]
        if method in ("minmax", "zscore"):
            # scale-free results: compute on 2⁻ᵏ·x so that max − min and the squares
            # of the SD cannot overflow (values near ±1e308) or underflow
            scale = power_of_two_scale(column if ref is None else np.append(ref_column, column))
            if scale != 1.0:
                column = column / scale
                ref_column = column if ref is None else ref_column / scale
        if method == "minmax":
            low, high = ref_column.min(), ref_column.max()
            if benefit[j]:
                np.subtract(column, low, out=out[:, j])
            else:
                np.subtract(high, column, out=out[:, j])
            out[:, j] /= high - low
        elif method == "ratio":
            if benefit[j]:
                np.divide(column, ref_column.max(), out=out[:, j])
            else:
                np.divide(ref_column.min(), column, out=out[:, j])
        else:
            mean, sd = ref_column.mean(), ref_column.std(ddof=1)
            np.subtract(column, mean, out=out[:, j])
            out[:, j] /= sd if benefit[j] else -sd
    return out


def entropy_weights(shifted: np.ndarray, *, zero_log: ZeroLog = "zero") -> EntropyWeights:
    """Entropy weights of a non-negative (standardised and shifted) matrix.

    ej = −(1/ln R) Σr prj ln prj with prj = xrj/Σr xrj; dj = 1 − ej; wj = dj/Σ dj.
    ``zero_log="zero"`` applies the textbook 0·ln 0 = 0; ``"epsilon"`` adds 1e-12
    to every p instead (a rule some scripts use).

    Examples
    --------
    >>> import numpy as np
    >>> w = entropy_weights(np.array([[0.0, 1.0], [1.0, 1.0], [2.0, 0.0]]))
    >>> bool(abs(w.weight.sum() - 1) < 1e-15)
    True
    """
    x = np.asarray(shifted, dtype=float)
    rows, columns = x.shape
    plogp_sums = np.empty(columns)
    for j in range(columns):
        p = x[:, j] / x[:, j].sum()
        if zero_log == "epsilon":
            p += EPSILON
            plogp_sums[j] = (p * np.log(p)).sum()
        else:
            # 0·ln 0 = 0 (scipy's xlogy(p, p); numpy alone keeps scipy off the import path)
            plogp_sums[j] = (p * np.log(np.where(p > 0, p, 1.0))).sum()
    entropy = -plogp_sums / np.log(rows)
    divergence = 1.0 - entropy
    return EntropyWeights(entropy, divergence, divergence / divergence.sum())


def critic_weights(standardized: np.ndarray) -> np.ndarray:
    """CRITIC weights (Diakoulaki et al. 1995): Cj = σj Σk (1 − rjk), wj = Cj/ΣCj."""
    z = np.asarray(standardized, dtype=float)
    sigma = z.std(axis=0, ddof=1)
    if z.shape[1] == 1:
        return np.ones(1)
    correlation = np.corrcoef(z, rowvar=False)
    information = sigma * (1.0 - correlation).sum(axis=0)
    return information / information.sum()


def cv_weights(matrix: np.ndarray) -> np.ndarray:
    """Coefficient-of-variation weights: vj = sj/|x̄j| (sample SD), wj = vj/Σvj."""
    x = np.asarray(matrix, dtype=float)
    # v_j is scale-free: each column on a power-of-two scale cannot overflow the SD
    scales = np.array([power_of_two_scale(x[:, j]) for j in range(x.shape[1])])
    x = x / scales
    variation = x.std(axis=0, ddof=1) / np.abs(x.mean(axis=0))
    return variation / variation.sum()


def user_weights(values: Mapping[str, float] | Sequence[float], names: Sequence[str]) -> np.ndarray:
    """Validate user-given weights (a mapping by indicator or a sequence in spec order)."""
    if isinstance(values, Mapping):
        unknown = [k for k in values if k not in names]
        if unknown:
            raise InputError(
                f"weight given for '{unknown[0]}', which is not an indicator of the spec",
                hint="give one weight per spec indicator",
            )
        absent = [n for n in names if n not in values]
        if absent:
            raise InputError(
                f"no weight given for indicator '{absent[0]}'",
                hint="give one weight per spec indicator",
            )
        w = np.array([float(values[n]) for n in names])
    else:
        w = np.asarray(list(values), dtype=float)
        if w.shape != (len(names),):
            raise InputError(
                f"{w.size} weights given for {len(names)} indicators",
                hint="give one weight per spec indicator, in spec order",
            )
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise InputError("weights must be finite and non-negative")
    # a sum of weights near 1e308 would overflow: normalise 2⁻ᵏ·w (exact)
    w = w / power_of_two_scale(w)
    if w.sum() <= 0:
        raise InputError("the weights sum to 0", hint="give at least one positive weight")
    return w / w.sum()


def check_options(*, standardization: str, shift: float, zero_log: str) -> None:
    """Reject unknown option values with one line naming the option."""
    if standardization not in STANDARDIZATIONS:
        raise InputError(
            f"unknown standardization '{standardization}'",
            hint="use one of: " + ", ".join(STANDARDIZATIONS),
        )
    if zero_log not in ZERO_LOG_RULES:
        raise InputError(
            f"unknown zero_log rule '{zero_log}'", hint="use one of: " + ", ".join(ZERO_LOG_RULES)
        )
    if isinstance(shift, bool) or not np.isfinite(shift) or shift < 0:
        raise InputError(f"shift must be a finite number ≥ 0, got {shift!r}")
