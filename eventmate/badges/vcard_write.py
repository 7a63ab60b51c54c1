"""Write one contact as vCard 4.0 (RFC 6350), e.g. for "Save contact" and exports.

Serialised here rather than with vobject: vobject 0.9.9 only knows vCard 3.0, and it folds
a line by characters when it has fewer than 75 of them, so a name of 70 "ü" stays one line
of 143 octets, against the 75-octet rule. What is needed is small: escape text values, fold
on character boundaries, end lines with CRLF.
"""

import base64
import re

from .model import CardData

_FOLD_AT = 75  # octets per line, CRLF not counted (RFC 6350 section 3.2)
_NEWLINES = re.compile(r"\r\n|\r|\n")
_URI_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def card_to_vcard(card: CardData, *, uid: str | None = None, photo: bytes | None = None) -> str:
    """The card as a vCard 4.0 text.

    FN is required, so without a full name it falls back to the company (as the readers
    do) and may be empty. N is left out: splitting a full name into family and given
    names would be a guess. TEL stays free-form text, which RFC 6350 allows; a tel: URI
    would need a country code that "(905) 555-1234" does not have. URL values are URIs,
    so their commas and semicolons are not escaped. uid (e.g. "urn:uuid:...") is written
    as a URI when it starts with a scheme, else as text. photo, a JPEG, is written inline as
    a data: URI (PHOTO is a URI in vCard 4.0), folded like any other line.
    """
    lines = ["BEGIN:VCARD", "VERSION:4.0"]
    if uid and _URI_SCHEME.match(uid):
        lines.append(f"UID:{_uri(uid)}")
    elif uid:
        lines.append(f"UID;VALUE=text:{_text(uid)}")
    lines.append(f"FN:{_text(card.full_name or card.company)}")
    if card.company:
        lines.append(f"ORG:{_text(card.company)}")
    if card.title:
        lines.append(f"TITLE:{_text(card.title)}")
    lines += [f"EMAIL:{_text(email)}" for email in card.emails]
    lines += [f"TEL:{_text(phone)}" for phone in card.phones]
    lines += [f"URL:{_uri(url)}" for url in card.urls]
    if card.note:
        lines.append(f"NOTE:{_text(card.note)}")
    if photo:
        lines.append(f"PHOTO:data:image/jpeg;base64,{base64.b64encode(photo).decode('ascii')}")
    lines.append("END:VCARD")
    return "".join(_fold(line) + "\r\n" for line in lines)


def _text(value: str) -> str:
    """Escape a text value; ";" too, as ORG is compound and the rest may escape it."""
    escaped = value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return _NEWLINES.sub(r"\\n", escaped)


def _uri(value: str) -> str:
    """Escape only a backslash, and drop line breaks: neither is valid in a URI."""
    return _NEWLINES.sub("", value.replace("\\", "\\\\"))


def _fold(line: str) -> str:
    """Fold at 75 octets without splitting a UTF-8 character; continuations start with " "."""
    chunks = []
    chunk, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > _FOLD_AT:
            chunks.append(chunk)
            chunk, size = " ", 1
        chunk += char
        size += width
    chunks.append(chunk)
    return "\r\n".join(chunks)
