"""Details shared back on a public card, over HTTP: a visitor changes nothing in the owner's
contacts; the owner sees them on home, in the inbox and on People, and accepts, merges field by
field or dismisses them; replays change nothing; nobody else can see or touch them."""

import html
import json
import re

import pytest
import sqlalchemy as sa

from eventmate.badges import parse_vcard_bytes
from eventmate.extensions import db
from eventmate.models import Contact, FollowUp, Meeting, PromptAnswer, SharedDetails, User
from tests.conftest import STRONG_PASSWORD

from .helpers import card_link, count, scan, visible_text

BADGE = "MECARD:N:Owen,Sean;TEL:+12125658770;EMAIL:srowen@example.com;;"
CARLA = {"name": "Carla Souza", "email": "carla@example.org", "note": "Met at the coffee bar"}


def share(app, visitor, owner_email="ana@example.org", **fields):
    token = card_link(app, owner_email).rsplit("/", 1)[1]
    response = visitor.post(f"/c/{token}/share", data=CARLA | fields)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return response


def only_shared_id(app) -> int:
    with app.app_context():
        return db.session.scalars(sa.select(SharedDetails.id)).one()


def snapshot(app) -> dict:
    """Every row a share-back could have touched, as plain values."""
    with app.app_context():
        tables = {}
        for model in (Contact, Meeting, FollowUp, PromptAnswer):
            rows = db.session.scalars(sa.select(model).order_by(*model.__table__.primary_key))
            tables[model.__tablename__] = [
                {column.key: getattr(row, column.key) for column in model.__table__.columns}
                for row in rows
            ]
        return tables


def test_a_share_back_changes_nothing_in_existing_contacts(app, ana, make_client):
    """The attack of issue 10: a visitor who knows the card's token names one of Ana's
    contacts; her notes, meetings, follow-ups and how well she knows him stay as they were."""
    sean = scan(ana, BADGE).get_json()["id"]
    level_before = visible_text(ana.get(f"/contacts/{sean}")).split("How well you know")[1][:200]
    before = snapshot(app)
    share(
        app,
        make_client(),
        name="Sean Owen",
        email="SROWEN@example.com",
        phone="+1 212 565 8770",
        note="Call me urgently, send your bank details",
    )
    assert snapshot(app) == before
    page = visible_text(ana.get(f"/contacts/{sean}"))
    assert page.split("How well you know")[1][:200] == level_before
    assert "bank details" not in page and "shared their details" not in page
    assert count(app, SharedDetails) == 1


def test_the_owner_sees_what_waits_on_home_inbox_and_people(app, ana, make_client):
    share(app, make_client())
    share(app, make_client(), name="Dario Costa", email="dario@example.org", note="")
    home = visible_text(ana.get("/"))
    assert "Shared with you 2" in home and "Carla Souza" in home and "Dario Costa" in home
    assert "Shared with you 2" in visible_text(ana.get("/inbox"))
    people = visible_text(ana.get("/contacts/"))
    assert "2 people shared their details with you" in people
    assert "Carla Souza" not in people.split("shared their details with you")[1]  # not a contact
    listing = visible_text(ana.get("/shared/"))
    assert "Carla Souza" in listing and "Dario Costa" in listing


def test_accepting_makes_the_contact_at_the_time_shared_once(app, ana, make_client):
    share(app, make_client(), phone="+351 912 345 678")
    shared_id = only_shared_id(app)
    page = ana.get(f"/shared/{shared_id}")
    text = visible_text(page)
    assert "Carla Souza" in text and "Met at the coffee bar" in text and "Accept" in text
    assert "Looks like" not in text
    first = ana.post(f"/shared/{shared_id}", data={"decision": "accept", "keep_note": "yes"})
    assert first.status_code == 302 and "/contacts/" in first.headers["Location"]
    again = ana.post(
        f"/shared/{shared_id}", data={"decision": "accept", "keep_note": "yes"}
    )  # double tap
    assert again.headers["Location"] == first.headers["Location"]
    with app.app_context():
        [contact] = db.session.scalars(sa.select(Contact)).all()
        shared = db.session.get(SharedDetails, shared_id)
        assert (contact.full_name, contact.emails, contact.phones, contact.notes) == (
            "Carla Souza",
            ["carla@example.org"],
            ["+351 912 345 678"],
            "Met at the coffee bar",
        )
        [meeting] = db.session.scalars(sa.select(Meeting)).all()
        assert (meeting.kind, meeting.met_at) == ("shared_back", shared.shared_at)
        [follow_up] = db.session.scalars(sa.select(FollowUp)).all()
        assert follow_up.contact_id == contact.id and follow_up.state == "open"
    assert "Shared with you" not in visible_text(ana.get("/"))
    assert "You added them as a new contact" in visible_text(ana.get(f"/shared/{shared_id}"))
    detail = visible_text(ana.get(first.headers["Location"]))
    assert "Carla Souza shared their details with you" in detail


