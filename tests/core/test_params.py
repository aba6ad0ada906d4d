"""The one integer parser: ASCII digits only, a minus sign only where allowed, bounded length
and range. Every form, query, URL and API parameter that reads a whole number uses it."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from educational.core.params import MAX_ID, MAX_LENGTH, parse_int

#: Text that Python's int() or str.isdigit() takes for a number, and the parser does not.
NOT_ASCII_WHOLE_NUMBERS = [
    "²",  # isdigit() is true, int() fails
    "٣",  # Arabic-Indic three: int() reads 3
    "\uff11",  # full-width one: int() reads 1
    "1²",
    "1_000",  # int() reads 1000
    "+1",
    "1.0",
    "1e3",
    "0x10",
    "١٢",
    "-",
    "",
    "   ",
    "1\x00",
    "\x001",
    "NaN",
    "∞",
]


@pytest.mark.parametrize("text", NOT_ASCII_WHOLE_NUMBERS)
def test_only_ascii_digits_are_a_number(text):
    assert parse_int(text, minimum=None, maximum=None) is None


@pytest.mark.parametrize(
    ("text", "number"), [("0", 0), ("7", 7), ("007", 7), (" 12 ", 12), ("2147483647", MAX_ID)]
)
def test_ascii_whole_numbers_are_read(text, number):
    assert parse_int(text) == number


def test_minus_only_where_negative_numbers_are_allowed():
    assert parse_int("-3") is None
    assert parse_int("-0") is None
    assert parse_int("-3", minimum=-10) == -3
    assert parse_int("-3", minimum=None) == -3


def test_bounds_are_inclusive_and_outside_is_none():
    assert parse_int("1", minimum=1, maximum=5) == 1
    assert parse_int("5", minimum=1, maximum=5) == 5
    assert parse_int("0", minimum=1, maximum=5) is None
    assert parse_int("6", minimum=1, maximum=5) is None
    assert parse_int(str(MAX_ID + 1)) is None


def test_huge_numbers_are_refused_before_conversion():
    # int() refuses more than 4,300 digits (a ValueError that was a 500).
    assert parse_int("9" * 5000, maximum=None) is None
    assert parse_int("9" * MAX_LENGTH, maximum=None) == int("9" * MAX_LENGTH)
    assert parse_int("9" * 40) is None


def test_missing_is_none():
    assert parse_int(None) is None


@settings(derandomize=True, max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_any_text_is_a_number_in_bounds_or_none(text):
    number = parse_int(text, minimum=-100, maximum=100)
    if number is None:
        return
    assert -100 <= number <= 100
    assert text.strip(" \t\r\n").lstrip("-").isascii()


@settings(derandomize=True, max_examples=200, deadline=None)
@given(st.integers(min_value=-(10**30), max_value=10**30))
def test_every_integer_in_ascii_reads_back(number):
    assert parse_int(str(number), minimum=None, maximum=None) == number
