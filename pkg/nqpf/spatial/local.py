"""Local spatial statistics by year: local Moran's I (LISA) and Getis–Ord Gi / Gi*.

Local Moran (Anselin 1995), as spdep's ``localmoran`` computes it (its defaults
``mlvar=TRUE``, ``conditional=TRUE``, ``adjust.x=FALSE``), with z = x − x̄ over the
year's n regions, m₂ = Σz²/n, W_i = Σ_j w_ij, W_i⁽²⁾ = Σ_j w_ij²:

- I_i = (z_i/m₂) Σ_j w_ij z_j;
- E[I_i] = −z_i² W_i / ((n − 1) m₂) (conditional on z_i, Sokal et al. 1998);
- Var[I_i] = (z_i/m₂)² · n/(n − 2) · (W_i⁽²⁾ − W_i²/(n − 1)) · (m₂ − z_i²/(n − 1));
- z = (I_i − E[I_i])/√Var, ``p_norm`` two-sided by default (spdep's default).

esda's ``Moran_Local.Is`` is (n − 1)/n times this I_i (it divides by Σz²/(n − 1)).

Getis–Ord (Getis & Ord 1992; Ord & Getis 1995), as spdep's ``localG``: without the
region itself (Gi), with x̄_i and s_i² the mean and variance of the other n − 1 values,
G_i = Σ_j w_ij x_j / Σ_{j≠i} x_j and z = (Σ_j w_ij x_j − W_i x̄_i) /
√(s_i² ((n − 1) W_i⁽²⁾ − W_i²)/(n − 2)); with the region itself (Gi*, ``star=True``:
w_ii = 1 added before the style is applied, spdep's ``include.self``),
G*_i = Σ_j w*_ij x_j / Σ_j x_j, z = (Σ_j w*_ij x_j − W*_i x̄) / √(s² (n W*_i⁽²⁾ − W*_i²)/(n − 1)),
x̄ and s² = Σ(x − x̄)²/n over all n values. Binary weights by default.

``p_sim`` is by conditional permutation (Anselin 1995): for each region, its value is
held fixed and its |N_i| neighbours' values are drawn without replacement from the
other n − 1 values, B times; with k₊ = #{T_perm ≥ T_obs}, the p-value rules of
:mod:`nqpf.spatial.autocorrelation` apply, the default ``"two.sided"`` being the folded
(1 + min(k₊, k₋))/(B + 1), which is what esda's ``p_sim`` and spdep's
``localmoran_perm`` "Pr(folded) Sim" report when no permutation ties the observed
value (they use B − k₊ for k₋, which leaves ties out; with a few neighbours and
small n ties are common, and then theirs is 1/(B + 1) for the most common value). One ordered sample of max|N_i| + 1 positions per
permutation serves every region (:func:`conditional_counts`: a region that finds
itself among its draws takes the spare one instead), which is still an exact
uniform draw from the other n − 1 values for each region and makes the
permutations one matrix product; as in esda, the regions' p-values then share their
random draws (each is a valid permutation p). spdep 1.2's ``localmoran_perm`` draws
with replacement, region by region, so its p_sim is a different estimate of the
same quantity.

Quadrants (Anselin 1995; esda's ``q``, spdep's "pysal" quadrant): HH where z_i > 0 and
the lag of z is > 0, LH (z_i ≤ 0, lag > 0), LL (both ≤ 0), HL (z_i > 0, lag ≤ 0).
``cluster`` is the quadrant where p_sim < ``alpha`` and "not significant" elsewhere.

References: Anselin, L. (1995). Local indicators of spatial association — LISA.
*Geographical Analysis* 27, 93–115. Ord, J. K., Getis, A. (1995). Local spatial
autocorrelation statistics: distributional issues and an application. *Geographical
Analysis* 27, 286–306. See docs/methods.md (spatial statistics).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import polars as pl

from nqpf._frames import check_real, output_name
from nqpf.errors import InputError
from nqpf.options import SpatialOptions, takes_options
from nqpf.results import Result
from nqpf.spatial.autocorrelation import (
    _TIE_ROUNDINGS,
    EPS,
    POSITIONAL,
    Draws,
    Slice,
    check_call,
    check_inference,
    draws_of,
    options_line,
    p_norm,
    p_sim,
    slices,
    standard_score,
)
from nqpf.spatial.panel import seed_rng
from nqpf.spatial.transitions import QUADRANTS, quadrant_codes
from nqpf.spatial.weights import SpatialWeights

__all__ = [
    "QUADRANTS",
    "LocalGResult",
    "LocalMoranResult",
    "local_g",
    "local_g_stats",
    "local_moran",
    "local_moran_stats",
    "quadrants",
]

NOT_SIGNIFICANT = "not significant"


def quadrants(values: Any, w: Any) -> np.ndarray:
    """The LISA quadrant of each region: "HH", "LH", "LL" or "HL" (module docstring).

    ``values`` are in the order of ``w`` (a :class:`SpatialWeights`, used as it is, or
    an n × n sparse/dense matrix); the lag is of the centred values, whose sign does
    not depend on the style (a row's weights are positive). An island's lag is 0
    (so "LL" or "HL").
    """
    from scipy import sparse

    matrix = w.sparse if isinstance(w, SpatialWeights) else sparse.csr_array(w)
    x = np.asarray(values, dtype=float)
    if x.ndim != 1 or x.size != matrix.shape[0]:
        raise InputError(
            f"quadrants: {x.size} values for weights over {matrix.shape[0]} regions",
            hint="give one value per region of the weights, in their order",
        )
    # the quadrant rule of the space–time transitions (one rule: nqpf.spatial.transitions)
    index, _, _ = quadrant_codes(x, matrix)
    return np.asarray(QUADRANTS, dtype=object)[index]


# ---------------------------------------------------------------------------
# conditional permutations


def ordered_samples(rng: np.random.Generator, rows: int, n: int, size: int) -> np.ndarray:
    """``rows`` uniform ordered samples of ``size`` distinct positions among 0 … n − 1.

    Floyd's algorithm (Bentley & Floyd 1987) draws a uniform subset, one step per
    entry and vectorised over the rows; a Fisher–Yates shuffle of the ``size`` entries
    then makes the order uniform too. Each row consumes exactly 2·size uniforms, in row
    order, so the samples do not depend on how the rows are blocked. (An integer is
    ⌊u·m⌋ of a uniform u: its bias, ≤ m·2⁻⁵³, is far below any Monte Carlo error.)
    """
    u = rng.random((rows, 2 * size))
    chosen = np.empty((rows, size), dtype=np.int64)
    for s in range(size):
        j = n - size + s
        t = np.minimum((u[:, s] * (j + 1)).astype(np.int64), j)
        if s:
            t = np.where((chosen[:, :s] == t[:, None]).any(axis=1), j, t)
        chosen[:, s] = t
    r = np.arange(rows)
    for s in range(size - 1, 0, -1):
        q = np.minimum((u[:, size + s] * (s + 1)).astype(np.int64), s)
        kept = chosen[r, s].copy()
        chosen[r, s] = chosen[r, q]
        chosen[r, q] = kept
    return chosen


def conditional_counts(
    values: np.ndarray,
    w: Any,
    scale: np.ndarray,
    fixed: np.ndarray,
    observed: np.ndarray,
    permutations: int,
    rng: Any,
    need: str = "both",
) -> tuple[np.ndarray, np.ndarray]:
    """For each region i, the counts of T_perm ≥ / ≤ T_obs (within the tie margin) over
    ``permutations`` conditional permutations, where T_perm = scale_i · (fixed_i +
    Σ_j w_ij v_j) with the neighbours' values v drawn without replacement from the
    other n − 1 values.

    Each permutation draws k + 1 distinct positions p₀ … p_k among all n regions
    (k = max|N_i|, :func:`ordered_samples`), once for every region: region i takes
    p₀ … p_{|N_i|−1}, with its own position, where it is among them, replaced by p_k.
    That is a uniform ordered sample of the other n − 1 regions for every i (given the
    first |N_i| entries, p_k is uniform over the regions not among them), so the lag is
    one matrix product for all regions plus one correction per drawn position (a
    position is one region, so at most k corrections per permutation). Islands get
    counts of 0. ``need`` ("above", "below" or "both") skips the count not needed (0).
    """
    n = values.size
    counts = np.diff(w.indptr)
    kmax = int(counts.max())
    padded = np.zeros((n, kmax))
    for i in range(n):  # the weights of each row, left-aligned (zeros beyond |N_i|)
        padded[i, : counts[i]] = w.data[w.indptr[i] : w.indptr[i + 1]]
    # each summed term is at most |w_ij|·max|v|: the rounding of two orders of the sum
    bound = np.abs(padded).sum(axis=1) * np.abs(values).max() + np.abs(fixed)
    margin = _TIE_ROUNDINGS * (kmax + 2) * EPS * np.abs(scale) * bound
    # T ≥ T_obs − margin ⇔ sign·lag ≥ (T_obs − margin)/|scale| − sign·fixed: compare the
    # signed lag itself (one pass per block); a region with scale 0 has T = 0 always
    sign = np.sign(scale)
    flat = sign == 0
    magnitude = np.where(flat, 1.0, np.abs(scale))
    signed = padded * sign[:, None]
    upper = np.where(flat, np.where(observed - margin <= 0.0, -np.inf, np.inf),
                     (observed - margin) / magnitude - sign * fixed)  # fmt: skip
    lower = np.where(flat, np.where(observed + margin >= 0.0, np.inf, -np.inf),
                     (observed + margin) / magnitude - sign * fixed)  # fmt: skip
    above = np.zeros(n, dtype=np.int64)
    below = np.zeros(n, dtype=np.int64)
    size = min(kmax + 1, n)
    for drawn in draws_of(rng).samples(n, size, permutations, ordered_samples):
        rows = drawn.shape[0]
        picked = values[drawn]  # rows × (k + 1)
        lag = signed @ picked[:, :kmax].T  # n × rows
        spare = picked[:, size - 1]
        cols = np.arange(rows)
        for j in range(min(kmax, size - 1)):
            region = drawn[:, j]
            hit = counts[region] > j  # the region itself was drawn among its |N_i|
            lag[region[hit], cols[hit]] += signed[region[hit], j] * (spare[hit] - picked[hit, j])
        if need != "below":
            above += np.count_nonzero(lag >= upper[:, None], axis=1)
        if need != "above":
            below += np.count_nonzero(lag <= lower[:, None], axis=1)
    lonely = counts == 0
    above[lonely] = 0
    below[lonely] = 0
    return above, below


# ---------------------------------------------------------------------------
# the statistics on one slice


def local_moran_stats(
    x: Any,
    w: Any,
    *,
    permutations: int = 0,
    rng: np.random.Generator | Draws | None = None,
    alternative: str = "two.sided",
) -> dict[str, np.ndarray]:
    """Local Moran of ``x`` on the sparse W (module docstring): arrays ``Ii``, ``E_Ii``,
    ``var_Ii``, ``z``, ``p_norm``, ``p_sim`` (NaN without permutations and for
    islands), ``quadrant``."""
    from scipy import sparse

    x = np.asarray(x, dtype=float)
    w = sparse.csr_array(w)
    n = float(x.size)
    z = x - x.mean()
    m2 = float(z @ z) / n
    lag = w @ z
    scale = z / m2
    value = scale * lag
    wi = np.asarray(w.sum(axis=1)).ravel()
    wi2 = np.asarray(w.power(2).sum(axis=1)).ravel()
    expected = -(z**2) * wi / ((n - 1.0) * m2)
    variance = scale**2 * (n / (n - 2.0)) * (wi2 - wi**2 / (n - 1.0)) * (m2 - z**2 / (n - 1.0))
    # the two differences with their signs made positive bound the product's rounding:
    # a region that neighbours every other with one weight has W_i⁽²⁾ = W_i²/(n − 1)
    size = scale**2 * (n / (n - 2.0)) * (wi2 + wi**2 / (n - 1.0)) * (m2 + z**2 / (n - 1.0))
    lonely = np.diff(w.indptr) == 0
    zscore, variance, rounding = standard_score(value - expected, variance, size, n)
    zscore[lonely] = np.nan
    sim = _local_p_sim(z, w, scale, np.zeros_like(z), value, permutations, rng, alternative)
    return {
        "Ii": value,
        "E_Ii": expected,
        "var_Ii": variance,
        "var_Ii_rounding": rounding,
        "z": zscore,
        "p_norm": p_norm(zscore, alternative),
        "p_sim": sim,
        "quadrant": quadrants(x, w),
    }


def star_weights(w: Any, style: str) -> Any:
    """W* for Gi* from the given weights ``w``: w_ii = 1 added to the binary weights
    (``"b"``; ``"r"`` then row-standardises them), as spdep's ``include.self`` before
    ``nb2listw(style = "B" | "W")``; with ``"o"`` w_ii = 1 is added to the weights as
    given. A sparse csr array."""
    from scipy import sparse

    base = sparse.csr_array(w)
    if style in ("b", "r"):
        base = sparse.csr_array((np.ones_like(base.data), base.indices, base.indptr), base.shape)
    star = (base + sparse.eye_array(base.shape[0], format="csr")).tocsr()
    star.sort_indices()
    if style == "r":
        sums = np.asarray(star.sum(axis=1)).ravel()
        star = sparse.csr_array(sparse.diags_array(1.0 / sums) @ star)
        star.sort_indices()
    return star


def local_g_stats(
    x: Any,
    w: Any,
    *,
    star: bool = False,
    permutations: int = 0,
    rng: np.random.Generator | Draws | None = None,
    alternative: str = "two.sided",
) -> dict[str, np.ndarray]:
    """Getis–Ord Gi (or Gi* with ``star``; then ``w`` already holds the diagonal, see
    :func:`star_weights`) of ``x`` on the sparse W: arrays ``G``, ``E_G``, ``var_G``
    (of G, spdep's "internals"), ``z``, ``p_norm``, ``p_sim``."""
    from scipy import sparse

    x = np.asarray(x, dtype=float)
    w = sparse.csr_array(w)
    n = float(x.size)
    total = float(x.sum())
    lag = w @ x
    wi = np.asarray(w.sum(axis=1)).ravel()
    wi2 = np.asarray(w.power(2).sum(axis=1)).ravel()
    # ``size``: the differences of ``spread`` with their signs made positive, which
    # bound its rounding (standard_score): a region that neighbours every other with
    # one weight has a spread of 0 in exact arithmetic, and z is undefined
    if star:
        mean = np.full(x.size, x.mean())
        s2 = np.full(x.size, float(((x - x.mean()) ** 2).sum()) / n)
        spread = s2 * (n * wi2 - wi**2) / (n - 1.0)
        size = s2 * (n * wi2 + wi**2) / (n - 1.0)
        denominator = np.full(x.size, total)
    else:
        mean = (total - x) / (n - 1.0)
        sq = float((x**2).sum())
        s2 = (sq - x**2) / (n - 1.0) - mean**2
        spread = s2 * ((n - 1.0) * wi2 - wi**2) / (n - 2.0)
        size = ((sq + x**2) / (n - 1.0) + mean**2) * ((n - 1.0) * wi2 + wi**2) / (n - 2.0)
        denominator = total - x
    lonely = (wi == 0) if not star else (np.diff(w.indptr) <= 1)
    zscore, spread, rounding = standard_score(lag - wi * mean, spread, size, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = lag / denominator
        expected = wi * mean / denominator
        variance = spread / denominator**2
        variance_rounding = rounding / denominator**2
    zscore[lonely] = np.nan
    if star:
        diagonal = w.diagonal()
        others = sparse.csr_array(w - sparse.diags_array(diagonal, format="csr"))
        others.eliminate_zeros()
        others.sort_indices()
        fixed = diagonal * x
    else:
        others, fixed = w, np.zeros_like(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = 1.0 / denominator
    sim = _local_p_sim(x, others, scale, fixed, value, permutations, rng, alternative)
    sim[lonely] = np.nan
    return {
        "G": value,
        "E_G": expected,
        "var_G": variance,
        "var_G_rounding": variance_rounding,
        "z": zscore,
        "p_norm": p_norm(zscore, alternative),
        "p_sim": sim,
    }


def _local_p_sim(
    values: np.ndarray,
    w: Any,
    scale: np.ndarray,
    fixed: np.ndarray,
    observed: np.ndarray,
    permutations: int,
    rng: Any,
    alternative: str,
) -> np.ndarray:
    if permutations == 0:
        return np.full(values.size, np.nan)
    need = {"greater": "above", "less": "below"}.get(alternative, "both")
    above, below = conditional_counts(
        values, w, scale, fixed, observed, permutations, rng, need=need
    )
    out = p_sim(above, below, permutations, alternative)
    out[np.diff(w.indptr) == 0] = np.nan
    return out


# ---------------------------------------------------------------------------
# results


@dataclass(frozen=True, slots=True)
class LocalResult(Result):
    """A local statistic per region and year.

    Attributes
    ----------
    table
        polars frame, one row per region-year (years sorted, the regions of a year
        in the frame's order): ``<region>``, ``<year>`` (absent without one) and the
        statistic's columns (see :func:`local_moran`, :func:`local_g`). An output
        column whose name the region or year column has becomes ``nqpf_<name>``;
        :attr:`columns` maps the standard names to the table's.
    columns
        Standard name → column of :attr:`table`.
    value, region, year
        The caller's column names.
    options
        The :class:`~nqpf.options.SpatialOptions` of the call, with the statistic's
        own ``style`` and ``alternative`` in place of None.
    """

    table: pl.DataFrame
    columns: Mapping[str, str]
    value: str
    region: str
    year: str | None
    options: Mapping[str, Any] = field(default_factory=dict)

    def tables(self) -> dict[str, pl.DataFrame]:
        return {self.main_table: self.table}


@dataclass(frozen=True, slots=True)
class LocalMoranResult(LocalResult):
    """Result of :func:`nqpf.local_moran` (see :class:`LocalResult`)."""

    main_table: ClassVar[str] = "local_moran"
    title: ClassVar[str] = "Local Moran's I (LISA)"
    uses: ClassVar[tuple[str, ...]] = (
        "permutations", "seed", "style", "alternative", "alpha", "islands",
    )  # fmt: skip

    def summary(self) -> str:
        """The title, the options and the count of each cluster by year."""
        return _cluster_summary(self, "cluster")


@dataclass(frozen=True, slots=True)
class LocalGResult(LocalResult):
    """Result of :func:`nqpf.local_g` (see :class:`LocalResult`)."""

    main_table: ClassVar[str] = "local_g"
    title: ClassVar[str] = "Getis–Ord local G"
    uses: ClassVar[tuple[str, ...]] = (
        "permutations", "seed", "style", "alternative", "alpha", "islands", "star",
    )  # fmt: skip

    def summary(self) -> str:
        """The title, the options and the count of hot and cold spots by year."""
        return _cluster_summary(self, "spot")


def _cluster_summary(result: LocalResult, what: str) -> str:
    column = result.columns[what]
    keys = [] if result.year is None else [result.year]
    lines = [f"{result.title} of {result.value!r}"]
    lines.append(options_line(result.options, result.uses))
    counts = (
        result.table.group_by([*keys, column]).len().sort([*keys, column])
        if keys
        else result.table.group_by(column).len().sort(column)
    )
    for r in counts.iter_rows(named=True):
        at = "" if not keys else f"{r[keys[0]]}: "
        lines.append(f"{at}{r[column]}: {r['len']}")
    return "\n".join(lines)


MORAN_COLUMNS = ("Ii", "E_Ii", "var_Ii", "z", "p_norm", "p_sim", "quadrant", "cluster")
G_COLUMNS = ("G", "E_G", "var_G", "z", "p_norm", "p_sim", "spot")


def _local_table(
    df: pl.DataFrame,
    region: str,
    year: str | None,
    parts: list[Slice],
    stats: list[dict[str, np.ndarray]],
    names: tuple[str, ...],
) -> tuple[pl.DataFrame, dict[str, str]]:
    """The region (and year) of each slice's rows, then the statistic's columns."""
    keys = [region] if year is None else [region, year]
    columns: dict[str, str] = {}
    for name in names:
        columns[name] = output_name(name, [*keys, *columns.values()])
    rows = np.concatenate([s.rows for s in parts])
    out = df.select(keys)[rows]
    data = {}
    for name in names:
        joined = np.concatenate([np.asarray(s[name]) for s in stats])
        if joined.dtype == object:
            data[columns[name]] = pl.Series(columns[name], joined.tolist(), dtype=pl.String)
        else:
            data[columns[name]] = pl.Series(columns[name], joined, dtype=pl.Float64).fill_nan(None)
    return out.with_columns(**data), columns


def _labels(
    stats: dict[str, np.ndarray], lonely: np.ndarray, alpha: float, kind: str
) -> dict[str, np.ndarray]:
    """The cluster (local Moran) or hot/cold spot (local G) label of each region."""
    significant = np.asarray(stats["p_sim"]) < alpha  # NaN (no permutations) is False
    if kind == "cluster":
        quadrant = np.asarray(stats["quadrant"], dtype=object).copy()
        label = np.where(significant, quadrant, NOT_SIGNIFICANT).astype(object)
        quadrant[lonely] = None
        label[lonely] = None
        return {**stats, "quadrant": quadrant, "cluster": label}
    z = np.asarray(stats["z"])
    label = np.where(significant, np.where(z > 0, "hot", "cold"), NOT_SIGNIFICANT).astype(object)
    label[lonely] = None
    return {**stats, "spot": label}


@takes_options(SpatialOptions, order=POSITIONAL)
def local_moran(
    frame: Any,
    value: str,
    region: str,
    year: str | None = None,
    *,
    w: SpatialWeights,
    options: SpatialOptions,
) -> LocalMoranResult:
    """Local Moran's I (LISA) of ``value`` for each region and year.

    Formulas, conditional-permutation ``p_sim`` and quadrants in
    :mod:`nqpf.spatial.local`; the analytic numbers are spdep's ``localmoran``.

    Parameters
    ----------
    frame, value, region, year, w, style, permutations, seed, islands, options
        As for :func:`nqpf.moran` (row-standardised weights by default;
        ``randomisation`` and ``star`` do not apply).
    alternative
        ``"two.sided"`` (default, as spdep's ``localmoran``; None: this default),
        ``"greater"``, ``"less"``.
    alpha
        Significance level of the ``cluster`` labels (on ``p_sim``; default 0.05).

    Returns
    -------
    LocalMoranResult
        ``.table``: ``<region>``, ``<year>``, ``Ii``, ``E_Ii``, ``var_Ii``, ``z``,
        ``p_norm``, ``p_sim``, ``quadrant`` (HH/LH/LL/HL), ``cluster`` (the quadrant
        where p_sim < alpha, else "not significant"; null for a region without
        neighbours under ``islands="keep"``, whose statistics are null: no data on
        :func:`nqpf.spatial.cluster_map`).

    Raises
    ------
    InputError
        As :func:`nqpf.moran`.
    """
    options = options.resolved("r", "two.sided")
    return _local(LocalMoranResult, frame, value, region, year, w=w, options=options)  # type: ignore[return-value]


@takes_options(SpatialOptions, order=POSITIONAL)
def local_g(
    frame: Any,
    value: str,
    region: str,
    year: str | None = None,
    *,
    w: SpatialWeights,
    options: SpatialOptions,
) -> LocalGResult:
    """Getis–Ord Gi (or Gi* with ``star=True``) of ``value`` for each region and year.

    Formulas in :mod:`nqpf.spatial.local`; the z-scores are spdep's ``localG`` (Gi* on
    ``include.self`` weights). Binary weights by default (``style`` None is ``"b"``).

    Parameters
    ----------
    frame, value, region, year, w, style, permutations, seed, alternative, alpha, islands
        As for :func:`local_moran`.
    star
        Include the region itself (Gi*, the usual hot-spot statistic).

    Returns
    -------
    LocalGResult
        ``.table``: ``<region>``, ``<year>``, ``G`` (Gi or Gi*), ``E_G``, ``var_G``,
        ``z``, ``p_norm``, ``p_sim``, ``spot`` ("hot" where p_sim < alpha and z > 0,
        "cold" where p_sim < alpha and z < 0, else "not significant"; null for an
        island under ``islands="keep"``). Maps: :func:`nqpf.spatial.hotspot_map`
        (``z``, ``p="p_sim"``).
    """
    options = options.resolved("b", "two.sided")
    return _local(LocalGResult, frame, value, region, year, w=w, options=options)  # type: ignore[return-value]


def _local(
    kind: type[LocalResult],
    frame: Any,
    value: Any,
    region: Any,
    year: Any,
    *,
    w: Any,
    options: SpatialOptions,
) -> LocalResult:
    """The steps both local statistics share: check, slice by year, compute, table.
    ``options`` are resolved (no None style or alternative)."""
    style, islands = options.style, options.islands
    df = check_call(frame, value, region, year, w, style, islands)
    permutations, seed, alternative = check_inference(
        options.permutations, options.seed, options.alternative
    )
    alpha = check_real(
        "alpha", options.alpha, low=0.0, high=1.0, low_open=True, hint="e.g. alpha=0.05"
    )
    moran_kind = kind is LocalMoranResult
    star = False if moran_kind else options.star
    transform = None
    if star:

        def transform(aligned: SpatialWeights) -> Any:
            return star_weights(aligned.transform("o").sparse, style)

    parts = slices(df, value, region, year, w, style, islands, kind.title, transform=transform)
    rng = Draws(seed_rng(seed))
    stats = []
    for s in parts:
        if moran_kind:
            got = local_moran_stats(
                s.x, s.w, permutations=permutations, rng=rng, alternative=alternative
            )
        else:
            got = local_g_stats(
                s.x, s.w, star=bool(star), permutations=permutations, rng=rng,
                alternative=alternative,
            )  # fmt: skip
        lonely = np.diff(s.w.indptr) <= (1 if star else 0)
        stats.append(_labels(got, lonely, alpha, "cluster" if moran_kind else "spot"))
    names = MORAN_COLUMNS if moran_kind else G_COLUMNS
    table, columns = _local_table(df, region, year, parts, stats, names)
    return kind(
        table=table, columns=columns, value=value, region=region, year=year, options=options
    )
