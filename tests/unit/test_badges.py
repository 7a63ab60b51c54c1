"""eventmate.badges against real phone exports and QR payloads, plus edge cases.

The expectations below were written by reading each file in shared/testdata, not taken
from the parser's output.
"""

from pathlib import Path

import pytest

from eventmate.badges import (
    MAX_PAYLOAD_BYTES,
    CardData,
    ParsedPayload,
    PayloadError,
    card_to_vcard,
    parse_payload,
    parse_vcard_bytes,
)

TESTDATA = Path(__file__).resolve().parents[2].parent / "shared" / "testdata"
needs_testdata = pytest.mark.skipif(
    not TESTDATA.is_dir(), reason=f"shared test data not found at {TESTDATA}"
)

N_TILDE = "Ñ"

# file -> one (full name, e-mails, phones) per card, in file order
VCARDS: dict[str, list[tuple[str, list[str], list[str]]]] = {
    "John_Doe_ANDROID.vcf": [
        ("", ["john.doe@company.com"], []),
        ("", ["jane.doe@company.com"], []),
        (" ".join([N_TILDE] * 5), [], ["123456789"]),
        (" ".join([N_TILDE] * 11), [], ["123456", "234567", "3456789", "45678901"]),
        (" ".join([N_TILDE] * 4), ["bob@company.com", N_TILDE * 14], ["123456"]),
        (N_TILDE * 4, ["henry@company.com"], ["55556666"]),
    ],
    "John_Doe_BLACK_BERRY.vcf": [("John Doe", [], ["+96123456789"])],
    "John_Doe_EVOLUTION.vcf": [
        ("Mr. John Richter, James Doe Sr.", ["john.doe@ibm.com"], ["905-666-1234", "905-555-1234"])
    ],
    "John_Doe_GMAIL.vcf": [
        ("Mr. John Richter, James Doe Sr.", ["john.doe@ibm.com"], ["905-555-1234", "905-666-1234"])
    ],
    "John_Doe_IPHONE.vcf": [
        (
            "Mr. John Richter James Doe Sr.",
            ["john.doe@ibm.com"],
            [
                "905-555-1234",
                "905-666-1234",
                "905-777-1234",
                "905-888-1234",
                "905-999-1234",
                "905-111-1234",
                "905-222-1234",
            ],
        )
    ],
    "John_Doe_LOTUS_NOTES.vcf": [
        (
            "Mr. Doe John I Johny",
            ["john.doe@ibm.com", "billy_bob@gmail.com"],
            ["+1 (212) 204-34456", "00-1-212-555-7777"],
        )
    ],
    "John_Doe_MAC_ADDRESS_BOOK.vcf": [
        (
            "Mr. John Richter,James Doe Sr.",
            ["john.doe@ibm.com"],
            [
                "905-777-1234",
                "905-666-1234",
                "905-555-1234",
                "905-888-1234",
                "905-999-1234",
                "905-111-1234",
                "905-222-1234",
            ],
        )
    ],
    "John_Doe_MS_OUTLOOK.vcf": [
        (
            "Mr. John Richter James Doe Sr.",
            ["john.doe@ibm.cm"],
            ["(905) 555-1234", "(905) 666-1234"],
        )
    ],
    "fullcontact.vcf": [
        (
            "Prefix FirstName MiddleName LastName Suffix",
            [
                "home@example.com",
                "work@example.com",
                "school@example.com",
                "other@example.com",
                "custom@example.com",
            ],
            [f"555-555-111{digit}" for digit in range(1, 10)],
        )
    ],
    "gmail-list.vcf": [
        ("Arnold Smith", ["asmithk@gmail.com"], []),
        ("Chris Beatle", ["chrisy55d@yahoo.com"], []),
        ("Doug White", ["dwhite@gmail.com"], []),
    ],
    "gmail-single.vcf": [
        ("Greg Dartmouth", ["gdartmouth@hotmail.com"], ["555 555 1111", "555 555 2222"])
    ],
    "outlook-2003.vcf": [
        (
            "John Doe III",
            ["jdoe@hotmail.com"],
            ["BusinessPhone", "HomePhone", "MobilePhone", "BusinessFaxPhone"],
        )
    ],
    "outlook-2007.vcf": [
        (
            "Mr. Michael Angstadt Jr.",
            ["mike.angstadt@gmail.com"],
            ["(111) 555-1111", "(111) 555-2222", "(111) 555-4444", "(111) 555-3333"],
        )
    ],
    "rfc2426-example.vcf": [
        (
            "Frank Dawson",
            ["Frank_Dawson@Lotus.com", "fdawson@earthlink.net"],
            ["+1-919-676-9515", "+1-919-676-9564"],
        ),
        ("Tim Howes", ["howes@netscape.com"], ["+1-415-937-3419", "+1-415-528-4164"]),
    ],
    "rfc6350-example.vcf": [
        (
            "Simon Perreault",
            ["simon.perreault@viagenie.ca"],
            ["+1-418-656-9254 ext. 102", "+1-418-262-6501"],
        )
    ],
    "thunderbird-MoreFunctionsForAddressBook-extension.vcf": [
        (
            "John Doe",
            [
                "doe.john@hotmail.com",
                "additional-email@company.com",
                "additional-email1@company.com",
                "additional-email2@company.com",
                "additional-email3@company.com",
            ],
            ["555-555-1111", "555-555-2222", "555-555-5555", "555-555-3333", "555-555-4444"],
        )
    ],
    "v21_adr_multiple_line.vcf": [("bogus", [], [])],
    # 2.1 backslashes read with 3.0 rules: "\;" and "\\" are escapes, an unknown "\C" stays.
    "v21_backslash.vcf": [("A;B\\C;D:E\\", [], [])],
    "v21_blackberry_photo.vcf": [
        ("boogie", ["forrestgump@walladalla.com"], ["+5555555", "+5555556"])
    ],
    "v21_complicated.vcf": [
        (
            "Joe Due",
            ["forrestgump@walladalla.com", "cell@example.com"],
            ["(111) 555-1212", "(404) 555-1212", "0311111111", "0322222222", "0333333333"],
        )
    ],
    "v21_invalid_comment_line.vcf": [("Conference Call", [], [])],
    "v21_japanese_1.vcf": [("安藤ロイド", [], ["0300000000"])],
    "v21_multiple_entry.vcf": [
        ("安藤ロイド3", [], ["9", "10", "11", "12"]),
        ("安藤ロイド4", [], ["13", "14", "15", "16"]),
        ("安藤ロイド5", [], ["17", "18", "19", "20"]),
    ],
    "v21_pref_handling.vcf": [
        ("Smith", ["test@example.com", "test2@examination.com"], ["1", "2", "3"])
    ],
    "v30_comma_separated.vcf": [("G M F", [], ["1"])],  # no FN: built from N:F;G;M;;
    "v30_japanese.vcf": [("伊能 圭一 伊予", [], [])],
    "v30_simple.vcf": [("And Roid", [], ["0300000000"])],
    "v40_sip.vcf": [("安藤 ロイド", [], ["1", "sip:example@example.com"])],
}

