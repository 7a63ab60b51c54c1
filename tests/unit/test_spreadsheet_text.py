"""No CSV cell a spreadsheet would run as a formula, wherever a cell can start."""

import pytest

from eventmate.account.spreadsheet import spreadsheet_text


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\uff1d1+1", "'\uff1d1+1"),  # full-width =
        ("   =cmd|' /C calc'!A0", "   '=cmd|' /C calc'!A0"),
        ("\u00a0=1", "\u00a0'=1"),  # after a no-break space
        ("\t=1", "'\t'=1"),
        ("\tplain", "'\tplain"),
        ("\rplain", "'\rplain"),
        ('Met at the stand\n=HYPERLINK("http://x")', 'Met at the stand\n\'=HYPERLINK("http://x")'),
        ("first\r\n  @SUM(1)", "first\r\n  '@SUM(1)"),
        ("a\t-1", "a\t'-1"),
        ("a,=1", "a,'=1"),
        ("a; +1", "a; '+1"),
        ("a\u2028=1", "a\u2028'=1"),
        ("+351 912 345 678", "'+351 912 345 678"),
        ("+351 912 345 678; +44 20 7946 0000", "'+351 912 345 678; '+44 20 7946 0000"),
    ],
)
def test_a_formula_character_at_any_cell_start_gets_an_apostrophe(value, written):
    assert spreadsheet_text(value) == written


@pytest.mark.parametrize(
    "value",
    ["Ana Ribeiro", "ana@example.org", "2026-11-23T09:30:00+00:00", "a - b", "x=1", "1+1", ""],
)
def test_text_without_a_formula_start_is_unchanged(value):
    assert spreadsheet_text(value) == value
