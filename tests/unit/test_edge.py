"""The request edge's plain parts: storable text, JSON walking, database ids, URL splitting."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventmate.edge import MAX_JSON_DEPTH, RefusedInput, is_storable, json_texts
from eventmate.followups.channels import is_linkedin
from eventmate.ids import MAX_ID, database_id, is_database_id
from eventmate.urls import split_url

from ..strategies import DATABASE_IDS, any_text, json_values


@pytest.mark.parametrize(
    ("text", "storable"),
    [
        ("Ana Ribeiro 😀 \t\r\n\x1b\x7f", True),
        ("a\x00b", False),
        ("\ud800", False),
        ("x\udfff", False),
        ("\U0001f600", True),  # a whole emoji, not a half
    ],
)
def test_storable_text_has_no_nul_and_no_lone_surrogate(text, storable):
    assert is_storable(text) is storable


def test_json_texts_names_every_key_and_string_by_its_path():
    body = {"id": "x", "answers": {"enjoy": "maps"}, "tags_add": ["AI", 3, None]}
    assert sorted(json_texts(body)) == sorted(
        [
            ("id", "id"),
            ("id", "x"),
            ("answers", "answers"),
            ("answers.enjoy", "enjoy"),
            ("answers.enjoy", "maps"),
            ("tags_add", "tags_add"),
            ("tags_add.0", "AI"),
        ]
    )
    assert list(json_texts("just text")) == [("body", "just text")]


def nested(depth: int):
    body = "end"
    for level in range(depth):
        body = [body] if level % 2 else {"a": body}
    return body


def test_json_deeper_than_the_limit_is_refused_with_a_sentence():
    path, text = list(json_texts(nested(MAX_JSON_DEPTH)))[-1]
    assert (path.count("."), text) == (MAX_JSON_DEPTH - 1, "end")
    with pytest.raises(RefusedInput, match=f"deeper than {MAX_JSON_DEPTH} levels"):
        list(json_texts(nested(MAX_JSON_DEPTH + 1)))


def test_a_very_deep_json_is_walked_without_recursion():
    with pytest.raises(RefusedInput):
        list(json_texts(nested(100_000)))


def strings(value):
    """Reference: every key and string, recursively."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


@given(json_values)
def test_json_texts_yields_every_key_and_string(body):
    assert sorted(text for _, text in json_texts(body)) == sorted(strings(body))


@pytest.mark.parametrize(
    ("text", "value"),
    [("1", 1), (str(MAX_ID), MAX_ID), (" 12 ", 12), ("٣", 3)],
)
def test_database_id_reads_ids_in_range(text, value):
    assert database_id(text) == value


@pytest.mark.parametrize("text", ["0", "-1", str(MAX_ID + 1), "9" * 30, "9" * 5000, "1.0", "x"])
def test_database_id_refuses_what_no_row_can_have(text):
    with pytest.raises(ValueError):
        database_id(text)


@given(st.one_of(DATABASE_IDS, st.booleans(), st.floats(), any_text, st.none()))
def test_is_database_id_matches_the_integer_column(value):
    expected = type(value) is int and 1 <= value <= 2**31 - 1
    assert is_database_id(value) is expected


@pytest.mark.parametrize(
    "text", ["https://[x", "http://[::1", "http://example.com:99999999", "http://h:-1/"]
)
def test_split_url_says_none_for_text_that_only_looks_like_a_url(text):
    assert split_url(text) is None


def test_split_url_reads_a_url():
    parts = split_url("https://Example.com:8443/a?b#c")
    assert (parts.scheme, parts.hostname, parts.port, parts.path) == (
        "https",
        "example.com",
        8443,
        "/a",
    )


@given(any_text)
def test_split_url_never_raises(text):
    parts = split_url(text)
    if parts is not None:
        _ = parts.hostname, parts.port  # readable too


def test_a_malformed_url_of_a_contact_is_no_link_rather_than_an_error():
    assert not is_linkedin("https://[x")
    assert not is_linkedin("http://linkedin.com:99999999/in/ana")
    assert is_linkedin("https://www.linkedin.com/in/ana")
