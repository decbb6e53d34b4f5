"""The app's option widgets come from the one declaration in :mod:`nqpf.options`.

Each test walks the declaration (``IndexOptions.describe()`` …), so an option added
there is checked here without a change: it must have a widget on the Index page
and on both Compare configurations, whose choices, bounds, default, label and help
are the declaration's, in English and in Chinese; and its value must reach the
library as :func:`nqpf.entropy_topsis` would take it from a script.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import polars as pl
import pytest

pytest.importorskip("streamlit", reason="the app extra (streamlit) is not installed")
from app_panel import INDICATORS, panel_csv, panel_frame
from streamlit.testing.v1 import AppTest

from nqpf import datasets, entropy_topsis, read_panel
from nqpf.app import i18n, widgets
from nqpf.groups import echelons
from nqpf.options import (
    FAMILIES,
    DagumOptions,
    EchelonOptions,
    IndexOptions,
    Option,
    ReadOptions,
)
from nqpf.panel import IndicatorSpec, read_spec

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "pkg" / "nqpf" / "app"
TIMEOUT = 60


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.chdir(ROOT)  # AppTest reads .streamlit/config.toml from here
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=TIMEOUT)
    app.run()
    return app


def ok(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def go(at: AppTest, name: str) -> AppTest:
    at.switch_page(f"pkg/nqpf/app/app_pages/{name}.py").run()
    ok(at)
    return at


def scores(at: AppTest) -> pl.DataFrame:
    return pl.from_pandas(at.get_by_key("df.scores").dataframe[0].value)


def app_visible(family: Any) -> list[Option]:
    shown = [info for info in family.describe() if info.app]
    assert shown, family
    return shown


def widget(at: AppTest, info: Option, key: str) -> Any:
    """The widget of ``info`` under ``key``, of the element type its kind maps to."""
    finder = {
        "choice": at.selectbox,
        "number": at.number_input,
        "integer": at.number_input,
        "flag": at.checkbox,
        "values": at.text_input,
    }[info.kind]
    if info.kind == "values" and info.choices:
        finder = at.multiselect  # a list of declared choices (combine)
    return finder(key=key)


def assert_declared(at: AppTest, info: Option, key: str, language: str, value: Any) -> None:
    """The widget ``key`` offers ``info`` as declared, and currently holds ``value``."""
    found = widget(at, info, key)
    assert found.label == info.title(language), key
    assert found.help == info.text(language), key
    if info.kind == "values":
        # a multiselect holds the chosen list, a text input the list as text
        value = list(value or ()) if info.choices else ", ".join(value or ())
    assert found.value == value, key
    if info.kind == "choice" or (info.kind == "values" and info.choices):
        assert found.options == [widgets.choice_label(info, c, language) for c in info.choices]
    elif info.kind in ("number", "integer"):
        assert found.min == info.low, key
        assert found.max == info.high, key
        if info.kind == "integer":
            assert found.step == 1, key


def default_panel_result(**options: Any) -> pl.DataFrame:
    """The library's own scores of the default data (region, year, score, rank)."""
    panel = read_panel(datasets.pwt_path(), region=datasets.PWT_REGION, year=datasets.PWT_YEAR)
    result = entropy_topsis(panel, read_spec(datasets.pwt_spec_path()), **options)
    return result.scores.select(result.region, result.year, "score", "rank")


# ------------------------------------------------------- widgets = declaration


@pytest.mark.parametrize("language", ["en", "zh"])
def test_index_page_offers_every_declared_option(at: AppTest, language: str) -> None:
    at.radio(key="w.lang").set_value(language).run()
    go(at, "index")
    for info in app_visible(IndexOptions):
        assert_declared(at, info, f"w.idx.{info.name}", language, info.default)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_both_compare_configurations_offer_every_declared_option(
    at: AppTest, language: str
) -> None:
    at.radio(key="w.lang").set_value(language).run()
    go(at, "compare")
    # the first preset compares the pooled with the per-year index: B differs in scope only
    for info in app_visible(IndexOptions):
        assert_declared(at, info, f"w.cmp.a.{info.name}", language, info.default)
        b_value = "year" if info.name == "scope" else info.default
        assert_declared(at, info, f"w.cmp.b.{info.name}", language, b_value)
    # the ones that had no widget there before: standardisation, shift and 0·ln 0
    assert at.selectbox(key="w.cmp.b.standardization").label == (
        IndexOptions.info("standardization").title(language)
    )


