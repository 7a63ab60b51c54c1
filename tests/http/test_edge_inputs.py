"""Odd and crafted input at the edge, on both databases: a scan that once answered 500 is now
read or refused with a sentence (and then nothing is written); ids beyond the integer range
are not found; NUL, lone surrogates and deep JSON are refused before any view runs."""

import uuid
from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa
from werkzeug.routing import IntegerConverter

from eventmate.extensions import db
from eventmate.models import Contact

from .helpers import card_link, contacts_of, create_event

SENTENCE_END = (".", "!", "?")


def vcard(*lines: str) -> str:
    return "\r\n".join(["BEGIN:VCARD", "VERSION:2.1", *lines, "END:VCARD"])


def snapshot(app) -> dict[str, list[str]]:
    """Every row of every table: "nothing written" means this did not change."""
    with app.app_context():
        return {
            table.name: sorted(map(repr, db.session.execute(sa.select(table)).all()))
            for table in db.metadata.sorted_tables
        }


def assert_sentence(text: str) -> None:
    assert text[:1].isupper() and text.rstrip().endswith(SENTENCE_END), text


def post_scan_api(client, payload: str):
    """As the outbox sends it; a lone surrogate travels as JSON's "\\ud800"."""
    body = {"id": str(uuid.uuid4()), "payload": payload, "scanned_at": datetime.now(UTC)}
    return client.post("/api/scans", json=body | {"scanned_at": body["scanned_at"].isoformat()})


def post_form(client, path: str, fields: dict, *, token: str):
    """A form as raw bytes, the way any HTTP client can send it (surrogates as WTF-8)."""
    data = urlencode(fields | {"csrf_token": token}, errors="surrogatepass")
    return client.post(
        path, data=data, content_type="application/x-www-form-urlencoded", csrf=False
    )


# --- scans: the examples and what the fuzz found ------------------------------------

# (payload, the contact's name once read); each answered 500 before, on one database or both.
READ_NOW = {
    "url-urlsplit-refuses": ("https://[x", ""),
    "mebkm-url-urlsplit-refuses": ("MEBKM:TITLE:Me;URL:http://[x;;", ""),
    "mecard-url-urlsplit-refuses": ("MECARD:N:Ana;URL:https://[x;;", "Ana"),
    **{
        f"charset-{codec}": (
            vcard(f"FN;CHARSET={codec};ENCODING=QUOTED-PRINTABLE:Ana=20Ribeiro"),
            "Ana Ribeiro",
        )
        for codec in ("base64", "rot13", "hex", "uu", "idna", "zlib", "bz2", "quopri")
    },
    "charset-undefined": (vcard("FN;CHARSET=undefined;QUOTED-PRINTABLE:Ana"), "Ana"),
    "qp-nul-postgresql": (vcard("FN;ENCODING=QUOTED-PRINTABLE:Ana=00 Ribeiro"), "Ana Ribeiro"),
    "utf7-lone-surrogate": (vcard("FN;CHARSET=utf-7;QUOTED-PRINTABLE:Ana+2AA-"), "Ana"),
    "escape-codec-nul": (vcard("FN;CHARSET=unicode_escape;QUOTED-PRINTABLE:Ana\\x00"), "Ana"),
    "tel-uri-nul": (vcard("FN:Ana", "TEL;VALUE=uri:tel:%00+351"), "Ana"),
}
# (payload, status, words of the sentence): refused, and nothing written.
REFUSED = {
    "nul": ("Ana\x00Ribeiro", 400, "NUL"),
    "lone-surrogate": ("Ana \ud800", 400, "half of an emoji"),
    "vcard-raw-nul": (vcard("FN:Ana\x00"), 400, "NUL"),
    "control-characters": ("Ana\x01\x02", 422, "binary data"),
}


def stored_contact(app, contact_id: int) -> tuple[str, str]:
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        return contact.full_name, contact.raw_payload


def test_odd_badges_are_read_by_the_api_and_the_scan_form(app, ana):
    for case, (payload, name) in READ_NOW.items():
        response = post_scan_api(ana, payload)
        assert response.status_code in (200, 201), (case, response.get_data(as_text=True))
        assert stored_contact(app, response.get_json()["id"]) == (name, payload), case

        response = ana.post("/scan", data={"payload": payload})
        assert response.status_code == 302, (case, response.get_data(as_text=True))
        location = response.headers["Location"]
        contact_id = int(location.split("/contacts/")[1].split("/")[0])
        assert stored_contact(app, contact_id) == (name, payload), case


