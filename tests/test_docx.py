"""Word output (:mod:`nqpf.word`): read back with python-docx, the tables are three-line
tables whose cells are the formatting policy's text, captions are numbered (Table 1 /
表1, Figure 1 / 图1), fonts are Times New Roman and SimSun, hostile names stay text; the
report (``Report.write("x.docx")``, the report folder's report.docx) and every result
(``result.write("x.docx")``) write one. With LibreOffice on the machine the document is
also converted to PDF and its first page to PNG for test-artifacts/."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import polars as pl
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from hostile import small_index

from nqpf.formats import NOT_APPLICABLE, clean_text, column_format
from nqpf.options import ReportOptions
from nqpf.report import build_report
from nqpf.word import EAST_ASIAN_FONT, LATIN_FONT, RULE_HEAVY, RULE_LIGHT, tables_docx

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"

HOSTILE = ["<b>&x</b>", "a\x00b\x1bc\x7f", "=cmd|' /C calc'!A0", "x\ny", "东部地区"]


def _frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "region": HOSTILE,
            "score": [0.123456, 2e-18, None, float("nan"), 0.5],
            "rank": [1, 2, 3, None, 5],
            "share": [0.25, 0.25, 0.25, 0.125, 0.125],
        }
    )


def _read(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def _captions(document) -> list[str]:
    """The centred paragraphs with text (a figure's picture paragraph has none)."""
    return [
        p.text for p in document.paragraphs if p.alignment == WD_ALIGN_PARAGRAPH.CENTER and p.text
    ]


def _side(borders, side: str) -> tuple[str | None, str | None]:
    element = borders.find(qn(f"w:{side}"))
    assert element is not None, side
    return element.get(qn("w:val")), element.get(qn("w:sz"))


def test_table_cells_are_the_policys_text_and_three_lines():
    frame = _frame()
    document = _read(tables_docx([("Scores & ranks", frame, "Source: test.")], title="T"))
    (table,) = document.tables
    expected_header = list(frame.columns)
    assert [c.text for c in table.rows[0].cells] == expected_header
    formats = [column_format(frame.get_column(name)) for name in frame.columns]
    for i, row in enumerate(table.rows[1:]):
        expected = [
            clean_text(fmt(frame.get_column(name)[i]))
            for fmt, name in zip(formats, frame.columns, strict=True)
        ]
        assert [c.text for c in row.cells] == expected
    # the policy, independently: noise as 0, not applicable as a dash, one decimals count
    column = [row.cells[1].text for row in table.rows[1:]]
    assert column == ["0.1235", "0.0000", NOT_APPLICABLE, NOT_APPLICABLE, "0.5000"]
    # numbers right-aligned, text left-aligned (through the cells' paragraph styles)
    body = table.rows[1].cells
    assert body[1].paragraphs[0].style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert body[0].paragraphs[0].style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.LEFT
    # three lines: heavy top and bottom, light under the header, no vertical or inner rule
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert _side(borders, "top") == ("single", str(RULE_HEAVY))
    assert _side(borders, "bottom") == ("single", str(RULE_HEAVY))
    for side in ("left", "right", "insideH", "insideV"):
        assert _side(borders, side)[0] == "nil", side
    for cell in table.rows[0].cells:
        assert _side(cell._tc.tcPr.find(qn("w:tcBorders")), "bottom") == (
            "single",
            str(RULE_LIGHT),
        )
    for cell in table.rows[1].cells:  # body cells draw nothing of their own
        properties = cell._tc.tcPr
        assert properties is None or properties.find(qn("w:tcBorders")) is None
    # the caption above, the note under the table
    assert _captions(document) == ["Table 1  Scores & ranks"]
    body_elements = list(document.element.body)
    note = body_elements[body_elements.index(table._tbl) + 1]
    assert "".join(t.text for t in note.iter(qn("w:t"))) == "Note: Source: test."


def test_fonts_are_times_new_roman_and_simsun():
    document = _read(tables_docx([("t", _frame(), "")]))
    for name in ("Normal", "Title", "Heading 1"):
        fonts = document.styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == EAST_ASIAN_FONT == "SimSun", name
        assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:hAnsi")) == LATIN_FONT, name
        assert fonts.get(qn("w:eastAsiaTheme")) is None, name  # a theme font would win
    cell = document.tables[0].rows[1].cells[0].paragraphs[0]
    assert cell.style.base_style.name == "Normal"  # the cells inherit the fonts
    assert cell.style.font.size.pt == 9


def test_hostile_names_are_text_and_the_file_is_valid():
    frame = _frame().rename({"region": "<b>&x</b>\x01"})
    data = tables_docx([("=cmd|' /C calc'!A0 \x0b<i>", frame, "a\x00b")], title="<t>\x1b")
    document = _read(data)
    texts = [c.text for row in document.tables[0].rows for c in row.cells]
    assert clean_text("<b>&x</b>\x01") in texts
    assert "a\ufffdb\ufffdc\ufffd" in texts  # control characters as U+FFFD, nothing lost
    assert "=cmd|' /C calc'!A0" in texts  # a text in Word, never a formula
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    assert "<b>" not in xml
    assert "&lt;b&gt;&amp;x&lt;/b&gt;" in xml
    assert "Table 1  =cmd|' /C calc'!A0  <i>" in _captions(document)


@pytest.fixture(scope="module")
def report():
    result = small_index(6, [2010, 2011, 2012, 2013], n_groups=2)
    return build_report(result, group="zone", options=ReportOptions(k=2, clubs=False))


def test_report_docx_headings_tables_figures_numbered(report, tmp_path):
    path = report.write(tmp_path / "r.docx")
    assert path == tmp_path / "r.docx"
    document = docx.Document(str(path))
    assert len(document.tables) == len(report.entries)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [item.title for item in report.entries]
    captions = _captions(document)
    tables = [c for c in captions if c.startswith("Table ")]
    figures = [c for c in captions if c.startswith("Figure ")]
    assert [c.split("  ")[0] for c in tables] == [
        f"Table {n}" for n in range(1, len(report.entries) + 1)
    ]
    assert [c.split("  ")[0] for c in figures] == [
        f"Figure {n}" for n in range(1, len(report.figures) + 1)
    ]
    # every chart as a PNG picture of 300 dpi
    assert len(document.inline_shapes) == len(report.figures) > 0
    with zipfile.ZipFile(path) as archive:
        pngs = [n for n in archive.namelist() if n.startswith("word/media/")]
        from PIL import Image

        for name in pngs:
            dpi = Image.open(io.BytesIO(archive.read(name))).info["dpi"]
            assert round(dpi[0]) == 300, name


def test_report_docx_in_chinese_numbers_captions_as_biao_and_tu(report):
    document = _read(report.to_docx(language="zh"))
    captions = _captions(document)
    assert captions[0].startswith("图1  ") or captions[0].startswith("表1  ")
    assert any(c.startswith("表1  ") for c in captions)
    assert any(c.startswith("图1  ") for c in captions)
    assert not any(c.startswith(("Table", "Figure")) for c in captions)
    assert document.core_properties.language == "zh-CN"


def test_report_folder_has_report_docx(report, tmp_path):
    written = report.write(tmp_path / "folder")
    assert tmp_path / "folder" / "report.docx" in written
    document = docx.Document(str(tmp_path / "folder" / "report.docx"))
    assert len(document.tables) == len(report.entries)
    # a second run may replace the folder (report.docx is one of the report's files)
    report.write(tmp_path / "folder")


@pytest.mark.parametrize("suffix", [".docx", ".tex", ".md", ".html"])
def test_every_result_writes_the_documents(tmp_path, suffix):
    result = small_index(5, [2010, 2011])
    path = result.write(tmp_path / f"index{suffix}")
    assert path.is_file()
    assert path.stat().st_size > 0
    if suffix == ".docx":
        document = docx.Document(str(path))
        assert len(document.tables) == len(result.tables())
        names = [c.split("  ", 1)[1] for c in _captions(document) if c.startswith("Table")]
        assert names == list(result.tables())
    else:
        text = path.read_text("utf-8")
        for name in result.tables():
            assert name in text.replace("\\_", "_"), name


def _office_env() -> dict[str, str]:
    """The environment for LibreOffice: without the LD_LIBRARY_PATH that embedding R
    (rpy2, loaded by the R tests in the same process) sets, with which soffice.bin finds
    R's libraries first and fails to load its own (exit 127)."""
    import os

    return {k: v for k, v in os.environ.items() if k not in ("LD_LIBRARY_PATH", "R_HOME")}


def _soffice(tmp_path: Path, path: Path) -> list[str]:
    """LibreOffice's PDF conversion of ``path`` with a profile of its own: a LibreOffice
    already running (the user's, another test's) would otherwise hold the profile's lock
    and the conversion would do nothing."""
    profile = (tmp_path / "lo-profile").as_uri()
    return [
        "soffice",
        f"-env:UserInstallation={profile}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(tmp_path),
        str(path),
    ]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is absent")
def test_docx_converts_to_pdf_and_png(report, tmp_path):  # pragma: no cover - needs soffice
    path = report.write(tmp_path / "report.docx")
    subprocess.run(
        _soffice(tmp_path, path),
        env=_office_env(),
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdf = tmp_path / "report.pdf"
    assert pdf.stat().st_size > 0
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "2", str(pdf), str(ARTIFACTS / "docx")],
        check=True,
        timeout=120,
    )


