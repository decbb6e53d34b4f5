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
    bad = np.flatnonzero(~np.isfinite(w) | (w < 0))
    if bad.size:
        raise InputError(
            f"the weight of indicator '{names[bad[0]]}' is {float(w[bad[0]])!r}: weights "
            "must be finite and non-negative",
            hint="give every indicator a weight ≥ 0",
        )
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


# ---------------------------------------------------------------------------
# Weighting families (issue 13): kernels on numpy arrays, no validation; the index
# (nqpf.index._weigh_block) checks their input and says which matrix each one takes
# (docs/methods.md §2).
# ---------------------------------------------------------------------------

#: Saaty's random consistency index RI(n) for n = 1..15 (Saaty 1980, *The Analytic
#: Hierarchy Process*, Table 1.7; n ≤ 10 as in Saaty 1977/1990, 11–15 as in his 1980
#: extension).
SAATY_RI: tuple[float, ...] = (
    0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59,
)  # fmt: skip


def _normalised(values: np.ndarray) -> np.ndarray:
    return values / values.sum()


def sd_weights(standardized: np.ndarray) -> np.ndarray:
    """Standard-deviation weights: wj = σj / Σk σk (sample SD of each column).

    The "standard deviation method" (标准离差法; Wang & Luo 2010, *Math. Comput.
    Modelling* 51: 1–12, eq. 4), on a standardised matrix.

    Examples
    --------
    >>> import numpy as np
    >>> sd_weights(np.array([[0.0, 0.0], [1.0, 0.5], [2.0, 1.0]])).round(4).tolist()
    [0.6667, 0.3333]
    """
    z = np.asarray(standardized, dtype=float)
    return _normalised(z.std(axis=0, ddof=1))


def merec_weights(matrix: np.ndarray, benefit: np.ndarray) -> np.ndarray:
    """MEREC weights (Keshavarz-Ghorabaee, Amiri, Zavadskas, Turskis & Antucheviciene
    2021, *Symmetry* 13(4): 525, eqs. 1–6), of a positive raw matrix (R rows, m columns).

    nrj = minr xrj / xrj (benefit), xrj / maxr xrj (cost);
    Sr = ln(1 + (1/m) Σj |ln nrj|);  S'rj = ln(1 + (1/m) Σk≠j |ln nrk|);
    Ej = Σr |S'rj − Sr|;  wj = Ej / Σk Ek.

    Examples
    --------
    The paper's example (its Table 2 data, weights of §3):

    >>> import numpy as np
    >>> x = np.array([[450, 8000, 54, 145], [10, 9100, 2, 160], [100, 8200, 31, 153],
    ...               [220, 9300, 1, 162], [5, 8400, 23, 158]], dtype=float)
    >>> merec_weights(x, np.array([True, True, False, False])).round(4).tolist()
    [0.5752, 0.0141, 0.4016, 0.0091]
    """
    x = np.asarray(matrix, dtype=float)
    benefit = np.asarray(benefit, dtype=bool)
    n = np.where(benefit, x.min(axis=0) / x, x / x.max(axis=0))
    logs = np.abs(np.log(n))
    m = x.shape[1]
    total = logs.sum(axis=1)
    s = np.log1p(total / m)
    s_without = np.log1p((total[:, None] - logs) / m)
    return _normalised(np.abs(s_without - s[:, None]).sum(axis=0))


