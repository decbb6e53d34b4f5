"""The generated methods section (:mod:`nqpf.report.methods`): it follows the options
used, in English and Chinese, describes every analysis the report ran, and its LaTeX
compiles (xelatex, pdflatex) with the report's own preamble."""

from __future__ import annotations

import shutil
import subprocess
from types import SimpleNamespace

import pytest

import nqpf
from nqpf.errors import InputError
from nqpf.options import ClubOptions, DagumOptions, EchelonOptions, IndexOptions, MarkovOptions
from nqpf.report import Report, ReportTable, build_report
from nqpf.report.methods import (
    TITLE,
    methods_frame,
    methods_latex,
    methods_steps,
    methods_text,
    report_methods,
)

#: Every analysis, with options other than the defaults where they have any.
ALL = {
    "echelons": EchelonOptions(rule="sd", k=4, sd_multiplier=0.5),
    "dagum": DagumOptions(bootstrap=199, level=0.9),
    "sigma": True,
    "beta": ("none", "twoway"),
    "markov": MarkovOptions(k=5, classes="year"),
    "clubs": ClubOptions(hp_lambda=None),
    "density": "scott",
    "obstacles": True,
}


def test_critic_weights_name_critic_and_its_formula_never_entropy():
    for language in ("en", "zh"):
        text = methods_text(IndexOptions(weights="critic"), language=language)
        assert "CRITIC" in text
        assert "C_j = σ_j Σ_k (1 − r_jk)" in text
        assert "Diakoulaki" in text
        assert "entropy" not in text.lower()
        assert "熵" not in text
        assert "ln p_rj" not in text
    default = methods_text(IndexOptions())
    assert "entropy weights" in default
    assert "e_j = −(1/ln R) Σ_r p_rj ln p_rj" in default
    assert "Shannon" in default
    assert "CRITIC" not in default


# each change of one index option, and a text only that variant writes
CHANGES = [
    ({"weights": "cv"}, "v_j = s_j / |x̄_j|"),
    ({"weights": "equal"}, "w_j = 1/m"),
    ({"weights": {"a": 1.0, "b": 3.0}}, "w_j = u_j / Σ_k u_k"),
    ({"scope": "year"}, "R = N_t"),
    ({"standardization": "ratio"}, "x′_rj = x_rj / max_j"),
    ({"standardization": "zscore", "shift": 2.0}, "H = 2"),
    ({"shift": 0.01}, "a = 0.01"),
    ({"zero_log": "epsilon"}, "p + 10⁻¹²"),
    ({"topsis": "distance"}, "D±_r = √(Σ_j w_j (M_rj − M±_j)²)"),
    ({"ideal": "year"}, "M⁺_jt = max_{r∈t} M_rj"),
    ({"normalization": "vector"}, "M_rj = x_rj / √(Σ_r x_rj²)"),
    ({"normalization": "none"}, "M_rj = x_rj"),
    ({"method": "linear"}, "S_r = Σ_j w_j x′_rj"),
    ({"method": "grey", "rho": 0.4}, "ξ_rj = (Δmin + ρ Δmax)/(Δ_rj + ρ Δmax)"),
    ({"method": "grey", "rho": 0.4}, "ρ = 0.4"),
    ({"method": "grey_topsis", "grey_share": 0.3}, "S⁺ = (1 − β) D̃⁻ + β R̃⁺"),
    ({"method": "grey_topsis", "grey_share": 0.3}, "β = 0.3"),
    ({"distance": "manhattan"}, "(Manhattan"),
    ({"distance": "minkowski", "p": 3}, "Minkowski, p = 3"),
]


@pytest.mark.parametrize(("change", "marker"), CHANGES)
def test_the_text_follows_each_index_option(change, marker):
    default = methods_text(IndexOptions())
    changed = methods_text(IndexOptions(**change))
    assert changed != default
    assert marker in changed
    assert marker not in default


