"""The fields read from a paper card's photo, kept until the user checks them

- contacts.card_fields: JSON, what the OCR read with each field's confidence (NULL for every
  other contact, and once the user has confirmed the fields).

Revision ID: e1_card_fields
Revises: d1_mail_reminder_channels
Create Date: 2026-12-06 11:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e1_card_fields'
down_revision = 'd1_mail_reminder_channels'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('card_fields', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_column('card_fields')
