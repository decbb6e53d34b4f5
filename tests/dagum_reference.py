"""Naive O(n²) references for the Dagum Gini decomposition (tests and benchmarks only).

Two independent implementations of the textbook formulas (Dagum 1997; docs/methods.md
§1.2 and, weighted, §1.5), written from the definitions and sharing no code with
:mod:`nqpf.dagum`:

* :func:`dagum_loops` — plain Python double loops over every pair of units, exactly
  as the formulas read (and as most published scripts do). Slow; for small inputs.
* :func:`dagum_broadcast` — the same sums with numpy broadcasting, |y_i − y_r| for
  one block of rows against all columns at a time (so memory stays bounded). Still
  O(n²) work: it is the "vectorised naive" baseline the benchmark compares with.

Both order each pair so that μ_j ≥ μ_h (equal means: the earlier label first),
compute d_jh and p_jh as weighted means of the positive parts, D_jh from its
definition (d − p)/(d + p) (0 when d + p = 0) and G_nb, G_t from their defining sums.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Reference:
    """Naive decomposition: totals, per-group and per-pair (j, h with μ_j ≥ μ_h) terms."""

    G: float
    Gw: float
    Gnb: float
    Gt: float
    groups: list
    mean: dict
    weight: dict
    Gjj: dict
    # pair (label_j, label_h) -> value, label_j the higher mean
    Gjh: dict
    djh: dict
    pjh: dict
    Djh: dict


def _groups(y, g, w):
    y = [float(v) for v in y]
    w = [1.0] * len(y) if w is None else [float(v) for v in w]
    labels = sorted(set(g))
    members = {lab: [i for i in range(len(y)) if g[i] == lab] for lab in labels}
    return y, w, labels, members


def _order_pairs(labels, mean):
    """(j, h) with μ_j ≥ μ_h; equal means: the earlier label is j."""
    pairs = []
    for a in range(len(labels)):
        for b in range(a + 1, len(labels)):
            first, second = labels[a], labels[b]
            if mean[second] > mean[first]:
                first, second = second, first
            pairs.append((first, second))
    return pairs


def _assemble(labels, mean, weight, within_sum, pair_sums, total_sum, mu, wtot):
    """Dagum's formulas from the raw double sums."""
    p = {lab: weight[lab] / wtot for lab in labels}
    s = {lab: weight[lab] * mean[lab] / (wtot * mu) for lab in labels}
    big_g = total_sum / (2 * wtot**2 * mu)
    gjj = {lab: within_sum[lab] / (2 * weight[lab] ** 2 * mean[lab]) for lab in labels}
    gw = sum(gjj[lab] * p[lab] * s[lab] for lab in labels)
    gjh, djh, pjh, dd = {}, {}, {}, {}
    gnb = gt = 0.0
    for j, h in _order_pairs(labels, mean):
        absum, pos, neg = pair_sums[(j, h)]
        ww = weight[j] * weight[h]
        gjh[(j, h)] = absum / (ww * (mean[j] + mean[h]))
        djh[(j, h)] = pos / ww
        pjh[(j, h)] = neg / ww
        den = djh[(j, h)] + pjh[(j, h)]
        dd[(j, h)] = 0.0 if den == 0 else (djh[(j, h)] - pjh[(j, h)]) / den
        weight_jh = gjh[(j, h)] * (p[j] * s[h] + p[h] * s[j])
        gnb += weight_jh * dd[(j, h)]
        gt += weight_jh * (1 - dd[(j, h)])
    return Reference(big_g, gw, gnb, gt, labels, mean, weight, gjj, gjh, djh, pjh, dd)


def dagum_loops(y, g, w=None) -> Reference:
    """Textbook double loops: Σ_i Σ_r over units for every sum."""
    y, w, labels, members = _groups(y, list(g), w)
    weight = {lab: sum(w[i] for i in members[lab]) for lab in labels}
    mean = {lab: sum(w[i] * y[i] for i in members[lab]) / weight[lab] for lab in labels}
    wtot = sum(w)
    mu = sum(wi * yi for wi, yi in zip(w, y, strict=True)) / wtot
    total_sum = 0.0
    for i in range(len(y)):
        for r in range(len(y)):
            total_sum += w[i] * w[r] * abs(y[i] - y[r])
    within_sum = {}
    for lab in labels:
        acc = 0.0
        for i in members[lab]:
            for r in members[lab]:
                acc += w[i] * w[r] * abs(y[i] - y[r])
        within_sum[lab] = acc
    pair_sums = {}
    for j, h in _order_pairs(labels, mean):
        absum = pos = neg = 0.0
        for i in members[j]:
            for r in members[h]:
                diff = y[i] - y[r]
                absum += w[i] * w[r] * abs(diff)
                pos += w[i] * w[r] * max(diff, 0.0)
                neg += w[i] * w[r] * max(-diff, 0.0)
        pair_sums[(j, h)] = (absum, pos, neg)
    return _assemble(labels, mean, weight, within_sum, pair_sums, total_sum, mu, wtot)


def _block_sums(a, wa, b, wb, cells=1 << 18):
    """Σ_i Σ_r wa_i wb_r of |a_i − b_r|, (a_i − b_r)⁺ and (b_r − a_i)⁺ by broadcasting.

    Rows of ``a`` go in blocks of about ``cells`` differences, small enough to stay in
    cache (a fair baseline: the work is O(len(a)·len(b)), not the memory traffic).
    ``wa``/``wb`` None means unit weights.
    """
    absum = pos = neg = 0.0
    block = max(1, cells // max(b.size, 1))
    for start in range(0, a.size, block):
        diff = a[start : start + block, None] - b[None, :]
        p = np.maximum(diff, 0.0)
        q = np.maximum(-diff, 0.0)
        if wa is None:
            pos += float(p.sum())
            neg += float(q.sum())
            absum += float(np.abs(diff).sum())
        else:
            ww = wa[start : start + block, None] * wb[None, :]
            pos += float((ww * p).sum())
            neg += float((ww * q).sum())
            absum += float((ww * np.abs(diff)).sum())
    return absum, pos, neg


def dagum_broadcast(y, g, w=None) -> Reference:
    """Same sums as :func:`dagum_loops` by numpy broadcasting, in row blocks (O(n²))."""
    y = np.asarray(y, dtype=np.float64)
    g = np.asarray(g)
    unit = w is None
    w = np.ones_like(y) if unit else np.asarray(w, dtype=np.float64)
    labels = sorted(set(g.tolist()))
    idx = {lab: np.flatnonzero(g == lab) for lab in labels}
    weight = {lab: float(w[idx[lab]].sum()) for lab in labels}
    mean = {lab: float((w[idx[lab]] * y[idx[lab]]).sum()) / weight[lab] for lab in labels}
    wtot = float(w.sum())
    mu = float((w * y).sum()) / wtot

    def sums(i, r):
        return _block_sums(y[i], None if unit else w[i], y[r], None if unit else w[r])

    everyone = np.arange(y.size)
    total_sum = sums(everyone, everyone)[0]
    within_sum = {lab: sums(idx[lab], idx[lab])[0] for lab in labels}
    pair_sums = {(j, h): sums(idx[j], idx[h]) for j, h in _order_pairs(labels, mean)}
    return _assemble(labels, mean, weight, within_sum, pair_sums, total_sum, mu, wtot)
