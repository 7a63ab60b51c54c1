"""Email as a reminder channel, and password reset links

- users.reminder_channel (auto/push/email/both/none): who turned push off keeps no reminders
  ("none"); everyone else gets "auto" — push on a device with push, email otherwise.
- users.email_verified_at: NULL for every account that exists now. Accounts made before codes
  were emailed never proved their address, and one made since cannot be told apart, so none
  gets a digest by email until it confirms its address (the profile offers it); push goes on.
- users.email_bounces: permanent SMTP refusals in a row.
- push_deliveries.channel: push (a device) or email (the user's address).
- password_resets: one-hour links, stored as SHA-256 only.

Revision ID: d1_mail_reminder_channels
Revises: c1_email_verifications
Create Date: 2026-12-06 07:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd1_mail_reminder_channels'
down_revision = 'd1_scale_stored_answers'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminder_channel', sa.String(length=5), server_default='auto', nullable=False))
        batch_op.add_column(sa.Column('email_verified_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('email_bounces', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_check_constraint(
            'reminder_channel', "reminder_channel IN ('auto', 'push', 'email', 'both', 'none')"
        )
    op.execute("UPDATE users SET reminder_channel = 'none' WHERE NOT push_enabled")

    with op.batch_alter_table('push_deliveries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=5), server_default='push', nullable=False))
        batch_op.create_check_constraint('channel', "channel IN ('push', 'email')")

    op.create_table('password_resets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_password_resets_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_resets')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_password_resets_token_hash'))
    )
    with op.batch_alter_table('password_resets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_password_resets_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_password_resets_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('password_resets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_password_resets_user_id'))
        batch_op.drop_index(batch_op.f('ix_password_resets_expires_at'))
    op.drop_table('password_resets')

    op.execute("DELETE FROM push_deliveries WHERE channel = 'email'")
    with op.batch_alter_table('push_deliveries', schema=None) as batch_op:
        batch_op.drop_constraint('channel', type_='check')
        batch_op.drop_column('channel')

    op.execute("UPDATE users SET push_enabled = false WHERE reminder_channel IN ('email', 'none')")
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint('reminder_channel', type_='check')
        batch_op.drop_column('email_bounces')
        batch_op.drop_column('email_verified_at')
        batch_op.drop_column('reminder_channel')
