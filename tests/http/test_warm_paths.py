"""Warm paths over HTTP: how you know a contact, "who do I know at …?", people search by email
domain and website, and asking for an introduction — by any channel, or in the app with three
accounts (asker, connector, the person at the company) and a stranger who gets 404 everywhere."""

import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from eventmate.extensions import db
from eventmate.models import AskState, Contact, ContactTie, IntroductionAsk, Meeting, Tie, User
from eventmate.scanning.exchange import exchange_cards

from ..factories import make_contact
from .helpers import visible_text

ANA = "ana@example.org"


def user(email) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def add(app, name, email=ANA, *, ties=(), met=0, **fields) -> int:
    with app.app_context():
        contact = make_contact(user(email), name, **fields)
        contact.ties = [ContactTie(kind=tie) for tie in ties]
        for n in range(met):
            when = datetime.now(UTC) - timedelta(days=100 + n)
            db.session.add(Meeting(contact_id=contact.id, kind="meeting", met_at=when))
        db.session.commit()
        return contact.id


def test_people_search_finds_an_email_domain_and_a_website_and_says_why(app, ana):
    rui = add(app, "Rui Costa", emails=["rui@globex.example"])
    web = add(app, "Inês Lima", urls=["https://www.globex.example/team"])
    past = add(app, "Lia Sousa", past_companies="Initech\nGlobex")
    add(app, "Zed Unrelated", emails=["zed@gmail.com"], company="Acme")

    page = ana.get("/contacts/?q=globex")
    text = visible_text(page)
    assert "Rui Costa" in text and "Email: rui@globex.example" in text
    assert "Inês Lima" in text and "Website: https://www.globex.example/team" in text
    assert "Lia Sousa" in text and "Used to work at Globex" in text
    assert "Zed Unrelated" not in text
    found = set(map(int, re.findall(r'href="/contacts/(\d+)"', page.get_data(as_text=True))))
    assert found == {rui, web, past}
    # A match by name says nothing more.
    assert "Email:" not in visible_text(ana.get("/contacts/?q=rui"))


def level_of(page) -> tuple[str, list[str]]:
    """The relationship panel's level and its reasons."""
    html = page.get_data(as_text=True)
    level = re.search(r'<p class="level level-(\w+)">', html).group(1)
    reasons = re.search(r'<ul class="reasons">(.*?)</ul>', html, re.S).group(1)
    return level, [re.sub(r"<[^>]+>", "", item).strip() for item in reasons.split("</li>")[:-1]]


def test_how_you_know_them_feeds_the_level_with_its_reasons(app, ana, ben):
    marta = add(app, "Marta Silva", met=1, notes="Shipped the routing rewrite together.")
    level, reasons = level_of(ana.get(f"/contacts/{marta}"))
    assert level == "getting_to_know" and "Former colleague" not in reasons

    saved = ana.post(
        f"/contacts/{marta}/history",
        data={"ties": ["former_colleague", "friend"], "past_companies": "Lisbon Maps\n\n"},
    )
    assert saved.status_code == 302
    level, reasons = level_of(ana.get(f"/contacts/{marta}"))
    assert level == "know_well" and reasons[:3] == [
        "Former colleague",
        "Friend",
        "Met in person once",
    ]
    with app.app_context():
        contact = db.session.get(Contact, marta)
        assert contact.tie_kinds == ("former_colleague", "friend")
        assert contact.past_company_list == ["Lisbon Maps"]

    # Saving again keeps what stays, adds and removes the rest.
    ana.post(f"/contacts/{marta}/history", data={"ties": ["friend", "client"]})
    with app.app_context():
        assert db.session.get(Contact, marta).tie_kinds == ("client", "friend")
    ana.post(f"/contacts/{marta}/history", data={"ties": ["former_colleague", "friend"]})

    # A value not in the list is refused with a sentence, and nothing changes.
    refused = ana.post(f"/contacts/{marta}/history", data={"ties": ["boss"]}, follow_redirects=True)
    assert refused.status_code == 200 and "Choose from the list." in visible_text(refused)
    too_many = "\n".join(f"Company {n}" for n in range(6))
    ana.post(f"/contacts/{marta}/history", data={"past_companies": too_many})
    with app.app_context():
        assert db.session.get(Contact, marta).tie_kinds == ("former_colleague", "friend")
    # Someone else's contact: 404, and nothing saved.
    assert ben.post(f"/contacts/{marta}/history", data={"ties": ["client"]}).status_code == 404


