"""Cross-validation against R: every number of an index run, quantity by quantity.

:func:`compare` runs nqpf on a panel (the index, and with ``group`` the Dagum
decomposition of its score) and recomputes each quantity with R routines
through :mod:`nqpf.rbridge`. The result is a :class:`CrossValReport` whose
``.table`` has one row per quantity × routine.

What is compared with what
--------------------------
``r/nqpf_reference.R`` (base R, wherever R is)
    The index with the *same* options: entropy, divergence and weight per
    indicator (``weights="entropy"``), the shifted standardised matrix x'',
    and TOPSIS score, D⁺ and D⁻ per region-year and each dimension score. The
    R side runs its own chain: its own x'' and its own weights feed its TOPSIS,
    so nothing computed by nqpf enters R (with ``weights="critic"``, ``"cv"``,
    ``"equal"`` or user weights, which have no R reference here, nqpf's weights
    are given to the R TOPSIS — the row's note says so). With ``group``: the
    Dagum decomposition of the score per ``by`` slice — G, Gw, Gnb, Gt, each
    Gjj, and for every pair Gjh, Djh, djh, pjh.
``topsis::topsis``, ``MCDA::TOPSIS``, ``MCDM::TOPSISVector`` (CRAN)
    These take one decision matrix: vector normalisation, weighted normalised
    matrix, ideals within that matrix. They are compared with nqpf re-run on
    the same panel with ``scope="year"``, ``normalization="vector"``,
    ``topsis="matrix"``, ``ideal="year"`` and the index's own weights (the
    pooled weights, given as user weights, when ``scope="panel"``), year by
    year: quantity ``score (vector TOPSIS per year)``.
``laeken::gini`` (Debian)
    G, each Gjj and Gnb (the Gini of the group means weighted by group size);
    Gjh and Djh through the pooled-pair identity; Gw and Gt assembled from
    those Ginis (see :func:`nqpf.rbridge.laeken_dagum`).
``Hmisc::GiniMd`` (Debian)
    Mean absolute differences over all n² pairs: Δ = 2μG overall and
    Δjj = 2μj Gjj within each group of at least two units (unweighted only).
``dineq::gini_decomp``, ``IC2::decompSGini(decomp = "BM")`` (CRAN)
    G, Gw, Gnb, Gt (their within / between / overlap) and each Gjj.
``ineq::Gini`` (CRAN)
    G (unweighted only).

Reading the table
-----------------
By default each row summarises all values of one quantity for one routine:
``n`` counts them, ``abs_diff`` and ``rel_diff`` are the largest differences,
and ``where``, ``python`` and ``r_value`` show the value with the largest
relative difference. ``detail=True`` gives one row per value instead.

``rel_diff = |python − R| / max(|R|, floor)`` and a row is ``ok`` when
``rel_diff ≤ tolerance`` (default 1e-10). The floor is 0 for most quantities, so
the difference is relative to the R value, and when the R value is 0 the
absolute difference is used. For quantities that R routines obtain as a part
of a larger whole, the whole is the floor, because their rounding error is
relative to it: Gw, Gnb and Gt are relative to at least G (laeken, dineq and
IC2 obtain Gt as the residual G − Gw − Gnb); djh and pjh to at least
djh + pjh; D⁺ and D⁻ to at least D⁺ + D⁻ (D⁺ is near 0 for a region at the
ideal); Djh ∈ [0, 1] to at least 1 (R's (d − p)/(d + p) cancels when
d ≈ p). Both sides NaN counts as equal; NaN on one side fails, and so does a
value present on one side only (a group or pair that R or nqpf lacks). No routine
needs more than 1e-10; a caller asking for less gets at least 1e-12 for IC2,
which estimates the Gini by a covariance regression (agreement ~1e-14), and
the row's note says so.

Every routine that cannot run is listed as a ``skipped`` row (``ok`` null)
with the reason in ``note``: R or rpy2 missing (then every R row, with the
one-line reason, and the Python results are computed all the same), an R
package not installed, an option without an R counterpart, or an R error.
"""

from __future__ import annotations

import dataclasses
import math
import os
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from nqpf import rbridge
from nqpf._frames import check_bool, check_real, column_name, internal_name
from nqpf.dagum import DagumResult, dagum_gini
from nqpf.errors import InputError, RUnavailableError
from nqpf.index import IndexResult, default_spec, entropy_topsis
from nqpf.panel import IndicatorSpec, Panel, read_panel, read_spec

__all__ = ["ROUTINES", "CrossValReport", "compare"]

REFERENCE = "r/nqpf_reference.R"
LAEKEN = "laeken::gini"
HMISC = "Hmisc::GiniMd"
DINEQ = "dineq::gini_decomp"
IC2 = "IC2::decompSGini"
INEQ = "ineq::Gini"
TOPSIS = "topsis::topsis"
MCDA = "MCDA::TOPSIS"
MCDM = "MCDM::TOPSISVector"

#: The routines :func:`compare` uses, in the order of the report.
ROUTINES: tuple[str, ...] = (REFERENCE, TOPSIS, MCDA, MCDM, LAEKEN, HMISC, DINEQ, IC2, INEQ)

DEFAULT_TOLERANCE = 1e-10
"""Relative tolerance: double-precision computations of the same closed form in
two languages differ only in summation order (about 1e-15 relative here)."""

