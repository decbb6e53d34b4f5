"""The Indicators page's moderate (mid) and interval indicators and given ideal points
(issue 13 deliverable 6 in the app): the spec grid holds target, lower, upper, ideal and
anti_ideal, a spec file with them keeps them, and the index the app computes equals the
API's on the same spec.

Tolerance: the app and the test run the same code on the same numbers (the spec's
numbers travel as text in the grid, written by polars' shortest round-trip float
formatting and read back bit for bit), so the scores are compared exactly.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from app_panel import DIMENSIONS, INDICATORS, panel_csv, panel_frame
from streamlit.testing.v1 import AppTest
from test_app import at, compute_index, errors, frame, go, ok, upload

import nqpf
from nqpf.panel import read_spec

__all__ = ["at"]  # the AppTest fixture of tests/test_app.py


def typed_spec(frame_: pl.DataFrame) -> pl.DataFrame:
    """x01 moderate with a target inside its range, x02 an interval indicator, x03 with
    given ideal points; the rest benefit."""
    x01 = frame_.get_column("x01")
    x02 = frame_.get_column("x02")
    x03 = frame_.get_column("x03")
    target = float(x01.quantile(0.4))
    lower, upper = float(x02.quantile(0.3)), float(x02.quantile(0.6))
    n = len(INDICATORS)
    return pl.DataFrame(
        {
            "indicator": INDICATORS,
            "dimension": DIMENSIONS,
            "direction": ["mid", "interval"] + ["+"] * (n - 2),
            "target": [target] + [None] * (n - 1),
            "lower": [None, lower] + [None] * (n - 2),
            "upper": [None, upper] + [None] * (n - 2),
            "ideal": [None, None, float(x03.max()) * 1.1] + [None] * (n - 3),
            "anti_ideal": [None, None, float(x03.min()) * 0.9] + [None] * (n - 3),
        }
    )


def test_a_typed_spec_file_is_kept_and_scored_as_the_api_scores_it(
    at: AppTest, tmp_path: Path
) -> None:
    upload(at, "provinces.csv", panel_csv())
    ok(at)
    spec_frame = typed_spec(panel_frame())
    go(at, "indicators")
    # the type columns are offered on request, and shown by themselves once a spec has them
    assert at.toggle(key="w.ind.types").value is False
    at.file_uploader(key="up.spec").set_value(
        ("spec.csv", spec_frame.write_csv().encode(), "text/csv")
    ).run()
    ok(at)
    assert at.toggle(key="w.ind.types").value is True
    compute_index(at)
    shown = frame(at, "df.scores")
    path = tmp_path / "spec.csv"
    spec_frame.write_csv(path)
    spec = read_spec(path)
    assert next(i for i in spec if i.name == "x01").direction == "mid"
    panel = nqpf.read_panel(panel_csv(), region="province", year="year", name="provinces.csv")
    expected = nqpf.entropy_topsis(panel, spec, keep=["area"]).scores
    joined = expected.join(shown, on=["province", "year"], suffix="_app")
    assert joined.height == expected.height
    assert joined.get_column("score_app").to_list() == joined.get_column("score").to_list()
    # and the untyped spec gives other scores (the types acted)
    plain = nqpf.entropy_topsis(panel, read_spec(_plain(spec_frame, tmp_path)), keep=["area"])
    assert plain.scores.get_column("score").to_list() != expected.get_column("score").to_list()


def _plain(spec_frame: pl.DataFrame, folder: Path) -> Path:
    path = folder / "plain.csv"
    spec_frame.select("indicator", "dimension").with_columns(direction=pl.lit("+")).write_csv(path)
    return path


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        ({"direction": "mid"}, "target"),
        ({"direction": "interval", "lower": "5", "upper": "1"}, "lower"),
        ({"target": "abc", "direction": "mid"}, "abc"),
    ],
)
def test_a_bad_type_in_the_grid_is_one_line(at: AppTest, edit: dict, expected: str) -> None:
    upload(at, "provinces.csv", panel_csv())
    ok(at)
    go(at, "indicators")
    at.toggle(key="w.ind.types").set_value(True).run()
    version = at.session_state["spec.version"]
    at.session_state[f"ed.spec.{version}"] = {
        "edited_rows": {0: edit},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception
    (message,) = errors(at)
    assert expected in message
    assert "x01" in message
    assert "\n" not in message