def test_who_do_i_know_at_lists_the_best_known_first_with_the_reason(app, ana):
    marta = add(app, "Marta Silva", ties=[Tie.FORMER_COLLEAGUE], met=1, company="Globex Corp")
    rui = add(app, "Rui Costa", emails=["rui@globex.example"])
    lia = add(app, "Lia Sousa", past_companies="Globex", met=4)
    tom = add(app, "Tom Reis", notes="Met at lunch. Knows people at Globex from his old team.")
    add(app, "Zed Unrelated", emails=["zed@gmail.com"], company="Globexia")

    page = ana.get("/warm-paths?company=globex")
    html, text = page.get_data(as_text=True), visible_text(page)
    there, might = text.split("Might know someone there")
    assert "Works at Globex Corp" in there and "Former colleague" in there
    assert "Email at globex.example" in there and "Used to work at Globex" in there
    assert "Met in person 4 times" in there
    order = [int(n) for n in re.findall(r'href="/contacts/(\d+)"', html)]
    assert order == [marta, lia, rui, tom]
    assert "Tom Reis" in might and "Knows people at Globex from his old team." in might
    assert "Zed" not in text
    assert f"/warm-paths/ask/{marta}?company=globex" in html

    # A name beyond ASCII is found too, whatever the case.
    add(app, "Élodie Roy", company="Éclair Études")
    assert "Élodie Roy" in visible_text(ana.get("/warm-paths?company=éclair"))

    # Without a company: the companies your contacts work at, one tap each.
    chips = ana.get("/warm-paths").get_data(as_text=True)
    assert 'href="/warm-paths?company=Globex+Corp"' in chips
    # From a contact's page, and from People and Home.
    assert "/warm-paths?company=Globex+Corp" in ana.get(f"/contacts/{marta}").get_data(as_text=True)
    assert 'href="/warm-paths"' in ana.get("/contacts/").get_data(as_text=True)
    assert 'href="/warm-paths"' in ana.get("/").get_data(as_text=True)
    # Odd input is just text (a NUL byte is refused before any view, as everywhere).
    for odd in ("", " ", "%", "_", "x" * 500, "Ω.com"):
        assert ana.get("/warm-paths", query_string={"company": odd}).status_code == 200


def test_asking_someone_you_barely_know_warns_and_needs_a_reason(app, ana, ben):
    rui = add(app, "Rui Costa", emails=["rui@globex.example"], phones=["+351 912 345 678"])
    form = ana.get(f"/warm-paths/ask/{rui}?company=Globex&topic=their+data+team")
    text = visible_text(form)
    assert "You don't know Rui Costa well yet" in text and "Why ask Rui anyway?" in text
    assert "Do you know someone there I could talk to about their data team?" in text
    assert "Ask Rui in EventMate" not in text  # Rui isn't on EventMate

    message = "Hi Rui, do you know someone at Globex I could talk to? No worries if not."
    data = {"company": "Globex", "message": message, "how": "channel"}
    refused = ana.post(f"/warm-paths/ask/{rui}", data=data)
    assert refused.status_code == 422
    assert "Say in a few words why you're asking anyway." in visible_text(refused)
    assert message in refused.get_data(as_text=True)  # nothing typed is lost

    sent = ana.post(f"/warm-paths/ask/{rui}", data=data | {"reason": "We talked for an hour"})
    html = sent.get_data(as_text=True)
    assert sent.status_code == 200
    assert 'href="mailto:rui@globex.example?subject=Do%20you%20know%20someone%20at%20Globex' in html
    assert 'data-channel="sms"' in html and 'data-channel="whatsapp"' in html
    assert "Hi%20Rui%2C%20do%20you%20know" in html

    # Someone else's contact: 404 on the page and the form.
    assert ben.get(f"/warm-paths/ask/{rui}?company=Globex").status_code == 404
    assert ben.post(f"/warm-paths/ask/{rui}", data=data).status_code == 404


