"""Every text the report writes for a reader has both languages (nqpf.translations).

The table itself: each key has an English and a Chinese text with the same fields. The
report built in Chinese on the default data: every header, caption, note, summary line
and chart text is Chinese, a declared symbol, a number, or the user's own name (region,
year and group columns, group, dimension and indicator names) — no English word of
nqpf's is left. The data (``Report.tables()``, the CSV files) keep nqpf's English column
names in every language, and the numbers are the same.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import polars as pl
import pytest

import nqpf
from nqpf.cli import main
from nqpf.options import ReportOptions
from nqpf.translations import (
    LANGUAGES,
    SYMBOLS,
    TEXT,
    header,
    inline,
    option_items,
    placeholders,
    text,
    tier_label,
)

CJK = re.compile(r"[\u2e80-\u9fff\uff00-\uffef]")
#: An English word: two ASCII letters in a row (symbols such as G, p, t, k, R² have one).
WORD = re.compile(r"[A-Za-z]{2,}")
#: Names of methods and programs that Chinese papers write in Latin letters too.
NAMES = ("Dagum", "Phillips", "Sul", "Gini", "OLS", "TOPSIS", "CRITIC", "Fisher", "Jenks",
         "Silverman", "Python", "nqpf", "log", "ln", "Gjj", "Gjh", "Gw", "Gnb", "Gt", "HC",
         "API", "CSV", "XLSX")  # fmt: skip


def test_every_key_has_both_languages_with_the_same_fields():
    assert LANGUAGES == ("en", "zh")
    for key, (english, chinese) in TEXT.items():
        assert english.strip(), key
        assert chinese.strip(), key
        fields = placeholders(english) | placeholders(chinese)
        # each language may leave a field out (English plurals, Chinese numerals) but
        # both format with the fields the code passes
        values = dict.fromkeys(fields, 1)
        for language in LANGUAGES:
            assert text(key, language, **values) if fields else text(key, language)
        if english != chinese and not english.isdigit():
            assert CJK.search(chinese) or not WORD.search(chinese.replace("{", " ")), key


def test_headers_patterns_and_tiers():
    assert header("Gw_share", "zh") == "组内差异贡献率"
    assert header("dimension", "zh", "indicator_system") == "一级指标"
    assert header("dimension", "zh") == "维度"
    assert header("mean_绿色", "zh") == "绿色均值"
    assert header("score_2017", "en") == "Score 2017"
    assert header("score_2017", "zh") == "2017 年得分"
    assert header("obstacle_1", "zh") == "第 1 障碍因子"
    assert header("my_own_column", "zh") is None  # a user's column keeps its name
    assert header("nqpf_rank_2", "zh") == "排名"
    assert [tier_label(j, "zh") for j in (1, 2, 3, 10, 12)] == [
        "第一梯队",
        "第二梯队",
        "第三梯队",
        "第十梯队",
        "第十二梯队",
    ]
    assert inline("continent", "zh") == " continent "
    assert inline("区域", "zh") == "区域"
    assert option_items({"scope": "year", "分组": "区域"}, "zh") == [
        ("计算范围", "逐年"),
        ("分组", "区域"),
    ]
    assert option_items({"scope": "year"}, "en") == [("scope", "year")]


def test_the_language_is_declared_once_with_its_flag():
    info = ReportOptions.info("language")
    assert info.choices == LANGUAGES
    assert info.flag == "--lang"
    assert not info.app  # the app's sidebar switch decides
    with pytest.raises(nqpf.InputError, match="unknown language 'fr'"):
        ReportOptions(language="fr")
    from nqpf.app.i18n import LANGUAGES as APP_LANGUAGES

    assert APP_LANGUAGES == {"en": "English", "zh": "中文"}


@pytest.fixture(scope="module")
def pwt():
    panel, spec = nqpf.load_pwt()
    result = nqpf.entropy_topsis(panel, spec, keep=["continent"])
    return result, spec


@pytest.fixture(scope="module")
def reports(pwt):
    result, _ = pwt
    return {
        language: nqpf.build_report(result, group="continent", language=language, clubs=True)
        for language in LANGUAGES
    }


def _user_strings(result, spec) -> set[str]:
    """The user's own names: what the report must show as the user wrote them."""
    scores = result.tables()["scores"]
    names = {result.region, result.year, "continent"}
    names |= {str(v) for v in scores.get_column("continent").unique()}
    names |= {str(v) for v in scores.get_column(result.year).unique()}
    # region names (the robustness section's rank-range plot labels its rows with them)
    names |= {str(v) for v in scores.get_column(result.region).unique()}
    for item in spec:
        names |= {item.name, item.dimension, item.label or "", item.unit or ""}
    return names


