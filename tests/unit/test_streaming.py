"""The streamed JSON export writes what `json.dumps(…, indent=2)` would, character for
character, whatever the document; chunks join back to the text."""

import json

from hypothesis import given
from hypothesis import strategies as st

from eventmate.streaming import Streamed, chunked, json_document

leaves = st.none() | st.booleans() | st.integers() | st.text(max_size=12)
values = st.recursive(
    leaves,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=12,
)
documents = st.dictionaries(st.text(max_size=8), values, max_size=5)


@given(documents, st.data())
def test_a_document_with_streamed_lists_reads_as_json_dumps_writes_it(document, data):
    lists = {
        key: data.draw(st.lists(values, max_size=4), label=key)
        for key in data.draw(st.lists(st.text(max_size=8), max_size=3, unique=True))
    }
    whole = document | lists
    streamed = {key: Streamed(iter(v)) if key in lists else v for key, v in whole.items()}
    assert "".join(json_document(streamed)) == json.dumps(whole, ensure_ascii=False, indent=2)


def test_a_user_value_that_looks_like_the_marker_stays_a_value():
    document = {"bio": "\0contacts\0", "contacts": Streamed(iter([{"a": 1}]))}
    expected = {"bio": "\0contacts\0", "contacts": [{"a": 1}]}
    assert "".join(json_document(document)) == json.dumps(expected, ensure_ascii=False, indent=2)


@given(st.lists(st.text(max_size=50), max_size=40), st.integers(min_value=1, max_value=64))
def test_chunks_join_back_and_only_the_last_is_short(parts, size):
    chunks = list(chunked(parts, size))
    assert "".join(chunks) == "".join(parts)
    assert all(len(chunk) >= size for chunk in chunks[:-1])
