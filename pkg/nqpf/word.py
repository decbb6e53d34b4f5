"""Word (``.docx``) documents for journals: three-line tables, numbered captions, the report.

One implementation for the report (:meth:`nqpf.report.Report.to_docx`, ``report.docx``
in the report folder) and every result (``result.write("x.docx")``), with python-docx.

The journal style (what Chinese and English journals ask for in Word manuscripts)
    * **Three-line tables** (三线表): a heavy rule above and below the table
      (:data:`RULE_HEAVY`, 1.5 pt, in the table's ``w:tblBorders``), a light rule under
      the header row (:data:`RULE_LIGHT`, 0.75 pt, the header cells' ``w:tcBorders``),
      no vertical lines and no other horizontal ones; the header row repeats on every
      page of a long table.
    * **Fonts**: Latin text in :data:`LATIN_FONT` (Times New Roman), East Asian text in
      :data:`EAST_ASIAN_FONT` (SimSun, 宋体), set in every style used through
      ``w:rFonts`` (``w:ascii``, ``w:hAnsi``, ``w:cs`` and ``w:eastAsia``; the theme
      fonts of the template are removed, else Word would prefer them). Text 10.5 pt
      (五号), tables and notes 9 pt (小五).
    * **Captions**: "Table 1 …" above a table and "Figure 1 …" below a figure in
      English, "表1 …" and "图1 …" in Chinese (``language="zh"``), numbered in order;
      a table's note ("Note: …", "注：…") under it.
    * **Numbers** as the one formatting policy shows them (:func:`nqpf.formats.column_format`:
      one number of decimals per column, "—" for not applicable), right-aligned; text
      left-aligned.
    * **Figures**: PNG at 300 dpi (:func:`nqpf.report.charts.render`), 15 cm wide.

Every text is written as text (Word has no formulas in body text; python-docx
escapes XML), after :func:`nqpf.formats.clean_text`: a control character (invalid in
XML) would make the file unreadable.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import polars as pl

from nqpf.formats import DIGITS, LATEX_WRAP_EM, _rows, clean_text, flatten, text_width_em

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import Table

#: Font of Latin text (``w:ascii``, ``w:hAnsi``, ``w:cs``).
LATIN_FONT = "Times New Roman"
#: Font of East Asian text (``w:eastAsia``): SimSun, shown by a Chinese Word as 宋体.
EAST_ASIAN_FONT = "SimSun"
#: Top and bottom rule of a three-line table, in eighths of a point (1.5 pt).
RULE_HEAVY = 12
#: Rule under the header row, in eighths of a point (0.75 pt).
RULE_LIGHT = 6
#: Body text and table text sizes (pt): 五号 and 小五.
TEXT_SIZE = 10.5
TABLE_SIZE = 9.0
#: Width of a figure (cm).
FIGURE_WIDTH_CM = 15.0
#: Page margins (cm) of the A4 pages.
PAGE_MARGIN_CM = 2.0
#: Left plus right padding of a table cell (pt): Word's default 0.19 cm on each side.
CELL_PADDING_PT = 10.8

#: Caption words by language: table, figure, the separator after the number, note.
CAPTION_WORDS = {
    "en": {
        "table": "Table ",
        "figure": "Figure ",
        "after": "  ",
        "note": "Note: ",
        "continued": "Table {n} (continued)",
    },
    "zh": {"table": "表", "figure": "图", "after": "  ", "note": "注：", "continued": "续表{n}"},
}


def _words(language: str) -> dict[str, str]:
    return CAPTION_WORDS.get(language, CAPTION_WORDS["en"])


def docx_text(text: Any) -> str:
    """``text`` as one line that is valid in a Word document (:func:`clean_text`)."""
    return clean_text(text)


@dataclass
class Numbering:
    """The running numbers of tables and figures of one document."""

    tables: int = 0
    figures: int = 0


def new_document(language: str = "en") -> DocxDocument:
    """An empty document in the journal style (fonts and sizes of the module docstring)."""
    import docx
    from docx.shared import Cm, Pt

    document = docx.Document()
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "List Bullet"):
        style = document.styles[name]
        _set_fonts(style.element.get_or_add_rPr())
        style.font.color.rgb = None
        if name == "Normal":
            style.font.size = Pt(TEXT_SIZE)
    document.core_properties.language = "zh-CN" if language == "zh" else "en-US"
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)  # A4
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(PAGE_MARGIN_CM))
    return document


#: Widths are estimated for Times New Roman and SimSun (:func:`nqpf.formats.text_width_em`);
#: where they are missing the reader substitutes a wider font (LibreOffice on Linux: DejaVu
#: Serif, whose digits are 0.64 em against Times' 0.5), so every column gets this factor:
#: a number that wraps in its cell is unreadable, a little white space is not.
FONT_SLACK = 1.3
#: The smaller table size (pt) a wide table falls back to: 六号, 7.5 pt.
TABLE_SIZE_SMALL = 7.5
#: Text width of an upright and a landscape A4 page inside the margins (pt).
PAGE_TEXT_PT = (21.0 - 2 * PAGE_MARGIN_CM) / 2.54 * 72
LANDSCAPE_TEXT_PT = (29.7 - 2 * PAGE_MARGIN_CM) / 2.54 * 72


@dataclass(frozen=True)
class TableLayout:
    """How a table goes on Word pages (:func:`table_layout`): ``landscape`` page or not,
    the font ``size`` (pt) of its cells, the ``widths`` (pt) of its columns and the
    column ``parts`` (indices; one part unless the table is wider than a landscape page,
    when each part repeats the key columns)."""

    landscape: bool
    size: float
    widths: tuple[float, ...]
    parts: tuple[tuple[int, ...], ...]

    def part_widths(self, part: Sequence[int], natural: Sequence[float]) -> list[float]:
        """The widths of ``part``'s columns, the page's room left given to the columns
        narrower than their ``natural`` width (text wrapped at a narrower width), in order."""
        widths = [self.widths[j] for j in part]
        room = (LANDSCAPE_TEXT_PT if self.landscape else PAGE_TEXT_PT) - sum(widths)
        for k, j in enumerate(part):
            grow = min(max(natural[j] - widths[k], 0.0), max(room, 0.0))
            widths[k] += grow
            room -= grow
        return widths


def _column_ems(frame: pl.DataFrame, digits: int, cap: float = LATEX_WRAP_EM) -> list[float]:
    """Each column's width in em (:func:`nqpf.formats.text_width_em`), with
    :data:`FONT_SLACK` on what must not wrap: a number at its full width, a text cell and
    the header at their longest word (they wrap between words) — a text column at least
    as wide as its widest cell up to ``cap`` (default :data:`nqpf.formats.LATEX_WRAP_EM`)."""
    rows = _rows(frame, digits)
    ems = []
    for j, name in enumerate(frame.columns):
        cells = [row[j] for row in rows]
        header = max((text_width_em(w) for w in str(name).split()), default=0.0)
        if frame.schema[name].is_numeric():
            body = max((text_width_em(c) for c in cells), default=0.0) * FONT_SLACK
        else:
            longest = max((text_width_em(w) for c in cells for w in c.split()), default=0.0)
            whole = max((text_width_em(c) for c in cells), default=0.0)
            body = max(longest * FONT_SLACK, min(whole, cap))
        ems.append(max(header * FONT_SLACK, body))
    return ems


#: The narrower text width (em) a table tries before it is cut into parts: its text
#: cells wrap more.
NARROW_TEXT_EM = 9.0


def table_layout(frame: pl.DataFrame, digits: int = DIGITS) -> TableLayout:
    """The first layout ``frame`` fits (the LaTeX tables' order, :func:`nqpf.formats.latex_table`):
    upright in 9 pt, upright in 7.5 pt, landscape in 7.5 pt, landscape in 7.5 pt with its
    text wrapped at :data:`NARROW_TEXT_EM`; else cut into column parts on landscape pages
    that repeat the leading text columns (the row's key: region, year …). Column widths
    are the estimated widths (:func:`_column_ems`) plus the cell padding, so a number
    never wraps."""
    frame = flatten(frame)
    every = tuple(range(frame.width))

    def widths(size: float, cap: float = LATEX_WRAP_EM) -> tuple[float, ...]:
        return tuple(em * size + CELL_PADDING_PT for em in _column_ems(frame, digits, cap))

    tries = (
        (False, TABLE_SIZE, LATEX_WRAP_EM),
        (False, TABLE_SIZE_SMALL, LATEX_WRAP_EM),
        (True, TABLE_SIZE_SMALL, LATEX_WRAP_EM),
        (True, TABLE_SIZE_SMALL, NARROW_TEXT_EM),
    )
    for landscape, size, cap in tries:
        chosen = widths(size, cap)
        if sum(chosen) <= (LANDSCAPE_TEXT_PT if landscape else PAGE_TEXT_PT):
            return TableLayout(landscape, size, chosen, (every,))
    small = widths(TABLE_SIZE_SMALL, NARROW_TEXT_EM)
    keys: list[int] = []
    for j, dtype in enumerate(frame.schema.values()):
        if dtype.is_numeric() or len(keys) == frame.width - 1:
            break
        keys.append(j)
    return TableLayout(True, TABLE_SIZE_SMALL, small, _balanced_parts(small, keys))


def _balanced_parts(widths: Sequence[float], keys: list[int]) -> tuple[tuple[int, ...], ...]:
    """The columns after ``keys`` cut into as few parts as fit a landscape page with the
    keys repeated, of about equal widths (not full parts and a last one of one column)."""
    budget = LANDSCAPE_TEXT_PT - sum(widths[i] for i in keys)
    rest = list(range(len(keys), len(widths)))
    count, used = 1, 0.0
    for j in rest:  # how many parts the greedy cut needs
        if used and used + widths[j] > budget:
            count, used = count + 1, 0.0
        used += widths[j]
    share = sum(widths[j] for j in rest) / count
    parts: list[list[int]] = [[]]
    used = 0.0
    for j in rest:
        full = used + widths[j] > budget
        past_share = used + widths[j] / 2 > share and len(parts) < count
        if parts[-1] and (full or past_share):
            parts.append([])
            used = 0.0
        parts[-1].append(j)
        used += widths[j]
    return tuple(tuple([*keys, *part]) for part in parts)


def table_is_wide(frame: pl.DataFrame, digits: int = DIGITS) -> bool:
    """Whether ``frame`` goes on a landscape page (:func:`table_layout`)."""
    return table_layout(frame, digits).landscape


def _orient(document: DocxDocument, landscape: bool) -> None:
    """Continue on a landscape (or upright) page: a new section when the current
    section's orientation differs."""
    from docx.enum.section import WD_ORIENT, WD_SECTION

    current = document.sections[-1]
    if (current.orientation == WD_ORIENT.LANDSCAPE) == landscape:
        return
    from docx.oxml.ns import qn

    body = document.element.body
    if all(child.tag == qn("w:sectPr") for child in body):
        section = current  # nothing written yet: turn the first page, no blank page before
    else:
        section = document.add_section(WD_SECTION.NEW_PAGE)
    short, long = sorted((current.page_width, current.page_height))
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)


def _set_fonts(rpr: Any) -> None:
    """``w:rFonts`` of a run or style: Latin and East Asian fonts, no theme fonts."""
    from docx.oxml.ns import qn

    fonts = rpr.get_or_add_rFonts()
    for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attribute}"), None)
    for attribute in ("ascii", "hAnsi", "cs"):
        fonts.set(qn(f"w:{attribute}"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)


def _paragraph(
    container: Any,
    text: str,
    *,
    size: float | None = None,
    bold: bool = False,
    align: str = "left",
    style: str | None = None,
) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = container.add_paragraph(style=style) if style else container.add_paragraph()
    paragraph.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
    }[align]
    run = paragraph.add_run(docx_text(text))
    _set_fonts(run._element.get_or_add_rPr())
    run.bold = bold or None
    if size is not None:
        run.font.size = Pt(size)
    return paragraph


