"""Indexes for lists read a page at a time (issue 13: a heavy networker)

- contacts (owner_id, created_at, id): People, newest first, read 50 rows at a time in index
  order instead of sorting every contact of the owner.
- contacts (owner_id, event_id): an event's new people counted for its progress (home,
  giving back) from the index, not from all of the owner's contacts.
- contacts (owner_id, is_ally): the allies and their count (inbox, allies, giving back, a
  contact's page) without reading every contact.
- follow_ups (owner_id, state, due_at, id): each inbox section (overdue, today, upcoming) a
  page at a time, and its count, from the index.

Revision ID: e1_heavy_user_indexes
Revises: e1_warm_paths
Create Date: 2026-12-06 11:30:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e1_heavy_user_indexes'
down_revision = "e1_warm_paths"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_contacts_owner_created', 'contacts', ['owner_id', 'created_at', 'id'])
    op.create_index('ix_contacts_owner_event', 'contacts', ['owner_id', 'event_id'])
    op.create_index('ix_contacts_owner_ally', 'contacts', ['owner_id', 'is_ally'])
    op.create_index(
        'ix_follow_ups_owner_state_due', 'follow_ups', ['owner_id', 'state', 'due_at', 'id']
    )


def downgrade():
    op.drop_index('ix_follow_ups_owner_state_due', table_name='follow_ups')
    op.drop_index('ix_contacts_owner_ally', table_name='contacts')
    op.drop_index('ix_contacts_owner_event', table_name='contacts')
    op.drop_index('ix_contacts_owner_created', table_name='contacts')