def test_the_note_is_added_only_when_the_owner_keeps_it(app, ana, make_client):
    share(app, make_client())
    ana.post(f"/shared/{only_shared_id(app)}", data={"decision": "accept"})
    with app.app_context():
        assert db.session.scalars(sa.select(Contact.notes)).one() == ""


def test_merging_takes_the_fields_the_owner_chose(app, ana, make_client):
    sean = scan(ana, BADGE).get_json()["id"]
    share(
        app,
        make_client(),
        name="Sean R. Owen",
        email="srowen@example.com",
        phone="+351 912 345 678",
        note="Loved your talk",
    )
    shared_id = only_shared_id(app)
    page = ana.get(f"/shared/{shared_id}").get_data(as_text=True)
    text = visible_text(ana.get(f"/shared/{shared_id}"))
    assert "Looks like Sean Owen" in text and "the same email" in text
    assert "Keep mine: Sean Owen" in text and "Take theirs: Sean R. Owen" in text
    assert "Keep mine: +12125658770" in text and "Take theirs: +351 912 345 678" in text
    assert not re.search(r'name="email"', page)  # the same email: nothing to choose
    response = ana.post(
        f"/shared/{shared_id}",
        data={"decision": "merge", "contact_id": sean, "name": "theirs", "phone": "mine"},
    )
    assert response.headers["Location"].endswith(f"/contacts/{sean}")
    replay = ana.post(
        f"/shared/{shared_id}",
        data={
            "decision": "merge",
            "contact_id": sean,
            "name": "mine",
            "phone": "theirs",
            "keep_note": "yes",
        },
    )
    assert replay.headers["Location"] == response.headers["Location"]
    with app.app_context():
        contact = db.session.get(Contact, sean)
        assert contact.full_name == "Sean R. Owen"
        assert contact.phones == ["+12125658770"] and contact.notes == ""
        kinds = sorted(db.session.scalars(sa.select(Meeting.kind)))
        assert kinds == ["scan", "shared_back"]
        assert count(app, Contact) == 1 and count(app, FollowUp) == 1
    assert "Sean R. Owen shared their details with you" in visible_text(
        ana.get(f"/contacts/{sean}")
    )


def test_merging_with_theirs_keeps_mine_too_and_the_note_when_kept(app, ana, make_client):
    sean = scan(ana, BADGE).get_json()["id"]
    share(app, make_client(), name="Sean Owen", email="sean@new.example", note="Loved your talk")
    ana.post(
        f"/shared/{only_shared_id(app)}",
        data={"decision": "merge", "contact_id": sean, "email": "theirs", "keep_note": "yes"},
    )
    with app.app_context():
        contact = db.session.get(Contact, sean)
        assert contact.emails == ["sean@new.example", "srowen@example.com"]
        assert contact.notes == "Loved your talk"