def _border(parent: Any, tag: str, sides: dict[str, int | None]) -> None:
    """``<tag>`` (``w:tblBorders`` or ``w:tcBorders``) under ``parent`` with each side a
    single rule of the given width (eighths of a point), or none (``None``)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = parent.find(qn(tag))
    if borders is None:
        borders = OxmlElement(tag)
        parent.append(borders)
    for side, size in sides.items():
        element = OxmlElement(f"w:{side}")
        if size is None:
            element.set(qn("w:val"), "nil")
        else:
            element.set(qn("w:val"), "single")
            element.set(qn("w:sz"), str(size))
            element.set(qn("w:space"), "0")
            element.set(qn("w:color"), "000000")
        borders.append(element)


def _three_lines(table: Table) -> None:
    """The three-line style: heavy top and bottom rules, a light rule under the header
    row, nothing else (see the module docstring)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    _border(
        table._tbl.tblPr,
        "w:tblBorders",
        {
            "top": RULE_HEAVY,
            "left": None,
            "bottom": RULE_HEAVY,
            "right": None,
            "insideH": None,
            "insideV": None,
        },
    )
    header = table.rows[0]
    for cell in header.cells:
        _border(cell._tc.get_or_add_tcPr(), "w:tcBorders", {"bottom": RULE_LIGHT})
    repeat = OxmlElement("w:tblHeader")  # the header row on every page
    repeat.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(repeat)


