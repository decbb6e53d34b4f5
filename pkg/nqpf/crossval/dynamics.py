"""The dynamics section of crossval: nqpf's distribution dynamics against R's
markovchain, plm and stats::density.

:func:`validate_dynamics` compares, on a region × year panel,

- the classic Markov chain (:func:`nqpf.markov_chain` under the given
  :class:`~nqpf.options.MarkovOptions`): nqpf cuts the values into states, and
  ``markovchain::markovchainFit(method = "mle")`` fits the chain of those state
  sequences (R counts the transitions itself, a missing region-year breaks a
  sequence); every transition probability P_ij and the steady state
  (``steadyStates``) are compared (adapter ``nqpf/crossval/routines/markovchain.py``);
- the annual-panel β-convergence (:func:`nqpf.beta_convergence` with
  ``horizon="annual"``: pooled, region or two-way fixed effects, optional controls)
  with ``plm::plm`` (``model = "pooling"`` / ``"within"``, growth and lags built by
  plm from the panel index) and its cluster-robust ``vcovHC(method = "arellano",
  cluster = "group")``: the slopes, their standard errors and the number of growth
  observations (adapter ``nqpf/crossval/routines/plm.py``). The cross-section β
  (``horizon="period"``) has no plm counterpart and is listed as skipped;
- the kernel densities by year (and group) (:func:`nqpf.kernel_density` under the
  ``density=`` keywords, reflected at the bounds when given) with ``stats::density``:
  the bandwidth against ``bw.nrd0`` / ``bw.nrd``, the grid against ``density(cut =)``'s,
  the density against R's binned FFT estimate of the values and their reflected copies
  c(x, 2a − x, 2b − x) (each copy of weight 1/n: R has no reflection option) restricted
  to [a, b], and against the exact kernel sum evaluated in R (adapter
  ``nqpf/crossval/routines/density.py``).

The comparison rule is crossval's (``rel_diff ≤ tolerance``, default 1e-10), and
each quantity's conditioning says why it holds:

- P_ij = n_ij / Σ_j n_ij is one division of integer counts, exactly represented, on
  both sides: identical up to one rounding (ε = 2⁻⁵² relative). A state never left
  has no probabilities (NaN in nqpf, a zero row in R): its cells are not compared and
  the row's note names it.
- The steady state π solves [I − Pᵀ; 1ᵀ] π = [0; 1]; two backward-stable solvers
  (nqpf's eigenvector, markovchain's) agree to ≲ 4kε·κ₂ of that system, absolute
  (π sums to 1: the floor is 1). The note gives κ₂; when the bound exceeds the
  tolerance, the bound is the tolerance.
- The β slopes are least squares, by demeaning (nqpf) and by plm's within
  transformation and QR: agreement ≲ 2mε·κ₂(X)² for m observations (Wedin's bound
  with non-zero residuals), X the slopes' design after the fixed effects are
  partialled out (Frisch–Waugh–Lovell); the estimates are compared normwise (floor:
  the norm of the slopes), the SEs relative. When the bound exceeds the tolerance,
  the bound is the tolerance (the note says so). nqpf's default small-sample
  convention (``small_sample="stata"``) is plm's HC0 sandwich times G/(G − 1)·(N −
  1)/(N − K), K = slopes + year dummies + 1 (:func:`nqpf.beta_convergence`); with
  ``small_sample="plm"`` it is ``vcovHC(type = "sss")`` itself.
- The densities' tolerances are pointwise bounds computed from the data at run time
  (:mod:`nqpf.crossval.routines.density`): the bandwidth a few ε (the two-pass
  variance, the quantiles); the exact sum 2(N + 2)ε of itself plus its arguments'
  rounding, N the number of kernel terms; R's ``density()`` the error of its linear
  binning and linear interpolation (δ²/8·Σw·sup|K''| each, δ the bin width), its
  kernel grid's scale (R < 4.4, kept by ``old.coords = TRUE``), the reflected copies
  beyond its binning range and the FFT's rounding. Each row shows the point with the
  largest rel_diff/tolerance and that point's tolerance.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from nqpf.crossval.registry import adapters
from nqpf.crossval.rows import DEFAULT_TOLERANCE, Rows
from nqpf.options import MarkovOptions

__all__ = ["SECTIONS", "DynamicsRun", "validate_dynamics"]

#: The report's section of :func:`validate_dynamics`.
SECTIONS = ("dynamics",)


@dataclass
class DynamicsRun:
    """What the dynamics adapters read: the panel, its columns and the options of the
    analyses (nqpf's results computed once)."""

    frame: pl.DataFrame
    value: str
    region: str
    year: str
    markov: MarkovOptions
    beta: Mapping[str, Any]
    status: Mapping[str, str | None]
    density: tuple[Mapping[str, Any], ...] = ({},)
    dagum_weights: None = None  # the registry's generic skip rule reads it
    cache: dict[str, Any] = field(default_factory=dict)

    def chain(self) -> Any:
        """nqpf's :func:`~nqpf.markov_chain` of the value."""
        if "markov" not in self.cache:
            from nqpf.dynamics import markov_chain

            self.cache["markov"] = markov_chain(
                self.frame, self.value, self.region, self.year, options=self.markov
            )
        return self.cache["markov"]

    def beta_result(self) -> Any:
        """nqpf's :func:`~nqpf.beta_convergence` of the value."""
        if "beta" not in self.cache:
            from nqpf.dynamics import beta_convergence

            options = dict(self.beta)
            if options.get("controls") is not None:
                options["controls"] = list(options["controls"]) or None
            self.cache["beta"] = beta_convergence(
                self.frame, self.value, self.region, self.year, **options
            )
        return self.cache["beta"]

    def densities(self) -> list[pl.DataFrame]:
        """nqpf's :func:`~nqpf.kernel_density` of the value by year, one frame per
        keyword set of :attr:`density`."""
        if "density" not in self.cache:
            from nqpf.dynamics import kernel_density

            self.cache["density"] = [
                kernel_density(
                    self.frame, self.value, self.year, region=self.region, **dict(keywords)
                )
                for keywords in self.density
            ]
        return self.cache["density"]  # type: ignore[no-any-return]


def validate_dynamics(
    frame: Any,
    value: str,
    region: str,
    year: str,
    *,
    markov: MarkovOptions | Mapping[str, Any] | None = None,
    beta: Mapping[str, Any] | None = None,
    density: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None,
    routines: Sequence[str] | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
    detail: bool = False,
) -> pl.DataFrame:
    """Compare nqpf's Markov chain, panel β-convergence and kernel densities of
    ``value`` with R's markovchain, plm and stats::density (module docstring).

    Parameters
    ----------
    frame, value, region, year
        The panel, one row per region-year, as for :func:`nqpf.markov_chain`.
    markov
        The chain's :class:`~nqpf.options.MarkovOptions` (or a mapping of them;
        default: their defaults). A spatial chain's lag options are not used.
    beta
        Keywords of :func:`nqpf.beta_convergence` (``effects``, ``horizon``,
        ``controls``, ``small_sample``, …; default: its defaults). plm checks the
        annual panel only; the cross-section is listed as skipped.
    density
        Keywords of :func:`nqpf.kernel_density` by year (``group``, ``bw``, ``n``,
        ``cut``, ``grid``, ``bounds``; default: its defaults), or a sequence of such
        mappings, one set of curves each (the Dynamics page passes the curves by year
        and, when it draws them, those by year and group on the first set's grid).
    routines
        Restrict to these routines (``"markovchain::markovchainFit"``, ``"plm::plm"``,
        ``"stats::density"`` or their package names). Default: all three.
    tolerance, detail
        As for :func:`nqpf.crossval.validate`.

    Returns
    -------
    polars.DataFrame
        crossval's table (``quantity``, ``where``, ``n``, ``python``, ``routine``,
        ``r_value``, ``abs_diff``, ``rel_diff``, ``tolerance``, ``ok``, ``status``,
        ``note``); without R or a package the routine's rows are skipped with the reason.

    Raises
    ------
    InputError
        For bad input or options (the checks of the nqpf functions), or an unknown
        routine name.
    """
    from nqpf._frames import check_bool, check_real, to_polars
    from nqpf.crossval.validation import routine_status, select_routines
    from nqpf.errors import InputError

    tolerance = check_real("tolerance", tolerance, low=0.0, low_open=True, hint="e.g. 1e-10")
    detail = check_bool("detail", detail)
    if markov is None:
        markov = MarkovOptions()
    elif not isinstance(markov, MarkovOptions):
        markov = MarkovOptions(**dict(markov))
    if beta is not None and not isinstance(beta, Mapping):
        raise InputError(
            f"beta={beta!r} must be a mapping of nqpf.beta_convergence keywords",
            hint='e.g. beta={"effects": "region", "horizon": "annual"}',
        )
    sets = _density_sets(density)
    df = to_polars(frame)
    for role, column in (("value", value), ("region", region), ("year", year)):
        if column not in df.columns:
            raise InputError(
                f"no column named '{column}' (given as {role})",
                column=column,
                hint="columns: " + ", ".join(df.columns[:12]),
            )
    wanted = select_routines(routines, SECTIONS)
    _, _, status = routine_status(wanted, SECTIONS)
    run = DynamicsRun(
        frame=df,
        value=value,
        region=region,
        year=year,
        markov=markov,
        beta=dict(beta or {}),
        status=status,
        density=sets,
    )
    # nqpf's own errors (bad options, too few years) are the caller's, before any R;
    # only the analyses of the requested routines run
    for routine, compute in (
        ("markovchain::markovchainFit", run.chain),
        ("plm::plm", run.beta_result),
        ("stats::density", run.densities),
    ):
        if routine in wanted:
            compute()
    rows = Rows(tolerance, detail)
    for adapter in adapters("dynamics"):
        adapter.check(rows, run)  # type: ignore[arg-type]
    return rows.frame()


#: The keywords of :func:`nqpf.kernel_density` a density set may give (the value, year
#: and region are validate_dynamics's own).
DENSITY_KEYWORDS = ("group", "bw", "n", "cut", "grid", "bounds")


def _density_sets(density: Any) -> tuple[dict[str, Any], ...]:
    """The ``density=`` argument as a tuple of keyword mappings (one set of curves each)."""
    from nqpf.errors import InputError

    hint = 'e.g. density={"bw": "silverman", "bounds": (0, 1)} or a list of such mappings'
    if density is None:
        return ({},)
    sets = [density] if isinstance(density, Mapping) else density
    if isinstance(sets, str) or not isinstance(sets, Sequence) or not sets:
        raise InputError(
            f"density={density!r} must be a mapping of nqpf.kernel_density keywords", hint=hint
        )
    out = []
    for keywords in sets:
        if not isinstance(keywords, Mapping):
            raise InputError(
                f"density set {keywords!r} must be a mapping of nqpf.kernel_density keywords",
                hint=hint,
            )
        unknown = [str(k) for k in keywords if k not in DENSITY_KEYWORDS]
        if unknown:
            raise InputError(
                f"density: unknown keyword(s) {', '.join(unknown)}",
                hint="use " + ", ".join(DENSITY_KEYWORDS),
            )
        out.append(dict(keywords))
    return tuple(out)
