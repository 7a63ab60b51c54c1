"""Follow-ups end to end: planned on every new contact, the inbox and its actions, the capture
screen's choice, the digest banner and badge, settings, export and deletion."""

import html
import json
import re
from datetime import UTC, date, datetime, timedelta
from urllib.parse import unquote

import sqlalchemy as sa

from eventmate.extensions import db
from eventmate.followups.digest import (
    banner_summary,
    digest_summary,
    due_follow_ups,
    due_people_by_user,
    summarize,
)
from eventmate.models import Contact, FollowUp, Meeting, User
from eventmate.models.base import utcnow
from tests.conftest import STRONG_PASSWORD

from .helpers import card_link, create_event, due_badge, first_shared_id, scan, visible_text

BADGE = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dev Patel\r\nORG:Harbour Analytics\r\n"
    "EMAIL:dev.patel@example.net\r\nURL:https://www.linkedin.com/in/devpatel\r\n"
    "URL:javascript:alert(1)\r\nEND:VCARD\r\n"
)
NO_EMAIL = "MECARD:N:Owen,Sean;ORG:ZXing;;"


def follow_ups_of(app, email) -> list[FollowUp]:
    with app.app_context():
        owner = db.session.scalar(sa.select(User).where(User.email == email))
        return list(
            db.session.scalars(
                sa.select(FollowUp).where(FollowUp.owner_id == owner.id).order_by(FollowUp.id)
            )
        )


def only_follow_up(app, email) -> FollowUp:
    [follow_up] = follow_ups_of(app, email)
    return follow_up


def set_due(app, follow_up_id: int, due_at: datetime) -> None:
    with app.app_context():
        db.session.get(FollowUp, follow_up_id).due_at = due_at
        db.session.commit()


