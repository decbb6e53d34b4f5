"""stats::density (base R): nqpf's kernel densities by year (and group), reflected at the
bounds, against R's ``bw.nrd0`` / ``bw.nrd``, ``density()`` and an exact kernel sum in R.

R has no reflection option, so the reflection estimator f̂(g) = (1/(n h)) Σᵢ [φ((g − Xᵢ)/h)
+ φ((g − (2a − Xᵢ))/h) + φ((g − (2b − Xᵢ))/h)] on [a, b] (:func:`nqpf.kernel_density`) is
reproduced as R's density of the values with their reflected copies, each copy weighted
1/n (``weights=``: R bins the weights as given, ``subdensity = TRUE``, so every copy
carries the mass of the values), with R's bandwidth of the values alone, and set to 0
outside [a, b] (``r/nqpf_dynamics.R``). Four quantities per set of curves:

- ``h``: R's bandwidth rule on the curve's values. Both sides evaluate the same closed
  form 0.9 (or 1.06) · min(s, IQR/1.34) · n^(−1/5) in double precision: the pointwise
  bound :func:`bandwidth_bound` (a few ε, from the two-pass variance's error
  (n + 3)ε + (nεκ)², κ = ‖x‖₂/√S, and the quantiles' 3ε·max|x| each).
- ``grid``: R's ``seq(from, to, length.out = n)`` with from = max(min x − cut·h, a), to =
  min(max x + cut·h, b) (over every curve for the common grid) against nqpf's points:
  4ε·max|g| for the two linspaces, plus the ends' rounding 2ε(max|x| + 2cut·h) and
  cut × the bandwidth's bound.
- ``f̂ (density)``: R's binned FFT estimate against nqpf's exact sum, within
  :func:`binned_bound`, computed from the data's h, the bin width δ and n at run time.
- ``f̂ (exact sum)``: ``Σ_copies mean(dnorm((g − x)/h))/h`` in R at nqpf's own points,
  within :func:`exact_bound` (a few ε times the number of terms): this one is exact and
  catches a wrong formula that the binning bound would hide.

A grid given by the caller that is not evenly spaced has no ``density()`` counterpart (R
evaluates on ``seq(from, to, length.out = n)`` only): its grid and binned rows are
skipped with that reason, the exact sum is still compared.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import polars as pl

from nqpf import rbridge
from nqpf.crossval.dynamics import DynamicsRun
from nqpf.crossval.registry import Routine, register
from nqpf.crossval.rows import Rows

EPS = float(np.finfo(np.float64).eps)
_SQRT_2PI = math.sqrt(2.0 * math.pi)
#: max |φ'| = φ(1) and max |φ''| = max |(u² − 1) φ(u)| = φ(0)
_PHI1 = math.exp(-0.5) / _SQRT_2PI
_PHI0 = 1.0 / _SQRT_2PI
#: R's names of nqpf's bandwidth rules
RULES = {"silverman": "nrd0", "scott": "nrd"}
#: grid × point entries per block of the pointwise bounds (bounds the memory)
_BLOCK = 2_000_000


def _phi(u: np.ndarray) -> np.ndarray:
    return np.exp(-0.5 * u * u) / _SQRT_2PI


def _abs_phi2(u: np.ndarray) -> np.ndarray:
    """|φ''(u)| = |u² − 1| φ(u)."""
    return np.abs(u * u - 1.0) * _phi(u)


def sup_abs_phi2(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """sup of |φ''| over [lo, hi] (elementwise): at the ends or at a maximum of |φ''|
    inside (u = 0, where it is φ(0), and u = ±√3)."""
    best = np.maximum(_abs_phi2(lo), _abs_phi2(hi))
    for c in (0.0, math.sqrt(3.0), -math.sqrt(3.0)):
        inside = (lo <= c) & (c <= hi)
        best = np.where(inside, np.maximum(best, float(_abs_phi2(np.asarray(c)))), best)
    return best


def bandwidth_bound(x: np.ndarray, rule: str | float) -> float:
    """Relative bound on |nqpf's h − R's h| for one curve's values ``x``.

    h = c · min(s, IQR/1.34) · n^(−1/5). The two-pass sample variance S/(n − 1) has
    relative error ≤ (n + 3)ε + (nεκ)², κ = ‖x‖₂/√S (Chan, Golub & LeVeque 1983), so s
    has half that plus 2ε; a type-7 quantile x₍ⱼ₎ + γ(x₍ⱼ₊₁₎ − x₍ⱼ₎) is off by ≤ 3ε·max|x|,
    the IQR by 6ε·max|x|. The minimum moves by at most the larger of its arguments'
    errors; the products and the power add 4ε. Both sides err: twice the sum. A given
    number is passed exactly (0).
    """
    if not isinstance(rule, str):
        return 0.0
    x = np.asarray(x, dtype=float)
    n = x.size
    big = float(np.max(np.abs(x)))
    centre = float(np.mean(x))
    centre += float(np.mean(x - centre))
    ss = float(np.sum((x - centre) ** 2))
    sd = math.sqrt(ss / (n - 1))
    q25, q75 = np.quantile(x, [0.25, 0.75])
    iqr = float(q75 - q25) / 1.34
    if ss > 0:
        kappa = float(np.linalg.norm(x)) / math.sqrt(ss)
        sd_err = sd * (((n + 3) * EPS + (n * EPS * kappa) ** 2) / 2.0 + 2.0 * EPS)
    else:
        sd_err = 0.0
    iqr_err = 6.0 * EPS * big / 1.34 + EPS * iqr
    lo = min(sd, iqr)
    # with a minimum of 0, R's fallback (bw.nrd0: s, then |x₁|, then 1): s, or exact
    fallback = sd_err / sd if sd > 0 else 0.0
    relative = max(sd_err, iqr_err) / lo if lo > 0 else fallback
    return 2.0 * (relative + 4.0 * EPS)


def copies(x: np.ndarray, low: float, high: float) -> np.ndarray:
    """The values and their reflections at the finite bounds: x, 2a − x, 2b − x."""
    parts = [x]
    if np.isfinite(low):
        parts.append(2.0 * low - x)
    if np.isfinite(high):
        parts.append(2.0 * high - x)
    return np.concatenate(parts)


def exact_bound(
    x: np.ndarray, low: float, high: float, h: float, grid: np.ndarray, dh: float
) -> np.ndarray:
    """Pointwise bound on |nqpf's f̂(g) − the exact sum in R| (same points g).

    Both sides sum N = (copies)·n positive terms φ(uᵢ), uᵢ = (g − x'ᵢ)/h. uᵢ is off by
    ≤ 3ε(|g| + |x'ᵢ|)/h (the reflection 2a − x, the difference, the division), which
    moves φ(uᵢ) by |uᵢ|·that relative, exp and dnorm by 2ε; the sum of N positive terms
    by (N + 2)ε of itself (R's rowSums accumulates in long double: less). Two sides:
    twice. The bandwidths differ by ≤ dh (:func:`bandwidth_bound`): ∂f̂/∂h =
    Σ w (u² − 1)φ(u)/h², w = 1/n.
    """
    xx = copies(x, low, high)
    w = 1.0 / x.size
    out = np.empty(grid.size)
    step = max(1, _BLOCK // max(xx.size, 1))
    for start in range(0, grid.size, step):
        g = grid[start : start + step, None]
        u = (g - xx[None, :]) / h
        phi = _phi(u)
        du = 3.0 * EPS * (np.abs(g) + np.abs(xx)[None, :]) / h
        terms = w / h * np.sum(phi * (np.abs(u) * du + 2.0 * EPS), axis=1)
        value = w / h * np.sum(phi, axis=1)
        moved = dh * w / h**2 * np.sum(np.abs(u * u - 1.0) * phi, axis=1)
        out[start : start + g.shape[0]] = 2.0 * (terms + (xx.size + 2) * EPS * value) + moved
    inside = (grid >= low) & (grid <= high)
    return np.where(inside, out, 0.0)


def r_bins(n: int) -> int:
    """The number of points R's ``density()`` bins on: max(n, 512), rounded up to a
    power of 2 above 512 (``n.user`` keeps the caller's n for the output grid)."""
    if n <= 512:
        return 512
    return int(2 ** math.ceil(math.log2(n)))


def binned_bound(
    x: np.ndarray,
    low: float,
    high: float,
    h: float,
    grid: np.ndarray,
    ends: tuple[float, float],
    n: int,
) -> np.ndarray:
    """Pointwise bound on |R's ``density()`` − the exact reflection estimate| at R's
    grid ``grid`` (R's bandwidth h, R's ``from``/``to`` = ``ends``; R 4.2's algorithm,
    which R ≥ 4.4 keeps under ``old.coords = TRUE``).

    R bins the weights wᵢ = 1/n of the copies x'ᵢ linearly on m = :func:`r_bins` points
    t₀…t_{m−1} from lo = from − 4h to up = to + 4h, δ = (up − lo)/(m − 1) apart;
    convolves by FFT (length 2m, zero-padded: no wrap-around) with the kernel at the
    lags kδ·s, s = 1 − 1/(2m − 1) (its kernel grid ``seq(0, 2(up − lo), length.out =
    2m)`` has step sδ), i.e. with K̃(d) = φ(s·d/h)/h; and interpolates linearly to the
    output grid. The estimate is linear in the weights, so the error is a sum over the
    copies:

    - the kernel's scale: |Σ wᵢ (K̃ − K)(g − x'ᵢ)|, computed exactly (K(d) = φ(d/h)/h);
    - linear binning of a copy at λ ∈ [0, 1] between two nodes is the linear
      interpolation of t ↦ K̃(g − t) there: ≤ λ(1 − λ)δ²/2 · sup|K̃''| ≤ δ²/8 · sup over
      |t − x'ᵢ| ≤ δ (Wand & Jones 1995, App. D; Hall & Wand 1996);
    - the linear interpolation from R's nodes to g: δ²/8 · sup of the binned
      estimate's |K̃''| over the node interval, ≤ δ²/8 · sup over |t − x'ᵢ| ≤ 2δ;
      K̃''(d) = (s²/h³)·φ''(s·d/h), |φ''| bounded on an interval by :func:`sup_abs_phi2`;
    - a copy outside [lo, up] is dropped by R's binning (or, within δ, lands on the end
      node in part): its error is ≤ wᵢ·(K(g − x'ᵢ) + K̃(|g − edge| − δ)), g being at
      least 4h inside the edge;
    - the FFT's rounding: 3(5 log₂(2m) + 1)·ε·Σwᵢ·‖k‖₂ (Higham 2002, §24.1, for the
      three transforms; ‖k‖₂ of R's kernel vector);
    - 0 outside [a, b] on both sides.
    """
    xx = copies(x, low, high)
    w = 1.0 / x.size
    m = r_bins(n)
    lo, up = ends[0] - 4.0 * h, ends[1] + 4.0 * h
    delta = (up - lo) / (m - 1)
    s = (2.0 * m - 2.0) / (2.0 * m - 1.0)
    inside = (xx >= lo) & (xx <= up)
    kept, dropped = xx[inside], xx[~inside]
    lags = np.arange(-(m - 1), m + 1) * delta * s / h
    fft = (
        3.0
        * (5.0 * math.log2(2 * m) + 1.0)
        * EPS
        * w
        * xx.size
        * float(np.linalg.norm(_phi(lags) / h))
    )
    out = np.empty(grid.size)
    step = max(1, _BLOCK // max(xx.size, 1))
    for start in range(0, grid.size, step):
        g = grid[start : start + step, None]
        d = g - kept[None, :]
        scale = w * np.sum(_phi(s * d / h) - _phi(d / h), axis=1) / h
        curvature = s * s / h**3
        near = sup_abs_phi2(s * (d - delta) / h, s * (d + delta) / h)
        far = sup_abs_phi2(s * (d - 2.0 * delta) / h, s * (d + 2.0 * delta) / h)
        binning = delta**2 / 8.0 * w * curvature * np.sum(near + far, axis=1)
        e = g - dropped[None, :]
        edge = np.where(dropped[None, :] < lo, g - lo, up - g)
        reach = np.maximum(edge - delta, 0.0)
        lost = w * np.sum(_phi(e / h) + _phi(s * reach / h), axis=1) / h
        out[start : start + g.shape[0]] = np.abs(scale) + binning + lost + fft
    return np.where((grid >= low) & (grid <= high), out, 0.0)


def _evenly_spaced(points: np.ndarray) -> bool:
    even = np.linspace(points[0], points[-1], points.size)
    return bool(np.max(np.abs(points - even)) <= 4.0 * EPS * float(np.max(np.abs(points))))


def _bounds(keywords: dict[str, Any]) -> tuple[float, float]:
    given = keywords.get("bounds")
    if given is None:
        return -math.inf, math.inf
    low = -math.inf if given[0] is None else float(given[0])
    high = math.inf if given[1] is None else float(given[1])
    return low, high


#: The parts of a set's note (each has a Chinese template in
#: :data:`nqpf.error_translations.NOTES`; each ends in fixed text, so that no template
#: matches a whole note).
REFLECTED = "reflected at [{}, {}]: R's density of c(x, 2a − x, 2b − x), weights 1/n, on [a, b]"
UNEVEN = (
    "not applicable: the given grid is not evenly spaced (R's density() evaluates on "
    "seq(from, to, length.out = n) only)"
)
WHYS = {
    "h": "2·((n + 3)ε + (nεκ)² + 6ε·max|x|/IQR + 4ε) of h",
    "grid": "4ε·max|g| + 2ε(max|x| + 2cut·h) + cut·(h's bound)",
    "binned": "R's linear binning and interpolation δ²/8·Σw·sup|K''| each, its kernel grid's "
    "scale, the copies it drops, FFT rounding (from h, δ and n)",
    "exact": "2Σwφ(u)(3ε|u|(|g| + |x'|)/h + 2ε) + 2(N + 2)ε·f̂ + (h's bound)·|∂f̂/∂h|",
}


def _describe(keys: list[str], low: float, high: float, rule: Any, grid: str) -> str:
    parts = [f"curves by {', '.join(keys)} (one density() each)"]
    if math.isfinite(low) or math.isfinite(high):
        parts.append(REFLECTED.format(f"{low:g}", f"{high:g}"))
    shown = f"bw.{rule}" if isinstance(rule, str) else f"{float(rule):g} given"
    parts.append(f"R's bandwidth: {shown} on each curve")
    parts.append(f"{grid} grid")
    return "; ".join(parts)


@register
class StatsDensity(Routine):
    routine = "stats::density"
    section = "dynamics"
    quantities = ("h", "grid", "f̂ (density)", "f̂ (exact sum)")

    def run(self, rows: Rows, run: DynamicsRun) -> None:  # type: ignore[override]
        for keywords, frame in zip(run.density, run.densities(), strict=True):
            self.compare_set(rows, run, dict(keywords), frame)

    def compare_set(
        self, rows: Rows, run: DynamicsRun, keywords: dict[str, Any], frame: pl.DataFrame
    ) -> None:
        """The rows of one set of curves (one :func:`nqpf.kernel_density` call)."""
        from nqpf._frames import internal_name, numeric_values

        keys = [run.year] + ([keywords["group"]] if keywords.get("group") else [])
        x_col, f_col, h_col = frame.columns[-3:]
        curves = frame.select(keys).unique(maintain_order=True)
        m = curves.height
        v_name = internal_name("value", keys)
        c_name = internal_name("curve", keys)
        numbered = curves.with_columns(pl.int_range(1, m + 1).alias(c_name))
        labels = [
            ", ".join(f"{k}={v}" for k, v in zip(keys, row, strict=True))
            for row in curves.iter_rows()
        ]
        values = run.frame.select(keys).with_columns(
            pl.Series(v_name, numeric_values(run.frame, run.value))
        )
        values = values.join(numbered, on=keys, how="left", maintain_order="left")
        x = values.get_column(v_name).to_numpy()
        index = values.get_column(c_name).to_numpy()
        points = frame.get_column(x_col).to_numpy().reshape(m, -1)
        ours = frame.get_column(f_col).to_numpy().reshape(m, -1)
        h = frame.get_column(h_col).to_numpy().reshape(m, -1)[:, 0]
        n = points.shape[1]
        low, high = _bounds(keywords)
        bw = keywords.get("bw", "silverman")
        rule = RULES.get(bw, bw) if isinstance(bw, str) else float(bw)
        grid = keywords.get("grid", "common")
        kind = grid if isinstance(grid, str) else "given"
        cut = float(keywords.get("cut", 3.0))
        theirs = rbridge.density_reflected(
            x, index, rule, cut=cut, bounds=(low, high), n=n, grid=kind, points=points
        )
        note = _describe(keys, low, high, rule, kind)
        data = [x[index == c + 1] for c in range(m)]
        rel_h = np.array([bandwidth_bound(d, rule) for d in data])
        rows.compare(
            f"h (bw.{rule})" if isinstance(rule, str) else "h (given)",
            self.routine,
            labels,
            h,
            theirs["h"],
            note=note,
            bound=(rel_h * np.abs(theirs["h"]), WHYS["h"]),
        )
        where = [f"{labels[c]}, x={g:.6g}" for c in range(m) for g in points[c]]
        dh = rel_h * np.abs(theirs["h"])
        exact = np.concatenate(
            [exact_bound(data[c], low, high, h[c], points[c], dh[c]) for c in range(m)]
        )
        peaks = np.repeat(np.max(np.abs(theirs["exact"]), axis=1), n)
        if kind == "given" and not _evenly_spaced(points[0]):
            rows.skip(self.routine, ["grid", "f̂ (density)"], UNEVEN)
        else:
            self._binned(rows, theirs, data, (low, high, cut), points, ours, dh, exact, where, note)
        rows.compare(
            "f̂ (exact sum)",
            self.routine,
            where,
            ours.ravel(),
            theirs["exact"].ravel(),
            floor=peaks,
            note=note,
            bound=(exact, WHYS["exact"]),
        )

    def _binned(
        self,
        rows: Rows,
        theirs: dict[str, np.ndarray],
        data: list[np.ndarray],
        bounds: tuple[float, float, float],
        points: np.ndarray,
        ours: np.ndarray,
        dh: np.ndarray,
        exact: np.ndarray,
        where: list[str],
        note: str,
    ) -> None:
        """The grid and R's binned density rows (``bounds``: a, b and cut)."""
        low, high, cut = bounds
        m, n = points.shape
        r_grid = theirs["x"]
        h = theirs["h"]
        # the ends min x − cut·h (max x + cut·h) rounded on each side, moved by cut × the
        # bandwidths' difference; then the two linspaces
        cut_reach = np.array(
            [
                EPS * (float(np.max(np.abs(d))) + 2.0 * cut * hc)
                for d, hc in zip(data, h, strict=True)
            ]
        )
        grid_bound = (
            4.0 * EPS * float(np.max(np.abs(r_grid)))
            + 2.0 * float(np.max(cut_reach))
            + cut * float(np.max(dh))
        )
        rows.compare(
            "grid",
            self.routine,
            where,
            points.ravel(),
            r_grid.ravel(),
            floor=float(np.max(np.abs(r_grid))),
            note=note,
            bound=(np.full(r_grid.size, grid_bound), WHYS["grid"]),
        )
        binned = np.concatenate(
            [
                binned_bound(
                    data[c],
                    low,
                    high,
                    float(h[c]),
                    r_grid[c],
                    (float(theirs["from"][c]), float(theirs["to"][c])),
                    n,
                )
                for c in range(m)
            ]
        )
        copies_n = 1 + math.isfinite(low) + math.isfinite(high)
        # the two sides' grids and bandwidths differ within their bounds: |f̂'| ≤ Σw·φ(1)/h²,
        # |∂f̂/∂h| ≤ Σw·φ(0)/h²
        moved = np.repeat(copies_n * (grid_bound * _PHI1 + dh * _PHI0) / np.asarray(h) ** 2, n)
        peaks = np.repeat(np.max(np.abs(theirs["binned"]), axis=1), n)
        rows.compare(
            "f̂ (density)",
            self.routine,
            where,
            ours.ravel(),
            theirs["binned"].ravel(),
            floor=peaks,
            note=note,
            bound=(binned + moved + exact, WHYS["binned"]),
        )
