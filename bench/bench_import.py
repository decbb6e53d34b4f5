"""Import time of the CLI's start: ``nqpf --help`` and ``nqpf score`` on the default data.

Each case runs in a fresh interpreter under ``python -X importtime`` and sums the
cumulative time of the top-level imports it made (what the interpreter spent
importing, not the work). The target (issue 10): both under 0.4 s. Baselines
printed beside them:

- ``import numpy, polars`` — the floor of any command that reads a table;
- ``import scipy.stats`` — what ``nqpf score`` used to import (ranks) and no
  longer does.

Run ``python bench/bench_import.py`` on an idle machine (the median of 5 runs per
case is printed; other processes inflate import times). The interpreters run with
bytecode caching on, in a private cache (``PYTHONPYCACHEPREFIX``), after one warm-up
run: an installed package has its ``.pyc`` files, and an environment that sets
``PYTHONDONTWRITEBYTECODE`` would otherwise time the compiler on every import.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

RUNS = 5
#: Modules that must not load for these commands (issue 10).
HEAVY = {"scipy", "scipy.stats", "matplotlib", "rpy2", "streamlit"}


#: Bytecode cached as an installed package has it (see the module docstring).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="nqpf-pycache-")


def import_seconds(code: str) -> tuple[float, set[str]]:
    """Seconds spent importing (top-level cumulative times) and the modules imported."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        check=False,
        env=ENV,
    )
    total_us = 0
    modules = set()
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, raw = line.split("|", 2)
        name = raw.strip()
        modules.add(name)
        # "| " then two spaces per nesting level: a top-level import counts once, with
        # everything it imported
        if len(raw) - len(raw.lstrip()) == 1:
            total_us += int(cumulative)
    return total_us / 1e6, modules


def measure(code: str) -> tuple[float, set[str]]:
    import_seconds(code)  # warm-up: writes the bytecode cache
    runs = [import_seconds(code) for _ in range(RUNS)]
    return statistics.median(r[0] for r in runs), runs[-1][1]


def main() -> None:
    from nqpf.datasets import pwt_path, pwt_spec_path

    out = Path(tempfile.mkdtemp()) / "scores.csv"
    cases = {
        "nqpf --help": "from nqpf.cli import main\ntry:\n main(['--help'])\nexcept SystemExit:\n pass",
        "nqpf score (default data)": (
            "import contextlib, io\nfrom nqpf.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f" main(['score', {str(pwt_path())!r}, '--spec', {str(pwt_spec_path())!r}, "
            f"'--region', 'country', '--out', {str(out)!r}])"
        ),
        "baseline: import numpy, polars": "import numpy, polars",
        "baseline: import scipy.stats": "import scipy.stats",
    }
    results = {name: measure(code) for name, code in cases.items()}
    floor = results["baseline: import numpy, polars"][0]
    print(f"{'case':<34} {'import s':>9} {'× numpy+polars':>15}  heavy modules")
    for name, (seconds, modules) in results.items():
        heavy = sorted(m for m in modules if m in HEAVY)
        print(f"{name:<34} {seconds:9.3f} {seconds / floor:15.2f}  {', '.join(heavy) or '—'}")


if __name__ == "__main__":
    main()
