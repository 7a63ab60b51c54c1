"""Sending a follow-up in two taps, seen from the server: the Follow-ups tab's due badge, the
channels each item offers, and Done / Undo from the phone's outbox (owned, applied once)."""

import re
import uuid
from datetime import timedelta
from urllib.parse import unquote

import sqlalchemy as sa

from eventmate.extensions import db
from eventmate.followups.channels import channels_for, dialable, international_digits
from eventmate.models import FollowUp, Meeting, User
from eventmate.models.base import utcnow

from .helpers import create_event, due_badge, scan, visible_text
from .test_inbox import BADGE, follow_ups_of, set_due

PHONE_CARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Inês Carvalho\r\nTEL:+351 912 345 678\r\n"
    "EMAIL:ines@tideway.example\r\nURL:https://pt.linkedin.com/in/ines\r\nEND:VCARD\r\n"
)


def due_now(app, email: str) -> list[FollowUp]:
    """Every follow-up of the user, made due a minute ago."""
    follow_ups = follow_ups_of(app, email)
    for follow_up in follow_ups:
        set_due(app, follow_up.id, utcnow() - timedelta(minutes=1))
    return follow_ups


def act(client, follow_up_id: int, action: str, write_id: str | None = None, **kwargs):
    body = {"id": write_id or str(uuid.uuid4())}
    return client.post(f"/api/follow-ups/{follow_up_id}/{action}", json=body, **kwargs)


def state_of(app, follow_up_id: int) -> tuple[str, int]:
    """The follow-up's state and how many follow-up interactions its contact has."""
    with app.app_context():
        follow_up = db.session.get(FollowUp, follow_up_id)
        touches = db.session.scalar(
            sa.select(sa.func.count()).where(
                Meeting.contact_id == follow_up.contact_id, Meeting.kind == "follow_up"
            )
        )
        return follow_up.state, touches


# --- the tab and its badge ---------------------------------------------------------------------


def test_follow_ups_is_a_tab_with_the_due_count_and_events_left_the_tab_bar(app, ana, ben):
    scan(ana, BADGE)
    scan(ana, "MECARD:N:Owen,Sean;;")
    scan(ana, "MECARD:N:Ray,Chloé;;")
    first, second, _upcoming = follow_ups_of(app, "ana@example.org")
    for follow_up in (first, second):
        set_due(app, follow_up.id, utcnow() - timedelta(minutes=1))
    scan(ben, BADGE)
    due_now(app, "ben@example.org")  # Ben's are not Ana's
    page = ana.get("/")
    tabs = re.search(r'<nav class="tabbar".*?</nav>', page.get_data(as_text=True), re.S).group(0)
    assert re.findall(r"</svg>\s*(?:<span[^>]*>[^<]*</span>)?([\w -]+)", tabs) == [
        "Home", "People", "Scan", "Follow-ups", "My card",
    ]  # fmt: skip
    assert 'href="/inbox"' in tabs and "/events" not in tabs
    assert due_badge(page) == "2"
    assert 'class="topbar-inbox"' not in page.get_data(as_text=True)
    # Done through the API: one fewer; Undo: back to two.
    write = str(uuid.uuid4())
    assert act(ana, first.id, "done", write).status_code == 200
    assert due_badge(ana.get("/contacts/")) == "1"
    act(ana, first.id, "undo")
    assert due_badge(ana.get("/inbox")) == "2"
    for follow_up in (first, second):
        act(ana, follow_up.id, "done")
    assert due_badge(ana.get("/")) == ""


def test_events_are_reached_from_home_and_the_profile(app, ana):
    assert 'href="/events/"' in ana.get("/").get_data(as_text=True)  # "Choose an event"
    create_event(ana, "DevConf")
    home = ana.get("/")
    assert re.search(r'<a href="/events/">All events</a>', home.get_data(as_text=True))
    profile = ana.get("/account/")
    assert 'href="/events/"' in profile.get_data(as_text=True)
    assert "Now: DevConf" in visible_text(profile)


# --- the channels --------------------------------------------------------------------------------


