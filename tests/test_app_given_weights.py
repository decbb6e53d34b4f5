"""User-given indicator weights in the app (issue 15; nqpf.app.index_extras "Given
weights"): the Index page's table of the spec's indicators, the Compare page's
configurations A and B, the project file and ``nqpf run``.

Every number is checked against an independent path: the library called from this
script with ``weights={indicator: weight}`` (never values copied from the app), and the
weights' normalisation against a brute force w_i / Σ w (math.fsum) at NORMALISATION_RTOL.

Tolerances: the scores and weights the app shows are the library's own computation of
the same inputs, so they are compared with ``==``; the brute-force normalisation differs
from the library's only by its sum's rounding (a sum of m non-negative terms is within
(m − 1)ε relative of the exact sum, which math.fsum returns rounded; the library first
scales by a power of two, which is exact) and the division's half ulp: m·ε relative.
The CSV that ``nqpf run`` writes holds the shortest repr of each float (the same bits),
compared at CSV_RTOL as tests/test_app_project_pages.py does.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Any

import polars as pl
import pytest

pytest.importorskip("streamlit", reason="the app extra (streamlit) is not installed")
from streamlit.testing.v1 import AppTest
from test_app import compute_index, errors, frame, go, ok
from test_app_index_extras import library, names
from test_app_project import fresh, open_project, saved

import nqpf
from nqpf import datasets
from nqpf.app.i18n import TEXT
from nqpf.app.verbatim import verbatim
from nqpf.cli import main
from nqpf.compare import ALL_YEARS, rank_agreement
from nqpf.options import IndexOptions
from nqpf.project import DataSource, Project

REGION, YEAR = datasets.PWT_REGION, datasets.PWT_YEAR
EPS = sys.float_info.epsilon
#: see the module docstring: m·ε relative for m indicators
NORMALISATION_RTOL = len(names()) * EPS
CSV_RTOL = 1e-12
#: The options that do not act under user weights (the method's), greyed out with it.
METHOD_OPTIONS = (
    "critic_correlation",
    "critic_input",
    "critic_contrast",
    "ahp_allow_inconsistent",
    "combine",
    "combine_rule",
    "combine_alpha",
)
#: Weights as a user types them: not summing to 1, one of them 0.
TYPED = (3.0, 1.0, 2.0, 0.5, 1.5, 1.0, 0.0)


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> AppTest:
    return fresh(monkeypatch)


def given() -> dict[str, float]:
    return dict(zip(names(), TYPED, strict=True))


def tick(at: AppTest, prefix: str = "idx") -> AppTest:
    at.checkbox(key=f"w.{prefix}.given_weights").check().run()
    return at


def type_weights(at: AppTest, weights: dict[int, Any], prefix: str = "idx") -> AppTest:
    """Edit the weights table's rows (row position → the typed weight; None empties it)."""
    at.session_state[f"ed.{prefix}.weights"] = {
        "edited_rows": {i: {"weight": w} for i, w in weights.items()},
        "added_rows": [],
        "deleted_rows": [],
    }
    return at.run()


def scores(result_or_frame: Any) -> pl.DataFrame:
    table = getattr(result_or_frame, "scores", result_or_frame)
    return table.select(REGION, YEAR, "score").sort(REGION, YEAR)


def default_project() -> tuple[DataSource, Any]:
    _panel, spec = nqpf.load_pwt()
    data = DataSource(file="pwt_panel.csv", builtin=True, region=REGION, year=YEAR)
    return data, spec


# ------------------------------------------------------------------ the Index page


