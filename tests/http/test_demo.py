"""`flask seed-demo` gives a newcomer a lived-in app, and running it twice changes nothing."""

from eventmate.demo import DEMO_EMAIL, DEMO_PASSWORD
from eventmate.models import Contact, User

from .helpers import count, visible_text


def test_seed_demo_is_idempotent_and_the_demo_login_works(app, client, accounts):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "Demo data created" in first.output and DEMO_PASSWORD in first.output
    users, contacts = count(app, User), count(app, Contact)
    assert users == 4 and contacts >= 7
    second = runner.invoke(args=["seed-demo"])
    assert "already there" in second.output
    assert (count(app, User), count(app, Contact)) == (users, contacts)

    assert accounts.login(client, email=DEMO_EMAIL, password=DEMO_PASSWORD).status_code == 302
    home = visible_text(client.get("/"))
    assert "DevConf Lisbon (demo)" in home and "4 of 6 new people" in home
    people = [c["name"] for c in client.get("/api/contacts").get_json()["contacts"]]
    assert {"Ana Ribeiro", "Ben Okafor", "Chloé Martin", "Dev Patel"} <= set(people)


def test_demo_notes_answer_the_questions_they_are_filed_under(app, client, accounts):
    """What Sam noted about Ana is an answer to "What do they enjoy…", so the inbox's
    draft thanks her for the right thing, not for "advice" she never gave."""
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    accounts.login(client, email=DEMO_EMAIL, password=DEMO_PASSWORD)
    noted = {
        contact["name"]: {answer["prompt"]: answer["answer"] for answer in contact["answers"]}
        for contact in client.get("/api/contacts").get_json()["contacts"]
    }
    assert noted["Ana Ribeiro"] == {"enjoy": "Seeing a map she built help a city plan bike lanes."}
    assert noted["Ben Okafor"] == {
        "success": "Saying yes to a small open-source project that grew."
    }
    assert noted["Chloé Martin"] == {"advice": "Talk to users every week, even when it feels slow."}
    inbox = visible_text(client.get("/inbox"))
    assert "your advice: seeing a map" not in inbox.lower()


def test_demo_shows_a_role_model_and_a_review_with_stale_contacts(app, client, accounts):
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    accounts.login(client, email=DEMO_EMAIL, password=DEMO_PASSWORD)
    giving_back = visible_text(client.get("/giving-back"))
    assert (
        "Rita Costa" in giving_back and "To learn: how she built her alumni network" in giving_back
    )
    review = visible_text(client.get("/review"))
    assert "Role models not met in six months" in review and "Rita Costa" in review
    assert "Not in touch for a long time" in review
    for level, name in (("Know well", "Marco"), ("Getting to know", "Lena"), ("Just met", "Tom")):
        assert level in review and name in review
    assert "Follow-ups that never happened" in review and "Priya Nair" in review


def test_demo_shows_a_former_colleague_at_a_company(app, client, accounts):
    """Warm paths have something to show: Marta, a former colleague, now at Globex."""
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    accounts.login(client, email=DEMO_EMAIL, password=DEMO_PASSWORD)
    assert "Globex" in visible_text(client.get("/warm-paths"))
    there = visible_text(client.get("/warm-paths?company=Globex"))
    assert "Marta Silva" in there and "Former colleague" in there and "Know well" in there
    assert "Works at Globex" in there and "Email at globex.example" in there
