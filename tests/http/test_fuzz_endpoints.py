"""Every write endpoint, fuzzed with hypothesis on both databases: whatever the body, the URL's
ids and tokens, the answer is 2xx, 3xx or 4xx, never 5xx; a JSON endpoint's 4xx says why.

`TARGETS` names the fields each endpoint reads; a test fails when the app has a POST, PUT,
PATCH or DELETE route that is not in it, so a new endpoint can't be left out. Each endpoint
runs in a world where its ids and tokens exist (Ana's contacts, event, follow-up, prompt,
device, introductions, a consent link), and draws them as often as junk.
Bounded for CI: a fraction of the profile's max_examples per endpoint (see conftest).
"""

import io
import json
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from eventmate.auth.resets import LINK_LIFETIME, token_hash
from eventmate.auth.verification import start_email_change, start_sign_up
from eventmate.badges import parse_payload
from eventmate.contacts.service import card_contact, record_meeting
from eventmate.events.service import create_event
from eventmate.extensions import db
from eventmate.followups.service import rotate_feed
from eventmate.introductions import service as introductions
from eventmate.models import (
    CustomPrompt,
    FollowUp,
    IntroductionAsk,
    IntroductionSide,
    PasswordReset,
    PushSubscription,
    User,
)
from eventmate.photos.images import reencode
from eventmate.photos.service import set_photo
from eventmate.reminders.unsubscribe import token_for
from eventmate.scanning.exchange import exchange_cards
from eventmate.shared_details.service import receive