def test_wide_tables_go_on_landscape_pages():
    from docx.enum.section import WD_ORIENT

    narrow = pl.DataFrame({"region": ["Anhui", "Beijing"], "score": [0.5, 0.25]})
    wide = pl.DataFrame(
        {"region": ["Anhui", "Beijing"]} | {f"score_{y}": [0.5, 0.25] for y in range(2000, 2020)}
    )
    document = _read(tables_docx([("a", narrow, ""), ("b", wide, ""), ("c", narrow, "")]))
    orientations = [s.orientation for s in document.sections]
    assert orientations == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    landscape = document.sections[1]
    assert landscape.page_width > landscape.page_height
    # the wide table is in the landscape section: the section break follows table 1
    body = list(document.element.body)
    breaks = [i for i, e in enumerate(body) if e.find(f".//{qn('w:sectPr')}") is not None]
    tables = [i for i, e in enumerate(body) if e.tag == qn("w:tbl")]
    # (a table wider than a landscape page is cut into parts, each its own w:tbl)
    assert tables[0] < breaks[0] < tables[1] < tables[-2] < breaks[1] < tables[-1]


def _wide_panel(years: int = 18, regions: int = 40) -> pl.DataFrame:
    """A region × year table as papers print it: long region names, 4-decimal scores."""
    names = [
        f"{w} Autonomous Region {i}" if i % 3 else f"Province{i}"
        for i, w in zip(
            range(regions),
            ["Inner Mongolia", "Guangxi Zhuang", "Ningxia Hui"] * regions,
            strict=False,
        )
    ]
    return pl.DataFrame(
        {"region": names}
        | {
            str(2000 + y): [round(0.1 + 0.0137 * i + 0.0071 * y, 6) for i in range(regions)]
            for y in range(years)
        }
        | {"mean": [0.123456 + i for i in range(regions)], "rank": list(range(1, regions + 1))}
    )


