import pytest

from helpers.data.units import conversion_factor, convert, normalise_unit
from helpers.errors import UnitError


@pytest.mark.parametrize(
    "value, src, dst, expected",
    [
        (1.98, "亿元", "万元", 19800),
        (6035, "万元", "亿元", 0.6035),
        (1550, "万元", "元", 15_500_000),
        (4, "万平方米", "平方米", 40000),
        (2000, "亩", "万亩", 0.2),
        (1, "公顷", "亩", 15),
        (800, "米", "公里", 0.8),
        (3, "万人", "人", 30000),
        (5, "(万元)", "万元", 5),
        (5, "", "万元", 5),
        (2, "万吨", "吨", 20000),
    ],
)
def test_conversions(value, src, dst, expected):
    assert convert(value, src, dst) == pytest.approx(expected)


@pytest.mark.parametrize(
    "src, dst", [("亩", "万元"), ("个", "户"), ("斤", "万元"), ("万元", "平方米")]
)
def test_unknown_conversion_is_an_error(src, dst):
    with pytest.raises(UnitError) as info:
        conversion_factor(src, dst)
    assert info.value.value == src
    assert src in str(info.value) and dst in str(info.value)


def test_normalise():
    assert normalise_unit("（万元）") == "万元"
    assert normalise_unit(" 平米 ") == "平方米"
    assert convert(None, "亿元", "万元") is None
