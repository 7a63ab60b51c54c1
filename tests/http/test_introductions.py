"""Introductions over HTTP: how well I know someone, the refusal and warning paths, the double
opt-in through consent links and in the app, and what each person can see at every step."""

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

import pytest
import sqlalchemy as sa

from eventmate.extensions import db
from eventmate.models import Contact, FollowUp, Introduction, IntroductionSide, Meeting, User

from .helpers import card_link, contacts_of, scan, visible_text

ANA, BEN, CARA, DAN = (
    "ana@example.org",
    "ben@example.org",
    "cara@example.org",
    "dan@example.org",
)
BADGE = "MECARD:N:Owen,Sean;ORG:ZXing;EMAIL:sean@example.com;;"
WHY_ANA = "Ben runs the Porto design meetup you asked me about."
WHY_BEN = "Ana is hiring product designers this spring."


@pytest.fixture
def cara(make_client, accounts):
    client = make_client()
    accounts.register(client, email=CARA, name="Cara Mendes")
    return client


@pytest.fixture
def dan(make_client, accounts):
    client = make_client()
    accounts.register(client, email=DAN, name="Dan Third")
    return client


def exchange(app, client, email):
    token = card_link(app, email).rsplit("/", 1)[1]
    assert client.post(f"/c/{token}/exchange").status_code == 302


def contact_id(app, owner_email, name) -> int:
    with app.app_context():
        owner = db.session.scalar(sa.select(User).where(User.email == owner_email))
        return db.session.scalar(
            sa.select(Contact.id).where(Contact.owner_id == owner.id, Contact.full_name == name)
        )


def know_well(app, *contact_ids):
    """As if the owner had met them three times over the past half year and noted it."""
    with app.app_context():
        for cid in contact_ids:
            contact = db.session.get(Contact, cid)
            long_ago = datetime.now(UTC) - timedelta(days=200)
            contact.created_at = long_ago
            contact.notes = "Worked together at Tideway."
            for days in (200, 120, 40):
                db.session.add(
                    Meeting(
                        contact_id=cid,
                        kind="meeting",
                        met_at=datetime.now(UTC) - timedelta(days=days),
                    )
                )
        db.session.commit()


@pytest.fixture
def circle(app, ana, ben, cara):
    """Cara has exchanged cards with Ana and with Ben, who don't know each other."""
    exchange(app, cara, ANA)
    exchange(app, cara, BEN)
    return contact_id(app, CARA, "Ana Ribeiro"), contact_id(app, CARA, "Ben Okafor")


def introduce(cara, a, b, *, confirm=True, why_a=WHY_ANA, why_b=WHY_BEN):
    data = {"a": str(a), "b": str(b), "why_a": why_a, "why_b": why_b}
    if confirm:
        data["confirm"] = "yes"
    return cara.post("/introductions/new", data=data)


def started(app, cara, a, b, **options) -> int:
    response = introduce(cara, a, b, **options)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def side_id(app, intro_id, position) -> int:
    with app.app_context():
        return db.session.scalar(
            sa.select(IntroductionSide.id).where(
                IntroductionSide.introduction_id == intro_id,
                IntroductionSide.position == position,
            )
        )


def make_link(cara, intro_id, position) -> str:
    page = cara.post(f"/introductions/{intro_id}/link/{position}")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    match = re.search(r'id="consent-link" value="(http://eventmate\.test/i/[^"]+)"', page.text)
    return match.group(1).removeprefix("http://eventmate.test")


# How well I know someone ---------------------------------------------------------------------


def test_the_contact_page_shows_the_level_and_its_reasons(app, ana, ben):
    exchange(app, ben, ANA)
    ana_id = contact_id(app, BEN, "Ana Ribeiro")
    page = visible_text(ben.get(f"/contacts/{ana_id}"))
    assert "How well you know Ana" in page
    assert "Just met" in page and "Met in person once" in page and "Known since today" in page
    assert "Meet again, call or follow up to get to know them." in page