def test_given_weights_give_the_library_s_index(at: AppTest) -> None:
    go(at, "index")
    tick(at)
    ok(at)
    # the method and the options that act only with a method are greyed out
    assert at.selectbox(key="w.idx.weights").disabled
    for name in METHOD_OPTIONS:
        assert at.get_by_key(f"w.idx.{name}").disabled, name
    assert not at.selectbox(key="w.idx.scope").disabled  # the others still act
    # before any run the table starts from equal weights
    assert at.session_state["gw.idx."] == dict.fromkeys(names(), 1 / len(names()))
    type_weights(at, dict(enumerate(TYPED)))
    ok(at)
    at.button(key="btn.index").click().run()
    ok(at)
    expected = library(weights=given())
    shown = frame(at, "df.weights")
    assert shown["indicator"].to_list() == names()
    assert shown["weight"].to_list() == expected.weights["weight"].to_list()
    # the library normalises the typed weights (w / Σw): a brute force, and the 0 stays 0
    total = math.fsum(TYPED)
    brute = [w / total for w in TYPED]
    assert shown["weight"].to_list() == pytest.approx(brute, rel=NORMALISATION_RTOL, abs=0)
    assert shown["weight"].to_list()[-1] == 0.0
    assert scores(frame(at, "df.scores")).equals(scores(expected))
    assert not scores(expected)["score"].equals(scores(library())["score"])  # it can fail
    # unticked: the method again (entropy, the default), its options active again
    at.checkbox(key="w.idx.given_weights").uncheck().run()
    assert not at.selectbox(key="w.idx.weights").disabled
    at.button(key="btn.index").click().run()
    ok(at)
    assert frame(at, "df.weights")["weight"].to_list() == library().weights["weight"].to_list()


def test_the_table_starts_from_the_last_run_s_weights(at: AppTest) -> None:
    go(at, "index")
    at.selectbox(key="w.idx.weights").set_value("critic").run()
    compute_index(at)
    tick(at)
    ok(at)
    critic = library(weights="critic").weights
    assert at.session_state["gw.idx."] == dict(
        zip(critic["indicator"].to_list(), critic["weight"].to_list(), strict=True)
    )
    # unticked and ticked again: the weights typed before, not the new run's
    type_weights(at, {0: 9.0})
    at.checkbox(key="w.idx.given_weights").uncheck().run()
    compute_index(at)
    tick(at)
    assert at.session_state["gw.idx."][names()[0]] == 9.0


def test_a_run_by_year_starts_the_table_from_equal_weights(at: AppTest) -> None:
    """A run by year has a weight vector per year: the table starts from equal weights."""
    go(at, "index")
    at.selectbox(key="w.idx.scope").set_value("year").run()
    compute_index(at)
    tick(at)
    assert at.session_state["gw.idx."] == dict.fromkeys(names(), 1 / len(names()))


def test_a_changed_weight_marks_the_run_stale(at: AppTest) -> None:
    go(at, "index")
    tick(at)
    type_weights(at, dict(enumerate(TYPED)))
    at.button(key="btn.index").click().run()
    ok(at)
    stale = TEXT["idx.stale"][0]
    assert stale not in [w.value for w in at.warning]
    type_weights(at, {**dict(enumerate(TYPED)), 2: 5.0})
    assert stale in [w.value for w in at.warning]
    # back to the weights of the run: current again
    type_weights(at, dict(enumerate(TYPED)))
    assert stale not in [w.value for w in at.warning]


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize(
    ("edit", "english", "chinese"),
    [
        (
            {1: -1.0},
            "the weight of indicator '{name}' is -1.0: weights must be finite and non-negative",
            "指标“{name}”的权重为 -1.0：权重必须是有限的非负数",
        ),
        ({1: None}, "no weight given for indicator '{name}'", "没有为指标“{name}”给出权重"),
        (dict.fromkeys(range(len(names())), 0.0), "the weights sum to 0", "权重之和为 0"),
    ],
    ids=["negative", "missing", "all-zero"],
)
def test_a_bad_weight_is_one_line_under_the_table(
    at: AppTest, language: str, edit: dict[int, Any], english: str, chinese: str
) -> None:
    at.radio(key="w.lang").set_value(language).run()
    go(at, "index")
    tick(at)
    type_weights(at, edit)
    assert not at.exception, [e.message for e in at.exception]
    assert len(errors(at)) == 1, errors(at)
    line = (chinese if language == "zh" else english).format(name=names()[1])
    assert line in errors(at)[0]
    assert "Traceback" not in errors(at)[0]
    # the index does not run on them
    at.button(key="btn.index").click().run()
    assert "run.index" not in at.session_state
    # corrected: no message
    type_weights(at, dict(enumerate(TYPED)))
    ok(at)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_given_weights_texts_are_in_both_languages(at: AppTest, language: str) -> None:
    at.radio(key="w.lang").set_value(language).run()
    go(at, "index")
    position = 1 if language == "zh" else 0
    box = at.checkbox(key="w.idx.given_weights")
    assert box.label == TEXT["idx.weights.given"][position]
    assert box.help == TEXT["idx.weights.given.help"][position]
    tick(at)
    ok(at)
    assert TEXT["idx.weights.help"][position] in [c.value for c in at.caption]
    if language == "zh":
        assert TEXT["idx.weights.given"][1] != TEXT["idx.weights.given"][0]
    go(at, "compare")
    assert at.checkbox(key="w.cmp.a.given_weights").label == TEXT["idx.weights.given"][position]


