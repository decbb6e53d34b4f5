"""The project file (nqpf.project) and ``nqpf run``: TOML written by nqpf's own writer
read back equal (property tests with Chinese names, quotes, newlines, backslashes), every
malformed project one InputError line naming the section and key, the data's fingerprint
checked, and ``nqpf run`` writing the report whose tables equal the API's own results."""

from __future__ import annotations

import hashlib
import math
import shutil
import tomllib
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nqpf
from nqpf import datasets
from nqpf.cli import main
from nqpf.errors import InputError
from nqpf.options import (
    ClubOptions,
    CouplingOptions,
    DagumOptions,
    EchelonOptions,
    GeodetectorOptions,
    IndexOptions,
    InequalityOptions,
    MarkovOptions,
    ReadOptions,
    ReportOptions,
    SpatialOptions,
)
from nqpf.panel import IndicatorSpec
from nqpf.project import (
    OPTION_FAMILIES,
    DataSource,
    Project,
    RunSettings,
    _writable_none,
    toml_key,
    toml_string,
    toml_value,
)

#: Texts a user's names hold: Chinese, quotes, backslashes, newlines, control characters.
HOSTILE = [
    '东部"地区"',
    "a\\b\\\\c",
    "line\nbreak\r\n",
    "tab\there",
    "\x00\x1b[31m\x7f",
    "'''",
    "#",
]


def loads_value(text: str) -> Any:
    return tomllib.loads(f"v = {text}")["v"]


def plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


# ------------------------------------------------------------------ the TOML writer


@given(st.text())
def test_every_text_reads_back(text: str) -> None:
    assert loads_value(toml_string(text)) == text
    assert tomllib.loads(f"{toml_key(text)} = 1") == {text: 1}


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_texts_read_back(text: str) -> None:
    written = toml_string(text)
    assert "\n" not in written  # one line: a newline in a name cannot end the entry
    assert loads_value(written) == text


SCALARS = (
    st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False)
    | st.text()
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(VALUES)
def test_every_value_reads_back(value: Any) -> None:
    assert loads_value(toml_value(value)) == plain(value)


def test_special_floats_and_limits() -> None:
    assert math.isnan(loads_value(toml_value(float("nan"))))
    assert loads_value(toml_value(float("-inf"))) == float("-inf")
    assert loads_value(toml_value(1e-12)) == 1e-12
    assert loads_value(toml_value(1 / 3)) == 1 / 3  # repr is exact
    with pytest.raises(InputError, match="too large"):
        toml_value(2**63)
    with pytest.raises(InputError, match="empty value"):
        toml_value([1, None])
    with pytest.raises(InputError, match="lone surrogate"):
        toml_string("\ud800")


def test_every_none_an_option_can_hold_can_be_written() -> None:
    """None is omitted when it is the default, else written as "none": that must not be
    a value the option could mean otherwise (a future declaration is caught here)."""
    for family in OPTION_FAMILIES.values():
        for info in family.describe():
            if (info.nullable or info.kind == "seed") and info.default is not None:
                assert _writable_none(info), f"{family.__name__}.{info.name}"


# ------------------------------------------------------------------ projects


def spec_of(*names: str) -> IndicatorSpec:
    return IndicatorSpec.from_records(
        [
            {"indicator": n, "dimension": "维度", "direction": "-", "label": n + "\n标签"}
            for n in names
        ]
    )


def every_family() -> dict[str, Any]:
    """Every family at values other than its defaults (None where a default is not)."""
    return {
        "index": IndexOptions(
            weights={"gdp": 0.25, '东部"x"': 0.75}, scope="year", shift=0.01, base=2005
        ),
        "echelons": EchelonOptions(rule="sd", k=4, sd_multiplier=0.5),
        "dagum": DagumOptions(bootstrap=99, level=0.9, seed=7),
        "markov": MarkovOptions(k=5, cutoffs=(0.8, 1.0, 1.2, 1.5), lag_k=3),
        "clubs": ClubOptions(hp_lambda=None, merge_method="vlt"),
        "report": ReportOptions(language="zh", group_order=("东部", "西部\\中部"), k=5),
        "spatial": SpatialOptions(permutations=99, seed=1, style="b"),
        "inequality": InequalityOptions(measure="ge", alpha=0.5),
        "geodetector": GeodetectorOptions(methods=("natural",), breaks=4),
        "coupling": CouplingOptions(alpha=(0.25, 0.75), formula="corrected"),
    }


