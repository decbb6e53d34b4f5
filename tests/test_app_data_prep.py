"""Data preparation (issue 15, deliverable 4): the Data page's column roles, full
validation, missing markers, incomplete rows, total rows, templates, the sheet picker,
and the spec kept across re-uploads; with the library rules they rest on
(:func:`nqpf.panel.total_rows`, :meth:`nqpf.panel.Panel.incomplete_rows` …).

Expected values come from the nqpf API called here, or from the fixture's construction,
never from the app's own output.
"""

from __future__ import annotations

import io
import re

import polars as pl
import pytest

pytest.importorskip("streamlit", reason="the app extra (streamlit) is not installed")
from app_panel import PROVINCES, YEARS, panel_csv, panel_frame
from streamlit.testing.v1 import AppTest
from test_app import at, compute_index, errors, frame, go, metrics, ok, upload  # noqa: F401

from nqpf.app.wording import app_words
from nqpf.errors import InputError
from nqpf.io import SUGGESTED_MARKERS
from nqpf.panel import TOTAL_NAMES, IndicatorSpec, panel_template, read_panel, total_rows


def plain(text: str) -> str:
    """A message without the code spans that show user text verbatim (nqpf.app.verbatim)."""
    return re.sub(r"(`+) (.*?) \1", r"\2", text)


# ---------------------------------------------------------------- library rules


def test_total_rows_by_name() -> None:
    names = ["北京", "全国", " Total ", "China", "上海合计", "Totalitarian", "total (31)", None]
    assert total_rows(names) == ["全国", " Total ", "China", "上海合计", "total (31)"]
    assert total_rows(["北京", "天津"]) == []
    # the country's name: a total among its provinces, a region among 117 countries
    assert total_rows(["Beijing", "Tianjin", "China"]) == ["China"]
    countries = [f"country {i}" for i in range(116)] + ["China"]
    assert total_rows(countries) == []
    assert all(total_rows([n.upper()]) for n in TOTAL_NAMES)


def test_incomplete_rows_and_check_cells() -> None:
    data = b"region,year,a,b\nA,2020,1,\nA,2021,2,3\nB,2020,,\nB,2021,4,5\n"
    panel = read_panel(data, name="g.csv")
    gaps = panel.incomplete_rows(["a", "b", "absent"])
    assert gaps.to_dicts() == [
        {"region": "A", "year": 2020, "row": 2, "missing": "b"},
        {"region": "B", "year": 2020, "row": 4, "missing": "a, b"},
    ]
    panel.check_cells(["a", "b"])  # empty cells are not bad cells
    bad = read_panel(b"region,year,a\nA,2020,1\nB,2020,\xe2\x80\x94\n", name="d.csv")
    with pytest.raises(InputError) as err:
        bad.check_cells(["a"])
    assert err.value.message.startswith("d.csv, row 3, column 'a': non-numeric value '—'")
    marked = read_panel(
        b"region,year,a\nA,2020,1\nB,2020,\xe2\x80\x94\nC,2020,2\n",
        name="d.csv",
        na_values=list(SUGGESTED_MARKERS),
    )
    assert marked.incomplete_rows(["a"]).get_column("region").to_list() == ["B"]


def test_without_regions() -> None:
    panel = read_panel("region,year,a\nA,2020,1\n全国,2020,9\nB,2020,2\n".encode(), name="t.csv")
    assert panel.without_regions(["全国"]).regions == ["A", "B"]
    assert panel.without_regions(["nowhere"]) is panel
    with pytest.raises(InputError, match="no region is left"):
        panel.without_regions(["A", "B", "全国"])


@pytest.mark.parametrize("form", ["wide", "long"])
def test_a_filled_template_reads_with_the_defaults(form: str) -> None:
    template = panel_template(form)
    if form == "wide":
        filled = template.with_columns(pl.col(c).fill_null(1.5) for c in ("x1", "x2", "x3"))
    else:
        filled = template.with_columns(pl.col("value").fill_null(2.5))
    panel = read_panel(filled.write_csv().encode(), name=f"t.{form}.csv")
    assert panel.regions == ["A", "B"]
    assert panel.years == [2020, 2021]
    assert {"x1", "x2", "x3"} <= set(panel.frame.columns)