def cilos_weights(matrix: np.ndarray, benefit: np.ndarray) -> np.ndarray:
    """CILOS weights, the criterion impact loss method (Mirkin 1974; Zavadskas &
    Podvezko 2016, *Int. J. Inf. Technol. Decis. Mak.* 15(2): 267–283, §2.2), of a
    positive raw matrix.

    Cost columns become minr xrj / xrj; x̄rj = xrj / Σr xrj; row k of the square
    matrix A is the row where criterion k is largest (akj = x̄ at that row);
    the relative impact loss pkj = (ajj − akj)/ajj; F = P − diag(Σk pkj);
    the weights q solve F q = 0, Σ qj = 1 (F's null vector; NaN when F has more than
    one, i.e. the weights are not determined by the data).

    Examples
    --------
    The paper's example (Table 1; the weights of Table 5):

    >>> import numpy as np
    >>> x = np.array([[3.0, 100, 10, 7], [2.5, 80, 8, 5], [1.8, 50, 20, 11],
    ...               [2.2, 70, 12, 9]])
    >>> cilos_weights(x, np.array([False, True, False, True])).round(4).tolist()
    [0.3343, 0.2199, 0.1957, 0.2501]
    """
    x = np.asarray(matrix, dtype=float)
    benefit = np.asarray(benefit, dtype=bool)
    x = np.where(benefit, x, x.min(axis=0) / x)
    x = x / x.sum(axis=0)
    a = x[np.argmax(x, axis=0)]
    diagonal = np.diag(a)
    p = (diagonal - a) / diagonal
    f = p - np.diag(p.sum(axis=0))
    # the null vector: the right singular vector of the smallest singular value; when
    # a second singular value is 0 too (e.g. criteria largest in the same row with the
    # same profile) the weights are not unique: NaN, which the index refuses
    _, singular, vt = np.linalg.svd(f)
    if f.shape[0] > 1 and singular[-2] <= 1e-10 * singular[0]:
        return np.full(f.shape[0], np.nan)
    q = vt[-1]
    return _normalised(q * np.sign(q.sum()))


def idocriw_weights(matrix: np.ndarray, benefit: np.ndarray) -> np.ndarray:
    """IDOCRIW weights (Zavadskas & Podvezko 2016, *Int. J. Inf. Technol. Decis. Mak.*
    15(2): 267–283, §2.3) of a positive raw matrix: wj = qj Wj / Σk qk Wk, with q the
    CILOS weights (:func:`cilos_weights`) and W the entropy weights of the raw shares
    prj = xrj / Σr xrj (the paper's entropy step, which does not reverse cost columns).

    Examples
    --------
    The paper's example (Table 1; Table 5 prints 0.1658, 0.1886, 0.3545, 0.2911; the
    second differs by rounding of the paper's intermediate values):

    >>> import numpy as np
    >>> x = np.array([[3.0, 100, 10, 7], [2.5, 80, 8, 5], [1.8, 50, 20, 11],
    ...               [2.2, 70, 12, 9]])
    >>> idocriw_weights(x, np.array([False, True, False, True])).round(3).tolist()
    [0.166, 0.189, 0.355, 0.291]
    """
    x = np.asarray(matrix, dtype=float)
    entropy = entropy_weights(x).weight
    return _normalised(cilos_weights(x, benefit) * entropy)


def gini_weights(matrix: np.ndarray) -> np.ndarray:
    """Gini-coefficient weights: Gj = Σr Σs |xrj − xsj| / (2 R² x̄j) (Gini's 1912 mean
    difference over twice the mean), wj = Gj / Σk Gk; of a non-negative raw matrix with
    positive column means; as in Bączkiewicz, Wątróbski, Kizielewicz & Sałabun (2021),
    *Towards reliable results — a comparative analysis of selected MCDA techniques in the
    camera selection problem* (Springer LNBIP 442: 143–165), whose example the tests
    reproduce.

    Computed from the sorted column: Σr Σs |xr − xs| = 2 Σi (2i − R − 1) x(i).

    Examples
    --------
    >>> import numpy as np
    >>> gini_weights(np.array([[1.0, 2.0], [2.0, 2.0], [3.0, 5.0]])).round(4).tolist()
    [0.5, 0.5]
    """
    x = np.sort(np.asarray(matrix, dtype=float), axis=0)
    rows = x.shape[0]
    rank = 2.0 * np.arange(1, rows + 1) - rows - 1
    gini = 2.0 * (rank[:, None] * x).sum(axis=0) / (2.0 * rows * x.sum(axis=0))
    return _normalised(gini)


def angle_weights(matrix: np.ndarray) -> np.ndarray:
    """Angle weights (Shuai, Zongzhun, Yongji & Lei 2012, *24th Chinese Control and
    Decision Conference*, 3889–3892): the angle between each column of shares
    prj = xrj / Σr xrj and the uniform column (1/R, …, 1/R),
    uj = arccos(Σr prj·(1/R) / (‖pj‖ · ‖1/R‖)) = arccos(1 / (√R ‖pj‖)), wj = uj / Σk uk;
    of a non-negative raw matrix with positive column sums.

    Examples
    --------
    The paper's example:

    >>> import numpy as np
    >>> x = np.array([[30, 30, 38, 29], [19, 54, 86, 29], [19, 15, 85, 28.9],
    ...               [68, 70, 60, 29]])
    >>> angle_weights(x).round(4).tolist()
    [0.415, 0.3612, 0.2227, 0.0012]
    """
    x = np.asarray(matrix, dtype=float)
    p = x / x.sum(axis=0)
    cosine = 1.0 / (np.sqrt(x.shape[0]) * np.sqrt((p * p).sum(axis=0)))
    return _normalised(np.arccos(np.clip(cosine, -1.0, 1.0)))