def sample_project(name: str = "省份") -> Project:
    return Project(
        data=DataSource(
            file=f"数据/{name}.csv",
            sha256="0" * 64,
            region=name,
            year="年份",
            group='区域"组"',
            read=ReadOptions(form="wide", na_values=("—", "N/A"), decimal=",", sheet="表 1"),
        ),
        spec=spec_of("gdp", '东部"x"', "a\\b"),
        options=every_family(),
        run=RunSettings(
            spatial_weights="china-provinces",
            weights_kind="inverse_distance",
            weights_power=2.0,
            weights_link_islands=False,
            geodetector_factors=("gdp",),
        ),
        app={
            "w.cmp.preset": "custom",
            "w.idx.regions": ["重庆", "四川"],
            "w.x": "a\nb",
            "cmp.b.ahp_matrix": [[1.0, 1 / 3], [3.0, 1.0]],
        },
    )


def test_the_run_settings_read_back() -> None:
    """A weights file's fingerprint and a built-in kind's parameter, as the app writes
    them; an integral power typed by hand is read as a float."""
    file = RunSettings(spatial_weights="权重/w.gal", weights_sha256="a" * 64, rule="rook")
    built = RunSettings(spatial_weights="china-provinces", weights_kind="knn", weights_k=3)
    for run in (file, built):
        again = Project.from_toml(
            Project(DataSource(file="p.csv"), spec_of("gdp"), run=run).to_toml()
        )
        assert again.run == run
    assert built.builtin_parameters() == {"link_islands": True, "k": 3}
    text = (
        BASE + SPEC + "[run]\nspatial_weights = 'china-provinces'\nweights_kind = 'distance_band'\n"
    )
    threshold = Project.from_toml(text + "weights_threshold = 800\n").run.weights_threshold
    assert threshold == 800.0
    assert isinstance(threshold, float)


def test_a_project_reads_back_equal() -> None:
    project = sample_project()
    text = project.to_toml()
    again = Project.from_toml(text)
    assert again == project
    assert again.option("clubs").hp_lambda is None  # "none" read back as None
    assert again.option("dagum").seed == 7
    assert again.option("index").weights == {"gdp": 0.25, '东部"x"': 0.75}
    assert again.to_toml() == text
    assert tomllib.loads(text)["options"]["clubs"]["hp_lambda"] == "none"


@settings(max_examples=40, deadline=None)
@given(st.text(min_size=1).filter(lambda s: s.strip()), st.text())
def test_any_names_read_back(name: str, label: str) -> None:
    project = Project(
        data=DataSource(
            file=name, region=name, year=name + "y", group=label if label.strip() else None
        ),
        spec=IndicatorSpec.from_records([{"indicator": name.strip(), "label": label or None}]),
        options={"report": ReportOptions(group_order=tuple(p for p in [label] if p.strip()))},
        app={name: label},
    )
    assert Project.from_toml(project.to_toml()) == project


def test_defaults_are_filled_in() -> None:
    project = Project.from_toml('[data]\nfile = "p.csv"\n[[indicator]]\nname = "gdp"\n')
    assert project.option("index") == IndexOptions()
    assert project.data.region == "region"
    assert project.data.read == ReadOptions()
    assert project.spec.names == ("gdp",)


BASE = '[data]\nfile = "p.csv"\n'
SPEC = '\n[[indicator]]\nname = "gdp"\n'

