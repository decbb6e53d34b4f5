"""The spatial Gini (Rey & Smith 2013): how much of the disparity lies between neighbours.

The Gini of n values with mean μ is

    G = Σ_i Σ_j |x_i − x_j| / (2 n² μ)

(the same convention as the Dagum decomposition's overall Gini, without the
n/(n − 1) correction). With binary spatial weights w_ij (1 for neighbours), the
double sum splits into neighbour and non-neighbour pairs:

    G = Σ_i Σ_j w_ij |x_i − x_j| / (2 n² μ) + Σ_i Σ_j (1 − w_ij) |x_i − x_j| / (2 n² μ)
      = G_neighbour + G_non_neighbour.

When neighbours are more alike than random pairs (positive spatial autocorrelation),
the non-neighbour term is larger than it would be if the values were placed at
random. Inference permutes the values over the regions (each permutation keeps the
values, hence G, and moves them on the map) and compares the non-neighbour sum with
its permutation distribution. The pseudo p-value is PySAL ``inequality``'s folded one,
p = (1 + min(#{sim ≥ obs}, #{sim < obs})) / (B + 1); ``z_sim`` standardises the
observed sum by the permutations' mean and standard deviation. The polarization index
(wcg / wg) · (neighbour pairs / non-neighbour pairs) is 1 in expectation when the
values carry no spatial pattern.

References
----------
Rey, S. J., Smith, R. J. (2013). A spatial decomposition of the Gini coefficient.
*Letters in Spatial and Resource Sciences* 6, 55–70.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from nqpf.errors import InputError
from nqpf.options import SpatialOptions, takes_options
from nqpf.results import Result
from nqpf.spatial.panel import by_year, seed_rng, year_table

__all__ = ["SpatialGiniResult", "spatial_gini", "spatial_gini_kernel"]

#: Permutations are drawn in blocks of this many rows × links cells, which bounds the
#: memory of the vectorised sums (~8 bytes a cell).
_BLOCK_CELLS = 4_000_000


def _sum_abs_differences(x: np.ndarray) -> float:
    """Σ_i Σ_j |x_i − x_j| over ordered pairs in O(n log n): 2 Σ_k (2k − n − 1) x_(k)."""
    s = np.sort(x)
    n = s.size
    return float(2.0 * np.dot(2.0 * np.arange(1, n + 1) - n - 1, s))


def spatial_gini_kernel(
    x: np.ndarray,
    rows: np.ndarray,
    cols: np.ndarray,
    *,
    permutations: int = 999,
    rng: np.random.Generator | None = None,
) -> dict[str, float]:
    """The spatial Gini of ``x`` with binary links ``rows[k] → cols[k]`` (both
    directions listed, as in a symmetric W).

    Returns G, the neighbour and non-neighbour components, the non-neighbour share,
    the polarization index and, when ``permutations > 0``, the permutation mean, sd,
    z and the folded pseudo p-value (see the module docstring).
    """
    n = x.size
    mean = float(x.mean())
    den = 2.0 * n * n * mean
    total = _sum_abs_differences(x)
    wg = float(np.abs(x[rows] - x[cols]).sum())
    wcg = total - wg
    n_pairs = n * (n - 1) / 2
    nb_pairs = rows.size / 2
    far_pairs = n_pairs - nb_pairs
    out = {
        "G": total / den,
        "G_neighbour": wg / den,
        "G_non_neighbour": wcg / den,
        "non_neighbour_share": wcg / total if total > 0 else float("nan"),
        "polarization": (wcg / wg) * (nb_pairs / far_pairs)
        if wg > 0 and far_pairs > 0
        else float("nan"),
    }
    if permutations:
        rng = rng if rng is not None else np.random.default_rng()
        sims = np.empty(permutations)
        block = max(1, _BLOCK_CELLS // max(rows.size, 1))
        for start in range(0, permutations, block):
            stop = min(permutations, start + block)
            # one permutation of 0..n−1 per row; x[perm] places the values at random
            perms = rng.permuted(np.broadcast_to(np.arange(n), (stop - start, n)), axis=1)
            placed = x[perms]
            sims[start:stop] = total - np.abs(placed[:, rows] - placed[:, cols]).sum(axis=1)
        above = int((sims >= wcg).sum())
        larger = min(above, permutations - above)
        sd = float(sims.std())
        out |= {
            "E_sim": float(sims.mean()) / den,
            "SD_sim": sd / den,
            "z_sim": (wcg - float(sims.mean())) / sd if sd > 0 else float("nan"),
            "p_sim": (larger + 1.0) / (permutations + 1.0),
        }
    return out


@dataclass(frozen=True, slots=True)
class SpatialGiniResult(Result):
    """Result of :func:`spatial_gini`.

    Attributes
    ----------
    table
        polars: ``<year>`` (when given), ``G``, ``G_neighbour``, ``G_non_neighbour``,
        ``non_neighbour_share``, ``polarization`` and, with permutations, ``E_sim``,
        ``SD_sim`` (the non-neighbour component's permutation mean and sd, in Gini
        units), ``z_sim``, ``p_sim``.
    options
        The :class:`~nqpf.options.SpatialOptions` of the call (the Gini uses
        ``permutations`` and ``seed``).
    """

    table: Any
    options: Any = field(default_factory=SpatialOptions)
    main_table: ClassVar[str] = "spatial_gini"
    title: ClassVar[str] = "Spatial Gini (Rey & Smith 2013)"
    #: The options of :class:`~nqpf.options.SpatialOptions` the spatial Gini uses.
    uses: ClassVar[tuple[str, ...]] = ("permutations", "seed")

    def summary(self) -> str:
        """The title, the options it uses and the table."""
        import polars as pl

        from nqpf.spatial.autocorrelation import options_line

        with pl.Config(tbl_hide_dataframe_shape=True, tbl_hide_column_data_types=True):
            return "\n".join([self.title, options_line(self.options, self.uses), str(self.table)])

    def tables(self) -> dict[str, Any]:
        return {"spatial_gini": self.table}


@takes_options(SpatialOptions, order=("frame", "value", "region", "year"))
def spatial_gini(
    frame: Any,
    value: str,
    region: str,
    year: str | None = None,
    *,
    w: Any,
    options: SpatialOptions,
) -> SpatialGiniResult:
    """Spatial Gini of ``value`` by year with permutation inference (module docstring).

    Parameters
    ----------
    frame
        polars or pandas frame, one row per region (and year).
    value, region, year
        Column names (``year=None``: one cross-section).
    w
        :class:`~nqpf.spatial.SpatialWeights` over the regions; used as binary weights
        (neighbour or not) and must be symmetric.
    permutations, seed
        Of :class:`~nqpf.options.SpatialOptions` (keywords or ``options=``; the other
        spatial options do not apply): random placements for the pseudo p-value (0:
        none), and their seed or ``numpy.random.Generator``.

    Examples
    --------
    >>> import polars as pl
    >>> from nqpf.spatial import from_neighbours
    >>> w = from_neighbours({"a": ["b"], "b": ["c"], "c": ["d"], "d": []})
    >>> df = pl.DataFrame({"r": ["a", "b", "c", "d"], "x": [1.0, 2.0, 3.0, 4.0]})
    >>> res = spatial_gini(df, "x", "r", w=w, permutations=0)
    >>> round(res.table["G"][0], 4), round(res.table["G_neighbour"][0], 4)
    (0.25, 0.075)
    """
    permutations = options.permutations
    rng = seed_rng(options.seed)
    rows_out: list[dict[str, Any]] = []
    keys: list[Any] = []
    for key, x, wy in by_year(
        frame, value, region, year, w=w, what="the spatial Gini", allow_islands=True
    ):
        if (x < 0).any():
            raise InputError(
                f"the Gini needs non-negative values; '{value}' has {x.min():g}"
                + (f" in {key}" if year is not None else ""),
                column=value,
                hint="use a non-negative measure (an index score, a level)",
            )
        if x.sum() == 0:
            raise InputError(f"the mean of '{value}' is 0, so its Gini is undefined", column=value)
        binary = wy.transform("b")
        if not binary.is_symmetric():
            raise InputError(
                "the spatial Gini needs symmetric neighbours (i neighbour of j ⇔ j of i)",
                hint="use contiguity or distance-band weights, or from_neighbours(..., symmetric=True)",
            )
        m = binary.sparse.tocoo()
        stats = spatial_gini_kernel(x, m.row, m.col, permutations=permutations, rng=rng)
        rows_out.append(stats)
        keys.append(key)
    table = year_table(frame, year, keys, rows_out)
    return SpatialGiniResult(table=table, options=options)
