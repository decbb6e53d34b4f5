"""Bridge to R through rpy2: the session, the R routines nqpf checks against.

rpy2 is imported lazily, on the first call that needs R: ``import nqpf`` never
imports it, and without R every function here raises one
:class:`~nqpf.errors.RUnavailableError` with a one-line message, while
:func:`available` simply returns ``False``.

Two kinds of R code are reached:

* nqpf's own base-R reference (``r/nqpf_reference.R``, shipped in the wheel as
  ``nqpf/r``): :func:`reference_entropy`, :func:`reference_topsis`,
  :func:`reference_dagum`. It needs nothing but R, so it checks every quantity
  on any machine that has R.
* thin adapters to established routines, each returning plain numbers or
  arrays: :func:`laeken_gini`, :func:`laeken_dagum`, :func:`hmisc_ginimd`
  (Debian packages r-cran-laeken, r-cran-hmisc) and :func:`dineq_gini_decomp`,
  :func:`ic2_decomp_sgini`, :func:`ineq_gini`, :func:`topsis_topsis`,
  :func:`mcda_topsis`, :func:`mcdm_topsis_vector` (CRAN only; see
  DEVELOPERS.md). Their R side is ``r/nqpf_adapters.R``.
* spdep's tests of spatial autocorrelation (Debian r-cran-spdep):
  :func:`spdep_global` (``moran.test``, ``geary.test``, ``globalG.test``),
  :func:`spdep_localmoran`, :func:`spdep_localg`, :func:`spdep_moran_mc`; R side
  ``r/nqpf_spdep.R``, which builds spdep's own weights from the neighbour list.
* spatialreg's maximum-likelihood spatial regressions (Debian r-cran-spatialreg):
  :func:`spatialreg_fit` (``lagsarlm``, ``errorsarlm``, ``lagsarlm(type = "mixed")``
  with ``impacts``) and :func:`spatialreg_beta` (absolute β-convergence on the
  cross-section); R side ``r/nqpf_spatialreg.R``, on the same spdep weights.
* distribution dynamics (Debian r-cran-markovchain, r-cran-plm):
  :func:`markovchain_fit` (``markovchainFit(method = "mle")`` and ``steadyStates``)
  and :func:`plm_beta` (the annual β-convergence panel, growth and lags built by
  plm); R side ``r/nqpf_dynamics.R``.
* kernel densities (``stats``, base R): :func:`density_reflected`
  (``stats::density`` of the values and their reflections at the bounds, R's
  bandwidth rules, and the exact kernel sum); R side ``r/nqpf_dynamics.R``.

Both files are sourced once per session into a private R environment. Data
always travel as arguments of R functions (numpy arrays through a scoped
``(default_converter + numpy2ri.converter).context()``); no R source text is
ever built from user values.

Set the environment variable ``NQPF_R_LIBS`` (paths separated by ``os.pathsep``)
to put private R libraries in front of ``.libPaths()``, e.g. CRAN packages
built locally into ``/work/.rlib``. It is read again before every R call.

R errors are reported as :class:`~nqpf.errors.InputError` (inputs are checked
in Python first, so an error left for R to find is about the data, e.g. a
z-score translation too small); R warnings become Python ``UserWarning``.
Calls into R are serialised with a lock: R is single-threaded.
"""

from __future__ import annotations

import os
import threading
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from nqpf.errors import InputError, RUnavailableError

__all__ = [
    "LIBS_ENV",
    "ROUTINES",
    "UNAVAILABLE_MESSAGE",
    "RRoutine",
    "available",
    "density_reflected",
    "dineq_gini_decomp",
    "hmisc_ginimd",
    "ic2_decomp_sgini",
    "ineq_gini",
    "laeken_dagum",
    "laeken_gini",
    "markovchain_fit",
    "mcda_topsis",
    "mcdm_topsis_vector",
    "package_version",
    "plm_beta",
    "r_dir",
    "reference_dagum",
    "reference_entropy",
    "reference_topsis",
    "routine",
    "routines",
    "spatialreg_beta",
    "spatialreg_fit",
    "spdep_global",
    "spdep_localg",
    "spdep_localmoran",
    "spdep_moran_mc",
    "topsis_topsis",
    "unavailable_reason",
]

UNAVAILABLE_MESSAGE = "R is not available: install R and the `r` extra (pip install 'nqpf[r]')"
"""The one-line message of the :class:`RUnavailableError` raised without R or rpy2."""

LIBS_ENV = "NQPF_R_LIBS"
"""Environment variable: extra R library paths, put in front of ``.libPaths()``."""

_R_FILES = (
    "nqpf_reference.R",
    "nqpf_adapters.R",
    "nqpf_spdep.R",
    "nqpf_spatialreg.R",
    "nqpf_dynamics.R",
)


@dataclass(frozen=True, slots=True)
class RRoutine:
    """One R routine nqpf reaches: its name as reports show it, its R package and
    where the package comes from (``"base"``: ships with R; ``"debian"``: an
    r-cran-* package; ``"cran"``: CRAN only), for the hint when it is missing."""

    name: str
    package: str
    source: str


#: Every R routine nqpf reaches, declared once: :func:`routines` lists them, the
#: adapters here require their package, and each :mod:`nqpf.crossval` adapter names
#: its routine from this table (checked when it is registered).
ROUTINES: tuple[RRoutine, ...] = (
    RRoutine("r/nqpf_reference.R", "base", "base"),
    RRoutine("laeken::gini", "laeken", "debian"),
    RRoutine("Hmisc::GiniMd", "Hmisc", "debian"),
    RRoutine("dineq::gini_decomp", "dineq", "cran"),
    RRoutine("IC2::decompSGini", "IC2", "cran"),
    RRoutine("ineq::Gini", "ineq", "cran"),
    RRoutine("topsis::topsis", "topsis", "cran"),
    RRoutine("MCDA::TOPSIS", "MCDA", "cran"),
    RRoutine("MCDM::TOPSISVector", "MCDM", "cran"),
    RRoutine("stats::density", "stats", "base"),
    RRoutine("plm::plm", "plm", "debian"),
    RRoutine("markovchain::markovchainFit", "markovchain", "debian"),
    RRoutine("ConvergenceClubs::findClubs", "ConvergenceClubs", "cran"),
    RRoutine("spdep::moran.test", "spdep", "debian"),
    RRoutine("spdep::geary.test", "spdep", "debian"),
    RRoutine("spdep::globalG.test", "spdep", "debian"),
    RRoutine("spdep::localmoran", "spdep", "debian"),
    RRoutine("spdep::localG", "spdep", "debian"),
    RRoutine("spatialreg::lagsarlm", "spatialreg", "debian"),
    RRoutine("spatialreg::errorsarlm", "spatialreg", "debian"),
    RRoutine('spatialreg::lagsarlm(type="mixed")', "spatialreg", "debian"),
)


