"""Events: create, join by code, current event, goal and progress on the home screen."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from eventmate.events.service import progress
from eventmate.extensions import db
from eventmate.models import Event, EventMembership, Meeting, User
from eventmate.templating import event_dates

from .helpers import create_event, first_shared_id, scan
from .helpers import visible_text as _text


def test_create_event_makes_it_current_with_its_goal(app, ben):
    event_id = create_event(ben, "DevConf", goal=3, timezone="Europe/Paris")
    page = _text(ben.get("/"))
    assert "DevConf" in page and "0 of 3 new people" in page
    with app.app_context():
        event = db.session.get(Event, event_id)
        assert (event.timezone, event.kind) == ("Europe/Paris", "conference")
        assert len(event.join_code) == 8


def test_event_validation(app, ben):
    response = ben.post(
        "/events/",
        data={
            "name": "",
            "kind": "party",
            "timezone": "Nowhere/City",
            "goal": 0,
            "starts_on": "2026-11-25",
            "ends_on": "2026-11-24",
        },
    )
    assert response.status_code == 422
    page = _text(response)
    assert "Pick a time zone" in page and "end before it starts" in page
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Event)) == 0


def test_join_by_code_and_progress(app, ana, ben):
    event_id = create_event(ana, "Alumni evening", goal=2)
    with app.app_context():
        code = db.session.get(Event, event_id).join_code
    response = ben.post("/events/join", data={"code": code.lower()[:4] + "-" + code.lower()[4:]})
    assert response.status_code == 302
    assert "Alumni evening" in _text(ben.get(f"/events/{event_id}"))
    assert "0 of 1 new person" in _text(ben.get("/"))  # goals are personal: Ana's 2 is hers
    ben.post(f"/events/{event_id}/goal", data={"goal": 2})
    scan(ben, "MECARD:N:Owen,Sean;EMAIL:sean@example.com;;")
    scan(ben, "https://someone.example")
    page = _text(ben.get("/"))
    assert "2 of 2 new people" in page and "Goal reached" in page


def test_unknown_code(app, ben):
    response = ben.post("/events/join", data={"code": "NOPE1234"}, follow_redirects=True)
    assert "No event has that code" in _text(response)


def test_goal_and_current_event(app, ben):
    first = create_event(ben, "First")
    create_event(ben, "Second")
    ben.post(f"/events/{first}/current")
    ben.post(f"/events/{first}/goal", data={"goal": 5})
    assert "0 of 5 new people" in _text(ben.get("/"))
    assert "First" in _text(ben.get("/"))
    response = ben.post(f"/events/{first}/goal", data={"goal": 0}, follow_redirects=True)
    assert "whole number" in _text(response)
    response = ben.post(f"/events/{first}/goal", data={"goal": 1}, follow_redirects=True)
    assert "Goal set: 1 new person." in _text(response)


def test_a_goal_of_zero_is_out_of_range_not_missing(app, ben):
    response = ben.post("/events/", data={"name": "DevConf", "timezone": "UTC", "goal": 0})
    assert response.status_code == 422
    page = _text(response)
    assert page.index("Not saved yet: check what's marked below.") < page.index("Join with a code")
    assert "New people I want to meet A goal is a whole number from 1 to 500." in page
    assert "This field is required" not in page
    response = ben.post("/events/", data={"name": "DevConf", "timezone": "UTC", "goal": ""})
    assert "This field is required" in _text(response)


def test_progress_counts_today_in_the_users_time_zone(app, ben):
    """A contact met at 23:30 in Tokyo on the 23rd is 'today' on the 23rd there, not in UTC."""
    event_id = create_event(ben, "Tokyo meetup")
    scan(ben, "https://a.example", scanned_at="2026-11-23T14:30:00+00:00")
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "ben@example.org"))
        user.timezone = "Asia/Tokyo"
        member = db.session.get(EventMembership, (event_id, user.id))
        contact_created = datetime(2026, 11, 23, 14, 30, tzinfo=UTC)  # 23:30 in Tokyo
        from eventmate.models import Contact

        contact = db.session.scalar(db.select(Contact))
        contact.created_at = contact_created
        same_day = progress(
            user, member.event, member, now=datetime(2026, 11, 23, 14, 50, tzinfo=UTC)
        )
        next_day = progress(
            user, member.event, member, now=datetime(2026, 11, 23, 15, 10, tzinfo=UTC)
        )
    assert (same_day.new_people, same_day.new_today) == (1, 1)
    assert (next_day.new_people, next_day.new_today) == (1, 0)


def test_event_summary_page(app, ben):
    event_id = create_event(ben, "DevConf", goal=3)
    scan(ben, "https://a.example")
    page = _text(ben.get(f"/events/{event_id}"))
    assert "1 of 3 new people" in page and "1 face to face" in page
    assert "2 more to reach your goal" in page


def _days_ago(days: int) -> str:
    return (datetime.now(UTC).date() - timedelta(days=days)).isoformat()


def test_an_ended_current_event_no_longer_claims_new_scans(app, ben, make_client):
    """A week after the conference, the people Ben meets belong to no event, not to it."""
    summit = create_event(
        ben, "Harbour Summit", goal=3, starts_on=_days_ago(9), ends_on=_days_ago(7)
    )
    assert scan(ben, "https://met-today.example").get_json()["event"] is None
    # Scanned offline on the summit's last day, sent only now: noted at the summit.
    during = datetime.combine(date.fromisoformat(_days_ago(7)), datetime.min.time(), UTC)
    late = scan(
        ben, "https://met-there.example", scanned_at=(during + timedelta(hours=20)).isoformat()
    )
    assert late.get_json()["event"]["name"] == "Harbour Summit"

    with app.app_context():
        token = db.session.scalar(sa.select(User.card_token).where(User.email == "ben@example.org"))
    make_client().post(f"/c/{token}/share", data={"name": "Carla Souza", "email": "c@example.org"})
    ben.post(f"/shared/{first_shared_id(ben.get('/'))}", data={"decision": "accept"})
    with app.app_context():
        shared = db.session.scalars(sa.select(Meeting).where(Meeting.kind == "shared_back")).one()
        assert (shared.event_id, shared.event_name) == (None, "")

    home = _text(ben.get("/"))
    assert "Ended" in home and "1 new person · goal 3" in home
    assert "New scans aren't noted at this event any more." in home
    assert "Harbour Summit has ended, so scans aren't noted at an event." in _text(ben.get("/scan"))
    assert 'data-event=""' in ben.get("/scan").get_data(as_text=True)
    summary = _text(ben.get(f"/events/{summit}"))  # still there to look back on
    assert "Conference · ended" in summary and "2 short of your goal this time." in summary
    assert "met today" not in summary
    assert "Current" not in _text(ben.get("/events/"))


def test_an_event_runs_through_its_last_day_in_its_own_time_zone(app, ben):
    today_in_tokyo = datetime.now(ZoneInfo("Asia/Tokyo")).date().isoformat()
    tokyo = create_event(ben, "Tokyo Meetup", timezone="Asia/Tokyo", starts_on=today_in_tokyo)
    assert scan(ben, "https://tonight.example").get_json()["event"]["name"] == "Tokyo Meetup"
    assert f'data-event="{tokyo}"' in ben.get("/scan").get_data(as_text=True)
    assert "Current Conference" in _text(ben.get("/events/"))
    with app.app_context():
        event = db.session.get(Event, tokyo)
        midnight = datetime.combine(event.last_day + timedelta(days=1), datetime.min.time())
        tokyo_midnight_in_utc = midnight.replace(tzinfo=UTC) - timedelta(hours=9)
        assert not event.is_over(tokyo_midnight_in_utc - timedelta(minutes=1))
        assert event.is_over(tokyo_midnight_in_utc)
        undated = Event(name="Whenever", timezone="UTC")
        assert not undated.is_over(datetime(2100, 1, 1, tzinfo=UTC))


def test_an_events_dates_read_as_a_range():
    def dates(starts_on, ends_on=None):
        return event_dates(Event(name="X", starts_on=starts_on, ends_on=ends_on))

    assert dates(date(2026, 11, 23), date(2026, 11, 25)) == "23–25 Nov 2026"
    # Babel's en_GB ranges across months keep the dash between thin spaces.
    assert dates(date(2026, 11, 30), date(2026, 12, 2)) == "30 Nov\u2009–\u20092 Dec 2026"
    assert dates(date(2026, 12, 30), date(2027, 1, 2)) == "30 Dec 2026\u2009–\u20092 Jan 2027"
    assert dates(date(2026, 11, 23)) == dates(date(2026, 11, 23), date(2026, 11, 23))
    assert dates(date(2026, 11, 23)) == "23 Nov 2026"
    assert dates(None) == ""


def test_the_events_list_shows_each_events_dates(ben):
    create_event(ben, "Harbour Summit", starts_on="2026-11-23", ends_on="2026-11-25")
    assert "Conference · 23–25 Nov 2026" in _text(ben.get("/events/"))


def test_its_creator_edits_an_event_and_a_fixed_end_date_brings_scans_back(app, ana, ben):
    """Ben typed only the start of a three-day summit: on day two it read as over."""
    summit = create_event(ben, "Harbour Summit", starts_on=_days_ago(1))
    assert scan(ben, "https://day-two.example").get_json()["event"] is None
    assert "Still on? Edit its dates" in _text(ben.get(f"/events/{summit}"))
    assert "Still on? Edit its dates" in _text(ben.get("/"))

    form = {"name": "Harbour Summit 2026", "kind": "conference", "timezone": "Europe/Lisbon"}
    refused = ben.post(
        f"/events/{summit}/edit", data=form | {"starts_on": _days_ago(1), "ends_on": _days_ago(2)}
    )
    assert refused.status_code == 422
    assert "Not saved yet" in _text(refused) and "end before it starts" in _text(refused)
    saved = ben.post(
        f"/events/{summit}/edit", data=form | {"starts_on": _days_ago(1), "ends_on": _days_ago(-1)}
    )
    assert saved.status_code == 302
    with app.app_context():
        event = db.session.get(Event, summit)
        assert (event.name, event.timezone, event.place) == (form["name"], "Europe/Lisbon", "")
    assert scan(ben, "https://still-day-two.example").get_json()["event"]["name"] == form["name"]
    assert "Edit event details" in _text(ben.get(f"/events/{summit}"))
    assert 'value="Harbour Summit 2026"' in ben.get(f"/events/{summit}/edit").get_data(True)

    # Ana joined by code: she sees the event but can't change what it is.
    with app.app_context():
        code = db.session.get(Event, summit).join_code
    ana.post("/events/join", data={"code": code})
    assert "Edit event" not in _text(ana.get(f"/events/{summit}"))
    assert ana.get(f"/events/{summit}/edit").status_code == 404
    assert ana.post(f"/events/{summit}/edit", data=form | {"name": "Ana's"}).status_code == 404
    with app.app_context():
        assert db.session.get(Event, summit).name == form["name"]
