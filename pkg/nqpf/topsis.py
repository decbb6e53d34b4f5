"""TOPSIS closeness (Hwang & Yoon 1981) in the variants regional studies use.

Given a normalised matrix M (rows = region-years), weights w and the ideal
M⁺ / anti-ideal M⁻ of each column:

- ``topsis="matrix"`` (weighted normalised matrix, Hwang–Yoon; R's
  ``topsis::topsis`` and ``MCDA::TOPSIS``):  D±r = sqrt(Σj (wj Mrj − wj M±j)²);
- ``topsis="distance"`` (weighted Euclidean distance, common in Chinese
  entropy–TOPSIS and in ``WtTopsis``):  D±r = sqrt(Σj wj (Mrj − M±j)²);
- closeness Cr = D−r / (D+r + D−r) ∈ [0, 1].

Normalisations: ``minmax`` reuses the entropy step's shifted standardised matrix x''
(of whichever ``standardization`` was chosen; all columns already benefit-oriented); ``vector`` divides each raw column by its
Euclidean norm (Hwang–Yoon), the ideal of a cost column being its minimum;
``none`` takes the raw values as they are, with the same direction rule.

Ideals: ``panel`` takes max/min over all rows (scores comparable across years),
``year`` within each year, ``absolute`` the ends of the min–max scale (1 + a and a);
points given by the user replace them indicator by indicator.

Distances (``distance``), with Δ the gap to a point and W the weights' sum:
Euclidean (above), Manhattan Σ|·|, Minkowski (Σ|·|ᵖ)^(1/p) — ``matrix``:
(Σj |wj Δj|ᵖ)^(1/p) / W, ``distance``: (Σj wj |Δj|ᵖ / W)^(1/p) — and Chebyshev
maxj wj |Δj| / W under both weightings (the p → ∞ limit of the ``distance`` form
would drop the weights). p = 2 is the Euclidean code path, bit for bit.

Grey relational analysis (Deng 1982, "Control problems of grey systems", Systems &
Control Letters 1(5), 288–294), with reference sequence x⁰ (the ideal point):
ξrj = (Δmin + ρ Δmax) / (Δrj + ρ Δmax), Δrj = |Mrj − x⁰j|, Δmin and Δmax the least
and largest Δ over all rows and the group's columns, ρ ∈ (0, 1] the resolution
coefficient; grade γr = Σj wj ξrj / Σj wj (Deng's mean with equal weights).

Grey relational TOPSIS (Sun Xiaodong, Jiao Yue & Hu Jinsong 2005, 《中国管理科学》
13(4), 63–68): R±r = grey grades to the ideal and anti-ideal, D±r the TOPSIS
distances, each divided by its largest value over the rows; S⁺ = (1 − β) D⁻ + β R⁺,
S⁻ = (1 − β) D⁺ + β R⁻ and C = S⁺ / (S⁺ + S⁻), β = ``grey_share`` (0.5 there).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import get_args

import numpy as np

from nqpf.options import Distance, Ideal, Normalization, Weighting
from nqpf.weights import power_of_two_scale

# the choices, as declared in nqpf.options
WEIGHTINGS: tuple[str, ...] = get_args(Weighting)
IDEALS: tuple[str, ...] = get_args(Ideal)
NORMALIZATIONS: tuple[str, ...] = get_args(Normalization)
DISTANCES: tuple[str, ...] = get_args(Distance)


@dataclass(frozen=True, slots=True)
class Closeness:
    """TOPSIS output per row: closeness score and the distances D+ and D−."""

    score: np.ndarray
    d_plus: np.ndarray
    d_minus: np.ndarray


def vector_normalize(matrix: np.ndarray) -> np.ndarray:
    """rij = xij / sqrt(Σi xij²) (Hwang–Yoon vector normalisation).

    The norm is taken of 2⁻ᵏ·x (a power of two per column, see
    :func:`nqpf.weights.power_of_two_scale`), so that Σ x² cannot overflow for
    values above ~1e154 nor underflow below ~1e-154; r is scale-free, and inside
    that range the scaling is the identity.
    """
    x = np.asarray(matrix, dtype=float)
    scales = np.array([power_of_two_scale(x[:, j]) for j in range(x.shape[1])])
    scaled = x / scales if np.any(scales != 1.0) else x
    return scaled / np.sqrt((scaled * scaled).sum(axis=0))


def ideal_points(
    normalized: np.ndarray, benefit: np.ndarray, blocks: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Ideal and anti-ideal points, over all rows or within each block label.

    For a benefit column the ideal is the maximum and the anti-ideal the minimum;
    a cost column takes the minimum as ideal. Without blocks the result is two
    vectors (m); with blocks two matrices (R × m), each row holding its block's points.
    """
    m = np.asarray(normalized, dtype=float)
    benefit = np.asarray(benefit, dtype=bool)
    if blocks is None:
        high, low = m.max(axis=0), m.min(axis=0)
        return np.where(benefit, high, low), np.where(benefit, low, high)
    labels, inverse = np.unique(blocks, return_inverse=True)
    best = np.empty_like(m, order="F")
    worst = np.empty_like(m, order="F")
    for j in range(m.shape[1]):
        high = np.full(labels.size, -np.inf)
        low = np.full(labels.size, np.inf)
        np.maximum.at(high, inverse, m[:, j])
        np.minimum.at(low, inverse, m[:, j])
        best[:, j] = (high if benefit[j] else low)[inverse]
        worst[:, j] = (low if benefit[j] else high)[inverse]
    return best, worst


