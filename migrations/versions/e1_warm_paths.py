"""Warm paths: how you know a contact, their past companies, and asking for an introduction

- contacts.past_companies: where they worked before, one company a line.
- contact_ties: former colleague, worked together, studied together, client, friend; several
  per contact.
- introduction_asks: "do you know someone at X?" sent in the app to a contact on EventMate.

Revision ID: e1_warm_paths
Revises: e1_role_models_review
Create Date: 2026-12-06 11:20:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "e1_warm_paths"
down_revision = "e1_role_models_review"
branch_labels = None
depends_on = None

TIES = ("former_colleague", "worked_together", "studied_together", "client", "friend")
ASK_STATES = ("asked", "introduced", "declined", "withdrawn")


def upgrade():
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("past_companies", sa.Text(), server_default="", nullable=False)
        )

    op.create_table(
        "contact_ties",
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.CheckConstraint(sa.column("kind").in_(TIES), name=op.f("ck_contact_ties_kind")),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_contact_ties_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("contact_id", "kind", name=op.f("pk_contact_ties")),
    )

    op.create_table(
        "introduction_asks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("asker_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("connector_id", sa.Integer(), nullable=False),
        sa.Column("company", sa.String(length=120), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("override_reason", sa.String(length=300), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("introduction_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            sa.column("state").in_(ASK_STATES), name=op.f("ck_introduction_asks_state")
        ),
        sa.ForeignKeyConstraint(
            ["asker_id"],
            ["users.id"],
            name=op.f("fk_introduction_asks_asker_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["connector_id"],
            ["users.id"],
            name=op.f("fk_introduction_asks_connector_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_introduction_asks_contact_id_contacts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["introduction_id"],
            ["introductions.id"],
            name=op.f("fk_introduction_asks_introduction_id_introductions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_introduction_asks")),
    )
    with op.batch_alter_table("introduction_asks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_introduction_asks_asker_id"), ["asker_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_introduction_asks_connector_id"), ["connector_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_introduction_asks_contact_id"), ["contact_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("introduction_asks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_introduction_asks_contact_id"))
        batch_op.drop_index(batch_op.f("ix_introduction_asks_connector_id"))
        batch_op.drop_index(batch_op.f("ix_introduction_asks_asker_id"))
    op.drop_table("introduction_asks")
    op.drop_table("contact_ties")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_column("past_companies")
