"""Space–time transitions of LISA quadrants and LISA time paths: the quadrants and the
LISA Markov counts equal giddy's LISA_Markov (PySAL) on the 48 US states; the types
follow Rey (2001)'s table; the path measures equal their definitions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from nqpf.errors import InputError
from nqpf.spatial import from_neighbours
from nqpf.spatial.transitions import space_time_transitions

PEER = Path(__file__).resolve().parents[2] / "shared" / "data" / "peer"
RING = {f"r{i}": [f"r{(i + 1) % 8}", f"r{(i - 1) % 8}"] for i in range(8)}


def _panel(seed=1, years=5):
    rng = np.random.default_rng(seed)
    rows = [(r, 2000 + t, float(rng.lognormal())) for t in range(years) for r in RING]
    return pl.DataFrame(rows, schema=["region", "year", "v"], orient="row")


def test_types_follow_the_definition():
    res = space_time_transitions(_panel(), "v", "region", "year", w=from_neighbours(RING))
    own = {"HH": "H", "HL": "H", "LH": "L", "LL": "L"}
    for move in res.moves.iter_rows(named=True):
        a, b = move["from"], move["to"]
        region_moves = own[a] != own[b]
        lag_moves = a[1] != b[1]
        want = {(False, False): "IV", (True, False): "I", (False, True): "II", (True, True): "III"}
        assert move["type"] == want[(region_moves, lag_moves)]
    total = res.types.filter(pl.col("period") == "all").row(0, named=True)
    assert sum(total[f"type_{k}"] for k in ("I", "II", "III", "IV")) == 8 * 4
    assert total["cohesion"] == total["type_IV"] / 32
    assert res.matrix.drop("from").to_numpy().sum() == 32


def test_paths_equal_their_definitions():
    df = _panel(years=4)
    res = space_time_transitions(df, "v", "region", "year", w=from_neighbours(RING))
    q = res.quadrants.sort("region", "year")
    for name in ("r0", "r5"):
        pts = q.filter(pl.col("region") == name).select("z", "lag").to_numpy()
        steps = np.linalg.norm(np.diff(pts, axis=0), axis=1)
        row = res.paths.filter(pl.col("region") == name).row(0, named=True)
        assert row["length"] == pytest.approx(steps.sum(), rel=1e-14)
        assert row["tortuosity"] == pytest.approx(
            np.linalg.norm(pts[-1] - pts[0]) / steps.sum(), rel=1e-13
        )
    assert res.paths["relative_length"].mean() == pytest.approx(1.0, rel=1e-14)


@pytest.mark.slow  # importing giddy compiles numba code
@pytest.mark.skipif(not PEER.exists(), reason="../shared/data/peer is absent")
def test_equals_giddy_lisa_markov_on_the_us_states():
    libpysal = pytest.importorskip("libpysal")
    giddy = pytest.importorskip("giddy.markov", reason="giddy (PySAL) is not installed")
    gal = libpysal.io.open(str(PEER / "states48.gal")).read()
    df = pl.read_csv(PEER / "usjoin.csv")
    names = df["Name"].to_list()
    w = from_neighbours(
        {names[int(i)]: [names[int(j)] for j in js] for i, js in gal.neighbors.items()}
    )
    years = [str(y) for y in range(1929, 1960)]
    long = df.unpivot(index="Name", on=years, variable_name="year", value_name="inc")
    ours = space_time_transitions(long, "inc", "Name", "year", w=w)
    wi = libpysal.weights.W({int(i): [int(j) for j in js] for i, js in gal.neighbors.items()})
    wi.transform = "r"
    ref = giddy.LISA_Markov(df.select(years).to_numpy().astype(float), wi)
    np.testing.assert_array_equal(ours.matrix.drop("from").to_numpy(), ref.transitions)
    order = np.argsort(np.asarray(names, dtype=object))
    q = ours.quadrants.sort("Name", "year")["quadrant"].to_numpy().reshape(48, len(years))
    codes = {"HH": 1, "LH": 2, "LL": 3, "HL": 4}
    np.testing.assert_array_equal(np.vectorize(codes.get)(q), ref.q[order])


def test_unbalanced_panel_and_one_year_refused():
    df = _panel()
    with pytest.raises(InputError, match="'r3'"):
        space_time_transitions(
            df.filter(~((pl.col("region") == "r3") & (pl.col("year") == 2002))),
            "v",
            "region",
            "year",
            w=from_neighbours(RING),
        )
    with pytest.raises(InputError, match="at least 2 years"):
        space_time_transitions(
            df.filter(pl.col("year") == 2000), "v", "region", "year", w=from_neighbours(RING)
        )
