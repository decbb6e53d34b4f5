"""Rows of the report and the comparison rule (module docstring of :mod:`nqpf.crossval`).

``rel_diff = |python − R| / max(|R|, floor)``; a row is ``ok`` when ``rel_diff ≤
tolerance``; both sides NaN is equal, NaN on one side fails.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
import polars as pl

from nqpf.crossval.registry import tolerance_floors
from nqpf.errors import InputError, RUnavailableError

DEFAULT_TOLERANCE = 1e-10
"""Relative tolerance: double-precision computations of the same closed form in
two languages differ only in summation order (about 1e-15 relative here)."""

COLUMNS: dict[str, Any] = {
    "quantity": pl.String,
    "where": pl.String,
    "n": pl.Int64,
    "python": pl.Float64,
    "routine": pl.String,
    "r_value": pl.Float64,
    "abs_diff": pl.Float64,
    "rel_diff": pl.Float64,
    "tolerance": pl.Float64,
    "ok": pl.Boolean,
    "status": pl.String,
    "note": pl.String,
}


class Rows:
    """Collects compared and skipped rows, in the order of the report.

    :func:`nqpf.crossval.validate` adds them section by section (index, then
    Dagum) and, within a section, adapter by adapter in the order of the registry.
    """

    def __init__(self, tolerance: float, detail: bool) -> None:
        self.tolerance = tolerance
        self.detail = detail
        self.rows: list[dict[str, Any]] = []

    def tolerance_for(self, routine: str) -> tuple[float, str | None]:
        floor = tolerance_floors().get(routine)
        if floor is not None and floor[0] > self.tolerance:
            return floor[0], f"tolerance {floor[0]:g}: {floor[1]}"
        return self.tolerance, None

    def compare(
        self,
        quantity: str,
        routine: str,
        where: Sequence[str],
        python: Any,
        r_value: Any,
        *,
        floor: Any = 0.0,
        note: str | None = None,
        minimum: tuple[float, str] | None = None,
        bound: tuple[Any, str] | None = None,
    ) -> None:
        """Add the row(s) of one quantity; ``minimum`` is (tolerance, why) for a value
        whose conditioning, computed from the data, allows less than the tolerance.

        ``bound`` is (absolute bounds, why): one bound on |python − R| per value,
        derived from the data (an approximation's error, pointwise). Each value's
        tolerance is then max(tolerance, bound / max(|R|, floor)), so that
        ``rel_diff ≤ tolerance`` says |python − R| ≤ its bound; a summary row shows
        the value with the largest rel_diff / tolerance, with its own rel_diff and
        tolerance."""
        py = np.asarray(python, dtype=float).ravel()
        rv = np.asarray(r_value, dtype=float).ravel()
        if py.shape != rv.shape or len(where) != py.size:
            raise RuntimeError(
                f"crossval: {quantity} has {py.size} Python and {rv.size} R values"
            )  # pragma: no cover - a bug in this module, never a user error
        if py.size == 0:
            return
        tol, tol_note = self.tolerance_for(routine)
        if minimum is not None and minimum[0] > tol:
            tol, tol_note = minimum[0], f"tolerance {minimum[0]:.2g}: {minimum[1]}"
        notes = [n for n in (note, tol_note) if n]
        denom = np.maximum(np.abs(rv), np.broadcast_to(np.asarray(floor, dtype=float), rv.shape))
        with np.errstate(invalid="ignore", divide="ignore"):
            abs_diff = np.abs(py - rv)
            rel = np.where(denom > 0, abs_diff / np.where(denom > 0, denom, 1.0), abs_diff)
        both_nan = np.isnan(py) & np.isnan(rv)
        one_nan = np.isnan(py) ^ np.isnan(rv)
        abs_diff[both_nan] = 0.0
        rel[both_nan] = 0.0
        tols = np.full(rv.shape, tol)
        if bound is not None:
            limits = np.broadcast_to(np.asarray(bound[0], dtype=float), rv.shape)
            with np.errstate(invalid="ignore", divide="ignore"):
                per = np.where(denom > 0, limits / np.where(denom > 0, denom, 1.0), limits)
            tols = np.maximum(tols, per)
            notes.append(f"tolerance pointwise: {bound[1]}")
        ok = (rel <= tols) & ~one_nan
        # rank by relative difference (by its ratio to a pointwise tolerance), a
        # one-sided NaN first
        with np.errstate(invalid="ignore", divide="ignore"):
            badness = np.where(one_nan, np.inf, rel if bound is None else rel / tols)

        def row(i: int | None, n: int, sel: np.ndarray) -> dict[str, Any]:
            nan_here = bool(one_nan[sel].any())
            # with pointwise tolerances the shown differences are those of the value shown
            shown = sel if bound is None or i is None else np.asarray([i])
            return {
                "quantity": quantity,
                "where": where[i] if i is not None else None,
                "n": n,
                "python": finite(py[i]) if i is not None else None,
                "routine": routine,
                "r_value": finite(rv[i]) if i is not None else None,
                "abs_diff": None if nan_here else float(abs_diff[shown].max()),
                "rel_diff": None if nan_here else float(rel[shown].max()),
                "tolerance": tol if bound is None or i is None else float(tols[i]),
                "ok": bool(ok[sel].all()),
                "status": "compared",
                "note": "; ".join([*notes, *(["NaN on one side"] if nan_here else [])]) or None,
            }

        if self.detail:
            for i in range(py.size):
                self.rows.append(row(i, 1, np.asarray([i])))
        else:
            worst = int(np.argmax(badness))
            self.rows.append(row(worst, py.size, np.arange(py.size)))

    def skip(self, routine: str, quantities: Sequence[str], reason: str) -> None:
        self.rows.append(
            {
                "quantity": ", ".join(quantities),
                "where": None,
                "n": None,
                "python": None,
                "routine": routine,
                "r_value": None,
                "abs_diff": None,
                "rel_diff": None,
                "tolerance": None,
                "ok": None,
                "status": "skipped",
                "note": " ".join(str(reason).split()),
            }
        )

    def frame(self) -> pl.DataFrame:
        return pl.DataFrame(self.rows, schema=COLUMNS, orient="row")


def finite(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


@contextmanager
def routine(
    rows: Rows, routine: str, quantities: Sequence[str], status: Mapping[str, str | None]
) -> Iterator[bool]:
    """Run one routine's comparisons, or list it as skipped with the reason.

    Yields ``False`` (and adds a skipped row) when the routine is unavailable;
    an R error or a missing package raised inside becomes a skipped row; R
    warnings are added to the notes of the routine's rows.
    """
    reason = status.get(routine, "not requested")
    if reason is not None:
        if reason != "not requested":
            rows.skip(routine, quantities, reason)
        yield False
        return
    start = len(rows.rows)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield True
        except (RUnavailableError, InputError) as exc:
            del rows.rows[start:]
            message = str(exc)
            if isinstance(exc, InputError) and not message.startswith("R "):
                message = f"not applicable: {message}"
            rows.skip(routine, quantities, message)
    messages = sorted({" ".join(str(w.message).split()) for w in caught})
    if messages:
        for row in rows.rows[start:]:
            extra = "; ".join(messages)
            row["note"] = f"{row['note']}; {extra}" if row["note"] else extra