def routine(name: str) -> RRoutine:
    """The declaration of R routine ``name`` (e.g. ``"laeken::gini"``)."""
    for entry in ROUTINES:
        if entry.name == name:
            return entry
    raise KeyError(f"no R routine {name!r} is declared in nqpf.rbridge.ROUTINES")


def _missing_hint(package: str, source: str) -> str:
    if source == "debian":
        return f"R package '{package}' is not installed (Debian: apt-get install r-cran-{package.lower()})"
    if source == "cran":
        return (
            f"R package '{package}' is not installed (CRAN only: Rscript r/install.R, or build it "
            f"from source into a private library and set {LIBS_ENV}; see DEVELOPERS.md)"
        )
    return f"R package '{package}' is not installed (it ships with R: reinstall R)"


# ---------------------------------------------------------------------------
# the session


@dataclass
class _Session:
    ro: Any  # the rpy2.robjects module
    converter: Any  # default_converter + numpy2ri.converter
    env: Any  # private R environment holding r/*.R
    base_libpaths: list[str]
    libs_applied: str | None = None
    cache: dict[str, Any] = field(default_factory=dict)


_lock = threading.RLock()
_session: _Session | None = None
_failure: str | None = None


def _reset() -> None:
    """Forget the session state (tests use it to simulate a missing rpy2)."""
    global _session, _failure
    with _lock:
        _session = None
        _failure = None


def r_dir() -> Path:
    """Folder of nqpf's R files.

    Returns ``nqpf/r`` inside an installed wheel, else the repository's
    top-level ``r/`` (editable install).
    """
    here = Path(__file__).resolve().parent
    inside = here / "r"
    if inside.is_dir():
        return inside
    return here.parents[1] / "r"


def _start() -> _Session:
    """Return the R session, starting it on first use; raise if R is missing."""
    global _session, _failure
    with _lock:
        if _session is not None:
            _apply_libs(_session)
            return _session
        if _failure is not None:
            raise RUnavailableError(_failure)
        # Starting R puts R's library folders into LD_LIBRARY_PATH; a Python
        # subprocess started later would then load Debian's libpython. R is loaded
        # by then, so the variable goes back to what it was.
        library_path = os.environ.get("LD_LIBRARY_PATH")
        try:
            import rpy2  # noqa: F401  (fails fast when rpy2 is blocked or absent)
            import rpy2.robjects as ro
            from rpy2.robjects import numpy2ri
        except Exception as exc:  # ImportError, or R itself failing to start
            _failure = UNAVAILABLE_MESSAGE
            raise RUnavailableError(_failure) from exc
        finally:
            if library_path is None:
                os.environ.pop("LD_LIBRARY_PATH", None)
            else:
                os.environ["LD_LIBRARY_PATH"] = library_path
        folder = r_dir()
        missing = [name for name in _R_FILES if not (folder / name).is_file()]
        if missing:
            _failure = (
                f"nqpf's R files are missing from {folder} ({', '.join(missing)}): reinstall nqpf"
            )
            raise RUnavailableError(_failure)
        # rpy2 keeps its conversion rules per thread (a ContextVar); Streamlit runs
        # each rerun in a new thread, so every R call here names its converter
        with ro.default_converter.context():
            env = ro.r["new.env"](parent=ro.r["baseenv"]())
            for name in _R_FILES:
                ro.r["sys.source"](str(folder / name), envir=env)
            base = [str(p) for p in ro.r[".libPaths"]()]
        session = _Session(
            ro=ro,
            converter=ro.default_converter + numpy2ri.converter,
            env=env,
            base_libpaths=base,
        )
        _apply_libs(session)
        _session = session
        return session


def _apply_libs(session: _Session) -> None:
    """Put the paths of ``NQPF_R_LIBS`` in front of R's library paths."""
    value = os.environ.get(LIBS_ENV, "")
    if value == session.libs_applied:
        return
    extra = [str(Path(p).expanduser()) for p in value.split(os.pathsep) if p.strip()]
    ro = session.ro
    with ro.default_converter.context():
        ro.r[".libPaths"](ro.StrVector(extra + session.base_libpaths))
    session.libs_applied = value


def available() -> bool:
    """Whether R and rpy2 can be used in this Python session."""
    try:
        _start()
    except RUnavailableError:
        return False
    return True


def unavailable_reason() -> str | None:
    """The one-line reason R cannot be used, or ``None`` when it can."""
    try:
        _start()
    except RUnavailableError as exc:
        return str(exc)
    return None


def _versions(session: _Session, packages: Sequence[str]) -> list[str | None]:
    with session.converter.context():
        out = session.env["nqpf_pkg_versions"](np.asarray(list(packages), dtype=str))
    return [str(v) if v else None for v in np.atleast_1d(out)]


def package_version(package: str) -> str | None:
    """Installed version of an R package (searching ``NQPF_R_LIBS`` first), or ``None``.

    Raises
    ------
    RUnavailableError
        When R or rpy2 is missing.
    """
    session = _start()
    with _lock:
        return _versions(session, [package])[0]


def routines() -> pl.DataFrame:
    """The R routines nqpf can check against, and whether each is usable here.

    Returns
    -------
    polars.DataFrame
        One row per routine with columns ``routine`` (e.g. ``"laeken::gini"``),
        ``package``, ``version`` (installed version, or null), ``status``
        (``"ok"`` or ``"missing"``) and ``reason`` (null when ok, else one line
        saying how to get it). Without R every row is missing, with the reason.
        Installation is checked, not loading: a package whose own dependencies
        are broken fails only when called.
    """
    names = [r.name for r in ROUTINES]
    packages = [r.package for r in ROUTINES]
    try:
        session = _start()
    except RUnavailableError as exc:
        n = len(names)
        return pl.DataFrame(
            {
                "routine": names,
                "package": packages,
                "version": pl.Series([None] * n, dtype=pl.String),
                "status": ["missing"] * n,
                "reason": [str(exc)] * n,
            }
        )
    with _lock:
        versions = _versions(session, packages)
    status: list[str] = []
    reason: list[str | None] = []
    for entry, version in zip(ROUTINES, versions, strict=True):
        if entry.name.startswith("r/") and not (r_dir() / entry.name[2:]).is_file():
            status.append("missing")
            reason.append(f"{entry.name} not found in {r_dir()}: reinstall nqpf")
        elif version is None:
            status.append("missing")
            reason.append(_missing_hint(entry.package, entry.source))
        else:
            status.append("ok")
            reason.append(None)
    return pl.DataFrame(
        {
            "routine": names,
            "package": packages,
            "version": pl.Series(versions, dtype=pl.String),
            "status": status,
            "reason": pl.Series(reason, dtype=pl.String),
        }
    )


