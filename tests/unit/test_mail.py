"""The mail module: SMTP_URL's three forms, a real send, and the console when none is set."""

import logging
import ssl
from datetime import UTC, datetime, timedelta
from ipaddress import IPv4Address

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from eventmate import create_app
from eventmate.mail import MailError, SmtpSettings, compose, send
from tests.mail_server import Mailbox, free_port, html_of, text_of


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


@pytest.mark.parametrize(
    ("reply", "code", "permanent"),
    [
        ("550 5.1.1 No such mailbox", 550, True),
        ("553 5.1.3 Bad address syntax", 553, True),
        ("450 4.2.1 Mailbox busy", 450, False),
        ("421 4.3.2 Shutting down", 421, False),
    ],
)
def test_a_refused_address_says_whether_for_good(smtp_url, mailbox, reply, code, permanent):
    mailbox.refuse("nia@example.org", reply)
    with pytest.raises(MailError) as refused:
        send(message_to("nia@example.org"), smtp_url)
    assert (refused.value.code, refused.value.permanent) == (code, permanent)
    assert mailbox.to("nia@example.org") == []


def test_no_answer_is_not_a_refusal_for_good():
    with pytest.raises(MailError) as failed:
        send(message_to("nia@example.org"), f"smtp://127.0.0.1:{free_port()}")
    assert (failed.value.code, failed.value.permanent) == (0, False)


def test_without_smtp_url_the_whole_message_is_logged(caplog):
    with caplog.at_level(logging.WARNING, logger="eventmate.mail"):
        send(message_to("nia@example.org"), "")
    (record,) = caplog.records
    assert record.levelno == logging.WARNING
    logged = record.getMessage()
    assert "No SMTP_URL set" in logged
    assert "To: nia@example.org" in logged and "Your code is 123456" in logged


def self_signed_for_loopback(folder) -> tuple[str, str]:
    """A certificate for 127.0.0.1 (cert file, key file) that the test then trusts."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=1))
        .not_valid_after(now + timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(IPv4Address("127.0.0.1"))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert_file), str(key_file)


def only_user_and_secret(server, session, envelope, mechanism, auth_data):
    return AuthResult(success=auth_data.login == b"user" and auth_data.password == b"s3cret")


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
@pytest.mark.parametrize("scheme", ["smtp", "smtps"])
def test_starttls_and_implicit_tls_with_a_login(scheme, tmp_path, monkeypatch):
    """`smtp://user:pass@…` upgrades with STARTTLS before logging in; `smtps://` speaks TLS
    from the first byte. Both check the server's certificate (trusted here by SSL_CERT_FILE);
    the server takes mail only after a login with these credentials."""
    cert_file, key_file = self_signed_for_loopback(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", cert_file)
    server_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_tls.load_cert_chain(cert_file, key_file)
    mailbox = Mailbox()
    # (aiosmtpd counts only STARTTLS as TLS for AUTH: on an implicit-TLS socket, allow it.)
    tls = (
        {"ssl_context": server_tls, "auth_require_tls": False}
        if scheme == "smtps"
        else {"tls_context": server_tls}
    )
    controller = Controller(
        mailbox,
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=only_user_and_secret,
        auth_required=True,
        require_starttls=scheme == "smtp",
        **tls,
    )
    controller.start()
    try:
        url = f"{scheme}://user:s3cret@127.0.0.1:{controller.port}"
        send(message_to("nia@example.org"), url)
        (received,) = mailbox.to("nia@example.org")
        assert text_of(received).strip() == "Your code is 123456"
    finally:
        controller.stop()
