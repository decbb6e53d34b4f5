"""A synthetic panel of the 31 provincial-level divisions of mainland China: 31 × 13
years × 15 positive indicators, with a macro-region column (the size of a Chinese
provincial study; the issue's speed case). Deterministic (fixed seed)."""

from __future__ import annotations

import numpy as np
import polars as pl

#: The 31 provincial-level divisions of mainland China and their macro-region.
PROVINCES = {
    **dict.fromkeys(
        ["北京", "天津", "河北", "上海", "江苏", "浙江", "福建", "山东", "广东", "海南"], "东部"
    ),
    **dict.fromkeys(["山西", "安徽", "江西", "河南", "湖北", "湖南"], "中部"),
    **dict.fromkeys(["内蒙古", "广西", "重庆", "四川", "贵州", "云南"], "西部"),
    **dict.fromkeys(["西藏", "陕西", "甘肃", "青海", "宁夏", "新疆"], "西部"),
    **dict.fromkeys(["辽宁", "吉林", "黑龙江"], "东北"),
}
YEARS = list(range(2010, 2023))
INDICATORS = [f"x{j:02d}" for j in range(1, 16)]


def panel31_csv(seed: int = 31) -> bytes:
    """31 provinces × 13 years × 15 positive indicators, UTF-8 CSV (deterministic)."""
    rng = np.random.default_rng(seed)
    level = np.linspace(2.0, 0.5, len(PROVINCES))
    rows = []
    for i, (province, area) in enumerate(PROVINCES.items()):
        for t, year in enumerate(YEARS):
            values = level[i] * (1 + 0.05 * t) * rng.uniform(0.7, 1.3, len(INDICATORS)) * 100
            rows.append(
                {"province": province, "area": area, "year": year}
                | dict(zip(INDICATORS, values.round(3).tolist(), strict=True))
            )
    return pl.DataFrame(rows).write_csv().encode("utf-8")
