"""Read vCard 2.1, 3.0 and 4.0 as real phones and address books write them.

vobject does the parse (unescaping, compound N and ORG values, card structure), but
vobject 0.9.9 on its own fails on many real exports. So the bytes first go through a
small clean-up that only undoes transport quirks, one logical line at a time:

1. line ends: CRLF, LF, CR and iOS's CR CR LF all become one line break;
2. a UTF-8 byte order mark at the start is dropped;
3. folded lines (starting with a space or tab) are joined, as are quoted-printable soft
   breaks (a value ending in "="; Outlook 2003 even splits "=0D" from "=0A" that way);
4. "#" comment lines are dropped, and a line that is not a property continues the value
   before it on a new line (Android ends such wrapped lines with a backslash: dropped);
5. quoted-printable is decoded and each value is decoded with its own CHARSET, so raw
   Shift_JIS bytes (whose second byte may be a backslash) never reach the escape parser;
6. two vobject quirks are worked around: it reads every text value as a comma-separated
   list and keeps the first item ("Doe, John" would become "Doe"), so bare commas are
   escaped except in N, where they do separate names; and it keeps "\\:" (written by
   Apple and Google in URLs) as is, so that becomes ":";
7. only the properties we use are passed on, without parameters, so photos and keys are
   never decoded and ENCODING/CHARSET cannot be applied twice;
8. each BEGIN:VCARD ... END:VCARD block is parsed on its own, so one broken card does not
   lose the rest of the file; nested cards (2.1 AGENT) are skipped.
"""

import binascii
import codecs
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

import vobject
from vobject.base import VObjectError

from .model import CardData, PayloadError, has_contact, make_card

_WANTED = frozenset({"FN", "N", "ORG", "TITLE", "EMAIL", "TEL", "URL", "NOTE"})
_LINE_END = re.compile(rb"\r*\n|\r")
# [group.]NAME[;param...]:value, where a quoted parameter value may hold ";" and ":".
_PROPERTY = re.compile(rb'(?:[\w-]+\.)?([\w-]+)((?:;(?:[^";:]|"[^"]*")*)*):(.*)', re.S)
_PARAM = re.compile(rb'(?:[^";]|"[^"]*")+')
_NEWLINES = re.compile(r"\r\n|\r|\n")
# An escape pair (a lone backslash at the end: empty pair), or a bare comma; see step 6.
_VOBJECT_QUIRKS = re.compile(r"\\(.?)|,", re.S)
# Japanese phones label Windows-31J (cp932, a superset) as Shift_JIS.
_CODEC_FOR = {"shift_jis": "cp932"}


@dataclass
class _Property:
    name: str
    params: list[bytes]
    pieces: list[bytes]  # the value's physical lines, joined on demand: files may be large

    @property
    def value(self) -> bytes:
        return b"".join(self.pieces)

    def param(self, key: bytes) -> bytes | None:
        """Value of KEY=value, case-insensitive; None when absent."""
        prefix = key + b"="
        for param in self.params:
            if param.upper().startswith(prefix):
                return param[len(prefix) :].strip(b'"')
        return None

    @cached_property
    def quoted_printable(self) -> bool:
        encoding = self.param(b"ENCODING") or b""
        return encoding.upper() == b"QUOTED-PRINTABLE" or any(
            p.upper() == b"QUOTED-PRINTABLE" for p in self.params
        )


def parse_vcard_bytes(data: bytes) -> list[CardData]:
    """Read every contact in a .vcf file.

    Cards without a name, company, e-mail address or phone number are left out.
    Raises PayloadError when none is left.
    """
    cards = _read_cards(data, charsets_apply=True)
    if not cards:
        raise PayloadError("This file does not contain any contact we could read.")
    return cards


def parse_vcard_text(text: str) -> list[CardData]:
    """Read vCards from already decoded text, e.g. a QR payload; may return [].

    CHARSET parameters are then ignored except for quoted-printable values, whose
    decoded bytes are still in that charset.
    """
    return _read_cards(text.encode("utf-8"), charsets_apply=False)


def _read_cards(data: bytes, *, charsets_apply: bool) -> list[CardData]:
    cards = []
    for block in _card_blocks(_properties(data)):
        lines = [f"{p.name}:{_clean_value(p, charsets_apply)}" for p in block]
        try:
            component = vobject.readOne("\r\n".join(["BEGIN:VCARD", *lines, "END:VCARD", ""]))
        except VObjectError:
            continue
        card = _to_card(component)
        if has_contact(card):
            cards.append(card)
    return cards


