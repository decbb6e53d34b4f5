"""The weighting families of issue 13 (nqpf.weights; docs/methods.md §2).

Each kernel reproduces a published worked example to its printed digits (the paper's
input and printed output, cited beside it), agrees with pymcdm 1.4 where pymcdm has the
same variant (differences said beside each), with base R's ``eigen`` for AHP, and has
property tests (weights ≥ 0, Σ = 1, the method's invariances). The index and the CLI
reach every method through ``weights=``.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import nqpf
from nqpf.cli import main
from nqpf.errors import InputError
from nqpf.options import IndexOptions
from nqpf.panel import IndicatorSpec
from nqpf.weights import (
    SAATY_RI,
    ahp_weights,
    angle_weights,
    cilos_weights,
    combine_weights,
    critic_variant_weights,
    critic_weights,
    entropy_weights,
    game_coefficients,
    gini_weights,
    idocriw_weights,
    merec_weights,
    scatter_weights,
    sd_weights,
)

pymcdm_weights = pytest.importorskip("pymcdm.weights", reason="pymcdm is not installed")

# Two double-precision evaluations of the same closed form (sums of ≤ 100 terms,
# one eigen- or null-vector of a well-conditioned matrix) agree to far below this.
ORACLE_RTOL = 1e-9

# ---------------------------------------------------------------------------
# Published worked examples: the paper's data and its printed weights
# ---------------------------------------------------------------------------

# Keshavarz-Ghorabaee et al. (2021), Symmetry 13(4): 525, §3 (Table 2 data; weights as
# printed in §3, step 6): benefit, benefit, cost, cost.
MEREC_X = np.array(
    [[450, 8000, 54, 145], [10, 9100, 2, 160], [100, 8200, 31, 153], [220, 9300, 1, 162],
     [5, 8400, 23, 158]], dtype=float
)  # fmt: skip
MEREC_BENEFIT = np.array([True, True, False, False])
MEREC_PRINTED = [0.5752, 0.0141, 0.4016, 0.0091]

# Zavadskas & Podvezko (2016), IJITDM 15(2): 267–283, Table 1 (cost, benefit, cost,
# benefit) and the weights of its Tables 3 (entropy), 5 (CILOS) and IDOCRIW.
ZP_X = np.array([[3.0, 100, 10, 7], [2.5, 80, 8, 5], [1.8, 50, 20, 11], [2.2, 70, 12, 9]])
ZP_BENEFIT = np.array([False, True, False, True])
ZP_ENTROPY = [0.1146, 0.1981, 0.4185, 0.2689]
ZP_CILOS = [0.3343, 0.2199, 0.1957, 0.2501]
ZP_IDOCRIW = [0.1658, 0.1886, 0.3545, 0.2911]

# Shuai et al. (2012), CCDC 3889–3892: the example matrix and its angle weights.
SHUAI_X = np.array([[30, 30, 38, 29], [19, 54, 86, 29], [19, 15, 85, 28.9], [68, 70, 60, 29]])
SHUAI_ANGLE = [0.4150, 0.3612, 0.2227, 0.0012]

# Sałabun, Wątróbski & Shekhovtsov (2020), Symmetry 12(9): 1549: the standard-deviation
# weights of their example matrix.
SALABUN_X = np.array(
    [[0.619, 0.449, 0.447], [0.862, 0.466, 0.006], [0.458, 0.698, 0.771],
     [0.777, 0.631, 0.491], [0.567, 0.992, 0.968]]
)  # fmt: skip
SALABUN_SD = [0.217, 0.294, 0.488]

# Tuş & Aytaç Adalı (2019), OPSEARCH 56: 528–538: the software-selection data and their
# CRITIC weights (min–max scaled columns; the cost column is not reversed, so its
# correlations keep their sign).
TUS_X = np.array(
    [[5000, 3, 3, 4, 3, 2], [680, 5, 3, 2, 2, 1], [2000, 3, 2, 3, 4, 3], [600, 4, 3, 1, 2, 2],
     [800, 2, 4, 3, 3, 4]], dtype=float
)  # fmt: skip
TUS_CRITIC = [0.157, 0.249, 0.168, 0.121, 0.154, 0.151]

# Bączkiewicz, Wątróbski, Kizielewicz & Sałabun (2021), LNBIP 442: 143–165, the camera
# selection data and its Gini-coefficient weights.
CAMERA_X = np.array(
    [[29.4, 83, 47, 114, 12, 30, 120, 240, 170, 90, 1717.75],
     [30, 38.1, 124.7, 117, 16, 60, 60, 60, 93, 70, 2389],
     [29.28, 59.27, 41.13, 58, 16, 30, 60, 120, 170, 78, 239.99],
     [33.6, 71, 55, 159, 23.6, 60, 240, 240, 132, 140, 2099],
     [21, 59, 41, 66, 16, 24, 60, 120, 170, 70, 439],
     [35, 65, 42, 134, 12, 60, 240, 240, 145, 60, 1087],
     [47, 79, 54, 158, 19, 60, 120, 120, 360, 72, 2499],
     [28.3, 62.3, 44.9, 116, 12, 30, 60, 60, 130, 90, 999.99],
     [36.9, 28.6, 121.6, 130, 12, 60, 120, 120, 80, 80, 1099],
     [32, 59, 41, 60, 16, 30, 120, 120, 170, 60, 302.96],
     [28.4, 66.3, 48.6, 126, 12, 60, 240, 240, 132, 135, 1629],
     [29.8, 46, 113, 47, 18, 50, 50, 50, 360, 72, 2099],
     [20.2, 64, 80, 70, 8, 24, 60, 120, 166, 480, 699.99],
     [33, 60, 44, 59, 12, 30, 60, 120, 170, 90, 388],
     [29, 59, 41, 55, 16, 30, 60, 120, 170, 120, 299],
     [29, 59, 41, 182, 12, 30, 30, 60, 94, 140, 249],
     [29.8, 59.2, 41, 65, 16, 30, 60, 120, 160, 90, 219.99],
     [28.8, 62.5, 41, 70, 12, 60, 120, 120, 170, 138, 1399.99],
     [24, 40, 59, 60, 12, 10, 30, 30, 140, 78, 269.99],
     [30, 60, 45, 201, 16, 30, 30, 30, 170, 90, 199.99]]
)  # fmt: skip
CAMERA_GINI = [0.0362, 0.0437, 0.0848, 0.0984, 0.0480, 0.0842, 0.1379, 0.1125, 0.0745, 0.1107,
               0.1690]  # fmt: skip

# Saaty (1977), J. Math. Psychol. 15: 234–281: relative brightness of four chairs,
# λmax = 4.39.
SAATY_CHAIRS = np.array(
    [[1, 5, 6, 7], [1 / 5, 1, 4, 6], [1 / 6, 1 / 4, 1, 4], [1 / 7, 1 / 6, 1 / 4, 1]]
)


def _rounded(values: np.ndarray, digits: int) -> list[float]:
    return [round(float(v), digits) for v in values]


def _minmax(x: np.ndarray) -> np.ndarray:
    return (x - x.min(axis=0)) / (x.max(axis=0) - x.min(axis=0))


def test_merec_reproduces_keshavarz_2021():
    assert _rounded(merec_weights(MEREC_X, MEREC_BENEFIT), 4) == MEREC_PRINTED
    np.testing.assert_allclose(
        merec_weights(MEREC_X, MEREC_BENEFIT),
        pymcdm_weights.merec_weights(MEREC_X, np.where(MEREC_BENEFIT, 1, -1)),
        rtol=ORACLE_RTOL,
    )


def test_cilos_without_a_unique_solution_is_nan():
    # MEREC's data read as benefit, cost, benefit, cost: every criterion is largest in
    # the row where another is, F = 0 and every vector solves F q = 0 (pymcdm returns
    # the 4 × 4 identity as its null-space basis)
    benefit = np.array([True, False, True, False])
    assert np.all(np.isnan(cilos_weights(MEREC_X, benefit)))
    assert pymcdm_weights.cilos_weights(MEREC_X, np.where(benefit, 1, -1)).shape == (16,)


def test_entropy_cilos_idocriw_reproduce_zavadskas_podvezko_2016():
    assert _rounded(entropy_weights(ZP_X).weight, 4) == ZP_ENTROPY
    assert _rounded(cilos_weights(ZP_X, ZP_BENEFIT), 4) == ZP_CILOS
    # the paper's IDOCRIW products use its rounded entropy and CILOS weights: its second
    # weight 0.1886 is 0.18855… from unrounded ones; three digits agree throughout
    assert _rounded(idocriw_weights(ZP_X, ZP_BENEFIT), 3) == [0.166, 0.189, 0.355, 0.291]
    assert np.allclose(idocriw_weights(ZP_X, ZP_BENEFIT), ZP_IDOCRIW, atol=1e-4)


def test_angle_reproduces_shuai_2012():
    assert _rounded(angle_weights(SHUAI_X), 4) == SHUAI_ANGLE


def test_sd_reproduces_salabun_2020():
    assert _rounded(sd_weights(SALABUN_X), 3) == SALABUN_SD


def test_critic_reproduces_tus_aytac_adali_2019():
    z = _minmax(TUS_X)
    assert _rounded(critic_variant_weights(z), 3) == TUS_CRITIC
    # the original kernel is the Pearson/σ case of the variants, bit for bit
    assert np.array_equal(critic_weights(z), critic_variant_weights(z))


def test_gini_reproduces_baczkiewicz_2021():
    assert _rounded(gini_weights(CAMERA_X), 4) == CAMERA_GINI


def test_ahp_reproduces_saaty_1977_chairs():
    result = ahp_weights(SAATY_CHAIRS)
    assert round(result.lambda_max, 2) == 4.39
    assert result.ci == pytest.approx((result.lambda_max - 4) / 3, rel=1e-15)
    assert result.cr == pytest.approx(result.ci / 0.90, rel=1e-15)
    assert list(np.argsort(-result.weight)) == [0, 1, 2, 3]


def test_saaty_random_index_table():
    # Saaty (1980), Table 1.7 (n = 1..10) and its extension to 15
    assert SAATY_RI[:10] == (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49)


# ---------------------------------------------------------------------------
# pymcdm 1.4 as an independent oracle (pymcdm.weights)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("x", [ZP_X, CAMERA_X[:, :4], CAMERA_X[:, 6:]])
def test_pymcdm_merec_cilos_idocriw(x):
    benefit = np.arange(x.shape[1]) % 2 == 0
    types = np.where(benefit, 1, -1)
    np.testing.assert_allclose(
        merec_weights(x, benefit), pymcdm_weights.merec_weights(x, types), rtol=ORACLE_RTOL
    )
    np.testing.assert_allclose(
        cilos_weights(x, benefit), pymcdm_weights.cilos_weights(x, types), rtol=1e-8
    )
    np.testing.assert_allclose(
        idocriw_weights(x, benefit), pymcdm_weights.idocriw_weights(x, types), rtol=1e-8
    )


@pytest.mark.parametrize("x", [SHUAI_X, CAMERA_X, SALABUN_X])
def test_pymcdm_gini_angle_sd(x):
    np.testing.assert_allclose(gini_weights(x), pymcdm_weights.gini_weights(x), rtol=ORACLE_RTOL)
    np.testing.assert_allclose(angle_weights(x), pymcdm_weights.angle_weights(x), rtol=ORACLE_RTOL)
    np.testing.assert_allclose(
        sd_weights(x), pymcdm_weights.standard_deviation_weights(x), rtol=ORACLE_RTOL
    )


def test_pymcdm_critic_scales_without_directions():
    # pymcdm's critic_weights min–max scales every column as a benefit column (no
    # reversal), i.e. our kernel on that matrix; the index reverses cost columns
    # (Diakoulaki et al. 1995), which flips the sign of their correlations
    np.testing.assert_allclose(
        critic_variant_weights(_minmax(TUS_X)),
        pymcdm_weights.critic_weights(TUS_X),
        rtol=ORACLE_RTOL,
    )


def test_pymcdm_ahp_eigenvector():
    from pymcdm.weights.subjective import AHP

    a = np.array([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
    ours = ahp_weights(a)
    theirs = AHP(matrix=a)
    np.testing.assert_allclose(ours.weight, theirs(), rtol=ORACLE_RTOL)
    # pymcdm's random index is not Saaty's (RI(3) = 0.5799 there, 0.58 here): compare CI
    assert ours.ci == pytest.approx(theirs.get_cr() * theirs.RI_M[2], rel=ORACLE_RTOL)


@pytest.mark.r
def test_ahp_against_base_r_eigen():
    pytest.importorskip("rpy2", reason="rpy2 is not installed (pip install 'nqpf[r]')")
    try:
        import rpy2.robjects as ro
    except Exception as exc:  # rpy2 is there but cannot start R
        pytest.skip(f"R cannot be started through rpy2: {exc}")
    a = SAATY_CHAIRS
    r_matrix = ro.r.matrix(ro.FloatVector(a.T.ravel()), nrow=4)
    decomposition = ro.r["eigen"](r_matrix)
    values = np.array(ro.r["Re"](decomposition.rx2("values")))
    vectors = np.array(ro.r["Re"](decomposition.rx2("vectors")))
    top = int(np.argmax(values))
    w = vectors[:, top] / vectors[:, top].sum()
    ours = ahp_weights(a)
    # LAPACK's dgeev on both sides, perhaps different builds: an eigenvector of a 4 × 4
    # matrix with a well-separated λmax agrees to ~1e-14
    np.testing.assert_allclose(ours.weight, w, rtol=1e-10)
    assert ours.lambda_max == pytest.approx(values[top], rel=1e-12)


@pytest.mark.r
def test_scatter_degree_against_base_r():
    """Guo's H = Σ_t X_tᵀ X_t of the pooled z-scores in base R (``scale``, ``crossprod``
    over each year's block, ``eigen``) against the kernel on the stacked z-scores."""
    pytest.importorskip("rpy2", reason="rpy2 is not installed (pip install 'nqpf[r]')")
    try:
        import rpy2.robjects as ro
    except Exception as exc:  # rpy2 is there but cannot start R
        pytest.skip(f"R cannot be started through rpy2: {exc}")
    rng = np.random.default_rng(2002)
    factor = rng.uniform(1.0, 10.0, size=30)
    x = np.column_stack([factor, 2 * factor, factor**0.5]) + rng.uniform(0, 3, size=(30, 3))
    years = np.repeat([1, 2, 3], 10)
    ro.globalenv["x"] = ro.r.matrix(ro.FloatVector(x.T.ravel()), nrow=30)
    ro.globalenv["years"] = ro.IntVector(years.tolist())
    w_r = np.array(
        ro.r(
            "z <- scale(x); h <- Reduce(`+`, lapply(split(seq_len(nrow(z)), years), "
            "function(i) crossprod(z[i, , drop = FALSE]))); v <- eigen(h, symmetric = TRUE)"
            "$vectors[, 1]; v / sum(v)"
        )
    )
    z = (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)
    # a symmetric 3 × 3 eigenproblem with a dominant λmax (a common factor): both
    # LAPACK builds agree to ~1e-14
    np.testing.assert_allclose(scatter_weights(z), w_r, rtol=1e-10)


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------

