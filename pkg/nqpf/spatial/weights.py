"""Spatial weights: who is whose neighbour, and with what weight.

A :class:`SpatialWeights` holds n region ids and an n × n sparse matrix W (row i, column
j: the weight of region j in region i's neighbourhood; zero diagonal, no negative
weights). It is immutable: :meth:`SpatialWeights.transform` returns a new object.

Styles follow spdep's ``nb2listw(style=)`` (Bivand & Wong 2018) and libpysal's
``W.transform``:

- ``"o"`` — the weights as given (binary contiguity, inverse distances, …);
- ``"b"`` — binary, w_ij = 1 wherever the given weight is positive (spdep "B");
- ``"r"`` — row-standardised, w_ij / Σ_k w_ik, so each row sums to 1 (spdep "W");
  an island's row stays all zero.

The statistics (Moran, Geary, Getis–Ord, local Moran/G) take a SpatialWeights and align
it to the data's regions with :meth:`SpatialWeights.align`, which names any region in
the data but not in W and the reverse.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

import numpy as np

from nqpf.errors import InputError

__all__ = ["SpatialWeights", "Style", "from_matrix", "from_neighbours"]

Style = Literal["o", "b", "r"]
STYLES: tuple[str, ...] = ("o", "b", "r")
#: The fewest regions a spatial statistic is defined for (E[I] = −1/(n−1) and the
#: variance need n ≥ 3; spdep refuses fewer too).
MIN_REGIONS = 3


def _names(values: Iterable[Any]) -> list[str]:
    return [str(v) for v in values]


def check_count(n: int, *, file: str | None = None) -> None:
    """Refuse fewer than :data:`MIN_REGIONS` regions."""
    if n < MIN_REGIONS:
        raise InputError(
            f"spatial weights need at least {MIN_REGIONS} regions, got {n}",
            file=file,
            hint="a spatial statistic compares a region with its neighbours: use more regions",
        )


def _repeats(names: Sequence[Any], keys: Sequence[Any] | None = None) -> list[Any]:
    """The names whose key (the name itself by default) was seen before, in order."""
    seen: set[Any] = set()
    out = []
    for name, key in zip(names, names if keys is None else keys, strict=True):
        if key in seen:
            out.append(name)
        seen.add(key)
    return out


def _show(names: Sequence[str], limit: int = 5) -> str:
    shown = ", ".join(repr(n) for n in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


class SpatialWeights:
    """Spatial weights over named regions.

    Parameters
    ----------
    ids
        The region ids, in matrix order (text; numbers are compared by their text).
    matrix
        n × n weights (anything ``scipy.sparse.csr_array`` accepts), non-negative, zero
        diagonal.
    style
        What ``matrix`` is: ``"o"`` as given (default), ``"b"`` binary or ``"r"``
        row-standardised.
    aliases
        Other names of the same regions (alias → id), e.g. ``{"Xizang": "Tibet",
        "西藏": "Tibet"}``; :meth:`align` accepts them in the data.
    source
        One line saying where the weights come from (shown in reports).

    Examples
    --------
    >>> w = from_neighbours({"a": ["b"], "b": ["a", "c"], "c": ["b"]})
    >>> w.neighbours["b"]
    ('a', 'c')
    >>> w.transform("r").weights["b"]
    (0.5, 0.5)
    """

    __slots__ = ("_aliases", "_ids", "_index", "_matrix", "_original", "source", "style")

    def __init__(
        self,
        ids: Sequence[Any],
        matrix: Any,
        *,
        style: Style = "o",
        aliases: Mapping[str, str] | None = None,
        source: str = "",
        _original: Any = None,
    ) -> None:
        from scipy import sparse

        names = _names(ids)
        if len(set(names)) != len(names):
            dup = _repeats(names)
            raise InputError(
                f"region ids repeat in the weights: {_show(dup)}", hint="give each region once"
            )
        check_count(len(names))
        shape = getattr(matrix, "shape", None)
        if shape is None:
            try:
                matrix = np.asarray(matrix, dtype=float)
            except (TypeError, ValueError) as error:
                raise InputError(
                    "the weights matrix has a cell that is not a number, or rows of unequal length",
                    hint="give an n × n matrix of numbers",
                ) from error
            shape = matrix.shape
        if len(shape) != 2 or shape[0] != shape[1]:
            raise InputError(
                f"the weights matrix must be square, got shape {tuple(shape)}",
                hint="give an n × n matrix",
            )
        if shape[0] != len(names):
            raise InputError(
                f"the weights matrix is {shape[0]} × {shape[1]} but {len(names)} region ids were given",
                hint="give one id per row of the matrix",
            )
        csr = sparse.csr_array(matrix, dtype=float)
        csr.eliminate_zeros()
        csr.sort_indices()
        data = csr.data
        if not np.isfinite(data).all():
            raise InputError(
                "the weights matrix has a missing or infinite weight", hint="give finite weights"
            )
        if (data < 0).any():
            i = int(np.flatnonzero(data < 0)[0])
            row = int(np.searchsorted(csr.indptr, i, side="right") - 1)
            raise InputError(
                f"negative weight {data[i]:g} between {names[row]!r} and {names[csr.indices[i]]!r}",
                hint="spatial weights are non-negative",
            )
        if csr.diagonal().any():
            selfs = [names[i] for i in np.flatnonzero(csr.diagonal())]
            raise InputError(
                f"a region is its own neighbour: {_show(selfs)}",
                hint="set the diagonal of the weights matrix to 0",
            )
        if style not in STYLES:
            raise InputError(
                f"unknown weights style {style!r}", hint="choose one of " + ", ".join(STYLES)
            )
        self._ids = tuple(names)
        self._matrix = csr
        self._original = csr if _original is None else _original
        self.style = style
        self.source = source
        self._index = {name: i for i, name in enumerate(names)}
        self._aliases = _checked_aliases(aliases, self._index)

    # -- what it holds -------------------------------------------------------------------
    @property
    def ids(self) -> tuple[str, ...]:
        """The region ids in matrix order."""
        return self._ids

    @property
    def n(self) -> int:
        return len(self._ids)

    @property
    def sparse(self) -> Any:
        """W as a ``scipy.sparse.csr_array`` (a copy: the object stays immutable)."""
        return self._matrix.copy()

    def dense(self) -> np.ndarray:
        """W as a dense n × n array."""
        return self._matrix.toarray()

    @property
    def aliases(self) -> dict[str, str]:
        return dict(self._aliases)

    @property
    def neighbours(self) -> dict[str, tuple[str, ...]]:
        """Region → its neighbours (in matrix order)."""
        m, ids = self._matrix, self._ids
        return {
            ids[i]: tuple(ids[j] for j in m.indices[m.indptr[i] : m.indptr[i + 1]])
            for i in range(self.n)
        }

    @property
    def weights(self) -> dict[str, tuple[float, ...]]:
        """Region → the weights of its neighbours (same order as :attr:`neighbours`)."""
        m = self._matrix
        return {
            self._ids[i]: tuple(float(v) for v in m.data[m.indptr[i] : m.indptr[i + 1]])
            for i in range(self.n)
        }

    @property
    def cardinalities(self) -> dict[str, int]:
        """Region → number of neighbours."""
        counts = np.diff(self._matrix.indptr)
        return {name: int(c) for name, c in zip(self._ids, counts, strict=True)}

    @property
    def islands(self) -> tuple[str, ...]:
        """Regions without any neighbour."""
        counts = np.diff(self._matrix.indptr)
        return tuple(self._ids[i] for i in np.flatnonzero(counts == 0))

    @property
    def s0(self) -> float:
        """S0 = Σ_i Σ_j w_ij."""
        return float(self._matrix.data.sum())

    def is_symmetric(self, tol: float = 0.0) -> bool:
        """Whether w_ij = w_ji for all pairs (within ``tol``; a row-standardised W of
        unequal neighbour counts is not symmetric)."""
        m = self._matrix
        diff = abs(m - m.T)
        return bool(diff.nnz == 0 or diff.max() <= tol)

    def __repr__(self) -> str:
        return (
            f"SpatialWeights(n={self.n}, links={self._matrix.nnz}, style={self.style!r}, "
            f"islands={len(self.islands)})"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SpatialWeights):
            return NotImplemented
        return (
            self._ids == other._ids
            and self.style == other.style
            and (self._matrix != other._matrix).nnz == 0
        )

    __hash__ = None  # type: ignore[assignment]

    def to_frame(self) -> Any:
        """The links as a polars frame: ``focal``, ``neighbour``, ``weight`` (one row per
        link, in matrix order)."""
        import polars as pl

        m = self._matrix
        rows = np.repeat(np.arange(self.n), np.diff(m.indptr))
        ids = np.asarray(self._ids, dtype=object)
        return pl.DataFrame(
            {
                "focal": ids[rows].tolist(),
                "neighbour": ids[m.indices].tolist(),
                "weight": m.data.astype(float),
            },
            schema={"focal": pl.String, "neighbour": pl.String, "weight": pl.Float64},
        )

    def to_matrix_frame(self, *, id: str = "id") -> Any:
        """W as a polars frame: an ``id`` column of the region ids, then one column per
        region (the n × n matrix, in matrix order), e.g. to write as CSV or XLSX."""
        import polars as pl

        if id in self._index:
            raise InputError(
                f"the id column name {id!r} is also a region id", hint="choose another id="
            )
        dense = self.dense()
        return pl.DataFrame(
            {id: list(self._ids), **{name: dense[:, k] for k, name in enumerate(self._ids)}}
        )

    # -- new weights from these ----------------------------------------------------------
    def transform(self, style: Style) -> SpatialWeights:
        """These weights in ``style`` (``"o"`` as given, ``"b"`` binary, ``"r"``
        row-standardised; see the module docstring). The given weights are kept, so
        ``w.transform("r").transform("o")`` is ``w``."""
        from scipy import sparse

        if style not in STYLES:
            raise InputError(
                f"unknown weights style {style!r}", hint="choose one of " + ", ".join(STYLES)
            )
        base = self._original
        if style == "o":
            matrix = base
        elif style == "b":
            matrix = sparse.csr_array(
                (np.ones_like(base.data), base.indices, base.indptr), shape=base.shape
            )
        else:
            sums = np.asarray(base.sum(axis=1), dtype=float).ravel()
            sums = np.where(np.diff(base.indptr) > 0, sums, 1.0)  # islands keep a zero row
            rows = np.repeat(np.arange(self.n), np.diff(base.indptr))
            matrix = sparse.csr_array(
                (base.data / sums[rows], base.indices, base.indptr), shape=base.shape
            )
        return SpatialWeights(
            self._ids,
            matrix,
            style=style,
            aliases=self._aliases,
            source=self.source,
            _original=base,
        )

    def resolve(self, name: Any) -> str | None:
        """The id that ``name`` stands for (itself or an alias), or ``None``. An id wins
        over an alias (an alias never names another region: see the constructor)."""
        text = str(name)
        if text in self._index:
            return text
        return self._aliases.get(text)

    def _resolve_all(self, names: list[str], what: str) -> list[str]:
        """The ids that ``names`` stand for, refusing unknown names and a region named
        twice."""
        ids = [self.resolve(name) for name in names]
        missing = [n for n, i in zip(names, ids, strict=True) if i is None]
        if missing:
            raise InputError(
                f"{len(missing)} region(s) of {what} are not in the spatial weights: {_show(missing)}",
                hint="check their spelling against the weights' ids, or give weights that cover them",
            )
        if len(set(ids)) != len(ids):
            dup = _repeats(names, ids)
            raise InputError(
                f"regions of {what} name the same region of the weights twice: {_show(dup)}"
            )
        return ids  # type: ignore[return-value]

    def align(self, regions: Sequence[Any], *, what: str = "the data") -> SpatialWeights:
        """These weights reordered to ``regions`` (the data's regions, in the data's
        order; aliases accepted), style kept.

        Raises :class:`~nqpf.errors.InputError` naming a region in ``regions`` but not
        in W, or a region of W missing from ``regions`` (a statistic over part of W
        would silently drop links: :meth:`subset` drops them on purpose), or a region
        given twice.
        """
        names = _names(regions)
        ids = self._resolve_all(names, what)
        given = set(ids)  # once: a set per id would make aligning n counties O(n²)
        absent = [name for name in self._ids if name not in given]
        if absent:
            raise InputError(
                f"{len(absent)} region(s) of the spatial weights have no rows in {what}: {_show(absent)}",
                hint="give data for every region of the weights, or keep only the regions you "
                "have with w.subset(regions) (their links to the others are dropped)",
            )
        order = np.asarray([self._index[i] for i in ids], dtype=np.int64)
        matrix = self._matrix[order][:, order]
        original = self._original[order][:, order]
        return SpatialWeights(
            names, matrix, style=self.style, aliases=None, source=self.source, _original=original
        )

    def subset(self, regions: Sequence[Any], *, what: str = "the subset") -> SpatialWeights:
        """These weights over ``regions`` only, in their order (aliases accepted and
        resolved to the weights' own ids): the links to the other regions are dropped
        and the style is applied again, so a row-standardised W stays row-standardised
        over the regions kept (as spdep's ``subset.nb`` then ``nb2listw``).

        The usual 30-province sample without Tibet:
        ``contiguity("china-provinces").subset([p for p in provinces if p != "Tibet"])``.
        A region left without a neighbour is an island (:attr:`islands`).
        """
        names = _names(regions)
        ids = self._resolve_all(names, what)
        order = np.asarray([self._index[i] for i in ids], dtype=np.int64)
        base = SpatialWeights(
            ids,
            self._original[order][:, order],
            aliases=self._aliases,
            source=f"{self.source}, {len(ids)} of {self.n} regions" if self.source else "",
        )
        return base.transform(self.style) if self.style != "o" else base

    def check_islands(self, *, what: str = "this statistic") -> None:
        """Raise :class:`~nqpf.errors.InputError` naming the islands (regions without a
        neighbour), which leave a spatial lag undefined."""
        islands = self.islands
        if islands:
            raise InputError(
                f"{len(islands)} region(s) have no neighbour in the spatial weights, so {what} "
                f"is undefined for them: {_show(list(islands))}",
                hint="link each island to its nearest region (link_islands=True of contiguity or "
                "from_file, or from_neighbours with the link added), use knn weights, or leave "
                "the islands out of the data and the weights (w.subset)",
            )

    def to_libpysal(self) -> Any:
        """These weights as a ``libpysal.weights.W`` (ids as given, same style)."""
        from libpysal.weights import W

        neighbours = {k: list(v) for k, v in self.neighbours.items()}
        weights = {k: list(v) for k, v in self.weights.items()}
        return W(neighbours, weights, id_order=list(self._ids), silence_warnings=True)


def _checked_aliases(aliases: Mapping[Any, Any] | None, index: Mapping[str, int]) -> dict[str, str]:
    """alias → id for the aliases that name a region of these weights (others are dropped:
    a built-in alias list covers regions a subset may lack). An alias that is itself
    another region's id would make a name mean two regions, so it is refused."""
    checked: dict[str, str] = {}
    for alias, target in (aliases or {}).items():
        a, t = str(alias), str(target)
        if t not in index:
            continue
        if a in index and a != t:
            raise InputError(
                f"the alias {a!r} of region {t!r} is itself a region id of the weights",
                hint="remove that alias: an alias must not name another region",
            )
        if a != t:
            checked[a] = t
    return checked


def from_matrix(
    matrix: Any,
    ids: Sequence[Any] | None = None,
    *,
    style: Style = "o",
    source: str = "a matrix",
    id: str = "id",
) -> SpatialWeights:
    """Weights from an n × n matrix (dense, sparse, or a polars/pandas frame of numbers)
    whose rows and columns follow ``ids``.

    A frame may carry the ids itself, as a matrix kept in a spreadsheet does (the region
    names down the first column, e.g. a 0–1 adjacency matrix of provinces): leave
    ``ids`` out and name that column with ``id=`` (``"id"``, as
    :meth:`SpatialWeights.to_matrix_frame` writes). When a frame's other column names
    are the region ids, the columns are matched by name (their order may differ from the
    rows'); a name that is not a row's region is refused.
    """
    if hasattr(matrix, "columns") and not hasattr(matrix, "tocsr"):
        matrix, ids = _frame_matrix(matrix, ids, id)
    if hasattr(matrix, "to_numpy") and not hasattr(matrix, "tocsr"):
        try:
            matrix = matrix.to_numpy().astype(float)
        except (TypeError, ValueError) as error:
            raise InputError(
                "the weights matrix has a cell that is not a number", hint="give numbers only"
            ) from error
    if ids is None:
        raise InputError(
            "the region ids of the matrix rows are not given", hint="give ids= (one per row)"
        )
    return SpatialWeights(ids, matrix, style=style, source=source)


def _frame_matrix(frame: Any, ids: Sequence[Any] | None, id: str) -> tuple[Any, list[str]]:
    """The number columns of a weights frame in the rows' order, and the row ids (from
    ``ids`` or the frame's ``id`` column)."""
    columns = [str(c) for c in frame.columns]
    if ids is None:
        if id not in columns:
            raise InputError(
                f"the weights frame has no id column {id!r} (columns: {_show(columns, 8)})",
                hint="name the column of region ids with id=, or give ids=",
            )
        ids = _names(frame[id])
        columns = [c for c in columns if c != id]
    names = _names(ids)
    if set(columns) == set(names):
        columns = names  # the same regions by name: match them, whatever their order
    elif set(columns) & set(names):
        stray = [c for c in columns if c not in set(names)]
        missing = [n for n in names if n not in set(columns)]
        raise InputError(
            "the weights frame's columns and rows name different regions: "
            + (f"columns not among the rows {_show(stray)}" if stray else "")
            + ("; " if stray and missing else "")
            + (f"rows without a column {_show(missing)}" if missing else ""),
            hint="give one column per region of the rows",
        )
    return frame[columns], names


def from_neighbours(
    neighbours: Mapping[Any, Iterable[Any]],
    weights: Mapping[Any, Iterable[float]] | None = None,
    *,
    symmetric: bool = True,
    source: str = "a neighbour list",
) -> SpatialWeights:
    """Weights from a neighbour list ``{region: [neighbours]}`` (binary unless
    ``weights`` gives each region's neighbour weights in the same order).

    A neighbour that is not itself a key becomes a region (with the links given to it).
    With ``symmetric=True`` (default, as contiguity is) a link given one way only is
    added the other way too (binary lists only); pass ``symmetric=False`` to keep a
    directed list as given.
    """
    ids: list[str] = []
    seen: set[str] = set()

    def add(name: Any) -> str:
        text = str(name)
        if text not in seen:
            seen.add(text)
            ids.append(text)
        return text

    links: list[tuple[str, str, float]] = []
    for focal, nbs in neighbours.items():
        f = add(focal)
        if isinstance(nbs, str | bytes):
            raise InputError(
                f"the neighbours of {f!r} must be a list, got the text {nbs!r}", hint="write [..]"
            )
        nbs = list(nbs)
        ws = [1.0] * len(nbs) if weights is None else [float(x) for x in weights.get(focal, [])]
        if len(ws) != len(nbs):
            raise InputError(
                f"{f!r} has {len(nbs)} neighbours but {len(ws)} weights",
                hint="give one weight each",
            )
        for nb, wt in zip(nbs, ws, strict=True):
            links.append((f, add(nb), wt))
    index = {name: i for i, name in enumerate(ids)}
    n = len(ids)
    for f, nb, _ in links:
        if f == nb:
            raise InputError(
                f"{f!r} is listed as its own neighbour", hint="remove it from its own list"
            )
    rows = np.asarray([index[f] for f, _, _ in links], dtype=np.int64)
    cols = np.asarray([index[nb] for _, nb, _ in links], dtype=np.int64)
    vals = np.asarray([wt for _, _, wt in links], dtype=float)
    matrix = _last_wins(rows, cols, vals, n)
    if symmetric and weights is None:
        matrix = matrix.maximum(matrix.T)
    return SpatialWeights(ids, matrix, source=source)


def _last_wins(rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, n: int) -> Any:
    """An n × n csr matrix of the links (rows[k], cols[k]) → vals[k]; a link listed
    twice keeps its last weight (as a dict would), not the sum a sparse constructor adds."""
    from scipy import sparse

    key = rows * n + cols
    # np.unique gives each key's first position; on the reversed arrays that is the last
    _, first = np.unique(key[::-1], return_index=True)
    last = key.size - 1 - first
    return sparse.csr_array((vals[last], (rows[last], cols[last])), shape=(n, n))
