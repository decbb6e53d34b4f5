"""``r/nqpf_reference.R`` for the index: the whole chain in base R, with the same options.

Entropy, divergence and weight per indicator (``weights="entropy"``), the shifted
standardised matrix x'', and TOPSIS score, D⁺ and D⁻ per region-year and each
dimension score. The R side runs its own chain: its own x'' and weights feed its
TOPSIS, so nothing computed by nqpf enters R. With ``weights="critic"``,
``"cv"``, ``"equal"`` or user weights, which have no R reference here, nqpf's
weights are given to the R TOPSIS (the row's note says so).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nqpf import rbridge
from nqpf.crossval.context import Run, python_weights
from nqpf.crossval.registry import Part, Routine, register
from nqpf.crossval.rows import Rows

ENTROPY = ("entropy", "divergence", "weight")
TOPSIS = ("score", "d_plus", "d_minus", "score[dimension]")

#: The R entropy step is the improved entropy method with 0·ln 0 = 0; with other
#: weights its quantities are not compared (the TOPSIS rows say whose weights R got).
ENTROPY_METHOD = Part(ENTROPY, {"weights": ("entropy",)}, skip=None)
ZERO_LOG = Part(
    ENTROPY,
    {"zero_log": ("zero",)},
    skip="{name}={value!r} (p + 1e-12) has no R reference: R uses 0·ln 0 = 0",
)
METHOD = Part(
    TOPSIS,
    {"method": ("topsis",)},
    skip="{name}={value!r} (Σ w·x') has no R reference; its weights and x'' are compared",
)
#: Per-year vector norms with the panel's ideals: nqpf_topsis has no such call.
NORMS = Part(
    TOPSIS,
    excludes=({"scope": "year", "normalization": "vector", "ideal": "panel"},),
    skip="scope='year' with normalization='vector' and ideal='panel' (per-year norms, "
    "panel ideals) has no R reference call",
)


@register
class ReferenceIndex(Routine):
    """nqpf's base-R entropy and TOPSIS (``nqpf_entropy``, ``nqpf_topsis``)."""

    routine = "r/nqpf_reference.R"
    section = "index"
    quantities = (*ENTROPY, "x''", *TOPSIS)
    parts = (ENTROPY_METHOD, ZERO_LOG, METHOD, NORMS)

    def skip_reason(self, run: Run) -> str | None:
        """The R chain standardises the raw values with + and − only: indicator types,
        cost conversions and a base year change x'' itself (docs/methods.md §2)."""
        reason = super().skip_reason(run)
        if reason is not None:
            return reason
        typed = [i for i in run.spec if i.direction not in ("+", "-")]
        if typed:
            return (
                f"indicator '{typed[0].name}' is {typed[0].direction}: the R reference "
                "has + and − indicators only"
            )
        opts = run.options
        if opts.cost != "reverse":
            return f"cost={opts.cost!r} has no R reference: R reverses cost columns"
        if opts.base is not None:
            return f"base={opts.base!r} has no R reference: R standardises over the block"
        return None

    @staticmethod
    def topsis_variant(run: Run) -> str | None:
        """Why R's TOPSIS (Euclidean, ideals from the data) cannot check this run's."""
        opts = run.options
        if opts.distance != "euclidean":
            return f"distance={opts.distance!r} has no R reference: R's TOPSIS is Euclidean"
        given = {"ideal", "anti_ideal"} & set(run.spec.number_fields)
        if given or opts.ideal_point or opts.anti_ideal_point:
            return "given ideal points have no R reference: R takes them from the data"
        return None

    def quantities_for(self, run: Run) -> list[str]:
        opts = run.options
        quantities = ["x''"]
        if ENTROPY_METHOD.outside(opts) is None:
            quantities = [*ENTROPY, *quantities]
        if METHOD.outside(opts) is None:
            dims = run.dimensions()
            quantities += ["score", "d_plus", "d_minus", *(f"score[{d}]" for d in dims)]
        return quantities

    def run(self, rows: Rows, run: Run) -> None:
        opts = run.options
        ref = rbridge.reference_entropy(
            run.X,
            run.spec.benefit,
            shift=opts.shift,
            standardization=opts.standardization,
            scope_groups=run.years if run.per_year else None,
        )
        r_weights, weight_note = self.weights(rows, run, ref)
        # x'' = x' + shift, the matrix the entropy step and min–max TOPSIS use
        names = run.spec.names
        standardized = run.aligned(run.result.standardized, names)
        x2 = standardized.select(names).to_numpy() + opts.shift
        rows.compare(
            "x''",
            self.routine,
            [f"{w}, {name}" for w in run.where_rows() for name in names],
            x2.ravel(),
            np.asarray(ref["Z"]).reshape(x2.shape).ravel(),
        )
        reason = METHOD.reason(opts) or self.topsis_variant(run)
        if reason is not None:
            rows.skip(self.routine, ["score"], reason)
            return
        self.topsis(rows, run, ref, r_weights, weight_note)

    # --- the weights ---------------------------------------------------------

    def weights(
        self, rows: Rows, run: Run, ref: dict[str, Any]
    ) -> tuple[dict[str, np.ndarray], str | None]:
        """R's own weights (compared first) or nqpf's, for the R TOPSIS; and the note."""
        opts = run.options
        if ENTROPY_METHOD.outside(opts) is None and ZERO_LOG.outside(opts) is None:
            self.entropy_rows(rows, run, ref)
            return weights_by_block(ref["weight"], ref["groups"], run.per_year), None
        if ENTROPY_METHOD.outside(opts) is None:
            rows.skip(self.routine, list(ENTROPY), str(ZERO_LOG.reason(opts)))
            note = f"TOPSIS given nqpf's weights (zero_log={opts.zero_log!r})"
        else:
            note = f"TOPSIS given nqpf's {opts.weight_method} weights (no R reference for them)"
        weights = python_weights(
            run.result.weights, run.panel.year, run.per_year, run.result.weight_column
        )
        return weights, note

    def entropy_rows(self, rows: Rows, run: Run, ref: dict[str, Any]) -> None:
        names = list(run.spec.names)
        table = run.result.weights
        col = run.result.column
        if run.per_year:
            labels = [str(g) for g in ref["groups"]]
            keyed = {
                (str(r[run.panel.year]), r[col("indicator")]): r
                for r in table.iter_rows(named=True)
            }
            where = [f"{g}, {n}" for g in labels for n in names]
            for key in ENTROPY:
                py = [keyed[(g, n)][col(key)] for g in labels for n in names]
                rows.compare(key, self.routine, where, py, np.asarray(ref[key]).reshape(-1))
        else:
            keyed = {r[col("indicator")]: r for r in table.iter_rows(named=True)}
            for key in ENTROPY:
                py = [keyed[n][col(key)] for n in names]
                rows.compare(key, self.routine, names, py, np.asarray(ref[key]).ravel())

    # --- TOPSIS ----------------------------------------------------------------

    def topsis(
        self,
        rows: Rows,
        run: Run,
        ref: dict[str, Any],
        weights: dict[str, np.ndarray],
        weight_note: str | None,
    ) -> None:
        """Score, D⁺, D⁻ and each dimension's score from the R TOPSIS."""
        opts = run.options
        dims = run.dimensions()
        reason = NORMS.reason(opts)
        if reason is not None:
            quantities = ["score", "d_plus", "d_minus", *(f"score[{d}]" for d in dims)]
            rows.skip(self.routine, quantities, reason)
            return
        notes = [n for n in (weight_note,) if n]
        if run.per_year and opts.ideal == "panel":
            notes.append(
                "per-year weights: R called year by year with the panel's ideal and anti-ideal "
                "rows appended, so that its ideals are the panel's"
            )
        call = _TopsisCall(run, ref, weights)
        note = "; ".join(notes) or None
        full = call(list(range(len(run.spec))))
        res = run.result
        own = {
            "score": res.score_column,
            "d_plus": res.d_plus_column,
            "d_minus": res.d_minus_column,
        }
        where = run.where_rows()
        aligned = run.aligned(res.scores, list(own.values()))
        rows.compare("score", self.routine, where, aligned[own["score"]], full["score"], note=note)
        total = full["d_plus"] + full["d_minus"]
        for key in ("d_plus", "d_minus"):
            py = aligned[own[key]]
            rows.compare(key, self.routine, where, py, full[key], floor=total, note=note)
        for d, (column, cols) in dims.items():
            part = call(cols)
            py = run.aligned(res.scores, [column])[column]
            rows.compare(f"score[{d}]", self.routine, where, py, part["score"], note=note)


