"""Questions per event, and a company and profile link in details shared back

An event keeps the built-in questions its creator chose to ask at capture (null: the usual
ones for its kind). A visitor sharing their details back may add their company and a link.

Revision ID: d1_questions_event_prompts
Revises: c1_email_verifications
Create Date: 2026-12-06 08:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd1_questions_event_prompts'
down_revision = 'c1_email_verifications'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prompt_keys', sa.JSON(), nullable=True))

    with op.batch_alter_table('shared_details', schema=None) as batch_op:
        batch_op.add_column(sa.Column('company', sa.String(length=120), server_default='', nullable=False))
        batch_op.add_column(sa.Column('url', sa.String(length=300), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('shared_details', schema=None) as batch_op:
        batch_op.drop_column('url')
        batch_op.drop_column('company')

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('prompt_keys')
