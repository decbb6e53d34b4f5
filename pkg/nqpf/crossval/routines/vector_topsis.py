"""What the CRAN TOPSIS routines share: nqpf's per-year vector TOPSIS, year by year.

``topsis::topsis``, ``MCDA::TOPSIS`` and ``MCDM::TOPSISVector`` take one decision
matrix: vector normalisation, weighted normalised matrix, ideals within that
matrix. They are compared with nqpf re-run on the same panel with the options of
:attr:`VectorTopsis.variant` (declared in :class:`~nqpf.options.IndexOptions`
terms and checked at registration) and the index's own weights (the pooled
weights, given as user weights, when ``scope="panel"``), one year at a time:
quantity ``score (vector TOPSIS per year)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from nqpf import rbridge
from nqpf.crossval.context import Run, index_keywords, python_weights
from nqpf.crossval.registry import Routine
from nqpf.crossval.rows import Rows
from nqpf.errors import InputError
from nqpf.index import IndexResult, entropy_topsis
from nqpf.options import IndexOptions

QUANTITY = "score (vector TOPSIS per year)"

#: The index options of the per-year vector TOPSIS the CRAN routines compute.
VARIANT: Mapping[str, Any] = {
    "scope": "year",
    "method": "topsis",
    "normalization": "vector",
    "topsis": "matrix",
    "ideal": "year",
}


def per_year_variant(run: Run) -> tuple[IndexResult, str] | InputError:
    """nqpf's per-year vector TOPSIS of the run's panel (the index itself when it is
    one), with a note saying how it was obtained; the InputError when undefined."""
    opts = run.options
    if all(getattr(opts, k) == v for k, v in VARIANT.items()):
        return run.result, "nqpf's index as run (already per-year vector TOPSIS)"
    keywords = index_keywords(opts)
    if opts.scope == "panel":
        # the index's pooled weights, as user weights of a per-year run
        keywords["weights"] = run.result.weights.get_column(run.result.weight_column).to_list()
        note = (
            "nqpf re-run with scope='year', normalization='vector', topsis='matrix', "
            "ideal='year' and the index's pooled weights"
        )
    else:
        note = (
            "nqpf re-run with normalization='vector', topsis='matrix', ideal='year' "
            "and the index's per-year weights"
        )
    keywords |= VARIANT
    try:
        if run.prepared is not None:  # the panel as read once for this validation
            return entropy_topsis(run.prepared, **keywords), note
        return entropy_topsis(run.panel, run.spec, keep=[], **keywords), note
    except InputError as exc:
        return exc


class VectorTopsis(Routine):
    """A CRAN TOPSIS routine: ``rbridge.<function>(X, w, kinds)`` → closeness per row."""

    section = "index"
    quantities = (QUANTITY,)
    variant: ClassVar[Mapping[str, Any]] = VARIANT
    #: The routine's words for a benefit and a cost criterion.
    kinds: ClassVar[tuple[str, str]] = ("max", "min")
    #: The :mod:`nqpf.rbridge` function that calls the routine.
    function: ClassVar[str] = ""

    @classmethod
    def check_declaration(cls, where: str) -> None:
        if cls.function and not hasattr(rbridge, cls.function):
            raise TypeError(f"{where}: nqpf.rbridge has no function {cls.function!r}")
        for name, value in cls.variant.items():
            if name not in IndexOptions.names() or value not in IndexOptions.info(name).choices:
                raise TypeError(f"{where}: variant {name}={value!r} is not an IndexOptions choice")

    def check(self, rows: Rows, run: Run) -> None:
        """Skip with the reason when nqpf's per-year variant is undefined, else run."""
        if run.status.get(self.routine, "not requested") is None:
            variant = run.once("vector variant", lambda: per_year_variant(run))
            if isinstance(variant, InputError):
                reason = f"nqpf's per-year vector TOPSIS is not defined here: {variant}"
                rows.skip(self.routine, [QUANTITY], reason)
                return
        super().check(rows, run)

    def run(self, rows: Rows, run: Run) -> None:
        variant, note = run.cache["vector variant"]
        X = run.X
        column = variant.score_column
        python = run.aligned(variant.scores, [column])[column].to_numpy()
        weight_by_year = python_weights(
            variant.weights, run.panel.year, per_year=True, weight=variant.weight_column
        )
        labels = np.asarray([str(y) for y in run.years])
        words = [self.kinds[0] if b else self.kinds[1] for b in run.spec.benefit]
        call = getattr(rbridge, self.function)
        r_score = np.empty(X.shape[0])
        for label, w in weight_by_year.items():
            idx = np.flatnonzero(labels == label)
            r_score[idx] = call(X[idx], w, words)
        rows.compare(QUANTITY, self.routine, run.where_rows(), python, r_score, note=note)