def _column(values: np.ndarray, j: int) -> np.ndarray | float:
    """Column j of a per-row matrix, or element j of a per-column vector."""
    return values[:, j] if values.ndim == 2 else values[j]


def closeness(
    normalized: np.ndarray,
    weights: np.ndarray,
    best: np.ndarray,
    worst: np.ndarray,
    *,
    topsis: Weighting = "matrix",
    distance: Distance = "euclidean",
    p: float = 2.0,
) -> Closeness:
    """D+, D− and C = D−/(D+ + D−) for given ideals.

    ``weights``, ``best`` and ``worst`` are vectors (m) or per-row matrices
    (R × m, used when weights or ideals vary by year). Rows with D+ + D− = 0
    (every column equals both its ideal and anti-ideal) get NaN;
    :func:`nqpf.index.entropy_topsis` reports them.
    """
    return closeness_by_groups(
        normalized,
        weights,
        best,
        worst,
        [list(range(np.shape(normalized)[1]))],
        topsis=topsis,
        distance=distance,
        p=p,
    )[0]


def closeness_by_groups(
    normalized: np.ndarray,
    weights: np.ndarray,
    best: np.ndarray,
    worst: np.ndarray,
    groups: list[list[int]],
    *,
    topsis: Weighting = "matrix",
    distance: Distance = "euclidean",
    p: float = 2.0,
) -> list[Closeness]:
    """Closeness on each group of columns, its weights renormalised to sum to 1.

    One pass over the columns serves every group: with Wg = Σj∈g wj, the group's
    distances are sqrt(Σj∈g (wj Δj)²)/Wg (matrix) or sqrt(Σj∈g wj Δj² / Wg)
    (distance), Δj the gap to the ideal. Pass all columns as one group for the
    plain closeness. Used for the index and its dimension sub-scores.
    """
    m = np.asarray(normalized, dtype=float)
    w = np.asarray(weights, dtype=float)
    best = np.asarray(best, dtype=float)
    worst = np.asarray(worst, dtype=float)
    rows = m.shape[0]
    # Closeness is scale-free and D± scale with the matrix: with values beyond ~1e150
    # (normalization="none") the squared gaps would overflow, so compute on 2⁻ᵏ·M
    # and scale D± back (exact: a power of two).
    scale = power_of_two_scale(np.concatenate([m.ravel(), best.ravel(), worst.ravel()]))
    if scale != 1.0:
        m, best, worst = m / scale, best / scale, worst / scale
    if distance in ("chebyshev", "manhattan") or (distance == "minkowski" and p != 2.0):
        return [
            _closeness_of(*_power_distances(m, w, best, worst, columns, topsis, distance, p), scale)
            for columns in groups
        ]
    results = []
    for columns in groups:
        plus = np.zeros(rows)
        minus = np.zeros(rows)
        total_weight: np.ndarray | float = 0.0
        for j in columns:
            w_j = _column(w, j)
            gap_plus = m[:, j] - _column(best, j)
            gap_minus = m[:, j] - _column(worst, j)
            if topsis == "matrix":
                plus += (w_j * gap_plus) ** 2
                minus += (w_j * gap_minus) ** 2
            else:
                plus += w_j * gap_plus**2
                minus += w_j * gap_minus**2
            total_weight = total_weight + w_j
        with np.errstate(invalid="ignore", divide="ignore"):
            if topsis == "matrix":
                d_plus = np.sqrt(plus) / total_weight
                d_minus = np.sqrt(minus) / total_weight
            else:
                d_plus = np.sqrt(plus / total_weight)
                d_minus = np.sqrt(minus / total_weight)
            d_plus = np.broadcast_to(d_plus, (rows,)).copy()
            d_minus = np.broadcast_to(d_minus, (rows,)).copy()
            total = d_plus + d_minus
            score = np.where(total > 0, d_minus / np.where(total > 0, total, 1.0), np.nan)
        if scale != 1.0:
            # D± beyond the largest double become inf here; the caller reports them
            with np.errstate(over="ignore"):
                d_plus, d_minus = d_plus * scale, d_minus * scale
        results.append(Closeness(score, d_plus, d_minus))
    return results