class _TopsisCall:
    """The R TOPSIS on some columns, block by block (the panel, or year by year).

    ``normalization`` is passed to R with the index's meaning: ``"minmax"`` gives
    R its own x'' (``ref["Z"]``); ``"vector"`` and ``"none"`` the raw matrix and
    the directions. With per-year weights and the panel's ideals, each year's
    block gets the panel's column maxima and minima appended as two extra rows,
    so that R's ideals are the panel's whatever the direction (norms would change:
    that case is not called, see ``NORMS``).
    """

    def __init__(self, run: Run, ref: dict[str, Any], weights: dict[str, np.ndarray]) -> None:
        opts = run.options
        self.opts = opts
        self.raw = opts.normalization != "minmax"
        if self.raw:
            self.matrix = run.X
        else:
            self.matrix = np.asarray(ref["Z"], dtype=float).reshape(run.X.shape)
        self.benefit = run.spec.benefit
        self.weights = weights
        self.per_year = run.per_year
        self.year_labels = np.asarray([str(y) for y in run.years])

    def blocks(self, cols: list[int]) -> list[tuple[np.ndarray, np.ndarray]]:
        """(rows, the weights of ``cols``) of each block."""
        if not self.per_year:
            return [(np.arange(self.matrix.shape[0]), self.weights[""][cols])]
        return [
            (np.flatnonzero(self.year_labels == label), w[cols])
            for label, w in self.weights.items()
        ]

    def __call__(self, cols: list[int]) -> dict[str, np.ndarray]:
        opts = self.opts
        sub = self.matrix[:, cols]
        ben = self.benefit[cols]
        # NaN until a block fills it: a row no block covers fails as "NaN on one side"
        out = {k: np.full(sub.shape[0], np.nan) for k in ("score", "d_plus", "d_minus")}
        for idx, w in self.blocks(cols):
            w = w / w.sum()  # a dimension's weights renormalised to sum to 1 (docs/design.md)
            block = sub[idx]
            groups = self.year_labels[idx] if opts.ideal == "year" and not self.per_year else None
            extra = 0
            if self.per_year and opts.ideal == "panel":
                block = np.vstack([block, sub.max(axis=0), sub.min(axis=0)])
                extra = 2
            value = rbridge.reference_topsis(
                None if self.raw else block,
                w,
                topsis=opts.topsis,
                ideal_groups=groups,
                normalization=opts.normalization,
                benefit=ben if self.raw else None,
                X=block if self.raw else None,
                absolute=opts.ideal == "absolute",
                shift=opts.shift,
            )
            for key in out:
                out[key][idx] = value[key][: value[key].size - extra]
        return out


def weights_by_block(weight: Any, groups: Any, per_year: bool) -> dict[str, np.ndarray]:
    """R's weights: {"": vector} pooled, or {year label: vector} per year."""
    w = np.asarray(weight, dtype=float)
    if not per_year:
        return {"": w.ravel()}
    w = w.reshape(len(groups), -1)
    return {str(g): w[i] for i, g in enumerate(groups)}
