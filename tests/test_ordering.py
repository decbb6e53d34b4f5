"""The order groups are shown in (nqpf.ordering.order_groups): the user's order, checked
against the data, or the natural one — tiers by their number, China's four economic
regions in the order papers list them, otherwise sorted."""

from __future__ import annotations

import pytest

from nqpf.errors import InputError
from nqpf.options import ReportOptions
from nqpf.ordering import order_groups, parse_zh_numeral, zh_numeral


@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        (
            ["第三梯队", "第一梯队", "第十梯队", "第二梯队"],
            ["第一梯队", "第二梯队", "第三梯队", "第十梯队"],
        ),
        (["Tier 10", "Tier 2", "Tier 1"], ["Tier 1", "Tier 2", "Tier 10"]),
        (["club10", "club2", "club1"], ["club1", "club2", "club10"]),
        (["10", "9", "1"], ["1", "9", "10"]),
        ([3, 1, 2], [1, 2, 3]),
        (["东北", "西部", "中部", "东部"], ["东部", "中部", "西部", "东北"]),
        (["西部地区", "东部地区"], ["东部地区", "西部地区"]),
        (["West", "Northeast", "East", "Central"], ["East", "Central", "West", "Northeast"]),
        (["b", "c", "a"], ["a", "b", "c"]),
        # numbered with different words around the number: no tier order, sorted
        (["A2", "B1"], ["A2", "B1"]),
        (["东部", "沿海"], ["东部", "沿海"]),  # not only the four regions: sorted
    ],
)
def test_natural_order(groups, expected):
    assert order_groups(groups) == expected
    assert order_groups(list(reversed(groups))) == expected  # not the order of the rows


def test_a_missing_group_is_last_and_repeats_count_once():
    assert order_groups(["西部", None, "东部", "西部"]) == ["东部", "西部", None]


def test_the_users_order_must_name_every_group_once():
    assert order_groups(["a", "b", "c"], ["c", "a", "b"]) == ["c", "a", "b"]
    assert order_groups([1, 2], ["2", "1"]) == [2, 1]  # matched on the text
    with pytest.raises(InputError, match="names 'd', which is not a group of the data") as bad:
        order_groups(["a", "b"], ["a", "b", "d"])
    assert "the groups are a, b" in str(bad.value)
    with pytest.raises(InputError, match="leaves out the group 'b'"):
        order_groups(["a", "b"], ["a"])
    with pytest.raises(InputError, match="names 'a' twice"):
        order_groups(["a", "b"], ["a", "a", "b"])


def test_chinese_numerals():
    assert [zh_numeral(n) for n in (1, 9, 10, 11, 20, 21, 99, 100)] == [
        "一", "九", "十", "十一", "二十", "二十一", "九十九", "100",
    ]  # fmt: skip
    assert all(parse_zh_numeral(zh_numeral(n)) == n for n in range(1, 100))
    assert parse_zh_numeral("十十") is None


def test_group_order_option_splits_chinese_commas():
    assert ReportOptions(group_order="东部，中部、西部,东北").group_order == (
        "东部",
        "中部",
        "西部",
        "东北",
    )
    assert ReportOptions(group_order=["a b", " c "]).group_order == ("a b", "c")
    with pytest.raises(InputError, match="must be a list of texts"):
        ReportOptions(group_order=[1, 2])