def _properties(data: bytes) -> Iterator[_Property]:
    """Split the file into logical properties (steps 1 to 4 of the module docstring)."""
    current: _Property | None = None
    for line in _LINE_END.split(data.removeprefix(codecs.BOM_UTF8)):
        if current and current.quoted_printable and current.pieces[-1].endswith(b"="):
            current.pieces[-1] = current.pieces[-1][:-1]
            current.pieces.append(line)
        elif current and line[:1] in (b" ", b"\t"):
            current.pieces.append(line[1:])
        elif not line.strip() or line.startswith(b"#"):
            continue
        elif match := _PROPERTY.fullmatch(line):
            if current:
                yield current
            name, params, value = match.groups()
            current = _Property(name.decode("ascii").upper(), _PARAM.findall(params), [value])
        elif current:
            last = current.pieces[-1]
            if (len(last) - len(last.rstrip(b"\\"))) % 2:
                current.pieces[-1] = last[:-1]
            current.pieces += [b"\\n", line]
    if current:
        yield current


def _card_blocks(properties: Iterable[_Property]) -> Iterator[list[_Property]]:
    """Group the wanted properties of each complete top-level card."""
    depth = 0
    block: list[_Property] = []
    for prop in properties:
        marker = prop.name in ("BEGIN", "END") and prop.value.strip().upper() == b"VCARD"
        if marker and prop.name == "BEGIN":
            depth += 1
            if depth == 1:
                block = []
        elif marker and depth:
            depth -= 1
            if depth == 0:
                yield block
        elif depth == 1 and prop.name in _WANTED:
            block.append(prop)


def _clean_value(prop: _Property, charsets_apply: bool) -> str:
    """Decode one value and put it back on one line for vobject (steps 5 and 6)."""
    charset = (prop.param(b"CHARSET") or b"").decode("ascii", "replace")
    if prop.quoted_printable:
        text = _decode(binascii.a2b_qp(prop.value), charset)
    elif charsets_apply:
        text = _decode(prop.value, charset)
    else:
        text = prop.value.decode("utf-8")
    return _escape_for_vobject(prop.name, _NEWLINES.sub(r"\\n", text))


def _escape_for_vobject(name: str, text: str) -> str:
    """Step 6; a lone backslash at the end is escaped too, as vobject mangles it."""

    def fix(match: re.Match[str]) -> str:
        if match[0] == ",":
            return "," if name == "N" else r"\,"
        return {":": ":", "": r"\\"}.get(match[1], match[0])

    return _VOBJECT_QUIRKS.sub(fix, text)


def _decode(raw: bytes, charset: str) -> str:
    """Use the declared charset, else UTF-8, else Windows-1252 (what Outlook writes)."""
    codec = _text_codec(charset)
    if codec:
        try:
            return raw.decode(_CODEC_FOR.get(codec, codec), errors="replace")
        except UnicodeError:  # a name like "idna" or "undefined": not a charset after all
            pass
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _text_codec(charset: str) -> str:
    """The codec a CHARSET names when it is a text encoding, else "". Python also has codecs
    from bytes to bytes (base64, hex, zlib, uu, quopri...) and from str to str (rot13)."""
    try:
        info = codecs.lookup(charset) if charset else None
    except (LookupError, ValueError):  # unknown, or not even a name
        return ""
    # CodecInfo's own flag, the one bytes.decode() checks (there is no public one).
    return info.name if info is not None and info._is_text_encoding else ""


def _to_card(component: vobject.base.Component) -> CardData:
    def values(name: str) -> list:
        return [line.value for line in component.contents.get(name, [])]

    names = [fn for fn in values("fn") if fn.strip()] + [_name_from_n(n) for n in values("n")]
    return make_card(
        full_name=next(iter(names), ""),
        title=next(iter(values("title")), ""),
        company=next(iter(values("org")), [""])[0],  # the organisation, not its units
        emails=values("email"),
        phones=values("tel"),
        urls=values("url"),
        notes=values("note"),
    )


def _name_from_n(name: vobject.vcard.Name) -> str:
    parts = (name.prefix, name.given, name.additional, name.family, name.suffix)
    words = [word for part in parts for word in (part if isinstance(part, list) else [part])]
    return " ".join(word.strip() for word in words if word.strip())
