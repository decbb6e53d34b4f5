"""SpatialWeights: construction, styles (against libpysal's transform), alignment and
the bad inputs it names."""

from __future__ import annotations

import numpy as np
import pytest

from nqpf.errors import InputError
from nqpf.spatial import SpatialWeights, from_matrix, from_neighbours

libpysal = pytest.importorskip(
    "libpysal", reason="libpysal is the spatial extra: pip install 'nqpf[spatial]'"
)

RING = {
    "a": ["b", "e"],
    "b": ["a", "c"],
    "c": ["b", "d"],
    "d": ["c", "e"],
    "e": ["d", "a"],
    "f": ["a"],
}


def test_styles_equal_libpysal():
    w = from_neighbours(RING)
    ref = libpysal.weights.W({k: list(v) for k, v in w.neighbours.items()}, id_order=list(w.ids))
    for ours, theirs in (("b", "B"), ("r", "R")):
        ref.transform = theirs
        assert np.array_equal(w.transform(ours).dense(), ref.full()[0])
    assert w.transform("r").transform("o") == w
    assert np.allclose(
        w.transform("r").dense().sum(axis=1), 1.0, rtol=0, atol=1e-15
    )  # one division per row


def test_symmetric_completion_and_directed():
    w = from_neighbours(RING)
    assert "f" in w.neighbours["a"]  # f → a given one way, completed
    assert w.is_symmetric()
    directed = from_neighbours(RING, symmetric=False)
    assert "f" not in directed.neighbours["a"]
    assert not directed.is_symmetric()


def test_align_reorders_and_names_mismatches():
    w = from_neighbours(RING)
    order = ["f", "e", "d", "c", "b", "a"]
    aligned = w.align(order)
    assert aligned.ids == tuple(order)
    dense, perm = w.dense(), [w.ids.index(x) for x in order]
    assert np.array_equal(aligned.dense(), dense[np.ix_(perm, perm)])
    with pytest.raises(InputError, match="'g'"):
        w.align([*order, "g"])
    with pytest.raises(InputError, match="'f'"):
        w.align(order[1:])


def test_aliases_resolve():
    w = SpatialWeights(
        ["Tibet", "Qinghai", "Xinjiang"], np.ones((3, 3)) - np.eye(3), aliases={"西藏": "Tibet"}
    )
    assert w.align(["Qinghai", "西藏", "Xinjiang"]).ids == ("Qinghai", "西藏", "Xinjiang")


@pytest.mark.parametrize(
    ("matrix", "ids", "match"),
    [
        (np.zeros((3, 2)), ["a", "b", "c"], "square"),
        (np.array([[0, -1, 0], [1, 0, 0], [0, 0, 0.0]]), ["a", "b", "c"], "negative"),
        (np.eye(3), ["a", "b", "c"], "own neighbour"),
        (np.zeros((2, 2)), ["a", "b"], "at least 3"),
        (np.zeros((3, 3)), ["a", "a", "c"], "repeat"),
        (np.full((3, 3), np.nan), ["a", "b", "c"], "missing or infinite"),
    ],
)
def test_bad_matrices(matrix, ids, match):
    with pytest.raises(InputError, match=match):
        from_matrix(matrix, ids)


def test_islands_named():
    w = from_neighbours({"a": ["b"], "b": ["a"], "c": []})
    assert w.islands == ("c",)
    assert w.transform("r").dense()[2].sum() == 0
    with pytest.raises(InputError, match="'c'"):
        w.check_islands()


def test_frame_and_libpysal_round_trip():
    w = from_neighbours(RING).transform("r")
    frame = w.to_frame()
    assert frame.columns == ["focal", "neighbour", "weight"]
    assert frame.height == w.sparse.nnz
    assert np.array_equal(w.to_libpysal().full()[0], w.dense())