def test_dismissing_adds_nothing_and_keeps_nothing(app, ana, make_client):
    share(app, make_client())
    shared_id = only_shared_id(app)
    response = ana.post(f"/shared/{shared_id}", data={"decision": "dismiss"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/")
    replay = ana.post(f"/shared/{shared_id}", data={"decision": "dismiss"})
    assert replay.status_code == 302
    refused = ana.post(f"/shared/{shared_id}", data={"decision": "accept", "keep_note": "yes"})
    assert refused.headers["Location"].endswith(f"/shared/{shared_id}")
    assert "You already dealt with these details" in visible_text(ana.get("/"))
    assert count(app, Contact) == 0 and count(app, Meeting) == 0 and count(app, FollowUp) == 0
    with app.app_context():
        shared = db.session.get(SharedDetails, shared_id)
        assert (shared.state, shared.full_name, shared.email, shared.note) == (
            "dismissed",
            "",
            "",
            "",
        )
    assert "Shared with you" not in visible_text(ana.get("/"))


def test_only_the_owner_sees_or_reviews_them(app, ana, ben, make_client):
    share(app, make_client())
    shared_id = only_shared_id(app)
    ben_contact = scan(ben, BADGE).get_json()["id"]
    sean = scan(ana, BADGE).get_json()["id"]
    for shared in (shared_id, 2**31, 2**63, 0):
        attempts = [
            ("get", f"/shared/{shared}", None),
            ("post", f"/shared/{shared}", {"decision": "accept", "keep_note": "yes"}),
            ("post", f"/shared/{shared}", {"decision": "merge", "contact_id": ben_contact}),
            ("post", f"/shared/{shared}", {"decision": "dismiss"}),
        ]
        for method, path, data in attempts:
            assert getattr(ben, method)(path, data=data or {}).status_code == 404, path
    assert "Carla" not in ben.get("/").get_data(as_text=True)
    assert "Carla" not in ben.get("/shared/").get_data(as_text=True)
    # Ana cannot merge into Ben's contact either, nor into an id out of range.
    for target in (ben_contact, 2**31, "x"):
        response = ana.post(
            f"/shared/{shared_id}", data={"decision": "merge", "contact_id": target}
        )
        assert response.status_code == 404, target
    for decision in ("", "delete", "accept\x00"):  # no such button: refused, nothing done
        response = ana.post(f"/shared/{shared_id}", data={"decision": decision})
        assert response.status_code == 400, decision
    stranger = make_client()
    for path in (f"/shared/{shared_id}", "/shared/"):
        assert "/login" in stranger.get(path).headers["Location"]
    assert (
        "/login"
        in stranger.post(f"/shared/{shared_id}", data={"decision": "accept"}).headers["Location"]
    )
    with app.app_context():
        assert db.session.get(SharedDetails, shared_id).state == "pending"
        assert db.session.get(Contact, sean).full_name == "Sean Owen"
    assert count(app, Contact) == 2


def test_export_holds_them_and_deleting_the_account_removes_them(
    app, ana, ben, accounts, make_client
):
    share(app, make_client())
    share(app, make_client(), owner_email="ben@example.org", name="Ben's visitor")
    data = json.loads(ana.get("/account/export/data.json").data)
    [exported] = data["shared_with_me"]
    assert (exported["state"], exported["name"], exported["note"]) == (
        "pending",
        "Carla Souza",
        "Met at the coffee bar",
    )
    assert "Ben's visitor" not in json.dumps(data)
    response = ana.post("/account/delete", data={"password": STRONG_PASSWORD, "confirm": "DELETE"})
    assert response.status_code == 302
    with app.app_context():
        names = db.session.scalars(sa.select(SharedDetails.full_name)).all()
        assert names == ["Ben's visitor"]
        assert db.session.scalar(sa.select(User).where(User.email == "ana@example.org")) is None


@pytest.mark.parametrize("missing", ["name", "email"])
def test_a_refused_share_back_keeps_nothing(app, ana, make_client, missing):
    token = card_link(app, "ana@example.org").rsplit("/", 1)[1]
    response = make_client().post(f"/c/{token}/share", data=CARLA | {missing: ""})
    assert response.status_code == 422
    assert count(app, SharedDetails) == 0


def test_a_new_contact_beside_one_with_the_same_email_and_a_deleted_one_on_replay(
    app, ana, make_client
):
    """The owner says it is someone else: a second contact, while a later scan of the badge
    still finds the first; deleting the new one, then replaying, adds nothing back."""
    sean = scan(ana, BADGE).get_json()["id"]
    share(app, make_client(), name="Sean Owen Jr", email="srowen@example.com")
    shared_id = only_shared_id(app)
    assert "Looks like Sean Owen" in visible_text(ana.get(f"/shared/{shared_id}"))
    added = ana.post(f"/shared/{shared_id}", data={"decision": "accept"})
    new_id = int(added.headers["Location"].rsplit("/", 1)[1])
    assert new_id != sean and count(app, Contact) == 2
    assert scan(ana, BADGE).get_json()["id"] == sean
    ana.post(f"/contacts/{new_id}/delete")
    replay = ana.post(f"/shared/{shared_id}", data={"decision": "accept"})
    assert replay.headers["Location"].endswith(f"/shared/{shared_id}")
    assert count(app, Contact) == 1
    page = visible_text(ana.get(f"/shared/{shared_id}"))
    assert "a contact you have since deleted" in page


def test_their_company_and_link_reach_the_new_contact_and_its_vcard(app, ana, make_client):
    visitor = make_client()
    token = card_link(app, "ana@example.org").rsplit("/", 1)[1]
    form = visitor.get(f"/c/{token}").get_data(as_text=True)
    assert 'name="company"' in form and 'name="link"' in form
    assert "Your profile link (optional)" in form
    share(app, visitor, company="Harbour Labs", link="  linkedin.com/in/carla-souza ")
    shared_id = only_shared_id(app)
    text = visible_text(ana.get(f"/shared/{shared_id}"))
    assert "Company Harbour Labs" in text and "Link https://linkedin.com/in/carla-souza" in text
    added = ana.post(f"/shared/{shared_id}", data={"decision": "accept"})
    contact_id = int(added.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        assert (contact.company, contact.urls) == (
            "Harbour Labs",
            ["https://linkedin.com/in/carla-souza"],
        )
    [card] = parse_vcard_bytes(ana.get(f"/contacts/{contact_id}.vcf").data)
    assert (card.full_name, card.company, card.urls) == (
        "Carla Souza",
        "Harbour Labs",
        ["https://linkedin.com/in/carla-souza"],
    )
    [exported] = json.loads(ana.get("/account/export/data.json").data)["shared_with_me"]
    assert (exported["company"], exported["url"]) == (
        "Harbour Labs",
        "https://linkedin.com/in/carla-souza",
    )


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "ftp://files.example.org/me",
        "https://",
        "https://[x",
        "not a link",
        "localhost",
        "https://example.org/" + "a" * 290,
        "example.org/" + "a" * 285,  # 300 characters once it starts with https://
    ],
)
def test_a_link_that_is_not_a_short_web_address_is_refused(app, ana, make_client, link):
    token = card_link(app, "ana@example.org").rsplit("/", 1)[1]
    response = make_client().post(f"/c/{token}/share", data=CARLA | {"link": link})
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert "Give a web address" in page or "Keep the link under 300 characters" in page
    assert 'value="Carla Souza"' in page  # what they typed stays
    assert count(app, SharedDetails) == 0


def test_merging_chooses_their_company_and_link_like_the_other_fields(app, ana, make_client):
    sean = scan(ana, BADGE).get_json()["id"]
    mine = {"full_name": "Sean Owen", "company": "ZXing", "urls": "https://zxing.example"}
    ana.post(f"/contacts/{sean}/edit", data=mine | {"emails": "srowen@example.com"})
    share(
        app,
        make_client(),
        name="Sean Owen",
        email="srowen@example.com",
        company="Barcodes Inc",
        link="https://sean.example/",
        note="",
    )
    shared_id = only_shared_id(app)
    text = visible_text(ana.get(f"/shared/{shared_id}"))
    assert "Keep mine: ZXing" in text and "Take theirs: Barcodes Inc" in text
    assert "Keep mine: https://zxing.example" in text
    assert "Take theirs: https://sean.example/" in text
    ana.post(
        f"/shared/{shared_id}",
        data={"decision": "merge", "contact_id": sean, "company": "mine", "url": "theirs"},
    )
    with app.app_context():
        contact = db.session.get(Contact, sean)
        assert contact.company == "ZXing"
        assert contact.urls == ["https://sean.example/", "https://zxing.example"]


def test_dismissing_wipes_their_company_and_link_too(app, ana, make_client):
    share(app, make_client(), company="Harbour Labs", link="https://carla.example")
    shared_id = only_shared_id(app)
    ana.post(f"/shared/{shared_id}", data={"decision": "dismiss"})
    with app.app_context():
        shared = db.session.get(SharedDetails, shared_id)
        assert (shared.company, shared.url) == ("", "")