def test_chinese_labels_are_the_declarations(at: AppTest) -> None:
    at.radio(key="w.lang").set_value("zh").run()
    go(at, "index")
    zero_log = at.selectbox(key="w.idx.zero_log")
    assert zero_log.label == IndexOptions.info("zero_log").label_zh == "0·ln 0 处理"
    assert at.number_input(key="w.idx.shift").label == "平移量 a"
    assert at.selectbox(key="w.idx.weights").help == IndexOptions.info("weights").help_zh


def test_every_app_option_has_a_widget_kind() -> None:
    """An option the declaration offers to the app (``app=True``) is of a kind that
    :func:`nqpf.app.widgets.option_widget` can show, and has labels in both languages."""
    for family in FAMILIES.values():
        for info in family.describe():
            if info.app:
                assert info.kind in widgets.WIDGET_KINDS, (family.__name__, info.name)
    for family in (IndexOptions, EchelonOptions, DagumOptions, ReadOptions):
        for info in app_visible(family):
            assert info.label, (family.__name__, info.name)
            assert info.label_zh, (family.__name__, info.name)
            assert info.help_zh, (family.__name__, info.name)


def test_option_labels_live_only_in_the_declaration() -> None:
    """i18n.py holds page texts, not a second copy of the options or their choices'
    labels; every choice of an app-visible option has labels in both languages, and
    each label names a declared choice."""
    for family in FAMILIES.values():
        for info in family.describe():
            for key in (f"opt.{info.name}", f"opt.{info.name}.help"):
                assert key not in i18n.TEXT, key
            labelled = [value for value, _, _ in info.choice_labels]
            assert set(labelled) <= set(info.choices), (info.family, info.name)
            if info.app and info.kind == "choice":
                assert set(labelled) == set(info.choices), (info.family, info.name)
                assert all(en and zh for _, en, zh in info.choice_labels)
    assert not [key for key in i18n.TEXT if key.startswith("choice.")]


def test_the_app_restates_no_choice_list() -> None:
    """No module of the app spells out a declared choice list or a family's defaults, or
    takes choice tuples from the statistics modules: they come from nqpf.options."""
    declared = {
        frozenset(info.choices)
        for family in FAMILIES.values()
        for info in family.describe()
        if len(info.choices) > 1
    }
    for path in APP.rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Tuple | ast.List | ast.Set):
                items = [e.value for e in node.elts if isinstance(e, ast.Constant)]
                if len(items) == len(node.elts) and all(isinstance(i, str) for i in items):
                    assert frozenset(items) not in declared, (path.name, node.lineno, items)
            if isinstance(node, ast.ImportFrom) and node.module in ("nqpf.weights", "nqpf.topsis"):
                raise AssertionError(f"{path.name} imports from {node.module}")
            if isinstance(node, ast.Name | ast.alias):
                name = node.id if isinstance(node, ast.Name) else node.name
                assert name not in ("INDEX_CHOICES", "INDEX_DEFAULTS"), path.name


def test_compare_presets_name_declared_choices() -> None:
    source = (APP / "app_pages" / "compare.py").read_text("utf-8")
    presets = re.findall(r'"\w+": \("(\w+)", "(\w+)", "(\w+)"\)', source)
    assert len(presets) >= 7
    for name, a, b in presets:
        choices = IndexOptions.info(name).choices
        assert a in choices, (name, a)
        assert b in choices, (name, b)


# ----------------------------------------------- values reach the library as given


@pytest.mark.parametrize(
    "options",
    [
        {"zero_log": "epsilon", "shift": 0.0},
        {"standardization": "zscore", "shift": 5.0},
        {"zero_log": "epsilon", "standardization": "zscore", "shift": 5.0, "scope": "year"},
    ],
    ids=["epsilon", "zscore", "epsilon-zscore-year"],
)
def test_index_options_reach_entropy_topsis(at: AppTest, options: dict[str, Any]) -> None:
    go(at, "index")
    for name, value in options.items():
        info = IndexOptions.info(name)
        widget(at, info, f"w.idx.{name}").set_value(value)
    at.run()
    at.button(key="btn.index").click().run()
    ok(at)
    shown = scores(at).select(datasets.PWT_REGION, datasets.PWT_YEAR, "score", "rank")
    expected = default_panel_result(**options)
    assert shown.sort(datasets.PWT_REGION, datasets.PWT_YEAR).equals(
        expected.sort(datasets.PWT_REGION, datasets.PWT_YEAR)
    )
    # and the options matter here: without them the scores differ
    baseline = default_panel_result(**{k: v for k, v in options.items() if k == "shift"})
    assert not shown["score"].sort().equals(baseline["score"].sort())