def test_someone_you_know_well_is_asked_without_a_warning(app, ana):
    marta = add(app, "Marta Silva", ties=[Tie.FORMER_COLLEAGUE, Tie.FRIEND], met=1)
    page = visible_text(ana.get(f"/warm-paths/ask/{marta}?company=Globex"))
    assert "well yet" not in page and "anyway" not in page
    data = {"company": "Globex", "message": "Do you know someone at Globex?", "how": "channel"}
    assert ana.post(f"/warm-paths/ask/{marta}", data=data).status_code == 200


def test_the_deeper_question_waits_for_a_deeper_relationship(app, ana):
    question = "Do they know somebody who works where I&#39;m curious about?"
    new = add(app, "New Person", met=1)
    assert question not in ana.get(f"/contacts/{new}/edit").get_data(as_text=True)
    again = add(app, "Met Twice", met=2)
    assert question in ana.get(f"/contacts/{again}/edit").get_data(as_text=True)
    colleague = add(app, "Old Colleague", ties=[Tie.WORKED_TOGETHER])
    assert question in ana.get(f"/contacts/{colleague}/edit").get_data(as_text=True)
    # An answer to it is kept, and then tells "who do I know at…?" who might know someone.
    saved = ana.post(
        f"/contacts/{again}/edit",
        data={"full_name": "Met Twice", "answer-knows_someone": "Her sister is at Globex.",
              "follow_up": "none"},
    )  # fmt: skip
    assert saved.status_code == 302, visible_text(saved)[:500]
    might = visible_text(ana.get("/warm-paths?company=Globex"))
    assert "Met Twice" in might and "Her sister is at Globex." in might


# Asking in the app: Ana asks Ben (both on EventMate) whether he knows someone at Globex; Ben
# knows Cara there. Sam is a stranger to all of them.

CARA, SAM, BEN = "cara@example.org", "sam@example.org", "ben@example.org"
SECRET_NOTE, SECRET_REASON = "Ana's private note about Ben", "Ben owes me one, sort of"


def ids(app) -> dict:
    """Ana and Ben exchanged cards today (so Ana barely knows him); so did Ben and Cara, whom
    Ben noted works at Globex."""
    with app.app_context():
        ana, ben, cara = user(ANA), user(BEN), user(CARA)
        now = datetime.now(UTC)
        ana_ben = exchange_cards(ana, ben, met_at=now, event=None)
        ana_ben.notes = SECRET_NOTE
        ben_cara = exchange_cards(ben, cara, met_at=now, event=None)
        ben_cara.company = "Globex"
        db.session.commit()
        return {"ana_ben": ana_ben.id, "ben_cara": ben_cara.id}


def the_ask(app) -> IntroductionAsk:
    with app.app_context():
        ask = db.session.scalar(sa.select(IntroductionAsk))
        db.session.expunge(ask)
        return ask


def names_in_contacts(app, email) -> set[str]:
    with app.app_context():
        owner = user(email)
        return set(
            db.session.scalars(sa.select(Contact.full_name).where(Contact.owner_id == owner.id))
        )


