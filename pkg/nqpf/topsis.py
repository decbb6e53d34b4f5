"""TOPSIS closeness (Hwang & Yoon 1981) in the variants regional studies use.

Given a normalised matrix M (rows = region-years), weights w and the ideal
M⁺ / anti-ideal M⁻ of each column:

- ``weighting="matrix"`` (weighted normalised matrix, Hwang–Yoon; R's
  ``topsis::topsis`` and ``MCDA::TOPSIS``):  D±r = sqrt(Σj (wj Mrj − wj M±j)²);
- ``weighting="distance"`` (weighted Euclidean distance, common in Chinese
  entropy–TOPSIS and in ``WtTopsis``):  D±r = sqrt(Σj wj (Mrj − M±j)²);
- closeness Cr = D−r / (D+r + D−r) ∈ [0, 1].

Normalisations: ``minmax`` reuses the entropy step's shifted min–max matrix x'' (all
columns already benefit-oriented); ``vector`` divides each raw column by its
Euclidean norm (Hwang–Yoon), the ideal of a cost column being its minimum;
``none`` takes the raw values as they are, with the same direction rule.

Ideals: ``panel`` takes max/min over all rows (scores comparable across years),
``year`` within each year, ``absolute`` the ends of the min–max scale (1 + a and a).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

Weighting = Literal["matrix", "distance"]
Ideal = Literal["panel", "year", "absolute"]
Normalization = Literal["minmax", "vector", "none"]

WEIGHTINGS = ("matrix", "distance")
IDEALS = ("panel", "year", "absolute")
NORMALIZATIONS = ("minmax", "vector", "none")


@dataclass(frozen=True, slots=True)
class Closeness:
    """TOPSIS output per row: closeness score and the distances D+ and D−."""

    score: np.ndarray
    d_plus: np.ndarray
    d_minus: np.ndarray


def vector_normalize(matrix: np.ndarray) -> np.ndarray:
    """rij = xij / sqrt(Σi xij²) (Hwang–Yoon vector normalisation)."""
    x = np.asarray(matrix, dtype=float)
    return x / np.sqrt((x * x).sum(axis=0))


def ideal_points(
    normalized: np.ndarray, benefit: np.ndarray, blocks: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Ideal and anti-ideal per row (R × m), over all rows or within each block label.

    For a benefit column the ideal is the maximum and the anti-ideal the minimum;
    a cost column takes the minimum as ideal.
    """
    m = np.asarray(normalized, dtype=float)
    benefit = np.asarray(benefit, dtype=bool)
    best = np.empty_like(m)
    worst = np.empty_like(m)
    if blocks is None:
        groups = [np.arange(m.shape[0])]
    else:
        _, inverse = np.unique(blocks, return_inverse=True)
        order = np.argsort(inverse, kind="stable")
        bounds = np.flatnonzero(np.diff(inverse[order])) + 1
        groups = np.split(order, bounds)
    for rows in groups:
        high, low = m[rows].max(axis=0), m[rows].min(axis=0)
        best[rows] = np.where(benefit, high, low)
        worst[rows] = np.where(benefit, low, high)
    return best, worst


def closeness(
    normalized: np.ndarray,
    weights: np.ndarray,
    best: np.ndarray,
    worst: np.ndarray,
    *,
    weighting: Weighting = "matrix",
) -> Closeness:
    """D+, D− and C = D−/(D+ + D−) for given ideals.

    ``weights`` is a vector (m) or a matrix of per-row weights (R × m, used when
    weights vary by year). Rows with D+ + D− = 0 (every column equals both its
    ideal and anti-ideal) get NaN; :func:`nqpf.index.entropy_topsis` reports them.
    """
    m = np.asarray(normalized, dtype=float)
    w = np.asarray(weights, dtype=float)
    if weighting == "matrix":
        d_plus = np.sqrt((((m - best) * w) ** 2).sum(axis=1))
        d_minus = np.sqrt((((m - worst) * w) ** 2).sum(axis=1))
    else:
        d_plus = np.sqrt((w * (m - best) ** 2).sum(axis=1))
        d_minus = np.sqrt((w * (m - worst) ** 2).sum(axis=1))
    total = d_plus + d_minus
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(total > 0, d_minus / np.where(total > 0, total, 1.0), np.nan)
    return Closeness(score, d_plus, d_minus)


def topsis_scores(
    matrix: np.ndarray,
    weights: np.ndarray,
    benefit: np.ndarray,
    *,
    normalization: Normalization = "vector",
    weighting: Weighting = "matrix",
    blocks: np.ndarray | None = None,
) -> Closeness:
    """Plain TOPSIS on a raw decision matrix (array level, no validation).

    With ``normalization="vector"`` and ``weighting="matrix"`` this is the
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
    return closeness(normalized, weights, best, worst, weighting=weighting)
