"""Hypothesis strategies for what a stranger can send: QR payloads, form fields, JSON values.

Each mixes plausible input (so the fuzz gets past the first check) with the kinds of odd input
that broke the app once: codecs that are not text encodings, quoted-printable NULs, URLs that
`urlsplit` refuses, ids beyond the database's integer range, NUL and lone surrogates.
"""

import encodings.aliases
import string
from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

# Every codec name Python knows, the text encodings and the others (base64, rot13, zlib, ...).
CHARSETS = sorted(
    set(encodings.aliases.aliases) | set(encodings.aliases.aliases.values()) | {"idna", "x-junk"}
)
ODD_TEXT = (
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",
    "😀",
    "\u202e",
    "\x1b[31m",
    "\r\n",
    "x" * 3000,
    "https://[x",
    "http://example.com:99999999",
    "javascript:alert(1)",
    "0",
    "-1",
    "2147483647",
    "2147483648",
    "9223372036854775808",
    "9" * 40,
    "1e309",
    "nan",
    "١٢",
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
)
DATABASE_IDS = st.one_of(
    st.integers(min_value=-(2**40), max_value=2**70),
    st.sampled_from([0, 2**31 - 1, 2**31, 2**32, 2**63, 2**64]),
)

# Plain text with every kind of character, surrogates included (they arrive through JSON).
any_text = st.text(st.characters(exclude_categories=()), max_size=60)
odd_text = st.one_of(st.sampled_from(ODD_TEXT), any_text)


# --- QR payloads ----------------------------------------------------------------------------


def quoted_printable(data: bytes) -> str:
    return "".join(f"={byte:02X}" for byte in data)


@st.composite
def vcard_properties(draw) -> str:
    name = draw(
        st.sampled_from(
            ["FN", "N", "ORG", "TITLE", "EMAIL", "TEL", "URL", "NOTE", "item1.EMAIL", "X-JUNK"]
        )
    )
    params = draw(
        st.lists(
            st.one_of(
                st.just("ENCODING=QUOTED-PRINTABLE"),
                st.just("QUOTED-PRINTABLE"),
                st.sampled_from(CHARSETS).map(lambda charset: f"CHARSET={charset}"),
                st.just("TYPE=WORK"),
                st.text(string.printable, max_size=10),
            ),
            max_size=3,
        )
    )
    value = draw(
        st.one_of(
            odd_text,
            st.binary(max_size=20).map(quoted_printable),
            st.sampled_from(["A=00B", "=FF=FE", "+2AA-", "\\ud800", "tel:%00", "Doe;John"]),
        )
    )
    return ";".join([name, *params]) + ":" + value


@st.composite
def vcards(draw) -> str:
    version = draw(st.sampled_from(["2.1", "3.0", "4.0", None]))
    lines = ["BEGIN:VCARD", *([f"VERSION:{version}"] if version else [])]
    lines += draw(st.lists(vcard_properties(), max_size=5))
    lines += ["END:VCARD"] if draw(st.booleans()) else []
    return draw(st.sampled_from(["\r\n", "\n", "\r"])).join(lines)


def short_card(prefix: str, keys: list[str]):
    field = st.tuples(st.sampled_from(keys), odd_text).map(lambda pair: f"{pair[0]}:{pair[1]}")
    return st.lists(field, max_size=5).map(lambda fields: prefix + ";".join(fields) + ";;")


urls = st.builds(
    "{}{}{}".format,
    st.sampled_from(["http://", "https://", "HTTPS://", "ftp://", "", "www."]),
    st.one_of(
        st.sampled_from(["[x", "[::1]", "example.com:99999999", "a@b:c", "example.com:-1", "%00"]),
        st.text(string.printable, max_size=20),
    ),
    st.text(max_size=20),
)

payloads = st.one_of(
    vcards(),
    short_card("MECARD:", ["N", "TEL", "EMAIL", "URL", "NOTE", "ORG", "TITLE", "ADR"]),
    short_card("BIZCARD:", ["N", "X", "T", "C", "E", "B", "M", "F", "A"]),
    short_card("MEBKM:", ["TITLE", "URL"]),
    urls,
    st.builds("MEBKM:URL:{};;".format, urls),
    odd_text,
)


# --- request bodies -------------------------------------------------------------------------

form_values = st.one_of(odd_text, st.integers().map(str), DATABASE_IDS.map(str))

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    DATABASE_IDS,
    st.floats(allow_nan=False),
    odd_text,
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(any_text, children, max_size=3)
    ),
    max_leaves=8,
)
client_ids = st.sampled_from([True] * 4 + [False]).flatmap(
    lambda fair: st.uuids().map(str) if fair else odd_text
)


def timestamps():
    """Mostly a moment of the past weeks, as a phone sends it; else any time or junk."""
    now = datetime.now(UTC)
    recent = st.integers(min_value=0, max_value=30 * 86400).map(
        lambda seconds: (now - timedelta(seconds=seconds)).isoformat()
    )
    moments = st.datetimes(min_value=datetime(2019, 12, 1), max_value=datetime(2030, 1, 1))
    return st.one_of(
        recent,
        recent,
        moments.map(lambda moment: moment.replace(tzinfo=UTC).isoformat()),
        moments.map(datetime.isoformat),  # no time zone
        odd_text,
    )
