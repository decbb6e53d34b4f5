"""The AHP matrix file read from bytes (an upload) as from a path, and options that hold
mappings surviving pickling (caches and processes pickle results with their options)."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest

from nqpf.errors import InputError
from nqpf.index import ahp_index_result, ahp_index_weights, read_ahp_matrix
from nqpf.options import CouplingOptions, IndexOptions

NAMES = ["gdp", "rd", "green"]
FILE = "indicator,rd,gdp,green\nrd,1,1/3,2\ngdp,3,1,5\ngreen,1/2,1/5,1\n"


def test_bytes_and_path_read_alike(tmp_path: Path) -> None:
    path = tmp_path / "ahp.csv"
    path.write_text(FILE, encoding="utf-8")
    from_bytes = read_ahp_matrix(FILE.encode(), NAMES, name="ahp.csv")
    from_path = read_ahp_matrix(str(path), NAMES)
    assert np.array_equal(from_bytes, from_path)
    # in the names' order, fractions read as fractions (a hand check of three cells)
    assert from_bytes[0, 1] == 3.0
    assert from_bytes[1, 0] == 1 / 3
    assert from_bytes[2, 0] == 1 / 5
    # the weights of the array are those of the file given to the index
    by_file = ahp_index_weights(IndexOptions(weights="ahp", ahp_matrix=str(path)), NAMES)
    as_array = IndexOptions(weights="ahp", ahp_matrix=from_bytes.tolist())
    assert np.array_equal(ahp_index_weights(as_array, NAMES), by_file)
    result = ahp_index_result(as_array, NAMES)
    assert np.array_equal(result.weight, by_file)
    assert 0 <= result.cr < 0.1


def test_a_missing_indicator_names_the_upload() -> None:
    with pytest.raises(InputError, match="no row for indicator 'extra'") as err:
        read_ahp_matrix(FILE.encode(), [*NAMES, "extra"], name="upload.csv")
    assert "upload.csv" in str(err.value)


@pytest.mark.parametrize(
    "options",
    [
        IndexOptions(ideal_point={"gdp": 1.0}, anti_ideal_point="rd=0"),
        IndexOptions(weights={"gdp": 0.5, "rd": 0.5}),
        IndexOptions(weights="ahp", ahp_matrix={"a": {"a": 1, "b": 2}, "b": {"a": 0.5, "b": 1}}),
        CouplingOptions(alpha={"x": 0.25, "y": 0.75}),
        IndexOptions(),
    ],
)
def test_options_with_mappings_pickle(options: object) -> None:
    again = pickle.loads(pickle.dumps(options))
    assert again == options
    assert type(again) is type(options)
    assert dict(again) == dict(options)
