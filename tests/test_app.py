"""Streamlit app tests with ``streamlit.testing.v1.AppTest``: every page, in process.

Each test starts from the entry point (``streamlit_app.py``, the ``st.navigation``
router) and switches pages as a user would; widgets are found by their ``key``.
Uploads go through ``FileUploader.set_value`` (streamlit ≥ 1.67). The browser
test is ``tests/test_app_e2e.py``.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import re
import sys
import zipfile
from pathlib import Path

import polars as pl
import pytest

pytest.importorskip("streamlit", reason="the app extra (streamlit) is not installed")
from app_panel import PROVINCES, YEARS, panel_csv, panel_frame, spec_csv
from streamlit.testing.v1 import AppTest

from nqpf.app import export, i18n
from nqpf.report import Report, ReportTable

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "pkg" / "nqpf" / "app" / "app_pages"
TIMEOUT = 60


def page_path(name: str) -> str:
    return f"pkg/nqpf/app/app_pages/{name}.py"


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> AppTest:
    # AppTest reads .streamlit/config.toml from the working directory
    monkeypatch.chdir(ROOT)
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=TIMEOUT)
    app.run()
    return app


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def ok(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert not errors(at), errors(at)


def go(at: AppTest, name: str) -> AppTest:
    at.switch_page(page_path(name)).run()
    ok(at)
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def upload(at: AppTest, name: str, data: bytes, mime: str = "text/csv") -> AppTest:
    at.radio(key="w.data.source").set_value("upload").run()
    at.file_uploader(key="up.panel").set_value((name, data, mime)).run()
    return at


def frame(at: AppTest, key: str) -> pl.DataFrame:
    """The table a page shows in the container ``key``."""
    return pl.from_pandas(at.get_by_key(key).dataframe[0].value)


def published(at: AppTest) -> dict[str, pl.DataFrame]:
    """The tables the pages offered on the Export page (nqpf.app.state.publish), by name."""
    from nqpf.app import state

    return {name: entry.table for name, entry in at.session_state[state.PUBLISHED].items()}


def chart_keys(at: AppTest) -> set[str]:
    """The keys of the charts shown (an SVG image drawn by nqpf.figures)."""
    return {b.key for b in at.container if b.key and b.key.startswith("ch.") and b.get("image")}


def chart_svg(at: AppTest, key: str) -> str:
    """The SVG text of chart ``key`` as the page shows it (a data: URL)."""
    import base64

    url = at.get_by_key(key).get("image")[0].proto.imgs[0].url
    head, _, data = url.partition(",")
    assert head == "data:image/svg+xml;base64", head
    return base64.b64decode(data).decode("utf-8")


def open_charts(at: AppTest) -> AppTest:
    """Open the Index page's Charts tab: a lazy tab, its charts are drawn only while it
    is open (and it closes on a page switch, as a tab does)."""
    language = 1 if at.session_state["w.lang"] == "zh" else 0
    at.session_state["idx.tabs"] = i18n.TEXT["idx.tab.charts"][language]
    at.run()
    ok(at)
    return at


def compute_index(at: AppTest) -> AppTest:
    go(at, "index")
    at.button(key="btn.index").click().run()
    ok(at)
    return at


# --------------------------------------------------------------------- data


def test_default_data_loads(at: AppTest) -> None:
    ok(at)
    assert metrics(at) == {"Regions": "117", "Years": "18", "Rows": "2106", "Indicators": "7"}
    assert at.selectbox(key="w.data.region").value == "country"
    assert at.selectbox(key="w.data.group").value == "continent"
    assert frame(at, "df.preview").height == 200
    assert any("Panel ready" in s.value for s in at.success)


def test_upload_limit_is_in_the_help(at: AppTest) -> None:
    at.radio(key="w.data.source").set_value("upload").run()
    help_text = at.file_uploader(key="up.panel").help
    assert "50 MB" in help_text  # .streamlit/config.toml: server.maxUploadSize = 50


def test_upload_csv_panel(at: AppTest) -> None:
    upload(at, "provinces.csv", panel_csv())
    ok(at)
    assert metrics(at) == {"Regions": "12", "Years": "11", "Rows": "132", "Indicators": "15"}
    assert at.selectbox(key="w.data.region").value == "province"
    assert at.selectbox(key="w.data.year").value == "year"
    assert at.selectbox(key="w.data.group").value == "area"


def test_upload_long_form_and_gbk(at: AppTest) -> None:
    long = (
        panel_frame()
        .drop("area")
        .unpivot(index=["province", "year"], variable_name="indicator", value_name="value")
    )
    data = long.write_csv().encode("gbk")
    upload(at, "long.csv", data)
    ok(at)
    assert at.radio(key="w.data.form").value == "long"
    assert metrics(at)["Indicators"] == "15"


@pytest.mark.parametrize("kind", ["xlsx", "parquet"])
def test_upload_xlsx_and_parquet(at: AppTest, kind: str) -> None:
    buffer = io.BytesIO()
    if kind == "xlsx":
        panel_frame().write_excel(buffer)
    else:
        panel_frame().write_parquet(buffer)
    upload(at, f"provinces.{kind}", buffer.getvalue(), "application/octet-stream")
    ok(at)
    assert metrics(at) == {"Regions": "12", "Years": "11", "Rows": "132", "Indicators": "15"}
    compute_index(at)
    assert frame(at, "df.weights").height == 15


def test_missing_values_policy(at: AppTest) -> None:
    gap = panel_frame().with_columns(
        pl.when((pl.col("province") == "甘肃") & (pl.col("year") == 2016))
        .then(None)
        .otherwise(pl.col("x07"))
        .alias("x07")
    )
    upload(at, "gap.csv", gap.write_csv().encode())
    ok(at)
    go(at, "index")
    at.button(key="btn.index").click().run()
    (message,) = errors(at)
    assert "column 'x07': missing value of 'x07' for 甘肃 2016" in message
    # the advice names the widget, not the API's missing='interpolate'
    assert "“Missing values: Interpolate within region”" in message
    assert "missing=" not in message
    at.selectbox(key="w.idx.missing").set_value("interpolate").run()
    at.button(key="btn.index").click().run()
    ok(at)
    assert frame(at, "df.scores").height == 132


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("empty.csv", b"", "the file is empty"),
        ("dup.csv", b"region,year,x\nA,2020,1\nA,2020,2\nB,2020,3\n", "duplicate region-year"),
        ("years.csv", b"region,year,x\nA,20x0,1\nB,2020,3\n", "not a whole number"),
        (
            "latin1.csv",
            "region,year,x\nMünchen\xff,2020,1\n".encode("latin-1") + b"\x81\xff",
            "neither UTF-8 nor GBK",
        ),
    ],
)
def test_bad_upload_shows_one_line(at: AppTest, name: str, data: bytes, expected: str) -> None:
    upload(at, name, data)
    assert not at.exception
    messages = errors(at)
    assert len(messages) == 1, messages
    assert expected in messages[0]
    assert "\n" not in messages[0]
    assert "Traceback" not in messages[0]
    assert messages[0].startswith("Input problem:")
    # the other pages refuse politely instead of computing on a bad panel
    go(at, "index")
    assert any("Data page" in i.value for i in at.info)


def test_bad_cell_is_named_on_the_data_page_and_when_the_index_runs(at: AppTest) -> None:
    frame_ = panel_frame().with_columns(pl.col("x03").cast(pl.String))
    frame_ = frame_.with_columns(
        pl.when(pl.int_range(pl.len()) == 4)
        .then(pl.lit("n/a?"))
        .otherwise(pl.col("x03"))
        .alias("x03")
    )
    upload(at, "typo.csv", frame_.write_csv().encode())
    assert not at.exception
    # the Data page checks every indicator cell before it says "Panel ready"
    (message,) = errors(at)
    assert "typo.csv, row 6, column 'x03': non-numeric value 'n/a?'" in message
    assert not any("Panel ready" in s.value for s in at.success)
    # the typo stays in the spec as an indicator, and the index names it too
    at.switch_page(page_path("index")).run()
    assert not at.exception
    at.button(key="btn.index").click().run()
    assert not at.exception
    (message,) = errors(at)
    assert "typo.csv, row 6, column 'x03': non-numeric value 'n/a?'" in message


# --------------------------------------------------------------- indicators


def test_indicators_edit_upload_download(at: AppTest) -> None:
    upload(at, "provinces.csv", panel_csv())
    go(at, "indicators")
    assert any("15 indicators in 1 dimension " in s.value for s in at.success)
    # edit in the table: x14 becomes a cost indicator, x15 is deleted
    version = at.session_state["spec.version"]
    at.session_state[f"ed.spec.{version}"] = {
        "edited_rows": {13: {"direction": "-", "dimension": "green"}},
        "added_rows": [],
        "deleted_rows": [14],
    }
    at.run()
    ok(at)
    assert any("14 indicators in 2 dimensions (13 benefit, 1 cost)" in s.value for s in at.success)
    # the edit survives a page switch
    go(at, "index")
    go(at, "indicators")
    assert any("14 indicators" in s.value for s in at.success)
    # upload a spec file: 3 dimensions, 2 cost indicators
    at.file_uploader(key="up.spec").set_value(("spec.csv", spec_csv(), "text/csv")).run()
    ok(at)
    assert any("15 indicators in 3 dimensions (13 benefit, 2 cost)" in s.value for s in at.success)
    assert {b.key for b in at.download_button} >= {"dl.spec.csv", "dl.spec.toml"}


def test_bad_spec_file(at: AppTest) -> None:
    go(at, "indicators")
    bad = b"indicator,dimension,direction\ngdp_pc,output,up\n"
    at.file_uploader(key="up.spec").set_value(("bad.csv", bad, "text/csv")).run()
    assert not at.exception
    (message,) = errors(at)
    assert "direction 'up' of indicator 'gdp_pc' is neither '+' nor '-'" in message
    # a spec naming a column the panel lacks
    absent = b"indicator,dimension,direction\nnot_a_column,x,+\n"
    at.file_uploader(key="up.spec").set_value(("absent.csv", absent, "text/csv")).run()
    (message,) = errors(at)
    assert "not_a_column" in message


# -------------------------------------------------------------------- index


def test_index_default_and_options(at: AppTest) -> None:
    go(at, "index")
    assert any("Compute index" in i.value for i in at.info)
    at.button(key="btn.index").click().run()
    ok(at)
    weights = frame(at, "df.weights")
    assert weights.height == 7
    # m = 7 weights d_j/Σd: |Σ w − 1| ≤ 2mε ≈ 3e-15 (one rounding each, m − 1 additions)
    assert abs(weights["weight"].sum() - 1) <= 2 * weights.height * 2.0**-52
    scores = frame(at, "df.scores")
    assert scores.height == 2106
    assert scores["score"].is_between(0, 1).all()
    assert chart_keys(at) == {"ch.weights", "ch.dimension_weights"}  # the Charts tab is lazy
    open_charts(at)
    assert chart_keys(at) >= {"ch.weights", "ch.trend", "ch.rank", "ch.dimensions"}
    # per-year CRITIC weights: a stale warning first, then one weight vector per year
    at.selectbox(key="w.idx.weights").set_value("critic")
    at.selectbox(key="w.idx.scope").set_value("year").run()
    assert any("press “Compute index”" in w.value for w in at.warning)
    at.button(key="btn.index").click().run()
    ok(at)
    assert not at.warning
    weights = frame(at, "df.weights")
    assert weights.height == 7 * 18
    assert "year" in weights.columns
    # the linear index disables the TOPSIS-only options
    at.selectbox(key="w.idx.method").set_value("linear").run()
    assert at.selectbox(key="w.idx.topsis").disabled
    at.selectbox(key="w.idx.view_year").set_value(2017).run()
    assert frame(at, "df.scores")["year"].unique().to_list() == [2017]


def test_index_rejects_bad_options_inline(at: AppTest) -> None:
    go(at, "index")
    at.selectbox(key="w.idx.ideal").set_value("absolute")
    at.selectbox(key="w.idx.normalization").set_value("vector").run()
    at.button(key="btn.index").click().run()
    assert not at.exception
    (message,) = errors(at)
    # the library's ideal='absolute' is named by its widget and choice (nqpf.app.wording)
    from nqpf.options import IndexOptions

    ideal = IndexOptions.info("ideal")
    assert f"“{ideal.title()}: {ideal.choice_title('absolute')}” needs the min–max scale" in message
    assert "ideal=" not in message


# ---------------------------------------------------------------- disparity


def test_disparity_echelons_dagum_bootstrap(at: AppTest) -> None:
    upload(at, "provinces.csv", panel_csv())
    go(at, "disparity")
    assert any("Index page" in i.value for i in at.info)
    compute_index(at)
    go(at, "disparity")
    tiers = frame(at, "df.tiers")
    assert tiers["n"].sum() == len(PROVINCES)
    assert tiers.height == 3
    # sensitivity across rules: computed once its expander is opened
    with pytest.raises(KeyError):
        at.get_by_key("df.sensitivity")
    at.session_state["ex.dis.sensitivity"] = True
    at.run()
    assert frame(at, "df.sensitivity").height == len(PROVINCES)
    # thresholds: a bad entry is one line, a good one tiers
    at.selectbox(key="w.ech.rule").set_value("thresholds").run()
    at.text_input(key="w.ech.thresholds").input("0.5; 0.3").run()
    assert errors(at)
    assert "comma" in errors(at)[0]
    at.text_input(key="w.ech.thresholds").input("0.5, 0.3").run()
    ok(at)
    assert frame(at, "df.tiers").height == 3
    # a panel column as the tiers (only columns with a few groups are offered)
    at.selectbox(key="w.ech.rule").set_value("column").run()
    assert at.selectbox(key="w.ech.column").options == ["area"]
    assert sorted(frame(at, "df.tiers")["label"]) == ["西北", "西南"]
    at.selectbox(key="w.ech.rule").set_value("jenks")
    at.selectbox(key="w.ech.labels").set_value("zh").run()
    assert frame(at, "df.tiers")["label"].to_list() == ["第一梯队", "第二梯队", "第三梯队"]
    # Dagum by echelon, year by year
    at.button(key="btn.dagum").click().run()
    ok(at)
    summary = frame(at, "df.dagum_summary")
    assert summary.height == len(YEARS)
    total = summary["Gw"] + summary["Gnb"] + summary["Gt"]
    # G, Gw, Gnb, Gt each within nε absolute (n = 117 units a year): 4nε ≈ 1e-13
    assert ((total - summary["G"]).abs() <= 4 * 117 * 2.0**-52).all()
    assert set(frame(at, "df.dagum_within")["group"]) == {"第一梯队", "第二梯队", "第三梯队"}
    assert frame(at, "df.dagum_period")["quantity"][0] == "G"
    assert chart_keys(at) >= {"ch.dagum", "ch.within", "ch.gjh", "ch.djh"}
    # by the panel's own group column instead
    at.selectbox(key="w.dag.group").set_value("area").run()
    assert at.warning  # stale until decomposed again
    at.button(key="btn.dagum").click().run()
    ok(at)
    assert set(frame(at, "df.dagum_within")["group"]) == {"西南", "西北"}
    # a result computed on other data is flagged, not silently mixed
    go(at, "data")
    at.radio(key="w.data.source").set_value("default").run()
    go(at, "disparity")
    assert any("provinces.csv" in w.value for w in at.warning)
    go(at, "data")
    at.radio(key="w.data.source").set_value("upload").run()
    go(at, "disparity")
    assert not at.warning
    # bootstrap intervals with a progress bar
    assert at.number_input(key="w.boot.B").value == 999
    at.number_input(key="w.boot.B").set_value(49).run()
    at.button(key="btn.boot").click().run()
    ok(at)
    assert "ch.intervals" in chart_keys(at)
    intervals = frame(at, "df.intervals")
    assert {"quantity", "lower", "upper"} <= set(intervals.columns)
    assert (intervals["B"] <= 49).all()


# ------------------------------------------------------------------ compare


def test_compare_two_configurations(at: AppTest) -> None:
    go(at, "compare")
    assert at.selectbox(key="w.cmp.a.scope").value == "panel"
    assert at.selectbox(key="w.cmp.b.scope").value == "year"
    at.selectbox(key="w.cmp.preset").set_value("entropy_vs_critic").run()
    assert at.selectbox(key="w.cmp.a.weights").value == "entropy"
    assert at.selectbox(key="w.cmp.b.weights").value == "critic"
    assert at.selectbox(key="w.cmp.b.scope").value == "panel"
    at.button(key="btn.compare").click().run()
    ok(at)
    values = metrics(at)
    tau = float(values["Kendall's τ (all region-years)"])
    rho = float(values["Spearman's ρ (all region-years)"])
    assert 0 < tau <= rho <= 1
    agreement = frame(at, "df.agreement_ab")
    assert agreement.height == 19
    assert agreement["year"][-1] == "all"
    assert frame(at, "df.compare")["year"].unique().to_list() == [2017]
    # same configuration on both sides: perfect agreement
    at.selectbox(key="w.cmp.preset").set_value("custom").run()
    at.selectbox(key="w.cmp.b.weights").set_value("entropy").run()
    at.button(key="btn.compare").click().run()
    assert float(metrics(at)["Kendall's τ (all region-years)"]) == 1.0


@pytest.mark.filterwarnings("ignore:R is not initialized by the main thread")
def test_compare_r_section(at: AppTest) -> None:
    """The crossval report of the current run (index and decomposition by echelon).

    rpy2 is first imported here, in the test's thread, and the app then calls R
    from its script threads (a new one per rerun): R calls must work there too.
    """
    with contextlib.suppress(Exception):  # R or rpy2 absent: the rows are skipped instead
        import rpy2.robjects  # noqa: F401
    if importlib.util.find_spec("nqpf.crossval") is None:
        pytest.skip("nqpf.crossval is not in this checkout (see test_compare_without_crossval)")
    go(at, "compare")
    at.button(key="btn.crossval").click().run()  # before an index run: the routine list only
    ok(at)
    routines = frame(at, "df.routines")
    assert {"routine", "status"} <= set(routines.columns)
    compute_index(at)
    go(at, "disparity")
    at.button(key="btn.dagum").click().run()
    go(at, "compare")
    at.button(key="btn.crossval").click().run()
    ok(at)
    report = frame(at, "df.crossval")
    assert report.columns[0] == "✓"
    assert {"quantity", "python", "routine", "r_value", "rel_diff", "tolerance", "ok"} <= set(
        report.columns
    )
    assert set(report["✓"]) <= {"✓ pass", "– skipped"}  # nothing fails
    at.button(key="btn.crossval").click().run()  # again, from another script thread
    ok(at)
    assert frame(at, "df.crossval").height == report.height
    compared = report.filter(pl.col("status") == "compared")
    if compared.height:  # R is here: the Dagum terms of the echelon split were compared
        assert {"G", "Gw", "Gnb", "Gt", "Gjj"} <= set(compared["quantity"])
        assert any("agree with R" in s.value for s in at.success)
    else:
        assert report["note"].str.contains("R").all()
    go(at, "export")
    assert "Python against R (crossval)" in at.selectbox(key="w.exp.table").options


def test_compare_without_crossval(at: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Until nqpf.crossval exists the section says so and lists the R routines only."""
    monkeypatch.setitem(sys.modules, "nqpf.crossval", None)  # import fails
    compute_index(at)
    go(at, "compare")
    assert any("Not available yet: nqpf.crossval" in i.value for i in at.info)
    at.button(key="btn.crossval").click().run()
    ok(at)
    assert frame(at, "df.routines").height > 0
    with pytest.raises(KeyError):
        at.get_by_key("df.crossval")