# (file, card index, CardData field, expected): what the table above does not cover
VCARD_DETAILS = [
    ("John_Doe_ANDROID.vcf", 4, "company", N_TILDE * 12),
    ("John_Doe_ANDROID.vcf", 4, "urls", ["www.company.com", "http://www.company.com"]),
    ("John_Doe_ANDROID.vcf", 5, "company", N_TILDE * 44),  # QP soft break before a blank line
    ("John_Doe_EVOLUTION.vcf", 0, "company", "IBM"),
    ("John_Doe_EVOLUTION.vcf", 0, "urls", ["http://www.ibm.com"]),  # folded mid-URL
    ("John_Doe_GMAIL.vcf", 0, "urls", ["http://www.ibm.com"]),  # written as http\://
    ("John_Doe_GMAIL.vcf", 0, "title", "Money Counter"),
    ("outlook-2003.vcf", 0, "company", "Company, The"),
    ("outlook-2003.vcf", 0, "note", "This is the note field!!\nSecond line\n\nThird line is empty"),
    (
        "outlook-2007.vcf",
        0,
        "note",
        "This is the NOTE field\t\nI assume it encodes this text inside a NOTE vCard type.\n"
        "But I'm not sure because there's text formatting going on here.\n"
        "It does not preserve the formatting",
    ),
    (
        "v21_complicated.vcf",
        0,
        "note",
        "The following note is the example from RFC 2045.\n"
        "Now's the time for all folk to come to the aid of their country.",
    ),
    ("v21_complicated.vcf", 0, "company", "Gump Shrimp Co."),
    (
        "v21_invalid_comment_line.vcf",
        0,
        "note",
        "This is an (sharp ->#<- sharp) example. This message must NOT be ignored.",
    ),
    ("fullcontact.vcf", 0, "title", "Title1"),
    ("fullcontact.vcf", 0, "note", "Notes line 1\nNotes line 2"),
    ("v30_simple.vcf", 0, "company", "Open"),
]

