"""The report on hostile names and degenerate panels: nothing a user wrote becomes markup
(Markdown, HTML, LaTeX, SVG), charts draw labels literally, and a report is written all
at once or not at all.

The HTML is checked with the standard library's HTML parser (what a browser builds);
Markdown structurally, line by line, against CommonMark's rules for what starts markup."""

from __future__ import annotations

import html.parser
import os
import re
import stat
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hostile import (
    DIMENSIONS,
    GROUP_COLUMN,
    GROUPS,
    INDICATORS,
    REGIONS,
    hostile_panel,
    small_index,
)
from hypothesis import given, settings
from hypothesis import strategies as st

import nqpf
from nqpf import report as report_module
from nqpf.errors import InputError
from nqpf.formats import clean_text, html_id, latex_escape, latex_label, markdown_escape
from nqpf.report import MARKER, build_report, chart_dagum, chart_trend, file_stem


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    panel_path, spec_path = hostile_panel(folder)
    panel = nqpf.read_panel(panel_path)
    result = nqpf.entropy_topsis(panel, nqpf.read_spec(spec_path), keep=[GROUP_COLUMN])
    return build_report(result, group=GROUP_COLUMN, title=f"report: {panel_path.name}")


@pytest.fixture(scope="module")
def written(hostile, tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / "report"
    hostile.write(out)
    return out


USER_STRINGS = [*REGIONS, *GROUPS, *INDICATORS, *DIMENSIONS, GROUP_COLUMN]


# --------------------------------------------------------------------------- HTML


class _Page(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("style", "svg"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "svg"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def test_html_has_no_markup_from_user_strings(written):
    page = _Page()
    page.feed((written / "report.html").read_text("utf-8"))
    names = {tag for tag, _ in page.tags}
    assert not names & {"script", "img", "iframe", "object", "embed", "link", "base", "form"}
    for tag, attrs in page.tags:
        assert not any(key.startswith("on") for key in attrs), (tag, attrs)
        if tag == "a":
            assert attrs["href"].startswith("#"), attrs
    text = "".join(page.text)
    for name in USER_STRINGS:
        assert clean_text(name) in text, name  # shown as the text it is


def test_html_forbids_scripts_and_fetches(written):
    page = (written / "report.html").read_text("utf-8")
    assert "Content-Security-Policy" in page
    assert "default-src 'none'" in page


def test_svg_charts_hold_no_user_markup(written):
    """A user's name reaches an SVG only as escaped text (the rank-range plot labels its
    rows with the region names): never as an element or an attribute."""
    import xml.etree.ElementTree as ET

    svgs = sorted(written.glob("*.svg"))
    assert svgs
    for svg in svgs:
        text = svg.read_text("utf-8")
        assert "<script" not in text
        assert "<img" not in text
        for element in ET.fromstring(text).iter():  # well-formed: no markup was injected
            tag = element.tag.rsplit("}", 1)[-1]
            assert tag not in {"script", "foreignObject", "a"}, (svg.name, tag)
            for name, value in element.attrib.items():
                assert not name.rsplit("}", 1)[-1].startswith("on"), (svg.name, name)
                assert "evil.example" not in value, (svg.name, name)
                if tag == "image" and name.endswith("href"):  # a rasterised surface
                    assert value.startswith("data:image/png;base64,"), svg.name
        names = [t for t in ET.fromstring(text).iter() if t.tag.endswith("text")]
        if svg.stem.startswith("robustness"):  # the hostile region names, as text only
            shown = {"".join(t.itertext()).strip() for t in names}
            assert "<img src=x onerror=alert(1)>" in shown
        else:
            assert "onerror" not in text
            assert "nqpf-injected" not in text


# --------------------------------------------------------------------------- Markdown


def _unescaped(line: str, char: str) -> int:
    """How many times ``char`` occurs in ``line`` without a backslash before it."""
    return len(re.findall(rf"(?<!\\)(?:\\\\)*{re.escape(char)}", line))


def test_markdown_has_no_markup_from_user_strings(hostile, written):
    markdown = (written / "report.md").read_text("utf-8")
    assert "<" not in markdown  # no raw HTML at all: nqpf writes none
    headings = {f"# {markdown_escape(hostile.title)}"} | {
        f"## {markdown_escape(t.title)}" for t in hostile.entries
    }
    widths = iter(t.frame.width for t in hostile.entries)
    width = None
    for line in markdown.splitlines():
        assert not line.startswith("    "), line  # an indented code block
        if line.startswith("#"):
            assert line in headings, line
        if line.startswith("|"):
            if width is None:
                width = next(widths)
            assert _unescaped(line, "|") == width + 1, line  # a cell with | splits the row
        else:
            width = None
        for char in "[]`*_~$":
            assert _unescaped(line.lstrip("|-: "), char) == 0 or char == "|", (char, line)
        assert _unescaped(line, "://") == 0, line
        assert not re.match(r"^(?:[-+*>=]|\d+[.)])(?:\s|$)", line) or line.startswith("- "), line


def test_markdown_escape_keeps_the_text():
    """Removing the escapes (CommonMark: backslash before punctuation; entities) gives
    the original text back, line breaks as spaces."""
    for name in USER_STRINGS:
        escaped = markdown_escape(name)
        plain = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", escaped)
        plain = plain.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        assert plain == clean_text(name).strip(" "), name


# --------------------------------------------------------------------------- LaTeX

_LATEX_OUTPUT = re.compile(
    r"(?:\\textbackslash\{\}|\\[&%$#_{}]|\\textasciitilde\{\}|\\textasciicircum\{\}"
    r"|\\textless\{\}|\\textgreater\{\}|\\textbar\{\}|\\textquotesingle\{\}"
    r"|\\textasciigrave\{\}|\{\[\}|\{\]\}|\{\*\}|-\{\}|,\{\}"
    r"|[^\\&%$#_{}~^<>|\[\]*'`\x00-\x1f\x7f])*"
)


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_latex_escape_leaves_no_live_character(text):
    escaped = latex_escape(text)
    assert _LATEX_OUTPUT.fullmatch(escaped), escaped
    assert "--" not in escaped
    assert ",," not in escaped


def test_report_tex_comment_and_labels(hostile, written):
    tex = (written / "report.tex").read_text("utf-8")
    first = tex.splitlines()[0]
    assert first.startswith("% ")
    assert "nqpf-injected" in first  # the file name is in the comment, on one line
    labels = re.findall(r"\\label\{([^}]*)\}", tex)
    # one per table (the methods section is text and formulas, written without a label)
    assert len(labels) == len([item for item in hostile.entries if not item.latex])
    assert len(set(labels)) == len(labels)
    for label in labels:
        assert re.fullmatch(r"[A-Za-z0-9:._-]+", label), label
    for line in tex.splitlines():
        if "\\errmessage" in line:  # only ever escaped
            assert "\\textbackslash{}errmessage" in line


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=30), max_size=10))
def test_latex_labels_are_valid_and_distinct(names):
    taken: list[str] = []
    for name in names:
        taken.append(latex_label(name, taken))
    assert len(set(taken)) == len(taken)
    assert all(re.fullmatch(r"[A-Za-z0-9:._-]+", label) for label in taken)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=300), max_size=10))
