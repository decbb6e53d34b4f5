"""Global spatial autocorrelation by year: Moran's I, Geary's C, Getis–Ord G.

Each statistic is computed year by year on the regions of that year, with the
spatial weights aligned to them (:meth:`SpatialWeights.align`), and comes with

- analytic inference: E, Var, z and ``p_norm`` as spdep's ``moran.test``,
  ``geary.test`` and ``globalG.test`` compute them (Cliff & Ord 1981; Getis & Ord
  1992), under randomisation (spdep's default ``randomisation=TRUE``) or normality
  for Moran and Geary;
- permutation inference: ``p_sim`` from ``permutations`` random permutations of the
  values over the regions (spdep ``moran.mc``/``geary.mc``), drawn by one seeded
  ``numpy.random.Generator``, vectorised in chunks of bounded memory on a sparse W.
  The years of a call with the same number of regions share the same permutations
  of positions (:class:`Draws`; drawn once, so a 20-year panel costs little more than
  one year): each year's ``p_sim`` is a permutation p-value, and the same seed gives
  the same p-values.

Formulas (x the values of one year, z = x − x̄, W = (w_ij) in the chosen style,
n regions, n' = the regions with a neighbour, S0 = Σ_ij w_ij,
S1 = ½ Σ_ij (w_ij + w_ji)², S2 = Σ_i (w_i· + w_·i)²):

- Moran: I = (n'/S0) · z'Wz / z'z; E[I] = −1/(n' − 1); Var[I] under normality
  (n'² S1 − n' S2 + 3 S0²)/(S0² (n'² − 1)) − E[I]², under randomisation with the
  kurtosis K = n' Σz⁴/(Σz²)² the Cliff–Ord expression; z = (I − E[I])/√Var.
- Geary: C = (n' − 1) Σ_ij w_ij (x_i − x_j)² / (2 S0 z'z); E[C] = 1;
  z = (E[C] − C)/√Var[C], spdep's sign: **a positive z is positive autocorrelation**
  (C below 1), like Moran's z. (esda's ``Geary.z_norm`` is (C − E[C])/se, the
  opposite sign.)
- Getis–Ord: G = Σ_ij w_ij x_i x_j / Σ_{i≠j} x_i x_j for x ≥ 0, E[G] = S0/(n'(n' − 1)),
  Var[G] from the moments of x (Getis & Ord 1992, spdep's B0…B4 with the B1
  correction); binary weights by default.

Permutation p-values, with k₊ = #{T_perm ≥ T_obs} over B permutations (T = I, −C or G,
so that "greater" is positive autocorrelation for all three):

- ``alternative="greater"``: p_sim = (1 + k₊)/(B + 1) (Davison & Hinkley 1997; North
  et al. 2002), the permutation p-value that counts the data's own arrangement;
- ``"less"``: (1 + k₋)/(B + 1) with k₋ = #{T_perm ≤ T_obs};
- ``"two.sided"``: the folded p, (1 + min(k₊, k₋))/(B + 1): the one-tailed p in the
  direction the data lie (double it for a conventional two-sided p). Without ties it is
  esda's ``p_sim`` (1 + min(k₊, B − k₊))/(B + 1) and spdep's "Pr(folded) Sim"; when
  permutations tie the observed value (a tiny n, few neighbours), esda's B − k₊ leaves
  the ties out and gives 1/(B + 1) to a value that is the most common one, so ties are
  counted on both sides here.

spdep's ``moran.mc`` computes (max(k₊, 1))/(B + 1) from ranks (its ``diff`` is
clipped at 0), one permutation fewer in the count; the difference is 1/(B + 1) at
most. Values within a rounding bound of T_obs count as ties (≥ and ≤ both hold): a
permutation that reproduces the data's arrangement (certain for a tiny n) gives
T_obs up to rounding.

Islands (regions without a neighbour) make a spatial lag undefined. By default
(``islands="raise"``) they are refused naming them; ``islands="keep"`` is spdep's
``zero.policy=TRUE`` with ``adjust.n=TRUE``: an island's lag is 0 and n' counts the
regions with a neighbour only.

References: Cliff, A. D., Ord, J. K. (1981). *Spatial Processes*. Pion. Getis, A.,
Ord, J. K. (1992). The analysis of spatial association by use of distance statistics.
*Geographical Analysis* 24, 189–206. Bivand, R. S., Wong, D. W. S. (2018). Comparing
implementations of global and local indicators of spatial association. *TEST* 27,
716–748. See docs/methods.md (spatial statistics).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import polars as pl

from nqpf._frames import (
    check_choice,
    check_int,
    check_seed,
    numeric_values,
    output_name,
)
from nqpf.errors import InputError
from nqpf.options import SpatialOptions, takes_options
from nqpf.results import Result
from nqpf.spatial.panel import seed_rng
from nqpf.spatial.weights import SpatialWeights

__all__ = [
    "ALTERNATIVES",
    "GearyResult",
    "GetisOrdResult",
    "MoranResult",
    "geary",
    "geary_stats",
    "getis_ord_g",
    "getis_ord_stats",
    "moran",
    "moran_stats",
]

ALTERNATIVES = ("greater", "less", "two.sided")
#: The fewest regions with a neighbour a global test is defined for: the variances of
#: I, C and G divide by (n − 1)(n − 2)(n − 3) (spdep would return Inf).
MIN_GLOBAL = 4
ISLAND_POLICIES = ("raise", "keep")
EPS = float(np.finfo(np.float64).eps)
#: Memory for one block of permuted values (bytes): the permutations are drawn and
#: evaluated this many at a time, so B = 99 999 on 3 000 regions needs no 2 GB.
BLOCK_BYTES = 32 * 2**20
#: Permutation draws up to this size (bytes, as int32 positions) are kept for the
#: other years of the call (:class:`Draws`).
CACHE_BYTES = 128 * 2**20
#: A tie margin of this many roundings per summed term: two summation orders of the
#: same value differ by at most (terms)·ε·Σ|terms| (Higham's γₙ), doubled.
_TIE_ROUNDINGS = 4.0
#: Summed terms of a variance beyond its n-term sums (Σz², Σz⁴, S1, S2): the Cliff–Ord
#: and Getis–Ord expressions have at most this many products of a few roundings each.
_VARIANCE_TERMS = 16


def standard_score(
    deviation: Any, variance: Any, magnitude: Any, n: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(z, variance, bound): z = deviation/√variance, and both settled where the
    variance is 0 up to rounding (within ``bound``): the variance 0 and z NaN.

    A variance here is a difference of terms whose absolute values sum to
    ``magnitude``; computed from n-term sums it carries a rounding of at most
    (n + ``_VARIANCE_TERMS``)·ε·magnitude (Higham's γₙ), doubled twice
    (``_TIE_ROUNDINGS``). Within that bound it is 0: the statistic takes one value
    over every arrangement of the data (every region neighbouring every other with the
    same weight, for one), ``deviation`` is 0 up to rounding too, and z is undefined.
    The exact arithmetic gives 0/0; floating point gives ±inf, NaN or a z of rounding
    noise (spdep and esda print whichever comes out), so z and ``p_norm`` are NaN and
    the variance reads 0 rather than ±1e-17.
    """
    deviation = np.asarray(deviation, dtype=float)
    variance = np.asarray(variance, dtype=float)
    bound = _TIE_ROUNDINGS * (n + _VARIANCE_TERMS) * EPS * np.abs(magnitude)
    defined = variance > bound
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(defined, deviation / np.sqrt(np.where(defined, variance, 1.0)), np.nan)
    return z, np.where(defined | np.isnan(variance), variance, 0.0), bound