# ------------------------------------------------------------- column roles


def test_guess_never_maps_two_roles_to_one_column() -> None:
    from nqpf.app.state import guess_columns

    # the case: a long table whose indicator column has few distinct values
    long = (
        panel_frame()
        .select("province", "year", "area", "x01", "x02", "x03", "x04", "x05")
        .unpivot(index=["province", "year", "area"], variable_name="indicator")
        .select("province", "year", "indicator", "value", "area")
    )
    guess = guess_columns(long)
    assert guess["form"] == "long"
    assert guess["indicator"] == "indicator"
    assert guess["value"] == "value"
    assert guess["group"] is None  # a long panel keeps no group column
    roles = [v for v in guess.values() if v not in (None, "long", "wide")]
    assert len(roles) == len(set(roles)), guess
    # a wide table: the group is the macro-region column, not the region or year
    wide = guess_columns(panel_frame())
    assert (wide["region"], wide["year"], wide["group"]) == ("province", "year", "area")


def test_config_refuses_one_column_for_two_roles() -> None:
    from nqpf.app.state import ColumnClash, PanelConfig

    with pytest.raises(ColumnClash) as clash:
        PanelConfig("province", "year", "province", "wide", None, None)
    assert clash.value.roles == ("region", "group")
    with pytest.raises(ColumnClash):
        PanelConfig("p", "y", "indicator", "long", "indicator", "value")
    PanelConfig("p", "y", "indicator", "wide", None, None)  # wide: no indicator role


def test_the_same_column_twice_is_one_line(at: AppTest) -> None:  # noqa: F811
    upload(at, "provinces.csv", panel_csv())
    ok(at)
    at.selectbox(key="w.data.group").set_value("province").run()
    assert not at.exception
    (message,) = errors(at)
    assert message.startswith("Input problem:")
    assert "region column and the group column are both province —" in plain(message)
    assert not at.success
    go_index = at.switch_page("pkg/nqpf/app/app_pages/index.py").run()
    assert any("Data page" in i.value for i in go_index.info)


# ------------------------------------------------------- validation, markers


def _dash_panel() -> pl.DataFrame:
    """The provinces' panel with a '—' in x05 for the 5th province in 2015."""
    province = list(PROVINCES)[4]
    return panel_frame().with_columns(
        pl.when((pl.col("province") == province) & (pl.col("year") == 2015))
        .then(pl.lit("—"))
        .otherwise(pl.col("x05").cast(pl.String))
        .alias("x05")
    )


def test_a_dash_cell_is_named_on_the_data_page_then_read_as_missing(at: AppTest) -> None:  # noqa: F811
    data = _dash_panel().write_csv().encode()
    upload(at, "dash.csv", data)
    assert not at.exception
    (message,) = errors(at)
    with pytest.raises(InputError) as err:
        read_panel(data, name="dash.csv", region="province").check_cells(["x05"])
    # file, row and column as the API says, its advice in the app's words
    assert app_words(err.value.message) in message
    assert "dash.csv, row" in message
    assert "column 'x05'" in message
    assert not any("Panel ready" in s.value for s in at.success)
    # the offered markers: ticked, the cell is missing and listed
    assert at.checkbox(key="w.data.na_common").label.endswith(
        ", ".join(SUGGESTED_MARKERS) + " as missing"
    )
    at.checkbox(key="w.data.na_common").check().run()
    ok(at)
    expected = read_panel(
        data, name="dash.csv", region="province", na_values=list(SUGGESTED_MARKERS)
    ).incomplete_rows([f"x{j:02d}" for j in range(1, 16)])
    shown = frame(at, "df.data.gaps")
    assert (
        shown.select("province", "year", "missing").rows()
        == expected.select("province", "year", "missing").rows()
    )
    assert any("1 of 132 region-years" in w.value for w in at.warning)
    assert any("Panel ready" in s.value for s in at.success)