@pytest.mark.parametrize("rule", ["equal", "max_breaks", "jenks_caspall", "head_tail", "jenks"])
def test_every_echelon_rule_is_described(rule):
    from nqpf.options import EchelonOptions

    for language in ("en", "zh"):
        (step,) = methods_steps(None, echelons=EchelonOptions(rule=rule), language=language)
        assert step.method
    text = methods_steps(None, echelons=EchelonOptions(rule="head_tail"))[0].method
    assert "k =" not in text  # head/tail breaks choose their own number of classes


def test_grey_grade_has_no_distance_step():
    steps = [s.step for s in methods_steps(IndexOptions(method="grey"))]
    assert "Grey relational grade" in steps
    assert "Distances and relative closeness" not in steps
    zh = [s.step for s in methods_steps(IndexOptions(method="grey_topsis"), language="zh")]
    assert "灰色关联 TOPSIS" in zh


def test_linear_score_has_no_topsis_steps():
    steps = [s.step for s in methods_steps(IndexOptions(method="linear"))]
    assert "Linear score" in steps
    assert not any("TOPSIS" in s or "closeness" in s for s in steps)
    assert "TOPSIS matrix" in [s.step for s in methods_steps(IndexOptions())]


def test_every_family_used_is_described_in_both_languages():
    en = methods_steps(IndexOptions(), language="en", **ALL)
    zh = methods_steps(IndexOptions(), language="zh", **ALL)
    names = [s.step for s in en]
    for expected in (
        "Standardisation",
        "Weights",
        "Echelons",
        "Dagum Gini decomposition",
        "Bootstrap intervals",
        "σ-convergence",
        "β-convergence",
        "Markov chain",
        "Club convergence",
        "Kernel density",
        "Obstacle degree",
    ):
        assert expected in names
    assert names.count("β-convergence") == 2
    zh_names = [s.step for s in zh]
    for expected in ("无量纲化", "赋权", "梯队划分", "马尔可夫链", "俱乐部收敛", "障碍度模型"):
        assert expected in zh_names
    assert len(zh) == len(en)
    # the same formulas in both languages, the words translated
    assert [s.formulas for s in zh] == [s.formulas for s in en]
    worded = [(a, b) for a, b in zip(en, zh, strict=True) if a.step != "Shift"]  # "a = …"
    assert all(a.method != b.method for a, b in worded)
    # the options' values are in the variants
    text = methods_text(**ALL)
    for value in ("k = 4", "c = 0.5", "B = 199", "90%", "k = 5 states", "each year's quantiles"):
        assert value in text
    assert "HP λ" not in text  # no filter: hp_lambda=None
    assert "Hodrick" not in text
    assert "HP λ = 400" in methods_text(clubs=ClubOptions())
    assert "Scott" in text


def test_nothing_run_nothing_described_and_a_bad_language_is_an_input_error():
    assert methods_steps() == ()
    with pytest.raises(InputError, match="language"):
        methods_text(IndexOptions(), language="fr")


def test_methods_frame_headers_in_the_language():
    steps = methods_steps(IndexOptions(), language="zh")
    frame = methods_frame(steps, "zh")
    assert frame.columns == ["步骤", "方法", "公式", "参考文献"]
    assert frame.height == len(steps)
    assert methods_frame(methods_steps(IndexOptions()), "en").columns == [
        "step",
        "method",
        "formula",
        "reference",
    ]


@pytest.fixture(scope="module")
def pwt_report():
    panel, spec = nqpf.load_pwt()
    result = nqpf.entropy_topsis(panel, spec, weights="critic", topsis="distance")
    return result, build_report(result, group="continent")


