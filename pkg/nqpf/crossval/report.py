"""The report of a cross-validation: :class:`CrossValReport` (a :class:`nqpf.results.Result`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import polars as pl

from nqpf.crossval.context import index_keywords
from nqpf.crossval.rows import DEFAULT_TOLERANCE
from nqpf.dagum import DagumResult
from nqpf.index import IndexResult
from nqpf.options import IndexOptions
from nqpf.results import Result

__all__ = ["CrossValReport"]


@dataclass(frozen=True, slots=True)
class CrossValReport(Result):
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
        The index options used (an :class:`~nqpf.options.IndexOptions`).
    r_available
        Whether R and rpy2 could be used at all.
    r_reason
        The one-line reason when they could not, else ``None``.
    index
        The nqpf index that was checked (an :class:`~nqpf.index.IndexResult`).
    dagum
        The nqpf Dagum decomposition of its score (``None`` without ``group``).
    tolerance, group, by, dagum_weights
        The parameters of the call (``by`` is None without ``group``).

    It follows the result protocol (:class:`nqpf.results.Result`): ``tables()``
    gives ``"checks"`` (the :attr:`table`) and ``"routines"``; ``summary()`` the
    text; ``write(path)`` the tables by extension; ``to_dict()`` plain content.
    """

    main_table: ClassVar[str] = "checks"
    title: ClassVar[str] = "nqpf cross-validation against R"

    table: pl.DataFrame
    routines: pl.DataFrame
    options: IndexOptions
    r_available: bool
    r_reason: str | None
    index: IndexResult
    dagum: DagumResult | None = None
    tolerance: float = DEFAULT_TOLERANCE
    group: str | None = None
    by: str | None = None
    dagum_weights: str | None = None

    def tables(self) -> dict[str, pl.DataFrame]:
        """``"checks"``: one row per quantity × routine; ``"routines"``: the R routines."""
        return {"checks": self.table, "routines": self.routines}

    @property
    def parameters(self) -> dict[str, Any]:
        """The index options (user weights as ``"user"``) and the call's own parameters:
        ``group``, ``by``, ``dagum_weights`` and ``tolerance`` (what the header shows,
        the files' metadata and ``to_dict()["options"]``)."""
        values = index_keywords(self.options)
        values["weights"] = self.options.weight_method
        return {
            **values,
            "group": self.group,
            "by": self.by if self.group is not None else None,
            "dagum_weights": self.dagum_weights,
            "tolerance": self.tolerance,
        }

    def _options(self) -> Mapping[str, Any]:
        return self.parameters

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
        """Plain JSON-ready content: kind, passed, counts, options (:attr:`parameters`),
        rows (the checks) and routines, and the protocol's ``tables``."""
        return {
            "kind": type(self).__name__,
            "passed": self.passed,
            "compared": self.compared.height,
            "failed": self.failed.height,
            "skipped": self.skipped.height,
            "r_available": self.r_available,
            "r_reason": self.r_reason,
            "options": {k: _plain(v) for k, v in self.parameters.items()},
            "rows": self.table.to_dicts(),
            "routines": self.routines.to_dicts(),
            "tables": {name: frame.to_dicts() for name, frame in self.tables().items()},
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
        f"{k}={v}" for k, v in report.parameters.items() if k not in {"tolerance"} and v is not None
    )
    verdict = "PASSED" if report.passed else "FAILED"
    if compared == 0:
        verdict = "nothing compared"
    return (
        f"nqpf cross-validation against R — {options}\n"
        f"{verdict}: {compared} compared, {failed} failed, {skipped} skipped "
        f"(tolerance {report.tolerance:g} relative)"
    )
