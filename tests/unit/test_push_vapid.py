"""VAPID keys and subject: generated once into the instance folder or configured, validated."""

import os
import stat

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from eventmate import create_app
from eventmate.push.vapid import (
    DEVELOPMENT_SUBJECT,
    KEY_FILE,
    configured_subject,
    load_keys,
    validate_subject,
    vapid_keys,
)

from ..push_service import b64url, new_vapid_private_key, unb64url


@pytest.mark.parametrize(
    "subject", ["mailto:ops@eventmate.example.org", "https://eventmate.example.org"]
)
def test_a_real_mailto_or_https_subject_is_accepted(subject):
    assert validate_subject(subject) == subject


@pytest.mark.parametrize(
    "subject",
    [
        "ops@eventmate.example.org",  # no scheme
        "mailto:nobody",
        "mailto:ops@localhost",
        "http://eventmate.example.org",
        "https://localhost",
        "eventmate",
        "",
    ],
)
def test_a_subject_a_push_service_would_refuse_is_refused(subject):
    with pytest.raises(ValueError, match="VAPID_SUBJECT"):
        validate_subject(subject)


def test_the_subject_defaults_to_the_sites_https_address_else_a_development_placeholder():
    assert configured_subject({"PUBLIC_BASE_URL": "https://eventmate.example.org/x"}) == (
        "https://eventmate.example.org"
    )
    assert configured_subject({"PUBLIC_BASE_URL": "http://127.0.0.1:5000"}) == DEVELOPMENT_SUBJECT
    assert configured_subject({}) == DEVELOPMENT_SUBJECT
    configured = {"VAPID_SUBJECT": "mailto:ops@eventmate.example.org", "PUBLIC_BASE_URL": ""}
    assert configured_subject(configured) == "mailto:ops@eventmate.example.org"


def test_a_bad_subject_stops_the_app_at_start(monkeypatch):
    monkeypatch.setenv("VAPID_SUBJECT", "webmaster")
    with pytest.raises(ValueError, match="VAPID_SUBJECT"):
        create_app({"TESTING": True, "SECRET_KEY": "k", "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_the_key_is_generated_once_into_the_instance_folder(tmp_path):
    first = load_keys({}, str(tmp_path))
    path = tmp_path / KEY_FILE
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert path.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    again = load_keys({}, str(tmp_path))
    assert again.public_key == first.public_key
    point = unb64url(first.public_key)
    assert len(point) == 65 and point[0] == 4


def test_a_configured_key_is_used_as_raw_base64url_or_pem_text(tmp_path):
    raw = new_vapid_private_key()
    from_raw = load_keys({"VAPID_PRIVATE_KEY": raw}, str(tmp_path))
    value = int.from_bytes(unb64url(raw), "big")
    pem = (
        ec.derive_private_key(value, ec.SECP256R1())
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
    from_pem = load_keys({"VAPID_PRIVATE_KEY": pem}, str(tmp_path))
    assert from_pem.public_key == from_raw.public_key
    assert not (tmp_path / KEY_FILE).exists()  # nothing generated when configured
    matching = {"VAPID_PRIVATE_KEY": raw, "VAPID_PUBLIC_KEY": from_raw.public_key}
    assert load_keys(matching, str(tmp_path)).public_key == from_raw.public_key


def test_a_public_key_that_does_not_match_or_a_key_on_another_curve_is_refused(tmp_path):
    other = load_keys({"VAPID_PRIVATE_KEY": new_vapid_private_key()}, str(tmp_path))
    config = {"VAPID_PRIVATE_KEY": new_vapid_private_key(), "VAPID_PUBLIC_KEY": other.public_key}
    with pytest.raises(ValueError, match="VAPID_PUBLIC_KEY"):
        load_keys(config, str(tmp_path))
    p384 = ec.generate_private_key(ec.SECP384R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with pytest.raises(ValueError, match="P-256"):
        load_keys({"VAPID_PRIVATE_KEY": p384.decode()}, str(tmp_path))


def test_the_environment_configures_keys_subject_and_the_loopback_switch(monkeypatch, tmp_path):
    raw = new_vapid_private_key()
    monkeypatch.setenv("VAPID_PRIVATE_KEY", raw)
    monkeypatch.setenv("VAPID_SUBJECT", "mailto:ops@eventmate.example.org")
    monkeypatch.setenv("EVENTMATE_PUSH_ALLOW_LOOPBACK", "1")
    app = create_app({"TESTING": True, "SECRET_KEY": "k", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["PUSH_ALLOW_LOOPBACK"] is True
    keys = vapid_keys(app)
    assert keys.subject == "mailto:ops@eventmate.example.org"
    assert (
        b64url(keys.signer.private_key.private_numbers().private_value.to_bytes(32, "big")) == raw
    )
    monkeypatch.delenv("EVENTMATE_PUSH_ALLOW_LOOPBACK")
    app = create_app({"TESTING": True, "SECRET_KEY": "k", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["PUSH_ALLOW_LOOPBACK"] is False
