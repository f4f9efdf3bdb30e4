"""landscape.numbers: unknown stays unknown (None), never 0."""
import math

import pandas as pd
import pytest

from landscape.numbers import number, whole_number


@pytest.mark.parametrize("raw, expected", [
    (None, None), (float("nan"), None), (pd.NA, None), (pd.NaT, None), ("", None), ("abc", None),
    (math.inf, None), (True, None), (3.0, 3), ("4", 4), (2.5, 2.5), (0, 0), (1e16, 1e16),
])
def test_number(raw, expected):
    got = number(raw)
    assert got == expected and type(got) is type(expected)


def test_whole_number():
    assert whole_number(131072.0) == 131072 and whole_number(None) is None and whole_number(2.9) == 2
