"""What the app shows, cell by cell: no ``None``, ``nan``, ``inf``, rounding dust or
unrounded float on any page, in either language, on the default data and on the
31-province panel (a spatial one: the Spatial page and the weights-based analyses run).

Every page of the app is visited and its compute buttons pressed; then every table
(``st.dataframe``, ``st.table``), every metric and every number input of the page is
read as the browser shows it, from what the server sends:

* a table cell is shown by its column's format (``column_config``: the printf string of
  the number policy, or ``percent``) and, when missing, by the table's placeholder
  (Streamlit draws "None" without one); a NaN in a number column is an error cell
  ("The value cannot be interpreted as a number"), ±∞ is ``Infinity``: both are defects;
* an empty cell must be explained: the table's container has a caption;
* rounding dust: a value below ``formats.NOISE`` times its column's largest magnitude
  that is shown as anything but zero (``1.000e-17``, ``-0.0000``);
* a text cell or a metric that reads ``None``/``nan``/``inf`` or carries an unrounded
  float (``0.3333333333333333``);
* one column with cells of different decimals (``88%`` beside ``10.32%``);
* a number input's shown value: its printf format applied as sprintf.js does
  (Streamlit's front end), where ``%g`` without a precision is the full JavaScript
  number (``0.3333333333333333``).

The formats are applied here with Python's ``%`` (sprintf.js and C agree on ``%.Nf``
and ``%.Ne``), independently of the app's own formatting code.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pytest

pytest.importorskip("streamlit", reason="the app extra (streamlit) is not installed")
from app_panel31 import PROVINCES, panel31_csv
from streamlit.testing.v1 import AppTest
from test_app import ALL_PAGES, ROOT, TIMEOUT, ok, page_path, upload

from nqpf.formats import NOISE

#: Texts a user must never read as a value (Python's, numpy's and JavaScript's spellings;
#: the word "none" of a choice, "no fixed effects", is English).
UNDEFINED = re.compile(r"^\s*[-+]?(None|nan|NaN|inf|Infinity|null|<NA>)\s*%?\s*$")
#: A label nqpf wrote in English (``divergent``, ``natural``, ``not significant``): in the
#: Chinese app a text cell of lowercase ASCII words that is none of the data's own names.
ENGLISH_LABEL = re.compile(r"^[a-z]+(?:[ _-][a-z]+)*$")
#: Columns of names, not labels: the R check's R packages and routines and the symbols of
#: the quantities it compares (``G``, ``entropy``, ``local z``), as its report prints them.
NAME_COLUMNS = frozenset({"package", "routine", "quantity"})
#: A float printed with more decimals than any of the app's formats gives (the number
#: policy shows at most 4, 3 significant in scientific notation): Python's repr.
UNROUNDED = re.compile(r"\d\.\d{7,}")
#: A zero shown with a sign: ``-0``, ``-0.0000``, ``-0.000e+00``, ``-0.00%``.
SIGNED_ZERO = re.compile(r"^-0(\.0*)?(e[+-]?0+)?%?$")


def sprintf_js(fmt: str, value: float) -> str:
    """``fmt`` applied to ``value`` as sprintf.js (Streamlit's number input) does for one
    ``%d/%i/%u/%f/%e/%g`` conversion: ``%g`` without a precision is JavaScript's
    ``String(parseFloat(x))``, the shortest round-trip text (Python's ``repr``)."""
    found = re.search(r"%([-+ 0#]*)(\d*)(?:\.(\d+))?([diufeEgG])", fmt)
    assert found, fmt
    kind, precision = found.group(4), found.group(3)
    if kind in "gG" and precision is None:
        text = repr(float(value))
        text = text[:-2] if text.endswith(".0") else text  # JavaScript prints 400, not 400.0
    elif kind in "diu":
        text = str(int(value))
    else:
        text = ("%" + found.group(0)[1:]) % value
    return fmt[: found.start()] + text + fmt[found.end() :]


def shown_number(fmt: str | None, value: float, step: float | None = None) -> str:
    """A number column's cell as the browser shows it (formats the app uses). Streamlit's
    ``percent`` has the step's decimals less two, or without a step 0 to 2 of them
    (``88%`` and ``10.32%`` in one column)."""
    if fmt is None:
        return repr(value)  # no format: a defect of its own (see table_problems)
    if fmt == "percent":
        if step is None:
            return f"{value * 100:.2f}".rstrip("0").rstrip(".") + "%"
        decimals = max(round(-math.log10(step)) - 2, 0)
        return f"{value * 100:.{decimals}f}%"
    if fmt.startswith("%"):
        return fmt % value
    return repr(value)


def column_formats(element: Any) -> dict[str, tuple[str | None, float | None]]:
    """Column → the format and step its ``column_config`` gives (None: none)."""
    if not element.proto.columns:
        return {}
    config = json.loads(element.proto.columns)
    return {
        name: (
            (entry.get("type_config") or {}).get("format"),
            (entry.get("type_config") or {}).get("step"),
        )
        for name, entry in config.items()
        if isinstance(entry, dict)
    }


def arrow_table(data: bytes) -> pa.Table:
    with pa.ipc.open_stream(data) as reader:
        return reader.read_all()


def table_problems(
    where: str,
    table: pa.Table,
    formats: dict[str, tuple[str | None, float | None]],
    english: frozenset[str] | None,
) -> Iterator[str]:
    """The cells of one table a user should not see (the module docstring's rules);
    missing cells are checked by the caller (they depend on the placeholder).
    ``english``: in the Chinese app, the data's own lowercase names (any other lowercase
    English label is untranslated); None in the English app."""
    for name, column in zip(table.column_names, table.columns, strict=True):
        if name.startswith("__index_level_"):
            continue
        kind = column.type
        cells = column.to_pylist()
        if pa.types.is_floating(kind):
            fmt, step = formats.get(name, (None, None))
            finite = [x for x in cells if x is not None and math.isfinite(x)]
            if fmt is None and any(not float(x).is_integer() for x in finite):
                yield f"{where}: column {name!r} has no number format"
            scale = max((abs(x) for x in finite), default=0.0)
            for x in cells:
                if x is None:
                    continue
                if math.isnan(x):
                    yield f"{where}: column {name!r} shows NaN (an error cell)"
                    break
                if math.isinf(x):
                    yield f"{where}: column {name!r} shows Infinity"
                    break
                text = shown_number(fmt, x, step)
                zero = text.lstrip("-").rstrip("%")
                dust = x != 0 and abs(x) < NOISE * scale and not re.fullmatch(r"0(\.0*)?", zero)
                if dust or SIGNED_ZERO.match(text):
                    yield f"{where}: column {name!r} shows {x!r} as {text!r}"
                    break
                if UNROUNDED.search(text):
                    yield f"{where}: column {name!r} shows the unrounded {text!r}"
                    break
            # the number policy: one decimals count per column
            texts = [shown_number(fmt, x, step) for x in finite] if fmt else []
            decimals = {len(re.split(r"[e%]", t)[0].partition(".")[2]) for t in texts}
            if len(decimals) > 1:
                yield f"{where}: column {name!r} mixes decimals: {sorted(set(texts))[:4]}"
        elif pa.types.is_string(kind) or pa.types.is_large_string(kind):
            labels = english is not None and name not in NAME_COLUMNS
            for x in cells:
                if x is not None and (UNDEFINED.match(x) or UNROUNDED.search(x)):
                    yield f"{where}: column {name!r} shows the text {x!r}"
                    break
                if labels and x is not None and ENGLISH_LABEL.match(x) and x not in english:
                    yield f"{where}: column {name!r} shows the English label {x!r}"
                    break


#: A header that reads as English: a word of three or more lowercase letters (symbols
#: such as Gjj, E_Ii, q1, p or z are the same in both languages; a capitalised name,
#: Kendall or Python, is a name).
ENGLISH_HEADER = re.compile(r"(?<![A-Za-z])[a-z]{3,}")


def header_problems(
    where: str, element: Any, table: pa.Table, english: frozenset[str]
) -> Iterator[str]:
    """In the Chinese app, each column of a table that is not the user's (``english``:
    the data's own names) shows a Chinese header (nqpf.app.state.translated_headers)."""
    import json

    config = json.loads(element.proto.columns or "{}")
    for name in table.column_names:
        if name.startswith("__index_level_") or name in english:
            continue
        shown = config.get(name, {}).get("label") or name
        rest = shown  # a header may name the user's dimension: "output 相对发展度 R"
        for own in sorted(english, key=len, reverse=True):
            rest = rest.replace(own, "")
        if ENGLISH_HEADER.search(rest):
            yield f"{where}: column {name!r} has the English header {shown!r}"


def has_missing(table: pa.Table) -> bool:
    def missing(x: Any) -> bool:
        return x is None or (isinstance(x, float) and not math.isfinite(x))

    return any(
        any(missing(x) for x in column.to_pylist())
        for name, column in zip(table.column_names, table.columns, strict=True)
        if not name.startswith("__index_level_")
    )


def table_blocks(at: AppTest) -> dict[int, Any]:
    """``id`` of each table's proto → the keyed container it is drawn in
    (:func:`nqpf.app.state.table`: ``df.<page>.<name>``)."""
    found = {}
    for block in at.container:
        if block.key and block.key.startswith("df."):
            for element in block.get("dataframe"):
                found[id(element.proto)] = block
    return found


def page_problems(at: AppTest, where: str, english: frozenset[str] | None) -> list[str]:
    """Everything on the page as shown that reads as a defect (the module docstring)."""
    problems: list[str] = []
    blocks = table_blocks(at)
    for element in at.dataframe:
        block = blocks.get(id(element.proto))
        name = f"{where} {block.key if block is not None else element.key or 'st.dataframe'}"
        table = arrow_table(element.proto.arrow_data.data)
        editor = element.editing_mode != "read_only"  # the user's own cells: not labels
        problems += table_problems(
            name, table, column_formats(element), None if editor else english
        )
        if english is not None and not editor:  # the Chinese app: headers of nqpf's columns
            problems += header_problems(name, element, table, english)
        if editor or not has_missing(table):
            continue  # an editor's empty cell is an input not given yet
        placeholder = element.proto.placeholder if element.proto.HasField("placeholder") else None
        if placeholder is None or UNDEFINED.match(placeholder):
            problems.append(f"{name}: a missing cell is shown as {placeholder or 'None'!r}")
        elif block is None or not any(placeholder in c.value for c in block.get("caption")):
            problems.append(f"{name}: empty cells ({placeholder!r}) without a caption on them")
    for element in at.table:
        table = arrow_table(element.proto.arrow_data.data)
        problems += table_problems(f"{where} st.table", table, {}, english)
    for metric in at.metric:
        if UNDEFINED.match(metric.value) or UNROUNDED.search(metric.value):
            problems.append(f"{where}: metric {metric.label!r} reads {metric.value!r}")
        if SIGNED_ZERO.match(metric.value.strip()):
            problems.append(f"{where}: metric {metric.label!r} reads {metric.value!r}")
    if english is not None:  # the Chinese app: no widget text left to Streamlit's English
        for box in at.multiselect:
            if not box.proto.placeholder or re.search(r"[A-Za-z]", box.proto.placeholder):
                problems.append(f"{where}: multiselect {box.key!r} says {box.proto.placeholder!r}")
    for box in at.number_input:
        if box.value is None:
            continue
        shown = sprintf_js(box.proto.format or "%0.2f", float(box.value))
        if UNROUNDED.search(shown) or UNDEFINED.match(shown):
            problems.append(f"{where}: number input {box.key!r} shows {shown!r}")
    return problems


class Sweep:
    """Visits pages of one app session and collects what each shows."""

    def __init__(self, at: AppTest, language: str, data: str) -> None:
        self.at, self.problems = at, []
        self.label = f"[{data}, {language}]"
        self.english = data_names(data) if language == "zh" else None

    def look(self, what: str) -> None:
        ok(self.at)
        english = self.english
        if english is not None and "spec.current" in self.at.session_state:
            # the indicator system's names as the user has them (an automatic spec's
            # dimension "index" among them)
            spec = self.at.session_state["spec.current"]
            english |= {str(v) for c in spec.columns for v in spec.get_column(c).to_list()}
        if english is not None:  # a regression's terms: the logs of those names and the score
            english |= {f"ln_{name}" for name in (*english, "score")}
        self.problems += page_problems(self.at, f"{self.label} {what}", english)

    def go(self, name: str) -> None:
        self.at.switch_page(page_path(name)).run()
        self.look(name)

    def press(self, page: str, button: str) -> None:
        self.at.button(key=button).click().run()
        self.look(f"{page} after {button}")

    def set(self, page: str, key: str, value: Any, what: str | None = None) -> None:
        self.at.session_state[key] = value
        self.at.run()
        self.look(f"{page} with {what or f'{key}={value!r}'}")


def data_names(data: str) -> frozenset[str]:
    """The names a table may show as the data has them (its columns and dimensions)."""
    import io

    import polars as pl

    import nqpf

    if data == "panel31":
        return frozenset(pl.read_csv(io.BytesIO(panel31_csv())).columns)
    panel, spec = nqpf.load_pwt()
    return frozenset(panel.frame.columns) | {i.dimension for i in spec.indicators}


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.chdir(ROOT)  # AppTest reads .streamlit/config.toml from the working directory
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=TIMEOUT)
    at.run()
    return at


def sweep(at: AppTest, language: str, data: str) -> list[str]:
    """Every page with its compute buttons pressed and its sections opened."""
    s = Sweep(at, language, data)
    at.radio(key="w.lang").set_value(language).run()
    if data == "panel31":
        upload(at, "provinces31.csv", panel31_csv())
    s.look("data")
    visited = ["data"]
    s.go("indicators")
    s.go("index")
    s.press("index", "btn.index")
    tabs = {"en": 0, "zh": 1}[language]
    from nqpf.app import i18n

    s.set("index", "idx.tabs", i18n.TEXT["idx.tab.charts"][tabs], "the Charts tab")
    s.go("disparity")
    s.press("disparity", "btn.dagum")
    at.number_input(key="w.boot.B").set_value(19).run()
    s.press("disparity", "btn.boot")
    s.go("dynamics")
    for section in ("convergence", "markov", "clubs", "kde", "obstacle"):
        s.set("dynamics", "w.dyn.section", section)
        if section == "markov" and data == "panel31":
            s.press("dynamics", "btn.dyn.rank")
    s.go("spatial")
    if data == "panel31":
        # dense binary weights: every province neighbours every other (Gi* z undefined)
        s.set("spatial", "w.spa.w.kind", "knn")
        s.set("spatial", "w.spa.w.k", len(PROVINCES) - 1, "k = n − 1 neighbours")
        s.set("spatial", "w.spa.w.kind", "contiguity")
        s.press("spatial", "btn.spa.crossval")
    s.go("inequality")
    s.go("coupling")
    s.go("geodetector")
    s.press("geodetector", "btn.geo.run")
    s.go("robustness")
    s.press("robustness", "btn.rob.run")
    s.go("compare")
    s.press("compare", "btn.compare")
    s.press("compare", "btn.crossval")  # the R check (its rows skipped where R is absent)
    s.go("export")
    s.press("export", "btn.paper")
    visited += [
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
    assert sorted(visited) == sorted(ALL_PAGES)  # a new page joins the sweep
    return s.problems


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:R is not initialized by the main thread")
@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("data", ["default", "panel31"])
def test_no_page_shows_undefined_or_unrounded_numbers(
    app: AppTest, language: str, data: str
) -> None:
    problems = sweep(app, language, data)
    assert not problems, "\n".join(dict.fromkeys(problems))


# ------------------------------------------------ the display rules, one at a time


def test_shown_table_changes_the_display_not_the_frame() -> None:
    """``state.shown_table``: NaN and ±∞ become empty cells, a negative value that rounds
    to zero at the column's 4 decimals becomes 0 (printf would show ``-0.0000``), and so
    does noise (below NOISE times the column's largest magnitude) in a column shown in
    scientific notation; every other cell keeps its full value (a positive 1e-18 reads
    0.0000 as it is), and the frame given (the one published for export) is untouched."""
    import polars as pl

    from nqpf.app import state

    values = [0.3, 1e-18, -2e-5, float("nan"), float("inf"), -0.123456789, None]
    frame = pl.DataFrame({"region": list("abcdefg"), "x": values})
    before = frame.clone()
    shown, config, empty = state.shown_table(frame)
    assert shown["x"].to_list() == [0.3, 1e-18, 0.0, None, None, -0.123456789, None]
    assert empty
    assert frame.equals(before, null_equal=True)
    # the shown texts, by the column's printf format
    fmt = json.loads(json.dumps(config["x"]))["type_config"]["format"]
    assert [None if x is None else fmt % x for x in shown["x"].to_list()] == [
        "0.3000",
        "0.0000",
        "0.0000",
        None,
        None,
        "-0.1235",
        None,
    ]
    # a whole-number table has nothing to say
    assert not state.shown_table(pl.DataFrame({"n": [1.0, 2.0]}))[2]
    # scientific notation (every value below 0.00005): noise would read 1.000e-20
    tiny, config, _ = state.shown_table(pl.DataFrame({"v": [2e-6, 1e-20, -3e-21, -1e-6]}))
    fmt = json.loads(json.dumps(config["v"]))["type_config"]["format"]
    assert [fmt % x for x in tiny["v"].to_list()] == [
        "2.000e-06",
        "0.000e+00",
        "0.000e+00",
        "-1.000e-06",
    ]


def test_number_inputs_round_as_the_declaration_says() -> None:
    """The clubs' trim (1/3) is shown with 4 decimals, not as sprintf.js's ``%g`` (the
    whole double); a typed value keeps the decimals it needs."""
    from nqpf.app.widgets import number_format
    from nqpf.options import ClubOptions, IndexOptions

    trim = ClubOptions.info("trim")
    assert sprintf_js("%g", trim.default) == "0.3333333333333333"  # the old format
    assert sprintf_js(number_format(trim), trim.default) == "0.3333"
    shift = IndexOptions.info("shift")
    assert sprintf_js(number_format(shift), shift.default) == "0.0001"
    assert sprintf_js(number_format(trim, 0.001), 0.001) == "0.0010"
    assert sprintf_js(number_format(ClubOptions.info("hp_lambda")), 400.0) == "400.00"


def test_club_labels_in_chinese_keep_the_library_value() -> None:
    from nqpf.translations import club_label

    assert club_label("divergent", "zh") == "发散"
    assert club_label("divergent", "en") == "divergent"
    assert club_label("club2", "zh") == "俱乐部2"


def _labels(at: AppTest, key: str) -> dict[str, str | None]:
    """Column → the header the table shows (None: the column's own name)."""
    import json

    element = at.get_by_key(key).dataframe[0]
    config = json.loads(element.proto.columns or "{}")
    table = arrow_table(element.proto.arrow_data.data)
    return {
        name: config.get(name, {}).get("label")
        for name in table.column_names
        if not name.startswith("__index_level_")
    }


def test_chinese_tables_show_chinese_headers_and_the_users_names(app: AppTest) -> None:
    """In the Chinese app nqpf's columns have the documents' Chinese headers
    (nqpf.translations.header); the user's own columns keep their names, here a region
    column the user called "region" and a group column called "dimension" (维度 when it is
    nqpf's own); the frame (and so every download) keeps the English
    names."""
    import io

    import polars as pl

    from nqpf.translations import header

    data = pl.read_csv(io.BytesIO(panel31_csv())).rename(
        {"province": "region", "area": "dimension"}
    )
    app.radio(key="w.lang").set_value("zh").run()
    upload(app, "provinces31.csv", data.write_csv().encode())
    app.switch_page(page_path("index")).run()
    app.button(key="btn.index").click().run()
    ok(app)
    weights = _labels(app, "df.weights")
    assert weights["weight"] == header("weight", "zh") == "权重"
    assert weights["indicator"] == "指标"
    scores = _labels(app, "df.scores")
    assert scores["region"] is None
    assert header("dimension", "zh") == "维度"
    assert scores["dimension"] is None  # the user's column, not nqpf's 维度
    assert scores["score"] == header("score", "zh")
    assert list(pl.from_pandas(app.get_by_key("df.scores").dataframe[0].value).columns) == list(
        scores
    )
    app.radio(key="w.lang").set_value("en").run()
    assert _labels(app, "df.weights")["weight"] in (None, "weight")
