"""What every adapter reads: one :class:`Run` per call of :func:`nqpf.crossval.validate`.

A run holds the panel, the spec, the index options and nqpf's results (the
index, and with a group column its Dagum decomposition), the availability of
each routine, and the views the adapters share (the indicator matrix, the
Dagum slices, nqpf's per-year vector TOPSIS), each computed once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import polars as pl

from nqpf.dagum import DagumResult
from nqpf.index import IndexInput, IndexResult
from nqpf.options import IndexOptions
from nqpf.panel import IndicatorSpec, Panel

#: A Dagum slice: (by value, values, group labels, unit weights or None).
Slice = tuple[str, np.ndarray, np.ndarray, np.ndarray | None]


def index_keywords(options: IndexOptions) -> dict[str, Any]:
    """The index options as keywords of :func:`nqpf.entropy_topsis` (every option,
    also the TOPSIS ones of a linear index, as the call always gave them)."""
    return {name: getattr(options, name) for name in IndexOptions.names()}


@dataclass
class Run:
    """One cross-validation: nqpf's results and what the adapters share."""

    panel: Panel
    spec: IndicatorSpec
    options: IndexOptions
    result: IndexResult
    data: pl.DataFrame  # region, year, indicators: the rows nqpf used, sorted by year
    status: Mapping[str, str | None]  # routine → None (usable), a reason, "not requested"
    group: str | None = None
    by: str | None = None
    dagum_weights: str | None = None
    dagum: DagumResult | None = None
    dagum_frame: pl.DataFrame | None = None
    value_column: str = "score"
    #: The panel as the index read it (:func:`nqpf.prepare_index`): re-runs start here.
    prepared: IndexInput | None = None
    cache: dict[Any, Any] = field(default_factory=dict)

    # --- the index -----------------------------------------------------------

    @property
    def X(self) -> np.ndarray:
        return self.data.select(self.spec.names).to_numpy().astype(float)

    @property
    def years(self) -> np.ndarray:
        return self.data.get_column(self.panel.year).to_numpy()

    @property
    def per_year(self) -> bool:
        return self.options.scope == "year"

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

    def dimensions(self) -> dict[str, tuple[str, list[int]]]:
        """Dimension → (its score column in ``.scores``, its indicator positions)."""
        columns = self.result.dimension_columns
        return {
            d: (columns[d], [j for j, dd in enumerate(self.spec.dimensions) if dd == d])
            for d in self.spec.dimension_names
        }

    def once(self, key: Any, compute: Callable[[], Any]) -> Any:
        """``compute()`` the first time ``key`` is asked for, the stored value after."""
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]

    # --- the decomposition -----------------------------------------------------

    @cached_property
    def overall(self) -> dict[str, dict[str, Any]]:
        """By value → nqpf's overall row (standard output names)."""
        assert self.dagum is not None
        return dict(standard_rows(self.dagum, self.dagum.overall, self.by or ""))

    @cached_property
    def within(self) -> dict[str, dict[str, dict[str, Any]]]:
        """By value → group → nqpf's within row."""
        assert self.dagum is not None
        out: dict[str, dict[str, dict[str, Any]]] = {}
        for key, r in standard_rows(self.dagum, self.dagum.within, self.by or ""):
            out.setdefault(key, {})[r["group"]] = r
        return out

    @cached_property
    def between(self) -> dict[str, list[dict[str, Any]]]:
        """By value → nqpf's pair rows."""
        assert self.dagum is not None
        out: dict[str, list[dict[str, Any]]] = {}
        for key, r in standard_rows(self.dagum, self.dagum.between, self.by or ""):
            out.setdefault(key, []).append(r)
        return out

    @cached_property
    def slices(self) -> list[Slice]:
        """The values, labels and weights of each by slice, in the order of nqpf's table."""
        frame = self.dagum_frame
        assert frame is not None
        assert self.group is not None
        assert self.by is not None
        labels_all = frame.get_column(self.group).cast(pl.String)
        by_all = frame.get_column(self.by).cast(pl.String)
        y_all = frame.get_column(self.value_column).to_numpy().astype(float)
        w_all = (
            None
            if self.dagum_weights is None
            else frame.get_column(self.dagum_weights).cast(pl.Float64).to_numpy()
        )
        out: list[Slice] = []
        for key in self.overall:
            mask = (by_all == key).to_numpy()
            out.append(
                (
                    key,
                    y_all[mask],
                    np.asarray(labels_all.filter(pl.Series(mask)).to_list(), dtype=str),
                    None if w_all is None else w_all[mask],
                )
            )
        return out

    def per_slice(self, routine: str, fn: Callable[..., Any]) -> Callable[[str], Any]:
        """A getter: by value → ``fn(y, group, w)`` of that slice, each called once."""

        def get(key: str) -> Any:
            def compute() -> Any:
                _, y, g, w = next(s for s in self.slices if s[0] == key)
                return fn(y, g, w)

            return self.once((routine, key), compute)

        return get


def standard_rows(dec: DagumResult, frame: pl.DataFrame, by: str) -> Iterator[tuple[str, dict]]:
    """(by value, row under the standard output names) for each row of a result table.

    The by column is read first and left out, so that a by column named like an
    output column (whose output is then ``nqpf_<name>``) cannot shadow it.
    """
    standard = {v: k for k, v in dec.columns.items()}
    for r in frame.iter_rows(named=True):
        yield str(r[by]), {standard.get(c, c): v for c, v in r.items() if c != by}


def python_weights(
    table: pl.DataFrame, year: str, per_year: bool, weight: str = "weight"
) -> dict[str, np.ndarray]:
    """nqpf's weights: {"": vector} pooled, or {year label: vector} per year."""
    if not per_year:
        return {"": table.get_column(weight).to_numpy().astype(float)}
    return {
        str(y): part.get_column(weight).to_numpy().astype(float)
        for (y,), part in table.partition_by(year, as_dict=True, maintain_order=True).items()
    }
