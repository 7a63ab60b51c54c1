"""Shared details: what a visitor shares back waits for the owner's review

A share-back no longer creates or changes a contact; it is kept here until the owner accepts
it, merges it into a contact, or dismisses it. Contacts made by earlier share-backs stay.

Revision ID: b5_shared_details
Revises: b4_push_messages
Create Date: 2026-12-06 03:18:39.028538

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b5_shared_details'
down_revision = 'b4_push_messages'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('shared_details',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('full_name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('shared_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("state IN ('pending', 'accepted', 'merged', 'dismissed')", name=op.f('ck_shared_details_state_known')),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_shared_details_contact_id_contacts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_shared_details_event_id_events'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_shared_details_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shared_details'))
    )
    with op.batch_alter_table('shared_details', schema=None) as batch_op:
        batch_op.create_index('ix_shared_details_owner_state', ['owner_id', 'state'], unique=False)



def downgrade():
    with op.batch_alter_table('shared_details', schema=None) as batch_op:
        batch_op.drop_index('ix_shared_details_owner_state')

    op.drop_table('shared_details')
