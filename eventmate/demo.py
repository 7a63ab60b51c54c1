"""Demo data so that a newcomer sees a lived-in app. Names and addresses are fictional."""

from datetime import date, timedelta

import sqlalchemy as sa

from .auth.passwords import hash_password
from .badges import parse_payload
from .contacts.capture import tags_named
from .contacts.service import card_contact, record_meeting
from .events.questions import BUILTIN
from .events.service import create_event, join_by_code, membership
from .extensions import db
from .models import Contact, ContactTie, FollowUp, Meeting, PromptAnswer, Tie, User
from .models.base import utcnow
from .scanning.exchange import exchange_cards

DEMO_EMAIL = "demo@eventmate.example"
DEMO_PASSWORD = "walk-up-and-say-hello"  # noqa: S105 -- printed by seed-demo; a demo login

# Each attendee with what the demo user noted: a built-in prompt's key and their answer to it.
ATTENDEES = (
    (
        "Ana Ribeiro",
        "ana@example.org",
        "Data engineer at Lisbon Maps",
        ("data", "maps"),
        ("enjoy", "Seeing a map she built help a city plan bike lanes."),
    ),
    (
        "Ben Okafor",
        "ben@example.org",
        "Founder, Greenroof Labs",
        ("climate", "startups"),
        ("success", "Saying yes to a small open-source project that grew."),
    ),
    (
        "Chloé Martin",
        "chloe@example.org",
        "Product designer at Atelier Nord",
        ("design",),
        ("advice", "Talk to users every week, even when it feels slow."),
    ),
)
# Warm paths: a former colleague now at Globex, and an attendee who knows people there.
FORMER_COLLEAGUE = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Marta Silva\r\nORG:Globex\r\nTITLE:Engineering Manager\r\n"
    "EMAIL:marta@globex.example\r\nTEL:+351 912 000 111\r\nEND:VCARD\r\n"
)
DEMO_GOAL = 6  # four met so far: the home screen shows progress, not a goal long reached
BADGE = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dev Patel\r\nORG:Harbour Analytics\r\n"
    "TITLE:Head of Research\r\nEMAIL:dev.patel@example.net\r\nTEL:+44 20 7946 0000\r\nEND:VCARD\r\n"
)


def _user(name: str, email: str, headline: str) -> User:
    user = User(
        email=email,
        password_hash=hash_password(DEMO_PASSWORD),
        display_name=name,
        headline=headline,
        timezone="Europe/Lisbon",
        public_email=True,
    )
    db.session.add(user)
    return user


def seed_demo_data() -> bool:
    """Create the demo world once; False when it is already there."""
    if db.session.scalar(sa.select(User.id).where(User.email == DEMO_EMAIL)):
        return False
    demo = _user("Sam Demo", DEMO_EMAIL, "Product manager looking for a new team")
    db.session.flush()
    today = date.today()
    event = create_event(
        demo,
        name="DevConf Lisbon (demo)",
        kind="conference",
        starts_on=today,
        ends_on=today + timedelta(days=1),
        place="Lisbon",
        timezone="Europe/Lisbon",
    )
    db.session.flush()
    membership(demo, event.id).goal = DEMO_GOAL
    for name, email, headline, tag_names, (prompt_key, answer) in ATTENDEES:
        attendee = _user(name, email, headline)
        db.session.flush()
        join_by_code(attendee, event.join_code)
        contact = exchange_cards(demo, attendee, met_at=utcnow(), event=event)
        contact.tags = tags_named(demo, list(tag_names))
        prompt = BUILTIN[prompt_key]
        contact.answers.append(
            PromptAnswer(prompt_key=prompt.key, question=prompt.question, answer=answer)
        )
    badge, _ = card_contact(demo, parse_payload(BADGE).card, raw=BADGE, source="badge")
    record_meeting(badge, kind="scan", met_at=utcnow(), event=event, event_id=event.id)
    badge.notes = "Met at the coffee line. Runs a research team; curious about user interviews."
    _seed_network(demo, utcnow())
    _former_colleague(demo)
    db.session.commit()
    return True


# People known from before, for the monthly review and role models: (name, email, title,
# company, days since first known, days since each meeting in person, notes).
NETWORK = (
    ("Rita Costa", "rita@example.org", "Head of Partnerships", "Tidewater", 700, (240, 400),
     "Runs the alumni meetups of her old university."),
    ("Marco Bianchi", "marco@example.org", "Engineering Manager", "Northwind", 600,
     (150, 210, 300, 420), "Ex-colleague; always has a good book to recommend."),
    ("Lena Fischer", "lena@example.org", "UX Researcher", "Globex", 400, (200,),
     "Curious about diary studies."),
    ("Tom Walsh", "tom@example.org", "Recruiter", "Initech", 300, (), ""),
    ("Priya Nair", "priya@example.org", "Data Scientist", "Hooli", 40, (40,),
     "Working on forecasting for small shops."),
)  # fmt: skip


def _seed_network(demo: User, now) -> None:
    """A role model not met for eight months, a few people out of touch for months (one known
    well, one getting to know, one just met) and a follow-up that never happened."""
    for name, email, title, company, known, met, notes in NETWORK:
        contact = Contact(
            owner_id=demo.id, source="manual", full_name=name, emails=[email], title=title,
            company=company, notes=notes, created_at=now - timedelta(days=known),
            met_face_to_face=bool(met),
        )  # fmt: skip
        db.session.add(contact)
        db.session.flush()
        for days in met:
            met_at = now - timedelta(days=days)
            db.session.add(Meeting(contact_id=contact.id, kind="meeting", met_at=met_at))
        if name == "Rita Costa":
            contact.role_model_since = now - timedelta(days=30)
            contact.learn_from = "how she built her alumni network"
        if name == "Priya Nair":
            due = now - timedelta(days=30)
            db.session.add(FollowUp(owner_id=demo.id, contact_id=contact.id, due_at=due))


def _former_colleague(demo: User) -> None:
    """Marta worked with the demo user before she joined Globex; they had coffee last month
    (not at the demo event: its goal counts new people)."""
    card = parse_payload(FORMER_COLLEAGUE).card
    marta, _ = card_contact(demo, card, raw=FORMER_COLLEAGUE, source="badge")
    record_meeting(
        marta, kind="meeting", met_at=utcnow() - timedelta(days=30), event=None, event_id=None
    )
    marta.ties = [ContactTie(kind=Tie.FORMER_COLLEAGUE)]
    marta.past_companies = "Lisbon Maps"
    marta.notes = "We shipped the routing rewrite together. Happy to talk about Globex's teams."
