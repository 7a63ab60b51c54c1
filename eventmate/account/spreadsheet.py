"""Text that a spreadsheet shows as text: no formula starts in a CSV cell (CWE-1236, OWASP
"CSV injection").

A spreadsheet runs a cell as a formula when it starts with = + - @ (Excel in Japanese also with
their full-width forms), even after spaces, and treats a leading tab or carriage return as a
trigger too. A cell also has more starts than its first character: pasting a cell splits it
into new cells at line breaks and tabs, and an import that doesn't honour quotes splits at
commas and semicolons. At each such start a formula character gets an apostrophe before it,
which spreadsheets show as text.

A phone number such as "+351 912 345 678" therefore reads '+351 912 345 678. Left alone,
spreadsheets would compute it (351912345678, or #NAME?); the apostrophe keeps every digit and
the plus sign. The vCard and JSON exports carry it unchanged.
"""

import re

TRIGGERS = "=+-@\uff1d\uff0b\uff0d\uff20"  # and ＝ ＋ － ＠
CELL_STARTS = "\t\r\n,;\v\f\x1c\x1d\x1e\x85\u2028\u2029"  # a paste or a parser may split here
_FORMULA_START = re.compile(rf"(^|[{CELL_STARTS}])(\s*)(?=[{re.escape(TRIGGERS)}])")


def spreadsheet_text(value: str) -> str:
    """The value with an apostrophe before every formula character that could start a cell."""
    value = _FORMULA_START.sub(r"\1\2'", value)
    if value[:1] in ("\t", "\r"):
        value = "'" + value
    return value
