"""The follow-ups calendar feed: a secret URL per user, revocable and rotatable, no login."""

import html
import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from icalendar import Calendar

from eventmate.extensions import db
from eventmate.models import FollowUp, User

from .helpers import scan

BADGE = "MECARD:N:Patel,Dev;ORG:Harbour Analytics;EMAIL:dev@example.net;NOTE:secret note;;"
FEED = re.compile(r'value="(http://eventmate\.test/ics/([A-Za-z0-9_-]+)\.ics)"')


def feed_url(client) -> tuple[str, str]:
    match = FEED.search(html.unescape(client.get("/account/reminders").get_data(as_text=True)))
    assert match, "the profile page shows the feed's address"
    return match.group(1), match.group(2)


def turn_on(client) -> tuple[str, str]:
    response = client.post("/inbox/calendar")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/reminders#calendar")
    return feed_url(client)


def events_of(response) -> list:
    return Calendar.from_ical(response.data).walk("VEVENT")


def test_the_feed_is_off_until_asked_for(app, ana, accounts):
    page = ana.get("/account/reminders").get_data(as_text=True)
    assert "Create my calendar feed" in page and "/ics/" not in page
    assert accounts.user("ana@example.org").ics_token is None


def test_feed_lists_open_follow_ups_without_login(app, ana, ben, make_client):
    scan(ana, BADGE)
    scan(ana, "MECARD:N:Owen,Sean;;")
    scan(ben, "MECARD:N:Ode,Bea;;")
    with app.app_context():
        sean = db.session.scalar(sa.select(FollowUp).order_by(FollowUp.id.desc()).offset(1))
        sean.state = "done"
        db.session.commit()
    url, token = turn_on(ana)
    assert len(token) >= 32  # 192 bits, base64url
    stranger = make_client()
    response = stranger.get(url.removeprefix("http://eventmate.test"))
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "Set-Cookie" not in response.headers
    [event] = events_of(response)
    assert str(event["SUMMARY"]) == "Follow up with Dev Patel"
    assert "Harbour Analytics" in str(event["DESCRIPTION"])
    assert "http://eventmate.test/inbox" in str(event["DESCRIPTION"])
    assert "secret note" not in response.get_data(as_text=True)
    assert "dev@example.net" not in response.get_data(as_text=True)
    start = event.decoded("DTSTART")
    assert start.tzinfo is not None and start.minute == 0
    assert event.walk("VALARM")  # a reminder at the due time


def test_rotate_and_revoke(app, ana, accounts, make_client):
    scan(ana, BADGE)
    stranger = make_client()
    _, first = turn_on(ana)
    _, second = turn_on(ana)
    assert first != second
    assert stranger.get(f"/ics/{first}.ics").status_code == 404
    assert stranger.get(f"/ics/{second}.ics").status_code == 200
    assert "new address" in ana.get("/account/reminders").get_data(as_text=True)
    response = ana.post("/inbox/calendar/off")
    assert response.status_code == 302
    assert accounts.user("ana@example.org").ics_token is None
    assert stranger.get(f"/ics/{second}.ics").status_code == 404
    assert "Create my calendar feed" in ana.get("/account/reminders").get_data(as_text=True)


def test_unknown_and_malformed_tokens_are_not_found(app, client):
    for path in ("/ics/" + "A" * 32 + ".ics", "/ics/short.ics", "/ics/" + "a" * 65 + ".ics"):
        assert client.get(path).status_code == 404


def test_feed_settings_need_login_and_csrf(app, ana, client, accounts):
    assert client.post("/inbox/calendar", csrf=False).status_code in (302, 400)
    assert ana.post("/inbox/calendar", csrf=False).status_code == 400
    assert accounts.user("ana@example.org").ics_token is None
    turn_on(ana)
    assert ana.post("/inbox/calendar/off", csrf=False).status_code == 400
    assert accounts.user("ana@example.org").ics_token is not None


def test_quiet_days_move_the_calendar_reminder(app, ana, make_client):
    scan(ana, BADGE)
    saturday_morning = datetime(2026, 11, 28, 9, tzinfo=UTC)  # 09:00 in Lisbon
    with app.app_context():
        db.session.scalar(sa.select(FollowUp)).due_at = saturday_morning
        user = db.session.scalar(sa.select(User).where(User.email == "ana@example.org"))
        user.quiet_days = "67"
        db.session.commit()
    _, token = turn_on(ana)
    with app.app_context():
        db.session.scalar(sa.select(FollowUp)).due_at = saturday_morning  # re-set after settings
        db.session.commit()
    [event] = events_of(make_client().get(f"/ics/{token}.ics"))
    assert event.decoded("DTSTART") == saturday_morning + timedelta(days=2)  # Monday 09:00
