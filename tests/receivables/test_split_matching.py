"""The document-id matching split in two halves (two threads) gives the one-pass matching.

Above ``SPLIT_MIN`` strings the ledger hashes the ids in two halves, split by the last byte of
each string; small ledgers never reach that path on their own, so it is forced here: on random
ids (duplicates, missing and empty values, multi-byte characters) and on the shared hypothesis
ledgers, the split matching, the one-pass matching and the open items must be identical.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import ledgers

from creditlab.receivables import _keys, open_items
from creditlab.receivables._keys import _encode_together, _match_ids

_id = st.one_of(st.none(), st.text(alphabet="AFé0123456789-", max_size=5))


def _reference(first, *others):
    """Positions by a dict: the first occurrence in ``first``; -1 missing; n absent."""
    pos: dict = {}
    for i, v in enumerate(first):
        if v is not None:
            pos.setdefault(v, i)
    n = len(first)
    return [np.array([i if v is None else pos.get(v, i) for i, v in enumerate(first)],
                     dtype=np.int64)] + [
        np.array([-1 if v is None else pos.get(v, n) for v in col], dtype=np.int64)
        for col in others]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet="AFé0123456789-", max_size=5), max_size=30),
       st.lists(_id, max_size=30), st.lists(_id, max_size=10))
def test_split_matching_is_the_one_pass_matching(docs, refs, related):
    cols = [pd.Series(docs, dtype="str"), pd.Series(refs, dtype="str"),
            pd.Series(related, dtype="str")]
    want = _reference(docs, refs, related)
    for parts in (1, 2):
        got = _match_ids(*cols, parts=parts)
        for g, w in zip(got, want, strict=True):
            np.testing.assert_array_equal(g, w)
    # the same positions as the dictionary codes of the one-pass encoding, when ids are unique
    if len(set(docs)) == len(docs):
        codes = _encode_together(*cols)
        n = len(docs)
        for g, c in zip(got[1:], codes[1:], strict=True):
            hit = (g >= 0) & (g < n)
            np.testing.assert_array_equal(hit, (c >= 0) & (c < n))
            np.testing.assert_array_equal(g[hit], c[hit])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers())
def test_ledger_with_split_matching_gives_the_same_open_items(case):
    one = open_items(case.invoices, case.payments, case.as_of)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_keys, "SPLIT_MIN", 0)
        two = open_items(case.invoices, case.payments, case.as_of)
    pd.testing.assert_frame_equal(one, two)