def test_drop_lists_what_it_removed_and_does_not_carry_over(at: AppTest) -> None:  # noqa: F811
    # x03 is empty for every province but one year: "drop" keeps one year
    keep = YEARS[-1]
    gap = panel_frame().with_columns(
        pl.when(pl.col("year") == keep).then(pl.col("x03")).otherwise(None).alias("x03")
    )
    upload(at, "gap.csv", gap.write_csv().encode())
    ok(at)
    go(at, "index")
    at.selectbox(key="w.idx.missing").set_value("drop").run()
    at.button(key="btn.index").click().run()
    ok(at)
    dropped = frame(at, "df.idx.dropped")
    n = len(PROVINCES) * (len(YEARS) - 1)
    assert dropped.height == n
    assert set(dropped.get_column("missing")) == {"x03"}
    warning = next(w.value for w in at.warning if "left out" in w.value)
    assert f"left out {n} incomplete region-years of {n + len(PROVINCES)}" in warning
    assert "in 1 year." in warning
    assert "Few years are left" in warning
    # a new file: the choice is reset, and the Data page says so
    go(at, "data")
    upload(at, "provinces.csv", panel_csv())
    ok(at)
    assert at.session_state["w.idx.missing"] == "error"
    assert any("back to" in i.value and "Drop incomplete rows" in i.value for i in at.info)


# --------------------------------------------------------------- total rows


def test_a_total_row_is_offered_for_exclusion(at: AppTest) -> None:  # noqa: F811
    base = panel_frame()
    total = (
        base.group_by("year")
        .agg(pl.col(c).sum() for c in base.columns if c.startswith("x"))
        .with_columns(pl.lit("全国").alias("province"), pl.lit("全国").alias("area"))
        .select(base.columns)
    )
    data = pl.concat([base, total]).write_csv().encode()
    upload(at, "total.csv", data)
    ok(at)
    assert metrics(at)["Regions"] == str(len(PROVINCES) + 1)  # offered, not silently cut
    assert any("全国" in w.value and "total" in w.value for w in at.warning)
    at.multiselect(key="w.data.exclude").set_value(["全国"]).run()
    ok(at)
    assert metrics(at)["Regions"] == str(len(PROVINCES))
    compute_index(at)
    scores = frame(at, "df.scores")
    assert "全国" not in scores.get_column("province").to_list()
    assert scores.height == len(PROVINCES) * len(YEARS)


# ------------------------------------------------------ spec across uploads


