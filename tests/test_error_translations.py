"""Error messages in Chinese (nqpf.error_translations): every InputError message the
app can raise has a template, and a raised error reads in Chinese.

The scan reads the message literals of the modules that read files, map columns,
read the spec, check options and run the index, echelons and Dagum decomposition (and
the app's own), as the module docstring of nqpf.error_translations says; a message
without a template fails here, so none can be added untranslated.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import polars as pl
import pytest

from nqpf import error_translations as et
from nqpf.errors import InputError

PKG = Path(__file__).resolve().parents[1] / "pkg" / "nqpf"

#: The modules whose InputErrors the app can show (reading, columns, spec, options,
#: index, weights, echelons, Dagum, ordering) and the app itself.
SCANNED = [
    "io.py",
    "panel.py",
    "checks.py",
    "options.py",
    "index.py",
    "weights.py",
    "topsis.py",
    "groups.py",
    "dagum.py",
    "_frames.py",
    "ordering.py",
    # issue 15: each page adds its library modules here (dynamics, spatial, inequality,
    # geodetect, coupling, multiverse, project, report)
    "inequality.py",
    "geodetect.py",
    "project.py",
    "coupling.py",
    "multiverse.py",
    # the Dynamics page: every module of nqpf.dynamics, and the obstacle degree
    *(str(p.relative_to(PKG)) for p in sorted((PKG / "dynamics").glob("*.py"))),
    "obstacle.py",
    # spatial: the Spatial page's modules (weights, builders, statistics, maps)
    *(
        f"spatial/{m}.py"
        for m in ("weights", "builders", "china", "panel", "autocorrelation", "local", "maps")
    ),
    *(str(p.relative_to(PKG)) for p in sorted((PKG / "report").glob("*.py"))),  # report
    *(str(p.relative_to(PKG)) for p in sorted((PKG / "app").rglob("*.py"))),
]


def _braces(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def templates_of(node: ast.AST) -> list[str] | None:
    """Every template a str expression can give (``{}`` for each formatted value); None
    for an expression that is no string built here (a variable, a call)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [_braces(node.value)]
    if isinstance(node, ast.JoinedStr):
        out = [""]
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts = [_braces(value.value)]
            elif isinstance(value, ast.FormattedValue) and isinstance(value.value, ast.IfExp):
                branches = (value.value.body, value.value.orelse)
                parts = [p for b in branches for p in (templates_of(b) or ["{}"])]
            else:
                parts = ["{}"]
            out = [a + b for a in out for b in parts]
        return out
    if isinstance(node, ast.IfExp):
        return (templates_of(node.body) or ["{}"]) + (templates_of(node.orelse) or ["{}"])
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = templates_of(node.left) or ["{}"], templates_of(node.right) or ["{}"]
        return [a + b for a in left for b in right]
    return None


def message_nodes(tree: ast.AST) -> list[ast.AST]:
    """The message and hint expressions of ``InputError(...)``/``UnknownOptionError(...)``
    and of error helpers (``self._error(...)``), strings assigned to ``what``/``hint``,
    and what a ``*_hint`` function returns."""
    found: list[ast.AST] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", getattr(node.func, "attr", "")) or ""
            if name in ("InputError", "UnknownOptionError") or name.endswith("_error"):
                found += node.args[:1]
                found += [k.value for k in node.keywords if k.arg in ("what", "hint")]
        elif isinstance(node, ast.FunctionDef) and node.name.endswith("_hint"):
            # a function that words a hint (nqpf.io.number_hint): what it returns
            found += [n.value for n in ast.walk(node) if isinstance(n, ast.Return) and n.value]
        elif isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id in ("what", "hint") for t in node.targets
        ):
            found.append(node.value)
    return found


def untranslated(source: str) -> list[str]:
    """The message templates of ``source`` that no template of the table covers."""
    known = et._messages()
    missing = []
    for node in message_nodes(ast.parse(source)):
        for template in templates_of(node) or []:
            if not template.replace("{}", "").strip(" :—-,."):
                continue  # only values ("{}", "{}: {}"): nothing to translate
            if template not in known:
                missing.append(template)
    return missing


@pytest.mark.parametrize("module", SCANNED)
def test_every_message_has_a_template(module: str) -> None:
    missing = untranslated((PKG / module).read_text("utf-8"))
    assert not missing, f"{module}: add these to nqpf.error_translations.MESSAGES: {missing}"


def test_the_scan_finds_a_new_message() -> None:
    source = (
        "def f(x):\n"
        "    raise InputError(f'a brand-new problem with {x!r}', hint='do ' + 'this')\n"
        "    hint = 'another ' + ('a' if x else 'b')\n"
    )
    assert sorted(untranslated(source)) == [
        "a brand-new problem with {}",
        "another a",
        "another b",
        "do this",
    ]
    # a known one passes: the f-string's values become {}
    assert untranslated("raise InputError(f\"no column named '{name}'\")") == []


def test_every_chinese_text_takes_the_values_of_its_template() -> None:
    for table in (et.MESSAGES, et.NOTES, et.FRAGMENTS):
        for english, chinese in table.items():
            n = len(re.findall(r"\{\}", english.replace("{{", "").replace("}}", "")))
            values = [f"<v{i}>" for i in range(n)]
            shown = et._format(chinese, values)
            assert sorted(re.findall(r"<v\d+>", shown)) == sorted(values), (english, chinese)
            assert re.search(r"[\u4e00-\u9fff]", chinese) or english == "k = {}", english


# ------------------------------------------------------------- errors as raised


def raised(func, *args, **kwargs) -> InputError:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as info:
        func(*args, **kwargs)
    return info.value