def test_logging_a_meeting_call_or_message(app, ana, ben):
    exchange(app, ben, ANA)
    ana_id = contact_id(app, BEN, "Ana Ribeiro")
    today = datetime.now(UTC).date()
    for kind, day in (("call", today), ("meeting", today - timedelta(days=100))):
        response = ben.post(
            f"/contacts/{ana_id}/touches", data={"kind": kind, "on": day.isoformat(), "note": ""}
        )
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/contacts/{ana_id}#relationship")
    ben.post(
        f"/contacts/{ana_id}/touches",
        data={"kind": "message", "on": today.isoformat(), "note": "Sent   the deck"},
    )
    [contact] = contacts_of(app, BEN)
    kinds = sorted(meeting.kind for meeting in contact.meetings)
    assert kinds == ["call", "exchange", "meeting", "message"]
    backdated = next(m for m in contact.meetings if m.kind == "meeting")
    assert backdated.met_at.date() == today - timedelta(days=100)  # noon in Lisbon
    assert contact.notes.endswith("message: Sent the deck")
    page = visible_text(ben.get(f"/contacts/{ana_id}"))
    assert "You called Ana Ribeiro" in page and "You messaged Ana Ribeiro" in page
    assert "Met in person twice" not in page and "Met in person 2 times" in page
    assert "1 call" in page and "Known for 3 months" in page
    assert "Getting to know" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "dinner", "on": ""}, "Choose a meeting, a call or a message."),
        ({"kind": "call", "on": "2999-01-01"}, "That day hasn't happened yet"),
        ({"kind": "call", "on": "1900-01-01"}, "Pick a day after 1950."),
        ({"kind": "call", "on": "yesterday"}, "Pick the day it happened."),
        ({"kind": "call", "on": "", "note": "x" * 501}, "Keep the note under 500 characters."),
    ],
)
def test_logging_validates_what_and_when(app, ana, ben, data, message):
    exchange(app, ben, ANA)
    ana_id = contact_id(app, BEN, "Ana Ribeiro")
    # A copy: the CSRF-aware client adds its token to the dict, shared by both databases.
    response = ben.post(f"/contacts/{ana_id}/touches", data=dict(data), follow_redirects=True)
    assert message in visible_text(response)
    [contact] = contacts_of(app, BEN)
    assert [meeting.kind for meeting in contact.meetings] == ["exchange"]


def test_logging_on_someone_elses_contact_is_not_found_and_needs_csrf(app, ana, ben):
    exchange(app, ben, ANA)
    ana_id = contact_id(app, BEN, "Ana Ribeiro")
    assert ana.post(f"/contacts/{ana_id}/touches", data={"kind": "call"}).status_code == 404
    assert (
        ben.post(f"/contacts/{ana_id}/touches", data={"kind": "call"}, csrf=False).status_code
        == 400
    )
    assert ben.post("/contacts/999999/touches", data={"kind": "call"}).status_code == 404


# Introducing: refusals and the warning -------------------------------------------------------


def test_barely_known_people_need_an_explicit_confirmation(app, circle, cara):
    a, b = circle
    form = visible_text(cara.get(f"/introductions/new?a={a}&b={b}"))
    assert "Introduce Ana Ribeiro to Ben Okafor" in form
    assert "You don't know Ana Ribeiro well yet" in form
    assert "You don't know Ben Okafor well yet" in form
    assert "I know enough about Ana Ribeiro and Ben Okafor to vouch for this introduction" in form
    refused = introduce(cara, a, b, confirm=False)
    assert refused.status_code == 422
    assert "Tick the box to confirm" in visible_text(refused)
    assert WHY_ANA in refused.text  # what was typed is kept
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Introduction)) == 0
    assert introduce(cara, a, b, confirm=True).status_code == 302


def test_people_known_well_need_no_confirmation(app, circle, cara):
    a, b = circle
    know_well(app, a, b)
    form = visible_text(cara.get(f"/introductions/new?a={a}&b={b}"))
    assert "well yet" not in form and "vouch" not in form
    assert introduce(cara, a, b, confirm=False).status_code == 302


def test_the_warning_names_only_the_one_barely_known(app, circle, cara):
    a, b = circle
    know_well(app, a)
    form = visible_text(cara.get(f"/introductions/new?a={a}&b={b}"))
    assert "You don't know Ben Okafor well yet" in form
    assert "You don't know Ana Ribeiro" not in form
    assert introduce(cara, a, b, confirm=False).status_code == 422


