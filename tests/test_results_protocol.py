"""Every result class follows one protocol (:class:`nqpf.results.Result`).

``FACTORIES`` lists, for each result class, a name and a function that builds one from
a small real panel (4 countries per continent × 18 years of the default Penn World Table
data; a country, a zone and a value column named ``<b>&x</b>``) through the public API. One parametrised
test runs the same checks on each: ``tables()`` is a non-empty dict of polars frames;
``summary()`` is a non-empty text equal to ``str()``; ``_repr_html_()`` shows user text
escaped, never as markup; ``write()`` round-trips every table through XLSX and JSON and
the main one through CSV and Parquet (read back, numbers compared exactly);
``to_dict()`` is JSON-ready and holds ``tables()``; ``options`` is a mapping.

To cover another result class, append ``(name, factory)`` to ``FACTORIES``.
"""

from __future__ import annotations

import csv
import functools
import json
import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import polars as pl
import pytest

import nqpf
from nqpf.datasets import load_pwt
from nqpf.dynamics.clubs import log_t_test
from nqpf.io import read_table
from nqpf.results import PREVIEW_ROWS, Result

#: The user text every result must show escaped (a region and a group are called so).
USER = "<b>&x</b>"
ESCAPED = "&lt;b&gt;&amp;x&lt;/b&gt;"


@functools.cache
def panel() -> tuple[pl.DataFrame, Any]:
    """(scores frame, index result) of 4 countries per continent, all 18 years."""
    pwt, spec = load_pwt()
    frame = pwt.frame
    chosen = (
        frame.select("country", "continent")
        .unique(maintain_order=True)
        .group_by("continent", maintain_order=True)
        .head(4)
        .get_column("country")
    )
    # the richest country (first in echelons and club tables) takes the hostile name
    sub = frame.filter(pl.col("country").is_in(chosen.implode())).with_columns(
        pl.when(pl.col("country") == "Switzerland")
        .then(pl.lit(USER))
        .otherwise("country")
        .alias("country"),
        pl.when(pl.col("continent") == "Africa")
        .then(pl.lit(USER))
        .otherwise("continent")
        .alias("zone"),
    )
    index = nqpf.entropy_topsis(sub, spec, region="country", year="year", keep=["zone"])
    return index.scores, index


def scores() -> pl.DataFrame:
    return panel()[0]


def hostile_value() -> pl.DataFrame:
    """The scores with the value column named :data:`USER` (β's terms are ln_<value>)."""
    return scores().with_columns(pl.col("score").alias(USER))


def neighbours() -> dict[str, list[str]]:
    names = scores().get_column("country").unique(maintain_order=True).to_list()
    return {r: [names[(i + 1) % len(names)], names[i - 1]] for i, r in enumerate(names)}


def weights() -> Any:
    from nqpf.spatial import from_neighbours

    return from_neighbours(neighbours())


