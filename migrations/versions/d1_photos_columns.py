"""Photos: the user's own on their card, and a contact's, kept private to its owner

Both are small re-encoded JPEGs (at most 512 px, no metadata) stored with their row, so that
deleting a contact or an account deletes its photo; the version names the photo in its URLs.

Revision ID: d1_photos_columns
Revises: d1_questions_event_prompts
Create Date: 2026-12-06 07:35:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd1_photos_columns'
down_revision = 'd1_questions_event_prompts'
branch_labels = None
depends_on = None

TABLES = ('users', 'contacts')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('photo', sa.LargeBinary(), nullable=True))
            batch_op.add_column(sa.Column('photo_version', sa.String(length=16), nullable=True))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('photo_version')
            batch_op.drop_column('photo')