def test_a_contact_marked_dont_introduce_is_refused(app, circle, cara):
    a, b = circle
    assert (
        cara.post(f"/contacts/{b}/introductions", data={"do_not_introduce": "on"}).status_code
        == 302
    )
    page = visible_text(cara.get(f"/introductions/new?a={a}&b={b}"))
    assert "This introduction can't go ahead" in page
    assert "You noted that Ben Okafor doesn't want to be introduced." in page
    assert introduce(cara, a, b).status_code == 422
    contact_page = visible_text(cara.get(f"/contacts/{b}"))
    assert "Introduce Ben to someone" not in contact_page
    cara.post(f"/contacts/{b}/introductions", data={})
    assert introduce(cara, a, b).status_code == 302


def test_a_user_who_asked_not_to_be_introduced_is_refused(app, circle, cara, ben):
    a, b = circle
    response = ben.post("/introductions/preferences", data={"no_introductions": "on"})
    assert response.status_code == 302
    assert "Ben Okafor asked not to be introduced" in visible_text(
        cara.get(f"/introductions/new?a={a}&b={b}")
    )
    refused = introduce(cara, a, b)
    assert refused.status_code == 422
    scan(cara, BADGE)  # a third person, so there are two to choose from
    choose = cara.get(f"/introductions/new?a={a}").text
    assert re.search(r'value="%d"\s+disabled' % b, choose)  # noqa: UP031
    ben.post("/introductions/preferences", data={})
    assert introduce(cara, a, b).status_code == 302


def test_two_different_people_with_a_reason_each_are_needed(app, circle, cara):
    a, b = circle
    same = introduce(cara, a, a)
    assert same.status_code == 422 and "Choose two different people." in visible_text(same)
    missing = introduce(cara, a, b, why_a=" ", why_b="x" * 301)
    text = visible_text(missing)
    assert missing.status_code == 422
    assert "Tell Ana in a sentence why they should meet Ben." in text
    assert "Keep it under 300 characters." in text
    started(app, cara, a, b)
    again = introduce(cara, b, a)
    assert again.status_code == 422 and "it's waiting for their answers" in visible_text(again)


def test_someone_elses_contacts_cannot_be_introduced(app, circle, cara, dan):
    a, b = circle
    exchange(app, dan, CARA)
    mine = contact_id(app, DAN, "Cara Mendes")
    assert introduce(dan, mine, a).status_code == 404
    assert dan.get(f"/introductions/new?a={a}").status_code == 404
    assert dan.post("/introductions/new", data={"a": "x", "b": str(mine)}).status_code == 404
    assert introduce(cara, a, b, confirm=True).status_code == 302
    assert (
        cara.post("/introductions/new", data={"a": str(a), "b": str(b)}, csrf=False).status_code
        == 400
    )


# The double opt-in ----------------------------------------------------------------------------


def show_on_card(app, email, *, headline):
    """The user shows their email and headline on their public card."""
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        user.headline, user.public_headline, user.public_email = headline, True, True
        db.session.commit()