def test_each_item_offers_the_channels_its_person_can_be_reached_by(app, ana):
    scan(ana, PHONE_CARD)
    [follow_up] = due_now(app, "ana@example.org")
    page = ana.get("/inbox").get_data(as_text=True)
    item = page[page.index(f'id="follow-up-{follow_up.id}"') :]
    item = item[: item.index("</article>")]
    found = re.findall(r'href="([^"]*)" data-channel="(\w+)" data-base="([^"]*)"', item)
    kinds = [kind for _, kind, _ in found]
    assert kinds == ["email", "sms", "whatsapp", "linkedin"]
    links = {kind: href.replace("&amp;", "&") for href, kind, _ in found}
    assert links["sms"].startswith("sms:+351912345678?&body=Hi%20In%C3%AAs%2C")
    assert links["whatsapp"].startswith("https://wa.me/351912345678?text=Hi%20In%C3%AAs%2C")
    assert "Hi Inês," in unquote(links["email"].split("&body=")[1])
    assert links["linkedin"] == "https://pt.linkedin.com/in/ines"
    assert 'data-channel="copy"' in item
    # Under the name; then the 4-line preview of the draft and Edit.
    assert item.index("Inês Carvalho") < item.index('data-channel="email"')
    assert item.index('data-channel="copy"') < item.index("data-draft-preview")
    assert item.index("data-draft-preview") < item.index("<summary>Edit")


def test_text_and_whatsapp_need_a_number_a_phone_can_dial():
    assert dialable("+351 912 345 678") == "+351912345678"
    assert dialable("00351 912-345-678") == "+351912345678"
    assert dialable("(212) 565-8770") == "2125658770"
    assert dialable("ext. 12") is None and dialable("") is None
    assert international_digits("+44 20 7946 0958") == "442079460958"
    assert international_digits("912 345 678") is None  # whose country? no WhatsApp
    local = channels_for(emails=[], phones=["912 345 678"], urls=[], subject="S", body="Hi")
    assert [channel.kind for channel in local] == ["sms"]
    none = channels_for(
        emails=["not an email"],
        phones=["12"],
        urls=["https://notlinkedin.com/in/x", "javascript:alert(1)", "https://[x"],
        subject="S",
        body="Hi",
    )
    assert none == ()


# --- Done and Undo from the phone --------------------------------------------------------------


def test_done_and_undo_are_applied_once_each(app, ana):
    scan(ana, BADGE)
    [follow_up] = due_now(app, "ana@example.org")
    done_id, undo_id = str(uuid.uuid4()), str(uuid.uuid4())
    answer = act(ana, follow_up.id, "done", done_id)
    assert answer.status_code == 200
    assert answer.get_json()["client_id"] == done_id  # the outbox lets go only then
    assert answer.get_json()["follow_up"]["state"] == "done"
    assert state_of(app, follow_up.id) == ("done", 1)
    assert act(ana, follow_up.id, "done", done_id).get_json()["follow_up"]["state"] == "done"
    assert act(ana, follow_up.id, "done").status_code == 200  # a second tap, a new id
    assert state_of(app, follow_up.id) == ("done", 1)  # one interaction, not three
    assert act(ana, follow_up.id, "undo", undo_id).get_json()["follow_up"]["state"] == "open"
    assert state_of(app, follow_up.id) == ("open", 0)  # the interaction went with it
    # The first Done, resent late (its answer was lost), doesn't close it again.
    replay = act(ana, follow_up.id, "done", done_id)
    assert replay.status_code == 200 and replay.get_json()["follow_up"]["state"] == "open"
    assert act(ana, follow_up.id, "undo", undo_id).status_code == 200
    assert state_of(app, follow_up.id) == ("open", 0)
    assert "Done: " not in visible_text(ana.get("/inbox"))  # an open item, listed


def test_undo_leaves_a_dismissed_or_open_follow_up_as_it_is(app, ana):
    scan(ana, BADGE)
    [follow_up] = due_now(app, "ana@example.org")
    assert act(ana, follow_up.id, "undo").get_json()["follow_up"]["state"] == "open"
    ana.post(f"/inbox/{follow_up.id}/dismiss")
    assert act(ana, follow_up.id, "undo").get_json()["follow_up"]["state"] == "dismissed"
    assert act(ana, follow_up.id, "done").get_json()["follow_up"]["state"] == "dismissed"
    assert state_of(app, follow_up.id) == ("dismissed", 0)


