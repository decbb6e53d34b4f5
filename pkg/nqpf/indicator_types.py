"""Indicator types: turning moderate, interval and (optionally) cost columns into
benefit columns before standardisation (docs/methods.md §2, "Indicator types").

For a column x with reference rows (the block being standardised, or the base
year's rows under ``base=``):

- ``mid`` (moderate, 适度) with target t:  y = 1 − |x − t| / M,  M = max_ref |x − t|
  (the transformation of moderate indicators in the TOPSIS literature, e.g. Si Shoukui
  & Sun Xijing, 《数学建模算法与应用》, 2011);
- ``interval`` (区间) with bounds [a, b]:  M = max(a − min_ref x, max_ref x − b) and
  y = 1 − (a − x)/M below a, 1 inside [a, b], 1 − (x − b)/M above b
  (Guo Yajun, 《综合评价理论、方法及应用》, Science Press 2007, 指标的一致化);
- ``-`` (cost) under ``cost="reciprocal"``: y = 1/x; under ``cost="difference"``:
  y = max_ref x − x (Guo 2007); under ``cost="reverse"``
  (default) the column is left as it is and each standardisation reverses it in its
  own way ((max − x)/(max − min), min/x, −z), as nqpf always has.

The result is "larger is better" for every column but the reversed costs, and the
standardisation (min–max, ratio, z-score) or the TOPSIS normalisation then acts on y.
The kernels take numpy arrays and do no validation of the data; the index checks it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nqpf.options import Cost


def orient(
    matrix: np.ndarray,
    directions: Sequence[str],
    targets: np.ndarray,
    lowers: np.ndarray,
    uppers: np.ndarray,
    *,
    cost: Cost = "reverse",
    reference: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The columns of ``matrix`` as benefit columns where their type says so.

    ``directions`` is each column's ``+``, ``-``, ``mid`` or ``interval``; ``targets``,
    ``lowers``, ``uppers`` its type's numbers (NaN where none); M and max x are taken
    over ``reference`` (default: ``matrix``). Returns the oriented matrix and which
    columns are benefit-oriented (False only for costs under ``cost="reverse"``).
    When no column changes, the matrix itself is returned (no copy: today's numbers).

    Examples
    --------
    >>> import numpy as np
    >>> y, benefit = orient(np.array([[1.0], [3.0], [5.0]]), ["mid"], np.array([3.0]),
    ...                     np.array([np.nan]), np.array([np.nan]))
    >>> y.ravel().tolist(), benefit.tolist()
    ([0.0, 1.0, 0.0], [True])
    """
    x = np.asarray(matrix, dtype=float)
    ref = x if reference is None else np.asarray(reference, dtype=float)
    benefit = np.array([d != "-" for d in directions], dtype=bool)
    changed = [
        j
        for j, d in enumerate(directions)
        if d in ("mid", "interval") or (d == "-" and cost != "reverse")
    ]
    if not changed:
        return x, benefit
    out = np.array(x, dtype=float, order="F", copy=True)
    for j in changed:
        column, ref_column = x[:, j], ref[:, j]
        direction = directions[j]
        if direction == "mid":
            out[:, j] = moderate(column, float(targets[j]), ref_column)
        elif direction == "interval":
            out[:, j] = interval(column, float(lowers[j]), float(uppers[j]), ref_column)
        elif cost == "reciprocal":
            out[:, j] = 1.0 / column
        else:
            out[:, j] = ref_column.max() - column
        benefit[j] = True
    return out, benefit


def moderate(column: np.ndarray, target: float, reference: np.ndarray) -> np.ndarray:
    """y = 1 − |x − t| / max_ref |x − t| (1 at the target, 0 at the farthest reference
    value). A reference all at the target gives 0/0: the caller refuses that column
    as constant before."""
    gap = np.abs(column - target)
    spread = float(np.abs(reference - target).max())
    with np.errstate(invalid="ignore", divide="ignore"):
        return 1.0 - gap / spread


def interval(column: np.ndarray, lower: float, upper: float, reference: np.ndarray) -> np.ndarray:
    """1 inside [lower, upper]; 1 − (lower − x)/M below, 1 − (x − upper)/M above,
    M = max(lower − min_ref, max_ref − upper). With every reference value inside the
    range (M ≤ 0) the column is 1 wherever it is inside; the caller refuses a constant
    column."""
    spread = max(lower - float(reference.min()), float(reference.max()) - upper)
    below = lower - column
    above = column - upper
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(
            below > 0,
            1.0 - below / spread,
            np.where(above > 0, 1.0 - above / spread, 1.0),
        )
    return out