# ------------------------------------------------------------------- export


def test_export_page(at: AppTest) -> None:
    go(at, "export")
    assert at.selectbox(key="w.exp.table").options == ["Indicator system (spec)"]
    compute_index(at)
    go(at, "disparity")
    at.button(key="btn.dagum").click().run()
    go(at, "export")
    names = at.selectbox(key="w.exp.table").options
    assert {"scores", "weights", "echelons", "dagum_summary"} <= {
        n.split("(")[-1].rstrip(")") for n in names
    }
    assert {b.key for b in at.download_button} == {
        "dl.project",  # Download project (nqpf.app.project_state)
        "dl.table.csv",
        "dl.table.xlsx",
        "dl.table.tex",
        "dl.all.xlsx",
        "dl.all.zip",
    }
    at.selectbox(key="w.exp.table").set_value("dagum_summary").run()
    ok(at)
    assert frame(at, "df.export_preview").height == 18
    # the paper report of nqpf.report, built on demand
    at.button(key="btn.paper").click().run()
    ok(at)
    assert {"dl.exp.paper.html", "dl.exp.paper.zip"} <= {b.key for b in at.download_button}
    _key, report = at.session_state["paper"]
    html = export.report_html(report)
    assert html.startswith(b"<!DOCTYPE html>")
    assert b"<svg" in html
    with zipfile.ZipFile(io.BytesIO(export.report_zip(report))) as archive:
        names = set(archive.namelist())
        assert {"report/report.html", "report/report.md", "report/report.tex"} <= names
        assert b"Dagum" in archive.read("report/report.md")
        assert rb"\toprule" in archive.read("report/report.tex")