@pytest.mark.parametrize("first", ["ana", "ben"])
def test_two_eventmate_users_accept_in_either_order(app, circle, cara, ana, ben, first):
    a, b = circle
    for email in (ANA, BEN):
        show_on_card(app, email, headline="Design lead, Tideway")
    intro_id = started(app, cara, a, b)
    answerers = {"ana": (ana, "a", BEN, "Ben Okafor"), "ben": (ben, "b", ANA, "Ana Ribeiro")}
    order = [first, "ben" if first == "ana" else "ana"]

    # Each sees the request in the app: who introduces, to whom, why — nothing else.
    for name in order:
        client, position, other_email, other_name = answerers[name]
        home = visible_text(client.get("/"))
        assert f"Meet {other_name}?" in home and "Introduced by Cara Mendes" in home
        page = client.get(f"/introductions/requests/{side_id(app, intro_id, position)}")
        text = visible_text(page)
        assert page.headers["Cache-Control"] == "no-store"
        assert f"Cara Mendes would like to introduce you to {other_name}" in text
        assert (WHY_ANA if position == "a" else WHY_BEN) in text
        assert (WHY_BEN if position == "a" else WHY_ANA) not in text
        for detail in (other_email, "Design lead", "Tideway"):
            assert detail not in page.text

    # The first says yes: the second still sees no sign of it, and nobody has anyone yet.
    client, position, _, other_name = answerers[order[0]]
    url = f"/introductions/requests/{side_id(app, intro_id, position)}"
    response = client.post(url, data={"choice": "accept"})
    assert response.status_code == 303
    assert f"You said yes to meeting {other_name}" in visible_text(client.get(url))
    second, second_position, _, _ = answerers[order[1]]
    second_url = f"/introductions/requests/{side_id(app, intro_id, second_position)}"
    waiting = visible_text(second.get(second_url))
    assert "said yes" not in waiting and "accepted" not in waiting.lower()
    for who in (ana, ben):
        assert who.get("/api/contacts").get_json()["contacts"][0]["name"] == "Cara Mendes"
        assert len(who.get("/api/contacts").get_json()["contacts"]) == 1

    # The second says yes: each gets the other, linked like an exchange.
    assert second.post(second_url, data={"choice": "accept"}).status_code == 303
    ana_contacts = {c["name"]: c for c in ana.get("/api/contacts").get_json()["contacts"]}
    ben_contacts = {c["name"]: c for c in ben.get("/api/contacts").get_json()["contacts"]}
    assert ana_contacts["Ben Okafor"]["emails"] == [BEN]
    assert ana_contacts["Ben Okafor"]["is_eventmate_user"] is True
    assert "via Cara Mendes" in ana_contacts["Ben Okafor"]["tags"]
    assert WHY_ANA in ana_contacts["Ben Okafor"]["notes"]
    assert WHY_BEN in ben_contacts["Ana Ribeiro"]["notes"]
    connected = visible_text(ana.get(f"/introductions/requests/{side_id(app, intro_id, 'a')}"))
    assert "You and Ben Okafor are connected" in connected
    with app.app_context():
        follow_ups = db.session.scalars(
            sa.select(FollowUp).where(FollowUp.reason == "introduction")
        ).all()
        assert len(follow_ups) == 2 and all(f.due_at > datetime.now(UTC) for f in follow_ups)

    # Cara is told, on her home page, until she says OK.
    home = visible_text(cara.get("/"))
    assert "Ana Ribeiro and Ben Okafor both said yes." in home
    assert cara.post(f"/introductions/{intro_id}/seen").status_code == 302
    assert "both said yes" not in visible_text(cara.get("/"))
    detail = visible_text(cara.get(f"/introductions/{intro_id}"))
    assert "Both said yes" in detail


def test_a_decline_reaches_the_introducer_only(app, circle, cara, ana, ben):
    a, b = circle
    intro_id = started(app, cara, a, b)
    ana_url = f"/introductions/requests/{side_id(app, intro_id, 'a')}"
    ben_url = f"/introductions/requests/{side_id(app, intro_id, 'b')}"
    assert ana.post(ana_url, data={"choice": "accept"}).status_code == 303
    reason = "I'm changing jobs next month, maybe later."
    assert ben.post(ben_url, data={"choice": "decline", "reason": reason}).status_code == 303
    # Ben sees his own answer; Ana sees only that it is no longer open.
    assert "You declined meeting Ana Ribeiro" in visible_text(ben.get(ben_url))
    ana_view = ana.get(ana_url).text
    assert "no longer open" in ana_view
    assert "declin" not in ana_view.lower() and "changing jobs" not in ana_view
    assert "Introductions for you" not in visible_text(ana.get("/"))
    assert len(ana.get("/api/contacts").get_json()["contacts"]) == 1
    # Cara gets the notice and the reason.
    home = visible_text(cara.get("/"))
    assert "Ben Okafor declined your introduction to Ana Ribeiro." in home
    assert reason in visible_text(cara.get(f"/introductions/{intro_id}"))
    with app.app_context():
        assert (
            db.session.scalar(sa.select(sa.func.count()).where(FollowUp.reason == "introduction"))
            == 0
        )


def test_an_answer_counts_once(app, circle, cara, ana):
    a, b = circle
    intro_id = started(app, cara, a, b)
    url = f"/introductions/requests/{side_id(app, intro_id, 'a')}"
    assert ana.post(url, data={"choice": "accept"}).status_code == 303
    again = ana.post(url, data={"choice": "decline", "reason": "changed my mind"})
    assert again.status_code == 409
    assert "You said yes to meeting Ben Okafor" in visible_text(again)
    with app.app_context():
        side = db.session.get(IntroductionSide, side_id(app, intro_id, "a"))
        assert side.answer == "accepted" and side.decline_reason == ""
    bad = ana.post(
        f"/introductions/requests/{side_id(app, intro_id, 'a')}", data={"choice": "maybe"}
    )
    assert bad.status_code in (409, 422)