def test_an_ask_in_the_app_is_answered_with_a_double_opt_in_introduction(
    app, ana, ben, make_client, accounts
):
    cara, sam = make_client(), make_client()
    accounts.register(cara, email=CARA, name="Cara Nunes")
    accounts.register(sam, email=SAM, name="Sam Stranger")
    known = ids(app)
    form = visible_text(ana.get(f"/warm-paths/ask/{known['ana_ben']}?company=Globex"))
    assert "Ask Ben in EventMate" in form and "Ben sees your name, your EventMate card" in form

    message = "Hi Ben, do you know someone at Globex I could talk to about their maps team?"
    data = {"company": "Globex", "topic": "their maps team", "message": message, "how": "app"}
    assert ana.post(f"/warm-paths/ask/{known['ana_ben']}", data=data).status_code == 422
    data["reason"] = SECRET_REASON
    sent = ana.post(f"/warm-paths/ask/{known['ana_ben']}", data=data)
    ask = the_ask(app)
    assert sent.status_code == 302 and sent.headers["Location"].endswith(f"/asks/{ask.id}")
    assert ask.state == AskState.ASKED and ask.override_reason == SECRET_REASON
    # Asking again about the same company waits for the first answer.
    again = ana.post(f"/warm-paths/ask/{known['ana_ben']}", data=data)
    assert again.status_code == 422 and "You already asked Ben" in visible_text(again)

    # Only Ana and Ben see it; each only does their own part.
    person = {"person": known["ben_cara"]}
    for client in (sam, cara):
        assert client.get(f"/asks/{ask.id}").status_code == 404
        assert client.get(f"/asks/{ask.id}/introduce", query_string=person).status_code == 404
        assert client.post(f"/asks/{ask.id}/introduce", data=person).status_code == 404
        assert client.post(f"/asks/{ask.id}/decline").status_code == 404
        assert client.post(f"/asks/{ask.id}/withdraw").status_code == 404
        assert "Can you help?" not in visible_text(client.get("/"))
    assert ana.post(f"/asks/{ask.id}/decline").status_code == 404
    assert ana.get(f"/asks/{ask.id}/introduce", query_string=person).status_code == 404
    assert ben.post(f"/asks/{ask.id}/withdraw").status_code == 404
    # Ben can't answer with someone else's contact.
    with app.app_context():
        sams_contact = make_contact(user(SAM), "Someone at Globex", company="Globex").id
        db.session.commit()
    assert ben.get(f"/asks/{ask.id}/introduce?person={sams_contact}").status_code == 404

    # Ben sees the ask with who he knows at Globex; nothing Ana kept for herself.
    home = visible_text(ben.get("/"))
    assert "Can you help?" in home and "Asks whether you know someone at Globex" in home
    assert "Asks whether you know someone at Globex" in visible_text(ben.get("/inbox"))
    received = ben.get(f"/asks/{ask.id}")
    text = visible_text(received)
    assert message in text and "Introduce Ana to Cara" in text
    assert SECRET_REASON not in text and SECRET_NOTE not in text
    assert received.headers["Cache-Control"] == "no-store"

    # Ben answers with an introduction, vouching for both (he barely knows them yet).
    whys = {"why_a": "Cara runs the maps team at Globex.", "why_b": "Ana wants to learn how."}
    unconfirmed = ben.post(f"/asks/{ask.id}/introduce", data=person | whys)
    assert unconfirmed.status_code == 422
    assert "I know enough about Ana Ribeiro and Cara Nunes" in visible_text(unconfirmed)
    made = ben.post(f"/asks/{ask.id}/introduce", data=person | whys | {"confirm": "yes"})
    assert made.status_code == 302 and "/introductions/" in made.headers["Location"]
    ask = the_ask(app)
    assert ask.state == AskState.INTRODUCED and ask.introduction_id is not None
    twice = ben.post(f"/asks/{ask.id}/introduce", data=person | whys | {"confirm": "yes"})
    assert twice.status_code == 302 and twice.headers["Location"].endswith(f"/asks/{ask.id}")

    # Ben's contact for Ana holds only what her card shows, never her notes or reason.
    with app.app_context():
        bens_ana = db.session.scalar(
            sa.select(Contact).where(
                Contact.owner_id == user(BEN).id, Contact.linked_user_id == user(ANA).id
            )
        )
        assert SECRET_NOTE not in bens_ana.notes and SECRET_REASON not in bens_ana.notes
        sides = {
            side.user_id: side.id
            for side in db.session.get(IntroductionAsk, ask.id).introduction.sides
        }
        ana_side, cara_side = sides[user(ANA).id], sides[user(CARA).id]

    # Each is asked; nobody has the other's details before both said yes.
    ana_page = ana.get(f"/asks/{ask.id}")
    assert f"/introductions/requests/{ana_side}" in ana_page.get_data(as_text=True)
    assert "Cara Nunes" not in names_in_contacts(app, ANA)
    assert "Ana Ribeiro" not in names_in_contacts(app, CARA)
    for client, side in ((sam, ana_side), (sam, cara_side), (ana, cara_side), (cara, ana_side)):
        assert client.get(f"/introductions/requests/{side}").status_code == 404
        answer = client.post(f"/introductions/requests/{side}", data={"choice": "accept"})
        assert answer.status_code == 404
    assert (
        ana.post(f"/introductions/requests/{ana_side}", data={"choice": "accept"}).status_code
        == 303
    )
    assert "Cara Nunes" not in names_in_contacts(app, ANA)
    assert "Ana Ribeiro" not in names_in_contacts(app, CARA)
    assert (
        cara.post(f"/introductions/requests/{cara_side}", data={"choice": "accept"}).status_code
        == 303
    )
    assert "Cara Nunes" in names_in_contacts(app, ANA)
    assert "Ana Ribeiro" in names_in_contacts(app, CARA)
    assert "Sam Stranger" not in names_in_contacts(app, ANA) | names_in_contacts(app, CARA)


