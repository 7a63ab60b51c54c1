"""parse_payload never fails on odd or crafted text: it reads it, or says in a sentence why it
can't; and what it reads is readable text that both databases can store."""

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventmate.badges import ParsedPayload, PayloadError, parse_payload, parse_vcard_bytes
from eventmate.edge import is_storable

from ..strategies import CHARSETS, any_text, payloads, quoted_printable

KINDS = {"vcard", "mecard", "bizcard", "url", "text"}
CONTROL = {chr(code) for code in [*range(0x20), *range(0x7F, 0xA0)]} - {"\t", "\n", "\r"}


def vcard(*lines: str) -> str:
    return "\r\n".join(["BEGIN:VCARD", "VERSION:2.1", *lines, "END:VCARD"])


def read_values(parsed: ParsedPayload) -> list[str]:
    card = parsed.details()
    if card is None:
        return [parsed.url]
    return [card.full_name, card.title, card.company, *card.emails, *card.phones, *card.urls]


def assert_readable(parsed: ParsedPayload) -> None:
    for value in [*read_values(parsed), parsed.details().note if parsed.details() else ""]:
        assert is_storable(value), repr(value)
        assert not CONTROL & set(value) - {"\n"}, repr(value)


# What broke the scan API once, and what each now reads as (the name it shows).
ODD_PAYLOADS = {
    "url-urlsplit-refuses": ("https://[x", "text", ""),
    "url-port-out-of-range": ("http://example.com:99999999", "text", ""),
    "mebkm-urlsplit-refuses": ("MEBKM:TITLE:Me;URL:http://[x;;", "text", ""),
    "mecard-url-urlsplit-refuses": ("MECARD:N:Ana;URL:https://[x;;", "mecard", "Ana"),
    **{
        f"charset-{codec}": (
            vcard(f"FN;CHARSET={codec};ENCODING=QUOTED-PRINTABLE:Ana=20Ribeiro"),
            "vcard",
            "Ana Ribeiro",
        )
        for codec in ("base64", "rot13", "hex", "uu", "idna", "zlib", "bz2", "quopri")
    },
    # Not UTF-8 either: read as Windows-1252, as for a file without CHARSET.
    "charset-punycode": (vcard("FN;CHARSET=punycode;QUOTED-PRINTABLE:Ana=FF"), "vcard", "Anaÿ"),
    "charset-undefined": (vcard("FN;CHARSET=undefined;QUOTED-PRINTABLE:Ana"), "vcard", "Ana"),
    "qp-nul": (vcard("FN;ENCODING=QUOTED-PRINTABLE:Ana=00 Ribeiro"), "vcard", "Ana Ribeiro"),
    "qp-controls": (vcard("FN;ENCODING=QUOTED-PRINTABLE:=1B[31mAna=07=85"), "vcard", "[31mAna…"),
    "utf7-lone-surrogate": (vcard("FN;CHARSET=utf-7;QUOTED-PRINTABLE:Ana+2AA-"), "vcard", "Ana"),
    "escape-codec-nul": (
        vcard("FN;CHARSET=unicode_escape;QUOTED-PRINTABLE:Ana\\x00\\ud800"),
        "vcard",
        "Ana",
    ),
    "tel-uri-nul": (vcard("FN:Ana", "TEL;VALUE=uri:tel:%00+351%00"), "vcard", "Ana"),
}


@pytest.mark.parametrize(("text", "kind", "name"), ODD_PAYLOADS.values(), ids=ODD_PAYLOADS)
def test_odd_payloads_are_read_as_readable_text(text, kind, name):
    parsed = parse_payload(text)
    assert (parsed.kind, parsed.raw) == (kind, text)
    assert (parsed.card.full_name if parsed.card else "") == name
    assert_readable(parsed)


def test_a_nul_decoded_from_a_phone_number_is_dropped():
    parsed = parse_payload(vcard("FN:Ana", "TEL;VALUE=uri:tel:%00+351%00"))
    assert parsed.card.phones == ["+351"]


def test_a_note_keeps_its_lines_but_not_its_controls():
    parsed = parse_payload(vcard("FN:Ana", "NOTE;ENCODING=QUOTED-PRINTABLE:one=0D=0A=00two=0C"))
    assert parsed.card.note == "one\ntwo"


@given(payloads)
def test_any_payload_is_read_or_refused_with_a_sentence(text):
    try:
        parsed = parse_payload(text)
    except PayloadError as error:
        message = str(error)
        assert message[0].isupper() and message.endswith("."), message
        return
    assert parsed.kind in KINDS and parsed.raw == text
    assert is_storable(parsed.raw)
    assert_readable(parsed)


@given(any_text)
def test_any_text_at_all_is_read_or_refused(text):
    with contextlib.suppress(PayloadError):
        assert_readable(parse_payload(text))


@given(st.sampled_from(CHARSETS), st.binary(max_size=30))
def test_a_vcard_file_in_any_charset_is_read_or_refused(charset, data):
    """.vcf files apply CHARSET to raw bytes too, not only to quoted-printable values."""
    qp = quoted_printable(data).encode()
    for encoding, value in ((b"", data), (b";ENCODING=QUOTED-PRINTABLE", qp)):
        file = b"BEGIN:VCARD\r\nFN;CHARSET=%s%s:Ana %s\r\nEND:VCARD\r\n" % (
            charset.encode(),
            encoding,
            value,
        )
        try:
            cards = parse_vcard_bytes(file)
        except PayloadError:
            continue
        for card in cards:
            assert_readable(ParsedPayload("vcard", "", card))
