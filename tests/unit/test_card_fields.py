"""Fields from a card's text (eventmate/paper_cards/fields.py): plain text in, no OCR needed."""

from eventmate.paper_cards.fields import lines_from_text, read_fields
from eventmate.paper_cards.ocr import OcrLine
from eventmate.paper_cards.regions import phone_region, region_for_timezone


def fields_of(text: str, region: str | None = None):
    return read_fields(lines_from_text(text), region)


def values(reads) -> list[str]:
    return [read.value for read in reads]


def test_the_name_need_not_be_the_first_line():
    fields = fields_of(
        """HARBOUR ANALYTICS LTD
        Head of Research
        Dev Patel
        dev.patel@harbour.example
        """
    )
    assert fields.company.value == "HARBOUR ANALYTICS LTD"
    assert fields.title.value == "Head of Research"
    assert fields.name.value == "Dev Patel"
    assert fields.name.confidence > 0.8  # the email spells the name


def test_labelled_phones_keep_their_kind_and_a_fax_is_still_a_number():
    fields = fields_of(
        """Ana Ribeiro
        Tel: 020 7946 0000
        Mob: 07700 900123
        Fax: +44 (0) 20 7946 0001
        """,
        region="GB",
    )
    assert [(read.value, read.kind) for read in fields.phones] == [
        ("+442079460000", ""),
        ("+447700900123", "mobile"),
        ("+442079460001", "fax"),
    ]


def test_emails_with_plus_and_subdomains_and_a_website_beside_them():
    fields = fields_of(
        """Ana Ribeiro
        e-mail: ana.ribeiro+events@mail.research.harbour.co.uk
        www.harbour.co.uk  ana@HARBOUR.example
        """
    )
    assert values(fields.emails) == [
        "ana.ribeiro+events@mail.research.harbour.co.uk",
        "ana@harbour.example",
    ]
    assert fields.website.value == "www.harbour.co.uk"


def test_ids_hours_dates_and_postcodes_are_not_phones():
    fields = fields_of(
        """Auto Socorro
        Nextel 9.4000-4561 ID.35*65*43262
        CNPJ 12.345.678/0001-90
        Segunda à Sábado 11:30 às 15:00
        Rua das Flores, 120 - CEP 04567-000
        """,
        region="BR",
    )
    assert values(fields.phones) == ["9.4000-4561"]  # a mobile printed without its area code


def test_a_local_number_without_area_code_is_kept_as_printed_and_a_full_one_in_e164():
    fields = fields_of("Tel: (11) 2684-7988 / 3854-7828", region="BR")
    assert values(fields.phones) == ["+551126847988", "3854-7828"]


def test_without_a_region_only_international_numbers_are_read():
    fields = fields_of("Tel: +81 3-8765-4321\nTel: 03-8765-4322")
    assert values(fields.phones) == ["+81387654321"]


def test_an_honorific_is_not_part_of_the_name_and_a_department_is_not_a_title():
    fields = fields_of(
        """Dr. Avery Smith
        Cloud & AI Department
        Senior Researcher
        Contoso
        avery.smith@contoso.com
        2 Kingdom Street
        """
    )
    assert fields.name.value == "Avery Smith"
    assert fields.title.value == "Senior Researcher"
    assert fields.company.value == "Contoso"  # the email's domain names it
    assert fields.address.value == "2 Kingdom Street"


def test_a_street_named_after_a_person_is_an_address_not_a_name():
    fields = fields_of("CEASTEC S/C LTDA.\nAv. Waldemar Carlos Pereira, 1325 - Vila Talarico")
    assert fields.name is None
    assert fields.company.value == "CEASTEC S/C LTDA."
    assert fields.address.value.startswith("Av. Waldemar")


