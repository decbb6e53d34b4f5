"""The order groups are shown in: one rule for every table and chart of a report.

:func:`order_groups` returns the groups of a grouping (a column's values: regions'
macro-regions, echelons, clubs) in the order a paper lists them:

1. the user's ``group_order`` when given — then it must name every group of the data
   and nothing else (one :class:`~nqpf.errors.InputError` line otherwise);
2. otherwise a natural order, the first that applies:

   * numbers (``1, 2, 10`` or the texts ``"1", "2", "10"``): numerically;
   * numbered labels that differ only in their number — ``第一梯队 < 第二梯队 <
     第十梯队`` (Chinese numerals), ``Tier 1 < Tier 2 < Tier 10``, ``club2 < club10``:
     by the number;
   * China's four economic regions, 东部、中部、西部、东北 (also with 地区 after them)
     and East, Central, West, Northeast (any case; "Eastern", … too), in that order,
     when every group is one of them;
   * anything else: sorted by its text (a fixed order, whatever the row order).

The rule orders only how results are *shown*: no number depends on it (the
decompositions take their groups in their own fixed order).

Light module: no polars or numpy (the CLI and the translation table import it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from nqpf.errors import InputError

__all__ = ["ZH_NUMERALS", "order_groups", "parse_zh_numeral", "zh_numeral"]

#: Chinese numerals one to nine (十 is ten).
ZH_NUMERALS = "一二三四五六七八九"

#: The macro-regions papers list in this order (each list: the names of one convention).
KNOWN_ORDERS: tuple[tuple[str, ...], ...] = (
    ("东部", "中部", "西部", "东北"),
    ("东部地区", "中部地区", "西部地区", "东北地区"),
    ("east", "central", "west", "northeast"),
    ("eastern", "central", "western", "northeastern"),
)


def zh_numeral(n: int) -> str:
    """``n`` (1–99) in Chinese numerals: 1 → 一, 10 → 十, 12 → 十二, 21 → 二十一;
    larger numbers as digits."""
    if not 1 <= n <= 99:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else ZH_NUMERALS[tens - 1] + "十")
    return head + ("" if ones == 0 else ZH_NUMERALS[ones - 1])


def parse_zh_numeral(text: str) -> int | None:
    """The number written by ``text`` in Chinese numerals (一 … 九十九, 〇/零 not used),
    or None when it is not one (the inverse of :func:`zh_numeral`)."""
    for n in range(1, 100):
        if zh_numeral(n) == text:
            return n
    return None


_NUMBERED = re.compile(r"^(.*?)(\d+|[一二三四五六七八九十]+)(\D*)$")


def _number_of(text: str) -> tuple[str, int, str] | None:
    """(prefix, number, suffix) of a numbered label, or None."""
    found = _NUMBERED.match(text)
    if found is None:
        return None
    prefix, digits, suffix = found.groups()
    number = int(digits) if digits.isdigit() else parse_zh_numeral(digits)
    return None if number is None else (prefix, number, suffix)


def _natural_key(texts: Sequence[str]) -> list[str]:
    """The natural order of distinct group texts (rule 2 of the module docstring)."""
    if all(re.fullmatch(r"[+-]?\d+", t.strip()) for t in texts):
        return sorted(texts, key=lambda t: int(t.strip()))
    lowered = [t.strip().lower() for t in texts]
    for known in KNOWN_ORDERS:
        if all(t in known for t in lowered):
            return sorted(texts, key=lambda t: known.index(t.strip().lower()))
    numbered = [_number_of(t) for t in texts]
    if all(numbered):
        parts = [n for n in numbered if n is not None]
        if len({(p, s) for p, _, s in parts}) == 1:
            by_text = dict(zip(texts, parts, strict=True))
            return sorted(texts, key=lambda t: by_text[t][1])
    return sorted(texts)


def order_groups(
    groups: Iterable[Any], order: Sequence[Any] | None = None, *, what: str = "group_order"
) -> list[Any]:
    """The distinct values of ``groups`` in the order they are shown.

    ``order`` (e.g. ``["东部", "中部", "西部", "东北"]``) is the user's order, matched
    on the values' text (a number 1 and the text "1" are the same group); None or empty
    gives the natural order of the module docstring. A missing value (None) is shown
    last. ``what`` names the option in the error message.

    Examples
    --------
    >>> order_groups(["西部", "东北", "东部", "中部"])
    ['东部', '中部', '西部', '东北']
    >>> order_groups(["第三梯队", "第一梯队", "第二梯队"])
    ['第一梯队', '第二梯队', '第三梯队']
    >>> order_groups([10, 2, 1])
    [1, 2, 10]
    >>> order_groups(["b", "a"], ["b", "a"])
    ['b', 'a']
    """
    values = list(dict.fromkeys(groups))
    missing = [v for v in values if v is None]
    present = [v for v in values if v is not None]
    by_text: dict[str, Any] = {}
    for value in present:
        by_text.setdefault(str(value), value)
    if not order:
        return [by_text[t] for t in _natural_key(list(by_text))] + missing
    wanted = [str(v).strip() for v in order]
    repeated = sorted({t for t in wanted if wanted.count(t) > 1})
    if repeated:
        raise InputError(
            f"{what} names '{repeated[0]}' twice",
            hint="list each group once, in the order to show them",
        )
    known = {t.strip(): t for t in by_text}
    unknown = [t for t in wanted if t not in known]
    if unknown:
        raise InputError(
            f"{what} names '{unknown[0]}', which is not a group of the data",
            hint="the groups are " + ", ".join(_natural_key(list(by_text))),
        )
    absent = [t for t in _natural_key(list(by_text)) if t.strip() not in wanted]
    if absent:
        raise InputError(
            f"{what} leaves out the group '{absent[0]}' of the data",
            hint="list every group: " + ", ".join(_natural_key(list(by_text))),
        )
    return [by_text[known[t]] for t in wanted] + missing