def test_an_expired_introduction_cannot_be_answered(app, circle, cara, ana, ben):
    a, b = circle
    intro_id = started(app, cara, a, b)
    with app.app_context():
        intro = db.session.get(Introduction, intro_id)
        assert intro.expires_at - intro.created_at == timedelta(days=14)
        intro.expires_at = datetime.now(UTC) - timedelta(seconds=1)
        db.session.commit()
    url = f"/introductions/requests/{side_id(app, intro_id, 'b')}"
    assert "This introduction has expired" in visible_text(ben.get(url))
    assert ben.post(url, data={"choice": "accept"}).status_code == 409
    assert "Introductions for you" not in visible_text(ben.get("/"))
    assert "Expired" in visible_text(cara.get(f"/introductions/{intro_id}"))
    assert cara.post(f"/introductions/{intro_id}/link/a").status_code == 302


def test_the_introducer_can_withdraw(app, circle, cara, ana):
    a, b = circle
    intro_id = started(app, cara, a, b)
    link = make_link(cara, intro_id, "a")
    assert cara.post(f"/introductions/{intro_id}/withdraw").status_code == 302
    url = f"/introductions/requests/{side_id(app, intro_id, 'a')}"
    assert "no longer open" in ana.get(url).text
    assert ana.post(url, data={"choice": "accept"}).status_code == 409
    assert "no longer open" in ana.get(link).text
    assert "Withdrawn" in visible_text(cara.get(f"/introductions/{intro_id}"))
    assert (
        cara.post(f"/introductions/{intro_id}/withdraw", follow_redirects=True).status_code == 200
    )


def test_a_third_person_sees_nothing(app, circle, cara, ana, dan, make_client):
    a, b = circle
    intro_id = started(app, cara, a, b)
    link = make_link(cara, intro_id, "a")  # Ana's link, forwarded to Dan
    for response in (dan.get(link), dan.post(link, data={"choice": "accept"})):
        assert response.status_code == 403
        text = visible_text(response)
        assert "This introduction is for someone else" in text
        for private in ("Ana", "Ben", "Cara", "Porto", "hiring"):
            assert private not in text.replace("Dan Third", "")
    anonymous = make_client()
    response = anonymous.get(link)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert "Ben" not in anonymous.get(response.headers["Location"]).text
    assert dan.get(f"/introductions/requests/{side_id(app, intro_id, 'a')}").status_code == 404
    assert dan.get(f"/introductions/{intro_id}").status_code == 404
    assert dan.post(f"/introductions/{intro_id}/withdraw").status_code == 404
    assert dan.post(f"/introductions/{intro_id}/link/a").status_code == 404
    assert ana.get(f"/introductions/{intro_id}").status_code == 404  # a side isn't the introducer
    assert ana.get(link).status_code == 200  # the link works for Ana herself
    with app.app_context():
        assert db.session.get(IntroductionSide, side_id(app, intro_id, "a")).answer == "pending"


