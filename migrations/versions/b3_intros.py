"""Introductions (double opt-in), trusted allies and "don't introduce" settings

Revision ID: b3_intros
Revises: b2_push
Create Date: 2026-11-24 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3_intros'
down_revision = 'b2_push'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('introductions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('introducer_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outcome_seen', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['introducer_id'], ['users.id'], name=op.f('fk_introductions_introducer_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_introductions'))
    )
    with op.batch_alter_table('introductions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_introductions_introducer_id'), ['introducer_id'], unique=False)

    op.create_table('introduction_sides',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('introduction_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.String(length=1), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('is_member', sa.Boolean(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('why', sa.String(length=300), nullable=False),
    sa.Column('answer', sa.String(length=10), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decline_reason', sa.String(length=300), nullable=False),
    sa.Column('link_selector', sa.String(length=16), nullable=True),
    sa.Column('link_hash', sa.String(length=64), nullable=True),
    sa.Column('link_issued_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('received_contact_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_introduction_sides_contact_id_contacts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['introduction_id'], ['introductions.id'], name=op.f('fk_introduction_sides_introduction_id_introductions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['received_contact_id'], ['contacts.id'], name=op.f('fk_introduction_sides_received_contact_id_contacts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_introduction_sides_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_introduction_sides')),
    sa.UniqueConstraint('introduction_id', 'position', name='uq_introduction_sides_introduction_position'),
    sa.UniqueConstraint('link_selector', name=op.f('uq_introduction_sides_link_selector'))
    )
    with op.batch_alter_table('introduction_sides', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_introduction_sides_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_introduction_sides_introduction_id'), ['introduction_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_introduction_sides_user_id'), ['user_id'], unique=False)

    # Existing contacts: introducible, not allies, a 60-day keep-in-touch period if they become one.
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('do_not_introduce', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('is_ally', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('ally_since', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('keep_in_touch_days', sa.Integer(), server_default='60', nullable=False))

    # Existing users can be introduced (always asked first), until they say otherwise.
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('no_introductions', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('no_introductions')

    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_column('keep_in_touch_days')
        batch_op.drop_column('ally_since')
        batch_op.drop_column('is_ally')
        batch_op.drop_column('do_not_introduce')

    with op.batch_alter_table('introduction_sides', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_introduction_sides_user_id'))
        batch_op.drop_index(batch_op.f('ix_introduction_sides_introduction_id'))
        batch_op.drop_index(batch_op.f('ix_introduction_sides_contact_id'))

    op.drop_table('introduction_sides')
    with op.batch_alter_table('introductions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_introductions_introducer_id'))

    op.drop_table('introductions')