def coordinates() -> dict[str, tuple[float, float]]:
    names = scores().get_column("country").unique(maintain_order=True).to_list()
    return {r: (float(i % 5), float(i // 5)) for i, r in enumerate(names)}


def logs_matrix() -> Any:
    wide = scores().pivot(on="year", index="country", values="score").drop("country")
    return wide.select(pl.all().log()).to_numpy()


#: (name, factory) for every result class; each factory builds one through the public API.
FACTORIES: list[tuple[str, Callable[[], Result]]] = [
    ("DagumResult", lambda: nqpf.dagum_gini(scores(), "score", "zone", by="year")),
    (
        "DagumResult bootstrap",
        lambda: nqpf.dagum_gini(scores(), "score", "zone", bootstrap=19, seed=1),
    ),
    ("EchelonResult", lambda: nqpf.echelons(scores(), "score", "country", "year", k=3)),
    (
        "EchelonResult kmeans",
        lambda: nqpf.echelons(scores(), "score", "country", "year", rule="kmeans", k=3),
    ),
    ("MarkovResult", lambda: nqpf.markov_chain(scores(), "score", "country", "year", 3)),
    (
        "MarkovResult spatial",
        lambda: nqpf.markov_chain(
            scores(), "score", "country", "year", k=3, neighbours=neighbours()
        ),
    ),
    ("ClubResult", lambda: nqpf.club_convergence(scores(), "score", "country", "year")),
    ("BetaResult", lambda: nqpf.beta_convergence(hostile_value(), USER, "country", "year")),
    (
        "BetaResult panel",
        lambda: nqpf.beta_convergence(hostile_value(), USER, "country", "year", effects="twoway"),
    ),
    ("ObstacleResult", lambda: nqpf.obstacle_degree(panel()[1])),
    ("LogTTest", lambda: log_t_test(logs_matrix())),
    ("IndexResult", lambda: panel()[1]),
    (
        "IndexResult linear per year",
        lambda: nqpf.entropy_topsis(
            scores().select("country", "year", "zone", pl.col("score").alias("x"), "d_plus"),
            region="country",
            year="year",
            scope="year",
            method="linear",
        ),
    ),
    ("Report", lambda: nqpf.build_report(panel()[1], group="zone", clubs=False)),
    (
        "SpatialGiniResult",
        lambda: nqpf.spatial.spatial_gini(
            scores(), "score", "country", "year", w=weights(), permutations=19, seed=1
        ),
    ),
    (
        "TransitionResult",
        lambda: nqpf.spatial.space_time_transitions(
            scores(), "score", "country", "year", w=weights()
        ),
    ),
    (
        "CentreResult",
        lambda: nqpf.spatial.gravity_centre(
            scores(), "score", "country", "year", coords=coordinates(), metric="euclidean"
        ),
    ),
    (
        "EllipseResult",
        lambda: nqpf.spatial.standard_deviational_ellipse(
            scores(), "score", "country", "year", coords=coordinates()
        ),
    ),
    (
        "CrossValReport",
        lambda: nqpf.validate(
            scores().select("country", "year", "zone", pl.col("score").alias("x"), "d_plus"),
            region="country",
            group="zone",
        ),
    ),
]


#: Results that hold no user text at all (a log-t test is numbers of an array).
NO_USER_TEXT = {"LogTTest", "SpatialGiniResult", "CentreResult", "EllipseResult"}


def _plain(value: Any) -> Any:
    """A cell as JSON holds it: NaN and ±inf are null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _same(expected: Any, got: Any) -> bool:
    """A cell read back (from CSV text or an XLSX cell) equals the value written."""
    if expected is None:
        return got is None or got == ""
    if isinstance(expected, bool):
        return got == expected or str(got).lower() == str(expected).lower()  # CSV: true/false
    if isinstance(expected, int | float):
        if got is None or got == "":
            # nqpf's reader reads a NaN cell as missing (io.NUMERIC_NA); nothing else may be
            return isinstance(expected, float) and math.isnan(expected)
        number = float(got)  # "NaN", "inf" and "-inf" are how CSV and XLSX hold them
        return number == expected or (math.isnan(number) and math.isnan(expected))
    return str(got) == str(expected)


def _same_rows(frame: pl.DataFrame, rows: list[list[Any]], where: str) -> None:
    assert len(rows) == frame.height, where
    for i, (want, got) in enumerate(zip(frame.iter_rows(), rows, strict=True)):
        assert len(got) == len(want), (where, i)
        for column, w, g in zip(frame.columns, want, got, strict=True):
            assert _same(w, g), (where, i, column, w, g)


def _shows_user_text(result: Result) -> bool:
    """True when the summary or the rows ``_repr_html_`` shows hold :data:`USER`."""
    text = result.summary()
    for frame in result.tables().values():
        shown = frame.head(PREVIEW_ROWS)
        text += " ".join(shown.columns)
        for column, dtype in shown.schema.items():
            if dtype == pl.String:
                text += " ".join(v for v in shown.get_column(column).to_list() if v)
    return USER in text


@pytest.mark.parametrize(("name", "factory"), FACTORIES, ids=[name for name, _ in FACTORIES])
def test_every_result_follows_the_protocol(
    name: str, factory: Callable[[], Result], tmp_path: Path
) -> None:
    result = factory()
    assert isinstance(result, Result), name

    tables = result.tables()
    assert isinstance(tables, dict), name
    assert tables, name
    assert all(isinstance(k, str) and isinstance(v, pl.DataFrame) for k, v in tables.items())
    main = result.main_table or next(iter(tables))
    assert main in tables

    text = result.summary()
    assert isinstance(text, str)
    assert text.strip()
    assert str(result) == text

    html = result._repr_html_()
    assert USER not in html  # user text is never markup
    # every result that names a region, group or column shows the hostile name, escaped
    assert _shows_user_text(result) is (name not in NO_USER_TEXT), name
    if name not in NO_USER_TEXT:
        assert ESCAPED in html

    assert isinstance(result.options, Mapping)

    as_dict = result.to_dict()
    json.dumps(as_dict)
    assert list(as_dict["tables"]) == list(tables)
    for table, frame in tables.items():
        back = pl.DataFrame(as_dict["tables"][table], schema=frame.schema, orient="row")
        assert back.equals(frame), table

    _check_written(result, tables, main, tmp_path)


def _check_written(
    result: Result, tables: dict[str, pl.DataFrame], main: str, tmp_path: Path
) -> None:
    """Every table through XLSX and JSON, the main one through CSV and Parquet."""
    xlsx = result.write(tmp_path / "r.xlsx")
    for table, frame in tables.items():
        back = read_table(xlsx, sheet=table)
        assert back.columns == frame.columns, table
        _same_rows(frame, [list(r) for r in back.iter_rows()], f"xlsx {table}")

    data = json.loads(result.write(tmp_path / "r.json").read_text("utf-8"))
    for table, frame in tables.items():
        want = [{k: _plain(v) for k, v in row.items()} for row in frame.to_dicts()]
        assert data[table] == want, table

    with result.write(tmp_path / "r.csv").open(encoding="utf-8", newline="") as handle:
        header, *body = list(csv.reader(handle))
    assert header == tables[main].columns
    _same_rows(tables[main], body, "csv")

    parquet = pl.read_parquet(result.write(tmp_path / "r.parquet"))
    assert parquet.equals(tables[main])

    folder = tmp_path / "tables"
    result.write(folder)
    # a folder of one CSV per table (a Report's folder is the report, its tables in
    # tables/ beside report.html and the rest)
    csvs = folder / "tables" if isinstance(result, nqpf.Report) else folder
    assert sorted(p.name for p in csvs.glob("*.csv")) == sorted(f"{t}.csv" for t in tables)