def _require(session: _Session, package: str) -> None:
    if _versions(session, [package])[0] is None:
        source = next((r.source for r in ROUTINES if r.package == package), "cran")
        raise RUnavailableError(_missing_hint(package, source))


def _call(function: str, *args: Any, package: str | None = None, **kwargs: Any) -> Any:
    """Call an R function of the private environment through ``nqpf_call``.

    ``None`` arguments become R ``NULL``. Returns the converted R value; an R
    error becomes :class:`InputError`, an R warning a ``UserWarning``.
    """
    session = _start()
    ro = session.ro
    with _lock:
        if package is not None:
            _require(session, package)
        args = tuple(ro.NULL if a is None else a for a in args)
        kwargs = {k: (ro.NULL if v is None else v) for k, v in kwargs.items()}
        with session.converter.context():
            result = session.env["nqpf_call"](session.env[function], *args, **kwargs)
    ok = int(np.asarray(result["ok"]).ravel()[0])
    for message in np.atleast_1d(np.asarray(result["warnings"], dtype=object)):
        if message:
            warnings.warn(f"R warning in {function}: {message}", UserWarning, stacklevel=3)
    if not ok:
        message = " ".join(str(np.atleast_1d(result["message"])[0]).split())
        raise InputError(f"R ({function}) rejected the input: {message}")
    return result["value"]


# ---------------------------------------------------------------------------
# input checks (plain Python, before R sees anything)


