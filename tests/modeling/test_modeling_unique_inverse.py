"""``unique_inverse`` (hash then sort the distinct values) gives exactly ``np.unique``'s sorted
categories and inverse codes: the categorical binning and its transform rely on that order."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from creditlab.modeling._common import unique_inverse


@given(st.lists(st.text(max_size=4), min_size=1, max_size=60))
def test_unique_inverse_equals_numpy_unique(values):
    text = np.array(values, dtype=object)
    cats, inv = unique_inverse(text)
    want_cats, want_inv = np.unique(text, return_inverse=True)
    assert list(cats) == list(want_cats)
    assert np.array_equal(inv, want_inv)
    assert [cats[i] for i in inv] == values


def test_unique_inverse_by_hand():
    cats, inv = unique_inverse(np.array(["non", "oui", "non", "Oui"], dtype=object))
    assert list(cats) == ["Oui", "non", "oui"]  # code-point order: capitals first
    assert inv.tolist() == [1, 2, 1, 0]
