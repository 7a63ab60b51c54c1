"""Dates and times in the viewer's locale (Babel): their setting, else the browser's
languages, else en_GB as before; always in the user's own time zone."""

from datetime import UTC, datetime

import sqlalchemy as sa

from eventmate.extensions import db
from eventmate.models import Meeting, User

from ..factories import make_contact
from .helpers import visible_text

MET = datetime(2026, 11, 23, 10, 5, tzinfo=UTC)  # 10:05 in Lisbon, 19:05 in Tokyo


def met_contact(app, email="ana@example.org") -> int:
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        contact = make_contact(user, "Rita Costa")
        db.session.add(Meeting(contact_id=contact.id, kind="meeting", met_at=MET))
        db.session.commit()
        return contact.id


def page(client, cid, language=None) -> str:
    headers = {"Accept-Language": language} if language else {}
    return visible_text(client.get(f"/contacts/{cid}", headers=headers))


def test_without_a_preference_dates_read_as_before(app, ana):
    cid = met_contact(app)
    assert "23 Nov 2026, 10:05" in page(ana, cid)
    assert 'data-locale="en-GB"' in ana.get(f"/contacts/{cid}").get_data(as_text=True)


def test_the_browsers_language_sets_the_format(app, ana):
    cid = met_contact(app)
    assert "Nov 23, 2026, 10:05 AM" in page(ana, cid, "en-US,en;q=0.8")
    assert "23/11/2026, 10:05" in page(ana, cid, "pt-PT,pt;q=0.9")
    assert "23.11.2026, 10:05" in page(ana, cid, "de-DE") or "23. Nov. 2026, 10:05" in page(
        ana, cid, "de-DE"
    )
    # Languages Babel doesn't know are skipped for the next one.
    assert "23/11/2026, 10:05" in page(ana, cid, "xx-YY, *, pt-PT")
    html = ana.get(f"/contacts/{cid}", headers={"Accept-Language": "pt-PT"})
    assert 'data-locale="pt-PT"' in html.get_data(as_text=True)


def test_the_setting_wins_over_the_browser_and_the_time_zone_stays(app, ana):
    cid = met_contact(app)
    form = {
        "reminder_channel": "auto",
        "reminder_hour": "09:00",
        "timezone": "Asia/Tokyo",
        "locale": "en_US",
    }
    assert ana.post("/account/reminders", data=form).status_code == 302
    assert "Nov 23, 2026, 7:05 PM" in page(ana, cid, "pt-PT")
    # "Like my browser" again.
    ana.post("/account/reminders", data=form | {"locale": ""})
    assert "23/11/2026, 19:05" in page(ana, cid, "pt-PT")


def test_a_locale_not_offered_is_refused_and_nothing_is_lost(app, ana):
    form = {
        "reminder_channel": "auto",
        "reminder_hour": "10:00",
        "timezone": "Europe/Lisbon",
        "locale": "tlh_XX",
    }
    refused = ana.post("/account/reminders", data=form)
    assert refused.status_code == 422
    assert "Pick one of the listed ways to write dates." in visible_text(refused)
    with app.app_context():
        user = db.session.scalar(sa.select(User))
        assert (user.locale, user.reminder_hour) == ("", 9)


def test_a_form_without_the_field_keeps_the_choice(app, ana):
    form = {"reminder_channel": "auto", "reminder_hour": "09:00", "timezone": "Europe/Lisbon"}
    ana.post("/account/reminders", data=form | {"locale": "de_DE"})
    assert ana.post("/account/reminders", data=form).status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(User.locale)) == "de_DE"


def test_event_dates_and_inbox_days_follow_the_locale(app, ana):
    from .helpers import create_event

    create_event(ana, "Harbour Summit", starts_on="2026-11-23", ends_on="2026-11-25")
    text = visible_text(ana.get("/events/", headers={"Accept-Language": "de-DE"}))
    assert "23.–25. Nov. 2026" in text
