"""The capture screen, the contacts list with search and filters, and privacy between users."""

import html

import pytest

from eventmate.badges import parse_vcard_bytes
from eventmate.models import Contact, Tag

from .helpers import (
    card_link,
    contacts_of,
    count,
    create_event,
    first_shared_id,
    scan,
    visible_text,
)

BADGE = "MECARD:N:Owen,Sean;ORG:ZXing;TEL:+12125658770;EMAIL:srowen@example.com;;"


def capture(client, contact_id, **fields):
    data = {"face_to_face": "on", **fields}
    return client.post(f"/contacts/{contact_id}/edit", data=data)


def test_capture_saves_tags_notes_prompts_and_event(app, ben):
    event_id = create_event(ben, "DevConf")
    contact_id = scan(ben, BADGE).get_json()["id"]
    page = ben.get(f"/contacts/{contact_id}/edit?scanned=1").get_data(as_text=True)
    assert "What do they enjoy most about their work?" in html.unescape(page)
    response = capture(
        ben,
        contact_id,
        full_name="Sean Owen",
        new_tags="Open source, barcodes, open SOURCE",
        notes="Talked about decoders.",
        event_id=str(event_id),
        **{"answer-enjoy": "Hard problems with simple answers", "answer-advice": "Ship small"},
    )
    assert response.status_code == 302
    [contact] = contacts_of(app, "ben@example.org")
    assert sorted(tag.name for tag in contact.tags) == ["Open source", "barcodes"]
    assert contact.notes == "Talked about decoders."
    assert contact.event_id == event_id
    assert contact.met_face_to_face is True
    answers = {answer.prompt_key: answer.answer for answer in contact.answers}
    assert answers == {"enjoy": "Hard problems with simple answers", "advice": "Ship small"}


def test_face_to_face_can_be_unticked_and_tags_removed(app, ben):
    contact_id = scan(ben, BADGE).get_json()["id"]
    capture(ben, contact_id, full_name="Sean Owen", new_tags="one, two")
    ben.post(f"/contacts/{contact_id}/edit", data={"full_name": "Sean Owen", "tags": ["one"]})
    [contact] = contacts_of(app, "ben@example.org")
    assert [tag.name for tag in contact.tags] == ["one"]
    assert contact.met_face_to_face is False


def test_a_contacts_tags_read_in_alphabetical_order_whatever_their_case(app, ben):
    contact_id = scan(ben, BADGE).get_json()["id"]
    capture(ben, contact_id, full_name="Sean Owen", new_tags="product, Lisbon, hiring")
    [contact] = contacts_of(app, "ben@example.org")
    assert [tag.name for tag in contact.tags] == ["hiring", "Lisbon", "product"]
    people = visible_text(ben.get("/contacts/"))
    assert "hiring · Lisbon · product" in people


def test_recent_tags_are_offered_first(app, ben):
    first = scan(ben, BADGE).get_json()["id"]
    capture(ben, first, full_name="Sean Owen", new_tags="older")
    capture(ben, first, full_name="Sean Owen", new_tags="newer")
    second = scan(ben, "https://speaker.example/9").get_json()["id"]
    page = ben.get(f"/contacts/{second}/edit").get_data(as_text=True)
    assert page.index('value="newer"') < page.index('value="older"')


def test_custom_prompt_appears_and_can_be_answered(app, ben):
    contact_id = scan(ben, BADGE).get_json()["id"]
    ben.post(
        "/contacts/prompts", data={"question": "What are they reading?", "back_to": contact_id}
    )
    page = ben.get(f"/contacts/{contact_id}/edit").get_data(as_text=True)
    assert "What are they reading?" in page
    key = page.split('name="answer-custom-')[1].split('"')[0]
    capture(ben, contact_id, full_name="Sean Owen", **{f"answer-custom-{key}": "Dune"})
    [contact] = contacts_of(app, "ben@example.org")
    assert [(a.question, a.answer) for a in contact.answers] == [("What are they reading?", "Dune")]


