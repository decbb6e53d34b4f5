"""Rows of the Dagum section shared by several adapters: the totals, Gjj and the pairs.

Each function compares nqpf's decomposition (:class:`~nqpf.crossval.context.Run`)
with an R routine's, by slice of the ``by`` column; ``get(key)`` returns the
routine's result for one slice.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from nqpf.crossval.context import Run
from nqpf.crossval.rows import Rows

TOTALS = ("G", "Gw", "Gnb", "Gt")


def totals(
    rows: Rows,
    run: Run,
    get: Callable[[str], Mapping[str, float]],
    keys: Sequence[str],
    routine: str,
    notes: Mapping[str, str] | None = None,
) -> None:
    """G, Gw, Gnb, Gt per slice; the parts relative to at least G (module docstring)."""
    out: dict[str, tuple[list, list, list, list]] = {k: ([], [], [], []) for k in keys}
    for key, *_ in run.slices:
        r_vals = get(key)
        for k in keys:
            out[k][0].append(key)
            out[k][1].append(run.overall[key][k])
            out[k][2].append(r_vals[k])
            out[k][3].append(0.0 if k == "G" else r_vals["G"])
    for k in keys:
        where, py, rv, floor = out[k]
        note = (notes or {}).get(k)
        rows.compare(k, routine, where, py, rv, floor=floor, note=note)


def within(rows: Rows, run: Run, get: Callable[[str], Mapping[str, float]], routine: str) -> None:
    """Gjj per slice and group; a group on one side only fails as "NaN on one side"."""
    where, py, rv = [], [], []
    for key, *_ in run.slices:
        r_vals, ours = get(key), run.within[key]
        for label in [*ours, *(g for g in r_vals if g not in ours)]:
            where.append(f"{key}, {label}")
            py.append(ours[label]["Gjj"] if label in ours else math.nan)
            rv.append(r_vals.get(label, math.nan))
    rows.compare("Gjj", routine, where, py, rv)


def pairs(
    rows: Rows,
    run: Run,
    routine: str,
    r_pairs_of: Callable[[str], dict[tuple[str, str], dict[str, float]]],
    keys: Sequence[str],
) -> None:
    """Gjh, Djh (and djh, pjh when in ``keys``) for nqpf's pairs (μ_j ≥ μ_h).

    ``r_pairs_of(key)`` gives R's pairs of a slice, keyed (higher-mean group,
    lower-mean group) by R's own means. A pair that R ordered the other way (a
    near-tie of the means) is flipped: Djh changes sign, djh and pjh swap. A
    pair on one side only fails as "NaN on one side".
    """
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

    for key, *_ in run.slices:
        r_pairs = r_pairs_of(key)
        for rec in run.between.get(key, []):
            j, h = rec["group_j"], rec["group_h"]
            got = r_pairs.pop((j, h), None)
            if got is None and (h, j) in r_pairs:  # R ordered a near-tie the other way
                flip = r_pairs.pop((h, j))
                got = {"Gjh": flip["Gjh"], "Djh": -flip["Djh"]}
                if "djh" in keys:
                    got |= {"djh": flip["pjh"], "pjh": flip["djh"]}
            add(f"{key}, {j}|{h}", rec, missing if got is None else got)
        for (j, h), got in r_pairs.items():
            add(f"{key}, {j}|{h}", missing, got)
    for k in keys:
        where, py, rv, floor = out[k]
        rows.compare(k, routine, where, py, rv, floor=floor)


def decomposition(rows: Rows, run: Run, routine: str, fn: Callable[..., Any]) -> None:
    """The totals and Gjj of a routine returning ``{"G", "Gw", "Gnb", "Gt", "Gjj": {…}}``."""
    get = run.per_slice(routine, fn)
    totals(rows, run, get, TOTALS, routine)
    within(rows, run, lambda key: get(key)["Gjj"], routine)
