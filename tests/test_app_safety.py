"""The app on hostile input: user text is never Markdown, bad input is one inline line.

Issue 9. Streamlit renders almost every element's text as Markdown (alerts,
captions, headers, metric labels and values, widget labels, expander and tab
labels), so a file name, sheet name, column name or cell quoted there would be
live: ``![x](http://…)`` makes the browser fetch a URL, ``[a](http://…)`` is a
link. These tests upload files whose names, headers and cells are such strings
and check, in every element that Streamlit renders as Markdown, that they occur
only inside code spans (read with CommonMark's code-span rule, §6.1, implemented
here independently of :mod:`nqpf.app.verbatim`) and that the literal text is
there. The browser side (no request off localhost, no ``<img>``/``<a>`` from user
text) is ``tests/test_app_safety_e2e.py``.

The second half drives every page with inputs that used to crash or mislead
(names of output and internal columns, a one-year panel, oversized and
zip-bomb workbooks, missing markers, decimal commas) and checks that the app
answers with one inline line and never an exception.
"""

from __future__ import annotations

import contextlib
import io
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest

pytest.importorskip("streamlit", reason="the app extra (streamlit) is not installed")
import streamlit as st
from app_panel import INDICATORS, PROVINCES, panel_frame
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import (
    AlertBase,
    Block,
    HeadingBase,
    Latex,
    Markdown,
    Metric,
    Radio,
    Widget,
)

import nqpf.io
from nqpf.app import state
from nqpf.app.verbatim import verbatim

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 60

#: Hostile text → a fragment that must never appear outside a code span.
HOSTILE = {
    "![x](http://127.0.0.1:9/x.png)": "127.0.0.1",
    "<img src=x onerror=alert(1)>": "onerror",
    "[link](http://evil)": "evil",
    "**bold**": "bold",
    "$x^2$": "x^2",
    "=cmd|' /C calc'!A0": "calc",
    "# heading": "heading",
}
#: Text Streamlit's frontend rewrites on its own (bare links, e-mail, emoji, icons).
TRANSFORMED = {
    "www.evil.example": "evil.example",
    "me@evil.example": "evil.example",
    ":material/home: :smile:": "smile",
    "``tick`` `": "tick",
}

# ------------------------------------------------------------- CommonMark code spans


def split_code_spans(source: str) -> tuple[str, list[str]]:
    """(text outside code spans, contents of the code spans) of Markdown ``source``.

    CommonMark §6.1: a backtick string opens a code span closed by the next backtick
    string of the same length; without one, the backticks are literal. The content's
    line endings become spaces, and one space is stripped from each side when both
    sides have one and the content is not all spaces. A backslash escapes the next
    ASCII punctuation character outside spans (§2.4).
    """
    outside: list[str] = []
    spans: list[str] = []
    i, n = 0, len(source)
    while i < n:
        char = source[i]
        if char == "\\" and i + 1 < n and source[i + 1] in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~":
            outside.append(source[i + 1])
            i += 2
            continue
        if char != "`":
            outside.append(char)
            i += 1
            continue
        j = i
        while j < n and source[j] == "`":
            j += 1
        run = j - i
        k = j
        close = -1
        while k < n:
            if source[k] == "`":
                m = k
                while m < n and source[m] == "`":
                    m += 1
                if m - k == run:
                    close = k
                    break
                k = m
            else:
                k += 1
        if close < 0:  # no closing run: literal backticks
            outside.append(source[i:j])
            i = j
            continue
        content = source[j:close].replace("\n", " ")
        if len(content) >= 2 and content[0] == content[-1] == " " and content.strip(" "):
            content = content[1:-1]
        spans.append(content)
        outside.append("\x00")  # a span boundary: fragments do not join across it
        i = close + run
    return "".join(outside), spans


def rendered_text(source: str) -> str:
    """The text a reader sees of a source made of plain words and code spans."""
    outside, spans = split_code_spans(source)
    pieces = outside.split("\x00")
    out = pieces[0]
    for span, piece in zip(spans, pieces[1:], strict=True):
        out += span + piece
    return out