def test_unstorable_scans_are_refused_with_a_sentence_and_nothing_written(app, ana):
    before = snapshot(app)
    for case, (payload, status, words) in REFUSED.items():
        response = post_scan_api(ana, payload)
        assert response.status_code == status, case
        message = response.get_json()["error"]
        assert words in message, case
        assert_sentence(message)
        if "\ud800" not in payload:  # a form can't carry one: see the next test
            response = ana.post("/scan", data={"payload": payload})
            assert response.status_code == status, case
            assert words in response.get_data(as_text=True), case
    assert snapshot(app) == before


def test_half_an_emoji_in_a_form_arrives_as_its_escapes(app, ana):
    """Form bodies are decoded leniently: invalid UTF-8 keeps its %-escapes, which are text."""
    response = post_form(ana, "/scan", {"payload": "Ana \ud800"}, token=ana.csrf_token())
    assert response.status_code == 302
    [contact] = contacts_of(app, "ana@example.org")
    assert contact.raw_payload == "Ana %ED%A0%80"


# --- ids beyond the integer range -----------------------------------------------------------

HUGE_IDS = [2**31, 2**32, 2**63, 10**30]


def id_routes(app) -> list[tuple[str, str]]:
    """(method, path with a huge id) for every route that takes an integer id."""
    adapter = app.url_map.bind("eventmate.test")
    routes = []
    for rule in app.url_map.iter_rules():
        converters = rule._converters.items()
        ints = {name for name, converter in converters if isinstance(converter, IntegerConverter)}
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"} if ints else ()):
            for huge in HUGE_IDS:
                values = {name: huge if name in ints else "a" for name in rule.arguments}
                routes.append((method, adapter.build(rule.endpoint, values, method=method)))
    return routes


def test_ids_beyond_the_integer_range_are_not_found_on_every_route(app, ana):
    create_event(ana)
    routes = id_routes(app)
    assert len({path.split("/")[1] for _, path in routes}) >= 5  # contacts, events, inbox...
    token = ana.csrf_token()
    for method, path in routes:
        response = ana.open(path, method=method, data={"csrf_token": token}, csrf=False)
        assert response.status_code == 404, (method, path, response.status_code)


QUERIES_WITH_IDS = (
    "/contacts/?event={}",
    "/contacts/?tag={}",
    "/introductions/new?a={}",
    "/introductions/new?a=1&b={}",
)
FORMS_WITH_IDS = {
    "/introductions/new": {"a": "{}", "b": "{}", "why_a": "hello", "why_b": "hello"},
    "/allies/swap": {"add": "{}", "remove": "{}"},
}


def test_ids_beyond_the_range_in_a_query_or_form_are_no_id(app, ana):
    before = snapshot(app)
    for huge in HUGE_IDS:
        for query in QUERIES_WITH_IDS:
            assert ana.get(query.format(huge)).status_code in (200, 404), (query, huge)
        for path, fields in FORMS_WITH_IDS.items():
            data = {name: value.format(huge) for name, value in fields.items()}
            assert ana.post(path, data=data).status_code == 404, (path, huge)
    assert snapshot(app) == before
    # Where the id only says which page to go back to, the form is still saved.
    data = {"question": "What are you building?", "back_to": str(2**31)}
    response = ana.post("/contacts/prompts", data=data)
    assert response.headers["Location"] == "/account/data#questions"


def test_ids_beyond_the_range_in_json_are_refused_with_a_sentence(app, ana):
    before = snapshot(app)
    now = datetime.now(UTC).isoformat()
    for bad in [*HUGE_IDS, -1, 0, True, 1.5, "7"]:
        bodies = {
            ("/api/scans", "event_id"): {"payload": "Ana", "scanned_at": now, "event_id": bad},
            ("/api/captures", "contact_id"): {"contact_id": bad},
            ("/api/captures", "event_id"): {"scan_id": str(uuid.uuid4()), "event_id": bad},
        }
        for (path, field), body in bodies.items():
            response = ana.post(path, json=body | {"id": str(uuid.uuid4())})
            assert response.status_code == 400, (path, bad, response.get_data(as_text=True))
            assert response.get_json()["error"].startswith(f'"{field}" must be'), (path, bad)
    assert snapshot(app) == before


# --- NUL and lone surrogates anywhere in a request ------------------------------------------