from ..strategies import (
    DATABASE_IDS,
    client_ids,
    form_values,
    json_values,
    odd_text,
    payloads,
    timestamps,
)
from ..unit.test_photo_images import camera_jpeg

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Each test's database starts empty, so the world's rows have the first few ids.
ROW_IDS = st.one_of(st.integers(min_value=1, max_value=6), st.none(), DATABASE_IDS)
EXAMPLES = max(10, settings().max_examples // 10)  # 20 per endpoint and database in CI
CARD_FIELDS = [
    "display_name", "headline", "email", "phone", "website", "bio", "public_headline",
    "public_email", "public_phone", "public_website", "public_bio",
]  # fmt: skip
REMINDER_FIELDS = ["reminder_channel", "reminder_hour", "timezone", "quiet_days", "locale"]
EVENT_FIELDS = [
    "name", "kind", "starts_on", "ends_on", "place", "timezone", "goal", "questions",
    "questions_kind",
]  # fmt: skip
CONTACT_FIELDS = [
    "full_name", "title", "company", "emails", "phones", "urls", "tags", "new_tags", "notes",
    "event_id", "follow_up", "follow_up_on", "follow_up_initial", "answer-enjoy",
    "answer-advice", "met_face_to_face",
]  # fmt: skip


# An uploaded file: a photo, a photo cut short, anything.
PHOTO = camera_jpeg((600, 400), orientation=6)
FILES = st.one_of(
    st.just(PHOTO), st.binary(max_size=2000), st.integers(1, len(PHOTO)).map(lambda n: PHOTO[:n])
)


@dataclass(frozen=True)
class Target:
    """What one endpoint reads: form field names, or JSON keys with their values; `visitor`:
    sent without logging in (the page is for people without an account); `files`: the names
    of uploaded files (sent as multipart/form-data)."""

    fields: tuple[str, ...] = ()
    json: dict = field(default_factory=dict)
    visitor: bool = False
    files: tuple[str, ...] = ()


TARGETS = {
    "account.change_email": Target(("email", "password")),
    "account.confirm_email_change": Target(("code",)),
    "account.delete": Target(("password", "confirm")),
    "account.card_details": Target(tuple(CARD_FIELDS)),
    "account.reminders": Target(tuple(REMINDER_FIELDS)),
    "account.resend_email_code": Target(),
    "api.create_capture": Target(
        json={
            "id": client_ids,
            "contact_id": ROW_IDS,
            "scan_id": st.one_of(st.none(), client_ids),
            "tags_add": json_values,
            "tags_remove": json_values,
            "face_to_face": st.one_of(st.booleans(), json_values),
            "notes": odd_text,
            "answers": json_values,
            "fields": st.dictionaries(st.sampled_from(["company", "emails", "urls"]), odd_text),
            "event_id": ROW_IDS,
            "follow_up": st.sampled_from(["none", "tomorrow", "date", "x"]),
            "follow_up_on": odd_text,
            "follow_up_initial": odd_text,
            "base": json_values,
        }
    ),
    "api.create_card_photo": Target(("id", "scanned_at", "event_id"), files=("photo",)),
    "api.create_photo": Target(("id", "contact_id", "scan_id"), files=("photo",)),
    "api.follow_up_done": Target(json={"id": client_ids}),
    "api.follow_up_undo": Target(json={"id": client_ids}),
    "api.create_scan": Target(
        json={
            "id": client_ids,
            "payload": payloads,
            "scanned_at": timestamps(),
            "event_id": ROW_IDS,
        }
    ),
    "auth.login": Target(("email", "password", "remember", "next"), visitor=True),
    "auth.logout": Target(),
    "auth.confirm_sign_up": Target(("code", "password"), visitor=True),
    "auth.forgot_password": Target(("email",), visitor=True),
    "auth.register": Target(("email", "password", "display_name", "timezone"), visitor=True),
    "auth.resend_sign_up_code": Target(visitor=True),
    "auth.reset_password": Target(("password",), visitor=True),
    "cards.exchange": Target(),
    "cards.rotate": Target(),
    "cards.share_back": Target(("name", "email", "phone", "company", "link", "note"), visitor=True),
    "contacts.add_prompt": Target(("question", "back_to")),
    "contacts.check": Target(
        ("full_name", "title", "company", "emails", "phones", "website", "address")
    ),
    "contacts.delete": Target(),
    "contacts.follow_up": Target(),
    "contacts.delete_prompt": Target(("back_to",)),
    "contacts.edit": Target(tuple(CONTACT_FIELDS)),
    "events.create": Target(tuple(EVENT_FIELDS)),
    "events.edit": Target(tuple(EVENT_FIELDS)),
    "events.join": Target(("code",)),
    "events.make_current": Target(),
    "events.set_goal": Target(("goal",)),
    "inbox.dismiss": Target(),
    "inbox.done": Target(),
    "inbox.reopen": Target(),
    "inbox.revoke_feed": Target(),
    "inbox.rotate_feed": Target(),
    "inbox.snooze": Target(("days",)),
    "introductions.consent_link": Target(("choice", "reason"), visitor=True),
    "introductions.create": Target(("a", "b", "why_a", "why_b", "confirm")),
    "introductions.make_link": Target(),
    "introductions.preferences": Target(("no_introductions",)),
    "introductions.request_detail": Target(("choice", "reason")),
    "introductions.seen": Target(),
    "introductions.withdraw": Target(),
    "photos.remove_contact_photo": Target(),
    "photos.remove_my_photo": Target(),
    "photos.upload_contact_photo": Target(files=("photo",)),
    "photos.upload_my_photo": Target(files=("photo",)),
    "push.add_subscription": Target(
        json={"endpoint": odd_text, "keys": json_values, "expirationTime": json_values}
    ),
    "push.delete_subscription": Target(json={"endpoint": odd_text}),
    "push.remove": Target(),
    "relationships.introductions_preference": Target(("do_not_introduce",)),
    "relationships.keep_in_touch": Target(("keep_in_touch_days",)),
    "relationships.log": Target(("kind", "on", "note")),
    "relationships.mark": Target(("keep_in_touch_days",)),
    "relationships.role_model": Target(("learn_from",)),
    "relationships.role_model_lunch": Target(),
    "relationships.role_model_lunch_log": Target(("on", "learned")),
    "relationships.role_model_remove": Target(),
    "relationships.swap": Target(("add", "remove")),
    "relationships.unmark": Target(),
    "reminders.unsubscribe_email": Target(visitor=True),
    "review.archive_contact": Target(("back",)),
    "review.keep": Target(("item",)),
    "review.reach_out": Target(),
    "review.restore": Target(("back",)),
    "scanning.scan_form": Target(("payload",)),
    "shared.decide": Target(
        ("decision", "contact_id", "keep_note", "name", "email", "phone", "company", "url")
    ),
    "warm.decline": Target(),
    "warm.history": Target(("ties", "past_companies")),
    "warm.introduce": Target(("person", "why_a", "why_b", "confirm")),
    "warm.send_ask": Target(("company", "topic", "message", "reason", "how")),
    "warm.withdraw": Target(),
}


def write_endpoints(app) -> set[str]:
    return {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.methods & WRITE_METHODS and rule.endpoint != "static"
    }


def test_every_write_endpoint_is_fuzzed(app):
    """A new POST/PUT/PATCH/DELETE route fails here until it is added to TARGETS."""
    assert write_endpoints(app) == set(TARGETS)


@dataclass
class World:
    """Ids and tokens that exist, by URL argument name."""

    ids: dict[str, list[int]]
    # By the path's first part: c, i, ics, register, account, password, unsubscribe; and a
    # photo's version.
    tokens: dict[str, list[str]]
    join_codes: list[str]


def build_world(app) -> World:
    """Ana (logged in by the caller) met Ben and Cara and scanned a badge; she has an event, a
    prompt, a device and a calendar feed, introduced Ben to Cara (with a consent link), and Ben
    introduced her. Ana asked Ben for an introduction at Globex, and Ben asked Ana. Bea shared
    her details with Ana; Nia is signing up and Ana changing her email (both waiting for their
    codes); Ana has a password reset link and an unsubscribe one."""
    with app.app_context():
        ana = db.session.scalar(db.select(User).where(User.email == "ana@example.org"))
        ben, cara = (
            User(email=f"{name}@example.org", password_hash="x", display_name=name.title())
            for name in ("ben", "cara")
        )
        db.session.add_all([ben, cara])
        db.session.flush()
        now = datetime.now(UTC)
        event = create_event(ana, name="DevConf", kind="conference", timezone="UTC")
        db.session.flush()
        ana_ben = exchange_cards(ana, ben, met_at=now, event=event)
        ana_cara = exchange_cards(ana, cara, met_at=now, event=None)
        badge = "MECARD:N:Owen,Sean;EMAIL:sean@example.com;;"
        sean, _ = card_contact(ana, parse_payload(badge).card, raw=badge, source="badge")
        record_meeting(sean, kind="scan", met_at=now, event=event, event_id=None)
        paper = "Dev Patel\ndev@harbour.example"
        dev, _ = card_contact(
            ana, parse_payload("MECARD:N:Patel,Dev;EMAIL:dev@harbour.example;;").card,
            raw=paper, source="card_to_check",
        )  # fmt: skip
        dev.card_fields = {"name": {"value": "Dev Patel", "confidence": 0.5}}
        db.session.add(CustomPrompt(owner_id=ana.id, question="What are you building?"))
        db.session.add(
            PushSubscription(
                user_id=ana.id, endpoint="https://push.example/1", p256dh="x", auth="y"
            )
        )
        intro = introductions.create_introduction(
            ana, ana_ben, ana_cara, why_a="You both map cities.", why_b="Same.", confirmed=True,
            now=now,
        )  # fmt: skip
        link = introductions.issue_link(intro.sides[0], now=now)
        feed = rotate_feed(ana)
        bens_ana = exchange_cards(ben, ana, met_at=now - timedelta(days=1), event=None)
        bens_cara = exchange_cards(ben, cara, met_at=now - timedelta(days=1), event=None)
        introductions.create_introduction(
            ben, bens_ana, bens_cara, why_a="Hello there.", why_b="Hello there.", confirmed=True,
            now=now,
        )  # fmt: skip
        asks = [
            IntroductionAsk(
                asker_id=asker.id, contact_id=contact.id, connector_id=connector.id,
                company="Globex", topic="", message="Do you know someone at Globex?",
            )
            for asker, contact, connector in ((ana, ana_ben, ben), (ben, bens_ana, ana))
        ]  # fmt: skip
        db.session.add_all(asks)
        shared = receive(
            ana,
            name="Bea Costa",
            email="bea@example.org",
            phone="",
            company="Atlas Maps",
            url="https://bea.example",
            note="Hi!",
            now=now,
        )
        photo = reencode(PHOTO)
        set_photo(ana, photo)
        set_photo(ana_ben, photo)
        db.session.commit()
        signing_up = start_sign_up(
            email="nia@example.org", password="x", display_name="Nia", timezone="UTC", now=now
        )
        changing = start_email_change(ana, email="ana.new@example.org", now=now)
        reset_token = secrets.token_urlsafe(32)
        db.session.add(
            PasswordReset(
                user_id=ana.id, token_hash=token_hash(reset_token), expires_at=now + LINK_LIFETIME
            )
        )
        db.session.commit()
        world = World(
            ids={
                "contact_id": [ana_ben.id, ana_cara.id, sean.id, dev.id],
                "event_id": [event.id],
                "follow_up_id": list(db.session.scalars(db.select(FollowUp.id))),
                "intro_id": [intro.id],
                "side_id": list(
                    db.session.scalars(
                        db.select(IntroductionSide.id).where(IntroductionSide.user_id == ana.id)
                    )
                ),
                "prompt_id": list(db.session.scalars(db.select(CustomPrompt.id))),
                "device_id": list(db.session.scalars(db.select(PushSubscription.id))),
                "shared_id": [shared.id],
                "ask_id": [ask.id for ask in asks],
            },
            tokens={
                "c": [ben.card_token, ana.card_token],
                "i": [link],
                "ics": [feed],
                "register": [signing_up.verification.ticket],
                "account": [changing.verification.ticket],
                "version": [photo.version],
                "password": [reset_token],
                "unsubscribe": [token_for(ana.id, ana.email)],
            },
            join_codes=[event.join_code],
        )
    return world


def path_values(rule, world: World):
    """The rule's URL arguments: ids and tokens that exist, as often as junk."""
    values = {}
    for name in rule.arguments:
        if name == "position":
            values[name] = st.sampled_from(["a", "b"])
        elif name in world.ids:
            values[name] = st.one_of(st.sampled_from(world.ids[name]), DATABASE_IDS)
        elif name == "version":
            values[name] = st.one_of(st.sampled_from(world.tokens[name]), st.text(max_size=20))
        else:
            real = world.tokens[rule.rule.split("/")[1]]  # c (cards), i (consents), ics
            values[name] = st.one_of(st.sampled_from(real), st.text(max_size=70).filter(bool))
    return st.fixed_dictionaries(values)


# Values a field is often given, so that the fuzz gets past the first check; junk as often.
PLAUSIBLE = {
    "choice": ["accept", "decline"],
    "kind": ["meeting", "call", "message", "conference", "job_fair"],
    "questions": ["enjoy", "since_school", "team_needs"],
    "questions_kind": ["alumni", ""],
    "link": ["linkedin.com/in/bea", "javascript:alert(1)", "https://[x"],
    "company": ["Atlas Maps"],
    "website": ["www.harbour.example", "javascript:alert(1)"],
    "url": ["mine", "theirs"],
    "days": ["1", "3", "7"],
    "keep_in_touch_days": ["30", "90"],
    "confirm": ["yes", "DELETE"],
    "timezone": ["UTC", "Europe/Lisbon"],
    "email": ["ana@example.org", "new@example.org"],
    "display_name": ["Ana Ribeiro"],
    "name": ["Bea Costa"],
    "question": ["What are you building?"],
    "goal": ["1", "500"],
    "reminder_hour": ["09:00", "9", "07:30"],
    "reminder_channel": ["auto", "email", "none"],
    "on": [datetime.now(UTC).date().isoformat(), "1950-01-01"],
    "starts_on": [datetime.now(UTC).date().isoformat()],
    "follow_up": ["none", "tomorrow", "date"],
    "follow_up_on": [(datetime.now(UTC).date() + timedelta(days=3)).isoformat()],
    "ties": ["former_colleague", "client"],
    "how": ["channel", "app"],
    "message": ["Do you know someone at Globex I could talk to?"],
    "why_a": ["You both map cities."],
    "why_b": ["You both map cities."],
    "next": ["/contacts/", "/\r\nSet-Cookie: a=b", "//evil.example", "/\\evil"],
    "q": ["ana", "%"],
    "decision": ["accept", "merge", "dismiss"],
    "code": ["123456", "12 34 56"],
    "scanned_at": [datetime.now(UTC).isoformat()],
    "id": ["0f8c2f4e-7b1a-4c1e-9a57-3d2b6f1e8a90", "6a1d9c3b-2e4f-4a8b-b1c7-9e0d5f2a4c61"],
}
CONTACT_ID_FIELDS = ("a", "b", "add", "remove", "back_to", "contact_id", "person")


def form_bodies(target: Target, world: World):
    """Every field the endpoint reads (plausible or junk), and a few more pairs of anything."""
    contact_ids = [str(i) for i in world.ids["contact_id"]]
    plausible = PLAUSIBLE | {name: contact_ids for name in CONTACT_ID_FIELDS}
    plausible |= {"event_id": [str(i) for i in world.ids["event_id"]], "code": world.join_codes}
    fields = {
        name: st.one_of(st.sampled_from(plausible[name]), form_values)
        if name in plausible
        else st.one_of(payloads, form_values)
        for name in target.fields
    }
    fields |= {name: st.one_of(FILES, form_values) for name in target.files}
    extra = st.lists(st.tuples(st.sampled_from([*target.fields, "x"]), form_values), max_size=3)
    return st.tuples(st.fixed_dictionaries(fields), extra).map(
        lambda pair: [*pair[0].items(), *pair[1]]
    )


def json_bodies(target: Target):
    """The endpoint's keys, all or some of them; or any JSON, or not JSON at all."""
    shapes = [
        st.fixed_dictionaries(target.json),
        st.fixed_dictionaries({}, optional=target.json),
        st.one_of(json_values, st.text(max_size=30), st.just("[" * 30)),
    ]
    weights = [0] * 6 + [1, 1] + [2, 2]  # 60% complete, 20% some keys, 20% anything
    return st.sampled_from(weights).flatmap(shapes.__getitem__)


def send(client, method: str, path: str, target: Target, body, token: str):
    if target.json:
        headers = {"X-CSRFToken": token}
        if isinstance(body, dict):
            return client.open(path, method=method, json=body, headers=headers, csrf=False)
        # Text as it comes, a lone surrogate included (bytes no UTF-8 decoder accepts).
        text = body if isinstance(body, str) else json.dumps(body)
        data = text.encode("utf-8", "surrogatepass")
        return client.open(
            path, method=method, data=data, content_type="application/json", headers=headers,
            csrf=False,
        )  # fmt: skip
    if target.files:
        return client.open(path, method=method, data=multipart(body, token), csrf=False)
    data = urlencode([*body, ("csrf_token", token)], errors="surrogatepass")
    return client.open(
        path, method=method, data=data, content_type="application/x-www-form-urlencoded",
        csrf=False,
    )  # fmt: skip


def multipart(body, token: str) -> MultiDict:
    """Files (bytes) as uploads; a lone surrogate, which multipart can't carry as text, as �."""

    def value(item):
        if isinstance(item, bytes):
            return (io.BytesIO(item), "photo.jpg")
        return item.encode("utf-8", "surrogatepass").decode("utf-8", "replace")

    return MultiDict([*((name, value(item)) for name, item in body), ("csrf_token", token)])


@pytest.mark.parametrize("endpoint", sorted(TARGETS))
def test_no_body_or_url_makes_an_endpoint_fail(app, ana, make_client, endpoint):
    target = TARGETS[endpoint]
    world = build_world(app)
    client = make_client() if target.visitor else ana
    token = client.csrf_token()
    adapter = app.url_map.bind("eventmate.test")
    [rule] = [rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint]
    method = sorted(rule.methods & WRITE_METHODS)[0]
    bodies = json_bodies(target) if target.json else form_bodies(target, world)

    @settings(max_examples=EXAMPLES)
    @given(values=path_values(rule, world), body=bodies)
    def answers_without_failing(values, body):
        path = adapter.build(endpoint, values, method=method)
        response = send(client, method, path, target, body, token)
        assert response.status_code < 500, (path, body, response.get_data(as_text=True)[:500])
        if (target.json or path.startswith("/api/")) and response.status_code >= 400:
            message = response.get_json()["error"]
            assert len(message) > 10 and message.endswith("."), message  # a sentence

    answers_without_failing()


QUERY_NAMES = ["q", "next", "a", "b", "event", "tag", "scanned", "x"]


def test_no_query_string_makes_a_page_fail(app, ana, make_client):
    """Every page (GET), logged in or not, with any query string: the same answers only."""
    world = build_world(app)
    visitor = make_client()
    adapter = app.url_map.bind("eventmate.test")
    pages = [
        rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and rule.endpoint not in ("static", "pwa.versioned_static")
    ]
    value = {
        name: st.one_of(st.sampled_from(PLAUSIBLE.get(name, [""])), form_values)
        for name in QUERY_NAMES
    }
    query = st.lists(
        st.sampled_from(QUERY_NAMES).flatmap(lambda name: st.tuples(st.just(name), value[name])),
        max_size=3,
    )

    @settings(max_examples=EXAMPLES * 10)
    @given(data=st.data(), query=query, logged_in=st.booleans())
    def answers_without_failing(data, query, logged_in):
        rule = data.draw(st.sampled_from(pages))
        path = adapter.build(rule.endpoint, data.draw(path_values(rule, world)), method="GET")
        path += "?" + urlencode(query, errors="surrogatepass")
        response = (ana if logged_in else visitor).get(path)
        assert response.status_code < 500, (path, response.get_data(as_text=True)[:500])

    answers_without_failing()
