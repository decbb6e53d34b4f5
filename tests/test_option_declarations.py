"""The option declarations (nqpf.options) and the functions that take them.

One declaration per option: checked values, ``replace``, keywords and ``options=``
giving the same run, keywords applied on top of an object, unknown names refused with
the close match, the generated signature, a prepared panel reused as it is.
"""

from __future__ import annotations

import inspect

import numpy as np
import polars as pl
import pytest

import nqpf
from nqpf.errors import InputError
from nqpf.options import FAMILIES, IndexOptions, UnknownOptionError


@pytest.fixture(scope="module")
def panel() -> tuple[pl.DataFrame, nqpf.IndicatorSpec]:
    rng = np.random.default_rng(3)
    frame = pl.DataFrame(
        {
            "region": np.repeat([f"r{i}" for i in range(6)], 4),
            "year": np.tile(np.arange(2001, 2005), 6),
            "a": rng.uniform(1, 2, 24),
            "b": rng.uniform(10, 20, 24),
            "c": rng.uniform(0, 1, 24),
        }
    )
    return frame, nqpf.IndicatorSpec.from_names(["a", "b", "c"], directions={"c": "-"})


def test_every_family_is_frozen_checked_and_replaceable():
    for family in FAMILIES.values():
        opts = family()
        assert dict(opts) == opts.to_dict() or family is IndexOptions
        with pytest.raises(AttributeError):
            opts.__setattr__(family.names()[0], None)
        assert opts.replace() == opts
        for info in family.describe():
            assert info.family == family.family
            assert info.help
            assert info.help_zh
            if info.choices and info.kind == "values":  # a list of choices (combine)
                assert set(info.default) <= set(info.choices)
            elif info.choices:
                assert info.default in info.choices or info.default is None


def test_values_are_checked_by_the_declaration():
    with pytest.raises(InputError, match="unknown scope 'years'"):
        IndexOptions(scope="years")
    with pytest.raises(InputError, match="shift=-1 must be ≥ 0"):
        IndexOptions().replace(shift=-1)
    with pytest.raises(InputError, match="needs the min–max scale"):
        IndexOptions(ideal="absolute", normalization="vector")
    with pytest.raises(InputError, match="must be True or False"):
        nqpf.ClubOptions(log="yes")
    assert IndexOptions(shift=1).shift == 1.0  # normalised to a float


def test_keywords_and_options_give_the_same_run(panel):
    frame, spec = panel
    by_keyword = nqpf.entropy_topsis(frame, spec, scope="year", topsis="distance")
    by_object = nqpf.entropy_topsis(
        frame, spec, options=IndexOptions(scope="year", topsis="distance")
    )
    by_dict = nqpf.entropy_topsis(frame, spec, options={"scope": "year", "topsis": "distance"})
    for other in (by_object, by_dict):
        assert other.scores.equals(by_keyword.scores)
        assert other.weights.equals(by_keyword.weights)
        assert other.options == by_keyword.options
    on_top = nqpf.entropy_topsis(frame, spec, options=IndexOptions(scope="year"), topsis="distance")
    assert on_top.scores.equals(by_keyword.scores)
    assert by_keyword.options["scope"] == "year"


def test_unknown_names_are_refused_with_the_close_match(panel):
    frame, spec = panel
    with pytest.raises(UnknownOptionError, match="did you mean 'normalization'") as raised:
        nqpf.entropy_topsis(frame, spec, normalisation="vector")
    assert isinstance(raised.value, TypeError)  # as Python's own unexpected keyword
    assert isinstance(raised.value, InputError)
    with pytest.raises(UnknownOptionError, match="did you mean 'scope'"):
        IndexOptions().replace(scop="year")
    with pytest.raises(UnknownOptionError):
        IndexOptions.resolve({"scop": "year"})
    with pytest.raises(InputError, match=r"options= must be IndexOptions .* got DagumOptions"):
        nqpf.entropy_topsis(frame, spec, options=nqpf.DagumOptions())


def test_signatures_list_the_declared_options():
    for function, family in (
        (nqpf.entropy_topsis, nqpf.IndexOptions),
        (nqpf.dagum_gini, nqpf.DagumOptions),
        (nqpf.echelons, nqpf.EchelonOptions),
        (nqpf.markov_chain, nqpf.MarkovOptions),
        (nqpf.club_convergence, nqpf.ClubOptions),
        (nqpf.build_report, nqpf.ReportOptions),
        (nqpf.read_panel, nqpf.ReadOptions),
        (nqpf.validate, nqpf.IndexOptions),
    ):
        parameters = inspect.signature(function).parameters
        for info in family.describe():
            assert parameters[info.name].default == info.default, (function.__name__, info.name)
        assert "options" in parameters


def test_positional_options_stay_positional(panel):
    frame, spec = panel
    scores = nqpf.entropy_topsis(frame, spec).scores
    positional = nqpf.markov_chain(scores, "score", "region", "year", 3, "year")
    keyword = nqpf.markov_chain(scores, "score", "region", "year", k=3, classes="year")
    assert positional.probabilities.equals(keyword.probabilities)
    assert positional.options == nqpf.MarkovOptions(k=3, classes="year")


def test_a_prepared_panel_is_read_once_and_gives_the_same_numbers(panel, monkeypatch):
    frame, spec = panel
    prepared = nqpf.prepare_index(frame, spec)
    calls = []
    real = nqpf.Panel.indicator_frame

    def counting(self, *args, **kwargs):
        calls.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(nqpf.Panel, "indicator_frame", counting)
    for weights in ("entropy", "critic", "cv", "equal"):
        again = nqpf.entropy_topsis(prepared, weights=weights)
        fresh = nqpf.entropy_topsis(frame, spec, weights=weights)
        assert again.scores.equals(fresh.scores)
    assert len(calls) == 4  # the four fresh runs only
    with pytest.raises(InputError, match="prepared panel already has its spec"):
        nqpf.entropy_topsis(prepared, spec)
    # another missing-value policy prepares the panel again, from the same panel
    assert nqpf.entropy_topsis(prepared, missing="drop").scores.equals(
        nqpf.entropy_topsis(frame, spec, missing="drop").scores
    )
