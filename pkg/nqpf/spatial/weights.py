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

    __slots__ = ("_aliases", "_id_set", "_ids", "_matrix", "_original", "source", "style")

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
            seen: set[str] = set()
            dup = [n for n in names if n in seen or seen.add(n)]  # type: ignore[func-returns-value]
            raise InputError(
                f"region ids repeat in the weights: {_show(dup)}", hint="give each region once"
            )
        if len(names) < MIN_REGIONS:
            raise InputError(
                f"spatial weights need at least {MIN_REGIONS} regions, got {len(names)}",
                hint="a spatial statistic compares a region with its neighbours: use more regions",
            )
        shape = getattr(matrix, "shape", None)
        if shape is None:
            matrix = np.asarray(matrix, dtype=float)
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
        # built once: align() resolves every region, and a set per lookup made it O(n²)
        self._id_set = frozenset(names)
        self._matrix = csr
        self._original = csr if _original is None else _original
        self.style = style
        self.source = source
        known = set(names)
        self._aliases = {str(a): str(i) for a, i in (aliases or {}).items() if str(i) in known}

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
        """The id that ``name`` stands for (itself or an alias), or ``None``."""
        text = str(name)
        if text in self._aliases:
            return self._aliases[text]
        return text if text in self._id_set else None

    def align(self, regions: Sequence[Any], *, what: str = "the data") -> SpatialWeights:
        """These weights reordered to ``regions`` (the data's regions, in the data's
        order; aliases accepted), style kept.

        Raises :class:`~nqpf.errors.InputError` naming a region in ``regions`` but not
        in W, or a region of W missing from ``regions`` (a statistic over part of W
        would silently drop links), or a region given twice.
        """
        names = _names(regions)
        index = {name: i for i, name in enumerate(self._ids)}
        ids = [self.resolve(name) for name in names]
        missing = [n for n, i in zip(names, ids, strict=True) if i is None]
        if missing:
            raise InputError(
                f"{len(missing)} region(s) of {what} are not in the spatial weights: {_show(missing)}",
                hint="check their spelling against the weights' ids, or give weights that cover them",
            )
        if len(set(ids)) != len(ids):
            seen: set[str | None] = set()
            dup = [n for n, i in zip(names, ids, strict=True) if i in seen or seen.add(i)]  # type: ignore[func-returns-value]
            raise InputError(
                f"regions of {what} name the same region of the weights twice: {_show(dup)}"
            )
        given = set(ids)
        absent = [name for name in self._ids if name not in given]
        if absent:
            raise InputError(
                f"{len(absent)} region(s) of the spatial weights have no rows in {what}: {_show(absent)}",
                hint="give data for every region of the weights, or build weights for the regions you have",
            )
        order = np.asarray([index[i] for i in ids])  # type: ignore[index]
        matrix = self._matrix[order][:, order]
        original = self._original[order][:, order]
        return SpatialWeights(
            names, matrix, style=self.style, aliases=None, source=self.source, _original=original
        )

    def check_islands(self, *, what: str = "this statistic") -> None:
        """Raise :class:`~nqpf.errors.InputError` naming the islands (regions without a
        neighbour), which leave a spatial lag undefined."""
        islands = self.islands
        if islands:
            raise InputError(
                f"{len(islands)} region(s) have no neighbour in the spatial weights, so {what} "
                f"is undefined for them: {_show(list(islands))}",
                hint="link each island to its nearest region (from_neighbours with the link added, "
                "or knn weights), or leave the islands out of the data and the weights",
            )

    def to_libpysal(self) -> Any:
        """These weights as a ``libpysal.weights.W`` (ids as given, same style)."""
        from libpysal.weights import W

        neighbours = {k: list(v) for k, v in self.neighbours.items()}
        weights = {k: list(v) for k, v in self.weights.items()}
        return W(neighbours, weights, id_order=list(self._ids), silence_warnings=True)


def from_matrix(
    matrix: Any, ids: Sequence[Any], *, style: Style = "o", source: str = "a matrix"
) -> SpatialWeights:
    """Weights from an n × n matrix (dense, sparse, or a polars/pandas frame of numbers)
    whose rows and columns follow ``ids``."""
    if hasattr(matrix, "to_numpy") and not hasattr(matrix, "tocsr"):
        try:
            matrix = matrix.to_numpy().astype(float)
        except (TypeError, ValueError) as error:
            raise InputError(
                "the weights matrix has a cell that is not a number", hint="give numbers only"
            ) from error
    return SpatialWeights(ids, matrix, style=style, source=source)


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
    from scipy import sparse

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
    # a link listed twice keeps its last weight (as a dict would), not the sum
    matrix = sparse.dok_array((n, n), dtype=float)
    for r, c, v in zip(rows.tolist(), cols.tolist(), vals.tolist(), strict=True):
        matrix[r, c] = v
    matrix = sparse.csr_array(matrix)
    if symmetric and weights is None:
        matrix = matrix.maximum(matrix.T)
    return SpatialWeights(ids, matrix, source=source)