def _vector(y: Any, name: str = "y", *, nonnegative: bool = False) -> np.ndarray:
    try:
        arr = np.asarray(y, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InputError(f"'{name}' must be numeric") from exc
    if arr.ndim != 1:
        raise InputError(f"'{name}' must be one-dimensional (got shape {arr.shape})")
    if arr.size == 0:
        raise InputError(f"'{name}' is empty")
    if not np.all(np.isfinite(arr)):
        raise InputError(f"'{name}' has missing or non-finite values")
    if nonnegative and np.any(arr < 0):
        raise InputError(f"'{name}' has negative values: a Gini needs non-negative values")
    return arr


def _gini_values(y: Any) -> np.ndarray:
    arr = _vector(y, "y", nonnegative=True)
    if not arr.sum() > 0:
        raise InputError("'y' sums to 0: the Gini coefficient is undefined")
    return arr


def _weights(w: Any, n: int) -> np.ndarray | None:
    if w is None:
        return None
    arr = _vector(w, "w")
    if arr.size != n:
        raise InputError(f"'w' has {arr.size} values for {n} observations")
    if np.any(arr < 0):
        raise InputError("'w' has negative weights")
    if not arr.sum() > 0:
        raise InputError("'w' sums to 0")
    return arr


def _labels(group: Any, n: int) -> np.ndarray:
    raw = group.to_list() if isinstance(group, pl.Series) else list(np.asarray(group, dtype=object))
    if len(raw) != n:
        raise InputError(f"'group' has {len(raw)} labels for {n} values")
    if any(g is None or (isinstance(g, float) and np.isnan(g)) for g in raw):
        raise InputError("'group' has missing labels")
    return np.asarray([str(g) for g in raw], dtype=str)


def _matrix(X: Any, name: str = "X") -> np.ndarray:
    try:
        arr = np.asarray(X.to_numpy() if isinstance(X, pl.DataFrame) else X, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InputError(f"'{name}' must be a numeric matrix") from exc
    if arr.ndim != 2 or arr.shape[0] < 1 or arr.shape[1] < 1:
        raise InputError(f"'{name}' must be a non-empty matrix (got shape {arr.shape})")
    if not np.all(np.isfinite(arr)):
        raise InputError(f"'{name}' has missing or non-finite values")
    return arr


def _criteria(values: Sequence[str], allowed: tuple[str, str], m: int, name: str) -> np.ndarray:
    arr = np.asarray([str(v) for v in values], dtype=str)
    if arr.size != m:
        raise InputError(f"'{name}' has {arr.size} entries for {m} columns")
    bad = sorted(set(arr.tolist()) - set(allowed))
    if bad:
        raise InputError(f"'{name}' has {bad}: use only {allowed[0]!r} or {allowed[1]!r}")
    return arr


def _benefit(benefit: Any, m: int) -> np.ndarray:
    """One bool per column; accepts bools or the spec's directions ``"+"`` / ``"-"``."""
    raw = list(benefit.to_list() if isinstance(benefit, pl.Series) else np.ravel(benefit))
    if len(raw) != m:
        raise InputError(f"'benefit' has {len(raw)} entries for {m} columns")
    out = []
    for value in raw:
        if isinstance(value, (bool, np.bool_)):
            out.append(bool(value))
        elif value in ("+", "-"):
            out.append(value == "+")
        else:
            raise InputError(f"'benefit' has {value!r}: use True/False or '+'/'-'")
    return np.asarray(out, dtype=bool)


def _topsis_weights(w: Any, m: int) -> np.ndarray:
    arr = _vector(w, "w")
    if arr.size != m:
        raise InputError(f"'w' has {arr.size} weights for {m} columns")
    if np.any(arr <= 0):
        raise InputError("'w' must be positive (the R TOPSIS routines reject zero weights)")
    return arr


def _scalar(value: Any) -> float:
    return float(np.asarray(value, dtype=float).ravel()[0])


def _strings(value: Any) -> list[str]:
    return [str(v) for v in np.atleast_1d(np.asarray(value, dtype=object))]


# ---------------------------------------------------------------------------
# Gini adapters


def laeken_gini(y: Any, w: Any = None) -> float:
    """Gini coefficient from ``laeken::gini`` (population n² form, weighted or not).

    laeken returns a percentage; this returns ``value / 100``. With weights it
    computes ``ΣΣ w_i w_r |y_i − y_r| / (2 W² μ)`` with the weighted mean μ
    (weights act as frequencies, as in docs/methods.md §1.5).

    Parameters
    ----------
    y
        Non-negative values with a positive sum.
    w
        Optional non-negative weights, one per value.

    Returns
    -------
    float
        The Gini coefficient in [0, 1).
    """
    arr = _gini_values(y)
    weights = _weights(w, arr.size)
    return _scalar(_call("nqpf_adapt_laeken_gini", arr, w=weights, package="laeken")) / 100.0


def _weighted_mean(y: np.ndarray, w: np.ndarray) -> float:
    return float(np.sum(w * y) / np.sum(w))


def laeken_dagum(y: Any, group: Any, w: Any = None) -> dict[str, Any]:
    """Dagum decomposition assembled from ``laeken::gini`` calls alone.

    * G = laeken's Gini of all values; Gjj = laeken's Gini within group j;
    * Gnb = laeken's Gini of the group means weighted by W_j (n_j unweighted),
      the Bhattacharya–Mahalanobis between term (docs/methods.md §1.3);
    * Gjh through the pooled pair: with mean absolute differences Δ over all
      ordered pairs (W² denominators), Δ = 2 μ G and
      ``(W_j + W_h)² Δ_pool = W_j² Δ_jj + W_h² Δ_hh + 2 W_j W_h Δ_jh``, so
      ``Gjh = Δ_jh / (μ_j + μ_h)`` and ``Djh = (μ_j − μ_h) / Δ_jh`` (μ_j ≥ μ_h);
    * Gw = Σ Gjj p_j s_j and Gt = G − Gw − Gnb.

    Group means and weight sums are computed here (numpy); every Gini comes from R.

    Parameters
    ----------
    y
        Non-negative values, one per unit.
    group
        Group label of each unit (compared as strings).
    w
        Optional non-negative weights.

    Returns
    -------
    dict
        ``G``, ``Gw``, ``Gnb``, ``Gt`` (floats); ``Gjj``, ``means``, ``W``
        (dicts by group label); ``Gjh`` and ``Djh`` (dicts keyed by
        ``(group_j, group_h)`` with μ_j ≥ μ_h; ties keep sorted label order).
    """
    arr = _gini_values(y)
    labels = _labels(group, arr.size)
    weights = _weights(w, arr.size)
    wt = np.ones_like(arr) if weights is None else weights
    groups = sorted(set(labels.tolist()))
    masks = {g: labels == g for g in groups}
    W = {g: float(wt[m].sum()) for g, m in masks.items()}
    if any(v <= 0 for v in W.values()):
        raise InputError("a group has total weight 0")
    means = {g: _weighted_mean(arr[m], wt[m]) for g, m in masks.items()}
    if any(v <= 0 for v in means.values()):
        raise InputError("a group mean is 0: its Gini is undefined")

    def gini(mask: np.ndarray) -> float:
        return laeken_gini(arr[mask], None if weights is None else weights[mask])

    G = gini(np.ones(arr.size, dtype=bool))
    Gjj = {g: gini(m) for g, m in masks.items()}
    mean_vec = np.asarray([means[g] for g in groups])
    W_vec = np.asarray([W[g] for g in groups])
    Gnb = laeken_gini(mean_vec, W_vec)
    Wtot = float(W_vec.sum())
    mu = _weighted_mean(arr, wt)
    Gw = sum(Gjj[g] * (W[g] / Wtot) * (W[g] * means[g] / (Wtot * mu)) for g in groups)
    Gjh: dict[tuple[str, str], float] = {}
    Djh: dict[tuple[str, str], float] = {}
    for i, a in enumerate(groups):
        for b in groups[i + 1 :]:
            pool = masks[a] | masks[b]
            mu_pool = _weighted_mean(arr[pool], wt[pool])
            delta_pool = 2 * mu_pool * gini(pool)
            delta_a = 2 * means[a] * Gjj[a]
            delta_b = 2 * means[b] * Gjj[b]
            delta_ab = (
                (W[a] + W[b]) ** 2 * delta_pool - W[a] ** 2 * delta_a - W[b] ** 2 * delta_b
            ) / (2 * W[a] * W[b])
            j, h = (b, a) if means[b] > means[a] else (a, b)
            Gjh[(j, h)] = delta_ab / (means[j] + means[h])
            Djh[(j, h)] = (means[j] - means[h]) / delta_ab if delta_ab > 0 else 0.0
    return {
        "G": G,
        "Gw": Gw,
        "Gnb": Gnb,
        "Gt": G - Gw - Gnb,
        "Gjj": Gjj,
        "Gjh": Gjh,
        "Djh": Djh,
        "means": means,
        "W": W,
    }


def hmisc_ginimd(y: Any, w: Any = None) -> float:
    """Gini mean difference from ``Hmisc::GiniMd``, rescaled to n² denominators.

    Hmisc computes ``ΣΣ_{i≠r} |y_i − y_r| / (n(n−1))`` (the unbiased form, n ≥ 2).
    nqpf (and Dagum) use the population form ``ΣΣ |y_i − y_r| / n²``, so this
    returns Hmisc's value × (n − 1)/n; then ``Δ = 2 μ G``.

    Parameters
    ----------
    y
        Values (at least two).
    w
        Must be ``None``: Hmisc::GiniMd has no weights (use :func:`laeken_gini`).

    Returns
    -------
    float
        The mean absolute difference over all n² ordered pairs.
    """
    if w is not None:
        raise InputError("Hmisc::GiniMd takes no weights — use laeken_gini for a weighted Gini")
    arr = _vector(y, "y")
    if arr.size < 2:
        raise InputError("'y' needs at least two values for Hmisc::GiniMd")
    value = _scalar(_call("nqpf_adapt_hmisc_ginimd", arr, package="Hmisc"))
    return value * (arr.size - 1) / arr.size


def _decomp_dict(value: Any) -> dict[str, Any]:
    groups = _strings(value["groups"])
    out: dict[str, Any] = {k: _scalar(value[k]) for k in ("G", "Gw", "Gnb", "Gt")}
    out["Gjj"] = dict(zip(groups, np.asarray(value["Gjj"], dtype=float).tolist(), strict=True))
    for key in ("means", "p", "s"):
        if key in value:
            out[key] = dict(zip(groups, np.asarray(value[key], dtype=float).tolist(), strict=True))
    return out


def dineq_gini_decomp(y: Any, group: Any, w: Any = None) -> dict[str, Any]:
    """``dineq::gini_decomp``: within, between and overlap = Dagum Gw, Gnb, Gt.

    Parameters
    ----------
    y, group, w
        Values, group labels (as strings) and optional non-negative weights.

    Returns
    -------
    dict
        ``G`` (gini_total), ``Gw`` (gini_within), ``Gnb`` (gini_between), ``Gt``
        (gini_overlap), and by group label: ``Gjj``, ``means``, ``p``
        (population shares), ``s`` (income shares).
    """
    arr = _gini_values(y)
    labels = _labels(group, arr.size)
    weights = _weights(w, arr.size)
    return _decomp_dict(_call("nqpf_adapt_dineq", arr, labels, w=weights, package="dineq"))


def ic2_decomp_sgini(y: Any, group: Any, w: Any = None) -> dict[str, Any]:
    """``IC2::decompSGini(param = 2, decomp = "BM")``: Gini within / between / overlap.

    IC2 estimates the (generalised) Gini by a weighted covariance regression;
    with ``param = 2`` it equals the population n² Gini, so within, between and
    overlap are Dagum's Gw, Gnb and Gt.

    Parameters
    ----------
    y, group, w
        Values, group labels (as strings) and optional non-negative weights.

    Returns
    -------
    dict
        ``G``, ``Gw``, ``Gnb``, ``Gt`` and ``Gjj`` by group label.
    """
    arr = _gini_values(y)
    labels = _labels(group, arr.size)
    weights = _weights(w, arr.size)
    return _decomp_dict(_call("nqpf_adapt_ic2", arr, labels, w=weights, package="IC2"))


def ineq_gini(y: Any) -> float:
    """``ineq::Gini(corr = FALSE)``: the unweighted population (n²) Gini."""
    arr = _gini_values(y)
    return _scalar(_call("nqpf_adapt_ineq_gini", arr, package="ineq"))


# ---------------------------------------------------------------------------
# TOPSIS adapters (all: vector normalisation, weighted normalised matrix)


def topsis_topsis(X: Any, w: Any, impacts: Sequence[str]) -> np.ndarray:
    """Closeness from ``topsis::topsis(decision, weights, impacts)``.

    Vector normalisation, weighted normalised matrix, Euclidean distance; the
    weights are rescaled to sum to 1 by the routine.

    Parameters
    ----------
    X
        Decision matrix (alternatives × criteria).
    w
        Positive weights, one per column.
    impacts
        ``"+"`` (benefit) or ``"-"`` (cost) per column.

    Returns
    -------
    numpy.ndarray
        One closeness score per row.
    """
    mat = _matrix(X)
    weights = _topsis_weights(w, mat.shape[1])
    imp = _criteria(impacts, ("+", "-"), mat.shape[1], "impacts")
    return np.asarray(
        _call("nqpf_adapt_topsis", mat, weights, imp, package="topsis"), dtype=float
    ).ravel()


def mcda_topsis(
    X: Any,
    w: Any,
    minmax: Sequence[str],
    *,
    ideal: Any = None,
    anti_ideal: Any = None,
) -> np.ndarray:
    """Closeness from ``MCDA::TOPSIS(performanceTable, criteriaWeights, criteriaMinMax)``.

    Vector normalisation and the weighted normalised matrix; the weights are
    used as given (not rescaled). ``ideal`` and ``anti_ideal`` (both or neither)
    are MCDA's ``positiveIdealSolutions`` / ``negativeIdealSolutions``: one value
    per criterion on the weighted normalised scale wj·xj/‖xj‖.

    Parameters
    ----------
    X
        Performance table (alternatives × criteria).
    w
        Positive weights, one per column.
    minmax
        ``"max"`` (benefit) or ``"min"`` (cost) per column.

    Returns
    -------
    numpy.ndarray
        One closeness score per row.
    """
    mat = _matrix(X)
    weights = _topsis_weights(w, mat.shape[1])
    mm = _criteria(minmax, ("max", "min"), mat.shape[1], "minmax")
    if (ideal is None) != (anti_ideal is None):
        raise InputError(
            "MCDA::TOPSIS takes both ideal solutions or neither",
            hint="give ideal and anti_ideal together",
        )
    points = []
    if ideal is not None:
        for name, values in (("ideal", ideal), ("anti_ideal", anti_ideal)):
            vector = np.asarray(values, dtype=float).ravel()
            if vector.shape != (mat.shape[1],) or not np.all(np.isfinite(vector)):
                raise InputError(
                    f"{name} must hold one finite number per criterion",
                    hint=f"give {mat.shape[1]} numbers",
                )
            points.append(vector)
    return np.asarray(
        _call("nqpf_adapt_mcda_topsis", mat, weights, mm, *points, package="MCDA"), dtype=float
    ).ravel()


def mcdm_topsis_vector(X: Any, w: Any, cb: Sequence[str]) -> np.ndarray:
    """Closeness (the "R index") from ``MCDM::TOPSISVector(decision, weights, cb)``.

    MCDM insists that ``sum(weights) == 1`` exactly; the R side divides the
    weights by their sum and puts the rounding residue (about one ulp) on the
    largest weight.

    Parameters
    ----------
    X
        Decision matrix (alternatives × criteria).
    w
        Positive weights, one per column.
    cb
        ``"max"`` (benefit) or ``"min"`` (cost) per column.

    Returns
    -------
    numpy.ndarray
        One closeness score per row.
    """
    mat = _matrix(X)
    weights = _topsis_weights(w, mat.shape[1])
    kinds = _criteria(cb, ("max", "min"), mat.shape[1], "cb")
    return np.asarray(
        _call("nqpf_adapt_mcdm_topsis_vector", mat, weights, kinds, package="MCDM"),
        dtype=float,
    ).ravel()


# ---------------------------------------------------------------------------
# nqpf's own base-R reference (r/nqpf_reference.R)


def reference_entropy(
    X: Any,
    benefit: Any,
    shift: float = 1e-4,
    standardization: str = "minmax",
    scope_groups: Any = None,
) -> dict[str, Any]:
    """Improved entropy weights from the base-R reference ``nqpf_entropy``.

    Parameters
    ----------
    X
        Indicator matrix, one row per region-year.
    benefit
        One entry per column: ``True`` or ``"+"`` for a benefit indicator,
        ``False`` or ``"-"`` for a cost indicator.
    shift
        Translation a added after standardisation (1e-4). For
        ``standardization="zscore"`` it is the translation H of the z-scores
        (sd with n − 1) and must make every value positive.
    standardization
        ``"minmax"``, ``"ratio"`` (x/max; cost: min/x) or ``"zscore"``.
    scope_groups
        ``None`` for one pooled block; else the year of each row, for one block per year.

    Returns
    -------
    dict
        ``entropy``, ``divergence``, ``weight`` (vectors, or group × indicator
        matrices with ``scope_groups``), ``Z`` (shifted standardised matrix, row
        order of X) and ``groups`` (labels of the matrix rows, or ``None``).
    """
    mat = _matrix(X)
    ben = _benefit(benefit, mat.shape[1])
    if standardization not in ("minmax", "ratio", "zscore"):
        raise InputError(
            f"unknown standardization {standardization!r}: use minmax, ratio or zscore"
        )
    groups = None if scope_groups is None else _labels(scope_groups, mat.shape[0])
    value = _call(
        "nqpf_entropy",
        mat,
        ben,
        shift=float(shift),
        standardization=standardization,
        scope_groups=groups,
    )
    out = {k: np.asarray(value[k], dtype=float) for k in ("entropy", "divergence", "weight", "Z")}
    out["groups"] = None if groups is None else _strings(value["groups"])
    return out


def reference_topsis(
    Z: Any,
    w: Any,
    topsis: str = "matrix",
    ideal_groups: Any = None,
    normalization: str = "minmax",
    benefit: Any = None,
    X: Any = None,
    absolute: bool = False,
    shift: float = 1e-4,
) -> dict[str, np.ndarray]:
    """TOPSIS closeness from the base-R reference ``nqpf_topsis``.

    ``topsis`` and ``normalization`` have the names, choices and meanings of the
    index options (:class:`nqpf.options.IndexOptions`, docs/methods.md §2).

    Parameters
    ----------
    Z
        For ``normalization="minmax"``: the entropy step's shifted standardised
        matrix x'' (larger is better in every column, e.g. ``reference_entropy(...)
        ["Z"]``). Ignored otherwise (pass ``None``).
    w
        Weights, used as given.
    topsis
        ``"matrix"`` (distances on w·r) or ``"distance"`` (√Σ w (r − r*)²).
    ideal_groups
        ``None``: ideals over all rows (panel); else the year of each row.
    normalization
        ``"minmax"`` (``Z`` as given), ``"vector"`` (raw ``X`` over its column
        norms) or ``"none"`` (raw ``X`` as it is); for the last two the ideal of
        a cost column is its minimum.
    benefit
        One entry per column (``True``/``"+"`` benefit, ``False``/``"-"`` cost),
        needed for ``"vector"`` and ``"none"``.
    X
        Raw matrix for ``"vector"`` and ``"none"``.
    absolute
        Fixed ideals 1 + shift and anti-ideal shift (``"minmax"`` only).
    shift
        The shift of ``Z`` (for ``absolute``).

    Returns
    -------
    dict
        ``score``, ``d_plus``, ``d_minus``: one value per row.
    """
    if topsis not in ("matrix", "distance"):
        raise InputError(f"unknown topsis {topsis!r}: use matrix or distance")
    if normalization not in ("minmax", "vector", "none"):
        raise InputError(f"unknown normalization {normalization!r}: use minmax, vector or none")
    if normalization == "minmax":
        zmat = _matrix(Z, "Z")
        mat, ben = None, None
    else:
        if X is None or benefit is None:
            raise InputError(
                f"normalization={normalization!r} needs the raw matrix X and benefit",
                hint="the shifted standardised matrix Z goes with normalization='minmax'",
            )
        mat = _matrix(X)
        zmat = None
        ben = _benefit(benefit, mat.shape[1])
    n, m = (mat if mat is not None else zmat).shape  # type: ignore[union-attr]
    weights = _vector(w, "w")
    if weights.size != m:
        raise InputError(f"'w' has {weights.size} weights for {m} columns")
    groups = None if ideal_groups is None else _labels(ideal_groups, n)
    value = _call(
        "nqpf_topsis",
        zmat,
        weights,
        topsis=topsis,
        ideal_groups=groups,
        normalization=normalization,
        benefit=ben,
        X=mat,
        absolute=bool(absolute),
        shift=float(shift),
    )
    return {k: np.asarray(value[k], dtype=float).ravel() for k in ("score", "d_plus", "d_minus")}


def reference_dagum(y: Any, group: Any, w: Any = None) -> dict[str, Any]:
    """Dagum Gini decomposition from the base-R reference ``nqpf_dagum`` (O(n²)).

    Parameters
    ----------
    y
        Non-negative values, one per unit.
    group
        Group label of each unit (compared as strings).
    w
        Optional non-negative weights (docs/methods.md §1.5).

    Returns
    -------
    dict
        ``G``, ``Gw``, ``Gnb``, ``Gt`` (floats); ``groups`` (sorted labels);
        arrays in that order: ``n``, ``W``, ``means``, ``p``, ``s``, ``Gjj``;
        k × k matrices ``Gjh`` (diagonal Gjj), ``djh``, ``pjh``, ``Djh`` (row
        group minus column group); ``pairs``: a list of dicts with ``group_j``,
        ``group_h`` (μ_j ≥ μ_h), ``Gjh``, ``Djh``, ``djh``, ``pjh``.
    """
    arr = _gini_values(y)
    labels = _labels(group, arr.size)
    weights = _weights(w, arr.size)
    value = _call("nqpf_dagum", arr, labels, w=weights)
    groups = _strings(value["groups"])
    out: dict[str, Any] = {k: _scalar(value[k]) for k in ("G", "Gw", "Gnb", "Gt")}
    out["groups"] = groups
    for key in ("n", "W", "means", "p", "s", "Gjj"):
        out[key] = np.asarray(value[key], dtype=float).ravel()
    k = len(groups)
    for key in ("Gjh", "djh", "pjh", "Djh"):
        out[key] = np.asarray(value[key], dtype=float).reshape(k, k)
    js = np.asarray(value["pair_j"], dtype=int).ravel() - 1
    hs = np.asarray(value["pair_h"], dtype=int).ravel() - 1
    cols = {
        key: np.asarray(value[f"pair_{key}"], dtype=float).ravel()
        for key in ("Gjh", "Djh", "djh", "pjh")
    }
    out["pairs"] = [
        {
            "group_j": groups[j],
            "group_h": groups[h],
            **{key: float(cols[key][i]) for key in cols},
        }
        for i, (j, h) in enumerate(zip(js, hs, strict=True))
    ]
    return out


# ---------------------------------------------------------------------------
# spdep: spatial autocorrelation (Debian r-cran-spdep)


def _links(w: Any, style: str) -> tuple[int, np.ndarray, np.ndarray, np.ndarray, str]:
    """A SpatialWeights (or n × n matrix) as R's triplets: n, from, to (1-based), the
    given weights (spdep applies the style itself), and the style letter."""
    from scipy import sparse

    if style not in ("o", "b", "r"):
        raise InputError(f"unknown weights style {style!r}", hint="use 'o', 'b' or 'r'")
    matrix = w.transform("o").sparse if hasattr(w, "transform") else sparse.csr_array(w)
    coo = sparse.coo_array(matrix)
    order = np.lexsort((coo.col, coo.row))
    rows, cols = coo.row[order], coo.col[order]
    return (
        int(matrix.shape[0]),
        (rows + 1).astype(np.int64),
        (cols + 1).astype(np.int64),
        coo.data[order].astype(float),
        style,
    )


def spdep_global(
    statistic: str, x: Any, w: Any, style: str = "r", *, randomisation: bool = True
) -> dict[str, float]:
    """``spdep::moran.test`` / ``geary.test`` / ``globalG.test`` (``statistic`` "moran",
    "geary" or "G") of ``x`` on the weights ``w`` (ids in the order of ``x``), islands
    kept (``zero.policy = TRUE``): ``value``, ``expected``, ``variance``, ``z``, ``p``
    (alternative "greater")."""
    if statistic not in ("moran", "geary", "G"):
        raise InputError(f"unknown spdep statistic {statistic!r}", hint="moran, geary or G")
    arr = _vector(x, "x")
    n, f, t, v, s = _links(w, style)
    if arr.size != n:
        raise InputError(f"'x' has {arr.size} values for {n} regions")
    out = np.asarray(
        _call(
            "nqpf_spdep_global", statistic, arr, n, f, t, v, s, bool(randomisation), package="spdep"
        ),
        dtype=float,
    )
    return dict(zip(("value", "expected", "variance", "z", "p"), out.tolist(), strict=True))


def spdep_localmoran(x: Any, w: Any, style: str = "r") -> dict[str, np.ndarray]:
    """``spdep::localmoran`` (its defaults; islands kept): arrays ``Ii``, ``E_Ii``,
    ``var_Ii``, ``z``, ``p`` (two-sided)."""
    arr = _vector(x, "x")
    n, f, t, v, s = _links(w, style)
    if arr.size != n:
        raise InputError(f"'x' has {arr.size} values for {n} regions")
    out = np.asarray(_call("nqpf_spdep_localmoran", arr, n, f, t, v, s, package="spdep"))
    return dict(zip(("Ii", "E_Ii", "var_Ii", "z", "p"), out.reshape(n, 5).T, strict=True))


def spdep_localg(x: Any, w: Any, style: str = "b", *, star: bool = False) -> dict[str, np.ndarray]:
    """``spdep::localG`` (``include.self`` first with ``star``; islands kept): arrays
    ``G``, ``E_G``, ``var_G`` (its internals) and ``z``."""
    arr = _vector(x, "x")
    n, f, t, v, s = _links(w, style)
    if arr.size != n:
        raise InputError(f"'x' has {arr.size} values for {n} regions")
    out = np.asarray(_call("nqpf_spdep_localG", arr, n, f, t, v, s, bool(star), package="spdep"))
    return dict(zip(("G", "E_G", "var_G", "z"), out.reshape(n, 4).T, strict=True))


def spdep_moran_mc(
    x: Any, w: Any, style: str = "r", *, nsim: int = 999, seed: int = 1
) -> dict[str, Any]:
    """``spdep::moran.mc`` after ``set.seed(seed)``: ``value``, ``p`` and ``res`` (the
    nsim permuted I and, last, the observed I)."""
    arr = _vector(x, "x")
    n, f, t, v, s = _links(w, style)
    out = np.asarray(
        _call("nqpf_spdep_moran_mc", arr, n, f, t, v, s, int(nsim), int(seed), package="spdep"),
        dtype=float,
    )
    return {"value": float(out[0]), "p": float(out[1]), "res": out[2:]}


# ---------------------------------------------------------------------------
# spatialreg: maximum-likelihood spatial regression (Debian r-cran-spatialreg)


def _spatialreg_out(out: Any, model: str) -> dict[str, Any]:
    """The flat vector of ``r/nqpf_spatialreg.R`` as a dict."""
    v = np.asarray(out, dtype=float).ravel()
    k = int(v[3])
    coefficients, effects = v[4 : 4 + k], v[4 + k :]
    parts = np.split(effects, 3) if model != "sem" else [np.empty(0)] * 3
    return {
        "parameter": float(v[0]),
        "log_likelihood": float(v[1]),
        "aic": float(v[2]),
        "coefficients": coefficients,
        "direct": parts[0],
        "indirect": parts[1],
        "total": parts[2],
    }


def _spatial_model(model: str) -> str:
    from nqpf.spatial.regression import MODELS

    if model not in MODELS:
        raise InputError(f"unknown spatial model {model!r}", hint="sar, sem or sdm")
    return model


def spatialreg_fit(model: str, y: Any, X: Any, w: Any) -> dict[str, Any]:
    """``spatialreg::lagsarlm`` (``"sar"``), ``errorsarlm`` (``"sem"``) or
    ``lagsarlm(type = "mixed")`` (``"sdm"``) of ``y`` on an intercept and the columns
    of ``X``, on ``w`` row-standardised by spdep (style "W"; ids in the order of ``y``),
    spatialreg's defaults otherwise: ``parameter`` (ρ or λ), ``log_likelihood``,
    ``aic``, ``coefficients`` (R's order: intercept, X, then W·X for the SDM) and, for
    SAR/SDM, ``direct``, ``indirect``, ``total`` (``impacts()``, exact; one per
    column of X; empty for the SEM)."""
    model = _spatial_model(model)
    arr = _vector(y, "y")
    x = np.asarray(X, dtype=float)
    x = x.reshape(-1, 1) if x.ndim == 1 else x
    n, f, t, v, s = _links(w, "r")
    if arr.size != n or x.shape[0] != n:
        raise InputError(f"'y' has {arr.size} and 'X' {x.shape[0]} rows for {n} regions")
    if not np.isfinite(x).all():
        raise InputError("'X' has missing or infinite values")
    out = _call(
        "nqpf_spatialreg_fit", model, arr, x.ravel(order="F"), n, f, t, v, s, package="spatialreg"
    )
    return _spatialreg_out(out, model)


def spatialreg_beta(model: str, y0: Any, y1: Any, tau: float, w: Any) -> dict[str, Any]:
    """Absolute β-convergence on the cross-section in spatialreg: R computes
    g = (ln y1 − ln y0)/τ and regresses it on ln y0 by :func:`spatialreg_fit`'s
    model (same returned dict; ``coefficients`` intercept, β, then θ for the SDM)."""
    model = _spatial_model(model)
    a, b = _vector(y0, "y0"), _vector(y1, "y1")
    n, f, t, v, s = _links(w, "r")
    if a.size != n or b.size != n:
        raise InputError(f"'y0' has {a.size} and 'y1' {b.size} values for {n} regions")
    if (a <= 0).any() or (b <= 0).any():
        raise InputError("β-convergence takes logs: the values must be > 0")
    tau = float(tau)
    if not tau > 0:
        raise InputError(f"tau={tau!r} must be > 0 (years between the two cross-sections)")
    out = _call("nqpf_spatialreg_beta", model, a, b, tau, n, f, t, v, s, package="spatialreg")
    return _spatialreg_out(out, model)


# ---------------------------------------------------------------------------
# distribution dynamics: markovchain and plm (Debian r-cran-markovchain, r-cran-plm)


def markovchain_fit(states: Any, k: int) -> dict[str, np.ndarray]:
    """``markovchain::markovchainFit(method = "mle")`` of state sequences: ``states`` is
    the regions × periods matrix of states 1..k (NaN for a missing region-year; a pair
    with one is no transition), R counts the transitions itself. Returns ``P`` (k × k,
    a zero row for a state never left) and ``steady`` (``steadyStates``: one row per
    closed class; none when a state is never left)."""
    arr = np.asarray(states, dtype=float)
    k = int(k)
    if arr.ndim != 2 or arr.shape[1] < 2:
        raise InputError("'states' must be a regions × periods matrix with at least 2 periods")
    seen = arr[np.isfinite(arr)]
    if seen.size == 0 or np.any((seen < 1) | (seen > k) | (seen != np.round(seen))):
        raise InputError(f"'states' must hold the states 1..{k} (NaN where missing)")
    out = np.asarray(_call("nqpf_markovchain_fit", arr, k, package="markovchain"), dtype=float)
    p = out[: k * k].reshape(k, k, order="F")
    m = int(out[k * k])
    steady = out[k * k + 1 :].reshape(m, k)
    return {"P": p, "steady": steady}


def plm_beta(region: Any, year: Any, x: Any, Z: Any, effects: str) -> dict[str, Any]:
    """``plm::plm(diff(log(x)) ~ lag(log(x)) [+ lag(z)…])`` on the panel indexed by
    ``region`` and ``year`` (plm builds the growth and the lags, gaps included):
    ``effects`` "none" (pooling), "region" (within, individual) or "twoway" (within,
    twoways). Returns ``coef`` (R's order: intercept in the pooled model, the lagged log
    value, the lagged controls), ``se0`` (``vcovHC(method = "arellano", type = "HC0",
    cluster = "group")``), ``se_sss`` (``type = "sss"``), ``nobs``, ``groups``, ``periods``."""
    if effects not in ("none", "region", "twoway"):
        raise InputError(f"unknown effects {effects!r}", hint="none, region or twoway")
    values = _vector(x, "x")
    if (values <= 0).any():
        raise InputError("β-convergence takes logs: the values must be > 0")
    ids = np.asarray([str(r) for r in region], dtype=str)
    years = np.asarray(year, dtype=np.int64)
    if ids.size != values.size or years.size != values.size:
        raise InputError("'region', 'year' and 'x' must have the same length")
    z = None
    if Z is not None:
        z = np.asarray(Z, dtype=float)
        z = z.reshape(-1, 1) if z.ndim == 1 else z
        if z.shape[0] != values.size or not np.isfinite(z).all():
            raise InputError("'Z' must have one finite row per value")
        z = z.ravel(order="F")
    out = np.asarray(
        _call("nqpf_plm_beta", ids, years, values, z, effects, package="plm"), dtype=float
    )
    kk = int(out[3])
    return {
        "nobs": int(out[0]),
        "groups": int(out[1]),
        "periods": int(out[2]),
        "coef": out[4 : 4 + kk],
        "se0": out[4 + kk : 4 + 2 * kk],
        "se_sss": out[4 + 2 * kk : 4 + 3 * kk],
    }


# ---------------------------------------------------------------------------
# kernel densities: stats::density (base R)


def density_reflected(
    values: Any,
    curve: Any,
    bw: str | float,
    *,
    cut: float,
    bounds: tuple[float, float],
    n: int,
    grid: str,
    points: Any,
) -> dict[str, np.ndarray]:
    """``stats::density`` of each curve's values with their reflections at the finite
    ``bounds`` (R's side of the reflection estimator, ``r/nqpf_dynamics.R``): the
    copies x, 2a − x, 2b − x, each weighted 1/n_c (``weights=``, ``subdensity =
    TRUE``), R's bandwidth rule ``bw`` (``"nrd0"``, ``"nrd"`` or a number) on the
    curve's values, the grid from ``cut`` as ``density`` builds it, stopped at the
    bounds (``grid`` ``"own"``, ``"common"`` or ``"given"``: the ends of ``points``),
    0 outside [a, b]. ``curve`` numbers the curves 1..m; ``points`` is the m × n
    matrix of nqpf's grid points, where R also sums the kernels exactly.

    Returns ``h``, ``from``, ``to`` (m each) and the m × n ``x`` (R's grid),
    ``binned`` (``density()``: linear binning on max(n, 512) points rounded up to a
    power of 2, FFT, linear interpolation) and ``exact`` (at ``points``)."""
    x = _vector(values, "values")
    index = np.asarray(curve, dtype=np.int64)
    g = _matrix(points, "points")
    m = int(index.max()) if index.size else 0
    if index.size != x.size or m < 1 or set(np.unique(index)) != set(range(1, m + 1)):
        raise InputError("'curve' must number the values' curves 1..m")
    if g.shape != (m, int(n)) or grid not in ("own", "common", "given"):
        raise InputError("'points' must be the curves × n grid; grid own, common or given")
    rule = bw if isinstance(bw, str) else float(bw)
    low, high = (float(b) for b in bounds)
    out = np.asarray(
        _call(
            "nqpf_density",
            x,
            index,
            rule,
            float(cut),
            low,
            high,
            int(n),
            grid,
            g.ravel(order="F"),
            package="stats",
        ),
        dtype=float,
    )
    k = int(n)
    head, body = out[: 3 * m], out[3 * m :].reshape(m, 3, k)
    return {
        "h": head[:m],
        "from": head[m : 2 * m],
        "to": head[2 * m :],
        "x": body[:, 0],
        "binned": body[:, 1],
        "exact": body[:, 2],
    }
