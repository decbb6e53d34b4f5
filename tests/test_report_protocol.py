"""The report as a result (nqpf.results.Result), its options (nqpf.options.ReportOptions)
and its sections: one small builder each, run in order by build_report."""

from __future__ import annotations

import ast
import html.parser
import inspect
import json
from pathlib import Path

import polars as pl
import pytest
from hostile import small_index

from nqpf import report as report_module
from nqpf.errors import InputError
from nqpf.io import read_table, sheet_names
from nqpf.options import ReportOptions
from nqpf.report import MARKER, Report, ReportTable, build_report
from nqpf.report.sections import SECTIONS, Context, Part, markov_section
from nqpf.results import Result


def _result(n_regions: int, years: list[int], n_groups: int = 2):
    return small_index(n_regions, years, n_groups, seed=5)


@pytest.fixture(scope="module")
def result():
    return _result(9, list(range(2010, 2017)))


@pytest.fixture(scope="module")
def built(result):
    return build_report(result, group="zone", title="Regions <b>&</b> zones")


# --------------------------------------------------------------------------- the protocol


def test_report_is_a_result_whose_tables_are_its_entries(built):
    assert isinstance(built, Result)
    tables = built.tables()
    assert list(tables) == built.names == [entry.name for entry in built.entries]
    for entry in built.entries:
        assert tables[entry.name] is entry.frame
        assert built.table(entry.name) is entry.frame
    assert {"regions", "weights", "dagum_zone", "markov", "obstacles"} <= set(tables)


def test_summary_is_the_summary_lines(built):
    assert built.summary() == "\n".join(built.summary_lines)
    assert str(built) == built.summary()
    assert built.summary().startswith("Echelons (jenks, k = 3): ")


def test_options_are_the_report_options_and_the_index_options(built, result):
    expected = {**dict(result.options), **ReportOptions().to_dict()}
    assert built.options == expected
    assert built.report_options == ReportOptions()
    # the page header and the workbook show the index options, as before
    assert built.shown_options == dict(result.options)


def test_to_dict_is_json_ready_and_holds_every_row(built):
    data = json.loads(json.dumps(built.to_dict(), ensure_ascii=False))
    assert data["kind"] == "Report"
    assert data["title"] == built.title
    assert data["summary"] == list(built.summary_lines)
    assert data["options"]["k"] == 3
    assert data["options"]["scope"] == "panel"
    assert set(data["tables"]) == set(built.names)
    for entry in built.entries:
        assert len(data["tables"][entry.name]) == entry.frame.height
    assert data["figures"]["trend"] == "regions"


class _Tags(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def test_repr_html_shows_the_title_and_tables_as_text(built):
    page = _Tags()
    page.feed(built._repr_html_())
    assert "b" not in page.tags  # the title's <b> is text, not markup
    assert "Regions <b>&</b> zones" in "".join(page.text)
    assert page.tags.count("table") == len(built.entries)


# --------------------------------------------------------------------------- writing


def test_a_path_with_a_table_suffix_is_one_file(built, tmp_path):
    xlsx = built.write(tmp_path / "report.xlsx")  # one file: its path, as every result
    assert xlsx == tmp_path / "report.xlsx"
    assert xlsx.is_file()
    sheets = sheet_names(xlsx)
    assert sheets[: len(built.names)] == built.names
    options = read_table(xlsx, sheet="options")
    assert dict(options.iter_rows())["k"] == "3"

    path = built.write(tmp_path / "report.json")
    data = json.loads(path.read_text("utf-8"))
    assert set(built.names) <= set(data)
    assert len(data["regions"]) == built.table("regions").height

    csv = built.write(tmp_path / "regions.csv")
    regions = read_table(csv)
    assert regions.columns == built.table("regions").columns
    assert regions.height == built.table("regions").height
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "regions.csv",
        "report.json",
        "report.xlsx",
    ]


@pytest.mark.parametrize("name", ["report", "report.v2"])
def test_any_other_path_is_the_report_folder(built, tmp_path, name):
    written = built.write(tmp_path / name)
    folder = tmp_path / name
    assert folder.is_dir()
    assert (folder / MARKER).is_file()
    assert {p.relative_to(folder) for p in written} >= {
        Path("report.html"),
        Path("report.xlsx"),
        Path("tables") / "regions.csv",
    }
    assert all(p.is_file() for p in written)
    assert built.write_folder(folder) == written  # the same files, replaced whole


def test_a_report_made_by_hand_as_the_app_makes_it():
    frame = pl.DataFrame({"x": [1, 2]})
    made = Report(title="t", tables=(ReportTable("a", "A", frame),), options={"scope": "year"})
    assert made.tables() == {"a": frame}
    assert made.options == {"scope": "year"}
    assert "scope=year" in made.to_html()
    assert made.summary() == ""


def test_a_report_without_a_regions_table_writes_its_first_as_csv(tmp_path):
    first, second = pl.DataFrame({"x": [1, 2]}), pl.DataFrame({"y": [3]})
    made = Report(title="t", tables=(ReportTable("a", "A", first), ReportTable("b", "B", second)))
    path = made.write(tmp_path / "t.csv")
    assert read_table(path).equals(first)


def test_a_report_is_frozen(built):
    with pytest.raises(AttributeError):
        built.title = "other"  # type: ignore[misc]