def test_file_stems_and_ids_are_safe_and_distinct(names):
    stems: list[str] = []
    ids: list[str] = []
    for name in names:
        stems.append(file_stem(name, stems))
        ids.append(html_id(name, ids))
    assert len({s.casefold() for s in stems}) == len(stems)
    assert len(set(ids)) == len(ids)
    for stem in stems:
        assert "/" not in stem
        assert "\\" not in stem
        assert not stem.startswith(".")
        assert len(stem.encode("utf-8")) <= 110
        assert stem.isprintable()
    for key in ids:
        assert re.fullmatch(r"[\w-]+", key), key


def test_report_files_stay_inside_the_folder(written):
    files = [p for p in written.rglob("*") if p.is_file()]
    assert {p.parent for p in files} <= {written, written / "tables", written / "figures"}
    assert (written / MARKER).exists()


# --------------------------------------------------------------------------- charts


@pytest.mark.parametrize("label", ["$x^$", "$\\alpha^$", "a$b", "$$", "_west", "\\frac{", "$\\"])
def test_charts_draw_labels_literally(label):
    scores = pl.DataFrame(
        {"year": [1, 1, 2, 2], "g": [label, "b", label, "b"], "score": [0.1, 0.2, 0.3, 0.4]}
    )
    svg = chart_trend(scores, "year", "g")
    assert svg.startswith("<svg")
    summary = pl.DataFrame(
        {label: [1, 2], "G": [0.3, 0.2], "Gw": [0.1, 0.1], "Gnb": [0.1, 0.05], "Gt": [0.1, 0.05]}
    )
    assert chart_dagum(summary, label, f"by {label}").startswith("<svg")