def test_the_apps_report_is_nqpf_reports(at: AppTest, tmp_path: Path) -> None:
    """The app's report download is :func:`nqpf.report.build_report`'s document for the
    app's current options (here CRITIC weights, quantile echelons with k = 4, the Data
    page's group column): the same sections, tables, pages and report folder as the
    library's report built from the same panel and options."""
    import nqpf
    from nqpf.report import build_report

    go(at, "index")
    at.selectbox(key="w.idx.weights").set_value("critic").run()
    at.button(key="btn.index").click().run()
    ok(at)
    go(at, "disparity")
    at.selectbox(key="w.ech.rule").set_value("quantiles").run()
    at.number_input(key="w.ech.k").set_value(4).run()
    at.button(key="btn.dagum").click().run()
    ok(at)
    go(at, "export")
    at.button(key="btn.paper").click().run()
    ok(at)
    assert {"dl.exp.paper.html", "dl.exp.paper.zip"} <= {b.key for b in at.download_button}
    _key, app_report = at.session_state["paper"]

    panel, spec = nqpf.load_pwt()
    result = nqpf.entropy_topsis(panel, spec, weights="critic", keep=["continent"])
    expected = build_report(
        result, group="continent", echelon_rule="quantiles", k=4, title="nqpf report"
    )
    assert app_report.names == expected.names  # the same sections, in order
    assert "methods" in app_report.names
    for mine, theirs in zip(app_report.entries, expected.entries, strict=True):
        assert mine.title == theirs.title, mine.name
        assert mine.note == theirs.note, mine.name
        assert mine.frame.equals(theirs.frame), mine.name
    assert app_report.report_options == expected.report_options
    assert export.report_html(app_report) == expected.to_html().encode("utf-8")
    # the ZIP is the report folder nqpf writes, file for file
    folder = tmp_path / "report"
    expected.write_folder(folder)
    with zipfile.ZipFile(io.BytesIO(export.report_zip(app_report))) as archive:
        files = {name.removeprefix("report/"): archive.read(name) for name in archive.namelist()}
    on_disk = {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file()
    }
    assert set(files) == set(on_disk)
    for name, data in on_disk.items():
        if not name.endswith(".xlsx"):  # a workbook holds its time of writing
            assert files[name] == data, name
    # no second, separate HTML export of the tables any more
    assert not hasattr(export, "html_report")


