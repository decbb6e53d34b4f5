"""Long-run summaries of a finite Markov chain: its closed classes and every stationary
distribution, mean first passage times, sojourn times, and the χ²-type tests that
compare transition matrices (docs/methods.md §4.3).

Every function takes numpy arrays (a k × k transition matrix P or counts) and returns
numpy arrays or plain numbers, so that :mod:`nqpf.dynamics.markov` and the rank and
LISA chains share one definition.

A row of P without transitions (a state never left within the sample) is read as an
absorbing state (P_ii = 1), as giddy's ``fill_empty_classes=True`` does: the chain is
then a proper stochastic matrix and its long-run behaviour is defined.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "chi2_test",
    "communicating_classes",
    "first_passage_times",
    "homogeneity_tests",
    "sojourn_times",
    "stationary_distributions",
]


def _stochastic(p: np.ndarray) -> np.ndarray:
    """P with each empty (all-zero or NaN) row made absorbing."""
    p = np.array(p, dtype=float)
    empty = ~np.isfinite(p).all(axis=1) | (np.nan_to_num(p).sum(axis=1) == 0)
    p[empty] = 0.0
    p[empty, empty] = 1.0
    return p


def _reach(edges: np.ndarray) -> np.ndarray:
    """Reflexive-transitive closure of a boolean adjacency matrix (repeated squaring)."""
    reach = edges | np.eye(edges.shape[0], dtype=bool)
    while True:
        nxt = (reach.astype(np.int64) @ reach.astype(np.int64)) > 0
        if (nxt == reach).all():
            return reach
        reach = nxt


def communicating_classes(p: np.ndarray) -> list[tuple[np.ndarray, bool]]:
    """The communicating classes of P (0-based state indices) and whether each is closed
    (recurrent: no transition leaves it), ordered by their smallest state."""
    p = _stochastic(p)
    reach = _reach(p > 0)
    mutual = reach & reach.T
    seen: set[int] = set()
    out = []
    for i in range(p.shape[0]):
        if i in seen:
            continue
        members = np.flatnonzero(mutual[i])
        seen.update(members.tolist())
        outside = np.setdiff1d(np.arange(p.shape[0]), members)
        closed = not (p[np.ix_(members, outside)] > 0).any()
        out.append((members, closed))
    return out


def stationary_distributions(p: np.ndarray) -> np.ndarray:
    """Every extreme stationary distribution of P: one row per closed class C, π_C the
    unique solution of π_C (I − P_CC) = 0, Σ π_C = 1, and 0 outside C.

    Every stationary distribution of P is a mixture of these rows (a transient state has
    no long-run mass). An irreducible chain has one row, the usual ergodic π; a reducible
    chain with several closed classes has one per class (as giddy's ``steady_state`` of a
    reducible chain). Solved as the square system with the last equation replaced by
    Σ π = 1 (Kemeny & Snell 1976, §5.1).
    """
    p = _stochastic(p)
    k = p.shape[0]
    rows = []
    for members, closed in communicating_classes(p):
        if not closed:
            continue
        sub = p[np.ix_(members, members)]
        a = np.eye(members.size) - sub.T
        a[-1, :] = 1.0
        b = np.zeros(members.size)
        b[-1] = 1.0
        pi = np.zeros(k)
        pi[members] = np.linalg.solve(a, b)
        rows.append(pi)
    return np.array(rows)


def first_passage_times(p: np.ndarray) -> np.ndarray:
    """Mean first passage times M: M_ij = E[min{t ≥ 1: X_t = j} | X_0 = i].

    For each destination j, the states from which j is reached with probability 1 (those
    that cannot reach, avoiding j, a state from which j is unreachable) solve
    (I − P_FF) m_F = 1; every other origin has M_ij = ∞ (with positive probability the
    chain never arrives). The diagonal is the mean recurrence time
    M_jj = 1 + Σ_{l≠j} P_jl M_lj (= 1/π_j in an ergodic chain, Kemeny & Snell 1976,
    Theorem 4.4.5; ∞ for a transient j). These are giddy's ``mfpt`` (its ergodic
    branch uses the fundamental matrix Z = (I − P + Π)⁻¹, the same numbers).
    """
    p = _stochastic(p)
    k = p.shape[0]
    m = np.full((k, k), np.inf)
    for j in range(k):
        others = np.delete(np.arange(k), j)
        sub = p[np.ix_(others, others)]
        hits = p[others, j] > 0
        reach = _reach(sub > 0)
        reaches_j = (reach & hits[None, :]).any(axis=1)
        lost = ~reaches_j
        bad = (reach & lost[None, :]).any(axis=1)
        good = np.flatnonzero(~bad)
        if good.size:
            a = np.eye(good.size) - sub[np.ix_(good, good)]
            m[others[good], j] = np.linalg.solve(a, np.ones(good.size))
        step = p[j, others]
        if np.isfinite(m[others, j][step > 0]).all():
            m[j, j] = 1.0 + float(step[step > 0] @ m[others, j][step > 0])
    return m


def sojourn_times(p: np.ndarray) -> np.ndarray:
    """Expected number of consecutive periods in state i once entered: 1/(1 − P_ii),
    ∞ for an absorbing state (geometric holding time; giddy's ``sojourn_time``)."""
    d = np.diag(_stochastic(p))
    out = np.full(d.shape, np.inf)
    moves = d < 1.0
    out[moves] = 1.0 / (1.0 - d[moves])
    return out


def chi2_test(observed: np.ndarray, null: np.ndarray) -> tuple[float, int, float]:
    """Pearson χ² of the transition counts ``observed`` against the probabilities of the
    counts ``null`` (giddy's ``chi2``): E_ij = n_i(observed) · p_ij(null),
    χ² = Σ (O_ij − E_ij)² / E_ij over E_ij > 0, with (r₁ − 1)(r₂ − 1) degrees of freedom,
    r₁ and r₂ the rows with transitions in ``observed`` and in ``null``. Returns
    (statistic, dof, p)."""
    from scipy import stats  # loaded when used: import nqpf stays light

    observed = np.asarray(observed, dtype=float)
    null = np.asarray(null, dtype=float)
    rs1 = observed.sum(axis=1)
    rs2 = null.sum(axis=1)
    dof = int(((rs1 > 0).sum() - 1) * ((rs2 > 0).sum() - 1))
    prob = null / np.where(rs2 > 0, rs2, 1.0)[:, None]
    expected = rs1[:, None] * prob
    stat = float(
        np.where(
            expected > 0, (observed - expected) ** 2 / np.where(expected > 0, expected, 1.0), 0.0
        ).sum()
    )
    pvalue = float(stats.chi2.sf(stat, dof)) if dof > 0 else float("nan")
    return stat, dof, pvalue


def homogeneity_tests(cube: np.ndarray) -> list[tuple[str, float, int, float]]:
    """Tests that s transition-count matrices (``cube``: s × r × r, e.g. sub-periods or
    regional groups) share one transition matrix: Bickenbach & Bode's (2003) Q and LR
    (corrected degrees of freedom Σ_i (a_i − 1)(b_i − 1), as giddy's ``homogeneity``)
    and Kullback et al.'s (1962) conditional-homogeneity statistic
    2 Σ f_sij ln(f_sij f_·i· / (f_si· f_·ij)), χ² with r(s − 1)(r − 1) degrees of freedom
    (giddy's ``kullback``). Returns (test, statistic, dof, p) for Q, LR and Kullback.

    The Kullback statistic equals LR (both are the likelihood ratio); they differ in the
    degrees of freedom (no correction for empty cells). giddy's ``kullback`` sums the
    stratum margins over the origin axis (f_s·j); Kullback's definition takes f_si·; the
    two agree whenever each stratum's row and column totals do (e.g. Kullback's
    Table 9.2), and nqpf follows the definition.
    """
    from scipy import stats  # loaded when used: import nqpf stays light

    cube = np.asarray(cube, dtype=float)
    s, r, _ = cube.shape
    pooled = cube.sum(axis=0)
    n_i = pooled.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(n_i[:, None] > 0, pooled / n_i[:, None], 0.0)
        n_li = cube.sum(axis=2)
        p_l = np.where(n_li[:, :, None] > 0, cube / n_li[:, :, None], 0.0)
        lr = 2.0 * np.where(cube > 0, cube * np.log(p_l / p), 0.0).sum()
        q = np.where(p > 0, n_li[:, :, None] * (p_l - p) ** 2 / p, 0.0).sum()
    a = (p > 0).sum(axis=1)
    b = (n_li > 0).sum(axis=0)
    dof = int(((a - 1) * (b - 1)).sum())

    def xlogx(x: np.ndarray) -> float:
        return float(np.where(x > 0, x * np.log(np.where(x > 0, x, 1.0)), 0.0).sum())

    kullback = 2.0 * (
        xlogx(cube) - xlogx(pooled) + xlogx(pooled.sum(axis=1)) - xlogx(cube.sum(axis=2))
    )
    kdof = r * (s - 1) * (r - 1)

    def sf(x: float, d: int) -> float:
        return float(stats.chi2.sf(x, d)) if d > 0 else float("nan")

    return [
        ("Q", float(q), dof, sf(q, dof)),
        ("LR", float(lr), dof, sf(lr, dof)),
        ("Kullback", kullback, kdof, sf(kullback, kdof)),
    ]