CARD_DETAILS = {"display_name": "Ana Ribeiro", "headline": "Data engineer"}
REMINDERS = {"timezone": "Europe/Lisbon", "reminder_hour": "09:00", "reminder_channel": "auto"}
# (who sends it, path, a valid form): every field is poisoned in turn.
FORMS = {
    "login": ("visitor", "/login", {"email": "ana@example.org", "password": "violet kettle"}),
    "sign-up": (
        "visitor",
        "/register",
        {"email": "new@example.org", "password": "x", "display_name": "N", "timezone": "UTC"},
    ),
    "share-back": ("visitor", "share", {"name": "Bea", "email": "bea@example.org", "note": "hi"}),
    "event": ("ana", "/events/", {"name": "DevConf", "kind": "conference", "timezone": "UTC"}),
    "join": ("ana", "/events/join", {"code": "ABCDEF"}),
    "card details": ("ana", "/account/card", CARD_DETAILS),
    "reminders": ("ana", "/account/reminders", REMINDERS),
    "prompt": ("ana", "/contacts/prompts", {"question": "What are you building?"}),
    "scan": ("ana", "/scan", {"payload": "Ana Ribeiro"}),
}


def test_a_nul_in_any_form_field_is_refused_with_a_sentence(app, ana, make_client):
    visitor = make_client()
    share = card_link(app, "ana@example.org").removeprefix("http://eventmate.test") + "/share"
    tokens = {"ana": ana.csrf_token(), "visitor": visitor.csrf_token()}
    before = snapshot(app)
    for case, (sender, path, fields) in FORMS.items():
        browser = ana if sender == "ana" else visitor
        for name in [*fields, "unknown_field"]:
            for poison in ("\x00", "a\x00"):
                response = post_form(
                    browser,
                    share if path == "share" else path,
                    fields | {name: poison},
                    token=tokens[sender],
                )
                assert response.status_code == 400, (case, name, response.status_code)
                page = response.get_data(as_text=True)
                assert f"Part of what was sent (&#34;{name}&#34;) holds a NUL" in page, case
    assert snapshot(app) == before


QUERIES_WITH_A_NUL = (
    "/contacts/?q=%00",
    "/contacts/?q=a%00b",
    "/contacts/?%00=a",
    "/login?next=/%00",
    "/introductions/new?a=%00",
    "/i/%00abc.def",
    "/offline?x=%00",
)


def test_a_nul_in_a_query_or_a_path_is_refused(app, ana):
    for path in QUERIES_WITH_A_NUL:
        response = ana.get(path)
        assert response.status_code == 400, path
        assert "NUL" in response.get_data(as_text=True), path


JSON_ROUTES = (
    ("/api/scans", "POST"),
    ("/api/captures", "POST"),
    ("/api/push/subscriptions", "POST"),
    ("/api/push/subscriptions", "DELETE"),
)
REFUSED_JSON = {
    '{"id": "\\u0000"}': "NUL",
    '{"notes": ["\\ud83d"]}': "half of an emoji",
    '{"\\u0000": 1}': "NUL",
    "[" * 21 + "]" * 21: "deeper than 20 levels",
    "[" * 100_000: "deeper than 20 levels",  # beyond what Python's parser can nest
}


def send_json(client, path: str, method: str, body: str):
    headers = {"X-CSRFToken": client.csrf_token()}
    return client.open(
        path, method=method, data=body, content_type="application/json", headers=headers, csrf=False
    )


def test_unstorable_or_deep_json_is_refused_with_a_sentence(app, ana):
    before = snapshot(app)
    for path, method in JSON_ROUTES:
        for body, words in REFUSED_JSON.items():
            response = send_json(ana, path, method, body)
            assert response.status_code == 400, (path, method, body[:30])
            message = response.get_json()["error"]
            assert words in message, (path, body[:30], message)
            assert_sentence(message)
    assert snapshot(app) == before


def test_json_as_deep_as_allowed_reaches_the_view(app, ana):
    response = send_json(ana, "/api/scans", "POST", "[" * 20 + "]" * 20)
    assert response.status_code == 400
    assert response.get_json()["error"] == "Send a JSON object."


@pytest.mark.parametrize("target", ["/\r\nSet-Cookie: a=b", "http://[x", "/\tx", "/\u2028"])
def test_a_next_that_is_no_plain_path_goes_home(app, ana, target):
    response = ana.get("/login?" + urlencode({"next": target}))
    assert (response.status_code, response.headers["Location"]) == (302, "/")