def test_someone_not_on_eventmate_answers_through_the_mailed_link(
    app, circle, cara, ana, make_client
):
    a, _ = circle
    sean = scan(cara, BADGE).get_json()["id"]
    intro_id = started(app, cara, a, sean)
    detail = visible_text(cara.get(f"/introductions/{intro_id}"))
    assert "Send Sean the link" in detail
    send = cara.post(f"/introductions/{intro_id}/link/b")
    link = re.search(r'id="consent-link" value="([^"]+)"', send.text).group(1)
    mailto = re.search(r'href="(mailto:[^"]+)"', send.text).group(1)
    assert mailto.startswith("mailto:sean@example.com?subject=")
    body = unquote(mailto.replace("&amp;", "&").split("&body=")[1])
    assert link in body and "Hi Sean" in body and "Ana Ribeiro" in body
    assert WHY_BEN in body and WHY_ANA not in body  # the why written for Sean, not Ana's
    path = link.removeprefix("http://eventmate.test")
    # Sean, not logged in anywhere, opens it.
    sean_browser = make_client()
    page = sean_browser.get(path)
    text = visible_text(page)
    assert page.status_code == 200 and '<meta name="referrer" content="no-referrer">' in page.text
    assert "Cara Mendes would like to introduce you to Ana Ribeiro" in text
    assert ANA not in page.text
    assert sean_browser.get(path + "/card.vcf").status_code == 404  # not before both said yes
    assert sean_browser.post(path, data={"choice": "accept"}).status_code == 303
    assert len(ana.get("/api/contacts").get_json()["contacts"]) == 1  # nothing yet for Ana
    ana_url = f"/introductions/requests/{side_id(app, intro_id, 'a')}"
    assert ana.post(ana_url, data={"choice": "accept"}).status_code == 303
    # Ana gets Sean as Cara had him; Sean gets Ana's public card.
    [sean_for_ana] = [c for c in contacts_of(app, ANA) if c.full_name == "Sean Owen"]
    assert sean_for_ana.emails == ["sean@example.com"] and sean_for_ana.company == "ZXing"
    assert sean_for_ana.source == "introduction"
    final = sean_browser.get(path)
    assert "You and Ana Ribeiro are connected" in visible_text(final)
    vcard = sean_browser.get(path + "/card.vcf")
    assert vcard.status_code == 200 and "Ana Ribeiro" in vcard.text
    assert ANA not in vcard.text  # Ana doesn't show her email on her card


def test_a_new_link_replaces_the_old_one(app, circle, cara):
    a, _ = circle
    sean = scan(cara, BADGE).get_json()["id"]
    intro_id = started(app, cara, a, sean)
    old = make_link(cara, intro_id, "b")
    new = make_link(cara, intro_id, "b")
    assert old != new
    assert cara.get(old).status_code == 404
    assert "This link doesn't work" in visible_text(cara.get(old))
    assert cara.get(new).status_code == 200
    assert "The earlier link stops working." in visible_text(cara.get(f"/introductions/{intro_id}"))
    with app.app_context():
        stored = db.session.scalars(sa.select(IntroductionSide.link_hash)).all()
    assert all(new.split(".")[1] not in (value or "") for value in stored)


def test_giving_back_counts_what_the_user_did(app, circle, cara, ana, ben):
    a, b = circle
    first = started(app, cara, a, b)
    sean = scan(cara, BADGE).get_json()["id"]
    started(app, cara, a, sean)
    for position, client in (("a", ana), ("b", ben)):
        client.post(
            f"/introductions/requests/{side_id(app, first, position)}", data={"choice": "accept"}
        )
    page = visible_text(cara.get("/giving-back"))
    assert "2 made" in page and "1 both said yes" in page and "1 waiting" in page
    assert "0 declined" in page and "0 follow-ups done" in page
    assert "Giving back" in visible_text(cara.get("/"))


def test_waiting_requests_show_in_the_follow_up_inbox(app, circle, cara, ben):
    a, b = circle
    intro_id = started(app, cara, a, b)
    inbox = visible_text(ben.get("/inbox"))
    assert "Introductions for you" in inbox and "Meet Ana Ribeiro?" in inbox
    ben.post(f"/introductions/requests/{side_id(app, intro_id, 'b')}", data={"choice": "decline"})
    assert "Introductions for you" not in visible_text(ben.get("/inbox"))


def test_the_data_export_holds_introductions_and_allies(app, circle, cara, ben):
    a, b = circle
    intro_id = started(app, cara, a, b)
    cara.post(f"/contacts/{a}/ally", data={"keep_in_touch_days": "90"})
    cara.post(f"/contacts/{b}/introductions", data={"do_not_introduce": "on"})
    reason = "Not now, thanks."
    ben.post(
        f"/introductions/requests/{side_id(app, intro_id, 'b')}",
        data={"choice": "decline", "reason": reason},
    )
    mine = cara.get("/account/export/data.json").get_json()["introductions"]
    [made] = mine["made"]
    assert made["state"] == "declined"
    assert [p["why"] for p in made["people"]] == [WHY_ANA, WHY_BEN]
    assert made["people"][1]["decline_reason"] == reason
    assert mine["trusted_allies"][0]["name"] == "Ana Ribeiro"
    assert mine["trusted_allies"][0]["keep_in_touch_days"] == 90
    assert mine["contacts_not_to_introduce"] == [{"contact_id": b, "name": "Ben Okafor"}]
    bens = ben.get("/account/export/data.json").get_json()["introductions"]
    assert bens["asked_of_me"] == [
        {
            "introduced_by": "Cara Mendes",
            "to": "Ana Ribeiro",
            "why": WHY_BEN,
            "my_answer": "declined",
            "answered_at": bens["asked_of_me"][0]["answered_at"],
            "my_reason": reason,
            "state": "declined",
        }
    ]
    assert bens["made"] == [] and bens["i_dont_want_to_be_introduced"] is False