def test_export_paper_report_in_the_apps_language_and_group_order(at: AppTest) -> None:
    """The language chosen in the sidebar is the paper report's; the group order typed
    on the Export page orders its Dagum tables, and a wrong one is one line."""
    at.radio(key="w.lang").set_value("zh").run()
    compute_index(at)
    go(at, "export")
    at.text_input(key="w.exp.group_order").set_value("Oceania, Africa").run()
    at.button(key="btn.paper").click().run()
    assert "paper" not in at.session_state
    # in the app's language (nqpf.error_translations)
    assert any("group_order 漏掉了数据中的分组“Americas”" in e for e in errors(at)), errors(at)
    order = "Oceania, Europe, Asia, Americas, Africa"
    at.text_input(key="w.exp.group_order").set_value(order).run()
    at.button(key="btn.paper").click().run()
    ok(at)
    _key, report = at.session_state["paper"]
    assert b"<html lang=zh>" in export.report_html(report)
    text = report.to_markdown()
    assert "## 指标体系与权重" in text
    assert "| year | Oceania | Europe | Asia | Americas | Africa |" in text


def test_export_formats_neutralise_formulas() -> None:
    table = pl.DataFrame(
        {
            "region": ['=HYPERLINK("x")', "+cmd", "@SUM(A1)", "-2+3", "ok", "-"],
            "score": [0.5, -1.0, 2.0, 3.0, 4.0, 5.0],
        }
    )
    text = export.csv_bytes(table).decode("utf-8-sig")
    rows = text.splitlines()[1:]
    assert rows[0].startswith("\"'=HYPERLINK")
    assert rows[1].startswith("'+cmd")
    assert rows[2].startswith("'@SUM")
    assert rows[3].startswith("'-2+3")
    assert rows[4].startswith("ok")
    assert rows[5].startswith("-,")
    assert rows[1].endswith(",-1.0")  # numbers untouched
    book = export.xlsx_bytes({"t": table}, meta={"weights": "entropy"})
    back = pl.read_excel(io.BytesIO(book), sheet_name="t")
    assert back["region"].to_list()[:4] == ['\'=HYPERLINK("x")', "'+cmd", "'@SUM(A1)", "'-2+3"]
    assert pl.read_excel(io.BytesIO(book), sheet_name="options")["value"].to_list() == ["entropy"]
    with zipfile.ZipFile(io.BytesIO(export.zip_of_csv({"a": table, "b": table}))) as archive:
        assert sorted(archive.namelist()) == ["a.csv", "b.csv"]
        assert b"'=HYPERLINK" in archive.read("a.csv")