# ------------------------------------------------------------------ the Compare page


def test_compare_a_given_weights_with_b_entropy(at: AppTest) -> None:
    go(at, "compare")  # preset: A pooled, B per year; both entropy
    tick(at, "cmp.a")
    assert at.selectbox(key="w.cmp.a.weights").disabled
    assert not at.selectbox(key="w.cmp.b.weights").disabled
    type_weights(at, dict(enumerate(TYPED)), "cmp.a")
    ok(at)
    at.button(key="btn.compare").click().run()
    ok(at)
    expected = rank_agreement(library(weights=given()), library(scope="year"))
    agreement = frame(at, "df.agreement_ab")
    for column in ("kendall_tau", "spearman_rho"):
        assert agreement[column].to_list() == expected[column].to_list(), column
    pooled = expected.filter(pl.col(YEAR) == ALL_YEARS)["kendall_tau"].item()
    entropy = rank_agreement(library(), library(scope="year"))
    assert pooled != entropy.filter(pl.col(YEAR) == ALL_YEARS)["kendall_tau"].item()
    # the caption names A's weights as typed (the names as code: user text)
    label = TEXT["idx.weights.given"][0]
    captions = [c.value for c in at.caption if c.value.startswith(f"A = {label} (")]
    assert len(captions) == 1, [c.value for c in at.caption]
    assert f"{verbatim(names()[0])} {TYPED[0]:g}, " in captions[0]


def test_compare_starts_from_the_index_page_s_given_weights(at: AppTest) -> None:
    go(at, "index")
    tick(at)
    type_weights(at, dict(enumerate(TYPED)))
    go(at, "compare")
    for side in ("a", "b"):
        assert at.checkbox(key=f"w.cmp.{side}.given_weights").value, side
        assert at.session_state[f"gw.cmp.{side}."] == given(), side
    # the weights preset compares two methods: no given weights there
    at.selectbox(key="w.cmp.preset").set_value("entropy_vs_critic").run()
    ok(at)
    for side in ("a", "b"):
        assert not at.checkbox(key=f"w.cmp.{side}.given_weights").value, side


# ------------------------------------------------------------------ the project file