#: Smallest tolerance a routine can meet, whatever the caller asks for, and why.
#: Only IC2 needs one: it estimates the Gini by a weighted covariance regression
#: instead of summing differences, and agrees with the closed form to about 1e-14.
_TOLERANCE_FLOOR: dict[str, tuple[float, str]] = {
    IC2: (1e-12, "IC2 estimates the Gini by a covariance regression (agrees to ~1e-14)"),
}

_VECTOR_QUANTITY = "score (vector TOPSIS per year)"

_COLUMNS: dict[str, Any] = {
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


# ---------------------------------------------------------------------------
# the report


@dataclass(frozen=True, slots=True)
class CrossValReport:
    """Python vs R, one row per quantity × routine.

    Attributes
    ----------
    table
        ``quantity, where, n, python, routine, r_value, abs_diff, rel_diff,
        tolerance, ok, status, note`` (module docstring). ``status`` is
        ``"compared"`` or ``"skipped"``; ``ok`` is null for skipped rows.
    routines
        The R routines used, from :func:`nqpf.rbridge.routines`: routine,
        package, installed version (or null), status and the reason when missing.
    options
        The index options, ``group``, ``by`` and ``tolerance``.
    r_available
        Whether R and rpy2 could be used at all.
    r_reason
        The one-line reason when they could not, else ``None``.
    index
        The nqpf index that was checked (an :class:`~nqpf.index.IndexResult`).
    dagum
        The nqpf Dagum decomposition of its score (``None`` without ``group``).
    """

    table: pl.DataFrame
    routines: pl.DataFrame
    options: dict[str, Any]
    r_available: bool
    r_reason: str | None
    index: IndexResult
    dagum: DagumResult | None = None
    tolerance: float = DEFAULT_TOLERANCE

    @property
    def compared(self) -> pl.DataFrame:
        """The rows that were compared."""
        return self.table.filter(pl.col("status") == "compared")

    @property
    def failed(self) -> pl.DataFrame:
        """The compared rows that are not within tolerance."""
        return self.table.filter((pl.col("status") == "compared") & ~pl.col("ok"))

    @property
    def skipped(self) -> pl.DataFrame:
        """The rows not compared, with the reason in ``note``."""
        return self.table.filter(pl.col("status") == "skipped")

    @property
    def passed(self) -> bool:
        """Whether every compared row is within tolerance (true when none was compared)."""
        return self.failed.height == 0

    def failures(self) -> list[str]:
        """One line per failed row: quantity, routine, where and the differences."""
        return [
            f"{r['quantity']} ({r['routine']}) at {r['where']}: python {_num(r['python'])}, "
            f"R {_num(r['r_value'])}, rel diff {_num(r['rel_diff'], 2)} > {r['tolerance']:.0e}"
            for r in self.failed.iter_rows(named=True)
        ]

    def summary(self) -> str:
        """The report as plain text: a header, the compared rows, the skipped routines."""
        lines = [_header(self)]
        if not self.r_available:
            lines.append(str(self.r_reason))
        compared = self.compared
        if compared.height:
            if any(n > 1 for n in compared.get_column("n").to_list()):
                lines.append(
                    "each row: the n values of a quantity; python, R and where at the largest "
                    "relative difference"
                )
            head = ["quantity", "n", "routine", "python", "R", "rel diff", "tol", "ok", "where"]
            body = [
                [
                    r["quantity"],
                    str(r["n"]),
                    r["routine"],
                    _num(r["python"]),
                    _num(r["r_value"]),
                    _num(r["rel_diff"], 2),
                    f"{r['tolerance']:.0e}",
                    "ok" if r["ok"] else "FAIL",
                    r["where"] or "",
                ]
                for r in compared.iter_rows(named=True)
            ]
            lines += ["", *_text_table(head, body)]
        notes: dict[str, dict[str, list[str]]] = {}
        for r in compared.filter(pl.col("note").is_not_null()).iter_rows(named=True):
            by_quantity = notes.setdefault(r["note"], {})
            if r["routine"] not in by_quantity.setdefault(r["quantity"], []):
                by_quantity[r["quantity"]].append(r["routine"])
        if notes:
            lines += ["", "notes:"]
            for note, by_quantity in notes.items():
                labels = [f"{q} ({', '.join(rs)})" for q, rs in by_quantity.items()]
                lines.append(f"  {'; '.join(labels)}: {note}")
        skipped = self.skipped
        if not self.r_available:
            # one reason for every R row: say it once
            names = ", ".join(dict.fromkeys(skipped.get_column("routine").to_list()))
            lines += ["", f"skipped ({skipped.height} rows): {names}"]
        elif skipped.height:
            lines += ["", "skipped:"]
            lines += [
                f"  {r['routine']} ({r['quantity']}): {r['note']}"
                for r in skipped.iter_rows(named=True)
            ]
        if self.failed.height:
            lines += ["", "FAILED:", *(f"  {line}" for line in self.failures())]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready content: passed, counts, options, rows, routines."""
        return {
            "passed": self.passed,
            "compared": self.compared.height,
            "failed": self.failed.height,
            "skipped": self.skipped.height,
            "r_available": self.r_available,
            "r_reason": self.r_reason,
            "options": {k: _plain(v) for k, v in self.options.items()},
            "rows": self.table.to_dicts(),
            "routines": self.routines.to_dicts(),
        }


def _plain(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)


def _num(value: float | None, digits: int = 10) -> str:
    if value is None:
        return "-"
    if value == 0:
        return "0"
    return f"{value:.{digits}g}"


def _text_table(head: list[str], body: list[list[str]]) -> list[str]:
    widths = [max(len(h), *(len(row[i]) for row in body)) for i, h in enumerate(head)]
    numeric = {1, 3, 4, 5, 6}
    out = []
    for row in [head, ["-" * w for w in widths], *body]:
        cells = [
            cell.rjust(w) if i in numeric and row is not head else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        out.append("  ".join(cells).rstrip())
    return out


def _header(report: CrossValReport) -> str:
    compared, failed, skipped = (
        report.compared.height,
        report.failed.height,
        report.skipped.height,
    )
    options = ", ".join(
        f"{k}={v}" for k, v in report.options.items() if k not in {"tolerance"} and v is not None
    )
    verdict = "PASSED" if report.passed else "FAILED"
    if compared == 0:
        verdict = "nothing compared"
    return (
        f"nqpf cross-validation against R — {options}\n"
        f"{verdict}: {compared} compared, {failed} failed, {skipped} skipped "
        f"(tolerance {report.tolerance:g} relative)"
    )


# ---------------------------------------------------------------------------
# row collection


class _Rows:
    """Collects compared and skipped rows, in the order of the report.

    :func:`compare` adds them section by section (index, then Dagum) and, within
    a section, routine by routine in the order of :data:`ROUTINES`.
    """

    def __init__(self, tolerance: float, detail: bool) -> None:
        self.tolerance = tolerance
        self.detail = detail
        self.rows: list[dict[str, Any]] = []

    def tolerance_for(self, routine: str) -> tuple[float, str | None]:
        floor = _TOLERANCE_FLOOR.get(routine)
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
    ) -> None:
        py = np.asarray(python, dtype=float).ravel()
        rv = np.asarray(r_value, dtype=float).ravel()
        if py.shape != rv.shape or len(where) != py.size:
            raise RuntimeError(
                f"crossval: {quantity} has {py.size} Python and {rv.size} R values"
            )  # pragma: no cover - a bug in this module, never a user error
        if py.size == 0:
            return
        tol, tol_note = self.tolerance_for(routine)
        notes = [n for n in (note, tol_note) if n]
        denom = np.maximum(np.abs(rv), np.broadcast_to(np.asarray(floor, dtype=float), rv.shape))
        with np.errstate(invalid="ignore", divide="ignore"):
            abs_diff = np.abs(py - rv)
            rel = np.where(denom > 0, abs_diff / np.where(denom > 0, denom, 1.0), abs_diff)
        both_nan = np.isnan(py) & np.isnan(rv)
        one_nan = np.isnan(py) ^ np.isnan(rv)
        abs_diff[both_nan] = 0.0
        rel[both_nan] = 0.0
        ok = (rel <= tol) & ~one_nan
        # rank by relative difference, a one-sided NaN first
        badness = np.where(one_nan, np.inf, rel)

        def row(i: int | None, n: int, sel: np.ndarray) -> dict[str, Any]:
            nan_here = bool(one_nan[sel].any())
            return {
                "quantity": quantity,
                "where": where[i] if i is not None else None,
                "n": n,
                "python": _finite(py[i]) if i is not None else None,
                "routine": routine,
                "r_value": _finite(rv[i]) if i is not None else None,
                "abs_diff": None if nan_here else float(abs_diff[sel].max()),
                "rel_diff": None if nan_here else float(rel[sel].max()),
                "tolerance": tol,
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
        return pl.DataFrame(self.rows, schema=_COLUMNS, orient="row")


def _finite(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


@contextmanager
def _routine(
    rows: _Rows, routine: str, quantities: Sequence[str], status: Mapping[str, str | None]
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


# ---------------------------------------------------------------------------
# the entry point


def compare(
    panel: Panel | Any,
    spec: IndicatorSpec | str | os.PathLike[str] | Any | None = None,
    *,
    group: str | None = None,
    by: str | None = None,
    dagum_weights: str | None = None,
    region: str | None = None,
    year: str | None = None,
    weights: str | Mapping[str, float] | Sequence[float] = "entropy",
    scope: str = "panel",
    shift: float = 1e-4,
    standardization: str = "minmax",
    zero_log: str = "zero",
    method: str = "topsis",
    topsis: str = "matrix",
    ideal: str = "panel",
    normalization: str = "minmax",
    missing: str = "error",
    routines: Sequence[str] | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
    detail: bool = False,
) -> CrossValReport:
    """Compare every number of an nqpf index run (and its Dagum decomposition) with R.

    Parameters
    ----------
    panel, spec, region, year
        As for :func:`nqpf.entropy_topsis`. Without a spec, the numeric columns
        other than ``group``, ``by`` and ``dagum_weights`` are the indicators.
    group
        Group column for the Dagum decomposition of the index score; without
        it the decomposition is not checked.
    by
        Column to slice the decomposition by (default: the panel's year column).
    dagum_weights
        Optional column of unit weights for the decomposition (Hmisc and ineq
        take none and are then skipped).
    weights, scope, shift, standardization, zero_log, method, topsis, ideal, normalization, missing
        The index options of :func:`nqpf.entropy_topsis`; the R reference is
        run with the same ones.
    routines
        Restrict to these routines (names as in :data:`ROUTINES`, or their R
        package: ``"laeken"``, ``"reference"``, …). Default: all.
    tolerance
        Relative tolerance (default 1e-10); see the module docstring.
    detail
        One row per value instead of one summary row per quantity × routine.

    Returns
    -------
    CrossValReport

    Raises
    ------
    InputError
        For bad input or options (the same checks as the index), an unknown
        routine name or a missing group column. A missing R is *not* an error:
        every R row is then skipped with the one-line reason.
    """
    tolerance = check_real("tolerance", tolerance, low=0.0, low_open=True, hint="e.g. 1e-10")
    detail = check_bool("detail", detail)
    for role, column in (("group", group), ("by", by), ("dagum_weights", dagum_weights)):
        column_name(role, column, optional=True)
    wanted = _select_routines(routines)
    if not isinstance(panel, Panel):
        panel = read_panel(panel, region=region or "region", year=year or "year")
    by = panel.year if by is None else by
    for name, column in (("group", group), ("by", by), ("dagum_weights", dagum_weights)):
        if column is not None and column not in panel.frame.columns:
            raise InputError(
                f"no column named '{column}' (given as {name})",
                file=panel.source,
                column=column,
                hint="panel columns: " + ", ".join(panel.frame.columns[:12]),
            )
    if group is not None and panel.data.get_column(group).null_count():
        position = int(panel.data.get_column(group).is_null().arg_true()[0])
        # the panel's own row-number column (named so that it meets no user column)
        row_column = getattr(panel, "row_column", "__nqpf_row__")
        numbers = panel.data.get_column(row_column) if row_column in panel.data.columns else None
        raise InputError(
            "missing group label",
            file=panel.source,
            row=None if numbers is None else int(numbers[position]),
            column=group,
            hint="fill it, or drop the row",
        )
    if spec is None:
        spec = default_spec(panel, [c for c in (group, by, dagum_weights) if c is not None])
    else:
        spec = read_spec(spec)
    index_options: dict[str, Any] = {
        "weights": weights,
        "scope": scope,
        "shift": shift,
        "standardization": standardization,
        "zero_log": zero_log,
        "method": method,
        "topsis": topsis,
        "ideal": ideal,
        "normalization": normalization,
        "missing": missing,
    }
    result = entropy_topsis(panel, spec, keep=[], **index_options)
    decomposition = None
    dagum_frame = None
    value_column = None
    if group is not None:
        carried = list(dict.fromkeys(c for c in (group, by, dagum_weights) if c is not None))
        carried = [c for c in carried if c not in {panel.region, panel.year}]
        # the index score under a helper name: a group (or by) column called "score"
        # is the caller's column and is decomposed by, never replaced by the score
        value_column = internal_name("score", [panel.region, panel.year, *carried])
        dagum_frame = result.scores.select(
            panel.region, panel.year, pl.col(result.score_column).alias(value_column)
        ).join(
            panel.frame.select(panel.region, panel.year, *carried),
            on=[panel.region, panel.year],
            how="left",
        )
        decomposition = dagum_gini(dagum_frame, value_column, group, by=by, weights=dagum_weights)
        decomposition = dataclasses.replace(decomposition, value="score")

    table = rbridge.routines()
    used = table.filter(pl.col("routine").is_in(list(ROUTINES)))
    reason = rbridge.unavailable_reason()
    status: dict[str, str | None] = {}
    for row in used.iter_rows(named=True):
        if row["routine"] not in wanted:
            status[row["routine"]] = "not requested"
        elif reason is not None:
            status[row["routine"]] = reason
        else:
            status[row["routine"]] = None if row["status"] == "ok" else row["reason"]

    rows = _Rows(tolerance, detail)
    data = panel.indicator_frame(spec, missing=missing)  # type: ignore[arg-type]
    context = _IndexContext(panel, spec, result, data, index_options)
    _index_rows(rows, context, status)
    _vector_topsis_rows(rows, context, status)
    if decomposition is not None and dagum_frame is not None:
        _dagum_rows(
            rows, dagum_frame, decomposition, group, by, dagum_weights, status, value_column
        )  # type: ignore[arg-type]

    options = {
        **index_options,
        "weights": weights if isinstance(weights, str) else "user",
        "group": group,
        "by": by if group is not None else None,
        "dagum_weights": dagum_weights,
        "tolerance": tolerance,
    }
    return CrossValReport(
        table=rows.frame(),
        routines=used,
        options=options,
        r_available=reason is None,
        r_reason=reason,
        index=result,
        dagum=decomposition,
        tolerance=tolerance,
    )


def _select_routines(routines: Sequence[str] | None) -> set[str]:
    if routines is None:
        return set(ROUTINES)
    if isinstance(routines, str):
        routines = [routines]
    if not isinstance(routines, Sequence | set | frozenset):
        raise InputError(
            f"routines={routines!r} must be a list of routine names",
            hint="use names from: " + ", ".join(ROUTINES),
        )
    aliases = {name.lower(): name for name in ROUTINES}
    aliases |= {name.split("::")[0].lower(): name for name in ROUTINES if "::" in name}
    aliases |= {"reference": REFERENCE, "r": REFERENCE, "nqpf_reference.r": REFERENCE}
    chosen = set()
    for name in routines:
        key = str(name).strip().lower()
        if key not in aliases:
            raise InputError(
                f"unknown routine '{name}'",
                hint="use one of: " + ", ".join(ROUTINES) + " (or the package name)",
            )
        chosen.add(aliases[key])
    return chosen


# ---------------------------------------------------------------------------
# the index


@dataclass(frozen=True)
class _IndexContext:
    panel: Panel
    spec: IndicatorSpec
    result: IndexResult
    data: pl.DataFrame  # region, year, indicators: the rows nqpf used, sorted by year
    options: dict[str, Any]

    @property
    def X(self) -> np.ndarray:
        return self.data.select(self.spec.names).to_numpy().astype(float)

    @property
    def years(self) -> np.ndarray:
        return self.data.get_column(self.panel.year).to_numpy()

    def where_rows(self) -> list[str]:
        return [
            f"{y}, {r}" for r, y in self.data.select(self.panel.region, self.panel.year).iter_rows()
        ]

    def aligned(self, frame: pl.DataFrame, columns: Sequence[str]) -> pl.DataFrame:
        """Python columns of ``frame`` in the row order of :attr:`data`."""
        keys = self.data.select(self.panel.region, self.panel.year)
        return keys.join(
            frame.select(self.panel.region, self.panel.year, *columns),
            on=[self.panel.region, self.panel.year],
            how="left",
            maintain_order="left",
        )


def _dimension_columns(ctx: _IndexContext) -> dict[str, tuple[str, list[int]]]:
    """Dimension → (its score column in ``.scores``, its indicator positions)."""
    columns = ctx.result.dimension_columns
    return {
        d: (columns[d], [j for j, dd in enumerate(ctx.spec.dimensions) if dd == d])
        for d in ctx.spec.dimension_names
    }


def _index_rows(rows: _Rows, ctx: _IndexContext, status: Mapping[str, str | None]) -> None:
    opts = ctx.options
    spec = ctx.spec
    entropy_method = isinstance(opts["weights"], str) and opts["weights"] == "entropy"
    dims = _dimension_columns(ctx)
    quantities = ["x''"]
    if entropy_method:
        quantities = ["entropy", "divergence", "weight", *quantities]
    if opts["method"] == "topsis":
        quantities += ["score", "d_plus", "d_minus", *(f"score[{d}]" for d in dims)]
    with _routine(rows, REFERENCE, quantities, status) as run:
        if not run:
            return
        X = ctx.X
        years = ctx.years
        per_year = opts["scope"] == "year"
        ref = rbridge.reference_entropy(
            X,
            spec.benefit,
            shift=opts["shift"],
            standardization=opts["standardization"],
            scope_groups=years if per_year else None,
        )
        # weights: R's own (entropy) or nqpf's (methods without an R reference)
        weight_note = None
        py_weights = ctx.result.weights
        if entropy_method and opts["zero_log"] == "zero":
            _entropy_rows(rows, ctx, ref, per_year)
            r_weights = _weights_by_block(ref["weight"], ref["groups"], per_year)
        else:
            if entropy_method:
                rows.skip(
                    REFERENCE,
                    ["entropy", "divergence", "weight"],
                    "zero_log='epsilon' (p + 1e-12) has no R reference: R uses 0·ln 0 = 0",
                )
                weight_note = "TOPSIS given nqpf's weights (zero_log='epsilon')"
            else:
                label = opts["weights"] if isinstance(opts["weights"], str) else "user"
                weight_note = f"TOPSIS given nqpf's {label} weights (no R reference for them)"
            r_weights = _python_weights(
                py_weights, ctx.panel.year, per_year, ctx.result.weight_column
            )
        # x'' = x' + shift, the matrix the entropy step and min–max TOPSIS use
        standardized = ctx.aligned(ctx.result.standardized, spec.names)
        x2 = standardized.select(spec.names).to_numpy() + opts["shift"]
        rows.compare(
            "x''",
            REFERENCE,
            [f"{w}, {name}" for w in ctx.where_rows() for name in spec.names],
            x2.ravel(),
            np.asarray(ref["Z"]).reshape(x2.shape).ravel(),
        )
        if opts["method"] != "topsis":
            rows.skip(
                REFERENCE,
                ["score"],
                "method='linear' (Σ w·x') has no R reference; its weights and x' are compared",
            )
            return
        _topsis_rows(rows, ctx, ref, r_weights, dims, weight_note)


def _entropy_rows(rows: _Rows, ctx: _IndexContext, ref: dict[str, Any], per_year: bool) -> None:
    names = list(ctx.spec.names)
    table = ctx.result.weights
    col = ctx.result.column
    if per_year:
        labels = [str(g) for g in ref["groups"]]
        keyed = {
            (str(r[ctx.panel.year]), r[col("indicator")]): r for r in table.iter_rows(named=True)
        }
        where = [f"{g}, {n}" for g in labels for n in names]
        for key in ("entropy", "divergence", "weight"):
            py = [keyed[(g, n)][col(key)] for g in labels for n in names]
            rows.compare(key, REFERENCE, where, py, np.asarray(ref[key]).reshape(-1))
    else:
        keyed = {r[col("indicator")]: r for r in table.iter_rows(named=True)}
        for key in ("entropy", "divergence", "weight"):
            py = [keyed[n][col(key)] for n in names]
            rows.compare(key, REFERENCE, names, py, np.asarray(ref[key]).ravel())


def _weights_by_block(weight: Any, groups: Any, per_year: bool) -> dict[str, np.ndarray]:
    """R's weights: {"": vector} pooled, or {year label: vector} per year."""
    w = np.asarray(weight, dtype=float)
    if not per_year:
        return {"": w.ravel()}
    w = w.reshape(len(groups), -1)
    return {str(g): w[i] for i, g in enumerate(groups)}


def _python_weights(
    table: pl.DataFrame, year: str, per_year: bool, weight: str = "weight"
) -> dict[str, np.ndarray]:
    if not per_year:
        return {"": table.get_column(weight).to_numpy().astype(float)}
    return {
        str(y): part.get_column(weight).to_numpy().astype(float)
        for (y,), part in table.partition_by(year, as_dict=True, maintain_order=True).items()
    }


def _topsis_rows(
    rows: _Rows,
    ctx: _IndexContext,
    ref: dict[str, Any],
    weights: dict[str, np.ndarray],
    dims: dict[str, tuple[str, list[int]]],
    weight_note: str | None,
) -> None:
    opts = ctx.options
    spec = ctx.spec
    normalization = opts["normalization"]
    per_year = opts["scope"] == "year"
    ideal = opts["ideal"]
    benefit = spec.benefit
    quantities = ["score", "d_plus", "d_minus", *(f"score[{d}]" for d in dims)]
    if normalization == "none" and not benefit.all():
        rows.skip(
            REFERENCE,
            quantities,
            "normalization='none' with cost indicators: the R reference orients only "
            "min–max or vector-normalised columns",
        )
        return
    if per_year and normalization == "vector" and ideal == "panel":
        rows.skip(
            REFERENCE,
            quantities,
            "scope='year' with normalization='vector' and ideal='panel' (per-year norms, "
            "panel ideals) has no R reference call",
        )
        return
    if normalization == "minmax":
        matrix, r_norm = np.asarray(ref["Z"], dtype=float).reshape(ctx.X.shape), "none"
    elif normalization == "vector":
        matrix, r_norm = ctx.X, "vector"
    else:
        matrix, r_norm = ctx.X, "none"
    years = ctx.years
    year_labels = np.asarray([str(y) for y in years])
    where = ctx.where_rows()
    python = ctx.result.scores
    notes = [n for n in (weight_note,) if n]
    if per_year and ideal == "panel":
        notes.append(
            "per-year weights: R called year by year with the panel's ideal and anti-ideal "
            "rows appended, so that its ideals are the panel's"
        )
    note = "; ".join(notes) or None

    def run(cols: list[int]) -> dict[str, np.ndarray]:
        sub = matrix[:, cols]
        ben = benefit[cols]
        # NaN until a block fills it: a row no block covers fails as "NaN on one side"
        out = {k: np.full(sub.shape[0], np.nan) for k in ("score", "d_plus", "d_minus")}
        if not per_year:
            w = weights[""][cols]
            blocks = [(np.arange(sub.shape[0]), w)]
        else:
            blocks = [
                (np.flatnonzero(year_labels == label), w[cols]) for label, w in weights.items()
            ]
        for idx, w in blocks:
            w = w / w.sum()  # a dimension's weights renormalised to sum to 1 (docs/design.md)
            block = sub[idx]
            groups = year_labels[idx] if ideal == "year" and not per_year else None
            extra = 0
            if per_year and ideal == "panel":
                block = np.vstack([block, sub.max(axis=0), sub.min(axis=0)])
                extra = 2
            value = rbridge.reference_topsis(
                None if r_norm == "vector" else block,
                w,
                weighting=opts["topsis"],
                ideal_groups=groups,
                normalization=r_norm,
                benefit=ben,
                X=block if r_norm == "vector" else None,
                absolute=ideal == "absolute",
                shift=opts["shift"],
            )
            for key in out:
                out[key][idx] = value[key][: value[key].size - extra]
        return out

    full = run(list(range(len(spec))))
    res = ctx.result
    own = {"score": res.score_column, "d_plus": res.d_plus_column, "d_minus": res.d_minus_column}
    aligned = ctx.aligned(python, list(own.values()))
    rows.compare("score", REFERENCE, where, aligned[own["score"]], full["score"], note=note)
    total = full["d_plus"] + full["d_minus"]
    for key in ("d_plus", "d_minus"):
        rows.compare(key, REFERENCE, where, aligned[own[key]], full[key], floor=total, note=note)
    for d, (column, cols) in dims.items():
        part = run(cols)
        py = ctx.aligned(python, [column])[column]
        rows.compare(f"score[{d}]", REFERENCE, where, py, part["score"], note=note)


def _vector_topsis_rows(rows: _Rows, ctx: _IndexContext, status: Mapping[str, str | None]) -> None:
    """nqpf's per-year vector TOPSIS against the CRAN TOPSIS routines."""
    adapters: list[tuple[str, Callable[..., np.ndarray], tuple[str, str]]] = [
        (TOPSIS, rbridge.topsis_topsis, ("+", "-")),
        (MCDA, rbridge.mcda_topsis, ("max", "min")),
        (MCDM, rbridge.mcdm_topsis_vector, ("max", "min")),
    ]
    if all(status.get(name) is not None for name, _, _ in adapters):
        for name, _, _ in adapters:
            with _routine(rows, name, [_VECTOR_QUANTITY], status):
                pass
        return
    opts = dict(ctx.options)
    variant_opts = {
        "scope": "year",
        "method": "topsis",
        "normalization": "vector",
        "topsis": "matrix",
        "ideal": "year",
    }
    if all(opts[k] == v for k, v in variant_opts.items()):
        variant = ctx.result
        note = "nqpf's index as run (already per-year vector TOPSIS)"
    else:
        if opts["scope"] == "panel":
            # the index's pooled weights, as user weights of a per-year run
            opts["weights"] = ctx.result.weights.get_column(ctx.result.weight_column).to_list()
            note = (
                "nqpf re-run with scope='year', normalization='vector', topsis='matrix', "
                "ideal='year' and the index's pooled weights"
            )
        else:
            note = (
                "nqpf re-run with normalization='vector', topsis='matrix', ideal='year' "
                "and the index's per-year weights"
            )
        opts |= variant_opts
        try:
            variant = entropy_topsis(ctx.panel, ctx.spec, keep=[], **opts)
        except InputError as exc:
            for name, _, _ in adapters:
                reason = status.get(name)
                if reason != "not requested":
                    rows.skip(
                        name,
                        [_VECTOR_QUANTITY],
                        reason or f"nqpf's per-year vector TOPSIS is not defined here: {exc}",
                    )
            return
    X = ctx.X
    years = ctx.years
    where = ctx.where_rows()
    python = ctx.aligned(variant.scores, [variant.score_column])[variant.score_column].to_numpy()
    weight_by_year = _python_weights(
        variant.weights, ctx.panel.year, per_year=True, weight=variant.weight_column
    )
    labels = np.asarray([str(y) for y in years])
    benefit = ctx.spec.benefit
    for name, adapter, words in adapters:
        with _routine(rows, name, [_VECTOR_QUANTITY], status) as run:
            if not run:
                continue
            kinds = [words[0] if b else words[1] for b in benefit]
            r_score = np.empty(X.shape[0])
            for label, w in weight_by_year.items():
                idx = np.flatnonzero(labels == label)
                r_score[idx] = adapter(X[idx], w, kinds)
            rows.compare(_VECTOR_QUANTITY, name, where, python, r_score, note=note)


# ---------------------------------------------------------------------------
# the Dagum decomposition


_DAGUM_QUANTITIES: dict[str, list[str]] = {
    REFERENCE: ["G", "Gw", "Gnb", "Gt", "Gjj", "Gjh", "Djh", "djh", "pjh"],
    LAEKEN: ["G", "Gw", "Gnb", "Gt", "Gjj", "Gjh", "Djh"],
    HMISC: ["Δ = 2μG", "Δjj = 2μj·Gjj"],
    DINEQ: ["G", "Gw", "Gnb", "Gt", "Gjj"],
    IC2: ["G", "Gw", "Gnb", "Gt", "Gjj"],
    INEQ: ["G"],
}


def _standard_rows(dec: DagumResult, frame: pl.DataFrame, by: str) -> Iterator[tuple[str, dict]]:
    """(by value, row under the standard output names) for each row of a result table.

    The by column is read first and left out, so that a by column named like an
    output column (whose output is then ``nqpf_<name>``) cannot shadow it.
    """
    standard = {v: k for k, v in dec.columns.items()}
    for r in frame.iter_rows(named=True):
        yield str(r[by]), {standard.get(c, c): v for c, v in r.items() if c != by}


def _dagum_rows(
    rows: _Rows,
    frame: pl.DataFrame,
    dec: DagumResult,
    group: str,
    by: str,
    dagum_weights: str | None,
    status: Mapping[str, str | None],
    value: str = "score",
) -> None:
    slices = []
    summary = dict(_standard_rows(dec, dec.overall, by))
    within: dict[str, dict[str, dict[str, Any]]] = {}
    for key, r in _standard_rows(dec, dec.within, by):
        within.setdefault(key, {})[r["group"]] = r
    between: dict[str, list[dict[str, Any]]] = {}
    for key, r in _standard_rows(dec, dec.between, by):
        between.setdefault(key, []).append(r)
    labels_all = frame.get_column(group).cast(pl.String)
    by_all = frame.get_column(by).cast(pl.String)
    y_all = frame.get_column(value).to_numpy().astype(float)
    w_all = (
        None
        if dagum_weights is None
        else frame.get_column(dagum_weights).cast(pl.Float64).to_numpy()
    )
    for key in summary:
        mask = (by_all == key).to_numpy()
        slices.append(
            (
                key,
                y_all[mask],
                np.asarray(labels_all.filter(pl.Series(mask)).to_list(), dtype=str),
                None if w_all is None else w_all[mask],
            )
        )

    def totals(
        get: Callable[[str], Mapping[str, float]],
        keys: Sequence[str],
        routine: str,
        notes: Mapping[str, str] | None = None,
    ) -> None:
        out: dict[str, tuple[list, list, list, list]] = {k: ([], [], [], []) for k in keys}
        for key, *_ in slices:
            r_vals = get(key)
            for k in keys:
                out[k][0].append(key)
                out[k][1].append(summary[key][k])
                out[k][2].append(r_vals[k])
                out[k][3].append(0.0 if k == "G" else r_vals["G"])
        for k in keys:
            where, py, rv, floor = out[k]
            note = (notes or {}).get(k)
            rows.compare(k, routine, where, py, rv, floor=floor, note=note)

    def within_rows(get: Callable[[str], Mapping[str, float]], routine: str) -> None:
        where, py, rv = [], [], []
        for key, *_ in slices:
            r_vals, ours = get(key), within[key]
            # a group on one side only fails as "NaN on one side"
            for label in [*ours, *(g for g in r_vals if g not in ours)]:
                where.append(f"{key}, {label}")
                py.append(ours[label]["Gjj"] if label in ours else math.nan)
                rv.append(r_vals.get(label, math.nan))
        rows.compare("Gjj", routine, where, py, rv)

    cache: dict[tuple[str, str], Any] = {}

    def per_slice(routine: str, fn: Callable[..., Any]) -> Callable[[str], Any]:
        def get(key: str) -> Any:
            if (routine, key) not in cache:
                _, y, g, w = next(s for s in slices if s[0] == key)
                cache[(routine, key)] = fn(y, g, w)
            return cache[(routine, key)]

        return get

    # r/ reference: every quantity
    with _routine(rows, REFERENCE, _DAGUM_QUANTITIES[REFERENCE], status) as run:
        if run:
            get = per_slice(REFERENCE, rbridge.reference_dagum)
            totals(get, ["G", "Gw", "Gnb", "Gt"], REFERENCE)
            within_rows(
                lambda key: dict(zip(get(key)["groups"], get(key)["Gjj"], strict=True)),
                REFERENCE,
            )
            _pair_rows(rows, REFERENCE, slices, between, get)

    with _routine(rows, LAEKEN, _DAGUM_QUANTITIES[LAEKEN], status) as run:
        if run:
            get = per_slice(LAEKEN, rbridge.laeken_dagum)
            totals(
                get,
                ["G", "Gw", "Gnb", "Gt"],
                LAEKEN,
                {
                    "Gnb": "laeken's Gini of the group means weighted by group size",
                    "Gw": "Σ Gjj·pj·sj from laeken's Gjj",
                    "Gt": "G − Gw − Gnb from laeken's Ginis",
                },
            )
            within_rows(lambda key: get(key)["Gjj"], LAEKEN)
            _pair_rows(rows, LAEKEN, slices, between, get)

    with _routine(rows, HMISC, _DAGUM_QUANTITIES[HMISC], status) as run:
        if run:
            if dagum_weights is not None:
                raise InputError("Hmisc::GiniMd takes no weights")
            where, py, rv = [], [], []
            for key, y, _g, _ in slices:
                rec = summary[key]
                mu = float(np.mean(y))
                where.append(key)
                py.append(2.0 * mu * rec["G"])
                rv.append(rbridge.hmisc_ginimd(y))
            note = "Hmisc's n(n−1) mean difference × (n−1)/n vs nqpf's 2μG"
            rows.compare("Δ = 2μG", HMISC, where, py, rv, note=note)
            where, py, rv = [], [], []
            for key, y, g, _ in slices:
                for label, rec in within[key].items():
                    values = y[g == label]
                    if values.size < 2:
                        continue
                    where.append(f"{key}, {label}")
                    py.append(2.0 * rec["mean"] * rec["Gjj"])
                    rv.append(rbridge.hmisc_ginimd(values))
            rows.compare(
                "Δjj = 2μj·Gjj",
                HMISC,
                where,
                py,
                rv,
                note="groups of at least 2 units; " + note.replace("2μG", "2μj·Gjj"),
            )

    for routine, fn in (
        (DINEQ, rbridge.dineq_gini_decomp),
        (IC2, rbridge.ic2_decomp_sgini),
    ):
        with _routine(rows, routine, _DAGUM_QUANTITIES[routine], status) as run:
            if run:
                get = per_slice(routine, fn)
                totals(get, ["G", "Gw", "Gnb", "Gt"], routine)
                within_rows(lambda key, get=get: get(key)["Gjj"], routine)

    with _routine(rows, INEQ, _DAGUM_QUANTITIES[INEQ], status) as run:
        if run:
            if dagum_weights is not None:
                raise InputError("ineq::Gini takes no weights")
            where, py, rv = [], [], []
            for key, y, _, _ in slices:
                where.append(key)
                py.append(summary[key]["G"])
                rv.append(rbridge.ineq_gini(y))
            rows.compare("G", INEQ, where, py, rv)


def _pair_rows(
    rows: _Rows,
    routine: str,
    slices: list[tuple[str, Any, Any, Any]],
    between: Mapping[str, list[dict[str, Any]]],
    get: Callable[[str], Any],
) -> None:
    """Gjh, Djh (and, from the reference, djh and pjh) for nqpf's pairs (μ_j ≥ μ_h).

    A pair on one side only fails as "NaN on one side".
    """
    keys = ["Gjh", "Djh"] + (["djh", "pjh"] if routine == REFERENCE else [])
    missing = dict.fromkeys(keys, math.nan)
    out: dict[str, tuple[list, list, list, list]] = {k: ([], [], [], []) for k in keys}

    def add(label: str, python: Mapping[str, float], got: Mapping[str, float]) -> None:
        whole = got.get("djh", 0.0) + got.get("pjh", 0.0)
        floors = {"Gjh": 0.0, "Djh": 1.0, "djh": whole, "pjh": whole}
        for k in keys:
            out[k][0].append(label)
            out[k][1].append(python[k])
            out[k][2].append(got[k])
            out[k][3].append(floors[k])

    for key, *_ in slices:
        r_vals = get(key)
        # R's pairs, keyed (higher-mean group, lower-mean group) by R's own means
        if routine == REFERENCE:
            r_pairs = {(p["group_j"], p["group_h"]): p for p in r_vals["pairs"]}
        else:
            r_pairs = {
                pair: {"Gjh": r_vals["Gjh"][pair], "Djh": r_vals["Djh"][pair]}
                for pair in r_vals["Gjh"]
            }
        for rec in between.get(key, []):
            j, h = rec["group_j"], rec["group_h"]
            got = r_pairs.pop((j, h), None)
            if got is None and (h, j) in r_pairs:  # R ordered a near-tie the other way
                flip = r_pairs.pop((h, j))
                got = {"Gjh": flip["Gjh"], "Djh": -flip["Djh"]}
                if routine == REFERENCE:
                    got |= {"djh": flip["pjh"], "pjh": flip["djh"]}
            add(f"{key}, {j}|{h}", rec, missing if got is None else got)
        for (j, h), got in r_pairs.items():
            add(f"{key}, {j}|{h}", missing, got)
    for k in keys:
        where, py, rv, floor = out[k]
        rows.compare(k, routine, where, py, rv, floor=floor)