def add_table(
    document: DocxDocument,
    frame: pl.DataFrame,
    *,
    caption: str = "",
    note: str = "",
    numbering: Numbering | None = None,
    language: str = "en",
    digits: int = DIGITS,
    layout: TableLayout | None = None,
) -> Table:
    """Add ``frame`` as a three-line table with its numbered caption above and its
    ``note`` below; returns the (first) table. Cells show
    :func:`nqpf.formats.column_format`'s text (numbers right-aligned), in columns of
    fixed widths (:func:`table_layout`): a table wider than an upright page goes on
    landscape pages (a section of its own) in 7.5 pt, and one wider than a landscape page
    is cut into column parts, each repeating the key columns under "Table n
    (continued)" / "续表n". ``layout``: the frame's :func:`table_layout`, when the caller
    has it already."""
    layout = table_layout(frame, digits) if layout is None else layout
    _orient(document, layout.landscape)
    words = _words(language)
    numbering = numbering if numbering is not None else Numbering()
    numbering.tables += 1
    frame = flatten(frame)
    label = f"{words['table']}{numbering.tables}"
    first = None
    # the widths text columns would take unwrapped: the room a part leaves goes to them
    natural = [em * layout.size + CELL_PADDING_PT for em in _column_ems(frame, digits)]
    for number, part in enumerate(layout.parts):
        title = label + (words["after"] + caption if caption else "")
        if number:
            title = words["continued"].format(n=numbering.tables)
        head = _paragraph(document, title, bold=True, align="center")
        head.paragraph_format.keep_with_next = True
        table = _table_part(
            document,
            frame.select(frame.columns[j] for j in part),
            digits,
            layout.part_widths(part, natural),
            layout.size,
        )
        first = table if first is None else first
    if note:
        _paragraph(document, words["note"] + note, size=TABLE_SIZE)
    assert first is not None
    return first