def test_latex_and_html_escape() -> None:
    table = pl.DataFrame({"name_x": ["a&b", "50%", "<script>"], "v": [0.123456, None, 1.0]})
    tex = export.latex_table(table, caption="Weights & ranks", label="tab:w")
    assert r"name\_x" in tex
    assert r"a\&b" in tex
    assert r"50\%" in tex
    assert "0.1235" in tex
    assert tex.count(r"\\") == 4
    assert r"\begin{tabular}{lr}" in tex
    assert r"\toprule" in tex
    page = export.report_html(
        Report("Report <1>", (ReportTable("t", "Scores & ranks", table),), options={"f": "a<b>"})
    ).decode()
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    assert "Report &lt;1&gt;" in page
    assert page.startswith("<!DOCTYPE html>")
    assert "f=a&lt;b&gt;" in page


# ----------------------------------------------------------------- language


ALL_PAGES = [
    "data",
    "indicators",
    "index",
    "disparity",
    "dynamics",
    "spatial",
    "inequality",
    "coupling",
    "geodetector",
    "robustness",
    "compare",
    "export",
]


@pytest.mark.parametrize("name", ALL_PAGES)
def test_language_switch_on_every_page(at: AppTest, name: str) -> None:
    compute_index(at)
    go(at, name)
    english = at.header[0].value
    at.radio(key="w.lang").set_value("zh").run()
    ok(at)
    chinese = at.header[0].value
    assert chinese != english
    assert re.search(r"[\u4e00-\u9fff]", chinese)
    assert at.radio(key="w.lang").value == "zh"
    # the choice survives a page switch and switches back
    go(at, "data")
    assert at.header[0].value == "数据"
    at.radio(key="w.lang").set_value("en").run()
    assert at.header[0].value == "Data"


