"""plm (Debian r-cran-plm): the annual-panel β-convergence, ``plm(diff(log(x)) ~
lag(log(x)) + lag(z)…)`` pooled or within (region / two-way effects), with the
cluster-robust ``vcovHC(method = "arellano", cluster = "group")``
(:mod:`nqpf.crossval.dynamics`: least squares to 2mε·κ₂(X)²)."""

from __future__ import annotations

import math

import numpy as np
import polars as pl

from nqpf import rbridge
from nqpf.crossval.dynamics import DynamicsRun
from nqpf.crossval.registry import Routine, register
from nqpf.crossval.rows import Rows

EPS = float(np.finfo(np.float64).eps)


def within_design(run: DynamicsRun, controls: list[str], effects: str) -> np.ndarray:
    """The slopes' design of the annual growth pairs after the fixed effects are
    partialled out (Frisch–Waugh–Lovell), whose κ₂ sets their conditioning; the
    pooled model's keeps its constant."""
    region, year = run.region, run.year
    d = run.frame.sort(region, year).with_columns(
        pl.col(run.value).log().alias("__lx"),
        pl.col(year).diff().over(region).alias("__step"),
    )
    lagged = [pl.col("__lx").shift().over(region).alias("__lag")]
    lagged += [pl.col(c).shift().over(region).alias(f"__z{i}") for i, c in enumerate(controls)]
    d = d.with_columns(lagged).filter(pl.col("__step") == 1)
    slopes = d.select("__lag", *[f"__z{i}" for i in range(len(controls))]).to_numpy()
    if effects == "none":
        return np.column_stack([np.ones(slopes.shape[0]), slopes])
    dummies = [d.get_column(region).cast(pl.String).to_dummies().to_numpy()]
    if effects == "twoway":
        dummies.append(d.get_column(year).cast(pl.String).to_dummies().to_numpy()[:, 1:])
    absorbed = np.column_stack(dummies).astype(float)
    fit, *_ = np.linalg.lstsq(absorbed, slopes, rcond=None)
    return np.asarray(slopes - absorbed @ fit)


@register
class PlmBeta(Routine):
    routine = "plm::plm"
    section = "dynamics"
    quantities = ("n", "β", "se(β)")

    def quantities_for(self, run: DynamicsRun) -> list[str]:  # type: ignore[override]
        controls = list(run.beta.get("controls") or ())
        return ["n", "β", *[f"γ[{c}]" for c in controls], "se(β)"] + [
            f"se(γ[{c}])" for c in controls
        ]

    def skip_reason(self, run: DynamicsRun) -> str | None:  # type: ignore[override]
        result = run.beta_result()
        if result.horizon != "annual":
            return (
                "not applicable: plm estimates the annual panel (horizon='annual'); "
                "this β is the cross-section"
            )
        return None

    def run(self, rows: Rows, run: DynamicsRun) -> None:  # type: ignore[override]
        result = run.beta_result()
        controls = list(run.beta.get("controls") or ())
        effects = result.effects
        frame = run.frame.drop_nulls([run.value, *controls])
        z = frame.select(controls).to_numpy() if controls else None
        theirs = rbridge.plm_beta(
            frame.get_column(run.region).to_list(),
            frame.get_column(run.year).to_numpy(),
            frame.get_column(run.value).to_numpy(),
            z,
            effects,
        )
        table = result.table
        names = table.get_column("term").to_list()
        coef = table.get_column("estimate").to_numpy()
        se = table.get_column("se").to_numpy()
        slopes = [i for i, name in enumerate(names) if name != "const"]
        labels = ["β", *[f"γ[{c}]" for c in controls]]
        n, groups, periods = theirs["nobs"], theirs["groups"], theirs["periods"]
        rows.compare("n", self.routine, ["growth observations"], [result.n], [n])
        design = within_design(run, controls, effects)
        bound = 2.0 * design.shape[0] * EPS * float(np.linalg.cond(design)) ** 2
        why = "2mε·κ₂(X)² of the within design (least squares)"
        kappa = f"κ₂(X) = {np.linalg.cond(design):.3g}"
        # R's order is nqpf's: the pooled model's intercept first, then the slopes
        r_coef, r_se0, r_sss = theirs["coef"], theirs["se0"], theirs["se_sss"]
        if effects == "none":
            r_coef, r_se0, r_sss = r_coef[1:], r_se0[1:], r_sss[1:]
        if result.options.get("small_sample", "stata") == "plm":
            r_se, convention = r_sss, 'R: vcovHC(type = "sss")'
        else:
            k = len(slopes) + (periods - 1 if effects == "twoway" else 0) + 1
            factor = groups / (groups - 1) * (n - 1) / (n - k)
            r_se = r_se0 * math.sqrt(factor)
            convention = f'R: vcovHC(type = "HC0") × G/(G−1)·(N−1)/(N−K), K = {k}'
        norm = float(np.linalg.norm(r_coef))
        for i, label in zip(slopes, labels, strict=True):
            j = slopes.index(i)
            rows.compare(
                label,
                self.routine,
                [f"effects={effects}"],
                [coef[i]],
                [r_coef[j]],
                floor=norm,
                note=kappa,
                minimum=(bound, why),
            )
        for i, label in zip(slopes, labels, strict=True):
            j = slopes.index(i)
            rows.compare(
                f"se({label})",
                self.routine,
                [f"effects={effects}"],
                [se[i]],
                [r_se[j]],
                note=f"{kappa}; {convention}",
                minimum=(bound, why),
            )
