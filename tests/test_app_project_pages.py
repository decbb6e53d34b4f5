"""The app's project file keeps what the pages' own inputs hold (nqpf.app.project_state):
the uploaded AHP matrices (Index page; the Compare page's configurations A and B), the
Spatial page's weights (built-in kind and parameter, or an uploaded file asked for again
with its fingerprint checked) and options, the Geodetector page's factors (``[run]``,
which ``nqpf run`` reads) and the Robustness page's choices. Save → a new session →
open → the same inputs; the numbers are compared with the library's own run of the same
inputs from a script (never with values copied from the app)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

pytest.importorskip("streamlit", reason="the app extra (streamlit) is not installed")
from app_panel import PROVINCES, panel_csv, spec_csv
from streamlit.testing.v1 import AppTest
from test_app import compute_index, errors, frame, go, ok, upload
from test_app_index_extras import consistent, library, matrix_csv, names, upload_ahp
from test_app_project import fresh, open_project, saved

import nqpf
from nqpf import datasets
from nqpf.cli import main
from nqpf.compare import ALL_YEARS, rank_agreement
from nqpf.index import read_ahp_matrix
from nqpf.options import IndexOptions, SpatialOptions
from nqpf.project import DataSource, Project

REGIONS = list(PROVINCES)
#: A CSV holds each float by its shortest repr, which reads back to the same bits; the
#: report's tables are compared at 1e-12 relative all the same, as tests/test_project.py
#: compares them (a writer that rounds to 15 digits would still pass at 5e-16).
CSV_RTOL = 1e-12


def other(i: int, j: int) -> str:
    """Another consistent matrix (the reverse priorities of :func:`consistent`)."""
    return consistent(j, i)


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> AppTest:
    return fresh(monkeypatch)


def weights_shown(at: AppTest) -> list[float]:
    go(at, "index")
    return frame(at, "df.weights").get_column("weight").to_list()


# ------------------------------------------------------------------ AHP matrices


def test_the_index_page_s_ahp_matrix_is_saved_and_reopened(
    at: AppTest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    go(at, "index")
    at.selectbox(key="w.idx.weights").set_value("ahp").run()
    data = matrix_csv(consistent)
    upload_ahp(at, data)
    compute_index(at)
    path = tmp_path / "ahp.csv"
    path.write_bytes(data)
    expected = library(weights="ahp", ahp_matrix=str(path)).weights["weight"].to_list()
    assert weights_shown(at) == expected
    text = saved(at)
    # the numbers in the file, a row per indicator in the spec's order (repr: every bit)
    project = Project.from_toml(text)
    matrix = read_ahp_matrix(path, names())
    assert project.option("index").ahp_matrix == tuple(map(tuple, matrix.tolist()))
    assert "ahp_matrix = [[1.0, 2.0, " in text

    again = fresh(monkeypatch)
    open_project(again, text)
    ok(again)
    go(again, "index")
    assert again.selectbox(key="w.idx.weights").value == "ahp"
    assert any("project.toml" in c.value for c in again.caption)  # no file: the project's
    assert {m.label for m in again.metric} >= {"λmax", "CI", "CR"}
    compute_index(again)
    # the same matrix, bit for bit, so the same eigenvector: equal weights
    assert weights_shown(again) == expected
    assert Project.from_toml(saved(again)) == project

    # nqpf run reproduces the weights from the shell, with no matrix file
    Project.from_toml(text).write(tmp_path / "project.toml")
    out = tmp_path / "out"
    assert main(["run", str(tmp_path / "project.toml"), "--out", str(out)]) == 0
    written = pl.read_csv(out / "tables" / "weights.csv").get_column("weight").to_list()
    assert written == pytest.approx(expected, rel=CSV_RTOL)


def test_combined_weights_with_an_ahp_matrix_reopen(
    at: AppTest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Combined weights (entropy with AHP): the methods (a multiselect, which reopened
    empty) and the matrix are saved, and the reopened index has the library's weights."""
    go(at, "index")
    at.selectbox(key="w.idx.weights").set_value("combined").run()
    at.multiselect(key="w.idx.combine").set_value(["entropy", "ahp"]).run()
    data = matrix_csv(consistent)
    upload_ahp(at, data)
    compute_index(at)
    text = saved(at)
    again = fresh(monkeypatch)
    open_project(again, text)
    ok(again)
    go(again, "index")
    assert again.multiselect(key="w.idx.combine").value == ["entropy", "ahp"]
    compute_index(again)
    path = tmp_path / "ahp.csv"
    path.write_bytes(data)
    expected = library(weights="combined", combine=["entropy", "ahp"], ahp_matrix=str(path))
    assert weights_shown(again) == expected.weights["weight"].to_list()