positive = arrays(
    float,
    st.tuples(st.integers(3, 12), st.integers(2, 5)),
    elements=st.floats(0.5, 100.0, allow_nan=False),
)


def _varied(x: np.ndarray) -> bool:
    return bool(np.all(np.ptp(x, axis=0) > 1e-3 * np.abs(x).max(axis=0)))


def _is_weight_vector(w: np.ndarray, m: int) -> None:
    assert w.shape == (m,)
    assert np.all(w >= 0)
    assert w.sum() == pytest.approx(1.0, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(positive, st.floats(0.01, 1000.0))
def test_scale_free_methods(x, c):
    """Weights ≥ 0 summing to 1; MEREC, CILOS, IDOCRIW, Gini and angle weights do not
    change when a column is multiplied by c > 0 (unit-free)."""
    if not _varied(x):
        return
    benefit = np.arange(x.shape[1]) % 2 == 0
    scaled = x.copy()
    scaled[:, 0] *= c
    _is_weight_vector(merec_weights(x, benefit), x.shape[1])
    np.testing.assert_allclose(merec_weights(scaled, benefit), merec_weights(x, benefit), rtol=1e-8)
    for kernel in (gini_weights, angle_weights):
        _is_weight_vector(kernel(x), x.shape[1])
        np.testing.assert_allclose(kernel(scaled), kernel(x), rtol=1e-8)
    # CILOS (and so IDOCRIW) can give negative entries, which the index refuses; the
    # null vector sums to 1 and is unit-free (when it is unique and well conditioned)
    q = cilos_weights(x, benefit)
    if np.all(np.isfinite(q)) and np.abs(q).max() < 10:
        assert q.sum() == pytest.approx(1.0, abs=1e-9)
        np.testing.assert_allclose(cilos_weights(scaled, benefit), q, rtol=1e-6, atol=1e-9)
        w = idocriw_weights(x, benefit)
        np.testing.assert_allclose(idocriw_weights(scaled, benefit), w, rtol=1e-6, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(positive, st.floats(0.01, 100.0), st.floats(-50.0, 50.0))
def test_affine_free_methods(x, c, b):
    """σ of min–max scaled columns, CRITIC (every correlation) and the scatter degree
    method's z-scores do not change under x → c·x + b (c > 0) of a column."""
    # CRITIC is undefined (0/0) when every pair of columns is perfectly correlated
    if not _varied(x) or np.all(np.abs(np.corrcoef(x, rowvar=False)) > 1 - 1e-9):
        return
    moved = x.copy()
    moved[:, 0] = c * moved[:, 0] + b
    np.testing.assert_allclose(sd_weights(_minmax(moved)), sd_weights(_minmax(x)), rtol=1e-8)
    for kind in ("pearson", "spearman", "kendall"):
        w = critic_variant_weights(_minmax(x), correlation=kind)
        _is_weight_vector(w, x.shape[1])
        np.testing.assert_allclose(
            critic_variant_weights(_minmax(moved), correlation=kind), w, rtol=1e-8
        )

    def z(a):
        return (a - a.mean(axis=0)) / a.std(axis=0, ddof=1)

    # only where the eigenvector is well conditioned: a clear gap below λmax, and
    # one-signed (else Σ w can be near 0 and the scaling ill-conditioned)
    eigenvalues = np.linalg.eigvalsh(z(x).T @ z(x))
    w = scatter_weights(z(x))
    if eigenvalues[-1] - eigenvalues[-2] > 1e-2 * eigenvalues[-1] and np.all(w > 0):
        np.testing.assert_allclose(scatter_weights(z(moved)), w, rtol=1e-6)


@settings(max_examples=60, deadline=None)
@given(arrays(float, st.integers(2, 9), elements=st.floats(0.1, 10.0)))
def test_ahp_consistent_matrix(v):
    """A consistent matrix a_ij = v_i / v_j has w = v / Σ v, λmax = n and CR = 0."""
    a = v[:, None] / v[None, :]
    result = ahp_weights(a)
    np.testing.assert_allclose(result.weight, v / v.sum(), rtol=1e-9)
    assert result.lambda_max == pytest.approx(len(v), rel=1e-9)
    assert abs(result.cr) < 1e-8


@settings(max_examples=60, deadline=None)
@given(
    arrays(float, st.tuples(st.integers(2, 4), st.integers(2, 6)), elements=st.floats(0.01, 1.0)),
    st.floats(0.0, 1.0),
)
def test_combinations(members, alpha):
    """Each rule gives a weight vector; combining a vector with itself returns it; the
    linear rule is α w1 + (1 − α) w2; the game coefficients are ≥ 0, sum 1."""
    w = members / members.sum(axis=1, keepdims=True)
    m = w.shape[1]
    for rule in ("linear", "multiplicative", "game"):
        _is_weight_vector(combine_weights(w, rule), m)
    for rule in ("linear", "game"):
        np.testing.assert_allclose(combine_weights(np.vstack([w[0], w[0]]), rule), w[0], rtol=1e-9)
    # the multiplicative rule of a vector with itself is w² / Σ w²
    np.testing.assert_allclose(
        combine_weights(np.vstack([w[0], w[0]]), "multiplicative"),
        w[0] ** 2 / (w[0] ** 2).sum(),
        rtol=1e-12,
    )
    np.testing.assert_allclose(
        combine_weights(w[:2], "linear", [alpha, 1 - alpha]),
        alpha * w[0] + (1 - alpha) * w[1],
        rtol=1e-12,
        atol=1e-15,
    )
    coefficients = game_coefficients(w)
    assert np.all(coefficients >= 0)
    assert coefficients.sum() == pytest.approx(1.0, abs=1e-12)


def test_game_coefficients_solve_the_normal_equations():
    # brute force: the α minimising Σ_i ‖Σ_j α_j w_j − w_i‖² by a dense grid search
    w = np.array([[0.5, 0.3, 0.2], [0.2, 0.3, 0.5]])
    grid = np.linspace(0, 2, 2001)
    best = min(
        ((a, b) for a in grid[::10] for b in grid[::10]),
        key=lambda ab: sum(np.sum((ab[0] * w[0] + ab[1] * w[1] - wi) ** 2) for wi in w),
    )
    expected = np.array(best) / sum(best)
    np.testing.assert_allclose(game_coefficients(w), expected, atol=5e-3)


# ---------------------------------------------------------------------------
# Through the index and the CLI
# ---------------------------------------------------------------------------

NAMES = ["gdp", "rd", "patents", "pollution"]
SPEC = IndicatorSpec.from_names(NAMES, directions={"pollution": "-"})


@pytest.fixture(scope="module")
def frame() -> pl.DataFrame:
    rng = np.random.default_rng(13)
    rows = 8 * 5
    # a common factor (pollution, a cost, falls with it): indicators that pull together,
    # as the scatter degree method needs (its eigenvector is then one-signed)
    factor = rng.uniform(1.0, 10.0, size=rows)
    noise = rng.uniform(0.0, 2.0, size=(rows, 4))
    values = np.column_stack([factor, factor, factor, 12.0 - factor]) + noise
    return pl.DataFrame(
        {
            "region": [f"R{i}" for i in range(8)] * 5,
            "year": np.repeat(np.arange(2015, 2020), 8),
            **{n: values[:, j] for j, n in enumerate(NAMES)},
        }
    )


def _raw(result) -> np.ndarray:
    return result.indicators.select(NAMES).to_numpy()


@pytest.mark.parametrize("method", ["merec", "cilos", "idocriw"])
def test_index_raw_positive_methods(frame, method):
    result = nqpf.entropy_topsis(frame, SPEC, weights=method)
    kernel = {"merec": merec_weights, "cilos": cilos_weights, "idocriw": idocriw_weights}[method]
    expected = kernel(_raw(result), SPEC.benefit)
    np.testing.assert_array_equal(result.weights.get_column("weight").to_numpy(), expected)
    assert result.weights.get_column("entropy").null_count() == len(NAMES)


def test_index_matrices_of_each_method(frame):
    """Which matrix each method takes (docs/methods.md §2): x' for sd and CRITIC, the
    raw values for Gini and angle, pooled z-scores for the scatter degree method."""
    base = nqpf.entropy_topsis(frame, SPEC)
    z = base.standardized.select(NAMES).to_numpy()
    raw = _raw(base)

    def weights(**kw):
        return nqpf.entropy_topsis(frame, SPEC, **kw).weights.get_column("weight").to_numpy()

    np.testing.assert_array_equal(weights(weights="sd"), sd_weights(z))
    np.testing.assert_array_equal(weights(weights="gini"), gini_weights(raw))
    np.testing.assert_array_equal(weights(weights="angle"), angle_weights(raw))
    zs = (raw - raw.mean(axis=0)) / raw.std(axis=0, ddof=1)
    zs[:, 3] = -zs[:, 3]  # the cost column, negated
    np.testing.assert_allclose(weights(weights="scatter"), scatter_weights(zs), rtol=1e-12)
    np.testing.assert_allclose(
        weights(weights="critic", critic_correlation="spearman"),
        critic_variant_weights(z, correlation="spearman"),
        rtol=1e-15,
    )
    np.testing.assert_allclose(
        weights(weights="critic", critic_input="raw"), critic_variant_weights(raw), rtol=1e-15
    )
    divergence = entropy_weights(z + 1e-4).divergence
    np.testing.assert_allclose(
        weights(weights="critic", critic_contrast="entropy"),
        critic_variant_weights(z, contrast=divergence),
        rtol=1e-15,
    )
    # the default CRITIC is today's, bit for bit
    np.testing.assert_array_equal(weights(weights="critic"), critic_weights(z))


def test_index_ahp_mapping_array_and_file(frame, tmp_path):
    a = np.array([[1, 3, 5, 7], [1 / 3, 1, 3, 5], [1 / 5, 1 / 3, 1, 3], [1 / 7, 1 / 5, 1 / 3, 1]])
    expected = ahp_weights(a).weight
    by_array = nqpf.entropy_topsis(frame, SPEC, weights="ahp", ahp_matrix=a)
    mapping = {r: {c: a[i, j] for j, c in enumerate(NAMES)} for i, r in enumerate(NAMES)}
    by_mapping = nqpf.entropy_topsis(frame, SPEC, weights="ahp", ahp_matrix=mapping)
    path = tmp_path / "ahp.csv"
    texts = [["1", "3", "5", "7"], ["1/3", "1", "3", "5"], ["1/5", "1/3", "1", "3"],
             ["1/7", "1/5", "1/3", "1"]]  # fmt: skip
    # rows in another order than the spec: matched by name
    lines = ["indicator," + ",".join(NAMES)]
    lines += [f"{NAMES[i]}," + ",".join(texts[i]) for i in (2, 0, 3, 1)]
    path.write_text("\n".join(lines) + "\n")
    by_file = nqpf.entropy_topsis(frame, SPEC, weights="ahp", ahp_matrix=str(path))
    for result in (by_array, by_mapping, by_file):
        np.testing.assert_allclose(result.weights.get_column("weight").to_numpy(), expected)
    assert by_array.options["ahp_matrix"][0] == [1, 3, 5, 7]


def test_index_combinations(frame):
    def weights(**kw):
        return nqpf.entropy_topsis(frame, SPEC, **kw).weights.get_column("weight").to_numpy()

    entropy, critic = weights(), weights(weights="critic")
    np.testing.assert_allclose(
        weights(weights="combined", combine=["entropy", "critic"], combine_alpha=0.7),
        0.7 * entropy + 0.3 * critic,
        rtol=1e-14,
    )
    np.testing.assert_allclose(
        weights(weights="combined", combine="entropy,critic", combine_rule="multiplicative"),
        entropy * critic / (entropy * critic).sum(),
        rtol=1e-14,
    )
    game = weights(weights="combined", combine=["entropy", "critic", "sd"], combine_rule="game")
    _is_weight_vector(game, len(NAMES))


def test_existing_choices_unchanged(frame):
    """The new options leave today's results and their options view as they were."""
    for method in ("entropy", "critic", "cv", "equal"):
        result = nqpf.entropy_topsis(frame, SPEC, weights=method)
        assert list(result.options) == list(IndexOptions().to_dict())


def _raises(match: str, frame: pl.DataFrame, spec=SPEC, **kw) -> None:
    with pytest.raises(InputError, match=match) as caught:
        nqpf.entropy_topsis(frame, spec, **kw)
    assert "\n" not in str(caught.value)


def test_bad_input_is_one_line(frame):
    inconsistent = [[1, 9, 1 / 9, 1], [1 / 9, 1, 9, 1 / 9], [9, 1 / 9, 1, 9], [1, 9, 1 / 9, 1]]
    _raises(r"inconsistent: CR = \d\.\d{4} > 0.1", frame, weights="ahp", ahp_matrix=inconsistent)
    allowed = nqpf.entropy_topsis(
        frame, SPEC, weights="ahp", ahp_matrix=inconsistent, ahp_allow_inconsistent=True
    )
    _is_weight_vector(allowed.weights.get_column("weight").to_numpy(), 4)
    not_reciprocal = np.ones((4, 4))
    not_reciprocal[0, 1] = 3
    _raises(r"not reciprocal: \(gdp, rd\) = 3", frame, weights="ahp", ahp_matrix=not_reciprocal)
    negative = -np.ones((4, 4))
    _raises("not a positive number", frame, weights="ahp", ahp_matrix=negative)
    _raises("must be 4 × 4", frame, weights="ahp", ahp_matrix=np.ones((3, 3)))
    _raises("has no row for indicator 'pollution'", frame, weights="ahp",
            ahp_matrix={n: {m: 1 for m in NAMES} for n in NAMES[:3]})  # fmt: skip
    _raises("needs a pairwise-comparison matrix", frame, weights="ahp")
    _raises("needs two or more methods", frame, weights="combined", combine=["entropy"])
    _raises("not a weight method to combine", frame, weights="combined", combine=["x", "sd"])
    shifted = frame.with_columns(pl.col("rd") - 5.0)
    for method in ("merec", "cilos", "idocriw"):
        _raises(f"weights='{method}' needs positive raw values; indicator 'rd'", shifted,
                weights=method)  # fmt: skip
    _raises("weights='gini' needs non-negative raw values; indicator 'rd'", shifted,
            weights="gini")  # fmt: skip


def test_scatter_refuses_indicators_pulling_apart(frame):
    # rd read as a benefit although it falls as gdp rises: H's principal eigenvector
    # has entries of both signs
    against = frame.with_columns((20.0 - pl.col("gdp") + 0.01 * pl.col("rd")).alias("rd"))
    spec = IndicatorSpec.from_names(["gdp", "rd"])
    _raises("weights='scatter' (gives indicator|is not determined)", against,
            spec=spec, weights="scatter")  # fmt: skip


def test_cli_score_weights(tmp_path, frame, capsys):
    panel = tmp_path / "panel.csv"
    frame.write_csv(panel)
    spec = tmp_path / "spec.csv"
    SPEC.to_frame().write_csv(spec)
    out = tmp_path / "scores.csv"
    assert main(["score", str(panel), "--spec", str(spec), "--weights", "merec",
                 "--out", str(out)]) == 0  # fmt: skip
    assert "weights=merec" in capsys.readouterr().out
    matrix = tmp_path / "ahp.csv"
    matrix.write_text(
        "indicator,"
        + ",".join(NAMES)
        + "\n"
        + "\n".join(f"{n}," + ",".join("1" for _ in NAMES) for n in NAMES)
        + "\n"
    )
    args = ["score", str(panel), "--spec", str(spec), "--weights", "combined", "--combine",
            "entropy,ahp", "--combine-rule", "game", "--ahp-matrix", str(matrix)]  # fmt: skip
    assert main(args) == 0
    assert "combine=['entropy', 'ahp']" in capsys.readouterr().out
    matrix.write_text(matrix.read_text().replace("gdp,1,1", "gdp,1,5", 1))
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert "not reciprocal" in err
    assert "\n" not in err