@pytest.mark.parametrize("years", [3, 18, 40])
def test_table_layout_fits_the_page_and_never_squeezes_a_number(years):
    from nqpf.formats import text_width_em
    from nqpf.word import CELL_PADDING_PT, FONT_SLACK, LANDSCAPE_TEXT_PT, PAGE_TEXT_PT, table_layout

    frame = _wide_panel(years)
    layout = table_layout(frame)
    page = LANDSCAPE_TEXT_PT if layout.landscape else PAGE_TEXT_PT
    for part in layout.parts:
        assert part[0] == 0  # every part starts with the key (region) column
        assert sum(layout.widths[j] for j in part) <= page
    covered = sorted({j for part in layout.parts for j in part})
    assert covered == list(range(frame.width))
    if len(layout.parts) > 1:  # balanced: no part of a column or two after full ones
        sizes = [len(p) - 1 for p in layout.parts]
        assert min(sizes) >= max(sizes) / 2
    for j, name in enumerate(frame.columns):
        if frame.schema[name].is_numeric():
            shown = [column_format(frame.get_column(name), 4)(v) for v in frame[name]]
            need = max(text_width_em(c) for c in shown) * FONT_SLACK * layout.size + CELL_PADDING_PT
            assert layout.widths[j] >= need - 1e-9, name


def test_docx_tables_have_fixed_column_widths():
    frame = _wide_panel(18)
    document = _read(tables_docx([("wide", frame, "")]))
    table = document.tables[0]._tbl
    assert table.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    widths = [tc.tcPr.find(qn("w:tcW")).get(qn("w:w")) for tc in table.tr_lst[1].tc_lst]
    assert all(int(w) > 0 for w in widths)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is absent")
@pytest.mark.parametrize("language", ["en", "zh"])
def test_rendered_wide_tables_keep_every_number_whole(tmp_path, language):  # pragma: no cover
    """Rendered by LibreOffice (with its own substitute fonts), every number of a 40-region ×
    18-year table appears whole in the PDF's text: a squeezed column would break 0.1234
    into "0.12" and "34" on two lines."""
    frame = _wide_panel(18)
    path = tmp_path / f"wide-{language}.docx"
    path.write_bytes(
        tables_docx(
            [("各地区综合得分" if language == "zh" else "Scores", frame, "")], language=language
        )
    )
    subprocess.run(
        _soffice(tmp_path, path),
        env=_office_env(),
        check=True,
        capture_output=True,
        timeout=300,
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / f"wide-{language}.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    tokens = set(text.split())
    for name in frame.columns[1:]:
        for cell in (column_format(frame.get_column(name), 4)(v) for v in frame[name]):
            assert cell in tokens, (name, cell)
    for name in frame["region"]:
        assert all(word in tokens for word in name.split()), name
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "70",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            str(tmp_path / f"wide-{language}.pdf"),
            str(ARTIFACTS / f"docx-wide-{language}"),
        ],
        check=True,
        timeout=120,
    )