@pytest.mark.parametrize("text", [*HOSTILE, *TRANSFORMED, "", " ", "  a  ", "`", "a`b``c", "\n"])
def test_verbatim_is_one_literal_code_span(text: str) -> None:
    source = verbatim(text)
    outside, _spans = split_code_spans(source)
    # nothing but code spans (and the escaped colon that keeps ":material/" intact)
    assert set(outside) <= {"\x00", ":"}, source
    assert rendered_text(source) == " ".join(text.splitlines())
    assert ":material/" not in source  # Streamlit rewrites that sequence before parsing


# ------------------------------------------------------------------- the app's texts


def _walk(node: Any) -> Iterator[Any]:
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _walk(child)


def markdown_sources(at: AppTest) -> list[str]:
    """The text of every element Streamlit renders as Markdown."""
    out: list[str] = []
    for node in _walk(at._tree):
        if isinstance(node, Latex):
            continue
        if isinstance(node, Markdown | AlertBase | HeadingBase):
            out.append(node.value)
        elif isinstance(node, Metric):
            out += [node.label, node.value]
        elif isinstance(node, Widget):
            out += [node.label or "", node.help or ""]
            if isinstance(node, Radio):
                out += [str(o) for o in node.options]
        elif isinstance(node, Block):
            label = getattr(node, "label", None)
            if isinstance(label, str):
                out.append(label)
    return [s for s in out if s]


def assert_verbatim(
    at: AppTest, expected: dict[str, str], *, present: tuple[str, ...] = ()
) -> None:
    """Every hostile text only inside code spans; those in ``present`` shown literally."""
    assert not at.exception, [e.message for e in at.exception]
    sources = markdown_sources(at)
    shown: list[str] = []
    for source in sources:
        outside, _spans = split_code_spans(source)
        for text, fragment in expected.items():
            assert fragment not in outside, (text, source)
        shown.append(rendered_text(source))
    for text in present:
        assert any(text in s for s in shown), (text, sources)


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.chdir(ROOT)  # AppTest reads .streamlit/config.toml from the working directory
    st.cache_data.clear()
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=TIMEOUT)
    app.run()
    return app


def upload(at: AppTest, name: str, data: bytes, mime: str = "text/csv") -> AppTest:
    at.radio(key="w.data.source").set_value("upload").run()
    at.file_uploader(key="up.panel").set_value((name, data, mime)).run()
    return at


