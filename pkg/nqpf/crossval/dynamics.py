"""The dynamics section of crossval: nqpf's distribution dynamics against R's
markovchain and plm.

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
  (``horizon="period"``) has no plm counterpart and is listed as skipped.

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


def validate_dynamics(
    frame: Any,
    value: str,
    region: str,
    year: str,
    *,
    markov: MarkovOptions | Mapping[str, Any] | None = None,
    beta: Mapping[str, Any] | None = None,
    routines: Sequence[str] | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
    detail: bool = False,
) -> pl.DataFrame:
    """Compare nqpf's Markov chain and panel β-convergence of ``value`` with R's
    markovchain and plm (module docstring).

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
    routines
        Restrict to these routines (``"markovchain::markovchainFit"``, ``"plm::plm"``
        or their package names). Default: both.
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
    )
    # nqpf's own errors (bad options, too few years) are the caller's, before any R
    run.chain()
    run.beta_result()
    rows = Rows(tolerance, detail)
    for adapter in adapters("dynamics"):
        adapter.check(rows, run)  # type: ignore[arg-type]
    return rows.frame()
