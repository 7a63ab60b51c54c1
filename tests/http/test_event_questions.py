"""Questions per event over HTTP: the event form offers the kind's usual questions ticked and
the others beside them, keeps its creator's choice, refuses what isn't in the lists; a person
met at an event is asked its questions, and an answer to a question no longer asked stays."""

import html
import re
import uuid

import pytest

from eventmate.events.questions import BUILTIN, KIND_QUESTIONS
from eventmate.extensions import db
from eventmate.models import Contact, Event, PromptAnswer

from .helpers import contacts_of, count, create_event, scan, visible_text

BADGE = "MECARD:N:Costa,Rita;EMAIL:rita@example.org;;"
ALUMNI = KIND_QUESTIONS["alumni"]


def event_form(name="Class of 2016", kind="alumni", questions=ALUMNI, preset_for="alumni"):
    return {
        "name": name,
        "kind": kind,
        "timezone": "UTC",
        "goal": 3,
        "questions": list(questions),
        "questions_kind": preset_for,
    }


def ticked(page: str) -> list[str]:
    """The question boxes ticked on the event form, in page order."""
    boxes = re.findall(r'<input type="checkbox" name="questions" value="(\w+)" ?(checked)?', page)
    return [key for key, checked in boxes if checked]


def stored_keys(app, event_id):
    with app.app_context():
        return db.session.get(Event, event_id).prompt_keys


def test_the_form_ticks_the_kinds_usual_questions_and_offers_the_others(app, ana):
    page = ana.get("/events/").get_data(as_text=True)
    assert ticked(page) == list(KIND_QUESTIONS["conference"])
    assert page.count('name="questions"') == len(BUILTIN)
    assert ">Job fair</option>" in page and ">Alumni evening</option>" in page
    text = visible_text(ana.get("/events/"))
    assert "More questions" in text and "Whom from our year do they still see?" in text


def test_the_usual_questions_follow_the_kind_and_a_choice_is_kept(app, ana):
    usual = ana.post("/events/", data=event_form())
    assert usual.status_code == 302
    reunion = int(usual.headers["Location"].rsplit("/", 1)[1])
    assert stored_keys(app, reunion) is None  # the kind's usual ones
    # The kind changed without the page's script: the ticks were still the conference presets.
    create = ana.post(
        "/events/",
        data=event_form("Tech Jobs Day", "job_fair", KIND_QUESTIONS["conference"], "conference"),
    )
    fair = int(create.headers["Location"].rsplit("/", 1)[1])
    assert stored_keys(app, fair) is None
    assert "Job fair" in visible_text(ana.get(f"/events/{fair}"))
    chosen = ana.post("/events/", data=event_form("Meetup", "meetup", ["talk", "brought_them"]))
    meetup = int(chosen.headers["Location"].rsplit("/", 1)[1])
    assert stored_keys(app, meetup) == ["brought_them", "talk"]
    edit = ana.get(f"/events/{meetup}/edit").get_data(as_text=True)
    assert ticked(edit) == ["brought_them", "talk"]
    assert 'name="questions_kind" type="hidden" value=""' in edit  # a choice, not presets
    # The creator goes back to the usual ones.
    saved = ana.post(
        f"/events/{meetup}/edit", data=event_form("Meetup", "meetup", KIND_QUESTIONS["meetup"], "")
    )
    assert saved.status_code == 302 and stored_keys(app, meetup) is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "party"}, "Choose one of the kinds in the list."),
        ({"questions": ["enjoy", "made_up"]}, "Choose questions from the list."),
        ({"questions": []}, "Tick at least one question"),
    ],
)
def test_the_form_refuses_what_is_not_in_its_lists(app, ana, change, message):
    response = ana.post("/events/", data=event_form() | change)
    assert response.status_code == 422
    assert message in html.unescape(response.get_data(as_text=True))
    assert count(app, Event) == 0
    event_id = create_event(ana, "Class of 2016", kind="alumni")
    refused = ana.post(f"/events/{event_id}/edit", data=event_form() | change)
    assert refused.status_code == 422 and message in html.unescape(refused.get_data(as_text=True))
    with app.app_context():
        event = db.session.get(Event, event_id)
        assert (event.kind, event.prompt_keys) == ("alumni", None)