def test_someone_elses_follow_up_is_not_found_and_unchanged(app, ana, ben):
    scan(ana, BADGE)
    [anas] = due_now(app, "ana@example.org")
    for action in ("done", "undo"):
        response = act(ben, anas.id, action)
        assert response.status_code == 404 and response.get_json()["error"]
    assert act(ben, 2**31 - 1, "done").status_code == 404
    assert state_of(app, anas.id) == ("open", 0)


def test_an_id_used_for_another_change_is_refused(app, ana):
    scan(ana, BADGE)
    scan(ana, "MECARD:N:Owen,Sean;;")
    first, second = due_now(app, "ana@example.org")
    write = str(uuid.uuid4())
    assert act(ana, first.id, "done", write).status_code == 200
    for follow_up_id, action in ((second.id, "done"), (first.id, "undo")):
        response = act(ana, follow_up_id, action, write)
        assert response.status_code == 409 and response.get_json()["error"]
    assert state_of(app, second.id) == ("open", 0) and state_of(app, first.id)[0] == "done"


def test_bad_bodies_and_missing_tokens_are_refused_with_a_sentence(app, ana):
    scan(ana, BADGE)
    [follow_up] = due_now(app, "ana@example.org")
    url = f"/api/follow-ups/{follow_up.id}/done"
    for body in ({}, {"id": "x"}, {"id": 7}, [], "done", None):
        response = ana.post(url, json=body)
        assert response.status_code == 400 and response.get_json()["error"], body
    response = ana.post(url, data="{", content_type="application/json")
    assert response.status_code == 400
    refused = ana.post(url, json={"id": str(uuid.uuid4())}, csrf=False)
    assert refused.status_code == 400 and refused.get_json()["csrf"] is True
    assert state_of(app, follow_up.id) == ("open", 0)


def test_without_a_session_the_answer_is_json_401(app, make_client):
    response = make_client().post("/api/follow-ups/1/done", json={"id": str(uuid.uuid4())})
    assert response.status_code == 401 and response.get_json()["error"]


# --- the reminder ask card's places ------------------------------------------------------------


def test_the_ask_card_waits_on_the_pages_a_capture_lands_on(app, ana):
    contact_id = scan(ana, BADGE).get_json()["id"]
    marker = "data-reminder-ask "
    for path in (f"/contacts/{contact_id}", "/contacts/", "/", "/account/reminders"):
        page = ana.get(path).get_data(as_text=True)
        assert marker in page and "Remind me" in page, path
    form = ana.get(f"/contacts/{contact_id}/edit").get_data(as_text=True)
    assert 'data-reminder-ask-name="Dev Patel"' in form  # a save notes whom it was about
    detail = ana.get(f"/contacts/{contact_id}").get_data(as_text=True)
    assert "Remind you tomorrow at 09:00 about" in detail
    # A capture not saved is shown again, without the card: it asks after a save only.
    refused = ana.post(f"/contacts/{contact_id}/edit", data={"notes": "x" * 20_001})
    assert refused.status_code == 422 and marker not in refused.get_data(as_text=True)
    assert "data-push-subscribe" not in ana.get("/account/reminders").get_data(as_text=True)


def test_after_choosing_email_only_or_none_a_capture_no_longer_asks(app, ana):
    contact_id = scan(ana, BADGE).get_json()["id"]
    capture_pages = ("/scan", f"/contacts/{contact_id}", "/contacts/", "/")
    assert all(
        "data-reminder-ask " in ana.get(path).get_data(as_text=True) for path in capture_pages
    )
    for channel in ("email", "none"):
        with app.app_context():
            db.session.execute(sa.update(User).values(reminder_channel=channel))
            db.session.commit()
        for path in capture_pages:
            assert "data-reminder-ask " not in ana.get(path).get_data(as_text=True), (channel, path)
        # The Reminders page still offers this device (choosing push there is the user's call).
        assert "data-reminder-ask " in ana.get("/account/reminders").get_data(as_text=True)
