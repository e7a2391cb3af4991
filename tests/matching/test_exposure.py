"""Exposure spread (Gini) by hand."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.errors import InvalidInput
from matching.metrics import gini


def test_gini_by_hand() -> None:
    """[1, 2, 3]: |differences| over ordered pairs 2·(1+2+1) = 8; 8 / (2·9·2) = 2/9."""
    assert gini([3, 1, 2]) == pytest.approx(2 / 9)
    assert gini([5, 5, 5]) == 0.0
    assert gini([0, 0]) == 0.0
    with pytest.raises(InvalidInput):
        gini([])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 1000), min_size=1, max_size=50))
def test_gini_in_zero_one(counts: list[int]) -> None:
    """Gini lies in [0, 1 − 1/n] and is unchanged by scaling and permutation."""
    value = gini(counts)
    assert 0.0 <= value <= 1.0 - 1.0 / len(counts) + 1e-12
    assert gini([3 * x for x in counts]) == pytest.approx(value)
    assert gini(list(reversed(counts))) == pytest.approx(value)