def test_compare_configuration_b_takes_zero_log(at: AppTest) -> None:
    go(at, "compare")
    at.selectbox(key="w.cmp.preset").set_value("custom").run()
    at.number_input(key="w.cmp.a.shift").set_value(0.0)
    at.number_input(key="w.cmp.b.shift").set_value(0.0)
    at.selectbox(key="w.cmp.b.zero_log").set_value("epsilon").run()
    at.button(key="btn.compare").click().run()
    ok(at)
    key_a, key_b, _label_a, label_b = at.session_state["run.compare"]
    assert dict(key_a.options)["zero_log"] == "zero"
    assert dict(key_b.options)["zero_log"] == "epsilon"
    assert "p + 10⁻¹²" in label_b  # the caption names the option where A and B differ
    joined = pl.from_pandas(at.get_by_key("df.compare").dataframe[0].value)
    assert (joined["score_a"] != joined["score_b"]).any()


def test_invalid_combination_is_one_line_in_its_column(at: AppTest) -> None:
    go(at, "compare")
    at.selectbox(key="w.cmp.preset").set_value("custom").run()
    at.selectbox(key="w.cmp.b.ideal").set_value("absolute")
    at.selectbox(key="w.cmp.b.normalization").set_value("vector").run()
    at.button(key="btn.compare").click().run()
    assert not at.exception
    (message,) = [e.value for e in at.error]
    # the library's ideal='absolute' is named by its widget and choice (nqpf.app.wording)
    ideal = IndexOptions.info("ideal")
    assert f"“{ideal.title()}: {ideal.choice_title('absolute')}” needs the min–max scale" in message
    assert "run.compare" not in at.session_state


def test_linear_index_greys_out_what_it_does_not_use(at: AppTest) -> None:
    go(at, "index")
    at.selectbox(key="w.idx.method").set_value("linear").run()
    unused = set(IndexOptions.names()) - set(IndexOptions(method="linear").to_dict())
    assert unused  # the TOPSIS options
    for info in app_visible(IndexOptions):
        assert widget(at, info, f"w.idx.{info.name}").disabled == (info.name in unused)


# ---------------------------------------------------------------- the score table


def test_a_dimension_named_score(at: AppTest) -> None:
    """The score table's dimension columns are the index's (``dim_score``), not guessed."""
    at.radio(key="w.data.source").set_value("upload").run()
    at.file_uploader(key="up.panel").set_value(("p.csv", panel_csv(), "text/csv")).run()
    go(at, "indicators")
    spec = pl.DataFrame(
        {
            "indicator": INDICATORS,
            "dimension": ["score"] * 5 + ["rank"] * 5 + ["绿色"] * 5,
            "direction": ["+"] * len(INDICATORS),
        }
    )
    upload = ("s.csv", spec.write_csv().encode(), "text/csv")
    at.file_uploader(key="up.spec").set_value(upload).run()
    ok(at)
    go(at, "index")
    at.button(key="btn.index").click().run()
    ok(at)
    table = scores(at)
    panel = read_panel(panel_frame(), region="province", year="year")
    expected = entropy_topsis(panel, IndicatorSpec.from_records(spec.to_dicts()), keep=["area"])
    assert expected.dimension_columns == {"score": "dim_score", "rank": "dim_rank", "绿色": "绿色"}
    order = ["province", "year"]
    assert table.select(expected.scores.columns).sort(order).equals(expected.scores.sort(order))
    # the dimension chart names the dimensions, one line each
    from test_app import chart_svg, open_charts

    svg = chart_svg(open_charts(at), "ch.dimensions")
    assert all(f">{name}<" in svg for name in ("score", "rank", "绿色"))
    # the Disparity page offers no dimension score as a Dagum weight column
    go(at, "disparity")
    weights = at.selectbox(key="w.dag.weights").options
    assert not {"dim_score", "dim_rank", "score", "rank", "绿色"} & set(weights)


# ---------------------------------------------------------------- echelons, reading


