"""A panel whose every name is hostile to some writer (spreadsheet formulas, TeX, Markdown,
HTML, mathtext, Excel sheet names, file names), for the writer and report tests."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import polars as pl

#: Region names: each one markup in some format the report writes.
REGIONS = [
    '=HYPERLINK("http://evil.example","x")',
    "+1+1",
    "@SUM(A1)",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "# heading",
    "![x](http://evil.example/a.png)",
    "a|b",
    "\\input{/etc/passwd}",
    "\\errmessage{nqpf-injected}",
    "x\ny",
    "$x^$",
    "50%_&#{}~^\\",
    "[opt]",
    "*star",
    "东部地区",
    "--dash",
    "'quoted'",
    "%comment",
    "\\end{document}",
]
#: Group labels: mathtext, sheet-name characters, a long name, a formula, an underscore.
GROUPS = ["$\\alpha^$", "a/b:c*?[]", "G" * 40, "=1+1", "_west"]
INDICATORS = ["=cmd|' /C calc'!A0", "@SUM(A1)", "-2+3", "x$^_", "\\end{document}"]
DIMENSIONS = ["=dim", "\\section{x}", "维度"]
#: A group column name that is no valid sheet name (long, with / : and a formula start).
GROUP_COLUMN = "=zone/area: a very long group column name [x]"
#: A file name with a newline (after it: live TeX if written raw into a % comment).
PANEL_NAME = "panel\n\\errmessage{nqpf-injected}%.csv"


def hostile_panel(folder: Path, *, years: range = range(2010, 2018)) -> tuple[Path, Path]:
    """Write the panel (CSV, long names as headers) and its spec; return their paths."""
    rng = np.random.default_rng(5)
    rows = []
    for year in years:
        for i, region in enumerate(REGIONS):
            base = 1 + i / 5 + (year - years[0]) / 10
            rows.append(
                {
                    "region": region,
                    "year": year,
                    GROUP_COLUMN: GROUPS[i % len(GROUPS)],
                    **{name: base * rng.uniform(0.8, 1.2) for name in INDICATORS},
                }
            )
    panel = folder / PANEL_NAME
    pl.DataFrame(rows).write_csv(panel)
    spec = folder / "spec.csv"
    with spec.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["indicator", "dimension", "direction"])
        for j, name in enumerate(INDICATORS):
            writer.writerow([name, DIMENSIONS[j % len(DIMENSIONS)], "-" if j == 2 else "+"])
    return panel, spec


def small_index(n_regions: int, years: list[int], n_groups: int = 2, *, seed: int = 11):
    """The index of a small random panel (three indicators in [1, 2], regions ``r<i>`` in
    ``n_groups`` zones ``g<j>`` carried as ``zone``), for the report's degenerate shapes."""
    import nqpf

    rng = np.random.default_rng(seed)
    rows = [
        {
            "region": f"r{i}",
            "year": year,
            "zone": f"g{i % n_groups}",
            **{f"x{j}": rng.uniform(1, 2) for j in range(3)},
        }
        for year in years
        for i in range(n_regions)
    ]
    spec = nqpf.IndicatorSpec.from_names(["x0", "x1", "x2"])
    return nqpf.entropy_topsis(pl.DataFrame(rows), spec, keep=["zone"])