SEAN_OWEN = ("mecard", "", ("Sean Owen", ["srowen@google.com"], ["+12125658770"]))
GOOGLE_411 = ("mecard", "", ("Google 411", [], ["18665881077"]))
GRAFFITI_URL = (
    "http://arnaud.sahuguet.com/graffiti/test.php?ll=-74.00309961503218,40.74102573163046,0"
)
TEXT = ("text", "", None)

# stem -> (kind, url, (full name, e-mails, phones) or None)
QR_PAYLOADS = {
    "qrcode-2_11": (
        "vcard",
        "",
        ("Steve Kennedy", ["steve@nettek.co.uk", "MSN:steve@gbnet.net"], ["+44 (0)7775 755503"]),
    ),
    "qrcode-2_25": ("url", "http://d.kaywa.com/2020400102", None),
    "qrcode-2_30": ("mecard", "", ("測試", [], [])),
    "qrcode-2_7": ("bizcard", "", ("Todd Ogasawara", ["editor@mobileviews.com"], [])),
    "qrcode-2_8": ("url", "http://staticrooster.com", None),
    "qrcode-3_01": ("url", GRAFFITI_URL, None),
    "qrcode-3_04": ("url", GRAFFITI_URL, None),
    "qrcode-3_07": ("url", GRAFFITI_URL, None),
    "qrcode-3_10": GOOGLE_411,
    "qrcode-3_13": GOOGLE_411,
    "qrcode-3_16": GOOGLE_411,
    "qrcode-3_17": GOOGLE_411,
    "qrcode-3_18": TEXT,
    "qrcode-3_22": TEXT,
    "qrcode-3_26": SEAN_OWEN,
    "qrcode-3_30": SEAN_OWEN,
    "qrcode-3_34": SEAN_OWEN,
    "qrcode-3_40": SEAN_OWEN,
    "qrcode-3_42": SEAN_OWEN,
    "qrcode-4_09": TEXT,
    "qrcode-4_16": ("url", "http://code.google.com", None),
    "qrcode-4_27": ("url", "http://code.google.com", None),
    "qrcode-4_28": ("url", "http://code.google.com", None),
    "qrcode-4_36": ("url", "http://code.google.com/p/zxing/", None),
    "qrcode-4_41": ("url", "http://code.google.com/p/zxing/", None),
    "qrcode-5_01": SEAN_OWEN,
    "qrcode-5_03": SEAN_OWEN,
    "qrcode-5_06": SEAN_OWEN,
    "qrcode-5_08": SEAN_OWEN,
    "qrcode-5_12": SEAN_OWEN,
    "qrcode-6_13": TEXT,
    "qrcode-6_4": TEXT,
}


def read_vcards(name: str) -> list[CardData]:
    return parse_vcard_bytes((TESTDATA / "vcards" / name).read_bytes())


# --- shared test data -------------------------------------------------------------------


@needs_testdata
def test_tables_cover_every_file() -> None:
    assert sorted(p.name for p in (TESTDATA / "vcards").glob("*.vcf")) == sorted(VCARDS)
    assert sum(len(cards) for cards in VCARDS.values()) == 38  # as the README counts
    assert sorted(p.stem for p in (TESTDATA / "qr-photos").glob("*.txt")) == sorted(QR_PAYLOADS)