def test_charts_ignore_a_usetex_setting():
    import matplotlib

    scores = pl.DataFrame({"year": [1, 2], "g": ["$x^$", "$x^$"], "score": [0.1, 0.2]})
    with matplotlib.rc_context({"text.usetex": True}):
        assert chart_trend(scores, "year", "g").startswith("<svg")


def test_underscore_group_keeps_its_legend_entry():
    scores = pl.DataFrame(
        {"year": [1, 2, 1, 2], "g": ["_west", "_west", "east", "east"], "score": [0.1, 0.2] * 2}
    )
    import matplotlib.pyplot as plt

    drawn = []
    original = plt.Axes.legend

    def spy(self, *args, **kwargs):
        drawn.append(list(args[1]) if len(args) > 1 else None)
        return original(self, *args, **kwargs)

    plt.Axes.legend = spy
    try:
        chart_trend(scores, "year", "g")
    finally:
        plt.Axes.legend = original
    assert drawn == [["all", "_west", "east"]]


# --------------------------------------------------------------------------- degenerate panels


def _result(n_regions: int, years: list[int], n_groups: int):
    return small_index(n_regions, years, n_groups, seed=11)


def test_single_year_report_has_the_cross_section_and_says_what_is_missing():
    result = _result(10, [2020], 2)
    built = build_report(result, group="zone")
    assert {"regions", "weights", "dagum_zone", "dagum_echelon", "sigma", "obstacles"} <= set(
        built.names
    )
    assert not {"beta", "markov", "clubs", "sigma_trend"} & set(built.names)
    not_run = built.table("not_run")
    analyses = " ".join(not_run.get_column("analysis").to_list())
    for name in ("β-convergence", "Markov", "club", "σ-convergence trend"):
        assert name in analyses
    assert all("years" in reason for reason in not_run.get_column("reason").to_list())
    # the region table is the cross-section itself (one year: mean = that year's score)
    regions = built.table("regions")
    assert regions.columns[:4] == ["region", "mean_score", "rank", "echelon"]
    assert "score_2020" in regions.columns
    by_region = dict(result.scores.select("region", "score").iter_rows())
    for region, mean in regions.select("region", "mean_score").iter_rows():
        assert mean == by_region[region]


def test_two_years_run_what_two_years_allow():
    built = build_report(_result(10, [2020, 2021], 2), group="zone")
    assert {"beta", "markov"} <= set(built.names)
    assert built.table("beta").get_column("effects").to_list() == ["none"]
    reasons = dict(built.table("not_run").iter_rows())
    assert "needs at least 3 years" in reasons["β-convergence, two-way fixed effects (panel)"]


def test_two_regions_give_no_echelons_but_the_rest():
    built = build_report(_result(2, list(range(2010, 2020)), 2), group="zone", k=3)
    assert "dagum_echelon" not in built.names
    assert "dagum_zone" in built.names
    reasons = dict(built.table("not_run").iter_rows())
    assert "needs at least 3 regions" in reasons["echelons (k = 3)"]
    assert "echelon" not in built.table("regions").columns


def test_one_group_is_decomposed_as_within_only():
    built = build_report(_result(10, list(range(2010, 2016)), 1), group="zone")
    dagum = built.table("dagum_zone")
    np.testing.assert_allclose(dagum.get_column("Gw"), dagum.get_column("G"), rtol=1e-12)
    assert "dagum_zone_between" not in built.names


@pytest.mark.parametrize("k", [0, 1, -3])
def test_bad_k_is_an_error_not_a_skip(k):
    with pytest.raises(InputError, match="k"):
        build_report(_result(10, [2020, 2021], 2), k=k)