def _table_part(
    document: DocxDocument, frame: pl.DataFrame, digits: int, widths: list[float], size: float
) -> Table:
    """One three-line table of ``frame`` with fixed column ``widths`` (pt) in ``size`` pt."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    numeric = [dtype.is_numeric() for dtype in frame.schema.values()]
    rows = _rows(frame, digits)
    table = document.add_table(rows=1 + len(rows), cols=max(frame.width, 1))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    fixed = OxmlElement("w:tblLayout")  # the widths as given: Word and LibreOffice keep them
    fixed.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(fixed)
    for column, width in zip(table.columns, widths, strict=False):
        column.width = Pt(width)
    styles = {
        (header, right): _table_style(document, header=header, right=right, size=size)
        for header in (True, False)
        for right in (True, False)
    }
    # the cells' paragraphs written straight into the XML rows: table.cell(i, j) walks
    # the whole grid each time (quadratic in the cells of a 117 × 20 table)
    twips = [str(round(width * 20)) for width in widths]
    for i, (tr, row) in enumerate(
        zip(table._tbl.tr_lst, [list(frame.columns), *rows], strict=False)
    ):
        for tc, text, right, width in zip(tr.tc_lst, row, numeric, twips, strict=False):
            tc_width = tc.get_or_add_tcPr().get_or_add_tcW()
            tc_width.set(qn("w:w"), width)
            tc_width.set(qn("w:type"), "dxa")
            _write_cell(tc, docx_text(text), styles[i == 0, right])
    _three_lines(table)
    return table


def _table_style(
    document: DocxDocument, *, header: bool, right: bool, size: float = TABLE_SIZE
) -> str:
    """The id of the paragraph style of table cells (``size`` pt, no spacing, bold in the
    header, right- or left-aligned), added to ``document`` on first use."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    name = f"nqpf table {'header' if header else 'cell'} {'right' if right else 'left'}"
    if size != TABLE_SIZE:
        name += f" {size:g}pt"
    if name not in [s.name for s in document.styles]:
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
        style.font.size = Pt(size)
        style.font.bold = header or None
        style.paragraph_format.space_before = Pt(0)
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.alignment = (
            WD_ALIGN_PARAGRAPH.RIGHT if right else WD_ALIGN_PARAGRAPH.LEFT
        )
    return document.styles[name].style_id