def test_chinese_messages_and_charts(at: AppTest) -> None:
    at.radio(key="w.lang").set_value("zh").run()
    upload(at, "empty.csv", b"")
    (message,) = errors(at)
    assert message.startswith("输入有误：")
    at.radio(key="w.data.source").set_value("default").run()
    compute_index(at)
    svg = chart_svg(at, "ch.weights")
    # the report's figure module: text kept as text, in the app's language
    assert "<text" in svg
    assert "指标权重" in svg
    # the bars carry the spec's labels, not the raw column names
    assert "Human capital index (hc)" in svg


def test_every_text_has_both_languages() -> None:
    placeholders = re.compile(r"{(\w+)}")
    for key, (english, chinese) in i18n.TEXT.items():
        assert english.strip(), key
        assert chinese.strip(), key
        assert set(placeholders.findall(english)) == set(placeholders.findall(chinese)), key


def test_every_key_used_is_defined() -> None:
    used = set()
    for path in (ROOT / "pkg" / "nqpf" / "app").rglob("*.py"):
        source = path.read_text("utf-8")
        used |= set(re.findall(r"""\bt\(\s*["']([\w.]+)["']""", source))
    missing = sorted(used - set(i18n.TEXT))
    assert not missing, missing
    assert len(used) > 150


def test_router_is_thin() -> None:
    source = (ROOT / "streamlit_app.py").read_text("utf-8")
    assert "from nqpf.app.main import run" in source
    assert not re.search(r"entropy|dagum|topsis|gini", source.split('"""')[-1], re.IGNORECASE)
    assert sorted(p.stem for p in PAGES.glob("*.py")) == sorted(ALL_PAGES)


