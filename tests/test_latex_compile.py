"""Every ``.tex`` nqpf writes compiles: ``report.tex`` with xelatex and with pdflatex on
hostile names (Chinese included), nothing injected being live TeX; the report of the
default data (117 countries × 18 years: long and wide tables) with pdflatex, a Chinese
report (Chinese regions, groups, labels; ``language="zh"``) with xelatex + ctex and with
pdflatex + CJKutf8, ``result.write("x.tex")``, and tables longer than a page and wider
than a landscape page, with no table running off the page (no "Overfull \\hbox" beyond
:data:`OVERFULL_TOLERANCE_PT`). The first pages are rendered to PNG in test-artifacts/.

The panel's file name holds a newline followed by ``\\errmessage{…}``, region names hold
``\\errmessage``, ``\\end{document}``, ``\\input{/etc/passwd}``, ``%``, ``$x^$`` and every
TeX special. With ``-halt-on-error`` any of them read as TeX stops the run (an
``\\errmessage`` is an error; ``\\end{document}`` ends it before the last table, whose
label then misses from the .aux). The Debian packages are in the Makefile's APT_PKGS
(texlive-latex-recommended texlive-xetex texlive-lang-chinese fonts-noto-cjk, texlive-latex-extra for
threeparttable and newunicodechar, and for Chinese under pdflatex latex-cjk-chinese
latex-cjk-chinese-arphic-gbsn00lp)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import polars as pl
import pytest
from hostile import GROUP_COLUMN, hostile_panel, small_index

import nqpf
from nqpf.cli import main
from nqpf.formats import LATEX_PREAMBLE, latex_document, latex_math_declarations, latex_table
from nqpf.options import ReportOptions
from nqpf.report import build_report

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"

#: Overfull box allowed (pt): TeX reports every excess beyond \hfuzz (0.1 pt); below 2 pt
#: (0.7 mm) nothing visibly leaves the text block, beyond it a table runs off the page.
OVERFULL_TOLERANCE_PT = 2.0

XELATEX = shutil.which("xelatex")


def _has_sty(name: str) -> bool:
    kpsewhich = shutil.which("kpsewhich")
    if kpsewhich is None:
        return False
    found = subprocess.run([kpsewhich, name], capture_output=True, text=True, check=False)
    return bool(found.stdout.strip())


pytestmark = [
    pytest.mark.skipif(
        XELATEX is None,
        reason="xelatex is absent (Debian: texlive-xetex texlive-latex-recommended "
        "texlive-lang-chinese fonts-noto-cjk; `make system-deps` installs them)",
    ),
    pytest.mark.skipif(
        XELATEX is not None and not _has_sty("threeparttable.sty"),
        reason="threeparttable.sty is absent (Debian: texlive-latex-extra)",
    ),
]
ENGINES = [
    "xelatex",
    pytest.param(
        "pdflatex",
        marks=pytest.mark.skipif(
            shutil.which("pdflatex") is None,
            reason="pdflatex is absent (Debian: texlive-latex-recommended)",
        ),
    ),
]


def _compile(folder, name="report.tex", engine="xelatex"):
    run = subprocess.run(
        [
            shutil.which(engine) or engine,
            "-interaction=nonstopmode",
            "-halt-on-error",
            "-no-shell-escape",
            name,
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=600,
        check=False,
    )
    return run.returncode, run.stdout


@pytest.mark.parametrize("engine", ENGINES)
def test_hostile_report_compiles_and_injects_nothing(tmp_path, capsys, engine):
    panel, spec = hostile_panel(tmp_path)
    out = tmp_path / "report"
    code = main(
        [
            "report",
            str(panel),
            "--spec",
            str(spec),
            "--group",
            GROUP_COLUMN,
            "--out",
            str(out),
            "--no-validate",
        ]
    )
    capsys.readouterr()
    assert code == 0
    tex = (out / "report.tex").read_text("utf-8")
    code, log = _compile(out, engine=engine)
    assert code == 0, log[-3000:]
    assert "nqpf-injected" not in log
    assert (out / "report.pdf").stat().st_size > 0
    assert not [x for x in _overfull(out) if x > OVERFULL_TOLERANCE_PT]  # nothing off the page
    # every table was typeset: each \label reached the .aux (a live \end{document}
    # would have stopped the run before the last one)
    labels = re.findall(r"\\label\{([^}]*)\}", tex)
    aux = (out / "report.aux").read_text("utf-8", errors="replace")
    assert labels
    for label in labels:
        assert f"\\newlabel{{{label}}}" in aux, label
    # Chinese names are set in a CJK font, not dropped (fonts-noto-cjk)
    if engine == "xelatex" and (
        "Noto Serif CJK SC"
        in subprocess.run(["fc-list"], capture_output=True, text=True, check=False).stdout
    ):
        transcript = (out / "report.log").read_text("utf-8", errors="replace")
        assert "Missing character" not in transcript


def test_report_tex_can_be_input_into_a_paper(tmp_path, capsys):
    """\\input into a document whose preamble has no booktabs: the tables only."""
    panel, spec = hostile_panel(tmp_path, years=range(2010, 2013))
    out = tmp_path / "report"
    assert (
        main(["report", str(panel), "--spec", str(spec), "--out", str(out), "--no-validate"]) == 0
    )
    capsys.readouterr()
    (out / "paper.tex").write_text(
        "\\documentclass{article}\n\\usepackage{fontspec}\n"
        "\\begin{document}\nBefore.\n\\input{report.tex}\nAfter the tables.\n\\end{document}\n",
        "utf-8",
    )
    code, log = _compile(out, "paper.tex")
    assert code == 0, log[-3000:]
    assert "nqpf-injected" not in log


# ---------------------------------------------------------------------------
# layout: long and wide tables, the default data, Chinese, every result
# ---------------------------------------------------------------------------


def _overfull(folder: Path, name: str = "report") -> list[float]:
    log = (folder / f"{name}.log").read_text("utf-8", errors="replace")
    return [float(x) for x in re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide\)", log)]


def _typeset(folder: Path, tex: str, engine: str, name: str = "report") -> str:
    """Write ``tex`` and compile it twice (longtable settles its column widths in the
    second run); returns the log, after checking the run and the overfull boxes."""
    (folder / f"{name}.tex").write_text(tex, "utf-8")
    for _ in range(2):
        code, log = _compile(folder, f"{name}.tex", engine=engine)
        assert code == 0, log[-3000:]
    too_wide = [x for x in _overfull(folder, name) if x > OVERFULL_TOLERANCE_PT]
    assert not too_wide, f"tables wider than the page by {too_wide} pt"
    return (folder / f"{name}.log").read_text("utf-8", errors="replace")


def _render(pdf: Path, stem: str) -> list[Path]:
    """The first two pages as PNG in test-artifacts/ (for a look at them)."""
    if shutil.which("pdftoppm") is None:
        return []
    ARTIFACTS.mkdir(exist_ok=True)
    for old in ARTIFACTS.glob(f"{stem}-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "2", str(pdf), str(ARTIFACTS / stem)],
        check=True,
        timeout=300,
    )
    pages = sorted(ARTIFACTS.glob(f"{stem}-*.png"))
    assert pages, stem
    return pages


def _pdf_text(pdf: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is absent (Debian: poppler-utils)")
    run = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return run.stdout


@pytest.fixture(scope="module")
def default_report():
    """The report of the default data: 117 countries × 18 years, by continent."""
    result = nqpf.entropy_topsis(
        pl.read_csv(nqpf.datasets.pwt_path()),
        nqpf.datasets.pwt_spec_path(),
        region="country",
        keep=["continent"],
    )
    return build_report(result, group="continent", options=ReportOptions())


def test_default_report_compiles_with_pdflatex_and_fits_the_page(default_report, tmp_path):
    tex = default_report.to_latex()
    assert "\\begin{longtable}" in tex
    assert "\\begin{landscape}" in tex
    assert "\\_" not in "".join(re.findall(r"\\label\{[^}]*\}", tex))  # never escaped
    _typeset(tmp_path, tex, "pdflatex")
    # every table typeset, each with its label
    aux = (tmp_path / "report.aux").read_text("utf-8", errors="replace")
    for label in re.findall(r"\\label\{([^}]*)\}", tex):
        assert f"\\newlabel{{{label}}}" in aux, label
    text = _pdf_text(tmp_path / "report.pdf")
    assert "Table 2: Index by region and year" in text
    assert "Table 2 (continued)" in text  # the long table's header repeats on each page
    assert "Qatar" in text
    assert "Zimbabwe" in text
    _render(tmp_path / "report.pdf", "latex-default-en")


def _chinese_report():
    from app_panel import panel_frame, spec_csv

    frame = panel_frame().rename({"area": "地区", "province": "省份", "year": "年份"})
    result = nqpf.entropy_topsis(
        frame,
        nqpf.IndicatorSpec.from_frame(pl.read_csv(io.BytesIO(spec_csv()))),
        region="省份",
        year="年份",
        keep=["地区"],
    )
    return build_report(result, group="地区", title="区域发展指数报告", options=ReportOptions())


@pytest.mark.parametrize("engine", ENGINES)
def test_chinese_report_compiles(tmp_path, engine):
    """xelatex + ctex (and pdflatex + CJKutf8): Chinese regions, groups, labels and
    title, every caption 表n."""
    report = _chinese_report()
    tex = report.to_latex(language="zh")
    log = _typeset(tmp_path, tex, engine)
    if engine == "xelatex":
        assert "ctex.sty" in log
        assert "Missing character" not in log
    text = _pdf_text(tmp_path / "report.pdf")
    assert "重庆" in text
    assert "西南" in text
    assert "区域发展指数报告" in text
    assert re.search(r"表\s*1", text)
    assert "Table" not in text
    _render(tmp_path / "report.pdf", f"latex-zh-{engine}")


def test_result_write_tex_is_a_document_that_compiles(tmp_path):
    result = small_index(5, [2010, 2011, 2012])
    path = result.write(tmp_path / "index.tex")
    tex = path.read_text("utf-8")
    assert tex.count("\\caption{") == len(result.tables())
    _typeset(tmp_path, tex, "pdflatex", name="index")


def _wide(rows: int, columns: int) -> pl.DataFrame:
    return pl.DataFrame(
        {"region": [f"地区{i}" if i % 7 == 0 else f"Region {i}" for i in range(rows)]}
        | {
            f"score_{2000 + j}": [((i + 1) * (j + 3)) % 97 / 97 for i in range(rows)]
            for j in range(columns)
        }
    )


def test_long_and_wide_tables_split_and_fit(tmp_path):
    """A 150 × 40 table: a longtable cut into column parts that repeat the region column,
    on landscape pages; a 10 × 60 one: a landscape float scaled to the page. Both also
    ``\\input`` into a paper whose preamble is the documented snippet."""
    long = latex_table(_wide(150, 40), caption="Long σ and β", label="tab:long_1")
    assert long.count("\\begin{longtable}") >= 2
    assert "\\begin{landscape}" in long
    assert long.count("\\caption{") == 1
    wide = latex_table(_wide(10, 60), caption="Wide", label="tab:wide", note="Source: x_1.")
    assert "\\begin{threeparttable}" in wide
    assert "\\resizebox" in wide
    document = latex_document([long, wide], title="Layout")
    _typeset(tmp_path, document, "pdflatex", name="layout")
    text = _pdf_text(tmp_path / "layout.pdf")
    assert "Region 149" in text
    assert "score_2039" in text
    assert "Note: Source: x_1." in text
    _render(tmp_path / "layout.pdf", "latex-layout")
    (tmp_path / "paper.tex").write_text(
        "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage{CJKutf8}\n"
        + LATEX_PREAMBLE
        + "\n"
        + latex_math_declarations("pdflatex")
        + "\n\\begin{document}\\begin{CJK}{UTF8}{gbsn}\nBefore.\n\\input{layout.tex}\n"
        "After.\\end{CJK}\n\\end{document}\n",
        "utf-8",
    )
    code, log = _compile(tmp_path, "paper.tex", engine="pdflatex")
    assert code == 0, log[-3000:]
