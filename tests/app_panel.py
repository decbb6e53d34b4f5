"""A synthetic provincial panel for the app tests: 12 provinces × 11 years × 15 indicators.

The size of the issue's "done when" case (a researcher's CSV of 12 provinces, 11
years, 15 indicators), with Chinese province names (UTF-8), a macro-region group
column and two cost indicators. Deterministic (fixed seed).
"""

from __future__ import annotations

import numpy as np
import polars as pl

PROVINCES = {
    "重庆": "西南",
    "四川": "西南",
    "陕西": "西北",
    "广西": "西南",
    "云南": "西南",
    "贵州": "西南",
    "内蒙古": "西北",
    "甘肃": "西北",
    "新疆": "西北",
    "青海": "西北",
    "宁夏": "西北",
    "西藏": "西南",
}
YEARS = list(range(2012, 2023))
INDICATORS = [f"x{j:02d}" for j in range(1, 16)]
COST = ("x14", "x15")
DIMENSIONS = ["科技创新"] * 5 + ["绿色发展"] * 5 + ["数字经济"] * 5


def panel_frame(seed: int = 20240501) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    level = np.linspace(2.0, 0.6, len(PROVINCES))  # Chongqing highest, Tibet lowest
    rows = []
    for i, (province, area) in enumerate(PROVINCES.items()):
        for t, year in enumerate(YEARS):
            growth = 1.0 + 0.06 * t
            values = level[i] * growth * rng.uniform(0.7, 1.3, len(INDICATORS)) * 100
            rows.append(
                {
                    "province": province,
                    "area": area,
                    "year": year,
                    **dict(zip(INDICATORS, values.round(3), strict=True)),
                }
            )
    return pl.DataFrame(rows)


def panel_csv(seed: int = 20240501) -> bytes:
    return panel_frame(seed).write_csv().encode("utf-8")


def spec_csv() -> bytes:
    frame = pl.DataFrame(
        {
            "indicator": INDICATORS,
            "dimension": DIMENSIONS,
            "direction": ["-" if n in COST else "+" for n in INDICATORS],
            "label": [f"指标 {n}" for n in INDICATORS],
            "unit": ["—"] * len(INDICATORS),
        }
    )
    return frame.write_csv().encode("utf-8")