def test_the_report_describes_what_it_ran(pwt_report):
    _, report = pwt_report
    assert report.names[-1] == "methods"
    methods = report.table("methods")
    steps = methods.get_column("step").to_list()
    ran = {
        "Echelons": "regions",
        "Dagum Gini decomposition": "dagum_continent",
        "σ-convergence": "sigma",
        "β-convergence": "beta",
        "Markov chain": "markov",
        "Club convergence": "clubs",
        "Obstacle degree": "obstacles",
        "Theil index": "theil_continent",
        "Gini decomposition by dimension": "gini_sources",
    }
    for step, table in ran.items():
        assert table in report.names
        assert step in steps, step
    assert "Kernel density" in steps
    assert "conditional_density" in report.figures
    assert "Conditional kernel density" in steps
    assert "Geographical detector" not in steps  # no factors given: not run
    # the report's β table has two models: both described
    assert steps.count("β-convergence") == report.table("beta").height
    # the result's own options: CRITIC and the weighted distance
    text = " ".join(methods.get_column("formula").to_list())
    assert "C_j = σ_j Σ_k (1 − r_jk)" in text
    assert "D±_r = √(Σ_j w_j (M_rj − M±_j)²)" in text
    assert "entropy" not in " ".join(methods.get_column("method").to_list()).lower()
    assert "\\section*{Methods}" in report.to_latex()
    assert "C_j=\\sigma_j\\sum_k" in report.to_latex()
    assert "<h2>Methods</h2>" in report.to_html()
    assert "## Methods" in report.to_markdown()


def test_no_clubs_no_club_step(pwt_report):
    result, _ = pwt_report
    report = build_report(result, clubs=False)
    steps = report.table("methods").get_column("step").to_list()
    assert "Club convergence" not in steps
    assert "Dagum Gini decomposition" in steps  # by echelon


def test_the_section_follows_the_report_language(pwt_report):
    """``ReportOptions.language`` (read with getattr until it lands): a context whose
    options say zh gets the Chinese section."""
    result, report = pwt_report
    ctx = SimpleNamespace(
        result=result,
        options=SimpleNamespace(echelon_rule="jenks", k=3, markov_k=4, language="zh"),
        tables=[item for item in report.entries if item.name != "methods"],
        figures=report.figures,
        tiers=object(),
    )
    table = report_methods(ctx, "methods")
    assert table.title == TITLE[1]
    assert "梯队划分" in table.display.get_column("步骤").to_list()
    # the data keep the English column names, as every report table
    assert table.frame.columns == ["step", "method", "formula", "reference"]
    assert "\\section*{研究方法}" in table.latex


XELATEX = shutil.which("xelatex")
PDFLATEX = shutil.which("pdflatex")


@pytest.mark.parametrize(
    "engine",
    [
        pytest.param("xelatex", marks=pytest.mark.skipif(XELATEX is None, reason="no xelatex")),
        pytest.param("pdflatex", marks=pytest.mark.skipif(PDFLATEX is None, reason="no pdflatex")),
    ],
)
@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_methods_latex_compiles(tmp_path, engine, language):
    """Every formula of every variant, in the report's own preamble (report.tex)."""
    fragments = [methods_latex(IndexOptions(), language=language, **ALL)]
    for change, _ in CHANGES:
        fragments.append(methods_latex(IndexOptions(**change), language=language))
    fragments.append(methods_latex(echelons=EchelonOptions(rule="quantiles"), language=language))
    fragments.append(methods_latex(echelons=EchelonOptions(rule="kmeans"), language=language))
    fragments.append(methods_latex(echelons=EchelonOptions(rule="jenks"), language=language))
    fragments.append(
        methods_latex(echelons=EchelonOptions(rule="thresholds", k=None), language=language)
    )
    fragments.append(methods_latex(beta=("region",), density=0.05, language=language))
    steps = methods_steps(IndexOptions(), language=language)
    tables = tuple(
        ReportTable(f"methods{i}", "methods", methods_frame(steps, language), latex=fragment)
        for i, fragment in enumerate(fragments)
    )
    (tmp_path / "report.tex").write_text(Report("methods", tables).to_latex(), "utf-8")
    run = subprocess.run(
        [engine, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "report.tex"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:]
    log = (tmp_path / "report.log").read_text("utf-8", errors="replace")
    if engine == "xelatex" and "Noto Serif CJK SC" in _fonts():
        assert "Missing character" not in log


def _fonts() -> str:
    return subprocess.run(["fc-list"], capture_output=True, text=True, check=False).stdout