def test_given_weights_are_saved_reopened_and_run(
    at: AppTest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    go(at, "index")
    tick(at)
    type_weights(at, dict(enumerate(TYPED)))
    compute_index(at)
    app_scores = scores(frame(at, "df.scores"))
    go(at, "compare")
    at.checkbox(key="w.cmp.b.given_weights").uncheck().run()  # A keeps them, B entropy
    text = saved(at)
    project = Project.from_toml(text)
    # the weights as typed, by indicator, in [options.index]; the configuration's in [app]
    assert dict(project.option("index").weights) == given()
    assert project.app["cmp.a.weights"] == given()
    assert "cmp.b.weights" not in project.app
    assert "w.idx.given_weights" not in project.app  # [options.index] says it

    again = fresh(monkeypatch)
    open_project(again, text)
    ok(again)
    go(again, "index")
    assert again.checkbox(key="w.idx.given_weights").value
    assert again.selectbox(key="w.idx.weights").disabled
    assert again.session_state["gw.idx."] == given()
    compute_index(again)
    assert frame(again, "df.weights")["weight"].to_list() == (
        library(weights=given()).weights["weight"].to_list()
    )
    assert scores(frame(again, "df.scores")).equals(app_scores)
    assert Project.from_toml(saved(again)) == project
    go(again, "compare")
    assert again.checkbox(key="w.cmp.a.given_weights").value
    assert not again.checkbox(key="w.cmp.b.given_weights").value
    assert again.session_state["gw.cmp.a."] == given()

    # nqpf run reproduces the app's scores from the shell
    project.write(tmp_path / "project.toml")
    out = tmp_path / "out"
    assert main(["run", str(tmp_path / "project.toml"), "--out", str(out)]) == 0
    wide = pl.read_csv(out / "tables" / "scores_by_year.csv")  # a region × year table
    years = [c for c in wide.columns if c.isdigit()]
    written = scores(
        wide.unpivot(index=REGION, on=years, variable_name=YEAR, value_name="score").with_columns(
            pl.col(YEAR).cast(pl.Int64)
        )
    )
    assert written.select(REGION, YEAR).equals(app_scores.select(REGION, YEAR))
    assert written["score"].to_list() == pytest.approx(
        app_scores["score"].to_list(), rel=CSV_RTOL, abs=0
    )
    weights = pl.read_csv(out / "tables" / "weights.csv")["weight"].to_list()
    total = math.fsum(TYPED)
    assert weights == pytest.approx([w / total for w in TYPED], rel=CSV_RTOL, abs=0)


def test_a_project_weights_list_in_spec_order_fills_the_table(at: AppTest) -> None:
    data, spec = default_project()
    options = IndexOptions(weights=list(TYPED), scope="year")
    open_project(at, Project(data, spec, options={"index": options}).to_toml())
    ok(at)
    go(at, "index")
    assert at.session_state["gw.idx."] == given()
    compute_index(at)
    expected = library(weights=list(TYPED), scope="year")
    assert scores(frame(at, "df.scores")).equals(scores(expected))


def test_project_weights_that_do_not_fit_are_one_line(at: AppTest) -> None:
    """A hand-written [options.index] weights list of another length, and a Compare
    configuration's weights that are not numbers: the library's line on the page."""
    data, spec = default_project()
    options = IndexOptions(weights=[1.0, 2.0])
    app = {"w.cmp.preset": "custom", "w.cmp.a.given_weights": True, "cmp.a.weights": {"x": "a"}}
    open_project(at, Project(data, spec, options={"index": options}, app=app).to_toml())
    ok(at)
    at.switch_page("pkg/nqpf/app/app_pages/index.py").run()
    assert not at.exception
    assert len(errors(at)) == 1, errors(at)
    assert f"2 weights given for {len(names())} indicators" in errors(at)[0]
    # saving refuses them in one line (nqpf run would)
    at.switch_page("pkg/nqpf/app/app_pages/export.py").run()
    assert not at.exception
    assert "project.toml" not in at.session_state
    refused = TEXT["prj.cannot"][0].partition("{")[0]
    cannot = [c.value for c in at.caption if c.value.startswith(refused)]
    assert len(cannot) == 1, [c.value for c in at.caption]
    assert "weights" in cannot[0]
    # once the table is edited, its weights are used
    at.switch_page("pkg/nqpf/app/app_pages/index.py").run()
    type_weights(at, dict(enumerate(TYPED)))
    ok(at)
    at.switch_page("pkg/nqpf/app/app_pages/compare.py").run()
    assert not at.exception
    assert len(errors(at)) == 1, errors(at)
    assert "user weights must be numbers" in errors(at)[0]
