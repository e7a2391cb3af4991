"""The BSN detector against a slow reference that reads the definition literally."""

from __future__ import annotations

import doctest
from itertools import pairwise

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from matching import bsn
from matching.bsn import contains_bsn, elfproef
from matching.errors import InvalidInput

DIGITS = "0123456789"
SEPARATORS = " .-\u00a0"
VALID = ("123456782", "111222333", "999999990", "010000010")  # all pass the elfproef


def reference(text: str) -> bool:
    """Every stretch that starts and ends with a digit, joins digits by single separators, is
    not glued to a further digit on either side, and holds 9 digits passing the elfproef."""
    n = len(text)
    for start in range(n):
        for end in range(start + 1, n + 1):
            piece = text[start:end]
            if piece[0] not in DIGITS or piece[-1] not in DIGITS:
                continue
            if (start > 0 and text[start - 1] in DIGITS) or (end < n and text[end] in DIGITS):
                continue
            if any(c not in DIGITS + SEPARATORS for c in piece):
                continue
            if any(a in SEPARATORS and b in SEPARATORS for a, b in pairwise(piece)):
                continue
            digits = "".join(c for c in piece if c in DIGITS)
            if len(digits) == 9 and elfproef(digits):
                return True
    return False


TEXT = st.text(alphabet=DIGITS + SEPARATORS + "aB;", max_size=40)
WITH_BSN = st.builds(
    lambda before, number, cut, after: before + number[:cut] + " " + number[cut:] + after,
    st.text(alphabet="ab ;", max_size=5),
    st.sampled_from(VALID),
    st.integers(1, 8),
    st.text(alphabet="ab ;", max_size=5),
)


@given(st.one_of(TEXT, WITH_BSN))
@example("BSN 123456782 12")
@example("0612345678")
def test_detector_equals_the_slow_reference(text: str) -> None:
    assert contains_bsn(text) == reference(text)


@pytest.mark.parametrize(
    "text",
    ["BSN 123456782 heftruck rijden", "schoonmaker 111222333", "bsn:1234.56.782",
     "123 456 782", "Bakkerij 123-456-782 B.V.", "K123456782"],
)  # fmt: skip
def test_bsns_are_found(text: str) -> None:
    assert contains_bsn(text)


@pytest.mark.parametrize(
    "text",
    ["123456789", "tel 06 1234 5678", "0612345678", "03-12-2026", "KvK 28011111", "1234567820",
     "NL91ABNA0417164300", "32 uur per week, 2 ploegen"],
)  # fmt: skip
def test_other_numbers_are_not(text: str) -> None:
    assert not contains_bsn(text)


def test_refusal_names_the_field_and_never_the_number() -> None:
    with pytest.raises(InvalidInput) as caught:
        bsn.refuse_bsn("graag 123456782 voorstellen", field="De reden")
    assert str(caught.value).startswith("De reden bevat") and "123456782" not in str(caught.value)
    bsn.refuse_bsn(None, field="De reden")  # nothing to refuse


def test_doctests_pass() -> None:
    assert doctest.testmod(bsn).failed == 0
