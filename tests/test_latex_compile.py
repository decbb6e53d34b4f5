"""``report.tex`` compiles with xelatex and with pdflatex on hostile names (Chinese
included), and nothing injected is live TeX.

The panel's file name holds a newline followed by ``\\errmessage{…}``, region names hold
``\\errmessage``, ``\\end{document}``, ``\\input{/etc/passwd}``, ``%``, ``$x^$`` and every
TeX special. With ``-halt-on-error`` any of them read as TeX stops the run (an
``\\errmessage`` is an error; ``\\end{document}`` ends it before the last table, whose
label then misses from the .aux). The Debian packages are in the Makefile's APT_PKGS
(texlive-latex-recommended texlive-xetex texlive-lang-chinese fonts-noto-cjk, and for
Chinese under pdflatex latex-cjk-chinese latex-cjk-chinese-arphic-gbsn00lp)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from hostile import GROUP_COLUMN, hostile_panel

from nqpf.cli import main

XELATEX = shutil.which("xelatex")
pytestmark = pytest.mark.skipif(
    XELATEX is None,
    reason="xelatex is absent (Debian: texlive-xetex texlive-latex-recommended "
    "texlive-lang-chinese fonts-noto-cjk; `make system-deps` installs them)",
)
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