BAD = [
    ("[data\n", "not valid TOML"),
    (BASE + SPEC + "\n[datum]\nx = 1\n", "unknown section or key 'datum' at the top"),
    ('[data]\nfile = "p.csv"\nregoin = "x"\n' + SPEC, "unknown key 'regoin' in [data]"),
    ('[data]\nfile = "p.csv"\nregoin = "x"\n' + SPEC, "did you mean 'region'?"),
    (BASE + SPEC + "[options.indx]\nscope = 'year'\n", "unknown options family [options.indx]"),
    (BASE + SPEC + "[options.indx]\nscope = 'year'\n", "did you mean [options.index]?"),
    (
        BASE + SPEC + "[options.index]\nweight = 'critic'\n",
        "unknown key 'weight' in [options.index]",
    ),
    (BASE + SPEC + "[options.index]\nweight = 'critic'\n", "did you mean 'weights'?"),
    (BASE + SPEC + "[options.index]\nscope = 'years'\n", "[options.index] unknown scope 'years'"),
    (BASE + SPEC + "[options.index]\nscope = 'none'\n", "[options.index] unknown scope 'none'"),
    (BASE + SPEC + "[options.echelons]\nk = 1\n", "[options.echelons] k"),
    (BASE + SPEC + "[options.geodetector]\nmin_breaks = 6\nmax_breaks = 3\n", "exceeds"),
    ("options = 3\n" + BASE + SPEC, "[options] must be a table"),
    (BASE + "[options]\nindex = 3\n" + SPEC, "[options.index] must be a table"),
    ("format = 99\n" + BASE + SPEC, "format 99, newer"),
    ("format = true\n" + BASE + SPEC, "not a project format number"),
    ("nqpf = 1\n" + BASE + SPEC, "must be a version text"),
    (SPEC, "no [data] section"),
    ("[data]\nregion = 'r'\n" + SPEC, "[data] has no file"),
    ("[data]\nfile = 3\n" + SPEC, "[data] file=3 must be a non-empty text"),
    ("[data]\nfile = 'p.csv'\nsha256 = 'abc'\n" + SPEC, "is not a SHA-256 fingerprint"),
    ("[data]\nfile = 'p.csv'\nna_values = 3\n" + SPEC, "[data] na_values=3"),
    ("[data]\nfile = 'p.csv'\nbuiltin = 'yes'\n" + SPEC, "builtin='yes' must be true or false"),
    ("[data]\nfile = 'p.csv'\nexclude = '全国'\n" + SPEC, "exclude must be a list of region"),
    ("[data]\nfile = 'p.csv'\nexclude = [3]\n" + SPEC, "[data] exclude=3 must be a non-empty"),
    (BASE, "no [[indicator]] tables"),
    ("indicator = 3\n" + BASE, "indicator must be [[indicator]] tables"),
    (BASE + SPEC + "direction = 'up'\n", "direction 'up' of indicator 'gdp'"),
    (BASE + SPEC + "weight = 1\n", "unknown key 'weight' in [[indicator]]"),
    (BASE + SPEC + "[run]\nrule = 'bishop'\n", "is not a contiguity rule"),
    (BASE + SPEC + "[run]\ngeodetector_factors = 'gdp'\n", "must be a list of column names"),
    (BASE + SPEC + "[run]\nvalidate = 1\n", "validate=1 must be true or false"),
    (BASE + SPEC + "[run]\nweights = 'x'\n", "unknown key 'weights' in [run]"),
    (BASE + SPEC + "[run]\nweights_sha256 = 'abc'\n", "weights_sha256='abc' is not a SHA-256"),
    (BASE + SPEC + "[run]\nweights_kind = 'knn'\n", "weights_kind needs spatial_weights"),
    (
        BASE + SPEC + "[run]\nspatial_weights = 'china-provinces'\nweights_kind = 'hex'\n",
        "weights_kind='hex' is not a built-in weights kind",
    ),
    (BASE + SPEC + "[run]\nweights_k = 0\n", "weights_k=0 must be a whole number of at least 1"),
    (BASE + SPEC + "[run]\nweights_k = 2.5\n", "weights_k=2.5 must be a whole number"),
    (BASE + SPEC + "[run]\nweights_power = -1\n", "weights_power=-1 must be a positive number"),
    (BASE + SPEC + "[run]\nweights_threshold = inf\n", "weights_threshold=inf must be a positive"),
    (BASE + SPEC + "[run]\nweights_link_islands = 1\n", "weights_link_islands=1 must be true"),
]


@pytest.mark.parametrize(("text", "expected"), BAD)
def test_a_bad_project_is_one_line(text: str, expected: str) -> None:
    with pytest.raises(InputError) as caught:
        Project.from_toml(text)
    line = str(caught.value)
    assert expected in line
    assert "\n" not in line


