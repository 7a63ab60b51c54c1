"""The Alembic migrations build exactly the schema the models describe, on every backend."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from eventmate import create_app
from eventmate.extensions import db

from ..databases import BACKENDS, fresh_database


@pytest.mark.parametrize("backend", BACKENDS)
def test_migrations_match_the_models_and_downgrade_cleanly(backend, tmp_path):
    with fresh_database(backend, tmp_path) as url:
        app = create_app({"TESTING": True, "SECRET_KEY": "k", "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade()
            with db.engine.connect() as connection:
                differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
            assert differences == []
            downgrade(revision="base")
            upgrade()
            db.engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_digests_and_deliveries_survive_becoming_push_messages(backend, tmp_path):
    """b4 moves reminder_digests/deliveries into push_messages/deliveries with their ids, and
    back; new rows after it do not collide with the copied ids."""
    import sqlalchemy as sa

    digest = (
        "INSERT INTO reminder_digests (id, user_id, local_date, title, body, url, "
        "follow_up_count, created_at) VALUES (7, 1, '2026-11-24', 't', 'b', '/inbox', 2, "
        "'2026-11-24 09:00:00+00:00')"
    )
    delivery = (
        "INSERT INTO reminder_deliveries (id, digest_id, state, attempts, recovered, "
        "next_attempt_at) VALUES (9, 7, 'sent', 1, false, '2026-11-24 09:00:00+00:00')"
    )
    user = (
        "INSERT INTO users (id, email, password_hash, display_name, headline, phone, website, "
        "bio, timezone, reminder_hour, quiet_days, push_enabled, no_introductions, "
        "public_headline, public_email, public_phone, public_website, public_bio, card_token, "
        "created_at) VALUES (1, 'a@example.org', 'x', 'Ana', '', '', '', '', 'UTC', 9, '', "
        "true, false, true, false, false, true, true, 'tok', '2026-11-01 00:00:00+00:00')"
    )
    with fresh_database(backend, tmp_path) as url:
        app = create_app({"TESTING": True, "SECRET_KEY": "k", "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade(revision="b3_intros")
            with db.engine.begin() as connection:
                for statement in (user, digest, delivery):
                    connection.execute(sa.text(statement))
            upgrade(revision="b4_push_messages")
            with db.engine.begin() as connection:
                message = connection.execute(
                    sa.text("SELECT id, kind, dedupe_key, tag, follow_up_count FROM push_messages")
                ).one()
                assert tuple(message) == (7, "digest", "digest:2026-11-24", "eventmate-digest", 2)
                sent = connection.execute(
                    sa.text("SELECT id, message_id, state FROM push_deliveries")
                ).one()
                assert tuple(sent) == (9, 7, "sent")
                new_id = connection.execute(
                    sa.text(
                        "INSERT INTO push_messages (user_id, kind, dedupe_key, title, body, url, "
                        "tag, follow_up_count, created_at) VALUES (1, 'digest', 'digest:x', 't', "
                        "'b', '/', 'g', 0, '2026-11-25 09:00:00+00:00') RETURNING id"
                    )
                ).scalar_one()
                assert new_id > 7
                connection.execute(
                    sa.text("DELETE FROM push_messages WHERE id = :id"), {"id": new_id}
                )
            downgrade(revision="b3_intros")
            with db.engine.begin() as connection:
                row = connection.execute(
                    sa.text("SELECT id, local_date FROM reminder_digests")
                ).one()
                assert (row[0], str(row[1])) == (7, "2026-11-24")
            db.engine.dispose()
