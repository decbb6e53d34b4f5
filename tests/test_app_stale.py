"""Staleness in the app (issue 15, deliverable 5): every derived result records the
inputs it came from, the Export page offers only the tables of the current inputs,
and a badge says what is stale; the R check checks the run the user chose.

AppTest from the entry point, as tests/test_app.py (its helpers are reused).
"""

from __future__ import annotations

import contextlib
import importlib.util
import io

import polars as pl
import pytest

pytest.importorskip("streamlit", reason="the app extra (streamlit) is not installed")
from app_panel import panel_csv
from streamlit.testing.v1 import AppTest, app_test
from test_app import compute_index, frame, go, ok, upload
from test_app_figures import ROOT, TIMEOUT, Recorder, download

import nqpf
from nqpf.app import i18n, state


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.chdir(ROOT)  # AppTest reads .streamlit/config.toml from the working directory
    monkeypatch.setattr(app_test, "MediaFileManager", Recorder)  # downloads can be fetched
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=TIMEOUT)
    app.run()
    return app


def workbook_sheets(at: AppTest) -> dict[str, pl.DataFrame]:
    """The sheets of the Export page's "all tables" workbook, as downloaded."""
    go(at, "export")
    return pl.read_excel(io.BytesIO(download(at, "dl.all.xlsx")), sheet_id=0)


def offered(at: AppTest) -> set[str]:
    """The table names the Export page offers (its options read "<title> (<name>)")."""
    go(at, "export")
    return {o.rsplit("(", 1)[-1].rstrip(")") for o in at.selectbox(key="w.exp.table").options}


def badges(at: AppTest) -> list[str]:
    """The stale badges shown (``st.badge`` is Markdown: ``:orange-badge[...]``)."""
    return [m.value for m in at.markdown if "orange-badge" in m.value]


def test_regrouped_dagum_is_never_mixed_into_the_export(at: AppTest) -> None:
    """The issue's case: Dagum by echelon, regroup by the panel's group, export."""
    upload(at, "provinces.csv", panel_csv())
    compute_index(at)
    go(at, "disparity")
    at.button(key="btn.dagum").click().run()  # by the echelons
    ok(at)
    tiers = set(frame(at, "df.tiers")["label"])
    assert set(frame(at, "df.dagum_within")["group"]) == tiers
    assert not badges(at)
    assert {"scores", "echelons", "dagum_summary", "dagum_within"} <= offered(at)
    assert not at.warning

    # regroup by `area` without decomposing again: the shown tables are stale
    go(at, "disparity")
    at.selectbox(key="w.dag.group").set_value("area").run()
    ok(at)
    (badge,) = badges(at)  # one badge naming the four Dagum tables
    for name in ("dagum_summary", "dagum_within", "dagum_between", "dagum_period_mean"):
        assert i18n.TEXT[f"table.{name}"][0] in badge
    assert "grouping or weights" in badge
    names = offered(at)
    assert not names & {"dagum_summary", "dagum_within"}
    assert {"scores", "echelons"} <= names  # the current ones stay
    assert any("Left out of the export" in w.value for w in at.warning)
    sheets = workbook_sheets(at)
    assert "scores" in sheets
    assert not {n for n in sheets if n.startswith("dagum")}

    # decomposed by `area`: current again, and only the `area` split is offered
    go(at, "disparity")
    at.button(key="btn.dagum").click().run()
    ok(at)
    assert not badges(at)
    assert "dagum_within" in offered(at)
    entry = state.Published(*at.session_state[state.PUBLISHED]["dagum_within"])
    assert set(entry.table["group"]) == {"西南", "西北"}
    sheets = workbook_sheets(at)
    assert set(sheets["dagum_within"]["group"]) == {"西南", "西北"}  # one split only
    recorded = dict(entry.inputs)
    assert recorded["run.dagum"].grouping == "area"
    assert recorded["run.index"] == at.session_state["run.index"]

    # a new index run makes every table of the old one stale, on pages not visited too
    go(at, "index")
    at.selectbox(key="w.idx.weights").set_value("critic").run()
    at.button(key="btn.index").click().run()
    ok(at)
    names = offered(at)
    assert {"scores", "weights"} <= names
    assert not names & {"echelons", "echelon_tiers", "dagum_summary", "dagum_period_mean"}
    (badge,) = badges(at)
    assert "the index run" in badge


def test_export_spec_is_the_runs_spec(at: AppTest) -> None:
    """The exported spec is the one the scores were computed with, not the one edited
    since (the edited one is for the next run)."""
    compute_index(at)
    run_spec = at.session_state["run.index"].spec
    current = at.session_state["spec.current"]
    at.session_state["spec.current"] = current.head(current.height - 1)
    go(at, "export")
    at.selectbox(key="w.exp.table").set_value("spec").run()
    assert frame(at, "df.export_preview").height == len(run_spec)