def test_ids_out_of_range_are_simply_not_found(app, circle, cara):
    huge = str(2**40)
    assert cara.get(f"/introductions/{huge}").status_code == 404
    assert cara.get(f"/introductions/requests/{huge}").status_code == 404
    assert cara.post(f"/contacts/{huge}/touches", data={"kind": "call"}).status_code == 404
    assert cara.post("/introductions/new", data={"a": huge, "b": huge}).status_code == 404
    assert cara.get(f"/introductions/new?a={huge}").status_code == 404
    assert cara.get("/i/not-a-token").status_code == 404


# One open follow-up per contact, however the two met -----------------------------------------


def accept_both(app, cara, ana, ben, circle) -> int:
    intro_id = started(app, cara, *circle)
    for client, position in ((ana, "a"), (ben, "b")):
        url = f"/introductions/requests/{side_id(app, intro_id, position)}"
        assert client.post(url, data={"choice": "accept"}).status_code == 303
    return intro_id


def open_follow_ups(app, owner_email, other_email) -> list[str]:
    """The reasons of the owner's open follow-ups with the other user."""
    with app.app_context():
        owner, other = (
            db.session.scalar(sa.select(User.id).where(User.email == email))
            for email in (owner_email, other_email)
        )
        return list(
            db.session.scalars(
                sa.select(FollowUp.reason)
                .join(Contact, Contact.id == FollowUp.contact_id)
                .where(
                    Contact.owner_id == owner,
                    Contact.linked_user_id == other,
                    FollowUp.state == "open",
                )
            )
        )


def test_introduced_people_who_then_exchange_cards_keep_one_follow_up(app, circle, cara, ana, ben):
    accept_both(app, cara, ana, ben, circle)
    assert open_follow_ups(app, ANA, BEN) == ["introduction"]
    exchange(app, ana, BEN)  # they meet at the next event and scan each other's cards
    assert open_follow_ups(app, ANA, BEN) == ["introduction"]
    assert open_follow_ups(app, BEN, ANA) == ["introduction"]


def test_people_who_met_before_being_introduced_keep_one_follow_up(app, circle, cara, ana, ben):
    exchange(app, ana, BEN)
    assert open_follow_ups(app, ANA, BEN) == ["new_contact"]
    accept_both(app, cara, ana, ben, circle)
    assert open_follow_ups(app, ANA, BEN) == ["new_contact"]
    assert open_follow_ups(app, BEN, ANA) == ["new_contact"]


def test_links_last_as_many_days_as_configured(app, circle, cara, monkeypatch):
    from eventmate import create_app

    monkeypatch.setenv("INTRODUCTION_EXPIRY_DAYS", "3")
    configured = create_app(
        {"TESTING": True, "SECRET_KEY": "k", "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    )
    assert configured.config["INTRODUCTION_EXPIRY_DAYS"] == 3
    monkeypatch.setenv("INTRODUCTION_EXPIRY_DAYS", "soon")
    with pytest.raises(ValueError):
        create_app({"TESTING": True, "SECRET_KEY": "k", "SQLALCHEMY_DATABASE_URI": "sqlite://"})

    app.config["INTRODUCTION_EXPIRY_DAYS"] = 3
    a, b = circle
    assert "Links work for 3 days" in visible_text(cara.get(f"/introductions/new?a={a}&b={b}"))
    intro_id = started(app, cara, a, b)
    with app.app_context():
        intro = db.session.get(Introduction, intro_id)
        assert intro.expires_at - intro.created_at == timedelta(days=3)
