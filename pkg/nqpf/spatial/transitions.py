"""Space–time transitions of LISA quadrants (Rey 2001) and LISA time paths (Rey, Murray &
Anselin 2011): how regions and their neighbourhoods move on the Moran scatterplot.

In year t a region's quadrant on the Moran scatterplot is set by the signs of its
deviation z_it = x_it − x̄_t and of its spatial lag (W z_t)_i with row-standardised W:
HH (z > 0, lag > 0), LH (z ≤ 0, lag > 0), LL (z ≤ 0, lag ≤ 0), HL (z > 0, lag ≤ 0),
"high" meaning strictly above the year's mean (as esda's ``Moran_Local.q``, so that
the quadrants equal PySAL's and GeoDa's up to their codes).

**Transition types** between consecutive years (Rey 2001; the 时空跃迁 of the Chinese
literature):

- Type I — only the region moves (HH↔LH, HL↔LL);
- Type II — only the neighbourhood moves (HH↔HL, LH↔LL);
- Type III — both move (HH↔LL, LH↔HL);
- Type IV — neither moves (the quadrant stays).

*Spatial cohesion* (时空凝聚度) of a period is the share of Type IV transitions. The
4 × 4 matrix of quadrant transitions is the LISA Markov chain (giddy ``LISA_Markov``).

**LISA time paths**: region i's path is the sequence of points L_it = (z*_it, lag*_it)
with z* = z_t/σ_t standardised by the year's standard deviation (population form, as
esda). With d the Euclidean length of a step, the *relative length*
Γ_i = n Σ_t d(L_it, L_i,t+1) / Σ_j Σ_t d(L_jt, L_j,t+1) (1 = average mobility) and the
*tortuosity* Δ_i = d(L_i1, L_iT) / Σ_t d(L_it, L_i,t+1) (1 = a straight path).

References
----------
Rey, S. J. (2001). Spatial empirics for economic growth and convergence.
*Geographical Analysis* 33, 195–214.
Rey, S. J., Murray, A. T., Anselin, L. (2011). Visualizing regional income
distribution dynamics. *Letters in Spatial and Resource Sciences* 4, 81–90.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from nqpf.errors import InputError
from nqpf.results import Result

__all__ = ["QUADRANTS", "TransitionResult", "space_time_transitions"]

QUADRANTS = ("HH", "LH", "LL", "HL")
#: Transition type of (origin quadrant, destination quadrant), by quadrant index.
_TYPE = np.array(
    [
        # to HH   LH     LL     HL
        ["IV", "I", "III", "II"],  # from HH
        ["I", "IV", "II", "III"],  # from LH
        ["III", "II", "IV", "I"],  # from LL
        ["II", "III", "I", "IV"],  # from HL
    ]
)
TYPES = ("I", "II", "III", "IV")


def quadrant_codes(x: np.ndarray, lag_of: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Quadrant index (0 HH, 1 LH, 2 LL, 3 HL) of each value, and the standardised
    (z*, lag*) point, with ``lag_of`` the row-standardised W as a sparse matrix."""
    z = x - x.mean()
    sd = z.std()
    if sd == 0:
        raise InputError("every region has the same value, so no region is high or low")
    zs = z / sd
    lag = lag_of @ zs
    high, lag_high = zs > 0, lag > 0
    code = np.where(high, np.where(lag_high, 0, 3), np.where(lag_high, 1, 2))
    return code, zs, lag


@dataclass(frozen=True, slots=True)
class TransitionResult(Result):
    """Result of :func:`space_time_transitions`.

    Attributes
    ----------
    quadrants
        polars: ``<region>``, ``<year>``, ``z`` and ``lag`` (standardised scatterplot
        point), ``quadrant``.
    moves
        polars: ``<region>``, ``from_year``, ``to_year``, ``from``, ``to``, ``type``.
    matrix
        polars: ``from`` and the counts of moves to HH, LH, LL, HL (the LISA Markov
        counts).
    types
        polars: ``from_year``, ``to_year`` and the number of moves of each type, with
        ``cohesion`` (share of Type IV); a last row ``all`` over every period.
    paths
        polars: ``<region>``, ``length`` (Σ of step lengths), ``relative_length`` Γ,
        ``tortuosity`` Δ.
    """

    quadrants: Any
    moves: Any
    matrix: Any
    types: Any
    paths: Any
    options: dict[str, Any] = field(default_factory=dict)
    main_table: ClassVar[str] = "transition_types"
    title: ClassVar[str] = "Space–time transitions of LISA quadrants (Rey 2001)"

    def tables(self) -> dict[str, Any]:
        return {
            "transition_types": self.types,
            "transition_matrix": self.matrix,
            "moves": self.moves,
            "quadrants": self.quadrants,
            "time_paths": self.paths,
        }