def test_only_its_creator_changes_an_events_questions(app, ana, ben):
    reunion = create_event(ana, "Class of 2016", kind="alumni")
    ben_event = create_event(ben, "Ben's meetup", kind="meetup")
    with app.app_context():
        code = db.session.get(Event, reunion).join_code
    ben.post("/events/join", data={"code": code})  # a member, not its creator
    for event_id in (reunion, 2**31, 2**63):
        assert ben.get(f"/events/{event_id}/edit").status_code == 404
        response = ben.post(f"/events/{event_id}/edit", data=event_form(questions=["talk"]))
        assert response.status_code == 404
    assert ana.post(f"/events/{ben_event}/edit", data=event_form()).status_code == 404
    assert stored_keys(app, reunion) is None and stored_keys(app, ben_event) is None


def test_a_person_met_at_an_alumni_evening_gets_its_questions(app, ben):
    create_event(ben, "Class of 2016", kind="alumni")
    rita = scan(ben, BADGE).get_json()["id"]
    page = html.unescape(ben.get(f"/contacts/{rita}/edit?scanned=1").get_data(as_text=True))
    for key in ALUMNI:
        assert f'name="answer-{key}"' in page and BUILTIN[key].question in page
    assert 'name="answer-talk"' not in page  # a conference's question
    saved = ben.post(
        f"/contacts/{rita}/edit",
        data={"full_name": "Rita Costa", "answer-since_school": "Runs a bakery now"},
    )
    assert saved.status_code == 302
    refused = ben.post(f"/contacts/{rita}/edit", data={"answer-talk": "The keynote"})
    assert refused.status_code == 422
    api = ben.post(
        "/api/captures",
        json={"id": str(uuid.uuid4()), "contact_id": rita, "answers": {"path": "Night school"}},
    )
    assert api.status_code == 201, api.get_json()
    [contact] = contacts_of(app, "ben@example.org")
    answers = {answer.prompt_key: (answer.question, answer.answer) for answer in contact.answers}
    assert answers == {
        "since_school": ("What changed for them since school?", "Runs a bakery now"),
        "path": ("How did they get from school to here?", "Night school"),
    }
    # The capture page a scan made offline opens asks the running event's questions too.
    offline = html.unescape(ben.get("/offline/capture").get_data(as_text=True))
    assert 'name="answer-since_school"' in offline and 'name="answer-talk"' not in offline


def test_an_answer_to_a_question_no_longer_asked_shows_and_saves(app, ben):
    """Rita was asked "Who would they work for in my shoes?" before her event asked other
    questions, and a question of Ben's own he has since removed: both answers show with their
    question, and saving the form unchanged works."""
    create_event(ben, "Class of 2016", kind="alumni")
    rita = scan(ben, BADGE).get_json()["id"]
    with app.app_context():
        contact = db.session.get(Contact, rita)
        for key, question, answer in (
            ("in_my_shoes", "Who would they work for in my shoes?", "A small bakery chain"),
            ("custom-999", "What's next for them?", "A second shop"),
        ):
            contact.answers.append(PromptAnswer(prompt_key=key, question=question, answer=answer))
        db.session.commit()
    page = html.unescape(ben.get(f"/contacts/{rita}/edit").get_data(as_text=True))
    assert "Who would they work for in my shoes?" in page and "A small bakery chain" in page
    assert "What's next for them?" in page and "A second shop" in page
    unchanged = {
        "full_name": "Rita Costa",
        "answer-in_my_shoes": "A small bakery chain",
        "answer-custom-999": "A second shop",
    }
    assert ben.post(f"/contacts/{rita}/edit", data=unchanged).status_code == 302
    api = ben.post(
        "/api/captures",
        json={
            "id": str(uuid.uuid4()),
            "contact_id": rita,
            "answers": {"in_my_shoes": "A small bakery chain, or hers"},
        },
    )
    assert api.status_code == 201, api.get_json()
    [contact] = contacts_of(app, "ben@example.org")
    assert sorted((a.prompt_key, a.answer) for a in contact.answers) == [
        ("custom-999", "A second shop"),
        ("in_my_shoes", "A small bakery chain, or hers"),
    ]


def test_the_capture_form_marks_the_users_own_questions(ben):
    """Edit offline fills /offline/capture's form for any contact and keeps the user's own
    questions whatever the contact's event (static/js/offline-capture.js): they are marked."""
    assert (
        ben.post("/contacts/prompts", data={"question": "What's next for them?"}).status_code == 302
    )
    page = ben.get("/offline/capture").get_data(as_text=True)
    blocks = dict(re.findall(r'data-answer="([\w-]+)"( data-own)?>', page))
    own = [key for key, mark in blocks.items() if mark]
    assert len(own) == 1 and own[0].startswith("custom-"), blocks
    assert len(blocks) > 1  # the usual questions, not marked