def test_the_compare_page_s_matrices_are_saved_and_reopened(
    at: AppTest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    go(at, "index")
    at.selectbox(key="w.idx.weights").set_value("ahp").run()
    upload_ahp(at, matrix_csv(consistent))
    go(at, "compare")  # both configurations start from the Index page's matrix
    upload_ahp(at, matrix_csv(other), where="cmp.b")
    ok(at)
    text = saved(at)
    project = Project.from_toml(text)
    for side, cell in (("a", consistent), ("b", other)):
        path = tmp_path / f"{side}.csv"
        path.write_bytes(matrix_csv(cell))
        rows = read_ahp_matrix(path, names()).tolist()
        assert project.app[f"cmp.{side}.ahp_matrix"] == rows, side

    again = fresh(monkeypatch)
    open_project(again, text)
    ok(again)
    go(again, "compare")
    again.button(key="btn.compare").click().run()
    ok(again)
    agreement = frame(again, "df.agreement_ab")
    # A pooled with the first matrix against B per year with the second, by the library
    expected = rank_agreement(
        library(weights="ahp", ahp_matrix=str(tmp_path / "a.csv")),
        library(weights="ahp", ahp_matrix=str(tmp_path / "b.csv"), scope="year"),
    )
    pooled = expected.filter(pl.col("year") == ALL_YEARS)["kendall_tau"].to_list()
    assert agreement.filter(pl.col("year") == ALL_YEARS)["kendall_tau"].to_list() == pooled
    assert pooled != [1.0]  # the two matrices rank differently: the test can fail


def test_a_project_matrix_that_does_not_fit_is_one_line(at: AppTest) -> None:
    """A hand-written [options.index] ahp_matrix of the wrong size: one line on the
    Index page (not a silent 'upload a file')."""
    _panel, spec = nqpf.load_pwt()
    data = DataSource(
        file="pwt_panel.csv", builtin=True, region=datasets.PWT_REGION, year=datasets.PWT_YEAR
    )
    matrix = [[1.0, 2.0], [0.5, 1.0]]
    project = Project(data, spec, options={"index": IndexOptions(weights="ahp", ahp_matrix=matrix)})
    open_project(at, project.to_toml())
    ok(at)
    at.switch_page("pkg/nqpf/app/app_pages/index.py").run()
    assert len(errors(at)) == 1, errors(at)
    assert f"{len(spec.names)} × {len(spec.names)}" in errors(at)[0]


def test_a_matrix_file_named_by_the_project_is_kept_and_asked_for(at: AppTest) -> None:
    """A project naming a matrix file (for ``nqpf run``): the app cannot read the user's
    disk, so the Index page asks for the upload, and saving keeps the file's name."""
    _panel, spec = nqpf.load_pwt()
    data = DataSource(
        file="pwt_panel.csv", builtin=True, region=datasets.PWT_REGION, year=datasets.PWT_YEAR
    )
    options = IndexOptions(weights="combined", combine=("entropy", "ahp"), ahp_matrix="ahp.csv")
    open_project(at, Project(data, spec, options={"index": options}).to_toml())
    ok(at)
    at.switch_page("pkg/nqpf/app/app_pages/index.py").run()
    ok(at)
    assert at.file_uploader(key="up.idx.ahp_matrix") is not None
    assert Project.from_toml(saved(at)).option("index") == options


# ------------------------------------------------------------ given ideal points


def test_given_ideal_points_are_saved_reopened_and_run(
    at: AppTest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The Index page's given points go to [options.index] (what ``nqpf run`` reads), a
    Compare configuration's stay under [app]; both tables are filled again on opening."""
    first, second, third = names()[:3]
    go(at, "index")
    at.session_state["ed.idx.points"] = {
        "edited_rows": {0: {"ideal_point": 150000.0}, 1: {"anti_ideal_point": 0.0}},
        "added_rows": [],
        "deleted_rows": [],
    }
    compute_index(at)
    expected = library(ideal_point={first: 150000.0}, anti_ideal_point={second: 0.0})
    app_scores = frame(at, "df.scores").select("country", "year", "score").sort("country", "year")
    assert app_scores.equals(
        expected.scores.select("country", "year", "score").sort("country", "year")
    )
    go(at, "compare")
    at.session_state["ed.cmp.b.points"] = {
        "edited_rows": {2: {"ideal_point": 7.0}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    ok(at)
    text = saved(at)
    project = Project.from_toml(text)
    assert dict(project.option("index").ideal_point) == {first: 150000.0}
    assert dict(project.option("index").anti_ideal_point) == {second: 0.0}
    assert "w.idx.ideal_point" not in project.app

    again = fresh(monkeypatch)
    open_project(again, text)
    ok(again)
    go(again, "index")
    assert again.session_state["w.idx.ideal_point"] == (f"{first}=150000.0",)
    assert again.session_state["w.idx.anti_ideal_point"] == (f"{second}=0.0",)
    compute_index(again)
    shown = frame(again, "df.scores").select("country", "year", "score").sort("country", "year")
    assert shown.equals(app_scores)
    go(again, "compare")
    assert again.session_state["w.cmp.b.ideal_point"] == (f"{first}=150000.0", f"{third}=7.0")
    assert Project.from_toml(saved(again)) == project

    # nqpf run uses them
    project.write(tmp_path / "project.toml")
    out = tmp_path / "out"
    assert main(["run", str(tmp_path / "project.toml"), "--out", str(out)]) == 0
    wide = pl.read_csv(out / "tables" / "scores_by_year.csv")
    years = [c for c in wide.columns if c.isdigit()]
    written = (
        wide.unpivot(index="country", on=years, variable_name="year", value_name="score")
        .with_columns(pl.col("year").cast(pl.Int64))
        .sort("country", "year")
    )
    assert written.select("country", "year").equals(app_scores.select("country", "year"))
    assert written["score"].to_list() == pytest.approx(
        app_scores["score"].to_list(), rel=CSV_RTOL, abs=0
    )


# --------------------------------------------------------------- spatial weights


def provinces(at: AppTest) -> None:
    """The 12-province panel uploaded with its three-dimension spec, the index computed."""
    upload(at, "provinces.csv", panel_csv())
    go(at, "indicators")
    at.file_uploader(key="up.spec").set_value(("spec.csv", spec_csv(), "text/csv")).run()
    compute_index(at)


def scores_of(project: Project, data: bytes) -> nqpf.IndexResult:
    panel = project.panel(data, "provinces.csv")
    return nqpf.entropy_topsis(panel, project.spec, options=project.option("index"))


def assert_moran(out: Path, result: nqpf.IndexResult, w: object, options: SpatialOptions) -> None:
    """The report's Moran table equals :func:`nqpf.moran` of the index's score."""
    expected = nqpf.moran(
        result.scores, "score", result.region, result.year, w=w, options=options
    ).table
    written = pl.read_csv(out / "tables" / "moran.csv")
    assert written.height == expected.height
    for column in ("I", "z", "p_norm", "p_sim"):
        assert written.get_column(column).to_list() == pytest.approx(
            expected.get_column(column).to_list(), rel=CSV_RTOL
        ), column


def test_built_in_weights_and_spatial_options_reach_run_and_reopen(
    at: AppTest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from nqpf.spatial.builders import builtin_weights

    provinces(at)
    # before the Spatial page is drawn the project holds the seed the page starts with
    # (so that weights added to [run] by hand draw the page's permutations)
    unseen = Project.from_toml(saved(at)).option("spatial")
    go(at, "spatial")
    assert at.number_input(key="w.spa.seed").value == unseen.seed is not None
    at.selectbox(key="w.spa.w.kind").set_value("knn").run()
    at.number_input(key="w.spa.w.k").set_value(3).run()
    at.selectbox(key="w.spa.opt.style").set_value("b").run()
    at.number_input(key="w.spa.opt.permutations").set_value(199).run()
    at.number_input(key="w.spa.seed").set_value(7).run()
    ok(at)
    go(at, "geodetector")
    at.multiselect(key="w.geo.factors").set_value(["x01", "x02"]).run()
    ok(at)
    text = saved(at)
    project = Project.from_toml(text)
    run = project.run
    assert (run.spatial_weights, run.weights_kind, run.weights_k) == ("china-provinces", "knn", 3)
    assert run.geodetector_factors == ("x01", "x02")
    options = SpatialOptions(style="b", permutations=199, seed=7)
    assert project.option("spatial") == options
    assert not any(k.startswith(("w.spa.w.", "w.spa.opt.", "w.geo.factors")) for k in project.app)

    # nqpf run builds the same weights over the data's regions
    (tmp_path / "provinces.csv").write_bytes(panel_csv())
    project.write(tmp_path / "project.toml")
    out = tmp_path / "out"
    assert main(["run", str(tmp_path / "project.toml"), "--out", str(out)]) == 0
    result = scores_of(project, panel_csv())
    regions = result.scores.get_column(result.region).unique(maintain_order=True).to_list()
    assert_moran(out, result, builtin_weights(regions, "knn", k=3), options)
    assert any("geodetector" in p.name for p in (out / "tables").iterdir())

    # the app reopens the same choices on every page
    again = fresh(monkeypatch)
    open_project(again, text)
    again.file_uploader(key="up.project.data").set_value(
        ("provinces.csv", panel_csv(), "text/csv")
    ).run()
    ok(again)
    compute_index(again)
    go(again, "spatial")
    assert again.selectbox(key="w.spa.w.kind").value == "knn"
    assert again.number_input(key="w.spa.w.k").value == 3
    assert again.selectbox(key="w.spa.opt.style").value == "b"
    assert again.selectbox(key="w.spa.opt.alternative").value == "own"  # None: its own
    assert again.number_input(key="w.spa.seed").value == 7
    go(again, "geodetector")
    assert again.multiselect(key="w.geo.factors").value == ["x01", "x02"]
    assert Project.from_toml(saved(again)) == project


def test_an_uploaded_weights_file_is_asked_for_again_and_checked(
    at: AppTest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from nqpf.spatial.builders import builtin_weights, read_weights

    edges = builtin_weights(REGIONS, "knn", k=2).to_frame().write_csv().encode("utf-8")
    provinces(at)
    go(at, "spatial")
    at.selectbox(key="w.spa.w.kind").set_value("upload").run()
    at.file_uploader(key="up.spa.weights").set_value(("knn.csv", edges, "text/csv")).run()
    ok(at)
    text = saved(at)
    project = Project.from_toml(text)
    assert project.run.spatial_weights == "knn.csv"
    assert project.run.weights_sha256 is not None
    assert project.run.weights_kind is None

    again = fresh(monkeypatch)
    open_project(again, text)
    again.file_uploader(key="up.project.data").set_value(
        ("provinces.csv", panel_csv(), "text/csv")
    ).run()
    ok(again)
    # the weights file is asked for; another file is one line and is not taken
    changed = edges.replace(b"\n", b"\r\n")
    again.file_uploader(key="up.project.weights").set_value(("knn.csv", changed, "text/csv")).run()
    assert len(errors(again)) == 1, errors(again)
    assert "SHA-256" in errors(again)[0]
    assert "spa.upload" not in again.session_state
    again.file_uploader(key="up.project.weights").set_value(("knn.csv", edges, "text/csv")).run()
    ok(again)
    compute_index(again)
    go(again, "spatial")
    assert again.selectbox(key="w.spa.w.kind").value == "upload"
    key = again.session_state["spatial.weights"]
    assert (key.kind, key.name) == ("upload", "knn.csv")
    result = scores_of(project, panel_csv())
    expected = nqpf.moran(
        result.scores,
        "score",
        result.region,
        result.year,
        w=read_weights(edges, name="knn.csv"),
        options=project.option("spatial"),
    ).table
    assert frame(again, "df.spa.moran").get_column("I").to_list() == (
        expected.get_column("I").to_list()
    )

    # nqpf run reads the file beside the project, its fingerprint checked
    (tmp_path / "provinces.csv").write_bytes(panel_csv())
    project.write(tmp_path / "project.toml")
    (tmp_path / "knn.csv").write_bytes(changed)
    out = tmp_path / "out"
    assert main(["run", str(tmp_path / "project.toml"), "--out", str(out)]) == 2
    assert not out.exists()
    (tmp_path / "knn.csv").write_bytes(edges)
    assert main(["run", str(tmp_path / "project.toml"), "--out", str(out)]) == 0
    assert_moran(out, result, read_weights(edges, name="knn.csv"), project.option("spatial"))


# ------------------------------------------------------------------- robustness


def test_the_robustness_page_s_choices_are_saved_and_reopened(
    at: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    compute_index(at)
    go(at, "robustness")
    at.radio(key="w.rob.grid").set_value("custom").run()
    at.multiselect(key="w.rob.grid.weights").set_value(["entropy", "critic"]).run()
    at.selectbox(key="w.rob.ech.rule").set_value("quantiles").run()
    at.number_input(key="w.rob.ech.k").set_value(5).run()
    at.selectbox(key="w.rob.dagum").set_value(("none",)).run()
    ok(at)
    chosen = {
        key: at.session_state[key]
        for key in ("w.rob.grid", "w.rob.grid.weights", "w.rob.ech.rule", "w.rob.ech.k")
    }
    text = saved(at)

    again = fresh(monkeypatch)
    open_project(again, text)
    ok(again)
    compute_index(again)
    go(again, "robustness")
    for key, value in chosen.items():
        assert again.session_state[key] == value, key
    assert again.selectbox(key="w.rob.dagum").value == ("none",)
    assert again.radio(key="w.rob.grid").value == "custom"
