"""Stratified bootstrap of the Dagum decomposition (nqpf.dagum.dagum_gini(bootstrap=B)).

The batched replicate kernel is checked against the plain one-sample kernel on
the very resamples it drew (rebuilt from the documented draw order), and the
percentile rule against order statistics taken by hand.

Tolerances (ε = 2⁻⁵²): the batched and the plain kernel sum the same terms in other
orders. A Gini-type ratio over n units is Σ c_i y_i / (W²μ) with |c_i| ≤ W, so its
absolute error is ≤ nε on each side: :func:`_sum_atol` = 2nε (1.4e-14 for n = 32;
a residual such as Gt has no useful relative bound, so this is absolute), next to
1e-12 relative. D = (d − p)/(d + p) moves by ≤ 4·δ/(d + p) when d and p are within
δ = 2nε·max μ. The percentiles are order statistics of the replicates: exact.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from numpy.testing import assert_allclose

from nqpf.dagum import _stratified_indices, dagum_decompose, dagum_gini

GROUPS = ("east", "central", "west", "northeast")
EPS = np.finfo(np.float64).eps


def _sum_atol(n_units: int) -> float:
    """Absolute error bound of a Gini-type ratio over n units, both sides: 2nε."""
    return 2.0 * n_units * EPS


def panel(n_per_group=8, years=(2011, 2012), seed=0, weights=False) -> pl.DataFrame:
    """Regions in four echelons whose means differ but overlap; one row per region-year."""
    rng = np.random.default_rng(seed)
    parts = []
    for t, year in enumerate(years):
        for j, group in enumerate(GROUPS):
            frame = {
                "region": [f"{group}{i}" for i in range(n_per_group)],
                "year": [year] * n_per_group,
                "echelon": [group] * n_per_group,
                "score": rng.lognormal(np.log(0.2 + 0.08 * j + 0.02 * t), 0.35, n_per_group),
            }
            if weights:
                frame["pop"] = rng.integers(1, 60, n_per_group).astype(float)
            parts.append(pl.DataFrame(frame))
    return pl.concat(parts)


def test_reproducible_with_seed_and_generator():
    df = panel()
    a = dagum_gini(df, "score", "echelon", by="year", bootstrap=50, seed=11)
    b = dagum_gini(df, "score", "echelon", by="year", bootstrap=50, seed=11)
    c = dagum_gini(df, "score", "echelon", by="year", bootstrap=50, seed=np.random.default_rng(11))
    d = dagum_gini(df, "score", "echelon", by="year", bootstrap=50, seed=12)
    assert a.intervals.equals(b.intervals)
    assert a.intervals.equals(c.intervals)
    assert not a.intervals.equals(d.intervals)
    # the point estimates do not depend on the bootstrap
    plain = dagum_gini(df, "score", "echelon", by="year")
    assert a.overall.equals(plain.overall)


def test_interval_frame_shape_and_quantities():
    df = panel()
    res = dagum_gini(df, "score", "echelon", by="year", bootstrap=40, level=0.9, seed=1)
    iv = res.intervals
    assert iv.columns == ["year", "quantity", "estimate", "lower", "upper", "level", "B"]
    assert iv.schema["year"] == df.schema["year"]
    quantities = iv.filter(pl.col("year") == 2011)["quantity"].to_list()
    labels = sorted(GROUPS)
    pairs = res.between.filter(pl.col("year") == 2011).select("group_j", "group_h").rows()
    expected = [
        "G", "Gw", "Gnb", "Gt", "Gw_share", "Gnb_share", "Gt_share",
        *(f"Gjj[{g}]" for g in labels),
        *(f"Gjh[{j}|{h}]" for j, h in pairs),
        *(f"Djh[{j}|{h}]" for j, h in pairs),
    ]  # fmt: skip
    assert quantities == expected
    assert set(iv["level"].to_list()) == {0.9}
    assert set(iv["B"].to_list()) == {40}
    assert res.replicates.height == 40 * len(expected) * 2
    assert res.replicates.columns == ["year", "replicate", "quantity", "value"]
    # estimates are the point estimates of the tables
    s = res.overall.filter(pl.col("year") == 2012).row(0, named=True)
    for q in ("G", "Gw", "Gnb", "Gt", "Gt_share"):
        est = iv.filter((pl.col("year") == 2012) & (pl.col("quantity") == q))["estimate"].item()
        assert est == s[q]


def test_default_b_and_no_bootstrap():
    df = panel()
    res = dagum_gini(df, "score", "echelon", bootstrap=999, seed=3)
    assert res.bootstrap == 999
    assert set(res.intervals["B"].to_list()) == {999}
    assert res.intervals.columns[0] == "quantity"  # no by column without by
    none = dagum_gini(df, "score", "echelon")
    assert none.intervals is None
    assert none.replicates is None


@pytest.mark.parametrize("weighted", [False, True])
def test_replicates_equal_plain_kernel_on_resampled_data(weighted):
    """Rebuild each resample from the documented draw order; decompose it with the plain kernel."""
    df = panel(n_per_group=5, weights=weighted)
    wcol = "pop" if weighted else None
    n_boot = 6
    res = dagum_gini(df, "score", "echelon", by="year", weights=wcol, bootstrap=n_boot, seed=2024)
    rng = np.random.default_rng(2024)
    for year in (2011, 2012):  # slices in sorted order
        sub = df.filter(pl.col("year") == year)
        y = sub["score"].to_numpy()
        g = sub["echelon"].to_numpy()
        w = sub["pop"].to_numpy() if weighted else None
        labels = sorted(set(g.tolist()))
        blocks = [np.flatnonzero(g == lab) for lab in labels]  # groups in label order
        idx = _stratified_indices(rng, blocks, n_boot)
        reps = res.replicates.filter(pl.col("year") == year)
        for b in range(n_boot):
            rows = idx[b]
            # stratified: each group keeps its size and draws only its own units
            assert [list(g[rows]).count(lab) for lab in labels] == [blk.size for blk in blocks]
            dec = dagum_decompose(y[rows], g[rows], None if w is None else w[rows])
            got = dict(
                reps.filter(pl.col("replicate") == b + 1).select("quantity", "value").iter_rows()
            )
            atol = _sum_atol(rows.size)
            assert_allclose(
                [got["G"], got["Gw"], got["Gnb"], got["Gt"]],
                [dec.G, dec.Gw, dec.Gnb, dec.Gt],
                rtol=1e-12,
                atol=atol,
            )
            assert_allclose(got["Gw_share"], dec.Gw / dec.G, rtol=1e-12, atol=2 * atol / dec.G)
            for j, lab in enumerate(dec.groups):
                assert_allclose(got[f"Gjj[{lab}]"], dec.Gjj[j], rtol=1e-12, atol=atol)
            pos = {lab: i for i, lab in enumerate(dec.groups)}
            d_atol = atol * float(np.max(dec.mean))
            for gj, gh in (
                res.between.filter(pl.col("year") == year).select("group_j", "group_h").rows()
            ):
                j, h = pos[gj], pos[gh]
                assert_allclose(got[f"Gjh[{gj}|{gh}]"], dec.Gjh[j, h], rtol=1e-12, atol=atol)
                # Djh keeps the estimate's orientation: signed if the means crossed
                assert_allclose(
                    got[f"Djh[{gj}|{gh}]"],
                    dec.Djh[j, h],
                    rtol=0,
                    atol=4 * d_atol / (dec.djh[j, h] + dec.pjh[j, h]),
                )


def test_percentile_rule_is_order_statistics():
    """B = 999, level 0.95: the 25th and 975th ordered replicates (boot.ci type 'perc')."""
    res = dagum_gini(panel(years=(2011,)), "score", "echelon", bootstrap=999, seed=5)
    for q in ("G", "Gnb", "Gjj[west]"):
        vals = np.sort(res.replicates.filter(pl.col("quantity") == q)["value"].to_numpy())
        row = res.intervals.filter(pl.col("quantity") == q).row(0, named=True)
        assert row["lower"] == vals[24]
        assert row["upper"] == vals[974]


def test_estimate_inside_interval_well_behaved():
    df = panel(n_per_group=60, years=(2011, 2012, 2013), seed=9)
    res = dagum_gini(df, "score", "echelon", by="year", bootstrap=499, seed=8)
    iv = res.intervals.filter(~pl.col("quantity").str.starts_with("Djh"))
    outside = iv.filter(
        (pl.col("estimate") < pl.col("lower")) | (pl.col("estimate") > pl.col("upper"))
    )
    assert outside.height == 0, outside
    assert (iv["lower"] <= iv["upper"]).all()


def test_intervals_narrow_as_n_grows():
    widths = []
    for n in (10, 80, 640):
        res = dagum_gini(
            panel(n_per_group=n, years=(2011,), seed=4), "score", "echelon", bootstrap=299, seed=4
        )
        iv = res.intervals.filter(pl.col("quantity").is_in(["G", "Gw", "Gnb"]))
        widths.append((iv["upper"] - iv["lower"]).to_numpy())
    assert np.all(widths[1] < widths[0])
    assert np.all(widths[2] < widths[1])
    # √n scaling: ×64 units should shrink widths by roughly 8
    assert np.all(widths[2] < widths[0] / 4)


def test_higher_level_gives_wider_intervals():
    df = panel(n_per_group=20, years=(2011,))
    narrow = dagum_gini(df, "score", "echelon", bootstrap=400, level=0.8, seed=1).intervals
    wide = dagum_gini(df, "score", "echelon", bootstrap=400, level=0.99, seed=1).intervals
    assert ((wide["lower"] <= narrow["lower"]) & (wide["upper"] >= narrow["upper"])).all()


def test_progress_callback():
    calls = []
    dagum_gini(
        panel(),
        "score",
        "echelon",
        by="year",
        bootstrap=30,
        seed=1,
        progress=lambda d, t: calls.append((d, t)),
    )
    assert calls[-1] == (60, 60)
    done = [d for d, _ in calls]
    assert done == sorted(done)
    assert len(calls) >= 2  # at least one call per slice


def test_resamples_with_undefined_quantities_are_counted_out():
    # group a has a positive mean, but a resample of its three zeros has mean 0: Gjj[a] is undefined
    df = pl.DataFrame({"y": [0.0, 0.0, 0.0, 1.0, 2.0, 3.0, 4.0], "g": list("aaaabbb")})
    res = dagum_gini(df, "y", "g", bootstrap=400, seed=0)
    iv = {r["quantity"]: r for r in res.intervals.iter_rows(named=True)}
    assert 0 < iv["Gjj[a]"]["B"] < 400
    assert iv["G"]["B"] == 400
    assert iv["Gw"]["B"] == 400
    assert np.isfinite(iv["Gjj[a]"]["lower"])


def test_singleton_group_has_degenerate_within_interval():
    df = pl.DataFrame({"y": [1.0, 2.0, 3.0, 5.0, 9.0], "g": list("aaaab")})
    iv = dagum_gini(df, "y", "g", bootstrap=50, seed=0).intervals
    row = iv.filter(pl.col("quantity") == "Gjj[b]").row(0, named=True)
    assert row["lower"] == row["upper"] == 0.0


def test_resamples_that_empty_a_group_of_weight():
    # group a's only weighted unit is missed by ~30% of resamples: Gjj[a] undefined there,
    # but G and its parts stay defined (the group's weight is simply absent)
    df = pl.DataFrame(
        {
            "y": [1.0, 2.0, 3.0, 1.0, 2.0, 3.0, 4.0],
            "g": list("aaabbbb"),
            "w": [1.0, 0, 0, 1, 1, 1, 1],
        }
    )
    res = dagum_gini(df, "y", "g", weights="w", bootstrap=300, seed=0)
    iv = {r["quantity"]: r for r in res.intervals.iter_rows(named=True)}
    assert 0 < iv["Gjj[a]"]["B"] < 300
    for q in ("G", "Gw", "Gnb", "Gt"):
        assert iv[q]["B"] == 300
    reps = res.replicates.pivot(on="quantity", index="replicate", values="value")
    assert_allclose(
        reps["Gw"] + reps["Gnb"] + reps["Gt"], reps["G"], rtol=1e-12, atol=4 * _sum_atol(7)
    )
