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
``year`` within each year, ``absolute`` the ends of the min–max scale (1 + a and a).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import get_args

import numpy as np

from nqpf.options import Ideal, Normalization, Weighting
from nqpf.weights import power_of_two_scale

# the choices, as declared in nqpf.options
WEIGHTINGS: tuple[str, ...] = get_args(Weighting)
IDEALS: tuple[str, ...] = get_args(Ideal)
NORMALIZATIONS: tuple[str, ...] = get_args(Normalization)


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
    )[0]


def closeness_by_groups(
    normalized: np.ndarray,
    weights: np.ndarray,
    best: np.ndarray,
    worst: np.ndarray,
    groups: list[list[int]],
    *,
    topsis: Weighting = "matrix",
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
