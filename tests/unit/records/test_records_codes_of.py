"""observations.codes_of: the codes of codes.codings, for the parts of an Observation that need only codes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pgo.records import codes
from pgo.records.observations import codes_of

values = st.one_of(
    st.none(),
    st.text(max_size=6),
    st.integers(),
    st.booleans(),
    st.just(""),
    st.just(" H "),
    st.lists(st.none(), max_size=1),
)
codings = st.dictionaries(st.sampled_from(["system", "code", "display"]), values, max_size=3)
concepts = st.one_of(
    values,
    codings,
    st.fixed_dictionaries({"coding": st.one_of(values, st.lists(st.one_of(codings, values), max_size=3))}),
    st.fixed_dictionaries({"coding": st.lists(codings, max_size=3), "code": values, "text": values}),
)


@given(concepts)
def test_the_same_codes_as_codings(concept):
    assert codes_of(concept) == [coding["code"] for coding in codes.codings(concept)]


def test_examples():
    assert codes_of({"coding": [{"system": "x", "code": " vital-signs "}, {"code": ""}, {"code": 0}]}) == [
        "vital-signs",
        "0",
    ]
    assert codes_of({"code": "H", "system": "y"}) == ["H"]  # a bare Coding
    assert codes_of({"text": "High"}) == []