def test_reading_errors_in_chinese() -> None:
    from nqpf.io import read_table

    err = raised(read_table, b"", name="empty.csv")
    assert et.message(err, "zh") == "empty.csv：文件为空——请导出带表头行的面板数据"
    assert et.message(err, "en") == err.message
    err = raised(read_table, b"a,b\n1,2,3\n", name="x.csv")
    text = et.message(err, "zh")
    assert text.startswith("x.csv，第 2 行：")
    assert et.FALLBACK not in text
    assert "3 个单元格" in text


def test_column_and_spec_errors_in_chinese() -> None:
    from nqpf.index import entropy_topsis
    from nqpf.panel import IndicatorSpec, read_panel

    frame = pl.DataFrame({"region": ["a", "b"], "year": [2020, 2020], "x": [1.0, 2.0]})
    err = raised(read_panel, frame, region="province", year="year")
    text = et.message(err, "zh")
    assert "没有名为“province”的列" in text
    assert "请选择地区列/年份列" in text
    assert et.FALLBACK not in text
    data = b"region,year,x,z\na,2020,1,2\nb,2020,n/a?,3\nc,2020,3,4\n"
    panel = read_panel(data, name="t.csv", region="region", year="year")
    spec = IndicatorSpec.from_records(
        [{"indicator": n, "dimension": "d", "direction": "+"} for n in ("x", "z")]
    )
    err = raised(entropy_topsis, panel, spec)
    assert et.message(err, "zh") == (
        "t.csv，第 3 行，列“x”：非数值“n/a?”——单元格必须是数字（使用小数点）；缺失值请留空"
    )


def test_option_echelon_and_dagum_errors_in_chinese() -> None:
    from nqpf.dagum import dagum_gini
    from nqpf.groups import echelons
    from nqpf.index import entropy_topsis
    from nqpf.options import IndexOptions

    err = raised(IndexOptions, scope="bad")
    assert et.message(err, "zh").startswith("未知的 scope 'bad'——请使用以下之一：")
    err = raised(entropy_topsis, None, zero_lgo=1)  # a typo: the close match is named
    text = et.message(err, "zh")
    assert text.startswith("entropy_topsis() 收到未知的关键字参数“zero_lgo”——您是否指“zero_log”？")
    scores = pl.DataFrame({"r": ["a", "b", "c"], "y": [1, 1, 1], "s": [0.1, 0.2, 0.3]})
    err = raised(echelons, scores, "s", "r", "y", rule="quantiles", k=5)
    assert et.message(err, "zh") == "k=5 个梯队，但只有 3 个地区"
    frame = pl.DataFrame({"g": ["x", "x", "y", "y"], "v": [1.0, -2.0, 3.0, 4.0]})
    err = raised(dagum_gini, frame, value="v", group="g")
    assert et.message(err, "zh") == (
        "第 2 行，列“v”：value 为负值：-2——基尼系数需要非负值；请平移或变换指数"
    )
    text = et.message(err, "zh")
    assert "为负值" in text
    assert "基尼系数需要非负值" in text
    assert et.FALLBACK not in text


def test_a_check_range_is_translated_inside_the_message() -> None:
    from nqpf.checks import check_real

    err = raised(check_real, "level", 2.0, low=0.0, high=1.0, low_open=True, high_open=True)
    assert et.message(err, "zh") == "level=2.0 必须> 0 且 < 1"


def test_fallback_and_where() -> None:
    err = InputError(
        "a message no template knows", file="p.xlsx", sheet="数据", row=4, column="GDP"
    )
    assert (
        et.message(err, "zh")
        == "p.xlsx，工作表“数据”，第 4 行，列“GDP”：（英文原文）a message no template knows"
    )
    # one line, whatever the user's names hold
    assert "\n" not in et.message(InputError("x", file="a\nb.csv"), "zh")


def test_r_check_notes_in_chinese() -> None:
    from nqpf.rbridge import _missing_hint

    assert et.note(_missing_hint("topsis", "cran"), "zh").startswith("未安装 R 包“topsis”（仅 CRAN")
    assert et.note(_missing_hint("plm", "debian"), "zh") == (
        "未安装 R 包“plm”（Debian：apt-get install r-cran-plm）"
    )
    joined = "groups of at least 2 units; NaN on one side; an R warning"
    assert et.note(joined, "zh") == "至少含 2 个单元的分组；一侧为 NaN；（英文原文）an R warning"
    assert et.note(joined, "en") == joined
    assert et.note(None, "zh") is None


def test_the_report_command_says_its_error_in_the_reports_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from nqpf.cli import main

    spec = tmp_path / "spec.csv"
    spec.write_text("indicator,dimension,direction\nx,d,+\n", "utf-8")
    missing = str(tmp_path / "nothere.csv")
    assert main(["report", missing, "--spec", str(spec), "--lang", "zh"]) == 2
    assert capsys.readouterr().err == f"nqpf report: error: {missing}：找不到文件——请检查路径\n"
    assert main(["report", missing, "--spec", str(spec)]) == 2
    assert (
        capsys.readouterr().err
        == f"nqpf report: error: {missing}: file not found — check the path\n"
    )


def test_spatial_errors_in_chinese() -> None:
    from nqpf.spatial.builders import builtin_weights

    err = raised(builtin_weights, ["北京", "天津", "河北", "Atlantis"])
    text = et.message(err, "zh")
    assert text.startswith("数据中有 1 个地区不在空间权重中：'Atlantis'"), text
    assert et.FALLBACK not in text
    err = raised(builtin_weights, ["新疆", "西藏", "青海", "北京"], "distance_band", threshold=500)
    text = et.message(err, "zh")
    assert "距离阈值 500 km 使" in text, text
    assert et.FALLBACK not in text
