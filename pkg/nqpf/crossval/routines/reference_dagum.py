"""``r/nqpf_reference.R`` for the Dagum decomposition: every quantity, per ``by`` slice."""

from __future__ import annotations

from typing import Any

from nqpf import rbridge
from nqpf.crossval import dagum_rows
from nqpf.crossval.context import Run
from nqpf.crossval.registry import Routine, register
from nqpf.crossval.rows import Rows


@register
class ReferenceDagum(Routine):
    """nqpf's base-R Dagum (1997) decomposition, O(n²) over all unit pairs."""

    routine = "r/nqpf_reference.R"
    section = "dagum"
    quantities = ("G", "Gw", "Gnb", "Gt", "Gjj", "Gjh", "Djh", "djh", "pjh")

    def run(self, rows: Rows, run: Run) -> None:
        get = run.per_slice(self.routine, rbridge.reference_dagum)
        dagum_rows.totals(rows, run, get, dagum_rows.TOTALS, self.routine)
        dagum_rows.within(
            rows,
            run,
            lambda key: dict(zip(get(key)["groups"], get(key)["Gjj"], strict=True)),
            self.routine,
        )

        def r_pairs(key: str) -> dict[tuple[str, str], dict[str, Any]]:
            return {(p["group_j"], p["group_h"]): p for p in get(key)["pairs"]}

        dagum_rows.pairs(rows, run, self.routine, r_pairs, ("Gjh", "Djh", "djh", "pjh"))