def test_a_table_published_from_widgets_records_them(at: AppTest) -> None:
    """The default inputs of ``state.publish`` (what the new pages get without passing
    any): the index run and the widgets the page drew before publishing, not the
    language and not another page's widgets."""
    compute_index(at)
    go(at, "disparity")
    inputs = dict(at.session_state[state.PUBLISHED]["echelons"][1])
    assert inputs["run.index"] == at.session_state["run.index"]
    assert {"w.ech.rule", "w.ech.k", "w.ech.labels"} <= set(inputs)
    assert not {"w.lang", "w.idx.weights", "w.dag.group"} & set(inputs)
    # a widget the echelons depend on changed on their page: republished, current
    at.number_input(key="w.ech.k").set_value(4).run()
    assert dict(at.session_state[state.PUBLISHED]["echelons"][1])["w.ech.k"] == 4
    assert "echelons" in offered(at)
    # the language changes no result
    at.radio(key="w.lang").set_value("zh").run()
    assert "echelons" in offered(at)


def test_stale_paper_report_is_not_offered(at: AppTest) -> None:
    compute_index(at)
    go(at, "export")
    at.button(key="btn.paper").click().run()
    ok(at)
    assert "dl.exp.paper.html" in {b.key for b in at.download_button}
    go(at, "index")
    at.selectbox(key="w.idx.weights").set_value("equal").run()
    at.button(key="btn.index").click().run()
    go(at, "export")
    assert "dl.exp.paper.html" not in {b.key for b in at.download_button}
    assert any("Paper report" in b for b in badges(at))


@pytest.mark.filterwarnings("ignore:R is not initialized by the main thread")
def test_r_check_checks_the_chosen_run_and_goes_stale(at: AppTest) -> None:
    """The R check of configuration B is B's run (its CRITIC weights), the Index page's
    is the Index page's; a check made with the echelon split is stale once the Dagum
    decomposition is regrouped, and left out of the export."""
    with contextlib.suppress(Exception):  # R or rpy2 absent: the rows are skipped instead
        import rpy2.robjects  # noqa: F401
    if importlib.util.find_spec("nqpf.crossval") is None:
        pytest.skip("nqpf.crossval is not in this checkout")
    upload(at, "provinces.csv", panel_csv())
    compute_index(at)
    go(at, "disparity")
    at.button(key="btn.dagum").click().run()
    go(at, "compare")
    at.selectbox(key="w.cmp.preset").set_value("entropy_vs_critic").run()
    at.button(key="btn.compare").click().run()
    ok(at)
    assert at.radio(key="w.cv.target").options == [
        "The Index page's run",
        "Configuration A",
        "Configuration B",
    ]
    at.radio(key="w.cv.target").set_value("b").run()
    at.button(key="btn.crossval").click().run()
    ok(at)
    inputs, report = at.session_state["cv.report"]
    key_b = at.session_state["run.compare"][1]
    assert inputs["run.compare"][1] == key_b
    assert dict(key_b.options)["weights"] == "critic"
    assert "run.dagum" not in inputs  # the decomposition was of the Index page's run
    # the python column holds B's numbers: its weights are critic weights of the API
    panel = nqpf.read_panel(panel_csv(), region="province", year="year", name="provinces.csv")
    spec = state.spec_from_records(key_b.spec)
    expected = nqpf.entropy_topsis(panel, spec, options=state.index_options_of(key_b))
    notes = " ".join(report.get_column("note").drop_nulls().to_list())
    assert "critic" in notes
    score_rows = report.filter(pl.col("quantity") == "score", pl.col("status") == "compared")
    if score_rows.height:  # R is here: the compared score is B's
        python = score_rows.get_column("python").to_list()
        assert set(python) <= set(expected.scores.get_column("score").to_list())
    assert any("Configuration B" in c.value for c in at.caption)

    # the Index page's run, with its decomposition by echelon
    at.radio(key="w.cv.target").set_value("index").run()
    assert any("report is for an earlier run" in w.value for w in at.warning)
    at.button(key="btn.crossval").click().run()
    ok(at)
    inputs, _report = at.session_state["cv.report"]
    assert inputs["run.index"] == at.session_state["run.index"]
    assert inputs["run.dagum"] == at.session_state["run.dagum"]
    assert "crossval" in offered(at)

    # regroup and decompose again: the R check is of the echelon split, left out
    go(at, "disparity")
    at.selectbox(key="w.dag.group").set_value("area").run()
    at.button(key="btn.dagum").click().run()
    ok(at)
    names = offered(at)
    assert "crossval" not in names
    assert "dagum_summary" in names
    assert any("Python against R" in w.value for w in at.warning)
    go(at, "compare")
    assert any("report is for an earlier run" in w.value for w in at.warning)
    assert badges(at)


def test_tables_show_every_row_or_say_how_many(at: AppTest) -> None:
    """A table up to 15 rows is as tall as its rows (no caption); a longer one scrolls
    and says how many rows it has (issue 15: fixed heights hid rows)."""
    compute_index(at)
    scores = at.get_by_key("df.scores")
    assert [c.value for c in scores.caption] == ["2,106 rows"]
    assert state.table_height(2106) == (state.MAX_ROWS + 1) * state.ROW_PX + state.BORDER_PX
    weights = at.get_by_key("df.weights")  # 7 indicators: all shown, nothing to say
    assert not list(weights.caption)
    assert state.table_height(7) == 8 * state.ROW_PX + state.BORDER_PX
    at.radio(key="w.lang").set_value("zh").run()
    assert [c.value for c in at.get_by_key("df.scores").caption] == ["共 2,106 行"]