# ---------------------------------------------------------------------------
# the per-year slices a statistic runs on


@dataclass(frozen=True, slots=True)
class Slice:
    """One year's values and the weights aligned to its regions (``key`` None without
    a year column); ``rows`` are the frame's row positions in the order of ``x``."""

    key: Any
    x: np.ndarray
    w: Any  # scipy.sparse.csr_array in the chosen style
    rows: np.ndarray
    islands: np.ndarray  # bool: regions without a neighbour


def check_call(
    frame: Any,
    value: Any,
    region: Any,
    year: Any,
    w: Any,
    style: Any,
    islands: Any,
) -> pl.DataFrame:
    """Check the columns and options shared by every spatial statistic; the frame."""
    from nqpf.spatial.panel import check_panel, check_weights

    df = check_panel(frame, value, region, year)
    check_weights(w)
    check_choice("weights style", style, ("o", "b", "r"))
    check_choice("islands policy", islands, ISLAND_POLICIES)
    return df


def slices(
    df: pl.DataFrame,
    value: str,
    region: str,
    year: str | None,
    w: SpatialWeights,
    style: str,
    islands: str,
    what: str,
    *,
    nonnegative: bool = False,
    transform: Callable[[SpatialWeights], Any] | None = None,
) -> list[Slice]:
    """The years of ``df`` in sorted order, each with W aligned to its regions
    (:func:`nqpf.spatial.panel.by_year`, the one panel rule of the spatial statistics),
    and the frame's row positions of each year's values.

    A region of W missing in a year, or a region of the data not in W, is one
    InputError naming the region and the year; so is a constant value (every
    statistic here divides by the variance of x) and, with ``islands="raise"``, a
    region without a neighbour. ``transform`` turns the aligned weights into the
    matrix used (default: ``aligned.transform(style).sparse``), once per set of regions.
    """
    from nqpf.spatial.panel import by_year

    if nonnegative:
        numeric_values(df, value, nonnegative=True, why=f"{what} needs x ≥ 0")
    made = transform or (lambda aligned: aligned.transform(style).sparse)  # type: ignore[arg-type]
    years = None if year is None else df.get_column(year)
    cache: dict[tuple[str, ...], Any] = {}
    out = []
    years_of = by_year(df, value, region, year, w=w, what=what, allow_islands=islands == "keep")
    for key, x, aligned in years_of:
        # by_year keeps the frame's order within a year: these are its rows
        rows = np.arange(df.height) if years is None else np.flatnonzero((years == key).to_numpy())
        if aligned.ids not in cache:
            cache[aligned.ids] = made(aligned)
        matrix = cache[aligned.ids]
        if np.ptp(x) == 0:
            at = "" if key is None else f" in {year} {key!r}"
            raise InputError(
                f"'{value}' is constant{at} ({x[0]:g} for every region), so {what} is undefined",
                column=value,
                hint="spatial autocorrelation needs values that vary across regions",
            )
        out.append(Slice(key, x, matrix, rows, np.diff(matrix.indptr) == 0))
    return out


