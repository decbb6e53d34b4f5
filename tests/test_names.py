"""The names rule: a caller's column name is never refused, renamed or overwritten.

Every public analysis runs once with plain column names and then with one key,
group, value, weight or indicator column renamed to each name an output or helper
column of nqpf has (collected from the outputs themselves, plus the helper names
and the names an earlier version used). The property checked, table by table:

* the renamed call succeeds whenever the plain one does;
* every output table has the same shape and column order, the caller's column
  comes back under the caller's name, an output column whose name the caller's
  column took is namespaced (never the caller's), every other column keeps its
  name;
* every value is bit-identical to the plain call's (the plain name, where it
  appears inside text such as an indicator label or ``ln_<value>``, reads as
  the new name). The computation does not depend on column names, so equality
  is exact, not within a tolerance.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable
from typing import Any

import numpy as np
import polars as pl
import pytest

import nqpf
from nqpf import compare as nqpf_compare
from nqpf import crossval
from nqpf._frames import internal_name
from nqpf.dynamics.sigma import sigma_trend

# Plain names: chosen so that none is an output or helper name and none occurs
# inside another name or value (the text substitution below relies on it).
REG, YR, VAL, GRP, WT, CTL, KEEP = "REGx", "YRx", "VALx", "GRPx", "WTx", "CTLx", "KEEPx"
SCORE = "SCOREx"
IND = ("INDx1", "INDx2", "INDx3")
N_REGIONS, N_YEARS = 6, 8


def base_frame() -> pl.DataFrame:
    rng = np.random.default_rng(20261201)
    n = N_REGIONS * N_YEARS
    level = np.repeat(np.linspace(1.0, 3.0, N_REGIONS), N_YEARS)
    trend = np.tile(np.linspace(0.0, 0.5, N_YEARS), N_REGIONS)
    return pl.DataFrame(
        {
            REG: np.repeat([f"r{i}" for i in range(N_REGIONS)], N_YEARS),
            YR: np.tile(np.arange(2000, 2000 + N_YEARS), N_REGIONS),
            VAL: level + trend + rng.uniform(0.0, 0.3, n),
            GRP: np.repeat(["east", "west", "east", "west", "north", "north"], N_YEARS),
            WT: rng.uniform(1.0, 5.0, n),
            CTL: rng.normal(0.0, 1.0, n),
            KEEP: np.repeat(["k1", "k2", "k1", "k2", "k1", "k2"], N_YEARS),
            IND[0]: rng.uniform(1.0, 2.0, n),
            IND[1]: rng.uniform(10.0, 20.0, n),
            IND[2]: rng.uniform(0.1, 0.9, n),
        }
    )


def standardized_frame() -> pl.DataFrame:
    df = base_frame()
    return df.select(
        REG,
        YR,
        *(((pl.col(c) - pl.col(c).min()) / (pl.col(c).max() - pl.col(c).min())) for c in IND),
    )


# ---------------------------------------------------------------------------
# the calls: (roles they name, call(frame, names) -> result)


def _names(**renamed: str) -> dict[str, str]:
    plain = {"region": REG, "year": YR, "value": VAL, "group": GRP, "weight": WT,
             "control": CTL, "keep": KEEP, "indicator": IND[0]}  # fmt: skip
    return plain | renamed


Call = Callable[[pl.DataFrame, dict[str, str]], Any]


def _index(df: pl.DataFrame, n: dict[str, str]) -> Any:
    cols = [n["region"], n["year"], n["keep"], n["indicator"], IND[1], IND[2]]
    return nqpf.entropy_topsis(df.select(cols), region=n["region"], year=n["year"])


def _index_per_year(df: pl.DataFrame, n: dict[str, str]) -> Any:
    cols = [n["region"], n["year"], n["keep"], n["indicator"], IND[1], IND[2]]
    spec = nqpf.IndicatorSpec.from_records(
        [
            {"indicator": n["indicator"], "dimension": "d1"},
            {"indicator": IND[1], "dimension": "d2", "direction": "-"},
            {"indicator": IND[2], "dimension": "d2"},
        ]
    )
    return nqpf.entropy_topsis(
        df.select(cols),
        spec,
        region=n["region"],
        year=n["year"],
        scope="year",
        normalization="vector",
        ideal="year",
    )


def _echelons(df: pl.DataFrame, n: dict[str, str]) -> Any:
    res = nqpf.echelons(df, value=n["value"], region=n["region"], year=n["year"], k=3)
    return res, res.join(df.select(n["region"], n["year"], n["value"]))


def _echelons_column(df: pl.DataFrame, n: dict[str, str]) -> Any:
    return nqpf.echelons(
        df, value=n["value"], region=n["region"], year=n["year"], rule="column", column=n["group"]
    )


def _sensitivity(df: pl.DataFrame, n: dict[str, str]) -> Any:
    table = nqpf.echelon_sensitivity(
        df, value=n["value"], region=n["region"], year=n["year"], k=2, n_init=2
    )
    agreement = nqpf.echelon_agreement(table, region=n["region"])
    # rule_a/rule_b name the table's rule columns, which step aside (nqpf_jenks) from
    # a region column named like a rule: compared by their position in the table
    position = {c: str(i) for i, c in enumerate(table.columns)}
    return table, agreement.with_columns(pl.col("rule_a", "rule_b").replace_strict(position))


def _dagum(df: pl.DataFrame, n: dict[str, str]) -> Any:
    res = nqpf.dagum_gini(df, n["value"], n["group"], by=n["year"], weights=n["weight"])
    return res, res.period_mean(), res.period_pairs(), res.summary_text()


def _dagum_bootstrap(df: pl.DataFrame, n: dict[str, str]) -> Any:
    res = nqpf.dagum_gini(df, n["value"], n["group"], by=n["year"], bootstrap=9, seed=3)
    return res, res.period_mean(), res.summary_text()


def _sigma(df: pl.DataFrame, n: dict[str, str]) -> Any:
    table = nqpf.sigma_convergence(df, n["value"], n["year"], n["group"], region=n["region"])
    return table, sigma_trend(table, n["year"], n["group"])


def _sigma_pooled(df: pl.DataFrame, n: dict[str, str]) -> Any:
    table = nqpf.sigma_convergence(df, n["value"], n["year"])
    return table, sigma_trend(table, n["year"])


def _beta(df: pl.DataFrame, n: dict[str, str]) -> Any:
    return nqpf.beta_convergence(df, n["value"], n["region"], n["year"], controls=[n["control"]])


def _beta_panel(df: pl.DataFrame, n: dict[str, str]) -> Any:
    return nqpf.beta_convergence(df, n["value"], n["region"], n["year"], effects="twoway")


def _neighbours() -> dict[str, list[str]]:
    regions = [f"r{i}" for i in range(N_REGIONS)]
    return {r: [regions[(i + 1) % N_REGIONS], regions[i - 1]] for i, r in enumerate(regions)}


def _markov(df: pl.DataFrame, n: dict[str, str]) -> Any:
    return nqpf.markov_chain(df, n["value"], n["region"], n["year"], k=2)


def _markov_spatial(df: pl.DataFrame, n: dict[str, str]) -> Any:
    return nqpf.markov_chain(
        df, n["value"], n["region"], n["year"], k=2, classes="year", neighbours=_neighbours()
    )


def _markov_neighbour_frame(df: pl.DataFrame, n: dict[str, str]) -> Any:
    pairs = [(r, m) for r, ms in _neighbours().items() for m in ms]
    other = "neighbor" if n["region"] == "neighbour" else "neighbour"
    frame = pl.DataFrame({n["region"]: [a for a, _ in pairs], other: [b for _, b in pairs]})
    return nqpf.markov_chain(df, n["value"], n["region"], n["year"], k=2, neighbours=frame)


def _clubs(df: pl.DataFrame, n: dict[str, str]) -> Any:
    res = nqpf.club_convergence(df, n["value"], n["region"], n["year"])
    return res, res.summary(), res.divergent


def _density(df: pl.DataFrame, n: dict[str, str]) -> Any:
    return nqpf.kernel_density(df, n["value"], n["year"], n["group"], region=n["region"], n=16)


def _obstacle(df: pl.DataFrame, n: dict[str, str]) -> Any:
    z = standardized_frame().rename(
        {REG: n["region"], YR: n["year"], IND[0]: n["indicator"]}, strict=False
    )
    names = [n["indicator"], IND[1], IND[2]]
    weights = dict(zip(names, (0.5, 0.3, 0.2), strict=True))
    dims = dict(zip(names, ("d1", "d2", "d2"), strict=True))
    res = nqpf.obstacle_degree(z, weights, dims, keys=[n["region"], n["year"]])
    return res, res.top(2), res.top(1, level="dimension")


def _obstacle_of_index(df: pl.DataFrame, n: dict[str, str]) -> Any:
    out = []
    for scope in ("panel", "year"):
        res = nqpf.entropy_topsis(
            df.select(n["region"], n["year"], IND[0], IND[1]),
            region=n["region"],
            year=n["year"],
            scope=scope,
        )
        ob = nqpf.obstacle_degree(res)
        out += [ob, ob.top(1)]
    return out


def _compare(df: pl.DataFrame, n: dict[str, str]) -> Any:
    a = _index(df, n)
    b = nqpf.entropy_topsis(
        df.select(n["region"], n["year"], n["indicator"], IND[1]),
        region=n["region"],
        year=n["year"],
        weights="critic",
    )
    return nqpf_compare.join_scores(a, b), nqpf_compare.rank_agreement(a, b)


def _index_downstream(df: pl.DataFrame, n: dict[str, str]) -> Any:
    """An IndexResult handed on: its own (possibly namespaced) column names are used."""
    res = _index(df, n)
    tiers = nqpf.echelons(res, k=2)
    dec = nqpf.dagum_gini(res, res.score_column, n["keep"], by=n["year"])
    chain = nqpf.markov_chain(res, res.score_column, n["region"], n["year"], k=2)
    # the chain's value column is the score column handed in (nqpf_score when the
    # panel has a column named score): compared under one name
    states = chain.states.rename({res.score_column: SCORE})
    return res, tiers, tiers.join(res), dec, states, chain.probabilities, res.summary()


CALLS: dict[str, tuple[tuple[str, ...], Call]] = {
    "entropy_topsis": (("region", "year", "keep", "indicator"), _index),
    # variants: only the roles whose names reach the tables the variant adds
    "entropy_topsis per year": (("year", "indicator"), _index_per_year),
    "echelons": (("region", "year", "value"), _echelons),
    "echelons rule=column": (("region", "year", "value", "group"), _echelons_column),
    "echelon_sensitivity": (("region", "year", "value"), _sensitivity),
    "dagum_gini": (("value", "group", "year", "weight"), _dagum),
    "dagum_gini bootstrap": (("year",), _dagum_bootstrap),
    "sigma_convergence": (("region", "year", "value", "group"), _sigma),
    "sigma pooled": (("year", "value"), _sigma_pooled),
    "beta_convergence": (("region", "year", "value", "control"), _beta),
    "beta_convergence twoway": (("region",), _beta_panel),
    "markov_chain": (("region", "year", "value"), _markov),
    "markov_chain spatial": (("region", "year", "value"), _markov_spatial),
    "markov_chain neighbour frame": (("region",), _markov_neighbour_frame),
    "club_convergence": (("region", "year", "value"), _clubs),
    "kernel_density": (("region", "year", "value", "group"), _density),
    "obstacle_degree": (("region", "year", "indicator"), _obstacle),
    "obstacle_degree of an index": (("region", "year"), _obstacle_of_index),
    "compare": (("region", "year", "indicator"), _compare),
    "index downstream": (("region", "year", "keep"), _index_downstream),
}


# ---------------------------------------------------------------------------
# the names: every output column nqpf produces, its helper names, old names


def _frames_of(obj: Any) -> list[pl.DataFrame]:
    """Every polars frame inside a result (fields, tuples), in a fixed order."""
    if isinstance(obj, pl.DataFrame):
        return [obj]
    if isinstance(obj, tuple | list):
        return [f for item in obj for f in _frames_of(item)]
    if dataclasses.is_dataclass(obj):
        return [
            f
            for fld in dataclasses.fields(obj)
            if not fld.name.startswith("_")
            for f in _frames_of(getattr(obj, fld.name))
        ]
    return []


def _output_names() -> dict[str, set[str]]:
    """Call → every column name of every table it returns (with plain names)."""
    df = base_frame()
    return {
        name: {c for frame in _frames_of(call(df, _names())) for c in frame.columns}
        for name, (_, call) in CALLS.items()
    }


OUTPUTS = _output_names()


#: Helper-column names this code base uses or used (before internal_name), and some
#: internal_name results (``__nqpf_<base>__``, which no caller's column can take
#: from nqpf: internal_name steps around a caller's column of that name).
HELPER_NAMES = {
    "__nqpf_row__", "__nqpf_row__2", "__v", "__gsum", "__period", "__to", "__from",
    "__pnext", "__nv", "__r", "__t", "__lx", "__c0", "__row", "__ord", "_tiers", "_tier",
    "_m", "_name", "_pair", "pair", "len", "x", "nqpf_score", "nqpf_mean", "dim_index",
    "index", "label", "echelon", "state", "lag", "lag_state", "neighbour", "neighbor",
    "club", "quantity", "periods",
    *(internal_name(b, ()) for b in ("value", "score", "by", "pair", "region", "state", "row")),
}  # fmt: skip

#: The names the issue lists.
ISSUE_NAMES = {
    "score", "rank", "d_plus", "d_minus", "state", "G", "Gw", "group", "mean", "n", "value",
    "year", "region", "echelon", "weight", "entropy", "indicator", "dimension", "direction",
}  # fmt: skip

#: The caller's own (plain) names appear in the outputs as keys; they are not output names.
PLAIN = {REG, YR, VAL, GRP, WT, CTL, KEEP, SCORE, *IND}
NAMES = sorted((set().union(*OUTPUTS.values()) | HELPER_NAMES | ISSUE_NAMES) - PLAIN - {""})


def _call_names(call: str) -> list[str]:
    """The names a call is tried with: its own output names, every helper name and the
    issue's list. (Another function's output names reach a call only through a code
    path it does not have; the calls that hand results on — "index downstream",
    "compare" — collect the names of everything they call.)"""
    return sorted((OUTPUTS[call] | HELPER_NAMES | ISSUE_NAMES) - PLAIN - {""})


def test_the_plain_names_meet_no_output_or_helper_name():
    assert not PLAIN & set(NAMES)
    assert not any(p in n for p in PLAIN for n in NAMES)
    # the collection found the outputs it must (a guard against an empty sweep)
    assert {"score", "rank", "G", "Gjj", "state", "echelon", "density", "obstacle"} <= set(NAMES)
    assert len(NAMES) > 100


# ---------------------------------------------------------------------------
# the check


def _text(value: Any, renames: dict[str, str]) -> Any:
    if isinstance(value, str):
        for plain, new in renames.items():
            value = value.replace(plain, new)
    return value


def _expected(frame: pl.DataFrame, renames: dict[str, str]) -> pl.DataFrame:
    """The plain call's frame as the renamed call must give it (names aside)."""
    text = [c for c, t in frame.schema.items() if t == pl.String]
    out = frame
    for plain, new in renames.items():
        out = out.with_columns(pl.col(c).str.replace_all(plain, new, literal=True) for c in text)
    return out


