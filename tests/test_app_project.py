"""The app's project file (nqpf.app.project_state): Download project on the Export page,
Open project in the sidebar. Set options → download → a new session → open → the same
widget values and the same index table; uploaded data is asked for again and its
fingerprint checked."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

pytest.importorskip("streamlit", reason="the app extra (streamlit) is not installed")
from app_panel import panel_csv, panel_frame
from streamlit.testing.v1 import AppTest
from test_app import ROOT, TIMEOUT, compute_index, errors, frame, go, ok, upload

import nqpf
from nqpf.app import project_state
from nqpf.cli import main
from nqpf.options import EchelonOptions, IndexOptions, ReadOptions, ReportOptions
from nqpf.panel import read_panel
from nqpf.project import DataSource, Project

#: The widgets the tests set, and so compare after opening.
SET = {
    "w.idx.weights": "critic",
    "w.idx.scope": "year",
    "w.idx.shift": 0.001,
    "w.ech.rule": "quantiles",
    "w.ech.k": 4,
}


def fresh(monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.chdir(ROOT)
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=TIMEOUT)
    app.run()
    return app


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> AppTest:
    return fresh(monkeypatch)


def set_options(at: AppTest) -> None:
    go(at, "index")
    at.selectbox(key="w.idx.weights").set_value("critic").run()
    at.selectbox(key="w.idx.scope").set_value("year").run()
    at.number_input(key="w.idx.shift").set_value(0.001).run()
    at.button(key="btn.index").click().run()
    go(at, "disparity")
    at.selectbox(key="w.ech.rule").set_value("quantiles").run()
    at.number_input(key="w.ech.k").set_value(4).run()
    ok(at)


def open_project(at: AppTest, text: str) -> AppTest:
    at.file_uploader(key="up.project").set_value(
        ("project.toml", text.encode("utf-8"), "application/toml")
    ).run()
    return at


def saved(at: AppTest) -> str:
    go(at, "export")
    assert "dl.project" in {b.key for b in at.download_button}
    return at.session_state["project.toml"]


def test_download_reset_open_default_data(at: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    set_options(at)
    go(at, "export")
    at.radio(key="w.lang").set_value("zh").run()
    text = saved(at)
    project = Project.from_toml(text)
    # the file says what the session holds, checked by the library's own families
    assert project.data.builtin
    assert project.data.region == nqpf.datasets.PWT_REGION
    assert project.option("index") == IndexOptions(weights="critic", scope="year", shift=0.001)
    assert project.option("echelons") == EchelonOptions(rule="quantiles", k=4)
    assert project.option("report") == ReportOptions(echelon_rule="quantiles", k=4, language="zh")
    panel, spec = nqpf.load_pwt()
    assert project.spec == spec

    # a new session: nothing chosen, then the project opened from the sidebar
    again = fresh(monkeypatch)
    assert again.session_state["w.lang"] == "en"
    open_project(again, text)
    ok(again)
    assert again.session_state["w.lang"] == "zh"
    for key, value in SET.items():
        assert again.session_state[key] == value, key
    compute_index(again)
    for key in ("w.idx.weights", "w.idx.scope", "w.idx.shift"):
        assert again.session_state[key] == SET[key], key
    shown = frame(again, "df.scores")
    expected = nqpf.entropy_topsis(
        panel, spec, weights="critic", scope="year", shift=0.001, keep=["continent"]
    ).scores
    score = shown.get_column("score").to_list()
    assert score == pytest.approx(expected.get_column("score").to_list(), rel=1e-12)
    # the disparity page shows the saved echelons
    go(again, "disparity")
    assert again.selectbox(key="w.ech.rule").value == "quantiles"
    assert again.number_input(key="w.ech.k").value == 4
    # and saving again gives the same project
    assert Project.from_toml(saved(again)) == project


def test_uploaded_data_is_asked_for_and_checked(
    at: AppTest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    upload(at, "provinces.csv", panel_csv())
    ok(at)
    compute_index(at)
    before = frame(at, "df.scores")
    go(at, "index")
    at.selectbox(key="w.idx.method").set_value("linear").run()
    text = saved(at)
    project = Project.from_toml(text)
    assert not project.data.builtin
    assert project.data.file == "provinces.csv"

    again = fresh(monkeypatch)
    open_project(again, text)
    ok(again)
    assert again.session_state["project.pending"] == project
    # another file: one line, nothing applied
    again.file_uploader(key="up.project.data").set_value(
        ("provinces.csv", panel_csv(seed=7), "text/csv")
    ).run()
    assert len(errors(again)) == 1, errors(again)
    assert "SHA-256" in errors(again)[0]
    assert again.session_state["w.data.source"] == "default"  # nothing applied
    # the saved file: applied
    again.file_uploader(key="up.project.data").set_value(
        ("provinces.csv", panel_csv(), "text/csv")
    ).run()
    ok(again)
    assert again.session_state["w.idx.method"] == "linear"
    assert again.session_state["w.data.source"] == "upload"
    go(again, "data")
    assert again.session_state["w.data.region"] == project.data.region
    go(again, "index")
    again.selectbox(key="w.idx.method").set_value("topsis").run()
    compute_index(again)
    assert frame(again, "df.scores").equals(before)
    # the app's project file runs from the shell beside its data: the same weights
    (tmp_path / "provinces.csv").write_bytes(panel_csv())
    Project.from_toml(text).write(tmp_path / "project.toml")
    out = tmp_path / "report"
    assert main(["run", str(tmp_path / "project.toml"), "--out", str(out)]) == 0
    panel = read_panel(
        panel_frame(), region=project.data.region, year=project.data.year, options=ReadOptions()
    )
    expected = nqpf.entropy_topsis(panel, project.spec, method="linear")
    weights = pl.read_csv(out / "tables" / "weights.csv")
    assert weights.get_column("weight").to_list() == pytest.approx(
        expected.weights.get_column("weight").to_list(), rel=1e-12
    )
    # the linear index's scores (region × year), as saved from the Index page
    wide = pl.read_csv(out / "tables" / "scores_by_year.csv")
    region, year = project.data.region, project.data.year
    for row in expected.scores.iter_rows(named=True):
        shown = wide.filter(pl.col(region) == row[region]).get_column(str(row[year])).item()
        assert shown == pytest.approx(row["score"], rel=1e-12)
    # a saved None (no seed chosen) leaves the page its own start, not an empty widget
    assert "w.boot.seed" not in again.session_state
    go(again, "disparity")


def test_a_bad_project_is_one_line_in_chinese(at: AppTest) -> None:
    at.radio(key="w.lang").set_value("zh").run()
    bad = '[data]\nfile = "a.csv"\n[options.index]\nweight = "critic"\n[[indicator]]\nname = "x"\n'
    open_project(at, bad)
    assert len(errors(at)) == 1, errors(at)
    assert "weights" in errors(at)[0]
    assert "（英文原文）" not in errors(at)[0], errors(at)  # every part translated


def test_the_binding_table_names_real_widgets() -> None:
    """Every bound option exists in its family and its key is a persistent widget key."""
    for name, binding in project_state.BINDINGS.items():
        assert binding.family.family == name
        for info in binding.shown():
            assert binding.key(info.name).startswith("w.")
    keys = [b.key(i.name) for b in project_state.BINDINGS.values() for i in b.shown()]
    assert len(keys) == len(set(keys))


def test_one_markov_k_for_the_report_and_the_chain(at: AppTest) -> None:
    """A project with the report's markov_k and no [options.markov] reopens with that k
    for the chain too, and saves both alike (build_report refuses two different k)."""
    _panel, spec = nqpf.load_pwt()
    project = Project(
        DataSource(
            file="pwt_panel.csv",
            builtin=True,
            region=nqpf.datasets.PWT_REGION,
            year=nqpf.datasets.PWT_YEAR,
        ),
        spec,
        options={"report": ReportOptions(markov_k=5)},
    )
    open_project(at, project.to_toml())
    ok(at)
    again = Project.from_toml(saved(at))
    assert again.option("markov").k == 5
    assert again.option("report").markov_k == 5


def test_a_project_is_offered_after_every_page_was_visited(at: AppTest) -> None:
    """Each page's widgets are read for the project as the page reads them: an empty
    coupling α (equal weights) was read as no weights at all, and the Export page then
    offered no project."""
    compute_index(at)
    for page in ("dynamics", "inequality", "coupling", "geodetector", "robustness"):
        go(at, page)
    project = Project.from_toml(saved(at))
    assert project.option("coupling").alpha is None
