"""`flask seed-demo` gives a newcomer a lived-in app, and running it twice changes nothing."""

from eventmate.demo import DEMO_EMAIL, DEMO_PASSWORD
from eventmate.models import Contact, User

from .helpers import count


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
    home = client.get("/").get_data(as_text=True)
    assert "DevConf Lisbon (demo)" in home and "4 of 1 new" not in home
    people = [c["name"] for c in client.get("/api/contacts").get_json()["contacts"]]
    assert {"Ana Ribeiro", "Ben Okafor", "Chloé Martin", "Dev Patel"} <= set(people)