def test_the_edit_page_renders_its_questions_as_chips_with_answers_as_quotes(app, ben):
    """The server renders the state capture-form.js keeps (nothing moves when it starts): a
    chip per question, an answered one ticked with its answer as a quote, every box closed."""
    contact_id = scan(ben, BADGE).get_json()["id"]
    capture(ben, contact_id, full_name="Sean Owen", **{"answer-enjoy": "Shipping small things"})
    page = ben.get(f"/contacts/{contact_id}/edit").get_data(as_text=True)
    chips = page.split("data-question-chips>")[1].split("</div>")[0]
    assert 'class="chip-button answered" type="button" data-question="enjoy"' in chips
    assert chips.count('class="chip-button"') == chips.count("<button") - 1
    enjoy = page.split('data-answer="enjoy">')[1].split("</div>")[0]
    assert "<q>Shipping small things</q>" in enjoy
    assert "hidden" not in enjoy.split("data-quote")[1].split(">")[0]
    assert "answer-open" not in page


def test_an_answer_too_long_comes_back_open_with_its_error(app, ben):
    contact_id = scan(ben, BADGE).get_json()["id"]
    response = capture(ben, contact_id, full_name="Sean Owen", **{"answer-enjoy": "z" * 2001})
    page = html.unescape(response.get_data(as_text=True))
    assert 'class="field answer answer-open" data-answer="enjoy"' in page
    assert 'data-question="enjoy" aria-expanded="true"' in page
    assert page.count("answer-open") == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"notes": "x" * 5001}, "5,000 characters"),
        ({"new_tags": "y" * 41}, "40 characters"),
        ({"new_tags": ",".join(f"t{i}" for i in range(21))}, "at most 20 tags"),
        ({"full_name": "n" * 121}, "under 120"),
        ({"emails": "not an email"}, "doesn't look right"),
        ({"event_id": "999"}, "Choose one of your events"),
        ({"answer-nope": "x"}, "no longer exists"),
        ({"answer-enjoy": "z" * 2001}, "2,000 characters"),
    ],
)
def test_capture_validation_keeps_what_was_typed(app, ben, fields, message):
    contact_id = scan(ben, BADGE).get_json()["id"]
    response = capture(ben, contact_id, **({"full_name": "Typed Name"} | fields))
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert message in page
    if "full_name" not in fields:
        assert 'value="Typed Name"' in page
    [contact] = contacts_of(app, "ben@example.org")
    assert contact.full_name == "Sean Owen"


def test_a_capture_not_saved_says_so_at_the_top_of_the_page(app, ben):
    """Save sits at the bottom and the page comes back at its top: the error under "On a date"
    is far below, so the top says the capture wasn't saved."""
    contact_id = scan(ben, BADGE).get_json()["id"]
    response = capture(ben, contact_id, full_name="Sean Owen", follow_up="date")
    assert response.status_code == 422
    page = visible_text(response)
    assert page.index("Not saved yet: check what's marked below.") < page.index("What stood out?")
    assert "Pick the day you'd like to follow up." in page
    assert "Not saved" not in visible_text(ben.get(f"/contacts/{contact_id}"))  # shown once
    saved = capture(ben, contact_id, full_name="Sean Owen", follow_up="none")
    assert "Not saved" not in visible_text(ben.get(saved.headers["Location"]))


def test_identifying_an_unknown_payload(app, ben):
    contact_id = scan(ben, "https://speaker.example/42").get_json()["id"]
    capture(ben, contact_id, full_name="Maria Lopez", company="Speaker Co")
    [contact] = contacts_of(app, "ben@example.org")
    assert contact.needs_identifying is False
    assert contact.raw_payload == "https://speaker.example/42"


def test_an_unidentified_contact_is_not_called_someone_in_sentences(app, ben):
    """The page's title and heading say "Someone to identify"; its sentences say "this person",
    not "Make Someone a trusted ally" or "You scanned Someone to identify's badge"."""
    contact_id = scan(ben, "https://speaker.example/42").get_json()["id"]
    page = visible_text(ben.get(f"/contacts/{contact_id}"))
    assert "Someone to identify" in page  # the heading
    assert "You scanned a code ·" in page
    assert "How well you know this person" in page
    assert "Make this person a trusted ally" in page
    assert "Add their name first: people deserve to know who they are meeting." in page
    assert "Note that this person prefers not to be introduced" in page
    assert "Delete this person and everything you noted?" in ben.get(f"/contacts/{contact_id}").text
    assert page.count("Someone") == 2, page  # the <title> and the <h1>

    capture(ben, contact_id, full_name="Maria Lopez")
    page = visible_text(ben.get(f"/contacts/{contact_id}"))
    assert "You scanned Maria Lopez's badge" in page and "Make Maria a trusted ally" in page