def _check_same(plain_out: Any, renamed_out: Any, renames: dict[str, str], where: str) -> None:
    """``renamed_out`` is ``plain_out`` with the caller's columns renamed (``renames``)."""
    if isinstance(plain_out, pl.DataFrame):
        p, q = plain_out, renamed_out
        assert isinstance(q, pl.DataFrame), where
        assert p.shape == q.shape, f"{where}: shape {q.shape} instead of {p.shape}"
        # the caller's names present in this table: an output column may not have one
        taken = {new for plain, new in renames.items() if plain in p.columns}
        for pc, qc in zip(p.columns, q.columns, strict=True):
            if pc in renames:
                want = renames[pc]
                assert qc == want, f"{where}: the caller's column '{want}' came back as '{qc}'"
            elif pc in taken:
                assert qc not in taken, f"{where}: output column '{pc}' took the caller's name"
                assert qc.startswith(("nqpf_", "dim_")), f"{where}: '{pc}' became '{qc}'"
            else:
                assert qc == pc, f"{where}: column '{pc}' became '{qc}'"
        expected = _expected(p, renames).rename(dict(zip(p.columns, q.columns, strict=True)))
        assert q.equals(expected), f"{where}: values differ from the plain-name call"
        return
    if dataclasses.is_dataclass(plain_out):
        assert type(renamed_out) is type(plain_out), where
        for fld in dataclasses.fields(plain_out):
            a, b = getattr(plain_out, fld.name), getattr(renamed_out, fld.name)
            if fld.name in ("columns", "dimension_columns", "options", "spec", "_pair_order"):
                continue  # bookkeeping: checked through the tables they describe
            _check_same(a, b, renames, f"{where}.{fld.name}")
        return
    if isinstance(plain_out, tuple | list):
        assert len(plain_out) == len(renamed_out), where
        for i, (a, b) in enumerate(zip(plain_out, renamed_out, strict=True)):
            _check_same(a, b, renames, f"{where}[{i}]")
        return
    if isinstance(plain_out, np.ndarray):
        np.testing.assert_array_equal(plain_out, renamed_out, err_msg=where)
        return
    if isinstance(plain_out, str):
        # texts quote column names; only that the renamed run writes one is checked
        assert isinstance(renamed_out, str), where
        assert renamed_out, where
        return
    if isinstance(plain_out, float) and np.isnan(plain_out):
        assert np.isnan(renamed_out), where
        return
    assert _text(plain_out, renames) == renamed_out, f"{where}: {renamed_out!r}"


