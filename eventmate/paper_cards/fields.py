"""Which line of a card is the name, the title, the company, a phone, an email, the address.

Input is the OCR's lines with their boxes (plain text works too: each line then has the same
size). Emails, phones and websites are found by pattern and checked with `email-validator` and
`phonenumbers`; the rest by cues: job-title words, company suffixes, the email's domain, how
the email's local part spells the name, and the size of the letters.
"""

import re
import unicodedata
from dataclasses import dataclass, field

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from nameparser import HumanName

from .ocr import OcrLine

_SPACES = re.compile(r"\s+")
_EMAIL = re.compile(r"[\w.+-]+\s?@\s?[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_WEBSITE = re.compile(r"(?:https?://|www\.)[\w.-]+\.[a-z]{2,}(?:/[\w./%?=&#-]*)?", re.IGNORECASE)
# A run of digits with the separators cards print; labels and words end it.
_PHONE = re.compile(r"\+?\(?\d[\d\s().\-/]{5,}\d")
_NUMBER_LIST = re.compile(r"\s+/\s+|\s{2,}")  # "2684-7988 / 3854-7828": two numbers
_PHONE_LABELS = {
    "fax": re.compile(r"\bfax\b|ファックス|ＦＡＸ", re.IGNORECASE),
    "mobile": re.compile(r"\b(mob(ile)?|cel(ular)?|cell|m)\b|携帯|携帶", re.IGNORECASE),
}
# Numbers after these are registrations or radio ids, not phones.
_NOT_PHONE_LABEL = re.compile(r"\b(id|cnpj|cpf|cep|vat|reg|zip|ie)\W*$", re.IGNORECASE)
_TITLE_WORDS = re.compile(
    r"\b(ceo|cto|cfo|coo|cio|founder|co-founder|president|vp|director|manager|head|lead|"
    r"engineer|developer|designer|researcher|scientist|consultant|analyst|architect|officer|"
    r"partner|specialist|coordinator|assistant|representative|executive|advisor|professor|"
    r"lecturer|owner|associate|intern|editor|producer|accountant|attorney|chair|chairman|"
    r"gerente|diretor|diretora|coordenador|coordenadora|analista|consultor|consultora|"
    r"engenheiro|engenheira|vendedor|vendedora|propriet[aá]rio|propriet[aá]ria|s[oó]cio|"
    r"s[oó]cia|representante|supervisor|supervisora|advogado|advogada)\b"
    r"|社長|部長|課長|係長|主任|取締役|会長|専務|常務|室長|所長|店長|代表",
    re.IGNORECASE,
)
_DEPARTMENT = re.compile(r"\b(department|dept|division|team)\b|部$|課$|室$", re.IGNORECASE)
_COMPANY_SUFFIX = re.compile(
    r"\b(ltd|ltda|inc|llc|llp|plc|gmbh|corp|corporation|company|limited|eireli|srl|bv|"
    r"s\.?a\.?|s/a|s/c|co\.)(?=\W|$)|株式会社|有限会社|合同会社",
    re.IGNORECASE,
)
_ADDRESS = re.compile(
    r"\b(street|st\.|road|rd\.|avenue|ave\.|av\.|avenida|rua|r\.|alameda|travessa|rodovia|"
    r"boulevard|blvd|suite|floor|lane|drive|plaza|strasse|straße|calle)(?=\W|$)"
    r"|〒|\b[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}\b|\b\d{5}-\d{3}\b|都|県|区",
    re.IGNORECASE,
)
# "Av Amador Bueno, 1.215", "Harbour Road, nº 36": a street and its house number after a comma.
_HOUSE_NUMBER = re.compile(r"[A-Za-zÀ-ÿ]{2,},\s*(?:n[°º.]?\s*)?\d[\d.]*[A-Za-z]?$")
_NAME_CONNECTORS = {
    "de",
    "da",
    "do",
    "dos",
    "das",
    "e",
    "van",
    "von",
    "der",
    "di",
    "du",
    "la",
    "le",
}
_NAME_SEPARATORS = {"/", "&"}
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_CJK_NAME = re.compile(r"^[\u3400-\u9fff]{1,4}(?: ?[\u3400-\u9fff]{1,4})?$")


@dataclass(frozen=True)
class ReadField:
    value: str
    confidence: float  # 0..1: how sure the reading is; the user confirms low ones
    kind: str = ""  # phones: "mobile", "fax" or "" (unlabelled or an office line)


@dataclass
class CardFields:
    name: ReadField | None = None
    title: ReadField | None = None
    company: ReadField | None = None
    emails: list[ReadField] = field(default_factory=list)
    phones: list[ReadField] = field(default_factory=list)
    website: ReadField | None = None
    address: ReadField | None = None

    def as_json(self) -> dict:
        def one(read: ReadField | None):
            return None if read is None else {"value": read.value, "confidence": read.confidence}

        return {
            "name": one(self.name),
            "title": one(self.title),
            "company": one(self.company),
            "emails": [one(read) for read in self.emails],
            "phones": [one(read) | {"kind": read.kind} for read in self.phones],
            "website": one(self.website),
            "address": one(self.address),
        }


def clean(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def lines_from_text(text: str) -> list[OcrLine]:
    """Plain text as lines of equal size, one below the other (for tests and pasted text)."""
    rows = [row for row in text.splitlines() if row.strip()]
    return [OcrLine(row, 1.0, 0, 10 * i, 100, 10 * i + 8) for i, row in enumerate(rows)]


def read_fields(lines: list[OcrLine], region: str | None) -> CardFields:
    """The card's fields from its OCR lines; `region` reads phones without a country code."""
    lines = [line for line in (_cleaned(line) for line in lines) if line.text]
    fields = CardFields()
    rest = []
    for line in lines:
        emails = _emails(line)
        website = _website(line.text)
        phones = _phones(line, region)
        fields.emails += [read for read in emails if read not in fields.emails]
        fields.phones += [read for read in phones if read.value not in _values(fields.phones)]
        if website and fields.website is None:
            fields.website = ReadField(website, line.score)
        if not (emails or website or phones):
            rest.append(line)
    address_lines = _address_lines(rest)
    fields.address = _address(address_lines)
    rest = [line for line in rest if line not in address_lines]
    fields.title = _title(rest)
    rest = [line for line in rest if not (fields.title and line.text == fields.title.value)]
    domains = _domains(fields.emails, fields.website)
    masthead = _masthead(rest, domains, lines)
    people = [line for line in rest if line not in masthead] if len(masthead) > 1 else rest
    fields.name = _name(_rows(people), fields.emails, rest)
    rest = [line for line in rest if not (fields.name and line.text in fields.name.value)]
    if not all(line in rest for line in masthead):  # the largest line was the person's name
        masthead = _masthead(rest, domains, lines)
    fields.company = _company(rest, domains, masthead)
    return fields


def _cleaned(line: OcrLine) -> OcrLine:
    return OcrLine(clean(line.text), line.score, line.left, line.top, line.right, line.bottom)


def _values(reads: list[ReadField]) -> list[str]:
    return [read.value for read in reads]


def _emails(line: OcrLine) -> list[ReadField]:
    found = []
    for match in _EMAIL.finditer(line.text):
        candidate = match.group().replace(" ", "").strip(".")
        try:
            address = validate_email(candidate, check_deliverability=False).normalized
        except EmailNotValidError:
            continue
        found.append(ReadField(address, round(line.score, 2)))
    return found


def _website(text: str) -> str:
    without_emails = _EMAIL.sub(" ", text)
    match = _WEBSITE.search(without_emails)
    return match.group().rstrip(".,") if match else ""


def _phones(line: OcrLine, region: str | None) -> list[ReadField]:
    """Numbers that are valid where printed (E.164), or local numbers without an area code
    (kept as printed: Brazilian cards often leave out the city's)."""
    found = []
    text = _EMAIL.sub(" ", line.text)
    label_start = 0  # a label is what stands between the previous number and this one
    for match in _PHONE.finditer(text):
        label, label_start = text[label_start : match.start()], match.end()
        if _NOT_PHONE_LABEL.search(label):
            continue
        kind = next((kind for kind, cue in _PHONE_LABELS.items() if cue.search(label)), "")
        for printed in _NUMBER_LIST.split(match.group()):
            number = phone_number(printed.strip(" -./"), region)
            if number:
                found.append(ReadField(number, round(line.score, 2), kind))
    return found


def phone_number(printed: str, region: str | None) -> str:
    """The number in E.164 when it is complete, as printed when it may be a local number
    without its area code (Brazilian cards often leave out the city's), else ""."""
    digits = re.sub(r"\D", "", printed)
    if not 6 <= len(digits) <= 15:
        return ""
    try:
        number = phonenumbers.parse(printed, region)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(number):
        return ""
    if phonenumbers.is_valid_number(number) or _has_prefix(printed, region):
        # A country code or trunk prefix says the number is whole, even in a range the
        # library does not know (new, or fictional like 020 7946 0xxx).
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return printed


def _has_prefix(printed: str, region: str | None) -> bool:
    start = printed.lstrip("( ")
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region or "")
    prefix = metadata.national_prefix if metadata else None
    return start.startswith("+") or bool(prefix and start.startswith(prefix))


def _is_address(text: str) -> bool:
    return bool(_ADDRESS.search(text) or _HOUSE_NUMBER.search(text))


def _address_lines(lines: list[OcrLine]) -> list[OcrLine]:
    """Lines with a street cue, and the lines printed right under one of them in its column,
    no larger ("Near the Central Station", "2nd floor, east wing"): they go on with it."""
    parts: list[OcrLine] = []
    for line in sorted(lines, key=lambda line: line.top):
        above = _column_neighbour(line, lines, below=False)
        goes_on = (
            above in parts
            and line.height <= 1.1 * above.height
            and not (_looks_like_name(line.text) or _COMPANY_SUFFIX.search(line.text))
        )
        if _is_address(line.text) or goes_on:
            parts.append(line)
    return parts


def _address(parts: list[OcrLine]) -> ReadField | None:
    if not parts:
        return None
    score = min(line.score for line in parts)
    return ReadField(", ".join(line.text for line in parts), round(score * 0.8, 2))


def _title(lines: list[OcrLine]) -> ReadField | None:
    for line in lines:
        text = line.text
        other_cue = _DEPARTMENT.search(text) or _COMPANY_SUFFIX.search(text)
        if _TITLE_WORDS.search(text) and not other_cue and len(text.split()) <= 6:
            return ReadField(_title_words(text), round(line.score * 0.8, 2))
    return None


def _title_words(text: str) -> str:
    """A Japanese or Chinese card prints the department before the title ("営業部 部長")."""
    if not _CJK.search(text):
        return text
    parts = [part for part in text.split() if not _DEPARTMENT.search(part)]
    return " ".join(parts) or text


def _rows(lines: list[OcrLine]) -> list[OcrLine]:
    """Japanese and Chinese lines side by side on one row, close together, joined: the OCR
    splits a name printed with a wide gap ("田村　大輝"). Latin words it keeps in one line,
    and what it sees apart there (logos in a row) is apart."""
    rows: list[OcrLine] = []
    for line in sorted(lines, key=lambda line: line.top):
        last = rows[-1] if rows else None
        if last and _side_by_side(last, line):
            left, right = sorted((last, line), key=lambda line: line.left)
            rows[-1] = OcrLine(
                f"{left.text} {right.text}",
                min(left.score, right.score),
                left.left,
                min(left.top, right.top),
                right.right,
                max(left.bottom, right.bottom),
            )
        else:
            rows.append(line)
    return rows


def _side_by_side(one: OcrLine, other: OcrLine) -> bool:
    height = max(one.height, 1)
    gap = max(other.left - one.right, one.left - other.right)
    return (
        bool(_CJK.search(one.text) and _CJK.search(other.text))
        and abs(one.middle - other.middle) < 0.4 * height
        and 0.7 < other.height / height < 1.4
        and 0 <= gap < 2 * height
    )


def _name(rows: list[OcrLine], emails: list[ReadField], lines: list[OcrLine]) -> ReadField | None:
    locals_ = [_letters(email.value.split("@")[0]) for email in emails]
    best, best_confidence = None, 0.0
    for row in rows:
        if _COMPANY_SUFFIX.search(row.text) or _DEPARTMENT.search(row.text):
            continue
        if _continues_sentence(row, lines):
            continue
        if _CJK.search(row.text):
            confidence = 0.5 if _CJK_NAME.match(row.text) else 0
        else:
            confidence = 0.6 if _looks_like_name(row.text) else 0
        if confidence and any(local and _spells(local, row.text) for local in locals_):
            confidence = 0.9
        if confidence * row.score > best_confidence:
            best, best_confidence = row, confidence * row.score
    if best is None:
        return None
    return ReadField(_without_honorific(best.text), round(best_confidence, 2))


def _looks_like_name(text: str) -> bool:
    words = [word for word in text.split() if word not in _NAME_SEPARATORS]
    names = [word for word in words if word.lower() not in _NAME_CONNECTORS]
    if not 2 <= len(names) <= 5 or any(char.isdigit() for char in text):
        return False
    honorific = HumanName(text).title
    return all(
        word[0].isupper()
        and word.replace(".", "").replace("-", "").replace("'", "").isalpha()
        and not (len(word) > 2 and word.isupper())
        for word in names
        if not (honorific and word in honorific)
    )


def _without_honorific(text: str) -> str:
    """ "Dr. Avery Smith" → "Avery Smith": the honorific is not part of the name."""
    if _CJK.search(text) or "/" in text or "&" in text:
        return text
    name = HumanName(text)
    if not name.title:
        return text
    return clean(
        " ".join(part for part in (name.first, name.middle, name.last, name.suffix) if part)
    )


def _letters(text: str) -> str:
    return "".join(
        char for char in unicodedata.normalize("NFKD", text.casefold()) if char.isalpha()
    )


def _spells(local_part: str, text: str) -> bool:
    """Whether the email's local part is made of the line's words ("avery.smith", "dmitry")."""
    words = [_letters(word) for word in text.split()]
    return any(len(word) > 2 and word in local_part for word in words)


def _domain_label(address: str) -> str:
    host = address.split("@")[-1].split("//")[-1].split("/")[0].removeprefix("www.")
    return _letters(host.split(".")[0]) if "." in host else ""


def _domains(emails: list[ReadField], website: ReadField | None) -> set[str]:
    """The company's own domain labels ("contoso" for ana@contoso.com), not a mail provider's."""
    domains = {_domain_label(email.value) for email in emails}
    if website:
        domains.add(_domain_label(website.value))
    return domains - {"", "gmail", "hotmail", "outlook", "yahoo", "icloud", "live", "uol", "bol"}


def _column_neighbour(line: OcrLine, lines: list[OcrLine], below: bool) -> OcrLine | None:
    """The line printed right above (or below) this one in the same column, if any."""

    def close(other: OcrLine) -> bool:
        gap = other.top - line.bottom if below else line.top - other.bottom
        overlaps = other.left < line.right and line.left < other.right
        return other is not line and overlaps and -0.5 * line.height <= gap < 0.6 * line.height

    near = [other for other in lines if close(other)]
    return min(near, key=lambda other: abs(other.middle - line.middle), default=None)


def _continues_sentence(line: OcrLine, lines: list[OcrLine]) -> bool:
    """A line that goes on from the one above ("Cables, chargers," / "Phones and Tablets")
    or starts in lower case is part of a sentence: neither a name nor a company."""
    above = _column_neighbour(line, lines, below=False)
    return line.text[:1].islower() or bool(above and above.text.rstrip().endswith((",", ";")))


def _in_paragraph(line: OcrLine, lines: list[OcrLine]) -> bool:
    """Whether the line is one of three or more stacked lines of one size: a list of products
    or services, printed as body text, not the company's name."""

    def similar(other: OcrLine | None) -> bool:
        return other is not None and 0.8 < other.height / max(line.height, 1) < 1.25

    above = _column_neighbour(line, lines, below=False)
    below = _column_neighbour(line, lines, below=True)
    if similar(above) and similar(below):
        return True
    for side, is_below in ((above, False), (below, True)):
        if similar(side) and similar(_column_neighbour(side, lines, below=is_below)):
            return True
    return False


def _masthead(lines: list[OcrLine], domains: set[str], card: list[OcrLine]) -> list[OcrLine]:
    """The largest text on the card and the lines printed right under it that go with it:
    nearly as large ("MECHANICS & PAINT" / "JOHN AND SONS"), or spelled by the company's domain
    ("NORTHWIND" / "AUTO PARTS" for autopartsnorthwind.com). Lines of one size (plain text)
    give the first, alone: nothing stands out."""
    words = [line for line in lines if sum(char.isalpha() for char in line.text) >= 3]
    body = [
        line
        for line in words
        if not _continues_sentence(line, lines) and not _in_paragraph(line, lines)
    ]
    if not words:
        return []
    top = max(body or words, key=lambda line: line.height)
    # The card's usual size of words (numbers are often printed large, words are what compares).
    heights = sorted(line.height for line in card if sum(map(str.isalpha, line.text)) >= 3)
    stands_out = top.height >= 1.25 * heights[len(heights) // 2]
    block, bottom = [top], top.bottom
    for line in sorted(body, key=lambda line: line.top):
        if line is top or line.top < top.top + 0.5 * top.height:
            continue
        overlaps = line.left < top.right and top.left < line.right
        spelled = bool(domains) and _spelled_by_domain(line.text, domains)
        large = stands_out and line.height >= 0.7 * top.height
        if overlaps and line.top - bottom < 0.6 * line.height and (large or spelled):
            block.append(line)
            bottom = max(bottom, line.bottom)
    rows_first = sorted(block, key=lambda line: (round(line.middle / top.height), line.left))
    return rows_first


def _spelled_by_domain(text: str, domains: set[str]) -> bool:
    letters = _letters(text)
    # "CONTOSO" for contoso.com, "Chevroleste Peças" for chevroleste.com.br; not "H".
    return len(letters) >= 4 and any(domain in letters or letters in domain for domain in domains)


def _company(lines: list[OcrLine], domains: set[str], masthead: list[OcrLine]) -> ReadField | None:
    for line in lines:
        if _COMPANY_SUFFIX.search(line.text):
            return ReadField(line.text, round(line.score * 0.9, 2))
    for line in lines:
        if _spelled_by_domain(line.text, domains):
            if line in masthead:
                return _joined(masthead, 0.8)
            return ReadField(_not_shouting(line.text), round(line.score * 0.8, 2))
    return _joined(masthead, 0.4) if masthead else None


def _joined(block: list[OcrLine], confidence: float) -> ReadField:
    text = " ".join(line.text for line in block)
    return ReadField(_not_shouting(text), round(min(line.score for line in block) * confidence, 2))


def _not_shouting(text: str) -> str:
    """A name printed in capitals for design, as one would type it: "VERYFI" → "Veryfi"."""
    return text.title() if text.isupper() and len(text) > 4 else text