def _write_cell(tc: Any, text: str, style: str) -> None:
    """``text`` in the (empty) paragraph of cell ``tc``, in paragraph style ``style``."""
    from docx.oxml.ns import qn
    from lxml import etree

    paragraph = tc.find(qn("w:p"))
    properties = etree.SubElement(paragraph, qn("w:pPr"))
    etree.SubElement(properties, qn("w:pStyle")).set(qn("w:val"), style)
    if text:
        run = etree.SubElement(etree.SubElement(paragraph, qn("w:r")), qn("w:t"))
        run.text = text
        run.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def add_figure(
    document: DocxDocument,
    png: bytes,
    *,
    caption: str = "",
    numbering: Numbering | None = None,
    language: str = "en",
) -> None:
    """Add a PNG figure, :data:`FIGURE_WIDTH_CM` wide and centred, with its numbered
    caption below it."""
    from docx.shared import Cm

    words = _words(language)
    numbering = numbering if numbering is not None else Numbering()
    numbering.figures += 1
    _orient(document, False)
    picture = _paragraph(document, "", align="center")
    picture.paragraph_format.keep_with_next = True
    picture.runs[0].add_picture(io.BytesIO(png), width=Cm(FIGURE_WIDTH_CM))
    label = f"{words['figure']}{numbering.figures}"
    _paragraph(
        document, label + (words["after"] + caption if caption else ""), bold=True, align="center"
    )


def report_docx(report: Any, *, digits: int = DIGITS, language: str = "en") -> bytes:
    """The whole report as ``.docx`` bytes: its title, summary lines, then each table's
    section (heading, its figures as PNG, the table with its note), then the figures of
    no table.

    A figure is included when it can draw itself as PNG (the charts of
    :mod:`nqpf.report.charts` can: :meth:`~nqpf.report.charts.Chart.render`); an SVG
    text alone cannot go into Word and is left out. Its caption is the chart's
    ``caption`` when it has one, else the title of the table whose section shows it.
    """
    document = new_document(language)
    numbering = Numbering()
    document.add_heading(docx_text(report.title), level=0)
    for line in report.summary_lines:
        if line:
            _paragraph(document, line, style="List Bullet")
    names = set(report.names)
    for name, (section, chart) in report.figures.items():
        if section not in names:
            _figure(document, chart, name, numbering, language)
    for item in report.entries:
        has_figure = any(section == item.name for section, _ in report.figures.values())
        layout = table_layout(item.display, digits)
        _orient(document, layout.landscape and not has_figure)
        document.add_heading(docx_text(item.title), level=1)
        for section, chart in report.figures.values():
            if section == item.name:
                caption = getattr(chart, "caption", "") or item.title
                _figure(document, chart, caption, numbering, language)
        add_table(
            document,
            item.display,
            caption=item.title,
            note=item.note,
            numbering=numbering,
            language=language,
            digits=digits,
            layout=layout,
        )
    return save(document)


def _figure(
    document: DocxDocument, chart: Any, caption: str, numbering: Numbering, language: str
) -> None:
    render = getattr(chart, "render", None)
    if render is not None:
        add_figure(document, render("png"), caption=caption, numbering=numbering, language=language)


def tables_docx(
    tables: Sequence[tuple[str, pl.DataFrame, str]],
    *,
    title: str = "",
    digits: int = DIGITS,
    language: str = "en",
) -> bytes:
    """``.docx`` bytes of (caption, frame, note) tables, numbered, under ``title``."""
    document = new_document(language)
    numbering = Numbering()
    if title:
        document.add_heading(docx_text(title), level=0)
    for caption, frame, note in tables:
        add_table(
            document,
            frame,
            caption=caption,
            note=note,
            numbering=numbering,
            language=language,
            digits=digits,
        )
    return save(document)


#: The time every part of a written .docx carries (the ZIP format's earliest date).
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def save(document: DocxDocument) -> bytes:
    """The document as bytes, the same bytes for the same content: python-docx stamps
    each ZIP member with the time of writing, so the members are copied into a new
    archive with one fixed time (a report written twice is byte-identical, and the app's
    download equals the report folder's file)."""
    import zipfile

    buffer = io.BytesIO()
    document.save(buffer)
    fixed = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = info.external_attr
            target.writestr(member, source.read(info.filename))
    return fixed.getvalue()