def check_inference(permutations: Any, seed: Any, alternative: Any) -> tuple[int, Any, str]:
    """``permutations`` ≥ 0, a seed (None, an int ≥ 0 or a Generator), an alternative."""
    permutations = check_int("permutations", permutations, low=0, hint="e.g. permutations=999")
    if not isinstance(seed, np.random.Generator):
        seed = check_seed("seed", seed)
    alternative = check_choice("alternative", alternative, ALTERNATIVES)
    return permutations, seed, alternative


# ---------------------------------------------------------------------------
# inference shared by the global and the local statistics


def p_norm(z: Any, alternative: str) -> np.ndarray:
    """Normal p-value of z: upper tail ("greater"), lower ("less"), 2·upper of |z|."""
    from scipy.special import ndtr

    z = np.asarray(z, dtype=float)
    if alternative == "greater":
        return ndtr(-z)
    if alternative == "less":
        return ndtr(z)
    return 2.0 * ndtr(-np.abs(z))


def p_sim(above: Any, below: Any, permutations: int, alternative: str) -> np.ndarray:
    """Permutation p-value from the counts at or above / at or below the observed value
    (module docstring); NaN without permutations."""
    above = np.asarray(above, dtype=float)
    if permutations == 0:
        return np.full(above.shape, np.nan)
    b = float(permutations)
    if alternative == "greater":
        count = above
    elif alternative == "less":
        count = np.asarray(below, dtype=float)
    else:
        count = np.minimum(above, np.asarray(below, dtype=float))
    return (1.0 + count) / (b + 1.0)