@needs_testdata
@pytest.mark.parametrize("name", sorted(VCARDS))
def test_vcard_file(name: str) -> None:
    cards = read_vcards(name)
    assert [(c.full_name, c.emails, c.phones) for c in cards] == VCARDS[name]


@needs_testdata
@pytest.mark.parametrize(
    ("name", "index", "field", "expected"),
    VCARD_DETAILS,
    ids=[f"{name}-{index}-{field}" for name, index, field, _ in VCARD_DETAILS],
)
def test_vcard_file_details(name: str, index: int, field: str, expected: object) -> None:
    assert getattr(read_vcards(name)[index], field) == expected


@needs_testdata
@pytest.mark.parametrize("name", sorted(VCARDS))
def test_vcard_file_round_trips_through_vcard_4(name: str) -> None:
    for card in read_vcards(name):
        assert parse_vcard_bytes(card_to_vcard(card).encode("utf-8")) == [card]


@needs_testdata
@pytest.mark.parametrize("stem", sorted(QR_PAYLOADS))
def test_qr_payload(stem: str) -> None:
    text = (TESTDATA / "qr-photos" / f"{stem}.txt").read_bytes().decode("utf-8")
    kind, url, contact = QR_PAYLOADS[stem]
    parsed = parse_payload(text)
    assert (parsed.kind, parsed.url, parsed.raw) == (kind, url, text)
    if contact is None:
        assert parsed.card is None
    else:
        assert parsed.card is not None
        assert (parsed.card.full_name, parsed.card.emails, parsed.card.phones) == contact


# --- payloads -----------------------------------------------------------------------------

PAYLOAD_ERRORS = {
    "empty": ("", "empty"),
    "whitespace": (" \t\r\n  ", "empty"),
    "junk-10kb": ("junk " * 2048, "larger than any QR code can hold"),
    "2954-bytes": ("a" * (MAX_PAYLOAD_BYTES + 1), "larger than any QR code can hold"),
    "2954-bytes-utf8": ("é" * 1477, "larger than any QR code can hold"),
    "binary-nul": ("PK\x03\x04\x00\x00\x08\x00garbage\x00", "binary"),
    "binary-c1-control": ("caf\x85", "binary"),
    "lone-surrogate": ("abc\udcff", "binary"),
    "broken-vcard-no-end": ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Example", "could not be read"),
    "broken-vcard-garbage": (
        "BEGIN:VCARD\r\n%%% not a vcard %%%\r\nEND:VCARD",
        "could not be read",
    ),
    "vcard-without-contact": ("BEGIN:VCARD\nVERSION:3.0\nNOTE:hi\nEND:VCARD", "could not be read"),
    "mecard-without-contact": ("MECARD:NOTE:nothing else;;", "could not be read"),
    "bizcard-without-contact": ("BIZCARD:A:Somewhere;;", "could not be read"),
}


@pytest.mark.parametrize(("text", "fragment"), PAYLOAD_ERRORS.values(), ids=PAYLOAD_ERRORS)
def test_payload_errors(text: str, fragment: str) -> None:
    with pytest.raises(PayloadError) as caught:
        parse_payload(text)
    message = str(caught.value)
    assert fragment in message
    assert message[0].isupper() and message.endswith(".")


@pytest.mark.parametrize("text", ["a" * MAX_PAYLOAD_BYTES, "é" * 1476], ids=["ascii", "utf8"])
def test_largest_payload_is_accepted(text: str) -> None:
    assert parse_payload(text).kind == "text"