def go(at: AppTest, name: str) -> AppTest:
    at.switch_page(f"pkg/nqpf/app/app_pages/{name}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def one_line_error(at: AppTest) -> str:
    """The page's one inline error: an input problem, never a traceback or a bug."""
    assert not at.exception, [e.message for e in at.exception]
    (message,) = errors(at)
    assert message.startswith("Input problem:"), message
    assert "\n" not in message
    assert "Traceback" not in message
    return rendered_text(message)


def hostile_panel() -> pl.DataFrame:
    """The provinces panel with hostile indicator names, region names and group labels."""
    names = list(HOSTILE) + list(TRANSFORMED)
    frame = panel_frame().rename(dict(zip(INDICATORS, names, strict=False)))
    provinces = list(PROVINCES)
    regions = dict(zip(provinces[:4], list(HOSTILE)[:4], strict=True))  # 重庆 is the best
    return frame.with_columns(
        pl.col("province").replace(regions),
        pl.col("area").replace({"西南": "**bold**", "西北": "[link](http://evil)"}),
    )


# ----------------------------------------------------------------------- file names


@pytest.mark.parametrize("text", [*HOSTILE, *TRANSFORMED])
def test_hostile_file_name_is_shown_verbatim(at: AppTest, text: str) -> None:
    name = f"{text}.csv"
    upload(at, name, panel_frame().write_csv().encode())
    assert not errors(at), errors(at)
    expected = HOSTILE | TRANSFORMED
    assert_verbatim(at, expected, present=(name,))
    assert any(name in rendered_text(s.value) for s in at.success)
    # the stale notice of the other pages names the file too
    go(at, "index")
    at.button(key="btn.index").click().run()
    go(at, "data")
    at.radio(key="w.data.source").set_value("default").run()
    go(at, "disparity")
    assert_verbatim(at, expected, present=(name,))
    assert any(name in rendered_text(w.value) for w in at.warning)
    # and the uploaded file is still offered by its name
    go(at, "data")
    at.radio(key="w.data.source").set_value("upload").run()
    assert_verbatim(at, expected, present=(name,))


def test_hostile_file_name_in_an_error(at: AppTest) -> None:
    name = "![x](http://127.0.0.1:9/x.png).csv"
    upload(at, name, b"region,year,x\nA,20x0,1\nB,2020,3\n")
    message = one_line_error(at)
    assert name in message
    assert "not a whole number" in message
    assert_verbatim(at, HOSTILE, present=(name,))


# ---------------------------------------------------------- headers, names and cells


def test_hostile_headers_regions_and_groups_on_every_page(at: AppTest) -> None:
    upload(at, "hostile.csv", hostile_panel().write_csv().encode())
    expected = HOSTILE | TRANSFORMED
    assert not errors(at), errors(at)
    assert_verbatim(at, expected)
    go(at, "indicators")
    assert not errors(at), errors(at)
    assert_verbatim(at, expected)
    go(at, "index")
    at.button(key="btn.index").click().run()
    assert not errors(at), errors(at)
    scores = pl.from_pandas(at.get_by_key("df.scores").dataframe[0].value)
    (best,) = scores.filter((pl.col("year") == 2022) & (pl.col("rank") == 1))["province"]
    assert best in HOSTILE  # the four best provinces have hostile names
    assert_verbatim(at, expected, present=(best,))
    assert any(rendered_text(m.value) == best for m in at.metric)
    for view in ("all", 2022):
        at.selectbox(key="w.idx.view_year").set_value(view).run()
        assert_verbatim(at, expected)
    go(at, "disparity")
    at.selectbox(key="w.dag.group").set_value("area").run()
    at.button(key="btn.dagum").click().run()
    assert not errors(at), errors(at)
    assert_verbatim(at, expected)
    assert set(pl.from_pandas(at.get_by_key("df.dagum_within").dataframe[0].value)["group"]) == {
        "**bold**",
        "[link](http://evil)",
    }
    go(at, "compare")
    at.button(key="btn.compare").click().run()
    assert not errors(at), errors(at)
    assert_verbatim(at, expected)
    go(at, "export")
    assert_verbatim(at, expected)


def test_hostile_indicator_names_in_the_given_weights(at: AppTest) -> None:
    """The given-weights table and its messages with hostile indicator names: the names
    are rows of the table (never renamed), quoted verbatim in the library's line, and
    reach the index (and the project file) as the keys of the weights."""
    upload(at, "hostile.csv", hostile_panel().write_csv().encode())
    expected = HOSTILE | TRANSFORMED
    go(at, "index")
    at.checkbox(key="w.idx.given_weights").check().run()
    assert not errors(at), errors(at)
    assert_verbatim(at, expected)
    names = [r[0] for r in state_spec(at)]
    weights = {name: float(i + 1) for i, name in enumerate(names)}
    at.session_state["ed.idx.weights"] = {
        "edited_rows": {i: {"weight": w} for i, w in enumerate(weights.values())},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not errors(at), errors(at)
    at.button(key="btn.index").click().run()
    assert not errors(at), errors(at)
    assert_verbatim(at, expected)
    shown = pl.from_pandas(at.get_by_key("df.weights").dataframe[0].value)
    assert shown["indicator"].to_list() == names
    # whole numbers: the sum (and the library's power-of-two scaling) is exact and each
    # share is one correctly rounded division, here and in the library: within ε
    total = sum(weights.values())
    assert shown["weight"].to_list() == pytest.approx(
        [w / total for w in weights.values()], rel=sys.float_info.epsilon, abs=0
    )
    # a negative weight of a hostile indicator: its name quoted, in one line
    first = names[0]
    at.session_state["ed.idx.weights"] = {
        "edited_rows": {0: {"weight": -1.0}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    message = one_line_error(at)
    assert f"the weight of indicator '{first}' is -1.0" in message
    assert_verbatim(at, expected)


def state_spec(at: AppTest) -> list[tuple[Any, ...]]:
    """The spec's rows as the app holds them (indicator first)."""
    frame = at.session_state["spec.current"]
    return [r for r in frame.select(state.SPEC_FIELDS).iter_rows() if r[0]]


def test_hostile_cell_quoted_in_an_error(at: AppTest) -> None:
    cell = "![x](http://127.0.0.1:9/x.png)"
    frame = panel_frame().with_columns(pl.col("x03").cast(pl.String))
    frame = frame.with_columns(
        pl.when(pl.int_range(pl.len()) == 4).then(pl.lit(cell)).otherwise("x03").alias("x03")
    )
    upload(at, "cells.csv", frame.write_csv().encode())
    go(at, "index")
    at.button(key="btn.index").click().run()
    message = one_line_error(at)
    assert cell in message
    assert "row 6" in message
    assert "x03" in message
    assert_verbatim(at, HOSTILE, present=(cell,))


def test_hostile_names_in_an_uploaded_spec(at: AppTest) -> None:
    go(at, "indicators")
    spec = (
        b"indicator,dimension,direction\n"
        b'"[link](http://evil)",x,+\n'
        b'"<img src=x onerror=alert(1)>",x,+\n'
    )
    at.file_uploader(key="up.spec").set_value(("spec.csv", spec, "text/csv")).run()
    message = one_line_error(at)
    assert "[link](http://evil)" in message
    assert_verbatim(at, HOSTILE, present=("[link](http://evil)", "<img src=x onerror=alert(1)>"))


# ------------------------------------------------------------------ sheets of a workbook


def workbook(sheets: dict[str, pl.DataFrame]) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"in_memory": True}) as book:
        for name, frame in sheets.items():
            sheet = book.add_worksheet(name)
            sheet.write_row(0, 0, frame.columns)
            for r, row in enumerate(frame.iter_rows(), start=1):
                sheet.write_row(r, 0, row)
    return buffer.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_sheet_picker(at: AppTest) -> None:
    first = panel_frame()
    three = first.filter(pl.col("province").is_in(list(PROVINCES)[:3]))
    hostile = "<img src=x onerror=alert(1)>"
    bad = three.with_columns(pl.col("year").cast(pl.String)).with_columns(
        pl.when(pl.int_range(pl.len()) == 2).then(pl.lit("20x0")).otherwise("year").alias("year")
    )
    data = workbook({"all": first, hostile: three, "bad": bad})
    upload(at, "book.xlsx", data, XLSX)
    assert not errors(at), errors(at)
    picker = at.selectbox(key="w.data.sheet")
    assert picker.options == ["all", hostile, "bad"]
    assert picker.value == "all"  # the first sheet by default
    assert {m.label: m.value for m in at.metric}["Regions"] == "12"
    picker.set_value(hostile).run()
    assert not errors(at), errors(at)
    assert {m.label: m.value for m in at.metric}["Regions"] == "3"
    assert_verbatim(at, HOSTILE, present=(hostile,))
    assert any(hostile in rendered_text(s.value) for s in at.success)
    # an error on a sheet names the sheet (and the row of that sheet)
    at.selectbox(key="w.data.sheet").set_value("bad").run()
    message = one_line_error(at)
    assert "bad" in message
    assert "book.xlsx" in message
    assert "row 4" in message
    # the index runs on the chosen sheet
    at.selectbox(key="w.data.sheet").set_value(hostile).run()
    go(at, "index")
    at.button(key="btn.index").click().run()
    assert not errors(at), errors(at)
    scores = pl.from_pandas(at.get_by_key("df.scores").dataframe[0].value)
    assert scores["province"].n_unique() == 3


def test_single_sheet_workbook_shows_its_sheet(at: AppTest) -> None:
    # issue 15: every sheet is listed, one too (disabled), so messages can name it
    upload(at, "one.xlsx", workbook({"data": panel_frame()}), XLSX)
    assert not errors(at), errors(at)
    picker = at.selectbox(key="w.data.sheet")
    assert picker.options == ["data"]
    assert picker.disabled


def test_sheet_names_come_from_the_reading_layer(monkeypatch: pytest.MonkeyPatch) -> None:
    """The picker lists what nqpf.io.sheet_names says, in its order."""
    data = workbook({"b": panel_frame(), "a": panel_frame()})
    st.cache_data.clear()
    listed = state.load_sheet_names("digest-1", data, "book.xlsx", 50 << 20)
    assert listed == ["b", "a"]
    assert listed == nqpf.io.sheet_names(data, name="book.xlsx")
    assert state.load_sheet_names("digest-2", b"not a zip", "x.xlsx", 50 << 20) == []


# ------------------------------------------------------ missing markers and decimal comma


def test_reading_options_reach_the_reader(at: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Data page passes its markers and separator to read_table and read_panel
    (to read_panel as its ReadOptions)."""
    calls: list[tuple[str, dict[str, Any]]] = []
    real_table, real_panel = state.read_table, state.read_panel

    def read_table(source: Any, **options: Any) -> pl.DataFrame:
        calls.append(("table", {k: options[k] for k in ("na_values", "decimal")}))
        return real_table(source, **options)

    def read_panel(source: Any, *args: Any, **options: Any) -> Any:
        read = options["options"]  # a nqpf.options.ReadOptions
        calls.append(("panel", {"na_values": list(read.na_values), "decimal": read.decimal}))
        return real_panel(source, *args, **options)

    monkeypatch.setattr(state, "read_table", read_table)
    monkeypatch.setattr(state, "read_panel", read_panel)
    upload(at, "options.csv", panel_frame(7).write_csv().encode())
    assert not errors(at), errors(at)
    at.text_input(key="w.data.na").input("—, …，-、 N/A , —").run()
    at.radio(key="w.data.decimal").set_value(",").run()
    expected = {"na_values": ["—", "…", "-", "N/A"], "decimal": ","}
    assert ("table", expected) in calls
    assert ("panel", expected) in calls


def comma_panel(marker: str = "—") -> bytes:
    """The provinces panel written with decimal commas (; separated) and one ``marker``."""
    frame = panel_frame(11).with_columns(
        pl.col(INDICATORS).cast(pl.String).str.replace(".", ",", literal=True)
    )
    frame = frame.with_columns(
        pl.when(pl.int_range(pl.len()) == 4).then(pl.lit(marker)).otherwise("x07").alias("x07")
    )
    return frame.write_csv(separator=";").encode()


def test_missing_marker_and_decimal_comma_end_to_end(at: AppTest) -> None:
    upload(at, "comma.csv", comma_panel())
    at.radio(key="w.data.decimal").set_value(",").run()
    go(at, "index")
    at.button(key="btn.index").click().run()
    message = one_line_error(at)  # "—" is text until declared a marker
    assert "row 6" in message
    assert "x07" in message
    go(at, "data")
    at.text_input(key="w.data.na").input("—").run()
    assert not errors(at), errors(at)
    go(at, "index")
    at.selectbox(key="w.idx.missing").set_value("interpolate").run()
    at.button(key="btn.index").click().run()
    assert not errors(at), errors(at)
    comma = pl.from_pandas(at.get_by_key("df.scores").dataframe[0].value)
    # the same panel written with decimal points and an empty cell: the same scores
    dotted = panel_frame(11).with_columns(
        pl.when(pl.int_range(pl.len()) == 4).then(None).otherwise("x07").alias("x07")
    )
    go(at, "data")
    upload(at, "dotted.csv", dotted.write_csv().encode())
    # a new file starts from the declared missing-value policy, and the page says so
    assert at.session_state["w.idx.missing"] == "error"
    assert any("back to" in i.value for i in at.info)
    at.text_input(key="w.data.na").input("").run()
    at.radio(key="w.data.decimal").set_value(".").run()
    go(at, "index")
    at.selectbox(key="w.idx.missing").set_value("interpolate").run()
    at.button(key="btn.index").click().run()
    assert not errors(at), errors(at)
    point = pl.from_pandas(at.get_by_key("df.scores").dataframe[0].value)
    assert comma.height == point.height == len(PROVINCES) * 11
    # same numbers parsed from two spellings: bit-identical
    assert comma["score"].to_list() == point["score"].to_list()


# ----------------------------------------------------- every page on a hostile panel


def drive_every_page(at: AppTest) -> list[str]:
    """Run the index, echelons, Dagum, comparison and paper report; every page's errors."""
    seen: list[str] = []
    for page, button in (
        ("index", "btn.index"),
        ("disparity", "btn.dagum"),
        ("compare", "btn.compare"),
        ("export", "btn.paper"),
    ):
        go(at, page)
        with contextlib.suppress(KeyError):  # the page stopped before its button: it said why
            at.button(key=button).click().run()
        assert not at.exception, (page, [e.message for e in at.exception])
        for message in errors(at):
            assert "\n" not in message, message
            assert "Traceback" not in message, message
            seen.append(f"{page}: {message}")
    return seen


def bugs(messages: list[str]) -> list[str]:
    """The messages that report an unexpected error (a defect), not an input problem."""
    return [m for m in messages if "Input problem:" not in m]


def renamed(**names: str) -> pl.DataFrame:
    return panel_frame().rename(names)


def renamed_panel(region: str = "province", year: str = "year", group: str = "area", **names: str):
    """(panel, region, year, group): the provinces panel with its columns renamed."""
    frame = panel_frame().rename({"province": region, "year": year, "area": group, **names})
    return frame, region, year, group


HOSTILE_PANELS = {
    **{
        f"group named {name}": renamed_panel(group=name)
        for name in ("score", "rank", "G", "Gjj", "group", "mean", "n", "echelon", "label")
    },
    **{
        f"region named {name}": renamed_panel(region=name)
        for name in ("score", "rank", "state", "label", "mean", "group")
    },
    **{f"year named {name}": renamed_panel(year=name) for name in ("score", "rank", "period")},
    "indicators named =cmd": renamed_panel(x01="=cmd|' /C calc'!A0", x02="+1", x03="@SUM(A1)"),
    "indicators named mean, n, G": renamed_panel(x03="mean", x04="n", x05="G"),
    "indicator named __nqpf_row__": renamed_panel(x02="__nqpf_row__"),
}


@pytest.mark.parametrize("case", list(HOSTILE_PANELS))
def test_every_page_on_a_hostile_panel(at: AppTest, case: str) -> None:
    """Every page, index to paper report, on a panel whose names meet nqpf's own.

    The user's region, year and group columns are chosen on the Data page; the
    Dagum decomposition by the group column must split the two macro-regions.
    """
    frame, region, year, group = HOSTILE_PANELS[case]
    upload(at, f"{case}.csv", frame.write_csv().encode())
    assert not at.exception
    at.selectbox(key="w.data.region").set_value(region)
    at.selectbox(key="w.data.year").set_value(year)
    at.selectbox(key="w.data.group").set_value(group).run()
    messages = [f"data: {m}" for m in errors(at)]
    groups: set[str] = set()
    if not messages:
        assert {m.label: m.value for m in at.metric}["Regions"] == str(len(PROVINCES))
        messages += drive_every_page(at)
        go(at, "disparity")
        with contextlib.suppress(KeyError):  # no echelons (an error above says why)
            # the decomposition by echelon splits by the tiers, whatever the columns' names
            at.button(key="btn.dagum").click().run()
            tiers = set(pl.from_pandas(at.get_by_key("df.tiers").dataframe[0].value)["label"])
            within = pl.from_pandas(at.get_by_key("df.dagum_within").dataframe[0].value)
            if set(within["group"]) != tiers:
                messages.append(f"echelon groups {set(within['group'])} are not tiers {tiers}")
        with contextlib.suppress(KeyError, ValueError):  # not offered: checked below
            at.selectbox(key="w.dag.group").set_value(group).run()
            at.button(key="btn.dagum").click().run()
            within = pl.from_pandas(at.get_by_key("df.dagum_within").dataframe[0].value)
            groups = set(within["group"])
    problems = bugs(messages) + ([] if groups == {"西南", "西北"} else [f"groups {groups}"])
    problems += [m for m in messages if m.startswith("echelon groups")]
    assert not problems, messages
    assert not messages, messages


def test_one_year_panel(at: AppTest) -> None:
    """A single year has an index and echelons; what needs several years says so."""
    upload(at, "one-year.csv", panel_frame().filter(pl.col("year") == 2016).write_csv().encode())
    assert not errors(at), errors(at)
    messages = drive_every_page(at)
    assert not bugs(messages), messages


def test_region_named_na(at: AppTest) -> None:
    """Namibia's code is a region, not a missing value (a text column has no NA marker)."""
    upload(
        at,
        "na.csv",
        panel_frame().with_columns(pl.col("province").replace({"重庆": "NA"})).write_csv().encode(),
    )
    assert not at.exception
    assert not errors(at), errors(at)
    assert {m.label: m.value for m in at.metric}["Regions"] == "12"
    assert not bugs(drive_every_page(at))


def test_column_named_like_the_row_column(at: AppTest) -> None:
    """A user's column named ``__nqpf_row__`` is a column like any other."""
    upload(at, "row.csv", renamed(x02="__nqpf_row__").write_csv().encode())
    assert not at.exception
    assert not errors(at), errors(at)
    preview = pl.from_pandas(at.get_by_key("df.preview").dataframe[0].value)
    assert "__nqpf_row__" in preview.columns
    assert {m.label: m.value for m in at.metric}["Indicators"] == "15"
    assert not bugs(drive_every_page(at))


def test_oversized_upload_is_one_line(at: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(state, "upload_limit_mb", lambda: 1)
    rows = 30_000
    big = pl.DataFrame(
        {
            "region": [f"r{i % 100}" for i in range(rows)],
            "year": [2000 + i // 100 for i in range(rows)],
            **{f"x{j}": [float(i * j) / 7 for i in range(rows)] for j in range(4)},
        }
    )
    data = big.write_csv().encode()
    assert len(data) > 1 << 20
    upload(at, "big.csv", data)
    message = one_line_error(at)
    assert "limit" in message
    assert "big.csv" in message
    upload(at, "big.xlsx", workbook({"a": big, "b": big}), XLSX)
    message = one_line_error(at)
    assert "limit" in message
    assert "big.xlsx" in message
    go(at, "index")
    assert any("Data page" in i.value for i in at.info)  # nothing stale is computed on


def zip_bomb(uncompressed: int = 80 << 20) -> bytes:
    """A valid-looking XLSX whose one sheet inflates to ``uncompressed`` bytes."""
    buffer = io.BytesIO(workbook({"a": pl.DataFrame({"region": ["A"], "year": [2020]})}))
    with zipfile.ZipFile(buffer) as source:
        parts = {n: source.read(n) for n in source.namelist()}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            if name != "xl/worksheets/sheet1.xml":
                archive.writestr(name, data)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<?xml version="1.0"?><worksheet><sheetData>')
            row = b"<row>" + b'<c t="inlineStr"><is><t>x</t></is></c>' * 256 + b"</row>"
            for _ in range(uncompressed // len(row)):
                sheet.write(row)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def test_zip_bomb_is_one_line(at: AppTest) -> None:
    data = zip_bomb()
    assert len(data) < 2 << 20  # small on the wire, 80 MB inflated
    upload(at, "bomb.xlsx", data, XLSX)
    message = one_line_error(at)
    assert "bomb.xlsx" in message


# ------------------------------------------------------------------------- exports


EXPORT_NAMES = ["=cmd|' /C calc'!A0", "+SUM(A1)", "-2+3", "@x", "<img src=x onerror=alert(1)>"]


def export_frame() -> pl.DataFrame:
    """Hostile headers and cells (and a lone '-', a direction code, not a formula)."""
    return pl.DataFrame(
        {
            EXPORT_NAMES[0]: ['=HYPERLINK("http://evil")', "-", "ok"],
            EXPORT_NAMES[1]: [1.0, -2.0, 3.0],
            EXPORT_NAMES[4]: ["@SUM(A1)", "$x^2$ & 50% #1 _{}", "\\input{x}"],
        }
    )


def formula_like(text: str) -> bool:
    return text[:1] in ("=", "+", "@", "\t", "\r") or (text[:1] == "-" and len(text) > 1)


def test_csv_and_zip_exports_neutralise_headers_and_cells() -> None:
    import csv

    from nqpf.app import export

    data = export.csv_bytes(export_frame())
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads the UTF-8 as UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    cells = [c for row in rows[1:] for i, c in enumerate(row) if i != 1]  # text columns
    assert "-" in cells  # a lone sign is kept
    assert not [c for c in cells if formula_like(c)], cells
    assert '\'=HYPERLINK("http://evil")' in cells
    with zipfile.ZipFile(io.BytesIO(export.zip_of_csv({"a": export_frame()}))) as archive:
        assert archive.read("a.csv") == data
    assert not [h for h in rows[0] if formula_like(h)], rows[0]
    assert rows[0][0] == "'" + EXPORT_NAMES[0]


def test_xlsx_export_has_no_formula() -> None:
    """The workbook's XML holds no formula element, in headers, cells or options."""
    from nqpf.app import export

    book = export.xlsx_bytes({"t": export_frame()}, meta={"=file": "=HYPERLINK(1)"})
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        xml = "".join(archive.read(n).decode("utf-8") for n in sheets)
    assert len(sheets) == 2  # the table and its options
    assert "<f>" not in xml
    back = pl.read_excel(io.BytesIO(book), sheet_name="t")
    assert back.columns[0] == "'" + EXPORT_NAMES[0]
    assert back[back.columns[0]].to_list()[0] == '\'=HYPERLINK("http://evil")'


def test_latex_and_html_exports_are_the_librarys_and_escape() -> None:
    import html.parser

    import nqpf.formats
    from nqpf.app import export
    from nqpf.report import Report, ReportTable

    assert export.latex_table is nqpf.formats.latex_table
    tex = export.latex_table(export_frame(), caption="$x$ & #", label="tab:scores")
    body = tex.split(r"\midrule")[1].split(r"\bottomrule")[0]
    # every LaTeX special of the cells is escaped: none stands alone
    assert "\\input" not in body.replace(r"\textbackslash{}input", "")
    for char in "$&#%_{}":
        unescaped = [i for i, c in enumerate(body) if c == char and body[i - 1] != "\\"]
        allowed = {i for i, c in enumerate(body) if c == "&" and body[i - 1] == " "}  # columns
        if char in "{}":  # the braces of \textbackslash{} and \textasciicircum{}
            allowed |= {i for i in unescaped if body[max(0, i - 20) : i + 1].endswith(("{", "{}"))}
        assert set(unescaped) <= allowed, (char, body)

    class Tags(html.parser.HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: set[str] = set()
            self.text: list[str] = []

        def handle_starttag(self, tag: str, attrs: object) -> None:
            self.tags.add(tag)

        def handle_data(self, data: str) -> None:
            self.text.append(data)

    report = Report(
        "<script>alert(1)</script>",
        (ReportTable("t", "<img src=x onerror=alert(1)>", export_frame()),),
        options={"file": "[link](http://evil).csv"},
    )
    page = export.report_html(report).decode("utf-8")
    parser = Tags()
    parser.feed(page)
    assert not parser.tags & {"img", "script", "iframe", "object"}, parser.tags
    text = "".join(parser.text)
    for name in export_frame().columns:
        assert name in text
    assert "[link](http://evil).csv" in text