def space_time_transitions(
    frame: Any, value: str, region: str, year: str, *, w: Any
) -> TransitionResult:
    """LISA quadrants by year, their transitions, types and time paths (module docstring).

    The panel must be balanced (every region in every year): a transition compares the
    same region's quadrant in two years, and W must cover the same regions each year.
    """

    from nqpf._frames import column_name
    from nqpf.spatial.panel import by_year

    column_name("year", year)
    keys, codes, points = [], [], []
    ids: tuple[str, ...] | None = None
    for key, x, wy in by_year(frame, value, region, year, w=w, what="a spatial lag"):
        if ids is not None and set(wy.ids) != set(ids):
            raise InputError(
                f"year {key} has other regions than year {keys[0]}",
                column=region,
                hint="space–time transitions need a balanced panel (every region every year)",
            )
        order = np.argsort(np.asarray(wy.ids, dtype=object)) if ids is None else None
        ids = ids or tuple(np.asarray(wy.ids, dtype=object)[order])
        position = {name: i for i, name in enumerate(wy.ids)}
        take = np.asarray([position[name] for name in ids])
        code, zs, lag = quadrant_codes(x, wy.transform("r").sparse)
        keys.append(key)
        codes.append(code[take])
        points.append(np.column_stack([zs[take], lag[take]]))
    if len(keys) < 2:
        raise InputError("space–time transitions need at least 2 years", column=year)
    q = np.column_stack(codes)  # n × T
    names = list(ids)
    return TransitionResult(
        quadrants=_quadrant_table(names, keys, q, points, region, year),
        moves=_moves(names, keys, q, region),
        matrix=_matrix(q),
        types=_types(keys, q),
        paths=_paths(names, np.stack(points, axis=1), region),
        options={},
    )


def _quadrant_table(names, keys, q, points, region, year):
    import polars as pl

    n, t = q.shape
    pts = np.stack(points, axis=1)  # n × T × 2
    return pl.DataFrame(
        {
            region: np.repeat(np.asarray(names, dtype=object), t).tolist(),
            year: keys * n,
            "z": pts[:, :, 0].ravel(),
            "lag": pts[:, :, 1].ravel(),
            "quadrant": np.asarray(QUADRANTS)[q].ravel().tolist(),
        }
    )


def _moves(names, keys, q, region):
    import polars as pl

    n, t = q.shape
    a, b = q[:, :-1], q[:, 1:]
    return pl.DataFrame(
        {
            region: np.repeat(np.asarray(names, dtype=object), t - 1).tolist(),
            "from_year": keys[:-1] * n,
            "to_year": keys[1:] * n,
            "from": np.asarray(QUADRANTS)[a].ravel().tolist(),
            "to": np.asarray(QUADRANTS)[b].ravel().tolist(),
            "type": _TYPE[a, b].ravel().tolist(),
        }
    )


def _matrix(q):
    import polars as pl

    counts = np.zeros((4, 4), dtype=np.int64)
    np.add.at(counts, (q[:, :-1].ravel(), q[:, 1:].ravel()), 1)
    return pl.DataFrame(
        {"from": list(QUADRANTS)} | {to: counts[:, j] for j, to in enumerate(QUADRANTS)}
    )


def _types(keys, q):
    import polars as pl

    kinds = _TYPE[q[:, :-1], q[:, 1:]]  # n × (T − 1)
    rows = []
    for t in range(kinds.shape[1]):
        rows.append(_type_row(str(keys[t]), str(keys[t + 1]), kinds[:, t]))
    rows.append(_type_row(str(keys[0]), str(keys[-1]), kinds.ravel(), label="all"))
    return pl.DataFrame(rows)


def _type_row(a: str, b: str, kinds: np.ndarray, label: str | None = None) -> dict[str, Any]:
    counts = {f"type_{k}": int((kinds == k).sum()) for k in TYPES}
    return (
        {"period": label or f"{a}–{b}", "from_year": a, "to_year": b}
        | counts
        | {"cohesion": counts["type_IV"] / kinds.size}
    )


def _paths(names, pts, region):
    import polars as pl

    steps = np.linalg.norm(np.diff(pts, axis=1), axis=2)  # n × (T − 1)
    length = steps.sum(axis=1)
    total = length.sum()
    span = np.linalg.norm(pts[:, -1] - pts[:, 0], axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        tortuosity = np.where(length > 0, span / length, np.nan)
    return pl.DataFrame(
        {
            region: names,
            "length": length,
            "relative_length": length * len(names) / total
            if total > 0
            else np.full(len(names), np.nan),
            "tortuosity": tortuosity,
        }
    )