def _names(client, **params):
    page = html.unescape(client.get("/contacts/", query_string=params).get_data(as_text=True))
    return [
        name
        for name in ("Sean Owen", "Dev Patel", "Ana Ribeiro")
        if f"<strong>{name}</strong>" in page
    ]


def test_search_by_name_company_tag_note_and_answer_and_filters(app, ana, ben):
    devconf = create_event(ben, "DevConf")
    sean = scan(ben, BADGE).get_json()["id"]
    capture(
        ben, sean, full_name="Sean Owen", company="ZXing", new_tags="barcodes", event_id=devconf
    )
    other = create_event(ben, "Meetup")
    dev = scan(
        ben, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dev Patel\r\nORG:Harbour\r\nEND:VCARD\r\n"
    ).get_json()["id"]
    capture(
        ben,
        dev,
        full_name="Dev Patel",
        company="Harbour",
        notes="Loves sailing",
        event_id=other,
        **{"answer-success": "Mentors early on"},
    )
    scan(ben, card_link(app, "ana@example.org"))
    assert _names(ben, q="sean") == ["Sean Owen"]
    assert _names(ben, q="harbour") == ["Dev Patel"]
    assert _names(ben, q="BARCODES") == ["Sean Owen"]
    assert _names(ben, q="sailing") == ["Dev Patel"]
    assert _names(ben, q="mentors") == ["Dev Patel"]
    assert _names(ben, q="100%_") == []
    assert _names(ben, event=devconf) == ["Sean Owen"]
    with app.app_context():
        from eventmate.extensions import db

        tag_id = db.session.scalar(db.select(Tag.id).where(Tag.key == "barcodes"))
    assert _names(ben, tag=tag_id) == ["Sean Owen"]
    assert sorted(_names(ben)) == ["Ana Ribeiro", "Dev Patel", "Sean Owen"]


def test_search_folds_accented_capitals_on_every_database(ben):
    """SQLite's built-in lower() leaves "É" alone; PostgreSQL's folds it. Both must match."""
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Élodie Ünal\r\nORG:Öko Werk\r\nEND:VCARD\r\n"
    scan(ben, card)
    for query in ("élodie", "ÉLODIE", "ünal", "öko werk", "Ünal Élodie"):
        page = html.unescape(ben.get("/contacts/", query_string={"q": query}).get_data(True))
        assert "<strong>Élodie Ünal</strong>" in page, query
    page = html.unescape(ben.get("/contacts/", query_string={"q": "elodie"}).get_data(True))
    assert "Élodie Ünal" not in page  # folding case is not stripping accents


def test_delete_contact(app, ben):
    contact_id = scan(ben, BADGE).get_json()["id"]
    assert ben.post(f"/contacts/{contact_id}/delete").status_code == 302
    assert count(app, Contact) == 0


def test_other_users_data_answers_404_on_every_route_that_takes_an_id(app, ana, ben, make_client):
    """Ana's contact, prompt, event and shared-details ids, used by Ben, reveal and change
    nothing."""
    contact_id = scan(ana, BADGE).get_json()["id"]
    token = card_link(app, "ana@example.org").rsplit("/", 1)[1]
    make_client().post(f"/c/{token}/share", data={"name": "Carla", "email": "carla@example.org"})
    shared_id = first_shared_id(ana.get("/"))
    ana.post("/contacts/prompts", data={"question": "Ana's own question?"})
    event_id = create_event(ana, "Ana's event")
    prompt_id = contacts_page_prompt_id(ana)
    attempts = [
        ("get", f"/contacts/{contact_id}", None),
        ("get", f"/contacts/{contact_id}/edit", None),
        ("get", f"/contacts/{contact_id}.vcf", None),
        ("post", f"/contacts/{contact_id}/edit", {"full_name": "Hacked", "notes": "x"}),
        ("post", f"/contacts/{contact_id}/delete", None),
        ("post", "/contacts/prompts", {"question": "Sneaky question?", "back_to": contact_id}),
        ("post", f"/contacts/prompts/{prompt_id}/delete", None),
        ("get", f"/events/{event_id}", None),
        ("post", f"/events/{event_id}/current", None),
        ("post", f"/events/{event_id}/goal", {"goal": 9}),
        ("get", f"/events/{event_id}/edit", None),
        (
            "post",
            f"/events/{event_id}/edit",
            {"name": "Hacked", "kind": "meetup", "timezone": "UTC"},
        ),
        ("get", f"/shared/{shared_id}", None),
        ("post", f"/shared/{shared_id}", {"decision": "accept"}),
        ("post", f"/shared/{shared_id}", {"decision": "merge", "contact_id": contact_id}),
        ("post", f"/shared/{shared_id}", {"decision": "dismiss"}),
    ]
    for method, path, data in attempts:
        response = getattr(ben, method)(path, data=data or {})
        assert response.status_code == 404, (method, path)
    [contact] = contacts_of(app, "ana@example.org")
    assert contact.full_name == "Sean Owen" and contact.notes == ""
    assert "Ana&#39;s own question?" in ana.get("/account/data").get_data(as_text=True)
    assert ben.get("/api/contacts").get_json()["contacts"] == []
    assert "Carla" in visible_text(ana.get(f"/shared/{shared_id}"))  # still waiting for Ana