def test_echelon_controls_are_the_declarations(at: AppTest) -> None:
    go(at, "index")
    at.button(key="btn.index").click().run()
    go(at, "disparity")
    rule = EchelonOptions.info("rule")
    found = at.selectbox(key="w.ech.rule")
    assert found.label == rule.title("en")
    assert found.value == rule.default
    assert found.options == [widgets.choice_label(rule, c) for c in rule.choices]
    assert_declared(at, EchelonOptions.info("k"), "w.ech.k", "en", None)
    hidden = {info.name for info in EchelonOptions.describe() if not info.app}
    assert hidden == {"ddof", "seed", "n_init"}
    for name in hidden:
        with pytest.raises(KeyError):
            at.get_by_key(f"w.ech.{name}")
    # the Mean ± c·SD rule gets its multiplier, as declared
    at.selectbox(key="w.ech.rule").set_value("sd").run()
    sd = EchelonOptions.info("sd_multiplier")
    assert_declared(at, sd, "w.ech.sd_multiplier", "en", sd.default)
    at.number_input(key="w.ech.sd_multiplier").set_value(0.5).run()
    ok(at)
    tiers = pl.from_pandas(at.get_by_key("df.tiers").dataframe[0].value)
    result = default_panel_result_full()
    expected = echelons(result, rule="sd", sd_multiplier=0.5).tiers
    assert tiers["n"].to_list() == expected["n"].to_list()
    assert tiers["n"].to_list() != echelons(result, rule="sd").tiers["n"].to_list()
    # a multiplier the declaration refuses (c > 0) is one line, no tiers
    at.number_input(key="w.ech.sd_multiplier").set_value(0.0).run()
    (message,) = [e.value for e in at.error]
    assert "sd_multiplier" in message


def default_panel_result_full() -> Any:
    panel = read_panel(datasets.pwt_path(), region=datasets.PWT_REGION, year=datasets.PWT_YEAR)
    return entropy_topsis(panel, read_spec(datasets.pwt_spec_path()))


def test_reading_widgets_are_the_declarations(at: AppTest) -> None:
    at.radio(key="w.data.source").set_value("upload").run()
    at.file_uploader(key="up.panel").set_value(("p.csv", panel_csv(), "text/csv")).run()
    ok(at)
    na = ReadOptions.info("na_values")
    assert at.text_input(key="w.data.na").label == na.title("en")
    assert at.text_input(key="w.data.na").help == na.text("en")
    decimal = ReadOptions.info("decimal")
    found = at.radio(key="w.data.decimal")
    assert found.label == decimal.title("en")
    assert found.value == decimal.default
    assert found.options == [widgets.choice_label(decimal, c) for c in decimal.choices]
    assert at.radio(key="w.data.form").label == ReadOptions.info("form").title("en")
    assert not {info.name for info in ReadOptions.describe() if not info.app} - {"sheet"}


def test_bootstrap_controls_are_the_declarations(at: AppTest) -> None:
    go(at, "index")
    at.button(key="btn.index").click().run()
    go(at, "disparity")
    at.button(key="btn.dagum").click().run()
    ok(at)
    level = DagumOptions.info("level")
    assert_declared(at, level, "w.boot.level", "en", level.default)
    # B is declared (≥ 0, 0: no intervals); the page proposes 999 replicates
    assert_declared(at, DagumOptions.info("bootstrap"), "w.boot.B", "en", 999)
    at.number_input(key="w.boot.B").set_value(0).run()
    assert at.button(key="btn.boot").disabled
    # a level the declaration refuses (0 < level < 1) is one line
    at.number_input(key="w.boot.B").set_value(19)
    at.number_input(key="w.boot.level").set_value(1.0).run()
    (message,) = [e.value for e in at.error]
    assert "level" in message


def test_dagum_grouping_starts_at_the_echelons_shown_as_chosen(at: AppTest) -> None:
    """The echelons are a choice of their own (not None, which a selectbox shows as empty)."""
    go(at, "index")
    at.button(key="btn.index").click().run()
    go(at, "disparity")
    grouping = at.selectbox(key="w.dag.group")
    assert grouping.index == 0
    assert grouping.options[0] == i18n.TEXT["dis.grouping.echelon"][0]
    at.button(key="btn.dagum").click().run()
    ok(at)
    assert at.session_state["run.dagum"].grouping is None  # by the echelons