def correlation_matrix(matrix: np.ndarray, kind: str = "pearson") -> np.ndarray:
    """Correlations between the columns: Pearson r, Spearman ρ (Pearson r of the
    average ranks) or Kendall τ-b (scipy.stats.kendalltau)."""
    x = np.asarray(matrix, dtype=float)
    if kind == "pearson":
        return np.corrcoef(x, rowvar=False)
    from scipy import stats  # lazily: scipy stays off nqpf's import path

    if kind == "spearman":
        return np.corrcoef(stats.rankdata(x, axis=0), rowvar=False)
    m = x.shape[1]
    out = np.eye(m)
    for j in range(m):
        for k in range(j + 1, m):
            out[j, k] = out[k, j] = stats.kendalltau(x[:, j], x[:, k]).statistic
    return out


def critic_variant_weights(
    matrix: np.ndarray,
    *,
    correlation: str = "pearson",
    contrast: np.ndarray | None = None,
) -> np.ndarray:
    """CRITIC weights with another correlation or another contrast measure.

    Cj = cj Σk (1 − rjk), wj = Cj / Σk Ck, where rjk is the ``correlation``
    (pearson, spearman, kendall) between the columns of ``matrix`` and cj is
    ``contrast`` when given, else σj (sample SD of ``matrix``; Diakoulaki et al. 1995).
    The entropy–CRITIC variant passes cj = dj = 1 − ej, the entropy divergence of
    the shifted matrix (:func:`entropy_weights`), in place of σj.

    Examples
    --------
    Tuş & Aytaç Adalı (2019, *OPSEARCH* 56: 528–538) print 0.157, 0.249, 0.168,
    0.121, 0.154, 0.151 for their software-selection data; they min–max scale every
    column without reversing the cost column (so its correlations keep their sign):

    >>> import numpy as np
    >>> x = np.array([[5000, 3, 3, 4, 3, 2], [680, 5, 3, 2, 2, 1], [2000, 3, 2, 3, 4, 3],
    ...               [600, 4, 3, 1, 2, 2], [800, 2, 4, 3, 3, 4]], dtype=float)
    >>> z = (x - x.min(axis=0)) / (x.max(axis=0) - x.min(axis=0))
    >>> critic_variant_weights(z).round(3).tolist()
    [0.157, 0.249, 0.168, 0.121, 0.154, 0.151]
    """
    z = np.asarray(matrix, dtype=float)
    if z.shape[1] == 1:
        return np.ones(1)
    c = z.std(axis=0, ddof=1) if contrast is None else np.asarray(contrast, dtype=float)
    information = c * (1.0 - correlation_matrix(z, correlation)).sum(axis=0)
    return _normalised(information)


def principal_eigenvector(matrix: np.ndarray) -> tuple[float, np.ndarray]:
    """The largest real eigenvalue of a square matrix and its eigenvector scaled to
    sum 1 (numpy's LAPACK ``geev``)."""
    a = np.asarray(matrix, dtype=float)
    values, vectors = np.linalg.eig(a)
    top = int(np.argmax(values.real))
    vector = vectors[:, top].real
    # a vector of mixed signs can sum to 0: inf/NaN, which the index refuses
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(values[top].real), vector / vector.sum()


