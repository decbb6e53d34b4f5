"""The Index and Compare pages' inputs of the index options that a generic widget cannot
give (nqpf.app.index_extras): the uploaded AHP matrix, the combination weights, the given
ideal and anti-ideal points. Every number is compared with the library's own run of the
same options from a script (never with values copied from the app's output)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest

pytest.importorskip("streamlit", reason="the app extra (streamlit) is not installed")
from streamlit.testing.v1 import AppTest

from nqpf import datasets, entropy_topsis, read_panel
from nqpf.index import ahp_index_result
from nqpf.options import IndexOptions
from nqpf.panel import read_spec

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 60
REGION, YEAR = datasets.PWT_REGION, datasets.PWT_YEAR


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.chdir(ROOT)
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=TIMEOUT)
    app.run()
    return app


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def ok(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert not errors(at), errors(at)


def go(at: AppTest, name: str) -> AppTest:
    at.switch_page(f"pkg/nqpf/app/app_pages/{name}.py").run()
    ok(at)
    return at


def shown(at: AppTest, key: str) -> pl.DataFrame:
    return pl.from_pandas(at.get_by_key(key).dataframe[0].value)


def names() -> list[str]:
    return list(read_spec(datasets.pwt_spec_path()).names)


def library(**options: Any) -> Any:
    panel = read_panel(datasets.pwt_path(), region=REGION, year=YEAR)
    return entropy_topsis(panel, read_spec(datasets.pwt_spec_path()), **options)


def matrix_csv(cell: Any, order: list[str] | None = None) -> bytes:
    """A pairwise-comparison file of the default spec's indicators (``cell(i, j)``)."""
    order = order or names()
    lines = ["indicator," + ",".join(order)]
    for i, name in enumerate(order):
        lines.append(name + "," + ",".join(cell(i, j) for j in range(len(order))))
    return ("\n".join(lines) + "\n").encode()


def consistent(i: int, j: int) -> str:
    return "1" if i == j else str(j - i + 1) if j > i else f"1/{i - j + 1}"


def inconsistent(i: int, j: int) -> str:
    # 1 beats 2 beats 3 … and the last beats the first: intransitive, CR far above 0.1
    if i == j:
        return "1"
    above = "9" if abs(j - i) % 2 else "1/9"
    return above if j > i else {"9": "1/9", "1/9": "9"}[above]


def upload_ahp(at: AppTest, data: bytes, where: str = "idx") -> AppTest:
    at.file_uploader(key=f"up.{where}.ahp_matrix").set_value(("ahp.csv", data, "text/csv"))
    return at.run()


def test_ahp_matrix_upload_gives_the_library_s_weights(at: AppTest, tmp_path: Path) -> None:
    go(at, "index")
    at.selectbox(key="w.idx.weights").set_value("ahp").run()
    ok(at)  # no file yet: a hint, not an error
    data = matrix_csv(consistent)
    upload_ahp(at, data)
    ok(at)
    path = tmp_path / "ahp.csv"
    path.write_bytes(data)
    expected = library(weights="ahp", ahp_matrix=str(path))
    check = ahp_index_result(IndexOptions(weights="ahp", ahp_matrix=str(path)), names())
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["CR"] == f"{check.cr:.4f}"
    assert metrics["λmax"] == f"{check.lambda_max:.4f}"
    at.button(key="btn.index").click().run()
    ok(at)
    weights = shown(at, "df.weights")
    assert weights["weight"].to_list() == expected.weights["weight"].to_list()
    scores = shown(at, "df.scores").select(REGION, YEAR, "score").sort(REGION, YEAR)
    assert scores.equals(expected.scores.select(REGION, YEAR, "score").sort(REGION, YEAR))
    # the file survives a page switch, in another order of rows and columns too
    go(at, "disparity")
    go(at, "index")
    assert {m.label for m in at.metric} >= {"CR"}


def test_ahp_matrix_in_another_order_is_read_by_name(at: AppTest, tmp_path: Path) -> None:
    go(at, "index")
    at.selectbox(key="w.idx.weights").set_value("ahp").run()
    order = names()[::-1]
    data = matrix_csv(consistent, order)
    upload_ahp(at, data)
    ok(at)
    at.button(key="btn.index").click().run()
    ok(at)
    path = tmp_path / "ahp.csv"
    path.write_bytes(data)
    expected = library(weights="ahp", ahp_matrix=str(path))
    assert shown(at, "df.weights")["weight"].to_list() == expected.weights["weight"].to_list()


@pytest.mark.parametrize("language", ["en", "zh"])
def test_inconsistent_ahp_matrix_is_one_line(at: AppTest, language: str) -> None:
    at.radio(key="w.lang").set_value(language).run()
    go(at, "index")
    at.selectbox(key="w.idx.weights").set_value("ahp").run()
    assert at.file_uploader(key="up.idx.ahp_matrix").label == IndexOptions.info("ahp_matrix").title(
        language
    )
    upload_ahp(at, matrix_csv(inconsistent))
    assert len(errors(at)) == 1, errors(at)
    assert "CR = " in errors(at)[0]
    if language == "zh":
        assert "不满足一致性" in errors(at)[0]
    # accepted when the user says so
    at.checkbox(key="w.idx.ahp_allow_inconsistent").check().run()
    ok(at)
    at.button(key="btn.index").click().run()
    ok(at)