def test_the_spec_is_kept_when_names_match(at: AppTest) -> None:  # noqa: F811
    upload(at, "provinces.csv", panel_csv())
    go(at, "indicators")
    version = at.session_state["spec.version"]
    at.session_state[f"ed.spec.{version}"] = {
        "edited_rows": {13: {"direction": "-", "dimension": "green"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    ok(at)
    # a new file: x15 is gone, x16 is new
    renamed = panel_frame(seed=7).rename({"x15": "x16"})
    go(at, "data")
    at.file_uploader(key="up.panel").set_value(
        ("second.csv", renamed.write_csv().encode(), "text/csv")
    ).run()
    ok(at)
    note = next(plain(i.value) for i in at.info if "kept" in i.value)
    assert "14 indicators with the same names" in note
    assert "1 new indicator was added with default rows: x16" in note
    assert "1 indicator is not in the new file and was removed: x15" in note
    go(at, "indicators")
    spec = at.session_state["spec.current"]
    row = spec.filter(pl.col("indicator") == "x14").row(0, named=True)
    assert (row["direction"], row["dimension"]) == ("-", "green")
    assert spec.get_column("indicator").to_list()[-1] == "x16"
    assert "x15" not in spec.get_column("indicator").to_list()
    # an unrelated file starts from its own default, without a note
    go(at, "data")
    other = pl.DataFrame({"region": ["A", "B", "C"], "year": [2020] * 3, "q": [1.0, 2.0, 4.0]})
    at.file_uploader(key="up.panel").set_value(
        ("other.csv", other.write_csv().encode(), "text/csv")
    ).run()
    ok(at)
    assert not any("kept" in i.value for i in at.info)
    assert metrics(at)["Indicators"] == "1"


# ------------------------------------------------- sheets, templates, plural


def test_every_sheet_is_offered_and_named_in_errors(at: AppTest) -> None:  # noqa: F811
    import xlsxwriter

    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer) as book:
        panel_frame().write_excel(book, worksheet="notes")
        _dash_panel().write_excel(book, worksheet="panel")
    upload(at, "book.xlsx", buffer.getvalue(), "application/octet-stream")
    ok(at)
    assert at.selectbox(key="w.data.sheet").options == ["notes", "panel"]
    at.selectbox(key="w.data.sheet").set_value("panel").run()
    (message,) = errors(at)
    assert "panel" in message
    assert "column 'x05'" in message


def test_one_sheet_is_shown_too(at: AppTest) -> None:  # noqa: F811
    buffer = io.BytesIO()
    panel_frame().write_excel(buffer, worksheet="data")
    upload(at, "one.xlsx", buffer.getvalue(), "application/octet-stream")
    ok(at)
    assert at.selectbox(key="w.data.sheet").value == "data"
    assert any("one.xlsx, sheet data" in plain(s.value) for s in at.success)


def test_the_default_data_has_no_total_row(at: AppTest) -> None:  # noqa: F811
    from nqpf import datasets

    panel = read_panel(datasets.pwt_path(), region=datasets.PWT_REGION)
    assert "China" in panel.regions
    assert total_rows(panel.regions) == []
    ok(at)
    assert not at.warning


def test_templates_and_example_are_offered(at: AppTest) -> None:  # noqa: F811
    at.radio(key="w.data.source").set_value("upload").run()
    keys = {b.key for b in at.get("download_button")}
    assert keys >= {
        "dl.data.template.wide.csv",
        "dl.data.template.wide.xlsx",
        "dl.data.template.long.csv",
        "dl.data.template.long.xlsx",
        "dl.data.example",
    }


def test_plural_forms() -> None:
    from nqpf.app.i18n import t

    assert t("ind.summary", n=1, dims=1, benefit=1, cost=0).startswith(
        "1 indicator in 1 dimension ("
    )
    assert t("ind.summary", n=2, dims=0, benefit=2, cost=0).startswith(
        "2 indicators in 0 dimensions"
    )


def test_chinese_data_page(at: AppTest) -> None:  # noqa: F811
    at.radio(key="w.lang").set_value("zh").run()
    upload(at, "dash.csv", _dash_panel().write_csv().encode())
    (message,) = errors(at)
    assert message.startswith("输入有误：")
    assert "x05" in message
    at.selectbox(key="w.data.group").set_value("province").run()
    (message,) = errors(at)
    assert "地区列与分组列都是 province，" in plain(message)


# ------------------------------------------------------ messages in app words


def test_api_syntax_becomes_the_widgets_name() -> None:
    from nqpf.app.wording import app_words
    from nqpf.index import entropy_topsis
    from nqpf.options import IndexOptions

    data = (
        b"region,year,a,b\nA,2020,1,2\nA,2021,,3\nA,2022,3,1\nB,2020,2,2\nB,2021,5,1\nB,2022,1,4\n"
    )
    panel = read_panel(data, name="g.csv")
    with pytest.raises(InputError) as err:
        entropy_topsis(panel, IndicatorSpec.from_names(["a", "b"]))
    library = err.value.message
    assert "missing='interpolate'" in library  # the library keeps its API syntax
    info = IndexOptions.info("missing")
    for language in ("en", "zh"):
        shown = app_words(library, language)
        assert "missing=" not in shown
        for choice in ("interpolate", "drop"):
            assert info.choice_title(choice, language) in shown
        assert info.title(language) in shown
        assert "g.csv, row 3, column 'a'" in shown  # where, untouched
    # a repeat of one widget in a list of alternatives is said once
    assert app_words("(na_values=['-'] or --na-values)") == "(“Missing-value markers”)"
    # names that are not options stay as they are
    assert app_words("use region='x' (--region)") == "use region='x' (--region)"


def test_every_translated_hint_of_an_app_option_is_mapped() -> None:
    from nqpf.app.wording import app_words
    from nqpf.error_translations import MESSAGES
    from nqpf.options import FAMILIES

    shown = {i.name for f in FAMILIES.values() for i in f.describe() if i.app}
    checked = 0
    for english, chinese in MESSAGES.items():
        for text, language in ((english, "en"), (chinese, "zh")):
            used = {m for m in re.findall(r"(?<![\w.])([a-z][a-z0-9_]*)='", text) if m in shown}
            if not used or "{}" in text.split("=")[0][-3:]:
                continue
            checked += 1
            mapped = app_words(text.replace("{}", "x"), language)
            for name in used:
                assert f"{name}='" not in mapped, (text, mapped)
    assert checked > 10


# ------------------------------------------------------------ spec grid


def test_fill_down_sets_many_rows_and_keeps_earlier_edits(at: AppTest) -> None:  # noqa: F811
    upload(at, "provinces.csv", panel_csv())
    go(at, "indicators")
    version = at.session_state["spec.version"]
    # an edit in the grid first, then a fill-down of other rows: both kept
    at.session_state[f"ed.spec.{version}"] = {
        "edited_rows": {0: {"label": "first"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    at.multiselect(key="ind.fill.rows").set_value(["x14", "x15"])
    at.text_input(key="ind.fill.dimension").set_value("cost side")
    at.radio(key="ind.fill.direction").set_value("-")
    at.button(key="btn.ind.fill").click().run()
    ok(at)
    spec = at.session_state["spec.current"]
    rows = {r["indicator"]: r for r in spec.iter_rows(named=True)}
    assert rows["x01"]["label"] == "first"
    assert (rows["x14"]["dimension"], rows["x14"]["direction"]) == ("cost side", "-")
    assert (rows["x15"]["dimension"], rows["x15"]["direction"]) == ("cost side", "-")
    assert rows["x13"]["direction"] == "+"
    assert any("15 indicators in 2 dimensions (13 benefit, 2 cost)" in s.value for s in at.success)


def test_zero_forms() -> None:
    from nqpf.app.i18n import t

    assert (
        t("cv.passed", n=12, skipped=0)
        == "All 12 compared quantities agree with R within tolerance."
    )
    assert t("cv.passed", n=12, skipped=1).endswith("(1 row skipped: see note).")
    assert t("cv.passed", n=12, skipped=3).endswith("(3 rows skipped: see note).")
    assert t("cv.failed", failed=1, n=5, skipped=0).endswith("beyond their tolerance.")


def test_five_consecutive_edits_are_all_kept(at: AppTest) -> None:  # noqa: F811
    """The grid's base stays the same object between reruns (spec.base, one key per
    version): each rerun's widget state holds every edit since the base, as the
    browser sends it, and none is dropped by the page."""
    upload(at, "provinces.csv", panel_csv())
    go(at, "indicators")
    version = at.session_state["spec.version"]
    edits: dict[int, dict[str, str]] = {}
    for row, label in enumerate(["a", "b", "c", "d", "e"]):
        edits[row] = {"label": label, "direction": "-" if row % 2 else "+"}
        at.session_state[f"ed.spec.{version}"] = {
            "edited_rows": {k: dict(v) for k, v in edits.items()},
            "added_rows": [],
            "deleted_rows": [],
        }
        at.run()
        ok(at)
        assert at.session_state["spec.version"] == version  # the editor was not replaced
    spec = at.session_state["spec.current"]
    assert spec.get_column("label").head(5).to_list() == ["a", "b", "c", "d", "e"]
    assert spec.get_column("direction").head(5).to_list() == ["+", "-", "+", "-", "+"]
    # and they survive a page switch (the editor restarts from them)
    go(at, "index")
    go(at, "indicators")
    assert at.session_state["spec.current"].get_column("label").head(5).to_list() == list("abcde")