def contacts_page_prompt_id(client) -> int:
    page = client.get("/account/data").get_data(as_text=True)
    return int(page.split("/contacts/prompts/")[1].split("/delete")[0])


def test_save_to_phone_gives_one_contact_as_a_vcard(app, ben):
    contact_id = scan(ben, BADGE).get_json()["id"]
    page = ben.get(f"/contacts/{contact_id}").get_data(as_text=True)
    assert f'href="/contacts/{contact_id}.vcf" download>Save to phone<' in page

    response = ben.get(f"/contacts/{contact_id}.vcf")

    assert response.status_code == 200 and response.mimetype == "text/vcard"
    assert response.headers["Content-Disposition"] == 'attachment; filename="Sean Owen.vcf"'
    assert response.headers["Cache-Control"] == "no-store"
    [card] = parse_vcard_bytes(response.data)
    assert (card.full_name, card.company, card.emails, card.phones) == (
        "Sean Owen",
        "ZXing",
        ["srowen@example.com"],
        ["+12125658770"],
    )


def test_the_people_list_reminds_with_tags_or_the_first_thing_they_said(app, ben):
    tagged = scan(ben, BADGE).get_json()["id"]
    capture(ben, tagged, full_name="Sean Owen", new_tags="barcodes, open source")
    quoted = scan(ben, "MECARD:N:Lund,Ida;ORG:Fjord;;").get_json()["id"]
    capture(ben, quoted, full_name="Ida Lund", **{"answer-enjoy": "Teaching juniors to read data."})

    for page in (ben.get("/contacts/"), ben.get("/")):
        rows = visible_text(page)
        assert "barcodes · open source" in rows
        assert "“Teaching juniors to read data.”" in rows


def test_a_contacts_page_reads_first_and_edit_opens_the_capture_form(app, ben):
    contact_id = scan(ben, BADGE).get_json()["id"]
    capture(
        ben,
        contact_id,
        full_name="Sean Owen",
        emails="srowen@example.com",
        phones="+12125658770",
        new_tags="barcodes",
        notes="Wants the decoder talk's slides.",
        **{"answer-enjoy": "Hard problems with simple answers"},
    )

    response = ben.get(f"/contacts/{contact_id}")

    page = response.get_data(as_text=True)
    assert '<form method="post" class="capture"' not in page  # nothing to type into
    text = visible_text(response)
    assert "barcodes" in text and "Wants the decoder talk's slides." in text
    assert "What do they enjoy most about their work?" in text
    assert "Hard problems with simple answers" in html.unescape(page.split("<blockquote")[1])
    for action in (
        'href="mailto:srowen@example.com">Email<',
        'href="sms:+12125658770">Text<',
        f'href="/contacts/{contact_id}.vcf" download>Save to phone<',
        f'href="/contacts/{contact_id}/edit">Edit<',
    ):
        assert action in page
    form = ben.get(f"/contacts/{contact_id}/edit").get_data(as_text=True)
    assert 'class="capture"' in form and "Hard problems with simple answers" in form


def test_a_contact_page_without_notes_invites_adding_them(app, ben):
    contact_id = scan(ben, BADGE).get_json()["id"]
    text = visible_text(ben.get(f"/contacts/{contact_id}"))
    assert "Nothing noted yet. Add what stood out" in text
    assert "Email" in text and "Edit" in text
