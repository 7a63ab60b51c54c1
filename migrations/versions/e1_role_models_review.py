"""Role models, archiving from the monthly review, "keep as is", and the user's date locale

- contacts.role_model_since / learn_from: a role model and what the user wants to learn.
- contacts.archived_at: hidden from lists, digests, search and the offline copy; restorable.
- review_keeps: review items the user chose to keep as they are, until a date.
- users.locale: how dates are written; "" follows the browser.

Revision ID: e1_role_models_review
Revises: e1_card_fields
Create Date: 2026-12-06 11:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e1_role_models_review'
down_revision = 'e1_card_fields'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('role_model_since', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('learn_from', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locale', sa.String(length=20), server_default='', nullable=False))

    op.create_table('review_keeps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=40), nullable=False),
    sa.Column('until', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_review_keeps_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_keeps')),
    sa.UniqueConstraint('owner_id', 'item', name='uq_review_keeps_owner_item')
    )
    with op.batch_alter_table('review_keeps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_keeps_owner_id'), ['owner_id'], unique=False)


def downgrade():
    with op.batch_alter_table('review_keeps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_keeps_owner_id'))
    op.drop_table('review_keeps')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('locale')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_column('archived_at')
        batch_op.drop_column('learn_from')
        batch_op.drop_column('role_model_since')
