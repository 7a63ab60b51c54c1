"""Push messages: the morning digest becomes one kind of push message (introductions too)

reminder_digests → push_messages (kind, a dedupe key unique per user instead of the local
date, the introduction it is about, its tag); reminder_deliveries → push_deliveries
(message_id). Rows are copied with their ids.

Revision ID: b4_push_messages
Revises: b3_intros
Create Date: 2026-11-29 11:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b4_push_messages'
down_revision = 'b3_intros'
branch_labels = None
depends_on = None

DELIVERY_COLUMNS = (
    'subscription_id, state, attempts, recovered, next_attempt_at, claimed_by, claimed_at, '
    'finished_at, last_status'
)


def _restart_ids(*tables):
    """PostgreSQL: rows were copied with their ids, so move each table's id sequence past them."""
    if op.get_bind().dialect.name != 'postgresql':
        return
    for table in tables:
        op.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
        )


def upgrade():
    op.create_table('push_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('dedupe_key', sa.String(length=80), nullable=False),
    sa.Column('introduction_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.String(length=1000), nullable=False),
    sa.Column('url', sa.String(length=200), nullable=False),
    sa.Column('tag', sa.String(length=32), nullable=False),
    sa.Column('follow_up_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['introduction_id'], ['introductions.id'], name=op.f('fk_push_messages_introduction_id_introductions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_push_messages_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_push_messages')),
    sa.UniqueConstraint('user_id', 'dedupe_key', name='uq_push_messages_user_dedupe_key')
    )
    with op.batch_alter_table('push_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_push_messages_introduction_id'), ['introduction_id'], unique=False)

    op.create_table('push_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('subscription_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('recovered', sa.Boolean(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_by', sa.String(length=64), nullable=True),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_status', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['message_id'], ['push_messages.id'], name=op.f('fk_push_deliveries_message_id_push_messages'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subscription_id'], ['push_subscriptions.id'], name=op.f('fk_push_deliveries_subscription_id_push_subscriptions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_push_deliveries')),
    sa.UniqueConstraint('message_id', 'subscription_id', name='uq_push_deliveries_message_subscription')
    )
    with op.batch_alter_table('push_deliveries', schema=None) as batch_op:
        batch_op.create_index('ix_push_deliveries_state_next_attempt_at', ['state', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_push_deliveries_subscription_id'), ['subscription_id'], unique=False)

    # Dates read back as 'YYYY-MM-DD' on both databases (PostgreSQL's default DateStyle, ISO).
    op.execute(
        "INSERT INTO push_messages (id, user_id, kind, dedupe_key, title, body, url, tag, "
        "follow_up_count, created_at) "
        "SELECT id, user_id, 'digest', 'digest:' || CAST(local_date AS VARCHAR(10)), title, body, "
        "url, 'eventmate-digest', follow_up_count, created_at FROM reminder_digests"
    )
    op.execute(
        f"INSERT INTO push_deliveries (id, message_id, {DELIVERY_COLUMNS}) "
        f"SELECT id, digest_id, {DELIVERY_COLUMNS} FROM reminder_deliveries"
    )
    _restart_ids('push_messages', 'push_deliveries')

    with op.batch_alter_table('reminder_deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminder_deliveries_subscription_id'))
        batch_op.drop_index('ix_reminder_deliveries_state_next_attempt_at')
    op.drop_table('reminder_deliveries')
    op.drop_table('reminder_digests')


def downgrade():
    op.create_table('reminder_digests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('local_date', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.String(length=1000), nullable=False),
    sa.Column('url', sa.String(length=200), nullable=False),
    sa.Column('follow_up_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reminder_digests_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_digests')),
    sa.UniqueConstraint('user_id', 'local_date', name='uq_reminder_digests_user_local_date')
    )
    op.create_table('reminder_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('digest_id', sa.Integer(), nullable=False),
    sa.Column('subscription_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('recovered', sa.Boolean(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_by', sa.String(length=64), nullable=True),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_status', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['digest_id'], ['reminder_digests.id'], name=op.f('fk_reminder_deliveries_digest_id_reminder_digests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subscription_id'], ['push_subscriptions.id'], name=op.f('fk_reminder_deliveries_subscription_id_push_subscriptions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_deliveries')),
    sa.UniqueConstraint('digest_id', 'subscription_id', name='uq_reminder_deliveries_digest_subscription')
    )
    with op.batch_alter_table('reminder_deliveries', schema=None) as batch_op:
        batch_op.create_index('ix_reminder_deliveries_state_next_attempt_at', ['state', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminder_deliveries_subscription_id'), ['subscription_id'], unique=False)

    # Only digests existed before; a delivery state they did not know becomes "failed".
    local_date = "SUBSTR(dedupe_key, 8)"  # SQLite keeps dates as 'YYYY-MM-DD' text
    if op.get_bind().dialect.name == 'postgresql':
        local_date = f"CAST({local_date} AS DATE)"
    op.execute(
        "INSERT INTO reminder_digests (id, user_id, local_date, title, body, url, "
        f"follow_up_count, created_at) SELECT id, user_id, {local_date}, title, body, url, "
        "follow_up_count, created_at FROM push_messages WHERE kind = 'digest'"
    )
    op.execute(
        "INSERT INTO reminder_deliveries (id, digest_id, subscription_id, state, attempts, "
        "recovered, next_attempt_at, claimed_by, claimed_at, finished_at, last_status) "
        "SELECT d.id, d.message_id, d.subscription_id, "
        "CASE WHEN d.state = 'cancelled' THEN 'failed' ELSE d.state END, d.attempts, "
        "d.recovered, d.next_attempt_at, d.claimed_by, d.claimed_at, d.finished_at, "
        "d.last_status FROM push_deliveries d JOIN push_messages m ON m.id = d.message_id "
        "WHERE m.kind = 'digest'"
    )
    _restart_ids('reminder_digests', 'reminder_deliveries')

    with op.batch_alter_table('push_deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_push_deliveries_subscription_id'))
        batch_op.drop_index('ix_push_deliveries_state_next_attempt_at')
    op.drop_table('push_deliveries')
    with op.batch_alter_table('push_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_push_messages_introduction_id'))
    op.drop_table('push_messages')