def test_ahp_matrix_without_an_indicator_is_one_line(at: AppTest) -> None:
    go(at, "index")
    at.selectbox(key="w.idx.weights").set_value("ahp").run()
    upload_ahp(at, matrix_csv(consistent, names()[:-1]))
    assert len(errors(at)) == 1, errors(at)
    assert "ahp.csv" in errors(at)[0]
    assert names()[-1] in errors(at)[0]


@pytest.mark.parametrize(
    "options",
    [
        {"combine": ["entropy", "critic"], "combine_alpha": 0.7},
        {"combine": ["entropy", "cv", "sd"], "combine_rule": "game"},
        {"combine": ["entropy", "equal"], "combine_rule": "multiplicative"},
    ],
    ids=["linear-alpha", "game", "multiplicative"],
)
def test_combination_weights_reach_the_library(at: AppTest, options: dict[str, Any]) -> None:
    go(at, "index")
    at.selectbox(key="w.idx.weights").set_value("combined").run()
    assert len(errors(at)) == 1  # no methods chosen yet: one line
    at.multiselect(key="w.idx.combine").set_value(options["combine"])
    if "combine_rule" in options:
        at.selectbox(key="w.idx.combine_rule").set_value(options["combine_rule"])
    if "combine_alpha" in options:
        at.number_input(key="w.idx.combine_alpha").set_value(options["combine_alpha"])
    at.run()
    ok(at)
    at.button(key="btn.index").click().run()
    ok(at)
    expected = library(weights="combined", **options)
    assert shown(at, "df.weights")["weight"].to_list() == expected.weights["weight"].to_list()


def test_combination_alpha_with_three_methods_is_one_line(at: AppTest) -> None:
    go(at, "index")
    at.selectbox(key="w.idx.weights").set_value("combined").run()
    at.multiselect(key="w.idx.combine").set_value(["entropy", "critic", "cv"])
    at.number_input(key="w.idx.combine_alpha").set_value(0.5).run()
    assert len(errors(at)) == 1
    assert "combine_alpha" in errors(at)[0]


def test_given_points_reach_the_library(at: AppTest) -> None:
    go(at, "index")
    first, second = names()[:2]
    at.session_state["ed.idx.points"] = {
        "edited_rows": {0: {"ideal_point": 150000.0}, 1: {"anti_ideal_point": 0.0}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    ok(at)
    assert at.session_state["w.idx.ideal_point"] == (f"{first}=150000.0",)
    at.button(key="btn.index").click().run()
    ok(at)
    expected = library(ideal_point={first: 150000.0}, anti_ideal_point={second: 0.0})
    scores = shown(at, "df.scores").select(REGION, YEAR, "score").sort(REGION, YEAR)
    assert scores.equals(expected.scores.select(REGION, YEAR, "score").sort(REGION, YEAR))
    assert not scores["score"].equals(
        library().scores.select(REGION, YEAR, "score").sort(REGION, YEAR)["score"]
    )
    # kept across a page switch (the table is drawn again from them)
    go(at, "disparity")
    go(at, "index")
    assert at.session_state["w.idx.ideal_point"] == (f"{first}=150000.0",)


def test_compare_page_offers_the_same_special_inputs(at: AppTest) -> None:
    go(at, "index")
    at.session_state["ed.idx.points"] = {
        "edited_rows": {0: {"ideal_point": 150000.0}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.selectbox(key="w.idx.weights").set_value("ahp").run()
    upload_ahp(at, matrix_csv(consistent))
    ok(at)
    go(at, "compare")  # the preset starts both configurations from the Index page's
    for side in ("a", "b"):
        assert at.file_uploader(key=f"up.cmp.{side}.ahp_matrix") is not None
        assert at.get_by_key(f"ed.cmp.{side}.points") is not None
        assert at.session_state[f"w.cmp.{side}.ideal_point"] == (f"{names()[0]}=150000.0",)
        assert at.selectbox(key=f"w.cmp.{side}.weights").value == "ahp"
    at.button(key="btn.compare").click().run()
    ok(at)
    agreement = shown(at, "df.agreement_ab")
    assert agreement.height > 0
    # B (per year) against the library's per-year AHP index with the same point
    from nqpf.compare import ALL_YEARS, rank_agreement

    data = matrix_csv(consistent)
    path = ROOT / ".pytest_cache" / "ahp-compare.csv"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    common = {"weights": "ahp", "ahp_matrix": str(path), "ideal_point": {names()[0]: 150000.0}}
    expected = rank_agreement(library(**common), library(scope="year", **common))
    pooled = expected.filter(pl.col(YEAR) == ALL_YEARS)
    assert agreement.filter(pl.col(YEAR) == ALL_YEARS)["kendall_tau"].to_list() == (
        pooled["kendall_tau"].to_list()
    )


def test_compare_offers_every_app_option_of_the_index_page(at: AppTest) -> None:
    """Both Compare configurations have a widget for every app option of IndexOptions
    (the same generator as the Index page), and the special inputs."""
    go(at, "compare")
    for info in IndexOptions.describe():
        if info.app:
            for side in ("a", "b"):
                assert at.get_by_key(f"w.cmp.{side}.{info.name}") is not None, info.name
    assert at.get_by_key("ed.cmp.a.points") is not None
