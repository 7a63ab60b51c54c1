"""The id range every route and field shares (eventmate/ids.py)."""

import re

import pytest

from eventmate.ids import MAX_ID, numbers_up_to


@pytest.mark.parametrize("limit", [1, 7, 10, 35, 100, 909, 1000, 2024])
def test_the_route_pattern_matches_exactly_one_to_the_limit(limit):
    pattern = re.compile(numbers_up_to(limit) + r"\Z")
    assert [n for n in range(limit * 3 + 20) if pattern.match(str(n))] == list(range(1, limit + 1))


def test_the_route_pattern_stops_at_the_largest_database_id():
    pattern = re.compile(numbers_up_to(MAX_ID) + r"\Z")
    for inside in (1, 999_999_999, 1_999_999_999, 2_147_483_639, MAX_ID):
        assert pattern.match(str(inside)), inside
    for outside in (0, MAX_ID + 1, 2_147_483_650, 2_200_000_000, 9_999_999_999, 2**63):
        assert not pattern.match(str(outside)), outside
    assert not pattern.match("007"), "no leading zeros: the app never writes them"