PAYLOADS = {
    "mecard-all-fields": (
        "MECARD:N:Owen,Sean;TEL:+1 212 555 0100;TEL:+1 212 555 0100;EMAIL:sean@example.com;"
        "ORG:Acme\\; Inc\\, Ltd;TITLE:Engineer;URL:http\\://example.com/a\\:b;"
        "NOTE:Likes QR\\, a lot;ADR:1 Main St\\, Springfield;;",
        "mecard",
        CardData(
            full_name="Sean Owen",
            title="Engineer",
            company="Acme; Inc, Ltd",
            emails=["sean@example.com"],
            phones=["+1 212 555 0100"],
            urls=["http://example.com/a:b"],
            note="Likes QR, a lot",
        ),
    ),
    "mecard-lower-case-prefix": ("mecard:N:Doe;;", "mecard", CardData(full_name="Doe")),
    "mecard-org-only": ("MECARD:ORG:Acme;;", "mecard", CardData(full_name="Acme", company="Acme")),
    "bizcard-phones-in-order": (
        "BIZCARD:N:Todd;X:Ogasawara;M:+1 555 0101;B:+1 555 0100;F:+1 555 0102;;",
        "bizcard",
        CardData(full_name="Todd Ogasawara", phones=["+1 555 0101", "+1 555 0100", "+1 555 0102"]),
    ),
    "vcard-21-quoted-printable": (
        "BEGIN:VCARD\r\nVERSION:2.1\r\n"
        "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen\r\nEND:VCARD",
        "vcard",
        CardData(full_name="Jürgen Müller"),
    ),
    # A scanner has already decoded the text: a CHARSET parameter must not decode it again.
    "vcard-charset-already-decoded": (
        "BEGIN:VCARD\nFN;CHARSET=SHIFT_JIS:山田 太郎\nEND:VCARD\n",
        "vcard",
        CardData(full_name="山田 太郎"),
    ),
    "vcard-first-usable-card": (
        "BEGIN:VCARD\nNOTE:empty\nEND:VCARD\nBEGIN:VCARD\nFN:Ann\nEND:VCARD\n",
        "vcard",
        CardData(full_name="Ann"),
    ),
}


@pytest.mark.parametrize(("text", "kind", "card"), PAYLOADS.values(), ids=PAYLOADS)
def test_payload_cards(text: str, kind: str, card: CardData) -> None:
    assert parse_payload(text) == ParsedPayload(kind, text, card)


URLS = {
    "normalised": ("HTTPS://Example.COM/Path?Q=1", "url", "https://example.com/Path?Q=1"),
    "surrounding-whitespace": ("  http://example.com/a  \r\n", "url", "http://example.com/a"),
    "user-info-case-kept": ("http://Ann@Example.com/", "url", "http://Ann@example.com/"),
    "no-scheme": ("www.example.com", "text", ""),
    "ftp": ("ftp://example.com/file", "text", ""),
    "no-host": ("http://", "text", ""),
    "javascript": ("javascript:alert(1)", "text", ""),
    "url-among-words": ("Visit http://example.com today", "text", ""),
    "bad-ipv6": ("http://[::1/", "text", ""),
    "bad-port": ("http://example.com:port/", "text", ""),
    "mebkm-without-scheme": (
        "MEBKM:TITLE:Ex;URL:example.com/page;;",
        "url",
        "http://example.com/page",
    ),
    "mebkm-javascript": ("MEBKM:TITLE:x;URL:javascript\\:alert(1);;", "text", ""),
    "numeric": ("1234567890", "text", ""),
}


@pytest.mark.parametrize(("text", "kind", "url"), URLS.values(), ids=URLS)
def test_payload_urls_and_text(text: str, kind: str, url: str) -> None:
    parsed = parse_payload(text)
    assert (parsed.kind, parsed.url, parsed.raw, parsed.card) == (kind, url, text, None)


# --- vCard files --------------------------------------------------------------------------

VCARD_FILES = {
    "bom-and-cp1252": (
        b"\xef\xbb\xbfBEGIN:VCARD\r\nFN:Ren\xe9\r\nEND:VCARD\r\n",
        [CardData(full_name="René")],
    ),
    "bare-comma-and-escaped-colon": (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Doe, John\r\nORG:Doe, Inc.;Sales\r\n"
        b"URL:http\\://example.com/?ll=1,2\r\nEND:VCARD\r\n",
        [CardData(full_name="Doe, John", company="Doe, Inc.", urls=["http://example.com/?ll=1,2"])],
    ),
    "broken-last-card-skipped": (
        b"BEGIN:VCARD\r\nFN:Ann\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:Bob\r\n",
        [CardData(full_name="Ann")],
    ),
    "nested-agent-ignored": (
        b"BEGIN:VCARD\nVERSION:2.1\nFN:Boss\nAGENT:\nBEGIN:VCARD\nFN:Assistant\n"
        b"EMAIL:assistant@example.com\nEND:VCARD\nEND:VCARD\n",
        [CardData(full_name="Boss")],
    ),
}


