"""The password policy: what a guesser tries first for this account counts against a password."""

import pytest

from eventmate.auth.passwords import password_problem

ANA = ("ana.ribeiro@example.org", "Ana Ribeiro")
BEN = ("ben@example.org", "Ben Okafor")
PERSONAL = "It uses the app's name, your name or your email, which are guessed first."
WORD_AND_YEAR = "A word with a year, numbers or symbols added is among the first guesses."


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("eventmate123", PERSONAL),
        ("EventMate2026!", PERSONAL),
        ("EVENTMATE rocks!", PERSONAL),
        ("AnaRibeiro2026!", PERSONAL),
        ("ana.ribeiro.2026", PERSONAL),
        ("Summer2024!!", WORD_AND_YEAR),
        ("Sunflower1987!", WORD_AND_YEAR),
        ("Password2024!", "This is similar to a commonly used password."),
    ],
)
def test_guessable_passwords_are_refused_saying_why_and_what_to_do(password, reason):
    assert password_problem(password, user_inputs=ANA) == (
        f"{reason} Try a few unrelated words together."
    )


def test_the_email_and_name_count_for_their_own_account_only():
    assert password_problem("AnaRibeiro2026!", user_inputs=ANA) is not None
    assert password_problem("BenOkafor2026!", user_inputs=BEN) is not None
    assert password_problem("BenOkafor2026!", user_inputs=ANA) is None
    assert password_problem("Okafor1990!!", user_inputs=BEN) is not None
    assert password_problem("Okafor1990!!", user_inputs=ANA) is None


@pytest.mark.parametrize(
    "password",
    ["violet kettle orbit lantern", "walk-up-and-say-hello", "tulip radar quiet bicycle"],
)
def test_a_few_unrelated_words_are_accepted(password):
    assert password_problem(password, user_inputs=ANA) is None
