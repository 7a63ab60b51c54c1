"""The warm-path rules, without a database: how a contact leads to a company, how ties weigh
in how well you know someone, and what the forms accept."""

import pytest

from eventmate.relationships.levels import (
    GETTING_TO_KNOW,
    JUST_MET,
    KNOW_WELL,
    Evidence,
    assess,
    tie_points,
)
from eventmate.relationships.ties import Tie, parse_history
from eventmate.warm_paths.asks import parse_ask
from eventmate.warm_paths.matching import (
    Link,
    Via,
    company_links,
    domain_matches,
    mention,
    names_company,
)


def links(term, *, company="", emails=(), urls=(), past=()):
    return company_links(
        company=company, emails=list(emails), urls=list(urls), past=list(past), term=term
    )


@pytest.mark.parametrize(
    ("company", "term", "expected"),
    [
        ("Globex Corp", "globex", True),
        ("Globex Corp", "GLOBEX corp", True),
        ("Lisbon Maps", "lisbon maps", True),
        ("Mail Systems", "ai", False),  # whole words only
        ("Globexia", "globex", False),
        ("", "globex", False),
        ("Globex", "", False),
    ],
)
def test_a_company_name_says_the_term_as_whole_words(company, term, expected):
    assert names_company(company, term) is expected


@pytest.mark.parametrize(
    ("host", "term", "expected"),
    [
        ("globex.example", "Globex", True),
        ("www.globex.example", "Globex", True),
        ("mail.globex.co.uk", "Globex", True),
        ("globex.example", "Globex Corp", True),  # the legal suffix dropped
        ("lisbonmaps.pt", "Lisbon Maps", True),
        ("globexia.com", "Globex", False),
        ("gmail.com", "gmail", False),  # webmail says nothing about an employer
        ("linkedin.com", "LinkedIn", False),
        ("example", "example", False),  # a bare top-level name
    ],
)
def test_a_domain_matches_the_company_name_spelled_together(host, term, expected):
    assert domain_matches(host, term) is expected


def test_every_way_a_contact_leads_to_a_company_in_order():
    found = links(
        "Globex",
        company="Globex Corp",
        emails=["not-an-email", "ana@globex.example", "a@globex.example"],
        urls=["globex.example/team", "https://[x"],
        past=["Initech", "Globex"],
    )
    assert found == [
        Link(Via.COMPANY, "Globex Corp"),
        Link(Via.EMAIL, "globex.example"),
        Link(Via.WEBSITE, "globex.example"),
        Link(Via.PAST, "Globex"),
    ]
    assert links("  ", company="Globex") == []
    assert links("Globex", emails=["zed@gmail.com"], urls=["https://linkedin.com/in/globex"]) == []


def test_a_mention_is_the_sentence_that_names_the_company():
    note = "Met at lunch. Knows people at Globex from his old team! Likes bikes."
    assert mention(note, "globex") == "Knows people at Globex from his old team!"
    assert mention(note, "initech") is None
    long = "Globex " + "word " * 40
    assert mention(long, "globex").endswith("…") and len(mention(long, "globex")) == 90


def test_ties_weigh_in_how_well_you_know_someone_with_their_reasons():
    assert tie_points([Tie.CLIENT]) == 4
    assert tie_points([Tie.FORMER_COLLEAGUE, Tie.FRIEND, Tie.CLIENT]) == 24  # the two strongest
    alone = assess(Evidence(ties=(Tie.FORMER_COLLEAGUE,)))
    assert alone.level == GETTING_TO_KNOW and alone.reasons[0] == "Former colleague"
    # Met again once: known well, though EventMate met them only today.
    again = assess(Evidence(met_in_person=1, ties=(Tie.FORMER_COLLEAGUE,)))
    assert again.level == KNOW_WELL
    # A client may be known by email only: no stand-in for meeting in person or for time.
    client = assess(Evidence(calls=3, messages=3, conversations=2, ties=(Tie.CLIENT,)))
    assert client.score >= 14 and client.level == GETTING_TO_KNOW
    assert "Only met online so far" in client.reasons
    assert assess(Evidence()).level == JUST_MET


def test_history_form_keeps_known_ties_and_up_to_five_past_companies():
    ties, past, errors = parse_history(
        ["friend", "client", "friend"], " Globex \n\nInitech\nGlobex"
    )
    assert ties == [Tie.FRIEND, Tie.CLIENT] and past == ["Globex", "Initech"] and not errors
    assert "ties" in parse_history(["boss"], "")[2]
    assert "past_companies" in parse_history([], "\n".join(f"C{n}" for n in range(6)))[2]
    assert "past_companies" in parse_history([], "x" * 121)[2]


def test_the_ask_form_needs_a_company_a_message_and_a_reason_when_barely_known():
    good = {"company": " Globex ", "message": "Do you know someone at Globex?", "topic": ""}
    data, errors = parse_ask(good, barely_known=False)
    assert not errors and data.company == "Globex"
    assert set(parse_ask(good, barely_known=True)[1]) == {"reason"}
    assert not parse_ask(good | {"reason": "We met twice"}, barely_known=True)[1]
    _data, errors = parse_ask({"company": ["x"], "message": 3}, barely_known=False)
    assert set(errors) == {"company", "message"}
    _data, errors = parse_ask(
        good | {"message": "x" * 2001, "topic": "y" * 201}, barely_known=False
    )
    assert set(errors) == {"message", "topic"}