def test_every_widget_has_a_key() -> None:
    widget = re.compile(
        r"\.(button|download_button|file_uploader|selectbox|multiselect|radio|number_input|"
        r"text_input|data_editor|slider|checkbox|toggle)\(",
    )
    for path in (ROOT / "pkg" / "nqpf" / "app").rglob("*.py"):
        source = path.read_text("utf-8")
        for match in widget.finditer(source):
            call = _arguments(source, match.end())
            assert "key=" in call, f"{path.name}: {match.group(1)} without key: {call[:80]!r}"


def _arguments(source: str, start: int) -> str:
    """The text between an opening parenthesis (just before ``start``) and its match."""
    depth = 1
    for position in range(start, len(source)):
        depth += {"(": 1, ")": -1}.get(source[position], 0)
        if depth == 0:
            return source[start:position]
    return source[start:]


def test_settings_match_the_config_file() -> None:
    """`nqpf app` passes nqpf.app.SETTINGS as flags; they must equal .streamlit/config.toml."""
    import tomllib

    from nqpf.app import SETTINGS, streamlit_args

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    flat = {
        f"{section}.{name}": value
        for section, table in config.items()
        for name, value in table.items()
    }
    assert flat == SETTINGS
    assert "--server.maxUploadSize=50" in streamlit_args()
    assert "--browser.gatherUsageStats=false" in streamlit_args()
