"""The mail module: SMTP_URL's three forms, a real send, and the console when none is set."""

import logging

import pytest

from eventmate import create_app
from eventmate.mail import MailError, SmtpSettings, compose, send
from tests.mail_server import free_port, html_of, text_of


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp://user:p%40ss@mail.example.org:587",
            SmtpSettings("mail.example.org", 587, False, True, "user", "p@ss"),
        ),
        ("smtp://mail.example.org", SmtpSettings("mail.example.org", 587, False, True)),
        ("smtps://mail.example.org", SmtpSettings("mail.example.org", 465, True, False)),
        ("smtps://u:p@mx.example:2465", SmtpSettings("mx.example", 2465, True, False, "u", "p")),
        ("smtp://127.0.0.1:2525", SmtpSettings("127.0.0.1", 2525, False, False)),
        ("smtp://localhost:25", SmtpSettings("localhost", 25, False, False)),
    ],
)  # fmt: skip
def test_smtp_url_names_the_transport(url, expected):
    assert SmtpSettings.from_url(url) == expected


@pytest.mark.parametrize("url", ["http://mail.example.org", "smtp://", "mail.example.org:587"])
def test_a_mistyped_smtp_url_stops_the_app_at_start(url, tmp_path):
    with pytest.raises(ValueError, match="SMTP_URL must look like"):
        create_app({"SMTP_URL": url, "SECRET_KEY": "k", "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def message_to(address: str):
    return compose(
        to=address,
        subject="123456 is your EventMate code",
        text="Your code is 123456",
        html="<p>Your code is <b>123456</b></p>",
        sender="EventMate <no-reply@eventmate.test>",
    )


def test_a_message_goes_through_a_real_smtp_server_as_text_and_html(smtp_url, mailbox):
    send(message_to("nia@example.org"), smtp_url)
    (received,) = mailbox.to("nia@example.org")
    assert received["From"] == "EventMate <no-reply@eventmate.test>"
    assert received["Subject"] == "123456 is your EventMate code"
    assert received["Message-ID"].endswith("@eventmate.test>")
    assert text_of(received).strip() == "Your code is 123456"
    assert html_of(received).strip() == "<p>Your code is <b>123456</b></p>"


def test_a_server_that_does_not_answer_is_a_mail_error():
    with pytest.raises(MailError, match=r"nia@example\.org"):
        send(message_to("nia@example.org"), f"smtp://127.0.0.1:{free_port()}")


def test_without_smtp_url_the_whole_message_is_logged(caplog):
    with caplog.at_level(logging.WARNING, logger="eventmate.mail"):
        send(message_to("nia@example.org"), "")
    (record,) = caplog.records
    assert record.levelno == logging.WARNING
    logged = record.getMessage()
    assert "No SMTP_URL set" in logged
    assert "To: nia@example.org" in logged and "Your code is 123456" in logged