def test_a_group_named_like_an_output_column():
    result = _result(10, list(range(2010, 2016)), 2)
    result = nqpf.entropy_topsis(
        result.scores.select("region", "year", pl.col("zone").alias("echelon"))
        .join(result.standardized, on=["region", "year"])
        .select("region", "year", "echelon", "x0", "x1", "x2"),
        nqpf.IndicatorSpec.from_names(["x0", "x1", "x2"]),
        keep=["echelon"],
    )
    built = build_report(result, group="echelon")
    assert len(set(built.names)) == len(built.names)
    # the user's "echelon" groups are g0/g1, the computed tiers are 1..3
    assert set(built.table("dagum_echelon_within").columns) == {"year", "g0", "g1"}
    assert set(built.table("dagum_echelon_2_within").columns) == {"year", "1", "2", "3"}


# --------------------------------------------------------------------------- writing


@pytest.fixture(scope="module")
def small_report():
    return build_report(_result(8, list(range(2010, 2016)), 2), group="zone")


def test_crashing_write_leaves_no_folder(small_report, tmp_path, monkeypatch):
    calls = []

    def failing(tables, path, **kwargs):
        calls.append(path)
        if len(calls) == 3:
            raise RuntimeError("disk on fire")
        return Path(path)

    monkeypatch.setattr(report_module, "write_tables", failing)
    with pytest.raises(RuntimeError):
        small_report.write(tmp_path / "report")
    assert list(tmp_path.iterdir()) == []  # no folder, no staging left behind


def test_crashing_write_keeps_the_old_report(small_report, tmp_path, monkeypatch):
    out = tmp_path / "report"
    small_report.write(out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    monkeypatch.setattr(
        report_module, "write_tables", lambda *a, **k: (_ for _ in ()).throw(OSError(28, "full"))
    )
    with pytest.raises(InputError, match="full"):
        small_report.write(out)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in tmp_path.iterdir()] == ["report"]


def test_existing_report_is_replaced_whole(small_report, tmp_path):
    out = tmp_path / "report"
    out.mkdir()
    (out / "stale.svg").write_text("<svg/>", "utf-8")
    (out / "report.pdf").write_bytes(b"%PDF")  # compiled from an older report.tex
    small_report.write(out)
    assert not (out / "stale.svg").exists()
    assert not (out / "report.pdf").exists()
    assert (out / "report.html").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["report"]


def test_folder_with_other_files_is_refused(small_report, tmp_path):
    out = tmp_path / "work"
    out.mkdir()
    (out / "panel.csv").write_text("keep me", "utf-8")
    with pytest.raises(InputError, match="not an nqpf report"):
        small_report.write(out)
    assert (out / "panel.csv").read_text("utf-8") == "keep me"
    assert sorted(p.name for p in out.iterdir()) == ["panel.csv"]


def test_a_users_other_report_files_are_refused(small_report, tmp_path):
    out = tmp_path / "report"
    small_report.write(out)
    (out / "report.docx").write_bytes(b"my own paper")
    (out / "tables" / "notes.txt").write_text("mine", "utf-8")
    with pytest.raises(InputError, match="not an nqpf report"):
        small_report.write(out)
    assert (out / "report.docx").read_bytes() == b"my own paper"


def test_symlinked_report_folder_is_replaced_behind_the_link(small_report, tmp_path):
    real = tmp_path / "real"
    small_report.write(real)
    link = tmp_path / "link"
    link.symlink_to(real)
    small_report.write(link)
    assert link.is_symlink()
    assert (real / "report.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]


def test_existing_file_is_refused(small_report, tmp_path):
    out = tmp_path / "report"
    out.write_text("a file", "utf-8")
    with pytest.raises(InputError, match="is a file, not a folder"):
        small_report.write(out)
    assert out.read_text("utf-8") == "a file"


def test_missing_parent_is_refused(small_report, tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        small_report.write(tmp_path / "missing" / "report")
    assert not (tmp_path / "missing").exists()


def test_report_folder_gets_the_umask_mode(small_report, tmp_path):
    old = os.umask(0o027)
    try:
        small_report.write(tmp_path / "report")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "report").stat().st_mode) == 0o750
