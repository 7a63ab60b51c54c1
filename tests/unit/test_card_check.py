"""Checking a paper card's fields: validation and what confirming writes (no Flask, no HTTP)."""

from eventmate.contacts.card_check import (
    CheckedCard,
    confirm_card,
    fields_to_check,
    parse_check,
    readable_phone,
)
from eventmate.models import Contact


def values(**changes) -> dict:
    base = {"full_name": "Dev Patel", "title": "", "company": "", "emails": [], "phones": []}
    return base | {"website": "", "address": ""} | changes


def test_phones_typed_without_a_country_code_are_read_in_the_cards_country():
    card, errors = parse_check(values(phones=["020 7946 0000", "+351 912 345 678"]), "GB")
    assert errors == {}
    assert card.phones == ["+442079460000", "+351912345678"]


def test_emails_are_normalised_and_duplicates_dropped():
    emails = ["Dev.Patel+events@Harbour.Example.co.uk", " dev@example.org ", "dev@example.org"]
    card, errors = parse_check(values(emails=emails), None)
    assert errors == {}
    assert card.emails == ["Dev.Patel+events@harbour.example.co.uk", "dev@example.org"]


def test_spaces_are_collapsed_and_a_company_alone_is_enough():
    card, errors = parse_check(values(full_name="  ", company=" Harbour   Analytics "), None)
    assert errors == {} and card.company == "Harbour Analytics"


def test_websites_as_printed_on_cards_are_accepted_and_others_refused():
    for site in ("www.contoso.com", "https://contoso.com/en/", "contoso.co.uk", "bücher.de"):
        assert parse_check(values(website=site), None)[1] == {}, site
    for site in ("contoso", "javascript:alert(1)", "http://", "two words.com"):
        assert "website" in parse_check(values(website=site), None)[1], site


def test_confirming_writes_the_fields_and_ends_the_check():
    contact = Contact(
        source="card_to_check",
        urls=["https://old.example", "https://blog.example"],
        notes="Address on the card: 1 Old Road\nLikes sailing",
        card_fields={"name": {"value": "Dev", "confidence": 0.4}},
    )
    card = CheckedCard(full_name="Dev Patel", website="harbour.example", address="")
    confirm_card(contact, card)
    assert contact.source == "paper_card" and contact.card_fields is None
    assert contact.urls == ["harbour.example", "https://blog.example"]
    assert contact.notes == "Likes sailing"  # the address emptied: its line goes


def test_fields_not_read_are_missing_and_low_confidence_ones_unsure():
    contact = Contact(
        source="card_to_check", full_name="Dev Patel", title="", company="Harbour",
        emails=[], phones=["+442079460000"], urls=[], notes="",
        card_fields={
            "name": {"value": "Dev Patel", "confidence": 0.9},
            "company": {"value": "Harbour", "confidence": 0.3},
            "phones": [{"value": "+442079460000", "confidence": 0.8, "kind": "fax"}],
        },
    )  # fmt: skip
    shown = fields_to_check(contact)
    assert not shown["full_name"].unsure and shown["company"].unsure
    assert shown["title"].missing and shown["address"].missing
    assert [(p.value, p.kind, p.unsure) for p in shown["phones"]] == [
        ("+44 20 7946 0000", "fax", False)
    ]


def test_readable_phone_keeps_what_it_cannot_format():
    assert readable_phone("+5511987654321") == "+55 11 98765-4321"
    assert readable_phone("3854-7828") == "3854-7828"
    assert readable_phone("+") == "+"