def test_japanese_text_is_read_and_a_name_split_in_two_boxes_is_joined():
    lines = [
        OcrLine("営業部", 0.95, 300, 400, 400, 436),
        OcrLine("部長", 0.93, 410, 400, 480, 436),
        OcrLine("大輝", 1.0, 480, 447, 626, 524),  # the OCR found the given name first
        OcrLine("田村", 1.0, 282, 450, 430, 531),
        OcrLine("株式会社コントーソ", 1.0, 276, 580, 485, 619),
        OcrLine("携帯：070-1234-5678 電話：03-8765-4321", 0.97, 270, 624, 718, 674),
    ]
    fields = read_fields(lines, "JP")
    assert fields.name.value == "田村 大輝"
    assert fields.title.value == "部長"
    assert fields.company.value == "株式会社コントーソ"
    assert [(read.value, read.kind) for read in fields.phones] == [
        ("+817012345678", "mobile"),
        ("+81387654321", ""),
    ]


def test_text_with_no_contact_details_gives_empty_fields_without_failing():
    fields = fields_of("☕ ✨ ***\n12\n…")
    assert fields.as_json() == {
        "name": None,
        "title": None,
        "company": None,
        "emails": [],
        "phones": [],
        "website": None,
        "address": None,
    }


def test_the_region_comes_from_the_first_time_zone_that_names_a_country():
    assert region_for_timezone("Europe/London") == "GB"
    assert region_for_timezone("UTC") is None
    assert region_for_timezone(None) is None
    assert phone_region("UTC", "America/Sao_Paulo") == "BR"
    assert phone_region("Asia/Tokyo", "America/Sao_Paulo") == "JP"


def box(text: str, left: float, top: float, right: float, height: float) -> OcrLine:
    return OcrLine(text, 0.98, left, top, right, top + height)


def test_a_business_name_printed_large_over_two_lines_is_the_company_not_a_person():
    fields = read_fields(
        [
            box("Harbour Garden", 300, 100, 900, 140),  # the largest words on the card
            box("Centre of Riverside", 320, 250, 880, 100),
            box("Plants, seeds and tools", 320, 380, 880, 45),
            box("Tel: 020 7946 0000", 320, 450, 880, 45),
            box("harbourgardencr@gmail.com", 320, 510, 880, 45),
        ],
        "GB",
    )
    assert fields.company.value == "Harbour Garden Centre of Riverside"
    assert fields.name is None  # the email spells "harbour", but the line is the company's


def test_the_line_under_the_company_joins_it_when_the_domain_spells_it():
    fields = read_fields(
        [
            box("NORTHWIND", 400, 100, 800, 90),
            box("AUTO PARTS", 450, 195, 750, 50),  # small, but autopartsnorthwind spells it
            box("Wheels and brakes", 450, 300, 750, 45),
            box("sales@autopartsnorthwind.example", 400, 360, 900, 45),
            box("Tel: 020 7946 0000", 400, 420, 900, 45),
        ],
        "GB",
    )
    assert fields.company.value == "Northwind Auto Parts"


def test_a_list_of_products_is_neither_the_name_nor_the_company():
    fields = read_fields(
        [
            box("CABLES AND CHARGERS", 600, 100, 1100, 68),  # taller than the brand
            box("Phone Cases, Screens,", 600, 170, 1100, 66),
            box("Memory Cards and Radios", 600, 240, 1100, 66),
            box("Brightwire", 100, 180, 400, 60),
            box("Jordan Lee", 100, 400, 400, 55),
            box("Tel: 020 7946 0000", 100, 470, 400, 55),
        ],
        "GB",
    )
    assert fields.name.value == "Jordan Lee"
    assert fields.company.value == "Brightwire"


def test_a_street_and_house_number_without_a_street_word_is_the_address():
    fields = fields_of(
        "Jordan Lee\nQuayside Works\nVia Marina Alta, 1.215\nTel: 020 7946 0000", "GB"
    )
    assert fields.address.value == "Via Marina Alta, 1.215"
    assert fields.company.value == "Quayside Works"


def test_a_line_right_under_the_address_goes_on_with_it_but_a_name_there_does_not():
    fields = read_fields(
        [
            box("Quayside Works Ltd", 100, 100, 700, 90),
            box("12 Harbour Road", 100, 300, 600, 45),
            box("near the Central Station", 100, 350, 600, 40),
            box("Jordan Lee", 100, 400, 600, 45),
        ],
        "GB",
    )
    assert fields.address.value == "12 Harbour Road, near the Central Station"
    assert fields.name.value == "Jordan Lee"
    assert fields.company.value == "Quayside Works Ltd"