def _power_distances(
    m: np.ndarray,
    w: np.ndarray,
    best: np.ndarray,
    worst: np.ndarray,
    columns: list[int],
    topsis: Weighting,
    distance: Distance,
    p: float,
) -> tuple[np.ndarray, np.ndarray]:
    """D± of one group under Manhattan, Minkowski-p or Chebyshev (see the module text)."""
    rows = m.shape[0]
    exponent = 1.0 if distance == "manhattan" else p
    plus = np.zeros(rows)
    minus = np.zeros(rows)
    total_weight: np.ndarray | float = 0.0
    for j in columns:
        w_j = _column(w, j)
        gap_plus = np.abs(m[:, j] - _column(best, j))
        gap_minus = np.abs(m[:, j] - _column(worst, j))
        if distance == "chebyshev":
            plus = np.maximum(plus, w_j * gap_plus)
            minus = np.maximum(minus, w_j * gap_minus)
        elif topsis == "matrix":
            plus += (w_j * gap_plus) ** exponent
            minus += (w_j * gap_minus) ** exponent
        else:
            plus += w_j * gap_plus**exponent
            minus += w_j * gap_minus**exponent
        total_weight = total_weight + w_j
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        if distance == "chebyshev":
            d_plus, d_minus = plus / total_weight, minus / total_weight
        elif topsis == "matrix":
            d_plus = plus ** (1.0 / exponent) / total_weight
            d_minus = minus ** (1.0 / exponent) / total_weight
        else:
            d_plus = (plus / total_weight) ** (1.0 / exponent)
            d_minus = (minus / total_weight) ** (1.0 / exponent)
    return (
        np.broadcast_to(d_plus, (rows,)).copy(),
        np.broadcast_to(d_minus, (rows,)).copy(),
    )


def _closeness_of(d_plus: np.ndarray, d_minus: np.ndarray, scale: float) -> Closeness:
    """C = D⁻/(D⁺ + D⁻) (NaN where both are 0), D± scaled back by ``scale``."""
    with np.errstate(invalid="ignore", divide="ignore"):
        total = d_plus + d_minus
        score = np.where(total > 0, d_minus / np.where(total > 0, total, 1.0), np.nan)
    if scale != 1.0:
        with np.errstate(over="ignore"):
            d_plus, d_minus = d_plus * scale, d_minus * scale
    return Closeness(score, d_plus, d_minus)