def _english_left(texts, user: set[str]) -> list[str]:
    """The texts that read as nqpf's English: an English word, no Chinese, and neither
    the user's name nor a symbol."""
    left = []
    for shown in texts:
        if shown in user or shown in SYMBOLS or CJK.search(shown):
            continue
        rest = shown
        for name in sorted(user | set(NAMES), key=len, reverse=True):
            if name:
                rest = rest.replace(name, " ")
        if WORD.search(rest):
            left.append(shown)
    return left


def test_every_header_caption_note_and_line_of_the_chinese_report_is_translated(pwt, reports):
    result, spec = pwt
    report = reports["zh"]
    user = _user_strings(result, spec)
    headers = {c for item in report.entries for c in item.display.columns}
    assert not _english_left(headers, user)
    for item in report.entries:
        assert CJK.search(item.title), item.title
        assert not item.note or CJK.search(item.note), item.note
    assert all(CJK.search(line) for line in report.summary_lines)
    assert {"组内差异贡献率", "一级指标", "信息熵", "权重"} <= headers
    assert report.title == "nqpf 分析报告"


class _SvgText(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._inside = False

    def handle_starttag(self, tag, attrs):
        self._inside = tag == "text"

    def handle_endtag(self, tag):
        self._inside = False

    def handle_data(self, data):
        if self._inside and data.strip():
            self.texts.append(data.strip())


def test_every_chart_text_of_the_chinese_report_is_translated(pwt, reports):
    result, spec = pwt
    user = _user_strings(result, spec)
    for name, (_, svg) in reports["zh"].figures.items():
        parser = _SvgText()
        parser.feed(svg)
        assert parser.texts, name
        assert not _english_left(parser.texts, user), name
        assert any(CJK.search(t) for t in parser.texts), name  # the title at least
    english = _SvgText()
    english.feed(reports["en"].figures["density"][1])
    assert "score" in english.texts  # the English chart keeps its English axis


def test_the_data_keep_their_english_names_and_numbers_in_every_language(reports, tmp_path):
    en, zh = reports["en"], reports["zh"]
    assert en.names == zh.names
    for name, frame in en.tables().items():
        assert zh.table(name).columns == frame.columns, name
        if name != "methods":  # the methods section is prose, written in each language
            assert zh.table(name).equals(frame), name
    zh.write(tmp_path / "zh")
    csv = pl.read_csv(tmp_path / "zh" / "tables" / "dagum_continent.csv")
    assert csv.columns == ["year", "G", "Gw", "Gnb", "Gt", "Gw_share", "Gnb_share", "Gt_share"]
    page = (tmp_path / "zh" / "report.html").read_text("utf-8")
    assert "<html lang=zh>" in page
    assert "由 nqpf 生成" in page
    assert "<th>组内差异贡献率</th>" in page
    markdown = (tmp_path / "zh" / "report.md").read_text("utf-8")
    assert "| 一级指标 | 一级指标权重 | 二级指标 | 指标代码 | 属性 | 二级指标权重 |" in markdown
    sheets = pl.read_excel(tmp_path / "zh" / "report.xlsx", sheet_id=0)
    assert "组内差异贡献率" in sheets["dagum_continent"].columns
    assert "计算范围" in str(sheets["options"].rows()) + str(sheets["options"].columns)


def test_the_spec_label_is_shown_with_the_raw_name_kept(pwt, reports):
    result, spec = pwt
    report = reports["en"]
    weights = report.table("weights")
    labels = {i.name: i.label or i.name for i in spec}
    assert weights.get_column("label").to_list() == [
        labels[n] for n in weights.get_column("indicator")
    ]
    system = report.table("indicator_system")
    assert system.get_column("code").to_list() == list(spec.names)
    cells = report.table("obstacles").drop(result.region).to_numpy().ravel().tolist()
    assert all(cell.rsplit(" (", 1)[0] in set(labels.values()) for cell in cells)


def _chinese_panel(tmp_path):
    zones = ["西部", "东北", "东部", "中部"]  # first appearance is not the paper's order
    rows = []
    for year in range(2012, 2020):
        for i in range(12):
            base = 1 + i / 4 + (year - 2012) / 10 + (i % 3) / 7
            rows.append(
                {
                    "省份": f"省{i:02d}",
                    "年份": year,
                    "区域": zones[i % 4],
                    **{f"x{j}": base * (1 + ((i * 7 + j * 3 + year) % 5) / 20) for j in range(4)},
                }
            )
    panel = tmp_path / "panel.csv"
    pl.DataFrame(rows).write_csv(panel)
    spec = tmp_path / "spec.csv"
    pl.DataFrame(
        {
            "indicator": [f"x{j}" for j in range(4)],
            "dimension": ["科技", "科技", "绿色", "数字"],
            "direction": ["+", "+", "-", "+"],
            "label": ["研发投入强度", "专利数", "能耗", "宽带普及率"],
        }
    ).write_csv(spec)
    return panel, spec


def _report_cli(tmp_path, *flags):
    tmp_path.mkdir(exist_ok=True)
    panel, spec = _chinese_panel(tmp_path)
    out = tmp_path / "report"
    arguments = ["report", str(panel), "--spec", str(spec), "--region", "省份", "--year", "年份"]
    code = main([*arguments, "--group", "区域", "--no-validate", "--out", str(out), *flags])
    return code, out


def test_cli_report_in_chinese_with_a_group_order(tmp_path, capsys):
    code, out = _report_cli(tmp_path, "--lang", "zh", "--group-order", "西部，东部,中部、东北")
    assert code == 0
    printed = capsys.readouterr().out
    assert "Dagum 分解（按区域分组）" in printed
    within = pl.read_csv(out / "tables" / "dagum_区域_within.csv")
    assert within.columns == ["年份", "西部", "东部", "中部", "东北"]
    between = pl.read_csv(out / "tables" / "dagum_区域_between.csv")
    assert between.columns[1:4] == ["西部 – 东部", "西部 – 中部", "西部 – 东北"]
    assert between.null_count().sum_horizontal().item() == 0  # one column per pair
    page = (out / "report.html").read_text("utf-8")
    assert "<title>nqpf 分析报告：panel.csv</title>" in page


def test_cli_report_natural_order_and_a_bad_group_order(tmp_path, capsys):
    code, out = _report_cli(tmp_path)
    assert code == 0
    within = pl.read_csv(out / "tables" / "dagum_区域_within.csv")
    assert within.columns == ["年份", "东部", "中部", "西部", "东北"]
    capsys.readouterr()
    code, out = _report_cli(tmp_path / "again", "--group-order", "东部,中部,西部")
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("nqpf report: error: group_order leaves out the group '东北'")
    assert not out.exists()


def test_the_trend_legend_follows_the_group_order(tmp_path):
    panel, spec = _chinese_panel(tmp_path)
    result = nqpf.entropy_topsis(
        nqpf.read_panel(panel, region="省份", year="年份"), nqpf.read_spec(spec), keep=["区域"]
    )
    for order in (["西部", "中部", "东部", "东北"], ["东北", "东部", "中部", "西部"]):
        report = nqpf.build_report(result, group="区域", group_order=order, language="zh")
        parser = _SvgText()
        parser.feed(report.figures["trend"][1])
        legend = [t for t in parser.texts if t in order]
        assert legend == order
        assert report.table("dagum_区域_within").columns[1:] == order
    with pytest.raises(nqpf.InputError, match="no group column"):
        nqpf.build_report(result, group_order=["东部"])


def test_demo_and_report_take_the_flags():
    from nqpf.cli import build_parser

    for command in (["demo"], ["report", "p.csv", "--spec", "s.csv"]):
        args = build_parser().parse_args([*command, "--lang", "zh", "--group-order", "b,a"])
        assert getattr(args, "report.language") == "zh"
        assert getattr(args, "report.group_order") == ("b", "a")
    assert main(["demo", "--lang", "fr"]) == 2


@pytest.mark.parametrize("engine", ["xelatex", "pdflatex"])
def test_the_chinese_report_tex_compiles(tmp_path, capsys, engine):
    import shutil
    import subprocess

    if shutil.which(engine) is None:
        pytest.skip(f"{engine} is absent (Debian: texlive-xetex, texlive-lang-chinese)")
    code, out = _report_cli(tmp_path, "--lang", "zh", "--group-order", "西部,东部,中部,东北")
    assert code == 0
    capsys.readouterr()
    run = subprocess.run(
        [engine, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "report.tex"],
        cwd=out,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-2000:]
    if shutil.which("pdftotext"):
        shown = subprocess.run(
            ["pdftotext", str(out / "report.pdf"), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "组内差异贡献率" in shown
        assert "二级指标权重" in shown


def test_translated_headers_keep_the_number_kinds_and_stars(reports):
    """The number policy declares its kinds by column name (nqpf.formats.KINDS); a
    translated header finds its column's kind: shares as percents, stars on β."""
    from nqpf.formats import markdown_table

    for language, share, beta in (("en", "Gw share", "β"), ("zh", "组内差异贡献率", "β")):
        report = reports[language]
        dagum = next(e for e in report.entries if e.name == "dagum_continent")
        first = dagum.frame.get_column("Gw_share")[0]
        table = markdown_table(dagum.display)
        assert share in table.splitlines()[0]
        assert f"| {100 * first:.2f}% |" in table, language
        beta_table = next(e for e in report.entries if e.name == "beta")
        p = beta_table.frame.get_column("p").to_list()
        rows = markdown_table(beta_table.display).splitlines()[2 : 2 + len(p)]
        assert rows[0].split(" | ")[0].lstrip("| ").startswith("-")
        for row, value in zip(rows, p, strict=True):
            assert ("\\*\\*\\*" in row.split(" | ")[0]) == (value < 0.01), (language, row)
        assert beta in markdown_table(beta_table.display).splitlines()[0]
