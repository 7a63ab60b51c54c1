"""Client requests keep the answer the first request got, so that a resend is one lookup

Revision ID: d1_scale_stored_answers
Revises: c1_email_verifications
Create Date: 2026-12-06 08:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd1_scale_stored_answers'
down_revision = 'd1_photos_columns'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('client_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answer', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('client_requests', schema=None) as batch_op:
        batch_op.drop_column('answer')
