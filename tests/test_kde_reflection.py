"""The reflection estimator of :func:`nqpf.kernel_density` (``bounds=``), docs/methods.md §4.5.

Independent checks: the reflection estimate is the plain estimate of the data augmented
by their mirror images 2a − X and 2b − X (scaled by the augmented/original size), written
here with scipy's normal density; it integrates to 1 over [a, b] up to the mass that
crosses both bounds; its slope at a bound is 0; far from the bounds it equals the plain
estimate.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from nqpf.dynamics import kernel_density
from nqpf.errors import InputError

EPS = np.finfo(float).eps


def _frame(values, years=None):
    years = [2020] * len(values) if years is None else years
    return pl.DataFrame({"year": years, "v": np.asarray(values, dtype=float)})


def test_equals_the_augmented_sample_by_scipy():
    x = np.array([0.02, 0.05, 0.11, 0.3, 0.42, 0.9, 0.97])
    out = kernel_density(_frame(x), "v", "year", bw=0.08, n=101, bounds=(0, 1))
    grid = out["x"].to_numpy()
    assert grid.min() == 0.0
    assert grid.max() == 1.0
    mirrored = np.concatenate([x, -x, 2.0 - x])
    ref = stats.norm.pdf((grid[:, None] - mirrored[None, :]) / 0.08).sum(axis=1) / (x.size * 0.08)
    # sums of 21 terms ≤ 1/(h√2π) each in two orders: 2·21·ε relative to the largest term
    np.testing.assert_allclose(out["density"].to_numpy(), ref, rtol=0, atol=42 * EPS * ref.max())


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0.0, 1.0), min_size=3, max_size=30), st.floats(0.02, 0.2))
def test_integrates_to_one_inside_and_flat_at_the_bounds(values, h):
    x = np.array(values)
    out = kernel_density(
        _frame(x), "v", "year", bw=h, n=4001, grid=np.linspace(0, 1, 4001), bounds=(0, 1)
    )
    f = out["density"].to_numpy()
    mass = np.trapezoid(f, dx=1 / 4000)
    # lost: what crosses both bounds, ≤ 2Φ(−1/h); trapezoid error ≤ max|f''|/12·Δ² ≲
    # (1/h³)/12·(1/4000)² (Gaussian kernel: |φ''| ≤ 1/√2π·h⁻³·…, bounded by h⁻³)
    lost = 2 * stats.norm.cdf(-1 / h)
    assert 1 - lost - 1e-6 / h**3 <= mass <= 1 + 1e-6 / h**3
    # reflection makes f symmetric about each bound: f'(0) = f'(1) = 0, so
    # f(a + δ) − f(a) = O(δ²·|f''|) with |f''| ≤ n·max φ''/(n h³) < 1/h³
    step = 1e-6
    for a, side in ((0.0, 1.0), (1.0, -1.0)):
        near = kernel_density(
            _frame(x), "v", "year", bw=h, grid=[a, a + side * step], bounds=(0, 1)
        )["density"].to_numpy()
        assert abs(near[1] - near[0]) <= step**2 / h**3 + 1e-12 * near[0]


def test_the_plain_estimate_leaks_and_slopes_at_the_bound():
    """What the bounds fix: without them mass lies below 0 and the slope at 0 is not 0."""
    x = np.array([0.0, 0.01, 0.03, 0.2])
    plain = kernel_density(_frame(x), "v", "year", bw=0.05, grid=[0.0, 1e-6])["density"]
    assert abs(plain[1] - plain[0]) > 1e3 * (1e-6) ** 2 / 0.05**3
    below = kernel_density(_frame(x), "v", "year", bw=0.05, n=2001)
    inside = below.filter(pl.col("x") >= 0)
    assert np.trapezoid(inside["density"], inside["x"]) < 0.8


def test_far_from_the_bounds_it_is_the_plain_estimate():
    x = np.array([0.45, 0.5, 0.52, 0.55])
    h = 0.01  # 45 bandwidths from each bound: the mirror terms are exp(-1000) = 0
    plain = kernel_density(_frame(x), "v", "year", bw=h, grid=np.linspace(0.3, 0.7, 81))
    bounded = kernel_density(
        _frame(x), "v", "year", bw=h, grid=np.linspace(0.3, 0.7, 81), bounds=(0, 1)
    )
    assert bounded["density"].to_list() == plain["density"].to_list()


def test_one_sided_bound_and_no_bound_unchanged():
    x = np.array([0.0, 0.1, 0.1, 0.4, 0.8])
    out = kernel_density(_frame(x), "v", "year", bw=0.1, n=64, bounds=(0, None))
    assert out["x"].min() == 0.0
    assert out["x"].max() > 0.8
    plain = kernel_density(_frame(x), "v", "year", bw=0.1, n=64)
    assert kernel_density(_frame(x), "v", "year", bw=0.1, n=64, bounds=None).equals(plain)


@pytest.mark.parametrize(
    ("bounds", "message"),
    [
        ((0, 0.5), "lie outside the bounds"),
        ((1, 0), "lower bound must be below"),
        ("0,1", "is not a pair"),
        ((0, float("nan")), "upper bound"),
    ],
)
def test_bad_bounds_are_one_line(bounds, message):
    with pytest.raises(InputError, match=message) as err:
        kernel_density(_frame([0.1, 0.7, 0.9]), "v", "year", bounds=bounds)
    assert "\n" not in str(err.value)