def test_the_connector_can_say_no_and_the_asker_can_withdraw(app, ana, ben, make_client, accounts):
    accounts.register(make_client(), email=CARA, name="Cara Nunes")
    known = ids(app)
    data = {"company": "Globex", "message": "Do you know someone at Globex?", "how": "app",
            "reason": "We worked on the same floor"}  # fmt: skip
    ana.post(f"/warm-paths/ask/{known['ana_ben']}", data=data)
    first = the_ask(app)
    assert ben.post(f"/asks/{first.id}/decline").status_code == 302
    assert the_ask(app).state == AskState.DECLINED
    assert "Ben couldn't help this time" in visible_text(ana.get(f"/asks/{first.id}"))
    on_bens_page = visible_text(ana.get(f"/contacts/{known['ana_ben']}"))
    assert "You asked about Globex · Couldn't help this time" in on_bens_page
    assert "Can you help?" not in visible_text(ben.get("/"))

    ana.post(f"/warm-paths/ask/{known['ana_ben']}", data=data | {"company": "Initech"})
    with app.app_context():
        second = db.session.scalar(
            sa.select(IntroductionAsk).where(IntroductionAsk.company == "Initech")
        )
        second_id = second.id
    assert ana.post(f"/asks/{second_id}/withdraw").status_code == 302
    assert "withdrew" in visible_text(ben.get(f"/asks/{second_id}"))
    assert ben.post(f"/asks/{second_id}/decline", follow_redirects=True).status_code == 200
    with app.app_context():
        assert db.session.get(IntroductionAsk, second_id).state == AskState.WITHDRAWN


def test_ask_in_the_app_is_only_for_contacts_on_eventmate(app, ana):
    rui = add(app, "Rui Costa", ties=[Tie.FORMER_COLLEAGUE, Tie.FRIEND], met=1)
    data = {"company": "Globex", "message": "Do you know someone at Globex?", "how": "app"}
    refused = ana.post(f"/warm-paths/ask/{rui}", data=data)
    assert refused.status_code == 422 and "isn't on EventMate" in visible_text(refused)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(IntroductionAsk)) == 0
    bad = ana.post(f"/warm-paths/ask/{rui}", data=data | {"how": "pigeon", "company": "x" * 200})
    assert bad.status_code == 422 and "Keep the company under 120 characters." in visible_text(bad)