def lisbon_morning(day: date, hour: int = 9) -> datetime:
    """Lisbon is on UTC in winter, so its 09:00 is 09:00Z from November to March."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


# --- planning -----------------------------------------------------------------------------------


def test_a_scanned_badge_is_due_the_next_morning(app, ana):
    scanned_at = datetime(2026, 1, 14, 23, 30, tzinfo=UTC)  # 23:30 in Lisbon
    scan(ana, BADGE, scanned_at=scanned_at.isoformat())
    follow_up = only_follow_up(app, "ana@example.org")
    assert follow_up.state == "open" and follow_up.reason == "new_contact"
    assert follow_up.due_at == lisbon_morning(date(2026, 1, 15))


def test_both_sides_of_an_exchange_get_a_follow_up_in_their_own_zone(app, ana, ben, accounts):
    ben.post(
        "/account/reminders",
        data={"timezone": "Asia/Tokyo", "reminder_hour": "08:00", "reminder_channel": "push"},
    )
    scan(ana, card_link(app, "ben@example.org"), scanned_at="2026-01-14T10:00:00+00:00")
    assert only_follow_up(app, "ana@example.org").due_at == lisbon_morning(date(2026, 1, 15))
    # 10:00Z is 19:00 in Tokyo on the 14th: Ben's next morning is 08:00 JST on the 15th.
    assert only_follow_up(app, "ben@example.org").due_at == datetime(2026, 1, 14, 23, tzinfo=UTC)


def test_an_event_in_another_zone_plans_by_the_event_clock(app, ana):
    event_id = create_event(ana, "Tokyo Summit", timezone="Asia/Tokyo")
    # 16:00Z is 01:00 on the 15th in Tokyo (and still the 14th in Lisbon).
    scan(ana, BADGE, scanned_at="2026-01-14T16:00:00+00:00", event_id=event_id)
    assert only_follow_up(app, "ana@example.org").due_at == datetime(2026, 1, 16, 0, tzinfo=UTC)


def test_shared_back_details_get_a_follow_up_once_accepted(app, ana, make_client):
    visitor = make_client()
    token = card_link(app, "ana@example.org").rsplit("/", 1)[1]
    visitor.post(f"/c/{token}/share", data={"name": "Carla Souza", "email": "carla@example.org"})
    assert follow_ups_of(app, "ana@example.org") == []
    ana.post(f"/shared/{first_shared_id(ana.get('/inbox'))}", data={"decision": "accept"})
    assert only_follow_up(app, "ana@example.org").state == "open"


def test_meeting_someone_again_plans_nothing_more(app, ana):
    scan(ana, BADGE)
    scan(ana, BADGE)
    assert len(follow_ups_of(app, "ana@example.org")) == 1


# --- the inbox ----------------------------------------------------------------------------------


def test_inbox_needs_login(app, client):
    response = client.get("/inbox")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_empty_inbox_explains_itself(app, ana):
    text = visible_text(ana.get("/inbox"))
    assert "Nobody to follow up with yet" in text


def test_sections_and_a_drafted_message(app, ana):
    create_event(ana, "DevConf")
    dev = scan(ana, BADGE).get_json()["id"]
    scan(ana, NO_EMAIL)
    ana.post(
        f"/contacts/{dev}/edit",
        data={
            "full_name": "Dev Patel",
            "company": "Harbour Analytics",
            "emails": "dev.patel@example.net",
            "urls": "https://www.linkedin.com/in/devpatel\njavascript:alert(1)",
            "new_tags": "research, hiring",
            "face_to_face": "on",
            "answer-enjoy": "Watching his team ship a study in a week.",
            "notes": "Runs a research team.",
        },
    )
    dev_fu, sean_fu = follow_ups_of(app, "ana@example.org")
    now = utcnow()
    set_due(app, dev_fu.id, now - timedelta(minutes=5))
    set_due(app, sean_fu.id, now - timedelta(days=3))
    page = page_text(ana.get("/inbox"))
    text = visible_text(ana.get("/inbox"))
    assert text.index("Due today") < text.index("Dev Patel") < text.index("Overdue")
    assert text.index("Overdue") < text.index("Sean Owen")
    # The draft recalls what he said, to him, offers something and asks nothing.
    assert "Hi Dev," in page and "watching your team ship a study in a week" in page
    assert "good read on research" in page and "hiring" not in page.split("Hi Dev,")[1][:600]
    assert "Reads friendly and light." in page
    assert "“Watching his team ship a study in a week.”" in page  # one line of what he said
    # Right under his name, the channels: Email with subject and body, LinkedIn (the message
    # goes by the clipboard); javascript: never a link.
    dev_item = page[page.index(f'id="follow-up-{dev_fu.id}"') :]
    dev_item = dev_item[: dev_item.index("</article>")]
    channels = {
        kind: href for href, kind in re.findall(r'href="([^"]*)" data-channel="(\w+)"', dev_item)
    }
    assert list(channels) == ["email", "linkedin"]
    mailto = channels["email"]
    assert mailto.startswith("mailto:dev.patel@example.net?subject=Great%20to%20meet%20you")
    assert "Hi Dev," in unquote(mailto.split("&body=")[1])
    assert channels["linkedin"] == "https://www.linkedin.com/in/devpatel"
    assert dev_item.index("Dev Patel") < dev_item.index('data-channel="email"')
    assert dev_item.index('data-channel="email"') < dev_item.index("Hi Dev,")
    assert 'href="javascript:' not in page
    # Sean has nothing to send by: Copy, and a hint.
    assert "No email, phone or LinkedIn for Sean Owen" in page
    assert re.search(r'data-tone-rules="/static/[^"]*js/tone-rules.json"', page)


def test_upcoming_follow_ups_are_listed_with_their_day(app, ana):
    scan(ana, BADGE)
    text = visible_text(ana.get("/inbox"))
    assert "Upcoming" in text and "due tomorrow" in text


def test_mark_done_records_an_interaction_once(app, ana):
    scan(ana, BADGE)
    follow_up = only_follow_up(app, "ana@example.org")
    response = ana.post(f"/inbox/{follow_up.id}/done")
    assert response.status_code == 302 and response.headers["Location"].endswith("/inbox")
    assert ana.post(f"/inbox/{follow_up.id}/done").status_code == 302  # a double tap
    done = only_follow_up(app, "ana@example.org")
    assert done.state == "done" and done.done_at is not None
    with app.app_context():
        kinds = db.session.scalars(
            sa.select(Meeting.kind).where(Meeting.contact_id == follow_up.contact_id)
        ).all()
        contact = db.session.get(Contact, follow_up.contact_id)
        assert contact.met_face_to_face is True  # a message is not a meeting in person
    assert sorted(kinds) == ["follow_up", "scan"]
    text = visible_text(ana.get("/inbox"))
    assert "Done" in text and "Followed up today" in text
    assert "You followed up with Dev Patel" in visible_text(ana.get(f"/contacts/{done.contact_id}"))


def test_snooze_moves_it_to_a_later_morning(app, ana):
    scan(ana, BADGE)
    follow_up = only_follow_up(app, "ana@example.org")
    for days in (1, 3, 7):
        set_due(app, follow_up.id, utcnow() - timedelta(hours=1))
        assert ana.post(f"/inbox/{follow_up.id}/snooze", data={"days": days}).status_code == 302
        today = utcnow().date()  # Lisbon's date too, give or take the hour of summer time
        due = only_follow_up(app, "ana@example.org").due_at
        assert due.date() - today in (timedelta(days=days), timedelta(days=days - 1))
        assert due > utcnow()


def test_snooze_refuses_other_lengths(app, ana):
    scan(ana, BADGE)
    follow_up = only_follow_up(app, "ana@example.org")
    for days in ("2", "0", "-1", "week", ""):
        response = ana.post(f"/inbox/{follow_up.id}/snooze", data={"days": days})
        assert response.status_code == 400, days
    assert only_follow_up(app, "ana@example.org").due_at == follow_up.due_at


def test_dismiss_and_undo(app, ana):
    scan(ana, BADGE)
    follow_up = only_follow_up(app, "ana@example.org")
    ana.post(f"/inbox/{follow_up.id}/dismiss")
    assert only_follow_up(app, "ana@example.org").state == "dismissed"
    assert "Dismissed" in visible_text(ana.get("/inbox"))
    assert ana.post(f"/inbox/{follow_up.id}/snooze", data={"days": 1}).status_code == 302
    assert only_follow_up(app, "ana@example.org").state == "dismissed"  # closed stays closed
    ana.post(f"/inbox/{follow_up.id}/reopen")
    assert only_follow_up(app, "ana@example.org").state == "open"


def test_others_follow_ups_are_not_found(app, ana, ben):
    scan(ana, BADGE)
    follow_up = only_follow_up(app, "ana@example.org")
    for action in ("done", "snooze", "dismiss", "reopen"):
        for follow_up_id in (follow_up.id, follow_up.id + 1000):
            response = ben.post(f"/inbox/{follow_up_id}/{action}", data={"days": 1})
            assert response.status_code == 404, action
    after = only_follow_up(app, "ana@example.org")
    assert (after.state, after.due_at) == ("open", follow_up.due_at)
    assert "Dev Patel" not in visible_text(ben.get("/inbox"))


def test_actions_need_csrf_and_post(app, ana):
    scan(ana, BADGE)
    follow_up = only_follow_up(app, "ana@example.org")
    assert ana.post(f"/inbox/{follow_up.id}/done", csrf=False).status_code == 400
    assert ana.post(f"/inbox/{follow_up.id}/dismiss", csrf=False).status_code == 400
    assert ana.get(f"/inbox/{follow_up.id}/done").status_code == 405
    assert only_follow_up(app, "ana@example.org").state == "open"


def test_someone_to_identify_gets_no_draft_yet(app, ana):
    scan(ana, "https://speaker.example/9")
    follow_up = only_follow_up(app, "ana@example.org")
    set_due(app, follow_up.id, utcnow() - timedelta(minutes=1))
    text = visible_text(ana.get("/inbox"))
    assert "We don't know who this was yet" in text and "Drafted message" not in text


# --- the capture screen's choice ----------------------------------------------------------------


def capture(client, contact_id, **fields):
    return client.post(f"/contacts/{contact_id}/edit", data={"full_name": "Dev Patel", **fields})


def test_capture_screen_offers_the_choice_with_tomorrow_selected(app, ana):
    contact_id = scan(ana, BADGE).get_json()["id"]
    page = page_text(ana.get(f"/contacts/{contact_id}/edit?scanned=1"))
    assert "We'll remind you tomorrow at 09:00." in page
    assert 'value="tomorrow" checked' in page
    for label in ("Tomorrow", "In 3 days", "Next week", "On a date", "No follow-up"):
        assert label in page


def test_capture_choices_replan_or_dismiss(app, ana):
    contact_id = scan(ana, BADGE).get_json()["id"]
    today = utcnow().date()
    planned = only_follow_up(app, "ana@example.org").due_at
    assert capture(ana, contact_id).status_code == 302  # no choice sent: unchanged
    assert capture(ana, contact_id, follow_up="tomorrow").status_code == 302
    assert only_follow_up(app, "ana@example.org").due_at == planned
    capture(ana, contact_id, follow_up="3days")
    assert only_follow_up(app, "ana@example.org").due_at - planned == timedelta(days=2)
    capture(ana, contact_id, follow_up="week")
    assert only_follow_up(app, "ana@example.org").due_at - planned == timedelta(days=6)
    chosen = today + timedelta(days=20)
    capture(ana, contact_id, follow_up="date", follow_up_on=chosen.isoformat())
    due = only_follow_up(app, "ana@example.org").due_at
    assert due.date() == chosen and due.hour in (8, 9)  # 09:00 Lisbon, summer or winter
    page = page_text(ana.get(f"/contacts/{contact_id}/edit"))
    assert 'value="date" checked' in page and f'value="{chosen.isoformat()}"' in page
    capture(ana, contact_id, follow_up="none")
    assert only_follow_up(app, "ana@example.org").state == "dismissed"
    assert 'value="none" checked' in page_text(ana.get(f"/contacts/{contact_id}/edit"))
    capture(ana, contact_id, follow_up="tomorrow")
    states = [follow_up.state for follow_up in follow_ups_of(app, "ana@example.org")]
    assert states == ["dismissed", "open"]


def test_a_typed_date_wins_over_the_untouched_radio(app, ana):
    contact_id = scan(ana, BADGE).get_json()["id"]
    chosen = utcnow().date() + timedelta(days=10)
    capture(
        ana,
        contact_id,
        follow_up="tomorrow",
        follow_up_initial="tomorrow",
        follow_up_on=chosen.isoformat(),
    )
    assert only_follow_up(app, "ana@example.org").due_at.date() == chosen


def test_capture_choice_validation_keeps_everything(app, ana):
    contact_id = scan(ana, BADGE).get_json()["id"]
    before = only_follow_up(app, "ana@example.org").due_at
    cases = [
        ({"follow_up": "date", "follow_up_on": ""}, "Pick the day you'd like to follow up."),
        ({"follow_up": "date", "follow_up_on": "2001-01-01"}, "Pick today or a later day."),
        ({"follow_up": "date", "follow_up_on": "2999-01-01"}, "Pick a day within the next year."),
        ({"follow_up": "someday"}, "Choose when to follow up."),
    ]
    for fields, message in cases:
        response = capture(ana, contact_id, notes="Keep me", **fields)
        assert response.status_code == 422
        page = page_text(response)
        assert message in page and "Keep me" in page
    assert only_follow_up(app, "ana@example.org").due_at == before


# --- digest, banner and badge --------------------------------------------------------------------


def test_banner_and_badge_show_who_is_due(app, ana):
    create_event(ana, "DevConf")
    for name in ("Ana Lima", "Ben Ode", "Chloé Ray", "Dan Wu", "Eve Ng"):
        scan(ana, f"MECARD:N:{name};EMAIL:{name.split()[0].lower()}@example.org;;")
    follow_ups = follow_ups_of(app, "ana@example.org")
    for follow_up in follow_ups:
        set_due(app, follow_up.id, utcnow() - timedelta(minutes=follow_up.id))
    set_due(app, follow_ups[-1].id, utcnow() + timedelta(days=2))  # not due yet
    home = ana.get("/")
    text = visible_text(home)
    assert "4 people to follow up with today" in text
    assert due_badge(home) == "4"
    assert "Follow up with" in text and "from DevConf" in text


def test_no_banner_when_nothing_is_due(app, ana):
    scan(ana, BADGE)
    home = ana.get("/")
    assert "to follow up with today" not in visible_text(home) and due_badge(home) == ""


def test_digest_summary_names_two_and_counts_the_rest(app, ana, accounts):
    create_event(ana, "DevConf")
    for name in ("Ana Lima", "Ben Ode", "Chloé Ray", "Dan Wu", "Eve Ng"):
        scan(ana, f"MECARD:N:{name};;")
    now = utcnow() + timedelta(days=2)
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "ana@example.org"))
        due = due_follow_ups(user, now)
        summary = digest_summary(due)
        assert summary.count == 5 and summary.url == "/inbox"
        assert summary.body == "Follow up with Ana, Ben and 3 others from DevConf"
        assert summary.title == "5 people to follow up with today"
        assert summary.names == ["Ana", "Ben", "Chloé", "Dan", "Eve"]
        three = digest_summary(due[:3])
        assert three.body == "Follow up with Ana, Ben and Chloé from DevConf"
        assert digest_summary(due[:1]).title == "1 person to follow up with today"
        assert due_follow_ups(user, utcnow()) == []
        assert len(json.dumps(summary.__dict__).encode()) < 3000


def test_the_dispatchers_light_summary_says_what_the_inbox_says(app, ana):
    """`due_people_by_user` (plain rows, for planning thousands) and `banner_summary` (three
    queries, for the home banner) against `digest_summary`
    over the inbox's model objects: names, companies, nameless scans, two events, a contact
    filed under an event but met elsewhere, and a done follow-up that is not a meeting."""
    create_event(ana, "DevConf")
    for name in ("Ana Lima", "Ben Ode"):
        scan(ana, f"MECARD:N:{name};;")
    scan(ana, "BEGIN:VCARD\r\nVERSION:3.0\r\nORG:Acme Labs\r\nEND:VCARD\r\n")
    create_event(ana, "PyData Lisbon")
    scan(ana, "https://example.org/someone")
    scan(ana, "MECARD:N:Chloé Ray;;")
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "ana@example.org"))
        chloe = db.session.scalar(sa.select(Contact).where(Contact.full_name == "Chloé Ray"))
        chloe.meetings.append(
            Meeting(kind="follow_up", met_at=utcnow() - timedelta(days=9), event_name="Old")
        )
        chloe.meetings[0].event_name = ""  # met outside an event, filed under PyData Lisbon
        db.session.commit()
        for days in (0, 2):
            now = utcnow() + timedelta(days=days)
            expected = digest_summary(due_follow_ups(user, now))
            [people] = due_people_by_user([user.id], now).values() or [[]]
            assert summarize(people) == expected
            assert banner_summary(user, now) == expected  # the home banner's, in SQL
        assert "PyData Lisbon" in expected.body
        assert {"Acme", "someone you scanned", "Chloé"} <= set(expected.names)


# --- settings, export, deletion ------------------------------------------------------------------


def reminders(**overrides):
    return {
        "timezone": "Europe/Lisbon",
        "reminder_hour": "09:00",
        "reminder_channel": "auto",
        **overrides,
    }


def test_quiet_days_and_the_reminder_channel_are_saved(app, ana, accounts):
    channel = re.compile(r'<option selected value="(\w+)">')
    assert channel.search(page_text(ana.get("/account/reminders"))).group(1) == "auto"
    assert accounts.user("ana@example.org").push_enabled is True
    answer = ana.post(
        "/account/reminders", data=reminders(quiet_days=["7", "6"], reminder_channel="none")
    )
    assert answer.status_code == 302
    user = accounts.user("ana@example.org")
    assert user.quiet_days == "67" and user.push_enabled is False
    page = page_text(ana.get("/account/reminders"))
    assert 'value="6" checked' in page and 'value="7" checked' in page
    assert 'value="1" checked' not in page
    assert channel.search(page).group(1) == "none"
    ana.post("/account/reminders", data=reminders(reminder_channel="email"))
    user = accounts.user("ana@example.org")
    assert user.quiet_days == "" and user.push_enabled is False  # email only: no pushes
    ana.post("/account/reminders", data=reminders())
    assert accounts.user("ana@example.org").push_enabled is True


def test_quiet_days_must_be_weekdays(app, ana, accounts):
    for days in (["8"], ["0"], ["67"], ["x"]):
        response = ana.post("/account/reminders", data=reminders(quiet_days=days))
        assert response.status_code == 422
        assert "Choose days from the list." in page_text(response)
    assert accounts.user("ana@example.org").quiet_days == ""


def test_changing_the_reminder_hour_moves_planned_follow_ups(app, ana):
    scan(ana, BADGE)
    before = only_follow_up(app, "ana@example.org").due_at
    ana.post("/account/reminders", data=reminders(reminder_hour="07:00"))
    assert only_follow_up(app, "ana@example.org").due_at == before - timedelta(hours=2)
    ana.post("/account/reminders", data=reminders(reminder_hour="07:00", timezone="Asia/Tokyo"))
    moved = only_follow_up(app, "ana@example.org").due_at
    assert moved.astimezone(UTC).hour == 22  # 07:00 in Tokyo


def test_export_holds_follow_ups_and_deletion_removes_them(app, ana, ben, accounts):
    scan(ana, BADGE)
    scan(ben, NO_EMAIL)
    data = json.loads(ana.get("/account/export/data.json").data)
    [exported] = data["follow_ups"]
    assert exported["contact"] == "Dev Patel" and exported["state"] == "open"
    assert data["profile"]["quiet_days"] == "" and data["profile"]["calendar_feed"] is False
    assert "Sean" not in json.dumps(data["follow_ups"])
    response = ana.post("/account/delete", data={"password": STRONG_PASSWORD, "confirm": "DELETE"})
    assert response.status_code == 302
    with app.app_context():
        owners = db.session.scalars(sa.select(FollowUp.owner_id)).all()
        ben_id = db.session.scalar(sa.select(User.id).where(User.email == "ben@example.org"))
    assert owners == [ben_id]


def test_where_and_when_we_met_come_from_the_same_meeting(app, ana):
    """Scanned once without an event, met again at DevConf: the item and its draft name
    DevConf with the day of DevConf, never DevConf with the day of the first scan."""
    first = datetime(2025, 12, 2, 10, 0, tzinfo=UTC)
    at_event = datetime(2026, 2, 14, 10, 0, tzinfo=UTC)
    dev = scan(ana, BADGE, scanned_at=first.isoformat()).get_json()["id"]
    assert "Met · 2 Dec 2025, 10:00" in visible_text(ana.get("/inbox"))
    with app.app_context():
        db.session.add(Meeting(contact_id=dev, kind="scan", met_at=at_event, event_name="DevConf"))
        db.session.commit()
    text = visible_text(ana.get("/inbox"))
    assert "Met at DevConf · 14 Feb 2026, 10:00" in text
    assert "2 Dec 2025" not in text
    with app.app_context():
        from eventmate.followups.items import draft_facts

        contact = db.session.get(Contact, dev)
        owner = db.session.get(User, contact.owner_id)
        facts = draft_facts(contact, owner, at_event + timedelta(days=1))
        assert (facts.event_name, facts.met_on) == ("DevConf", date(2026, 2, 14))