def test_a_bad_project_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text(BASE + SPEC + "[options.index]\nscope = 'years'\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"p\.toml: \[options\.index\] unknown scope"):
        Project.from_toml(path)
    with pytest.raises(InputError, match="project file not found"):
        Project.from_toml(tmp_path / "absent.toml")
    with pytest.raises(InputError, match="not a project file"):
        Project.from_toml(tmp_path)
    # bytes and a text are read as the file's content
    assert (
        Project.from_toml(path.read_bytes().replace(b"years", b"year")).option("index").scope
        == "year"
    )


def test_write_is_a_toml_file(tmp_path: Path) -> None:
    project = sample_project()
    target = project.write(tmp_path / "p.toml")
    assert target.read_text("utf-8") == project.to_toml()
    assert Project.from_toml(target) == project
    assert [p.name for p in tmp_path.iterdir()] == ["p.toml"]  # no temporary file left
    with pytest.raises(InputError, match=r"must end in \.toml"):
        project.write(tmp_path / "p.txt")


def test_a_generator_seed_cannot_be_saved() -> None:
    import numpy as np

    project = Project(
        DataSource(file="p.csv"),
        spec_of("gdp"),
        options={"dagum": DagumOptions(seed=np.random.default_rng(1))},
    )
    with pytest.raises(InputError, match="random generator"):
        project.to_toml()


# ------------------------------------------------------------------ the data


def test_the_fingerprint_is_checked(tmp_path: Path) -> None:
    data = b"region,year,gdp\na,2000,1\n"
    (tmp_path / "p.csv").write_bytes(data)
    project = Project(
        DataSource(file="p.csv", sha256=hashlib.sha256(data).hexdigest()), spec_of("gdp")
    )
    assert project.read_data(tmp_path) == (data, str(tmp_path / "p.csv"))
    (tmp_path / "p.csv").write_bytes(data + b"b,2000,2\n")
    with pytest.raises(InputError, match="changed since the project was saved") as caught:
        project.read_data(tmp_path)
    assert "--allow-changed-data" in str(caught.value)
    assert project.read_data(tmp_path, allow_changed=True)[0].endswith(b"b,2000,2\n")
    with pytest.raises(InputError, match="data file was not found"):
        project.read_data(tmp_path / "elsewhere")


def test_the_builtin_data_is_the_embedded_panel() -> None:
    data = datasets.pwt_path().read_bytes()
    project = Project(
        DataSource(file="pwt_panel.csv", builtin=True, sha256=hashlib.sha256(data).hexdigest()),
        spec_of("gdp"),
    )
    assert project.read_data()[0] == data


def test_excluded_regions_read_back_and_leave_the_panel() -> None:
    """[data] exclude (the Data page's national-total rows) is saved and applied by
    Project.panel: the panel read has every region but those."""
    data = datasets.pwt_path().read_bytes()
    regions = nqpf.load_pwt()[0].regions
    dropped = (regions[0], regions[-1])
    project = Project(
        DataSource(
            file="pwt_panel.csv",
            builtin=True,
            region=datasets.PWT_REGION,
            year=datasets.PWT_YEAR,
            exclude=dropped,
        ),
        spec_of("hc"),
    )
    again = Project.from_toml(project.to_toml())
    assert again == project
    assert again.data.exclude == dropped
    panel = again.panel(data, "pwt_panel.csv")
    assert set(panel.regions) == set(regions) - set(dropped)


# ------------------------------------------------------------------ nqpf run


def run_cli(*argv: str) -> int:
    return main(list(argv))


@pytest.fixture
def pwt_project(tmp_path: Path) -> Path:
    """The default data beside a project that names it by a relative path."""
    folder = tmp_path / "项目 one"
    folder.mkdir()
    shutil.copy(datasets.pwt_path(), folder / "panel.csv")
    data = (folder / "panel.csv").read_bytes()
    _panel, spec = nqpf.load_pwt()
    project = Project(
        DataSource(
            file="panel.csv",
            sha256=hashlib.sha256(data).hexdigest(),
            region=datasets.PWT_REGION,
            year=datasets.PWT_YEAR,
            group=datasets.PWT_GROUP,
        ),
        spec,
        options={
            "index": IndexOptions(weights="critic", scope="year"),
            "markov": MarkovOptions(k=4, classes="relative"),
            "report": ReportOptions(
                echelon_rule="quantiles",
                k=4,
                language="zh",
                group_order=("Oceania", "Europe", "Asia", "Americas", "Africa"),
                clubs=False,
            ),
        },
    )
    return project.write(folder / "project.toml")


def test_run_reproduces_the_report(pwt_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("run", str(pwt_project), "--out", str(out)) == 0
    tables = out / "tables"
    # the API's own results on the same data and options
    panel, spec = nqpf.load_pwt()
    result = nqpf.entropy_topsis(panel, spec, weights="critic", scope="year", keep=["continent"])
    weights = pl.read_csv(tables / "weights.csv")
    expected = result.weights.select("year", "indicator", "weight")
    joined = expected.join(weights.select("year", "indicator", "weight"), on=["year", "indicator"])
    assert joined.height == expected.height == weights.height
    assert joined.get_column("weight").to_list() == pytest.approx(
        joined.get_column("weight_right").to_list(), rel=1e-12
    )
    dagum = nqpf.dagum_gini(result.scores, value="score", group="continent", by="year")
    summary = dagum.tables()["summary"]
    written = pl.read_csv(tables / "dagum_continent.csv", schema_overrides={"year": pl.String})
    years = written.filter(pl.col("year") != "mean")
    means = dict(dagum.period_mean().select("quantity", "mean").iter_rows())
    for column in ("G", "Gw", "Gnb", "Gt"):
        assert years.get_column(column).to_list() == pytest.approx(
            summary.get_column(column).to_list(), rel=1e-12
        ), column
        mean_row = written.filter(pl.col("year") == "mean").get_column(column).item()
        assert mean_row == pytest.approx(means[column], rel=1e-12), column
    # the saved group order and language
    within = pl.read_csv(tables / "dagum_continent_within.csv")
    assert within.columns[1:] == ["Oceania", "Europe", "Asia", "Americas", "Africa"]
    assert "<html lang=zh>" in (out / "report.html").read_text("utf-8")
    assert any((out / "figures").glob("*.png"))
    assert not (tables / "clubs.csv").exists()  # clubs=False as saved
    # the saved Markov options reach the report's chain (nqpf run passes every family
    # build_report takes)
    chain = nqpf.markov_chain(result.scores, "score", "country", "year", k=4, classes="relative")
    markov = pl.read_csv(tables / "markov.csv")
    expected = chain.tables()["probabilities"]
    assert markov.columns == expected.columns
    numeric = [c for c, dtype in expected.schema.items() if dtype.is_float()]
    assert numeric
    for column in numeric:
        assert markov.get_column(column).to_list() == pytest.approx(
            expected.get_column(column).to_list(), rel=1e-12, abs=1e-15
        ), column


def test_run_bad_project_is_exit_2_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "p.toml"
    path.write_text(BASE + SPEC + "[options.index]\nscope = 'years'\n", encoding="utf-8")
    out = tmp_path / "out"
    assert run_cli("run", str(path), "--out", str(out)) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert "[options.index] unknown scope 'years'" in err
    assert not out.exists()
    assert run_cli("run", str(tmp_path / "absent.toml"), "--out", str(out)) == 2
    assert "project file not found" in capsys.readouterr().err
    assert not out.exists()


def test_run_data_errors(
    pwt_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    # another file given with --data: its fingerprint differs (in the project's language)
    other = tmp_path / "other.csv"
    other.write_bytes(datasets.pwt_path().read_bytes() + b"\n")
    assert run_cli("run", str(pwt_project), "--out", str(out), "--data", str(other)) == 2
    err = capsys.readouterr().err
    assert "SHA-256" in err
    assert "数据文件在保存项目之后已被修改" in err
    assert not out.exists()
    # accepted with --allow-changed-data: the run goes on to the next check
    text = pwt_project.read_text("utf-8").replace('group = "continent"', 'group = "nope"')
    pwt_project.write_text(text, encoding="utf-8")
    assert (
        run_cli(
            "run", str(pwt_project), "--out", str(out), "--data", str(other), "--allow-changed-data"
        )
        == 2
    )
    assert "nope" in capsys.readouterr().err
    assert not out.exists()
    # the data missing beside the project
    (pwt_project.parent / "panel.csv").unlink()
    assert run_cli("run", str(pwt_project), "--out", str(out)) == 2
    assert "找不到项目的数据文件" in capsys.readouterr().err  # in the project's language
    # an output folder holding other files is refused before any work
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("keep", encoding="utf-8")
    assert run_cli("run", str(pwt_project), "--out", str(busy)) == 2
    assert (busy / "notes.txt").read_text("utf-8") == "keep"


def test_run_reads_an_ahp_matrix_beside_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file the project names (the AHP matrix) is read beside the project, wherever the
    run starts; a wrong group order then stops the run after the index (one line)."""
    _panel, spec = nqpf.load_pwt()
    folder = tmp_path / "p"
    folder.mkdir()
    names = list(spec.names)
    matrix = pl.DataFrame({"indicator": names, **{n: [1] * len(names) for n in names}})
    matrix.write_csv(folder / "ahp.csv")
    project = Project(
        DataSource(file="pwt.csv", builtin=True, region="country", group="continent"),
        spec,
        options={
            "index": IndexOptions(weights="ahp", ahp_matrix="ahp.csv"),
            "report": ReportOptions(group_order=("Atlantis",)),
        },
    )
    path = project.write(folder / "project.toml")
    monkeypatch.chdir(tmp_path)
    assert run_cli("run", str(path), "--out", str(tmp_path / "out")) == 2
    err = capsys.readouterr().err
    assert "Atlantis" in err  # the index ran: the matrix was found beside the project
    (folder / "ahp.csv").unlink()
    assert run_cli("run", str(path), "--out", str(tmp_path / "out")) == 2
    assert "ahp.csv" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_run_computes_the_ahp_weights_of_the_matrix_in_the_project(tmp_path: Path) -> None:
    """[options.index] ahp_matrix holds the numbers (a row per indicator in the spec's
    order, as the app saves them): ``nqpf run`` needs no matrix file, and its weights are
    the API's on the same matrix read from a CSV file (the Index page's upload). Both
    paths hold the same binary numbers (repr round-trips; 1/3 is parsed as 1.0 / 3.0),
    so the weights agree to the CSV round trip of the report's table."""
    _panel, spec = nqpf.load_pwt()
    names = list(spec.names)
    n = len(names)
    # a consistent matrix a_ij = p_i / p_j of priorities 1 … n: fractions in the file
    cells = [[f"{i + 1}/{j + 1}" for j in range(n)] for i in range(n)]
    (tmp_path / "ahp.csv").write_text(
        "indicator,"
        + ",".join(names)
        + "\n"
        + "".join(f"{a}," + ",".join(row) + "\n" for a, row in zip(names, cells, strict=True)),
        encoding="utf-8",
    )
    numbers = [[(i + 1) / (j + 1) for j in range(n)] for i in range(n)]
    project = Project(
        DataSource(
            file="pwt_panel.csv", builtin=True, region=datasets.PWT_REGION, year=datasets.PWT_YEAR
        ),
        spec,
        options={
            "index": IndexOptions(weights="ahp", ahp_matrix=numbers),
            "report": ReportOptions(clubs=False),
        },
    )
    path = project.write(tmp_path / "project.toml")
    assert "ahp_matrix = [[1.0, 0.5, 0.3333333333333333" in path.read_text("utf-8")
    out = tmp_path / "out"
    assert run_cli("run", str(path), "--out", str(out)) == 0
    panel, _spec = nqpf.load_pwt()
    expected = nqpf.entropy_topsis(panel, spec, weights="ahp", ahp_matrix=str(tmp_path / "ahp.csv"))
    written = pl.read_csv(out / "tables" / "weights.csv")
    assert written.get_column("indicator").to_list() == names
    assert written.get_column("weight").to_list() == pytest.approx(
        expected.weights.get_column("weight").to_list(), rel=1e-12
    )
    # priorities 1 … n: the weights are p_i / Σp (Saaty: the eigenvector of a consistent
    # matrix), an independent check of the API's eigenvector
    total = n * (n + 1) / 2
    assert written.get_column("weight").to_list() == pytest.approx(
        [(i + 1) / total for i in range(n)], rel=1e-12
    )


def test_an_ahp_matrix_reads_back_and_follows_the_spec_by_indicator() -> None:
    """The app saves a matrix as rows in the spec's order and reopens it by indicator
    (nqpf.index.read_ahp_matrix of a nested mapping): every bit back, in any spec order,
    with hostile names; a matrix that does not fit is one line."""
    from nqpf.index import read_ahp_matrix

    names = ["gdp", '东部"x"', "a\\b"]
    numbers = [[(i + 1) / (j + 1) for j in range(3)] for i in range(3)]
    project = Project(
        DataSource(file="p.csv"),
        spec_of(*names),
        options={"index": IndexOptions(weights="ahp", ahp_matrix=numbers)},
    )
    again = Project.from_toml(project.to_toml())
    assert again == project
    assert again.option("index").ahp_matrix == tuple(map(tuple, numbers))
    rows = {a: dict(zip(names, r, strict=True)) for a, r in zip(names, numbers, strict=True)}
    order = [2, 0, 1]
    shuffled = read_ahp_matrix(rows, [names[i] for i in order]).tolist()
    assert shuffled == [[numbers[i][j] for j in order] for i in order]
    with pytest.raises(InputError, match="which the spec lacks") as caught:
        read_ahp_matrix(rows, names[:2], name="project.toml")
    assert "project.toml" in str(caught.value)
    with pytest.raises(InputError, match="must be 3 × 3"):
        read_ahp_matrix([[1.0, 2.0], [0.5, 1.0]], names)