def scatter_weights(standardized: np.ndarray) -> np.ndarray:
    """Weights of the vertical-and-horizontal scatter degree method (纵横向拉开档次法;
    Guo Yajun 2002, 郭亚军《一种新的动态综合评价方法》, *管理科学学报* 5(2): 49–54).

    On z-scored data x*rtj of N regions in T years, H = Σt Xtᵀ Xt (= XᵀX over all
    region-years stacked); w is the eigenvector of H's largest eigenvalue, scaled to
    Σ wj = 1 (it maximises the total scatter Σt Σr (Σj wj x*rtj)² under ‖w‖ = 1). The
    eigenvector is positive when H is (Perron); the index refuses one of mixed signs.

    Examples
    --------
    >>> import numpy as np
    >>> z = np.array([[-1.0, -1.0], [0.0, 0.0], [1.0, 1.0]])
    >>> scatter_weights(z).round(4).tolist()
    [0.5, 0.5]
    """
    z = np.asarray(standardized, dtype=float)
    return principal_eigenvector(z.T @ z)[1]


@dataclass(frozen=True, slots=True)
class AHPWeights:
    """AHP priorities w, λmax, CI = (λmax − n)/(n − 1) and CR = CI/RI(n) (0 for n ≤ 2)."""

    weight: np.ndarray
    lambda_max: float
    ci: float
    cr: float


def ahp_weights(matrix: np.ndarray) -> AHPWeights:
    """Subjective AHP weights of a positive reciprocal pairwise-comparison matrix A
    (aij = importance of i over j, aji = 1/aij): the principal eigenvector, Aw = λmax w,
    Σ wj = 1; CI = (λmax − n)/(n − 1), CR = CI / RI(n) with Saaty's random index
    :data:`SAATY_RI` (Saaty 1977, *J. Math. Psychol.* 15: 234–281; Saaty 1980).

    Examples
    --------
    Saaty's (1977) relative brightness of four chairs, λmax ≈ 4.39:

    >>> import numpy as np
    >>> a = np.array([[1, 5, 6, 7], [1/5, 1, 4, 6], [1/6, 1/4, 1, 4], [1/7, 1/6, 1/4, 1]])
    >>> result = ahp_weights(a)
    >>> round(result.lambda_max, 2), result.weight.round(2).tolist()
    (4.39, [0.62, 0.24, 0.1, 0.05])
    """
    a = np.asarray(matrix, dtype=float)
    n = a.shape[0]
    lambda_max, w = principal_eigenvector(a)
    if n <= 2:
        return AHPWeights(w, lambda_max, 0.0, 0.0)
    ci = (lambda_max - n) / (n - 1)
    return AHPWeights(w, lambda_max, ci, ci / SAATY_RI[n - 1])


def game_coefficients(members: np.ndarray) -> np.ndarray:
    """The game-theory combination's coefficients of k weight vectors (rows of
    ``members``): α minimising Σi ‖Σj αj wj − wi‖² solves G α = diag(G) with
    Gij = wi·wj; then α*k = |αk| / Σ |αj| (the normalisation of the Chinese
    game-theory weighting literature, 博弈论组合赋权)."""
    w = np.asarray(members, dtype=float)
    gram = w @ w.T
    alpha = np.linalg.lstsq(gram, np.diag(gram), rcond=None)[0]
    alpha = np.abs(alpha)
    return alpha / alpha.sum()


def combine_weights(
    members: np.ndarray, rule: str = "linear", alpha: Sequence[float] | None = None
) -> np.ndarray:
    """Combination weights of k ≥ 2 weight vectors (rows of ``members``).

    ``linear``: w = Σk αk wk (α given, Σ αk = 1; equal 1/k when None);
    ``multiplicative``: wj = Πk wkj / Σl Πk wkl;
    ``game``: the linear combination with the coefficients of
    :func:`game_coefficients`.

    Examples
    --------
    >>> import numpy as np
    >>> w = np.array([[0.5, 0.3, 0.2], [0.2, 0.3, 0.5]])
    >>> combine_weights(w, "linear", [0.6, 0.4]).round(2).tolist()
    [0.38, 0.3, 0.32]
    >>> combine_weights(w, "multiplicative").round(4).tolist()
    [0.3448, 0.3103, 0.3448]
    >>> combine_weights(w, "game").round(2).tolist()
    [0.35, 0.3, 0.35]
    """
    w = np.asarray(members, dtype=float)
    if rule == "multiplicative":
        return _normalised(np.prod(w, axis=0))
    if rule == "game":
        coefficients = game_coefficients(w)
    elif alpha is None:
        coefficients = np.full(w.shape[0], 1.0 / w.shape[0])
    else:
        coefficients = np.asarray(alpha, dtype=float)
    return _normalised(coefficients @ w)
