"""Cross-validation against R: every number of an index run, quantity by quantity.

:func:`validate` (also available under its former name :func:`compare`) runs
nqpf on a panel (the index, and with ``group`` the Dagum decomposition of its
score) and recomputes each quantity with R routines through :mod:`nqpf.rbridge`.
The result is a :class:`CrossValReport` whose ``.table`` has one row per
quantity × routine.

Each R routine is one adapter (``nqpf/crossval/routines/<name>.py``) in a
registry (:mod:`nqpf.crossval.registry`): what it checks, which R package it
needs, which index option values it reproduces (declared in
:class:`nqpf.options.IndexOptions` terms and checked at import), how it is
called and why it is skipped when it cannot run. :func:`adapters` lists them.

What is compared with what
--------------------------
``r/nqpf_reference.R`` (base R, wherever R is; adapters ``reference_index`` and
``reference_dagum``)
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
``spdep::moran.test``, ``geary.test``, ``globalG.test``, ``localmoran``, ``localG`` (Debian)
    With ``spatial_weights=`` (a :class:`nqpf.spatial.SpatialWeights`), the index
    score's Moran's I, Geary's C, Getis–Ord G, local Moran and Gi / Gi* by year
    (value, E, Var, z, p_norm); without it the rows are skipped. The same checks run
    on any frame with :func:`validate_spatial` (see :mod:`nqpf.crossval.spatial`).
``spatialreg::lagsarlm``, ``errorsarlm``, ``lagsarlm(type="mixed")`` (Debian)
    With ``spatial_weights=``, the cross-section absolute spatial β-convergence of
    the score (first to last year) under the SAR, SEM and SDM: constant, β (θ on
    W·ln x for the SDM), ρ or λ, log-likelihood and the direct / indirect / total
    effects of β (``impacts()``); tolerance 1e-6 (R's optimiser stops at √ε in ρ;
    see :mod:`nqpf.crossval.routines.spatialreg`); skipped without weights.
``markovchain::markovchainFit``, ``plm::plm`` (Debian), ``stats::density`` (base R; :func:`validate_dynamics`)
    Not part of :func:`validate`: on any region × year panel, the classic Markov
    chain's transition probabilities and steady state (nqpf's states, R's fit),
    the annual-panel β-convergence (slopes, clustered SEs, n) with plm, and the
    kernel densities by year (bandwidth, grid, the reflected density against R's
    binned estimate within a pointwise binning bound and against an exact sum in
    R); see :mod:`nqpf.crossval.dynamics`.

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

from nqpf.crossval.dynamics import validate_dynamics
from nqpf.crossval.registry import Part, Routine, adapters, register, routine_names
from nqpf.crossval.report import CrossValReport
from nqpf.crossval.rows import DEFAULT_TOLERANCE, Rows
from nqpf.crossval.spatial import validate_spatial
from nqpf.crossval.validation import compare, validate

__all__ = [
    "DEFAULT_TOLERANCE",
    "ROUTINES",
    "CrossValReport",
    "Part",
    "Routine",
    "adapters",
    "compare",
    "register",
    "validate",
    "validate_dynamics",
    "validate_spatial",
]

#: The routines :func:`validate` uses, in the order of the report (from the registry).
ROUTINES: tuple[str, ...] = routine_names()

# the comparison rule's row collector, under its former private name
_Rows = Rows