#: Calls that read the frame through nqpf.panel.read_panel, which keeps its own row
#: column under Panel.row_column (never a caller's name).
_PANEL_CALLS = {
    "entropy_topsis",
    "entropy_topsis per year",
    "compare",
    "index downstream",
    "obstacle_degree of an index",
}
_READER_ROW_NAMES = {"__nqpf_row__", "__nqpf_row__2"}


def _names_for(call: str) -> list[str]:
    return _call_names(call)


def test_a_panel_column_named_like_the_readers_row_column():
    df = base_frame().select(REG, YR, *IND)
    for name in sorted(_READER_ROW_NAMES):
        for role, plain in (("region", REG), ("year", YR), ("indicator", IND[0])):
            got = _index(
                df.with_columns(pl.lit("k").alias(KEEP)).rename({plain: name}),
                _names(**{role: name}),
            )
            ref = _index(df.with_columns(pl.lit("k").alias(KEEP)), _names())
            _check_same(ref, got, {plain: name}, f"entropy_topsis, {role} named {name!r}")


def _rotations(roles: tuple[str, ...], names: list[str]) -> list[dict[str, str]]:
    """Role → name assignments in which every role takes every name exactly once.

    Run i names role j after ``names[(i + j·⌊n/k⌋) mod n]``: the k roles get k
    distinct names in each run, and n runs give each role all n names. (Naming all
    roles at once, each differently, also tries the names against each other.)
    """
    n, k = len(names), len(roles)
    step = max(1, n // k)
    return [{role: names[(i + j * step) % n] for j, role in enumerate(roles)} for i in range(n)]


@pytest.mark.parametrize("call", list(CALLS))
def test_a_column_named_like_an_output_is_kept_and_the_numbers_do_not_change(call):
    roles, run = CALLS[call]
    df = base_frame()
    reference = run(df, _names())
    names = _names_for(call)
    failures = []
    for chosen in _rotations(roles, names):
        renames = {_names()[role]: name for role, name in chosen.items()}
        where = f"{call}, " + ", ".join(f"{role} named '{name}'" for role, name in chosen.items())
        try:
            got = run(df.rename(renames), _names(**chosen))
            _check_same(reference, got, renames, where)
        except Exception as error:  # collect every run, then report them all
            failures.append(f"{where}: {type(error).__name__}: {str(error)[:300]}")
    assert not failures, f"{len(failures)} of {len(names)} runs fail:\n" + "\n".join(failures)


def test_each_role_gets_each_name():
    """The rotation covers role × name completely, with distinct names in each run."""
    for roles, _ in CALLS.values():
        runs = _rotations(roles, NAMES)
        for run in runs:
            assert len(set(run.values())) == len(roles)
        for role in roles:
            assert sorted(r[role] for r in runs) == NAMES


def test_the_listed_instances():
    """The cases of issue 9, spelled out."""
    df = base_frame().select(REG, YR, *IND)
    # a year column named rank: the years come back, not the ranks
    res = nqpf.entropy_topsis(df.rename({YR: "rank"}), region=REG, year="rank")
    assert res.scores.sort(REG, "rank")["rank"].to_list() == df.sort(REG, YR)[YR].to_list()
    assert res.rank_column == "nqpf_rank"
    assert res.scores["nqpf_rank"].min() == 1
    # a region column named score: the regions come back
    res = nqpf.entropy_topsis(df.rename({REG: "score"}), region="score", year=YR)
    assert set(res.scores["score"].to_list()) == set(df[REG].to_list())
    assert res.score_column == "nqpf_score"
    # markov_chain accepts a region column named state
    chain = nqpf.markov_chain(base_frame().rename({REG: "state"}), VAL, "state", YR, k=2)
    assert chain.states.columns[:4] == ["state", YR, VAL, "nqpf_state"]
    assert chain.column("state") == "nqpf_state"
    # columns named __nqpf_row__, mean, echelon do not crash
    for name in ("__nqpf_row__", "mean", "echelon"):
        tiers = nqpf.echelons(base_frame().rename({REG: name}), value=VAL, region=name, year=YR)
        assert tiers.assignments.columns[0] == name


@pytest.mark.r
@pytest.mark.parametrize("role", ["region", "year", "group", "indicator"])
def test_crossval_with_columns_named_like_outputs(role):
    """The cross-validation against R keeps the caller's columns too: a group column
    named ``score`` is decomposed *by* (never replaced by the numeric score)."""
    pytest.importorskip("rpy2")
    if nqpf.rbridge.unavailable_reason() is not None:
        pytest.skip(nqpf.rbridge.unavailable_reason())
    df = base_frame().select(REG, YR, GRP, *IND)
    plain = {"region": REG, "year": YR, "group": GRP, "indicator": IND[0]}[role]
    kwargs = {"routines": ["reference"]}  # every index and Dagum quantity, base R only

    def run(frame: pl.DataFrame, names: dict[str, str]) -> Any:
        spec = nqpf.IndicatorSpec.from_names([names["indicator"], IND[1], IND[2]])
        return crossval.compare(
            frame, spec, group=names["group"], region=names["region"], year=names["year"], **kwargs
        )

    base_names = {"region": REG, "year": YR, "group": GRP, "indicator": IND[0]}
    reference = run(df, base_names)
    assert reference.passed
    assert reference.compared.height > 0
    for name in ("score", "rank", "G", "group", "mean", "weight", "__nqpf_row__", "__nqpf_score__"):
        got = run(df.rename({plain: name}), base_names | {role: name})
        assert got.passed, f"{role} named {name!r}: " + "; ".join(got.failures())
        assert got.compared.height == reference.compared.height
        if role == "group":
            assert got.dagum is not None
            assert got.dagum.groups == reference.dagum.groups
            _check_same(reference.dagum, got.dagum, {plain: name}, f"crossval group {name!r}")
        cols = ["quantity", "routine", "n", "python", "r_value"]
        assert got.table.select(cols).equals(reference.table.select(cols)), name


def test_names_of_every_pair_of_roles_at_once():
    """Two key columns swapped for each other's output names at once."""
    df = base_frame()
    for a, b in itertools.permutations(["score", "rank", "state", "mean", "G", "group"], 2):
        renamed = df.rename({REG: a, YR: b})
        n = _names(region=a, year=b)
        for call in ("entropy_topsis", "echelons", "markov_chain", "sigma_convergence"):
            got = CALLS[call][1](renamed, n)
            _check_same(CALLS[call][1](df, _names()), got, {REG: a, YR: b}, f"{call} {a}, {b}")
