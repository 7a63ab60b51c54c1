"""Parsing the browser's language tags into Babel locales, and the settings' choices."""

import pytest

from eventmate.locales import CHOICES, choice_label, is_valid_choice, parse_locale


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("pt-PT", "pt_PT"),
        ("pt_PT", "pt_PT"),
        ("de", "de"),
        ("en-US", "en_US"),
        ("zh-Hans-CN", "zh_Hans_CN"),
    ],
)
def test_known_tags_parse(tag, expected):
    assert str(parse_locale(tag)) == expected


@pytest.mark.parametrize(
    "tag", ["", "*", None, "xx-YY", "not a locale", "x" * 40, "en--US", "../etc"]
)
def test_unknown_tags_are_none(tag):
    assert parse_locale(tag) is None


def test_every_choice_is_a_locale_with_a_label():
    for tag in CHOICES:
        assert parse_locale(tag) is not None and is_valid_choice(tag)
        assert "·" in choice_label(tag)
    assert is_valid_choice("") and not is_valid_choice("tlh")