def grey_grades_by_groups(
    normalized: np.ndarray,
    weights: np.ndarray,
    reference: np.ndarray,
    groups: list[list[int]],
    *,
    rho: float = 0.5,
) -> list[np.ndarray]:
    """Grey relational grades γr = Σj wj ξrj / Σj wj of each group (Deng 1982).

    ξrj = (Δmin + ρ Δmax)/(Δrj + ρ Δmax), Δrj = |Mrj − x⁰j| with x⁰ = ``reference``
    (a vector, or one row per row of M); Δmin, Δmax over every row and the group's
    columns, so that a dimension's grade is the grade of a GRA on its indicators
    alone. A group whose rows all equal the reference (Δmax = 0) gets NaN, which the
    index reports.

    Examples
    --------
    >>> import numpy as np
    >>> g = grey_grades_by_groups(np.array([[1.0, 0.0], [0.5, 1.0]]), np.array([0.5, 0.5]),
    ...                           np.array([1.0, 1.0]), [[0, 1]])
    >>> np.round(g[0], 4).tolist()   # ξ = [[1, 1/3], [0.5, 1]]
    [0.6667, 0.75]
    """
    m = np.asarray(normalized, dtype=float)
    w = np.asarray(weights, dtype=float)
    gap = np.abs(m - np.asarray(reference, dtype=float))
    # grades are scale-free: 2⁻ᵏ·Δ keeps ρ·Δmax finite for values near 1e308
    gap = gap / power_of_two_scale(gap[np.isfinite(gap)])
    out = []
    for columns in groups:
        part = gap[:, columns]
        low, high = float(part.min()), float(part.max())
        grade = np.zeros(m.shape[0])
        total_weight: np.ndarray | float = 0.0
        with np.errstate(invalid="ignore", divide="ignore"):
            for k, j in enumerate(columns):
                w_j = _column(w, j)
                grade += w_j * ((low + rho * high) / (part[:, k] + rho * high))
                total_weight = total_weight + w_j
            out.append(np.broadcast_to(grade / total_weight, (m.shape[0],)).copy())
    return out


def grey_topsis_by_groups(
    normalized: np.ndarray,
    weights: np.ndarray,
    best: np.ndarray,
    worst: np.ndarray,
    groups: list[list[int]],
    *,
    rho: float = 0.5,
    share: float = 0.5,
    topsis: Weighting = "matrix",
    distance: Distance = "euclidean",
    p: float = 2.0,
) -> list[Closeness]:
    """Grey relational TOPSIS (Sun, Jiao & Hu 2005) of each group.

    With D± the TOPSIS distances and R± the grey grades to the ideal and anti-ideal,
    each divided by its largest value over the rows: S⁺ = (1 − β)D⁻ + βR⁺,
    S⁻ = (1 − β)D⁺ + βR⁻, C = S⁺/(S⁺ + S⁻) with β = ``share``. The returned
    distances are the TOPSIS D±.
    """
    distances = closeness_by_groups(
        normalized, weights, best, worst, groups, topsis=topsis, distance=distance, p=p
    )
    to_best = grey_grades_by_groups(normalized, weights, best, groups, rho=rho)
    to_worst = grey_grades_by_groups(normalized, weights, worst, groups, rho=rho)
    out = []
    for close, r_plus, r_minus in zip(distances, to_best, to_worst, strict=True):
        with np.errstate(invalid="ignore", divide="ignore"):
            d_plus = close.d_plus / close.d_plus.max()
            d_minus = close.d_minus / close.d_minus.max()
            s_plus = (1.0 - share) * d_minus + share * (r_plus / r_plus.max())
            s_minus = (1.0 - share) * d_plus + share * (r_minus / r_minus.max())
            score = s_plus / (s_plus + s_minus)
        out.append(Closeness(score, close.d_plus, close.d_minus))
    return out


def topsis_scores(
    matrix: np.ndarray,
    weights: np.ndarray,
    benefit: np.ndarray,
    *,
    normalization: Normalization = "vector",
    topsis: Weighting = "matrix",
    blocks: np.ndarray | None = None,
) -> Closeness:
    """Plain TOPSIS on a raw decision matrix (array level, no validation).

    With ``normalization="vector"`` and ``topsis="matrix"`` this is the
    textbook method of Hwang & Yoon (1981) and of R's ``topsis::topsis``.

    Examples
    --------
    Hodgett's car example (price is a cost):

    >>> import numpy as np
    >>> cars = np.array([[5490, 51.4, 8.5, 285], [6500, 70.6, 7, 288], [6489, 54.3, 7.5, 290]])
    >>> c = topsis_scores(cars, np.array([.35, .25, .25, .15]), np.array([False, True, True, True]))
    >>> np.round(c.score, 4).tolist()
    [0.4817, 0.5182, 0.178]
    """
    x = np.asarray(matrix, dtype=float)
    benefit = np.asarray(benefit, dtype=bool)
    if normalization == "vector":
        normalized = vector_normalize(x)
    elif normalization == "minmax":
        low, high = x.min(axis=0), x.max(axis=0)
        normalized = np.where(benefit, (x - low) / (high - low), (high - x) / (high - low))
        benefit = np.ones_like(benefit)
    else:
        normalized = x
    best, worst = ideal_points(normalized, benefit, blocks)
    return closeness(normalized, weights, best, worst, topsis=topsis)