# --------------------------------------------------------------------------- options


def test_options_as_keywords_object_or_dict_give_one_report(result):
    chosen = {"echelon_rule": "quantiles", "k": 2, "markov_k": 3, "clubs": False}
    reports = [
        build_report(result, **chosen),
        build_report(result, options=ReportOptions(**chosen)),
        build_report(result, options=chosen),
        build_report(result, options=ReportOptions(k=4, clubs=True), **chosen),
    ]
    first = reports[0]
    # the options took effect: two tiers, three Markov states, no clubs
    assert first.table("regions").get_column("echelon").unique().sort().to_list() == [1, 2]
    assert first.table("markov").height == 3
    assert "clubs" not in first.names
    for other in reports[1:]:
        assert other.report_options == ReportOptions(**chosen)
        assert other.names == first.names
        assert other.summary_lines == first.summary_lines
        for name in first.names:
            assert other.table(name).equals(first.table(name)), name


def test_the_signature_lists_the_declared_options():
    parameters = list(inspect.signature(build_report).parameters)
    assert parameters == [
        "result",
        "echelon_rule",
        "k",
        "sd_multiplier",
        "small_sample",
        "markov_k",
        "clubs",
        "language",
        "group_order",
        "group",
        "validation",
        "title",
        "progress",
        "weights",
        "geometry",
        "geometry_id",
        "spatial_options",
        "geodetector_factors",
        "geodetector_options",
        "markov_options",
        "club_options",
        "options",
    ]
    assert build_report.__options__ is ReportOptions


@pytest.mark.parametrize(
    ("keywords", "named"),
    [
        ({"echelon_rule": "column"}, "echelon_rule"),  # echelons needs its own column
        ({"echelon_rule": "nope"}, "echelon_rule"),
        ({"k": 1}, "k"),
        ({"k": 2.0}, "k"),
        ({"markov_k": 0}, "markov_k"),
        ({"sd_multiplier": 0}, "sd_multiplier"),
        ({"small_sample": "sas"}, "small_sample"),
        ({"markov_options": {"k": 1}}, "k"),
        ({"markov_options": 3}, "options"),
        ({"club_options": {"trim": 2}}, "trim"),
        ({"clubs": "yes"}, "clubs"),
        ({"options": 3}, "options"),
        ({"options": {"kk": 3}}, "kk"),
    ],
)
def test_bad_options_are_one_input_error(result, keywords, named):
    with pytest.raises(InputError, match=named) as info:
        build_report(result, **keywords)
    assert "\n" not in str(info.value)


def test_an_unknown_keyword_names_the_close_match(result):
    with pytest.raises(TypeError, match="did you mean 'k'"):
        build_report(result, kk=3)


# --------------------------------------------------------------------------- sections


def test_progress_counts_the_steps_of_the_sections(result):
    calls = []
    build_report(result, progress=lambda *step: calls.append(step))
    # the spatial step runs only with weights (tests/test_report_spatial.py)
    labels = [step for step, _ in SECTIONS if step not in (None, "spatial")]
    assert [label for label, _, _ in calls] == [*labels, "done"]
    assert [done for _, done, _ in calls] == list(range(len(labels) + 1))
    assert {total for _, _, total in calls} == {len(labels)}


def test_a_section_returns_what_it_could_not_run_and_why():
    one_year = _result(6, [2020])
    ctx = Context.of(one_year, ReportOptions(), group=None, validation=None, progress=None)
    part = markov_section(ctx)
    assert isinstance(part, Part)
    assert part.tables == []
    assert part.figures == {}
    [(analysis, reason)] = part.not_run
    assert analysis == "Markov chain"
    assert "needs at least 2 years" in reason
    assert "(2020)" in reason
    assert ctx.tables == []  # a section returns its part; build_report adds it


def test_every_builder_is_a_documented_function_of_a_context():
    for _, build in SECTIONS:
        assert build.__name__.endswith("_section"), build
        assert build.__doc__, build
        assert list(inspect.signature(build).parameters) == ["ctx"], build


def _long_functions(path: Path) -> list[str]:
    """Functions of ``path`` whose code (without the docstring) is over 80 lines and
    whose docstring gives no ``Length:`` reason."""
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        body, doc = node.body, ast.get_docstring(node) or ""
        if doc and isinstance(body[0], ast.Expr):
            body = body[1:]
        lines = body[-1].end_lineno - body[0].lineno + 1 if body else 0
        if lines > 80 and "Length:" not in doc:
            found.append(f"{path.name}:{node.lineno} {node.name} ({lines} lines)")
    return found


def test_no_function_of_the_report_is_over_80_lines():
    package = Path(report_module.__file__).parent
    files = [*sorted(package.glob("*.py")), package.parent / "formats.py"]
    assert len(files) > 2
    assert [f for path in files for f in _long_functions(path)] == []


def test_the_length_rule_sees_a_long_function(tmp_path):
    long = "def f():\n    '''doc'''\n" + "    x = 1\n" * 81
    (tmp_path / "long.py").write_text(long, "utf-8")
    assert _long_functions(tmp_path / "long.py") == ["long.py:1 f (81 lines)"]
    (tmp_path / "ok.py").write_text(long.replace("doc", "Length: a reason"), "utf-8")
    assert _long_functions(tmp_path / "ok.py") == []