def block_rows(width: int, permutations: int) -> int:
    """Permutations per block so that a block of ``width`` floats each fits BLOCK_BYTES."""
    return max(1, min(permutations, BLOCK_BYTES // (8 * max(width, 1))))


class Draws:
    """The random permutations of one call, drawn from one generator and shared.

    ``positions(n, width, B)`` are B random permutations of 0 … n − 1 cut to their first
    ``width`` entries, in blocks of at most BLOCK_BYTES: each is one Fisher–Yates shuffle
    (``Generator.permuted``) drawn in permutation order, so the draws do not depend on
    the block size. Every year with the same number of regions reuses the same draws
    (generated once): each year's p_sim is a permutation p-value all the same, and a
    20-year panel draws once instead of 20 times. Draws over CACHE_BYTES are drawn
    afresh for each use instead of kept.
    """

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self._kept: dict[tuple[int, int, int, bool], list[np.ndarray]] = {}
        self._samples: dict[tuple[Any, ...], list[np.ndarray]] = {}

    def positions(
        self, n: int, width: int, permutations: int, *, transposed: bool = False
    ) -> Iterator[np.ndarray]:
        """Blocks (rows × width, or width × rows when ``transposed``) of positions."""
        key = (n, width, permutations, transposed)
        if key in self._kept:
            yield from self._kept[key]
            return
        keep = permutations * width * 4 <= CACHE_BYTES
        blocks: list[np.ndarray] = []
        step = block_rows(n, permutations)
        done = 0
        base = np.arange(n, dtype=np.int32)
        while done < permutations:
            rows = min(step, permutations - done)
            block = np.tile(base, (rows, 1))
            self.rng.permuted(block, axis=1, out=block)
            block = np.ascontiguousarray(block[:, :width].T if transposed else block[:, :width])
            if keep:
                blocks.append(block)
            yield block
            done += rows
        if keep:
            self._kept[key] = blocks

    def samples(
        self,
        n: int,
        size: int,
        permutations: int,
        draw: Callable[[np.random.Generator, int, int, int], np.ndarray],
    ) -> Iterator[np.ndarray]:
        """Blocks of ``draw(rng, rows, n, size)`` (rows × size positions among n), kept
        for the other years like :meth:`positions`."""
        key = (n, size, permutations, draw)
        if key in self._samples:
            yield from self._samples[key]
            return
        blocks: list[np.ndarray] = []
        step = block_rows(n, permutations)
        done = 0
        while done < permutations:
            rows = min(step, permutations - done)
            block = draw(self.rng, rows, n, size)
            blocks.append(block)
            yield block
            done += rows
        if permutations * size * 8 <= CACHE_BYTES:
            self._samples[key] = blocks


def draws_of(rng: Any) -> Draws:
    """A :class:`Draws` (kept as it is), or one over a Generator (a fresh one when None)."""
    if isinstance(rng, Draws):
        return rng
    return Draws(np.random.default_rng() if rng is None else rng)


def permuted_blocks(z: np.ndarray, permutations: int, rng: Any) -> Iterator[np.ndarray]:
    """Blocks of random permutations of ``z``, transposed: column b of a block is one
    permutation (n × rows, C order, what a sparse W multiplies fastest)."""
    for block in draws_of(rng).positions(z.size, z.size, permutations, transposed=True):
        yield z[block]


def count_ties(sim: np.ndarray, observed: Any, margin: Any) -> tuple[np.ndarray, np.ndarray]:
    """(# sim ≥ observed − margin, # sim ≤ observed + margin) along the last axis."""
    observed = np.asarray(observed, dtype=float)[..., None]
    margin = np.asarray(margin, dtype=float)[..., None]
    above = np.count_nonzero(sim >= observed - margin, axis=-1)
    below = np.count_nonzero(sim <= observed + margin, axis=-1)
    return above, below


# ---------------------------------------------------------------------------
# the statistics on one slice (plain arrays; the tests and crossval call these)


def _constants(w: Any, lonely: np.ndarray) -> dict[str, float]:
    """n' (regions with a neighbour), S0, S1, S2 of W (spdep ``spweights.constants``)."""
    n = float(np.count_nonzero(~lonely))
    s0 = float(w.data.sum())
    wt = w.T.tocsr()
    s1 = 0.5 * float(((w + wt).power(2)).sum())
    rows = np.asarray(w.sum(axis=1)).ravel()
    cols = np.asarray(w.sum(axis=0)).ravel()
    s2 = float(((rows + cols) ** 2).sum())
    return {"n": n, "S0": s0, "S1": s1, "S2": s2}


def moran_stats(
    x: Any,
    w: Any,
    *,
    randomisation: bool = True,
    permutations: int = 0,
    rng: np.random.Generator | Draws | None = None,
    alternative: str = "greater",
) -> dict[str, float]:
    """Moran's I of ``x`` on the sparse W ``w`` (module docstring): ``I``, ``expected``,
    ``variance``, ``z``, ``p_norm``, ``p_sim`` (NaN without permutations)."""
    from scipy import sparse

    x = np.asarray(x, dtype=float)
    w = sparse.csr_array(w)
    lonely = np.diff(w.indptr) == 0
    c = _constants(w, lonely)
    n, s0, s1, s2 = c["n"], c["S0"], c["S1"], c["S2"]
    z = x - x.mean()
    zz = float(z @ z)
    factor = n / s0 / zz
    value = factor * float(z @ (w @ z))
    kurtosis = n * float((z**4).sum()) / zz**2
    expected = -1.0 / (n - 1.0)
    if randomisation:
        top = n * (s1 * (n * n - 3.0 * n + 3.0) - n * s2 + 3.0 * s0**2)
        top -= kurtosis * (s1 * (n * n - n) - 2.0 * n * s2 + 6.0 * s0**2)
        size = n * (s1 * (n * n + 3.0 * n + 3.0) + n * s2 + 3.0 * s0**2)
        size += kurtosis * (s1 * (n * n + n) + 2.0 * n * s2 + 6.0 * s0**2)
        denominator = (n - 1.0) * (n - 2.0) * (n - 3.0) * s0**2
        variance = top / denominator - expected**2
        magnitude = size / denominator + expected**2
    else:
        denominator = s0**2 * (n * n - 1.0)
        variance = (n * n * s1 - n * s2 + 3.0 * s0**2) / denominator - expected**2
        magnitude = (n * n * s1 + n * s2 + 3.0 * s0**2) / denominator + expected**2
    zscore, variance, rounding = standard_score(value - expected, variance, magnitude, n)

    def statistic(block: np.ndarray) -> np.ndarray:
        return factor * np.einsum("ib,ib->b", block, w @ block)

    # |z|'W|z| bounds each summed term of z'Wz: the rounding of two orders of the sum
    margin = _TIE_ROUNDINGS * w.nnz * EPS * factor * float(np.abs(z) @ (w @ np.abs(z)))
    sim = _simulate(z, statistic, value, margin, permutations, rng, alternative)
    return _row(value, expected, variance, zscore, alternative, sim, rounding)


def geary_stats(
    x: Any,
    w: Any,
    *,
    randomisation: bool = True,
    permutations: int = 0,
    rng: np.random.Generator | Draws | None = None,
    alternative: str = "greater",
) -> dict[str, float]:
    """Geary's C of ``x`` on W (module docstring; spdep ``geary.test``): ``C``,
    ``expected`` (1), ``variance``, ``z`` = (1 − C)/√Var, ``p_norm``, ``p_sim``.

    As in spdep, the randomisation variance uses the number of all regions where
    ``geary.test`` uses ``n`` and n' (regions with a neighbour) where it uses
    ``wc$n``; the two differ only with ``islands="keep"``.
    """
    from scipy import sparse

    x = np.asarray(x, dtype=float)
    w = sparse.csr_array(w)
    lonely = np.diff(w.indptr) == 0
    c = _constants(w, lonely)
    n, s0, s1, s2 = c["n"], c["S0"], c["S1"], c["S2"]
    n_all = float(x.size)
    z = x - x.mean()
    zz = float(z @ z)
    rows = np.repeat(np.arange(x.size), np.diff(w.indptr))
    value = (n - 1.0) / (2.0 * s0 * zz) * float((w.data * (z[rows] - z[w.indices]) ** 2).sum())
    kurtosis = n * float((z**4).sum()) / zz**2
    if randomisation:
        nn = n * n
        variance = (n - 1.0) * s1 * (nn - 3.0 * n_all + 3.0 - kurtosis * (n - 1.0))
        variance -= 0.25 * (n - 1.0) * s2 * (nn + 3.0 * n_all - 6.0 - kurtosis * (nn - n + 2.0))
        variance += s0**2 * (nn - 3.0 - kurtosis * (n - 1.0) ** 2)
        size = (n - 1.0) * s1 * (nn + 3.0 * n_all + 3.0 + kurtosis * (n - 1.0))
        size += 0.25 * (n - 1.0) * s2 * (nn + 3.0 * n_all + 6.0 + kurtosis * (nn + n + 2.0))
        size += s0**2 * (nn + 3.0 + kurtosis * (n - 1.0) ** 2)
        denominator = n_all * (n - 2.0) * (n - 3.0) * s0**2
        variance /= denominator
        magnitude = size / denominator
    else:
        denominator = 2.0 * (n_all + 1.0) * s0**2
        variance = ((2.0 * s1 + s2) * (n - 1.0) - 4.0 * s0**2) / denominator
        magnitude = ((2.0 * s1 + s2) * (n - 1.0) + 4.0 * s0**2) / denominator
    zscore, variance, rounding = standard_score(1.0 - value, variance, magnitude, n_all)
    # Σ w_ij (a_i − a_j)² = Σ a_i²(w_i· + w_·i) − 2 a'Wa: one pass per block; the
    # observed value is compared in the same form (−C, so "greater" is C small)
    degree = np.asarray(w.sum(axis=1)).ravel() + np.asarray(w.sum(axis=0)).ravel()
    factor = (n - 1.0) / (2.0 * s0 * zz)

    def statistic(block: np.ndarray) -> np.ndarray:
        quad = np.einsum("ib,ib->b", block, w @ block)
        return -factor * (degree @ (block**2) - 2.0 * quad)

    observed = float(statistic(z[:, None])[0])
    margin = _TIE_ROUNDINGS * (w.nnz + x.size) * EPS * factor * float((z**2) @ degree) * 3.0
    sim = _simulate(z, statistic, observed, margin, permutations, rng, alternative)
    return _row(value, 1.0, variance, zscore, alternative, sim, rounding)


def getis_ord_stats(
    x: Any,
    w: Any,
    *,
    permutations: int = 0,
    rng: np.random.Generator | Draws | None = None,
    alternative: str = "greater",
) -> dict[str, float]:
    """Getis–Ord global G of ``x`` ≥ 0 on W (module docstring; spdep ``globalG.test``
    with its defaults ``adjust.x=TRUE``, ``B1correct=TRUE``): ``G``, ``expected``,
    ``variance``, ``z``, ``p_norm``, ``p_sim``."""
    from scipy import sparse

    x = np.asarray(x, dtype=float)
    w = sparse.csr_array(w)
    lonely = np.diff(w.indptr) == 0
    c = _constants(w, lonely)
    n, s0, s1, s2 = c["n"], c["S0"], c["S1"], c["S2"]
    ax = x[~lonely]
    sx, sx2, sx3, sx4 = (float((ax**k).sum()) for k in (1, 2, 3, 4))
    denominator = sx * sx - sx2  # Σ_{i≠j} x_i x_j over the regions with a neighbour
    value = float(x @ (w @ x)) / denominator
    expected = s0 / (n * (n - 1.0))
    b0 = (n * n - 3.0 * n + 3.0) * s1 - n * s2 + 3.0 * s0**2
    b1 = -((n * n - n) * s1 - 2.0 * n * s2 + 6.0 * s0**2)
    b2 = -(2.0 * n * s1 - (n + 3.0) * s2 + 6.0 * s0**2)
    b3 = 4.0 * (n - 1.0) * s1 - 2.0 * (n + 1.0) * s2 + 8.0 * s0**2
    b4 = s1 - s2 + s0**2
    top = b0 * sx2**2 + b1 * sx4 + b2 * sx**2 * sx2 + b3 * sx * sx3 + b4 * sx**4
    # the same terms with every sign made positive: the size the rounding scales with
    size = ((n * n + 3.0 * n + 3.0) * s1 + n * s2 + 3.0 * s0**2) * sx2**2
    size += ((n * n + n) * s1 + 2.0 * n * s2 + 6.0 * s0**2) * sx4
    size += (2.0 * n * s1 + (n + 3.0) * s2 + 6.0 * s0**2) * sx**2 * sx2
    size += (4.0 * (n + 1.0) * s1 + 2.0 * (n + 1.0) * s2 + 8.0 * s0**2) * abs(sx * sx3)
    size += (s1 + s2 + s0**2) * sx**4
    scale = denominator**2 * n * (n - 1.0) * (n - 2.0) * (n - 3.0)
    variance = top / scale - expected**2
    zscore, variance, rounding = standard_score(
        value - expected, variance, size / scale + expected**2, n
    )

    def statistic(block: np.ndarray) -> np.ndarray:
        # a permutation moves values onto and off the islands: Σ_{i≠j} over the
        # regions with a neighbour changes with it (spdep's adjust.x)
        kept = block[~lonely]
        denom = kept.sum(axis=0) ** 2 - (kept**2).sum(axis=0)
        return np.einsum("ib,ib->b", block, w @ block) / denom

    observed = float(statistic(x[:, None])[0])
    margin = _TIE_ROUNDINGS * (w.nnz + x.size) * EPS * abs(observed) * 2.0
    sim = _simulate(x, statistic, observed, margin, permutations, rng, alternative)
    return _row(value, expected, variance, zscore, alternative, sim, rounding)


def _simulate(
    values: np.ndarray,
    statistic: Callable[[np.ndarray], np.ndarray],
    observed: float,
    margin: float,
    permutations: int,
    rng: Any,
    alternative: str,
) -> float:
    """p_sim of ``observed`` among ``statistic`` of random permutations of ``values``."""
    if permutations == 0:
        return float("nan")
    above = below = 0
    for block in permuted_blocks(values, permutations, rng):
        a, b = count_ties(statistic(block), observed, margin)
        above += int(a)
        below += int(b)
    return float(p_sim(above, below, permutations, alternative))


def _row(
    value: float,
    expected: float,
    variance: float,
    z: float,
    alternative: str,
    sim: float,
    rounding: float,
) -> dict[str, float]:
    """A statistic's numbers; ``rounding`` is the bound within which its variance
    counts as 0 (:func:`standard_score`), for a comparison with another program."""
    return {
        "value": float(value),
        "expected": float(expected),
        "variance": float(variance),
        "z": float(z),
        "p_norm": float(p_norm(z, alternative)),
        "p_sim": float(sim),
        "rounding": float(rounding),
    }


# ---------------------------------------------------------------------------
# results


@dataclass(frozen=True, slots=True)
class GlobalResult(Result):
    """A global statistic by year.

    Attributes
    ----------
    table
        polars frame: ``<year>`` (the caller's year column; absent without one),
        the statistic (``I``, ``C`` or ``G``), ``expected``, ``variance``, ``z``,
        ``p_norm``, ``p_sim`` (null without permutations), one row per year in
        sorted order. An output column whose name the year column has becomes
        ``nqpf_<name>``; :attr:`columns` maps the standard names to the table's.
    columns
        Standard name → column of :attr:`table`.
    value, region, year
        The caller's column names.
    options
        The :class:`~nqpf.options.SpatialOptions` of the call, with the statistic's
        own ``style`` and ``alternative`` in place of None (``options["style"]``).
    """

    table: pl.DataFrame
    columns: Mapping[str, str]
    value: str
    region: str
    year: str | None
    options: Mapping[str, Any] = field(default_factory=dict)

    statistic: ClassVar[str] = ""
    #: The options of :class:`~nqpf.options.SpatialOptions` this statistic uses (its
    #: summary shows these; ``options`` holds the whole family).
    uses: ClassVar[tuple[str, ...]] = (
        "permutations", "seed", "style", "alternative", "islands", "randomisation",
    )  # fmt: skip

    def tables(self) -> dict[str, pl.DataFrame]:
        return {self.main_table: self.table}

    def summary(self) -> str:
        """The title, the options and one line per year."""
        c = self.columns
        lines = [f"{self.title} of {self.value!r}", options_line(self.options, self.uses)]
        for r in self.table.iter_rows(named=True):
            at = "" if self.year is None else f"{r[self.year]}: "
            sim = "" if r[c["p_sim"]] is None else f", p_sim {r[c['p_sim']]:.4g}"
            lines.append(
                f"{at}{self.statistic} = {r[c[self.statistic]]:.6g} (E {r[c['expected']]:.4g}, "
                f"z {r[c['z']]:.3f}, p_norm {r[c['p_norm']]:.4g}{sim})"
            )
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class MoranResult(GlobalResult):
    """Result of :func:`nqpf.moran` (see :class:`GlobalResult`)."""

    statistic: ClassVar[str] = "I"
    main_table: ClassVar[str] = "moran"
    title: ClassVar[str] = "Moran's I"


@dataclass(frozen=True, slots=True)
class GearyResult(GlobalResult):
    """Result of :func:`nqpf.geary` (see :class:`GlobalResult`)."""

    statistic: ClassVar[str] = "C"
    main_table: ClassVar[str] = "geary"
    title: ClassVar[str] = "Geary's C"


@dataclass(frozen=True, slots=True)
class GetisOrdResult(GlobalResult):
    """Result of :func:`nqpf.getis_ord_g` (see :class:`GlobalResult`)."""

    statistic: ClassVar[str] = "G"
    uses: ClassVar[tuple[str, ...]] = ("permutations", "seed", "style", "alternative", "islands")
    main_table: ClassVar[str] = "getis_ord_g"
    title: ClassVar[str] = "Getis–Ord G"


def options_line(options: Mapping[str, Any], uses: tuple[str, ...]) -> str:
    """``name=value, …`` of the options in ``uses`` (texts quoted), as summaries show them."""
    return ", ".join(
        f"{k}={v!r}" if isinstance(v, str) else f"{k}={v}" for k, v in options.items() if k in uses
    )


GLOBAL_COLUMNS = ("expected", "variance", "z", "p_norm", "p_sim")


def _global(
    kind: type[GlobalResult],
    compute: Callable[..., dict[str, float]],
    frame: Any,
    value: Any,
    region: Any,
    year: Any,
    *,
    w: Any,
    options: SpatialOptions,
    nonnegative: bool = False,
    **more: Any,
) -> GlobalResult:
    """The steps every global statistic shares: check, slice by year, compute, table.
    ``options`` are resolved (no None style or alternative); ``more`` are the keywords
    of ``compute`` beyond the shared ones (Moran's and Geary's ``randomisation``)."""
    style, islands = options.style, options.islands
    df = check_call(frame, value, region, year, w, style, islands)
    permutations, seed, alternative = check_inference(
        options.permutations, options.seed, options.alternative
    )
    what = kind.title
    parts = slices(df, value, region, year, w, style, islands, what, nonnegative=nonnegative)
    for s in parts:
        linked = int(np.count_nonzero(~s.islands))
        if linked < MIN_GLOBAL:
            at = "" if s.key is None else f" in {year} {s.key!r}"
            raise InputError(
                f"{what} needs at least {MIN_GLOBAL} regions with a neighbour{at}, got {linked}",
                hint="its variance divides by (n − 1)(n − 2)(n − 3): use more regions",
            )
    rng = Draws(seed_rng(seed))
    rows = [
        compute(s.x, s.w, permutations=permutations, rng=rng, alternative=alternative, **more)
        for s in parts
    ]
    taken = [] if year is None else [year]
    columns: dict[str, str] = {}
    for name in (kind.statistic, *GLOBAL_COLUMNS):
        columns[name] = output_name(name, [*taken, *columns.values()])
    data: dict[str, Any] = {}
    if year is not None:
        data[year] = pl.Series(year, [s.key for s in parts], dtype=df.schema[year])
    data[columns[kind.statistic]] = [r["value"] for r in rows]
    for name in GLOBAL_COLUMNS:
        data[columns[name]] = pl.Series([r[name] for r in rows], dtype=pl.Float64)
    table = pl.DataFrame(data).with_columns(pl.col(columns["p_sim"]).fill_nan(None))
    return kind(
        table=table, columns=columns, value=value, region=region, year=year, options=options
    )


#: The statistics' positional parameters (the options are keywords, as before).
POSITIONAL = ("frame", "value", "region", "year")


@takes_options(SpatialOptions, order=POSITIONAL)
def moran(
    frame: Any,
    value: str,
    region: str,
    year: str | None = None,
    *,
    w: SpatialWeights,
    options: SpatialOptions,
) -> MoranResult:
    """Global Moran's I of ``value`` by year, with analytic and permutation inference.

    I = (n/S0) · z'Wz / z'z on the year's centred values z (formulas, inference and
    p-value rules in :mod:`nqpf.spatial.autocorrelation`); the numbers are spdep's
    ``moran.test`` (``randomisation=TRUE`` by default, as spdep) and ``moran.mc``.
    Reference: Moran, P. A. P. (1950). Notes on continuous stochastic phenomena.
    *Biometrika* 37, 17–23.

    Parameters
    ----------
    frame
        A polars or pandas frame, one row per region (and year).
    value, region, year
        The columns; without ``year`` the frame is one cross-section.
    w
        :class:`~nqpf.spatial.SpatialWeights` covering the regions of every year
        (aliases accepted); aligned to each year's regions.
    style
        ``"r"`` row-standardised (spdep "W", the default here), ``"b"`` binary,
        ``"o"`` as given (None: the default).
    randomisation
        Variance under randomisation (default, spdep's default) or, with False,
        under normality.
    permutations
        Random permutations for ``p_sim`` (0: none, ``p_sim`` null).
    seed
        Seed of ``numpy.random.default_rng`` (or a Generator): the same seed gives the
        same ``p_sim``; the years share the permutations (module docstring).
    alternative
        ``"greater"`` (positive autocorrelation, spdep's default; None: this default),
        ``"less"`` or ``"two.sided"`` (normal p: 2·upper tail of |z|; p_sim: esda's
        folded p).
    islands
        ``"raise"`` (default) or ``"keep"`` (spdep ``zero.policy=TRUE``).
    options
        A :class:`~nqpf.options.SpatialOptions` (or a dict of its options), the
        keywords applied on top; ``alpha`` and ``star`` do not apply to Moran's I.

    Returns
    -------
    MoranResult
        ``.table``: ``<year>``, ``I``, ``expected``, ``variance``, ``z``, ``p_norm``,
        ``p_sim``; ``.options``: the :class:`~nqpf.options.SpatialOptions` used.

    Raises
    ------
    InputError
        Missing columns, non-numeric or missing values, duplicate region-years, a
        region of the data not in W or of W missing in a year (named with the
        year), a constant value in a year, islands (with ``islands="raise"``).
    """
    options = options.resolved("r", "greater")
    return _global(  # type: ignore[return-value]
        MoranResult,
        moran_stats,
        frame,
        value,
        region,
        year,
        w=w,
        options=options,
        randomisation=options.randomisation,
    )


@takes_options(SpatialOptions, order=POSITIONAL)
def geary(
    frame: Any,
    value: str,
    region: str,
    year: str | None = None,
    *,
    w: SpatialWeights,
    options: SpatialOptions,
) -> GearyResult:
    """Geary's C of ``value`` by year (spdep ``geary.test``; permutations as
    ``geary.mc``).

    C = (n − 1) Σ_ij w_ij (x_i − x_j)² / (2 S0 Σ z²); E[C] = 1, C < 1 is positive
    autocorrelation. ``z = (1 − C)/√Var[C]`` (spdep's sign: positive z is positive
    autocorrelation; esda reports the opposite sign), so ``alternative="greater"``
    tests positive autocorrelation and ``p_sim`` counts permutations with C at or
    below the observed C. Parameters, result and errors as :func:`moran`
    (``.table`` with ``C``; row-standardised weights and ``"greater"`` by default).
    """
    options = options.resolved("r", "greater")
    return _global(  # type: ignore[return-value]
        GearyResult,
        geary_stats,
        frame,
        value,
        region,
        year,
        w=w,
        options=options,
        randomisation=options.randomisation,
    )


@takes_options(SpatialOptions, order=POSITIONAL)
def getis_ord_g(
    frame: Any,
    value: str,
    region: str,
    year: str | None = None,
    *,
    w: SpatialWeights,
    options: SpatialOptions,
) -> GetisOrdResult:
    """Getis–Ord general G of ``value`` ≥ 0 by year (spdep ``globalG.test``).

    G = Σ_ij w_ij x_i x_j / Σ_{i≠j} x_i x_j; G above E[G] = S0/(n(n − 1)) means high
    values cluster. Binary weights by default (``style`` None is ``"b"``, as Getis &
    Ord and spdep recommend). Parameters, result and errors as :func:`moran`
    (``.table`` with ``G``; ``randomisation`` does not apply), and negative values are
    refused.
    """
    options = options.resolved("b", "greater")
    return _global(  # type: ignore[return-value]
        GetisOrdResult,
        getis_ord_stats,
        frame,
        value,
        region,
        year,
        w=w,
        options=options,
        nonnegative=True,
    )
