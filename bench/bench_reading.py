"""Benchmark: reading a panel file (CSV, XLSX, Parquet) with nqpf.io.read_table.

Baselines, on the same bytes: ``polars.read_csv`` (all columns as text, then numbers
cast; no row check, no typing rule), ``polars.read_excel`` (fastexcel, types guessed
from the first 1000 rows) and ``polars.read_parquet``. nqpf does more than the
baselines: every CSV row's width is checked (a ragged row is named, not padded with
nulls), every text column goes through one typing rule, and an XLSX archive is
decompressed once to bound its size before the workbook is parsed. Prints a table of
seconds and ratios; never fails on time.

    .venv/bin/python bench/bench_reading.py [--rows 200000] [--indicators 20] [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import time

import numpy as np
import polars as pl

from nqpf.io import read_table


def best_of(repeat: int, func) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--indicators", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    n, k = args.rows, args.indicators
    frame = pl.DataFrame(
        {
            "region": [f"region {i % 3000}" for i in range(n)],
            "year": 2000 + np.arange(n) // 3000,
            **{f"x{j}": rng.lognormal(size=n) for j in range(k)},
        }
    )
    csv = frame.write_csv().encode()
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    parquet = buffer.getvalue()
    xlsx_rows = min(n, 50_000)  # XLSX readers are 10–50× slower: a smaller sheet
    buffer = io.BytesIO()
    frame.head(xlsx_rows).write_excel(buffer)
    xlsx = buffer.getvalue()

    def polars_csv() -> None:
        pl.read_csv(csv, infer_schema=False).with_columns(
            pl.col(f"x{j}").cast(pl.Float64) for j in range(k)
        )

    cases = [
        ("CSV", f"{n} rows", lambda: read_table(csv, name="p.csv"), polars_csv, "polars.read_csv"),
        (
            "XLSX",
            f"{xlsx_rows} rows",
            lambda: read_table(xlsx, name="p.xlsx"),
            lambda: pl.read_excel(xlsx),
            "polars.read_excel",
        ),
        (
            "Parquet",
            f"{n} rows",
            lambda: read_table(parquet, name="p.parquet"),
            lambda: pl.read_parquet(parquet),
            "polars.read_parquet",
        ),
    ]
    print(f"{k} indicators; best of {args.repeat}")
    print(f"{'format':<8} {'size':>14} {'nqpf s':>8} {'baseline s':>11} {'ratio':>6}  baseline")
    for fmt, size, ours, base, base_name in cases:
        t_ours = best_of(args.repeat, ours)
        t_base = best_of(args.repeat, base)
        print(
            f"{fmt:<8} {size:>14} {t_ours:8.3f} {t_base:11.3f} {t_ours / t_base:6.1f}  {base_name}"
        )


if __name__ == "__main__":
    main()