@pytest.mark.parametrize(("data", "cards"), VCARD_FILES.values(), ids=VCARD_FILES)
def test_vcard_bytes(data: bytes, cards: list[CardData]) -> None:
    assert parse_vcard_bytes(data) == cards


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00\xff\xfe garbage", b"BEGIN:VCARD\r\nNOTE:no contact\r\nEND:VCARD\r\n"],
    ids=["empty", "garbage", "no-contact"],
)
def test_vcard_bytes_without_contacts(data: bytes) -> None:
    with pytest.raises(PayloadError, match="does not contain any contact"):
        parse_vcard_bytes(data)


# --- writing vCard 4.0 --------------------------------------------------------------------

TRICKY_CARD = CardData(
    full_name="Zoë Núñez-O'Brien, PhD; 山田 太郎",
    title='Head of R&D, Europe; "Core"',
    company="ACME; Inc., \\ Ltd",
    emails=["zoe@example.com", "zoe,work@example.com"],
    phones=["+44 (0)20 7946 0958", "sip:zoe@example.com"],
    urls=["https://example.com/?ll=1,2;x=y"],
    note="Met at booth 4,\nwants a demo; call back\\later.\n\n" + "ü" * 200,
)
WRITE_CASES = {
    "tricky": TRICKY_CARD,
    "long-multibyte-name": CardData(full_name="ü" * 70),
    "empty": CardData(),
    "long-ascii-lines": CardData(full_name="x" * 300, emails=["y" * 200 + "@example.com"]),
}


@pytest.mark.parametrize("card", WRITE_CASES.values(), ids=WRITE_CASES)
def test_card_to_vcard_is_well_formed(card: CardData) -> None:
    text = card_to_vcard(card, uid="urn:uuid:5f0c3a4e-8d2b-4c1e-9a57-2f6b1d0e7c33")
    assert text.startswith("BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:5f0c3a4e-")
    assert text.endswith("END:VCARD\r\n")
    lines = text.split("\r\n")[:-1]
    assert "\n" not in "".join(lines) and "\r" not in "".join(lines)
    assert max(len(line.encode("utf-8")) for line in lines) <= 75


@pytest.mark.parametrize(
    "card", [TRICKY_CARD, WRITE_CASES["long-multibyte-name"]], ids=["tricky", "long-name"]
)
def test_card_to_vcard_round_trips(card: CardData) -> None:
    assert parse_vcard_bytes(card_to_vcard(card).encode("utf-8")) == [card]


def test_card_to_vcard_escapes_text_but_not_uris() -> None:
    text = card_to_vcard(TRICKY_CARD)
    assert "\r\nORG:ACME\\; Inc.\\, \\\\ Ltd\r\n" in text
    assert "\r\nURL:https://example.com/?ll=1,2;x=y\r\n" in text
    assert "\r\nNOTE:Met at booth 4\\,\\nwants a demo\\; call back\\\\later.\\n\\n" in text


def test_card_to_vcard_without_name_uses_company() -> None:
    text = card_to_vcard(CardData(company="Solo Ltd"), uid="badge 42, day 1")
    assert "\r\nUID;VALUE=text:badge 42\\, day 1\r\nFN:Solo Ltd\r\n" in text
    assert parse_vcard_bytes(text.encode()) == [CardData(full_name="Solo Ltd", company="Solo Ltd")]


def test_card_to_vcard_keeps_line_breaks_from_adding_properties() -> None:
    card = CardData(
        full_name="Ann\r\nEMAIL:evil@example.com",
        urls=["https://example.com/\nEMAIL:evil@example.com"],
        note="line 1\rEMAIL:evil@example.com",
    )
    text = card_to_vcard(card)
    assert "\r\nEMAIL" not in text
    assert parse_vcard_bytes(text.encode())[0].emails == []
